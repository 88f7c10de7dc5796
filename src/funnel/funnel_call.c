/*
 * funnel_call.c
 *		Checking and caching a funnel_agg call site's definition arguments.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/integer_time.h"
#include "common/pg_compat.h"
#include "common/transition_args.h"
#include "funnel/funnel_call.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "window_funnel/funnel_mode.h"

/* The step names argument as text datums, checked; returns their count. */
static int
names_argument(ArrayType *arr, Datum **elems)
{
	bool	   *nulls;
	int			n;
	int			k;

	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel step names must be a one-dimensional array, got %d dimensions",
						ARR_NDIM(arr)),
				 errhint("Pass the step names as an array, such as ARRAY['view', 'cart'].")));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, elems, &nulls, &n);
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel needs at least one step name, got 0"),
				 errhint("Pass the step names as an array, such as ARRAY['view', 'cart'].")));
	if (n > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_TOO_MANY_ARGUMENTS),
				 errmsg("funnel has %d step names, more than the maximum of %d",
						n, FUNNEL_MAX_STEPS),
				 errhint("Split the funnel into several.")));
	for (k = 0; k < n; k++)
	{
		text	   *t;
		int			len;

		if (nulls[k])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("funnel step name %d is NULL", k + 1),
					 errhint("Every step needs a name; no event matches NULL.")));
		t = DatumGetTextPP((*elems)[k]);
		len = VARSIZE_ANY_EXHDR(t);
		if (len > FUNNEL_MAX_LABEL || memchr(VARDATA_ANY(t), '\0', len) != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("funnel step name %d is %d bytes long, more than the maximum of %d",
							k + 1, len, FUNNEL_MAX_LABEL),
					 errhint("Use shorter event names.")));
	}
	return n;
}

/* Whether the cached call was built from these arguments. */
static bool
call_matches(const FunnelCall *call, int64 window, const text *mode, const ArrayType *names,
			 int nconds)
{
	if (call->window != window)
		return false;
	if ((mode == NULL) != (call->mode == NULL) ||
		(mode != NULL && (VARSIZE_ANY_EXHDR(mode) != VARSIZE_ANY_EXHDR(call->mode) ||
						  memcmp(VARDATA_ANY(mode), VARDATA_ANY(call->mode),
								 VARSIZE_ANY_EXHDR(mode)) != 0)))
		return false;
	if (names != NULL)
		return call->names != NULL && VARSIZE(call->names) == VARSIZE(names) &&
			memcmp(call->names, names, VARSIZE(names)) == 0;
	return call->names == NULL && call->nconds == nconds;
}

/* One name of the labels blob: a step's or an exclusion's. */
typedef struct CallName
{
	const char *str;
	int			len;
} CallName;

/*
 * The names of the labels blob, one per condition: the steps' (the steps
 * array's elements, or labels=), then the exclusions' (exclude=NAME@I-J);
 * none in a boolean form without labels=.  Returns their count.
 */
static int
call_names(const FunnelCall *call, const FunnelOptionNames *opt_names, Datum *elems,
		   CallName *out)
{
	int			n = 0;
	int			k;

	if (elems == NULL && !opt_names->has_labels)
		return 0;
	for (k = 0; k < call->nsteps; k++, n++)
	{
		if (elems != NULL)
		{
			text	   *t = DatumGetTextPP(elems[k]);

			out[n].str = VARDATA_ANY(t);
			out[n].len = VARSIZE_ANY_EXHDR(t);
		}
		else
		{
			out[n].str = opt_names->label[k];
			out[n].len = opt_names->label_len[k];
		}
	}
	for (k = 0; k < call->options.nexcl; k++, n++)
	{
		out[n].str = opt_names->excl_name[k];
		out[n].len = opt_names->excl_name_len[k];
	}
	return n;
}

/*
 * Build the labels blob: the names (if any), then the options string (if
 * any option is set); NULL when there is neither.
 */
static const EventLabels *
make_labels(FunnelCall *call, const CallName *names, int nnames)
{
	char	   *opts = call->has_options ? funnel_options_to_string(&call->options) : NULL;
	Size		size = opts ? strlen(opts) + 1 : 0;
	EventLabels *labels;
	int			k;

	for (k = 0; k < nnames; k++)
		size += names[k].len + 1;
	if (size == 0)
		return NULL;
	labels = palloc(offsetof(EventLabels, data) + size);
	labels->size = (int32) size;
	labels->parsed = call->has_options ? &call->options : NULL;
	labels->parsed_size = sizeof(FunnelOptions);
	labels->tail = call->has_options;
	size = 0;
	for (k = 0; k < nnames; k++)
	{
		memcpy(labels->data + size, names[k].str, names[k].len);
		labels->data[size + names[k].len] = '\0';
		call->offset[k] = (int32) size;
		call->len[k] = names[k].len;
		size += names[k].len + 1;
	}
	if (opts)
		memcpy(labels->data + size, opts, strlen(opts) + 1);
	return labels;
}

/*
 * The number of steps of a call with nconds conditions (boolean forms) or
 * nnames step names (named forms), checking that the conditions are
 * exactly the steps labels= declares and one per exclusion: a condition
 * too many or too few would otherwise shift a step into an exclusion.
 */
