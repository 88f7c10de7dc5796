/*
 * paths_report.c
 *		The reports of a paths value: entities, paths_count, top_paths and
 *		path_edges.
 *
 * The reports order names as text sorts them (the database's default
 * collation), so that top_paths' ties and path_edges' order are what an
 * ORDER BY over the same text[] or text columns gives.
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "catalog/pg_type.h"
#include "common/pg_compat.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "paths/paths.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/varlena.h"

PG_FUNCTION_INFO_V1(paths_entities);
PG_FUNCTION_INFO_V1(paths_count);
PG_FUNCTION_INFO_V1(paths_top_paths);
PG_FUNCTION_INFO_V1(paths_edges);

/* entities(paths): the entities aggregated, with or without a path. */
Datum
paths_entities(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_PATHS_P(0)->entities);
}

/* paths_count(paths): how many distinct paths the value holds. */
Datum
paths_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_PATHS_P(0)->npaths);
}

/* Two names in text order (the default collation). */
static int
name_text_cmp(const PathSet *s, int32 a, int32 b)
{
	if (a == b)
		return 0;
	return varstr_cmp(s->names[a], s->name_len[a], s->names[b], s->name_len[b],
					  DEFAULT_COLLATION_OID);
}

/* The set a report's sort compares in. */
static const PathSet *sort_set;

/* top_paths order: entities descending, then the path as text[] ascending. */
static int
top_path_cmp(const void *x, const void *y)
{
	const PathEntry *a = &sort_set->paths[*(const int32 *) x];
	const PathEntry *b = &sort_set->paths[*(const int32 *) y];
	int32		k;

	if (a->entities != b->entities)
		return a->entities > b->entities ? -1 : 1;
	for (k = 0; k < a->len && k < b->len; k++)
	{
		int			c = name_text_cmp(sort_set, sort_set->nodes[a->first + k],
									  sort_set->nodes[b->first + k]);

		if (c != 0)
			return c;
	}
	return (a->len > b->len) - (a->len < b->len);
}

/* path_edges order: step, entities descending, from, to. */
static int
edge_report_cmp(const void *x, const void *y)
{
	const EdgeEntry *a = &sort_set->edges[*(const int32 *) x];
	const EdgeEntry *b = &sort_set->edges[*(const int32 *) y];
	int			c;

	if (a->step != b->step)
		return a->step < b->step ? -1 : 1;
	if (a->entities != b->entities)
		return a->entities > b->entities ? -1 : 1;
	if ((c = name_text_cmp(sort_set, a->from, b->from)) != 0)
		return c;
	return name_text_cmp(sort_set, a->to, b->to);
}

/* What a report's calls share: the value and its rows' order. */
typedef struct ReportState
{
	PathSet		set;
	int32	   *order;
	bool		has_conversion;
} ReportState;

/*
 * First call of a report: the value unpacked and its paths (or edges)
 * sorted in report order, in the calls' memory; NULL for a NULL value.
 */
static ReportState *
report_begin(FunctionCallInfo fcinfo, FuncCallContext *funcctx, bool edges)
{
	MemoryContext old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
	TupleDesc	tupdesc;
	ReportState *r = NULL;
	PathOptions opts;
	int32		n,
				i;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "a paths report must return a composite type");
	funcctx->tuple_desc = BlessTupleDesc(tupdesc);
	funcctx->max_calls = 0;
	if (!PG_ARGISNULL(0))
	{
		r = palloc(sizeof(ReportState));
		paths_unpack(PG_GETARG_PATHS_P(0), &r->set);
		r->has_conversion = path_options_from_canonical(r->set.options, &opts) &&
			opts.has_conversion;
		n = edges ? r->set.nedges : r->set.npaths;
		r->order = palloc(sizeof(int32) * Max(n, 1));
		for (i = 0; i < n; i++)
			r->order[i] = i;
		sort_set = &r->set;
		qsort(r->order, n, sizeof(int32), edges ? edge_report_cmp : top_path_cmp);
		sort_set = NULL;
		funcctx->max_calls = n;
	}
	funcctx->user_fctx = r;
	MemoryContextSwitchTo(old);
	return r;
}

/*
 * top_paths(p, k): the k paths most entities took (all with k NULL), with
 * their share of entities(p) and, with conversion=, how many converted.
 */
Datum
paths_top_paths(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	ReportState *r;
	const PathEntry *e;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	Datum	   *elems;
	int32		i,
				k;

	if (SRF_IS_FIRSTCALL())
	{
		if (!PG_ARGISNULL(1) && PG_GETARG_INT32(1) < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("top_paths k must be at least 1, got %d", PG_GETARG_INT32(1)),
					 errhint("Pass how many paths to list, or NULL for all of them.")));
		funcctx = SRF_FIRSTCALL_INIT();
		r = report_begin(fcinfo, funcctx, false);
		if (r != NULL && !PG_ARGISNULL(1))
			funcctx->max_calls = Min(funcctx->max_calls, (uint64) PG_GETARG_INT32(1));
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr >= funcctx->max_calls)
		SRF_RETURN_DONE(funcctx);
	r = (ReportState *) funcctx->user_fctx;
	i = (int32) funcctx->call_cntr;
	e = &r->set.paths[r->order[i]];
	elems = palloc(sizeof(Datum) * e->len);
	for (k = 0; k < e->len; k++)
	{
		int32		n = r->set.nodes[e->first + k];

		elems[k] = PointerGetDatum(cstring_to_text_with_len(r->set.names[n], r->set.name_len[n]));
	}
	values[0] = Int32GetDatum(i + 1);
	values[1] = PointerGetDatum(construct_array(elems, e->len, TEXTOID, -1, false, TYPALIGN_INT));
	values[2] = Int64GetDatum(e->entities);
	values[3] = Float8GetDatum((double) e->entities / (double) r->set.entities);
	if (r->has_conversion)
	{
		values[4] = Int64GetDatum(e->converted);
		values[5] = Float8GetDatum((double) e->converted / (double) e->entities);
	}
	else
		nulls[4] = nulls[5] = true;
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
															   values, nulls)));
}

/*
 * path_edges(p): the Sankey edge list: per step, each move with the
 * entities that made it.
 */
Datum
paths_edges(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	ReportState *r;
	const EdgeEntry *e;
	Datum		values[4];
	bool		nulls[4] = {false, false, false, false};

	if (SRF_IS_FIRSTCALL())
	{
		funcctx = SRF_FIRSTCALL_INIT();
		report_begin(fcinfo, funcctx, true);
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr >= funcctx->max_calls)
		SRF_RETURN_DONE(funcctx);
	r = (ReportState *) funcctx->user_fctx;
	e = &r->set.edges[r->order[funcctx->call_cntr]];
	values[0] = Int32GetDatum(e->step);
	values[1] = PointerGetDatum(cstring_to_text_with_len(r->set.names[e->from],
														 r->set.name_len[e->from]));
	values[2] = PointerGetDatum(cstring_to_text_with_len(r->set.names[e->to],
														 r->set.name_len[e->to]));
	values[3] = Int64GetDatum(e->entities);
	SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc,
															   values, nulls)));
}
