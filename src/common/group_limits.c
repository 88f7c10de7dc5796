/*
 * group_limits.c
 *		The conversions.max_group_events setting (see the header).
 */
#include "postgres.h"

#include "common/group_limits.h"
#include "common/pg_compat.h"
#include "utils/guc.h"

int			conversions_max_group_events = GROUP_MAX_EVENTS_LIMIT;

/* Register the setting; called once from _PG_init. */
void
group_limits_define(void)
{
	DefineCustomIntVariable("conversions.max_group_events",
							"Most rows one group of a per-entity aggregate may keep.",
							"A group over the limit is an error (54000) instead of using "
							"more memory; the largest value is one 1 GB buffer.",
							&conversions_max_group_events,
							GROUP_MAX_EVENTS_LIMIT, 1, GROUP_MAX_EVENTS_LIMIT,
							PGC_USERSET, 0, NULL, NULL, NULL);
	MarkGUCPrefixReserved("conversions");
}

/* The error for a group over conversions.max_group_events. */
void
group_events_exceeded(const char *aggregate)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s: more than %d rows in one group", aggregate, conversions_max_group_events),
			 errhint("Group by a finer key, such as user and day, or raise conversions.max_group_events (at most %d).",
					 GROUP_MAX_EVENTS_LIMIT)));
}
