/*
 * funnel_result.c
 *		One entity's funnel value from its collected events: the walk per
 *		hold value, the best chain over them (or every attempt), its entry
 *		time and its breakdown value.
 *
 * Under hold-constant the events are split by hold value (NULL is a value
 * of its own) and each part is walked as if it were all the entity did;
 * the entity's chain is the best part's by chain_better, the part with the
 * least value winning a tie.  Values are ranked by their bytes, so nothing
 * depends on the order rows arrived in.
 *
 * entry=first evaluates the entity from its first step-1 row overall: only
 * the parts whose first step-1 row is at that time are walked (each from
 * that row), so entry_time is the entity's first entry, hold or not.
 * An entry range (entry_from=, entry_before=) is applied by the walks; the
 * value's options string records "entry_range" without the bounds, which
 * are not part of its definition (funnels of different periods merge).
 * exclusion=remove walks without the exclusions and then drops the best
 * chain (the entity reaches no step) when an exclusion row of its part
 * disqualifies it (funnel_chain_excluded).
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "common/time_window.h"
#include "common/value_pairs.h"
#include "funnel/funnel.h"
#include "funnel/funnel_chain.h"
#include "miscadmin.h"
#include "window_funnel/funnel_mode.h"

/* The events split by hold value: part p is ev[start[p] .. start[p+1]). */
typedef struct HoldParts
{
	BufferedEvent *ev;			/* tags replaced by value ranks */
	int32		nparts;
	int32	   *start;
	int32	   *pair_of_rank;	/* value pair of each rank */
} HoldParts;

/*
 * Split sorted events by hold value, keeping (ts, mask) order inside each
 * part (a stable counting sort), with each tag replaced by its pair's rank.
 * One allocation holds every array (freed by free_parts).
 */
static void
split_by_hold(const EventBuffer *state, HoldParts *parts)
{
	const ValuePairs *v = state->values;
	int32		npairs = v->count;
	BufferedEvent *ev = palloc(sizeof(BufferedEvent) * state->nevents +
							 sizeof(int32) * (5 * npairs + 1));
	int32	   *cls = (int32 *) (ev + state->nevents);
	int32	   *rank = cls + npairs;
	int32	   *order = rank + npairs;
	int32	   *pos = order + npairs;
	int32		i;

	value_pairs_ranks(v, cls, rank, order);
	parts->ev = ev;
	parts->pair_of_rank = order;	/* the ranks' pairs, in rank order */
	parts->nparts = cls[order[npairs - 1]] + 1;
	parts->start = pos + npairs;	/* nparts + 1 <= npairs + 1 entries */
	memset(parts->start, 0, sizeof(int32) * (parts->nparts + 1));
	for (i = 0; i < state->nevents; i++)
		parts->start[cls[state->events[i].tag] + 1]++;
	for (i = 0; i < parts->nparts; i++)
		parts->start[i + 1] += parts->start[i];
	memcpy(pos, parts->start, sizeof(int32) * parts->nparts);
	for (i = 0; i < state->nevents; i++)
	{
		BufferedEvent e = state->events[i];
		int32		c = cls[e.tag];

		e.tag = (uint32) rank[e.tag];
		ev[pos[c]++] = e;
	}
}

/* Free what split_by_hold allocated (nothing for a single part). */
static void
free_parts(const EventBuffer *state, HoldParts *parts)
{
	if (parts->ev != state->events)
		pfree(parts->ev);
}

/*
 * The breakdown value of the chain found in ev[0 .. n): the row at the
 * chain's position p (its step, at its time); when several rows qualify,
 * the least value.  False when the chain has no such position or the
 * value is NULL.
 */
