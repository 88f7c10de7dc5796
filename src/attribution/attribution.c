/*
 * attribution.c
 *		Building, checking and merging `attribution` values (see the header).
 */
#include "postgres.h"

#include "common/pg_compat.h"

#include <math.h>

#include "attribution/attribution.h"
#include "attribution/attribution_credit.h"
#include "attribution/attribution_model.h"
#include "common/int.h"
#include "common/interval_usecs.h"
#include "common/label_table.h"
#include "common/uint128_sum.h"
#include "miscadmin.h"
#include "utils/memutils.h"

/*
 * The error for a value that fails attribution_check, naming what is wrong;
 * `sqlstate` is the caller's (text and binary input report different ones).
 */
static void
attribution_corrupt(int sqlstate, const char *what)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("invalid attribution value: %s", what),
			 errhint("Attribution values must come from attribution_agg, rollup or the output of this version of the conversions extension.")));
}

/* The label table view of a value's entries. */
static LabelTable
labels_of(const Attribution *a)
{
	LabelTable	t;

	t.entries = (const char *) a->entries;
	t.stride = sizeof(AttributionEntry);
	t.label_field = offsetof(AttributionEntry, label_off);
	t.n = a->nlabels;
	t.bytes = attribution_model(a) + a->model_len;
	return t;
}

/* A 128-bit count of credit units as conversions. */
double
attribution_credit_float(uint64 lo, uint64 hi)
{
	return (ldexp((double) hi, 64) + (double) lo) / (double) ATTRIBUTION_UNIT;
}

/* A 128-bit sum of millionths as a value. */
double
attribution_value_float(uint64 lo, uint64 hi)
{
	return (ldexp((double) hi, 64) + (double) lo) / ATTRIBUTION_VALUE_SCALE;
}

/* Lay out a value from its totals; labels must be in strictly ascending order. */
Attribution *
attribution_build(const AttributionTotals *t)
{
	Size		model_len = strlen(t->model) + 1;
	Size		label_bytes = 0;
	Size		size;
	Attribution *a;
	char	   *p;
	int32		i;

	for (i = 0; i < t->nlabels; i++)
		label_bytes += t->entries[i].label_len;
	size = ATTRIBUTION_HEADER_SIZE + (Size) t->nlabels * sizeof(AttributionEntry) +
		model_len + label_bytes;
	if (size > MaxAllocSize || t->nlabels > ATTRIBUTION_MAX_LABELS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("attribution value would be %zu bytes with %d touch labels, more than the maximum of %zu bytes",
						size, t->nlabels, (Size) MaxAllocSize),
				 errhint("Use fewer distinct touch labels, such as channels instead of campaign ids.")));
	a = palloc0(size);
	SET_VARSIZE(a, size);
	a->version = ATTRIBUTION_FORMAT_VERSION;
	a->model_len = (uint16) model_len;
	a->nlabels = t->nlabels;
	a->label_bytes = (int32) label_bytes;
	a->lookback = t->lookback;
	a->flags = t->integer_time ? ATTRIBUTION_FLAG_INTEGER_TIME : 0;
	a->entities = t->entities;
	a->conversions = t->conversions;
	a->attributed = t->attributed;
	a->unattributed_value_lo = t->unattributed_value_lo;
	a->unattributed_value_hi = t->unattributed_value_hi;
	p = (char *) &a->entries[t->nlabels];
	memcpy(p, t->model, model_len);
	p += model_len;
	label_bytes = 0;
	for (i = 0; i < t->nlabels; i++)
	{
		a->entries[i] = t->entries[i];
		a->entries[i].label_off = (int32) label_bytes;
		memcpy(p + label_bytes, t->labels[i], t->entries[i].label_len);
		label_bytes += t->entries[i].label_len;
	}
	return a;
}

/*
 * Whether a value sum (lo, hi) in millionths is at most what n conversions
 * can carry (each at most ATTRIBUTION_MAX_VALUE).
 */
static bool
value_fits(uint64 lo, uint64 hi, int64 n)
{
	uint64		max_lo,
				max_hi;

	uint128_product(n, (uint64) (ATTRIBUTION_MAX_VALUE * ATTRIBUTION_VALUE_SCALE), &max_lo, &max_hi);
	return hi < max_hi || (hi == max_hi && lo <= max_lo);
}

