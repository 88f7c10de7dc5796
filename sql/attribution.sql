-- attribution_agg, rollup(attribution) and the accessors on hand-made
-- entities whose credits were worked out by hand (in the comments) before
-- the expected output was recorded.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET timezone = 'UTC';
SET extra_float_digits = 0;

CREATE TEMP TABLE at_ev (u int, ts timestamptz, touch text, conv boolean, val float8);
INSERT INTO at_ev VALUES
  -- 1: three touches a day apart, then a conversion worth 100
  (1, '2026-01-01 10:00', 'email', false, NULL),
  (1, '2026-01-02 10:00', 'ads', false, NULL),
  (1, '2026-01-03 10:00', 'social', false, NULL),
  (1, '2026-01-04 10:00', NULL, true, 100),
  -- 2: the only touch is 59 days before the conversion; one touch after it
  (2, '2026-01-01 10:00', 'ads', false, NULL),
  (2, '2026-03-01 10:00', NULL, true, 50),
  (2, '2026-03-02 10:00', 'email', false, NULL),
  -- 3: boundaries and ties around a conversion at 2026-02-01 00:00
  (3, '2026-01-01 23:59:59', 'z', false, NULL),   -- 30 days + 1 s before: out
  (3, '2026-01-02 00:00', 'b', false, NULL),       -- exactly 30 days before: in
  (3, '2026-01-02 00:00', 'a', false, NULL),       -- tie with b: a comes first
  (3, '2026-02-01 00:00', 'c', false, NULL),       -- same time as the conversion: in
  (3, '2026-02-01 00:00:01', 'd', false, NULL),    -- after: out
  (3, '2026-02-01 00:00', NULL, true, NULL),       -- value NULL counts as 0
  -- 4: two conversions with a one-day lookback
  (4, '2026-01-01 01:00', 'x', false, NULL),
  (4, '2026-01-01 02:00', 'y', false, NULL),
  (4, '2026-01-01 03:00', 'x', false, NULL),
  (4, '2026-01-01 04:00', NULL, true, 10),
  (4, '2026-01-01 05:00', 'z', false, NULL),
  (4, '2026-01-01 06:00', NULL, true, 20),
  -- 5: NULLs
  (5, NULL, 'email', false, NULL),                 -- no time: ignored
  (5, '2026-01-01 09:00', NULL, false, NULL),      -- no label, no conversion: ignored
  (5, '2026-01-01 10:00', 'ads', NULL, NULL),      -- NULL is_conversion: a touch
  (5, '2026-01-01 11:00', 'email', true, 30),      -- a conversion; its label is not a touch
  (5, '2026-01-01 12:00', NULL, true, NULL),
  -- 6: touches only; 7: an empty label
  (6, '2026-01-01 10:00', 'email', false, NULL),
  (6, '2026-01-02 10:00', 'email', false, NULL),
  (7, '2026-01-01 10:00', '', false, NULL),
  (7, '2026-01-01 10:30', NULL, true, 1.5);

CREATE TEMP VIEW at_report AS
SELECT m.model, e.u, r.*
FROM (VALUES ('first_touch'), ('last_touch'), ('linear'), ('time_decay, half_life=1 day'),
             ('position_based')) m(model),
     LATERAL (SELECT u, attribution_agg('30 days', m.model, ts, touch, conv, val) AS a
              FROM at_ev WHERE u IN (1, 2, 3) GROUP BY u) e,
     attribution_touches(e.a) r;

-- 1: first_touch email 1 (value 100); last_touch social 1; linear 1/3 each
--    with the extra unit to the latest (social .333333333334, value
--    33.333333 + 33.333333 + 33.333334); time_decay weights 1/4, 1/2, 1 ->
--    1/7, 2/7, 4/7 (.142857142857, .285714285714, .571428571429);
--    position_based .4 / .2 / .4.
-- 2: nothing eligible: a NULL row with 1 conversion worth 50; ads and email
--    are listed with their touch rows and no credit.
-- 3: eligible a, b (tie, in label order), c: first_touch a, last_touch c,
--    linear 1/3 each (c gets the extra unit), position_based a .4, b .2,
--    c .4; time_decay: a and b weigh 2^-30 each against c's 1, so
--    931 units each (9.31e-10) and c the rest (.999999998138).
SELECT * FROM at_report ORDER BY model, u, touch NULLS LAST;

