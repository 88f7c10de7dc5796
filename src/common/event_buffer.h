/*
 * event_buffer.h
 *		Per-group buffer of (timestamp, condition mask, tag) events, shared
 *		by every aggregate that keeps its group's rows: window_funnel,
 *		funnel_agg, sequence_match, sequence_count, attribution_agg and
 *		path_agg.
 *
 * One entry is kept per input row that matched at least one condition (or,
 * where a family needs them, per row that matched none).  The buffer grows
 * geometrically in the aggregate memory context and remembers whether rows
 * arrived in canonical order, so the final function sorts only when needed.
 * The buffer knows no family: each describes itself with an
 * EventBufferKind, checks its own definition, and validates a deserialized
 * state after event_buffer_unpack's generic checks.
 */
#ifndef CONVERSIONS_EVENT_BUFFER_H
#define CONVERSIONS_EVENT_BUFFER_H

#include "postgres.h"

#include "common/limits.h"
#include "common/pg_compat.h"
#include "utils/memutils.h"

/*
 * State kinds: which family a buffer belongs to.  The kind travels with a
 * serialized state (above the family's flags), so that a state of one kind
 * is never taken for another.
 */
#define EVENT_KIND_FUNNEL		0	/* window_funnel, funnel_agg: flags are modes */
#define EVENT_KIND_PATTERN		1	/* sequence_match/count: labels hold the pattern */
#define EVENT_KIND_ATTRIBUTION	2	/* attribution_agg: labels hold the model */
#define EVENT_KIND_PATHS		3	/* path_agg: labels hold the options */
#define EVENT_KIND_COUNT		4

/* The bits a family's flags may use: they travel below the kind's id. */
#define EVENT_KIND_FLAGS		0xFF

/*
 * EventBuffer.time_flags: ts is microseconds of a timestamptz unless one of
 * these says otherwise (messages and reports print it accordingly).
 */
#define EVENT_TIME_LOCAL	0x01	/* timestamp without time zone */
#define EVENT_TIME_INTEGER	0x02	/* a bigint time in the column's own units */

/* What the buffer needs to know of a family: what to call it in messages. */
typedef struct EventBufferKind
{
	uint8		id;				/* EVENT_KIND_* */
	uint16		flags;			/* every flag the family may set in `modes`,
								 * within EVENT_KIND_FLAGS */
	const char *aggregates;		/* the aggregates it serves, for messages */
	char	   *(*flags_to_string) (uint32 flags);	/* `modes` for messages */
} EventBufferKind;

/*
 * Each kind's description, indexed by id.  Defined where the families are
 * put together (conversions.c), so that this layer names none of them.
 */
extern const EventBufferKind *const event_buffer_kinds[EVENT_KIND_COUNT];

/*
 * The parts of a definition that are strings, shared by every group of a
 * query: step names (one per condition), a sequence pattern or an
 * attribution model, each NUL-terminated.  With `tail`, the last string is
 * a definition the family parses (funnel_agg's options) into `parsed`,
 * `parsed_size` bytes copied along with the labels.
 */
typedef struct EventLabels
{
	const void *parsed;			/* NULL when not parsed (yet) */
	Size		parsed_size;
	bool		tail;			/* the last string is the family's definition */
	int32		size;			/* bytes of data */
	char		data[FLEXIBLE_ARRAY_MEMBER];
} EventLabels;

/*
 * One input row: its timestamp (microseconds), the conditions it matched
 * and, for families with values (funnel_agg's hold and breakdown,
 * attribution's touches and conversion values), the tag of its value pair
 * (value_pairs.h), else 0.
 */
typedef struct BufferedEvent
{
	int64		ts;
	uint32		mask;
	uint32		tag;
} BufferedEvent;

/*
 * Aggregate state: the definition (window, flags, condition count), fixed
 * by the group's first row, followed by its events in the same allocation.
 * One chunk per group keeps the memory touched per row small, which matters
 * when hash aggregation holds hundreds of thousands of groups at once.
 */
