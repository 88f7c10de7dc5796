/*
 * funnel_state.c
 *		The event buffer kind of window_funnel and funnel_agg, and what a
 *		deserialized state of theirs must satisfy.
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "window_funnel/funnel_mode.h"
#include "window_funnel/funnel_state.h"

StaticAssertDecl((FUNNEL_MODE_ALL & ~EVENT_KIND_FLAGS) == 0,
				 "funnel modes must fit an event buffer's flags");

/* window_funnel's and funnel_agg's states: the flags are the modes. */
const EventBufferKind funnel_state_kind = {
	.id = EVENT_KIND_FUNNEL,
	.flags = FUNNEL_MODE_ALL,
	.aggregates = "window_funnel/funnel_agg",
	.flags_to_string = funnel_modes_to_string,
};

/*
 * Check an unpacked state's modes and events against a definition of
 * nconds conditions (steps, then funnel_agg's exclusions): every mask
 * names conditions only, and a row matching none is kept only under
 * strict_order, which needs such rows.
 */
void
funnel_state_check(const EventBuffer *buf, int nconds)
{
	if (!funnel_modes_valid(buf->modes))
		event_buffer_corrupt("bad window or mode");
	event_buffer_check_masks(buf, condition_bits(nconds),
							 (buf->modes & FUNNEL_MODE_STRICT_ORDER) != 0);
}
