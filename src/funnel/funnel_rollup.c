/*
 * funnel_rollup.c
 *		rollup(funnel): the aggregate that merges funnels of disjoint entity
 *		sets.  Its state is a `funnel` (not internal), so that Citus can
 *		split it into partial aggregates on the workers.
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "fmgr.h"
#include "funnel/funnel.h"
#include "funnel/funnel_people.h"

PG_FUNCTION_INFO_V1(funnel_rollup_transition);
PG_FUNCTION_INFO_V1(funnel_rollup_final);

/*
 * Transition and combine of rollup(funnel): add a funnel of other entities
 * to the state.  Inside an aggregate the state is a general funnel owned by
 * the aggregate and is updated in place; when its sketches need more
 * buckets a larger copy is returned, which the executor moves into the
 * aggregate context in place of the old one.  NULL funnels are skipped.
 * When the state or the value carries people, funnel_people_rollup merges
 * them (its state is an expanded object).
 */
Datum
funnel_rollup_transition(PG_FUNCTION_ARGS)
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
	if ((!PG_ARGISNULL(0) && funnel_people_is_state(PG_GETARG_DATUM(0))) ||
		funnel_has_people(f))
		return funnel_people_rollup(fcinfo, f);
	if (PG_ARGISNULL(0))
		PG_RETURN_FUNNEL_P(f);	/* the executor copies it into its context */
	state = PG_GETARG_FUNNEL_P(0);
	if (funnel_has_people(state))
		return funnel_people_rollup(fcinfo, f);
	PG_RETURN_FUNNEL_P(funnel_merge(state, f, AggCheckCallContext(fcinfo, NULL)));
}

/*
 * Final of rollup: the merged funnel in canonical form (trimmed sketches;
 * one entity in the single form, without the entry time and breakdown
 * that describe a single entity's chain).  Returns a copy; the state is
 * untouched.
 */
Datum
funnel_rollup_final(PG_FUNCTION_ARGS)
{
	Funnel	   *f = funnel_normalize(PG_GETARG_FUNNEL_P(0));

	if (funnel_is_single(f) && (f->flags & FUNNEL_FLAG_ENTRY))
		f = funnel_without_entity(f);
	PG_RETURN_FUNNEL_P(f);
}
