-- sequence_next_node with more than 32 conditions (up to 64, as ClickHouse)
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- pg_temp.pages(first, step, count): the page names 'p<first>', 'p<first+step>', ...
CREATE FUNCTION pg_temp.pages(first int, step int, count int) RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT array_agg('p' || (first + (k - 1) * step) ORDER BY k) FROM generate_series(1, count) k
$$;
-- pg_temp.is_each(v, labels): the conditions v = labels[1], v = labels[2], ...
CREATE FUNCTION pg_temp.is_each(v text, labels text[]) RETURNS boolean[]
LANGUAGE sql IMMUTABLE AS $$
    SELECT array_agg(v = l ORDER BY o) FROM unnest(labels) WITH ORDINALITY u(l, o)
$$;
SELECT pg_temp.pages(1, 1, 3) AS forward_3, pg_temp.pages(70, -1, 3) AS backward_3,
       pg_temp.is_each('p2', pg_temp.pages(1, 1, 3)) AS p2_matches;

-- users 1 to 4 each visit the pages p1, p2, ..., p70, one per second, except
-- that user 2's 40th page is x, user 3's 64th and user 4's 7th
CREATE TEMP TABLE wide (id int, ts timestamptz, n int, page text);
INSERT INTO wide
SELECT id, timestamptz '2026-01-01' + n * interval '1 second', n,
       CASE WHEN (id, n) IN ((2, 40), (3, 64), (4, 7)) THEN 'x' ELSE 'p' || n END
FROM generate_series(1, 4) id, generate_series(1, 70) n;

-- forward from the head, conditions p1, p2, ..., pK: the page after pK,
-- unless the chain reaches a replaced page (user 2 from K = 40, user 3 at
-- K = 64, user 4 from K = 7)
SELECT id,
       sequence_next_node('forward', 'head', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(1, 1, 32))) AS k32,
       sequence_next_node('forward', 'head', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(1, 1, 33))) AS k33,
       sequence_next_node('forward', 'head', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(1, 1, 48))) AS k48,
       sequence_next_node('forward', 'head', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(1, 1, 63))) AS k63,
       sequence_next_node('forward', 'head', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(1, 1, 64))) AS k64
FROM wide GROUP BY id ORDER BY id;
-- backward from the tail, conditions p70, p69, ..., p(71-K): the page
-- p(70-K) (K = 33: p37, 48: p22, 64: p6) unless the chain reaches x
SELECT id,
       sequence_next_node('backward', 'tail', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(70, -1, 33))) AS k33,
       sequence_next_node('backward', 'tail', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(70, -1, 48))) AS k48,
       sequence_next_node('backward', 'tail', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(70, -1, 64))) AS k64
FROM wide GROUP BY id ORDER BY id;
-- forward from the first p3, conditions p3, ..., p(K+2): the page p(K+3);
-- backward from the last p66, conditions p66, ..., p(67-K): the page p(66-K)
SELECT id,
       sequence_next_node('forward', 'first_match', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(3, 1, 33))) AS fwd33,
       sequence_next_node('forward', 'first_match', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(3, 1, 48))) AS fwd48,
       sequence_next_node('forward', 'first_match', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(3, 1, 64))) AS fwd64,
       sequence_next_node('backward', 'last_match', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(66, -1, 33))) AS back33,
       sequence_next_node('backward', 'last_match', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(66, -1, 48))) AS back48,
       sequence_next_node('backward', 'last_match', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(66, -1, 64))) AS back64
FROM wide GROUP BY id ORDER BY id;
-- the mask's top bit: conditions 1-63 always hold and condition 64 is
-- "page is p64", so the head gives p65 except for user 3 (x at 64); from
-- the last p5, 63 conditions that hold and then p68 give p69 for everyone;
-- backward from p66 over 63 pages that are not x reaches p3 and gives p2,
-- except for users 2, 3 and 4, whose x lies in p66 .. p3
SELECT id,
       sequence_next_node('forward', 'head', ts, page, true,
                          VARIADIC array_fill(true, ARRAY[63]) || (page = 'p64')) AS top_bit,
       sequence_next_node('forward', 'last_match', ts, page, true,
                          VARIADIC ARRAY[page = 'p5'] || array_fill(true, ARRAY[62]) || (page = 'p68')) AS last_p5,
       sequence_next_node('backward', 'first_match', ts, page, true,
                          VARIADIC ARRAY[page = 'p66'] || array_fill(page <> 'x', ARRAY[63])) AS before_p66
