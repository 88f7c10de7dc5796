/*
 * lift.h
 *		The `lift` type: for a set of entities, how many converted, and per
 *		micro-conversion label how many did it (before their first
 *		conversion, or at all when they never converted) and how many of
 *		those converted.
 *
 * Layout (one varlena, ALIGNMENT double):
 *   Lift header (32 bytes)
 *   LiftEntry[nlabels]     one per micro-conversion label, in label byte order
 *   label bytes            label_bytes bytes, the labels back to back
 */
#ifndef CONVERSIONS_LIFT_H
#define CONVERSIONS_LIFT_H

#include "postgres.h"

#include "common/limits.h"
#include "common/pg_compat.h"
#include "fmgr.h"

#define LIFT_FORMAT_VERSION 1

typedef struct LiftEntry
{
	int64		entities;		/* entities that did it (before converting) */
	int64		converted;		/* of those, entities that converted */
	int32		label_off;		/* in the label bytes */
	int32		label_len;
} LiftEntry;

typedef struct Lift
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* none defined: 0 */
	uint16		zero;
	int32		nlabels;
	int32		label_bytes;
	int64		entities;
	int64		converted;		/* entities with a conversion */
	LiftEntry	entries[FLEXIBLE_ARRAY_MEMBER];
} Lift;

#define LIFT_HEADER_SIZE offsetof(Lift, entries)

#define DatumGetLiftP(d) ((Lift *) PG_DETOAST_DATUM(d))
#define PG_GETARG_LIFT_P(n) DatumGetLiftP(PG_GETARG_DATUM(n))
#define PG_RETURN_LIFT_P(p) PG_RETURN_POINTER(p)

/* Label i's bytes (label_len of them, not NUL-terminated). */
static inline const char *
lift_label(const Lift *l, int32 i)
{
	return (const char *) &l->entries[l->nlabels] + l->entries[i].label_off;
}

extern Lift *lift_build(int64 entities, int64 converted, int32 nlabels,
						const LiftEntry *entries, const char *const *labels);
extern void lift_check(const Lift *l, Size size, int sqlstate);
extern Lift *lift_merge(Lift *dst, const Lift *src, bool in_place);

#endif							/* CONVERSIONS_LIFT_H */
