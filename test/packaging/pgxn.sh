#!/usr/bin/env bash
# test/packaging/pgxn.sh: the PGXN release as a user gets it.  Checks
# META.json against the PGXN spec (meta_check.pl), makes the release zip
# (`make dist`, the committed tree), installs it with pgxnclient (Debian's
# package) as a user would (a plain make: no -Werror), and uses it in a
# throwaway cluster.  Run by scripts/test.sh after the suite, as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
ensure_packages pgxnclient git

status=0
perl test/packaging/meta_check.pl || status=1
version=$(sed -n "s/^default_version = '\(.*\)'/\1/p" conversions.control)
zip="conversions-${version}.zip"
rm -f "${zip}"
if ! make -s dist >/dev/null || [ ! -s "${zip}" ]; then
    echo "not ok - make dist made ${zip}"
    exit 1
fi
echo "ok - make dist made ${zip} ($(du -k "${zip}" | cut -f1) kB)"
work=$(mktemp -d /tmp/conversions_pgxn.XXXXXX)
cp "${zip}" "${work}/"
rm -f "${zip}"
# pgxnclient unpacks and builds in the current directory
if (cd "${work}" && env -u WERROR pgxnclient install --yes --pg_config "${PG_CONFIG}" "./${zip}") \
        >"${work}/install.log" 2>&1; then
    echo "ok - pgxnclient installed ./${zip} into PostgreSQL ${PG_MAJOR}"
else
    cat "${work}/install.log"
    echo "not ok - pgxnclient install ./${zip}"
    exit 1
fi
# shellcheck disable=SC2016
if pg_virtualenv -t -v "${PG_MAJOR}" sh -c 'psql -X -q -At -v ON_ERROR_STOP=1 \
        -c "CREATE EXTENSION conversions" \
        -c "SELECT extversion FROM pg_extension WHERE extname = '\''conversions'\''" \
        -c "SELECT window_funnel(interval '\''1 hour'\'', ts, e = 1, e = 2) FROM (VALUES (timestamptz '\''2026-01-01 10:00'\'', 1), ('\''2026-01-01 10:30'\'', 2)) v(ts, e)" \
        >"$1"' sh "${work}/use.out" >"${work}/use.log" 2>&1 &&
   [ "$(tr '\n' ' ' <"${work}/use.out")" = "${version} 2 " ]; then
    echo "ok - the PGXN install creates the extension ${version} and computes a funnel"
else
    cat "${work}/use.log" "${work}/use.out"
    echo "not ok - the PGXN install in a cluster"
    status=1
fi
rm -rf "${work}"
exit "${status}"
