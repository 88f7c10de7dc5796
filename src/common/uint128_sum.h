/*
 * uint128_sum.h
 *		Portable unsigned 128-bit sums of non-negative durations.
 *
 * A funnel sums time-to-convert in microseconds over every entity merged
 * into it; a billion entities times a day overflows 64 bits, so sums are
 * kept as two 64-bit halves.  Written out instead of using __int128 so the
 * stored format and the code do not depend on the compiler.
 */
#ifndef CONVERSIONS_UINT128_SUM_H
#define CONVERSIONS_UINT128_SUM_H

#include "postgres.h"

#include "common/pg_compat.h"

/* Add a non-negative 64-bit value to the sum (lo, hi). */
static inline void
uint128_sum_add(uint64 *lo, uint64 *hi, uint64 v)
{
	uint64		old = *lo;

	*lo = old + v;
	if (*lo < old)
		(*hi)++;
}

/* Add the sum (vlo, vhi) to (lo, hi). */
static inline void
uint128_sum_add128(uint64 *lo, uint64 *hi, uint64 vlo, uint64 vhi)
{
	uint128_sum_add(lo, hi, vlo);
	*hi += vhi;
}

/*
 * Add the sum (vlo, vhi) to (lo, hi) unless the result would not fit in
 * 128 bits; returns true (and leaves (lo, hi) alone) when it would not.
 */
static inline bool
uint128_sum_add128_overflow(uint64 *lo, uint64 *hi, uint64 vlo, uint64 vhi)
{
	uint64		rlo = *lo + vlo;
	uint64		carry = rlo < vlo ? 1 : 0;
	uint64		rhi = *hi + vhi;

	if (rhi < vhi || rhi + carry < rhi)
		return true;
	*lo = rlo;
	*hi = rhi + carry;
	return false;
}

/* The 128-bit product of two non-negative 64-bit values. */
static inline void
uint128_product(uint64 a, uint64 b, uint64 *lo, uint64 *hi)
{
	uint64		a0 = a & 0xFFFFFFFF,
				a1 = a >> 32,
				b0 = b & 0xFFFFFFFF,
				b1 = b >> 32;
	uint64		p00 = a0 * b0,
				p01 = a0 * b1,
				p10 = a1 * b0,
				mid = (p00 >> 32) + (p01 & 0xFFFFFFFF) + (p10 & 0xFFFFFFFF);

	*lo = (mid << 32) | (p00 & 0xFFFFFFFF);
	*hi = a1 * b1 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
}

/* Whether (alo, ahi) < (blo, bhi). */
static inline bool
uint128_less(uint64 alo, uint64 ahi, uint64 blo, uint64 bhi)
{
	return ahi < bhi || (ahi == bhi && alo < blo);
}

extern uint64 uint128_div_rounded(uint64 lo, uint64 hi, uint64 d);
extern char *uint128_sum_to_string(uint64 lo, uint64 hi);
extern bool uint128_sum_from_string(const char *s, uint64 *lo, uint64 *hi);

#endif							/* CONVERSIONS_UINT128_SUM_H */
