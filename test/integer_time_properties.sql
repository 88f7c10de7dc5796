-- pgTAP: window_funnel and funnel_agg over integer time columns (issue 18)
-- on a generated clickstream with its times as bigint milliseconds:
--   * the bigint forms equal the timestamptz forms over the same instants
--     (window 3600000 ms = 1 hour; times from step 1 in ms = us / 1000);
--   * serial equals forced-parallel partial aggregation for the bigint
--     forms (event buffers, options and value pairs serialized and combined).
\ir lib/tap_begin.sql
\set users 2000
\set seed 31
\ir data/clickstream.sql

SELECT plan(6);

CREATE TABLE events_ms AS
SELECT user_id, (extract(epoch FROM ts) * 1000)::bigint AS ts_ms, ts, event,
       coalesce(props ->> 'product_id', 'none') AS product,
       coalesce(props ->> 'channel', 'none') AS channel
FROM events;
ANALYZE events_ms;
SELECT is((SELECT count(*) FROM events_ms WHERE extract(epoch FROM ts) * 1000 <> ts_ms),
          0::bigint, 'every timestamp is a whole millisecond, so the bigint column holds the same instants');

-- the bigint forms and their timestamptz twins, one row per user
CREATE FUNCTION pg_temp.funnels_query(src text) RETURNS text LANGUAGE sql AS $$
    SELECT format($q$
      SELECT user_id,
             window_funnel(3600000, ts_ms, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS wf,
             window_funnel(3600000, 'strict_order', ts_ms, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS wf_order,
             funnel_agg(86400000, ts_ms, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS fa,
             funnel_agg(86400000, 'within=3:1800000, exclude=search@1-2', ts_ms, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS fa_opts,
             funnel_agg(86400000, 'hold', ts_ms, event, ARRAY['view', 'cart', 'checkout'], hold_by(product), NULL) AS fa_hold,
             funnel_agg(86400000, '', ts_ms, hold_by(NULL), breakdown_by(channel), event = 'view', event = 'cart') AS fa_bool
      FROM %I GROUP BY user_id$q$, src)
$$;
CREATE TEMP TABLE twins AS
SELECT user_id,
       window_funnel(interval '1 hour', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS wf,
       window_funnel(interval '1 hour', 'strict_order', ts, event = 'view', event = 'cart', event = 'checkout', event = 'purchase') AS wf_order,
       funnel_agg(interval '1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS fa,
       funnel_agg(interval '1 day', 'within=3:30 minutes, exclude=search@1-2', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS fa_opts,
       funnel_agg(interval '1 day', 'hold', ts, event, ARRAY['view', 'cart', 'checkout'], hold_by(product), NULL) AS fa_hold,
       funnel_agg(interval '1 day', '', ts, hold_by(NULL), breakdown_by(channel), event = 'view', event = 'cart') AS fa_bool
FROM events_ms GROUP BY user_id;

SET max_parallel_workers_per_gather = 0;
SELECT pg_temp.funnels_query('events_ms') AS q \gset
CREATE TEMP TABLE serial AS :q;

-- a one-entity value's step, times (ms vs us) and entry as comparable text
CREATE FUNCTION pg_temp.shape(f funnel, us boolean) RETURNS text LANGUAGE sql AS $$
    SELECT max_step(f) || ':' ||
           coalesce((SELECT string_agg(CASE WHEN us THEN (t::bigint / 1000)::text ELSE t END, ',' ORDER BY o)
                     FROM jsonb_array_elements_text(f::text::jsonb -> 'time_from_first_us') WITH ORDINALITY AS a(t, o)), '') || ':' ||
           coalesce(CASE WHEN us THEN (extract(epoch FROM entry_time(f)) * 1000)::bigint::text
                         ELSE f::text::jsonb ->> 'entry' END, '') || ':' ||
           coalesce(breakdown(f), '')
$$;
SELECT is((SELECT count(*) FROM serial s JOIN twins t USING (user_id)
           WHERE s.wf <> t.wf OR s.wf_order <> t.wf_order),
          0::bigint, 'window_funnel: the bigint forms give the timestamptz forms'' levels');
SELECT is((SELECT count(*) FROM serial s JOIN twins t USING (user_id)
           WHERE pg_temp.shape(s.fa, false) <> pg_temp.shape(t.fa, true)
              OR pg_temp.shape(s.fa_opts, false) <> pg_temp.shape(t.fa_opts, true)
              OR pg_temp.shape(s.fa_hold, false) <> pg_temp.shape(t.fa_hold, true)
              OR pg_temp.shape(s.fa_bool, false) <> pg_temp.shape(t.fa_bool, true)),
          0::bigint, 'funnel_agg: the bigint forms give the timestamptz forms'' steps, times (ms = us / 1000), entries and breakdowns');
SELECT ok((SELECT count(DISTINCT wf) = 4 AND count(DISTINCT max_step(fa_opts)) = 4 AND count(DISTINCT max_step(fa_hold)) >= 2
                  AND count(DISTINCT breakdown(fa_bool)) > 1
           FROM serial),
          'the data reaches every step of the funnels (everybody views), more than step 1 holding a product, and several breakdown values');

\ir lib/force_parallel.sql
\ir lib/plan_of.sql
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits the aggregates across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_result AS ' || :'q') AS plan;
SELECT results_eq('SELECT user_id, wf, wf_order, fa::text, fa_opts::text, fa_hold::text, fa_bool::text FROM parallel_result ORDER BY user_id',
                  'SELECT user_id, wf, wf_order, fa::text, fa_opts::text, fa_hold::text, fa_bool::text FROM serial ORDER BY user_id',
                  'bigint forms: parallel partial aggregation equals serial');
SET max_parallel_workers_per_gather = 0;

SELECT * FROM finish();
ROLLBACK;
