-- sequence_match and sequence_count: ClickHouse's patterns
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;

-- ClickHouse 00222_sequence_aggregate_function_family: 12 events
CREATE TEMP TABLE sequence_test (time int, data int);
INSERT INTO sequence_test VALUES (0,0),(1,0),(2,0),(3,0),(4,1),(5,2),(6,0),(7,0),(8,0),(9,0),(10,1),(11,1);
SELECT p AS pattern,
       (SELECT sequence_match(p, to_timestamp(time), data = 0, data = 1, data = 2, data = 3) FROM sequence_test) AS match,
       (SELECT sequence_count(p, to_timestamp(time), data = 0, data = 1, data = 2, data = 3) FROM sequence_test) AS count
FROM unnest(ARRAY['.', '.*', '(?1)', '(?2)', '(?3)', '(?4)', '(?1)(?1)', '(?1)(?1)(?1)',
                  '(?1)(?1)(?1)(?1)', '(?1)(?1)(?1)(?1)(?1)', '(?1)(?1)(?1)(?1)(?2)',
                  '(?1)(?t>10)(?2)', '(?1)(?t>11)(?2)', '(?1)(?t<11)(?2)', '(?1)(?t<3)(?3)',
                  '(?1)(?t<=2)(?3)', '(?1)(?t<2)(?3)', '(?2)(?t>=7)(?2)', '(?2)(?t>7)(?2)',
                  '(?2)(?3)(?1)', '(?1)(?t==1)(?1)', '(?1)(?t==2)(?2)']) AS p;

-- ClickHouse's documentation examples (parametric functions)
CREATE TEMP TABLE t (time int, number int);
INSERT INTO t VALUES (1, 1), (2, 3), (3, 2);
SELECT sequence_match('(?1)(?2)', to_timestamp(time), number = 1, number = 2) AS m12,
       sequence_match('(?1)(?2)', to_timestamp(time), number = 1, number = 2, number = 3) AS m12_3,
       sequence_match('(?1)(?2)', to_timestamp(time), number = 1, number = 2, number = 4) AS m12_4
FROM t;
INSERT INTO t VALUES (4, 1), (5, 3), (6, 2);
SELECT sequence_count('(?1).*(?2)', to_timestamp(time), number = 1, number = 2) AS count_docs FROM t;

-- ClickHouse 26.7 reference vectors: 15 patterns x 100 event sets
CREATE TEMP TABLE seq_events (case_id int, ts bigint, mask int);
\copy seq_events FROM 'test/data/vectors/sequence_events.csv' WITH (FORMAT csv)
CREATE TEMP TABLE seq_expected (case_id int, pattern text, sequence_match int, sequence_count int);
\copy seq_expected FROM 'test/data/vectors/sequence_expected.csv' WITH (FORMAT csv, HEADER)
CREATE TEMP TABLE seq_ours AS
SELECT x.*,
       (SELECT sequence_match(x.pattern, to_timestamp(e.ts), (e.mask & 1) <> 0, (e.mask & 2) <> 0, (e.mask & 4) <> 0)
        FROM seq_events e WHERE e.case_id = x.case_id)::int AS our_match,
       (SELECT sequence_count(x.pattern, to_timestamp(e.ts)::timestamp, (e.mask & 1) <> 0, (e.mask & 2) <> 0, (e.mask & 4) <> 0)
        FROM (SELECT * FROM seq_events WHERE case_id = x.case_id ORDER BY ts DESC) e) AS our_count
FROM seq_expected x;
SELECT pattern, count(*) AS cases,
       count(*) FILTER (WHERE our_match = sequence_match) AS match_same,
       count(*) FILTER (WHERE our_count = sequence_count) AS count_same,
       sum(sequence_count) AS clickhouse_matches
FROM seq_ours GROUP BY pattern ORDER BY pattern;

-- the doc/reference.md examples: searched, then bought within an hour; added to the
-- cart, then went on to something other than checkout
CREATE TEMP TABLE clicks (user_id int, ts timestamptz, event text);
INSERT INTO clicks VALUES
  (1, '2026-11-02 10:00', 'search'), (1, '2026-11-02 10:40', 'purchase'),
  (2, '2026-11-02 10:00', 'search'), (2, '2026-11-02 12:00', 'purchase'),
  (3, '2026-11-02 10:00', 'cart'), (3, '2026-11-02 10:05', 'view'),
  (3, '2026-11-02 11:00', 'cart'), (3, '2026-11-02 11:30', 'checkout'),
  (3, '2026-11-02 11:40', 'purchase'), (3, '2026-11-03 09:00', 'cart'),
  (3, '2026-11-03 09:10', 'search');
