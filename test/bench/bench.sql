-- Benchmark queries; run by test/bench/bench.sh on the generated `events`
-- table.  Every query runs :runs times after one warm-up run; each run is
-- timed right after a run of the floor query of the same layout, workers
-- and work_mem, and the median of those ratios is reported (this machine's
-- speed drifts by ±20% within minutes, which unpaired medians do not
-- survive), with the medians of both times.  JIT is off throughout.
--
-- Layouts: `arrival` is the generator's table (an append-only event log in
-- timestamp order, 5% of events late); `shuffled` is the same rows in random
-- order across users, the worst case for hash aggregation's memory access.
-- work_mem: the server default (4MB; hash aggregation over many users spills
-- to disk in batches) and 1GB (no spill: one big in-memory hash table).
-- `columns` is the arrival layout with the channel also in a column of its
-- own, for holding it constant without reading props.
-- `stored` is a table of 1,000,000 one-user funnels (the arrival layout's
-- per-user funnel_agg results, repeated), for rollup alone; its floor reads
-- the same column.
SET jit = off;
SET timezone = 'UTC';

CREATE TEMP TABLE bench (query text, layout text, workers int, work_mem text,
                         runs int, median_ms float8, sql text,
                         floor_ms float8, ratio float8);

-- Milliseconds one run of sql takes.
CREATE FUNCTION pg_temp.time_ms(sql text) RETURNS float8 LANGUAGE plpgsql AS $$
DECLARE
    t0 timestamptz := clock_timestamp();
BEGIN
    EXECUTE sql;
    RETURN extract(epoch FROM clock_timestamp() - t0) * 1000;
END $$;

-- Time `query` (with %1$s standing for the table) and record its median.
-- A floor query (name 'floor...') is recorded first for each layout,
-- workers and work_mem; every other query's run is paired with a run of it.
CREATE FUNCTION pg_temp.bench(query_name text, layout text, workers int, mem text,
                              runs int, query text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    times float8[] := '{}';
    floors float8[] := '{}';
    ratios float8[] := '{}';
    sql text := format(query, CASE layout WHEN 'shuffled' THEN 'events_shuffled'
                                          WHEN 'columns' THEN 'events_cols' ELSE 'events' END);
    floor_sql text;
    f float8;
    t float8;
BEGIN
    PERFORM set_config('max_parallel_workers_per_gather', workers::text, true);
    PERFORM set_config('work_mem', mem, true);
    IF query_name NOT LIKE 'floor%' THEN
        SELECT b.sql INTO floor_sql FROM bench b
        WHERE b.query LIKE 'floor%' AND b.layout = bench.layout AND b.workers = bench.workers
          AND b.work_mem = mem;
    END IF;
    EXECUTE sql;
    FOR i IN 1 .. runs LOOP
        IF floor_sql IS NOT NULL THEN
            f := pg_temp.time_ms(floor_sql);
            floors := floors || f;
        END IF;
        t := pg_temp.time_ms(sql);
        times := times || t;
        IF floor_sql IS NOT NULL THEN
            ratios := ratios || (t / f);
        END IF;
    END LOOP;
    INSERT INTO bench
    SELECT query_name, layout, workers, mem, runs,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(times) x), sql,
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(floors) x),
           (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY x) FROM unnest(ratios) x);
END $$;

