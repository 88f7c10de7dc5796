-- pg_temp.plan_of(query [, with_verbose]): the EXPLAIN ANALYZE plan of a query,
-- as text, so that pgTAP suites can assert the plan shape (workers
-- launched, partial aggregation) before comparing results.  With with_verbose,
-- the per-worker lines ("Worker 0:  actual rows=N") show whether each
-- worker got rows.
CREATE FUNCTION pg_temp.plan_of(query text, with_verbose boolean DEFAULT false) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, ' || CASE WHEN with_verbose THEN 'VERBOSE, ' ELSE '' END
                        || 'COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END $$;
-- pg_temp.verbose_plan_of(query): plan_of with VERBOSE.
CREATE FUNCTION pg_temp.verbose_plan_of(query text) RETURNS text LANGUAGE sql AS $$
    SELECT pg_temp.plan_of(query, true)
$$;
-- pg_temp.paced(n, every): true, after a 2 ms pause when n is a multiple
-- of `every` (default 50): a filter that slows a scan of a small table
-- down enough that every worker gets rows (otherwise the first process to
-- start can read the whole table before the others begin, and no partial
-- states meet).
CREATE FUNCTION pg_temp.paced(n bigint, every int DEFAULT 50) RETURNS boolean LANGUAGE plpgsql PARALLEL SAFE AS $$
BEGIN
    IF n % every = 0 THEN
        PERFORM pg_sleep(0.002);
    END IF;
    RETURN true;
END $$;
