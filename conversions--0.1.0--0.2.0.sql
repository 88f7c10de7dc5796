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
