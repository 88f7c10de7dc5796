/*
 * error_trap.c
 *		Turning the data errors of a called function into messages.
 */
#include "postgres.h"

#include "common/error_trap.h"
#include "common/pg_compat.h"

/*
 * Run fn(arg); a data error it raises (bad syntax, out of range) returns
 * false with its message in *message, so that the caller reports it in its
 * own terms.  Other errors, such as a cancel, pass through.
 */
bool
error_trap_call(void (*fn) (void *arg), void *arg, char **message)
{
	MemoryContext cxt = CurrentMemoryContext;
	volatile bool ok = true;

	PG_TRY();
	{
		fn(arg);
	}
	PG_CATCH();
	{
		ErrorData  *e;

		MemoryContextSwitchTo(cxt);
		e = CopyErrorData();
		if (ERRCODE_TO_CATEGORY(e->sqlerrcode) != ERRCODE_DATA_EXCEPTION)
			PG_RE_THROW();
		FlushErrorState();
		*message = e->detail ? psprintf("%s: %s", e->message, e->detail) : e->message;
		ok = false;
	}
	PG_END_TRY();
	return ok;
}

typedef struct InputCall
{
	PGFunction	fn;
	const char *str;
	Datum		result;
} InputCall;

/* Call the input function of an InputCall. */
static void
input_call(void *arg)
{
	InputCall  *c = (InputCall *) arg;

	c->result = DirectFunctionCall3(c->fn, CStringGetDatum(c->str),
									ObjectIdGetDatum(InvalidOid), Int32GetDatum(-1));
}

/* A type's input function on str, under error_trap_call. */
bool
error_trap_input(PGFunction fn, const char *str, Datum *result, char **message)
{
	InputCall	c;

	c.fn = fn;
	c.str = str;
	c.result = (Datum) 0;
	if (!error_trap_call(input_call, &c, message))
		return false;
	*result = c.result;
	return true;
}
