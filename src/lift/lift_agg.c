/*
 * lift_agg.c
 *		lift_agg(ts, micro, is_conversion): for one entity, whether it
 *		converted and which micro-conversion labels it did before its first
 *		conversion (or at all, when it never converted).
 *
 * The state keeps, per distinct label, only the earliest time it was seen,
 * plus the earliest conversion, so it grows with the labels, not the rows.
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "common/value_pairs.h"
#include "fmgr.h"
#include "lift/lift.h"
#include "miscadmin.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(lift_agg_transition);
PG_FUNCTION_INFO_V1(lift_agg_final);
PG_FUNCTION_INFO_V1(lift_agg_combine);
PG_FUNCTION_INFO_V1(lift_agg_serialize);
PG_FUNCTION_INFO_V1(lift_agg_deserialize);

#define LIFT_STATE_VERSION 1
#define LIFT_STATE_HEADER 16

typedef struct LiftState
{
	bool		converted;
	int64		first_conversion;	/* valid when converted */
	ValuePairs *labels;		/* (label, NULL) pairs; tags index first_seen */
	int64	   *first_seen;		/* earliest time of each label */
	int32		capacity;		/* of first_seen */
} LiftState;

/* An empty state in the aggregate context. */
static LiftState *
state_create(MemoryContext cxt)
{
	LiftState  *s = MemoryContextAllocZero(cxt, sizeof(LiftState));

	s->labels = value_pairs_create(cxt);
	s->capacity = 8;
	s->first_seen = MemoryContextAlloc(cxt, sizeof(int64) * s->capacity);
	return s;
}

/* Record that the label was seen at ts. */
static void
state_add_label(LiftState *s, PairValue label, int64 ts)
{
	PairValue none = {NULL, -1};
	int32		known = s->labels->count;
	uint32		tag = value_pairs_intern(&s->labels, label, none);

	if ((int32) tag < known)
	{
		if (ts < s->first_seen[tag])
			s->first_seen[tag] = ts;
		return;
	}
	if ((int32) tag >= s->capacity)
	{
		s->capacity *= 2;
		s->first_seen = repalloc(s->first_seen, sizeof(int64) * s->capacity);
	}
	s->first_seen[tag] = ts;
}

/* Record a conversion at ts. */
static void
state_add_conversion(LiftState *s, int64 ts)
{
	if (!s->converted || ts < s->first_conversion)
		s->first_conversion = ts;
	s->converted = true;
}

/*
 * Transition: a conversion row (is_conversion true) or a micro-conversion
 * row (non-NULL label); rows with a NULL timestamp, and rows that are
 * neither, count only towards the entity existing.
 */
Datum
lift_agg_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	LiftState  *s;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "lift_agg_transition called in non-aggregate context");
	s = PG_ARGISNULL(0) ? state_create(aggcxt) : (LiftState *) PG_GETARG_POINTER(0);
	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(s);
	if (!PG_ARGISNULL(3) && PG_GETARG_BOOL(3))
		state_add_conversion(s, PG_GETARG_INT64(1));
	else if (!PG_ARGISNULL(2))
		state_add_label(s, text_label_argument(fcinfo, 2, LIFT_MAX_LABEL,
												 "lift micro-conversion label",
												 "Use shorter labels, such as event names."),
						PG_GETARG_INT64(1));
	PG_RETURN_POINTER(s);
}

/* Final: the entity's lift value (the state is not changed). */
Datum
lift_agg_final(PG_FUNCTION_ARGS)
{
	LiftState  *s;
	int32		n,
				k = 0,
				i;
	int32	   *order;
	LiftEntry  *entries;
	const char **labels;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (LiftState *) PG_GETARG_POINTER(0);
	n = s->labels->count;
	order = palloc(sizeof(int32) * Max(n, 1));
	entries = palloc0(sizeof(LiftEntry) * Max(n, 1));
	labels = palloc(sizeof(char *) * Max(n, 1));
	if (n > 0)
		value_pairs_order(s->labels, order);
	for (i = 0; i < n; i++)
	{
		PairValue label,
					none;

		if (s->converted && s->first_seen[order[i]] > s->first_conversion)
			continue;
		value_pairs_get(s->labels, order[i], &label, &none);
		entries[k].entities = 1;
		entries[k].converted = s->converted ? 1 : 0;
		entries[k].label_len = label.len;
		labels[k++] = label.data;
	}
	PG_RETURN_LIFT_P(lift_build(1, s->converted ? 1 : 0, k, entries, labels));
}

