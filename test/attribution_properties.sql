-- pgTAP: attribution_agg and lift_agg on generated data, against plain SQL.
-- Every model's credit per touch label equals a plain-SQL computation of
-- the model's rule (first and last touch exactly, the others within 1e-9);
-- credit adds up to exactly one per conversion with an eligible touch and
-- values to exactly the conversions' values; lift counts (landmark design)
-- equal plain SQL;
-- serial equals forced parallel; rollup does not depend on the split or
-- the order; text and binary forms round-trip.
\ir lib/tap_begin.sql
\set users 4000
\set seed 29
\ir data/clickstream.sql

SELECT plan(33);

-- touches: micro-conversions labelled with their channel; conversions:
-- purchases, worth their amount (NULL props: no amount, counts as 0).
-- Times are cut to the hour so that many touches tie with each other and
-- with conversions, which exercises the tie rules.
CREATE VIEW ev AS
SELECT user_id, date_trunc('hour', ts) AS ts,
       CASE WHEN event IN ('campaign_click', 'newsletter_signup', 'wishlist_add')
            THEN event || ':' || coalesce(props ->> 'channel', 'none') END AS touch,
       event = 'purchase' AS conv,
       (props ->> 'amount')::float8 AS amount,
       CASE WHEN event IN ('search', 'campaign_click', 'wishlist_add', 'newsletter_signup') THEN event END AS micro
FROM events;

CREATE VIEW per_user AS
SELECT user_id,
  attribution_agg('3 days', 'first_touch', ts, touch, conv, amount)::text AS first_t,
  attribution_agg('3 days', 'last_touch', ts, touch, conv, amount)::text AS last_t,
  attribution_agg('3 days', 'linear', ts, touch, conv, amount)::text AS linear,
  attribution_agg('3 days', 'time_decay, half_life=1 day', ts, touch, conv, amount)::text AS decay,
  attribution_agg('3 days', 'position_based', ts, touch, conv, amount)::text AS pos,
  attribution_agg('3 days', 'first_touch, max_touches=3', ts, touch, conv, amount)::text AS first3,
  lift_agg(interval '1 day', ts, micro, conv)::text AS lift,
  -- up to 4 x 24 labels per user: past the 7 a new state holds in its chunk
  lift_agg(interval '1 day', ts, micro || '@' || extract(hour FROM ts), conv)::text AS lift_hours
FROM ev GROUP BY user_id;

SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial AS SELECT * FROM per_user;
SELECT ok(n >= 10, format('lift_hours: %s users have more than 7 labels, so their states grow past their own chunk', n))
FROM (SELECT count(*) AS n FROM (SELECT user_id FROM ev WHERE micro IS NOT NULL GROUP BY user_id
                                 HAVING count(DISTINCT micro || '@' || extract(hour FROM ts)) > 7) s) c;
CREATE TEMP TABLE pu AS
SELECT user_id, first_t::attribution AS first_t, last_t::attribution AS last_t, linear::attribution AS linear,
       decay::attribution AS decay, pos::attribution AS pos, first3::attribution AS first3, lift::lift AS lift
FROM serial;

-- the reference: every (conversion, eligible touch) pair in plain SQL, with
-- the touch's position in (time, label byte order) among the eligible ones
CREATE TEMP TABLE conv AS
SELECT row_number() OVER (ORDER BY user_id, ts) AS cid, user_id, ts,
       round(coalesce(amount, 0)::numeric, 6) AS amount
FROM ev WHERE conv;
CREATE TEMP TABLE elig AS
SELECT c.cid, c.amount, t.ts, t.touch, c.ts AS tc,
       row_number() OVER (PARTITION BY c.cid ORDER BY t.ts, t.touch COLLATE "C") AS pos,
       count(*) OVER (PARTITION BY c.cid) AS n,
       max(t.ts) OVER (PARTITION BY c.cid) AS t_last
FROM conv c JOIN ev t ON t.user_id = c.user_id AND t.touch IS NOT NULL AND NOT t.conv
                      AND t.ts <= c.ts AND t.ts >= c.ts - interval '3 days';
-- each model's weight of every pair, normalized per conversion
CREATE TEMP TABLE weights AS
SELECT cid, touch, amount,
       (pos = 1)::int::float8 AS first_t,
       (pos = n)::int::float8 AS last_t,
       1.0 / n AS linear,
       power(2, -extract(epoch FROM t_last - ts) / 86400)
         / sum(power(2, -extract(epoch FROM t_last - ts) / 86400)) OVER (PARTITION BY cid) AS decay,
       CASE WHEN n = 1 THEN 1 WHEN n = 2 THEN 0.5
            WHEN pos = 1 OR pos = n THEN 0.4 ELSE 0.2 / (n - 2) END AS pos,
       (pos = greatest(1, n - 2))::int::float8 AS first3
