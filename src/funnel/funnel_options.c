/*
 * funnel_options.c
 *		Parsing, checking and canonical printing of the mode string's
 *		items: ClickHouse's modes and funnel_agg's options.
 */
#include "postgres.h"

#include "common/error_trap.h"
#include "common/interval_usecs.h"
#include "common/pg_compat.h"
#include "fmgr.h"
#include "funnel/funnel_options.h"
#include "lib/stringinfo.h"
#include "utils/fmgrprotos.h"
#include "utils/timestamp.h"
#include "window_funnel/funnel_mode.h"

static inline bool
is_option_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The item being parsed, for error messages. */
typedef struct OptionItem
{
	const char *str;			/* whole item, "key=value" */
	int			len;
	int			key_len;		/* of the key, blanks before '=' trimmed */
	const char *value;			/* after '=' (trimmed), or NULL */
	int			value_len;
} OptionItem;

static void
bad_option(const OptionItem *item, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid funnel option \"%.*s\"", item->len, item->str),
			 errhint("%s", hint)));
}

static void
option_twice(const OptionItem *item, const char *key)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("funnel option \"%s\" is given twice", key),
			 errhint("Give each of order=, count=, exclusion=, entry=, entry_from=, entry_before=, labels= and breakdown= at most once, and one within= per step.")));
}

static bool
value_is(const OptionItem *item, const char *word)
{
	return item->value_len == (int) strlen(word) &&
		memcmp(item->value, word, item->value_len) == 0;
}

/*
 * A whole decimal number of 1..2 digits at s[0..len), or -1.  Step numbers
 * never need more.
 */
static int
parse_step_number(const char *s, int len)
{
	int			n = 0;
	int			i;

	if (len < 1 || len > 2)
		return -1;
	for (i = 0; i < len; i++)
	{
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	return n;
}

/* Blanks trimmed from both ends of s[0..*len); returns the new start. */
static const char *
trim_option_text(const char *s, int *len)
{
	while (*len > 0 && is_option_space(*s))
	{
		s++;
		(*len)--;
	}
	while (*len > 0 && is_option_space(s[*len - 1]))
		(*len)--;
	return s;
}

/*
 * The step range I-J of exclude=[NAME@]I-J at s[0..len) into *from, *to:
 * steps I < J, both 1..FUNNEL_MAX_STEPS.
 */
static void
parse_exclude_range(const OptionItem *item, const char *s, int len, int *from, int *to)
{
	const char *dash = memchr(s, '-', len);

	if (dash == NULL)
		bad_option(item, "Write exclude=NAME@I-J, such as exclude=refund@2-3: a row of the exclusion NAME disqualifies a chain when it happens between the chain's step I and step J.");
	*from = parse_step_number(s, dash - s);
	*to = parse_step_number(dash + 1, s + len - dash - 1);
	if (*from < 1 || *to < 1 || *from > FUNNEL_MAX_STEPS || *to > FUNNEL_MAX_STEPS)
		bad_option(item, "Write exclude=NAME@I-J with step numbers, such as exclude=refund@2-4.");
	if (*from >= *to)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel exclusion \"%.*s\" has an empty step range", item->len, item->str),
				 errhint("Write exclude=NAME@I-J with I < J: the exclusion applies between step I and step J.")));
}

/*
 * exclude=NAME@I-J (a user's: NAME is the exclusion's event in the named
 * forms, its label in the boolean forms, and may hold '@' itself: the last
 * one ends it) or exclude=I-J (a stored string: the names are elsewhere).
 * The unnamed form in a user's string is the 0.1.0 syntax, where the
 * exclusions were the last names or conditions: an error whose hint shows
 * the new syntax with the user's numbers.
 */
