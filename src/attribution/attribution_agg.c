/*
 * attribution_agg.c
 *		attribution_agg(lookback, model, ts, touch, is_conversion [, value]):
 *		one entity's conversions credited to the touches before them.
 *
 * Rows are kept in an EventBuffer (so the combine and serialize functions
 * are the shared event_buffer_combine and event_buffer_serialize; the
 * buffer's labels hold the canonical model string): a touch is mask 1
 * tagged with its (label, NULL) pair, a conversion mask 2 tagged with
 * (NULL, value),
 * the value in millionths as 8 bytes.  The final function sorts touches by
 * (time, label), walks the conversions in time order with two pointers
 * over the touches in [conversion - lookback, conversion], keeps the latest
 * max_touches of them and splits the conversion over them
 * (attribution_credit.c).
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "common/state_tag.h"

#include <math.h>

#include "attribution/attribution.h"
#include "attribution/attribution_agg.h"
#include "attribution/attribution_credit.h"
#include "attribution/attribution_model.h"
#include "common/event_buffer.h"
#include "common/integer_time.h"
#include "common/interval_usecs.h"
#include "common/time_window.h"
#include "common/transition_args.h"
#include "common/uint128_sum.h"
#include "common/value_pairs.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(attribution_agg_transition);
PG_FUNCTION_INFO_V1(attribution_agg_final);
PG_FUNCTION_INFO_V1(attribution_agg_deserialize);

/* The steps of an attribution_agg event buffer. */
#define ATTRIBUTION_MASK_TOUCH		0x1
#define ATTRIBUTION_MASK_CONVERSION	0x2

/*
 * The one flag of an attribution_agg state: its times and lookback are
 * integers (the bigint form).  The same bit as the value's
 * ATTRIBUTION_FLAG_INTEGER_TIME.
 */
#define ATTRIBUTION_STATE_INTEGER_TIME 0x01

/* attribution_agg's states: the labels hold the model. */
const EventBufferKind attribution_state_kind = {
	.id = EVENT_KIND_ATTRIBUTION,
	.flags = ATTRIBUTION_STATE_INTEGER_TIME,
	.aggregates = "attribution_agg",
	.flags_to_string = NULL,
};

/* A call site's lookback and model, checked and parsed once. */
typedef struct AttributionCall
{
	bool		integer_time;	/* the bigint form: ts and lookback are integers */
	int64		lookback;
	text	   *model;			/* copy of the argument */
	AttributionModelSpec spec;
	const EventLabels *labels; /* the canonical model string */
	bool		args_const;		/* lookback and model are query constants */
	bool		sole;			/* the first and only call built at this site, so
								 * every state the site made has its definition */
} AttributionCall;

/*
 * The lookback argument: not NULL, not negative; an interval in
 * microseconds, or in the bigint form a number of the time column's units.
 */
static int64
lookback_argument(FunctionCallInfo fcinfo, int argno, bool integer_time)
{
	Interval   *iv;
	int64		us;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("attribution lookback must not be NULL"),
				 integer_time ?
				 errhint("Pass a lookback in the time column's units, such as 2592000 for 30 days of epoch seconds.") :
				 errhint("Pass a lookback such as interval '30 days'.")));
	if (integer_time)
	{
		us = PG_GETARG_INT64(argno);
		if (us < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("attribution lookback must not be negative: " INT64_FORMAT, us),
					 errhint("Pass a lookback of zero or more, in the time column's units.")));
		return us;
	}
	iv = PG_GETARG_INTERVAL_P(argno);
	if (!interval_usecs(iv, &us))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution lookback must not be negative: \"%s\"",
						DatumGetCString(DirectFunctionCall1(interval_out,
															IntervalPGetDatum(iv)))),
				 errhint("Pass a lookback of zero or more, such as interval '30 days'.")));
	return us;
}

/*
 * The call site's definition for this row, built when the lookback or
 * model changes (once per query when they are constants) and kept in
 * fn_mcxt, because group states point to its labels.
 */
