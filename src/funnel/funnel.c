/*
 * funnel.c
 *		Building, merging and reading `funnel` values.
 *
 * The SQL-callable functions live in funnel_agg.c (aggregates),
 * funnel_io.c (text and binary I/O) and funnel_report.c (accessors); this
 * file owns the layout described in funnel.h.  funnel_check.c checks a
 * value that came from text or binary input.
 */
#include "postgres.h"

#include "common/duration_sketch.h"
#include "common/int.h"
#include "common/interval_usecs.h"
#include "common/pg_compat.h"
#include "common/uint128_sum.h"
#include "funnel/funnel.h"
#include "funnel/funnel_options.h"
#include "window_funnel/funnel_mode.h"

/* Buckets added on the side a sketch grows, so in-place merges rarely reallocate. */
#define FUNNEL_GROW_SLACK 16

/* A zeroed value with the header of `def` (or of the given fields). */
static Funnel *
funnel_alloc(Size size, int nsteps, uint32 modes, int64 window,
			 const char *labels, int32 labels_size, uint8 flags)
{
	Funnel	   *f = palloc0(size);

	SET_VARSIZE(f, size);
	f->version = FUNNEL_FORMAT_VERSION;
	f->flags = flags;
	f->nsteps = (int16) nsteps;
	f->modes = modes;
	f->window = window;
	f->labels_size = labels_size;
	if (labels_size > 0)
		memcpy((char *) f + sizeof(FunnelHeader), labels, labels_size);
	return f;
}

/*
 * The one-entity value funnel_agg returns: the step reached, for steps
 * 2..level the time from step 1 of the chosen chain and, when `entity` is
 * given, the chain's entry time and breakdown value.
 */
Funnel *
funnel_make_entity(const FunnelDefinition *def, int level, const int64 *times,
				   const FunnelEntity *entity)
{
	uint8		flags = FUNNEL_FLAG_SINGLE | (def->flags & FUNNEL_FLAGS_DEFINITION);
	int32		bd_len = 0;
	Funnel	   *f;

	if (entity != NULL && entity->has_entry)
	{
		flags |= FUNNEL_FLAG_ENTRY;
		if (entity->local_time)
			flags |= FUNNEL_FLAG_LOCAL_TIME;
		if (entity->breakdown != NULL)
		{
			flags |= FUNNEL_FLAG_BREAKDOWN;
			bd_len = entity->breakdown_len;
		}
	}
	f = funnel_alloc(funnel_single_size(def->labels_size, level, flags, bd_len),
					 def->nsteps, def->modes, def->window,
					 def->labels, def->labels_size, flags);
	f->level = level;
	if (level > 1)
		memcpy(funnel_single_times(f), times, sizeof(int64) * (level - 1));
	if (flags & FUNNEL_FLAG_ENTRY)
		*funnel_entry_ptr(f) = entity->entry;
	if (flags & FUNNEL_FLAG_BREAKDOWN)
	{
		memcpy(funnel_breakdown_ptr(f), &bd_len, 4);
		memcpy(funnel_breakdown_ptr(f) + 4, entity->breakdown, bd_len);
	}
	return f;
}

/* A one-entity value without entry time or breakdown. */
Funnel *
funnel_make_single(const FunnelDefinition *def, int level, const int64 *times)
{
	return funnel_make_entity(def, level, times, NULL);
}

/* The definition part of a value, pointing into it. */
static void
funnel_definition_of(const Funnel *f, FunnelDefinition *def)
{
	def->window = f->window;
	def->modes = f->modes;
	def->nsteps = f->nsteps;
	def->labels = funnel_labels(f);
	def->labels_size = f->labels_size;
	def->flags = f->flags & FUNNEL_FLAGS_DEFINITION;
}

/* funnel_agg's canonical options string of the value, or NULL. */
const char *
funnel_options_string(const Funnel *f)
{
	if (!(f->flags & FUNNEL_FLAG_OPTIONS))
		return NULL;
	return funnel_labels_options(funnel_labels(f), f->labels_size);
}

/*
 * Whether the value has step names.  Its labels hold the names (if any),
 * then the options string (if any): the boolean forms with options have
 * labels but no names.
 */
