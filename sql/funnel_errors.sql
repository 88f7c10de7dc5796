-- funnel: every bad input is an error with a SQLSTATE, a message and a hint
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;

-- pg_temp.expect_error(stmt): SQLSTATE, message and hint of a statement
\i test/lib/expect_error.sql
-- pg_temp.bad_text(t): the same for parsing t as a funnel
\i test/lib/bad_text.sql
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
\pset footer off

CREATE TEMP TABLE e (uid int, ts timestamptz, ev text);
INSERT INTO e VALUES (1, '2026-01-01', 'a'), (1, '2026-01-01 01:00', 'b'),
                     (2, '2026-01-01', 'a'), (2, '2026-01-02', 'c');
CREATE TEMP TABLE merged AS
SELECT rollup(f) AS f FROM (SELECT funnel_agg('1 day', ts, ev = 'a', ev = 'b', ev = 'c') AS f
                            FROM e GROUP BY uid) s;
-- the text that the malformed inputs below are edited from
SELECT f FROM merged;

-- malformed and truncated text
SELECT * FROM pg_temp.bad_text('');
SELECT * FROM pg_temp.bad_text('not a funnel');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 3');
SELECT * FROM pg_temp.bad_text('[1, 2]');
SELECT * FROM pg_temp.bad_text('{"version": 1}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 1, "time_from_first_us": [], "extra": 0}');
-- wrong version
SELECT * FROM pg_temp.bad_text('{"version": 2, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 1, "time_from_first_us": []}');
-- definition: steps, window, modes, labels
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 0, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 33, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "-1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "a while", "modes": "", "labels": null, "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "strict", "labels": null, "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": ["a"], "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": ["a", 2], "entities": 1, "step_reached": 0, "time_from_first_us": []}');
-- one entity: step out of range, times that shrink or leave the window, wrong count
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 3, "time_from_first_us": [1, 2]}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 3, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 3, "time_from_first_us": [20, 10]}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "00:00:01", "modes": "", "labels": null, "entities": 1, "step_reached": 2, "time_from_first_us": [1000001]}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 2, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 2, "step_reached": 1, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 2, "time_from_first_us": [1.5]}');
-- inconsistent counts: a later step with more entities, more reached than entities
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 5, "reached": [1, 2], "from_previous": [{"count": 2, "zeros": 2, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}], "from_first": [{"count": 2, "zeros": 2, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}]}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 2, "reached": [3, 0], "from_previous": [{"count": 0, "zeros": 0, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}], "from_first": [{"count": 0, "zeros": 0, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}]}');
-- time statistics that disagree with the counts or with themselves
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 5, "reached": [2, 2], "from_previous": [{"count": 1, "zeros": 1, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}], "from_first": [{"count": 2, "zeros": 2, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}]}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 5, "reached": [2, 2], "from_previous": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 30, "buckets": {"231": 1, "300": 1}}], "from_first": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 30, "buckets": {"116": 1, "150": 1}}]}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 5, "reached": [2, 2], "from_previous": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 30, "buckets": {"116": 1}}], "from_first": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 30, "buckets": {"116": 1, "150": 1}}]}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 5, "reached": [2, 2], "from_previous": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": -30, "buckets": {"116": 1, "150": 1}}], "from_first": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 30, "buckets": {"116": 1, "150": 1}}]}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 5, "reached": [2, 2], "from_previous": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 30, "buckets": {"9999": 1, "150": 1}}], "from_first": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 30, "buckets": {"116": 1, "150": 1}}]}');
-- the same edits pass when consistent: this one is valid
SELECT '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 5, "reached": [2, 2], "from_previous": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 30, "buckets": {"116": 1, "150": 1}}], "from_first": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 30, "buckets": {"116": 1, "150": 1}}]}'::funnel;

