-- conversions 0.1.0 -> 0.2.0: upgrade script
\echo Use "ALTER EXTENSION conversions UPDATE TO '0.2.0'" to load this file. \quit

-- Every change to the SQL surface or to a stored format after the 0.1.0
-- release goes here, and into conversions--0.2.0.sql, so that
-- ALTER EXTENSION conversions UPDATE leaves a database exactly as a fresh
-- 0.2.0 install (test/upgrade/upgrade.sh checks it with stored values).
-- None yet: 0.2.0 is in development.
