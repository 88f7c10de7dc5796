/*
 * funnel_people.c
 *		rollup(f, person) and the rollup(f) of funnels that carry people:
 *		the expanded aggregate state, and reading and building the people
 *		section of a `funnel` (layout in funnel_people.h).
 *
 * The state is an expanded object (utils/expandeddatum.h) so that merging
 * thousands of stored values never rewrites the sets: the counts are a
 * general funnel merged in place by funnel_merge, and each step's persons
 * a mutable IdSet.  The executor keeps a read-write expanded transition
 * value whose context's parent is the aggregate context as it is, so the
 * transition returns the same object each time.  Where a flat value is
 * needed (the final function, parallel workers' results, a stored value)
 * the object flattens into the canonical funnel: trimmed sketches, then
 * the flat sets.  The type of the state stays `funnel` (DESIGN.md,
 * "Scale").
 */
#include "postgres.h"

#include "common/id_set.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "funnel/funnel.h"
#include "funnel/funnel_people.h"
#include "miscadmin.h"
#include "utils/expandeddatum.h"
#include "utils/memutils.h"

PG_FUNCTION_INFO_V1(funnel_people_transition);

/* The hint of the error for a funnel that would outgrow 1 GB. */
#define FUNNEL_PEOPLE_LIMIT_HINT \
	"A funnel that carries people holds at most 1 GB (about 2 bytes per person and step in sparse containers, 8 KB per 65,536 ids in dense ones): merge fewer periods or fewer people at a time."

/* The expanded state. */
typedef struct FunnelPeopleState
{
	ExpandedObjectHeader hdr;
	Funnel	   *counts;			/* general funnel without people, in hdr's context */
	int			nsteps;
	IdSet		sets[FUNNEL_MAX_STEPS];
	Funnel	   *flat;			/* the canonical value, or NULL when stale */
} FunnelPeopleState;

static Size fps_get_flat_size(ExpandedObjectHeader *eohptr);
static void fps_flatten_into(ExpandedObjectHeader *eohptr, void *result,
							 Size allocated_size);

static const ExpandedObjectMethods fps_methods = {
	fps_get_flat_size,
	fps_flatten_into
};

/* ---------- the people section of a flat value ---------- */

/* Step k's (0-based) flat set of persons in a value that carries people. */
const char *
funnel_people_set(const Funnel *f, int k)
{
	const char *p = (const char *) f + funnel_general_counts_size(f);

	Assert(funnel_has_people(f));
	while (k-- > 0)
		p += id_set_flat_bytes(p);
	return p;
}

/* Refuse, for accessor `name`, a funnel that does not carry people. */
void
funnel_require_people(const Funnel *f, const char *name)
{
	if (!funnel_has_people(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s needs a funnel that carries people, got one that counts entities only", name),
				 errhint(FUNNEL_PEOPLE_BUILD_HINT)));
}

/* Empty sets for nsteps steps in mcxt, each bounded by the value limit. */
void
funnel_people_init_sets(IdSet *sets, int nsteps, MemoryContext mcxt)
{
	int			k;

	for (k = 0; k < nsteps; k++)
	{
		id_set_init(&sets[k], mcxt);
		sets[k].limit = MaxAllocSize;
		sets[k].limit_hint = FUNNEL_PEOPLE_LIMIT_HINT;
	}
}

/*
 * Bound set k so that the flat value (`fixed` bytes of counts, then every
 * step's set) stays within 1 GB while set k grows: its limit is what the
 * other sets leave.
 */
void
funnel_people_bound_set(IdSet *sets, int nsteps, int k, Size fixed)
{
	Size		used = fixed;
	int			j;

	for (j = 0; j < nsteps; j++)
		if (j != k)
			used += id_set_flat_size(&sets[j]);
	sets[k].limit = used < MaxAllocSize ? MaxAllocSize - used : 1;
}

/*
 * Refuse a value of `bytes` bytes that PostgreSQL could not hold (1 GB),
 * before it is allocated.
 */
static void
check_value_size(Size bytes)
{
	if (bytes > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("funnel with people would take %zu bytes, more than the %zu a value may have",
						bytes, (Size) MaxAllocSize),
				 errhint(FUNNEL_PEOPLE_LIMIT_HINT)));
}

