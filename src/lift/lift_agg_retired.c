/*
 * lift_agg_retired.c
 *		0.1.0's lift_agg(ts, micro, is_conversion) and its
 *		before-first-conversion rule: an entity "did" a label if it had it
 *		at or before its first conversion, or at any time if it never
 *		converted.  Converters are watched for less time than non-converters,
 *		so frequent micro-conversions look harmful (immortal-time bias).
 *
 * Two sets of C functions behind that one SQL signature:
 *   - lift_agg_transition (with lift_agg_final): what 0.1.0's install
 *     script calls, kept so that a database still at 0.1.0 works with this
 *     library until ALTER EXTENSION conversions UPDATE;
 *   - lift_agg_retired_transition and lift_agg_retired_final: what 0.2.0
 *     calls; they refuse to run, so views that use the old signature keep
 *     existing across the update and say how to recompute when refreshed.
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "common/value_pairs.h"
#include "fmgr.h"
#include "lift/lift.h"
#include "lift/lift_agg.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(lift_agg_transition);
PG_FUNCTION_INFO_V1(lift_agg_retired_transition);
PG_FUNCTION_INFO_V1(lift_agg_retired_final);

#define RETIRED_SIGNATURE "lift_agg(ts, micro, is_conversion) uses"

/*
 * 0.1.0's transition (a database not yet updated): a conversion row
 * (is_conversion true) or a micro-conversion row (non-NULL label); rows
 * with a NULL timestamp, and rows that are neither, count only towards the
 * entity existing.
 */
Datum
lift_agg_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	LiftState  *s;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "lift_agg_transition called in non-aggregate context");
	s = PG_ARGISNULL(0) ? lift_state_create(aggcxt, LIFT_DESIGN_BEFORE_CONVERSION, 0, 0) :
		(LiftState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(s);
	if (!PG_ARGISNULL(3) && PG_GETARG_BOOL(3))
		lift_state_add_conversion(s, PG_GETARG_INT64(1));
	else if (!PG_ARGISNULL(2))
		lift_state_add_label(s, lift_label_argument(fcinfo, 2), PG_GETARG_INT64(1));
	PG_RETURN_POINTER(s);
}

/*
 * One entity's version-1 value by 0.1.0's rule (lift_agg_final's job for
 * such states): a converter's labels up to its first conversion (at the
 * same instant included), a non-converter's all.
 */
Lift *
lift_before_conversion_value(const LiftState *s)
{
	LiftSummary sum = {LIFT_FORMAT_BEFORE_CONVERSION, 1, s->converted ? 1 : 0, 0,
	LIFT_NO_FOLLOW_UP, 0, false};

	return lift_entity_value(s, &sum, s->converted ? s->first_conversion : PG_INT64_MAX);
}

/* 0.2.0's transition for the old signature: an error on the first row. */
Datum
lift_agg_retired_transition(PG_FUNCTION_ARGS)
{
	lift_before_conversion_error(RETIRED_SIGNATURE);
	PG_RETURN_NULL();
}

/* 0.2.0's final for the old signature: an error, even on no rows. */
Datum
lift_agg_retired_final(PG_FUNCTION_ARGS)
{
	lift_before_conversion_error(RETIRED_SIGNATURE);
	PG_RETURN_NULL();
}
