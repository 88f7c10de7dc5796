/*
 * funnel_io.c
 *		Text and binary input/output of the `funnel` type.
 *
 * The text form is a JSON object, so that psql shows something readable
 * and users can look inside with ::text::jsonb.  Times are whole
 * microseconds and the window is an interval string that does not depend
 * on IntervalStyle, so that the text round-trips exactly (pg_dump, COPY).
 *
 *   one entity:  {"version": 1, "steps": 3, "window": "1 day", "modes": "",
 *                 "labels": null, "entities": 1, "step_reached": 3,
 *                 "time_from_first_us": [60000000, 120000000],
 *                 "entry": "2026-01-05 10:00:00+00", "entry_type": "timestamptz"}
 *                (entry when a step was reached; "breakdown": "..." when
 *                there is a breakdown value)
 *   otherwise:   {..., "entities": 10, "reached": [8, 5, 2],
 *                 "from_previous": [STATS, STATS], "from_first": [STATS, STATS]}
 *   options:     "options": "exclude=2-3,..." after "labels" when funnel_agg
 *                options are set; "labels" then lists the steps' names and
 *                the exclusions' names (exclusions appear in "options" by
 *                their step range; a boolean-form funnel of 0.1.0 has
 *                "labels": null)
 *   integer time: a value built over integer times (funnel_agg's bigint
 *                forms) has "window": 3600, a JSON number of the ts
 *                column's units, and "entry": 1700000000 with
 *                "entry_type": "bigint"; its times (the "_us" keys) are
 *                in the same units
 *   people:      "people": [[[1, 3], [7, 7]], [[2, 2]]] last, in a value
 *                that carries people: per step, the persons who reached
 *                it as runs of consecutive ids (funnel_people_io.c)
 *   STATS:       {"count": 5, "zeros": 1, "min_us": 0, "max_us": 9,
 *                 "sum_us": 20, "buckets": {"0": 1, "111": 3}}
 *                (positive times counted per sketch bucket, duration_sketch.h)
 *
 * Every input (text or binary) is checked in full by funnel_check before
 * it is returned.
 */
#include "postgres.h"

#include "common/binary_input.h"
#include "common/duration_sketch.h"
#include "common/interval_usecs.h"
#include "common/json_input.h"
#include "common/pg_compat.h"
#include "common/uint128_sum.h"
#include "common/value_pairs.h"
#include "fmgr.h"
#include "funnel/funnel.h"
#include "funnel/funnel_options.h"
#include "funnel/funnel_people.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"
#include "utils/jsonb.h"
#include "utils/numeric.h"
#include "utils/timestamp.h"
#include "window_funnel/funnel_mode.h"

PG_FUNCTION_INFO_V1(funnel_in);
PG_FUNCTION_INFO_V1(funnel_out);
PG_FUNCTION_INFO_V1(funnel_recv);
PG_FUNCTION_INFO_V1(funnel_send);

#define FUNNEL_TEXT_HINT \
	"A funnel's text form is the JSON object that funnel output prints, such as funnel_agg(...)::text."

/* ---------- output ---------- */

/* Append a JSON string literal. */
static void
append_json_string(StringInfo out, const char *s)
{
	escape_json(out, s);
}

/* The window as a JSON string that reads back the same under any IntervalStyle. */
static void
append_window(StringInfo out, int64 window)
{
	appendStringInfoChar(out, '"');
	interval_usecs_format(out, window);
	appendStringInfoChar(out, '"');
}

/* One STATS object; buckets as {"index": count} for the non-empty ones. */
static void
append_stats(StringInfo out, const DurationStats *s, const uint64 *counts)
{
	int32		i;
	bool		first = true;

	appendStringInfo(out, "{\"count\": " UINT64_FORMAT ", \"zeros\": " UINT64_FORMAT
					 ", \"min_us\": " INT64_FORMAT ", \"max_us\": " INT64_FORMAT
					 ", \"sum_us\": %s, \"buckets\": {",
					 s->count, s->zeros, s->min, s->max,
					 uint128_sum_to_string(s->sum_lo, s->sum_hi));
	for (i = 0; i < s->nbuckets; i++)
	{
		if (counts[i] == 0)
			continue;
		appendStringInfo(out, "%s\"%d\": " UINT64_FORMAT, first ? "" : ", ",
						 s->first_bucket + i, counts[i]);
		first = false;
	}
	appendStringInfoString(out, "}}");
}

