-- funnel_agg options: every bad option, range or combination is an error with
-- a SQLSTATE, a message naming it and a hint
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- pg_temp.expect_error(stmt): SQLSTATE, message and hint of a statement
\i test/lib/expect_error.sql
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
\pset footer off

CREATE TEMP TABLE e (uid int, ts timestamptz, ev text, product text, channel text);
INSERT INTO e VALUES (1, '2026-01-01', 'a', 'p', 'c'), (1, '2026-01-01 01:00', 'b', 'p', 'c'),
                     (1, '2026-01-01 02:00', 'x', 'p', 'c');

-- exclusion ranges
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=a|b|c, exclude=x@2-4', ts, ev = 'a', ev = 'b', ev = 'c', ev = 'x') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@2-4', ts, ev, ARRAY['a', 'b', 'c']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@2-2', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@3-1', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@0-1', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@2', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@1-2', ts, ev, ARRAY['a']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude= @1-2', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=' || repeat('x', 1025) || '@1-2', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@1-2', ts, ev, array_fill('a'::text, ARRAY[32])) FROM e$$);
-- the 0.1.0 syntax, unnamed exclusions after the steps, is an error that
-- shows the new one with the user's numbers: the slip of 4 names where 3
-- steps and an exclusion were meant, and the boolean form
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=2-3', ts, ev, ARRAY['view', 'cart', 'purchase', 'refund']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=2-3', ts, ev = 'view', ev = 'cart', ev = 'purchase', ev = 'refund') FROM e$$);
-- the boolean form: exclusions need labels=, and the conditions must be
-- exactly the labels' steps plus one per exclusion
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@1-2', ts, ev = 'a', ev = 'b', ev = 'x') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=a|b|c, exclude=x@1-2', ts, ev = 'a', ev = 'b', ev = 'x') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=a, exclude=x@1-2, exclude=y@1-2', ts, ev = 'a', ev = 'b', ev = 'x', ev = 'y') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=a|b|c', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=a', ts, ev = 'a', ev = 'b') FROM e$$);
-- labels: separated by |, none empty, not in the named form, once
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=a,b', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=a||b', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=a|b|', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=', ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=a|b, labels=a|b', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=a|b', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=' || repeat('a', 1025), ts, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'labels=' || repeat('a|', 32) || 'a', ts, ev = 'a') FROM e$$);
-- exclusion= and entry=
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclusion=remove', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclusion=ignore', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@1-2, exclusion=remove, exclusion=drop_off', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@1-2, exclusion=remove, count=attempts', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@1-2, exclusion=remove, order=any', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'entry=last', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'entry=first, entry=best', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'entry=first, count=attempts', ts, ev, ARRAY['a', 'b']) FROM e$$);
-- per-step windows
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'within=2:-5 minutes', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'within=2:2 days', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'within=1:1 hour', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'within=3:1 hour', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'within=2:soon', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'within=1 hour', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'within=2:1 hour,within=2:2 hours', ts, ev = 'a', ev = 'b') FROM e$$);
-- conflicting options, each named
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'order=any,exclude=x@1-2', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'order=any,within=2:1 hour', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'order=any,strict_deduplication', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'order=any,count=attempts', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'strict_once,exclude=x@1-2', ts, ev, ARRAY['a', 'b']) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'strict_once,count=attempts', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'count=attempts,breakdown=last_touch', ts, hold_by(product), breakdown_by(channel), ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'count=attempts', ts, hold_by(product), breakdown_by(channel), ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'breakdown=first_touch', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'hold', ts, ev, ARRAY['a', 'b']) FROM e$$);
-- malformed or repeated options
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'order=sideways', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'order=any,order=any', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'count=everything', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'breakdown=middle', ts, NULL, breakdown_by(channel), ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'breakdown=step:3', ts, NULL, breakdown_by(channel), ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'colour=red', ts, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', 'exclude=x@1-2,', ts, ev, ARRAY['a', 'b']) FROM e$$);
-- window_funnel takes modes only
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', 'exclude=x@1-2', ts, ev = 'a', ev = 'b', ev = 'x') FROM e$$);
-- values too long to hold or break down by
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts, hold_by(repeat('p', 8193)), NULL, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts, NULL, breakdown_by(repeat('c', 8193)), ev = 'a') FROM e$$);
-- rows of one group that disagree on the options
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', CASE WHEN ev = 'a' THEN 'exclude=x@1-2' ELSE 'exclude=x@1-3' END, ts, ev, ARRAY['a', 'b', 'c']) FROM e$$);

