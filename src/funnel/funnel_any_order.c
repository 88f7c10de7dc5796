/*
 * funnel_any_order.c
 *		funnel_agg(..., 'order=any', ...): the steps may happen in any order.
 *
 * A chain starts at a row matching some step, at time s, and takes every
 * step that has a row in [s, s + window], each at its first such row; its
 * level is how many distinct steps that is, and its steps are ordered by
 * those rows' times (then by step number).  The entity's chain is the best
 * over all starts by chain_better: most steps, then reached earliest, then
 * started latest.
 *
 * Under an entry range (entry_from=, entry_before=) only rows in the
 * range start chains.  Under entry=first only the chain of the first
 * start (the entity's first row matching any step, in the range) is taken.
 *
 * Each step keeps a pointer to its first row at or after the current start,
 * and starts only move forward, so the walk is O(rows x steps).
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "common/time_window.h"
#include "funnel/funnel_chain.h"
#include "miscadmin.h"

/* Sort a chain's positions by (time, step): insertion sort, at most 32. */
static void
sort_positions(ChainResult *c)
{
	int			i,
				j;

	for (i = 1; i < c->level; i++)
	{
		int64		t = c->t[i];
		int8		s = c->step[i];

		for (j = i; j > 0 && (c->t[j - 1] > t || (c->t[j - 1] == t && c->step[j - 1] > s)); j--)
		{
			c->t[j] = c->t[j - 1];
			c->step[j] = c->step[j - 1];
		}
		c->t[j] = t;
		c->step[j] = s;
	}
}

/* The best any-order chain of one entity's sorted events into *best. */
void
funnel_any_order_walk(const ChainSetup *setup, const BufferedEvent *ev, int32 n,
					  ChainResult *best)
{
	uint32		steps = condition_bits(setup->nsteps);
	int32		next[FUNNEL_MAX_STEPS];
	int32		i = 0;
	int			k;

	best->level = 0;
	for (k = 0; k < setup->nsteps; k++)
		next[k] = -1;			/* not searched yet */

	while (i < n)
	{
		int64		s = ev[i].ts;
		int64		end = time_window_end(s, setup->window);
		ChainResult c;
		int32		j;

		if ((ev[i].mask & steps) == 0 || !funnel_entry_in_range(setup->opts, s))
		{
			i++;
			continue;
		}
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		c.level = 0;
		for (k = 0; k < setup->nsteps; k++)
		{
			uint32		bit = (uint32) 1 << k;

			if (next[k] != n && next[k] < i)
			{
				for (j = i; j < n && !(ev[j].mask & bit); j++)
					;
				next[k] = j;
			}
			if (next[k] < n && ev[next[k]].ts <= end)
			{
				c.t[c.level] = ev[next[k]].ts;
				c.step[c.level] = (int8) k;
				c.level++;
			}
		}
		sort_positions(&c);
		if (chain_better(&c, best))
			*best = c;
		if (setup->opts != NULL && setup->opts->entry_first)
			break;
		/* the next start: the next timestamp */
		for (j = i + 1; j < n && ev[j].ts == s; j++)
			;
		i = j;
	}
}