bool
funnel_has_step_names(const Funnel *f)
{
	const char *opts = funnel_options_string(f);

	return f->labels_size > 0 && (opts == NULL || opts != funnel_labels(f));
}

/*
 * Whether the value's canonical options string holds the item `item`
 * (a whole comma-separated item, such as "exclusion=remove").
 */
bool
funnel_has_option(const Funnel *f, const char *item)
{
	const char *p = funnel_options_string(f);
	size_t		len = strlen(item);

	if (p == NULL)
		return false;
	for (;;)
	{
		const char *comma = strchr(p, ',');
		size_t		n = comma ? (size_t) (comma - p) : strlen(p);

		if (n == len && memcmp(p, item, len) == 0)
			return true;
		if (comma == NULL)
			return false;
		p = comma + 1;
	}
}

/* Whether the value counts attempts (count=attempts). */
bool
funnel_counts_attempts(const Funnel *f)
{
	return funnel_has_option(f, "count=attempts");
}

/*
 * Whether the value was built with an entry range (entry_from=,
 * entry_before=), which its options string records as "entry_range".
 */
bool
funnel_has_entry_range(const Funnel *f)
{
	return funnel_has_option(f, "entry_range");
}

/*
 * A copy of the value without a one-entity value's entry time and
 * breakdown: what rollup returns, as those describe one entity's chain.
 */
Funnel *
funnel_without_entity(const Funnel *f)
{
	FunnelDefinition def;

	if (!funnel_is_single(f) || !(f->flags & FUNNEL_FLAG_ENTRY))
		return (Funnel *) pg_detoast_datum_copy((struct varlena *) f);
	funnel_definition_of(f, &def);
	return funnel_make_single(&def, f->level, funnel_single_times(f));
}

/*
 * An empty general value with the definition of `def` and, per stat, room
 * for buckets first_bucket[s] .. first_bucket[s] + nbuckets[s] - 1.
 */
Funnel *
funnel_make_general(const Funnel *def, int64 entities,
					const int32 *first_bucket, const int32 *nbuckets)
{
	return funnel_make_general_extra(def, entities, first_bucket, nbuckets, 0);
}

/*
 * funnel_make_general with `extra` zeroed bytes after the bucket counts
 * (counted in the value's size), where the people section goes.
 */
Funnel *
funnel_make_general_extra(const Funnel *def, int64 entities,
						  const int32 *first_bucket, const int32 *nbuckets,
						  Size extra)
{
	int			nstats = funnel_nstats(def->nsteps);
	int64		total = 0;
	Funnel	   *f;
	DurationStats *stats;
	int			s;

	for (s = 0; s < nstats; s++)
		total += nbuckets[s];
	f = funnel_alloc(funnel_general_size(def->nsteps, def->labels_size, total) + extra,
					 def->nsteps, def->modes, def->window,
					 funnel_labels(def), def->labels_size,
					 def->flags & FUNNEL_FLAGS_DEFINITION);
	*funnel_entities_ptr(f) = entities;
	stats = funnel_stats(f);
	for (s = 0; s < nstats; s++)
	{
		stats[s].first_bucket = nbuckets[s] > 0 ? first_bucket[s] : 0;
		stats[s].nbuckets = nbuckets[s];
	}
	return f;
}

/* Offset of stat s's first bucket among the value's counts. */
static int64
stat_counts_offset(const Funnel *f, int s)
{
	const DurationStats *stats = funnel_stats(f);
	int64		off = 0;
	int			i;

	for (i = 0; i < s; i++)
		off += stats[i].nbuckets;
	return off;
}

/* Step k's (0-based, k >= 1) time of the given kind, with its buckets. */
const DurationStats *
funnel_step_stats(const Funnel *f, int k, int kind, const uint64 **counts)
{
	int			s = funnel_stat_index(k, kind);

	Assert(!funnel_is_single(f));
	if (counts != NULL)
		*counts = funnel_counts(f) + stat_counts_offset(f, s);
	return &funnel_stats(f)[s];
}

/*
 * The error for a merge whose total does not fit its field (`what`, such
 * as "entity count"): rollup of funnels whose counts add up past 2^63 - 1.
 */
