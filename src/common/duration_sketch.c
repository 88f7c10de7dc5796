/*
 * duration_sketch.c
 *		Bucket mapping and quantiles of the time-to-convert sketch.
 */
#include "common/duration_sketch.h"

#include <math.h>

/* gamma = (1 + alpha) / (1 - alpha) and its logarithm, fixed at alpha = 1%. */
#define DURATION_SKETCH_GAMMA ((1.0 + DURATION_SKETCH_ALPHA) / (1.0 - DURATION_SKETCH_ALPHA))

/*
 * The bucket of a positive duration in microseconds; the smallest bucket for
 * anything below 1 (callers keep zero durations apart).
 */
int32_t
duration_sketch_index(int64_t value)
{
	double		index;

	if (value <= 1)
		return DURATION_SKETCH_MIN_INDEX;
	index = ceil(log((double) value) / log(DURATION_SKETCH_GAMMA));
	if (index > DURATION_SKETCH_MAX_INDEX)
		return DURATION_SKETCH_MAX_INDEX;
	return (int32_t) index;
}

/*
 * The value that represents bucket `index`: the point of (gamma^(i-1),
 * gamma^i] whose relative distance to both ends is alpha.
 */
double
duration_sketch_value(int32_t index)
{
	return 2.0 * pow(DURATION_SKETCH_GAMMA, (double) index) / (DURATION_SKETCH_GAMMA + 1.0);
}

/*
 * The q-quantile (0 <= q <= 1) of the durations counted in `counts` (bucket
 * first_index + k has counts[k]) and `zeros` (durations of exactly 0), using
 * percentile_disc's rank: the smallest value whose cumulative share is at
 * least q.  Returns -1 when nothing was counted.  The result is within
 * alpha of the exact order statistic, then rounded to whole microseconds.
 */
int64_t
duration_sketch_quantile(const uint64_t *counts, int32_t first_index,
						 int32_t nbuckets, uint64_t zeros, double q)
{
	uint64_t	total = zeros;
	uint64_t	rank;
	uint64_t	seen;
	int32_t		k;

	for (k = 0; k < nbuckets; k++)
		total += counts[k];
	if (total == 0)
		return -1;
	rank = (uint64_t) ceil(q * (double) total);
	if (rank < 1)
		rank = 1;
	if (rank > total)
		rank = total;
	if (rank <= zeros)
		return 0;
	seen = zeros;
	for (k = 0; k < nbuckets; k++)
	{
		seen += counts[k];
		if (seen >= rank)
			break;
	}
	if (k == nbuckets)
		k = nbuckets - 1;
	return duration_sketch_rounded_value(first_index + k);
}

/*
 * duration_sketch_value rounded to whole microseconds (the largest int64
 * for the top buckets): what a quantile in bucket `index` reads as.
 */
int64_t
duration_sketch_rounded_value(int32_t index)
{
	double		v = duration_sketch_value(index);

	if (v >= 9.2e18)
		return INT64_MAX;
	return (int64_t) llround(v);
}
