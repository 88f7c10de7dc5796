/*
 * funnel.c
 *		Building, checking, merging and reading `funnel` values.
 *
 * The SQL-callable functions live in funnel_agg.c (aggregates),
 * funnel_io.c (text and binary I/O) and funnel_report.c (accessors); this
 * file owns the layout described in funnel.h.
 */
#include "postgres.h"

#include "duration_sketch.h"
#include "funnel.h"
#include "funnel_mode.h"
#include "funnel_options.h"
#include "funnel_values.h"
#include "uint128_sum.h"

/* Buckets added on the side a sketch grows, so in-place merges rarely reallocate. */
#define FUNNEL_GROW_SLACK 16

/* SQLSTATE of funnel_check's errors: text or binary representation. */
static int	check_errcode = ERRCODE_INVALID_BINARY_REPRESENTATION;

/* Error for a funnel value whose fields are inconsistent. */
static void
funnel_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(check_errcode),
			 errmsg("invalid funnel value: %s", what),
			 errhint("Funnel values must come from funnel_agg, rollup or the output of this version of the conversions extension.")));
}

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
void
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
 * Whether the value counts attempts (count=attempts), which the canonical
 * options string says first when it does.
 */
bool
funnel_counts_attempts(const Funnel *f)
{
	const char *o = funnel_options_string(f);

	return o != NULL && strncmp(o, "count=attempts", 14) == 0 &&
		(o[14] == ',' || o[14] == '\0');
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
	int			nstats = funnel_nstats(def->nsteps);
	int64		total = 0;
	Funnel	   *f;
	DurationStats *stats;
	int			s;

	for (s = 0; s < nstats; s++)
		total += nbuckets[s];
	f = funnel_alloc(funnel_general_size(def->nsteps, def->labels_size, total),
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

/* Count one duration d >= 0 in a stat whose buckets cover d. */
void
funnel_stats_add(DurationStats *s, uint64 *counts, int64 d)
{
	if (s->count == 0 || d < s->min)
		s->min = d;
	if (s->count == 0 || d > s->max)
		s->max = d;
	s->count++;
	uint128_sum_add(&s->sum_lo, &s->sum_hi, (uint64) d);
	if (d == 0)
		s->zeros++;
	else
	{
		int32		i = duration_sketch_index(d) - s->first_bucket;

		Assert(i >= 0 && i < s->nbuckets);
		counts[i]++;
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
		*funnel_entities_ptr(dst) += 1;
		for (k = 0; k < src->level; k++)
			reached[k]++;
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

	*funnel_entities_ptr(dst) += *funnel_entities_ptr(src);
	for (k = 0; k < nsteps; k++)
		reached[k] += funnel_reached(src)[k];
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
				d->count += x->count;
				d->zeros += x->zeros;
				uint128_sum_add128(&d->sum_lo, &d->sum_hi, x->sum_lo, x->sum_hi);
				for (i = 0; i < x->nbuckets; i++)
					counts[off + x->first_bucket - d->first_bucket + i] += scounts[i];
			}
			scounts += x->nbuckets;
			off += d->nbuckets;
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

	funnel_check_same_definition(dst, src);
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

/* Copy of a value in the general form (a single one becomes one entity). */
Funnel *
funnel_to_general(const Funnel *f)
{
	int32		lo[2 * FUNNEL_MAX_STEPS];
	int32		hi[2 * FUNNEL_MAX_STEPS];
	int32		nb[2 * FUNNEL_MAX_STEPS];
	int			s;
	Funnel	   *out;

	needed_ranges(f, lo, hi);
	for (s = 0; s < funnel_nstats(f->nsteps); s++)
		nb[s] = lo[s] <= hi[s] ? hi[s] - lo[s] + 1 : 0;
	out = funnel_make_general(f, 0, lo, nb);
	add_into(out, f);
	return out;
}

/*
 * The canonical copy of a value: one entity in the single form, else the
 * general form with no empty buckets at either end of a sketch.
 */
Funnel *
funnel_normalize(const Funnel *f)
{
	const DurationStats *stats;
	const uint64 *counts;
	int32		first[2 * FUNNEL_MAX_STEPS];
	int32		nb[2 * FUNNEL_MAX_STEPS];
	int			nstats = funnel_nstats(f->nsteps);
	int			s;
	Funnel	   *out;
	uint64	   *ocounts;

	if (funnel_is_single(f))
		return (Funnel *) pg_detoast_datum_copy((struct varlena *) f);

	if (*funnel_entities_ptr(f) == 1 && !funnel_counts_attempts(f))
	{
		const int64 *reached = funnel_reached(f);
		int64		times[FUNNEL_MAX_STEPS];
		FunnelDefinition def;
		int			level = 0;

		while (level < f->nsteps && reached[level] == 1)
			level++;
		for (s = 1; s < level; s++)
			times[s - 1] = funnel_stats(f)[funnel_stat_index(s, FUNNEL_FROM_FIRST)].min;
		funnel_definition_of(f, &def);
		return funnel_make_single(&def, level, times);
	}

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
	out = funnel_make_general(f, *funnel_entities_ptr(f), first, nb);
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

/*
 * Refuse to merge funnels of different definitions, saying which part
 * differs: adding up entities of different funnels gives meaningless rates.
 */
void
funnel_check_same_definition(const Funnel *a, const Funnel *b)
{
	if (a->nsteps != b->nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge funnels with different numbers of steps: %d and %d",
						a->nsteps, b->nsteps),
				 errhint("Only funnels built with the same steps, window and mode can be merged.")));
	if (a->window != b->window)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge funnels with different windows: %s and %s",
						funnel_window_to_string(a->window),
						funnel_window_to_string(b->window)),
				 errhint("Only funnels built with the same steps, window and mode can be merged.")));
	if (a->modes != b->modes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge funnels with different modes: %s and %s",
						funnel_modes_to_string(a->modes),
						funnel_modes_to_string(b->modes)),
				 errhint("Only funnels built with the same steps, window and mode can be merged.")));
	if (a->labels_size != b->labels_size ||
		memcmp(funnel_labels(a), funnel_labels(b), a->labels_size) != 0)
	{
		const char *la = funnel_labels(a);
		const char *lb = funnel_labels(b);
		const char *oa = funnel_options_string(a);
		const char *ob = funnel_options_string(b);
		int			k;

		if (oa == NULL || ob == NULL ? oa != ob : strcmp(oa, ob) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot merge funnels with different options: \"%s\" and \"%s\"",
							oa ? oa : "", ob ? ob : ""),
					 errhint("Only funnels built with the same steps, window, mode and options can be merged.")));
		if ((oa ? oa == la : a->labels_size == 0) || (ob ? ob == lb : b->labels_size == 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("cannot merge a funnel with step labels and one without"),
					 errhint("Build both with funnel_agg(window, ts, event, steps), or both with boolean conditions.")));
		/* same options, so the same number of names: steps, then exclusions */
		for (k = 0; la < (oa ? oa : funnel_labels(a) + a->labels_size); k++)
		{
			if (strcmp(la, lb) != 0)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 k < a->nsteps ?
						 errmsg("cannot merge funnels with different labels for step %d: \"%s\" and \"%s\"",
								k + 1, la, lb) :
						 errmsg("cannot merge funnels with different names for exclusion %d: \"%s\" and \"%s\"",
								k + 1 - a->nsteps, la, lb),
						 errhint("Only funnels built with the same steps, window and mode can be merged.")));
			la += strlen(la) + 1;
			lb += strlen(lb) + 1;
		}
	}
}

