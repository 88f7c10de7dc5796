/*
 * funnel_values.c
 *		The per-group dictionary of (hold, breakdown) value pairs.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "funnel_values.h"
#include "miscadmin.h"

/* Pairs kept in a plain list before a hash table is built. */
#define VALUES_LINEAR_MAX 8

/* Serialized pair header: int32 hold_len, int32 bd_len (-1 for NULL). */
#define PAIR_HEADER 8

static inline int32
value_bytes(FunnelValue v)
{
	return v.len < 0 ? 0 : v.len;
}

/* Stored bytes of pair i. */
static inline void
pair_at(const FunnelValues *v, int32 i, FunnelValue *hold, FunnelValue *bd)
{
	const char *p = v->data + v->offsets[i];

	memcpy(&hold->len, p, 4);
	memcpy(&bd->len, p + 4, 4);
	hold->data = p + PAIR_HEADER;
	bd->data = hold->data + value_bytes(*hold);
}

static inline bool
value_equal(FunnelValue a, FunnelValue b)
{
	return a.len == b.len && (a.len <= 0 || memcmp(a.data, b.data, a.len) == 0);
}

static inline bool
pair_equal(const FunnelValues *v, int32 i, FunnelValue hold, FunnelValue bd)
{
	FunnelValue h,
				b;

	pair_at(v, i, &h, &b);
	return value_equal(h, hold) && value_equal(b, bd);
}

static uint32
pair_hash(FunnelValue hold, FunnelValue bd)
{
	uint64		h = hash_bytes_extended((const unsigned char *) hold.data,
										value_bytes(hold), (uint64) (hold.len < 0));
	uint64		b = hash_bytes_extended((const unsigned char *) bd.data,
										value_bytes(bd), (uint64) (bd.len < 0) + 2);

	return (uint32) hash_combine64(h, b);
}

/* Bytes of data[] in a new dictionary: a 128-byte chunk in all. */
#define VALUES_FIRST_DATA (128 - (int) offsetof(FunnelValues, data))

/* An empty dictionary in the group's memory context. */
FunnelValues *
funnel_values_create(MemoryContext cxt)
{
	FunnelValues *v = MemoryContextAlloc(cxt, offsetof(FunnelValues, data) + VALUES_FIRST_DATA);

	memset(v, 0, offsetof(FunnelValues, data));
	v->capacity = 4;
	v->offsets = MemoryContextAlloc(cxt, sizeof(int32) * v->capacity);
	v->size = VALUES_FIRST_DATA;
	v->last = -1;
	return v;
}

/* Make pair i the one the inline lookup checks first. */
static inline uint32
remember(FunnelValues *v, int32 i)
{
	FunnelValue h,
				b;

	pair_at(v, i, &h, &b);
	v->last = i;
	v->last_hold_len = h.len;
	v->last_bd_len = b.len;
	v->last_offset = v->offsets[i];
	return (uint32) i;
}

/* Put pair i into the hash table (which has room). */
static void
slots_insert(FunnelValues *v, int32 i)
{
	FunnelValue h,
				b;
	uint32		s;

	pair_at(v, i, &h, &b);
	s = pair_hash(h, b) & (v->nslots - 1);
	while (v->slots[s] >= 0)
		s = (s + 1) & (v->nslots - 1);
	v->slots[s] = i;
}

/* (Re)build the hash table with room for twice the pairs. */
static void
slots_rebuild(FunnelValues *v)
{
	int32		i;

	if (v->slots != NULL)
		pfree(v->slots);
	v->nslots = 16;
	while (v->nslots < 2 * v->capacity)
		v->nslots *= 2;
	v->slots = MemoryContextAlloc(GetMemoryChunkContext(v), sizeof(int32) * v->nslots);
	memset(v->slots, 0xFF, sizeof(int32) * v->nslots);
	for (i = 0; i < v->count; i++)
		slots_insert(v, i);
}

static void
values_limit(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many distinct hold and breakdown values in one group of funnel_agg: %s", what),
			 errhint("Group by a finer key, or hold a coarser value constant.")));
}

/*
 * funnel_values_intern when the pair is not the previous one: look it up,
 * adding it when new (*vp may move).  A value is compared byte for byte;
 * NULL is a value of its own.
 */
