/*
 * attribution_credit.c
 *		Splitting one conversion's credit over its touches (see the header).
 *
 * Each model gives every touch a weight; touch i's ideal share is
 * w[i] / sum(w) of ATTRIBUTION_UNIT.  Every touch gets the whole units of
 * its ideal share, and the few units left over (fewer than the touches) go
 * one each to the touches with the largest fractional parts, the later
 * touch first at equal parts, so the split is deterministic and exact.
 */
#include "attribution_credit.h"

#include <math.h>

/* Model weights of the n touches into w (not normalized, sum > 0). */
static void
model_weights(const AttributionParams *p, const int64_t *t, int n, int64_t tc, double *w)
{
	int			i;

	(void) tc;
	for (i = 0; i < n; i++)
		w[i] = 0.0;
	switch (p->model)
	{
		case ATTRIBUTION_FIRST_TOUCH:
			w[0] = 1.0;
			break;
		case ATTRIBUTION_LAST_TOUCH:
			w[n - 1] = 1.0;
			break;
		case ATTRIBUTION_LINEAR:
			for (i = 0; i < n; i++)
				w[i] = 1.0;
			break;
		case ATTRIBUTION_TIME_DECAY:

			/*
			 * Halved every half_life before the conversion.  Measured from
			 * the latest touch instead of the conversion, which keeps the
			 * ratios and cannot underflow to all zeros.
			 */
			for (i = 0; i < n; i++)
				w[i] = exp2(-((double) (t[n - 1] - t[i])) / p->half_life);
			break;
		case ATTRIBUTION_POSITION_BASED:
			if (n == 1)
				w[0] = 1.0;
			else if (n == 2)
			{
				w[0] = p->first_weight;
				w[1] = p->last_weight;
				if (w[0] + w[1] <= 0.0)
					w[0] = w[1] = 1.0;
			}
			else
			{
				double		middle = (1.0 - p->first_weight - p->last_weight) / (n - 2);

				w[0] = p->first_weight;
				w[n - 1] = p->last_weight;
				for (i = 1; i < n - 1; i++)
					w[i] = middle;
			}
			break;
	}
}

void
attribution_split(const AttributionParams *p, const int64_t *t, int n, int64_t tc,
				  double *scratch, int64_t *out)
{
	double	   *frac = scratch;
	double		total = 0.0;
	int64_t		given = 0;
	int			i;

	model_weights(p, t, n, tc, frac);
	for (i = 0; i < n; i++)
		total += frac[i];
	for (i = 0; i < n; i++)
	{
		double		ideal = frac[i] / total * (double) ATTRIBUTION_UNIT;
		double		whole = floor(ideal);

		out[i] = (int64_t) whole;
		frac[i] = ideal - whole;
		given += out[i];
	}

	/* hand out (or, after rounding error, take back) the remaining units */
	while (given != ATTRIBUTION_UNIT)
	{
		int			best = -1;

		for (i = n - 1; i >= 0; i--)
		{
			if (given < ATTRIBUTION_UNIT ? (best < 0 || frac[i] > frac[best]) :
				(out[i] > 0 && (best < 0 || frac[i] < frac[best])))
				best = i;
		}
		if (given < ATTRIBUTION_UNIT)
		{
			out[best]++;
			given++;
			frac[best] = -1.0;	/* one extra unit per touch at most */
		}
		else
		{
			out[best]--;
			given--;
			frac[best] = 2.0;
		}
	}
}
