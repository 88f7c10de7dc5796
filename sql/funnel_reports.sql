-- funnel_rates, funnel_compare, time_to_convert_mean and
-- time_to_convert_histogram (0.2.0) on small hand-made funnels whose
-- answers are worked out by hand in the comments; then every error.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET timezone = 'UTC';
\i test/lib/expect_error.sql

-- z of a 95% two-sided interval: z = 1.959963984540054, z^2 = 3.841458820694124.
-- Wilson's interval of x of n, p = x / n:
--   centre = (p + z^2 / 2n) / (1 + z^2 / n)
--   half   = z / (1 + z^2 / n) * sqrt(p (1 - p) / n + z^2 / 4n^2)

-- 1. funnel_rates --------------------------------------------------------

-- three users view, two of them buy: 2 of 3.
--   z^2/n = 1.2804863, denominator 2.2804863
--   centre = (0.6666667 + 0.6402431) / 2.2804863 = 0.5730838
--   half = 1.9599640 / 2.2804863 * sqrt(0.0740741 + 0.1067072)
--        = 0.8594530 * 0.4251838 = 0.3654242
--   [0.207660, 0.938508]; at 90% (z = 1.6448536, z^2 = 2.7055434):
--   denominator 1.9018478, centre (0.6666667 + 0.4509239) / 1.9018478
--   = 0.5876341, half = 0.8648702 * sqrt(0.0740741 + 0.0751540) = 0.3341002:
--   [0.253534, 0.921734]
CREATE TEMP TABLE ev23 (u int, ts timestamptz, e text);
INSERT INTO ev23 VALUES
  (1, '2026-01-01 10:00', 'view'), (1, '2026-01-01 10:30', 'buy'),
  (2, '2026-01-01 10:00', 'view'), (2, '2026-01-01 11:00', 'buy'),
  (3, '2026-01-01 10:00', 'view');
CREATE TEMP TABLE f23 AS
SELECT rollup(f) AS f
FROM (SELECT u, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) AS f
      FROM ev23 GROUP BY u) s;
SELECT step, label, entered, round(converted_from_previous::numeric, 6) AS prev,
       round(from_previous_low::numeric, 6) AS prev_low, round(from_previous_high::numeric, 6) AS prev_high,
       round(converted_from_first::numeric, 6) AS first,
       round(from_first_low::numeric, 6) AS first_low, round(from_first_high::numeric, 6) AS first_high
FROM f23, funnel_rates(f);
SELECT step, round(from_previous_low::numeric, 6) AS low_90, round(from_previous_high::numeric, 6) AS high_90
FROM f23, funnel_rates(f, 0.9);
-- the rates are funnel_steps' rates
SELECT count(*) AS steps_that_differ
FROM f23, funnel_rates(f) r JOIN funnel_steps(f) s USING (step)
WHERE r.converted_from_previous IS DISTINCT FROM s.converted_from_previous
   OR r.converted_from_first IS DISTINCT FROM s.converted_from_first
   OR r.entered <> s.entered OR r.label IS DISTINCT FROM s.label;

-- five users view and add to the cart, none buys: 5 of 5 (step 2) and
-- 0 of 5 (step 3).  At x = 0: centre = half = (z^2 / 2n) / (1 + z^2 / n), so
-- low = 0 and high = (z^2 / n) / (1 + z^2 / n) = 0.7682918 / 1.7682918 =
-- 0.434482.  At x = n: low = 1 / (1 + z^2 / n) = 0.565518, high = 1.
-- Step 1's rates are 1 by definition: [1, 1].
CREATE TEMP TABLE ev55 (u int, ts timestamptz, e text);
INSERT INTO ev55
SELECT u, '2026-01-01 10:00'::timestamptz + (k * 10) * interval '1 minute', e
FROM generate_series(1, 5) u, (VALUES (0, 'view'), (1, 'cart')) v(k, e);
CREATE TEMP TABLE f55 AS
SELECT rollup(f) AS f
FROM (SELECT u, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'buy']) AS f
      FROM ev55 GROUP BY u) s;
