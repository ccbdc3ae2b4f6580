/*
 * Unit tests: volunteer screening and participant onboarding
 * (lib/rules/screen.c).
 *
 * One programme: a volunteer's application, then an interview, then two
 * references, a police check valid for a year and a training of 10 hours
 * in two modules, each after the interview; a participant's intake call,
 * then a consent form, of which the extended stream asks only the call,
 * the onecall stream nothing and the drop-in stream (no list) both.
 * Steps are done in 2026; the clock reads 22 November 2026.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/date.h"
#include "model/yaml.h"
#include "rules/screen.h"

static const char program_text[] =
    "kind: program\n"
    "name: Test programme\n"
    "timezone: America/Toronto\n"
    "streams:\n"
    "  extended:\n"
    "    type: ongoing\n"
    "    onboarding: [intake-call]\n"
    "  onecall:\n"
    "    type: single-call\n"
    "    onboarding: []\n"
    "  drop-in:\n"
    "    type: drop-in\n"
    "volunteers:\n"
    "  default_capacity: 2\n"
    "  commitment_months: 12\n"
    "  screening:\n"
    "    - step: application\n"
    "    - step: interview\n"
    "      requires: [application]\n"
    "    - step: references\n"
    "      requires: [interview]\n"
    "      references: 2\n"
    "      repeatable: true\n"
    "    - step: police-check\n"
    "      requires: [interview]\n"
    "      validity_days: 365\n"
    "    - step: training\n"
    "      requires: [interview]\n"
    "      hours: 10\n"
    "      modules: [listening, boundaries]\n"
    "      certificate: true\n"
    "participants:\n"
    "  onboarding:\n"
    "    - step: intake-call\n"
    "    - step: consent-form\n"
    "      requires: [intake-call]\n";

static const char volunteer_text[] =
    "kind: volunteer\n"
    "id: V-A00001\n"
    "status: applied\n"
    "received: 2026-01-05T09:00:00-05:00\n";

static const char participant_text[] =
    "kind: participant\n"
    "id: P-B00001\n"
    "status: applied\n"
    "stream: extended\n"
    "received: 2026-11-02T09:00:00-05:00\n";

#define NOW "2026-11-22T10:00:00-05:00"

static struct ps_node *program;
static char message[512];	/* the last refusal */

static struct ps_node *
yaml(const char *text)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;

	if (ps_yaml_load_mem(&n, text, strlen(text), "test", &d) != 0) {
		ps_diags_print(&d, "test-screen", stderr);
		fail_msg("cannot read:\n%s", text);
	}
	ps_diags_release(&d);
	assert_non_null(n);
	return n;
}

static long
day(const char *s)
{
	long d;

	assert_int_equal(ps_date_parse_days(s, &d), 0);
	return d;
}

/* A record of base with the top-level fields of lines added. */
static struct ps_node *
record(const char *base, const char *lines)
{
	struct ps_node *r = yaml(base), *x;
	size_t i;

	if (lines == NULL)
		return r;
	x = yaml(lines);
	for (i = 0; i < x->n; i++)
		assert_int_equal(ps_node_map_set(r, x->keys[i]->str,
		    ps_node_dup(x->vals[i])), 0);
	ps_node_free(x);
	return r;
}

/* Record a step under prog's rules; 0, or the status refused with its
   message in message. */
static int
step_under(const struct ps_node *prog, struct ps_node *rec,
    const struct ps_step_args *a)
{
	struct ps_diags d = PS_DIAGS_INIT;
	int rc;

	message[0] = '\0';
	rc = ps_screen_step(prog, rec, a, &d);
	if (rc != 0) {
		assert_int_equal(d.n, 1);
		snprintf(message, sizeof(message), "%s", d.v[0].msg);
	} else
		assert_int_equal(d.n, 0);
	ps_diags_release(&d);
	return rc;
}

static int
step_full(struct ps_node *rec, const struct ps_step_args *a)
{
	return step_under(program, rec, a);
}

static void
args(struct ps_step_args *a, const char *name, const char *result,
    const char *date, int referee)
{
	memset(a, 0, sizeof(*a));
	a->now = NOW;
	a->step = name;
	a->result = result;
	a->date = day(date);
	a->by = "coordinator";
	a->referee = referee;
}

