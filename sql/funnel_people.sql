-- funnels that carry people (issue 17): rollup(f, person), rollup(f) of
-- such values, people_reached, people_ids, funnel_people_steps, the text
-- and binary forms, and every error.  Answers are worked out by hand in
-- the comments.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET timezone = 'UTC';
\i test/lib/expect_error.sql

-- 1. two days of three users; steps view -> cart -> buy --------------------
--   day 1: user 1 view, cart, buy (level 3); user 2 view (1); user 3 no view (0)
--   day 2: user 1 view, cart (2); user 2 view, cart, buy (3); user -5 view (1)
--   entity-periods: 6 values; reached 5, 3, 2
--   people: step 1 {-5, 1, 2} (user 3 reached nothing: in no set), step 2
--   {1, 2} (user 1 on both days counts once), step 3 {1, 2}
CREATE TEMP TABLE pe (u bigint, day int, ts timestamptz, e text);
INSERT INTO pe VALUES
  (1, 1, '2026-01-01 10:00', 'view'), (1, 1, '2026-01-01 10:05', 'cart'), (1, 1, '2026-01-01 10:10', 'buy'),
  (2, 1, '2026-01-01 11:00', 'view'),
  (3, 1, '2026-01-01 12:00', 'cart'),
  (1, 2, '2026-01-02 10:00', 'view'), (1, 2, '2026-01-02 10:01', 'cart'),
  (2, 2, '2026-01-02 09:00', 'view'), (2, 2, '2026-01-02 09:30', 'cart'), (2, 2, '2026-01-02 10:30', 'buy'),
  (-5, 2, '2026-01-02 08:00', 'view');
CREATE TEMP TABLE pe_user_day AS
SELECT u, day, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'buy']) AS f
FROM pe GROUP BY u, day;
CREATE TEMP TABLE pe_day AS
SELECT day, rollup(f, u) AS f FROM pe_user_day GROUP BY day;

-- per day: day 1 has 3 entities, people {1, 2} / {1} / {1};
-- day 2 has 3 entities, people {-5, 1, 2} / {1, 2} / {2}
SELECT day, entities(f), reached(f, 1) AS r1, people_reached(f, 1) AS p1,
       people_reached(f, 2) AS p2, people_reached(f, 'buy') AS p3
FROM pe_day ORDER BY day;

-- both days merged: 6 entity-periods reached 5, 3, 2; 3 people, 2, 2
CREATE TEMP TABLE pe_all AS SELECT rollup(f) AS f FROM pe_day;
SELECT entities(f), reached(f, 1), reached(f, 2), reached(f, 3),
       people_reached(f, 1), people_reached(f, 2), people_reached(f, 3)
FROM pe_all;
-- funnel_steps counts entity-periods: 5, 3 (0.6 of 5), 2 (2/3); dropped 2, 1, 0
SELECT step, label, entered, converted_from_previous, converted_from_first, dropped
FROM pe_all, funnel_steps(f);
-- funnel_people_steps counts people: 3, 2 (2/3), 2 (1 of 2, 2/3 of 3); dropped 1, 0, 0
SELECT s.* FROM pe_all, funnel_people_steps(f) s;
SELECT step, array_agg(id ORDER BY id) AS ids
FROM pe_all, generate_series(1, 3) step, people_ids(f, step) id GROUP BY step ORDER BY step;

-- the same as rollup(f, person) over all (user, day) values at once, and as
-- the merge of the days in the other order
SELECT (SELECT rollup(f, u) FROM pe_user_day)::text = (SELECT f FROM pe_all)::text AS same_as_one_rollup,
       (SELECT rollup(f ORDER BY day DESC) FROM pe_day)::text = (SELECT f FROM pe_all)::text AS any_order;
-- the time statistics are rollup(f)'s
SELECT (SELECT f FROM pe_all)::text::jsonb - 'people'
     = (SELECT rollup(f) FROM pe_user_day)::text::jsonb AS same_counts_as_rollup;

