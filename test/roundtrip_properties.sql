-- pgTAP: the round-trip invariant of issue 16, for funnel, attribution and
-- lift (funnel_hold and funnel_breakdown are plain text).  Values generated
-- by the aggregates over generated data and extremes (±infinity entries,
-- the limits of timestamps, the largest counts, labels and values at their
-- maximum length in multibyte characters): text output read by text input
-- and binary output read by binary input give the same send bytes.  Then
-- random byte changes of their send output: every changed value that
-- receive accepts prints a text form that text input accepts and that reads
-- back to the same send bytes.  Binary input that accepts more than text
-- input is what lets a stored value break a pg_dump.
\ir lib/tap_begin.sql
\ir lib/try_recv.sql
\set users 200
\set seed 16
\ir data/clickstream.sql

SELECT plan(11);
SELECT setseed(0.16);

\ir lib/per_user_values.sql

-- the seeds: values of each type as text (extremes that text input must
-- accept are written as text and must be accepted)
CREATE TEMP TABLE seeds (type text, origin text, t text);
INSERT INTO seeds
SELECT 'funnel', 'per user', f::text FROM per_user WHERE user_id % 8 = 0
UNION ALL SELECT 'funnel', 'rollup', rollup(f)::text FROM per_user
UNION ALL SELECT 'funnel', 'people', rollup(f, user_id)::text FROM per_user
UNION ALL SELECT 'funnel', 'people of one', rollup(f, user_id)::text FROM per_user WHERE user_id = 8
UNION ALL SELECT 'funnel', 'people, extreme and bitmap ids',
       rollup(f, p)::text
       FROM (SELECT f FROM per_user WHERE user_id = 8) one,
            (SELECT -9223372036854775808 UNION ALL SELECT 9223372036854775807
             UNION ALL SELECT generate_series(65000, 70000)) ids(p)
UNION ALL SELECT 'attribution', 'per user', a::text FROM per_user WHERE user_id % 8 = 0
UNION ALL SELECT 'attribution', 'rollup', rollup(a)::text FROM per_user
UNION ALL SELECT 'lift', 'per user', l::text FROM per_user WHERE user_id % 8 = 0
UNION ALL SELECT 'lift', 'rollup', rollup(l)::text FROM per_user;
INSERT INTO seeds
SELECT 'funnel', 'extreme entry ' || ts::text,
       funnel_agg('1 day', ts, e = 'a', e = 'b')::text
FROM (VALUES ('infinity'::timestamptz, 'a'), ('infinity', 'b'), ('-infinity', 'a'),
             ('-infinity', 'b'), ('294276-12-31 23:59:59.999999+00', 'a'),
             ('4713-11-24 00:00:00+00 BC', 'a'), ('4713-11-24 00:00:00+00 BC', 'b')) v(ts, e)
GROUP BY ts
UNION ALL
SELECT 'funnel', 'extreme entry timestamp ' || ts::text,
       funnel_agg('1 day', ts, e = 'a', e = 'b')::text
FROM (VALUES ('infinity'::timestamp, 'a'), ('-infinity', 'a'), ('-infinity', 'b'),
             ('294276-12-31 23:59:59.999999', 'a'), ('4713-11-24 00:00:00 BC', 'a')) v(ts, e)
GROUP BY ts
UNION ALL
SELECT 'funnel', 'longest multibyte labels, hold and breakdown',
       funnel_agg('1 day', '', ts, e, ARRAY[repeat('é', 512), repeat('日', 341) || 'x'],
                  hold_by(repeat('日', 2730)), breakdown_by(repeat('é', 4096)))::text
FROM (VALUES ('2026-01-01'::timestamptz, repeat('é', 512)),
             ('2026-01-01 00:00:01', repeat('日', 341) || 'x')) v(ts, e)
UNION ALL
SELECT 'attribution', 'longest multibyte touch, infinity',
       attribution_agg('7 days', 'linear', ts, ch, conv, val)::text
FROM (VALUES ('2026-01-01'::timestamptz, repeat('日', 2730) || 'xx', false, 0::float8),
             ('2026-01-02', repeat('é', 4096), false, 0), ('2026-01-03', NULL, true, 1e12),
             ('infinity', 'y', false, 0), ('infinity', NULL, true, 1)) v(ts, ch, conv, val)
UNION ALL
SELECT 'lift', 'longest multibyte landmark, infinities',
       lift_agg('1 day', ts, lm, conv)::text
FROM (VALUES ('-infinity'::timestamptz, repeat('日', 2730) || 'xx', false),
             ('2026-01-01', repeat('é', 4096), false), ('2026-01-01 02:00', NULL, true),
             ('infinity', NULL, true)) v(ts, lm, conv);
-- the largest counts: a rollup's entity count set to the int8 maximum
INSERT INTO seeds
SELECT type, 'largest count', regexp_replace(t, '"entities": [0-9]+', '"entities": 9223372036854775807')
FROM seeds WHERE origin = 'rollup';
INSERT INTO seeds
SELECT 'funnel', 'largest reached',
       regexp_replace(t, '"entities": [0-9]+, "reached": \[[0-9]+',
                      '"entities": 9223372036854775807, "reached": [9223372036854775807')
FROM seeds WHERE type = 'funnel' AND origin = 'rollup';

SELECT is((SELECT count(*) FROM seeds WHERE pg_temp.try_in(type, t) IS NULL), 0::bigint,
          'text input accepts every seed, extremes included');
