/*
 * fuzz_targets.c
 *		The fuzz targets: every text input, binary receive and aggregate
 *		state deserialize function of the extension, and the model and
 *		options parsers, each with the invariants an accepted input must
 *		keep; and seeds for the state targets, built with the real
 *		transition and serialize functions.
 *
 *	funnel_in, attribution_in, lift_in, paths_in: the output of an
 *		accepted value reads back to the same output; its send output is
 *		accepted by receive and reads back to the same bytes and text;
 *		merging the value with itself and the accessors do not fail (for
 *		paths: the merge keeps every path and edge, doubles every count,
 *		passes the full check of a value from outside, and equals what
 *		rollup(paths) gives, called directly and as an aggregate).
 *	funnel_recv, attribution_recv, lift_recv, paths_recv: send(recv(x))
 *		reads back to the same bytes and the same text; the text output is
 *		accepted by text input and reads back to the same send bytes
 *		(issue 16).
 *	funnel_state (window_funnel, funnel_agg, sequence_*, attribution_agg,
 *	path_agg), paths_state (path_agg only), lift_state, next_node_state:
 *		serialize(deserialize(x)) is a fixed point; the state merges with a
 *		copy of itself; every final function for the state runs, and a
 *		final value passes its own type's input (a paths value: the full
 *		check of a value from outside).
 *	model: a funnel_agg options string, attribution model string or
 *		path_agg options string that parses prints a canonical form that
 *		parses back to itself.
 */
#include "postgres.h"

#include "attribution/attribution.h"
#include "attribution/attribution_agg.h"
#include "attribution/attribution_model.h"
#include "catalog/pg_type.h"
#include "common/event_buffer.h"
#include "common/pg_compat.h"
#include "common/value_pairs.h"
#include "fmgr.h"
#include "funnel/funnel.h"
#include "funnel/funnel_options.h"
#include "fuzz.h"
#include "lift/lift.h"
#include "nodes/execnodes.h"
#include "paths/path_agg.h"
#include "paths/path_options.h"
#include "paths/paths.h"
#include "sequence/sequence_match.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "window_funnel/funnel_mode.h"
#include "window_funnel/funnel_state.h"

/* the extension's SQL-callable functions the targets call */
extern Datum funnel_in(PG_FUNCTION_ARGS);
extern Datum funnel_out(PG_FUNCTION_ARGS);
extern Datum funnel_recv(PG_FUNCTION_ARGS);
extern Datum funnel_send(PG_FUNCTION_ARGS);
extern Datum attribution_in(PG_FUNCTION_ARGS);
extern Datum attribution_out(PG_FUNCTION_ARGS);
extern Datum attribution_recv(PG_FUNCTION_ARGS);
extern Datum attribution_send(PG_FUNCTION_ARGS);
extern Datum attribution_conversions(PG_FUNCTION_ARGS);
extern Datum attribution_total_value(PG_FUNCTION_ARGS);
extern Datum lift_in(PG_FUNCTION_ARGS);
extern Datum lift_out(PG_FUNCTION_ARGS);
extern Datum lift_recv(PG_FUNCTION_ARGS);
extern Datum lift_send(PG_FUNCTION_ARGS);
extern Datum window_funnel_final(PG_FUNCTION_ARGS);
extern Datum window_funnel_deserialize(PG_FUNCTION_ARGS);
extern Datum funnel_agg_deserialize(PG_FUNCTION_ARGS);
extern Datum sequence_deserialize(PG_FUNCTION_ARGS);
extern Datum attribution_agg_deserialize(PG_FUNCTION_ARGS);
extern Datum event_buffer_serialize(PG_FUNCTION_ARGS);
extern Datum funnel_agg_final(PG_FUNCTION_ARGS);
extern Datum sequence_match_final(PG_FUNCTION_ARGS);
extern Datum sequence_count_final(PG_FUNCTION_ARGS);
extern Datum sequence_match_events_final(PG_FUNCTION_ARGS);
extern Datum attribution_agg_final(PG_FUNCTION_ARGS);
extern Datum lift_agg_landmark_transition(PG_FUNCTION_ARGS);
extern Datum lift_agg_final(PG_FUNCTION_ARGS);
extern Datum lift_agg_combine(PG_FUNCTION_ARGS);
extern Datum lift_agg_serialize(PG_FUNCTION_ARGS);
extern Datum lift_agg_deserialize(PG_FUNCTION_ARGS);
extern Datum sequence_next_node_transition(PG_FUNCTION_ARGS);
extern Datum sequence_next_node_final(PG_FUNCTION_ARGS);
extern Datum sequence_next_node_combine(PG_FUNCTION_ARGS);
extern Datum sequence_next_node_serialize(PG_FUNCTION_ARGS);
extern Datum sequence_next_node_deserialize(PG_FUNCTION_ARGS);
extern Datum paths_in(PG_FUNCTION_ARGS);
extern Datum paths_out(PG_FUNCTION_ARGS);
extern Datum paths_recv(PG_FUNCTION_ARGS);
extern Datum paths_send(PG_FUNCTION_ARGS);
extern Datum paths_entities(PG_FUNCTION_ARGS);
extern Datum paths_count(PG_FUNCTION_ARGS);
extern Datum paths_rollup_transition(PG_FUNCTION_ARGS);
extern Datum paths_rollup_final(PG_FUNCTION_ARGS);
extern Datum path_agg_transition(PG_FUNCTION_ARGS);
extern Datum path_agg_integer_transition(PG_FUNCTION_ARGS);
extern Datum path_agg_final(PG_FUNCTION_ARGS);
extern Datum path_agg_deserialize(PG_FUNCTION_ARGS);

