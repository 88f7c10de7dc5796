/*
 * sequence_pattern_test.c
 *		Unit test of the sequence pattern compiler and matcher.
 *
 * Built and run by `make unittest`.  Checks every ClickHouse 26.7 reference
 * vector in test/data/vectors (sequence_match and sequence_count of 15
 * patterns on 100 event sets), the compiler's errors and their positions,
 * and times an adversarial case: 100,000 events and a pattern with several
 * .* and time gaps, which a backtracking matcher cannot finish.
 */
#include "sequence/sequence_pattern.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int	passed;
static int	failed;

static void *
test_zalloc(size_t size)
{
	return calloc(1, size);
}

static const SequenceHooks hooks = {test_zalloc, free, NULL};

static void
check(int ok, const char *what, long long got, long long want)
{
	if (ok)
		passed++;
	else
	{
		failed++;
		printf("FAIL: %s: got %lld, want %lld\n", what, got, want);
	}
}

#define MAX_CASES 200
#define MAX_EVENTS_PER_CASE 64

static SequenceEvent events[MAX_CASES][MAX_EVENTS_PER_CASE];
static int	nevents[MAX_CASES];

/* Sort one case's events by (ts, mask), as the SQL layer does. */
static int
cmp_event(const void *a, const void *b)
{
	const SequenceEvent *x = a;
	const SequenceEvent *y = b;

	if (x->ts != y->ts)
		return x->ts < y->ts ? -1 : 1;
	return x->mask < y->mask ? -1 : x->mask > y->mask;
}

/* The reference vectors: every expected result of ClickHouse. */
static void
test_vectors(void)
{
	FILE	   *f = fopen("test/data/vectors/sequence_events.csv", "r");
	char		line[512];
	int			id;
	long long	ts;
	unsigned	mask;
	int			ncases = 0;

	if (f == NULL)
	{
		check(0, "open sequence_events.csv", 0, 1);
		return;
	}
	while (fscanf(f, "%d,%lld,%u\n", &id, &ts, &mask) == 3)
	{
		if (id < 0 || id >= MAX_CASES || nevents[id] >= MAX_EVENTS_PER_CASE)
			continue;
		/* only rows matching some condition take part, as in ClickHouse */
		if (mask == 0)
			continue;
		events[id][nevents[id]].ts = ts * 1000000;
		events[id][nevents[id]].mask = mask;
		nevents[id]++;
	}
	fclose(f);
	for (id = 0; id < MAX_CASES; id++)
		qsort(events[id], nevents[id], sizeof(SequenceEvent), cmp_event);

	f = fopen("test/data/vectors/sequence_expected.csv", "r");
	if (f == NULL || fgets(line, sizeof(line), f) == NULL)
	{
		check(0, "open sequence_expected.csv", 0, 1);
		return;
	}
	while (fgets(line, sizeof(line), f) != NULL)
	{
		char		pattern[128];
		int			want_match,
					want_count;
		SequencePattern p;
		int			pos;
		char		what[256];
		char	   *q1 = strchr(line, '"');
		char	   *q2 = q1 ? strchr(q1 + 1, '"') : NULL;

		if (q2 == NULL || sscanf(line, "%d,", &id) != 1 ||
			sscanf(q2 + 1, ",%d,%d", &want_match, &want_count) != 2)
			continue;
		memcpy(pattern, q1 + 1, q2 - q1 - 1);
		pattern[q2 - q1 - 1] = '\0';
		ncases++;
		if (sequence_pattern_compile(pattern, (int) strlen(pattern), 3, &p, &pos) != SEQ_OK)
		{
			snprintf(what, sizeof(what), "compile %s", pattern);
			check(0, what, 0, 1);
			continue;
		}
		snprintf(what, sizeof(what), "case %d, sequence_match('%s')", id, pattern);
		{
			long long	got = sequence_pattern_count(&p, events[id], nevents[id], true, &hooks);

			check(got == want_match, what, got, want_match);
		}
		snprintf(what, sizeof(what), "case %d, sequence_count('%s')", id, pattern);
		{
			long long	got = sequence_pattern_count(&p, events[id], nevents[id], false, &hooks);

			check(got == want_count, what, got, want_count);
		}
	}
	fclose(f);
	check(ncases == 1500, "reference cases read", ncases, 1500);
}

