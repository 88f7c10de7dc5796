-- funnel_agg's options on hand-checked cases: exclusions, order=strict and
-- order=any, per-step windows, hold-constant, count=attempts, entry time and
-- breakdowns, alone and combined.  Times are minutes after 10:00.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET TimeZone = 'UTC';

CREATE TEMP TABLE ev (uid int, m int, event text, product text, channel text);
CREATE TEMP VIEW e AS
SELECT uid, timestamptz '2026-03-02 10:00' + m * interval '1 minute' AS ts,
       event, product, channel
FROM ev;

-- a compact view of a one-entity funnel: step reached, minutes from entry
-- of each later step, entry minute
CREATE FUNCTION pg_temp.show(f funnel) RETURNS text LANGUAGE sql AS $$
SELECT CASE WHEN NOT (f::text::jsonb ? 'step_reached') THEN f::text ELSE
       format('level %s, minutes %s, entry %s', max_step(f),
              (SELECT coalesce(string_agg((x::bigint / 60000000)::text, ',' ORDER BY n), '-')
               FROM jsonb_array_elements_text(f::text::jsonb -> 'time_from_first_us')
                    WITH ORDINALITY AS t(x, n)),
              coalesce(extract(epoch FROM entry_time(f) - timestamptz '2026-03-02 10:00')::int / 60 || '', '-'))
       END
$$;

-------------------------------------------------------------------------------
-- Exclusions: exclude=NAME@I-J disqualifies a chain that has an exclusion
-- row strictly between its step I and its step J.  NAME is the exclusion's
-- event in the named form; in the boolean form it labels the exclusion, the
-- steps are labelled by labels=, and the conditions after the steps are the
-- exclusions, in the order of the exclude= options.
INSERT INTO ev VALUES
  -- 1: refund between cart and purchase: the chain stops at checkout
  (1, 0, 'view', NULL, NULL), (1, 5, 'cart', NULL, NULL), (1, 6, 'refund', NULL, NULL),
  (1, 7, 'checkout', NULL, NULL), (1, 8, 'purchase', NULL, NULL),
  -- 2: a new cart after the refund starts a clean stretch: all four steps
  (2, 0, 'view', NULL, NULL), (2, 5, 'cart', NULL, NULL), (2, 6, 'refund', NULL, NULL),
  (2, 7, 'cart', NULL, NULL), (2, 8, 'checkout', NULL, NULL), (2, 9, 'purchase', NULL, NULL),
  -- 3: refund at the same instant as the cart, 4: as the purchase: not strictly between
  (3, 0, 'view', NULL, NULL), (3, 5, 'cart', NULL, NULL), (3, 5, 'refund', NULL, NULL),
  (3, 6, 'checkout', NULL, NULL), (3, 7, 'purchase', NULL, NULL),
  (4, 0, 'view', NULL, NULL), (4, 5, 'cart', NULL, NULL), (4, 6, 'checkout', NULL, NULL),
  (4, 7, 'purchase', NULL, NULL), (4, 7, 'refund', NULL, NULL),
  -- 5: support between view and cart (exclude=1-2); the later view is clean
  (5, 0, 'view', NULL, NULL), (5, 1, 'support', NULL, NULL), (5, 2, 'cart', NULL, NULL),
  (5, 3, 'view', NULL, NULL), (5, 4, 'cart', NULL, NULL), (5, 5, 'checkout', NULL, NULL);

-- expected: 1 level 3 (refund blocks only step 4); 2 level 4 via the cart at
-- 7; 3 and 4 level 4; 5 level 3 from the view at 3
SELECT uid, pg_temp.show(funnel_agg('1 day', 'exclude=refund@2-4, exclude=support@1-2', ts, event,
                                    ARRAY['view', 'cart', 'checkout', 'purchase']))
FROM e WHERE uid BETWEEN 1 AND 5 GROUP BY uid ORDER BY uid;
-- the same with boolean conditions: the last two are the exclusions
SELECT uid, max_step(funnel_agg('1 day', 'labels=view|cart|checkout|purchase, exclude=refund@2-4, exclude=support@1-2', ts,
                                event = 'view', event = 'cart', event = 'checkout', event = 'purchase',
                                event = 'refund', event = 'support'))
