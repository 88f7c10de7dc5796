/*
 * id_set.c
 *		Exact sets of int64 ids: the mutable form (adding ids, OR-ing flat
 *		sets in) and the canonical flat form (writing, checking, reading,
 *		comparing).  See id_set.h for both layouts.
 */
#include "postgres.h"

#include "common/id_set.h"
#include "common/pg_compat.h"
#include "miscadmin.h"
#include "port/pg_bitutils.h"
#include "utils/memutils.h"

#define SIGN_FLIP UINT64CONST(0x8000000000000000)

/*
 * Most ids a container of the mutable form keeps as a sorted array; past
 * it, a bitmap.  Lower than the flat form's 4096 (which decides the
 * canonical bytes): merging arrays costs their length, setting bits does
 * not, so a state that many values are OR-ed into turns its busy
 * containers into bitmaps early.  Flattening writes each container in the
 * form its count calls for.
 */
#define MUTABLE_ARRAY_MAX 512

/* The container key of an id: its high 48 bits, sign flipped. */
static inline uint64
key_of(int64 id)
{
	return ((uint64) id ^ SIGN_FLIP) >> 16;
}

/* The id of low bits `low` in the container of `key`. */
static inline int64
id_of(uint64 key, uint32 low)
{
	return (int64) (((key << 16) | low) ^ SIGN_FLIP);
}

/* Number of set bits of a bitmap container. */
static int32
bitmap_card(const uint64 *w)
{
	int32		n = 0;
	int			i;

	for (i = 0; i < ID_SET_BITMAP_WORDS; i++)
		n += pg_popcount64(w[i]);
	return n;
}

static inline bool
bitmap_has(const uint64 *w, uint32 low)
{
	return (w[low >> 6] >> (low & 63)) & 1;
}

/* ---------- the mutable form ---------- */

/* An empty set whose parts will live in mcxt. */
void
id_set_init(IdSet *s, MemoryContext mcxt)
{
	memset(s, 0, sizeof(IdSet));
	s->mcxt = mcxt;
	s->last = -1;
}

/* Hash table slot of a key. */
static inline uint32
hash_slot(uint64 key, int32 size)
{
	uint64		h = key * UINT64CONST(0x9E3779B97F4A7C15);

	return (uint32) ((h ^ (h >> 29)) & (uint64) (size - 1));
}

/* Rebuild the hash table with `size` slots (a power of two). */
static void
rehash(IdSet *s, int32 size)
{
	int32		i;

	if (s->hash != NULL)
		pfree(s->hash);
	s->hash = MemoryContextAllocExtended(s->mcxt, sizeof(int32) * (Size) size,
										 MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	s->hash_size = size;
	for (i = 0; i < s->n; i++)
	{
		uint32		h = hash_slot(s->c[i].key, size);

		while (s->hash[h] != 0)
			h = (h + 1) & (size - 1);
		s->hash[h] = i + 1;
	}
}

/* The index of the container of `key`, added empty (array form) if missing. */
static int32
container_for(IdSet *s, uint64 key)
{
	uint32		h;
	IdSetContainer *c;

	if (s->last >= 0 && s->c[s->last].key == key)
		return s->last;
	if (s->hash_size > 0)
	{
		for (h = hash_slot(key, s->hash_size); s->hash[h] != 0; h = (h + 1) & (s->hash_size - 1))
			if (s->c[s->hash[h] - 1].key == key)
				return s->last = s->hash[h] - 1;
	}
	if (s->n >= s->cap)
	{
		int32		cap = s->cap == 0 ? 8 : s->cap * 2;

		if (cap > PG_INT32_MAX / 4)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("set of ids has too many containers")));
		s->c = s->c == NULL ?
			MemoryContextAllocExtended(s->mcxt, sizeof(IdSetContainer) * (Size) cap, MCXT_ALLOC_HUGE) :
			repalloc_huge(s->c, sizeof(IdSetContainer) * (Size) cap);
		s->cap = cap;
	}
	c = &s->c[s->n];
	c->key = key;
	c->card = 0;
	c->cap = 0;
	c->data = NULL;
	s->n++;
	if (2 * s->n >= s->hash_size)
		rehash(s, s->hash_size == 0 ? 16 : s->hash_size * 2);
	else
	{
		for (h = hash_slot(key, s->hash_size); s->hash[h] != 0; h = (h + 1) & (s->hash_size - 1))
			;
		s->hash[h] = s->n;
	}
	return s->last = s->n - 1;
}

