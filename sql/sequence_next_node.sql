-- sequence_next_node: ClickHouse's sequenceNextNode
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- one user's pages A B C D E, one per second
CREATE TEMP TABLE flow (id int, dt timestamptz, page text, ref text);
INSERT INTO flow VALUES
  (1, '2026-01-01 00:00:01', 'A', 'ref4'), (1, '2026-01-01 00:00:02', 'B', 'ref3'),
  (1, '2026-01-01 00:00:03', 'C', 'ref2'), (1, '2026-01-01 00:00:04', 'D', 'ref1'),
  (1, '2026-01-01 00:00:05', 'E', 'ref5'),
  -- user 2: A B A C, and B D
  (2, '2026-01-01 00:00:01', 'A', 'ref1'), (2, '2026-01-01 00:00:02', 'B', 'ref2'),
  (2, '2026-01-01 00:00:03', 'A', 'ref3'), (2, '2026-01-01 00:00:04', 'C', 'ref4'),
  (2, '2026-01-01 00:00:05', 'B', 'ref5'), (2, '2026-01-01 00:00:06', 'D', 'ref6');

-- forward from the head: the chain must start at the first event
SELECT id,
       sequence_next_node('forward', 'head', dt, page, true, page = 'A') AS after_a,
       sequence_next_node('forward', 'head', dt, page, true, page = 'A', page = 'B') AS after_ab,
       sequence_next_node('forward', 'head', dt, page, true, page = 'B') AS head_is_not_b,
       sequence_next_node('forward', 'head', dt, page, page = 'B', page = 'A') AS head_cannot_be_base
FROM flow GROUP BY id ORDER BY id;
-- first and last match of condition 1, forward and backward
SELECT id,
       sequence_next_node('forward', 'first_match', dt, page, true, page = 'A') AS after_first_a,
       sequence_next_node('forward', 'last_match', dt, page, true, page = 'A') AS after_last_a,
       sequence_next_node('forward', 'first_match', dt, page, true, page = 'B', page = 'D') AS after_first_bd,
       sequence_next_node('backward', 'first_match', dt, page, true, page = 'B') AS before_first_b,
       sequence_next_node('backward', 'last_match', dt, page, true, page = 'B') AS before_last_b,
       sequence_next_node('backward', 'last_match', dt, page, true, page = 'C', page = 'A') AS before_last_ca
FROM flow GROUP BY id ORDER BY id;
-- backward from the tail; base_cond restricts the base event
SELECT id,
       sequence_next_node('backward', 'tail', dt, page, true, page IN ('D', 'E')) AS before_tail,
       sequence_next_node('backward', 'tail', dt, page, true, page IN ('D', 'E'), page IN ('C', 'B')) AS before_tail_2,
       sequence_next_node('forward', 'first_match', dt, page, ref = 'ref3', page = 'A') AS after_a_from_ref3,
       sequence_next_node('forward', 'first_match', dt, ref, true, page = 'B') AS ref_after_b
FROM flow GROUP BY id ORDER BY id;
-- no condition: head and tail return the base event itself
SELECT id, sequence_next_node('forward', 'head', dt, page, true, VARIADIC ARRAY[]::boolean[]) AS head,
       sequence_next_node('backward', 'tail', dt, page, true, VARIADIC ARRAY[]::boolean[]) AS tail
FROM flow GROUP BY id ORDER BY id;
-- a chain that runs off either end, and a chain longer than the events
SELECT sequence_next_node('forward', 'first_match', dt, page, true, page = 'D', page = 'E') AS off_end,
       sequence_next_node('backward', 'first_match', dt, page, true, page = 'A') AS before_start,
       sequence_next_node('forward', 'head', dt, page, true, VARIADIC array_fill(true, ARRAY[5])) AS too_long
FROM flow WHERE id = 1;
-- timestamp without time zone; rows in any order give the same answers
SELECT id, sequence_next_node('forward', 'first_match', dt::timestamp, page, true, page = 'B') AS ts_no_tz,
       sequence_next_node('forward', 'first_match', dt, page, true, page = 'B') AS ts_tz
FROM (SELECT * FROM flow ORDER BY dt DESC) f GROUP BY id ORDER BY id;
-- ties: equal timestamps are ordered by value; NULL timestamps are skipped;
-- a NULL value is an event whose value is NULL; NULL conditions are false
SELECT sequence_next_node('forward', 'head', ts, v, true, v = 'x') AS after_x,
       sequence_next_node('forward', 'head', ts, v, true, v = 'x', v = 'y') AS after_xy
FROM (VALUES ('2026-01-01'::timestamptz, 'z'), ('2026-01-01', 'x'), ('2026-01-01', 'y'),
             (NULL, 'w')) v(ts, v);
SELECT sequence_next_node('forward', 'head', ts, v, true, v = 'x') IS NULL AS null_value,
       sequence_next_node('forward', 'head', ts, v, true, NULL::boolean) AS null_condition
FROM (VALUES ('2026-01-01 00:00:01'::timestamptz, 'x'), ('2026-01-01 00:00:02', NULL)) v(ts, v);
SELECT sequence_next_node('forward', 'head', now(), 'a', true, true) IS NULL AS no_rows FROM flow WHERE false;

-- errors
-- pg_temp.expect_error(stmt): SQLSTATE, message and hint of a statement
\i test/lib/expect_error.sql
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node('sideways', 'head', dt, page, true, true) FROM flow$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node('forward', 'middle', dt, page, true, true) FROM flow$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node('backward', 'head', dt, page, true, true) FROM flow$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node('forward', 'tail', dt, page, true, true) FROM flow$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node('forward', 'first_match', dt, page, true, VARIADIC ARRAY[]::boolean[]) FROM flow$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node(NULL, 'head', dt, page, true, true) FROM flow$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node('forward', 'head', dt, page, true, VARIADIC array_fill(true, ARRAY[65])) FROM flow$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node('forward', 'head', dt, page, true, VARIADIC NULL::boolean[]) FROM flow$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node(CASE WHEN page = 'A' THEN 'forward' ELSE 'backward' END, 'first_match', dt, page, true, true) FROM flow$$);
