-- Every error of path_agg's options, rollup(paths), the reports and the
-- paths type's text and binary input: SQLSTATE, message and hint.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET timezone = 'UTC';
\i test/lib/expect_error.sql

CREATE TEMP TABLE pe (u int, ts timestamptz, its bigint, ev text);
INSERT INTO pe VALUES (1, '2026-01-01 10:00', 1, 'a'), (1, '2026-01-01 11:00', 2, 'b');

CREATE FUNCTION pg_temp.agg(options text, ts text DEFAULT 'ts') RETURNS text
LANGUAGE sql AS $$
SELECT format('SELECT path_agg(%s, %s, ev) FROM pe', coalesce(quote_literal(options), 'NULL::text'), ts) $$;

-- the options string (its first 40 bytes shown)
SELECT left(v.options, 40) AS options, s.state, s.message FROM (VALUES
  ('colour=red'),
  ('steps=3,steps=4'),
  ('steps=abc'),
  ('steps=0'),
  ('steps=33'),
  ('steps=-1'),
  ('steps'),
  ('steps='),
  ('direction=sideways'),
  ('only=converted'),
  ('conversion=b,only=maybe'),
  ('events=a|b,anchor=c'),
  ('events=a|b,conversion=c'),
  ('max_gap=0 seconds'),
  ('max_gap=-5 minutes'),
  ('max_gap=soon'),
  ('max_gap=30'),
  ('collapse_repeats=yes'),
  ('anchor=a|b'),
  ('events='),
  ('events=a||b'),
  ('anchor="a'),
  ('anchor="a" b'),
  ('anchor=a=b'),
  ('steps=3,,anchor=a'),
  ('steps=3,'),
  (',steps=3'),
  (repeat(' ', 32769)),
  ((SELECT 'events=' || string_agg('a ' || i, '|') FROM generate_series(1000, 4999) i))
) v(options), pg_temp.expect_error(pg_temp.agg(v.options)) s;

-- the hint lists what is allowed
SELECT * FROM pg_temp.expect_error(pg_temp.agg('colour=red'));

-- max_gap for a bigint ts column is an integer in its units
SELECT v.options, s.state, s.message FROM (VALUES
  ('max_gap=5 minutes'),
  ('max_gap=0'),
  ('max_gap=-3'),
  ('max_gap=99999999999999999999'),
  ('max_gap=5')
) v(options), pg_temp.expect_error(pg_temp.agg(v.options, 'its')) s;

-- NULL options, a too long event name, options that change within a group
SELECT s.* FROM (VALUES
  (pg_temp.agg(NULL)),
  ($$SELECT path_agg(ts, repeat('x', 8193)) FROM pe$$),
  ($$SELECT path_agg(CASE WHEN ev = 'a' THEN 'steps=2' ELSE 'steps=3' END, ts, ev) FROM pe$$)
) v(stmt), pg_temp.expect_error(v.stmt) s;

-- rollup of values made with different options; top_paths' k
SELECT s.* FROM (VALUES
  ($$SELECT rollup(p) FROM (SELECT path_agg('steps=2', ts, ev) FROM pe
                            UNION ALL SELECT path_agg('steps=3', ts, ev) FROM pe) s(p)$$),
  ($$SELECT rollup(p) FROM (SELECT path_agg('anchor=a', ts, ev) FROM pe
                            UNION ALL SELECT path_agg(ts, ev) FROM pe) s(p)$$),
  ($$SELECT rollup(p) FROM (SELECT path_agg('max_gap=1 hour', ts, ev) FROM pe
                            UNION ALL SELECT path_agg('max_gap=3600', its, ev) FROM pe) s(p)$$),
  ($$SELECT * FROM top_paths((SELECT path_agg(ts, ev) FROM pe), 0)$$),
  ($$SELECT rollup(p) FROM (VALUES ('{"version": 1, "options": "steps=5,direction=forward", "entities": 9223372036854775807, "paths": [], "edges": []}'::paths),
                                   ('{"version": 1, "options": "steps=5,direction=forward", "entities": 1, "paths": [], "edges": []}')) v(p)$$)
) v(stmt), pg_temp.expect_error(v.stmt) s;

-- text input
\i test/lib/bad_text.sql

CREATE FUNCTION pg_temp.doc(edit text) RETURNS text LANGUAGE sql AS $$
SELECT replace('{"version": 1, "options": "steps=3,direction=forward,conversion=c", "entities": 3, '
               '"paths": [{"path": ["a"], "entities": 1, "converted": 0}, '
               '{"path": ["a", "b"], "entities": 2, "converted": 1}], '
               '"edges": [{"step": 1, "from": "a", "to": "b", "entities": 2}]}',
               split_part(edit, '=>', 1), split_part(edit, '=>', 2)) $$;

