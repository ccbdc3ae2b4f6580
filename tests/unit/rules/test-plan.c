/*
 * Unit tests: recruiting gaps from a plan over records read elsewhere
 * (lib/rules/plan.c, ps_plan_gaps).
 *
 * The programme is examples/ms-society's; the people are the fixtures of
 * tests/fixtures/match, handed over by a source of the test's own that
 * keeps them (as ps-report's source of a past commit does), with match
 * records written here. ps_plan_gaps reads the store only for --weights,
 * which it never takes, so no store is given. Today is 22 November 2026.
 *
 * The fixtures: P-B00001 (en, fr; requires a volunteer living with MS),
 * P-B00002 (en), P-B00003 (fr), P-B00004 (es), all extended, and
 * P-B00005 asking OneCall; V-A00001 (living with MS, en, capacity 1,
 * extended), V-A00002 (caregiver, en and fr, capacity 2, both streams),
 * V-A00003 (living with MS, fr, capacity 1, both), V-A00004 on leave.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/date.h"
#include "util/str.h"
#include "model/record.h"
#include "model/yaml.h"
#include "rules/plan.h"

#define MAXREC	16

/* Records kept by the source, handed over kind by kind. */
struct source {
	struct ps_node	*rec[MAXREC];
	size_t		 n;
	int		 fail_on;	/* call that fails (1-based); 0: none */
	int		 calls;
	const char	*kinds[4];	/* kinds asked for, in order */
};

static struct ps_node *program;
static long today;

static int
each(void *src, const char *kind, ps_store_fn fn, void *arg,
    struct ps_diags *d)
{
	struct source *s = src;
	size_t i;
	int rc;

	if (s->calls < 4)
		s->kinds[s->calls] = kind;
	if (++s->calls == s->fail_on)
		return ps_diag_err(d, PS_STORE, "%ss: cannot read", kind);
	for (i = 0; i < s->n; i++)
		if (strcmp(ps_record_kind(s->rec[i]), kind) == 0 &&
		    (rc = fn(arg, "rel", s->rec[i], d)) != 0)
			return rc;
	return 0;
}

static void
add(struct source *s, struct ps_node *rec)
{
	assert_non_null(rec);
	assert_true(s->n < MAXREC);
	s->rec[s->n++] = rec;
}

/* The fixture of this ID. */
static void
fixture(struct source *s, const char *id)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;
	char path[128];

	snprintf(path, sizeof(path), "tests/fixtures/match/%s.yaml", id);
	if (ps_yaml_load_file(&n, path, NULL, 0, &d) != 0) {
		ps_diags_print(&d, "test-plan", stderr);
		fail_msg("cannot read %s", path);
	}
	ps_diags_release(&d);
	add(s, n);
}

static void
yaml(struct source *s, const char *text)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;

	if (ps_yaml_load_mem(&n, text, strlen(text), "test", &d) != 0) {
		ps_diags_print(&d, "test-plan", stderr);
		fail_msg("cannot read:\n%s", text);
	}
	ps_diags_release(&d);
	add(s, n);
}

/* A match between p and v in this status. */
static void
match(struct source *s, const char *p, const char *v, const char *status)
{
	char text[256];

	snprintf(text, sizeof(text), "kind: match\nid: M-C%05zu\n"
	    "participant: %s\nvolunteer: %s\nstatus: %s\n"
	    "proposed: 2026-10-01T09:00:00-04:00\n", s->n, p, v, status);
	yaml(s, text);
}

static void
source_release(struct source *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		ps_node_free(s->rec[i]);
	memset(s, 0, sizeof(*s));
}

