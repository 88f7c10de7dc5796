/*
 * sequence_next_node.c
 *		sequence_next_node(direction, base, ts, value, base_cond, VARIADIC
 *		conds) → text, as ClickHouse's sequenceNextNode: the value of the
 *		event right after (forward) or before (backward) a chain of
 *		consecutive events matching conds[1], conds[2], ... that starts at
 *		the base point.
 *
 * Base points: head (the first event, forward only), tail (the last event,
 * backward only), first_match / last_match (the first / last event where
 * conds[1] holds); in every case base_cond must hold on the base event.
 * Every row is an event (not only rows where a condition holds), ordered by
 * timestamp, then value, then conditions: ClickHouse orders equal
 * timestamps by value and leaves the rest unordered; here the order is
 * total, so results never depend on input order.
 *
 * Up to 64 conditions (NEXT_NODE_MAX_CONDITIONS), as ClickHouse: each row
 * keeps them as a 64-bit mask, in the 32 bytes a row took with a 32-bit one.
 *
 * The state keeps every row: (timestamp, conditions, base flag) entries
 * and their values in one byte area, both in the aggregate context.  Rows
 * count against conversions.max_group_events and the values' bytes
 * against the group's byte budget (group_bytes_budget), each refused with
 * an error before it is allocated.
 */
#include "postgres.h"

#include "common/condition_array.h"
#include "common/event_buffer.h"
#include "common/group_limits.h"
#include "common/pg_compat.h"
#include "common/state_tag.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"

PG_FUNCTION_INFO_V1(sequence_next_node_transition);
PG_FUNCTION_INFO_V1(sequence_next_node_final);
PG_FUNCTION_INFO_V1(sequence_next_node_combine);
PG_FUNCTION_INFO_V1(sequence_next_node_serialize);
PG_FUNCTION_INFO_V1(sequence_next_node_deserialize);

/*
 * A row's mask takes 4 bytes with up to 32 conditions, 8 with more.  Still
 * version 1: a state of up to 32 conditions is byte for byte what builds
 * before 64 conditions wrote, and those builds refuse a wider one (its
 * condition count is over their maximum), so no reader misreads a state.
 */
#define NEXT_NODE_FORMAT_VERSION 1

/* The values' area is one StringInfo, so the budget must stay under its limit. */
StaticAssertDecl((int64) GROUP_BYTES_PER_ROW * GROUP_MAX_EVENTS_LIMIT < (int64) MaxAllocSize,
				 "the values of sequence_next_node must fit one StringInfo");

/* Bytes of one serialized row besides its value and mask: ts, flags, length. */
#define NEXT_NODE_WIRE_ROW_BASE 13

/* The serialized mask's bytes: 4 up to 32 conditions, else 8. */
#define NEXT_NODE_MASK_BYTES(nconds) ((nconds) > 32 ? 8 : 4)

/* Bytes of one serialized row besides its value, for nconds conditions. */
#define NEXT_NODE_WIRE_ROW(nconds) (NEXT_NODE_WIRE_ROW_BASE + NEXT_NODE_MASK_BYTES(nconds))

typedef enum NodeDirection
{
	DIR_FORWARD,
	DIR_BACKWARD
} NodeDirection;

typedef enum NodeBase
{
	BASE_HEAD,
	BASE_TAIL,
	BASE_FIRST_MATCH,
	BASE_LAST_MATCH
} NodeBase;

static const char *const direction_names[] = {"forward", "backward"};
static const char *const base_names[] = {"head", "tail", "first_match", "last_match"};

/* node flags */
#define NODE_CAN_BE_BASE 0x01
#define NODE_VALUE_NULL 0x02

/* One kept row; 32 bytes (the memory check's bound counts on it). */
typedef struct PathEvent
{
	int64		ts;
	uint64		mask;			/* bit i: condition i+1 holds */
	int64		offset;			/* into the state's value area */
	int32		len;			/* value bytes */
	uint8		flags;
} PathEvent;

StaticAssertDecl(sizeof(PathEvent) == 32, "a kept row of sequence_next_node takes 32 bytes");