static AttributionCall *
call_setup(FunctionCallInfo fcinfo)
{
	AttributionCall *call = (AttributionCall *) fcinfo->flinfo->fn_extra;
	int64		lookback;
	text	   *model;
	char	   *canonical;
	EventLabels *labels;
	MemoryContext old;

	bool		integer_time;

	if (call != NULL && call->args_const)
		return call;
	integer_time = call != NULL ? call->integer_time : integer_time_argument(fcinfo, 3);
	lookback = lookback_argument(fcinfo, 1, integer_time);
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("attribution model must not be NULL"),
				 errhint(ATTRIBUTION_MODEL_HINT)));
	model = PG_GETARG_TEXT_PP(2);
	if (call != NULL && call->lookback == lookback &&
		VARSIZE_ANY_EXHDR(model) == VARSIZE_ANY_EXHDR(call->model) &&
		memcmp(VARDATA_ANY(model), VARDATA_ANY(call->model), VARSIZE_ANY_EXHDR(model)) == 0)
		return call;

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	call = palloc0(sizeof(AttributionCall));
	call->sole = fcinfo->flinfo->fn_extra == NULL;
	call->lookback = lookback;
	call->model = (text *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(2));
	call->integer_time = integer_time;
	attribution_model_parse(VARDATA_ANY(model), VARSIZE_ANY_EXHDR(model), integer_time,
							&call->spec);
	canonical = attribution_model_to_string(&call->spec);
	labels = palloc(offsetof(EventLabels, data) + strlen(canonical) + 1);
	labels->parsed = NULL;
	labels->parsed_size = 0;
	labels->tail = false;
	labels->size = (int32) strlen(canonical) + 1;
	memcpy(labels->data, canonical, labels->size);
	call->labels = labels;
	call->args_const = transition_args_const(fcinfo, 1, 2, -1);
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = call;
	return call;
}

/* Error for a group whose rows disagree on lookback or model. */
static void
check_group(const EventBuffer *state, const AttributionCall *call)
{
	if (state->window != call->lookback)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution lookback differs between rows of one group: %s and %s",
						attribution_lookback_string(state->window, call->integer_time),
						attribution_lookback_string(call->lookback, call->integer_time)),
				 call->integer_time ?
				 errhint("Pass a constant lookback.") :
				 errhint("Pass a constant lookback, such as interval '30 days'.")));
	if (state->labels->size != call->labels->size ||
		memcmp(state->labels->data, call->labels->data, call->labels->size) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("attribution model differs between rows of one group: \"%s\" and \"%s\"",
						state->labels->data, call->labels->data),
				 errhint("Pass a constant model string.")));
}

/* A conversion's value in millionths: NULL is 0; negative, NaN or huge is an error. */
static int64
value_units(FunctionCallInfo fcinfo, int argno)
{
	float8		v;

	if (argno >= PG_NARGS() || PG_ARGISNULL(argno))
		return 0;
	v = PG_GETARG_FLOAT8(argno);
	if (isnan(v) || v < 0.0 || v > ATTRIBUTION_MAX_VALUE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("attribution conversion value %g is out of range", v),
				 errhint("Conversion values must be from 0 to 1e12; record refunds separately.")));
	return (int64) rint(v * ATTRIBUTION_VALUE_SCALE);
}

/*
 * Transition: store a conversion row (is_conversion true) or a touch row
 * (non-NULL touch label); rows with a NULL timestamp, and rows that are
 * neither, are skipped.  A conversion row's label is not a touch.
 */
Datum
attribution_agg_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	AttributionCall *call;
	EventBuffer *state;
	PairValue none = {NULL, -1};
	int64		ts;
	bool		conversion;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "attribution_agg_transition called in non-aggregate context");
	call = call_setup(fcinfo);
	if (!PG_ARGISNULL(3) && call->integer_time)
		integer_time_check(PG_GETARG_INT64(3), "attribution_agg");
	conversion = !PG_ARGISNULL(5) && PG_GETARG_BOOL(5);

	/*
	 * A row that is neither a touch nor a conversion (or has no time), of a
	 * group whose state was made with the site's one definition, leaves the
	 * state unread: there is nothing to check or keep, and with many groups
	 * the read is a cache miss.
	 */
	if (!PG_ARGISNULL(0) && call->sole &&
		(PG_ARGISNULL(3) || (!conversion && PG_ARGISNULL(4))))
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));

	if (PG_ARGISNULL(0))
	{
		state = event_buffer_create(aggcxt, &attribution_state_kind, call->lookback,
									call->integer_time ? ATTRIBUTION_STATE_INTEGER_TIME : 0, 2, 0);
		state->labels = call->labels;
		state->time_flags = call->integer_time ? EVENT_TIME_INTEGER : 0;
		state->values = value_pairs_create(aggcxt);
	}
	else
	{
		state = (EventBuffer *) PG_GETARG_POINTER(0);
		if (unlikely(state->labels != call->labels || state->window != call->lookback))
			check_group(state, call);
	}
	if (PG_ARGISNULL(3))
		PG_RETURN_POINTER(state);
	ts = PG_GETARG_INT64(3);

	if (conversion)
	{
		int64		units = value_units(fcinfo, 6);
		PairValue v;
		uint32		tag;

		v.data = (const char *) &units;
		v.len = sizeof(int64);
		tag = value_pairs_intern(&state->values, none, v);
		state = event_buffer_append_tag(state, ts, ATTRIBUTION_MASK_CONVERSION, tag);
	}
	else if (!PG_ARGISNULL(4))
	{
		PairValue label = text_label_argument(fcinfo, 4, ATTRIBUTION_MAX_LABEL,
												  "attribution touch label",
												  "Use shorter touch labels, such as a channel name or a campaign id.");
		uint32		tag = value_pairs_intern(&state->values, label, none);

		state = event_buffer_append_tag(state, ts, ATTRIBUTION_MASK_TOUCH, tag);
	}
	PG_RETURN_POINTER(state);
}

