/*
 * paths_rollup.c
 *		rollup(paths): the aggregate that merges the paths of disjoint
 *		entity sets.  Its state type is `paths` (not internal), like
 *		rollup(funnel)'s, so its partial states travel as values.
 *
 * Inside an aggregate the state is an expanded object
 * (utils/expandeddatum.h): the merged value so far and the values added
 * since, kept as they came.  They are merged all at once (paths_merge_many)
 * when they hold as many entries as the merged value, or at least 4,096,
 * and whenever the state is read as a value; so each value costs about
 * its own size (times a log) instead of a copy of the whole state, and
 * rolling up N entities costs O(N log N), not O(N x distinct paths).
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "paths/paths.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(paths_rollup_transition);
PG_FUNCTION_INFO_V1(paths_rollup_final);

/* Entries (paths and edges) held back before a merge, at least. */
#define ROLLUP_MIN_PENDING 4096

/* The expanded state. */
typedef struct PathsRollupState
{
	ExpandedObjectHeader hdr;
	PathsHeader *merged;		/* the merged value so far */
	PathsHeader **pending;		/* values added since, copies */
	int32		npending;
	int32		cap_pending;
	int64		pending_entries;	/* their paths and edges */
} PathsRollupState;

static Size prs_get_flat_size(ExpandedObjectHeader *eohptr);
static void prs_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size);

static const ExpandedObjectMethods prs_methods = {
	prs_get_flat_size,
	prs_flatten_into
};

/* A value's options string (it ends the value): its bytes and length. */
static const char *
value_options(const PathsHeader *p, int32 *len)
{
	*len = p->options_len;
	return (const char *) p + VARSIZE(p) - p->options_len;
}

/*
 * Merge the pending values into the merged one, in a scratch context; the
 * result replaces both in the state's context.
 */
static void
prs_flush(PathsRollupState *st)
{
	MemoryContext scratch;
	MemoryContext old;
	PathSet   **sets;
	PathSet    *merged;
	PathsHeader *flat;
	int32		k;

	if (st->npending == 0)
		return;
	scratch = AllocSetContextCreate(CurrentMemoryContext, "paths rollup merge",
									ALLOCSET_DEFAULT_SIZES);
	old = MemoryContextSwitchTo(scratch);
	sets = palloc(sizeof(PathSet *) * (st->npending + 1));
	sets[0] = palloc(sizeof(PathSet));
	paths_unpack(st->merged, sets[0]);
	for (k = 0; k < st->npending; k++)
	{
		sets[k + 1] = palloc(sizeof(PathSet));
		paths_unpack(st->pending[k], sets[k + 1]);
	}
	merged = paths_merge_many(sets, st->npending + 1);
	MemoryContextSwitchTo(st->hdr.eoh_context);
	flat = paths_pack(merged);
	MemoryContextSwitchTo(old);
	MemoryContextDelete(scratch);
	pfree(st->merged);
	for (k = 0; k < st->npending; k++)
		pfree(st->pending[k]);
	st->merged = flat;
	st->npending = 0;
	st->pending_entries = 0;
}

/* EOH_get_flat_size: bytes of the merged value. */
static Size
prs_get_flat_size(ExpandedObjectHeader *eohptr)
{
	PathsRollupState *st = (PathsRollupState *) eohptr;

	prs_flush(st);
	return VARSIZE(st->merged);
}

/* EOH_flatten_into: write the merged value. */
static void
prs_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	PathsRollupState *st = (PathsRollupState *) eohptr;

	prs_flush(st);
	Assert(allocated_size == VARSIZE(st->merged));
	memcpy(result, st->merged, allocated_size);
}

/* Whether d points to a read-write state of rollup(paths). */
static bool
prs_is_state(Datum d)
{
	return VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &prs_methods;
}

/* A copy of a value in the state's context. */
static PathsHeader *
prs_copy(PathsRollupState *st, const PathsHeader *p)
{
	PathsHeader *copy = MemoryContextAlloc(st->hdr.eoh_context, VARSIZE(p));

	memcpy(copy, p, VARSIZE(p));
	return copy;
}

/* A new state holding `first`, in a child context of parent. */
static PathsRollupState *
prs_new(MemoryContext parent, const PathsHeader *first)
{
	MemoryContext ctx = AllocSetContextCreate(parent, "paths rollup", ALLOCSET_SMALL_SIZES);
	PathsRollupState *st = MemoryContextAllocZero(ctx, sizeof(PathsRollupState));

	EOH_init_header(&st->hdr, &prs_methods, ctx);
	st->merged = prs_copy(st, first);
	st->cap_pending = 16;
	st->pending = MemoryContextAlloc(ctx, sizeof(PathsHeader *) * st->cap_pending);
	return st;
}

/*
 * Add a value of other entities to the state: 22023 unless it has the
 * state's options; merged with the others once enough are pending.
 */
static void
prs_add(PathsRollupState *st, const PathsHeader *p)
{
	int32		alen,
				blen;
	const char *a = value_options(st->merged, &alen);
	const char *b = value_options(p, &blen);

	if (alen != blen || memcmp(a, b, alen) != 0)
		path_options_differ(pnstrdup(a, alen), pnstrdup(b, blen),
							"cannot roll up paths of different definitions",
							"Roll up values made with the same path_agg options.");
	if (st->npending == st->cap_pending)
	{
		st->cap_pending *= 2;
		st->pending = repalloc(st->pending, sizeof(PathsHeader *) * st->cap_pending);
	}
	st->pending[st->npending++] = prs_copy(st, p);
	st->pending_entries += (int64) p->npaths + p->nedges + 1;
	if (st->pending_entries >= Max((int64) st->merged->npaths + st->merged->nedges,
								   ROLLUP_MIN_PENDING))
		prs_flush(st);
}

/*
 * Transition and combine of rollup(paths): add a value of other entities
 * (NULLs are skipped); values of different options are 22023.  Inside an
 * aggregate the state is the read-write expanded object above, which the
 * executor keeps as it is; called directly, the merged value.
 */
Datum
paths_rollup_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext;
	PathsRollupState *st;
	PathsHeader *p;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	p = PG_GETARG_PATHS_P(1);
	if (!AggCheckCallContext(fcinfo, &aggcontext))
	{
		PathSet		a,
					b;

		if (PG_ARGISNULL(0))
			PG_RETURN_PATHS_P(p);
		paths_unpack(PG_GETARG_PATHS_P(0), &a);
		paths_unpack(p, &b);
		if (strcmp(a.options, b.options) != 0)
			path_options_differ(a.options, b.options, "cannot roll up paths of different definitions",
								"Roll up values made with the same path_agg options.");
		PG_RETURN_PATHS_P(paths_pack(paths_merge(&a, &b)));
	}
	if (PG_ARGISNULL(0))
		st = prs_new(aggcontext, p);
	else
	{
		if (prs_is_state(PG_GETARG_DATUM(0)))
			st = (PathsRollupState *) DatumGetEOHP(PG_GETARG_DATUM(0));
		else
			st = prs_new(aggcontext, PG_GETARG_PATHS_P(0));
		prs_add(st, p);
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&st->hdr));
}

/* Final of rollup(paths): the merged value, flat; the state is untouched. */
Datum
paths_rollup_final(PG_FUNCTION_ARGS)
{
	PG_RETURN_PATHS_P(PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0)));
}
