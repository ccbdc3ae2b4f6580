/* tz: time zones; see tz.h. */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "util/date.h"
#include "util/tz.h"

int
ps_tz_valid(const char *tz)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX];
	struct stat st;

	if (tz == NULL || *tz == '\0' || tz[0] == '/' || strstr(tz, ".."))
		return 0;
	if (strcmp(tz, "UTC") == 0)
		return 1;
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, tz) >=
	    sizeof(path))
		return 0;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Did tzset() fall back to UTC for tz (see ps_tz_format())? */
static int
tz_fell_back(const char *tz, const struct tm *tm)
{
	size_t n = 0, lower = 0;

	for (; (tz[n] >= 'a' && tz[n] <= 'z') || (tz[n] >= 'A' &&
	    tz[n] <= 'Z'); n++)
		lower += tz[n] >= 'a';
	return lower > 0 && tm->tm_zone && strlen(tm->tm_zone) == n &&
	    strncmp(tm->tm_zone, tz, n) == 0;
}

int
ps_tz_format(const char *tz, time_t t, char out[26], long *days)
{
	char *old = NULL, *saved;
	struct ps_date d;
	struct tm tm;
	char tmp[96];
	long off;
	int rc = 0;

	if (!ps_tz_valid(tz))
		return -1;
	if ((saved = getenv("TZ")) != NULL && (old = strdup(saved)) == NULL)
		return -1;
	/*
	 * Out of memory, setenv() fails, and tzset() falls back to UTC
	 * without a word when it cannot read the zone's file: a time would
	 * then be written in the wrong zone. That fallback gives the letters
	 * the zone's name begins with as its abbreviation ("America" for
	 * America/Toronto), which no zone of tzdata has in lower case.
	 */
	if (setenv("TZ", tz, 1) == -1)
		rc = -1;
	else {
		tzset();
		if (localtime_r(&t, &tm) == NULL || tz_fell_back(tz, &tm))
			rc = -1;
	}
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else
		unsetenv("TZ");
	tzset();
	if (rc)
		return rc;
	off = tm.tm_gmtoff / 60;
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02dT%02d:%02d:%02d%c%02ld:%02ld",
	    (tm.tm_year + 1900) % 10000, (tm.tm_mon + 1) % 100,
	    tm.tm_mday % 100, tm.tm_hour % 100, tm.tm_min % 100,
	    tm.tm_sec % 100, off < 0 ? '-' : '+', labs(off) / 60 % 100,
	    labs(off) % 60);
	memcpy(out, tmp, 25);
	out[25] = '\0';
	if (days) {
		d.y = tm.tm_year + 1900;
		d.m = tm.tm_mon + 1;
		d.d = tm.tm_mday;
		*days = ps_date_days(&d);
	}
	return 0;
}

/* The zone's offset from UTC at t, in seconds, from ps_tz_format(). */
static int
tz_offset(const char *tz, time_t t, long *off)
{
	char out[26];
	long day;

	if (ps_tz_format(tz, t, out, &day) == -1)
		return -1;
	*off = (((out[20] - '0') * 10 + out[21] - '0') * 3600 +
	    ((out[23] - '0') * 10 + out[24] - '0') * 60) *
	    (out[19] == '-' ? -1 : 1);
	return 0;
}

time_t
ps_tz_local(const char *tz, long days, int minutes)
{
	time_t t0 = (time_t)days * 86400 + (time_t)minutes * 60, t;
	long off;

	if (tz_offset(tz, t0, &off) == -1)
		return (time_t)-1;
	t = t0 - off;
	/* across a change of offset (daylight saving), ask again */
	if (tz_offset(tz, t, &off) == -1)
		return (time_t)-1;
	return t0 - off;
}

void
ps_tzcache_init(struct ps_tzcache *c, const char *tz)
{
	size_t i;

	c->tz = tz;
	for (i = 0; i < PS_TZCACHE; i++)
		c->span[i] = LONG_MIN;
}

/* The offset at t; 0 for a zone that cannot be read. */
static long
offset_at(const char *tz, time_t t)
{
	long off;

	return tz_offset(tz, t, &off) == -1 ? 0 : off;
}

/* Fill slot with the offsets of the span from UTC day (see ps_tzcache). */
static void
tzcache_fill(struct ps_tzcache *c, size_t slot, long day)
{
	time_t t0 = (time_t)day * 86400;
	long lo = 0, hi = PS_TZSPAN * 86400L, mid;

	c->span[slot] = day;
	c->off[slot] = offset_at(c->tz, t0);
	c->off2[slot] = offset_at(c->tz, t0 + hi);
	c->at[slot] = hi;
	if (c->off2[slot] == c->off[slot])
		return;
	/* the first minute with the new offset: off at lo, off2 at hi */
	while (hi - lo > 60) {
		mid = (lo + hi) / 2 / 60 * 60;
		if (mid <= lo)
			mid = lo + 60;
		if (offset_at(c->tz, t0 + mid) == c->off[slot])
			lo = mid;
		else
			hi = mid;
	}
	c->at[slot] = hi;
}

long
ps_tzcache_day(struct ps_tzcache *c, const char *s)
{
	struct ps_date dt;
	time_t t;
	long day, span, sec, off;
	size_t slot;

	if (s == NULL)
		return -1;
	if (ps_date_parse(s, &dt) == 0)
		return ps_date_days(&dt);
	if (ps_datetime_parse(s, &t) == -1)
		return -1;
	day = (long)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
	span = day >= 0 ? day / PS_TZSPAN : (day - PS_TZSPAN + 1) / PS_TZSPAN;
	sec = (long)(t - (time_t)span * PS_TZSPAN * 86400);
	slot = (size_t)span % PS_TZCACHE;
	if (c->span[slot] != span * PS_TZSPAN)
		tzcache_fill(c, slot, span * PS_TZSPAN);
	off = sec < c->at[slot] ? c->off[slot] : c->off2[slot];
	t += off;
	return (long)(t >= 0 ? t / 86400 : (t - 86399) / 86400);
}