typedef struct NextNodeState
{
	uint32		tag;			/* STATE_TAG_NEXT_NODE (state_tag.h) */
	uint8		direction;
	uint8		base;
	int16		nconds;
	bool		sorted;
	int32		n;
	int32		capacity;
	PathEvent	   *nodes;
	StringInfoData values;		/* every value's bytes, back to back */
} NextNodeState;

/* The index of a name in names, or -1. */
static int
name_index(const char *const *names, int count, const char *s, int len)
{
	int			i;

	for (i = 0; i < count; i++)
		if ((int) strlen(names[i]) == len && memcmp(names[i], s, len) == 0)
			return i;
	return -1;
}

/* Parse the direction and base arguments; errors name the bad value. */
static void
parse_direction_base(FunctionCallInfo fcinfo, int nconds, uint8 *direction, uint8 *base)
{
	text	   *d,
			   *b;
	int			di,
				bi;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("sequence_next_node direction and base must not be NULL"),
				 errhint("Pass a direction ('forward' or 'backward') and a base ('head', 'tail', 'first_match' or 'last_match').")));
	d = PG_GETARG_TEXT_PP(1);
	b = PG_GETARG_TEXT_PP(2);
	di = name_index(direction_names, 2, VARDATA_ANY(d), VARSIZE_ANY_EXHDR(d));
	bi = name_index(base_names, 4, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
	if (di < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown sequence_next_node direction \"%s\"", text_to_cstring(d)),
				 errhint("The direction is 'forward' or 'backward'.")));
	if (bi < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown sequence_next_node base \"%s\"", text_to_cstring(b)),
				 errhint("The base is 'head', 'tail', 'first_match' or 'last_match'.")));
	if ((bi == BASE_HEAD && di == DIR_BACKWARD) || (bi == BASE_TAIL && di == DIR_FORWARD))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence_next_node base \"%s\" cannot be combined with direction \"%s\"",
						base_names[bi], direction_names[di]),
				 errhint("Use 'head' with 'forward' and 'tail' with 'backward'.")));
	if ((bi == BASE_FIRST_MATCH || bi == BASE_LAST_MATCH) && nconds == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence_next_node base \"%s\" needs at least one condition",
						base_names[bi]),
				 errhint("The base event is the first or last one where the first condition holds.")));
	*direction = (uint8) di;
	*base = (uint8) bi;
}

/* A new empty state in cxt. */
static NextNodeState *
state_create(MemoryContext cxt, uint8 direction, uint8 base, int16 nconds, int32 capacity)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	NextNodeState *st = palloc(sizeof(NextNodeState));

	st->tag = STATE_TAG_NEXT_NODE;
	st->direction = direction;
	st->base = base;
	st->nconds = nconds;
	st->sorted = true;
	st->n = 0;
	st->capacity = Max(capacity, 4);
	st->nodes = palloc(sizeof(PathEvent) * st->capacity);
	initStringInfo(&st->values);
	MemoryContextSwitchTo(old);
	return st;
}

/* Canonical order: timestamp, value bytes (shorter first on a tie), mask, flags. */
static int
node_cmp(const PathEvent *a, const PathEvent *b, const char *values)
{
	int			c;

	if (a->ts != b->ts)
		return a->ts < b->ts ? -1 : 1;
	if ((a->flags & NODE_VALUE_NULL) != (b->flags & NODE_VALUE_NULL))
		return (a->flags & NODE_VALUE_NULL) ? 1 : -1;
	c = memcmp(values + a->offset, values + b->offset, Min(a->len, b->len));
	if (c != 0)
		return c;
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (a->mask != b->mask)
		return a->mask < b->mask ? -1 : 1;
	return (int) a->flags - (int) b->flags;
}

#define ST_SORT sort_path_events
#define ST_ELEMENT_TYPE PathEvent
#define ST_COMPARE(a, b, values) node_cmp(a, b, values)
#define ST_COMPARE_ARG_TYPE const char
#define ST_SCOPE static
#define ST_DEFINE
#define ST_CHECK_FOR_INTERRUPTS	/* a group may hold 67 million rows */
#include "lib/sort_template.h"

