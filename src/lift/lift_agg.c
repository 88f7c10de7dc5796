/*
 * lift_agg.c
 *		lift_agg(landmark, ts, micro, is_conversion [, follow_up]): for one
 *		entity, the landmark design.  Its entry is its earliest row with a
 *		timestamp, its landmark L = entry + landmark.  It "did" a label if it
 *		has a row with that label at entry <= ts < L; a conversion at ts < L
 *		means it converted before the landmark (not at risk, only counted);
 *		otherwise it converted if it has a conversion at L <= ts
 *		(< L + follow_up when there is one).  The same rule for every
 *		entity, so a micro-conversion independent of conversion has no lift,
 *		and a credited micro-conversion always comes before the conversion.
 *
 * Also the final, combine and (de)serialize functions that both designs
 * share (see lift_agg.h).
 */
#include "postgres.h"

#include "common/int.h"
#include "common/integer_time.h"
#include "common/interval_usecs.h"
#include "common/pg_compat.h"
#include "common/time_window.h"
#include "common/value_pairs.h"
#include "fmgr.h"
#include "lift/lift.h"
#include "lift/lift_agg.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(lift_agg_landmark_transition);
PG_FUNCTION_INFO_V1(lift_agg_final);
PG_FUNCTION_INFO_V1(lift_agg_combine);
PG_FUNCTION_INFO_V1(lift_agg_serialize);
PG_FUNCTION_INFO_V1(lift_agg_deserialize);

#define LIFT_STATE_VERSION 2
#define LIFT_STATE_HEADER 40

StaticAssertDecl(sizeof(LiftState) <= LIFT_STATE_CHUNK,
				 "a new lift state fits one chunk of LIFT_STATE_CHUNK bytes");
StaticAssertDecl(offsetof(LiftState, dictionary) % MAXIMUM_ALIGNOF == 0,
				 "the embedded dictionary is aligned");

/*
 * An empty state of a design in the aggregate context.  The first labels'
 * times and their dictionary are in the state's own chunk: one chunk per
 * row and per group to read instead of three, in no more memory than the
 * three took on the benchmark's data.
 */
LiftState *
lift_state_create(MemoryContext cxt, uint8 design, int64 landmark, int64 follow_up)
{
	LiftState  *s = MemoryContextAllocZero(cxt, sizeof(LiftState));

	s->tag = STATE_TAG_LIFT;
	s->design = design;
	s->landmark = landmark;
	s->follow_up = follow_up;
	s->labels = value_pairs_embed(s, s->dictionary, sizeof(s->dictionary));
	s->capacity = LIFT_INLINE_LABELS;
	s->first_seen = s->first_inline;
	return s;
}

/* Record that the label was seen at ts. */
void
lift_state_add_label(LiftState *s, PairValue label, int64 ts)
{
	PairValue	none = {NULL, -1};
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
		int32		capacity = s->capacity * 2;

		if (s->first_seen == s->first_inline)
		{
			int64	   *times = MemoryContextAlloc(GetMemoryChunkContext(s),
												   sizeof(int64) * capacity);

			memcpy(times, s->first_inline, sizeof(int64) * s->capacity);
			s->first_seen = times;
		}
		else
			s->first_seen = repalloc(s->first_seen, sizeof(int64) * capacity);
		s->capacity = capacity;
	}
	s->first_seen[tag] = ts;
}

/* Record a conversion at ts. */
void
lift_state_add_conversion(LiftState *s, int64 ts)
{
	if (!s->converted || ts < s->first_conversion)
		s->first_conversion = ts;
	s->converted = true;
}

/* The micro-conversion label argument (not NULL), checked for length. */
PairValue
lift_label_argument(FunctionCallInfo fcinfo, int argno)
{
	return text_label_argument(fcinfo, argno, LIFT_MAX_LABEL, "lift micro-conversion label",
							   "Use shorter labels, such as event names.");
}

/*
 * The landmark or follow-up argument in microseconds: not NULL, positive
 * and finite.  A month counts as 30 days and a day as 24 hours, as for
 * funnel windows, so the length is fixed whatever the calendar.
 */
static int64
design_interval_argument(FunctionCallInfo fcinfo, int argno, const char *what,
						 const char *example)
{
	Interval   *iv;
	int64		us;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("lift_agg %s must not be NULL", what),
				 errhint("Pass a %s such as interval '%s'.", what, example)));
	iv = PG_GETARG_INTERVAL_P(argno);
	if (!interval_usecs(iv, &us) || us == 0 || us == PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lift_agg %s must be positive and finite, got \"%s\"", what,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(iv)))),
				 errhint("Pass a %s such as interval '%s'.", what, example)));
	return us;
}

