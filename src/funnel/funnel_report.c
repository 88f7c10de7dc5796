/*
 * funnel_report.c
 *		Accessors that turn a `funnel` into plain columns: funnel_steps,
 *		entities, reached, conversion_rate, time_to_convert (by step number
 *		or by step name), max_step, entry_time, breakdown.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/pg_compat.h"
#include "funcapi.h"
#include "funnel/funnel.h"
#include "funnel/funnel_report.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(funnel_steps);
PG_FUNCTION_INFO_V1(funnel_entities_sql);
PG_FUNCTION_INFO_V1(funnel_reached_sql);
PG_FUNCTION_INFO_V1(funnel_conversion_rate);
PG_FUNCTION_INFO_V1(funnel_time_to_convert);
PG_FUNCTION_INFO_V1(funnel_max_step);
PG_FUNCTION_INFO_V1(funnel_entry_time);
PG_FUNCTION_INFO_V1(funnel_breakdown);
PG_FUNCTION_INFO_V1(funnel_reached_by_label);
PG_FUNCTION_INFO_V1(funnel_conversion_rate_by_label);
PG_FUNCTION_INFO_V1(funnel_time_to_convert_by_label);

/* Check that a 1-based step number names a step of f. */
static void
check_step(const Funnel *f, int32 step, const char *argname)
{
	if (step < 1 || step > f->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %d is out of range for a funnel of %d steps",
						argname, step, f->nsteps),
				 errhint("Steps are numbered from 1 to %d.", f->nsteps)));
}

/* check_step for the accessors of other files (funnel_people_report.c). */
void
funnel_check_step(const Funnel *f, int32 step, const char *argname)
{
	check_step(f, step, argname);
}

/* An interval of d microseconds. */
Datum
funnel_interval_datum(int64 d)
{
	Interval   *iv = palloc(sizeof(Interval));

	iv->time = d;
	iv->day = 0;
	iv->month = 0;
	return IntervalPGetDatum(iv);
}

/*
 * Refuse a funnel built over integer times for report `name`, whose result
 * is an interval or a timestamp: the funnel's times are units of an
 * integer column that nothing here may read as microseconds.
 */
void
funnel_check_timestamps(const Funnel *f, const char *name)
{
	if (funnel_integer_time(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel \"%s\" needs timestamps: this funnel was built over integer times", name),
				 errhint("Build the funnel over to_timestamp(ts) (epoch seconds) or to_timestamp(ts / 1000.0) (milliseconds) with an interval window; the counting reports work on integer times as they are.")));
}

/*
 * Step k's label (0-based), or NULL when the funnel has no step names (its
 * labels may still hold an options string, which is no step's name).
 */
const char *
funnel_step_label(const Funnel *f, int k)
{
	const char *p = funnel_labels(f);

	if (!funnel_has_step_names(f))
		return NULL;
	while (k-- > 0)
		p += strlen(p) + 1;
	return p;
}

/* a / b, NULL (returns false) when b is 0 */
static bool
ratio(int64 a, int64 b, float8 *out)
{
	if (b == 0)
		return false;
	*out = (float8) a / (float8) b;
	return true;
}

/*
 * Check the confidence level of a report's intervals: strictly between 0
 * and 1 (a slip such as 95 for 0.95 is an error, not a degenerate
 * interval).  `name` is the report's SQL name.
 */
void
funnel_check_confidence(double confidence, const char *name)
{
	if (!(confidence > 0.0 && confidence < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s confidence must be between 0 and 1, got %g", name, confidence),
				 errhint("Pass a confidence level such as 0.95.")));
}

/*
 * Refuse a funnel that counts attempts (count=attempts) for report `name`,
 * whose statistics assume independent entities: one entity's attempts are
 * not independent, so their intervals would be too narrow.
 */
void
funnel_check_counts_entities(const Funnel *f, const char *name)
{
	if (funnel_counts_attempts(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not defined for a funnel that counts attempts", name),
				 errhint("Its statistics assume independent entities, and one entity's attempts are not: "
						 "build the funnel with count=uniques (the default), or read the rates alone with funnel_steps(f).")));
}

