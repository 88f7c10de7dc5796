-- funnel_agg's entry range (entry_from=, entry_before=): chains start only
-- at step-1 rows in the range, and may finish up to one window after it;
-- best_chain merges one entity's per-period values into its best chain.
-- Hand-checked cases around the day boundary 2026-03-03 00:00 UTC.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET TimeZone = 'UTC';

CREATE TEMP TABLE ev (uid int, ts timestamptz, event text, product text, channel text);
INSERT INTO ev VALUES
  -- 1: a chain starting 23:50 that converts 00:10
  (1, '2026-03-02 23:50', 'view', 'p', 'seo'), (1, '2026-03-03 00:10', 'buy', 'p', 'ads'),
  -- 2: a view on day 1, a view and a buy on day 2 (entry=first)
  (2, '2026-03-02 10:00', 'view', 'p', 'seo'), (2, '2026-03-03 09:00', 'view', 'p', 'ads'),
  (2, '2026-03-03 09:30', 'buy', 'p', 'ads'),
  -- 3: bought on day 1, viewed after midnight (order=any)
  (3, '2026-03-02 23:55', 'buy', 'p', 'seo'), (3, '2026-03-03 00:05', 'view', 'p', 'seo'),
  -- 4: one attempt per day (count=attempts)
  (4, '2026-03-02 23:30', 'view', 'p', 'seo'), (4, '2026-03-02 23:40', 'buy', 'p', 'seo'),
  (4, '2026-03-03 00:10', 'view', 'p', 'seo'), (4, '2026-03-03 00:20', 'buy', 'p', 'seo'),
  -- 5: product p viewed on day 1 and never bought; product q on day 2 (hold)
  (5, '2026-03-02 23:50', 'view', 'p', 'seo'), (5, '2026-03-03 00:05', 'buy', 'q', 'seo'),
  (5, '2026-03-03 00:10', 'view', 'q', 'ads'), (5, '2026-03-03 00:20', 'buy', 'q', 'ads');

-- a compact view of a one-entity funnel: step reached, minutes from entry
-- of each later step, entry time (UTC)
CREATE FUNCTION pg_temp.show(f funnel) RETURNS text LANGUAGE sql AS $$
SELECT CASE WHEN NOT (f::text::jsonb ? 'step_reached') THEN f::text ELSE
       format('level %s, minutes %s, entry %s', max_step(f),
              (SELECT coalesce(string_agg((x::bigint / 60000000)::text, ',' ORDER BY n), '-')
               FROM jsonb_array_elements_text(f::text::jsonb -> 'time_from_first_us')
                    WITH ORDINALITY AS t(x, n)),
              coalesce(CASE WHEN isfinite(entry_time(f))
                            THEN to_char(entry_time(f) AT TIME ZONE 'UTC', 'MM-DD HH24:MI')
                            ELSE entry_time(f)::text END, '-'))
       END
$$;

-- per-day values: rows from the day's start to one window (1 hour) after
-- its end, chains entering in the day
CREATE TEMP VIEW daily AS
SELECT d.day, e.*
FROM (VALUES (timestamptz '2026-03-02'), ('2026-03-03')) d(day)
JOIN ev e ON e.ts >= d.day AND e.ts <= d.day + interval '1 day 1 hour';
CREATE FUNCTION pg_temp.range_mode(day timestamptz, extra text DEFAULT '') RETURNS text
LANGUAGE sql AS $$
SELECT extra || CASE WHEN extra = '' THEN '' ELSE ', ' END ||
       format('entry_from=%s, entry_before=%s', day, day + interval '1 day')
$$;

-------------------------------------------------------------------------------
-- 1. The chain 23:50 -> 00:10 counts in the day it enters (day 1, level 2)
-- and not in the next (day 2: a buy without a view, level 0).  Cut at
-- midnight without a range it is lost: day 1 sees the view only, day 2
-- the buy only.
SELECT day::date,
       pg_temp.show(funnel_agg('1 hour', pg_temp.range_mode(day), ts, event, ARRAY['view', 'buy'])) AS entry_range,
       pg_temp.show(funnel_agg('1 hour', ts, event, ARRAY['view', 'buy'])
                    FILTER (WHERE ts < day + interval '1 day')) AS cut_at_midnight