-- 4, linear with a one-day lookback:
--    conversion 1 (10): x .333333333333 + x .333333333334, y .333333333333;
--    value 3.333333 + 3.333334 to x, 3.333333 to y.
--    conversion 2 (20): x, y, x, z .25 each; value 5 each.
--    totals: x 1.166666666667 (16.666667), y .583333333333 (8.333333), z .25 (5).
-- with max_touches=2, only the latest two touches share each conversion:
--    conversion 1: y, x (@3:00) .5 each; conversion 2: x (@3:00), z .5 each.
--    totals: x 1 (15), y .5 (5), z .5 (10).
SELECT m.model, r.*
FROM (VALUES ('linear'), ('linear, max_touches=2')) m(model),
     LATERAL (SELECT attribution_agg('1 day', m.model, ts, touch, conv, val) AS a
              FROM at_ev WHERE u = 4) e,
     attribution_touches(e.a) r
ORDER BY m.model, r.touch;

-- 5: first_touch, one day: ads takes both conversions (30 + 0), 1 touch row;
--    email never was a touch.  6: no conversion.  7: the empty label.
SELECT u, quote_nullable(r.touch) AS touch, r.conversions, r.value, r.touches
FROM (SELECT u, attribution_agg('1 day', 'first_touch', ts, touch, conv, val) AS a
      FROM at_ev WHERE u IN (5, 6, 7) GROUP BY u) e,
     attribution_touches(e.a) r
ORDER BY u, touch;

-- a lookback of zero: only touches at the conversion's own time (3: c)
SELECT r.* FROM (SELECT attribution_agg('0', 'linear', ts, touch, conv) AS a
                 FROM at_ev WHERE u = 3) e, attribution_touches(e.a) r ORDER BY touch;

-- position_based with two touches: the first and last weights, normalized
-- (0.4 / 0.4 -> .5 / .5; 0.3/0.6/0.1 -> .75 / .25); weights=1/0/0 gives
-- everything to the first touch; four touches share the middle weight.
CREATE TEMP VIEW at_hours AS
SELECT n, '2026-01-01'::timestamptz + h * interval '1 hour' AS ts, t, conv
FROM (VALUES (2, 1, 'p', false), (2, 2, 'q', false), (2, 3, NULL, true),
             (4, 1, 't1', false), (4, 2, 't2', false), (4, 3, 't3', false), (4, 4, 't4', false),
             (4, 5, NULL, true)) v(n, h, t, conv);
SELECT m.model, r.touch, r.conversions
FROM (VALUES ('position_based'), ('position_based, weights=0.3/0.6/0.1'),
             ('position_based, weights=1/0/0')) m(model),
     LATERAL (SELECT attribution_agg('1 day', m.model, ts, t, conv) AS a
              FROM at_hours WHERE n = 2) e,
     attribution_touches(e.a) r
ORDER BY m.model, r.touch;
SELECT r.touch, r.conversions
FROM (SELECT attribution_agg('1 day', 'position_based', ts, t, conv) AS a
      FROM at_hours WHERE n = 4) e,
     attribution_touches(e.a) r ORDER BY r.touch;

-- rollup over entities 1-7 (linear, 30 days), and the scalar accessors:
-- conversions 1 + 1 + 1 + 2 + 2 + 0 + 1 = 8; attributed 7 (all but 2's);
-- value 100 + 50 + 0 + 30 + 30 + 1.5 = 211.5.
CREATE TEMP TABLE at_rolled AS
SELECT rollup(a) AS a FROM (SELECT attribution_agg('30 days', 'linear', ts, touch, conv, val) AS a
                            FROM at_ev GROUP BY u) s;
SELECT quote_nullable(r.touch) AS touch, r.conversions, r.value, r.touches
FROM at_rolled, attribution_touches(a) r ORDER BY r.touch NULLS LAST;
SELECT entities(a), conversions(a), attributed_conversions(a), conversion_value(a),
       (SELECT sum(conversions) FROM attribution_touches(a) WHERE touch IS NOT NULL) AS credited
FROM at_rolled;

-- the text form, and that it reads back to the same value
SELECT a::text FROM at_rolled;
SELECT a::text::attribution::text = a::text AS round_trip FROM at_rolled;
SELECT attribution_agg('30 days', 'time_decay, half_life=36 hours, max_touches=5', ts, touch, conv)::text
FROM at_ev WHERE u = 1;

-- rollup in place and rebuilt give the same as one aggregate over all rows
SELECT (SELECT a::text FROM at_rolled) =
       (SELECT rollup(a)::text FROM (SELECT attribution_agg('30 days', 'linear', ts, touch, conv, val) AS a
                                     FROM at_ev GROUP BY u ORDER BY u DESC) s) AS same_any_order;

-- timestamp without time zone works the same
SELECT r.* FROM (SELECT attribution_agg('30 days', 'last_touch', ts::timestamp, touch, conv, val) AS a
                 FROM at_ev WHERE u = 1) e, attribution_touches(e.a) r ORDER BY touch;

-- an aggregate over no rows is NULL
SELECT attribution_agg('1 day', 'linear', ts, touch, conv) IS NULL AS empty FROM at_ev WHERE false;
