/*
 * sequence_pattern.c
 *		Compiling ClickHouse sequence patterns and matching them in
 *		polynomial time.
 *
 * ClickHouse matches with a backtracking search over (pattern item, event)
 * that gives up after a million steps.  The search's state is the item, the
 * next event and the "base" event that time conditions measure from; the
 * base is a function of the other two (the event just matched after an
 * event item, the next event after .*), so the state is (item, event).  A
 * state from which the search failed once fails again, so we remember
 * failed states and never expand one twice: O(items x events) states, each
 * expanded once.  .* and time conditions try the next states in order of
 * event; a "next state still worth trying" pointer per item skips the
 * failed ones, and a binary search finds the events a time condition
 * allows (timestamps are sorted).  The search order is ClickHouse's, so the
 * first match found, and where sequence_count resumes after it, are the
 * same.
 */
#include "sequence/sequence_pattern.h"

#include <string.h>

#include "common/time_window.h"

/* ---------- compiling ---------- */

/* Read decimal digits at *pos; false when there are none or on overflow. */
static bool
read_number(const char *s, int len, int *pos, uint64_t *out)
{
	uint64_t	v = 0;
	int			start = *pos;

	while (*pos < len && s[*pos] >= '0' && s[*pos] <= '9')
	{
		uint64_t	d = (uint64_t) (s[*pos] - '0');

		if (v > (UINT64_MAX - d) / 10)
		{
			*pos = start;
			return false;
		}
		v = v * 10 + d;
		(*pos)++;
	}
	*out = v;
	return *pos > start;
}

/* Whether s[*pos..] starts with lit; if so, step over it. */
static bool
accept(const char *s, int len, int *pos, const char *lit)
{
	int			n = (int) strlen(lit);

	if (*pos + n <= len && memcmp(s + *pos, lit, n) == 0)
	{
		*pos += n;
		return true;
	}
	return false;
}

/*
 * Compile a pattern for nconds conditions.  On error, returns the code and
 * sets *error_pos to the 0-based offset of the offending item.
 */
SequencePatternError
sequence_pattern_compile(const char *s, int len, int nconds,
						 SequencePattern *out, int *error_pos)
{
	int			pos = 0;

	out->nactions = 1;
	out->conds_used = 0;
	out->actions[0].type = SEQ_STAR;
	out->actions[0].cond = 0;
	out->actions[0].usecs = 0;
	*error_pos = 0;
	if (len == 0)
		return SEQ_ERR_EMPTY;

	while (pos < len)
	{
		SequenceAction act;
		int			item = pos;

		*error_pos = item;
		act.cond = 0;
		act.usecs = 0;
		if (accept(s, len, &pos, "(?"))
		{
			uint64_t	v;

			if (accept(s, len, &pos, "t"))
			{
				if (accept(s, len, &pos, "<="))
					act.type = SEQ_TIME_LE;
				else if (accept(s, len, &pos, "<"))
					act.type = SEQ_TIME_LT;
				else if (accept(s, len, &pos, ">="))
					act.type = SEQ_TIME_GE;
				else if (accept(s, len, &pos, ">"))
					act.type = SEQ_TIME_GT;
				else if (accept(s, len, &pos, "=="))
					act.type = SEQ_TIME_EQ;
				else
				{
					*error_pos = pos;
					return SEQ_ERR_TIME_OPERATOR;
				}
				if (!read_number(s, len, &pos, &v))
				{
					*error_pos = pos;
					return SEQ_ERR_NUMBER;
				}
				{
					SequenceActionType prev = out->actions[out->nactions - 1].type;

					if (prev != SEQ_EVENT && prev != SEQ_ANY && prev != SEQ_STAR)
						return SEQ_ERR_TIME_PLACEMENT;
				}
				act.usecs = v > (uint64_t) INT64_MAX / 1000000 ?
					INT64_MAX : (int64_t) v * 1000000;
			}
			else
			{
				if (!read_number(s, len, &pos, &v))
				{
					*error_pos = pos;
					return SEQ_ERR_NUMBER;
				}
				if (v < 1 || v > (uint64_t) nconds)
					return SEQ_ERR_CONDITION_RANGE;
				act.type = SEQ_EVENT;
				act.cond = (int) v - 1;
				out->conds_used |= (uint32_t) 1 << act.cond;
			}
			if (!accept(s, len, &pos, ")"))
			{
				*error_pos = pos;
				return SEQ_ERR_UNCLOSED;
			}
		}
		else if (accept(s, len, &pos, ".*"))
			act.type = SEQ_STAR;
		else if (accept(s, len, &pos, "."))
			act.type = SEQ_ANY;
		else
			return SEQ_ERR_UNEXPECTED;

		if (out->nactions > SEQUENCE_MAX_ACTIONS)
			return SEQ_ERR_TOO_LONG;
		out->actions[out->nactions++] = act;
	}
	return SEQ_OK;
}