/* One touch for the final function: its time and label number (label order). */
typedef struct Touch
{
	int64		ts;
	int32		label;
} Touch;

/* Touch order: time, then label (byte order): the documented tie rule. */
static int
touch_cmp(const void *a, const void *b)
{
	const Touch *x = (const Touch *) a;
	const Touch *y = (const Touch *) b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return (x->label > y->label) - (x->label < y->label);
}

/*
 * floor(units * credit / 10^12) for units <= 10^18 and credit <= 10^12
 * (ATTRIBUTION_UNIT), in 64-bit pieces of 10^6: a conversion's value share
 * up to cumulative credit `credit`.
 */
static uint64
value_share(uint64 units, uint64 credit)
{
	const uint64 m = UINT64CONST(1000000);
	uint64		q = units / (m * m);
	uint64		r = units % (m * m);
	uint64		r1 = r / m,
				r0 = r % m,
				c1 = credit / m,
				c0 = credit % m;

	StaticAssertStmt(ATTRIBUTION_UNIT == 1000000000000, "value_share assumes 10^12 units");
	return q * credit + r1 * c1 + ((r1 * c0 + r0 * c1) * m + r0 * c0) / (m * m);
}

/* The final function's cached model (per distinct model string). */
typedef struct FinalCache
{
	bool		integer_time;
	char	   *model;
	AttributionModelSpec spec;
} FinalCache;

/* The parsed model of a state, cached in fn_extra across groups. */
static const AttributionModelSpec *
state_model(FunctionCallInfo fcinfo, const EventBuffer *state)
{
	FinalCache *c = (FinalCache *) fcinfo->flinfo->fn_extra;
	bool		integer_time;

	state_tag_check_events(state, &attribution_state_kind, "attribution_agg_final");
	integer_time = (state->modes & ATTRIBUTION_STATE_INTEGER_TIME) != 0;
	if (state->labels == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("attribution_agg_final was given a state without a model"),
				 errhint("The aggregate was created with support functions of different aggregates; use the extension's aggregates.")));
	if (c == NULL || c->integer_time != integer_time || strcmp(c->model, state->labels->data) != 0)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		c = palloc(sizeof(FinalCache));
		c->model = pstrdup(state->labels->data);
		c->integer_time = integer_time;
		if (!attribution_model_from_string(c->model, integer_time, &c->spec))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
					 errmsg("attribution_agg_final was given a state with an invalid model \"%s\"",
							c->model),
					 errhint("An aggregate must use the support functions of one aggregate of this extension.")));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = c;
	}
	return &c->spec;
}

/*
 * The final function's view of one entity's touches and the space for
 * splitting a conversion, shared by walk_conversions and credit_conversion.
 */
typedef struct FinalTouches
{
	const AttributionModelSpec *spec;
	Touch	   *touches;		/* in (time, label) order */
	int64	   *tts;			/* their times, as attribution_split reads them */
	int32		nt;
	int64	   *credit;			/* one conversion's units per touch */
	AttributionShare *scratch;	/* attribution_split's working space */
} FinalTouches;

