/*
 * attribution_io.c
 *		Text and binary input/output of the `attribution` type.
 *
 * The text form is a JSON object with exact integers (credit in units of
 * 10^-12 conversion, values in millionths), so it round-trips bit for bit:
 *
 *   {"version": 1, "model": "linear, max_touches=100", "lookback": "30 days",
 *    "entities": 3, "conversions": 2, "attributed": 1,
 *    "unattributed_value_micros": 5000000,
 *    "touches": [{"touch": "email", "credit": 500000000000,
 *                 "value_micros": 10000000, "touches": 2}, ...]}
 *
 * A value built over integer times (attribution_agg's bigint form) has its
 * lookback as a JSON number in the time column's units, "lookback": 2592000,
 * and the binary form flag ATTRIBUTION_FLAG_INTEGER_TIME.
 *
 * Every input (text or binary) is checked in full by attribution_check
 * before it is returned.
 */
#include "postgres.h"

#include "attribution/attribution.h"
#include "attribution/attribution_model.h"
#include "common/binary_input.h"
#include "common/interval_usecs.h"
#include "common/json_input.h"
#include "common/pg_compat.h"
#include "common/uint128_sum.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/json.h"

PG_FUNCTION_INFO_V1(attribution_in);
PG_FUNCTION_INFO_V1(attribution_out);
PG_FUNCTION_INFO_V1(attribution_recv);
PG_FUNCTION_INFO_V1(attribution_send);

#define ATTRIBUTION_TEXT_HINT \
	"An attribution's text form is the JSON object that attribution output prints, such as attribution_agg(...)::text."

/* attribution_out: the JSON text form described at the top of this file. */
Datum
attribution_out(PG_FUNCTION_ARGS)
{
	Attribution *a = PG_GETARG_ATTRIBUTION_P(0);
	StringInfoData out;
	int32		i;

	initStringInfo(&out);
	appendStringInfo(&out, "{\"version\": %d, \"model\": ", a->version);
	escape_json(&out, attribution_model(a));
	if (a->flags & ATTRIBUTION_FLAG_INTEGER_TIME)
		appendStringInfo(&out, ", \"lookback\": " INT64_FORMAT, a->lookback);
	else
	{
		appendStringInfoString(&out, ", \"lookback\": \"");
		interval_usecs_format(&out, a->lookback);
		appendStringInfoChar(&out, '"');
	}
	appendStringInfo(&out, ", \"entities\": " INT64_FORMAT ", \"conversions\": " INT64_FORMAT
					 ", \"attributed\": " INT64_FORMAT ", \"unattributed_value_micros\": %s"
					 ", \"touches\": [",
					 a->entities, a->conversions, a->attributed,
					 uint128_sum_to_string(a->unattributed_value_lo, a->unattributed_value_hi));
	for (i = 0; i < a->nlabels; i++)
	{
		const AttributionEntry *e = &a->entries[i];

		appendStringInfoString(&out, i > 0 ? ", {\"touch\": " : "{\"touch\": ");
		escape_json(&out, pnstrdup(attribution_label(a, i), e->label_len));
		appendStringInfo(&out, ", \"credit\": %s", uint128_sum_to_string(e->credit_lo, e->credit_hi));
		appendStringInfo(&out, ", \"value_micros\": %s, \"touches\": " INT64_FORMAT "}",
						 uint128_sum_to_string(e->value_lo, e->value_hi), e->touches);
	}
	appendStringInfoString(&out, "]}");
	PG_RETURN_CSTRING(out.data);
}

/* attribution_in: parse the JSON text form, then check the value in full. */
Datum
attribution_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	JsonbContainer *root = json_input_begin("attribution", "an", ATTRIBUTION_TEXT_HINT,
													 ATTRIBUTION_FORMAT_VERSION, str);
	JsonbContainer *arr;
	AttributionTotals t;
	Attribution *a;
	Interval   *iv;
	JsonbValue *lookback;
	int32		i;

	t.model = json_get_string(json_get_key(root, "model"), "\"model\"", ATTRIBUTION_MAX_MODEL);
	/* a number: a value built over integer times, in the column's units */
	lookback = json_get_key(root, "lookback");
	t.integer_time = lookback->type == jbvNumeric;
	if (t.integer_time)
		t.lookback = json_get_int(lookback, "\"lookback\"", 0, PG_INT64_MAX);
	else
	{
		iv = DatumGetIntervalP(json_input_call(interval_in,
											   json_get_string(lookback, "\"lookback\"", 200)));
		if (!interval_usecs(iv, &t.lookback))
			json_input_error("\"lookback\" must not be negative");
	}
	t.entities = json_get_int(json_get_key(root, "entities"), "\"entities\"", 0, PG_INT64_MAX);
	t.conversions = json_get_int(json_get_key(root, "conversions"), "\"conversions\"", 0,
								 PG_INT64_MAX);
	t.attributed = json_get_int(json_get_key(root, "attributed"), "\"attributed\"", 0,
								PG_INT64_MAX);
	json_get_uint128(json_get_key(root, "unattributed_value_micros"),
					 "\"unattributed_value_micros\"",
					 &t.unattributed_value_lo, &t.unattributed_value_hi);
	arr = json_get_array(root, "touches", -1);
	t.nlabels = (int32) JsonContainerSize(arr);
	if (t.nlabels > ATTRIBUTION_MAX_LABELS)
		json_input_error(psprintf("more than %d touch labels", ATTRIBUTION_MAX_LABELS));
	t.entries = palloc0(sizeof(AttributionEntry) * Max(t.nlabels, 1));
	t.labels = palloc(sizeof(char *) * Max(t.nlabels, 1));
	for (i = 0; i < t.nlabels; i++)
	{
		JsonbContainer *obj = json_get_container(json_get_elem(arr, i), false, "a touch");
		AttributionEntry *e = &t.entries[i];

		t.labels[i] = json_get_string(json_get_key(obj, "touch"), "\"touch\"",
									  ATTRIBUTION_MAX_LABEL);
		e->label_len = (int32) strlen(t.labels[i]);
		json_get_uint128(json_get_key(obj, "credit"), "\"credit\"", &e->credit_lo, &e->credit_hi);
		json_get_uint128(json_get_key(obj, "value_micros"), "\"value_micros\"",
						 &e->value_lo, &e->value_hi);
		e->touches = json_get_int(json_get_key(obj, "touches"), "\"touches\"", 0, PG_INT64_MAX);
		json_check_nkeys(obj, 4);
	}
	json_check_nkeys(root, 8);
	a = attribution_build(&t);
	attribution_check(a, VARSIZE(a), ERRCODE_INVALID_TEXT_REPRESENTATION);
	PG_RETURN_ATTRIBUTION_P(a);
}

