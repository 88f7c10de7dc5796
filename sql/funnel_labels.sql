-- reached, conversion_rate and time_to_convert by step name (0.2.0): on
-- hand-made entities, each by-name call equals the by-number call of the
-- same steps; then every error.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET timezone = 'UTC';
SET extra_float_digits = 0;
\i test/lib/expect_error.sql

-- 4 users: u1 view->cart->buy, u2 view->cart, u3 view, u4 view->cart->buy
CREATE TEMP TABLE ev (u int, ts timestamptz, e text);
INSERT INTO ev VALUES
  (1, '2026-01-01 10:00', 'view'), (1, '2026-01-01 10:10', 'cart'), (1, '2026-01-01 10:40', 'buy'),
  (2, '2026-01-01 11:00', 'view'), (2, '2026-01-01 11:05', 'cart'),
  (3, '2026-01-01 12:00', 'view'),
  (4, '2026-01-01 13:00', 'view'), (4, '2026-01-01 13:20', 'cart'), (4, '2026-01-01 13:30', 'buy'),
  (4, '2026-01-01 13:25', 'refund');
CREATE TEMP TABLE total AS
SELECT rollup(f) AS f
FROM (SELECT u, funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'buy']) AS f
      FROM ev GROUP BY u) per_user;

SELECT reached(f, 'view') AS view, reached(f, 'cart') AS cart, reached(f, 'buy') AS buy,
       reached(f, 'buy') = reached(f, 3) AS same_as_number
FROM total;
SELECT conversion_rate(f, 'view', 'buy') AS view_to_buy,
       conversion_rate(f, 'cart', 'buy') AS cart_to_buy,
       conversion_rate(f, 'cart', 'cart') AS cart_to_cart,
       conversion_rate(f, 'view', 'buy') = conversion_rate(f, 1, 3) AS same_as_number
FROM total;
-- the longest of 30 and 10 minutes from cart to buy, of 40 and 30 from view
SELECT date_trunc('second', time_to_convert(f, 'cart', 'buy', 1.0)) AS cart_to_buy_max,
       date_trunc('second', time_to_convert(f, 'view', 'buy', 1.0)) AS view_to_buy_max,
       time_to_convert(f, 'view', 'buy', 0.5) = time_to_convert(f, 1, 3, 0.5) AS same_as_number
FROM total;
-- a one-entity funnel, and names after an exclusion are not steps
SELECT reached(f, 'buy') AS buy, reached(f, 'cart') AS cart
FROM (SELECT funnel_agg(interval '1 day', 'exclude=refund@2-3', ts, e,
                        ARRAY['view', 'cart', 'buy']) AS f
      FROM ev WHERE u = 4) s;
-- a step number still resolves to the by-number accessor
SELECT reached(f, 2) AS by_number FROM total;

-- errors: no such step, an exclusion's name, a funnel without names,
-- names in the wrong order, a name used twice, a bad quantile
SELECT * FROM pg_temp.expect_error($$SELECT reached(f, 'checkout') FROM total$$);
SELECT * FROM pg_temp.expect_error($$SELECT reached(f, 'refund')
  FROM (SELECT funnel_agg(interval '1 day', 'exclude=refund@2-3', ts, e,
                          ARRAY['view', 'cart', 'buy']) AS f FROM ev WHERE u = 4) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT reached(f, 'view')
  FROM (SELECT funnel_agg(interval '1 day', ts, e = 'view', e = 'buy') AS f FROM ev WHERE u = 1) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT conversion_rate(f, 'buy', 'view') FROM total$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert(f, 'buy', 'view', 0.5) FROM total$$);
SELECT * FROM pg_temp.expect_error($$SELECT reached(f, 'view')
  FROM (SELECT funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'view']) AS f FROM ev WHERE u = 1) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert(f, 'view', 'cart', 1.5) FROM total$$);
SELECT * FROM pg_temp.expect_error($$SELECT time_to_convert(f, 'cart', 'cart', 0.5) FROM total$$);