/* An aggregate context for transition and combine functions called directly. */
static AggState fake_agg;
static ExprContext fake_econtext;

/*
 * Call fn with up to 8 arguments (NULL where nulls[i]) as an aggregate
 * support function would be called: with an FmgrInfo of its own (for
 * fn_extra caches) and, with in_agg, an aggregate context.  Returns the
 * result, or 0 with *isnull.
 */
static Datum
call(PGFunction fn, int nargs, const Datum *args, const bool *nulls, bool in_agg, bool *isnull)
{
	FmgrInfo   *flinfo = palloc0(sizeof(FmgrInfo));
	LOCAL_FCINFO(fcinfo, 8);
	Datum		result;
	int			i;

	if (nargs > 8)
		elog(ERROR, "fuzz call with %d arguments, more than 8", nargs);
	flinfo->fn_addr = fn;
	flinfo->fn_nargs = nargs;
	flinfo->fn_mcxt = CurrentMemoryContext;
	flinfo->fn_oid = InvalidOid;
	fake_agg.ss.ps.type = T_AggState;
	fake_econtext.ecxt_per_tuple_memory = CurrentMemoryContext;
	fake_agg.curaggcontext = &fake_econtext;
	InitFunctionCallInfoData(*fcinfo, flinfo, nargs, InvalidOid,
							 in_agg ? (Node *) &fake_agg : NULL, NULL);
	for (i = 0; i < nargs; i++)
	{
		fcinfo->args[i].value = args[i];
		fcinfo->args[i].isnull = nulls ? nulls[i] : false;
	}
	result = fn(fcinfo);
	*isnull = fcinfo->isnull;
	return result;
}

/* fn(a) for a function that does not return NULL here. */
static Datum
call1(PGFunction fn, Datum a)
{
	bool		isnull;
	Datum		r = call(fn, 1, &a, NULL, false, &isnull);

	if (isnull)
		fuzz_fail("a function returned NULL for a non-NULL value");
	return r;
}

/* A type's input function on a C string. */
static Datum
input(PGFunction in, const char *str)
{
	return DirectFunctionCall3(in, CStringGetDatum(str), ObjectIdGetDatum(InvalidOid),
							   Int32GetDatum(-1));
}

/* A type's receive function on bytes. */
static Datum
receive(PGFunction recv, const char *data, size_t size)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendBinaryStringInfo(&buf, data, size);
	return DirectFunctionCall3(recv, PointerGetDatum(&buf), ObjectIdGetDatum(InvalidOid),
							   Int32GetDatum(-1));
}

/* Merge a funnel with itself and count its entities. */
static void
use_funnel(Datum v)
{
	Funnel	   *f = (Funnel *) PG_DETOAST_DATUM_COPY(v);

	(void) funnel_merge(f, (Funnel *) PG_DETOAST_DATUM(v), false);
	(void) funnel_entities(f);
}

/* Merge an attribution with itself in place and read its accessors. */
static void
use_attribution(Datum v)
{
	Attribution *a = (Attribution *) PG_DETOAST_DATUM_COPY(v);

	(void) attribution_merge(a, (Attribution *) PG_DETOAST_DATUM(v), true);
	(void) call1(attribution_conversions, v);
	(void) call1(attribution_total_value, PointerGetDatum(a));
}

/* Merge a lift value with itself in place. */
static void
use_lift(Datum v)
{
	Lift	   *l = (Lift *) PG_DETOAST_DATUM_COPY(v);

	(void) lift_merge(l, (Lift *) PG_DETOAST_DATUM(v), true);
}

/* Whether two varlenas (byteas, or values of a type) hold the same bytes. */
static bool
same_bytes(const void *a, const void *b)
{
	return VARSIZE_ANY_EXHDR(a) == VARSIZE_ANY_EXHDR(b) &&
		memcmp(VARDATA_ANY(a), VARDATA_ANY(b), VARSIZE_ANY_EXHDR(a)) == 0;
}

