-- pgTAP: sequence_match_events (ClickHouse's sequenceMatchEvents) on a
-- generated clickstream.  Per user and pattern:
--   * serial, forced-parallel (partial aggregation: the event buffers and the
--     pattern are serialized and combined) and shuffled rows agree, for the
--     timestamptz and the timestamp forms;
--   * for a pattern ending in a (?N) item or .*, sequence_match is true iff
--     the array holds one time per (?N) item (a match gives one per item; the
--     longest partial chain is shorter); a trailing "." keeps only the "if";
--   * the times are in order, each is the time of a row of that user on
--     which the item's condition holds, and a full match of
--     (?1)(?t<=3600)(?2) is at most an hour long.
\ir lib/tap_begin.sql
\set users 3000
\set seed 23
\ir data/clickstream.sql

SELECT plan(11);

CREATE TABLE events_shuffled AS SELECT * FROM events ORDER BY md5(user_id::text || ts::text || event);
ANALYZE events_shuffled;

-- the patterns, the event of each condition, and the condition of each (?N)
-- item in pattern order; the last pattern ends in "."
CREATE TEMP TABLE patterns (id int, pattern text, conds text[], items int[], exact boolean);
INSERT INTO patterns VALUES
  (1, '(?1).*(?2)', '{view,cart}', '{1,2}', true),
  (2, '(?1)(?t<=3600)(?2)', '{search,purchase}', '{1,2}', true),
  (3, '(?1).*(?2).*(?3).*(?4)', '{view,cart,checkout,purchase}', '{1,2,3,4}', true),
  (4, '(?1)(?t>=60).(?2)', '{view,cart,checkout}', '{1,2}', true),
  (5, '(?2).*(?1)', '{view,purchase}', '{2,1}', true),
  (6, '(?1)(?2)(?3)', '{view,cart,checkout}', '{1,2,3}', true),
  (7, '(?1).*(?1)(?t<=600)(?2).*', '{cart,checkout}', '{1,1,2}', true),
  (8, '(?1)(?2).', '{view,cart}', '{1,2}', false);

-- one row per user: each pattern's events (conditions beyond a pattern's
-- own are false, which keeps its rows and numbering), and whether it matched
CREATE FUNCTION pg_temp.events_query(src text) RETURNS text LANGUAGE sql AS $$
    SELECT format($q$
      SELECT user_id,
             %s
      FROM %I GROUP BY user_id$q$,
      string_agg(format($c$sequence_match_events(%L, ts, %s) AS e%s,
             sequence_match_events(%L, ts::timestamp, %s) AS p%s,
             sequence_match(%L, ts, %s) AS m%s$c$,
             pattern, conds_sql, id, pattern, conds_sql, id, pattern, conds_sql, id), E',\n             '
             ORDER BY id),
      src)
    FROM (SELECT id, pattern,
                 (SELECT string_agg(format('event = %L', c), ', ' ORDER BY o)
                  FROM unnest(conds) WITH ORDINALITY AS u(c, o)) AS conds_sql
          FROM patterns) p
$$;
\ir lib/plan_of.sql

SET TimeZone = 'UTC';
SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.events_query('events') AS q \gset
CREATE TEMP TABLE serial AS :q;

-- the answers in long form: user, pattern, item, time
CREATE TEMP TABLE answers AS
SELECT s.user_id, p.id, p.items, p.exact, v.e, v.plain, v.matched
FROM serial s
CROSS JOIN LATERAL (VALUES (1, s.e1, s.p1, s.m1), (2, s.e2, s.p2, s.m2), (3, s.e3, s.p3, s.m3),
                           (4, s.e4, s.p4, s.m4), (5, s.e5, s.p5, s.m5), (6, s.e6, s.p6, s.m6),
                           (7, s.e7, s.p7, s.m7), (8, s.e8, s.p8, s.m8)) AS v(id, e, plain, matched)
JOIN patterns p ON p.id = v.id;

SELECT ok((SELECT bool_and(full_matches > 0 AND partial > 0) AND bool_and(empty > 0) FILTER (WHERE id IN (2, 5, 7))
           FROM (SELECT id,
                        count(*) FILTER (WHERE matched) AS full_matches,
                        count(*) FILTER (WHERE NOT matched AND cardinality(e) > 0) AS partial,
                        count(*) FILTER (WHERE cardinality(e) = 0) AS empty
                 FROM answers GROUP BY id) c)
          AND (SELECT count(*) > 0 FROM answers WHERE id = 8 AND NOT matched AND cardinality(e) = 2),
          'every pattern has users with a match and users with only a partial chain, those not starting with a view users with none, and the trailing "." pattern partial chains of full length');

SELECT is((SELECT count(*) FROM answers WHERE exact AND matched <> (cardinality(e) = cardinality(items))),
          0::bigint,
          'for patterns ending in (?N) or .*, sequence_match is true iff every (?N) item has a time');
SELECT is((SELECT count(*) FROM answers WHERE matched AND cardinality(e) <> cardinality(items)),
          0::bigint,
          'a match has one time per (?N) item, whatever the pattern ends with');

SELECT is((SELECT count(*) FROM answers a
           WHERE EXISTS (SELECT 1 FROM unnest(a.e) WITH ORDINALITY AS u(t, o)
                         WHERE o > 1 AND t < a.e[o - 1])),
          0::bigint,
          'the times are in order');
SELECT is((SELECT count(*)
           FROM answers a CROSS JOIN LATERAL unnest(a.e) WITH ORDINALITY AS u(t, o)
           JOIN patterns p ON p.id = a.id
           WHERE NOT EXISTS (SELECT 1 FROM events x
                             WHERE x.user_id = a.user_id AND x.ts = u.t
                               AND x.event = p.conds[p.items[u.o]])),
          0::bigint,
          'every time is that of a row of the user on which the item''s condition holds');
SELECT is((SELECT count(*) FROM answers
           WHERE id = 2 AND matched AND e[2] - e[1] > interval '1 hour'),
          0::bigint,
          'a match of (?1)(?t<=3600)(?2) spans at most an hour');
SELECT is((SELECT count(*) FROM answers WHERE plain IS DISTINCT FROM e::timestamp[]),
          0::bigint,
          'the timestamp form gives the same times (the session zone is UTC)');

-- parallel results are stored with CREATE TABLE AS (run by EXPLAIN
-- ANALYZE, which shows the workers): results_eq runs its queries as
-- cursors, which PostgreSQL never plans in parallel
\ir lib/force_parallel.sql
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits the aggregates across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_result AS ' || :'q') AS plan;
SELECT results_eq('SELECT * FROM parallel_result ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'parallel partial aggregation equals serial');
SELECT pg_temp.events_query('events_shuffled') AS qs \gset
SELECT ok(pg_temp.plan_of('CREATE TEMP TABLE parallel_shuffled AS ' || :'qs') ~ 'Workers Launched: [1-9]',
          'shuffled rows: the parallel plan launches workers');
SELECT results_eq('SELECT * FROM parallel_shuffled ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'shuffled rows in parallel equal serial');
SET max_parallel_workers_per_gather = 0;

SELECT * FROM finish();
ROLLBACK;
