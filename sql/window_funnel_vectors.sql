-- window_funnel against ClickHouse 26.7's windowFunnel on the reference
-- vectors in test/data/vectors (120 cases x 2 windows x 6 modes).
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;

\i test/lib/load_window_funnel_vectors.sql

-- bit k of mask is condition k+1; rows with mask 0 match no step
CREATE TEMP TABLE wf_ours AS
SELECT x.case_id, x.window_seconds, x.mode, x.level AS clickhouse,
       (SELECT window_funnel(make_interval(secs => x.window_seconds), x.mode,
                             to_timestamp(e.ts),
                             (e.mask & 1) <> 0, (e.mask & 2) <> 0,
                             (e.mask & 4) <> 0, (e.mask & 8) <> 0)
        FROM wf_events e WHERE e.case_id = x.case_id) AS ours
FROM wf_expected x;

-- the same in timestamp without time zone, rows fed in reverse order
CREATE TEMP TABLE wf_ours_reversed AS
SELECT x.case_id, x.window_seconds, x.mode,
       (SELECT window_funnel(make_interval(secs => x.window_seconds), x.mode,
                             to_timestamp(e.ts)::timestamp AT TIME ZONE 'UTC' AT TIME ZONE 'UTC',
                             (e.mask & 1) <> 0, (e.mask & 2) <> 0,
                             (e.mask & 4) <> 0, (e.mask & 8) <> 0)
        FROM (SELECT * FROM wf_events WHERE case_id = x.case_id
              ORDER BY ts DESC, mask) e) AS ours
FROM wf_expected x;

SELECT count(*) AS cases, count(DISTINCT case_id) AS event_sets FROM wf_ours;
SELECT mode, window_seconds, count(*) AS cases,
       count(*) FILTER (WHERE ours = clickhouse) AS same_as_clickhouse
FROM wf_ours GROUP BY mode, window_seconds ORDER BY mode, window_seconds;
-- every difference from ClickHouse (none expected)
SELECT * FROM wf_ours WHERE ours IS DISTINCT FROM clickhouse ORDER BY case_id, window_seconds, mode;
SELECT count(*) AS order_dependent
FROM wf_ours a JOIN wf_ours_reversed b USING (case_id, window_seconds, mode)
WHERE a.ours IS DISTINCT FROM b.ours;
-- the vectors exercise every level, ties and multi-step rows
SELECT clickhouse AS level, count(*) FROM wf_ours GROUP BY 1 ORDER BY 1;
SELECT count(*) FILTER (WHERE n > 1) AS tied_timestamps,
       count(*) FILTER (WHERE multi) AS multi_step_rows
FROM (SELECT case_id, ts, count(*) AS n,
             bool_or(mask NOT IN (0, 1, 2, 4, 8)) AS multi
      FROM wf_events GROUP BY case_id, ts) s;
