-- Users, rooms, calls, their state history, call legs (CDRs), one-time verto logins.
-- Statuses and roles are text with CHECK constraints (not enums) so a later migration can add one cheaply.

CREATE TABLE users (
    id                    text        PRIMARY KEY,
    display_name          text        NOT NULL,
    phone_number          text        NULL CHECK (phone_number ~ '^\+[1-9][0-9]{7,14}$'),
    pstn_fallback_allowed boolean     NOT NULL DEFAULT true,
    is_admin              boolean     NOT NULL DEFAULT false,
    created_at            timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE rooms (
    id                       text        PRIMARY KEY,
    caller_user_id           text        NOT NULL REFERENCES users (id),
    callee_user_id           text        NULL REFERENCES users (id),
    callee_number            text        NULL CHECK (callee_number ~ '^\+[1-9][0-9]{7,14}$'),
    media                    text        NOT NULL CHECK (media IN ('audio', 'video')),
    record                   boolean     NOT NULL DEFAULT false,
    fallback_policy_override jsonb       NULL,
    freeswitch_node          text        NULL,
    state                    text        NOT NULL DEFAULT 'open',
    created_at               timestamptz NOT NULL DEFAULT now(),
    -- A room calls a user or a number, never neither.
    CHECK (callee_user_id IS NOT NULL OR callee_number IS NOT NULL)
);

CREATE INDEX rooms_caller_idx ON rooms (caller_user_id);
CREATE INDEX rooms_callee_idx ON rooms (callee_user_id);

CREATE TABLE calls (
    id                 uuid        PRIMARY KEY,
    room_id            text        NOT NULL REFERENCES rooms (id),
    caller             text        NOT NULL,
    callee             text        NULL,
    callee_number      text        NULL,
    media              text        NOT NULL CHECK (media IN ('audio', 'video')),
    status             text        NOT NULL CHECK (status IN (
                           'ringing', 'fallback-dialing', 'answered',
                           'completed', 'busy', 'refused', 'no_answer', 'offline', 'canceled', 'failed')),
    answered_via       text        NULL CHECK (answered_via IN ('app', 'pstn')),
    fallback_reason    text        NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    ringing_at         timestamptz NULL,
    answered_at        timestamptz NULL,
    ended_at           timestamptz NULL,
    duration           integer     NULL,
    billsec            integer     NULL,
    hangup_cause       text        NULL,
    sip_code           integer     NULL,
    hangup_disposition text        NULL,
    hung_up_by         text        NULL,
    freeswitch_node    text        NULL,
    recording_id       text        NULL,
    -- When the ring timer fires; a standby that takes the node over resumes the timer from here.
    ring_deadline      timestamptz NULL,
    -- Set when a carrier leg is originated for this call (direct or fallback): the PSTN limits count these.
    pstn_dialed_at     timestamptz NULL,
    -- Optimistic concurrency: every update says which version it read.
    version            integer     NOT NULL DEFAULT 1
);

-- Admin queries: keyset paging by (created_at, id), filters on status, caller, callee, room, number prefix,
-- node, hangup cause.
CREATE INDEX calls_created_id_idx     ON calls (created_at, id);
CREATE INDEX calls_status_idx         ON calls (status, created_at);
CREATE INDEX calls_caller_idx         ON calls (caller, created_at);
CREATE INDEX calls_callee_idx         ON calls (callee, created_at);
CREATE INDEX calls_room_idx           ON calls (room_id);
CREATE INDEX calls_callee_number_idx  ON calls (callee_number text_pattern_ops);
CREATE INDEX calls_node_idx           ON calls (freeswitch_node, created_at);
CREATE INDEX calls_hangup_cause_idx   ON calls (hangup_cause, created_at);
-- The PSTN limits count a caller's carrier calls: live ones, and those dialed since a moment.
CREATE INDEX calls_pstn_caller_idx    ON calls (caller, pstn_dialed_at) WHERE pstn_dialed_at IS NOT NULL;

CREATE TABLE call_state_history (
    id          bigserial   PRIMARY KEY,
    call_id     uuid        NOT NULL REFERENCES calls (id),
    from_status text        NULL,
    to_status   text        NOT NULL,
    reason      text        NULL,
    at          timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX call_state_history_call_idx ON call_state_history (call_id, id);

CREATE TABLE call_legs (
    leg_uuid             uuid        PRIMARY KEY,
    call_id              uuid        NULL REFERENCES calls (id),
    role                 text        NULL CHECK (role IN ('caller', 'callee', 'pstn')),
    channel_name         text        NULL,
    direction            text        NULL,
    start_at             timestamptz NULL,
    progress_at          timestamptz NULL,
    progress_media_at    timestamptz NULL,
    answer_at            timestamptz NULL,
    end_at               timestamptz NULL,
    duration             integer     NULL,
    billsec              integer     NULL,
    hangup_cause         text        NULL,
    sip_term_status      text        NULL,
    read_codec           text        NULL,
    write_codec          text        NULL,
    variables            jsonb       NULL,
    -- Which path wrote the row: the ESL event (CHANNEL_HANGUP_COMPLETE), mod_json_cdr, or both.
    source               text        NOT NULL CHECK (source IN ('event', 'json_cdr', 'both')),
    json_cdr             jsonb       NULL,
    freeswitch_node      text        NULL,
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX call_legs_call_idx         ON call_legs (call_id);
CREATE INDEX call_legs_start_idx        ON call_legs (start_at);
CREATE INDEX call_legs_hangup_cause_idx ON call_legs (hangup_cause);

-- One-time verto logins handed out per room and user; mod_xml_curl's directory lookup answers from here.
CREATE TABLE verto_logins (
    login      text        PRIMARY KEY,
    password   text        NOT NULL,
    room_id    text        NOT NULL REFERENCES rooms (id),
    user_id    text        NOT NULL REFERENCES users (id),
    expires_at timestamptz NOT NULL,
    used_at    timestamptz NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX verto_logins_room_idx ON verto_logins (room_id);
