/*
 * time_to_convert_mean.c
 *		time_to_convert_mean(funnel, from, to): the mean time from one step
 *		to another over the entities that reached the later one, exact
 *		(from the recorded 128-bit sum and count, not from the sketch).
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "common/uint128_sum.h"
#include "funnel/funnel.h"
#include "funnel/funnel_report.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(time_to_convert_mean);
PG_FUNCTION_INFO_V1(time_to_convert_mean_by_label);

/*
 * The mean time of step to (1-based) of the given kind in microseconds,
 * rounded to the nearest microsecond (halves up); -1 when no entity
 * reached the step.  funnel_check guarantees count * min <= sum <=
 * count * max, so the quotient lies in [min, max].
 */
static int64
mean_of(const Funnel *f, int32 to, int kind)
{
	const DurationStats *st;

	if (funnel_is_single(f))
		return funnel_single_time(f, to - 1, kind);
	st = funnel_step_stats(f, to - 1, kind, NULL);
	if (st->count == 0)
		return -1;
	return (int64) uint128_div_rounded(st->sum_lo, st->sum_hi, st->count);
}

/* The result for checked steps from < to: the mean as an interval, or NULL. */
static Datum
mean_result(FunctionCallInfo fcinfo, const Funnel *f, int32 from, int32 to)
{
	int64		m;

	funnel_check_timestamps(f, "time_to_convert_mean");
	m = mean_of(f, to, funnel_time_kind(from, to));

	if (m < 0)
		PG_RETURN_NULL();
	return funnel_interval_datum(m);
}

/*
 * time_to_convert_mean(funnel, from_step, to_step): the mean time from
 * from_step (to_step - 1 or 1, as time_to_convert) to to_step among the
 * entities that reached to_step; NULL when none did.
 */
Datum
time_to_convert_mean(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	int32		from = PG_GETARG_INT32(1);
	int32		to = PG_GETARG_INT32(2);

	funnel_check_step_pair(f, from, to);
	return mean_result(fcinfo, f, from, to);
}

/*
 * time_to_convert_mean(funnel, from_label, to_label): the same between the
 * steps with these names.
 */
Datum
time_to_convert_mean_by_label(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	text	   *from_label = PG_GETARG_TEXT_PP(1);
	text	   *to_label = PG_GETARG_TEXT_PP(2);
	int32		from,
				to;

	funnel_steps_of_labels(f, from_label, to_label, &from, &to);
	return mean_result(fcinfo, f, from, to);
}
