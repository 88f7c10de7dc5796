/*
 * paths_io.c
 *		Text and binary forms of the `paths` type.
 *
 * The text form is a JSON object:
 *   {"version": 1, "options": "steps=5,direction=forward", "entities": 3,
 *    "paths": [{"path": ["home", "search"], "entities": 2, "converted": 0}],
 *    "edges": [{"step": 1, "from": "home", "to": "search", "entities": 2}]}
 * with paths and edges in the stored (canonical) order.  The binary form
 * holds the same fields, names once each.  Both inputs are checked in full
 * (paths_check) and must be canonical, so a value reads back to the same
 * bytes and text.
 */
#include "postgres.h"

#include "common/binary_input.h"
#include "common/json_input.h"
#include "common/pg_compat.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "paths/paths.h"
#include "utils/builtins.h"
#include "utils/json.h"

PG_FUNCTION_INFO_V1(paths_in);
PG_FUNCTION_INFO_V1(paths_out);
PG_FUNCTION_INFO_V1(paths_recv);
PG_FUNCTION_INFO_V1(paths_send);

/* Append a name as a JSON string. */
static void
append_json_name(StringInfo out, const char *name, int32 len)
{
	escape_json(out, pnstrdup(name, len));
}

/* paths_out: the JSON text form. */
Datum
paths_out(PG_FUNCTION_ARGS)
{
	PathsHeader *p = PG_GETARG_PATHS_P(0);
	PathSet		set;
	StringInfoData out;
	int32		i,
				k;

	paths_unpack(p, &set);
	initStringInfo(&out);
	appendStringInfo(&out, "{\"version\": %d, \"options\": ", PATHS_FORMAT_VERSION);
	escape_json(&out, set.options);
	appendStringInfo(&out, ", \"entities\": " INT64_FORMAT ", \"paths\": [", set.entities);
	for (i = 0; i < set.npaths; i++)
	{
		const PathEntry *e = &set.paths[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&out, i > 0 ? ", {\"path\": [" : "{\"path\": [");
		for (k = 0; k < e->len; k++)
		{
			int32		n = set.nodes[e->first + k];

			if (k > 0)
				appendStringInfoString(&out, ", ");
			append_json_name(&out, set.names[n], set.name_len[n]);
		}
		appendStringInfo(&out, "], \"entities\": " INT64_FORMAT ", \"converted\": " INT64_FORMAT "}",
						 e->entities, e->converted);
	}
	appendStringInfoString(&out, "], \"edges\": [");
	for (i = 0; i < set.nedges; i++)
	{
		const EdgeEntry *e = &set.edges[i];

		appendStringInfo(&out, "%s{\"step\": %d, \"from\": ", i > 0 ? ", " : "", e->step);
		append_json_name(&out, set.names[e->from], set.name_len[e->from]);
		appendStringInfoString(&out, ", \"to\": ");
		append_json_name(&out, set.names[e->to], set.name_len[e->to]);
		appendStringInfo(&out, ", \"entities\": " INT64_FORMAT "}", e->entities);
	}
	appendStringInfoString(&out, "]}");
	PG_RETURN_CSTRING(out.data);
}

/* Name order for qsort of PathName. */
static int
pathname_cmp(const void *a, const void *b)
{
	const PathName *x = (const PathName *) a;
	const PathName *y = (const PathName *) b;

	return path_name_cmp(x->data, x->len, y->data, y->len);
}

