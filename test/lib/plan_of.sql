-- pg_temp.plan_of(query): the EXPLAIN ANALYZE plan of a query, as text, so
-- that pgTAP suites can assert the plan shape (workers launched, partial
-- aggregation) before comparing results.
CREATE FUNCTION pg_temp.plan_of(query text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    line text;
    plan text := '';
BEGIN
    FOR line IN EXECUTE 'EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) ' || query LOOP
        plan := plan || line || E'\n';
    END LOOP;
    RETURN plan;
END $$;
