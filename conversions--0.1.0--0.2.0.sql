-- conversions 0.1.0 -> 0.2.0: upgrade script
\echo Use "ALTER EXTENSION conversions UPDATE TO '0.2.0'" to load this file. \quit

-- Every change to the SQL surface or to a stored format after the 0.1.0
-- release goes here, and into conversions--0.2.0.sql, so that
-- ALTER EXTENSION conversions UPDATE leaves a database exactly as a fresh
-- 0.2.0 install (test/upgrade/upgrade.sh checks it with stored values).

-- Accessors by step name: reached(f, 'purchase'),
-- conversion_rate(f, 'view', 'purchase'), time_to_convert(f, 'view', 'cart', 0.5).
CREATE FUNCTION reached(funnel, label text) RETURNS bigint
AS 'MODULE_PATHNAME', 'funnel_reached_by_label'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION reached(funnel, text) IS 'entities that reached the step with this name';

CREATE FUNCTION conversion_rate(funnel, from_label text, to_label text) RETURNS float8
AS 'MODULE_PATHNAME', 'funnel_conversion_rate_by_label'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION conversion_rate(funnel, text, text) IS
'share of the entities that reached the step from_label and went on to reach to_label';

CREATE FUNCTION time_to_convert(funnel, from_label text, to_label text, quantile float8)
RETURNS interval
AS 'MODULE_PATHNAME', 'funnel_time_to_convert_by_label'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

COMMENT ON FUNCTION time_to_convert(funnel, text, text, float8) IS
'quantile of the time between the steps from_label and to_label, within 1%';

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
