/*
 * funnel_people_report.c
 *		The accessors that count distinct people in a funnel that carries
 *		them: people_reached (by step number or name), people_ids and
 *		funnel_people_steps.  funnel_steps, reached and entities keep
 *		counting entity-periods (a person's values each count there).
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "common/id_set.h"
#include "common/pg_compat.h"
#include "funcapi.h"
#include "funnel/funnel.h"
#include "funnel/funnel_people.h"
#include "funnel/funnel_report.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(funnel_people_reached);
PG_FUNCTION_INFO_V1(funnel_people_reached_by_label);
PG_FUNCTION_INFO_V1(funnel_people_ids);
PG_FUNCTION_INFO_V1(funnel_people_steps);

/* people_reached(funnel, step): distinct people who reached the step. */
Datum
funnel_people_reached(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	int32		step = PG_GETARG_INT32(1);

	funnel_require_people(f, "people_reached");
	funnel_check_step(f, step, "step");
	PG_RETURN_INT64(id_set_flat_card(funnel_people_set(f, step - 1)));
}

/* people_reached(funnel, label): distinct people who reached the step named label. */
Datum
funnel_people_reached_by_label(PG_FUNCTION_ARGS)
{
	Funnel	   *f = PG_GETARG_FUNNEL_P(0);
	int32		step;

	funnel_require_people(f, "people_reached");
	step = funnel_step_of_label(f, PG_GETARG_TEXT_PP(1), "label");
	PG_RETURN_INT64(id_set_flat_card(funnel_people_set(f, step - 1)));
}

/* What people_ids keeps between calls: the value and where it is in the set. */
typedef struct PeopleIdsState
{
	Funnel	   *f;
	IdSetIter	it;
	int64		next;			/* next id of the current run */
	int64		hi;				/* its last id */
	bool		in_run;
} PeopleIdsState;

/*
 * people_ids(funnel, step): the ids of the people who reached the step,
 * ascending, one row each.
 */
Datum
funnel_people_ids(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	PeopleIdsState *st;
	int64		id;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		int32		step = PG_GETARG_INT32(1);

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		st = palloc0(sizeof(PeopleIdsState));
		/* a copy that lives as long as the calls */
		st->f = (Funnel *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		funnel_require_people(st->f, "people_ids");
		funnel_check_step(st->f, step, "step");
		id_set_iter_init(&st->it, funnel_people_set(st->f, step - 1));
		funcctx->user_fctx = st;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	st = (PeopleIdsState *) funcctx->user_fctx;
	if (!st->in_run)
	{
		if (!id_set_iter_next(&st->it, &st->next, &st->hi))
			SRF_RETURN_DONE(funcctx);
		st->in_run = true;
	}
	id = st->next;
	if (id == st->hi)
		st->in_run = false;
	else
		st->next++;
	SRF_RETURN_NEXT(funcctx, Int64GetDatum(id));
}

/* a / b, NULL (returns false) when b is 0 */
static bool
ratio(int64 a, int64 b, float8 *out)
{
	if (b == 0)
		return false;
	*out = (float8) a / (float8) b;
	return true;
}

/* What funnel_people_steps keeps between calls. */
typedef struct PeopleStepsState
{
	Funnel	   *f;				/* for the labels */
	int64		people[FUNNEL_MAX_STEPS];
} PeopleStepsState;

/*
 * funnel_people_steps(funnel): one row per step with the distinct people
 * who reached it, the conversion from the previous and the first step,
 * and the people who reached it but not the next step: funnel_steps'
 * first columns, over people instead of entity-periods.
 */
Datum
funnel_people_steps(PG_FUNCTION_ARGS)
{
	FuncCallContext *funcctx;
	PeopleStepsState *st;
	Funnel	   *f;
	int64	   *people;
	int			k;
	Datum		values[6];
	bool		nulls[6];
	float8		r = 0;

	if (SRF_IS_FIRSTCALL())
	{
		MemoryContext old;
		TupleDesc	tupdesc;
		int			j;

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
			elog(ERROR, "funnel_people_steps must return a composite type");
		funcctx->tuple_desc = BlessTupleDesc(tupdesc);
		st = palloc(sizeof(PeopleStepsState));
		st->f = (Funnel *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
		funnel_require_people(st->f, "funnel_people_steps");
		for (j = 0; j < st->f->nsteps; j++)
			st->people[j] = id_set_flat_card(funnel_people_set(st->f, j));
		funcctx->user_fctx = st;
		funcctx->max_calls = st->f->nsteps;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	if (funcctx->call_cntr >= funcctx->max_calls)
		SRF_RETURN_DONE(funcctx);

	st = (PeopleStepsState *) funcctx->user_fctx;
	f = st->f;
	people = st->people;
	k = (int) funcctx->call_cntr;
	memset(nulls, 0, sizeof(nulls));
	values[0] = Int32GetDatum(k + 1);
	if (funnel_has_step_names(f))
		values[1] = CStringGetTextDatum(funnel_step_label(f, k));
	else
		nulls[1] = true;
	values[2] = Int64GetDatum(people[k]);
	nulls[3] = !ratio(people[k], k > 0 ? people[k - 1] : people[k], &r);
	values[3] = Float8GetDatum(r);
	nulls[4] = !ratio(people[k], people[0], &r);
	values[4] = Float8GetDatum(r);
	values[5] = Int64GetDatum(k + 1 < f->nsteps ? people[k] - people[k + 1] : 0);
	SRF_RETURN_NEXT(funcctx,
					HeapTupleGetDatum(heap_form_tuple(funcctx->tuple_desc, values, nulls)));
}
