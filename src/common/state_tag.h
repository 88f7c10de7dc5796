/*
 * state_tag.h
 *		The leading tag of every `internal` aggregate state of the extension.
 *
 * PostgreSQL lets a superuser build an aggregate from any support functions
 * whose types fit, and every state of ours is `internal`: a final, combine
 * or serialize function may be handed the state of another family.  Each
 * state therefore starts with a uint32 tag, set when it is created, and
 * each such function checks the tag before it reads anything else, raising
 * 42P13 instead of reading a struct of another shape.  An EventBuffer's tag
 * is STATE_TAG_EVENT_BUFFER plus its EVENT_KIND_* in the low byte.
 */
#ifndef CONVERSIONS_STATE_TAG_H
#define CONVERSIONS_STATE_TAG_H

#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"

#define STATE_TAG_EVENT_BUFFER	EVENT_BUFFER_TAG	/* + EVENT_KIND_* */
#define STATE_TAG_KIND_MASK		EVENT_BUFFER_TAG_KIND
#define STATE_TAG_NEXT_NODE		0x4356534E	/* sequence_next_node */
#define STATE_TAG_LIFT			0x4356464C	/* lift_agg */

/* The tag of a state: its first 4 bytes. */
static inline uint32
state_tag_of(const void *state)
{
	return *(const uint32 *) state;
}

extern const char *state_tag_name(uint32 tag);
pg_noreturn extern void state_tag_mismatch(const char *function, uint32 tag);

/*
 * Raise 42P13 unless `state` carries `expected`: `function` is the SQL
 * name of the caller, for the message.
 */
static inline void
state_tag_check(const void *state, uint32 expected, const char *function)
{
	if (unlikely(state_tag_of(state) != expected))
		state_tag_mismatch(function, state_tag_of(state));
}

extern void state_tag_check_events(const void *state, const EventBufferKind *kind,
								   const char *function);

#endif							/* CONVERSIONS_STATE_TAG_H */