SELECT v.edit, s.* FROM (VALUES
  ('nothing=>nothing'),
  ('"version": 1=>"version": 2'),
  ('steps=3,direction=forward,conversion=c=>steps=3,conversion=c'),
  ('steps=3,direction=forward,conversion=c=>steps=3,direction=forward,conversion=c,only=bogus'),
  ('"entities": 3=>"entities": -1'),
  ('"entities": 3=>"entities": 1'),
  ('"entities": 3=>"entities": 1.5'),
  ('"converted": 1=>"converted": 3'),
  ('"path": ["a"]=>"path": ["c"]'),
  ('"path": ["a"]=>"path": []'),
  ('"path": ["a"]=>"path": ["a", 5]'),
  ('"path": ["a", "b"]=>"path": ["a", "b", "a", "b"]'),
  ('"path": ["a", "b"], "entities": 2=>"path": ["a", "b"], "entities": 0'),
  ('"to": "b", "entities": 2=>"to": "b", "entities": 3'),
  ('"to": "b", "entities": 2=>"to": "b", "entities": 1'),
  ('"from": "a"=>"from": "x"'),
  ('"step": 1=>"step": 2'),
  ('"step": 1=>"step": 3'),
  ('"step": 1, =>'),
  ('"converted": 0}=>"converted": 0, "extra": 1}'),
  ('"entities": 3, =>"entities": 3, "extra": 1, '),
  (', "edges": [{"step": 1, "from": "a", "to": "b", "entities": 2}]=>'),
  ('"edges": [{"step": 1, "from": "a", "to": "b", "entities": 2}]=>"edges": []')
) v(edit), pg_temp.bad_text(pg_temp.doc(v.edit), 'paths') s;

SELECT s.* FROM (VALUES ('[1]'), ('not json'), ('{}'),
  ('{"version": 1, "options": "steps=2,direction=forward,collapse_repeats", "entities": 1, "paths": [{"path": ["a", "a"], "entities": 1, "converted": 0}], "edges": [{"step": 1, "from": "a", "to": "a", "entities": 1}]}'),
  ('{"version": 1, "options": "steps=2,direction=forward,anchor=b", "entities": 1, "paths": [{"path": ["a", "b"], "entities": 1, "converted": 0}], "edges": [{"step": 1, "from": "a", "to": "b", "entities": 1}]}'),
  ('{"version": 1, "options": "steps=2,direction=forward,events=a", "entities": 1, "paths": [{"path": ["a", "b"], "entities": 1, "converted": 0}], "edges": [{"step": 1, "from": "a", "to": "b", "entities": 1}]}'),
  ('{"version": 1, "options": "steps=2,direction=forward,conversion=a,only=converted", "entities": 1, "paths": [{"path": ["a", "b"], "entities": 1, "converted": 0}], "edges": [{"step": 1, "from": "a", "to": "b", "entities": 1}]}')
) v(t), pg_temp.bad_text(v.t, 'paths') s;

-- binary input: one byte of a valid value changed (offsets in paths_send's
-- format: version 0, options length 1-4, options 5-29, entities 30-37,
-- name count 38-41, names 42-51, path count 52-55, the path's entities
-- 56-63, converted 64-71, length 72-75, nodes 76-83, edge count 84-87,
-- step 88-91, from 92-95, to 96-99, entities 100-107)
\i test/lib/bad_binary.sql
CREATE TEMP VIEW pe_value AS SELECT path_agg(ts, ev) AS p FROM pe;
SELECT v.what, s.* FROM (VALUES
  ('unchanged', 0, 1),
  ('version', 0, 2),
  ('options length', 4, 26),
  ('an options byte', 11, 120),
  ('entities', 37, 0),
  ('name count', 41, 3),
  ('a name byte', 51, 97),
  ('path entities', 63, 2),
  ('converted', 71, 1),
  ('path length', 75, 3),
  ('a node', 83, 0),
  ('edge step', 91, 2),
  ('edge entities', 107, 2),
  ('truncated', -1, 100)
) v(what, pos, val), pg_temp.bad_binary('SELECT p FROM pe_value', 'paths', v.pos, v.val) s;

-- binary input: counts that no valid value has.  A name takes 8 bytes (its
-- length and a node) and an edge 24 (its 20 and the node ending its move),
-- so their arrays fit the message; before, a 560 MB message of 140 million
-- names or a 900 MB one of 45 million edges asked for more than 1 GB (XX000).
CREATE TEMP TABLE recv_paths (v paths);
CREATE FUNCTION pg_temp.recv_paths(b bytea, OUT state text, OUT message text, OUT hint text)
LANGUAGE plpgsql AS $$
DECLARE
    path text := format('/tmp/conversions_recv_paths_%s.bin', pg_backend_pid());
    f bytea := '\x5047434f50590aff0d0a00'::bytea || int4send(0) || int4send(0) ||
               int2send(1::int2) || int4send(length(b)) || b || int2send(-1::int2);
BEGIN
    EXECUTE format('COPY (SELECT %L) TO PROGRAM %L', translate(encode(f, 'base64'), E'\n', ''),
                   'base64 -d > ' || path);
    SELECT * INTO state, message, hint
    FROM pg_temp.expect_error(format('COPY recv_paths FROM %L WITH (FORMAT binary)', path));
END $$;
SELECT v.what, s.* FROM (SELECT paths_send(p) AS b FROM pe_value) x, LATERAL (VALUES
  ('unchanged', x.b),
  ('16 names (4 bytes a name left)', set_byte(x.b, 41, 16)),
  ('the edge twice', set_byte(x.b, 87, 2) || substring(x.b FROM 89 FOR 20)),
  ('a second edge', set_byte(x.b, 87, 2) || substring(set_byte(x.b, 91, 2) FROM 89 FOR 20))
) v(what, b), pg_temp.recv_paths(v.b) s;

-- an aggregate a superuser builds from another aggregate's transition and
-- path_agg_final: an error with a SQLSTATE and a hint, not XX000
CREATE AGGREGATE pg_temp.mixed_paths("window" interval, ts timestamptz, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_transition, STYPE = internal, FINALFUNC = path_agg_final);
SELECT * FROM pg_temp.expect_error($$SELECT pg_temp.mixed_paths('1 day', ts, true) FROM pe$$);
