/*
 * strict_once.h
 *		What the two strict_once walks (window_funnel_level.c for
 *		window_funnel, funnel_chain.c for funnel_agg) share: the limits, and
 *		the scan of one run of equal timestamps into classes of rows that
 *		match the same several steps.
 */
#ifndef CONVERSIONS_STRICT_ONCE_H
#define CONVERSIONS_STRICT_ONCE_H

#include "event_buffer.h"

/* Most distinct partial chains one level may hold inside one timestamp run. */
#define STRICT_ONCE_MAX_RUN_CHAINS 1024

/* Distinct step masks among one run's rows that match several steps. */
#define STRICT_ONCE_MAX_MASKS 64

/* One timestamp run, as the strict_once walks see it. */
typedef struct StrictOnceRun
{
	int32		end;			/* index after the run's last event */
	uint32		steps;			/* union of the run's masks */
	bool		unmatched;		/* a row matching no step is in the run */
	int			nmasks;			/* classes of multi-step rows */
	uint32		masks[STRICT_ONCE_MAX_MASKS];
	uint8		class_size[STRICT_ONCE_MAX_MASKS];	/* rows per class, at most FUNNEL_MAX_STEPS */
} StrictOnceRun;

extern void strict_once_scan_run(const FunnelEvent *ev, int32 start, int32 n,
								 StrictOnceRun *run);
extern int	strict_once_mask_class(const StrictOnceRun *run, uint32 mask);
extern void strict_once_too_many_chains(void);

#endif							/* CONVERSIONS_STRICT_ONCE_H */