/*
 * A paths value that is ours (from input, a merge or path_agg's final)
 * must pass the full check a value from outside gets: its options are
 * canonical and its paths and edges agree with them and with each other.
 */
static void
paths_valid(const PathsHeader *p, const char *what)
{
	PathSet		set;
	PathOptions opts;
	const char *err;

	paths_unpack(p, &set);
	if (!path_options_from_canonical(set.options, &opts))
		fuzz_fail(psprintf("%s has options that are not canonical: %s", what, set.options));
	if ((err = paths_check(&set, &opts)) != NULL)
		fuzz_fail(psprintf("%s fails the paths check: %s", what, err));
}

/*
 * Merge a paths value with itself: the merge keeps every name, path and
 * edge and doubles every count, passes the paths check, and is what
 * rollup(paths) gives, called directly and as an aggregate (the expanded
 * state, flattened by its final function).  The accessors read the value.
 */
static void
use_paths(Datum v)
{
	PathsHeader *p = DatumGetPathsP(v);
	PathSet		a;
	PathSet    *m;
	PathsHeader *merged;
	Datum		args[2];
	bool		nulls[2] = {true, false};
	bool		isnull;
	Datum		st;
	int32		i;

	paths_unpack(p, &a);
	if (DatumGetInt64(call1(paths_entities, v)) != a.entities ||
		DatumGetInt64(call1(paths_count, v)) != a.npaths)
		fuzz_fail("entities() or paths_count() disagree with the value");
	m = paths_merge(&a, &a);
	merged = paths_pack(m);
	if (m->nnames != a.nnames || m->npaths != a.npaths || m->nedges != a.nedges ||
		m->nnodes != a.nnodes || m->entities != 2 * a.entities)
		fuzz_fail("merging a paths value with itself changes its names, paths or edges");
	for (i = 0; i < a.npaths; i++)
		if (m->paths[i].entities != 2 * a.paths[i].entities ||
			m->paths[i].converted != 2 * a.paths[i].converted)
			fuzz_fail("merging a paths value with itself does not double a path's counts");
	for (i = 0; i < a.nedges; i++)
		if (m->edges[i].entities != 2 * a.edges[i].entities)
			fuzz_fail("merging a paths value with itself does not double an edge's count");
	paths_valid(merged, "a paths value merged with itself");

	args[0] = v;
	args[1] = v;
	st = call(paths_rollup_transition, 2, args, NULL, false, &isnull);
	if (!same_bytes(DatumGetPointer(st), merged))
		fuzz_fail("rollup(paths) called directly differs from the merge");
	st = call(paths_rollup_transition, 2, args, nulls, true, &isnull);
	args[0] = st;
	st = call(paths_rollup_transition, 2, args, NULL, true, &isnull);
	if (!same_bytes(DatumGetPointer(call1(paths_rollup_final, st)), merged))
		fuzz_fail("rollup(paths) as an aggregate differs from the merge");
}

/* A type's input, output, receive and send, and a use of its values. */
typedef struct TypeFns
{
	PGFunction	in,
				out,
				recv,
				send;
	void		(*use) (Datum v);
} TypeFns;

static const TypeFns funnel_fns = {funnel_in, funnel_out, funnel_recv, funnel_send, use_funnel};
static const TypeFns attribution_fns = {attribution_in, attribution_out, attribution_recv,
attribution_send, use_attribution};
static const TypeFns lift_fns = {lift_in, lift_out, lift_recv, lift_send, use_lift};
static const TypeFns paths_fns = {paths_in, paths_out, paths_recv, paths_send, use_paths};

/*
 * Text input: an accepted text prints a form that reads back to itself; and
 * (the round-trip invariant of issue 16) its binary output is accepted by
 * binary input and gives the same value: the same send bytes and text.
 */
static void
text_target(const TypeFns *t, const uint8 *data, size_t size)
{
	char	   *str = pnstrdup((const char *) data, size);
	Datum		v = input(t->in, str);
	char	   *out1 = DatumGetCString(call1(t->out, v));
	char	   *out2 = DatumGetCString(call1(t->out, input(t->in, out1)));
	bytea	   *b1;
	Datum		v2;

	if (strcmp(out1, out2) != 0)
		fuzz_fail(psprintf("text output does not read back to itself: %s", out1));
	b1 = DatumGetByteaPP(call1(t->send, v));
	v2 = receive(t->recv, VARDATA_ANY(b1), VARSIZE_ANY_EXHDR(b1));
	if (!same_bytes(b1, DatumGetByteaPP(call1(t->send, v2))))
		fuzz_fail(psprintf("binary output of a text input does not read back to the same bytes: %s", out1));
	if (strcmp(out1, DatumGetCString(call1(t->out, v2))) != 0)
		fuzz_fail(psprintf("binary round trip of a text input changes its text: %s", out1));
	t->use(v);
}

