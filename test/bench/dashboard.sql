-- Dashboard benchmark (issue 17); run by test/bench/bench.sh after the main
-- benchmark, or alone with `BENCH=dashboard make bench`.  Three figures,
-- each as a ratio to a query of the same run:
--
--   1. merge: 365 days x 20 segments of stored people funnels (7,300 rows)
--      merged with rollup into one people funnel and its
--      funnel_people_steps, against reading (detoasting) those rows;
--   2. 30-day report: the people funnel of 30 days from the stored days,
--      against the same report from the raw events (it must be at least
--      100 times faster, with the same answer, which is checked), at the
--      scale of issue 17's measurement: 92 days of about 75,000 events a
--      day from 700,000 users;
--   3. size: one stored day of about 500,000 distinct users (ids drawn from
--      1..700,000), in bytes per entity per step.
--
-- Paired medians as in bench.sql: each run of a query follows a run of the
-- query it is compared with.  Serial, JIT off.
SET jit = off;
SET timezone = 'UTC';
SET max_parallel_workers_per_gather = 0;
\if :{?runs}
\else
\set runs 5
\endif

-- Milliseconds one run of sql takes.
CREATE FUNCTION pg_temp.time_ms(sql text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE sql;
    RETURN extract(epoch FROM clock_timestamp() - t0) * 1000;
END $$;

-- Median times of `query` and `base`, and the median of query/base over
-- runs in which each query run follows a base run.
CREATE FUNCTION pg_temp.paired(base text, query text, runs int,
                               OUT base_ms float8, OUT query_ms float8, OUT ratio float8)
LANGUAGE plpgsql AS $$
DECLARE
    b float8[] := '{}';
    q float8[] := '{}';
    r float8[] := '{}';
    tb float8;
    tq float8;
BEGIN
    EXECUTE base;
    EXECUTE query;
    FOR i IN 1 .. runs LOOP
        tb := pg_temp.time_ms(base);
        tq := pg_temp.time_ms(query);
        b := b || tb;
        q := q || tq;
        r := r || (tq / tb);
    END LOOP;
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) INTO base_ms FROM unnest(b) x;
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) INTO query_ms FROM unnest(q) x;
    SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) INTO ratio FROM unnest(r) x;
END $$;

CREATE TEMP TABLE dashboard_bench (figure text, query text, query_ms float8,
                                   compared_with text, base_ms float8, ratio float8);

-- 1: a year of events, 5,000 sessions a day from 500,000 users
\echo generating 365 days of events ...
\set days 365
\set daily 5000
\set population 500000
\i test/data/daily_events.sql
CREATE INDEX ON site_events (ts);

