/*
 * funnel_args.c
 *		Checking the definition arguments shared by the funnel aggregates:
 *		window, mode and the array of step conditions.
 */
#include "postgres.h"

#include "funnel_args.h"
#include "funnel_mode.h"
#include "utils/timestamp.h"

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
uint32
funnel_mode_argument(FunctionCallInfo fcinfo, int argno)
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
int64
funnel_window_argument(FunctionCallInfo fcinfo, int argno)
{
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("funnel window must not be NULL"),
				 errhint("Pass a window such as interval '1 day'.")));
	return funnel_window_from_interval(PG_GETARG_INTERVAL_P(argno));
}

/* Number of step conditions in the VARIADIC array, 1..FUNNEL_MAX_STEPS. */
int32
funnel_step_array(FunctionCallInfo fcinfo, int argno, ArrayType **steps)
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
 * Number of conditions in the VARIADIC boolean array of aggregate `name`
 * (retention, sequence_match, ...), min_count..FUNNEL_MAX_STEPS.
 */
int32
funnel_condition_array(FunctionCallInfo fcinfo, int argno, const char *name,
					   int min_count, ArrayType **arr)
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
	if (n > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_TOO_MANY_ARGUMENTS),
				 errmsg("%s has %d conditions, more than the maximum of %d",
						name, n, FUNNEL_MAX_STEPS),
				 errhint("Combine conditions with OR, or split the query.")));
	return n;
}
