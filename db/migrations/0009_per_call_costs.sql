-- Two costs PostgreSQL paid on every call, measured with pg_stat_statements under bench/load (40 calls/s):
--
-- 1. The call stats rollup's apply function (0005, 0008) was LANGUAGE sql: a non-inlinable SQL function is parsed and
--    planned again at every call, 2.7 ms per call transition and 1.8 ms per new call, a quarter of all statement time.
--    Rewritten in PL/pgSQL with the same statement, whose plan each session caches. What it computes is unchanged.
-- 2. A leg's variables (~7.5 KB) and its mod_json_cdr document (~10 KB) are over the TOAST threshold and were
--    compressed with pglz at each of the leg's two upserts. lz4 compresses them several times faster at a similar
--    ratio. Only new values use it; old ones stay readable as they are. Skipped on a server built without lz4.

CREATE OR REPLACE FUNCTION call_stats_apply(added calls[], removed calls[]) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO call_stats_hourly_stripes AS s
        SELECT date_trunc('hour', created_at, 'UTC'),
               sum(w),
               coalesce(sum(w) FILTER (WHERE answered_at IS NOT NULL), 0),
               coalesce(sum(w) FILTER (WHERE status = 'completed'), 0),
               coalesce(sum(w) FILTER (WHERE status = 'busy'), 0),
               coalesce(sum(w) FILTER (WHERE status = 'refused'), 0),
               coalesce(sum(w) FILTER (WHERE status = 'canceled'), 0),
               coalesce(sum(w) FILTER (WHERE status = 'no_answer'), 0),
               coalesce(sum(w) FILTER (WHERE status = 'failed'), 0),
               coalesce(sum(w) FILTER (WHERE status = 'offline'), 0),
               coalesce(sum(w) FILTER (WHERE pstn_dialed_at IS NOT NULL AND fallback_reason IS NOT NULL), 0),
               coalesce(sum(w) FILTER (WHERE pstn_dialed_at IS NOT NULL AND fallback_reason IS NOT NULL
                                         AND answered_via = 'pstn'), 0),
               coalesce(sum(w) FILTER (WHERE answered_at IS NOT NULL AND billsec IS NOT NULL), 0),
               coalesce(sum(w * billsec) FILTER (WHERE answered_at IS NOT NULL), 0),
               coalesce(sum(w) FILTER (WHERE ringing_at IS NOT NULL), 0),
               coalesce(sum(w * call_stats_us(ringing_at - created_at)), 0),
               call_stats_hist(CASE WHEN answered_at IS NOT NULL THEN call_stats_setup_bin(answered_at - created_at) END, w),
               call_stats_stripe()
        FROM (SELECT a.*, 1 AS w FROM unnest(added) AS a
              UNION ALL
              SELECT r.*, -1 AS w FROM unnest(removed) AS r) AS c
        GROUP BY 1
        ORDER BY 1
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
            setup_hist = call_stats_hist_sum(s.setup_hist, excluded.setup_hist);
END
$$;

DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE call_legs
            ALTER COLUMN variables SET COMPRESSION lz4,
            ALTER COLUMN json_cdr SET COMPRESSION lz4;
    END IF;
END
$$;
