#!/usr/bin/env bash
# A database with a table and a materialized view of funnels, attributions
# and lift values (the view's definition calls funnel_agg with typed hold and
# breakdown values, hold_by and breakdown_by) survives
# pg_dump and restore into a fresh database: every value reads back with the
# same text, and the restored values still merge.  Needs a running server
# (PGHOST/PGPORT/PGUSER) with the extension installed; run from the repo root.
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"
src=conversions_dump_src
dst=conversions_dump_dst
dump=$(mktemp)
trap 'rm -f "${dump}"' EXIT
psql -X -q -v ON_ERROR_STOP=1 -d postgres \
    -c "DROP DATABASE IF EXISTS ${src}" -c "DROP DATABASE IF EXISTS ${dst}" \
    -c "CREATE DATABASE ${src}" -c "CREATE DATABASE ${dst}"

psql -X -q -v ON_ERROR_STOP=1 -d "${src}" <<'SQL'
CREATE EXTENSION conversions;
\set users 300
\set seed 5
\i test/data/clickstream.sql
CREATE TABLE per_user AS
SELECT user_id,
       funnel_agg('1 day', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS f,
       funnel_agg('1 hour', 'strict_order,allow_reentry', ts, event = 'view', event = 'cart') AS g,
       funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS named,
       funnel_agg('1 day', 'exclude=search@2-4, within=2:30 minutes, breakdown=last_touch', ts, event,
                  ARRAY['view', 'cart', 'checkout', 'purchase'],
                  hold_by(props ->> 'channel'), breakdown_by(props ->> 'campaign')) AS options,
       funnel_agg('1 day', 'count=attempts', ts AT TIME ZONE 'UTC', event, ARRAY['view', 'cart']) AS attempts,
       attribution_agg('7 days', 'time_decay, half_life=2 days', ts,
                       CASE WHEN event = 'campaign_click' THEN props ->> 'channel' END,
                       event = 'purchase', (props ->> 'amount')::float8) AS attribution,
       lift_agg('1 day', ts, CASE WHEN event IN ('search', 'wishlist_add', 'newsletter_signup') THEN event END,
                event = 'purchase') AS lift
FROM events GROUP BY user_id;
CREATE MATERIALIZED VIEW daily AS
SELECT d, rollup(f) AS f, rollup(named) AS named, rollup(held) AS held, rollup(a) AS a, rollup(l) AS l
FROM (SELECT date_trunc('day', min(ts)) AS d,
             attribution_agg('7 days', 'linear', ts, CASE WHEN event = 'campaign_click' THEN props ->> 'campaign' END,
                             event = 'purchase') AS a,
             lift_agg('1 day', ts, CASE WHEN event <> 'purchase' THEN event END, event = 'purchase') AS l,
             funnel_agg('1 day', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS f,
             funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS named,
             funnel_agg('1 day', 'breakdown=last_touch', ts, event, ARRAY['view', 'cart', 'purchase'],
                        hold_by(props ->> 'channel'), breakdown_by(props ->> 'campaign')) AS held
      FROM events GROUP BY user_id) u
GROUP BY d;
CREATE UNIQUE INDEX ON daily (d);
SQL

pg_dump -d "${src}" -f "${dump}"
psql -X -q -v ON_ERROR_STOP=1 -d "${dst}" -f "${dump}" >/dev/null

query='SELECT user_id, f::text, g::text, named::text, options::text, attempts::text,
              entry_time(f), breakdown(options), attribution::text, lift::text FROM per_user ORDER BY user_id;
       SELECT d, f::text, named::text, held::text, a::text, l::text FROM daily ORDER BY d;
       SELECT rollup(f)::text, rollup(g)::text, rollup(named)::text, rollup(options)::text,
              rollup(attempts)::text, rollup(attribution)::text, rollup(lift)::text FROM per_user;'
before=$(psql -X -At -d "${src}" -c "${query}")
after=$(psql -X -At -d "${dst}" -c "${query}")
rows=$(psql -X -At -d "${dst}" -c "SELECT count(*) FROM per_user")
psql -X -q -d "${dst}" -c "REFRESH MATERIALIZED VIEW CONCURRENTLY daily"
psql -X -q -d postgres -c "DROP DATABASE ${src}" -c "DROP DATABASE ${dst}"
if [ "${before}" != "${after}" ] || [ "${rows}" -lt 300 ]; then
    echo "not ok - values differ after pg_dump and restore (${rows} rows)"
    diff <(echo "${before}") <(echo "${after}") | head -20
    exit 1
fi
echo "ok - ${rows} per-user rows (funnels, attributions, lift) and the daily materialized view survive pg_dump and restore"
