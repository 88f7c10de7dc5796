/*
 * transition_args.h
 *		What an aggregate's support function can learn about its call
 *		site: its aggregate's memory context, and whether its arguments are
 *		query constants.
 */
#ifndef CONVERSIONS_TRANSITION_ARGS_H
#define CONVERSIONS_TRANSITION_ARGS_H

#include "postgres.h"

#include "common/pg_compat.h"
#include "fmgr.h"

extern MemoryContext aggregate_call_context(FunctionCallInfo fcinfo, const char *fn,
											const char *aggs);
extern bool transition_args_const(FunctionCallInfo fcinfo, int a, int b, int c);

#endif							/* CONVERSIONS_TRANSITION_ARGS_H */
