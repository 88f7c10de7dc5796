-- conversions 0.1.0 -> 0.2.0: upgrade script
\echo Use "ALTER EXTENSION conversions UPDATE TO '0.2.0'" to load this file. \quit

-- Every change to the SQL surface or to a stored format after the 0.1.0
-- release goes here, and into conversions--0.2.0.sql, so that
-- ALTER EXTENSION conversions UPDATE leaves a database exactly as a fresh
-- 0.2.0 install (test/upgrade/upgrade.sh checks it with stored values).

-- Accessors by step name: reached(f, 'purchase'),
-- conversion_rate(f, 'view', 'purchase'), time_to_convert(f, 'view', 'cart', 0.5).
CREATE FUNCTION reached(f funnel, label text) RETURNS bigint
AS 'MODULE_PATHNAME', 'funnel_reached_by_label'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION reached(funnel, text) IS 'entities that reached the step with this name';

CREATE FUNCTION conversion_rate(f funnel, from_label text, to_label text) RETURNS float8
AS 'MODULE_PATHNAME', 'funnel_conversion_rate_by_label'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION conversion_rate(funnel, text, text) IS
'share of the entities that reached the step from_label and went on to reach to_label';

CREATE FUNCTION time_to_convert(f funnel, from_label text, to_label text, quantile float8)
RETURNS interval
AS 'MODULE_PATHNAME', 'funnel_time_to_convert_by_label'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION time_to_convert(funnel, text, text, float8) IS
'quantile of the time between the steps from_label and to_label, within 1%';

-- Argument names for every user-facing function and aggregate, so that \df
-- and tools show what each argument is (aggregates cannot be called with
-- named arguments, but their names are shown).  0.1.0 created them without
-- names; CREATE OR REPLACE may add names to unnamed parameters (PostgreSQL
-- refuses only to change a name already given), and the definitions below
-- are otherwise identical to 0.1.0's, so every other property is kept.
-- Type I/O and aggregate support functions stay unnamed.
-- WINDOW is a reserved word, hence "window".

