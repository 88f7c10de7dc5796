/*
 * sequence_match.c
 *		SQL-callable support of sequence_match, sequence_count and
 *		sequence_match_events.
 *
 * All three collect (timestamp, condition mask) events in an EventBuffer, as
 * window_funnel does (and share event_buffer_combine and
 * event_buffer_serialize); the
 * buffer's labels hold the pattern, so that the final function, which sees
 * no arguments, knows it.  Only rows with at least one true condition are
 * kept, as in ClickHouse.  Events are ordered by timestamp, then by mask,
 * so equal timestamps have a fixed order.  The pattern is compiled once per
 * query (cached in fn_extra) by sequence_pattern.c, which also matches.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/condition_array.h"
#include "common/event_buffer.h"
#include "common/group_limits.h"
#include "common/integer_time.h"
#include "common/pg_compat.h"
#include "common/state_tag.h"
#include "common/time_window.h"
#include "fmgr.h"
#include "miscadmin.h"
#include "sequence/sequence_match.h"
#include "sequence/sequence_pattern.h"
#include "utils/array.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(sequence_transition);
PG_FUNCTION_INFO_V1(sequence_match_final);
PG_FUNCTION_INFO_V1(sequence_count_final);
PG_FUNCTION_INFO_V1(sequence_match_events_final);
PG_FUNCTION_INFO_V1(sequence_match_events_timestamp_final);
PG_FUNCTION_INFO_V1(sequence_match_events_bigint_final);
PG_FUNCTION_INFO_V1(sequence_deserialize);

/*
 * The one flag of a sequence state: its times are integers (the bigint
 * forms), so the pattern's (?t op S) counts raw units, not seconds.
 */
#define SEQUENCE_FLAG_INTEGER_TIME 0x01

/* A sequence state's flags for messages. */
static char *
sequence_flags_to_string(uint32 flags)
{
	return pstrdup((flags & SEQUENCE_FLAG_INTEGER_TIME) ? "integer times" : "timestamps");
}

/* sequence_match's, sequence_count's and sequence_match_events' states. */
const EventBufferKind sequence_state_kind = {
	.id = EVENT_KIND_PATTERN,
	.flags = SEQUENCE_FLAG_INTEGER_TIME,
	.aggregates = "sequence_match/sequence_count/sequence_match_events",
	.flags_to_string = sequence_flags_to_string,
};

StaticAssertDecl(sizeof(SequenceEvent) == sizeof(BufferedEvent) &&
				 offsetof(SequenceEvent, ts) == offsetof(BufferedEvent, ts) &&
				 offsetof(SequenceEvent, mask) == offsetof(BufferedEvent, mask),
				 "SequenceEvent and BufferedEvent must have one layout");

/*
 * A compiled pattern and the text it came from, for one call site, and
 * whether the call's times are integers (S of (?t op S) in raw units).
 */
typedef struct PatternCache
{
	int			nconds;
	bool		integer_time;
	bool		argtype_known;	/* transition: integer_time read from the call */
	int			compiles;		/* times compiled: 1 while every group state of the
								 * site has this pattern and nconds */
	EventLabels *text;			/* pattern + NUL; group states point to it */
	SequencePattern compiled;
} PatternCache;

/* At most this many bytes of a pattern are quoted in an error message. */
#define PATTERN_QUOTE_MAX 100

/*
 * Compile a pattern (time conditions in seconds, or in raw units over
 * integer times), raising the compiler's error with the pattern quoted.
 */