/* paths_in: the JSON text form, checked in full; 22P02 on any problem. */
Datum
paths_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	JsonbContainer *root = json_input_begin("paths", "a", PATHS_INPUT_HINT,
											PATHS_FORMAT_VERSION, str);
	JsonbContainer *parr,
			   *earr;
	PathSet		set;
	PathOptions opts;
	PathName   *all;
	int32		nall = 0,
				i,
				k;
	const char *err;

	json_check_nkeys(root, 5);
	set.options = json_get_string(json_get_key(root, "options"), "\"options\"", PATHS_MAX_OPTIONS);
	if (!path_options_from_canonical(set.options, &opts))
		json_input_error("\"options\" is not a path_agg options string in canonical form");
	set.entities = json_get_int(json_get_key(root, "entities"), "\"entities\"", 0, PG_INT64_MAX);
	parr = json_get_array(root, "paths", -1);
	earr = json_get_array(root, "edges", -1);
	set.npaths = (int32) JsonContainerSize(parr);
	set.nedges = (int32) JsonContainerSize(earr);
	set.paths = palloc(sizeof(PathEntry) * Max(set.npaths, 1));
	set.nnodes = 0;
	for (i = 0; i < set.npaths; i++)
	{
		JsonbContainer *obj = json_get_container(json_get_elem(parr, i), false, "a path");
		JsonbContainer *nodes = json_get_array(obj, "path", -1);

		json_check_nkeys(obj, 3);
		set.paths[i].entities = json_get_int(json_get_key(obj, "entities"), "a path's \"entities\"",
											 0, PG_INT64_MAX);
		set.paths[i].converted = json_get_int(json_get_key(obj, "converted"),
											  "a path's \"converted\"", 0, PG_INT64_MAX);
		set.paths[i].len = (int32) JsonContainerSize(nodes);
		if (set.paths[i].len < 1 || set.paths[i].len > PATHS_MAX_STEPS)
			json_input_error(psprintf("a path must have 1 to %d events", PATHS_MAX_STEPS));
		set.paths[i].first = set.nnodes;
		set.nnodes += set.paths[i].len;
	}
	/* the names: every node's, sorted and distinct */
	all = palloc(sizeof(PathName) * Max(set.nnodes, 1));
	for (i = 0; i < set.npaths; i++)
	{
		JsonbContainer *nodes = json_get_array(json_get_container(json_get_elem(parr, i), false,
																   "a path"), "path", -1);

		CHECK_FOR_INTERRUPTS();
		for (k = 0; k < set.paths[i].len; k++)
		{
			all[nall].data = json_get_string(json_get_elem(nodes, k), "an event name",
											 PATHS_MAX_NAME);
			all[nall].len = (int32) strlen(all[nall].data);
			nall++;
		}
	}
	set.nodes = palloc(sizeof(int32) * Max(set.nnodes, 1));
	{
		PathName   *sorted = palloc(sizeof(PathName) * Max(nall, 1));

		memcpy(sorted, all, sizeof(PathName) * nall);
		qsort(sorted, nall, sizeof(PathName), pathname_cmp);
		set.names = palloc(sizeof(char *) * Max(nall, 1));
		set.name_len = palloc(sizeof(int32) * Max(nall, 1));
		set.nnames = 0;
		for (i = 0; i < nall; i++)
			if (set.nnames == 0 || pathname_cmp(&sorted[i], &sorted[i - 1]) != 0)
			{
				set.names[set.nnames] = sorted[i].data;
				set.name_len[set.nnames++] = sorted[i].len;
			}
		for (i = 0; i < nall; i++)
			set.nodes[i] = paths_find_name(&set, all[i].data, all[i].len);
	}
	set.edges = palloc(sizeof(EdgeEntry) * Max(set.nedges, 1));
	for (i = 0; i < set.nedges; i++)
	{
		JsonbContainer *obj = json_get_container(json_get_elem(earr, i), false, "an edge");
		char	   *from,
				   *to;

		json_check_nkeys(obj, 4);
		set.edges[i].step = (int32) json_get_int(json_get_key(obj, "step"), "an edge's \"step\"",
												 1, PATHS_MAX_STEPS);
		from = json_get_string(json_get_key(obj, "from"), "an edge's \"from\"", PATHS_MAX_NAME);
		to = json_get_string(json_get_key(obj, "to"), "an edge's \"to\"", PATHS_MAX_NAME);
		set.edges[i].from = paths_find_name(&set, from, (int32) strlen(from));
		set.edges[i].to = paths_find_name(&set, to, (int32) strlen(to));
		if (set.edges[i].from < 0 || set.edges[i].to < 0)
			json_input_error("an edge names an event that is on no path");
		set.edges[i].entities = json_get_int(json_get_key(obj, "entities"),
											 "an edge's \"entities\"", 0, PG_INT64_MAX);
	}
	if ((err = paths_check(&set, &opts)) != NULL)
		json_input_error(err);
	PG_RETURN_PATHS_P(paths_pack(&set));
}

/* Read an int32 count of items of at least `item` bytes each, bounded by what is left. */
static int32
recv_count(StringInfo buf, int item)
{
	int32		n;

	binary_input_need(buf, 4, "paths");
	n = (int32) pq_getmsgint(buf, 4);
	if (n < 0 || (int64) n * item > buf->len - buf->cursor)
		binary_input_error("paths", "a count does not fit the message");
	return n;
}

/*
 * Read a length-prefixed string of at most max_len bytes without a NUL:
 * the bytes in the message (not terminated), which outlives the value.
 */
static const char *
recv_bytes(StringInfo buf, int max_len, int32 *len)
{
	const char *s;

	*len = recv_count(buf, 1);
	if (*len > max_len)
		binary_input_error("paths", "a string is too long");
	s = pq_getmsgbytes(buf, *len);
	if (memchr(s, '\0', *len) != NULL)
		binary_input_error("paths", "a string holds a NUL byte");
	return s;
}

/* Read a length-prefixed string of at most max_len bytes, as a C string. */
static char *
recv_string(StringInfo buf, int max_len, int32 *len)
{
	const char *s = recv_bytes(buf, max_len, len);

	return pnstrdup(s, *len);
}

