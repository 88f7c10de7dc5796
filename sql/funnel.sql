-- funnel_agg, rollup and the accessors on hand-checked cases
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET TimeZone = 'UTC';

CREATE TEMP TABLE ev (uid int, ts timestamptz, event text);
INSERT INTO ev VALUES
  -- 1: the whole funnel: cart after 5 min, checkout after 30, purchase after 60
  (1, '2026-03-02 10:00', 'view'), (1, '2026-03-02 10:05', 'cart'),
  (1, '2026-03-02 10:30', 'checkout'), (1, '2026-03-02 11:00', 'purchase'),
  -- 2: two views; the later one is the start of the reported chain
  (2, '2026-03-02 10:00', 'view'), (2, '2026-03-02 11:00', 'view'),
  (2, '2026-03-02 11:10', 'cart'),
  -- 3: step 2 is first reached by the 10:00 chain, step 3 by the 10:30 one
  (3, '2026-03-02 10:00', 'view'), (3, '2026-03-02 10:20', 'cart'),
  (3, '2026-03-02 10:30', 'view'), (3, '2026-03-02 10:40', 'cart'),
  (3, '2026-03-02 10:50', 'checkout'),
  -- 4: never entered the funnel
  (4, '2026-03-02 10:00', 'cart'), (4, '2026-03-02 10:01', 'search'),
  -- 5: the cart comes after the one-day window
  (5, '2026-03-02 10:00', 'view'), (5, '2026-03-04 10:00', 'cart'),
  -- 6: view and cart at the same instant: a time of zero
  (6, '2026-03-02 10:00', 'view'), (6, '2026-03-02 10:00', 'cart'),
  -- 7: NULL timestamps are ignored, NULL events match no step
  (7, NULL, 'view'), (7, '2026-03-02 10:00', NULL), (7, '2026-03-02 10:01', 'view');

CREATE TEMP VIEW per_user AS
SELECT uid,
       funnel_agg('1 day', ts, event = 'view', event = 'cart',
                  event = 'checkout', event = 'purchase') AS f,
       window_funnel('1 day', ts, event = 'view', event = 'cart',
                     event = 'checkout', event = 'purchase') AS level
FROM ev GROUP BY uid;

-- one-entity funnels: the step reached and the times from step 1 (microseconds)
SELECT uid, level, max_step(f), entities(f), f FROM per_user ORDER BY uid;
-- their size: a 32-byte header, the 8-byte entry time once a step is reached,
-- and 8 bytes per step reached beyond the first
SELECT uid, max_step(f), pg_column_size(f) FROM per_user ORDER BY uid;

-- the report over all users
SELECT s.* FROM (SELECT rollup(f) AS f FROM per_user) t, funnel_steps(t.f) s;
SELECT entities(f), reached(f, 1), reached(f, 4),
       conversion_rate(f, 1, 4), conversion_rate(f, 2, 3), conversion_rate(f, 2, 2),
       time_to_convert(f, 1, 2, 0), time_to_convert(f, 1, 2, 1),
       time_to_convert(f, 2, 3, 0.5), time_to_convert(f, 1, 3, 0.5),
       time_to_convert(f, 3, 4, 0.5)
FROM (SELECT rollup(f) AS f FROM per_user) t;
-- a step nobody reached: rates from it and times to it are NULL
SELECT conversion_rate(f, 4, 4) IS NULL AS rate_null,
       time_to_convert(f, 3, 4, 0.5) IS NULL AS time_null
FROM (SELECT rollup(f) AS f FROM per_user WHERE uid <> 1) t;
-- accessors on a one-entity funnel are exact
SELECT time_to_convert(f, 1, 4, 0.5), time_to_convert(f, 3, 4, 0.9), reached(f, 4)
FROM per_user WHERE uid = 1;
-- the merged value: counts, exact min/max/sum and sparse sketch buckets
SELECT rollup(f) FROM per_user;

-- rollup: of one funnel is that funnel without its entry time (rollup results
-- describe populations); NULL funnels are skipped; no rows give NULL
SELECT (SELECT rollup(f) FROM per_user WHERE uid = 1)::text::jsonb
       = f::text::jsonb - 'entry' - 'entry_type' AS same,
       entry_time((SELECT rollup(f) FROM per_user WHERE uid = 1)) AS rollup_entry
FROM per_user WHERE uid = 1;
SELECT entities(rollup(f)) FROM (SELECT f FROM per_user UNION ALL SELECT NULL) s;
SELECT rollup(f) IS NULL AS empty FROM per_user WHERE false;
-- rollup of rollups equals the rollup of all (by text)
SELECT (SELECT rollup(g) FROM (SELECT rollup(f) AS g FROM per_user GROUP BY uid % 3) s)::text
     = (SELECT rollup(f) FROM per_user)::text AS same;

-- steps named by event: the names become labels; a name may repeat
SELECT uid, funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
FROM ev WHERE uid IN (1, 4, 7) GROUP BY uid ORDER BY uid;
SELECT s.* FROM (SELECT rollup(f) AS f FROM (
    SELECT funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
    FROM ev GROUP BY uid) u) t, funnel_steps(t.f) s;