/*
 * Update the set's totals after container c went from old_card ids to its
 * current count.  The flat form's sizes follow the count, not the storage:
 * a container of more than 4096 ids is a bitmap there, others an array.
 */
static void
account(IdSet *s, const IdSetContainer *c, int32 old_card)
{
	if (old_card > ID_SET_ARRAY_MAX)
		s->nbitmaps--;
	else
		s->array_ids -= old_card;
	if (c->card > ID_SET_ARRAY_MAX)
		s->nbitmaps++;
	else
		s->array_ids += c->card;
	s->card += c->card - old_card;
}

/* Turn an array container into a bitmap container (same ids). */
static void
to_bitmap(IdSet *s, IdSetContainer *c)
{
	uint64	   *w = MemoryContextAllocZero(s->mcxt, sizeof(uint64) * ID_SET_BITMAP_WORDS);
	const uint16 *a = c->data;
	int32		i;

	for (i = 0; i < c->card; i++)
		w[a[i] >> 6] |= UINT64CONST(1) << (a[i] & 63);
	if (c->data != NULL)
		pfree(c->data);
	c->data = w;
	c->cap = -1;
}

/* Make room for `need` ids in an array container. */
static void
array_reserve(IdSet *s, IdSetContainer *c, int32 need)
{
	int32		cap;

	if (need <= c->cap)
		return;
	cap = Max(c->cap * 2, 4);
	while (cap < need)
		cap *= 2;
	cap = Min(cap, MUTABLE_ARRAY_MAX);
	c->data = c->data == NULL ?
		MemoryContextAlloc(s->mcxt, sizeof(uint16) * cap) :
		repalloc(c->data, sizeof(uint16) * cap);
	c->cap = cap;
}

/* Add low bits `low` to container c; returns whether it was new. */
static bool
container_add(IdSet *s, IdSetContainer *c, uint32 low)
{
	uint16	   *a;
	int32		l,
				r;

	if (c->cap < 0)
	{
		uint64	   *w = c->data;
		uint64		bit = UINT64CONST(1) << (low & 63);

		if (w[low >> 6] & bit)
			return false;
		w[low >> 6] |= bit;
		c->card++;
		account(s, c, c->card - 1);
		return true;
	}
	a = c->data;
	l = 0;
	r = c->card;
	while (l < r)
	{
		int32		m = (l + r) / 2;

		if (a[m] < low)
			l = m + 1;
		else
			r = m;
	}
	if (l < c->card && a[l] == low)
		return false;
	if (c->card == MUTABLE_ARRAY_MAX)
	{
		to_bitmap(s, c);
		return container_add(s, c, low);
	}
	array_reserve(s, c, c->card + 1);
	a = c->data;
	memmove(a + l + 1, a + l, sizeof(uint16) * (c->card - l));
	a[l] = (uint16) low;
	c->card++;
	account(s, c, c->card - 1);
	return true;
}

/*
 * Refuse a set whose flat form would outgrow the limit its owner set
 * (s->limit, 0 for none), with the owner's hint.
 */
void
id_set_check_limit(const IdSet *s)
{
	if (s->limit > 0 && id_set_flat_size(s) > s->limit)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("set of %lld ids would take more than %zu bytes",
						(long long) s->card, s->limit),
				 s->limit_hint ? errhint("%s", s->limit_hint) : 0));
}

/* Add one id. */
void
id_set_add(IdSet *s, int64 id)
{
	int32		i = container_for(s, key_of(id));	/* may move s->c */

	container_add(s, &s->c[i], (uint32) (id & 0xFFFF));
}

