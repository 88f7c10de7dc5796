/*
 * value_pairs.c
 *		The per-group dictionary of (hold, breakdown) value pairs.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "common/pg_compat.h"
#include "common/value_pairs.h"
#include "miscadmin.h"

/* Pairs found by walking the chunk before offsets and a hash table are built. */
#define VALUES_LINEAR_MAX 8

/* Bytes of data[] in a new dictionary: a 64-byte chunk in all. */
#define VALUES_FIRST_DATA (64 - (int) offsetof(ValuePairs, data))

/* Bytes a value takes in the dictionary: its length, 0 for NULL. */
static inline int32
value_bytes(PairValue v)
{
	return v.len < 0 ? 0 : v.len;
}

/* The pair stored at data + off, and the offset of the next one. */
static inline int32
pair_read(const ValuePairs *v, int32 off, PairValue *hold, PairValue *bd)
{
	const char *p = v->data + off;
	int16		hl,
				bl;

	memcpy(&hl, p, 2);
	memcpy(&bl, p + 2, 2);
	hold->len = hl;
	bd->len = bl;
	hold->data = p + VALUE_PAIR_HEADER;
	bd->data = hold->data + value_bytes(*hold);
	return off + VALUE_PAIR_HEADER + value_bytes(*hold) + value_bytes(*bd);
}

/* Hash slots of the dictionary's table: a power of two, 0 while small. */
static inline int32
slot_count(const ValuePairs *v)
{
	return v->slot_bits == 0 ? 0 : (int32) 1 << v->slot_bits;
}

/* Offset of pair i: from the offsets array, or by walking while small. */
static inline int32
pair_offset(const ValuePairs *v, int32 i)
{
	PairValue h,
				b;
	int32		off = 0;

	if (v->offsets != NULL)
		return v->offsets[i];
	while (i-- > 0)
		off = pair_read(v, off, &h, &b);
	return off;
}

/* Pair i's values, wherever the dictionary keeps its offset. */
static inline void
pair_at(const ValuePairs *v, int32 i, PairValue *hold, PairValue *bd)
{
	(void) pair_read(v, pair_offset(v, i), hold, bd);
}

/* Whether two values are the same bytes, or both NULL. */
static inline bool
value_equal(PairValue a, PairValue b)
{
	return a.len == b.len && (a.len <= 0 || memcmp(a.data, b.data, a.len) == 0);
}

/* Hash of a pair for the hash table; NULL hashes apart from empty. */
static uint32
pair_hash(PairValue hold, PairValue bd)
{
	uint64		h = hash_bytes_extended((const unsigned char *) hold.data,
										value_bytes(hold), (uint64) (hold.len < 0));
	uint64		b = hash_bytes_extended((const unsigned char *) bd.data,
										value_bytes(bd), (uint64) (bd.len < 0) + 2);

	return (uint32) hash_combine64(h, b);
}

/* An empty dictionary in the group's memory context. */
ValuePairs *
value_pairs_create(MemoryContext cxt)
{
	ValuePairs *v = MemoryContextAlloc(cxt, offsetof(ValuePairs, data) + VALUES_FIRST_DATA);

	memset(v, 0, offsetof(ValuePairs, data));
	v->size = VALUES_FIRST_DATA;
	v->last = -1;
	return v;
}

/*
 * An empty dictionary in `bytes` bytes at `space`, inside the chunk that
 * starts at `owner` (a state that holds its dictionary itself, so that a
 * row reads one chunk instead of two).  When it outgrows them it moves to
 * a chunk of its own in the owner's memory context; the space stays unused.
 */
ValuePairs *
value_pairs_embed(void *owner, void *space, Size bytes)
{
	ValuePairs *v = (ValuePairs *) space;

	Assert((char *) space > (char *) owner);
	Assert(bytes > offsetof(ValuePairs, data));
	Assert((uintptr_t) space % MAXIMUM_ALIGNOF == 0);
	Assert((char *) space - (char *) owner <= PG_UINT16_MAX);
	memset(v, 0, offsetof(ValuePairs, data));
	v->size = (int32) (bytes - offsetof(ValuePairs, data));
	v->last = -1;
	v->owner_offset = (uint16) ((char *) space - (char *) owner);
	return v;
}

