-- pgTAP: path_agg's reports against an independent plain-SQL oracle.
--
-- The oracle is written from the rules of doc/semantics.md ("Paths"), not
-- from the C code: per user, rows with a NULL ts or event are skipped, rows
-- outside events= are dropped, the rest are numbered by (ts, event
-- bytewise) with row_number(); a gap of more than max_gap from the previous
-- kept row (lag) starts a new session; with collapse_repeats a row whose
-- event equals the previous row's of its session (lag) is no new node; the
-- anchor is the first node of the session with the anchor's name (or the
-- session's first node forward, its last backward); the path is the anchor
-- and up to steps - 1 nodes after (forward) or before (backward) it, in
-- time order; it converted when the conversion event occurs at or after the
-- path's first row in its session; only= drops paths; a user's value is the
-- SET of its distinct paths (converted if any of its sessions was).
-- top_paths and path_edges are then plain GROUP BYs over (user, path).
--
-- For each option set below (forward and backward with an anchor, without
-- one, collapse_repeats, max_gap, events=, conversion= with and without
-- only=, steps=1 and steps=32; timestamptz, timestamp and bigint time), the
-- extension's top_paths (all paths, and k = 10), path_edges, entities and
-- paths_count must equal the oracle's, row for row and in order.  Each
-- option set must also give enough paths and edges that the comparison
-- means something.  The data: the generated clickstream (3,000 users,
-- ties of equal timestamps included), plus NULL ts and NULL event rows,
-- users with two sessions taking the same path, and users whose gaps are
-- exactly max_gap and 1 ms more.
\ir lib/tap_begin.sql
\set users 3000
\set seed 18
\ir data/clickstream.sql

SELECT plan(66);

SET TimeZone = 'UTC';
SET max_parallel_workers_per_gather = 0;

-- NULL ts and NULL event rows (skipped by the rules; they would otherwise
-- be nodes), for existing users only
INSERT INTO events (user_id, ts, event)
SELECT user_id, NULL, 'purchase' FROM events WHERE user_id % 37 = 0 GROUP BY user_id;
INSERT INTO events (user_id, ts, event)
SELECT user_id, min(ts) + interval '1 second', NULL FROM events WHERE user_id % 41 = 0 GROUP BY user_id;
-- a checkout tied with the first view (ordered before it: 'checkout' < 'view')
INSERT INTO events (user_id, ts, event)
SELECT user_id, min(ts) FILTER (WHERE event = 'view'), 'checkout'
FROM events WHERE user_id % 43 = 0 GROUP BY user_id;
-- users 900001..900040: two sessions with max_gap = 1 hour, view and cart
-- exactly an hour apart (one session), the second view an hour and 1 ms
-- after the first cart (a new session); the even users then purchase in
-- the second session, the odd ones have a NULL event there, so they take
-- (view, cart) twice.  900041..900060: repeats across a gap, and two equal
-- rows.
INSERT INTO events (user_id, ts, event)
SELECT u, timestamptz '2026-11-20 10:00:00+00' + (u % 7) * interval '1 minute' + o.off, o.event
FROM generate_series(900001, 900040) AS u
CROSS JOIN LATERAL (VALUES
    (interval '0', 'view'),
    (interval '1 hour', 'cart'),
    (interval '2 hours' + interval '1 millisecond', 'view'),
    (interval '3 hours' + interval '1 millisecond', 'cart'),
    (interval '3 hours 30 minutes', CASE WHEN u % 2 = 0 THEN 'purchase' END)) AS o(off, event);
INSERT INTO events (user_id, ts, event)
SELECT u, timestamptz '2026-11-21 08:00:00+00' + o.off, o.event
FROM generate_series(900041, 900060) AS u
CROSS JOIN LATERAL (VALUES
    (interval '0', 'view'),
    (interval '10 minutes', 'view'),
    (interval '1 hour 10 minutes' + interval '1 millisecond', 'view'),
    (interval '1 hour 20 minutes', 'cart'),
    (interval '1 hour 20 minutes', 'cart'),
    (interval '1 hour 30 minutes', 'view')) AS o(off, event);

-- the same rows with the time also as milliseconds since the epoch (bigint
-- time) and as timestamp without time zone
CREATE TABLE ev AS
SELECT user_id, ts, (extract(epoch FROM ts) * 1000)::bigint AS ms, ts AT TIME ZONE 'UTC' AS lts, event
FROM events;
ANALYZE ev;