CREATE OR REPLACE AGGREGATE window_funnel("window" interval, ts timestamptz, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = window_funnel_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE window_funnel("window" interval, ts timestamp, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = window_funnel_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE window_funnel("window" interval, mode text, ts timestamptz, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = window_funnel_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE window_funnel("window" interval, mode text, ts timestamp, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = window_funnel_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, ts timestamptz, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, ts timestamp, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, mode text, ts timestamptz, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, mode text, ts timestamp, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, ts timestamptz, event text, steps text[]) (
    SFUNC = funnel_agg_labels_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, ts timestamp, event text, steps text[]) (
    SFUNC = funnel_agg_labels_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, mode text, ts timestamptz, event text, steps text[]) (
    SFUNC = funnel_agg_labels_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, mode text, ts timestamp, event text, steps text[]) (
    SFUNC = funnel_agg_labels_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE rollup(f funnel) (
    SFUNC = funnel_rollup_transition,
    STYPE = funnel,
    FINALFUNC = funnel_rollup_final,
    COMBINEFUNC = funnel_rollup_transition,
    PARALLEL = SAFE
);

CREATE OR REPLACE FUNCTION entities(f funnel) RETURNS bigint
AS 'MODULE_PATHNAME', 'funnel_entities_sql'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION reached(f funnel, step integer) RETURNS bigint
AS 'MODULE_PATHNAME', 'funnel_reached_sql'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION conversion_rate(f funnel, from_step integer, to_step integer) RETURNS float8
AS 'MODULE_PATHNAME', 'funnel_conversion_rate'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION time_to_convert(f funnel, from_step integer, to_step integer, quantile float8)
RETURNS interval
AS 'MODULE_PATHNAME', 'funnel_time_to_convert'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION max_step(f funnel) RETURNS integer
AS 'MODULE_PATHNAME', 'funnel_max_step'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION entry_time(f funnel) RETURNS timestamptz
AS 'MODULE_PATHNAME', 'funnel_entry_time'
LANGUAGE C STRICT STABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION breakdown(f funnel) RETURNS text
AS 'MODULE_PATHNAME', 'funnel_breakdown'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE AGGREGATE retention(VARIADIC conds boolean[]) (
    SFUNC = retention_transition,
    STYPE = bigint,
    FINALFUNC = retention_final,
    COMBINEFUNC = retention_combine,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE sequence_match(pattern text, ts timestamptz, VARIADIC conds boolean[]) (
    SFUNC = sequence_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = sequence_match_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = sequence_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE sequence_match(pattern text, ts timestamp, VARIADIC conds boolean[]) (
    SFUNC = sequence_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = sequence_match_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = sequence_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE sequence_count(pattern text, ts timestamptz, VARIADIC conds boolean[]) (
    SFUNC = sequence_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = sequence_count_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = sequence_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE sequence_count(pattern text, ts timestamp, VARIADIC conds boolean[]) (
    SFUNC = sequence_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = sequence_count_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = sequence_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE sequence_next_node(direction text, base text, ts timestamptz, value text,
    base_cond boolean, VARIADIC conds boolean[]) (
    SFUNC = sequence_next_node_transition,
    STYPE = internal,
    SSPACE = 512,
    FINALFUNC = sequence_next_node_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = sequence_next_node_combine,
    SERIALFUNC = sequence_next_node_serialize,
    DESERIALFUNC = sequence_next_node_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE sequence_next_node(direction text, base text, ts timestamp, value text,
    base_cond boolean, VARIADIC conds boolean[]) (
    SFUNC = sequence_next_node_transition,
    STYPE = internal,
    SSPACE = 512,
    FINALFUNC = sequence_next_node_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = sequence_next_node_combine,
    SERIALFUNC = sequence_next_node_serialize,
    DESERIALFUNC = sequence_next_node_deserialize,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE rollup(a attribution) (
    SFUNC = attribution_rollup_transition,
    STYPE = attribution,
    COMBINEFUNC = attribution_rollup_transition,
    PARALLEL = SAFE
);

CREATE OR REPLACE FUNCTION entities(a attribution) RETURNS bigint
AS 'MODULE_PATHNAME', 'attribution_entities'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION conversions(a attribution) RETURNS bigint
AS 'MODULE_PATHNAME', 'attribution_conversions'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION attributed_conversions(a attribution) RETURNS bigint
AS 'MODULE_PATHNAME', 'attribution_attributed'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION conversion_value(a attribution) RETURNS float8
AS 'MODULE_PATHNAME', 'attribution_total_value'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE AGGREGATE rollup(l lift) (
    SFUNC = lift_rollup_transition,
    STYPE = lift,
    COMBINEFUNC = lift_rollup_transition,
    PARALLEL = SAFE
);

CREATE OR REPLACE FUNCTION entities(l lift) RETURNS bigint
AS 'MODULE_PATHNAME', 'lift_entities'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE FUNCTION converted_entities(l lift) RETURNS bigint
AS 'MODULE_PATHNAME', 'lift_converted'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

-- funnel_hold and funnel_breakdown: funnel_agg's hold and breakdown values --
--
-- Stored exactly like text (text's own I/O functions), but distinct types
-- with no cast from text: a call must say which value is which, with
-- hold_by(product) and breakdown_by(channel), so the two cannot be swapped.

CREATE TYPE funnel_hold;

CREATE FUNCTION funnel_hold_in(cstring) RETURNS funnel_hold
AS 'textin' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION funnel_hold_out(funnel_hold) RETURNS cstring
AS 'textout' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION funnel_hold_recv(internal) RETURNS funnel_hold
AS 'textrecv' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION funnel_hold_send(funnel_hold) RETURNS bytea
AS 'textsend' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE funnel_hold (
    INPUT = funnel_hold_in,
    OUTPUT = funnel_hold_out,
    RECEIVE = funnel_hold_recv,
    SEND = funnel_hold_send,
    LIKE = text
);

COMMENT ON TYPE funnel_hold IS
'funnel_agg''s hold value (text): a funnel''s chain keeps it constant; make one with hold_by(value)';

CREATE TYPE funnel_breakdown;

CREATE FUNCTION funnel_breakdown_in(cstring) RETURNS funnel_breakdown
AS 'textin' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION funnel_breakdown_out(funnel_breakdown) RETURNS cstring
AS 'textout' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION funnel_breakdown_recv(internal) RETURNS funnel_breakdown
AS 'textrecv' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

CREATE FUNCTION funnel_breakdown_send(funnel_breakdown) RETURNS bytea
AS 'textsend' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE funnel_breakdown (
    INPUT = funnel_breakdown_in,
    OUTPUT = funnel_breakdown_out,
    RECEIVE = funnel_breakdown_recv,
    SEND = funnel_breakdown_send,
    LIKE = text
);

COMMENT ON TYPE funnel_breakdown IS
'funnel_agg''s breakdown value (text): what a funnel is broken down by; make one with breakdown_by(value)';

CREATE FUNCTION hold_by(value text) RETURNS funnel_hold
AS 'MODULE_PATHNAME', 'funnel_hold_by'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION hold_by(text) IS
'funnel_agg''s hold argument: the value a chain must keep constant (NULL stays NULL)';

CREATE FUNCTION breakdown_by(value text) RETURNS funnel_breakdown
AS 'MODULE_PATHNAME', 'funnel_breakdown_by'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION breakdown_by(text) IS
'funnel_agg''s breakdown argument: the value a funnel is broken down by (NULL stays NULL)';

-- funnel_agg with typed hold and breakdown values -------------------------

CREATE FUNCTION funnel_agg_transition(internal, interval, text, timestamptz, funnel_hold, funnel_breakdown, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_labels_transition(internal, interval, text, timestamptz, text, text[], funnel_hold, funnel_breakdown)
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_labels_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_transition(internal, interval, text, timestamp, funnel_hold, funnel_breakdown, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_labels_transition(internal, interval, text, timestamp, text, text[], funnel_hold, funnel_breakdown)
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_labels_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE funnel_agg("window" interval, mode text, ts timestamptz,
                            hold funnel_hold, breakdown funnel_breakdown, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg("window" interval, mode text, ts timestamp,
                            hold funnel_hold, breakdown funnel_breakdown, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg("window" interval, mode text, ts timestamptz, event text, steps text[],
                            hold funnel_hold, breakdown funnel_breakdown) (
    SFUNC = funnel_agg_labels_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg("window" interval, mode text, ts timestamp, event text, steps text[],
                            hold funnel_hold, breakdown funnel_breakdown) (
    SFUNC = funnel_agg_labels_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE funnel_agg(interval, text, timestamptz, funnel_hold, funnel_breakdown, boolean[]) IS
'one entity''s funnel, with options, holding a value constant and breaking down by another';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp, funnel_hold, funnel_breakdown, boolean[]) IS
'one entity''s funnel, with options, holding a value constant and breaking down by another';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamptz, text, text[], funnel_hold, funnel_breakdown) IS
'one entity''s funnel, steps named by event, with options, holding a value constant and breaking down by another';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp, text, text[], funnel_hold, funnel_breakdown) IS
'one entity''s funnel, steps named by event, with options, holding a value constant and breaking down by another';

-- funnel_agg's retired 0.1.0 forms with hold and breakdown as text ----------
--
-- Kept so that views stored under 0.1.0 still load, but any call raises an
-- error (SQLSTATE 42883) that shows the typed call: on its first row, and
-- from the final function when there are no rows.  CREATE OR REPLACE
-- keeps each aggregate (and so the views that use it) and gives it the
-- error functions and argument names.

CREATE FUNCTION funnel_agg_untyped_transition(internal, interval, text, timestamptz, text, text, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_untyped_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_untyped_transition(internal, interval, text, timestamp, text, text, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_untyped_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_untyped_transition(internal, interval, text, timestamptz, text, text[], text, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_untyped_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_untyped_transition(internal, interval, text, timestamp, text, text[], text, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_untyped_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_untyped_final(internal)
RETURNS funnel
AS 'MODULE_PATHNAME', 'funnel_agg_untyped_final'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, mode text, ts timestamptz,
                                       hold text, breakdown text, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_untyped_transition,
    STYPE = internal,
    FINALFUNC = funnel_agg_untyped_final,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, mode text, ts timestamp,
                                       hold text, breakdown text, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_untyped_transition,
    STYPE = internal,
    FINALFUNC = funnel_agg_untyped_final,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, mode text, ts timestamptz, event text,
                                       steps text[], hold text, breakdown text) (
    SFUNC = funnel_agg_untyped_transition,
    STYPE = internal,
    FINALFUNC = funnel_agg_untyped_final,
    PARALLEL = SAFE
);

CREATE OR REPLACE AGGREGATE funnel_agg("window" interval, mode text, ts timestamp, event text,
                                       steps text[], hold text, breakdown text) (
    SFUNC = funnel_agg_untyped_transition,
    STYPE = internal,
    FINALFUNC = funnel_agg_untyped_final,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE funnel_agg(interval, text, timestamptz, text, text, boolean[]) IS
'retired 0.1.0 form: an error; pass hold_by(value) and breakdown_by(value)';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp, text, text, boolean[]) IS
'retired 0.1.0 form: an error; pass hold_by(value) and breakdown_by(value)';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamptz, text, text[], text, text) IS
'retired 0.1.0 form: an error; pass hold_by(value) and breakdown_by(value)';
COMMENT ON AGGREGATE funnel_agg(interval, text, timestamp, text, text[], text, text) IS
'retired 0.1.0 form: an error; pass hold_by(value) and breakdown_by(value)';

-- the 0.1.0 transitions of the text forms, which the aggregates above no longer use
DROP FUNCTION funnel_agg_transition(internal, interval, text, timestamptz, text, text, boolean[]);
DROP FUNCTION funnel_agg_transition(internal, interval, text, timestamp, text, text, boolean[]);
DROP FUNCTION funnel_agg_labels_transition(internal, interval, text, timestamptz, text, text[], text, text);
DROP FUNCTION funnel_agg_labels_transition(internal, interval, text, timestamp, text, text[], text, text);

-- funnel_agg with a text value after ts, such as a mode ---------------------
--
-- funnel_agg(window, ts, 'strict_order', conditions...) would otherwise
-- fail on 'strict_order' as a boolean; this form says what was meant
-- (SQLSTATE 22023).  It takes two conditions or more: with one, it would
-- make funnel_agg(window, ts, event, '{a,b}') ambiguous.

CREATE FUNCTION funnel_agg_misplaced_transition(internal, interval, timestamptz, text, boolean, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_misplaced_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_misplaced_transition(internal, interval, timestamp, text, boolean, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_misplaced_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_misplaced_final(internal)
RETURNS funnel
AS 'MODULE_PATHNAME', 'funnel_agg_misplaced_final'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE funnel_agg("window" interval, ts timestamptz, misplaced text,
                            first_step boolean, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_misplaced_transition,
    STYPE = internal,
    FINALFUNC = funnel_agg_misplaced_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg("window" interval, ts timestamp, misplaced text,
                            first_step boolean, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_misplaced_transition,
    STYPE = internal,
    FINALFUNC = funnel_agg_misplaced_final,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE funnel_agg(interval, timestamptz, text, boolean, boolean[]) IS
'an error that says what was meant: the mode goes before ts, and conditions are boolean';
COMMENT ON AGGREGATE funnel_agg(interval, timestamp, text, boolean, boolean[]) IS
'an error that says what was meant: the mode goes before ts, and conditions are boolean';

-- window_funnel with a text value after ts, such as a mode ------------------
--
-- window_funnel(window, ts, 'strict_order', conditions...) would otherwise
-- fail on 'strict_order' as a boolean; this form says what was meant
-- (SQLSTATE 22023).

CREATE FUNCTION window_funnel_misplaced_transition(internal, interval, timestamptz, text, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_misplaced_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION window_funnel_misplaced_transition(internal, interval, timestamp, text, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_misplaced_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION window_funnel_misplaced_final(internal)
RETURNS integer
AS 'MODULE_PATHNAME', 'window_funnel_misplaced_final'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel("window" interval, ts timestamptz, misplaced text,
                               VARIADIC steps boolean[]) (
    SFUNC = window_funnel_misplaced_transition,
    STYPE = internal,
    FINALFUNC = window_funnel_misplaced_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE window_funnel("window" interval, ts timestamp, misplaced text,
                               VARIADIC steps boolean[]) (
    SFUNC = window_funnel_misplaced_transition,
    STYPE = internal,
    FINALFUNC = window_funnel_misplaced_final,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamptz, text, boolean[]) IS
'an error that says what was meant: the mode goes before ts, and conditions are boolean';
COMMENT ON AGGREGATE window_funnel(interval, timestamp, text, boolean[]) IS
'an error that says what was meant: the mode goes before ts, and conditions are boolean';

-- lift: the landmark design (issue 15).  0.1.0's lift_agg(ts, micro,
-- is_conversion) counted a converter's micro-conversions only up to its
-- first conversion, which is biased against frequent micro-conversions.
-- Its aggregates stay (views that use them survive the update) but their
-- support functions now raise an error; lift_agg(landmark, ...) replaces
-- them, and lift_report refuses the version-1 values they stored.
ALTER FUNCTION lift_agg_transition(internal, timestamptz, text, boolean)
    RENAME TO lift_agg_retired_transition;
CREATE OR REPLACE FUNCTION lift_agg_retired_transition(state internal, ts timestamptz, micro text,
    is_conversion boolean)
RETURNS internal
AS 'MODULE_PATHNAME', 'lift_agg_retired_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

ALTER FUNCTION lift_agg_transition(internal, timestamp, text, boolean)
    RENAME TO lift_agg_retired_transition;
CREATE OR REPLACE FUNCTION lift_agg_retired_transition(state internal, ts timestamp, micro text,
    is_conversion boolean)
RETURNS internal
AS 'MODULE_PATHNAME', 'lift_agg_retired_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

ALTER FUNCTION lift_agg_final(internal) RENAME TO lift_agg_retired_final;
CREATE OR REPLACE FUNCTION lift_agg_retired_final(state internal)
RETURNS lift
AS 'MODULE_PATHNAME', 'lift_agg_retired_final'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

COMMENT ON AGGREGATE lift_agg(timestamptz, text, boolean) IS
'retired in 0.2.0 (its before-first-conversion rule was biased): raises an error; use lift_agg(landmark, ts, micro, is_conversion)';
COMMENT ON AGGREGATE lift_agg(timestamp, text, boolean) IS
'retired in 0.2.0 (its before-first-conversion rule was biased): raises an error; use lift_agg(landmark, ts, micro, is_conversion)';

CREATE FUNCTION lift_agg_landmark_transition(state internal, landmark interval, ts timestamptz,
    micro text, is_conversion boolean)
RETURNS internal
AS 'MODULE_PATHNAME', 'lift_agg_landmark_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION lift_agg_landmark_transition(state internal, landmark interval, ts timestamp,
    micro text, is_conversion boolean)
RETURNS internal
AS 'MODULE_PATHNAME', 'lift_agg_landmark_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION lift_agg_landmark_transition(state internal, landmark interval, ts timestamptz,
    micro text, is_conversion boolean, follow_up interval)
RETURNS internal
AS 'MODULE_PATHNAME', 'lift_agg_landmark_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION lift_agg_landmark_transition(state internal, landmark interval, ts timestamp,
    micro text, is_conversion boolean, follow_up interval)
RETURNS internal
AS 'MODULE_PATHNAME', 'lift_agg_landmark_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION lift_agg_final(state internal)
RETURNS lift
AS 'MODULE_PATHNAME', 'lift_agg_final'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE lift_agg(landmark interval, ts timestamptz, micro text, is_conversion boolean) (
    SFUNC = lift_agg_landmark_transition,
    STYPE = internal,
    SSPACE = 128,
    FINALFUNC = lift_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = lift_agg_combine,
    SERIALFUNC = lift_agg_serialize,
    DESERIALFUNC = lift_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE lift_agg(landmark interval, ts timestamp, micro text, is_conversion boolean) (
    SFUNC = lift_agg_landmark_transition,
    STYPE = internal,
    SSPACE = 128,
    FINALFUNC = lift_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = lift_agg_combine,
    SERIALFUNC = lift_agg_serialize,
    DESERIALFUNC = lift_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE lift_agg(landmark interval, ts timestamptz, micro text, is_conversion boolean,
                          follow_up interval) (
    SFUNC = lift_agg_landmark_transition,
    STYPE = internal,
    SSPACE = 128,
    FINALFUNC = lift_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = lift_agg_combine,
    SERIALFUNC = lift_agg_serialize,
    DESERIALFUNC = lift_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE lift_agg(landmark interval, ts timestamp, micro text, is_conversion boolean,
                          follow_up interval) (
    SFUNC = lift_agg_landmark_transition,
    STYPE = internal,
    SSPACE = 128,
    FINALFUNC = lift_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = lift_agg_combine,
    SERIALFUNC = lift_agg_serialize,
    DESERIALFUNC = lift_agg_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE lift_agg(interval, timestamptz, text, boolean) IS
'one entity, landmark design: the micro-conversions it did from its first row to the landmark, and whether it converted after the landmark (or before it)';
COMMENT ON AGGREGATE lift_agg(interval, timestamp, text, boolean) IS
'one entity, landmark design: the micro-conversions it did from its first row to the landmark, and whether it converted after the landmark (or before it)';
COMMENT ON AGGREGATE lift_agg(interval, timestamptz, text, boolean, interval) IS
'one entity, landmark design: the micro-conversions it did from its first row to the landmark, and whether it converted within the follow-up after the landmark (or before it)';
COMMENT ON AGGREGATE lift_agg(interval, timestamp, text, boolean, interval) IS
'one entity, landmark design: the micro-conversions it did from its first row to the landmark, and whether it converted within the follow-up after the landmark (or before it)';

CREATE FUNCTION converted_before_landmark(l lift) RETURNS bigint
AS 'MODULE_PATHNAME', 'lift_converted_before_landmark'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION converted_before_landmark(lift) IS
'number of entities that converted before their landmark, left out of the rates (NULL for a value of 0.1.0)';

COMMENT ON TYPE lift IS
'entities at risk at the landmark, how many converted after it, and per micro-conversion label the entities that did it before the landmark and how many of them converted';
COMMENT ON AGGREGATE rollup(lift) IS 'merge lift values of disjoint sets of entities (of the same landmark and follow-up)';
COMMENT ON FUNCTION lift_report(lift, float8) IS
'per micro-conversion, over the entities at risk at the landmark: conversion rate with and without it, lift (rate_with / rate_without - 1) and its confidence interval';
COMMENT ON FUNCTION entities(lift) IS 'number of entities the lift value counts (at risk at the landmark)';
COMMENT ON FUNCTION converted_entities(lift) IS 'number of entities at risk that converted after the landmark (within the follow-up)';

-- rates with confidence intervals, two funnels compared, and the mean and
-- histogram of time-to-convert (0.2.0)
CREATE FUNCTION funnel_rates(f funnel, confidence float8 DEFAULT 0.95,
    OUT step integer, OUT label text, OUT entered bigint,
    OUT converted_from_previous float8, OUT from_previous_low float8, OUT from_previous_high float8,
    OUT converted_from_first float8, OUT from_first_low float8, OUT from_first_high float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'funnel_rates'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 8;

COMMENT ON FUNCTION funnel_rates(funnel, float8) IS
'one row per step: conversion from the previous step and from step 1 with Wilson score intervals';

CREATE FUNCTION funnel_compare(a funnel, b funnel, from_step integer, to_step integer,
    confidence float8 DEFAULT 0.95,
    OUT rate_a float8, OUT rate_b float8, OUT difference float8,
    OUT difference_low float8, OUT difference_high float8, OUT relative_lift float8,
    OUT z float8, OUT p_value float8)
RETURNS record
AS 'MODULE_PATHNAME', 'funnel_compare'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION funnel_compare(funnel, funnel, integer, integer, float8) IS
'conversion from from_step to to_step in b against a: difference (Newcombe interval), relative lift, two-proportion z test';

CREATE FUNCTION funnel_compare(a funnel, b funnel, from_label text, to_label text,
    confidence float8 DEFAULT 0.95,
    OUT rate_a float8, OUT rate_b float8, OUT difference float8,
    OUT difference_low float8, OUT difference_high float8, OUT relative_lift float8,
    OUT z float8, OUT p_value float8)
RETURNS record
AS 'MODULE_PATHNAME', 'funnel_compare_by_label'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION funnel_compare(funnel, funnel, text, text, float8) IS
'conversion between the steps from_label and to_label in b against a: difference (Newcombe interval), relative lift, two-proportion z test';

CREATE FUNCTION time_to_convert_mean(f funnel, from_step integer, to_step integer)
RETURNS interval
AS 'MODULE_PATHNAME', 'time_to_convert_mean'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION time_to_convert_mean(funnel, integer, integer) IS
'exact mean time from from_step (1 or to_step - 1) to to_step';

CREATE FUNCTION time_to_convert_mean(f funnel, from_label text, to_label text)
RETURNS interval
AS 'MODULE_PATHNAME', 'time_to_convert_mean_by_label'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION time_to_convert_mean(funnel, text, text) IS
'exact mean time between the steps from_label and to_label';

CREATE FUNCTION time_to_convert_histogram(f funnel, from_step integer, to_step integer,
    bounds interval[],
    OUT bucket integer, OUT lower interval, OUT upper interval, OUT entities bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'time_to_convert_histogram'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 10;

COMMENT ON FUNCTION time_to_convert_histogram(funnel, integer, integer, interval[]) IS
'entities per bucket [0, b1), [b1, b2), ..., [bn, +inf) of the time from from_step to to_step, within 1% of the bounds';

CREATE FUNCTION time_to_convert_histogram(f funnel, from_label text, to_label text,
    bounds interval[],
    OUT bucket integer, OUT lower interval, OUT upper interval, OUT entities bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'time_to_convert_histogram_by_label'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 10;

COMMENT ON FUNCTION time_to_convert_histogram(funnel, text, text, interval[]) IS
'entities per bucket [0, b1), [b1, b2), ..., [bn, +inf) of the time between the steps from_label and to_label, within 1% of the bounds';

-- best_chain: one entity's best chain over its per-period funnels -----------
-- The transition keeps the better of two one-entity funnels by funnel_agg's
-- rule; the state is a funnel (not internal) and the same function combines
-- partial states, as for rollup.

CREATE FUNCTION best_chain_transition(funnel, funnel)
RETURNS funnel
AS 'MODULE_PATHNAME', 'best_chain_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE best_chain(f funnel) (
    SFUNC = best_chain_transition,
    STYPE = funnel,
    COMBINEFUNC = best_chain_transition,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE best_chain(funnel) IS
'one entity''s best chain over its one-entity funnels (per-period funnel_agg values)';
-- people: funnels that carry who reached each step (issue 17) --------------
--
-- rollup(f, person) merges funnel_agg's one-entity values like rollup(f)
-- and records, per step, the exact set of persons whose value reached it;
-- rollup(f) of such values unions the sets.  The state stays a funnel
-- (an expanded object inside the aggregate), combined by rollup(f)'s
-- transition, so that Citus can split it like rollup(f).

CREATE FUNCTION funnel_people_transition(state funnel, f funnel, person bigint)
RETURNS funnel
AS 'MODULE_PATHNAME', 'funnel_people_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE rollup(f funnel, person bigint) (
    SFUNC = funnel_people_transition,
    STYPE = funnel,
    FINALFUNC = funnel_rollup_final,
    COMBINEFUNC = funnel_rollup_transition,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(funnel, bigint) IS
'merge one-entity funnels and record who reached each step, so that merged periods count distinct people';

CREATE FUNCTION people_reached(f funnel, step integer) RETURNS bigint
AS 'MODULE_PATHNAME', 'funnel_people_reached'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION people_reached(funnel, integer) IS
'distinct people who reached the step (a funnel built with rollup(f, person))';

CREATE FUNCTION people_reached(f funnel, label text) RETURNS bigint
AS 'MODULE_PATHNAME', 'funnel_people_reached_by_label'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION people_reached(funnel, text) IS
'distinct people who reached the step with this name (a funnel built with rollup(f, person))';

CREATE FUNCTION people_ids(f funnel, step integer) RETURNS SETOF bigint
AS 'MODULE_PATHNAME', 'funnel_people_ids'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 1000;

COMMENT ON FUNCTION people_ids(funnel, integer) IS
'the ids of the people who reached the step, ascending';

CREATE FUNCTION funnel_people_steps(f funnel,
    OUT step integer, OUT label text, OUT people bigint,
    OUT converted_from_previous float8, OUT converted_from_first float8,
    OUT dropped bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'funnel_people_steps'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 8;

COMMENT ON FUNCTION funnel_people_steps(funnel) IS
'one row per step: distinct people who reached it, conversion and drop-off';

-- sequence_match_events: the timestamps of the events each (?N) item
-- matched (ClickHouse's sequenceMatchEvents); the same state as
-- sequence_match, another final function.

CREATE FUNCTION sequence_match_events_final(internal)
RETURNS timestamptz[]
AS 'MODULE_PATHNAME', 'sequence_match_events_final'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION sequence_match_events_timestamp_final(internal)
RETURNS timestamp[]
AS 'MODULE_PATHNAME', 'sequence_match_events_timestamp_final'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_match_events(pattern text, ts timestamptz, VARIADIC conds boolean[]) (
    SFUNC = sequence_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = sequence_match_events_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = sequence_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE sequence_match_events(pattern text, ts timestamp, VARIADIC conds boolean[]) (
    SFUNC = sequence_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = sequence_match_events_timestamp_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = sequence_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match_events(text, timestamptz, boolean[]) IS
'the times of the events matched by each (?N) item of a ClickHouse sequence pattern, of the first match or else of the longest partial chain';
COMMENT ON AGGREGATE sequence_match_events(text, timestamp, boolean[]) IS
'the times of the events matched by each (?N) item of a ClickHouse sequence pattern, of the first match or else of the longest partial chain';

-- paths: path analysis (the distinct paths of entities through events) -----
--
-- A varlena with a format version in its header (src/paths/paths.h); its
-- text form is a JSON object.  path_agg keeps its rows in the shared event
-- buffer (combine and serialize are event_buffer_combine and
-- event_buffer_serialize); rollup's state is a paths value, like
-- rollup(funnel).

CREATE TYPE paths;

CREATE FUNCTION paths_in(cstring) RETURNS paths
AS 'MODULE_PATHNAME', 'paths_in'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION paths_out(paths) RETURNS cstring
AS 'MODULE_PATHNAME', 'paths_out'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION paths_recv(internal) RETURNS paths
AS 'MODULE_PATHNAME', 'paths_recv'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION paths_send(paths) RETURNS bytea
AS 'MODULE_PATHNAME', 'paths_send'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE TYPE paths (
    INPUT = paths_in,
    OUTPUT = paths_out,
    RECEIVE = paths_recv,
    SEND = paths_send,
    INTERNALLENGTH = VARIABLE,
    ALIGNMENT = double,
    STORAGE = extended
);

COMMENT ON TYPE paths IS
'the distinct paths a set of entities took through their events, with entity counts, conversions and Sankey edges';

CREATE FUNCTION path_agg_transition(internal, timestamptz, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'path_agg_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION path_agg_transition(internal, timestamp, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'path_agg_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION path_agg_transition(internal, bigint, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'path_agg_integer_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION path_agg_transition(internal, text, timestamptz, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'path_agg_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION path_agg_transition(internal, text, timestamp, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'path_agg_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION path_agg_transition(internal, text, bigint, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'path_agg_integer_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION path_agg_final(internal)
RETURNS paths
AS 'MODULE_PATHNAME', 'path_agg_final'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION path_agg_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'path_agg_deserialize'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE path_agg(ts timestamptz, event text) (
    SFUNC = path_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = path_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = path_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE path_agg(ts timestamp, event text) (
    SFUNC = path_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = path_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = path_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE path_agg(ts bigint, event text) (
    SFUNC = path_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = path_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = path_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE path_agg(options text, ts timestamptz, event text) (
    SFUNC = path_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = path_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = path_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE path_agg(options text, ts timestamp, event text) (
    SFUNC = path_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = path_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = path_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE path_agg(options text, ts bigint, event text) (
    SFUNC = path_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = path_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = path_agg_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE path_agg(timestamptz, text) IS
'one entity''s distinct paths through its events (5 steps from each session''s first event)';
COMMENT ON AGGREGATE path_agg(timestamp, text) IS
'one entity''s distinct paths through its events (5 steps from each session''s first event)';
COMMENT ON AGGREGATE path_agg(bigint, text) IS
'one entity''s distinct paths through its events, integer time (5 steps from each session''s first event)';
COMMENT ON AGGREGATE path_agg(text, timestamptz, text) IS
'one entity''s distinct paths through its events, with options (steps, direction, anchor, collapse_repeats, max_gap, events, conversion, only)';
COMMENT ON AGGREGATE path_agg(text, timestamp, text) IS
'one entity''s distinct paths through its events, with options (steps, direction, anchor, collapse_repeats, max_gap, events, conversion, only)';
COMMENT ON AGGREGATE path_agg(text, bigint, text) IS
'one entity''s distinct paths through its events, integer time, with options (max_gap in the column''s units)';

CREATE FUNCTION paths_rollup_transition(paths, paths)
RETURNS paths
AS 'MODULE_PATHNAME', 'paths_rollup_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION paths_rollup_final(paths)
RETURNS paths
AS 'MODULE_PATHNAME', 'paths_rollup_final'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE rollup(p paths) (
    SFUNC = paths_rollup_transition,
    STYPE = paths,
    FINALFUNC = paths_rollup_final,
    COMBINEFUNC = paths_rollup_transition,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE rollup(paths) IS
'merge the paths of disjoint sets of entities (same path_agg options)';

CREATE FUNCTION entities(p paths) RETURNS bigint
AS 'MODULE_PATHNAME', 'paths_entities'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION entities(paths) IS 'number of entities aggregated, with or without a path';

CREATE FUNCTION paths_count(p paths) RETURNS bigint
AS 'MODULE_PATHNAME', 'paths_count'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION paths_count(paths) IS 'number of distinct paths the value holds';

CREATE FUNCTION top_paths(p paths, k integer DEFAULT 10,
    OUT rank integer, OUT path text[], OUT entities bigint, OUT share float8,
    OUT converted bigint, OUT conversion_rate float8)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'paths_top_paths'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE ROWS 10;

COMMENT ON FUNCTION top_paths(paths, integer) IS
'the k paths most entities took (all with k NULL): entities, share, converted and conversion rate';

CREATE FUNCTION path_edges(p paths,
    OUT step integer, OUT from_node text, OUT to_node text, OUT entities bigint)
RETURNS SETOF record
AS 'MODULE_PATHNAME', 'paths_edges'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE ROWS 20;

COMMENT ON FUNCTION path_edges(paths) IS
'the Sankey edge list: per step, each move from one node to the next and the entities that made it';

-- window_funnel over integer times (issue 18) ------------------------------
--
-- Twins of the forms above taking ts bigint (an integer column resolves to
-- them by the implicit int4 -> int8 cast), with the window a bigint in the
-- column's own units: the same C functions, which tell the forms apart by
-- the argument types.

CREATE FUNCTION window_funnel_transition(internal, bigint, bigint, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION window_funnel_transition(internal, bigint, text, bigint, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel("window" bigint, ts bigint, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = window_funnel_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE window_funnel("window" bigint, mode text, ts bigint, VARIADIC steps boolean[]) (
    SFUNC = window_funnel_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = window_funnel_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(bigint, bigint, boolean[]) IS
'longest chain of steps reached within the window, over integer times (window in their units)';
COMMENT ON AGGREGATE window_funnel(bigint, text, bigint, boolean[]) IS
'longest chain of steps reached within the window, with modes, over integer times (window in their units)';

CREATE FUNCTION window_funnel_misplaced_transition(internal, bigint, bigint, text, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_misplaced_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel("window" bigint, ts bigint, misplaced text,
                               VARIADIC steps boolean[]) (
    SFUNC = window_funnel_misplaced_transition,
    STYPE = internal,
    FINALFUNC = window_funnel_misplaced_final,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(bigint, bigint, text, boolean[]) IS
'an error that says what was meant: the mode goes before ts, and conditions are boolean';

-- funnel_agg over integer times (issue 18) ---------------------------------
--
-- Twins of every form above taking ts bigint (an integer column resolves to
-- them by the implicit int4 -> int8 cast), with the window a bigint in the
-- column's own units.  The transitions are the same C functions; the final
-- marks the value as built over integer times.

CREATE FUNCTION funnel_agg_integer_final(internal)
RETURNS funnel
AS 'MODULE_PATHNAME', 'funnel_agg_integer_final'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_transition(internal, bigint, bigint, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_transition(internal, bigint, text, bigint, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_transition(internal, bigint, text, bigint, funnel_hold, funnel_breakdown, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_labels_transition(internal, bigint, bigint, text, text[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_labels_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_labels_transition(internal, bigint, text, bigint, text, text[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_labels_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_labels_transition(internal, bigint, text, bigint, text, text[], funnel_hold, funnel_breakdown)
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_labels_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE funnel_agg("window" bigint, ts bigint, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_integer_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg("window" bigint, mode text, ts bigint, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_integer_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg("window" bigint, mode text, ts bigint,
                            hold funnel_hold, breakdown funnel_breakdown, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_integer_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg("window" bigint, ts bigint, event text, steps text[]) (
    SFUNC = funnel_agg_labels_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_integer_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg("window" bigint, mode text, ts bigint, event text, steps text[]) (
    SFUNC = funnel_agg_labels_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_integer_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg("window" bigint, mode text, ts bigint, event text, steps text[],
                            hold funnel_hold, breakdown funnel_breakdown) (
    SFUNC = funnel_agg_labels_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = funnel_agg_integer_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = funnel_agg_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE funnel_agg(bigint, bigint, boolean[]) IS
'one entity''s funnel over integer times (window in their units)';
COMMENT ON AGGREGATE funnel_agg(bigint, text, bigint, boolean[]) IS
'one entity''s funnel over integer times, with window_funnel modes and funnel_agg options';
COMMENT ON AGGREGATE funnel_agg(bigint, text, bigint, funnel_hold, funnel_breakdown, boolean[]) IS
'one entity''s funnel over integer times, with options, holding a value constant and breaking down by another';
COMMENT ON AGGREGATE funnel_agg(bigint, bigint, text, text[]) IS
'one entity''s funnel over integer times, steps named by event';
COMMENT ON AGGREGATE funnel_agg(bigint, text, bigint, text, text[]) IS
'one entity''s funnel over integer times, steps named by event, with modes and options';
COMMENT ON AGGREGATE funnel_agg(bigint, text, bigint, text, text[], funnel_hold, funnel_breakdown) IS
'one entity''s funnel over integer times, steps named by event, with options, holding a value constant and breaking down by another';

-- the error forms over integer times: hold and breakdown as text (42883),
-- and a text value after ts (22023), as for timestamps above

CREATE FUNCTION funnel_agg_untyped_transition(internal, bigint, text, bigint, text, text, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_untyped_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION funnel_agg_untyped_transition(internal, bigint, text, bigint, text, text[], text, text)
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_untyped_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE funnel_agg("window" bigint, mode text, ts bigint,
                            hold text, breakdown text, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_untyped_transition,
    STYPE = internal,
    FINALFUNC = funnel_agg_untyped_final,
    PARALLEL = SAFE
);

CREATE AGGREGATE funnel_agg("window" bigint, mode text, ts bigint, event text,
                            steps text[], hold text, breakdown text) (
    SFUNC = funnel_agg_untyped_transition,
    STYPE = internal,
    FINALFUNC = funnel_agg_untyped_final,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE funnel_agg(bigint, text, bigint, text, text, boolean[]) IS
'an error: pass hold_by(value) and breakdown_by(value)';
COMMENT ON AGGREGATE funnel_agg(bigint, text, bigint, text, text[], text, text) IS
'an error: pass hold_by(value) and breakdown_by(value)';

CREATE FUNCTION funnel_agg_misplaced_transition(internal, bigint, bigint, text, boolean, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'funnel_agg_misplaced_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE funnel_agg("window" bigint, ts bigint, misplaced text,
                            first_step boolean, VARIADIC steps boolean[]) (
    SFUNC = funnel_agg_misplaced_transition,
    STYPE = internal,
    FINALFUNC = funnel_agg_misplaced_final,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE funnel_agg(bigint, bigint, text, boolean, boolean[]) IS
'an error that says what was meant: the mode goes before ts, and conditions are boolean';

-- integer time columns (issue 18): sequence, sequence_next_node, attribution_agg, lift_agg

-- sequence_match, sequence_count, sequence_match_events over integer times
-- (issue 18): ts bigint (epoch seconds, milliseconds, ClickHouse's UInt
-- times; integer columns resolve here by the implicit int4 -> int8 cast).
-- The same transition, which reads the argument type; (?t op S) compares
-- raw differences, and the matched times come back as bigint[].

CREATE FUNCTION sequence_transition(internal, text, bigint, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'sequence_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION sequence_match_events_bigint_final(internal)
RETURNS bigint[]
AS 'MODULE_PATHNAME', 'sequence_match_events_bigint_final'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_match(pattern text, ts bigint, VARIADIC conds boolean[]) (
    SFUNC = sequence_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = sequence_match_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = sequence_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE sequence_count(pattern text, ts bigint, VARIADIC conds boolean[]) (
    SFUNC = sequence_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = sequence_count_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = sequence_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE sequence_match_events(pattern text, ts bigint, VARIADIC conds boolean[]) (
    SFUNC = sequence_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = sequence_match_events_bigint_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = sequence_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_match(text, bigint, boolean[]) IS
'whether the events match a ClickHouse sequence pattern, over integer times: (?t<=N) compares raw differences';
COMMENT ON AGGREGATE sequence_count(text, bigint, boolean[]) IS
'non-overlapping matches of a ClickHouse sequence pattern, over integer times: (?t<=N) compares raw differences';
COMMENT ON AGGREGATE sequence_match_events(text, bigint, boolean[]) IS
'the integer times of the events matched by each (?N) item of a ClickHouse sequence pattern, of the first match or else of the longest partial chain';

-- sequence_next_node over integer times (issue 18): only the order of the
-- times matters, so the same transition serves.

CREATE FUNCTION sequence_next_node_transition(internal, text, text, bigint, text, boolean, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'sequence_next_node_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE sequence_next_node(direction text, base text, ts bigint, value text,
    base_cond boolean, VARIADIC conds boolean[]) (
    SFUNC = sequence_next_node_transition,
    STYPE = internal,
    SSPACE = 512,
    FINALFUNC = sequence_next_node_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = sequence_next_node_combine,
    SERIALFUNC = sequence_next_node_serialize,
    DESERIALFUNC = sequence_next_node_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE sequence_next_node(text, text, bigint, text, boolean, boolean[]) IS
'the value of the event right after (or before) a chain of events matching the conditions (ClickHouse sequenceNextNode), over integer times';

-- attribution_agg over integer times (issue 18): ts and lookback bigint in
-- the time column's units (a time_decay half_life=N too); the value
-- records it and prints its lookback as a JSON number.

CREATE FUNCTION attribution_agg_transition(internal, bigint, text, bigint, text, boolean)
RETURNS internal
AS 'MODULE_PATHNAME', 'attribution_agg_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION attribution_agg_transition(internal, bigint, text, bigint, text, boolean, float8)
RETURNS internal
AS 'MODULE_PATHNAME', 'attribution_agg_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE attribution_agg(lookback bigint, model text, ts bigint, touch text, is_conversion boolean) (
    SFUNC = attribution_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = attribution_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = attribution_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE attribution_agg(lookback bigint, model text, ts bigint, touch text, is_conversion boolean, value float8) (
    SFUNC = attribution_agg_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = attribution_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = event_buffer_combine,
    SERIALFUNC = event_buffer_serialize,
    DESERIALFUNC = attribution_agg_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE attribution_agg(bigint, text, bigint, text, boolean) IS
'one entity''s conversions credited to the touches before them, in an attribution model, over integer times (lookback in the same units)';
COMMENT ON AGGREGATE attribution_agg(bigint, text, bigint, text, boolean, float8) IS
'one entity''s conversions and their value credited to the touches before them, in an attribution model, over integer times (lookback in the same units)';

-- lift_agg over integer times (issue 18): ts, landmark and follow_up
-- bigint in the time column's units; the value records it and prints them
-- as JSON numbers.

CREATE FUNCTION lift_agg_landmark_transition(state internal, landmark bigint, ts bigint,
    micro text, is_conversion boolean)
RETURNS internal
AS 'MODULE_PATHNAME', 'lift_agg_landmark_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION lift_agg_landmark_transition(state internal, landmark bigint, ts bigint,
    micro text, is_conversion boolean, follow_up bigint)
RETURNS internal
AS 'MODULE_PATHNAME', 'lift_agg_landmark_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE lift_agg(landmark bigint, ts bigint, micro text, is_conversion boolean) (
    SFUNC = lift_agg_landmark_transition,
    STYPE = internal,
    SSPACE = 128,
    FINALFUNC = lift_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = lift_agg_combine,
    SERIALFUNC = lift_agg_serialize,
    DESERIALFUNC = lift_agg_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE lift_agg(landmark bigint, ts bigint, micro text, is_conversion boolean,
                          follow_up bigint) (
    SFUNC = lift_agg_landmark_transition,
    STYPE = internal,
    SSPACE = 128,
    FINALFUNC = lift_agg_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = lift_agg_combine,
    SERIALFUNC = lift_agg_serialize,
    DESERIALFUNC = lift_agg_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE lift_agg(bigint, bigint, text, boolean) IS
'one entity, landmark design over integer times (landmark in the same units): the micro-conversions it did from its first row to the landmark, and whether it converted after the landmark (or before it)';
COMMENT ON AGGREGATE lift_agg(bigint, bigint, text, boolean, bigint) IS
'one entity, landmark design over integer times (landmark and follow-up in the same units): the micro-conversions it did from its first row to the landmark, and whether it converted within the follow-up after the landmark (or before it)';
