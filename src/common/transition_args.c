/*
 * transition_args.c
 *		What an aggregate's transition function can learn about its call
 *		site's arguments.
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "common/transition_args.h"
#include "nodes/primnodes.h"

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