/* Bytes of the flat sets of nsteps steps. */
static Size
sets_size(const IdSet *sets, int nsteps)
{
	Size		total = 0;
	int			k;

	for (k = 0; k < nsteps; k++)
		total += id_set_flat_size(&sets[k]);
	return total;
}

/*
 * The canonical value of general funnel `counts` (its people section, if
 * any, ignored) with the persons of `sets`, one per step: trimmed
 * sketches, then each step's flat set.
 */
Funnel *
funnel_people_attach(const Funnel *counts, const IdSet *sets)
{
	Size		people = sets_size(sets, counts->nsteps);
	Funnel	   *out;
	char	   *p;
	int			k;

	check_value_size(funnel_general_counts_size(counts) + people);
	out = funnel_trimmed(counts, people);
	out->flags |= FUNNEL_FLAG_PEOPLE;
	p = (char *) out + VARSIZE(out) - people;
	for (k = 0; k < counts->nsteps; k++)
	{
		id_set_flatten(&sets[k], p);
		p += id_set_flat_size(&sets[k]);
	}
	return out;
}

/* ---------- the expanded state ---------- */

/* The canonical value of the state, built once until the state changes. */
static Funnel *
fps_flat(FunnelPeopleState *fps)
{
	if (fps->flat == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fps->hdr.eoh_context);

		fps->flat = funnel_people_attach(fps->counts, fps->sets);
		MemoryContextSwitchTo(old);
	}
	return fps->flat;
}

/* EOH_get_flat_size: bytes of the canonical value. */
static Size
fps_get_flat_size(ExpandedObjectHeader *eohptr)
{
	return VARSIZE(fps_flat((FunnelPeopleState *) eohptr));
}

/* EOH_flatten_into: write the canonical value. */
static void
fps_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	Funnel	   *flat = fps_flat((FunnelPeopleState *) eohptr);

	Assert(allocated_size == VARSIZE(flat));
	memcpy(result, flat, allocated_size);
}

/* Whether d points to a read-write state of this module. */
bool
funnel_people_is_state(Datum d)
{
	return VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(d)) &&
		DatumGetEOHP(d)->eoh_methods == &fps_methods;
}

/* A new empty state with the definition of `def`, in a child context of parent. */
static FunnelPeopleState *
fps_new(MemoryContext parent, const Funnel *def)
{
	MemoryContext ctx = AllocSetContextCreate(parent, "funnel people",
											  ALLOCSET_DEFAULT_SIZES);
	FunnelPeopleState *fps = MemoryContextAllocZero(ctx, sizeof(FunnelPeopleState));
	int32		zero[2 * FUNNEL_MAX_STEPS] = {0};
	MemoryContext old;

	EOH_init_header(&fps->hdr, &fps_methods, ctx);
	old = MemoryContextSwitchTo(ctx);
	fps->counts = funnel_make_general(def, 0, zero, zero);
	MemoryContextSwitchTo(old);
	fps->nsteps = def->nsteps;
	funnel_people_init_sets(fps->sets, fps->nsteps, ctx);
	return fps;
}

/* The error for merging a funnel that carries people with one that does not. */
static void
people_mismatch(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("cannot merge a funnel that carries people with one that counts entities only"),
			 errhint("Rebuild the values without people with rollup(f, person) over funnel_agg's values, "
					 "or merge counts only with rollup(f) over values built without a person.")));
}

/*
 * Add one value to the state: its counts (same definition, checked by
 * funnel_merge), and either `person` to the sets of the steps a one-entity
 * value reached (has_person) or a people-carrying value's sets.
 */
static void
fps_add(FunnelPeopleState *fps, const Funnel *f, bool has_person, int64 person)
{
	MemoryContext old = MemoryContextSwitchTo(fps->hdr.eoh_context);
	Funnel	   *merged;
	int			k;

	merged = funnel_merge(fps->counts, f, true);
	if (merged != fps->counts)
	{
		pfree(fps->counts);
		fps->counts = merged;
	}
	if (has_person)
	{
		for (k = 0; k < f->level; k++)
			id_set_add(&fps->sets[k], person);
	}
	else
	{
		const char *p = (const char *) f + funnel_general_counts_size(f);

		for (k = 0; k < f->nsteps; k++)
		{
			funnel_people_bound_set(fps->sets, fps->nsteps, k, VARSIZE(fps->counts));
			id_set_union_flat(&fps->sets[k], p);
			p += id_set_flat_bytes(p);
		}
	}
	if (fps->flat != NULL)
	{
		pfree(fps->flat);
		fps->flat = NULL;
	}
	MemoryContextSwitchTo(old);
	/* the counts part only shrinks when flattened */
	check_value_size(VARSIZE(fps->counts) + sets_size(fps->sets, fps->nsteps));
}

