/*
 * lift_io.c
 *		Text and binary input/output of the `lift` type.
 *
 * Text form, version 2 (lift_agg(landmark, ...); "follow_up" is null
 * without a follow-up):
 *   {"version": 2, "landmark": "1 day", "follow_up": "7 days",
 *    "entities": 10, "converted": 3, "converted_before_landmark": 2,
 *    "micro": [{"label": "newsletter_signup", "entities": 4, "converted": 2}, ...]}
 * A value built over integer times (lift_agg's bigint form) has its
 * landmark and follow-up as JSON numbers in the time column's units,
 * "landmark": 86400, and the binary form flag LIFT_FLAG_INTEGER_TIME.
 * Version 1 (0.1.0's lift_agg(ts, micro, is_conversion)) has no landmark,
 * follow-up nor converted_before_landmark:
 *   {"version": 1, "entities": 10, "converted": 3, "micro": [...]}
 *
 * Every input is checked in full by lift_check before it is returned.
 */
#include "postgres.h"

#include "common/binary_input.h"
#include "common/interval_usecs.h"
#include "common/json_input.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "lift/lift.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"

PG_FUNCTION_INFO_V1(lift_in);
PG_FUNCTION_INFO_V1(lift_out);
PG_FUNCTION_INFO_V1(lift_recv);
PG_FUNCTION_INFO_V1(lift_send);

#define LIFT_TEXT_HINT \
	"A lift's text form is the JSON object that lift output prints, such as lift_agg(...)::text."

/* lift_out: the JSON text form described at the top of this file. */
Datum
lift_out(PG_FUNCTION_ARGS)
{
	Lift	   *l = PG_GETARG_LIFT_P(0);
	const LiftEntry *entries = lift_entries(l);
	StringInfoData out;
	int32		i;

	initStringInfo(&out);
	appendStringInfo(&out, "{\"version\": %d, ", l->version);
	if (l->version == LIFT_FORMAT_LANDMARK)
	{
		bool		integer_time = (l->flags & LIFT_FLAG_INTEGER_TIME) != 0;

		if (integer_time)
			appendStringInfo(&out, "\"landmark\": " INT64_FORMAT ", \"follow_up\": ", l->landmark);
		else
		{
			appendStringInfoString(&out, "\"landmark\": \"");
			interval_usecs_format(&out, l->landmark);
			appendStringInfoString(&out, "\", \"follow_up\": ");
		}
		if (l->follow_up == LIFT_NO_FOLLOW_UP)
			appendStringInfoString(&out, "null");
		else if (integer_time)
			appendStringInfo(&out, INT64_FORMAT, l->follow_up);
		else
		{
			appendStringInfoChar(&out, '"');
			interval_usecs_format(&out, l->follow_up);
			appendStringInfoChar(&out, '"');
		}
		appendStringInfoString(&out, ", ");
	}
	appendStringInfo(&out, "\"entities\": " INT64_FORMAT ", \"converted\": " INT64_FORMAT,
					 l->entities, l->converted);
	if (l->version == LIFT_FORMAT_LANDMARK)
		appendStringInfo(&out, ", \"converted_before_landmark\": " INT64_FORMAT,
						 l->converted_before_landmark);
	appendStringInfoString(&out, ", \"micro\": [");
	for (i = 0; i < l->nlabels; i++)
	{
		appendStringInfoString(&out, i > 0 ? ", {\"label\": " : "{\"label\": ");
		escape_json(&out, pnstrdup(lift_label(l, i), entries[i].label_len));
		appendStringInfo(&out, ", \"entities\": " INT64_FORMAT ", \"converted\": " INT64_FORMAT "}",
						 entries[i].entities, entries[i].converted);
	}
	appendStringInfoString(&out, "]}");
	PG_RETURN_CSTRING(out.data);
}

/*
 * A landmark or follow-up of the text form: an interval string of a
 * positive, finite length, or over integer times (integer_time) a
 * positive number below the largest bigint.
 */
static int64
design_interval(JsonbValue *v, const char *what, bool integer_time)
{
	Interval   *iv;
	int64		us;

	if (integer_time != (v->type == jbvNumeric))
		json_input_error(psprintf("%s must be %s, as \"landmark\" is", what,
								  integer_time ? "a number" : "an interval string"));
	if (integer_time)
		return json_get_int(v, what, 1, PG_INT64_MAX - 1);
	iv = DatumGetIntervalP(json_input_call(interval_in, json_get_string(v, what, 200)));
	if (!interval_usecs(iv, &us) || us == 0 || us == PG_INT64_MAX)
		json_input_error(psprintf("%s must be a positive, finite interval", what));
	return us;
}