/*
 * funnel_steps(funnel): one row per step with entities entered, conversion
 * from the previous and the first step, entities dropped before the next
 * step, and time-to-convert quantiles (NULL for step 1, for steps no
 * entity reached, and in a funnel over integer times, whose times are no
 * intervals).
 */
Datum
funnel_steps(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	Funnel	   *f;
	int			k;
	Datum		values[9];
	bool		nulls[9];
	int64		entered,
				prev_entered,
				first_entered;
	float8		r = 0;
	int64		q;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "funnel_steps must return a composite type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		/* a copy that lives as long as the calls */
		funcctx->user_fctx = PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		funcctx->max_calls = ((Funnel *) funcctx->user_fctx)->nsteps;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr >= funcctx->max_calls)
		SRF_RETURN_DONE(funcctx);

	f = (Funnel *) funcctx->user_fctx;
	k = (int) funcctx->call_cntr;
	memset(nulls, 0, sizeof(nulls));
	entered = funnel_reached_count(f, k);
	prev_entered = k > 0 ? funnel_reached_count(f, k - 1) : entered;
	first_entered = funnel_reached_count(f, 0);

	values[0] = Int32GetDatum(k + 1);
	if (funnel_has_step_names(f))
		values[1] = CStringGetTextDatum(funnel_step_label(f, k));
	else
		nulls[1] = true;
	values[2] = Int64GetDatum(entered);
	nulls[3] = !ratio(entered, prev_entered, &r);
	values[3] = Float8GetDatum(r);
	nulls[4] = !ratio(entered, first_entered, &r);
	values[4] = Float8GetDatum(r);
	values[5] = Int64GetDatum(k + 1 < f->nsteps ? entered - funnel_reached_count(f, k + 1) : 0);
	nulls[6] = nulls[7] = nulls[8] = true;
	/* times of a funnel over integer times are no intervals: left NULL */
	if (k > 0 && !funnel_integer_time(f))
	{
		if ((q = funnel_quantile(f, k, FUNNEL_FROM_PREVIOUS, 0.5)) >= 0)
		{
			values[6] = funnel_interval_datum(q);
			nulls[6] = false;
		}
		if ((q = funnel_quantile(f, k, FUNNEL_FROM_FIRST, 0.5)) >= 0)
		{
			values[7] = funnel_interval_datum(q);
			nulls[7] = false;
		}
		if ((q = funnel_quantile(f, k, FUNNEL_FROM_FIRST, 0.9)) >= 0)
		{
			values[8] = funnel_interval_datum(q);
			nulls[8] = false;
		}
	}
	SRF_RETURN_NEXT(funcctx,
					HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
}

/* entities(funnel): how many entities the funnel counts. */
Datum
funnel_entities_sql(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(funnel_entities(PG_GETARG_FUNNEL_P(0)));
}

/* reached(funnel, step): how many entities reached the step. */
Datum
funnel_reached_sql(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	int32		step = PG_GETARG_INT32(1);

	check_step(f, step, "step");
	PG_RETURN_INT64(funnel_reached_count(f, step - 1));
}

/* Check a from/to pair of steps: both in range, from before or at to. */
void
funnel_check_step_pair(const Funnel *f, int32 from, int32 to)
{
	check_step(f, from, "from_step");
	check_step(f, to, "to_step");
	if (from > to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from_step %d comes after to_step %d", from, to),
				 errhint("Pass the earlier step first.")));
}

/*
 * The share of f's entities that reached step `from` and went on to reach
 * step `to` (checked 1-based steps); false when none reached `from`.
 */
static bool
conversion_rate_of(const Funnel *f, int32 from, int32 to, float8 *r)
{
	return ratio(funnel_reached_count(f, to - 1), funnel_reached_count(f, from - 1), r);
}

/*
 * conversion_rate(funnel, from_step, to_step): the share of entities that
 * reached from_step and went on to reach to_step; NULL when none reached
 * from_step.
 */
Datum
funnel_conversion_rate(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	int32		from = PG_GETARG_INT32(1);
	int32		to = PG_GETARG_INT32(2);
	float8		r = 0;

	funnel_check_step_pair(f, from, to);
	if (!conversion_rate_of(f, from, to, &r))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r);
}