SELECT user_id,
       sequence_match('(?1)(?t<=3600)(?2)', ts, event = 'search', event = 'purchase') AS bought_within_hour,
       sequence_count('(?1)(?3)', ts, event = 'cart', event IN ('checkout', 'purchase'),
                      event NOT IN ('cart', 'checkout', 'purchase')) AS cart_then_elsewhere
FROM clicks GROUP BY user_id ORDER BY user_id;

-- only rows with a true condition take part: '.' skips unrelated rows
SELECT sequence_match('(?1).(?2)', ts, event = 'search', event = 'purchase') AS one_between
FROM (VALUES ('2026-11-02 10:00'::timestamptz, 'search'), ('2026-11-02 10:01', 'other'),
             ('2026-11-02 10:02', 'purchase')) v(ts, event);
-- ties: equal timestamps are ordered by the set of conditions a row matches
-- (condition 1 alone before condition 2 alone), whatever the input order
SELECT sequence_match('(?1)(?2)', ts, c1, c2) AS one_then_two,
       sequence_match('(?2)(?1)', ts, c1, c2) AS two_then_one
FROM (VALUES ('2026-11-02 10:00'::timestamptz, false, true), ('2026-11-02 10:00', true, false)) v(ts, c1, c2);
-- NULL timestamps are skipped, NULL conditions are false; no rows
SELECT sequence_match('(?1)(?2)', ts, c1, c2), sequence_count('(?1)', ts, c1, c2)
FROM (VALUES (NULL::timestamptz, true, false), ('2026-11-02 10:00', NULL, true),
             ('2026-11-02 10:01', true, NULL)) v(ts, c1, c2);
SELECT sequence_match('(?1)', now(), true) AS match, sequence_count('(?1)', now(), true) AS count
FROM sequence_test WHERE false;
-- a trailing .* or time condition can match nothing at the end
SELECT sequence_match('(?1).*', to_timestamp(time), data = 2) AS star,
       sequence_match('(?1)(?t<=1)', to_timestamp(time), data = 2) AS time_le,
       sequence_match('(?1)(?t>100)', to_timestamp(time), data = 2) AS time_gt
FROM sequence_test;

-- errors: SQLSTATE, message (quoting the pattern and the position) and hint
-- pg_temp.expect_error(stmt): SQLSTATE, message and hint of a statement
\i test/lib/expect_error.sql
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
SELECT left(p, 24) AS pattern, e.*
FROM unnest(ARRAY['', '(?1', '(?1)(?2', '(?1))', '(?x)', '(?0)', '(?1)(?4)', '(?1)(?t!3)(?2)',
                  '(?1)(?t<)', '(?1)(?t<3)(?t>1)(?2)', '(?1) (?2)', 'abc', '(?99999999999999999999)',
                  repeat('(?1)', 257)]) AS p,
     pg_temp.expect_error(format('SELECT sequence_match(%L, to_timestamp(time), data = 0, data = 1, data = 2) FROM sequence_test', p)) AS e;
SELECT * FROM pg_temp.expect_error($$SELECT sequence_count(NULL, now(), true)$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_count(repeat('.', 9000), now(), true)$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_count('(?1)', now(), VARIADIC array_fill(true, ARRAY[33]))$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_count('(?1)', now(), VARIADIC ARRAY[]::boolean[])$$);
SELECT * FROM pg_temp.expect_error($$SELECT sequence_count(CASE WHEN g = 1 THEN '(?1)' ELSE '(?1)(?1)' END, now(), true) FROM generate_series(1, 2) g$$);
-- ... also on a row that matches no condition (not kept)
SELECT * FROM pg_temp.expect_error($$SELECT sequence_count(CASE WHEN g = 1 THEN '(?1)' ELSE '(?1)(?1)' END, now(), g = 1) FROM generate_series(1, 2) g$$);