static void
parse_exclude(const OptionItem *item, FunnelOptionSyntax syntax, FunnelOptions *opts,
			  FunnelOptionNames *names)
{
	const char *at = NULL;
	const char *range = item->value;
	int			range_len = item->value_len;
	const char *name = NULL;
	int			name_len = 0;
	int			from,
				to;
	int			i;

	for (i = item->value_len - 1; i >= 0 && at == NULL; i--)
		if (item->value[i] == '@')
			at = item->value + i;
	if (at != NULL)
	{
		if (syntax == FUNNEL_SYNTAX_STORED)
			bad_option(item, "A stored options string gives exclusions as exclude=I-J.");
		name_len = at - item->value;
		name = trim_option_text(item->value, &name_len);
		range_len = item->value + item->value_len - at - 1;
		range = trim_option_text(at + 1, &range_len);
	}
	parse_exclude_range(item, range, range_len, &from, &to);
	if (at == NULL && syntax == FUNNEL_SYNTAX_NAMED)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel exclusion \"%.*s\" does not name its event", item->len, item->str),
				 errhint("Name the exclusion's event: exclude=refund@%d-%d; the steps array holds only the steps.",
						 from, to)));
	if (at == NULL && syntax == FUNNEL_SYNTAX_BOOLEAN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel exclusion \"%.*s\" has no name", item->len, item->str),
				 errhint("Name the exclusion and label the steps, such as labels=view|cart|purchase, exclude=refund@%d-%d; the exclusions' conditions follow the steps' conditions, one per exclude= option.",
						 from, to)));
	if (at != NULL && name_len == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel exclusion \"%.*s\" has an empty name", item->len, item->str),
				 errhint("Write the exclusion's name before the @, such as exclude=refund@%d-%d.",
						 from, to)));
	if (name_len > FUNNEL_MAX_LABEL)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("funnel exclusion name is %d bytes long, more than the maximum of %d",
						name_len, FUNNEL_MAX_LABEL),
				 errhint("Use a shorter name.")));
	if (opts->nexcl >= FUNNEL_MAX_STEPS - 1)
		bad_option(item, "A funnel has at most 32 conditions, steps and exclusions together.");
	if (names != NULL)
	{
		names->excl_name[opts->nexcl] = name;
		names->excl_name_len[opts->nexcl] = name_len;
	}
	opts->excl_from[opts->nexcl] = (int16) from;
	opts->excl_to[opts->nexcl] = (int16) to;
	opts->nexcl++;
}

#define FUNNEL_LABELS_SYNTAX_HINT \
	"Separate the labels with |, such as labels=view|cart|purchase; a label cannot contain , or |."

/*
 * labels=A|B|C: the boolean forms' step labels, blanks around each
 * trimmed.  The named forms' labels are their step names.
 */
static void
parse_labels(const OptionItem *item, FunnelOptionSyntax syntax, FunnelOptionNames *names)
{
	const char *p = item->value;
	const char *end = item->value + item->value_len;

	if (syntax != FUNNEL_SYNTAX_BOOLEAN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel option \"labels=\" is for the forms with boolean conditions"),
				 errhint("The steps array names the steps; drop labels=.")));
	if (names->has_labels)
		option_twice(item, "labels");
	names->has_labels = true;
	for (;;)
	{
		const char *bar = memchr(p, '|', end - p);
		int			len = (bar ? bar : end) - p;
		const char *label = trim_option_text(p, &len);

		if (len == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel option \"%.*s\" has an empty label %d",
							item->len, item->str, names->nlabels + 1),
					 errhint(FUNNEL_LABELS_SYNTAX_HINT)));
		if (len > FUNNEL_MAX_LABEL)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("funnel step label %d is %d bytes long, more than the maximum of %d",
							names->nlabels + 1, len, FUNNEL_MAX_LABEL),
					 errhint("Use shorter labels.")));
		if (names->nlabels >= FUNNEL_MAX_STEPS)
			ereport(ERROR,
					(errcode(ERRCODE_TOO_MANY_ARGUMENTS),
					 errmsg("funnel option \"labels=\" gives more than %d labels", FUNNEL_MAX_STEPS),
					 errhint("Split the funnel into several.")));
		names->label[names->nlabels] = label;
		names->label_len[names->nlabels] = len;
		names->nlabels++;
		if (bar == NULL)
			break;
		p = bar + 1;
	}
}

/* The interval text of a within= option, in microseconds. */
static int64
parse_within_interval(const OptionItem *item, const char *text)
{
	Datum		iv;
	char	   *message;
	int64		us;

	if (!error_trap_input(interval_in, text, &iv, &message))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid per-step window in funnel option \"%.*s\"", item->len, item->str),
				 errdetail("%s", message),
				 errhint("Write within=K:INTERVAL, such as within=3:30 minutes.")));
	if (!interval_usecs(DatumGetIntervalP(iv), &us))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("per-step window in funnel option \"%.*s\" is negative", item->len, item->str),
				 errhint("Give each step a window of zero or more, such as within=3:30 minutes.")));
	return us;
}

/*
 * Whether s[0..len) is a bare integer (an optional sign and digits, blanks
 * around them): a within= window or an entry bound in integer time units.
 */
static bool
is_bare_integer(const char *s, int len)
{
	int			i = 0;
	int			digits = 0;

	while (len > 0 && is_option_space(s[len - 1]))
		len--;
	while (i < len && is_option_space(s[i]))
		i++;
	if (i < len && (s[i] == '+' || s[i] == '-'))
		i++;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++)
		digits++;
	return digits > 0 && i == len;
}

/* The bare integer text of a within= option: a window in integer time units. */
static int64
parse_within_number(const OptionItem *item, const char *text)
{
	char	   *end;
	int64		n;

	errno = 0;
	n = strtoi64(text, &end, 10);
	while (*end != '\0' && is_option_space(*end))
		end++;
	if (errno != 0 || *end != '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("per-step window in funnel option \"%.*s\" is out of range for bigint", item->len, item->str),
				 errhint("Write within=K:N with N a number of the integer ts column's units, such as within=3:1800.")));
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("per-step window in funnel option \"%.*s\" is negative", item->len, item->str),
				 errhint("Give each step a window of zero or more, such as within=3:1800.")));
	return n;
}

