/*
 * window_funnel_level.c
 *		The level computation of window_funnel, with ClickHouse's semantics.
 *
 * ClickHouse's windowFunnel expands every row into one (timestamp, step)
 * entry per matched step, sorts the entries by (timestamp, step) and walks
 * them once, remembering for each level the start and last timestamp of the
 * latest chain that reached it.  We keep one entry per row with a step mask
 * instead; a run of rows with equal timestamps is replayed here in the same
 * (step, then row) order, which gives the same answers without storing or
 * sorting one entry per step.
 *
 * The walk keeps ClickHouse's documented defects on purpose
 * (doc/semantics.md lists them): it is the compatibility function.
 */
#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"
#include "common/time_window.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "window_funnel/event_run.h"
#include "window_funnel/funnel_mode.h"
#include "window_funnel/strict_once.h"
#include "window_funnel/window_funnel_level.h"

/* walk answers that are not a final level: go on, or skip this entry */
#define WALK_CONTINUE (-1)
#define WALK_SKIP (-2)

/* Check for cancel requests after this many events. */
#define WALK_INTERRUPT_EVERY 65536

/* Progress of the walk: which levels were reached and by which chain. */
typedef struct FunnelWalk
{
	int64		window;
	uint32		modes;
	int			nsteps;
	uint32		reached;		/* bit k set: level k+1 was reached */
	bool		first_event;	/* a step-1 event has been seen */
	int64		first[FUNNEL_MAX_STEPS];	/* chain start per level */
	int64		last[FUNNEL_MAX_STEPS]; /* chain's latest event per level */
} FunnelWalk;

/* The highest level reached so far (0 when none). */
static inline int
highest_level(uint32 reached)
{
	return reached == 0 ? 0 : pg_leftmost_one_pos32(reached) + 1;
}

/* The lowest level not reached (levels are reached as a prefix). */
static inline int
first_missing_level(uint32 reached)
{
	return reached == PG_UINT32_MAX ? FUNNEL_MAX_STEPS :
		pg_rightmost_one_pos32(~reached);
}

/*
 * Whether t lies within the window of a chain that started at first <= t,
 * by the rule of common/time_window.h for infinite times and saturated
 * windows.
 */
static inline bool
within_window(const FunnelWalk *w, int64 first, int64 t)
{
	return time_within_window(first, t, w->window);
}

/*
 * The checks ClickHouse makes, in its order, before step k (0-based, > 0)
 * may extend a chain: deduplication ends the walk on a repeated step,
 * strict_order ends it (or, with allow_reentry, skips the event) when the
 * step comes before its predecessor.  Returns WALK_CONTINUE to go on.
 */
static inline int
walk_guard(const FunnelWalk *w, int k)
{
	uint32		prev = (uint32) 1 << (k - 1);

	if ((w->modes & FUNNEL_MODE_STRICT_DEDUPLICATION) &&
		(w->reached & ((uint32) 1 << k)))
		return highest_level(w->reached);
	if ((w->modes & FUNNEL_MODE_STRICT_ORDER) && w->first_event &&
		!(w->reached & prev))
		return (w->modes & FUNNEL_MODE_ALLOW_REENTRY) ?
			WALK_SKIP : first_missing_level(w->reached);
	return WALK_CONTINUE;
}

/*
 * One (t, step k) entry of the default walk.  Returns the final level when
 * the walk ends here, else WALK_CONTINUE.
 */
static int
walk_step(FunnelWalk *w, int k, int64 t)
{
	uint32		prev;
	int			guard;

	if (k == 0)
	{
		w->first[0] = t;
		w->last[0] = t;
		w->reached |= 1;
		w->first_event = true;
		return WALK_CONTINUE;
	}
	guard = walk_guard(w, k);
	if (guard != WALK_CONTINUE)
		return guard == WALK_SKIP ? WALK_CONTINUE : guard;

	prev = (uint32) 1 << (k - 1);
	if (w->reached & prev)
	{
		int64		first = w->first[k - 1];
		bool		ok = within_window(w, first, t);

		if (w->modes & FUNNEL_MODE_STRICT_INCREASE)
			ok = ok && w->last[k - 1] < t;
		if (ok)
		{
			w->first[k] = first;
			w->last[k] = t;
			w->reached |= (uint32) 1 << k;
			if (k + 1 == w->nsteps)
				return w->nsteps;
		}
	}
	return WALK_CONTINUE;
}

/*
 * Default walk over runs of equal timestamps.  Within a run, entries go by
 * step; a step matched by two or more rows is replayed twice, since only
 * strict_deduplication can tell a second copy from the first, and a third
 * copy changes nothing.
 */
