/*
 * funnel_mode.h
 *		Funnel definition parameters: mode flags and the window.
 */
#ifndef CONVERSIONS_FUNNEL_MODE_H
#define CONVERSIONS_FUNNEL_MODE_H

#include "postgres.h"

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

/* Longest sequence pattern, in bytes. */
#define SEQUENCE_MAX_PATTERN 8192

extern uint32 funnel_parse_modes(const char *str, int len);
extern int64 funnel_window_from_interval(const Interval *window);
extern char *funnel_modes_to_string(uint32 modes);
extern char *funnel_window_to_string(int64 window);

#endif							/* CONVERSIONS_FUNNEL_MODE_H */
