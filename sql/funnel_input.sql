-- funnel input: binary input accepts exactly what text input accepts, and
-- rollup refuses totals that do not fit (issue 16, defects 2 to 5)
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET TimeZone = 'UTC';

\i test/lib/expect_error.sql
\i test/lib/bad_text.sql
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
\pset footer off

-- pg_temp.from_binary(b): load the funnel_send bytes b with binary COPY
-- and return the SQLSTATE and message ('no error' when it loads) and, for a
-- loaded value, what its text form does: 'same bytes' when the text is valid
-- in the database encoding and reads back to the same bytes
CREATE TEMP TABLE fi_binary (v funnel);
CREATE FUNCTION pg_temp.from_binary(b bytea, OUT state text, OUT message text,
    OUT text_form text)
LANGUAGE plpgsql AS $$
DECLARE
    path text := format('/tmp/conversions_funnel_input_%s.bin', pg_backend_pid());
    file bytea := '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
                  || '\x0001'::bytea || int4send(length(b)) || b || '\xffff'::bytea;
    t text;
BEGIN
    EXECUTE format('COPY (SELECT %L) TO PROGRAM %L',
                   translate(encode(file, 'base64'), E'\n', ''), 'base64 -d > ' || path);
    TRUNCATE fi_binary;
    SELECT e.state, e.message INTO state, message
    FROM pg_temp.expect_error(format('COPY fi_binary FROM %L WITH (FORMAT binary)', path)) e;
    IF state = 'no error' THEN
        BEGIN
            SELECT v::text INTO t FROM fi_binary;
            PERFORM convert_to(t, 'UTF8');
            SELECT CASE WHEN funnel_send(t::funnel) = funnel_send(v)
                        THEN 'same bytes' ELSE 'different bytes: ' || t END
            INTO text_form FROM fi_binary;
        EXCEPTION WHEN OTHERS THEN
            text_form := 'text form fails: ' || SQLSTATE || ' ' || SQLERRM;
        END;
    END IF;
END $$;

-- a one-entity value with an entry time and a breakdown value "abc", and
-- its binary form: header (20 bytes: no labels), level, one time, then
-- the entry time at bytes 33..40 and the breakdown (length, bytes) at 41..47
CREATE TEMP TABLE one AS
SELECT '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 2, "time_from_first_us": [60000000], "entry": "2026-01-05 10:00:00+00", "entry_type": "timestamptz", "breakdown": "abc"}'::funnel AS f;
SELECT encode(funnel_send(f), 'hex') FROM one;
SELECT * FROM pg_temp.from_binary((SELECT funnel_send(f) FROM one));

-- defect 2: the entry time, as text input reads it: the infinities and the
-- timestamp range [4714-11-24 00:00:00 BC, 294277-01-01 00:00:00) only
SELECT v.what, s.*
FROM (VALUES
  ('infinity', '\x7fffffffffffffff'),
  ('-infinity', '\x8000000000000000'),
  ('last valid microsecond', int8send(9223371331199999999)),
  ('first valid microsecond', int8send(-211813488000000000)),
  ('one past the last', int8send(9223371331200000000)),
  ('one before the first', int8send(-211813488000000001)),
  ('infinity - 1', '\x7ffffffffffffffe'),
  ('-infinity + 1', '\x8000000000000001')
) v(what, entry),
LATERAL pg_temp.from_binary((SELECT overlay(funnel_send(f) PLACING v.entry::bytea FROM 33 FOR 8) FROM one)) s;
-- the same for a timestamp (without time zone) entry
SELECT v.what, s.*
FROM (VALUES
  ('last valid microsecond', int8send(9223371331199999999)),
  ('one past the last', int8send(9223371331200000000))
) v(what, entry),
LATERAL pg_temp.from_binary((SELECT overlay(funnel_send(f) PLACING v.entry::bytea FROM 33 FOR 8)
                             FROM (SELECT replace(f::text, 'timestamptz', 'timestamp')::funnel AS f FROM one) o)) s;
