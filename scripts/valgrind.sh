#!/usr/bin/env bash
# scripts/valgrind.sh: the whole regression suite (pg_regress, then the
# pgTAP suites unless SKIP_PGTAP=1) against a throwaway server running under
# valgrind memcheck (every backend and parallel worker), with the
# suppressions in test/valgrind/conversions.supp.  Fails if any report
# (invalid read or write, use of uninitialised memory, definite leak) has
# conversions.so in its stack, or if a suite fails.  Takes about an hour on
# the 2-core development machine (doc/development.md, "Reliability").  Run as root
# (the server runs as postgres) or as a user with sudo.
#   REGRESS="paths paths_errors" TAP="test/paths_properties.sql" bash scripts/valgrind.sh
# runs only those suites (with SKIP_PGTAP=1 no pgTAP file), for new code.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_packages "postgresql-${PG_MAJOR}" "postgresql-server-dev-${PG_MAJOR}" \
    "postgresql-${PG_MAJOR}-pgtap" libtap-parser-sourcehandler-pgtap-perl \
    postgresql-common make gcc valgrind
build_and_install

bindir=$("${PG_CONFIG}" --bindir)
tmp=$(mktemp -d /tmp/conversions_valgrind.XXXXXX)
chmod 777 "${tmp}"
cp test/valgrind/conversions.supp "${tmp}/"
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then su postgres -c "$*"; else sudo -u postgres sh -c "$*"; fi
}
as_pg "${bindir}/initdb -D ${tmp}/data -A trust -U postgres >/dev/null"
port=5599
as_pg "valgrind --quiet --trace-children=yes --track-origins=yes --leak-check=full \
    --show-leak-kinds=definite --errors-for-leak-kinds=definite --num-callers=30 \
    --suppressions=${tmp}/conversions.supp --log-file=${tmp}/vg.%p.log \
    ${bindir}/postgres -D ${tmp}/data -p ${port} -k ${tmp} -c listen_addresses= \
    -c max_parallel_workers_per_gather=2 >${tmp}/server.log 2>&1 &"
export PGHOST="${tmp}" PGPORT="${port}" PGUSER=postgres
for _ in $(seq 1 300); do pg_isready -q && break; sleep 1; done
start=$(date +%s)
status=0
if [ -n "${REGRESS:-}" ]; then
    make --no-print-directory installcheck PG_CONFIG="${PG_CONFIG}" REGRESS="${REGRESS}" || status=1
else
    make --no-print-directory installcheck PG_CONFIG="${PG_CONFIG}" || status=1
fi
if [ "${SKIP_PGTAP:-0}" != 1 ]; then
    # shellcheck disable=SC2086
    pg_prove --ext .sql --failures ${TAP-test/*.sql} || status=1
fi
elapsed=$(( $(date +%s) - start ))
as_pg "${bindir}/pg_ctl -D ${tmp}/data stop -m fast -t 600 >/dev/null" || true

ours=$(grep -l 'conversions\.so' "${tmp}"/vg.*.log || true)
reports=$(cat "${tmp}"/vg.*.log | grep -c '^==[0-9]*== [A-Z]' || true)
echo "valgrind: ${elapsed} s of tests, $(ls "${tmp}"/vg.*.log | wc -l) processes, ${reports} report lines outside the suppressions"
if [ -n "${ours}" ]; then
    echo "not ok - valgrind reports with conversions.so in the stack:"
    for f in ${ours}; do echo "== ${f}"; cat "${f}"; done
    status=1
else
    echo "ok - no valgrind report reaches conversions.so"
fi
[ "${status}" -eq 0 ] && rm -rf "${tmp}"
exit "${status}"
