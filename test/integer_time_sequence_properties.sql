-- pgTAP: the integer-time (bigint) forms of sequence_match, sequence_count,
-- sequence_match_events, sequence_next_node, attribution_agg and lift_agg
-- on a generated clickstream, its times as epoch milliseconds.  Per user:
--   * each bigint form equals its timestamptz form on the same rows
--     (windows, time conditions and half-lives in milliseconds against the
--     same lengths as intervals or seconds): the same booleans and counts,
--     the same matched times, the same next nodes, and attribution and lift
--     values whose text differs only in the lookback, half-life and
--     landmark written as numbers;
--   * serial and forced-parallel runs of the bigint forms agree (partial
--     aggregation: the states are serialized, carry their integer-time flag
--     and are combined), with both workers reading rows, so that states of
--     one user meet.
\ir lib/tap_begin.sql
\set users 3000
\set seed 31
\ir data/clickstream.sql

SELECT plan(8);

-- the clickstream with its times as whole epoch milliseconds (they are
-- millisecond timestamps, so to_timestamp(ms / 1000.0) gives them back)
CREATE TABLE events_ms AS
SELECT user_id, (extract(epoch FROM ts) * 1000)::bigint AS ms, ts, event, props FROM events;
ANALYZE events_ms;

SELECT is((SELECT count(*) FROM events_ms WHERE to_timestamp(ms / 1000.0) <> ts), 0::bigint,
          'the clickstream''s times are whole milliseconds');

-- every bigint form per user; :'src' is the table and :'filter' a WHERE
-- clause (the parallel run paces its scan)
CREATE FUNCTION pg_temp.int_query(src text, filter text) RETURNS text LANGUAGE sql AS $$
    SELECT format($q$
      SELECT user_id,
             sequence_match('(?1)(?t<=3600000)(?2)', ms, event = 'search', event = 'purchase') AS m1,
             sequence_count('(?1).*(?2)', ms, event = 'view', event = 'cart') AS c1,
             sequence_count('(?1)(?t>=60000).(?2)', ms, event = 'view', event = 'cart', event = 'checkout') AS c2,
             sequence_match_events('(?1).*(?1)(?t<=600000)(?2).*', ms, event = 'cart', event = 'checkout') AS e1,
             sequence_match_events('(?1)(?t<60000)(?2)(?3)', ms, event = 'view', event = 'cart', event = 'checkout') AS e2,
             sequence_next_node('forward', 'first_match', ms, event, true, event = 'view', event = 'cart') AS n1,
             sequence_next_node('backward', 'tail', ms, event, true, event = 'purchase') AS n2,
             attribution_agg(604800000, 'time_decay, half_life=172800000', ms,
                             CASE WHEN event IN ('campaign_click', 'newsletter_signup', 'search') THEN event END,
                             event = 'purchase', (props ->> 'amount')::float8)::text AS a1,
             attribution_agg(3600000, 'position_based', ms, CASE WHEN event <> 'purchase' THEN event END,
                             event = 'purchase')::text AS a2,
             lift_agg(3600000, ms, CASE WHEN event <> 'purchase' THEN event END, event = 'purchase')::text AS l1,
             lift_agg(3600000, ms, CASE WHEN event <> 'purchase' THEN event END, event = 'purchase', 86400000)::text AS l2
      FROM %I WHERE %s GROUP BY user_id$q$, src, filter)
$$;
\ir lib/plan_of.sql

SET TimeZone = 'UTC';
SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.int_query('events_ms', 'true') AS q \gset
CREATE TEMP TABLE serial AS :q;

