-- pgTAP: the statistics of funnel_rates, funnel_compare,
-- time_to_convert_histogram and time_to_convert_mean on generated data
-- whose true answer is known.
--   * Wilson intervals cover the true conversion probability in about 95%
--     of 300 replicate funnels (each step, from the previous and from
--     step 1);
--   * under equal true rates funnel_compare's p < 0.05 in about 5% of 300
--     replicates and Newcombe's interval covers the true difference 0; under
--     unequal rates it covers the true difference and the test has power;
--   * the histogram's counts differ from exact counts only by entities
--     within 1% of a bound, and add up to the entities that reached the step;
--   * the mean equals avg() of the same times, to the microsecond.
-- Deterministic: setseed() and random() in serial plans.
\ir lib/tap_begin.sql

SELECT plan(18);
SET LOCAL max_parallel_workers_per_gather = 0;
SELECT setseed(0.15);

-- 1. Wilson coverage ----------------------------------------------------
-- 300 replicates; replicate r has 20 to 80 users, a true view -> cart
-- probability p1 and cart -> buy probability p2.  Each user views; carts
-- with probability p1; buys after a cart with probability p2.  Times are
-- random microseconds.
CREATE TEMP TABLE rep AS
SELECT r, 20 + (r * 7) % 61 AS n,
       (ARRAY[0.1, 0.3, 0.5, 0.7, 0.9])[1 + r % 5]::float8 AS p1,
       (ARRAY[0.15, 0.4, 0.8])[1 + r % 3]::float8 AS p2
FROM generate_series(1, 300) r;
CREATE TEMP TABLE users AS
SELECT r, u, random() < p1 AS carted, random() AS x,
       (random() * 3600e6)::bigint AS d1, (random() * 7200e6)::bigint AS d2
FROM rep, generate_series(1, n) u;
CREATE TEMP TABLE ev AS
SELECT r, u, '2026-01-01 00:00'::timestamptz + u * interval '1 minute' AS ts, 'view' AS e FROM users
UNION ALL
SELECT r, u, '2026-01-01 00:00'::timestamptz + u * interval '1 minute' + d1 * interval '1 microsecond', 'cart'
FROM users WHERE carted
UNION ALL
SELECT s.r, s.u, '2026-01-01 00:00'::timestamptz + s.u * interval '1 minute' + (s.d1 + s.d2) * interval '1 microsecond', 'buy'
FROM users s JOIN rep USING (r) WHERE s.carted AND s.x < rep.p2;
CREATE TEMP TABLE fr AS
SELECT r, rollup(f) AS f
FROM (SELECT r, u, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'buy']) AS f
      FROM ev GROUP BY r, u) s
GROUP BY r;
CREATE TEMP TABLE rates AS
SELECT r, p1, p2, x.*
FROM fr JOIN rep USING (r), funnel_rates(f) x;

-- coverage of each interval against its true probability
CREATE TEMP TABLE coverage AS
SELECT avg((from_previous_low <= p1 AND p1 <= from_previous_high)::int) FILTER (WHERE step = 2) AS cart_prev,
       avg((from_previous_low <= p2 AND p2 <= from_previous_high)::int)
         FILTER (WHERE step = 3 AND converted_from_previous IS NOT NULL) AS buy_prev,
       avg((from_first_low <= p1 * p2 AND p1 * p2 <= from_first_high)::int) FILTER (WHERE step = 3) AS buy_first,
       count(*) FILTER (WHERE step = 3 AND converted_from_previous IS NOT NULL) AS buy_prev_n
FROM rates;
\echo # Wilson coverage (cart from view, buy from cart, buy from view; replicates with a cart):
SELECT '# ' || round(cart_prev, 3) || ', ' || round(buy_prev, 3) || ', ' || round(buy_first, 3)
       || ' (' || buy_prev_n || ')' FROM coverage;