SELECT is((SELECT count(*) FROM ev WHERE ts IS NOT NULL AND to_timestamp(ms / 1000.0) <> ts), 0::bigint,
          'every timestamp is a whole millisecond, so bigint time orders and splits rows as timestamptz does');

-- The oracle: one row per (user, distinct path), whether it converted.
-- keep NULL: all events; anchor NULL: session start (forward) or end
-- (backward); conv NULL: no conversion= (converted is NULL); only NULL: all.
CREATE FUNCTION pg_temp.oracle_paths(steps int, backward boolean, anchor text, collapse boolean,
                                     max_gap interval, keep text[], conv text, only_kind text)
RETURNS TABLE (user_id bigint, path text[], converted boolean) LANGUAGE sql AS $$
WITH kept AS (
    SELECT e.user_id, e.ts, e.event
    FROM ev e
    WHERE e.ts IS NOT NULL AND e.event IS NOT NULL AND (keep IS NULL OR e.event = ANY (keep))
), ordered AS (
    SELECT k.*, row_number() OVER w AS rn, lag(k.ts) OVER w AS prev_ts
    FROM kept k
    WINDOW w AS (PARTITION BY k.user_id ORDER BY k.ts, k.event COLLATE "C")
), sessions AS (
    SELECT o.*,
           sum(CASE WHEN max_gap IS NOT NULL AND o.ts - o.prev_ts > max_gap THEN 1 ELSE 0 END)
               OVER (PARTITION BY o.user_id ORDER BY o.rn) AS session
    FROM ordered o
), marked AS (
    SELECT s.*,
           lag(s.event) OVER (PARTITION BY s.user_id, s.session ORDER BY s.rn) AS prev_event,
           -- the last row of the session with the conversion event
           max(s.rn) FILTER (WHERE s.event = conv) OVER (PARTITION BY s.user_id, s.session) AS last_conv_rn
    FROM sessions s
), nodes AS (
    SELECT m.user_id, m.session, m.rn, m.event, m.last_conv_rn,
           row_number() OVER (PARTITION BY m.user_id, m.session ORDER BY m.rn) AS pos
    FROM marked m
    WHERE NOT collapse OR m.prev_event IS DISTINCT FROM m.event
), anchors AS (
    SELECT n.user_id, n.session,
           CASE WHEN anchor IS NOT NULL THEN min(n.pos) FILTER (WHERE n.event = anchor)
                WHEN backward THEN max(n.pos) ELSE 1 END AS apos
    FROM nodes n
    GROUP BY n.user_id, n.session
), session_paths AS (
    SELECT n.user_id, n.session,
           array_agg(n.event ORDER BY n.pos) AS path,
           min(n.rn) AS first_rn,
           max(n.last_conv_rn) AS last_conv_rn
    FROM anchors a
    JOIN nodes n ON n.user_id = a.user_id AND n.session = a.session
    WHERE a.apos IS NOT NULL
      AND CASE WHEN backward THEN n.pos BETWEEN a.apos - steps + 1 AND a.apos
               ELSE n.pos BETWEEN a.apos AND a.apos + steps - 1 END
    GROUP BY n.user_id, n.session
), judged AS (
    SELECT p.user_id, p.path,
           CASE WHEN conv IS NOT NULL THEN coalesce(p.last_conv_rn >= p.first_rn, false) END AS converted
    FROM session_paths p
)
SELECT j.user_id, j.path, bool_or(j.converted)
FROM judged j
WHERE only_kind IS NULL OR j.converted = (only_kind = 'converted')
GROUP BY j.user_id, j.path
$$;

-- The option sets: the options string, how the time is passed, and the
-- same definition in the oracle's arguments.
CREATE TABLE cases (id int, options text, time_col text,
                    steps int, backward boolean, anchor text, collapse boolean, max_gap interval,
                    keep text[], conv text, only_kind text,
                    min_paths int, min_edges int);
