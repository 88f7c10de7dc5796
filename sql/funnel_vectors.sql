-- max_step(funnel_agg(...)) against window_funnel and ClickHouse 26.7 on the
-- reference vectors (test/data/vectors): equal in every mode, except where
-- funnel_agg corrects a ClickHouse defect (doc/semantics.md); then never lower.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;

\i test/lib/load_window_funnel_vectors.sql

CREATE TEMP TABLE fa AS
SELECT x.case_id, x.window_seconds, x.mode, x.level AS clickhouse,
       (SELECT max_step(funnel_agg(make_interval(secs => x.window_seconds), x.mode,
                                   to_timestamp(e.ts),
                                   (e.mask & 1) <> 0, (e.mask & 2) <> 0,
                                   (e.mask & 4) <> 0, (e.mask & 8) <> 0))
        FROM wf_events e WHERE e.case_id = x.case_id) AS ours,
       (SELECT max_step(funnel_agg(make_interval(secs => x.window_seconds), x.mode,
                                   to_timestamp(e.ts),
                                   (e.mask & 1) <> 0, (e.mask & 2) <> 0,
                                   (e.mask & 4) <> 0, (e.mask & 8) <> 0))
        FROM (SELECT * FROM wf_events WHERE case_id = x.case_id
              ORDER BY ts DESC, mask) e) AS reversed
FROM wf_expected x;

SELECT mode, count(*) AS cases,
       count(*) FILTER (WHERE ours = clickhouse) AS same,
       count(*) FILTER (WHERE ours > clickhouse) AS higher,
       count(*) FILTER (WHERE ours < clickhouse) AS lower,
       count(*) FILTER (WHERE ours <> reversed) AS order_dependent
FROM fa GROUP BY mode ORDER BY mode;

-- strict_increase is exact: the longest chain with strictly increasing
-- timestamps inside the window, found by enumerating every chain
CREATE TEMP TABLE steps AS
SELECT case_id, ts, k FROM wf_events, generate_series(1, 4) k
WHERE mask & (1 << (k - 1)) <> 0;
WITH RECURSIVE chains AS (
    SELECT s.case_id, w.win, s.ts AS start, s.ts AS last, 1 AS k
    FROM steps s, (VALUES (4), (10)) w(win) WHERE s.k = 1
  UNION
    SELECT c.case_id, c.win, c.start, s.ts, c.k + 1
    FROM chains c JOIN steps s ON s.case_id = c.case_id AND s.k = c.k + 1
     AND s.ts > c.last AND s.ts <= c.start + c.win
), longest AS (
    SELECT case_id, win, max(k) AS level FROM chains GROUP BY 1, 2
)
SELECT count(*) AS cases,
       count(*) FILTER (WHERE coalesce(l.level, 0) = fa.ours) AS same_as_enumeration
FROM fa LEFT JOIN longest l ON l.case_id = fa.case_id AND l.win = fa.window_seconds
WHERE fa.mode = 'strict_increase';
