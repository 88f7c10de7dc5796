/*
 * attribution_model.h
 *		The model argument of attribution_agg: a comma-separated list of one
 *		model name and its parameters, such as
 *		'time_decay, half_life=7 days' or 'position_based, weights=0.3/0.4/0.3',
 *		parsed once per query and stored in canonical form with every value
 *		it makes (so rollup can tell models apart and text input re-checks it).
 */
#ifndef CONVERSIONS_ATTRIBUTION_MODEL_H
#define CONVERSIONS_ATTRIBUTION_MODEL_H

#include "postgres.h"

#include "attribution/attribution_credit.h"
#include "common/limits.h"
#include "common/pg_compat.h"

#define ATTRIBUTION_MODEL_HINT \
	"The model is one of first_touch, last_touch, linear, time_decay and position_based, optionally followed by half_life=INTERVAL (time_decay), weights=FIRST/MIDDLE/LAST (position_based) and max_touches=N, separated by commas."

typedef struct AttributionModelSpec
{
	AttributionParams params;
	int64		half_life;		/* time_decay: microseconds (or integer-time
								 * units), > 0 */
	bool		integer_time;	/* over integer times: half_life=N units */
	double		middle_weight;	/* position_based */
	int32		max_touches;	/* latest touches kept per conversion */
} AttributionModelSpec;

extern void attribution_model_parse(const char *str, int len, bool integer_time,
									AttributionModelSpec *spec);
extern char *attribution_model_to_string(const AttributionModelSpec *spec);
extern bool attribution_model_from_string(const char *str, bool integer_time,
										  AttributionModelSpec *spec);

#endif							/* CONVERSIONS_ATTRIBUTION_MODEL_H */