/*
 * Binary input: send(recv(x)) is a fixed point, in bytes and in text; and
 * (the round-trip invariant of issue 16) the text output of an accepted
 * value is accepted by text input and reads back to the same send bytes.
 * A text input error here is a broken invariant, not a refused input: it
 * is what makes a pg_dump of the stored value fail to restore.
 */
static void
binary_target(const TypeFns *t, const uint8 *data, size_t size)
{
	Datum		v = receive(t->recv, (const char *) data, size);
	bytea	   *b1 = DatumGetByteaPP(call1(t->send, v));
	Datum		v2 = receive(t->recv, VARDATA_ANY(b1), VARSIZE_ANY_EXHDR(b1));
	bytea	   *b2 = DatumGetByteaPP(call1(t->send, v2));
	char	   *text = DatumGetCString(call1(t->out, v));
	volatile Datum v3 = (Datum) 0;
	volatile bool text_refused = false;
	MemoryContext cxt = CurrentMemoryContext;

	if (!same_bytes(b1, b2))
		fuzz_fail("binary output does not read back to itself");
	if (strcmp(text, DatumGetCString(call1(t->out, v2))) != 0)
		fuzz_fail("binary round trip changes the text form");
	PG_TRY();
	{
		v3 = input(t->in, text);
	}
	PG_CATCH();
	{
		MemoryContextSwitchTo(cxt);
		FlushErrorState();
		text_refused = true;
	}
	PG_END_TRY();
	if (text_refused)
		fuzz_fail(psprintf("text input refuses the text output of a binary input: %s", text));
	if (!same_bytes(b1, DatumGetByteaPP(call1(t->send, v3))))
		fuzz_fail(psprintf("text output of a binary input reads back to other bytes: %s", text));
	t->use(v);
}

static void funnel_text(const uint8 *d, size_t n) { text_target(&funnel_fns, d, n); }
static void funnel_binary(const uint8 *d, size_t n) { binary_target(&funnel_fns, d, n); }
static void attribution_text(const uint8 *d, size_t n) { text_target(&attribution_fns, d, n); }
static void attribution_binary(const uint8 *d, size_t n) { binary_target(&attribution_fns, d, n); }
static void lift_text(const uint8 *d, size_t n) { text_target(&lift_fns, d, n); }
static void lift_binary(const uint8 *d, size_t n) { binary_target(&lift_fns, d, n); }
static void paths_text(const uint8 *d, size_t n) { text_target(&paths_fns, d, n); }
static void paths_binary(const uint8 *d, size_t n) { binary_target(&paths_fns, d, n); }

/* Bytes as a bytea. */
static bytea *
as_bytea(const void *data, size_t size)
{
	bytea	   *b = palloc(VARHDRSZ + size);

	SET_VARSIZE(b, VARHDRSZ + size);
	memcpy(VARDATA(b), data, size);
	return b;
}

/* A final value must pass its own type's input (through its text). */
static void
final_value_valid(const TypeFns *t, Datum v)
{
	(void) input(t->in, DatumGetCString(call1(t->out, v)));
}

/* Run the final functions that apply to an event buffer state. */
static void
event_buffer_finals(EventBuffer *s)
{
	Datum		arg = PointerGetDatum(s);
	bool		isnull;
	Datum		r;

	if (event_buffer_kind_id(s) == EVENT_KIND_PATTERN)
	{
		(void) call(sequence_match_final, 1, &arg, NULL, false, &isnull);
		(void) call(sequence_count_final, 1, &arg, NULL, false, &isnull);
		(void) call(sequence_match_events_final, 1, &arg, NULL, false, &isnull);
	}
	else if (event_buffer_kind_id(s) == EVENT_KIND_ATTRIBUTION)
	{
		r = call(attribution_agg_final, 1, &arg, NULL, false, &isnull);
		if (!isnull)
			final_value_valid(&attribution_fns, r);
	}
	else if (event_buffer_kind_id(s) == EVENT_KIND_PATHS)
	{
		r = call1(path_agg_final, arg);
		paths_valid(DatumGetPathsP(r), "path_agg's final value");
		final_value_valid(&paths_fns, r);
	}
	else
	{
		(void) call(window_funnel_final, 1, &arg, NULL, false, &isnull);
		r = call(funnel_agg_final, 1, &arg, NULL, false, &isnull);
		if (!isnull)
			final_value_valid(&funnel_fns, r);
	}
}

/*
 * The deserialize function of the family that an event buffer's bytes name
 * (the kind above the modes in the header's second word); funnel_agg's for
 * the funnel kind, as it accepts every window_funnel state too.
 */
