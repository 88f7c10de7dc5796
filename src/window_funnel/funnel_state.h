/*
 * funnel_state.h
 *		The event buffer of window_funnel and funnel_agg: its kind, and the
 *		checks of a deserialized state that both aggregates share.
 */
#ifndef CONVERSIONS_FUNNEL_STATE_H
#define CONVERSIONS_FUNNEL_STATE_H

#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"

extern const EventBufferKind funnel_state_kind;

extern void funnel_state_check(const EventBuffer *buf, int nconds);

#endif							/* CONVERSIONS_FUNNEL_STATE_H */
