#!/usr/bin/env bash
# Upgrades: for every older version V with an install script
# (conversions--V.sql), create the extension at V, store funnel, attribution
# and lift values in tables and a materialized view of their rollups, note
# what they read as (text, binary send), how they merge and what the reports
# print, run ALTER EXTENSION conversions UPDATE, and check that:
#   - every stored value reads back with the same text and the same binary;
#   - rollups, funnel_steps and attribution_touches print the same, from
#     the stored values and from the refreshed materialized view; lift
#     values (format version 1, 0.1.0's before-first-conversion rule) keep
#     their text, binary, counts and rollup;
#   - what 0.2.0 changed on purpose for lift (issue 15): lift_report on
#     those stored values, and refreshing a materialized view that calls
#     0.1.0's lift_agg(ts, micro, is_conversion), fail with the documented
#     error (0A000, with the hint to use lift_agg(landmark, ...)); the view
#     itself survives the update and keeps its stored rows; the new
#     lift_agg(landmark, ...) works;
#   - the catalog (functions with their C symbols, markings and argument
#     names, modes and defaults; aggregates with their support functions,
#     state size and initial value; types with their I/O functions) equals
#     a fresh install of the default version.
# Needs a running server (PG* variables); run from the repo root.  Prints TAP.
set -uo pipefail
export PGOPTIONS="-c client_min_messages=warning"
default=$(sed -n "s/^default_version = '\(.*\)'/\1/p" conversions.control)
mapfile -t old < <(ls conversions--*.sql | sed -n 's/^conversions--\([^-]*\)\.sql$/\1/p' | grep -vx "${default}")
if [ "${#old[@]}" -eq 0 ]; then
    echo "not ok - no older install script than ${default}: the upgrade path is untested"
    exit 1
fi

ext_objects="(SELECT objid FROM pg_depend
               WHERE refclassid = 'pg_extension'::regclass AND deptype = 'e'
                 AND refobjid = (SELECT oid FROM pg_extension WHERE extname = 'conversions'))"
catalog_query="
SELECT 'function', p.oid::regprocedure::text, p.provolatile::text, p.proisstrict::text,
       p.proparallel::text, p.prosecdef::text, p.prosrc, p.prorettype::regtype::text
       || ' ' || concat_ws(' ', p.proretset, p.procost, p.prorows, p.proleakproof)
       || ' (' || pg_get_function_arguments(p.oid) || ') -> ' || pg_get_function_result(p.oid)
FROM pg_proc p WHERE p.oid IN ${ext_objects}
UNION ALL
SELECT 'aggregate', a.aggfnoid::regprocedure::text, a.aggtransfn::text, a.aggfinalfn::text,
       a.aggcombinefn::text, a.aggserialfn::text || '/' || a.aggdeserialfn::text,
       a.aggfinalmodify::text, a.aggtranstype::regtype::text
       || ' ' || concat_ws(' ', a.aggkind, a.aggnumdirectargs, a.aggtransspace,
                           quote_nullable(a.agginitval), a.aggfinalextra, a.aggsortop::regoperator,
                           a.aggmtransfn, a.aggminvtransfn, a.aggmfinalfn, a.aggmtranstype::regtype)
FROM pg_aggregate a WHERE a.aggfnoid IN ${ext_objects}
UNION ALL
SELECT 'type', t.oid::regtype::text, t.typinput::text, t.typoutput::text, t.typreceive::text,
       t.typsend::text, t.typstorage::text, t.typalign::text
FROM pg_type t WHERE t.oid IN ${ext_objects}
ORDER BY 1, 2"

# the values and what is computed from them, as one text to compare
observe_query="
SELECT 'text', t, v FROM (
  SELECT 'funnel' AS t, x::text AS v FROM f UNION ALL
  SELECT 'attribution', x::text FROM a UNION ALL
  SELECT 'lift', x::text FROM l) s
UNION ALL
SELECT 'binary', t, v FROM (
  SELECT 'funnel' AS t, encode(funnel_send(x), 'hex') AS v FROM f UNION ALL
  SELECT 'attribution', encode(attribution_send(x), 'hex') FROM a UNION ALL
  SELECT 'lift', encode(lift_send(x), 'hex') FROM l) s
UNION ALL
SELECT 'funnel_steps', '', s::text FROM funnel_steps((SELECT rollup(x) FROM f)) s
UNION ALL
SELECT 'attribution_touches', '', r::text FROM attribution_touches((SELECT rollup(x) FROM a)) r
UNION ALL
SELECT 'lift_rollup', '', r::text || ' ' || entities(r) || ' ' || converted_entities(r)
FROM (SELECT rollup(x) AS r FROM l) s
UNION ALL
SELECT 'lift_view', u::text, x::text FROM mv_lift
UNION ALL
SELECT 'view', day::text, fv::text || ' ' || av::text || ' ' || lv::text FROM mv
ORDER BY 1, 2, 3"