static PGFunction
state_deserializer(const uint8 *data, size_t size)
{
	uint32		kind_modes = 0;

	if (size >= 8)
		memcpy(&kind_modes, data + 4, 4);
	switch (kind_modes >> 8)
	{
		case EVENT_KIND_PATTERN:
			return sequence_deserialize;
		case EVENT_KIND_ATTRIBUTION:
			return attribution_agg_deserialize;
		case EVENT_KIND_PATHS:
			return path_agg_deserialize;
		default:
			return funnel_agg_deserialize;
	}
}

/*
 * An event buffer state through `deserialize`: serialize after deserialize
 * is a fixed point, the state merges with a copy of itself, and the final
 * functions of its kind run on both.
 */
static void
event_buffer_state(PGFunction deserialize, const uint8 *data, size_t size)
{
	Datum		args[2];
	bool		isnull;
	EventBuffer *s,
			   *copy;
	bytea	   *s1,
			   *s2;

	args[0] = PointerGetDatum(as_bytea(data, size));
	args[1] = (Datum) 0;
	s = (EventBuffer *) DatumGetPointer(call(deserialize, 2, args, NULL, false, &isnull));
	s1 = DatumGetByteaPP(call1(event_buffer_serialize, PointerGetDatum(s)));
	args[0] = PointerGetDatum(s1);
	copy = (EventBuffer *) DatumGetPointer(call(deserialize, 2, args, NULL, false, &isnull));
	s2 = DatumGetByteaPP(call1(event_buffer_serialize, PointerGetDatum(copy)));
	if (!same_bytes(s1, s2))
		fuzz_fail("serialize(deserialize(x)) is not a fixed point for an event buffer");
	/* a state window_funnel_deserialize accepts, funnel_agg_deserialize accepts too */
	if (deserialize == funnel_agg_deserialize && s->labels == NULL && s->values == NULL)
	{
		args[0] = PointerGetDatum(s1);
		(void) call(window_funnel_deserialize, 2, args, NULL, false, &isnull);
	}
	copy = event_buffer_merge(copy, s);
	event_buffer_finals(s);
	event_buffer_finals(copy);
}

/*
 * The event buffer state shared by window_funnel, funnel_agg, sequence_*,
 * attribution_agg and path_agg: the deserialize function of the kind the
 * bytes name.
 */
static void
funnel_state(const uint8 *data, size_t size)
{
	event_buffer_state(state_deserializer(data, size), data, size);
}

/* path_agg's state only, whatever kind the bytes name. */
static void
paths_state(const uint8 *data, size_t size)
{
	event_buffer_state(path_agg_deserialize, data, size);
}

/* lift_agg's state: the same checks with its own functions. */
static void
lift_state(const uint8 *data, size_t size)
{
	Datum		args[2];
	bool		isnull;
	Datum		s,
				copy,
				r;
	bytea	   *s1,
			   *s2;

	args[0] = PointerGetDatum(as_bytea(data, size));
	args[1] = (Datum) 0;
	s = call(lift_agg_deserialize, 2, args, NULL, false, &isnull);
	s1 = DatumGetByteaPP(call1(lift_agg_serialize, s));
	args[0] = PointerGetDatum(s1);
	copy = call(lift_agg_deserialize, 2, args, NULL, false, &isnull);
	s2 = DatumGetByteaPP(call1(lift_agg_serialize, copy));
	if (!same_bytes(s1, s2))
		fuzz_fail("serialize(deserialize(x)) is not a fixed point for a lift_agg state");
	args[0] = copy;
	args[1] = s;
	copy = call(lift_agg_combine, 2, args, NULL, true, &isnull);
	r = call(lift_agg_final, 1, &copy, NULL, false, &isnull);
	final_value_valid(&lift_fns, r);
	r = call(lift_agg_final, 1, &s, NULL, false, &isnull);
	final_value_valid(&lift_fns, r);
}

/* sequence_next_node's state. */
static void
next_node_state(const uint8 *data, size_t size)
{
	Datum		args[2];
	bool		isnull;
	Datum		s,
				copy;
	bytea	   *s1,
			   *s2;

	args[0] = PointerGetDatum(as_bytea(data, size));
	args[1] = (Datum) 0;
	s = call(sequence_next_node_deserialize, 2, args, NULL, false, &isnull);
	s1 = DatumGetByteaPP(call1(sequence_next_node_serialize, s));
	args[0] = PointerGetDatum(s1);
	copy = call(sequence_next_node_deserialize, 2, args, NULL, false, &isnull);
	s2 = DatumGetByteaPP(call1(sequence_next_node_serialize, copy));
	if (!same_bytes(s1, s2))
		fuzz_fail("serialize(deserialize(x)) is not a fixed point for a sequence_next_node state");
	args[0] = copy;
	args[1] = s;
	copy = call(sequence_next_node_combine, 2, args, NULL, true, &isnull);
	(void) call(sequence_next_node_final, 1, &copy, NULL, false, &isnull);
	(void) call(sequence_next_node_final, 1, &s, NULL, false, &isnull);
}

