/*
 * funnel_people_io.c
 *		The people section of a funnel in text and binary form: per step,
 *		the persons as runs of consecutive ids.
 *
 *   text:    "people": [[[1, 3], [7, 7]], [[2, 2]]]  one array per step of
 *            [lo, hi] runs, ascending, neither overlapping nor adjacent
 *   binary:  per step, int64 number of runs, then int64 lo, hi per run
 *
 * Both readers refuse runs out of order, overlapping or adjacent (so that
 * one set has one form) and more persons than the step's count, before
 * building a set; funnel_check then checks the whole value.
 */
#include "postgres.h"

#include "common/binary_input.h"
#include "common/id_set.h"
#include "common/json_input.h"
#include "common/pg_compat.h"
#include "funnel/funnel.h"
#include "funnel/funnel_people.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/memutils.h"

/* Append the "people" key: each step's runs. */
void
funnel_people_append_json(StringInfo out, const Funnel *f)
{
	const char *p = (const char *) f + funnel_general_counts_size(f);
	int			k;

	appendStringInfoString(out, ", \"people\": [");
	for (k = 0; k < f->nsteps; k++)
	{
		IdSetIter	it;
		int64		lo,
					hi;
		bool		first = true;

		appendStringInfoString(out, k > 0 ? ", [" : "[");
		id_set_iter_init(&it, p);
		while (id_set_iter_next(&it, &lo, &hi))
		{
			appendStringInfo(out, "%s[" INT64_FORMAT ", " INT64_FORMAT "]",
							 first ? "" : ", ", lo, hi);
			first = false;
			CHECK_FOR_INTERRUPTS();
		}
		appendStringInfoChar(out, ']');
		p += id_set_flat_bytes(p);
	}
	appendStringInfoChar(out, ']');
}

/*
 * What is wrong with run [lo, hi] of step k (0-based) after the runs before
 * it (the last ending at prev_hi, none when first) that held *total ids,
 * or NULL; adds the run's ids to *total.  A step holds at most `most`
 * persons (its count of entities).
 */
static char *
run_problem(int k, int64 lo, int64 hi, bool first, int64 prev_hi,
			uint64 *total, int64 most)
{
	uint64		n;

	if (lo > hi)
		return psprintf("step %d has a run of people [" INT64_FORMAT ", " INT64_FORMAT "] that ends before it starts",
						k + 1, lo, hi);
	if (!first && (prev_hi == PG_INT64_MAX || lo <= prev_hi + 1))
		return psprintf("step %d's runs of people must be ascending, neither overlapping nor adjacent: [" INT64_FORMAT ", ...] after one ending at " INT64_FORMAT,
						k + 1, lo, prev_hi);
	n = (uint64) hi - (uint64) lo;	/* ids - 1, at most 2^64 - 1 */
	if (most < 0 || n >= (uint64) most || *total > (uint64) most - n - 1)
		return psprintf("step %d has more people than the %lld entities that reached it",
						k + 1, (long long) Max(most, 0));
	*total += n + 1;
	return NULL;
}

/* The most persons step k may hold: its count, and step 1's no more than the entities. */
static int64
step_most(const Funnel *counts, int k)
{
	int64		most = funnel_reached(counts)[k];

	if (k == 0)
		most = Min(most, *funnel_entities_ptr(counts));
	return most;
}

/*
 * The value of general funnel `counts` with the people of the text form's
 * "people" array v.
 */
Funnel *
funnel_people_from_json(JsonbValue *v, const Funnel *counts)
{
	IdSet		sets[FUNNEL_MAX_STEPS];
	JsonbContainer *steps = json_get_container(v, true, "\"people\"");
	int			k;

	if ((int) JsonContainerSize(steps) != counts->nsteps)
		json_input_error(psprintf("\"people\" must have %d elements (one per step), got %d",
								  counts->nsteps, (int) JsonContainerSize(steps)));
	funnel_people_init_sets(sets, counts->nsteps, CurrentMemoryContext);
	for (k = 0; k < counts->nsteps; k++)
	{
		JsonbContainer *runs = json_get_container(json_get_elem(steps, k), true,
												  "each step of \"people\"");
		int			nruns = (int) JsonContainerSize(runs);
		uint64		total = 0;
		int64		prev_hi = 0;
		int			r;

		funnel_people_bound_set(sets, counts->nsteps, k, funnel_general_counts_size(counts));
		for (r = 0; r < nruns; r++)
		{
			JsonbContainer *run = json_get_container(json_get_elem(runs, r), true,
													 "a run of people");
			int64		lo,
						hi;
			char	   *problem;

			if (JsonContainerSize(run) != 2)
				json_input_error("a run of people must be an array [lo, hi] of two ids");
			lo = json_get_int(json_get_elem(run, 0), "a person id", PG_INT64_MIN, PG_INT64_MAX);
			hi = json_get_int(json_get_elem(run, 1), "a person id", PG_INT64_MIN, PG_INT64_MAX);
			problem = run_problem(k, lo, hi, r == 0, prev_hi, &total, step_most(counts, k));
			if (problem != NULL)
				json_input_error(problem);
			id_set_add_range(&sets[k], lo, hi);
			prev_hi = hi;
		}
	}
	return funnel_people_attach(counts, sets);
}

/* Send each step's runs (after the bucket counts). */
void
funnel_people_send(StringInfo buf, const Funnel *f)
{
	const char *p = (const char *) f + funnel_general_counts_size(f);
	int			k;

	for (k = 0; k < f->nsteps; k++)
	{
		IdSetIter	it;
		int64		lo,
					hi;
		int64		nruns = 0;
		StringInfoData runs;

		initStringInfo(&runs);
		id_set_iter_init(&it, p);
		while (id_set_iter_next(&it, &lo, &hi))
		{
			pq_sendint64(&runs, lo);
			pq_sendint64(&runs, hi);
			nruns++;
			CHECK_FOR_INTERRUPTS();
		}
		pq_sendint64(buf, nruns);
		pq_sendbytes(buf, runs.data, runs.len);
		pfree(runs.data);
		p += id_set_flat_bytes(p);
	}
}

/*
 * The value of general funnel `counts` with the people that follow in
 * funnel_send's format, checking each count before reading what it
 * announces.
 */
Funnel *
funnel_people_recv(StringInfo buf, const Funnel *counts)
{
	IdSet		sets[FUNNEL_MAX_STEPS];
	int			k;

	funnel_people_init_sets(sets, counts->nsteps, CurrentMemoryContext);
	for (k = 0; k < counts->nsteps; k++)
	{
		int64		nruns;
		uint64		total = 0;
		int64		prev_hi = 0;
		int64		r;

		funnel_people_bound_set(sets, counts->nsteps, k, funnel_general_counts_size(counts));
		binary_input_need(buf, 8, "funnel");
		nruns = pq_getmsgint64(buf);
		if (nruns < 0 || nruns > (buf->len - buf->cursor) / 16)
			binary_input_error("funnel", "truncated runs of people");
		for (r = 0; r < nruns; r++)
		{
			int64		lo = pq_getmsgint64(buf);
			int64		hi = pq_getmsgint64(buf);
			char	   *problem = run_problem(k, lo, hi, r == 0, prev_hi, &total,
											  step_most(counts, k));

			if (problem != NULL)
				binary_input_error("funnel", problem);
			id_set_add_range(&sets[k], lo, hi);
			prev_hi = hi;
		}
	}
	return funnel_people_attach(counts, sets);
}
