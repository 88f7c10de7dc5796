/*
 * funnel_chain.c
 *		funnel_agg's walk: the best chain of one entity and its step times.
 *
 * This is window_funnel's walk (window_funnel_level.c) with two changes:
 *
 *   - Each level remembers the whole chain that reached it (the time of
 *     every step), so the entity's value can carry time-to-convert.
 *   - The ClickHouse defects that window_funnel keeps are corrected:
 *       strict_increase extends a chain from the level's state as it was
 *         before the current timestamp, so a step-1 event at the same
 *         timestamp cannot hide an earlier, valid start;
 *       strict_deduplication ends only the chain whose last step is the
 *         repeated step (with strict_once: every chain in progress), so a
 *         chain that went past that step is not ended by a newer one,
 *         and strict_order ends the chains in progress, where ClickHouse
 *         ends the whole walk; later step-1 events start new chains.  Under
 *         strict_deduplication a chain moves from step to step rather than
 *         also staying behind, so a chain that took a step is never
 *         extended again from the step before.
 *
 * Which chain is reported: the one that reached the highest step first
 * (earliest timestamp); among chains reaching it at that timestamp, the one
 * that started latest; each earlier step is the latest event that the
 * chain could use before its next step (the walk keeps, per level, the most
 * recent chain, as ClickHouse does).
 *
 * funnel_agg's options add checks to a step: a per-step window (within=)
 * bounds the time from the chain's previous step, and an exclusion
 * (exclude=i-j) forbids step j when an exclusion row lies strictly between
 * the chain's step i and this row.  Both prefer chains whose steps are
 * later, and the chain kept per level is the one whose every step is
 * latest, so keeping one chain per level stays exact.  Under
 * count=attempts the walk records a chain and starts afresh whenever the
 * current attempt completes, leaves the window, is broken (strict_order)
 * or has its furthest chain excluded.
 *
 * Under entry=first only step-1 rows at the entity's first step-1
 * timestamp start chains; the walk is otherwise the same, and stops once
 * that start's window has passed.  Under an entry range (entry_from=,
 * entry_before=) only step-1 rows in the range start chains; a step-1 row
 * outside it still acts on the chains in progress as one inside would
 * (under strict_deduplication it ends the chain waiting at step 1).  exclusion=remove is judged after the
 * walk (funnel_chain_excluded), on the best chain found without the
 * exclusions.
 */
#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"
#include "common/time_window.h"
#include "funnel/funnel.h"
#include "funnel/funnel_chain.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "window_funnel/event_run.h"
#include "window_funnel/funnel_mode.h"
#include "window_funnel/strict_once.h"

#define CHAIN_INTERRUPT_EVERY 65536

typedef struct ChainWalk
{
	int64		window;
	uint32		modes;
	int			nsteps;
	uint32		steps;			/* mask bits that are steps */
	const FunnelOptions *opts;	/* checks of within= and exclude=, or NULL */
	int64		last_excl[FUNNEL_MAX_STEPS];	/* latest row of each exclusion
												 * before the current timestamp */
	ChainAttempts *attempts;	/* count=attempts: where to record them */
	bool		entry_first;	/* entry=first: no chain starts after entry_t */
	bool		has_entry;		/* a step-1 row was taken (entry_first) */
	int64		entry_t;		/* its time */
	uint32		reached;		/* bit k: slot k holds a chain at level k+1 */
	bool		first_event;	/* a step-1 event since the last reset */
	uint32		before;			/* levels held before the current timestamp */
	uint32		written;		/* levels overwritten at the current timestamp */
	int64		slot[FUNNEL_MAX_STEPS][FUNNEL_MAX_STEPS];	/* slot[k][0..k]: step times */
	int64		saved[FUNNEL_MAX_STEPS][FUNNEL_MAX_STEPS];	/* slots as they were before it */
	int			best_level;
	int64		best[FUNNEL_MAX_STEPS];
} ChainWalk;

/*
 * Whether t lies within the window of a chain that started at first <= t,
 * by the rule of common/time_window.h for infinite times and saturated
 * windows.
 */
static inline bool
chain_within_window(const ChainWalk *w, int64 first, int64 t)
{
	return time_within_window(first, t, w->window);
}

