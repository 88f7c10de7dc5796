-- sequence_match, sequence_count, sequence_match_events and
-- sequence_next_node over integer times (issue 18): ts bigint (or integer,
-- by the implicit int4 -> int8 cast); (?t op N) compares raw differences,
-- as ClickHouse does over its UInt time columns
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';

-- ClickHouse 00222_sequence_aggregate_function_family.sql, whose time
-- column is UInt32: every assertion of the file (but the empty pattern,
-- an error here) through the integer form, on the int column itself
CREATE TEMP TABLE sequence_test (time int, data int);
INSERT INTO sequence_test VALUES (0,0),(1,0),(2,0),(3,0),(4,1),(5,2),(6,0),(7,0),(8,0),(9,0),(10,1),(11,1);
CREATE TEMP TABLE ch00222 (p text, ch_match boolean, ch_count bigint, ch_events bigint[]);
INSERT INTO ch00222 VALUES
  ('.', true, 12, '{}'), ('.*', true, 12, '{}'), ('(?1)', true, 8, '{0}'), ('(?2)', true, 3, '{4}'),
  ('(?3)', true, 1, '{5}'), ('(?4)', false, 0, '{}'), ('(?1)(?1)', true, 4, '{0,1}'),
  ('(?1)(?1)(?1)', true, 2, '{0,1,2}'), ('(?1)(?1)(?1)(?1)', true, 2, '{0,1,2,3}'),
  ('(?1)(?1)(?1)(?1)(?1)', false, 0, '{0,1,2,3}'), ('(?1)(?1)(?1)(?1)(?2)', true, 2, '{0,1,2,3,4}'),
  ('(?1)(?t>10)(?2)', true, 1, '{0,11}'), ('(?1)(?t>11)(?2)', false, 0, '{0}'),
  ('(?1)(?t<11)(?2)', true, 2, '{0,4}'), ('(?1)(?t<3)(?3)', true, 1, '{3,5}'),
  ('(?1)(?t<=2)(?3)', true, 1, '{3,5}'), ('(?1)(?t<2)(?3)', false, 0, '{0}'),
  ('(?2)(?t>=7)(?2)', true, 1, '{4,11}'), ('(?2)(?t>7)(?2)', false, 0, '{4}'),
  ('(?2)(?3)(?1)', true, 1, '{4,5,6}');
SELECT x.p AS pattern, m.ours_match, c.ours_count, e.ours_events,
       m.ours_match = x.ch_match AND c.ours_count = x.ch_count AND e.ours_events = x.ch_events AS same_as_clickhouse
FROM ch00222 x,
     LATERAL (SELECT sequence_match(x.p, time, data = 0, data = 1, data = 2, data = 3) AS ours_match FROM sequence_test) m,
     LATERAL (SELECT sequence_count(x.p, time, data = 0, data = 1, data = 2, data = 3) AS ours_count FROM sequence_test) c,
     LATERAL (SELECT sequence_match_events(x.p, time, data = 0, data = 1, data = 2, data = 3) AS ours_events FROM sequence_test) e;
-- the file's two-condition cases
SELECT p AS pattern,
       sequence_match(p, time, data = 1, data = 2) AS ours_match,
       sequence_count(p, time, data = 1, data = 2) AS ours_count,
       sequence_match_events(p, time, data = 1, data = 2) AS ours_events,
       ch_match, ch_count, ch_events
FROM sequence_test,
     (VALUES ('(?1)(?t==2)(?2)', false, 0, '{4}'::bigint[]), ('(?1)(?t==1)(?2)', true, 1, '{4,5}')) AS x(p, ch_match, ch_count, ch_events)
GROUP BY p, ch_match, ch_count, ch_events ORDER BY p;

