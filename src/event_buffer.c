/*
 * event_buffer.c
 *		Growth, merging, sorting and (de)serialization of EventBuffer.
 */
#include "postgres.h"

#include "event_buffer.h"
#include "funnel_mode.h"
#include "miscadmin.h"

#define ST_SORT sort_funnel_events
#define ST_ELEMENT_TYPE FunnelEvent
#define ST_COMPARE(a, b) funnel_event_cmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* First allocation of the events array; most entities have a few events. */
#define EVENT_BUFFER_INITIAL_CAPACITY 8

/* Version byte of the serialized state (parallel workers, spills). */
#define EVENT_BUFFER_FORMAT_VERSION 1

/*
 * Serialized layout, all fields in native byte order (the state only travels
 * between processes of one server):
 *   uint8 version, uint8 nsteps, uint16 zero, uint32 modes, int64 window,
 *   int32 nevents, then nevents times (int64 ts, uint32 mask).
 */
#define EVENT_BUFFER_HEADER_SIZE 20
#define EVENT_BUFFER_WIRE_EVENT_SIZE 12

/*
 * Make an empty buffer for one group in the aggregate context, so that it
 * lives exactly as long as the group's state.
 */
EventBuffer *
event_buffer_create(MemoryContext cxt, int64 window, uint32 modes, int32 nsteps)
{
	EventBuffer *buf = MemoryContextAlloc(cxt, sizeof(EventBuffer));

	buf->window = window;
	buf->modes = modes;
	buf->nsteps = nsteps;
	buf->sorted = true;
	buf->nevents = 0;
	buf->capacity = EVENT_BUFFER_INITIAL_CAPACITY;
	buf->events = MemoryContextAlloc(cxt, sizeof(FunnelEvent) * buf->capacity);
	return buf;
}

/*
 * Make room for at least `needed` events, doubling so that appends stay
 * amortized O(1); past the one-chunk limit the group is refused with an error
 * rather than a crash.
 */
static void
event_buffer_reserve(EventBuffer *buf, MemoryContext cxt, int64 needed)
{
	int64		newcap;

	if (needed <= buf->capacity)
		return;
	if (needed > EVENT_BUFFER_MAX_EVENTS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many events in one group for a funnel aggregate"),
				 errdetail("A group may hold at most %d events that match a step.",
						   EVENT_BUFFER_MAX_EVENTS),
				 errhint("Group by a finer key, such as user and day.")));
	CHECK_FOR_INTERRUPTS();
	newcap = Max((int64) buf->capacity * 2, needed);
	newcap = Min(newcap, (int64) EVENT_BUFFER_MAX_EVENTS);
	if (buf->events == NULL)
		buf->events = MemoryContextAlloc(cxt, sizeof(FunnelEvent) * newcap);
	else
		buf->events = repalloc(buf->events, sizeof(FunnelEvent) * newcap);
	buf->capacity = (int32) newcap;
}

/* Append when the buffer is full: grow it, then take the inline path. */
void
event_buffer_append_slow(EventBuffer *buf, MemoryContext cxt, int64 ts, uint32 mask)
{
	event_buffer_reserve(buf, cxt, (int64) buf->nevents + 1);
	event_buffer_append(buf, cxt, ts, mask);
}

/*
 * Complain unless a state and a row (or another partial state) describe the
 * same funnel: a group whose rows disagree on window, mode or step count has
 * no single answer.
 */
void
event_buffer_check_definition(const EventBuffer *buf, int64 window,
							  uint32 modes, int32 nsteps)
{
	if (buf->nsteps != nsteps)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel step count differs between rows of one group: %d and %d",
						buf->nsteps, nsteps),
				 errhint("Pass the same number of step conditions on every row.")));
	if (buf->window != window)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel window differs between rows of one group"),
				 errhint("Pass a constant window, such as interval '1 day'.")));
	if (buf->modes != modes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel mode differs between rows of one group"),
				 errhint("Pass a constant mode string.")));
}

/*
 * Add all of src's events to dst (combine step of parallel aggregation).
 * Order is restored lazily by the final function.
 */
void
event_buffer_merge(EventBuffer *dst, const EventBuffer *src, MemoryContext cxt)
{
	event_buffer_check_definition(dst, src->window, src->modes, src->nsteps);
	if (src->nevents == 0)
		return;
	event_buffer_reserve(dst, cxt, (int64) dst->nevents + src->nevents);
	if (dst->sorted && dst->nevents > 0 &&
		(!src->sorted ||
		 funnel_event_cmp(&dst->events[dst->nevents - 1], &src->events[0]) > 0))
		dst->sorted = false;
	else if (dst->nevents == 0)
		dst->sorted = src->sorted;
	memcpy(dst->events + dst->nevents, src->events,
		   sizeof(FunnelEvent) * src->nevents);
	dst->nevents += src->nevents;
}

