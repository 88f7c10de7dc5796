-- pgTAP: periods that do not cut chains.  For random ranges of days split at
-- random into consecutive periods, each period's funnel_agg value (chains
-- entering in the period: entry_from/entry_before of the period, rows from
-- its start to one window after its end), merged per user with best_chain,
-- equals funnel_agg over the whole range (entry_from/entry_before of the
-- range), as text, for every user and in several modes; serial and forced
-- parallel (funnel_agg's states carry the range between processes, and
-- best_chain's combine merges partial states).  See doc/semantics.md,
-- "Periods".
\ir lib/tap_begin.sql
\set users 400
\set seed 71
\ir data/clickstream.sql
SET TimeZone = 'UTC';

SELECT plan(25);

-- ranges: start day 0..9 after 2026-11-01, 2 to 5 days long; each split at
-- 1 to 4 random hours inside the range (some at a day boundary, most not)
CREATE TABLE splits AS
SELECT s AS split,
       timestamptz '2026-11-01' + (abs(hashint4(s * 7 + 1)) % 10) * interval '1 day' AS range_from,
       timestamptz '2026-11-01' + (abs(hashint4(s * 7 + 1)) % 10) * interval '1 day'
         + (2 + abs(hashint4(s * 7 + 2)) % 4) * interval '1 day' AS range_before
FROM generate_series(1, 6) s;
CREATE TABLE cuts AS
SELECT DISTINCT split, range_from + (1 + abs(hashint4(split * 101 + c)) % (hours - 1)) * interval '1 hour' AS cut
FROM (SELECT split, range_from, (extract(epoch FROM range_before - range_from) / 3600)::int AS hours
      FROM splits) s,
     generate_series(1, 1 + abs(hashint4(split * 13)) % 4) c
UNION
-- split 1 is cut at midnight every day, as a daily table is
SELECT 1, d FROM splits, generate_series(range_from + interval '1 day', range_before - interval '1 day',
                                         interval '1 day') d
WHERE split = 1;
CREATE TABLE periods AS
SELECT split, row_number() OVER (PARTITION BY split ORDER BY p_from) AS period, p_from,
       lead(p_from, 1, range_before) OVER (PARTITION BY split ORDER BY p_from) AS p_before
FROM (SELECT split, range_from AS p_from, range_before FROM splits
      UNION ALL
      SELECT split, cut, range_before FROM cuts JOIN splits USING (split)) b;

-- the modes: (mode string, window, form): 'named' steps, with 'hold' and
-- breakdown values, or boolean conditions that 'overlap' (a cart row is
-- steps 2 and 3, a checkout row steps 3 and 4), for strict_once.  Not
-- order=strict nor strict_deduplication with strict_once, whose breaks act
-- on every chain in progress, so that a chain of one period can end
-- another's (see doc/semantics.md, "Periods", and
-- sql/funnel_entry_range.sql).
CREATE TABLE modes (mode_id int, mode text, win interval, form text);
INSERT INTO modes VALUES
  (1, '', '1 day', 'named'),
  (2, '', '3 hours', 'named'),
  (3, 'entry=first', '1 day', 'named'),
  (4, 'strict_increase', '6 hours', 'named'),
  (5, 'exclude=search@2-4, within=3:30 minutes', '1 day', 'named'),
  (6, 'order=any', '3 hours', 'named'),
  (7, 'breakdown=last_touch', '1 day', 'hold'),
  (8, 'entry=first', '3 hours', 'hold'),
  (9, 'strict_once', '1 day', 'overlap'),
  (10, '', '3 hours', 'overlap'),
  (11, 'strict_once, strict_increase', '6 hours', 'overlap'),
  (12, 'strict_deduplication', '1 day', 'named'),
  (13, 'strict_deduplication', '3 hours', 'overlap'),
  (14, 'strict_deduplication, strict_increase', '6 hours', 'named');

-- (PARALLEL SAFE, or no query that calls it could be planned in parallel)
CREATE FUNCTION pg_temp.with_range(mode text, entry_from timestamptz, entry_before timestamptz)
RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT mode || CASE WHEN mode = '' THEN '' ELSE ', ' END ||
       format('entry_from=%s, entry_before=%s', entry_from, entry_before)
$$;

