/*
 * sequence_pattern.h
 *		ClickHouse sequence patterns: compiling and matching.
 *
 * Syntax (as ClickHouse's sequenceMatch): (?N) an event where condition N
 * (1-based) holds; . any one event; .* any events; (?t<=S), (?t<S),
 * (?t>=S), (?t>S), (?t==S) a time gap of S whole seconds measured from the
 * event matched before it (S raw units over integer times:
 * sequence_pattern_compile_units).  A time condition must follow an event
 * condition, . or .*.  The pattern matches anywhere in the events (it
 * starts with an implicit .*).  Gaps follow common/time_window.h: equal
 * times are 0 apart (equal infinities too), a finite and an infinite time
 * are further apart than any S, and an S too long for int64 microseconds
 * saturates, longer than any two finite times apart.
 *
 * Pure C99 (no PostgreSQL headers) so that the compiler and the matcher are
 * unit-tested on their own (test/unit/sequence_pattern_test.c); the SQL
 * layer turns the error codes into ereports.
 */
#ifndef CONVERSIONS_SEQUENCE_PATTERN_H
#define CONVERSIONS_SEQUENCE_PATTERN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/limits.h"


typedef enum SequenceActionType
{
	SEQ_EVENT,					/* (?N) */
	SEQ_ANY,					/* . */
	SEQ_STAR,					/* .* */
	SEQ_TIME_LE,				/* (?t<=S) */
	SEQ_TIME_LT,				/* (?t<S) */
	SEQ_TIME_GE,				/* (?t>=S) */
	SEQ_TIME_GT,				/* (?t>S) */
	SEQ_TIME_EQ					/* (?t==S) */
} SequenceActionType;

typedef struct SequenceAction
{
	SequenceActionType type;
	int			cond;			/* SEQ_EVENT: 0-based condition */
	int64_t		usecs;			/* time conditions: the gap in event-time units
								 * (microseconds, or the integer times' own) */
} SequenceAction;

/* A compiled pattern: actions[0] is the implicit leading .* */
typedef struct SequencePattern
{
	int			nactions;
	uint32_t	conds_used;		/* bit N-1 set when (?N) appears */
	bool		star_chain;		/* (?N) items each after a .*, and nothing
								 * else (such as '(?1).*(?2)'): counted by
								 * a greedy scan, which finds the matches the
								 * search would */
	SequenceAction actions[SEQUENCE_MAX_ACTIONS + 1];
} SequencePattern;

typedef enum SequencePatternError
{
	SEQ_OK = 0,
	SEQ_ERR_EMPTY,				/* nothing but blanks */
	SEQ_ERR_UNEXPECTED,			/* a character that starts no item */
	SEQ_ERR_UNCLOSED,			/* (?N or (?t<=S without ) */
	SEQ_ERR_NUMBER,				/* no number where one is needed */
	SEQ_ERR_TIME_OPERATOR,		/* (?t followed by no operator */
	SEQ_ERR_CONDITION_RANGE,	/* (?0), or N above the conditions given */
	SEQ_ERR_TIME_PLACEMENT,		/* a time condition after a time condition */
	SEQ_ERR_TOO_LONG			/* more than SEQUENCE_MAX_ACTIONS items */
} SequencePatternError;

/*
 * One event: its timestamp (microseconds, -infinity and infinity as
 * INT64_MIN and INT64_MAX, as PostgreSQL stores them) and the conditions
 * it matched.
 */
typedef struct SequenceEvent
{
	int64_t		ts;
	uint32_t	mask;
} SequenceEvent;

extern SequencePatternError sequence_pattern_compile(const char *pattern, int len,
													 int nconds,
													 SequencePattern *out,
													 int *error_pos);
extern SequencePatternError sequence_pattern_compile_units(const char *pattern, int len,
														   int nconds, int64_t unit,
														   SequencePattern *out,
														   int *error_pos);
extern const char *sequence_pattern_error_text(SequencePatternError err);

/*
 * How the matcher gets memory and lets the caller cancel: zalloc returns
 * zeroed memory or NULL, release frees it, interrupt (may be NULL) is
 * called now and then.  The server passes palloc-based hooks, so a cancel
 * that leaves the matcher by longjmp loses nothing.
 */
typedef struct SequenceHooks
{
	void	   *(*zalloc) (size_t size);
	void		(*release) (void *ptr);
	void		(*interrupt) (void);
} SequenceHooks;

/*
 * Bytes sequence_pattern_count allocates (in one zalloc) to match p over n
 * events: one bit per event and item, plus 1/63 of that for summaries, in
 * 64-bit words; about nactions / 8 bytes per event.  Callers check it
 * against their memory limit before matching.
 */
extern size_t sequence_pattern_matcher_bytes(const SequencePattern *p, int64_t n);

/*
 * Count non-overlapping matches in events sorted by (ts, mask), as
 * ClickHouse's sequenceCount; with first_only, stop at the first (for
 * sequenceMatch).  Returns -1 when out of memory.
 */
extern int64_t sequence_pattern_count(const SequencePattern *p,
									  const SequenceEvent *events, int64_t n,
									  bool first_only,
									  const SequenceHooks *hooks);

/*
 * The events of the (?N) items of the first match, in pattern order, or,
 * without a match, of the first longest chain that matches a prefix of the
 * pattern (ClickHouse's sequenceMatchEvents).  out has room for one index
 * per (?N) item; returns how many were written, -1 when out of memory.
 */
extern int	sequence_pattern_events(const SequencePattern *p,
									const SequenceEvent *events, int64_t n,
									int64_t *out, bool *matched,
									const SequenceHooks *hooks);

#endif							/* CONVERSIONS_SEQUENCE_PATTERN_H */