/* Compile errors and the position they point at. */
static void
test_errors(void)
{
	static const struct
	{
		const char *pattern;
		SequencePatternError err;
		int			pos;
	}			cases[] = {
		{"", SEQ_ERR_EMPTY, 0},
		{"(?1", SEQ_ERR_UNCLOSED, 3},
		{"(?1)(?2", SEQ_ERR_UNCLOSED, 7},
		{"(?1))", SEQ_ERR_UNEXPECTED, 4},
		{"(?x)", SEQ_ERR_NUMBER, 2},
		{"(?0)", SEQ_ERR_CONDITION_RANGE, 0},
		{"(?1)(?4)", SEQ_ERR_CONDITION_RANGE, 4},
		{"(?1)(?t<>3)(?2)", SEQ_ERR_NUMBER, 8},
		{"(?1)(?t!3)(?2)", SEQ_ERR_TIME_OPERATOR, 7},
		{"(?1)(?t<)", SEQ_ERR_NUMBER, 8},
		{"(?1)(?t<3)(?t>1)(?2)", SEQ_ERR_TIME_PLACEMENT, 10},
		{"(?1) (?2)", SEQ_ERR_UNEXPECTED, 4},
		{"abc", SEQ_ERR_UNEXPECTED, 0},
		{"(?99999999999999999999999)", SEQ_ERR_NUMBER, 2},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		SequencePattern p;
		int			pos = -1;
		SequencePatternError err = sequence_pattern_compile(cases[i].pattern,
															(int) strlen(cases[i].pattern),
															3, &p, &pos);
		char		what[128];

		snprintf(what, sizeof(what), "error code of '%s'", cases[i].pattern);
		check(err == cases[i].err, what, err, cases[i].err);
		snprintf(what, sizeof(what), "error position of '%s'", cases[i].pattern);
		check(pos == cases[i].pos, what, pos, cases[i].pos);
	}
	{
		char		longp[4 * (SEQUENCE_MAX_ACTIONS + 1) + 1];
		SequencePattern p;
		int			pos;

		for (i = 0; i <= SEQUENCE_MAX_ACTIONS; i++)
			memcpy(longp + 4 * i, "(?1)", 4);
		longp[4 * (SEQUENCE_MAX_ACTIONS + 1)] = '\0';
		check(sequence_pattern_compile(longp, (int) strlen(longp), 3, &p, &pos) == SEQ_ERR_TOO_LONG,
			  "too many items", 0, 1);
		check(sequence_pattern_compile(longp, 4 * SEQUENCE_MAX_ACTIONS, 3, &p, &pos) == SEQ_OK,
			  "the most items", 0, 1);
	}
}

/*
 * ClickHouse's test 00222_sequence_aggregate_function_family: 12 events,
 * conditions data = 0 .. 3.  (Its empty pattern is an error here.)
 */