-- per-period values, and the whole range's, as text; one query for both
-- forms of funnel_agg (FILTER leaves the other one NULL)
CREATE VIEW period_values AS
SELECT m.mode_id, p.split, p.period, e.user_id, p.p_before,
       coalesce(funnel_agg(m.win, pg_temp.with_range(m.mode, p.p_from, p.p_before), e.ts, e.event,
                           ARRAY['view', 'cart', 'checkout', 'purchase']) FILTER (WHERE m.form = 'named'),
                funnel_agg(m.win, pg_temp.with_range(m.mode, p.p_from, p.p_before), e.ts, e.event,
                           ARRAY['view', 'cart', 'checkout', 'purchase'], hold_by(e.props ->> 'channel'),
                           breakdown_by(e.props ->> 'campaign')) FILTER (WHERE m.form = 'hold'),
                funnel_agg(m.win, pg_temp.with_range(m.mode, p.p_from, p.p_before), e.ts,
                           e.event = 'view', e.event = 'cart', e.event IN ('cart', 'checkout'),
                           e.event IN ('checkout', 'purchase')) FILTER (WHERE m.form = 'overlap'))::text AS f
FROM modes m CROSS JOIN periods p
JOIN events e ON e.ts >= p.p_from AND e.ts <= p.p_before + m.win
GROUP BY m.mode_id, p.split, p.period, e.user_id, p.p_before;
-- the whole range's rows of every mode (a view), and the whole range's
-- values of a table or view of such rows, as a query
CREATE VIEW range_rows AS
SELECT m.mode_id, m.mode, m.win, m.form, s.split, s.range_from, s.range_before, e.user_id, e.ts, e.event, e.props
FROM modes m CROSS JOIN splits s
JOIN events e ON e.ts >= s.range_from AND e.ts <= s.range_before + m.win;
CREATE FUNCTION pg_temp.whole_query(src text) RETURNS text LANGUAGE sql AS $$
    SELECT format($q$
      SELECT mode_id, split, user_id,
             coalesce(funnel_agg(win, pg_temp.with_range(mode, range_from, range_before), ts, event,
                                 ARRAY['view', 'cart', 'checkout', 'purchase']) FILTER (WHERE form = 'named'),
                      funnel_agg(win, pg_temp.with_range(mode, range_from, range_before), ts, event,
                                 ARRAY['view', 'cart', 'checkout', 'purchase'], hold_by(props ->> 'channel'),
                                 breakdown_by(props ->> 'campaign')) FILTER (WHERE form = 'hold'),
                      funnel_agg(win, pg_temp.with_range(mode, range_from, range_before), ts,
                                 event = 'view', event = 'cart', event IN ('cart', 'checkout'),
                                 event IN ('checkout', 'purchase')) FILTER (WHERE form = 'overlap'))::text AS f
      FROM %I GROUP BY mode_id, split, user_id$q$, src)
$$;

