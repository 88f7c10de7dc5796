-- The extremes that text input allows, one value a row (issue 16, "make the
-- class impossible"): dump_restore.sh checks that each reads back after
-- pg_dump and restore with the same text and the same binary (send) output.
-- Labels and breakdown values are multibyte UTF-8 of exactly the maximum
-- byte length (src/common/limits.h); counts are 9223372036854775807.
CREATE TABLE extremes (name text PRIMARY KEY, f funnel, a attribution, l lift);

-- 1024 bytes: 256 four-byte, 512 two-byte, and 2 + 1022 bytes with a number.
CREATE FUNCTION pg_temp.label(i int) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE i WHEN 1 THEN repeat(U&'\+01D11E', 256) WHEN 2 THEN repeat('é', 512)
                    ELSE lpad(i::text, 2, '0') || repeat('é', 511) END $$;
DO $$
BEGIN
    ASSERT current_setting('server_encoding') = 'UTF8';
    -- the labels are exactly as long as their limits allow, in bytes
    ASSERT (SELECT bool_and(octet_length(pg_temp.label(i)) = 1024) FROM generate_series(1, 32) i);
    ASSERT octet_length(repeat(U&'\+01F600', 2048)) = 8192;
    ASSERT octet_length('a' || repeat('é', 4095) || 'a') = 8192;
    ASSERT octet_length('b' || repeat(U&'\+01D11E', 2047) || 'bbb') = 8192;
    ASSERT octet_length('a' || repeat('€', 2730) || 'a') = 8192;
END $$;
-- 9223372036854775807 microseconds, the largest window.
\set max '9223372036854775807'
\set maxwin '2562047788:00:54.775807'

-- One-entity funnels: entry at the infinities and at the first and last valid
-- microsecond, of timestamptz and of timestamp, with a step time of the
-- largest window, step labels of 1024 bytes and a breakdown of 8192 bytes.
INSERT INTO extremes (name, f)
SELECT format('funnel entry %s %s', t, e),
       format('{"version": 1, "steps": 2, "window": "%s", "modes": "", "labels": %s, "entities": 1, '
              '"step_reached": 2, "time_from_first_us": [%s], "entry": "%s", "entry_type": "%s", "breakdown": %s}',
              :'maxwin', to_json(ARRAY[pg_temp.label(1), pg_temp.label(2)]), :'max', e, t,
              to_json(repeat(U&'\+01F600', 2048)))::funnel
FROM unnest(ARRAY['timestamptz', 'timestamp']) t,
     unnest(ARRAY['infinity', '-infinity', '4714-11-24 00:00:00 BC', '294276-12-31 23:59:59.999999']) e;
-- The largest counts, with every time at the largest window: sums of
-- count x max; 32 steps of 1024-byte labels.
INSERT INTO extremes (name, f)
SELECT 'funnel counts at the maximum',
       format('{"version": 1, "steps": 32, "window": "%s", "modes": "", "labels": %s, "entities": %s, '
              '"reached": [%s], "from_previous": [%s], "from_first": [%s]}',
              :'maxwin', to_json(ARRAY(SELECT pg_temp.label(i) FROM generate_series(1, 32) i)), :'max',
              array_to_string(array_fill(:'max'::text, ARRAY[32]), ', '),
              array_to_string(array_fill(s, ARRAY[31]), ', '), array_to_string(array_fill(s, ARRAY[31]), ', '))::funnel
FROM (SELECT format('{"count": %s, "zeros": 0, "min_us": %s, "max_us": %s, "sum_us": %s, "buckets": {"2184": %s}}',
                    :'max', :'max', :'max', :max::numeric * :max::numeric, :'max') AS s) x;
-- A sketch with every bucket (0 .. 2184) and a sum one above count x max - max.
INSERT INTO extremes (name, f)
SELECT 'funnel sketch with every bucket',
       format('{"version": 1, "steps": 2, "window": "%s", "modes": "", "labels": null, "entities": %s, '
              '"reached": [2186, 2186], "from_previous": [%s], "from_first": [%s]}',
              :'maxwin', :'max', s, s)::funnel
FROM (SELECT format('{"count": 2186, "zeros": 1, "min_us": 0, "max_us": %s, "sum_us": %s, "buckets": {%s}}',
                    :'max', 2184 * :max::numeric + 1,
                    string_agg(format('"%s": 1', i), ', ' ORDER BY i)) AS s
      FROM generate_series(0, 2184) i) x;

-- Attribution: the largest counts, credit and value, labels of 8192 bytes.
INSERT INTO extremes (name, a)
SELECT 'attribution at the maximum',
       format('{"version": 1, "model": "linear, max_touches=10000", "lookback": "%s", "entities": %s, '
              '"conversions": %s, "attributed": %s, "unattributed_value_micros": %s, "touches": ['
              '{"touch": %s, "credit": %s, "value_micros": %s, "touches": %s}, '
              '{"touch": %s, "credit": 1, "value_micros": 0, "touches": %s}]}',
              :'maxwin', :'max', :'max', :max - 1, 1000000000000000000::numeric,
              to_json('a' || repeat('é', 4095) || 'a'), (:max - 1) * 1000000000000::numeric - 1,
              (:max - 1) * 1000000000000000000::numeric, :'max',
              to_json('b' || repeat(U&'\+01D11E', 2047) || 'bbb'), :'max')::attribution;

-- Lift, versions 1 and 2: the largest counts, labels of 8192 bytes, the
-- largest landmark and follow-up (one microsecond under the maximum).
INSERT INTO extremes (name, l)
SELECT 'lift version 1 at the maximum',
       format('{"version": 1, "entities": %s, "converted": %s, "micro": [%s]}', :'max', :'max', m)::lift
FROM (SELECT string_agg(format('{"label": %s, "entities": %s, "converted": %s}', to_json(lbl), :'max', :'max'),
                        ', ' ORDER BY lbl COLLATE "C") AS m
      FROM unnest(ARRAY['a' || repeat('€', 2730) || 'a', 'b' || repeat(U&'\+01D11E', 2047) || 'bbb']) lbl) x;
INSERT INTO extremes (name, l)
SELECT 'lift version 2 at the maximum, follow-up ' || fu,
       format('{"version": 2, "landmark": "2562047788:00:54.775806", "follow_up": %s, "entities": %s, '
              '"converted": %s, "converted_before_landmark": %s, "micro": [%s]}', fu, :'max', :'max', :'max', m)::lift
FROM unnest(ARRAY['"2562047788:00:54.775806"', 'null']) fu,
     (SELECT string_agg(format('{"label": %s, "entities": %s, "converted": %s}', to_json(lbl), :'max', :'max'),
                        ', ' ORDER BY lbl COLLATE "C") AS m
      FROM unnest(ARRAY['a' || repeat('€', 2730) || 'a', 'b' || repeat(U&'\+01D11E', 2047) || 'bbb']) lbl) x;
