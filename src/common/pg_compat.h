/*
 * pg_compat.h
 *		The differences between the PostgreSQL versions the extension
 *		builds against (13 to 18; 15, 17 and 18 are tested), in one place:
 *		nothing else in the code tests PG_VERSION_NUM.
 *
 * Include it right after postgres.h wherever a difference matters.
 */
#ifndef CONVERSIONS_PG_COMPAT_H
#define CONVERSIONS_PG_COMPAT_H

#include "postgres.h"

/* 16 moved the varlena macros (VARDATA, SET_VARSIZE, ...) to varatt.h. */
#if PG_VERSION_NUM >= 160000
#include "varatt.h"
#endif

/*
 * 18 replaced the suffix pg_attribute_noreturn() by the prefix pg_noreturn.
 * Declarations here use the prefix; before 18 it is the same GCC/Clang
 * attribute, which may also stand before a declaration.
 */
#ifndef pg_noreturn
#define pg_noreturn pg_attribute_noreturn()
#endif

#endif							/* CONVERSIONS_PG_COMPAT_H */