/* Model and options strings: the canonical form parses back to itself. */
static void
model_strings(const uint8 *data, size_t size)
{
	char	   *str = pnstrdup((const char *) data, size);
	AttributionModelSpec spec,
				again;
	FunnelOptions opts,
				opts2;
	FunnelOptionNames names;
	char	   *canon;

	/*
	 * 'P': path_agg options for a timestamp column, 'Q': for a bigint one;
	 * the canonical form is a stored definition, and given to path_agg
	 * again it defines the same
	 */
	if (size > 0 && (data[0] == 'P' || data[0] == 'Q'))
	{
		PathTimeKind kind = data[0] == 'Q' ? PATH_TIME_INTEGER : PATH_TIME_TIMESTAMP;
		PathOptions popts,
					pagain;

		path_options_parse(str + 1, strlen(str + 1), kind, &popts);
		canon = path_options_to_string(&popts);
		if (!path_options_from_canonical(canon, &pagain))
			fuzz_fail(psprintf("path_agg options \"%s\" are not canonical", canon));
		path_options_parse(canon, strlen(canon), kind, &pagain);
		if (strcmp(path_options_to_string(&pagain), canon) != 0)
			fuzz_fail(psprintf("path_agg options \"%s\" define other options when given again",
							   canon));
		return;
	}
	/* 'A': a model over timestamps, 'I': over integer times */
	if (size > 0 && (data[0] == 'A' || data[0] == 'I'))
	{
		bool		integer_time = data[0] == 'I';

		attribution_model_parse(str + 1, strlen(str + 1), integer_time, &spec);
		canon = attribution_model_to_string(&spec);
		if (!attribution_model_from_string(canon, integer_time, &again) ||
			strcmp(attribution_model_to_string(&again), canon) != 0)
			fuzz_fail(psprintf("attribution model \"%s\" is not canonical", canon));
		return;
	}
	/* a user's string (boolean syntax: labels= too), then the stored form */
	(void) funnel_parse_options(str, strlen(str), FUNNEL_SYNTAX_BOOLEAN, &opts, &names);
	canon = funnel_options_to_string(&opts);
	if (canon == NULL)
		return;					/* modes only, or nothing */
	(void) funnel_parse_options(canon, strlen(canon), FUNNEL_SYNTAX_STORED, &opts2, NULL);
	if (strcmp(funnel_options_to_string(&opts2), canon) != 0)
		fuzz_fail(psprintf("funnel options \"%s\" are not canonical", canon));
}

static const struct
{
	const char *name;
	FuzzTarget	fn;
}			targets[] =
{
	{"funnel_in", funnel_text},
	{"funnel_recv", funnel_binary},
	{"attribution_in", attribution_text},
	{"attribution_recv", attribution_binary},
	{"lift_in", lift_text},
	{"lift_recv", lift_binary},
	{"paths_in", paths_text},
	{"paths_recv", paths_binary},
	{"funnel_state", funnel_state},
	{"lift_state", lift_state},
	{"next_node_state", next_node_state},
	{"paths_state", paths_state},
	{"model", model_strings}
};

/* The target called `name`, or NULL. */
FuzzTarget
fuzz_target_lookup(const char *name)
{
	int			i;

	for (i = 0; i < lengthof(targets); i++)
		if (strcmp(targets[i].name, name) == 0)
			return targets[i].fn;
	return NULL;
}

/* The targets' names, for the error of an unknown one. */
const char *
fuzz_target_names(void)
{
	StringInfoData s;
	int			i;

	initStringInfo(&s);
	for (i = 0; i < lengthof(targets); i++)
		appendStringInfo(&s, "%s%s", i > 0 ? ", " : "", targets[i].name);
	return s.data;
}

/* ---------- seeds for the state targets ---------- */

/* Labels from a string blob (NUL-separated, size bytes). */
static const EventLabels *
labels_of(const char *data, int32 size)
{
	EventLabels *l = palloc(offsetof(EventLabels, data) + size);

	l->parsed = NULL;
	l->parsed_size = 0;
	l->tail = false;
	l->size = size;
	memcpy(l->data, data, size);
	return l;
}

static bytea *funnel_options_seed(void);
static bytea *path_agg_seed(const char *options, bool integer);

