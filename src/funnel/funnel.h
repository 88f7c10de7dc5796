/*
 * funnel.h
 *		The `funnel` type: a funnel's definition and what a set of entities
 *		did in it, as one varlena that can be stored, merged and read.
 *
 * Two forms share one header:
 *
 *   single  (FUNNEL_FLAG_SINGLE): exactly one entity.  The step it reached
 *           and, for steps 2..level, the time from step 1 of its best chain.
 *           funnel_agg returns this form; it is 8 bytes per step reached
 *           beyond the first.
 *   general: any number of entities.  Entities, per-step counts and, for
 *           steps 2..N, the time from the previous step and from step 1 as
 *           exact count, sum, min and max plus a log-bucketed quantile
 *           sketch (duration_sketch.h) over a dense range of buckets.
 *
 * A value with one entity is always in the single form and every other
 * value in the general form, so equal funnels have equal bytes; except
 * under count=attempts, where one entity may have several attempts and
 * values are always general (reached[] counts attempts).
 *
 * Layout (all 8-byte fields 8-byte aligned; the type is ALIGNMENT = double):
 *   FunnelHeader (32 bytes)
 *   labels: labels_size bytes, padded to 8: the step names (one per step,
 *           then one per exclusion; none in a boolean form without
 *           labels=, and none in 0.1.0's boolean forms) and, with
 *           FUNNEL_FLAG_OPTIONS, funnel_agg's canonical options string,
 *           each NUL-terminated
 *   single:  int64 times[level - 1]
 *            with FUNNEL_FLAG_ENTRY: int64 entry (step 1's timestamp)
 *            with FUNNEL_FLAG_BREAKDOWN: int32 length, bytes, padded to 8
 *   general: int64 entities, int64 reached[nsteps],
 *            DurationStats stats[2 * (nsteps - 1)],
 *            uint64 counts[] (each stat's buckets, in stat order)
 *            with FUNNEL_FLAG_PEOPLE: one flat id set per step (the
 *            persons whose values reached it; common/id_set.h), each
 *            8-byte aligned; see funnel_people.h.  Such a value stays in
 *            the general form even with one entity.
 */
#ifndef CONVERSIONS_FUNNEL_H
#define CONVERSIONS_FUNNEL_H

#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"
#include "fmgr.h"

/* Format version written in every value; readers refuse other versions. */
#define FUNNEL_FORMAT_VERSION 1

/* Header flags.  Unknown bits are refused so that they can be given a meaning later. */
#define FUNNEL_FLAG_SINGLE		0x01
#define FUNNEL_FLAG_OPTIONS		0x02	/* labels end with the options string */
#define FUNNEL_FLAG_ENTRY		0x04	/* single: entry time follows the times */
#define FUNNEL_FLAG_BREAKDOWN	0x08	/* single: breakdown value follows */
#define FUNNEL_FLAG_LOCAL_TIME	0x10	/* entry is a timestamp without time zone */
#define FUNNEL_FLAG_PEOPLE		0x20	/* general: who reached each step follows the counts */
#define FUNNEL_FLAG_INTEGER_TIME 0x40	/* window, times and entry are integer time units */
#define FUNNEL_FLAGS_KNOWN		0x7F
/* The flags that are part of a funnel's definition. */
#define FUNNEL_FLAGS_DEFINITION (FUNNEL_FLAG_OPTIONS | FUNNEL_FLAG_INTEGER_TIME)

typedef struct FunnelHeader
{
	int32		vl_len_;		/* varlena header; do not touch directly */
	uint8		version;
	uint8		flags;
	int16		nsteps;			/* 1 .. FUNNEL_MAX_STEPS */
	uint32		modes;			/* FUNNEL_MODE_* bits */
	int64		window;			/* microseconds (or integer time units), >= 0 */
	int32		labels_size;	/* bytes of labels, 0 when the steps have none */
	int32		level;			/* single form: step reached; general: 0 */
} FunnelHeader;

