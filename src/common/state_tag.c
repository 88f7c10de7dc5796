/*
 * state_tag.c
 *		Naming the family of a state by its tag, and the error raised when a
 *		support function is given a state of another family (state_tag.h).
 */
#include "common/state_tag.h"

/*
 * What to call the family of a tag in a message: the aggregates an event
 * buffer's kind serves, sequence_next_node, lift_agg, or NULL when the tag
 * is none of ours.
 */
const char *
state_tag_name(uint32 tag)
{
	uint32		kind = tag & STATE_TAG_KIND_MASK;

	if ((tag & ~STATE_TAG_KIND_MASK) == STATE_TAG_EVENT_BUFFER && kind < EVENT_KIND_COUNT)
		return event_buffer_kinds[kind]->aggregates;
	if (tag == STATE_TAG_NEXT_NODE)
		return "sequence_next_node";
	if (tag == STATE_TAG_LIFT)
		return "lift_agg";
	return NULL;
}

/*
 * The error of a final, combine or serialize function given a state that
 * is not its own: only a superuser's CREATE AGGREGATE mixing support
 * functions of different aggregates gets here.
 */
void
state_tag_mismatch(const char *function, uint32 tag)
{
	const char *found = state_tag_name(tag);

	if (found != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
				 errmsg("%s was given a state of %s", function, found),
				 errhint("The aggregate was created with support functions of different aggregates; use the extension's aggregates.")));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_FUNCTION_DEFINITION),
			 errmsg("%s was given a state that is not one of this extension's", function),
			 errhint("The aggregate was created with support functions of different aggregates; use the extension's aggregates.")));
}

/*
 * Raise 42P13 unless `state` is an event buffer of `kind` (of any kind when
 * NULL): a final, combine or serialize function checks this before reading
 * the state, which a superuser's aggregate may have built with another
 * family's transition function.
 */
void
state_tag_check_events(const void *state, const EventBufferKind *kind,
					   const char *function)
{
	uint32		tag = state_tag_of(state);

	if (kind != NULL)
		state_tag_check(state, STATE_TAG_EVENT_BUFFER | kind->id, function);
	else if ((tag & ~STATE_TAG_KIND_MASK) != STATE_TAG_EVENT_BUFFER ||
			 (tag & STATE_TAG_KIND_MASK) >= EVENT_KIND_COUNT)
		state_tag_mismatch(function, tag);
}
