-- path_agg, rollup(paths) and the reports, on small hand-checked inputs.
-- Each query's expected output was checked by hand against the rules of
-- doc/semantics.md ("Paths"); the comments say what to expect.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET timezone = 'UTC';
SET extra_float_digits = 0;

-- every path of a value with its entities and converted count, in
-- top_paths order
CREATE FUNCTION show_paths(p paths)
RETURNS TABLE (path text[], entities bigint, converted bigint)
LANGUAGE sql AS $$ SELECT path, entities, converted FROM top_paths(p, NULL) $$;

-- repeats: a a b b a; without collapse_repeats the path has 5 nodes
SELECT * FROM show_paths((SELECT path_agg(ts, ev)
  FROM (VALUES (1::bigint, 'a'), (2, 'a'), (3, 'b'), (4, 'b'), (5, 'a')) v(ts, ev)));
-- with collapse_repeats: a b a
SELECT * FROM show_paths((SELECT path_agg('collapse_repeats', ts, ev)
  FROM (VALUES (1::bigint, 'a'), (2, 'a'), (3, 'b'), (4, 'b'), (5, 'a')) v(ts, ev)));
-- steps truncation: steps=2 gives a a, and a b with collapse_repeats
SELECT * FROM show_paths((SELECT path_agg('steps=2', ts, ev)
  FROM (VALUES (1::bigint, 'a'), (2, 'a'), (3, 'b'), (4, 'b'), (5, 'a')) v(ts, ev)));
SELECT * FROM show_paths((SELECT path_agg(' steps = 2 , collapse_repeats ', ts, ev)
  FROM (VALUES (1::bigint, 'a'), (2, 'a'), (3, 'b'), (4, 'b'), (5, 'a')) v(ts, ev)));
-- steps=1: the first node only
SELECT * FROM show_paths((SELECT path_agg('steps=1', ts, ev)
  FROM (VALUES (1::bigint, 'a'), (2, 'b')) v(ts, ev)));

-- max_gap sessions (bigint): gaps 2, 2, 3, 2 with max_gap=2: a gap equal to
-- max_gap stays in the session, so the sessions are a b c and d e
SELECT * FROM show_paths((SELECT path_agg('max_gap=2', ts, ev)
  FROM (VALUES (1::bigint, 'a'), (3, 'b'), (5, 'c'), (8, 'd'), (10, 'e')) v(ts, ev)));
-- timestamps: 30 minutes apart stays, 31 minutes starts a new session
SELECT * FROM show_paths((SELECT path_agg('max_gap=30 minutes', ts, ev)
  FROM (VALUES (timestamptz '2024-01-01 00:00+00', 'a'), ('2024-01-01 00:30+00', 'b'),
               ('2024-01-01 01:01+00', 'c')) v(ts, ev)));
SELECT * FROM show_paths((SELECT path_agg('max_gap=30 minutes', ts, ev)
  FROM (VALUES (timestamp '2024-01-01 00:00', 'a'), ('2024-01-01 00:30', 'b'),
               ('2024-01-01 01:01', 'c')) v(ts, ev)));

-- ties at equal ts are ordered by event name whatever the input order:
-- both give a b c, then d
SELECT * FROM show_paths((SELECT path_agg(ts, ev)
  FROM (VALUES (1::bigint, 'c'), (1, 'b'), (1, 'a'), (2, 'd')) v(ts, ev)));
SELECT * FROM show_paths((SELECT path_agg(ts, ev)
  FROM (VALUES (2::bigint, 'd'), (1, 'a'), (1, 'c'), (1, 'b')) v(ts, ev)));
-- bytewise: 'B' < 'a'
SELECT * FROM show_paths((SELECT path_agg(ts, ev)
  FROM (VALUES (1::bigint, 'a'), (1, 'B')) v(ts, ev)));

-- rows with a NULL ts or a NULL event are skipped: only a
SELECT * FROM show_paths((SELECT path_agg(ts, ev)
  FROM (VALUES (NULL::bigint, 'x'), (1, NULL), (2, 'a')) v(ts, ev)));
-- an entity whose rows are all skipped counts, with no path
SELECT entities(p), paths_count(p), p FROM (SELECT path_agg(ts, ev) AS p
  FROM (VALUES (NULL::bigint, 'x'), (1, NULL)) v(ts, ev)) s;
-- no rows at all: NULL, as other aggregates
SELECT path_agg(ts, ev) IS NULL AS no_rows FROM (VALUES (1::bigint, 'a')) v(ts, ev) WHERE false;

-- anchors: session 1 is home search cart search cart buy (times 1..6),
-- session 2 is home search (times 100, 101); max_gap=10
CREATE TABLE anchor_events (ts bigint, ev text);
INSERT INTO anchor_events VALUES (1, 'home'), (2, 'search'), (3, 'cart'), (4, 'search'),
  (5, 'cart'), (6, 'buy'), (100, 'home'), (101, 'search');
