-- Call outcome analytics per UTC hour, kept exact by triggers on calls, so that stats for a month read ~720 rows
-- instead of aggregating ~1M calls (a sequential scan and a sort: seconds at 10M calls).
--
-- Exactness: every INSERT, UPDATE and DELETE statement on calls subtracts the old rows' contribution and adds the
-- new rows' in the same transaction (an idempotent re-write of the same values changes nothing). The upsert on an
-- hour row takes its row lock and adds to the latest committed figures, so concurrent writers add up under READ
-- COMMITTED (under REPEATABLE READ a concurrent writer gets a serialization failure to retry, never a lost count).
-- TRUNCATE of calls empties the rollup. A bulk load with triggers off (session_replication_role = replica, as
-- bench/cdr-query does) must call call_stats_rebuild() afterwards. Applying this script backfills the rollup from
-- every call while it holds the trigger lock on calls: writes to calls wait for it (minutes at 10M calls).
--
-- Setup time (created_at to answered_at) is kept as a histogram of 309 fixed bins, because percentiles cannot be
-- summed across hours: 0.1 s wide below 10 s, 0.5 s wide from 10 s to 60 s, 5 s wide from 60 s to 600 s, and one
-- open bin for 600 s or more. The admin API reports a percentile as the upper edge of the bin holding it.

CREATE TABLE call_stats_hourly (
    bucket_start       timestamptz PRIMARY KEY,
    calls              integer   NOT NULL,
    answered           integer   NOT NULL,
    completed          integer   NOT NULL,
    busy               integer   NOT NULL,
    refused            integer   NOT NULL,
    canceled           integer   NOT NULL,
    no_answer          integer   NOT NULL,
    failed             integer   NOT NULL,
    offline            integer   NOT NULL,
    -- Fallback used: a carrier leg dialed for a reason; its success: answered on that leg.
    fallback_attempts  integer   NOT NULL,
    fallback_successes integer   NOT NULL,
    -- ACD: answered calls with a billsec, and the sum of those billsecs.
    billsec_calls      integer   NOT NULL,
    billsec_sum        bigint    NOT NULL,
    -- PDD: calls that rang, and the sum of their created_at-to-ringing_at delays in microseconds (exact).
    rang               integer   NOT NULL,
    pdd_us_sum         bigint    NOT NULL,
    -- Answered calls per setup-time bin (call_stats_setup_bin), 309 entries.
    setup_hist         integer[] NOT NULL
) WITH (fillfactor = 50); -- room for HOT updates: the hour row of a busy hour is rewritten on every call change

-- The histogram bin (1..309) of a setup time; negative times (clock skew) count in the first bin.
CREATE FUNCTION call_stats_setup_bin(setup interval) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE
        WHEN s < 0 THEN 1
        WHEN s < 10 THEN 1 + floor(s * 10)::integer
        WHEN s < 60 THEN 101 + floor((s - 10) * 2)::integer
        WHEN s < 600 THEN 201 + floor((s - 60) / 5)::integer
        ELSE 309
    END
    FROM (SELECT extract(epoch FROM setup) AS s) AS t
$$;

CREATE FUNCTION call_stats_hist_add(hist integer[], bin integer, delta integer) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    h integer[] := coalesce(hist, array_fill(0, ARRAY[309]));
BEGIN
    IF bin IS NOT NULL THEN
        h[bin] := h[bin] + delta;
    END IF;
    RETURN h;
END
$$;

-- Elementwise sum of two histograms.
CREATE FUNCTION call_stats_hist_sum(a integer[], b integer[]) RETURNS integer[]
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
    h integer[] := a;
BEGIN
    FOR i IN 1 .. 309 LOOP
        h[i] := h[i] + b[i];
    END LOOP;
    RETURN h;
END
$$;

-- The histogram of the bins it is given, each counted weight times (NULL bins, unanswered calls, count nowhere).
CREATE AGGREGATE call_stats_hist(integer, integer) (SFUNC = call_stats_hist_add, STYPE = integer[]);