/*
 * Whether a step-1 row at time t may start a chain: when it lies in the
 * entry range (entry_from=, entry_before=; always without one), except
 * under entry=first, where only rows at the entity's first step-1
 * timestamp in the range do.
 */
static inline bool
chain_may_start(ChainWalk *w, int64 t)
{
	if (!funnel_entry_in_range(w->opts, t))
		return false;
	if (!w->entry_first)
		return true;
	if (w->has_entry)
		return t == w->entry_t;
	w->has_entry = true;
	w->entry_t = t;
	return true;
}

/*
 * Whether a step-1 row at time t, outside the entry range, ends the chain
 * waiting at step 1: under strict_deduplication a repeated step 1 does
 * (without a range, the row would start a chain in its place), unless
 * under entry=first, where step-1 rows after the first never start or end
 * one.  The entry range only decides where chains may start; every row
 * still acts on the chains in progress, so that a period's walk treats its
 * chains as the walk over a longer range does.
 */
static inline bool
chain_start_ends_waiting(const ChainWalk *w, int64 t)
{
	return (w->modes & FUNNEL_MODE_STRICT_DEDUPLICATION) && !w->entry_first &&
		!funnel_entry_in_range(w->opts, t);
}

/*
 * entry=first: whether no row from time t on can extend the entity's one
 * start any more (it is past the window), so that the walk may stop.
 */
static inline bool
chain_entry_over(const ChainWalk *w, int64 t)
{
	return w->entry_first && w->has_entry && !chain_within_window(w, w->entry_t, t);
}

/* Remember slot k as the best chain if it is the first to reach level k+1. */
static inline void
chain_note(ChainWalk *w, int k)
{
	if (k + 1 > w->best_level)
	{
		w->best_level = k + 1;
		memcpy(w->best, w->slot[k], sizeof(int64) * (k + 1));
	}
}

/* Record the current attempt's best chain (count=attempts) and start afresh. */
static void
chain_end_attempt(ChainWalk *w)
{
	ChainAttempts *a = w->attempts;
	ChainResult *r;
	int			k;

	if (w->best_level > 0)
	{
		if (a->n >= a->capacity)
		{
			a->capacity = a->capacity == 0 ? 8 : a->capacity * 2;
			a->items = a->items == NULL ? palloc(sizeof(ChainResult) * a->capacity) :
				repalloc(a->items, sizeof(ChainResult) * a->capacity);
		}
		r = &a->items[a->n++];
		r->level = w->best_level;
		for (k = 0; k < w->best_level; k++)
		{
			r->t[k] = w->best[k];
			r->step[k] = (int8) k;
		}
	}
	w->best_level = 0;
	w->reached = 0;
	w->before = 0;
	w->first_event = false;
}

/* End every chain in progress; the next step-1 event starts afresh. */
static inline void
chain_reset(ChainWalk *w)
{
	if (w->attempts != NULL && w->best_level > 0)
	{
		chain_end_attempt(w);
		return;
	}
	w->reached = 0;
	w->before = 0;
	w->first_event = false;
}

/*
 * funnel_agg's checks on extending chain prev (at level k, 0-based) to
 * step k at time t: the per-step window and the exclusions ending at k.
 */
static bool
chain_options_allow(const ChainWalk *w, const int64 *prev, int k, int64 t)
{
	const FunnelOptions *o = w->opts;
	int			e;

	if (o->within[k] >= 0 && !time_within_window(prev[k - 1], t, o->within[k]))
		return false;
	for (e = 0; e < o->nexcl; e++)
		if (o->excl_to[e] == k + 1 && w->last_excl[e] > prev[o->excl_from[e] - 1])
			return false;
	return true;
}

/*
 * After the rows at time t: remember the exclusions among them; under
 * count=attempts, an exclusion that disqualifies the attempt's furthest
 * chain (it has step i, before t, but not step j) ends the attempt.
 */
static void
chain_note_exclusions(ChainWalk *w, uint32 other, int64 t)
{
	const FunnelOptions *o = w->opts;
	int			e;

	for (e = 0; e < o->nexcl; e++)
	{
		if (!(other & ((uint32) 1 << (w->nsteps + e))))
			continue;
		w->last_excl[e] = t;
		if (w->attempts != NULL && w->best_level >= o->excl_from[e] &&
			w->best_level < o->excl_to[e] && w->best[o->excl_from[e] - 1] < t)
			chain_end_attempt(w);
	}
}

