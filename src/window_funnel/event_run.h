/*
 * event_run.h
 *		The funnel walks' view of sorted events: runs of events that share
 *		a timestamp, with the steps and other conditions they matched.
 */
#ifndef CONVERSIONS_EVENT_RUN_H
#define CONVERSIONS_EVENT_RUN_H

#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"

/* One run of sorted events sharing a timestamp, as the walks see it. */
typedef struct EventRun
{
	int32		end;			/* index after the run's last event */
	uint32		once;			/* steps matched by some row of the run */
	uint32		twice;			/* steps matched by two or more rows */
	uint32		other;			/* other conditions (exclusions) matched */
	bool		unmatched;		/* a row of the run matches no step */
} EventRun;

/*
 * Scan the run that starts at ev[start]; `steps` are the mask bits that
 * are steps.  Inline because the walks call it once per timestamp of every
 * group.
 */
static inline void
event_run_scan(const BufferedEvent *ev, int32 start, int32 n, uint32 steps, EventRun *run)
{
	int64		t = ev[start].ts;
	int32		j;

	run->once = 0;
	run->twice = 0;
	run->other = 0;
	run->unmatched = false;
	for (j = start; j < n && ev[j].ts == t; j++)
	{
		uint32		m = ev[j].mask & steps;

		run->other |= ev[j].mask & ~steps;
		run->unmatched |= (m == 0);
		run->twice |= run->once & m;
		run->once |= m;
	}
	run->end = j;
}

#endif							/* CONVERSIONS_EVENT_RUN_H */