setup="
CREATE TABLE events (u int, ts timestamptz, e text, amount float8);
INSERT INTO events
SELECT u, timestamptz '2026-01-01' + ((u * 37 + k * 101) % 2880) * interval '1 minute',
       (ARRAY['view', 'ad', 'cart', 'buy'])[1 + (u + k) % 4], 10 + (u * k) % 90
FROM generate_series(1, 60) u, generate_series(1, 8) k;
CREATE TABLE f AS
  SELECT u, date_trunc('day', min(ts)) AS day,
         funnel_agg(interval '1 day', ts, e, ARRAY['view', 'cart', 'buy']) AS x
  FROM events GROUP BY u;
CREATE TABLE a AS
  SELECT u, date_trunc('day', min(ts)) AS day,
         attribution_agg(interval '1 day', 'time_decay, half_life=6 hours', ts,
                         CASE WHEN e = 'ad' THEN 'ad' || u % 3 END, e = 'buy', amount) AS x
  FROM events GROUP BY u;
CREATE TABLE l AS
  SELECT u, date_trunc('day', min(ts)) AS day, lift_agg(ts, e, e = 'buy') AS x
  FROM events GROUP BY u;
CREATE MATERIALIZED VIEW mv_lift AS
  SELECT u, lift_agg(ts, e, e = 'buy') AS x FROM events GROUP BY u;
CREATE MATERIALIZED VIEW mv AS
  SELECT f.day, entities(rollup(f.x)) AS fv,
         (SELECT conversions(rollup(a.x)) FROM a WHERE a.day = f.day) AS av,
         (SELECT entities(rollup(l.x)) FROM l WHERE l.day = f.day) AS lv
  FROM f GROUP BY f.day;"

# 0.1.0 took funnel_agg's hold and breakdown as two text arguments; 0.2.0
# keeps those forms (so these views still load) but makes them an error
# with a hint to write hold_by(...) and breakdown_by(...): on the first row
# (the named form) and without rows (the boolean form's final function)
untyped_views="
CREATE VIEW untyped_named AS
  SELECT u, max_step(funnel_agg(interval '1 day', '', ts, e, ARRAY['view', 'cart'], e, NULL)) AS level
  FROM events GROUP BY u;
CREATE VIEW untyped_boolean_empty AS
  SELECT funnel_agg(interval '1 day', 'breakdown=last_touch', ts, NULL, e, e = 'view', e = 'cart') AS f
  FROM events WHERE false;"
untyped_check="
DO \$\$
DECLARE
    hint text;
    n int;
BEGIN
    FOREACH n IN ARRAY ARRAY[1, 2] LOOP
        BEGIN
            IF n = 1 THEN PERFORM * FROM untyped_named; ELSE PERFORM * FROM untyped_boolean_empty; END IF;
            RAISE EXCEPTION 'view % using a 0.1.0 text form ran without an error', n;
        EXCEPTION WHEN undefined_function THEN
            GET STACKED DIAGNOSTICS hint = PG_EXCEPTION_HINT;
            IF hint NOT LIKE '%hold_by(product), breakdown_by(channel)%' THEN
                RAISE EXCEPTION 'view %: unexpected hint %', n, hint;
            END IF;
        END;
    END LOOP;
END \$\$;"

