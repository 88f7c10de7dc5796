/*
 * attribution_agg.c
 *		attribution_agg(lookback, model, ts, touch, is_conversion [, value]):
 *		one entity's conversions credited to the touches before them.
 *
 * Rows are kept in an EventBuffer (so the combine, serialize and
 * deserialize functions are window_funnel's): a touch is mask 1 tagged with
 * its (label, NULL) pair, a conversion mask 2 tagged with (NULL, value),
 * the value in millionths as 8 bytes.  The final function sorts touches by
 * (time, label), walks the conversions in time order with two pointers
 * over the touches in [conversion - lookback, conversion], keeps the latest
 * max_touches of them and splits the conversion over them
 * (attribution_credit.c).
 */
#include "postgres.h"

#include <math.h>

#include "attribution.h"
#include "attribution_credit.h"
#include "attribution_model.h"
#include "event_buffer.h"
#include "fmgr.h"
#include "funnel_call.h"
#include "funnel_mode.h"
#include "funnel_values.h"
#include "miscadmin.h"
#include "uint128_sum.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

PG_FUNCTION_INFO_V1(attribution_agg_transition);
PG_FUNCTION_INFO_V1(attribution_agg_final);

/* A call site's lookback and model, checked and parsed once. */
typedef struct AttributionCall
{
	int64		lookback;
	text	   *model;			/* copy of the argument */
	AttributionModelSpec spec;
	const FunnelLabels *labels; /* the canonical model string */
	bool		args_const;		/* lookback and model are query constants */
} AttributionCall;

/* The lookback argument: not NULL, not negative. */
static int64
lookback_argument(FunctionCallInfo fcinfo, int argno)
{
	Interval   *iv;
	int64		us;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("attribution lookback must not be NULL"),
				 errhint("Pass a lookback such as interval '30 days'.")));
	iv = PG_GETARG_INTERVAL_P(argno);
	if (!funnel_interval_usecs(iv, &us))
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
	FunnelLabels *labels;
	MemoryContext old;

	if (call != NULL && call->args_const)
		return call;
	lookback = lookback_argument(fcinfo, 1);
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
	call->lookback = lookback;
	call->model = (text *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(2));
	attribution_model_parse(VARDATA_ANY(model), VARSIZE_ANY_EXHDR(model), &call->spec);
	canonical = attribution_model_to_string(&call->spec);
	labels = palloc(offsetof(FunnelLabels, data) + strlen(canonical) + 1);
	labels->options = NULL;
	labels->size = (int32) strlen(canonical) + 1;
	memcpy(labels->data, canonical, labels->size);
	call->labels = labels;
	call->args_const = funnel_args_const(fcinfo, 1, 2, -1);
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
						funnel_window_to_string(state->window),
						funnel_window_to_string(call->lookback)),
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
	FunnelValue none = {NULL, -1};
	int64		ts;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "attribution_agg_transition called in non-aggregate context");
	call = call_setup(fcinfo);
	if (PG_ARGISNULL(0))
	{
		state = event_buffer_create(aggcxt, call->lookback, FUNNEL_STATE_ATTRIBUTION, 2, 0);
		state->labels = call->labels;
		state->values = funnel_values_create(aggcxt);
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

	if (!PG_ARGISNULL(5) && PG_GETARG_BOOL(5))
	{
		int64		units = value_units(fcinfo, 6);
		FunnelValue v;
		uint32		tag;

		v.data = (const char *) &units;
		v.len = sizeof(int64);
		tag = funnel_values_intern(&state->values, none, v);
		state = event_buffer_append_tag(state, ts, ATTRIBUTION_MASK_CONVERSION, tag);
	}
	else if (!PG_ARGISNULL(4))
	{
		FunnelValue label = funnel_label_argument(fcinfo, 4, ATTRIBUTION_MAX_LABEL,
												  "attribution touch label",
												  "Use shorter touch labels, such as a channel name or a campaign id.");
		uint32		tag = funnel_values_intern(&state->values, label, none);

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
	char	   *model;
	AttributionModelSpec spec;
} FinalCache;

/* The parsed model of a state, cached in fn_extra across groups. */
static const AttributionModelSpec *
state_model(FunctionCallInfo fcinfo, const EventBuffer *state)
{
	FinalCache *c = (FinalCache *) fcinfo->flinfo->fn_extra;

	if (state->labels == NULL || !(state->modes & FUNNEL_STATE_ATTRIBUTION))
		elog(ERROR, "attribution_agg_final called on a state that is not attribution_agg's");
	if (c == NULL || strcmp(c->model, state->labels->data) != 0)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		c = palloc(sizeof(FinalCache));
		c->model = pstrdup(state->labels->data);
		if (!attribution_model_from_string(c->model, &c->spec))
			elog(ERROR, "attribution state has an invalid model \"%s\"", c->model);
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = c;
	}
	return &c->spec;
}

