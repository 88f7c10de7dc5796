/*
 * group_limits.h
 *		How many rows one group of a per-entity aggregate may keep: the
 *		setting conversions.max_group_events (at most the one-allocation
 *		limit of the event buffer), so that a runaway group is refused with
 *		an error long before it exhausts memory.
 */
#ifndef CONVERSIONS_GROUP_LIMITS_H
#define CONVERSIONS_GROUP_LIMITS_H

#include "postgres.h"

#include "common/limits.h"
#include "common/pg_compat.h"

extern int	conversions_max_group_events;

extern void group_limits_define(void);
pg_noreturn extern void group_events_exceeded(const char *aggregate);

/*
 * Most bytes of working memory one group may use beyond its rows:
 * GROUP_BYTES_PER_ROW per row that the setting allows (1 GB at most).
 */
static inline int64
group_bytes_budget(void)
{
	return (int64) GROUP_BYTES_PER_ROW * conversions_max_group_events;
}

/* Refuse a group that would keep more than the setting allows. */
static inline void
group_events_check(int64 needed, const char *aggregate)
{
	if (unlikely(needed > conversions_max_group_events))
		group_events_exceeded(aggregate);
}

#endif							/* CONVERSIONS_GROUP_LIMITS_H */
