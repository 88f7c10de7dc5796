/*
 * event_buffer.h
 *		Per-group buffer of (timestamp, step mask) events for funnel aggregates.
 *
 * One entry is kept per input row that matched at least one step (or, in
 * modes that need them, per row that matched none).  The buffer grows
 * geometrically in the aggregate memory context and remembers whether rows
 * arrived in canonical order, so the final function sorts only when needed.
 */
#ifndef CONVERSIONS_EVENT_BUFFER_H
#define CONVERSIONS_EVENT_BUFFER_H

#include "postgres.h"

#include "utils/memutils.h"

/* Most steps (conditions) a funnel may have: one bit each in a uint32 mask. */
#define FUNNEL_MAX_STEPS 32

struct FunnelOptions;
struct FunnelValues;

/*
 * The parts of a funnel's definition that are strings, shared by every
 * group of a query: the step names of funnel_agg(..., event, steps) (one
 * per step, then one per exclusion), each NUL-terminated, followed, when
 * funnel_agg options are set, by their canonical string; or a sequence
 * pattern.  `options` is that string parsed.
 */
typedef struct FunnelLabels
{
	const struct FunnelOptions *options;	/* NULL when none is set */
	int32		size;			/* bytes of data */
	char		data[FLEXIBLE_ARRAY_MEMBER];
} FunnelLabels;

/* Longest step label, in bytes. */
#define FUNNEL_MAX_LABEL 1024

/* Longest canonical options string, in bytes. */
#define FUNNEL_MAX_OPTIONS 4096

/* Most bytes of a labels blob: names of 32 conditions, then options. */
#define FUNNEL_MAX_LABELS_SIZE \
	(FUNNEL_MAX_STEPS * (FUNNEL_MAX_LABEL + 1) + FUNNEL_MAX_OPTIONS + 1)

/*
 * One input row: its timestamp (microseconds), the conditions it matched
 * (steps, then exclusions) and, for funnel_agg with hold or breakdown
 * values, the tag of its value pair (funnel_values.h), else 0.
 */
typedef struct FunnelEvent
{
	int64		ts;
	uint32		mask;
	uint32		tag;
} FunnelEvent;

/*
 * Aggregate state: the funnel's definition (window, modes, step count), fixed
 * by the group's first row, followed by its events in the same allocation.
 * One chunk per group keeps the memory touched per row small, which matters
 * when hash aggregation holds hundreds of thousands of groups at once.
 */
typedef struct EventBuffer
{
	int64		window;			/* microseconds, >= 0 */
	const FunnelLabels *labels; /* step labels, or NULL */
	struct FunnelValues *values;	/* value pairs of the tags, or NULL */
	uint32		modes;			/* FUNNEL_MODE_* bits */
	int16		nsteps;			/* funnel steps, 1 .. FUNNEL_MAX_STEPS */
	bool		sorted;			/* events are in (ts, mask, tag) order */
	bool		local_time;		/* timestamps are timestamp without time zone */
	int32		nevents;
	int32		capacity;
	FunnelEvent events[FLEXIBLE_ARRAY_MEMBER];
} EventBuffer;

#define EVENT_BUFFER_HEADER offsetof(EventBuffer, events)

/* Most events one group may hold: the state must stay one palloc chunk. */
#define EVENT_BUFFER_MAX_EVENTS \
	((int32) ((MaxAllocSize - EVENT_BUFFER_HEADER) / sizeof(FunnelEvent)))

extern EventBuffer *event_buffer_create(MemoryContext cxt, int64 window,
										uint32 modes, int32 nsteps,
										int32 capacity);
extern EventBuffer *event_buffer_grow(EventBuffer *buf, int64 needed);
extern void event_buffer_check_definition(const EventBuffer *buf, int64 window,
										  uint32 modes, int32 nsteps);
extern void event_buffer_check_labels(const EventBuffer *buf,
									  const FunnelLabels *labels);
extern EventBuffer *event_buffer_merge(EventBuffer *dst, const EventBuffer *src);
extern void event_buffer_sort(EventBuffer *buf);
extern bool funnel_labels_valid(const char *data, Size size, int nsteps, int max_len);
extern bool funnel_definition_labels_valid(const char *data, Size size, int nnames,
										   bool has_options);
extern const char *funnel_labels_options(const char *data, Size size);
extern bytea *event_buffer_serialize(const EventBuffer *buf);
extern EventBuffer *event_buffer_deserialize(bytea *bytes, MemoryContext cxt);

/* Canonical order of events: by timestamp, then step mask, then tag. */
static inline int
funnel_event_cmp(const FunnelEvent *a, const FunnelEvent *b)
{
	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if (a->mask != b->mask)
		return a->mask < b->mask ? -1 : 1;
	if (a->tag != b->tag)
		return a->tag < b->tag ? -1 : 1;
	return 0;
}

/* Conditions of a buffer: its steps, then funnel_agg's exclusions. */
static inline uint32
funnel_all_conditions(int nconds)
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
	FunnelEvent e;

	e.ts = ts;
	e.mask = mask;
	e.tag = tag;
	if (unlikely(buf->nevents >= buf->capacity))
		buf = event_buffer_grow(buf, (int64) buf->nevents + 1);
	if (buf->sorted && buf->nevents > 0 &&
		funnel_event_cmp(&buf->events[buf->nevents - 1], &e) > 0)
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

/* One run of sorted events sharing a timestamp, as the walks see it. */
typedef struct EventRun
{
	int32		end;			/* index after the run's last event */
	uint32		once;			/* steps matched by some row of the run */
	uint32		twice;			/* steps matched by two or more rows */
	uint32		other;			/* other conditions (exclusions) matched */
	bool		unmatched;		/* a row of the run matches no step */
} EventRun;

/*
 * Scan the run that starts at ev[start]; `steps` are the mask bits that
 * are steps.  Inline because the walks call it once per timestamp of every
 * group.
 */
static inline void
event_run_scan(const FunnelEvent *ev, int32 start, int32 n, uint32 steps, EventRun *run)
{
	int64		t = ev[start].ts;
	int32		j;

	run->once = 0;
	run->twice = 0;
	run->other = 0;
	run->unmatched = false;
	for (j = start; j < n && ev[j].ts == t; j++)
	{
		uint32		m = ev[j].mask & steps;

		run->other |= ev[j].mask & ~steps;
		run->unmatched |= (m == 0);
		run->twice |= run->once & m;
		run->once |= m;
	}
	run->end = j;
}

#endif							/* CONVERSIONS_EVENT_BUFFER_H */
