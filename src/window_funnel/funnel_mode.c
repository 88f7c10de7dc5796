/*
 * funnel_mode.c
 *		The mode list, the window and the step arguments of window_funnel
 *		and funnel_agg.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/condition_array.h"
#include "common/integer_time.h"
#include "common/interval_usecs.h"
#include "common/limits.h"
#include "common/pg_compat.h"
#include "lib/stringinfo.h"
#include "utils/fmgrprotos.h"
#include "window_funnel/funnel_mode.h"

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
static bool
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

static inline bool
is_list_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * Start reading the mode list str[0..len).  A list of blanks only is the
 * default (no modes, no items).
 */
void
funnel_mode_list_begin(FunnelModeList *list, const char *str, int len, bool with_options)
{
	int			i;

	list->str = str;
	list->len = len;
	list->pos = len + 1;
	list->with_options = with_options;
	list->modes = 0;
	for (i = 0; i < len; i++)
		if (!is_list_space(str[i]))
		{
			list->pos = 0;
			break;
		}
}

/*
 * The next item of the list that is not a mode, into *item; false at the
 * end of the list.  Modes are added to list->modes on the way.  Blanks
 * around items are allowed; an empty item is an error, and so is an item
 * other than a mode when the list takes no options.  At the end,
 * allow_reentry without strict_order is an error.
 */
bool
funnel_mode_list_next(FunnelModeList *list, FunnelModeItem *item)
{
	const char *str = list->str;
	int			len = list->len;

	while (list->pos <= len)
	{
		int			start = list->pos;
		int			end;
		const char *eq;
		uint32		flag;

		while (list->pos < len && str[list->pos] != ',')
			list->pos++;
		end = list->pos;
		list->pos++;
		while (start < end && is_list_space(str[start]))
			start++;
		while (end > start && is_list_space(str[end - 1]))
			end--;

		if (start == end)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("empty item in funnel mode \"%.*s\"", len, str),
					 errhint(list->with_options ? FUNNEL_OPTION_HINT : FUNNEL_MODE_HINT)));
		eq = memchr(str + start, '=', end - start);
		if (eq == NULL && funnel_mode_lookup(str + start, end - start, &flag))
		{
			list->modes |= flag;
			continue;
		}
		if (!list->with_options)
		{
			if (eq != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("funnel option \"%.*s\" is not a mode", end - start, str + start),
						 errhint("Options such as exclude= and within= are for funnel_agg; window_funnel takes modes only.")));
			funnel_unknown_mode(str + start, end - start, false);
		}
		item->str = str + start;
		item->len = end - start;
		item->eq = eq;
		return true;
	}
	if (!funnel_modes_valid(list->modes))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel mode \"%.*s\" uses allow_reentry without strict_order", len, str),
				 errhint("allow_reentry only changes strict_order; write \"strict_order,allow_reentry\".")));
	return false;
}

/*
 * The FUNNEL_MODE_* flags of a list of modes only (window_funnel's mode
 * argument, a funnel value's modes).
 */
uint32
funnel_parse_modes(const char *str, int len)
{
	FunnelModeList list;
	FunnelModeItem item;

	funnel_mode_list_begin(&list, str, len, false);
	while (funnel_mode_list_next(&list, &item))
		;
	return list.modes;
}

/* Whether flags are a valid combination of modes (as stored states hold). */
bool
funnel_modes_valid(uint32 modes)
{
	return (modes & ~FUNNEL_MODE_ALL) == 0 &&
		!((modes & FUNNEL_MODE_ALLOW_REENTRY) && !(modes & FUNNEL_MODE_STRICT_ORDER));
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

	if (!interval_usecs(window, &us))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window must not be negative: \"%s\"",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(window)))),
				 errhint("Pass a window of zero or more, such as interval '1 day'.")));
	return us;
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
 * What window_funnel's call site knows across rows, kept in fn_extra: the
 * kind of its time argument and the definitions its rows brought (ModeSite),
 * and the last mode string with its parsed flags (ModeCache), so that a
 * constant mode is parsed once per query, not per row.
 */
typedef struct ModeSite
{
	int8		integer_time;	/* window_funnel's ts is bigint: 1, 0, or -1
								 * before the first look (funnel_cached_integer_time) */
	int8		definitions;	/* 0, 1 or 2 (more than one) distinct definitions
								 * seen (funnel_site_definition_sole) */
	int64		window;			/* the first definition seen */
	uint32		modes;
	int32		nsteps;
} ModeSite;

typedef struct ModeCache
{
	ModeSite	site;			/* kept when the cache is reallocated */
	uint32		modes;
	int			len;			/* -1: no mode read yet */
	char		text[FLEXIBLE_ARRAY_MEMBER];
} ModeCache;

/* This call site's cache with room for a mode of len bytes, allocated empty. */
static ModeCache *
mode_cache_alloc(FunctionCallInfo fcinfo, int len)
{
	ModeCache  *old = (ModeCache *) fcinfo->flinfo->fn_extra;
	ModeCache  *cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt,
										   offsetof(ModeCache, text) + len + 1);

	if (old != NULL)
	{
		cache->site = old->site;
		pfree(old);
	}
	else
	{
		cache->site.integer_time = -1;
		cache->site.definitions = 0;
	}
	cache->modes = 0;
	cache->len = -1;
	fcinfo->flinfo->fn_extra = cache;
	return cache;
}

