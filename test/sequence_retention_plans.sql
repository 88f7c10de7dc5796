-- pgTAP: retention, sequence_match, sequence_count and sequence_next_node give the same
-- per-user answer serial, in parallel (partial aggregation: retention
-- combines bigint states, the sequence aggregates serialize their event
-- buffers and patterns) and with shuffled rows.
\ir lib/tap_begin.sql
\set users 4000
\set seed 11
\ir data/clickstream.sql

SELECT plan(6);

CREATE TABLE events_shuffled AS SELECT * FROM events ORDER BY md5(user_id::text || ts::text || event);
ANALYZE events_shuffled;

-- day-N retention of the 2026-11-01 cohort, and "viewed, then came back to buy"
CREATE FUNCTION pg_temp.retention_query(src text) RETURNS text LANGUAGE sql AS $$
    SELECT format($q$
      SELECT user_id,
             retention(ts::date = '2026-11-01', ts::date = '2026-11-02',
                       ts::date = '2026-11-03', ts::date = '2026-11-04') AS days,
             retention(event = 'view', event = 'purchase', event = 'newsletter_signup') AS buy,
             sequence_match('(?1)(?t<=3600)(?2)', ts, event = 'search', event = 'purchase') AS searched_bought,
             sequence_count('(?1).*(?2)', ts, event = 'view', event = 'cart') AS view_cart,
             sequence_count('(?1)(?t>=60).(?2)', ts, event = 'view', event = 'cart', event = 'checkout') AS gapped,
             sequence_match('(?2).*(?1)', ts::timestamp, event = 'view', event = 'purchase') AS bought_then_viewed,
             sequence_next_node('forward', 'first_match', ts, event, true, event = 'cart') AS after_cart,
             sequence_next_node('backward', 'last_match', ts, event, event <> 'search', event = 'purchase', event = 'checkout') AS before_checkout_purchase
      FROM %I GROUP BY user_id$q$, src)
$$;
\ir lib/plan_of.sql

SET TimeZone = 'UTC';
SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.retention_query('events') AS q \gset
CREATE TEMP TABLE serial AS :q;

SELECT ok((SELECT count(DISTINCT days) >= 5 AND count(DISTINCT buy) >= 4
                  AND count(DISTINCT searched_bought) = 2 AND count(DISTINCT view_cart) >= 3
                  AND count(DISTINCT gapped) >= 2 AND count(DISTINCT bought_then_viewed) = 2
                  AND count(DISTINCT after_cart) >= 3 AND count(DISTINCT before_checkout_purchase) >= 1
           FROM serial),
          'the generated data gives varied results, so the comparisons are not vacuous');
SELECT is((SELECT count(*) FROM serial WHERE days[1] = 0 AND days <> '{0,0,0,0}'), 0::bigint,
          'without the first condition every element is 0');

\ir lib/force_parallel.sql
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits the aggregates across launched workers')
FROM pg_temp.plan_of(:'q') AS plan;
SELECT results_eq(:'q' || ' ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'parallel partial aggregation equals serial');
SELECT pg_temp.retention_query('events_shuffled') AS qs \gset
SELECT results_eq(:'qs' || ' ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'shuffled rows in parallel equal serial');
RESET max_parallel_workers_per_gather;
SELECT results_eq(:'qs' || ' ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'shuffled rows serial equal serial');

SELECT * FROM finish();
ROLLBACK;
