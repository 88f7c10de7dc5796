/*
 * interval_usecs.c
 *		Intervals as fixed lengths in microseconds, and back to text.
 */
#include "postgres.h"

#include "common/int128.h"
#include "common/interval_usecs.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "utils/fmgrprotos.h"

/*
 * An interval as a fixed length in microseconds (30-day months, 24-hour
 * days), saturating at the largest int64; false when it is negative.
 */
bool
interval_usecs(const Interval *iv, int64 *us)
{
	INT128		total = int64_to_int128(iv->time);

	int128_add_int64_mul_int64(&total, iv->day, USECS_PER_DAY);
	int128_add_int64_mul_int64(&total, iv->month, (int64) DAYS_PER_MONTH * USECS_PER_DAY);
	if (int128_compare(total, int64_to_int128(0)) < 0)
		return false;
	*us = int128_compare(total, int64_to_int128(PG_INT64_MAX)) > 0 ?
		PG_INT64_MAX : int128_to_int64(total);
	return true;
}

/*
 * Append a duration in microseconds as an interval string that reads back
 * the same under any IntervalStyle ("1 day 02:00:00.5").
 */
void
interval_usecs_format(StringInfo out, int64 window)
{
	int64		days = window / USECS_PER_DAY;
	int64		rest = window % USECS_PER_DAY;

	if (days > 0)
		appendStringInfo(out, "%lld day%s", (long long) days, days == 1 ? "" : "s");
	if (rest > 0 || days == 0)
	{
		int64		secs = rest / USECS_PER_SEC;

		appendStringInfo(out, "%s%02d:%02d:%02d", days > 0 ? " " : "",
						 (int) (secs / 3600), (int) (secs / 60 % 60), (int) (secs % 60));
		if (rest % USECS_PER_SEC != 0)
			appendStringInfo(out, ".%06d", (int) (rest % USECS_PER_SEC));
	}
}

/* A window in microseconds, formatted as an interval for error messages. */
char *
interval_usecs_to_string(int64 window)
{
	Interval	iv;

	iv.time = window;
	iv.day = 0;
	iv.month = 0;
	return DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(&iv)));
}
