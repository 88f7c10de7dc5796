/*
 * path_options.c
 *		Reading path_agg's options string and writing it back canonically.
 *
 * Items are separated by commas, spaces around items and values are
 * ignored, and a value (a name) may be double-quoted to hold a comma, |,
 * = or spaces ("" inside quotes is one quote).  Every mistake is 22023 with
 * a hint that lists what is allowed.  The canonical form lists the options
 * in one fixed order with their defaults spelled out where they matter:
 * steps=N,direction=D[,anchor=A][,collapse_repeats][,max_gap=G]
 * [,events=A|B][,conversion=C][,only=O].
 */
#include "postgres.h"

#include "common/error_trap.h"
#include "common/interval_usecs.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "paths/path_options.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"

/* Error for a bad options string: 22023 with the list of options. */
pg_noreturn static void
options_error(const char *message)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid path_agg options: %s", message),
			 errhint(PATHS_OPTIONS_HINT)));
}

/* Name order: bytes, then length (a prefix first). */
int
path_name_cmp(const char *a, int32 alen, const char *b, int32 blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c < 0 ? -1 : 1;
	return (alen > blen) - (alen < blen);
}

/* The reader's position in the options string. */
typedef struct OptionReader
{
	const char *p;
	const char *end;
} OptionReader;

static void
skip_spaces(OptionReader *r)
{
	while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
		r->p++;
}

/*
 * Read one name (quoted or not) ending before any of `stops` or the end;
 * what `key` it belongs to is for messages.
 */
static PathName
read_name(OptionReader *r, const char *stops, const char *key)
{
	StringInfoData buf;
	PathName	name;

	initStringInfo(&buf);
	skip_spaces(r);
	if (r->p < r->end && *r->p == '"')
	{
		r->p++;
		for (;;)
		{
			if (r->p >= r->end)
				options_error(psprintf("unterminated quoted name in %s=", key));
			if (*r->p == '"')
			{
				if (r->p + 1 < r->end && r->p[1] == '"')
				{
					appendStringInfoChar(&buf, '"');
					r->p += 2;
					continue;
				}
				r->p++;
				break;
			}
			appendStringInfoChar(&buf, *r->p++);
		}
		skip_spaces(r);
		if (r->p < r->end && strchr(stops, *r->p) == NULL)
			options_error(psprintf("unexpected text after the quoted name in %s=", key));
	}
	else
	{
		const char *start = r->p;
		const char *last;

		while (r->p < r->end && strchr(stops, *r->p) == NULL)
		{
			if (*r->p == '"' || *r->p == '=')
				options_error(psprintf("%s= has a name with a quote or = that is not double-quoted",
									   key));
			r->p++;
		}
		last = r->p;
		while (last > start && (last[-1] == ' ' || last[-1] == '\t' || last[-1] == '\n' ||
								last[-1] == '\r'))
			last--;
		if (last == start)
			options_error(psprintf("%s= needs a name", key));
		appendBinaryStringInfo(&buf, start, last - start);
	}
	if (buf.len > PATHS_MAX_NAME)
		options_error(psprintf("a name in %s= is longer than %d bytes", key, PATHS_MAX_NAME));
	if (!pg_verify_mbstr(GetDatabaseEncoding(), buf.data, buf.len, true))
		options_error(psprintf("a name in %s= is not valid text in the database encoding", key));
	name.data = buf.data;
	name.len = buf.len;
	return name;
}

/* The value of key=value up to the next comma (unquoted), trimmed. */
static char *
read_word(OptionReader *r, const char *key)
{
	const char *start;
	const char *last;

	skip_spaces(r);
	start = r->p;
	while (r->p < r->end && *r->p != ',')
		r->p++;
	last = r->p;
	while (last > start && (last[-1] == ' ' || last[-1] == '\t' || last[-1] == '\n' ||
							last[-1] == '\r'))
		last--;
	if (last == start)
		options_error(psprintf("%s= needs a value", key));
	return pnstrdup(start, last - start);
}