CREATE FUNCTION call_stats_us(span interval) RETURNS bigint
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT (extract(epoch FROM span) * 1000000)::bigint
$$;

-- The stats of the calls created in [from_at, to_at), per UTC hour, computed from calls: the definition the
-- triggers below keep call_stats_hourly equal to, and what the admin API reads for partial hours. The histogram is
-- built from (hour, bin) counts, so the aggregate's PL/pgSQL step runs once per bin in use, not once per call.
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

-- Adds the calls in added and takes away those in removed, hour by hour: the same figures as call_stats_compute,
-- each row weighted +1 or -1. Hour rows are upserted in time order, so two statements lock them in the same order.
CREATE FUNCTION call_stats_apply(added calls[], removed calls[]) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO call_stats_hourly AS s
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
           call_stats_hist(CASE WHEN answered_at IS NOT NULL THEN call_stats_setup_bin(answered_at - created_at) END, w)
    FROM (SELECT a.*, 1 AS w FROM unnest(added) AS a
          UNION ALL
          SELECT r.*, -1 AS w FROM unnest(removed) AS r) AS c
    GROUP BY 1
    ORDER BY 1
    ON CONFLICT (bucket_start) DO UPDATE SET
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

-- Statement triggers with transition tables: a bulk insert costs one upsert per hour it touches, not one per row.
CREATE FUNCTION call_stats_inserted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM call_stats_apply(ARRAY(SELECT n::calls FROM new_calls AS n), '{}');
    RETURN NULL;
END
$$;

CREATE FUNCTION call_stats_deleted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM call_stats_apply('{}', ARRAY(SELECT o::calls FROM old_calls AS o));
    RETURN NULL;
END
$$;

-- Only rows whose stats columns changed count (most updates move version, ring_deadline, hangup cause...); an
-- update that changes none of them, or matches no row (a version conflict), writes nothing.
CREATE FUNCTION call_stats_updated() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    added calls[];
    removed calls[];
BEGIN
    SELECT array_agg(n::calls), array_agg(o::calls)
    INTO added, removed
    FROM new_calls AS n
    JOIN old_calls AS o ON o.id = n.id
    WHERE (o.created_at, o.status, o.answered_at, o.ringing_at, o.billsec, o.answered_via,
           o.pstn_dialed_at IS NULL, o.fallback_reason IS NULL)
          IS DISTINCT FROM
          (n.created_at, n.status, n.answered_at, n.ringing_at, n.billsec, n.answered_via,
           n.pstn_dialed_at IS NULL, n.fallback_reason IS NULL);
    IF added IS NOT NULL THEN
        PERFORM call_stats_apply(added, removed);
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION call_stats_clear() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE call_stats_hourly;
    RETURN NULL;
END
$$;

-- Recomputes the whole rollup from calls (after a bulk load that bypassed the triggers).
CREATE FUNCTION call_stats_rebuild() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM call_stats_hourly;
    INSERT INTO call_stats_hourly SELECT * FROM call_stats_compute('-infinity', 'infinity');
$$;

CREATE TRIGGER calls_stats_insert AFTER INSERT ON calls
    REFERENCING NEW TABLE AS new_calls
    FOR EACH STATEMENT EXECUTE FUNCTION call_stats_inserted();
CREATE TRIGGER calls_stats_update AFTER UPDATE ON calls
    REFERENCING OLD TABLE AS old_calls NEW TABLE AS new_calls
    FOR EACH STATEMENT EXECUTE FUNCTION call_stats_updated();
CREATE TRIGGER calls_stats_delete AFTER DELETE ON calls
    REFERENCING OLD TABLE AS old_calls
    FOR EACH STATEMENT EXECUTE FUNCTION call_stats_deleted();
CREATE TRIGGER calls_stats_truncate AFTER TRUNCATE ON calls
    FOR EACH STATEMENT EXECUTE FUNCTION call_stats_clear();

SELECT call_stats_rebuild();
