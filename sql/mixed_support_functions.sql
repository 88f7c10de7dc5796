-- A superuser can build an aggregate from support functions of different
-- aggregates of the extension: every state is `internal`, so PostgreSQL
-- accepts any transition function with any final, combine or serialize
-- function.  Each of those checks that the state is its own (the tag that
-- every state starts with) and raises 42P13 instead of reading a state of
-- another shape.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
\set SHOW_CONTEXT never
CREATE TABLE mix_events (uid int, ts timestamptz, ev text);
INSERT INTO mix_events VALUES
  (1, '2026-01-01 10:00+00', 'a'), (1, '2026-01-01 11:00+00', 'b'),
  (1, '2026-01-01 12:00+00', 'c'), (2, '2026-01-02 10:00+00', 'a');

-- the issue's aggregate: window_funnel's state into sequence_match_final
CREATE AGGREGATE bad(interval, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_transition, STYPE = internal, FINALFUNC = sequence_match_final);
SELECT bad('1 day', ts, true) FROM mix_events;
DROP AGGREGATE bad(interval, timestamptz, VARIADIC boolean[]);

-- Every transition function with every final function of another family:
-- the error, its SQLSTATE and hint, or the value when the two are one
-- family (window_funnel's state is funnel_agg's without step names).
CREATE FUNCTION mix_try(family text, agg_args text, sfunc text, call text, finalfunc text)
RETURNS TABLE (state text, final text, code text, outcome text)
LANGUAGE plpgsql AS $$
DECLARE
    hint text;
BEGIN
    state := family;
    final := finalfunc;
    EXECUTE format('CREATE AGGREGATE mix_agg(%s) (SFUNC = %s, STYPE = internal, FINALFUNC = %s)',
                   agg_args, sfunc, finalfunc);
    BEGIN
        EXECUTE format('SELECT mix_agg(%s)::text FROM mix_events', call) INTO outcome;
        code := '00000';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS code = RETURNED_SQLSTATE, outcome = MESSAGE_TEXT,
                                hint = PG_EXCEPTION_HINT;
        IF hint <> 'The aggregate was created with support functions of different aggregates; use the extension''s aggregates.' THEN
            outcome := outcome || ' (hint: ' || hint || ')';
        END IF;
    END;
    EXECUTE format('DROP AGGREGATE mix_agg(%s)', agg_args);
    RETURN NEXT;
END $$;

SELECT r.*
FROM (VALUES
  (1, 'window_funnel', 'interval, timestamptz, VARIADIC boolean[]', 'window_funnel_transition',
   $$'1 day', ts, ev = 'a', ev = 'b'$$),
  (2, 'funnel_agg', 'interval, timestamptz, VARIADIC boolean[]', 'funnel_agg_transition',
   $$'1 day', ts, ev = 'a', ev = 'b'$$),
  (3, 'funnel_agg (names)', 'interval, timestamptz, text, text[]', 'funnel_agg_labels_transition',
   $$'1 day', ts, ev, ARRAY['a', 'b']$$),
  (4, 'sequence_match', 'text, timestamptz, VARIADIC boolean[]', 'sequence_transition',
   $$'(?1)(?2)', ts, ev = 'a', ev = 'b'$$),
  (5, 'attribution_agg', 'interval, text, timestamptz, text, boolean', 'attribution_agg_transition',
   $$'1 day', 'last_touch', ts, ev, ev = 'c'$$),
  (6, 'sequence_next_node', 'text, text, timestamptz, text, boolean, VARIADIC boolean[]',
   'sequence_next_node_transition', $$'forward', 'head', ts, ev, true, ev = 'a'$$),
  (7, 'lift_agg', 'interval, timestamptz, text, boolean', 'lift_agg_landmark_transition',
   $$'1 day', ts, ev, ev = 'c'$$)
) AS s(n, family, agg_args, sfunc, call)
CROSS JOIN (VALUES
  (1, 'window_funnel_final', 'window_funnel'), (2, 'funnel_agg_final', 'funnel_agg'),
  (3, 'sequence_match_final', 'sequence_match'), (4, 'sequence_count_final', 'sequence_match'),
  (5, 'attribution_agg_final', 'attribution_agg'), (6, 'sequence_next_node_final', 'sequence_next_node'),
  (7, 'lift_agg_final', 'lift_agg'), (8, 'sequence_match_events_final', 'sequence_match'),
  (9, 'sequence_match_events_timestamp_final', 'sequence_match')
) AS f(m, finalfunc, owner)
CROSS JOIN LATERAL mix_try(s.family, s.agg_args, s.sfunc, s.call, f.finalfunc) AS r
WHERE split_part(s.family, ' ', 1) <> f.owner
ORDER BY s.n, f.m;

