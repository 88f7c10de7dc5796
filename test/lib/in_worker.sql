-- pg_temp.in_worker(on): run whole queries inside a parallel worker (on) or
-- not (off) for the rest of the transaction: force_parallel_mode, called
-- debug_parallel_query from PostgreSQL 16.
CREATE OR REPLACE FUNCTION pg_temp.in_worker(on_ boolean) RETURNS void LANGUAGE sql AS $$
SELECT set_config(name, CASE WHEN on_ THEN 'on' ELSE 'off' END, true) FROM pg_settings
WHERE name IN ('force_parallel_mode', 'debug_parallel_query');
$$;
