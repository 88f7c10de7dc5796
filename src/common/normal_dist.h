/*
 * normal_dist.h
 *		The standard normal distribution, for the reports' confidence
 *		intervals and test statistics.
 */
#ifndef CONVERSIONS_NORMAL_DIST_H
#define CONVERSIONS_NORMAL_DIST_H

extern double normal_cdf(double x);
extern double normal_quantile(double p);
extern double normal_two_sided_z(double confidence);

#endif							/* CONVERSIONS_NORMAL_DIST_H */