INSERT INTO cases VALUES
  (1, 'anchor=view, steps=4', 'ts',
      4, false, 'view', false, NULL, NULL, NULL, NULL, 100, 30),
  (2, 'direction=backward, anchor=purchase, steps=5', 'ts',
      5, true, 'purchase', false, NULL, NULL, NULL, NULL, 100, 30),
  (3, 'collapse_repeats, steps=6', 'ts',
      6, false, NULL, true, NULL, NULL, NULL, NULL, 100, 50),
  (4, 'direction=backward, collapse_repeats, max_gap=1 hour, steps=4', 'lts',
      4, true, NULL, true, '1 hour', NULL, NULL, NULL, 100, 50),
  (5, 'events=view|cart|checkout|purchase, conversion=purchase, anchor=view, steps=4', 'ts',
      4, false, 'view', false, NULL, '{view,cart,checkout,purchase}', 'purchase', NULL, 20, 15),
  (6, 'events=view|cart|checkout|purchase|search, conversion=purchase, only=converted, direction=backward, anchor=checkout, steps=3', 'ts',
      3, true, 'checkout', false, NULL, '{view,cart,checkout,purchase,search}', 'purchase', 'converted', 10, 10),
  (7, 'conversion=purchase, only=unconverted, anchor=cart, collapse_repeats, max_gap=1 hour, steps=4', 'ts',
      4, false, 'cart', true, '1 hour', NULL, 'purchase', 'unconverted', 50, 30),
  (8, 'max_gap=3600000, collapse_repeats, conversion=purchase, anchor=view', 'ms',
      5, false, 'view', true, '1 hour', NULL, 'purchase', NULL, 100, 50),
  (9, 'steps=1, anchor=cart, conversion=checkout', 'ts',
      1, false, 'cart', false, NULL, NULL, 'checkout', NULL, 1, 0),
  (10, 'steps=32, direction=backward, conversion=purchase', 'lts',
      32, true, NULL, false, NULL, NULL, 'purchase', NULL, 1000, 100),
  (11, 'steps=32, max_gap=30 minutes, events=view|cart|wishlist_add|search', 'ts',
      32, false, NULL, false, '30 minutes', '{view,cart,wishlist_add,search}', NULL, NULL, 500, 100),
  (12, 'direction=backward, steps=3, conversion=cart', 'ts',
      3, true, NULL, false, NULL, NULL, 'cart', NULL, 100, 30);

-- The extension's per-user values of each option set, rolled up: the
-- users split into three parts rolled up apart, then merged.
CREATE TABLE ext (id int, p paths);
DO $$
DECLARE
    c record;
BEGIN
    FOR c IN SELECT * FROM cases ORDER BY id LOOP
        EXECUTE format($q$
            INSERT INTO ext
            SELECT %s, rollup(part) FROM (
                SELECT rollup(p) AS part
                FROM (SELECT user_id, path_agg(%L, %I, event) AS p FROM ev GROUP BY user_id) per_user
                GROUP BY user_id %% 3) parts$q$, c.id, c.options, c.time_col);
    END LOOP;
END $$;

-- The oracle's paths of each option set.
CREATE TABLE oracle AS
SELECT c.id, o.*
FROM cases c,
     pg_temp.oracle_paths(c.steps, c.backward, c.anchor, c.collapse, c.max_gap, c.keep, c.conv, c.only_kind) o;
CREATE INDEX ON oracle (id);
ANALYZE oracle;

-- top_paths as the oracle computes it (k NULL: every path).
CREATE FUNCTION pg_temp.oracle_top_paths(case_id int, k int)
RETURNS TABLE (rank integer, path text[], entities bigint, share float8, converted bigint, conversion_rate float8)
LANGUAGE sql AS $$
SELECT r.rank, r.path, r.entities, r.entities::float8 / t.total, r.converted,
       r.converted::float8 / r.entities
FROM (SELECT (row_number() OVER (ORDER BY count(*) DESC, o.path COLLATE "C"))::integer AS rank,
             o.path, count(*) AS entities,
             CASE WHEN (SELECT conv FROM cases WHERE id = case_id) IS NOT NULL
                  THEN count(*) FILTER (WHERE o.converted) END AS converted
      FROM oracle o WHERE o.id = case_id
      GROUP BY o.path) r,
     (SELECT count(DISTINCT user_id) AS total FROM ev) t
WHERE k IS NULL OR r.rank <= k
ORDER BY r.rank
$$;

-- path_edges as the oracle computes it.
CREATE FUNCTION pg_temp.oracle_path_edges(case_id int)
RETURNS TABLE (step integer, from_node text, to_node text, entities bigint)
LANGUAGE sql AS $$
SELECT e.step, e.from_node, e.to_node, count(DISTINCT e.user_id) AS entities
FROM (SELECT s.step::integer AS step, o.path[s.step] AS from_node, o.path[s.step + 1] AS to_node, o.user_id
      FROM oracle o, generate_series(1, cardinality(o.path) - 1) AS s(step)
      WHERE o.id = case_id) e
