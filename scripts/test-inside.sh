#!/usr/bin/env bash
# Runs inside pg_virtualenv (PGHOST, PGPORT, PGUSER, PGPASSWORD are set):
# unit tests of pure C modules, pg_regress, pgTAP, then the layering check
# (test/layers/check.sh), pg_dump and restore, peak memory and cancellation
# of one large group (test/memory/check.sh),
# upgrades, the trusted-install checks, the fuzz corpus replay and the
# documentation's SQL examples (test/docs/check.sh), and the Sankey chart
# script (test/paths_sankey/check.sh: its SVG, and doc/paths.md's chart).
# All always run; any failure fails the run.
set -uo pipefail
cd "$(dirname "$0")/.."
status=0

if ! make --no-print-directory unittest PG_CONFIG="${PG_CONFIG}" ${WERROR:+WERROR=1}; then
    status=1
fi

if ! make --no-print-directory installcheck PG_CONFIG="${PG_CONFIG}"; then
    status=1
    [ -f regression.diffs ] && cat regression.diffs
fi

if ! pg_prove --ext .sql --failures test/*.sql; then
    status=1
fi

for check in test/layers/check.sh test/dump/dump_restore.sh test/memory/check.sh test/upgrade/upgrade.sh test/security/trusted.sh \
             test/fuzz/replay.sh test/docs/check.sh test/paths_sankey/check.sh; do
    if ! bash "${check}"; then
        status=1
    fi
done

exit "${status}"