static void
merge_out_of_range(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("funnel %s out of range when merging", what),
			 errhint("Roll up fewer values at a time.")));
}

/* a + b for a merge, or the out-of-range error for `what`. */
static int64
merge_add_s64(int64 a, int64 b, const char *what)
{
	int64		r;

	if (pg_add_s64_overflow(a, b, &r))
		merge_out_of_range(what);
	return r;
}

/* a + b of unsigned counts for a merge, or the out-of-range error for `what`. */
static uint64
merge_add_u64(uint64 a, uint64 b, const char *what)
{
	uint64		r;

	if (pg_add_u64_overflow(a, b, &r))
		merge_out_of_range(what);
	return r;
}

/* Count one duration d >= 0 in a stat whose buckets cover d. */
static void
funnel_stats_add(DurationStats *s, uint64 *counts, int64 d)
{
	if (s->count == 0 || d < s->min)
		s->min = d;
	if (s->count == 0 || d > s->max)
		s->max = d;
	s->count = merge_add_u64(s->count, 1, "time count");
	if (uint128_sum_add128_overflow(&s->sum_lo, &s->sum_hi, (uint64) d, 0))
		merge_out_of_range("time sum");
	if (d == 0)
		s->zeros = merge_add_u64(s->zeros, 1, "time count");
	else
	{
		int32		i = duration_sketch_index(d) - s->first_bucket;

		Assert(i >= 0 && i < s->nbuckets);
		counts[i] = merge_add_u64(counts[i], 1, "time count");
	}
}

/* Single form: step k's (k >= 1, k < level) time of the given kind. */
static inline int64
single_time(const Funnel *f, int k, int kind)
{
	const int64 *t = funnel_single_times(f);

	if (kind == FUNNEL_FROM_FIRST || k == 1)
		return t[k - 1];
	return t[k - 1] - t[k - 2];
}

/*
 * The bucket range [lo, hi] each stat of `src` needs; lo > hi when none.
 * For a single value, the bucket of each positive time.
 */
static void
needed_ranges(const Funnel *src, int32 *lo, int32 *hi)
{
	int			nsteps = src->nsteps;
	int			k,
				kind;

	for (k = 1; k < nsteps; k++)
		for (kind = 0; kind < 2; kind++)
		{
			int			s = funnel_stat_index(k, kind);

			lo[s] = 1;
			hi[s] = 0;
			if (funnel_is_single(src))
			{
				if (k < src->level)
				{
					int64		d = single_time(src, k, kind);

					if (d > 0)
						lo[s] = hi[s] = duration_sketch_index(d);
				}
			}
			else
			{
				const DurationStats *st = &funnel_stats(src)[s];

				if (st->nbuckets > 0)
				{
					lo[s] = st->first_bucket;
					hi[s] = st->first_bucket + st->nbuckets - 1;
				}
			}
		}
}

/* Add src (either form, same definition) into general dst, whose buckets cover src's. */
static void
add_into(Funnel *dst, const Funnel *src)
{
	int			nsteps = dst->nsteps;
	int64	   *reached = funnel_reached(dst);
	DurationStats *stats = funnel_stats(dst);
	uint64	   *counts = funnel_counts(dst);
	int64		off = 0;
	int			k,
				kind,
				s;

	if (funnel_is_single(src))
	{
		*funnel_entities_ptr(dst) = merge_add_s64(*funnel_entities_ptr(dst), 1, "entity count");
		for (k = 0; k < src->level; k++)
			reached[k] = merge_add_s64(reached[k], 1, "step count");
		for (s = 0, k = 1; k < nsteps; k++)
			for (kind = 0; kind < 2; kind++, s++)
			{
				if (k < src->level)
					funnel_stats_add(&stats[s], counts + off,
									 single_time(src, k, kind));
				off += stats[s].nbuckets;
			}
		return;
	}

	*funnel_entities_ptr(dst) = merge_add_s64(*funnel_entities_ptr(dst),
											  *funnel_entities_ptr(src), "entity count");
	for (k = 0; k < nsteps; k++)
		reached[k] = merge_add_s64(reached[k], funnel_reached(src)[k], "step count");
	{
		const DurationStats *sst = funnel_stats(src);
		const uint64 *scounts = funnel_counts(src);

		for (s = 0; s < funnel_nstats(nsteps); s++)
		{
			DurationStats *d = &stats[s];
			const DurationStats *x = &sst[s];
			int32		i;

			if (x->count > 0)
			{
				if (d->count == 0 || x->min < d->min)
					d->min = x->min;
				if (d->count == 0 || x->max > d->max)
					d->max = x->max;
				d->count = merge_add_u64(d->count, x->count, "time count");
				d->zeros = merge_add_u64(d->zeros, x->zeros, "time count");
				if (uint128_sum_add128_overflow(&d->sum_lo, &d->sum_hi, x->sum_lo, x->sum_hi))
					merge_out_of_range("time sum");
				for (i = 0; i < x->nbuckets; i++)
				{
					uint64	   *c = &counts[off + x->first_bucket - d->first_bucket + i];

					*c = merge_add_u64(*c, scounts[i], "time count");
				}
			}
			scounts += x->nbuckets;
			off += d->nbuckets;
		}
	}
}

