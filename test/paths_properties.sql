-- pgTAP: properties of path_agg and the paths type on generated data (3000
-- entities, six event names, integer times with many ties): path_agg does
-- not depend on row order; rollup does not depend on how the entities are
-- split or in what order the parts merge; serial equals forced parallel
-- (path_agg's internal state serialized and combined, rollup's paths
-- state combined, the whole query in one worker); the text and binary forms
-- round-trip, and binary input accepts no more than text input; and the
-- counts agree with plain SQL where one path per entity makes that easy.
\ir lib/tap_begin.sql

SELECT plan(27);

-- entity u has 5 + u % 13 rows; times 0..39 minutes (ties within an
-- entity are common), events from six names; the same rows on every run
CREATE TABLE pev AS
SELECT u, (hashint8extended(u * 64 + k, 7) % 40 + 40) % 40 AS its,
       timestamptz '2026-01-01 00:00+00' +
         ((hashint8extended(u * 64 + k, 7) % 40 + 40) % 40) * interval '1 minute' AS ts,
       (ARRAY['home', 'search', 'view', 'cart', 'checkout', 'buy'])
         [1 + (hashint8extended(u * 64 + k, 8) % 6 + 6) % 6] AS ev
FROM generate_series(1, 3000) AS u, generate_series(1, 5 + u % 13) AS k;
-- a few NULL times and events
UPDATE pev SET ts = NULL, its = NULL WHERE u % 97 = 0 AND its < 4;
UPDATE pev SET ev = NULL WHERE u % 89 = 0 AND its > 36;
ANALYZE pev;

CREATE VIEW per_entity AS
SELECT u,
  path_agg(ts, ev)::text AS d1,
  path_agg('steps=4,collapse_repeats,max_gap=30 minutes,conversion=buy', ts, ev)::text AS d2,
  path_agg('direction=backward,anchor=cart,steps=3,max_gap=40,events=home|search|cart|buy', its, ev)::text AS d3,
  path_agg('conversion=buy,only=converted,steps=3', ts::timestamp, ev)::text AS d4
FROM pev GROUP BY u;

\ir lib/plan_of.sql

SET max_parallel_workers_per_gather = 0;
SET enable_partitionwise_aggregate = off;
CREATE TEMP TABLE serial AS SELECT * FROM per_entity;
CREATE TABLE pp AS SELECT u, d1::paths AS d1, d2::paths AS d2, d3::paths AS d3, d4::paths AS d4 FROM serial;
ANALYZE pp;
CREATE TEMP TABLE total AS
SELECT rollup(d1)::text AS d1, rollup(d2)::text AS d2, rollup(d3)::text AS d3, rollup(d4)::text AS d4 FROM pp;

-- 1. non-vacuity: ties, many paths, conversions, anchors found
SELECT ok((SELECT count(*) FROM (SELECT u, its FROM pev WHERE its IS NOT NULL GROUP BY u, its HAVING count(*) > 1) t) > 500,
          'the data has many ties at equal times within an entity');
SELECT ok((SELECT paths_count(d1::paths) FROM total) > 1000 AND (SELECT paths_count(d3::paths) FROM total) > 5,
          'the rollups hold many distinct paths');
SELECT ok((SELECT sum(converted) FROM top_paths((SELECT d2::paths FROM total), NULL)) > 100
          AND (SELECT sum(entities - converted) FROM top_paths((SELECT d2::paths FROM total), NULL)) > 100,
          'conversion= marks some paths converted and some not');

-- 2. counts against plain SQL: without max_gap or anchor every entity with a
-- kept row has exactly one path, and one step-1 edge when it has 2+ rows
SELECT is((SELECT entities(d1::paths) FROM total), 3000::bigint, 'entities counts every entity');
SELECT is((SELECT sum(entities) FROM top_paths((SELECT d1::paths FROM total), NULL))::bigint,
          (SELECT count(DISTINCT u) FROM pev WHERE ts IS NOT NULL AND ev IS NOT NULL),
          'default options: one path per entity with a kept row');
SELECT is((SELECT sum(entities) FROM path_edges((SELECT d1::paths FROM total)) WHERE step = 1)::bigint,
          (SELECT count(*) FROM (SELECT u FROM pev WHERE ts IS NOT NULL AND ev IS NOT NULL
                                 GROUP BY u HAVING count(*) >= 2) t),
          'default options: one step-1 edge per entity with two kept rows or more');
SELECT is((SELECT sum(entities) FROM top_paths((SELECT d4::paths FROM total), NULL))::bigint,
          (SELECT count(*) FROM (SELECT u FROM pev WHERE ts IS NOT NULL AND ev IS NOT NULL
                                 GROUP BY u HAVING bool_or(ev = 'buy')) t),
          'only=converted: one path per entity that has a buy');

