/*
 * limits.h
 *		Every maximum of the extension in one place: how many conditions,
 *		how long a label, value, pattern or model string, how many labels or
 *		value pairs, how many rows a group may keep.  Each is enforced with
 *		an error (never a cut result) by the code that reads the input;
 *		doc/semantics.md ("Limits") lists them for users.
 *
 * Plain C (no PostgreSQL header), so that the pure-C modules and their unit
 * tests can include it.
 */
#ifndef CONVERSIONS_LIMITS_H
#define CONVERSIONS_LIMITS_H

/* --- shared layer --- */

/* Most conditions one event may match: one bit each in a uint32 mask. */
#define MAX_CONDITIONS 32

/* Longest value of a value pair (hold, breakdown, touch label), in bytes. */
#define VALUE_MAX_BYTES 8192

/* Most distinct value pairs in one group. */
#define VALUE_PAIRS_MAX (1 << 24)

/* The largest value of conversions.max_group_events: one 1 GB event buffer. */
#define GROUP_MAX_EVENTS_LIMIT 67108861

/*
 * Working memory one group may use beyond its rows (the sequence matcher's
 * failed states, sequence_next_node's values), per row that
 * conversions.max_group_events allows: as much as the group's event buffer
 * at the limit, so 1 GB at the setting's largest value.
 */
#define GROUP_BYTES_PER_ROW 16

/* --- window_funnel and funnel_agg --- */

/* Most steps a funnel may have (its conditions, exclusions included). */
#define FUNNEL_MAX_STEPS MAX_CONDITIONS

/* Longest step label, in bytes. */
#define FUNNEL_MAX_LABEL 1024

/* Longest canonical options string, in bytes. */
#define FUNNEL_MAX_OPTIONS 4096

/* Most bytes of a funnel's labels: names of 32 conditions, then options. */
#define FUNNEL_MAX_LABELS_SIZE \
	(FUNNEL_MAX_STEPS * (FUNNEL_MAX_LABEL + 1) + FUNNEL_MAX_OPTIONS + 1)

/* Longest hold or breakdown value, in bytes. */
#define FUNNEL_MAX_VALUE VALUE_MAX_BYTES

/* Most distinct partial chains one level may hold inside one timestamp run. */
#define STRICT_ONCE_MAX_RUN_CHAINS 1024

/* Distinct step masks among one run's rows that match several steps. */
#define STRICT_ONCE_MAX_MASKS 64

/* --- sequence_match, sequence_count, retention --- */

/* Conditions of a sequence pattern, as funnels. */
#define SEQUENCE_MAX_CONDITIONS MAX_CONDITIONS

/* Items of a compiled pattern, so that matching stays small. */
#define SEQUENCE_MAX_ACTIONS 256

/* Longest sequence pattern, in bytes. */
#define SEQUENCE_MAX_PATTERN 8192

/* Conditions of retention: one bit each of its state. */
#define RETENTION_MAX_CONDITIONS MAX_CONDITIONS

/* --- sequence_next_node --- */

/*
 * Conditions of sequence_next_node: one bit each of a uint64 mask per kept
 * row, as ClickHouse's sequenceNextNode (max_events_size = 64).
 */
#define NEXT_NODE_MAX_CONDITIONS 64

/* --- attribution_agg --- */

/* Touches kept per conversion (the latest ones) unless max_touches= says otherwise. */
#define ATTRIBUTION_DEFAULT_MAX_TOUCHES 100

/* Largest max_touches= accepted. */
#define ATTRIBUTION_MAX_MAX_TOUCHES 10000

/* Longest model string, in bytes (a canonical one is far shorter). */
#define ATTRIBUTION_MAX_MODEL 1024

/* Longest touch label, in bytes. */
#define ATTRIBUTION_MAX_LABEL VALUE_MAX_BYTES

/* Largest conversion value accepted: 10^12, so its millionths fit 60 bits. */
#define ATTRIBUTION_MAX_VALUE 1e12

/* Most touch labels one value may hold. */
#define ATTRIBUTION_MAX_LABELS (1 << 24)

/* --- lift_agg --- */

/* Longest micro-conversion label, in bytes. */
#define LIFT_MAX_LABEL 8192

/* Most labels one value may hold. */
#define LIFT_MAX_LABELS (1 << 24)

/* --- what an event buffer's labels may hold, whichever family --- */

#define LIMITS_MAX_(a, b) ((a) > (b) ? (a) : (b))

/* Most bytes of an event buffer's labels: funnel names, a pattern or a model. */
#define EVENT_LABELS_MAX_SIZE \
	LIMITS_MAX_(FUNNEL_MAX_LABELS_SIZE, \
				LIMITS_MAX_(SEQUENCE_MAX_PATTERN + 1, ATTRIBUTION_MAX_MODEL + 1))

#endif							/* CONVERSIONS_LIMITS_H */