/* What went wrong, for error messages. */
const char *
sequence_pattern_error_text(SequencePatternError err)
{
	switch (err)
	{
		case SEQ_OK:
			return "no error";
		case SEQ_ERR_EMPTY:
			return "the pattern is empty";
		case SEQ_ERR_UNEXPECTED:
			return "unexpected character";
		case SEQ_ERR_UNCLOSED:
			return "expected \")\"";
		case SEQ_ERR_NUMBER:
			return "expected a number";
		case SEQ_ERR_TIME_OPERATOR:
			return "expected one of <=, <, >=, >, == after (?t";
		case SEQ_ERR_CONDITION_RANGE:
			return "condition number out of range";
		case SEQ_ERR_TIME_PLACEMENT:
			return "a time condition must follow an event condition, \".\" or \".*\"";
		case SEQ_ERR_TOO_LONG:
			return "too many items";
	}
	return "unknown error";
}

/* ---------- matching ---------- */

#define SEQ_INTERRUPT_EVERY 65536

typedef struct Matcher
{
	const SequencePattern *p;
	const SequenceEvent *ev;
	int64_t		n;
	uint64_t  **dead;			/* per item: bitmap of failed states (n + 1 bits) */
	int32_t   **next;			/* items that .* or a time condition scan: next untried state */
	int64_t		end;			/* where the match found last ended */
	uint32_t	steps;
	const SequenceHooks *hooks;
} Matcher;

static inline bool
is_dead(const Matcher *m, int a, int64_t pos)
{
	return (m->dead[a][pos >> 6] >> (pos & 63)) & 1;
}

static void
mark_dead(Matcher *m, int a, int64_t pos)
{
	m->dead[a][pos >> 6] |= (uint64_t) 1 << (pos & 63);
	if (m->next[a] != NULL)
		m->next[a][pos] = (int32_t) (pos + 1);
}

/* The first state of item a at or after pos that has not failed (n if none). */
static int64_t
next_alive(Matcher *m, int a, int64_t pos)
{
	int32_t    *next = m->next[a];
	int64_t		root = pos;
	int64_t		k;

	while (root < m->n && next[root] != root)
		root = next[root];
	/* path compression */
	for (k = pos; k < m->n && next[k] != k;)
	{
		int64_t		after = next[k];

		next[k] = (int32_t) root;
		k = after;
	}
	return root;
}

/* Whether items a.. can all match nothing at the end of the events. */
static bool
rest_matches_empty(const SequencePattern *p, int a)
{
	for (; a < p->nactions; a++)
	{
		SequenceActionType t = p->actions[a].type;

		if (!(t == SEQ_STAR || t == SEQ_TIME_LE || t == SEQ_TIME_LT ||
			  (t == SEQ_TIME_GE && p->actions[a].usecs == 0)))
			return false;
	}
	return true;
}

/*
 * Whether the gap d (time_gap: microseconds, or TIME_GAP_INFINITE between a
 * finite and an infinite time) satisfies the time condition, whose length
 * compares as a window of common/time_window.h: a saturated length is
 * longer than every finite gap and shorter than an infinite one.
 */
static inline bool
gap_ok(const SequenceAction *act, uint64_t d)
{
	uint64_t	g = time_window_bound(act->usecs);

	switch (act->type)
	{
		case SEQ_TIME_LE:
			return d <= g;
		case SEQ_TIME_LT:
			return d < g;
		case SEQ_TIME_GE:
			return d >= g;
		case SEQ_TIME_GT:
			return d > g;
		case SEQ_TIME_EQ:
			return d == g;
		default:
			return false;
	}
}

/*
 * First k in [lo, n) whose gap from base is at least (strict: above) g, a
 * bound of time_window_bound; time_gap grows with k (the events are
 * sorted and none is before base).
 */
