/*
 * Unit tests: time zones by IANA name (lib/util/tz.c): which names are
 * zones, local times and days of instants and the instants of local
 * times, and the cache of local days agreeing with the plain conversion
 * minute by minute across America/Toronto's changes of 2026 (summer
 * time from 2026-03-08T07:00Z, standard time from 2026-11-01T06:00Z)
 * and America/Santiago's, which fall at local midnight.
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/date.h"
#include "util/tz.h"

static long
day(const char *s)
{
	struct ps_date d;

	assert_int_equal(ps_date_parse(s, &d), 0);
	return ps_date_days(&d);
}

static time_t
instant(const char *s)
{
	time_t t;

	assert_int_equal(ps_datetime_parse(s, &t), 0);
	return t;
}

/* Set or unset an environment variable (NULL: unset). */
static void
env(const char *name, const char *value)
{
	if (value)
		assert_int_equal(setenv(name, value, 1), 0);
	else
		assert_int_equal(unsetenv(name), 0);
}

static void
valid_names(void **state)
{
	(void)state;
	assert_true(ps_tz_valid("UTC"));
	assert_true(ps_tz_valid("America/Toronto"));
	assert_true(ps_tz_valid("Asia/Kolkata"));
	assert_true(ps_tz_valid("America/Argentina/Buenos_Aires"));
	assert_false(ps_tz_valid(NULL));
	assert_false(ps_tz_valid(""));
	assert_false(ps_tz_valid("Nowhere/Else"));
	assert_false(ps_tz_valid("america/toronto"));
	assert_false(ps_tz_valid("America"));		/* a folder */
	assert_false(ps_tz_valid("America/"));
	/* no path out of the zone folder */
	assert_false(ps_tz_valid("/usr/share/zoneinfo/UTC"));
	assert_false(ps_tz_valid("../zoneinfo/UTC"));
	assert_false(ps_tz_valid("America/../UTC"));
}

/* The time, the offset and the local day of an instant. */
static void
expect_format(const char *tz, const char *utc, const char *want,
    const char *want_day)
{
	char out[26];
	long d = LONG_MIN;

	memset(out, 'x', sizeof(out));
	assert_int_equal(ps_tz_format(tz, instant(utc), out, &d), 0);
	assert_string_equal(out, want);
	assert_int_equal(d, day(want_day));
}

static void
format_instants(void **state)
{
	char out[26];
	long d = 7;

	(void)state;
	expect_format("UTC", "1970-01-01T00:00:00Z",
	    "1970-01-01T00:00:00+00:00", "1970-01-01");
	expect_format("UTC", "1969-12-31T23:59:59Z",
	    "1969-12-31T23:59:59+00:00", "1969-12-31");
	/* Toronto: standard, summer, the last second of each */
	expect_format("America/Toronto", "2026-01-15T17:00:00Z",
	    "2026-01-15T12:00:00-05:00", "2026-01-15");
	expect_format("America/Toronto", "2026-03-08T06:59:59Z",
	    "2026-03-08T01:59:59-05:00", "2026-03-08");
	expect_format("America/Toronto", "2026-03-08T07:00:00Z",
	    "2026-03-08T03:00:00-04:00", "2026-03-08");
	expect_format("America/Toronto", "2026-11-01T05:59:59Z",
	    "2026-11-01T01:59:59-04:00", "2026-11-01");
	expect_format("America/Toronto", "2026-11-01T06:00:00Z",
	    "2026-11-01T01:00:00-05:00", "2026-11-01");
	/* the local day is not the UTC day */
	expect_format("America/Toronto", "2026-11-23T04:59:00Z",
	    "2026-11-22T23:59:00-05:00", "2026-11-22");
	expect_format("Asia/Tokyo", "2026-11-22T15:00:00Z",
	    "2026-11-23T00:00:00+09:00", "2026-11-23");
	/* offsets in half and quarter hours */
	expect_format("Asia/Kolkata", "2026-06-01T00:00:00Z",
	    "2026-06-01T05:30:00+05:30", "2026-06-01");
	expect_format("America/St_Johns", "2026-01-01T12:00:00Z",
	    "2026-01-01T08:30:00-03:30", "2026-01-01");
	expect_format("Asia/Kathmandu", "2026-01-01T00:00:00Z",
	    "2026-01-01T05:45:00+05:45", "2026-01-01");
	/* days may be NULL; an unknown zone is an error */
	assert_int_equal(ps_tz_format("UTC", 0, out, NULL), 0);
	assert_int_equal(ps_tz_format("Nowhere/Else", 0, out, &d), -1);
	assert_int_equal(ps_tz_format("", 0, out, &d), -1);
}