FROM daily WHERE uid = 1 GROUP BY day ORDER BY day;
-- best_chain over the days equals funnel_agg over both days, byte for byte
WITH per_day AS (
  SELECT uid, day, funnel_agg('1 hour', pg_temp.range_mode(day), ts, event, ARRAY['view', 'buy']) AS f
  FROM daily GROUP BY uid, day),
whole AS (
  SELECT uid, funnel_agg('1 hour', 'entry_from=2026-03-02, entry_before=2026-03-04', ts, event,
                         ARRAY['view', 'buy']) AS f
  FROM ev GROUP BY uid)
SELECT w.uid, pg_temp.show(b.f) AS best_chain, b.f::text = w.f::text AS same_text,
       funnel_send(b.f) = funnel_send(w.f) AS same_bytes
FROM whole w JOIN (SELECT uid, best_chain(f) AS f FROM per_day GROUP BY uid) b USING (uid)
ORDER BY uid;
-- the value records that a range was applied, not its bounds
SELECT funnel_agg('1 hour', 'entry_from=2026-03-02, entry_before=2026-03-03', ts, event,
                  ARRAY['view', 'buy'])::text
FROM ev WHERE uid = 1;
-- text input takes it back (and refuses bounds: see the errors below)
SELECT count(*) AS users, bool_and(f::text::funnel::text = f::text) AS text_round_trip,
       rollup(f)::text::funnel::text = rollup(f)::text AS merged_round_trip
FROM (SELECT funnel_agg('1 hour', 'entry_from=2026-03-02, entry_before=2026-03-03', ts, event,
                        ARRAY['view', 'buy']) AS f
      FROM ev GROUP BY uid) s;
-- so per-day values merge with rollup (entity-days: user 1 counts on both days)
SELECT entities(f), reached(f, 1) AS viewed, reached(f, 2) AS bought
FROM (SELECT rollup(f) AS f FROM (
  SELECT funnel_agg('1 hour', pg_temp.range_mode(day), ts, event, ARRAY['view', 'buy']) AS f
  FROM daily WHERE uid = 1 GROUP BY day) d) r;

-- 2. entry=first in a range: the first step-1 row IN the range (09:00 on
-- day 2), where over all rows the first is 10:00 on day 1
SELECT pg_temp.show(funnel_agg('1 hour', 'entry=first, entry_from=2026-03-03', ts, event, ARRAY['view', 'buy'])) AS first_in_range,
       pg_temp.show(funnel_agg('1 hour', 'entry=first', ts, event, ARRAY['view', 'buy'])) AS first_overall,
       pg_temp.show(funnel_agg('1 hour', 'entry=first, entry_before=2026-03-03', ts, event, ARRAY['view', 'buy'])) AS first_before_day_2
FROM ev WHERE uid = 2;

-- 3. order=any: a chain starts at any step's row in the range; user 3's
-- buy at 23:55 starts day 1's chain, which takes the view at 00:05
SELECT day::date,
       pg_temp.show(funnel_agg('1 hour', pg_temp.range_mode(day, 'order=any'), ts, event, ARRAY['view', 'buy'])) AS any_order
FROM daily WHERE uid = 3 GROUP BY day ORDER BY day;
SELECT pg_temp.show(best_chain(f)) AS best_chain
FROM (SELECT funnel_agg('1 hour', pg_temp.range_mode(day, 'order=any'), ts, event, ARRAY['view', 'buy']) AS f
      FROM daily WHERE uid = 3 GROUP BY day) d;

-- 4. count=attempts: attempts start only at step-1 rows in the range; the
-- days' attempts add up to the attempts over both days
SELECT day::date, reached(f, 1) AS attempts, reached(f, 2) AS bought
FROM (SELECT day, funnel_agg('1 hour', pg_temp.range_mode(day, 'count=attempts'), ts, event, ARRAY['view', 'buy']) AS f
      FROM daily WHERE uid = 4 GROUP BY day) d ORDER BY day;
SELECT reached(f, 1) AS attempts, reached(f, 2) AS bought
FROM (SELECT funnel_agg('1 hour', 'count=attempts, entry_from=2026-03-02, entry_before=2026-03-04', ts, event, ARRAY['view', 'buy']) AS f
      FROM ev WHERE uid = 4) w;

