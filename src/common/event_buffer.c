/*
 * event_buffer.c
 *		Growth, merging, sorting and packing of EventBuffer, and the generic
 *		checks of a packed state (each family adds its own).
 */
#include "postgres.h"

#include "common/event_buffer.h"
#include "common/group_limits.h"
#include "common/interval_usecs.h"
#include "common/pg_compat.h"
#include "common/value_pairs.h"
#include "miscadmin.h"

StaticAssertDecl(GROUP_MAX_EVENTS_LIMIT == EVENT_BUFFER_MAX_EVENTS,
				 "conversions.max_group_events must stop at one event buffer");

#define ST_SORT sort_funnel_events
#define ST_ELEMENT_TYPE BufferedEvent
#define ST_COMPARE(a, b) buffered_event_cmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#define ST_CHECK_FOR_INTERRUPTS	/* a group may hold 67 million rows */
#include "lib/sort_template.h"

/* Version byte of the serialized state (parallel workers, spills). */
#define EVENT_BUFFER_FORMAT_VERSION 3

/*
 * Serialized layout, all fields in native byte order (the state only travels
 * between processes of one server):
 *   uint8 version, uint8 nsteps, uint8 flags, uint8 zero, uint32 kind id
 *   << 8 | modes, int64 window, int32 nevents, int32 labels_size, then labels_size
 *   bytes of labels (EventLabels.data), then, with WIRE_VALUES, the value
 *   pairs (value_pairs_write), then nevents times (int64 ts, uint32 mask)
 *   and, with WIRE_VALUES, uint32 tag.
 */
#define EVENT_BUFFER_HEADER_SIZE 24
#define WIRE_TAIL		0x01	/* EventLabels.tail: labels end with a definition */
#define WIRE_LOCAL_TIME	0x02	/* EVENT_TIME_LOCAL */
#define WIRE_VALUES		0x04	/* value pairs and tags follow */
#define WIRE_INTEGER_TIME 0x08	/* EVENT_TIME_INTEGER */
#define WIRE_FLAGS_KNOWN 0x0F

/* Size of a new group's state; a power of two, as the allocator rounds up. */
#define EVENT_BUFFER_FIRST_CHUNK 64

/* Bytes of a state with room for `capacity` events. */
static inline Size
event_buffer_size(int64 capacity)
{
	return EVENT_BUFFER_HEADER + (Size) capacity * sizeof(BufferedEvent);
}

/*
 * Make an empty state for one group in the aggregate context, so that it
 * lives exactly as long as the group.  A capacity of 0 picks the smallest
 * chunk, room for two events (a 128-byte first chunk measured no faster).
 */
EventBuffer *
event_buffer_create(MemoryContext cxt, const EventBufferKind *kind, int64 window,
					uint32 modes, int32 nsteps, int32 capacity)
{
	EventBuffer *buf;

	if (capacity <= 0)
		capacity = (EVENT_BUFFER_FIRST_CHUNK - EVENT_BUFFER_HEADER) / sizeof(BufferedEvent);
	buf = MemoryContextAlloc(cxt, event_buffer_size(capacity));
	buf->window = window;
	buf->tag = EVENT_BUFFER_TAG | kind->id;
	buf->labels = NULL;
	buf->values = NULL;
	buf->time_flags = 0;
	buf->modes = modes;
	buf->nsteps = (uint8) nsteps;
	buf->sorted = true;
	buf->nevents = 0;
	buf->capacity = capacity;
	return buf;
}

/*
 * Return the state with room for at least `needed` events.  The size doubles
 * as a power of two, so appends stay amortized O(1) and every byte of the
 * allocator's power-of-two chunk is used; past the one-chunk limit the group
 * is refused with an error rather than a crash.
 */
EventBuffer *
event_buffer_grow(EventBuffer *buf, int64 needed)
{
	Size		bytes;
	int64		newcap;

	if (needed <= buf->capacity)
		return buf;
	group_events_check(needed, event_buffer_kinds[event_buffer_kind_id(buf)]->aggregates);
	CHECK_FOR_INTERRUPTS();
	bytes = EVENT_BUFFER_FIRST_CHUNK;
	while (bytes < event_buffer_size(needed) || bytes < 2 * event_buffer_size(buf->capacity))
		bytes *= 2;
	/* never past the setting, so that the row after it comes back here */
	newcap = Min((int64) ((bytes - EVENT_BUFFER_HEADER) / sizeof(BufferedEvent)),
				 (int64) conversions_max_group_events);
	buf = repalloc(buf, event_buffer_size(newcap));
	buf->capacity = (int32) newcap;
	return buf;
}

