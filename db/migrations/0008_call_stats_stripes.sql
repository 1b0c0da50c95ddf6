-- The hourly call stats rollup (0005) without its hot row. In 0005 every change to a call upserted the one row of
-- its hour, so every writer of the busy hour queued behind the row lock of the one before it until that transaction
-- committed (bench/load: INSERT INTO calls waiting on Lock:transactionid, 30 deep at 50 calls/s). Now each hour has
-- up to 33 rows ("stripes"): a writer adds into stripe 1 + (its backend pid mod 32), so concurrent transactions on
-- different connections touch different rows; stripe 0 holds what call_stats_fold() has merged. call_stats_hourly
-- becomes a view summing the stripes of each hour, with the same columns as before, so readers do not change.
-- The figures stay exact: every change still adds its delta in its own transaction; only where it is added moved.
-- call_stats_fold(before) merges the stripes of the hours before `before` into stripe 0 (the service runs it every
-- few minutes), so a month's stats read ~720 rows plus the stripes of the last hours.

DROP FUNCTION call_stats_rebuild();
DROP FUNCTION call_stats_compute(timestamptz, timestamptz);

ALTER TABLE call_stats_hourly RENAME TO call_stats_hourly_stripes;
ALTER TABLE call_stats_hourly_stripes ADD COLUMN stripe smallint NOT NULL DEFAULT 0;
ALTER TABLE call_stats_hourly_stripes DROP CONSTRAINT call_stats_hourly_pkey;
ALTER TABLE call_stats_hourly_stripes ADD CONSTRAINT call_stats_hourly_stripes_pkey PRIMARY KEY (bucket_start, stripe);

-- Elementwise sum, strict: as an aggregate's step, the first histogram is the start value, and a single stripe
-- costs no loop at all.
CREATE FUNCTION call_stats_hist_plus(a integer[], b integer[]) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    h integer[] := a;
BEGIN
    FOR i IN 1 .. 309 LOOP
        h[i] := h[i] + b[i];
    END LOOP;
    RETURN h;
END
$$;

CREATE AGGREGATE call_stats_hist_total(integer[]) (SFUNC = call_stats_hist_plus, STYPE = integer[]);

CREATE VIEW call_stats_hourly AS
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
    FROM call_stats_hourly_stripes
    GROUP BY bucket_start;

-- The stripe this session writes into: 1..32 (0 is call_stats_fold's).
CREATE FUNCTION call_stats_stripe() RETURNS smallint
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
    SELECT (1 + pg_backend_pid() % 32)::smallint
$$;

-- As in 0005; it now returns the view's row type (the same columns).
CREATE FUNCTION call_stats_compute(from_at timestamptz, to_at timestamptz) RETURNS SETOF call_stats_hourly
LANGUAGE sql STABLE AS $$
    WITH figures AS (
        SELECT date_trunc('hour', created_at, 'UTC') AS hour,
               count(*)::integer AS calls,
               count(*) FILTER (WHERE answered_at IS NOT NULL)::integer AS answered,
               count(*) FILTER (WHERE status = 'completed')::integer AS completed,
               count(*) FILTER (WHERE status = 'busy')::integer AS busy,
               count(*) FILTER (WHERE status = 'refused')::integer AS refused,
               count(*) FILTER (WHERE status = 'canceled')::integer AS canceled,
               count(*) FILTER (WHERE status = 'no_answer')::integer AS no_answer,
               count(*) FILTER (WHERE status = 'failed')::integer AS failed,
               count(*) FILTER (WHERE status = 'offline')::integer AS offline,
               count(*) FILTER (WHERE pstn_dialed_at IS NOT NULL AND fallback_reason IS NOT NULL)::integer AS fallback_attempts,
               count(*) FILTER (WHERE pstn_dialed_at IS NOT NULL AND fallback_reason IS NOT NULL
                                  AND answered_via = 'pstn')::integer AS fallback_successes,
               count(billsec) FILTER (WHERE answered_at IS NOT NULL)::integer AS billsec_calls,
               coalesce(sum(billsec) FILTER (WHERE answered_at IS NOT NULL), 0)::bigint AS billsec_sum,
               count(*) FILTER (WHERE ringing_at IS NOT NULL)::integer AS rang,
               coalesce(sum(call_stats_us(ringing_at - created_at)), 0)::bigint AS pdd_us_sum
        FROM calls
        WHERE created_at >= from_at
          AND created_at < to_at
        GROUP BY 1),
    bins AS (
        SELECT date_trunc('hour', created_at, 'UTC') AS hour,
               call_stats_setup_bin(answered_at - created_at) AS bin,
               count(*)::integer AS answered
        FROM calls
        WHERE created_at >= from_at
          AND created_at < to_at
          AND answered_at IS NOT NULL
        GROUP BY 1, 2),
    hists AS (
        SELECT hour, call_stats_hist(bin, answered) AS setup_hist
        FROM bins
        GROUP BY hour)
    SELECT f.*, coalesce(h.setup_hist, array_fill(0, ARRAY[309]))
    FROM figures AS f
    LEFT JOIN hists AS h ON h.hour = f.hour
$$;

-- As in 0005, adding into this session's stripe.
CREATE OR REPLACE FUNCTION call_stats_apply(added calls[], removed calls[]) RETURNS void
LANGUAGE sql AS $$
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
        setup_hist = call_stats_hist_sum(s.setup_hist, excluded.setup_hist)
$$;

-- Recomputes the whole rollup from calls (after a bulk load that bypassed the triggers), into stripe 0.
CREATE FUNCTION call_stats_rebuild() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM call_stats_hourly_stripes;
    INSERT INTO call_stats_hourly_stripes SELECT c.*, 0 FROM call_stats_compute('-infinity', 'infinity') AS c;
$$;

-- Merges the writers' stripes of every hour before `before` into the hour's stripe 0, in one statement (the rows it
-- deletes are locked until it commits, so a concurrent fold finds them gone and merges nothing twice); how many
-- hours it merged. A writer that adds to such an hour later simply starts a new stripe row for the next fold.
CREATE FUNCTION call_stats_fold(before timestamptz) RETURNS integer
LANGUAGE sql AS $$
    WITH moved AS (
        DELETE FROM call_stats_hourly_stripes
        WHERE stripe <> 0
          AND bucket_start < before
        RETURNING *),
    merged AS (
        INSERT INTO call_stats_hourly_stripes AS s
        SELECT bucket_start,
               sum(calls),
               sum(answered),
               sum(completed),
               sum(busy),
               sum(refused),
               sum(canceled),
               sum(no_answer),
               sum(failed),
               sum(offline),
               sum(fallback_attempts),
               sum(fallback_successes),
               sum(billsec_calls),
               sum(billsec_sum),
               sum(rang),
               sum(pdd_us_sum),
               call_stats_hist_total(setup_hist),
               0
        FROM moved
        GROUP BY bucket_start
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
            setup_hist = call_stats_hist_sum(s.setup_hist, excluded.setup_hist)
        RETURNING 1)
    SELECT count(*)::integer FROM merged
$$;

-- TRUNCATE calls empties the rollup (the table now; the view has nothing to truncate).
CREATE OR REPLACE FUNCTION call_stats_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE call_stats_hourly_stripes;
    RETURN NULL;
END
$$;