-- forward from the first cart: cart search cart; session 2 has no cart
SELECT * FROM show_paths((SELECT path_agg('max_gap=10,anchor=cart,steps=3', ts, ev) FROM anchor_events));
-- backward to the first cart: home search cart
SELECT * FROM show_paths((SELECT path_agg('max_gap=10,anchor=cart,steps=3,direction=backward', ts, ev) FROM anchor_events));
-- backward without anchor ends at each session's last event:
-- search cart buy, and home search
SELECT * FROM show_paths((SELECT path_agg('max_gap=10,steps=3,direction=backward', ts, ev) FROM anchor_events));
-- forward without anchor starts at each session's first event:
-- home search cart, and home search
SELECT * FROM show_paths((SELECT path_agg('max_gap=10,steps=3', ts, ev) FROM anchor_events));
-- an anchor no session has: no path, one entity
SELECT entities(p), paths_count(p) FROM (SELECT path_agg('anchor=nowhere', ts, ev) AS p FROM anchor_events) s;

-- events=: other rows are dropped before repeats: home cart cart buy home,
-- and with collapse_repeats home cart buy home
SELECT * FROM show_paths((SELECT path_agg('events=home|cart|buy', ts, ev) FROM anchor_events));
SELECT * FROM show_paths((SELECT path_agg('events=buy|home|cart,collapse_repeats', ts, ev) FROM anchor_events));
-- with max_gap=10 and events=search the sessions are search search
-- (times 2, 4) and search (101)
SELECT * FROM show_paths((SELECT path_agg('events=search,max_gap=10', ts, ev) FROM anchor_events));
-- dropped rows are gone before sessions are cut: a x a at times 1, 8, 15
-- with max_gap=10 and events=a are two sessions (a, and a: one path a),
-- not one session a a bridged by x
SELECT * FROM show_paths((SELECT path_agg('events=a,max_gap=10', ts, ev)
  FROM (VALUES (1::bigint, 'a'), (8, 'x'), (15, 'a')) v(ts, ev)));
SELECT * FROM show_paths((SELECT path_agg('max_gap=10', ts, ev)
  FROM (VALUES (1::bigint, 'a'), (8, 'x'), (15, 'a')) v(ts, ev)));

-- conversion= and only=, steps=2: user 1 home search buy (buy beyond the
-- 2 steps still converts), user 2 home search, user 3 home buy
CREATE TABLE conv_events (u int, ts bigint, ev text);
INSERT INTO conv_events VALUES (1, 1, 'home'), (1, 2, 'search'), (1, 3, 'buy'),
  (2, 1, 'home'), (2, 2, 'search'), (3, 1, 'home'), (3, 2, 'buy');
-- home search: 2 entities, 1 converted; home buy: 1, 1
SELECT * FROM show_paths((SELECT rollup(p) FROM
  (SELECT path_agg('steps=2,conversion=buy', ts, ev) AS p FROM conv_events GROUP BY u) s));
SELECT * FROM top_paths((SELECT rollup(p) FROM
  (SELECT path_agg('steps=2,conversion=buy', ts, ev) AS p FROM conv_events GROUP BY u) s));
-- only=converted: home buy (user 3), home search (user 1)
SELECT * FROM show_paths((SELECT rollup(p) FROM
  (SELECT path_agg('steps=2,conversion=buy,only=converted', ts, ev) AS p FROM conv_events GROUP BY u) s));
-- only=unconverted: home search (user 2); entities stays 3
SELECT * FROM show_paths((SELECT rollup(p) FROM
  (SELECT path_agg('steps=2,conversion=buy,only=unconverted', ts, ev) AS p FROM conv_events GROUP BY u) s));
SELECT entities(rollup(p)) FROM
  (SELECT path_agg('steps=2,conversion=buy,only=unconverted', ts, ev) AS p FROM conv_events GROUP BY u) s;
-- conversion before the path's first node does not count: buy home search,
-- backward to search with steps=2 is home search, not converted
SELECT * FROM show_paths((SELECT path_agg('steps=2,direction=backward,anchor=search,conversion=buy', ts, ev)
  FROM (VALUES (1::bigint, 'buy'), (2, 'home'), (3, 'search')) v(ts, ev)));
-- the conversion event may be the path's own first node
SELECT * FROM show_paths((SELECT path_agg('conversion=buy', ts, ev)
  FROM (VALUES (1::bigint, 'buy'), (2, 'home')) v(ts, ev)));

-- the same path twice for one entity counts once: sessions a b c and a b
-- with steps=2 both give a b; converted because the first session was
SELECT entities(p), paths_count(p), p FROM (SELECT path_agg('steps=2,max_gap=5,conversion=c', ts, ev) AS p
  FROM (VALUES (1::bigint, 'a'), (2, 'b'), (3, 'c'), (20, 'a'), (21, 'b')) v(ts, ev)) s;

