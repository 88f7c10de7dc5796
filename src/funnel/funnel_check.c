/*
 * funnel_check.c
 *		Checking a funnel value from text or binary input.
 *
 * funnel_in and funnel_recv (funnel_io.c) build a value from what they
 * read and hand it to funnel_check before anything else reads it: every
 * field of the layout described in funnel.h is checked against the others,
 * so that the rest of the extension can trust a value it is given.  The
 * errors carry the SQLSTATE of the input being read (text or binary
 * representation), which is passed down to every check.
 */
#include "postgres.h"

#include "common/duration_sketch.h"
#include "common/id_set.h"
#include "common/pg_compat.h"
#include "common/uint128_sum.h"
#include "funnel/funnel.h"
#include "funnel/funnel_options.h"
#include "mb/pg_wchar.h"
#include "utils/timestamp.h"
#include "window_funnel/funnel_mode.h"

/*
 * Error for a funnel value whose fields are inconsistent, with the SQLSTATE
 * of the input that carried it.
 */
static void
funnel_corrupt(int sqlstate, const char *what)
{
	ereport(ERROR,
			(errcode(sqlstate),
			 errmsg("invalid funnel value: %s", what),
			 errhint("Funnel values must come from funnel_agg, rollup or the output of this version of the conversions extension.")));
}

/*
 * The header: long enough, this format version, known flags, a step count,
 * modes and window in range, and labels that fit in the value.  Everything
 * after it relies on these.
 */
static void
check_header(const Funnel *f, Size size, int sqlstate)
{
	if (size < sizeof(FunnelHeader))
		funnel_corrupt(sqlstate, "too short");
	if (f->version != FUNNEL_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(sqlstate),
				 errmsg("unsupported funnel format version %d", f->version),
				 errhint("This version of the conversions extension reads funnel format version %d.",
						 FUNNEL_FORMAT_VERSION)));
	if ((f->flags & ~FUNNEL_FLAGS_KNOWN) != 0)
		funnel_corrupt(sqlstate, "unknown flags");
	if (f->nsteps < 1 || f->nsteps > FUNNEL_MAX_STEPS)
		funnel_corrupt(sqlstate, "step count out of range");
	if (!funnel_modes_valid(f->modes))
		funnel_corrupt(sqlstate, "invalid modes");
	if (f->window < 0)
		funnel_corrupt(sqlstate, "negative window");
	if (f->labels_size < 0 || f->labels_size > FUNNEL_MAX_LABELS_SIZE ||
		size < sizeof(FunnelHeader) + TYPEALIGN(8, f->labels_size))
		funnel_corrupt(sqlstate, "bad labels size");
}

/*
 * Whether bytes[0..len) are valid text in the database encoding, with no
 * NUL byte: what every text value holds, and what text input of a funnel
 * can produce (binary input must not store a label or breakdown value that
 * prints differently or cannot be dumped and restored).
 */
static bool
bytes_are_text(const char *bytes, int32 len)
{
	return memchr(bytes, '\0', len) == NULL &&
		pg_verify_mbstr(GetDatabaseEncoding(), bytes, len, true);
}

/*
 * Whether every NUL-terminated string of a labels blob of `size` bytes is
 * valid text (the structure has been checked: the blob ends with a NUL).
 */
static bool
labels_are_text(const char *labels, int32 size)
{
	const char *p = labels;
	const char *end = labels + size;

	while (p < end)
	{
		int32		len = (int32) strlen(p);

		if (!bytes_are_text(p, len))
			return false;
		p += len + 1;
	}
	return true;
}

/*
 * The labels: with FUNNEL_FLAG_OPTIONS, a canonical options string at the
 * end that agrees with the header; before it, one name per step and
 * exclusion, or none.  Returns whether the options count attempts, which
 * the body's checks depend on.
 */
