/*
 * paths.h
 *		The `paths` type: a set of entities' distinct paths (sequences of
 *		event names), each with how many entities took it and how many of
 *		those converted, the Sankey edges (step, from, to) with how many
 *		entities made each move, the number of entities, and the definition
 *		(the canonical path_agg options string) they were made with.
 *
 * Stored layout (a varlena; every field read with memcpy, native order):
 *   PathsHeader (40 bytes), then
 *   npaths   x { int64 entities, int64 converted }
 *   npaths   x uint8 node count (1 .. steps)
 *   nnodes   x int32 name index (every path's nodes, in path order)
 *   nedges   x { int64 entities, int32 step, int32 from, int32 to }
 *   nnames   x int32 name length
 *   names_bytes of names (no terminators), then options_len option bytes.
 * Canonical: names are strictly ascending bytewise and each is used by a
 * path; paths are strictly ascending (node by node, a prefix first) by name
 * index, which is name order; edges strictly ascending by (step, from, to).
 * So equal contents are equal bytes, and merging is a linear merge.
 */
#ifndef CONVERSIONS_PATHS_H
#define CONVERSIONS_PATHS_H

#include "postgres.h"

#include "common/pg_compat.h"
#include "fmgr.h"
#include "paths/path_options.h"

#define PATHS_FORMAT_VERSION 1

typedef struct PathsHeader
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* 0 */
	uint16		zero;
	int64		entities;
	int32		options_len;
	int32		nnames;
	int32		names_bytes;
	int32		npaths;
	int32		nnodes;
	int32		nedges;
} PathsHeader;

#define PATHS_PATH_BYTES 16
#define PATHS_EDGE_BYTES 20

/* One path of a PathSet: its nodes are nodes[first .. first + len). */
typedef struct PathEntry
{
	int64		entities;
	int64		converted;
	int32		first;
	int32		len;
} PathEntry;

/* One edge of a PathSet: the move from node `step` to node step + 1 (1-based). */
typedef struct EdgeEntry
{
	int64		entities;
	int32		step;
	int32		from;
	int32		to;
} EdgeEntry;

/*
 * A paths value unpacked for reading, merging and building: names are
 * pointers (into a value or elsewhere) in ascending order.
 */
typedef struct PathSet
{
	const char *options;		/* canonical, NUL-terminated */
	int64		entities;
	int32		nnames;
	const char **names;
	int32	   *name_len;
	int32		npaths;
	PathEntry  *paths;
	int32		nnodes;
	int32	   *nodes;
	int32		nedges;
	EdgeEntry  *edges;
} PathSet;

#define DatumGetPathsP(d) ((PathsHeader *) PG_DETOAST_DATUM(d))
#define PG_GETARG_PATHS_P(n) DatumGetPathsP(PG_GETARG_DATUM(n))
#define PG_RETURN_PATHS_P(p) PG_RETURN_POINTER(p)

#define PATHS_INPUT_HINT \
	"A paths value comes from path_agg or rollup, or from the text form that paths_out writes."

extern void paths_unpack(const PathsHeader *p, PathSet *set);
extern PathsHeader *paths_pack(const PathSet *set);
extern void paths_sort(PathSet *set, bool sum);
extern PathSet *paths_merge(const PathSet *a, const PathSet *b);
extern PathSet *paths_merge_many(PathSet *const *sets, int n);
extern const char *paths_check(const PathSet *set, const PathOptions *opts);
extern int32 paths_find_name(const PathSet *set, const char *name, int32 len);
extern int	paths_nodes_cmp(const int32 *a, int32 alen, const int32 *b, int32 blen);

#endif							/* CONVERSIONS_PATHS_H */
