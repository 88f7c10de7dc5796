-- The ClickHouse 26.7 windowFunnel reference vectors (test/data/vectors) as
-- temp tables: wf_events (case_id, ts seconds, mask: bit k is condition
-- k+1) and wf_expected (case_id, window_seconds, mode, level).
CREATE TEMP TABLE wf_events (case_id int, ts bigint, mask int);
\copy wf_events FROM 'test/data/vectors/window_funnel_events.csv' WITH (FORMAT csv)
CREATE TEMP TABLE wf_expected (case_id int, window_seconds int, mode text, level int);
\copy wf_expected FROM 'test/data/vectors/window_funnel_expected.csv' WITH (FORMAT csv, HEADER)