/* The gaps, as one string of lines; the source's records untouched. */
static void
expect_gaps(struct source *s, const char *want)
{
	struct ps_diags d = PS_DIAGS_INIT;
	char **r = NULL, got[1024] = "";
	size_t n = 99, i, len = 0;

	assert_int_equal(ps_plan_gaps(NULL, program, today, each, s, &r, &n,
	    &d), 0);
	assert_int_equal(d.n, 0);
	assert_non_null(r);
	for (i = 0; i < n; i++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s\n",
		    r[i]);
	assert_string_equal(got, want);
	/* matches first, so that open ones count against capacity */
	assert_int_equal(s->calls, 3);
	assert_string_equal(s->kinds[0], "match");
	assert_string_equal(s->kinds[1], "volunteer");
	assert_string_equal(s->kinds[2], "participant");
	s->calls = 0;
	for (i = 0; i < s->n; i++)
		assert_non_null(ps_record_kind(s->rec[i]));
	ps_strv_free(r, n);
	ps_diags_release(&d);
}

static void
all_fixtures(struct source *s)
{
	static const char *const ids[] = { "P-B00001", "P-B00002",
	    "P-B00003", "P-B00004", "P-B00005", "V-A00001", "V-A00002",
	    "V-A00003", "V-A00004" };
	size_t i;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		fixture(s, ids[i]);
}

