/*
 * misplaced_mode.c
 *		A text value written after ts, where the first condition goes:
 *		the error that says what was probably meant, and window_funnel's
 *		overloads that raise it.
 *
 * window_funnel(window, ts, 'strict_order', cond...) would otherwise read
 * 'strict_order' as a boolean condition and fail with "invalid input
 * syntax for type boolean".  The overloads window_funnel(interval, ts,
 * text, VARIADIC boolean[]) catch such calls (an unknown literal prefers
 * text to boolean) and raise, on the first row or, without rows, from the
 * final function, an error naming the mode's place, or saying that the
 * conditions are boolean when the text is no mode list.
 */
#include "postgres.h"

#include "common/error_trap.h"
#include "common/pg_compat.h"
#include "mb/pg_wchar.h"
#include "nodes/primnodes.h"
#include "utils/builtins.h"
#include "window_funnel/funnel_mode.h"
#include "window_funnel/misplaced_mode.h"

PG_FUNCTION_INFO_V1(window_funnel_misplaced_transition);
PG_FUNCTION_INFO_V1(window_funnel_misplaced_final);

/* What the call site passed where the first condition goes. */
typedef enum MisplacedKind
{
	MISPLACED_UNKNOWN,			/* a NULL from an expression, or no row to tell */
	MISPLACED_NULL,				/* a NULL constant (an untyped NULL literal) */
	MISPLACED_VALUE				/* a text value */
} MisplacedKind;

/* Longest part of the value that the message quotes. */
#define MISPLACED_QUOTE_MAX 64

/*
 * The misplaced argument: transition argument argno when the transition
 * has it (PG_NARGS() > argno), else the call site's constant (a final
 * function sees no arguments, but the Aggref names them).
 */
static MisplacedKind
misplaced_argument(FunctionCallInfo fcinfo, int argno, text **value)
{
	Aggref	   *aggref = AggGetAggref(fcinfo);
	Const	   *c = NULL;

	/* transition argument k (0 is the state) is Aggref argument k - 1 */
	if (aggref != NULL && argno - 1 < list_length(aggref->args))
	{
		TargetEntry *tle = list_nth_node(TargetEntry, aggref->args, argno - 1);

		if (IsA(tle->expr, Const))
			c = (Const *) tle->expr;
	}
	if (PG_NARGS() > argno)
	{
		if (!PG_ARGISNULL(argno))
		{
			*value = PG_GETARG_TEXT_PP(argno);
			return MISPLACED_VALUE;
		}
		return c != NULL ? MISPLACED_NULL : MISPLACED_UNKNOWN;
	}
	if (c == NULL)
		return MISPLACED_UNKNOWN;
	if (c->constisnull)
		return MISPLACED_NULL;
	*value = DatumGetTextPP(c->constvalue);
	return MISPLACED_VALUE;
}

/*
 * Raise the error for a text argument argno (of the transition; 3 in every
 * form, after the state, window and ts) of aggregate aggname that stands
 * where the first boolean condition goes.  A valid mode list (by
 * is_mode_list) was meant as the mode, before ts; anything else is a
 * condition of the wrong type, and the hint adds steps_hint (another way
 * to write the steps, or "").  SQLSTATE 22023.
 */
void
misplaced_mode_error(FunctionCallInfo fcinfo, const char *aggname, int argno,
					 ModeListCheck is_mode_list, const char *steps_hint)
{
	text	   *value = NULL;
	MisplacedKind kind = misplaced_argument(fcinfo, argno, &value);
	char	   *str = NULL;
	int			len = 0;
	int			quoted = 0;

	if (kind == MISPLACED_NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s conditions are boolean, but an untyped NULL was passed as the first condition",
						aggname),
				 errhint("Write NULL::boolean for a condition that never matches.")));
	if (kind == MISPLACED_VALUE)
	{
		str = text_to_cstring(value);
		len = strlen(str);
		if (is_mode_list(str, len))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s got the mode %s after ts", aggname, quote_literal_cstr(str)),
					 errhint("The mode goes before ts: %s(window, %s, ts, conditions...).",
							 aggname, quote_literal_cstr(str))));
		quoted = pg_mbcliplen(str, len, MISPLACED_QUOTE_MAX);
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s conditions are boolean, but a text value was passed as the first condition",
					aggname),
			 kind == MISPLACED_VALUE ?
			 errdetail("The text value is \"%.*s%s\".", quoted, str, quoted < len ? "..." : "") : 0,
			 errhint("Write each condition as a boolean expression, such as event = 'view'; a mode goes before ts: %s(window, mode, ts, conditions...).%s",
					 aggname, steps_hint)));
	pg_unreachable();
}

/* funnel_parse_modes, under error_trap_call. */
static void
parse_modes_call(void *arg)
{
	const text *t = (const text *) arg;

	(void) funnel_parse_modes(VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
}

/* Whether str[0..len) is a list of window_funnel modes. */
static bool
window_funnel_mode_list(const char *str, int len)
{
	char	   *message;

	return error_trap_call(parse_modes_call, cstring_to_text_with_len(str, len), &message);
}

/*
 * Transition of window_funnel(window, ts, misplaced text, VARIADIC steps):
 * the error on the first row.
 */
Datum
window_funnel_misplaced_transition(PG_FUNCTION_ARGS)
{
	misplaced_mode_error(fcinfo, "window_funnel", 3, window_funnel_mode_list, "");
}

/* Final of the same: the error for a group without rows. */
Datum
window_funnel_misplaced_final(PG_FUNCTION_ARGS)
{
	misplaced_mode_error(fcinfo, "window_funnel", 3, window_funnel_mode_list, "");
}
