/*
 * funnel_compare.c
 *		funnel_compare(a, b, from, to, confidence): the conversion from one
 *		step to another in two funnels of the same definition (two channels,
 *		two variants, two breakdown values), their difference with
 *		Newcombe's hybrid score interval, the relative lift, and the pooled
 *		two-proportion z test with its two-sided p-value.
 *
 * Each funnel's rate is x of n independent entities, and the two funnels'
 * entities are independent samples (disjoint sets of entities, as rollup
 * requires).  Attempt-counting funnels are refused, as for funnel_rates.
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

PG_FUNCTION_INFO_V1(funnel_compare);
PG_FUNCTION_INFO_V1(funnel_compare_by_label);

/* Columns of the result, in order. */
enum
{
	COL_RATE_A,
	COL_RATE_B,
	COL_DIFFERENCE,
	COL_DIFFERENCE_LOW,
	COL_DIFFERENCE_HIGH,
	COL_RELATIVE_LIFT,
	COL_Z,
	COL_P_VALUE,
	NCOLS
};

/*
 * Check the arguments both forms share: the confidence level, funnels of
 * the same definition that count entities.
 */
static void
check_funnels(const Funnel *a, const Funnel *b, double confidence)
{
	funnel_check_confidence(confidence, "funnel_compare");
	funnel_check_same_definition(a, b, "compare", "compared");
	funnel_check_counts_entities(a, "funnel_compare");
}

/*
 * The result row for checked 1-based steps from < to.  A rate is NULL when
 * its funnel has no entity at `from`; the difference, its interval, the
 * lift, z and p are NULL unless both rates are defined; the lift also
 * when rate_a is 0; z and p also when no entrant of either funnel
 * converted or all did (the test's statistic is 0 / 0).
 */
static Datum
compare_row(FunctionCallInfo fcinfo, const Funnel *a, const Funnel *b,
			int32 from, int32 to, double confidence)
{
	TupleDesc	tupdesc;
	Datum		values[NCOLS];
	bool		nulls[NCOLS];
	int64		xa = funnel_reached_count(a, to - 1),
				na = funnel_reached_count(a, from - 1),
				xb = funnel_reached_count(b, to - 1),
				nb = funnel_reached_count(b, from - 1);
	int			i;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "funnel_compare must return a composite type");
	tupdesc = BlessTupleDesc(tupdesc);
	for (i = 0; i < NCOLS; i++)
	{
		values[i] = (Datum) 0;
		nulls[i] = true;
	}
	if (na > 0)
	{
		values[COL_RATE_A] = Float8GetDatum((double) xa / (double) na);
		nulls[COL_RATE_A] = false;
	}
	if (nb > 0)
	{
		values[COL_RATE_B] = Float8GetDatum((double) xb / (double) nb);
		nulls[COL_RATE_B] = false;
	}
	if (na > 0 && nb > 0)
	{
		double		zq = normal_two_sided_z(confidence);
		ProportionInterval ra = wilson_interval(xa, na, zq);
		ProportionInterval rb = wilson_interval(xb, nb, zq);
		double		low,
					high,
					z;

		newcombe_difference_interval(&ra, &rb, &low, &high);
		values[COL_DIFFERENCE] = Float8GetDatum(rb.rate - ra.rate);
		values[COL_DIFFERENCE_LOW] = Float8GetDatum(low);
		values[COL_DIFFERENCE_HIGH] = Float8GetDatum(high);
		nulls[COL_DIFFERENCE] = nulls[COL_DIFFERENCE_LOW] = nulls[COL_DIFFERENCE_HIGH] = false;
		if (xa > 0)
		{
			values[COL_RELATIVE_LIFT] = Float8GetDatum(rb.rate / ra.rate - 1.0);
			nulls[COL_RELATIVE_LIFT] = false;
		}
		if (two_proportion_z(xa, na, xb, nb, &z))
		{
			values[COL_Z] = Float8GetDatum(z);
			values[COL_P_VALUE] = Float8GetDatum(two_sided_p_value(z));
			nulls[COL_Z] = nulls[COL_P_VALUE] = false;
		}
	}
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls));
}

/*
 * Refuse from = to: both rates would be 1 by definition, which is never
 * what a comparison means to ask.
 */
static void
check_distinct_steps(int32 from, int32 to, bool by_label)
{
	if (from == to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 by_label ?
				 errmsg("from_label and to_label both name step %d", from) :
				 errmsg("from_step and to_step are both %d", from),
				 by_label ?
				 errhint("Pass the names of two different steps.") :
				 errhint("Pass two different steps, such as 1 and 2.")));
}

/*
 * funnel_compare(a, b, from_step, to_step, confidence): compare the
 * conversion from from_step to to_step of funnel b with funnel a's.
 */
Datum
funnel_compare(PG_FUNCTION_ARGS)
{
	Funnel	   *a = PG_GETARG_FUNNEL_P(0);
	Funnel	   *b = PG_GETARG_FUNNEL_P(1);
	int32		from = PG_GETARG_INT32(2);
	int32		to = PG_GETARG_INT32(3);
	double		confidence = PG_GETARG_FLOAT8(4);

	check_funnels(a, b, confidence);
	funnel_check_step_pair(a, from, to);
	check_distinct_steps(from, to, false);
	PG_RETURN_DATUM(compare_row(fcinfo, a, b, from, to, confidence));
}

/*
 * funnel_compare(a, b, from_label, to_label, confidence): the same between
 * the steps with these names.
 */
Datum
funnel_compare_by_label(PG_FUNCTION_ARGS)
{
	Funnel	   *a = PG_GETARG_FUNNEL_P(0);
	Funnel	   *b = PG_GETARG_FUNNEL_P(1);
	text	   *from_label = PG_GETARG_TEXT_PP(2);
	text	   *to_label = PG_GETARG_TEXT_PP(3);
	double		confidence = PG_GETARG_FLOAT8(4);
	int32		from,
				to;

	check_funnels(a, b, confidence);
	funnel_steps_of_labels(a, from_label, to_label, &from, &to);
	check_distinct_steps(from, to, true);
	PG_RETURN_DATUM(compare_row(fcinfo, a, b, from, to, confidence));
}
