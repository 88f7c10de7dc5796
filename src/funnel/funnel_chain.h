/*
 * funnel_chain.h
 *		funnel_agg's walks over one entity's sorted events: the best chain
 *		(funnel_chain.c, ordered; funnel_any_order.c) and the attempts.
 */
#ifndef CONVERSIONS_FUNNEL_CHAIN_H
#define CONVERSIONS_FUNNEL_CHAIN_H

#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"
#include "funnel/funnel_options.h"

/* A chain: the time of each of its steps, in the order it took them. */
typedef struct ChainResult
{
	int			level;			/* steps taken, 0 .. nsteps */
	int64		t[FUNNEL_MAX_STEPS];	/* t[p]: time of the chain's p-th step */
	int8		step[FUNNEL_MAX_STEPS]; /* which step (0-based) that was */
} ChainResult;

/* The attempts a walk found under count=attempts, in time order. */
typedef struct ChainAttempts
{
	int			n;
	int			capacity;
	ChainResult *items;
} ChainAttempts;

/* What a walk needs of the definition. */
typedef struct ChainSetup
{
	int64		window;
	uint32		modes;
	int			nsteps;
	const FunnelOptions *opts;	/* NULL when no option is set */
} ChainSetup;

extern void funnel_chain_walk(const ChainSetup *setup, const BufferedEvent *ev, int32 n,
							  ChainResult *best, ChainAttempts *attempts);
extern void funnel_any_order_walk(const ChainSetup *setup, const BufferedEvent *ev, int32 n,
								  ChainResult *best);
extern bool funnel_chain_excluded(const ChainSetup *setup, const BufferedEvent *ev, int32 n,
								  const ChainResult *chain);

/*
 * Whether chain a beats chain b as an entity's result: it reached more
 * steps; or as many, earlier; or at the same time, it started later.
 */
static inline bool
chain_better(const ChainResult *a, const ChainResult *b)
{
	if (a->level != b->level)
		return a->level > b->level;
	if (a->level == 0)
		return false;
	if (a->t[a->level - 1] != b->t[b->level - 1])
		return a->t[a->level - 1] < b->t[b->level - 1];
	return a->t[0] > b->t[0];
}

#endif							/* CONVERSIONS_FUNNEL_CHAIN_H */
