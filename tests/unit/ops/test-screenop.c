/*
 * Unit tests: ps-screen's operation (lib/ops/screenop.c) on a real store
 * with the default programme and the matching fixtures (active
 * volunteers V-A00001 to V-A00004, participants waiting), plus a
 * volunteer who has just applied (V-S00001, 20 November) and a
 * participant who applied ten days ago (P-S00001, 12 November, whose
 * onboarding call is expected within 7 days). Today is fixture.h's
 * Sunday 22 November 2026, Toronto.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/ids.h"
#include "ops/screenop.h"
#include "store-ops.h"

static const char volunteer[] =
    "kind: volunteer\n"
    "id: V-S00001\n"
    "status: applied\n"
    "role: living-with\n"
    "streams:\n"
    "  - extended\n"
    "received: 2026-11-20T09:00:00-05:00\n"
    "languages:\n"
    "  - en\n";

static const char participant[] =
    "kind: participant\n"
    "id: P-S00001\n"
    "status: applied\n"
    "stream: extended\n"
    "role: caregiver\n"
    "received: 2026-11-12T09:00:00-05:00\n";

static const char match_open[] =
    "kind: match\n"
    "id: M-A00001\n"
    "status: active\n"
    "stream: extended\n"
    "participant: P-B00001\n"
    "volunteer: V-A00002\n"
    "proposed: 2026-11-01T10:00:00-05:00\n";

struct t {
	struct fix	f;
	struct ops_out	o;
	struct ps_diags	d;
	struct ps_ids	ids;
};

static int
setup(void **state)
{
	struct t *t;

	assert_non_null(t = calloc(1, sizeof(*t)));
	ops_new(&t->f, 1);
	fix_write(&t->f, "volunteers/V-S00001.yaml", volunteer);
	fix_write(&t->f, "participants/P-S00001.yaml", participant);
	ops_put(&t->f, "matches/M-A00001.yaml", match_open);
	ops_open(&t->o);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;

	ps_ids_release(&t->ids);
	ps_diags_release(&t->d);
	ops_close(&t->o);
	fix_free(&t->f);
	free(t);
	return 0;
}

/* The IDs acted on: a NULL-terminated list. */
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
step(struct t *t, const char *name, const char *result, const char *date)
{
	struct ps_screen_opts o;

	memset(&o, 0, sizeof(o));
	o.action = PS_SCREEN_STEP;
	o.step.step = name;
	o.step.result = result;
	o.step.by = "A. Carey";
	o.date = date;
	return ps_screenop_apply(t->f.s, &t->ids, &o, t->o.fp, &t->d);
}

static int
service(struct t *t, enum ps_screen_action a, const char *until,
    const char *reason)
{
	struct ps_screen_opts o;

	memset(&o, 0, sizeof(o));
	o.action = a;
	o.until = until;
	o.reason = reason;
	return ps_screenop_apply(t->f.s, &t->ids, &o, t->o.fp, &t->d);
}

static void
nothing_written(struct t *t, long n)
{
	assert_int_equal(ops_commits(&t->f), n);
	fix_git_says(&t->f, "", "status --porcelain");
	assert_string_equal(ops_text(&t->o), "");
}

/* A step passed: the record printed and committed with it, dated today
   unless a day is given. */
static void
test_step_recorded(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);
	const char *s;
	char *file;

	ids(t, "V-S00001", NULL);
	assert_int_equal(step(t, "application", "pass", NULL), 0);
	assert_int_equal(t->d.n, 0);
	s = ops_text(&t->o);
	assert_int_equal(strncmp(s, "---\nkind: volunteer\nid: V-S00001\n",
	    33), 0);
	assert_non_null(strstr(s, "screening:\n  steps:\n"
	    "    - step: application\n      result: pass\n"
	    "      date: 2026-11-22\n      by: A. Carey\n"));
	assert_int_equal(ops_commits(&t->f), n + 1);
	fix_git_says(&t->f, "ps-screen: application pass V-S00001\n",
	    "log -1 --format=%%s");
	fix_git_says(&t->f, "volunteers/V-S00001.yaml\n",
	    "show --name-only --format= HEAD");
	file = fix_read(&t->f, "volunteers/V-S00001.yaml");
	assert_non_null(file);
	assert_string_equal(file, s + 4);
	free(file);
	fix_git_says(&t->f, "", "status --porcelain");

	/* the next, on a day given */
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(step(t, "interview", "pass", "2026-11-21"), 0);
	assert_non_null(strstr(ops_text(&t->o), "    - step: interview\n"
	    "      result: pass\n      date: 2026-11-21\n"));
	assert_int_equal(ops_commits(&t->f), n + 2);
}

