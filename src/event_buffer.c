/*
 * event_buffer.c
 *		Growth, merging, sorting and (de)serialization of EventBuffer.
 */
#include "postgres.h"

#include "attribution_model.h"
#include "event_buffer.h"
#include "funnel_mode.h"
#include "funnel_options.h"
#include "funnel_values.h"
#include "group_limits.h"
#include "miscadmin.h"

StaticAssertDecl(GROUP_MAX_EVENTS_LIMIT == EVENT_BUFFER_MAX_EVENTS,
				 "conversions.max_group_events must stop at one event buffer");

#define ST_SORT sort_funnel_events
#define ST_ELEMENT_TYPE FunnelEvent
#define ST_COMPARE(a, b) funnel_event_cmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* Version byte of the serialized state (parallel workers, spills). */
#define EVENT_BUFFER_FORMAT_VERSION 3

/*
 * Serialized layout, all fields in native byte order (the state only travels
 * between processes of one server):
 *   uint8 version, uint8 nsteps, uint8 flags, uint8 zero, uint32 modes,
 *   int64 window, int32 nevents, int32 labels_size, then labels_size bytes
 *   of labels (FunnelLabels.data), then, with WIRE_VALUES, the value pairs
 *   (funnel_values_write), then nevents times (int64 ts, uint32 mask) and,
 *   with WIRE_VALUES, uint32 tag.
 */
#define EVENT_BUFFER_HEADER_SIZE 24
#define WIRE_OPTIONS	0x01	/* labels end with funnel_agg's options string */
#define WIRE_LOCAL_TIME	0x02	/* EventBuffer.local_time */
#define WIRE_VALUES		0x04	/* value pairs and tags follow */
#define WIRE_FLAGS_KNOWN 0x07

/* Size of a new group's state; a power of two, as the allocator rounds up. */
#define EVENT_BUFFER_FIRST_CHUNK 64

/* Bytes of a state with room for `capacity` events. */
static inline Size
event_buffer_size(int64 capacity)
{
	return EVENT_BUFFER_HEADER + (Size) capacity * sizeof(FunnelEvent);
}

/*
 * Make an empty state for one group in the aggregate context, so that it
 * lives exactly as long as the group.  A capacity of 0 picks the smallest
 * chunk, room for two events (a 128-byte first chunk measured no faster).
 */
EventBuffer *
event_buffer_create(MemoryContext cxt, int64 window, uint32 modes,
					int32 nsteps, int32 capacity)
{
	EventBuffer *buf;

	if (capacity <= 0)
		capacity = (EVENT_BUFFER_FIRST_CHUNK - EVENT_BUFFER_HEADER) / sizeof(FunnelEvent);
	buf = MemoryContextAlloc(cxt, event_buffer_size(capacity));
	buf->window = window;
	buf->labels = NULL;
	buf->values = NULL;
	buf->local_time = false;
	buf->modes = modes;
	buf->nsteps = (int16) nsteps;
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
	group_events_check(needed, (buf->modes & FUNNEL_STATE_ATTRIBUTION) ? "attribution_agg" :
					   (buf->modes & FUNNEL_STATE_PATTERN) ? "sequence_match/sequence_count" :
					   "window_funnel/funnel_agg");
	CHECK_FOR_INTERRUPTS();
	bytes = EVENT_BUFFER_FIRST_CHUNK;
	while (bytes < event_buffer_size(needed) || bytes < 2 * event_buffer_size(buf->capacity))
		bytes *= 2;
	/* never past the setting, so that the row after it comes back here */
	newcap = Min((int64) ((bytes - EVENT_BUFFER_HEADER) / sizeof(FunnelEvent)),
				 (int64) conversions_max_group_events);
	buf = repalloc(buf, event_buffer_size(newcap));
	buf->capacity = (int32) newcap;
	return buf;
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
						funnel_window_to_string(buf->window),
						funnel_window_to_string(window)),
				 errhint("Pass a constant window, such as interval '1 day'.")));
	if (buf->modes != modes)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel mode differs between rows of one group: %s and %s",
						funnel_modes_to_string(buf->modes),
						funnel_modes_to_string(modes)),
				 errhint("Pass a constant mode string.")));
}

