-- pg_temp.expect_error(stmt): run a statement and return its SQLSTATE,
-- message and hint ('no error' when it succeeds), for the error catalogues
-- in sql/*.sql.
CREATE FUNCTION pg_temp.expect_error(stmt text,
    OUT state text, OUT message text, OUT hint text)
LANGUAGE plpgsql AS $$
BEGIN
    EXECUTE stmt;
    state := 'no error';
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS state = RETURNED_SQLSTATE,
                            message = MESSAGE_TEXT, hint = PG_EXCEPTION_HINT;
END $$;