FROM e WHERE uid BETWEEN 1 AND 5 GROUP BY uid ORDER BY uid;
-- without the exclusions every one of them reaches step 4, except 5 (no purchase)
SELECT uid, max_step(funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']))
FROM e WHERE uid BETWEEN 1 AND 5 GROUP BY uid ORDER BY uid;
-- the exclusions' names are part of the definition, after the steps' names
SELECT f::text::jsonb -> 'labels' AS labels, f::text::jsonb -> 'options' AS options
FROM (SELECT funnel_agg('1 day', 'exclude=refund@2-4', ts, event,
                        ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
      FROM e WHERE uid = 1 GROUP BY uid) s;

-- labels= gives boolean steps labels, as the named form's names do; an
-- exclusion's NAME is a label too, but never a step's
SELECT step, label, entered
FROM funnel_steps((SELECT rollup(f) FROM (
    SELECT funnel_agg('1 day', 'labels=view|cart|checkout|purchase, exclude=refund@2-4', ts,
                      event = 'view', event = 'cart', event = 'checkout', event = 'purchase',
                      event = 'refund') AS f
    FROM e WHERE uid BETWEEN 1 AND 5 GROUP BY uid) s));
SELECT f::text::jsonb -> 'labels' AS labels, f::text::jsonb -> 'options' AS options,
       reached(f, 'checkout') AS checkout
FROM (SELECT funnel_agg('1 day', 'labels= view | cart|checkout |purchase , exclude= refund @ 2-4', ts,
                        event = 'view', event = 'cart', event = 'checkout', event = 'purchase',
                        event = 'refund') AS f
      FROM e WHERE uid = 1 GROUP BY uid) s;
-- labels= alone (no other option) records the labels only
SELECT f::text AS labelled
FROM (SELECT funnel_agg('1 day', 'labels=view|cart', ts, event = 'view', event = 'cart') AS f
      FROM e WHERE uid = 1 GROUP BY uid) s;
-- an exclusion may be named as a step: a row of that event is then both.
-- User 60 views again between cart and purchase: with exclude=view@2-4 the
-- chain 0-1-3-4 may not take the purchase, and the view at 2 has no cart
-- after it, so level 3 (plain: 4)
INSERT INTO ev VALUES
  (60, 0, 'view', NULL, NULL), (60, 1, 'cart', NULL, NULL), (60, 2, 'view', NULL, NULL),
  (60, 3, 'checkout', NULL, NULL), (60, 4, 'purchase', NULL, NULL);
SELECT pg_temp.show(funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase'])) AS plain,
       pg_temp.show(funnel_agg('1 day', 'exclude=view@2-4', ts, event,
                               ARRAY['view', 'cart', 'checkout', 'purchase'])) AS no_view_between
FROM e WHERE uid = 60;

-------------------------------------------------------------------------------
-- exclusion=remove (PostHog's rule): the best chain found without the
-- exclusions; when an exclusion row lies strictly between its step I and
-- step J (or, if it stopped before J, after step I up to the end of the
-- window of its step 1), the entity reaches no step.  It still counts in
-- entities.
INSERT INTO ev VALUES
  -- 40: refund between cart and purchase: removed (drop_off: level 3)
  (40, 0, 'view', 'A', NULL), (40, 5, 'cart', 'A', NULL), (40, 6, 'refund', 'A', NULL),
  (40, 7, 'checkout', 'A', NULL), (40, 8, 'purchase', 'A', NULL),
  -- 41: the refund is before the cart the chain uses: kept at level 4
  (41, 0, 'view', NULL, NULL), (41, 5, 'cart', NULL, NULL), (41, 6, 'refund', NULL, NULL),
  (41, 7, 'cart', NULL, NULL), (41, 8, 'checkout', NULL, NULL), (41, 9, 'purchase', NULL, NULL),
  -- 42: stopped at cart, refund later in the window: removed (drop_off: level 2)
  (42, 0, 'view', NULL, NULL), (42, 5, 'cart', NULL, NULL), (42, 30, 'refund', NULL, NULL),
  -- 43: refund at the same instant as the cart: not after it, level 3
  (43, 0, 'view', NULL, NULL), (43, 5, 'cart', NULL, NULL), (43, 5, 'refund', NULL, NULL),
  (43, 6, 'checkout', NULL, NULL),
  -- 44: refund one minute past the window of the view: kept at level 2;
  -- 45: at the window's end exactly: removed
  (44, 0, 'view', NULL, NULL), (44, 5, 'cart', NULL, NULL), (44, 1441, 'refund', NULL, NULL),
  (45, 0, 'view', NULL, NULL), (45, 5, 'cart', NULL, NULL), (45, 1440, 'refund', NULL, NULL),
  -- 46: the chain that completes first is disqualified, a later one is
  -- clean: removed all the same (drop_off: level 4, the later chain)
  (46, 0, 'view', NULL, NULL), (46, 5, 'cart', NULL, NULL), (46, 6, 'refund', NULL, NULL),
  (46, 7, 'checkout', NULL, NULL), (46, 8, 'purchase', NULL, NULL),
  (46, 100, 'view', NULL, NULL), (46, 101, 'cart', NULL, NULL), (46, 102, 'checkout', NULL, NULL),
  (46, 103, 'purchase', NULL, NULL),
  -- 47: with hold, only a refund of the chain's product counts
  (47, 0, 'view', 'A', NULL), (47, 5, 'cart', 'A', NULL), (47, 6, 'refund', 'B', NULL),
  (47, 7, 'checkout', 'A', NULL), (47, 8, 'purchase', 'A', NULL);
-- expected (plain, drop_off, remove): 40 4/3/0, 41 4/4/4, 42 2/2/0, 43 3/3/3,
-- 44 2/2/2, 45 2/2/0, 46 4/4/0, 47 4/3/0; held by product, the same but
-- 47 4/4 (its refund is of product B)
SELECT uid,
       max_step(funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase'])) AS plain,
       max_step(funnel_agg('1 day', 'exclude=refund@2-4', ts, event,
                           ARRAY['view', 'cart', 'checkout', 'purchase'])) AS drop_off,
       pg_temp.show(funnel_agg('1 day', 'exclude=refund@2-4, exclusion=remove', ts, event,
                               ARRAY['view', 'cart', 'checkout', 'purchase'])) AS remove,
       max_step(funnel_agg('1 day', 'exclude=refund@2-4, exclusion=drop_off', ts, event,
                           ARRAY['view', 'cart', 'checkout', 'purchase'], hold_by(product), NULL)) AS held_drop_off,
       max_step(funnel_agg('1 day', 'exclude=refund@2-4, exclusion=remove', ts, event,
                           ARRAY['view', 'cart', 'checkout', 'purchase'], hold_by(product), NULL)) AS held_remove
FROM e WHERE uid BETWEEN 40 AND 47 GROUP BY uid ORDER BY uid;
-- the report: 8 entities; 40, 42, 45, 46 and 47 at no step, 41 at 4, 43 at
-- 3, 44 at 2: reached [3, 3, 2, 1]
SELECT entities(f), f::text::jsonb -> 'reached' AS reached, f::text::jsonb -> 'options' AS options
FROM (SELECT rollup(f) AS f FROM (
        SELECT funnel_agg('1 day', 'exclude=refund@2-4, exclusion=remove', ts, event,
                          ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
        FROM e WHERE uid BETWEEN 40 AND 47 GROUP BY uid) s) t;
-- the boolean form (as named); strict order: the refund row ends both users'
-- chains at the cart (41's second cart has no view before it in a strict
-- chain) and lies after the cart within the window: both removed
SELECT uid,
       max_step(funnel_agg('1 day', 'labels=view|cart|checkout|purchase, exclude=refund@2-4, exclusion=remove', ts,
                           event = 'view', event = 'cart', event = 'checkout', event = 'purchase',
                           event = 'refund')) AS bool_remove,
       max_step(funnel_agg('1 day', 'order=strict, exclude=refund@2-4, exclusion=remove', ts, event,
                           ARRAY['view', 'cart', 'checkout', 'purchase'])) AS strict_remove
FROM e WHERE uid IN (40, 41) GROUP BY uid ORDER BY uid;

-------------------------------------------------------------------------------
-- entry=first: only the chain from the entity's first step-1 row (Amplitude
-- places a user in the period of their first entry); entry=best, the
-- default, reports the best chain of any start
INSERT INTO ev VALUES
  -- 50: a view on day 0 without a cart; 8 days later view, cart, purchase
  (50, 0, 'view', 'A', NULL), (50, 11520, 'view', 'A', NULL), (50, 11521, 'cart', 'A', NULL),
  (50, 11522, 'purchase', 'A', NULL),
  -- 51: two views before the cart: best starts at the later one
  (51, 0, 'view', NULL, NULL), (51, 10, 'view', NULL, NULL), (51, 20, 'cart', NULL, NULL),
  -- 52: a cart before any view does not enter
  (52, 0, 'cart', NULL, NULL), (52, 5, 'view', NULL, NULL), (52, 6, 'cart', NULL, NULL),
  -- 53: a search breaks the first strict chain; a later one reaches cart
  (53, 0, 'view', NULL, NULL), (53, 1, 'search', NULL, NULL), (53, 2, 'view', NULL, NULL),
  (53, 3, 'cart', NULL, NULL),
  -- 54: held by product: the first view is of B, which goes no further
  (54, 0, 'view', 'B', NULL), (54, 5, 'view', 'A', NULL), (54, 6, 'cart', 'A', NULL),
  -- 55: any order: a purchase starts the first chain, alone in its window
  (55, 0, 'purchase', NULL, NULL), (55, 1800, 'view', NULL, NULL), (55, 1801, 'cart', NULL, NULL);
-- expected best / first: 50 level 3 entry 11520 / level 1 entry 0; 51 level 2
-- minutes 10 entry 10 / minutes 20 entry 0; 52 the same (entry 5); 53 strict:
-- level 2 entry 2 / level 1 entry 0; 54 held: level 2 entry 5 / level 1 entry 0;
-- 55 any order: level 2 entry 1800 / level 1 entry 0
SELECT uid,
       pg_temp.show(funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'purchase'])) AS best,
       pg_temp.show(funnel_agg('1 day', 'entry=first', ts, event, ARRAY['view', 'cart', 'purchase'])) AS first
FROM e WHERE uid BETWEEN 50 AND 52 GROUP BY uid ORDER BY uid;
SELECT pg_temp.show(funnel_agg('1 day', 'order=strict, entry=best', ts, event, ARRAY['view', 'cart'])) AS best,
       pg_temp.show(funnel_agg('1 day', 'order=strict, entry=first', ts, event, ARRAY['view', 'cart'])) AS first
FROM e WHERE uid = 53;
SELECT pg_temp.show(funnel_agg('1 day', '', ts, event, ARRAY['view', 'cart'], hold_by(product), NULL)) AS best,
       pg_temp.show(funnel_agg('1 day', 'entry=first', ts, event, ARRAY['view', 'cart'], hold_by(product), NULL)) AS first
FROM e WHERE uid = 54;
SELECT pg_temp.show(funnel_agg('1 day', 'order=any', ts, event, ARRAY['view', 'cart', 'purchase'])) AS best,
       pg_temp.show(funnel_agg('1 day', 'order=any, entry=first', ts, event, ARRAY['view', 'cart', 'purchase'])) AS first
FROM e WHERE uid = 55;
-- strict_once and the boolean form take it too
SELECT pg_temp.show(funnel_agg('1 day', 'strict_once, entry=first', ts, event, ARRAY['view', 'cart', 'purchase'])) AS once_first,
       pg_temp.show(funnel_agg('1 day', 'labels=view|cart|purchase, entry=first', ts,
                               event = 'view', event = 'cart', event = 'purchase')) AS bool_first
FROM e WHERE uid = 50;
-- trends: user 50 is in the week of 2026-03-09 by its best chain, in the
-- week of 2026-03-02 by its first entry
SELECT date_trunc('week', entry_time(best)) AS best_week, date_trunc('week', entry_time(first)) AS first_week
FROM (SELECT funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'purchase']) AS best,
             funnel_agg('1 day', 'entry=first', ts, event, ARRAY['view', 'cart', 'purchase']) AS first
      FROM e WHERE uid = 50) s;
-- entry=first with exclusion=remove: the chain from the first view uses the
-- cart at 101, after the refund: clean, level 3 from entry 0
INSERT INTO ev VALUES
  (57, 0, 'view', NULL, NULL), (57, 5, 'cart', NULL, NULL), (57, 6, 'refund', NULL, NULL),
  (57, 100, 'view', NULL, NULL), (57, 101, 'cart', NULL, NULL), (57, 102, 'purchase', NULL, NULL);
SELECT pg_temp.show(funnel_agg('1 day', 'exclude=refund@2-3, exclusion=remove, entry=first', ts, event,
                               ARRAY['view', 'cart', 'purchase'])) AS remove_first,
       pg_temp.show(funnel_agg('1 day', 'exclude=refund@2-3, exclusion=remove', ts, event,
                               ARRAY['view', 'cart', 'purchase'])) AS remove_best
FROM e WHERE uid = 57;

-------------------------------------------------------------------------------
-- Values stored by 0.1.0 read and merge as before: a named funnel's labels
-- hold the exclusion's name after the steps' (as exclude=refund@2-3 writes
-- it now); a boolean one's have no names and print "labels": null
SELECT rollup(f)::text = rollup(g)::text AS same_definition, entities(rollup(f))
FROM (SELECT '{"version": 1, "steps": 3, "window": "1 day", "modes": "", "labels": ["view", "cart", "purchase", "refund"], "options": "exclude=2-3", "entities": 1, "step_reached": 2, "time_from_first_us": [300000000], "entry": "2026-03-02 10:00:00+00", "entry_type": "timestamptz"}'::funnel AS f,
             funnel_agg('1 day', 'exclude=refund@2-3', ts, event, ARRAY['view', 'cart', 'purchase']) AS g
      FROM e WHERE uid = 1) s;
SELECT f::text, step, label
FROM (SELECT '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "options": "exclude=1-2", "entities": 1, "step_reached": 1, "time_from_first_us": [], "entry": "2026-03-02 10:00:00+00", "entry_type": "timestamptz"}'::funnel AS f) s,
     funnel_steps(f);

-------------------------------------------------------------------------------
-- Strict order (order=strict is strict_order): every row the aggregate sees
-- between two steps of a chain breaks it, exclusion rows included.
INSERT INTO ev VALUES
  -- 6: a refund right before the purchase: the chain ends at checkout
  (6, 0, 'view', NULL, NULL), (6, 1, 'cart', NULL, NULL), (6, 2, 'checkout', NULL, NULL),
  (6, 3, 'refund', NULL, NULL), (6, 4, 'purchase', NULL, NULL),
  -- 7: the refund comes before a fresh, uninterrupted chain
  (7, 0, 'view', NULL, NULL), (7, 1, 'cart', NULL, NULL), (7, 2, 'refund', NULL, NULL),
  (7, 3, 'view', NULL, NULL), (7, 4, 'cart', NULL, NULL), (7, 5, 'checkout', NULL, NULL),
  (7, 6, 'purchase', NULL, NULL),
  -- 8: a search between view and cart breaks a strict chain; an ordered one goes on
  (8, 0, 'view', NULL, NULL), (8, 1, 'search', NULL, NULL), (8, 2, 'cart', NULL, NULL);
-- expected strict with exclusion: 6 level 3; 7 level 4 from 3; 8 level 1
SELECT uid, pg_temp.show(funnel_agg('1 day', 'order=strict, exclude=refund@2-4', ts, event,
                                    ARRAY['view', 'cart', 'checkout', 'purchase']))
FROM e WHERE uid BETWEEN 6 AND 8 GROUP BY uid ORDER BY uid;
-- ordered: 6 keeps level 3 (the exclusion), 7 level 4, 8 level 2
SELECT uid, max_step(funnel_agg('1 day', 'exclude=refund@2-4', ts, event,
                                ARRAY['view', 'cart', 'checkout', 'purchase'])) AS ordered,
       max_step(funnel_agg('1 day', 'strict_order', ts, event,
                           ARRAY['view', 'cart', 'checkout', 'purchase'])) AS strict_order
FROM e WHERE uid BETWEEN 6 AND 8 GROUP BY uid ORDER BY uid;

-------------------------------------------------------------------------------
-- Any order: a chain starts at some step's row at time s and takes every
-- step with a row in [s, s + window]; steps are reported in time order.
INSERT INTO ev VALUES
  -- 9: purchase, view, cart within 10 minutes: all three
  (9, 0, 'purchase', NULL, NULL), (9, 2, 'view', NULL, NULL), (9, 4, 'cart', NULL, NULL),
  -- 10: the cart is alone; view and purchase 5 minutes apart, 20 minutes later
  (10, 0, 'cart', NULL, NULL), (10, 20, 'view', NULL, NULL), (10, 25, 'purchase', NULL, NULL),
  -- 11: two windows with two steps each: the earlier completion wins
  (11, 0, 'view', NULL, NULL), (11, 9, 'cart', NULL, NULL),
  (11, 30, 'view', NULL, NULL), (11, 31, 'purchase', NULL, NULL);
-- expected: 9 level 3, minutes 2,4, entry 0; 10 level 2, minutes 5, entry 20;
-- 11 level 2, minutes 9, entry 0
SELECT uid, pg_temp.show(funnel_agg('10 minutes', 'order=any', ts, event,
                                    ARRAY['view', 'cart', 'purchase']))
FROM e WHERE uid BETWEEN 9 AND 11 GROUP BY uid ORDER BY uid;
-- in order, 9 reaches only view and cart, 10 only view
SELECT uid, max_step(funnel_agg('10 minutes', ts, event, ARRAY['view', 'cart', 'purchase']))
FROM e WHERE uid BETWEEN 9 AND 11 GROUP BY uid ORDER BY uid;

-------------------------------------------------------------------------------
-- Per-step windows: within=K:INTERVAL bounds the time from step K-1 to step K
INSERT INTO ev VALUES
  -- 12: the cart is 6 minutes after the first view, 3 after the second
  (12, 0, 'view', NULL, NULL), (12, 3, 'view', NULL, NULL), (12, 6, 'cart', NULL, NULL),
  (12, 8, 'purchase', NULL, NULL),
  -- 13: the purchase is 18 minutes after the first cart; the second cart is
  -- too late for any view
  (13, 0, 'view', NULL, NULL), (13, 2, 'cart', NULL, NULL), (13, 15, 'cart', NULL, NULL),
  (13, 20, 'purchase', NULL, NULL);
-- expected: 12 level 3, minutes 3,5, entry 3; 13 level 2, minutes 2, entry 0
SELECT uid, pg_temp.show(funnel_agg('1 hour', 'within=2:5 minutes, within=3:10 minutes', ts, event,
                                    ARRAY['view', 'cart', 'purchase']))
FROM e WHERE uid IN (12, 13) GROUP BY uid ORDER BY uid;
-- without them: 12 level 3 from the later view, 13 level 3 (cart at 15)
SELECT uid, pg_temp.show(funnel_agg('1 hour', ts, event, ARRAY['view', 'cart', 'purchase']))
FROM e WHERE uid IN (12, 13) GROUP BY uid ORDER BY uid;

-------------------------------------------------------------------------------
-- Hold a value constant: each value's rows are a funnel of their own; the
-- entity's result is the best of them.  Combined with per-step windows.
INSERT INTO ev VALUES
  -- 14: product A: view 0, cart 4, purchase 20 (16 after the cart: too late);
  -- product B: view 1, cart 7 (6 after its view: too late), purchase 9
  (14, 0, 'view', 'A', NULL), (14, 1, 'view', 'B', NULL), (14, 4, 'cart', 'A', NULL),
  (14, 7, 'cart', 'B', NULL), (14, 9, 'purchase', 'B', NULL), (14, 20, 'purchase', 'A', NULL),
  -- 15: a NULL product is a value of its own: view and cart without product
  (15, 0, 'view', NULL, NULL), (15, 1, 'cart', NULL, NULL), (15, 2, 'purchase', 'A', NULL);
-- expected held: 14 level 2 (A: minutes 4, entry 0); 15 level 2 (NULL: minutes 1)
SELECT uid, pg_temp.show(funnel_agg('1 hour', 'within=2:5 minutes, within=3:10 minutes', ts, event,
                                    ARRAY['view', 'cart', 'purchase'], hold_by(product), NULL))
FROM e WHERE uid IN (14, 15) GROUP BY uid ORDER BY uid;
-- not held: 14 mixes products: view B 1, cart A 4, purchase B 9 is level 3;
-- 15 level 3
SELECT uid, pg_temp.show(funnel_agg('1 hour', 'within=2:5 minutes, within=3:10 minutes', ts, event,
                                    ARRAY['view', 'cart', 'purchase']))
FROM e WHERE uid IN (14, 15) GROUP BY uid ORDER BY uid;
-- the boolean form takes hold and breakdown before the conditions
SELECT uid, max_step(funnel_agg('1 hour', '', ts, hold_by(product), NULL,
                                event = 'view', event = 'cart', event = 'purchase'))
FROM e WHERE uid IN (14, 15) GROUP BY uid ORDER BY uid;

-------------------------------------------------------------------------------
-- count=attempts: an attempt ends when it completes, when the window has
-- passed since its latest step-1 row, when strict order breaks it or when an
-- exclusion disqualifies its furthest chain; the next step-1 row starts a
-- new one.  reached[] then counts attempts.
INSERT INTO ev VALUES
  -- 16: complete, then view+cart, then (after the window) a lone view: 3 attempts
  (16, 0, 'view', NULL, NULL), (16, 5, 'cart', NULL, NULL), (16, 10, 'purchase', NULL, NULL),
  (16, 20, 'view', NULL, NULL), (16, 25, 'cart', NULL, NULL), (16, 100, 'view', NULL, NULL),
  -- 17: the second view renews the attempt (cart 45 is 25 after it); a view at 100 is a new one
  (17, 0, 'view', NULL, NULL), (17, 20, 'view', NULL, NULL), (17, 45, 'cart', NULL, NULL),
  (17, 100, 'view', NULL, NULL),
  -- 18: a refund ends the first attempt at cart; the second completes
  (18, 0, 'view', NULL, NULL), (18, 1, 'cart', NULL, NULL), (18, 2, 'refund', NULL, NULL),
  (18, 3, 'purchase', NULL, NULL), (18, 4, 'view', NULL, NULL), (18, 5, 'cart', NULL, NULL),
  (18, 6, 'purchase', NULL, NULL);
-- expected reached: 16 [3, 2, 1]; 17 [2, 1, 0]; 18 [2, 2, 1]; entities 1 each
SELECT uid, f::text::jsonb -> 'reached' AS reached, entities(f)
FROM (SELECT uid, funnel_agg('30 minutes', 'count=attempts, exclude=refund@2-3', ts, event,
                             ARRAY['view', 'cart', 'purchase']) AS f
      FROM e WHERE uid BETWEEN 16 AND 18 GROUP BY uid) s ORDER BY uid;
-- uniques of the same: 16 level 3, 17 level 2, 18 level 3 (the second chain)
SELECT uid, pg_temp.show(funnel_agg('30 minutes', 'exclude=refund@2-3', ts, event,
                                    ARRAY['view', 'cart', 'purchase']))
FROM e WHERE uid BETWEEN 16 AND 18 GROUP BY uid ORDER BY uid;
-- the report per attempt: entered = attempts; times per attempt
SELECT step, label, entered, converted_from_previous, median_time_from_previous
FROM funnel_steps((SELECT rollup(f) FROM (
    SELECT funnel_agg('30 minutes', 'count=attempts, exclude=refund@2-3', ts, event,
                      ARRAY['view', 'cart', 'purchase']) AS f
    FROM e WHERE uid BETWEEN 16 AND 18 GROUP BY uid) s));
-- attempts with hold: each product's attempts count
SELECT uid, f::text::jsonb -> 'reached' AS reached
FROM (SELECT uid, funnel_agg('1 hour', 'count=attempts', ts, event,
                             ARRAY['view', 'cart', 'purchase'], hold_by(product), NULL) AS f
      FROM e WHERE uid = 14 GROUP BY uid) s;

-------------------------------------------------------------------------------
-- Breakdowns: the value of the chain's first step (first_touch, the
-- default), of the last step it reached (last_touch) or of step K; at ties,
-- the least value.
INSERT INTO ev VALUES
  (19, 0, 'view', NULL, 'seo'), (19, 1, 'cart', NULL, 'ads'), (19, 2, 'purchase', NULL, 'mail'),
  (20, 0, 'view', NULL, 'seo'), (20, 1, 'cart', NULL, 'ads'),
  -- 21: two views at the same instant: first_touch takes the least channel
  (21, 0, 'view', NULL, 'social'), (21, 0, 'view', NULL, 'direct'), (21, 1, 'cart', NULL, 'ads');