/*
 * The landmark or follow-up argument of the bigint form, in the time
 * column's units: not NULL, positive, below the largest bigint (which
 * stands for an infinite length inside, as for intervals).
 */
static int64
design_integer_argument(FunctionCallInfo fcinfo, int argno, const char *what,
						const char *example)
{
	int64		d;

	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("lift_agg %s must not be NULL", what),
				 errhint("Pass a %s such as %s, in the time column's units.", what, example)));
	d = PG_GETARG_INT64(argno);
	if (d <= 0 || d == PG_INT64_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lift_agg %s must be positive and finite, got " INT64_FORMAT, what, d),
				 errhint("Pass a %s such as %s, in the time column's units.", what, example)));
	return d;
}

/* The error for a landmark or follow-up that changes within one group. */
static void
design_differs(const char *what, const char *example, int64 a, int64 b, bool integer_time)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("lift_agg %s differs between rows of one group: %s and %s", what,
					lift_duration_string(a, integer_time),
					lift_duration_string(b, integer_time)),
			 integer_time ?
			 errhint("Pass a constant %s.", what) :
			 errhint("Pass a constant %s, such as interval '%s'.", what, example)));
}

/* Refuse to combine states of different designs or definitions. */
static void
check_same_design(const LiftState *s, uint8 design, bool integer_time, int64 landmark,
				  int64 follow_up)
{
	if (s->design != design || s->integer_time != integer_time)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine lift_agg states of different rules"),
				 errhint("Use one lift_agg signature per group.")));
	if (s->landmark != landmark)
		design_differs("landmark", "1 day", s->landmark, landmark, integer_time);
	if (s->follow_up != follow_up)
		design_differs("follow-up", "7 days", s->follow_up, follow_up, integer_time);
}

/*
 * Transition of lift_agg(landmark, ts, micro, is_conversion [, follow_up]):
 * a row with a timestamp moves the entry; then it is a conversion (when
 * is_conversion is true, whatever its label), a micro-conversion (non-NULL
 * label) or neither.  Rows with a NULL timestamp are ignored.
 */
Datum
lift_agg_landmark_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	LiftState  *s;
	int64		landmark,
				follow_up = LIFT_NO_FOLLOW_UP,
				ts;
	bool		integer_time;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "lift_agg_landmark_transition called in non-aggregate context");
	/* the bigint form: ts, landmark and follow-up in the column's units */
	integer_time = PG_ARGISNULL(0) ? integer_time_argument(fcinfo, 2) :
		((LiftState *) PG_GETARG_POINTER(0))->integer_time;
	if (integer_time)
	{
		landmark = design_integer_argument(fcinfo, 1, "landmark", "86400");
		if (PG_NARGS() > 5)
			follow_up = design_integer_argument(fcinfo, 5, "follow-up", "604800");
	}
	else
	{
		landmark = design_interval_argument(fcinfo, 1, "landmark", "1 day");
		if (PG_NARGS() > 5)
			follow_up = design_interval_argument(fcinfo, 5, "follow-up", "7 days");
	}
	if (PG_ARGISNULL(0))
	{
		s = lift_state_create(aggcxt, LIFT_DESIGN_LANDMARK, landmark, follow_up);
		s->integer_time = integer_time;
	}
	else
	{
		s = (LiftState *) PG_GETARG_POINTER(0);
		if (unlikely(s->landmark != landmark || s->follow_up != follow_up))
			check_same_design(s, LIFT_DESIGN_LANDMARK, integer_time, landmark, follow_up);
	}
	if (PG_ARGISNULL(2))
		PG_RETURN_POINTER(s);
	ts = PG_GETARG_INT64(2);
	if (integer_time)
		integer_time_check(ts, "lift_agg");
	if (!s->has_entry || ts < s->entry)
		s->entry = ts;
	s->has_entry = true;
	if (!PG_ARGISNULL(4) && PG_GETARG_BOOL(4))
		lift_state_add_conversion(s, ts);
	else if (!PG_ARGISNULL(3))
		lift_state_add_label(s, lift_label_argument(fcinfo, 3), ts);
	PG_RETURN_POINTER(s);
}

/*
 * a + b, or the largest int64 when it overflows: later than every finite
 * timestamp, and a row at infinity is still not before it.
 */
static int64
add_saturating(int64 a, int64 b)
{
	int64		r;

	return pg_add_s64_overflow(a, b, &r) ? PG_INT64_MAX : r;
}

/*
 * One entity's value: the summary, and one entry for each label first seen
 * at or before exposure_last (in label byte order), marked converted as the
 * entity is.  Both designs build their value here; they differ only in the
 * summary and the end of the exposure.
 */
