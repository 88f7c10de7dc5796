#!/usr/bin/env bash
# test/fuzz/replay.sh: replay the committed fuzz corpus (test/fuzz/corpus/)
# through every target, built with gcc (no libFuzzer needed), against the
# server in PG* (CI runs it inside pg_virtualenv).  Fails if any input
# crashes the backend or breaks an invariant (the backend aborts).
set -uo pipefail
cd "$(dirname "$0")/../.."
. test/fuzz/targets.sh
export PGOPTIONS="-c client_min_messages=warning"
status=0

make -s -C test/fuzz clean
if ! make -s -C test/fuzz PG_CONFIG="${PG_CONFIG:-pg_config}" >/dev/null 2>&1 ||
   ! make -s -C test/fuzz standalone >/dev/null 2>&1; then
    echo "not ok - building test/fuzz failed"
    exit 1
fi
work=$(mktemp -d /tmp/conversions_replay.XXXXXX)
cp test/fuzz/conversions_fuzz.so "${work}/"
cp -r test/fuzz/corpus "${work}/"
chmod -R a+rX "${work}"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS conversions_fuzz_replay" \
    -c "CREATE DATABASE conversions_fuzz_replay"
psql -X -q -d conversions_fuzz_replay -v module="${work}/conversions_fuzz.so" -f test/fuzz/fuzz.sql
total=0
for t in "${FUZZ_TARGETS[@]}"; do
    if n=$(psql -X -At -d conversions_fuzz_replay -c \
           "SELECT conversions_fuzz_replay('${t}', '${work}/corpus/${t}')" 2>&1); then
        total=$((total + n))
    else
        echo "not ok - replaying test/fuzz/corpus/${t}: ${n}"
        status=1
    fi
done
for t in "${STANDALONE_TARGETS[@]}"; do
    if out=$(./test/fuzz/"${t}"_fuzz "${work}/corpus/${t}"/* 2>&1); then
        total=$((total + $(echo "${out}" | awk '/inputs replayed/ {print $1}')))
    else
        echo "not ok - replaying test/fuzz/corpus/${t}: ${out}"
        status=1
    fi
done
psql -X -q -d postgres -c "DROP DATABASE conversions_fuzz_replay"
rm -rf "${work}"
make -s -C test/fuzz clean
[ "${status}" -eq 0 ] && echo "ok - ${total} fuzz corpus inputs replayed through ${#FUZZ_TARGETS[@]} + ${#STANDALONE_TARGETS[@]} targets"
exit "${status}"