psql -X -q -d postgres -c "DROP DATABASE IF EXISTS conversions_fresh" -c "CREATE DATABASE conversions_fresh"
psql -X -q -d conversions_fresh -c "CREATE EXTENSION conversions"
fresh=$(psql -X -At -d conversions_fresh -c "${catalog_query}")
psql -X -q -d postgres -c "DROP DATABASE conversions_fresh"
status=0
n=0
report() {
    n=$((n + 1))
    if [ "$1" = ok ]; then echo "ok ${n} - $2"; else echo "not ok ${n} - $2"; status=1; fi
}
for v in "${old[@]}"; do
    db=conversions_upgrade
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${db}" -c "CREATE DATABASE ${db}"
    if ! psql -X -q -d "${db}" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION conversions VERSION '${v}'" \
            -c "${setup}"; then
        report fail "${v}: install and store values"
        continue
    fi
    if [ "${v}" = 0.1.0 ] &&
       ! psql -X -q -At -d "${db}" -v ON_ERROR_STOP=1 -c "${untyped_views}" \
            -c "SELECT count(*) FROM untyped_named" -c "SELECT count(*) FROM untyped_boolean_empty" >/dev/null; then
        report fail "${v}: views over funnel_agg's text hold and breakdown forms"
    fi
    before=$(psql -X -At -d "${db}" -v ON_ERROR_STOP=1 -c "${observe_query}")
    rows=$(echo "${before}" | wc -l)
    if psql -X -q -d "${db}" -v ON_ERROR_STOP=1 -c "ALTER EXTENSION conversions UPDATE" &&
       [ "$(psql -X -At -d "${db}" -c "SELECT extversion FROM pg_extension WHERE extname = 'conversions'")" = "${default}" ]; then
        report ok "ALTER EXTENSION conversions UPDATE from ${v} to ${default}"
    else
        report fail "ALTER EXTENSION conversions UPDATE from ${v} to ${default}"
        continue
    fi
    after=$(psql -X -q -At -d "${db}" -v ON_ERROR_STOP=1 -c "REFRESH MATERIALIZED VIEW mv" -c "${observe_query}")
    if [ "${before}" = "${after}" ] && [ "${rows}" -gt 100 ]; then
        report ok "${v} -> ${default}: ${rows} observations of the stored values (text, binary, rollups, reports, refreshed view) unchanged"
    else
        diff <(echo "${before}") <(echo "${after}") | head -20
        report fail "${v} -> ${default}: stored values read, merge or report differently (${rows} observations)"
    fi
    if [ "${v}" = 0.1.0 ]; then
        if psql -X -q -d "${db}" -v ON_ERROR_STOP=1 -c "${untyped_check}"; then
            report ok "${v} -> ${default}: stored views over funnel_agg's text hold and breakdown forms load and give the error with the hint (42883), with and without rows"
        else
            report fail "${v} -> ${default}: stored views over funnel_agg's text hold and breakdown forms"
        fi
    fi
    # lift_report on the stored version-1 values: the documented error
    out=$(psql -X -q -At -v VERBOSITY=verbose -d "${db}" -c "SELECT * FROM lift_report((SELECT rollup(x) FROM l))" 2>&1)
    if echo "${out}" | grep -q "^ERROR:  0A000: lift value was computed with the before-first-conversion rule of conversions 0.1.0, which is biased against frequent micro-conversions" &&
       echo "${out}" | grep -q "^HINT:  Compute lift values with lift_agg(landmark, ts, micro, is_conversion)"; then
        report ok "${v} -> ${default}: lift_report on stored 0.1.0 lift values fails with 0A000 and the hint to recompute"
    else
        echo "${out}" | head -5
        report fail "${v} -> ${default}: lift_report on stored 0.1.0 lift values does not give the documented error"
    fi
    # a view that calls 0.1.0's lift_agg(ts, micro, is_conversion): kept, but refreshing it fails
    out=$(psql -X -q -At -v VERBOSITY=verbose -d "${db}" -c "REFRESH MATERIALIZED VIEW mv_lift" 2>&1)
    kept=$(psql -X -At -d "${db}" -c "SELECT count(*) FROM mv_lift WHERE x::text LIKE '{\"version\": 1,%'")
    if echo "${out}" | grep -q "^ERROR:  0A000: lift_agg(ts, micro, is_conversion) uses the before-first-conversion rule of conversions 0.1.0" &&
       echo "${out}" | grep -q "^HINT:  Compute lift values with lift_agg(landmark, ts, micro, is_conversion)" &&
       [ "${kept}" = 60 ]; then
        report ok "${v} -> ${default}: a view using 0.1.0's lift_agg(ts, micro, is_conversion) survives the update with its 60 rows; refreshing it fails with 0A000"
    else
        echo "${out}" | head -5
        report fail "${v} -> ${default}: a view using 0.1.0's lift_agg(ts, micro, is_conversion): refresh gave no documented error, or its ${kept} stored rows are not the 60 version-1 values"
    fi
    # the landmark design after the update: version-2 values and a report
    out=$(psql -X -At -d "${db}" -v ON_ERROR_STOP=1 -c "
        SELECT (SELECT count(*) FROM lift_report(r)) || ' ' || entities(r) + converted_before_landmark(r)
               || ' ' || (r::text LIKE '{\"version\": 2, \"landmark\": \"1 day\",%')
        FROM (SELECT rollup(x) AS r
              FROM (SELECT lift_agg(interval '1 day', ts, CASE WHEN e <> 'buy' THEN e END, e = 'buy') AS x
                    FROM events GROUP BY u) s) t" 2>&1)
    if [ "${out}" = "3 60 true" ]; then
        report ok "${v} -> ${default}: lift_agg(landmark, ...) after the update: a version-2 value of 60 entities, a report on 3 labels"
    else
        report fail "${v} -> ${default}: lift_agg(landmark, ...) after the update gave \"${out}\", not \"3 60 true\""
    fi
    catalog=$(psql -X -At -d "${db}" -c "${catalog_query}")
    if [ "${catalog}" = "${fresh}" ]; then
        report ok "${v} -> ${default}: catalog ($(echo "${catalog}" | wc -l) functions, aggregates and types) equals a fresh ${default} install"
    else
        diff <(echo "${fresh}") <(echo "${catalog}") | head -20
        report fail "${v} -> ${default}: catalog differs from a fresh ${default} install"
    fi
    psql -X -q -d postgres -c "DROP DATABASE ${db}"
done
echo "1..${n}"
exit "${status}"