/*
 * within=K:INTERVAL: step K (2..) must follow step K-1 within INTERVAL; or
 * within=K:N with a bare number N of integer time units (a funnel over an
 * integer ts: funnel_options_time checks that the kind fits the column).
 * A stored string's bare numbers set within_integer.
 */
static void
parse_within(const OptionItem *item, FunnelOptions *opts, FunnelOptionNames *names)
{
	const char *colon = memchr(item->value, ':', item->value_len);
	const char *text;
	int			step;
	int			len;

	if (colon == NULL)
		bad_option(item, "Write within=K:INTERVAL, such as within=3:30 minutes: step K must follow step K-1 within INTERVAL.");
	len = colon - item->value;
	while (len > 0 && is_option_space(item->value[len - 1]))
		len--;
	step = parse_step_number(item->value, len);
	if (step < 2 || step > FUNNEL_MAX_STEPS)
		bad_option(item, "The step of within=K:INTERVAL is a number from 2 (step 1 has no previous step).");
	if (opts->within[step - 1] >= 0)
		option_twice(item, "within");
	text = pnstrdup(colon + 1, item->value + item->value_len - colon - 1);
	if (is_bare_integer(text, strlen(text)))
	{
		opts->within[step - 1] = parse_within_number(item, text);
		opts->within_integer = true;
		if (names->within_number == NULL)
		{
			names->within_number = item->str;
			names->within_number_len = item->len;
		}
	}
	else
	{
		opts->within[step - 1] = parse_within_interval(item, text);
		if (names->within_interval == NULL)
		{
			names->within_interval = item->str;
			names->within_interval_len = item->len;
		}
	}
}

/* breakdown=first_touch|last_touch|step:K */
static void
parse_breakdown(const OptionItem *item, FunnelOptions *opts)
{
	if (opts->breakdown != FUNNEL_BREAKDOWN_NONE)
		option_twice(item, "breakdown");
	if (value_is(item, "first_touch"))
		opts->breakdown = FUNNEL_BREAKDOWN_FIRST;
	else if (value_is(item, "last_touch"))
		opts->breakdown = FUNNEL_BREAKDOWN_LAST;
	else if (item->value_len > 5 && memcmp(item->value, "step:", 5) == 0)
	{
		int			step = parse_step_number(item->value + 5, item->value_len - 5);

		if (step < 1 || step > FUNNEL_MAX_STEPS)
			bad_option(item, "Write breakdown=step:K with a step number K, such as breakdown=step:2.");
		opts->breakdown = FUNNEL_BREAKDOWN_STEP;
		opts->breakdown_step = (int16) step;
	}
	else
		bad_option(item, "breakdown= takes first_touch, last_touch or step:K.");
}

/* Which of the options that may be given once were seen. */
typedef struct OptionsSeen
{
	bool		order;
	bool		count;
	bool		exclusion;
	bool		entry;
	bool		entry_bound[2];
	bool		entry_range;
} OptionsSeen;

#define FUNNEL_ENTRY_RANGE_HINT \
	"Write entry_from=TS and/or entry_before=TS with a timestamp of the ts column's type, such as entry_from=2026-11-02 00:00+00; a timestamp cannot contain a comma."

/*
 * entry_from=TS or entry_before=TS (a user's string): keep the text; it is
 * read by the input function of the ts column's type once the call knows
 * it (funnel_options_time).
 */
static void
parse_entry_bound(const OptionItem *item, int which, FunnelOptions *opts,
				  FunnelOptionNames *names, OptionsSeen *seen)
{
	int			len = item->value_len;
	const char *text = trim_option_text(item->value, &len);

	if (seen->entry_bound[which])
		option_twice(item, which == FUNNEL_ENTRY_FROM ? "entry_from" : "entry_before");
	seen->entry_bound[which] = true;
	if (len == 0)
		bad_option(item, FUNNEL_ENTRY_RANGE_HINT);
	names->entry_text[which] = text;
	names->entry_text_len[which] = len;
	opts->entry_range = true;
}

