#!/usr/bin/env bash
# test/packaging/debian.sh: the Debian package.  Builds
# postgresql-NN-conversions with pg_buildext (debian/, for the PostgreSQL
# majors installed here), installs it in place of the `make install`ed
# files, runs the pg_regress suite (installcheck) against the installed
# package in a throwaway cluster, then removes the package.  Run by
# scripts/test.sh after the suite, as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh
ensure_packages postgresql-server-dev-all debhelper dpkg-dev build-essential

status=0
work=$(mktemp -d /tmp/conversions_deb.XXXXXX)
src="${work}/conversions"
mkdir -p "${src}"
tar -c --exclude=.git --exclude='*.o' --exclude='*.bc' --exclude='*.so' --exclude=results \
    --exclude=regression.diffs --exclude=regression.out --exclude=test/fuzz . | tar -x -C "${src}"
(cd "${src}" && pg_buildext updatecontrol) >/dev/null
if (cd "${src}" && env -u WERROR dpkg-buildpackage -us -uc -b) >"${work}/build.log" 2>&1; then
    echo "ok - dpkg-buildpackage built $(cd "${work}" && ls ./*.deb | tr '\n' ' ')"
else
    tail -40 "${work}/build.log"
    echo "not ok - dpkg-buildpackage"
    exit 1
fi
deb=$(ls "${work}"/postgresql-"${PG_MAJOR}"-conversions_*.deb 2>/dev/null | head -1)
if [ -z "${deb}" ]; then
    echo "not ok - no postgresql-${PG_MAJOR}-conversions package was built"
    exit 1
fi
# the package, not the files `make install` left, must be what the server loads
make -s uninstall PG_CONFIG="${PG_CONFIG}" >/dev/null
if dpkg -i "${deb}" >"${work}/dpkg.log" 2>&1; then
    echo "ok - dpkg -i $(basename "${deb}")"
else
    cat "${work}/dpkg.log"
    echo "not ok - dpkg -i $(basename "${deb}")"
    exit 1
fi
owned=$(dpkg -L "postgresql-${PG_MAJOR}-conversions" | grep -c 'conversions' || true)
echo "ok - the package owns ${owned} files (library, control file, install and upgrade scripts, docs)"
if (cd "${src}" && pg_virtualenv -t -v "${PG_MAJOR}" make --no-print-directory installcheck \
        PG_CONFIG="${PG_CONFIG}") >"${work}/installcheck.log" 2>&1; then
    echo "ok - installcheck against the installed package: $(grep -o 'All [0-9]* tests passed' "${work}/installcheck.log" || grep -c ' ok ' "${work}/installcheck.log") "
else
    cat "${work}/installcheck.log"
    [ -f "${src}/regression.diffs" ] && cat "${src}/regression.diffs"
    echo "not ok - installcheck against the installed package"
    status=1
fi
dpkg -r "postgresql-${PG_MAJOR}-conversions" >/dev/null
rm -rf "${work}"
exit "${status}"
