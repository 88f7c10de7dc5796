/*
 * funnel_report.h
 *		What the funnel's report functions share: checking step arguments
 *		by number and by name, which recorded time a pair of steps reads,
 *		and intervals from microseconds.  funnel_report.c defines them; the
 *		reports with statistics (funnel_rates.c, funnel_compare.c,
 *		time_to_convert_mean.c, time_to_convert_histogram.c) use them too.
 */
#ifndef CONVERSIONS_FUNNEL_REPORT_H
#define CONVERSIONS_FUNNEL_REPORT_H

#include "postgres.h"

#include "common/pg_compat.h"
#include "fmgr.h"
#include "funnel/funnel.h"

extern const char *funnel_step_label(const Funnel *f, int k);
extern void funnel_check_step(const Funnel *f, int32 step, const char *argname);
extern void funnel_check_step_pair(const Funnel *f, int32 from, int32 to);
extern int32 funnel_step_of_label(const Funnel *f, text *label, const char *argname);
extern void funnel_steps_of_labels(const Funnel *f, text *from_label, text *to_label,
								   int32 *from, int32 *to);
extern int	funnel_time_kind(int32 from, int32 to);
extern void funnel_check_confidence(double confidence, const char *name);
extern void funnel_check_counts_entities(const Funnel *f, const char *name);
extern Datum funnel_interval_datum(int64 us);
extern void funnel_check_timestamps(const Funnel *f, const char *name);

#endif							/* CONVERSIONS_FUNNEL_REPORT_H */
