/*
 * funnel_options.h
 *		funnel_agg's options beyond ClickHouse's modes: order, exclusions,
 *		per-step windows, hold-constant, counting and breakdown.
 *
 * They are written in the same comma-separated mode string as the modes
 * ("strict_order, exclude=2-4, within=3:1 hour").  A funnel records them
 * as a canonical string (funnel_options_to_string), so two funnels have the
 * same definition exactly when those strings are equal.
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

typedef struct FunnelOptions
{
	bool		any_order;		/* order=any */
	bool		attempts;		/* count=attempts */
	bool		hold;			/* a hold-constant value per row */
	uint8		breakdown;		/* FUNNEL_BREAKDOWN_* */
	int16		breakdown_step; /* 1-based, for FUNNEL_BREAKDOWN_STEP */
	int16		nexcl;			/* exclusions, in order of their conditions */
	int16		excl_from[FUNNEL_MAX_STEPS];	/* 1-based step i of exclude=i-j */
	int16		excl_to[FUNNEL_MAX_STEPS];	/* 1-based step j */
	int64		within[FUNNEL_MAX_STEPS];	/* [k]: most microseconds from step k to
											 * step k+1 (0-based), or -1 */
} FunnelOptions;

extern uint32 funnel_parse_options(const char *str, int len, FunnelOptions *opts);
extern bool funnel_options_any(const FunnelOptions *opts);
extern int	funnel_options_bind(const FunnelOptions *opts, uint32 modes, int64 window,
								int nconds, bool steps_named);
extern char *funnel_options_to_string(const FunnelOptions *opts);
extern bool funnel_options_from_string(const char *str, uint32 modes, int64 window,
									   int nsteps, FunnelOptions *opts);
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
