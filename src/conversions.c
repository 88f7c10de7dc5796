/*
 * conversions.c
 *		Module entry point of the conversions extension.
 *
 * Each SQL-visible concept lives in its own file; this one carries the
 * module magic block that the server checks when it loads the library, and
 * registers the settings.
 */
#include "postgres.h"

#include "fmgr.h"
#include "group_limits.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

/* Module load: register the extension's settings. */
void
_PG_init(void)
{
	group_limits_define();
}
