/*
 * lift.h
 *		The `lift` type: for a set of entities, how many converted, and per
 *		micro-conversion label how many did it and how many of those
 *		converted.
 *
 * Format version 2 (lift_agg(landmark, ...), 0.2.0 on) records the landmark
 * design: an entity's micro-conversions count from its entry (earliest
 * row) to the landmark (entry + landmark), its conversions after the
 * landmark (within the follow-up when there is one); entities that
 * converted before the landmark are not at risk and only counted.
 * `entities` and `converted` are then the at-risk entities and those of
 * them that converted.
 *
 * Format version 1 (0.1.0's lift_agg(ts, micro, is_conversion)) counted a
 * converter's micro-conversions up to its first conversion and a
 * non-converter's over its whole history, which is biased against frequent
 * micro-conversions: such values still read, print, merge with each other
 * and give their counts, but lift_report refuses them.
 *
 * Layout (one varlena, ALIGNMENT double):
 *   Lift header            32 bytes (version 1) or 56 bytes (version 2:
 *                          landmark, follow_up, converted_before_landmark)
 *   LiftEntry[nlabels]     one per micro-conversion label, in label byte order
 *   label bytes            label_bytes bytes, the labels back to back
 */
#ifndef CONVERSIONS_LIFT_H
#define CONVERSIONS_LIFT_H

#include "postgres.h"

#include "common/limits.h"
#include "common/pg_compat.h"
#include "fmgr.h"

#define LIFT_FORMAT_BEFORE_CONVERSION 1	/* 0.1.0's biased rule */
#define LIFT_FORMAT_LANDMARK 2
#define LIFT_FORMAT_VERSION LIFT_FORMAT_LANDMARK	/* what lift_agg builds */

/* follow_up of a design without a follow-up (conversions at any time after the landmark) */
#define LIFT_NO_FOLLOW_UP INT64CONST(-1)

typedef struct LiftEntry
{
	int64		entities;		/* entities that did it */
	int64		converted;		/* of those, entities that converted */
	int32		label_off;		/* in the label bytes */
	int32		label_len;
} LiftEntry;

typedef struct Lift
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* LIFT_FLAG_* (version 2 only) */
	uint16		zero;
	int32		nlabels;
	int32		label_bytes;
	int64		entities;		/* version 2: entities at risk at the landmark */
	int64		converted;		/* entities with a (version 2: counted) conversion */
	/* version 2 only: a version-1 value's entries start here */
	int64		landmark;		/* microseconds (or integer-time units), > 0 */
	int64		follow_up;		/* likewise, > 0, or LIFT_NO_FOLLOW_UP */
	int64		converted_before_landmark;	/* entities left out of the rates */
} Lift;

/*
 * Flag of a version-2 value built over integer times (lift_agg's bigint
 * form): its landmark and follow-up are in the time column's units, not
 * microseconds, and print as JSON numbers.
 */
#define LIFT_FLAG_INTEGER_TIME 0x01

#define LIFT_V1_HEADER_SIZE offsetof(Lift, landmark)
#define LIFT_V2_HEADER_SIZE sizeof(Lift)

/* What a value holds besides its labels, whatever its version. */
typedef struct LiftSummary
{
	int			version;
	int64		entities;
	int64		converted;
	int64		landmark;		/* version 2 only (0 in version 1) */
	int64		follow_up;		/* version 2 only */
	int64		converted_before_landmark;	/* version 2 only */
	bool		integer_time;	/* version 2 only: LIFT_FLAG_INTEGER_TIME */
} LiftSummary;

#define DatumGetLiftP(d) ((Lift *) PG_DETOAST_DATUM(d))
#define PG_GETARG_LIFT_P(n) DatumGetLiftP(PG_GETARG_DATUM(n))
#define PG_RETURN_LIFT_P(p) PG_RETURN_POINTER(p)

/* Header size of a value of this version (1 or 2). */
static inline Size
lift_header_size(int version)
{
	return version == LIFT_FORMAT_BEFORE_CONVERSION ? LIFT_V1_HEADER_SIZE : LIFT_V2_HEADER_SIZE;
}

/* The value's per-label entries (after a header whose size depends on the version). */
static inline LiftEntry *
lift_entries(const Lift *l)
{
	return (LiftEntry *) ((char *) l + lift_header_size(l->version));
}

/* Label i's bytes (label_len of them, not NUL-terminated). */
static inline const char *
lift_label(const Lift *l, int32 i)
{
	return (const char *) &lift_entries(l)[l->nlabels] + lift_entries(l)[i].label_off;
}

/* What to do instead of 0.1.0's rule, for its errors. */
#define LIFT_BEFORE_CONVERSION_HINT \
	"Compute lift values with lift_agg(landmark, ts, micro, is_conversion), such as lift_agg(interval '1 day', ts, micro, is_conversion), which counts micro-conversions in a window from each entity's first row and conversions after it."

extern Lift *lift_build(const LiftSummary *s, int32 nlabels, const LiftEntry *entries,
						const char *const *labels);
extern void lift_summary(const Lift *l, LiftSummary *s);
extern void lift_check(const Lift *l, Size size, int sqlstate);
extern bool lift_design_valid(int64 landmark, int64 follow_up);
extern char *lift_duration_string(int64 d, bool integer_time);
extern Lift *lift_merge(Lift *dst, const Lift *src, bool in_place);
pg_noreturn extern void lift_before_conversion_error(const char *what);

#endif							/* CONVERSIONS_LIFT_H */