/* Whether stat s holds exactly the durations of one entity's time d. */
static bool
stat_is_one(const DurationStats *s, const uint64 *counts, int64 d)
{
	int32		i;

	if (s->count != 1 || s->min != d || s->max != d ||
		s->sum_lo != (uint64) d || s->sum_hi != 0 || s->zeros != (d == 0 ? 1 : 0))
		return false;
	for (i = 0; i < s->nbuckets; i++)
		if (counts[i] != (d > 0 && s->first_bucket + i == duration_sketch_index(d) ? 1 : 0))
			return false;
	return true;
}

/*
 * Check every field of a value that came from outside (text or binary
 * input) before anything else reads it: header, labels, sizes, counts that
 * shrink from step to step, and time statistics that agree with the counts.
 */
void
funnel_check(const Funnel *f, Size size, int sqlstate)
{
	Size		fixed;
	int			nsteps;
	int			nnames;
	bool		attempts = false;
	int			k,
				s;

	check_errcode = sqlstate;

	if (size < sizeof(FunnelHeader))
		funnel_corrupt("too short");
	if (f->version != FUNNEL_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("unsupported funnel format version %d", f->version),
				 errhint("This version of the conversions extension reads funnel format version %d.",
						 FUNNEL_FORMAT_VERSION)));
	if ((f->flags & ~FUNNEL_FLAGS_KNOWN) != 0)
		funnel_corrupt("unknown flags");
	nsteps = f->nsteps;
	if (nsteps < 1 || nsteps > FUNNEL_MAX_STEPS)
		funnel_corrupt("step count out of range");
	nnames = nsteps;
	if ((f->modes & ~FUNNEL_MODE_ALL) != 0 ||
		((f->modes & FUNNEL_MODE_ALLOW_REENTRY) && !(f->modes & FUNNEL_MODE_STRICT_ORDER)))
		funnel_corrupt("invalid modes");
	if (f->window < 0)
		funnel_corrupt("negative window");
	if (f->labels_size < 0 || f->labels_size > FUNNEL_MAX_LABELS_SIZE ||
		size < sizeof(FunnelHeader) + TYPEALIGN(8, f->labels_size))
		funnel_corrupt("bad labels size");
	if (f->flags & FUNNEL_FLAG_OPTIONS)
	{
		FunnelOptions opts;

		if (f->labels_size == 0 || funnel_labels(f)[f->labels_size - 1] != '\0' ||
			!funnel_options_from_string(funnel_options_string(f), f->modes, f->window,
										nsteps, &opts))
			funnel_corrupt("bad options");
		nnames = nsteps + opts.nexcl;
		attempts = opts.attempts;
	}
	if (f->labels_size > 0 &&
		!funnel_definition_labels_valid(funnel_labels(f), f->labels_size, nnames,
										(f->flags & FUNNEL_FLAG_OPTIONS) != 0))
		funnel_corrupt("bad step labels");

	if (funnel_is_single(f))
	{
		const int64 *t;
		int32		bd_len = 0;
		Size		extras = funnel_single_size(f->labels_size, f->level, 0, 0);

		if (f->level < 0 || f->level > nsteps)
			funnel_corrupt("step reached out of range");
		if (attempts)
			funnel_corrupt("a funnel counting attempts is never in the one-entity form");
		if (((f->flags & FUNNEL_FLAG_ENTRY) && f->level == 0) ||
			((f->flags & (FUNNEL_FLAG_LOCAL_TIME | FUNNEL_FLAG_BREAKDOWN)) &&
			 !(f->flags & FUNNEL_FLAG_ENTRY)))
			funnel_corrupt("entry time or breakdown without a chain");
		if (f->flags & FUNNEL_FLAG_BREAKDOWN)
		{
			extras += sizeof(int64);
			if (size < extras + 4)
				funnel_corrupt("too short for its breakdown value");
			memcpy(&bd_len, (const char *) f + extras, 4);
			if (bd_len < 0 || bd_len > FUNNEL_MAX_VALUE)
				funnel_corrupt("bad breakdown length");
		}
		if (size != funnel_single_size(f->labels_size, f->level, f->flags, bd_len))
			funnel_corrupt("size does not match the step reached");
		t = funnel_single_times(f);
		for (k = 1; k < f->level; k++)
			if (t[k - 1] < (k > 1 ? t[k - 2] : 0) || t[k - 1] > f->window)
				funnel_corrupt("times from step 1 must grow step by step and stay within the window");
		return;
	}

	if (f->level != 0)
		funnel_corrupt("step reached set in a multi-entity funnel");
	if ((f->flags & ~FUNNEL_FLAGS_DEFINITION) != 0)
		funnel_corrupt("entry time or breakdown in a multi-entity funnel");
	fixed = funnel_general_size(nsteps, f->labels_size, 0);
	if (size < fixed)
		funnel_corrupt("too short for its step count");
	{
		const int64 *reached = funnel_reached(f);
		const DurationStats *stats = funnel_stats(f);
		const uint64 *counts = funnel_counts(f);
		int64		total = 0;
		int64		entities = *funnel_entities_ptr(f);

		if (entities < 0 || (reached[0] > entities && !attempts))
			ereport(ERROR,
					(errcode(sqlstate),
					 errmsg("invalid funnel value: %lld entities reached step 1, more than the %lld counted",
							(long long) reached[0], (long long) entities),
					 errhint("Step counts must not grow from one step to the next.")));
		for (k = 0; k < nsteps; k++)
			if (reached[k] < 0 || (k > 0 && reached[k] > reached[k - 1]))
				ereport(ERROR,
						(errcode(sqlstate),
						 errmsg("invalid funnel value: step %d has %lld entities, step %d has %lld",
								k + 1, (long long) reached[k], k, (long long) (k > 0 ? reached[k - 1] : 0)),
						 errhint("Step counts must not grow from one step to the next.")));
		for (s = 0; s < funnel_nstats(nsteps); s++)
		{
			if (stats[s].nbuckets < 0 || stats[s].nbuckets > DURATION_SKETCH_MAX_INDEX + 1)
				funnel_corrupt("bad bucket count");
			total += stats[s].nbuckets;
		}
		if (size != funnel_general_size(nsteps, f->labels_size, total))
			funnel_corrupt("size does not match the bucket counts");

		for (k = 1; k < nsteps; k++)
		{
			for (s = funnel_stat_index(k, 0); s <= funnel_stat_index(k, 1); s++)
			{
				const DurationStats *st = &stats[s];
				uint64		in_buckets = 0;
				int32		i;

				if (st->count != (uint64) reached[k])
					funnel_corrupt("time count differs from the step's entities");
				if (st->nbuckets > 0 &&
					(st->first_bucket < DURATION_SKETCH_MIN_INDEX ||
					 st->first_bucket > DURATION_SKETCH_MAX_INDEX - st->nbuckets + 1))
					funnel_corrupt("bucket range out of bounds");
				if (st->count == 0)
				{
					if (st->zeros != 0 || st->min != 0 || st->max != 0 ||
						st->sum_lo != 0 || st->sum_hi != 0)
						funnel_corrupt("time statistics of an empty step");
				}
				else if (st->min < 0 || st->min > st->max || st->max > f->window ||
						 st->zeros > st->count || (st->zeros > 0) != (st->min == 0))
					funnel_corrupt("inconsistent time statistics");
				for (i = 0; i < st->nbuckets; i++)
				{
					if (counts[i] > 0 &&
						(st->first_bucket + i < duration_sketch_index(Max(st->min, 1)) ||
						 st->first_bucket + i > duration_sketch_index(st->max)))
						funnel_corrupt("bucket outside the range of min and max");
					if (counts[i] > st->count - in_buckets - st->zeros)
						funnel_corrupt("bucket counts exceed the time count");
					in_buckets += counts[i];
				}
				if (in_buckets + st->zeros != st->count)
					funnel_corrupt("bucket counts do not add up to the time count");
				counts += st->nbuckets;
			}
		}

		/* one entity: the stats must describe one chain */
		if (entities == 1 && !attempts)
		{
			const uint64 *c = funnel_counts(f);
			int64		prev = 0;

			for (k = 1; k < nsteps && reached[k] == 1; k++)
			{
				const DurationStats *pst = &stats[funnel_stat_index(k, FUNNEL_FROM_PREVIOUS)];
				const DurationStats *fst = &stats[funnel_stat_index(k, FUNNEL_FROM_FIRST)];
				const uint64 *fc = c + pst->nbuckets;

				if (!stat_is_one(fst, fc, fst->min) ||
					!stat_is_one(pst, c, fst->min - prev))
					funnel_corrupt("times of a one-entity funnel do not describe one chain");
				prev = fst->min;
				c = fc + fst->nbuckets;
			}
		}
	}
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
