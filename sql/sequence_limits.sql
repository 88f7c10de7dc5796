-- Memory limits and cancellation of the sequence aggregates (issue 16,
-- defects 1 and 8).  Working memory beyond a group's rows is at most 16
-- bytes per row that conversions.max_group_events allows: 16,000 bytes at
-- 1,000 rows.  The sequence matcher needs one bit per event and pattern
-- item (plus 1/63 for summaries, in 8-byte words); sequence_next_node
-- keeps its values' bytes.  Each is refused with 54000 before allocating.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
\i test/lib/expect_error.sql

CREATE TEMP TABLE seq_rows AS
SELECT g, timestamptz '2026-01-01' + g * interval '1 second' AS ts
FROM generate_series(1, 1000) g;

SET conversions.max_group_events = 1000;
-- repeat('.*(?1)', 120): 240 items and the implicit leading .*, 241 bit
-- sets.  Over 1,000 events a set is 16 words and 1 summary word, 136 bytes:
-- 32,776 bytes in all.  Over 400 events it is 7 + 1 words, 64 bytes:
-- 15,424 bytes, within the limit.  Over 1,000 events a short pattern
-- needs 4 x 136 = 544 bytes.
SELECT v.what, s.* FROM (VALUES
  ('sequence_match, 240 items over 1,000 events',
   $$SELECT sequence_match(repeat('.*(?1)', 120), ts, true) FROM seq_rows$$),
  ('sequence_count, 240 items over 1,000 events',
   $$SELECT sequence_count(repeat('.*(?1)', 120), ts, true) FROM seq_rows$$),
  ('240 items over 400 events: within the limit',
   $$SELECT sequence_count(repeat('.*(?1)', 120), ts, true) FROM seq_rows WHERE g <= 400$$),
  ('3 items over 1,000 events',
   $$SELECT sequence_count('(?1).*(?2)', ts, g % 2 = 1, g % 2 = 0) FROM seq_rows$$)
) v(what, stmt), pg_temp.expect_error(v.stmt) s;
-- the results within the limit: 120 events per match, so 3 in 400 events;
-- 500 pairs of an odd then an even second
SELECT sequence_match(repeat('.*(?1)', 120), ts, true) AS match_400,
       sequence_count(repeat('.*(?1)', 120), ts, true) AS count_400
FROM seq_rows WHERE g <= 400;
SELECT sequence_count('(?1).*(?2)', ts, g % 2 = 1, g % 2 = 0) AS pairs FROM seq_rows;

-- sequence_next_node: 3 values of 5,000 bytes fit in 16,000 bytes, 4 do not
SELECT v.what, s.* FROM (VALUES
  ('4 values of 5,000 bytes',
   $$SELECT sequence_next_node('forward', 'head', ts, repeat(g::text, 5000), true, true) FROM seq_rows WHERE g <= 4$$),
  ('3 values of 5,000 bytes',
   $$SELECT sequence_next_node('forward', 'head', ts, repeat(g::text, 5000), true, true) FROM seq_rows WHERE g <= 3$$)
) v(what, stmt), pg_temp.expect_error(v.stmt) s;
SELECT length(n) AS len, left(n, 3) AS starts
FROM (SELECT sequence_next_node('forward', 'head', ts, repeat(g::text, 5000), true, true) AS n
      FROM seq_rows WHERE g <= 3) s;
RESET conversions.max_group_events;

-- The matcher checks for interrupts while it allocates and while it
-- searches: 500,000 events that all match (?1) and a pattern of 126 .*(?1)
-- then .*(?t>=0)(?2), which no event matches, make 128 million failed
-- states (over a second of matching, after 50 ms of reading rows);
-- statement_timeout cancels it.  ((?t>=0) holds between any two events in
-- time order; without it the pattern is only (?N) and .*, which a single
-- pass counts, below.)
CREATE TEMP TABLE seq_many AS
SELECT timestamptz '2026-01-01' + g * interval '1 second' AS ts
FROM generate_series(1, 500000) g;
SET statement_timeout = '100ms';
SELECT sequence_count(repeat('.*(?1)', 126) || '.*(?t>=0)(?2)', ts, true, false) FROM seq_many;
RESET statement_timeout;
-- the same without the time condition: no match, found by one pass; and
-- 126 (?1) items match 3,968 times in 500,000 events that all match
SELECT sequence_count(repeat('.*(?1)', 126) || '.*(?2)', ts, true, false) AS none,
       sequence_count(repeat('.*(?1)', 126), ts, true, false) AS matches
FROM seq_many;