-- 5. hold: per product as usual; day 1 has product p's view only (the q
-- view at 00:10 is day 2's), day 2 has product q's chain; the breakdown
-- (first touch) of the best chain is kept by best_chain
SELECT day::date,
       pg_temp.show(funnel_agg('1 hour', pg_temp.range_mode(day), ts, event, ARRAY['view', 'buy'],
                               hold_by(product), breakdown_by(channel))) AS per_product,
       breakdown(funnel_agg('1 hour', pg_temp.range_mode(day), ts, event, ARRAY['view', 'buy'],
                            hold_by(product), breakdown_by(channel))) AS channel
FROM daily WHERE uid = 5 GROUP BY day ORDER BY day;
SELECT pg_temp.show(b.f) AS best_chain, breakdown(b.f) AS channel, b.f::text = w.f::text AS equal_to_whole
FROM (SELECT best_chain(f) AS f FROM (
        SELECT funnel_agg('1 hour', pg_temp.range_mode(day), ts, event, ARRAY['view', 'buy'],
                          hold_by(product), breakdown_by(channel)) AS f
        FROM daily WHERE uid = 5 GROUP BY day) d) b,
     (SELECT funnel_agg('1 hour', 'entry_from=2026-03-02, entry_before=2026-03-04', ts, event,
                        ARRAY['view', 'buy'], hold_by(product), breakdown_by(channel)) AS f
      FROM ev WHERE uid = 5) w;

