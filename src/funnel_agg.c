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
#include "funnel_call.h"
#include "funnel_mode.h"
#include "funnel_values.h"
#include "utils/array.h"
#include "utils/lsyscache.h"

PG_FUNCTION_INFO_V1(funnel_agg_transition);
PG_FUNCTION_INFO_V1(funnel_agg_labels_transition);
PG_FUNCTION_INFO_V1(funnel_agg_final);
PG_FUNCTION_INFO_V1(funnel_rollup_transition);
PG_FUNCTION_INFO_V1(funnel_rollup_final);

/* A text argument as a dictionary value (len -1 for NULL). */
static inline FunnelValue
value_argument(FunctionCallInfo fcinfo, int argno)
{
	FunnelValue v;

	if (PG_ARGISNULL(argno))
	{
		v.data = NULL;
		v.len = -1;
	}
	else
	{
		text	   *t = PG_GETARG_TEXT_PP(argno);

		v.data = VARDATA_ANY(t);
		v.len = VARSIZE_ANY_EXHDR(t);
	}
	return v;
}

/*
 * The group's state for this row: created with the call's definition on
 * the first row, otherwise checked against it (cheaply when the call site
 * is unchanged).
 */
static inline EventBuffer *
group_state(FunctionCallInfo fcinfo, MemoryContext aggcxt, const FunnelCall *call)
{
	EventBuffer *state;

	if (PG_ARGISNULL(0))
	{
		state = event_buffer_create(aggcxt, call->window, call->modes, call->nsteps, 0);
		state->labels = call->labels;
		state->local_time = call->local_time;
		return state;
	}
	state = (EventBuffer *) PG_GETARG_POINTER(0);
	if (unlikely(state->window != call->window || state->modes != call->modes ||
				 state->nsteps != call->nsteps))
		event_buffer_check_definition(state, call->window, call->modes, call->nsteps);
	if (unlikely(state->labels != call->labels))
		event_buffer_check_labels(state, call->labels);
	return state;
}

/*
 * Store one row: its conditions' mask and, in the forms with hold and
 * breakdown values (arguments values_arg and values_arg + 1), the tag of
 * its value pair.  Rows matching no condition are kept only under
 * strict_order, where they break chains.
 */
static inline EventBuffer *
store_row(FunctionCallInfo fcinfo, MemoryContext aggcxt, EventBuffer *state,
		  const FunnelCall *call, int64 ts, uint32 mask, int values_arg)
{
	uint32		tag = 0;

	if (mask == 0 && !(call->modes & FUNNEL_MODE_STRICT_ORDER))
		return state;
	if (values_arg >= 0)
	{
		FunnelValue bd = value_argument(fcinfo, values_arg + 1);

		if (unlikely(bd.len >= 0 && call->options.breakdown == FUNNEL_BREAKDOWN_NONE))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel options count=attempts and a breakdown value cannot be combined"),
					 errhint("A breakdown value describes one entity's chain; pass NULL as the breakdown, or count uniques.")));
		if (state->values == NULL)
			state->values = funnel_values_create(aggcxt);
		tag = funnel_values_intern(&state->values, value_argument(fcinfo, values_arg), bd);
	}
	return event_buffer_append_tag(state, ts, mask, tag);
}

/*
 * Transition of funnel_agg's boolean forms: (window, [mode,] ts, [hold,
 * breakdown,] VARIADIC conditions), told apart by argument count.  The
 * conditions are the steps, then one per exclude= option; a NULL
 * condition counts as false and rows with a NULL timestamp are skipped.
 */
Datum
funnel_agg_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	bool		has_mode = PG_NARGS() >= 5;
	bool		has_values = PG_NARGS() == 7;
	int			ts_arg = has_mode ? 3 : 2;
	int			conds_arg = PG_NARGS() - 1;
	ArrayType  *conds;
	int32		nconds;
	FunnelCall *call;
	EventBuffer *state;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "funnel_agg_transition called in non-aggregate context");
	nconds = funnel_step_array(fcinfo, conds_arg, &conds);
	call = funnel_call_setup(fcinfo, 1,
							 has_mode ? 2 : -1, -1, nconds, ts_arg, has_values);
	state = group_state(fcinfo, aggcxt, call);
	if (PG_ARGISNULL(ts_arg))
		PG_RETURN_POINTER(state);
	state = store_row(fcinfo, aggcxt, state, call, PG_GETARG_INT64(ts_arg),
					  funnel_step_mask(conds, nconds), has_values ? ts_arg + 1 : -1);
	PG_RETURN_POINTER(state);
}

/*
 * Transition of the forms naming steps by event: (window, [mode,] ts,
 * event, names, [hold, breakdown]).  Condition k matches when event equals
 * names[k] (a name given twice matches two conditions); a NULL event
 * matches none.
 */
Datum
funnel_agg_labels_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	bool		has_mode = PG_NARGS() >= 6;
	bool		has_values = PG_NARGS() == 8;
	int			ts_arg = has_mode ? 3 : 2;
	FunnelCall *call;
	EventBuffer *state;
	uint32		mask = 0;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "funnel_agg_labels_transition called in non-aggregate context");
	call = funnel_call_setup(fcinfo, 1,
							 has_mode ? 2 : -1, ts_arg + 2, 0, ts_arg, has_values);
	state = group_state(fcinfo, aggcxt, call);
	if (PG_ARGISNULL(ts_arg))
		PG_RETURN_POINTER(state);
	if (!PG_ARGISNULL(ts_arg + 1))
	{
		text	   *event = PG_GETARG_TEXT_PP(ts_arg + 1);
		int			len = VARSIZE_ANY_EXHDR(event);
		int			k;

		for (k = 0; k < call->nconds; k++)
			if (call->len[k] == len &&
				memcmp(call->labels->data + call->offset[k], VARDATA_ANY(event), len) == 0)
				mask |= (uint32) 1 << k;
	}
	state = store_row(fcinfo, aggcxt, state, call, PG_GETARG_INT64(ts_arg), mask,
					  has_values ? ts_arg + 3 : -1);
	PG_RETURN_POINTER(state);
}

/*
 * Final of funnel_agg: the entity's one-entity funnel (funnel_result.c).
 * Sorting keeps the state's contents, so the state stays usable.
 */
Datum
funnel_agg_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	PG_RETURN_FUNNEL_P(funnel_from_events((EventBuffer *) PG_GETARG_POINTER(0)));
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
 * one entity in the single form, without the entry time and breakdown
 * that describe a single entity's chain).  Returns a copy; the state is
 * untouched.
 */
Datum
funnel_rollup_final(PG_FUNCTION_ARGS)
{
	Funnel	   *f = funnel_normalize(PG_GETARG_FUNNEL_P(0));

	if (funnel_is_single(f) && (f->flags & FUNNEL_FLAG_ENTRY))
		f = funnel_without_entity(f);
	PG_RETURN_FUNNEL_P(f);
}