FROM elig;
CREATE TEMP TABLE expected AS
SELECT touch, sum(first_t) AS first_t, sum(last_t) AS last_t, sum(linear) AS linear, sum(decay) AS decay,
       sum(pos) AS pos, sum(first3) AS first3,
       sum(first_t::numeric * amount) AS first_t_value, sum(last_t::numeric * amount) AS last_t_value
FROM weights GROUP BY touch;

CREATE TEMP TABLE total AS
SELECT rollup(first_t) AS first_t, rollup(last_t) AS last_t, rollup(linear) AS linear, rollup(decay) AS decay,
       rollup(pos) AS pos, rollup(first3) AS first3
FROM pu;
CREATE TEMP TABLE got AS
SELECT m.model, r.touch, r.conversions, r.value, r.touches
FROM total,
     LATERAL (VALUES ('first_t', first_t), ('last_t', last_t), ('linear', linear), ('decay', decay),
                     ('pos', pos), ('first3', first3)) m(model, a),
     attribution_touches(m.a) r;

-- 1. non-vacuity
SELECT ok((SELECT count(*) FROM conv) > 100 AND (SELECT count(DISTINCT cid) FROM elig) > 50
          AND (SELECT count(*) FROM elig e1 JOIN elig e2 ON e1.cid = e2.cid AND e1.ts = e2.ts
               AND e1.touch < e2.touch) > 20
          AND (SELECT count(*) FROM elig WHERE ts = tc) > 20
          AND (SELECT count(*) FROM conv) > (SELECT count(DISTINCT cid) FROM elig)
          AND (SELECT max(n) FROM elig) >= 4 AND (SELECT count(DISTINCT touch) FROM elig) >= 10,
          'the data has conversions with and without eligible touches, up to 4+ touches each, 10+ labels, touches tied with each other and with conversions');

-- 2. first and last touch equal plain SQL exactly, credit and value
SELECT is_empty($$SELECT touch, first_t, first_t_value FROM expected
                  EXCEPT SELECT touch, conversions, round(value::numeric, 6) FROM got WHERE model = 'first_t'$$,
                'first_touch: credit and value per label equal plain SQL');
SELECT is_empty($$SELECT touch, last_t, last_t_value FROM expected
                  EXCEPT SELECT touch, conversions, round(value::numeric, 6) FROM got WHERE model = 'last_t'$$,
                'last_touch: credit and value per label equal plain SQL');
SELECT is_empty($$SELECT touch, first3 FROM expected
                  EXCEPT SELECT touch, conversions FROM got WHERE model = 'first3'$$,
                'first_touch, max_touches=3: the first of the latest three touches, as plain SQL');
SELECT ok((SELECT count(*) FROM expected WHERE first3 <> first_t) > 0,
          'max_touches=3 changes some labels'' first-touch credit');

-- 3. the other models within 1e-9 of plain SQL (fixed point: 1e-12 per conversion)
SELECT is((SELECT count(*) FROM expected e JOIN got g ON g.touch = e.touch AND g.model = 'linear'
           WHERE abs(g.conversions - e.linear) < 1e-9), (SELECT count(*) FROM expected),
          'linear: credit per label within 1e-9 of plain SQL');
SELECT is((SELECT count(*) FROM expected e JOIN got g ON g.touch = e.touch AND g.model = 'decay'
           WHERE abs(g.conversions - e.decay) < 1e-9), (SELECT count(*) FROM expected),
          'time_decay: credit per label within 1e-9 of plain SQL');
SELECT is((SELECT count(*) FROM expected e JOIN got g ON g.touch = e.touch AND g.model = 'pos'
           WHERE abs(g.conversions - e.pos) < 1e-9), (SELECT count(*) FROM expected),
          'position_based: credit per label within 1e-9 of plain SQL');
SELECT ok((SELECT count(*) FROM expected WHERE abs(linear - decay) > 0.01 AND abs(linear - pos) > 0.01) > 0,
          'the models differ on some labels');

-- 4. exact totals in every model: credit is one per conversion with an
-- eligible touch (in 10^-12 units), values add up to the conversions'
-- values (in millionths), and the NULL row holds the rest
CREATE TEMP TABLE exact AS
SELECT m.model, m.a,
       (SELECT sum((e ->> 'credit')::numeric) FROM jsonb_array_elements(m.a::text::jsonb -> 'touches') e) AS credit,
       (SELECT sum((e ->> 'value_micros')::numeric) FROM jsonb_array_elements(m.a::text::jsonb -> 'touches') e)
         + (m.a::text::jsonb ->> 'unattributed_value_micros')::numeric AS value_micros