/* A step the programme does not have is refused, naming the steps it
   has (screening for a volunteer, onboarding for a participant). */
static void
test_unknown_step(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);

	ids(t, "V-S00001", NULL);
	assert_int_equal(step(t, "orientation", "pass", NULL), PS_REFUSED);
	assert_int_equal(t->d.n, 1);
	assert_string_equal(t->d.v[0].msg, "V-S00001: the programme has no "
	    "screening step \"orientation\" (it has: application, interview, "
	    "references, background-check, pledge, training)");
	nothing_written(t, n);
	ps_diags_release(&t->d);

	ids(t, "P-S00001", NULL);
	assert_int_equal(step(t, "interview", "pass", NULL), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "P-S00001: the programme "
	    "has no onboarding step \"interview\" (it has: onboarding-call)"));
	nothing_written(t, n);
}

/* Other refusals: a prerequisite, dates, IDs; nothing written. */
static void
test_refusals(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);

	ids(t, "V-S00001", NULL);
	assert_int_equal(step(t, "interview", "pass", NULL), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "V-S00001: step "
	    "\"interview\" needs application passed first"));
	assert_int_equal(step(t, "application", "pass", "2026-11-23"),
	    PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, PS_DIAG_FUTURE));
	assert_int_equal(step(t, "application", "pass", "2026-13-01"),
	    PS_USAGE);
	assert_true(fix_has_diag(&t->d, PS_USAGE,
	    "--date: not a real date (YYYY-MM-DD)"));
	nothing_written(t, n);
	ps_diags_release(&t->d);

	/* a batch is all or nothing, and every problem is reported */
	ids(t, "V-S00001", "V-0000AA", "G-A00001", "V-A00001", NULL);
	assert_int_equal(step(t, "application", "pass", NULL), PS_REFUSED);
	assert_int_equal(t->d.errors, 3);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "V-0000AA: no such "
	    "record"));
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "G-A00001: a group has "
	    "no screening or onboarding"));
	assert_true(ops_diag_has(&t->d, "V-A00001: "));
	nothing_written(t, n);
}

/* Several records take the same step in one commit. */
static void
test_batch(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);
	const char *s;

	ids(t, "V-S00001", "P-S00001", NULL);
	assert_int_equal(step(t, "application", "pass", NULL), PS_REFUSED);
	nothing_written(t, n);
	ps_diags_release(&t->d);
	ids(t, "V-S00001", NULL);
	assert_int_equal(step(t, "application", "pass", NULL), 0);
	ids(t, "P-S00001", NULL);
	assert_int_equal(step(t, "onboarding-call", "pending", NULL), 0);
	ops_close(&t->o);
	ops_open(&t->o);
	fix_write(&t->f, "participants/P-S00002.yaml",
	    "kind: participant\nid: P-S00002\nstatus: applied\n"
	    "stream: extended\nrole: caregiver\n"
	    "received: 2026-11-21T09:00:00-05:00\n");
	assert_int_equal(fix_git(&t->f, NULL, "add -A"), 0);
	assert_int_equal(fix_git(&t->f, NULL, "commit -q -m more"), 0);
	fix_reopen(&t->f);
	n = ops_commits(&t->f);
	ids(t, "P-S00001", "P-S00002", NULL);
	assert_int_equal(step(t, "onboarding-call", "pass", NULL), 0);
	assert_int_equal(ops_commits(&t->f), n + 1);
	fix_git_says(&t->f, "ps-screen: onboarding-call pass for 2 records\n",
	    "log -1 --format=%%s");
	fix_git_says(&t->f, "participants/P-S00001.yaml\n"
	    "participants/P-S00002.yaml\n", "show --name-only --format= HEAD");
	s = ops_text(&t->o);
	assert_non_null(strstr(s, "id: P-S00001\n"));
	assert_non_null(strstr(s, "id: P-S00002\n"));
}

/* A dry run changes nothing. */
static void
test_dry_run(void **state)
{
	struct t *t = *state;
	struct ps_screen_opts o;
	long n = ops_commits(&t->f);

	memset(&o, 0, sizeof(o));
	o.action = PS_SCREEN_STEP;
	o.step.step = "application";
	o.step.result = "pass";
	o.dry_run = 1;
	ids(t, "V-S00001", NULL);
	assert_int_equal(ps_screenop_apply(t->f.s, &t->ids, &o, t->o.fp,
	    &t->d), 0);
	assert_int_equal(ops_commits(&t->f), n);
	fix_git_says(&t->f, "", "status --porcelain");
	fix_file_is(&t->f, "volunteers/V-S00001.yaml", volunteer);
}