SELECT step, label, entered, round(converted_from_previous::numeric, 6) AS prev,
       round(from_previous_low::numeric, 6) AS prev_low, round(from_previous_high::numeric, 6) AS prev_high,
       round(converted_from_first::numeric, 6) AS first,
       round(from_first_low::numeric, 6) AS first_low, round(from_first_high::numeric, 6) AS first_high
FROM f55, funnel_rates(f);

-- nobody reached step 1 (two users with other events only): every rate
-- and interval is NULL, as funnel_steps' rates are
SELECT step, entered, converted_from_previous, from_previous_low, from_previous_high,
       converted_from_first, from_first_low, from_first_high
FROM (SELECT rollup(f) AS f
      FROM (SELECT u, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) AS f
            FROM (VALUES (1, '2026-01-01 10:00'::timestamptz, 'search'),
                         (2, '2026-01-01 10:00'::timestamptz, 'search')) v(u, ts, e)
            GROUP BY u) s) t,
     funnel_rates(f);
-- a one-entity funnel: 1 of 1 from step 1, [1 / (1 + z^2), 1] = [1 / 4.8414588, 1]
-- = [0.206549, 1]
SELECT step, converted_from_previous, round(from_previous_low::numeric, 6) AS low, from_previous_high AS high
FROM (SELECT funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) AS f FROM ev23 WHERE u = 1) s,
     funnel_rates(f);
-- a boolean-form funnel has no labels; NULL funnel, NULL confidence: no rows
SELECT step, label, entered, round(from_previous_low::numeric, 6) AS low
FROM (SELECT rollup(f) AS f
      FROM (SELECT u, funnel_agg(interval '1 day', ts, e = 'view', e = 'buy') AS f
            FROM ev23 GROUP BY u) s) t,
     funnel_rates(f);
SELECT count(*) AS no_rows FROM funnel_rates(NULL);
SELECT count(*) AS no_rows FROM f23, funnel_rates(f, NULL);

-- 2. funnel_compare ------------------------------------------------------

-- two channels of 10 users who view; 2 of channel a and 6 of channel b buy
CREATE TEMP TABLE evc (u int, ch text, ts timestamptz, e text);
INSERT INTO evc
SELECT u, CASE WHEN u <= 10 THEN 'a' ELSE 'b' END,
       '2026-01-01 10:00'::timestamptz + u * interval '1 minute', 'view'
FROM generate_series(1, 20) u;
INSERT INTO evc
SELECT u, CASE WHEN u <= 10 THEN 'a' ELSE 'b' END,
       '2026-01-01 10:10'::timestamptz + u * interval '1 minute', 'buy'
FROM generate_series(1, 20) u WHERE u IN (1, 2, 11, 12, 13, 14, 15, 16);
CREATE TEMP TABLE by_ch AS
SELECT ch, rollup(f) AS f
FROM (SELECT u, ch, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) AS f
      FROM evc GROUP BY u, ch) s
GROUP BY ch;
-- rate_a = 2/10, rate_b = 6/10, difference 0.4, relative lift 0.6/0.2 - 1 = 2.
-- Pooled p = 8/20 = 0.4; se = sqrt(0.4 * 0.6 * (1/10 + 1/10)) = sqrt(0.048)
-- = 0.2190890; z = 0.4 / 0.2190890 = 1.825742; p = 2 (1 - Phi(1.825742))
-- = 2 * 0.0339446 = 0.067889.
-- Wilson (z^2/n = 0.3841459, denominator 1.3841459):
--   2/10: centre (0.2 + 0.1920729) / 1.3841459 = 0.2832598,
--         half 1.4160048 * sqrt(0.016 + 0.0096036) = 0.2265777: [0.056682, 0.509838]
--   6/10: centre (0.6 + 0.1920729) / 1.3841459 = 0.5722467,
--         half 1.4160048 * sqrt(0.024 + 0.0096036) = 0.2595730: [0.312674, 0.831820]
-- Newcombe: low  = 0.4 - sqrt((0.6 - 0.312674)^2 + (0.509838 - 0.2)^2)
--                = 0.4 - sqrt(0.0825564 + 0.0959993) = 0.4 - 0.4225585 = -0.022558
--           high = 0.4 + sqrt((0.831820 - 0.6)^2 + (0.2 - 0.056682)^2)
--                = 0.4 + sqrt(0.0537404 + 0.0205400) = 0.4 + 0.2725443 = 0.672544
SELECT round(rate_a::numeric, 6) AS rate_a, round(rate_b::numeric, 6) AS rate_b,
       round(difference::numeric, 6) AS difference,
       round(difference_low::numeric, 6) AS low, round(difference_high::numeric, 6) AS high,
       round(relative_lift::numeric, 6) AS lift, round(z::numeric, 6) AS z,
       round(p_value::numeric, 6) AS p_value