/* A window for a message: an interval, or a number of an integer ts's units. */
static char *
window_string(const EventBuffer *buf, int64 window)
{
	if (buf->time_flags & EVENT_TIME_INTEGER)
		return psprintf(INT64_FORMAT, window);
	return interval_usecs_to_string(window);
}

/* A family's flags for a message. */
static char *
flags_string(const EventBuffer *buf, uint32 flags)
{
	const EventBufferKind *kind = event_buffer_kinds[event_buffer_kind_id(buf)];

	return kind->flags_to_string ? kind->flags_to_string(flags) : psprintf("0x%x", flags);
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
				 errmsg("funnel window differs between rows of one group: %s and %s",
						window_string(buf, buf->window), window_string(buf, window)),
				 (buf->time_flags & EVENT_TIME_INTEGER) ?
				 errhint("Pass a constant window, such as 3600.") :
				 errhint("Pass a constant window, such as interval '1 day'.")));
	if (buf->modes != modes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel mode differs between rows of one group: %s and %s",
						flags_string(buf, buf->modes),
						flags_string(buf, modes)),
				 errhint("Pass a constant mode string.")));
}

/* Whether two label sets (either may be NULL) are the same. */
static bool
labels_equal(const EventLabels *a, const EventLabels *b)
{
	if (a == b)
		return true;
	if (a == NULL || b == NULL)
		return false;
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

/* Complain unless a state's step labels are `labels` (see above). */
void
event_buffer_check_labels(const EventBuffer *buf, const EventLabels *labels)
{
	if (!labels_equal(buf->labels, labels))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel step names or options differ between rows of one group"),
				 errhint("Pass a constant array of step names and a constant mode string.")));
}

/*
 * Whether `data` holds exactly nstrings NUL-terminated strings of at most
 * max_len bytes each (step labels, or one pattern or model).
 */
bool
event_labels_strings_valid(const char *data, Size size, int nstrings, int max_len)
{
	const char *p = data;
	const char *end = data + size;
	int			k;

	for (k = 0; k < nstrings; k++)
	{
		const char *nul = memchr(p, '\0', end - p);

		if (nul == NULL || nul - p > max_len)
			return false;
		p = nul + 1;
	}
	return p == end;
}

/*
 * A copy of labels (and what the family parsed of them) in memory context
 * cxt, so that they live as long as a state there.
 */
static const EventLabels *
labels_copy(MemoryContext cxt, const EventLabels *labels)
{
	EventLabels *copy;

	if (labels == NULL)
		return NULL;
	copy = MemoryContextAlloc(cxt, offsetof(EventLabels, data) + labels->size);
	copy->size = labels->size;
	copy->tail = labels->tail;
	memcpy(copy->data, labels->data, labels->size);
	copy->parsed = NULL;
	copy->parsed_size = labels->parsed_size;
	if (labels->parsed != NULL)
	{
		void	   *parsed = MemoryContextAlloc(cxt, labels->parsed_size);

		memcpy(parsed, labels->parsed, labels->parsed_size);
		copy->parsed = parsed;
	}
	return copy;
}

/* Add src's events with their value pairs re-tagged for dst's dictionary. */
static void
merge_tagged(EventBuffer *dst, const EventBuffer *src)
{
	int32	   *map;
	int32		i;

	if (dst->values == NULL)
		dst->values = value_pairs_create(GetMemoryChunkContext(dst));
	map = palloc(sizeof(int32) * Max(src->values->count, 1));
	for (i = 0; i < src->values->count; i++)
	{
		PairValue h,
					b;

		value_pairs_get(src->values, i, &h, &b);
		map[i] = (int32) value_pairs_intern(&dst->values, h, b);
	}
	for (i = 0; i < src->nevents; i++)
	{
		BufferedEvent e = src->events[i];

		e.tag = (uint32) map[e.tag];
		if (dst->sorted && dst->nevents > 0 &&
			buffered_event_cmp(&dst->events[dst->nevents - 1], &e) > 0)
			dst->sorted = false;
		dst->events[dst->nevents++] = e;
	}
	pfree(map);
}

/*
 * Add all of src's events to dst (combine step of parallel aggregation) and
 * return dst, which may have moved.  Order is restored lazily by the final
 * function.
 */
