/*
 * attribution_credit_test.c
 *		Unit test of the attribution credit split.
 *
 * Built and run by `make unittest` (part of scripts/test.sh).  For every
 * model on random touch sequences: the units add up to exactly
 * ATTRIBUTION_UNIT and none is negative; first and last touch give
 * everything to one touch; linear and position-based shares are their
 * stated fractions within one unit; time-decay halves per half-life within
 * one unit; the leftover units go by the documented rule.  Prints one line
 * per failure and closes with "N passed, N failed".
 */
#include "attribution/attribution_credit.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define MAX_TOUCHES 64

static int	passed;
static int	failed;

/* Record one check; print the failures. */
static void
check(int ok, const char *what, int n, long long got, long long want)
{
	if (ok)
		passed++;
	else
	{
		failed++;
		printf("FAIL: %s (n = %d): got %lld, want %lld\n", what, n, got, want);
	}
}

/* Deterministic xorshift64 generator, so that failures reproduce. */
static uint64_t rng_state = 0x2545F4914F6CDD1DULL;

static uint64_t
rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Whether |got - ideal| <= 1 unit, with ideal a fraction of the unit. */
static int
near_share(int64_t got, double share)
{
	return fabs((double) got - share * (double) ATTRIBUTION_UNIT) <= 1.0;
}

/* The invariants every split must keep. */
static void
check_exact(const char *model, const int64_t *out, int n)
{
	int64_t		sum = 0;
	int			negative = 0;
	int			i;

	for (i = 0; i < n; i++)
	{
		sum += out[i];
		negative |= out[i] < 0;
	}
	check(sum == ATTRIBUTION_UNIT, model, n, (long long) sum, (long long) ATTRIBUTION_UNIT);
	check(!negative, "no negative credit", n, negative, 0);
}

/* Random ascending touch times (with ties) before a conversion. */
static int64_t
random_touches(int64_t *t, int n)
{
	int64_t		now = 1000000;
	int			i;

	for (i = 0; i < n; i++)
	{
		if (i > 0 && rng_next() % 5 == 0)
			t[i] = t[i - 1];	/* a tie */
		else
			t[i] = now += (int64_t) (rng_next() % 7200000000ULL);
	}
	return now + (int64_t) (rng_next() % 3600000000ULL);
}

static void
test_models(void)
{
	int64_t		t[MAX_TOUCHES];
	int64_t		out[MAX_TOUCHES];
	AttributionShare scratch[MAX_TOUCHES];
	int			iter;

	for (iter = 0; iter < 20000; iter++)
	{
		int			n = 1 + (int) (rng_next() % MAX_TOUCHES);
		int64_t		tc = random_touches(t, n);
		AttributionParams p;
		int			i;
		int			ok;

		p.half_life = 1.0 + (double) (rng_next() % 86400000000ULL);
		p.first_weight = 0.4;
		p.last_weight = 0.4;

		p.model = ATTRIBUTION_FIRST_TOUCH;
		attribution_split(&p, t, n, tc, scratch, out);
		check_exact("first_touch", out, n);
		check(out[0] == ATTRIBUTION_UNIT, "first_touch: all to the first", n,
			  (long long) out[0], (long long) ATTRIBUTION_UNIT);

		p.model = ATTRIBUTION_LAST_TOUCH;
		attribution_split(&p, t, n, tc, scratch, out);
		check_exact("last_touch", out, n);
		check(out[n - 1] == ATTRIBUTION_UNIT, "last_touch: all to the last", n,
			  (long long) out[n - 1], (long long) ATTRIBUTION_UNIT);

		p.model = ATTRIBUTION_LINEAR;
		attribution_split(&p, t, n, tc, scratch, out);
		check_exact("linear", out, n);
		for (ok = 1, i = 0; i < n; i++)
			ok &= near_share(out[i], 1.0 / n);
		check(ok, "linear: 1/n each within a unit", n, ok, 1);

		p.model = ATTRIBUTION_POSITION_BASED;
		p.first_weight = (double) (rng_next() % 51) / 100.0;
		p.last_weight = (double) (rng_next() % 51) / 100.0;
		attribution_split(&p, t, n, tc, scratch, out);
		check_exact("position_based", out, n);
		if (n >= 3)
		{
			ok = near_share(out[0], p.first_weight) && near_share(out[n - 1], p.last_weight);
			for (i = 1; i < n - 1; i++)
				ok &= near_share(out[i], (1.0 - p.first_weight - p.last_weight) / (n - 2));
			check(ok, "position_based: first, last and middle shares", n, ok, 1);
		}

		p.model = ATTRIBUTION_TIME_DECAY;
		attribution_split(&p, t, n, tc, scratch, out);
		check_exact("time_decay", out, n);
		{
			double		total = 0.0;

			for (i = 0; i < n; i++)
				total += exp2(-((double) (tc - t[i])) / p.half_life);
			for (ok = 1, i = 0; i < n; i++)
				ok &= near_share(out[i], exp2(-((double) (tc - t[i])) / p.half_life) / total);
			check(ok, "time_decay: halved per half-life, within a unit", n, ok, 1);
		}
	}
}

/* The documented leftover rule and the small cases written out. */
static void
test_fixed_cases(void)
{
	int64_t		t[3] = {10, 20, 30};
	int64_t		out[3];
	AttributionShare scratch[3];
	AttributionParams p = {ATTRIBUTION_LINEAR, 1.0, 0.4, 0.4};
	int64_t		third = ATTRIBUTION_UNIT / 3;

	/* 10^12 = 3 * 333333333333 + 1: the extra unit goes to the latest touch */
	attribution_split(&p, t, 3, 40, scratch, out);
	check(out[0] == third && out[1] == third && out[2] == third + 1,
		  "linear over 3: the leftover unit goes to the last touch", 3,
		  (long long) out[2], (long long) third + 1);

	/* position_based with two touches: first and last weights, normalized */
	p.model = ATTRIBUTION_POSITION_BASED;
	p.first_weight = 0.3;
	p.last_weight = 0.1;
	attribution_split(&p, t, 2, 40, scratch, out);
	check(near_share(out[0], 0.75) && near_share(out[1], 0.25),
		  "position_based over 2: 30/10 becomes 75/25", 2, (long long) out[0],
		  (long long) (0.75 * ATTRIBUTION_UNIT));

	/* one touch takes everything in every model */
	p.model = ATTRIBUTION_TIME_DECAY;
	attribution_split(&p, t, 1, 40, scratch, out);
	check(out[0] == ATTRIBUTION_UNIT, "one touch: all of it", 1,
		  (long long) out[0], (long long) ATTRIBUTION_UNIT);

	/* time decay: a touch one half-life older gets half as much */
	p.half_life = 10.0;
	attribution_split(&p, t, 2, 40, scratch, out);
	check(near_share(out[0], 1.0 / 3.0) && near_share(out[1], 2.0 / 3.0),
		  "time_decay: one half-life older, half the credit", 2, (long long) out[0],
		  (long long) (ATTRIBUTION_UNIT / 3));
}

int
main(void)
{
	test_fixed_cases();
	test_models();
	printf("attribution_credit: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