/*
 * Put events in canonical (ts, mask) order.  The result is the same multiset
 * of events, so the state stays valid for further rows; that is why the final
 * functions may call this and still count as read-only.
 */
void
event_buffer_sort(EventBuffer *buf)
{
	if (buf->sorted)
		return;
	sort_funnel_events(buf->events, buf->nevents);
	buf->sorted = true;
}

/* Flatten the state into a bytea for parallel workers and hash spills. */
bytea *
event_buffer_serialize(const EventBuffer *buf)
{
	Size		len = VARHDRSZ + EVENT_BUFFER_HEADER_SIZE +
		(Size) buf->nevents * EVENT_BUFFER_WIRE_EVENT_SIZE;
	bytea	   *out = palloc(len);
	char	   *p = VARDATA(out);
	uint8		version = EVENT_BUFFER_FORMAT_VERSION;
	uint8		nsteps = (uint8) buf->nsteps;
	uint16		zero = 0;
	int32		i;

	SET_VARSIZE(out, len);
	memcpy(p, &version, 1);
	memcpy(p + 1, &nsteps, 1);
	memcpy(p + 2, &zero, 2);
	memcpy(p + 4, &buf->modes, 4);
	memcpy(p + 8, &buf->window, 8);
	memcpy(p + 16, &buf->nevents, 4);
	p += EVENT_BUFFER_HEADER_SIZE;
	for (i = 0; i < buf->nevents; i++)
	{
		memcpy(p, &buf->events[i].ts, 8);
		memcpy(p + 8, &buf->events[i].mask, 4);
		p += EVENT_BUFFER_WIRE_EVENT_SIZE;
	}
	return out;
}

/* Error for a serialized state that cannot be trusted. */
static void
event_buffer_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid serialized funnel state: %s", what),
			 errhint("The state was not produced by this version of the conversions extension.")));
}

/*
 * Rebuild a state from event_buffer_serialize's output, checking version,
 * counts, length, modes and masks before using any of them.
 */
EventBuffer *
event_buffer_deserialize(bytea *bytes, MemoryContext cxt)
{
	Size		len = VARSIZE_ANY_EXHDR(bytes);
	const char *p = VARDATA_ANY(bytes);
	uint8		version;
	uint8		nsteps;
	uint16		zero;
	uint32		modes;
	int64		window;
	int32		nevents;
	uint32		allowed_masks;
	EventBuffer *buf;
	int32		i;

	if (len < EVENT_BUFFER_HEADER_SIZE)
		event_buffer_corrupt("too short");
	memcpy(&version, p, 1);
	memcpy(&nsteps, p + 1, 1);
	memcpy(&zero, p + 2, 2);
	memcpy(&modes, p + 4, 4);
	memcpy(&window, p + 8, 8);
	memcpy(&nevents, p + 16, 4);
	if (version != EVENT_BUFFER_FORMAT_VERSION)
		event_buffer_corrupt("unknown format version");
	if (nsteps < 1 || nsteps > FUNNEL_MAX_STEPS || zero != 0)
		event_buffer_corrupt("bad step count");
	if ((modes & ~FUNNEL_MODE_ALL) != 0 || window < 0)
		event_buffer_corrupt("bad window or mode");
	if (nevents < 0 || nevents > EVENT_BUFFER_MAX_EVENTS ||
		len != EVENT_BUFFER_HEADER_SIZE + (Size) nevents * EVENT_BUFFER_WIRE_EVENT_SIZE)
		event_buffer_corrupt("event count does not match length");

	allowed_masks = nsteps == 32 ? PG_UINT32_MAX : ((uint32) 1 << nsteps) - 1;
	buf = event_buffer_create(cxt, window, modes, nsteps);
	event_buffer_reserve(buf, cxt, nevents);
	p += EVENT_BUFFER_HEADER_SIZE;
	for (i = 0; i < nevents; i++)
	{
		int64		ts;
		uint32		mask;

		memcpy(&ts, p, 8);
		memcpy(&mask, p + 8, 4);
		p += EVENT_BUFFER_WIRE_EVENT_SIZE;
		if ((mask & ~allowed_masks) != 0 ||
			(mask == 0 && !(modes & FUNNEL_MODE_STRICT_ORDER)))
			event_buffer_corrupt("bad step mask");
		event_buffer_append(buf, cxt, ts, mask);
	}
	return buf;
}
