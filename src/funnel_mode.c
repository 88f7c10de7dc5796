/*
 * funnel_mode.c
 *		Parsing of the mode string and conversion of the window interval.
 */
#include "postgres.h"

#include "common/int128.h"
#include "fmgr.h"
#include "funnel_mode.h"
#include "funnel_options.h"
#include "lib/stringinfo.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

typedef struct FunnelModeName
{
	const char *name;
	uint32		flag;
} FunnelModeName;

static const FunnelModeName funnel_mode_names[] = {
	{"strict_deduplication", FUNNEL_MODE_STRICT_DEDUPLICATION},
	{"strict_order", FUNNEL_MODE_STRICT_ORDER},
	{"strict_increase", FUNNEL_MODE_STRICT_INCREASE},
	{"strict_once", FUNNEL_MODE_STRICT_ONCE},
	{"allow_reentry", FUNNEL_MODE_ALLOW_REENTRY},
};

/* The flag of mode name s[0..len), if it is one. */
bool
funnel_mode_lookup(const char *s, int len, uint32 *flag)
{
	size_t		k;

	for (k = 0; k < lengthof(funnel_mode_names); k++)
	{
		const char *name = funnel_mode_names[k].name;

		if ((size_t) len == strlen(name) && memcmp(s, name, len) == 0)
		{
			*flag = funnel_mode_names[k].flag;
			return true;
		}
	}
	return false;
}

/* Error for an item that is neither a mode nor (with_options) an option. */
void
funnel_unknown_mode(const char *s, int len, bool with_options)
{
	if (len == 6 && memcmp(s, "strict", 6) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown funnel mode \"strict\""),
				 errhint("ClickHouse renamed \"strict\" to \"strict_deduplication\"; use that.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown funnel mode \"%.*s\"", len, s),
			 errhint(with_options ? FUNNEL_OPTION_HINT : FUNNEL_MODE_HINT)));
}

/*
 * Turn a comma-separated mode list into FUNNEL_MODE_* flags (the modes of
 * window_funnel; funnel_options.c parses the list).
 */
uint32
funnel_parse_modes(const char *str, int len)
{
	return funnel_parse_options(str, len, NULL);
}

/*
 * Convert the window to microseconds.  A month counts as 30 days and a day
 * as 24 hours, the rule PostgreSQL uses to compare intervals, so the window
 * is a fixed length whatever the calendar or time zone.  Windows too long to
 * represent saturate (they already span every valid timestamp).
 */
int64
funnel_window_from_interval(const Interval *window)
{
	int64		us;

	if (!funnel_interval_usecs(window, &us))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window must not be negative: \"%s\"",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(window)))),
				 errhint("Pass a window of zero or more, such as interval '1 day'.")));
	return us;
}

/*
 * An interval as a fixed length in microseconds (30-day months, 24-hour
 * days), saturating at the largest int64; false when it is negative.
 */
bool
funnel_interval_usecs(const Interval *iv, int64 *us)
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
 * Run fn(arg); a data error it raises (bad syntax, out of range) returns
 * false with its message in *message, so that the caller reports it in its
 * own terms.  Other errors, such as a cancel, pass through.
 */
bool
funnel_try(void (*fn) (void *arg), void *arg, char **message)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool ok = true;

	PG_TRY();
	{
		fn(arg);
	}
	PG_CATCH();
	{
		ErrorData  *e;

		MemoryContextSwitchTo(cxt);
		e = CopyErrorData();
		if (ERRCODE_TO_CATEGORY(e->sqlerrcode) != ERRCODE_DATA_EXCEPTION)
			PG_RE_THROW();
		FlushErrorState();
		*message = e->detail ? psprintf("%s: %s", e->message, e->detail) : e->message;
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

typedef struct InputCall
{
	PGFunction	fn;
	const char *str;
	Datum		result;
} InputCall;

static void
input_call(void *arg)
{
	InputCall  *c = (InputCall *) arg;

	c->result = DirectFunctionCall3(c->fn, CStringGetDatum(c->str),
									ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* A type's input function on str, under funnel_try. */
bool
funnel_try_input(PGFunction fn, const char *str, Datum *result, char **message)
{
	InputCall	c;

	c.fn = fn;
	c.str = str;
	c.result = (Datum) 0;
	if (!funnel_try(input_call, &c, message))
		return false;
	*result = c.result;
	return true;
}

/*
 * The mode flags as a comma-separated list of names, for error messages;
 * "default" when none is set.
 */
char *
funnel_modes_to_string(uint32 modes)
{
	StringInfoData out;
	size_t		k;

	initStringInfo(&out);
	for (k = 0; k < lengthof(funnel_mode_names); k++)
	{
		if (modes & funnel_mode_names[k].flag)
			appendStringInfo(&out, "%s%s", out.len > 0 ? "," : "",
							 funnel_mode_names[k].name);
	}
	return out.len > 0 ? out.data : pstrdup("default");
}

/*
 * Append a duration in microseconds as an interval string that reads back
 * the same under any IntervalStyle ("1 day 02:00:00.5").
 */
void
funnel_window_format(StringInfo out, int64 window)
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
funnel_window_to_string(int64 window)
{
	Interval	iv;

	iv.time = window;
	iv.day = 0;
	iv.month = 0;
	return DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(&iv)));
}
