-- The call stats rollup (0005, 0008, 0009) maintained by row-level triggers that add one row of deltas, instead of
-- statement-level triggers over transition tables. Measured with pgbench on the service's own statements (one call:
-- room, call insert, two transitions), the statement-level triggers were more than half of PostgreSQL's work per
-- call: 1.8 ms with them, 0.8 ms without. Each fire materialised the transition tables, aggregated them into
-- arrays of calls, unnested, grouped and filtered them, and summed a 309-bin histogram in a PL/pgSQL loop even when
-- no bin moved. The service writes one call per statement, so none of that bought anything.
--
-- Now: the update trigger fires only when a column the stats read changed (its WHEN clause, checked without
-- calling any function), and adds new-minus-old into the writer's stripe in one upsert of plain integers; a moved
-- setup time touches its two histogram bins by subscript, nothing else of the array. What is counted is unchanged
-- (call_stats_compute stays the definition, and the tests compare the rollup with it).

DROP TRIGGER calls_stats_insert ON calls;
DROP TRIGGER calls_stats_update ON calls;
DROP TRIGGER calls_stats_delete ON calls;
DROP FUNCTION call_stats_inserted();
DROP FUNCTION call_stats_updated();
DROP FUNCTION call_stats_deleted();
DROP FUNCTION call_stats_apply(calls[], calls[]);

-- The same bin as 0005's, in PL/pgSQL: the SQL version selects FROM a subquery, so it could never be inlined and the
-- SQL function executor planned it afresh at every call; PL/pgSQL keeps its expression plans for the session.
CREATE OR REPLACE FUNCTION call_stats_setup_bin(setup interval) RETURNS integer
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $$
DECLARE
    s numeric := extract(epoch FROM setup);
BEGIN
    RETURN CASE
        WHEN s < 0 THEN 1
        WHEN s < 10 THEN 1 + floor(s * 10)::integer
        WHEN s < 60 THEN 101 + floor((s - 10) * 2)::integer
        WHEN s < 600 THEN 201 + floor((s - 60) / 5)::integer
        ELSE 309
    END;
END
$$;

-- Adds new's contribution and takes away old's (either may be NULL: an insert, a delete) in the stripe of the
-- session, for the hour of `created`.
CREATE FUNCTION call_stats_add(created timestamptz, o calls, n calls) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    has_o integer := (o.id IS NOT NULL)::integer;
    has_n integer := (n.id IS NOT NULL)::integer;
    bin_o integer;
    bin_n integer;
    i1 integer := 1;
    d1 integer := 0;
    i2 integer := 1;
    d2 integer := 0;
    fresh integer[];
