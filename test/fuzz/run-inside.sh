#!/usr/bin/env bash
# The part of test/fuzz/run.sh that runs inside pg_virtualenv.
set -uo pipefail
cd "$(dirname "$0")/../.."
. test/fuzz/targets.sh
if [ -n "${FUZZ_ONLY:-}" ]; then
    read -r -a only <<< "${FUZZ_ONLY}"
    FUZZ_TARGETS=($(printf '%s\n' "${FUZZ_TARGETS[@]}" | grep -Fx -f <(printf '%s\n' "${only[@]}")))
    STANDALONE_TARGETS=($(printf '%s\n' "${STANDALONE_TARGETS[@]}" | grep -Fx -f <(printf '%s\n' "${only[@]}")))
fi
work=${FUZZ_WORK:?}
secs=${FUZZ_SECONDS:?}
log=$(pg_lsclusters --no-header | awk -v p="${PGPORT}" '$3 == p {print $7}')
export PGOPTIONS="-c client_min_messages=warning"

# start from the committed corpus plus seeds made by the real extension
for t in "${FUZZ_TARGETS[@]}" "${STANDALONE_TARGETS[@]}"; do
    mkdir -p "${work}/corpus/${t}"
    cp test/fuzz/corpus/"${t}"/* "${work}/corpus/${t}/" 2>/dev/null || true
done
mkdir -p "${work}/crashes"
psql -X -q -c "CREATE DATABASE conversions_fuzz"
psql -X -q -d conversions_fuzz -v module="${work}/conversions_fuzz.so" -f test/fuzz/fuzz.sql
bash test/fuzz/seeds.sh "${work}/corpus"
chmod -R a+rwX "${work}"
status=0
printf '%-18s %12s %8s %8s %s\n' target runs cov corpus crashes
for t in "${FUZZ_TARGETS[@]}"; do
    before=$(wc -l < "${log}")
    # libFuzzer ends the backend when it is done: a lost connection is expected
    psql -X -q -d conversions_fuzz -c \
        "SELECT conversions_fuzz_run('${t}', ${secs}, '${work}/corpus/${t}', '${work}/crashes/${t}-')" \
        >/dev/null 2>&1
    until psql -X -q -d conversions_fuzz -c 'SELECT 1' >/dev/null 2>&1; do sleep 1; done
    done_line=$(tail -n +"$((before + 1))" "${log}" | grep -a '^Done ' | tail -1)
    cov=$(tail -n +"$((before + 1))" "${log}" | grep -a -o 'cov: [0-9]*' | tail -1)
    crashes=$(ls "${work}/crashes" | grep -c "^${t}-" || true)
    printf '%-18s %12s %8s %8s %s\n' "${t}" "$(echo "${done_line}" | awk '{print $2}')" \
        "${cov#cov: }" "$(ls "${work}/corpus/${t}" | wc -l)" "${crashes}"
    [ "${crashes}" -eq 0 ] || status=1
done
for t in "${STANDALONE_TARGETS[@]}"; do
    out=$(./test/fuzz/"${t}"_fuzz -max_total_time="${secs}" -max_len=8192 -artifact_prefix="${work}/crashes/${t}-" \
          "${work}/corpus/${t}" 2>&1) || status=1
    printf '%-18s %12s %8s %8s %s\n' "${t}" "$(echo "${out}" | grep -a '^Done ' | awk '{print $2}')" \
        "$(echo "${out}" | grep -a -o 'cov: [0-9]*' | tail -1 | cut -d' ' -f2)" \
        "$(ls "${work}/corpus/${t}" | wc -l)" "$(ls "${work}/crashes" | grep -c "^${t}-" || true)"
done

# keep the seeds and the smallest FUZZ_KEEP (default 300) other corpus
# entries of each target (libFuzzer names them by their SHA-1), and any crash
for t in "${FUZZ_TARGETS[@]}" "${STANDALONE_TARGETS[@]}"; do
    rm -rf test/fuzz/corpus/"${t}"
    mkdir -p test/fuzz/corpus/"${t}"
    cp "${work}/corpus/${t}"/seed-* test/fuzz/corpus/"${t}"/ 2>/dev/null || true
    (cd "${work}/corpus/${t}" && ls -Sr | grep -v '^seed-' | head -"${FUZZ_KEEP:-300}") |
        while read -r f; do cp "${work}/corpus/${t}/${f}" test/fuzz/corpus/"${t}"/; done
done
if [ -n "$(ls "${work}/crashes")" ]; then
    mkdir -p test/fuzz/crashes
    cp "${work}/crashes"/* test/fuzz/crashes/
    echo "not ok - crashes found, copied to test/fuzz/crashes/:"
    ls test/fuzz/crashes
    status=1
fi
exit "${status}"