-- the largest window (2^63 - 1 us) prints a text form that reads back
SELECT * FROM pg_temp.from_binary((SELECT overlay(funnel_send(f) PLACING '\x7fffffffffffffff'::bytea FROM 9 FOR 8) FROM one));
-- text input of the first and last valid entry times, and of one past the last
SELECT * FROM pg_temp.bad_text(replace((SELECT f::text FROM one), '2026-01-05 10:00:00+00', '294276-12-31 23:59:59.999999+00'));
SELECT * FROM pg_temp.bad_text(replace((SELECT f::text FROM one), '2026-01-05 10:00:00+00', '4714-11-24 00:00:00+00 BC'));
SELECT * FROM pg_temp.bad_text(replace((SELECT f::text FROM one), '2026-01-05 10:00:00+00', '294277-01-01 00:00:00+00'));

-- defect 3: the breakdown value's bytes must be text in the database
-- encoding, without NUL (a\0c used to load and print "a")
SELECT v.what, s.*
FROM (VALUES
  ('abc', '\x616263'),
  ('a, NUL, c', '\x610063'),
  ('NUL at the end', '\x616200'),
  ('a lone 0xff', '\x61ff63'),
  ('a cut UTF-8 sequence', '\x6162c3'),
  ('aé', '\x61c3a9')
) v(what, bytes),
LATERAL pg_temp.from_binary((SELECT overlay(funnel_send(f) PLACING v.bytes::bytea FROM 45 FOR 3) FROM one)) s;
-- step labels: a value with labels "ab" and "cd" (labels at bytes 21..26)
CREATE TEMP TABLE labelled AS
SELECT '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": ["ab", "cd"], "entities": 1, "step_reached": 1, "time_from_first_us": [], "entry": "2026-01-05 10:00:00+00", "entry_type": "timestamptz"}'::funnel AS f;
SELECT encode(funnel_send(f), 'hex') FROM labelled;
SELECT v.what, s.*
FROM (VALUES
  ('ab', '\x6162'),
  ('0xff b', '\xff62'),
  ('a, then the first byte of é', '\x61c3'),
  ('é', '\xc3a9')
) v(what, bytes),
LATERAL pg_temp.from_binary((SELECT overlay(funnel_send(f) PLACING v.bytes::bytea FROM 21 FOR 2) FROM labelled)) s;

-- defect 4: rollup refuses totals past 2^63 - 1 (22003), whichever order
-- the values come in and whether or not the state is updated in place
CREATE TEMP TABLE big (name text, f funnel);
INSERT INTO big VALUES
  ('max entities', '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 9223372036854775807, "reached": [0, 0], "from_previous": [{"count": 0, "zeros": 0, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}], "from_first": [{"count": 0, "zeros": 0, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}]}'),
  ('one entity', '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 0, "time_from_first_us": []}'),
  ('max attempts', '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "options": "count=attempts", "entities": 1, "reached": [9223372036854775807, 9223372036854775807], "from_previous": [{"count": 9223372036854775807, "zeros": 9223372036854775807, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}], "from_first": [{"count": 9223372036854775807, "zeros": 9223372036854775807, "min_us": 0, "max_us": 0, "sum_us": 0, "buckets": {}}]}');
