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
 * event; the failed states are bitmaps with summary levels, which find the
 * next state still worth trying in a few word reads (one bit per item and
 * event in all), and a binary search finds the events a time condition
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
 * Compile a pattern for nconds conditions, over timestamps: a time
 * condition's S is seconds.  On error, returns the code and sets
 * *error_pos to the 0-based offset of the offending item.
 */
SequencePatternError
sequence_pattern_compile(const char *s, int len, int nconds,
						 SequencePattern *out, int *error_pos)
{
	return sequence_pattern_compile_units(s, len, nconds, 1000000, out, error_pos);
}

/*
 * Whether the pattern has only (?N) items and .*, at least one (?N), and a
 * .* right before each (?N) (the implicit leading one counts; a run of .*
 * matches what one does): then the search's first match from any event is
 * the greedy one, each (?N) at the first event after the previous that
 * meets its condition (for any match q1 < q2 < ..., the greedy events come
 * at or before them, one by one), so sequence_pattern_count needs no search.
 */
static bool
is_star_chain(const SequencePattern *p)
{
	bool		event = false;
	int			a;

	for (a = 1; a < p->nactions; a++)
	{
		if (p->actions[a].type == SEQ_EVENT)
		{
			if (p->actions[a - 1].type != SEQ_STAR)
				return false;
			event = true;
		}
		else if (p->actions[a].type != SEQ_STAR)
			return false;
	}
	return event;
}

/*
 * Compile a pattern whose time conditions' S counts `unit` event-time units
 * each (1000000 for timestamps in microseconds: seconds; 1 for integer
 * times: S is a raw difference, as ClickHouse's over UInt columns).
 */