typedef FunnelHeader Funnel;

/*
 * Time-to-convert of one step, over the entities that reached it: exact
 * count, zero durations, min, max and 128-bit sum (microseconds), and the
 * counts of positive durations in buckets first_bucket .. first_bucket +
 * nbuckets - 1.
 */
typedef struct DurationStats
{
	uint64		count;
	uint64		zeros;
	int64		min;
	int64		max;
	uint64		sum_lo;
	uint64		sum_hi;
	int32		first_bucket;
	int32		nbuckets;
} DurationStats;

/* Which time of a step a DurationStats holds. */
#define FUNNEL_FROM_PREVIOUS 0
#define FUNNEL_FROM_FIRST 1

#define DatumGetFunnelP(d) ((Funnel *) PG_DETOAST_DATUM(d))
#define PG_GETARG_FUNNEL_P(n) DatumGetFunnelP(PG_GETARG_DATUM(n))
#define PG_RETURN_FUNNEL_P(f) PG_RETURN_POINTER(f)

/*
 * Whether the value was built over integer times (funnel_agg's bigint
 * forms): its window, times and entry are in the ts column's units.
 */
static inline bool
funnel_integer_time(const Funnel *f)
{
	return (f->flags & FUNNEL_FLAG_INTEGER_TIME) != 0;
}

/* Whether the value is in the single (one-entity) form. */
static inline bool
funnel_is_single(const Funnel *f)
{
	return (f->flags & FUNNEL_FLAG_SINGLE) != 0;
}

/* Number of DurationStats of a general funnel with nsteps steps. */
static inline int
funnel_nstats(int nsteps)
{
	return 2 * (nsteps - 1);
}

/* Index of step k's (0-based, k >= 1) stat of the given kind. */
static inline int
funnel_stat_index(int k, int kind)
{
	return 2 * (k - 1) + kind;
}

/* Start of the labels, right after the header. */
static inline const char *
funnel_labels(const Funnel *f)
{
	return (const char *) f + sizeof(FunnelHeader);
}

/* Start of the body, after the header and the padded labels. */
static inline char *
funnel_body(const Funnel *f)
{
	return (char *) f + sizeof(FunnelHeader) + TYPEALIGN(8, f->labels_size);
}

/* single form: times from step 1 of steps 2..level */
static inline int64 *
funnel_single_times(const Funnel *f)
{
	return (int64 *) funnel_body(f);
}

/* single form with FUNNEL_FLAG_ENTRY: the timestamp of the chain's step 1 */
static inline int64 *
funnel_entry_ptr(const Funnel *f)
{
	return funnel_single_times(f) + (f->level > 1 ? f->level - 1 : 0);
}

/* single form with FUNNEL_FLAG_BREAKDOWN: int32 length, then the bytes */
static inline char *
funnel_breakdown_ptr(const Funnel *f)
{
	return (char *) (funnel_entry_ptr(f) + ((f->flags & FUNNEL_FLAG_ENTRY) ? 1 : 0));
}

/* general form: the number of entities */
static inline int64 *
funnel_entities_ptr(const Funnel *f)
{
	return (int64 *) funnel_body(f);
}

/* general form: entities (or attempts) that reached each step */
static inline int64 *
funnel_reached(const Funnel *f)
{
	return (int64 *) funnel_body(f) + 1;
}

/* general form: the 2 * (nsteps - 1) time statistics, in funnel_stat_index order */
static inline DurationStats *
funnel_stats(const Funnel *f)
{
	return (DurationStats *) (funnel_reached(f) + f->nsteps);
}

/* general form: every stat's bucket counts, in stat order */
static inline uint64 *
funnel_counts(const Funnel *f)
{
	return (uint64 *) (funnel_stats(f) + funnel_nstats(f->nsteps));
}