static bool
check_labels(const Funnel *f, int sqlstate)
{
	int			nnames = f->nsteps;
	bool		attempts = false;

	if (f->flags & FUNNEL_FLAG_OPTIONS)
	{
		FunnelOptions opts;

		if (f->labels_size == 0 || funnel_labels(f)[f->labels_size - 1] != '\0' ||
			!funnel_options_from_string(funnel_options_string(f), f->modes, f->window,
										f->nsteps, &opts))
			funnel_corrupt(sqlstate, "bad options");
		nnames = f->nsteps + opts.nexcl;
		attempts = opts.attempts;
		/* within= windows are bare numbers exactly in a funnel over integer times */
		if (opts.within_integer != funnel_integer_time(f) && funnel_options_have_within(&opts))
			funnel_corrupt(sqlstate, "per-step windows of the wrong kind of time");
	}
	if (f->labels_size > 0 &&
		!funnel_definition_labels_valid(funnel_labels(f), f->labels_size, nnames,
										(f->flags & FUNNEL_FLAG_OPTIONS) != 0))
		funnel_corrupt(sqlstate, "bad step labels");
	if (!labels_are_text(funnel_labels(f), f->labels_size))
		funnel_corrupt(sqlstate, "a step label is not valid text in the database encoding");
	return attempts;
}

/*
 * Whether the entry time is one that timestamp and timestamptz input
 * accept: an infinity or within PostgreSQL's timestamp range.  Text input
 * reads "entry" with them, so binary input must hold the same values, or
 * the value would print a text form (pg_dump's) that cannot be read back.
 */
static bool
funnel_entry_time_valid(const Funnel *f, int64 entry)
{
	/* integer times: any bigint but the two extremes (funnel_agg refuses them) */
	if (funnel_integer_time(f))
		return entry != PG_INT64_MIN && entry != PG_INT64_MAX;
	return TIMESTAMP_NOT_FINITE(entry) || IS_VALID_TIMESTAMP(entry);
}

/*
 * The single (one-entity) form: the step reached, the entry time and
 * breakdown flags, a size that matches them, and times from step 1 that
 * grow step by step within the window.
 */
static void
check_single(const Funnel *f, Size size, bool attempts, int sqlstate)
{
	const int64 *t;
	int32		bd_len = 0;
	Size		extras = funnel_single_size(f->labels_size, f->level, 0, 0);
	int			k;

	if (f->level < 0 || f->level > f->nsteps)
		funnel_corrupt(sqlstate, "step reached out of range");
	if (attempts)
		funnel_corrupt(sqlstate, "a funnel counting attempts is never in the one-entity form");
	if (f->flags & FUNNEL_FLAG_PEOPLE)
		funnel_corrupt(sqlstate, "people in a one-entity funnel");
	if (((f->flags & FUNNEL_FLAG_ENTRY) && f->level == 0) ||
		((f->flags & (FUNNEL_FLAG_LOCAL_TIME | FUNNEL_FLAG_BREAKDOWN)) &&
		 !(f->flags & FUNNEL_FLAG_ENTRY)))
		funnel_corrupt(sqlstate, "entry time or breakdown without a chain");
	if (f->flags & FUNNEL_FLAG_BREAKDOWN)
	{
		extras += sizeof(int64);
		if (size < extras + 4)
			funnel_corrupt(sqlstate, "too short for its breakdown value");
		memcpy(&bd_len, (const char *) f + extras, 4);
		if (bd_len < 0 || bd_len > FUNNEL_MAX_VALUE)
			funnel_corrupt(sqlstate, "bad breakdown length");
	}
	if (size != funnel_single_size(f->labels_size, f->level, f->flags, bd_len))
		funnel_corrupt(sqlstate, "size does not match the step reached");
	if ((f->flags & FUNNEL_FLAG_LOCAL_TIME) && funnel_integer_time(f))
		funnel_corrupt(sqlstate, "an entry both a timestamp and an integer time");
	if ((f->flags & FUNNEL_FLAG_ENTRY) && !funnel_entry_time_valid(f, *funnel_entry_ptr(f)))
		funnel_corrupt(sqlstate, "entry time out of range");
	if ((f->flags & FUNNEL_FLAG_BREAKDOWN) &&
		!bytes_are_text(funnel_breakdown_ptr(f) + 4, bd_len))
		funnel_corrupt(sqlstate, "the breakdown value is not valid text in the database encoding");
	t = funnel_single_times(f);
	for (k = 1; k < f->level; k++)
		if (t[k - 1] < (k > 1 ? t[k - 2] : 0) || t[k - 1] > f->window)
			funnel_corrupt(sqlstate, "times from step 1 must grow step by step and stay within the window");
}

