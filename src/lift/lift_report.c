/*
 * lift_report.c
 *		rollup(lift) and lift_report: per micro-conversion label, the
 *		conversion rate of the entities that did it and of those that did
 *		not, the lift (relative difference) and its confidence interval.
 *		Rates are over the entities at risk at the landmark; a version-1
 *		value (0.1.0's biased rule) is refused.
 *
 * The interval is Katz's log interval for a ratio of two proportions:
 * ln(RR) +- z * sqrt(1/a - 1/n1 + 1/c - 1/n0), where a of n1 entities that
 * did the micro-conversion converted and c of the n0 that did not.
 */
#include "postgres.h"

#include "common/pg_compat.h"

#include <math.h>

#include "common/normal_dist.h"
#include "fmgr.h"
#include "funcapi.h"
#include "lift/lift.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(lift_rollup_transition);
PG_FUNCTION_INFO_V1(lift_report);
PG_FUNCTION_INFO_V1(lift_entities);
PG_FUNCTION_INFO_V1(lift_converted);
PG_FUNCTION_INFO_V1(lift_converted_before_landmark);

/*
 * Transition and combine of rollup(lift): the state is a lift value,
 * updated in place while no new label appears.
 */
Datum
lift_rollup_transition(PG_FUNCTION_ARGS)
{
	Lift	   *state;
	Lift	   *l;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	l = PG_GETARG_LIFT_P(1);
	if (PG_ARGISNULL(0))
		PG_RETURN_LIFT_P(l);	/* the executor copies it into its context */
	state = PG_GETARG_LIFT_P(0);
	PG_RETURN_LIFT_P(lift_merge(state, l, AggCheckCallContext(fcinfo, NULL)));
}

typedef struct ReportState
{
	Lift	   *lift;
	double		z;
} ReportState;

/*
 * lift_report(lift, confidence): one row per micro-conversion label.  The
 * rate without it, the lift and the interval are NULL where they are
 * undefined (no entity without it, no conversion without it, or a zero
 * count in the interval's formula).
 */
Datum
lift_report(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	ReportState *rs;
	const LiftEntry *e;
	Datum		values[8];
	bool		nulls[8] = {false, false, false, false, false, false, false, false};
	int64		a,
				n1,
				c,
				n0;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	tupdesc;
		double		confidence = PG_GETARG_FLOAT8(1);

		if (!(confidence > 0.0 && confidence < 1.0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("lift_report confidence must be between 0 and 1, got %g", confidence),
					 errhint("Pass a confidence level such as 0.95.")));
		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		rs = palloc(sizeof(ReportState));
		rs->lift = (Lift *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		if (rs->lift->version == LIFT_FORMAT_BEFORE_CONVERSION)
			lift_before_conversion_error("lift value was computed with");
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "lift_report must return a composite type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		rs->z = normal_two_sided_z(confidence);
		funcctx->user_fctx = rs;
		funcctx->max_calls = rs->lift->nlabels;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr >= funcctx->max_calls)
		SRF_RETURN_DONE(funcctx);
	rs = (ReportState *) funcctx->user_fctx;
	e = &lift_entries(rs->lift)[funcctx->call_cntr];
	n1 = e->entities;
	a = e->converted;
	n0 = rs->lift->entities - n1;
	c = rs->lift->converted - a;

	values[0] = PointerGetDatum(cstring_to_text_with_len(lift_label(rs->lift, (int32) funcctx->call_cntr),
														 e->label_len));
	values[1] = Int64GetDatum(n1);
	values[2] = Int64GetDatum(a);
	values[3] = Float8GetDatum((double) a / (double) n1);
	nulls[4] = n0 == 0;
	values[4] = Float8GetDatum(n0 > 0 ? (double) c / (double) n0 : 0.0);
	nulls[5] = n0 == 0 || c == 0;
	nulls[6] = nulls[7] = nulls[5] || a == 0;
	if (!nulls[5])
	{
		double		rr = ((double) a / (double) n1) / ((double) c / (double) n0);

		values[5] = Float8GetDatum(rr - 1.0);
		if (!nulls[6])
		{
			double		se = sqrt(1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n0);

			values[6] = Float8GetDatum(rr * exp(-rs->z * se) - 1.0);
			values[7] = Float8GetDatum(rr * exp(rs->z * se) - 1.0);
		}
	}
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
															   values, nulls)));
}

/* entities(lift): entities merged into the value (version 2: those at risk at the landmark). */
Datum
lift_entities(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_LIFT_P(0)->entities);
}

/* converted_entities(lift): entities with a (version 2: counted, after the landmark) conversion. */
Datum
lift_converted(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_LIFT_P(0)->converted);
}

/*
 * converted_before_landmark(lift): entities left out of the rates because
 * they converted before their landmark; NULL for a version-1 value, which
 * has no landmark.
 */
Datum
lift_converted_before_landmark(PG_FUNCTION_ARGS)
{
	Lift	   *l = PG_GETARG_LIFT_P(0);

	if (l->version != LIFT_FORMAT_LANDMARK)
		PG_RETURN_NULL();
	PG_RETURN_INT64(l->converted_before_landmark);
}
