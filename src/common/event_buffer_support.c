/*
 * event_buffer_support.c
 *		The SQL support functions that every event-keeping aggregate
 *		(window_funnel, funnel_agg, sequence_match, sequence_count,
 *		attribution_agg) shares: combine and serialize.  Deserialize is each
 *		family's own (window_funnel_deserialize, funnel_agg_deserialize,
 *		sequence_deserialize, attribution_agg_deserialize), because only the
 *		family can check what its state means.
 */
#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"
#include "common/state_tag.h"
#include "fmgr.h"

PG_FUNCTION_INFO_V1(event_buffer_combine);
PG_FUNCTION_INFO_V1(event_buffer_serialize);

/*
 * Combine two partial states.  The first is updated in place; when it is
 * missing, the second is copied into the aggregate context because it may
 * live in a shorter-lived one (deserialized input).
 */
Datum
event_buffer_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	EventBuffer *dst;
	EventBuffer *src;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "event_buffer_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	src = (EventBuffer *) PG_GETARG_POINTER(1);
	state_tag_check_events(src, NULL, "event_buffer_combine");
	if (!PG_ARGISNULL(0))
		state_tag_check_events(PG_GETARG_POINTER(0), NULL, "event_buffer_combine");
	if (PG_ARGISNULL(0))
	{
		dst = event_buffer_create(aggcxt, event_buffer_kinds[event_buffer_kind_id(src)], src->window, src->modes, src->nsteps,
								  src->nevents);
		dst->time_flags = src->time_flags;
	}
	else
		dst = (EventBuffer *) PG_GETARG_POINTER(0);
	dst = event_buffer_merge(dst, src);
	PG_RETURN_POINTER(dst);
}

/* Serialize a partial state for a parallel worker's leader or a spill. */
Datum
event_buffer_serialize(PG_FUNCTION_ARGS)
{
	state_tag_check_events(PG_GETARG_POINTER(0), NULL, "event_buffer_serialize");
	PG_RETURN_BYTEA_P(event_buffer_pack((EventBuffer *) PG_GETARG_POINTER(0)));
}