/* Whether x * ATTRIBUTION_UNIT (the credit of x conversions) equals (lo, hi). */
static bool
credit_equals(int64 x, uint64 lo, uint64 hi)
{
	uint64		xlo,
				xhi;

	uint128_product(x, ATTRIBUTION_UNIT, &xlo, &xhi);
	return lo == xlo && hi == xhi;
}

/*
 * Check every field of a value that came from outside (text or binary
 * input) before anything reads it: header, model, sizes, label order and
 * encoding, and that the credit given out is exactly one per attributed
 * conversion.  Errors carry `sqlstate`.
 */
void
attribution_check(const Attribution *a, Size size, int sqlstate)
{
	AttributionModelSpec spec;
	const char *model;
	LabelTable	labels;
	const char *bad;
	uint64		lo = 0,
				hi = 0,
				total_lo,
				total_hi;
	int32		i;

	if (size < ATTRIBUTION_HEADER_SIZE)
		attribution_corrupt(sqlstate, "too short");
	if (a->version != ATTRIBUTION_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("unsupported attribution format version %d", a->version),
				 errhint("This version of the conversions extension reads attribution format version %d.",
						 ATTRIBUTION_FORMAT_VERSION)));
	if ((a->flags & ~ATTRIBUTION_FLAG_INTEGER_TIME) != 0)
		attribution_corrupt(sqlstate, "unknown flags");
	if (a->nlabels < 0 || a->nlabels > ATTRIBUTION_MAX_LABELS || a->label_bytes < 0 ||
		a->model_len < 2 || a->model_len > ATTRIBUTION_MAX_MODEL + 1 ||
		size != ATTRIBUTION_HEADER_SIZE + (Size) a->nlabels * sizeof(AttributionEntry) +
		a->model_len + (Size) a->label_bytes)
		attribution_corrupt(sqlstate, "size does not match the label count");
	model = attribution_model(a);
	if (model[a->model_len - 1] != '\0' || strlen(model) != a->model_len - 1 ||
		!attribution_model_from_string(model, (a->flags & ATTRIBUTION_FLAG_INTEGER_TIME) != 0,
									   &spec))
		attribution_corrupt(sqlstate, "the model is not a canonical attribution model string");
	if (a->lookback < 0)
		attribution_corrupt(sqlstate, "negative lookback");
	if (a->entities < 0 || a->conversions < 0 || a->attributed < 0 ||
		a->attributed > a->conversions || (a->entities == 0 && a->conversions > 0))
		attribution_corrupt(sqlstate, "conversion counts out of range");
	uint128_product(a->attributed, ATTRIBUTION_UNIT, &total_lo, &total_hi);
	if (!value_fits(a->unattributed_value_lo, a->unattributed_value_hi,
					a->conversions - a->attributed))
		attribution_corrupt(sqlstate, "more unattributed value than its conversions can carry");
	labels = labels_of(a);
	if ((bad = label_table_check(&labels, a->label_bytes, ATTRIBUTION_MAX_LABEL)) != NULL)
		attribution_corrupt(sqlstate, bad);
	for (i = 0; i < a->nlabels; i++)
	{
		const AttributionEntry *e = &a->entries[i];

		if (e->touches < 0)
			attribution_corrupt(sqlstate, "negative touch count");
		if (!value_fits(e->value_lo, e->value_hi, a->attributed))
			attribution_corrupt(sqlstate, "a label has more value than its conversions can carry");
		/* each credit is at most the total, so the sum cannot wrap */
		if (e->credit_hi > total_hi || (e->credit_hi == total_hi && e->credit_lo > total_lo))
			attribution_corrupt(sqlstate, "a label has more credit than there are attributed conversions");
		uint128_sum_add128(&lo, &hi, e->credit_lo, e->credit_hi);
	}
	if (!credit_equals(a->attributed, lo, hi))
		attribution_corrupt(sqlstate, "the credit given out is not exactly one per attributed conversion");
}

