-- Infinite timestamps and saturated windows: every walk that uses a window
-- follows one rule (doc/semantics.md, "Window arithmetic"):
--   - equal timestamps are the same instant, equal infinities too: within
--     every window, even 0, and 0 apart;
--   - an infinite timestamp is never within a window of a different one,
--     nor a finite one of an infinite one, however long the window;
--   - a window of 2^63-1 microseconds or more (interval '296534 years',
--     whose years are 360 days) saturates and spans every two finite
--     timestamps, even the first and the last (4714-11-24 BC to 294276-12-31
--     are about 298,989 calendar years apart; '292000 years' does not saturate);
--     a time longer than int64 microseconds is recorded as the longest.
-- Each pair below puts step 1 at t1 and step 2 at t2; finite times on both
-- sides of 2000-01-01 (microsecond 0, where the old arithmetic changed its
-- answer) show that the direction and the sign do not matter.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET timezone = 'UTC';
SET extra_float_digits = 0;

CREATE TEMP TABLE inf_pairs (n int, what text, t1 timestamptz, t2 timestamptz);
INSERT INTO inf_pairs VALUES
  (1, '1999-12-31 -> infinity', '1999-12-31', 'infinity'),
  (2, '2000-01-02 -> infinity', '2000-01-02', 'infinity'),
  (3, '-infinity -> 1999-12-31', '-infinity', '1999-12-31'),
  (4, '-infinity -> 2000-01-02', '-infinity', '2000-01-02'),
  (5, '-infinity -> infinity', '-infinity', 'infinity'),
  (6, 'infinity -> infinity', 'infinity', 'infinity'),
  (7, '-infinity -> -infinity', '-infinity', '-infinity'),
  (8, 'first -> last finite', '4714-11-24 00:00 BC', '294276-12-31 23:59:59.999999'),
  (9, '2000-01-01 -> 01:00', '2000-01-01', '2000-01-01 01:00');
-- a saturated window and a normal one
CREATE TEMP TABLE inf_windows (w interval, secs text);
INSERT INTO inf_windows VALUES ('300000 years', '99999999999999'), ('1 day', '86400');
CREATE TEMP VIEW inf_events AS
SELECT p.n, p.what, w.w, w.secs, e.step, e.ts
FROM inf_pairs p CROSS JOIN inf_windows w,
     LATERAL (VALUES (1, p.t1), (2, p.t2)) e(step, ts);

-- 1. window_funnel: the default walk and the strict_once walk.  Level 2
-- for the equal infinities (6, 7 at any window), the first and last finite
-- times only under the saturated window, and the control pair; level 1 for
-- every pair of a finite and an infinite time or of -infinity and infinity.
SELECT n, what, w AS "window",
       window_funnel(w, ts, step = 1, step = 2) AS level,
       window_funnel(w, 'strict_once', ts, step = 1, step = 2) AS strict_once,
       window_funnel(w, 'strict_order', ts, step = 1, step = 2) AS strict_order
FROM inf_events GROUP BY n, what, w ORDER BY n, w DESC;

-- 2. funnel_agg: its best-chain walk (default and strict_once), the
-- any-order walk and the per-step window within=, which is checked on its
-- own (the first and last finite times are more than int64 microseconds
-- apart: within= of a saturated length accepts them).  The time from step
-- 1 is 0 at equal infinities and saturates at 9223372036854775807 us
-- (2562047788 hours 54.775807 secs) for the first and last finite times.
SELECT n, what, w AS "window",
       max_step(funnel_agg(w, ts, step = 1, step = 2)) AS level,
       time_to_convert(funnel_agg(w, ts, step = 1, step = 2), 1, 2, 0.5) AS time,
       max_step(funnel_agg(w, 'strict_once', ts, step = 1, step = 2)) AS strict_once,
       max_step(funnel_agg(w, 'order=any', ts, step = 1, step = 2)) AS any_order,
       max_step(funnel_agg(w, 'within=2:' || w::text, ts, step = 1, step = 2)) AS within,
       reached(funnel_agg(w, 'count=attempts', ts, step = 1, step = 2), 2) AS attempts
