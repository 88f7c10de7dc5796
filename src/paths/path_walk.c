/*
 * path_walk.c
 *		One entity's set of distinct paths from its buffered rows.
 *
 * Rows (already without NULLs and without events outside events=) are put
 * in (time, event name) order, so that nothing depends on input order;
 * cut into sessions where two consecutive rows are more than max_gap
 * apart; each session's events become nodes (one per run of equal events
 * under collapse_repeats); the path is cut around the session's anchor
 * (its first anchor event, or the session's first node forward and last
 * node backward without anchor=); a session without its anchor gives no
 * path.  The entity's value holds each distinct path once, converted when
 * any session taking it converted, and each distinct edge once.
 */
#include "postgres.h"

#include "common/pg_compat.h"
#include "common/value_pairs.h"
#include "common/int.h"
#include "miscadmin.h"
#include "paths/path_walk.h"

/* One row: its time and its event's number in name order. */
typedef struct WalkRow
{
	int64		ts;
	int32		name;
} WalkRow;

/* Row order: time, then event name (bytewise). */
static int
walk_row_cmp(const void *x, const void *y)
{
	const WalkRow *a = (const WalkRow *) x;
	const WalkRow *b = (const WalkRow *) y;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	return (a->name > b->name) - (a->name < b->name);
}

/* Whether b starts a new session after a: more than max_gap later. */
static inline bool
new_session(const PathOptions *opts, int64 a, int64 b)
{
	int64		gap;

	if (!opts->has_gap)
		return false;
	if (pg_sub_s64_overflow(b, a, &gap))
		return true;			/* more than any int64 apart */
	return gap > opts->max_gap;
}

/* The growing output of a walk. */
typedef struct WalkOut
{
	PathSet    *set;
	int32		cap_paths;
	int32		cap_nodes;
	int32		cap_edges;
} WalkOut;

/* Add one path (nodes[0 .. len)) and its edges to the output. */
static void
add_path(WalkOut *w, const int32 *nodes, int32 len, bool converted)
{
	PathSet    *s = w->set;
	int32		k;

	if (s->npaths == w->cap_paths)
	{
		w->cap_paths *= 2;
		s->paths = repalloc(s->paths, sizeof(PathEntry) * w->cap_paths);
	}
	while (s->nnodes + len > w->cap_nodes)
	{
		w->cap_nodes *= 2;
		s->nodes = repalloc(s->nodes, sizeof(int32) * w->cap_nodes);
	}
	while (s->nedges + len > w->cap_edges)
	{
		w->cap_edges *= 2;
		s->edges = repalloc(s->edges, sizeof(EdgeEntry) * w->cap_edges);
	}
	s->paths[s->npaths].entities = 1;
	s->paths[s->npaths].converted = converted ? 1 : 0;
	s->paths[s->npaths].first = s->nnodes;
	s->paths[s->npaths].len = len;
	s->npaths++;
	memcpy(s->nodes + s->nnodes, nodes, sizeof(int32) * len);
	s->nnodes += len;
	for (k = 0; k + 1 < len; k++)
	{
		EdgeEntry  *e = &s->edges[s->nedges++];

		e->entities = 1;
		e->step = k + 1;
		e->from = nodes[k];
		e->to = nodes[k + 1];
	}
}

/*
 * The path of one session's nodes (sn[0 .. n)), if it has one: cut around
 * the anchor, marked converted when the conversion event is at or after
 * its first node, and kept or dropped by only=.
 */
static void
session_path(WalkOut *w, const PathOptions *opts, const int32 *sn, int32 n,
			 int32 anchor, int32 conversion)
{
	int32		at,
				first,
				len,
				j;
	bool		converted = false;

	if (n == 0)
		return;
	if (opts->has_anchor)
	{
		for (at = 0; at < n && sn[at] != anchor; at++)
			;
		if (at == n)
			return;				/* a session without the anchor */
	}
	else
		at = opts->backward ? n - 1 : 0;
	if (opts->backward)
	{
		first = Max(0, at - opts->steps + 1);
		len = at - first + 1;
	}
	else
	{
		first = at;
		len = Min(opts->steps, n - at);
	}
	if (opts->has_conversion && conversion >= 0)
		for (j = first; j < n && !converted; j++)
			converted = sn[j] == conversion;
	if ((opts->only == PATHS_ONLY_CONVERTED && !converted) ||
		(opts->only == PATHS_ONLY_UNCONVERTED && converted))
		return;
	add_path(w, sn + first, len, converted);
}

/* The number of `name` among the entity's names (in order), or -1. */
static int32
name_number(const PathSet *set, const PathName *name)
{
	int32		i;

	for (i = 0; i < set->nnames; i++)
		if (path_name_cmp(set->names[i], set->name_len[i], name->data, name->len) == 0)
			return i;
	return -1;
}

/*
 * The one-entity paths value of a path_agg state (canonical), with the
 * canonical options string `options`.  Reads the state only.
 */
PathSet *
path_walk(const EventBuffer *state, const PathOptions *opts, const char *options)
{
	PathSet    *set = palloc0(sizeof(PathSet));
	int32		nv = state->values ? state->values->count : 0;
	int32	   *order = palloc(sizeof(int32) * Max(nv, 1));
	int32	   *rank = palloc(sizeof(int32) * Max(nv, 1));
	WalkRow    *rows = palloc(sizeof(WalkRow) * Max(state->nevents, 1));
	int32	   *sn = palloc(sizeof(int32) * Max(state->nevents, 1));
	int32		anchor,
				conversion,
				i,
				n = 0,
				start;
	WalkOut		w;

	set->options = options;
	set->entities = 1;
	set->nnames = nv;
	set->names = palloc(sizeof(char *) * Max(nv, 1));
	set->name_len = palloc(sizeof(int32) * Max(nv, 1));
	if (nv > 0)
		value_pairs_order(state->values, order);
	for (i = 0; i < nv; i++)
	{
		PairValue name,
					none;

		value_pairs_get(state->values, order[i], &name, &none);
		set->names[i] = name.data;
		set->name_len[i] = name.len;
		rank[order[i]] = i;
	}
	for (i = 0; i < state->nevents; i++)
	{
		rows[i].ts = state->events[i].ts;
		rows[i].name = rank[state->events[i].tag];
	}
	CHECK_FOR_INTERRUPTS();
	qsort(rows, state->nevents, sizeof(WalkRow), walk_row_cmp);
	anchor = opts->has_anchor ? name_number(set, &opts->anchor) : -1;
	conversion = opts->has_conversion ? name_number(set, &opts->conversion) : -1;

	w.set = set;
	w.cap_paths = 4;
	w.cap_nodes = 16;
	w.cap_edges = 16;
	set->paths = palloc(sizeof(PathEntry) * w.cap_paths);
	set->nodes = palloc(sizeof(int32) * w.cap_nodes);
	set->edges = palloc(sizeof(EdgeEntry) * w.cap_edges);
	start = 0;
	for (i = 0; i <= state->nevents; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (i == state->nevents || (i > start && new_session(opts, rows[i - 1].ts, rows[i].ts)))
		{
			if (!opts->has_anchor || anchor >= 0)
				session_path(&w, opts, sn, n, anchor, conversion);
			n = 0;
			start = i;
		}
		if (i == state->nevents)
			break;
		if (opts->collapse && n > 0 && sn[n - 1] == rows[i].name)
			continue;
		sn[n++] = rows[i].name;
	}
	pfree(rows);
	pfree(sn);
	paths_sort(set, false);
	return set;
}
