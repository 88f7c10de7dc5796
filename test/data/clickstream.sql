-- clickstream.sql: deterministic sample clickstream for window_funnel demos,
-- benchmarks and ad-hoc tests.
--
--   psql -v users=N -v seed=S -f test/data/clickstream.sql
--
--   users  number of users (default 1000); about 10 events per user, so
--          users=500000 gives about 4.8 million rows
--   seed   hash seed (default 42); the same (users, seed) always gives the
--          same rows, in the same physical order, whatever the plan
--   order  physical row order: 'arrival' (default) is the order of an
--          append-only event log, by timestamp with 5% of events arriving
--          up to 10 minutes late (so each user's rows still come out of
--          order); 'shuffled' is a random order across all users, the worst
--          case for hash aggregation's memory access
--
-- Drops and recreates the table
--
--   events(user_id bigint, ts timestamptz, event text, props jsonb)
--
-- in the current schema, fills it and ANALYZEs it.  No random()/setseed():
-- every value is hashint8extended(user_id * 4096 + slot * 32 + purpose, seed).
--
-- What is in it (rates are per user, approximate):
--   * 1 session (50%), 2 (35%) or 3 (15%), between 2026-11-01 00:00 UTC and
--     2026-11-15 00:00 UTC; sessions start 2 to 56 hours apart (more than a
--     day apart in about 60% of cases); events in a session are about 9
--     seconds to 6 minutes apart, millisecond timestamps.
--   * the funnel 'view' -> 'cart' -> 'checkout' -> 'purchase': everybody
--     views (1 to 9 times); ~40% reach cart (30% of them cart twice), ~20%
--     checkout (10% of them twice), ~10% purchase.
--   * late steps: ~40% of the users with a cart and more than one session
--     do their steps from cart (or checkout, or purchase) onwards in their
--     last session, with no 'view' in that session, so a 1 day window
--     (and even more a 1 hour one) cuts their funnel short.
--   * out of order: ~3% of users have a stray 'cart' before their first
--     'view'; ~5% of the users who reach checkout do it before their first
--     'cart'.
--   * ties: ~2% of users have an extra event ('cart', 'view' or 'search')
--     with exactly the timestamp of their first 'view'.
--   * micro-conversions, matching no funnel step: 'search' (45% of the
--     drawn ones), 'campaign_click' (25%), 'wishlist_add' (20%),
--     'newsletter_signup' (10%); 0 to 10 are drawn per user (5 on
--     average), each in the first session with probability 1/2 whatever the
--     number of sessions, else in a later session (dropped when the user
--     has only one), so about 4 per user.  The first session lasts less
--     than an hour and the next starts at least 2 hours later.
--   * micro-conversions that go with buying: a user who purchases also
--     signs up for the newsletter (30% of them) and adds to the wishlist
--     (15%) once more, in the first session.  Purchases in a later session
--     (~2% of users) are the ones a landmark at 1 hour sees, so
--     lift_agg(interval '1 hour', ...) finds newsletter_signup strongly
--     positive (lift about +1.8: such users buy later almost three times as
--     often), wishlist_add moderately positive (about +0.4), and 'search'
--     and 'campaign_click' with no effect (drawn independently of
--     everything else).  The association is put in by drawing the
--     micro-conversions after the purchase plan, which is all a lift can
--     see: it is not evidence of cause, here or in real data.
--   * props: NULL for ~8% of events, else {"channel": ...} (5 channels, one
--     per session), plus "campaign" (4 campaigns) for paid_search, email and
--     social sessions, plus "product_id" (1..500) for view, cart, checkout,
--     purchase and wishlist_add, plus "amount" (5.00 to 200.00) for purchase.
--   * rows are inserted in arrival order (see `order` above), never sorted
--     by (user_id, ts).
--
-- users=500000 loads in well under a minute on 2 cores.

