/*
 * transition_args.c
 *		What an aggregate's support function can learn about its call
 *		site.
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "common/transition_args.h"
#include "nodes/primnodes.h"

/*
 * The aggregate memory context of a support function `fn` of the aggregates
 * `aggs` (for the hint, such as "funnel_agg(...)").  Support functions are callable from SQL (with NULL for their
 * internal state), where there is no aggregate to keep the state in: that
 * is a user's error, not an internal one, so it gets a SQLSTATE and a hint.
 */
MemoryContext
aggregate_call_context(FunctionCallInfo fcinfo, const char *fn, const char *aggs)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s can only be called by an aggregate", fn),
				 errhint("Call %s instead of its support function.", aggs)));
	return aggcxt;
}

/*
 * Whether the transition arguments a, b and c (-1 for none) are constants
 * in the query, so that a definition built from them (a window, a mode
 * string, step names, a model) is checked once, not per row.  The
 * transition's own fn_expr has placeholder arguments, so this looks at the
 * Aggref.
 */
bool
transition_args_const(FunctionCallInfo fcinfo, int a, int b, int c)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	int			args[3];
	int			i;

	if (aggref == NULL)
		return false;
	args[0] = a;
	args[1] = b;
	args[2] = c;
	for (i = 0; i < 3; i++)
	{
		TargetEntry *tle;

		if (args[i] < 0)
			continue;
		/* argument k of the transition (0 is the state) is Aggref argument k - 1 */
		if (args[i] - 1 >= list_length(aggref->args))
			return false;
		tle = list_nth_node(TargetEntry, aggref->args, args[i] - 1);
		if (!IsA(tle->expr, Const))
			return false;
	}
	return true;
}
