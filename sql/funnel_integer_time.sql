-- funnel_agg over integer time columns (issue 18): ts bigint (or integer,
-- by the implicit int4 -> int8 cast), the window and within= in the
-- column's own units, and the funnel value that records it.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET TimeZone = 'UTC';

-- ts in seconds, as bigint and integer columns
CREATE TEMP TABLE fi (uid int, ts bigint, ts_i int, event text, product text, channel text);
INSERT INTO fi VALUES
  (1, 100, 100, 'view', 'p1', 'ads'), (1, 160, 160, 'cart', 'p1', 'mail'), (1, 500, 500, 'buy', 'p1', 'seo'),
  (2, 100, 100, 'view', 'p1', 'ads'), (2, 130, 130, 'cart', 'p2', 'ads'), (2, 140, 140, 'buy', 'p2', 'ads'),
  (3, 100, 100, 'cart', 'p1', 'seo'), (3, 200, 200, 'view', 'p1', 'seo'),
  (4, 1000, 1000, 'view', 'p3', 'mail'), (4, 1010, 1010, 'view', 'p3', 'ads'), (4, 1020, 1020, 'cart', 'p3', 'ads'),
  (4, 1400, 1400, 'buy', 'p3', 'ads');

-- the value: "window" is a JSON number, the entry a number of type bigint,
-- the times from step 1 in the column's units
SELECT uid, funnel_agg(400, ts, event = 'view', event = 'cart', event = 'buy')::text
FROM fi GROUP BY uid ORDER BY uid;

-- the same as the timestamptz form on ts = epoch seconds: step reached, and
-- times from step 1 (seconds here, microseconds there)
CREATE TEMP TABLE fi_both AS
SELECT uid,
       funnel_agg(400, ts_i, event = 'view', event = 'cart', event = 'buy') AS fint,
       funnel_agg(interval '400 s', to_timestamp(ts), event = 'view', event = 'cart', event = 'buy') AS fts
FROM fi GROUP BY uid;
SELECT uid, max_step(fint) AS int_step, max_step(fts) AS ts_step,
       fint::text::jsonb -> 'time_from_first_us' AS int_times,
       fts::text::jsonb -> 'time_from_first_us' AS ts_times,
       (fint::text::jsonb ->> 'entry')::bigint = extract(epoch FROM entry_time(fts)) AS same_entry
FROM fi_both ORDER BY uid;

-- named steps, modes and options; within= and entry_from=/entry_before= in
-- the column's units
SELECT uid,
       max_step(funnel_agg(400, ts, event, ARRAY['view', 'cart', 'buy'])) AS named,
       max_step(funnel_agg(400, 'strict_deduplication', ts, event, ARRAY['view', 'cart', 'buy'])) AS dedup,
       max_step(funnel_agg(400, 'within=3:350', ts, event, ARRAY['view', 'cart', 'buy'])) AS within_350,
       max_step(funnel_agg(400, 'entry_from=150', ts, event, ARRAY['view', 'cart', 'buy'])) AS entry_from_150,
       max_step(funnel_agg(400, 'entry_before=1005', ts, event, ARRAY['view', 'cart', 'buy'])) AS entry_before_1005
FROM fi GROUP BY uid ORDER BY uid;
SELECT funnel_agg(400, 'within=3:350, entry_from=150', ts, event, ARRAY['view', 'cart', 'buy'])::text
FROM fi WHERE uid = 4;
-- the timestamptz twin of the same options gives the same steps
SELECT uid,
       max_step(funnel_agg(interval '400 s', 'within=3:350 seconds', to_timestamp(ts), event, ARRAY['view', 'cart', 'buy'])) AS within_350,
       max_step(funnel_agg(interval '400 s', 'entry_before=1970-01-01 00:16:45+00', to_timestamp(ts), event, ARRAY['view', 'cart', 'buy'])) AS entry_before_1005
