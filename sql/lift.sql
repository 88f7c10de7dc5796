-- lift_agg (landmark design), rollup(lift), lift_report and the lift type's
-- input, on hand-made entities whose counts were worked out before the
-- expected output was recorded; version-1 values of 0.1.0; then every error.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET timezone = 'UTC';
SET extra_float_digits = 0;
\i test/lib/expect_error.sql

-- 1. The issue's example: 4 buyers and 4 non-buyers, half of each signed
-- up: buyer 1 on its first day, then bought; buyer 2 bought, then signed
-- up; non-buyer 5 on its first day, non-buyer 6 later.  Landmark 1 day:
-- among the entities at risk (all 8), the first-day sign-up goes with the
-- same purchase rate (1 of 2 with it, 3 of 6 without): lift 0.  Katz 95%:
-- exp(+-z * sqrt(1/1 - 1/2 + 1/3 - 1/6)) - 1 with z = 1.959964
-- = -0.79816 .. 3.95454 (checked with Python's statistics.NormalDist).
CREATE TEMP TABLE issue (u int, h int, ev text);
INSERT INTO issue VALUES
  (1, 0, 'visit'), (1, 2, 'signup'), (1, 30, 'buy'),
  (2, 0, 'visit'), (2, 30, 'buy'), (2, 40, 'signup'),
  (3, 0, 'visit'), (3, 30, 'buy'),
  (4, 0, 'visit'), (4, 50, 'buy'),
  (5, 0, 'visit'), (5, 1, 'signup'),
  (6, 0, 'visit'), (6, 50, 'signup'),
  (7, 0, 'visit'),
  (8, 0, 'visit');
SELECT micro, entities, converted, rate_with, rate_without, round(lift::numeric, 5) AS lift,
       round(lift_low::numeric, 5) AS lift_low, round(lift_high::numeric, 5) AS lift_high
FROM (SELECT rollup(l) AS l
      FROM (SELECT lift_agg(interval '1 day', '2026-01-01'::timestamptz + h * interval '1 hour',
                            CASE WHEN ev = 'signup' THEN ev END, ev = 'buy') AS l
            FROM issue GROUP BY u) s) t, lift_report(t.l);
-- 0.1.0's rule on the same rows, in plain SQL: a buyer's sign-up counts only
-- up to its purchase (buyer 2's does not), a non-buyer's at any time
-- (non-buyer 6's does): 1 of 3 with it against 3 of 5 without, lift -0.44444
SELECT round(((count(*) FILTER (WHERE did AND buy))::numeric / count(*) FILTER (WHERE did))
             / ((count(*) FILTER (WHERE NOT did AND buy))::numeric / count(*) FILTER (WHERE NOT did)) - 1, 5)
       AS lift_by_0_1_0_rule
FROM (SELECT u, bool_or(ev = 'buy') AS buy,
             coalesce(bool_or(ev = 'signup' AND h <= coalesce(fb, h)), false) AS did
      FROM (SELECT *, min(h) FILTER (WHERE ev = 'buy') OVER (PARTITION BY u) AS fb FROM issue) x
      GROUP BY u) s;

-- 2. A population, landmark 1 day from each entity's first row (hours from
-- 2026-01-01 00:00):
--   1: entry 0, newsletter 1, wishlist 2, purchase 30: at risk, did both, converted
--   2: entry 0, purchase 5: converted before the landmark (left out), wishlist 6 not counted
--   3: newsletter 0 and 3 (the first row is the entry): did newsletter, no purchase
--   4: search 0: did search
--   5: newsletter 2 (entry 2), purchase 26 = exactly its landmark: converted
--   6: a NULL timestamp row (ignored), a row with no label at 1: at risk, nothing
--   7: entry 0, wishlist 24 = exactly its landmark (not counted), purchase 40: converted, no label
--   8: search 0 with a NULL is_conversion (not a conversion): did search
--   9: only NULL timestamps: no entry, counted nowhere
CREATE TEMP TABLE le (u int, h int, ev text, conv boolean);
INSERT INTO le VALUES
  (1, 0, NULL, false), (1, 1, 'newsletter', false), (1, 2, 'wishlist', false), (1, 30, 'purchase', true),
  (2, 0, NULL, false), (2, 5, 'purchase', true), (2, 6, 'wishlist', false),
  (3, 3, 'newsletter', false), (3, 0, 'newsletter', false),
  (4, 0, 'search', false),
  (5, 26, 'purchase', true), (5, 2, 'newsletter', false),
  (6, NULL, 'x', false), (6, 1, NULL, NULL),
  (7, 40, 'purchase', true), (7, 24, 'wishlist', false), (7, 0, NULL, false),
  (8, 0, 'search', NULL),
  (9, NULL, 'search', false), (9, NULL, NULL, true);
CREATE TEMP VIEW le_ts AS
SELECT u, CASE WHEN h IS NOT NULL THEN '2026-01-01'::timestamptz + h * interval '1 hour' END AS ts, ev, conv
FROM le;

SELECT u, lift_agg(interval '1 day', ts, ev, conv)::text FROM le_ts GROUP BY u ORDER BY u;

-- 7 entities at risk, 3 converted (1, 5, 7), 1 converted before the landmark (2).
-- newsletter: 3 did it (1, 3, 5), 2 converted: 2/3 against 1/4 without,
--   lift 1.66667, Katz 95% interval (8/3) * exp(+-z * sqrt(1/2 - 1/3 + 1 - 1/4)) - 1
--   = -0.59168 .. 16.41535 (99%: -0.77357 .. 30.40597; all checked with Python).
-- search: 2 did it (4, 8), none converted: 0 against 3/5, lift -1, no interval.
-- wishlist: 1 did it (1) and converted: 1 against 2/6, lift 2, interval
--   3 * exp(+-z * sqrt(1 - 1 + 1/2 - 1/6)) - 1 = -0.03244 .. 8.30171 (99%: -0.32196 .. 12.27348).
CREATE TEMP TABLE le_rolled AS
SELECT rollup(l) AS l FROM (SELECT lift_agg(interval '1 day', ts, ev, conv) AS l FROM le_ts GROUP BY u) s;
SELECT entities(l), converted_entities(l), converted_before_landmark(l) FROM le_rolled;
SELECT micro, entities, converted, round(rate_with::numeric, 5) AS rate_with,
       round(rate_without::numeric, 5) AS rate_without, round(lift::numeric, 5) AS lift,
       round(lift_low::numeric, 5) AS lift_low, round(lift_high::numeric, 5) AS lift_high
FROM le_rolled, lift_report(l) ORDER BY micro;
-- a wider interval at 99%
SELECT micro, round(lift_low::numeric, 5) AS lift_low, round(lift_high::numeric, 5) AS lift_high
FROM le_rolled, lift_report(l, 0.99) ORDER BY micro;

-- with a 12-hour follow-up, entity 7's purchase (16 hours after its
-- landmark) no longer counts: 2 converted; 1 and 5 still do.
SELECT l::text FROM (SELECT rollup(l) AS l
                     FROM (SELECT lift_agg(interval '1 day', ts, ev, conv, interval '12 hours') AS l
                           FROM le_ts GROUP BY u) s) t;

-- text round trip; any merge order; timestamp without time zone; a month is 30 days
SELECT l::text, l::text::lift::text = l::text AS round_trip FROM le_rolled;
SELECT (SELECT l::text FROM le_rolled) =
       (SELECT rollup(l)::text FROM (SELECT lift_agg(interval '1 day', ts, ev, conv) AS l FROM le_ts
                                     GROUP BY u ORDER BY u DESC) s) AS same_any_order;
SELECT (SELECT l::text FROM le_rolled) =
       (SELECT rollup(l)::text FROM (SELECT lift_agg(interval '1 day', ts::timestamp, ev, conv) AS l
                                     FROM le_ts GROUP BY u) s) AS same_for_timestamp;
SELECT lift_agg(interval '1 mon', ts, ev, conv, interval '1 mon 12:00')::text FROM le_ts WHERE u = 1;
SELECT lift_agg(interval '1 day', now(), 'a', false) IS NULL AS empty FROM le WHERE false;

-- 3. Landmark boundaries: landmark 1 hour, each entity enters at 00:00.
--   b1: micro-conversion exactly at the landmark: not counted
--   b2: one microsecond before it: counted
--   b3: conversion exactly at the landmark: at risk, converted
--   b4: conversion one microsecond before it: converted before the landmark
--   b5: conversion at 02:00 = landmark + 1 hour follow-up: converted without
--       a follow-up, not with a 1-hour one (the follow-up excludes its end)
--   b6: conversion one microsecond before that: converted either way
--   b7: a conversion row that also has a label (the conversion wins), at 00:30
CREATE TEMP TABLE lb (u text, ts timestamptz, ev text, conv boolean);
INSERT INTO lb VALUES
  ('b1', '2026-01-01 00:00', NULL, false), ('b1', '2026-01-01 01:00', 'm', false),
  ('b2', '2026-01-01 00:00', NULL, false), ('b2', '2026-01-01 00:59:59.999999', 'm', false),
  ('b3', '2026-01-01 00:00', NULL, false), ('b3', '2026-01-01 01:00', NULL, true),
  ('b4', '2026-01-01 00:00', NULL, false), ('b4', '2026-01-01 00:59:59.999999', NULL, true),
  ('b5', '2026-01-01 00:00', NULL, false), ('b5', '2026-01-01 02:00', NULL, true),
  ('b6', '2026-01-01 00:00', NULL, false), ('b6', '2026-01-01 01:59:59.999999', NULL, true),
  ('b7', '2026-01-01 00:00', NULL, false), ('b7', '2026-01-01 00:30', 'm', true);
SELECT u, entities(l), converted_entities(l) AS converted, converted_before_landmark(l) AS before,
       (SELECT string_agg(micro, ',') FROM lift_report(l)) AS did,
       entities(f) AS f_entities, converted_entities(f) AS f_converted,
       converted_before_landmark(f) AS f_before
FROM (SELECT u, lift_agg(interval '1 hour', ts, ev, conv) AS l,
             lift_agg(interval '1 hour', ts, ev, conv, interval '1 hour') AS f
      FROM lb GROUP BY u) s ORDER BY u;

-- 4. The report's NULL rules: every entity did the label (no rate without
-- it, no lift); nobody without it converted (no lift); nobody with it
-- converted (lift -1, no interval)
SELECT micro, rate_with, rate_without, lift, lift_low, lift_high FROM lift_report(
  '{"version": 2, "landmark": "1 day", "follow_up": null, "entities": 4, "converted": 2, "converted_before_landmark": 0,
    "micro": [{"label": "all", "entities": 4, "converted": 2}, {"label": "none_without", "entities": 2, "converted": 2},
              {"label": "zero_with", "entities": 2, "converted": 0}]}');

