/*
 * proportion_stats.c
 *		Wilson's score interval, Newcombe's hybrid score interval for a
 *		difference of proportions, and the pooled two-proportion z test.
 *
 * Wilson's interval (Wilson 1927) is the set of true rates p that a score
 * test at level z would not reject given x of n.  Unlike the Wald interval
 * p +- z sqrt(p (1 - p) / n), it keeps close to its nominal coverage for
 * small n and for rates near 0 and 1 (Wald's collapses to a point at x = 0
 * and x = n, and covers far less than it says for small n), and it never
 * leaves [0, 1].  Newcombe (1998, method 10) combines two Wilson intervals
 * into one for the difference, with the same good coverage.
 */
#include "postgres.h"

#include "common/pg_compat.h"

#include <math.h>

#include "common/normal_dist.h"
#include "common/proportion_stats.h"

/*
 * x / n with its Wilson score interval at the normal quantile z; n > 0 and
 * 0 <= x <= n.  The bounds are exactly 0 at x = 0 and 1 at x = n (the
 * formula gives them up to rounding).
 */
ProportionInterval
wilson_interval(int64 x, int64 n, double z)
{
	ProportionInterval r;
	double		dn = (double) n;
	double		p = (double) x / dn;
	double		z2 = z * z;
	double		denom = 1.0 + z2 / dn;
	double		centre = (p + z2 / (2.0 * dn)) / denom;
	double		half = z / denom * sqrt(p * (1.0 - p) / dn + z2 / (4.0 * dn * dn));

	Assert(n > 0 && x >= 0 && x <= n);
	r.rate = p;
	r.low = x == 0 ? 0.0 : Max(0.0, centre - half);
	r.high = x == n ? 1.0 : Min(1.0, centre + half);
	return r;
}

/*
 * Newcombe's hybrid score interval for b.rate - a.rate from the two
 * proportions' Wilson intervals: the difference minus the root of the
 * squared distances towards a smaller difference (b down to its low, a up
 * to its high), plus the root of those towards a larger one.
 */
void
newcombe_difference_interval(const ProportionInterval *a, const ProportionInterval *b,
							 double *low, double *high)
{
	double		d = b->rate - a->rate;

	*low = d - sqrt((b->rate - b->low) * (b->rate - b->low) +
					(a->high - a->rate) * (a->high - a->rate));
	*high = d + sqrt((b->high - b->rate) * (b->high - b->rate) +
					 (a->rate - a->low) * (a->rate - a->low));
}

/*
 * The z statistic of the two-proportion test of xb / nb against xa / na
 * (na, nb > 0) with the pooled standard error
 * sqrt(p (1 - p) (1 / na + 1 / nb)), p = (xa + xb) / (na + nb).  False
 * when p is 0 or 1 (no entrant converted, or all did): the statistic is
 * 0 / 0 there.
 */
bool
two_proportion_z(int64 xa, int64 na, int64 xb, int64 nb, double *z)
{
	double		p = ((double) xa + (double) xb) / ((double) na + (double) nb);
	double		se;

	if (xa + xb == 0 || xa + xb == na + nb)
		return false;
	se = sqrt(p * (1.0 - p) * (1.0 / (double) na + 1.0 / (double) nb));
	*z = ((double) xb / (double) nb - (double) xa / (double) na) / se;
	return true;
}

/* P(|Z| >= |z|) for a standard normal Z. */
double
two_sided_p_value(double z)
{
	return 2.0 * normal_cdf(-fabs(z));
}
