/*
 * retention.c
 *		retention(VARIADIC conds boolean[]) → smallint[], as ClickHouse's
 *		retention: [c1, c1 and c2, ..., c1 and cN], where ck means "condition
 *		k was true on some row of the group".
 *
 * The state is a bigint: bits 0..31 say which conditions were ever true and
 * bits 32..39 hold the number of conditions.  Being a plain by-value type,
 * it needs no serialization for parallel plans, and combining two states is
 * a bitwise OR.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/condition_array.h"
#include "common/limits.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "utils/array.h"

PG_FUNCTION_INFO_V1(retention_transition);
PG_FUNCTION_INFO_V1(retention_combine);
PG_FUNCTION_INFO_V1(retention_final);

static inline int64
retention_state(int32 n, uint32 seen)
{
	return ((int64) n << 32) | (int64) seen;
}

static inline int32
retention_count(int64 state)
{
	return (int32) (state >> 32);
}

static inline uint32
retention_seen(int64 state)
{
	return (uint32) (state & PG_UINT32_MAX);
}

/*
 * Refuse a state that retention_transition cannot have made: 1 to
 * RETENTION_MAX_CONDITIONS conditions, and no condition seen beyond them.
 * The support functions are callable from SQL with any bigint, so this is
 * a user error (22023), not an internal one.
 */
static void
retention_check_state(int64 state)
{
	int32		n = retention_count(state);

	if (n < 1 || n > RETENTION_MAX_CONDITIONS ||
		(state >> 32) != (int64) n ||
		(n < 32 && (retention_seen(state) >> n) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid retention state: " INT64_FORMAT, state),
				 errhint("A retention state is what retention_transition returns; call the retention aggregate rather than its support functions.")));
}

/* Complain unless two states (or a state and a row) have as many conditions. */
static void
retention_check_count(int32 a, int32 b)
{
	if (a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("retention condition count differs between rows of one group: %d and %d",
						a, b),
				 errhint("Pass the same number of conditions on every row.")));
}

/* Transition: remember which conditions were true on this row (NULL is false). */
Datum
retention_transition(PG_FUNCTION_ARGS)
{
	ArrayType  *arr;
	int32		n = condition_array(fcinfo, 1, "retention", 1, &arr);
	uint32		seen = 0;

	if (!PG_ARGISNULL(0))
	{
		int64		state = PG_GETARG_INT64(0);

		retention_check_state(state);
		retention_check_count(retention_count(state), n);
		seen = retention_seen(state);
	}
	seen |= condition_mask(arr, n);
	PG_RETURN_INT64(retention_state(n, seen));
}

/* Combine two partial states: the conditions seen by either. */
Datum
retention_combine(PG_FUNCTION_ARGS)
{
	int64		a,
				b;

	if (PG_ARGISNULL(0))
	{
		if (PG_ARGISNULL(1))
			PG_RETURN_NULL();
		PG_RETURN_INT64(PG_GETARG_INT64(1));
	}
	if (PG_ARGISNULL(1))
		PG_RETURN_INT64(PG_GETARG_INT64(0));
	a = PG_GETARG_INT64(0);
	b = PG_GETARG_INT64(1);
	retention_check_state(a);
	retention_check_state(b);
	retention_check_count(retention_count(a), retention_count(b));
	PG_RETURN_INT64(a | b);
}

/* Final: [c1, c1 and c2, ..., c1 and cN] as 0/1 smallints. */
Datum
retention_final(PG_FUNCTION_ARGS)
{
	int64		state;
	int32		n;
	uint32		seen;
	Datum		elems[RETENTION_MAX_CONDITIONS];
	int32		k;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	state = PG_GETARG_INT64(0);
	retention_check_state(state);
	n = retention_count(state);
	seen = retention_seen(state);
	for (k = 0; k < n; k++)
		elems[k] = Int16GetDatum((seen & 1) && (seen & ((uint32) 1 << k)) ? 1 : 0);
	PG_RETURN_ARRAYTYPE_P(construct_array(elems, n, INT2OID, sizeof(int16), true, TYPALIGN_SHORT));
}
