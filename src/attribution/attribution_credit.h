/*
 * attribution_credit.h
 *		How one conversion's credit is split over the touches before it, in
 *		the attribution models of issue 6 (first_touch, last_touch, linear,
 *		time_decay, position_based).
 *
 * Credit is fixed point: a conversion is worth ATTRIBUTION_UNIT units and
 * the split always gives out exactly that many, so credits summed over any
 * number of conversions, in any order or merge, are exact; they become
 * float8 only when reported.  Pure C (no PostgreSQL headers), unit-tested
 * on its own (test/unit/attribution_credit_test.c).
 */
#ifndef CONVERSIONS_ATTRIBUTION_CREDIT_H
#define CONVERSIONS_ATTRIBUTION_CREDIT_H

#include <stdint.h>

/*
 * Units of credit in one conversion: 10^12, so that reported shares such
 * as 0.4 or 1/3 print as 0.4 and 0.333333333333.
 */
#define ATTRIBUTION_UNIT ((int64_t) 1000000000000)

typedef enum AttributionModel
{
	ATTRIBUTION_FIRST_TOUCH,
	ATTRIBUTION_LAST_TOUCH,
	ATTRIBUTION_LINEAR,
	ATTRIBUTION_TIME_DECAY,
	ATTRIBUTION_POSITION_BASED
} AttributionModel;

typedef struct AttributionParams
{
	AttributionModel model;
	double		half_life;		/* time_decay: microseconds, > 0 */
	double		first_weight;	/* position_based: share of the first touch */
	double		last_weight;	/* position_based: share of the last touch */
} AttributionParams;

/* Working space of attribution_split: one per touch. */
typedef struct AttributionShare
{
	double		frac;			/* fractional part of the ideal share */
	int			index;			/* the touch */
} AttributionShare;

/*
 * Split one conversion at time tc over its n >= 1 eligible touches, at
 * times t[0..n-1] in ascending order (ties already in their documented
 * order), all <= tc: out[i] receives touch i's units, and the units add up
 * to exactly ATTRIBUTION_UNIT.  scratch must hold n shares.  O(n log n).
 */
extern void attribution_split(const AttributionParams *p, const int64_t *t, int n,
							  int64_t tc, AttributionShare *scratch, int64_t *out);

#endif							/* CONVERSIONS_ATTRIBUTION_CREDIT_H */