FROM funnel_compare((SELECT f FROM by_ch WHERE ch = 'a'), (SELECT f FROM by_ch WHERE ch = 'b'), 1, 2);
-- swapping a and b: rates swap, the difference, its interval and z change
-- sign, p stays, the relative lift becomes 0.2/0.6 - 1
SELECT round(rate_a::numeric, 6) AS rate_a, round(rate_b::numeric, 6) AS rate_b,
       round(difference::numeric, 6) AS difference,
       round(difference_low::numeric, 6) AS low, round(difference_high::numeric, 6) AS high,
       round(relative_lift::numeric, 6) AS lift, round(z::numeric, 6) AS z,
       round(p_value::numeric, 6) AS p_value
FROM funnel_compare((SELECT f FROM by_ch WHERE ch = 'b'), (SELECT f FROM by_ch WHERE ch = 'a'), 1, 2);
-- by step name: the same row; a wider interval at 99% (same z and p)
SELECT (SELECT row(c.*) FROM funnel_compare(a.f, b.f, 'view', 'buy') c)
       = (SELECT row(c.*) FROM funnel_compare(a.f, b.f, 1, 2) c) AS same_as_number,
       round(c99.difference_low::numeric, 6) AS low_99, round(c99.difference_high::numeric, 6) AS high_99,
       round(c99.p_value::numeric, 6) AS p_value
FROM by_ch a, by_ch b, funnel_compare(a.f, b.f, 'view', 'buy', 0.99) c99
WHERE a.ch = 'a' AND b.ch = 'b';
-- a funnel compared with itself: no difference, z = 0, p = 1
SELECT difference, z, p_value FROM by_ch, funnel_compare(f, f, 1, 2) WHERE ch = 'b';
-- no entrant on one side: its rate and everything that needs it are NULL
SELECT rate_a, rate_b, difference, difference_low, difference_high, relative_lift, z, p_value
FROM funnel_compare((SELECT rollup(f) FROM (SELECT funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) AS f
                                            FROM evc WHERE e = 'buy' GROUP BY u) s),
                    (SELECT f FROM by_ch WHERE ch = 'a'), 1, 2);
-- nobody converted on either side: the interval, but no lift, z or p
-- (the pooled rate is 0, so the test's statistic is 0 / 0).
-- 0 of 20 on both sides: Wilson [0, (z^2/20) / (1 + z^2/20)] =
-- [0, 0.1920729 / 1.1920729] = [0, 0.161125], so Newcombe gives +-0.161125
SELECT rate_a, rate_b, difference, round(difference_low::numeric, 6) AS low,
       round(difference_high::numeric, 6) AS high, relative_lift, z, p_value
FROM (SELECT rollup(f) AS f
      FROM (SELECT u, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) AS f
            FROM evc WHERE e = 'view' GROUP BY u) s) t,
     funnel_compare(f, f, 1, 2);
-- one-entity funnels compare too: u1 bought, u3 did not.  Pooled p = 1/2,
-- se = sqrt(0.25 * 2) = 0.7071068, z = -1.414214, p = 2 * 0.0786496 = 0.157299.
-- NULL arguments give NULL
SELECT rate_a, rate_b, difference, round(p_value::numeric, 6) AS p_value
FROM funnel_compare((SELECT funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) FROM evc WHERE u = 1),
                    (SELECT funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) FROM evc WHERE u = 3), 1, 2);
SELECT rate_a IS NULL AS null_result FROM funnel_compare(NULL, (SELECT f FROM by_ch WHERE ch = 'a'), 1, 2);

