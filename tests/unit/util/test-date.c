/* Unit tests: dates, weeks, zones, business days (lib/util/date.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

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

static void
parse_real_dates_only(void **state)
{
	(void)state;
	assert_int_equal(ps_date_parse("2024-02-29", NULL), 0);
	assert_int_equal(ps_date_parse("2026-02-29", NULL), -1);
	assert_int_equal(ps_date_parse("2026-13-01", NULL), -1);
	assert_int_equal(ps_date_parse("2026-1-01", NULL), -1);
	assert_int_equal(ps_date_parse("2026-01-01x", NULL), -1);
	assert_int_equal(ps_datetime_parse("2026-11-22T10:15:00-05:00",
	    NULL), 0);
	assert_int_equal(ps_datetime_parse("2026-11-22T10:15:00Z", NULL), 0);
	assert_int_equal(ps_datetime_parse("2026-11-22T10:15:00.25+01:00",
	    NULL), 0);
	assert_int_equal(ps_datetime_parse("2026-11-22 10:15:00Z", NULL), -1);
	assert_int_equal(ps_datetime_parse("2026-11-22T10:15Z", NULL), -1);
	assert_int_equal(ps_datetime_parse("2026-11-22T24:00:00Z", NULL), -1);
	assert_int_equal(ps_date_parse_time("11:00", NULL), 0);
	assert_int_equal(ps_date_parse_time("24:00", NULL), -1);
}

static void
days_round_trip(void **state)
{
	char buf[11];
	time_t t;

	(void)state;
	assert_int_equal(day("1970-01-01"), 0);
	ps_date_format(buf, day("2026-11-22"));
	assert_string_equal(buf, "2026-11-22");
	assert_int_equal(ps_date_weekday(day("2026-11-22")), 6); /* Sunday */
	assert_int_equal(ps_datetime_parse("2026-11-22T10:15:00-05:00", &t),
	    0);
	assert_int_equal((long)t, day("2026-11-22") * 86400L + 15 * 3600 +
	    15 * 60);
}

static void
iso_weeks(void **state)
{
	int y, w;

	(void)state;
	ps_date_iso_week(day("2026-11-22"), &y, &w);
	assert_int_equal(y, 2026);
	assert_int_equal(w, 47);
	ps_date_iso_week(day("2027-01-01"), &y, &w);	/* a Friday */
	assert_int_equal(y, 2026);
	assert_int_equal(w, 53);
	ps_date_iso_week(day("2024-12-30"), &y, &w);
	assert_int_equal(y, 2025);
	assert_int_equal(w, 1);
	assert_int_equal(ps_date_iso_week_start(2026, 47), day("2026-11-16"));
}

static void
zones(void **state)
{
	char out[26];
	long d;
	time_t t;

	(void)state;
	assert_true(ps_tz_valid("America/Toronto"));
	assert_false(ps_tz_valid("Mars/Olympus"));
	assert_false(ps_tz_valid("../etc/passwd"));
	/* 2026-11-23T04:30Z is still Sunday 23:30 in Toronto */
	ps_datetime_parse("2026-11-23T04:30:00Z", &t);
	assert_int_equal(ps_tz_format("America/Toronto", t, out, &d), 0);
	assert_string_equal(out, "2026-11-22T23:30:00-05:00");
	assert_int_equal(d, day("2026-11-22"));
	/* summer time */
	ps_datetime_parse("2026-07-01T12:00:00Z", &t);
	ps_tz_format("America/Toronto", t, out, NULL);
	assert_string_equal(out, "2026-07-01T08:00:00-04:00");
	assert_int_equal(ps_tz_format("Nowhere/Else", t, out, NULL), -1);
}

/* The cache's local day is ps_tz_format()'s, every 7 minutes of 40 days
   across both changes of 2026 in Toronto and one in Lord Howe (a
   30-minute change), in an order that reuses its slots. */
static void
zone_cache(void **state)
{
	static const char *const zones[] = { "America/Toronto",
	    "Australia/Lord_Howe", "UTC" };
	static const char *const from[] = { "2026-03-07T00:00:00Z",
	    "2026-10-31T00:00:00Z", "2026-04-03T12:00:00Z" };
	struct ps_tzcache c;
	char out[26], text[32];
	struct tm tm;
	time_t t0, t;
	long d;
	size_t z, k;

	(void)state;
	for (z = 0; z < 3; z++) {
		ps_tzcache_init(&c, zones[z]);
		for (k = 0; k < 3; k++) {
			ps_datetime_parse(from[k], &t0);
			for (t = t0; t < t0 + 40 * 86400; t += 7 * 60) {
				gmtime_r(&t, &tm);
				strftime(text, sizeof(text),
				    "%Y-%m-%dT%H:%M:%SZ", &tm);
				assert_int_equal(ps_tz_format(zones[z], t, out,
				    &d), 0);
				assert_int_equal(ps_tzcache_day(&c, text), d);
			}
		}
	}
	assert_int_equal(ps_tzcache_day(&c, "2026-11-22"), day("2026-11-22"));
	assert_int_equal(ps_tzcache_day(&c, "yesterday"), -1);
}

static void
business_days(void **state)
{
	long hol[] = { day("2026-12-25"), day("2026-12-28") };

	(void)state;
	/* Friday + 3 business days = Wednesday */
	assert_int_equal(ps_date_add_business(day("2026-11-20"), 3, 0x1f,
	    NULL, 0), day("2026-11-25"));
	/* over Christmas (Fri) and the Monday holiday */
	assert_int_equal(ps_date_add_business(day("2026-12-24"), 2, 0x1f,
	    hol, 2), day("2026-12-30"));
	/* a Tuesday-Thursday programme */
	assert_int_equal(ps_date_add_business(day("2026-11-20"), 1, 0x0e,
	    NULL, 0), day("2026-11-24"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_real_dates_only),
		cmocka_unit_test(days_round_trip),
		cmocka_unit_test(iso_weeks),
		cmocka_unit_test(zones),
		cmocka_unit_test(zone_cache),
		cmocka_unit_test(business_days),
	};

	return cmocka_run_group_tests_name("date", tests, NULL, NULL);
}
