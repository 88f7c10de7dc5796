/*
 * fuzz_driver.c
 *		SQL entry points of conversions_fuzz.so, a build of the extension's
 *		own sources plus fuzz targets, loaded into a backend of a throwaway
 *		cluster (never next to conversions.so):
 *
 *		conversions_fuzz_one(target, input bytea) → text
 *			run one input; 'accepted' or 'refused: SQLSTATE message'
 *		conversions_fuzz_replay(target, dir) → bigint
 *			run every file of a corpus directory; returns how many
 *		conversions_fuzz_run(target, seconds, corpus, artifact_prefix) → int
 *			libFuzzer for `seconds` (only in a clang build with FUZZER=1);
 *			libFuzzer ends the backend when it is done or finds a crash
 *		conversions_fuzz_seeds(target) → bytea[]
 *			serialized aggregate states to start the state targets from
 *
 * A target's input is refused when it raises a PostgreSQL error with a
 * proper SQLSTATE; an internal error (XX000, a "cannot happen" elog) counts
 * as a failure, like a crash or a broken invariant.
 */
#include "postgres.h"

#include "common/pg_compat.h"

#include <dirent.h>
#include <sys/stat.h>

#include "catalog/pg_type.h"
#include "fmgr.h"
#include "fuzz.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(conversions_fuzz_one);
PG_FUNCTION_INFO_V1(conversions_fuzz_replay);
PG_FUNCTION_INFO_V1(conversions_fuzz_run);
PG_FUNCTION_INFO_V1(conversions_fuzz_seeds);

static FuzzTarget current_target;
static MemoryContext fuzz_cxt;
static bool rethrow_cancel;		/* replay: let a cancel end the query */

/* Report a broken invariant and abort, so the fuzzer records the input. */
void
fuzz_fail(const char *what)
{
	fprintf(stderr, "conversions_fuzz: invariant broken: %s\n", what);
	fflush(stderr);
	abort();
}

/*
 * Run one input through the current target in a memory context that is
 * reset afterwards.  Returns NULL when the target accepted it, else (when
 * want_refusal; otherwise "") the error it was refused with, allocated in
 * the caller's context.
 */
static char *
run_input(const uint8 *data, size_t size, bool want_refusal)
{
	MemoryContext old = MemoryContextSwitchTo(fuzz_cxt);
	char	   *refusal = NULL;

	PG_TRY();
	{
		current_target(data, size);
	}
	PG_CATCH();
	{
		ErrorData  *e;

		MemoryContextSwitchTo(fuzz_cxt);
		e = CopyErrorData();
		if (rethrow_cancel && (e->sqlerrcode == ERRCODE_QUERY_CANCELED ||
							   e->sqlerrcode == ERRCODE_ADMIN_SHUTDOWN))
			PG_RE_THROW();
		FlushErrorState();
		if (e->sqlerrcode == ERRCODE_INTERNAL_ERROR)
			fuzz_fail(psprintf("internal error: %s", e->message));
		MemoryContextSwitchTo(old);
		refusal = want_refusal ?
			psprintf("refused: %s %s", unpack_sql_state(e->sqlerrcode), e->message) : "";
		MemoryContextSwitchTo(fuzz_cxt);
	}
	PG_END_TRY();
	MemoryContextSwitchTo(old);
	MemoryContextReset(fuzz_cxt);
	return refusal;
}

/* Look up a target by name, and set up the per-input memory context. */
static void
setup(text *target)
{
	char	   *name = text_to_cstring(target);

	current_target = fuzz_target_lookup(name);
	if (current_target == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown fuzz target \"%s\"", name),
				 errhint("Targets: %s.", fuzz_target_names())));
	if (fuzz_cxt == NULL)
		fuzz_cxt = AllocSetContextCreate(TopMemoryContext, "conversions_fuzz",
										 ALLOCSET_DEFAULT_SIZES);
}

/* One input through a target: accepted, or refused with its error. */
Datum
conversions_fuzz_one(PG_FUNCTION_ARGS)
{
	bytea	   *input = PG_GETARG_BYTEA_PP(1);
	char	   *refusal;

	setup(PG_GETARG_TEXT_PP(0));
	rethrow_cancel = true;
	refusal = run_input((const uint8 *) VARDATA_ANY(input), VARSIZE_ANY_EXHDR(input), true);
	PG_RETURN_TEXT_P(cstring_to_text(refusal ? refusal : "accepted"));
}

