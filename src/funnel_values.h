/*
 * funnel_values.h
 *		One group's distinct (hold, breakdown) value pairs, so that each
 *		stored event carries a 4-byte tag instead of the values themselves.
 *
 * funnel_agg's hold-constant and breakdown arguments are text; most rows
 * of an entity repeat the values of the row before, so the dictionary
 * checks the previous entry first, then a linear scan while it is small,
 * then a hash table.  Tags are arrival order; funnel_values_ranks gives
 * the canonical (value) order the final function uses, so results never
 * depend on the order rows or partial states arrived in.
 */
#ifndef CONVERSIONS_FUNNEL_VALUES_H
#define CONVERSIONS_FUNNEL_VALUES_H

#include "postgres.h"

#include "utils/memutils.h"

/* Longest hold or breakdown value, in bytes. */
#define FUNNEL_MAX_VALUE 8192

/* Most distinct (hold, breakdown) pairs in one group. */
#define FUNNEL_MAX_VALUE_PAIRS (1 << 24)

typedef struct FunnelValues
{
	int32		count;			/* distinct pairs */
	int32		capacity;		/* room in offsets[] */
	int32		last;			/* pair of the previous lookup, or -1 */
	int32		nslots;			/* hash slots (power of two), 0 while small */
	Size		used;			/* bytes of data[] in use */
	Size		size;			/* bytes allocated for data[] */
	int32	   *offsets;		/* pair i starts at data + offsets[i] */
	int32	   *slots;			/* pair index or -1 */
	char	   *data;			/* per pair: int32 hold_len, int32 bd_len, bytes */
} FunnelValues;

/* A value: bytes and length, or len < 0 for NULL. */
typedef struct FunnelValue
{
	const char *data;
	int32		len;
} FunnelValue;

extern FunnelValues *funnel_values_create(MemoryContext cxt);
extern uint32 funnel_values_intern(FunnelValues *v, FunnelValue hold, FunnelValue bd);
extern void funnel_values_get(const FunnelValues *v, int32 i, FunnelValue *hold, FunnelValue *bd);
extern void funnel_values_ranks(const FunnelValues *v, int32 *hold_class, int32 *rank);
extern Size funnel_values_serialized_size(const FunnelValues *v);
extern char *funnel_values_write(const FunnelValues *v, char *p);
extern FunnelValues *funnel_values_read(const char **p, const char *end,
										MemoryContext cxt);
extern int	funnel_value_cmp(FunnelValue a, FunnelValue b);

#endif							/* CONVERSIONS_FUNNEL_VALUES_H */