static bool
chain_breakdown(const EventBuffer *state, const HoldParts *parts, const BufferedEvent *ev,
				int32 n, const ChainResult *chain, PairValue *out)
{
	const FunnelOptions *opts = funnel_state_options(state);
	int			p = -1;
	int32		lo = 0,
				hi = n;
	int32		best = -1;
	uint32		bit;
	PairValue hold;

	if (chain->level == 0)
		return false;
	if (opts->breakdown == FUNNEL_BREAKDOWN_FIRST)
		p = 0;
	else if (opts->breakdown == FUNNEL_BREAKDOWN_LAST)
		p = chain->level - 1;
	else if (opts->breakdown == FUNNEL_BREAKDOWN_STEP)
	{
		int			q;

		for (q = 0; q < chain->level; q++)
			if (chain->step[q] == opts->breakdown_step - 1)
				p = q;
	}
	if (p < 0)
		return false;

	/* the first row at the position's time, then the rows of its step */
	while (lo < hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (ev[mid].ts < chain->t[p])
			lo = mid + 1;
		else
			hi = mid;
	}
	bit = (uint32) 1 << chain->step[p];
	for (; lo < n && ev[lo].ts == chain->t[p]; lo++)
		if ((ev[lo].mask & bit) && (best < 0 || (int32) ev[lo].tag < best))
			best = (int32) ev[lo].tag;
	if (best < 0)
		return false;
	value_pairs_get(state->values, parts->pair_of_rank[best], &hold, out);
	return out->len >= 0;
}

/*
 * The time of the first row in ev[0 .. n) (sorted) that can start a chain:
 * one matching step 1, or under order=any any step, in the entry range if
 * there is one; false when none does.
 */
static bool
first_start(const BufferedEvent *ev, int32 n, uint32 starts, const FunnelOptions *opts,
			int64 *t)
{
	int32		i;

	for (i = 0; i < n; i++)
		if ((ev[i].mask & starts) && funnel_entry_in_range(opts, ev[i].ts))
		{
			*t = ev[i].ts;
			return true;
		}
	return false;
}

/*
 * count=attempts: one entity's value, general form, with each attempt
 * counted at the steps it reached.
 */
static Funnel *
attempts_funnel(const FunnelDefinition *def, const ChainAttempts *att)
{
	Funnel	   *proto = funnel_make_single(def, 0, NULL);
	int32		none[2 * FUNNEL_MAX_STEPS] = {0};
	Funnel	   *acc = funnel_make_general(proto, 0, none, none);
	Funnel	   *out;
	int			a,
				k;

	for (a = 0; a < att->n; a++)
	{
		const ChainResult *c = &att->items[a];
		int64		times[FUNNEL_MAX_STEPS];
		Funnel	   *one;
		Funnel	   *merged;

		for (k = 1; k < c->level; k++)
			times[k - 1] = time_elapsed(c->t[0], c->t[k]);
		one = funnel_make_single(def, c->level, times);
		merged = funnel_merge(acc, one, false);
		if (merged != acc)
			pfree(acc);
		acc = merged;
		pfree(one);
	}
	*funnel_entities_ptr(acc) = 1;
	out = funnel_normalize(acc);
	pfree(acc);
	pfree(proto);
	return out;
}

/*
 * The value of funnel_agg for one entity's events (the state is sorted in
 * place, which keeps its contents: the final function stays read-only);
 * integer_time marks it as built over integer times (the bigint forms).
 */
