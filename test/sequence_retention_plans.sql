-- pgTAP: retention, sequence_match, sequence_count and sequence_next_node give the same
-- per-user answer serial, in parallel (partial aggregation: retention
-- combines bigint states, the sequence aggregates serialize their event
-- buffers and patterns) and with shuffled rows; sequence_next_node also
-- with 33 to 64 conditions, whose states pass 8-byte masks.  Parallel
-- results are materialized with CREATE TABLE AS: pgTAP's results_eq runs
-- its queries as cursors, which PostgreSQL never plans in parallel.
\ir lib/tap_begin.sql
\set users 4000
\set seed 11
\ir data/clickstream.sql

SELECT plan(11);

CREATE TABLE events_shuffled AS SELECT * FROM events ORDER BY md5(user_id::text || ts::text || event);
ANALYZE events_shuffled;

-- day-N retention of the 2026-11-01 cohort, and "viewed, then came back to buy"
CREATE FUNCTION pg_temp.retention_query(src text) RETURNS text LANGUAGE sql AS $$
    SELECT format($q$
      SELECT user_id,
             retention(ts::date = '2026-11-01', ts::date = '2026-11-02',
                       ts::date = '2026-11-03', ts::date = '2026-11-04') AS days,
             retention(event = 'view', event = 'purchase', event = 'newsletter_signup') AS buy,
             sequence_match('(?1)(?t<=3600)(?2)', ts, event = 'search', event = 'purchase') AS searched_bought,
             sequence_count('(?1).*(?2)', ts, event = 'view', event = 'cart') AS view_cart,
             sequence_count('(?1)(?t>=60).(?2)', ts, event = 'view', event = 'cart', event = 'checkout') AS gapped,
             sequence_match('(?2).*(?1)', ts::timestamp, event = 'view', event = 'purchase') AS bought_then_viewed,
             sequence_next_node('forward', 'first_match', ts, event, true, event = 'cart') AS after_cart,
             sequence_next_node('backward', 'last_match', ts, event, event <> 'search', event = 'purchase', event = 'checkout') AS before_checkout_purchase
      FROM %I GROUP BY user_id$q$, src)
$$;
\ir lib/plan_of.sql

SET TimeZone = 'UTC';
SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.retention_query('events') AS q \gset
CREATE TEMP TABLE serial AS :q;

SELECT ok((SELECT count(DISTINCT days) >= 5 AND count(DISTINCT buy) >= 4
                  AND count(DISTINCT searched_bought) = 2 AND count(DISTINCT view_cart) >= 3
                  AND count(DISTINCT gapped) >= 2 AND count(DISTINCT bought_then_viewed) = 2
                  AND count(DISTINCT after_cart) >= 3 AND count(DISTINCT before_checkout_purchase) >= 1
           FROM serial),
          'the generated data gives varied results, so the comparisons are not vacuous');
SELECT is((SELECT count(*) FROM serial WHERE days[1] = 0 AND days <> '{0,0,0,0}'), 0::bigint,
          'without the first condition every element is 0');

\ir lib/force_parallel.sql
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits the aggregates across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_result AS ' || :'q') AS plan;
SELECT results_eq('SELECT * FROM parallel_result ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'parallel partial aggregation equals serial');
SELECT pg_temp.retention_query('events_shuffled') AS qs \gset
SELECT pg_temp.plan_of('CREATE TEMP TABLE parallel_shuffled AS ' || :'qs') ~ 'Workers Launched: [1-9]' AS shuffled_parallel \gset
SELECT results_eq('SELECT * FROM parallel_shuffled ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'shuffled rows in parallel equal serial');
RESET max_parallel_workers_per_gather;
SELECT results_eq(:'qs' || ' ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'shuffled rows serial equal serial');

-- sequence_next_node with 33, 40, 48 and 64 conditions needs long paths: 2,000
-- users of 20 to 79 events each, 94% 'v', 3% 'x', 3% 'y' (kinds), with
-- five variants of each kind, so that the results differ between users
CREATE TABLE long_paths AS
SELECT u AS user_id, timestamptz '2026-11-01' + k * interval '1 minute' AS ts,
       CASE WHEN h % 100 < 3 THEN 'x' WHEN h % 100 < 6 THEN 'y' ELSE 'v' END || (h / 100 % 5) AS event
FROM generate_series(1, 2000) u,
     LATERAL generate_series(1, 20 + u % 60) k,
     LATERAL (SELECT abs(hashint8(u * 1000 + k)::bigint) AS h) hh;
CREATE TABLE long_paths_shuffled AS SELECT * FROM long_paths ORDER BY md5(user_id::text || ts::text);
ANALYZE long_paths;
ANALYZE long_paths_shuffled;
CREATE FUNCTION pg_temp.wide_query(src text) RETURNS text LANGUAGE sql AS $$
    SELECT format($q$
      SELECT user_id,
             sequence_next_node('forward', 'head', ts, event, true,
                                VARIADIC array_fill(left(event, 1) <> 'x', ARRAY[40])) AS head_40,
             sequence_next_node('backward', 'tail', ts, event, true,
                                VARIADIC array_fill(left(event, 1) <> 'y', ARRAY[63]) || (left(event, 1) = 'v')) AS tail_64,
             sequence_next_node('forward', 'first_match', ts, event, true,
                                VARIADIC ARRAY[left(event, 1) = 'x'] || array_fill(left(event, 1) <> 'y', ARRAY[32])) AS first_x_33,
             sequence_next_node('backward', 'last_match', ts, event, left(event, 1) = 'y',
                                VARIADIC ARRAY[true] || array_fill(left(event, 1) <> 'x', ARRAY[47])) AS last_y_48
      FROM %I GROUP BY user_id$q$, src)
$$;
SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.wide_query('long_paths') AS w \gset
CREATE TEMP TABLE wide_serial AS :w;
SELECT ok((SELECT count(*) = 4 AND bool_and(ok) FROM (
                 SELECT count(v) >= 20 AND count(*) - count(v) >= 20 AND count(DISTINCT v) >= 5 AS ok
                 FROM wide_serial,
                      LATERAL (VALUES ('head_40', head_40), ('tail_64', tail_64),
                                      ('first_x_33', first_x_33), ('last_y_48', last_y_48)) c(col, v)
                 GROUP BY col) per_column),
          'with 33 to 64 conditions each column has answers, NULLs and several values');
\ir lib/force_parallel.sql
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the plan with 33 to 64 conditions splits the aggregates across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE wide_parallel AS ' || :'w') AS plan;
SELECT results_eq('SELECT * FROM wide_parallel ORDER BY user_id', 'SELECT * FROM wide_serial ORDER BY user_id',
                  'with 33 to 64 conditions, parallel partial aggregation equals serial');
SELECT pg_temp.wide_query('long_paths_shuffled') AS ws \gset
SELECT pg_temp.plan_of('CREATE TEMP TABLE wide_parallel_shuffled AS ' || :'ws') ~ 'Workers Launched: [1-9]' AS wide_shuffled_parallel \gset
SELECT results_eq('SELECT * FROM wide_parallel_shuffled ORDER BY user_id', 'SELECT * FROM wide_serial ORDER BY user_id',
                  'with 33 to 64 conditions, shuffled rows in parallel equal serial');
SELECT ok(:'shuffled_parallel' AND :'wide_shuffled_parallel',
          'the shuffled queries ran with launched workers too');
RESET max_parallel_workers_per_gather;

SELECT * FROM finish();
ROLLBACK;