/* The memory context a dictionary lives in, embedded or not. */
static MemoryContext
dictionary_context(const ValuePairs *v)
{
	return GetMemoryChunkContext((char *) v - v->owner_offset);
}

/*
 * The dictionary with data[] of `size` bytes: repalloc'd when it is a chunk
 * of its own, copied out of its owner's chunk when embedded.
 */
static ValuePairs *
dictionary_resize(ValuePairs *v, int64 size)
{
	ValuePairs *moved;

	if (v->owner_offset == 0)
		moved = repalloc(v, offsetof(ValuePairs, data) + size);
	else
	{
		moved = MemoryContextAlloc(dictionary_context(v), offsetof(ValuePairs, data) + size);
		memcpy(moved, v, offsetof(ValuePairs, data) + v->used);
		moved->owner_offset = 0;
	}
	moved->size = (int32) size;
	return moved;
}

/* Make pair i (at offset off) the one the inline lookup checks first. */
static inline uint32
remember(ValuePairs *v, int32 i, int32 off)
{
	v->last = i;
	v->last_offset = off;
	return (uint32) i;
}

/*
 * Build (or rebuild, with room for twice the pairs) the offsets array and
 * the hash table, once the dictionary is past VALUES_LINEAR_MAX pairs.
 */
static void
index_rebuild(ValuePairs *v)
{
	MemoryContext cxt = dictionary_context(v);
	int32		i;
	int32		off = 0;
	int32		nslots;

	if (v->offsets != NULL)
		pfree(v->offsets);
	if (v->slots != NULL)
		pfree(v->slots);
	v->slot_bits = 4;
	while (slot_count(v) < 4 * v->count)
		v->slot_bits++;
	nslots = slot_count(v);
	v->offsets = MemoryContextAlloc(cxt, sizeof(int32) * (nslots / 2));
	v->slots = MemoryContextAlloc(cxt, sizeof(int32) * nslots);
	memset(v->slots, 0xFF, sizeof(int32) * nslots);
	for (i = 0; i < v->count; i++)
	{
		PairValue h,
					b;
		uint32		s;

		v->offsets[i] = off;
		off = pair_read(v, off, &h, &b);
		s = pair_hash(h, b) & (nslots - 1);
		while (v->slots[s] >= 0)
			s = (s + 1) & (nslots - 1);
		v->slots[s] = i;
	}
}

/* The error for a group whose dictionary would outgrow its limits. */
static void
values_limit(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many distinct values in one group: %s", what),
			 errhint("Group by a finer key, or use coarser values (hold, breakdown or touch labels).")));
}

/*
 * value_pairs_intern when the pair is not the previous one: look it up,
 * adding it when new (*vp may move).  A value is compared byte for byte;
 * NULL is a value of its own.
 */