/* Whether s is a whole number: optional sign, then digits only. */
static bool
all_digits(const char *s)
{
	if (*s == '-' || *s == '+')
		s++;
	if (*s == '\0')
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* steps=N: 1 .. PATHS_MAX_STEPS. */
static int32
read_steps(const char *v)
{
	long		n;
	char	   *end;

	if (!all_digits(v))
		options_error(psprintf("steps must be a whole number, got \"%s\"", v));
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || n < 1 || n > PATHS_MAX_STEPS)
		options_error(psprintf("steps must be from 1 to %d, got %s", PATHS_MAX_STEPS, v));
	return (int32) n;
}

/* max_gap=D as the column's type wants it; positive. */
static void
read_max_gap(const char *v, PathTimeKind kind, PathOptions *opts)
{
	bool		integer = all_digits(v);

	if (kind == PATH_TIME_INTEGER && !integer)
		options_error(psprintf("max_gap must be an integer for a bigint ts column, got \"%s\"", v));
	if (kind == PATH_TIME_TIMESTAMP && integer)
		options_error(psprintf("max_gap must be an interval such as max_gap=30 minutes for a timestamp ts column, got the integer %s",
							   v));
	if (integer)
	{
		long long	n;
		char	   *end;

		errno = 0;
		n = strtoll(v, &end, 10);
		if (errno != 0)
			options_error(psprintf("max_gap is out of range: %s", v));
		if (n <= 0)
			options_error(psprintf("max_gap must be positive, got %s", v));
		opts->max_gap = (int64) n;
		opts->gap_integer = true;
	}
	else
	{
		Datum		d;
		char	   *message;
		int64		us;

		if (!error_trap_input(interval_in, v, &d, &message))
			options_error(psprintf("max_gap is not an interval: \"%s\"", v));
		if (!interval_usecs(DatumGetIntervalP(d), &us) || us <= 0)
			options_error(psprintf("max_gap must be positive, got \"%s\"", v));
		opts->max_gap = us;
		opts->gap_integer = false;
	}
	opts->has_gap = true;
}

/* Name order for qsort. */
static int
name_qsort_cmp(const void *a, const void *b)
{
	const PathName *x = (const PathName *) a;
	const PathName *y = (const PathName *) b;

	return path_name_cmp(x->data, x->len, y->data, y->len);
}

/* events=A|B|C: sorted, duplicates dropped. */
static void
read_events(OptionReader *r, PathOptions *opts)
{
	int32		cap = 8;
	int32		n = 0,
				i,
				k;

	opts->events = palloc(sizeof(PathName) * cap);
	for (;;)
	{
		if (n == cap)
		{
			cap *= 2;
			opts->events = repalloc(opts->events, sizeof(PathName) * cap);
		}
		opts->events[n++] = read_name(r, ",|", "events");
		if (r->p < r->end && *r->p == '|')
		{
			r->p++;
			continue;
		}
		break;
	}
	qsort(opts->events, n, sizeof(PathName), name_qsort_cmp);
	for (i = 0, k = 0; i < n; i++)
		if (k == 0 || name_qsort_cmp(&opts->events[k - 1], &opts->events[i]) != 0)
			opts->events[k++] = opts->events[i];
	opts->nevents = k;
}

