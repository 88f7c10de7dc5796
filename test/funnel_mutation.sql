-- pgTAP: random edits of valid funnel texts are either refused with a data
-- error or accepted as a value whose text round-trips; never anything else.
\ir lib/tap_begin.sql
\ir lib/mutate_text.sql
\set users 300
\set seed 3
\ir data/clickstream.sql

SELECT plan(3);
SELECT setseed(0.42);

-- one-entity funnels with labels, and merged funnels with sketches
CREATE TEMP TABLE seeds AS
SELECT f::text AS t FROM (SELECT funnel_agg('1 day', ts, event, ARRAY['view', 'cart', 'checkout', 'purchase']) AS f
                          FROM events GROUP BY user_id LIMIT 40) s
UNION ALL SELECT rollup(f)::text FROM (SELECT funnel_agg('1 day', ts, event = 'view', event = 'cart', event = 'checkout') AS f
                                        FROM events GROUP BY user_id) s
UNION ALL SELECT rollup(f)::text FROM (SELECT funnel_agg('1 hour', 'strict_order', ts, event = 'view', event = 'cart') AS f
                                        FROM events GROUP BY user_id) s;

CREATE TEMP TABLE outcome (accepted bool, stable bool, sqlstate text);
DO $$
DECLARE
    s text;
    m text;
    chars text := '0123456789-.,:{}[]" eabx';
    st text;
BEGIN
    FOR i IN 1..3000 LOOP
        SELECT t INTO s FROM seeds ORDER BY random() LIMIT 1;
        m := pg_temp.mutate_text(s, chars);
        BEGIN
            INSERT INTO outcome VALUES (true, m::funnel::text = m::funnel::text::funnel::text, NULL);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
            INSERT INTO outcome VALUES (false, NULL, st);
        END;
    END LOOP;
END $$;

SELECT is((SELECT count(*) FROM outcome WHERE NOT accepted AND left(sqlstate, 2) NOT IN ('22', '42', '54')), 0::bigint,
          'every refused edit is a data, syntax or limit error');
SELECT is((SELECT count(*) FROM outcome WHERE accepted AND NOT stable), 0::bigint,
          'every accepted edit round-trips through text');
SELECT ok((SELECT count(*) FILTER (WHERE accepted) > 0 AND count(*) FILTER (WHERE NOT accepted) > 1000 FROM outcome),
          'the edits produce both accepted and refused inputs, so the checks are not vacuous');

SELECT * FROM finish();
ROLLBACK;