/* Every regular file of a corpus directory through a target; a cancel ends it. */
Datum
conversions_fuzz_replay(PG_FUNCTION_ARGS)
{
	char	   *dir = text_to_cstring(PG_GETARG_TEXT_PP(1));
	DIR		   *d;
	struct dirent *de;
	int64		n = 0;

	setup(PG_GETARG_TEXT_PP(0));
	rethrow_cancel = true;
	d = AllocateDir(dir);
	while ((de = ReadDir(d, dir)) != NULL)
	{
		char	   *path = psprintf("%s/%s", dir, de->d_name);
		struct stat st;
		FILE	   *f;
		uint8	   *buf;
		size_t		len;

		CHECK_FOR_INTERRUPTS();
		if (de->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		f = AllocateFile(path, PG_BINARY_R);
		if (f == NULL)
			ereport(ERROR, (errcode_for_file_access(), errmsg("could not open \"%s\": %m", path)));
		buf = palloc(st.st_size + 1);
		len = fread(buf, 1, st.st_size, f);
		FreeFile(f);
		run_input(buf, len, false);
		pfree(buf);
		n++;
	}
	FreeDir(d);
	PG_RETURN_INT64(n);
}

#ifdef CONVERSIONS_LIBFUZZER
extern int	LLVMFuzzerRunDriver(int *argc, char ***argv,
								int (*cb) (const uint8_t *data, size_t size));

/* libFuzzer's callback: one input, errors being refusals. */
static int
libfuzzer_callback(const uint8_t *data, size_t size)
{
	run_input(data, size, false);
	return 0;
}
#endif

/*
 * Fuzz with libFuzzer.  Its own signal handling is limited to crashes:
 * SIGINT, SIGTERM, SIGUSR1/2 and SIGALRM stay the server's.
 */
Datum
conversions_fuzz_run(PG_FUNCTION_ARGS)
{
#ifdef CONVERSIONS_LIBFUZZER
	int			seconds = PG_GETARG_INT32(1);
	char	   *corpus = text_to_cstring(PG_GETARG_TEXT_PP(2));
	char	   *prefix = text_to_cstring(PG_GETARG_TEXT_PP(3));
	char	   *argv_[12];
	char	  **argv = argv_;
	int			argc = 0;

	setup(PG_GETARG_TEXT_PP(0));
	rethrow_cancel = false;
	argv_[argc++] = "conversions_fuzz";
	argv_[argc++] = psprintf("-max_total_time=%d", seconds);
	argv_[argc++] = psprintf("-artifact_prefix=%s", prefix);
	argv_[argc++] = "-max_len=8192";
	argv_[argc++] = "-timeout=0";
	argv_[argc++] = "-rss_limit_mb=4096";
	argv_[argc++] = "-handle_int=0";
	argv_[argc++] = "-handle_term=0";
	argv_[argc++] = "-handle_usr1=0";
	argv_[argc++] = "-handle_usr2=0";
	argv_[argc++] = corpus;
	argv_[argc] = NULL;
	PG_RETURN_INT32(LLVMFuzzerRunDriver(&argc, &argv, libfuzzer_callback));
#else
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("conversions_fuzz.so was built without libFuzzer"),
			 errhint("Build it with make -C test/fuzz FUZZER=1 (clang and libclang-rt-dev).")));
	PG_RETURN_NULL();
#endif
}

/* Seed inputs of a state target, built with the real transitions. */
Datum
conversions_fuzz_seeds(PG_FUNCTION_ARGS)
{
	List	   *seeds = fuzz_state_seeds(text_to_cstring(PG_GETARG_TEXT_PP(0)));
	Datum	   *elems = palloc(sizeof(Datum) * Max(list_length(seeds), 1));
	ListCell   *lc;
	int			n = 0;

	foreach(lc, seeds)
		elems[n++] = PointerGetDatum(lfirst(lc));
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, BYTEAOID, -1, false, TYPALIGN_INT));
}
