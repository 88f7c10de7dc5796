-- Make the planner choose parallel plans even for the small test tables:
-- two workers, no setup or tuple cost, no minimum scan size.  The suites
-- then assert "Workers Launched" so that a serial plan cannot pass unseen.
SET max_parallel_workers_per_gather = 2;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET min_parallel_index_scan_size = 0;
