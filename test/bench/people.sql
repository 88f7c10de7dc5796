-- test/bench/people.sql (not part of the test suite): sizes of funnels that
-- carry people, and rollup over 7,300 stored values (365 days x 20
-- segments, 1,000 person-days each, ~510,000 distinct ids) against the
-- floor of reading those rows.  Run it on a throwaway database with the
-- extension installed:
--   psql -X -f test/bench/people.sql
-- The one-entity values are four constants (levels 1-4); the people and
-- levels come from hashes, so every run builds the same data.
\timing off
SET max_parallel_workers_per_gather = 0;
CREATE TABLE lv (level int, f funnel);
INSERT INTO lv VALUES
 (1, '{"version": 1, "steps": 4, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 1, "time_from_first_us": []}'),
 (2, '{"version": 1, "steps": 4, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 2, "time_from_first_us": [60000000]}'),
 (3, '{"version": 1, "steps": 4, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 3, "time_from_first_us": [60000000, 300000000]}'),
 (4, '{"version": 1, "steps": 4, "window": "1 day", "modes": "", "labels": null, "entities": 1, "step_reached": 4, "time_from_first_us": [60000000, 300000000, 900000000]}');
-- sizes: 500,000 dense ids of 1..700,000, every one at step 4 (4 full sets)
\echo dense: 500000 of 1..700000, all steps
SELECT pg_column_size(f) AS bytes, round(pg_column_size(f) / (500000.0 * 4), 3) AS bytes_per_entity_step,
       people_reached(f, 4)
FROM (SELECT rollup(lv.f, id) AS f
      FROM (SELECT id FROM generate_series(1, 700000) id ORDER BY hashint8(id) LIMIT 500000) ids, lv
      WHERE lv.level = 4) s;
\echo dense: 500000 of 1..700000, drop-off 100/40/20/10 percent
SELECT pg_column_size(f) AS bytes,
       (SELECT sum(p) FROM (SELECT people FROM funnel_people_steps(f)) x(p)) AS entity_steps,
       round(pg_column_size(f) / (SELECT sum(p) FROM (SELECT people FROM funnel_people_steps(f)) x(p))::numeric, 3) AS bytes_per_entity_step
FROM (SELECT rollup(lv.f, id) AS f
      FROM (SELECT id, CASE WHEN h % 10 = 0 THEN 4 WHEN h % 10 < 2 THEN 3 WHEN h % 10 < 4 THEN 2 ELSE 1 END AS level
            FROM (SELECT id, abs(hashint8(id * 7)) AS h FROM generate_series(1, 700000) id ORDER BY hashint8(id) LIMIT 500000) x) ids
      JOIN lv USING (level)) s;
\echo sparse: 500000 random int64 ids, all steps
SELECT pg_column_size(f) AS bytes, round(pg_column_size(f) / (500000.0 * 4), 3) AS bytes_per_entity_step
FROM (SELECT rollup(lv.f, hashint8extended(id, 3)) AS f FROM generate_series(1, 500000) id, lv WHERE lv.level = 4) s;
\echo sparse: 500000 random ids of 1..10^9, all steps
SELECT pg_column_size(f) AS bytes, round(pg_column_size(f) / (500000.0 * 4), 3) AS bytes_per_entity_step
FROM (SELECT rollup(lv.f, 1 + abs(hashint8extended(id, 5)) % 1000000000) AS f FROM generate_series(1, 500000) id, lv WHERE lv.level = 4) s;

-- 365 days x 20 segments, 1000 (person, day) values each from ids 1..510,000
\echo building 7300 stored values
CREATE TABLE stored AS
SELECT day, seg, rollup(lv.f, person) AS f
FROM (SELECT day, seg, 1 + abs(hashint8(day * 100000 + seg * 1000 + i)) % 510000 AS person,
             CASE WHEN abs(hashint8(day * 100000 + seg * 1000 + i + 7)) % 10 = 0 THEN 4
                  WHEN abs(hashint8(day * 100000 + seg * 1000 + i + 7)) % 10 < 2 THEN 3
                  WHEN abs(hashint8(day * 100000 + seg * 1000 + i + 7)) % 10 < 4 THEN 2 ELSE 1 END AS level
      FROM generate_series(1, 365) day, generate_series(1, 20) seg, generate_series(1, 1000) i) g
JOIN lv USING (level)
GROUP BY day, seg;
CREATE TABLE stored_counts AS SELECT day, seg, (f::text::jsonb - 'people')::text::funnel AS f FROM stored;
VACUUM ANALYZE stored; VACUUM ANALYZE stored_counts;
SELECT count(*), pg_size_pretty(pg_total_relation_size('stored')) AS table_size,
       round(avg(pg_column_size(f))) AS avg_stored_bytes FROM stored;
\timing on
\echo floor: sum(entities(f)), which reads (detoasts) every value
SELECT sum(entities(f)) FROM stored;
SELECT sum(entities(f)) FROM stored;
SELECT sum(entities(f)) FROM stored;
\echo floor: count(*)
SELECT count(*) FROM stored;
SELECT count(*) FROM stored;
\echo rollup(f) without people (counts only)
SELECT entities(rollup(f)) FROM stored_counts;
SELECT entities(rollup(f)) FROM stored_counts;
\echo rollup(f) with people, people_reached(1)
SELECT people_reached(rollup(f), 1) FROM stored;
SELECT people_reached(rollup(f), 1) FROM stored;
SELECT people_reached(rollup(f), 1) FROM stored;
\echo funnel_people_steps of the merge
SELECT s.* FROM (SELECT rollup(f) AS f FROM stored) t, funnel_people_steps(t.f) s;
SELECT s.* FROM (SELECT rollup(f) AS f FROM stored) t, funnel_people_steps(t.f) s;
\timing off
SELECT pg_column_size(rollup(f)) AS merged_bytes FROM stored;
