#!/usr/bin/env bash
# Upgrades: for every older version V with an install script
# (conversions--V.sql), create the extension at V, store a funnel, an
# attribution and a lift value (those V has), run ALTER EXTENSION
# conversions UPDATE, and check that the values read back with the same
# text and that the catalog listing (sql/catalog.sql's queries) equals a
# fresh install's.  With no older version (0.1.0 is the first), it says so.
# Needs a running server (PG* variables); run from the repo root.
set -uo pipefail
export PGOPTIONS="-c client_min_messages=warning"
default=$(sed -n "s/^default_version = '\(.*\)'/\1/p" conversions.control)
mapfile -t old < <(ls conversions--*.sql | sed -n 's/^conversions--\([^-]*\)\.sql$/\1/p' | grep -vx "${default}")
if [ "${#old[@]}" -eq 0 ]; then
    echo "ok - ${default} is the only version: no upgrade path to test yet"
    exit 0
fi
catalog_query="SELECT p.oid::regprocedure::text, p.provolatile, p.proisstrict, p.proparallel
               FROM pg_depend d JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
               WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
                 AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'conversions')
               ORDER BY 1"
values_query="SELECT t, v FROM stored ORDER BY t"
psql -X -q -d postgres -c "DROP DATABASE IF EXISTS conversions_fresh" -c "CREATE DATABASE conversions_fresh"
psql -X -q -d conversions_fresh -c "CREATE EXTENSION conversions"
fresh=$(psql -X -At -d conversions_fresh -c "${catalog_query}")
status=0
for v in "${old[@]}"; do
    db=conversions_upgrade
    psql -X -q -d postgres -c "DROP DATABASE IF EXISTS ${db}" -c "CREATE DATABASE ${db}"
    psql -X -q -d "${db}" -v ON_ERROR_STOP=1 -c "CREATE EXTENSION conversions VERSION '${v}'" -c "
        CREATE TABLE stored (t text, v text);
        CREATE TABLE events (u int, ts timestamptz, e text);
        INSERT INTO events VALUES (1, '2026-01-01 10:00', 'a'), (1, '2026-01-01 10:05', 'b'), (2, '2026-01-01 11:00', 'a');
        DO \$\$ BEGIN
          IF to_regtype('funnel') IS NOT NULL THEN
            CREATE TABLE f AS SELECT funnel_agg('1 day', ts, e = 'a', e = 'b') AS x FROM events GROUP BY u;
            INSERT INTO stored SELECT 'funnel', x::text FROM f;
          END IF;
          IF to_regtype('attribution') IS NOT NULL THEN
            CREATE TABLE a AS SELECT attribution_agg('1 day', 'linear', ts, e, e = 'b') AS x FROM events GROUP BY u;
            INSERT INTO stored SELECT 'attribution', x::text FROM a;
          END IF;
          IF to_regtype('lift') IS NOT NULL THEN
            CREATE TABLE l AS SELECT lift_agg(ts, e, e = 'b') AS x FROM events GROUP BY u;
            INSERT INTO stored SELECT 'lift', x::text FROM l;
          END IF;
        END \$\$;" || status=1
    before=$(psql -X -At -d "${db}" -c "${values_query}")
    psql -X -q -d "${db}" -v ON_ERROR_STOP=1 -c "ALTER EXTENSION conversions UPDATE" || status=1
    after=$(psql -X -At -d "${db}" -c "SELECT t, x::text FROM (SELECT 'funnel' AS t, x::text AS x FROM f
                                      UNION ALL SELECT 'attribution', x::text FROM a
                                      UNION ALL SELECT 'lift', x::text FROM l) s ORDER BY t" 2>/dev/null ||
            psql -X -At -d "${db}" -c "${values_query}")
    catalog=$(psql -X -At -d "${db}" -c "${catalog_query}")
    if [ "${before}" != "${after}" ] || [ "${catalog}" != "${fresh}" ]; then
        echo "not ok - upgrade from ${v} to ${default}"
        status=1
    else
        echo "ok - upgrade from ${v} to ${default}: values and catalog as a fresh install"
    fi
    psql -X -q -d postgres -c "DROP DATABASE ${db}"
done
psql -X -q -d postgres -c "DROP DATABASE conversions_fresh"
exit "${status}"