static void
compile_or_error(const char *pattern, int len, int nconds, bool integer_time,
				 SequencePattern *out)
{
	int			pos;
	SequencePatternError err;
	int			qlen = Min(len, PATTERN_QUOTE_MAX);
	const char *more = len > PATTERN_QUOTE_MAX ? "..." : "";

	if (len > SEQUENCE_MAX_PATTERN)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sequence pattern is %d bytes long, more than the maximum of %d",
						len, SEQUENCE_MAX_PATTERN),
				 errhint("Shorten the pattern.")));
	err = sequence_pattern_compile_units(pattern, len, nconds,
										 integer_time ? 1 : 1000000, out, &pos);
	if (err == SEQ_OK)
		return;
	switch (err)
	{
		case SEQ_ERR_EMPTY:
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("sequence pattern is empty"),
					 errhint("Write a pattern such as '(?1).*(?2)'.")));
			break;
		case SEQ_ERR_CONDITION_RANGE:
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sequence pattern \"%.*s%s\" refers to a condition out of range at position %d",
							qlen, pattern, more, pos + 1),
					 errhint("Conditions are numbered from 1 to %d, the number of conditions passed.",
							 nconds)));
			break;
		case SEQ_ERR_TOO_LONG:
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("sequence pattern \"%.*s%s\" has more than %d items",
							qlen, pattern, more, SEQUENCE_MAX_ACTIONS),
					 errhint("Shorten the pattern.")));
			break;
		default:
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("invalid sequence pattern \"%.*s%s\": %s at position %d",
							qlen, pattern, more, sequence_pattern_error_text(err), pos + 1),
					 errhint("Patterns are made of (?N), ., .* and time conditions such as (?t<=3600).")));
	}
}

/* This call site's cache, allocated empty the first time. */
static PatternCache *
pattern_cache_get(FmgrInfo *flinfo)
{
	if (flinfo->fn_extra == NULL)
		flinfo->fn_extra = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(PatternCache));
	return (PatternCache *) flinfo->fn_extra;
}

/*
 * The compiled pattern for this call site, recompiled only when the text,
 * the number of conditions or the kind of times changes.  The compiled
 * form is overwritten in place; a replaced text is not freed, as group
 * states may point to it.
 */
static PatternCache *
pattern_cache(FmgrInfo *flinfo, const char *pattern, int len, int nconds, bool integer_time)
{
	PatternCache *cache = pattern_cache_get(flinfo);

	if (cache->text != NULL && cache->nconds == nconds &&
		cache->integer_time == integer_time &&
		cache->text->size == len + 1 &&
		memcmp(cache->text->data, pattern, len) == 0)
		return cache;
	cache->text = NULL;
	compile_or_error(pattern, len, nconds, integer_time, &cache->compiled);
	cache->nconds = nconds;
	cache->integer_time = integer_time;
	if (cache->compiles < 2)
		cache->compiles++;
	cache->text = MemoryContextAlloc(flinfo->fn_mcxt, offsetof(EventLabels, data) + len + 1);
	cache->text->size = len + 1;
	cache->text->parsed = NULL;
	cache->text->parsed_size = 0;
	cache->text->tail = false;
	memcpy(cache->text->data, pattern, len);
	cache->text->data[len] = '\0';
	return cache;
}

/*
 * Transition of sequence_match, sequence_count and sequence_match_events,
 * over timestamps or bigint times: check the pattern (once per distinct
 * text) and keep the row if a condition holds.
 */
Datum
sequence_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	EventBuffer *state;
	PatternCache *cache;
	ArrayType  *conds;
	int32		nconds;
	text	   *pattern;
	uint32		mask;
	bool		integer_time;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "sequence_transition called in non-aggregate context");
	cache = pattern_cache_get(fcinfo->flinfo);
	if (!cache->argtype_known)
	{
		cache->integer_time = integer_time_argument(fcinfo, 2);
		cache->argtype_known = true;
	}
	integer_time = cache->integer_time;
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sequence pattern must not be NULL"),
				 errhint("Write a pattern such as '(?1).*(?2)'.")));
	nconds = condition_array(fcinfo, 3, "sequence aggregate", 1, &conds);
	pattern = PG_GETARG_TEXT_PP(1);
	cache = pattern_cache(fcinfo->flinfo, VARDATA_ANY(pattern),
						  VARSIZE_ANY_EXHDR(pattern), nconds, integer_time);
	mask = PG_ARGISNULL(2) ? 0 : condition_mask(conds, nconds);

	/*
	 * A row matching no condition, of a group whose state was made with the
	 * site's one pattern, need not read the state (with many groups, a
	 * cache miss per row): there is nothing to check or keep.
	 */
	if (mask == 0 && cache->compiles == 1 && !PG_ARGISNULL(0))
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));

	if (PG_ARGISNULL(0))
	{
		state = event_buffer_create(aggcxt, &sequence_state_kind, 0,
									integer_time ? SEQUENCE_FLAG_INTEGER_TIME : 0, nconds, 0);
		state->labels = cache->text;
	}
	else
	{
		state = (EventBuffer *) PG_GETARG_POINTER(0);
		if (unlikely(state->nsteps != nconds))
			event_buffer_check_definition(state, 0, 0, nconds);
		if (unlikely(state->labels != cache->text) &&
			strcmp(state->labels->data, cache->text->data) != 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sequence pattern differs between rows of one group"),
					 errhint("Pass a constant pattern.")));
	}

	if (mask != 0)
	{
		if (integer_time)
			integer_time_check(PG_GETARG_INT64(2), sequence_state_kind.aggregates);
		state = event_buffer_append(state, PG_GETARG_INT64(2), mask);
	}
	PG_RETURN_POINTER(state);
}