/* Whether two label sets (either may be NULL) are the same. */
static bool
labels_equal(const FunnelLabels *a, const FunnelLabels *b)
{
	if (a == b)
		return true;
	if (a == NULL || b == NULL)
		return false;
	return a->size == b->size && memcmp(a->data, b->data, a->size) == 0;
}

/* Complain unless a state's step labels are `labels` (see above). */
void
event_buffer_check_labels(const EventBuffer *buf, const FunnelLabels *labels)
{
	if (!labels_equal(buf->labels, labels))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel step names or options differ between rows of one group"),
				 errhint("Pass a constant array of step names and a constant mode string.")));
}

/*
 * Whether `data` holds exactly nsteps NUL-terminated strings of at most
 * max_len bytes each (step labels, or one sequence pattern).
 */
bool
funnel_labels_valid(const char *data, Size size, int nsteps, int max_len)
{
	const char *p = data;
	const char *end = data + size;
	int			k;

	for (k = 0; k < nsteps; k++)
	{
		const char *nul = memchr(p, '\0', end - p);

		if (nul == NULL || nul - p > max_len)
			return false;
		p = nul + 1;
	}
	return p == end;
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
		return funnel_labels_valid(data, size, nnames, FUNNEL_MAX_LABEL);
	if (size == 0 || data[size - 1] != '\0')
		return false;
	opts = funnel_labels_options(data, size);
	if (strlen(opts) > FUNNEL_MAX_OPTIONS)
		return false;
	return opts == data ||
		funnel_labels_valid(data, opts - data, nnames, FUNNEL_MAX_LABEL);
}

/*
 * A copy of labels (and their parsed options) in memory context cxt, so
 * that they live as long as a state there.
 */
