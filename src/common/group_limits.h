/*
 * group_limits.h
 *		How many rows one group of a per-entity aggregate may keep, so that a
 *		runaway group is refused with an error long before it exhausts
 *		memory.  Two settings decide it: conversions.max_group_events, which
 *		any user may lower or raise, and conversions.max_group_events_limit,
 *		a cap on it that only a superuser (or a role granted SET on it) may
 *		change.  The limit is the smaller of the two, at most the
 *		one-allocation limit of the event buffer.
 */
#ifndef CONVERSIONS_GROUP_LIMITS_H
#define CONVERSIONS_GROUP_LIMITS_H

#include "postgres.h"

#include "common/limits.h"
#include "common/pg_compat.h"

/*
 * The rows one group may keep: the smaller of the two settings, kept up to
 * date by their assign hooks (so it also follows RESET, transaction
 * rollback and a reload of postgresql.conf).
 */
extern int	conversions_max_group_events;

extern void group_limits_define(void);
pg_noreturn extern void group_events_exceeded(const char *aggregate);

/*
 * Most bytes of working memory one group may use beyond its rows:
 * GROUP_BYTES_PER_ROW per row of the row limit in force (the smaller of
 * conversions.max_group_events and its cap; 1 GB at most).
 */
static inline int64
group_bytes_budget(void)
{
	return (int64) GROUP_BYTES_PER_ROW * conversions_max_group_events;
}

/* Refuse a group that would keep more than the settings allow. */
static inline void
group_events_check(int64 needed, const char *aggregate)
{
	if (unlikely(needed > conversions_max_group_events))
		group_events_exceeded(aggregate);
}

#endif							/* CONVERSIONS_GROUP_LIMITS_H */