-- 5. Version-1 values (stored by 0.1.0): they read, print, send, merge with
-- each other and give their counts; lift_report refuses them.
CREATE TEMP TABLE v1 (l lift);
INSERT INTO v1 VALUES
  ('{"version": 1, "entities": 6, "converted": 3, "micro": [{"label": "newsletter", "entities": 3, "converted": 2}, {"label": "search", "entities": 1, "converted": 0}]}'),
  ('{"version": 1, "entities": 2, "converted": 1, "micro": [{"label": "search", "entities": 1, "converted": 1}]}');
SELECT l::text, lift_recv_ok, entities(l), converted_entities(l), converted_before_landmark(l)
FROM v1, LATERAL (SELECT l::text::lift::text = l::text AS lift_recv_ok) r;
SELECT rollup(l)::text FROM v1;
SELECT encode(lift_send(l), 'hex') FROM v1 LIMIT 1;
SELECT s.* FROM (VALUES
  ($$SELECT * FROM lift_report((SELECT rollup(l) FROM v1))$$),
  ($$SELECT * FROM lift_report((SELECT l FROM v1 LIMIT 1), 0.9)$$),
  ($$SELECT rollup(l) FROM (SELECT l FROM v1 UNION ALL SELECT l FROM le_rolled) s$$)
) v(stmt), pg_temp.expect_error(v.stmt) s;

