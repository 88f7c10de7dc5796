/*
 * path_agg.h
 *		The event buffer kind of path_agg.
 */
#ifndef CONVERSIONS_PATH_AGG_H
#define CONVERSIONS_PATH_AGG_H

#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"

extern const EventBufferKind paths_state_kind;

#endif							/* CONVERSIONS_PATH_AGG_H */