/*
 * Refuse to merge (or compare) funnels of different definitions, saying
 * which part differs: adding up or comparing entities of different funnels
 * gives meaningless rates.  `verb` is "merge" or "compare", `done` its
 * participle ("merged", "compared"), for the messages.
 */
void
funnel_check_same_definition(const Funnel *a, const Funnel *b, const char *verb,
							 const char *done)
{
	if (a->nsteps != b->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot %s funnels with different numbers of steps: %d and %d", verb,
						a->nsteps, b->nsteps),
				 errhint("Only funnels built with the same steps, window and mode can be %s.", done)));
	if (funnel_integer_time(a) != funnel_integer_time(b))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot %s a funnel built over integer times with one built over timestamps", verb),
				 errhint("Build both over the same kind of ts column: bigint times with a bigint window, or timestamps (such as to_timestamp(ts)) with an interval window.")));
	if (a->window != b->window)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot %s funnels with different windows: %s and %s", verb,
						funnel_integer_time(a) ? psprintf(INT64_FORMAT, a->window) :
						interval_usecs_to_string(a->window),
						funnel_integer_time(b) ? psprintf(INT64_FORMAT, b->window) :
						interval_usecs_to_string(b->window)),
				 errhint("Only funnels built with the same steps, window and mode can be %s.", done)));
	if (a->modes != b->modes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot %s funnels with different modes: %s and %s", verb,
						funnel_modes_to_string(a->modes),
						funnel_modes_to_string(b->modes)),
				 errhint("Only funnels built with the same steps, window and mode can be %s.", done)));
	if (a->labels_size != b->labels_size ||
		memcmp(funnel_labels(a), funnel_labels(b), a->labels_size) != 0)
	{
		const char *la = funnel_labels(a);
		const char *lb = funnel_labels(b);
		const char *oa = funnel_options_string(a);
		const char *ob = funnel_options_string(b);
		int			k;

		if (funnel_has_entry_range(a) != funnel_has_entry_range(b))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot %s a funnel built with an entry range and one built without", verb),
					 errdetail("Their options are \"%s\" and \"%s\".", oa ? oa : "", ob ? ob : ""),
					 errhint("Build every period's funnel with entry_from= and entry_before= (the bounds may differ from period to period), or none of them.")));
		if (oa == NULL || ob == NULL ? oa != ob : strcmp(oa, ob) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot %s funnels with different options: \"%s\" and \"%s\"", verb,
							oa ? oa : "", ob ? ob : ""),
					 errhint("Only funnels built with the same steps, window, mode and options can be %s.", done)));
		if ((oa ? oa == la : a->labels_size == 0) || (ob ? ob == lb : b->labels_size == 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot %s a funnel with step labels and one without", verb),
					 errhint("Build both with step names (the steps array, or labels= with boolean conditions), or both without.")));
		/* same options, so the same number of names: steps, then exclusions */
		for (k = 0; la < (oa ? oa : funnel_labels(a) + a->labels_size); k++)
		{
			if (strcmp(la, lb) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 k < a->nsteps ?
						 errmsg("cannot %s funnels with different labels for step %d: \"%s\" and \"%s\"", verb,
								k + 1, la, lb) :
						 errmsg("cannot %s funnels with different names for exclusion %d: \"%s\" and \"%s\"", verb,
								k + 1 - a->nsteps, la, lb),
						 errhint("Only funnels built with the same steps, window and mode can be %s.", done)));
			la += strlen(la) + 1;
			lb += strlen(lb) + 1;
		}
	}
}