FROM fi GROUP BY uid ORDER BY uid;

-- hold and breakdown: user 2 changes product after view, so holding it
-- stops at step 1; breakdowns as for timestamps
SELECT uid,
       max_step(funnel_agg(400, 'hold', ts, event, ARRAY['view', 'cart', 'buy'], hold_by(product), NULL)) AS held,
       breakdown(funnel_agg(400, 'breakdown=last_touch', ts, event, ARRAY['view', 'cart', 'buy'], NULL, breakdown_by(channel))) AS last_touch,
       breakdown(funnel_agg(400, '', ts, hold_by(NULL), breakdown_by(channel), event = 'view', event = 'cart')) AS first_touch
FROM fi GROUP BY uid ORDER BY uid;

-- reports on a rollup: the counting reports as for timestamps, funnel_steps
-- with its interval columns NULL
CREATE TEMP TABLE fi_roll AS
SELECT rollup(f) AS f FROM (SELECT funnel_agg(400, ts, event, ARRAY['view', 'cart', 'buy']) AS f FROM fi GROUP BY uid) s;
SELECT * FROM funnel_steps((SELECT f FROM fi_roll));
SELECT entities(f), reached(f, 3), reached(f, 'cart'), conversion_rate(f, 1, 3),
       round(conversion_rate(f, 'view', 'buy')::numeric, 4) AS by_label
FROM fi_roll;
SELECT step, entered, round(from_first_low::numeric, 4) AS low FROM funnel_rates((SELECT f FROM fi_roll));
SELECT rate_a, rate_b, difference FROM funnel_compare((SELECT f FROM fi_roll), (SELECT f FROM fi_roll), 1, 3);
SELECT (f::text::jsonb) -> 'window' AS "window", (f::text::jsonb) -> 'from_first' -> 1 ->> 'sum_us' AS sum_from_first
FROM fi_roll;
-- best_chain and rollup(f, person) of integer-time values
SELECT max_step(best_chain(f)) AS best, (best_chain(f)::text::jsonb) ->> 'entry' AS entry
FROM (SELECT funnel_agg(400, ts, event, ARRAY['view', 'cart', 'buy']) AS f FROM fi WHERE uid = 4 GROUP BY ts < 1015) s;
SELECT people_reached(f, 1), people_reached(f, 3), funnel_people_steps(f)
FROM (SELECT rollup(f, uid) AS f
      FROM (SELECT uid, funnel_agg(400, ts, event, ARRAY['view', 'cart', 'buy']) AS f FROM fi GROUP BY uid) s) p;

-- text and binary round trips
SELECT f::text::funnel::text = f::text AS text_round_trip,
       funnel_send(f::text::funnel) = funnel_send(f) AS binary_same
FROM (SELECT funnel_agg(400, 'within=3:350', ts, event, ARRAY['view', 'cart', 'buy']) AS f FROM fi GROUP BY uid) s;
SELECT '{"version": 1, "steps": 2, "window": 60, "modes": "", "labels": null, "entities": 1, "step_reached": 2, "time_from_first_us": [30], "entry": -5, "entry_type": "bigint"}'::funnel;

-- the extremes: times one unit inside the bigint range; under a window of
-- the largest bigint (which spans every two times) a time from step 1 longer
-- than the largest bigint is recorded as the largest bigint
SELECT funnel_agg(9223372036854775807, t, ev = 1, ev = 2)::text AS saturated,
       funnel_agg(9223372036854775806, t, ev = 1, ev = 2)::text AS exact
FROM (VALUES (-9223372036854775807, 1), (9223372036854775806, 2)) AS v(t, ev);
SELECT f::text::funnel::text = f::text AS round_trip
FROM (SELECT funnel_agg(9223372036854775807, t, ev = 1, ev = 2) AS f
      FROM (VALUES (-9223372036854775807, 1), (9223372036854775806, 2)) AS v(t, ev)) s;

