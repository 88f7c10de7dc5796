/*
 * json_input.h
 *		Reading the JSON text forms of this extension's types (funnel,
 *		attribution, lift): one input at a time, every problem reported as
 *		"invalid input syntax for type T" with a detail and the type's hint.
 */
#ifndef CONVERSIONS_JSON_INPUT_H
#define CONVERSIONS_JSON_INPUT_H

#include "postgres.h"

#include "common/pg_compat.h"
#include "fmgr.h"
#include "utils/jsonb.h"

extern JsonbContainer *json_input_begin(const char *type, const char *article,
										const char *hint, int version, const char *str);
extern JsonbContainer *json_input_begin_versions(const char *type, const char *article,
												 const char *hint, int min_version,
												 int max_version, const char *str,
												 int *version);
pg_noreturn extern void json_input_error(const char *detail);
extern Datum json_input_call(PGFunction fn, const char *str);
extern JsonbValue *json_get_key(JsonbContainer *obj, const char *key);
extern JsonbValue *json_find_key(JsonbContainer *obj, const char *key);
extern JsonbContainer *json_get_container(JsonbValue *v, bool array, const char *what);
extern char *json_number_text(JsonbValue *v, const char *what);
extern int64 json_get_int(JsonbValue *v, const char *what, int64 min, int64 max);
extern uint64 json_get_uint(JsonbValue *v, const char *what);
extern void json_get_uint128(JsonbValue *v, const char *what, uint64 *lo, uint64 *hi);
extern char *json_get_string(JsonbValue *v, const char *what, int max_len);
extern JsonbValue *json_get_elem(JsonbContainer *arr, int i);
extern JsonbContainer *json_get_array(JsonbContainer *obj, const char *key, int n);
extern void json_check_nkeys(JsonbContainer *obj, int nkeys);

#endif							/* CONVERSIONS_JSON_INPUT_H */
