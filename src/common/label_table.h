/*
 * label_table.h
 *		The per-label entries of the attribution and lift types: fixed-size
 *		entries in label byte order, each with an (offset, length) pair into
 *		the packed label bytes that follow them.  Looking labels up, checking
 *		them and merging two tables are the same for both types.
 */
#ifndef CONVERSIONS_LABEL_TABLE_H
#define CONVERSIONS_LABEL_TABLE_H

#include "postgres.h"

#include "common/pg_compat.h"

/* A view of a value's entries; `label_field` is the offset of int32 label_off, then int32 label_len. */
typedef struct LabelTable
{
	const char *entries;
	Size		stride;
	Size		label_field;
	int32		n;
	const char *bytes;
} LabelTable;

/* Entry i's label bytes and length. */
static inline const char *
label_table_label(const LabelTable *t, int32 i, int32 *len)
{
	const char *e = t->entries + (Size) i * t->stride + t->label_field;
	int32		off;

	memcpy(&off, e, sizeof(int32));
	memcpy(len, e + sizeof(int32), sizeof(int32));
	return t->bytes + off;
}

extern const char *label_table_check(const LabelTable *t, int32 label_bytes, int32 max_len);
extern bool label_table_add_in_place(const LabelTable *dst, const LabelTable *src,
									 void (*add) (void *dst, const void *src));
extern int32 label_table_merge(const LabelTable *a, const LabelTable *b, char *out,
							   const char **labels, void (*add) (void *dst, const void *src));

#endif							/* CONVERSIONS_LABEL_TABLE_H */