/* A whole int64 in decimal at s[0..len), as canonical strings print it. */
static bool
parse_stored_int64(const char *s, int len, int64 *out)
{
	char		buf[24];
	char	   *end;

	if (len < 1 || len >= (int) sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	errno = 0;
	*out = strtoi64(buf, &end, 10);
	return errno == 0 && *end == '\0';
}

/*
 * entry_range=FROM:BEFORE of a stored state's string: each bound in
 * microseconds, or empty when not given.
 */
static void
parse_entry_range(const OptionItem *item, FunnelOptions *opts, OptionsSeen *seen)
{
	const char *colon = memchr(item->value, ':', item->value_len);
	int			from_len;
	int			before_len;

	if (seen->entry_range || colon == NULL)
		bad_option(item, "A stored state gives its entry range once, as entry_range=FROM:BEFORE.");
	seen->entry_range = true;
	from_len = colon - item->value;
	before_len = item->value + item->value_len - colon - 1;
	opts->entry_range = true;
	opts->entry_bounded = true;
	opts->has_entry_from = from_len > 0;
	opts->has_entry_before = before_len > 0;
	if ((from_len > 0 && !parse_stored_int64(item->value, from_len, &opts->entry_from)) ||
		(before_len > 0 && !parse_stored_int64(colon + 1, before_len, &opts->entry_before)))
		bad_option(item, "A stored state gives its entry range in microseconds.");
}

/* One key=value item. */
static void
parse_option(OptionItem *item, FunnelOptionSyntax syntax, FunnelOptions *opts,
			 FunnelOptionNames *names, uint32 *modes, OptionsSeen *seen)
{
	int			key_len = item->key_len;

#define KEY_IS(k) (key_len == (int) strlen(k) && memcmp(item->str, k, key_len) == 0)
	if (KEY_IS("order"))
	{
		if (seen->order)
			option_twice(item, "order");
		seen->order = true;
		if (value_is(item, "ordered"))
			return;
		if (value_is(item, "strict"))
			*modes |= FUNNEL_MODE_STRICT_ORDER;
		else if (value_is(item, "any"))
			opts->any_order = true;
		else
			bad_option(item, "order= takes ordered (the default), strict or any.");
	}
	else if (KEY_IS("count"))
	{
		if (seen->count)
			option_twice(item, "count");
		seen->count = true;
		if (value_is(item, "attempts"))
			opts->attempts = true;
		else if (!value_is(item, "uniques"))
			bad_option(item, "count= takes uniques (the default: one result per entity) or attempts (every attempt counts).");
	}
	else if (KEY_IS("exclude"))
		parse_exclude(item, syntax, opts, names);
	else if (KEY_IS("exclusion"))
	{
		if (seen->exclusion)
			option_twice(item, "exclusion");
		seen->exclusion = true;
		if (value_is(item, "remove"))
			opts->excl_remove = true;
		else if (!value_is(item, "drop_off"))
			bad_option(item, "exclusion= takes drop_off (the default: an excluded chain stops, so the entity drops off) or remove (an entity whose chain an exclusion disqualifies reaches no step).");
	}
	else if (KEY_IS("entry"))
	{
		if (seen->entry)
			option_twice(item, "entry");
		seen->entry = true;
		if (value_is(item, "first"))
			opts->entry_first = true;
		else if (!value_is(item, "best"))
			bad_option(item, "entry= takes best (the default: the entity's best chain) or first (only the chain from the entity's first step-1 row).");
	}
	else if (KEY_IS("labels") && syntax != FUNNEL_SYNTAX_STORED)
		parse_labels(item, syntax, names);
	else if (KEY_IS("entry_from") && syntax != FUNNEL_SYNTAX_STORED)
		parse_entry_bound(item, FUNNEL_ENTRY_FROM, opts, names, seen);
	else if (KEY_IS("entry_before") && syntax != FUNNEL_SYNTAX_STORED)
		parse_entry_bound(item, FUNNEL_ENTRY_BEFORE, opts, names, seen);
	else if (KEY_IS("entry_range") && syntax == FUNNEL_SYNTAX_STORED)
		parse_entry_range(item, opts, seen);
	else if (KEY_IS("within"))
		parse_within(item, opts, names);
	else if (KEY_IS("breakdown"))
		parse_breakdown(item, opts);
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown funnel option \"%.*s\"", key_len, item->str),
				 errhint(FUNNEL_OPTION_HINT)));
#undef KEY_IS
}

/*
 * Parse a comma-separated list of modes and options into FUNNEL_MODE_*
 * flags, *opts and (a user's string) *names, which point into str.
 * Blanks around items are allowed; an empty string is the default; an
 * empty item, an unknown name or a malformed option is an error naming it
 * (funnel_mode.c reads the list and its modes).
 */
