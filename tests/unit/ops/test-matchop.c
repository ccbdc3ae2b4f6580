/*
 * Unit tests: ps-match's operation (lib/ops/matchop.c) on the store of
 * tests/cli/ps-match.bats: the default programme with four volunteers
 * (one on leave) and five participants waiting, four for extended
 * support and one OneCall request (tests/fixtures/match). The proposals
 * must be those ps-match prints there; then the lifecycle of a match
 * (accept, extend, end, decline) and the refusals.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/ids.h"
#include "ops/matchop.h"
#include "store-ops.h"

struct t {
	struct fix	f;
	struct ops_out	o;
	struct ps_diags	d;
	struct ps_ids	only;
};

static const char table_head[] =
    "MATCH     PARTICIPANT  VOLUNTEER  STREAM        SCORE\n";

static int
setup(void **state)
{
	struct t *t;

	assert_non_null(t = calloc(1, sizeof(*t)));
	ops_new(&t->f, 1);
	ops_open(&t->o);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;

	ps_ids_release(&t->only);
	ps_diags_release(&t->d);
	ops_close(&t->o);
	fix_free(&t->f);
	free(t);
	return 0;
}

static void
fresh(struct t *t)
{
	ops_close(&t->o);
	ops_open(&t->o);
	ps_diags_release(&t->d);
}

/* Run an action on id (or the proposals when NULL). */
static int
run(struct t *t, enum ps_match_action a, const char *id, int table,
    int commit)
{
	struct ps_match_opts o;

	memset(&o, 0, sizeof(o));
	o.action = a;
	o.id = id;
	o.table = table;
	o.commit = commit;
	o.in_fd = -1;
	return ps_matchop_run(t->f.s, &t->only, &o, t->o.fp, &t->d);
}

/* Output with every match ID as M-xxxxxx (the caller frees it). */
static char *
anon(const char *s)
{
	static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	char *a = strdup(s), *p;
	size_t i;

	assert_non_null(a);
	for (p = a; (p = strstr(p, "M-")) != NULL; p += 2) {
		for (i = 2; i < 8 && p[i] && strchr(crockford, p[i]); i++)
			;
		if (i == 8 && !isalnum((unsigned char)p[8]))
			memcpy(p + 2, "xxxxxx", 6);
	}
	return a;
}

/* The match proposed for participant p in a table. */
static void
match_of(const char *table, const char *p, char id[16])
{
	char want[32];
	const char *l;

	snprintf(want, sizeof(want), "  %s  ", p);
	assert_non_null(l = strstr(table, want));
	while (l > table && l[-1] != '\n')
		l--;
	assert_int_equal(sscanf(l, "%15s", id), 1);
}

/* The optimum on the fixtures, with a reason for the one left out; a
   run without commit writes nothing. */
static void
test_proposals(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);
	char *a;

	assert_int_equal(run(t, PS_MATCH_PROPOSE, NULL, 1, 0), 0);
	a = anon(ops_text(&t->o));
	assert_string_equal(a, "MATCH     PARTICIPANT  VOLUNTEER  STREAM  "
	    "      SCORE\n"
	    "M-xxxxxx  P-B00001     V-A00001   extended      14\n"
	    "M-xxxxxx  P-B00002     V-A00002   extended      12.429\n"
	    "M-xxxxxx  P-B00003     V-A00003   extended      11.857\n"
	    "M-xxxxxx  P-B00005     V-A00002   onecall       10.143\n");
	free(a);
	assert_int_equal(t->d.errors, 0);
	assert_int_equal(t->d.n, 1);
	assert_true(fix_has_diag(&t->d, 0, "P-B00004: not matched: no free "
	    "extended volunteer speaks their language (es)"));
	assert_int_equal(ops_commits(&t->f), n);
	fix_git_says(&t->f, "", "status --porcelain --ignored");
}

/* The same store gives the same proposals, IDs included; as records,
   each with its breakdown. */
static void
test_deterministic(void **state)
{
	struct t *t = *state;
	char *one;
	const char *s;
	int n;

	assert_int_equal(run(t, PS_MATCH_PROPOSE, NULL, 0, 0), 0);
	assert_non_null(one = strdup(ops_text(&t->o)));
	fresh(t);
	assert_int_equal(run(t, PS_MATCH_PROPOSE, NULL, 0, 0), 0);
	s = ops_text(&t->o);
	assert_string_equal(s, one);
	free(one);
	assert_non_null(strstr(s, "\nparticipant: P-B00001\nvolunteer: "
	    "V-A00001\n"));
	assert_non_null(strstr(s, "breakdown:\n  - criterion: eligible\n"
	    "    points: 1\n    held: true\n"));
	for (n = 0; (s = strstr(s, "\nkind: match\n")) != NULL; s++)
		n++;
	assert_int_equal(n, 4);
}

