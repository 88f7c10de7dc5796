-- Every error of attribution_agg, rollup(attribution) and the attribution
-- type's input: SQLSTATE, message and hint.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET timezone = 'UTC';
\i test/lib/expect_error.sql

CREATE TEMP TABLE ae (u int, ts timestamptz, touch text, conv boolean, val float8);
INSERT INTO ae VALUES (1, '2026-01-01 10:00', 'email', false, NULL),
                      (1, '2026-01-01 11:00', NULL, true, 10);

CREATE FUNCTION pg_temp.agg(lookback text, model text, val text DEFAULT 'val') RETURNS text
LANGUAGE sql AS $$
SELECT format('SELECT attribution_agg(%s, %s, ts, touch, conv, %s) FROM ae',
              coalesce(quote_literal(lookback) || '::interval', 'NULL::interval'),
              coalesce(quote_literal(model), 'NULL::text'), val) $$;

-- models and their parameters
SELECT s.* FROM (VALUES
  (pg_temp.agg('1 day', 'bogus')),
  (pg_temp.agg('1 day', '')),
  (pg_temp.agg('1 day', 'max_touches=5')),
  (pg_temp.agg('1 day', 'linear, last_touch')),
  (pg_temp.agg('1 day', 'linear, colour=red')),
  (pg_temp.agg('1 day', 'linear, max_touches=5, max_touches=6')),
  (pg_temp.agg('1 day', 'linear, max_touches=0')),
  (pg_temp.agg('1 day', 'linear, max_touches=10001')),
  (pg_temp.agg('1 day', 'linear, max_touches=many')),
  (pg_temp.agg('1 day', 'time_decay, half_life=-1 day')),
  (pg_temp.agg('1 day', 'time_decay, half_life=0')),
  (pg_temp.agg('1 day', 'time_decay, half_life=soon')),
  (pg_temp.agg('1 day', 'linear, half_life=1 day')),
  (pg_temp.agg('1 day', 'position_based, weights=0.5/0.5/0.5')),
  (pg_temp.agg('1 day', 'position_based, weights=0.6/0.6/-0.2')),
  (pg_temp.agg('1 day', 'position_based, weights=0.5/0.5')),
  (pg_temp.agg('1 day', 'position_based, weights=a/b/c')),
  (pg_temp.agg('1 day', 'position_based, weights=NaN/0/0')),
  (pg_temp.agg('1 day', 'first_touch, weights=0.4/0.2/0.4')),
  (pg_temp.agg('1 day', repeat('linear,', 200)))
) v(stmt), pg_temp.expect_error(v.stmt) s;