-- merging funnels of different options says what differs
CREATE TEMP TABLE f AS
SELECT funnel_agg('1 day', 'labels=a|b, exclude=x@1-2', ts, ev = 'a', ev = 'b', ev = 'x') AS excl,
       funnel_agg('1 day', 'exclude=x@1-2', ts, ev, ARRAY['a', 'b']) AS excl_x,
       funnel_agg('1 day', 'exclude=y@1-2', ts, ev, ARRAY['a', 'b']) AS excl_y,
       funnel_agg('1 day', 'exclude=x@1-2, exclusion=remove', ts, ev, ARRAY['a', 'b']) AS excl_remove,
       funnel_agg('1 day', 'entry=first', ts, ev, ARRAY['a', 'b']) AS entry_first,
       funnel_agg('1 day', ts, ev, ARRAY['a', 'b']) AS named,
       funnel_agg('1 day', 'labels=a|c', ts, ev = 'a', ev = 'b') AS labelled,
       funnel_agg('1 day', 'within=2:1 hour', ts, ev = 'a', ev = 'b') AS within,
       funnel_agg('1 day', ts, ev = 'a', ev = 'b') AS plain,
       funnel_agg('1 day', 'count=attempts', ts, ev = 'a', ev = 'b') AS attempts
FROM e;
SELECT * FROM pg_temp.expect_error($$SELECT rollup(g) FROM (SELECT excl AS g FROM f UNION ALL SELECT within FROM f) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(g) FROM (SELECT plain AS g FROM f UNION ALL SELECT within FROM f) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(g) FROM (SELECT excl_x AS g FROM f UNION ALL SELECT excl_y FROM f) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(g) FROM (SELECT excl_x AS g FROM f UNION ALL SELECT excl_remove FROM f) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(g) FROM (SELECT named AS g FROM f UNION ALL SELECT entry_first FROM f) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(g) FROM (SELECT named AS g FROM f UNION ALL SELECT labelled FROM f) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(g) FROM (SELECT plain AS g FROM f UNION ALL SELECT labelled FROM f) s$$);
-- the boolean form with labels= and the named form of the same names are
-- the same definition
SELECT rollup(g)::text FROM (SELECT excl AS g FROM f UNION ALL SELECT excl_x FROM f) s;
-- one-entity accessors on merged and attempt-counting funnels
SELECT * FROM pg_temp.expect_error($$SELECT entry_time(rollup(g)) FROM (SELECT plain AS g FROM f UNION ALL SELECT plain FROM f) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT breakdown(attempts) FROM f$$);
SELECT * FROM pg_temp.expect_error($$SELECT max_step(attempts) FROM f$$);

-- text input: options must be canonical and match the labels
\i test/lib/bad_text.sql
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "options": "exclude=1-2, within=2:1 hour", "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "options": "exclude=1-3", "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": ["a", "b"], "options": "exclude=1-2", "entities": 1, "step_reached": 0, "time_from_first_us": []}');
-- the stored string gives exclusions by range (their names are labels), and
-- has no labels=; exclusion=remove needs an exclusion
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": ["a", "b", "x"], "options": "exclude=x@1-2", "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "options": "labels=a|b", "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "options": "exclusion=remove", "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "options": "entry=first,exclude=1-2", "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "options": 7, "entities": 1, "step_reached": 0, "time_from_first_us": []}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "options": "count=attempts", "entities": 1, "step_reached": 1, "time_from_first_us": [], "entry": "2026-01-01 00:00:00+00", "entry_type": "timestamptz"}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 0, "time_from_first_us": [], "entry": "2026-01-01 00:00:00+00", "entry_type": "timestamptz"}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 1, "time_from_first_us": [], "entry": "2026-01-01 00:00:00+00", "entry_type": "date"}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 1, "time_from_first_us": [], "entry": "yesterday noonish", "entry_type": "timestamptz"}');
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 1, "time_from_first_us": [], "breakdown": "ads"}');
-- a merged attempt-counting funnel may have more attempts than entities; a
-- funnel counting entities may not
SELECT (attempts::text::jsonb || '{"entities": 1, "reached": [3, 0], "from_previous": [{"count": 0, "zeros": 0, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}], "from_first": [{"count": 0, "zeros": 0, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}]}')::text::funnel::text::jsonb -> 'reached' AS three_attempts FROM f;
SELECT * FROM pg_temp.bad_text((SELECT replace((attempts::text::jsonb || '{"reached": [3, 0], "from_previous": [{"count": 0, "zeros": 0, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}], "from_first": [{"count": 0, "zeros": 0, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}]}')::text, '"options": "count=attempts", ', '') FROM f));
