-- window_funnel: behaviour, with ClickHouse's own test cases and hand-checked ones
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET timezone = 'UTC';

-- events(uid, t, ev): t in whole seconds since the epoch
CREATE TEMP TABLE fe (uid int, t int, ev int);
CREATE FUNCTION at(int) RETURNS timestamptz LANGUAGE sql IMMUTABLE
AS 'SELECT to_timestamp($1)';

-- ClickHouse 00632: funnel_test
INSERT INTO fe SELECT 1, i, 1000 + i FROM generate_series(0, 8) i;
SELECT window_funnel('10000 s', at(t), ev = 1000) AS one,
       window_funnel('10000 s', at(t), ev = 1000, ev = 1001) AS two,
       window_funnel('10000 s', at(t), ev = 1000, ev = 1001, ev = 1002) AS three,
       window_funnel('10000 s', at(t), ev = 1000, ev = 1001, ev = 1002, ev = 1008) AS four,
       window_funnel('1 s', at(t), ev = 1000) AS one_short
FROM fe;
-- the window is inclusive: 1003 at 3 s reaches 1007 at 7 s with a 4 s window
SELECT window_funnel('2 s', at(t), ev = 1003, ev = 1004, ev = 1005, ev = 1006, ev = 1007) AS w2,
       window_funnel('3 s', at(t), ev = 1003, ev = 1004, ev = 1005, ev = 1006, ev = 1007) AS w3,
       window_funnel('4 s', at(t), ev = 1003, ev = 1004, ev = 1005, ev = 1006, ev = 1007) AS w4,
       window_funnel('10000 s', at(t), ev = 1008, ev = 1001) AS reversed,
       -- one row may match several steps
       window_funnel('4 s', at(t), ev <= 1007, ev >= 1002, ev <= 1006, ev >= 1004) AS overlapping
FROM fe;

-- ClickHouse 00632: funnel_test_strict (1005 repeats at 50 and 51)
TRUNCATE fe;
INSERT INTO fe VALUES (1, 0, 1000), (1, 10, 1001), (1, 20, 1002), (1, 30, 1003),
  (1, 40, 1004), (1, 50, 1005), (1, 51, 1005), (1, 60, 1006), (1, 70, 1007), (1, 80, 1008);
SELECT window_funnel('10000 s', 'strict_deduplication', at(t), ev = 1000, ev = 1001, ev = 1002,
                     ev = 1003, ev = 1004, ev = 1005, ev = 1006) AS dedup,
       window_funnel('10000 s', at(t), ev = 1000, ev = 1001, ev = 1002,
                     ev = 1003, ev = 1004, ev = 1005, ev = 1006) AS plain
FROM fe;

-- ClickHouse 00632: funnel_test_strict_order (a, b, c with interruptions)
CREATE TEMP TABLE so (uid int, t int, page text);
INSERT INTO so VALUES
  (1, 1, 'a'), (1, 2, 'b'), (1, 3, 'c'),
  (2, 1, 'a'), (2, 2, 'd'), (2, 3, 'b'), (2, 4, 'c'),
  (3, 1, 'a'), (3, 2, 'a'), (3, 3, 'b'), (3, 4, 'b'), (3, 5, 'c'), (3, 6, 'c'),
  (4, 1, 'a'), (4, 2, 'a'), (4, 3, 'a'), (4, 4, 'a'), (4, 5, 'b'), (4, 6, 'b'), (4, 7, 'c'), (4, 8, 'c'),
  (5, 1, 'a'), (5, 2, 'a'), (5, 3, 'b'), (5, 4, 'b'), (5, 5, 'd'), (5, 6, 'c'), (5, 7, 'c'),
  (6, 1, 'c'), (6, 2, 'c'), (6, 3, 'b'), (6, 4, 'b'), (6, 5, 'a'), (6, 6, 'a'),
  (7, 1, 'a'), (7, 2, 'c'), (7, 3, 'b');
