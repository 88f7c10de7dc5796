/*
 * funnel_mode.h
 *		Funnel definition parameters: mode flags and the window.
 */
#ifndef CONVERSIONS_FUNNEL_MODE_H
#define CONVERSIONS_FUNNEL_MODE_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/timestamp.h"

/* Modes of window_funnel, named as in ClickHouse's windowFunnel. */
#define FUNNEL_MODE_STRICT_DEDUPLICATION	0x01
#define FUNNEL_MODE_STRICT_ORDER			0x02
#define FUNNEL_MODE_STRICT_INCREASE			0x04
#define FUNNEL_MODE_STRICT_ONCE				0x08
#define FUNNEL_MODE_ALLOW_REENTRY			0x10
#define FUNNEL_MODE_ALL						0x1F

/*
 * Not a mode: marks an event buffer of sequence_match/sequence_count, whose
 * labels hold the pattern (one NUL-terminated string) instead of step names.
 */
#define FUNNEL_STATE_PATTERN				0x100

/*
 * Not a mode: marks an event buffer of attribution_agg, whose labels hold
 * the canonical model string, whose steps are touch (mask 1) and
 * conversion (mask 2), and whose tags name a (touch label, NULL) or (NULL,
 * conversion value) pair.
 */
#define FUNNEL_STATE_ATTRIBUTION			0x200
#define ATTRIBUTION_MASK_TOUCH				0x1
#define ATTRIBUTION_MASK_CONVERSION			0x2

/* Longest sequence pattern, in bytes. */
#define SEQUENCE_MAX_PATTERN 8192

#define FUNNEL_MODE_HINT \
	"Valid modes are strict_deduplication, strict_order, strict_increase, strict_once and allow_reentry, separated by commas."
#define FUNNEL_OPTION_HINT \
	"Valid items are the modes strict_deduplication, strict_order, strict_increase, strict_once and allow_reentry, and the options order=, count=, exclude=, within= and breakdown=, separated by commas."

extern uint32 funnel_parse_modes(const char *str, int len);
extern bool funnel_mode_lookup(const char *s, int len, uint32 *flag);
extern void funnel_unknown_mode(const char *s, int len, bool with_options);
extern void funnel_window_format(StringInfo out, int64 window);
extern int64 funnel_window_from_interval(const Interval *window);
extern bool funnel_interval_usecs(const Interval *iv, int64 *us);
extern bool funnel_try(void (*fn) (void *arg), void *arg, char **message);
extern bool funnel_try_input(PGFunction fn, const char *str, Datum *result, char **message);
extern char *funnel_modes_to_string(uint32 modes);
extern char *funnel_window_to_string(int64 window);

#endif							/* CONVERSIONS_FUNNEL_MODE_H */
