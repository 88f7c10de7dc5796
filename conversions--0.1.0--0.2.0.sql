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