Lift *
lift_entity_value(const LiftState *s, const LiftSummary *sum, int64 exposure_last)
{
	int32		n = s->labels->count,
				k = 0,
				i;
	int32	   *order = palloc(sizeof(int32) * Max(n, 1));
	LiftEntry  *entries = palloc0(sizeof(LiftEntry) * Max(n, 1));
	const char **labels = palloc(sizeof(char *) * Max(n, 1));

	if (n > 0)
		value_pairs_order(s->labels, order);
	for (i = 0; i < n; i++)
	{
		PairValue	label,
					none;

		if (s->first_seen[order[i]] > exposure_last)
			continue;
		value_pairs_get(s->labels, order[i], &label, &none);
		entries[k].entities = 1;
		entries[k].converted = sum->converted;
		entries[k].label_len = label.len;
		labels[k++] = label.data;
	}
	return lift_build(sum, k, entries, labels);
}

/* One entity's landmark-design value (see the top of this file). */
static Lift *
landmark_value(const LiftState *s)
{
	LiftSummary sum = {LIFT_FORMAT_LANDMARK, 0, 0, s->landmark, s->follow_up, 0,
	s->integer_time};
	int64		landmark_time;

	if (!s->has_entry)			/* no row with a timestamp: no entity to count */
		return lift_build(&sum, 0, NULL, NULL);
	if (time_is_infinite(s->entry))
	{
		/*
		 * An infinite entry (common/time_window.h): the landmark window holds
		 * the rows at that same instant and nothing else, and no follow-up
		 * holds a later row (finite, or infinity after -infinity); without
		 * a follow-up every later conversion counts.
		 */
		if (s->converted && s->first_conversion == s->entry)
		{
			sum.converted_before_landmark = 1;
			return lift_build(&sum, 0, NULL, NULL);
		}
		sum.entities = 1;
		sum.converted = s->converted && s->follow_up == LIFT_NO_FOLLOW_UP ? 1 : 0;
		return lift_entity_value(s, &sum, s->entry);
	}
	/* a finite entry: a landmark past the timestamps saturates, before infinity */
	landmark_time = add_saturating(s->entry, s->landmark);
	if (s->converted && s->first_conversion < landmark_time)
	{
		sum.converted_before_landmark = 1;
		return lift_build(&sum, 0, NULL, NULL);
	}
	sum.entities = 1;
	/* first_conversion >= landmark_time here: the first conversion after it */
	sum.converted = s->converted &&
		(s->follow_up == LIFT_NO_FOLLOW_UP ||
		 s->first_conversion < add_saturating(landmark_time, s->follow_up)) ? 1 : 0;
	/* first_seen >= entry always (entry is the earliest row); landmark_time > entry */
	return lift_entity_value(s, &sum, landmark_time - 1);
}

/*
 * Final of every lift_agg whose rows are counted: the entity's value by the
 * state's rule (the state is not changed).  No rows: NULL.
 */
Datum
lift_agg_final(PG_FUNCTION_ARGS)
{
	LiftState  *s;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	s = (LiftState *) PG_GETARG_POINTER(0);
	state_tag_check(s, STATE_TAG_LIFT, "lift_agg_final");
	if (s->design == LIFT_DESIGN_BEFORE_CONVERSION)
		PG_RETURN_LIFT_P(lift_before_conversion_value(s));
	PG_RETURN_LIFT_P(landmark_value(s));
}

/*
 * Combine two partial states of one entity: the earlier entry, the union
 * of the labels with the earlier time of each, and the earlier conversion.
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
	state_tag_check(src, STATE_TAG_LIFT, "lift_agg_combine");
	if (!PG_ARGISNULL(0))
		state_tag_check(PG_GETARG_POINTER(0), STATE_TAG_LIFT, "lift_agg_combine");
	if (PG_ARGISNULL(0))
	{
		dst = lift_state_create(aggcxt, src->design, src->landmark, src->follow_up);
		dst->integer_time = src->integer_time;
	}
	else
	{
		dst = (LiftState *) PG_GETARG_POINTER(0);
		check_same_design(dst, src->design, src->integer_time, src->landmark, src->follow_up);
	}
	if (src->has_entry)
	{
		if (!dst->has_entry || src->entry < dst->entry)
			dst->entry = src->entry;
		dst->has_entry = true;
	}
	if (src->converted)
		lift_state_add_conversion(dst, src->first_conversion);
	for (i = 0; i < src->labels->count; i++)
	{
		PairValue	label,
					none;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		value_pairs_get(src->labels, i, &label, &none);
		lift_state_add_label(dst, label, src->first_seen[i]);
	}
	PG_RETURN_POINTER(dst);
}

/*
 * Serialize: version, flags (converted, has_entry, integer_time), design, label count,
 * first conversion, entry, landmark, follow-up, the labels' first times,
 * then the labels (value_pairs_write).
 */
