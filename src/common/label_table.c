/*
 * label_table.c
 *		Lookup, checks and merging of sorted label tables (see the header).
 */
#include "postgres.h"

#include "common/label_table.h"
#include "common/pg_compat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"

/* Label order: bytes, then length (a prefix comes first). */
static int
label_cmp(const char *a, int32 alen, const char *b, int32 blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c < 0 ? -1 : 1;
	return (alen > blen) - (alen < blen);
}

/* Index of the entry labelled `label`, or -1: binary search. */
static int32
label_table_find(const LabelTable *t, const char *label, int32 len)
{
	int32		lo = 0,
				hi = t->n - 1;

	while (lo <= hi)
	{
		int32		mid = lo + (hi - lo) / 2;
		int32		mlen;
		const char *m = label_table_label(t, mid, &mlen);
		int			c = label_cmp(m, mlen, label, len);

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
 * What is wrong with a table from outside, or NULL: labels must be packed
 * in entry order, at most max_len bytes, valid text in the database
 * encoding and strictly ascending, and fill label_bytes exactly.
 */
const char *
label_table_check(const LabelTable *t, int32 label_bytes, int32 max_len)
{
	int64		off = 0;
	int32		i;

	for (i = 0; i < t->n; i++)
	{
		const char *e = t->entries + (Size) i * t->stride + t->label_field;
		int32		eoff,
					len,
					plen;
		const char *label;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		memcpy(&eoff, e, sizeof(int32));
		memcpy(&len, e + sizeof(int32), sizeof(int32));
		if (eoff != off || len < 0 || len > max_len || off + len > label_bytes)
			return "label offsets out of order";
		label = t->bytes + off;
		if (!pg_verify_mbstr(GetDatabaseEncoding(), label, len, true))
			return "a label is not valid text in the database encoding";
		if (i > 0)
		{
			const char *prev = label_table_label(t, i - 1, &plen);

			if (label_cmp(prev, plen, label, len) >= 0)
				return "labels are not in strictly ascending order";
		}
		off += len;
	}
	if (off != label_bytes)
		return "label bytes do not match the labels";
	return NULL;
}

/*
 * Merge tables a and b (same stride and layout) into out, in label order:
 * entries of one table are copied, entries with the same label in both are
 * added with add(dst, src).  labels[] receives each output entry's label
 * bytes (label_off of the output is left to the caller).  Returns the count.
 */
int32
label_table_merge(const LabelTable *a, const LabelTable *b, char *out,
				  const char **labels, void (*add) (void *dst, const void *src))
{
	int32		i = 0,
				j = 0,
				n = 0;

	while (i < a->n || j < b->n)
	{
		int32		alen = 0,
					blen = 0;
		const char *al = i < a->n ? label_table_label(a, i, &alen) : NULL;
		const char *bl = j < b->n ? label_table_label(b, j, &blen) : NULL;
		int			c = al == NULL ? 1 : bl == NULL ? -1 : label_cmp(al, alen, bl, blen);
		char	   *dst = out + (Size) n * a->stride;

		if ((n & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (c <= 0)
		{
			memcpy(dst, a->entries + (Size) i * a->stride, a->stride);
			labels[n] = al;
			if (c == 0)
				add(dst, b->entries + (Size) j++ * b->stride);
			i++;
		}
		else
		{
			memcpy(dst, b->entries + (Size) j * b->stride, b->stride);
			labels[n] = bl;
			j++;
		}
		n++;
	}
	return n;
}

/*
 * When every label of src is in dst, add src's entries into dst's (whose
 * memory the caller owns) and return true; otherwise change nothing and
 * return false, so the caller builds a merged value instead.
 */
bool
label_table_add_in_place(const LabelTable *dst, const LabelTable *src,
						 void (*add) (void *dst, const void *src))
{
	int32	   *at = palloc(sizeof(int32) * Max(src->n, 1));
	int32		i;

	for (i = 0; i < src->n; i++)
	{
		int32		len;
		const char *label = label_table_label(src, i, &len);

		if ((at[i] = label_table_find(dst, label, len)) < 0)
		{
			pfree(at);
			return false;
		}
	}
	for (i = 0; i < src->n; i++)
		add((char *) dst->entries + (Size) at[i] * dst->stride,
			src->entries + (Size) i * src->stride);
	pfree(at);
	return true;
}
