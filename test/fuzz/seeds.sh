#!/usr/bin/env bash
# test/fuzz/seeds.sh DIR: write seed inputs for every target into DIR/<target>/,
# made by the real extension (text and send forms of funnels, attributions,
# lift and paths values from a sample clickstream) and by conversions_fuzz.so
# (serialized aggregate states).  Runs against the server in PG*; uses the
# databases conversions_fuzz_seeds (created and dropped) and
# conversions_fuzz (where test/fuzz/fuzz.sql must be loaded already).
set -euo pipefail
cd "$(dirname "$0")/../.."
dir=$1
db=conversions_fuzz_seeds
export PGOPTIONS="-c client_min_messages=warning"

# write_hex TARGET: one file per hex line on stdin
write_hex() {
    mkdir -p "${dir}/$1"
    perl -ne 'chomp; next unless length; open(my $f, ">", "'"${dir}/$1"'/seed-" . $.) or die; binmode $f; print $f pack("H*", $_); close $f'
}

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${db}" -c "CREATE DATABASE ${db}"
psql -X -q -d "${db}" -v users=200 -v seed=11 -c "CREATE EXTENSION conversions" -f test/data/clickstream.sql
psql -X -q -d "${db}" <<'SQL'
CREATE TABLE v AS
SELECT user_id,
       funnel_agg('1 day', 'exclude=search@2-4, within=2:1 hour, breakdown=first_touch', ts, event,
                  ARRAY['view', 'cart', 'checkout', 'purchase'], hold_by(props ->> 'channel'), breakdown_by(props ->> 'campaign')) AS f,
       funnel_agg('1 day', ts, event = 'view', event = 'cart', event = 'purchase') AS g,
       attribution_agg('7 days', 'position_based, weights=0.3/0.4/0.3', ts,
                       CASE WHEN event = 'campaign_click' THEN props ->> 'channel' END,
                       event = 'purchase', (props ->> 'amount')::float8) AS a,
       lift_agg('1 day', ts, CASE WHEN event <> 'purchase' THEN event END, event = 'purchase') AS l
FROM events GROUP BY user_id;
CREATE TABLE s AS
SELECT f, g, a, l FROM v WHERE user_id % 40 = 0
UNION ALL SELECT NULL, rollup(g), rollup(a), rollup(l) FROM v
UNION ALL SELECT rollup(f), NULL, NULL, NULL FROM v
UNION ALL SELECT rollup(f, user_id), rollup(g, user_id), NULL, NULL FROM v
UNION ALL SELECT NULL, rollup(g, p), NULL, NULL
          FROM (SELECT g FROM v ORDER BY user_id LIMIT 1) one,
               (SELECT -9223372036854775808 UNION ALL SELECT generate_series(65000, 70000)) ids(p);
SQL
q() { psql -X -At -d "${db}" -c "$1"; }
q "SELECT encode(convert_to(x::text, 'UTF8'), 'hex') FROM s, LATERAL (VALUES (f), (g)) t(x) WHERE x IS NOT NULL" | write_hex funnel_in
q "SELECT encode(funnel_send(x), 'hex') FROM s, LATERAL (VALUES (f), (g)) t(x) WHERE x IS NOT NULL" | write_hex funnel_recv
q "SELECT encode(convert_to(a::text, 'UTF8'), 'hex') FROM s WHERE a IS NOT NULL" | write_hex attribution_in
q "SELECT encode(attribution_send(a), 'hex') FROM s WHERE a IS NOT NULL" | write_hex attribution_recv
q "SELECT encode(convert_to(l::text, 'UTF8'), 'hex') FROM s WHERE l IS NOT NULL" | write_hex lift_in
q "SELECT encode(lift_send(l), 'hex') FROM s WHERE l IS NOT NULL" | write_hex lift_recv
# paths: path_agg with a few options strings, per user and rolled up (over 8
# users, so that every seed is shorter than libFuzzer's -max_len)
psql -X -q -d "${db}" <<'SQL'
CREATE TABLE pv AS
SELECT user_id,
       path_agg(ts, event) AS p0,
       path_agg('steps=3,conversion=purchase', ts, event) AS p1,
       path_agg('direction=backward,anchor=purchase,collapse_repeats', ts, event) AS p2,
       path_agg('max_gap=1 hour', ts, event) AS p3,
       path_agg('steps=4,events=view|cart|checkout|purchase,conversion=purchase,only=converted',
                ts, event) AS p4,
       path_agg('max_gap=3600,collapse_repeats', extract(epoch FROM ts)::bigint, event) AS p5
FROM events GROUP BY user_id;
CREATE TABLE ps AS
SELECT x FROM pv, LATERAL (VALUES (p0), (p1), (p2), (p3), (p4), (p5)) t(x) WHERE user_id % 40 = 0
UNION ALL SELECT rollup(x) FROM pv, LATERAL (VALUES (1, p0), (2, p1), (3, p2), (4, p3), (5, p4), (6, p5)) t(k, x)
          WHERE user_id % 25 = 0 GROUP BY k;
SQL
q "SELECT encode(convert_to(x::text, 'UTF8'), 'hex') FROM ps WHERE x IS NOT NULL" | write_hex paths_in
q "SELECT encode(paths_send(x), 'hex') FROM ps WHERE x IS NOT NULL" | write_hex paths_recv
psql -X -q -d postgres -c "DROP DATABASE ${db}"

# states, from the fuzz module (a database where conversions.so is not loaded)
for t in funnel_state lift_state next_node_state paths_state; do
    psql -X -At -d conversions_fuzz -c "SELECT encode(s, 'hex') FROM unnest(conversions_fuzz_seeds('${t}')) s" \
        | write_hex "${t}"
done
printf '%s\n' 'Alinear, max_touches=5' 'Atime_decay, half_life=2 days' 'Aposition_based, weights=0.3/0.4/0.3' \
    'exclude=refund@2-3, within=2:10 minutes, order=strict' 'count=attempts, strict_once' 'breakdown=step:2, hold' \
    'labels=view|cart|buy, exclude=refund@2-3, exclusion=remove, entry=first' \
    'Psteps=3, conversion=purchase' 'Pdirection=backward, anchor=purchase, collapse_repeats' \
    'Pmax_gap=1 hour, events=view|"add to cart"|purchase' 'Qmax_gap=3600, only=converted, conversion=buy' \
    | perl -ne 'chomp; print unpack("H*", $_), "\n"' | write_hex model
printf '%s\n' '(?1)(?t<=3600).*(?2)' '(?1).*(?2)(?t>=1).*(?3)' '.*(?1)(?2)' | perl -ne 'chomp; print unpack("H*", $_), "\n"' | write_hex pattern
printf '%s\n' '00010203040506' '030a0a0a0a141e' '04283228323c3cff' | write_hex credit
