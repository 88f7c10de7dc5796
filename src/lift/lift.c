/*
 * lift.c
 *		Building, checking and merging `lift` values (see the header).
 */
#include "postgres.h"

#include "common/int.h"
#include "common/interval_usecs.h"
#include "common/label_table.h"
#include "common/pg_compat.h"
#include "lift/lift.h"
#include "utils/memutils.h"

/* The label table view of a value's entries. */
static LabelTable
labels_of(const Lift *l)
{
	LabelTable	t;

	t.entries = (const char *) lift_entries(l);
	t.stride = sizeof(LiftEntry);
	t.label_field = offsetof(LiftEntry, label_off);
	t.n = l->nlabels;
	t.bytes = (const char *) &lift_entries(l)[l->nlabels];
	return t;
}

/*
 * Lay out a value of version s->version; labels must be in strictly
 * ascending order.
 */
Lift *
lift_build(const LiftSummary *s, int32 nlabels, const LiftEntry *entries,
		   const char *const *labels)
{
	Size		header = lift_header_size(s->version);
	Size		label_bytes = 0;
	Size		size;
	Lift	   *l;
	LiftEntry  *out;
	char	   *p;
	int32		i;

	for (i = 0; i < nlabels; i++)
		label_bytes += entries[i].label_len;
	size = header + (Size) nlabels * sizeof(LiftEntry) + label_bytes;
	if (size > MaxAllocSize || nlabels > LIFT_MAX_LABELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("lift value would be %zu bytes with %d labels, more than the maximum of %zu bytes",
						size, nlabels, (Size) MaxAllocSize),
				 errhint("Use fewer distinct micro-conversion labels.")));
	l = palloc0(size);
	SET_VARSIZE(l, size);
	l->version = (uint8) s->version;
	if (s->version == LIFT_FORMAT_LANDMARK && s->integer_time)
		l->flags = LIFT_FLAG_INTEGER_TIME;
	l->nlabels = nlabels;
	l->label_bytes = (int32) label_bytes;
	l->entities = s->entities;
	l->converted = s->converted;
	if (s->version == LIFT_FORMAT_LANDMARK)
	{
		l->landmark = s->landmark;
		l->follow_up = s->follow_up;
		l->converted_before_landmark = s->converted_before_landmark;
	}
	out = lift_entries(l);
	p = (char *) &out[nlabels];
	label_bytes = 0;
	for (i = 0; i < nlabels; i++)
	{
		out[i] = entries[i];
		out[i].label_off = (int32) label_bytes;
		memcpy(p + label_bytes, labels[i], entries[i].label_len);
		label_bytes += entries[i].label_len;
	}
	return l;
}

/* What a value holds besides its labels. */
void
lift_summary(const Lift *l, LiftSummary *s)
{
	s->version = l->version;
	s->entities = l->entities;
	s->converted = l->converted;
	s->landmark = 0;
	s->follow_up = LIFT_NO_FOLLOW_UP;
	s->converted_before_landmark = 0;
	s->integer_time = (l->flags & LIFT_FLAG_INTEGER_TIME) != 0;
	if (l->version == LIFT_FORMAT_LANDMARK)
	{
		s->landmark = l->landmark;
		s->follow_up = l->follow_up;
		s->converted_before_landmark = l->converted_before_landmark;
	}
}

/*
 * Whether a landmark and follow-up (microseconds) are ones lift_agg
 * accepts: positive and finite (below the largest int64, which stands for
 * an infinite interval), follow-up also LIFT_NO_FOLLOW_UP.
 */
bool
lift_design_valid(int64 landmark, int64 follow_up)
{
	return landmark > 0 && landmark < PG_INT64_MAX &&
		(follow_up == LIFT_NO_FOLLOW_UP || (follow_up > 0 && follow_up < PG_INT64_MAX));
}

/*
 * The error for a value that fails lift_check, naming what is wrong;
 * `sqlstate` is the caller's (text and binary input report different ones).
 */
static void
lift_corrupt(int sqlstate, const char *what)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("invalid lift value: %s", what),
			 errhint("Lift values must come from lift_agg, rollup or the output of this version of the conversions extension.")));
}

/*
 * Check every field of a value from outside (text or binary input): header,
 * version, sizes, labels, the design (version 2), and counts that nest
 * (converted <= entities, per label and in total).
 */
void
lift_check(const Lift *l, Size size, int sqlstate)
{
	LabelTable	labels;
	const char *bad;
	const LiftEntry *entries;
	int32		i;

	if (size < LIFT_V1_HEADER_SIZE)
		lift_corrupt(sqlstate, "too short");
	if (l->version != LIFT_FORMAT_BEFORE_CONVERSION && l->version != LIFT_FORMAT_LANDMARK)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("unsupported lift format version %d", l->version),
				 errhint("This version of the conversions extension reads lift format versions %d and %d.",
						 LIFT_FORMAT_BEFORE_CONVERSION, LIFT_FORMAT_LANDMARK)));
	if (size < lift_header_size(l->version))
		lift_corrupt(sqlstate, "too short");
	if ((l->flags & ~(l->version == LIFT_FORMAT_LANDMARK ? LIFT_FLAG_INTEGER_TIME : 0)) != 0 ||
		l->zero != 0)
		lift_corrupt(sqlstate, "unknown flags");
	if (l->nlabels < 0 || l->nlabels > LIFT_MAX_LABELS || l->label_bytes < 0 ||
		size != lift_header_size(l->version) + (Size) l->nlabels * sizeof(LiftEntry) +
		(Size) l->label_bytes)
		lift_corrupt(sqlstate, "size does not match the label count");
	if (l->entities < 0 || l->converted < 0 || l->converted > l->entities)
		lift_corrupt(sqlstate, "entity counts out of range");
	if (l->version == LIFT_FORMAT_LANDMARK)
	{
		if (!lift_design_valid(l->landmark, l->follow_up))
			lift_corrupt(sqlstate, "landmark or follow-up out of range");
		if (l->converted_before_landmark < 0)
			lift_corrupt(sqlstate, "entity counts out of range");
	}
	labels = labels_of(l);
	if ((bad = label_table_check(&labels, l->label_bytes, LIFT_MAX_LABEL)) != NULL)
		lift_corrupt(sqlstate, bad);
	entries = lift_entries(l);
	for (i = 0; i < l->nlabels; i++)
	{
		const LiftEntry *e = &entries[i];

		if (e->entities < 1 || e->entities > l->entities || e->converted < 0 ||
			e->converted > e->entities || e->converted > l->converted)
			lift_corrupt(sqlstate, "label counts out of range");
	}
}

