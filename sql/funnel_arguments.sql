-- Arguments in the wrong place: funnel_agg's typed hold and breakdown
-- values (hold_by, breakdown_by), the retired 0.1.0 forms that took them as
-- two text arguments, and a mode written after ts.  Which overload each call
-- resolves to, the results of the typed forms, and every error with its
-- SQLSTATE, message, detail and hint.
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS conversions;
RESET client_min_messages;
SET TimeZone = 'UTC';

CREATE TEMP TABLE e (uid int, ts timestamptz, ev text, product text, channel text);
INSERT INTO e VALUES
  -- user 1: carts product B but buys product A; first touch by seo
  (1, '2026-01-01 10:00', 'a', 'A', 'seo'), (1, '2026-01-01 10:01', 'a', 'B', 'ads'),
  (1, '2026-01-01 10:02', 'b', 'B', 'ads'), (1, '2026-01-01 10:30', 'c', 'A', 'mail'),
  -- user 2: one product throughout; first touch by ads
  (2, '2026-01-01 11:00', 'a', 'C', 'ads'), (2, '2026-01-01 11:05', 'b', 'C', 'seo'),
  (2, '2026-01-01 11:10', 'c', 'C', 'seo');
CREATE TEMP TABLE empty (LIKE e);

-- pg_temp.resolves_to(call): the extension aggregate a call resolves to, read
-- from the dependencies of a view over it; the SQLSTATE and message when no
-- overload takes it
CREATE FUNCTION pg_temp.resolves_to(call text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
    result text;
BEGIN
    EXECUTE format('CREATE TEMP VIEW resolve_probe AS SELECT %s AS x FROM e', call);
    SELECT string_agg(p.oid::regprocedure::text, ', ') INTO result
    FROM pg_depend d JOIN pg_rewrite r ON d.objid = r.oid AND d.classid = 'pg_rewrite'::regclass
                     JOIN pg_proc p ON d.refobjid = p.oid AND d.refclassid = 'pg_proc'::regclass
    WHERE r.ev_class = 'pg_temp.resolve_probe'::regclass AND p.prokind = 'a';
    DROP VIEW resolve_probe;
    RETURN result;
EXCEPTION WHEN OTHERS THEN
    RETURN SQLSTATE || ': ' || SQLERRM;
END $$;

-- pg_temp.expect_error(stmt): SQLSTATE, message, detail and hint of a statement
CREATE FUNCTION pg_temp.expect_error(stmt text,
    OUT state text, OUT message text, OUT detail text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    state := 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
END $$;

-------------------------------------------------------------------------------
-- hold_by and breakdown_by: the same text, typed; NULL stays NULL; no cast
-- from text lets a plain text value stand for either
SELECT hold_by('A') AS hold, pg_typeof(hold_by('A')) AS hold_type,
       breakdown_by('seo') AS breakdown, pg_typeof(breakdown_by('seo')) AS breakdown_type,
       hold_by(NULL) IS NULL AS null_hold, breakdown_by(NULL) IS NULL AS null_breakdown,
       'x'::funnel_hold::text AS hold_input, 'y'::funnel_breakdown::text AS breakdown_input;
-- binary I/O is text's: the same bytes
SELECT funnel_hold_send(hold_by('Ä')) = textsend('Ä') AS hold_send,
       funnel_breakdown_send(breakdown_by('Ä')) = textsend('Ä') AS breakdown_send;
SELECT castcontext, castsource::regtype, casttarget::regtype FROM pg_cast
WHERE casttarget IN ('funnel_hold'::regtype, 'funnel_breakdown'::regtype)
   OR castsource IN ('funnel_hold'::regtype, 'funnel_breakdown'::regtype);

-------------------------------------------------------------------------------
-- Which overload each call resolves to
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
\pset footer off
SELECT call, pg_temp.resolves_to(call) FROM (VALUES
  -- the typed forms, with NULL for either value, over timestamptz and timestamp
  ($$funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], hold_by(product), breakdown_by(channel))$$),
  ($$funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], hold_by(product), NULL)$$),
  ($$funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], NULL, breakdown_by(channel))$$),
  ($$funnel_agg('1 day', '', ts::timestamp, ev, ARRAY['a','b'], hold_by(product), NULL)$$),
  ($$funnel_agg('1 day', '', ts, hold_by(product), breakdown_by(channel), ev = 'a', ev = 'b')$$),
  ($$funnel_agg('1 day', '', ts, hold_by(product), NULL, ev = 'a', ev = 'b')$$),
  ($$funnel_agg('1 day', '', ts, NULL, breakdown_by(channel), ev = 'a')$$),
  ($$funnel_agg('1 day', '', ts::timestamp, NULL, breakdown_by(channel), ev = 'a', ev = 'b')$$),
  -- two untyped NULLs prefer text: the retired form, an error when run
  ($$funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], NULL, NULL)$$),
  ($$funnel_agg('1 day', '', ts, NULL, NULL, ev = 'a', ev = 'b')$$),
  -- plain text values: the retired forms
  ($$funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], product, channel)$$),
  ($$funnel_agg('1 day', '', ts, product, channel, ev = 'a', ev = 'b')$$),
  -- swapped, or only one wrapped: no such function
  ($$funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], breakdown_by(channel), hold_by(product))$$),
  ($$funnel_agg('1 day', '', ts, breakdown_by(channel), hold_by(product), ev = 'a', ev = 'b')$$),
  ($$funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], hold_by(product), channel)$$),
  ($$funnel_agg('1 day', '', ts, product, breakdown_by(channel), ev = 'a', ev = 'b')$$),
  -- the other forms, as before
  ($$funnel_agg('1 day', ts, ev = 'a', ev = 'b')$$),
  ($$funnel_agg('1 day', ts, ev = 'a')$$),
  ($$funnel_agg('1 day', ts, NULL::boolean, ev = 'b')$$),
  ($$funnel_agg('1 day', 'strict_order', ts, ev = 'a', ev = 'b')$$),
  ($$funnel_agg('1 day', ts, ev, ARRAY['a','b'])$$),
  ($$funnel_agg('1 day', ts, ev, '{a,b}')$$),
  ($$funnel_agg('1 day', ts::timestamp, ev, '{a,b}')$$),
  ($$funnel_agg('1 day', '', ts, ev, ARRAY['a','b'])$$),
  ($$funnel_agg('1 day', '', ts, ev, '{a,b}')$$),
  ($$window_funnel('1 day', ts, true, false)$$),
  ($$window_funnel('1 day', ts, ev = 'a', ev = 'b')$$),
  ($$window_funnel('1 day', ts::timestamp, ev = 'a')$$),
  ($$window_funnel('1 day', ts, NULL::boolean, ev = 'b')$$),
  ($$window_funnel('1 day', 'strict_order', ts, ev = 'a', ev = 'b')$$),
  ($$window_funnel('1 day', '', ts::timestamp, ev = 'a')$$),
  -- a text value after ts: the forms that explain the mistake
  ($$window_funnel('1 day', ts, 'strict_order', ev = 'a', ev = 'b')$$),
  ($$window_funnel('1 day', ts, 'strict_order', ev = 'a')$$),
  ($$window_funnel('1 day', ts::timestamp, 'strict_order', ev = 'a')$$),
  ($$window_funnel('1 day', ts, ev, ev = 'a')$$),
  ($$funnel_agg('1 day', ts, 'strict_order', ev = 'a', ev = 'b')$$),
  ($$funnel_agg('1 day', ts::timestamp, 'strict_order', ev = 'a', ev = 'b')$$),
  -- funnel_agg with one condition after the text keeps the boolean form (a
  -- form for it would make funnel_agg(window, ts, event, '{a,b}') ambiguous)
  ($$funnel_agg('1 day', ts, 'strict_order', ev = 'a')$$)
) calls(call);
\pset format aligned
\pset tuples_only off
\pset footer on