static void
test_clickhouse_examples(void)
{
	static const int data[] = {0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 1, 1};
	static const struct
	{
		const char *pattern;
		int			match;
		int			count;
	}			cases[] = {
		{".", 1, 12}, {".*", 1, 12}, {"(?1)", 1, 8}, {"(?2)", 1, 3}, {"(?3)", 1, 1},
		{"(?4)", 0, 0}, {"(?1)(?1)", 1, 4}, {"(?1)(?1)(?1)", 1, 2},
		{"(?1)(?1)(?1)(?1)", 1, 2}, {"(?1)(?1)(?1)(?1)(?1)", 0, 0},
		{"(?1)(?1)(?1)(?1)(?2)", 1, 2}, {"(?1)(?t>10)(?2)", 1, 1},
		{"(?1)(?t>11)(?2)", 0, 0}, {"(?1)(?t<11)(?2)", 1, 2}, {"(?1)(?t<3)(?3)", 1, 1},
		{"(?1)(?t<=2)(?3)", 1, 1}, {"(?1)(?t<2)(?3)", 0, 0}, {"(?2)(?t>=7)(?2)", 1, 1},
		{"(?2)(?t>7)(?2)", 0, 0}, {"(?2)(?3)(?1)", 1, 1},
	};
	SequenceEvent ev[12];
	size_t		i;

	for (i = 0; i < 12; i++)
	{
		ev[i].ts = (int64_t) i * 1000000;
		ev[i].mask = 1u << data[i];
	}
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		SequencePattern p;
		int			pos;
		char		what[128];
		long long	got;

		if (sequence_pattern_compile(cases[i].pattern, (int) strlen(cases[i].pattern), 4, &p, &pos) != SEQ_OK)
		{
			snprintf(what, sizeof(what), "00222 compile '%s'", cases[i].pattern);
			check(0, what, -1, 0);
			continue;
		}
		got = sequence_pattern_count(&p, ev, 12, true, &hooks);
		snprintf(what, sizeof(what), "00222 sequence_match('%s')", cases[i].pattern);
		check(got == cases[i].match, what, got, cases[i].match);
		got = sequence_pattern_count(&p, ev, 12, false, &hooks);
		snprintf(what, sizeof(what), "00222 sequence_count('%s')", cases[i].pattern);
		check(got == cases[i].count, what, got, cases[i].count);
	}
}

/*
 * After .*, a time condition measures from the event where the .* stopped,
 * not from the event matched before it (ClickHouse's base_it).
 */
static void
test_time_after_star(void)
{
	SequenceEvent ev[2] = {{0, 1}, {12000000, 2}};
	SequencePattern p;
	int			pos;

	sequence_pattern_compile("(?1).*(?t>=10)(?2)", 18, 2, &p, &pos);
	check(sequence_pattern_count(&p, ev, 2, true, &hooks) == 0,
		  "(?1).*(?t>=10)(?2) measures from where .* stopped", 1, 0);
	sequence_pattern_compile("(?1)(?t>=10)(?2)", 16, 2, &p, &pos);
	check(sequence_pattern_count(&p, ev, 2, true, &hooks) == 1,
		  "(?1)(?t>=10)(?2) measures from the matched event", 0, 1);
}

/*
 * Integer times (sequence_pattern_compile_units with a unit of 1): S is a
 * raw difference, as ClickHouse's over UInt columns; an S above the largest
 * int64 saturates as for seconds.
 */
static void
test_integer_units(void)
{
	SequenceEvent ev[2] = {{1000, 1}, {4000, 2}};
	SequencePattern p;
	int			pos;

	sequence_pattern_compile_units("(?1)(?t<=3000)(?2)", 18, 2, 1, &p, &pos);
	check(p.actions[2].usecs == 3000 && sequence_pattern_count(&p, ev, 2, true, &hooks) == 1,
		  "(?t<=3000) over integer times is 3000 units", 1, 1);
	sequence_pattern_compile_units("(?1)(?t<3000)(?2)", 17, 2, 1, &p, &pos);
	check(sequence_pattern_count(&p, ev, 2, true, &hooks) == 0,
		  "(?t<3000) over integer times excludes a gap of 3000", 0, 0);
	sequence_pattern_compile("(?1)(?t<=3000)(?2)", 18, 2, &p, &pos);
	check(p.actions[2].usecs == INT64_C(3000000000), "(?t<=3000) over timestamps is seconds", 1, 1);
	sequence_pattern_compile_units("(?1)(?t<=9223372036854775808)(?2)", 33, 2, 1, &p, &pos);
	check(p.actions[2].usecs == INT64_MAX, "an integer S above the largest int64 saturates", 1, 1);
	sequence_pattern_compile_units("(?1)(?t<=9223372036854775807)(?2)", 33, 2, 1, &p, &pos);
	check(p.actions[2].usecs == INT64_MAX, "an integer S of the largest int64 is kept", 1, 1);
}

