-- pgTAP: sequence_count and sequence_match count a "star chain" pattern
-- (only (?N) items and .*, with a .* before each (?N), such as
-- '(?1).*(?2)') by a greedy scan instead of the search; the scan must find
-- what the search finds.  The search's twin of each pattern inserts
-- (?t>=0) before its last (?N) item: every two events in time order meet
-- it, so it changes no match, but it makes the pattern no star chain.  Per
-- user of a generated clickstream, each pattern agrees with its twin, and
-- the patterns are not trivial (users with 0, 1 and several matches).
\ir lib/tap_begin.sql
\set users 3000
\set seed 31
\ir data/clickstream.sql

SELECT plan(7);

-- users on whom sequence_count or sequence_match of the pattern and of its
-- twin differ
CREATE FUNCTION pg_temp.disagree(chain text, twin text, evs text[]) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    conds text := (SELECT string_agg(format('event = %L', e), ', ') FROM unnest(evs) e);
    n bigint;
BEGIN
    EXECUTE format($q$
      SELECT count(*) FROM (
        SELECT sequence_count(%1$L, ts, %3$s) AS a, sequence_count(%2$L, ts, %3$s) AS b,
               sequence_match(%1$L, ts, %3$s) AS c, sequence_match(%2$L, ts, %3$s) AS d
        FROM events GROUP BY user_id) s
      WHERE a <> b OR c <> d$q$, chain, twin, conds) INTO n;
    RETURN n;
END $$;

SELECT is(pg_temp.disagree('(?1).*(?2)', '(?1).*(?t>=0)(?2)', '{view,cart}'), 0::bigint,
          '(?1).*(?2): the scan counts what the search counts');
SELECT is(pg_temp.disagree('.*(?1).*(?2).*(?3)', '.*(?1).*(?2).*(?t>=0)(?3)', '{view,cart,checkout}'),
          0::bigint, '.*(?1).*(?2).*(?3): likewise');
SELECT is(pg_temp.disagree('(?1).*(?1).*.*(?2).*', '(?1).*(?1).*.*(?t>=0)(?2).*', '{view,purchase}'),
          0::bigint, '(?1).*(?1).*.*(?2).*: likewise');
SELECT is(pg_temp.disagree('(?2).*(?1)', '(?2).*(?t>=0)(?1)', '{view,search}'), 0::bigint,
          '(?2).*(?1): likewise');
SELECT is(pg_temp.disagree('(?1)', '.*(?t>=0)(?1)', '{view}'), 0::bigint,
          '(?1), a count per view row: likewise');

-- and one answer from plain SQL: (?1).*(?2) over view and cart matches
-- when a cart row is at or after a view row (at one instant the view sorts
-- first: its condition mask is the smaller)
SELECT is((SELECT count(*) FROM (
             SELECT sequence_match('(?1).*(?2)', ts, event = 'view', event = 'cart') AS m,
                    coalesce(min(ts) FILTER (WHERE event = 'view')
                             <= max(ts) FILTER (WHERE event = 'cart'), false) AS oracle
             FROM events GROUP BY user_id) s
           WHERE m <> oracle),
          0::bigint, '(?1).*(?2) matches when a cart row is at or after a view row');
SELECT ok((SELECT count(DISTINCT least(c, 2)) = 3
           FROM (SELECT sequence_count('(?1).*(?2)', ts, event = 'view', event = 'cart') AS c
                 FROM events GROUP BY user_id) s),
          'users with no match, one, and several of (?1).*(?2)');

SELECT * FROM finish();