uint32
value_pairs_intern_slow(ValuePairs **vp, PairValue hold, PairValue bd)
{
	ValuePairs *v = *vp;
	PairValue h,
				b;
	int32		i;
	int32		off = 0;
	int32		need;
	int16		len16;
	char	   *p;

	if (v->offsets == NULL)
	{
		for (i = 0; i < v->count; i++)
		{
			int32		next = pair_read(v, off, &h, &b);

			if (value_equal(h, hold) && value_equal(b, bd))
				return remember(v, i, off);
			off = next;
		}
	}
	else
	{
		uint32		s = pair_hash(hold, bd) & (slot_count(v) - 1);

		while ((i = v->slots[s]) >= 0)
		{
			pair_at(v, i, &h, &b);
			if (value_equal(h, hold) && value_equal(b, bd))
				return remember(v, i, v->offsets[i]);
			s = (s + 1) & (slot_count(v) - 1);
		}
	}

	/* a new pair */
	if (value_bytes(hold) > FUNNEL_MAX_VALUE || value_bytes(bd) > FUNNEL_MAX_VALUE)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("funnel_agg %s value is %d bytes long, more than the maximum of %d",
						value_bytes(hold) > FUNNEL_MAX_VALUE ? "hold" : "breakdown",
						Max(value_bytes(hold), value_bytes(bd)), FUNNEL_MAX_VALUE),
				 errhint("Hold or break down by a shorter value, such as an id or a hash.")));
	if (v->count >= VALUE_PAIRS_MAX)
		values_limit(psprintf("more than %d", VALUE_PAIRS_MAX));
	need = VALUE_PAIR_HEADER + value_bytes(hold) + value_bytes(bd);
	if ((int64) v->used + need > v->size)
	{
		int64		size = v->size;

		while ((int64) v->used + need > size)
			size *= 2;
		if (size + offsetof(ValuePairs, data) > MaxAllocSize)
			values_limit("their bytes do not fit in 1 GB");
		CHECK_FOR_INTERRUPTS();
		v = dictionary_resize(v, size);
		*vp = v;
	}
	off = v->used;
	p = v->data + off;
	len16 = (int16) hold.len;
	memcpy(p, &len16, 2);
	len16 = (int16) bd.len;
	memcpy(p + 2, &len16, 2);
	if (hold.len > 0)
		memcpy(p + VALUE_PAIR_HEADER, hold.data, hold.len);
	if (bd.len > 0)
		memcpy(p + VALUE_PAIR_HEADER + value_bytes(hold), bd.data, bd.len);
	v->used += need;
	i = v->count++;
	if (v->offsets != NULL && 2 * v->count <= slot_count(v))
	{
		uint32		s = pair_hash(hold, bd) & (slot_count(v) - 1);

		v->offsets[i] = off;
		while (v->slots[s] >= 0)
			s = (s + 1) & (slot_count(v) - 1);
		v->slots[s] = i;
	}
	else if (v->count > VALUES_LINEAR_MAX)
		index_rebuild(v);
	return remember(v, i, off);
}

/* Pair i's values (pointing into the dictionary). */
void
value_pairs_get(const ValuePairs *v, int32 i, PairValue *hold, PairValue *bd)
{
	pair_at(v, i, hold, bd);
}

/* Canonical order of values: bytes (shorter prefix first), NULL last. */
static int
pair_value_cmp(PairValue a, PairValue b)
{
	int			c;

	if (a.len < 0 || b.len < 0)
		return (a.len < 0) - (b.len < 0);
	c = memcmp(a.data, b.data, Min(a.len, b.len));
	if (c != 0)
		return c < 0 ? -1 : 1;
	return (a.len > b.len) - (a.len < b.len);
}

/*
 * qsort_arg comparator of pair numbers in (hold, breakdown) value order;
 * arg is the ValuePairs they index.  Pairs are distinct, so no two compare
 * equal and the order does not depend on the sort.
 */
static int
pair_cmp(const void *pa, const void *pb, void *arg)
{
	const ValuePairs *v = (const ValuePairs *) arg;
	int32		a = *(const int32 *) pa;
	int32		b = *(const int32 *) pb;
	PairValue ha,
				ba,
				hb,
				bb;
	int			c;

	pair_at(v, a, &ha, &ba);
	pair_at(v, b, &hb, &bb);
	c = pair_value_cmp(ha, hb);
	return c != 0 ? c : pair_value_cmp(ba, bb);
}

/*
 * order[] (count entries) receives the pairs in (hold, breakdown) value
 * order, independent of arrival order: for callers that need only the
 * order, not value_pairs_ranks' ranks and hold classes.
 */
void
value_pairs_order(const ValuePairs *v, int32 *order)
{
	int32		i;

	for (i = 0; i < v->count; i++)
		order[i] = i;
	qsort_arg(order, v->count, sizeof(int32), pair_cmp, (void *) v);
}

