-- Limits: conversions.max_group_events refuses a group over it in every
-- aggregate that keeps its rows (and lift_agg, which keeps one entry per
-- label, is not limited by rows); statement_timeout cancels a final
-- function that would run for minutes.
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