-- binary input: the integer-time flag travels with the value; an entry
-- marked both as a timestamp without time zone and as an integer time is refused
\i test/lib/try_recv.sql
SELECT state, txt FROM pg_temp.try_recv('funnel', (SELECT funnel_send(fint) FROM fi_both WHERE uid = 4));
SELECT state, txt FROM pg_temp.try_recv('funnel', (SELECT set_byte(b, 1, get_byte(b, 1) | 16)
                                                   FROM (SELECT funnel_send(fint) AS b FROM fi_both WHERE uid = 4) s));

-- overload resolution: existing calls resolve as before; an untyped window
-- follows the ts column
CREATE TEMP VIEW fi_calls AS
SELECT funnel_agg('1 day', to_timestamp(ts), event = 'view') AS a,
       funnel_agg('1 day', 'strict_order', to_timestamp(ts)::timestamp, event, ARRAY['view']) AS b,
       funnel_agg('600', ts_i, event, ARRAY['view']) AS c,
       funnel_agg(600, '', ts_i, hold_by(product), breakdown_by(channel), event = 'view') AS d
FROM fi;
-- (without the table's name, which PostgreSQL 16 and later leave out)
SELECT regexp_replace(pg_get_viewdef('fi_calls'::regclass), '\mfi\.', '', 'g') AS viewdef;

-- errors
-- pg_temp.err(stmt): the SQLSTATE, message, detail and hint of a statement's error
CREATE FUNCTION pg_temp.err(stmt text,
    OUT state text, OUT message text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    state := 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
END $$;
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
\pset footer off
\pset null ''
-- mixing integer and timestamp funnels
SELECT * FROM pg_temp.err($$SELECT rollup(f) FROM (SELECT fint AS f FROM fi_both UNION ALL SELECT fts FROM fi_both) s$$);
SELECT * FROM pg_temp.err($$SELECT best_chain(f) FROM (SELECT fint AS f FROM fi_both WHERE uid = 1 UNION ALL SELECT fts FROM fi_both WHERE uid = 1) s$$);
SELECT * FROM pg_temp.err($$SELECT rollup(f, uid) FROM (SELECT uid, fint AS f FROM fi_both UNION ALL SELECT uid + 10, fts FROM fi_both) s$$);
SELECT * FROM pg_temp.err($$SELECT * FROM funnel_compare((SELECT rollup(fint) FROM fi_both), (SELECT rollup(fts) FROM fi_both), 1, 2)$$);
-- reports whose result is an interval or a timestamp
SELECT * FROM pg_temp.err($$SELECT time_to_convert(f, 1, 3, 0.5) FROM fi_roll$$);
SELECT * FROM pg_temp.err($$SELECT time_to_convert(f, 'view', 'buy', 0.5) FROM fi_roll$$);
SELECT * FROM pg_temp.err($$SELECT time_to_convert_mean(f, 1, 3) FROM fi_roll$$);
SELECT * FROM pg_temp.err($$SELECT time_to_convert_mean(f, 'view', 'cart') FROM fi_roll$$);
SELECT * FROM pg_temp.err($$SELECT * FROM time_to_convert_histogram((SELECT f FROM fi_roll), 1, 3, ARRAY[interval '1 minute'])$$);
SELECT * FROM pg_temp.err($$SELECT entry_time(fint) FROM fi_both WHERE uid = 1$$);
-- options of the wrong kind of time
SELECT * FROM pg_temp.err($$SELECT funnel_agg(400, 'within=3:5 minutes', ts, event, ARRAY['view', 'cart', 'buy']) FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(interval '400 s', 'within=3:300', to_timestamp(ts), event, ARRAY['view', 'cart', 'buy']) FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(400, 'entry_from=2026-11-02 00:00+00', ts, event, ARRAY['view', 'cart', 'buy']) FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(interval '400 s', 'entry_from=1700000000', to_timestamp(ts), event, ARRAY['view', 'cart', 'buy']) FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(400, 'entry_from=99999999999999999999', ts, event, ARRAY['view', 'cart', 'buy']) FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(400, 'within=3:401', ts, event, ARRAY['view', 'cart', 'buy']) FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(400, 'within=3:-1', ts, event, ARRAY['view', 'cart', 'buy']) FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(400, 'entry_from=500, entry_before=400', ts, event, ARRAY['view', 'cart', 'buy']) FROM fi$$);
-- windows, times and misplaced arguments
SELECT * FROM pg_temp.err($$SELECT funnel_agg(-1, ts, event = 'view') FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(60, ts, 'strict_order', event = 'view', event = 'cart') FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(60, '', ts, 'p1', 'ads', event = 'view') FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(60, '', ts, event, ARRAY['view'], 'p1', 'ads') FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT funnel_agg(60, t, true) FROM (VALUES (9223372036854775807)) AS v(t)$$);
-- text input that does not agree with itself
SELECT * FROM pg_temp.err($$SELECT '{"version": 1, "steps": 2, "window": 60, "modes": "", "labels": null, "entities": 1, "step_reached": 2, "time_from_first_us": [30], "entry": "2026-01-05 10:00:00+00", "entry_type": "timestamptz"}'::funnel$$);
SELECT * FROM pg_temp.err($$SELECT '{"version": 1, "steps": 2, "window": "1 minute", "modes": "", "labels": null, "entities": 1, "step_reached": 2, "time_from_first_us": [30], "entry": 5, "entry_type": "bigint"}'::funnel$$);
SELECT * FROM pg_temp.err($$SELECT '{"version": 1, "steps": 2, "window": 60, "modes": "", "labels": null, "entities": 1, "step_reached": 2, "time_from_first_us": [30], "entry": 9223372036854775807, "entry_type": "bigint"}'::funnel$$);
SELECT * FROM pg_temp.err($$SELECT '{"version": 1, "steps": 2, "window": -1, "modes": "", "labels": null, "entities": 1, "step_reached": 1, "time_from_first_us": [], "entry": 5, "entry_type": "bigint"}'::funnel$$);
SELECT * FROM pg_temp.err($$SELECT '{"version": 1, "steps": 2, "window": 60, "modes": "", "labels": null, "entities": 1, "step_reached": 2, "time_from_first_us": [61], "entry": 5, "entry_type": "bigint"}'::funnel$$);
SELECT * FROM pg_temp.err($$SELECT '{"version": 1, "steps": 3, "window": 60, "modes": "", "labels": null, "options": "within=3:30 seconds", "entities": 1, "step_reached": 0, "time_from_first_us": []}'::funnel$$);
SELECT * FROM pg_temp.err($$SELECT '{"version": 1, "steps": 3, "window": "1 minute", "modes": "", "labels": null, "options": "within=3:30", "entities": 1, "step_reached": 0, "time_from_first_us": []}'::funnel$$);
-- an aggregate a superuser builds from funnel_agg's support functions with
-- the final of the other kind of time
CREATE AGGREGATE mix_int(bigint, bigint, VARIADIC boolean[]) (
    SFUNC = funnel_agg_transition, STYPE = internal, FINALFUNC = funnel_agg_final);
CREATE AGGREGATE mix_ts(interval, timestamptz, VARIADIC boolean[]) (
    SFUNC = funnel_agg_transition, STYPE = internal, FINALFUNC = funnel_agg_integer_final);
SELECT * FROM pg_temp.err($$SELECT mix_int(60, ts, event = 'view') FROM fi$$);
SELECT * FROM pg_temp.err($$SELECT mix_ts(interval '1 minute', to_timestamp(ts), event = 'view') FROM fi$$);
DROP AGGREGATE mix_int(bigint, bigint, VARIADIC boolean[]);
DROP AGGREGATE mix_ts(interval, timestamptz, VARIADIC boolean[]);
