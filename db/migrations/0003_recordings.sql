-- Recordings: one row per recording a FreeSWITCH node writes for a call (uuid_record into its recordings
-- folder, under a path the service chooses), then archived by the ArchiveRecordingJob (src/Recording).
-- Rooms gain the per-room settings recording retention and webhook URL.

ALTER TABLE rooms
    ADD COLUMN recording_retention_days integer NULL CHECK (recording_retention_days > 0),
    ADD COLUMN webhook_url              text    NULL;

CREATE TABLE recordings (
    id                  uuid        PRIMARY KEY,
    call_id             uuid        NOT NULL REFERENCES calls (id),
    room_id             text        NOT NULL REFERENCES rooms (id),
    freeswitch_node     text        NULL,
    -- The leg uuid_record runs on, and the file on the node: the absolute path FreeSWITCH writes and the same
    -- file relative to the recordings folder (<room>/<call>.wav), which is what the archive job reads.
    leg_uuid            uuid        NULL,
    node_path           text        NOT NULL,
    relative_path       text        NOT NULL,
    state               text        NOT NULL CHECK (state IN
                            ('recording', 'paused', 'stopped', 'archiving', 'archived', 'failed', 'purged')),
    started_at          timestamptz NOT NULL,
    stopped_at          timestamptz NULL,
    -- Length FreeSWITCH reported at RECORD_STOP (record_ms) when it did.
    duration_ms         bigint      NULL,
    call_ended_at       timestamptz NULL,
    archive_job_id      text        NULL,
    archive_store       text        NULL,
    archive_location    text        NULL,
    archive_format      text        NULL,
    archive_size_bytes  bigint      NULL,
    archive_sha256      text        NULL,
    archive_duration_ms bigint      NULL,
    source_size_bytes   bigint      NULL,
    archived_at         timestamptz NULL,
    attempts            integer     NOT NULL DEFAULT 0,
    failure_reason      text        NULL,
    failed_at           timestamptz NULL,
    purged_at           timestamptz NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    updated_at          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (freeswitch_node, node_path)
);

CREATE INDEX recordings_call_idx ON recordings (call_id);
-- The retention sweep: archived recordings by age.
CREATE INDEX recordings_archived_idx ON recordings (archived_at) WHERE state = 'archived';
-- The admin view of failures.
CREATE INDEX recordings_failed_idx ON recordings (failed_at) WHERE state = 'failed';