SELECT is((SELECT count(*) FROM seeds WHERE origin <> 'per user'), 21::bigint,
          'seeds: 3 rollups, 3 funnels with people, 8 extreme entries (4 timestamptz, 4 timestamp), 3 longest labels, 4 largest counts');

-- every seed: text -> value -> send -> receive gives the same bytes and text,
-- and text -> value -> text -> value gives the same bytes
CREATE TEMP TABLE seed_trip AS
SELECT s.type, s.origin, b.sent, r.state, r.sent AS resent, r.txt AS retext
FROM seeds s
CROSS JOIN LATERAL (SELECT pg_temp.try_in(s.type, s.t) AS sent) b
CROSS JOIN LATERAL pg_temp.try_recv(s.type, b.sent) r;
SELECT is((SELECT count(*) FROM seed_trip WHERE state <> 'accepted'), 0::bigint,
          'binary input accepts the binary output of every seed');
SELECT is((SELECT count(*) FROM seed_trip WHERE resent IS DISTINCT FROM sent), 0::bigint,
          'binary output of every seed reads back to the same bytes');
SELECT is((SELECT count(*) FROM seed_trip
           WHERE pg_temp.try_in(type, retext) IS DISTINCT FROM sent), 0::bigint,
          'the text of every received seed reads back through text input to the same bytes');

-- mutations: 1 to 3 random bytes of a seed's send output changed, or the
-- value cut short, then read by receive; an accepted value's text must be
-- accepted by text input and read back to the same send bytes
CREATE TEMP TABLE mutation (type text, state text, sent bytea, txt text, reread bytea);
DO $$
DECLARE
    s record;
    b bytea;
    r record;
BEGIN
    FOR i IN 1..900 LOOP
        SELECT * INTO s FROM seed_trip WHERE type = (ARRAY['funnel', 'attribution', 'lift'])[1 + i % 3]
        ORDER BY random() LIMIT 1;
        b := s.sent;
        IF random() < 0.1 THEN
            b := substr(b, 1, (random() * (length(b) - 1))::int);
        ELSE
            FOR k IN 1..(1 + (random() * 2)::int) LOOP
                b := set_byte(b, (random() * (length(b) - 1))::int, (random() * 255)::int);
            END LOOP;
        END IF;
        r := pg_temp.try_recv(s.type, b);
        INSERT INTO mutation VALUES (s.type, r.state, r.sent, r.txt,
                                     CASE WHEN r.state = 'accepted' THEN pg_temp.try_in(s.type, r.txt) END);
    END LOOP;
END $$;

-- targeted changes: the entry time of a one-entity funnel (bytes 25 to 32
-- of its send output) set to the edges of the timestamp range and just
-- beyond them, and to the values next to ±infinity (issue 16, defect 2)
INSERT INTO mutation
SELECT 'funnel', r.state, r.sent, r.txt,
       CASE WHEN r.state = 'accepted' THEN pg_temp.try_in('funnel', r.txt) END
FROM (SELECT funnel_send(funnel_agg('1 day', ts, true, false)) AS b
      FROM (VALUES ('2026-01-01 00:00+00'::timestamptz)) v(ts)) f,
     (SELECT (extract(epoch FROM ts - '2000-01-01 00:00+00'::timestamptz) * 1000000)::bigint + d AS us
      FROM (VALUES ('294276-12-31 23:59:59.999999+00'::timestamptz), ('4713-11-24 00:00:00+00 BC')) e(ts),
           (VALUES (-1), (0), (1)) d(d)
      UNION ALL SELECT x::bit(64)::bigint
      FROM (VALUES (x'7ffffffffffffffe'), (x'7fffffffffffffff'), (x'8000000000000000'), (x'8000000000000001')) h(x)) e,
     LATERAL pg_temp.try_recv('funnel', overlay(f.b PLACING int8send(e.us) FROM 25 FOR 8)) r
WHERE position(int8send((extract(epoch FROM '2026-01-01 00:00+00'::timestamptz
                                 - '2000-01-01 00:00+00'::timestamptz) * 1000000)::bigint) IN f.b) = 25;

SELECT is((SELECT count(*) FROM mutation WHERE state = 'accepted' AND reread IS NULL), 0::bigint,
          'text input accepts the text of every mutated value that binary input accepts');
SELECT is((SELECT count(*) FROM mutation WHERE state = 'accepted' AND reread IS DISTINCT FROM sent), 0::bigint,
          'the text of every accepted mutated value reads back to the same bytes');
SELECT is((SELECT count(*) FROM mutation WHERE state <> 'accepted' AND left(state, 2) NOT IN ('22', '54')), 0::bigint,
          'every refused mutation is a data or limit error');
SELECT ok((SELECT bool_and(n_accepted > 5 AND n_refused > 50)
           FROM (SELECT type, count(*) FILTER (WHERE state = 'accepted') AS n_accepted,
                        count(*) FILTER (WHERE state <> 'accepted') AS n_refused
                 FROM mutation GROUP BY type) c),
          'mutations of each type are both accepted and refused, so the checks are not vacuous');
SELECT is((SELECT count(DISTINCT type) FROM mutation), 3::bigint, 'mutations of all three types');
SELECT is((SELECT count(*) FROM mutation), 910::bigint, 'every mutation ran to an outcome: 900 random, 10 targeted');
SELECT diag(format('%s: %s mutations tried, %s accepted by binary input',
                   type, count(*), count(*) FILTER (WHERE state = 'accepted')))
FROM mutation GROUP BY type ORDER BY type;

SELECT * FROM finish();
ROLLBACK;
