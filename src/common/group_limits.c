/*
 * group_limits.c
 *		The settings conversions.max_group_events and
 *		conversions.max_group_events_limit (see the header).
 *
 * The cap is PGC_SUSET, so an administrator can set it in postgresql.conf,
 * per database or per role (ALTER ROLE ... SET), and a user cannot undo it.
 * A user's SET of conversions.max_group_events above the cap is an error,
 * so that nobody believes a larger value took effect.  A value above the
 * cap that comes from anywhere else (postgresql.conf, a role or database
 * default, a connection option) stays as it is and the cap applies: those
 * values may have been set before the cap was lowered, and they are
 * assigned in an order this module does not control, so refusing them
 * would make sessions or reloads fail.  The limit in force is therefore
 * always computed as the smaller of the two, by both assign hooks.
 */
#include "postgres.h"

#include "access/parallel.h"
#include "common/group_limits.h"
#include "common/pg_compat.h"
#include "utils/guc.h"

int			conversions_max_group_events = GROUP_MAX_EVENTS_LIMIT;

/* conversions.max_group_events as set: a user's own limit. */
static int	max_group_events_setting = GROUP_MAX_EVENTS_LIMIT;

/* conversions.max_group_events_limit as set: the administrator's cap. */
static int	max_group_events_limit_setting = GROUP_MAX_EVENTS_LIMIT;

/*
 * Check a new conversions.max_group_events against the cap.  Only a SET (the
 * command, set_config(), a function's SET clause) above it is refused.
 * ALTER ROLE/DATABASE ... SET and CREATE FUNCTION ... SET only validate a
 * value for later (PGC_S_TEST): they get a notice, since the cap where the
 * value is used may differ, and refusing them would make a dump of such a
 * setting fail to restore.  A parallel worker takes the leader's values as
 * they are, in an order that may put the cap first.
 */
static bool
check_max_group_events(int *newval, void **extra, GucSource source)
{
	if (*newval <= max_group_events_limit_setting || InitializingParallelWorker ||
		source < PGC_S_INTERACTIVE)
		return true;
	if (source == PGC_S_TEST)
	{
		ereport(NOTICE,
				(errmsg("conversions.max_group_events %d is more than conversions.max_group_events_limit (%d)",
						*newval, max_group_events_limit_setting),
				 errdetail("A session keeps at most as many rows in one group as the smaller of the two allows.")));
		return true;
	}
	GUC_check_errdetail("conversions.max_group_events cannot be more than conversions.max_group_events_limit, which is %d.",
						max_group_events_limit_setting);
	GUC_check_errhint("Only a superuser can raise conversions.max_group_events_limit.");
	return false;
}

/* A new conversions.max_group_events: recompute the limit in force. */
static void
assign_max_group_events(int newval, void *extra)
{
	conversions_max_group_events = Min(newval, max_group_events_limit_setting);
}

/* A new conversions.max_group_events_limit: recompute the limit in force. */
static void
assign_max_group_events_limit(int newval, void *extra)
{
	conversions_max_group_events = Min(max_group_events_setting, newval);
}

/*
 * Register the settings; called once from _PG_init.  The cap comes first, so
 * that a value of conversions.max_group_events set before the library was
 * loaded is checked against the cap in force, not against its default.
 */
void
group_limits_define(void)
{
	DefineCustomIntVariable("conversions.max_group_events_limit",
							"Most rows conversions.max_group_events may allow; only a superuser can change it.",
							"A user cannot set conversions.max_group_events above it, and a larger value "
							"from anywhere else counts as this one.",
							&max_group_events_limit_setting,
							GROUP_MAX_EVENTS_LIMIT, 1, GROUP_MAX_EVENTS_LIMIT,
							PGC_SUSET, 0, NULL, assign_max_group_events_limit, NULL);
	DefineCustomIntVariable("conversions.max_group_events",
							"Most rows one group of a per-entity aggregate may keep.",
							"A group over the limit is an error (54000) instead of using "
							"more memory; at most conversions.max_group_events_limit.",
							&max_group_events_setting,
							GROUP_MAX_EVENTS_LIMIT, 1, GROUP_MAX_EVENTS_LIMIT,
							PGC_USERSET, 0, check_max_group_events, assign_max_group_events, NULL);
	MarkGUCPrefixReserved("conversions");
}

/*
 * The error for a group over the limit in force.  The hint names the setting
 * that would have to change: the user's own, the superuser's cap, or none
 * when the group is past what one buffer can hold.
 */
void
group_events_exceeded(const char *aggregate)
{
	int			limit = conversions_max_group_events;

	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s: more than %d rows in one group", aggregate, limit),
			 errdetail("The limit is the smaller of conversions.max_group_events (%d) and conversions.max_group_events_limit (%d).",
					   max_group_events_setting, max_group_events_limit_setting),
			 limit == GROUP_MAX_EVENTS_LIMIT ?
			 errhint("Group by a finer key, such as user and day: no setting allows more than %d rows (one 1 GB buffer).",
					 GROUP_MAX_EVENTS_LIMIT) :
			 max_group_events_setting < max_group_events_limit_setting ?
			 errhint("Group by a finer key, such as user and day, or raise conversions.max_group_events (at most conversions.max_group_events_limit, %d).",
					 max_group_events_limit_setting) :
			 errhint("Group by a finer key, such as user and day, or ask a superuser to raise conversions.max_group_events_limit (at most %d).",
					 GROUP_MAX_EVENTS_LIMIT)));
}