/*
 * sequence_pattern_events (ClickHouse's sequenceMatchEvents): the events of
 * the first match, or of the first longest chain matching a prefix of the
 * pattern.  Times in seconds, one condition bit per event.
 */
static void
test_events(void)
{
	const struct
	{
		const char *pattern;
		int			n;
		int64_t		ts[6];
		uint32_t	mask[6];
		int			matched;
		int			len;
		int64_t		want[4];	/* event indexes */
	}			cases[] = {
		/* the example */
		{"(?1)(?2)", 2, {1, 3}, {1, 2}, 1, 2, {0, 1}},
		/* ClickHouse #118120: the chain must pass its time condition */
		{"(?1)(?t<=10)(?2)(?3)", 4, {0, 5, 100, 101}, {1, 2, 2, 4}, 0, 2, {0, 1}},
		/* no (?N) item: nothing, match or not */
		{".*", 2, {0, 1}, {1, 1}, 1, 0, {0}},
		{"(?2)", 2, {0, 1}, {1, 1}, 0, 0, {0}},
		/* a chain of every item that cannot finish ((?1) then a missing
		 * ".") comes first; the match found later is the answer */
		{"(?1)(?t<=1)", 3, {0, 5, 6}, {1, 1, 2}, 1, 1, {1}},
		/* the first of two longest chains */
		{"(?1)(?2)(?3)", 6, {0, 1, 2, 3, 4, 5}, {1, 2, 1, 1, 2, 1}, 0, 2, {0, 1}},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		SequenceEvent ev[6];
		SequencePattern p;
		int64_t		out[SEQUENCE_MAX_ACTIONS + 1];
		bool		matched;
		int			pos,
					len,
					k,
					same;
		char		what[160];

		for (k = 0; k < cases[i].n; k++)
		{
			ev[k].ts = cases[i].ts[k] * 1000000;
			ev[k].mask = cases[i].mask[k];
		}
		sequence_pattern_compile(cases[i].pattern, (int) strlen(cases[i].pattern), 3, &p, &pos);
		len = sequence_pattern_events(&p, ev, cases[i].n, out, &matched, &hooks);
		snprintf(what, sizeof(what), "sequence_pattern_events('%s') matched", cases[i].pattern);
		check(matched == cases[i].matched, what, matched, cases[i].matched);
		check(matched == (sequence_pattern_count(&p, ev, cases[i].n, true, &hooks) == 1),
			  "sequence_pattern_events agrees with sequence_match", matched, !matched);
		snprintf(what, sizeof(what), "sequence_pattern_events('%s') length", cases[i].pattern);
		check(len == cases[i].len, what, len, cases[i].len);
		same = len == cases[i].len;
		for (k = 0; same && k < len; k++)
			same = out[k] == cases[i].want[k];
		snprintf(what, sizeof(what), "sequence_pattern_events('%s') events", cases[i].pattern);
		check(same, what, len > 0 ? out[0] : -1, cases[i].len > 0 ? cases[i].want[0] : -1);
	}
}

/*
 * Infinite times and saturated lengths (common/time_window.h): equal times
 * are 0 apart, a finite and an infinite time further apart than any
 * length, and a length too long for int64 microseconds longer than any
 * two finite times apart.  Two events, condition 1 then condition 2.
 */
