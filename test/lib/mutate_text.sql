-- pg_temp.mutate_text(t, chars): t with 1 to 4 random edits, each replacing
-- a character by one of `chars`, deleting 1 to 6 characters or inserting
-- one of `chars`, for the text-mutation suites.  Uses random(), so the
-- caller's setseed() fixes the edits.
CREATE FUNCTION pg_temp.mutate_text(t text, chars text) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    m text := t;
    pos int;
BEGIN
    FOR k IN 1..(1 + (random() * 3)::int) LOOP
        pos := 1 + (random() * (length(m) - 1))::int;
        CASE (random() * 2)::int
            WHEN 0 THEN m := overlay(m placing substr(chars, 1 + (random() * (length(chars) - 1))::int, 1) from pos for 1);
            WHEN 1 THEN m := overlay(m placing '' from pos for 1 + (random() * 5)::int);
            ELSE m := overlay(m placing substr(chars, 1 + (random() * (length(chars) - 1))::int, 1) from pos for 0);
        END CASE;
    END LOOP;
    RETURN m;
END $$;
