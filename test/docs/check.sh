#!/usr/bin/env bash
# test/docs/check.sh: the documentation's SQL examples are tests.  Runs every
# ```sql block of README.md and of every local .md file README links
# (doc/*.md, ...) and compares what psql prints with the output the document
# shows.  Needs a server (PG* variables; scripts/test-inside.sh runs it in
# pg_virtualenv) with the extension installed, bash, perl and diff.
#
#   bash test/docs/check.sh               check README.md and the docs it links
#   bash test/docs/check.sh doc/x.md ...  check these documents only
#   bash test/docs/check.sh --update ...  rewrite the output fences with what
#                                         psql prints now (review git diff!)
#
# Conventions (also in doc/development.md, "Documentation examples"):
#   * Each document runs in ONE psql session (psql -X -q, ON_ERROR_STOP off)
#     on a fresh database where CREATE EXTENSION conversions has been run:
#     its ```sql blocks run in document order, so a block may use the tables,
#     settings and psql variables of the blocks before it, and only those.
#     Each block must end with a complete statement.
#   * The plain ``` fence that follows a ```sql block (only blank lines may
#     come between) is that block's output, exactly as psql -X -q prints it
#     (aligned, with the "(N rows)" footer; DDL and INSERT print nothing).
#     A ```sql block without such a fence must print nothing.  Other fences
#     (```sh, plain fences after prose, such as signatures) are not run.
#   * Compared after removing trailing blanks of each line and empty lines at
#     the start and end of the output.  A message psql prints as
#     "psql:FILE:LINE: ERROR:  ..." is compared as "ERROR:  ...", so an
#     example shows an error (with its DETAIL:, HINT: lines) as an
#     interactive psql session prints it.
#   * Fences inside list items may be indented: the indentation of the
#     opening fence is removed from every line of the block.
#   * Sessions start with TimeZone 'Asia/Kathmandu' (UTC+05:45), DateStyle
#     'ISO, MDY' and C.UTF-8 messages, so an example whose output depends on
#     the time zone fails unless it sets TimeZone itself (SET TimeZone = 'UTC').
#   * psql runs from the repository root: a block may load the sample data
#     with \i test/data/clickstream.sql.
#   * ```sql norun marks a block that must not run (its output fence, if any,
#     is not checked); doc/development.md lists every such block and why.
#
# Prints TAP, one test per ```sql block; a failure prints the document, the
# block's line and a unified diff (expected, then actual).  Exits non-zero on
# any difference or when psql fails.
set -uo pipefail
cd "$(dirname "$0")/../.."
here=test/docs

update=0
if [ "${1:-}" = --update ]; then
    update=1
    shift
fi
if [ $# -gt 0 ]; then
    docs=("$@")
else
    mapfile -t docs < <(echo README.md; perl "${here}/doc_blocks.pl" links README.md)
fi

export PGTZ=Asia/Kathmandu PGDATESTYLE='ISO, MDY' LC_ALL=C.UTF-8 PGCLIENTENCODING=UTF8
db=conversions_docs_check
work=$(mktemp -d)
trap 'rm -rf "${work}"' EXIT

# Drops and (with "create") creates the check's database.
reset_db() {
    psql -X -q -v ON_ERROR_STOP=1 -d postgres <<SQL
SET client_min_messages = warning;
DROP DATABASE IF EXISTS ${db};
$([ "$1" = create ] && echo "CREATE DATABASE ${db};")
SQL
}

n=0
status=0
ok() { n=$((n + 1)); echo "ok ${n} - $1"; }
not_ok() { n=$((n + 1)); echo "not ok ${n} - $1"; status=1; }

for doc in "${docs[@]}"; do
    dir="${work}/$(echo "${doc}" | tr '/' '_')"
    mkdir -p "${dir}"
    if ! perl "${here}/doc_blocks.pl" extract "${doc}" "${dir}"; then
        not_ok "${doc}: cannot read its fences"
        continue
    fi
    if ! reset_db create; then
        not_ok "${doc}: cannot create database ${db}"
        continue
    fi
    psql -X -q -v ON_ERROR_STOP=0 -d "${db}" -f "${dir}/script.sql" >"${dir}/actual.raw" 2>&1
    rc=$?
    reset_db drop || status=1
    perl "${here}/doc_blocks.pl" split "${dir}"
    if [ "${rc}" -ne 0 ] || [ ! -f "${dir}/actual.end" ]; then
        not_ok "${doc}: psql exited with ${rc} before the end of the document"
        tail -5 "${dir}/actual.raw" | sed "s/^/#   /"
    elif [ -s "${dir}/actual.0" ] || [ -s "${dir}/actual.end" ]; then
        not_ok "${doc}: CREATE EXTENSION or the end of the session printed something"
        cat "${dir}/actual.0" "${dir}/actual.end" | sed "s/^/#   /"
    fi
    while IFS=$'\t' read -r block line has_output norun; do
        name="${doc}:${line}"
        if [ "${norun}" = 1 ]; then
            ok "${name} # SKIP marked norun"
            continue
        fi
        expected="${dir}/expected.${block}"
        [ "${has_output}" = 1 ] || : >"${expected}"
        [ -f "${dir}/actual.${block}" ] || : >"${dir}/actual.${block}"
        if diff -q "${expected}" "${dir}/actual.${block}" >/dev/null; then
            ok "${name}"
        else
            not_ok "${name}: the output differs from the document"
            [ "${has_output}" = 1 ] || echo "#   (no output fence follows this block: it must print nothing)"
            diff -u --label "${name} (document)" --label "${name} (psql)" \
                "${expected}" "${dir}/actual.${block}" | sed 's/^/#   /'
        fi
    done <"${dir}/blocks"
    echo "# ${doc}: $(wc -l <"${dir}/blocks") sql blocks"
    if [ "${update}" = 1 ]; then
        perl "${here}/doc_blocks.pl" update "${doc}" "${dir}"
    fi
done
echo "1..${n}"
exit "${status}"