/* Event buffer states: a funnel, a pattern, an attribution, an options and a path_agg state. */
static List *
event_buffer_seeds(void)
{
	List	   *seeds = NIL;
	EventBuffer *b;
	PairValue none = {NULL, -1};
	PairValue v;
	int64		units;
	int			i;

	b = event_buffer_create(CurrentMemoryContext, &funnel_state_kind, USECS_PER_DAY, 0, 4, 0);
	for (i = 0; i < 12; i++)
		b = event_buffer_append(b, 1000000 * (int64) (i * 7 % 12), 1u << (i % 4));
	seeds = lappend(seeds, event_buffer_pack(b));

	b = event_buffer_create(CurrentMemoryContext, &sequence_state_kind, 0, 0, 3, 0);
	b->labels = labels_of("(?1)(?t<=3600).*(?2)(?3)", 25);
	for (i = 0; i < 9; i++)
		b = event_buffer_append(b, 1000000 * (int64) (i * 100), 1u << (i % 3));
	seeds = lappend(seeds, event_buffer_pack(b));

	b = event_buffer_create(CurrentMemoryContext, &attribution_state_kind, 7 * USECS_PER_DAY, 0,
							2, 0);
	b->labels = labels_of("time_decay, half_life=1 day, max_touches=3", 43);
	b->values = value_pairs_create(CurrentMemoryContext);
	for (i = 0; i < 10; i++)
	{
		const char *names[] = {"email", "ads", "social"};

		v.data = names[i % 3];
		v.len = strlen(names[i % 3]);
		b = event_buffer_append_tag(b, USECS_PER_HOUR * (int64) i, 0x1 /* touch */,
									value_pairs_intern(&b->values, v, none));
		if (i % 4 == 3)
		{
			units = 1000000 * (int64) (10 + i);
			v.data = (const char *) &units;
			v.len = sizeof(int64);
			b = event_buffer_append_tag(b, USECS_PER_HOUR * (int64) i + 1,
										0x2 /* conversion */,
										value_pairs_intern(&b->values, none, v));
		}
	}
	seeds = lappend(seeds, event_buffer_pack(b));
	seeds = lappend(seeds, funnel_options_seed());
	return lappend(seeds, path_agg_seed("steps=3,max_gap=1 hour,conversion=purchase", false));
}

/*
 * A funnel_agg state with options, step names, and hold and breakdown
 * values, through the real transition (so its labels and value pairs are
 * exactly what a parallel worker sends).
 */
static bytea *
funnel_options_seed(void)
{
	extern Datum funnel_agg_labels_transition(PG_FUNCTION_ARGS);
	Datum		args[8];
	bool		nulls[8] = {true, false, false, false, false, false, false, false};
	bool		isnull;
	Interval   *window = palloc0(sizeof(Interval));
	Datum		names[4];
	const char *events[] = {"view", "cart", "search", "checkout", "purchase", "view", "cart"};
	const char *channels[] = {"email", "email", "ads", "email", "email", "ads", "ads"};
	int			i;

	window->day = 1;
	names[0] = CStringGetTextDatum("view");
	names[1] = CStringGetTextDatum("cart");
	names[2] = CStringGetTextDatum("checkout");
	names[3] = CStringGetTextDatum("purchase");
	args[0] = (Datum) 0;
	args[1] = IntervalPGetDatum(window);
	args[2] = CStringGetTextDatum("exclude=search@2-4, within=2:1 hour, hold, breakdown=first_touch");
	args[5] = PointerGetDatum(construct_array(names, 4, TEXTOID, -1, false, TYPALIGN_INT));
	for (i = 0; i < 7; i++)
	{
		args[3] = Int64GetDatum(USECS_PER_MINUTE * (int64) (i * 7));
		args[4] = CStringGetTextDatum(events[i]);
		args[6] = CStringGetTextDatum(channels[i]);
		args[7] = CStringGetTextDatum(i % 2 ? "black_friday" : "winter_sale");
		args[0] = call(funnel_agg_labels_transition, 8, args, nulls, true, &isnull);
		nulls[0] = false;
	}
	return DatumGetByteaPP(call1(event_buffer_serialize, args[0]));
}

/* A lift_agg state (landmark design) from a few rows, through the real transition. */
static List *
lift_seeds(void)
{
	Datum		args[5];
	bool		nulls[5] = {true, false, false, false, false};
	bool		isnull;
	Interval   *landmark = palloc0(sizeof(Interval));
	const char *micro[] = {"search", "wishlist_add", "newsletter_signup", "search", "purchase"};
	int			i;

	landmark->time = 2 * USECS_PER_HOUR;
	args[0] = (Datum) 0;
	args[1] = IntervalPGetDatum(landmark);
	for (i = 0; i < 5; i++)
	{
		args[2] = Int64GetDatum(USECS_PER_HOUR * (int64) i);
		args[3] = CStringGetTextDatum(micro[i]);
		args[4] = BoolGetDatum(i == 4);
		args[0] = call(lift_agg_landmark_transition, 5, args, nulls, true, &isnull);
		nulls[0] = false;
	}
	return list_make1(DatumGetByteaPP(call1(lift_agg_serialize, args[0])));
}