-------------------------------------------------------------------------------
-- The typed forms compute what the text forms did.  Hold the product
-- constant: user 1 reaches 2 (A: a, c; B: a, b), user 2 reaches 3;
-- without holding both reach 3.  Breakdown by first touch: ads for both
-- (user 1's reported chain is the one that started latest, at 10:01);
-- last touch of user 1's held chain (B: a, b) is ads, of user 2's seo.
SELECT uid,
       max_step(funnel_agg('1 day', '', ts, ev, ARRAY['a', 'b', 'c'], hold_by(product), NULL)) AS same_product,
       max_step(funnel_agg('1 day', ts, ev, ARRAY['a', 'b', 'c'])) AS any_product,
       breakdown(funnel_agg('1 day', '', ts, ev, ARRAY['a', 'b', 'c'], NULL, breakdown_by(channel))) AS first_touch,
       breakdown(funnel_agg('1 day', 'breakdown=last_touch', ts, ev, ARRAY['a', 'b', 'c'],
                            hold_by(product), breakdown_by(channel))) AS last_touch_same_product
FROM e GROUP BY uid ORDER BY uid;
-- the boolean form and timestamp without time zone agree
SELECT uid,
       max_step(funnel_agg('1 day', '', ts, hold_by(product), NULL, ev = 'a', ev = 'b', ev = 'c')) AS same_product,
       breakdown(funnel_agg('1 day', '', ts::timestamp, NULL, breakdown_by(channel), ev = 'a', ev = 'b', ev = 'c')) AS first_touch
FROM e GROUP BY uid ORDER BY uid;
-- hold_by(NULL) on every row holds nothing: the same level as no hold
SELECT uid, max_step(funnel_agg('1 day', '', ts, ev, ARRAY['a', 'b', 'c'], hold_by(NULL), NULL)) AS null_hold
FROM e GROUP BY uid ORDER BY uid;
-- no rows: NULL, as every form
SELECT funnel_agg('1 day', '', ts, ev, ARRAY['a', 'b'], hold_by(product), breakdown_by(channel)) IS NULL AS no_rows
FROM empty;
-- a view keeps the typed call
CREATE TEMP VIEW held AS
SELECT uid, funnel_agg('1 day', '', ts, ev, ARRAY['a', 'b', 'c'], hold_by(product), breakdown_by(channel)) AS f
FROM e GROUP BY uid;
SELECT pg_get_viewdef('held'::regclass) LIKE '%hold_by(%product), breakdown_by(%channel)%' AS typed_in_view,
       (SELECT max(max_step(f)) FROM held) AS best;

-------------------------------------------------------------------------------
-- Errors
\pset format unaligned
\pset tuples_only on
\pset fieldsep ' | '
\pset footer off
-- the retired text forms: on their first row (42883) ...
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], product, channel) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts::timestamp, ev, ARRAY['a','b'], product, channel) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts, product, channel, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts::timestamp, product, channel, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], NULL, NULL) FROM e$$);
-- ... and without rows, from the final function
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], product, channel) FROM empty$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts::timestamp, product, channel, ev = 'a') FROM empty$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts, product, channel, ev = 'a' ORDER BY ts, uid) FROM empty$$);
-- swapped or half-wrapped values match no function (42883)
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], breakdown_by(channel), hold_by(product)) FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts, breakdown_by(channel), hold_by(product), ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', '', ts, ev, ARRAY['a','b'], hold_by(product), channel) FROM e$$);

