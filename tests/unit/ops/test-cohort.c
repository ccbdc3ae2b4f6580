/*
 * Unit tests: training cohorts (lib/ops/cohort.c) on a real store with
 * the default programme and the matching fixtures (active volunteers
 * V-A00001 to V-A00004), plus three volunteers who have applied,
 * V-S00001 to V-S00003. Enrolment times are the pinned clock (PS_NOW),
 * moved by the test where the order of the waiting list matters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/ids.h"
#include "ops/cohort.h"
#include "store-ops.h"

static const char applicant[] =
    "kind: volunteer\n"
    "id: %s\n"
    "status: applied\n"
    "role: living-with\n"
    "streams:\n"
    "  - extended\n"
    "received: 2026-11-20T09:00:00-05:00\n";

struct t {
	struct fix	f;
	struct ops_out	o;
	struct ps_diags	d;
	struct ps_ids	ids;
};

static int
setup(void **state)
{
	struct ps_buf b = PS_BUF_INIT, p = PS_BUF_INIT;
	struct t *t;
	char id[16];
	int i;

	assert_non_null(t = calloc(1, sizeof(*t)));
	ops_new(&t->f, 1);
	for (i = 1; i <= 3; i++) {
		snprintf(id, sizeof(id), "V-S0000%d", i);
		ps_buf_truncate(&b, 0);
		ps_buf_truncate(&p, 0);
		assert_int_equal(ps_buf_printf(&p, "volunteers/%s.yaml", id),
		    0);
		assert_int_equal(ps_buf_printf(&b, applicant, id), 0);
		fix_write(&t->f, p.s, b.s);
	}
	assert_int_equal(fix_git(&t->f, NULL, "add -A"), 0);
	assert_int_equal(fix_git(&t->f, NULL, "commit -q -m applicants"), 0);
	fix_reopen(&t->f);
	ps_buf_release(&b);
	ps_buf_release(&p);
	ops_open(&t->o);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;

	setenv("PS_NOW", FIX_NOW, 1);
	ps_ids_release(&t->ids);
	ps_diags_release(&t->d);
	ops_close(&t->o);
	fix_free(&t->f);
	free(t);
	return 0;
}

static void
ids(struct t *t, ...)
{
	const char *id;
	va_list ap;

	ps_ids_release(&t->ids);
	memset(&t->ids, 0, sizeof(t->ids));
	va_start(ap, t);
	while ((id = va_arg(ap, const char *)) != NULL)
		assert_int_equal(ps_ids_add(&t->ids, id, &t->d), 0);
	va_end(ap);
}

static int
define(struct t *t, const char *name, long seats, const char *starts,
    int dry)
{
	struct ps_cohort_opts o = { name, seats, starts, NULL, dry };
	int rc = ps_cohort_define(t->f.s, &o, t->o.fp, &t->d);

	/* the programme is read when the store is opened, as by a tool */
	fix_reopen(&t->f);
	return rc;
}

static int
enrol(struct t *t, const char *name)
{
	struct ps_cohort_opts o = { name, 0, NULL, NULL, 0 };

	return ps_cohort_enrol(t->f.s, &t->ids, &o, t->o.fp, &t->d);
}

static void
list_is(struct t *t, int table, const char *want)
{
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(ps_cohort_list(t->f.s, table, t->o.fp, &t->d), 0);
	assert_string_equal(ops_text(&t->o), want);
	ops_close(&t->o);
	ops_open(&t->o);
}

/* Defining a cohort: one commit of program.yaml; refusals first. */
static void
test_define(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);
	char *prog;

	assert_int_equal(define(t, "2027-winter", 2, NULL, 0), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "cohort \"2027-winter\": "
	    "a new cohort needs --seats and --starts"));
	assert_int_equal(define(t, "2027-winter", 0, "2027-01-11", 0),
	    PS_REFUSED);
	assert_int_equal(define(t, "2027-winter", 2, "2027-13-11", 0),
	    PS_USAGE);
	assert_true(fix_has_diag(&t->d, PS_USAGE,
	    "--starts: not a real date (YYYY-MM-DD)"));
	assert_int_equal(define(t, "bad name", 2, "2027-01-11", 0), PS_REFUSED);
	assert_true(ops_diag_has(&t->d, "does not have the expected form"));
	assert_int_equal(define(t, "2027-winter", 2, "2027-01-11", 1), 0);
	assert_int_equal(ops_commits(&t->f), n);
	fix_git_says(&t->f, "", "status --porcelain");
	ps_diags_release(&t->d);

	assert_int_equal(define(t, "2027-winter", 2, "2027-01-11", 0), 0);
	assert_int_equal(t->d.n, 0);
	assert_int_equal(ops_commits(&t->f), n + 1);
	fix_git_says(&t->f, "ps-screen: cohort 2027-winter (2 seats, starts "
	    "2027-01-11)\n", "log -1 --format=%%s");
	fix_git_says(&t->f, "program.yaml\n", "show --name-only --format= HEAD");
	prog = fix_read(&t->f, "program.yaml");
	assert_non_null(strstr(prog, "  cohorts:\n    - name: \"2027-winter\"\n"
	    "      starts: 2027-01-11\n      seats: 2\n"));
	free(prog);
	assert_string_equal(ops_text(&t->o), "");
	list_is(t, 1, "COHORT                STARTS      SEATS  TAKEN  WAITING\n"
	    "2027-winter           2027-01-11      2      0        0\n");
}

