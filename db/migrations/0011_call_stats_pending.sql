-- The call stats rollup's triggers append, and a fold adds up. Profiling PostgreSQL under bench/load (perf with call
-- graphs) put the row triggers of 0010 at 17% of its CPU: each call transition ran a PL/pgSQL function that started
-- an executor for an INSERT ... ON CONFLICT of 17 computed columns and a histogram. Now a trigger appends the
-- columns the stats read, as they were and as they are (weight -1 and +1), to call_stats_pending: one plain insert.
-- call_stats_fold_pending() moves what is pending into stripe 0 of each hour in one statement (the service runs it
-- every few seconds; any instance may, as with call_stats_fold). The call_stats_hourly view adds what is still
-- pending, so the figures stay exact between folds and without them. What is counted is unchanged:
-- call_stats_compute stays the definition, and the tests compare the view with it.

CREATE TABLE call_stats_pending (
    w            smallint    NOT NULL CHECK (w IN (-1, 1)),
    created_at   timestamptz NOT NULL,
    status       text        NOT NULL,
    answered_at  timestamptz NULL,
    ringing_at   timestamptz NULL,
    billsec      integer     NULL,
    answered_via text        NULL,
    pstn_dialed  boolean     NOT NULL,
    fallback     boolean     NOT NULL
);

CREATE OR REPLACE FUNCTION call_stats_row_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO call_stats_pending VALUES
            (1, NEW.created_at, NEW.status, NEW.answered_at, NEW.ringing_at, NEW.billsec, NEW.answered_via,
             NEW.pstn_dialed_at IS NOT NULL, NEW.fallback_reason IS NOT NULL);
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO call_stats_pending VALUES
            (-1, OLD.created_at, OLD.status, OLD.answered_at, OLD.ringing_at, OLD.billsec, OLD.answered_via,
             OLD.pstn_dialed_at IS NOT NULL, OLD.fallback_reason IS NOT NULL);
    ELSE
        INSERT INTO call_stats_pending VALUES
            (-1, OLD.created_at, OLD.status, OLD.answered_at, OLD.ringing_at, OLD.billsec, OLD.answered_via,
             OLD.pstn_dialed_at IS NOT NULL, OLD.fallback_reason IS NOT NULL),
            (1, NEW.created_at, NEW.status, NEW.answered_at, NEW.ringing_at, NEW.billsec, NEW.answered_via,
             NEW.pstn_dialed_at IS NOT NULL, NEW.fallback_reason IS NOT NULL);
    END IF;
    RETURN NULL;
END
$$;

-- 0010's per-row upsert, no longer called.
DROP FUNCTION call_stats_add(timestamptz, calls, calls);

-- Pending rows as the rollup's rows: per hour, each count the sum of the weights of the rows it counts (the same
-- predicates as call_stats_compute), in the stripes table's column order without the stripe.
CREATE VIEW call_stats_pending_hourly AS
    SELECT date_trunc('hour', created_at, 'UTC') AS bucket_start,
           sum(w)::integer AS calls,
           coalesce(sum(w) FILTER (WHERE answered_at IS NOT NULL), 0)::integer AS answered,
           coalesce(sum(w) FILTER (WHERE status = 'completed'), 0)::integer AS completed,
           coalesce(sum(w) FILTER (WHERE status = 'busy'), 0)::integer AS busy,
           coalesce(sum(w) FILTER (WHERE status = 'refused'), 0)::integer AS refused,
           coalesce(sum(w) FILTER (WHERE status = 'canceled'), 0)::integer AS canceled,
           coalesce(sum(w) FILTER (WHERE status = 'no_answer'), 0)::integer AS no_answer,
           coalesce(sum(w) FILTER (WHERE status = 'failed'), 0)::integer AS failed,
           coalesce(sum(w) FILTER (WHERE status = 'offline'), 0)::integer AS offline,
           coalesce(sum(w) FILTER (WHERE pstn_dialed AND fallback), 0)::integer AS fallback_attempts,
           coalesce(sum(w) FILTER (WHERE pstn_dialed AND fallback AND answered_via = 'pstn'), 0)::integer
               AS fallback_successes,
           coalesce(sum(w) FILTER (WHERE answered_at IS NOT NULL AND billsec IS NOT NULL), 0)::integer AS billsec_calls,
           coalesce(sum(w * billsec::bigint) FILTER (WHERE answered_at IS NOT NULL), 0)::bigint AS billsec_sum,
           coalesce(sum(w) FILTER (WHERE ringing_at IS NOT NULL), 0)::integer AS rang,
           coalesce(sum(w * call_stats_us(ringing_at - created_at)), 0)::bigint AS pdd_us_sum,
           coalesce(call_stats_hist(CASE WHEN answered_at IS NOT NULL THEN call_stats_setup_bin(answered_at - created_at) END, w),
                    array_fill(0, ARRAY[309])) AS setup_hist
    FROM call_stats_pending
    GROUP BY 1;