/* lift_in: parse the JSON text form, then check the value in full. */
Datum
lift_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	LiftSummary s = {0, 0, 0, 0, LIFT_NO_FOLLOW_UP, 0, false};
	JsonbContainer *root = json_input_begin_versions("lift", "a", LIFT_TEXT_HINT,
													 LIFT_FORMAT_BEFORE_CONVERSION,
													 LIFT_FORMAT_LANDMARK, str, &s.version);
	JsonbContainer *arr;
	LiftEntry  *entries;
	const char **labels;
	int32		n,
				i;
	Lift	   *l;

	if (s.version == LIFT_FORMAT_LANDMARK)
	{
		JsonbValue *f = json_get_key(root, "follow_up");
		JsonbValue *m = json_get_key(root, "landmark");

		s.integer_time = m->type == jbvNumeric;
		s.landmark = design_interval(m, "\"landmark\"", s.integer_time);
		if (f->type != jbvNull)
			s.follow_up = design_interval(f, "\"follow_up\"", s.integer_time);
		s.converted_before_landmark = json_get_int(json_get_key(root, "converted_before_landmark"),
												   "\"converted_before_landmark\"", 0, PG_INT64_MAX);
	}
	s.entities = json_get_int(json_get_key(root, "entities"), "\"entities\"", 0, PG_INT64_MAX);
	s.converted = json_get_int(json_get_key(root, "converted"), "\"converted\"", 0, PG_INT64_MAX);
	arr = json_get_array(root, "micro", -1);
	n = (int32) JsonContainerSize(arr);
	if (n > LIFT_MAX_LABELS)
		json_input_error(psprintf("more than %d labels", LIFT_MAX_LABELS));
	entries = palloc0(sizeof(LiftEntry) * Max(n, 1));
	labels = palloc(sizeof(char *) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		JsonbContainer *obj = json_get_container(json_get_elem(arr, i), false, "a micro-conversion");

		labels[i] = json_get_string(json_get_key(obj, "label"), "\"label\"", LIFT_MAX_LABEL);
		entries[i].label_len = (int32) strlen(labels[i]);
		entries[i].entities = json_get_int(json_get_key(obj, "entities"), "\"entities\"", 0,
										   PG_INT64_MAX);
		entries[i].converted = json_get_int(json_get_key(obj, "converted"), "\"converted\"", 0,
											PG_INT64_MAX);
		json_check_nkeys(obj, 3);
	}
	json_check_nkeys(root, s.version == LIFT_FORMAT_LANDMARK ? 7 : 4);
	l = lift_build(&s, n, entries, labels);
	lift_check(l, VARSIZE(l), ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_LIFT_P(l);
}

/*
 * lift_send: the fields in network byte order, labels with lengths:
 * version, flags, entities, converted, then (version 2) landmark,
 * follow-up and converted_before_landmark, then the labels.
 */
Datum
lift_send(PG_FUNCTION_ARGS)
{
	Lift	   *l = PG_GETARG_LIFT_P(0);
	const LiftEntry *entries = lift_entries(l);
	StringInfoData buf;
	int32		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, l->version);
	pq_sendbyte(&buf, l->flags);
	pq_sendint64(&buf, l->entities);
	pq_sendint64(&buf, l->converted);
	if (l->version == LIFT_FORMAT_LANDMARK)
	{
		pq_sendint64(&buf, l->landmark);
		pq_sendint64(&buf, l->follow_up);
		pq_sendint64(&buf, l->converted_before_landmark);
	}
	pq_sendint32(&buf, l->nlabels);
	for (i = 0; i < l->nlabels; i++)
	{
		pq_sendint32(&buf, entries[i].label_len);
		pq_sendbytes(&buf, lift_label(l, i), entries[i].label_len);
		pq_sendint64(&buf, entries[i].entities);
		pq_sendint64(&buf, entries[i].converted);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Bytes of one label in lift_send's format besides its label bytes. */
#define RECV_ENTRY_FIXED 20

/* lift_recv: read lift_send's format, checking sizes before allocating. */
Datum
lift_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	LiftSummary s = {0, 0, 0, 0, LIFT_NO_FOLLOW_UP, 0, false};
	LiftEntry  *entries;
	const char **labels;
	int32		n,
				i;
	int			flags;
	Lift	   *l;

	binary_input_need(buf, 22, "lift");
	s.version = pq_getmsgbyte(buf);
	if (s.version != LIFT_FORMAT_BEFORE_CONVERSION && s.version != LIFT_FORMAT_LANDMARK)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported lift format version %d", s.version),
				 errhint("This version of the conversions extension reads lift format versions %d and %d.",
						 LIFT_FORMAT_BEFORE_CONVERSION, LIFT_FORMAT_LANDMARK)));
	flags = pq_getmsgbyte(buf);
	if ((flags & ~(s.version == LIFT_FORMAT_LANDMARK ? LIFT_FLAG_INTEGER_TIME : 0)) != 0)
		binary_input_error("lift", "unknown flags");
	s.integer_time = (flags & LIFT_FLAG_INTEGER_TIME) != 0;
	s.entities = pq_getmsgint64(buf);
	s.converted = pq_getmsgint64(buf);
	if (s.version == LIFT_FORMAT_LANDMARK)
	{
		binary_input_need(buf, 28, "lift");
		s.landmark = pq_getmsgint64(buf);
		s.follow_up = pq_getmsgint64(buf);
		s.converted_before_landmark = pq_getmsgint64(buf);
	}
	n = (int32) pq_getmsgint(buf, 4);
	if (n < 0 || n > LIFT_MAX_LABELS)
		binary_input_error("lift", "bad label count");
	binary_input_need(buf, (int64) n * RECV_ENTRY_FIXED, "lift");
	entries = palloc0(sizeof(LiftEntry) * Max(n, 1));
	labels = palloc(sizeof(char *) * Max(n, 1));
	for (i = 0; i < n; i++)
	{
		binary_input_need(buf, RECV_ENTRY_FIXED, "lift");
		entries[i].label_len = (int32) pq_getmsgint(buf, 4);
		if (entries[i].label_len < 0 || entries[i].label_len > LIFT_MAX_LABEL)
			binary_input_error("lift", "bad label length");
		binary_input_need(buf, (int64) entries[i].label_len + RECV_ENTRY_FIXED - 4, "lift");
		labels[i] = pq_getmsgbytes(buf, entries[i].label_len);
		entries[i].entities = pq_getmsgint64(buf);
		entries[i].converted = pq_getmsgint64(buf);
	}
	if (buf->cursor != buf->len)
		binary_input_error("lift", "trailing bytes");
	l = lift_build(&s, n, entries, labels);
	lift_check(l, VARSIZE(l), ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_LIFT_P(l);
}
