/*
 * duration_sketch_test.c
 *		Unit test of the time-to-convert sketch's stated error bound.
 *
 * Built and run by `make unittest` (part of scripts/test.sh).  Checks that
 * every bucket's representative is within 1% of every value it holds, that
 * quantiles match percentile_disc on exact data within 1% (plus rounding to
 * a microsecond), that merging counts of disjoint sets answers as the union,
 * and the edges (empty, zeros, 1 us, INT64_MAX).  Prints one line per
 * failure and closes with "N passed, N failed".
 */
#include "common/duration_sketch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int	passed;
static int	failed;

/* Record one check; print the failures. */
static void
check(int ok, const char *what, double got, double want)
{
	if (ok)
		passed++;
	else
	{
		failed++;
		printf("FAIL: %s: got %.17g, want %.17g\n", what, got, want);
	}
}

/* Deterministic xorshift64 generator, so that failures reproduce. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ULL;

static uint64_t
rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* A duration spread evenly in log scale over [1, 2^max_log2] microseconds. */
static int64_t
rng_log_uniform(double max_log2)
{
	double		u = (double) (rng_next() >> 11) / 9007199254740992.0;

	return (int64_t) llround(pow(2.0, u * max_log2));
}

static int
cmp_int64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a;
	int64_t		y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

/* Within the stated bound: alpha relative, plus half a microsecond of rounding. */
static int
within_bound(int64_t got, int64_t exact)
{
	return fabs((double) got - (double) exact) <=
		DURATION_SKETCH_ALPHA * (double) exact * (1.0 + 1e-12) + 0.5;
}

/* Every value maps to a bucket whose representative is within alpha of it. */
static void
test_bucket_bound(void)
{
	int64_t		x;
	int			i;
	int			bad = 0;
	int64_t		worst_x = 0;
	double		worst = 0;

	for (x = 1; x <= 200000; x++)
	{
		double		rel = fabs(duration_sketch_value(duration_sketch_index(x)) - (double) x) / (double) x;

		if (rel > worst)
		{
			worst = rel;
			worst_x = x;
		}
		if (rel > DURATION_SKETCH_ALPHA * (1.0 + 1e-12))
			bad++;
	}
	for (i = 0; i < 1000000; i++)
	{
		int64_t		v = rng_log_uniform(62.9);
		double		rel;

		if (v < 1)
			v = 1;
		rel = fabs(duration_sketch_value(duration_sketch_index(v)) - (double) v) / (double) v;
		if (rel > worst)
		{
			worst = rel;
			worst_x = v;
		}
		if (rel > DURATION_SKETCH_ALPHA * (1.0 + 1e-12))
			bad++;
	}
	check(bad == 0, "values farther than alpha from their bucket's representative", bad, 0);
	check(worst <= DURATION_SKETCH_ALPHA * (1.0 + 1e-12), "worst relative error", worst, DURATION_SKETCH_ALPHA);
	printf("# worst relative error of a bucket representative: %.6f%% at %lld us\n",
		   100.0 * worst, (long long) worst_x);
}

/* Indexes are monotone and span the documented range. */
static void
test_index_range(void)
{
	int64_t		x;
	int32_t		prev = duration_sketch_index(1);
	int			monotone = 1;

	check(duration_sketch_index(1) == DURATION_SKETCH_MIN_INDEX, "index of 1 us",
		  duration_sketch_index(1), DURATION_SKETCH_MIN_INDEX);
	check(duration_sketch_index(INT64_MAX) == DURATION_SKETCH_MAX_INDEX, "index of INT64_MAX",
		  duration_sketch_index(INT64_MAX), DURATION_SKETCH_MAX_INDEX);
	for (x = 2; x < ((int64_t) 1 << 62); x += x / 7 + 1)
	{
		int32_t		i = duration_sketch_index(x);

		if (i < prev)
			monotone = 0;
		prev = i;
	}
	check(monotone, "bucket index is monotone in the value", monotone, 1);
}

/* Count `n` values into a dense bucket array; return the zeros. */
static uint64_t
count_into(const int64_t *values, int n, uint64_t *counts)
{
	uint64_t	zeros = 0;
	int			i;

	memset(counts, 0, sizeof(uint64_t) * (DURATION_SKETCH_MAX_INDEX + 1));
	for (i = 0; i < n; i++)
	{
		if (values[i] == 0)
			zeros++;
		else
			counts[duration_sketch_index(values[i])]++;
	}
	return zeros;
}