static const FunnelLabels *
labels_copy(MemoryContext cxt, const FunnelLabels *labels)
{
	FunnelLabels *copy;

	if (labels == NULL)
		return NULL;
	copy = MemoryContextAlloc(cxt, offsetof(FunnelLabels, data) + labels->size);
	copy->size = labels->size;
	memcpy(copy->data, labels->data, labels->size);
	copy->options = NULL;
	if (labels->options != NULL)
	{
		FunnelOptions *opts = MemoryContextAlloc(cxt, sizeof(FunnelOptions));

		memcpy(opts, labels->options, sizeof(FunnelOptions));
		copy->options = opts;
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
		dst->values = funnel_values_create(GetMemoryChunkContext(dst));
	map = palloc(sizeof(int32) * Max(src->values->count, 1));
	for (i = 0; i < src->values->count; i++)
	{
		FunnelValue h,
					b;

		funnel_values_get(src->values, i, &h, &b);
		map[i] = (int32) funnel_values_intern(&dst->values, h, b);
	}
	for (i = 0; i < src->nevents; i++)
	{
		FunnelEvent e = src->events[i];

		e.tag = (uint32) map[e.tag];
		if (dst->sorted && dst->nevents > 0 &&
			funnel_event_cmp(&dst->events[dst->nevents - 1], &e) > 0)
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
	event_buffer_check_definition(dst, src->window, src->modes, src->nsteps);
	if (dst->labels == NULL && dst->nevents == 0 && src->labels != NULL)
	{
		dst->labels = labels_copy(GetMemoryChunkContext(dst), src->labels);
		dst->local_time = src->local_time;
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
		 funnel_event_cmp(&dst->events[dst->nevents - 1], &src->events[0]) > 0))
		dst->sorted = false;
	else if (dst->nevents == 0)
		dst->sorted = src->sorted;
	memcpy(dst->events + dst->nevents, src->events,
		   sizeof(FunnelEvent) * src->nevents);
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
event_buffer_serialize(const EventBuffer *buf)
{
	int32		labels_size = buf->labels ? buf->labels->size : 0;
	Size		event_size = buf->values ? 16 : 12;
	Size		len = VARHDRSZ + EVENT_BUFFER_HEADER_SIZE + labels_size +
		(buf->values ? funnel_values_serialized_size(buf->values) : 0) +
		(Size) buf->nevents * event_size;
	bytea	   *out;
	char	   *p;
	uint8		version = EVENT_BUFFER_FORMAT_VERSION;
	uint8		nsteps = (uint8) buf->nsteps;
	uint8		flags = 0;
	uint8		zero = 0;
	int32		i;

	if (len > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("funnel aggregate state of one group is too large to pass between processes"),
				 errhint("Group by a finer key, or disable parallel aggregation for this query.")));
	out = palloc(len);
	p = VARDATA(out);
	if (buf->labels != NULL && buf->labels->options != NULL)
		flags |= WIRE_OPTIONS;
	if (buf->local_time)
		flags |= WIRE_LOCAL_TIME;
	if (buf->values != NULL)
		flags |= WIRE_VALUES;
	SET_VARSIZE(out, len);
	memcpy(p, &version, 1);
	memcpy(p + 1, &nsteps, 1);
	memcpy(p + 2, &flags, 1);
	memcpy(p + 3, &zero, 1);
	memcpy(p + 4, &buf->modes, 4);
	memcpy(p + 8, &buf->window, 8);
	memcpy(p + 16, &buf->nevents, 4);
	memcpy(p + 20, &labels_size, 4);
	p += EVENT_BUFFER_HEADER_SIZE;
	if (labels_size > 0)
		memcpy(p, buf->labels->data, labels_size);
	p += labels_size;
	if (buf->values != NULL)
		p = funnel_values_write(buf->values, p);
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
 * Whether an attribution_agg event is a touch tagged with (label, NULL) or
 * a conversion tagged with (NULL, 8-byte value).
 */
static bool
attribution_event_valid(const FunnelValues *values, uint32 mask, uint32 tag)
{
	FunnelValue label,
				value;

	funnel_values_get(values, (int32) tag, &label, &value);
	if (mask == ATTRIBUTION_MASK_TOUCH)
		return label.len >= 0 && label.len <= ATTRIBUTION_MAX_LABEL && value.len < 0;
	if (mask == ATTRIBUTION_MASK_CONVERSION)
		return label.len < 0 && value.len == (int32) sizeof(int64);
	return false;
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
 * flags, counts, length, modes, labels, options, value pairs, masks and
 * tags before using any of them.
 */
EventBuffer *
event_buffer_deserialize(bytea *bytes, MemoryContext cxt)
{
	Size		len = VARSIZE_ANY_EXHDR(bytes);
	const char *p = VARDATA_ANY(bytes);
	const char *end = p + len;
	uint8		version;
	uint8		nsteps;
	uint8		flags;
	uint8		zero;
	uint32		modes;
	int64		window;
	int32		nevents;
	int32		labels_size;
	uint32		allowed_masks;
	Size		event_size;
	int			nlabels;
	FunnelLabels *labels = NULL;
	FunnelValues *values = NULL;
	EventBuffer *buf;
	int32		i;

	if (len < EVENT_BUFFER_HEADER_SIZE)
		event_buffer_corrupt("too short");
	memcpy(&version, p, 1);
	memcpy(&nsteps, p + 1, 1);
	memcpy(&flags, p + 2, 1);
	memcpy(&zero, p + 3, 1);
	memcpy(&modes, p + 4, 4);
	memcpy(&window, p + 8, 8);
	memcpy(&nevents, p + 16, 4);
	memcpy(&labels_size, p + 20, 4);
	if (version != EVENT_BUFFER_FORMAT_VERSION)
		event_buffer_corrupt("unknown format version");
	if (nsteps < 1 || nsteps > FUNNEL_MAX_STEPS || zero != 0 ||
		(flags & ~WIRE_FLAGS_KNOWN) != 0)
		event_buffer_corrupt("bad step count or flags");
	if ((modes & ~(FUNNEL_MODE_ALL | FUNNEL_STATE_PATTERN | FUNNEL_STATE_ATTRIBUTION)) != 0 ||
		window < 0 ||
		((modes & FUNNEL_MODE_ALLOW_REENTRY) && !(modes & FUNNEL_MODE_STRICT_ORDER)) ||
		((modes & FUNNEL_STATE_PATTERN) && ((modes & ~FUNNEL_STATE_PATTERN) || (flags & WIRE_OPTIONS))) ||
		((modes & FUNNEL_STATE_ATTRIBUTION) &&
		 (modes != FUNNEL_STATE_ATTRIBUTION || nsteps != 2 || (flags & WIRE_OPTIONS))))
		event_buffer_corrupt("bad window or mode");
	p += EVENT_BUFFER_HEADER_SIZE;
	if (labels_size < 0 ||
		labels_size > Max(FUNNEL_MAX_LABELS_SIZE, SEQUENCE_MAX_PATTERN + 1) ||
		end - p < labels_size ||
		((modes & (FUNNEL_STATE_PATTERN | FUNNEL_STATE_ATTRIBUTION)) && labels_size == 0) ||
		((flags & WIRE_OPTIONS) && labels_size == 0))
		event_buffer_corrupt("bad step labels");
	if (labels_size > 0)
	{
		labels = MemoryContextAlloc(cxt, offsetof(FunnelLabels, data) + labels_size);
		labels->size = labels_size;
		labels->options = NULL;
		memcpy(labels->data, p, labels_size);
		if (labels->data[labels_size - 1] != '\0')
			event_buffer_corrupt("bad step labels");
		if (flags & WIRE_OPTIONS)
		{
			FunnelOptions *opts = MemoryContextAlloc(cxt, sizeof(FunnelOptions));

			if (!funnel_options_from_string(funnel_labels_options(labels->data, labels_size),
											modes, window, nsteps, opts))
				event_buffer_corrupt("bad funnel options");
			labels->options = opts;
		}
		if (modes & FUNNEL_STATE_ATTRIBUTION)
		{
			AttributionModelSpec spec;

			if (!funnel_labels_valid(labels->data, labels_size, 1, ATTRIBUTION_MAX_MODEL) ||
				!attribution_model_from_string(labels->data, &spec))
				event_buffer_corrupt("bad attribution model");
		}
		else if (!((modes & FUNNEL_STATE_PATTERN) ?
				   funnel_labels_valid(labels->data, labels_size, 1, SEQUENCE_MAX_PATTERN) :
				   funnel_definition_labels_valid(labels->data, labels_size,
												  nsteps + (labels->options ? labels->options->nexcl : 0),
												  labels->options != NULL)))
			event_buffer_corrupt("bad step labels");
		p += labels_size;
	}
	nlabels = nsteps + (labels && labels->options ? labels->options->nexcl : 0);
	allowed_masks = funnel_all_conditions(nlabels);
	if (flags & WIRE_VALUES)
	{
		if (!(modes & FUNNEL_STATE_ATTRIBUTION) &&
			(labels == NULL || labels->options == NULL ||
			 !(labels->options->hold || labels->options->breakdown != FUNNEL_BREAKDOWN_NONE)))
			event_buffer_corrupt("value pairs without hold or breakdown");
		values = funnel_values_read(&p, end, cxt);
		if (values == NULL)
			event_buffer_corrupt("bad value pairs");
	}
	/* the forms with hold and breakdown tag every row they store */
	if (values == NULL && nevents > 0 && labels != NULL && labels->options != NULL &&
		(labels->options->hold || labels->options->breakdown != FUNNEL_BREAKDOWN_NONE))
		event_buffer_corrupt("events without value pairs under hold or breakdown");
	if (values == NULL && nevents > 0 && (modes & FUNNEL_STATE_ATTRIBUTION))
		event_buffer_corrupt("attribution events without touch labels and values");
	event_size = values ? 16 : 12;
	if (nevents < 0 || nevents > EVENT_BUFFER_MAX_EVENTS ||
		(Size) (end - p) != (Size) nevents * event_size)
		event_buffer_corrupt("event count does not match length");

	buf = event_buffer_create(cxt, window, modes, nsteps, Max(nevents, 1));
	buf->labels = labels;
	buf->values = values;
	buf->local_time = (flags & WIRE_LOCAL_TIME) != 0;
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
		if ((mask & ~allowed_masks) != 0 ||
			(mask == 0 && !(modes & FUNNEL_MODE_STRICT_ORDER)))
			event_buffer_corrupt("bad step mask");
		if (values != NULL && tag >= (uint32) values->count)
			event_buffer_corrupt("bad value tag");
		if ((modes & FUNNEL_STATE_ATTRIBUTION) && !attribution_event_valid(values, mask, tag))
			event_buffer_corrupt("bad attribution event");
		buf = event_buffer_append_tag(buf, ts, mask, tag);
	}
	return buf;
}
