/*
 * fuzz.h
 *		The fuzz targets of conversions_fuzz.so: each takes one input and
 *		either gets a PostgreSQL error (a refused input, fine) or must hold
 *		its invariants (round trips, its own output accepted); a broken
 *		invariant calls fuzz_fail, which aborts so that the fuzzer (or the
 *		corpus replay) reports it.
 */
#ifndef CONVERSIONS_FUZZ_H
#define CONVERSIONS_FUZZ_H

#include "postgres.h"

#include "common/pg_compat.h"

typedef void (*FuzzTarget) (const uint8 *data, size_t size);

extern FuzzTarget fuzz_target_lookup(const char *name);
extern const char *fuzz_target_names(void);
pg_noreturn extern void fuzz_fail(const char *what);
extern List *fuzz_state_seeds(const char *target);

#endif							/* CONVERSIONS_FUZZ_H */
