-- retention: ClickHouse's [c1, c1 and c2, ..., c1 and cN]
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;

-- ClickHouse's documentation example: visits on 2020-01-01 .. 2020-01-07
CREATE TEMP TABLE retention_test (date date, uid int);
INSERT INTO retention_test SELECT '2020-01-01', g FROM generate_series(0, 4) g;
INSERT INTO retention_test SELECT '2020-01-02', g FROM generate_series(0, 9) g;
INSERT INTO retention_test SELECT '2020-01-03', g FROM generate_series(0, 14) g;
SELECT uid, retention(date = '2020-01-01', date = '2020-01-02', date = '2020-01-03') AS r
FROM retention_test WHERE date IN ('2020-01-01', '2020-01-02', '2020-01-03')
GROUP BY uid ORDER BY uid;
-- day-N retention of the 2020-01-01 cohort
SELECT sum(r[1]) AS r1, sum(r[2]) AS r2, sum(r[3]) AS r3
FROM (SELECT uid, retention(date = '2020-01-01', date = '2020-01-02', date = '2020-01-03') AS r
      FROM retention_test GROUP BY uid) s;

-- one condition; NULL conditions are false; no rows give NULL
SELECT retention(true) AS one, retention(false) AS none,
       retention(NULL::boolean, true) AS null_first,
       retention(true, NULL::boolean, true) AS null_second;
SELECT retention(true, true) IS NULL AS no_rows FROM retention_test WHERE false;
-- 32 conditions
SELECT retention(VARIADIC array_fill(true, ARRAY[32])) = array_fill(1::smallint, ARRAY[32]) AS all_32;
-- order of rows does not matter; the second condition need not come later
SELECT retention(c1, c2) FROM (VALUES (false, true), (true, false)) v(c1, c2);

-- ClickHouse 26.7 reference vectors: retention(c1, c2, c3) per case
CREATE TEMP TABLE seq_events (case_id int, ts bigint, mask int);
\copy seq_events FROM 'test/data/vectors/sequence_events.csv' WITH (FORMAT csv)
CREATE TEMP TABLE ret_expected (case_id int, retention text);
\copy ret_expected FROM 'test/data/vectors/retention_expected.csv' WITH (FORMAT csv, HEADER)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE x.retention = '[' || array_to_string(o.r, ',') || ']') AS same_as_clickhouse
FROM ret_expected x
JOIN (SELECT case_id, retention((mask & 1) <> 0, (mask & 2) <> 0, (mask & 4) <> 0) AS r
      FROM seq_events GROUP BY case_id) o USING (case_id);
SELECT x.retention AS clickhouse, count(*) FROM ret_expected x GROUP BY 1 ORDER BY 1;

-- errors
-- pg_temp.expect_error(stmt): SQLSTATE, message and hint of a statement
\i test/lib/expect_error.sql
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
SELECT * FROM pg_temp.expect_error($$SELECT retention(VARIADIC array_fill(true, ARRAY[33]))$$);
SELECT * FROM pg_temp.expect_error($$SELECT retention(VARIADIC ARRAY[]::boolean[])$$);
SELECT * FROM pg_temp.expect_error($$SELECT retention(VARIADIC NULL::boolean[])$$);
SELECT * FROM pg_temp.expect_error($$SELECT retention(VARIADIC ARRAY[[true, false], [true, true]])$$);
SELECT * FROM pg_temp.expect_error($$SELECT retention(VARIADIC CASE WHEN g = 1 THEN ARRAY[true] ELSE ARRAY[true, false] END) FROM generate_series(1, 2) g$$);
-- the support functions are callable with any bigint: a state that
-- retention_transition cannot make is a user error (22023), never XX000
SELECT * FROM pg_temp.expect_error($$SELECT retention_final(0)$$);
SELECT * FROM pg_temp.expect_error($$SELECT retention_final(-1)$$);
SELECT * FROM pg_temp.expect_error($$SELECT retention_final(33::bigint << 32)$$);
SELECT * FROM pg_temp.expect_error($$SELECT retention_final((1::bigint << 32) | 2)$$);
SELECT * FROM pg_temp.expect_error($$SELECT retention_final((1::bigint << 40) | (1::bigint << 32) | 1)$$);
SELECT * FROM pg_temp.expect_error($$SELECT retention_combine(0, 0)$$);
SELECT * FROM pg_temp.expect_error($$SELECT retention_combine((2::bigint << 32) | 1, -1)$$);
SELECT * FROM pg_temp.expect_error($$SELECT retention_transition(0, ARRAY[true])$$);
-- valid states: 2 conditions, both seen; 32 conditions, all seen
SELECT retention_final((2::bigint << 32) | 3) AS two_seen,
       retention_final((32::bigint << 32) | 4294967295) = array_fill(1::smallint, ARRAY[32]) AS all_32,
       retention_final(retention_combine((3::bigint << 32) | 1, (3::bigint << 32) | 4)) AS first_and_third;
