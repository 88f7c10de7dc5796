#!/usr/bin/env bash
# test/layers/check.sh: the layering rules of src/ (doc/architecture.md),
# checked from the #include lines:
#   1. src/common/ (the shared layer) includes no header of a feature folder;
#   2. a feature folder includes only common/ and the folders it is allowed
#      to build on (funnel/ builds on window_funnel/; nothing else);
#   3. no include cycle between modules (a module is NAME.c with NAME.h), and
#      none between folders (checked with tsort).
# Needs no server.  Prints TAP; exits non-zero on any violation.
set -euo pipefail
cd "$(dirname "$0")/../.."

# folder -> the folders it may include besides itself and common
declare -A allowed=(
    [common]=""
    [window_funnel]=""
    [funnel]="window_funnel"
    [sequence]=""
    [retention]=""
    [attribution]=""
    [lift]=""
    [paths]=""
)

status=0
n=0
ok() { n=$((n + 1)); echo "ok ${n} - $1"; }
not_ok() { n=$((n + 1)); echo "not ok ${n} - $1"; status=1; }

module_edges=$(mktemp)
folder_edges=$(mktemp)
trap 'rm -f "${module_edges}" "${folder_edges}"' EXIT

for file in src/*/*.c src/*/*.h; do
    folder=$(basename "$(dirname "${file}")")
    module="${folder}/$(basename "${file%.*}")"
    if [ -z "${allowed[${folder}]+set}" ]; then
        not_ok "${file}: folder ${folder}/ is not listed in test/layers/check.sh"
        continue
    fi
    bad=0
    while read -r header; do
        target_folder=${header%%/*}
        target_module=${header%.h}
        [ "${target_module}" != "${module}" ] && echo "${module} ${target_module}" >>"${module_edges}"
        [ "${target_folder}" != "${folder}" ] && echo "${folder} ${target_folder}" >>"${folder_edges}"
        case " ${folder} common ${allowed[${folder}]} " in
            *" ${target_folder} "*) ;;
            *) not_ok "${file} includes ${header}: ${folder}/ may not use ${target_folder}/"
               bad=1 ;;
        esac
    done < <(sed -n 's/^#include "\([a-z_]*\/[a-z_0-9]*\.h\)".*/\1/p' "${file}" |
             while read -r h; do [ -f "src/${h}" ] && echo "${h}"; done)
    [ "${bad}" -eq 0 ] && ok "${file} includes only what ${folder}/ may use"
done

for kind in module folder; do
    edges="${module_edges}"
    [ "${kind}" = folder ] && edges="${folder_edges}"
    if out=$(sort -u "${edges}" | tsort 2>&1 >/dev/null) && [ -z "${out}" ]; then
        ok "no include cycle between ${kind}s"
    else
        not_ok "include cycle between ${kind}s: $(echo "${out}" | sed -n 's/^tsort: \([a-z_\/0-9]*\)$/\1/p' | sort -u | tr '\n' ' ')"
    fi
done
echo "1..${n}"
exit "${status}"
