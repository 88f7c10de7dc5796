/*
 * attribution_model.c
 *		Parsing and printing attribution_agg's model string.
 *
 * Items are separated by commas and surrounding spaces are ignored.  The
 * canonical form names the model first and then every parameter the model
 * has, defaults included, so a stored value says exactly how it was made.
 */
#include "postgres.h"

#include "common/pg_compat.h"

#include <math.h>

#include "attribution/attribution_model.h"
#include "common/error_trap.h"
#include "common/interval_usecs.h"
#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

/* The models' names as written in the model string, by AttributionModel. */
static const char *const model_names[] = {
	"first_touch", "last_touch", "linear", "time_decay", "position_based"
};

/* Error for a malformed or conflicting model string. */
static void
model_error(const char *str, int len, const char *message)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid attribution model \"%.*s\": %s", Min(len, 200), str, message),
			 errhint(ATTRIBUTION_MODEL_HINT)));
}

/* A number for a weight: finite, all of the item consumed. */
static bool
parse_double(const char *s, double *x)
{
	char	   *end;

	errno = 0;
	*x = strtod(s, &end);
	return end != s && *end == '\0' && errno == 0 && isfinite(*x);
}

/* position_based weights "F/M/L": each >= 0, summing to 1. */
static void
parse_weights(const char *str, int len, char *v, AttributionModelSpec *spec)
{
	double		w[3];
	char	   *parts[3];
	int			k;

	parts[0] = v;
	for (k = 1; k < 3; k++)
	{
		parts[k] = strchr(parts[k - 1], '/');
		if (parts[k] == NULL)
			model_error(str, len, "weights= needs three numbers FIRST/MIDDLE/LAST, such as weights=0.4/0.2/0.4");
		*parts[k]++ = '\0';
	}
	for (k = 0; k < 3; k++)
		if (!parse_double(parts[k], &w[k]))
			model_error(str, len, psprintf("weight \"%s\" is not a number", parts[k]));
	for (k = 0; k < 3; k++)
		if (w[k] < 0.0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("attribution position weights must not be negative, got %s/%s/%s",
							parts[0], parts[1], parts[2]),
					 errhint("Give the first, middle and last touches' shares as fractions that sum to 1, such as weights=0.4/0.2/0.4.")));
	if (fabs(w[0] + w[1] + w[2] - 1.0) > 1e-9)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution position weights must sum to 1, got %s/%s/%s (sum %g)",
						parts[0], parts[1], parts[2], w[0] + w[1] + w[2]),
				 errhint("Give the first, middle and last touches' shares as fractions that sum to 1, such as weights=0.4/0.2/0.4.")));
	spec->params.first_weight = w[0];
	spec->middle_weight = w[1];
	spec->params.last_weight = w[2];
}

/*
 * half_life=N over integer times: a positive whole number of the time
 * column's units.
 */
static void
parse_integer_half_life(const char *str, int len, const char *v, AttributionModelSpec *spec)
{
	char	   *end;
	long long	n;

	errno = 0;
	n = strtoll(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0)
		model_error(str, len, psprintf("half_life \"%s\" is not a whole number: over integer times it counts the time column's units", v));
	if (n <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution half-life must be positive, got \"%s\"", v),
				 errhint("Give a half-life in the time column's units, such as half_life=604800 for a week of epoch seconds.")));
	spec->half_life = (int64) n;
	spec->params.half_life = (double) n;
}

/* half_life=INTERVAL: positive. */
static void
parse_half_life(const char *str, int len, const char *v, AttributionModelSpec *spec)
{
	Datum		iv;
	char	   *message;
	int64		us;

	if (spec->integer_time)
	{
		parse_integer_half_life(str, len, v, spec);
		return;
	}
	if (!error_trap_input(interval_in, v, &iv, &message))
		model_error(str, len, psprintf("half_life \"%s\" is not an interval: %s", v, message));
	if (!interval_usecs(DatumGetIntervalP(iv), &us) || us == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution half-life must be positive, got \"%s\"", v),
				 errhint("Give a half-life such as half_life=7 days.")));
	spec->half_life = us;
	spec->params.half_life = (double) us;
}

/* max_touches=N: 1 .. ATTRIBUTION_MAX_MAX_TOUCHES. */
static void
parse_max_touches(const char *str, int len, const char *v, AttributionModelSpec *spec)
{
	char	   *end;
	long		n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (end == v || *end != '\0' || errno != 0)
		model_error(str, len, psprintf("max_touches \"%s\" is not a whole number", v));
	if (n < 1 || n > ATTRIBUTION_MAX_MAX_TOUCHES)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution max_touches must be between 1 and %d, got %ld",
						ATTRIBUTION_MAX_MAX_TOUCHES, n),
				 errhint("The latest max_touches touches before a conversion share its credit.")));
	spec->max_touches = (int32) n;
}

/* Copy of s[0..len) without surrounding spaces. */
static char *
trimmed(const char *s, int len)
{
	while (len > 0 && isspace((unsigned char) *s))
		s++, len--;
	while (len > 0 && isspace((unsigned char) s[len - 1]))
		len--;
	return pnstrdup(s, len);
}

/*
 * Parse a model string into *spec, raising an error (22023, with the
 * string) for anything unknown, repeated, missing or out of range.  Over
 * integer times a time_decay model needs half_life=N in the column's units
 * (a default of 7 days means nothing there).
 */