static void
test_infinite_times(void)
{
	const int64_t neg = INT64_MIN;	/* -infinity */
	const int64_t pos = INT64_MAX;	/* infinity */
	const int64_t first = INT64_C(-211813488000000000);	/* 4714-11-24 BC */
	const int64_t last = INT64_C(9223371331199999999);	/* 294276-12-31 23:59:59.999999 */
	static const char sat[] = "99999999999999";	/* seconds: saturates */
	const struct
	{
		int64_t		a;
		int64_t		b;
		const char *cond;		/* the time condition between them */
		int			match;
	}			cases[] = {
		{0, pos, "(?t<=%s)", 0}, {neg, 0, "(?t<=%s)", 0}, {neg, pos, "(?t<=%s)", 0},
		{0, pos, "(?t<%s)", 0}, {neg, 0, "(?t<%s)", 0},
		{0, pos, "(?t>=%s)", 1}, {neg, 0, "(?t>=%s)", 1}, {neg, pos, "(?t>%s)", 1},
		{0, pos, "(?t==%s)", 0}, {neg, 0, "(?t==%s)", 0},
		{0, pos, "(?t<=1)", 0}, {neg, 0, "(?t<=1)", 0}, {0, pos, "(?t>1)", 1}, {neg, 0, "(?t>1)", 1},
		{pos, pos, "(?t<=0)", 1}, {neg, neg, "(?t<=0)", 1}, {pos, pos, "(?t==0)", 1},
		{neg, neg, "(?t>0)", 0}, {pos, pos, "(?t>=%s)", 0},
		{first, last, "(?t<=%s)", 1}, {first, last, "(?t<%s)", 1},
		{first, last, "(?t>=%s)", 0}, {first, last, "(?t==%s)", 0},
		{first, last, "(?t>=9000000000000)", 1}, {first, last, "(?t<=9000000000000)", 0},
	};
	size_t		i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
	{
		SequenceEvent ev[2] = {{cases[i].a, 1}, {cases[i].b, 2}};
		SequencePattern p;
		int			pos_err;
		char		cond[64];
		char		pattern[96];
		char		what[192];
		int64_t		got;

		snprintf(cond, sizeof(cond), cases[i].cond, sat);
		snprintf(pattern, sizeof(pattern), "(?1)%s(?2)", cond);
		if (sequence_pattern_compile(pattern, (int) strlen(pattern), 2, &p, &pos_err) != SEQ_OK)
		{
			snprintf(what, sizeof(what), "compile '%s'", pattern);
			check(0, what, -1, 0);
			continue;
		}
		got = sequence_pattern_count(&p, ev, 2, true, &hooks);
		snprintf(what, sizeof(what), "'%s' from %lld to %lld", pattern,
				 (long long) cases[i].a, (long long) cases[i].b);
		check(got == cases[i].match, what, got, cases[i].match);
	}
}

/* 100,000 events; patterns that make a backtracking matcher explode. */
static void
test_adversarial(void)
{
	int64_t		n = 100000;
	SequenceEvent *ev = malloc(sizeof(SequenceEvent) * n);
	static const char *patterns[] = {
		"(?1).*(?2).*(?1)(?t<=3600).*(?2)(?t>=1).*(?3)",
		"(?1)(?t>1).*(?1)(?t<=100000).*(?2).*(?2)(?t==7).*(?3)",
		".*(?1).*(?1).*(?1).*(?1).*(?1).*(?3)",
		/* the last one counted by a search, not the one-pass scan */
		".*(?1).*(?1).*(?1).*(?1).*(?1).*(?t>=0)(?3)",
	};
	size_t		i;
	int64_t		k;

	/* every event matches conditions 1 and 2, one per second; no condition 3 */
	for (k = 0; k < n; k++)
	{
		ev[k].ts = k * 1000000;
		ev[k].mask = 3;
	}
	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
	{
		SequencePattern p;
		int			pos;
		clock_t		t0 = clock();
		int64_t		got;
		double		secs;
		char		what[160];

		sequence_pattern_compile(patterns[i], (int) strlen(patterns[i]), 3, &p, &pos);
		got = sequence_pattern_count(&p, ev, n, false, &hooks);
		secs = (double) (clock() - t0) / CLOCKS_PER_SEC;
		printf("adversarial: %lld events, '%s': %lld matches in %.3f s\n",
			   (long long) n, patterns[i], (long long) got, secs);
		snprintf(what, sizeof(what), "adversarial '%s' finds no condition-3 event", patterns[i]);
		check(got == 0, what, got, 0);
		snprintf(what, sizeof(what), "adversarial '%s' takes under 10 s", patterns[i]);
		check(secs < 10.0, what, (long long) (secs * 1000), 10000);
	}
	/* the same with condition 3 at the very end: one match */
	ev[n - 1].mask = 7;
	for (i = 0; i < sizeof(patterns) / sizeof(patterns[0]); i++)
	{
		SequencePattern p;
		int			pos;
		char		what[160];

		sequence_pattern_compile(patterns[i], (int) strlen(patterns[i]), 3, &p, &pos);
		snprintf(what, sizeof(what), "adversarial '%s' matches once with a final condition 3", patterns[i]);
		check(sequence_pattern_count(&p, ev, n, true, &hooks) == 1, what,
			  sequence_pattern_count(&p, ev, n, true, &hooks), 1);
	}
	free(ev);
}

