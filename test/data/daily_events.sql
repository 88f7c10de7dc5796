-- daily_events.sql: deterministic event log spread over many days, for the
-- dashboard recipe (doc/dashboards.md), its test and the dashboard benchmark.
--
--   psql -v days=D -v daily=N -v population=P -v seed=S -f test/data/daily_events.sql
--
--   days        number of days, from 2026-01-01 00:00 UTC (default 45)
--   daily       sessions drawn per day (default 300)
--   population  the users those sessions belong to, ids 1..P (default 4000);
--               each day's sessions pick users at random, so a user is
--               active on about days * daily / population days, some on
--               none, some twice on one day
--   seed        hash seed (default 42); the same parameters always give the
--               same rows
--
-- Drops and recreates
--
--   site_events(user_id bigint, channel text, ts timestamptz, event text)
--
-- in the current schema.  channel is the user's acquisition channel, one of
-- five, constant per user (user_id % 5).  Each session is a 'view' at a
-- random time of its day, then with probability 0.45 a 'cart' 1 to 180
-- minutes later, then with probability 0.5 a 'checkout' 1 to 120 minutes
-- after the cart, then with probability 0.6 a 'purchase' 1 to 120 minutes
-- after the checkout; a second 'view' 1 to 30 minutes after the first with
-- probability 0.3.  Sessions that start late in the day finish after
-- midnight, so a funnel cut at day boundaries splits their chains.  Rows
-- are inserted in timestamp order (an append-only log).  No random():
-- every value is hashint8extended of (day, session, purpose).

\set daily_events_on_error_stop :ON_ERROR_STOP
\set ON_ERROR_STOP on
\if :{?days}
\else
\set days 45
\endif
\if :{?daily}
\else
\set daily 300
\endif
\if :{?population}
\else
\set population 4000
\endif
\if :{?seed}
\else
\set seed 42
\endif

SET client_min_messages = warning;

-- Uniform [0, 1) from (day, session, purpose); inlined.
CREATE OR REPLACE FUNCTION pg_temp.de_u01(d int, s int, purpose int, seed bigint)
RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashint8extended((d::bigint * 16777216 + s) * 16 + purpose, seed) & 2147483647)
             / 2147483648.0::float8 $$;

DROP TABLE IF EXISTS site_events;
CREATE TABLE site_events (
    user_id bigint,
    channel text,
    ts      timestamptz,
    event   text
);

INSERT INTO site_events (user_id, channel, ts, event)
WITH sess AS MATERIALIZED (
    SELECT d, s,
           1 + floor(pg_temp.de_u01(d, s, 0, :seed) * :population)::bigint AS u,
           timestamptz '2026-01-01 00:00:00+00' + d * interval '1 day'
               + floor(pg_temp.de_u01(d, s, 1, :seed) * 86400) * interval '1 second' AS t0,
           pg_temp.de_u01(d, s, 2, :seed) < 0.45 AS cart,
           pg_temp.de_u01(d, s, 3, :seed) < 0.5 AS checkout,
           pg_temp.de_u01(d, s, 4, :seed) < 0.6 AS purchase,
           pg_temp.de_u01(d, s, 5, :seed) < 0.3 AS second_view,
           (1 + floor(pg_temp.de_u01(d, s, 6, :seed) * 180)) * interval '1 minute' AS to_cart,
           (1 + floor(pg_temp.de_u01(d, s, 7, :seed) * 120)) * interval '1 minute' AS to_checkout,
           (1 + floor(pg_temp.de_u01(d, s, 8, :seed) * 120)) * interval '1 minute' AS to_purchase,
           (1 + floor(pg_temp.de_u01(d, s, 9, :seed) * 30)) * interval '1 minute' AS to_view
    FROM generate_series(0, :days - 1) AS d, generate_series(1, :daily) AS s
)
SELECT u, (ARRAY['organic', 'paid_search', 'email', 'social', 'direct'])[1 + u % 5], ts, event
FROM sess
CROSS JOIN LATERAL (VALUES
    (t0, 'view', true),
    (t0 + to_view, 'view', second_view),
    (t0 + to_cart, 'cart', cart),
    (t0 + to_cart + to_checkout, 'checkout', cart AND checkout),
    (t0 + to_cart + to_checkout + to_purchase, 'purchase', cart AND checkout AND purchase)
) e(ts, event, happens)
WHERE happens
ORDER BY ts, u, event;

ANALYZE site_events;
DROP FUNCTION pg_temp.de_u01(int, int, int, bigint);
RESET client_min_messages;
\set ON_ERROR_STOP :daily_events_on_error_stop
\unset daily_events_on_error_stop