static int
step(struct ps_node *rec, const char *name, const char *result,
    const char *date, int referee)
{
	struct ps_step_args a;

	args(&a, name, result, date, referee);
	return step_full(rec, &a);
}

#define refused(want, call) do {					\
	assert_int_equal((call), PS_REFUSED);				\
	assert_string_equal(message, (want));				\
} while (0)

/* What is missing on today, and how many items. */
static void
expect_missing(const struct ps_node *rec, const char *today, size_t n,
    const char *want)
{
	struct ps_buf b = PS_BUF_INIT;

	assert_int_equal(ps_screen_missing(program, rec, day(today), &b), n);
	assert_string_equal(b.s ? b.s : "", want);
	ps_buf_release(&b);
}

static int
decide(struct ps_node *rec, int accept, const char *reason)
{
	struct ps_diags d = PS_DIAGS_INIT;
	int rc;

	message[0] = '\0';
	rc = ps_screen_decide(program, rec, accept, reason, "coordinator", NOW,
	    &d);
	if (rc)
		snprintf(message, sizeof(message), "%s", d.v[0].msg);
	ps_diags_release(&d);
	return rc;
}

/* A volunteer with application and interview passed. */
static struct ps_node *
interviewed(void)
{
	struct ps_node *v = record(volunteer_text, NULL);

	assert_int_equal(step(v, "application", "pass", "2026-01-05", 0), 0);
	assert_int_equal(step(v, "interview", "pass", "2026-01-20", 0), 0);
	return v;
}

/* ...and references, police check (2026-02-01) and training passed. */
static struct ps_node *
screened(void)
{
	struct ps_node *v = interviewed();
	struct ps_step_args a;

	assert_int_equal(step(v, "references", "pass", "2026-01-25", 1), 0);
	assert_int_equal(step(v, "references", "pass", "2026-01-26", 2), 0);
	assert_int_equal(step(v, "police-check", "pass", "2026-02-01", 0), 0);
	memset(&a, 0, sizeof(a));
	a.now = NOW;
	a.step = "training";
	a.result = "pass";
	a.date = day("2026-02-10");
	a.hours = 10;
	a.modules = "listening,boundaries";
	assert_int_equal(step_full(v, &a), 0);
	return v;
}

static int
setup(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	if (ps_yaml_load_mem(&program, program_text, strlen(program_text),
	    "program", &d) != 0)
		return -1;
	ps_diags_release(&d);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ps_node_free(program);
	return 0;
}

static void
rules_by_kind(void **state)
{
	const struct ps_node *r;

	(void)state;
	assert_non_null(r = ps_screen_rule(program, "volunteer", "references"));
	assert_string_equal(ps_node_get_str(r, "references"), "2");
	assert_non_null(ps_screen_rule(program, "participant", "intake-call"));
	/* each kind has only its own steps */
	assert_null(ps_screen_rule(program, "participant", "interview"));
	assert_null(ps_screen_rule(program, "volunteer", "intake-call"));
	assert_null(ps_screen_rule(program, "volunteer", "Interview"));
	assert_null(ps_screen_rule(program, "volunteer", ""));
}

static void
steps_in_order(void **state)
{
	struct ps_node *v = record(volunteer_text, NULL);
	const struct ps_node *e;

	(void)state;
	refused("V-A00001: the programme has no screening step \"orientation\" "
	    "(it has: application, interview, references, police-check, "
	    "training)", step(v, "orientation", "pass", "2026-01-05", 0));
	/* the prerequisite first; pending may be noted before it */
	refused("V-A00001: step \"interview\" needs application passed first",
	    step(v, "interview", "pass", "2026-01-06", 0));
	refused("V-A00001: step \"interview\" needs application passed first",
	    step(v, "interview", "waived", "2026-01-06", 0));
	assert_string_equal(ps_node_get_str(v, "status"), "applied");
	assert_int_equal(step(v, "interview", "pending", "2026-01-06", 0), 0);
	/* the first step recorded starts screening */
	assert_string_equal(ps_node_get_str(v, "status"), "screening");
	assert_int_equal(step(v, "application", "pass", "2026-01-05", 0), 0);
	assert_int_equal(step(v, "interview", "pass", "2026-01-20", 0), 0);
	refused("V-A00001: step \"interview\" is already passed",
	    step(v, "interview", "pass", "2026-01-21", 0));
	refused("V-A00001: step \"police-check\" has no referees",
	    step(v, "police-check", "pass", "2026-02-01", 1));
	e = ps_node_get(v, "screening.steps");
	assert_non_null(e);
	assert_int_equal(e->n, 3);
	assert_string_equal(ps_node_get_str(e->vals[2], "step"), "interview");
	assert_string_equal(ps_node_get_str(e->vals[2], "result"), "pass");
	assert_string_equal(ps_node_get_str(e->vals[2], "date"), "2026-01-20");
	assert_string_equal(ps_node_get_str(e->vals[2], "by"), "coordinator");
	ps_node_free(v);
}