/*
 * Which recorded time (FUNNEL_FROM_PREVIOUS or FUNNEL_FROM_FIRST) holds the
 * time from step `from` to step `to` (checked 1-based steps, from before
 * to).  The funnel keeps times from the previous step and from step 1, so
 * `from` must be to - 1 or 1: other pairs are errors, as is from = to.
 */
int
funnel_time_kind(int32 from, int32 to)
{
	if (from == to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from_step and to_step are both %d", from),
				 errhint("Pass two different steps, such as 1 and 2.")));
	if (from != 1 && from != to - 1)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("time from step %d to step %d is not recorded", from, to),
				 errhint("A funnel keeps the time from the previous step and from step 1: pass from_step %d or 1.",
						 to - 1)));
	return from == to - 1 ? FUNNEL_FROM_PREVIOUS : FUNNEL_FROM_FIRST;
}

/*
 * The quantile of the time from step `from` to step `to` (checked 1-based
 * steps, from before to) among entities that reached `to`; -1 when none
 * did.
 */
static int64
time_to_convert_of(const Funnel *f, int32 from, int32 to, float8 quantile)
{
	if (!(quantile >= 0.0 && quantile <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quantile %g is not between 0 and 1", quantile),
				 errhint("Pass 0.5 for the median, 0.9 for the 90th percentile.")));
	return funnel_quantile(f, to - 1, funnel_time_kind(from, to), quantile);
}

/*
 * time_to_convert(funnel, from_step, to_step, quantile): the quantile of
 * the time from from_step to to_step among entities that reached to_step
 * (from_step must be to_step - 1 or 1); NULL when no entity reached
 * to_step.
 */
Datum
funnel_time_to_convert(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	int32		from = PG_GETARG_INT32(1);
	int32		to = PG_GETARG_INT32(2);
	int64		q;

	funnel_check_timestamps(f, "time_to_convert");
	funnel_check_step_pair(f, from, to);
	q = time_to_convert_of(f, from, to, PG_GETARG_FLOAT8(3));
	if (q < 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(funnel_interval_datum(q));
}

/* Refuse a funnel that is not one entity's result, for accessor `name`. */
static void
check_one_entity(const Funnel *f, const char *name)
{
	if (funnel_counts_attempts(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s is not defined for a funnel that counts attempts", name),
				 errhint("An entity's attempts each have their own chain; use reached(f, step) or funnel_steps(f), or count uniques.")));
	if (funnel_has_people(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs a one-entity funnel, got a merged one that carries people", name),
				 errhint("Apply %s to funnel_agg's result; for funnels built with rollup(f, person) use people_reached() or funnel_people_steps().",
						 name)));
	if (!funnel_is_single(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs a one-entity funnel, got one of %lld entities",
						name, (long long) funnel_entities(f)),
				 errhint("Apply %s to funnel_agg's result; for merged funnels use reached() or funnel_steps().",
						 name)));
}

/*
 * max_step(funnel): the step a one-entity funnel reached, which equals
 * window_funnel's result in the same mode (doc/semantics.md lists the exceptions).
 */
Datum
funnel_max_step(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);

	check_one_entity(f, "max_step");
	PG_RETURN_INT32(f->level);
}

/*
 * entry_time(funnel): when a one-entity funnel's chain started (its step
 * 1), to group rollups by entry period; NULL when no step was reached.  A
 * funnel over timestamp without time zone gives that timestamp read in the
 * session time zone, as the cast to timestamptz does.
 */
Datum
funnel_entry_time(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);

	check_one_entity(f, "entry_time");
	funnel_check_timestamps(f, "entry_time");
	if (!(f->flags & FUNNEL_FLAG_ENTRY))
		PG_RETURN_NULL();
	if (f->flags & FUNNEL_FLAG_LOCAL_TIME)
		return DirectFunctionCall1(timestamp_timestamptz,
								   TimestampGetDatum(*funnel_entry_ptr(f)));
	PG_RETURN_TIMESTAMPTZ(*funnel_entry_ptr(f));
}

/*
 * breakdown(funnel): a one-entity funnel's breakdown value (the row its
 * breakdown= option picks from its chain); NULL when there is none.
 */