-- 6. 0.1.0's lift_agg(ts, micro, is_conversion) is still in the catalog
-- (views using it survive the update) but raises an error, even on no rows
SELECT s.* FROM (VALUES
  ($$SELECT lift_agg(ts, ev, conv) FROM le_ts$$),
  ($$SELECT lift_agg(ts::timestamp, ev, conv) FROM le_ts$$),
  ($$SELECT lift_agg(ts, ev, conv) FROM le_ts WHERE false$$)
) v(stmt), pg_temp.expect_error(v.stmt) s;

-- 7. errors of lift_agg and rollup
SELECT s.* FROM (VALUES
  ($$SELECT lift_agg(NULL, now(), 'a', false)$$),
  ($$SELECT lift_agg(interval '0', now(), 'a', false)$$),
  ($$SELECT lift_agg(interval '-1 day', now(), 'a', false)$$),
  ($$SELECT lift_agg(interval '1 day -25 hours', now(), 'a', false)$$),
  ($$SELECT lift_agg(interval '2562047788 hours' + interval '1 day', now(), 'a', false)$$),
  ($$SELECT lift_agg(interval '1 day', now(), 'a', false, NULL)$$),
  ($$SELECT lift_agg(interval '1 day', now(), 'a', false, interval '0')$$),
  ($$SELECT lift_agg(interval '1 day', now(), 'a', false, interval '-1 hour')$$),
  ($$SELECT lift_agg(interval '1 day', now()::timestamp, 'a', false, interval '-1 hour')$$),
  ($$SELECT lift_agg(interval '1 day' * g, now(), 'a', false) FROM generate_series(1, 2) g$$),
  ($$SELECT lift_agg(interval '1 day', now(), 'a', false, interval '1 day' * g) FROM generate_series(1, 2) g$$),
  ($$SELECT lift_agg(interval '1 day', now(), repeat('x', 8193), false)$$),
  ($$SELECT lift_report(l, 0) FROM le_rolled$$),
  ($$SELECT lift_report(l, 1) FROM le_rolled$$),
  ($$SELECT lift_report(l, 'NaN') FROM le_rolled$$),
  ($$SELECT rollup(l) FROM (SELECT lift_agg(interval '1 day' * (u % 2 + 1), ts, ev, conv) AS l FROM le_ts GROUP BY u) s$$),
  ($$SELECT rollup(l) FROM (SELECT CASE WHEN u % 2 = 0 THEN lift_agg(interval '1 day', ts, ev, conv)
                                        ELSE lift_agg(interval '1 day', ts, ev, conv, interval '7 days') END AS l
                            FROM le_ts GROUP BY u) s$$),
  ($$SELECT rollup(l) FROM (SELECT lift_agg(interval '1 day', ts, ev, conv, interval '1 day' * (u % 2 + 1)) AS l FROM le_ts GROUP BY u) s$$)
) v(stmt), pg_temp.expect_error(v.stmt) s;
SELECT count(*) AS null_confidence_rows FROM le_rolled, lift_report(l, NULL);