/*
 * count=attempts: whether every chain in progress started more than the
 * window before t, so that the attempt is over.
 */
static bool
chain_attempt_expired(const ChainWalk *w, int64 t)
{
	uint32		r = w->reached;

	if (w->best_level == 0)
		return false;
	while (r != 0)
	{
		int			k = pg_rightmost_one_pos32(r);

		r &= r - 1;
		if (chain_within_window(w, w->slot[k][0], t))
			return false;
	}
	return true;
}

/*
 * Whether step k (k > 0) may be taken at all.  Under strict_deduplication a
 * repeated step ends the chain whose last step it is (per_chain: the chain
 * in slot k; a chain still waiting for the step may take it, and chains
 * past it go on) or every chain in progress.
 * Under strict_order a step whose predecessor was never reached ends every
 * chain in progress (returns false); with allow_reentry it is only skipped.
 */
static inline bool
chain_guard(ChainWalk *w, int k, bool per_chain)
{
	if ((w->modes & FUNNEL_MODE_STRICT_DEDUPLICATION) &&
		(w->reached & ((uint32) 1 << k)))
	{
		if (!per_chain)
		{
			chain_reset(w);
			return false;
		}
		w->reached &= ~((uint32) 1 << k);
		w->before &= ~((uint32) 1 << k);
	}
	if ((w->modes & FUNNEL_MODE_STRICT_ORDER) && w->first_event &&
		!(w->reached & ((uint32) 1 << (k - 1))))
	{
		if (!(w->modes & FUNNEL_MODE_ALLOW_REENTRY))
			chain_reset(w);
		return false;
	}
	return true;
}

/*
 * The walk for every mode but strict_once, over runs of equal timestamps in
 * (step, row) order.  Under strict_increase, a step extends the previous
 * level as it stood before this timestamp (`saved`), never a chain that
 * reached that level at this very timestamp.
 */
static void
chain_walk_default(ChainWalk *w, const BufferedEvent *ev, int32 n)
{
	bool		increase = (w->modes & FUNNEL_MODE_STRICT_INCREASE) != 0;
	bool		dedup = (w->modes & FUNNEL_MODE_STRICT_DEDUPLICATION) != 0;
	int32		i = 0;
	int32		since_check = 0;

	while (i < n && (w->best_level < w->nsteps || w->attempts != NULL))
	{
		int64		t = ev[i].ts;
		EventRun	run;
		uint32		once;

		if (chain_entry_over(w, t))
			break;
		event_run_scan(ev, i, n, w->steps, &run);
		if (w->attempts != NULL && chain_attempt_expired(w, t))
			chain_end_attempt(w);
		once = run.once;
		since_check += run.end - i;
		if (since_check >= CHAIN_INTERRUPT_EVERY)
		{
			CHECK_FOR_INTERRUPTS();
			since_check = 0;
		}

		/* an event matching no step ends every strict_order chain */
		if (run.unmatched && (w->modes & FUNNEL_MODE_STRICT_ORDER) && w->first_event)
			chain_reset(w);
		w->before = w->reached;
		w->written = 0;

		while (once != 0 && w->best_level < w->nsteps)
		{
			int			k = pg_rightmost_one_pos32(once);
			int			copies = (run.twice & ((uint32) 1 << k)) ? 2 : 1;

			once &= once - 1;
			for (; copies > 0; copies--)
			{
				const int64 *prev;

				if (k == 0)
				{
					if (!chain_may_start(w, t))
					{
						if (chain_start_ends_waiting(w, t))
						{
							/* as a start would: earlier chains stay in `saved` */
							if (increase && (w->before & 1) && !(w->written & 1))
								w->saved[0][0] = w->slot[0][0];
							w->written |= 1;
							w->reached &= ~(uint32) 1;
						}
						continue;
					}
					if (increase && (w->before & 1) && !(w->written & 1))
						w->saved[0][0] = w->slot[0][0];
					w->written |= 1;
					w->slot[0][0] = t;
					w->reached |= 1;
					w->first_event = true;
					chain_note(w, 0);
					continue;
				}
				if (!chain_guard(w, k, true))
					continue;
				if (increase && (w->written & ((uint32) 1 << (k - 1))))
				{
					/* only a chain held before this timestamp may extend */
					if (!(w->before & ((uint32) 1 << (k - 1))))
						continue;
					prev = w->saved[k - 1];
				}
				else
				{
					if (!(w->reached & ((uint32) 1 << (k - 1))))
						continue;
					prev = w->slot[k - 1];
					if (increase && prev[k - 1] >= t)
						continue;
				}
				if (!chain_within_window(w, prev[0], t))
					continue;
				if (w->opts != NULL && !chain_options_allow(w, prev, k, t))
					continue;
				if (increase && (w->before & ((uint32) 1 << k)) &&
					!(w->written & ((uint32) 1 << k)))
					memcpy(w->saved[k], w->slot[k], sizeof(int64) * (k + 1));
				w->written |= (uint32) 1 << k;
				memcpy(w->slot[k], prev, sizeof(int64) * k);
				w->slot[k][k] = t;
				w->reached |= (uint32) 1 << k;
				chain_note(w, k);
				/* strict_deduplication: the chain moves on, it does not stay behind */
				if (dedup)
				{
					w->reached &= ~((uint32) 1 << (k - 1));
					w->before &= ~((uint32) 1 << (k - 1));
				}
			}
		}
		if (w->opts != NULL && run.other != 0)
			chain_note_exclusions(w, run.other, t);
		if (w->attempts != NULL && w->best_level == w->nsteps)
			chain_end_attempt(w);
		i = run.end;
	}
	if (w->attempts != NULL)
		chain_end_attempt(w);
}

