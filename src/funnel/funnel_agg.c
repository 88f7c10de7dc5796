/*
 * funnel_agg.c
 *		The per-entity aggregate funnel_agg: its transitions, final and
 *		deserialize functions (combine and serialize are the shared
 *		event_buffer_combine and event_buffer_serialize).
 *
 * funnel_agg collects events in an event buffer as window_funnel does,
 * with its definition (modes, options, step names) checked once per call
 * site (funnel_call.c); its final function reports the entity's best
 * chain (funnel_result.c, funnel_chain.c).
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/condition_array.h"
#include "common/event_buffer.h"
#include "common/pg_compat.h"
#include "common/state_tag.h"
#include "common/value_pairs.h"
#include "fmgr.h"
#include "funnel/funnel.h"
#include "funnel/funnel_call.h"
#include "funnel/funnel_options.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "window_funnel/funnel_mode.h"
#include "window_funnel/funnel_state.h"

PG_FUNCTION_INFO_V1(funnel_agg_transition);
PG_FUNCTION_INFO_V1(funnel_agg_labels_transition);
PG_FUNCTION_INFO_V1(funnel_agg_final);
PG_FUNCTION_INFO_V1(funnel_agg_integer_final);
PG_FUNCTION_INFO_V1(funnel_agg_deserialize);

/* A text argument as a dictionary value (len -1 for NULL). */
static inline PairValue
value_argument(FunctionCallInfo fcinfo, int argno)
{
	PairValue v;

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
 * Whether the row can leave the group's state untouched, without reading
 * it: the group has begun, its state was made with this very call (the
 * site's sole definition, so there is nothing to check), and the row is
 * not kept.  With many groups the state's first read is a cache miss, the
 * largest part of the transition's cost (doc/development.md, "Where the
 * time goes"), and most rows of a funnel match no step.
 */
static inline bool
row_leaves_state(FunctionCallInfo fcinfo, const FunnelCall *call, bool ts_null, uint32 mask)
{
	return !PG_ARGISNULL(0) && call->sole && !funnel_row_kept(call->modes, ts_null, mask);
}

/*
 * The group's state for this row: created with the call's definition on
 * the first row, otherwise checked against it (not at all when the call
 * is the site's sole definition, cheaply when the call site is unchanged).
 */
static inline EventBuffer *
group_state(FunctionCallInfo fcinfo, MemoryContext aggcxt, const FunnelCall *call)
{
	EventBuffer *state;

	if (PG_ARGISNULL(0))
	{
		state = event_buffer_create(aggcxt, &funnel_state_kind, call->window, call->modes,
									call->nsteps, 0);
		state->labels = call->labels;
		state->time_flags = (call->local_time ? EVENT_TIME_LOCAL : 0) |
			(call->integer_time ? EVENT_TIME_INTEGER : 0);
		return state;
	}
	state = (EventBuffer *) PG_GETARG_POINTER(0);
	if (call->sole)
		return state;
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
 * its value pair, if the row is kept (funnel_row_kept).
 */
static inline EventBuffer *
store_row(FunctionCallInfo fcinfo, MemoryContext aggcxt, EventBuffer *state,
		  const FunnelCall *call, int64 ts, uint32 mask, int values_arg)
{
	uint32		tag = 0;

	if (!funnel_row_kept(call->modes, false, mask))
		return state;
	if (values_arg >= 0)
	{
		PairValue bd = value_argument(fcinfo, values_arg + 1);

		if (unlikely(bd.len >= 0 && call->options.breakdown == FUNNEL_BREAKDOWN_NONE))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel options count=attempts and a breakdown value cannot be combined"),
					 errhint("A breakdown value describes one entity's chain; pass NULL as the breakdown, or count uniques.")));
		if (state->values == NULL)
			state->values = value_pairs_create(aggcxt);
		tag = value_pairs_intern(&state->values, value_argument(fcinfo, values_arg), bd);
	}
	return event_buffer_append_tag(state, ts, mask, tag);
}

/*
 * The end of both transitions, once the row's time and mask are read:
 * leave the state unread when the row allows it (row_leaves_state), else
 * make or check the group's state and store the row.
 */
static inline Datum
finish_row(FunctionCallInfo fcinfo, MemoryContext aggcxt, const FunnelCall *call,
		   bool ts_null, int64 ts, uint32 mask, int values_arg)
{
	EventBuffer *state;

	if (row_leaves_state(fcinfo, call, ts_null, mask))
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	state = group_state(fcinfo, aggcxt, call);
	if (!ts_null)
		state = store_row(fcinfo, aggcxt, state, call, ts, mask, values_arg);
	PG_RETURN_POINTER(state);
}

/*
 * Transition of funnel_agg's boolean forms: (window, [mode,] ts, [hold,
 * breakdown,] VARIADIC conditions), told apart by argument count.  The
 * conditions are the steps (as many as labels= names, or all of them
 * without exclusions), then one per exclude= option; a NULL
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
	bool		ts_null;
	int64		ts = 0;
	uint32		mask = 0;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "funnel_agg_transition called in non-aggregate context");
	nconds = funnel_step_array(fcinfo, conds_arg, &conds);
	call = funnel_call_setup(fcinfo, 1,
							 has_mode ? 2 : -1, -1, nconds, ts_arg, has_values);
	ts_null = PG_ARGISNULL(ts_arg);
	if (!ts_null)
	{
		ts = funnel_ts_argument(fcinfo, ts_arg, "funnel_agg");
		mask = condition_mask(conds, nconds);
	}
	return finish_row(fcinfo, aggcxt, call, ts_null, ts, mask, has_values ? ts_arg + 1 : -1);
}

/*
 * Transition of the forms naming steps by event: (window, [mode,] ts,
 * event, names, [hold, breakdown]).  Condition k matches when event equals
 * its name: names[k] for the steps, then the NAME of each
 * exclude=NAME@I-J (a name given twice matches two conditions); a NULL
 * event matches none.
 */
Datum
funnel_agg_labels_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	bool		has_mode = PG_NARGS() >= 6;
	bool		has_values = PG_NARGS() == 8;
	int			ts_arg = has_mode ? 3 : 2;
	FunnelCall *call;
	uint32		mask = 0;
	bool		ts_null;
	int64		ts = 0;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "funnel_agg_labels_transition called in non-aggregate context");
	call = funnel_call_setup(fcinfo, 1,
							 has_mode ? 2 : -1, ts_arg + 2, 0, ts_arg, has_values);
	ts_null = PG_ARGISNULL(ts_arg);
	if (!ts_null)
		ts = funnel_ts_argument(fcinfo, ts_arg, "funnel_agg");
	if (!ts_null && !PG_ARGISNULL(ts_arg + 1))
	{
		text	   *event = PG_GETARG_TEXT_PP(ts_arg + 1);
		int			len = VARSIZE_ANY_EXHDR(event);
		int			k;

		for (k = 0; k < call->nconds; k++)
			if (call->len[k] == len &&
				memcmp(call->labels->data + call->offset[k], VARDATA_ANY(event), len) == 0)
				mask |= (uint32) 1 << k;
	}
	return finish_row(fcinfo, aggcxt, call, ts_null, ts, mask, has_values ? ts_arg + 3 : -1);
}

