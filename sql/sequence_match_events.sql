-- sequence_match_events: the times of the events that matched each (?N)
-- item (ClickHouse's sequenceMatchEvents)
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';

-- timestamps as whole seconds since 1970, to compare with ClickHouse's UInt32 times
CREATE FUNCTION pg_temp.secs(a timestamptz[]) RETURNS bigint[] LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(array_agg(extract(epoch FROM x)::bigint ORDER BY o), '{}')
    FROM unnest(a) WITH ORDINALITY AS u(x, o)
$$;

-- the issue's example: (?1)(?2) over (t=1, c=1), (t=3, c=2)
SELECT sequence_match_events('(?1)(?2)', to_timestamp(t), c = 1, c = 2)
FROM (VALUES (1, 1), (3, 2)) AS v(t, c);

-- ClickHouse 00222_sequence_aggregate_function_family.sql (its
-- sequenceMatchEvents block, and the expected arrays it asserts): 12 events
CREATE TEMP TABLE sequence_test (time int, data int);
INSERT INTO sequence_test VALUES (0,0),(1,0),(2,0),(3,0),(4,1),(5,2),(6,0),(7,0),(8,0),(9,0),(10,1),(11,1);
SELECT p AS pattern, clickhouse,
       pg_temp.secs((SELECT sequence_match_events(p, to_timestamp(time), data = 0, data = 1, data = 2, data = 3)
                     FROM sequence_test)) AS ours,
       pg_temp.secs((SELECT sequence_match_events(p, to_timestamp(time), data = 0, data = 1, data = 2, data = 3)
                     FROM sequence_test)) = clickhouse AS same
FROM (VALUES ('.', '{}'::bigint[]), ('.*', '{}'), ('(?1)', '{0}'), ('(?2)', '{4}'), ('(?3)', '{5}'),
             ('(?4)', '{}'), ('(?1)(?1)', '{0,1}'), ('(?1)(?1)(?1)', '{0,1,2}'),
             ('(?1)(?1)(?1)(?1)', '{0,1,2,3}'), ('(?1)(?1)(?1)(?1)(?1)', '{0,1,2,3}'),
             ('(?1)(?1)(?1)(?1)(?2)', '{0,1,2,3,4}'), ('(?1)(?t>10)(?2)', '{0,11}'),
             ('(?1)(?t>11)(?2)', '{0}'), ('(?1)(?t<11)(?2)', '{0,4}'), ('(?1)(?t<3)(?3)', '{3,5}'),
             ('(?1)(?t<=2)(?3)', '{3,5}'), ('(?1)(?t<2)(?3)', '{0}'), ('(?2)(?t>=7)(?2)', '{4,11}'),
             ('(?2)(?t>7)(?2)', '{4}'), ('(?2)(?3)(?1)', '{4,5,6}')) AS x(p, clickhouse);
-- the same file's two-condition cases (rows with data = 0 match no condition
-- and are not kept)
SELECT p AS pattern, clickhouse,
       pg_temp.secs((SELECT sequence_match_events(p, to_timestamp(time), data = 1, data = 2)
                     FROM sequence_test)) AS ours
FROM (VALUES ('(?1)(?t==2)(?2)', '{4}'::bigint[]), ('(?1)(?t==1)(?2)', '{4,5}')) AS x(p, clickhouse);

-- 00222's cases for ClickHouse issue #118120 (PR #118497): the chain
-- returned must satisfy the time conditions between its events, a chain
-- that stops at a time condition is still the answer, and an event between
-- two matched ones breaks (?1)(?2)(?3)
SELECT pg_temp.secs(sequence_match_events('(?1)(?t<=10)(?2)(?3)', to_timestamp(t), e = 'A', e = 'B', e = 'C')) AS gate_events,
       sequence_match('(?1)(?t<=10)(?2)(?3)', to_timestamp(t), e = 'A', e = 'B', e = 'C') AS gate_match,
       sequence_count('(?1)(?t<=10)(?2)(?3)', to_timestamp(t), e = 'A', e = 'B', e = 'C') AS gate_count
FROM (VALUES (0, 'A'), (5, 'B'), (100, 'B'), (101, 'C')) AS v(t, e);
SELECT pg_temp.secs(sequence_match_events('(?1)(?t<=10)(?2)', to_timestamp(t), e = 'A', e = 'B')) AS stops_at_gate
FROM (VALUES (0, 'A'), (100, 'B')) AS v(t, e);
SELECT pg_temp.secs(sequence_match_events('(?1)(?2)(?3)', to_timestamp(t), e = 'A', e = 'B', e = 'C')) AS broken_events,
       sequence_match('(?1)(?2)(?3)', to_timestamp(t), e = 'A', e = 'B', e = 'C') AS broken_match
FROM (VALUES (0, 'A'), (1, 'B'), (2, 'B'), (3, 'C')) AS v(t, e);

-- ClickHouse's documentation example (parametric-functions.md,
-- sequenceMatchEvents): [1,3,4], the longest chain; (?3) never holds
CREATE TEMP TABLE t (time int, number int);
INSERT INTO t VALUES (1, 1), (2, 3), (3, 2), (4, 1), (5, 3), (6, 2);
SELECT pg_temp.secs(sequence_match_events('(?1).*(?2).*(?1)(?3)', to_timestamp(time),
                                          number = 1, number = 2, number = 4)) AS docs
FROM t;