SequencePatternError
sequence_pattern_compile_units(const char *s, int len, int nconds, int64_t unit,
							   SequencePattern *out, int *error_pos)
{
	int			pos = 0;

	out->nactions = 1;
	out->conds_used = 0;
	out->star_chain = false;
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
				act.usecs = v > (uint64_t) (INT64_MAX / unit) ?
					INT64_MAX : (int64_t) v * unit;
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
	out->star_chain = is_star_chain(out);
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

/*
 * Failed states, one set per item: bit k of level 0 is set when state
 * (item, k) failed; bit j of level l + 1 is set when word j of level l is
 * full, so that the next state still worth trying is found reading one word
 * per level.  Bits past the end of a level are set.  That is one bit per
 * event and item, plus 1/63 for the summaries (earlier versions kept an
 * int32 per event for every item after .* or a time condition).  Every
 * item's set has the same shape; they lie back to back in one array.
 */
#define SEQ_MAX_LEVELS 8		/* 64^8 bits: far more than 2^31 events */

typedef struct Matcher
{
	const SequencePattern *p;
	const SequenceEvent *ev;
	int64_t		n;
	int			nlevels;
	size_t		level_words[SEQ_MAX_LEVELS];	/* the last level has one */
	size_t		level_start[SEQ_MAX_LEVELS];	/* offset in an item's words */
	size_t		item_words;		/* words of one item's set */
	uint64_t   *words;			/* nactions sets of item_words words */
	int64_t		end;			/* where the match found last ended */
	uint32_t	steps;
	const SequenceHooks *hooks;
	/* sequence_pattern_events only (track set): the chain being tried */
	bool		track;
	int			items_before[SEQUENCE_MAX_ACTIONS + 2]; /* (?N) items before item a */
	int64_t		path[SEQUENCE_MAX_ACTIONS + 1]; /* event of each (?N) item so far */
	int64_t		longest[SEQUENCE_MAX_ACTIONS + 1];	/* the first longest chain */
	int			longest_len;
} Matcher;

/* The shape of the failed sets over n events (states 0..n). */
static void
matcher_shape(Matcher *m, int64_t n)
{
	uint64_t	bits = (uint64_t) n + 1;

	m->nlevels = 0;
	m->item_words = 0;
	do
	{
		m->level_start[m->nlevels] = m->item_words;
		m->level_words[m->nlevels] = (size_t) ((bits + 63) / 64);
		m->item_words += m->level_words[m->nlevels];
		bits = m->level_words[m->nlevels];
		m->nlevels++;
	} while (bits > 1 && m->nlevels < SEQ_MAX_LEVELS);
}

/* Bytes the matcher allocates for n events (see the header). */
size_t
sequence_pattern_matcher_bytes(const SequencePattern *p, int64_t n)
{
	Matcher		m;

	matcher_shape(&m, n);
	return (size_t) p->nactions * m.item_words * sizeof(uint64_t);
}

/* Word w of level l of item a's failed set. */
static inline uint64_t *
failed_word(const Matcher *m, int a, int l, uint64_t w)
{
	return &m->words[(size_t) a * m->item_words + m->level_start[l] + (size_t) w];
}

/* Whether state (a, pos) failed before. */
static inline bool
is_dead(const Matcher *m, int a, int64_t pos)
{
	return (*failed_word(m, a, 0, (uint64_t) pos >> 6) >> (pos & 63)) & 1;
}

/* Mark state (a, pos) failed, and every summary whose word it fills. */
static void
mark_dead(Matcher *m, int a, int64_t pos)
{
	uint64_t	bit = (uint64_t) pos;
	int			l;

	for (l = 0; l < m->nlevels; l++)
	{
		uint64_t   *word = failed_word(m, a, l, bit >> 6);
		uint64_t	old = *word;

		*word = old | (uint64_t) 1 << (bit & 63);
		if (*word == old || *word != ~(uint64_t) 0)
			break;
		bit >>= 6;
	}
}

/* Index of the lowest set bit of x != 0. */
static inline int
lowest_bit(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_ctzll(x);
#else
	int			i = 0;

	while (!(x & 1))
	{
		x >>= 1;
		i++;
	}
	return i;
#endif
}

/* The first state of item a at or after pos that has not failed (n if none). */
static int64_t
next_alive(const Matcher *m, int a, int64_t pos)
{
	uint64_t	bit = (uint64_t) pos;
	uint64_t	clear;
	int			l = 0;

	/* up: the first level with a clear bit at or after the position */
	for (;;)
	{
		if ((bit >> 6) >= m->level_words[l])
			return m->n;		/* past the last word: nothing is left */
		clear = ~*failed_word(m, a, l, bit >> 6) & (~(uint64_t) 0 << (bit & 63));
		if (clear != 0)
			break;
		if (l + 1 == m->nlevels)
			return m->n;		/* the top word is full: every state failed */
		/* the next word of this level is the next bit of the level above */
		bit = (bit >> 6) + 1;
		l++;
	}
	bit = (bit & ~(uint64_t) 63) + (uint64_t) lowest_bit(clear);
	/* down: a clear bit of a summary stands for a word with a clear bit */
	while (l > 0)
	{
		l--;
		bit = bit * 64 + (uint64_t) lowest_bit(~*failed_word(m, a, l, bit));
	}
	return bit < (uint64_t) m->n ? (int64_t) bit : m->n;
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

	/*
	 * Reaching (a, pos) means the items before a matched: the chain of their
	 * (?N) events is a candidate for the longest one; the first of each
	 * length is kept.  A state already failed was reached before, so its
	 * chains were counted then.
	 */
	if (m->track && m->items_before[a] > m->longest_len)
	{
		m->longest_len = m->items_before[a];
		memcpy(m->longest, m->path, sizeof(int64_t) * (size_t) m->longest_len);
	}
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
			if ((m->ev[pos].mask >> act->cond) & 1)
			{
				m->path[m->items_before[a]] = pos;
				ok = explore(m, a + 1, pos + 1);
			}
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

/*
 * Allocate the failed sets (zeroed) and set their bits past the end; false
 * when out of memory.
 */
static bool
matcher_init(Matcher *m, const SequencePattern *p, const SequenceEvent *ev,
			 int64_t n, const SequenceHooks *hooks)
{
	int			a,
				l;

	m->p = p;
	m->ev = ev;
	m->n = n;
	m->end = 0;
	m->steps = 0;
	m->hooks = hooks;
	m->track = false;
	m->longest_len = 0;
	m->items_before[0] = 0;
	for (a = 0; a < p->nactions; a++)
		m->items_before[a + 1] = m->items_before[a] + (p->actions[a].type == SEQ_EVENT);
	matcher_shape(m, n);
	m->words = hooks->zalloc(sequence_pattern_matcher_bytes(p, n));
	if (m->words == NULL)
		return false;
	for (a = 0; a < p->nactions; a++)
	{
		uint64_t	bits = (uint64_t) n + 1;

		for (l = 0; l < m->nlevels; l++)
		{
			if (bits % 64 != 0)
				*failed_word(m, a, l, m->level_words[l] - 1) = ~(uint64_t) 0 << (bits % 64);
			bits = m->level_words[l];
		}
	}
	return true;
}

/*
 * sequence_pattern_count of a star chain (is_star_chain): each (?N) at the
 * first event after the previous one that meets its condition; a match
 * ends after its last (?N) event and the next search starts there, as
 * explore's would.  One pass over the events, no memory.
 */
static int64_t
star_chain_count(const SequencePattern *p, const SequenceEvent *events, int64_t n,
				 bool first_only, const SequenceHooks *hooks)
{
	int64_t		count = 0;
	int64_t		pos = 0;

	for (;;)
	{
		int			a;

		for (a = 1; a < p->nactions; a++)
		{
			uint32_t	bit;

			if (p->actions[a].type == SEQ_STAR)
				continue;
			bit = (uint32_t) 1 << p->actions[a].cond;
			/* each event is looked at once, by one item */
			for (; pos < n; pos++)
			{
				if (pos % SEQ_INTERRUPT_EVERY == SEQ_INTERRUPT_EVERY - 1 &&
					hooks->interrupt != NULL)
					hooks->interrupt();
				if (events[pos].mask & bit)
					break;
			}
			if (pos == n)
				return count;
			pos++;
		}
		count++;
		if (first_only || pos == n)
			return count;
	}
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

	if (p->star_chain)
		return star_chain_count(p, events, n, first_only, hooks);
	if (!matcher_init(&m, p, events, n, hooks))
		return -1;
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
	hooks->release(m.words);
	return count;
}

/*
 * The events of ClickHouse's sequenceMatchEvents: those of the (?N) items
 * of the first match (the one sequence_pattern_count finds first), or, when
 * the pattern does not match, of the longest chain that matches a prefix of
 * the pattern (the first such chain in the search order).  Writes their
 * indexes in events to out (room for one per (?N) item) and returns how
 * many there are; -1 when out of memory.  *matched says whether the whole
 * pattern matched.
 */
int
sequence_pattern_events(const SequencePattern *p, const SequenceEvent *events,
						int64_t n, int64_t *out, bool *matched,
						const SequenceHooks *hooks)
{
	Matcher    *m = hooks->zalloc(sizeof(Matcher));
	int			len;

	if (m == NULL)
		return -1;
	if (!matcher_init(m, p, events, n, hooks))
	{
		hooks->release(m);
		return -1;
	}
	m->track = true;
	*matched = explore(m, 0, 0);
	if (*matched)
	{
		/* the path is intact: nothing writes it on the way back from a match */
		len = m->items_before[p->nactions];
		memcpy(out, m->path, sizeof(int64_t) * (size_t) len);
	}
	else
	{
		len = m->longest_len;
		memcpy(out, m->longest, sizeof(int64_t) * (size_t) len);
	}
	hooks->release(m->words);
	hooks->release(m);
	return len;
}