FROM wide GROUP BY id ORDER BY id;
-- rows in reverse order give the same answers; the chain needs 65 events
-- for 64 conditions, so a group of 64 gives NULL and one of 65 the last
SELECT id,
       sequence_next_node('forward', 'head', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(1, 1, 64))) AS reversed_k64,
       sequence_next_node('backward', 'tail', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(70, -1, 64))) AS reversed_back64
FROM (SELECT * FROM wide ORDER BY ts DESC, id DESC) w GROUP BY id ORDER BY id;
SELECT count(*) AS events,
       sequence_next_node('forward', 'head', ts, page, true, VARIADIC array_fill(true, ARRAY[64])) AS all_true
FROM wide WHERE id = 1 AND n <= 64
UNION ALL
SELECT count(*), sequence_next_node('forward', 'head', ts, page, true, VARIADIC array_fill(true, ARRAY[64]))
FROM wide WHERE id = 1 AND n <= 65;

-- ClickHouse's test 01656_sequence_next_node_long, "(max_args)": 64
-- conditions action = '0' ... '63' over its table test_sequenceNextNode
-- (no group has 65 events, so every answer is NULL, as ClickHouse's)
CREATE TEMP TABLE ch_next_node (dt timestamp, id int, action text);
INSERT INTO ch_next_node VALUES
  ('2000-01-02 09:00:01', 1, 'A'), ('2000-01-02 09:00:02', 1, 'B'), ('2000-01-02 09:00:03', 1, 'C'), ('2000-01-02 09:00:04', 1, 'D'),
  ('2000-01-02 09:00:01', 2, 'B'), ('2000-01-02 09:00:02', 2, 'B'), ('2000-01-02 09:00:03', 2, 'D'), ('2000-01-02 09:00:04', 2, 'C'),
  ('2000-01-02 09:00:01', 3, 'A'), ('2000-01-02 09:00:02', 3, 'B'),
  ('2000-01-02 09:00:01', 4, 'A'), ('2000-01-02 09:00:02', 4, 'A'), ('2000-01-02 09:00:03', 4, 'A'), ('2000-01-02 09:00:04', 4, 'B'), ('2000-01-02 09:00:05', 4, 'C'),
  ('2000-01-02 09:00:01', 5, 'A'), ('2000-01-02 09:00:02', 5, 'B'), ('2000-01-02 09:00:03', 5, 'A'), ('2000-01-02 09:00:04', 5, 'C'),
  ('2000-01-02 09:00:01', 6, 'A'), ('2000-01-02 09:00:02', 6, 'B'), ('2000-01-02 09:00:03', 6, 'A'), ('2000-01-02 09:00:04', 6, 'B'), ('2000-01-02 09:00:05', 6, 'C'),
  ('2000-01-02 09:00:01', 10, 'A'), ('2000-01-02 09:00:02', 10, 'B'), ('2000-01-02 09:00:03', 10, 'C'), ('2000-01-02 09:00:04', 10, 'D'),
  ('2000-01-02 09:00:01', 11, 'A'), ('2000-01-02 09:00:01', 11, 'B'), ('2000-01-02 09:00:01', 11, 'C'), ('2000-01-02 09:00:01', 11, 'D');
SELECT '(max_args)' AS test, id,
       sequence_next_node('forward', 'head', dt, action, true,
                          VARIADIC pg_temp.is_each(action, ARRAY(SELECT k::text FROM generate_series(0, 63) k))) AS next_node
FROM ch_next_node GROUP BY id ORDER BY id;
-- the same 64 conditions over a group that walks '0' ... '63': the 65th event
INSERT INTO ch_next_node
SELECT timestamp '2000-01-02 10:00:00' + k * interval '1 second', 20, k::text FROM generate_series(0, 63) k
UNION ALL SELECT '2000-01-02 10:01:05', 20, 'end';
SELECT '(max_args) walked' AS test, id,
       sequence_next_node('forward', 'head', dt, action, true,
                          VARIADIC pg_temp.is_each(action, ARRAY(SELECT k::text FROM generate_series(0, 63) k))) AS next_node
FROM ch_next_node WHERE id = 20 GROUP BY id;

-- errors
-- pg_temp.expect_error(stmt): SQLSTATE, message and hint of a statement
\i test/lib/expect_error.sql
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node('forward', 'head', ts, page, true, VARIADIC array_fill(true, ARRAY[65])) FROM wide$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node('backward', 'last_match', ts, page, true, VARIADIC pg_temp.is_each(page, pg_temp.pages(70, -1, 100))) FROM wide$$);
-- the condition count must not change between rows of a group
SELECT * FROM pg_temp.expect_error($$SELECT sequence_next_node('forward', 'head', ts, page, true, VARIADIC array_fill(true, ARRAY[CASE WHEN n = 1 THEN 33 ELSE 64 END])) FROM wide$$);
