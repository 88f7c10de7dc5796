#!/usr/bin/env bash
# Memory and cancellation of every aggregate that keeps rows per group, on
# ONE group (a plain aggregate over a streamed generate_series, so the input
# is neither stored in a table nor in a tuplestore).
#
# Memory: one psql session per aggregate sets conversions.max_group_events to
# the group's row count (the group is at its row limit), warms the library
# and catalog caches up, runs count(*) over the same rows, reads the
# backend's peak resident size (VmHWM of /proc/<pg_backend_pid()>/status),
# runs the aggregate and reads the peak again.  The growth divided by the
# rows must stay within the bound per row that doc/semantics.md's Limits
# section states, plus a constant for the executor.
#
# Cancellation: with statement_timeout = 300ms, the aggregate over a group
# that takes several seconds must fail with 57014 within 1.3 s of the start
# (psql's connection included): while it reads rows (a group of 50,000,000)
# and, for the two final functions that can run long (attribution_agg's
# split, the sequence matcher's search), inside the final function.
#
# Prints TAP.  Needs a running server (PGHOST/PGPORT/PGUSER) as a superuser
# (pg_read_file of /proc) with the extension installed; run from the repo root.
set -uo pipefail
export PGOPTIONS="-c client_min_messages=warning"
db=conversions_memory
rows=${MEMORY_TEST_ROWS:-1000000}
cancel_rows=50000000
timeout_ms=300
cancel_limit_ms=1300
slack_kb=16384     # the executor's own growth beyond the state: 16 MB

psql -X -q -v ON_ERROR_STOP=1 -d postgres \
    -c "DROP DATABASE IF EXISTS ${db}" -c "CREATE DATABASE ${db} TEMPLATE template0 ENCODING 'UTF8'" \
    || exit 1
psql -X -q -v ON_ERROR_STOP=1 -d "${db}" -c "CREATE EXTENSION conversions" || exit 1

# name | bound in bytes per row (doc/semantics.md, Limits) | aggregate call
# over i (1..rows) and ts; every row is an event the aggregate keeps.
cases=(
"window_funnel|16|window_funnel('1 hour', ts, i % 3 = 0, i % 3 = 1, i % 3 = 2)"
"funnel_agg (boolean steps)|16|funnel_agg('1 hour', ts, i % 3 = 0, i % 3 = 1, i % 3 = 2)"
"funnel_agg (named steps)|16|funnel_agg('1 hour', ts, 'e' || i % 3, ARRAY['e0', 'e1', 'e2'])"
"sequence_match (4 items)|17|sequence_match('(?1).*(?2)(?t<=3600)', ts, i % 2 = 0, i % 2 = 1)"
"sequence_count (4 items)|17|sequence_count('(?1).*(?2)(?t<=3600)', ts, i % 2 = 0, i % 2 = 1)"
"sequence_match (120 items)|32|sequence_match(repeat('.*(?1)(?t<=1000000)', 40), ts, i % 2 = 0, i % 2 = 1)"
"sequence_count (120 items)|32|sequence_count(repeat('.*(?1)(?t<=1000000)', 40), ts, i % 2 = 0, i % 2 = 1)"
"sequence_match_events (120 items)|32|sequence_match_events(repeat('.*(?1)(?t<=1000000)', 40), ts, i % 2 = 0, i % 2 = 1)"
"sequence_next_node|48|sequence_next_node('forward', 'first_match', ts, 'page' || i % 100, true, i % 5 = 0)"
"attribution_agg|40|attribution_agg('7 days', 'linear', ts, 'channel' || i % 50, i % 10 = 0)"
"path_agg|40|path_agg('max_gap=30 minutes', ts, 'page' || i % 50)"
"lift_agg|0|lift_agg('1 day', ts, 'micro' || i % 20, i % 10 = 0)"
"retention|0|retention(i % 2 = 0, i % 3 = 0, i % 5 = 0)"
)

