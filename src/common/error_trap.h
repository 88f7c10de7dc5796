/*
 * error_trap.h
 *		Run a function and, when it raises a data error (bad syntax, a value
 *		out of range), get the error's message back instead, so that the
 *		caller reports it in its own terms.  Other errors, such as a cancel,
 *		pass through.
 */
#ifndef CONVERSIONS_ERROR_TRAP_H
#define CONVERSIONS_ERROR_TRAP_H

#include "postgres.h"

#include "common/pg_compat.h"
#include "fmgr.h"

extern bool error_trap_call(void (*fn) (void *arg), void *arg, char **message);
extern bool error_trap_input(PGFunction fn, const char *str, Datum *result, char **message);

#endif							/* CONVERSIONS_ERROR_TRAP_H */