/*
 * '(?1).*(?2)' counted greedily (the first (?1), then the first (?2) after
 * it, again from there), over event counts on both sides of the failed-set
 * word (64) and summary (4,096) boundaries, with a long tail of (?1) and
 * no (?2) whose failed states fill whole words and summaries.
 */
static void
test_greedy_sizes(void)
{
	static const int64_t sizes[] = {1, 63, 64, 65, 127, 4095, 4096, 4097, 262143, 262145};
	size_t		i;

	srand(16);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
	{
		int64_t		n = sizes[i];
		SequenceEvent *ev = malloc(sizeof(SequenceEvent) * n);
		int64_t		k,
					want = 0;
		int			stage = 0;
		SequencePattern p;
		int			pos;
		char		what[160];
		long long	got;

		for (k = 0; k < n; k++)
		{
			ev[k].ts = k;
			/* condition 2 is rare, and absent from the last third */
			ev[k].mask = (k < 2 * n / 3 && rand() % 50 == 0) ? 2 : (rand() % 3 ? 1 : 3);
			if (stage == 0 && (ev[k].mask & 1))
				stage = 1;
			else if (stage == 1 && (ev[k].mask & 2))
			{
				want++;
				stage = 0;
			}
		}
		sequence_pattern_compile("(?1).*(?2)", 10, 2, &p, &pos);
		got = sequence_pattern_count(&p, ev, n, false, &hooks);
		snprintf(what, sizeof(what), "greedy '(?1).*(?2)' count over %lld events", (long long) n);
		check(got == want, what, got, want);
		got = sequence_pattern_count(&p, ev, n, true, &hooks);
		snprintf(what, sizeof(what), "greedy '(?1).*(?2)' match over %lld events", (long long) n);
		check(got == (want > 0), what, got, want > 0);
		free(ev);
	}
}

/* The matcher's memory: one bit per event and item, plus the summaries. */
static void
test_matcher_bytes(void)
{
	SequencePattern p;
	int			pos;

	sequence_pattern_compile("(?1).*(?2)", 10, 2, &p, &pos);
	/* 4 items (the implicit .* first); 0 events: one word each */
	check(sequence_pattern_matcher_bytes(&p, 0) == 4 * 8, "bytes over 0 events",
		  (long long) sequence_pattern_matcher_bytes(&p, 0), 32);
	/* 4,095 events: 4,096 bits = 64 words + 1 summary word per item */
	check(sequence_pattern_matcher_bytes(&p, 4095) == 4 * 65 * 8, "bytes over 4,095 events",
		  (long long) sequence_pattern_matcher_bytes(&p, 4095), 4 * 65 * 8);
	/* 4,096 events: 65 words, 2 summary words, 1 top word per item */
	check(sequence_pattern_matcher_bytes(&p, 4096) == 4 * 68 * 8, "bytes over 4,096 events",
		  (long long) sequence_pattern_matcher_bytes(&p, 4096), 4 * 68 * 8);
}