-- lookback, NULL arguments, values and labels
SELECT s.* FROM (VALUES
  (pg_temp.agg('-1 day', 'linear')),
  (pg_temp.agg(NULL, 'linear')),
  (pg_temp.agg('1 day', NULL)),
  (pg_temp.agg('1 day', 'linear', '-5')),
  (pg_temp.agg('1 day', 'linear', '''NaN''::float8')),
  (pg_temp.agg('1 day', 'linear', '2e12')),
  ($$SELECT attribution_agg('1 day', 'linear', ts, repeat('x', 8193), false) FROM ae$$),
  ($$SELECT attribution_agg(interval '1 day' * u, 'linear', ts, touch, conv)
     FROM (VALUES (1, now(), 'a', false), (2, now(), 'b', false)) v(u, ts, touch, conv)$$),
  ($$SELECT attribution_agg('1 day', CASE WHEN u = 1 THEN 'linear' ELSE 'first_touch' END, ts, touch, conv)
     FROM (VALUES (1, now(), 'a', false), (2, now(), 'b', false)) v(u, ts, touch, conv)$$),
  -- ... also on a row that is neither a touch nor a conversion (not kept)
  ($$SELECT attribution_agg(interval '1 day' * u, 'linear', ts, touch, conv)
     FROM (VALUES (1, now(), 'a', false), (2, now(), NULL, false)) v(u, ts, touch, conv)$$)
) v(stmt), pg_temp.expect_error(v.stmt) s;

-- NULL touch labels are not an error: such a row is not a touch
SELECT attribution_agg('1 day', 'linear', ts, NULL, false) IS NOT NULL AS null_label_ignored FROM ae;

-- rollup of values made differently
SELECT s.* FROM (VALUES
  ($$SELECT rollup(a) FROM (SELECT attribution_agg('1 day', 'linear', ts, touch, conv) FROM ae
                            UNION ALL SELECT attribution_agg('1 day', 'first_touch', ts, touch, conv) FROM ae) s(a)$$),
  ($$SELECT rollup(a) FROM (SELECT attribution_agg('1 day', 'linear', ts, touch, conv) FROM ae
                            UNION ALL SELECT attribution_agg('2 days', 'linear', ts, touch, conv) FROM ae) s(a)$$),
  ($$SELECT rollup(a) FROM (SELECT attribution_agg('1 day', 'time_decay, half_life=1 day', ts, touch, conv) FROM ae
                            UNION ALL SELECT attribution_agg('1 day', 'time_decay', ts, touch, conv) FROM ae) s(a)$$)
) v(stmt), pg_temp.expect_error(v.stmt) s;

-- text input
\i test/lib/bad_text.sql

CREATE FUNCTION pg_temp.doc(edit text) RETURNS text LANGUAGE sql AS $$
SELECT replace('{"version": 1, "model": "linear, max_touches=100", "lookback": "1 day", '
               '"entities": 2, "conversions": 2, "attributed": 1, "unattributed_value_micros": 5, '
               '"touches": [{"touch": "a", "credit": 400000000000, "value_micros": 4, "touches": 1}, '
               '{"touch": "b", "credit": 600000000000, "value_micros": 6, "touches": 2}]}',
               split_part(edit, '=>', 1), split_part(edit, '=>', 2)) $$;

SELECT v.edit, s.* FROM (VALUES
  ('nothing=>nothing'),
  ('"version": 1=>"version": 2'),
  ('"model": "linear, max_touches=100"=>"model": "linear"'),
  ('"model": "linear, max_touches=100"=>"model": "bogus"'),
  ('"model": "linear, max_touches=100"=>"model": 5'),
  ('"lookback": "1 day"=>"lookback": "-1 day"'),
  ('"lookback": "1 day"=>"lookback": "soon"'),
  ('"entities": 2=>"entities": -2'),
  ('"entities": 2=>"entities": 0'),
  ('"attributed": 1=>"attributed": 3'),
  ('"conversions": 2=>"conversions": 1.5'),
  ('"unattributed_value_micros": 5=>"unattributed_value_micros": -5'),
  ('"credit": 600000000000=>"credit": 600000000001'),
  ('"credit": 400000000000=>"credit": 4000000000000'),
  ('"touch": "b"=>"touch": "a"'),
  ('"touch": "a"=>"touch": "c"'),
  ('"touches": 2=>"touches": -2'),
  ('"touches": 2=>"touches": 2, "extra": 1'),
  ('"entities": 2=>"entities": 2, "extra": 1'),
  ('"touches": [=>"touches": 5, "x": ['),
  ('"attributed": 1, =>')
) v(edit), pg_temp.bad_text(pg_temp.doc(v.edit), 'attribution') s;

SELECT s.* FROM (VALUES ('[1]'), ('not json'), ('{}')) v(t), pg_temp.bad_text(v.t, 'attribution') s;

-- binary input: one byte of a valid value changed (offsets in attribution_send's format)
\i test/lib/bad_binary.sql
CREATE TEMP VIEW ae_value AS SELECT attribution_agg('1 day', 'linear', ts, touch, conv, val) AS a FROM ae;
SELECT v.what, s.* FROM (VALUES
  ('unchanged', 0, 1),
  ('version', 0, 2),
  ('flags', 1, 2),
  ('model length', 2, 127),
  ('a model byte', 6, 88),
  ('lookback, top byte', 29, 255),
  ('entities', 44, 0),
  ('attributed', 60, 0),
  ('unattributed value', 68, 1),
  ('label count', 80, 2),
  ('label length', 84, 200),
  ('a label byte', 85, 255),
  ('credit', 93, 1),
  ('value, high half', 117, 1),
  ('touches, top byte', 122, 128),
  ('truncated', -1, 30)
) v(what, pos, val), pg_temp.bad_binary('SELECT a FROM ae_value', 'attribution', v.pos, v.val) s;

-- an aggregate a superuser builds from another aggregate's transition and
-- attribution_agg_final: an error with a SQLSTATE and a hint, not XX000
CREATE AGGREGATE pg_temp.mixed_attribution("window" interval, ts timestamptz, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_transition, STYPE = internal, FINALFUNC = attribution_agg_final);
SELECT * FROM pg_temp.expect_error($$SELECT pg_temp.mixed_attribution('1 day', ts, conv) FROM ae$$);