/*
 * Add every id of [lo, hi] (lo <= hi), container by container; the caller
 * bounds the range (its size is checked against the set's limit first).
 */
void
id_set_add_range(IdSet *s, int64 lo, int64 hi)
{
	uint64		klo = key_of(lo);
	uint64		khi = key_of(hi);
	uint64		key;

	for (key = klo;; key++)
	{
		uint32		a = key == klo ? (uint32) (lo & 0xFFFF) : 0;
		uint32		b = key == khi ? (uint32) (hi & 0xFFFF) : 0xFFFF;
		int32		ci = container_for(s, key);	/* may move s->c */
		IdSetContainer *c = &s->c[ci];
		uint32		low;

		CHECK_FOR_INTERRUPTS();
		if (c->cap >= 0 && c->card + (int64) (b - a + 1) > MUTABLE_ARRAY_MAX)
			to_bitmap(s, c);
		if (c->cap < 0)
		{
			uint64	   *w = c->data;
			int32		before = c->card;

			for (low = a; low <= b;)
			{
				if ((low & 63) == 0 && low + 63 <= b)
				{
					w[low >> 6] = ~UINT64CONST(0);
					low += 64;
				}
				else
				{
					w[low >> 6] |= UINT64CONST(1) << (low & 63);
					low++;
				}
			}
			c->card = bitmap_card(w);
			account(s, c, before);
		}
		else
			for (low = a; low <= b; low++)
				container_add(s, c, low);
		id_set_check_limit(s);
		if (key == khi)
			break;
	}
}

/* A read-only view of a flat set, walked container by container. */
typedef struct FlatWalk
{
	uint64		n;
	const uint64 *dir;
	const uint64 *bitmap;		/* next bitmap container */
	const uint16 *array;		/* next array container */
	uint64		i;
} FlatWalk;

/* Start walking a (checked) flat set. */
static void
flat_walk_init(FlatWalk *w, const char *flat)
{
	uint64		nb = 0;
	uint64		i;

	memcpy(&w->n, flat, 8);
	w->dir = (const uint64 *) (flat + 8);
	for (i = 0; i < w->n; i++)
		if ((w->dir[i] & 0xFFFF) + 1 > ID_SET_ARRAY_MAX)
			nb++;
	w->bitmap = w->dir + w->n;
	w->array = (const uint16 *) (w->bitmap + nb * ID_SET_BITMAP_WORDS);
	w->i = 0;
}

/*
 * The next container of a walk: its key, cardinality and either its
 * bitmap or its array.  False at the end.
 */
static bool
flat_walk_next(FlatWalk *w, uint64 *key, int32 *card, const uint64 **bitmap,
			   const uint16 **array)
{
	if (w->i >= w->n)
		return false;
	*key = w->dir[w->i] >> 16;
	*card = (int32) (w->dir[w->i] & 0xFFFF) + 1;
	*bitmap = NULL;
	*array = NULL;
	if (*card > ID_SET_ARRAY_MAX)
	{
		*bitmap = w->bitmap;
		w->bitmap += ID_SET_BITMAP_WORDS;
	}
	else
	{
		*array = w->array;
		w->array += *card;
	}
	w->i++;
	return true;
}

