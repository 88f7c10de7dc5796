-- pgTAP: the dashboard recipe's promise (doc/dashboards.md).  Days of people
-- funnels, each built from the chains that entered that day (entry_from /
-- entry_before, rows up to one window after the day) and rolled up with
-- rollup(f, person), merge into exactly the people one funnel over the
-- whole range finds from the raw events: for random ranges of days, per
-- step, as sets of ids (not only counts), per segment, under any split and
-- order of the merge, serial and forced parallel, and after an incremental
-- rebuild of the days that late events touch.
\ir lib/tap_begin.sql
\set days 24
\set daily 160
\set population 500
\set seed 17
\ir data/daily_events.sql
SET TimeZone = 'UTC';
SELECT setseed(0.17);

SELECT plan(14);

CREATE TABLE stored_days (day date, segment int, f funnel, PRIMARY KEY (day, segment));

-- one day's rows, as the recipe builds them (segments: user_id % 3)
CREATE FUNCTION pg_temp.store_day(d date) RETURNS void LANGUAGE sql AS $$
    INSERT INTO stored_days (day, segment, f)
    SELECT d, user_id % 3, rollup(f, user_id)
    FROM (SELECT user_id,
                 funnel_agg(interval '1 day',
                            format('entry_from=%s, entry_before=%s', d::timestamptz, (d + 1)::timestamptz),
                            ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
          FROM site_events
          WHERE ts >= d::timestamptz AND ts <= (d + 1)::timestamptz + interval '1 day'
          GROUP BY user_id) per_user
    GROUP BY user_id % 3
    ON CONFLICT (day, segment) DO UPDATE SET f = excluded.f
$$;
SELECT count(pg_temp.store_day(d::date))
FROM generate_series(date '2026-01-01', date '2026-01-24', interval '1 day') d \gset

-- who reached each step, over days [a, b), from the raw events: one
-- funnel per person over the whole range (STABLE and PARALLEL SAFE, so that
-- it is inlined and its query can be planned in parallel)
CREATE FUNCTION pg_temp.raw_people(a date, b date, seg int DEFAULT NULL)
RETURNS TABLE (step int, ids bigint[]) LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT s, (SELECT array_agg(i ORDER BY i) FROM people_ids(t.f, s) i)
    FROM (SELECT rollup(f, user_id) AS f
          FROM (SELECT user_id,
                       funnel_agg(interval '1 day',
                                  format('entry_from=%s, entry_before=%s', a::timestamptz, b::timestamptz),
                                  ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
                FROM site_events
                WHERE ts >= a::timestamptz AND ts <= b::timestamptz + interval '1 day'
                  AND (seg IS NULL OR user_id % 3 = seg)
                GROUP BY user_id) per_user) t,
         generate_series(1, 4) s
$$;

-- the same from the stored days
CREATE FUNCTION pg_temp.stored_people(a date, b date, seg int DEFAULT NULL)
RETURNS TABLE (step int, ids bigint[]) LANGUAGE sql AS $$
    SELECT s, (SELECT array_agg(i ORDER BY i) FROM people_ids(t.f, s) i)
    FROM (SELECT rollup(f) AS f FROM stored_days
          WHERE day >= a AND day < b AND (seg IS NULL OR segment = seg)) t,
         generate_series(1, 4) s
$$;

-- random ranges of days (1 to 24 days long) and segments, drawn once
CREATE TEMP TABLE ranges AS
SELECT i, a, a + len AS b, CASE WHEN i % 3 = 0 THEN (i / 3) % 3 END AS seg
FROM (SELECT i, len, date '2026-01-01' + floor(random() * (25 - len))::int AS a
      FROM (SELECT i, 1 + floor(random() * 24)::int AS len FROM generate_series(1, 20) i) r
      OFFSET 0) q;

-- how many (range, step) pairs differ between stored and raw
CREATE FUNCTION pg_temp.mismatches() RETURNS bigint LANGUAGE sql AS $$
    SELECT count(*)
    FROM ranges r,
         LATERAL (SELECT * FROM pg_temp.raw_people(r.a, r.b, r.seg)) raw
         FULL JOIN LATERAL (SELECT * FROM pg_temp.stored_people(r.a, r.b, r.seg)) st USING (step)
    WHERE raw.ids IS DISTINCT FROM st.ids
$$;

-- 1-3. the data can tell the difference
SELECT ok((SELECT count(*) FROM ranges WHERE a >= '2026-01-01' AND b <= '2026-01-25' AND a < b) = 20,
          '20 random ranges of days within the log');
SELECT ok(count(*) > 0, 'some chains enter on one day and take a later step after midnight')
FROM site_events p
WHERE p.event = 'purchase'
  AND date_trunc('day', p.ts) > (SELECT date_trunc('day', max(v.ts)) FROM site_events v
                                 WHERE v.user_id = p.user_id AND v.event = 'view' AND v.ts <= p.ts);
SELECT ok((SELECT entered FROM funnel_steps(t.f) WHERE step = 1)
          > (SELECT people FROM funnel_people_steps(t.f) WHERE step = 1),
          'over the whole log, person-days exceed people at step 1')
FROM (SELECT rollup(f) AS f FROM stored_days) t;

-- 4. the property
SELECT is(pg_temp.mismatches(), 0::bigint,
          'for random ranges of days (and segments): stored days give the people of one funnel over the raw range, per step, as id sets');

-- 5. counts agree with funnel_people_steps and with a count over max_step
SELECT results_eq(
    $$SELECT step, people FROM funnel_people_steps((SELECT rollup(f) FROM stored_days
                                                   WHERE day >= '2026-01-03' AND day < '2026-01-20'))$$,
    $$SELECT s, count(*) FILTER (WHERE max_step(f) >= s)
      FROM (SELECT user_id, funnel_agg(interval '1 day',
                                       'entry_from=2026-01-03 00:00:00+00, entry_before=2026-01-20 00:00:00+00',
                                       ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
            FROM site_events WHERE ts >= '2026-01-03' AND ts <= '2026-01-21'
            GROUP BY user_id) u, generate_series(1, 4) s
      GROUP BY s ORDER BY s$$,
    'people per step = persons whose whole-range funnel reached the step');

-- 6-7. any split and order of the merge
SELECT is((SELECT rollup(f ORDER BY md5(day::text || segment))::text FROM stored_days),
          (SELECT rollup(f ORDER BY day, segment)::text FROM stored_days),
          'rollup of the stored days in random order equals rollup in day order');
SELECT is((SELECT rollup(g)::text
           FROM (SELECT rollup(f) AS g FROM stored_days GROUP BY hashint4(extract(doy FROM day)::int) % 5, segment) parts),
          (SELECT rollup(f)::text FROM stored_days),
          'rollup of rollups of an arbitrary split equals one rollup');

-- 8-11. serial equals forced parallel.  Each parallel result is stored with
-- CREATE TABLE AS, whose EXPLAIN ANALYZE runs it (pgTAP's results_eq and a
-- query inside is() are planned serially); the plan shape is asserted on
-- that same run, then the stored rows are compared.
SET max_parallel_workers_per_gather = 0;
CREATE TEMP TABLE serial_total AS SELECT rollup(f)::text AS f FROM stored_days;
CREATE TEMP TABLE serial_raw AS SELECT * FROM pg_temp.raw_people('2026-01-02', '2026-01-23');
\ir lib/plan_of.sql
\ir lib/force_parallel.sql
-- the combine runs only when two processes hold rows: without the leader,
-- and paced so that both workers get some of this small table
SET parallel_leader_participation = off;
SELECT ok(plan ~ 'Partial Aggregate' AND plan ~ 'Workers Launched: 2'
          AND plan ~ 'Parallel Seq Scan.*Worker 0:  actual rows=[1-9].*Worker 1:  actual rows=[1-9]',
          'the parallel plan splits rollup of the stored days across two launched workers that both read rows')
FROM pg_temp.verbose_plan_of($$CREATE TEMP TABLE parallel_total AS
    SELECT rollup(f)::text AS f FROM stored_days WHERE pg_temp.paced(segment, 1)$$) AS plan;
RESET parallel_leader_participation;
SELECT is((SELECT f FROM parallel_total), (SELECT f FROM serial_total),
          'rollup of the stored days: parallel partial aggregation equals serial');
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits the raw people funnel''s funnel_agg across launched workers')
FROM pg_temp.plan_of($$CREATE TEMP TABLE parallel_raw AS
                       SELECT * FROM pg_temp.raw_people('2026-01-02', '2026-01-23')$$) AS plan;
SELECT results_eq('SELECT * FROM parallel_raw ORDER BY step',
                  'SELECT * FROM serial_raw ORDER BY step',
                  'the raw people funnel: parallel equals serial');
SET max_parallel_workers_per_gather = 0;

-- 12-14. incremental refresh: late checkouts and purchases on days 10 and
-- 11, then the days whose rows they can touch rebuilt: a row at time t
-- belongs to the days d with d <= t <= d + 1 day + window, here the day of
-- t and the day before (9, 10 and 11)
CREATE TEMP TABLE before_refresh AS SELECT day, segment, f::text AS f FROM stored_days;
INSERT INTO site_events (user_id, channel, ts, event)
SELECT user_id, channel, ts + late.after, late.event
FROM site_events,
     (VALUES (interval '10 minutes', 'checkout'), (interval '20 minutes', 'purchase')) late(after, event)
WHERE site_events.event = 'cart' AND ts >= '2026-01-10' AND ts < '2026-01-11 23:30'
  AND user_id % 4 = 0;
SELECT count(pg_temp.store_day(d)) FROM (VALUES (date '2026-01-09'), (date '2026-01-10'), (date '2026-01-11')) v(d) \gset
SELECT ok(count(*) > 0, 'the late events change rows of the rebuilt days')
FROM stored_days s JOIN before_refresh b USING (day, segment)
WHERE s.f::text <> b.f;
CREATE TEMP TABLE after_refresh AS SELECT day, segment, f::text AS f FROM stored_days;
SELECT count(pg_temp.store_day(d::date))
FROM generate_series(date '2026-01-01', date '2026-01-24', interval '1 day') d \gset
SELECT is(count(*), 0::bigint, 'rebuilding every day with the same events changes nothing more')
FROM stored_days s FULL JOIN after_refresh b USING (day, segment)
WHERE s.f::text IS DISTINCT FROM b.f;
SELECT is(pg_temp.mismatches(), 0::bigint,
          'after the rebuild, stored days give the people of the raw range for every random range');

SELECT * FROM finish();
ROLLBACK;