/* Bytes zeroed between two checks for interrupts. */
#define ZERO_CHUNK ((size_t) 16 * 1024 * 1024)

/*
 * Matcher memory from the current context, so an error or cancel frees it;
 * zeroed a chunk at a time so that a cancel is seen during a large one.
 */
static void *
sequence_zalloc(size_t size)
{
	char	   *p = palloc_extended(size, MCXT_ALLOC_HUGE);
	size_t		done;

	for (done = 0; done < size; done += ZERO_CHUNK)
	{
		CHECK_FOR_INTERRUPTS();
		memset(p + done, 0, Min(ZERO_CHUNK, size - done));
	}
	return p;
}

static void
sequence_interrupt(void)
{
	CHECK_FOR_INTERRUPTS();
}

static const SequenceHooks sequence_hooks = {sequence_zalloc, pfree, sequence_interrupt};

/*
 * Refuse a match whose failed-state memory (about one bit per event and
 * pattern item) exceeds the group's budget, before allocating it.
 */
static void
matcher_memory_check(const SequencePattern *p, int nevents)
{
	int64		needed = (int64) sequence_pattern_matcher_bytes(p, nevents);
	int64		budget = group_bytes_budget();

	if (needed > budget)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s: matching a pattern of %d items over %d events needs %lld bytes, more than the limit of %lld bytes",
						sequence_state_kind.aggregates, p->nactions - 1, nevents, (long long) needed, (long long) budget),
				 errhint("Group by a finer key or shorten the pattern; the limit is %d bytes per row that conversions.max_group_events allows.",
						 GROUP_BYTES_PER_ROW)));
}

/*
 * The compiled pattern of a group's state, after checking that the state is
 * a sequence state (`function` names the caller) and that matching fits the
 * memory budget; sorts the events.
 */
static PatternCache *
sequence_prepare(FunctionCallInfo fcinfo, EventBuffer *state, const char *function)
{
	PatternCache *cache;

	state_tag_check_events(state, &sequence_state_kind, function);
	cache = pattern_cache(fcinfo->flinfo, state->labels->data,
						  state->labels->size - 1, state->nsteps,
						  (state->modes & SEQUENCE_FLAG_INTEGER_TIME) != 0);
	matcher_memory_check(&cache->compiled, state->nevents);
	event_buffer_sort(state);
	return cache;
}

/* The matcher ran out of memory. */
pg_noreturn static void
matcher_out_of_memory(int nevents)
{
	ereport(ERROR,
			(errcode(ERRCODE_OUT_OF_MEMORY),
			 errmsg("out of memory matching a sequence pattern over %d events",
					nevents),
			 errhint("Group by a finer key.")));
}

/* Matches of the group's pattern in its events (first_only: 0 or 1). */
static int64
sequence_matches(FunctionCallInfo fcinfo, EventBuffer *state, bool first_only)
{
	PatternCache *cache;
	int64		n;

	cache = sequence_prepare(fcinfo, state,
							 first_only ? "sequence_match_final" : "sequence_count_final");
	n = sequence_pattern_count(&cache->compiled, (const SequenceEvent *) state->events,
							   state->nevents, first_only, &sequence_hooks);
	if (n < 0)
		matcher_out_of_memory(state->nevents);
	return n;
}

