/*
 * time_to_convert_histogram.c
 *		time_to_convert_histogram(funnel, from, to, bounds): how many
 *		entities took how long from one step to another, in buckets
 *		[0, b1), [b1, b2), ..., [bn, +inf) of the caller's bounds.
 *
 * Read from the duration sketch (common/duration_sketch.h): the entities
 * of each sketch bucket are counted at the value a quantile in that bucket
 * reads as (its representative rounded to a microsecond, clamped to the
 * exact min and max), which is within the sketch's relative error alpha
 * (1%) of each of their times (the rounding adds at most half a
 * microsecond).  So an entity lands in the wrong bucket only when a bound
 * lies between its time t and that value: |t - bound| <= 1% of t, rounded
 * to the microsecond (t, the bound and the value are whole microseconds).
 * Zero times are exact, one-entity funnels are exact, and the counts always
 * add up to the entities that reached the later step.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/duration_sketch.h"
#include "common/interval_usecs.h"
#include "common/pg_compat.h"
#include "funcapi.h"
#include "funnel/funnel.h"
#include "funnel/funnel_report.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(time_to_convert_histogram);
PG_FUNCTION_INFO_V1(time_to_convert_histogram_by_label);

/* What the calls of one histogram return, computed on the first call. */
typedef struct HistogramState
{
	int			nbounds;
	Datum	   *bounds;			/* the caller's intervals */
	int64	   *counts;			/* nbounds + 1 buckets */
} HistogramState;

/* An interval as text, for error messages. */
static char *
interval_text(Datum iv)
{
	return DatumGetCString(DirectFunctionCall1(interval_out, iv));
}

/*
 * The bounds argument as microseconds (30-day months, 24-hour days, as the
 * funnel window): a one-dimensional array, no NULL, each positive and
 * finite, strictly increasing.  Sets *datums to the elements (in the
 * current memory context) and returns their number.
 */
static int
read_bounds(ArrayType *arr, Datum **datums, int64 **us)
{
	bool	   *isnull;
	int			n,
				i;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("bounds must be a one-dimensional array, got %d dimensions", ARR_NDIM(arr)),
				 errhint("Pass the bucket bounds as ARRAY[interval '1 minute', '1 hour', ...].")));
	deconstruct_array(arr, INTERVALOID, sizeof(Interval), false, TYPALIGN_DOUBLE,
					  datums, &isnull, &n);
	*us = palloc(sizeof(int64) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (isnull[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("bounds[%d] is NULL", i + 1),
					 errhint("Every bucket bound must be an interval.")));
		if (!interval_usecs(DatumGetIntervalP((*datums)[i]), &(*us)[i]) || (*us)[i] == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bounds[%d] must be positive, got \"%s\"", i + 1,
							interval_text((*datums)[i])),
					 errhint("Times start at 0: the first bucket is [0, bounds[1]), so every bound is above 0.")));
		if ((*us)[i] == PG_INT64_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bounds[%d] is infinite or too large: \"%s\"", i + 1,
							interval_text((*datums)[i])),
					 errhint("The last bucket already has no upper bound: pass finite bounds.")));
		if (i > 0 && (*us)[i] <= (*us)[i - 1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("bounds must increase: bounds[%d] \"%s\" is not above bounds[%d] \"%s\"",
							i + 1, interval_text((*datums)[i]), i, interval_text((*datums)[i - 1])),
					 errhint("List each bound once, in increasing order; a month counts as 30 days and a day as 24 hours.")));
	}
	return n;
}

/* The bucket of time t (>= 0): how many bounds are at or below it. */
static int
bucket_of(int64 t, const int64 *bounds, int nbounds, int from)
{
	int			b = from;

	while (b < nbounds && bounds[b] <= t)
		b++;
	return b;
}

/*
 * Count step to's (1-based) times of the given kind into counts[0 ..
 * nbounds]: exactly for a one-entity funnel and for zero times, else each
 * sketch bucket at its rounded representative clamped to [min, max].
 * Values grow with the sketch bucket, so one pass over the bounds places
 * them all.
 */
static void
count_times(const Funnel *f, int32 to, int kind, const int64 *bounds, int nbounds,
			int64 *counts)
{
	const DurationStats *st;
	const uint64 *sketch;
	int			b = 0;
	int32		i;

	if (funnel_is_single(f))
	{
		int64		t = funnel_single_time(f, to - 1, kind);

		if (t >= 0)
			counts[bucket_of(t, bounds, nbounds, 0)] = 1;
		return;
	}
	st = funnel_step_stats(f, to - 1, kind, &sketch);
	if (st->count == 0)
		return;
	counts[0] += (int64) st->zeros;
	for (i = 0; i < st->nbuckets; i++)
	{
		int64		v;

		if (sketch[i] == 0)
			continue;
		v = duration_sketch_rounded_value(st->first_bucket + i);
		v = Min(Max(v, st->min), st->max);
		b = bucket_of(v, bounds, nbounds, b);
		counts[b] += (int64) sketch[i];
	}
}