/* The error for a group whose values exceed the byte budget. */
static void
values_exceeded(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("sequence_next_node: the values of one group take more than %lld bytes",
					(long long) group_bytes_budget()),
			 errhint("Group by a finer key or pass shorter values; the limit is %d bytes per row that conversions.max_group_events allows.",
					 GROUP_BYTES_PER_ROW)));
}

/* Append one node (the value is copied into the state's value area). */
static void
state_add(NextNodeState *st, int64 ts, uint64 mask, uint8 flags, const char *value, int32 len)
{
	MemoryContext old = MemoryContextSwitchTo(GetMemoryChunkContext(st));
	PathEvent	   *node;

	if (st->n >= st->capacity)
	{
		group_events_check((int64) st->n + 1, "sequence_next_node");
		/* never past the setting, so that the row after it comes back here */
		st->capacity = (int32) Min((int64) st->capacity * 2, (int64) conversions_max_group_events);
		st->nodes = repalloc_huge(st->nodes, sizeof(PathEvent) * st->capacity);
	}
	if (unlikely((int64) st->values.len + len > group_bytes_budget()))
		values_exceeded();
	node = &st->nodes[st->n];
	node->ts = ts;
	node->mask = mask;
	node->flags = flags;
	node->len = len;
	node->offset = st->values.len;
	if (len > 0)
		appendBinaryStringInfo(&st->values, value, len);
	if (st->sorted && st->n > 0 && node_cmp(&st->nodes[st->n - 1], node, st->values.data) > 0)
		st->sorted = false;
	st->n++;
	MemoryContextSwitchTo(old);
}

/* Transition: keep every row with a timestamp. */
Datum
sequence_next_node_transition(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	NextNodeState *st;
	ArrayType  *conds;
	int32		nconds;
	uint8		direction,
				base;
	uint8		flags = 0;
	const char *value = NULL;
	int32		len = 0;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "sequence_next_node_transition called in non-aggregate context");
	/* 0 conditions is allowed: head and tail need none */
	nconds = condition_array_max(fcinfo, 6, "sequence_next_node", 0,
								 NEXT_NODE_MAX_CONDITIONS, &conds);
	parse_direction_base(fcinfo, nconds, &direction, &base);
	if (PG_ARGISNULL(0))
		st = state_create(aggcxt, direction, base, (int16) nconds, 0);
	else
	{
		st = (NextNodeState *) PG_GETARG_POINTER(0);
		if (st->direction != direction || st->base != base || st->nconds != nconds)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("sequence_next_node direction, base or condition count differs between rows of one group"),
					 errhint("Pass constants for the direction and the base, and the same conditions on every row.")));
	}
	if (PG_ARGISNULL(3))
		PG_RETURN_POINTER(st);
	if (PG_ARGISNULL(4))
		flags |= NODE_VALUE_NULL;
	else
	{
		text	   *t = PG_GETARG_TEXT_PP(4);

		value = VARDATA_ANY(t);
		len = VARSIZE_ANY_EXHDR(t);
	}
	if (!PG_ARGISNULL(5) && PG_GETARG_BOOL(5))
		flags |= NODE_CAN_BE_BASE;
	state_add(st, PG_GETARG_INT64(3), nconds > 0 ? condition_mask64(conds, nconds) : 0,
			  flags, value, len);
	PG_RETURN_POINTER(st);
}

/* The index of the base event, or -1 (ClickHouse's getBaseIndex). */
static int32
base_index(const NextNodeState *st)
{
	int32		i;

	switch (st->base)
	{
		case BASE_HEAD:
			return (st->nodes[0].flags & NODE_CAN_BE_BASE) ? 0 : -1;
		case BASE_TAIL:
			return (st->nodes[st->n - 1].flags & NODE_CAN_BE_BASE) ? st->n - 1 : -1;
		case BASE_FIRST_MATCH:
			for (i = 0; i < st->n; i++)
			{
				if ((i & 0xFFFF) == 0)
					CHECK_FOR_INTERRUPTS();
				if ((st->nodes[i].mask & 1) && (st->nodes[i].flags & NODE_CAN_BE_BASE))
					return i;
			}
			return -1;
		default:
			for (i = st->n - 1; i >= 0; i--)
			{
				if ((i & 0xFFFF) == 0)
					CHECK_FOR_INTERRUPTS();
				if ((st->nodes[i].mask & 1) && (st->nodes[i].flags & NODE_CAN_BE_BASE))
					return i;
			}
			return -1;
	}
}

