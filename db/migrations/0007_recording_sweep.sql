-- The archive sweep (RecordingArchiveSweep) looks for stopped recordings that were never enqueued, or whose
-- enqueue claim went stale: a small partial index keeps that a lookup however many recordings exist.
CREATE INDEX recordings_archive_due_idx ON recordings (updated_at)
    WHERE state = 'stopped' AND (archive_job_id IS NULL OR archive_job_id = 'enqueuing');