-- Combine and serialize functions meet a state in a parallel plan: a
-- partial aggregate serializes each worker's state, the leader
-- deserializes and combines them.
ALTER TABLE mix_events SET (parallel_workers = 2);
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET enable_indexscan = off;

-- lift_agg's state serialized by event_buffer_serialize
CREATE AGGREGATE mix_par(interval, timestamptz, text, boolean) (
    SFUNC = lift_agg_landmark_transition, STYPE = internal, FINALFUNC = lift_agg_final,
    COMBINEFUNC = lift_agg_combine, SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = window_funnel_deserialize, PARALLEL = SAFE);
EXPLAIN (COSTS OFF) SELECT mix_par('1 day', ts, ev, ev = 'c') FROM mix_events;
SELECT mix_par('1 day', ts, ev, ev = 'c') FROM mix_events;
DROP AGGREGATE mix_par(interval, timestamptz, text, boolean);

-- lift_agg's state, serialized and deserialized by lift_agg's functions,
-- combined by event_buffer_combine
CREATE AGGREGATE mix_par(interval, timestamptz, text, boolean) (
    SFUNC = lift_agg_landmark_transition, STYPE = internal, FINALFUNC = lift_agg_final,
    COMBINEFUNC = event_buffer_combine, SERIALFUNC = lift_agg_serialize,
    DESERIALFUNC = lift_agg_deserialize, PARALLEL = SAFE);
SELECT mix_par('1 day', ts, ev, ev = 'c') FROM mix_events;
DROP AGGREGATE mix_par(interval, timestamptz, text, boolean);

-- sequence_match's state serialized by sequence_next_node_serialize
CREATE AGGREGATE mix_par(text, timestamptz, VARIADIC boolean[]) (
    SFUNC = sequence_transition, STYPE = internal, FINALFUNC = sequence_match_final,
    COMBINEFUNC = sequence_next_node_combine, SERIALFUNC = sequence_next_node_serialize,
    DESERIALFUNC = sequence_next_node_deserialize, PARALLEL = SAFE);
SELECT mix_par('(?1)(?2)', ts, ev = 'a', ev = 'b') FROM mix_events;
DROP AGGREGATE mix_par(text, timestamptz, VARIADIC boolean[]);

-- sequence_next_node's state combined by lift_agg_combine
CREATE AGGREGATE mix_par(text, text, timestamptz, text, boolean, VARIADIC boolean[]) (
    SFUNC = sequence_next_node_transition, STYPE = internal, FINALFUNC = sequence_next_node_final,
    COMBINEFUNC = lift_agg_combine, SERIALFUNC = sequence_next_node_serialize,
    DESERIALFUNC = sequence_next_node_deserialize, PARALLEL = SAFE);
SELECT mix_par('forward', 'head', ts, ev, true, ev = 'a') FROM mix_events;
DROP AGGREGATE mix_par(text, text, timestamptz, text, boolean, VARIADIC boolean[]);

-- window_funnel's state serialized by lift_agg_serialize
CREATE AGGREGATE mix_par(interval, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_transition, STYPE = internal, FINALFUNC = window_funnel_final,
    COMBINEFUNC = event_buffer_combine, SERIALFUNC = lift_agg_serialize,
    DESERIALFUNC = lift_agg_deserialize, PARALLEL = SAFE);
SELECT mix_par('1 day', ts, ev = 'a', ev = 'b') FROM mix_events;
DROP AGGREGATE mix_par(interval, timestamptz, VARIADIC boolean[]);
RESET ALL;

DROP FUNCTION mix_try(text, text, text, text, text);
DROP TABLE mix_events;