/* Only the participants asked for. */
static void
test_only(void **state)
{
	struct t *t = *state;
	char *a;

	assert_int_equal(ps_ids_add(&t->only, "P-B00001", &t->d), 0);
	assert_int_equal(run(t, PS_MATCH_PROPOSE, NULL, 1, 0), 0);
	a = anon(ops_text(&t->o));
	assert_string_equal(a, "MATCH     PARTICIPANT  VOLUNTEER  STREAM  "
	    "      SCORE\n"
	    "M-xxxxxx  P-B00001     V-A00001   extended      14\n");
	free(a);
	assert_int_equal(t->d.n, 0);
}

/* Proposals committed in one commit; the next run proposes nobody
   twice. */
static void
test_commit(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);

	assert_int_equal(run(t, PS_MATCH_PROPOSE, NULL, 1, 1), 0);
	assert_int_equal(ops_commits(&t->f), n + 1);
	fix_git_says(&t->f, "ps-match: propose 3 matches, assign 1 callback\n",
	    "log -1 --format=%%s");
	fix_git_says(&t->f, "4\n", "show --name-only --format= HEAD | "
	    "grep -c '^matches/M-'");
	fix_git_says(&t->f, "", "status --porcelain");
	fresh(t);
	assert_int_equal(run(t, PS_MATCH_PROPOSE, NULL, 1, 0), 0);
	assert_string_equal(ops_text(&t->o), table_head);
	assert_true(fix_has_diag(&t->d, 0, "P-B00004: not matched: no free "
	    "volunteer serves the extended stream"));
}

/* Accept, extend, end: the match and its participant together. */
static void
test_accept_extend_end(void **state)
{
	struct t *t = *state;
	struct ps_match_opts o;
	struct ps_buf b = PS_BUF_INIT;
	char m[16], *rec;
	long n;

	assert_int_equal(run(t, PS_MATCH_PROPOSE, NULL, 1, 1), 0);
	match_of(ops_text(&t->o), "P-B00001", m);
	fix_reopen(&t->f);
	fresh(t);
	n = ops_commits(&t->f);

	memset(&o, 0, sizeof(o));
	o.action = PS_MATCH_ACCEPT;
	o.id = m;
	o.by = "A. Carey";
	o.in_fd = -1;
	assert_int_equal(ps_matchop_run(t->f.s, &t->only, &o, t->o.fp, &t->d),
	    0);
	assert_int_equal(ops_commits(&t->f), n + 1);
	assert_int_equal(ps_buf_printf(&b, "ps-match: accept %s (P-B00001 "
	    "with V-A00001)\n", m), 0);
	fix_git_says(&t->f, b.s, "log -1 --format=%%s");
	ps_buf_truncate(&b, 0);
	assert_int_equal(ps_buf_printf(&b, "matches/%s.yaml", m), 0);
	rec = fix_read(&t->f, b.s);
	assert_non_null(strstr(rec, "\nstatus: active\n"));
	assert_non_null(strstr(rec, "\nplanned_end: 2027-05-24\n"));
	assert_non_null(strstr(rec, "\ndays_to_match: 52\n"));
	assert_non_null(strstr(rec, "  - status: active\n    date: "
	    "2026-11-22T10:00:00-05:00\n    by: A. Carey\n"));
	free(rec);
	rec = fix_read(&t->f, "participants/P-B00001.yaml");
	assert_non_null(strstr(rec, "\nstatus: matched\n"));
	free(rec);
	assert_non_null(strstr(ops_text(&t->o), "\nstatus: active\n"));

	/* not twice */
	fresh(t);
	assert_int_equal(ps_matchop_run(t->f.s, &t->only, &o, t->o.fp, &t->d),
	    PS_REFUSED);
	ps_buf_truncate(&b, 0);
	assert_int_equal(ps_buf_printf(&b, "%s: not a proposal (status "
	    "active)", m), 0);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, b.s));
	assert_int_equal(ops_commits(&t->f), n + 1);

	/* four weeks more */
	o.action = PS_MATCH_EXTEND;
	o.days = 28;
	fresh(t);
	assert_int_equal(ps_matchop_run(t->f.s, &t->only, &o, t->o.fp, &t->d),
	    0);
	assert_non_null(strstr(ops_text(&t->o), "\nplanned_end: 2027-06-21\n"));
	assert_non_null(strstr(ops_text(&t->o), "extended:\n  - date: "
	    "2026-11-22\n    by_days: 28\n    until: 2027-06-21\n"));

	/* ended as planned: the participant's support is closed */
	o.action = PS_MATCH_END;
	o.reason = "completed";
	fresh(t);
	assert_int_equal(ps_matchop_run(t->f.s, &t->only, &o, t->o.fp, &t->d),
	    0);
	assert_non_null(strstr(ops_text(&t->o), "\nstatus: ended\n"));
	assert_non_null(strstr(ops_text(&t->o), "\nend_reason: completed\n"));
	rec = fix_read(&t->f, "participants/P-B00001.yaml");
	assert_non_null(strstr(rec, "\nstatus: closed\n"));
	free(rec);
	assert_int_equal(ops_commits(&t->f), n + 3);

	o.action = PS_MATCH_EXTEND;
	fresh(t);
	assert_int_equal(ps_matchop_run(t->f.s, &t->only, &o, t->o.fp, &t->d),
	    PS_REFUSED);
	ps_buf_truncate(&b, 0);
	assert_int_equal(ps_buf_printf(&b, "%s: not active (status ended)", m),
	    0);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, b.s));
	assert_int_equal(ops_commits(&t->f), n + 3);
	fix_git_says(&t->f, "", "status --porcelain");
	ps_buf_release(&b);
}