-- The rollup as readers see it: the stripes plus what is pending (same columns as before).
CREATE OR REPLACE VIEW call_stats_hourly AS
    SELECT bucket_start,
           sum(calls)::integer AS calls,
           sum(answered)::integer AS answered,
           sum(completed)::integer AS completed,
           sum(busy)::integer AS busy,
           sum(refused)::integer AS refused,
           sum(canceled)::integer AS canceled,
           sum(no_answer)::integer AS no_answer,
           sum(failed)::integer AS failed,
           sum(offline)::integer AS offline,
           sum(fallback_attempts)::integer AS fallback_attempts,
           sum(fallback_successes)::integer AS fallback_successes,
           sum(billsec_calls)::integer AS billsec_calls,
           sum(billsec_sum)::bigint AS billsec_sum,
           sum(rang)::integer AS rang,
           sum(pdd_us_sum)::bigint AS pdd_us_sum,
           call_stats_hist_total(setup_hist) AS setup_hist
    FROM (SELECT bucket_start, calls, answered, completed, busy, refused, canceled, no_answer, failed, offline,
                 fallback_attempts, fallback_successes, billsec_calls, billsec_sum, rang, pdd_us_sum, setup_hist
          FROM call_stats_hourly_stripes
          UNION ALL
          SELECT * FROM call_stats_pending_hourly) AS parts
    GROUP BY bucket_start;

-- Moves everything pending into stripe 0 of its hour, in one statement: the rows it deletes are locked until it
-- commits, so a concurrent fold skips them and nothing is added twice. Returns how many pending rows it moved.
CREATE FUNCTION call_stats_fold_pending() RETURNS integer
LANGUAGE sql AS $$
    WITH moved AS (
        DELETE FROM call_stats_pending
        RETURNING *),
    hourly AS (
        SELECT date_trunc('hour', created_at, 'UTC') AS bucket_start,
               sum(w) AS calls,
               coalesce(sum(w) FILTER (WHERE answered_at IS NOT NULL), 0) AS answered,
               coalesce(sum(w) FILTER (WHERE status = 'completed'), 0) AS completed,
               coalesce(sum(w) FILTER (WHERE status = 'busy'), 0) AS busy,
               coalesce(sum(w) FILTER (WHERE status = 'refused'), 0) AS refused,
               coalesce(sum(w) FILTER (WHERE status = 'canceled'), 0) AS canceled,
               coalesce(sum(w) FILTER (WHERE status = 'no_answer'), 0) AS no_answer,
               coalesce(sum(w) FILTER (WHERE status = 'failed'), 0) AS failed,
               coalesce(sum(w) FILTER (WHERE status = 'offline'), 0) AS offline,
               coalesce(sum(w) FILTER (WHERE pstn_dialed AND fallback), 0) AS fallback_attempts,
               coalesce(sum(w) FILTER (WHERE pstn_dialed AND fallback AND answered_via = 'pstn'), 0) AS fallback_successes,
               coalesce(sum(w) FILTER (WHERE answered_at IS NOT NULL AND billsec IS NOT NULL), 0) AS billsec_calls,
               coalesce(sum(w * billsec::bigint) FILTER (WHERE answered_at IS NOT NULL), 0) AS billsec_sum,
               coalesce(sum(w) FILTER (WHERE ringing_at IS NOT NULL), 0) AS rang,
               coalesce(sum(w * call_stats_us(ringing_at - created_at)), 0) AS pdd_us_sum,
               coalesce(call_stats_hist(CASE WHEN answered_at IS NOT NULL THEN call_stats_setup_bin(answered_at - created_at) END, w),
                        array_fill(0, ARRAY[309])) AS setup_hist,
               count(*) AS moved_rows
        FROM moved
        GROUP BY 1),
    merged AS (
        INSERT INTO call_stats_hourly_stripes AS s
            (bucket_start, calls, answered, completed, busy, refused, canceled, no_answer, failed, offline,
             fallback_attempts, fallback_successes, billsec_calls, billsec_sum, rang, pdd_us_sum, setup_hist, stripe)
        SELECT bucket_start, calls, answered, completed, busy, refused, canceled, no_answer, failed, offline,
               fallback_attempts, fallback_successes, billsec_calls, billsec_sum, rang, pdd_us_sum, setup_hist, 0
        FROM hourly
        ORDER BY bucket_start
        ON CONFLICT (bucket_start, stripe) DO UPDATE SET
            calls = s.calls + excluded.calls,
            answered = s.answered + excluded.answered,
            completed = s.completed + excluded.completed,
            busy = s.busy + excluded.busy,
            refused = s.refused + excluded.refused,
            canceled = s.canceled + excluded.canceled,
            no_answer = s.no_answer + excluded.no_answer,
            failed = s.failed + excluded.failed,
            offline = s.offline + excluded.offline,
            fallback_attempts = s.fallback_attempts + excluded.fallback_attempts,
            fallback_successes = s.fallback_successes + excluded.fallback_successes,
            billsec_calls = s.billsec_calls + excluded.billsec_calls,
            billsec_sum = s.billsec_sum + excluded.billsec_sum,
            rang = s.rang + excluded.rang,
            pdd_us_sum = s.pdd_us_sum + excluded.pdd_us_sum,
            setup_hist = call_stats_hist_sum(s.setup_hist, excluded.setup_hist))
    SELECT coalesce(sum(moved_rows), 0)::integer FROM hourly
$$;

-- A rebuild recomputes everything from calls: what was pending is part of that.
CREATE OR REPLACE FUNCTION call_stats_rebuild() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM call_stats_pending;
    DELETE FROM call_stats_hourly_stripes;
    INSERT INTO call_stats_hourly_stripes SELECT c.*, 0 FROM call_stats_compute('-infinity', 'infinity') AS c;
$$;

-- TRUNCATE calls empties the rollup, pending rows included.
CREATE OR REPLACE FUNCTION call_stats_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE call_stats_hourly_stripes, call_stats_pending;
    RETURN NULL;
END
$$;