/*
 * Fold the run's partial chains (at timestamp t) into the slots: per level,
 * the latest start wins, a chain of this run over an equal older one.
 * Levels go downwards so that a chain's origin slot is read before it is
 * overwritten.
 */
static void
once_fold_run(ChainWalk *w, StrictOnceLevel *levels, uint32 before, int64 t)
{
	int			k;
	int			top = -1;

	for (k = w->nsteps - 1; k >= 0; k--)
	{
		const StrictOnceChain *best = NULL;
		int			ch;
		int			i;

		for (ch = 0; ch < levels[k].n; ch++)
			if (best == NULL || levels[k].chains[ch].first > best->first)
				best = &levels[k].chains[ch];
		if (best == NULL)
			continue;
		if (top < 0)
			top = k;
		if ((before & ((uint32) 1 << k)) && w->slot[k][0] > best->first)
			continue;
		for (i = 0; i <= best->origin; i++)
			w->slot[k][i] = w->slot[best->origin][i];
		for (i = best->origin + 1; i <= k; i++)
			w->slot[k][i] = t;
		w->slot[k][0] = best->first;
		levels[k].n = 0;
	}
	for (k = 0; k < w->nsteps; k++)
		levels[k].n = 0;
	if (top >= 0)
		chain_note(w, top);
}

/*
 * strict_once walk: a row that matches several steps serves at most one
 * step of a chain.  As window_funnel's, with the chains' times kept and
 * the corrections described at the top of this file.
 */
static void
chain_walk_once(ChainWalk *w, const BufferedEvent *ev, int32 n)
{
	StrictOnceLevel *levels = palloc0(sizeof(StrictOnceLevel) * w->nsteps);
	StrictOnceRun run;
	uint8		used[STRICT_ONCE_MAX_MASKS];
	bool		increase = (w->modes & FUNNEL_MODE_STRICT_INCREASE) != 0;
	int32		i = 0;
	int			k;

	while (i < n && w->best_level < w->nsteps)
	{
		int64		t = ev[i].ts;
		uint32		before;
		uint32		once;
		int			nmasks;
		int32		j;
		bool		end_waiting = false;

		CHECK_FOR_INTERRUPTS();
		if (chain_entry_over(w, t))
			break;
		strict_once_scan_run(ev, i, n, &run);
		j = run.end;
		once = run.steps;
		nmasks = run.nmasks;

		if (run.unmatched && (w->modes & FUNNEL_MODE_STRICT_ORDER) && w->first_event)
			chain_reset(w);
		before = w->reached;

		while (once != 0)
		{
			uint32		bit;
			int32		r;

			k = pg_rightmost_one_pos32(once);
			once &= once - 1;
			bit = (uint32) 1 << k;

			for (r = i; r < j; r++)
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
					if (!chain_may_start(w, t))
					{
						/* the waiting chain still takes steps at t, as a start's would */
						end_waiting |= chain_start_ends_waiting(w, t);
						continue;
					}
					strict_once_add(&levels[0], used, nmasks, t, -1);
					w->reached |= 1;
					w->first_event = true;
					continue;
				}
				if (!chain_guard(w, k, false))
				{
					if (w->reached == 0)
					{
						/* the chains of this run ended too */
						once_fold_run(w, levels, 0, t);
						before = 0;
					}
					continue;
				}
				if (!(w->reached & (bit >> 1)))
					continue;

				/* chains from earlier timestamps: their last step is before t */
				if ((before & (bit >> 1)) &&
					chain_within_window(w, w->slot[k - 1][0], t))
				{
					strict_once_add(&levels[k], used, nmasks, w->slot[k - 1][0], k - 1);
					added = true;
				}
				/* chains of this run end at t: never strictly increasing */
				if (!increase &&
					strict_once_extend(&levels[k], &levels[k - 1], &run, c, nmasks, true))
					added = true;
				if (added)
					w->reached |= bit;
			}
		}
		if (end_waiting)
			w->reached &= ~(uint32) 1;
		once_fold_run(w, levels, before, t);
		i = j;
	}
	for (k = 0; k < w->nsteps; k++)
		if (levels[k].chains != NULL)
			pfree(levels[k].chains);
	pfree(levels);
}