-- the timestamptz forms on the same rows, the lengths as intervals or seconds
CREATE TEMP TABLE tz AS
SELECT user_id,
       sequence_match('(?1)(?t<=3600)(?2)', ts, event = 'search', event = 'purchase') AS m1,
       sequence_count('(?1).*(?2)', ts, event = 'view', event = 'cart') AS c1,
       sequence_count('(?1)(?t>=60).(?2)', ts, event = 'view', event = 'cart', event = 'checkout') AS c2,
       ARRAY(SELECT (extract(epoch FROM u) * 1000)::bigint
             FROM unnest(sequence_match_events('(?1).*(?1)(?t<=600)(?2).*', ts, event = 'cart', event = 'checkout')) u) AS e1,
       ARRAY(SELECT (extract(epoch FROM u) * 1000)::bigint
             FROM unnest(sequence_match_events('(?1)(?t<60)(?2)(?3)', ts, event = 'view', event = 'cart', event = 'checkout')) u) AS e2,
       sequence_next_node('forward', 'first_match', ts, event, true, event = 'view', event = 'cart') AS n1,
       sequence_next_node('backward', 'tail', ts, event, true, event = 'purchase') AS n2,
       attribution_agg(interval '7 days', 'time_decay, half_life=2 days', ts,
                       CASE WHEN event IN ('campaign_click', 'newsletter_signup', 'search') THEN event END,
                       event = 'purchase', (props ->> 'amount')::float8)::text AS a1,
       attribution_agg(interval '1 hour', 'position_based', ts, CASE WHEN event <> 'purchase' THEN event END,
                       event = 'purchase')::text AS a2,
       lift_agg(interval '1 hour', ts, CASE WHEN event <> 'purchase' THEN event END, event = 'purchase')::text AS l1,
       lift_agg(interval '1 hour', ts, CASE WHEN event <> 'purchase' THEN event END, event = 'purchase',
                interval '1 day')::text AS l2
FROM events_ms GROUP BY user_id;

SELECT ok((SELECT count(*) FILTER (WHERE m1) > 0 AND count(*) FILTER (WHERE c2 > 0) > 0
                  AND count(*) FILTER (WHERE cardinality(e1) = 3) > 0 AND count(*) FILTER (WHERE cardinality(e2) = 3) > 0
                  AND count(*) FILTER (WHERE n2 IS NOT NULL) > 0
                  AND count(*) FILTER (WHERE a1 LIKE '%"attributed": 1,%') > 0
                  AND count(*) FILTER (WHERE l2 LIKE '%"converted": 1,%') > 0
           FROM serial),
          'the data exercises every form: matches, full chains, next nodes, attributed and converted users');
SELECT is((SELECT count(*) FROM serial s JOIN tz t USING (user_id)
           WHERE (s.m1, s.c1, s.c2, s.e1, s.e2, s.n1, s.n2) IS DISTINCT FROM (t.m1, t.c1, t.c2, t.e1, t.e2, t.n1, t.n2)),
          0::bigint,
          'sequence_match, sequence_count, sequence_match_events and sequence_next_node over milliseconds equal the timestamptz forms');
SELECT is((SELECT count(*) FROM serial s JOIN tz t USING (user_id)
           WHERE replace(replace(s.a1, '"lookback": 604800000', '"lookback": "7 days"'),
                         'half_life=172800000', 'half_life=2 days') IS DISTINCT FROM t.a1
              OR replace(s.a2, '"lookback": 3600000', '"lookback": "01:00:00"') IS DISTINCT FROM t.a2),
          0::bigint,
          'attribution_agg over milliseconds equals the timestamptz form but for the lookback and half-life written as numbers');
SELECT is((SELECT count(*) FROM serial s JOIN tz t USING (user_id)
           WHERE replace(s.l1, '"landmark": 3600000', '"landmark": "01:00:00"') IS DISTINCT FROM t.l1
              OR replace(s.l2, '"landmark": 3600000, "follow_up": 86400000', '"landmark": "01:00:00", "follow_up": "1 day"')
                 IS DISTINCT FROM t.l2),
          0::bigint,
          'lift_agg over milliseconds equals the timestamptz form but for the landmark and follow-up written as numbers');

-- parallel results are stored with CREATE TABLE AS (run by EXPLAIN
-- ANALYZE, which shows the workers): results_eq runs its queries as
-- cursors, which PostgreSQL never plans in parallel.  Without the leader
-- and with a paced scan, both workers read rows, so that partial states of
-- one user are serialized and combined.
\ir lib/force_parallel.sql
SET parallel_leader_participation = off;
SELECT pg_temp.int_query('events_ms', 'pg_temp.paced(ms)') AS qp \gset
SELECT pg_temp.verbose_plan_of('CREATE TEMP TABLE parallel_result AS ' || :'qp') AS plan \gset
SELECT ok(:'plan' ~ 'Partial (Hash|Group)Aggregate' AND :'plan' ~ 'Workers Launched: 2',
          'the parallel plan splits the aggregates across two launched workers');
SELECT ok((SELECT count(*) FROM regexp_matches(:'plan', 'Worker [01]:  actual rows=[1-9]', 'g')) >= 2,
          'both workers read rows');
SELECT results_eq('SELECT * FROM parallel_result ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'the bigint forms in parallel equal serial');
RESET parallel_leader_participation;
SET max_parallel_workers_per_gather = 0;

SELECT * FROM finish();
ROLLBACK;