/*
 * A sequence_next_node state from a few rows, through the real transition,
 * with nconds conditions: 2 gives 4-byte masks, more than 32 8-byte ones.
 */
static bytea *
next_node_seed(int nconds)
{
	Datum		args[7];
	bool		nulls[7] = {true, false, false, false, false, false, false};
	bool		isnull;
	const char *pages[] = {"home", "search", "product", "cart", "product", "checkout"};
	Datum		conds[40];
	int			i,
				k;

	Assert(nconds <= 40);
	args[0] = (Datum) 0;
	args[1] = CStringGetTextDatum("forward");
	args[2] = CStringGetTextDatum("first_match");
	for (i = 0; i < 6; i++)
	{
		conds[0] = BoolGetDatum(strcmp(pages[i], "search") == 0);
		for (k = 1; k < nconds; k++)
			conds[k] = BoolGetDatum((k % 2 == 1) == (strcmp(pages[i], "product") == 0));
		args[3] = Int64GetDatum(USECS_PER_SEC * (int64) (i * 10));
		args[4] = CStringGetTextDatum(pages[i]);
		args[5] = BoolGetDatum(i == 0);
		args[6] = PointerGetDatum(construct_array(conds, nconds, BOOLOID, 1, true, TYPALIGN_CHAR));
		args[0] = call(sequence_next_node_transition, 7, args, nulls, true, &isnull);
		nulls[0] = false;
	}
	return DatumGetByteaPP(call1(sequence_next_node_serialize, args[0]));
}

/* sequence_next_node seeds: 2 conditions and 40 (the two mask widths). */
static List *
next_node_seeds(void)
{
	return list_make2(next_node_seed(2), next_node_seed(40));
}

/*
 * A path_agg state from a few rows of one entity (two sessions two hours
 * apart, a repeat, a name with spaces), through the real transition:
 * with options (NULL: the form without) over timestamps, or with
 * `integer` over bigint seconds.
 */
static bytea *
path_agg_seed(const char *options, bool integer)
{
	const char *events[] = {"view", "search", "view", "view", "add to cart", "checkout",
	"purchase", "view", "add to cart", "purchase", "view"};
	const int	minutes[] = {0, 1, 3, 4, 6, 9, 12, 140, 143, 150, 151};
	Datum		args[4];
	bool		nulls[4] = {true, false, false, false};
	int			nargs = options ? 4 : 3;
	int			ts_arg = options ? 2 : 1;
	bool		isnull;
	int			i;

	args[0] = (Datum) 0;
	if (options)
		args[1] = CStringGetTextDatum(options);
	for (i = 0; i < lengthof(events); i++)
	{
		args[ts_arg] = Int64GetDatum(integer ? 60 * (int64) minutes[i] :
									 USECS_PER_MINUTE * (int64) minutes[i]);
		args[ts_arg + 1] = CStringGetTextDatum(events[i]);
		args[0] = call(integer ? path_agg_integer_transition : path_agg_transition, nargs, args,
					   nulls, true, &isnull);
		nulls[0] = false;
	}
	return DatumGetByteaPP(call1(event_buffer_serialize, args[0]));
}

/* path_agg seeds: the defaults, several options strings, and integer time. */
static List *
paths_state_seeds(void)
{
	List	   *seeds = NIL;

	seeds = lappend(seeds, path_agg_seed(NULL, false));
	seeds = lappend(seeds, path_agg_seed("steps=3,conversion=purchase", false));
	seeds = lappend(seeds, path_agg_seed("direction=backward,anchor=purchase,collapse_repeats",
										 false));
	seeds = lappend(seeds, path_agg_seed("max_gap=1 hour", false));
	seeds = lappend(seeds, path_agg_seed("steps=4,anchor=\"add to cart\",events=view|\"add to cart\"|purchase,conversion=purchase,only=converted",
										 false));
	seeds = lappend(seeds, path_agg_seed("max_gap=3600,collapse_repeats", true));
	return seeds;
}

/* Seeds of a state target (none for the others: use values from SQL). */
List *
fuzz_state_seeds(const char *target)
{
	if (strcmp(target, "funnel_state") == 0)
		return event_buffer_seeds();
	if (strcmp(target, "lift_state") == 0)
		return lift_seeds();
	if (strcmp(target, "next_node_state") == 0)
		return next_node_seeds();
	if (strcmp(target, "paths_state") == 0)
		return paths_state_seeds();
	return NIL;
}
