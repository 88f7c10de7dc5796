/*
 * funnel_options.h
 *		funnel_agg's options beyond ClickHouse's modes: order, exclusions,
 *		per-step windows, hold-constant, counting and breakdown.
 *
 * They are written in the same comma-separated mode string as the modes
 * ("strict_order, exclude=refund@2-4, within=3:1 hour").  A funnel records
 * them as a canonical string (funnel_options_to_string), so two funnels
 * have the same definition exactly when those strings and their names are
 * equal.  Names are not in that string: the step labels (labels=, or the
 * steps array) and the exclusions' names (exclude=NAME@I-J) go in the
 * funnel's labels, one per condition, before it; the canonical string
 * keeps each exclusion's step range (exclude=I-J), as 0.1.0 wrote it.
 */
#ifndef CONVERSIONS_FUNNEL_OPTIONS_H
#define CONVERSIONS_FUNNEL_OPTIONS_H

#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"

/* Which step's row gives a funnel its breakdown value. */
#define FUNNEL_BREAKDOWN_NONE	0
#define FUNNEL_BREAKDOWN_FIRST	1	/* first_touch: the chain's step 1 */
#define FUNNEL_BREAKDOWN_LAST	2	/* last_touch: the last step it reached */
#define FUNNEL_BREAKDOWN_STEP	3	/* step:K */

/*
 * What a mode string is read as: a user's, in the named forms (steps array)
 * or in the boolean forms, or a funnel's stored canonical string.
 */
typedef enum FunnelOptionSyntax
{
	FUNNEL_SYNTAX_NAMED,		/* exclude=NAME@I-J; no labels= */
	FUNNEL_SYNTAX_BOOLEAN,		/* exclude=NAME@I-J; labels=A|B|C */
	FUNNEL_SYNTAX_STORED		/* exclude=I-J; no labels= */
} FunnelOptionSyntax;

/*
 * The names a user's mode string gives, pointing into it: the step labels
 * of labels= and each exclusion's NAME, in option order.
 */
typedef struct FunnelOptionNames
{
	bool		has_labels;		/* labels= was given */
	int			nlabels;
	const char *label[FUNNEL_MAX_STEPS];
	int			label_len[FUNNEL_MAX_STEPS];
	const char *excl_name[FUNNEL_MAX_STEPS];
	int			excl_name_len[FUNNEL_MAX_STEPS];
	/* entry_from=TS, entry_before=TS: the TS texts (trimmed), or NULL */
	const char *entry_text[2];
	int			entry_text_len[2];
	/* the first within= item with a bare number, and with an interval */
	const char *within_number;
	int			within_number_len;
	const char *within_interval;
	int			within_interval_len;
} FunnelOptionNames;

/* Which bound of the entry range: entry_text[FUNNEL_ENTRY_FROM] ... */
#define FUNNEL_ENTRY_FROM	0
#define FUNNEL_ENTRY_BEFORE 1

/* Pointer-free: a state copies it with its labels (EventLabels.parsed). */
typedef struct FunnelOptions
{
	bool		any_order;		/* order=any */
	bool		attempts;		/* count=attempts */
	bool		excl_remove;	/* exclusion=remove (else drop_off) */
	bool		entry_first;	/* entry=first (else best) */
	bool		hold;			/* a hold-constant value per row */
	uint8		breakdown;		/* FUNNEL_BREAKDOWN_* */
	int16		breakdown_step; /* 1-based, for FUNNEL_BREAKDOWN_STEP */
	int16		nexcl;			/* exclusions, in order of their conditions */
	int16		excl_from[FUNNEL_MAX_STEPS];	/* 1-based step i of exclude=i-j */
	int16		excl_to[FUNNEL_MAX_STEPS];	/* 1-based step j */
	int64		within[FUNNEL_MAX_STEPS];	/* [k]: most microseconds (or units of
											 * integer time) from step k to step
											 * k+1 (0-based), or -1 */
	bool		within_integer; /* within= gives integer time units (a
								 * funnel over integer times with a
								 * within=; canonical: a bare number) */

	/*
	 * Entry range (entry_from=, entry_before=): chains start only at step-1
	 * rows with entry_from <= ts < entry_before.  A funnel value records
	 * only that a range was applied (entry_range, no bounds: they are not
	 * part of its definition); a call site's and a state's options also
	 * carry the bounds (entry_bounded), which the walks use.
	 */
	bool		entry_range;
	bool		entry_bounded;	/* the bounds below are known */
	bool		has_entry_from;
	bool		has_entry_before;
	int64		entry_from;		/* inclusive; PG_INT64_MIN when absent */
	int64		entry_before;	/* exclusive; PG_INT64_MAX when absent */
} FunnelOptions;

extern uint32 funnel_parse_options(const char *str, int len, FunnelOptionSyntax syntax,
								   FunnelOptions *opts, FunnelOptionNames *names);
extern bool funnel_options_any(const FunnelOptions *opts);
extern bool funnel_options_have_within(const FunnelOptions *opts);
extern void funnel_options_bind(const FunnelOptions *opts, uint32 modes, int64 window,
								int nsteps);
extern char *funnel_options_to_string(const FunnelOptions *opts);
extern bool funnel_options_from_string(const char *str, uint32 modes, int64 window,
									   int nsteps, FunnelOptions *opts);
extern bool funnel_state_options_from_string(const char *str, uint32 modes, int64 window,
											 int nsteps, FunnelOptions *opts);
extern void funnel_options_time(FunnelOptions *opts, const FunnelOptionNames *names,
								bool local_time, bool integer_time);
extern Size funnel_value_labels_size(const char *data, Size size, const FunnelOptions *opts);

/*
 * Whether a step-1 row at time t may start a chain under the entry range
 * (always without one).
 */
static inline bool
funnel_entry_in_range(const FunnelOptions *opts, int64 t)
{
	if (opts == NULL || !opts->entry_bounded)
		return true;
	if (opts->has_entry_from && t < opts->entry_from)
		return false;
	return !opts->has_entry_before || t < opts->entry_before;
}
extern const char *funnel_labels_options(const char *data, Size size);
extern bool funnel_definition_labels_valid(const char *data, Size size, int nnames,
										   bool has_options);

/* The options of a funnel_agg state (its labels' parsed tail), or NULL. */
static inline const FunnelOptions *
funnel_state_options(const EventBuffer *state)
{
	return state->labels ? (const FunnelOptions *) state->labels->parsed : NULL;
}

#endif							/* CONVERSIONS_FUNNEL_OPTIONS_H */
