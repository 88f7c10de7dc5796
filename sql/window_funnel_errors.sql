-- window_funnel: every bad argument is an error with a SQLSTATE, a message
-- naming the bad value, and a hint
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;

-- pg_temp.expect_error(stmt): SQLSTATE, message and hint of a statement
\i test/lib/expect_error.sql
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
\pset footer off

CREATE TEMP TABLE e (ts timestamptz, ev text, w interval, m text, steps boolean[]);
INSERT INTO e VALUES ('2026-01-01', 'a', '1 day', '', '{t,f}'),
                     ('2026-01-02', 'b', '2 days', 'strict_order', '{t,f,t}');

-- more than 32 steps
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, VARIADIC array_fill(true, ARRAY[33])) FROM e$$);
-- zero steps
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, VARIADIC ARRAY[]::boolean[]) FROM e$$);
-- no step argument at all: no such function
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts) FROM e$$);
-- a steps array that is NULL or has two dimensions
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, VARIADIC NULL::boolean[]) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, VARIADIC ARRAY[[true, false], [true, true]]) FROM e$$);
-- negative and NULL windows
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('-1 day', ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day -25 hours', ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel(NULL::interval, ts, ev = 'a') FROM e$$);
-- unknown modes, junk in the mode string, NULL mode
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', 'strict_ordr', ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', 'strict', ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', 'strict_order,,strict_once', ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', 'strict_order strict_once', ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', 'STRICT_ORDER', ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', 'strict_order,', ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', NULL, ts, ev = 'a') FROM e$$);
-- allow_reentry needs strict_order
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', 'allow_reentry', ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', 'strict_once, allow_reentry', ts, ev = 'a') FROM e$$);
-- the definition must not change between rows of one group
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel(w, ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', m, ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, VARIADIC steps) FROM e$$);
-- ... also on rows that match no step, which the transition keeps out of
-- the state without reading it while the call site has one definition
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel(w, ts, false) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', m, ts, ev = 'z') FROM e$$);

-- strict_once counts rows of one timestamp per set of matched steps: limits
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', 'strict_once', ts, (i & 1) <> 0, (i & 2) <> 0, (i & 4) <> 0, (i & 8) <> 0, (i & 16) <> 0, (i & 32) <> 0, (i & 64) <> 0) FROM (SELECT '2026-01-01'::timestamptz AS ts, i FROM generate_series(1, 127) i) r$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', 'strict_once', ts, true, true, true, true, (i & 1) <> 0, (i & 2) <> 0, (i & 4) <> 0, (i & 8) <> 0, (i & 16) <> 0, (i & 32) <> 0, (i & 64) <> 0, (i & 128) <> 0) FROM (SELECT '2026-01-01'::timestamptz AS ts, i FROM generate_series(1, 60) i) r$$);
\pset format aligned
\pset tuples_only off
\pset footer on
-- accepted spellings: blanks around names, repeated names, empty string
SELECT window_funnel('1 day', ' strict_order , strict_once ,strict_order', ts, ev = 'a', ev = 'b') AS spaced,
       window_funnel('1 day', '', ts, ev = 'a', ev = 'b') AS empty_mode,
       window_funnel('1 day', '  ', ts, ev = 'a', ev = 'b') AS blank_mode
FROM e;
