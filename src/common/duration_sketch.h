/*
 * duration_sketch.h
 *		Log-bucketed quantile sketch (DDSketch family) for time-to-convert.
 *
 * A positive value x falls in bucket i = ceil(log(x) / log(gamma)), with
 * gamma = (1 + alpha) / (1 - alpha).  Every value of bucket i lies in
 * (gamma^(i-1), gamma^i], and the bucket's representative value
 * 2 gamma^i / (gamma + 1) is within a relative error alpha of each of them.
 * Counts per bucket merge by addition, so sketches of disjoint sets merge
 * exactly; quantiles read from merged counts keep the same bound.
 *
 * Pure C99 (no PostgreSQL headers) so that the mapping is unit-tested on its
 * own (test/unit/duration_sketch_test.c); storage is the caller's business.
 */
#ifndef CONVERSIONS_DURATION_SKETCH_H
#define CONVERSIONS_DURATION_SKETCH_H

#include <stdint.h>

/* Relative accuracy of every quantile read from a sketch: 1%. */
#define DURATION_SKETCH_ALPHA 0.01

/*
 * Bucket indexes of the positive int64 range (1 .. 2^63-1 microseconds) at
 * alpha = 1%: bucket 0 holds 1 us, bucket 2184 holds 2^63-1 us.
 */
#define DURATION_SKETCH_MIN_INDEX 0
#define DURATION_SKETCH_MAX_INDEX 2184

extern int32_t duration_sketch_index(int64_t value);
extern double duration_sketch_value(int32_t index);
extern int64_t duration_sketch_rounded_value(int32_t index);
extern int64_t duration_sketch_quantile(const uint64_t *counts, int32_t first_index,
										int32_t nbuckets, uint64_t zeros,
										double q);

#endif							/* CONVERSIONS_DURATION_SKETCH_H */
