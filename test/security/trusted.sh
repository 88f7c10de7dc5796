#!/usr/bin/env bash
# The extension is trusted: a database owner who is not a superuser can
# install it and use every part of it, but cannot change or reuse its C
# functions, and cannot do anything a non-superuser could not do before.
# A hostile user who planted objects named like the extension's in the
# target schema makes CREATE EXTENSION fail, not run their code.
# Needs a running server (PG* variables, superuser); run from the repo root.
set -uo pipefail
export PGOPTIONS="-c client_min_messages=warning"
fails=0
pw=conversions_test_pw
su_psql() { psql -X -q -v ON_ERROR_STOP=1 -d postgres "$@"; }

su_psql -c "DROP DATABASE IF EXISTS conversions_trusted" -c "DROP ROLE IF EXISTS conversions_owner" \
        -c "DROP ROLE IF EXISTS conversions_hostile" \
        -c "CREATE ROLE conversions_owner LOGIN PASSWORD '${pw}'" \
        -c "CREATE ROLE conversions_hostile LOGIN PASSWORD '${pw}'" \
        -c "CREATE DATABASE conversions_trusted OWNER conversions_owner"
as() { PGUSER=$1 PGPASSWORD=${pw} psql -X -q -At -d conversions_trusted "${@:2}"; }

# check NAME EXPECTED ACTUAL
check() {
    if [ "$2" = "$3" ]; then echo "ok - $1"; else echo "not ok - $1: expected '$2', got '$3'"; fails=$((fails + 1)); fi
}
# refused NAME ROLE SQL: the statement must fail
refused() {
    local out
    if out=$(as "$2" -v ON_ERROR_STOP=1 -c "$3" 2>&1); then
        echo "not ok - $1: it was allowed"; fails=$((fails + 1))
    else
        echo "ok - $1 (${out#*ERROR:  })" | head -1
    fi
}

# a hostile user with CREATE on public plants a type of the extension's
# name there: installing into public must fail, not adopt it (the script
# never uses CREATE OR REPLACE, so every planted name fails this way)
as conversions_owner -c "GRANT CREATE ON SCHEMA public TO conversions_hostile"
as conversions_hostile -c "CREATE TYPE public.lift AS (x int)"
refused "CREATE EXTENSION into a schema with planted objects fails" conversions_owner \
    "CREATE EXTENSION conversions SCHEMA public"
check "the planted type is still the hostile user's, untouched" conversions_hostile \
    "$(as conversions_owner -c "SELECT typowner::regrole FROM pg_type WHERE typname = 'lift' AND typtype = 'c'")"
check "nothing of the extension was left behind" 0 \
    "$(as conversions_owner -c "SELECT count(*) FROM pg_type WHERE typname IN ('funnel', 'attribution')")"

# the owner installs it into a schema of their own
as conversions_owner -v ON_ERROR_STOP=1 -c "CREATE SCHEMA analytics" \
    -c "CREATE EXTENSION conversions SCHEMA analytics" || fails=$((fails + 1))
check "a non-superuser database owner installed the extension" conversions_owner \
    "$(as conversions_owner -c "SELECT extowner::regrole FROM pg_extension WHERE extname = 'conversions'")"
check "its functions belong to the bootstrap superuser, not to the owner" 0 \
    "$(as conversions_owner -c "SELECT count(*) FROM pg_proc WHERE pronamespace = 'analytics'::regnamespace AND proowner <> 10")"

# and uses every kind of object in it, with a hostile search_path
check "funnels, attribution and lift work for the owner" "2|2|1|1" \
    "$(as conversions_owner -c "SET search_path = public, analytics" -c "
        SELECT w || '|' || max_step(f) || '|' || conversions(a) || '|' || (SELECT entities FROM lift_report(l))
        FROM (SELECT window_funnel('1 day', ts, e = 'a', e = 'b') AS w,
                     funnel_agg('1 day', ts, e, ARRAY['a', 'b']) AS f,
                     attribution_agg('1 day', 'linear', ts, t, e = 'b') AS a, lift_agg('30 seconds', ts, t, e = 'b') AS l
              FROM (VALUES (now(), 'a', 'x'), (now() + interval '1 minute', 'b', NULL)) v(ts, e, t)) s")"

check "typed hold and breakdown values (text's I/O functions) work for the owner" "2|b|x" \
    "$(as conversions_owner -c "SET search_path = public, analytics" -c "
        SELECT max_step(f) || '|' || breakdown(f) || '|' || 'x'::funnel_hold::text
        FROM (SELECT funnel_agg('1 day', 'breakdown=last_touch', ts, e, ARRAY['a', 'b'], hold_by(t), breakdown_by(e)) AS f
              FROM (VALUES (now(), 'a', 'x'), (now() + interval '1 minute', 'b', 'x')) v(ts, e, t)) s")"

