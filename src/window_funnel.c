/*
 * window_funnel.c
 *		SQL-callable support functions of the window_funnel aggregate.
 *
 * window_funnel(window, [mode,] ts, VARIADIC steps) collects one
 * (timestamp, step mask) entry per row in an EventBuffer and computes the
 * level in the final function.  The same C functions serve timestamptz and
 * timestamp (both are int64 microseconds) and the forms with and without a
 * mode (told apart by argument count).
 */
#include "postgres.h"

#include "event_buffer.h"
#include "fmgr.h"
#include "funnel_mode.h"
#include "utils/array.h"
#include "utils/timestamp.h"
#include "window_funnel_level.h"

PG_FUNCTION_INFO_V1(window_funnel_transition);
PG_FUNCTION_INFO_V1(window_funnel_final);
PG_FUNCTION_INFO_V1(window_funnel_combine);
PG_FUNCTION_INFO_V1(window_funnel_serialize);
PG_FUNCTION_INFO_V1(window_funnel_deserialize);

/*
 * The last mode string seen by this call site and its parsed flags, kept in
 * fn_extra so that a constant mode is parsed once per query, not per row.
 */
typedef struct ModeCache
{
	uint32		modes;
	int			len;
	char		text[FLEXIBLE_ARRAY_MEMBER];
} ModeCache;

/* Flags of the mode argument, parsing it only when its text changes. */
static uint32
mode_argument(FunctionCallInfo fcinfo, int argno)
{
	text	   *mode;
	ModeCache  *cache = (ModeCache *) fcinfo->flinfo->fn_extra;
	int			len;
	uint32		modes;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("funnel mode must not be NULL"),
				 errhint("Pass '' for the default mode.")));
	mode = PG_GETARG_TEXT_PP(argno);
	len = VARSIZE_ANY_EXHDR(mode);
	if (cache != NULL && cache->len == len &&
		memcmp(cache->text, VARDATA_ANY(mode), len) == 0)
		return cache->modes;

	modes = funnel_parse_modes(VARDATA_ANY(mode), len);
	if (cache == NULL || cache->len < len)
	{
		if (cache != NULL)
			pfree(cache);
		cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
								   offsetof(ModeCache, text) + len + 1);
		fcinfo->flinfo->fn_extra = cache;
	}
	cache->modes = modes;
	cache->len = len;
	memcpy(cache->text, VARDATA_ANY(mode), len);
	return modes;
}

/* The window argument in microseconds; NULL and negative are errors. */
static int64
window_argument(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("funnel window must not be NULL"),
				 errhint("Pass a window such as interval '1 day'.")));
	return funnel_window_from_interval(PG_GETARG_INTERVAL_P(1));
}

/* Number of step conditions in the VARIADIC array, 1..FUNNEL_MAX_STEPS. */
static int32
step_count(FunctionCallInfo fcinfo, int argno, ArrayType **steps)
{
	ArrayType  *arr;
	int32		n;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("funnel step array must not be NULL"),
				 errhint("Pass the step conditions as separate arguments, such as event = 'view', event = 'cart'.")));
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel step array must be one-dimensional, got %d dimensions",
						ARR_NDIM(arr)),
				 errhint("Pass the step conditions as separate arguments.")));
	n = ARR_NDIM(arr) == 0 ? 0 : ARR_DIMS(arr)[0];
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel needs at least one step condition, got 0"),
				 errhint("Pass one boolean condition per step, such as event = 'view'.")));
	if (n > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_TOO_MANY_ARGUMENTS),
				 errmsg("funnel has %d step conditions, more than the maximum of %d",
						n, FUNNEL_MAX_STEPS),
				 errhint("Split the funnel, or combine conditions with OR.")));
	*steps = arr;
	return n;
}

/*
 * Bit i of the result is set when step i+1's condition is true; NULL counts
 * as false.  Reads the array's data and null bitmap in place.
 */
static inline uint32
step_mask(const ArrayType *arr, int32 n)
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

/*
 * Transition: validate the definition arguments, then store the row's
 * (timestamp, mask) unless it matches no step and the mode does not need it.
 * Rows with a NULL timestamp are skipped.
 */
Datum
window_funnel_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	EventBuffer *state;
	bool		has_mode = PG_NARGS() == 5;
	int			ts_arg = has_mode ? 3 : 2;
	int64		window;
	uint32		modes;
	ArrayType  *steps;
	int32		nsteps;
	uint32		mask;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "window_funnel_transition called in non-aggregate context");

	window = window_argument(fcinfo);
	modes = has_mode ? mode_argument(fcinfo, 2) : 0;
	nsteps = step_count(fcinfo, ts_arg + 1, &steps);

	if (PG_ARGISNULL(0))
		state = event_buffer_create(aggcxt, window, modes, nsteps, 0);
	else
	{
		state = (EventBuffer *) PG_GETARG_POINTER(0);
		if (unlikely(state->window != window || state->modes != modes ||
					 state->nsteps != nsteps))
			event_buffer_check_definition(state, window, modes, nsteps);
	}

	if (PG_ARGISNULL(ts_arg))
		PG_RETURN_POINTER(state);
	mask = step_mask(steps, nsteps);
	if (mask != 0 || (modes & FUNNEL_MODE_STRICT_ORDER))
		state = event_buffer_append(state, PG_GETARG_INT64(ts_arg), mask);
	PG_RETURN_POINTER(state);
}

/*
 * Final: the longest chain reached, 0 for a group without events.  Sorting
 * reorders the buffer in place but keeps its contents, so the state remains
 * usable (the aggregate is declared FINALFUNC_MODIFY = READ_ONLY).
 */
Datum
window_funnel_final(PG_FUNCTION_ARGS)
{
	EventBuffer *state;

	if (PG_ARGISNULL(0))
		PG_RETURN_INT32(0);
	state = (EventBuffer *) PG_GETARG_POINTER(0);
	event_buffer_sort(state);
	PG_RETURN_INT32(window_funnel_level(state));
}

/*
 * Combine two partial states.  The first is updated in place; when it is
 * missing, the second is copied into the aggregate context because it may
 * live in a shorter-lived one (deserialized input).
 */
Datum
window_funnel_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	EventBuffer *dst;
	EventBuffer *src;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "window_funnel_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	src = (EventBuffer *) PG_GETARG_POINTER(1);
	if (PG_ARGISNULL(0))
		dst = event_buffer_create(aggcxt, src->window, src->modes, src->nsteps,
								  src->nevents);
	else
		dst = (EventBuffer *) PG_GETARG_POINTER(0);
	dst = event_buffer_merge(dst, src);
	PG_RETURN_POINTER(dst);
}

/* Serialize a partial state for a parallel worker's leader or a spill. */
Datum
window_funnel_serialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(event_buffer_serialize((EventBuffer *) PG_GETARG_POINTER(0)));
}

/* Rebuild a partial state, validating every field of the bytes first. */
Datum
window_funnel_deserialize(PG_FUNCTION_ARGS)
{
	PG_RETURN_POINTER(event_buffer_deserialize(PG_GETARG_BYTEA_PP(0),
											   CurrentMemoryContext));
}