/*
 * The state to update: the read-write state in arg 0, or a new one (in
 * the aggregate context inside an aggregate, else in the current context)
 * holding arg 0's flat value when there is one, which must carry people.
 * `def` gives the definition of a new state.
 */
static FunnelPeopleState *
fps_get(FunctionCallInfo fcinfo, const Funnel *def)
{
	MemoryContext aggcontext;
	FunnelPeopleState *fps;

	if (!PG_ARGISNULL(0) && funnel_people_is_state(PG_GETARG_DATUM(0)))
		return (FunnelPeopleState *) DatumGetEOHP(PG_GETARG_DATUM(0));
	if (!AggCheckCallContext(fcinfo, &aggcontext))
		aggcontext = CurrentMemoryContext;
	if (PG_ARGISNULL(0))
		return fps_new(aggcontext, def);
	{
		Funnel	   *state = PG_GETARG_FUNNEL_P(0);

		funnel_check_same_definition(state, def, "merge", "merged");
		if (!funnel_has_people(state))
			people_mismatch();
		fps = fps_new(aggcontext, state);
		fps_add(fps, state, false, 0);
	}
	return fps;
}

/*
 * The state as the transition's result: the read-write object inside an
 * aggregate (the executor keeps it as it is), a flat value otherwise.
 */
static Datum
fps_result(FunctionCallInfo fcinfo, FunnelPeopleState *fps)
{
	if (AggCheckCallContext(fcinfo, NULL))
		return EOHPGetRWDatum(&fps->hdr);
	return PointerGetDatum(pg_detoast_datum_copy((struct varlena *) fps_flat(fps)));
}

/*
 * Transition of rollup(f funnel, person bigint): merge a one-entity value
 * as rollup(f) does, and add person to the set of every step it reached.
 * NULL funnels are skipped; a NULL person or a multi-entity value is an
 * error.
 */
Datum
funnel_people_transition(PG_FUNCTION_ARGS)
{
	Funnel	   *f;
	FunnelPeopleState *fps;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	f = PG_GETARG_FUNNEL_P(1);
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("person of a funnel must not be null"),
				 errhint("Pass the id of the entity each funnel_agg value belongs to (the column it was grouped by), and leave out rows without one.")));
	if (funnel_counts_attempts(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rollup(f, person) does not take funnels that count attempts"),
				 errhint("An entity's attempts each have their own chain: build the values with count=uniques (the default) to count people.")));
	if (!funnel_is_single(f))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("rollup(f, person) needs one-entity funnels, got one of %lld entities",
						(long long) funnel_entities(f)),
				 errhint("Give it funnel_agg's values; rollup(f) merges funnels that already carry people.")));
	fps = fps_get(fcinfo, f);
	fps_add(fps, f, true, PG_GETARG_INT64(2));
	PG_RETURN_DATUM(fps_result(fcinfo, fps));
}

/*
 * rollup(f) (transition and combine) when the state or the value carries
 * people: union the sets and add the counts.  Called by
 * funnel_rollup_transition with arg 1's value f (not NULL).
 */
Datum
funnel_people_rollup(FunctionCallInfo fcinfo, const Funnel *f)
{
	FunnelPeopleState *fps;

	if (PG_ARGISNULL(0) && !AggCheckCallContext(fcinfo, NULL))
		PG_RETURN_DATUM(PointerGetDatum(f));
	fps = fps_get(fcinfo, f);
	funnel_check_same_definition(fps->counts, f, "merge", "merged");
	if (!funnel_has_people(f))
		people_mismatch();
	fps_add(fps, f, false, 0);
	PG_RETURN_DATUM(fps_result(fcinfo, fps));
}
