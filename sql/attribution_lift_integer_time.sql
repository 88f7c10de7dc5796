-- attribution_agg and lift_agg over integer times (issue 18): ts bigint (or
-- integer), lookback / landmark / follow_up bigint in the same units; the
-- values record it (text: JSON numbers; binary: a flag bit)
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
\set SHOW_CONTEXT never
SET TimeZone = 'UTC';
SET extra_float_digits = 0;

-- attribution, hand-checked: times in epoch seconds (an int column)
CREATE TEMP TABLE ai (u int, ts int, touch text, conv boolean, val float8);
INSERT INTO ai VALUES
  -- 1: lookback 100 from the conversion at 200 takes [100, 200]: email
  --    (100, on the edge) and ad (150), half each (linear), 5 of value each
  (1, 100, 'email', false, NULL), (1, 150, 'ad', false, NULL), (1, 200, NULL, true, 10),
  -- 2: the only touch is 1000 before: unattributed, value 5
  (2, 0, 'email', false, NULL), (2, 1000, NULL, true, 5),
  -- 3: a tie at 500 (ad, email: half each of 30), then social alone for
  --    the conversion at 700 (value NULL: 0); 500 is outside [600, 700]
  (3, 500, 'ad', false, NULL), (3, 500, 'email', false, NULL), (3, 560, NULL, true, 30),
  (3, 600, 'social', false, NULL), (3, 700, NULL, true, NULL);
-- per entity
SELECT u, quote_nullable(r.touch) AS touch, r.conversions, r.value, r.touches
FROM (SELECT u, attribution_agg(100, 'linear', ts, touch, conv, val) AS a FROM ai GROUP BY u) s,
     LATERAL attribution_touches(a) r
ORDER BY u, r.touch NULLS LAST;
-- rolled up: ad 1 conversion (20), email 1 (20), social 1 (0), 1 unattributed (5)
CREATE TEMP TABLE ai_rolled AS
SELECT rollup(a) AS a FROM (SELECT attribution_agg(100, 'linear', ts, touch, conv, val) AS a FROM ai GROUP BY u) s;
SELECT quote_nullable(r.touch) AS touch, r.conversions, r.value, r.touches
FROM ai_rolled, LATERAL attribution_touches(a) r ORDER BY r.touch NULLS LAST;
SELECT entities(a), conversions(a), attributed_conversions(a), conversion_value(a) FROM ai_rolled;
-- the text form records the integer lookback as a JSON number, and reads back
SELECT a::text FROM ai_rolled;
SELECT a::text::attribution::text = a::text AS text_round_trip FROM ai_rolled;
-- time_decay over integer times takes half_life=N in the same units: user
-- 1's email is 100 before (weight 1/4), ad 50 (1/2): credit 1/3 and 2/3
SELECT r.touch, r.conversions, a::text LIKE '%half_life=50,%' AS canonical_half_life
FROM (SELECT attribution_agg(100, 'time_decay, half_life=50', ts, touch, conv) AS a FROM ai WHERE u = 1) s,
     LATERAL attribution_touches(a) r ORDER BY r.touch;

-- the integer form equals the timestamptz form on to_timestamp(ts) with
-- the lookback (and half-life) in seconds, for every model
SELECT m.int_model,
       (SELECT array_agg(r ORDER BY r.touch NULLS LAST)
        FROM (SELECT rollup(a) AS a FROM (SELECT attribution_agg(100, m.int_model, ts, touch, conv, val) AS a FROM ai GROUP BY u) s) x,
             LATERAL attribution_touches(x.a) r) =
       (SELECT array_agg(r ORDER BY r.touch NULLS LAST)
        FROM (SELECT rollup(a) AS a FROM (SELECT attribution_agg(interval '100 seconds', m.tz_model, to_timestamp(ts), touch, conv, val) AS a FROM ai GROUP BY u) s) x,
             LATERAL attribution_touches(x.a) r) AS same_as_timestamptz
FROM (VALUES ('first_touch', 'first_touch'), ('last_touch', 'last_touch'), ('linear', 'linear'),
             ('time_decay, half_life=50', 'time_decay, half_life=50 seconds'),
             ('time_decay, half_life=7', 'time_decay, half_life=7 seconds'),
             ('position_based', 'position_based'), ('linear, max_touches=1', 'linear, max_touches=1')) AS m(int_model, tz_model)
ORDER BY m.int_model;

-- lift, hand-checked: landmark 100 (and follow-up 50) in the same units
CREATE TEMP TABLE li (u int, ts bigint, micro text, conv boolean);
INSERT INTO li VALUES
  -- 1: entry 0, landmark at 100: did signup and newsletter; converts at
  --    149, inside the follow-up [100, 150)
  (1, 0, 'signup', false), (1, 50, 'newsletter', false), (1, 149, NULL, true),
  -- 2: newsletter at 100 is at the landmark, not before it: only signup;
  --    never converts
  (2, 0, 'signup', false), (2, 100, 'newsletter', false),
  -- 3: converts at 60, before its landmark (110): not at risk
  (3, 10, 'newsletter', false), (3, 60, NULL, true),
  -- 4: newsletter; converts at 200: after the landmark, past the follow-up
  (4, 0, 'newsletter', false), (4, 200, NULL, true);
