/*
 * strict_once.h
 *		What the two strict_once walks (window_funnel_level.c for
 *		window_funnel, funnel_chain.c for funnel_agg) share: the limits, and
 *		the scan of one run of equal timestamps into classes of rows that
 *		match the same several steps.
 */
#ifndef CONVERSIONS_STRICT_ONCE_H
#define CONVERSIONS_STRICT_ONCE_H

#include "common/event_buffer.h"
#include "common/limits.h"

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

/*
 * A partial chain created inside one timestamp run: how many rows of each
 * multi-step class of the run it used (a row may serve one step of a chain
 * only), when it started and, for funnel_agg, the level whose chain from
 * before the run it extends (-1 when it started in the run).  Rows of one
 * class are interchangeable, so counting them per class tells chains apart
 * exactly as well as naming each row would, without one chain per choice
 * of rows.
 */
typedef struct StrictOnceChain
{
	int64		first;
	int			origin;
	uint8		used[STRICT_ONCE_MAX_MASKS];
} StrictOnceChain;

/* The partial chains of one level inside a run. */
typedef struct StrictOnceLevel
{
	int			n;
	int			capacity;
	StrictOnceChain *chains;
} StrictOnceLevel;

extern void strict_once_scan_run(const BufferedEvent *ev, int32 start, int32 n,
								 StrictOnceRun *run);
extern int	strict_once_mask_class(const StrictOnceRun *run, uint32 mask);
extern void strict_once_add(StrictOnceLevel *level, const uint8 *used, int nmasks,
							int64 first, int origin);
extern bool strict_once_extend(StrictOnceLevel *to, const StrictOnceLevel *from,
							   const StrictOnceRun *run, int c, int nmasks, bool keep_origin);

#endif							/* CONVERSIONS_STRICT_ONCE_H */