/* The caller's TZ is as it was after each call, set or not. */
static void
format_keeps_the_callers_tz(void **state)
{
	const char *was = getenv("TZ");
	char *saved = was ? strdup(was) : NULL;
	char out[26];
	time_t t = instant("2026-07-01T12:00:00Z");
	struct tm tm;

	(void)state;
	env("TZ", "Asia/Tokyo");
	tzset();
	assert_int_equal(ps_tz_format("America/Toronto", t, out, NULL), 0);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	localtime_r(&t, &tm);
	assert_int_equal(tm.tm_gmtoff, 9 * 3600);
	assert_int_equal(ps_tz_format("Nowhere/Else", t, out, NULL), -1);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	env("TZ", NULL);
	assert_int_equal(ps_tz_format("America/Toronto", t, out, NULL), 0);
	assert_null(getenv("TZ"));
	env("TZ", saved);
	tzset();
	free(saved);
}

static void
write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	assert_int_equal(close(fd), 0);
}

/* The TZDIR test's folder, and the caller's TZDIR, put back whether the
   test passes or fails. */
static char tzdir[PATH_MAX - 64];
static char *saved_tzdir;
static int had_tzdir;

static int
tzdir_setup(void **state)
{
	const char *t = getenv("TMPDIR"), *was = getenv("TZDIR");

	(void)state;
	had_tzdir = was != NULL;
	if (was && (saved_tzdir = strdup(was)) == NULL)
		return -1;
	snprintf(tzdir, sizeof(tzdir), "%s/ps-test-tz.XXXXXX",
	    t && *t ? t : "/tmp");
	return mkdtemp(tzdir) ? 0 : -1;
}

static int
tzdir_teardown(void **state)
{
	static const char *const made[] = { "Test/Zone", "Bogus/Zone",
	    "Test", "Bogus" };
	char path[PATH_MAX];
	size_t i;

	(void)state;
	if (had_tzdir)
		setenv("TZDIR", saved_tzdir, 1);
	else
		unsetenv("TZDIR");
	free(saved_tzdir);
	saved_tzdir = NULL;
	for (i = 0; i < 4; i++) {
		snprintf(path, sizeof(path), "%s/%s", tzdir, made[i]);
		if (unlink(path) == -1)
			rmdir(path);
	}
	return rmdir(tzdir);
}

/*
 * Zones come from $TZDIR when it is set. A file there that is not
 * zoneinfo is no zone: the C library would fall back to UTC without a
 * word, and that is refused rather than a time written in UTC.
 */
static void
zones_from_tzdir(void **state)
{
	char path[PATH_MAX], out[26];
	struct stat st;
	char *copy;
	FILE *fp;

	(void)state;
	snprintf(path, sizeof(path), "%s/Test", tzdir);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/Bogus", tzdir);
	assert_int_equal(mkdir(path, 0755), 0);
	/* a real zone under another name */
	fp = fopen("/usr/share/zoneinfo/America/Toronto", "rb");
	assert_non_null(fp);
	assert_int_equal(fstat(fileno(fp), &st), 0);
	copy = malloc((size_t)st.st_size);
	assert_non_null(copy);
	assert_int_equal(fread(copy, 1, (size_t)st.st_size, fp),
	    (size_t)st.st_size);
	fclose(fp);
	snprintf(path, sizeof(path), "%s/Test/Zone", tzdir);
	write_file(path, copy, (size_t)st.st_size);
	free(copy);
	snprintf(path, sizeof(path), "%s/Bogus/Zone", tzdir);
	write_file(path, "not zoneinfo\n", 13);

	env("TZDIR", tzdir);
	assert_true(ps_tz_valid("UTC"));
	assert_true(ps_tz_valid("Test/Zone"));
	assert_false(ps_tz_valid("America/Toronto"));
	assert_int_equal(ps_tz_format("America/Toronto", 0, out, NULL), -1);
	assert_int_equal(ps_tz_format("Test/Zone",
	    instant("2026-01-15T17:00:00Z"), out, NULL), 0);
	assert_string_equal(out, "2026-01-15T12:00:00-05:00");
	assert_true(ps_tz_valid("Bogus/Zone"));
	assert_int_equal(ps_tz_format("Bogus/Zone", 0, out, NULL), -1);
	assert_int_equal(ps_tz_local("Bogus/Zone", 0, 0), (time_t)-1);
}