/* Seats while they last, then the waiting list; one commit. */
static void
test_seats(void **state)
{
	struct t *t = *state;
	long n;
	const char *s;

	assert_int_equal(define(t, "2027-winter", 2, "2027-01-11", 0), 0);
	n = ops_commits(&t->f);
	ids(t, "V-S00001", "V-S00002", "V-S00003", NULL);
	assert_int_equal(enrol(t, "2027-winter"), 0);
	assert_int_equal(t->d.n, 0);
	assert_int_equal(ops_commits(&t->f), n + 1);
	fix_git_says(&t->f, "ps-screen: enrol 3 records in cohort "
	    "2027-winter\n", "log -1 --format=%%s");
	s = ops_text(&t->o);
	assert_non_null(strstr(s, "id: V-S00001\n"));
	assert_non_null(strstr(s, "id: V-S00003\n"));
	fix_git_says(&t->f, "volunteers/V-S00001.yaml:  cohort: \"2027-winter\"\n"
	    "volunteers/V-S00002.yaml:  cohort: \"2027-winter\"\n"
	    "volunteers/V-S00003.yaml:    cohort: \"2027-winter\"\n"
	    "volunteers/V-S00003.yaml:    since: 2026-11-22T10:00:00-05:00\n",
	    "grep -e cohort: -e since: -- volunteers");
	list_is(t, 1, "COHORT                STARTS      SEATS  TAKEN  WAITING\n"
	    "2027-winter           2027-01-11      2      2        1\n");
	list_is(t, 0, "---\ncohort: \"2027-winter\"\nstarts: 2027-01-11\n"
	    "seats: 2\nseated:\n  - V-S00001\n  - V-S00002\nwaiting:\n"
	    "  - V-S00003\n");
	ids(t, NULL);
	assert_int_equal(ps_cohort_seated(t->f.s, "2027-winter", &t->ids,
	    &t->d), 0);
	assert_int_equal(t->ids.n, 2);
	assert_string_equal(t->ids.v[0], "V-S00001");
	assert_string_equal(t->ids.v[1], "V-S00002");
}

/* The waiting list is first come, first served (not by ID), and a seat
   added goes to its head. */
static void
test_waiting_order(void **state)
{
	struct t *t = *state;
	char *rec;

	assert_int_equal(define(t, "2027-winter", 1, "2027-01-11", 0), 0);
	setenv("PS_NOW", "2026-11-22T08:00:00-05:00", 1);
	ids(t, "V-S00002", NULL);
	assert_int_equal(enrol(t, "2027-winter"), 0);
	setenv("PS_NOW", "2026-11-22T09:00:00-05:00", 1);
	ids(t, "V-S00003", NULL);
	assert_int_equal(enrol(t, "2027-winter"), 0);
	fix_git_says(&t->f, "ps-screen: enrol V-S00003 in cohort 2027-winter\n",
	    "log -1 --format=%%s");
	setenv("PS_NOW", "2026-11-22T09:30:00-05:00", 1);
	ids(t, "V-S00001", NULL);
	assert_int_equal(enrol(t, "2027-winter"), 0);
	assert_int_equal(t->d.n, 0);
	list_is(t, 0, "---\ncohort: \"2027-winter\"\nstarts: 2027-01-11\n"
	    "seats: 1\nseated:\n  - V-S00002\nwaiting:\n  - V-S00003\n"
	    "  - V-S00001\n");

	/* one more seat: V-S00003, who came first */
	assert_int_equal(define(t, "2027-winter", 2, NULL, 0), 0);
	fix_git_says(&t->f, "ps-screen: cohort 2027-winter (2 seats, starts "
	    "2027-01-11); 1 from the waiting list\n", "log -1 --format=%%s");
	fix_git_says(&t->f, "program.yaml\nvolunteers/V-S00003.yaml\n",
	    "show --name-only --format= HEAD");
	assert_non_null(strstr(ops_text(&t->o), "id: V-S00003\n"));
	rec = fix_read(&t->f, "volunteers/V-S00003.yaml");
	assert_non_null(strstr(rec, "\n  cohort: \"2027-winter\"\n"));
	assert_null(strstr(rec, "waitlist"));
	free(rec);
	list_is(t, 0, "---\ncohort: \"2027-winter\"\nstarts: 2027-01-11\n"
	    "seats: 2\nseated:\n  - V-S00002\n  - V-S00003\nwaiting:\n"
	    "  - V-S00001\n");
}