uint32
funnel_parse_options(const char *str, int len, FunnelOptionSyntax syntax,
					 FunnelOptions *opts, FunnelOptionNames *names)
{
	FunnelModeList list;
	FunnelModeItem item;
	FunnelOptionNames unused;
	OptionsSeen seen;
	const char *after_bound = NULL;	/* the entry bound item just before */
	int			after_bound_len = 0;
	int			i;

	Assert(syntax == FUNNEL_SYNTAX_STORED || names != NULL);
	if (names == NULL)
		names = &unused;
	memset(names, 0, sizeof(FunnelOptionNames));
	memset(opts, 0, sizeof(FunnelOptions));
	memset(&seen, 0, sizeof(seen));
	opts->entry_from = PG_INT64_MIN;
	opts->entry_before = PG_INT64_MAX;
	for (i = 0; i < FUNNEL_MAX_STEPS; i++)
		opts->within[i] = -1;
	funnel_mode_list_begin(&list, str, len, true);
	while (funnel_mode_list_next(&list, &item))
	{
		OptionItem	option;

		if (item.eq == NULL)
		{
			if (item.len == 4 && memcmp(item.str, "hold", 4) == 0)
				opts->hold = true;
			else if (syntax == FUNNEL_SYNTAX_STORED && !seen.entry_range &&
					 item.len == 11 && memcmp(item.str, "entry_range", 11) == 0)
			{
				/* a funnel value's: a range was applied, bounds not kept */
				seen.entry_range = true;
				opts->entry_range = true;
			}
			else if (after_bound != NULL)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown funnel mode \"%.*s\" after funnel option \"%.*s\"",
								item.len, item.str, after_bound_len, after_bound),
						 errhint("A timestamp of entry_from= or entry_before= cannot contain a comma, the item separator: write it without one, such as 2026-11-02 00:00+00.")));
			else if (names->has_labels)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unknown funnel mode \"%.*s\"", item.len, item.str),
						 errhint(FUNNEL_LABELS_SYNTAX_HINT)));
			else
				funnel_unknown_mode(item.str, item.len, true);
			continue;
		}
		option.str = item.str;
		option.len = item.len;
		option.key_len = item.eq - item.str;
		while (option.key_len > 0 && is_option_space(item.str[option.key_len - 1]))
			option.key_len--;
		option.value = item.eq + 1;
		while (option.value < item.str + item.len && is_option_space(*option.value))
			option.value++;
		option.value_len = item.str + item.len - option.value;
		parse_option(&option, syntax, opts, names, &list.modes, &seen);
		after_bound = NULL;
		if ((option.key_len == 10 && memcmp(option.str, "entry_from", 10) == 0) ||
			(option.key_len == 12 && memcmp(option.str, "entry_before", 12) == 0))
		{
			after_bound = option.str;
			after_bound_len = option.len;
		}
	}
	return list.modes;
}

/* Whether any step has a per-step window (within=). */
bool
funnel_options_have_within(const FunnelOptions *opts)
{
	int			k;

	for (k = 0; k < FUNNEL_MAX_STEPS; k++)
		if (opts->within[k] >= 0)
			return true;
	return false;
}

/* Whether any option is set (then the funnel records an options string). */
bool
funnel_options_any(const FunnelOptions *opts)
{
	int			k;

	if (opts->any_order || opts->attempts || opts->hold || opts->excl_remove ||
		opts->entry_first || opts->entry_range ||
		opts->breakdown != FUNNEL_BREAKDOWN_NONE || opts->nexcl > 0)
		return true;
	for (k = 0; k < FUNNEL_MAX_STEPS; k++)
		if (opts->within[k] >= 0)
			return true;
	return false;
}

/* A window of the options' funnel for messages: a number of integer time units, or an interval. */
static char *
funnel_options_duration_text(const FunnelOptions *opts, int64 d)
{
	return opts->within_integer ? psprintf(INT64_FORMAT, d) : interval_usecs_to_string(d);
}

static void
options_conflict(const char *a, const char *b, const char *hint)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("funnel options %s and %s cannot be combined", a, b),
			 errhint("%s", hint)));
}

/*
 * Check options against each other and against the rest of the definition:
 * the modes, the window and the number of steps (which the caller has
 * counted: funnel_call.c for a user's call, the stored value otherwise).
 */