/*
 * For each pair: rank[i], its position in (hold, breakdown) value order,
 * and hold_class[i], the position of its hold value among the distinct
 * hold values; order[] receives the pairs in rank order.  All three are
 * independent of arrival order.
 */
void
value_pairs_ranks(const ValuePairs *v, int32 *hold_class, int32 *rank, int32 *order)
{
	int32		i;
	int32		cls = 0;

	value_pairs_order(v, order);
	for (i = 0; i < v->count; i++)
	{
		PairValue h,
					b,
					ph,
					pb;

		pair_at(v, order[i], &h, &b);
		if (i > 0)
		{
			pair_at(v, order[i - 1], &ph, &pb);
			if (!value_equal(h, ph))
				cls++;
		}
		rank[order[i]] = i;
		hold_class[order[i]] = cls;
	}
}

/* Bytes value_pairs_write writes. */
Size
value_pairs_serialized_size(const ValuePairs *v)
{
	return 8 + v->used;
}

/*
 * Write int32 count, int32 bytes, then the pairs as stored (int16 lengths,
 * bytes) at p; return the end.  Native byte order: the state only travels
 * between processes of one server.
 */
char *
value_pairs_write(const ValuePairs *v, char *p)
{
	memcpy(p, &v->count, 4);
	memcpy(p + 4, &v->used, 4);
	memcpy(p + 8, v->data, v->used);
	return p + 8 + v->used;
}

/*
 * Read value_pairs_write's output from *p (not past end), checking every
 * length before use; NULL when it is malformed.  Advances *p.
 */
ValuePairs *
value_pairs_read(const char **p, const char *end, MemoryContext cxt)
{
	ValuePairs *v;
	const char *q;
	const char *stop;
	int32		count;
	int32		bytes;
	int32		i;

	if (end - *p < 8)
		return NULL;
	memcpy(&count, *p, 4);
	memcpy(&bytes, *p + 4, 4);
	q = *p + 8;
	if (count < 0 || count > VALUE_PAIRS_MAX || bytes < 0 || bytes > end - q ||
		count > bytes / VALUE_PAIR_HEADER)
		return NULL;
	stop = q + bytes;
	v = value_pairs_create(cxt);
	for (i = 0; i < count; i++)
	{
		PairValue h,
					b;
		int16		hl,
					bl;

		if ((i & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (stop - q < VALUE_PAIR_HEADER)
			return NULL;
		memcpy(&hl, q, 2);
		memcpy(&bl, q + 2, 2);
		h.len = hl;
		b.len = bl;
		if (h.len < -1 || h.len > FUNNEL_MAX_VALUE || b.len < -1 || b.len > FUNNEL_MAX_VALUE ||
			stop - q - VALUE_PAIR_HEADER < (int64) value_bytes(h) + value_bytes(b))
			return NULL;
		h.data = q + VALUE_PAIR_HEADER;
		b.data = h.data + value_bytes(h);
		q = b.data + value_bytes(b);
		/* a repeated pair would make tags ambiguous */
		if (value_pairs_intern(&v, h, b) != (uint32) i)
			return NULL;
	}
	if (q != stop)
		return NULL;
	*p = stop;
	return v;
}

/*
 * A non-NULL text argument used as a label (attribution touches, lift
 * micro-conversions): its bytes, or an error (54000) naming `what` when it
 * is longer than max_len.
 */
PairValue
text_label_argument(FunctionCallInfo fcinfo, int argno, int max_len, const char *what,
					  const char *hint)
{
	text	   *t = PG_GETARG_TEXT_PP(argno);
	PairValue label;

	label.data = VARDATA_ANY(t);
	label.len = VARSIZE_ANY_EXHDR(t);
	if (label.len > max_len)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s is %d bytes long, more than the maximum of %d", what, label.len, max_len),
				 errhint("%s", hint)));
	return label;
}
