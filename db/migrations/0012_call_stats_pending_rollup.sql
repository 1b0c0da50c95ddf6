-- 0011 spelled out how pending rows count twice: in call_stats_pending_hourly and in call_stats_fold_pending().
-- One function now holds it, and both read through it, so the view and the fold cannot drift apart.

CREATE FUNCTION call_stats_pending_rollup(pending call_stats_pending[])
RETURNS TABLE (bucket_start timestamptz, calls integer, answered integer, completed integer, busy integer,
               refused integer, canceled integer, no_answer integer, failed integer, offline integer,
               fallback_attempts integer, fallback_successes integer, billsec_calls integer, billsec_sum bigint,
               rang integer, pdd_us_sum bigint, setup_hist integer[])
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT date_trunc('hour', p.created_at, 'UTC'),
           sum(p.w)::integer,
           coalesce(sum(p.w) FILTER (WHERE p.answered_at IS NOT NULL), 0)::integer,
           coalesce(sum(p.w) FILTER (WHERE p.status = 'completed'), 0)::integer,
           coalesce(sum(p.w) FILTER (WHERE p.status = 'busy'), 0)::integer,
           coalesce(sum(p.w) FILTER (WHERE p.status = 'refused'), 0)::integer,
           coalesce(sum(p.w) FILTER (WHERE p.status = 'canceled'), 0)::integer,
           coalesce(sum(p.w) FILTER (WHERE p.status = 'no_answer'), 0)::integer,
           coalesce(sum(p.w) FILTER (WHERE p.status = 'failed'), 0)::integer,
           coalesce(sum(p.w) FILTER (WHERE p.status = 'offline'), 0)::integer,
           coalesce(sum(p.w) FILTER (WHERE p.pstn_dialed AND p.fallback), 0)::integer,
           coalesce(sum(p.w) FILTER (WHERE p.pstn_dialed AND p.fallback AND p.answered_via = 'pstn'), 0)::integer,
           coalesce(sum(p.w) FILTER (WHERE p.answered_at IS NOT NULL AND p.billsec IS NOT NULL), 0)::integer,
           coalesce(sum(p.w * p.billsec::bigint) FILTER (WHERE p.answered_at IS NOT NULL), 0)::bigint,
           coalesce(sum(p.w) FILTER (WHERE p.ringing_at IS NOT NULL), 0)::integer,
           coalesce(sum(p.w * call_stats_us(p.ringing_at - p.created_at)), 0)::bigint,
           coalesce(call_stats_hist(CASE WHEN p.answered_at IS NOT NULL THEN call_stats_setup_bin(p.answered_at - p.created_at) END, p.w),
                    array_fill(0, ARRAY[309]))
    FROM unnest(pending) AS p
    GROUP BY 1
$$;

CREATE OR REPLACE VIEW call_stats_pending_hourly AS
    SELECT * FROM call_stats_pending_rollup(ARRAY(SELECT p FROM call_stats_pending AS p));

CREATE OR REPLACE FUNCTION call_stats_fold_pending() RETURNS integer
LANGUAGE sql AS $$
    WITH moved AS (
        DELETE FROM call_stats_pending
        RETURNING *),
    merged AS (
        INSERT INTO call_stats_hourly_stripes AS s
            (bucket_start, calls, answered, completed, busy, refused, canceled, no_answer, failed, offline,
             fallback_attempts, fallback_successes, billsec_calls, billsec_sum, rang, pdd_us_sum, setup_hist, stripe)
        SELECT r.*, 0
        FROM call_stats_pending_rollup(ARRAY(SELECT m::call_stats_pending FROM moved AS m)) AS r
        ORDER BY r.bucket_start
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
    SELECT count(*)::integer FROM moved
$$;