void
funnel_options_bind(const FunnelOptions *opts, uint32 modes, int64 window, int nsteps)
{
	bool		has_within = false;
	int			e,
				k;

	for (k = 0; k < FUNNEL_MAX_STEPS; k++)
		has_within |= opts->within[k] >= 0;

	if (opts->any_order && modes != 0)
		options_conflict("order=any", funnel_modes_to_string(modes),
						 "ClickHouse's modes define how an ordered chain advances; an any-order funnel has no order to be strict about.");
	if (opts->any_order && opts->nexcl > 0)
		options_conflict("order=any", "exclude=",
						 "An exclusion applies between two steps of a chain, which an any-order funnel does not rank.");
	if (opts->any_order && has_within)
		options_conflict("order=any", "within=",
						 "A per-step window is measured from the previous step, which an any-order funnel does not have; use the funnel window.");
	if (opts->any_order && opts->attempts)
		options_conflict("order=any", "count=attempts",
						 "Attempts start at step 1, which an any-order funnel does not have.");
	if ((modes & FUNNEL_MODE_STRICT_ONCE) && (opts->nexcl > 0 || has_within || opts->attempts))
		options_conflict("strict_once",
						 opts->nexcl > 0 ? "exclude=" : has_within ? "within=" : "count=attempts",
						 "Drop strict_once, or filter the rows so that none matches two steps.");
	if (opts->attempts && opts->breakdown != FUNNEL_BREAKDOWN_NONE)
		options_conflict("count=attempts", "breakdown=",
						 "A breakdown value describes one entity's chain; count uniques to break down, or group the events by the value before aggregating.");
	if (opts->excl_remove && opts->nexcl == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel option \"exclusion=remove\" needs an exclusion"),
				 errhint("Add an exclusion, such as exclude=refund@2-3, or drop exclusion=remove.")));
	if (opts->attempts && opts->excl_remove)
		options_conflict("count=attempts", "exclusion=remove",
						 "An exclusion ends the attempt it disqualifies; removing an entity judges its one best chain, which is count=uniques.");
	if (opts->attempts && opts->entry_first)
		options_conflict("count=attempts", "entry=first",
						 "Every attempt has its own entry; entry=first keeps only the chain from the entity's first step-1 row, which is count=uniques.");

	if (opts->entry_bounded && opts->has_entry_from && opts->has_entry_before &&
		opts->entry_from >= opts->entry_before)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel entry range is empty: entry_from must be before entry_before"),
				 errhint(FUNNEL_ENTRY_RANGE_HINT)));

	for (e = 0; e < opts->nexcl; e++)
		if (opts->excl_to[e] > nsteps)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel exclusion %d has step range %d-%d, outside the funnel's steps 1-%d",
							e + 1, opts->excl_from[e], opts->excl_to[e], nsteps),
					 errhint("Write exclude=NAME@I-J with 1 <= I < J <= %d.", nsteps)));
	for (k = 0; k < FUNNEL_MAX_STEPS; k++)
	{
		if (opts->within[k] < 0)
			continue;
		if (k >= nsteps)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("per-step window for step %d, but the funnel has %d steps", k + 1, nsteps),
					 errhint("Write within=K:INTERVAL for a step K from 2 to the number of steps.")));
		if (opts->within[k] > window)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("per-step window for step %d (%s) is longer than the funnel window (%s)",
							k + 1, funnel_options_duration_text(opts, opts->within[k]),
							funnel_options_duration_text(opts, window)),
					 errhint("Every step must already be within the funnel window of step 1; shorten the per-step window or lengthen the funnel window.")));
	}
	if (opts->breakdown == FUNNEL_BREAKDOWN_STEP && opts->breakdown_step > nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel breakdown=step:%d names a step the funnel does not have (it has %d)",
						opts->breakdown_step, nsteps),
				 errhint("Write breakdown=step:K for a step K from 1 to the number of steps.")));
}

/*
 * A duration in microseconds as interval input with units ("1 hour 30
 * minutes", "0 seconds"), readable next to the step number of within=K:
 * and read back the same under any IntervalStyle.
 */
static void
append_duration_words(StringInfo out, int64 us)
{
	static const struct
	{
		int64		unit;
		const char *name;
	}			units[] = {
		{USECS_PER_DAY, "day"}, {USECS_PER_HOUR, "hour"}, {USECS_PER_MINUTE, "minute"},
	};
	int			start = out->len;
	size_t		i;

	for (i = 0; i < lengthof(units); i++)
	{
		int64		n = us / units[i].unit;

		if (n == 0)
			continue;
		appendStringInfo(out, "%s" INT64_FORMAT " %s%s", out->len > start ? " " : "",
						 n, units[i].name, n == 1 ? "" : "s");
		us -= n * units[i].unit;
	}
	if (us > 0 || out->len == start)
	{
		appendStringInfo(out, "%s" INT64_FORMAT, out->len > start ? " " : "", us / USECS_PER_SEC);
		if (us % USECS_PER_SEC != 0)
			appendStringInfo(out, ".%06d", (int) (us % USECS_PER_SEC));
		appendStringInfo(out, " second%s", us == USECS_PER_SEC ? "" : "s");
	}
}

/*
 * The options in canonical form: fixed item order, exclusions in condition
 * order (their step ranges only: the names are in the funnel's labels),
 * windows in an IntervalStyle-independent form.  NULL when none is
 * set.  Parsing the result gives the same options back.
 */