-- a mode after ts (22023): window_funnel and funnel_agg, timestamptz and
-- timestamp, a mode list or another text, on rows and without rows
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, 'strict_order', ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts::timestamp, 'strict_order, allow_reentry', ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, '', ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, 'strict_order', ev = 'a') FROM empty$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts::timestamp, 'strict_order', ev = 'a') FROM empty$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, 'strict_order, exclude=2-3', ev = 'a', ev = 'b', ev = 'c') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts::timestamp, 'order=any', ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, 'strict_order', ev = 'a', ev = 'b') FROM empty$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts::timestamp, 'order=any', ev = 'a', ev = 'b') FROM empty$$);
-- options are funnel_agg's: for window_funnel they are no mode list
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, 'exclude=2-3', ev = 'a', ev = 'b') FROM e$$);
-- text that is no mode: the conditions are boolean (the value is quoted,
-- cut at 64 bytes)
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, 'strict_ordr', ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, ev, ev = 'a') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, ev, ev = 'a') FROM empty$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, ev, ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, repeat('x', 100), ev = 'a', ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts::timestamp, 'checkout', ev = 'a', ev = 'b') FROM empty$$);
-- an untyped NULL as the first condition
SELECT * FROM pg_temp.expect_error($$SELECT window_funnel('1 day', ts, NULL, ev = 'b') FROM e$$);
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, NULL, ev = 'b', ev = 'c') FROM empty$$);
-- funnel_agg with a single condition after a mode: still the boolean input error
SELECT * FROM pg_temp.expect_error($$SELECT funnel_agg('1 day', ts, 'strict_order', ev = 'a') FROM e$$);