SELECT uid,
       window_funnel('1 day', at(t), page = 'a', page = 'b', page = 'c') AS plain,
       window_funnel('1 day', 'strict_order', at(t), page = 'a', page = 'b', page = 'c') AS strict_order,
       window_funnel('1 day', 'strict_deduplication, strict_order', at(t),
                     page = 'a', page = 'b', page = 'c') AS dedup_order,
       window_funnel('1 day', 'strict_order,allow_reentry', at(t),
                     page = 'a', page = 'b', page = 'c') AS reentry
FROM so GROUP BY uid ORDER BY uid;

-- ClickHouse 00632: funnel_test_strict_increase (1001, 1002, 1003 share t = 1)
TRUNCATE fe;
INSERT INTO fe VALUES (1, 0, 1000), (1, 1, 1001), (1, 1, 1002), (1, 1, 1003), (1, 2, 1004);
SELECT window_funnel('10000 s', at(t), ev = 1000, ev = 1001, ev = 1002, ev = 1003, ev = 1004) AS plain,
       window_funnel('10000 s', 'strict_increase', at(t), ev = 1000, ev = 1001, ev = 1002, ev = 1003, ev = 1004) AS increase,
       window_funnel('10000 s', at(t), ev = 1004, ev = 1004, ev = 1004) AS same_row_plain,
       window_funnel('10000 s', 'strict_increase', at(t), ev = 1004, ev = 1004, ev = 1004) AS same_row_increase,
       window_funnel('10000 s', 'strict_once', at(t), ev = 1004, ev = 1004, ev = 1004) AS same_row_once
FROM fe;

-- ClickHouse documentation example: events arrive out of order
CREATE TEMP TABLE trend (uid int, ts timestamp, event_id int);
INSERT INTO trend VALUES
  (1, '2019-01-29 10:00:00', 1003), (1, '2019-01-31 09:00:00', 1007),
  (1, '2019-01-30 08:00:00', 1009), (1, '2019-02-01 08:00:00', 1010);
SELECT level, count(*) AS c FROM (
  SELECT uid, window_funnel('10 years', ts, event_id = 1003, event_id = 1009,
                            event_id = 1007, event_id = 1010) AS level
  FROM trend GROUP BY uid) s GROUP BY level ORDER BY level;
-- with a 2-day window, 1003 (Jan 29 10:00) reaches 1007 (Jan 31 09:00) but not 1010
SELECT window_funnel('2 days', ts, event_id = 1003, event_id = 1009,
                     event_id = 1007, event_id = 1010) FROM trend;

-- Ties: events are ordered by (timestamp, step); input order never matters
CREATE TEMP TABLE tie (t int, ev text);
INSERT INTO tie VALUES (5, 'b'), (5, 'a'), (6, 'c');
SELECT window_funnel('1 s', at(t), ev = 'a', ev = 'b', ev = 'c') AS b_and_a_tied,
       window_funnel('1 s', 'strict_increase', at(t), ev = 'a', ev = 'b', ev = 'c') AS increase_breaks_tie,
       window_funnel('0 s', at(t), ev = 'a', ev = 'b', ev = 'c') AS zero_window
FROM tie;
SELECT window_funnel('1 s', at(t), ev = 'a', ev = 'b', ev = 'c')
FROM (SELECT * FROM tie ORDER BY t DESC, ev DESC) reversed;

-- Repeats: a later step-1 event restarts the chain with a later start
TRUNCATE tie;
INSERT INTO tie VALUES (0, 'a'), (100, 'a'), (150, 'b'), (170, 'c');
SELECT window_funnel('60 s', at(t), ev = 'a', ev = 'b', ev = 'c') AS restarted,
       window_funnel('60 s', 'strict_deduplication', at(t), ev = 'a', ev = 'b', ev = 'c') AS dedup
FROM tie;

