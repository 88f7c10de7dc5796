/*
 * conversions.c
 *		Module entry point of the conversions extension.
 *
 * The features live in their folders over the shared layer (common/), which
 * names none of them (doc/architecture.md).  This file puts them together:
 * it carries the module magic block that the server checks when it loads
 * the library, registers the settings, and lists the families that keep
 * their rows in an event buffer.
 */
#include "postgres.h"

#include "attribution/attribution_agg.h"
#include "common/event_buffer.h"
#include "common/group_limits.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "paths/path_agg.h"
#include "sequence/sequence_match.h"
#include "window_funnel/funnel_state.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* The event buffer kinds, by id (event_buffer.h). */
const EventBufferKind *const event_buffer_kinds[EVENT_KIND_COUNT] = {
	[EVENT_KIND_FUNNEL] = &funnel_state_kind,
	[EVENT_KIND_PATTERN] = &sequence_state_kind,
	[EVENT_KIND_ATTRIBUTION] = &attribution_state_kind,
	[EVENT_KIND_PATHS] = &paths_state_kind,
};

/* Module load: register the extension's settings. */
void
_PG_init(void)
{
	group_limits_define();
}
