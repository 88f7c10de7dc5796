/*
 * funnel_rates.c
 *		funnel_rates(funnel, confidence): funnel_steps' conversion rates with
 *		Wilson score intervals.
 *
 * Each rate is x of n entities (x that reached the step, n that reached the
 * previous step or step 1), read as a binomial proportion of independent
 * entities: the funnel's entities are taken as a sample of the population
 * the rate is about.  Wilson's interval keeps its coverage for small n and
 * for rates near 0 or 1, where the textbook Wald interval fails
 * (common/proportion_stats.c).  A funnel that counts attempts is refused:
 * one entity's attempts are not independent.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/normal_dist.h"
#include "common/pg_compat.h"
#include "common/proportion_stats.h"
#include "funcapi.h"
#include "funnel/funnel.h"
#include "funnel/funnel_report.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(funnel_rates);

typedef struct RatesState
{
	Funnel	   *f;
	double		z;
} RatesState;

/*
 * Put the rate x / n and its interval in values[at .. at + 2], or NULLs
 * when n is 0.  Step 1's rates are 1 by definition (x = n, not a sample
 * proportion): their interval is [1, 1].
 */
static void
rate_columns(int64 x, int64 n, bool definitional, double z,
			 Datum *values, bool *nulls, int at)
{
	ProportionInterval r;

	if (n == 0)
	{
		nulls[at] = nulls[at + 1] = nulls[at + 2] = true;
		return;
	}
	if (definitional)
		r.rate = r.low = r.high = 1.0;
	else
		r = wilson_interval(x, n, z);
	values[at] = Float8GetDatum(r.rate);
	values[at + 1] = Float8GetDatum(r.low);
	values[at + 2] = Float8GetDatum(r.high);
}

/*
 * funnel_rates(funnel, confidence): one row per step with the entities
 * entered, the conversion from the previous step and from step 1 (as
 * funnel_steps) and each rate's Wilson interval at the confidence level;
 * NULL where the rate is NULL (nobody reached the step divided by).
 */
Datum
funnel_rates(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	RatesState *rs;
	int			k;
	Datum		values[9];
	bool		nulls[9];
	int64		entered;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	tupdesc;
		double		confidence = PG_GETARG_FLOAT8(1);
		Funnel	   *f;

		funnel_check_confidence(confidence, "funnel_rates");
		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "funnel_rates must return a composite type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		/* a copy that lives as long as the calls */
		f = (Funnel *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		funnel_check_counts_entities(f, "funnel_rates");
		rs = palloc(sizeof(RatesState));
		rs->f = f;
		rs->z = normal_two_sided_z(confidence);
		funcctx->user_fctx = rs;
		funcctx->max_calls = f->nsteps;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr >= funcctx->max_calls)
		SRF_RETURN_DONE(funcctx);

	rs = (RatesState *) funcctx->user_fctx;
	k = (int) funcctx->call_cntr;
	memset(nulls, 0, sizeof(nulls));
	entered = funnel_reached_count(rs->f, k);

	values[0] = Int32GetDatum(k + 1);
	if (funnel_has_step_names(rs->f))
		values[1] = CStringGetTextDatum(funnel_step_label(rs->f, k));
	else
		nulls[1] = true;
	values[2] = Int64GetDatum(entered);
	rate_columns(entered, k > 0 ? funnel_reached_count(rs->f, k - 1) : entered,
				 k == 0, rs->z, values, nulls, 3);
	rate_columns(entered, funnel_reached_count(rs->f, 0), k == 0, rs->z,
				 values, nulls, 6);
	SRF_RETURN_NEXT(funcctx,
					HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
}
