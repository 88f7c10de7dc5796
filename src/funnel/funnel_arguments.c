/*
 * funnel_arguments.c
 *		funnel_agg's guards against arguments in the wrong place: the typed
 *		hold and breakdown values (hold_by, breakdown_by), the errors of
 *		the retired 0.1.0 forms that took them as two text arguments, and
 *		the error for a mode written after ts.
 *
 * funnel_hold and funnel_breakdown are stored exactly as text (declared
 * with text's I/O functions) and have no cast from text, so a call names
 * each value, hold_by(product), breakdown_by(channel), and a swapped pair
 * matches no overload.  The transitions read them as text datums.
 */
#include "postgres.h"

#include "common/error_trap.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "funnel/funnel_options.h"
#include "nodes/primnodes.h"
#include "utils/builtins.h"
#include "window_funnel/misplaced_mode.h"

PG_FUNCTION_INFO_V1(funnel_hold_by);
PG_FUNCTION_INFO_V1(funnel_breakdown_by);
PG_FUNCTION_INFO_V1(funnel_agg_untyped_transition);
PG_FUNCTION_INFO_V1(funnel_agg_untyped_final);
PG_FUNCTION_INFO_V1(funnel_agg_misplaced_transition);
PG_FUNCTION_INFO_V1(funnel_agg_misplaced_final);

/* hold_by(value text): the same bytes as a funnel_hold (STRICT: NULL stays NULL). */
Datum
funnel_hold_by(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

/* breakdown_by(value text): the same bytes as a funnel_breakdown. */
Datum
funnel_breakdown_by(PG_FUNCTION_ARGS)
{
	PG_RETURN_DATUM(PG_GETARG_DATUM(0));
}

/*
 * The error of a retired form with hold and breakdown as text; steps_named
 * for the form with an event and step names (its call is shown in the
 * hint).  SQLSTATE 42883, undefined_function, as for a call no overload
 * takes: the swap these forms allowed now is one.
 */
pg_noreturn static void
untyped_values_error(bool steps_named)
{
	ereport(ERROR,
			(errcode(ERRCODE_UNDEFINED_FUNCTION),
			 errmsg("funnel_agg takes hold and breakdown as typed values, not text"),
			 errdetail("Since version 0.2.0 the hold and breakdown arguments are typed, so that they cannot be swapped."),
			 steps_named ?
			 errhint("Wrap each value: funnel_agg(window, mode, ts, event, steps, hold_by(product), breakdown_by(channel)); hold_by(NULL) or breakdown_by(NULL) for none.") :
			 errhint("Wrap each value: funnel_agg(window, mode, ts, hold_by(product), breakdown_by(channel), conditions...); hold_by(NULL) or breakdown_by(NULL) for none.")));
}

/*
 * Transition of the retired forms funnel_agg(window, mode, ts, hold text,
 * breakdown text, VARIADIC steps) and funnel_agg(window, mode, ts, event,
 * steps, hold text, breakdown text), told apart by argument count: the
 * error on the first row.
 */
Datum
funnel_agg_untyped_transition(PG_FUNCTION_ARGS)
{
	untyped_values_error(PG_NARGS() == 8);
}

/*
 * Final of the same: the error for a group without rows.  The Aggref
 * tells the forms apart (7 argument types with step names, 6 without;
 * its args may also hold ORDER BY columns).
 */
Datum
funnel_agg_untyped_final(PG_FUNCTION_ARGS)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);

	untyped_values_error(aggref != NULL && list_length(aggref->aggargtypes) == 7);
}

/* The misplaced-mode hint's addition: funnel_agg also takes step names. */
#define NAMED_STEPS_HINT \
	" Or name the steps by event: funnel_agg(window, ts, event, ARRAY['view', 'cart'])."

/* funnel_parse_options of a boolean form's mode string, under error_trap_call. */
static void
parse_options_call(void *arg)
{
	const text *t = (const text *) arg;
	FunnelOptions opts;
	FunnelOptionNames names;

	(void) funnel_parse_options(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), FUNNEL_SYNTAX_BOOLEAN,
								&opts, &names);
}

/*
 * funnel_parse_options in the stored syntax, under error_trap_call: it
 * takes 0.1.0's unnamed exclude=I-J, so an old mode string written after
 * ts is still recognised as a mode string.
 */
static void
parse_stored_options_call(void *arg)
{
	const text *t = (const text *) arg;
	FunnelOptions opts;

	(void) funnel_parse_options(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t), FUNNEL_SYNTAX_STORED,
								&opts, NULL);
}

/* Whether str[0..len) is a list of funnel_agg's modes and options. */
static bool
funnel_agg_mode_list(const char *str, int len)
{
	char	   *message;
	text	   *t = cstring_to_text_with_len(str, len);

	return error_trap_call(parse_options_call, t, &message) ||
		error_trap_call(parse_stored_options_call, t, &message);
}

/*
 * Transition of funnel_agg(window, ts, misplaced text, first_step, VARIADIC
 * steps): the error on the first row (misplaced_mode.c).
 */
Datum
funnel_agg_misplaced_transition(PG_FUNCTION_ARGS)
{
	misplaced_mode_error(fcinfo, "funnel_agg", 3, funnel_agg_mode_list, NAMED_STEPS_HINT);
}

/* Final of the same: the error for a group without rows. */
Datum
funnel_agg_misplaced_final(PG_FUNCTION_ARGS)
{
	misplaced_mode_error(fcinfo, "funnel_agg", 3, funnel_agg_mode_list, NAMED_STEPS_HINT);
}