/*
 * Star chains ('(?1).*(?2)' and the like) are counted by a greedy scan:
 * which patterns are, and, over 20,000 random cases (1 to 4 items of 3
 * conditions, one or two .* between them, an optional .* before the first
 * and after the last, up to 40 events with ties and
 * events matching several conditions or none), that the scan counts what
 * the search counts, for sequence_count and sequence_match.
 */
static void
test_star_chain(void)
{
	static const struct
	{
		const char *pattern;
		int			chain;
	}			kinds[] = {
		{"(?1)", 1}, {"(?1).*(?2)", 1}, {"(?1).*(?2).*", 1}, {"(?2).*(?2).*(?1)", 1},
		{".*(?1)", 1}, {"(?1).*.*(?2).*.*", 1},
		{"(?1)(?2)", 0}, {"(?1).(?2)", 0}, {".*(?1)(?2)", 0},
		{"(?1).*(?t<=5)(?2)", 0}, {".*", 0}, {".*.*", 0}, {"(?1).*(?2)(?t>1)", 0}
	};
	SequenceEvent ev[40];
	unsigned	seed = 12345;
	int			i,
				t;

	for (i = 0; i < (int) (sizeof(kinds) / sizeof(kinds[0])); i++)
	{
		SequencePattern p;
		int			pos;

		sequence_pattern_compile(kinds[i].pattern, (int) strlen(kinds[i].pattern), 2, &p, &pos);
		check(p.star_chain == (kinds[i].chain != 0), kinds[i].pattern, p.star_chain,
			  kinds[i].chain);
	}
	for (t = 0; t < 20000; t++)
	{
		char		pattern[64];
		int			items,
					n,
					len = 0;
		SequencePattern fast,
					search;
		int			pos,
					first;

		seed = seed * 1103515245u + 12345u;
		items = 1 + (int) ((seed >> 16) % 4);
		for (i = 0; i < items; i++)
		{
			int			stars;

			seed = seed * 1103515245u + 12345u;
			/* before the first item none or one .*, after it one or two */
			stars = (int) ((seed >> 8) % 2) + (i > 0 ? 1 : 0);
			while (stars-- > 0)
				len += sprintf(pattern + len, ".*");
			len += sprintf(pattern + len, "(?%d)", 1 + (int) ((seed >> 16) % 3));
		}
		seed = seed * 1103515245u + 12345u;
		if ((seed >> 16) % 2)
			len += sprintf(pattern + len, ".*");
		sequence_pattern_compile(pattern, len, 3, &fast, &pos);
		search = fast;
		search.star_chain = false;
		seed = seed * 1103515245u + 12345u;
		n = (int) ((seed >> 16) % 41);
		for (i = 0; i < n; i++)
		{
			seed = seed * 1103515245u + 12345u;
			ev[i].ts = (int64_t) ((seed >> 16) % 20);
			ev[i].mask = (seed >> 8) % 8;
		}
		qsort(ev, (size_t) n, sizeof(SequenceEvent), cmp_event);
		if (!fast.star_chain)
		{
			check(0, pattern, 0, 1);
			continue;
		}
		for (first = 0; first <= 1; first++)
		{
			int64_t		a = sequence_pattern_count(&fast, ev, n, first != 0, &hooks);
			int64_t		b = sequence_pattern_count(&search, ev, n, first != 0, &hooks);

			if (a != b)
				printf("star chain %s over %d events (first_only %d)\n", pattern, n, first);
			check(a == b, "star chain scan = search", (long long) a, (long long) b);
		}
	}
}

int
main(void)
{
	test_errors();
	test_clickhouse_examples();
	test_time_after_star();
	test_integer_units();
	test_events();
	test_infinite_times();
	test_vectors();
	test_adversarial();
	test_greedy_sizes();
	test_matcher_bytes();
	test_star_chain();
	printf("sequence_pattern: %d passed, %d failed\n", passed, failed);
	return failed > 0;
}