char *
funnel_options_to_string(const FunnelOptions *opts)
{
	StringInfoData out;
	int			e,
				k;

	if (!funnel_options_any(opts))
		return NULL;
	initStringInfo(&out);
#define SEP() (out.len > 0 ? "," : "")
	if (opts->any_order)
		appendStringInfo(&out, "%sorder=any", SEP());
	if (opts->attempts)
		appendStringInfo(&out, "%scount=attempts", SEP());
	if (opts->hold)
		appendStringInfo(&out, "%shold", SEP());
	for (e = 0; e < opts->nexcl; e++)
		appendStringInfo(&out, "%sexclude=%d-%d", SEP(), opts->excl_from[e], opts->excl_to[e]);
	if (opts->excl_remove)
		appendStringInfo(&out, "%sexclusion=remove", SEP());
	if (opts->entry_first)
		appendStringInfo(&out, "%sentry=first", SEP());
	for (k = 0; k < FUNNEL_MAX_STEPS; k++)
		if (opts->within[k] >= 0)
		{
			appendStringInfo(&out, "%swithin=%d:", SEP(), k + 1);
			if (opts->within_integer)
				appendStringInfo(&out, INT64_FORMAT, opts->within[k]);
			else
				append_duration_words(&out, opts->within[k]);
		}
	if (opts->breakdown == FUNNEL_BREAKDOWN_FIRST)
		appendStringInfo(&out, "%sbreakdown=first_touch", SEP());
	else if (opts->breakdown == FUNNEL_BREAKDOWN_LAST)
		appendStringInfo(&out, "%sbreakdown=last_touch", SEP());
	else if (opts->breakdown == FUNNEL_BREAKDOWN_STEP)
		appendStringInfo(&out, "%sbreakdown=step:%d", SEP(), opts->breakdown_step);
	/* last, so that a value's string is a state's cut at its '=' */
	if (opts->entry_range)
	{
		appendStringInfo(&out, "%sentry_range", SEP());
		if (opts->entry_bounded)
		{
			appendStringInfoChar(&out, '=');
			if (opts->has_entry_from)
				appendStringInfo(&out, INT64_FORMAT, opts->entry_from);
			appendStringInfoChar(&out, ':');
			if (opts->has_entry_before)
				appendStringInfo(&out, INT64_FORMAT, opts->entry_before);
		}
	}
#undef SEP
	return out.data;
}

/* What funnel_options_from_string parses under error_trap_call. */
typedef struct StoredOptions
{
	const char *str;
	uint32		modes;
	int64		window;
	int			nsteps;
	FunnelOptions *opts;
	bool		ok;
} StoredOptions;

static void
parse_stored_options(void *arg)
{
	StoredOptions *s = (StoredOptions *) arg;

	s->ok = funnel_parse_options(s->str, strlen(s->str), FUNNEL_SYNTAX_STORED, s->opts,
								 NULL) == 0 &&
		s->opts->nexcl + s->nsteps <= FUNNEL_MAX_STEPS;
	if (s->ok)
		funnel_options_bind(s->opts, s->modes, s->window, s->nsteps);
}

/*
 * Parse a stored canonical options string for a definition with nsteps
 * steps: a funnel value's (state false: an entry range without bounds) or
 * a serialized state's (state true: an entry range with its bounds).
 * False, rather than an error, when it is not exactly the canonical form
 * of valid options, so that callers report corruption in their own terms.
 */
static bool
options_from_string(const char *str, uint32 modes, int64 window, int nsteps,
					FunnelOptions *opts, bool state)
{
	StoredOptions s;
	char	   *message;
	char	   *canonical;

	s.str = str;
	s.modes = modes;
	s.window = window;
	s.nsteps = nsteps;
	s.opts = opts;
	s.ok = false;
	if (!error_trap_call(parse_stored_options, &s, &message) || !s.ok)
		return false;
	if (opts->entry_range && opts->entry_bounded != state)
		return false;
	canonical = funnel_options_to_string(opts);
	return canonical != NULL && strcmp(canonical, str) == 0;
}

/* A funnel value's options string (see options_from_string). */
bool
funnel_options_from_string(const char *str, uint32 modes, int64 window, int nsteps,
						   FunnelOptions *opts)
{
	return options_from_string(str, modes, window, nsteps, opts, false);
}

/* A serialized funnel_agg state's options string (see options_from_string). */
bool
funnel_state_options_from_string(const char *str, uint32 modes, int64 window, int nsteps,
								 FunnelOptions *opts)
{
	return options_from_string(str, modes, window, nsteps, opts, true);
}

/*
 * One bound of a user's entry range, read by the input function of the ts
 * column's type (timestamp, or timestamptz in the session's TimeZone), or
 * for an integer ts as a bigint (any bigint: the range only compares).
 * A bare number for a timestamp column, and anything else for an integer
 * one, is the wrong kind of time: 22023 saying so.
 */