\ir lib/plan_of.sql
SET max_parallel_workers_per_gather = 0;
-- scattered in hash order, so that a user's periods land in different
-- workers' blocks and best_chain's combine runs
CREATE TABLE pp AS SELECT * FROM period_values ORDER BY hashint8(user_id * 31 + period);
SELECT pg_temp.whole_query('range_rows') AS whole_q \gset
CREATE TABLE wv AS :whole_q;
ANALYZE pp;
ANALYZE wv;
-- the same rows stored (in hash order, so that a group's rows land in
-- different workers' blocks), for the parallel check: PostgreSQL gathers
-- the join of events with modes and splits before aggregating, but splits
-- the aggregate of one table across workers
CREATE TABLE range_rows_stored AS SELECT * FROM range_rows ORDER BY md5(mode_id || '/' || split || '/' || ts || '/' || event);
ANALYZE range_rows_stored;
CREATE VIEW merged AS
SELECT mode_id, split, user_id, best_chain(f::funnel)::text AS f FROM pp GROUP BY mode_id, split, user_id;
CREATE TABLE merged_serial AS SELECT * FROM merged;
CREATE VIEW range_by_user AS
SELECT user_id, funnel_agg('1 day', 'order=strict, entry_from=2026-11-03 07:00, entry_before=2026-11-06', ts, event,
                           ARRAY['view', 'cart', 'checkout', 'purchase'])::text AS f
FROM events GROUP BY user_id;
CREATE TABLE range_serial AS SELECT * FROM range_by_user;

-- 1. the test is not vacuous: many users, chains that cross a period's end,
-- several periods per range, and a naive split (no entry range, rows cut at
-- the period's end) that loses or changes chains
SELECT ok((SELECT count(*) FROM wv WHERE max_step(f::funnel) >= 2) > 1000,
          'more than 1,000 (mode, range, user) values reach step 2');
SELECT ok((SELECT count(*) FROM pp
           WHERE max_step(f::funnel) >= 2
             AND entry_time(f::funnel) + ((f::text::jsonb -> 'time_from_first_us' ->> -1)::bigint
                                          * interval '1 microsecond') >= p_before) > 20,
          'more than 20 period values hold a chain that finishes after the period''s end');
SELECT ok((SELECT count(*) FROM periods) >= 15 AND (SELECT min(n) FROM (SELECT count(*) AS n FROM periods GROUP BY split) s) >= 2,
          'every range is split into two periods or more');
CREATE TABLE naive AS
SELECT split, user_id, max(max_step(f)) AS level
FROM (SELECT p.split, p.period, e.user_id,
             funnel_agg('1 day', e.ts, e.event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
      FROM periods p JOIN events e ON e.ts >= p.p_from AND e.ts < p.p_before
      GROUP BY p.split, p.period, e.user_id) x
GROUP BY split, user_id;
SELECT ok((SELECT count(*) FROM wv JOIN naive n USING (split, user_id)
           WHERE mode_id = 1 AND max_step(wv.f::funnel) > n.level) > 0,
          'cutting the rows at the periods'' ends without entry ranges loses steps for some users');

-- 2. best_chain of the periods equals funnel_agg over the range, per mode
SELECT is((SELECT count(*) FROM wv w FULL JOIN merged_serial m USING (mode_id, split, user_id)
           WHERE w.mode_id = md.mode_id AND (w.f IS DISTINCT FROM m.f))::int, 0,
          format('mode %s "%s", window %s, %s steps: best_chain of the periods equals funnel_agg over the range for every user',
                 md.mode_id, md.mode, md.win, md.form))
FROM modes md ORDER BY md.mode_id;
SELECT is((SELECT count(*) FROM wv w FULL JOIN merged_serial m USING (mode_id, split, user_id)
           WHERE w.f IS NULL OR m.f IS NULL)::int, 0,
          'the same (mode, range, user) groups on both sides');

-- 3. forced parallel: funnel_agg's states with an entry range cross
-- processes, and best_chain's combine merges partial states.  Each parallel
-- result is stored with CREATE TABLE AS, whose EXPLAIN ANALYZE runs it
-- (pgTAP's results_eq runs its queries as cursors, which PostgreSQL never
-- plans in parallel); the plan shape is asserted on that same run, then
-- the stored rows are compared.
\ir lib/force_parallel.sql
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits best_chain across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_merged AS SELECT * FROM merged') AS plan;
SELECT results_eq('SELECT * FROM parallel_merged ORDER BY mode_id, split, user_id',
                  'SELECT * FROM merged_serial ORDER BY mode_id, split, user_id',
                  'best_chain: parallel partial aggregation and combine equal serial');
-- sorted: PostgreSQL 18 prefers to gather the rows into one hash
-- aggregate here, which would not pass states between processes
SET enable_hashagg = off;
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits funnel_agg with an entry range across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_range AS SELECT * FROM range_by_user') AS plan;
SELECT ok(plan ~ 'Partial (Hash|Group)Aggregate' AND plan ~ 'Workers Launched: [1-9]',
          'the parallel plan splits funnel_agg with entry ranges per (mode, range, user) across launched workers')
FROM pg_temp.plan_of('CREATE TEMP TABLE parallel_whole AS ' || pg_temp.whole_query('range_rows_stored')) AS plan;
SELECT results_eq('SELECT mode_id, split, user_id, f FROM parallel_whole ORDER BY mode_id, split, user_id',
                  'SELECT mode_id, split, user_id, f FROM wv ORDER BY mode_id, split, user_id',
                  'funnel_agg with entry ranges: parallel equals serial');
SELECT results_eq('SELECT * FROM parallel_range ORDER BY user_id',
                  'SELECT * FROM range_serial ORDER BY user_id',
                  'funnel_agg with an entry range by user: parallel partial states (serialized with the range) equal serial');
RESET enable_hashagg;
SET max_parallel_workers_per_gather = 0;

SELECT * FROM finish();
ROLLBACK;