/*
 * A landmark or follow-up for messages: "none", a number of integer-time
 * units, or an interval.
 */
char *
lift_duration_string(int64 d, bool integer_time)
{
	if (d == LIFT_NO_FOLLOW_UP)
		return pstrdup("none");
	return integer_time ? psprintf(INT64_FORMAT, d) : interval_usecs_to_string(d);
}

/*
 * Refuse to merge values of different designs, saying what differs: their
 * counts answer different questions, and their sum none.
 */
static void
lift_check_same_design(const Lift *a, const Lift *b)
{
	bool		integer_time = (a->flags & LIFT_FLAG_INTEGER_TIME) != 0;

	if (a->version != b->version)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge lift values of format versions %d and %d", a->version, b->version),
				 errhint("Version 1 values were computed by conversions 0.1.0 with a biased rule. " LIFT_BEFORE_CONVERSION_HINT)));
	if (a->version != LIFT_FORMAT_LANDMARK)
		return;
	if (a->flags != b->flags)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge a lift value built over integer times with one built over timestamps"),
				 errhint("Build every value with the same kind of time column: lift_agg over bigint times, or over timestamps such as to_timestamp(ts).")));
	if (a->landmark != b->landmark)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge lift values with different landmarks: %s and %s",
						lift_duration_string(a->landmark, integer_time),
						lift_duration_string(b->landmark, integer_time)),
				 errhint("Only lift values built with the same landmark and follow-up can be merged.")));
	if (a->follow_up != b->follow_up)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge lift values with different follow-ups: %s and %s",
						lift_duration_string(a->follow_up, integer_time),
						lift_duration_string(b->follow_up, integer_time)),
				 errhint("Only lift values built with the same landmark and follow-up can be merged.")));
}

/* a + b for counts, or the error that names the count. */
static int64
add_count(int64 a, int64 b)
{
	int64		r;

	if (pg_add_s64_overflow(a, b, &r))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("lift entity count out of range when merging"),
				 errhint("Roll up fewer values at a time.")));
	return r;
}

/* Add src's counts for one label into dst's entry. */
static void
add_entry(void *d, const void *s)
{
	LiftEntry  *dst = (LiftEntry *) d;
	const LiftEntry *src = (const LiftEntry *) s;

	dst->entities = add_count(dst->entities, src->entities);
	dst->converted = add_count(dst->converted, src->converted);
}

/*
 * dst + src (values of disjoint entity sets, of the same design).  With
 * in_place (dst belongs to the caller's aggregate state) and every label
 * of src already in dst, dst is updated and returned; otherwise a new
 * value is built.
 */
Lift *
lift_merge(Lift *dst, const Lift *src, bool in_place)
{
	LabelTable	dl = labels_of(dst);
	LabelTable	sl = labels_of(src);
	LiftSummary s;
	LiftEntry  *entries;
	const char **labels;
	int32		n;

	lift_check_same_design(dst, src);
	lift_summary(dst, &s);
	s.entities = add_count(dst->entities, src->entities);
	s.converted = add_count(dst->converted, src->converted);
	if (s.version == LIFT_FORMAT_LANDMARK)
		s.converted_before_landmark = add_count(dst->converted_before_landmark,
												src->converted_before_landmark);
	if (in_place && label_table_add_in_place(&dl, &sl, add_entry))
	{
		dst->entities = s.entities;
		dst->converted = s.converted;
		if (s.version == LIFT_FORMAT_LANDMARK)
			dst->converted_before_landmark = s.converted_before_landmark;
		return dst;
	}
	entries = palloc(sizeof(LiftEntry) * Max(dst->nlabels + src->nlabels, 1));
	labels = palloc(sizeof(char *) * Max(dst->nlabels + src->nlabels, 1));
	n = label_table_merge(&dl, &sl, (char *) entries, labels, add_entry);
	return lift_build(&s, n, entries, labels);
}

/*
 * The error for what needs the landmark design but got 0.1.0's
 * before-first-conversion rule; `what` starts the message ("lift value was
 * computed with", "lift_agg(ts, micro, is_conversion) uses").
 */
void
lift_before_conversion_error(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s the before-first-conversion rule of conversions 0.1.0, which is biased against frequent micro-conversions", what),
			 errdetail("That rule counted a converter's micro-conversions only up to its first conversion and a non-converter's over its whole history."),
			 errhint(LIFT_BEFORE_CONVERSION_HINT)));
}