SELECT max_step(funnel_agg('1 day', ts, event, ARRAY['view', 'view'])) AS view_twice
FROM ev WHERE uid = 2;
-- timestamp without time zone, and the mode forms
SELECT uid, max_step(funnel_agg('1 day', ts::timestamp, event = 'view', event = 'cart')) AS plain,
       max_step(funnel_agg('1 day', ts::timestamp, event, ARRAY['view', 'cart'])) AS named,
       max_step(funnel_agg('1 day', 'strict_order', ts, event = 'view', event = 'cart')) AS strict_order
FROM ev GROUP BY uid ORDER BY uid;

-- Which chain is reported (doc/reference.md): the one that reached the highest step
-- first; among those reaching it at that instant, the latest start; each
-- earlier step the latest event the chain could use.
CREATE TEMP TABLE rule (case_name text, ts int, step int);
INSERT INTO rule VALUES
  -- two complete chains: 0->2 reaches step 2 first; 3->4 is shorter but later
  ('first to reach', 0, 1), ('first to reach', 2, 2), ('first to reach', 3, 1),
  ('first to reach', 4, 2),
  -- both starts reach step 2 at 6: the later start (4) is reported
  ('latest start', 0, 1), ('latest start', 4, 1), ('latest start', 6, 2),
  -- step 2 at 1 and at 3 before step 3 at 5: the chain uses step 2 at 3
  ('latest step', 0, 1), ('latest step', 1, 2), ('latest step', 3, 2), ('latest step', 5, 3);
SELECT case_name, f::text::jsonb -> 'time_from_first_us' AS time_from_first_us
FROM (SELECT case_name,
             funnel_agg('1 minute', to_timestamp(ts), step = 1, step = 2, step = 3) AS f
      FROM rule GROUP BY case_name) s ORDER BY case_name;

-- ClickHouse defects that window_funnel keeps and funnel_agg corrects
CREATE TEMP TABLE defect (case_name text, ts int, ev text);
INSERT INTO defect VALUES
  -- strict_increase: a@1, a@2, b@2: the chain a@1 -> b@2 exists
  ('strict_increase', 1, 'a'), ('strict_increase', 2, 'a'), ('strict_increase', 2, 'b'),
  -- strict_deduplication: the repeated b ends that chain only
  ('strict_deduplication', 1, 'a'), ('strict_deduplication', 2, 'b'),
  ('strict_deduplication', 3, 'b'), ('strict_deduplication', 4, 'a'),
  ('strict_deduplication', 5, 'b'), ('strict_deduplication', 6, 'c'),
  -- strict_deduplication: the second b repeats the first chain's step, not the second's
  ('strict_deduplication, two chains', 1, 'a'), ('strict_deduplication, two chains', 2, 'b'),
  ('strict_deduplication, two chains', 3, 'a'), ('strict_deduplication, two chains', 4, 'b'),
  ('strict_deduplication, two chains', 5, 'c'),
  -- strict_deduplication: a repeat right after the step still ends that chain
  ('strict_deduplication, repeat', 1, 'a'), ('strict_deduplication, repeat', 2, 'b'),
  ('strict_deduplication, repeat', 3, 'b'), ('strict_deduplication, repeat', 4, 'c'),
  -- strict_order: an unrelated event long after the first chain's window
  ('strict_order', 1, 'a'), ('strict_order', 2, 'b'), ('strict_order', 100, 'x'),
  ('strict_order', 101, 'a'), ('strict_order', 102, 'b'), ('strict_order', 103, 'c');
SELECT case_name,
       window_funnel('10 seconds', split_part(case_name, ',', 1), to_timestamp(ts), ev = 'a', ev = 'b', ev = 'c') AS window_funnel,
       max_step(funnel_agg('10 seconds', split_part(case_name, ',', 1), to_timestamp(ts), ev = 'a', ev = 'b', ev = 'c')) AS funnel_agg
FROM defect GROUP BY case_name ORDER BY case_name;

-- strict_deduplication ends only the chain whose last step is repeated: the
-- chain a@1 b@2 c@3 goes on to d@14 although the newer chain a@11 b@12 is
-- ended by b@13 (window_funnel, as ClickHouse, stops the walk at b@13)
SELECT window_funnel('20 seconds', 'strict_deduplication', to_timestamp(ts),
                     ev = 'a', ev = 'b', ev = 'c', ev = 'd') AS window_funnel,
       funnel_agg('20 seconds', 'strict_deduplication', to_timestamp(ts),
                  ev = 'a', ev = 'b', ev = 'c', ev = 'd')::text::jsonb -> 'time_from_first_us' AS funnel_agg_times
FROM (VALUES (1, 'a'), (2, 'b'), (3, 'c'), (11, 'a'), (12, 'b'), (13, 'b'), (14, 'd')) v(ts, ev);

-- one step; and a funnel where every step is at the same instant
SELECT max_step(funnel_agg('1 day', ts, event = 'view')) AS one_step,
       funnel_agg('0', ts, true, true, true)::text::jsonb -> 'time_from_first_us' AS zeros
FROM ev WHERE uid = 1;
-- a running rollup (the aggregate as a window function)
SELECT uid, entities(rollup(f) OVER (ORDER BY uid)), reached(rollup(f) OVER (ORDER BY uid), 2)
FROM per_user ORDER BY uid;
