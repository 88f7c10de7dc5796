-- pgTAP: properties of funnels that carry people (issue 17).  Per (person,
-- day) funnel_agg values of a generated clickstream, with person ids both
-- dense (bitmap containers) and sparse (negative, spread over many
-- containers): the people per step equal count(DISTINCT person) over the
-- values that reached the step; rollup(f) of per-day rollup(f, person)
-- values equals rollup(f, person) over all values, whatever the split, the
-- range of days and the order; serial equals forced parallel; text and
-- binary forms round-trip.
\ir lib/tap_begin.sql
\set users 6000
\set seed 17
\ir data/clickstream.sql

SELECT plan(24);

-- person ids: five of six users dense (their user_id, 1..6000: more than
-- 4096 in container 0 at step 1, a bitmap; fewer at the later steps, an
-- array), the others sparse and negative (one id per container)
CREATE TABLE pv AS
SELECT CASE WHEN user_id % 6 = 0 THEN user_id * -700001 ELSE user_id END AS person,
       (ts AT TIME ZONE 'UTC')::date AS day,
       funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
FROM events GROUP BY 1, 2;
ANALYZE pv;
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE per_day AS
SELECT day, rollup(f, person) AS f FROM pv GROUP BY day;
CREATE TEMP TABLE total AS SELECT rollup(f, person) AS f FROM pv;

-- 1. non-vacuity: people on several days, every step reached, a bitmap
SELECT ok((SELECT count(*) FROM (SELECT person FROM pv GROUP BY person HAVING count(*) > 1) s) > 500,
          'more than 500 people have values on several days');
SELECT ok((SELECT count(*) FROM pv WHERE max_step(f) = 4) > 0,
          'some values reached step 4');
SELECT ok((SELECT count(DISTINCT person) FROM pv WHERE person BETWEEN 0 AND 65535 AND max_step(f) >= 1) > 4096,
          'more than 4096 people at step 1 in container 0: a bitmap');
SELECT ok((SELECT count(DISTINCT person) FROM pv WHERE person BETWEEN 0 AND 65535 AND max_step(f) >= 2) BETWEEN 513 AND 4096,
          'between 513 and 4096 people at step 2 in container 0: an array (a bitmap while merging)');

-- 2. people per step = distinct persons whose values reached it; the
-- counts stay entity-periods
SELECT results_eq(
    'SELECT step, people FROM funnel_people_steps((SELECT f FROM total)) ORDER BY step',
    'SELECT k, count(DISTINCT person) FILTER (WHERE max_step(f) >= k) FROM pv, generate_series(1, 4) k GROUP BY k ORDER BY k',
    'people at step k = count(DISTINCT person) over values with max_step >= k');
SELECT results_eq(
    'SELECT step, entered FROM funnel_steps((SELECT f FROM total)) ORDER BY step',
    'SELECT k, count(*) FILTER (WHERE max_step(f) >= k) FROM pv, generate_series(1, 4) k GROUP BY k ORDER BY k',
    'funnel_steps still counts (person, day) values');
SELECT is((SELECT array_agg(id ORDER BY id) FROM people_ids((SELECT f FROM total), 3) id),
          (SELECT array_agg(DISTINCT person ORDER BY person) FROM pv WHERE max_step(f) >= 3),
          'people_ids(f, 3) lists the persons whose values reached step 3, ascending');

-- 3. merging days equals one rollup over all values, whatever the split
SELECT is((SELECT rollup(f)::text FROM per_day), (SELECT f::text FROM total),
          'rollup(f) of per-day people funnels = rollup(f, person) over all values');
SELECT is((SELECT rollup(f ORDER BY day DESC)::text FROM per_day), (SELECT f::text FROM total),
          'in descending day order');
SELECT is((SELECT rollup(f)::text
           FROM (SELECT rollup(f, person) AS f FROM pv
                 GROUP BY day, hashint8(person) % 5) s),
          (SELECT f::text FROM total),
          'split by day and by a hash of the person (persons repeat across parts)');
SELECT is((SELECT rollup(f)::text
           FROM (SELECT rollup(f) AS f FROM per_day GROUP BY extract(dow FROM day)) w),
          (SELECT f::text FROM total),
          'rollup of rollups: days merged by weekday first');
-- random ranges of days: the merged days equal one rollup over the range
SELECT is((SELECT count(*) FROM generate_series(1, 6) r,
           LATERAL (SELECT (SELECT min(day) FROM pv) + (hashint4(r * 7) & 7) AS lo,
                           (SELECT min(day) FROM pv) + 7 + (hashint4(r * 13) & 7) AS hi) b
           WHERE (SELECT rollup(f)::text FROM per_day WHERE day BETWEEN lo AND hi)
                 IS DISTINCT FROM
                 (SELECT rollup(f, person)::text FROM pv WHERE day BETWEEN lo AND hi)),
          0::bigint,
          'six ranges of days: merged days = one rollup(f, person) over the range');

