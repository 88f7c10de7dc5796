/*
 * path_options.h
 *		The options string of path_agg (steps=, direction=, anchor=,
 *		collapse_repeats, max_gap=, events=, conversion=, only=): parsed,
 *		checked, and written back in one canonical form, which is what a
 *		`paths` value and a path_agg state carry as their definition.
 */
#ifndef CONVERSIONS_PATH_OPTIONS_H
#define CONVERSIONS_PATH_OPTIONS_H

#include "postgres.h"

#include "common/pg_compat.h"

/* Most nodes of a path (steps=), default steps. */
#define PATHS_MAX_STEPS 32
#define PATHS_DEFAULT_STEPS 5

/* Longest event name, in bytes (as other text labels). */
#define PATHS_MAX_NAME 8192

/*
 * Longest options string accepted, and longest canonical form, in bytes:
 * the canonical form travels as a parallel state's labels
 * (EVENT_LABELS_MAX_SIZE).
 */
#define PATHS_MAX_OPTIONS 32768

/* What only= keeps. */
#define PATHS_ONLY_ALL			0
#define PATHS_ONLY_CONVERTED	1
#define PATHS_ONLY_UNCONVERTED	2

/* How max_gap= is read: the time column's type, or from a canonical string. */
typedef enum PathTimeKind
{
	PATH_TIME_TIMESTAMP,		/* an interval */
	PATH_TIME_INTEGER,			/* an integer (bigint ts column) */
	PATH_TIME_CANONICAL			/* digits only: integer, else interval */
} PathTimeKind;

/* A name given in the options: bytes and length. */
typedef struct PathName
{
	char	   *data;
	int32		len;
} PathName;

/* A parsed options string. */
typedef struct PathOptions
{
	int32		steps;
	bool		backward;
	bool		collapse;
	bool		has_gap;
	bool		gap_integer;	/* max_gap is in the bigint column's units */
	int64		max_gap;		/* microseconds or units; > 0 when has_gap */
	bool		has_anchor;
	PathName	anchor;
	bool		has_conversion;
	PathName	conversion;
	int			only;			/* PATHS_ONLY_* */
	int32		nevents;		/* 0: every event */
	PathName   *events;			/* sorted bytewise, distinct */
} PathOptions;

#define PATHS_OPTIONS_HINT \
	"Options are steps=N (1 to 32), direction=forward or direction=backward, anchor=NAME, " \
	"collapse_repeats, max_gap=D (an interval, or an integer for a bigint ts column), " \
	"events=A|B|C, conversion=NAME and only=converted or only=unconverted, separated by commas; " \
	"double-quote a name that holds a comma, |, = or spaces."

extern void path_options_parse(const char *str, int32 len, PathTimeKind kind,
							   PathOptions *opts);
extern bool path_options_from_canonical(const char *str, PathOptions *opts);
extern char *path_options_to_string(const PathOptions *opts);
extern int	path_name_cmp(const char *a, int32 alen, const char *b, int32 blen);
extern bool path_options_has_event(const PathOptions *opts, const char *name, int32 len);
pg_noreturn extern void path_options_differ(const char *a, const char *b, const char *what,
											const char *hint);

#endif							/* CONVERSIONS_PATH_OPTIONS_H */