-- expected: 19 seo/mail/ads/mail; 20 seo/ads/ads/NULL; 21 direct/ads/ads/NULL
SELECT uid,
       breakdown(funnel_agg('1 day', '', ts, event, ARRAY['view', 'cart', 'purchase'], NULL, breakdown_by(channel))) AS first_touch,
       breakdown(funnel_agg('1 day', 'breakdown=last_touch', ts, event, ARRAY['view', 'cart', 'purchase'], NULL, breakdown_by(channel))) AS last_touch,
       breakdown(funnel_agg('1 day', 'breakdown=step:2', ts, event, ARRAY['view', 'cart', 'purchase'], NULL, breakdown_by(channel))) AS step_2,
       breakdown(funnel_agg('1 day', 'breakdown=step:3', ts, event, ARRAY['view', 'cart', 'purchase'], NULL, breakdown_by(channel))) AS step_3
FROM e WHERE uid BETWEEN 19 AND 21 GROUP BY uid ORDER BY uid;
-- a report per first-touch channel
SELECT g.channel, s.step, s.entered
FROM (SELECT breakdown(f) AS channel, rollup(f) AS r
      FROM (SELECT funnel_agg('1 day', '', ts, event, ARRAY['view', 'cart', 'purchase'], NULL, breakdown_by(channel)) AS f
            FROM e WHERE uid BETWEEN 19 AND 21 GROUP BY uid) per_user
      GROUP BY 1) g,
     funnel_steps(g.r) s