static int
walk_default(FunnelWalk *w, const BufferedEvent *ev, int32 n)
{
	int32		i = 0;
	int32		since_check = 0;

	while (i < n)
	{
		int64		t = ev[i].ts;
		EventRun	run;
		uint32		once;

		event_run_scan(ev, i, n, PG_UINT32_MAX, &run);
		once = run.once;
		since_check += run.end - i;
		if (since_check >= WALK_INTERRUPT_EVERY)
		{
			CHECK_FOR_INTERRUPTS();
			since_check = 0;
		}

		/* rows matching no step sort first and break a strict_order chain */
		if (run.unmatched && (w->modes & FUNNEL_MODE_STRICT_ORDER) && w->first_event)
			break;

		while (once != 0)
		{
			int			k = pg_rightmost_one_pos32(once);
			int			r;

			once &= once - 1;
			r = walk_step(w, k, t);
			if (r == WALK_CONTINUE && (run.twice & ((uint32) 1 << k)))
				r = walk_step(w, k, t);
			if (r != WALK_CONTINUE)
				return r;
		}
		i = run.end;
	}
	return highest_level(w->reached);
}

/*
 * strict_once walk: like ClickHouse's, a row that matches several steps is
 * used for at most one step of a chain.  Rows with earlier timestamps can
 * never clash with the rows of the current run, so before each run a level
 * is summed up by its latest chain start; inside the run, chains are told
 * apart by how many rows of each multi-step mask they used.
 */
static int
walk_strict_once(FunnelWalk *w, const BufferedEvent *ev, int32 n)
{
	StrictOnceLevel *levels = palloc0(sizeof(StrictOnceLevel) * w->nsteps);
	StrictOnceRun run;
	uint8		used[STRICT_ONCE_MAX_MASKS];
	int32		i = 0;
	int			k;
	int			result = WALK_CONTINUE;

	while (i < n && result == WALK_CONTINUE)
	{
		int64		t = ev[i].ts;
		uint32		reached_before = w->reached;
		uint32		once;
		int			nmasks;
		int32		j;

		CHECK_FOR_INTERRUPTS();
		strict_once_scan_run(ev, i, n, &run);
		j = run.end;
		once = run.steps;
		nmasks = run.nmasks;

		if (run.unmatched && (w->modes & FUNNEL_MODE_STRICT_ORDER) && w->first_event)
			break;

		for (k = 0; k < w->nsteps; k++)
			levels[k].n = 0;

		while (once != 0 && result == WALK_CONTINUE)
		{
			uint32		bit;
			int32		r;

			k = pg_rightmost_one_pos32(once);
			once &= once - 1;
			bit = (uint32) 1 << k;

			for (r = i; r < j && result == WALK_CONTINUE; r++)
			{
				uint32		m = ev[r].mask;
				int			c;
				bool		added = false;

				if (!(m & bit))
					continue;
				c = strict_once_mask_class(&run, m);
				memset(used, 0, nmasks);
				if (c >= 0)
					used[c] = 1;

				if (k == 0)
				{
					strict_once_add(&levels[0], used, nmasks, t, -1);
					w->reached |= 1;
					w->first_event = true;
					continue;
				}
				result = walk_guard(w, k);
				if (result == WALK_SKIP)
				{
					result = WALK_CONTINUE;
					continue;
				}
				if (result != WALK_CONTINUE || !(w->reached & (bit >> 1)))
					continue;

				/* chains from earlier runs: their last event is before t */
				if ((reached_before & (bit >> 1)) &&
					within_window(w, w->first[k - 1], t))
				{
					strict_once_add(&levels[k], used, nmasks, w->first[k - 1], -1);
					added = true;
				}
				/* chains of this run end at t: never strictly increasing */
				if (!(w->modes & FUNNEL_MODE_STRICT_INCREASE) &&
					strict_once_extend(&levels[k], &levels[k - 1], &run, c, nmasks, false))
					added = true;
				if (added)
				{
					w->reached |= bit;
					if (k + 1 == w->nsteps)
						result = w->nsteps;
				}
			}
		}

		/* sum up each level by its latest start for the runs to come */
		for (k = 0; k < w->nsteps; k++)
		{
			int64		best;
			int			ch;

			if (levels[k].n == 0)
				continue;
			best = (reached_before & ((uint32) 1 << k)) ? w->first[k] : PG_INT64_MIN;
			for (ch = 0; ch < levels[k].n; ch++)
				best = Max(best, levels[k].chains[ch].first);
			w->first[k] = best;
		}
		i = j;
	}
	for (k = 0; k < w->nsteps; k++)
		if (levels[k].chains != NULL)
			pfree(levels[k].chains);
	pfree(levels);
	return result != WALK_CONTINUE ? result : highest_level(w->reached);
}

/*
 * window_funnel's result for one group: the longest chain reached, 0..nsteps.
 * The buffer must be sorted.
 */
int
window_funnel_level(const EventBuffer *buf)
{
	FunnelWalk	w;

	Assert(buf->sorted);
	if (buf->nevents == 0)
		return 0;
	/* as ClickHouse: one step and any stored event means level 1 */
	if (!(buf->modes & FUNNEL_MODE_STRICT_ORDER) && buf->nsteps == 1)
		return 1;

	w.window = buf->window;
	w.modes = buf->modes;
	w.nsteps = buf->nsteps;
	w.reached = 0;
	w.first_event = false;

	if (buf->modes & FUNNEL_MODE_STRICT_ONCE)
		return walk_strict_once(&w, buf->events, buf->nevents);
	return walk_default(&w, buf->events, buf->nevents);
}
