/*
 * lift_io.c
 *		Text and binary input/output of the `lift` type.
 *
 * Text form:
 *   {"version": 1, "entities": 10, "converted": 3,
 *    "micro": [{"label": "newsletter_signup", "entities": 4, "converted": 2}, ...]}
 *
 * Every input is checked in full by lift_check before it is returned.
 */
#include "postgres.h"

#include "common/binary_input.h"
#include "common/json_input.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "lift/lift.h"
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
	StringInfoData out;
	int32		i;

	initStringInfo(&out);
	appendStringInfo(&out, "{\"version\": %d, \"entities\": " INT64_FORMAT
					 ", \"converted\": " INT64_FORMAT ", \"micro\": [",
					 l->version, l->entities, l->converted);
	for (i = 0; i < l->nlabels; i++)
	{
		appendStringInfoString(&out, i > 0 ? ", {\"label\": " : "{\"label\": ");
		escape_json(&out, pnstrdup(lift_label(l, i), l->entries[i].label_len));
		appendStringInfo(&out, ", \"entities\": " INT64_FORMAT ", \"converted\": " INT64_FORMAT "}",
						 l->entries[i].entities, l->entries[i].converted);
	}
	appendStringInfoString(&out, "]}");
	PG_RETURN_CSTRING(out.data);
}

/* lift_in: parse the JSON text form, then check the value in full. */
Datum
lift_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	JsonbContainer *root = json_input_begin("lift", "a", LIFT_TEXT_HINT, LIFT_FORMAT_VERSION, str);
	JsonbContainer *arr;
	LiftEntry  *entries;
	const char **labels;
	int64		entities,
				converted;
	int32		n,
				i;
	Lift	   *l;

	entities = json_get_int(json_get_key(root, "entities"), "\"entities\"", 0, PG_INT64_MAX);
	converted = json_get_int(json_get_key(root, "converted"), "\"converted\"", 0, PG_INT64_MAX);
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
	json_check_nkeys(root, 4);
	l = lift_build(entities, converted, n, entries, labels);
	lift_check(l, VARSIZE(l), ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_LIFT_P(l);
}

/* lift_send: the fields in network byte order, labels with lengths. */
Datum
lift_send(PG_FUNCTION_ARGS)
{
	Lift	   *l = PG_GETARG_LIFT_P(0);
	StringInfoData buf;
	int32		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, l->version);
	pq_sendbyte(&buf, l->flags);
	pq_sendint64(&buf, l->entities);
	pq_sendint64(&buf, l->converted);
	pq_sendint32(&buf, l->nlabels);
	for (i = 0; i < l->nlabels; i++)
	{
		pq_sendint32(&buf, l->entries[i].label_len);
		pq_sendbytes(&buf, lift_label(l, i), l->entries[i].label_len);
		pq_sendint64(&buf, l->entries[i].entities);
		pq_sendint64(&buf, l->entries[i].converted);
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
	LiftEntry  *entries;
	const char **labels;
	int64		entities,
				converted;
	int32		n,
				i;
	Lift	   *l;

	binary_input_need(buf, 22, "lift");
	(void) binary_input_version(buf, "lift", LIFT_FORMAT_VERSION);
	if (pq_getmsgbyte(buf) != 0)
		binary_input_error("lift", "unknown flags");
	entities = pq_getmsgint64(buf);
	converted = pq_getmsgint64(buf);
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
	l = lift_build(entities, converted, n, entries, labels);
	lift_check(l, VARSIZE(l), ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_LIFT_P(l);
}