-- ClickHouse 26.7 reference vectors (test/data/vectors/, ts in whole
-- seconds as ClickHouse's integer times): 15 patterns x 100 event sets,
-- the integer form on ts itself against ClickHouse and against the
-- timestamptz form on to_timestamp(ts)
CREATE TEMP TABLE seq_events (case_id int, ts bigint, mask int);
\copy seq_events FROM 'test/data/vectors/sequence_events.csv' WITH (FORMAT csv)
CREATE TEMP TABLE seq_expected (case_id int, pattern text, sequence_match int, sequence_count int);
\copy seq_expected FROM 'test/data/vectors/sequence_expected.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE seq_ours AS
SELECT x.*, r.*
FROM seq_expected x,
     LATERAL (SELECT sequence_match(x.pattern, e.ts, (e.mask & 1) <> 0, (e.mask & 2) <> 0, (e.mask & 4) <> 0)::int AS int_match,
                     sequence_count(x.pattern, e.ts, (e.mask & 1) <> 0, (e.mask & 2) <> 0, (e.mask & 4) <> 0) AS int_count,
                     sequence_match_events(x.pattern, e.ts, (e.mask & 1) <> 0, (e.mask & 2) <> 0, (e.mask & 4) <> 0) AS int_events,
                     sequence_match(x.pattern, to_timestamp(e.ts), (e.mask & 1) <> 0, (e.mask & 2) <> 0, (e.mask & 4) <> 0)::int AS tz_match,
                     sequence_count(x.pattern, to_timestamp(e.ts), (e.mask & 1) <> 0, (e.mask & 2) <> 0, (e.mask & 4) <> 0) AS tz_count,
                     sequence_match_events(x.pattern, to_timestamp(e.ts), (e.mask & 1) <> 0, (e.mask & 2) <> 0, (e.mask & 4) <> 0) AS tz_events
              FROM seq_events e WHERE e.case_id = x.case_id) r;
SELECT pattern, count(*) AS cases,
       count(*) FILTER (WHERE int_match = sequence_match AND int_count = sequence_count) AS same_as_clickhouse,
       count(*) FILTER (WHERE int_match = tz_match AND int_count = tz_count
                          AND int_events = ARRAY(SELECT extract(epoch FROM u)::bigint FROM unnest(tz_events) u)) AS same_as_timestamptz,
       sum(int_count) AS matches
FROM seq_ours GROUP BY pattern ORDER BY pattern;

-- hand-checked: times in milliseconds, so (?t<=5000) is five seconds.
-- user 1: search at 1000, purchase at 4000 (3000 apart), search at 10000,
-- purchase at 20000 (10000 apart); user 2: search 0, purchase 5000
-- (exactly 5000: <= holds, < does not)
CREATE TEMP TABLE clicks_ms (user_id int, ts_ms bigint, event text);
INSERT INTO clicks_ms VALUES
  (1, 1000, 'search'), (1, 4000, 'purchase'), (1, 10000, 'search'), (1, 20000, 'purchase'),
  (2, 0, 'search'), (2, 5000, 'purchase');
SELECT user_id,
       sequence_match('(?1)(?t<=5000)(?2)', ts_ms, event = 'search', event = 'purchase') AS within_5000,
       sequence_match('(?1)(?t<5000)(?2)', ts_ms, event = 'search', event = 'purchase') AS under_5000,
       sequence_count('(?1)(?2)', ts_ms, event = 'search', event = 'purchase') AS pairs,
       sequence_count('(?1)(?t>5000)(?2)', ts_ms, event = 'search', event = 'purchase') AS slow_pairs,
       sequence_match_events('(?1)(?t>5000)(?2)', ts_ms, event = 'search', event = 'purchase') AS slow_events,
       pg_typeof(sequence_match_events('(?1)', ts_ms, true)) AS events_type
FROM clicks_ms GROUP BY user_id ORDER BY user_id;
-- the same rows with ts = epoch seconds give the timestamptz answers:
-- (?t<=5) on seconds, (?t<=5) on to_timestamp(seconds)
SELECT user_id,
       sequence_match('(?1)(?t<=5)(?2)', ts_ms / 1000, event = 'search', event = 'purchase') AS int_within_5,
       sequence_match('(?1)(?t<=5)(?2)', to_timestamp(ts_ms / 1000), event = 'search', event = 'purchase') AS tz_within_5,
       sequence_match_events('(?1)(?t>5)(?2)', ts_ms / 1000, event = 'search', event = 'purchase') AS int_events,
       sequence_match_events('(?1)(?t>5)(?2)', to_timestamp(ts_ms / 1000), event = 'search', event = 'purchase') AS tz_events
FROM clicks_ms GROUP BY user_id ORDER BY user_id;
-- negative times and times far from zero are ordinary integers
SELECT sequence_match_events('(?1)(?t==3)(?2)', t, e = 'a', e = 'b') AS negative,
       sequence_match_events('(?1)(?2)', t + 9223372036854775000, e = 'a', e = 'b') AS near_max
FROM (VALUES (-5, 'a'), (-2, 'b')) AS v(t, e);
-- a gap beyond the bigint range compares exactly with a condition below
-- it (not within 9e18); a condition of the largest bigint or more
-- saturates, as for timestamps: every two times are within it, none
-- beyond it
SELECT sequence_match('(?1)(?t>9223372036854775807)(?2)', t, e = 'a', e = 'b') AS gap_above_max,
       sequence_match('(?1)(?t<=9000000000000000000)(?2)', t, e = 'a', e = 'b') AS gap_within_9e18,
       sequence_match('(?1)(?t<=10000000000000000000)(?2)', t, e = 'a', e = 'b') AS saturated
FROM (VALUES (-9000000000000000000, 'a'), (9000000000000000000, 'b')) AS v(t, e);
-- no rows: false, 0 and an empty bigint[]
SELECT sequence_match('(?1)', 1::bigint, true) AS match, sequence_count('(?1)', 1::bigint, true) AS count,
       sequence_match_events('(?1)', 1::bigint, true) AS events
WHERE false;

-- ClickHouse 01656_sequence_next_node_long: its DateTime column holds epoch
-- seconds; here the same events at integer times 1..5.  Each line is one
-- case of the test (non-Nullable table), its ids' answers against the
-- test's .reference.
CREATE TEMP TABLE nn (t int, id int, action text);
INSERT INTO nn VALUES
  (1,1,'A'),(2,1,'B'),(3,1,'C'),(4,1,'D'), (1,2,'B'),(2,2,'B'),(3,2,'D'),(4,2,'C'),
  (1,3,'A'),(2,3,'B'), (1,4,'A'),(2,4,'A'),(3,4,'A'),(4,4,'B'),(5,4,'C'),
  (1,5,'A'),(2,5,'B'),(3,5,'A'),(4,5,'C'), (1,6,'A'),(2,6,'B'),(3,6,'A'),(4,6,'B'),(5,6,'C'),
  (1,10,'A'),(2,10,'B'),(3,10,'C'),(4,10,'D'), (1,11,'A'),(1,11,'B'),(1,11,'C'),(1,11,'D');
CREATE TEMP TABLE nn_base (t int, id int, action text, referrer text);
INSERT INTO nn_base VALUES
  (1,1,'A','1'),(2,1,'B','2'),(3,1,'C','3'),(4,1,'D','4'),
  (1,2,'D','4'),(2,2,'C','3'),(3,2,'B','2'),(4,2,'A','1'),
  (1,3,'B','10'),(2,3,'B','2'),(3,3,'D','3'),(4,3,'C','4');
-- the answers of one case, "id:value" per id (\N for NULL), over the
-- integer times and over to_timestamp of them
CREATE FUNCTION pg_temp.nn(tbl text, dir text, base text, base_cond text, conds text, ids text,
    OUT over_bigint text, OUT over_timestamptz text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE format('SELECT string_agg(id || '':'' || coalesce(n, ''\N''), '' '' ORDER BY id)
                    FROM (SELECT id, sequence_next_node(%L, %L, t, action, %s%s) AS n FROM %I WHERE %s GROUP BY id) s',
                   dir, base, base_cond, conds, tbl, ids) INTO over_bigint;
    EXECUTE format('SELECT string_agg(id || '':'' || coalesce(n, ''\N''), '' '' ORDER BY id)
                    FROM (SELECT id, sequence_next_node(%L, %L, to_timestamp(t), action, %s%s) AS n FROM %I WHERE %s GROUP BY id) s',
                   dir, base, base_cond, conds, tbl, ids) INTO over_timestamptz;
END $$;
SELECT c.name, r.over_bigint, r.over_bigint = c.clickhouse AS same_as_clickhouse,
       r.over_bigint = r.over_timestamptz AS same_as_timestamptz
FROM (VALUES
  ('(forward, head, A)', 'nn', 'forward', 'head', 'true', ', action = ''A''', 'id < 10', '1:B 2:\N 3:B 4:A 5:B 6:B'),
  ('(forward, head, B)', 'nn', 'forward', 'head', 'true', ', action = ''B''', 'id < 10', '1:\N 2:B 3:\N 4:\N 5:\N 6:\N'),
  ('(backward, tail, B)', 'nn', 'backward', 'tail', 'true', ', action = ''B''', 'id < 10', '1:\N 2:\N 3:A 4:\N 5:\N 6:\N'),
  ('(backward, tail, C)', 'nn', 'backward', 'tail', 'true', ', action = ''C''', 'id < 10', '1:\N 2:D 3:\N 4:B 5:A 6:B'),
  ('(backward, tail, D)', 'nn', 'backward', 'tail', 'true', ', action = ''D''', 'id < 10', '1:C 2:\N 3:\N 4:\N 5:\N 6:\N'),
  ('(forward, head, A->B)', 'nn', 'forward', 'head', 'true', ', action = ''A'', action = ''B''', 'id < 10', '1:C 2:\N 3:\N 4:\N 5:A 6:A'),
  ('(forward, head) id < 10', 'nn', 'forward', 'head', 'true', ', VARIADIC ARRAY[]::boolean[]', 'id < 10', '1:A 2:B 3:A 4:A 5:A 6:A'),
  ('(backward, tail) id < 10', 'nn', 'backward', 'tail', 'true', ', VARIADIC ARRAY[]::boolean[]', 'id < 10', '1:D 2:C 3:B 4:C 5:C 6:C'),
  ('(forward, first_match, A)', 'nn', 'forward', 'first_match', 'true', ', action = ''A''', 'true', '1:B 2:\N 3:B 4:A 5:B 6:B 10:B 11:B'),
  ('(forward, first_match, A->B)', 'nn', 'forward', 'first_match', 'true', ', action = ''A'', action = ''B''', 'true', '1:C 2:\N 3:\N 4:\N 5:A 6:A 10:C 11:C'),
  ('(forward, first_match, A->B->C)', 'nn', 'forward', 'first_match', 'true', ', action = ''A'', action = ''B'', action = ''C''', 'true', '1:D 2:\N 3:\N 4:\N 5:\N 6:\N 10:D 11:D'),
  ('(forward, first_match, B)', 'nn', 'forward', 'first_match', 'true', ', action = ''B''', 'true', '1:C 2:B 3:\N 4:C 5:A 6:A 10:C 11:C'),
  ('(forward, first_match, B->B)', 'nn', 'forward', 'first_match', 'true', ', action = ''B'', action = ''B''', 'true', '1:\N 2:D 3:\N 4:\N 5:\N 6:\N 10:\N 11:\N'),
  ('(forward, first_match, B->A)', 'nn', 'forward', 'first_match', 'true', ', action = ''B'', action = ''A''', 'true', '1:\N 2:\N 3:\N 4:\N 5:C 6:B 10:\N 11:\N'),
  ('(backward, first_match, A)', 'nn', 'backward', 'first_match', 'true', ', action = ''A''', 'true', '1:\N 2:\N 3:\N 4:\N 5:\N 6:\N 10:\N 11:\N'),
  ('(backward, first_match, B)', 'nn', 'backward', 'first_match', 'true', ', action = ''B''', 'true', '1:A 2:\N 3:A 4:A 5:A 6:A 10:A 11:A'),
  ('(backward, first_match, B->A)', 'nn', 'backward', 'first_match', 'true', ', action = ''B'', action = ''A''', 'true', '1:\N 2:\N 3:\N 4:A 5:\N 6:\N 10:\N 11:\N'),
  ('(backward, first_match, B->B)', 'nn', 'backward', 'first_match', 'true', ', action = ''B'', action = ''B''', 'true', '1:\N 2:\N 3:\N 4:\N 5:\N 6:\N 10:\N 11:\N'),
  ('(forward, head, 1)', 'nn_base', 'forward', 'head', 'referrer = ''1''', ', VARIADIC ARRAY[]::boolean[]', 'true', '1:A 2:\N 3:\N'),
  ('(forward, head, 1, A)', 'nn_base', 'forward', 'head', 'referrer = ''1''', ', action = ''A''', 'true', '1:B 2:\N 3:\N'),
  ('(forward, head, 1, A->B)', 'nn_base', 'forward', 'head', 'referrer = ''1''', ', action = ''A'', action = ''B''', 'true', '1:C 2:\N 3:\N'),
  ('(backward, tail, 1)', 'nn_base', 'backward', 'tail', 'referrer = ''1''', ', VARIADIC ARRAY[]::boolean[]', 'true', '1:\N 2:A 3:\N'),
  ('(backward, tail, 1, A)', 'nn_base', 'backward', 'tail', 'referrer = ''1''', ', action = ''A''', 'true', '1:\N 2:B 3:\N'),
  ('(backward, tail, 1, A->B)', 'nn_base', 'backward', 'tail', 'referrer = ''1''', ', action = ''A'', action = ''B''', 'true', '1:\N 2:C 3:\N'),
  ('(forward, first_match, 1, B)', 'nn_base', 'forward', 'first_match', 'referrer = ''2''', ', action = ''B''', 'true', '1:C 2:A 3:D'),
  ('(forward, first_match, 1, B->C)', 'nn_base', 'forward', 'first_match', 'referrer = ''2''', ', action = ''B'', action = ''C''', 'true', '1:D 2:\N 3:\N'),
  ('(backward, first_match, 1, B)', 'nn_base', 'backward', 'first_match', 'referrer = ''2''', ', action = ''B''', 'true', '1:A 2:C 3:B'),
  ('(backward, first_match, 1, B->C)', 'nn_base', 'backward', 'first_match', 'referrer = ''2''', ', action = ''B'', action = ''A''', 'true', '1:\N 2:\N 3:\N')
) AS c(name, tbl, dir, base, base_cond, conds, ids, clickhouse),
LATERAL pg_temp.nn(c.tbl, c.dir, c.base, c.base_cond, c.conds, c.ids) r;
-- sequence_next_node only orders the times: the smallest and largest
-- bigint are ordinary values there
SELECT sequence_next_node('forward', 'head', t, v, true, v = 'a') AS after_min,
       sequence_next_node('backward', 'tail', t, v, true, v = 'c') AS before_max
FROM (VALUES (-9223372036854775808, 'a'), (0, 'b'), (9223372036854775807, 'c')) AS x(t, v);

-- overload resolution: an integer column, an integer literal, a bigint
-- expression; every existing call (timestamptz, timestamp, to_timestamp)
-- resolves as before
SELECT sequence_match('(?1)(?t<=2)(?2)', 3, true, false) AS int_literal,
       sequence_count('(?1)', time, data = 1) AS int_column,
       sequence_count('(?1)', time::bigint * 1000, data = 1) AS bigint_expression,
       sequence_count('(?1)', to_timestamp(time), data = 1) AS timestamptz,
       sequence_count('(?1)', to_timestamp(time)::timestamp, data = 1) AS "timestamp",
       pg_typeof(sequence_match_events('(?1)', to_timestamp(time), data = 1)) AS tz_events,
       pg_typeof(sequence_match_events('(?1)', to_timestamp(time)::timestamp, data = 1)) AS ts_events,
       pg_typeof(sequence_match_events('(?1)', time, data = 1)) AS int_events
FROM sequence_test;
SELECT sequence_next_node('forward', 'head', t, v, true, v = 'a') AS int_column,
       sequence_next_node('forward', 'head', '2026-01-01'::timestamptz + t * interval '1 s', v, true, v = 'a') AS timestamptz
FROM (VALUES (1, 'a'), (2, 'b')) AS x(t, v);

-- errors: SQLSTATE, message and hint
\i test/lib/expect_error.sql
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
-- the two bigints that stand for infinite timestamps inside are refused
SELECT * FROM pg_temp.expect_error($$SELECT sequence_match('(?1)', t, true) FROM (VALUES (9223372036854775807)) v(t)$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_count('(?1)', t, true) FROM (VALUES (-9223372036854775808)) v(t)$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_match_events('(?1)', t, true) FROM (VALUES (1), (9223372036854775807)) v(t)$$);
-- ... but not on rows that match no condition (they are not kept)
SELECT * FROM pg_temp.expect_error($$SELECT sequence_match('(?1)', t, false) FROM (VALUES (9223372036854775807)) v(t)$$);
-- pattern errors are the timestamp forms' errors
SELECT * FROM pg_temp.expect_error($$SELECT sequence_match('(?1)(?t<)', 1::bigint, true)$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_count('(?2)', 1::bigint, true)$$);
-- an untyped literal as the time is ambiguous between the timestamp and
-- the integer forms: cast it
SELECT * FROM pg_temp.expect_error($$SELECT sequence_match('(?1)', '2026-01-01', true)$$);