EventBuffer *
event_buffer_merge(EventBuffer *dst, const EventBuffer *src)
{
	if (dst->tag != src->tag)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("cannot merge the states of %s and %s",
						event_buffer_kinds[event_buffer_kind_id(dst)]->aggregates,
						event_buffer_kinds[event_buffer_kind_id(src)]->aggregates),
				 errhint("An aggregate must use the support functions of one aggregate of this extension.")));
	event_buffer_check_definition(dst, src->window, src->modes, src->nsteps);
	if (dst->labels == NULL && dst->nevents == 0 && src->labels != NULL)
	{
		dst->labels = labels_copy(GetMemoryChunkContext(dst), src->labels);
		dst->time_flags = src->time_flags;
	}
	event_buffer_check_labels(dst, src->labels);
	if (src->nevents == 0)
		return dst;
	dst = event_buffer_grow(dst, (int64) dst->nevents + src->nevents);
	if (src->values != NULL)
	{
		merge_tagged(dst, src);
		return dst;
	}
	if (dst->sorted && dst->nevents > 0 &&
		(!src->sorted ||
		 buffered_event_cmp(&dst->events[dst->nevents - 1], &src->events[0]) > 0))
		dst->sorted = false;
	else if (dst->nevents == 0)
		dst->sorted = src->sorted;
	memcpy(dst->events + dst->nevents, src->events,
		   sizeof(BufferedEvent) * src->nevents);
	dst->nevents += src->nevents;
	return dst;
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
event_buffer_pack(const EventBuffer *buf)
{
	int32		labels_size = buf->labels ? buf->labels->size : 0;
	Size		event_size = buf->values ? 16 : 12;
	Size		len = VARHDRSZ + EVENT_BUFFER_HEADER_SIZE + labels_size +
		(buf->values ? value_pairs_serialized_size(buf->values) : 0) +
		(Size) buf->nevents * event_size;
	bytea	   *out;
	char	   *p;
	uint8		version = EVENT_BUFFER_FORMAT_VERSION;
	uint8		nsteps = (uint8) buf->nsteps;
	uint8		flags = 0;
	uint8		zero = 0;
	uint32		kind_modes = ((uint32) event_buffer_kind_id(buf) << 8) | buf->modes;
	int32		i;

	if (len > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("funnel aggregate state of one group is too large to pass between processes"),
				 errhint("Group by a finer key, or disable parallel aggregation for this query.")));
	out = palloc(len);
	p = VARDATA(out);
	if (buf->labels != NULL && buf->labels->tail)
		flags |= WIRE_TAIL;
	if (buf->time_flags & EVENT_TIME_LOCAL)
		flags |= WIRE_LOCAL_TIME;
	if (buf->time_flags & EVENT_TIME_INTEGER)
		flags |= WIRE_INTEGER_TIME;
	if (buf->values != NULL)
		flags |= WIRE_VALUES;
	SET_VARSIZE(out, len);
	memcpy(p, &version, 1);
	memcpy(p + 1, &nsteps, 1);
	memcpy(p + 2, &flags, 1);
	memcpy(p + 3, &zero, 1);
	memcpy(p + 4, &kind_modes, 4);
	memcpy(p + 8, &buf->window, 8);
	memcpy(p + 16, &buf->nevents, 4);
	memcpy(p + 20, &labels_size, 4);
	p += EVENT_BUFFER_HEADER_SIZE;
	if (labels_size > 0)
		memcpy(p, buf->labels->data, labels_size);
	p += labels_size;
	if (buf->values != NULL)
		p = value_pairs_write(buf->values, p);
	for (i = 0; i < buf->nevents; i++)
	{
		memcpy(p, &buf->events[i].ts, 8);
		memcpy(p + 8, &buf->events[i].mask, 4);
		if (buf->values != NULL)
			memcpy(p + 12, &buf->events[i].tag, 4);
		p += event_size;
	}
	return out;
}

/*
 * Error for a serialized state that cannot be trusted.  Exported so that
 * each family reports its own checks the same way.
 */
void
event_buffer_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid serialized funnel state: %s", what),
			 errhint("The state was not produced by this version of the conversions extension.")));
}

/*
 * For a family's deserialize: complain unless every event's mask names
 * only `allowed` conditions, and names one at least unless zero_ok (a
 * family that keeps rows matching nothing).
 */
void
event_buffer_check_masks(const EventBuffer *buf, uint32 allowed, bool zero_ok)
{
	int32		i;

	for (i = 0; i < buf->nevents; i++)
	{
		uint32		mask = buf->events[i].mask;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if ((mask & ~allowed) != 0 || (mask == 0 && !zero_ok))
			event_buffer_corrupt("bad step mask");
	}
}

