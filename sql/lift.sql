-- lift_agg, rollup(lift), lift_report and the lift type's input, on
-- hand-made entities whose counts were worked out before the expected
-- output was recorded; then every error.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET timezone = 'UTC';
SET extra_float_digits = 0;
\i test/lib/expect_error.sql

CREATE TEMP TABLE le (u int, h int, ev text, conv boolean);
INSERT INTO le VALUES
  (1, 1, 'newsletter', false), (1, 2, 'wishlist', false), (1, 3, 'purchase', true),
  (1, 4, 'wishlist', false),
  (2, 5, 'wishlist', false), (2, 1, 'purchase', true),     -- wishlist only after buying
  (3, 1, 'newsletter', false), (3, 2, 'newsletter', false),  -- never buys
  (4, 1, 'search', false),
  (5, 2, 'purchase', true), (5, 1, 'purchase', true),
  (5, 1, 'newsletter', false),                               -- same time as the first purchase: counts
  (6, NULL, 'x', false), (6, 1, NULL, NULL);                 -- neither: the entity still counts
CREATE TEMP VIEW le_ts AS
SELECT u, CASE WHEN h IS NOT NULL THEN '2026-01-01'::timestamptz + h * interval '1 hour' END AS ts, ev, conv
FROM le;

-- per entity: 1 converted after newsletter and wishlist; 2 converted with
-- nothing before; 3 did newsletter; 4 search; 5 converted after newsletter;
-- 6 nothing
SELECT u, lift_agg(ts, ev, conv)::text FROM le_ts GROUP BY u ORDER BY u;

-- 6 entities, 3 converted.
-- newsletter: 3 did it (1, 3, 5), 2 converted: 2/3 against 1/3 without,
--   lift 1, Katz 95% interval 2 * exp(+-z * sqrt(1/2 - 1/3 + 1 - 1/3)) - 1
--   with z = 1.959964 = -0.66581 .. 10.96926 (99%: -0.80953 .. 20.00051,
--   all four checked with Python's statistics.NormalDist).
-- search: 1 did it, none converted: 0 against 3/5, lift -1, no interval.
-- wishlist: 1 did it and converted: 1 against 2/5, lift 1.5, interval
--   2.5 * exp(+-z * sqrt(1/2 - 1/5)) - 1 = -0.14549 .. 6.31412 (99%: -0.39015 .. 9.24849).
CREATE TEMP TABLE le_rolled AS
SELECT rollup(l) AS l FROM (SELECT lift_agg(ts, ev, conv) AS l FROM le_ts GROUP BY u) s;
SELECT entities(l), converted_entities(l) FROM le_rolled;
SELECT micro, entities, converted, round(rate_with::numeric, 5) AS rate_with,
       round(rate_without::numeric, 5) AS rate_without, round(lift::numeric, 5) AS lift,
       round(lift_low::numeric, 5) AS lift_low, round(lift_high::numeric, 5) AS lift_high
FROM le_rolled, lift_report(l) ORDER BY micro;
-- a wider interval at 99%
SELECT micro, round(lift_low::numeric, 5) AS lift_low, round(lift_high::numeric, 5) AS lift_high
FROM le_rolled, lift_report(l, 0.99) ORDER BY micro;

-- text round trip; any merge order; timestamp without time zone
SELECT l::text, l::text::lift::text = l::text AS round_trip FROM le_rolled;
SELECT (SELECT l::text FROM le_rolled) =
       (SELECT rollup(l)::text FROM (SELECT lift_agg(ts, ev, conv) AS l FROM le_ts
                                     GROUP BY u ORDER BY u DESC) s) AS same_any_order;
SELECT (SELECT l::text FROM le_rolled) =
       (SELECT rollup(l)::text FROM (SELECT lift_agg(ts::timestamp, ev, conv) AS l FROM le_ts GROUP BY u) s)
       AS same_for_timestamp;
-- all entities without the label: no rate without it, no lift
SELECT micro, rate_with, rate_without, lift FROM lift_report('{"version": 1, "entities": 2, "converted": 1, "micro": [{"label": "all", "entities": 2, "converted": 1}]}');
SELECT lift_agg(now(), 'a', false) IS NULL AS empty FROM le WHERE false;

-- errors
SELECT s.* FROM (VALUES
  ($$SELECT lift_report(l, 0) FROM le_rolled$$),
  ($$SELECT lift_report(l, 1) FROM le_rolled$$),
  ($$SELECT lift_report(l, 'NaN') FROM le_rolled$$),
  ($$SELECT lift_agg(now(), repeat('x', 8193), false)$$)
) v(stmt), pg_temp.expect_error(v.stmt) s;
SELECT count(*) AS null_confidence_rows FROM le_rolled, lift_report(l, NULL);

\i test/lib/bad_text.sql
SELECT v.t, s.* FROM (VALUES
  ('{"version": 1, "entities": 2, "converted": 1, "micro": []}'),
  ('{"version": 9, "entities": 2, "converted": 1, "micro": []}'),
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

-- binary input: one byte of a valid value changed (offsets in lift_send's format)
\i test/lib/bad_binary.sql
SELECT v.what, s.* FROM (VALUES
  ('unchanged', 0, 1),
  ('version', 0, 2),
  ('flags', 1, 1),
  ('converted', 17, 9),
  ('label count', 21, 9),
  ('label length', 25, 99),
  ('a label byte', 26, 255),
  ('label entities', 43, 9),
  ('truncated', -1, 30)
) v(what, pos, val), pg_temp.bad_binary('SELECT l FROM le_rolled', 'lift', v.pos, v.val) s;