/* The instant of a local time, on either side of a change. */
static void
local_instants(void **state)
{
	char out[26];
	long d;
	int m;

	(void)state;
	assert_int_equal(ps_tz_local("UTC", day("2026-11-22"), 0),
	    instant("2026-11-22T00:00:00Z"));
	assert_int_equal(ps_tz_local("America/Toronto", day("2026-11-22"),
	    10 * 60 + 15), instant("2026-11-22T15:15:00Z"));
	assert_int_equal(ps_tz_local("America/Toronto", day("2026-07-01"),
	    0), instant("2026-07-01T04:00:00Z"));
	assert_int_equal(ps_tz_local("Asia/Kolkata", day("2026-07-01"), 0),
	    instant("2026-06-30T18:30:00Z"));
	/* the day of the change in spring: before the gap, and after */
	assert_int_equal(ps_tz_local("America/Toronto", day("2026-03-08"),
	    60), instant("2026-03-08T06:00:00Z"));
	assert_int_equal(ps_tz_local("America/Toronto", day("2026-03-08"),
	    3 * 60 + 30), instant("2026-03-08T07:30:00Z"));
	assert_int_equal(ps_tz_local("America/Toronto", day("2026-03-08"),
	    23 * 60), instant("2026-03-09T03:00:00Z"));
	/* in autumn, before the repeated hour, and after */
	assert_int_equal(ps_tz_local("America/Toronto", day("2026-11-01"),
	    30), instant("2026-11-01T04:30:00Z"));
	assert_int_equal(ps_tz_local("America/Toronto", day("2026-11-01"),
	    3 * 60), instant("2026-11-01T08:00:00Z"));
	assert_int_equal(ps_tz_local("Nowhere/Else", day("2026-11-01"), 0),
	    (time_t)-1);
	/* each minute of those days but the gap and the repeated hour
	   comes back as itself */
	for (m = 0; m < 24 * 60; m++) {
		char want[32];

		if (m < 2 * 60 || m >= 3 * 60) {
			assert_int_equal(ps_tz_format("America/Toronto",
			    ps_tz_local("America/Toronto", day("2026-03-08"),
			    m), out, &d), 0);
			snprintf(want, sizeof(want), "2026-03-08T%02d:%02d:00",
			    m / 60, m % 60);
			assert_memory_equal(out, want, 19);
		}
		if (m < 1 * 60 || m >= 2 * 60) {
			assert_int_equal(ps_tz_format("America/Toronto",
			    ps_tz_local("America/Toronto", day("2026-11-01"),
			    m), out, &d), 0);
			snprintf(want, sizeof(want), "2026-11-01T%02d:%02d:00",
			    m / 60, m % 60);
			assert_memory_equal(out, want, 19);
		}
	}
}

/*
 * Every minute of the two days around a change, written in UTC and
 * with two other offsets: the cache gives ps_tz_format()'s local day.
 */
static void
cache_agrees_across_the_change(const char *tz, const char *from)
{
	struct ps_tzcache *c = malloc(sizeof(*c));
	time_t t0 = instant(from), t;
	char out[26], text[40];
	struct tm tm;
	long d;

	assert_non_null(c);
	ps_tzcache_init(c, tz);
	for (t = t0 - 86400; t < t0 + 86400; t += 60) {
		assert_int_equal(ps_tz_format(tz, t, out, &d), 0);
		gmtime_r(&t, &tm);
		strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%SZ", &tm);
		if (ps_tzcache_day(c, text) != d)
			fail_msg("%s: %s is local day %ld, the cache says %ld",
			    tz, text, d, ps_tzcache_day(c, text));
		/* the same instant, written as local time elsewhere */
		t += 9 * 3600;
		gmtime_r(&t, &tm);
		t -= 9 * 3600;
		strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S+09:00", &tm);
		assert_int_equal(ps_tzcache_day(c, text), d);
		t -= 5 * 3600 + 30 * 60;
		gmtime_r(&t, &tm);
		t += 5 * 3600 + 30 * 60;
		strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S.5-05:30", &tm);
		assert_int_equal(ps_tzcache_day(c, text), d);
	}
	free(c);
}

