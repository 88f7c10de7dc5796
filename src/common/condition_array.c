/*
 * condition_array.c
 *		Checking the VARIADIC boolean condition array of an aggregate.
 */
#include "postgres.h"

#include "common/condition_array.h"
#include "common/pg_compat.h"

/*
 * Number of conditions in the VARIADIC boolean array of aggregate `name`
 * (retention, sequence_match, ...), min_count..MAX_CONDITIONS.
 */
int32
condition_array(FunctionCallInfo fcinfo, int argno, const char *name,
					   int min_count, ArrayType **arr)
{
	return condition_array_max(fcinfo, argno, name, min_count, MAX_CONDITIONS, arr);
}

/*
 * The same with an aggregate's own maximum (sequence_next_node takes 64
 * conditions, the others MAX_CONDITIONS): min_count..max_count.
 */
int32
condition_array_max(FunctionCallInfo fcinfo, int argno, const char *name,
					int min_count, int max_count, ArrayType **arr)
{
	int32		n;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s condition array must not be NULL", name),
				 errhint("Pass the conditions as separate arguments, such as event = 'view', event = 'cart'.")));
	*arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(*arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s condition array must be one-dimensional, got %d dimensions",
						name, ARR_NDIM(*arr)),
				 errhint("Pass the conditions as separate arguments.")));
	n = ARR_NDIM(*arr) == 0 ? 0 : ARR_DIMS(*arr)[0];
	if (n < min_count)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs at least one condition, got 0", name),
				 errhint("Pass one boolean condition per event kind, such as event = 'view'.")));
	if (n > max_count)
		ereport(ERROR,
				(errcode(ERRCODE_TOO_MANY_ARGUMENTS),
				 errmsg("%s has %d conditions, more than the maximum of %d",
						name, n, max_count),
				 errhint("Combine conditions with OR, or split the query.")));
	return n;
}
