#!/usr/bin/env bash
# scripts/demo-inside.sh: the part of scripts/demo.sh that runs inside
# pg_virtualenv.  Works against any server the PG* variables point at, but
# note it (re)creates the table "events" there.
#
# Environment: DEMO_USERS (default 20000), DEMO_SEED (default 42).
set -euo pipefail
cd "$(dirname "$0")/.."

users=${DEMO_USERS:-20000}
seed=${DEMO_SEED:-42}

run_psql() {
    psql -X -q -v ON_ERROR_STOP=1 "$@"
}

run_psql -c 'CREATE EXTENSION IF NOT EXISTS conversions'
echo "Loading test/data/clickstream.sql with users=$users seed=$seed ..."
run_psql -v users="$users" -v seed="$seed" -f test/data/clickstream.sql

run_psql <<'SQL'
\pset footer off
\echo
\echo '== Sample clickstream'
SELECT count(*) AS events, count(DISTINCT user_id) AS users,
       min(ts) AS first_event, max(ts) AS last_event
FROM events;

\echo '== Funnel view -> cart -> checkout -> purchase, window 1 day'
\echo 'per user: window_funnel(interval ''1 day'', ts, event = ''view'', event = ''cart'', event = ''checkout'', event = ''purchase'')'
WITH per_user AS (
    SELECT user_id,
           window_funnel(interval '1 day', ts,
                         event = 'view', event = 'cart',
                         event = 'checkout', event = 'purchase') AS level
    FROM events
    GROUP BY user_id
), steps AS (
    SELECT step::int, name
    FROM unnest(ARRAY['view', 'cart', 'checkout', 'purchase'])
         WITH ORDINALITY AS s(name, step)
), reached AS (
    SELECT step, name, count(*) FILTER (WHERE level >= step) AS users
    FROM steps CROSS JOIN per_user
    GROUP BY step, name
)
SELECT step, name AS event, users AS users_reached,
       round(100.0 * users / nullif(lag(users) OVER w, 0), 1) AS "% of previous",
       round(100.0 * users / nullif(first_value(users) OVER w, 0), 1) AS "% of step 1"
FROM reached
WINDOW w AS (ORDER BY step)
ORDER BY step;

\echo '== Users reaching each step: the window and the mode matter'
\echo '   (1 hour misses steps done in a later session; strict_order stops'
\echo '    the chain at the first event that matches no step, e.g. a search)'
WITH per_user AS (
    SELECT user_id,
           window_funnel(interval '1 hour', ts, event = 'view', event = 'cart',
                         event = 'checkout', event = 'purchase') AS w1h,
           window_funnel(interval '1 day', ts, event = 'view', event = 'cart',
                         event = 'checkout', event = 'purchase') AS w1d,
           window_funnel(interval '7 days', ts, event = 'view', event = 'cart',
                         event = 'checkout', event = 'purchase') AS w7d,
           window_funnel(interval '1 day', 'strict_order', ts, event = 'view', event = 'cart',
                         event = 'checkout', event = 'purchase') AS w1d_strict
    FROM events
    GROUP BY user_id
), steps AS (
    SELECT step::int, name
    FROM unnest(ARRAY['view', 'cart', 'checkout', 'purchase'])
         WITH ORDINALITY AS s(name, step)
)
SELECT step, name AS event,
       count(*) FILTER (WHERE w1h >= step) AS "1 hour",
       count(*) FILTER (WHERE w1d >= step) AS "1 day",
       count(*) FILTER (WHERE w7d >= step) AS "7 days",
       count(*) FILTER (WHERE w1d_strict >= step) AS "1 day, strict_order"
FROM steps CROSS JOIN per_user
GROUP BY step, name
ORDER BY step;

\echo '== The full report with time-to-convert: funnel_agg per user, rollup, funnel_steps'
SELECT s.step, s.label, s.entered,
       round(s.converted_from_previous::numeric, 3) AS from_previous,
       round(s.converted_from_first::numeric, 3) AS from_first,
       s.dropped,
       date_trunc('second', s.median_time_from_previous) AS median_from_previous,
       date_trunc('second', s.p90_time_from_first) AS p90_from_first
FROM (SELECT rollup(f) AS f
      FROM (SELECT user_id,
                   funnel_agg(interval '1 day', ts, event,
                              ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
            FROM events GROUP BY user_id) per_user) total,
     funnel_steps(total.f) AS s;

\echo
\echo '== Conversion to purchase by first-touch channel, same channel all along,'
\echo '   no search between cart and purchase: funnel_agg options'
SELECT breakdown(f) AS first_channel, entities(rollup(f)) AS users,
       reached(rollup(f), 4) AS purchased,
       round(conversion_rate(rollup(f), 1, 4)::numeric, 3) AS conversion
FROM (SELECT user_id,
             funnel_agg(interval '1 day', 'exclude=search@2-4', ts, event,
                        ARRAY['view', 'cart', 'checkout', 'purchase'],
                        hold_by(props ->> 'channel'), breakdown_by(props ->> 'channel')) AS f
      FROM events GROUP BY user_id) per_user
GROUP BY 1 ORDER BY 1;

\echo
\echo '== Purchases and revenue credited to the campaign clicks of the 7 days before'
\echo '   (linear attribution; the empty channel: purchases with no such click)'
SELECT r.touch AS channel, round(r.conversions::numeric, 2) AS purchases,
       round(r.value::numeric, 2) AS revenue, r.touches AS clicks
FROM (SELECT rollup(a) AS a
      FROM (SELECT user_id,
                   attribution_agg(interval '7 days', 'linear', ts,
                                   CASE WHEN event = 'campaign_click' THEN props ->> 'channel' END,
                                   event = 'purchase', (props ->> 'amount')::float8) AS a
            FROM events GROUP BY user_id) per_user) total,
     attribution_touches(total.a) AS r
ORDER BY r.touch NULLS LAST;

\echo '== Which micro-conversions go with a later purchase: lift, landmark design'
\echo '   (per user: micro-conversions in the first hour after the first event; users who'
\echo '    bought within that hour are left out; rates are of purchases after it)'
SELECT micro, entities AS users, converted AS buyers,
       round(rate_with::numeric, 3) AS rate_with, round(rate_without::numeric, 3) AS rate_without,
       round(lift::numeric, 2) AS lift, round(lift_low::numeric, 2) AS lift_low,
       round(lift_high::numeric, 2) AS lift_high
FROM (SELECT rollup(l) AS l
      FROM (SELECT user_id,
                   lift_agg(interval '1 hour', ts,
                            CASE WHEN event IN ('search', 'campaign_click', 'wishlist_add', 'newsletter_signup')
                                 THEN event END,
                            event = 'purchase') AS l
            FROM events GROUP BY user_id) per_user) total,
     lift_report(total.l)
ORDER BY lift DESC;
\echo 'lift = rate_with / rate_without - 1, 95% interval: above 0, users who did it in their first hour bought later more often (association, not proof of cause); covering 0, no sign of an effect.'
SQL
