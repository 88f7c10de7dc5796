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

-- argument names: every user-facing function and aggregate names each of
-- its input arguments, so that \df, tools and hints say what each one is
-- (aggregates cannot be called with named arguments, but show the names).
-- The rule for what may stay unnamed: support functions, that is those a
-- type of the extension uses for I/O or an aggregate of the extension uses
-- as its transition, final, combine, serialize or deserialize function.
CREATE TEMP VIEW ext_user_procs AS
SELECT p.oid, p.signature, p.prokind
FROM ext_procs p
WHERE NOT EXISTS (SELECT 1 FROM pg_type t
                  WHERE p.oid IN (t.typinput::oid, t.typoutput::oid, t.typreceive::oid, t.typsend::oid))
  AND NOT EXISTS (SELECT 1 FROM pg_aggregate a
                  WHERE p.oid IN (a.aggtransfn::oid, a.aggfinalfn::oid, a.aggcombinefn::oid,
                                  a.aggserialfn::oid, a.aggdeserialfn::oid, a.aggmtransfn::oid,
                                  a.aggminvtransfn::oid, a.aggmfinalfn::oid));

-- user-facing functions and aggregates with an input argument without a name
SELECT u.signature AS unnamed_argument_in
FROM ext_user_procs u JOIN pg_proc p ON p.oid = u.oid
WHERE EXISTS (SELECT 1 FROM generate_series(1, coalesce(array_length(p.proallargtypes, 1), p.pronargs)) i
              WHERE coalesce(p.proargmodes[i], 'i') IN ('i', 'b', 'v')
                AND coalesce(p.proargnames[i], '') = '')
ORDER BY u.signature COLLATE "C";

-- what \df shows for them: a = aggregate, f = function
SELECT u.prokind AS kind, p.proname AS name, pg_get_function_arguments(u.oid) AS arguments
FROM ext_user_procs u JOIN pg_proc p ON p.oid = u.oid
ORDER BY u.signature COLLATE "C";

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