/* sequence_match: whether the pattern occurs; false for no rows. */
Datum
sequence_match_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(sequence_matches(fcinfo, (EventBuffer *) PG_GETARG_POINTER(0), true) > 0);
}

/* sequence_count: non-overlapping occurrences; 0 for no rows. */
Datum
sequence_count_final(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(0))
		PG_RETURN_INT64(0);
	PG_RETURN_INT64(sequence_matches(fcinfo, (EventBuffer *) PG_GETARG_POINTER(0), false));
}

/*
 * sequence_match_events: the timestamps of the events matched by the
 * pattern's (?N) items, in pattern order, of the first match; without a
 * match, of the longest chain matching a prefix of the pattern (as
 * ClickHouse's sequenceMatchEvents).  An empty array for no rows.  The
 * timestamps are returned as `elemtype` (timestamptz or timestamp: one
 * representation).
 */
static Datum
sequence_events_result(FunctionCallInfo fcinfo, Oid elemtype, const char *function)
{
	EventBuffer *state;
	PatternCache *cache;
	int64		found[SEQUENCE_MAX_ACTIONS + 1];
	Datum		stamps[SEQUENCE_MAX_ACTIONS + 1];
	bool		matched;
	int			len,
				i;

	if (PG_ARGISNULL(0))
		PG_RETURN_ARRAYTYPE_P(construct_empty_array(elemtype));
	state = (EventBuffer *) PG_GETARG_POINTER(0);
	cache = sequence_prepare(fcinfo, state, function);
	len = sequence_pattern_events(&cache->compiled, (const SequenceEvent *) state->events,
								  state->nevents, found, &matched, &sequence_hooks);
	if (len < 0)
		matcher_out_of_memory(state->nevents);
	for (i = 0; i < len; i++)
		stamps[i] = Int64GetDatum(state->events[found[i]].ts);
	PG_RETURN_ARRAYTYPE_P(construct_array(stamps, len, elemtype, sizeof(int64),
										  FLOAT8PASSBYVAL, TYPALIGN_DOUBLE));
}

/* sequence_match_events over timestamptz: timestamptz[]. */
Datum
sequence_match_events_final(PG_FUNCTION_ARGS)
{
	return sequence_events_result(fcinfo, TIMESTAMPTZOID, "sequence_match_events_final");
}

/* sequence_match_events over timestamp: timestamp[]. */
Datum
sequence_match_events_timestamp_final(PG_FUNCTION_ARGS)
{
	return sequence_events_result(fcinfo, TIMESTAMPOID,
								  "sequence_match_events_timestamp_final");
}

/* sequence_match_events over bigint times: bigint[], the times as given. */
Datum
sequence_match_events_bigint_final(PG_FUNCTION_ARGS)
{
	return sequence_events_result(fcinfo, INT8OID, "sequence_match_events_bigint_final");
}

/*
 * Rebuild a partial state, validating every field of the bytes first:
 * beyond event_buffer_unpack's checks, the labels are one pattern string
 * (compiled, and so checked, by the final function) and every event
 * matched some condition.
 */
Datum
sequence_deserialize(PG_FUNCTION_ARGS)
{
	EventBuffer *buf = event_buffer_unpack(PG_GETARG_BYTEA_PP(0), CurrentMemoryContext,
										   &sequence_state_kind);

	if (buf->labels == NULL || buf->labels->tail ||
		!event_labels_strings_valid(buf->labels->data, buf->labels->size, 1,
									SEQUENCE_MAX_PATTERN))
		event_buffer_corrupt("bad step labels");
	if (buf->values != NULL)
		event_buffer_corrupt("value pairs without hold or breakdown");
	event_buffer_check_masks(buf, condition_bits(buf->nsteps), false);
	if (buf->modes & SEQUENCE_FLAG_INTEGER_TIME)
	{
		int32		i;

		for (i = 0; i < buf->nevents; i++)
			if (time_is_infinite(buf->events[i].ts))
				event_buffer_corrupt("integer time out of range");
	}
	PG_RETURN_POINTER(buf);
}