-- steps out of range in accessors, quantiles outside [0, 1]
SELECT * FROM pg_temp.expect_error($$SELECT reached(f, 0) FROM merged$$);
SELECT * FROM pg_temp.expect_error($$SELECT reached(f, 4) FROM merged$$);
SELECT * FROM pg_temp.expect_error($$SELECT conversion_rate(f, 3, 2) FROM merged$$);
SELECT * FROM pg_temp.expect_error($$SELECT conversion_rate(f, 1, 9) FROM merged$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert(f, 1, 2, 1.5) FROM merged$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert(f, 1, 2, -0.1) FROM merged$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert(f, 1, 2, 'NaN') FROM merged$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert(f, 2, 2, 0.5) FROM merged$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert(f, 0, 2, 0.5) FROM merged$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert(f, 2, 4, 0.5) FROM (SELECT funnel_agg('1 day', ts, true, true, true, true) AS f FROM e) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT max_step(f) FROM merged$$);

-- rollup of funnels with different definitions says what differs
SELECT * FROM pg_temp.expect_error($$SELECT rollup(f) FROM (SELECT funnel_agg('1 day', ts, ev = 'a', ev = 'b') AS f FROM e UNION ALL SELECT funnel_agg('1 day', ts, ev = 'a', ev = 'b', ev = 'c') FROM e) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(f) FROM (SELECT funnel_agg('1 day', ts, ev = 'a', ev = 'b') AS f FROM e UNION ALL SELECT funnel_agg('2 days', ts, ev = 'a', ev = 'b') FROM e) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(f) FROM (SELECT funnel_agg('1 day', ts, ev = 'a', ev = 'b') AS f FROM e UNION ALL SELECT funnel_agg('1 day', 'strict_order', ts, ev = 'a', ev = 'b') FROM e) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(f) FROM (SELECT funnel_agg('1 day', ts, ev, ARRAY['a', 'b']) AS f FROM e UNION ALL SELECT funnel_agg('1 day', ts, ev, ARRAY['a', 'c']) FROM e) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(f) FROM (SELECT funnel_agg('1 day', ts, ev, ARRAY['a', 'b']) AS f FROM e UNION ALL SELECT funnel_agg('1 day', ts, ev = 'a', ev = 'b') FROM e) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(f) FROM (SELECT f FROM merged UNION ALL SELECT funnel_agg('1 day', ts, ev = 'a', ev = 'b') FROM e) s$$);

-- funnel_agg by event name: NULL, empty, NULL or over-long names, too many, 2-D, changing
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, ev, NULL::text[]) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, ev, ARRAY[]::text[]) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, ev, ARRAY['a', NULL]) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, ev, ARRAY['a', repeat('x', 1025)]) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, ev, array_fill('a'::text, ARRAY[33])) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, ev, ARRAY[['a', 'b'], ['c', 'd']]) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, ev, CASE WHEN ev = 'a' THEN ARRAY['a', 'b'] ELSE ARRAY['a', 'c'] END) FROM e$$);
-- a definition that changes on a row matching no step is refused too
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg(CASE WHEN ev = 'a' THEN interval '1 day' ELSE interval '2 days' END, ts, ev, ARRAY['a']) FROM e GROUP BY uid$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg(CASE WHEN ev = 'a' THEN interval '1 day' ELSE interval '2 days' END, ts, ev = 'z') FROM e GROUP BY uid$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('-1 day', ts, ev, ARRAY['a', 'b']) FROM e$$);
-- the boolean forms share window_funnel's checks
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'strict_once,nope', ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, VARIADIC array_fill(true, ARRAY[33])) FROM e$$);

-- binary input: write a merged funnel with binary COPY, change one byte, read it back
\i test/lib/bad_binary.sql
-- unchanged: accepted
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 0, 1);
SELECT count(*) AS loaded FROM bad_binary_funnel;
-- version byte, unknown flag, step count 0, step count 99
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 0, 2);
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 1, 128);
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 3, 0);
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 3, 99);
-- an entry-time flag, and an options flag, that the rest of the value does not back
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 1, 4);
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 1, 2);
-- the window's top byte (negative), the labels size, the level of a merged value
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 8, 255);
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 19, 7);
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 23, 1);
-- entities (low byte) smaller than reached, step 3 larger than step 2
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 31, 1);
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 55, 9);
-- a bucket count of the first sketch that runs past the message
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', 56 + 52, 100);
-- truncated: the field length (just before the value) says 30 bytes
SELECT * FROM pg_temp.bad_binary('SELECT f FROM merged', 'funnel', -1, 30);
