-- conversions 0.1.0: install script
\echo Use "CREATE EXTENSION conversions" to load this file. \quit

-- window_funnel: ClickHouse-compatible per-entity funnel level ------------
--
-- SSPACE is the planner's estimate of one group's state: a 128-byte chunk
-- (header and five inline events) plus room for a few more events.  Without
-- it the planner assumes 8 kB for an internal state, and hash aggregation
-- over many users spills to disk long before memory is short.

CREATE FUNCTION window_funnel_transition(internal, interval, timestamptz, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION window_funnel_transition(internal, interval, timestamp, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION window_funnel_transition(internal, interval, text, timestamptz, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION window_funnel_transition(internal, interval, text, timestamp, boolean[])
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_transition'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION window_funnel_final(internal)
RETURNS integer
AS 'MODULE_PATHNAME', 'window_funnel_final'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION window_funnel_combine(internal, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_combine'
LANGUAGE C CALLED ON NULL INPUT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION window_funnel_serialize(internal)
RETURNS bytea
AS 'MODULE_PATHNAME', 'window_funnel_serialize'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE FUNCTION window_funnel_deserialize(bytea, internal)
RETURNS internal
AS 'MODULE_PATHNAME', 'window_funnel_deserialize'
LANGUAGE C STRICT IMMUTABLE PARALLEL SAFE;

CREATE AGGREGATE window_funnel(interval, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = window_funnel_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize,
    DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE window_funnel(interval, timestamp, VARIADIC boolean[]) (
    SFUNC = window_funnel_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = window_funnel_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize,
    DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE window_funnel(interval, text, timestamptz, VARIADIC boolean[]) (
    SFUNC = window_funnel_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = window_funnel_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize,
    DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);

CREATE AGGREGATE window_funnel(interval, text, timestamp, VARIADIC boolean[]) (
    SFUNC = window_funnel_transition,
    STYPE = internal,
    SSPACE = 256,
    FINALFUNC = window_funnel_final,
    FINALFUNC_MODIFY = READ_ONLY,
    COMBINEFUNC = window_funnel_combine,
    SERIALFUNC = window_funnel_serialize,
    DESERIALFUNC = window_funnel_deserialize,
    PARALLEL = SAFE
);

COMMENT ON AGGREGATE window_funnel(interval, timestamptz, boolean[]) IS
'longest chain of steps reached within the window (ClickHouse windowFunnel)';
COMMENT ON AGGREGATE window_funnel(interval, text, timestamptz, boolean[]) IS
'longest chain of steps reached within the window, with ClickHouse windowFunnel modes';
COMMENT ON AGGREGATE window_funnel(interval, timestamp, boolean[]) IS
'longest chain of steps reached within the window (ClickHouse windowFunnel)';
COMMENT ON AGGREGATE window_funnel(interval, text, timestamp, boolean[]) IS
'longest chain of steps reached within the window, with ClickHouse windowFunnel modes';
