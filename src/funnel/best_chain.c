/*
 * best_chain.c
 *		best_chain(funnel): the aggregate that merges one entity's
 *		one-entity funnels (funnel_agg's values over several periods, for
 *		example per day) into the value of that entity's best chain.
 *
 * The rule is funnel_agg's (chain_better in funnel_chain.h): the highest
 * step; then the chain that reached it first (its entry plus its time from
 * step 1 to that step; at level 1 its entry); then the one that started
 * latest.  Under entry=first the earliest entry wins instead (the entity's
 * first chain).  The chosen value is kept whole, with its times, entry and
 * breakdown.  With per-period values built with entry ranges
 * (entry_from=, entry_before=) that partition a range and read rows up to
 * one window past their period, the result equals funnel_agg over the
 * whole range, byte for byte (doc/semantics.md, "Periods").
 *
 * The state is a `funnel` (not internal) and the transition is also the
 * combine function, as for rollup.  A value is never changed: the
 * transition returns the better of its two arguments, and the executor
 * copies a new one into the aggregate context.
 */
#include "postgres.h"

#include "common/int.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "funnel/funnel.h"

PG_FUNCTION_INFO_V1(best_chain_transition);

/*
 * Check that f is one entity's funnel_agg value whose best chain can be
 * compared with others': the single form, with its entry time when it
 * reached a step, and not built with exclusion=remove.
 */
static void
check_entity_value(const Funnel *f)
{
	if (funnel_counts_attempts(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("best_chain merges one-entity funnels, but got a count=attempts funnel"),
				 errhint("A count=attempts funnel counts every attempt, not one best chain; build the per-period values with count=uniques (the default).")));
	if (!funnel_is_single(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("best_chain merges one-entity funnels, but got a funnel of " INT64_FORMAT " entities",
						funnel_entities(f)),
				 errhint("best_chain merges one entity's values (funnel_agg's, such as one per day); rollup merges the values of different entities.")));
	if (funnel_has_option(f, "exclusion=remove"))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("best_chain cannot merge funnels built with exclusion=remove"),
				 errdetail("Under exclusion=remove an exclusion may remove a period's best chain while another chain of that period, which its value does not keep, is the entity's best over the whole range."),
				 errhint("Compute the funnel over the whole range with funnel_agg, or use exclusion=drop_off.")));
	if (f->level >= 1 && !(f->flags & FUNNEL_FLAG_ENTRY))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("best_chain needs the entry time of each funnel's chain, but a funnel at step %d has none",
						f->level),
				 errhint("Pass funnel_agg's values: rollup's result and values from version 0.1.0 do not keep the entry time.")));
}

/*
 * When the value's chain reached its highest step: its entry plus its time
 * from step 1 to that step (saturating, as the times themselves do).
 */
static int64
reach_time(const Funnel *f)
{
	int64		entry = *funnel_entry_ptr(f);
	int64		reach;

	if (f->level < 2)
		return entry;
	if (pg_add_s64_overflow(entry, funnel_single_times(f)[f->level - 2], &reach))
		return PG_INT64_MAX;
	return reach;
}

/*
 * Whether value a's chain beats value b's (same definition): funnel_agg's
 * rule, or under entry=first the earlier entry; equal chains (only values
 * of one period can be equal) are ranked by their bytes, so that the
 * result never depends on the order of the rows.
 */
static bool
value_better(const Funnel *a, const Funnel *b, bool entry_first)
{
	Size		la = VARSIZE(a);
	Size		lb = VARSIZE(b);
	int			c;

	if (a->level == 0 || b->level == 0)
		return a->level > b->level;
	if (entry_first && *funnel_entry_ptr(a) != *funnel_entry_ptr(b))
		return *funnel_entry_ptr(a) < *funnel_entry_ptr(b);
	if (a->level != b->level)
		return a->level > b->level;
	if (reach_time(a) != reach_time(b))
		return reach_time(a) < reach_time(b);
	if (*funnel_entry_ptr(a) != *funnel_entry_ptr(b))
		return *funnel_entry_ptr(a) > *funnel_entry_ptr(b);
	if (la != lb)
		return la < lb;
	c = memcmp(a, b, la);
	return c < 0;
}

/*
 * Transition and combine of best_chain(funnel): the better of the state
 * and the new value (funnel_agg's rule, above).  NULL values are skipped;
 * every value is checked, and values of different definitions are an
 * error, as for rollup.
 */
Datum
best_chain_transition(PG_FUNCTION_ARGS)
{
	Funnel	   *state;
	Funnel	   *f;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	f = PG_GETARG_FUNNEL_P(1);
	check_entity_value(f);
	if (PG_ARGISNULL(0))
		PG_RETURN_FUNNEL_P(f);	/* the executor copies it into its context */
	state = PG_GETARG_FUNNEL_P(0);
	funnel_check_same_definition(state, f, "merge", "merged");
	if (value_better(f, state, funnel_has_option(f, "entry=first")))
		PG_RETURN_FUNNEL_P(f);
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}