static void
waived_prerequisite(void **state)
{
	struct ps_node *v = record(volunteer_text, NULL);

	(void)state;
	assert_int_equal(step(v, "application", "waived", "2026-01-05", 0), 0);
	assert_int_equal(step(v, "interview", "pass", "2026-01-20", 0), 0);
	ps_node_free(v);
}

static void
references_count_by_referee(void **state)
{
	struct ps_node *v = interviewed();

	(void)state;
	refused("V-A00001: this step takes --referee 1 to 2",
	    step(v, "references", "pass", "2026-01-25", 0));
	refused("V-A00001: this step takes --referee 1 to 2",
	    step(v, "references", "pass", "2026-01-25", 3));
	expect_missing(v, "2026-01-25", 3,
	    "references (0 of 2), police-check, training");
	assert_int_equal(step(v, "references", "pass", "2026-01-25", 1), 0);
	/* the same referee again counts once */
	assert_int_equal(step(v, "references", "pass", "2026-01-26", 1), 0);
	expect_missing(v, "2026-01-26", 3,
	    "references (1 of 2), police-check, training");
	/* a referee's latest word counts: 2 fails, then passes */
	assert_int_equal(step(v, "references", "fail", "2026-01-27", 2), 0);
	assert_null(ps_screen_ended(program, v));	/* repeatable */
	expect_missing(v, "2026-01-27", 3,
	    "references (1 of 2), police-check, training");
	assert_int_equal(step(v, "references", "pass", "2026-01-28", 2), 0);
	expect_missing(v, "2026-01-28", 2, "police-check, training");
	ps_node_free(v);
}

static void
checks_expire(void **state)
{
	struct ps_node *v = screened();
	const struct ps_node *e;
	const char *which = NULL;

	(void)state;
	expect_missing(v, "2026-11-22", 0, "");
	/* passed 2026-02-01, valid 365 days: through 2027-02-01 */
	e = ps_node_get(v, "screening.steps");
	assert_string_equal(ps_node_get_str(e->vals[4], "expires"),
	    "2027-02-01");
	assert_int_equal(ps_screen_expiry(v, &which), day("2027-02-01"));
	assert_string_equal(which, "police-check");
	expect_missing(v, "2027-02-01", 0, "");
	expect_missing(v, "2027-02-02", 1, "police-check expired 2027-02-01");
	/* a renewal replaces it; a renewal is never "already passed" */
	assert_int_equal(step(v, "police-check", "pass", "2027-01-15", 0), 0);
	assert_int_equal(ps_screen_expiry(v, &which), day("2028-01-15"));
	expect_missing(v, "2027-02-02", 0, "");
	expect_missing(v, "2028-01-16", 1, "police-check expired 2028-01-15");
	ps_node_free(v);
	/* nothing that expires */
	v = interviewed();
	which = NULL;
	assert_int_equal(ps_screen_expiry(v, &which), LONG_MAX);
	assert_null(which);
	assert_int_equal(ps_screen_expiry(v, NULL), LONG_MAX);
	ps_node_free(v);
}

/* A later step that needs an expired check is refused. */
static void
expired_prerequisite(void **state)
{
	static const char *prog2 =
	    "volunteers:\n"
	    "  screening:\n"
	    "    - step: police-check\n"
	    "      validity_days: 10\n"
	    "    - step: shadowing\n"
	    "      requires: [police-check]\n";
	struct ps_node *prog = yaml(prog2), *v = record(volunteer_text, NULL);
	struct ps_step_args a;

	(void)state;
	args(&a, "police-check", "pass", "2026-03-01", 0);
	assert_int_equal(step_under(prog, v, &a), 0);
	args(&a, "shadowing", "pass", "2026-03-12", 0);
	refused("V-A00001: step \"shadowing\" needs police-check passed first",
	    step_under(prog, v, &a));
	args(&a, "shadowing", "pass", "2026-03-11", 0);
	assert_int_equal(step_under(prog, v, &a), 0);
	ps_node_free(v);
	ps_node_free(prog);
}