-- 3. time_to_convert_mean ------------------------------------------------

-- u1: view, cart 10 minutes later, buy 30 minutes after that
-- u2: view, cart 20 minutes later, buy 0.000003 s after that
-- u3: view, cart 1 hour later
-- u4: view only
CREATE TEMP TABLE evt (u int, ts timestamptz, e text);
INSERT INTO evt VALUES
  (1, '2026-01-01 10:00', 'view'), (1, '2026-01-01 10:10', 'cart'), (1, '2026-01-01 10:40', 'buy'),
  (2, '2026-01-01 10:00', 'view'), (2, '2026-01-01 10:20', 'cart'), (2, '2026-01-01 10:20:00.000003', 'buy'),
  (3, '2026-01-01 10:00', 'view'), (3, '2026-01-01 11:00', 'cart'),
  (4, '2026-01-01 10:00', 'view');
CREATE TEMP TABLE ft AS
SELECT rollup(f) AS f
FROM (SELECT u, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'buy']) AS f
      FROM evt GROUP BY u) s;
-- view -> cart: (10 + 20 + 60) / 3 = 30 minutes
-- cart -> buy: (30 minutes + 3 us) / 2 = 15 minutes 1.5 us, rounded to 2 us
-- view -> buy: (40 minutes + 20 minutes 3 us) / 2 = 30 minutes 1.5 us -> 2 us
SELECT time_to_convert_mean(f, 1, 2) AS view_cart, time_to_convert_mean(f, 2, 3) AS cart_buy,
       time_to_convert_mean(f, 1, 3) AS view_buy,
       time_to_convert_mean(f, 'cart', 'buy') = time_to_convert_mean(f, 2, 3) AS same_by_name
FROM ft;
-- a one-entity funnel: its own times; a step nobody reached: NULL
SELECT time_to_convert_mean(f, 'view', 'buy') AS u1_view_buy, time_to_convert_mean(f, 2, 3) AS u1_cart_buy
FROM (SELECT funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'buy']) AS f FROM evt WHERE u = 1) s;
SELECT time_to_convert_mean(f, 2, 3) AS nobody
FROM (SELECT rollup(f) AS f FROM (SELECT funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'buy']) AS f
                                  FROM evt WHERE u >= 3 GROUP BY u) s) t;

-- 4. time_to_convert_histogram -------------------------------------------

-- times from view to cart: 10 minutes, 20 minutes, 1 hour (users 1-3):
-- far from the bounds, so exact
SELECT h.* FROM ft, time_to_convert_histogram(f, 1, 2, ARRAY[interval '5 minutes', '15 minutes', '30 minutes', '2 hours']) h;
-- by name; no bounds: one bucket [0, +inf) with everybody who reached cart
SELECT h.* FROM ft, time_to_convert_histogram(f, 'view', 'cart', '{}') h;
-- zero times are exact and in the first bucket.  u3's time of 1 second
-- lies exactly at a bound: its sketch bucket (index 691, (0.985062 s,
-- 1.004962 s]) reads as 2 gamma^691 / (gamma + 1) = 0.994913 s, the value
-- time_to_convert reads for it, so it is counted in [1 us, 1 s): an error
-- of 0.5% of its time, within the 1% the documentation allows
SELECT h.*, time_to_convert(f, 1, 2, 0.9) AS read_as FROM (SELECT rollup(f) AS f
                 FROM (SELECT u, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) AS f
                       FROM (VALUES (1, '2026-01-01 10:00'::timestamptz, 'view'), (1, '2026-01-01 10:00', 'buy'),
                                    (2, '2026-01-01 10:00', 'view'), (2, '2026-01-01 10:00', 'buy'),
                                    (3, '2026-01-01 10:00', 'view'), (3, '2026-01-01 10:00:01', 'buy')) v(u, ts, e)
                       GROUP BY u) s) t,
     time_to_convert_histogram(f, 1, 2, ARRAY[interval '1 microsecond', '1 second', '2 seconds']) h;