SELECT u, lift_agg(100, ts, micro, conv)::text FROM li GROUP BY u ORDER BY u;
-- rolled up: 3 at risk, 2 converted (1 with the follow-up), 1 before
CREATE TEMP TABLE li_rolled AS
SELECT rollup(l) AS l, (SELECT rollup(l) FROM (SELECT lift_agg(100, ts, micro, conv, 50) AS l FROM li GROUP BY u) f) AS lf
FROM (SELECT lift_agg(100, ts, micro, conv) AS l FROM li GROUP BY u) s;
SELECT l::text, lf::text FROM li_rolled;
SELECT l::text::lift::text = l::text AS text_round_trip, lf::text::lift::text = lf::text AS follow_up_round_trip
FROM li_rolled;
SELECT entities(l), converted_entities(l), converted_before_landmark(l),
       entities(lf), converted_entities(lf), converted_before_landmark(lf)
FROM li_rolled;
SELECT r.micro, r.entities, r.converted, r.rate_with, r.rate_without FROM li_rolled, LATERAL lift_report(l) r
ORDER BY r.micro;

-- the integer form equals the timestamptz form on to_timestamp(ts) with
-- the landmark and follow-up in seconds
SELECT (SELECT array_agg(r ORDER BY r.micro) FROM li_rolled, LATERAL lift_report(l) r) =
       (SELECT array_agg(r ORDER BY r.micro)
        FROM (SELECT rollup(l) AS l FROM (SELECT lift_agg(interval '100 seconds', to_timestamp(ts), micro, conv) AS l FROM li GROUP BY u) s) x,
             LATERAL lift_report(x.l) r) AS same_report,
       (SELECT array_agg(r ORDER BY r.micro) FROM li_rolled, LATERAL lift_report(lf) r) =
       (SELECT array_agg(r ORDER BY r.micro)
        FROM (SELECT rollup(l) AS l FROM (SELECT lift_agg(interval '100 seconds', to_timestamp(ts), micro, conv, interval '50 seconds') AS l FROM li GROUP BY u) s) x,
             LATERAL lift_report(x.l) r) AS same_follow_up_report,
       (SELECT array[entities(l), converted_entities(l), converted_before_landmark(l)] FROM li_rolled) =
       (SELECT array[entities(l), converted_entities(l), converted_before_landmark(l)]
        FROM (SELECT rollup(l) AS l FROM (SELECT lift_agg(interval '100 seconds', to_timestamp(ts), micro, conv) AS l FROM li GROUP BY u) s) x) AS same_counts;

-- binary round trips keep the flag
\i test/lib/try_recv.sql
SELECT r.state, r.txt = a::text AS same FROM ai_rolled, LATERAL pg_temp.try_recv('attribution', attribution_send(a)) r;
SELECT r.state, r.txt = lf::text AS same FROM li_rolled, LATERAL pg_temp.try_recv('lift', lift_send(lf)) r;

-- overload resolution: integer literals with an integer column; the
-- interval forms unchanged, literals included
SELECT (SELECT conversions(a) FROM (SELECT attribution_agg(100, 'linear', ts, touch, conv) AS a FROM ai WHERE u = 1) s) AS int_literal,
       (SELECT conversions(a) FROM (SELECT attribution_agg('100 seconds', 'linear', to_timestamp(ts), touch, conv) AS a FROM ai WHERE u = 1) s) AS interval_literal,
       (SELECT conversions(a) FROM (SELECT attribution_agg('100 seconds', 'linear', to_timestamp(ts)::timestamp, touch, conv, val) AS a FROM ai WHERE u = 1) s) AS timestamp_literal,
       (SELECT entities(l) FROM (SELECT lift_agg(100, ts::int, micro, conv) AS l FROM li WHERE u = 1) s) AS lift_int,
       (SELECT entities(l) FROM (SELECT lift_agg('100 seconds', to_timestamp(ts), micro, conv, '50 seconds') AS l FROM li WHERE u = 1) s) AS lift_literals;