static int
call_steps(const FunnelOptions *opts, const FunnelOptionNames *names, bool named, int nconds)
{
	if (named)
	{
		if (nconds + opts->nexcl > FUNNEL_MAX_STEPS)
			ereport(ERROR,
					(errcode(ERRCODE_TOO_MANY_ARGUMENTS),
					 errmsg("funnel has %d conditions (steps %d, exclusions %d), more than the maximum of %d",
							nconds + opts->nexcl, nconds, opts->nexcl, FUNNEL_MAX_STEPS),
					 errhint("Split the funnel into several.")));
		return nconds;
	}
	if (!names->has_labels)
	{
		if (opts->nexcl > 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel exclusions need labels= in the forms with boolean conditions"),
					 errhint("Label the steps so that their conditions are counted, such as labels=view|cart|purchase, exclude=refund@2-3: the exclusions' conditions follow the steps' conditions, one per exclude= option, in order.")));
		return nconds;
	}
	if (names->nlabels + opts->nexcl != nconds)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 opts->nexcl > 0 ?
				 errmsg_plural("funnel has %d condition, but labels= and exclude= declare %d: steps %d, exclusions %d",
							   "funnel has %d conditions, but labels= and exclude= declare %d: steps %d, exclusions %d",
							   nconds, nconds, names->nlabels + opts->nexcl, names->nlabels,
							   opts->nexcl) :
				 errmsg_plural("funnel has %d condition, but labels= declares %d",
							   "funnel has %d conditions, but labels= declares %d",
							   nconds, nconds, names->nlabels),
				 errhint("Pass one condition per label of labels=, in order, then one per exclude= option. Separate the labels with |; a label cannot contain , or |.")));
	return nconds - opts->nexcl;
}

/*
 * The call site's definition for this row's arguments: window, the mode
 * argument (mode_arg, or -1), the step names (names_arg, or -1 for the
 * boolean forms, which pass nconds), the timestamp argument and whether
 * hold and breakdown arguments exist.  Built once per distinct set of
 * arguments and kept for the query (fn_mcxt), because group states point
 * to its labels; a replaced one is not freed, as older groups may use it.
 */
FunnelCall *
funnel_call_setup(FunctionCallInfo fcinfo, int window_arg, int mode_arg, int names_arg,
				  int nconds, int ts_arg, bool has_values)
{
	FunnelCall *call = (FunnelCall *) fcinfo->flinfo->fn_extra;
	int64		window;
	text	   *mode = NULL;
	ArrayType  *names = NULL;
	Datum	   *elems = NULL;
	FunnelOptionNames opt_names;
	CallName	all_names[FUNNEL_MAX_STEPS];
	int			nnames;
	MemoryContext old;

	/* constant definition arguments: nothing to check after the first row */
	if (call != NULL && call->args_const && call->nconds_const == nconds)
		return call;

	window = funnel_window_argument(fcinfo, window_arg);
	if (mode_arg >= 0)
	{
		if (PG_ARGISNULL(mode_arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("funnel mode must not be NULL"),
					 errhint("Pass '' for the default mode.")));
		mode = PG_GETARG_TEXT_PP(mode_arg);
	}
	if (names_arg >= 0)
	{
		if (PG_ARGISNULL(names_arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("funnel step names must not be NULL"),
					 errhint("Pass the step names as an array, such as ARRAY['view', 'cart'].")));
		names = PG_GETARG_ARRAYTYPE_P(names_arg);
	}
	if (call != NULL && call_matches(call, window, mode, names, nconds))
		return call;

	if (names != NULL)
		nconds = names_argument(names, &elems);

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	call = palloc0(sizeof(FunnelCall));
	call->sole = fcinfo->flinfo->fn_extra == NULL;
	call->window = window;
	if (mode != NULL)
	{
		call->mode = (text *) palloc(VARSIZE_ANY(mode));
		memcpy(call->mode, mode, VARSIZE_ANY(mode));
		call->modes = funnel_parse_options(VARDATA_ANY(call->mode), VARSIZE_ANY_EXHDR(call->mode),
										   names != NULL ? FUNNEL_SYNTAX_NAMED : FUNNEL_SYNTAX_BOOLEAN,
										   &call->options, &opt_names);
	}
	else
		(void) funnel_parse_options("", 0, FUNNEL_SYNTAX_BOOLEAN, &call->options, &opt_names);
	if (names != NULL)
	{
		call->names = (ArrayType *) palloc(VARSIZE(names));
		memcpy(call->names, names, VARSIZE(names));
	}
	if (call->options.hold && !has_values)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel option \"hold\" needs a hold argument"),
				 errhint("Pass the value to hold constant as hold_by(value): funnel_agg(window, mode, ts, event, steps, hold_by(product), NULL).")));
	if (call->options.breakdown != FUNNEL_BREAKDOWN_NONE && !has_values)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel option \"breakdown=\" needs a breakdown argument"),
				 errhint("Pass the value to break down by as breakdown_by(value): funnel_agg(window, mode, ts, event, steps, NULL, breakdown_by(channel)).")));
	if (has_values)
	{
		/* first_touch unless set; attempts take no breakdown (see bind) */
		call->options.hold = true;
		if (call->options.breakdown == FUNNEL_BREAKDOWN_NONE && !call->options.attempts)
			call->options.breakdown = FUNNEL_BREAKDOWN_FIRST;
	}
	call->local_time = get_fn_expr_argtype(fcinfo->flinfo, ts_arg) == TIMESTAMPOID;
	call->integer_time = integer_time_argument(fcinfo, ts_arg);
	funnel_options_time(&call->options, &opt_names, call->local_time, call->integer_time);
	call->nsteps = call_steps(&call->options, &opt_names, names != NULL, nconds);
	call->nconds = call->nsteps + call->options.nexcl;
	funnel_options_bind(&call->options, call->modes, window, call->nsteps);
	call->steps = condition_bits(call->nsteps);
	call->has_options = funnel_options_any(&call->options);
	nnames = call_names(call, &opt_names, elems, all_names);
	call->labels = make_labels(call, all_names, nnames);
	call->args_const = transition_args_const(fcinfo, window_arg, mode_arg, names_arg);
	call->nconds_const = names != NULL ? 0 : nconds;
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = call;
	return call;
}
