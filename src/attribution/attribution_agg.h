/*
 * attribution_agg.h
 *		The event buffer kind of attribution_agg.
 */
#ifndef CONVERSIONS_ATTRIBUTION_AGG_H
#define CONVERSIONS_ATTRIBUTION_AGG_H

#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"

extern const EventBufferKind attribution_state_kind;

#endif							/* CONVERSIONS_ATTRIBUTION_AGG_H */
