/*
 * strict_once.c
 *		Helpers shared by the strict_once walks of window_funnel and
 *		funnel_agg (see strict_once.h).
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "port/pg_bitutils.h"
#include "window_funnel/strict_once.h"

/*
 * Scan the run of events with ev[start].ts: its end, the steps it matches,
 * whether a row matches none, and how many rows match each distinct set of
 * several steps (rows with the same set are interchangeable for a chain).
 */
void
strict_once_scan_run(const BufferedEvent *ev, int32 start, int32 n, StrictOnceRun *run)
{
	int64		t = ev[start].ts;
	int32		j;

	run->steps = 0;
	run->unmatched = false;
	run->nmasks = 0;
	for (j = start; j < n && ev[j].ts == t; j++)
	{
		uint32		m = ev[j].mask;
		int			c;

		run->unmatched |= (m == 0);
		run->steps |= m;
		if (pg_popcount32(m) < 2)
			continue;
		c = strict_once_mask_class(run, m);
		if (c < 0)
		{
			if (run->nmasks == STRICT_ONCE_MAX_MASKS)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("more than %d distinct sets of steps among rows with one timestamp for strict_once",
								STRICT_ONCE_MAX_MASKS),
						 errhint("Make timestamps distinct, or drop strict_once.")));
			c = run->nmasks++;
			run->masks[c] = m;
			run->class_size[c] = 0;
		}
		/* a chain uses at most nsteps rows, so the count saturates there */
		if (run->class_size[c] < FUNNEL_MAX_STEPS)
			run->class_size[c]++;
	}
	run->end = j;
}

/* Index of a row's mask among the run's multi-step masks; -1 for one step. */
int
strict_once_mask_class(const StrictOnceRun *run, uint32 mask)
{
	int			c;

	if (pg_popcount32(mask) < 2)
		return -1;
	for (c = 0; c < run->nmasks; c++)
		if (run->masks[c] == mask)
			return c;
	return -1;
}

/* The error for a run with more partial chains than the walks keep. */
static void
strict_once_too_many_chains(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("more than %d partial chains among rows with one timestamp for strict_once",
					STRICT_ONCE_MAX_RUN_CHAINS),
			 errhint("Make timestamps distinct, or drop strict_once.")));
}

/*
 * Record a partial chain at one level, merging it with the one that used
 * the same rows: such chains behave alike for the rest of the run, and the
 * later start (with its origin) is the better one afterwards.
 */
void
strict_once_add(StrictOnceLevel *level, const uint8 *used, int nmasks, int64 first,
				int origin)
{
	int			i;

	for (i = 0; i < level->n; i++)
	{
		StrictOnceChain *c = &level->chains[i];

		if (memcmp(c->used, used, nmasks) == 0)
		{
			if (first > c->first)
			{
				c->first = first;
				c->origin = origin;
			}
			return;
		}
	}
	if (level->n >= STRICT_ONCE_MAX_RUN_CHAINS)
		strict_once_too_many_chains();
	if (level->n >= level->capacity)
	{
		level->capacity = level->capacity == 0 ? 4 : level->capacity * 2;
		level->chains = level->chains == NULL ?
			palloc(sizeof(StrictOnceChain) * level->capacity) :
			repalloc(level->chains, sizeof(StrictOnceChain) * level->capacity);
	}
	memcpy(level->chains[level->n].used, used, nmasks);
	level->chains[level->n].first = first;
	level->chains[level->n].origin = origin;
	level->n++;
}

/*
 * Extend every partial chain of `from` (one level down, inside the run) by
 * a row of multi-step class c (-1 for a single-step row) into `to`, when
 * the chain has a row of that class left; keep_origin carries each chain's
 * origin along (funnel_agg), else -1.  Returns whether any was added.
 */
bool
strict_once_extend(StrictOnceLevel *to, const StrictOnceLevel *from,
				   const StrictOnceRun *run, int c, int nmasks, bool keep_origin)
{
	uint8		used[STRICT_ONCE_MAX_MASKS];
	bool		added = false;
	int			ch;

	for (ch = 0; ch < from->n; ch++)
	{
		const StrictOnceChain *prev = &from->chains[ch];

		/* some row of this row's class is still unused */
		if (c >= 0 && prev->used[c] >= run->class_size[c])
			continue;
		memcpy(used, prev->used, nmasks);
		if (c >= 0)
			used[c]++;
		strict_once_add(to, used, nmasks, prev->first, keep_origin ? prev->origin : -1);
		added = true;
	}
	return added;
}