-- One row matching two steps: counts as both, unless strict_once
TRUNCATE tie;
INSERT INTO tie VALUES (1, 'ab'), (2, 'c');
SELECT window_funnel('1 min', at(t), ev LIKE '%a%', ev LIKE '%b%', ev = 'c') AS plain,
       window_funnel('1 min', 'strict_once', at(t), ev LIKE '%a%', ev LIKE '%b%', ev = 'c') AS once,
       window_funnel('1 min', 'strict_increase', at(t), ev LIKE '%a%', ev LIKE '%b%', ev = 'c') AS increase
FROM tie;
-- strict_once: a second row at the same instant can serve the second step
INSERT INTO tie VALUES (1, 'b');
SELECT window_funnel('1 min', 'strict_once', at(t), ev LIKE '%a%', ev LIKE '%b%', ev = 'c') AS once
FROM tie;

-- strict_once with many rows at one instant, each matching every step: each
-- row serves one step, so the level is the smaller of rows and steps
SELECT window_funnel('1 day', 'strict_once', ts, true, true, true, true) AS twenty_rows_four_steps,
       window_funnel('1 day', 'strict_once', ts, true, true, true, true) FILTER (WHERE i <= 3) AS three_rows_four_steps,
       window_funnel('1 day', 'strict_once', ts, true, true) FILTER (WHERE i <= 1) AS one_row_two_steps
FROM (SELECT '2026-01-01'::timestamptz AS ts, i FROM generate_series(1, 20) i) r;

-- strict_order: a row matching no step breaks the chain after step 1;
-- allow_reentry skips steps that come too early instead of stopping
TRUNCATE tie;
INSERT INTO tie VALUES (1, 'a'), (2, 'x'), (3, 'b');
SELECT window_funnel('1 min', at(t), ev = 'a', ev = 'b') AS plain,
       window_funnel('1 min', 'strict_order', at(t), ev = 'a', ev = 'b') AS strict_order
FROM tie;
TRUNCATE tie;
INSERT INTO tie VALUES (1, 'x'), (2, 'a'), (3, 'c'), (4, 'b'), (5, 'c');
SELECT window_funnel('1 min', 'strict_order', at(t), ev = 'a', ev = 'b', ev = 'c') AS strict_order,
       window_funnel('1 min', 'strict_order,allow_reentry', at(t), ev = 'a', ev = 'b', ev = 'c') AS reentry
FROM tie;

-- Documented ClickHouse defect kept for compatibility: strict_increase loses
-- the chain a@1 -> b@2 because the step-1 event at 2 replaces the one at 1.
TRUNCATE tie;
INSERT INTO tie VALUES (1, 'a'), (2, 'a'), (2, 'b');
SELECT window_funnel('1 min', 'strict_increase', at(t), ev = 'a', ev = 'b') AS increase_defect,
       window_funnel('1 min', 'strict_increase,strict_once', at(t), ev = 'a', ev = 'b') AS increase_once
FROM tie;

-- Documented ClickHouse defects kept for compatibility: strict_deduplication
-- stops the whole walk at a repeat, though a complete chain follows ...
TRUNCATE tie;
INSERT INTO tie VALUES (1, 'view'), (2, 'cart'), (3, 'cart'), (4, 'view'), (5, 'cart'), (6, 'checkout');
SELECT window_funnel('1 min', at(t), ev = 'view', ev = 'cart', ev = 'checkout') AS plain,
       window_funnel('1 min', 'strict_deduplication', at(t), ev = 'view', ev = 'cart', ev = 'checkout') AS dedup
FROM tie;
-- ... and strict_order stops at an unmatched event outside every window
TRUNCATE tie;
INSERT INTO tie VALUES (0, 'a'), (100, 'x'), (200, 'a'), (201, 'b');
SELECT window_funnel('5 s', 'strict_order', at(t), ev = 'a', ev = 'b') AS strict_order,
       window_funnel('5 s', 'strict_order', at(t), ev = 'a', ev = 'b') FILTER (WHERE ev <> 'x') AS without_x