-- one person's value is still a general funnel (it carries people)
SELECT rollup(f, u)::text FROM pe_user_day WHERE u = 1 AND day = 2;
-- the text form: runs of consecutive ids per step
SELECT f::text FROM pe_all;
-- an integer person resolves to rollup(f, bigint)
SELECT people_reached(rollup(f, u::int), 1) FROM pe_user_day;

-- 2. ids across container boundaries, and bitmaps ---------------------------
-- ids 65530..65540 cross from container 0 to 1 (one run); 5000 ids of
-- container 3 (196608..) make it a bitmap; negative ids -70000..-65536
-- and -3..2 cross containers too
CREATE TEMP TABLE pb AS
SELECT id, funnel_agg(interval '1 hour', ts, e, ARRAY['a', 'b']) AS f
FROM (SELECT id, '2026-01-01'::timestamptz AS ts, 'a' AS e
      FROM (SELECT generate_series(65530, 65540) UNION ALL SELECT generate_series(196608, 201607)
            UNION ALL SELECT generate_series(-70000, -65536) UNION ALL SELECT generate_series(-3, 2)) g(id)
      UNION ALL
      SELECT id, '2026-01-01 00:10', 'b' FROM generate_series(196608, 196708) id) ev
GROUP BY id;
CREATE TEMP TABLE pb_all AS SELECT rollup(f, id) AS f FROM pb;
-- 11 + 5000 + 4465 + 6 = 9482 people at step 1, 101 at step 2
SELECT entities(f), people_reached(f, 1), people_reached(f, 2) FROM pb_all;
SELECT f::text::jsonb -> 'people' FROM pb_all;
SELECT min(id), max(id), count(*) FROM pb_all, people_ids(f, 1) id;
SELECT count(*) FILTER (WHERE id BETWEEN 65535 AND 65536) AS boundary,
       bool_and(id IS NOT NULL) AS ok
FROM pb_all, people_ids(f, 1) id;
-- split in two halves with overlapping persons: the same sets
SELECT (SELECT rollup(f) FROM (SELECT rollup(f, id) AS f FROM pb WHERE id % 2 = 0
                               UNION ALL SELECT rollup(f, id) FROM pb WHERE id % 3 = 0
                               UNION ALL SELECT rollup(f, id) FROM pb WHERE id % 2 <> 0 AND id % 3 <> 0) s)::text::jsonb -> 'people'
     = (SELECT f::text::jsonb -> 'people' FROM pb_all) AS same_people;
-- extreme ids
SELECT rollup(f, id)::text::jsonb -> 'people'
FROM (SELECT v.id, (SELECT f FROM pb LIMIT 1) AS f
      FROM (VALUES (-9223372036854775808), (9223372036854775807), (0)) v(id)) s;

-- 3. text and binary round trips -------------------------------------------
\i test/lib/try_recv.sql
SELECT which, f::text::funnel::text = f::text AS text_round_trip,
       r.state, r.sent = funnel_send(f) AS same_bytes, r.txt = f::text AS same_text
FROM (SELECT 'pe' AS which, f FROM pe_all UNION ALL SELECT 'pb', f FROM pb_all) s,
     pg_temp.try_recv('funnel', funnel_send(f)) r
ORDER BY which;
-- the binary form of the people (the last 8 + 32 + 2 * (8 + 16) = 88
-- bytes): per step, the number of runs, then each run's first and last id
-- (int64): step 1 has 2 runs [-5, -5], [1, 2]; steps 2 and 3 one, [1, 2]
SELECT encode(substring(funnel_send(f) FROM length(funnel_send(f)) - 88 + 1), 'hex')
FROM pe_all;

