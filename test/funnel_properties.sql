-- pgTAP: properties of the funnel type.  funnel_agg agrees with window_funnel
-- (per user and as a cumulative step histogram), rollup counts every entity
-- once, time_to_convert stays within 1% of the exact percentile_disc, rollup
-- does not depend on how the entities are split or ordered, serial equals
-- forced parallel (funnel_agg's internal state serialized and combined,
-- rollup's funnel state combined), and the text and binary forms round-trip.
\ir lib/tap_begin.sql
\set users 4000
\set seed 11
\ir data/clickstream.sql

SELECT plan(28);

-- per-user funnels and levels, one column per form and mode; as text, so that
-- serial and parallel results compare with results_eq
CREATE VIEW per_user AS
SELECT user_id,
  funnel_agg('1 day', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase')::text AS f,
  funnel_agg('1 day', 'strict_once', ts, event IN ('view', 'cart'), event IN ('cart', 'checkout'), event = 'checkout', event = 'purchase')::text AS f_once,
  funnel_agg('1 day', 'strict_order', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase')::text AS f_order,
  funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase'])::text AS f_labels,
  window_funnel('1 day', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS wf,
  window_funnel('1 day', 'strict_once', ts, event IN ('view', 'cart'), event IN ('cart', 'checkout'), event = 'checkout', event = 'purchase') AS wf_once,
  window_funnel('1 day', 'strict_order', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS wf_order,
  date_trunc('day', min(ts)) AS first_day
FROM events GROUP BY user_id;

\ir lib/plan_of.sql

-- serial reference: per-user funnels stored as funnels (a plain table, so
-- that parallel workers can scan it below)
SET max_parallel_workers_per_gather = 0;
SET enable_partitionwise_aggregate = off;
CREATE TEMP TABLE serial AS SELECT * FROM per_user;
CREATE TABLE pu AS
SELECT user_id, f::funnel AS f, f_once::funnel AS f_once, f_order::funnel AS f_order,
       f_labels::funnel AS f_labels, wf, wf_once, wf_order, first_day
FROM serial;
ANALYZE pu;
CREATE TEMP TABLE total AS
SELECT rollup(f) AS f, rollup(f_once) AS f_once, rollup(f_order) AS f_order,
       rollup(f_labels) AS f_labels, count(*) AS users
FROM pu;

-- 1. non-vacuity
SELECT results_eq(
    'SELECT DISTINCT max_step(f) FROM pu ORDER BY 1',
    'VALUES (1), (2), (3), (4)',
    'with a 1 day window the data reaches every step 1..4 for some users');

-- 2. funnel_agg agrees with window_funnel
CREATE FUNCTION pg_temp.cumulative(col text) RETURNS TABLE (step int, n bigint) LANGUAGE plpgsql AS $$
BEGIN
    RETURN QUERY EXECUTE format(
        'SELECT s, count(*) FILTER (WHERE %I >= s) FROM pu, generate_series(1, 4) AS s GROUP BY s ORDER BY s', col);
END $$;
SELECT results_eq(
    'SELECT step, entered FROM funnel_steps((SELECT f FROM total)) ORDER BY step',
    $$SELECT * FROM pg_temp.cumulative('wf')$$,
    'default mode: entered at step k = users with window_funnel level >= k');
SELECT results_eq(
    'SELECT step, entered FROM funnel_steps((SELECT f_once FROM total)) ORDER BY step',
    $$SELECT * FROM pg_temp.cumulative('wf_once')$$,
    'strict_once: entered at step k = users with window_funnel level >= k');
SELECT is_empty(
    $$SELECT c.step, s.entered, c.n FROM pg_temp.cumulative('wf_order') AS c
      LEFT JOIN funnel_steps((SELECT f_order FROM total)) AS s USING (step)
      WHERE NOT coalesce(s.entered >= c.n, false)$$,
    'strict_order: entered at step k >= users with window_funnel level >= k');
SELECT is((SELECT count(*) FROM pu WHERE max_step(f) IS DISTINCT FROM wf), 0::bigint,
          'default mode: max_step(funnel_agg) = window_funnel for every user');
SELECT is((SELECT count(*) FROM pu WHERE max_step(f_once) IS DISTINCT FROM wf_once), 0::bigint,
          'strict_once: max_step(funnel_agg) = window_funnel for every user');
SELECT is((SELECT count(*) FROM pu WHERE NOT max_step(f_order) >= wf_order), 0::bigint,
          'strict_order: max_step(funnel_agg) >= window_funnel for every user (corrections only reach further)');

-- 3. every entity counted once
SELECT results_eq(
    'SELECT entities(f), entities(f_once), entities(f_order), entities(f_labels) FROM total',
    'SELECT users, users, users, users FROM total',
    'entities(rollup(...)) is the number of users, in every mode and form');

-- 4. time-to-convert within 1% of the exact percentile_disc
CREATE TEMP TABLE times AS
SELECT user_id, k,
       (j -> 'time_from_first_us' ->> (k - 2))::bigint AS t_first,
       (j -> 'time_from_first_us' ->> (k - 2))::bigint
         - CASE WHEN k = 2 THEN 0 ELSE (j -> 'time_from_first_us' ->> (k - 3))::bigint END AS t_prev
FROM (SELECT user_id, f::text::jsonb AS j FROM pu) AS p,
     generate_series(2, (j ->> 'step_reached')::int) AS k;
CREATE TEMP TABLE exact AS
SELECT k, q,
       percentile_disc(q) WITHIN GROUP (ORDER BY t_first) / 1e6 AS from_first,
       percentile_disc(q) WITHIN GROUP (ORDER BY t_prev) / 1e6 AS from_previous
FROM generate_series(2, 4) AS g(k)
CROSS JOIN (VALUES (0.1::float8), (0.5), (0.9), (0.99)) AS qs(q)
LEFT JOIN times USING (k)
GROUP BY k, q;
SELECT is_empty(
    $$SELECT k, q, e.from_first AS exact, a.approx
      FROM exact AS e, total,
           LATERAL (SELECT extract(epoch FROM time_to_convert(total.f, 1, k, q)) AS approx) AS a
      WHERE NOT coalesce(abs(a.approx - e.from_first) <= greatest(0.01 * abs(e.from_first), 0.000001), false)$$,
    'time_to_convert(rollup, 1, k, q) is within 1% of the exact percentile, k = 2..4, q = .1 .5 .9 .99');
SELECT is_empty(
    $$SELECT k, q, e.from_previous AS exact, a.approx
      FROM exact AS e, total,
           LATERAL (SELECT extract(epoch FROM time_to_convert(total.f, k - 1, k, q)) AS approx) AS a
      WHERE NOT coalesce(abs(a.approx - e.from_previous) <= greatest(0.01 * abs(e.from_previous), 0.000001), false)$$,
    'time_to_convert(rollup, k - 1, k, q) is within 1% of the exact percentile, k = 2..4, q = .1 .5 .9 .99');

-- 5. rollup does not depend on how the users are split or ordered
SELECT is((SELECT rollup(r)::text FROM (SELECT rollup(f) AS r FROM pu GROUP BY user_id % 7) AS s),
          (SELECT f::text FROM total),
          'rollup of rollups split by user_id % 7 equals the rollup of all users');
SELECT is((SELECT rollup(r)::text FROM (SELECT rollup(f) AS r FROM pu GROUP BY hashint8(user_id) % 5) AS s),
          (SELECT f::text FROM total),
          'rollup of rollups split by hash of user_id equals the rollup of all users');
SELECT is((SELECT rollup(r)::text FROM (SELECT rollup(f) AS r FROM pu GROUP BY first_day) AS s),
          (SELECT f::text FROM total),
          'rollup of rollups split by day of the first event equals the rollup of all users');
SELECT is((SELECT rollup(f ORDER BY md5(user_id::text))::text FROM pu),
          (SELECT f::text FROM total),
          'rollup in md5(user_id) order equals the rollup in table order');
SELECT is((SELECT rollup(f ORDER BY user_id DESC)::text FROM pu),
          (SELECT f::text FROM total),
          'rollup in descending user_id order equals the rollup in table order');

-- 6. serial equals forced parallel.  Each parallel result is stored with
-- CREATE TABLE AS, whose EXPLAIN ANALYZE runs it (pgTAP's results_eq runs its
-- queries as cursors, which PostgreSQL never plans in parallel); the plan
-- shape is asserted on that same run, then the stored rows are compared.
\ir lib/force_parallel.sql
SET enable_hashagg = on;
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits funnel_agg across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_hash AS SELECT * FROM per_user') AS plan;
SELECT results_eq('SELECT * FROM parallel_hash ORDER BY user_id',
                  'SELECT * FROM serial ORDER BY user_id',
                  'per-user funnel_agg: parallel partial aggregation (hash) equals serial');
SET enable_hashagg = off;
SELECT ok(plan ~ 'Partial GroupAggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the sorted parallel plan splits funnel_agg across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_sorted AS SELECT * FROM per_user') AS plan;
SELECT results_eq('SELECT * FROM parallel_sorted ORDER BY user_id',
                  'SELECT * FROM serial ORDER BY user_id',
                  'per-user funnel_agg: parallel partial aggregation (sorted) equals serial');
RESET enable_hashagg;
-- rollup's combine runs only when two processes hold rows: without the
-- leader, and paced so that both workers get some of this small table
SET parallel_leader_participation = off;
SELECT ok(plan ~ 'Partial Aggregate' AND plan ~ 'Workers Launched: 2'
          AND plan ~ 'Parallel Seq Scan.*Worker 0:  actual rows=[1-9].*Worker 1:  actual rows=[1-9]',
          'the parallel plan splits rollup across two launched workers that both read rows')
FROM pg_temp.verbose_plan_of($$CREATE TEMP TABLE parallel_rollup AS
    SELECT rollup(f)::text AS f, rollup(f_once)::text AS f_once, rollup(f_order)::text AS f_order,
           rollup(f_labels)::text AS f_labels FROM pu WHERE pg_temp.paced(user_id)$$) AS plan;
RESET parallel_leader_participation;
SELECT results_eq(
    'SELECT f, f_once, f_order, f_labels FROM parallel_rollup',
    'SELECT f::text, f_once::text, f_order::text, f_labels::text FROM total',
    'rollup with parallel partial aggregation (combine) equals serial');

-- the whole query pushed into one worker (debug_parallel_query, formerly
-- force_parallel_mode): its Gather (Single Copy) goes only on top of a plan
-- without a Gather of its own, so partial plans are priced out
\ir lib/in_worker.sql
SELECT pg_temp.in_worker(true);
SET parallel_setup_cost = 1e10;
SELECT ok(plan ~ 'Single Copy: true' AND plan ~ 'Workers Launched: 1',
          'forced parallel mode runs the whole per-user query in a launched worker')
FROM pg_temp.plan_of('CREATE TEMP TABLE in_worker_result AS SELECT * FROM per_user') AS plan;
SELECT pg_temp.in_worker(false);
SET parallel_setup_cost = 0;
SELECT results_eq('SELECT * FROM in_worker_result ORDER BY user_id',
                  'SELECT * FROM serial ORDER BY user_id',
                  'per-user funnel_agg: forced parallel mode equals serial');
SET max_parallel_workers_per_gather = 0;

-- 7. text round-trip
SELECT is_empty(
    $$SELECT user_id FROM pu
      WHERE f::text::funnel::text IS DISTINCT FROM f::text
         OR f_once::text::funnel::text IS DISTINCT FROM f_once::text
         OR f_order::text::funnel::text IS DISTINCT FROM f_order::text
         OR f_labels::text::funnel::text IS DISTINCT FROM f_labels::text$$,
    'text round-trip: f::text::funnel::text = f::text for every per-user funnel');
SELECT is_empty(
    $$SELECT f FROM (SELECT f::text FROM total UNION ALL SELECT f_once::text FROM total
                     UNION ALL SELECT f_order::text FROM total UNION ALL SELECT f_labels::text FROM total) AS t(f)
      WHERE f::funnel::text IS DISTINCT FROM f$$,
    'text round-trip: f::text::funnel::text = f::text for every rollup');

-- 8. binary round-trip through COPY (FORMAT binary); the file is named after psql's pid
CREATE TEMP TABLE bin_out AS
SELECT row_number() OVER (ORDER BY kind, user_id) AS id, f FROM (
    SELECT 1 AS kind, user_id, f FROM pu
    UNION ALL SELECT 2, user_id, f_once FROM pu
    UNION ALL SELECT 3, user_id, f_order FROM pu
    UNION ALL SELECT 4, user_id, f_labels FROM pu
    UNION ALL SELECT 5, 0, f FROM total
    UNION ALL SELECT 6, 0, f_once FROM total
    UNION ALL SELECT 7, 0, f_order FROM total
    UNION ALL SELECT 8, 0, f_labels FROM total) AS s;
CREATE TEMP TABLE bin_in (LIKE bin_out);
\copy bin_out TO PROGRAM 'cat > /tmp/conversions_funnel_properties_$PPID.bin' WITH (FORMAT binary)
\copy bin_in FROM PROGRAM 'cat /tmp/conversions_funnel_properties_$PPID.bin' WITH (FORMAT binary)
\! rm -f /tmp/conversions_funnel_properties_$PPID.bin
SELECT results_eq('SELECT id, f::text FROM bin_in ORDER BY id',
                  'SELECT id, f::text FROM bin_out ORDER BY id',
                  'binary round-trip: per-user, rolled-up and labelled funnels survive COPY (FORMAT binary)');

-- 9. the labels form
SELECT results_eq(
    'SELECT step, entered FROM funnel_steps((SELECT f_labels FROM total)) ORDER BY step',
    'SELECT step, entered FROM funnel_steps((SELECT f FROM total)) ORDER BY step',
    'funnel_agg(window, ts, event, steps) enters as many users per step as the boolean form');
SELECT results_eq(
    'SELECT step, label FROM funnel_steps((SELECT f_labels FROM total)) ORDER BY step',
    $$VALUES (1, 'view'), (2, 'cart'), (3, 'checkout'), (4, 'purchase')$$,
    'funnel_steps shows the step names as labels');

SELECT * FROM finish();
ROLLBACK;
