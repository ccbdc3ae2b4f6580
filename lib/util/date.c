/* date: dates, weeks, zones and business days; see date.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/date.h"

static int
digits(const char *s, int n, int *out)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}

static int
month_days(int y, int m)
{
	static const int md[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };

	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return md[m - 1];
}

static int
parse_ymd(const char *s, struct ps_date *d)
{
	if (digits(s, 4, &d->y) || s[4] != '-' || digits(s + 5, 2, &d->m) ||
	    s[7] != '-' || digits(s + 8, 2, &d->d))
		return -1;
	if (d->y < 1900 || d->m < 1 || d->m > 12 || d->d < 1 ||
	    d->d > month_days(d->y, d->m))
		return -1;
	return 0;
}

int
ps_date_parse(const char *s, struct ps_date *d)
{
	struct ps_date tmp;

	if (d == NULL)
		d = &tmp;
	if (strlen(s) != 10)
		return -1;
	return parse_ymd(s, d);
}

int
ps_time_parse(const char *s, int *min)
{
	int h, m, sec = 0;
	size_t n = strlen(s);

	if ((n != 5 && n != 8) || digits(s, 2, &h) || s[2] != ':' ||
	    digits(s + 3, 2, &m))
		return -1;
	if (n == 8 && (s[5] != ':' || digits(s + 6, 2, &sec)))
		return -1;
	if (h > 23 || m > 59 || sec > 59)
		return -1;
	if (min)
		*min = h * 60 + m;
	return 0;
}

int
ps_datetime_parse(const char *s, time_t *out)
{
	struct ps_date d;
	int h, mi, se, oh = 0, om = 0, sign = 0;
	const char *p;

	if (strlen(s) < 20 || parse_ymd(s, &d) || s[10] != 'T' ||
	    digits(s + 11, 2, &h) || s[13] != ':' || digits(s + 14, 2, &mi) ||
	    s[16] != ':' || digits(s + 17, 2, &se))
		return -1;
	if (h > 23 || mi > 59 || se > 60)
		return -1;
	p = s + 19;
	if (*p == '.') {
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
		if (p == s + 20)
			return -1;
	}
	if (*p == 'Z' && p[1] == '\0')
		sign = 0;
	else if ((*p == '+' || *p == '-') && strlen(p) == 6 &&
	    digits(p + 1, 2, &oh) == 0 && p[3] == ':' &&
	    digits(p + 4, 2, &om) == 0 && oh < 24 && om < 60)
		sign = *p == '-' ? -1 : 1;
	else
		return -1;
	if (out)
		*out = (time_t)ps_date_days(&d) * 86400 + h * 3600 + mi * 60 +
		    se - sign * (oh * 3600 + om * 60);
	return 0;
}

/* Howard Hinnant's days_from_civil. */
long
ps_date_days(const struct ps_date *d)
{
	long y = d->y - (d->m <= 2);
	long era = (y >= 0 ? y : y - 399) / 400;
	long yoe = y - era * 400;
	long doy = (153 * (d->m + (d->m > 2 ? -3 : 9)) + 2) / 5 + d->d - 1;
	long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void
ps_date_from_days(long z, struct ps_date *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d->d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d->m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d->y = (int)(yoe + era * 400 + (d->m <= 2));
}

int
ps_date_weekday(long days)
{
	/* 1970-01-01 was a Thursday (3) */
	long w = (days + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}

long
ps_date_iso_week_start(int year, int week)
{
	struct ps_date jan4 = { year, 1, 4 };
	long d = ps_date_days(&jan4);

	return d - ps_date_weekday(d) + (long)(week - 1) * 7;
}

void
ps_date_iso_week(long days, int *year, int *week)
{
	struct ps_date d;
	long thursday = days - ps_date_weekday(days) + 3;

	ps_date_from_days(thursday, &d);
	*year = d.y;
	*week = (int)((thursday - ps_date_iso_week_start(d.y, 1)) / 7 + 1);
}

void
ps_date_format(char out[11], long days)
{
	struct ps_date d;
	char tmp[64];

	ps_date_from_days(days, &d);
	snprintf(tmp, sizeof(tmp), "%04d-%02d-%02d", d.y, d.m, d.d);
	memcpy(out, tmp, 10);
	out[10] = '\0';
}

time_t
ps_now(void)
{
	const char *e = getenv("PS_NOW");
	time_t t;

	if (e && *e && ps_datetime_parse(e, &t) == 0)
		return t;
	return time(NULL);
}

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

static int
is_holiday(long day, const long *h, size_t n)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;

		if (h[mid] == day)
			return 1;
		if (h[mid] < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

long
ps_date_add_business(long start, int n, unsigned mask, const long *holidays,
    size_t nholidays)
{
	long day = start;

	if ((mask & 0x7f) == 0)
		mask = 0x1f;
	while (n > 0) {
		day++;
		if ((mask & (1u << ps_date_weekday(day))) &&
		    !is_holiday(day, holidays, nholidays))
			n--;
	}
	return day;
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

long
ps_date_add_months(long day, int k)
{
	static const int len[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30,
	    31 };
	struct ps_date dt;
	int last, m;

	ps_date_from_days(day, &dt);
	m = dt.y * 12 + (dt.m - 1) + k;
	dt.y = m / 12;
	dt.m = m % 12 + 1;
	last = len[dt.m - 1] + (dt.m == 2 && dt.y % 4 == 0 &&
	    (dt.y % 100 != 0 || dt.y % 400 == 0));
	if (dt.d > last)
		dt.d = last;
	return ps_date_days(&dt);
}