static void
training_hours_and_modules(void **state)
{
	struct ps_node *v = interviewed();
	const struct ps_node *e;
	struct ps_step_args a;

	(void)state;
	memset(&a, 0, sizeof(a));
	a.now = NOW;
	a.step = "training";
	a.result = "pass";
	a.date = day("2026-02-03");
	a.hours = 4;
	a.modules = "listening";
	refused("V-A00001: cannot pass: training hours done: 4 of 10",
	    step_full(v, &a));
	a.result = "pending";
	assert_int_equal(step_full(v, &a), 0);
	a.modules = "listening,crisis";
	refused("V-A00001: step has no module \"crisis\"", step_full(v, &a));
	a.modules = NULL;
	a.practicum_hours = 2;
	refused("V-A00001: step \"training\" counts no practicum hours",
	    step_full(v, &a));
	/* 4 + 6 hours, but one module of two */
	a.practicum_hours = 0;
	a.result = "pass";
	a.hours = 6;
	refused("V-A00001: cannot pass: modules not done: boundaries",
	    step_full(v, &a));
	a.modules = "boundaries";
	a.certificate = "T-0042";
	assert_int_equal(step_full(v, &a), 0);
	e = ps_node_get(v, "screening.steps");
	assert_int_equal(e->n, 4);
	assert_string_equal(ps_node_get_str(e->vals[3], "hours"), "6");
	assert_string_equal(ps_node_get_str(e->vals[3], "modules.0"),
	    "boundaries");
	assert_string_equal(ps_node_get_str(e->vals[3], "certificate.number"),
	    "T-0042");
	assert_string_equal(ps_node_get_str(e->vals[3], "certificate.date"),
	    "2026-02-03");
	/* hours on a step that counts none; a certificate it does not give */
	memset(&a, 0, sizeof(a));
	a.now = NOW;
	a.step = "police-check";
	a.result = "pass";
	a.date = day("2026-02-03");
	a.hours = 1;
	refused("V-A00001: step \"police-check\" counts no hours",
	    step_full(v, &a));
	a.hours = 0;
	a.certificate = "X-1";
	refused("V-A00001: step \"police-check\" gives no certificate",
	    step_full(v, &a));
	ps_node_free(v);
}

static void
a_failed_step_ends_screening(void **state)
{
	struct ps_node *v = record(volunteer_text, NULL);

	(void)state;
	assert_null(ps_screen_ended(program, v));
	assert_int_equal(step(v, "application", "pass", "2026-01-05", 0), 0);
	assert_int_equal(step(v, "interview", "fail", "2026-01-20", 0), 0);
	assert_string_equal(ps_screen_ended(program, v), "interview");
	refused("V-A00001: screening ended: step \"interview\" failed and may "
	    "not be repeated", step(v, "interview", "pass", "2026-01-21", 0));
	refused("V-A00001: cannot accept: step \"interview\" failed",
	    decide(v, 1, NULL));
	ps_node_free(v);
	/* a withdrawn volunteer's screening is over */
	v = record(volunteer_text, "status: withdrawn");
	refused("V-A00001: screening is over (status withdrawn)",
	    step(v, "application", "pass", "2026-01-05", 0));
	ps_node_free(v);
}

static void
next_step(void **state)
{
	struct ps_node *v = record(volunteer_text, NULL);
	long since = 0;

	(void)state;
	assert_string_equal(ps_screen_next(program, v, &since), "application");
	assert_int_equal(since, day("2026-01-05"));	/* received */
	assert_int_equal(step(v, "application", "pass", "2026-01-07", 0), 0);
	assert_string_equal(ps_screen_next(program, v, &since), "interview");
	assert_int_equal(since, day("2026-01-07"));
	ps_node_free(v);
	v = screened();
	assert_null(ps_screen_next(program, v, &since));
	ps_node_free(v);
}