/*
 * The general form's fixed part: no single-form fields, entities and step
 * counts that do not grow from step to step, and a size that matches the
 * stats' bucket counts.  After this, every field of the body can be read.
 */
static void
check_general_counts(const Funnel *f, Size size, bool attempts, int sqlstate)
{
	int			nsteps = f->nsteps;
	const int64 *reached;
	const DurationStats *stats;
	int64		entities;
	int64		total = 0;
	int			k,
				s;

	if (f->level != 0)
		funnel_corrupt(sqlstate, "step reached set in a multi-entity funnel");
	if ((f->flags & ~(FUNNEL_FLAGS_DEFINITION | FUNNEL_FLAG_PEOPLE)) != 0)
		funnel_corrupt(sqlstate, "entry time or breakdown in a multi-entity funnel");
	if (size < funnel_general_size(nsteps, f->labels_size, 0))
		funnel_corrupt(sqlstate, "too short for its step count");

	reached = funnel_reached(f);
	stats = funnel_stats(f);
	entities = *funnel_entities_ptr(f);
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
			funnel_corrupt(sqlstate, "bad bucket count");
		total += stats[s].nbuckets;
	}
	if ((f->flags & FUNNEL_FLAG_PEOPLE) ?
		size < funnel_general_size(nsteps, f->labels_size, total) :
		size != funnel_general_size(nsteps, f->labels_size, total))
		funnel_corrupt(sqlstate, "size does not match the bucket counts");
}

/*
 * The people section (funnel_people.h): one well-formed flat set per
 * step filling the rest of the value, each within the previous step's,
 * no larger than its step's count (step 1's also no larger than the
 * entities), empty exactly when no entity reached the step, and with no
 * more persons leaving after a step than values stopped there.
 */
static void
check_people(const Funnel *f, Size size, bool attempts, int sqlstate)
{
	const int64 *reached = funnel_reached(f);
	const char *sets[FUNNEL_MAX_STEPS];
	int64		card[FUNNEL_MAX_STEPS];
	Size		off = funnel_general_counts_size(f);
	int			k;

	if (attempts)
		funnel_corrupt(sqlstate, "people in a funnel that counts attempts");
	for (k = 0; k < f->nsteps; k++)
	{
		Size		used = 0;
		const char *problem = id_set_flat_check((const char *) f + off, size - off, &used);

		if (problem != NULL)
			funnel_corrupt(sqlstate, problem);
		sets[k] = (const char *) f + off;
		card[k] = id_set_flat_card(sets[k]);
		off += used;
	}
	if (off != size)
		funnel_corrupt(sqlstate, "size does not match the sets of people");
	for (k = 0; k < f->nsteps; k++)
	{
		if (card[k] > reached[k] || (k == 0 && card[k] > *funnel_entities_ptr(f)))
			ereport(ERROR,
					(errcode(sqlstate),
					 errmsg("invalid funnel value: step %d has %lld people, more than the %lld entities that reached it",
							k + 1, (long long) card[k], (long long) reached[k]),
					 errhint("Funnel values must come from funnel_agg, rollup or the output of this version of the conversions extension.")));
		if ((card[k] == 0) != (reached[k] == 0))
			funnel_corrupt(sqlstate, "a step's people are empty but its count is not, or the reverse");
	}
	for (k = 0; k < f->nsteps; k++)
	{
		if (k + 1 < f->nsteps)
		{
			if (!id_set_flat_subset(sets[k + 1], sets[k]))
				ereport(ERROR,
						(errcode(sqlstate),
						 errmsg("invalid funnel value: people of step %d are not all among those of step %d",
								k + 2, k + 1),
						 errhint("Funnel values must come from funnel_agg, rollup or the output of this version of the conversions extension.")));
			if (card[k] - card[k + 1] > reached[k] - reached[k + 1])
				funnel_corrupt(sqlstate, "more people stopped at a step than entities did");
		}
	}
}