-- a one-entity funnel is exact even at a bound (u1's 30 minutes from cart to
-- buy, bound 30 minutes)
SELECT h.* FROM (SELECT funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'buy']) AS f FROM evt WHERE u = 1) s,
     time_to_convert_histogram(f, 'cart', 'buy', ARRAY[interval '30 minutes']) h;
-- at a bound, a merged funnel may be off by the entities within 1% of it.
-- Times of 59:50, 1:00:00 and 2:00:00 with a bound at 1 hour: 59:50 and
-- 1:00:00 fall in the same sketch bucket (index 1101, the "1101" in the
-- text form below), whose value 2 gamma^1101 / (gamma + 1) = 1:00:23.4 is
-- at or above the bound, so 59:50 (10 s = 0.28% below it, within 1%) is
-- counted in [1 hour, ...).  (The value is clamped to the exact min and
-- max, 59:50 and 2:00:00 here, which changes nothing in this case.)
CREATE TEMP TABLE fb AS
SELECT rollup(f) AS f
FROM (SELECT u, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) AS f
      FROM (VALUES (1, '2026-01-01 10:00'::timestamptz, 'view'), (1, '2026-01-01 10:59:50', 'buy'),
                   (2, '2026-01-01 10:00', 'view'), (2, '2026-01-01 11:00', 'buy'),
                   (3, '2026-01-01 10:00', 'view'), (3, '2026-01-01 12:00', 'buy')) v(u, ts, e)
      GROUP BY u) s;
SELECT f::text::jsonb -> 'from_first' -> 0 -> 'buckets' AS buckets FROM fb;
SELECT h.* FROM fb, time_to_convert_histogram(f, 1, 2, ARRAY[interval '1 hour']) h;
-- with bounds at 59 and 90 minutes, more than 1% away from every time, the
-- counts are exact
SELECT h.* FROM fb, time_to_convert_histogram(f, 1, 2, ARRAY[interval '59 minutes', '90 minutes']) h;
-- the counts add up to the entities that reached the later step
SELECT (SELECT sum(entities)
        FROM time_to_convert_histogram(f, 1, 2, ARRAY[interval '1 minute', '59 minutes 55 seconds', '1 hour', '90 minutes'])) AS total,
       reached(f, 2) AS reached
FROM fb;
-- bounds as the user wrote them; months count as 30 days
SELECT h.* FROM fb, time_to_convert_histogram(f, 1, 2, ARRAY[interval '1 day', '1 mon']) h;
SELECT count(*) AS no_rows FROM time_to_convert_histogram(NULL, 1, 2, ARRAY[interval '1 hour']);

-- 5. errors ---------------------------------------------------------------

-- confidence outside (0, 1)
SELECT * FROM pg_temp.expect_error($$SELECT * FROM f23, funnel_rates(f, 95)$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM f23, funnel_rates(f, 0)$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM f23, funnel_rates(f, 'NaN')$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM by_ch a, by_ch b, funnel_compare(a.f, b.f, 1, 2, 1.0)$$);
-- a funnel that counts attempts
SELECT * FROM pg_temp.expect_error($$SELECT * FROM funnel_rates((SELECT funnel_agg(interval '1 day', 'count=attempts', ts, e, ARRAY['view', 'buy']) FROM ev23 WHERE u = 1))$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM (SELECT funnel_agg(interval '1 day', 'count=attempts', ts, e, ARRAY['view', 'buy']) AS f FROM ev23 WHERE u = 1) s, funnel_compare(f, f, 'view', 'buy')$$);
-- funnels of different definitions
SELECT * FROM pg_temp.expect_error($$SELECT * FROM f23, f55, funnel_compare(f23.f, f55.f, 1, 2)$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM funnel_compare((SELECT f FROM f23),
  (SELECT funnel_agg(interval '2 days', ts, e, ARRAY['view', 'buy']) FROM ev23 WHERE u = 1), 1, 2)$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM funnel_compare((SELECT f FROM f23),
  (SELECT funnel_agg(interval '1 day', ts, e, ARRAY['view', 'purchase']) FROM ev23 WHERE u = 1), 1, 2)$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM funnel_compare((SELECT f FROM f23),
  (SELECT funnel_agg(interval '1 day', ts, e = 'view', e = 'buy') FROM ev23 WHERE u = 1), 1, 2)$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM funnel_compare((SELECT f FROM f23),
  (SELECT funnel_agg(interval '1 day', 'within=2:1 hour', ts, e, ARRAY['view', 'buy']) FROM ev23 WHERE u = 1), 1, 2)$$);