ORDER BY 1, 2;

-------------------------------------------------------------------------------
-- Trends by entry period: entry_time is the chain's step-1 timestamp
INSERT INTO ev VALUES
  (22, 1440, 'view', NULL, NULL), (22, 1441, 'cart', NULL, NULL),
  (23, 1500, 'view', NULL, NULL);
SELECT date_trunc('day', entry_time(f)) AS entry_day, entities(rollup(f)), reached(rollup(f), 2)
FROM (SELECT uid, funnel_agg('1 day', ts, event, ARRAY['view', 'cart']) AS f
      FROM e WHERE uid IN (19, 20, 22, 23) GROUP BY uid) s
GROUP BY 1 ORDER BY 1;
-- no step reached: no entry time
SELECT entry_time(funnel_agg('1 day', ts, event, ARRAY['checkout'])) FROM e WHERE uid = 19;
-- over timestamp without time zone, the entry is read in the session's zone
SET TimeZone = 'America/New_York';
SELECT entry_time(f), f::text::jsonb -> 'entry' AS stored, f::text::funnel::text = f::text AS round_trip
FROM (SELECT funnel_agg('1 day', (ts AT TIME ZONE 'UTC'), event, ARRAY['view', 'cart']) AS f
      FROM e WHERE uid = 19) s;