-- 3. path_agg does not depend on row order
SELECT is_empty(
    $$SELECT u FROM (SELECT u,
        path_agg('steps=4,collapse_repeats,max_gap=30 minutes,conversion=buy', ts, ev ORDER BY md5(u::text || its::text || ev))::text AS a,
        path_agg('steps=4,collapse_repeats,max_gap=30 minutes,conversion=buy', ts, ev ORDER BY its DESC, ev DESC)::text AS b,
        path_agg('direction=backward,anchor=cart,steps=3,max_gap=40,events=home|search|cart|buy', its, ev ORDER BY ev, its DESC)::text AS c
      FROM pev GROUP BY u) s JOIN serial USING (u)
      WHERE a IS DISTINCT FROM serial.d2 OR b IS DISTINCT FROM serial.d2 OR c IS DISTINCT FROM serial.d3$$,
    'path_agg gives the same value whatever order its rows arrive in');

-- 4. rollup does not depend on the split or the order of the parts
SELECT is((SELECT rollup(p ORDER BY md5(k::text))::text FROM (SELECT u % 7 AS k, rollup(d1) AS p FROM pp GROUP BY 1) s),
          (SELECT d1 FROM total), 'd1: rollup of rollups split by u % 7, in md5 order, equals the rollup of all');
SELECT is((SELECT rollup(p ORDER BY k DESC)::text FROM (SELECT hashint4(u) % 5 AS k, rollup(d2 ORDER BY u DESC) AS p FROM pp GROUP BY 1) s),
          (SELECT d2 FROM total), 'd2: rollup of rollups split by hash, parts in another order, equals the rollup of all');
SELECT is((SELECT rollup(p)::text FROM (SELECT u / 1000 AS k, rollup(d3) AS p FROM pp GROUP BY 1 ORDER BY 1 DESC) s),
          (SELECT d3 FROM total), 'd3: rollup of rollups split into ranges equals the rollup of all');
SELECT is((SELECT rollup(d4 ORDER BY md5(u::text))::text FROM pp),
          (SELECT d4 FROM total), 'd4: rollup in md5 order equals the rollup in table order');

-- 5. serial equals forced parallel (see doc/development.md on materializing)
\ir lib/force_parallel.sql
SET enable_hashagg = on;
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits path_agg across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_hash AS SELECT * FROM per_entity') AS plan;
SELECT results_eq('SELECT * FROM parallel_hash ORDER BY u', 'SELECT * FROM serial ORDER BY u',
                  'per-entity path_agg: parallel partial aggregation (hash) equals serial');
SET enable_hashagg = off;
SELECT ok(plan ~ 'Partial GroupAggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the sorted parallel plan splits path_agg across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_sorted AS SELECT * FROM per_entity') AS plan;
SELECT results_eq('SELECT * FROM parallel_sorted ORDER BY u', 'SELECT * FROM serial ORDER BY u',
                  'per-entity path_agg: parallel partial aggregation (sorted) equals serial');
RESET enable_hashagg;
SET parallel_leader_participation = off;
SELECT ok(plan ~ 'Partial Aggregate' AND plan ~ 'Workers Launched: 2'
          AND plan ~ 'Parallel Seq Scan.*Worker 0:  actual rows=[1-9].*Worker 1:  actual rows=[1-9]',
          'the parallel plan splits rollup across two launched workers that both read rows')
FROM pg_temp.verbose_plan_of($$CREATE TEMP TABLE parallel_rollup AS
    SELECT rollup(d1)::text AS d1, rollup(d2)::text AS d2, rollup(d3)::text AS d3, rollup(d4)::text AS d4
    FROM pp WHERE pg_temp.paced(u)$$) AS plan;
RESET parallel_leader_participation;
SELECT results_eq('SELECT * FROM parallel_rollup', 'SELECT * FROM total',
                  'rollup with parallel partial aggregation (combine) equals serial');
\ir lib/in_worker.sql
SELECT pg_temp.in_worker(true);
SET parallel_setup_cost = 1e10;
SELECT ok(plan ~ 'Single Copy: true' AND plan ~ 'Workers Launched: 1',
          'forced parallel mode runs the whole per-entity query in a launched worker')
FROM pg_temp.plan_of('CREATE TEMP TABLE in_worker_result AS SELECT * FROM per_entity') AS plan;
SELECT pg_temp.in_worker(false);
SET parallel_setup_cost = 0;
SELECT results_eq('SELECT * FROM in_worker_result ORDER BY u', 'SELECT * FROM serial ORDER BY u',
                  'per-entity path_agg: forced parallel mode equals serial');
SET max_parallel_workers_per_gather = 0;

-- 6. text and binary round-trips
SELECT is_empty(
    $$SELECT u FROM pp WHERE d1::text::paths::text IS DISTINCT FROM d1::text
         OR d2::text::paths::text IS DISTINCT FROM d2::text
         OR d3::text::paths::text IS DISTINCT FROM d3::text
         OR d4::text::paths::text IS DISTINCT FROM d4::text$$,
    'text round-trip: p::text::paths::text = p::text for every per-entity value');