/*
 * Final: from the base event, the events base, base+1, ... (or base, base-1,
 * ... backward) must match conditions 1, 2, ... in turn; the result is the
 * value of the event after the last one.  NULL when any of that fails.
 * Sorting keeps the state's contents (FINALFUNC_MODIFY = READ_ONLY).
 */
Datum
sequence_next_node_final(PG_FUNCTION_ARGS)
{
	NextNodeState *st;
	int32		b,
				i,
				k;
	const PathEvent *r;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (NextNodeState *) PG_GETARG_POINTER(0);
	state_tag_check(st, STATE_TAG_NEXT_NODE, "sequence_next_node_final");
	if (st->n <= st->nconds)
		PG_RETURN_NULL();
	if (!st->sorted)
	{
		sort_path_events(st->nodes, st->n, st->values.data);
		st->sorted = true;
	}
	b = base_index(st);
	if (b < 0)
		PG_RETURN_NULL();
	for (i = 0; i < st->nconds; i++)
	{
		k = st->direction == DIR_FORWARD ? b + i : b - i;
		if (k < 0 || k >= st->n || !((st->nodes[k].mask >> i) & 1))
			PG_RETURN_NULL();
	}
	k = st->direction == DIR_FORWARD ? b + st->nconds : b - st->nconds;
	if (k < 0 || k >= st->n)
		PG_RETURN_NULL();
	r = &st->nodes[k];
	if (r->flags & NODE_VALUE_NULL)
		PG_RETURN_NULL();
	PG_RETURN_TEXT_P(cstring_to_text_with_len(st->values.data + r->offset, r->len));
}

/* Combine: append src's events to dst (copied into dst's context). */
Datum
sequence_next_node_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	NextNodeState *dst;
	NextNodeState *src;
	int32		i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		elog(ERROR, "sequence_next_node_combine called in non-aggregate context");
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	src = (NextNodeState *) PG_GETARG_POINTER(1);
	state_tag_check(src, STATE_TAG_NEXT_NODE, "sequence_next_node_combine");
	if (!PG_ARGISNULL(0))
		state_tag_check(PG_GETARG_POINTER(0), STATE_TAG_NEXT_NODE, "sequence_next_node_combine");
	if (PG_ARGISNULL(0))
		dst = state_create(aggcxt, src->direction, src->base, src->nconds, src->n);
	else
		dst = (NextNodeState *) PG_GETARG_POINTER(0);
	if (dst->direction != src->direction || dst->base != src->base || dst->nconds != src->nconds)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("sequence_next_node direction, base or condition count differs between rows of one group"),
				 errhint("Pass constants for the direction and the base, and the same conditions on every row.")));
	for (i = 0; i < src->n; i++)
	{
		const PathEvent *s = &src->nodes[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		state_add(dst, s->ts, s->mask, s->flags, src->values.data + s->offset, s->len);
	}
	PG_RETURN_POINTER(dst);
}

/*
 * Serialize: version, direction, base, nconds, count, then per event
 * (ts, mask, flags, length, value bytes), in native byte order (the state
 * only travels between processes of one server).  The mask takes 4 bytes
 * with up to 32 conditions and 8 with more, so the common case passes no
 * more bytes than before 64 conditions were allowed.
 */
