#!/usr/bin/env bash
# Benchmark (not part of the test suite): times the floor query, a plain-SQL
# funnel, window_funnel and the funnel_agg report (funnel_agg, rollup,
# funnel_steps) on generated data, serial and with 2 workers, and rollup alone
# over 1,000,000 stored one-user funnels, and prints each as a ratio to the
# floor query of the same run.
#
#   make bench                 # 500,000 users, about 5 million events
#   USERS=50000 make bench     # smaller
#
# Then the dashboard benchmark (test/bench/dashboard.sql: stored daily
# people funnels merged, a 30-day report from them and from raw events, the
# size of one stored day of 500,000 users); BENCH=dashboard runs only that.
#
# Runs on a throwaway cluster (pg_virtualenv) unless PGHOST/PGPORT point at a
# server already (then the extension must be installed there).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh

USERS="${USERS:-500000}"
RUNS="${RUNS:-5}"
export USERS RUNS

if [ -z "${BENCH_INSIDE:-}" ] && [ -z "${PGPORT:-}" ]; then
    ensure_packages "postgresql-${PG_MAJOR}" "postgresql-server-dev-${PG_MAJOR}" \
        postgresql-common make gcc
    build_and_install
    export BENCH_INSIDE=1
    exec pg_virtualenv -t -v "${PG_MAJOR}" -o shared_buffers=1GB -o max_parallel_workers_per_gather=2 \
        -o jit=off bash "$0"
fi

psql -X -q -v ON_ERROR_STOP=1 -c "CREATE EXTENSION IF NOT EXISTS conversions"
if [ "${BENCH:-all}" = dashboard ]; then
    exec psql -X -q -v ON_ERROR_STOP=1 -v runs="${RUNS}" -f test/bench/dashboard.sql
fi
echo "generating ${USERS} users ..."
psql -X -q -v ON_ERROR_STOP=1 -v users="${USERS}" -v seed=42 -f test/data/clickstream.sql
psql -X -q -v ON_ERROR_STOP=1 -c "VACUUM (FREEZE, ANALYZE) events"
psql -X -q -v ON_ERROR_STOP=1 -v runs="${RUNS}" -f test/bench/bench.sql
psql -X -q -v ON_ERROR_STOP=1 -v runs="${RUNS}" -f test/bench/dashboard.sql
