/*
 * window_funnel.c
 *		SQL-callable transition, final and deserialize functions of the
 *		window_funnel aggregate (combine and serialize are the shared
 *		event_buffer_combine and event_buffer_serialize).
 *
 * window_funnel(window, [mode,] ts, VARIADIC steps) collects one
 * (timestamp, step mask) entry per row in an EventBuffer and computes the
 * level in the final function.  The same C functions serve timestamptz and
 * timestamp (both are int64 microseconds), the bigint forms (integer times
 * with a bigint window in their units: the walks compare and subtract them
 * as they do microseconds) and the forms with and without a mode (told
 * apart by argument count).
 */
#include "postgres.h"

#include "common/condition_array.h"
#include "common/event_buffer.h"
#include "common/pg_compat.h"
#include "common/state_tag.h"
#include "fmgr.h"
#include "window_funnel/funnel_mode.h"
#include "window_funnel/funnel_state.h"
#include "window_funnel/window_funnel_level.h"

PG_FUNCTION_INFO_V1(window_funnel_transition);
PG_FUNCTION_INFO_V1(window_funnel_final);
PG_FUNCTION_INFO_V1(window_funnel_deserialize);

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
	bool		integer_time;
	bool		ts_null;
	bool		kept;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "window_funnel_transition called in non-aggregate context");

	/* the mode first: its cache in fn_extra also keeps the window's kind */
	modes = has_mode ? funnel_mode_argument(fcinfo, 2) : 0;
	integer_time = funnel_cached_integer_time(fcinfo, 1);
	window = funnel_window_value(fcinfo, 1, integer_time);
	nsteps = funnel_step_array(fcinfo, ts_arg + 1, &steps);
	ts_null = PG_ARGISNULL(ts_arg);
	mask = ts_null ? 0 : condition_mask(steps, nsteps);
	kept = funnel_row_kept(modes, ts_null, mask);

	/* a row not kept, of a group made with this site's one definition */
	if (funnel_site_definition_sole(fcinfo, window, modes, nsteps) &&
		!PG_ARGISNULL(0) && !kept)
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));

	if (PG_ARGISNULL(0))
	{
		state = event_buffer_create(aggcxt, &funnel_state_kind, window, modes, nsteps, 0);
		state->time_flags = integer_time ? EVENT_TIME_INTEGER : 0;
	}
	else
	{
		state = (EventBuffer *) PG_GETARG_POINTER(0);
		if (unlikely(state->window != window || state->modes != modes ||
					 state->nsteps != nsteps))
			event_buffer_check_definition(state, window, modes, nsteps);
	}

	if (kept)
		state = event_buffer_append(state, funnel_ts_argument(fcinfo, ts_arg, "window_funnel"), mask);
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
	state_tag_check_events(state, &funnel_state_kind, "window_funnel_final");
	/* funnel_agg's state may carry step names, exclusions and value pairs */
	if (state->labels != NULL || state->values != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("window_funnel_final was given a state of funnel_agg"),
				 errhint("The aggregate was created with support functions of different aggregates; use the extension's aggregates.")));
	event_buffer_sort(state);
	PG_RETURN_INT32(window_funnel_level(state));
}

/*
 * Rebuild a partial state, validating every field of the bytes first: a
 * window_funnel state has no labels and no value pairs.
 */
Datum
window_funnel_deserialize(PG_FUNCTION_ARGS)
{
	EventBuffer *buf = event_buffer_unpack(PG_GETARG_BYTEA_PP(0), CurrentMemoryContext,
										   &funnel_state_kind);

	if (buf->labels != NULL)
		event_buffer_corrupt("bad step labels");
	if (buf->values != NULL)
		event_buffer_corrupt("value pairs without hold or breakdown");
	funnel_state_check(buf, buf->nsteps);
	PG_RETURN_POINTER(buf);
}
