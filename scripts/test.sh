#!/usr/bin/env bash
# The whole test suite, as README.md describes it: installs what is missing
# (Debian packages only), builds and installs the extension with warnings as
# errors, then runs the unit tests, the pg_regress suites (sql/, expected/),
# the pgTAP suites (test/*.sql, with pg_prove) and the other checks
# (scripts/test-inside.sh) against a throwaway cluster made by pg_virtualenv.
#
#   bash scripts/test.sh                 # PostgreSQL 15 (Debian bookworm)
#   PG_MAJOR=17 bash scripts/test.sh     # 17 (18): in a cached Debian trixie
#                                        # (sid) root when the machine has none
#
# Exits non-zero on any failure.  Works as root (the cluster itself runs as
# the postgres user) or as a user with sudo (for a major the machine has).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
# the suite builds with warnings as errors (a user's make does not)
export WERROR=1

if [ -z "${CONVERSIONS_IN_ROOT:-}" ] && ! host_has_postgresql "${PG_MAJOR}"; then
    exec bash scripts/debian-root.sh "${PG_MAJOR}" bash scripts/test.sh
fi

ensure_packages "postgresql-${PG_MAJOR}" "postgresql-server-dev-${PG_MAJOR}" \
    "postgresql-${PG_MAJOR}-pgtap" libtap-parser-sourcehandler-pgtap-perl \
    postgresql-common make gcc
echo "== PostgreSQL ${PG_MAJOR} ($(. /etc/os-release && echo "${PRETTY_NAME}"))"
build_and_install
status=0
# -t: keep the cluster in a temporary directory, even as root
pg_virtualenv -t -v "${PG_MAJOR}" bash scripts/test-inside.sh || status=1
# the packages users install: PGXN (pgxnclient) and Debian (pg_buildext);
# they need root (they install into the server's directories)
if [ "$(id -u)" -eq 0 ]; then
    bash test/packaging/pgxn.sh || status=1
    bash test/packaging/debian.sh || status=1
    # leave the source build installed, as before the package checks
    build_and_install >/dev/null
else
    echo "skipping the PGXN and Debian package checks: they need root"
fi
exit "${status}"
