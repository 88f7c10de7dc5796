-- window_funnel over integer time columns (issue 18): ts bigint (or integer,
-- by the implicit int4 -> int8 cast) with the window a bigint in the
-- column's own units.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- one user's events, ts in seconds as integer and bigint columns
CREATE TEMP TABLE wfi (uid int, ts_i int, ts_b bigint, event text);
INSERT INTO wfi VALUES
  (1, 100, 100, 'view'), (1, 160, 160, 'cart'), (1, 500, 500, 'buy'),
  (2, 100, 100, 'view'), (2, 100, 100, 'cart'), (2, 101, 101, 'buy'),
  (3, 100, 100, 'cart'), (3, 200, 200, 'view'),
  (4, 1000, 1000, 'view'), (4, 1010, 1010, 'view'), (4, 1020, 1020, 'cart'), (4, 1400, 1400, 'buy');

-- window 400: user 1 reaches buy at 500 - 100 = 400 (within, bounds included);
-- user 2 all within 1; user 3 never views first; user 4: view 1010 -> buy 1400 is 390
SELECT uid,
       window_funnel(400, ts_i, event = 'view', event = 'cart', event = 'buy') AS int_col,
       window_funnel(400, ts_b, event = 'view', event = 'cart', event = 'buy') AS bigint_col,
       window_funnel(399, ts_b, event = 'view', event = 'cart', event = 'buy') AS w399,
       window_funnel(0, ts_b, event = 'view', event = 'cart', event = 'buy') AS w0,
       window_funnel(interval '400 seconds', to_timestamp(ts_b), event = 'view', event = 'cart', event = 'buy') AS timestamptz
FROM wfi GROUP BY uid ORDER BY uid;

-- modes: user 2's cart and view are at the same time, so strict_increase stops at 1;
-- user 4's second view ends the chain of the first under strict_deduplication,
-- but the chain from the second reaches buy 390 units later
SELECT uid,
       window_funnel(400, 'strict_increase', ts_b, event = 'view', event = 'cart', event = 'buy') AS strict_increase,
       window_funnel(400, 'strict_deduplication', ts_i, event = 'view', event = 'cart', event = 'buy') AS strict_dedup,
       window_funnel(400, 'strict_order', ts_b, event = 'view', event = 'cart', event = 'buy') AS strict_order,
       window_funnel(interval '400 s', 'strict_deduplication', to_timestamp(ts_i), event = 'view', event = 'cart', event = 'buy') AS dedup_timestamptz
FROM wfi GROUP BY uid ORDER BY uid;

-- milliseconds: the window is in the column's units, nothing converts them
SELECT window_funnel(1000, ms, ev = 1, ev = 2) AS within_1000,
       window_funnel(999, ms, ev = 1, ev = 2) AS within_999
FROM (VALUES (1700000000000, 1), (1700000001000, 2)) AS t(ms, ev);

-- overload resolution: existing calls resolve as before; an untyped literal
-- window follows the ts column's type
CREATE TEMP VIEW wfi_calls AS
SELECT window_funnel('1 day', to_timestamp(ts_b), event = 'view') AS a,
       window_funnel('1 day', to_timestamp(ts_b)::timestamp, event = 'view') AS b,
       window_funnel('10', ts_b, event = 'view') AS c,
       window_funnel(10, ts_i, event = 'view') AS d,
       window_funnel('10', 'strict_order', ts_i, event = 'view') AS e