-- pg_temp.merged(query): the entities and step counts of the funnel
-- `query` returns, or its error (SQLSTATE, message and hint)
CREATE FUNCTION pg_temp.merged(query text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    j jsonb;
    state text;
    message text;
    hint text;
BEGIN
    EXECUTE query INTO j;
    RETURN 'entities ' || (j ->> 'entities') || ', reached ' || (j ->> 'reached');
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
    RETURN state || ' | ' || message || ' | ' || hint;
END $$;
SELECT pg_temp.merged($$SELECT rollup(f ORDER BY name)::text::jsonb FROM big WHERE name IN ('max entities', 'one entity')$$);
SELECT pg_temp.merged($$SELECT rollup(f ORDER BY name DESC)::text::jsonb FROM big WHERE name IN ('max entities', 'one entity')$$);
SELECT pg_temp.merged($$SELECT rollup(f)::text::jsonb FROM big, generate_series(1, 2) WHERE name = 'max attempts'$$);
-- without overflow the same values merge: 2^63 - 2 entities and one more
SELECT entities(rollup(replace(f::text, '9223372036854775807', '9223372036854775806')::funnel))
FROM big WHERE name IN ('max entities', 'one entity');

-- defect 5: time statistics
-- a sum of 2^128 - 1 with count 1 (refused: the sum must lie in count * [min, max])
SELECT * FROM pg_temp.bad_text('{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 2, "reached": [1, 1], "from_previous": [{"count": 1, "zeros": 0, "min_us": 5, "max_us": 5, "sum_us": 340282366920938463463374607431768211455, "buckets": {"81": 1}}], "from_first": [{"count": 1, "zeros": 0, "min_us": 5, "max_us": 5, "sum_us": 340282366920938463463374607431768211455, "buckets": {"81": 1}}]}');
-- step 2's time from the previous step is its time from step 1: a valid
-- value, then each statistic of from_first changed alone
CREATE TEMP TABLE two AS
SELECT '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 3, "reached": [3, 2], "from_previous": [{"count": 2, "zeros": 0, "min_us": 5, "max_us": 7, "sum_us": 12, "buckets": {"81": 1, "98": 1}}], "from_first": [{"count": 2, "zeros": 0, "min_us": 5, "max_us": 7, "sum_us": 12, "buckets": {"81": 1, "98": 1}}]}'::text AS t;
SELECT t::funnel::text = t AS valid_and_canonical FROM two;
SELECT v.what, s.*
FROM (VALUES
  ('median 24 h from step 1', '"min_us": 5, "max_us": 86400000000, "sum_us": 86400000005, "buckets": {"81": 1, "1260": 1}}]}'),
  ('max', '"min_us": 5, "max_us": 6, "sum_us": 11, "buckets": {"81": 1, "90": 1}}]}'),
  ('sum', '"min_us": 5, "max_us": 7, "sum_us": 11, "buckets": {"81": 1, "98": 1}}]}'),
  ('buckets', '"min_us": 5, "max_us": 7, "sum_us": 12, "buckets": {"81": 1, "97": 1}}]}')
) v(what, edit),
LATERAL pg_temp.bad_text((SELECT left(t, strpos(t, '"from_first"') - 1)
                          || '"from_first": [{"count": 2, "zeros": 0, ' || v.edit FROM two)) s;
-- the same through binary input: from_first's sum (bytes 137..144 of the
-- send form) 11 instead of 12
SELECT encode(funnel_send(t::funnel), 'hex') FROM two;
SELECT * FROM pg_temp.from_binary((SELECT funnel_send(t::funnel) FROM two));
SELECT * FROM pg_temp.from_binary((SELECT overlay(funnel_send(t::funnel) PLACING int8send(11) FROM 137 FOR 8) FROM two));
-- sketch bucket keys: plain decimal only, so that no two keys name one bucket
SELECT v.key, s.*
FROM (VALUES ('81'), ('081'), ('+81'), (' 81'), ('81 '), ('8_1'), ('0x51'), ('-0'), ('')) v(key),
LATERAL pg_temp.bad_text(replace((SELECT t FROM two), '"81"', '"' || v.key || '"')) s;
-- bucket 0 (1 us) is written "0"
SELECT '{"version": 1, "steps": 2, "window": "1 day", "modes": "", "labels": null, "entities": 2, "reached": [2, 2], "from_previous": [{"count": 2, "zeros": 0, "min_us": 1, "max_us": 1, "sum_us": 2, "buckets": {"0": 2}}], "from_first": [{"count": 2, "zeros": 0, "min_us": 1, "max_us": 1, "sum_us": 2, "buckets": {"0": 2}}]}'::funnel;
-- two keys for one bucket (one used to overwrite the other)
SELECT * FROM pg_temp.bad_text(replace((SELECT t FROM two), '{"81": 1, "98": 1}}]}', '{"81": 1, "081": 1, "98": 1}}]}'));
