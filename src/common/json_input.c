/*
 * json_input.c
 *		Shared reading of the JSON text forms of this extension's types.
 *
 * Input functions are not re-entrant within one type's parse, so the text
 * being parsed and its type's name and hint are kept for the error helper
 * from json_input_begin to the end of the input function.
 */
#include "postgres.h"

#include "common/error_trap.h"
#include "common/json_input.h"
#include "common/pg_compat.h"
#include "common/uint128_sum.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/numeric.h"

static const char *input_type;
static const char *input_hint;
static const char *input_text;

/*
 * Start reading str as the text form of `type`, whose "version" key must be
 * `version`; returns its top-level object.  `article` is "a" or "an", for
 * the detail that the text is not an object.
 */
JsonbContainer *
json_input_begin(const char *type, const char *article, const char *hint, int version,
				 const char *str)
{
	return json_input_begin_versions(type, article, hint, version, version, str, NULL);
}

/*
 * json_input_begin for a type that reads several format versions: the
 * "version" key must be within [min_version, max_version]; *version (if
 * not NULL) receives it.
 */
JsonbContainer *
json_input_begin_versions(const char *type, const char *article, const char *hint,
						  int min_version, int max_version, const char *str, int *version)
{
	Jsonb	   *jb;
	JsonbValue *v;
	int64		found;

	input_type = type;
	input_hint = hint;
	input_text = str;
	jb = DatumGetJsonbP(json_input_call(jsonb_in, str));
	if (!JsonContainerIsObject(&jb->root))
		json_input_error(psprintf("%s %s is a JSON object", article, type));
	v = json_get_key(&jb->root, "version");
	found = json_get_int(v, "\"version\"", 0, 255);
	if (found < min_version || found > max_version)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("unsupported %s format version %s", type, json_number_text(v, "\"version\"")),
				 min_version == max_version ?
				 errhint("This version of the conversions extension reads %s format version %d.",
						 type, min_version) :
				 errhint("This version of the conversions extension reads %s format versions %d %s %d.",
						 type, min_version, max_version == min_version + 1 ? "and" : "to",
						 max_version)));
	if (version != NULL)
		*version = (int) found;
	return &jb->root;
}

/* The syntax error of the current input, with `detail`. */
void
json_input_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%.100s%s\"",
					input_type, input_text, strlen(input_text) > 100 ? "..." : ""),
			 errdetail("%s", detail),
			 errhint("%s", input_hint)));
}

/*
 * Call a core input function; a data error it raises becomes a syntax
 * error of the current input (other errors, such as a cancel, pass through).
 */
Datum
json_input_call(PGFunction fn, const char *str)
{
	Datum		result = (Datum) 0;
	char	   *message;

	if (!error_trap_input(fn, str, &result, &message))
		json_input_error(message);
	return result;
}

/* The value of key `key` of an object, or NULL when missing. */
JsonbValue *
json_find_key(JsonbContainer *obj, const char *key)
{
	return getKeyJsonValueFromContainer(obj, key, strlen(key), NULL);
}

/* The value of key `key` of an object; error when missing. */
JsonbValue *
json_get_key(JsonbContainer *obj, const char *key)
{
	JsonbValue *v = json_find_key(obj, key);

	if (v == NULL)
		json_input_error(psprintf("key \"%s\" is missing", key));
	return v;
}

/* A container value (object or array) of the expected kind. */
JsonbContainer *
json_get_container(JsonbValue *v, bool array, const char *what)
{
	if (v->type != jbvBinary ||
		(array ? !JsonContainerIsArray(v->val.binary.data) :
		 !JsonContainerIsObject(v->val.binary.data)))
		json_input_error(psprintf("%s must be a JSON %s", what, array ? "array" : "object"));
	return v->val.binary.data;
}

/* The decimal digits of an integral JSON number (with a leading '-' if negative). */
char *
json_number_text(JsonbValue *v, const char *what)
{
	char	   *s;
	char	   *p;

	if (v->type != jbvNumeric)
		json_input_error(psprintf("%s must be a number", what));
	s = DatumGetCString(DirectFunctionCall1(numeric_out, NumericGetDatum(v->val.numeric)));
	for (p = s + (*s == '-'); *p; p++)
		if (*p < '0' || *p > '9')
			json_input_error(psprintf("%s must be a whole number, got %s", what, s));
	return s;
}

/* An int64 JSON number within [min, max]. */
int64
json_get_int(JsonbValue *v, const char *what, int64 min, int64 max)
{
	char	   *s = json_number_text(v, what);
	char	   *end;
	long long	x;

	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || x < min || x > max)
		json_input_error(psprintf("%s is out of range: %s", what, s));
	return (int64) x;
}

/* A non-negative JSON number below 2^128, as two 64-bit halves. */
void
json_get_uint128(JsonbValue *v, const char *what, uint64 *lo, uint64 *hi)
{
	char	   *s = json_number_text(v, what);

	if (*s == '-' || !uint128_sum_from_string(s, lo, hi))
		json_input_error(psprintf("%s is out of range: %s", what, s));
}

/* A uint64 JSON number. */
uint64
json_get_uint(JsonbValue *v, const char *what)
{
	uint64		lo,
				hi;

	json_get_uint128(v, what, &lo, &hi);
	if (hi != 0)
		json_input_error(psprintf("%s is out of range: %s", what, json_number_text(v, what)));
	return lo;
}

/* A JSON string of at most max_len bytes without NUL, as a C string. */
char *
json_get_string(JsonbValue *v, const char *what, int max_len)
{
	if (v->type != jbvString)
		json_input_error(psprintf("%s must be a string", what));
	if (v->val.string.len > max_len ||
		memchr(v->val.string.val, '\0', v->val.string.len) != NULL)
		json_input_error(psprintf("%s is longer than %d bytes", what, max_len));
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/* Element i of an array. */
JsonbValue *
json_get_elem(JsonbContainer *arr, int i)
{
	return getIthJsonbValueFromContainer(arr, i);
}

/* The array under `key`, of exactly n elements (any length when n < 0). */
JsonbContainer *
json_get_array(JsonbContainer *obj, const char *key, int n)
{
	JsonbContainer *arr = json_get_container(json_get_key(obj, key), true, key);

	if (n >= 0 && (int) JsonContainerSize(arr) != n)
		json_input_error(psprintf("\"%s\" must have %d elements, got %d",
								  key, n, (int) JsonContainerSize(arr)));
	return arr;
}

/* Error unless the object has exactly the nkeys keys read from it. */
void
json_check_nkeys(JsonbContainer *obj, int nkeys)
{
	if ((int) JsonContainerSize(obj) != nkeys)
		json_input_error(psprintf("unexpected keys in the %s object", input_type));
}
