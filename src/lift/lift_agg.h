/*
 * lift_agg.h
 *		One entity's lift_agg state, shared by the landmark design
 *		(lift_agg.c) and 0.1.0's before-first-conversion rule that databases
 *		not yet updated still call (lift_agg_retired.c).
 *
 * The state keeps, per distinct label, only the earliest time it was seen,
 * plus the entity's entry (earliest row) and earliest conversion: that is
 * all either rule needs, so the state grows with the labels, not the rows.
 */
#ifndef CONVERSIONS_LIFT_AGG_H
#define CONVERSIONS_LIFT_AGG_H

#include "postgres.h"

#include "common/pg_compat.h"
#include "common/state_tag.h"
#include "common/value_pairs.h"
#include "fmgr.h"
#include "lift/lift.h"

/* The rule a state follows: the lift format version its final builds. */
#define LIFT_DESIGN_BEFORE_CONVERSION LIFT_FORMAT_BEFORE_CONVERSION
#define LIFT_DESIGN_LANDMARK LIFT_FORMAT_LANDMARK

/*
 * A new state is one 256-byte chunk: on 64-bit platforms 64 bytes of
 * fields, the first LIFT_INLINE_LABELS labels' first times, and the
 * labels' dictionary (value_pairs_embed) with room for about 90 bytes of
 * labels, so that a row reads one chunk, not two, and the chunk never moves.
 * More labels or longer ones move to chunks of their own.
 */
#define LIFT_STATE_CHUNK 256
#define LIFT_INLINE_LABELS 7
#define LIFT_INLINE_DICTIONARY (LIFT_STATE_CHUNK - 64 - LIFT_INLINE_LABELS * 8)

typedef struct LiftState
{
	uint32		tag;			/* STATE_TAG_LIFT (state_tag.h) */
	uint8		design;			/* LIFT_DESIGN_* */
	bool		has_entry;		/* a row with a timestamp was seen (landmark design) */
	bool		converted;
	bool		integer_time;	/* landmark design over bigint times */
	int64		entry;			/* earliest timestamp, valid when has_entry */
	int64		first_conversion;	/* valid when converted */
	int64		landmark;		/* landmark design: microseconds (or integer-time units) */
	int64		follow_up;		/* landmark design: likewise, or LIFT_NO_FOLLOW_UP */
	ValuePairs *labels;			/* (label, NULL) pairs; tags index first_seen:
								 * in dictionary below, or a chunk of its own */
	int64	   *first_seen;		/* earliest time of each label: first_inline, or
								 * an array of its own */
	int32		capacity;		/* of first_seen */
	int64		first_inline[LIFT_INLINE_LABELS];
	/* space for the labels' first ValuePairs: int64-aligned, after int64s */
	char		dictionary[LIFT_INLINE_DICTIONARY];
} LiftState;

extern LiftState *lift_state_create(MemoryContext cxt, uint8 design, int64 landmark,
									int64 follow_up);
extern void lift_state_add_label(LiftState *s, PairValue label, int64 ts);
extern void lift_state_add_conversion(LiftState *s, int64 ts);
extern PairValue lift_label_argument(FunctionCallInfo fcinfo, int argno);
extern Lift *lift_entity_value(const LiftState *s, const LiftSummary *sum, int64 exposure_last);
extern Lift *lift_before_conversion_value(const LiftState *s);

#endif							/* CONVERSIONS_LIFT_AGG_H */
