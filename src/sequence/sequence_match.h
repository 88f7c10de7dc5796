/*
 * sequence_match.h
 *		The event buffer kind of sequence_match and sequence_count.
 */
#ifndef CONVERSIONS_SEQUENCE_MATCH_H
#define CONVERSIONS_SEQUENCE_MATCH_H

#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"

extern const EventBufferKind sequence_state_kind;

#endif							/* CONVERSIONS_SEQUENCE_MATCH_H */