/* A seat held by a volunteer who left screening is freed: the next
   command naming the cohort gives it to the first waiting. */
static void
test_seat_freed(void **state)
{
	struct t *t = *state;
	char *rec, *p;
	const char *s;

	assert_int_equal(define(t, "2027-winter", 1, "2027-01-11", 0), 0);
	ids(t, "V-S00001", "V-S00002", NULL);
	assert_int_equal(enrol(t, "2027-winter"), 0);
	rec = fix_read(&t->f, "volunteers/V-S00001.yaml");
	assert_non_null(p = strstr(rec, "status: applied\n"));
	memcpy(p, "status: closed \n", 16);
	ops_put(&t->f, "volunteers/V-S00001.yaml", rec);
	free(rec);

	/* whoever takes the cohort's step: the first waiting */
	ids(t, NULL);
	assert_int_equal(ps_cohort_seated(t->f.s, "2027-winter", &t->ids,
	    &t->d), 0);
	assert_int_equal(t->ids.n, 1);
	assert_string_equal(t->ids.v[0], "V-S00002");

	/* the next enrolment seats V-S00002 and puts V-S00003 to wait */
	ops_close(&t->o);
	ops_open(&t->o);
	ids(t, "V-S00003", NULL);
	assert_int_equal(enrol(t, "2027-winter"), 0);
	fix_git_says(&t->f, "volunteers/V-S00002.yaml\n"
	    "volunteers/V-S00003.yaml\n", "show --name-only --format= HEAD");
	s = ops_text(&t->o);
	assert_non_null(strstr(s, "id: V-S00002\n"));
	assert_non_null(strstr(s, "id: V-S00003\n"));
	list_is(t, 0, "---\ncohort: \"2027-winter\"\nstarts: 2027-01-11\n"
	    "seats: 1\nseated:\n  - V-S00002\nwaiting:\n  - V-S00003\n");
}

/* Refusals: every problem reported, nothing written. */
static void
test_refusals(void **state)
{
	struct t *t = *state;
	long n;

	ids(t, "V-S00001", NULL);
	assert_int_equal(enrol(t, "2027-winter"), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "no cohort \"2027-winter\" "
	    "(define it with --cohort NAME --seats N --starts DATE)"));
	assert_int_equal(ps_cohort_seated(t->f.s, "2027-winter", &t->ids,
	    &t->d), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "no cohort "
	    "\"2027-winter\""));
	ps_diags_release(&t->d);
	assert_int_equal(define(t, "2027-winter", 1, "2027-01-11", 0), 0);
	ids(t, NULL);
	assert_int_equal(ps_cohort_seated(t->f.s, "2027-winter", &t->ids,
	    &t->d), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "cohort \"2027-winter\": "
	    "nobody in screening has a seat"));
	ps_diags_release(&t->d);
	ids(t, "V-S00001", "V-S00002", NULL);
	assert_int_equal(enrol(t, "2027-winter"), 0);
	n = ops_commits(&t->f);
	ops_close(&t->o);
	ops_open(&t->o);

	ids(t, "V-S00001", "V-S00002", "P-B00001", "V-A00001", "V-0000AA",
	    "V-S00003", NULL);
	assert_int_equal(enrol(t, "2027-winter"), PS_REFUSED);
	assert_int_equal(t->d.errors, 5);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "V-S00001: already has a "
	    "seat in cohort \"2027-winter\""));
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "V-S00002: already on the "
	    "waiting list of cohort \"2027-winter\""));
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "P-B00001: only volunteers "
	    "are enrolled in a training cohort"));
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "V-A00001: not in "
	    "screening (status active)"));
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "V-0000AA: no such "
	    "record"));
	assert_int_equal(ops_commits(&t->f), n);
	fix_git_says(&t->f, "", "status --porcelain");
	assert_string_equal(ops_text(&t->o), "");
	ps_diags_release(&t->d);

	/* seats cannot be cut below those taken */
	assert_int_equal(define(t, "2027-winter", 2, NULL, 0), 0);
	n = ops_commits(&t->f);
	assert_int_equal(define(t, "2027-winter", 1, NULL, 0), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "cohort \"2027-winter\": "
	    "2 seats are taken; cannot cut to 1"));
	assert_int_equal(ops_commits(&t->f), n);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_define, setup, teardown),
		cmocka_unit_test_setup_teardown(test_seats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_waiting_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_seat_freed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
