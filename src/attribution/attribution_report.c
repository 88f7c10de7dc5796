/*
 * attribution_report.c
 *		rollup(attribution) and the accessors that turn an attribution
 *		value into columns.
 */
#include "postgres.h"

#include "attribution/attribution.h"
#include "common/pg_compat.h"
#include "common/uint128_sum.h"
#include "fmgr.h"
#include "funcapi.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(attribution_rollup_transition);
PG_FUNCTION_INFO_V1(attribution_touches);
PG_FUNCTION_INFO_V1(attribution_entities);
PG_FUNCTION_INFO_V1(attribution_conversions);
PG_FUNCTION_INFO_V1(attribution_attributed);
PG_FUNCTION_INFO_V1(attribution_total_value);

/*
 * Transition and combine of rollup(attribution): the state is an
 * attribution value, updated in place inside the aggregate while no new
 * label appears (so that, like rollup(funnel), Citus can split it).
 */
Datum
attribution_rollup_transition(PG_FUNCTION_ARGS)
{
	Attribution *state;
	Attribution *a;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	a = PG_GETARG_ATTRIBUTION_P(1);
	if (PG_ARGISNULL(0))
		PG_RETURN_ATTRIBUTION_P(a); /* the executor copies it into its context */
	state = PG_GETARG_ATTRIBUTION_P(0);
	PG_RETURN_ATTRIBUTION_P(attribution_merge(state, a, AggCheckCallContext(fcinfo, NULL)));
}

/*
 * attribution_touches(a): per touch label, the conversions credited to it,
 * their value credited to it and its touch rows; then, when some
 * conversions had no eligible touch, a row with a NULL label for them (so
 * the conversions column sums to all conversions).
 */
Datum
attribution_touches(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	Attribution *a;
	int32		i;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	tupdesc;

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "attribution_touches must return a composite type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		/* a copy that lives as long as the calls */
		a = (Attribution *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		funcctx->user_fctx = a;
		funcctx->max_calls = a->nlabels + (a->attributed < a->conversions ? 1 : 0);
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr >= funcctx->max_calls)
		SRF_RETURN_DONE(funcctx);
	a = (Attribution *) funcctx->user_fctx;
	i = (int32) funcctx->call_cntr;
	if (i < a->nlabels)
	{
		const AttributionEntry *e = &a->entries[i];

		values[0] = PointerGetDatum(cstring_to_text_with_len(attribution_label(a, i),
															 e->label_len));
		values[1] = Float8GetDatum(attribution_credit_float(e->credit_lo, e->credit_hi));
		values[2] = Float8GetDatum(attribution_value_float(e->value_lo, e->value_hi));
		values[3] = Int64GetDatum(e->touches);
	}
	else
	{
		nulls[0] = true;
		values[1] = Float8GetDatum((double) (a->conversions - a->attributed));
		values[2] = Float8GetDatum(attribution_value_float(a->unattributed_value_lo,
														   a->unattributed_value_hi));
		values[3] = Int64GetDatum(0);
	}
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
															   values, nulls)));
}

/* entities(attribution): entities merged into the value. */
Datum
attribution_entities(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_ATTRIBUTION_P(0)->entities);
}

/* conversions(attribution): all conversions, attributed or not. */
Datum
attribution_conversions(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_ATTRIBUTION_P(0)->conversions);
}

/* attributed_conversions(attribution): conversions with an eligible touch. */
Datum
attribution_attributed(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_ATTRIBUTION_P(0)->attributed);
}

/* conversion_value(attribution): the value of all conversions. */
Datum
attribution_total_value(PG_FUNCTION_ARGS)
{
	Attribution *a = PG_GETARG_ATTRIBUTION_P(0);
	uint64		lo = a->unattributed_value_lo;
	uint64		hi = a->unattributed_value_hi;
	int32		i;

	for (i = 0; i < a->nlabels; i++)
		uint128_sum_add128(&lo, &hi, a->entries[i].value_lo, a->entries[i].value_hi);
	PG_RETURN_FLOAT8(attribution_value_float(lo, hi));
}
