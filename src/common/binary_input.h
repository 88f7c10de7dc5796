/*
 * binary_input.h
 *		Shared checks of the binary (receive) forms of this extension's
 *		types: nothing is read before it is known to be there.
 */
#ifndef CONVERSIONS_BINARY_INPUT_H
#define CONVERSIONS_BINARY_INPUT_H

#include "postgres.h"

#include "common/pg_compat.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"

/* Error for a binary value of `type` that cannot be trusted. */
static inline void
binary_input_error(const char *type, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary %s value: %s", type, what),
			 errhint("Binary %s values must come from %s_send of this version of the conversions extension.",
					 type, type)));
}

/* Refuse a message with fewer than n bytes left, before reading them. */
static inline void
binary_input_need(StringInfo buf, int64 n, const char *type)
{
	if (n < 0 || n > buf->len - buf->cursor)
		binary_input_error(type, "truncated");
}

/*
 * Read the version byte that starts a value of `type` (the caller has
 * checked it is there) and refuse any version but `version`.
 */
static inline uint8
binary_input_version(StringInfo buf, const char *type, int version)
{
	uint8		v = (uint8) pq_getmsgbyte(buf);

	if (v != version)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported %s format version %d", type, v),
				 errhint("This version of the conversions extension reads %s format version %d.",
						 type, version)));
	return v;
}

#endif							/* CONVERSIONS_BINARY_INPUT_H */
