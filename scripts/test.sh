#!/usr/bin/env bash
# The whole test suite, as README.md describes it: installs what is missing
# (Debian packages only), builds and installs the extension, then runs the
# pg_regress suites (sql/, expected/) and the pgTAP suites (test/*.sql, with
# pg_prove) against a throwaway cluster made by pg_virtualenv.
# Exits non-zero on any failure.  Works as root (the cluster itself runs as
# the postgres user) or as a user with sudo.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

ensure_packages "postgresql-${PG_MAJOR}" "postgresql-server-dev-${PG_MAJOR}" \
    "postgresql-${PG_MAJOR}-pgtap" libtap-parser-sourcehandler-pgtap-perl \
    postgresql-common make gcc
build_and_install
# -t: keep the cluster in a temporary directory, even as root
pg_virtualenv -t -v "${PG_MAJOR}" bash scripts/test-inside.sh
