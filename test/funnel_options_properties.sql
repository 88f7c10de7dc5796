-- pgTAP: properties of funnel_agg's options on generated data.  Each option
-- changes some users' results (non-vacuity) and only in the direction its
-- rule allows; exclusions (both rules) and entry=first agree with an
-- exhaustive enumeration of chains; attempts are valid chains; entry times
-- and breakdown values
-- point at real rows; rollup does not depend on the split; serial equals
-- forced parallel for every option; text and binary forms round-trip.
\ir lib/tap_begin.sql
\set users 4000
\set seed 23
\ir data/clickstream.sql

SELECT plan(36);

-- one column per option (as text, so that serial and parallel results
-- compare with results_eq); 'search' rows are the exclusion
CREATE VIEW per_user AS
SELECT user_id,
  funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase'])::text AS f,
  funnel_agg('1 day', 'exclude=search@2-4', ts, event,
             ARRAY['view', 'cart', 'checkout', 'purchase'])::text AS f_excl,
  funnel_agg('1 day', 'order=strict, exclude=search@2-4', ts, event,
             ARRAY['view', 'cart', 'checkout', 'purchase'])::text AS f_strict_excl,
  funnel_agg('1 day', 'order=any', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase'])::text AS f_any,
  funnel_agg('1 day', 'within=2:10 minutes, within=3:30 minutes, within=4:1 hour', ts, event,
             ARRAY['view', 'cart', 'checkout', 'purchase'])::text AS f_within,
  funnel_agg('1 day', 'within=2:10 minutes', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase'],
             hold_by(props ->> 'channel'), NULL)::text AS f_hold,
  funnel_agg('1 day', 'count=attempts, exclude=search@2-4', ts, event,
             ARRAY['view', 'cart', 'checkout', 'purchase'])::text AS f_attempts,
  funnel_agg('1 day', 'breakdown=last_touch', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase'],
             NULL, breakdown_by(props ->> 'campaign'))::text AS f_bd,
  funnel_agg('1 day', 'labels=view|cart|checkout|purchase, exclude=search@2-4', ts,
             hold_by(props ->> 'channel'), breakdown_by(props ->> 'campaign'),
             event = 'view', event = 'cart', event = 'checkout', event = 'purchase',
             event = 'search')::text AS f_bool,
  funnel_agg('1 day', 'exclude=search@2-4, exclusion=remove', ts, event,
             ARRAY['view', 'cart', 'checkout', 'purchase'])::text AS f_remove,
  funnel_agg('1 day', 'entry=first', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase'])::text AS f_first,
  min(ts) AS first_ts, max(ts) AS last_ts
FROM events GROUP BY user_id;

\ir lib/plan_of.sql

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT * FROM per_user;
CREATE TABLE pu AS
SELECT user_id, f::funnel AS f, f_excl::funnel AS f_excl, f_strict_excl::funnel AS f_strict_excl,
       f_any::funnel AS f_any, f_within::funnel AS f_within, f_hold::funnel AS f_hold,
       f_attempts::funnel AS f_attempts, f_bd::funnel AS f_bd, f_bool::funnel AS f_bool,
       f_remove::funnel AS f_remove, f_first::funnel AS f_first, first_ts, last_ts
FROM serial;
ANALYZE pu;
CREATE TEMP TABLE lv AS
SELECT user_id, max_step(f) AS f, max_step(f_excl) AS excl, max_step(f_strict_excl) AS strict_excl,
       max_step(f_any) AS any_order, max_step(f_within) AS within, max_step(f_hold) AS hold,
       max_step(f_bool) AS bool, max_step(f_remove) AS remove, max_step(f_first) AS first,
       (SELECT count(*) FILTER (WHERE r::bigint > 0)
        FROM jsonb_array_elements_text(f_attempts::text::jsonb -> 'reached') AS r) AS attempts_max,
       (f_attempts::text::jsonb -> 'reached' ->> 0)::bigint AS attempts
FROM pu;

-- 1. each option changes some results, and only in its direction
SELECT ok((SELECT count(*) FILTER (WHERE excl < f) > 0 AND count(*) FILTER (WHERE excl > f) = 0 FROM lv),
          'exclude=: some users reach less, none more');
SELECT ok((SELECT count(*) FILTER (WHERE strict_excl < excl) > 0 AND count(*) FILTER (WHERE strict_excl > excl) = 0 FROM lv),
          'order=strict with exclude=: some users reach less than ordered, none more');
SELECT ok((SELECT count(*) FILTER (WHERE any_order > f) > 0 AND count(*) FILTER (WHERE any_order < f) = 0 FROM lv),
          'order=any: some users reach more, none less');
SELECT ok((SELECT count(*) FILTER (WHERE within < f) > 0 AND count(*) FILTER (WHERE within > f) = 0 FROM lv),
          'within=: some users reach less, none more');
SELECT ok((SELECT count(*) FILTER (WHERE hold < within_2) > 0 AND count(*) FILTER (WHERE hold > within_2) = 0
           FROM lv JOIN (SELECT user_id, max_step(funnel_agg('1 day', 'within=2:10 minutes', ts, event,
                                                             ARRAY['view', 'cart', 'checkout', 'purchase'])) AS within_2
                         FROM events GROUP BY user_id) w USING (user_id)),
          'hold constant: some users reach less than without holding, none more');
SELECT is((SELECT count(*) FROM lv
           JOIN (SELECT user_id, max_step(funnel_agg('1 day', 'exclude=search@2-4', ts, event,
                                  ARRAY['view', 'cart', 'checkout', 'purchase'],
                                  hold_by(props ->> 'channel'), NULL)) AS named
                 FROM events GROUP BY user_id) n USING (user_id)
           WHERE bool IS DISTINCT FROM named),
          0::bigint, 'boolean and named forms agree under exclude= and hold');

-- 1b. exactness: the walk keeps one chain per level; an exhaustive
-- enumeration of every chain (recursive CTE) must find the same level
SELECT is((WITH RECURSIVE chains(user_id, lvl, t0, tprev, t2) AS (
             SELECT user_id, 1, ts, ts, NULL::timestamptz FROM events WHERE event = 'view'
             UNION
             SELECT c.user_id, c.lvl + 1, c.t0, e.ts, CASE WHEN c.lvl + 1 = 2 THEN e.ts ELSE c.t2 END
             FROM chains c JOIN events e ON e.user_id = c.user_id
              AND e.event = (ARRAY['view', 'cart', 'checkout', 'purchase'])[c.lvl + 1]
             WHERE c.lvl < 4 AND e.ts >= c.tprev AND e.ts - c.t0 <= interval '1 day'
               AND (c.lvl + 1 <> 3 OR e.ts - c.tprev <= interval '30 minutes')
               AND (c.lvl + 1 <> 4 OR NOT EXISTS (
                     SELECT 1 FROM events x WHERE x.user_id = c.user_id AND x.event = 'search'
                                              AND x.ts > c.t2 AND x.ts < e.ts)))
           SELECT count(*) FROM (
             SELECT user_id, max_step(funnel_agg('1 day', 'exclude=search@2-4, within=3:30 minutes', ts, event,
                                                 ARRAY['view', 'cart', 'checkout', 'purchase'])) AS lvl
             FROM events GROUP BY user_id) a
           LEFT JOIN (SELECT user_id, max(lvl) AS lvl FROM chains GROUP BY user_id) e USING (user_id)
           WHERE coalesce(e.lvl, 0) <> a.lvl),
          0::bigint, 'exclude= and within=: the level equals an exhaustive enumeration of chains');
SELECT is((WITH RECURSIVE ev AS (SELECT user_id, ts, event, props ->> 'channel' AS ch FROM events),
           chains(user_id, ch, lvl, t0, tprev, t2) AS (
             SELECT user_id, ch, 1, ts, ts, NULL::timestamptz FROM ev WHERE event = 'view'
             UNION
             SELECT c.user_id, c.ch, c.lvl + 1, c.t0, e.ts, CASE WHEN c.lvl + 1 = 2 THEN e.ts ELSE c.t2 END
             FROM chains c JOIN ev e ON e.user_id = c.user_id AND e.ch IS NOT DISTINCT FROM c.ch
              AND e.event = (ARRAY['view', 'cart', 'checkout', 'purchase'])[c.lvl + 1]
             WHERE c.lvl < 4 AND e.ts >= c.tprev AND e.ts - c.t0 <= interval '1 day'
               AND (c.lvl + 1 <> 2 OR e.ts - c.tprev <= interval '10 minutes')
               AND (c.lvl + 1 <> 4 OR NOT EXISTS (
                     SELECT 1 FROM ev x WHERE x.user_id = c.user_id AND x.ch IS NOT DISTINCT FROM c.ch
                                          AND x.event = 'search' AND x.ts > c.t2 AND x.ts < e.ts)))
           SELECT count(*) FROM (
             SELECT user_id, max_step(funnel_agg('1 day', 'exclude=search@2-4, within=2:10 minutes', ts, event,
                                                 ARRAY['view', 'cart', 'checkout', 'purchase'],
                                                 hold_by(props ->> 'channel'), NULL)) AS lvl
             FROM events GROUP BY user_id) a
           LEFT JOIN (SELECT user_id, max(lvl) AS lvl FROM chains GROUP BY user_id) e USING (user_id)
           WHERE coalesce(e.lvl, 0) <> a.lvl),
          0::bigint, 'hold with exclude= and within=: the level equals an exhaustive enumeration of same-channel chains');

-- 1c. exclusion=remove: a user reaches the drop_off level or no step; no
-- step exactly when the best chain without exclusions (f's times) has a
-- search row strictly between its cart and purchase, or after its cart up
-- to the end of its view's window when it stopped before the purchase
SELECT ok((SELECT count(*) FILTER (WHERE remove = 0 AND excl > 0) > 0
                  AND count(*) FILTER (WHERE remove <> 0 AND remove <> excl) = 0 FROM lv),
          'exclusion=remove: some users are removed, the others keep the drop_off level');
SELECT is((WITH chain AS (
             SELECT user_id, max_step(f) AS lvl, entry_time(f) AS t1,
                    entry_time(f) + (f::text::jsonb -> 'time_from_first_us' ->> 0)::bigint * interval '1 microsecond' AS t2,
                    entry_time(f) + (f::text::jsonb -> 'time_from_first_us' ->> 2)::bigint * interval '1 microsecond' AS t4
             FROM pu)
           SELECT count(*) FROM chain c JOIN lv USING (user_id)
           WHERE lv.remove <> CASE WHEN c.lvl >= 2 AND EXISTS (
                     SELECT 1 FROM events x WHERE x.user_id = c.user_id AND x.event = 'search' AND x.ts > c.t2
                        AND CASE WHEN c.lvl = 4 THEN x.ts < c.t4 ELSE x.ts <= c.t1 + interval '1 day' END)
                   THEN 0 ELSE c.lvl END),
          0::bigint, 'exclusion=remove: the level is 0 exactly when a search row disqualifies the best chain without exclusions');
-- entry=first: the level equals an exhaustive enumeration of the chains that
-- start at the user's first view, and the entry time is that view's
SELECT is((WITH RECURSIVE first_view AS (
             SELECT user_id, min(ts) AS ts FROM events WHERE event = 'view' GROUP BY user_id),
           chains(user_id, lvl, t0, tprev) AS (
             SELECT user_id, 1, ts, ts FROM first_view
             UNION
             SELECT c.user_id, c.lvl + 1, c.t0, e.ts
             FROM chains c JOIN events e ON e.user_id = c.user_id
              AND e.event = (ARRAY['view', 'cart', 'checkout', 'purchase'])[c.lvl + 1]
             WHERE c.lvl < 4 AND e.ts >= c.tprev AND e.ts - c.t0 <= interval '1 day')
           SELECT count(*) FROM lv LEFT JOIN (SELECT user_id, max(lvl) AS lvl FROM chains GROUP BY user_id) e
             USING (user_id)
           WHERE coalesce(e.lvl, 0) <> lv.first),
          0::bigint, 'entry=first: the level equals an exhaustive enumeration of the chains from the first view');
SELECT is((SELECT count(*) FROM pu
           WHERE entry_time(f_first) IS DISTINCT FROM
                 (SELECT min(ts) FROM events e WHERE e.user_id = pu.user_id AND e.event = 'view')),
          0::bigint, 'entry=first: entry_time is the user''s first view');
SELECT ok((SELECT count(*) FILTER (WHERE first < f) > 0 AND count(*) FILTER (WHERE first > f) = 0 FROM lv)
          AND (SELECT count(*) FILTER (WHERE entry_time(f_first) < entry_time(f)) > 0 FROM pu),
          'entry=first: some users reach less and enter earlier than by their best chain, none reach more');

-- 2. attempts: every attempt is a valid chain, every entering user has one
SELECT is((SELECT count(*) FROM lv WHERE (attempts > 0) <> (excl > 0)), 0::bigint,
          'count=attempts: a user has an attempt exactly when they enter the funnel');
SELECT is((SELECT count(*) FROM lv WHERE attempts_max > excl), 0::bigint,
          'count=attempts: no attempt reaches further than the best chain');
SELECT ok((SELECT count(*) FILTER (WHERE attempts > 1) > 0 FROM lv),
          'count=attempts: some users make several attempts');
SELECT is((SELECT reached(rollup(f_attempts), 1) FROM pu), (SELECT sum(attempts)::bigint FROM lv),
          'count=attempts: rollup step 1 counts every attempt');

-- 3. entry times and breakdowns point at real rows
SELECT is((SELECT count(*) FROM pu WHERE max_step(f) > 0 AND NOT EXISTS
             (SELECT 1 FROM events e WHERE e.user_id = pu.user_id AND e.ts = entry_time(pu.f)
                                        AND e.event = 'view')), 0::bigint,
          'entry_time is the time of one of the user''s step-1 rows');
SELECT is((SELECT count(*) FROM pu WHERE (entry_time(f) IS NULL) <> (max_step(f) = 0)), 0::bigint,
          'entry_time is NULL exactly when no step was reached');
CREATE TEMP TABLE bd AS
SELECT user_id, breakdown(f_bd) AS value, max_step(f_bd) AS level,
       entry_time(f_bd) + coalesce((f_bd::text::jsonb -> 'time_from_first_us' ->> (max_step(f_bd) - 2))::bigint, 0)
         * interval '1 microsecond' AS last_ts
FROM pu WHERE max_step(f_bd) > 0;
SELECT is((SELECT count(*) FROM bd WHERE value IS NOT NULL AND NOT EXISTS
             (SELECT 1 FROM events e WHERE e.user_id = bd.user_id AND e.ts = bd.last_ts
                AND e.event = (ARRAY['view', 'cart', 'checkout', 'purchase'])[bd.level]
                AND e.props ->> 'campaign' = bd.value)), 0::bigint,
          'breakdown=last_touch is the campaign of a row of the last step reached, at its time');
SELECT ok((SELECT count(DISTINCT value) >= 3 FROM bd), 'breakdown values vary between users');

-- 4. rollup does not depend on the split
SELECT is((SELECT rollup(r)::text FROM (SELECT rollup(f_attempts) AS r FROM pu GROUP BY user_id % 7) s),
          (SELECT rollup(f_attempts)::text FROM pu),
          'count=attempts: rollup of rollups split by user_id % 7 equals the rollup of all');
SELECT is((SELECT rollup(r)::text FROM (SELECT rollup(f_hold ORDER BY md5(user_id::text)) AS r FROM pu
                                       GROUP BY date_trunc('day', first_ts)) s),
          (SELECT rollup(f_hold)::text FROM pu),
          'hold: rollup of rollups split by first day, in md5 order, equals the rollup of all');
SELECT is((SELECT sum(entities(r))::bigint FROM (SELECT date_trunc('day', entry_time(f)) AS d, rollup(f) AS r
                                               FROM pu WHERE max_step(f) > 0 GROUP BY 1) s),
          (SELECT reached(rollup(f), 1) FROM pu),
          'rollups by entry day add up to the users who entered');

-- 5. serial equals forced parallel, for every option.  Each parallel result
-- is stored with CREATE TABLE AS, whose EXPLAIN ANALYZE runs it (pgTAP's
-- results_eq runs its queries as cursors, which PostgreSQL never plans in
-- parallel); the plan shape is asserted on that same run, then the stored
-- rows are compared.
\ir lib/force_parallel.sql
SET enable_hashagg = on;
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits funnel_agg with options across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_hash AS SELECT * FROM per_user') AS plan;
SELECT results_eq('SELECT * FROM parallel_hash ORDER BY user_id',
                  'SELECT * FROM serial ORDER BY user_id',
                  'every option: parallel partial aggregation (hash) equals serial');
SET enable_hashagg = off;
SELECT ok(plan ~ 'Partial GroupAggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the sorted parallel plan splits funnel_agg with options across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_sorted AS SELECT * FROM per_user') AS plan;
SELECT results_eq('SELECT * FROM parallel_sorted ORDER BY user_id',
                  'SELECT * FROM serial ORDER BY user_id',
                  'every option: parallel partial aggregation (sorted) equals serial');
RESET enable_hashagg;
-- the whole query pushed into one worker (debug_parallel_query, formerly
-- force_parallel_mode): its Gather (Single Copy) goes only on top of a plan
-- without a Gather of its own, so partial plans are priced out
\ir lib/in_worker.sql
SELECT pg_temp.in_worker(true);
SET parallel_setup_cost = 1e10;
SELECT ok(plan ~ 'Single Copy: true' AND plan ~ 'Workers Launched: 1',
          'forced parallel mode runs the whole per-user query in a launched worker')
FROM pg_temp.plan_of('CREATE TEMP TABLE in_worker_result AS SELECT * FROM per_user') AS plan;
SELECT pg_temp.in_worker(false);
SET parallel_setup_cost = 0;
SELECT results_eq('SELECT * FROM in_worker_result ORDER BY user_id',
                  'SELECT * FROM serial ORDER BY user_id',
                  'every option: forced parallel mode equals serial');
CREATE TEMP TABLE total AS
SELECT rollup(f_excl)::text AS excl, rollup(f_strict_excl)::text AS strict_excl, rollup(f_any)::text AS any_order,
       rollup(f_within)::text AS within, rollup(f_hold)::text AS hold, rollup(f_attempts)::text AS attempts,
       rollup(f_bd)::text AS bd, rollup(f_bool)::text AS bool, rollup(f_remove)::text AS remove,
       rollup(f_first)::text AS first
FROM pu WHERE false;
SET max_parallel_workers_per_gather = 0;
TRUNCATE total;
INSERT INTO total
SELECT rollup(f_excl), rollup(f_strict_excl), rollup(f_any), rollup(f_within), rollup(f_hold),
       rollup(f_attempts), rollup(f_bd), rollup(f_bool), rollup(f_remove), rollup(f_first) FROM pu;
\ir lib/force_parallel.sql
-- rollup's combine runs only when two processes hold rows: without the
-- leader, and paced so that both workers get some of this small table
SET parallel_leader_participation = off;
SELECT ok(plan ~ 'Partial Aggregate' AND plan ~ 'Workers Launched: 2'
          AND plan ~ 'Parallel Seq Scan.*Worker 0:  actual rows=[1-9].*Worker 1:  actual rows=[1-9]',
          'the parallel plan splits rollup of option funnels across two launched workers that both read rows')
FROM pg_temp.verbose_plan_of($$CREATE TEMP TABLE parallel_rollup AS
    SELECT rollup(f_excl)::text AS excl, rollup(f_strict_excl)::text AS strict_excl, rollup(f_any)::text AS any_order,
           rollup(f_within)::text AS within, rollup(f_hold)::text AS hold, rollup(f_attempts)::text AS attempts,
           rollup(f_bd)::text AS bd, rollup(f_bool)::text AS bool, rollup(f_remove)::text AS remove,
           rollup(f_first)::text AS first
    FROM pu WHERE pg_temp.paced(user_id)$$) AS plan;
RESET parallel_leader_participation;
SELECT results_eq('SELECT * FROM parallel_rollup', 'SELECT * FROM total',
                  'rollup of every option: parallel combine equals serial');
SET max_parallel_workers_per_gather = 0;

-- 6. text and binary round trips
SELECT is_empty(
    $$SELECT user_id FROM serial
      WHERE f_excl::funnel::text <> f_excl OR f_strict_excl::funnel::text <> f_strict_excl
         OR f_any::funnel::text <> f_any OR f_within::funnel::text <> f_within
         OR f_hold::funnel::text <> f_hold OR f_attempts::funnel::text <> f_attempts
         OR f_bd::funnel::text <> f_bd OR f_bool::funnel::text <> f_bool
         OR f_remove::funnel::text <> f_remove OR f_first::funnel::text <> f_first$$,
    'text round-trip of every per-user option funnel');
SELECT is_empty(
    $$SELECT * FROM total
      WHERE excl::funnel::text <> excl OR attempts::funnel::text <> attempts OR bool::funnel::text <> bool
         OR any_order::funnel::text <> any_order OR within::funnel::text <> within$$,
    'text round-trip of the rollups');
CREATE TEMP TABLE bin_out AS
SELECT row_number() OVER (ORDER BY kind, user_id) AS id, f FROM (
    SELECT 1 AS kind, user_id, f_excl AS f FROM pu
    UNION ALL SELECT 2, user_id, f_any FROM pu
    UNION ALL SELECT 3, user_id, f_hold FROM pu
    UNION ALL SELECT 4, user_id, f_attempts FROM pu
    UNION ALL SELECT 5, user_id, f_bd FROM pu
    UNION ALL SELECT 6, user_id, f FROM pu
    UNION ALL SELECT 7, 0, rollup(f_attempts) FROM pu
    UNION ALL SELECT 8, 0, rollup(f_bd) FROM pu
    UNION ALL SELECT 9, user_id, f_remove FROM pu
    UNION ALL SELECT 10, user_id, f_first FROM pu) AS s;
CREATE TEMP TABLE bin_in (LIKE bin_out);
\copy bin_out TO PROGRAM 'cat > /tmp/conversions_funnel_options_$PPID.bin' WITH (FORMAT binary)
\copy bin_in FROM PROGRAM 'cat /tmp/conversions_funnel_options_$PPID.bin' WITH (FORMAT binary)
\! rm -f /tmp/conversions_funnel_options_$PPID.bin
SELECT results_eq('SELECT id, f::text FROM bin_in ORDER BY id',
                  'SELECT id, f::text FROM bin_out ORDER BY id',
                  'binary round-trip of option funnels (entry times, breakdowns, attempts) through COPY');
SELECT is((SELECT count(*) FROM bin_in
           WHERE CASE WHEN f::text::jsonb ? 'breakdown' THEN breakdown(f) IS NOT NULL ELSE false END), (SELECT count(*) FROM bd WHERE value IS NOT NULL),
          'binary round-trip keeps every breakdown value');

SELECT * FROM finish();
ROLLBACK;
