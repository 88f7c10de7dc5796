/*
 * funnel_mode.c
 *		Parsing of the mode string and conversion of the window interval.
 */
#include "postgres.h"

#include "common/int128.h"
#include "fmgr.h"
#include "funnel_mode.h"
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

#define FUNNEL_MODE_HINT \
	"Valid modes are strict_deduplication, strict_order, strict_increase, strict_once and allow_reentry, separated by commas."

static inline bool
is_mode_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Turn a comma-separated mode list into FUNNEL_MODE_* flags.  Blanks around
 * names are allowed; an empty string means the default mode; an empty item,
 * an unknown name or an invalid combination is an error naming the culprit.
 */
uint32
funnel_parse_modes(const char *str, int len)
{
	uint32		modes = 0;
	int			pos = 0;
	bool		all_blank = true;
	int			i;

	for (i = 0; i < len; i++)
		if (!is_mode_space(str[i]))
			all_blank = false;
	if (all_blank)
		return 0;

	while (pos <= len)
	{
		int			start = pos;
		int			end;
		int			item_end;
		size_t		k;
		bool		found = false;

		while (pos < len && str[pos] != ',')
			pos++;
		item_end = pos;
		end = item_end;
		while (start < end && is_mode_space(str[start]))
			start++;
		while (end > start && is_mode_space(str[end - 1]))
			end--;

		if (start == end)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("empty item in funnel mode \"%.*s\"", len, str),
					 errhint(FUNNEL_MODE_HINT)));

		for (k = 0; k < lengthof(funnel_mode_names); k++)
		{
			const char *name = funnel_mode_names[k].name;

			if ((size_t) (end - start) == strlen(name) &&
				memcmp(str + start, name, end - start) == 0)
			{
				modes |= funnel_mode_names[k].flag;
				found = true;
				break;
			}
		}
		if (!found)
		{
			if (end - start == 6 && memcmp(str + start, "strict", 6) == 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown funnel mode \"strict\""),
						 errhint("ClickHouse renamed \"strict\" to \"strict_deduplication\"; use that.")));
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unknown funnel mode \"%.*s\"", end - start, str + start),
					 errhint(FUNNEL_MODE_HINT)));
		}
		pos = item_end + 1;
	}

	if ((modes & FUNNEL_MODE_ALLOW_REENTRY) && !(modes & FUNNEL_MODE_STRICT_ORDER))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel mode \"%.*s\" uses allow_reentry without strict_order", len, str),
				 errhint("allow_reentry only changes strict_order; write \"strict_order,allow_reentry\".")));
	return modes;
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
	INT128		total = int64_to_int128(window->time);

	int128_add_int64_mul_int64(&total, window->day, USECS_PER_DAY);
	int128_add_int64_mul_int64(&total, window->month,
							   (int64) DAYS_PER_MONTH * USECS_PER_DAY);
	if (int128_compare(total, int64_to_int128(0)) < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window must not be negative: \"%s\"",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(window)))),
				 errhint("Pass a window of zero or more, such as interval '1 day'.")));
	if (int128_compare(total, int64_to_int128(PG_INT64_MAX)) > 0)
		return PG_INT64_MAX;
	return int128_to_int64(total);
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
