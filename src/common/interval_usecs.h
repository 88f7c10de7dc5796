/*
 * interval_usecs.h
 *		Intervals as fixed lengths in microseconds (30-day months, 24-hour
 *		days, the rule PostgreSQL uses to compare intervals), and such
 *		lengths back to interval text.
 */
#ifndef CONVERSIONS_INTERVAL_USECS_H
#define CONVERSIONS_INTERVAL_USECS_H

#include "postgres.h"

#include "common/pg_compat.h"
#include "lib/stringinfo.h"
#include "utils/timestamp.h"

extern bool interval_usecs(const Interval *iv, int64 *us);
extern void interval_usecs_format(StringInfo out, int64 us);
extern char *interval_usecs_to_string(int64 us);

#endif							/* CONVERSIONS_INTERVAL_USECS_H */
