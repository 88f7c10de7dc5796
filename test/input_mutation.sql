-- pgTAP: random edits of valid attribution, lift and paths texts, and random
-- byte changes of valid funnel, attribution, lift and paths values read through their
-- receive functions by binary COPY, are either refused with a data, syntax
-- or limit error or accepted as a value whose text round-trips; the
-- connection is never lost (a crash would end this file early).
\ir lib/tap_begin.sql
\ir lib/mutate_text.sql
\set users 300
\set seed 8
\ir data/clickstream.sql

SELECT plan(8);
SELECT setseed(0.17);

\ir lib/per_user_values.sql
CREATE TEMP TABLE seeds AS
SELECT 'attribution' AS type, a::text AS t, attribution_send(a) AS b FROM per_user WHERE user_id % 10 = 0
UNION ALL SELECT 'attribution', a::text, attribution_send(a) FROM (SELECT rollup(a) AS a FROM per_user) s
UNION ALL SELECT 'lift', l::text, lift_send(l) FROM per_user WHERE user_id % 10 = 0
UNION ALL SELECT 'lift', l::text, lift_send(l) FROM (SELECT rollup(l) AS l FROM per_user) s
UNION ALL SELECT 'funnel', f::text, funnel_send(f) FROM per_user WHERE user_id % 10 = 0
UNION ALL SELECT 'funnel', f::text, funnel_send(f) FROM (SELECT funnel_agg('1 day', ts, event = 'view', event = 'cart') AS f
                                                        FROM events GROUP BY user_id) s WHERE f::text LIKE '%"reached"%'
UNION ALL SELECT 'paths', p::text, paths_send(p) FROM (SELECT user_id, path_agg('steps=3,conversion=purchase', ts, event) AS p
                                                      FROM events GROUP BY user_id) s WHERE user_id % 10 = 0
UNION ALL SELECT 'paths', p::text, paths_send(p) FROM (SELECT rollup(p) AS p
                                                      FROM (SELECT path_agg('steps=3,conversion=purchase', ts, event) AS p
                                                            FROM events GROUP BY user_id) u) s;

-- text: 1 to 4 random character edits
CREATE TEMP TABLE outcome (kind text, type text, accepted bool, stable bool, sqlstate text);
DO $$
DECLARE
    s record;
    m text;
    chars text := '0123456789-.,:{}[]" eabx/';
    st text;
BEGIN
    FOR i IN 1..2000 LOOP
        SELECT * INTO s FROM seeds WHERE type <> 'funnel' ORDER BY random() LIMIT 1;
        m := pg_temp.mutate_text(s.t, chars);
        BEGIN
            IF s.type = 'attribution' THEN
                INSERT INTO outcome VALUES ('text', s.type, true, m::attribution::text = m::attribution::text::attribution::text, NULL);
            ELSIF s.type = 'lift' THEN
                INSERT INTO outcome VALUES ('text', s.type, true, m::lift::text = m::lift::text::lift::text, NULL);
            ELSE
                INSERT INTO outcome VALUES ('text', s.type, true, m::paths::text = m::paths::text::paths::text, NULL);
            END IF;
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
            INSERT INTO outcome VALUES ('text', s.type, false, NULL, st);
        END;
    END LOOP;
END $$;

-- binary: 1 to 3 random bytes of a sent value changed (or the value cut
-- short), then read back with binary COPY
CREATE TEMP TABLE bin_funnel (v funnel);
CREATE TEMP TABLE bin_attribution (v attribution);
CREATE TEMP TABLE bin_lift (v lift);
CREATE TEMP TABLE bin_paths (v paths);
DO $$
DECLARE
    s record;
    b bytea;
    file bytea;
    path text := format('/tmp/conversions_input_mutation_%s.bin', pg_backend_pid());
    st text;
    txt text;
BEGIN
    FOR i IN 1..450 LOOP
        SELECT * INTO s FROM seeds ORDER BY random() LIMIT 1;
        b := s.b;
        IF random() < 0.1 THEN
            b := substr(b, 1, (random() * (length(b) - 1))::int);
        ELSE
            FOR k IN 1..(1 + (random() * 2)::int) LOOP
                b := set_byte(b, (random() * (length(b) - 1))::int, (random() * 255)::int);
            END LOOP;
        END IF;
        file := '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
                || '\x0001'::bytea || int4send(length(b)) || b || '\xffff'::bytea;
        EXECUTE format('COPY (SELECT %L) TO PROGRAM %L', translate(encode(file, 'base64'), E'\n', ''),
                       'base64 -d > ' || path);
        EXECUTE format('TRUNCATE bin_%s', s.type);
        BEGIN
            EXECUTE format('COPY bin_%s FROM %L WITH (FORMAT binary)', s.type, path);
            EXECUTE format('SELECT v::text FROM bin_%s', s.type) INTO txt;
            EXECUTE format('SELECT %L::%s::text = %L', txt, s.type, txt) INTO st;
            INSERT INTO outcome VALUES ('binary', s.type, true, st::bool, NULL);
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS st = RETURNED_SQLSTATE;
            INSERT INTO outcome VALUES ('binary', s.type, false, NULL, st);
        END;
    END LOOP;
    EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'rm -f ' || path);
END $$;

SELECT is((SELECT count(*) FROM outcome WHERE kind = 'text' AND NOT accepted
           AND left(sqlstate, 2) NOT IN ('22', '42', '54')), 0::bigint,
          'text: every refused edit is a data, syntax or limit error');
SELECT is((SELECT count(*) FROM outcome WHERE kind = 'text' AND accepted AND NOT stable), 0::bigint,
          'text: every accepted edit round-trips');
SELECT ok((SELECT count(*) FILTER (WHERE accepted) > 20 AND count(*) FILTER (WHERE NOT accepted) > 1000
           AND count(DISTINCT type) = 3 FROM outcome WHERE kind = 'text'),
          'text: edits of the three types are both accepted and refused, so the checks are not vacuous');
SELECT is((SELECT count(*) FROM outcome WHERE kind = 'binary' AND NOT accepted
           AND left(sqlstate, 2) NOT IN ('22', '54')), 0::bigint,
          'binary: every refused value is a data or limit error');
SELECT is((SELECT count(*) FROM outcome WHERE kind = 'binary' AND accepted AND NOT stable), 0::bigint,
          'binary: every accepted value round-trips through text');
SELECT ok((SELECT count(*) FILTER (WHERE NOT accepted) > 200 AND count(*) FILTER (WHERE accepted) > 20
           FROM outcome WHERE kind = 'binary'),
          'binary: changes are both accepted and refused');
SELECT is((SELECT count(DISTINCT type) FROM outcome WHERE kind = 'binary' AND NOT accepted), 4::bigint,
          'binary: refusals of all four types');
SELECT ok((SELECT count(*) FROM outcome) = 2450, 'every mutation ran to an outcome');

SELECT * FROM finish();
ROLLBACK;
