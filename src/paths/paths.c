/*
 * paths.c
 *		The `paths` value: packing and unpacking its layout (paths.h),
 *		putting a set of paths in canonical order, merging two sets, and the
 *		full check of a value from outside.
 */
#include "postgres.h"

#include "common/int.h"
#include "common/pg_compat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "paths/paths.h"
#include "utils/memutils.h"

/* Error for a stored value whose lengths do not add up. */
pg_noreturn static void
paths_corrupt(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid paths value: its lengths do not match its counts"),
			 errhint(PATHS_INPUT_HINT)));
}

/* Bytes of a value with these counts (int64, so nothing overflows). */
static int64
paths_size(int64 nnames, int64 names_bytes, int64 npaths, int64 nnodes, int64 nedges,
		   int64 options_len)
{
	return (int64) sizeof(PathsHeader) + npaths * (PATHS_PATH_BYTES + 1) + nnodes * 4 +
		nedges * PATHS_EDGE_BYTES + nnames * 4 + names_bytes + options_len;
}

/*
 * A view of a stored value: arrays are read out of it (memcpy, as the
 * layout is not aligned), names point into it.
 */
void
paths_unpack(const PathsHeader *p, PathSet *set)
{
	const char *q = (const char *) p + sizeof(PathsHeader);
	int32		i,
				first = 0;
	const char *names;
	char	   *options;

	if (VARSIZE(p) < sizeof(PathsHeader) || p->version != PATHS_FORMAT_VERSION ||
		p->nnames < 0 || p->names_bytes < 0 || p->npaths < 0 || p->nnodes < 0 ||
		p->nedges < 0 || p->options_len < 0 ||
		paths_size(p->nnames, p->names_bytes, p->npaths, p->nnodes, p->nedges,
				   p->options_len) != (int64) VARSIZE(p))
		paths_corrupt();
	set->entities = p->entities;
	set->nnames = p->nnames;
	set->npaths = p->npaths;
	set->nnodes = p->nnodes;
	set->nedges = p->nedges;
	set->paths = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(PathEntry) * Max(p->npaths, 1));
	for (i = 0; i < p->npaths; i++)
	{
		memcpy(&set->paths[i].entities, q, 8);
		memcpy(&set->paths[i].converted, q + 8, 8);
		q += PATHS_PATH_BYTES;
	}
	for (i = 0; i < p->npaths; i++)
	{
		set->paths[i].first = first;
		set->paths[i].len = (uint8) *q++;
		first += set->paths[i].len;
	}
	if (first != p->nnodes)
		paths_corrupt();
	set->nodes = palloc(sizeof(int32) * Max(p->nnodes, 1));
	memcpy(set->nodes, q, sizeof(int32) * p->nnodes);
	q += sizeof(int32) * p->nnodes;
	set->edges = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(EdgeEntry) * Max(p->nedges, 1));
	for (i = 0; i < p->nedges; i++)
	{
		memcpy(&set->edges[i].entities, q, 8);
		memcpy(&set->edges[i].step, q + 8, 4);
		memcpy(&set->edges[i].from, q + 12, 4);
		memcpy(&set->edges[i].to, q + 16, 4);
		q += PATHS_EDGE_BYTES;
	}
	set->name_len = palloc(sizeof(int32) * Max(p->nnames, 1));
	memcpy(set->name_len, q, sizeof(int32) * p->nnames);
	q += sizeof(int32) * p->nnames;
	set->names = palloc(sizeof(char *) * Max(p->nnames, 1));
	names = q;
	for (i = 0; i < p->nnames; i++)
	{
		if (set->name_len[i] < 0 || set->name_len[i] > p->names_bytes - (names - q))
			paths_corrupt();
		set->names[i] = names;
		names += set->name_len[i];
	}
	if (names - q != p->names_bytes)
		paths_corrupt();
	options = palloc(p->options_len + 1);
	memcpy(options, names, p->options_len);
	options[p->options_len] = '\0';
	set->options = options;
}

/*
 * The stored form of a canonical set.  Above 1 GB the value cannot be
 * stored: 54000 before anything is allocated.
 */