\i test/lib/bad_text.sql
SELECT v.t, s.* FROM (VALUES
  ('{"version": 2, "landmark": "1 day", "follow_up": "7 days", "entities": 2, "converted": 1, "converted_before_landmark": 3, "micro": []}'),
  ('{"version": 1, "entities": 2, "converted": 1, "micro": []}'),
  ('{"version": 3, "entities": 2, "converted": 1, "micro": []}'),
  ('{"version": 1, "landmark": "1 day", "entities": 2, "converted": 1, "micro": []}'),
  ('{"version": 2, "entities": 2, "converted": 1, "micro": []}'),
  ('{"version": 2, "landmark": "1 day", "entities": 2, "converted": 1, "converted_before_landmark": 0, "micro": []}'),
  ('{"version": 2, "landmark": "0", "follow_up": null, "entities": 2, "converted": 1, "converted_before_landmark": 0, "micro": []}'),
  ('{"version": 2, "landmark": "-1 day", "follow_up": null, "entities": 2, "converted": 1, "converted_before_landmark": 0, "micro": []}'),
  ('{"version": 2, "landmark": "soon", "follow_up": null, "entities": 2, "converted": 1, "converted_before_landmark": 0, "micro": []}'),
  ('{"version": 2, "landmark": true, "follow_up": null, "entities": 2, "converted": 1, "converted_before_landmark": 0, "micro": []}'),
  ('{"version": 2, "landmark": "1 day", "follow_up": "0", "entities": 2, "converted": 1, "converted_before_landmark": 0, "micro": []}'),
  ('{"version": 2, "landmark": "1 day", "follow_up": null, "entities": 2, "converted": 1, "converted_before_landmark": -1, "micro": []}'),
  ('{"version": 2, "landmark": "1 day", "follow_up": null, "entities": 2, "converted": 3, "converted_before_landmark": 0, "micro": []}'),
  ('{"version": 2, "landmark": "1 day", "follow_up": null, "entities": 2, "converted": 1, "converted_before_landmark": 0, "micro": [], "x": 1}'),
  ('{"version": 1, "entities": 2, "converted": 3, "micro": []}'),
  ('{"version": 1, "entities": 2, "converted": 1, "micro": [{"label": "a", "entities": 0, "converted": 0}]}'),
  ('{"version": 1, "entities": 2, "converted": 1, "micro": [{"label": "a", "entities": 3, "converted": 0}]}'),
  ('{"version": 1, "entities": 2, "converted": 1, "micro": [{"label": "a", "entities": 1, "converted": 2}]}'),
  ('{"version": 1, "entities": 3, "converted": 1, "micro": [{"label": "a", "entities": 2, "converted": 2}]}'),
  ('{"version": 1, "entities": 2, "converted": 1, "micro": [{"label": "b", "entities": 1, "converted": 1}, {"label": "a", "entities": 1, "converted": 1}]}'),
  ('{"version": 1, "entities": 2, "converted": 1, "micro": [{"label": "a", "entities": 1}]}'),
  ('{"version": 1, "entities": 2, "converted": 1, "micro": [], "x": 1}'),
  ('{"version": 1, "entities": 2, "converted": 1, "micro": {}}'),
  ('[]')
) v(t), pg_temp.bad_text(v.t, 'lift') s;