SELECT cmp_ok((SELECT cart_prev FROM coverage), '>=', 0.92, 'Wilson interval of cart from view covers the true rate in >= 92% of 300 replicates');
SELECT cmp_ok((SELECT buy_prev FROM coverage), '>=', 0.92, 'Wilson interval of buy from cart covers the true rate in >= 92% of replicates');
SELECT cmp_ok((SELECT buy_first FROM coverage), '>=', 0.92, 'Wilson interval of buy from view covers p1 * p2 in >= 92% of replicates');
-- and not by being trivially wide: no interval covers more than 99%
SELECT cmp_ok((SELECT greatest(cart_prev, buy_prev, buy_first) FROM coverage), '<=', 0.99,
              'no coverage above 99% (the intervals are not trivially wide)');
-- the bounds are Wilson's formula, computed here in SQL
SELECT cmp_ok((SELECT max(greatest(abs(from_previous_low - (c - h)), abs(from_previous_high - (c + h))))
               FROM (SELECT from_previous_low, from_previous_high,
                            (x / n + z2 / (2 * n)) / (1 + z2 / n) AS c,
                            sqrt(z2) / (1 + z2 / n) * sqrt(x / n * (1 - x / n) / n + z2 / (4 * n * n)) AS h
                     FROM (SELECT from_previous_low, from_previous_high, entered::float8 AS x,
                                  lag(entered) OVER (PARTITION BY r ORDER BY step)::float8 AS n,
                                  1.959963984540054 ^ 2 AS z2
                           FROM rates) q
                     WHERE n > 0 AND x > 0 AND x < n) w),
              '<', 1e-12::float8, 'Wilson bounds equal the formula computed in SQL');

-- 2. funnel_compare under equal and unequal true rates ---------------------
-- 300 replicates with equal rates (p in 0.2, 0.4, 0.6; 40 to 120 users
-- per side) and 300 with rates 0.3 and 0.5 (100 users per side).
CREATE TEMP TABLE crep AS
SELECT r, CASE WHEN r <= 300 THEN 40 + (r * 13) % 81 ELSE 100 END AS n,
       CASE WHEN r <= 300 THEN (ARRAY[0.2, 0.4, 0.6])[1 + r % 3] ELSE 0.3 END::float8 AS pa,
       CASE WHEN r <= 300 THEN (ARRAY[0.2, 0.4, 0.6])[1 + r % 3] ELSE 0.5 END::float8 AS pb
FROM generate_series(1, 600) r;
-- (the draw is a column of its own table: a volatile WHERE clause would be
-- evaluated once per replicate and side, below the join with the users)
CREATE TEMP TABLE cusers AS
SELECT r, side, u, random() < CASE side WHEN 'a' THEN pa ELSE pb END AS bought
FROM crep, (VALUES ('a'), ('b')) s(side), generate_series(1, n) u;
CREATE TEMP TABLE cev AS
SELECT r, side, u, '2026-01-01 00:00'::timestamptz + u * interval '1 minute' AS ts, 'view' AS e
FROM cusers
UNION ALL
SELECT r, side, u, '2026-01-01 00:05'::timestamptz + u * interval '1 minute', 'buy'
FROM cusers WHERE bought;
CREATE TEMP TABLE cf AS
SELECT r, side, rollup(f) AS f
FROM (SELECT r, side, u, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) AS f
      FROM cev GROUP BY r, side, u) s
GROUP BY r, side;
CREATE TEMP TABLE cmp AS
SELECT r, pa, pb, reached(a.f, 2) AS xa, reached(a.f, 1) AS na, reached(b.f, 2) AS xb, reached(b.f, 1) AS nb, c.*
FROM crep JOIN cf a USING (r) JOIN cf b USING (r),
     funnel_compare(a.f, b.f, 'view', 'buy') c