/* percentile_disc on sorted exact values. */
static int64_t
exact_quantile(const int64_t *sorted, int n, double q)
{
	int64_t		rank = (int64_t) ceil(q * (double) n);

	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

/* Sketch quantiles against exact ones on several shapes of data. */
static void
test_quantiles(void)
{
	static const double qs[] = {0.0, 0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0};
	static uint64_t counts[DURATION_SKETCH_MAX_INDEX + 1];
	int			shape;
	int			n = 100000;
	int64_t    *values = malloc(sizeof(int64_t) * n);

	for (shape = 0; shape < 4; shape++)
	{
		uint64_t	zeros;
		size_t		k;
		int			i;

		for (i = 0; i < n; i++)
		{
			switch (shape)
			{
				case 0:			/* seconds to days, log-uniform */
					values[i] = rng_log_uniform(37.0);
					break;
				case 1:			/* many zeros (same-instant steps) and small values */
					values[i] = (rng_next() % 3 == 0) ? 0 : (int64_t) (rng_next() % 1000);
					break;
				case 2:			/* heavy duplicates: whole minutes */
					values[i] = (int64_t) (rng_next() % 60) * 60000000;
					break;
				default:		/* exponential, mean one hour */
					values[i] = (int64_t) llround(-log(((double) (rng_next() >> 11) + 1.0) / 9007199254740993.0) * 3.6e9);
					break;
			}
		}
		zeros = count_into(values, n, counts);
		qsort(values, n, sizeof(int64_t), cmp_int64);
		for (k = 0; k < sizeof(qs) / sizeof(qs[0]); k++)
		{
			int64_t		got = duration_sketch_quantile(counts, 0, DURATION_SKETCH_MAX_INDEX + 1, zeros, qs[k]);
			int64_t		want = exact_quantile(values, n, qs[k]);
			char		what[80];

			snprintf(what, sizeof(what), "shape %d quantile %.3f", shape, qs[k]);
			check(within_bound(got, want), what, (double) got, (double) want);
		}
	}
	free(values);
}

/*
 * Adding the counts of two disjoint sets gives the sketch of their union, and
 * a bucket window that starts at the first occupied index answers the same.
 */
static void
test_merge(void)
{
	static uint64_t a[DURATION_SKETCH_MAX_INDEX + 1];
	static uint64_t b[DURATION_SKETCH_MAX_INDEX + 1];
	static uint64_t u[DURATION_SKETCH_MAX_INDEX + 1];
	int64_t		va[5000];
	int64_t		vb[7000];
	int64_t		vu[12000];
	uint64_t	za;
	uint64_t	zb;
	uint64_t	zu;
	int			i;
	int			same = 1;
	int			first = 0;

	for (i = 0; i < 5000; i++)
		va[i] = vu[i] = rng_log_uniform(30.0);
	for (i = 0; i < 7000; i++)
		vb[i] = vu[5000 + i] = (i % 10 == 0) ? 0 : rng_log_uniform(40.0);
	za = count_into(va, 5000, a);
	zb = count_into(vb, 7000, b);
	zu = count_into(vu, 12000, u);
	for (i = 0; i <= DURATION_SKETCH_MAX_INDEX; i++)
		a[i] += b[i];
	while (first < DURATION_SKETCH_MAX_INDEX && u[first] == 0)
		first++;
	for (i = 0; i <= 100; i++)
	{
		double		q = i / 100.0;
		int64_t		merged = duration_sketch_quantile(a, 0, DURATION_SKETCH_MAX_INDEX + 1, za + zb, q);
		int64_t		direct = duration_sketch_quantile(u, 0, DURATION_SKETCH_MAX_INDEX + 1, zu, q);
		int64_t		windowed = duration_sketch_quantile(u + first, first,
														DURATION_SKETCH_MAX_INDEX + 1 - first, zu, q);

		if (merged != direct || windowed != direct)
			same = 0;
	}
	check(same, "merged counts answer as the union", same, 1);
}

/* Empty sketch, all zeros, and the extremes. */
static void
test_edges(void)
{
	static uint64_t counts[DURATION_SKETCH_MAX_INDEX + 1];

	memset(counts, 0, sizeof(counts));
	check(duration_sketch_quantile(counts, 0, DURATION_SKETCH_MAX_INDEX + 1, 0, 0.5) == -1,
		  "empty sketch", (double) duration_sketch_quantile(counts, 0, DURATION_SKETCH_MAX_INDEX + 1, 0, 0.5), -1);
	check(duration_sketch_quantile(counts, 0, DURATION_SKETCH_MAX_INDEX + 1, 3, 1.0) == 0,
		  "only zeros", (double) duration_sketch_quantile(counts, 0, DURATION_SKETCH_MAX_INDEX + 1, 3, 1.0), 0);
	counts[duration_sketch_index(1)] = 1;
	check(duration_sketch_quantile(counts, 0, DURATION_SKETCH_MAX_INDEX + 1, 0, 0.5) == 1,
		  "one microsecond", (double) duration_sketch_quantile(counts, 0, DURATION_SKETCH_MAX_INDEX + 1, 0, 0.5), 1);
	counts[duration_sketch_index(1)] = 0;
	counts[duration_sketch_index(INT64_MAX)] = 1;
	check(duration_sketch_quantile(counts, 0, DURATION_SKETCH_MAX_INDEX + 1, 0, 0.5) >= (int64_t) (INT64_MAX * (1 - DURATION_SKETCH_ALPHA)),
		  "INT64_MAX", (double) duration_sketch_quantile(counts, 0, DURATION_SKETCH_MAX_INDEX + 1, 0, 0.5), (double) INT64_MAX);
}

int
main(void)
{
	test_index_range();
	test_bucket_bound();
	test_quantiles();
	test_merge();
	test_edges();
	printf("duration_sketch: %d passed, %d failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
