/*
 * value_pairs.h
 *		One group's distinct (hold, breakdown) value pairs, so that each
 *		stored event carries a 4-byte tag instead of the values themselves.
 *
 * funnel_agg's hold-constant and breakdown arguments are text; most rows
 * of an entity repeat the values of the row before, so the dictionary
 * checks the previous entry first, then a linear scan while it is small,
 * then a hash table.  Tags are arrival order; value_pairs_ranks gives
 * the canonical (value) order the final function uses, so results never
 * depend on the order rows or partial states arrived in.
 */
#ifndef CONVERSIONS_VALUE_PAIRS_H
#define CONVERSIONS_VALUE_PAIRS_H

#include "postgres.h"

#include "common/limits.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "utils/memutils.h"

/*
 * One chunk: this header, then the pairs' bytes (per pair: int16 hold
 * length, int16 breakdown length, -1 for NULL, then the bytes), so that the
 * common lookup (the previous row's pair again) touches one place and a
 * group with a few short values costs one 64-byte chunk.  A state may
 * instead hold a small dictionary in its own chunk (value_pairs_embed), so
 * that a row reads one chunk, not two.  It moves when it grows (an
 * embedded one to a chunk of its own), hence the ValuePairs ** of
 * value_pairs_intern.
 */
typedef struct ValuePairs
{
	int32	   *offsets;		/* pair i at data + offsets[i]; NULL while small */
	int32	   *slots;			/* pair index or -1 */
	int32		count;			/* distinct pairs */
	int32		last;			/* pair of the previous lookup, or -1 */
	int32		last_offset;	/* its offset in data[] */
	int32		used;			/* bytes of data[] in use */
	int32		size;			/* bytes allocated for data[] */
	uint16		owner_offset;	/* 0: a chunk of its own; else embedded in a
								 * state, this many bytes after the start of
								 * the state's chunk (value_pairs_embed) */
	uint8		slot_bits;		/* log2 of the hash slots, 0 while small */
	char		data[FLEXIBLE_ARRAY_MEMBER];
} ValuePairs;

/* Bytes before a pair's values. */
#define VALUE_PAIR_HEADER 4

/* A value: bytes and length, or len < 0 for NULL. */
typedef struct PairValue
{
	const char *data;
	int32		len;
} PairValue;

extern ValuePairs *value_pairs_create(MemoryContext cxt);
extern ValuePairs *value_pairs_embed(void *owner, void *space, Size bytes);
extern uint32 value_pairs_intern_slow(ValuePairs **vp, PairValue hold, PairValue bd);
extern void value_pairs_get(const ValuePairs *v, int32 i, PairValue *hold, PairValue *bd);
extern void value_pairs_order(const ValuePairs *v, int32 *order);
extern void value_pairs_ranks(const ValuePairs *v, int32 *hold_class, int32 *rank,
								int32 *order);
extern Size value_pairs_serialized_size(const ValuePairs *v);
extern char *value_pairs_write(const ValuePairs *v, char *p);
extern ValuePairs *value_pairs_read(const char **p, const char *end,
										MemoryContext cxt);
extern PairValue text_label_argument(FunctionCallInfo fcinfo, int argno, int max_len,
										 const char *what, const char *hint);

/*
 * The tag of a (hold, breakdown) pair, adding it when new.  Inline for the
 * common case of a row repeating the previous row's pair.
 */
static inline uint32
value_pairs_intern(ValuePairs **vp, PairValue hold, PairValue bd)
{
	const ValuePairs *v = *vp;

	if (v->last >= 0)
	{
		const char *p = v->data + v->last_offset;
		int16		hl,
					bl;

		memcpy(&hl, p, 2);
		memcpy(&bl, p + 2, 2);
		p += VALUE_PAIR_HEADER;
		if (hl == hold.len && bl == bd.len &&
			(hold.len <= 0 || memcmp(p, hold.data, hold.len) == 0) &&
			(bd.len <= 0 || memcmp(p + Max(hold.len, 0), bd.data, bd.len) == 0))
			return (uint32) v->last;
	}
	return value_pairs_intern_slow(vp, hold, bd);
}

#endif							/* CONVERSIONS_VALUE_PAIRS_H */
