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
#include "attribution/attribution_credit.h"

#include <math.h>
#include <stdlib.h>

/* Model weights of the n touches into w[].frac (not normalized, sum > 0). */
static void
model_weights(const AttributionParams *p, const int64_t *t, int n, int64_t tc, AttributionShare *w)
{
	int			i;

	(void) tc;
	for (i = 0; i < n; i++)
		w[i].frac = 0.0;
	switch (p->model)
	{
		case ATTRIBUTION_FIRST_TOUCH:
			w[0].frac = 1.0;
			break;
		case ATTRIBUTION_LAST_TOUCH:
			w[n - 1].frac = 1.0;
			break;
		case ATTRIBUTION_LINEAR:
			for (i = 0; i < n; i++)
				w[i].frac = 1.0;
			break;
		case ATTRIBUTION_TIME_DECAY:

			/*
			 * Halved every half_life before the conversion.  Measured from
			 * the latest touch instead of the conversion, which keeps the
			 * ratios and cannot underflow to all zeros.  The difference
			 * is unsigned: under a saturated lookback two finite touches
			 * may lie more than the largest int64 apart.
			 */
			for (i = 0; i < n; i++)
				w[i].frac = exp2(-((double) ((uint64_t) t[n - 1] - (uint64_t) t[i])) /
								 p->half_life);
			break;
		case ATTRIBUTION_POSITION_BASED:
			if (n == 1)
				w[0].frac = 1.0;
			else if (n == 2)
			{
				w[0].frac = p->first_weight;
				w[1].frac = p->last_weight;
				if (w[0].frac + w[1].frac <= 0.0)
					w[0].frac = w[1].frac = 1.0;
			}
			else
			{
				double		middle = (1.0 - p->first_weight - p->last_weight) / (n - 2);

				w[0].frac = p->first_weight;
				w[n - 1].frac = p->last_weight;
				for (i = 1; i < n - 1; i++)
					w[i].frac = middle;
			}
			break;
	}
}

/* Larger fractional part first; the later touch first at equal parts. */
static int
share_cmp(const void *a, const void *b)
{
	const AttributionShare *x = (const AttributionShare *) a;
	const AttributionShare *y = (const AttributionShare *) b;

	if (x->frac != y->frac)
		return x->frac > y->frac ? -1 : 1;
	return y->index - x->index;
}

/* See the header: whole units of each ideal share, then the leftovers. */
void
attribution_split(const AttributionParams *p, const int64_t *t, int n, int64_t tc,
				  AttributionShare *scratch, int64_t *out)
{
	double		total = 0.0;
	int64_t		given = 0;
	int			i;

	/* first and last touch need no arithmetic */
	if (n == 1 || p->model == ATTRIBUTION_FIRST_TOUCH || p->model == ATTRIBUTION_LAST_TOUCH)
	{
		int			only = p->model == ATTRIBUTION_FIRST_TOUCH ? 0 : n - 1;

		for (i = 0; i < n; i++)
			out[i] = i == only ? ATTRIBUTION_UNIT : 0;
		return;
	}
	model_weights(p, t, n, tc, scratch);
	for (i = 0; i < n; i++)
		total += scratch[i].frac;
	for (i = 0; i < n; i++)
	{
		double		ideal = scratch[i].frac / total * (double) ATTRIBUTION_UNIT;
		double		whole = floor(ideal);

		scratch[i].frac = ideal - whole;
		scratch[i].index = i;
		out[i] = (int64_t) whole;
		given += out[i];
	}

	/*
	 * Hand out the remaining units (fewer than n), one each to the largest
	 * fractional parts; after a rounding error the other way, take units
	 * back from the smallest.
	 */
	if (given != ATTRIBUTION_UNIT)
		qsort(scratch, n, sizeof(AttributionShare), share_cmp);
	for (i = 0; given < ATTRIBUTION_UNIT; i = (i + 1) % n)
	{
		out[scratch[i].index]++;
		given++;
	}
	for (i = n - 1; given > ATTRIBUTION_UNIT; i = (i + n - 1) % n)
	{
		if (out[scratch[i].index] > 0)
		{
			out[scratch[i].index]--;
			given--;
		}
	}
}