WHERE a.side = 'a' AND b.side = 'b';
CREATE TEMP TABLE cmp_summary AS
SELECT avg((p_value < 0.05)::int) FILTER (WHERE pa = pb) AS size,
       avg((difference_low <= 0 AND 0 <= difference_high)::int) FILTER (WHERE pa = pb) AS cover_equal,
       avg((p_value < 0.05)::int) FILTER (WHERE pa <> pb) AS power,
       avg((difference_low <= pb - pa AND pb - pa <= difference_high)::int) FILTER (WHERE pa <> pb) AS cover_unequal,
       count(*) FILTER (WHERE p_value IS NULL) AS undefined
FROM cmp;
\echo # funnel_compare: share p < 0.05 under equal rates, Newcombe coverage (equal), power and coverage (0.3 vs 0.5):
SELECT '# ' || round(size, 3) || ', ' || round(cover_equal, 3) || ', ' || round(power, 3) || ', ' || round(cover_unequal, 3)
FROM cmp_summary;
SELECT is((SELECT count(*) FROM cmp), 600::bigint, 'funnel_compare gives one row per replicate');
SELECT is((SELECT undefined FROM cmp_summary), 0::bigint, 'no replicate without a p-value (every pooled rate is strictly between 0 and 1)');
SELECT cmp_ok((SELECT size FROM cmp_summary), '<=', 0.08, 'equal true rates: p < 0.05 in <= 8% of 300 replicates');
SELECT cmp_ok((SELECT cover_equal FROM cmp_summary), '>=', 0.92, 'equal true rates: the difference interval covers 0 in >= 92%');
SELECT cmp_ok((SELECT cover_unequal FROM cmp_summary), '>=', 0.92, 'rates 0.3 and 0.5: the difference interval covers 0.2 in >= 92%');
SELECT cmp_ok((SELECT power FROM cmp_summary), '>=', 0.6, 'rates 0.3 and 0.5, 100 per side: the test finds the difference in >= 60% (power about 0.84)');
-- z and p are the pooled two-proportion test, computed here in SQL
SELECT cmp_ok((SELECT max(abs(z - (xb::float8 / nb - xa::float8 / na)
                                / sqrt(((xa + xb)::float8 / (na + nb)) * (1 - (xa + xb)::float8 / (na + nb))
                                       * (1.0 / na + 1.0 / nb))))
               FROM cmp),
              '<', 1e-9::float8, 'z is the pooled two-proportion statistic computed in SQL');
SELECT cmp_ok((SELECT max(abs(p_value - 2 * (1 - phi)))
               FROM (SELECT p_value,
                            -- Phi(|z|) by Simpson's rule on the density from 0 to |z|, plus 1/2
                            0.5 + (SELECT sum(CASE WHEN k IN (0, 2000) THEN 1 WHEN k % 2 = 1 THEN 4 ELSE 2 END
                                               * exp(-((abs(z) * k / 2000) ^ 2) / 2))
                                          * abs(z) / 2000 / 3 / sqrt(2 * pi())
                                   FROM generate_series(0, 2000) k) AS phi
                     FROM cmp WHERE r % 20 = 0) q),
              '<', 1e-9::float8, 'p is the two-sided normal tail of z (Simpson''s rule in SQL, every 20th replicate)');

-- 3. histogram and mean over random times --------------------------------
-- 3000 users whose time from view to buy is log-uniform from 1 second to 10
-- hours (random microseconds), 300 more exactly at a bound and 300 at 0.5%
-- from one, so that bounds are hit and approached.
CREATE TEMP TABLE bnd AS
SELECT i, b FROM unnest(ARRAY[10e6, 60e6, 300e6, 1800e6, 3600e6, 21600e6]::bigint[]) WITH ORDINALITY t(b, i);
CREATE TEMP TABLE ht AS
SELECT u, round(exp(ln(1e6) + random() * ln(36000)))::bigint AS t FROM generate_series(1, 3000) u
UNION ALL
SELECT 3000 + u, (SELECT b FROM bnd WHERE i = 1 + u % 6) FROM generate_series(1, 300) u
UNION ALL
SELECT 3300 + u, (SELECT round(b * (CASE WHEN u % 2 = 0 THEN 0.995 ELSE 1.005 END))::bigint FROM bnd WHERE i = 1 + u % 6)
FROM generate_series(1, 300) u;
CREATE TEMP TABLE hf AS
SELECT rollup(f) AS f
FROM (SELECT u, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'buy']) AS f
      FROM (SELECT u, '2026-01-01 00:00'::timestamptz AS ts, 'view' AS e FROM ht
            UNION ALL
            SELECT u, '2026-01-01 00:00'::timestamptz + t * interval '1 microsecond', 'buy' FROM ht) v
      GROUP BY u) s;
