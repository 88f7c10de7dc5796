/*
 * id_set.h
 *		Exact sets of int64 ids, Roaring-like: ids are grouped in containers
 *		by their high 48 bits (with the sign bit flipped, so that unsigned
 *		order is the ids' order); a container holds the low 16 bits of its
 *		ids as a sorted array of uint16 when it has at most 4096 of them,
 *		else as a bitmap of 65536 bits.
 *
 * Two forms:
 *
 *   IdSet     the mutable form, in one memory context: containers in
 *             insertion order found through a hash table, so that adding an
 *             id or OR-ing a flat set in costs no more than the containers
 *             it touches.
 *   flat      the canonical bytes (equal sets give equal bytes), 8-byte
 *             aligned, in native byte order:
 *               uint64 n                       number of containers
 *               uint64 dir[n]                  (key << 16) | (cardinality - 1),
 *                                              strictly ascending
 *               uint64 bitmaps[][1024]         the containers of more than
 *                                              4096 ids, in key order
 *               uint16 arrays[]                then the others' ids, in key
 *                                              order, each array ascending
 *               zero padding to a multiple of 8 bytes
 *             8 bytes per container, 2 bytes per id in a container of at
 *             most 4096 ids, 8192 bytes per container of more.
 *
 * The module knows no feature: a set's owner checks sizes against its
 * limits (id_set_flat_size is kept current) and names them in its errors.
 */
#ifndef CONVERSIONS_ID_SET_H
#define CONVERSIONS_ID_SET_H

#include "postgres.h"

#include "common/pg_compat.h"

/* Most ids a container keeps as an array; more become a bitmap. */
#define ID_SET_ARRAY_MAX 4096
/* 64-bit words of a bitmap container. */
#define ID_SET_BITMAP_WORDS 1024

/* One container of the mutable form. */
typedef struct IdSetContainer
{
	uint64		key;			/* (id ^ sign bit) >> 16 */
	int32		card;			/* ids held, 1 .. 65536 (0 only while being filled) */
	int32		cap;			/* array: uint16 slots allocated; bitmap: -1.  The
								 * mutable form keeps at most 512 ids in an
								 * array (id_set.c), the flat form 4096 */
	void	   *data;			/* uint16 ids ascending, or uint64 words[1024] */
} IdSetContainer;

/* The mutable form. */
typedef struct IdSet
{
	MemoryContext mcxt;			/* where every part lives */
	IdSetContainer *c;			/* in insertion order */
	int32		n;
	int32		cap;
	int32	   *hash;			/* slot -> container index + 1, 0 when free */
	int32		hash_size;		/* power of two, > 2 * n */
	int32		last;			/* container of the last id added, or -1 */
	int64		card;			/* ids in the set */
	int64		nbitmaps;		/* containers of more than 4096 ids */
	int64		array_ids;		/* ids in containers of at most 4096 ids */
	Size		limit;			/* most bytes of the flat form, 0 for no limit */
	const char *limit_hint;		/* the owner's hint for the error past it */
} IdSet;

/* Iteration over a flat set's ids, as runs of consecutive ids. */
typedef struct IdSetIter
{
	const char *flat;
	uint64		n;				/* containers */
	uint64		i;				/* next container */
	const uint64 *bitmap;		/* next bitmap container's words */
	const uint16 *array;		/* next array container's ids */
	int32		pos;			/* next low 16 bits (bitmap) or array slot */
	bool		pending;		/* a run is being extended */
	int64		lo;
	int64		hi;
} IdSetIter;

extern void id_set_init(IdSet *s, MemoryContext mcxt);
extern void id_set_add(IdSet *s, int64 id);
extern void id_set_check_limit(const IdSet *s);
extern void id_set_add_range(IdSet *s, int64 lo, int64 hi);
extern void id_set_union_flat(IdSet *s, const char *flat);
extern Size id_set_flat_size(const IdSet *s);
extern void id_set_flatten(const IdSet *s, char *out);

extern Size id_set_flat_bytes(const char *flat);
extern int64 id_set_flat_card(const char *flat);
extern const char *id_set_flat_check(const char *flat, Size avail, Size *used);
extern bool id_set_flat_subset(const char *a, const char *b);
extern int64 id_set_flat_count_outside(const char *a, const char *b);
extern void id_set_iter_init(IdSetIter *it, const char *flat);
extern bool id_set_iter_next(IdSetIter *it, int64 *lo, int64 *hi);

/* Bytes of an empty flat set. */
#define ID_SET_EMPTY_FLAT_SIZE 8

#endif							/* CONVERSIONS_ID_SET_H */
