-- pgTAP: lift_report's intervals cover the true lift at about their
-- confidence level, on generated data where the truth is known, and the
-- before-first-conversion rule of 0.1.0 does not.
--
-- 100 replicate datasets of 2,000 entities each (deterministic: every value
-- is a hash of replicate, entity and purpose).  Each entity has:
--   - an entry row at hour 0 (no label): the landmark is 1 day after it;
--   - one `search` at a uniform time in [0, 48 h), independent of
--     everything else: true lift 0;
--   - one `newsletter` at a uniform time in [0, 48 h) (before the landmark
--     half of the time);
--   - with probability 0.1 a conversion before the landmark (uniform in
--     [0, 24 h)), independent of both micro-conversions, so the entities
--     at risk keep their mix;
--   - otherwise a conversion after the landmark (uniform in [24 h, 192 h))
--     with probability 0.1, doubled to 0.2 for entities whose newsletter
--     came before the landmark: true lift exactly 1.0 by construction.
-- Katz's 95% interval should then cover 0 for search and 1.0 for newsletter
-- in about 95 of 100 replicates; the test asks for at least 90 each.  The
-- same data under 0.1.0's rule (a converter's micro-conversions count only
-- up to its first conversion, a non-converter's always), computed in plain
-- SQL, puts search's interval around 0 far less often: the bias is gone.
-- The mean lifts over the replicates must also be near the truth (within
-- about 3 standard errors of the mean: the ratio estimate is a little high
-- in small samples).
\ir lib/tap_begin.sql
SET work_mem = '256MB';

SELECT plan(9);

-- uniform [0, 1) from (replicate, entity, purpose)
CREATE FUNCTION pg_temp.u01(r int, e int, purpose int) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (hashint8extended((r::bigint * 4096 + e) * 16 + purpose, 15) & 2147483647) / 2147483648.0::float8 $$;

-- times in microseconds from the entry, so that "before the landmark" is
-- exactly what the generator decided
CREATE TEMP TABLE ent AS
SELECT r, e,
       floor(pg_temp.u01(r, e, 1) * 48 * 3600e6)::bigint AS search_us,
       floor(pg_temp.u01(r, e, 2) * 48 * 3600e6)::bigint AS news_us,
       pg_temp.u01(r, e, 3) < 0.1 AS early,
       floor(pg_temp.u01(r, e, 4) * 24 * 3600e6)::bigint AS early_us,
       pg_temp.u01(r, e, 5) AS conv_u,
       floor((24 + pg_temp.u01(r, e, 6) * 168) * 3600e6)::bigint AS late_us
FROM generate_series(1, 100) r, generate_series(1, 2000) e;

CREATE TEMP TABLE ev AS
SELECT r, e, timestamptz '2026-01-01 00:00+00' + us * interval '1 microsecond' AS ts, micro, conv
FROM (SELECT r, e, 0::bigint AS us, NULL::text AS micro, false AS conv FROM ent
      UNION ALL SELECT r, e, search_us, 'search', false FROM ent
      UNION ALL SELECT r, e, news_us, 'newsletter', false FROM ent
      UNION ALL SELECT r, e, early_us, NULL, true FROM ent WHERE early
      UNION ALL SELECT r, e, late_us, NULL, true FROM ent
                WHERE NOT early AND conv_u < CASE WHEN news_us < 24 * 3600e6 THEN 0.2 ELSE 0.1 END) s;

CREATE TEMP TABLE per_rep AS
SELECT r, rollup(l) AS l
FROM (SELECT r, e, lift_agg(interval '1 day', ts, micro, conv) AS l FROM ev GROUP BY r, e) s
GROUP BY r;
CREATE TEMP TABLE rep AS SELECT p.r, x.* FROM per_rep p, lift_report(p.l) x;

SELECT is((SELECT count(*) FROM per_rep WHERE entities(l) + converted_before_landmark(l) = 2000
                                          AND converted_before_landmark(l) = (SELECT count(*) FROM ent
                                                                               WHERE ent.r = per_rep.r AND early)),
          100::bigint,
          'every replicate: 2,000 entities, at risk or converted before the landmark (exactly the early converters)');
SELECT is((SELECT count(*) FROM rep WHERE lift_low IS NOT NULL), 200::bigint,
          'every replicate has an interval for search and for newsletter');

-- coverage
SELECT ok(n >= 90, format('search (independent, true lift 0): the 95%% interval covers 0 in %s/100 replicates', n))
FROM (SELECT count(*) AS n FROM rep WHERE micro = 'search' AND lift_low <= 0 AND 0 <= lift_high) s;
SELECT ok(n >= 90, format('newsletter (true lift 1.0): the 95%% interval covers 1.0 in %s/100 replicates', n))
FROM (SELECT count(*) AS n FROM rep WHERE micro = 'newsletter' AND lift_low <= 1 AND 1 <= lift_high) s;
SELECT ok(n >= 90, format('newsletter: the interval excludes 0 in %s/100 replicates (the effect is found)', n))
FROM (SELECT count(*) AS n FROM rep WHERE micro = 'newsletter' AND lift_low > 0) s;
SELECT ok(abs(m) < 0.07, format('search: the mean lift over the replicates is %s, within 0.07 of 0', round(m::numeric, 4)))
FROM (SELECT avg(lift) AS m FROM rep WHERE micro = 'search') s;
SELECT ok(abs(m - 1) < 0.12, format('newsletter: the mean lift over the replicates is %s, within 0.12 of 1.0', round(m::numeric, 4)))
FROM (SELECT avg(lift) AS m FROM rep WHERE micro = 'newsletter') s;

-- 0.1.0's rule on the same data, in plain SQL: converted = any conversion;
-- did search = its search at or before the first conversion, or converted never
CREATE TEMP TABLE old_rule AS
SELECT r, count(*) FILTER (WHERE did AND converted) AS a, count(*) FILTER (WHERE did) AS n1,
       count(*) FILTER (WHERE NOT did AND converted) AS c, count(*) FILTER (WHERE NOT did) AS n0
FROM (SELECT r, e, fc IS NOT NULL AS converted, fc IS NULL OR search_ts <= fc AS did
      FROM (SELECT r, e, min(ts) FILTER (WHERE conv) AS fc, min(ts) FILTER (WHERE micro = 'search') AS search_ts
            FROM ev GROUP BY r, e) s) t
GROUP BY r;
CREATE TEMP TABLE old_katz AS
SELECT r, rr * exp(-1.959964 * se) - 1 AS low, rr - 1 AS lift, rr * exp(1.959964 * se) - 1 AS high
FROM (SELECT r, (a::float8 / n1) / (c::float8 / n0) AS rr,
             sqrt(1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n0) AS se
      FROM old_rule WHERE a > 0 AND c > 0 AND n0 > 0) s;
SELECT ok(n <= 10, format('0.1.0''s rule on the same data: search''s interval covers 0 in only %s/100 replicates (mean lift %s)',
                          n, round(m::numeric, 3)))
FROM (SELECT count(*) FILTER (WHERE low <= 0 AND 0 <= high) + (100 - count(*)) AS n, avg(lift) AS m FROM old_katz) s;
SELECT ok(m < -0.2, format('0.1.0''s rule: search''s mean lift is %s, a confident false harm', round(m::numeric, 3)))
FROM (SELECT avg(lift) AS m FROM old_katz) s;

SELECT * FROM finish();
ROLLBACK;