static int64_t
first_gap_at_least(const Matcher *m, int64_t lo, int64_t base_ts, uint64_t g, bool strict)
{
	int64_t		hi = m->n;

	while (lo < hi)
	{
		int64_t		mid = lo + (hi - lo) / 2;
		uint64_t	d = time_gap(base_ts, m->ev[mid].ts);

		if (strict ? d > g : d >= g)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

/*
 * Depth-first search from item a at event pos, in ClickHouse's order.
 * True when the rest of the pattern matches (m->end says where it ended);
 * false marks the state failed.
 */
static bool
explore(Matcher *m, int a, int64_t pos)
{
	const SequencePattern *p = m->p;
	const SequenceAction *act;
	bool		ok = false;

	if (a == p->nactions)
	{
		m->end = pos;
		return true;
	}
	if (is_dead(m, a, pos))
		return false;
	if (m->hooks->interrupt != NULL && ++m->steps % SEQ_INTERRUPT_EVERY == 0)
		m->hooks->interrupt();
	if (pos == m->n)
	{
		/* the events ran out: only items that may match nothing remain */
		if (rest_matches_empty(p, a))
		{
			m->end = pos;
			return true;
		}
		mark_dead(m, a, pos);
		return false;
	}

	act = &p->actions[a];
	switch (act->type)
	{
		case SEQ_EVENT:
			ok = (m->ev[pos].mask >> act->cond) & 1 ? explore(m, a + 1, pos + 1) : false;
			break;
		case SEQ_ANY:
			ok = explore(m, a + 1, pos + 1);
			break;
		case SEQ_STAR:
			{
				int64_t		k;

				if (a + 1 == p->nactions)
				{
					/* a trailing .* matches at once */
					ok = explore(m, a + 1, pos);
					break;
				}
				for (k = next_alive(m, a + 1, pos); k < m->n && !ok;
					 k = next_alive(m, a + 1, k + 1))
					ok = explore(m, a + 1, k);
				break;
			}
		default:
			{
				/* the base: the event just matched, or the next one after .* */
				int64_t		base = p->actions[a - 1].type == SEQ_STAR ? pos : pos - 1;
				int64_t		base_ts = m->ev[base].ts;
				uint64_t	g = time_window_bound(act->usecs);
				int64_t		lo = pos;
				int64_t		hi = m->n;
				int64_t		k;

				/* gaps grow with k: the allowed events are one range */
				if (act->type == SEQ_TIME_LE)
					hi = first_gap_at_least(m, pos, base_ts, g, true);
				else if (act->type == SEQ_TIME_LT)
					hi = first_gap_at_least(m, pos, base_ts, g, false);
				else if (act->type == SEQ_TIME_GE)
					lo = first_gap_at_least(m, pos, base_ts, g, false);
				else if (act->type == SEQ_TIME_GT)
					lo = first_gap_at_least(m, pos, base_ts, g, true);
				else
				{
					lo = first_gap_at_least(m, pos, base_ts, g, false);
					hi = first_gap_at_least(m, lo, base_ts, g, true);
				}
				if (a + 1 == p->nactions)
				{
					/* a trailing time condition: the first event it allows */
					ok = lo < hi && gap_ok(act, time_gap(base_ts, m->ev[lo].ts)) &&
						explore(m, a + 1, lo);
					break;
				}
				for (k = next_alive(m, a + 1, lo); k < hi && !ok;
					 k = next_alive(m, a + 1, k + 1))
				{
					if (gap_ok(act, time_gap(base_ts, m->ev[k].ts)))
						ok = explore(m, a + 1, k);
				}
				break;
			}
	}
	if (!ok)
		mark_dead(m, a, pos);
	return ok;
}

/* Free what matcher_init allocated. */
static void
matcher_free(Matcher *m)
{
	int			a;

	if (m->dead != NULL)
		for (a = 0; a <= m->p->nactions; a++)
			if (m->dead[a] != NULL)
				m->hooks->release(m->dead[a]);
	if (m->next != NULL)
		for (a = 0; a <= m->p->nactions; a++)
			if (m->next[a] != NULL)
				m->hooks->release(m->next[a]);
	if (m->dead != NULL)
		m->hooks->release(m->dead);
	if (m->next != NULL)
		m->hooks->release(m->next);
}

/* Allocate the failed-state bitmaps and scan pointers; false when out of memory. */
static bool
matcher_init(Matcher *m, const SequencePattern *p, const SequenceEvent *ev,
			 int64_t n, const SequenceHooks *hooks)
{
	int			a;
	size_t		words = (size_t) (n + 1 + 63) / 64;

	m->p = p;
	m->ev = ev;
	m->n = n;
	m->end = 0;
	m->steps = 0;
	m->hooks = hooks;
	m->dead = hooks->zalloc((p->nactions + 1) * sizeof(uint64_t *));
	m->next = hooks->zalloc((p->nactions + 1) * sizeof(int32_t *));
	if (m->dead == NULL || m->next == NULL)
		return false;
	for (a = 0; a <= p->nactions; a++)
	{
		m->dead[a] = hooks->zalloc(words * sizeof(uint64_t));
		if (m->dead[a] == NULL)
			return false;
		/* items reached by scanning: after .* or a time condition */
		if (a >= 1 && a < p->nactions && p->actions[a - 1].type != SEQ_EVENT &&
			p->actions[a - 1].type != SEQ_ANY)
		{
			int64_t		k;

			m->next[a] = hooks->zalloc(sizeof(int32_t) * (size_t) (n + 1));
			if (m->next[a] == NULL)
				return false;
			for (k = 0; k <= n; k++)
				m->next[a][k] = (int32_t) k;
		}
	}
	return true;
}

/*
 * Count non-overlapping matches, as ClickHouse's sequenceCount: search from
 * the first event, then again from where each match ended (one event later
 * when it consumed none).  With first_only, whether there is a match at all
 * (searching even when there are no events, as sequenceMatch does).
 */
int64_t
sequence_pattern_count(const SequencePattern *p, const SequenceEvent *events,
					   int64_t n, bool first_only, const SequenceHooks *hooks)
{
	Matcher		m;
	int64_t		count = 0;
	int64_t		start = 0;

	memset(&m, 0, sizeof(m));
	m.p = p;
	m.hooks = hooks;
	if (!matcher_init(&m, p, events, n, hooks))
	{
		matcher_free(&m);
		return -1;
	}
	if (first_only)
		count = explore(&m, 0, 0) ? 1 : 0;
	else
	{
		while (start < n && explore(&m, 0, start))
		{
			count++;
			start = m.end > start ? m.end : start + 1;
		}
	}
	matcher_free(&m);
	return count;
}