FROM total, LATERAL (VALUES ('first_t', first_t), ('last_t', last_t), ('linear', linear), ('decay', decay),
                            ('pos', pos), ('first3', first3)) m(model, a);
SELECT is((SELECT count(*) FROM exact
           WHERE credit = 1000000000000 * (SELECT count(DISTINCT cid) FROM elig)
             AND attributed_conversions(a) = (SELECT count(DISTINCT cid) FROM elig)), 6::bigint,
          'every model: credit is exactly one conversion per conversion with an eligible touch');
SELECT is((SELECT count(*) FROM exact WHERE value_micros = (SELECT sum(amount) * 1000000 FROM conv)
           AND conversions(a) = (SELECT count(*) FROM conv)), 6::bigint,
          'every model: credited and unattributed values add up to every conversion''s value, exactly');
SELECT is((SELECT count(*) FROM got WHERE touch IS NULL
           AND conversions = (SELECT count(*) FROM conv) - (SELECT count(DISTINCT cid) FROM elig)), 6::bigint,
          'every model: the NULL row counts the conversions without an eligible touch');
SELECT is((SELECT count(*) FROM pu WHERE attributed_conversions(linear) <= conversions(linear)
           AND conversions(linear) = (SELECT count(*) FROM conv c WHERE c.user_id = pu.user_id)),
          (SELECT count(*) FROM pu),
          'per user: conversions counted, attributed ones no more than all');
SELECT is((SELECT sum(touches)::bigint FROM got WHERE model = 'linear'),
          (SELECT count(*) FROM ev WHERE touch IS NOT NULL AND NOT conv),
          'touches count every touch row');

-- 5. lift against plain SQL: entry = first row, landmark 1 day after it;
-- converted before it: left out; micro-conversions in [entry, landmark),
-- conversions from the landmark on
CREATE TEMP TABLE lm AS
SELECT e.user_id, n.lm, bool_or(e.conv AND e.ts < n.lm) AS before, bool_or(e.conv AND e.ts >= n.lm) AS after
FROM ev e JOIN (SELECT user_id, min(ts) + interval '1 day' AS lm FROM ev GROUP BY user_id) n USING (user_id)
GROUP BY e.user_id, n.lm;
CREATE TEMP TABLE at_risk AS SELECT user_id, lm, after AS converted FROM lm WHERE NOT before;
CREATE TEMP TABLE lift_expected AS
SELECT e.micro, count(DISTINCT e.user_id) AS entities, count(DISTINCT e.user_id) FILTER (WHERE r.converted) AS converted
FROM ev e JOIN at_risk r USING (user_id)
WHERE e.micro IS NOT NULL AND NOT e.conv AND e.ts < r.lm
GROUP BY e.micro;
CREATE TEMP TABLE lift_total AS SELECT rollup(lift) AS l FROM pu;
SELECT results_eq('SELECT micro, entities, converted FROM lift_total, lift_report(l) ORDER BY micro',
                  'SELECT micro, entities, converted FROM lift_expected ORDER BY micro',
                  'lift: entities at risk that did each micro-conversion before the landmark, and those that converted after it, equal plain SQL');
SELECT is((SELECT entities(l) || '/' || converted_entities(l) || '/' || converted_before_landmark(l) FROM lift_total),
          (SELECT count(*) || '/' || count(*) FILTER (WHERE converted) || '/' || (SELECT count(*) FROM lm WHERE before)
           FROM at_risk),
          'lift: entities at risk, converted after the landmark, converted before it');
SELECT ok((SELECT count(*) FILTER (WHERE before) > 0 AND count(*) FILTER (WHERE NOT before AND after) > 0 FROM lm),
          'lift: the data has conversions before and after the landmark');
SELECT is((SELECT count(*) FROM lift_total, lift_report(l)
           WHERE abs(rate_with - converted::float8 / entities) < 1e-12 AND lift_low <= lift AND lift <= lift_high),
          (SELECT count(*) FROM lift_expected),
          'lift: rates are the ratios, and each interval contains its lift');

-- 6. rollup does not depend on the split or the order
SELECT is((SELECT rollup(r)::text FROM (SELECT rollup(linear ORDER BY md5(user_id::text)) AS r FROM pu
                                       GROUP BY user_id % 7) s),
          (SELECT rollup(linear)::text FROM pu),
          'linear: rollup of rollups split by user_id % 7, in md5 order, equals the rollup of all');
SELECT is((SELECT rollup(r)::text FROM (SELECT rollup(decay) AS r FROM pu GROUP BY user_id % 3
                                       ORDER BY user_id % 3 DESC) s),
          (SELECT rollup(decay)::text FROM pu),
          'time_decay: rollup of rollups in another split and order equals the rollup of all');