Datum
lift_agg_serialize(PG_FUNCTION_ARGS)
{
	LiftState  *s = (LiftState *) PG_GETARG_POINTER(0);
	int32		n;
	Size		len;
	bytea	   *out;
	char	   *p;

	state_tag_check(s, STATE_TAG_LIFT, "lift_agg_serialize");
	n = s->labels->count;
	len = VARHDRSZ + LIFT_STATE_HEADER + sizeof(int64) * (Size) n +
		value_pairs_serialized_size(s->labels);

	if (len > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("lift_agg state of one group is too large to pass between processes"),
				 errhint("Group by a finer key, or disable parallel aggregation for this query.")));
	out = palloc0(len);
	SET_VARSIZE(out, len);
	p = VARDATA(out);
	p[0] = LIFT_STATE_VERSION;
	p[1] = (s->converted ? 1 : 0) | (s->has_entry ? 2 : 0) | (s->integer_time ? 4 : 0);
	p[2] = s->design;
	memcpy(p + 4, &n, sizeof(int32));
	memcpy(p + 8, &s->first_conversion, sizeof(int64));
	memcpy(p + 16, &s->entry, sizeof(int64));
	memcpy(p + 24, &s->landmark, sizeof(int64));
	memcpy(p + 32, &s->follow_up, sizeof(int64));
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

/*
 * Whether a deserialized state's design and times hold together: the
 * before-conversion rule has no entry and no landmark; the landmark design
 * a valid landmark and follow-up, and nothing earlier than its entry (no
 * rows at all without one).
 */
static bool
state_consistent(const LiftState *s)
{
	int32		i;

	if (s->design == LIFT_DESIGN_BEFORE_CONVERSION)
		return !s->has_entry && s->entry == 0 && s->landmark == 0 && s->follow_up == 0 &&
			!s->integer_time;
	if (s->design != LIFT_DESIGN_LANDMARK || !lift_design_valid(s->landmark, s->follow_up))
		return false;
	if (!s->has_entry)
		return s->entry == 0 && !s->converted && s->labels->count == 0;
	if (s->converted && s->first_conversion < s->entry)
		return false;
	/* integer times never hold the two values that stand for infinities */
	if (s->integer_time &&
		(time_is_infinite(s->entry) || (s->converted && time_is_infinite(s->first_conversion))))
		return false;
	for (i = 0; i < s->labels->count; i++)
		if (s->first_seen[i] < s->entry ||
			(s->integer_time && time_is_infinite(s->first_seen[i])))
			return false;
	return true;
}

/* Deserialize, checking version, flags, design, counts, lengths and every label. */
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
	if ((p[1] & ~7) != 0 || p[3] != 0)
		state_corrupt("unknown flags");
	memcpy(&n, p + 4, sizeof(int32));
	if (n < 0 || n > LIFT_MAX_LABELS || (end - p - LIFT_STATE_HEADER) / (Size) sizeof(int64) < (Size) n)
		state_corrupt("label count does not match length");
	s = palloc0(sizeof(LiftState));
	s->tag = STATE_TAG_LIFT;
	s->design = (uint8) p[2];
	s->converted = (p[1] & 1) != 0;
	s->has_entry = (p[1] & 2) != 0;
	s->integer_time = (p[1] & 4) != 0;
	memcpy(&s->first_conversion, p + 8, sizeof(int64));
	memcpy(&s->entry, p + 16, sizeof(int64));
	memcpy(&s->landmark, p + 24, sizeof(int64));
	memcpy(&s->follow_up, p + 32, sizeof(int64));
	s->capacity = Max(n, 8);
	s->first_seen = palloc(sizeof(int64) * s->capacity);
	memcpy(s->first_seen, p + LIFT_STATE_HEADER, sizeof(int64) * (Size) n);
	p += LIFT_STATE_HEADER + sizeof(int64) * (Size) n;
	s->labels = value_pairs_read(&p, end, CurrentMemoryContext);
	if (s->labels == NULL || p != end || s->labels->count != n)
		state_corrupt("bad labels");
	for (i = 0; i < n; i++)
	{
		PairValue	label,
					none;

		value_pairs_get(s->labels, i, &label, &none);
		if (label.len < 0 || label.len > LIFT_MAX_LABEL || none.len >= 0)
			state_corrupt("bad labels");
	}
	if (!state_consistent(s))
		state_corrupt("design or times out of range");
	PG_RETURN_POINTER(s);
}