PathsHeader *
paths_pack(const PathSet *set)
{
	int64		names_bytes = 0;
	int64		size;
	int32		options_len = (int32) strlen(set->options);
	PathsHeader *p;
	char	   *q;
	int32		i;

	for (i = 0; i < set->nnames; i++)
		names_bytes += set->name_len[i];
	size = paths_size(set->nnames, names_bytes, set->npaths, set->nnodes, set->nedges,
					  options_len);
	if (size > (int64) MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("paths value would take " INT64_FORMAT " bytes, more than the maximum of %d",
						size, (int) MaxAllocSize),
				 errdetail("It holds %d distinct paths and %d edges.", set->npaths, set->nedges),
				 errhint("Use fewer steps=, keep fewer events with events=, or roll up fewer entities at once.")));
	p = palloc0(size);
	SET_VARSIZE(p, size);
	p->version = PATHS_FORMAT_VERSION;
	p->entities = set->entities;
	p->options_len = options_len;
	p->nnames = set->nnames;
	p->names_bytes = (int32) names_bytes;
	p->npaths = set->npaths;
	p->nnodes = set->nnodes;
	p->nedges = set->nedges;
	q = (char *) p + sizeof(PathsHeader);
	for (i = 0; i < set->npaths; i++)
	{
		memcpy(q, &set->paths[i].entities, 8);
		memcpy(q + 8, &set->paths[i].converted, 8);
		q += PATHS_PATH_BYTES;
	}
	for (i = 0; i < set->npaths; i++)
		*q++ = (char) (uint8) set->paths[i].len;
	for (i = 0; i < set->npaths; i++)
	{
		memcpy(q, set->nodes + set->paths[i].first, sizeof(int32) * set->paths[i].len);
		q += sizeof(int32) * set->paths[i].len;
	}
	for (i = 0; i < set->nedges; i++)
	{
		memcpy(q, &set->edges[i].entities, 8);
		memcpy(q + 8, &set->edges[i].step, 4);
		memcpy(q + 12, &set->edges[i].from, 4);
		memcpy(q + 16, &set->edges[i].to, 4);
		q += PATHS_EDGE_BYTES;
	}
	memcpy(q, set->name_len, sizeof(int32) * set->nnames);
	q += sizeof(int32) * set->nnames;
	for (i = 0; i < set->nnames; i++)
	{
		memcpy(q, set->names[i], set->name_len[i]);
		q += set->name_len[i];
	}
	memcpy(q, set->options, options_len);
	Assert(q + options_len == (char *) p + size);
	return p;
}

/* a + b for counts of two merged values; 22003 past 64 bits. */
static int64
add_counts(int64 a, int64 b)
{
	int64		sum;

	if (pg_add_s64_overflow(a, b, &sum))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("paths counts overflow 64 bits when merged"),
				 errhint("Roll up values of disjoint entity sets; their entity counts add up.")));
	return sum;
}