SELECT is((SELECT rollup(r)::text FROM (SELECT rollup(lift ORDER BY md5(user_id::text)) AS r FROM pu
                                       GROUP BY user_id % 5) s),
          (SELECT rollup(lift)::text FROM pu),
          'lift: rollup of rollups split by user_id % 5 equals the rollup of all');
SELECT is((SELECT attribution_agg('3 days', 'linear', ts, touch, conv, amount)::text FROM ev WHERE user_id = 17),
          (SELECT attribution_agg('3 days', 'linear', ts, touch, conv, amount ORDER BY md5(ts::text))::text
           FROM ev WHERE user_id = 17),
          'attribution_agg does not depend on the row order');

-- 7. serial equals parallel.  Each parallel result is stored with CREATE
-- TABLE AS, whose EXPLAIN ANALYZE runs it (pgTAP's results_eq runs its
-- queries as cursors, which PostgreSQL never plans in parallel); the plan
-- shape is asserted on that same run, then the stored rows are compared.
\ir lib/plan_of.sql
\ir lib/force_parallel.sql
SET enable_hashagg = on;
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits attribution_agg and lift_agg across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_hash AS SELECT * FROM per_user') AS plan;
SELECT results_eq('SELECT * FROM parallel_hash ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'every model and lift: parallel partial aggregation (hash) equals serial');
SET enable_hashagg = off;
SELECT ok(plan ~ 'Partial GroupAggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the sorted parallel plan splits attribution_agg and lift_agg across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_sorted AS SELECT * FROM per_user') AS plan;
SELECT results_eq('SELECT * FROM parallel_sorted ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'every model and lift: parallel partial aggregation (sorted) equals serial');
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
SELECT results_eq('SELECT * FROM in_worker_result ORDER BY user_id', 'SELECT * FROM serial ORDER BY user_id',
                  'every model and lift: forced parallel mode equals serial');
CREATE TABLE pu_big AS SELECT * FROM pu;
ANALYZE pu_big;
-- rollup's combine runs only when two processes hold rows: without the
-- leader, and paced so that both workers get some of this small table
SET parallel_leader_participation = off;
SELECT ok(plan ~ 'Partial Aggregate' AND plan ~ 'Workers Launched: 2'
          AND plan ~ 'Parallel Seq Scan.*Worker 0:  actual rows=[1-9].*Worker 1:  actual rows=[1-9]',
          'the parallel plan splits rollup(attribution) and rollup(lift) across two launched workers that both read rows')
FROM pg_temp.verbose_plan_of($$CREATE TEMP TABLE parallel_rollup AS
    SELECT rollup(linear)::text AS linear, rollup(pos)::text AS pos, rollup(lift)::text AS lift
    FROM pu_big WHERE pg_temp.paced(user_id)$$) AS plan;
RESET parallel_leader_participation;
SELECT results_eq('SELECT linear, pos, lift FROM parallel_rollup',
                  $$SELECT (SELECT rollup(linear)::text FROM pu), (SELECT rollup(pos)::text FROM pu),
                           (SELECT l::text FROM lift_total)$$,
                  'rollup: parallel combine equals serial');
SET max_parallel_workers_per_gather = 0;

-- 8. text and binary round trips
SELECT is_empty($$SELECT user_id FROM serial
                  WHERE first_t::attribution::text <> first_t OR decay::attribution::text <> decay
                     OR pos::attribution::text <> pos OR first3::attribution::text <> first3
                     OR lift::lift::text <> lift$$,
                'text round-trip of every per-user value');
CREATE TEMP TABLE bin_out AS
SELECT row_number() OVER (ORDER BY kind, user_id) AS id, a, l FROM (
    SELECT 1 AS kind, user_id, linear AS a, lift AS l FROM pu
    UNION ALL SELECT 2, user_id, decay, NULL FROM pu
    UNION ALL SELECT 3, 0, rollup(pos), rollup(lift) FROM pu) s;
CREATE TEMP TABLE bin_in (LIKE bin_out);
\copy bin_out TO PROGRAM 'cat > /tmp/conversions_attribution_$PPID.bin' WITH (FORMAT binary)
\copy bin_in FROM PROGRAM 'cat /tmp/conversions_attribution_$PPID.bin' WITH (FORMAT binary)
\! rm -f /tmp/conversions_attribution_$PPID.bin
SELECT results_eq('SELECT id, a::text, l::text FROM bin_in ORDER BY id',
                  'SELECT id, a::text, l::text FROM bin_out ORDER BY id',
                  'binary round-trip of attribution and lift values through COPY');

SELECT * FROM finish();
ROLLBACK;