/*
 * Rebuild a state of `kind` from event_buffer_pack's output, checking
 * version, flags, kind, counts, lengths, labels, value pairs and tags
 * before using any of them.  What the labels, flags and masks mean is the
 * family's to check afterwards (its deserialize function).
 */
EventBuffer *
event_buffer_unpack(bytea *bytes, MemoryContext cxt, const EventBufferKind *kind)
{
	Size		len = VARSIZE_ANY_EXHDR(bytes);
	const char *p = VARDATA_ANY(bytes);
	const char *end = p + len;
	uint8		version;
	uint8		nsteps;
	uint8		flags;
	uint8		zero;
	uint32		kind_modes;
	int64		window;
	int32		nevents;
	int32		labels_size;
	Size		event_size;
	EventLabels *labels = NULL;
	ValuePairs *values = NULL;
	EventBuffer *buf;
	int32		i;

	if (len < EVENT_BUFFER_HEADER_SIZE)
		event_buffer_corrupt("too short");
	memcpy(&version, p, 1);
	memcpy(&nsteps, p + 1, 1);
	memcpy(&flags, p + 2, 1);
	memcpy(&zero, p + 3, 1);
	memcpy(&kind_modes, p + 4, 4);
	memcpy(&window, p + 8, 8);
	memcpy(&nevents, p + 16, 4);
	memcpy(&labels_size, p + 20, 4);
	if (version != EVENT_BUFFER_FORMAT_VERSION)
		event_buffer_corrupt("unknown format version");
	if (nsteps < 1 || nsteps > MAX_CONDITIONS || zero != 0 ||
		(flags & ~WIRE_FLAGS_KNOWN) != 0)
		event_buffer_corrupt("bad step count or flags");
	if ((kind_modes >> 8) != kind->id ||
		(kind_modes & EVENT_KIND_FLAGS & ~kind->flags) != 0 || window < 0)
		event_buffer_corrupt("bad window or mode");
	p += EVENT_BUFFER_HEADER_SIZE;
	if (labels_size < 0 || labels_size > EVENT_LABELS_MAX_SIZE || end - p < labels_size ||
		((flags & WIRE_TAIL) && labels_size == 0))
		event_buffer_corrupt("bad step labels");
	if (labels_size > 0)
	{
		labels = MemoryContextAlloc(cxt, offsetof(EventLabels, data) + labels_size);
		labels->size = labels_size;
		labels->parsed = NULL;
		labels->parsed_size = 0;
		labels->tail = (flags & WIRE_TAIL) != 0;
		memcpy(labels->data, p, labels_size);
		if (labels->data[labels_size - 1] != '\0')
			event_buffer_corrupt("bad step labels");
		p += labels_size;
	}
	if (flags & WIRE_VALUES)
	{
		values = value_pairs_read(&p, end, cxt);
		if (values == NULL)
			event_buffer_corrupt("bad value pairs");
	}
	event_size = values ? 16 : 12;
	if (nevents < 0 || nevents > EVENT_BUFFER_MAX_EVENTS ||
		(Size) (end - p) != (Size) nevents * event_size)
		event_buffer_corrupt("event count does not match length");

	buf = event_buffer_create(cxt, kind, window, kind_modes & EVENT_KIND_FLAGS, nsteps,
							  Max(nevents, 1));
	buf->labels = labels;
	buf->values = values;
	buf->time_flags = ((flags & WIRE_LOCAL_TIME) ? EVENT_TIME_LOCAL : 0) |
		((flags & WIRE_INTEGER_TIME) ? EVENT_TIME_INTEGER : 0);
	for (i = 0; i < nevents; i++)
	{
		int64		ts;
		uint32		mask;
		uint32		tag = 0;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		memcpy(&ts, p, 8);
		memcpy(&mask, p + 8, 4);
		if (values != NULL)
			memcpy(&tag, p + 12, 4);
		p += event_size;
		if (values != NULL && tag >= (uint32) values->count)
			event_buffer_corrupt("bad value tag");
		buf = event_buffer_append_tag(buf, ts, mask, tag);
	}
	return buf;
}

/* The header is as small as it was before the tag: see state_tag.h. */
StaticAssertDecl(EVENT_BUFFER_HEADER == 40,
				 "the EventBuffer header stays 40 bytes: the tag took the kind byte's place");
StaticAssertDecl(offsetof(EventBuffer, tag) == 0, "a state's tag is its first 4 bytes");