SET TimeZone = 'UTC';

-------------------------------------------------------------------------------
-- Values with options: text round trip, rollup, the rollup of one funnel
CREATE TEMP TABLE stored AS
SELECT uid, funnel_agg('1 hour', 'within=3:10 minutes, exclude=refund@2-3, breakdown=last_touch', ts, event,
                       ARRAY['view', 'cart', 'purchase'], hold_by(product), breakdown_by(channel)) AS f
FROM e WHERE uid < 40 GROUP BY uid;
SELECT count(*) AS funnels, count(*) FILTER (WHERE f::text::funnel::text = f::text) AS round_trips
FROM stored;
SELECT step, label, entered FROM funnel_steps((SELECT rollup(f) FROM stored));
SELECT (SELECT rollup(f) FROM stored WHERE uid = 19)::text AS rollup_of_one;

-- A boolean-form funnel with options has no step names: funnel_steps'
-- label is NULL for every step (its labels hold only the options string,
-- which once showed as step 1's name, and later steps read past it)
SELECT step, label IS NULL AS no_label
FROM funnel_steps((SELECT funnel_agg(interval '1 hour', 'within=2:1 hour', ts,
                                     e = 1, e = 2, e = 3, e = 4, e = 5)
                   FROM (VALUES (timestamptz '2026-01-01 10:00', 1),
                                ('2026-01-01 10:30', 2)) v(ts, e)));
SELECT step, label
FROM funnel_steps((SELECT funnel_agg(interval '1 hour', 'exclude=refund@1-2', ts, e::text,
                                     ARRAY['one', 'two'])
                   FROM (VALUES (timestamptz '2026-01-01 10:00', 1),
                                ('2026-01-01 10:30', 2)) v(ts, e)));