void
attribution_model_parse(const char *str, int len, bool integer_time,
						AttributionModelSpec *spec)
{
	bool		has_model = false;
	bool		has_half_life = false;
	bool		has_weights = false;
	bool		has_max = false;
	int			start = 0;

	if (len > ATTRIBUTION_MAX_MODEL)
		model_error(str, len, psprintf("longer than %d bytes", ATTRIBUTION_MAX_MODEL));
	memset(spec, 0, sizeof(*spec));
	spec->half_life = 7 * USECS_PER_DAY;
	spec->params.half_life = (double) spec->half_life;
	spec->params.first_weight = 0.4;
	spec->middle_weight = 0.2;
	spec->params.last_weight = 0.4;
	spec->max_touches = ATTRIBUTION_DEFAULT_MAX_TOUCHES;
	spec->integer_time = integer_time;

	while (start <= len)
	{
		const char *comma = memchr(str + start, ',', len - start);
		int			end = comma ? (int) (comma - str) : len;
		char	   *item = trimmed(str + start, end - start);
		char	   *eq = strchr(item, '=');
		int			m;

		start = end + 1;
		if (eq == NULL)
		{
			for (m = 0; m < lengthof(model_names); m++)
				if (strcmp(item, model_names[m]) == 0)
					break;
			if (m == lengthof(model_names))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown attribution model \"%s\"", item),
						 errhint(ATTRIBUTION_MODEL_HINT)));
			if (has_model)
				model_error(str, len, "more than one model");
			has_model = true;
			spec->params.model = (AttributionModel) m;
			continue;
		}
		*eq = '\0';
		{
			char	   *key = trimmed(item, strlen(item));
			char	   *val = trimmed(eq + 1, strlen(eq + 1));
			bool	   *seen;

			if (strcmp(key, "half_life") == 0)
				seen = &has_half_life;
			else if (strcmp(key, "weights") == 0)
				seen = &has_weights;
			else if (strcmp(key, "max_touches") == 0)
				seen = &has_max;
			else
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown attribution model parameter \"%s\"", key),
						 errhint(ATTRIBUTION_MODEL_HINT)));
			if (*seen)
				model_error(str, len, psprintf("%s= given twice", key));
			*seen = true;
			if (seen == &has_half_life)
				parse_half_life(str, len, val, spec);
			else if (seen == &has_weights)
				parse_weights(str, len, val, spec);
			else
				parse_max_touches(str, len, val, spec);
		}
	}
	if (!has_model)
		model_error(str, len, "no model named");
	if (integer_time && !has_half_life && spec->params.model == ATTRIBUTION_TIME_DECAY)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution model time_decay over integer times needs half_life=N"),
				 errhint("Give a half-life in the time column's units, such as 'time_decay, half_life=604800' for a week of epoch seconds.")));
	if (has_half_life && spec->params.model != ATTRIBUTION_TIME_DECAY)
		model_error(str, len, psprintf("half_life= belongs to time_decay, not %s",
									   model_names[spec->params.model]));
	if (has_weights && spec->params.model != ATTRIBUTION_POSITION_BASED)
		model_error(str, len, psprintf("weights= belongs to position_based, not %s",
									   model_names[spec->params.model]));
}

/* A weight in the shortest form that reads back exactly. */
static void
append_weight(StringInfo out, double w)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(w, buf);
	appendStringInfoString(out, buf);
}

/* The canonical string: the model, then all of its parameters. */
char *
attribution_model_to_string(const AttributionModelSpec *spec)
{
	StringInfoData out;

	initStringInfo(&out);
	appendStringInfoString(&out, model_names[spec->params.model]);
	if (spec->params.model == ATTRIBUTION_TIME_DECAY)
	{
		appendStringInfoString(&out, ", half_life=");
		if (spec->integer_time)
			appendStringInfo(&out, INT64_FORMAT, spec->half_life);
		else
			interval_usecs_format(&out, spec->half_life);
	}
	if (spec->params.model == ATTRIBUTION_POSITION_BASED)
	{
		appendStringInfoString(&out, ", weights=");
		append_weight(&out, spec->params.first_weight);
		appendStringInfoChar(&out, '/');
		append_weight(&out, spec->middle_weight);
		appendStringInfoChar(&out, '/');
		append_weight(&out, spec->params.last_weight);
	}
	appendStringInfo(&out, ", max_touches=%d", spec->max_touches);
	return out.data;
}

typedef struct ModelParse
{
	const char *str;
	bool		integer_time;
	AttributionModelSpec *spec;
} ModelParse;

/* attribution_model_parse for error_trap_call. */
static void
model_parse_call(void *arg)
{
	ModelParse *m = (ModelParse *) arg;

	attribution_model_parse(m->str, strlen(m->str), m->integer_time, m->spec);
}

/*
 * The last string attribution_model_from_string accepted, and its model
 * (whose integer_time tells which kind of times it was read for).
 */
static char last_accepted[ATTRIBUTION_MAX_MODEL + 1];
static AttributionModelSpec last_spec;

/*
 * Parse a stored model string, without raising: false unless it parses
 * and is canonical (stored values and states carry only canonical ones).
 * Deserializing a parallel worker's states calls this once per group,
 * nearly always with the same string, so the last accepted one is
 * remembered.
 */
bool
attribution_model_from_string(const char *str, bool integer_time, AttributionModelSpec *spec)
{
	ModelParse	m;
	char	   *message;

	if (last_accepted[0] != '\0' && last_spec.integer_time == integer_time &&
		strcmp(str, last_accepted) == 0)
	{
		*spec = last_spec;
		return true;
	}
	m.str = str;
	m.integer_time = integer_time;
	m.spec = spec;
	if (!error_trap_call(model_parse_call, &m, &message) ||
		strcmp(attribution_model_to_string(spec), str) != 0)
		return false;
	if (strlen(str) < sizeof(last_accepted))
	{
		strcpy(last_accepted, str);
		last_spec = *spec;
	}
	return true;
}