-- stop at the first error; the caller's setting is given back at the end
\set clickstream_on_error_stop :ON_ERROR_STOP
\set ON_ERROR_STOP on
\if :{?users}
\else
\set users 1000
\endif
\if :{?seed}
\else
\set seed 42
\endif
\if :{?order}
\else
\set order arrival
\endif

SET client_min_messages = warning;
-- the final ORDER BY sorts all rows; keep that sort in memory
SET work_mem = '512MB';

-- Uniform [0, 1) and integer [0, n) from (user, slot, purpose); inlined.
CREATE OR REPLACE FUNCTION pg_temp.cs_u01(u bigint, slot int, purpose int, seed bigint)
RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashint8extended(u * 4096 + slot * 32 + purpose, seed) & 2147483647) / 2147483648.0::float8 $$;

CREATE OR REPLACE FUNCTION pg_temp.cs_int(u bigint, slot int, purpose int, seed bigint, n int)
RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ((hashint8extended(u * 4096 + slot * 32 + purpose, seed) & 2147483647) % n)::int $$;

DROP TABLE IF EXISTS events;
CREATE TABLE events (
    user_id bigint,
    ts      timestamptz,
    event   text,
    props   jsonb
);

INSERT INTO events (user_id, ts, event, props)
WITH
-- one row per user: the user's plan.  Slot 0 holds the per-user hashes,
-- slots 1..3 the per-session ones.
usr AS MATERIALIZED (
    SELECT u, ns, d, nv, nc, nk, np, nm, nx, news, wish,
           nv + nc + nk + np AS nf,
           late, late_from, stray, tie, tie_kind, swap, pace, product,
           -- session starts, ms since 2026-11-01 00:00:00+00
           st1, st1 + gap2 AS st2, st1 + gap2 + gap3 AS st3
    FROM generate_series(1, :users::bigint) AS g(u)
    CROSS JOIN LATERAL (
        SELECT pg_temp.cs_u01(u, 0, 1, :seed) AS r_ns,
               pg_temp.cs_u01(u, 0, 2, :seed) AS r_depth,
               pg_temp.cs_u01(u, 0, 7, :seed) AS r_late
        OFFSET 0) r
    CROSS JOIN LATERAL (
        SELECT 1 + (r_ns >= 0.50)::int + (r_ns >= 0.85)::int AS ns,
               CASE WHEN r_depth < 0.10 THEN 4 WHEN r_depth < 0.20 THEN 3
                    WHEN r_depth < 0.40 THEN 2 ELSE 1 END AS d
        OFFSET 0) s
    CROSS JOIN LATERAL (
        SELECT 1 + pg_temp.cs_int(u, 0, 3, :seed, 9) AS nv,
               CASE WHEN d >= 2 THEN 1 + (pg_temp.cs_u01(u, 0, 4, :seed) < 0.3)::int ELSE 0 END AS nc,
               CASE WHEN d >= 3 THEN 1 + (pg_temp.cs_u01(u, 0, 5, :seed) < 0.1)::int ELSE 0 END AS nk,
               (d = 4)::int AS np,
               pg_temp.cs_int(u, 0, 6, :seed, 9) AS nm,
               pg_temp.cs_int(u, 0, 22, :seed, 3) AS nx,
               -- the micro-conversions that go with buying (see the header)
               d = 4 AND pg_temp.cs_u01(u, 0, 23, :seed) < 0.3 AS news,
               d = 4 AND pg_temp.cs_u01(u, 0, 24, :seed) < 0.15 AS wish,
               d >= 2 AND ns >= 2 AND r_late < 0.4 AS late,
               2 + pg_temp.cs_int(u, 0, 8, :seed, greatest(d - 1, 1)) AS late_from,
               pg_temp.cs_u01(u, 0, 9, :seed) < 0.03 AS stray,
               pg_temp.cs_u01(u, 0, 10, :seed) < 0.02 AS tie,
               pg_temp.cs_int(u, 0, 11, :seed, 10) AS tie_kind,
               d >= 3 AND pg_temp.cs_u01(u, 0, 12, :seed) < 0.05 AS swap,
               floor(pg_temp.cs_u01(u, 0, 13, :seed) * 9 * 86400000)::bigint AS st1,
               7200000 + floor(pg_temp.cs_u01(u, 0, 14, :seed) * 54 * 3600000)::bigint AS gap2,
               7200000 + floor(pg_temp.cs_u01(u, 0, 15, :seed) * 54 * 3600000)::bigint AS gap3,
               15000 + pg_temp.cs_int(u, 0, 16, :seed, 225000) AS pace,
               1 + pg_temp.cs_int(u, 0, 17, :seed, 500) AS product
        OFFSET 0) p
),
-- one row per event slot: funnel events 1..nf, micro-conversions
-- nf+1..nf+nm, the stray cart and the tie (kept only if flagged), nx more
-- micro-conversions, then the newsletter sign-up and the wishlist add of
-- buyers (kept only if flagged)
slot AS (
    SELECT usr.*, i,
           CASE WHEN i <= nf THEN 'f' WHEN i <= nf + nm THEN 'm'
                WHEN i = nf + nm + 1 THEN 's' WHEN i = nf + nm + 2 THEN 't'
                WHEN i <= nf + nm + 2 + nx THEN 'm'
                WHEN i = nf + nm + 3 + nx THEN 'n' ELSE 'w' END AS kind,
           -- funnel stage of slot i (funnel slots only)
           CASE WHEN i <= nv THEN 1 WHEN i <= nv + nc THEN 2
                WHEN i <= nv + nc + nk THEN 3 ELSE 4 END AS stage
    FROM usr
    CROSS JOIN LATERAL generate_series(1, nf + nm + nx + 4) AS g(i)
),
ev AS (
    SELECT u, i, product, st1, st2, st3,
           e.event, e.sess, e.pos, e.jslot, pace
    FROM slot
    CROSS JOIN LATERAL (
        SELECT
            CASE kind
                WHEN 'f' THEN (ARRAY['view', 'cart', 'checkout', 'purchase'])[stage]
                WHEN 'm' THEN CASE pg_temp.cs_int(u, i, 4, :seed, 20)
                                  WHEN 0 THEN 'newsletter_signup'
                                  WHEN 1 THEN 'newsletter_signup'
                                  WHEN 2 THEN 'wishlist_add'
                                  WHEN 3 THEN 'wishlist_add'
                                  WHEN 4 THEN 'wishlist_add'
                                  WHEN 5 THEN 'wishlist_add'
                                  WHEN 6 THEN 'campaign_click'
                                  WHEN 7 THEN 'campaign_click'
                                  WHEN 8 THEN 'campaign_click'
                                  WHEN 9 THEN 'campaign_click'
                                  WHEN 10 THEN 'campaign_click'
                                  ELSE 'search' END
                WHEN 's' THEN 'cart'
                WHEN 'n' THEN 'newsletter_signup'
                WHEN 'w' THEN 'wishlist_add'
                ELSE CASE WHEN tie_kind < 4 THEN 'cart'
                          WHEN tie_kind < 7 THEN 'view' ELSE 'search' END
            END AS event,
            -- session 1..ns
            CASE
                WHEN kind = 'f' AND i = 1 THEN 1
                WHEN kind = 'f' AND stage = 1 THEN
                    -- late users view only before their last session
                    1 + pg_temp.cs_int(u, i, 1, :seed, CASE WHEN late THEN ns - 1 ELSE ns END)
                WHEN kind = 'f' THEN
                    CASE WHEN late AND (CASE WHEN swap AND i = nv + nc + 1 THEN 2 ELSE stage END) >= late_from
                         THEN ns ELSE 1 END
                -- a micro-conversion is in the first session with
                -- probability 1/2 whatever the number of sessions, else
                -- in a later one (dropped when there is none)
                WHEN kind = 'm' AND pg_temp.cs_u01(u, i, 8, :seed) < 0.5 THEN 1
                WHEN kind = 'm' THEN 2 + pg_temp.cs_int(u, i, 1, :seed, greatest(ns - 1, 1))
                ELSE 1
            END AS sess,
            -- position in the session, in units of pace
            CASE
                WHEN kind = 'f' AND swap AND i = nv + nc + 1 THEN nv + 0.5
                WHEN kind = 'f' THEN i
                -- (within the funnel's span, so that the first session
                -- never lasts an hour: at most 14.4 paces of 4 minutes)
                WHEN kind IN ('m', 'n', 'w') THEN pg_temp.cs_u01(u, i, 2, :seed) * nf
                WHEN kind = 's' THEN 0
                ELSE 1
            END::float8 AS pos,
            -- the slot whose jitter we use: the tie copies the first view's
            CASE WHEN kind = 't' THEN 1 ELSE i END AS jslot
        WHERE kind = 'f' OR (kind = 's' AND stray) OR (kind = 't' AND tie)
           OR (kind = 'm' AND (ns >= 2 OR pg_temp.cs_u01(u, i, 8, :seed) < 0.5))
           OR (kind = 'n' AND news) OR (kind = 'w' AND wish)
        OFFSET 0
    ) e
)
SELECT user_id, ts, event, props FROM (
SELECT u AS user_id, i,
       -- 1793491200 = 2026-11-01 00:00:00+00
       to_timestamp(1793491200 + (
           CASE sess WHEN 1 THEN st1 WHEN 2 THEN st2 ELSE st3 END
           + floor((pos + 0.4 * pg_temp.cs_u01(u, jslot, 3, :seed)) * pace)
       ) / 1000.0::float8) AS ts,
       event,
       CASE WHEN pg_temp.cs_u01(u, i, 5, :seed) < 0.08 THEN NULL
            ELSE jsonb_strip_nulls(jsonb_build_object(
                'campaign', CASE WHEN c.channel IN ('paid_search', 'email', 'social')
                                 THEN (ARRAY['black_friday', 'cyber_monday', 'winter_sale', 'retargeting'])
                                      [1 + pg_temp.cs_int(u, sess, 20, :seed, 4)] END,
                'channel', c.channel,
                'product_id', CASE WHEN event IN ('view', 'wishlist_add')
                                        AND pg_temp.cs_u01(u, i, 6, :seed) < 0.5
                                   THEN 1 + pg_temp.cs_int(u, i, 7, :seed, 500)
                                   WHEN event IN ('view', 'cart', 'checkout', 'purchase', 'wishlist_add')
                                   THEN product END,
                'amount', CASE WHEN event = 'purchase'
                               THEN round((5 + 195 * pg_temp.cs_u01(u, i, 21, :seed))::numeric, 2) END))
       END AS props
FROM ev
CROSS JOIN LATERAL (
    SELECT (ARRAY['organic', 'organic', 'organic', 'organic', 'organic', 'organic', 'organic',
                  'paid_search', 'paid_search', 'paid_search', 'paid_search', 'paid_search',
                  'email', 'email', 'email', 'social', 'social', 'social', 'direct', 'direct'])
           [1 + pg_temp.cs_int(u, sess, 19, :seed, 20)] AS channel
) c
OFFSET 0
) r
ORDER BY CASE WHEN :'order' = 'shuffled' THEN hashint8extended(user_id * 4096 + i * 32 + 31, :seed) END,
         -- arrival order: 5% of events arrive up to 10 minutes late
         ts + CASE WHEN pg_temp.cs_u01(user_id, i, 30, :seed) < 0.05
                   THEN pg_temp.cs_u01(user_id, i, 29, :seed) * interval '10 minutes'
                   ELSE interval '0' END,
         user_id, i;

ANALYZE events;

DROP FUNCTION pg_temp.cs_u01(bigint, int, int, bigint);
DROP FUNCTION pg_temp.cs_int(bigint, int, int, bigint, int);
RESET work_mem;
RESET client_min_messages;
\set ON_ERROR_STOP :clickstream_on_error_stop
\unset clickstream_on_error_stop