/*
 * One time statistic of a step that `reached` entities reached, with its
 * buckets: the count matches, the bucket range is in bounds, count, zeros,
 * min, max and sum agree, and the buckets lie between min and max and add
 * up to the positive times.
 */
static void
check_stat(const DurationStats *st, const uint64 *counts, int64 reached,
		   int64 window, int sqlstate)
{
	uint64		in_buckets = 0;
	int32		i;

	if (st->count != (uint64) reached)
		funnel_corrupt(sqlstate, "time count differs from the step's entities");
	if (st->nbuckets > 0 &&
		(st->first_bucket < DURATION_SKETCH_MIN_INDEX ||
		 st->first_bucket > DURATION_SKETCH_MAX_INDEX - st->nbuckets + 1))
		funnel_corrupt(sqlstate, "bucket range out of bounds");
	if (st->count == 0)
	{
		if (st->zeros != 0 || st->min != 0 || st->max != 0 ||
			st->sum_lo != 0 || st->sum_hi != 0)
			funnel_corrupt(sqlstate, "time statistics of an empty step");
	}
	else
	{
		uint64		lo_lo,
					lo_hi,
					hi_lo,
					hi_hi;

		if (st->min < 0 || st->min > st->max || st->max > window ||
			st->zeros > st->count || (st->zeros > 0) != (st->min == 0))
			funnel_corrupt(sqlstate, "inconsistent time statistics");
		/* count * min <= sum <= count * max, so the mean lies in [min, max] */
		uint128_product(st->count, (uint64) st->min, &lo_lo, &lo_hi);
		uint128_product(st->count, (uint64) st->max, &hi_lo, &hi_hi);
		if (uint128_less(st->sum_lo, st->sum_hi, lo_lo, lo_hi) ||
			uint128_less(hi_lo, hi_hi, st->sum_lo, st->sum_hi))
			funnel_corrupt(sqlstate, "time sum outside count times min and max");
	}
	for (i = 0; i < st->nbuckets; i++)
	{
		if (counts[i] > 0 &&
			(st->first_bucket + i < duration_sketch_index(Max(st->min, 1)) ||
			 st->first_bucket + i > duration_sketch_index(st->max)))
			funnel_corrupt(sqlstate, "bucket outside the range of min and max");
		if (counts[i] > st->count - in_buckets - st->zeros)
			funnel_corrupt(sqlstate, "bucket counts exceed the time count");
		in_buckets += counts[i];
	}
	if (in_buckets + st->zeros != st->count)
		funnel_corrupt(sqlstate, "bucket counts do not add up to the time count");
}

/*
 * Whether two checked time statistics hold the same durations: the same
 * count, zeros, min, max and sum, and the same count in every bucket (the
 * dense ranges may differ by empty buckets at either end).
 */
static bool
stats_equal(const DurationStats *a, const uint64 *ac,
			const DurationStats *b, const uint64 *bc)
{
	int32		lo,
				hi,
				i;

	if (a->count != b->count || a->zeros != b->zeros || a->min != b->min ||
		a->max != b->max || a->sum_lo != b->sum_lo || a->sum_hi != b->sum_hi)
		return false;
	lo = Min(a->first_bucket, b->first_bucket);
	hi = Max(a->first_bucket + a->nbuckets, b->first_bucket + b->nbuckets);
	for (i = lo; i < hi; i++)
	{
		uint64		x = (i >= a->first_bucket && i < a->first_bucket + a->nbuckets) ?
			ac[i - a->first_bucket] : 0;
		uint64		y = (i >= b->first_bucket && i < b->first_bucket + b->nbuckets) ?
			bc[i - b->first_bucket] : 0;

		if (x != y)
			return false;
	}
	return true;
}