BEGIN
    IF has_o = 1 AND o.answered_at IS NOT NULL THEN
        bin_o := call_stats_setup_bin(o.answered_at - o.created_at);
    END IF;
    IF has_n = 1 AND n.answered_at IS NOT NULL THEN
        bin_n := call_stats_setup_bin(n.answered_at - n.created_at);
    END IF;
    -- Two (bin, delta) assignments. When only one bin moves both name it with the same delta, because of two
    -- assignments to one element in an UPDATE the last one wins.
    IF bin_n IS DISTINCT FROM bin_o THEN
        i1 := coalesce(bin_n, bin_o);
        d1 := CASE WHEN bin_n IS NOT NULL THEN 1 ELSE -1 END;
        i2 := coalesce(bin_o, bin_n);
        d2 := CASE WHEN bin_o IS NOT NULL THEN -1 ELSE 1 END;
    END IF;
    fresh := array_fill(0, ARRAY[309]);
    fresh[i1] := d1;
    fresh[i2] := d2;

    INSERT INTO call_stats_hourly_stripes AS s
        (bucket_start, stripe, calls, answered, completed, busy, refused, canceled, no_answer, failed, offline,
         fallback_attempts, fallback_successes, billsec_calls, billsec_sum, rang, pdd_us_sum, setup_hist)
    VALUES (
        date_trunc('hour', created, 'UTC'),
        call_stats_stripe(),
        has_n - has_o,
        (has_n = 1 AND n.answered_at IS NOT NULL)::integer - (has_o = 1 AND o.answered_at IS NOT NULL)::integer,
        (has_n = 1 AND n.status = 'completed')::integer - (has_o = 1 AND o.status = 'completed')::integer,
        (has_n = 1 AND n.status = 'busy')::integer - (has_o = 1 AND o.status = 'busy')::integer,
        (has_n = 1 AND n.status = 'refused')::integer - (has_o = 1 AND o.status = 'refused')::integer,
        (has_n = 1 AND n.status = 'canceled')::integer - (has_o = 1 AND o.status = 'canceled')::integer,
        (has_n = 1 AND n.status = 'no_answer')::integer - (has_o = 1 AND o.status = 'no_answer')::integer,
        (has_n = 1 AND n.status = 'failed')::integer - (has_o = 1 AND o.status = 'failed')::integer,
        (has_n = 1 AND n.status = 'offline')::integer - (has_o = 1 AND o.status = 'offline')::integer,
        (has_n = 1 AND n.pstn_dialed_at IS NOT NULL AND n.fallback_reason IS NOT NULL)::integer
            - (has_o = 1 AND o.pstn_dialed_at IS NOT NULL AND o.fallback_reason IS NOT NULL)::integer,
        (has_n = 1 AND n.pstn_dialed_at IS NOT NULL AND n.fallback_reason IS NOT NULL AND n.answered_via IS NOT DISTINCT FROM 'pstn')::integer
            - (has_o = 1 AND o.pstn_dialed_at IS NOT NULL AND o.fallback_reason IS NOT NULL AND o.answered_via IS NOT DISTINCT FROM 'pstn')::integer,
        (has_n = 1 AND n.answered_at IS NOT NULL AND n.billsec IS NOT NULL)::integer
            - (has_o = 1 AND o.answered_at IS NOT NULL AND o.billsec IS NOT NULL)::integer,
        coalesce(CASE WHEN has_n = 1 AND n.answered_at IS NOT NULL THEN n.billsec END, 0)::bigint
            - coalesce(CASE WHEN has_o = 1 AND o.answered_at IS NOT NULL THEN o.billsec END, 0),
        (has_n = 1 AND n.ringing_at IS NOT NULL)::integer - (has_o = 1 AND o.ringing_at IS NOT NULL)::integer,
        coalesce(CASE WHEN has_n = 1 THEN call_stats_us(n.ringing_at - n.created_at) END, 0)
            - coalesce(CASE WHEN has_o = 1 THEN call_stats_us(o.ringing_at - o.created_at) END, 0),
        fresh)
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
        setup_hist[i1] = s.setup_hist[i1] + d1,
        setup_hist[i2] = s.setup_hist[i2] + d2;
END
$$;

CREATE FUNCTION call_stats_row_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM call_stats_add(NEW.created_at, NULL, NEW);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM call_stats_add(OLD.created_at, OLD, NULL);
    ELSIF date_trunc('hour', OLD.created_at, 'UTC') = date_trunc('hour', NEW.created_at, 'UTC') THEN
        PERFORM call_stats_add(NEW.created_at, OLD, NEW);
    ELSE
        -- The call moved to another hour: out of the old one, into the new one.
        PERFORM call_stats_add(OLD.created_at, OLD, NULL);
        PERFORM call_stats_add(NEW.created_at, NULL, NEW);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER calls_stats_insert AFTER INSERT ON calls
    FOR EACH ROW EXECUTE FUNCTION call_stats_row_changed();
-- The columns the stats read (as 0005's update trigger compared them): any other update does not fire at all.
CREATE TRIGGER calls_stats_update AFTER UPDATE ON calls
    FOR EACH ROW
    WHEN ((OLD.created_at, OLD.status, OLD.answered_at, OLD.ringing_at, OLD.billsec, OLD.answered_via,
           OLD.pstn_dialed_at IS NULL, OLD.fallback_reason IS NULL)
          IS DISTINCT FROM
          (NEW.created_at, NEW.status, NEW.answered_at, NEW.ringing_at, NEW.billsec, NEW.answered_via,
           NEW.pstn_dialed_at IS NULL, NEW.fallback_reason IS NULL))
    EXECUTE FUNCTION call_stats_row_changed();
CREATE TRIGGER calls_stats_delete AFTER DELETE ON calls
    FOR EACH ROW EXECUTE FUNCTION call_stats_row_changed();
