/* date: dates, weeks and business days; see date.h. */
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
ps_date_parse_time(const char *s, int *min)
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
ps_date_now(void)
{
	const char *e = getenv("PS_NOW");
	time_t t;

	if (e && *e && ps_datetime_parse(e, &t) == 0)
		return t;
	return time(NULL);
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

int
ps_date_parse_days(const char *s, long *out)
{
	struct ps_date dt;
	char day[11];

	if (s == NULL || strlen(s) < 10)
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (ps_date_parse(day, &dt) == -1)
		return -1;
	*out = ps_date_days(&dt);
	return 0;
}