uint32
funnel_values_intern_slow(FunnelValues **vp, FunnelValue hold, FunnelValue bd)
{
	FunnelValues *v = *vp;
	int32		i;
	uint32		s = 0;
	int32		need;
	char	   *p;

	if (v->nslots == 0)
	{
		for (i = 0; i < v->count; i++)
			if (pair_equal(v, i, hold, bd))
				return remember(v, i);
	}
	else
	{
		s = pair_hash(hold, bd) & (v->nslots - 1);
		while ((i = v->slots[s]) >= 0)
		{
			if (pair_equal(v, i, hold, bd))
				return remember(v, i);
			s = (s + 1) & (v->nslots - 1);
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
	if (v->count >= FUNNEL_MAX_VALUE_PAIRS)
		values_limit(psprintf("more than %d", FUNNEL_MAX_VALUE_PAIRS));
	need = PAIR_HEADER + value_bytes(hold) + value_bytes(bd);
	if ((int64) v->used + need > v->size)
	{
		int64		size = v->size;

		while ((int64) v->used + need > size)
			size *= 2;
		if (size + offsetof(FunnelValues, data) > MaxAllocSize)
			values_limit("their bytes do not fit in 1 GB");
		CHECK_FOR_INTERRUPTS();
		v = repalloc(v, offsetof(FunnelValues, data) + size);
		v->size = (int32) size;
		*vp = v;
	}
	if (v->count >= v->capacity)
	{
		v->capacity *= 2;
		v->offsets = repalloc(v->offsets, sizeof(int32) * v->capacity);
	}
	p = v->data + v->used;
	memcpy(p, &hold.len, 4);
	memcpy(p + 4, &bd.len, 4);
	if (hold.len > 0)
		memcpy(p + PAIR_HEADER, hold.data, hold.len);
	if (bd.len > 0)
		memcpy(p + PAIR_HEADER + value_bytes(hold), bd.data, bd.len);
	v->offsets[v->count] = v->used;
	v->used += need;
	i = v->count++;
	if (v->nslots == 0 ? v->count > VALUES_LINEAR_MAX : 2 * v->count > v->nslots)
		slots_rebuild(v);
	else if (v->nslots > 0)
	{
		while (v->slots[s] >= 0)
			s = (s + 1) & (v->nslots - 1);
		v->slots[s] = i;
	}
	return remember(v, i);
}

/* Pair i's values (pointing into the dictionary). */
void
funnel_values_get(const FunnelValues *v, int32 i, FunnelValue *hold, FunnelValue *bd)
{
	pair_at(v, i, hold, bd);
}

/* Canonical order of values: bytes (shorter prefix first), NULL last. */
int
funnel_value_cmp(FunnelValue a, FunnelValue b)
{
	int			c;

	if (a.len < 0 || b.len < 0)
		return (a.len < 0) - (b.len < 0);
	c = memcmp(a.data, b.data, Min(a.len, b.len));
	if (c != 0)
		return c < 0 ? -1 : 1;
	return (a.len > b.len) - (a.len < b.len);
}

static const FunnelValues *sort_values;

static int
pair_cmp(const void *pa, const void *pb)
{
	int32		a = *(const int32 *) pa;
	int32		b = *(const int32 *) pb;
	FunnelValue ha,
				ba,
				hb,
				bb;
	int			c;

	pair_at(sort_values, a, &ha, &ba);
	pair_at(sort_values, b, &hb, &bb);
	c = funnel_value_cmp(ha, hb);
	return c != 0 ? c : funnel_value_cmp(ba, bb);
}

/*
 * For each pair: rank[i], its position in (hold, breakdown) value order,
 * and hold_class[i], the position of its hold value among the distinct
 * hold values; order[] receives the pairs in rank order.  All three are
 * independent of arrival order.
 */
void
funnel_values_ranks(const FunnelValues *v, int32 *hold_class, int32 *rank, int32 *order)
{
	int32		i;
	int32		cls = 0;

	for (i = 0; i < v->count; i++)
		order[i] = i;
	sort_values = v;
	qsort(order, v->count, sizeof(int32), pair_cmp);
	sort_values = NULL;
	for (i = 0; i < v->count; i++)
	{
		FunnelValue h,
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

/* Bytes funnel_values_write writes. */
Size
funnel_values_serialized_size(const FunnelValues *v)
{
	return 4 + v->used;
}

/*
 * Write int32 count, then each pair (int32 hold_len, int32 bd_len, bytes)
 * in tag order, at p; return the end.  Native byte order: the state only
 * travels between processes of one server.
 */
char *
funnel_values_write(const FunnelValues *v, char *p)
{
	int32		i;

	memcpy(p, &v->count, 4);
	p += 4;
	for (i = 0; i < v->count; i++)
	{
		FunnelValue h,
					b;
		Size		n;

		pair_at(v, i, &h, &b);
		n = PAIR_HEADER + value_bytes(h) + value_bytes(b);
		memcpy(p, v->data + v->offsets[i], n);
		p += n;
	}
	return p;
}

/*
 * Read funnel_values_write's output from *p (not past end), checking every
 * length before use; NULL when it is malformed.  Advances *p.
 */
FunnelValues *
funnel_values_read(const char **p, const char *end, MemoryContext cxt)
{
	FunnelValues *v;
	int32		count;
	int32		i;

	if (end - *p < 4)
		return NULL;
	memcpy(&count, *p, 4);
	*p += 4;
	if (count < 0 || count > FUNNEL_MAX_VALUE_PAIRS || count > (end - *p) / PAIR_HEADER)
		return NULL;
	v = funnel_values_create(cxt);
	for (i = 0; i < count; i++)
	{
		FunnelValue h,
					b;

		if ((i & 0xFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (end - *p < PAIR_HEADER)
			return NULL;
		memcpy(&h.len, *p, 4);
		memcpy(&b.len, *p + 4, 4);
		if (h.len < -1 || h.len > FUNNEL_MAX_VALUE || b.len < -1 || b.len > FUNNEL_MAX_VALUE ||
			end - *p - PAIR_HEADER < (int64) value_bytes(h) + value_bytes(b))
			return NULL;
		h.data = *p + PAIR_HEADER;
		b.data = h.data + value_bytes(h);
		*p = b.data + value_bytes(b);
		/* a repeated pair would make tags ambiguous */
		if (funnel_values_intern(&v, h, b) != (uint32) i)
			return NULL;
	}
	return v;
}