-- steps: after each other, the same, out of range, unknown names
SELECT * FROM pg_temp.expect_error($$SELECT * FROM by_ch a, by_ch b, funnel_compare(a.f, b.f, 2, 1)$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM by_ch a, by_ch b, funnel_compare(a.f, b.f, 2, 2)$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM by_ch a, by_ch b, funnel_compare(a.f, b.f, 1, 3)$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM by_ch a, by_ch b, funnel_compare(a.f, b.f, 'buy', 'view')$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM by_ch a, by_ch b, funnel_compare(a.f, b.f, 'buy', 'buy')$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM by_ch a, by_ch b, funnel_compare(a.f, b.f, 'view', 'purchase')$$);
-- time pairs the funnel does not record, and the same step twice
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert_mean(f, 2, 2) FROM ft$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert_mean(f, 3, 2) FROM ft$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert_mean(f, 'cart', 'view') FROM ft$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert_mean(f, 0, 2) FROM ft$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert_mean(f, 'view', 'checkout') FROM ft$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert_mean(f, 2, 4)
  FROM (SELECT funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'buy', 'review']) AS f FROM evt WHERE u = 1) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM (SELECT funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'buy', 'review']) AS f FROM evt WHERE u = 1) s,
  time_to_convert_histogram(f, 'cart', 'review', ARRAY[interval '1 hour'])$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM ft, time_to_convert_histogram(f, 2, 1, ARRAY[interval '1 hour'])$$);
-- bad bounds
SELECT * FROM pg_temp.expect_error($$SELECT * FROM ft, time_to_convert_histogram(f, 1, 2, ARRAY[interval '1 hour', NULL])$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM ft, time_to_convert_histogram(f, 1, 2, ARRAY[interval '-1 hour'])$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM ft, time_to_convert_histogram(f, 1, 2, ARRAY[interval '0'])$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM ft, time_to_convert_histogram(f, 1, 2, ARRAY[interval '1 hour', '10 minutes'])$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM ft, time_to_convert_histogram(f, 1, 2, ARRAY[interval '30 days', '1 mon'])$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM ft, time_to_convert_histogram(f, 1, 2, ARRAY[interval '1 hour', '100000000 years'])$$);
SELECT * FROM pg_temp.expect_error($$SELECT * FROM ft, time_to_convert_histogram(f, 1, 2, ARRAY[[interval '1 hour'], [interval '2 hours']])$$);
-- a text form whose time sum is not between count * min and count * max
SELECT * FROM pg_temp.expect_error($$SELECT '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 5, "reached": [2, 2], "from_previous": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 41, "buckets": {"116": 1, "150": 1}}], "from_first": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 30, "buckets": {"116": 1, "150": 1}}]}'::funnel$$);
SELECT * FROM pg_temp.expect_error($$SELECT '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 5, "reached": [2, 2], "from_previous": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 30, "buckets": {"116": 1, "150": 1}}], "from_first": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 19, "buckets": {"116": 1, "150": 1}}]}'::funnel$$);
-- at the limits it is accepted: 2 * 10 and 2 * 20 (step 2's two times are
-- the same times, so both statistics carry the same sum)
SELECT time_to_convert_mean('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 5, "reached": [2, 2], "from_previous": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 20, "buckets": {"116": 1, "150": 1}}], "from_first": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 20, "buckets": {"116": 1, "150": 1}}]}'::funnel, 1, 2) AS mean_at_min;
SELECT time_to_convert_mean('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 5, "reached": [2, 2], "from_previous": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 40, "buckets": {"116": 1, "150": 1}}], "from_first": [{"count": 2, "zeros": 0, "min_us": 10, "max_us": 20, "sum_us": 40, "buckets": {"116": 1, "150": 1}}]}'::funnel, 1, 2) AS mean_at_max;