/*
 * Combine two partial states of one entity: the union of the labels with
 * the earlier time of each, and the earlier conversion.
 */
Datum
lift_agg_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	LiftState  *dst;
	LiftState  *src;
	int32		i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "lift_agg_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	src = (LiftState *) PG_GETARG_POINTER(1);
	dst = PG_ARGISNULL(0) ? state_create(aggcxt) : (LiftState *) PG_GETARG_POINTER(0);
	if (src->converted)
		state_add_conversion(dst, src->first_conversion);
	for (i = 0; i < src->labels->count; i++)
	{
		PairValue label,
					none;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		value_pairs_get(src->labels, i, &label, &none);
		state_add_label(dst, label, src->first_seen[i]);
	}
	PG_RETURN_POINTER(dst);
}

/*
 * Serialize: version, converted flag, label count, first conversion, the
 * labels' first times, then the labels (value_pairs_write).
 */
Datum
lift_agg_serialize(PG_FUNCTION_ARGS)
{
	LiftState  *s = (LiftState *) PG_GETARG_POINTER(0);
	int32		n = s->labels->count;
	Size		len = VARHDRSZ + LIFT_STATE_HEADER + sizeof(int64) * (Size) n +
		value_pairs_serialized_size(s->labels);
	bytea	   *out;
	char	   *p;

	if (len > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("lift_agg state of one group is too large to pass between processes"),
				 errhint("Group by a finer key, or disable parallel aggregation for this query.")));
	out = palloc0(len);
	SET_VARSIZE(out, len);
	p = VARDATA(out);
	p[0] = LIFT_STATE_VERSION;
	p[1] = s->converted ? 1 : 0;
	memcpy(p + 4, &n, sizeof(int32));
	memcpy(p + 8, &s->first_conversion, sizeof(int64));
	memcpy(p + LIFT_STATE_HEADER, s->first_seen, sizeof(int64) * (Size) n);
	value_pairs_write(s->labels, p + LIFT_STATE_HEADER + sizeof(int64) * (Size) n);
	PG_RETURN_BYTEA_P(out);
}

/* The error for serialized state bytes that cannot be trusted. */
static void
state_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid serialized lift_agg state: %s", what),
			 errhint("The state was not produced by this version of the conversions extension.")));
}

/* Deserialize, checking version, flags, counts, lengths and every label. */
Datum
lift_agg_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	const char *p = VARDATA_ANY(bytes);
	const char *end = p + VARSIZE_ANY_EXHDR(bytes);
	LiftState  *s;
	int32		n,
				i;

	if (end - p < LIFT_STATE_HEADER)
		state_corrupt("too short");
	if (p[0] != LIFT_STATE_VERSION)
		state_corrupt("unknown format version");
	if ((p[1] & ~1) != 0 || p[2] != 0 || p[3] != 0)
		state_corrupt("unknown flags");
	memcpy(&n, p + 4, sizeof(int32));
	if (n < 0 || n > LIFT_MAX_LABELS || (end - p - LIFT_STATE_HEADER) / (Size) sizeof(int64) < (Size) n)
		state_corrupt("label count does not match length");
	s = palloc0(sizeof(LiftState));
	s->converted = p[1] != 0;
	memcpy(&s->first_conversion, p + 8, sizeof(int64));
	s->capacity = Max(n, 8);
	s->first_seen = palloc(sizeof(int64) * s->capacity);
	memcpy(s->first_seen, p + LIFT_STATE_HEADER, sizeof(int64) * (Size) n);
	p += LIFT_STATE_HEADER + sizeof(int64) * (Size) n;
	s->labels = value_pairs_read(&p, end, CurrentMemoryContext);
	if (s->labels == NULL || p != end || s->labels->count != n)
		state_corrupt("bad labels");
	for (i = 0; i < n; i++)
	{
		PairValue label,
					none;

		value_pairs_get(s->labels, i, &label, &none);
		if (label.len < 0 || label.len > LIFT_MAX_LABEL || none.len >= 0)
			state_corrupt("bad labels");
	}
	PG_RETURN_POINTER(s);
}