/* Whether the value carries who reached each step (FUNNEL_FLAG_PEOPLE). */
static inline bool
funnel_has_people(const Funnel *f)
{
	return (f->flags & FUNNEL_FLAG_PEOPLE) != 0;
}

/* Bytes of a general funnel with the given labels and total buckets. */
static inline Size
funnel_general_size(int nsteps, int32 labels_size, int64 total_buckets)
{
	return sizeof(FunnelHeader) + TYPEALIGN(8, labels_size) +
		sizeof(int64) * (1 + nsteps) +
		sizeof(DurationStats) * funnel_nstats(nsteps) +
		sizeof(uint64) * total_buckets;
}

/*
 * Bytes of a single funnel with the given flags (entry, breakdown) and
 * breakdown length.
 */
static inline Size
funnel_single_size(int32 labels_size, int level, uint8 flags, int32 breakdown_len)
{
	return sizeof(FunnelHeader) + TYPEALIGN(8, labels_size) +
		sizeof(int64) * (level > 1 ? level - 1 : 0) +
		((flags & FUNNEL_FLAG_ENTRY) ? sizeof(int64) : 0) +
		((flags & FUNNEL_FLAG_BREAKDOWN) ? TYPEALIGN(8, 4 + breakdown_len) : 0);
}

/* What funnel_agg needs to build a one-entity value. */
typedef struct FunnelDefinition
{
	int64		window;
	uint32		modes;
	int			nsteps;
	const char *labels;			/* labels blob (see the layout above), or NULL */
	int32		labels_size;
	uint8		flags;			/* FUNNEL_FLAGS_DEFINITION bits */
} FunnelDefinition;

/* What a one-entity value may add to its chain's times. */
typedef struct FunnelEntity
{
	bool		has_entry;
	bool		local_time;		/* entry is a timestamp without time zone */
	int64		entry;
	const char *breakdown;		/* NULL when none */
	int32		breakdown_len;
} FunnelEntity;

/* funnel.c */
extern Funnel *funnel_make_single(const FunnelDefinition *def, int level,
								  const int64 *times);
extern Funnel *funnel_make_entity(const FunnelDefinition *def, int level,
								  const int64 *times, const FunnelEntity *entity);
extern const char *funnel_options_string(const Funnel *f);
extern bool funnel_has_step_names(const Funnel *f);
extern bool funnel_has_option(const Funnel *f, const char *item);
extern bool funnel_counts_attempts(const Funnel *f);
extern bool funnel_has_entry_range(const Funnel *f);
extern Funnel *funnel_without_entity(const Funnel *f);
extern Funnel *funnel_make_general(const Funnel *def, int64 entities,
								   const int32 *first_bucket,
								   const int32 *nbuckets);
extern Funnel *funnel_make_general_extra(const Funnel *def, int64 entities,
										 const int32 *first_bucket,
										 const int32 *nbuckets, Size extra);
extern Size funnel_general_counts_size(const Funnel *f);
extern Funnel *funnel_normalize(const Funnel *f);
extern Funnel *funnel_trimmed(const Funnel *f, Size extra);
extern void funnel_check_same_definition(const Funnel *a, const Funnel *b,
										 const char *verb, const char *done);
extern Funnel *funnel_merge(Funnel *dst, const Funnel *src, bool in_place);
extern int64 funnel_entities(const Funnel *f);
extern int64 funnel_reached_count(const Funnel *f, int k);
extern const DurationStats *funnel_step_stats(const Funnel *f, int k, int kind,
											  const uint64 **counts);
extern int64 funnel_single_time(const Funnel *f, int k, int kind);
extern int64 funnel_quantile(const Funnel *f, int k, int kind, double q);

/* funnel_check.c */
extern void funnel_check(const Funnel *f, Size size, int sqlstate);

/* funnel_result.c */
extern Funnel *funnel_from_events(EventBuffer *state, bool integer_time);


#endif							/* CONVERSIONS_FUNNEL_H */