/*
 * The general form's time statistics and sketches, step by step, each
 * against the entities that reached its step (check_general_counts has
 * checked the sizes they are read with).  Step 2's time from the previous
 * step is its time from step 1, so its two statistics must be equal.
 */
static void
check_general_sketches(const Funnel *f, int sqlstate)
{
	const int64 *reached = funnel_reached(f);
	const DurationStats *stats = funnel_stats(f);
	const uint64 *counts = funnel_counts(f);
	int			k,
				s;

	for (k = 1; k < f->nsteps; k++)
	{
		const uint64 *step_counts = counts;

		for (s = funnel_stat_index(k, 0); s <= funnel_stat_index(k, 1); s++)
		{
			check_stat(&stats[s], counts, reached[k], f->window, sqlstate);
			counts += stats[s].nbuckets;
		}
		if (k == 1)
		{
			const DurationStats *prev = &stats[funnel_stat_index(1, FUNNEL_FROM_PREVIOUS)];
			const DurationStats *first = &stats[funnel_stat_index(1, FUNNEL_FROM_FIRST)];

			if (!stats_equal(prev, step_counts, first, step_counts + prev->nbuckets))
				funnel_corrupt(sqlstate, "step 2's times from the previous step and from step 1 differ");
		}
	}
}

/*
 * Whether stat s holds exactly the durations of one entity's time d:
 * what a one-entity value's stats must hold for each step it reached.
 */
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
 * A general value of one entity (not counting attempts): its stats must
 * describe one chain, whose times from the previous step are the
 * differences of its times from step 1, so that funnel_normalize can turn
 * it into the single form.
 */
static void
check_one_chain(const Funnel *f, int sqlstate)
{
	const int64 *reached = funnel_reached(f);
	const DurationStats *stats = funnel_stats(f);
	const uint64 *c = funnel_counts(f);
	int64		prev = 0;
	int			k;

	for (k = 1; k < f->nsteps && reached[k] == 1; k++)
	{
		const DurationStats *pst = &stats[funnel_stat_index(k, FUNNEL_FROM_PREVIOUS)];
		const DurationStats *fst = &stats[funnel_stat_index(k, FUNNEL_FROM_FIRST)];
		const uint64 *fc = c + pst->nbuckets;

		if (!stat_is_one(fst, fc, fst->min) ||
			!stat_is_one(pst, c, fst->min - prev))
			funnel_corrupt(sqlstate, "times of a one-entity funnel do not describe one chain");
		prev = fst->min;
		c = fc + fst->nbuckets;
	}
}

/*
 * Check every field of a value that came from outside (text or binary
 * input) before anything else reads it: header, labels, sizes, counts that
 * shrink from step to step, and time statistics that agree with the counts.
 * Errors carry `sqlstate` (invalid text or binary representation).
 */
void
funnel_check(const Funnel *f, Size size, int sqlstate)
{
	bool		attempts;

	check_header(f, size, sqlstate);
	attempts = check_labels(f, sqlstate);
	if (funnel_is_single(f))
	{
		check_single(f, size, attempts, sqlstate);
		return;
	}
	check_general_counts(f, size, attempts, sqlstate);
	check_general_sketches(f, sqlstate);
	if (f->flags & FUNNEL_FLAG_PEOPLE)
		check_people(f, size, attempts, sqlstate);
	/* one entity: the stats must describe one chain */
	if (*funnel_entities_ptr(f) == 1 && !attempts)
		check_one_chain(f, sqlstate);
}