/* A declined pair is never proposed again; the participant waits on. */
static void
test_decline(void **state)
{
	struct t *t = *state;
	struct ps_match_opts o;
	struct ps_buf b = PS_BUF_INIT;
	char m[16], *rec;

	assert_int_equal(run(t, PS_MATCH_PROPOSE, NULL, 1, 1), 0);
	match_of(ops_text(&t->o), "P-B00002", m);
	fresh(t);
	memset(&o, 0, sizeof(o));
	o.action = PS_MATCH_DECLINE;
	o.id = m;
	o.by = "participant";
	o.reason = "a reason";
	o.in_fd = -1;
	assert_int_equal(ps_matchop_run(t->f.s, &t->only, &o, t->o.fp, &t->d),
	    0);
	assert_int_equal(ps_buf_printf(&b, "matches/%s.yaml", m), 0);
	rec = fix_read(&t->f, b.s);
	assert_non_null(strstr(rec, "\nstatus: declined\n"));
	assert_non_null(strstr(rec, "declined:\n  date: 2026-11-22\n"
	    "  by: participant\n  reason: a reason\n"));
	free(rec);
	rec = fix_read(&t->f, "participants/P-B00002.yaml");
	assert_non_null(strstr(rec, "\nstatus: waiting\n"));
	free(rec);
	/* the participant's record is left as it was: only the match */
	ps_buf_truncate(&b, 0);
	assert_int_equal(ps_buf_printf(&b, "matches/%s.yaml\n", m), 0);
	fix_git_says(&t->f, b.s, "show --name-only --format= HEAD");

	fresh(t);
	assert_int_equal(ps_ids_add(&t->only, "P-B00002", &t->d), 0);
	assert_int_equal(run(t, PS_MATCH_PROPOSE, NULL, 1, 0), 0);
	assert_string_equal(ops_text(&t->o), table_head);
	assert_true(fix_has_diag(&t->d, 0, "P-B00002: not matched: no free "
	    "extended volunteer is left once declined pairs are set aside"));
	ps_buf_release(&b);
}

/* Refusals: unknown and wrong-kind IDs, a stream the programme lacks;
   nothing written. */
static void
test_refusals(void **state)
{
	struct t *t = *state;
	struct ps_match_opts o;
	long n = ops_commits(&t->f);

	assert_int_equal(run(t, PS_MATCH_ACCEPT, "M-000000", 0, 0),
	    PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "M-000000: no such record"));
	assert_int_equal(run(t, PS_MATCH_ACCEPT, "P-B00001", 0, 0),
	    PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "P-B00001: not a match"));
	assert_int_equal(run(t, PS_MATCH_END, "V-A00001", 0, 0), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "V-A00001: not a match"));
	memset(&o, 0, sizeof(o));
	o.action = PS_MATCH_PROPOSE;
	o.stream = "nope";
	o.commit = 1;
	o.in_fd = -1;
	assert_int_equal(ps_matchop_run(t->f.s, &t->only, &o, t->o.fp, &t->d),
	    PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "--stream: the programme "
	    "has no stream \"nope\""));
	assert_int_equal(ops_commits(&t->f), n);
	fix_git_says(&t->f, "", "status --porcelain --ignored");
	assert_string_equal(ops_text(&t->o), "");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_proposals, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_deterministic, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_commit, setup, teardown),
		cmocka_unit_test_setup_teardown(test_accept_extend_end, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_decline, setup, teardown),
		cmocka_unit_test_setup_teardown(test_refusals, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
