/*
 * window_funnel_level.h
 *		window_funnel's level computation (ClickHouse windowFunnel semantics).
 */
#ifndef CONVERSIONS_WINDOW_FUNNEL_LEVEL_H
#define CONVERSIONS_WINDOW_FUNNEL_LEVEL_H

#include "common/event_buffer.h"

extern int	window_funnel_level(const EventBuffer *buf);

#endif							/* CONVERSIONS_WINDOW_FUNNEL_LEVEL_H */