FROM tie;

-- NULL timestamps are skipped; NULL conditions are false
TRUNCATE tie;
INSERT INTO tie VALUES (1, 'a'), (NULL, 'b'), (3, NULL), (4, 'b');
SELECT window_funnel('1 min', at(t), ev = 'a', ev = 'b') AS plain,
       window_funnel('1 min', 'strict_order', at(t), ev = 'a', ev = 'b') AS strict_order,
       window_funnel('1 min', at(t), ev = 'a', NULL::boolean) AS null_step
FROM tie;

-- No rows: 0; only NULL timestamps: 0
SELECT window_funnel('1 min', at(t), ev = 'a') FROM tie WHERE false;
SELECT window_funnel('1 min', NULL::timestamptz, true, true);

-- timestamp without time zone, and the window's month is 30 days
CREATE TEMP TABLE months (ts timestamp, ev text);
INSERT INTO months VALUES ('2026-01-01', 'a'), ('2026-01-31', 'b'), ('2026-01-31 00:00:01', 'c');
SELECT window_funnel('1 mon', ts, ev = 'a', ev = 'b', ev = 'c') AS one_month,
       window_funnel('30 days 1 second', ts, ev = 'a', ev = 'b', ev = 'c') AS thirty_days_and_a_second,
       window_funnel('1 year', 'strict_order', ts, ev = 'a', ev = 'b', ev = 'c') AS with_mode
FROM months;

-- Infinite timestamps order before and after every finite one
SELECT window_funnel('1000 years', ts, ev = 'a', ev = 'b')
FROM (VALUES ('-infinity'::timestamptz, 'a'), ('2026-01-01', 'b'), ('infinity', 'b')) v(ts, ev);
SELECT window_funnel('1000 years', ts, ev = 'a', ev = 'b')
FROM (VALUES ('2026-01-01'::timestamptz, 'a'), ('infinity', 'b')) v(ts, ev);
-- a huge window saturates instead of overflowing
SELECT window_funnel('178000000 years', ts, ev = 'a', ev = 'b')
FROM (VALUES ('-infinity'::timestamptz, 'a'), ('infinity', 'b')) v(ts, ev);

-- 32 steps is the maximum
SELECT window_funnel('1 min', t, VARIADIC array_fill(true, ARRAY[32]))
FROM (VALUES (now())) v(t);

-- Running funnel as a window function (the final function leaves the state intact)
SELECT t, ev, window_funnel('1 min', at(t), ev = 'a', ev = 'b') OVER (ORDER BY t, ev) AS running
FROM (VALUES (1, 'b'), (2, 'a'), (3, 'x'), (4, 'b')) v(t, ev) ORDER BY t;

-- Per-user funnel over many groups: shuffled input gives the same result
CREATE TEMP TABLE many AS
SELECT u AS uid, at(u * 10 + s) AS ts,
       (ARRAY['view', 'cart', 'buy'])[1 + (u + s) % 3] AS ev
FROM generate_series(1, 200) u, generate_series(0, (u % 5)) s;
SELECT level, count(*) FROM (
  SELECT uid, window_funnel('3 s', ts, ev = 'view', ev = 'cart', ev = 'buy') AS level
  FROM many GROUP BY uid) s GROUP BY level ORDER BY level;
SELECT count(*) AS differing FROM (
  SELECT uid, window_funnel('3 s', ts, ev = 'view', ev = 'cart', ev = 'buy') AS level
  FROM many GROUP BY uid) a
JOIN (
  SELECT uid, window_funnel('3 s', ts, ev = 'view', ev = 'cart', ev = 'buy') AS level
  FROM (SELECT * FROM many ORDER BY md5(uid::text || ts::text)) shuffled GROUP BY uid) b
USING (uid) WHERE a.level <> b.level;