SELECT is_empty(
    $$SELECT p FROM (SELECT d1 FROM total UNION ALL SELECT d2 FROM total
                     UNION ALL SELECT d3 FROM total UNION ALL SELECT d4 FROM total) t(p)
      WHERE p::paths::text IS DISTINCT FROM p$$,
    'text round-trip for every rollup');
CREATE TEMP TABLE bin_out AS
SELECT row_number() OVER (ORDER BY kind, u) AS id, p FROM (
    SELECT 1 AS kind, u, d1 AS p FROM pp
    UNION ALL SELECT 2, u, d2 FROM pp
    UNION ALL SELECT 3, u, d3 FROM pp
    UNION ALL SELECT 4, u, d4 FROM pp
    UNION ALL SELECT 5, 0, d1::paths FROM total
    UNION ALL SELECT 6, 0, d2::paths FROM total
    UNION ALL SELECT 7, 0, d3::paths FROM total
    UNION ALL SELECT 8, 0, d4::paths FROM total) AS s;
CREATE TEMP TABLE bin_in (LIKE bin_out);
\copy bin_out TO PROGRAM 'cat > /tmp/conversions_paths_properties_$PPID.bin' WITH (FORMAT binary)
\copy bin_in FROM PROGRAM 'cat /tmp/conversions_paths_properties_$PPID.bin' WITH (FORMAT binary)
\! rm -f /tmp/conversions_paths_properties_$PPID.bin
SELECT results_eq('SELECT id, p::text FROM bin_in ORDER BY id',
                  'SELECT id, p::text FROM bin_out ORDER BY id',
                  'binary round-trip: per-entity and rolled-up values survive COPY (FORMAT binary)');

-- 7. binary input accepts no more than text input: 1 to 3 random bytes of
-- a value's send output changed, or the value cut short; every value
-- receive accepts prints a text form that text input reads back to the
-- same bytes, and every refusal is a data or limit error
\ir lib/try_recv.sql
SELECT setseed(0.18);
CREATE TEMP TABLE path_seeds AS
SELECT paths_send(p) AS b FROM (
    SELECT d2 AS p FROM pp WHERE u % 150 = 0
    UNION ALL SELECT d3 FROM pp WHERE u % 150 = 1
    UNION ALL SELECT d4 FROM pp WHERE u % 150 = 2
    UNION ALL SELECT d3::paths FROM total
    UNION ALL SELECT d4::paths FROM total) s;
CREATE TEMP TABLE path_mutation (state text, sent bytea, reread bytea);
DO $$
DECLARE
    b bytea;
    r record;
BEGIN
    FOR i IN 1..300 LOOP
        SELECT s.b INTO b FROM path_seeds s ORDER BY random() LIMIT 1;
        IF random() < 0.1 THEN
            b := substr(b, 1, (random() * (length(b) - 1))::int);
        ELSE
            FOR k IN 1..(1 + (random() * 2)::int) LOOP
                b := set_byte(b, (random() * (length(b) - 1))::int, (random() * 255)::int);
            END LOOP;
        END IF;
        r := pg_temp.try_recv('paths', b);
        INSERT INTO path_mutation VALUES (r.state, r.sent,
                                          CASE WHEN r.state = 'accepted' THEN pg_temp.try_in('paths', r.txt) END);
    END LOOP;
END $$;
-- targeted: the entity count's low byte (after the version byte, the
-- options' length and the options) set to 255, which a value with fewer
-- entities accepts
INSERT INTO path_mutation
SELECT r.state, r.sent, CASE WHEN r.state = 'accepted' THEN pg_temp.try_in('paths', r.txt) END
FROM (SELECT b FROM path_seeds LIMIT 10) s,
     LATERAL pg_temp.try_recv('paths', set_byte(s.b, 5 + get_byte(s.b, 4) + 7, 255)) r;
SELECT is((SELECT count(*) FROM path_mutation WHERE state = 'accepted' AND reread IS DISTINCT FROM sent), 0::bigint,
          'the text of every mutated value binary input accepts reads back through text input to the same bytes');
SELECT is((SELECT count(*) FROM path_mutation), 310::bigint, 'every mutation ran to an outcome: 300 random, 10 targeted');
SELECT is((SELECT count(*) FROM path_mutation WHERE state <> 'accepted' AND left(state, 2) NOT IN ('22', '54')), 0::bigint,
          'every refused mutation is a data or limit error');
SELECT ok((SELECT count(*) FILTER (WHERE state = 'accepted') > 3 AND count(*) FILTER (WHERE state <> 'accepted') > 100
           FROM path_mutation),
          'mutations are both accepted and refused, so the checks are not vacuous');
SELECT diag(format('paths: %s mutations tried, %s accepted by binary input',
                   count(*), count(*) FILTER (WHERE state = 'accepted'))) FROM path_mutation;

SELECT * FROM finish();
ROLLBACK;