/*
 * A timestamp in ISO form, whatever DateStyle and TimeZone say: UTC with
 * "+00" for timestamptz, bare for timestamp; infinities by name.
 */
static char *
funnel_timestamp_text(int64 ts, bool local)
{
	struct pg_tm tm;
	fsec_t		fsec;
	char		buf[MAXDATELEN + 1];

	if (TIMESTAMP_IS_NOBEGIN(ts))
		return pstrdup("-infinity");
	if (TIMESTAMP_IS_NOEND(ts))
		return pstrdup("infinity");
	if (timestamp2tm(ts, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	tm.tm_isdst = 0;			/* UTC: EncodeDateTime prints the zone only when this is known */
	EncodeDateTime(&tm, fsec, !local, 0, NULL, USE_ISO_DATES, buf);
	return pstrdup(buf);
}

/* funnel_out: the JSON text form described at the top of this file. */
Datum
funnel_out(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	StringInfoData out;
	int			k,
				kind;

	initStringInfo(&out);
	appendStringInfo(&out, "{\"version\": %d, \"steps\": %d, \"window\": ",
					 f->version, f->nsteps);
	if (funnel_integer_time(f))
		appendStringInfo(&out, INT64_FORMAT, f->window);
	else
		append_window(&out, f->window);
	appendStringInfoString(&out, ", \"modes\": ");
	append_json_string(&out, f->modes == 0 ? "" : funnel_modes_to_string(f->modes));
	appendStringInfoString(&out, ", \"labels\": ");
	{
		const char *p = funnel_labels(f);
		const char *opts = funnel_options_string(f);
		const char *names_end = opts ? opts : p + f->labels_size;

		if (p == names_end)
			appendStringInfoString(&out, "null");
		else
		{
			appendStringInfoChar(&out, '[');
			for (k = 0; p < names_end; k++)
			{
				if (k > 0)
					appendStringInfoString(&out, ", ");
				append_json_string(&out, p);
				p += strlen(p) + 1;
			}
			appendStringInfoChar(&out, ']');
		}
		if (opts != NULL)
		{
			appendStringInfoString(&out, ", \"options\": ");
			append_json_string(&out, opts);
		}
	}

	if (funnel_is_single(f))
	{
		const int64 *t = funnel_single_times(f);

		appendStringInfo(&out, ", \"entities\": 1, \"step_reached\": %d, \"time_from_first_us\": [",
						 f->level);
		for (k = 1; k < f->level; k++)
			appendStringInfo(&out, "%s" INT64_FORMAT, k > 1 ? ", " : "", t[k - 1]);
		appendStringInfoChar(&out, ']');
		if (f->flags & FUNNEL_FLAG_ENTRY)
		{
			bool		local = (f->flags & FUNNEL_FLAG_LOCAL_TIME) != 0;

			appendStringInfoString(&out, ", \"entry\": ");
			if (funnel_integer_time(f))
				appendStringInfo(&out, INT64_FORMAT ", \"entry_type\": \"bigint\"",
								 *funnel_entry_ptr(f));
			else
			{
				append_json_string(&out, funnel_timestamp_text(*funnel_entry_ptr(f), local));
				appendStringInfo(&out, ", \"entry_type\": \"%s\"", local ? "timestamp" : "timestamptz");
			}
		}
		if (f->flags & FUNNEL_FLAG_BREAKDOWN)
		{
			int32		len;

			memcpy(&len, funnel_breakdown_ptr(f), 4);
			appendStringInfoString(&out, ", \"breakdown\": ");
			append_json_string(&out, pnstrdup(funnel_breakdown_ptr(f) + 4, len));
		}
		appendStringInfoChar(&out, '}');
		PG_RETURN_CSTRING(out.data);
	}

	appendStringInfo(&out, ", \"entities\": " INT64_FORMAT ", \"reached\": [",
					 funnel_entities(f));
	for (k = 0; k < f->nsteps; k++)
		appendStringInfo(&out, "%s" INT64_FORMAT, k > 0 ? ", " : "", funnel_reached(f)[k]);
	appendStringInfoChar(&out, ']');
	for (kind = 0; kind < 2; kind++)
	{
		appendStringInfoString(&out, kind == FUNNEL_FROM_PREVIOUS ?
							   ", \"from_previous\": [" : ", \"from_first\": [");
		for (k = 1; k < f->nsteps; k++)
		{
			const uint64 *counts;
			const DurationStats *s = funnel_step_stats(f, k, kind, &counts);

			if (k > 1)
				appendStringInfoString(&out, ", ");
			append_stats(&out, s, counts);
		}
		appendStringInfoChar(&out, ']');
	}
	if (funnel_has_people(f))
		funnel_people_append_json(&out, f);
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

/* ---------- text input ---------- */

/* Labels: null, or an array of nsteps strings; returns their packed size. */
static int32
parse_labels(JsonbValue *v, int nsteps, StringInfo labels)
{
	JsonbContainer *arr;
	int			k;

	if (v->type == jbvNull)
		return 0;
	arr = json_get_container(v, true, "\"labels\"");
	if ((int) JsonContainerSize(arr) != nsteps)
		json_input_error(psprintf("\"labels\" must have %d elements (one per step and exclusion), got %d",
							  nsteps, (int) JsonContainerSize(arr)));
	for (k = 0; k < nsteps; k++)
	{
		JsonbValue *e = json_get_elem(arr, k);

		if (e->type != jbvString)
			json_input_error("\"labels\" must hold strings");
		if (e->val.string.len > FUNNEL_MAX_LABEL ||
			memchr(e->val.string.val, '\0', e->val.string.len) != NULL)
			json_input_error(psprintf("label %d is longer than %d bytes", k + 1, FUNNEL_MAX_LABEL));
		appendBinaryStringInfo(labels, e->val.string.val, e->val.string.len);
		appendStringInfoChar(labels, '\0');
	}
	return labels->len;
}

/*
 * A bucket index (an object key of "buckets"), written as funnel output
 * writes it: decimal digits without sign, space or leading zero, so that
 * no two keys name one bucket.
 */
static int32
bucket_index(const JsonbValue *key)
{
	char	   *k = pnstrdup(key->val.string.val, key->val.string.len);
	long		i = -1;

	if (strlen(k) >= 1 && strlen(k) <= 4 && strspn(k, "0123456789") == strlen(k) &&
		(k[0] != '0' || k[1] == '\0'))
		i = strtol(k, NULL, 10);
	if (i < DURATION_SKETCH_MIN_INDEX || i > DURATION_SKETCH_MAX_INDEX)
		json_input_error(psprintf("bucket \"%s\" is not a number from %d to %d in plain decimal (no sign, space or leading zero)",
							  k, DURATION_SKETCH_MIN_INDEX, DURATION_SKETCH_MAX_INDEX));
	return (int32) i;
}

/* Read one STATS object into s; its buckets are returned in *counts. */
static void
parse_stats(JsonbValue *v, DurationStats *s, uint64 **counts)
{
	JsonbContainer *obj = json_get_container(v, false, "time statistics");
	JsonbContainer *buckets;
	JsonbIterator *it;
	JsonbIteratorToken tok;
	JsonbValue	key,
				val;
	char	   *sum;
	int32		lo = DURATION_SKETCH_MAX_INDEX + 1;
	int32		hi = -1;
	int			pass;

	if (JsonContainerSize(obj) != 6)
		json_input_error("time statistics must have the keys count, zeros, min_us, max_us, sum_us and buckets");
	s->count = json_get_uint(json_get_key(obj, "count"), "\"count\"");
	s->zeros = json_get_uint(json_get_key(obj, "zeros"), "\"zeros\"");
	s->min = json_get_int(json_get_key(obj, "min_us"), "\"min_us\"", 0, PG_INT64_MAX);
	s->max = json_get_int(json_get_key(obj, "max_us"), "\"max_us\"", 0, PG_INT64_MAX);
	sum = json_number_text(json_get_key(obj, "sum_us"), "\"sum_us\"");
	if (*sum == '-' || !uint128_sum_from_string(sum, &s->sum_lo, &s->sum_hi))
		json_input_error(psprintf("\"sum_us\" is out of range: %s", sum));
	buckets = json_get_container(json_get_key(obj, "buckets"), false, "\"buckets\"");

	/* first pass: the range of bucket indexes; second: the counts */
	for (pass = 0; pass < 2; pass++)
	{
		if (pass == 1)
		{
			s->first_bucket = hi >= lo ? lo : 0;
			s->nbuckets = hi >= lo ? hi - lo + 1 : 0;
			*counts = palloc0(sizeof(uint64) * Max(s->nbuckets, 1));
		}
		it = JsonbIteratorInit(buckets);
		while ((tok = JsonbIteratorNext(&it, &key, true)) != WJB_DONE)
		{
			int32		i;

			if (tok != WJB_KEY)
				continue;
			i = bucket_index(&key);
			tok = JsonbIteratorNext(&it, &val, true);
			if (pass == 0)
			{
				lo = Min(lo, i);
				hi = Max(hi, i);
			}
			else
				(*counts)[i - lo] = json_get_uint(&val, "bucket count");
		}
	}
}

static int	parse_breakdown(JsonbContainer *root, FunnelEntity *entity);

/*
 * The optional "entry", "entry_type" and "breakdown" keys of a one-entity
 * value into *entity; returns how many keys there were.  In a funnel over
 * integer times the entry is a JSON number and its type "bigint".
 */
static int
parse_entity(JsonbContainer *root, FunnelEntity *entity, bool integer_time)
{
	JsonbValue *v = json_find_key(root, "entry");
	int			nkeys = 0;

	memset(entity, 0, sizeof(FunnelEntity));
	if (v != NULL)
	{
		JsonbValue *type = json_get_key(root, "entry_type");
		char	   *text;

		if (integer_time)
		{
			if (!(type->type == jbvString && type->val.string.len == 6 &&
				  memcmp(type->val.string.val, "bigint", 6) == 0))
				json_input_error("\"entry_type\" must be \"bigint\" in a funnel over integer times (a number \"window\")");
			entity->has_entry = true;
			entity->entry = json_get_int(v, "\"entry\"", PG_INT64_MIN + 1, PG_INT64_MAX - 1);
			return 2 + parse_breakdown(root, entity);
		}
		if (type->type == jbvString && type->val.string.len == 9 &&
			memcmp(type->val.string.val, "timestamp", 9) == 0)
			entity->local_time = true;
		else if (!(type->type == jbvString && type->val.string.len == 11 &&
				   memcmp(type->val.string.val, "timestamptz", 11) == 0))
			json_input_error("\"entry_type\" must be \"timestamptz\" or \"timestamp\" (\"bigint\" only with a number \"window\")");
		if (v->type != jbvString)
			json_input_error("\"entry\" must be a string such as \"2026-01-05 10:00:00+00\"");
		text = pnstrdup(v->val.string.val, v->val.string.len);
		entity->has_entry = true;
		entity->entry = DatumGetInt64(json_input_call(entity->local_time ? timestamp_in : timestamptz_in,
												 text));
		nkeys += 2;
	}
	return nkeys + parse_breakdown(root, entity);
}

/* The optional "breakdown" key into *entity; returns 1 when it is there. */
static int
parse_breakdown(JsonbContainer *root, FunnelEntity *entity)
{
	JsonbValue *v;

	v = json_find_key(root, "breakdown");
	if (v != NULL)
	{
		if (v->type != jbvString)
			json_input_error("\"breakdown\" must be a string");
		if (!entity->has_entry)
			json_input_error("\"breakdown\" needs \"entry\"");
		if (v->val.string.len > FUNNEL_MAX_VALUE ||
			memchr(v->val.string.val, '\0', v->val.string.len) != NULL)
			json_input_error(psprintf("\"breakdown\" is longer than %d bytes", FUNNEL_MAX_VALUE));
		entity->breakdown = v->val.string.val;
		entity->breakdown_len = v->val.string.len;
		return 1;
	}
	return 0;
}

/*
 * The definition keys ("steps", "window", "modes", "options", "labels")
 * into *def, whose labels blob (the names, then the options string) is
 * newly allocated.  Returns how many optional keys there were ("options").
 */
static int
parse_definition(JsonbContainer *root, FunnelDefinition *def)
{
	StringInfoData labels;
	Interval   *window;
	char	   *modes;
	char	   *options = NULL;
	FunnelOptions opts;
	JsonbValue *v;
	int			nkeys = 0;

	def->nsteps = (int) json_get_int(json_get_key(root, "steps"), "\"steps\"", 1, FUNNEL_MAX_STEPS);
	v = json_get_key(root, "window");
	def->flags = 0;
	if (v->type == jbvNumeric)
	{
		/* a funnel over integer times: the window in the ts column's units */
		def->window = json_get_int(v, "\"window\"", 0, PG_INT64_MAX);
		def->flags = FUNNEL_FLAG_INTEGER_TIME;
	}
	else
	{
		if (v->type != jbvString)
			json_input_error("\"window\" must be a string such as \"1 day\" (or, for a funnel over integer times, a number)");
		window = DatumGetIntervalP(json_input_call(interval_in,
												  pnstrdup(v->val.string.val, v->val.string.len)));
		def->window = funnel_window_from_interval(window);
	}
	v = json_get_key(root, "modes");
	if (v->type != jbvString)
		json_input_error("\"modes\" must be a string");
	modes = pnstrdup(v->val.string.val, v->val.string.len);
	def->modes = funnel_parse_modes(modes, strlen(modes));
	memset(&opts, 0, sizeof(opts));
	v = json_find_key(root, "options");
	if (v != NULL)
	{
		if (v->type != jbvString)
			json_input_error("\"options\" must be a string");
		options = pnstrdup(v->val.string.val, v->val.string.len);
		if (!funnel_options_from_string(options, def->modes, def->window, def->nsteps, &opts))
			json_input_error(psprintf("\"options\" is not a canonical funnel_agg options string: \"%s\"",
									  options));
		def->flags |= FUNNEL_FLAG_OPTIONS;
		nkeys++;
	}
	initStringInfo(&labels);
	parse_labels(json_get_key(root, "labels"), def->nsteps + opts.nexcl, &labels);
	if (options != NULL)
		appendBinaryStringInfo(&labels, options, strlen(options) + 1);
	def->labels_size = labels.len;
	def->labels = labels.data;
	return nkeys;
}

/*
 * The one-entity form's keys ("step_reached", "time_from_first_us" and the
 * optional entry and breakdown) into a single value; adds its keys to
 * *nkeys.
 */
static Funnel *
parse_single(JsonbContainer *root, const FunnelDefinition *def, int64 entities,
			 int *nkeys)
{
	JsonbContainer *arr;
	int64		times[FUNNEL_MAX_STEPS];
	int			level;
	FunnelEntity entity;
	int			k;

	*nkeys += 8;
	if (entities != 1)
		json_input_error("\"step_reached\" belongs to a funnel of one entity");
	level = (int) json_get_int(json_get_key(root, "step_reached"), "\"step_reached\"", 0, def->nsteps);
	arr = json_get_array(root, "time_from_first_us", Max(level - 1, 0));
	for (k = 1; k < level; k++)
		times[k - 1] = json_get_int(json_get_elem(arr, k - 1), "time", 0, PG_INT64_MAX);
	*nkeys += parse_entity(root, &entity, (def->flags & FUNNEL_FLAG_INTEGER_TIME) != 0);
	return funnel_make_entity(def, level, times, &entity);
}

/*
 * The general form's keys ("reached", "from_previous", "from_first") into
 * a general value with `entities` entities; adds its keys to *nkeys.
 */
static Funnel *
parse_general(JsonbContainer *root, const FunnelDefinition *def, int64 entities,
			  int *nkeys)
{
	Funnel	   *proto = funnel_make_single(def, 0, NULL);
	int			nstats = funnel_nstats(def->nsteps);
	DurationStats stats[2 * FUNNEL_MAX_STEPS];
	uint64	   *counts[2 * FUNNEL_MAX_STEPS];
	int32		first[2 * FUNNEL_MAX_STEPS];
	int32		nb[2 * FUNNEL_MAX_STEPS];
	JsonbContainer *reached;
	JsonbContainer *lists[2];
	Funnel	   *f;
	int			k,
				kind,
				s;
	uint64	   *out;

	*nkeys += 9;
	reached = json_get_array(root, "reached", def->nsteps);
	lists[FUNNEL_FROM_PREVIOUS] = json_get_array(root, "from_previous", def->nsteps - 1);
	lists[FUNNEL_FROM_FIRST] = json_get_array(root, "from_first", def->nsteps - 1);
	for (k = 1; k < def->nsteps; k++)
		for (kind = 0; kind < 2; kind++)
		{
			s = funnel_stat_index(k, kind);
			parse_stats(json_get_elem(lists[kind], k - 1), &stats[s], &counts[s]);
			first[s] = stats[s].first_bucket;
			nb[s] = stats[s].nbuckets;
		}
	f = funnel_make_general(proto, entities, first, nb);
	for (k = 0; k < def->nsteps; k++)
		funnel_reached(f)[k] = json_get_int(json_get_elem(reached, k), "\"reached\"", 0, PG_INT64_MAX);
	out = funnel_counts(f);
	for (s = 0; s < nstats; s++)
	{
		funnel_stats(f)[s] = stats[s];
		memcpy(out, counts[s], sizeof(uint64) * nb[s]);
		out += nb[s];
	}
	return f;
}

/* funnel_in: parse the JSON text form, then check the value in full. */
Datum
funnel_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	JsonbContainer *root;
	FunnelDefinition def;
	Funnel	   *f;
	int64		entities;
	int			nkeys;

	root = json_input_begin("funnel", "a", FUNNEL_TEXT_HINT, FUNNEL_FORMAT_VERSION, str);
	nkeys = parse_definition(root, &def);
	entities = json_get_int(json_get_key(root, "entities"), "\"entities\"", 0, PG_INT64_MAX);
	if (json_find_key(root, "step_reached") != NULL)
		f = parse_single(root, &def, entities, &nkeys);
	else
	{
		JsonbValue *people = json_find_key(root, "people");

		f = parse_general(root, &def, entities, &nkeys);
		if (people != NULL)
		{
			f = funnel_people_from_json(people, f);
			nkeys++;
		}
	}
	json_check_nkeys(root, nkeys);

	funnel_check(f, VARSIZE(f), ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_FUNNEL_P(funnel_normalize(f));
}

/* ---------- binary ---------- */

/*
 * funnel_send: the fields of the value in network byte order, in layout
 * order (header, labels, then the single or general body).
 */
Datum
funnel_send(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	StringInfoData buf;
	int			k,
				s;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, f->version);
	pq_sendbyte(&buf, f->flags);
	pq_sendint16(&buf, f->nsteps);
	pq_sendint32(&buf, f->modes);
	pq_sendint64(&buf, f->window);
	pq_sendint32(&buf, f->labels_size);
	pq_sendbytes(&buf, funnel_labels(f), f->labels_size);
	pq_sendint32(&buf, f->level);
	if (funnel_is_single(f))
	{
		for (k = 1; k < f->level; k++)
			pq_sendint64(&buf, funnel_single_times(f)[k - 1]);
		if (f->flags & FUNNEL_FLAG_ENTRY)
			pq_sendint64(&buf, *funnel_entry_ptr(f));
		if (f->flags & FUNNEL_FLAG_BREAKDOWN)
		{
			int32		len;

			memcpy(&len, funnel_breakdown_ptr(f), 4);
			pq_sendint32(&buf, len);
			pq_sendbytes(&buf, funnel_breakdown_ptr(f) + 4, len);
		}
		PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
	}
	pq_sendint64(&buf, funnel_entities(f));
	for (k = 0; k < f->nsteps; k++)
		pq_sendint64(&buf, funnel_reached(f)[k]);
	for (s = 0; s < funnel_nstats(f->nsteps); s++)
	{
		const DurationStats *st = &funnel_stats(f)[s];

		pq_sendint64(&buf, st->count);
		pq_sendint64(&buf, st->zeros);
		pq_sendint64(&buf, st->min);
		pq_sendint64(&buf, st->max);
		pq_sendint64(&buf, st->sum_lo);
		pq_sendint64(&buf, st->sum_hi);
		pq_sendint32(&buf, st->first_bucket);
		pq_sendint32(&buf, st->nbuckets);
	}
	{
		const uint64 *c = funnel_counts(f);
		int64		total = 0;

		for (s = 0; s < funnel_nstats(f->nsteps); s++)
			total += funnel_stats(f)[s].nbuckets;
		while (total-- > 0)
			pq_sendint64(&buf, *c++);
	}
	if (funnel_has_people(f))
		funnel_people_send(&buf, f);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * The header fields, labels and level of funnel_send's format into *h and
 * *labels (pointing into buf), refusing a step count, flags or labels size
 * that the rest of the reading relies on.
 */
static void
recv_header(StringInfo buf, FunnelHeader *h, const char **labels)
{
	binary_input_need(buf, 20, "funnel");
	h->version = binary_input_version(buf, "funnel", FUNNEL_FORMAT_VERSION);
	h->flags = (uint8) pq_getmsgbyte(buf);
	h->nsteps = (int16) pq_getmsgint(buf, 2);
	h->modes = (uint32) pq_getmsgint(buf, 4);
	h->window = pq_getmsgint64(buf);
	h->labels_size = (int32) pq_getmsgint(buf, 4);
	if (h->nsteps < 1 || h->nsteps > FUNNEL_MAX_STEPS)
		binary_input_error("funnel", "step count out of range");
	if ((h->flags & ~FUNNEL_FLAGS_KNOWN) != 0)
		binary_input_error("funnel", "unknown flags");
	if (h->labels_size < 0 || h->labels_size > FUNNEL_MAX_LABELS_SIZE)
		binary_input_error("funnel", "bad labels size");
	binary_input_need(buf, (int64) h->labels_size + 4, "funnel");
	*labels = pq_getmsgbytes(buf, h->labels_size);
	h->level = (int32) pq_getmsgint(buf, 4);
}

/*
 * The single form's body (times, then the entry time and breakdown value
 * its flags announce) into a one-entity value with the definition `def`.
 */
static Funnel *
recv_single(StringInfo buf, const FunnelHeader *h, const FunnelDefinition *def)
{
	FunnelEntity entity;
	int64		times[FUNNEL_MAX_STEPS];
	int			k;

	if (h->level < 0 || h->level > h->nsteps)
		binary_input_error("funnel", "step reached out of range");
	binary_input_need(buf, 8 * (int64) Max(h->level - 1, 0), "funnel");
	for (k = 1; k < h->level; k++)
		times[k - 1] = pq_getmsgint64(buf);
	memset(&entity, 0, sizeof(entity));
	if (h->flags & FUNNEL_FLAG_ENTRY)
	{
		binary_input_need(buf, 8, "funnel");
		entity.has_entry = true;
		entity.local_time = (h->flags & FUNNEL_FLAG_LOCAL_TIME) != 0;
		entity.entry = pq_getmsgint64(buf);
	}
	if (h->flags & FUNNEL_FLAG_BREAKDOWN)
	{
		binary_input_need(buf, 4, "funnel");
		entity.breakdown_len = (int32) pq_getmsgint(buf, 4);
		if (entity.breakdown_len < 0 || entity.breakdown_len > FUNNEL_MAX_VALUE ||
			!entity.has_entry)
			binary_input_error("funnel", "bad breakdown value");
		binary_input_need(buf, entity.breakdown_len, "funnel");
		entity.breakdown = pq_getmsgbytes(buf, entity.breakdown_len);
	}
	return funnel_make_entity(def, h->level, times, &entity);
}

/*
 * One DurationStats of the general body into *st, refusing a bucket range
 * out of bounds before its buckets are allocated.
 */
static void
recv_stat(StringInfo buf, DurationStats *st)
{
	st->count = (uint64) pq_getmsgint64(buf);
	st->zeros = (uint64) pq_getmsgint64(buf);
	st->min = pq_getmsgint64(buf);
	st->max = pq_getmsgint64(buf);
	st->sum_lo = (uint64) pq_getmsgint64(buf);
	st->sum_hi = (uint64) pq_getmsgint64(buf);
	st->first_bucket = (int32) pq_getmsgint(buf, 4);
	st->nbuckets = (int32) pq_getmsgint(buf, 4);
	if (st->nbuckets < 0 || st->nbuckets > DURATION_SKETCH_MAX_INDEX + 1 ||
		st->first_bucket < DURATION_SKETCH_MIN_INDEX ||
		st->first_bucket > DURATION_SKETCH_MAX_INDEX + 1 - st->nbuckets)
		binary_input_error("funnel", "bucket range out of bounds");
}

/*
 * The general form's body (entities, reached, stats, then every bucket
 * count) into a general value with the definition `def`, checking that the
 * message holds each part before reading or allocating for it.
 */
static Funnel *
recv_general(StringInfo buf, const FunnelHeader *h, const FunnelDefinition *def)
{
	int			nstats = funnel_nstats(h->nsteps);
	int64		reached[FUNNEL_MAX_STEPS];
	DurationStats stats[2 * FUNNEL_MAX_STEPS];
	int32		first[2 * FUNNEL_MAX_STEPS];
	int32		nb[2 * FUNNEL_MAX_STEPS];
	int64		entities;
	int64		total = 0;
	Funnel	   *proto;
	Funnel	   *f;
	uint64	   *c;
	int			k,
				s;

	binary_input_need(buf, 8 + 8 * (int64) h->nsteps + 56 * (int64) nstats, "funnel");
	entities = pq_getmsgint64(buf);

	for (k = 0; k < h->nsteps; k++)
		reached[k] = pq_getmsgint64(buf);
	for (s = 0; s < nstats; s++)
	{
		recv_stat(buf, &stats[s]);
		first[s] = stats[s].first_bucket;
		nb[s] = stats[s].nbuckets;
		total += nb[s];
	}
	binary_input_need(buf, 8 * total, "funnel");
	proto = funnel_make_single(def, 0, NULL);
	f = funnel_make_general(proto, entities, first, nb);
	memcpy(funnel_reached(f), reached, sizeof(int64) * h->nsteps);
	c = funnel_counts(f);
	for (s = 0; s < nstats; s++)
	{
		int32		i;

		funnel_stats(f)[s] = stats[s];
		for (i = 0; i < nb[s]; i++)
			*c++ = (uint64) pq_getmsgint64(buf);
	}
	return f;
}

/*
 * funnel_recv: read funnel_send's format, checking counts and sizes before
 * allocating, then the whole value with funnel_check.
 */
Datum
funnel_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	FunnelHeader h;
	FunnelDefinition def;
	Funnel	   *f;
	const char *labels;

	recv_header(buf, &h, &labels);
	def.window = h.window;
	def.modes = h.modes;
	def.nsteps = h.nsteps;
	def.labels = labels;
	def.labels_size = h.labels_size;
	def.flags = h.flags & FUNNEL_FLAGS_DEFINITION;
	if (h.flags & FUNNEL_FLAG_SINGLE)
		f = recv_single(buf, &h, &def);
	else
	{
		f = recv_general(buf, &h, &def);
		if (h.flags & FUNNEL_FLAG_PEOPLE)
			f = funnel_people_recv(buf, f);
	}
	/* flags the constructors derived must be the ones sent */
	if (f->flags != h.flags)
		binary_input_error("funnel", "flags do not match the value");
	/* the header fields copied by the constructors are checked here too */
	f->modes = h.modes;
	f->window = h.window;
	f->level = funnel_is_single(f) ? f->level : h.level;
	funnel_check(f, VARSIZE(f), ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_FUNNEL_P(funnel_normalize(f));
}