/*
 * Final: the entity's attribution value.  Sorting reorders the buffer but
 * keeps its contents (FINALFUNC_MODIFY = READ_ONLY holds).
 */
Datum
attribution_agg_final(PG_FUNCTION_ARGS)
{
	EventBuffer *state;
	const AttributionModelSpec *spec;
	FunnelValues *values;
	AttributionTotals t;
	int32		nv;
	int32	   *cls,
			   *rank,
			   *order,
			   *labelno;
	Touch	   *touches;
	int64	   *tts;
	int64	   *credit;
	AttributionShare *scratch;
	int32		nt = 0,
				nlabels = 0,
				lo = 0,
				hi = 0,
				i;
	bool		touches_sorted = true;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (EventBuffer *) PG_GETARG_POINTER(0);
	spec = state_model(fcinfo, state);
	event_buffer_sort(state);
	values = state->values;
	nv = values ? values->count : 0;

	/* label numbers in label byte order */
	cls = palloc(sizeof(int32) * Max(nv, 1));
	rank = palloc(sizeof(int32) * Max(nv, 1));
	order = palloc(sizeof(int32) * Max(nv, 1));
	labelno = palloc(sizeof(int32) * Max(nv, 1));
	if (nv > 0)
		funnel_values_ranks(values, cls, rank, order);
	t.labels = palloc(sizeof(char *) * Max(nv, 1));
	t.entries = palloc0(sizeof(AttributionEntry) * Max(nv, 1));
	for (i = 0; i < nv; i++)
	{
		FunnelValue label,
					v;

		funnel_values_get(values, order[i], &label, &v);
		labelno[order[i]] = -1;
		if (label.len < 0)
			continue;
		labelno[order[i]] = nlabels;
		t.labels[nlabels] = label.data;
		t.entries[nlabels].label_len = label.len;
		nlabels++;
	}

	/* touches, in (time, label) order */
	touches = palloc(sizeof(Touch) * Max(state->nevents, 1));
	for (i = 0; i < state->nevents; i++)
	{
		const FunnelEvent *e = &state->events[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (e->mask != ATTRIBUTION_MASK_TOUCH)
			continue;
		touches[nt].ts = e->ts;
		touches[nt].label = labelno[e->tag];
		if (nt > 0 && touch_cmp(&touches[nt - 1], &touches[nt]) > 0)
			touches_sorted = false;
		t.entries[touches[nt].label].touches++;
		nt++;
	}
	if (!touches_sorted)
		qsort(touches, nt, sizeof(Touch), touch_cmp);
	tts = palloc(sizeof(int64) * Max(nt, 1));
	for (i = 0; i < nt; i++)
		tts[i] = touches[i].ts;

	t.model = state->labels->data;
	t.lookback = state->window;
	t.entities = 1;
	t.conversions = 0;
	t.attributed = 0;
	t.unattributed_value_lo = 0;
	t.unattributed_value_hi = 0;
	t.nlabels = nlabels;
	credit = palloc(sizeof(int64) * spec->max_touches);
	scratch = palloc(sizeof(AttributionShare) * spec->max_touches);

	/* conversions in time order (the buffer is sorted) */
	for (i = 0; i < state->nevents; i++)
	{
		const FunnelEvent *e = &state->events[i];
		FunnelValue label,
					v;
		int64		tc = e->ts;
		int64		units;
		int64		start;
		int32		first,
					n,
					k;
		uint64		cum = 0,
					before = 0;

		if (e->mask != ATTRIBUTION_MASK_CONVERSION)
			continue;
		CHECK_FOR_INTERRUPTS();	/* a split can cost max_touches log max_touches */
		funnel_values_get(values, (int32) e->tag, &label, &v);
		memcpy(&units, v.data, sizeof(int64));
		t.conversions++;
		start = tc < PG_INT64_MIN + state->window ? PG_INT64_MIN : tc - state->window;
		while (hi < nt && tts[hi] <= tc)
			hi++;
		while (lo < hi && tts[lo] < start)
			lo++;
		n = hi - lo;
		if (n == 0)
		{
			uint128_sum_add(&t.unattributed_value_lo, &t.unattributed_value_hi, (uint64) units);
			continue;
		}
		t.attributed++;
		first = n > spec->max_touches ? hi - spec->max_touches : lo;
		n = hi - first;
		attribution_split(&spec->params, tts + first, n, tc, scratch, credit);
		for (k = 0; k < n; k++)
		{
			AttributionEntry *entry = &t.entries[touches[first + k].label];
			uint64		share;

			cum += (uint64) credit[k];
			share = value_share((uint64) units, cum);
			uint128_sum_add(&entry->credit_lo, &entry->credit_hi, (uint64) credit[k]);
			uint128_sum_add(&entry->value_lo, &entry->value_hi, share - before);
			before = share;
		}
		Assert(cum == (uint64) ATTRIBUTION_UNIT && before == (uint64) units);
	}
	PG_RETURN_ATTRIBUTION_P(attribution_build(&t));
}