/* Flags of the mode argument, parsing it only when its text changes. */
uint32
funnel_mode_argument(FunctionCallInfo fcinfo, int argno)
{
	text	   *mode;
	ModeCache  *cache = (ModeCache *) fcinfo->flinfo->fn_extra;
	int			len;
	uint32		modes;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("funnel mode must not be NULL"),
				 errhint("Pass '' for the default mode.")));
	mode = PG_GETARG_TEXT_PP(argno);
	len = VARSIZE_ANY_EXHDR(mode);
	if (cache != NULL && cache->len == len &&
		memcmp(cache->text, VARDATA_ANY(mode), len) == 0)
		return cache->modes;

	modes = funnel_parse_modes(VARDATA_ANY(mode), len);
	if (cache == NULL || cache->len < len)
		cache = mode_cache_alloc(fcinfo, len);
	cache->modes = modes;
	cache->len = len;
	memcpy(cache->text, VARDATA_ANY(mode), len);
	return modes;
}

/*
 * Whether window_funnel's transition argument argno is an integer time,
 * looked up once per call site and kept in fn_extra with the mode's cache
 * (window_funnel runs this per row; funnel_agg, whose fn_extra holds its
 * call, asks funnel_integer_time_argument once per definition instead).
 */
bool
funnel_cached_integer_time(FunctionCallInfo fcinfo, int argno)
{
	ModeCache  *cache = (ModeCache *) fcinfo->flinfo->fn_extra;

	if (cache == NULL)
		cache = mode_cache_alloc(fcinfo, 0);
	if (cache->site.integer_time < 0)
		cache->site.integer_time = integer_time_argument(fcinfo, argno) ? 1 : 0;
	return cache->site.integer_time == 1;
}

/*
 * Whether every group state this window_funnel call site has made, and
 * will make for this row, has the definition (window, modes, nsteps): true
 * while every row so far brought this one definition.  Then a row that is
 * not kept need not read its group's state to check it, which with many
 * groups is a cache miss per row.  Call once per row, before the state is
 * made or checked.
 */
bool
funnel_site_definition_sole(FunctionCallInfo fcinfo, int64 window, uint32 modes, int32 nsteps)
{
	ModeCache  *cache = (ModeCache *) fcinfo->flinfo->fn_extra;
	ModeSite   *site;

	if (cache == NULL)
		cache = mode_cache_alloc(fcinfo, 0);
	site = &cache->site;
	if (site->definitions == 0)
	{
		site->definitions = 1;
		site->window = window;
		site->modes = modes;
		site->nsteps = nsteps;
	}
	else if (site->definitions == 1 &&
			 (site->window != window || site->modes != modes || site->nsteps != nsteps))
		site->definitions = 2;
	return site->definitions == 1;
}

/*
 * The window argument: an interval in microseconds, or in the bigint forms
 * (integer_time) a count of the ts column's own units.  NULL and negative
 * are errors.
 */
int64
funnel_window_value(FunctionCallInfo fcinfo, int argno, bool integer_time)
{
	int64		window;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("funnel window must not be NULL"),
				 integer_time ?
				 errhint("Pass a window in the units of the integer ts column, such as 3600.") :
				 errhint("Pass a window such as interval '1 day'.")));
	if (!integer_time)
		return funnel_window_from_interval(PG_GETARG_INTERVAL_P(argno));
	window = PG_GETARG_INT64(argno);
	if (window < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window must not be negative: " INT64_FORMAT, window),
				 errhint("Pass a window of zero or more, in the units of the integer ts column, such as 3600.")));
	return window;
}

/* The window argument, its kind read from the call's argument types. */
int64
funnel_window_argument(FunctionCallInfo fcinfo, int argno)
{
	return funnel_window_value(fcinfo, argno, integer_time_argument(fcinfo, argno));
}

/*
 * Refuse an integer time at the two bigint extremes (funnel_ts_argument
 * calls this only for those), which the walks would take for -infinity
 * and infinity: timestamps store those there.  A timestamp argument passes.
 */
void
funnel_integer_time_extreme(FunctionCallInfo fcinfo, int argno, int64 ts, const char *aggname)
{
	if (integer_time_argument(fcinfo, argno))
		integer_time_check(ts, aggname);
}

/* Number of step conditions in the VARIADIC array, 1..FUNNEL_MAX_STEPS. */
int32
funnel_step_array(FunctionCallInfo fcinfo, int argno, ArrayType **steps)
{
	ArrayType  *arr;
	int32		n;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("funnel step array must not be NULL"),
				 errhint("Pass the step conditions as separate arguments, such as event = 'view', event = 'cart'.")));
	arr = PG_GETARG_ARRAYTYPE_P(argno);
	if (ARR_NDIM(arr) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel step array must be one-dimensional, got %d dimensions",
						ARR_NDIM(arr)),
				 errhint("Pass the step conditions as separate arguments.")));
	n = ARR_NDIM(arr) == 0 ? 0 : ARR_DIMS(arr)[0];
	if (n == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel needs at least one step condition, got 0"),
				 errhint("Pass one boolean condition per step, such as event = 'view'.")));
	if (n > FUNNEL_MAX_STEPS)
		ereport(ERROR,
				(errcode(ERRCODE_TOO_MANY_ARGUMENTS),
				 errmsg("funnel has %d step conditions, more than the maximum of %d",
						n, FUNNEL_MAX_STEPS),
				 errhint("Split the funnel, or combine conditions with OR.")));
	*steps = arr;
	return n;
}