-- rollup of several entities, top_paths order and ties, path_edges:
-- entity 1..3: c; 4, 5: a; 6, 7: b c; 8: a b; 9: a b (as 8); 10: none
CREATE TABLE many (u int, ts bigint, ev text);
INSERT INTO many VALUES (1, 1, 'c'), (2, 1, 'c'), (3, 1, 'c'), (4, 1, 'a'), (5, 1, 'a'),
  (6, 1, 'b'), (6, 2, 'c'), (7, 1, 'b'), (7, 2, 'c'), (8, 1, 'a'), (8, 2, 'b'),
  (9, 5, 'b'), (9, 4, 'a'), (10, NULL, 'a');
CREATE TABLE many_paths AS SELECT u, path_agg(ts, ev) AS p FROM many GROUP BY u;
-- c 3; then a, a b and b c with 2 each in text[] order: {a} < {a,b} < {b,c}
SELECT * FROM top_paths((SELECT rollup(p) FROM many_paths));
SELECT * FROM top_paths((SELECT rollup(p) FROM many_paths), 2);
SELECT count(*) FROM top_paths((SELECT rollup(p) FROM many_paths), NULL);
SELECT count(*) FROM top_paths(NULL::paths, 3);
-- edges at step 1: a->b (2) and b->c (2), by from_node
SELECT * FROM path_edges((SELECT rollup(p) FROM many_paths));
SELECT entities(rollup(p)), paths_count(rollup(p)) FROM many_paths;
-- rollup does not depend on the order of its input
SELECT (SELECT rollup(p ORDER BY u) FROM many_paths)::text =
       (SELECT rollup(p ORDER BY u DESC) FROM many_paths)::text AS order_independent;
-- as a window function: the running rollup counts 1, 2, ... entities, and
-- its last value is the whole rollup
SELECT u, entities(r), paths_count(r) FROM
  (SELECT u, rollup(p) OVER (ORDER BY u) AS r FROM many_paths) s ORDER BY u;
SELECT (SELECT r::text FROM (SELECT u, rollup(p) OVER (ORDER BY u) AS r FROM many_paths) s WHERE u = 10) =
       (SELECT rollup(p)::text FROM many_paths) AS window_equals_rollup;
-- edges counted per entity: a b c and a b d both move a->b at step 1
SELECT * FROM path_edges((SELECT rollup(p) FROM (SELECT path_agg(ts, ev) AS p FROM
  (VALUES (1, 1::bigint, 'a'), (1, 2, 'b'), (1, 3, 'c'), (2, 1, 'a'), (2, 2, 'b'), (2, 3, 'd'),
          (3, 1, 'd')) v(u, ts, ev) GROUP BY u) s));
-- and one entity taking a->b in two sessions counts once
SELECT * FROM path_edges((SELECT path_agg('max_gap=5', ts, ev)
  FROM (VALUES (1::bigint, 'a'), (2, 'b'), (3, 'c'), (20, 'a'), (21, 'b')) v(ts, ev)));

-- names that need quoting in the options
SELECT * FROM show_paths((SELECT path_agg('anchor="Add to cart",events="Add to cart"|"a,b"|view', ts, ev)
  FROM (VALUES (1::bigint, 'view'), (2, 'Add to cart'), (3, 'a,b'), (4, 'other')) v(ts, ev)));
SELECT p FROM (SELECT path_agg('anchor="Add to cart",events="Add to cart"|"a,b"|"say ""hi"""', ts, ev) AS p
  FROM (VALUES (1::bigint, 'say "hi"'), (2, 'Add to cart'), (3, 'a,b')) v(ts, ev)) s;

-- text form: canonical, and it round-trips
SELECT p FROM many_paths WHERE u = 9;
SELECT rollup(p) FROM many_paths;
SELECT (SELECT rollup(p) FROM many_paths)::text::paths::text = (SELECT rollup(p) FROM many_paths)::text AS round_trip;
SELECT path_agg('steps=3,direction=backward,anchor=b,collapse_repeats,max_gap=1 day 02:00:00,events=a|b,conversion=a,only=unconverted',
                ts, ev) FROM (VALUES (timestamp '2024-01-01', 'b')) v(ts, ev);
SELECT '{"version": 1, "options": "steps=5,direction=forward", "entities": 2, "paths": [{"path": ["a", "b"], "entities": 1, "converted": 0}], "edges": [{"step": 1, "from": "a", "to": "b", "entities": 1}]}'::paths;
SELECT * FROM path_edges('{"version": 1, "options": "steps=5,direction=forward", "entities": 0, "paths": [], "edges": []}');
-- a bigint value without max_gap merges with a timestamp one
SELECT rollup(p) FROM (SELECT path_agg(ts, 'x') AS p FROM (VALUES (1::bigint)) v(ts)
  UNION ALL SELECT path_agg(ts, 'y') FROM (VALUES (timestamptz '2024-01-01')) v(ts)) s;
