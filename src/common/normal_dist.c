/*
 * normal_dist.c
 *		The standard normal CDF and quantile (plain C, no PostgreSQL call).
 */
#include "postgres.h"

#include "common/pg_compat.h"

#include <math.h>

#include "common/normal_dist.h"

/* P(Z <= x) for a standard normal Z, from erfc (accurate in both tails). */
double
normal_cdf(double x)
{
	return 0.5 * erfc(-x / M_SQRT2);
}

/*
 * The standard normal quantile of p in (0, 1), by bisection on the CDF: a
 * report needs it once, and bisection cannot fail to converge.
 */
double
normal_quantile(double p)
{
	double		lo = -40.0,
				hi = 40.0;
	int			i;

	for (i = 0; i < 200 && hi - lo > 1e-15; i++)
	{
		double		mid = (lo + hi) / 2.0;

		if (normal_cdf(mid) < p)
			lo = mid;
		else
			hi = mid;
	}
	return (lo + hi) / 2.0;
}

/* The z of a two-sided interval at the given confidence in (0, 1). */
double
normal_two_sided_z(double confidence)
{
	return normal_quantile(1.0 - (1.0 - confidence) / 2.0);
}
