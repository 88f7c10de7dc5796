-- pg_temp.bad_text(t, type): parse t as a value of `type` (default funnel)
-- and return its SQLSTATE, detail (or message) and hint ('no error' when it
-- parses), for the error catalogues in sql/*.sql.
CREATE FUNCTION pg_temp.bad_text(t text, type text DEFAULT 'funnel',
    OUT state text, OUT message text, OUT hint text)
LANGUAGE plpgsql AS $$
DECLARE
    detail text;
BEGIN
    EXECUTE format('SELECT %L::%s', t, type);
    state := 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE, message = MESSAGE_TEXT,
                            detail = PG_EXCEPTION_DETAIL, hint = PG_EXCEPTION_HINT;
    IF detail <> '' THEN
        message := left(message, 40) || '... DETAIL: ' || detail;
    END IF;
END $$;