static int
setup(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	if (ps_yaml_load_file(&program, "examples/ms-society/program.yaml",
	    NULL, 0, &d) != 0 || ps_date_parse_days("2026-11-22", &today))
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
nobody(void **state)
{
	struct source s = { 0 };

	(void)state;
	expect_gaps(&s, "");
	/* volunteers and nobody waiting: no gap either */
	fixture(&s, "V-A00001");
	expect_gaps(&s, "");
	source_release(&s);
}

/* Everyone but the Spanish speaker finds a volunteer. */
static void
the_fixtures(void **state)
{
	struct source s = { 0 };

	(void)state;
	all_fixtures(&s);
	expect_gaps(&s, "no free extended volunteer speaks their language "
	    "(es)\n");
	source_release(&s);
}

/* The reasons are sorted, equal ones neighbours, whatever the order read. */
static void
reasons_sorted(void **state)
{
	struct source s = { 0 };

	(void)state;
	yaml(&s, "kind: participant\nid: P-B00009\nstatus: waiting\n"
	    "stream: extended\nreceived: 2026-11-01T09:00:00-04:00\n"
	    "languages: [es]\nonboarding:\n"
	    "  - {step: onboarding-call, result: pass, date: 2026-11-01}\n");
	all_fixtures(&s);
	/* V-A00001 holds a match already: full at capacity 1 */
	match(&s, "P-B00008", "V-A00001", "active");
	expect_gaps(&s,
	    "no free extended volunteer speaks their language (es)\n"
	    "no free extended volunteer speaks their language (es)\n"
	    "the suitable extended volunteers all went to others\n");
	source_release(&s);
}

/* P-B00001 requires a volunteer living with MS; without V-A00001 and
   V-A00003 only a caregiver is left: the reason names the role. */
static void
hard_constraint_named(void **state)
{
	struct source s = { 0 };

	(void)state;
	fixture(&s, "P-B00001");
	fixture(&s, "V-A00002");
	fixture(&s, "V-A00004");	/* on leave: not free */
	expect_gaps(&s, "no free extended volunteer has the lived-experience "
	    "role asked for (living-with)\n");
	source_release(&s);
	/* with V-A00001 full, the same */
	fixture(&s, "P-B00001");
	fixture(&s, "V-A00001");
	fixture(&s, "V-A00002");
	match(&s, "P-B00008", "V-A00001", "proposed");
	expect_gaps(&s, "no free extended volunteer has the lived-experience "
	    "role asked for (living-with)\n");
	source_release(&s);
	/* a match that has ended frees the volunteer again */
	fixture(&s, "P-B00001");
	fixture(&s, "V-A00001");
	fixture(&s, "V-A00002");
	match(&s, "P-B00008", "V-A00001", "ended");
	expect_gaps(&s, "");
	source_release(&s);
}

/* A volunteer at or over capacity is not used; capacity bounds a plan. */
static void
capacity_respected(void **state)
{
	struct source s = { 0 };

	(void)state;
	/* V-A00001, capacity 1, with two open matches */
	fixture(&s, "P-B00002");
	fixture(&s, "V-A00001");
	match(&s, "P-B00007", "V-A00001", "active");
	match(&s, "P-B00008", "V-A00001", "callback-open");
	expect_gaps(&s, "no free volunteer serves the extended stream\n");
	source_release(&s);
	/* two who could take V-A00001 alone: one left out */
	fixture(&s, "P-B00001");
	fixture(&s, "P-B00002");
	fixture(&s, "V-A00001");
	expect_gaps(&s, "the suitable extended volunteers all went to "
	    "others\n");
	source_release(&s);
	/* ...and with capacity 2 both are taken */
	fixture(&s, "P-B00001");
	fixture(&s, "P-B00002");
	fixture(&s, "V-A00001");
	assert_int_equal(ps_node_set_plain(s.rec[2], "capacity", "2"), 0);
	expect_gaps(&s, "");
	source_release(&s);
}

/* Who is not waiting for a match is no gap: an open match, onboarding not
   done, a status past waiting. */
static void
who_is_waiting(void **state)
{
	struct source s = { 0 };

	(void)state;
	fixture(&s, "P-B00004");
	match(&s, "P-B00004", "V-A00002", "active");
	expect_gaps(&s, "");
	source_release(&s);
	fixture(&s, "P-B00004");
	match(&s, "P-B00004", "V-A00002", "declined");
	expect_gaps(&s, "no free volunteer serves the extended stream\n");
	source_release(&s);
	fixture(&s, "P-B00004");
	assert_int_equal(ps_node_map_del(s.rec[0], "onboarding"), 1);
	expect_gaps(&s, "");
	source_release(&s);
	fixture(&s, "P-B00004");
	assert_int_equal(ps_node_set_plain(s.rec[0], "status", "closed"), 0);
	expect_gaps(&s, "");
	source_release(&s);
	/* still "onboarding" with every step done: waiting all the same */
	fixture(&s, "P-B00004");
	assert_int_equal(ps_node_set_plain(s.rec[0], "status", "onboarding"),
	    0);
	expect_gaps(&s, "no free volunteer serves the extended stream\n");
	source_release(&s);
}

/* A pair declined before is set aside. */
static void
declined_pair(void **state)
{
	struct source s = { 0 };

	(void)state;
	fixture(&s, "P-B00002");
	fixture(&s, "V-A00002");
	match(&s, "P-B00002", "V-A00002", "declined");
	expect_gaps(&s, "no free extended volunteer is left once declined "
	    "pairs are set aside\n");
	source_release(&s);
}

/* The OneCall request is a gap too when nobody can call back. */
static void
onecall(void **state)
{
	struct source s = { 0 };

	(void)state;
	fixture(&s, "P-B00005");
	fixture(&s, "V-A00001");	/* not on the onecall stream */
	fixture(&s, "V-A00003");	/* French only */
	expect_gaps(&s, "no free onecall volunteer speaks their language "
	    "(en)\n");
	source_release(&s);
}

/* The source's error is the result; nothing is returned. */
static void
source_fails(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct source s = { 0 };
	char **r = (char **)&s;
	size_t n = 99;
	int call;

	(void)state;
	all_fixtures(&s);
	for (call = 1; call <= 3; call++) {
		s.fail_on = call;
		s.calls = 0;
		assert_int_equal(ps_plan_gaps(NULL, program, today, each, &s,
		    &r, &n, &d), PS_STORE);
		assert_null(r);
		assert_int_equal(n, 0);
		assert_int_equal(d.n, 1);
		assert_int_equal(s.calls, call);
		ps_diags_release(&d);
	}
	source_release(&s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nobody),
		cmocka_unit_test(the_fixtures),
		cmocka_unit_test(reasons_sorted),
		cmocka_unit_test(hard_constraint_named),
		cmocka_unit_test(capacity_respected),
		cmocka_unit_test(who_is_waiting),
		cmocka_unit_test(declined_pair),
		cmocka_unit_test(onecall),
		cmocka_unit_test(source_fails),
	};

	return cmocka_run_group_tests_name("plan", tests, setup, teardown);
}