CREATE TEMP TABLE hist AS
SELECT h.* FROM hf, time_to_convert_histogram(f, 'view', 'buy',
  ARRAY[interval '10 seconds', '1 minute', '5 minutes', '30 minutes', '1 hour', '6 hours']) h;
-- per bound b: the histogram counts below b must lie between the exact
-- count below b less those within 1% below it, and the exact count plus
-- those within 1% above it (|t - b| <= 0.01 t)
CREATE TEMP TABLE cum AS
SELECT i, b,
       (SELECT sum(entities) FROM hist WHERE bucket <= i) AS est_below,
       (SELECT count(*) FROM ht WHERE t < b) AS exact_below,
       (SELECT count(*) FROM ht WHERE t < b AND b - t <= 0.01 * t) AS near_below,
       (SELECT count(*) FROM ht WHERE t >= b AND t - b <= 0.01 * t) AS near_above
FROM bnd;
\echo # histogram: per bound, counted below / exact below / within 1% below / within 1% above:
SELECT '# ' || string_agg(est_below || '/' || exact_below || '/' || near_below || '/' || near_above, ', ' ORDER BY i) FROM cum;
SELECT is((SELECT count(*) FROM cum
           WHERE est_below < exact_below - near_below OR est_below > exact_below + near_above),
          0::bigint, 'histogram counts below each bound are off only by entities within 1% of it');
SELECT ok((SELECT count(*) FILTER (WHERE est_below <> exact_below) > 0 FROM cum),
          'the stated error happens (some entities near a bound are counted in the neighbouring bucket)');
SELECT is((SELECT sum(entities) FROM hist), (SELECT reached(f, 2) FROM hf)::numeric,
          'histogram counts add up to the entities that reached the step');

-- the mean, exact to the microsecond: avg() over the same times (halves up),
-- for the histogram's times and for every replicate of part 1
SELECT is((SELECT (extract(epoch FROM time_to_convert_mean(f, 1, 2)) * 1000000)::numeric FROM hf),
          (SELECT round(avg(t)) FROM ht), 'time_to_convert_mean equals avg() of 3600 random times');
SELECT is((SELECT count(*)
           FROM fr JOIN (SELECT r, round(avg(d1)) AS m1, round(avg(d2) FILTER (WHERE bought)) AS m2,
                                round(avg(d1 + d2) FILTER (WHERE bought)) AS m12
                         FROM (SELECT s.r, s.d1, s.d2, s.x < rep.p2 AS bought
                               FROM users s JOIN rep USING (r) WHERE s.carted) c
                         GROUP BY r) m USING (r)
           WHERE (extract(epoch FROM time_to_convert_mean(f, 'view', 'cart')) * 1000000)::numeric IS DISTINCT FROM m1
              OR (extract(epoch FROM time_to_convert_mean(f, 2, 3)) * 1000000)::numeric IS DISTINCT FROM m2
              OR (extract(epoch FROM time_to_convert_mean(f, 1, 3)) * 1000000)::numeric IS DISTINCT FROM m12),
          0::bigint, 'time_to_convert_mean equals avg() for every pair of steps in 300 replicates');

SELECT * FROM finish();
ROLLBACK;
