/*
 * funnel_args.h
 *		Definition arguments of the funnel aggregates (window, mode, steps).
 */
#ifndef CONVERSIONS_FUNNEL_ARGS_H
#define CONVERSIONS_FUNNEL_ARGS_H

#include "postgres.h"

#include "event_buffer.h"
#include "fmgr.h"
#include "utils/array.h"

extern uint32 funnel_mode_argument(FunctionCallInfo fcinfo, int argno);
extern int64 funnel_window_argument(FunctionCallInfo fcinfo, int argno);
extern int32 funnel_step_array(FunctionCallInfo fcinfo, int argno, ArrayType **steps);
extern int32 funnel_condition_array(FunctionCallInfo fcinfo, int argno, const char *name,
									 int min_count, ArrayType **arr);

/*
 * Bit i of the result is set when step i+1's condition is true; NULL counts
 * as false.  Reads the array's data and null bitmap in place.
 */
static inline uint32
funnel_step_mask(const ArrayType *arr, int32 n)
{
	const bool *data = (const bool *) ARR_DATA_PTR(arr);
	const bits8 *nulls = ARR_NULLBITMAP((ArrayType *) arr);
	uint32		mask = 0;
	int32		i;

	if (nulls == NULL)
	{
		for (i = 0; i < n; i++)
			mask |= (uint32) (data[i] != 0) << i;
	}
	else
	{
		for (i = 0; i < n; i++)
		{
			if (nulls[i >> 3] & (1 << (i & 7)))
				mask |= (uint32) (*data++ != 0) << i;
		}
	}
	return mask;
}


#endif							/* CONVERSIONS_FUNNEL_ARGS_H */
