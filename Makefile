# conversions: PGXS build.  `make && make install`, then see README.md.
EXTENSION = conversions
EXTVERSION = 0.1.0

MODULE_big = conversions
# every .c file of src/ and its feature folders (see doc/architecture.md)
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c src/*/*.c)))
PG_CPPFLAGS = -I$(srcdir)/src

DATA = conversions--$(EXTVERSION).sql
# -Wno-sign-compare, -Wno-unused-parameter: PostgreSQL 15's own headers
# (utils/array.h, storage/bufpage.h, lib/ilist.h) trip them under -Wextra
PG_CFLAGS = -std=c99 -Wall -Wextra -Werror -Wno-sign-compare -Wno-unused-parameter

# pg_regress suites: sql/NAME.sql against expected/NAME.out
REGRESS = window_funnel window_funnel_errors window_funnel_vectors \
	funnel funnel_errors funnel_vectors funnel_options funnel_options_errors retention sequence sequence_next_node \
	attribution attribution_errors lift catalog limits
REGRESS_OPTS = --inputdir=.

EXTRA_CLEAN = results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS does not track header dependencies: rebuild every object when a header changes
$(OBJS): $(wildcard src/*/*.h)

# Development build with the extension's Assert()s checked: `make ASSERTS=1`
# (works against a server built without assertions)
ifdef ASSERTS
PG_CFLAGS += -DUSE_ASSERT_CHECKING
endif

# Development build with a sanitizer, e.g. `make SANITIZE=undefined`
ifdef SANITIZE
PG_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
SHLIB_LINK += -fsanitize=$(SANITIZE)
endif

# Unit tests of pure C modules (no server needed)
UNIT_CFLAGS = -std=c99 -O2 -Wall -Wextra -Werror -Wmissing-prototypes -Isrc
.PHONY: unittest
unittest: test/unit/duration_sketch_test test/unit/sequence_pattern_test \
		test/unit/attribution_credit_test
	./test/unit/duration_sketch_test
	./test/unit/sequence_pattern_test
	./test/unit/attribution_credit_test

test/unit/duration_sketch_test: test/unit/duration_sketch_test.c src/common/duration_sketch.c src/common/duration_sketch.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/duration_sketch_test.c src/common/duration_sketch.c -lm

test/unit/sequence_pattern_test: test/unit/sequence_pattern_test.c src/sequence/sequence_pattern.c src/sequence/sequence_pattern.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/sequence_pattern_test.c src/sequence/sequence_pattern.c

test/unit/attribution_credit_test: test/unit/attribution_credit_test.c src/attribution/attribution_credit.c src/attribution/attribution_credit.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/attribution_credit_test.c src/attribution/attribution_credit.c -lm

EXTRA_CLEAN += test/unit/duration_sketch_test test/unit/sequence_pattern_test \
	test/unit/attribution_credit_test

# pgTAP property suites (needs a running server and the extension installed)
.PHONY: prove bench
prove:
	pg_prove --ext .sql test/*.sql

# Benchmark on generated data; not part of the test suite.  USERS=500000 by default.
bench:
	bash test/bench/bench.sh
