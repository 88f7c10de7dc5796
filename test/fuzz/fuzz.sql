-- The fuzz module's SQL functions; :'module' is the path of conversions_fuzz.so.
-- Load in a database (or session) where conversions.so is not loaded.
CREATE OR REPLACE FUNCTION conversions_fuzz_one(target text, input bytea) RETURNS text
AS :'module', 'conversions_fuzz_one' LANGUAGE C STRICT;
CREATE OR REPLACE FUNCTION conversions_fuzz_replay(target text, dir text) RETURNS bigint
AS :'module', 'conversions_fuzz_replay' LANGUAGE C STRICT;
CREATE OR REPLACE FUNCTION conversions_fuzz_run(target text, seconds int, corpus text, artifact_prefix text)
RETURNS int AS :'module', 'conversions_fuzz_run' LANGUAGE C STRICT;
CREATE OR REPLACE FUNCTION conversions_fuzz_seeds(target text) RETURNS bytea[]
AS :'module', 'conversions_fuzz_seeds' LANGUAGE C STRICT;
