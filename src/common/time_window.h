/*
 * time_window.h
 *		The one rule every window of the extension follows when timestamps
 *		may be infinite or the window saturated: funnel windows and
 *		within=, the time conditions of sequence patterns, attribution's
 *		lookback and lift's landmark.
 *
 * Timestamps are PostgreSQL's: microseconds, with -infinity and infinity
 * stored as the smallest and largest int64 (DT_NOBEGIN, DT_NOEND).  A
 * window is a length in microseconds, >= 0, saturated at the largest int64
 * when the interval was longer (interval_usecs).  The rule:
 *
 *   - two equal timestamps are the same instant, a gap of 0, also when both
 *     are the same infinity: they are within every window, even of 0;
 *   - an infinite timestamp is never within a window of a different
 *     timestamp, nor a finite one of an infinite one: the gap between them
 *     is longer than every window, a saturated one too;
 *   - a saturated window spans every two finite timestamps (the finite
 *     range is longer than the largest int64 microseconds);
 *   - otherwise the gap is the exact difference, compared without overflow.
 *
 * Plain C (no PostgreSQL header), so that the pure-C sequence matcher and
 * its unit test use the same rule.
 */
#ifndef CONVERSIONS_TIME_WINDOW_H
#define CONVERSIONS_TIME_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

/* A window that saturated: longer than any two finite timestamps apart. */
#define TIME_WINDOW_SATURATED INT64_MAX

/* The gap between a finite and an infinite timestamp: above every window. */
#define TIME_GAP_INFINITE UINT64_MAX

/* Whether t is -infinity or infinity. */
static inline bool
time_is_infinite(int64_t t)
{
	return t == INT64_MIN || t == INT64_MAX;
}

/*
 * The gap from a to b (a <= b) as an unsigned number that every window
 * bound compares with: 0 at equal timestamps, the exact microseconds
 * between finite ones (at most about 2^63.03, so below the bounds of
 * saturated windows), TIME_GAP_INFINITE between a finite and an infinite
 * one or between -infinity and infinity.
 */
static inline uint64_t
time_gap(int64_t a, int64_t b)
{
	if (a == b)
		return 0;
	if (time_is_infinite(a) || time_is_infinite(b))
		return TIME_GAP_INFINITE;
	return (uint64_t) b - (uint64_t) a;
}

/*
 * A window (or a time condition's length) as the largest gap it accepts:
 * itself, or for a saturated one every finite gap but no infinite one.
 */
static inline uint64_t
time_window_bound(int64_t window)
{
	return window == TIME_WINDOW_SATURATED ? TIME_GAP_INFINITE - 1 : (uint64_t) window;
}

/* Whether t (>= first) lies within `window` of first. */
static inline bool
time_within_window(int64_t first, int64_t t, int64_t window)
{
	return time_gap(first, t) <= time_window_bound(window);
}

/*
 * The latest timestamp within `window` after first, for scans of sorted
 * times: first itself when it is infinite, else a finite time (at most
 * the one before infinity, so that infinity stays out).
 */
static inline int64_t
time_window_end(int64_t first, int64_t window)
{
	if (time_is_infinite(first))
		return first;
	if (window == TIME_WINDOW_SATURATED || (first > 0 && window > INT64_MAX - 1 - first))
		return INT64_MAX - 1;
	return first + window;
}

/*
 * The earliest timestamp within `window` before last (a lookback): last
 * itself when it is infinite, else a finite time (at least the one after
 * -infinity, so that -infinity stays out).
 */
static inline int64_t
time_window_start(int64_t last, int64_t window)
{
	if (time_is_infinite(last))
		return last;
	if (window == TIME_WINDOW_SATURATED || (last < 0 && window > last - (INT64_MIN + 1)))
		return INT64_MIN + 1;
	return last - window;
}

/*
 * The time from a to b (a <= b, within some window of a) in microseconds:
 * 0 at equal timestamps, else the difference of two finite ones, which
 * saturates at the largest int64 when a saturated window spans more.
 */
static inline int64_t
time_elapsed(int64_t a, int64_t b)
{
	uint64_t	gap = time_gap(a, b);

	return gap > (uint64_t) INT64_MAX ? INT64_MAX : (int64_t) gap;
}

#endif							/* CONVERSIONS_TIME_WINDOW_H */
