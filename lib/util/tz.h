/*
 * tz: time zones, by their IANA names, resolved by the C library from the
 * system's zoneinfo; a name with no zoneinfo file is an error, never a
 * silent fall back to UTC. Local dates and times of an instant, and the
 * instant of a local time.
 *
 * Nothing here allocates; a cache (struct ps_tzcache) is the caller's.
 */
#ifndef PS_TZ_H
#define PS_TZ_H

#include <time.h>

/* Is there zoneinfo for this IANA name? */
int	 ps_tz_valid(const char *tz);
/* t as local time in tz: "YYYY-MM-DDTHH:MM:SS+HH:MM" (26 bytes) and the
   local date as days. Returns -1 for an unknown zone. */
int	 ps_tz_format(const char *tz, time_t t, char out[26], long *days);

/*
 * Local days of many times in one zone, fast: the zone's offsets are
 * looked up once per span of PS_TZSPAN days met (at its start and end;
 * where they differ, the minute of the change is found by bisection),
 * not once per time, since each look-up makes the C library read the
 * zone's file again. A zone is taken to change its offset at most once
 * in a span, as every zone of tzdata does (changes are a month apart, at
 * the least).
 */
#define PS_TZCACHE	1024
#define PS_TZSPAN	16
struct ps_tzcache {
	const char	*tz;
	long		 span[PS_TZCACHE];	/* first UTC day, or LONG_MIN */
	long		 off[PS_TZCACHE];	/* offset from the span's start */
	long		 at[PS_TZCACHE];	/* second of the span it changes */
	long		 off2[PS_TZCACHE];	/* offset from then */
};
void	 ps_tzcache_init(struct ps_tzcache *, const char *tz);
/* The local day (days since 1970) of a date or an RFC 3339 time; -1 if
   it is neither. */
long	 ps_tzcache_day(struct ps_tzcache *, const char *);

/* The instant of local time days (since 1970) + minutes after midnight
   in tz; (time_t)-1 for an unknown zone. */
time_t	 ps_tz_local(const char *tz, long days, int minutes);

#endif