CREATE TABLE stored_days (day date, segment int, f funnel, PRIMARY KEY (day, segment));
-- lz4 (PostgreSQL 14+) rather than the default pglz: a stored day of people
-- is a few kB, read whole by every report, and lz4 decompresses it several
-- times faster (doc/dashboards.md, Sizes)
ALTER TABLE stored_days ALTER COLUMN f SET COMPRESSION lz4;
CREATE FUNCTION pg_temp.store_day(d date) RETURNS void LANGUAGE sql AS $$
    INSERT INTO stored_days (day, segment, f)
    SELECT d, user_id % 20, rollup(f, user_id)
    FROM (SELECT user_id,
                 funnel_agg(interval '1 day',
                            format('entry_from=%s, entry_before=%s', d::timestamptz, (d + 1)::timestamptz),
                            ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
          FROM site_events
          WHERE ts >= d::timestamptz AND ts <= (d + 1)::timestamptz + interval '1 day'
          GROUP BY user_id) per_user
    GROUP BY user_id % 20
    ON CONFLICT (day, segment) DO UPDATE SET f = excluded.f
$$;
\echo storing 365 days x 20 segments ...
SELECT count(*) AS days_stored
FROM (SELECT pg_temp.store_day(d::date)
      FROM generate_series(date '2026-01-01', date '2026-12-31', interval '1 day') d) s;
VACUUM (FREEZE, ANALYZE) stored_days;

\set read_rows 'SELECT sum(entities(f)) FROM stored_days'
\set merge_rows 'SELECT count(*) FROM funnel_people_steps((SELECT rollup(f) FROM stored_days))'
INSERT INTO dashboard_bench
SELECT 'merge 7,300 stored days', 'rollup + funnel_people_steps', query_ms,
       'read them: sum(entities(f))', base_ms, ratio
FROM pg_temp.paired(:'read_rows', :'merge_rows', :runs);

-- 2: 92 days of 40,000 sessions a day (about 75,000 events) from 700,000 users
\echo generating 92 days of events ...
\set days 92
\set daily 40000
\set population 700000
\i test/data/daily_events.sql
CREATE INDEX ON site_events (ts);
TRUNCATE stored_days;
\echo storing 92 days x 20 segments ...
SELECT count(*) AS days_stored
FROM (SELECT pg_temp.store_day(d::date)
      FROM generate_series(date '2026-01-01', date '2026-04-02', interval '1 day') d) s;
VACUUM (FREEZE, ANALYZE) stored_days;
SELECT count(*) AS events, count(DISTINCT user_id) AS users FROM site_events;
\set read_30 'SELECT sum(entities(f)) FROM stored_days WHERE day >= date ''2026-02-01'' AND day < date ''2026-03-03'''
\set stored_30 'SELECT array_agg(people ORDER BY step) FROM funnel_people_steps((SELECT rollup(f) FROM stored_days WHERE day >= date ''2026-02-01'' AND day < date ''2026-03-03''))'
\set raw_30 'SELECT array_agg(people ORDER BY step) FROM funnel_people_steps((SELECT rollup(f, user_id) FROM (SELECT user_id, funnel_agg(interval ''1 day'', ''entry_from=2026-02-01 00:00:00+00, entry_before=2026-03-03 00:00:00+00'', ts, event, ARRAY[''view'', ''cart'', ''checkout'', ''purchase'']) AS f FROM site_events WHERE ts >= ''2026-02-01 00:00:00+00'' AND ts <= ''2026-03-04 00:00:00+00'' GROUP BY user_id) per_user))'
INSERT INTO dashboard_bench
SELECT '30-day people report', 'from 600 stored rows (92-day log)', query_ms,
       'from raw events', base_ms, ratio
FROM pg_temp.paired(:'raw_30', :'stored_30', :runs);
INSERT INTO dashboard_bench
SELECT '30-day people report', 'from 600 stored rows (92-day log)', query_ms,
       'read them: sum(entities(f))', base_ms, ratio
FROM pg_temp.paired(:'read_30', :'stored_30', :runs);
\echo 30-day people per step, stored days and raw events (must be equal):
SELECT (:stored_30) AS stored, (:raw_30) AS raw, (:stored_30) = (:raw_30) AS same;

-- 3: one day of about 500,000 distinct users
\echo generating one day of about 500,000 users ...
\set days 1
\set daily 877000
\set population 700000
\i test/data/daily_events.sql
CREATE TEMP TABLE big_day AS
SELECT f, pg_column_size(f) AS raw_bytes
FROM (SELECT rollup(f, user_id) AS f
FROM (SELECT user_id, funnel_agg(interval '1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
      FROM site_events GROUP BY user_id) per_user) day;

\pset footer off
\echo
\echo Dashboard: median times; ratio: median of query run / compared run (paired)
SELECT figure, query, round(query_ms::numeric, 2) AS query_ms, compared_with,
       round(base_ms::numeric, 2) AS compared_ms, round(ratio::numeric, 3) AS ratio,
       round((1 / ratio)::numeric, 1) AS times_faster
FROM dashboard_bench;
\echo One stored day: size per entity and step
SELECT entities(f) AS users, people_reached(f, 1) AS viewed, people_reached(f, 4) AS purchased,
       raw_bytes, pg_column_size(f) AS stored_bytes,
       round(raw_bytes::numeric / (entities(f) * 4), 3) AS bytes_per_entity_per_step,
       (SELECT round(avg(pg_column_size(f))) FROM stored_days) AS avg_stored_bytes_92_day_log
FROM big_day;
