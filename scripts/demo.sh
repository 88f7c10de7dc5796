#!/usr/bin/env bash
# scripts/demo.sh: build and install the extension, then, in a throw-away
# PostgreSQL cluster (pg_virtualenv), load a generated clickstream
# (test/data/clickstream.sql, 20000 users) and print window_funnel reports
# (scripts/demo-inside.sh).
#
#   bash scripts/demo.sh
#
# Installs the Debian packages it needs when run as root.  Environment:
# DEMO_USERS (default 20000) and DEMO_SEED (default 42) size the clickstream;
# PG_MAJOR (default 15) picks the PostgreSQL version (17 and 18 run in a
# cached Debian root, as scripts/test.sh does).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

if [ -z "${CONVERSIONS_IN_ROOT:-}" ] && ! host_has_postgresql "${PG_MAJOR}"; then
    exec bash scripts/debian-root.sh "${PG_MAJOR}" env DEMO_USERS="${DEMO_USERS:-20000}" \
        DEMO_SEED="${DEMO_SEED:-42}" bash scripts/demo.sh
fi

ensure_packages "postgresql-${PG_MAJOR}" "postgresql-server-dev-${PG_MAJOR}" make gcc
build_and_install

export DEMO_USERS=${DEMO_USERS:-20000} DEMO_SEED=${DEMO_SEED:-42}
# -t: keep the cluster in a temporary directory, even as root
pg_virtualenv -t -v "${PG_MAJOR}" bash scripts/demo-inside.sh
