/*
 * date: calendar dates, RFC 3339 timestamps, ISO weeks, business days,
 * and the time now (time zones are tz.h's).
 *
 * Dates are counted as days since 1970-01-01 (a long), which makes
 * arithmetic and comparison trivial. Time zones are IANA names resolved by
 * the C library from the system's zoneinfo; a name with no zoneinfo file
 * is an error, never a silent fall back to UTC.
 *
 * Errors: parsing functions return 0, or -1 for text that is not a real
 * date or time. Nothing here allocates.
 * Nothing is owned: dates are values, strings are the caller's.
 */
#ifndef PS_DATE_H
#define PS_DATE_H

#include <stddef.h>
#include <time.h>

struct ps_date {
	int	y;
	int	m;	/* 1-12 */
	int	d;	/* 1-31 */
};

/* Strict YYYY-MM-DD, a real calendar date. */
int	 ps_date_parse(const char *, struct ps_date *);
/* Strict RFC 3339: YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|-HH:MM). */
int	 ps_datetime_parse(const char *, time_t *);
/* The day of a date, or of a date-time's date (its first ten characters),
   as days; -1 when it is not one. */
int	 ps_date_parse_days(const char *, long *days);
/* HH:MM or HH:MM:SS; *min gets minutes since midnight. */
int	 ps_date_parse_time(const char *, int *min);

long	 ps_date_days(const struct ps_date *);
void	 ps_date_from_days(long, struct ps_date *);
/* The day k months later (earlier for k < 0); the last day of a month
   that is shorter: 31 January + 1 month is 28 or 29 February. */
long	 ps_date_add_months(long days, int k);
/* 0 Monday ... 6 Sunday. */
int	 ps_date_weekday(long days);
void	 ps_date_iso_week(long days, int *year, int *week);
/* The Monday of ISO week (year, week). */
long	 ps_date_iso_week_start(int year, int week);
/* Writes "YYYY-MM-DD" (11 bytes with the NUL). */
void	 ps_date_format(char out[11], long days);

/* Now: $PS_NOW (an RFC 3339 time, for tests and replays) or the clock. */
time_t	 ps_date_now(void);

/*
 * The date n business days after start: weekdays in the mask (bit 0
 * Monday ... bit 6 Sunday) that are not in the sorted holidays list.
 */
long	 ps_date_add_business(long start, int n, unsigned mask,
	    const long *holidays, size_t nholidays);

#endif