static void
cache_across_changes(void **state)
{
	(void)state;
	cache_agrees_across_the_change("America/Toronto",
	    "2026-03-08T07:00:00Z");
	cache_agrees_across_the_change("America/Toronto",
	    "2026-11-01T06:00:00Z");
	/* around local midnight, far from a change */
	cache_agrees_across_the_change("America/Toronto",
	    "2026-01-15T05:00:00Z");
	/* Santiago's changes are at local midnight: a minute off is a
	   day off */
	cache_agrees_across_the_change("America/Santiago",
	    "2026-04-05T03:00:00Z");
	cache_agrees_across_the_change("America/Santiago",
	    "2026-09-06T04:00:00Z");
	cache_agrees_across_the_change("UTC", "2026-03-08T07:00:00Z");
}

/*
 * Times whose spans share a slot (PS_TZCACHE spans apart) one after the
 * other: each refills the slot, and each still gets its own day.
 */
static void
cache_slots_reused(void **state)
{
	static const char *const times[] = { "2026-03-08T06:59:00Z",
	    "2071-01-15T06:59:00Z", "2026-03-08T07:01:00Z",
	    "2026-03-08T04:59:00Z" };
	struct ps_tzcache *c = malloc(sizeof(*c));
	char out[26];
	size_t k, r;
	long d;

	(void)state;
	assert_non_null(c);
	/* the two years' spans are PS_TZCACHE spans apart */
	assert_int_equal((day("2071-01-15") / PS_TZSPAN -
	    day("2026-03-08") / PS_TZSPAN) % PS_TZCACHE, 0);
	ps_tzcache_init(c, "America/Toronto");
	for (r = 0; r < 3; r++)
		for (k = 0; k < 4; k++) {
			assert_int_equal(ps_tz_format("America/Toronto",
			    instant(times[k]), out, &d), 0);
			assert_int_equal(ps_tzcache_day(c, times[k]), d);
		}
	free(c);
}

/* A date is its own day, whatever the zone; anything else is -1. */
static void
cache_inputs(void **state)
{
	struct ps_tzcache *c = malloc(sizeof(*c));

	(void)state;
	assert_non_null(c);
	ps_tzcache_init(c, "Asia/Tokyo");
	assert_int_equal(ps_tzcache_day(c, "2026-11-22"), day("2026-11-22"));
	assert_int_equal(ps_tzcache_day(c, "2026-11-22T20:00:00Z"),
	    day("2026-11-23"));
	assert_int_equal(ps_tzcache_day(c, "1969-12-31T20:00:00Z"), 0);
	assert_int_equal(ps_tzcache_day(c, NULL), -1);
	assert_int_equal(ps_tzcache_day(c, ""), -1);
	assert_int_equal(ps_tzcache_day(c, "yesterday"), -1);
	assert_int_equal(ps_tzcache_day(c, "2026-02-30"), -1);
	assert_int_equal(ps_tzcache_day(c, "2026-11-22T24:00:00Z"), -1);
	assert_int_equal(ps_tzcache_day(c, "2026-11-22T10:00:00"), -1);
	free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_names),
		cmocka_unit_test(format_instants),
		cmocka_unit_test(format_keeps_the_callers_tz),
		cmocka_unit_test_setup_teardown(zones_from_tzdir, tzdir_setup,
		    tzdir_teardown),
		cmocka_unit_test(local_instants),
		cmocka_unit_test(cache_across_changes),
		cmocka_unit_test(cache_slots_reused),
		cmocka_unit_test(cache_inputs),
	};

	return cmocka_run_group_tests_name("tz", tests, NULL, NULL);
}
