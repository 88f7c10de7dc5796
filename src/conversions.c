/*
 * conversions.c
 *		Module entry point of the conversions extension.
 *
 * Each SQL-visible concept lives in its own file; this one only carries the
 * module magic block that the server checks when it loads the library.
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