static void
participant_onboarding(void **state)
{
	struct ps_node *p = record(participant_text, NULL);
	long since = 0;

	(void)state;
	/* the extended stream asks only the call */
	expect_missing(p, "2026-11-22", 1, "intake-call");
	assert_string_equal(ps_screen_next(program, p, &since), "intake-call");
	assert_int_equal(since, day("2026-11-02"));
	refused("P-B00001: the programme has no onboarding step \"interview\" "
	    "(it has: intake-call, consent-form)",
	    step(p, "interview", "pass", "2026-11-03", 0));
	assert_int_equal(step(p, "intake-call", "pass", "2026-11-03", 0), 0);
	expect_missing(p, "2026-11-22", 0, "");
	assert_null(ps_screen_next(program, p, NULL));
	/* onboarding done: waiting for a match */
	assert_string_equal(ps_node_get_str(p, "status"), "waiting");
	assert_non_null(ps_node_get(p, "onboarding"));
	ps_node_free(p);

	/* onecall asks nothing */
	p = record(participant_text, "stream: onecall");
	expect_missing(p, "2026-11-22", 0, "");
	assert_null(ps_screen_next(program, p, NULL));
	ps_node_free(p);

	/* a stream with no list asks every step, in order */
	p = record(participant_text, "stream: drop-in");
	expect_missing(p, "2026-11-22", 2, "intake-call, consent-form");
	refused("P-B00001: step \"consent-form\" needs intake-call passed "
	    "first", step(p, "consent-form", "pass", "2026-11-03", 0));
	assert_int_equal(step(p, "intake-call", "pass", "2026-11-03", 0), 0);
	assert_string_equal(ps_node_get_str(p, "status"), "onboarding");
	expect_missing(p, "2026-11-22", 1, "consent-form");
	assert_int_equal(step(p, "consent-form", "pass", "2026-11-04", 0), 0);
	assert_string_equal(ps_node_get_str(p, "status"), "waiting");
	expect_missing(p, "2026-11-22", 0, "");
	ps_node_free(p);
}

static void
decisions(void **state)
{
	struct ps_node *v = interviewed(), *p;

	(void)state;
	refused("V-A00001: cannot accept: still missing: references (0 of 2), "
	    "police-check, training", decide(v, 1, NULL));
	assert_null(ps_node_get(v, "decision"));
	ps_node_free(v);

	v = screened();
	assert_int_equal(decide(v, 1, NULL), 0);
	assert_string_equal(ps_node_get_str(v, "status"), "active");
	assert_string_equal(ps_node_get_str(v, "decision.result"), "accept");
	assert_string_equal(ps_node_get_str(v, "decision.date"), "2026-11-22");
	assert_string_equal(ps_node_get_str(v, "capacity"), "2");
	assert_string_equal(ps_node_get_str(v, "commitment.months"), "12");
	assert_string_equal(ps_node_get_str(v, "commitment.until"),
	    "2027-11-22");
	refused("V-A00001: already decided: accept", decide(v, 0, NULL));
	/* after the decision, only checks that expire may be renewed */
	refused("V-A00001: screening is over (status active)",
	    step(v, "interview", "pass", "2026-11-22", 0));
	assert_int_equal(step(v, "police-check", "pass", "2026-11-22", 0), 0);
	ps_node_free(v);

	/* declining needs nothing done */
	v = record(volunteer_text, "capacity: 1");
	assert_int_equal(decide(v, 0, "not now"), 0);
	assert_string_equal(ps_node_get_str(v, "status"), "declined");
	assert_string_equal(ps_node_get_str(v, "decision.reason"), "not now");
	assert_null(ps_node_get(v, "commitment"));
	ps_node_free(v);

	v = record(volunteer_text, "status: active");
	refused("V-A00001: cannot decide on a volunteer who is active",
	    decide(v, 0, NULL));
	ps_node_free(v);
	p = record(participant_text, NULL);
	refused("P-B00001: decisions are for volunteers", decide(p, 1, NULL));
	ps_node_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rules_by_kind),
		cmocka_unit_test(steps_in_order),
		cmocka_unit_test(waived_prerequisite),
		cmocka_unit_test(references_count_by_referee),
		cmocka_unit_test(checks_expire),
		cmocka_unit_test(expired_prerequisite),
		cmocka_unit_test(training_hours_and_modules),
		cmocka_unit_test(a_failed_step_ends_screening),
		cmocka_unit_test(next_step),
		cmocka_unit_test(participant_onboarding),
		cmocka_unit_test(decisions),
	};

	return cmocka_run_group_tests_name("screen", tests, setup, teardown);
}
