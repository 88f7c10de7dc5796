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
