/*
 * funnel_agg.c
 *		The aggregates that produce `funnel` values: funnel_agg (per entity)
 *		and rollup (merging funnels of disjoint entity sets).
 *
 * funnel_agg collects events exactly as window_funnel does (same
 * transition, combine and serialization, window_funnel.c) except for the
 * form that names steps by event, which has its own transition here; its
 * final function reports the entity's best chain (funnel_chain.c).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "event_buffer.h"
#include "fmgr.h"
#include "funnel.h"
#include "funnel_args.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(funnel_agg_labels_transition);
PG_FUNCTION_INFO_V1(funnel_agg_final);
PG_FUNCTION_INFO_V1(funnel_rollup_transition);
PG_FUNCTION_INFO_V1(funnel_rollup_final);

/*
 * The step names of the current query's steps argument: a copy of the
 * array (to recognise it on the next row), the labels shared by every
 * group's state, and each name's position in them.
 */
typedef struct StepNames
{
	ArrayType  *array;
	int			nsteps;
	FunnelLabels *labels;
	int32		offset[FUNNEL_MAX_STEPS];
	int32		len[FUNNEL_MAX_STEPS];
} StepNames;

/*
 * Parse the steps text[] argument into labels, once per distinct array.
 * The labels live for the query (fn_mcxt) because group states point to
 * them; a replaced set is not freed, as older groups may still use it.
 */
static StepNames *
step_names_argument(FunctionCallInfo fcinfo, int argno)
{
	StepNames  *names = (StepNames *) fcinfo->flinfo->fn_extra;
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			k;
	Size		size = 0;
	MemoryContext old;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("funnel step names must not be NULL"),
				 errhint("Pass the step names as an array, such as ARRAY['view', 'cart'].")));
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (names != NULL && VARSIZE(names->array) == VARSIZE(arr) &&
		memcmp(names->array, arr, VARSIZE(arr)) == 0)
		return names;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel step names must be a one-dimensional array, got %d dimensions",
						ARR_NDIM(arr)),
				 errhint("Pass the step names as an array, such as ARRAY['view', 'cart'].")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel needs at least one step name, got 0"),
				 errhint("Pass the step names as an array, such as ARRAY['view', 'cart'].")));
	if (n > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_TOO_MANY_ARGUMENTS),
				 errmsg("funnel has %d step names, more than the maximum of %d",
						n, FUNNEL_MAX_STEPS),
				 errhint("Split the funnel into several.")));
	for (k = 0; k < n; k++)
	{
		text	   *t;
		int			len;

		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("funnel step name %d is NULL", k + 1),
					 errhint("Every step needs a name; no event matches NULL.")));
		t = DatumGetTextPP(elems[k]);
		len = VARSIZE_ANY_EXHDR(t);
		if (len > FUNNEL_MAX_LABEL || memchr(VARDATA_ANY(t), '\0', len) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("funnel step name %d is %d bytes long, more than the maximum of %d",
							k + 1, len, FUNNEL_MAX_LABEL),
					 errhint("Use shorter event names.")));
		size += len + 1;
	}

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	names = palloc(sizeof(StepNames));
	names->array = (ArrayType *) palloc(VARSIZE(arr));
	memcpy(names->array, arr, VARSIZE(arr));
	names->nsteps = n;
	names->labels = palloc(offsetof(FunnelLabels, data) + size);
	names->labels->size = (int32) size;
	size = 0;
	for (k = 0; k < n; k++)
	{
		text	   *t = DatumGetTextPP(elems[k]);
		int			len = VARSIZE_ANY_EXHDR(t);

		memcpy(names->labels->data + size, VARDATA_ANY(t), len);
		names->labels->data[size + len] = '\0';
		names->offset[k] = (int32) size;
		names->len[k] = len;
		size += len + 1;
	}
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = names;
	return names;
}

/*
 * Transition of funnel_agg(window, ts, event, steps): step k matches when
 * event equals steps[k] (so a name given twice matches two steps); a NULL
 * event matches none.  Otherwise as window_funnel_transition.
 */
Datum
funnel_agg_labels_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	EventBuffer *state;
	StepNames  *names;
	int64		window;
	uint32		mask = 0;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "funnel_agg_labels_transition called in non-aggregate context");

	window = funnel_window_argument(fcinfo, 1);
	names = step_names_argument(fcinfo, 4);
	if (PG_ARGISNULL(0))
	{
		state = event_buffer_create(aggcxt, window, 0, names->nsteps, 0);
		state->labels = names->labels;
	}
	else
	{
		state = (EventBuffer *) PG_GETARG_POINTER(0);
		if (unlikely(state->window != window || state->nsteps != names->nsteps))
			event_buffer_check_definition(state, window, 0, names->nsteps);
		if (unlikely(state->labels != names->labels))
			event_buffer_check_labels(state, names->labels);
	}

	if (PG_ARGISNULL(2))
		PG_RETURN_POINTER(state);
	if (!PG_ARGISNULL(3))
	{
		text	   *event = PG_GETARG_TEXT_PP(3);
		int			len = VARSIZE_ANY_EXHDR(event);
		int			k;

		for (k = 0; k < names->nsteps; k++)
			if (names->len[k] == len &&
				memcmp(names->labels->data + names->offset[k], VARDATA_ANY(event), len) == 0)
				mask |= (uint32) 1 << k;
	}
	if (mask != 0)
		state = event_buffer_append(state, PG_GETARG_INT64(2), mask);
	PG_RETURN_POINTER(state);
}

/*
 * Final of funnel_agg: the entity's one-entity funnel (its best chain).
 * Sorting keeps the state's contents, so the state stays usable.
 */
Datum
funnel_agg_final(PG_FUNCTION_ARGS)
{
	EventBuffer *state;
	FunnelDefinition def;
	int64		times[FUNNEL_MAX_STEPS];
	int			level;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (EventBuffer *) PG_GETARG_POINTER(0);
	event_buffer_sort(state);
	level = funnel_best_chain(state, times);
	def.window = state->window;
	def.modes = state->modes;
	def.nsteps = state->nsteps;
	def.labels = state->labels ? state->labels->data : NULL;
	def.labels_size = state->labels ? state->labels->size : 0;
	PG_RETURN_FUNNEL_P(funnel_make_single(&def, level, times));
}

/*
 * Transition and combine of rollup(funnel): add a funnel of other entities
 * to the state.  Inside an aggregate the state is a general funnel owned by
 * the aggregate and is updated in place; when its sketches need more
 * buckets a larger copy is returned, which the executor moves into the
 * aggregate context in place of the old one.  NULL funnels are skipped.
 */
Datum
funnel_rollup_transition(PG_FUNCTION_ARGS)
{
	Funnel	   *state;
	Funnel	   *f;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	f = PG_GETARG_FUNNEL_P(1);
	if (PG_ARGISNULL(0))
		PG_RETURN_FUNNEL_P(f);	/* the executor copies it into its context */
	state = PG_GETARG_FUNNEL_P(0);
	PG_RETURN_FUNNEL_P(funnel_merge(state, f, AggCheckCallContext(fcinfo, NULL)));
}

/*
 * Final of rollup: the merged funnel in canonical form (trimmed sketches;
 * one entity in the single form).  Returns a copy; the state is untouched.
 */
Datum
funnel_rollup_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_FUNNEL_P(funnel_normalize(PG_GETARG_FUNNEL_P(0)));
}