FROM wfi;
-- (without the table's name, which PostgreSQL 16 and later leave out)
SELECT regexp_replace(pg_get_viewdef('wfi_calls'::regclass), '\mwfi\.', '', 'g') AS viewdef;
-- '10' is 10 seconds for a timestamp column, 10 units for an integer one
-- (the same here: the integers are epoch seconds)
SELECT window_funnel('10', to_timestamp(t), ev = 1, ev = 2) AS seconds,
       window_funnel('10', t, ev = 1, ev = 2) AS units
FROM (VALUES (0, 1), (10, 2)) AS v(t, ev);

-- the extremes: any bigint but the smallest and the largest is a time; a
-- window of the largest bigint spans every two times (it saturates, as an
-- interval too long does), one less compares exactly
SELECT window_funnel(9223372036854775807, t, ev = 1, ev = 2) AS saturated,
       window_funnel(9223372036854775806, t, ev = 1, ev = 2) AS exact
FROM (VALUES (-9223372036854775807, 1), (9223372036854775806, 2)) AS v(t, ev);
SELECT window_funnel(9223372036854775806, t, ev = 1, ev = 2) AS gap_fits
FROM (VALUES (-1, 1), (9223372036854775805, 2)) AS v(t, ev);

-- ClickHouse's reference vectors (test/data/vectors, ts in whole seconds)
-- through the bigint form: the same levels as ClickHouse and as the
-- timestamptz form
\i test/lib/load_window_funnel_vectors.sql
CREATE TEMP TABLE wfi_vectors AS
SELECT x.case_id, x.window_seconds, x.mode, x.level AS clickhouse,
       (SELECT window_funnel(x.window_seconds, x.mode, e.ts,
                             (e.mask & 1) <> 0, (e.mask & 2) <> 0,
                             (e.mask & 4) <> 0, (e.mask & 8) <> 0)
        FROM wf_events e WHERE e.case_id = x.case_id) AS bigint_form,
       (SELECT window_funnel(make_interval(secs => x.window_seconds), x.mode,
                             to_timestamp(e.ts),
                             (e.mask & 1) <> 0, (e.mask & 2) <> 0,
                             (e.mask & 4) <> 0, (e.mask & 8) <> 0)
        FROM wf_events e WHERE e.case_id = x.case_id) AS timestamptz_form
FROM wf_expected x;
SELECT count(*) AS cases,
       count(*) FILTER (WHERE bigint_form = clickhouse) AS same_as_clickhouse,
       count(*) FILTER (WHERE bigint_form = timestamptz_form) AS same_as_timestamptz
FROM wfi_vectors;
SELECT * FROM wfi_vectors WHERE bigint_form IS DISTINCT FROM clickhouse;

-- ClickHouse's 00632_aggregation_window_funnel cases over UInt32 and UInt64
-- time columns, with ClickHouse's expected levels
CREATE TEMP TABLE ch_funnel (ts bigint, event int);
INSERT INTO ch_funnel VALUES (0,1000),(1,1001),(2,1002),(3,1003),(4,1004),(5,1005),(6,1006),(7,1007),(8,1008);
SELECT window_funnel(10000, ts, event = 1000) AS expect_1,
       window_funnel(10000, ts, event = 1000, event = 1001) AS expect_2,
       window_funnel(10000, ts, event = 1000, event = 1001, event = 1002) AS expect_3,
       window_funnel(10000, ts, event = 1000, event = 1001, event = 1002, event = 1008) AS expect_4,
       window_funnel(1, ts, event = 1000) AS expect_1b,
       window_funnel(2, ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) AS expect_3b,
       window_funnel(3, ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) AS expect_4b,
       window_funnel(4, ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) AS expect_5
FROM ch_funnel;
CREATE TEMP TABLE ch_funnel_u64 AS SELECT 100000000000000 + ts + 1 AS ts, event + 1 AS event FROM ch_funnel WHERE ts < 8;
SELECT window_funnel(4, ts, event = 1003, event = 1004, event = 1005, event = 1006, event = 1007) AS expect_5,
       window_funnel(10000, ts, event = 1001, event = 1008) AS expect_2,
       window_funnel(10000, ts, event = 1008, event = 1001) AS expect_1,
       window_funnel(4, ts, event <= 1007, event >= 1002, event <= 1006, event >= 1004) AS expect_4
FROM ch_funnel_u64;
CREATE TEMP TABLE ch_funnel_strict (ts int, event int);
INSERT INTO ch_funnel_strict VALUES (0,1000),(10,1001),(20,1002),(30,1003),(40,1004),(50,1005),(51,1005),(60,1006),(70,1007),(80,1008);
-- ClickHouse's 'strict' is strict_deduplication here
SELECT window_funnel(10000, 'strict_deduplication', ts, event = 1000, event = 1001, event = 1002, event = 1003, event = 1004, event = 1005, event = 1006) AS expect_6,
       window_funnel(10000, ts, event = 1000, event = 1001, event = 1002, event = 1003, event = 1004, event = 1005, event = 1006) AS expect_7
FROM ch_funnel_strict;
CREATE TEMP TABLE ch_funnel_increase (ts int, event int);
INSERT INTO ch_funnel_increase VALUES (0,1000),(1,1001),(1,1002),(1,1003),(2,1004);
SELECT window_funnel(10000, ts, event = 1000, event = 1001, event = 1002, event = 1003, event = 1004) AS expect_5,
       window_funnel(10000, 'strict_increase', ts, event = 1000, event = 1001, event = 1002, event = 1003, event = 1004) AS expect_2,
       window_funnel(10000, ts, event = 1004, event = 1004, event = 1004) AS expect_3,
       window_funnel(10000, 'strict_increase', ts, event = 1004, event = 1004, event = 1004) AS expect_1
FROM ch_funnel_increase;

-- errors
-- pg_temp.err(stmt): the SQLSTATE, message, detail and hint of a statement's error
CREATE FUNCTION pg_temp.err(stmt text,
    OUT state text, OUT message text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    state := 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
END $$;
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
\pset footer off
\pset null ''
SELECT * FROM pg_temp.err($$SELECT window_funnel(-1, ts_b, event = 'view') FROM wfi$$);
SELECT * FROM pg_temp.err($$SELECT window_funnel(NULL::bigint, ts_b, event = 'view') FROM wfi$$);
SELECT * FROM pg_temp.err($$SELECT window_funnel(3600, ts_b, 'strict_order', event = 'view', event = 'cart') FROM wfi$$);
SELECT * FROM pg_temp.err($$SELECT window_funnel(3600, ts_i, 'nonsense', event = 'view') FROM wfi$$);
SELECT * FROM pg_temp.err($$SELECT window_funnel(3600, 'strict', ts_b, event = 'view') FROM wfi$$);
SELECT * FROM pg_temp.err($$SELECT window_funnel(10, t, true) FROM (VALUES (9223372036854775807)) AS v(t)$$);
SELECT * FROM pg_temp.err($$SELECT window_funnel(10, t, true) FROM (VALUES (-9223372036854775808)) AS v(t)$$);
-- an interval window with an integer column, a bigint window with a timestamp: no such form
SELECT * FROM pg_temp.err($$SELECT window_funnel(interval '1 hour', ts_b, event = 'view') FROM wfi$$);
SELECT * FROM pg_temp.err($$SELECT window_funnel(3600, to_timestamp(ts_b), event = 'view') FROM wfi$$);
-- an untyped interval literal with an integer column is read as a bigint
SELECT * FROM pg_temp.err($$SELECT window_funnel('1 day', ts_b, event = 'view') FROM wfi$$);
-- the one new ambiguity: an untyped literal in place of ts fits a timestamp and a bigint
SELECT * FROM pg_temp.err($$SELECT window_funnel('1 day', '2026-01-01', true)$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg('1 day', '2026-01-01', true)$$);
-- a window that changes between rows of one group is printed in the column's units
SELECT * FROM pg_temp.err($$SELECT window_funnel(w, t, true) FROM (VALUES (3600, 1), (7200, 2)) AS v(w, t)$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(w, t, true) FROM (VALUES (3600, 1), (7200, 2)) AS v(w, t)$$);