/*
 * Merge src into dst (funnels of disjoint entity sets with the same
 * definition).  With in_place, dst is a general value owned by the caller
 * (an aggregate state) and is updated and returned when its buckets cover
 * src's; otherwise a new value is returned, with slack buckets when it is
 * going to be an in-place state.
 */
Funnel *
funnel_merge(Funnel *dst, const Funnel *src, bool in_place)
{
	int			nstats = funnel_nstats(dst->nsteps);
	int32		lo[2 * FUNNEL_MAX_STEPS];
	int32		hi[2 * FUNNEL_MAX_STEPS];
	int32		first[2 * FUNNEL_MAX_STEPS];
	int32		nb[2 * FUNNEL_MAX_STEPS];
	bool		covered = in_place && !funnel_is_single(dst);
	Funnel	   *out;
	int			s;

	funnel_check_same_definition(dst, src, "merge", "merged");
	needed_ranges(src, lo, hi);
	for (s = 0; s < nstats && covered; s++)
	{
		const DurationStats *st = &funnel_stats(dst)[s];

		if (lo[s] <= hi[s] &&
			(st->nbuckets == 0 || lo[s] < st->first_bucket ||
			 hi[s] > st->first_bucket + st->nbuckets - 1))
			covered = false;
	}
	if (covered)
	{
		add_into(dst, src);
		return dst;
	}

	/* a new value whose buckets cover both */
	{
		int32		dlo[2 * FUNNEL_MAX_STEPS];
		int32		dhi[2 * FUNNEL_MAX_STEPS];

		needed_ranges(dst, dlo, dhi);
		for (s = 0; s < nstats; s++)
		{
			int32		l = dlo[s],
						h = dhi[s];

			if (lo[s] <= hi[s])
			{
				if (l > h)
				{
					l = lo[s];
					h = hi[s];
					if (in_place)
					{
						l -= FUNNEL_GROW_SLACK;
						h += FUNNEL_GROW_SLACK;
					}
				}
				else
				{
					int32		slack = in_place ? Max(FUNNEL_GROW_SLACK, (h - l + 1) / 2) : 0;

					if (lo[s] < l)
						l = lo[s] - slack;
					if (hi[s] > h)
						h = hi[s] + slack;
				}
			}
			l = Max(l, DURATION_SKETCH_MIN_INDEX);
			h = Min(h, DURATION_SKETCH_MAX_INDEX);
			first[s] = l;
			nb[s] = l <= h ? h - l + 1 : 0;
		}
	}
	out = funnel_make_general(dst, 0, first, nb);
	add_into(out, dst);
	add_into(out, src);
	return out;
}

/* Bytes of a general value up to the end of its bucket counts. */
Size
funnel_general_counts_size(const Funnel *f)
{
	const DurationStats *stats = funnel_stats(f);
	int64		total = 0;
	int			s;

	for (s = 0; s < funnel_nstats(f->nsteps); s++)
		total += stats[s].nbuckets;
	return funnel_general_size(f->nsteps, f->labels_size, total);
}

/*
 * The canonical copy of a value: one entity in the single form, else the
 * general form with no empty buckets at either end of a sketch.  A value
 * that carries people stays general, with its people section copied.
 */
Funnel *
funnel_normalize(const Funnel *f)
{
	if (funnel_is_single(f))
		return (Funnel *) pg_detoast_datum_copy((struct varlena *) f);

	if (funnel_has_people(f))
	{
		Size		counts_size = funnel_general_counts_size(f);
		Size		people = VARSIZE(f) - counts_size;
		Funnel	   *out = funnel_trimmed(f, people);

		out->flags |= FUNNEL_FLAG_PEOPLE;
		memcpy((char *) out + VARSIZE(out) - people, (const char *) f + counts_size, people);
		return out;
	}

	if (*funnel_entities_ptr(f) == 1 && !funnel_counts_attempts(f))
	{
		const int64 *reached = funnel_reached(f);
		int64		times[FUNNEL_MAX_STEPS];
		FunnelDefinition def;
		int			level = 0;
		int			s;

		while (level < f->nsteps && reached[level] == 1)
			level++;
		for (s = 1; s < level; s++)
			times[s - 1] = funnel_stats(f)[funnel_stat_index(s, FUNNEL_FROM_FIRST)].min;
		funnel_definition_of(f, &def);
		return funnel_make_single(&def, level, times);
	}
	return funnel_trimmed(f, 0);
}

