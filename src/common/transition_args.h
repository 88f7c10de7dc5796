/*
 * transition_args.h
 *		What an aggregate's transition function can learn about its call
 *		site's arguments: whether they are query constants.
 */
#ifndef CONVERSIONS_TRANSITION_ARGS_H
#define CONVERSIONS_TRANSITION_ARGS_H

#include "postgres.h"

#include "common/pg_compat.h"
#include "fmgr.h"

extern bool transition_args_const(FunctionCallInfo fcinfo, int a, int b, int c);

#endif							/* CONVERSIONS_TRANSITION_ARGS_H */
