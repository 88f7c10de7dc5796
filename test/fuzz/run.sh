#!/usr/bin/env bash
# test/fuzz/run.sh [SECONDS]: fuzz every target with libFuzzer for SECONDS
# each (default 60), on a throwaway cluster (pg_virtualenv).  Needs clang-14
# and libclang-rt-14-dev besides the usual packages (installed when run as
# root).  New corpus entries are added to test/fuzz/corpus/<target>/ (commit
# them: CI replays the corpus); any crash is copied to test/fuzz/crashes/
# and makes the run fail.  Prints, per target, the runs, coverage and
# corpus size libFuzzer reported.  FUZZ_ONLY="funnel_state model" limits
# the run to those targets; FUZZ_KEEP=100 keeps the seeds and the 100
# smallest other inputs of each target run (default 300).
set -euo pipefail
cd "$(dirname "$0")/../.."
. scripts/lib.sh

FUZZ_SECONDS=${1:-60}
ensure_packages "postgresql-${PG_MAJOR}" "postgresql-server-dev-${PG_MAJOR}" postgresql-common \
    make gcc clang-14 libclang-rt-14-dev
build_and_install
make -s -C test/fuzz clean
make -s -C test/fuzz FUZZER=1 PG_CONFIG="${PG_CONFIG}" >/dev/null 2>&1 || make -C test/fuzz FUZZER=1 PG_CONFIG="${PG_CONFIG}"
make -s -C test/fuzz FUZZER=1 standalone >/dev/null

FUZZ_WORK=$(mktemp -d /tmp/conversions_fuzz.XXXXXX)
chmod 777 "${FUZZ_WORK}"
cp test/fuzz/conversions_fuzz.so "${FUZZ_WORK}/"
chmod 755 "${FUZZ_WORK}/conversions_fuzz.so"
export FUZZ_WORK FUZZ_SECONDS FUZZ_ONLY="${FUZZ_ONLY:-}" FUZZ_KEEP="${FUZZ_KEEP:-300}"
status=0
pg_virtualenv -t -v "${PG_MAJOR}" bash test/fuzz/run-inside.sh || status=$?
make -s -C test/fuzz clean
exit "${status}"