/*
 * A general value's counts and sketches (not its people) with no empty
 * buckets at either end of a sketch, and `extra` zeroed bytes after them.
 */
Funnel *
funnel_trimmed(const Funnel *f, Size extra)
{
	const DurationStats *stats;
	const uint64 *counts;
	int32		first[2 * FUNNEL_MAX_STEPS];
	int32		nb[2 * FUNNEL_MAX_STEPS];
	int			nstats = funnel_nstats(f->nsteps);
	int			s;
	Funnel	   *out;
	uint64	   *ocounts;

	Assert(!funnel_is_single(f));
	stats = funnel_stats(f);
	counts = funnel_counts(f);
	for (s = 0; s < nstats; s++)
	{
		int32		a = 0,
					b = stats[s].nbuckets - 1;

		while (a <= b && counts[a] == 0)
			a++;
		while (b >= a && counts[b] == 0)
			b--;
		first[s] = stats[s].first_bucket + a;
		nb[s] = b - a + 1;
		counts += stats[s].nbuckets;
	}
	out = funnel_make_general_extra(f, *funnel_entities_ptr(f), first, nb, extra);
	memcpy(funnel_reached(out), funnel_reached(f), sizeof(int64) * f->nsteps);
	counts = funnel_counts(f);
	ocounts = funnel_counts(out);
	for (s = 0; s < nstats; s++)
	{
		DurationStats *o = &funnel_stats(out)[s];

		o->count = stats[s].count;
		o->zeros = stats[s].zeros;
		o->min = stats[s].min;
		o->max = stats[s].max;
		o->sum_lo = stats[s].sum_lo;
		o->sum_hi = stats[s].sum_hi;
		if (nb[s] > 0)
			memcpy(ocounts, counts + (first[s] - stats[s].first_bucket),
				   sizeof(uint64) * nb[s]);
		ocounts += nb[s];
		counts += stats[s].nbuckets;
	}
	return out;
}

/* Number of entities in the value. */
int64
funnel_entities(const Funnel *f)
{
	return funnel_is_single(f) ? 1 : *funnel_entities_ptr(f);
}

/* Entities that reached step k (0-based). */
int64
funnel_reached_count(const Funnel *f, int k)
{
	if (funnel_is_single(f))
		return k < f->level ? 1 : 0;
	return funnel_reached(f)[k];
}

/*
 * Step k's (k >= 1) time of the given kind in a one-entity value, in
 * microseconds; -1 when the entity did not reach step k.
 */
int64
funnel_single_time(const Funnel *f, int k, int kind)
{
	Assert(funnel_is_single(f));
	return k < f->level ? single_time(f, k, kind) : -1;
}

/*
 * The q-quantile of step k's (k >= 1) time of the given kind, in
 * microseconds; -1 when no entity reached step k.  Exact for one entity and
 * at q = 0 and 1 (min and max); else within the sketch's relative error.
 */
int64
funnel_quantile(const Funnel *f, int k, int kind, double q)
{
	const DurationStats *st;
	const uint64 *counts;
	int64		v;

	if (funnel_is_single(f))
		return k < f->level ? single_time(f, k, kind) : -1;
	st = funnel_step_stats(f, k, kind, &counts);
	if (st->count == 0)
		return -1;
	if (q <= 0.0)
		return st->min;
	if (q >= 1.0)
		return st->max;
	v = duration_sketch_quantile(counts, st->first_bucket, st->nbuckets,
								 st->zeros, q);
	/* the true quantile lies in [min, max]: clamping only brings v closer */
	return Min(Max(v, st->min), st->max);
}