/*
 * The first call of either form: read the bounds and count, for checked
 * steps from < to, in the calls' memory context.
 */
static HistogramState *
histogram_state(const Funnel *f, int32 from, int32 to, ArrayType *bounds_arg)
{
	HistogramState *hs = palloc(sizeof(HistogramState));
	int			kind = funnel_time_kind(from, to);
	int64	   *us;

	hs->nbounds = read_bounds(bounds_arg, &hs->bounds, &us);
	hs->counts = palloc0(sizeof(int64) * (hs->nbounds + 1));
	count_times(f, to, kind, us, hs->nbounds, hs->counts);
	return hs;
}

/* One row per bucket: its 1-based number, lower and upper bound, count. */
static Datum
histogram_next(FunctionCallInfo fcinfo, FuncCallContext *funcctx)
{
	HistogramState *hs = (HistogramState *) funcctx->user_fctx;
	int			k = (int) funcctx->call_cntr;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	values[0] = Int32GetDatum(k + 1);
	values[1] = k > 0 ? hs->bounds[k - 1] : funnel_interval_datum(0);
	if (k < hs->nbounds)
		values[2] = hs->bounds[k];
	else
		nulls[2] = true;
	values[3] = Int64GetDatum(hs->counts[k]);
	return HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls));
}

/* Set up the calls of an SRF whose rows histogram_state counts. */
static FuncCallContext *
histogram_first_call(FunctionCallInfo fcinfo, const char *name,
					 Funnel *(*steps) (FunctionCallInfo fcinfo, int32 *from, int32 *to))
{
	FuncCallContext *funcctx = SRF_FIRSTCALL_INIT();
	MemoryContext old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
	TupleDesc	tupdesc;
	Funnel	   *f;
	int32		from,
				to;
	HistogramState *hs;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "%s must return a composite type", name);
	funcctx->tuple_desc = BlessTupleDesc(tupdesc);
	f = steps(fcinfo, &from, &to);
	funnel_check_timestamps(f, name);
	hs = histogram_state(f, from, to, PG_GETARG_ARRAYTYPE_P_COPY(3));
	funcctx->user_fctx = hs;
	funcctx->max_calls = hs->nbounds + 1;
	MemoryContextSwitchTo(old);
	return funcctx;
}

/* The funnel and checked steps of the by-number form. */
static Funnel *
steps_by_number(FunctionCallInfo fcinfo, int32 *from, int32 *to)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);

	*from = PG_GETARG_INT32(1);
	*to = PG_GETARG_INT32(2);
	funnel_check_step_pair(f, *from, *to);
	return f;
}

/* The funnel and checked steps of the by-label form. */
static Funnel *
steps_by_label(FunctionCallInfo fcinfo, int32 *from, int32 *to)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	text	   *from_label = PG_GETARG_TEXT_PP(1);
	text	   *to_label = PG_GETARG_TEXT_PP(2);

	funnel_steps_of_labels(f, from_label, to_label, from, to);
	return f;
}

/*
 * time_to_convert_histogram(funnel, from_step, to_step, bounds): per
 * bucket of the bounds, the entities that reached to_step whose time from
 * from_step (to_step - 1 or 1, as time_to_convert) falls in it.
 */
Datum
time_to_convert_histogram(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	Datum		row;

	if (SRF_IS_FIRSTCALL())
		histogram_first_call(fcinfo, "time_to_convert_histogram", steps_by_number);
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr >= funcctx->max_calls)
		SRF_RETURN_DONE(funcctx);
	/* before SRF_RETURN_NEXT, which counts the call before using its result */
	row = histogram_next(fcinfo, funcctx);
	SRF_RETURN_NEXT(funcctx, row);
}

/*
 * time_to_convert_histogram(funnel, from_label, to_label, bounds): the
 * same between the steps with these names.
 */
Datum
time_to_convert_histogram_by_label(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	Datum		row;

	if (SRF_IS_FIRSTCALL())
		histogram_first_call(fcinfo, "time_to_convert_histogram", steps_by_label);
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr >= funcctx->max_calls)
		SRF_RETURN_DONE(funcctx);
	/* before SRF_RETURN_NEXT, which counts the call before using its result */
	row = histogram_next(fcinfo, funcctx);
	SRF_RETURN_NEXT(funcctx, row);
}
