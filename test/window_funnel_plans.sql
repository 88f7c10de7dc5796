-- pgTAP: window_funnel gives the same per-user answer whatever the plan:
-- serial, forced parallel (partial aggregation with combine, serialize and
-- deserialize), partitionwise, and with the input rows shuffled.
\ir lib/tap_begin.sql
\set users 4000
\set seed 11
\ir data/clickstream.sql

SELECT plan(12);

-- the same data twice more: rows shuffled, and hash-partitioned by user
CREATE TABLE events_shuffled AS SELECT * FROM events ORDER BY md5(user_id::text || ts::text || event);
CREATE TABLE events_by_user (LIKE events) PARTITION BY HASH (user_id);
CREATE TABLE events_by_user_0 PARTITION OF events_by_user FOR VALUES WITH (MODULUS 4, REMAINDER 0);
CREATE TABLE events_by_user_1 PARTITION OF events_by_user FOR VALUES WITH (MODULUS 4, REMAINDER 1);
CREATE TABLE events_by_user_2 PARTITION OF events_by_user FOR VALUES WITH (MODULUS 4, REMAINDER 2);
CREATE TABLE events_by_user_3 PARTITION OF events_by_user FOR VALUES WITH (MODULUS 4, REMAINDER 3);
INSERT INTO events_by_user SELECT * FROM events;
ANALYZE events_shuffled;
ANALYZE events_by_user;

-- one column per mode, so that every walk and every mode flag is compared
DO $$
DECLARE
    src text;
BEGIN
    FOREACH src IN ARRAY ARRAY['events', 'events_shuffled', 'events_by_user'] LOOP
        EXECUTE format($q$
          CREATE TEMP VIEW levels_%1$s AS
          SELECT user_id,
            window_funnel('1 day', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS plain,
            window_funnel('1 hour', 'strict_deduplication', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS dedup,
            window_funnel('1 day', 'strict_order', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS strict_order,
            window_funnel('1 day', 'strict_increase', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS increase,
            window_funnel('1 day', 'strict_once', ts, event IN ('view', 'cart'), event IN ('cart', 'checkout'), event = 'checkout', event = 'purchase') AS once,
            window_funnel('1 day', 'strict_order,allow_reentry', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS reentry,
            window_funnel('2 days', ts::timestamp, event = 'view', event = 'purchase') AS no_tz
          FROM %1$I GROUP BY user_id $q$, src);
    END LOOP;
END $$;

\ir lib/plan_of.sql

-- serial
SET max_parallel_workers_per_gather = 0;
SET enable_partitionwise_aggregate = off;
CREATE TEMP TABLE serial AS SELECT * FROM levels_events;

SELECT is((SELECT count(*) FROM serial), (SELECT count(DISTINCT user_id) FROM events),
          'one serial result per user');
-- every generated user views, so levels run 1..4 (and 0..2 for no_tz)
SELECT ok((SELECT count(DISTINCT plain) = 4 AND count(DISTINCT strict_order) = 4
                  AND count(DISTINCT once) = 4 AND count(DISTINCT dedup) = 4
                  AND count(DISTINCT increase) = 4 AND count(DISTINCT reentry) = 4
                  AND count(DISTINCT no_tz) = 2
           FROM serial),
          'the generated data reaches every level in every mode, so the comparisons below are not vacuous');
SELECT is((SELECT count(*) FROM serial s JOIN serial t USING (user_id)
           WHERE s.plain < s.strict_order OR s.plain < s.increase OR s.plain < s.dedup),
          0::bigint, 'no mode reaches further than the default mode');

-- forced parallel: partial aggregates in workers, combined in the leader.
-- Each parallel result is stored with CREATE TABLE AS, whose EXPLAIN ANALYZE
-- runs it (pgTAP's results_eq runs its queries as cursors, which PostgreSQL
-- never plans in parallel); the plan shape is asserted on that same run,
-- then the stored rows are compared.
\ir lib/force_parallel.sql
SET enable_hashagg = on;
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits window_funnel across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_hash AS SELECT * FROM levels_events') AS plan;
SELECT results_eq('SELECT * FROM parallel_hash ORDER BY user_id',
                  'SELECT * FROM serial ORDER BY user_id',
                  'parallel partial aggregation (hash) equals serial');
SET enable_hashagg = off;
SELECT ok(plan ~ 'Partial GroupAggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the sorted parallel plan uses partial group aggregation in launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_sorted AS SELECT * FROM levels_events') AS plan;
SELECT results_eq('SELECT * FROM parallel_sorted ORDER BY user_id',
                  'SELECT * FROM serial ORDER BY user_id',
                  'parallel partial aggregation (sorted) equals serial');
RESET enable_hashagg;

-- the whole query pushed into one worker (debug_parallel_query, formerly
-- force_parallel_mode): its Gather (Single Copy) goes only on top of a plan
-- without a Gather of its own, so partial plans are priced out
\ir lib/in_worker.sql
SELECT pg_temp.in_worker(true);
SET parallel_setup_cost = 1e10;
SELECT ok(plan ~ 'Single Copy: true' AND plan ~ 'Workers Launched: 1',
          'forced parallel mode runs the whole query in a launched worker')
FROM pg_temp.plan_of('CREATE TEMP TABLE in_worker_result AS SELECT * FROM levels_events') AS plan;
SELECT pg_temp.in_worker(false);
SET parallel_setup_cost = 0;
SELECT results_eq('SELECT * FROM in_worker_result ORDER BY user_id',
                  'SELECT * FROM serial ORDER BY user_id',
                  'forced parallel mode equals serial');

-- shuffled input rows
SELECT results_eq('SELECT * FROM levels_events_shuffled ORDER BY user_id',
                  'SELECT * FROM serial ORDER BY user_id',
                  'shuffled input equals serial');

-- partitionwise aggregation: each partition finishes whole users
SET enable_partitionwise_aggregate = on;
SELECT ok(pg_temp.plan_of('CREATE TEMP TABLE partitionwise AS SELECT * FROM levels_events_by_user') ~ 'Append',
          'the partitioned plan aggregates per partition');
SELECT results_eq('SELECT * FROM partitionwise ORDER BY user_id',
                  'SELECT * FROM serial ORDER BY user_id',
                  'partitionwise aggregation equals serial');

SELECT * FROM finish();
ROLLBACK;