-- 6. strict_deduplication: a step-1 row outside the range still acts on
-- the chains in progress.  Day 1's chain enters at 23:50; the view at 00:10
-- (day 2's entry) repeats step 1 and ends it, so day 1 stays at step 1
-- (it does not borrow the cart and buy of day 2's chain).  Default mode:
-- day 1's chain goes on to step 3.
SELECT m AS mode, day::date,
       pg_temp.show(funnel_agg('1 hour', pg_temp.range_mode(day, m), ts, e, ARRAY['view', 'cart', 'buy'])) AS f
FROM (VALUES ('2026-03-02 23:50'::timestamptz, 'view'), ('2026-03-03 00:10', 'view'),
             ('2026-03-03 00:20', 'cart'), ('2026-03-03 00:30', 'buy')) v(ts, e),
     (VALUES (timestamptz '2026-03-02'), ('2026-03-03')) d(day),
     (VALUES ('strict_deduplication'), ('order=ordered')) m(m)
WHERE ts >= day AND ts <= day + interval '1 day 1 hour'
GROUP BY m, day ORDER BY m DESC, day;
-- strict_order: an unmatched row after entry_before still breaks day 1's chain
SELECT pg_temp.show(funnel_agg('1 hour', 'order=strict, entry_before=2026-03-03', ts, e, ARRAY['view', 'cart'])) AS strict,
       pg_temp.show(funnel_agg('1 hour', 'entry_before=2026-03-03', ts, e, ARRAY['view', 'cart'])) AS ordered
FROM (VALUES ('2026-03-02 23:50'::timestamptz, 'view'), ('2026-03-03 00:05', 'other'),
             ('2026-03-03 00:10', 'cart')) v(ts, e);
-- strict_once, strict_increase with the range
SELECT pg_temp.show(funnel_agg('1 hour', 'strict_once, strict_increase, entry_from=2026-03-02 23:00', ts, e = 'view', e = 'view' OR e = 'cart')) AS once_increase
FROM (VALUES ('2026-03-02 22:50'::timestamptz, 'view'), ('2026-03-02 23:10', 'view'),
             ('2026-03-02 23:20', 'cart')) v(ts, e);

-- 7. timestamp without time zone: the bounds are read as timestamps
SELECT pg_temp.show(funnel_agg('1 hour', 'entry_before=2026-03-03', ts, e, ARRAY['view', 'buy'])) AS day_1,
       pg_temp.show(funnel_agg('1 hour', 'entry_from=2026-03-03', ts, e, ARRAY['view', 'buy'])) AS day_2,
       funnel_agg('1 hour', 'entry_from=2026-03-03', ts, e, ARRAY['view', 'buy'])::text::jsonb ->> 'entry_type' AS entry_type
FROM (VALUES ('2026-03-02 23:50'::timestamp, 'view'), ('2026-03-03 00:10', 'buy'),
             ('2026-03-03 00:20', 'view')) v(ts, e);
-- timestamptz bounds are read in the session's TimeZone: in Kathmandu
-- (UTC+05:45) day 2 starts at 18:15 UTC
SET TimeZone = 'Asia/Kathmandu';
SELECT pg_temp.show(funnel_agg('1 hour', 'entry_from=2026-03-03', ts, e, ARRAY['view', 'buy'])) AS from_local_midnight
FROM (VALUES ('2026-03-02 18:00+00'::timestamptz, 'view'), ('2026-03-02 18:20+00', 'view'),
             ('2026-03-02 18:30+00', 'buy')) v(ts, e);
SET TimeZone = 'UTC';
-- infinities: the range is half-open, so entry_before=infinity leaves out a
-- step 1 at infinity, and entry_from=-infinity takes one at -infinity
SELECT pg_temp.show(funnel_agg('1 hour', 'entry_from=-infinity', ts, e, ARRAY['view', 'buy'])) AS from_minus_infinity,
       pg_temp.show(funnel_agg('1 hour', 'entry_before=infinity', ts, e, ARRAY['view', 'buy'])) AS before_infinity,
       pg_temp.show(funnel_agg('1 hour', 'entry_from=-infinity, entry_before= infinity ', ts, e, ARRAY['view', 'buy'])) AS both
FROM (VALUES ('-infinity'::timestamptz, 'view'), ('infinity', 'view'), ('infinity', 'buy')) v(ts, e);
-- boolean forms take the range too; nothing in range gives level 0
SELECT pg_temp.show(funnel_agg('1 hour', 'entry_from=2026-03-03', ts, event = 'view', event = 'buy')) AS boolean_form,
       pg_temp.show(funnel_agg('1 hour', 'entry_from=2026-03-04', ts, event = 'view', event = 'buy')) AS nothing_in_range
FROM ev WHERE uid = 1;

-- Where the periods rule is not exact: order=strict's breaks, and
-- strict_deduplication's under strict_once, act on every chain in
-- progress, so a chain of one period can end or shield a chain of another.
-- Periods split at 00:10; minutes after midnight; steps a, b, c, d.
--  order=strict, window 6 min: the chain a@5 b@6 (period 1) has reached b,
--    so c@12 does not break the chain a@11 (period 2), which goes on to
--    c@14; period 2 alone breaks it at c@12: 3 against 2.
--  strict_deduplication, strict_once, window 20 min: b@12 of period 2's
--    chain repeats period 1's b@2 and ends every chain, so the whole range
--    stops at 2; period 2 alone reaches 3.
--  strict_deduplication alone ends only the chain whose last step repeats
--    (a@11 b@12 at b@13), so a@1 b@2 c@3 takes d@14 either way: 4 and 4.
CREATE TEMP TABLE not_exact (mode text, win interval, m int, e text);
INSERT INTO not_exact VALUES
  ('order=strict', '6 minutes', 5, 'a'), ('order=strict', '6 minutes', 6, 'b'),
  ('order=strict', '6 minutes', 11, 'a'), ('order=strict', '6 minutes', 12, 'c'),
  ('order=strict', '6 minutes', 13, 'b'), ('order=strict', '6 minutes', 14, 'c'),
  ('strict_deduplication, strict_once', '20 minutes', 1, 'a'),
  ('strict_deduplication, strict_once', '20 minutes', 2, 'b'),
  ('strict_deduplication, strict_once', '20 minutes', 11, 'a'),
  ('strict_deduplication, strict_once', '20 minutes', 12, 'b'),
  ('strict_deduplication, strict_once', '20 minutes', 13, 'c'),
  ('strict_deduplication', '20 minutes', 1, 'a'), ('strict_deduplication', '20 minutes', 2, 'b'),
  ('strict_deduplication', '20 minutes', 3, 'c'), ('strict_deduplication', '20 minutes', 11, 'a'),
  ('strict_deduplication', '20 minutes', 12, 'b'), ('strict_deduplication', '20 minutes', 13, 'b'),
  ('strict_deduplication', '20 minutes', 14, 'd');
SELECT mode, max(level) FILTER (WHERE w = 'whole') AS whole_range,
       max(level) FILTER (WHERE w <> 'whole') AS best_of_periods
FROM (SELECT mode, w,
             max_step(funnel_agg(win, mode || ', ' || r, ts, e, ARRAY['a', 'b', 'c', 'd'])) AS level
      FROM not_exact,
           LATERAL (SELECT timestamptz '2026-03-02' + m * interval '1 minute' AS ts) t,
           (VALUES ('whole', 'entry_from=2026-03-02 00:00, entry_before=2026-03-02 00:20', 0),
                   ('p1', 'entry_from=2026-03-02 00:00, entry_before=2026-03-02 00:10', 0),
                   ('p2', 'entry_from=2026-03-02 00:10, entry_before=2026-03-02 00:20', 10)) p(w, r, lo)
      WHERE m >= lo AND ts <= timestamptz '2026-03-02' + (CASE w WHEN 'p1' THEN 10 ELSE 20 END) * interval '1 minute' + win
      GROUP BY mode, w) s
GROUP BY mode ORDER BY mode;

-------------------------------------------------------------------------------
-- best_chain: funnel_agg's rule over one entity's values
CREATE TEMP TABLE runs (run int, ts timestamptz, e text, channel text);
INSERT INTO runs VALUES
  -- A: view 10:00, buy 10:30          level 2, reached 10:30, entry 10:00
  (1, '2026-03-02 10:00', 'view', 'a'), (1, '2026-03-02 10:30', 'buy', 'a'),
  -- B: view 10:10, buy 10:30          level 2, reached 10:30, entry 10:10
  (2, '2026-03-02 10:10', 'view', 'b'), (2, '2026-03-02 10:30', 'buy', 'b'),
  -- C: view 09:00, buy 10:20          level 2, reached 10:20 (earliest)
  (3, '2026-03-02 09:00', 'view', 'c'), (3, '2026-03-02 10:20', 'buy', 'c'),
  -- D: view 08:00                     level 1, entry 08:00 (first)
  (4, '2026-03-02 08:00', 'view', 'd'),
  -- E: nothing                        level 0
  (5, '2026-03-02 08:30', 'buy', 'e');
CREATE TEMP VIEW run_values AS
SELECT run, funnel_agg('2 hours', '', ts, e, ARRAY['view', 'buy'], NULL, breakdown_by(channel)) AS f,
       funnel_agg('2 hours', 'entry=first', ts, e, ARRAY['view', 'buy'], NULL, breakdown_by(channel)) AS first
FROM runs GROUP BY run;
SELECT run, pg_temp.show(f), breakdown(f) FROM run_values ORDER BY run;
-- ties: same level, same reach time -> the later start (B over A); an
-- earlier reach wins (C); a higher level wins over a lower (A over D);
-- level 0 loses to any; all level 0 gives level 0; the breakdown is kept;
-- NULLs are skipped, and no rows give NULL.  Both orders of the rows.
SELECT runs, pg_temp.show(best_chain(f ORDER BY run)) AS forward,
       pg_temp.show(best_chain(f ORDER BY run DESC)) AS backward,
       breakdown(best_chain(f ORDER BY run)) AS channel
FROM (VALUES ('A B', ARRAY[1, 2]), ('A B C', ARRAY[1, 2, 3]), ('A D', ARRAY[1, 4]),
             ('D E', ARRAY[4, 5]), ('E', ARRAY[5]), ('E E', ARRAY[5, 5])) s(runs, r)
JOIN run_values ON run = ANY (r)
GROUP BY runs ORDER BY runs;
SELECT pg_temp.show(best_chain(f)) AS with_null FROM (SELECT f FROM run_values WHERE run = 1 UNION ALL SELECT NULL) s;
SELECT best_chain(f) IS NULL AS no_rows FROM run_values WHERE false;
SELECT best_chain(NULL::funnel) IS NULL AS only_null;
-- entry=first: the earliest entry wins (D, level 1, over C's level 2)
SELECT pg_temp.show(best_chain(first)) AS entry_first, breakdown(best_chain(first)) AS channel FROM run_values;
SELECT pg_temp.show(best_chain(first)) AS entry_first_without_d FROM run_values WHERE run <> 4;
-- best_chain's value is a one-entity value rollup counts once
SELECT entities(rollup(f)), reached(rollup(f), 2) FROM (SELECT best_chain(f) AS f FROM run_values) b;

-------------------------------------------------------------------------------
-- Errors
\i test/lib/expect_error.sql
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
\pset footer off
-- options
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_from=yesterday-ish', ts, event, ARRAY['view', 'buy']) FROM ev$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_before=2026-02-30', ts, event, ARRAY['view', 'buy']) FROM ev$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_from=2026-03-03, entry_before=2026-03-03', ts, event, ARRAY['view', 'buy']) FROM ev$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_from=2026-03-04, entry_before=2026-03-03', ts, event, ARRAY['view', 'buy']) FROM ev$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_from=infinity, entry_before=infinity', ts, event, ARRAY['view', 'buy']) FROM ev$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_from=March 3, 2026', ts, event, ARRAY['view', 'buy']) FROM ev$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_before=Tue, 03 Mar 2026 00:00', ts, event, ARRAY['view', 'buy']) FROM ev$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_from=', ts, event, ARRAY['view', 'buy']) FROM ev$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_from=2026-03-02, entry_from=2026-03-03', ts, event, ARRAY['view', 'buy']) FROM ev$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_range', ts, event, ARRAY['view', 'buy']) FROM ev$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_range=1:2', ts, event, ARRAY['view', 'buy']) FROM ev$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_frm=2026-03-02', ts, event, ARRAY['view', 'buy']) FROM ev$$);
-- for a timestamp column, a zone written in a bound is ignored, as
-- timestamp input does
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 hour', 'entry_from=2026-03-03 00:00+05', ts::timestamp, event, ARRAY['view', 'buy']) FROM ev$$);
-- a stored value whose options carry bounds (a state's) is refused
SELECT * FROM pg_temp.expect_error($$SELECT replace(funnel_agg('1 hour', 'entry_from=2026-03-03', ts, event, ARRAY['view', 'buy'])::text, '"entry_range"', '"entry_range=1:2"')::funnel FROM ev WHERE uid = 1$$);
-- merging values built with and without a range
SELECT * FROM pg_temp.expect_error($$SELECT rollup(f) FROM (
  SELECT funnel_agg('1 hour', 'entry_from=2026-03-03', ts, event, ARRAY['view', 'buy']) AS f FROM ev WHERE uid = 1
  UNION ALL SELECT funnel_agg('1 hour', '', ts, event, ARRAY['view', 'buy']) FROM ev WHERE uid = 2) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT best_chain(f) FROM (
  SELECT funnel_agg('1 hour', 'order=any', ts, event, ARRAY['view', 'buy']) AS f FROM ev WHERE uid = 1
  UNION ALL SELECT funnel_agg('1 hour', 'order=any, entry_before=2026-03-03', ts, event, ARRAY['view', 'buy']) FROM ev WHERE uid = 1) s$$);
-- best_chain: a value of several entities, of attempts, other definitions,
-- exclusion=remove, a value without its entry time
SELECT * FROM pg_temp.expect_error($$SELECT best_chain(f) FROM (SELECT rollup(f) AS f FROM run_values) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT best_chain(f) FROM (SELECT funnel_agg('1 hour', 'count=attempts', ts, event, ARRAY['view', 'buy']) AS f FROM ev WHERE uid = 4) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT best_chain(f) FROM (
  SELECT funnel_agg('1 hour', ts, event, ARRAY['view', 'buy']) AS f FROM ev WHERE uid = 1
  UNION ALL SELECT funnel_agg('2 hours', ts, event, ARRAY['view', 'buy']) FROM ev WHERE uid = 1) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT best_chain(f) FROM (
  SELECT funnel_agg('1 hour', ts, event, ARRAY['view', 'buy']) AS f FROM ev WHERE uid = 1
  UNION ALL SELECT funnel_agg('1 hour', ts, event, ARRAY['view', 'pay']) FROM ev WHERE uid = 1) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT best_chain(f) FROM (SELECT funnel_agg('1 hour', 'exclude=refund@1-2, exclusion=remove, entry_from=2026-03-02', ts, event, ARRAY['view', 'buy']) AS f FROM ev WHERE uid = 1) s$$);
SELECT * FROM pg_temp.expect_error($$SELECT best_chain(f) FROM (SELECT rollup(f) AS f FROM run_values WHERE run = 1) s$$);
-- a level-0 value has no entry time and needs none
SELECT * FROM pg_temp.expect_error($$SELECT best_chain(f) FROM (SELECT rollup(f) AS f FROM run_values WHERE run = 5) s$$);