/* Path order: node by node (name index order is name order), a prefix first. */
int
paths_nodes_cmp(const int32 *a, int32 alen, const int32 *b, int32 blen)
{
	int32		i;

	for (i = 0; i < alen && i < blen; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return (alen > blen) - (alen < blen);
}

static int
path_qsort_cmp(const void *x, const void *y, void *arg)
{
	const PathEntry *a = (const PathEntry *) x;
	const PathEntry *b = (const PathEntry *) y;
	const int32 *nodes = (const int32 *) arg;

	return paths_nodes_cmp(nodes + a->first, a->len, nodes + b->first, b->len);
}

/* Edge order: step, from, to. */
static int
edge_cmp(const EdgeEntry *a, const EdgeEntry *b)
{
	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	if (a->from != b->from)
		return a->from < b->from ? -1 : 1;
	return (a->to > b->to) - (a->to < b->to);
}

static int
edge_qsort_cmp(const void *x, const void *y)
{
	return edge_cmp((const EdgeEntry *) x, (const EdgeEntry *) y);
}

/*
 * Put a set with ascending distinct names in canonical form, in place:
 * sort paths and edges, fold equal ones (adding their counts when `sum`,
 * else keeping the larger: one entity's set of paths), and drop the names
 * no path uses, renumbering the rest (which keeps every order).
 */
void
paths_sort(PathSet *set, bool sum)
{
	int32	   *nodes = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(int32) * Max(set->nnodes, 1));
	int32	   *renum = palloc(sizeof(int32) * Max(set->nnames, 1));
	int32		i,
				n = 0,
				nn = 0;

	qsort_arg(set->paths, set->npaths, sizeof(PathEntry), path_qsort_cmp, set->nodes);
	for (i = 0; i < set->npaths; i++)
	{
		PathEntry  *e = &set->paths[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (n > 0 && path_qsort_cmp(&set->paths[n - 1], e, set->nodes) == 0)
		{
			PathEntry  *d = &set->paths[n - 1];

			d->entities = sum ? add_counts(d->entities, e->entities) : Max(d->entities, e->entities);
			d->converted = sum ? add_counts(d->converted, e->converted) : Max(d->converted, e->converted);
			continue;
		}
		set->paths[n++] = *e;
	}
	set->npaths = n;
	/* copy the kept paths' nodes in order; the old ranges stay readable */
	for (i = 0; i < set->npaths; i++)
	{
		memcpy(nodes + nn, set->nodes + set->paths[i].first, sizeof(int32) * set->paths[i].len);
		set->paths[i].first = nn;
		nn += set->paths[i].len;
	}
	set->nodes = nodes;
	set->nnodes = nn;

	qsort(set->edges, set->nedges, sizeof(EdgeEntry), edge_qsort_cmp);
	n = 0;
	for (i = 0; i < set->nedges; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (n > 0 && edge_cmp(&set->edges[n - 1], &set->edges[i]) == 0)
		{
			EdgeEntry  *d = &set->edges[n - 1];

			d->entities = sum ? add_counts(d->entities, set->edges[i].entities) :
				Max(d->entities, set->edges[i].entities);
			continue;
		}
		set->edges[n++] = set->edges[i];
	}
	set->nedges = n;

	for (i = 0; i < set->nnames; i++)
		renum[i] = -1;
	for (i = 0; i < set->nnodes; i++)
		renum[set->nodes[i]] = 0;
	n = 0;
	for (i = 0; i < set->nnames; i++)
		if (renum[i] == 0)
		{
			set->names[n] = set->names[i];
			set->name_len[n] = set->name_len[i];
			renum[i] = n++;
		}
	set->nnames = n;
	for (i = 0; i < set->nnodes; i++)
		set->nodes[i] = renum[set->nodes[i]];
	for (i = 0; i < set->nedges; i++)
	{
		set->edges[i].from = renum[set->edges[i].from];
		set->edges[i].to = renum[set->edges[i].to];
	}
	pfree(renum);
}

/* A name of one of the sets merged, for sorting them all. */
typedef struct MergeName
{
	const char *data;
	int32		len;
} MergeName;

static int
merge_name_cmp(const void *x, const void *y)
{
	const MergeName *a = (const MergeName *) x;
	const MergeName *b = (const MergeName *) y;

	return path_name_cmp(a->data, a->len, b->data, b->len);
}

/* Index of a name among n sorted distinct names, or -1. */
static int32
merge_name_find(const MergeName *names, int32 n, const char *data, int32 len)
{
	int32		lo = 0,
				hi = n - 1;

	while (lo <= hi)
	{
		int32		mid = lo + (hi - lo) / 2;
		int			c = path_name_cmp(names[mid].data, names[mid].len, data, len);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * The merge of n canonical sets of the same definition (disjoint
 * entities): names united, counts of equal paths and edges added (22003
 * past 64 bits).  O(T log T) in the total T of their entries, so that
 * rollup can merge many values at once.
 */
PathSet *
paths_merge_many(PathSet *const *sets, int n)
{
	PathSet    *m = palloc0(sizeof(PathSet));
	int64		total_names = 0,
				total_paths = 0,
				total_nodes = 0,
				total_edges = 0;
	MergeName  *names;
	int32		nn = 0,
				k,
				i;
	int32		at_paths = 0,
				at_nodes = 0,
				at_edges = 0;

	for (k = 0; k < n; k++)
	{
		total_names += sets[k]->nnames;
		total_paths += sets[k]->npaths;
		total_nodes += sets[k]->nnodes;
		total_edges += sets[k]->nedges;
	}
	if (total_paths > PG_INT32_MAX / 2 || total_nodes > PG_INT32_MAX / 2 ||
		total_edges > PG_INT32_MAX / 2 || total_names > PG_INT32_MAX / 2)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("paths values are too large to merge"),
				 errhint("Use fewer steps=, keep fewer events with events=, or roll up fewer entities at once.")));
	names = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(MergeName) * Max(total_names, 1));
	for (k = 0; k < n; k++)
		for (i = 0; i < sets[k]->nnames; i++)
		{
			names[nn].data = sets[k]->names[i];
			names[nn++].len = sets[k]->name_len[i];
		}
	qsort(names, nn, sizeof(MergeName), merge_name_cmp);
	m->nnames = 0;
	for (i = 0; i < nn; i++)
		if (m->nnames == 0 || merge_name_cmp(&names[m->nnames - 1], &names[i]) != 0)
			names[m->nnames++] = names[i];
	m->names = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(char *) * Max(m->nnames, 1));
	m->name_len = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(int32) * Max(m->nnames, 1));
	for (i = 0; i < m->nnames; i++)
	{
		m->names[i] = names[i].data;
		m->name_len[i] = names[i].len;
	}
	m->options = n > 0 ? sets[0]->options : "";
	m->entities = 0;
	m->npaths = (int32) total_paths;
	m->nnodes = (int32) total_nodes;
	m->nedges = (int32) total_edges;
	m->paths = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(PathEntry) * Max(total_paths, 1));
	m->nodes = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(int32) * Max(total_nodes, 1));
	m->edges = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(EdgeEntry) * Max(total_edges, 1));
	for (k = 0; k < n; k++)
	{
		const PathSet *s = sets[k];
		int32	   *map = palloc(sizeof(int32) * Max(s->nnames, 1));

		CHECK_FOR_INTERRUPTS();
		m->entities = add_counts(m->entities, s->entities);
		for (i = 0; i < s->nnames; i++)
			map[i] = merge_name_find(names, m->nnames, s->names[i], s->name_len[i]);
		for (i = 0; i < s->nnodes; i++)
			m->nodes[at_nodes + i] = map[s->nodes[i]];
		for (i = 0; i < s->npaths; i++)
		{
			m->paths[at_paths + i] = s->paths[i];
			m->paths[at_paths + i].first += at_nodes;
		}
		for (i = 0; i < s->nedges; i++)
		{
			m->edges[at_edges + i] = s->edges[i];
			m->edges[at_edges + i].from = map[s->edges[i].from];
			m->edges[at_edges + i].to = map[s->edges[i].to];
		}
		at_nodes += s->nnodes;
		at_paths += s->npaths;
		at_edges += s->nedges;
		pfree(map);
	}
	paths_sort(m, true);
	return m;
}

