-- Every function, aggregate and type of the extension with the markings
-- that are part of its contract: volatility, strictness, parallel safety,
-- security, language; for aggregates their combine and serialization
-- functions; for types their alignment, storage and binary I/O.  Any change
-- shows up here and has to be deliberate.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;

CREATE TEMP VIEW ext_procs AS
SELECT p.oid, p.oid::regprocedure::text AS signature, p.prokind, p.provolatile, p.proisstrict,
       p.proparallel, p.prosecdef, l.lanname, p.proconfig
FROM pg_depend d
JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid
JOIN pg_language l ON l.oid = p.prolang
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'conversions');

-- nothing runs with its owner's rights, sets configuration, or is not C
SELECT count(*) FILTER (WHERE prosecdef) AS security_definer,
       count(*) FILTER (WHERE proconfig IS NOT NULL) AS with_settings,
       count(*) FILTER (WHERE lanname NOT IN ('c', 'internal') AND prokind <> 'a') AS not_c,
       count(*) FILTER (WHERE proparallel <> 's') AS not_parallel_safe,
       count(*) AS total
FROM ext_procs;

-- functions: v = volatile, s = stable, i = immutable; strict; parallel
SELECT signature, provolatile AS vol, proisstrict AS strict, proparallel AS par
FROM ext_procs WHERE prokind = 'f' ORDER BY signature COLLATE "C";

-- aggregates: state type, final function and whether it may modify the
-- state, combine, serialize and deserialize
SELECT p.signature, a.aggtranstype::regtype AS stype, a.aggfinalfn AS final,
       a.aggfinalmodify AS final_modify, a.aggcombinefn AS combine,
       a.aggserialfn AS serial, a.aggdeserialfn AS deserial, p.proparallel AS par
FROM ext_procs p JOIN pg_aggregate a ON a.aggfnoid = p.oid
ORDER BY p.signature COLLATE "C";

-- types (not their array types, which PostgreSQL 17 also records as members)
SELECT t.typname, t.typlen, t.typalign, t.typstorage, t.typinput, t.typoutput, t.typreceive, t.typsend
FROM pg_depend d JOIN pg_type t ON d.classid = 'pg_type'::regclass AND d.objid = t.oid
WHERE d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'
  AND d.refobjid = (SELECT oid FROM pg_extension WHERE extname = 'conversions')
  AND t.typcategory <> 'A'
ORDER BY t.typname;

-- the control file's promises
SELECT extrelocatable FROM pg_extension WHERE extname = 'conversions';
SELECT version, trusted, superuser FROM pg_available_extension_versions WHERE name = 'conversions' ORDER BY version;
