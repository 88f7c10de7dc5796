/*
 * path_agg.c
 *		path_agg([options,] ts, event): one entity's paths.  Its
 *		transitions, final and deserialize functions (combine and serialize
 *		are the shared event_buffer_combine and event_buffer_serialize).
 *
 * Rows are kept in an EventBuffer as attribution_agg keeps touches: mask
 * 1, tagged with the (event name, NULL) pair of the group's value
 * dictionary, so that each row costs 16 bytes whatever its name; the
 * buffer's labels hold the canonical options string, its nsteps the
 * steps= and its window the max_gap= (0 without).  The options are parsed
 * once per call site (fn_extra), and rows of events outside events= are
 * not kept.  The final function walks the rows (path_walk.c).
 */
#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"
#include "common/state_tag.h"
#include "common/transition_args.h"
#include "common/value_pairs.h"
#include "fmgr.h"
#include "mb/pg_wchar.h"
#include "paths/path_agg.h"
#include "paths/path_options.h"
#include "paths/path_walk.h"
#include "paths/paths.h"

PG_FUNCTION_INFO_V1(path_agg_transition);
PG_FUNCTION_INFO_V1(path_agg_integer_transition);
PG_FUNCTION_INFO_V1(path_agg_final);
PG_FUNCTION_INFO_V1(path_agg_deserialize);

StaticAssertDecl(PATHS_MAX_OPTIONS + 1 <= EVENT_LABELS_MAX_SIZE,
				 "a canonical options string fits an event buffer's labels");

/* The one step of a path_agg event buffer: every kept row. */
#define PATHS_MASK_ROW 0x1

/* path_agg's states: no flags; the labels hold the options. */
const EventBufferKind paths_state_kind = {
	.id = EVENT_KIND_PATHS,
	.flags = 0,
	.aggregates = "path_agg",
	.flags_to_string = NULL,
};

/* A call site's options, parsed once. */
typedef struct PathCall
{
	text	   *options;		/* copy of the argument; NULL in the forms without */
	bool		integer;		/* ts is bigint */
	bool		args_const;
	PathOptions opts;
	const EventLabels *labels;	/* the canonical options string */
} PathCall;

/* Whether the options argument equals the one the call was built from. */
static bool
same_options(const PathCall *call, const text *options)
{
	if (call->options == NULL || options == NULL)
		return call->options == options;
	return VARSIZE_ANY_EXHDR(options) == VARSIZE_ANY_EXHDR(call->options) &&
		memcmp(VARDATA_ANY(options), VARDATA_ANY(call->options),
			   VARSIZE_ANY_EXHDR(options)) == 0;
}

/*
 * The call site's definition for this row, built when the options change
 * (once per query when they are a constant) in fn_mcxt, because group
 * states point to its labels.  NULL options are 22004.
 */
static PathCall *
call_setup(FunctionCallInfo fcinfo, int options_arg, bool integer)
{
	PathCall   *call = (PathCall *) fcinfo->flinfo->fn_extra;
	text	   *options = NULL;
	char	   *canonical;
	EventLabels *labels;
	MemoryContext old;

	if (call != NULL && call->args_const)
		return call;
	if (options_arg >= 0)
	{
		if (PG_ARGISNULL(options_arg))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("path_agg options must not be NULL"),
					 errhint("Pass '' for the defaults. " PATHS_OPTIONS_HINT)));
		options = PG_GETARG_TEXT_PP(options_arg);
	}
	if (call != NULL && same_options(call, options))
		return call;

	old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);
	call = palloc0(sizeof(PathCall));
	call->integer = integer;
	if (options != NULL)
	{
		call->options = (text *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(options_arg));
		path_options_parse(VARDATA_ANY(options), VARSIZE_ANY_EXHDR(options),
						   integer ? PATH_TIME_INTEGER : PATH_TIME_TIMESTAMP, &call->opts);
	}
	else
		path_options_parse("", 0, PATH_TIME_CANONICAL, &call->opts);
	canonical = path_options_to_string(&call->opts);
	labels = palloc(offsetof(EventLabels, data) + strlen(canonical) + 1);
	labels->parsed = NULL;
	labels->parsed_size = 0;
	labels->tail = false;
	labels->size = (int32) strlen(canonical) + 1;
	memcpy(labels->data, canonical, labels->size);
	call->labels = labels;
	call->args_const = options_arg < 0 || transition_args_const(fcinfo, options_arg, -1, -1);
	MemoryContextSwitchTo(old);
	fcinfo->flinfo->fn_extra = call;
	return call;
}

/*
 * One row of any form: (state, [options,] ts, event).  Rows with a NULL
 * time or event, and rows of events outside events=, are not kept.
 */
