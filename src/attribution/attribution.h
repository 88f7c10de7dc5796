/*
 * attribution.h
 *		The `attribution` type: conversions credited to touch labels, for one
 *		entity (attribution_agg) or many (rollup), in one model and lookback.
 *
 * Layout (one varlena, ALIGNMENT double):
 *   Attribution header (64 bytes)
 *   AttributionEntry[nlabels]   one per touch label, in label byte order
 *   model string                model_len bytes, NUL-terminated, canonical
 *   label bytes                 label_bytes bytes, the labels back to back
 *
 * Credit is kept in units of ATTRIBUTION_UNIT (10^12) per conversion and values in
 * millionths, both as unsigned 128-bit sums (uint128_sum.h), so merging in
 * any order or split gives the same bits; they become float8 only in the
 * accessors.
 */
#ifndef CONVERSIONS_ATTRIBUTION_H
#define CONVERSIONS_ATTRIBUTION_H

#include "postgres.h"

#include "common/limits.h"
#include "common/pg_compat.h"
#include "fmgr.h"

#define ATTRIBUTION_FORMAT_VERSION 1

/*
 * Flag of a value built over integer times (attribution_agg's bigint
 * form): its lookback (and a time_decay half-life) are in the time
 * column's units, not microseconds; the lookback prints as a JSON number.
 */
#define ATTRIBUTION_FLAG_INTEGER_TIME 0x01

/* Conversion values are kept to this many units per 1 (millionths). */
#define ATTRIBUTION_VALUE_SCALE 1000000.0

typedef struct AttributionEntry
{
	uint64		credit_lo;		/* conversions credited, in ATTRIBUTION_UNITs */
	uint64		credit_hi;
	uint64		value_lo;		/* their value credited, in millionths */
	uint64		value_hi;
	int64		touches;		/* touch rows with this label */
	int32		label_off;		/* in the label bytes */
	int32		label_len;
} AttributionEntry;

typedef struct Attribution
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* ATTRIBUTION_FLAG_* */
	uint16		model_len;		/* bytes of the model string, NUL included */
	int32		nlabels;
	int32		label_bytes;
	int64		lookback;		/* microseconds (or integer-time units), >= 0 */
	int64		entities;
	int64		conversions;	/* all conversions */
	int64		attributed;		/* conversions with an eligible touch */
	uint64		unattributed_value_lo;	/* value of the others, millionths */
	uint64		unattributed_value_hi;
	AttributionEntry entries[FLEXIBLE_ARRAY_MEMBER];
} Attribution;

#define ATTRIBUTION_HEADER_SIZE offsetof(Attribution, entries)

#define DatumGetAttributionP(d) ((Attribution *) PG_DETOAST_DATUM(d))
#define PG_GETARG_ATTRIBUTION_P(n) DatumGetAttributionP(PG_GETARG_DATUM(n))
#define PG_RETURN_ATTRIBUTION_P(p) PG_RETURN_POINTER(p)

/* The model string. */
static inline const char *
attribution_model(const Attribution *a)
{
	return (const char *) &a->entries[a->nlabels];
}

/* Label i's bytes (label_len of them, not NUL-terminated). */
static inline const char *
attribution_label(const Attribution *a, int32 i)
{
	return attribution_model(a) + a->model_len + a->entries[i].label_off;
}

/* Totals of one value before it is laid out (labels point elsewhere). */
typedef struct AttributionTotals
{
	const char *model;			/* canonical model string */
	int64		lookback;
	int64		entities;
	int64		conversions;
	int64		attributed;
	uint64		unattributed_value_lo;
	uint64		unattributed_value_hi;
	int32		nlabels;
	AttributionEntry *entries;	/* label_off unused */
	const char **labels;		/* in byte order, strictly ascending */
	bool		integer_time;	/* ATTRIBUTION_FLAG_INTEGER_TIME */
} AttributionTotals;

extern Attribution *attribution_build(const AttributionTotals *t);
extern void attribution_check(const Attribution *a, Size size, int sqlstate);
extern Attribution *attribution_merge(Attribution *dst, const Attribution *src, bool in_place);
extern double attribution_credit_float(uint64 lo, uint64 hi);
extern double attribution_value_float(uint64 lo, uint64 hi);
extern char *attribution_lookback_string(int64 lookback, bool integer_time);

#endif							/* CONVERSIONS_ATTRIBUTION_H */
