-- pg_temp.try_recv(type, b): read the bytes b through the receive function
-- of `type` (funnel, attribution or lift) with binary COPY, and return
-- 'accepted' with the value's send output and text form, or the SQLSTATE of
-- the error with NULLs, for the binary round-trip properties.
CREATE FUNCTION pg_temp.try_recv(type text, b bytea,
    OUT state text, OUT sent bytea, OUT txt text)
LANGUAGE plpgsql AS $$
DECLARE
    path text := format('/tmp/conversions_try_recv_%s.bin', pg_backend_pid());
    file bytea := '\x5047434f50590aff0d0a00'::bytea || '\x0000000000000000'::bytea
                  || '\x0001'::bytea || int4send(length(b)) || b || '\xffff'::bytea;
BEGIN
    IF to_regclass(format('pg_temp.%I', 'try_recv_' || type)) IS NULL THEN
        EXECUTE format('CREATE TEMP TABLE %I (v %s)', 'try_recv_' || type, type);
    END IF;
    EXECUTE format('TRUNCATE %I', 'try_recv_' || type);
    EXECUTE format('COPY (SELECT %L) TO PROGRAM %L', translate(encode(file, 'base64'), E'\n', ''),
                   'base64 -d > ' || path);
    BEGIN
        EXECUTE format('COPY %I FROM %L WITH (FORMAT binary)', 'try_recv_' || type, path);
        EXECUTE format('SELECT %I(v), v::text FROM %I', type || '_send', 'try_recv_' || type)
            INTO sent, txt;
        state := 'accepted';
    EXCEPTION WHEN OTHERS THEN
        GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE;
    END;
    -- the program reads its input before it exits: a program that exits
    -- first (rm alone) makes the server's write fail with EPIPE at random
    EXECUTE format('COPY (SELECT 1) TO PROGRAM %L', 'cat >/dev/null; rm -f ' || path);
END $$;

-- pg_temp.try_in(type, txt): the send output of txt read by the text input
-- of `type`, or NULL when text input refuses it.
CREATE FUNCTION pg_temp.try_in(type text, txt text) RETURNS bytea
LANGUAGE plpgsql AS $$
DECLARE
    r bytea;
BEGIN
    EXECUTE format('SELECT %I(%L::%s)', type || '_send', txt, type) INTO r;
    RETURN r;
EXCEPTION WHEN OTHERS THEN
    RETURN NULL;
END $$;