/*
 * The best chain of one entity's events (see the top of this file) into
 * *best; under count=attempts (attempts not NULL) also every attempt's.
 * The events must be sorted.
 */
void
funnel_chain_walk(const ChainSetup *setup, const BufferedEvent *ev, int32 n,
				  ChainResult *best, ChainAttempts *attempts)
{
	ChainWalk	walk;
	ChainWalk  *w = &walk;
	int			k;

	w->window = setup->window;
	w->modes = setup->modes;
	w->nsteps = setup->nsteps;
	w->steps = condition_bits(setup->nsteps);
	w->opts = setup->opts;
	w->attempts = attempts;
	w->entry_first = setup->opts != NULL && setup->opts->entry_first;
	w->has_entry = false;
	w->entry_t = 0;
	for (k = 0; k < FUNNEL_MAX_STEPS; k++)
		w->last_excl[k] = PG_INT64_MIN;
	w->attempts = NULL;
	chain_reset(w);
	w->attempts = attempts;
	w->best_level = 0;

	if (n > 0)
	{
		if (setup->modes & FUNNEL_MODE_STRICT_ONCE)
			chain_walk_once(w, ev, n);
		else
			chain_walk_default(w, ev, n);
	}

	best->level = w->best_level;
	for (k = 0; k < w->best_level; k++)
	{
		best->t[k] = w->best[k];
		best->step[k] = (int8) k;
	}
}

/*
 * exclusion=remove: whether an exclusion disqualifies `chain` (found in
 * ev[0 .. n) with the exclusions ignored): for some exclude=I-J that the
 * chain reached step I of, a row of that exclusion lies strictly after
 * step I and strictly before step J, or, when the chain stopped before
 * step J, anywhere after step I up to the end of the window of its step 1
 * (where step J could still have come).
 */
bool
funnel_chain_excluded(const ChainSetup *setup, const BufferedEvent *ev, int32 n,
					  const ChainResult *chain)
{
	const FunnelOptions *o = setup->opts;
	int			e;

	for (e = 0; e < o->nexcl; e++)
	{
		uint32		bit = (uint32) 1 << (setup->nsteps + e);
		int			from = o->excl_from[e] - 1;
		int			to = o->excl_to[e] - 1;
		int64		lo;
		int64		hi;			/* last time that counts */
		int32		a = 0,
					b = n;

		if (chain->level <= from)
			continue;
		lo = chain->t[from];
		if (chain->level > to)
		{
			if (chain->t[to] == lo)
				continue;		/* no row lies strictly between */
			hi = chain->t[to] - 1;
		}
		else
			hi = time_window_end(chain->t[0], setup->window);
		/* the first row after step I */
		while (a < b)
		{
			int32		mid = a + (b - a) / 2;

			if (ev[mid].ts <= lo)
				a = mid + 1;
			else
				b = mid;
		}
		for (; a < n && ev[a].ts <= hi; a++)
		{
			if ((a & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (ev[a].mask & bit)
				return true;
		}
	}
	return false;
}