FROM inf_events GROUP BY n, what, w ORDER BY n, w DESC;

-- entry_time of an infinite entry is that infinity
SELECT n, entry_time(funnel_agg(w, ts, step = 1, step = 2)) AS entry
FROM inf_events WHERE n IN (3, 5, 6) AND w = '1 day' GROUP BY n ORDER BY n;

-- 3. exclusion=remove: the end of a chain's window, where a missing step
-- could still have come, follows the rule too.  A view at t1 and a refund
-- at t2, no purchase: the refund lies after the view and in its window
-- only for the first and last finite times under the saturated window and
-- for the control pair (level 0 there, 1 elsewhere; at equal infinities the
-- refund is at the view's instant, not after it).
SELECT n, what, w AS "window",
       max_step(funnel_agg(w, 'exclude=refund@1-2, exclusion=remove', ts,
                           CASE step WHEN 1 THEN 'view' ELSE 'refund' END,
                           ARRAY['view', 'buy'])) AS level
FROM inf_events GROUP BY n, what, w ORDER BY n, w DESC;

-- A view and a purchase both at -infinity (or both at infinity) with a
-- refund at a finite time: the refund is not strictly between them (level 2).
SELECT t AS at, max_step(funnel_agg(interval '1 day', 'exclude=refund@1-2, exclusion=remove', ts, e,
                                    ARRAY['view', 'buy'])) AS level
FROM (VALUES ('-infinity'::timestamptz), ('infinity')) x(t),
     LATERAL (VALUES (t, 'view'), (t, 'buy'), ('2000-01-02'::timestamptz, 'refund')) r(ts, e)
GROUP BY t ORDER BY t;

-- 4. sequence_match and sequence_count: a time condition measures a gap by
-- the same rule; a finite and an infinite time are further apart than any
-- length (so (?t>=S) holds), a saturated length is longer than any two
-- finite times apart, and equal infinities are 0 apart ((?t==0) holds).
SELECT n, what, secs,
       sequence_match('(?1)(?t<=' || secs || ')(?2)', ts, step = 1, step = 2) AS le,
       sequence_match('(?1)(?t<' || secs || ')(?2)', ts, step = 1, step = 2) AS lt,
       sequence_match('(?1)(?t>=' || secs || ')(?2)', ts, step = 1, step = 2) AS ge,
       sequence_count('(?1)(?t==0)(?2)', ts, step = 1, step = 2) AS same_instant
FROM inf_events GROUP BY n, what, secs ORDER BY n, secs DESC;

-- 5. attribution_agg: a touch at t1 and a conversion at t2.  The touch is
-- eligible (1 attributed conversion) for equal infinities, the first and
-- last finite times under the saturated lookback, and the control pair.
SELECT n, what, w AS lookback,
       attributed_conversions(attribution_agg(w, 'last_touch', ts,
                                              CASE step WHEN 1 THEN 'ad' END, step = 2)) AS attributed,
       attributed_conversions(attribution_agg(w, 'time_decay, half_life=1 day', ts,
                                              CASE step WHEN 1 THEN 'ad' END, step = 2)) AS time_decay
FROM inf_events GROUP BY n, what, w ORDER BY n, w DESC;

-- time_decay over two touches 9.4e18 us apart under a saturated lookback:
-- the old one weighs nothing, the latest everything (no overflow)
SELECT touch, conversions
FROM attribution_touches((SELECT attribution_agg(interval '300000 years',
                                                 'time_decay, half_life=1 day', ts, touch, conv)
                          FROM (VALUES ('4714-11-24 00:00 BC'::timestamptz, 'old', false),
                                       ('294276-12-31 23:59:59', 'new', false),
                                       ('294276-12-31 23:59:59.999999', NULL, true)) v(ts, touch, conv)))
ORDER BY touch;

-- 6. lift_agg: the landmark window [entry, entry + landmark) and the
-- follow-up.  Under an infinite entry only the rows at that same instant
-- are before the landmark; a later row is in no follow-up window, and
-- converts only without one.  A finite entry never has a row at infinity
-- before its landmark.  Each entity: an entry row at t1 with the label
-- 'signup', then the rows of its case.
CREATE TEMP TABLE inf_lift (c int, what text, ts timestamptz, micro text, conv boolean);
INSERT INTO inf_lift VALUES
  -- all at infinity: converted before the landmark (as at -infinity)
  (1, 'all at infinity', 'infinity', 'signup', false),
  (1, 'all at infinity', 'infinity', NULL, true),
  (2, 'all at -infinity', '-infinity', 'signup', false),
  (2, 'all at -infinity', '-infinity', NULL, true),
  -- -infinity entry, a label and a conversion at finite times
  (3, '-infinity, 3000 BC, 2000', '-infinity', NULL, false),
  (3, '-infinity, 3000 BC, 2000', '3000-01-01 BC', 'signup', false),
  (3, '-infinity, 3000 BC, 2000', '2000-01-01', NULL, true),
  (4, '-infinity, conversion 3000 BC', '-infinity', 'signup', false),
  (4, '-infinity, conversion 3000 BC', '3000-01-01 BC', NULL, true),
  -- finite entry, a label and a conversion at infinity
  (5, '2000, signup at infinity, conversion', '2000-01-01', NULL, false),
  (5, '2000, signup at infinity, conversion', 'infinity', 'signup', false),
  (5, '2000, signup at infinity, conversion', 'infinity', NULL, true),
  (6, '2000, conversion at infinity', '2000-01-01', 'signup', false),
  (6, '2000, conversion at infinity', 'infinity', NULL, true);
SELECT c, what, lm AS landmark,
       entities(l), converted_entities(l) AS converted, converted_before_landmark(l) AS before,
       (SELECT string_agg(micro, ',') FROM lift_report(l)) AS labels,
       converted_entities(lf) AS converted_with_follow_up
FROM (SELECT c, what, lm, lift_agg(lm, ts, micro, conv) AS l,
             lift_agg(lm, ts, micro, conv, interval '1 day') AS lf
      FROM inf_lift CROSS JOIN (VALUES (interval '292000 years'), (interval '1 day')) x(lm)
      GROUP BY c, what, lm) s
ORDER BY c, lm DESC;

-- The same with timestamp (without time zone): the same rule.
SELECT window_funnel(interval '300000 years', ts, step = 1, step = 2) AS forward,
       max_step(funnel_agg(interval '300000 years', ts, step = 1, step = 2)) AS funnel
FROM (VALUES (1, '2000-01-02'::timestamp), (2, 'infinity')) v(step, ts);
SELECT window_funnel(interval '300000 years', ts, step = 1, step = 2) AS backward,
       max_step(funnel_agg(interval '300000 years', ts, step = 1, step = 2)) AS funnel
FROM (VALUES (1, '-infinity'::timestamp), (2, '1999-12-31')) v(step, ts);

-- Where saturation starts: 296533 years of 360 days is just under 2^63-1
-- microseconds, a window too short for the first and last finite times;
-- 296534 years saturates and spans them.
SELECT w AS "window", window_funnel(w, ts, step = 1, step = 2) AS level,
       sequence_match('(?1)(?t<=' || secs || ')(?2)', ts, step = 1, step = 2) AS le
FROM (VALUES (interval '296533 years', '9223372036854'), ('296534 years', '9223372036855')) x(w, secs),
     (VALUES (1, '4714-11-24 00:00 BC'::timestamptz), (2, '294276-12-31 23:59:59.999999')) v(step, ts)
GROUP BY w, secs ORDER BY w;