/*
 * Number the touch labels in label byte order (the order attribution_build
 * needs) and give each an entry in t; returns each pair's label number by
 * tag, -1 for the (NULL, value) pairs of conversions.
 */
static int32 *
collect_labels(const ValuePairs *values, AttributionTotals *t)
{
	int32		nv = values ? values->count : 0;
	int32	   *order = palloc(sizeof(int32) * Max(nv, 1));
	int32	   *labelno = palloc(sizeof(int32) * Max(nv, 1));
	int32		i;

	if (nv > 0)
		value_pairs_order(values, order);
	t->labels = palloc(sizeof(char *) * Max(nv, 1));
	t->entries = palloc0(sizeof(AttributionEntry) * Max(nv, 1));
	t->nlabels = 0;
	for (i = 0; i < nv; i++)
	{
		PairValue label,
					v;

		value_pairs_get(values, order[i], &label, &v);
		labelno[order[i]] = -1;
		if (label.len < 0)
			continue;
		labelno[order[i]] = t->nlabels;
		t->labels[t->nlabels] = label.data;
		t->entries[t->nlabels].label_len = label.len;
		t->nlabels++;
	}
	pfree(order);
	return labelno;
}

/*
 * Gather the (time-sorted) buffer's touches into f in (time, label) order,
 * counting each into its label's entry; sorts only when touches at one
 * time are out of label order.
 */