/* The merge of two canonical sets of the same definition (see paths_merge_many). */
PathSet *
paths_merge(const PathSet *a, const PathSet *b)
{
	PathSet    *sets[2];

	sets[0] = (PathSet *) a;
	sets[1] = (PathSet *) b;
	return paths_merge_many(sets, 2);
}

/*
 * Index of a name among a set's sorted distinct names, or -1: a binary
 * search (the walk's anchor, text input's nodes and edges).
 */
int32
paths_find_name(const PathSet *set, const char *name, int32 len)
{
	int32		lo = 0,
				hi = set->nnames - 1;

	while (lo <= hi)
	{
		int32		mid = lo + (hi - lo) / 2;
		int			c = path_name_cmp(set->names[mid], set->name_len[mid], name, len);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* Index of an edge in a canonical set, or -1. */
static int32
find_edge(const PathSet *set, const EdgeEntry *key)
{
	int32		lo = 0,
				hi = set->nedges - 1;

	while (lo <= hi)
	{
		int32		mid = lo + (hi - lo) / 2;
		int			c = edge_cmp(&set->edges[mid], key);

		if (c == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/* What is wrong with the paths of a set (see paths_check), or NULL. */
static const char *
check_paths(const PathSet *set, const PathOptions *opts, bool *used)
{
	int32		anchor = opts->has_anchor ?
		paths_find_name(set, opts->anchor.data, opts->anchor.len) : -1;
	int32		i,
				k;

	if (opts->has_anchor && set->npaths > 0 && anchor < 0)
		return "paths without their anchor";
	for (i = 0; i < set->npaths; i++)
	{
		const PathEntry *e = &set->paths[i];
		const int32 *nodes = set->nodes + e->first;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (e->len < 1 || e->len > opts->steps)
			return "a path is longer than steps= or empty";
		if (e->entities < 1 || e->entities > set->entities)
			return "a path's entities are out of range";
		if (e->converted < 0 || e->converted > e->entities ||
			(!opts->has_conversion && e->converted != 0) ||
			(opts->only == PATHS_ONLY_CONVERTED && e->converted != e->entities) ||
			(opts->only == PATHS_ONLY_UNCONVERTED && e->converted != 0))
			return "a path's converted count does not fit its entities and options";
		for (k = 0; k < e->len; k++)
		{
			if (nodes[k] < 0 || nodes[k] >= set->nnames)
				return "a node names no event";
			if (k > 0 && opts->collapse && nodes[k] == nodes[k - 1])
				return "a path repeats an event under collapse_repeats";
			used[nodes[k]] = true;
		}
		if (anchor >= 0 && nodes[opts->backward ? e->len - 1 : 0] != anchor)
			return "a path does not start (forward) or end (backward) at its anchor";
		if (i > 0 && paths_nodes_cmp(set->nodes + set->paths[i - 1].first,
									 set->paths[i - 1].len, nodes, e->len) >= 0)
			return "paths are not in strictly ascending order";
	}
	return NULL;
}

/*
 * What is wrong with the edges of a set, or NULL: each in range and in
 * order, each path's moves among them, and each edge's entities between
 * the most of one path making its move and the sum over those paths.
 */
static const char *
check_edges(const PathSet *set, const PathOptions *opts)
{
	int64	   *sum = palloc0(sizeof(int64) * Max(set->nedges, 1));
	int64	   *most = palloc0(sizeof(int64) * Max(set->nedges, 1));
	int32		i,
				k;

	for (i = 0; i < set->nedges; i++)
	{
		const EdgeEntry *e = &set->edges[i];

		if (e->step < 1 || e->step >= opts->steps || e->from < 0 || e->from >= set->nnames ||
			e->to < 0 || e->to >= set->nnames)
			return "an edge's step or events are out of range";
		if (e->entities < 1 || e->entities > set->entities)
			return "an edge's entities are out of range";
		if (i > 0 && edge_cmp(&set->edges[i - 1], e) >= 0)
			return "edges are not in strictly ascending order";
	}
	for (i = 0; i < set->npaths; i++)
	{
		const PathEntry *p = &set->paths[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		for (k = 0; k + 1 < p->len; k++)
		{
			EdgeEntry	key;
			int32		at;

			key.step = k + 1;
			key.from = set->nodes[p->first + k];
			key.to = set->nodes[p->first + k + 1];
			if ((at = find_edge(set, &key)) < 0)
				return "a path's move has no edge";
			sum[at] += p->entities;
			most[at] = Max(most[at], p->entities);
		}
	}
	for (i = 0; i < set->nedges; i++)
		if (set->edges[i].entities < most[i] || set->edges[i].entities > sum[i])
			return "an edge's entities do not match the paths making its move";
	return NULL;
}

/*
 * What is wrong with a set from outside (text or binary input), or NULL:
 * names valid, ascending, used, among events=; paths and edges in range, in
 * canonical order and consistent with each other and with the options.
 */
const char *
paths_check(const PathSet *set, const PathOptions *opts)
{
	bool	   *used;
	const char *err;
	int32		i;

	if (set->entities < 0)
		return "negative entities";
	for (i = 0; i < set->nnames; i++)
	{
		if (set->name_len[i] < 0 || set->name_len[i] > PATHS_MAX_NAME)
			return "an event name is too long";
		if (!pg_verify_mbstr(GetDatabaseEncoding(), set->names[i], set->name_len[i], true))
			return "an event name is not valid text in the database encoding";
		if (i > 0 && path_name_cmp(set->names[i - 1], set->name_len[i - 1],
								   set->names[i], set->name_len[i]) >= 0)
			return "event names are not distinct";
		if (!path_options_has_event(opts, set->names[i], set->name_len[i]))
			return "an event is not among events=";
	}
	used = palloc0(sizeof(bool) * Max(set->nnames, 1));
	if ((err = check_paths(set, opts, used)) != NULL)
		return err;
	for (i = 0; i < set->nnames; i++)
		if (!used[i])
			return "an event name is on no path";
	return check_edges(set, opts);
}
