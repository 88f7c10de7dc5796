# conversions: PGXS build.  `make && make install`, then see README.md.
EXTENSION = conversions
EXTVERSION = 0.2.0

MODULE_big = conversions
# every .c file of src/ and its feature folders (see doc/architecture.md);
# $(srcdir) so that VPATH builds (pg_buildext) find them too
OBJS = $(patsubst $(srcdir)/%.c,%.o,$(sort $(wildcard $(srcdir)/src/*.c $(srcdir)/src/*/*.c)))
PG_CPPFLAGS = -I$(srcdir)/src

# the current install script, every released one and the upgrade scripts
DATA = $(notdir $(wildcard $(srcdir)/conversions--*.sql))
# -Wno-sign-compare, -Wno-unused-parameter: PostgreSQL 15's own headers
# (utils/array.h, storage/bufpage.h, lib/ilist.h) trip them under -Wextra
PG_CFLAGS = -std=c99 -Wall -Wextra -Wno-sign-compare -Wno-unused-parameter

# Warnings are errors in CI and scripts/test.sh (`make WERROR=1`), never in a
# user's `make`: a newer compiler or server header must not stop an install.
ifdef WERROR
PG_CFLAGS += -Werror
endif

# pg_regress suites: sql/NAME.sql against expected/NAME.out
REGRESS = window_funnel window_funnel_errors window_funnel_vectors \
	funnel funnel_errors funnel_input funnel_vectors funnel_options funnel_options_errors funnel_entry_range funnel_labels funnel_arguments funnel_reports retention sequence sequence_match_events sequence_next_node sequence_next_node_wide \
	attribution attribution_errors lift infinite_times catalog limits sequence_limits \
	mixed_support_functions funnel_people paths paths_errors \
	window_funnel_integer_time funnel_integer_time \
	sequence_integer_time attribution_lift_integer_time
REGRESS_OPTS = --inputdir=$(srcdir)

EXTRA_CLEAN = results regression.diffs regression.out

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

# PGXS does not track header dependencies: rebuild every object when a header changes
$(OBJS): $(wildcard $(srcdir)/src/*/*.h)

# a VPATH build (pg_buildext) writes objects under its own src/ folders
ifdef VPATH
$(shell mkdir -p $(sort $(dir $(OBJS))))
endif

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
UNIT_CFLAGS = -std=c99 -O2 -Wall -Wextra -Wmissing-prototypes -Isrc
ifdef WERROR
UNIT_CFLAGS += -Werror
endif
.PHONY: unittest
unittest: test/unit/duration_sketch_test test/unit/sequence_pattern_test \
		test/unit/attribution_credit_test
	./test/unit/duration_sketch_test
	./test/unit/sequence_pattern_test
	./test/unit/attribution_credit_test

test/unit/duration_sketch_test: test/unit/duration_sketch_test.c src/common/duration_sketch.c src/common/duration_sketch.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/duration_sketch_test.c src/common/duration_sketch.c -lm

test/unit/sequence_pattern_test: test/unit/sequence_pattern_test.c src/sequence/sequence_pattern.c src/sequence/sequence_pattern.h src/common/time_window.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/sequence_pattern_test.c src/sequence/sequence_pattern.c

test/unit/attribution_credit_test: test/unit/attribution_credit_test.c src/attribution/attribution_credit.c src/attribution/attribution_credit.h
	$(CC) $(UNIT_CFLAGS) -o $@ test/unit/attribution_credit_test.c src/attribution/attribution_credit.c -lm

EXTRA_CLEAN += test/unit/duration_sketch_test test/unit/sequence_pattern_test \
	test/unit/attribution_credit_test

# pgTAP property suites (needs a running server and the extension installed)
.PHONY: prove bench
prove:
	pg_prove --ext .sql test/*.sql

# PGXN release zip of the committed tree: conversions-VERSION.zip
.PHONY: dist
dist:
	git archive --format zip --prefix=$(EXTENSION)-$(EXTVERSION)/ -o $(EXTENSION)-$(EXTVERSION).zip HEAD

EXTRA_CLEAN += $(EXTENSION)-$(EXTVERSION).zip

# Benchmark on generated data; not part of the test suite.  USERS=500000 by default.
bench:
	bash test/bench/bench.sh