# what the owner cannot do with it
refused "the owner cannot replace an extension function" conversions_owner \
    "CREATE OR REPLACE FUNCTION analytics.entities(analytics.funnel) RETURNS bigint LANGUAGE sql AS 'SELECT 0::bigint'"
refused "the owner cannot alter an extension function" conversions_owner \
    "ALTER FUNCTION analytics.funnel_in(cstring) SECURITY DEFINER"
refused "the owner cannot load the library under another name" conversions_owner \
    "CREATE FUNCTION fi(cstring) RETURNS int AS '\$libdir/conversions', 'funnel_in' LANGUAGE C"
refused "the owner cannot drop a member function" conversions_owner \
    "DROP FUNCTION analytics.funnel_out(analytics.funnel)"
refused "another user cannot drop the extension" conversions_hostile "DROP EXTENSION conversions"
# an administrator's cap on the rows one group may keep, set for the role,
# binds it: the owner can neither raise it (not even with a SET made before
# the library is loaded) nor set conversions.max_group_events above it
su_psql -c "ALTER ROLE conversions_owner SET conversions.max_group_events_limit = 1000"
load="SELECT analytics.window_funnel('1 day', now(), true)"
check "the cap set for the role is in force at login" 1000 \
    "$(as conversions_owner -c "${load}" -c "SHOW conversions.max_group_events_limit" | tail -1)"
refused "the owner cannot raise the cap set for the role" conversions_owner \
    "${load}; SET conversions.max_group_events_limit = 2000"
refused "the owner cannot reset the cap set for the role" conversions_owner \
    "${load}; RESET conversions.max_group_events_limit"
check "a SET of the cap before the library is loaded is refused when it loads" 1000 \
    "$(as conversions_owner -c "SET conversions.max_group_events_limit = 2000" -c "${load}" \
        -c "SHOW conversions.max_group_events_limit" 2>/dev/null | tail -1)"
refused "the owner cannot set conversions.max_group_events above the cap" conversions_owner \
    "${load}; SET conversions.max_group_events = 1001"
check "a group over the role's cap is refused" "ERROR:  window_funnel/funnel_agg: more than 1000 rows in one group" \
    "$(as conversions_owner -c "SELECT analytics.window_funnel('1 day', now() + g * interval '1 second', true)
                                FROM generate_series(1, 1001) g" 2>&1 | head -1)"
check "the owner can lower the limit under the cap" "ERROR:  window_funnel/funnel_agg: more than 10 rows in one group" \
    "$(as conversions_owner -c "SET conversions.max_group_events = 10" -c "SELECT analytics.window_funnel('1 day', now() + g * interval '1 second', true)
                                FROM generate_series(1, 11) g" 2>&1 | head -1)"
su_psql -c "ALTER ROLE conversions_owner RESET conversions.max_group_events_limit"

as conversions_owner -v ON_ERROR_STOP=1 -c "DROP EXTENSION conversions" || fails=$((fails + 1))
check "the owner can drop it again" 0 \
    "$(as conversions_owner -c "SELECT count(*) FROM pg_extension WHERE extname = 'conversions'")"

# the owner installs the released 0.1.0 and updates it (the update creates
# the typed hold and breakdown, with text's internal I/O functions, and
# replaces the text forms' aggregates)
as conversions_owner -v ON_ERROR_STOP=1 -c "CREATE EXTENSION conversions VERSION '0.1.0' SCHEMA analytics" \
    -c "ALTER EXTENSION conversions UPDATE" || fails=$((fails + 1))
check "the owner updated a trusted install from 0.1.0" "$(sed -n "s/^default_version = '\(.*\)'/\1/p" conversions.control)|1" \
    "$(as conversions_owner -c "SET search_path = analytics" -c "
        SELECT extversion || '|' || (SELECT max_step(funnel_agg('1 day', '', now(), 'a', ARRAY['a'], hold_by('x'), NULL)))
        FROM pg_extension WHERE extname = 'conversions'")"
as conversions_owner -v ON_ERROR_STOP=1 -c "DROP EXTENSION conversions" || fails=$((fails + 1))

su_psql -c "DROP DATABASE conversions_trusted" -c "DROP ROLE conversions_owner" -c "DROP ROLE conversions_hostile"
[ "${fails}" -eq 0 ] && echo "ok - trusted installation: all checks passed"
exit $((fails > 0))