static int64
entry_bound_value(const FunnelOptionNames *names, int which, bool local_time,
				  bool integer_time)
{
	const char *key = which == FUNNEL_ENTRY_FROM ? "entry_from" : "entry_before";
	char	   *text = pnstrdup(names->entry_text[which], names->entry_text_len[which]);
	Datum		ts;
	char	   *message;

	if (integer_time)
	{
		if (!is_bare_integer(text, strlen(text)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("funnel option \"%s=%s\" is not an integer, but ts is an integer time", key, text),
					 errhint("Write %s=N with N in the units of the integer ts column, such as %s=1700000000.", key, key)));
		if (!error_trap_input(int8in, text, &ts, &message))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid integer time in funnel option \"%s=%s\"", key, text),
					 errdetail("%s", message),
					 errhint("Write %s=N with N in the units of the integer ts column, such as %s=1700000000.", key, key)));
		return DatumGetInt64(ts);
	}
	if (is_bare_integer(text, strlen(text)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel option \"%s=%s\" is an integer, but ts is a timestamp", key, text),
				 errhint("Write a timestamp of the ts column's type, such as %s=2026-11-02 00:00+00; integer bounds are for integer ts columns.", key)));
	if (!error_trap_input(local_time ? timestamp_in : timestamptz_in, text, &ts, &message))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid timestamp in funnel option \"%s=%s\"", key, text),
				 errdetail("%s", message),
				 errhint(FUNNEL_ENTRY_RANGE_HINT)));
	return DatumGetInt64(ts);
}

/*
 * What a user's options mean once the ts column's type is known
 * (local_time: timestamp without time zone; integer_time: bigint): the
 * texts of entry_from= and entry_before= read as that type, which must give
 * a non-empty range, and within= windows of the kind the column takes
 * (intervals for timestamps, bare numbers for integer times).
 */
void
funnel_options_time(FunnelOptions *opts, const FunnelOptionNames *names,
					bool local_time, bool integer_time)
{
	if (integer_time && names->within_interval != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("per-step window in funnel option \"%.*s\" is an interval, but ts is an integer time",
						names->within_interval_len, names->within_interval),
				 errhint("Write within=K:N with N in the units of the integer ts column, such as within=3:1800.")));
	if (!integer_time && names->within_number != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("per-step window in funnel option \"%.*s\" is a bare number, but ts is a timestamp",
						names->within_number_len, names->within_number),
				 errhint("Write within=K:INTERVAL with a unit, such as within=3:30 minutes; bare numbers are for integer ts columns.")));
	if (!opts->entry_range)
		return;
	opts->entry_bounded = true;
	opts->has_entry_from = names->entry_text[FUNNEL_ENTRY_FROM] != NULL;
	opts->has_entry_before = names->entry_text[FUNNEL_ENTRY_BEFORE] != NULL;
	if (opts->has_entry_from)
		opts->entry_from = entry_bound_value(names, FUNNEL_ENTRY_FROM, local_time, integer_time);
	if (opts->has_entry_before)
		opts->entry_before = entry_bound_value(names, FUNNEL_ENTRY_BEFORE, local_time, integer_time);
	if (opts->has_entry_from && opts->has_entry_before &&
		opts->entry_from >= opts->entry_before)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel entry range is empty: entry_from=%.*s is not before entry_before=%.*s",
						names->entry_text_len[FUNNEL_ENTRY_FROM], names->entry_text[FUNNEL_ENTRY_FROM],
						names->entry_text_len[FUNNEL_ENTRY_BEFORE], names->entry_text[FUNNEL_ENTRY_BEFORE]),
				 errhint("The range is half-open, entry_from <= ts < entry_before: give an entry_from earlier than entry_before, or only one of them.")));
}

/*
 * Bytes of the labels blob a funnel value gets from a state's blob (data,
 * size) with options opts: the same blob, except that a state's entry
 * range keeps its bounds, which the value drops (its options string ends
 * "entry_range=FROM:BEFORE": the value's ends at the '=', which the caller
 * replaces with a NUL).
 */
Size
funnel_value_labels_size(const char *data, Size size, const FunnelOptions *opts)
{
	const char *eq;

	if (opts == NULL || !opts->entry_bounded)
		return size;
	eq = strrchr(funnel_labels_options(data, size), '=');
	Assert(eq != NULL);
	return eq - data + 1;
}

/* The options string of a labels blob that has one: its last string. */
const char *
funnel_labels_options(const char *data, Size size)
{
	const char *str = data + size - 1;

	while (str > data && str[-1] != '\0')
		str--;
	return str;
}

/*
 * Whether a labels blob is valid for a definition with nnames conditions:
 * one name per condition and, with options, the options string after them
 * (names are optional then: the boolean forms have none).
 */
bool
funnel_definition_labels_valid(const char *data, Size size, int nnames, bool has_options)
{
	const char *opts;

	if (!has_options)
		return event_labels_strings_valid(data, size, nnames, FUNNEL_MAX_LABEL);
	if (size == 0 || data[size - 1] != '\0')
		return false;
	opts = funnel_labels_options(data, size);
	if (strlen(opts) > FUNNEL_MAX_OPTIONS)
		return false;
	return opts == data ||
		event_labels_strings_valid(data, opts - data, nnames, FUNNEL_MAX_LABEL);
}