-- 4. serial equals forced parallel.  Each parallel result is stored with
-- CREATE TABLE AS, whose EXPLAIN ANALYZE runs it (pgTAP's results_eq and a
-- query inside is() are planned serially); the plan shape is asserted on
-- that same run, then the stored value is compared.
\ir lib/plan_of.sql
\ir lib/force_parallel.sql
-- the combine runs only when two processes hold rows: without the leader,
-- and paced so that both workers get some of the table
SET parallel_leader_participation = off;
SELECT ok(plan ~ 'Partial Aggregate' AND plan ~ 'Workers Launched: 2'
          AND plan ~ 'Parallel Seq Scan.*Worker 0:  actual rows=[1-9].*Worker 1:  actual rows=[1-9]',
          'the parallel plan splits rollup(f, person) across two launched workers that both read rows')
FROM pg_temp.verbose_plan_of($$CREATE TEMP TABLE parallel_people AS
    SELECT rollup(f, person)::text AS t FROM pv WHERE pg_temp.paced(abs(person))$$) AS plan;
RESET parallel_leader_participation;
SELECT is((SELECT t FROM parallel_people), (SELECT f::text FROM total),
          'rollup(f, person) with parallel partial aggregation (combine) equals serial');
CREATE TABLE pd AS SELECT day, hashint8(person) % 5 AS part, rollup(f, person) AS f FROM pv GROUP BY 1, 2;
ANALYZE pd;
SET parallel_leader_participation = off;
SELECT ok(plan ~ 'Partial Aggregate' AND plan ~ 'Workers Launched: 2'
          AND plan ~ 'Parallel Seq Scan.*Worker 0:  actual rows=[1-9].*Worker 1:  actual rows=[1-9]',
          'the parallel plan splits rollup(f) of people funnels across two launched workers that both read rows')
FROM pg_temp.verbose_plan_of($$CREATE TEMP TABLE parallel_pd AS
    SELECT rollup(f)::text AS t FROM pd WHERE pg_temp.paced(part, 1)$$) AS plan;
SELECT is((SELECT t FROM parallel_pd), (SELECT f::text FROM total),
          'rollup(f) of people funnels with parallel partial aggregation equals serial');
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: 2'
          AND plan ~ 'Parallel Seq Scan.*Worker 0:  actual rows=[1-9].*Worker 1:  actual rows=[1-9]',
          'the parallel plan splits rollup(f, person) per day across two launched workers that both read rows')
FROM pg_temp.verbose_plan_of($$CREATE TEMP TABLE parallel_per_day AS
    SELECT day, rollup(f, person)::text AS f FROM pv WHERE pg_temp.paced(abs(person)) GROUP BY day$$) AS plan;
RESET parallel_leader_participation;
SELECT results_eq(
    'SELECT day, f FROM parallel_per_day ORDER BY day',
    'SELECT day, f::text FROM per_day ORDER BY day',
    'rollup(f, person) per day with parallel partial (hash or sorted) aggregation equals serial');
-- the whole query inside one parallel worker: the final value built there
-- (debug_parallel_query puts its Gather, Single Copy, only on top of a plan
-- without a Gather of its own, so partial plans are priced out)
\ir lib/in_worker.sql
CREATE TABLE pdays AS SELECT * FROM per_day;
CREATE TABLE ptotal AS SELECT f::text AS t FROM total;
SELECT pg_temp.in_worker(true);
SET parallel_setup_cost = 1e10;
SELECT ok(plan ~ 'Single Copy: true' AND plan ~ 'Workers Launched: 1',
          'forced parallel mode runs rollup(f) of people funnels in a launched worker')
FROM pg_temp.plan_of('CREATE TEMP TABLE in_worker_pdays AS SELECT rollup(f)::text AS t FROM pdays') AS plan;
SELECT ok(plan ~ 'Single Copy: true' AND plan ~ 'Workers Launched: 1',
          'forced parallel mode runs rollup(f, person) in a launched worker')
FROM pg_temp.plan_of('CREATE TEMP TABLE in_worker_pv AS SELECT rollup(f, person)::text AS t FROM pv') AS plan;
SELECT pg_temp.in_worker(false);
SET parallel_setup_cost = 0;
SELECT results_eq('SELECT t FROM in_worker_pdays', 'SELECT t FROM ptotal',
                  'rollup(f) of people funnels inside a parallel worker equals serial');
SELECT results_eq('SELECT t FROM in_worker_pv', 'SELECT t FROM ptotal',
                  'rollup(f, person) inside a parallel worker equals serial');
SET max_parallel_workers_per_gather = 0;

-- 5. text and binary round trips
\ir lib/try_recv.sql
SELECT is((SELECT count(*) FROM (SELECT f FROM per_day UNION ALL SELECT f FROM total) s
           WHERE f::text::funnel::text IS DISTINCT FROM f::text
              OR funnel_send(f::text::funnel) IS DISTINCT FROM funnel_send(f)),
          0::bigint, 'text form reads back to the same value and bytes');
SELECT is((SELECT count(*) FROM (SELECT f FROM per_day UNION ALL SELECT f FROM total) s,
           LATERAL pg_temp.try_recv('funnel', funnel_send(f)) r
           WHERE r.state <> 'accepted' OR r.sent IS DISTINCT FROM funnel_send(f)
              OR r.txt IS DISTINCT FROM f::text),
          0::bigint, 'binary form reads back to the same bytes and text');

SELECT * FROM finish();
ROLLBACK;
