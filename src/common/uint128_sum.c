/*
 * uint128_sum.c
 *		Decimal text of the 128-bit sums in funnel values, and their
 *		rounded quotients (means).
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "common/uint128_sum.h"

/*
 * Decimal digits of (lo, hi).  Divides the four 32-bit limbs by 10^9
 * repeatedly, so it needs no 128-bit arithmetic from the compiler.
 */
char *
uint128_sum_to_string(uint64 lo, uint64 hi)
{
	uint32		limb[4];
	uint32		chunks[5];
	int			nchunks = 0;
	char	   *out = palloc(48);
	char	   *p = out;
	int			i;

	limb[0] = (uint32) (hi >> 32);
	limb[1] = (uint32) hi;
	limb[2] = (uint32) (lo >> 32);
	limb[3] = (uint32) lo;
	do
	{
		uint64		rem = 0;
		bool		nonzero = false;

		for (i = 0; i < 4; i++)
		{
			uint64		cur = (rem << 32) | limb[i];

			limb[i] = (uint32) (cur / 1000000000);
			rem = cur % 1000000000;
			nonzero |= limb[i] != 0;
		}
		chunks[nchunks++] = (uint32) rem;
		if (!nonzero)
			break;
	} while (nchunks < 5);

	p += sprintf(p, "%u", chunks[nchunks - 1]);
	for (i = nchunks - 2; i >= 0; i--)
		p += sprintf(p, "%09u", chunks[i]);
	return out;
}

/*
 * Parse a string of decimal digits into (lo, hi).  Returns false for an
 * empty string, a non-digit or a value of 2^128 or more.
 */
bool
uint128_sum_from_string(const char *s, uint64 *lo, uint64 *hi)
{
	uint64		l = 0;
	uint64		h = 0;

	if (*s == '\0')
		return false;
	for (; *s; s++)
	{
		uint64		d;
		uint64		lo_hi;
		uint64		lo_lo;
		uint64		mid;

		if (*s < '0' || *s > '9')
			return false;
		d = (uint64) (*s - '0');
		/* (h, l) * 10 + d, refusing overflow of the high half */
		if (h > PG_UINT64_MAX / 10)
			return false;
		lo_hi = (l >> 32) * 10;
		lo_lo = (l & 0xFFFFFFFF) * 10 + d;
		mid = lo_hi + (lo_lo >> 32);
		h = h * 10;
		if (h > PG_UINT64_MAX - (mid >> 32))
			return false;
		h += mid >> 32;
		l = (mid << 32) | (lo_lo & 0xFFFFFFFF);
	}
	*lo = l;
	*hi = h;
	return true;
}

/*
 * (lo, hi) / d rounded to the nearest integer (halves up), for d > 0 and a
 * quotient below 2^64 (hi < d).  Long division one bit at a time: the
 * remainder stays below d, so it is tracked with one carry bit.
 */
uint64
uint128_div_rounded(uint64 lo, uint64 hi, uint64 d)
{
	uint64		rem = hi;
	uint64		q = 0;
	int			i;

	Assert(d > 0 && hi < d);
	for (i = 63; i >= 0; i--)
	{
		bool		carry = (rem >> 63) != 0;

		rem = (rem << 1) | ((lo >> i) & 1);
		q <<= 1;
		if (carry || rem >= d)
		{
			rem -= d;
			q |= 1;
		}
	}
	/* round half up: rem >= d / 2 without overflowing 2 * rem */
	if (rem >= d - rem)
		q++;
	return q;
}