-- binary input: one byte of a valid value changed (offsets in lift_send's
-- format: version 0, flags 1, entities 2-9, converted 10-17, landmark
-- 18-25, follow-up 26-33, converted_before_landmark 34-41, label count
-- 42-45, then per label its length, bytes, entities and converted)
\i test/lib/bad_binary.sql
SELECT v.what, s.* FROM (VALUES
  ('unchanged', 0, 2),
  ('version 1 (a shorter header)', 0, 1),
  ('version 3', 0, 3),
  ('flags', 1, 2),
  ('converted', 17, 9),
  ('landmark negative', 18, 255),
  ('follow-up -2', 33, 254),
  ('converted before landmark', 34, 128),
  ('label count', 45, 9),
  ('label length', 49, 99),
  ('a label byte', 50, 255),
  ('label entities', 67, 9),
  ('truncated', -1, 30)
) v(what, pos, val), pg_temp.bad_binary('SELECT l FROM le_rolled', 'lift', v.pos, v.val) s;
-- the same for a version-1 value (no landmark fields)
SELECT v.what, s.* FROM (VALUES
  ('unchanged', 0, 1),
  ('version 2 (a longer header)', 0, 2),
  ('converted', 17, 9),
  ('label count', 21, 9),
  ('label entities', 43, 9)
) v(what, pos, val), pg_temp.bad_binary('SELECT l FROM v1 LIMIT 1', 'lift', v.pos, v.val) s;

-- a state past the labels it holds in its own chunk (7): 20 labels before
-- the landmark (hour 24), in a shuffled order; then `x` at hour 30 and
-- again at hour 2 (its earliest time counts: in the value), `late` only
-- at hour 30 (not in the value); the entity converts after the landmark,
-- so all 21 labels converted
SELECT lift_agg(interval '1 day', '2026-01-01'::timestamptz + h * interval '1 hour', label, conv)::text
FROM (SELECT (i * 7) % 20 AS h, 'l' || lpad((i + 1)::text, 2, '0') AS label, false AS conv
      FROM generate_series(0, 19) i
      UNION ALL VALUES (30, 'x', false), (2, 'x', false), (30, 'late', false), (40, NULL, true)) s(h, label, conv);

-- a state whose labels outgrow the dictionary it holds in its own chunk
-- (about 90 bytes) while their times stay there (3 labels): a 60-byte `a…`
-- at hours 5 and 1, a 60-byte `b…` at hour 3, then `c…` at hour 30 (after
-- the landmark, not in the value); a conversion at hour 40
SELECT lift_agg(interval '1 day', '2026-01-01'::timestamptz + h * interval '1 hour',
                repeat(label, 60), conv)::text
FROM (VALUES (5, 'a', false), (3, 'b', false), (1, 'a', false), (30, 'c', false),
             (40, NULL, true)) s(h, label, conv);
