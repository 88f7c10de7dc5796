-- pg_temp.bad_binary(query, type, pos, val): write the one value `query`
-- returns with binary COPY, set byte `pos` of the value to `val` (-1 is the
-- last byte of the field length before it), read it back into a column of
-- `type`, and return the SQLSTATE, message and hint ('no error' when it
-- loads), for the binary error catalogues in sql/*.sql.
CREATE FUNCTION pg_temp.bad_binary(query text, type text, pos int, val int,
    OUT state text, OUT message text, OUT hint text)
LANGUAGE plpgsql AS $$
DECLARE
    path text := format('/tmp/conversions_bad_binary_%s.bin', pg_backend_pid());
    b bytea;
BEGIN
    IF to_regclass(format('pg_temp.%I', 'bad_binary_' || type)) IS NULL THEN
        EXECUTE format('CREATE TEMP TABLE %I (v %s)', 'bad_binary_' || type, type);
    END IF;
    EXECUTE format('COPY (%s) TO %L WITH (FORMAT binary)', query, path);
    b := pg_read_binary_file(path);
    -- the value starts after the 19-byte file header, the field count and its length
    b := set_byte(b, 25 + pos, val);
    EXECUTE format('COPY (SELECT %L) TO PROGRAM %L', translate(encode(b, 'base64'), E'\n', ''),
                   'base64 -d > ' || path);
    SELECT * INTO state, message, hint
    FROM pg_temp.expect_error(format('COPY %I FROM %L WITH (FORMAT binary)', 'bad_binary_' || type, path));
END $$;
