/*
 * path_walk.h
 *		One entity's paths from its rows: sessions, repeats, anchors,
 *		conversion (doc/semantics.md, "Paths").
 */
#ifndef CONVERSIONS_PATH_WALK_H
#define CONVERSIONS_PATH_WALK_H

#include "postgres.h"

#include "common/event_buffer.h"
#include "common/pg_compat.h"
#include "paths/path_options.h"
#include "paths/paths.h"

extern PathSet *path_walk(const EventBuffer *state, const PathOptions *opts,
						  const char *options);

#endif							/* CONVERSIONS_PATH_WALK_H */
