-- The start of every pgTAP suite: quiet unaligned output for pg_prove, stop
-- at the first error, and a transaction (rolled back at the end of the
-- suite) with pgTAP and the extension installed.
\set ON_ERROR_STOP 1
\set QUIET 1
\pset format unaligned
\pset tuples_only on
\pset pager off
SET client_min_messages = warning;
BEGIN;
CREATE EXTENSION IF NOT EXISTS pgtap;
CREATE EXTENSION IF NOT EXISTS conversions;