/*
 * Refuse a final function whose kind of time (integer_time) is not the
 * aggregate's, told by its window argument's type: only an aggregate that
 * a superuser built from support functions of different aggregates can
 * get here, and it would mark integer times as microseconds or the
 * reverse.
 */
static void
check_time_kind(FunctionCallInfo fcinfo, bool integer_time, const char *name)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);

	if (aggref == NULL || aggref->aggargtypes == NIL)
		return;
	if ((linitial_oid(aggref->aggargtypes) == INT8OID) != integer_time)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("%s was given a state of funnel_agg over %s", name,
						integer_time ? "timestamps" : "integer times"),
				 errhint("The aggregate was created with support functions of different aggregates; use the extension's aggregates.")));
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
	/* window_funnel's state is funnel_agg's without names or values */
	state_tag_check_events(PG_GETARG_POINTER(0), &funnel_state_kind, "funnel_agg_final");
	check_time_kind(fcinfo, false, "funnel_agg_final");
	PG_RETURN_FUNNEL_P(funnel_from_events((EventBuffer *) PG_GETARG_POINTER(0), false));
}

/*
 * Final of funnel_agg's bigint forms: the same value, marked as built over
 * integer times (its window, entry and durations are in the column's
 * units, which no report may print as an interval or a timestamp).
 */
Datum
funnel_agg_integer_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state_tag_check_events(PG_GETARG_POINTER(0), &funnel_state_kind, "funnel_agg_integer_final");
	check_time_kind(fcinfo, true, "funnel_agg_integer_final");
	PG_RETURN_FUNNEL_P(funnel_from_events((EventBuffer *) PG_GETARG_POINTER(0), true));
}

/*
 * Rebuild a partial state, validating every field of the bytes first:
 * beyond event_buffer_unpack's checks, the options string (which must be
 * canonical), the step names, that value pairs come exactly with hold or
 * breakdown, and the masks of the steps and exclusions.
 */
Datum
funnel_agg_deserialize(PG_FUNCTION_ARGS)
{
	EventBuffer *buf = event_buffer_unpack(PG_GETARG_BYTEA_PP(0), CurrentMemoryContext,
										   &funnel_state_kind);
	EventLabels *labels = (EventLabels *) buf->labels;
	FunnelOptions *opts = NULL;
	bool		has_values;

	if (labels != NULL && labels->tail)
	{
		opts = palloc(sizeof(FunnelOptions));
		if (!funnel_state_options_from_string(funnel_labels_options(labels->data, labels->size),
											  buf->modes, buf->window, buf->nsteps, opts))
			event_buffer_corrupt("bad funnel options");
		labels->parsed = opts;
		labels->parsed_size = sizeof(FunnelOptions);
	}
	if (labels != NULL &&
		!funnel_definition_labels_valid(labels->data, labels->size,
										buf->nsteps + (opts ? opts->nexcl : 0), opts != NULL))
		event_buffer_corrupt("bad step labels");
	has_values = opts != NULL && (opts->hold || opts->breakdown != FUNNEL_BREAKDOWN_NONE);
	if (buf->values != NULL && !has_values)
		event_buffer_corrupt("value pairs without hold or breakdown");
	/* the forms with hold and breakdown tag every row they store */
	if (buf->values == NULL && buf->nevents > 0 && has_values)
		event_buffer_corrupt("events without value pairs under hold or breakdown");
	funnel_state_check(buf, buf->nsteps + (opts ? opts->nexcl : 0));
	PG_RETURN_POINTER(buf);
}
