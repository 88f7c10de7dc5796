#!/usr/bin/env bash
# A database with a table and a materialized view of funnels, attributions
# and lift values (the view's definition calls funnel_agg with typed hold and
# breakdown values, hold_by and breakdown_by) survives
# pg_dump and restore into a fresh database: every value reads back with the
# same text, and the restored values still merge.  The table `extremes`
# (test/dump/extremes.sql) holds the extremes that text input allows
# (infinite and first and last valid entry times, counts of 2^63-1, the
# largest window, labels at their byte limits in UTF-8); each must read back
# with the same text and the same binary send output.  Needs a running server
# (PGHOST/PGPORT/PGUSER) with the extension installed; run from the repo root.
set -euo pipefail
export PGOPTIONS="-c client_min_messages=warning"
src=conversions_dump_src
dst=conversions_dump_dst
custom=conversions_dump_custom
dump=$(mktemp)
custom_dump=$(mktemp)
trap 'rm -f "${dump}" "${custom_dump}"' EXIT
psql -X -q -v ON_ERROR_STOP=1 -d postgres \
    -c "DROP DATABASE IF EXISTS ${src}" -c "DROP DATABASE IF EXISTS ${dst}" -c "DROP DATABASE IF EXISTS ${custom}" \
    -c "CREATE DATABASE ${src} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" \
    -c "CREATE DATABASE ${dst} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0" \
    -c "CREATE DATABASE ${custom} ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0"

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
\i test/dump/extremes.sql
SQL

pg_dump -d "${src}" -f "${dump}"
psql -X -q -v ON_ERROR_STOP=1 -d "${dst}" -f "${dump}" >/dev/null
# the custom format and pg_restore too (a value pg_restore cannot load
# leaves its table empty)
pg_dump -Fc -d "${src}" -f "${custom_dump}"
pg_restore --exit-on-error -d "${custom}" "${custom_dump}"

query='SELECT user_id, f::text, g::text, named::text, options::text, attempts::text,
              entry_time(f), breakdown(options), attribution::text, lift::text FROM per_user ORDER BY user_id;
       SELECT d, f::text, named::text, held::text, a::text, l::text FROM daily ORDER BY d;
       SELECT rollup(f)::text, rollup(g)::text, rollup(named)::text, rollup(options)::text,
              rollup(attempts)::text, rollup(attribution)::text, rollup(lift)::text FROM per_user;'
before=$(psql -X -At -d "${src}" -c "${query}")
after=$(psql -X -At -d "${dst}" -c "${query}")
rows=$(psql -X -At -d "${dst}" -c "SELECT count(*) FROM per_user")
extremes_query="SELECT name, coalesce(f::text, a::text, l::text),
                       encode(coalesce(funnel_send(f), attribution_send(a), lift_send(l)), 'hex')
                FROM extremes ORDER BY name"
extremes_before=$(psql -X -At -d "${src}" -c "${extremes_query}")
extremes_after=$(psql -X -At -d "${dst}" -c "${extremes_query}")
extremes_rows=$(psql -X -At -d "${dst}" -c "SELECT count(*) FROM extremes")
extremes_custom=$(psql -X -At -d "${custom}" -c "${extremes_query}")
psql -X -q -d "${dst}" -c "REFRESH MATERIALIZED VIEW CONCURRENTLY daily"
psql -X -q -d postgres -c "DROP DATABASE ${src}" -c "DROP DATABASE ${dst}" -c "DROP DATABASE ${custom}"
if [ "${before}" != "${after}" ] || [ "${rows}" -lt 300 ]; then
    echo "not ok - values differ after pg_dump and restore (${rows} rows)"
    diff <(echo "${before}") <(echo "${after}") | head -20
    exit 1
fi
if [ "${extremes_before}" != "${extremes_after}" ] || [ "${extremes_rows}" -ne 14 ]; then
    echo "not ok - extreme values differ after pg_dump and restore (${extremes_rows} of 14 rows restored)"
    diff <(echo "${extremes_before}" | cut -c1-200) <(echo "${extremes_after}" | cut -c1-200) | head -20
    exit 1
fi
if [ "${extremes_before}" != "${extremes_custom}" ]; then
    echo "not ok - extreme values differ after pg_dump -Fc and pg_restore"
    diff <(echo "${extremes_before}" | cut -c1-200) <(echo "${extremes_custom}" | cut -c1-200) | head -20
    exit 1
fi
echo "ok - ${extremes_rows} extreme funnel, attribution and lift values keep their text and binary form through pg_dump and restore (plain and custom format)"
echo "ok - ${rows} per-user rows (funnels, attributions, lift) and the daily materialized view survive pg_dump and restore"