/* OR a flat set (checked) into s. */
void
id_set_union_flat(IdSet *s, const char *flat)
{
	FlatWalk	w;
	uint64		key;
	int32		card;
	const uint64 *fb;
	const uint16 *fa;

	flat_walk_init(&w, flat);
	while (flat_walk_next(&w, &key, &card, &fb, &fa))
	{
		int32		ci = container_for(s, key);	/* may move s->c */
		IdSetContainer *c = &s->c[ci];
		int32		before = c->card;
		int32		i;

		if ((w.i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();

		if (c->cap >= 0 && (fb != NULL || c->card + card > MUTABLE_ARRAY_MAX))
			to_bitmap(s, c);
		if (c->cap < 0)
		{
			uint64	   *cw = c->data;

			/* count the new bits as they are set */
			if (fb != NULL)
				for (i = 0; i < ID_SET_BITMAP_WORDS; i++)
				{
					c->card += pg_popcount64(fb[i] & ~cw[i]);
					cw[i] |= fb[i];
				}
			else
				for (i = 0; i < card; i++)
				{
					uint64	   *wp = &cw[fa[i] >> 6];
					uint64		bit = UINT64CONST(1) << (fa[i] & 63);

					c->card += (*wp & bit) == 0;
					*wp |= bit;
				}
		}
		else
		{
			/* merge two arrays of at most MUTABLE_ARRAY_MAX ids in all */
			uint16		merged[MUTABLE_ARRAY_MAX];
			const uint16 *a = c->data;
			int32		x = 0,
						y = 0,
						m = 0;

			while (x < c->card || y < card)
			{
				if (y >= card || (x < c->card && a[x] < fa[y]))
					merged[m++] = a[x++];
				else if (x >= c->card || fa[y] < a[x])
					merged[m++] = fa[y++];
				else
				{
					merged[m++] = a[x++];
					y++;
				}
			}
			array_reserve(s, c, m);
			memcpy(c->data, merged, sizeof(uint16) * m);
			c->card = m;
		}
		account(s, c, before);
		id_set_check_limit(s);
	}
}

/* Bytes of the flat form of s. */
Size
id_set_flat_size(const IdSet *s)
{
	Size		size = 8 + 8 * (Size) s->n +
		sizeof(uint64) * ID_SET_BITMAP_WORDS * (Size) s->nbitmaps +
		sizeof(uint16) * (Size) s->array_ids;

	return TYPEALIGN(8, size);
}

/* A container's key and index, for sorting the directory. */
typedef struct KeyIndex
{
	uint64		key;
	int32		index;
} KeyIndex;

static int
key_index_cmp(const void *a, const void *b)
{
	uint64		x = ((const KeyIndex *) a)->key;
	uint64		y = ((const KeyIndex *) b)->key;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* Write the flat form of s (id_set_flat_size(s) bytes, 8-aligned) to out. */
void
id_set_flatten(const IdSet *s, char *out)
{
	KeyIndex   *order = NULL;
	uint64		n = (uint64) s->n;
	uint64	   *dir = (uint64 *) (out + 8);
	uint64	   *bitmaps = dir + n;
	uint16	   *arrays = (uint16 *) (bitmaps + (Size) s->nbitmaps * ID_SET_BITMAP_WORDS);
	char	   *end = out + id_set_flat_size(s);
	int32		i;

	memcpy(out, &n, 8);
	if (s->n > 0)
	{
		order = palloc_extended(sizeof(KeyIndex) * (Size) s->n, MCXT_ALLOC_HUGE);
		for (i = 0; i < s->n; i++)
		{
			order[i].key = s->c[i].key;
			order[i].index = i;
		}
		qsort(order, s->n, sizeof(KeyIndex), key_index_cmp);
	}
	for (i = 0; i < s->n; i++)
	{
		const IdSetContainer *c = &s->c[order[i].index];

		Assert(c->card > 0);
		dir[i] = (c->key << 16) | (uint64) (c->card - 1);
		if (c->card > ID_SET_ARRAY_MAX)
		{
			/* only a bitmap holds more than 4096 ids */
			memcpy(bitmaps, c->data, sizeof(uint64) * ID_SET_BITMAP_WORDS);
			bitmaps += ID_SET_BITMAP_WORDS;
		}
		else if (c->cap >= 0)
		{
			memcpy(arrays, c->data, sizeof(uint16) * c->card);
			arrays += c->card;
		}
		else
		{
			/* a bitmap of few ids (filled by ranges) is an array in the flat form */
			const uint64 *w = c->data;
			int			wi;

			for (wi = 0; wi < ID_SET_BITMAP_WORDS; wi++)
			{
				uint64		word = w[wi];

				while (word != 0)
				{
					*arrays++ = (uint16) (wi * 64 + pg_rightmost_one_pos64(word));
					word &= word - 1;
				}
			}
		}
	}
	if ((char *) arrays < end)
		memset(arrays, 0, end - (char *) arrays);
	if (order != NULL)
		pfree(order);
}

/* ---------- the flat form ---------- */

/* Bytes of a checked flat set. */
Size
id_set_flat_bytes(const char *flat)
{
	FlatWalk	w;
	uint64		key;
	int32		card;
	const uint64 *b;
	const uint16 *a;

	flat_walk_init(&w, flat);
	while (flat_walk_next(&w, &key, &card, &b, &a))
		;
	return TYPEALIGN(8, (Size) ((const char *) w.array - flat));
}

/* Ids in a checked flat set. */
int64
id_set_flat_card(const char *flat)
{
	uint64		n;
	const uint64 *dir = (const uint64 *) (flat + 8);
	int64		card = 0;
	uint64		i;

	memcpy(&n, flat, 8);
	for (i = 0; i < n; i++)
		card += (int64) (dir[i] & 0xFFFF) + 1;
	return card;
}

/*
 * Check a flat set that starts at 8-aligned `flat` and has at most
 * `avail` bytes: container count, ascending directory, sizes, bitmaps
 * whose bits match their cardinality and hold more than 4096 ids,
 * ascending arrays, zero padding.  Returns NULL and its size in *used, or
 * what is wrong.
 */
const char *
id_set_flat_check(const char *flat, Size avail, Size *used)
{
	uint64		n;
	const uint64 *dir;
	uint64		nb = 0;
	uint64		aids = 0;
	uint64		i;
	Size		size;
	FlatWalk	w;
	uint64		key;
	int32		card;
	const uint64 *b;
	const uint16 *a;

	if (avail < 8)
		return "truncated set of ids";
	memcpy(&n, flat, 8);
	if (n > (avail - 8) / 8)
		return "set of ids with more containers than bytes";
	dir = (const uint64 *) (flat + 8);
	for (i = 0; i < n; i++)
	{
		uint64		card1 = (dir[i] & 0xFFFF) + 1;

		if (i > 0 && (dir[i] >> 16) <= (dir[i - 1] >> 16))
			return "containers of a set of ids out of order";
		if (card1 > ID_SET_ARRAY_MAX)
			nb++;
		else
			aids += card1;
	}
	if (nb > (avail - 8 - 8 * n) / (8 * ID_SET_BITMAP_WORDS))
		return "truncated set of ids";
	size = TYPEALIGN(8, 8 + 8 * n + 8 * ID_SET_BITMAP_WORDS * nb + 2 * aids);
	if (size > avail)
		return "truncated set of ids";
	flat_walk_init(&w, flat);
	while (flat_walk_next(&w, &key, &card, &b, &a))
	{
		if ((w.i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (b != NULL)
		{
			if (bitmap_card(b) != card)
				return "bitmap of a set of ids does not match its count";
		}
		else
		{
			int32		j;

			for (j = 1; j < card; j++)
				if (a[j] <= a[j - 1])
					return "ids of a set out of order";
		}
	}
	for (i = (Size) ((const char *) w.array - flat); i < size; i++)
		if (flat[i] != 0)
			return "nonzero padding after a set of ids";
	*used = size;
	return NULL;
}

/* How many ids of container (ab or aa, acard) are not in (bb or ba, bcard). */
static int64
container_outside(const uint64 *ab, const uint16 *aa, int32 acard,
				  const uint64 *bb, const uint16 *ba, int32 bcard)
{
	int64		n = 0;
	int32		i,
				j;

	if (ab != NULL && bb != NULL)
	{
		for (i = 0; i < ID_SET_BITMAP_WORDS; i++)
			n += pg_popcount64(ab[i] & ~bb[i]);
		return n;
	}
	if (ab != NULL)
	{
		/* acard > 4096 >= bcard */
		n = acard;
		for (j = 0; j < bcard; j++)
			if (bitmap_has(ab, ba[j]))
				n--;
		return n;
	}
	if (bb != NULL)
	{
		for (i = 0; i < acard; i++)
			if (!bitmap_has(bb, aa[i]))
				n++;
		return n;
	}
	for (i = 0, j = 0; i < acard; i++)
	{
		while (j < bcard && ba[j] < aa[i])
			j++;
		if (j >= bcard || ba[j] != aa[i])
			n++;
	}
	return n;
}

/* How many ids of checked flat set a are not in checked flat set b. */
int64
id_set_flat_count_outside(const char *a, const char *b)
{
	FlatWalk	wa,
				wb;
	uint64		ka,
				kb = 0;
	int32		ca,
				cb = 0;
	const uint64 *abm,
			   *bbm = NULL;
	const uint16 *aar,
			   *bar = NULL;
	bool		more_b;
	int64		n = 0;

	flat_walk_init(&wa, a);
	flat_walk_init(&wb, b);
	more_b = flat_walk_next(&wb, &kb, &cb, &bbm, &bar);
	while (flat_walk_next(&wa, &ka, &ca, &abm, &aar))
	{
		while (more_b && kb < ka)
			more_b = flat_walk_next(&wb, &kb, &cb, &bbm, &bar);
		if (more_b && kb == ka)
			n += container_outside(abm, aar, ca, bbm, bar, cb);
		else
			n += ca;
	}
	return n;
}

/* Whether checked flat set a is a subset of checked flat set b. */
bool
id_set_flat_subset(const char *a, const char *b)
{
	return id_set_flat_count_outside(a, b) == 0;
}

/* Start iterating a checked flat set's runs of consecutive ids. */
void
id_set_iter_init(IdSetIter *it, const char *flat)
{
	FlatWalk	w;

	flat_walk_init(&w, flat);
	it->flat = flat;
	it->n = w.n;
	it->i = 0;
	it->bitmap = w.bitmap;
	it->array = w.array;
	it->pos = 0;
	it->pending = false;
}

/* The next run inside one container, or false when all are read. */
static bool
inner_next(IdSetIter *it, int64 *lo, int64 *hi)
{
	const uint64 *dir = (const uint64 *) (it->flat + 8);

	while (it->i < it->n)
	{
		uint64		key = dir[it->i] >> 16;
		int32		card = (int32) (dir[it->i] & 0xFFFF) + 1;

		if (card > ID_SET_ARRAY_MAX)
		{
			const uint64 *w = it->bitmap;
			int32		p = it->pos;

			while (p < 65536 && !bitmap_has(w, p))
			{
				if ((p & 63) == 0 && w[p >> 6] == 0)
					p += 64;
				else
					p++;
			}
			if (p < 65536)
			{
				int32		q = p;

				while (q + 1 < 65536 && bitmap_has(w, q + 1))
					q++;
				*lo = id_of(key, p);
				*hi = id_of(key, q);
				it->pos = q + 1;
				return true;
			}
			it->bitmap += ID_SET_BITMAP_WORDS;
		}
		else
		{
			const uint16 *a = it->array;

			if (it->pos < card)
			{
				int32		p = it->pos;
				int32		q = p;

				while (q + 1 < card && a[q + 1] == a[q] + 1)
					q++;
				*lo = id_of(key, a[p]);
				*hi = id_of(key, a[q]);
				it->pos = q + 1;
				return true;
			}
			it->array += card;
		}
		it->i++;
		it->pos = 0;
	}
	return false;
}

/*
 * The next maximal run [lo, hi] of consecutive ids, ascending (runs that
 * cross a container boundary are joined).  False at the end.
 */
bool
id_set_iter_next(IdSetIter *it, int64 *lo, int64 *hi)
{
	int64		l,
				h;

	while (inner_next(it, &l, &h))
	{
		if (!it->pending)
		{
			it->pending = true;
			it->lo = l;
			it->hi = h;
		}
		else if (it->hi != PG_INT64_MAX && it->hi + 1 == l)
			it->hi = h;
		else
		{
			*lo = it->lo;
			*hi = it->hi;
			it->lo = l;
			it->hi = h;
			return true;
		}
	}
	if (!it->pending)
		return false;
	it->pending = false;
	*lo = it->lo;
	*hi = it->hi;
	return true;
}
