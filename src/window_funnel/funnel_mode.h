/*
 * funnel_mode.h
 *		A funnel's definition as window_funnel takes it (and funnel_agg
 *		too): ClickHouse's modes, the comma-separated list they are written
 *		in, the window, and the arguments that carry them.
 */
#ifndef CONVERSIONS_FUNNEL_MODE_H
#define CONVERSIONS_FUNNEL_MODE_H

#include "postgres.h"

#include "common/pg_compat.h"
#include "fmgr.h"
#include "utils/array.h"
#include "utils/timestamp.h"

/* Modes of window_funnel, named as in ClickHouse's windowFunnel. */
#define FUNNEL_MODE_STRICT_DEDUPLICATION	0x01
#define FUNNEL_MODE_STRICT_ORDER			0x02
#define FUNNEL_MODE_STRICT_INCREASE			0x04
#define FUNNEL_MODE_STRICT_ONCE				0x08
#define FUNNEL_MODE_ALLOW_REENTRY			0x10
#define FUNNEL_MODE_ALL						0x1F

#define FUNNEL_MODE_HINT \
	"Valid modes are strict_deduplication, strict_order, strict_increase, strict_once and allow_reentry, separated by commas."
#define FUNNEL_OPTION_HINT \
	"Valid items are the modes strict_deduplication, strict_order, strict_increase, strict_once and allow_reentry, and the options order=, count=, exclude=, exclusion=, entry=, entry_from=, entry_before=, labels=, within= and breakdown=, separated by commas."

/*
 * Reading a mode list ("strict_order, exclude=2-4"): funnel_mode_list_next
 * collects the modes into `modes` and hands back the other items, which
 * only funnel_agg's options (with_options) may have.
 */
typedef struct FunnelModeList
{
	const char *str;
	int			len;
	int			pos;			/* start of the next item; > len at the end */
	bool		with_options;	/* items other than modes are allowed */
	uint32		modes;			/* FUNNEL_MODE_* bits of the modes read so far */
} FunnelModeList;

/* An item of a mode list that is not a mode, blanks trimmed. */
typedef struct FunnelModeItem
{
	const char *str;
	int			len;
	const char *eq;				/* its '=', or NULL */
} FunnelModeItem;

extern void funnel_mode_list_begin(FunnelModeList *list, const char *str, int len,
								   bool with_options);
extern bool funnel_mode_list_next(FunnelModeList *list, FunnelModeItem *item);
extern uint32 funnel_parse_modes(const char *str, int len);
extern void funnel_unknown_mode(const char *s, int len, bool with_options);
extern char *funnel_modes_to_string(uint32 modes);
extern bool funnel_modes_valid(uint32 modes);
extern int64 funnel_window_from_interval(const Interval *window);

/*
 * Whether a row is kept in a funnel state (window_funnel's and
 * funnel_agg's): it has a time and matches a condition, or strict_order
 * needs it, as a row matching no step breaks chains there.
 */
static inline bool
funnel_row_kept(uint32 modes, bool ts_null, uint32 mask)
{
	return !ts_null && (mask != 0 || (modes & FUNNEL_MODE_STRICT_ORDER));
}

extern uint32 funnel_mode_argument(FunctionCallInfo fcinfo, int argno);
extern int64 funnel_window_argument(FunctionCallInfo fcinfo, int argno);
extern int64 funnel_window_value(FunctionCallInfo fcinfo, int argno, bool integer_time);
extern bool funnel_cached_integer_time(FunctionCallInfo fcinfo, int argno);
extern bool funnel_site_definition_sole(FunctionCallInfo fcinfo, int64 window, uint32 modes,
										int32 nsteps);
extern void funnel_integer_time_extreme(FunctionCallInfo fcinfo, int argno, int64 ts,
										const char *aggname);
extern int32 funnel_step_array(FunctionCallInfo fcinfo, int argno, ArrayType **steps);

/*
 * The ts argument argno (not NULL) of aggregate aggname: timestamp
 * microseconds, or an integer time of the bigint forms, which must not be
 * one of the two bigint extremes (funnel_integer_time_extreme).  Inline: it runs once per row,
 * and the common case costs two compares.
 */
static inline int64
funnel_ts_argument(FunctionCallInfo fcinfo, int argno, const char *aggname)
{
	int64		ts = PG_GETARG_INT64(argno);

	if (unlikely(ts == PG_INT64_MIN || ts == PG_INT64_MAX))
		funnel_integer_time_extreme(fcinfo, argno, ts, aggname);
	return ts;
}

#endif							/* CONVERSIONS_FUNNEL_MODE_H */
