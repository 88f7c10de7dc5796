/*
 * funnel_call.h
 *		The definition a funnel_agg call site passes on every row (window,
 *		mode string, step names, number of conditions), checked and parsed
 *		once per query and cached in fn_extra.
 */
#ifndef CONVERSIONS_FUNNEL_CALL_H
#define CONVERSIONS_FUNNEL_CALL_H

#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "funnel/funnel_options.h"
#include "utils/array.h"

typedef struct FunnelCall
{
	/* the arguments this was built from */
	int64		window;
	text	   *mode;			/* copy, or NULL without a mode argument */
	ArrayType  *names;			/* copy of the step names, or NULL */
	int			nconds;			/* conditions or names: steps, then exclusions */

	/* what they mean */
	uint32		modes;
	int			nsteps;
	uint32		steps;			/* mask bits of the steps */
	FunnelOptions options;
	bool		has_options;
	const EventLabels *labels; /* names and options string, or NULL */
	bool		local_time;		/* ts is timestamp without time zone */
	bool		integer_time;	/* ts is bigint (window and within= in its units) */
	bool		args_const;		/* window, mode and names are query constants */
	int			nconds_const;	/* with args_const: the boolean forms' condition count */
	bool		sole;			/* the first and only call built at this site, so
								 * every state the site made has its definition */
	int32		offset[FUNNEL_MAX_STEPS];	/* of each name in labels->data */
	int32		len[FUNNEL_MAX_STEPS];
} FunnelCall;

extern FunnelCall *funnel_call_setup(FunctionCallInfo fcinfo, int window_arg, int mode_arg,
									 int names_arg, int nconds, int ts_arg,
									 bool has_values);

#endif							/* CONVERSIONS_FUNNEL_CALL_H */
