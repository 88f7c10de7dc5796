#!/usr/bin/env bash
# scripts/paths_chart.sh: draws doc/images/paths_sankey.svg, the chart of
# doc/paths.md, from that document's own edge list.  Runs every ```sql
# block of doc/paths.md in a fresh database (as test/docs/check.sh does),
# then pipes the document's view `after_view_edges` through
# scripts/paths_sankey.pl:
#
#   bash scripts/paths_chart.sh           rewrite doc/images/paths_sankey.svg
#   bash scripts/paths_chart.sh --check   compare with it instead (exit 1 if
#                                         it differs; test/paths_sankey/check.sh)
#
# Needs a server with the extension installed and PG* variables set, for
# example on a throwaway cluster: make install && pg_virtualenv bash scripts/paths_chart.sh
set -euo pipefail
cd "$(dirname "$0")/.."

check=0
if [ "${1:-}" = --check ]; then
    check=1
fi
doc=doc/paths.md
chart=doc/images/paths_sankey.svg
db=conversions_paths_chart
title='Paths after a product view (doc/paths.md)'
export PGTZ=Asia/Kathmandu PGDATESTYLE='ISO, MDY' LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
work=$(mktemp -d)
trap 'rm -rf "${work}"; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${db}" >/dev/null 2>&1 || true' EXIT

perl test/docs/doc_blocks.pl extract "${doc}" "${work}"
psql -X -q -v ON_ERROR_STOP=1 -d postgres -c "SET client_min_messages = warning" \
    -c "DROP DATABASE IF EXISTS ${db}" -c "CREATE DATABASE ${db}"
psql -X -q -v ON_ERROR_STOP=1 -d "${db}" -f "${work}/script.sql" >/dev/null
psql -X -q -v ON_ERROR_STOP=1 -d "${db}" --csv -c 'SELECT * FROM after_view_edges' >"${work}/edges.csv"
perl scripts/paths_sankey.pl --title "${title}" <"${work}/edges.csv" >"${work}/chart.svg"

if [ "${check}" = 1 ]; then
    if ! diff -u --label "${chart} (committed)" --label "${chart} (drawn now)" "${chart}" "${work}/chart.svg"; then
        echo "${chart} is not the chart of ${doc}'s edge list; run bash scripts/paths_chart.sh" >&2
        exit 1
    fi
else
    mkdir -p "$(dirname "${chart}")"
    cp "${work}/chart.svg" "${chart}"
    echo "wrote ${chart} ($(($(wc -l <"${work}/edges.csv") - 1)) edges)"
fi
