/*
 * integer_time.h
 *		Event times kept as integers (bigint columns: epoch seconds,
 *		milliseconds, ClickHouse's UInt times): how an aggregate tells that
 *		its time argument is one, and the two values it refuses.
 *
 * Integer times are unitless: the walks compare and subtract them exactly
 * as they do microseconds, and nothing converts them to or from time.
 * Inside the walks the smallest and largest int64 are -infinity and
 * infinity (common/time_window.h), so an integer time at either is refused
 * (22008) rather than read as an infinity.
 */
#ifndef CONVERSIONS_INTEGER_TIME_H
#define CONVERSIONS_INTEGER_TIME_H

#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/pg_compat.h"
#include "fmgr.h"

/* Whether argument argno of the call is a bigint (the integer-time forms). */
static inline bool
integer_time_argument(FunctionCallInfo fcinfo, int argno)
{
	return get_fn_expr_argtype(fcinfo->flinfo, argno) == INT8OID;
}

/*
 * Refuse an integer time that would read as an infinite timestamp;
 * `aggregate` names the caller in the message.
 */
static inline void
integer_time_check(int64 t, const char *aggregate)
{
	if (unlikely(t == PG_INT64_MIN || t == PG_INT64_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s: integer time " INT64_FORMAT " is out of range", aggregate, t),
				 errhint("Integer times must lie strictly between the smallest and the largest bigint, which stand for -infinity and infinity.")));
}

#endif							/* CONVERSIONS_INTEGER_TIME_H */
