/*
 * lift.c
 *		Building, checking and merging `lift` values (see the header).
 */
#include "postgres.h"

#include "common/int.h"
#include "common/label_table.h"
#include "common/pg_compat.h"
#include "lift/lift.h"
#include "utils/memutils.h"

/* The label table view of a value's entries. */
static LabelTable
labels_of(const Lift *l)
{
	LabelTable	t;

	t.entries = (const char *) l->entries;
	t.stride = sizeof(LiftEntry);
	t.label_field = offsetof(LiftEntry, label_off);
	t.n = l->nlabels;
	t.bytes = (const char *) &l->entries[l->nlabels];
	return t;
}

/* Lay out a value; labels must be in strictly ascending order. */
Lift *
lift_build(int64 entities, int64 converted, int32 nlabels, const LiftEntry *entries,
		   const char *const *labels)
{
	Size		label_bytes = 0;
	Size		size;
	Lift	   *l;
	char	   *p;
	int32		i;

	for (i = 0; i < nlabels; i++)
		label_bytes += entries[i].label_len;
	size = LIFT_HEADER_SIZE + (Size) nlabels * sizeof(LiftEntry) + label_bytes;
	if (size > MaxAllocSize || nlabels > LIFT_MAX_LABELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("lift value would be %zu bytes with %d labels, more than the maximum of %zu bytes",
						size, nlabels, (Size) MaxAllocSize),
				 errhint("Use fewer distinct micro-conversion labels.")));
	l = palloc0(size);
	SET_VARSIZE(l, size);
	l->version = LIFT_FORMAT_VERSION;
	l->nlabels = nlabels;
	l->label_bytes = (int32) label_bytes;
	l->entities = entities;
	l->converted = converted;
	p = (char *) &l->entries[nlabels];
	label_bytes = 0;
	for (i = 0; i < nlabels; i++)
	{
		l->entries[i] = entries[i];
		l->entries[i].label_off = (int32) label_bytes;
		memcpy(p + label_bytes, labels[i], entries[i].label_len);
		label_bytes += entries[i].label_len;
	}
	return l;
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
 * sizes, labels, and counts that nest (converted <= entities, per label and
 * in total).
 */
void
lift_check(const Lift *l, Size size, int sqlstate)
{
	LabelTable	labels;
	const char *bad;
	int32		i;

	if (size < LIFT_HEADER_SIZE)
		lift_corrupt(sqlstate, "too short");
	if (l->version != LIFT_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("unsupported lift format version %d", l->version),
				 errhint("This version of the conversions extension reads lift format version %d.",
						 LIFT_FORMAT_VERSION)));
	if (l->flags != 0 || l->zero != 0)
		lift_corrupt(sqlstate, "unknown flags");
	if (l->nlabels < 0 || l->nlabels > LIFT_MAX_LABELS || l->label_bytes < 0 ||
		size != LIFT_HEADER_SIZE + (Size) l->nlabels * sizeof(LiftEntry) + (Size) l->label_bytes)
		lift_corrupt(sqlstate, "size does not match the label count");
	if (l->entities < 0 || l->converted < 0 || l->converted > l->entities)
		lift_corrupt(sqlstate, "entity counts out of range");
	labels = labels_of(l);
	if ((bad = label_table_check(&labels, l->label_bytes, LIFT_MAX_LABEL)) != NULL)
		lift_corrupt(sqlstate, bad);
	for (i = 0; i < l->nlabels; i++)
	{
		const LiftEntry *e = &l->entries[i];

		if (e->entities < 1 || e->entities > l->entities || e->converted < 0 ||
			e->converted > e->entities || e->converted > l->converted)
			lift_corrupt(sqlstate, "label counts out of range");
	}
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
 * dst + src (values of disjoint entity sets).  With in_place (dst belongs
 * to the caller's aggregate state) and every label of src already in dst,
 * dst is updated and returned; otherwise a new value is built.
 */
Lift *
lift_merge(Lift *dst, const Lift *src, bool in_place)
{
	LabelTable	dl = labels_of(dst);
	LabelTable	sl = labels_of(src);
	LiftEntry  *entries;
	const char **labels;
	int32		n;

	if (in_place && label_table_add_in_place(&dl, &sl, add_entry))
	{
		dst->entities = add_count(dst->entities, src->entities);
		dst->converted = add_count(dst->converted, src->converted);
		return dst;
	}
	entries = palloc(sizeof(LiftEntry) * Max(dst->nlabels + src->nlabels, 1));
	labels = palloc(sizeof(char *) * Max(dst->nlabels + src->nlabels, 1));
	n = label_table_merge(&dl, &sl, (char *) entries, labels, add_entry);
	return lift_build(add_count(dst->entities, src->entities),
					  add_count(dst->converted, src->converted), n, entries, labels);
}