Funnel *
funnel_from_events(EventBuffer *state, bool integer_time)
{
	const FunnelOptions *opts = funnel_state_options(state);
	ChainSetup	setup;
	FunnelOptions walk_opts;
	FunnelDefinition def;
	FunnelEntity entity;
	HoldParts	parts;
	ChainResult best;
	ChainResult cand;
	ChainAttempts att = {0};
	int64		times[FUNNEL_MAX_STEPS];
	const BufferedEvent *best_ev = NULL;
	int32		best_n = 0;
	Funnel	   *result;
	int32		one_part[2];
	int32		p;
	int			k;
	bool		entry_first = opts != NULL && opts->entry_first;
	uint32		starts = opts != NULL && opts->any_order ? condition_bits(state->nsteps) : 1;
	int64		first_t = 0;
	char	   *value_labels = NULL;

	event_buffer_sort(state);
	setup.window = state->window;
	setup.modes = state->modes;
	setup.nsteps = state->nsteps;
	setup.opts = opts;
	if (opts != NULL && opts->excl_remove)
	{
		/* the walk ignores the exclusions; the best chain is judged after */
		walk_opts = *opts;
		walk_opts.nexcl = 0;
		setup.opts = &walk_opts;
	}
	def.window = state->window;
	def.modes = state->modes;
	def.nsteps = state->nsteps;
	def.labels = state->labels ? state->labels->data : NULL;
	def.labels_size = state->labels ? state->labels->size : 0;
	def.flags = (opts ? FUNNEL_FLAG_OPTIONS : 0) | (integer_time ? FUNNEL_FLAG_INTEGER_TIME : 0);
	if (opts != NULL && opts->entry_bounded)
	{
		/* the value records that a range was applied, not its bounds */
		char	   *cut;

		def.labels_size = funnel_value_labels_size(def.labels, def.labels_size, opts);
		cut = palloc(def.labels_size);
		memcpy(cut, def.labels, def.labels_size - 1);
		cut[def.labels_size - 1] = '\0';
		def.labels = cut;
		value_labels = cut;
	}

	if (state->values != NULL && state->values->count > 1)
		split_by_hold(state, &parts);
	else
	{
		/* one part, and at most one pair (its tag 0 is its rank) */
		parts.ev = state->events;
		parts.nparts = 1;
		parts.start = one_part;
		parts.start[0] = 0;
		parts.start[1] = state->nevents;
		parts.pair_of_rank = one_part;
	}

	best.level = 0;
	if (entry_first && !first_start(state->events, state->nevents, starts, opts, &first_t))
		parts.nparts = 0;		/* no step-1 row: no chain */
	for (p = 0; p < parts.nparts; p++)
	{
		const BufferedEvent *ev = parts.ev + parts.start[p];
		int32		n = parts.start[p + 1] - parts.start[p];
		int64		part_t;

		CHECK_FOR_INTERRUPTS();
		/* entry=first: only the parts that hold the entity's first entry */
		if (entry_first && (!first_start(ev, n, starts, opts, &part_t) || part_t != first_t))
			continue;
		if (opts != NULL && opts->any_order)
			funnel_any_order_walk(&setup, ev, n, &cand);
		else
			funnel_chain_walk(&setup, ev, n, &cand,
							  opts != NULL && opts->attempts ? &att : NULL);
		if (chain_better(&cand, &best))
		{
			/* the filled part only: a chain is mostly unused room */
			best.level = cand.level;
			memcpy(best.t, cand.t, sizeof(int64) * cand.level);
			memcpy(best.step, cand.step, cand.level);
			best_ev = ev;
			best_n = n;
		}
	}
	if (opts != NULL && opts->attempts)
	{
		Funnel	   *f = attempts_funnel(&def, &att);

		if (att.items != NULL)
			pfree(att.items);
		free_parts(state, &parts);
		if (value_labels != NULL)
			pfree(value_labels);
		return f;
	}

	/* exclusion=remove: a disqualified best chain leaves the entity at no step */
	if (opts != NULL && opts->excl_remove && best.level > 0)
	{
		setup.opts = opts;
		if (funnel_chain_excluded(&setup, best_ev, best_n, &best))
			best.level = 0;
	}

	memset(&entity, 0, sizeof(entity));
	entity.has_entry = best.level > 0;
	entity.local_time = (state->time_flags & EVENT_TIME_LOCAL) != 0;
	entity.entry = best.level > 0 ? best.t[0] : 0;
	if (state->values != NULL && opts->breakdown != FUNNEL_BREAKDOWN_NONE)
	{
		PairValue bd;

		if (chain_breakdown(state, &parts, best_ev, best_n, &best, &bd))
		{
			entity.breakdown = bd.data;
			entity.breakdown_len = bd.len;
		}
	}
	for (k = 1; k < best.level; k++)
		times[k - 1] = time_elapsed(best.t[0], best.t[k]);
	result = funnel_make_entity(&def, best.level, times, &entity);
	free_parts(state, &parts);
	if (value_labels != NULL)
		pfree(value_labels);
	return result;
}