Datum
funnel_breakdown(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	int32		len;

	check_one_entity(f, "breakdown");
	if (!(f->flags & FUNNEL_FLAG_BREAKDOWN))
		PG_RETURN_NULL();
	memcpy(&len, funnel_breakdown_ptr(f), 4);
	PG_RETURN_TEXT_P(cstring_to_text_with_len(funnel_breakdown_ptr(f) + 4, len));
}

/*
 * The 1-based step whose name is `label`, for argument `argname` of the
 * accessors by label.  Only steps count (a funnel's exclusion names come
 * after them).  An error when the funnel has no step names, when no step
 * has that name, and when two do (then only a number says which).
 */
int32
funnel_step_of_label(const Funnel *f, text *label, const char *argname)
{
	const char *want = VARDATA_ANY(label);
	int			len = VARSIZE_ANY_EXHDR(label);
	const char *name;
	int32		found = 0;
	int			k;

	if (!funnel_has_step_names(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s \"%.*s\" names a step, but the funnel's steps have no names",
						argname, len, want),
				 errhint("Name the steps with funnel_agg(window, ts, event, ARRAY['view', ...]), or pass step numbers.")));
	name = funnel_labels(f);
	for (k = 0; k < f->nsteps; k++, name += strlen(name) + 1)
	{
		if ((int) strlen(name) != len || memcmp(name, want, len) != 0)
			continue;
		if (found > 0)
			ereport(ERROR,
					(errcode(ERRCODE_AMBIGUOUS_PARAMETER),
					 errmsg("%s \"%.*s\" names steps %d and %d", argname, len, want, found, k + 1),
					 errhint("Pass the step number instead.")));
		found = k + 1;
	}
	if (found == 0)
	{
		/* the steps' names, for the hint */
		StringInfoData names;

		initStringInfo(&names);
		name = funnel_labels(f);
		for (k = 0; k < f->nsteps; k++, name += strlen(name) + 1)
			appendStringInfo(&names, "%s\"%s\"", k > 0 ? ", " : "", name);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel has no step named \"%.*s\" (%s)", len, want, argname),
				 errhint("Its steps are %s.", names.data)));
	}
	return found;
}

/*
 * The step numbers of the names from_label and to_label (each must name a
 * step), which must not come in the wrong order: the by-name forms of the
 * reports between two steps share this.
 */
void
funnel_steps_of_labels(const Funnel *f, text *from_label, text *to_label, int32 *from, int32 *to)
{
	*from = funnel_step_of_label(f, from_label, "from_label");
	*to = funnel_step_of_label(f, to_label, "to_label");
	if (*from > *to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("from_label \"%s\" (step %d) comes after to_label \"%s\" (step %d)",
						text_to_cstring(from_label), *from, text_to_cstring(to_label), *to),
				 errhint("Pass the earlier step first.")));
}

/* reached(funnel, label): how many entities reached the step named label. */
Datum
funnel_reached_by_label(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);

	PG_RETURN_INT64(funnel_reached_count(f, funnel_step_of_label(f, PG_GETARG_TEXT_PP(1), "label") - 1));
}

/*
 * conversion_rate(funnel, from_label, to_label): conversion_rate between
 * the steps with these names.
 */
Datum
funnel_conversion_rate_by_label(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	text	   *from_label = PG_GETARG_TEXT_PP(1);
	text	   *to_label = PG_GETARG_TEXT_PP(2);
	int32		from,
				to;
	float8		r = 0;

	funnel_steps_of_labels(f, from_label, to_label, &from, &to);
	if (!conversion_rate_of(f, from, to, &r))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(r);
}

/*
 * time_to_convert(funnel, from_label, to_label, quantile): time_to_convert
 * between the steps with these names.
 */
Datum
funnel_time_to_convert_by_label(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	text	   *from_label = PG_GETARG_TEXT_PP(1);
	text	   *to_label = PG_GETARG_TEXT_PP(2);
	int32		from,
				to;
	int64		q;

	funnel_check_timestamps(f, "time_to_convert");
	funnel_steps_of_labels(f, from_label, to_label, &from, &to);
	q = time_to_convert_of(f, from, to, PG_GETARG_FLOAT8(3));
	if (q < 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(funnel_interval_datum(q));
}