-- errors: SQLSTATE, message and hint
\i test/lib/expect_error.sql
\i test/lib/bad_binary.sql
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
SELECT * FROM pg_temp.expect_error($$SELECT attribution_agg(-1, 'linear', ts, touch, conv) FROM ai$$);
SELECT * FROM pg_temp.expect_error($$SELECT attribution_agg(NULL::bigint, 'linear', ts, touch, conv) FROM ai$$);
SELECT * FROM pg_temp.expect_error($$SELECT attribution_agg(100, 'time_decay', ts, touch, conv) FROM ai$$);
SELECT * FROM pg_temp.expect_error($$SELECT attribution_agg(100, 'time_decay, half_life=7 days', ts, touch, conv) FROM ai$$);
SELECT * FROM pg_temp.expect_error($$SELECT attribution_agg(100, 'time_decay, half_life=0', ts, touch, conv) FROM ai$$);
SELECT * FROM pg_temp.expect_error($$SELECT attribution_agg(u * 10, 'linear', ts, touch, conv) FROM ai WHERE u IN (1, 3)$$);
SELECT * FROM pg_temp.expect_error($$SELECT attribution_agg(10, 'linear', t, 'x', false) FROM (VALUES (9223372036854775807)) v(t)$$);
SELECT * FROM pg_temp.expect_error($$SELECT attribution_agg(10, 'linear', t, NULL, true) FROM (VALUES (-9223372036854775808)) v(t)$$);
-- an interval literal with an integer column reads as a bigint
SELECT * FROM pg_temp.expect_error($$SELECT attribution_agg('1 day', 'linear', ts, touch, conv) FROM ai$$);
-- rollup of an integer-time value with a timestamp one
SELECT * FROM pg_temp.expect_error($$SELECT rollup(a) FROM (SELECT attribution_agg(100, 'linear', ts, touch, conv) AS a FROM ai UNION ALL SELECT attribution_agg(interval '100 seconds', 'linear', to_timestamp(ts), touch, conv) FROM ai) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(a) FROM (SELECT attribution_agg(100, 'linear', ts, touch, conv) AS a FROM ai UNION ALL SELECT attribution_agg(200, 'linear', ts, touch, conv) FROM ai) s$$);
-- text input: the kind of the lookback decides how the model's half-life reads
SELECT * FROM pg_temp.expect_error($$SELECT '{"version": 1, "model": "time_decay, half_life=7 days, max_touches=100", "lookback": 100, "entities": 0, "conversions": 0, "attributed": 0, "unattributed_value_micros": 0, "touches": []}'::attribution$$);
SELECT * FROM pg_temp.expect_error($$SELECT '{"version": 1, "model": "time_decay, half_life=50, max_touches=100", "lookback": "00:01:40", "entities": 0, "conversions": 0, "attributed": 0, "unattributed_value_micros": 0, "touches": []}'::attribution$$);
SELECT * FROM pg_temp.expect_error($$SELECT '{"version": 1, "model": "linear, max_touches=100", "lookback": -1, "entities": 0, "conversions": 0, "attributed": 0, "unattributed_value_micros": 0, "touches": []}'::attribution$$);
-- binary input: an unknown flag (byte 1 is the flags)
SELECT * FROM pg_temp.bad_binary($$SELECT a FROM ai_rolled$$, 'attribution', 1, 3);

SELECT * FROM pg_temp.expect_error($$SELECT lift_agg(0, ts, micro, conv) FROM li$$);
SELECT * FROM pg_temp.expect_error($$SELECT lift_agg(NULL::bigint, ts, micro, conv) FROM li$$);
SELECT * FROM pg_temp.expect_error($$SELECT lift_agg(100, ts, micro, conv, -50) FROM li$$);
SELECT * FROM pg_temp.expect_error($$SELECT lift_agg(9223372036854775807, ts, micro, conv) FROM li$$);
SELECT * FROM pg_temp.expect_error($$SELECT lift_agg(u * 100, ts, micro, conv) FROM li WHERE u IN (1, 2)$$);
SELECT * FROM pg_temp.expect_error($$SELECT lift_agg(100, ts, micro, conv, u * 10) FROM li WHERE u IN (1, 2)$$);
SELECT * FROM pg_temp.expect_error($$SELECT lift_agg(100, t, 'x', false) FROM (VALUES (9223372036854775807)) v(t)$$);
SELECT * FROM pg_temp.expect_error($$SELECT lift_agg('1 day', ts, micro, conv) FROM li$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(l) FROM (SELECT lift_agg(100, ts, micro, conv) AS l FROM li UNION ALL SELECT lift_agg(interval '100 seconds', to_timestamp(ts), micro, conv) FROM li) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT rollup(l) FROM (SELECT lift_agg(100, ts, micro, conv, 50) AS l FROM li UNION ALL SELECT lift_agg(100, ts, micro, conv, 60) FROM li) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT '{"version": 2, "landmark": 100, "follow_up": "00:00:50", "entities": 0, "converted": 0, "converted_before_landmark": 0, "micro": []}'::lift$$);
SELECT * FROM pg_temp.expect_error($$SELECT '{"version": 2, "landmark": 0, "follow_up": null, "entities": 0, "converted": 0, "converted_before_landmark": 0, "micro": []}'::lift$$);
SELECT * FROM pg_temp.bad_binary($$SELECT l FROM li_rolled$$, 'lift', 1, 3);
