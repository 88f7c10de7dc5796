/*
 * funnel_people.h
 *		Funnels that carry who reached each step: the people section of a
 *		general `funnel` (FUNNEL_FLAG_PEOPLE), rollup(f, person) and the
 *		rollup(f) of such values, and the accessors that count distinct
 *		people.
 *
 * The people section follows the bucket counts: for each step k, the flat
 * set (common/id_set.h) of the persons whose values reached step k, each
 * 8-byte aligned.  Step k+1's set lies within step k's; a person whose
 * value reached no step is in no set.  The counts before it keep counting
 * entity-periods (a person given on 12 days counts 12 times there, once
 * in the sets).
 *
 * Inside an aggregate, the state of rollup(f, person) and of rollup(f)
 * over such values is an expanded object (funnel_people.c): the counts as
 * a general funnel merged in place, and one mutable IdSet per step.  It
 * flattens into the canonical value wherever a funnel is needed.
 */
#ifndef CONVERSIONS_FUNNEL_PEOPLE_H
#define CONVERSIONS_FUNNEL_PEOPLE_H

#include "postgres.h"

#include "common/id_set.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "funnel/funnel.h"
#include "lib/stringinfo.h"
#include "utils/jsonb.h"

/* How to build a funnel that carries people, for the hints. */
#define FUNNEL_PEOPLE_BUILD_HINT \
	"Build it with rollup(f, person) over funnel_agg's one-entity values, such as rollup(f, user_id) per day, and merge those with rollup(f)."

/* funnel_people.c */
extern const char *funnel_people_set(const Funnel *f, int k);
extern void funnel_require_people(const Funnel *f, const char *name);
extern void funnel_people_init_sets(IdSet *sets, int nsteps, MemoryContext mcxt);
extern void funnel_people_bound_set(IdSet *sets, int nsteps, int k, Size fixed);
extern Funnel *funnel_people_attach(const Funnel *counts, const IdSet *sets);
extern bool funnel_people_is_state(Datum d);
extern Datum funnel_people_rollup(FunctionCallInfo fcinfo, const Funnel *f);

/* funnel_people_io.c */
extern void funnel_people_append_json(StringInfo out, const Funnel *f);
extern Funnel *funnel_people_from_json(JsonbValue *v, const Funnel *counts);
extern void funnel_people_send(StringInfo buf, const Funnel *f);
extern Funnel *funnel_people_recv(StringInfo buf, const Funnel *counts);

#endif							/* CONVERSIONS_FUNNEL_PEOPLE_H */