Datum
sequence_next_node_serialize(PG_FUNCTION_ARGS)
{
	NextNodeState *st = (NextNodeState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	int32		i;
	bool		wide;

	state_tag_check(st, STATE_TAG_NEXT_NODE, "sequence_next_node_serialize");
	wide = NEXT_NODE_MASK_BYTES(st->nconds) == 8;

	/* header (with the bytea's), 17 or 21 bytes per row, the values, a NUL */
	if (VARHDRSZ + 8 + (int64) NEXT_NODE_WIRE_ROW(st->nconds) * st->n + st->values.len + 1 > (int64) MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("sequence_next_node: a group of %d rows and %d bytes of values is too large to pass between parallel processes",
						st->n, st->values.len),
				 errhint("A group's state passes as %d bytes per row plus its values, at most 1 GB; group by a finer key, or SET max_parallel_workers_per_gather = 0.",
						 NEXT_NODE_WIRE_ROW(st->nconds))));
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, NEXT_NODE_FORMAT_VERSION);
	pq_sendbyte(&buf, st->direction);
	pq_sendbyte(&buf, st->base);
	pq_sendbyte(&buf, (uint8) st->nconds);
	pq_sendint32(&buf, st->n);
	for (i = 0; i < st->n; i++)
	{
		const PathEvent *node = &st->nodes[i];

		pq_sendint64(&buf, node->ts);
		if (wide)
			pq_sendint64(&buf, (int64) node->mask);
		else
			pq_sendint32(&buf, (uint32) node->mask);
		pq_sendbyte(&buf, node->flags);
		pq_sendint32(&buf, node->len);
		pq_sendbytes(&buf, st->values.data + node->offset, node->len);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Error for a serialized state that cannot be trusted. */
static void
next_node_corrupt(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("invalid serialized sequence_next_node state: %s", what),
			 errhint("The state was not produced by this version of the conversions extension.")));
}

/* Deserialize, checking version, settings, counts, masks and lengths first. */
Datum
sequence_next_node_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	NextNodeState *st;
	uint8		direction,
				base,
				nconds;
	int32		n,
				i,
				wire_row;
	uint64		allowed;
	bool		wide;

	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	if (buf.len < 8)
		next_node_corrupt("too short");
	if (pq_getmsgbyte(&buf) != NEXT_NODE_FORMAT_VERSION)
		next_node_corrupt("unknown format version");
	direction = (uint8) pq_getmsgbyte(&buf);
	base = (uint8) pq_getmsgbyte(&buf);
	nconds = (uint8) pq_getmsgbyte(&buf);
	n = (int32) pq_getmsgint(&buf, 4);
	if (direction > DIR_BACKWARD || base > BASE_LAST_MATCH || nconds > NEXT_NODE_MAX_CONDITIONS)
		next_node_corrupt("bad settings");
	wide = NEXT_NODE_MASK_BYTES(nconds) == 8;
	wire_row = NEXT_NODE_WIRE_ROW(nconds);
	if (n < 0 || (int64) n * wire_row > buf.len - buf.cursor)
		next_node_corrupt("event count does not match length");
	allowed = nconds >= 64 ? PG_UINT64_MAX : ((uint64) 1 << nconds) - 1;
	st = state_create(CurrentMemoryContext, direction, base, nconds, n);
	for (i = 0; i < n; i++)
	{
		int64		ts;
		uint64		mask;
		uint8		flags;
		int32		len;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (buf.len - buf.cursor < wire_row)
			next_node_corrupt("truncated");
		ts = pq_getmsgint64(&buf);
		if (wide)
			mask = (uint64) pq_getmsgint64(&buf);
		else
			mask = (uint32) pq_getmsgint(&buf, 4);
		flags = (uint8) pq_getmsgbyte(&buf);
		len = (int32) pq_getmsgint(&buf, 4);
		if ((mask & ~allowed) != 0 || (flags & ~(NODE_CAN_BE_BASE | NODE_VALUE_NULL)) != 0 ||
			len < 0 || len > buf.len - buf.cursor || ((flags & NODE_VALUE_NULL) && len != 0))
			next_node_corrupt("bad event");
		state_add(st, ts, mask, flags, buf.data + buf.cursor, len);
		buf.cursor += len;
	}
	if (buf.cursor != buf.len)
		next_node_corrupt("trailing bytes");
	PG_RETURN_POINTER(st);
}