/* Pending and overdue: the step each record waits on and since when;
   the participant's call (7 days) is overdue, the volunteer's interview
   (14 days) not. */
static void
test_lists(void **state)
{
	struct t *t = *state;
	const char *s;

	ids(t, "V-S00001", NULL);
	assert_int_equal(step(t, "application", "pass", "2026-11-20"), 0);
	ops_close(&t->o);
	ops_open(&t->o);

	assert_int_equal(ps_screenop_list(t->f.s, PS_LIST_PENDING, NULL, 0, 1,
	    t->o.fp, &t->d), 0);
	assert_string_equal(ops_text(&t->o),
	    "ID        STEP                      DAYS WAITING\n"
	    "V-S00001  interview                 2\n"
	    "P-S00001  onboarding-call           10\n");
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(ps_screenop_list(t->f.s, PS_LIST_PENDING, "interview",
	    0, 1, t->o.fp, &t->d), 0);
	assert_string_equal(ops_text(&t->o),
	    "ID        STEP                      DAYS WAITING\n"
	    "V-S00001  interview                 2\n");
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(ps_screenop_list(t->f.s, PS_LIST_OVERDUE, NULL, 0, 1,
	    t->o.fp, &t->d), 0);
	assert_string_equal(ops_text(&t->o),
	    "ID        STEP                      DAYS WAITING\n"
	    "P-S00001  onboarding-call           10\n");
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(ps_screenop_list(t->f.s, PS_LIST_OVERDUE, NULL, 0, 0,
	    t->o.fp, &t->d), 0);
	s = ops_text(&t->o);
	assert_int_equal(strncmp(s, "---\nkind: participant\nid: P-S00001\n",
	    35), 0);
	assert_null(strstr(s + 1, "---"));
	/* a step nobody waits on: the header alone */
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(ps_screenop_list(t->f.s, PS_LIST_PENDING, "training",
	    0, 1, t->o.fp, &t->d), 0);
	assert_string_equal(ops_text(&t->o),
	    "ID        STEP                      DAYS WAITING\n");
	assert_int_equal(t->d.n, 0);
}

/* Leave, return and retire; open matches must be ended first. */
static void
test_service(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);

	ids(t, "V-A00002", NULL);
	assert_int_equal(service(t, PS_SCREEN_RETIRE, NULL, NULL), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "V-A00002: has open "
	    "matches: M-A00001; end or reassign them first (ps-match)"));
	nothing_written(t, n);
	ps_diags_release(&t->d);

	ids(t, "V-A00001", NULL);
	assert_int_equal(service(t, PS_SCREEN_RETURN, NULL, NULL), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "V-A00001: not on leave "
	    "(status active)"));
	ps_diags_release(&t->d);
	assert_int_equal(service(t, PS_SCREEN_LEAVE, "2027-01-31", "surgery"),
	    0);
	assert_non_null(strstr(ops_text(&t->o), "\nstatus: on-leave\n"));
	assert_non_null(strstr(ops_text(&t->o), "leave:\n  - from: 2026-11-22\n"
	    "    to: 2027-01-31\n    reason: surgery\n"));
	fix_git_says(&t->f, "ps-screen: leave V-A00001\n",
	    "log -1 --format=%%s");
	assert_int_equal(service(t, PS_SCREEN_RETURN, NULL, NULL), 0);
	fix_git_says(&t->f, "ps-screen: return V-A00001\n",
	    "log -1 --format=%%s");
	assert_int_equal(service(t, PS_SCREEN_RETIRE, NULL, NULL), 0);
	assert_int_equal(ops_commits(&t->f), n + 3);
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(service(t, PS_SCREEN_LEAVE, NULL, NULL), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "V-A00001: not active "
	    "(status retired)"));
	ids(t, "P-S00001", NULL);
	assert_int_equal(service(t, PS_SCREEN_LEAVE, NULL, NULL), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "P-S00001: not a "
	    "volunteer"));
	nothing_written(t, n + 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_step_recorded, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_unknown_step, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_lists, setup, teardown),
		cmocka_unit_test_setup_teardown(test_service, setup, teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