typedef struct EventBuffer
{
	uint32		tag;			/* EVENT_BUFFER_TAG + EVENT_KIND_* */
	int32		nevents;
	int64		window;			/* microseconds, >= 0 */
	const EventLabels *labels;	/* definition strings, or NULL */
	struct ValuePairs *values;	/* value pairs of the tags, or NULL */
	int32		capacity;
	uint8		modes;			/* the family's flags (funnel modes), within
								 * EVENT_KIND_FLAGS */
	uint8		nsteps;			/* conditions, 1 .. MAX_CONDITIONS */
	bool		sorted;			/* events are in (ts, mask, tag) order */
	uint8		time_flags;		/* EVENT_TIME_*: what kind of time ts holds */
	BufferedEvent events[FLEXIBLE_ARRAY_MEMBER];
} EventBuffer;

#define EVENT_BUFFER_HEADER offsetof(EventBuffer, events)

/*
 * The tag that starts every buffer (common/state_tag.h tells the states of
 * all families apart by it): EVENT_BUFFER_TAG plus the EVENT_KIND_* in the
 * low byte.
 */
#define EVENT_BUFFER_TAG		0x43564500	/* "CVE" + event kind */
#define EVENT_BUFFER_TAG_KIND	0x000000FF

/* The EVENT_KIND_* of a buffer: the low byte of its tag. */
#define event_buffer_kind_id(buf) ((buf)->tag & EVENT_BUFFER_TAG_KIND)

/* Most events one group may hold: the state must stay one palloc chunk. */
#define EVENT_BUFFER_MAX_EVENTS \
	((int32) ((MaxAllocSize - EVENT_BUFFER_HEADER) / sizeof(BufferedEvent)))

extern EventBuffer *event_buffer_create(MemoryContext cxt, const EventBufferKind *kind,
										int64 window, uint32 modes, int32 nsteps,
										int32 capacity);
extern EventBuffer *event_buffer_grow(EventBuffer *buf, int64 needed);
extern void event_buffer_check_definition(const EventBuffer *buf, int64 window,
										  uint32 modes, int32 nsteps);
extern void event_buffer_check_labels(const EventBuffer *buf,
									  const EventLabels *labels);
extern EventBuffer *event_buffer_merge(EventBuffer *dst, const EventBuffer *src);
extern void event_buffer_sort(EventBuffer *buf);
extern bool event_labels_strings_valid(const char *data, Size size, int nstrings,
									   int max_len);
extern bytea *event_buffer_pack(const EventBuffer *buf);
extern EventBuffer *event_buffer_unpack(bytea *bytes, MemoryContext cxt,
										const EventBufferKind *kind);
pg_noreturn extern void event_buffer_corrupt(const char *what);
extern void event_buffer_check_masks(const EventBuffer *buf, uint32 allowed, bool zero_ok);

/* Canonical order of events: by timestamp, then step mask, then tag. */
static inline int
buffered_event_cmp(const BufferedEvent *a, const BufferedEvent *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->mask != b->mask)
		return a->mask < b->mask ? -1 : 1;
	if (a->tag != b->tag)
		return a->tag < b->tag ? -1 : 1;
	return 0;
}

/* The mask bits of nconds conditions. */
static inline uint32
condition_bits(int nconds)
{
	return nconds >= 32 ? PG_UINT32_MAX : ((uint32) 1 << nconds) - 1;
}

/*
 * Add one event and return the state, which moves when it grows.  Inline
 * because it runs once per input row: the common case (room left, rows in
 * order) costs a compare and a store.
 */
static inline EventBuffer *
event_buffer_append_tag(EventBuffer *buf, int64 ts, uint32 mask, uint32 tag)
{
	BufferedEvent e;

	e.ts = ts;
	e.mask = mask;
	e.tag = tag;
	if (unlikely(buf->nevents >= buf->capacity))
		buf = event_buffer_grow(buf, (int64) buf->nevents + 1);
	if (buf->sorted && buf->nevents > 0 &&
		buffered_event_cmp(&buf->events[buf->nevents - 1], &e) > 0)
		buf->sorted = false;
	buf->events[buf->nevents++] = e;
	return buf;
}

/* Add one event without a value tag. */
static inline EventBuffer *
event_buffer_append(EventBuffer *buf, int64 ts, uint32 mask)
{
	return event_buffer_append_tag(buf, ts, mask, 0);
}

#endif							/* CONVERSIONS_EVENT_BUFFER_H */