-- 4. text input refuses what no rollup makes (22P02) ------------------------
-- pg_temp.expect_detail(stmt): the SQLSTATE and DETAIL of its error
CREATE FUNCTION pg_temp.expect_detail(stmt text, OUT state text, OUT detail text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    state := 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, detail = PG_EXCEPTION_DETAIL;
    IF detail = '' THEN
        GET STACKED DIAGNOSTICS detail = MESSAGE_TEXT;
    END IF;
END $$;
CREATE TEMP TABLE pt AS SELECT f::text AS t FROM pe_all;
SELECT label, e.*
FROM pt, (VALUES
  ('the text form itself', '[[[-5, -5], [1, 2]], [[1, 2]], [[1, 2]]]'),
  ('runs out of order', '[[[1, 2], [-5, -5]], [[1, 2]], [[1, 2]]]'),
  ('overlapping runs', '[[[-5, 1], [1, 2]], [[1, 2]], [[1, 2]]]'),
  ('adjacent runs', '[[[-5, -5], [1, 1], [2, 2]], [[1, 2]], [[1, 2]]]'),
  ('a run that ends before it starts', '[[[-5, -5], [2, 1]], [[1, 2]], [[1, 2]]]'),
  ('more people than reached (6 of 5)', '[[[-5, -5], [1, 5]], [[1, 2]], [[1, 2]]]'),
  ('one more person, still within the counts', '[[[-5, -5], [1, 3]], [[1, 2]], [[1, 2]]]'),
  ('a huge run', '[[[-9223372036854775808, 9223372036854775807]], [[1, 2]], [[1, 2]]]'),
  ('step 2 not within step 1', '[[[-5, -5], [1, 2]], [[1, 1], [3, 3]], [[1, 1]]]'),
  ('empty set of a step some reached', '[[[-5, -5], [1, 2]], [[1, 2]], []]'),
  ('too few steps', '[[[-5, -5], [1, 2]], [[1, 2]]]'),
  ('a run of three ids', '[[[-5, -5, 1], [1, 2]], [[1, 2]], [[1, 2]]]'),
  ('an id that is not a number', '[[["a", 1]], [[1, 2]], [[1, 2]]]'),
  ('an id out of range', '[[[1, 9223372036854775808]], [[1, 2]], [[1, 2]]]')
) v(label, people),
LATERAL pg_temp.expect_detail(format('SELECT %L::funnel',
    jsonb_set(t::jsonb, '{people}', people::jsonb)::text)) e
ORDER BY label;
-- people in a one-entity value, and in a value that counts attempts
SELECT e.* FROM pg_temp.expect_detail($$SELECT '{"version": 1, "steps": 1, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 1, "time_from_first_us": [], "people": [[[1, 1]]]}'::funnel$$) e;
SELECT e.* FROM pg_temp.expect_error($$SELECT '{"version": 1, "steps": 1, "window": "1 day", "modes": "", "labels": null, "options": "count=attempts", "entities": 1, "reached": [2], "from_previous": [], "from_first": [], "people": [[[1, 1]]]}'::funnel$$) e;
-- no people at all: an empty set per step
SELECT '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 3, "reached": [0, 0], "from_previous": [{"count": 0, "zeros": 0, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}], "from_first": [{"count": 0, "zeros": 0, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}], "people": [[], []]}'::funnel::text;

-- 5. binary input refuses the same (22P03) ----------------------------------
-- the last run of step 3 is [1, 2]; its last 8 bytes are hi = 2
CREATE TEMP TABLE pbin AS SELECT funnel_send(f) AS b FROM pe_all;
SELECT label, (pg_temp.try_recv('funnel', b2)).state
FROM pbin, LATERAL (VALUES
  ('as sent', b),
  ('last run ends at 3 (not within step 2)', overlay(b PLACING int8send(3) FROM length(b) - 7)),
  ('last run ends at 0 (before it starts)', overlay(b PLACING int8send(0) FROM length(b) - 7)),
  ('truncated', substring(b FROM 1 FOR length(b) - 8)),
  ('a byte too many', b || '\x00'::bytea),
  ('step 3 announces 2 runs', overlay(b PLACING int8send(2) FROM length(b) - 23)),
  ('step 3 announces -1 runs', overlay(b PLACING int8send(-1) FROM length(b) - 23)),
  ('without the people flag', overlay(b PLACING '\x00'::bytea FROM 2))
) v(label, b2)
ORDER BY label;

-- 6. errors -----------------------------------------------------------------
-- a NULL funnel is skipped, a NULL person is not
SELECT people_reached(rollup(f, u), 1) FROM (VALUES ((SELECT f FROM pe_user_day WHERE u = 1 LIMIT 1), 1), (NULL, 2)) v(f, u);
SELECT e.* FROM pg_temp.expect_error($$SELECT rollup(f, NULL::bigint) FROM pe_user_day$$) e;
-- ids of another type match no rollup: sets are exact for integer ids only
-- (doc/dashboards.md, Sizes: number text or uuid ids once, then join)
-- (the hint is PostgreSQL's own and differs between versions)
SELECT e.state, e.message FROM pg_temp.expect_error($$SELECT rollup(f, u::text) FROM pe_user_day$$) e;
SELECT e.state, e.message FROM pg_temp.expect_error($$SELECT rollup(f, u + 0.5) FROM pe_user_day$$) e;
-- a merged funnel given to rollup(f, person)
SELECT e.* FROM pg_temp.expect_error($$SELECT rollup(f, day) FROM pe_day$$) e;
-- funnels that count attempts
SELECT e.* FROM pg_temp.expect_error($$SELECT rollup(f, u) FROM (SELECT u, funnel_agg(interval '1 day', 'count=attempts', ts, e, ARRAY['view', 'cart', 'buy']) AS f FROM pe GROUP BY u) s$$) e;
-- one-entity accessors on a funnel with people
SELECT e.* FROM pg_temp.expect_error($$SELECT max_step(rollup(f, u)) FROM pe_user_day WHERE u = 1 AND day = 1$$) e;
-- merging values with people and without, either first
SELECT e.* FROM pg_temp.expect_error($$SELECT rollup(f) FROM (SELECT f FROM pe_all UNION ALL SELECT rollup(f) FROM pe_user_day) s$$) e;
SELECT e.* FROM pg_temp.expect_error($$SELECT rollup(f) FROM (SELECT rollup(f) AS f FROM pe_user_day UNION ALL SELECT f FROM pe_all) s$$) e;
-- different definitions
SELECT e.* FROM pg_temp.expect_error($$SELECT rollup(f, u) FROM (SELECT f, u FROM pe_user_day UNION ALL SELECT funnel_agg(interval '2 days', ts, e, ARRAY['view', 'cart', 'buy']), 9 FROM pe) s$$) e;
-- the accessors on a funnel without people
SELECT e.* FROM pg_temp.expect_error($$SELECT people_reached(rollup(f), 1) FROM pe_user_day$$) e;
SELECT e.* FROM pg_temp.expect_error($$SELECT people_reached(rollup(f), 'view') FROM pe_user_day$$) e;
SELECT e.* FROM pg_temp.expect_error($$SELECT people_ids(rollup(f), 1) FROM pe_user_day$$) e;
SELECT e.* FROM pg_temp.expect_error($$SELECT * FROM funnel_people_steps((SELECT rollup(f) FROM pe_user_day))$$) e;
-- steps out of range and unknown names, as reached()
SELECT e.* FROM pg_temp.expect_error($$SELECT people_reached(f, 4) FROM pe_all$$) e;
SELECT e.* FROM pg_temp.expect_error($$SELECT people_ids(f, 0) FROM pe_all$$) e;
SELECT e.* FROM pg_temp.expect_error($$SELECT people_reached(f, 'pay') FROM pe_all$$) e;
-- the transition outside an aggregate returns a flat value
SELECT people_reached(funnel_rollup_transition(a.f, b.f), 1)
FROM pe_day a, pe_day b WHERE a.day = 1 AND b.day = 2;