static void
collect_touches(const EventBuffer *state, const int32 *labelno, AttributionEntry *entries,
				FinalTouches *f)
{
	Touch	   *touches = palloc(sizeof(Touch) * Max(state->nevents, 1));
	int32		nt = 0,
				i;
	bool		sorted = true;

	for (i = 0; i < state->nevents; i++)
	{
		const BufferedEvent *e = &state->events[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (e->mask != ATTRIBUTION_MASK_TOUCH)
			continue;
		touches[nt].ts = e->ts;
		touches[nt].label = labelno[e->tag];
		if (nt > 0 && touch_cmp(&touches[nt - 1], &touches[nt]) > 0)
			sorted = false;
		entries[touches[nt].label].touches++;
		nt++;
	}
	if (!sorted)
		qsort(touches, nt, sizeof(Touch), touch_cmp);
	f->tts = palloc(sizeof(int64) * Max(nt, 1));
	for (i = 0; i < nt; i++)
		f->tts[i] = touches[i].ts;
	f->touches = touches;
	f->nt = nt;
}

/*
 * Split one conversion at time tc, worth `units` millionths, over touches
 * [first, first + n) of f, adding each touch's credit and value share to
 * its label's entry.  Value shares are differences of cumulative shares,
 * so they add up to exactly `units`.
 */
static void
credit_conversion(const FinalTouches *f, int32 first, int32 n, int64 tc, uint64 units,
				  AttributionEntry *entries)
{
	uint64		cum = 0,
				before = 0;
	int32		k;

	attribution_split(&f->spec->params, f->tts + first, n, tc, f->scratch, f->credit);
	for (k = 0; k < n; k++)
	{
		AttributionEntry *entry = &entries[f->touches[first + k].label];
		uint64		share;

		cum += (uint64) f->credit[k];
		share = value_share(units, cum);
		uint128_sum_add(&entry->credit_lo, &entry->credit_hi, (uint64) f->credit[k]);
		uint128_sum_add(&entry->value_lo, &entry->value_hi, share - before);
		before = share;
	}
	Assert(cum == (uint64) ATTRIBUTION_UNIT && before == units);
}

/*
 * Walk the (time-sorted) buffer's conversions with two pointers over the
 * touches in [conversion - lookback, conversion], crediting each to the
 * latest max_touches of them, or counting its value as unattributed when
 * there are none; adds the counts to t.  The lookback follows the rule of
 * common/time_window.h: a conversion at an infinite time takes only the
 * touches at that same time, a finite one no touch at -infinity, and a
 * saturated lookback every earlier finite touch.
 */
static void
walk_conversions(const EventBuffer *state, const FinalTouches *f, AttributionTotals *t)
{
	int32		lo = 0,
				hi = 0,
				i;

	for (i = 0; i < state->nevents; i++)
	{
		const BufferedEvent *e = &state->events[i];
		PairValue label,
					v;
		int64		tc = e->ts;
		int64		units;
		int64		start;
		int32		first;

		if (e->mask != ATTRIBUTION_MASK_CONVERSION)
			continue;
		CHECK_FOR_INTERRUPTS();	/* a split can cost max_touches log max_touches */
		value_pairs_get(state->values, (int32) e->tag, &label, &v);
		memcpy(&units, v.data, sizeof(int64));
		t->conversions++;
		start = time_window_start(tc, state->window);
		while (hi < f->nt && f->tts[hi] <= tc)
			hi++;
		while (lo < hi && f->tts[lo] < start)
			lo++;
		if (hi == lo)
		{
			uint128_sum_add(&t->unattributed_value_lo, &t->unattributed_value_hi, (uint64) units);
			continue;
		}
		t->attributed++;
		first = hi - lo > f->spec->max_touches ? hi - f->spec->max_touches : lo;
		credit_conversion(f, first, hi - first, tc, (uint64) units, t->entries);
	}
}

/*
 * Final: the entity's attribution value.  Sorting reorders the buffer but
 * keeps its contents (FINALFUNC_MODIFY = READ_ONLY holds).
 */
Datum
attribution_agg_final(PG_FUNCTION_ARGS)
{
	EventBuffer *state;
	FinalTouches f;
	AttributionTotals t;
	int32	   *labelno;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (EventBuffer *) PG_GETARG_POINTER(0);
	f.spec = state_model(fcinfo, state);
	event_buffer_sort(state);
	labelno = collect_labels(state->values, &t);
	collect_touches(state, labelno, t.entries, &f);
	f.credit = palloc(sizeof(int64) * f.spec->max_touches);
	f.scratch = palloc(sizeof(AttributionShare) * f.spec->max_touches);

	t.model = state->labels->data;
	t.lookback = state->window;
	t.integer_time = (state->modes & ATTRIBUTION_STATE_INTEGER_TIME) != 0;
	t.entities = 1;
	t.conversions = 0;
	t.attributed = 0;
	t.unattributed_value_lo = 0;
	t.unattributed_value_hi = 0;
	walk_conversions(state, &f, &t);
	PG_RETURN_ATTRIBUTION_P(attribution_build(&t));
}

/*
 * Whether an attribution_agg event is a touch tagged with (label, NULL) or
 * a conversion tagged with (NULL, 8-byte value).
 */
static bool
attribution_event_valid(const ValuePairs *values, uint32 mask, uint32 tag)
{
	PairValue label,
				value;

	value_pairs_get(values, (int32) tag, &label, &value);
	if (mask == ATTRIBUTION_MASK_TOUCH)
		return label.len >= 0 && label.len <= ATTRIBUTION_MAX_LABEL && value.len < 0;
	if (mask == ATTRIBUTION_MASK_CONVERSION)
		return label.len < 0 && value.len == (int32) sizeof(int64);
	return false;
}

/*
 * Rebuild a partial state, validating every field of the bytes first:
 * beyond event_buffer_unpack's checks, two steps (touch, conversion), the
 * labels are one valid model string, and every event is a touch or a
 * conversion with the value pair that goes with it.
 */
Datum
attribution_agg_deserialize(PG_FUNCTION_ARGS)
{
	EventBuffer *buf = event_buffer_unpack(PG_GETARG_BYTEA_PP(0), CurrentMemoryContext,
										   &attribution_state_kind);
	AttributionModelSpec spec;
	int32		i;

	if (buf->nsteps != 2)
		event_buffer_corrupt("bad step count or flags");
	if (buf->labels == NULL || buf->labels->tail)
		event_buffer_corrupt("bad step labels");
	if (!event_labels_strings_valid(buf->labels->data, buf->labels->size, 1,
									ATTRIBUTION_MAX_MODEL) ||
		!attribution_model_from_string(buf->labels->data,
									   (buf->modes & ATTRIBUTION_STATE_INTEGER_TIME) != 0, &spec))
		event_buffer_corrupt("bad attribution model");
	if (buf->values == NULL && buf->nevents > 0)
		event_buffer_corrupt("attribution events without touch labels and values");
	for (i = 0; i < buf->nevents; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!attribution_event_valid(buf->values, buf->events[i].mask, buf->events[i].tag))
			event_buffer_corrupt("bad attribution event");
		if ((buf->modes & ATTRIBUTION_STATE_INTEGER_TIME) && time_is_infinite(buf->events[i].ts))
			event_buffer_corrupt("integer time out of range");
	}
	PG_RETURN_POINTER(buf);
}
