/*
 * proportion_stats.h
 *		Confidence intervals and a test for proportions x of n: Wilson's
 *		score interval for one proportion, Newcombe's hybrid score interval
 *		for the difference of two, and the pooled two-proportion z test.
 *		Each assumes the n trials are independent.
 */
#ifndef CONVERSIONS_PROPORTION_STATS_H
#define CONVERSIONS_PROPORTION_STATS_H

#include "postgres.h"

#include "common/pg_compat.h"

/* A proportion x / n and its interval. */
typedef struct ProportionInterval
{
	double		rate;
	double		low;
	double		high;
} ProportionInterval;

extern ProportionInterval wilson_interval(int64 x, int64 n, double z);
extern void newcombe_difference_interval(const ProportionInterval *a,
										 const ProportionInterval *b,
										 double *low, double *high);
extern bool two_proportion_z(int64 xa, int64 na, int64 xb, int64 nb, double *z);
extern double two_sided_p_value(double z);

#endif							/* CONVERSIONS_PROPORTION_STATS_H */
