/*
 * misplaced_mode.h
 *		The error for a text value written after ts, where the first
 *		boolean condition goes: most often a mode put in the wrong place
 *		(window_funnel(window, ts, 'strict_order', ...)).  window_funnel's
 *		and funnel_agg's overloads that take such a call raise it.
 */
#ifndef CONVERSIONS_MISPLACED_MODE_H
#define CONVERSIONS_MISPLACED_MODE_H

#include "postgres.h"

#include "common/pg_compat.h"
#include "fmgr.h"

/* Whether str[0..len) is a valid mode list for the aggregate at hand. */
typedef bool (*ModeListCheck) (const char *str, int len);

pg_noreturn extern void misplaced_mode_error(FunctionCallInfo fcinfo, const char *aggname,
											 int argno, ModeListCheck is_mode_list,
											 const char *steps_hint);

#endif							/* CONVERSIONS_MISPLACED_MODE_H */