# Cancellation in the final function: name | rows | call.  Reading the rows
# takes about 50 ms (attribution) and 200 ms (sequence_match) of the 300; the
# final functions would run for minutes and for seconds.  (?t>=0) keeps the
# sequence_match pattern a search: a pattern of only (?N) and .* is counted
# by one pass over the events, which no cancel has time to reach.
final_cases=(
"attribution_agg final function|200000|attribution_agg('1 year', 'time_decay, max_touches=10000', ts, CASE WHEN i % 2 = 0 THEN 't' || i % 97 END, i % 2 = 1)"
"sequence_match final function|1000000|sequence_match(repeat('(?1).*', 100) || '(?t>=0)(?3)', ts, i % 2 = 0, i % 2 = 1, false)"
"sequence_match_events final function|1000000|sequence_match_events(repeat('(?1).*', 100) || '(?3)', ts, i % 2 = 0, i % 2 = 1, false)"
)

n=0
status=0
echo "1..$(( ${#cases[@]} * 2 + ${#final_cases[@]} ))"

hwm="SELECT substring(pg_read_file('/proc/' || pg_backend_pid() || '/status') FROM 'VmHWM:\s+(\d+) kB')"
for c in "${cases[@]}"; do
    IFS='|' read -r name bound call <<<"${c}"
    src="(SELECT i, timestamptz '2026-01-01 00:00+00' + i * interval '1 s' AS ts
            FROM (SELECT generate_series(1, ${rows}) AS i) g) s"
    out=$(psql -X -q -At -v ON_ERROR_STOP=1 -d "${db}" 2>&1 <<SQL
SET conversions.max_group_events = ${rows};
SELECT (${call}) IS NOT NULL FROM (SELECT 1 AS i, timestamptz '2026-01-01 00:00+00' AS ts) s;
SELECT count(*) > 0 FROM ${src};
${hwm};
SELECT (${call}) IS NOT NULL FROM ${src};
${hwm};
SQL
)
    rc=$?
    n=$((n + 1))
    before=$(echo "${out}" | sed -n 3p)
    after=$(echo "${out}" | sed -n 5p)
    if [ ${rc} -ne 0 ] || ! [[ "${before}" =~ ^[0-9]+$ && "${after}" =~ ^[0-9]+$ ]]; then
        echo "not ok ${n} - ${name}: peak memory of one group of ${rows} rows"
        echo "${out}" | sed 's/^/# /'
        status=1
    else
        growth=$(( after - before ))
        per_row=$(awk -v g="${growth}" -v r="${rows}" 'BEGIN { printf "%.1f", g * 1024 / r }')
        limit=$(( bound * rows / 1024 + slack_kb ))
        if [ "${growth}" -le "${limit}" ]; then ok=ok; else ok="not ok"; status=1; fi
        echo "${ok} ${n} - ${name}: peak grew ${growth} kB for ${rows} rows (${per_row} bytes per row; bound ${bound} per row + ${slack_kb} kB = ${limit} kB)"
    fi
done

# cancel_check NAME ROWS CALL: statement_timeout cancels the call over ROWS
# rows with 57014 within cancel_limit_ms of the start.
cancel_check() {
    local name=$1 nrows=$2 call=$3 start out elapsed
    local src="(SELECT i, timestamptz '2026-01-01 00:00+00' + i * interval '1 s' AS ts
            FROM (SELECT generate_series(1, ${nrows}) AS i) g) s"
    start=$(date +%s%N)
    out=$(psql -X -q -At -d "${db}" -v VERBOSITY=verbose 2>&1 <<SQL
SET statement_timeout = '${timeout_ms}ms';
SELECT (${call}) IS NOT NULL FROM ${src};
SQL
)
    elapsed=$(( ($(date +%s%N) - start) / 1000000 ))
    n=$((n + 1))
    if [[ "${out}" == *"57014"* ]] && [ "${elapsed}" -lt "${cancel_limit_ms}" ]; then
        echo "ok ${n} - ${name}: statement_timeout of ${timeout_ms} ms cancelled it (57014) after ${elapsed} ms"
    else
        echo "not ok ${n} - ${name}: statement_timeout of ${timeout_ms} ms: ${elapsed} ms (limit ${cancel_limit_ms} ms)"
        echo "${out}" | sed 's/^/# /'
        status=1
    fi
}

for c in "${cases[@]}"; do
    IFS='|' read -r name bound call <<<"${c}"
    cancel_check "${name}" "${cancel_rows}" "${call}"
done
for c in "${final_cases[@]}"; do
    IFS='|' read -r name nrows call <<<"${c}"
    cancel_check "${name}" "${nrows}" "${call}"
done

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${db}" >/dev/null 2>&1
exit "${status}"