GROUP BY e.step, e.from_node, e.to_node
ORDER BY e.step, entities DESC, e.from_node COLLATE "C", e.to_node COLLATE "C"
$$;

-- what is compared, per option set
SELECT diag(format('case %s: %s (user, path) pairs, %s distinct paths, %s edges', c.id,
                   (SELECT count(*) FROM oracle o WHERE o.id = c.id),
                   (SELECT count(DISTINCT path) FROM oracle o WHERE o.id = c.id),
                   (SELECT count(*) FROM pg_temp.oracle_path_edges(c.id))))
FROM (SELECT * FROM cases ORDER BY id) c;

-- each option set gives enough paths and edges to mean something
SELECT ok(n_paths >= c.min_paths AND n_edges >= c.min_edges,
          format('case %s (%s): the oracle finds %s distinct paths (at least %s) and %s edges (at least %s)',
                 c.id, c.options, n_paths, c.min_paths, n_edges, c.min_edges))
FROM (SELECT * FROM cases ORDER BY id) c
CROSS JOIN LATERAL (SELECT count(DISTINCT path) AS n_paths FROM oracle o WHERE o.id = c.id) p
CROSS JOIN LATERAL (SELECT count(*) AS n_edges FROM pg_temp.oracle_path_edges(c.id)) e;

SELECT results_eq(format('SELECT * FROM top_paths((SELECT p FROM ext WHERE id = %s), NULL)', c.id),
                  format('SELECT * FROM pg_temp.oracle_top_paths(%s, NULL)', c.id),
                  format('case %s (%s): top_paths, every path, equals the oracle', c.id, c.options))
FROM (SELECT * FROM cases ORDER BY id) c;

SELECT results_eq(format('SELECT * FROM top_paths((SELECT p FROM ext WHERE id = %s), 10)', c.id),
                  format('SELECT * FROM pg_temp.oracle_top_paths(%s, 10)', c.id),
                  format('case %s (%s): top_paths(p, 10) equals the oracle', c.id, c.options))
FROM (SELECT * FROM cases ORDER BY id) c;

SELECT results_eq(format('SELECT * FROM path_edges((SELECT p FROM ext WHERE id = %s))', c.id),
                  format('SELECT * FROM pg_temp.oracle_path_edges(%s)', c.id),
                  format('case %s (%s): path_edges equals the oracle', c.id, c.options))
FROM (SELECT * FROM cases ORDER BY id) c;

SELECT results_eq(format('SELECT entities(p), paths_count(p) FROM ext WHERE id = %s', c.id),
                  format('SELECT (SELECT count(DISTINCT user_id) FROM ev), (SELECT count(DISTINCT path) FROM oracle WHERE id = %s)', c.id),
                  format('case %s (%s): entities and paths_count equal the oracle', c.id, c.options))
FROM (SELECT * FROM cases ORDER BY id) c;

-- The same for the per-user values: each user's set of paths, through
-- top_paths of that one user's value (converted 0 or 1).
SELECT results_eq(
    format($q$SELECT user_id, t.path, t.converted > 0
              FROM (SELECT user_id, path_agg(%L, %I, event) AS p FROM ev GROUP BY user_id) per_user,
                   top_paths(per_user.p, NULL) t
              ORDER BY user_id, t.path COLLATE "C"$q$, c.options, c.time_col),
    format('SELECT user_id, path, converted FROM oracle WHERE id = %s ORDER BY user_id, path COLLATE "C"', c.id),
    format('case %s (%s): every user''s set of paths and their conversion equals the oracle', c.id, c.options))
FROM (SELECT * FROM cases WHERE id IN (2, 4, 7, 8) ORDER BY id) c;

-- The boundary users: exactly max_gap keeps the session, 1 ms more splits it;
-- repeated paths of two sessions count once.
SELECT results_eq(
    $q$SELECT t.path, t.entities FROM top_paths((SELECT rollup(p) FROM (SELECT path_agg('max_gap=1 hour, anchor=view, steps=3', ts, event) AS p
                                                                    FROM ev WHERE user_id BETWEEN 900001 AND 900040 GROUP BY user_id) s), NULL) t$q$,
    $q$VALUES ('{view,cart}'::text[], 40::bigint), ('{view,cart,purchase}'::text[], 20::bigint)$q$,
    'a gap of exactly max_gap continues the session, 1 ms more starts one; a path taken in two sessions counts once per user');

SELECT * FROM finish();
ROLLBACK;