\set floor 'SELECT count(*) FROM (SELECT user_id, count(*) FROM %1$s GROUP BY user_id) s'
\set funnel 'SELECT level, count(*) FROM (SELECT user_id, window_funnel(interval ''1 day'', ts, event = ''view'', event = ''cart'', event = ''checkout'', event = ''purchase'') AS level FROM %1$s GROUP BY user_id) s GROUP BY level'
-- Lower bound for any aggregate with window_funnel's signature: evaluate the
-- same four conditions into a VARIADIC-style boolean[] per row, and use it.
\set args_only 'SELECT count(*) FROM (SELECT user_id, count(*) FILTER (WHERE (ARRAY[event = ''view'', event = ''cart'', event = ''checkout'', event = ''purchase''])[1]) AS c FROM %1$s GROUP BY user_id) s WHERE c >= 0'
\set funnel_strict 'SELECT level, count(*) FROM (SELECT user_id, window_funnel(interval ''1 day'', ''strict_order'', ts, event = ''view'', event = ''cart'', event = ''checkout'', event = ''purchase'') AS level FROM %1$s GROUP BY user_id) s GROUP BY level'
-- The funnel as people write it without the extension: each step is the
-- first matching event after the previous step, within a day of the user's
-- first view.  (Not even the same answer: it only tries the first view.)
\set plain_sql 'WITH s1 AS (SELECT user_id, min(ts) AS t1 FROM %1$s WHERE event = ''view'' GROUP BY user_id), s2 AS (SELECT s1.user_id, s1.t1, min(e.ts) AS t2 FROM s1 JOIN %1$s e ON e.user_id = s1.user_id AND e.event = ''cart'' AND e.ts >= s1.t1 AND e.ts <= s1.t1 + interval ''1 day'' GROUP BY s1.user_id, s1.t1), s3 AS (SELECT s2.user_id, s2.t1, min(e.ts) AS t3 FROM s2 JOIN %1$s e ON e.user_id = s2.user_id AND e.event = ''checkout'' AND e.ts >= s2.t2 AND e.ts <= s2.t1 + interval ''1 day'' GROUP BY s2.user_id, s2.t1), s4 AS (SELECT DISTINCT s3.user_id FROM s3 JOIN %1$s e ON e.user_id = s3.user_id AND e.event = ''purchase'' AND e.ts >= s3.t3 AND e.ts <= s3.t1 + interval ''1 day''), levels AS (SELECT s1.user_id, 1 + (s2.user_id IS NOT NULL)::int + (s3.user_id IS NOT NULL)::int + (s4.user_id IS NOT NULL)::int AS level FROM s1 LEFT JOIN s2 USING (user_id) LEFT JOIN s3 USING (user_id) LEFT JOIN s4 USING (user_id)) SELECT level, count(*) FROM levels GROUP BY level'
-- funnel_agg: the full report (per-user funnel, rollup, one row per step),
-- funnel_agg alone (max_step is a cheap way to use each user's funnel), and
-- the report with steps named by event instead of four conditions.
\set funnel_report 'SELECT s.* FROM (SELECT rollup(f) AS f FROM (SELECT user_id, funnel_agg(interval ''1 day'', ts, event = ''view'', event = ''cart'', event = ''checkout'', event = ''purchase'') AS f FROM %1$s GROUP BY user_id) per_user) total, funnel_steps(total.f) AS s'
\set funnel_agg_only 'SELECT count(max_step(f)) FROM (SELECT user_id, funnel_agg(interval ''1 day'', ts, event = ''view'', event = ''cart'', event = ''checkout'', event = ''purchase'') AS f FROM %1$s GROUP BY user_id) per_user'
\set funnel_report_named 'SELECT s.* FROM (SELECT rollup(f) AS f FROM (SELECT user_id, funnel_agg(interval ''1 day'', ts, event, ARRAY[''view'', ''cart'', ''checkout'', ''purchase'']) AS f FROM %1$s GROUP BY user_id) per_user) total, funnel_steps(total.f) AS s'
-- funnel_agg options (issue 5's target): the named report with one exclusion
-- ('search' between cart and purchase) and the channel held constant, and
-- the cost of reading the held value from props alone
\set funnel_report_options 'SELECT s.* FROM (SELECT rollup(f) AS f FROM (SELECT user_id, funnel_agg(interval ''1 day'', ''exclude=search@2-4'', ts, event, ARRAY[''view'', ''cart'', ''checkout'', ''purchase''], hold_by(props ->> ''channel''), NULL) AS f FROM %1$s GROUP BY user_id) per_user) total, funnel_steps(total.f) AS s'
\set funnel_report_options_col 'SELECT s.* FROM (SELECT rollup(f) AS f FROM (SELECT user_id, funnel_agg(interval ''1 day'', ''exclude=search@2-4'', ts, event, ARRAY[''view'', ''cart'', ''checkout'', ''purchase''], hold_by(channel), NULL) AS f FROM %1$s GROUP BY user_id) per_user) total, funnel_steps(total.f) AS s'
\set hold_arg_only 'SELECT count(*) FROM (SELECT user_id, count(props ->> ''channel'') AS c FROM %1$s GROUP BY user_id) s'
\set funnel_report_any 'SELECT s.* FROM (SELECT rollup(f) AS f FROM (SELECT user_id, funnel_agg(interval ''1 day'', ''order=any'', ts, event, ARRAY[''view'', ''cart'', ''checkout'', ''purchase'']) AS f FROM %1$s GROUP BY user_id) per_user) total, funnel_steps(total.f) AS s'
\set funnel_report_attempts 'SELECT s.* FROM (SELECT rollup(f) AS f FROM (SELECT user_id, funnel_agg(interval ''1 day'', ''count=attempts, within=2:1 hour'', ts, event, ARRAY[''view'', ''cart'', ''checkout'', ''purchase'']) AS f FROM %1$s GROUP BY user_id) per_user) total, funnel_steps(total.f) AS s'
-- sequences and retention, consumed by an aggregate over users
\set seq_match 'SELECT count(*) FILTER (WHERE m) FROM (SELECT user_id, sequence_match(''(?1)(?t<=3600)(?2)'', ts, event = ''search'', event = ''purchase'') AS m FROM %1$s GROUP BY user_id) per_user'
\set seq_count 'SELECT sum(c) FROM (SELECT user_id, sequence_count(''(?1).*(?2)'', ts, event = ''view'', event = ''cart'') AS c FROM %1$s GROUP BY user_id) per_user'
\set retention_q 'SELECT sum(r[4]) FROM (SELECT user_id, retention(event = ''view'', event = ''cart'', event = ''checkout'', event = ''purchase'') AS r FROM %1$s GROUP BY user_id) per_user'
-- attribution (issue 6): the channel of each campaign click is the touch,
-- purchases the conversions worth their amount (both read from props), the
-- same with event names as touches (no props), what reading the touch and
-- amount arguments costs alone, and the micro-conversion lift report
\set attribution_report 'SELECT r.* FROM (SELECT rollup(a) AS a FROM (SELECT user_id, attribution_agg(interval ''30 days'', ''linear'', ts, CASE WHEN event = ''campaign_click'' THEN props ->> ''channel'' END, event = ''purchase'', (props ->> ''amount'')::float8) AS a FROM %1$s GROUP BY user_id) per_user) total, attribution_touches(total.a) AS r'
\set attribution_report_events 'SELECT r.* FROM (SELECT rollup(a) AS a FROM (SELECT user_id, attribution_agg(interval ''30 days'', ''time_decay'', ts, CASE WHEN event <> ''purchase'' THEN event END, event = ''purchase'') AS a FROM %1$s GROUP BY user_id) per_user) total, attribution_touches(total.a) AS r'
\set attribution_args_only 'SELECT count(*) FROM (SELECT user_id, count(CASE WHEN event = ''campaign_click'' THEN props ->> ''channel'' END) + count((props ->> ''amount'')::float8) FILTER (WHERE event = ''purchase'') AS c FROM %1$s GROUP BY user_id) s'
\set lift_report_q 'SELECT r.* FROM (SELECT rollup(l) AS l FROM (SELECT user_id, lift_agg(''1 day'', ts, event, event = ''purchase'') AS l FROM %1$s GROUP BY user_id) per_user) total, lift_report(total.l) AS r'
-- paths (issue 18): the top 10 paths of up to 4 nodes after the first view,
-- the top 10 paths of up to 5 nodes to the first purchase with repeats
-- collapsed, and the Sankey edge list of sessions (a gap of more than an
-- hour starts one)
\set paths_after_view 'SELECT t.* FROM (SELECT rollup(p) AS p FROM (SELECT user_id, path_agg(''anchor=view, steps=4'', ts, event) AS p FROM %1$s GROUP BY user_id) per_user) total, top_paths(total.p, 10) AS t'
\set paths_to_purchase 'SELECT t.* FROM (SELECT rollup(p) AS p FROM (SELECT user_id, path_agg(''direction=backward, anchor=purchase, steps=5, collapse_repeats'', ts, event) AS p FROM %1$s GROUP BY user_id) per_user) total, top_paths(total.p, 10) AS t'
\set paths_session_edges 'SELECT e.* FROM (SELECT rollup(p) AS p FROM (SELECT user_id, path_agg(''max_gap=1 hour, collapse_repeats, steps=5'', ts, event) AS p FROM %1$s GROUP BY user_id) per_user) total, path_edges(total.p) AS e'
-- path_agg alone (per-user values, no rollup): what the aggregate costs before the merge
\set path_agg_only 'SELECT count(paths_count(p)) FROM (SELECT user_id, path_agg(''anchor=view, steps=4'', ts, event) AS p FROM %1$s GROUP BY user_id) per_user'
-- rollup alone, over the `stored` table (no %1$s: always stored_funnels)
\set stored_floor 'SELECT count(f) FROM stored_funnels'
\set stored_rollup 'SELECT entities(rollup(f)) FROM stored_funnels'
\set stored_rows 1000000

SELECT count(*) AS events, count(DISTINCT user_id) AS users FROM events \gset
\echo events: :events, users: :users
SHOW shared_buffers;

\o /dev/null
-- arrival order, default work_mem: the headline figures
SELECT pg_temp.bench('floor: GROUP BY user_id count(*)', 'arrival', 0, '4MB', :runs, :'floor');
SELECT pg_temp.bench('window_funnel, 4 steps, 1 day', 'arrival', 0, '4MB', :runs, :'funnel');
SELECT pg_temp.bench('arguments only: ARRAY[4 conditions] per row', 'arrival', 0, '4MB', :runs, :'args_only');
SELECT pg_temp.bench('window_funnel strict_order', 'arrival', 0, '4MB', :runs, :'funnel_strict');
SELECT pg_temp.bench('plain SQL funnel (joins)', 'arrival', 0, '4MB', greatest(1, :runs / 2), :'plain_sql');
SELECT pg_temp.bench('funnel report: funnel_agg, rollup, funnel_steps', 'arrival', 0, '4MB', :runs, :'funnel_report');
SELECT pg_temp.bench('funnel_agg only: count(max_step(f))', 'arrival', 0, '4MB', :runs, :'funnel_agg_only');
SELECT pg_temp.bench('funnel report, steps by event name', 'arrival', 0, '4MB', :runs, :'funnel_report_named');
SELECT pg_temp.bench('funnel report, exclusion + hold props ->> channel', 'arrival', 0, '4MB', :runs, :'funnel_report_options');
SELECT pg_temp.bench('hold argument only: count(props ->> channel)', 'arrival', 0, '4MB', :runs, :'hold_arg_only');
SELECT pg_temp.bench('funnel report, order=any', 'arrival', 0, '4MB', :runs, :'funnel_report_any');
SELECT pg_temp.bench('funnel report, count=attempts + within', 'arrival', 0, '4MB', :runs, :'funnel_report_attempts');
SELECT pg_temp.bench('sequence_match (?1)(?t<=3600)(?2)', 'arrival', 0, '4MB', :runs, :'seq_match');
SELECT pg_temp.bench('sequence_count (?1).*(?2)', 'arrival', 0, '4MB', :runs, :'seq_count');
SELECT pg_temp.bench('retention, 4 conditions', 'arrival', 0, '4MB', :runs, :'retention_q');
SELECT pg_temp.bench('attribution report, linear, channel and amount from props', 'arrival', 0, '4MB', :runs, :'attribution_report');
SELECT pg_temp.bench('attribution arguments only: channel and amount from props', 'arrival', 0, '4MB', :runs, :'attribution_args_only');
SELECT pg_temp.bench('attribution report, time_decay, event names as touches', 'arrival', 0, '4MB', :runs, :'attribution_report_events');
SELECT pg_temp.bench('lift report, event names as micro-conversions', 'arrival', 0, '4MB', :runs, :'lift_report_q');
SELECT pg_temp.bench('paths: top_paths after view, 4 steps', 'arrival', 0, '4MB', :runs, :'paths_after_view');
SELECT pg_temp.bench('paths: top_paths to purchase, backward, collapse_repeats', 'arrival', 0, '4MB', :runs, :'paths_to_purchase');
SELECT pg_temp.bench('paths: path_edges of sessions, max_gap 1 hour', 'arrival', 0, '4MB', :runs, :'paths_session_edges');
SELECT pg_temp.bench('paths: path_agg only, count(paths_count(p))', 'arrival', 0, '4MB', :runs, :'path_agg_only');
SELECT pg_temp.bench('floor: GROUP BY user_id count(*)', 'arrival', 2, '4MB', :runs, :'floor');
SELECT pg_temp.bench('window_funnel, 4 steps, 1 day', 'arrival', 2, '4MB', :runs, :'funnel');
SELECT pg_temp.bench('funnel report: funnel_agg, rollup, funnel_steps', 'arrival', 2, '4MB', :runs, :'funnel_report');
SELECT pg_temp.bench('attribution report, linear, channel and amount from props', 'arrival', 2, '4MB', :runs, :'attribution_report');
SELECT pg_temp.bench('paths: top_paths after view, 4 steps', 'arrival', 2, '4MB', :runs, :'paths_after_view');
-- the channel in a column of its own
CREATE TABLE events_cols AS SELECT user_id, ts, event, props ->> 'channel' AS channel, props FROM events;
VACUUM (FREEZE, ANALYZE) events_cols;
SELECT pg_temp.bench('floor: GROUP BY user_id count(*)', 'columns', 0, '4MB', :runs, :'floor');
SELECT pg_temp.bench('funnel report, steps by event name', 'columns', 0, '4MB', :runs, :'funnel_report_named');
SELECT pg_temp.bench('funnel report, exclusion + hold channel column', 'columns', 0, '4MB', :runs, :'funnel_report_options_col');
SELECT pg_temp.bench('funnel report, exclusion + hold props ->> channel', 'columns', 0, '4MB', :runs, :'funnel_report_options');
DROP TABLE events_cols;
-- arrival order, no spill: every row of issue 19's table at work_mem = 1GB
SELECT pg_temp.bench('floor: GROUP BY user_id count(*)', 'arrival', 0, '1GB', :runs, :'floor');
SELECT pg_temp.bench('window_funnel, 4 steps, 1 day', 'arrival', 0, '1GB', :runs, :'funnel');
SELECT pg_temp.bench('arguments only: ARRAY[4 conditions] per row', 'arrival', 0, '1GB', :runs, :'args_only');
SELECT pg_temp.bench('funnel report: funnel_agg, rollup, funnel_steps', 'arrival', 0, '1GB', :runs, :'funnel_report');
SELECT pg_temp.bench('funnel_agg only: count(max_step(f))', 'arrival', 0, '1GB', :runs, :'funnel_agg_only');
SELECT pg_temp.bench('funnel report, steps by event name', 'arrival', 0, '1GB', :runs, :'funnel_report_named');
SELECT pg_temp.bench('sequence_match (?1)(?t<=3600)(?2)', 'arrival', 0, '1GB', :runs, :'seq_match');
SELECT pg_temp.bench('sequence_count (?1).*(?2)', 'arrival', 0, '1GB', :runs, :'seq_count');
SELECT pg_temp.bench('retention, 4 conditions', 'arrival', 0, '1GB', :runs, :'retention_q');
SELECT pg_temp.bench('attribution report, linear, channel and amount from props', 'arrival', 0, '1GB', :runs, :'attribution_report');
SELECT pg_temp.bench('lift report, event names as micro-conversions', 'arrival', 0, '1GB', :runs, :'lift_report_q');
-- adversarial sequence: one group of 100,000 events that all match
-- conditions 1 and 2 and never 3, so every pattern fails only after trying
-- everything; a backtracking matcher (ClickHouse's) gives up on it
CREATE TABLE adversarial AS
SELECT 1 AS user_id, timestamptz '2026-11-01' + g * interval '1 second' AS ts, 'x'::text AS event
FROM generate_series(1, 100000) g;
VACUUM (FREEZE, ANALYZE) adversarial;
\set adv_floor 'SELECT count(*) FROM (SELECT user_id, count(*) FROM adversarial GROUP BY user_id) s'
\set adv_seq 'SELECT sequence_count(''(?1).*(?2).*(?1)(?t<=3600).*(?2)(?t>=1).*(?3)'', ts, true, true, false) FROM adversarial GROUP BY user_id'
SELECT pg_temp.bench('floor: GROUP BY user_id count(*)', 'adversarial', 0, '4MB', :runs, :'adv_floor');
SELECT pg_temp.bench('sequence_count, 5 .* and 2 time gaps, no match', 'adversarial', 0, '4MB', :runs, :'adv_seq');
-- rollup alone: 1,000,000 stored one-user funnels
SET max_parallel_workers_per_gather = 0;
CREATE TABLE stored_funnels AS
SELECT f FROM (SELECT user_id, funnel_agg(interval '1 day', ts, event = 'view', event = 'cart',
                                          event = 'checkout', event = 'purchase') AS f
               FROM events GROUP BY user_id ORDER BY user_id) per_user,
              generate_series(1, ceil(:stored_rows::float8 / :users)::int) AS copy
LIMIT :stored_rows;
RESET max_parallel_workers_per_gather;
VACUUM (FREEZE, ANALYZE) stored_funnels;
SELECT pg_temp.bench('floor: count(f) over stored funnels', 'stored', 0, '4MB', :runs, :'stored_floor');
SELECT pg_temp.bench('rollup: entities(rollup(f)) over stored funnels', 'stored', 0, '4MB', :runs, :'stored_rollup');
SELECT pg_temp.bench('floor: count(f) over stored funnels', 'stored', 2, '4MB', :runs, :'stored_floor');
SELECT pg_temp.bench('rollup: entities(rollup(f)) over stored funnels', 'stored', 2, '4MB', :runs, :'stored_rollup');
-- shuffled rows: the worst case
CREATE TABLE events_shuffled AS SELECT * FROM events ORDER BY md5(user_id::text || ts::text || event);
VACUUM (FREEZE, ANALYZE) events_shuffled;
SELECT pg_temp.bench('floor: GROUP BY user_id count(*)', 'shuffled', 0, '4MB', :runs, :'floor');
SELECT pg_temp.bench('window_funnel, 4 steps, 1 day', 'shuffled', 0, '4MB', :runs, :'funnel');
SELECT pg_temp.bench('funnel report: funnel_agg, rollup, funnel_steps', 'shuffled', 0, '4MB', :runs, :'funnel_report');
SELECT pg_temp.bench('floor: GROUP BY user_id count(*)', 'shuffled', 0, '1GB', :runs, :'floor');
SELECT pg_temp.bench('window_funnel, 4 steps, 1 day', 'shuffled', 0, '1GB', :runs, :'funnel');
SELECT pg_temp.bench('funnel report: funnel_agg, rollup, funnel_steps', 'shuffled', 0, '1GB', :runs, :'funnel_report');
\o

\pset footer off
\echo
\echo Median times; ratio: median of each run over the floor run just before it
\echo (same layout, workers and work_mem; layout stored: the ns column is per
\echo stored funnel; adversarial: per event of its 100,000):
SELECT b.layout, b.work_mem, b.workers, b.query, b.runs,
       round(b.median_ms::numeric, 1) AS median_ms,
       round(coalesce(b.floor_ms, b.median_ms)::numeric, 1) AS floor_ms,
       round(coalesce(b.ratio, 1)::numeric, 2) AS ratio_to_floor,
       round((1e6 * (coalesce(b.ratio, 1) - 1) * coalesce(b.floor_ms, b.median_ms)
              / CASE b.layout WHEN 'stored' THEN :stored_rows WHEN 'adversarial' THEN 100000 ELSE :events END)::numeric, 1)
           AS ns_per_event_above_floor
FROM bench b
ORDER BY b.layout, b.work_mem DESC, b.workers, coalesce(b.ratio, 1);

RESET work_mem;
RESET max_parallel_workers_per_gather;
\echo window_funnel levels:
SELECT level, count(*) AS users
FROM (SELECT user_id, window_funnel(interval '1 day', ts, event = 'view', event = 'cart',
                                    event = 'checkout', event = 'purchase') AS level
      FROM events GROUP BY user_id) s GROUP BY level ORDER BY level;
\echo plain SQL funnel levels (tries the first view only):
SELECT format(:'plain_sql', 'events') || ' ORDER BY level' AS plain_sql_events \gset
:plain_sql_events;
\echo funnel report (funnel_agg, rollup, funnel_steps):
SELECT format(:'funnel_report', 'events') || ' ORDER BY step' AS funnel_report_events \gset
:funnel_report_events;
\echo stored funnels:
SELECT count(*) AS funnels, entities(rollup(f)) AS entities,
       round(avg(pg_column_size(f)), 1) AS avg_bytes,
       pg_size_pretty(pg_table_size('stored_funnels')) AS table_size
FROM stored_funnels;