/* attribution_send: the fields in network byte order, labels with lengths. */
Datum
attribution_send(PG_FUNCTION_ARGS)
{
	Attribution *a = PG_GETARG_ATTRIBUTION_P(0);
	StringInfoData buf;
	int32		i;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, a->version);
	pq_sendbyte(&buf, a->flags);
	pq_sendint32(&buf, a->model_len - 1);
	pq_sendbytes(&buf, attribution_model(a), a->model_len - 1);
	pq_sendint64(&buf, a->lookback);
	pq_sendint64(&buf, a->entities);
	pq_sendint64(&buf, a->conversions);
	pq_sendint64(&buf, a->attributed);
	pq_sendint64(&buf, (int64) a->unattributed_value_lo);
	pq_sendint64(&buf, (int64) a->unattributed_value_hi);
	pq_sendint32(&buf, a->nlabels);
	for (i = 0; i < a->nlabels; i++)
	{
		const AttributionEntry *e = &a->entries[i];

		pq_sendint32(&buf, e->label_len);
		pq_sendbytes(&buf, attribution_label(a, i), e->label_len);
		pq_sendint64(&buf, (int64) e->credit_lo);
		pq_sendint64(&buf, (int64) e->credit_hi);
		pq_sendint64(&buf, (int64) e->value_lo);
		pq_sendint64(&buf, (int64) e->value_hi);
		pq_sendint64(&buf, e->touches);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Bytes of one label in attribution_send's format before its label bytes. */
#define RECV_ENTRY_FIXED 44

/*
 * attribution_recv: read attribution_send's format, checking sizes and
 * counts before allocating, then the whole value with attribution_check.
 */
Datum
attribution_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	AttributionTotals t;
	Attribution *a;
	int32		model_len;
	int32		i;
	int			flags;

	binary_input_need(buf, 6, "attribution");
	(void) binary_input_version(buf, "attribution", ATTRIBUTION_FORMAT_VERSION);
	flags = pq_getmsgbyte(buf);
	if ((flags & ~ATTRIBUTION_FLAG_INTEGER_TIME) != 0)
		binary_input_error("attribution", "unknown flags");
	t.integer_time = (flags & ATTRIBUTION_FLAG_INTEGER_TIME) != 0;
	model_len = (int32) pq_getmsgint(buf, 4);
	if (model_len < 1 || model_len > ATTRIBUTION_MAX_MODEL)
		binary_input_error("attribution", "bad model length");
	binary_input_need(buf, (int64) model_len + 52, "attribution");
	t.model = pnstrdup(pq_getmsgbytes(buf, model_len), model_len);
	t.lookback = pq_getmsgint64(buf);
	t.entities = pq_getmsgint64(buf);
	t.conversions = pq_getmsgint64(buf);
	t.attributed = pq_getmsgint64(buf);
	t.unattributed_value_lo = (uint64) pq_getmsgint64(buf);
	t.unattributed_value_hi = (uint64) pq_getmsgint64(buf);
	t.nlabels = (int32) pq_getmsgint(buf, 4);
	if (t.nlabels < 0 || t.nlabels > ATTRIBUTION_MAX_LABELS)
		binary_input_error("attribution", "bad label count");
	binary_input_need(buf, (int64) t.nlabels * RECV_ENTRY_FIXED, "attribution");
	t.entries = palloc0(sizeof(AttributionEntry) * Max(t.nlabels, 1));
	t.labels = palloc(sizeof(char *) * Max(t.nlabels, 1));
	for (i = 0; i < t.nlabels; i++)
	{
		AttributionEntry *e = &t.entries[i];

		binary_input_need(buf, RECV_ENTRY_FIXED, "attribution");
		e->label_len = (int32) pq_getmsgint(buf, 4);
		if (e->label_len < 0 || e->label_len > ATTRIBUTION_MAX_LABEL)
			binary_input_error("attribution", "bad label length");
		binary_input_need(buf, (int64) e->label_len + RECV_ENTRY_FIXED - 4, "attribution");
		t.labels[i] = pq_getmsgbytes(buf, e->label_len);
		e->credit_lo = (uint64) pq_getmsgint64(buf);
		e->credit_hi = (uint64) pq_getmsgint64(buf);
		e->value_lo = (uint64) pq_getmsgint64(buf);
		e->value_hi = (uint64) pq_getmsgint64(buf);
		e->touches = pq_getmsgint64(buf);
	}
	if (buf->cursor != buf->len)
		binary_input_error("attribution", "trailing bytes");
	a = attribution_build(&t);
	attribution_check(a, VARSIZE(a), ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_ATTRIBUTION_P(a);
}