-- hand-checked cases -------------------------------------------------------
CREATE TEMP TABLE ev (uid int, t int, e text);
INSERT INTO ev VALUES
  -- 1: a full match; the later a (t=5) is not used
  (1, 0, 'a'), (1, 2, 'x'), (1, 3, 'b'), (1, 5, 'a'), (1, 9, 'c'),
  -- 2: no c: the longest chain is a then b
  (2, 0, 'a'), (2, 1, 'b'),
  -- 3: ties: a and b at the same time; events are ordered by (time, mask),
  --    so a (mask 1) comes before b (mask 2)
  (3, 7, 'b'), (3, 7, 'a'), (3, 8, 'c'),
  -- 4: nothing matches any condition
  (4, 0, 'x'),
  -- 5: a NULL time and a NULL condition are ignored
  (5, NULL, 'a'), (5, 1, NULL), (5, 2, 'a'), (5, 4, 'b'), (5, 6, 'c'),
  -- 6: the first a cannot reach b within 5 s; the chain starts at the second a
  (6, 0, 'a'), (6, 10, 'a'), (6, 12, 'b'), (6, 13, 'c');
-- (?1).*(?2).*(?3): . and .* and time conditions contribute no time
SELECT uid,
       pg_temp.secs(sequence_match_events('(?1).*(?2).*(?3)', to_timestamp(t), e = 'a', e = 'b', e = 'c')) AS star,
       pg_temp.secs(sequence_match_events('(?1)(?t<=5).*(?2)', to_timestamp(t), e = 'a', e = 'b', e = 'c')) AS within5,
       pg_temp.secs(sequence_match_events('(?1).(?2)', to_timestamp(t), e = 'a', e = 'b', e = 'c')) AS one_between,
       pg_temp.secs(sequence_match_events('(?3)', to_timestamp(t), e = 'a', e = 'b', e = 'c')) AS only_c,
       sequence_match('(?1).*(?2).*(?3)', to_timestamp(t), e = 'a', e = 'b', e = 'c') AS matched
FROM ev GROUP BY uid ORDER BY uid;

-- the timestamp form returns timestamp[]; timestamptz is shown in the session's zone
SELECT sequence_match_events('(?1).*(?2)', to_timestamp(t)::timestamp, e = 'a', e = 'b') AS plain,
       pg_typeof(sequence_match_events('(?1).*(?2)', to_timestamp(t)::timestamp, e = 'a', e = 'b')) AS plain_type,
       pg_typeof(sequence_match_events('(?1).*(?2)', to_timestamp(t), e = 'a', e = 'b')) AS tz_type
FROM ev WHERE uid = 1;
SET TimeZone = 'Asia/Kathmandu';
SELECT sequence_match_events('(?1).*(?2)', to_timestamp(t), e = 'a', e = 'b') AS kathmandu
FROM ev WHERE uid = 1;
SET TimeZone = 'UTC';

-- infinite times are kept as they are
SELECT sequence_match_events('(?1).*(?2)', ts, e = 'a', e = 'b') AS infinite
FROM (VALUES ('-infinity'::timestamptz, 'a'), ('infinity', 'b')) AS v(ts, e);

-- no rows at all: an empty array (ClickHouse: [] for an empty group)
SELECT sequence_match_events('(?1)', now(), true) AS no_rows WHERE false;
SELECT sequence_match_events('(?1)', now()::timestamp, true) AS no_rows_plain WHERE false;
-- rows, but none with a true condition: empty too
SELECT sequence_match_events('(?1)', to_timestamp(t), false) AS none_true FROM ev WHERE uid = 1;

-- input order does not matter: the rows of uid 1 shuffled give the same answer
SELECT pg_temp.secs(sequence_match_events('(?1).*(?2).*(?3)', to_timestamp(t), e = 'a', e = 'b', e = 'c')) AS shuffled
FROM (SELECT * FROM ev WHERE uid = 1 ORDER BY t DESC) s;

-- errors: the same pattern checks and messages as sequence_match --------------
SELECT sequence_match_events('', to_timestamp(t), e = 'a') FROM ev;
SELECT sequence_match_events('(?0)', to_timestamp(t), e = 'a') FROM ev;
SELECT sequence_match_events('(?2)', to_timestamp(t), e = 'a') FROM ev;
SELECT sequence_match_events('(?1)(?t==+)(?1)', to_timestamp(t), e = 'a') FROM ev;
SELECT sequence_match_events('(?1)(?t<1)(?t<2)', to_timestamp(t), e = 'a') FROM ev;
SELECT sequence_match_events(NULL, to_timestamp(t), e = 'a') FROM ev;
SELECT sequence_match_events(CASE WHEN t > 3 THEN '(?1)' ELSE '(?1).*' END, to_timestamp(t), e = 'a') FROM ev;
SELECT sequence_match_events('(?1)', to_timestamp(t)) FROM ev;
SELECT sequence_match_events(repeat('.', 257), to_timestamp(t), e = 'a') FROM ev;

-- the matcher's memory limit is sequence_match's (sql/sequence_limits.sql):
-- 241 bit sets over 1,000 events need 32,776 bytes, over 400 events 15,424
CREATE TEMP TABLE seq_rows AS
SELECT g, to_timestamp(g) AS ts FROM generate_series(1, 1000) g;
SET conversions.max_group_events = 1000;
SELECT sequence_match_events(repeat('.*(?1)', 120), ts, true) FROM seq_rows;
-- within it: 120 times, one per (?1), the first 120 seconds
SELECT cardinality(e) AS n, pg_temp.secs(e[1:2]) AS first_two, pg_temp.secs(e[119:120]) AS last_two
FROM (SELECT sequence_match_events(repeat('.*(?1)', 120), ts, true) AS e FROM seq_rows WHERE g <= 400) s;
RESET conversions.max_group_events;