/* Whether the events= list holds `name` (true without events=). */
bool
path_options_has_event(const PathOptions *opts, const char *name, int32 len)
{
	int32		lo = 0,
				hi = opts->nevents - 1;

	if (opts->nevents == 0)
		return true;
	while (lo <= hi)
	{
		int32		mid = lo + (hi - lo) / 2;
		int			c = path_name_cmp(opts->events[mid].data, opts->events[mid].len, name, len);

		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/* The options' keys, to refuse repeats. */
enum
{
	KEY_STEPS, KEY_DIRECTION, KEY_ANCHOR, KEY_COLLAPSE, KEY_GAP, KEY_EVENTS,
	KEY_CONVERSION, KEY_ONLY, KEY_COUNT
};

static const char *const key_names[KEY_COUNT] = {
	"steps", "direction", "anchor", "collapse_repeats", "max_gap", "events",
	"conversion", "only"
};

/*
 * Parse an options string (len bytes) into opts, with max_gap= read as
 * `kind` says; every error is 22023.
 */
void
path_options_parse(const char *str, int32 len, PathTimeKind kind, PathOptions *opts)
{
	OptionReader r;
	bool		seen[KEY_COUNT] = {false};

	memset(opts, 0, sizeof(PathOptions));
	opts->steps = PATHS_DEFAULT_STEPS;
	if (len > PATHS_MAX_OPTIONS)
		options_error(psprintf("the options string is longer than %d bytes", PATHS_MAX_OPTIONS));
	if (memchr(str, '\0', len) != NULL)
		options_error("the options string holds a NUL byte");
	r.p = str;
	r.end = str + len;
	skip_spaces(&r);
	if (r.p == r.end)
		return;
	for (;;)
	{
		const char *kstart;
		char	   *key;
		int			k;

		skip_spaces(&r);
		kstart = r.p;
		while (r.p < r.end && *r.p != '=' && *r.p != ',' && *r.p != ' ' && *r.p != '\t')
			r.p++;
		key = pnstrdup(kstart, r.p - kstart);
		skip_spaces(&r);
		if (*key == '\0')
			options_error("empty option (two commas in a row, or a comma at an end)");
		for (k = 0; k < KEY_COUNT; k++)
			if (strcmp(key, key_names[k]) == 0)
				break;
		if (k == KEY_COUNT)
			options_error(psprintf("unknown option \"%s\"", key));
		if (seen[k])
			options_error(psprintf("option %s is given twice", key));
		seen[k] = true;
		if (k == KEY_COLLAPSE)
		{
			if (r.p < r.end && *r.p != ',')
				options_error("collapse_repeats takes no value");
			opts->collapse = true;
		}
		else
		{
			char	   *v;

			if (r.p >= r.end || *r.p != '=')
				options_error(psprintf("option %s needs a value: %s=...", key, key));
			r.p++;
			switch (k)
			{
				case KEY_STEPS:
					opts->steps = read_steps(read_word(&r, key));
					break;
				case KEY_DIRECTION:
					v = read_word(&r, key);
					if (strcmp(v, "forward") == 0)
						opts->backward = false;
					else if (strcmp(v, "backward") == 0)
						opts->backward = true;
					else
						options_error(psprintf("direction must be forward or backward, got \"%s\"", v));
					break;
				case KEY_ANCHOR:
					opts->anchor = read_name(&r, ",|", key);
					opts->has_anchor = true;
					break;
				case KEY_CONVERSION:
					opts->conversion = read_name(&r, ",|", key);
					opts->has_conversion = true;
					break;
				case KEY_GAP:
					read_max_gap(read_word(&r, key), kind, opts);
					break;
				case KEY_EVENTS:
					read_events(&r, opts);
					break;
				case KEY_ONLY:
					v = read_word(&r, key);
					if (strcmp(v, "converted") == 0)
						opts->only = PATHS_ONLY_CONVERTED;
					else if (strcmp(v, "unconverted") == 0)
						opts->only = PATHS_ONLY_UNCONVERTED;
					else
						options_error(psprintf("only must be converted or unconverted, got \"%s\"", v));
					break;
			}
			if (r.p < r.end && *r.p == '|')
				options_error(psprintf("%s= takes one name; only events= takes a list", key));
		}
		if (r.p >= r.end)
			break;
		Assert(*r.p == ',');
		r.p++;
	}
	if (opts->only != PATHS_ONLY_ALL && !opts->has_conversion)
		options_error("only= needs conversion=NAME");
	if (opts->has_anchor && !path_options_has_event(opts, opts->anchor.data, opts->anchor.len))
		options_error("the anchor= event is not among events=");
	if (opts->has_conversion &&
		!path_options_has_event(opts, opts->conversion.data, opts->conversion.len))
		options_error("the conversion= event is not among events=");
	if (strlen(path_options_to_string(opts)) > PATHS_MAX_OPTIONS)
		options_error(psprintf("the canonical options string is longer than %d bytes",
							   PATHS_MAX_OPTIONS));
}

/* Append a name, double-quoted when it would not read back bare. */
static void
append_name(StringInfo out, const PathName *n)
{
	bool		quote = n->len == 0;
	int32		i;

	for (i = 0; i < n->len && !quote; i++)
		if (strchr(",|=\" \t\n\r", n->data[i]) != NULL)
			quote = true;
	if (!quote)
	{
		appendBinaryStringInfo(out, n->data, n->len);
		return;
	}
	appendStringInfoChar(out, '"');
	for (i = 0; i < n->len; i++)
	{
		if (n->data[i] == '"')
			appendStringInfoChar(out, '"');
		appendStringInfoChar(out, n->data[i]);
	}
	appendStringInfoChar(out, '"');
}

/* The canonical options string (see the file's comment). */
char *
path_options_to_string(const PathOptions *opts)
{
	StringInfoData out;
	int32		i;

	initStringInfo(&out);
	appendStringInfo(&out, "steps=%d,direction=%s", opts->steps,
					 opts->backward ? "backward" : "forward");
	if (opts->has_anchor)
	{
		appendStringInfoString(&out, ",anchor=");
		append_name(&out, &opts->anchor);
	}
	if (opts->collapse)
		appendStringInfoString(&out, ",collapse_repeats");
	if (opts->has_gap)
	{
		appendStringInfoString(&out, ",max_gap=");
		if (opts->gap_integer)
			appendStringInfo(&out, INT64_FORMAT, opts->max_gap);
		else
			interval_usecs_format(&out, opts->max_gap);
	}
	if (opts->nevents > 0)
	{
		appendStringInfoString(&out, ",events=");
		for (i = 0; i < opts->nevents; i++)
		{
			if (i > 0)
				appendStringInfoChar(&out, '|');
			append_name(&out, &opts->events[i]);
		}
	}
	if (opts->has_conversion)
	{
		appendStringInfoString(&out, ",conversion=");
		append_name(&out, &opts->conversion);
	}
	if (opts->only != PATHS_ONLY_ALL)
		appendStringInfo(&out, ",only=%s",
						 opts->only == PATHS_ONLY_CONVERTED ? "converted" : "unconverted");
	return out.data;
}

/* Arguments of parse_trapped. */
typedef struct CanonicalParse
{
	const char *str;
	PathOptions *opts;
} CanonicalParse;

static void
parse_trapped(void *arg)
{
	CanonicalParse *c = (CanonicalParse *) arg;

	path_options_parse(c->str, (int32) strlen(c->str), PATH_TIME_CANONICAL, c->opts);
}

/*
 * Parse a stored definition: true when str is a valid options string in
 * canonical form (as a value or a state from outside must be), else false.
 */
bool
path_options_from_canonical(const char *str, PathOptions *opts)
{
	CanonicalParse c;
	char	   *message;

	c.str = str;
	c.opts = opts;
	if (!error_trap_call(parse_trapped, &c, &message))
		return false;
	return strcmp(path_options_to_string(opts), str) == 0;
}

/* The item of a canonical options string for `key`, or NULL (items split at commas outside quotes). */
static char *
canonical_item(const char *s, const char *key)
{
	const char *p = s;
	size_t		klen = strlen(key);

	while (*p)
	{
		const char *start = p;
		bool		inq = false;

		while (*p && (inq || *p != ','))
		{
			if (*p == '"')
				inq = !inq;
			p++;
		}
		if ((size_t) (p - start) >= klen && strncmp(start, key, klen) == 0 &&
			(start[klen] == '=' || start + klen == p))
			return pnstrdup(start, p - start);
		if (*p == ',')
			p++;
	}
	return NULL;
}

/*
 * Error 22023 for two different canonical definitions a and b: names the
 * first option that differs.  `what` says what was being done.
 */
void
path_options_differ(const char *a, const char *b, const char *what, const char *hint)
{
	int			k;

	for (k = 0; k < KEY_COUNT; k++)
	{
		char	   *ia = canonical_item(a, key_names[k]);
		char	   *ib = canonical_item(b, key_names[k]);

		if ((ia == NULL) != (ib == NULL) || (ia != NULL && strcmp(ia, ib) != 0))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s: %s and %s", what,
							ia ? ia : psprintf("no %s", key_names[k]),
							ib ? ib : psprintf("no %s", key_names[k])),
					 errdetail("The definitions are \"%s\" and \"%s\".", a, b),
					 errhint("%s", hint)));
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("%s: \"%s\" and \"%s\"", what, a, b),
			 errhint("%s", hint)));
}
