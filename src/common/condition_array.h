/*
 * condition_array.h
 *		The VARIADIC boolean array of conditions that the per-entity
 *		aggregates take (steps, sequence conditions, retention's): its checks,
 *		and reading it as a bit mask in place, without deconstructing it.
 */
#ifndef CONVERSIONS_CONDITION_ARRAY_H
#define CONVERSIONS_CONDITION_ARRAY_H

#include "postgres.h"

#include "common/limits.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "utils/array.h"

extern int32 condition_array(FunctionCallInfo fcinfo, int argno, const char *name,
							 int min_count, ArrayType **arr);
extern int32 condition_array_max(FunctionCallInfo fcinfo, int argno, const char *name,
								 int min_count, int max_count, ArrayType **arr);

/*
 * Bit i of the result is set when condition i+1 is true (n <= 64); NULL
 * counts as false.  Reads the array's data and null bitmap in place.
 */
static inline uint64
condition_mask64(const ArrayType *arr, int32 n)
{
	const bool *data = (const bool *) ARR_DATA_PTR(arr);
	const bits8 *nulls = ARR_NULLBITMAP((ArrayType *) arr);
	uint64		mask = 0;
	int32		i;

	if (nulls == NULL)
	{
		for (i = 0; i < n; i++)
			mask |= (uint64) (data[i] != 0) << i;
	}
	else
	{
		for (i = 0; i < n; i++)
		{
			if (nulls[i >> 3] & (1 << (i & 7)))
				mask |= (uint64) (*data++ != 0) << i;
		}
	}
	return mask;
}

/* The same for at most MAX_CONDITIONS (32) conditions, as a uint32. */
static inline uint32
condition_mask(const ArrayType *arr, int32 n)
{
	Assert(n <= MAX_CONDITIONS);
	return (uint32) condition_mask64(arr, n);
}

#endif							/* CONVERSIONS_CONDITION_ARRAY_H */