/* paths_recv: the binary form, checked in full; 22P03 on any problem. */
Datum
paths_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	PathSet		set;
	PathOptions opts;
	int32		len,
				i,
				k;
	const char *err;

	binary_input_need(buf, 1, "paths");
	binary_input_version(buf, "paths", PATHS_FORMAT_VERSION);
	set.options = recv_string(buf, PATHS_MAX_OPTIONS, &len);
	if (!path_options_from_canonical(set.options, &opts))
		binary_input_error("paths", "the options are not a path_agg options string in canonical form");
	binary_input_need(buf, 8, "paths");
	set.entities = (int64) pq_getmsgint64(buf);
	/*
	 * Every name takes 8 bytes of what is left: its length here, and at
	 * least one node below (paths_check refuses a name on no path).  So
	 * each of the names' arrays (8 and 4 bytes a name) is no larger than
	 * the message, and the names themselves stay in the message.
	 */
	set.nnames = recv_count(buf, 8);
	set.names = palloc(sizeof(char *) * Max(set.nnames, 1));
	set.name_len = palloc(sizeof(int32) * Max(set.nnames, 1));
	for (i = 0; i < set.nnames; i++)
	{
		CHECK_FOR_INTERRUPTS();
		set.names[i] = recv_bytes(buf, PATHS_MAX_NAME, &set.name_len[i]);
	}
	set.npaths = recv_count(buf, 24);
	set.paths = palloc(sizeof(PathEntry) * Max(set.npaths, 1));
	/* every node takes 4 bytes of what is left */
	set.nodes = palloc(sizeof(int32) * Max((buf->len - buf->cursor) / 4, 1));
	set.nnodes = 0;
	for (i = 0; i < set.npaths; i++)
	{
		binary_input_need(buf, 20, "paths");
		set.paths[i].entities = (int64) pq_getmsgint64(buf);
		set.paths[i].converted = (int64) pq_getmsgint64(buf);
		set.paths[i].len = (int32) pq_getmsgint(buf, 4);
		if (set.paths[i].len < 1 || set.paths[i].len > PATHS_MAX_STEPS)
			binary_input_error("paths", "a path's length is out of range");
		set.paths[i].first = set.nnodes;
		binary_input_need(buf, (int64) 4 * set.paths[i].len, "paths");
		for (k = 0; k < set.paths[i].len; k++)
			set.nodes[set.nnodes++] = (int32) pq_getmsgint(buf, 4);
	}
	/*
	 * Every edge is a move of a path (paths_check refuses one that no path
	 * makes), and a move makes one edge: there are at most nnodes - npaths.
	 * So with its 20 bytes here and a node's 4 above, each edge has 24
	 * bytes of the message, as many as the edges' array takes.
	 */
	set.nedges = recv_count(buf, 20);
	if (set.nedges > set.nnodes - set.npaths)
		binary_input_error("paths", "more edges than the paths have moves");
	set.edges = palloc(sizeof(EdgeEntry) * Max(set.nedges, 1));
	for (i = 0; i < set.nedges; i++)
	{
		set.edges[i].step = (int32) pq_getmsgint(buf, 4);
		set.edges[i].from = (int32) pq_getmsgint(buf, 4);
		set.edges[i].to = (int32) pq_getmsgint(buf, 4);
		set.edges[i].entities = (int64) pq_getmsgint64(buf);
	}
	if (buf->cursor != buf->len)
		binary_input_error("paths", "trailing bytes");
	if ((err = paths_check(&set, &opts)) != NULL)
		binary_input_error("paths", err);
	PG_RETURN_PATHS_P(paths_pack(&set));
}

/* paths_send: the binary form (see paths_recv). */
Datum
paths_send(PG_FUNCTION_ARGS)
{
	PathsHeader *p = PG_GETARG_PATHS_P(0);
	PathSet		set;
	StringInfoData buf;
	int32		i,
				k;

	paths_unpack(p, &set);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, PATHS_FORMAT_VERSION);
	pq_sendint32(&buf, (int32) strlen(set.options));
	pq_sendbytes(&buf, set.options, strlen(set.options));
	pq_sendint64(&buf, set.entities);
	pq_sendint32(&buf, set.nnames);
	for (i = 0; i < set.nnames; i++)
	{
		pq_sendint32(&buf, set.name_len[i]);
		pq_sendbytes(&buf, set.names[i], set.name_len[i]);
	}
	pq_sendint32(&buf, set.npaths);
	for (i = 0; i < set.npaths; i++)
	{
		pq_sendint64(&buf, set.paths[i].entities);
		pq_sendint64(&buf, set.paths[i].converted);
		pq_sendint32(&buf, set.paths[i].len);
		for (k = 0; k < set.paths[i].len; k++)
			pq_sendint32(&buf, set.nodes[set.paths[i].first + k]);
	}
	pq_sendint32(&buf, set.nedges);
	for (i = 0; i < set.nedges; i++)
	{
		pq_sendint32(&buf, set.edges[i].step);
		pq_sendint32(&buf, set.edges[i].from);
		pq_sendint32(&buf, set.edges[i].to);
		pq_sendint64(&buf, set.edges[i].entities);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
