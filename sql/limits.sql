-- Limits: conversions.max_group_events refuses a group over it in every
-- aggregate that keeps its rows (and lift_agg, which keeps one entry per
-- label, is not limited by rows); conversions.max_group_events_limit is an
-- administrator's cap on it that a user cannot undo; statement_timeout
-- cancels a final function that would run for minutes.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
\i test/lib/expect_error.sql

CREATE TEMP TABLE big AS
SELECT g, timestamptz '2026-01-01' + g * interval '1 second' AS ts FROM generate_series(1, 1001) g;

SET conversions.max_group_events = 1000;
SELECT v.what, s.* FROM (VALUES
  ('window_funnel', $$SELECT window_funnel('1 day', ts, g % 2 = 0, g % 2 = 1) FROM big$$),
  ('funnel_agg', $$SELECT funnel_agg('1 day', ts, CASE WHEN g % 2 = 0 THEN 'a' ELSE 'b' END, ARRAY['a', 'b']) FROM big$$),
  ('sequence_count', $$SELECT sequence_count('(?1)(?2)', ts, g % 2 = 0, g % 2 = 1) FROM big$$),
  ('attribution_agg', $$SELECT attribution_agg('1 day', 'linear', ts, 't', g % 10 = 0) FROM big$$),
  ('sequence_next_node', $$SELECT sequence_next_node('forward', 'head', ts, g::text, true, true) FROM big$$),
  ('1,000 rows: at the limit', $$SELECT window_funnel('1 day', ts, true) FROM big WHERE g <= 1000$$),
  ('lift_agg: one entry per label', $$SELECT lift_agg('1 day', ts, 'm' || g % 3, g % 10 = 0) FROM big$$)
) v(what, stmt), pg_temp.expect_error(v.stmt) s;
SELECT * FROM pg_temp.expect_error($$SET conversions.max_group_events = 0$$);
RESET conversions.max_group_events;
SHOW conversions.max_group_events;

-- 100,000 conversions each split over 10,000 touches (time_decay sorts
-- them): minutes of work in the final function, cancelled after 1 second
SET statement_timeout = '1s';
SELECT attribution_agg('1 year', 'time_decay, max_touches=10000', ts,
                       CASE WHEN g % 2 = 0 THEN 't' || g % 97 END, g % 2 = 1)
FROM (SELECT g, timestamptz '2026-01-01' + g * interval '1 second' AS ts
      FROM generate_series(1, 200000) g) s;
RESET statement_timeout;

-- conversions.max_group_events_limit caps conversions.max_group_events
-- (the limit in force is the smaller of the two); only a superuser can
-- change it.  pg_regress runs as a superuser: the user part runs as a role.
SHOW conversions.max_group_events_limit;
CREATE ROLE regress_conversions_analyst;
GRANT SELECT ON big TO regress_conversions_analyst;
SET conversions.max_group_events_limit = 1000;
SET ROLE regress_conversions_analyst;
-- a user can read the cap, but not raise, reset or store it
SHOW conversions.max_group_events_limit;
SET conversions.max_group_events_limit = 2000;
\echo :LAST_ERROR_SQLSTATE
RESET conversions.max_group_events_limit;
\echo :LAST_ERROR_SQLSTATE
ALTER ROLE CURRENT_USER SET conversions.max_group_events_limit = 2000;
\echo :LAST_ERROR_SQLSTATE
-- nor set their own setting above it, in any way
SET conversions.max_group_events = 1001;
\echo :LAST_ERROR_SQLSTATE
SELECT set_config('conversions.max_group_events', '67108861', false);
\echo :LAST_ERROR_SQLSTATE
SHOW conversions.max_group_events;
-- up to the cap, lower, and back to the default (the cap then applies)
SET conversions.max_group_events = 1000;
SET conversions.max_group_events = 500;
SHOW conversions.max_group_events;
SELECT window_funnel('1 day', ts, true) FROM big WHERE g <= 500;
SELECT window_funnel('1 day', ts, true) FROM big WHERE g <= 501;
\echo :LAST_ERROR_SQLSTATE
RESET conversions.max_group_events;
SHOW conversions.max_group_events;
SELECT window_funnel('1 day', ts, true) FROM big WHERE g <= 1000;
SELECT window_funnel('1 day', ts, true) FROM big;
-- a value stored for later is checked where it is used: a notice now
ALTER ROLE CURRENT_USER SET conversions.max_group_events = 5000;
RESET ROLE;
SELECT setconfig FROM pg_db_role_setting WHERE setrole = 'regress_conversions_analyst'::regrole;
REVOKE SELECT ON big FROM regress_conversions_analyst;

-- the superuser changes the cap; lowering it under a value already set is
-- no error, and the cap applies
SET conversions.max_group_events_limit = 67108861;
SET conversions.max_group_events = 5000;
SET conversions.max_group_events_limit = 1000;
SELECT current_setting('conversions.max_group_events') AS setting,
       current_setting('conversions.max_group_events_limit') AS cap;
SELECT window_funnel('1 day', ts, true) FROM big;
-- and in a parallel worker, which takes both values from this session
SELECT set_config(CASE WHEN current_setting('server_version_num')::int >= 160000
                       THEN 'debug_parallel_query' ELSE 'force_parallel_mode' END, 'on', false) AS parallel;
EXPLAIN (COSTS OFF)
SELECT window_funnel('1 day', timestamptz '2026-01-01' + g * interval '1 second', true) FROM generate_series(1, 1001) g;
SELECT window_funnel('1 day', timestamptz '2026-01-01' + g * interval '1 second', true) FROM generate_series(1, 1000) g;
SELECT window_funnel('1 day', timestamptz '2026-01-01' + g * interval '1 second', true) FROM generate_series(1, 1001) g;
RESET ALL;

-- A SET before the library is loaded in a session is kept by the server
-- and checked when the library loads: a user's cap and a setting above the
-- cap are refused with warnings, and the database's cap stays.
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET conversions.max_group_events_limit = 1000', current_database()); END $$;
\c
SET ROLE regress_conversions_analyst;
SET conversions.max_group_events_limit = 5000;
SET conversions.max_group_events = 5000;
SELECT window_funnel('1 day', timestamptz '2026-01-01', true);
SHOW conversions.max_group_events_limit;
SHOW conversions.max_group_events;
RESET ROLE;
DO $$ BEGIN EXECUTE format('ALTER DATABASE %I RESET conversions.max_group_events_limit', current_database()); END $$;
DROP ROLE regress_conversions_analyst;