/* A lookback for messages: a number of integer-time units, or an interval. */
char *
attribution_lookback_string(int64 lookback, bool integer_time)
{
	return integer_time ? psprintf(INT64_FORMAT, lookback) : interval_usecs_to_string(lookback);
}

/* The error for values that cannot be merged, naming what differs. */
static void
check_same_definition(const Attribution *a, const Attribution *b)
{
	bool		integer_time = (a->flags & ATTRIBUTION_FLAG_INTEGER_TIME) != 0;

	if (a->flags != b->flags)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge an attribution built over integer times with one built over timestamps"),
				 errhint("Build every value with the same kind of time column: attribution_agg over bigint times, or over timestamps such as to_timestamp(ts).")));
	if (a->lookback != b->lookback)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge attributions with different lookbacks: %s and %s",
						attribution_lookback_string(a->lookback, integer_time),
						attribution_lookback_string(b->lookback, integer_time)),
				 errhint("Only attributions made with the same model and lookback can be merged.")));
	if (strcmp(attribution_model(a), attribution_model(b)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge attributions with different models: \"%s\" and \"%s\"",
						attribution_model(a), attribution_model(b)),
				 errhint("Only attributions made with the same model and lookback can be merged.")));
}

/* a + b for counts, or the error that names the count. */
static int64
add_count(int64 a, int64 b, const char *what)
{
	int64		r;

	if (pg_add_s64_overflow(a, b, &r))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("attribution %s out of range when merging", what),
				 errhint("Roll up fewer values at a time.")));
	return r;
}

/* Add src's totals for one label into dst's entry. */
static void
add_entry(void *d, const void *s)
{
	AttributionEntry *dst = (AttributionEntry *) d;
	const AttributionEntry *src = (const AttributionEntry *) s;

	uint128_sum_add128(&dst->credit_lo, &dst->credit_hi, src->credit_lo, src->credit_hi);
	uint128_sum_add128(&dst->value_lo, &dst->value_hi, src->value_lo, src->value_hi);
	dst->touches = add_count(dst->touches, src->touches, "touch count");
}

/*
 * dst + src (values of disjoint entity sets with the same model and
 * lookback).  With in_place (dst belongs to the caller's aggregate state)
 * and every label of src already in dst, dst is updated and returned;
 * otherwise a new value is built.
 */
Attribution *
attribution_merge(Attribution *dst, const Attribution *src, bool in_place)
{
	AttributionTotals t;
	LabelTable	dl = labels_of(dst);
	LabelTable	sl = labels_of(src);

	check_same_definition(dst, src);
	if (in_place && label_table_add_in_place(&dl, &sl, add_entry))
	{
		dst->entities = add_count(dst->entities, src->entities, "entity count");
		dst->conversions = add_count(dst->conversions, src->conversions, "conversion count");
		dst->attributed = add_count(dst->attributed, src->attributed, "conversion count");
		uint128_sum_add128(&dst->unattributed_value_lo, &dst->unattributed_value_hi,
						   src->unattributed_value_lo, src->unattributed_value_hi);
		return dst;
	}

	/* a new value over the union of the labels, merged in order */
	t.model = attribution_model(dst);
	t.lookback = dst->lookback;
	t.integer_time = (dst->flags & ATTRIBUTION_FLAG_INTEGER_TIME) != 0;
	t.entities = add_count(dst->entities, src->entities, "entity count");
	t.conversions = add_count(dst->conversions, src->conversions, "conversion count");
	t.attributed = add_count(dst->attributed, src->attributed, "conversion count");
	t.unattributed_value_lo = dst->unattributed_value_lo;
	t.unattributed_value_hi = dst->unattributed_value_hi;
	uint128_sum_add128(&t.unattributed_value_lo, &t.unattributed_value_hi,
					   src->unattributed_value_lo, src->unattributed_value_hi);
	t.entries = palloc(sizeof(AttributionEntry) * Max(dst->nlabels + src->nlabels, 1));
	t.labels = palloc(sizeof(char *) * Max(dst->nlabels + src->nlabels, 1));
	t.nlabels = label_table_merge(&dl, &sl, (char *) t.entries, t.labels, add_entry);
	return attribution_build(&t);
}
