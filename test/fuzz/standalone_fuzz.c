/*
 * standalone_fuzz.c
 *		Fuzz targets for the pure-C modules, built as programs: the sequence
 *		pattern compiler and matcher (TARGET_PATTERN) and the attribution
 *		credit split (TARGET_CREDIT).  With libFuzzer (clang
 *		-fsanitize=fuzzer) LLVMFuzzerTestOneInput is the target; with
 *		STANDALONE_REPLAY a main() runs it on every file named on the
 *		command line, to replay a corpus without clang.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef TARGET_PATTERN
#include "sequence/sequence_pattern.h"
#endif
#ifdef TARGET_CREDIT
#include "attribution/attribution_credit.h"
#endif

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Report a broken invariant and abort, so the fuzzer keeps the input. */
static void
fail(const char *what)
{
	fprintf(stderr, "standalone_fuzz: invariant broken: %s\n", what);
	abort();
}

#ifdef TARGET_PATTERN
/* The matcher's allocation hook: zeroed memory from calloc. */
static void *
zalloc(size_t size)
{
	return calloc(1, size);
}

/*
 * Compile the input as a pattern over 4 conditions; when it compiles, match
 * it against events derived from the input's bytes: the matcher must
 * finish, and a match implies a count of at least one.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	SequencePattern p;
	SequenceEvent events[256];
	SequenceHooks hooks = {zalloc, free, NULL};
	int			pos;
	int			n = 0;
	int64_t		t = 0;
	size_t		i;
	int64_t		matched,
				count;

	if (sequence_pattern_compile((const char *) data, (int) size, 4, &p, &pos) != SEQ_OK)
		return 0;
	for (i = 0; i < size && n < 256; i++)
	{
		t += data[i] % 7 == 0 ? 0 : (int64_t) data[i] * 1000000;
		events[n].ts = t;
		events[n].mask = data[i] & 0xF;
		n++;
	}
	matched = sequence_pattern_count(&p, events, n, true, &hooks);
	count = sequence_pattern_count(&p, events, n, false, &hooks);
	if (matched < 0 || count < 0)
		fail("out of memory");
	if ((matched > 0) != (count > 0))
		fail("sequence_match and sequence_count disagree");
	return 0;
}
#endif

#ifdef TARGET_CREDIT
/*
 * Read a model, parameters and touch times from the input; the split must
 * give out exactly ATTRIBUTION_UNIT with no negative share, and first and
 * last touch must give everything to one touch.
 */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	AttributionParams p;
	int64_t		t[64];
	int64_t		out[64];
	AttributionShare scratch[64];
	int64_t		sum = 0;
	int			n,
				i;

	if (size < 4)
		return 0;
	p.model = (AttributionModel) (data[0] % 5);
	p.half_life = 1.0 + (double) data[1] * 1e9;
	p.first_weight = (data[2] % 101) / 100.0;
	p.last_weight = ((data[3] % 101) / 100.0) * (1.0 - p.first_weight);
	n = 1 + (int) ((size - 4) % 64);
	for (i = 0; i < n; i++)
	{
		uint8_t		b = 4 + i < size ? data[4 + i] : 0;

		t[i] = (i > 0 ? t[i - 1] : 0) + (int64_t) b * (b > 200 ? 86400000000LL : 1000000LL);
	}
	attribution_split(&p, t, n, t[n - 1], scratch, out);
	for (i = 0; i < n; i++)
	{
		if (out[i] < 0)
			fail("negative share");
		sum += out[i];
	}
	if (sum != ATTRIBUTION_UNIT)
		fail("shares do not add up to one conversion");
	if ((p.model == ATTRIBUTION_FIRST_TOUCH && out[0] != ATTRIBUTION_UNIT) ||
		(p.model == ATTRIBUTION_LAST_TOUCH && out[n - 1] != ATTRIBUTION_UNIT))
		fail("first or last touch did not get everything");
	return 0;
}
#endif

#ifdef STANDALONE_REPLAY
/* Run the target on every file named on the command line. */
int
main(int argc, char **argv)
{
	int			i;

	for (i = 1; i < argc; i++)
	{
		FILE	   *f = fopen(argv[i], "rb");
		uint8_t    *buf;
		long		len;

		if (f == NULL)
		{
			perror(argv[i]);
			return 2;
		}
		fseek(f, 0, SEEK_END);
		len = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = malloc(len > 0 ? len : 1);
		if (fread(buf, 1, len, f) != (size_t) len)
		{
			perror(argv[i]);
			return 2;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, len);
		free(buf);
	}
	printf("%d inputs replayed\n", argc - 1);
	return 0;
}
#endif