static Datum
path_agg_row(FunctionCallInfo fcinfo, bool integer)
{
	MemoryContext aggcxt;
	bool		has_options = PG_NARGS() == 4;
	int			ts_arg = has_options ? 2 : 1;
	PathCall   *call;
	EventBuffer *state;
	PairValue	name;
	PairValue	none = {NULL, -1};
	uint32		tag;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "path_agg_transition called in non-aggregate context");
	call = call_setup(fcinfo, has_options ? 1 : -1, integer);
	if (PG_ARGISNULL(0))
	{
		state = event_buffer_create(aggcxt, &paths_state_kind,
									call->opts.has_gap ? call->opts.max_gap : 0, 0,
									call->opts.steps, 0);
		state->labels = call->labels;
		state->time_flags = integer ? EVENT_TIME_INTEGER : 0;
	}
	else
	{
		state = (EventBuffer *) PG_GETARG_POINTER(0);
		if (unlikely(state->labels != call->labels) &&
			strcmp(state->labels->data, call->labels->data) != 0)
			path_options_differ(state->labels->data, call->labels->data,
								"path_agg options differ between rows of one group",
								"Pass a constant options string.");
	}
	if (PG_ARGISNULL(ts_arg) || PG_ARGISNULL(ts_arg + 1))
		PG_RETURN_POINTER(state);
	name = text_label_argument(fcinfo, ts_arg + 1, PATHS_MAX_NAME, "path_agg event name",
							   "Use shorter event names.");
	if (!path_options_has_event(&call->opts, name.data, name.len))
		PG_RETURN_POINTER(state);
	if (state->values == NULL)
		state->values = value_pairs_create(aggcxt);
	tag = value_pairs_intern(&state->values, name, none);
	state = event_buffer_append_tag(state, PG_GETARG_INT64(ts_arg), PATHS_MASK_ROW, tag);
	PG_RETURN_POINTER(state);
}

/* Transition of the timestamptz and timestamp forms. */
Datum
path_agg_transition(PG_FUNCTION_ARGS)
{
	return path_agg_row(fcinfo, false);
}

/* Transition of the bigint forms: max_gap= is an integer in ts's units. */
Datum
path_agg_integer_transition(PG_FUNCTION_ARGS)
{
	return path_agg_row(fcinfo, true);
}

/* The final function's cached options (per distinct options string). */
typedef struct FinalCache
{
	char	   *options;
	PathOptions opts;
} FinalCache;

/* The parsed options of a state, cached in fn_extra across groups. */
static const PathOptions *
state_options(FunctionCallInfo fcinfo, const EventBuffer *state)
{
	FinalCache *c = (FinalCache *) fcinfo->flinfo->fn_extra;

	if (state->labels == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("path_agg_final was given a state without options"),
				 errhint("The aggregate was created with support functions of different aggregates; use the extension's aggregates.")));
	if (c == NULL || strcmp(c->options, state->labels->data) != 0)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		c = palloc(sizeof(FinalCache));
		c->options = pstrdup(state->labels->data);
		if (!path_options_from_canonical(c->options, &c->opts))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
					 errmsg("path_agg_final was given a state with invalid options \"%s\"",
							c->options),
					 errhint("An aggregate must use the support functions of one aggregate of this extension.")));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = c;
	}
	return &c->opts;
}

/*
 * Final: the entity's paths value.  Reads the state only (the walk sorts
 * a copy of its rows), so FINALFUNC_MODIFY = READ_ONLY holds.
 */
Datum
path_agg_final(PG_FUNCTION_ARGS)
{
	EventBuffer *state;
	const PathOptions *opts;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = (EventBuffer *) PG_GETARG_POINTER(0);
	state_tag_check_events(state, &paths_state_kind, "path_agg_final");
	opts = state_options(fcinfo, state);
	PG_RETURN_PATHS_P(paths_pack(path_walk(state, opts, state->labels->data)));
}

/*
 * Rebuild a partial state, validating every field of the bytes first:
 * beyond event_buffer_unpack's checks, the options (one canonical string
 * matching steps and max_gap), the masks, and that every event name is a
 * valid one of events=.
 */
Datum
path_agg_deserialize(PG_FUNCTION_ARGS)
{
	EventBuffer *buf = event_buffer_unpack(PG_GETARG_BYTEA_PP(0), CurrentMemoryContext,
										   &paths_state_kind);
	PathOptions opts;
	int32		i;

	if (buf->labels == NULL || buf->labels->tail ||
		!event_labels_strings_valid(buf->labels->data, buf->labels->size, 1, PATHS_MAX_OPTIONS) ||
		!path_options_from_canonical(buf->labels->data, &opts))
		event_buffer_corrupt("bad path_agg options");
	if (buf->nsteps != opts.steps || buf->window != (opts.has_gap ? opts.max_gap : 0))
		event_buffer_corrupt("steps or max_gap do not match the options");
	event_buffer_check_masks(buf, PATHS_MASK_ROW, false);
	if (buf->nevents > 0 && buf->values == NULL)
		event_buffer_corrupt("events without event names");
	for (i = 0; buf->values != NULL && i < buf->values->count; i++)
	{
		PairValue	name,
					none;

		value_pairs_get(buf->values, i, &name, &none);
		if (name.len < 0 || name.len > PATHS_MAX_NAME || none.len != -1 ||
			!pg_verify_mbstr(GetDatabaseEncoding(), name.data, name.len, true) ||
			!path_options_has_event(&opts, name.data, name.len))
			event_buffer_corrupt("bad event name");
	}
	PG_RETURN_POINTER(buf);
}
