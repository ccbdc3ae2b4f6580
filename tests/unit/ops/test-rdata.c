/*
 * Unit tests: what a report reads of a commit (lib/ops/rdata.c), on the
 * store of the matching fixtures (five participants received from 1
 * October to 20 November 2026, four volunteers) with contacts committed
 * on top. The period is 1 to 21 November, the period before it 11 to 31
 * October; the stalled-days window (program.yaml: 14) starts on 8
 * November.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/date.h"
#include "util/str.h"
#include "ops/rdata.h"
#include "store-ops.h"

struct t {
	struct fix	 f;
	struct ps_diags	 d;
	struct ps_rdata	 r;
	int		 init;		/* r to release */
};

/* Contacts of the period, of the one before, and of neither. */
static const struct {
	const char	*path, *text;
} contacts[] = {
	{ "contacts/2026/11/05/C-A00001.yaml",
	    "kind: contact\nid: C-A00001\ntype: contact\n"
	    "date: 2026-11-05T10:00:00-05:00\nmatch: M-A00001\n"
	    "mode: phone\nminutes: 30\nfunder: Beta Trust\n" },
	{ "contacts/2026/11/06/C-A00002.yaml",
	    "kind: contact\nid: C-A00002\ntype: callback\n"
	    "date: 2026-11-06T10:00:00-05:00\nparticipant: P-B00005\n"
	    "mode: video\nminutes: 15\n"
	    "flag:\n  type: crisis\n  referral: none\n" },
	{ "contacts/2026/11/07/C-A00003.yaml",
	    "kind: contact\nid: C-A00003\ntype: activity\n"
	    "date: 2026-11-07T10:00:00-05:00\nvolunteer: V-A00001\n"
	    "activity: training\nhours: 2.5\n" },
	{ "contacts/2026/11/08/C-A00004.yaml",
	    "kind: contact\nid: C-A00004\ntype: feedback\n"
	    "date: 2026-11-08T10:00:00-05:00\nparticipant: P-B00002\n"
	    "feedback:\n  helpfulness: 4\n"
	    "  outcomes:\n    coping: 3\n    distress: 5\n" },
	{ "contacts/2026/11/09/C-A00009.yaml",
	    "kind: contact\nid: C-A00009\ntype: contact\n"
	    "date: 2026-11-09T10:00:00-05:00\nmatch: M-A00009\n"
	    "mode: text\nminutes: 5\n" },
	{ "contacts/2026/11/20/C-A00005.yaml",
	    "kind: contact\nid: C-A00005\ntype: contact\n"
	    "date: 2026-11-20T10:00:00-05:00\nmatch: M-A00002\n"
	    "mode: email\nminutes: 10\n" },
	{ "contacts/2026/11/21/C-A00006.yaml",
	    "kind: contact\nid: C-A00006\ntype: dropin\n"
	    "date: 2026-11-21T10:00:00-05:00\nminutes: 20\n"
	    "funder: Alpha Fund\n" },
	{ "contacts/2026/10/20/C-A00007.yaml",
	    "kind: contact\nid: C-A00007\ntype: contact\n"
	    "date: 2026-10-20T10:00:00-04:00\nmatch: M-A00001\n"
	    "mode: email\nminutes: 10\n"
	    "flag:\n  type: risk\n  referral: \"988\"\n" },
	{ "contacts/2026/11/22/C-A00008.yaml",	/* after the period */
	    "kind: contact\nid: C-A00008\ntype: contact\n"
	    "date: 2026-11-22T10:00:00-05:00\nmatch: M-A00001\n"
	    "mode: phone\nminutes: 60\n" },
};

/* Feedback of 1 September: a follow-up survey due in the 4 weeks after
   21 November when agreed to, by someone still taking part. */
static const struct {
	const char	*id, *participant, *consent, *after;
} feedback[] = {
	{ "C-B00001", "P-B00002", "true", "2026-12-01" },	/* due */
	{ "C-B00002", "P-B00003", "false", "2026-12-01" },	/* no */
	{ "C-B00003", "P-B00004", "true", "2027-01-15" },	/* later */
	{ "C-B00004", "P-ZZZZZZ", "true", "2026-12-01" },	/* no one */
};

static int
setup(void **state)
{
	struct t *t;

	assert_non_null(t = calloc(1, sizeof(*t)));
	ops_new(&t->f, 1);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;

	if (t->init)
		ps_rdata_release(&t->r);
	ps_diags_release(&t->d);
	fix_free(&t->f);
	free(t);
	return 0;
}

static long
day(const char *s)
{
	struct ps_date dt;

	assert_int_equal(ps_date_parse(s, &dt), 0);
	return ps_date_days(&dt);
}

/* The contacts above and program.yaml with two funders, committed. */
static void
put_contacts(struct t *t)
{
	struct ps_buf b = PS_BUF_INIT, path = PS_BUF_INIT;
	char *prog;
	size_t i;

	for (i = 0; i < sizeof(contacts) / sizeof(contacts[0]); i++)
		fix_write(&t->f, contacts[i].path, contacts[i].text);
	for (i = 0; i < sizeof(feedback) / sizeof(feedback[0]); i++) {
		ps_buf_truncate(&b, 0);
		assert_int_equal(ps_buf_printf(&b, "kind: contact\nid: %s\n"
		    "type: feedback\ndate: 2026-09-01T10:00:00-04:00\n"
		    "participant: %s\nfeedback:\n  helpfulness: 5\n"
		    "  followup_consent: %s\n  followup_after: %s\n",
		    feedback[i].id, feedback[i].participant,
		    feedback[i].consent, feedback[i].after), 0);
		assert_int_equal(ps_buf_printf(&path,
		    "contacts/2026/09/01/%s.yaml", feedback[i].id), 0);
		fix_write(&t->f, path.s, b.s);
		ps_buf_truncate(&path, 0);
	}
	prog = ops_slurp("examples/ms-society/program.yaml");
	ps_buf_truncate(&b, 0);
	assert_int_equal(ps_buf_printf(&b, "%sfunders:\n  - Alpha Fund\n"
	    "  - Beta Trust\n", prog), 0);
	free(prog);
	ops_put(&t->f, "program.yaml", b.s);
	ps_buf_release(&b);
	ps_buf_release(&path);
}

/* Init and read over 1 to 21 November. */
static void
read_november(struct t *t)
{
	assert_int_equal(ps_rdata_init(&t->r, t->f.s, NULL, &t->d), 0);
	t->init = 1;
	t->r.from = day("2026-11-01");
	t->r.until = day("2026-11-21");
	t->r.pfrom = day("2026-10-11");
	t->r.puntil = day("2026-10-31");
	assert_int_equal(ps_rdata_read(&t->r, &t->d), 0);
	assert_int_equal(t->d.n, 0);
}

/* The commit named, and program.yaml as it was there. */
static void
test_init(void **state)
{
	struct t *t = *state;
	struct ps_buf head = PS_BUF_INIT, first = PS_BUF_INIT;
	char id[41];

	assert_int_equal(fix_git(&t->f, &head, "rev-parse HEAD"), 0);
	assert_int_equal(fix_git(&t->f, &first, "rev-list --max-parents=0 "
	    "HEAD"), 0);
	assert_int_equal(ps_rdata_init(&t->r, t->f.s, NULL, &t->d), 0);
	t->init = 1;
	git_oid_tostr(id, sizeof(id), &t->r.commit);
	assert_int_equal(strncmp(id, head.s, 40), 0);
	assert_string_equal(ps_node_get_str(t->r.prog, "timezone"),
	    "America/Toronto");
	assert_int_equal(ps_node_get_long(t->r.prog, "reports.stalled_days", 0),
	    14);
	assert_int_equal(ps_node_get_long(t->r.prog, "reports.none", 7), 7);
	ps_rdata_release(&t->r);
	t->init = 0;

	/* as of the first commit */
	first.s[40] = '\0';
	assert_int_equal(ps_rdata_init(&t->r, t->f.s, first.s, &t->d), 0);
	t->init = 1;
	git_oid_tostr(id, sizeof(id), &t->r.commit);
	assert_string_equal(id, first.s);
	ps_rdata_release(&t->r);
	t->init = 0;

	/* a commit that is not there: an error, and nothing to leak */
	assert_int_not_equal(ps_rdata_init(&t->r, t->f.s, "no-such-commit",
	    &t->d), 0);
	t->init = 1;
	assert_true(t->d.errors > 0);
	ps_buf_release(&head);
	ps_buf_release(&first);
}

/* Every participant, volunteer and match, kept by kind; participants
   found by ID. */
static void
test_summaries(void **state)
{
	struct t *t = *state;
	const char *prev = "";
	size_t i;

	read_november(t);
	assert_int_equal(t->r.n[0], 5);
	assert_int_equal(t->r.n[1], 4);
	assert_int_equal(t->r.n[2], 0);
	for (i = 0; i < t->r.n[0]; i++) {
		const struct ps_rsum *p = *t->r.by_id[i];
		const char *id = ps_rdata_str(p, PS_P_ID);

		assert_true(strcmp(prev, id) < 0);
		prev = id;
		if (strcmp(id, "P-B00002") == 0) {
			assert_int_equal(ps_rdata_day(&t->r, p,
			    PS_P_RECEIVED), day("2026-11-02"));
			assert_string_equal(ps_rdata_str(p, PS_P_ROLE),
			    "caregiver");
		}
		assert_null(ps_rdata_str(p, PS_P_WITHDRAWN));
		assert_int_equal(ps_rdata_day(&t->r, p, PS_P_WITHDRAWN), -1);
	}
	assert_string_equal(prev, "P-B00005");
	assert_int_equal(t->r.nnames[0], 0);	/* no funders */
	assert_int_equal(t->r.nnames[1], 0);
	assert_int_equal(t->r.cur.contacts, 0);
	assert_int_equal(t->r.cur.by[0][0].n, 0);
}

/* The period's contacts counted, and the period before's. */
static void
test_contacts(void **state)
{
	struct t *t = *state;
	const struct ps_rdata_agg *a = &t->r.cur, *p = &t->r.prev;
	const struct ps_rtable *fl;

	put_contacts(t);
	read_november(t);
	assert_int_equal(t->r.nnames[0], 2);
	assert_string_equal(t->r.names[0][0], "Alpha Fund");
	assert_string_equal(t->r.names[0][1], "Beta Trust");

	assert_int_equal(a->contacts, 4);	/* C-A00001, 2, 5 and 9 */
	assert_int_equal(a->callbacks, 1);
	assert_int_equal(a->support_minutes, 30 + 15 + 10 + 5 + 20);
	assert_int_equal(a->mode_n[ps_str_index(ps_rdata_modes, "phone")],
	    1);
	assert_int_equal(a->mode_min[ps_str_index(ps_rdata_modes,
	    "video")], 15);
	assert_int_equal(a->mode_min[ps_str_index(ps_rdata_modes,
	    "email")], 10);
	assert_true(a->vol_hours[ps_str_index(ps_rdata_activities,
	    "training")] == 2.5);
	assert_int_equal(a->dropins, 1);
	assert_int_equal(a->feedback, 1);
	assert_int_equal(a->helpful_sum, 4);
	assert_int_equal(a->out_n[ps_str_index(ps_rdata_domains,
	    "coping")], 1);
	assert_int_equal(a->out_sum[ps_str_index(ps_rdata_domains,
	    "distress")], 5);
	assert_int_equal(a->out_n[ps_str_index(ps_rdata_domains,
	    "empowerment")], 0);

	/* by funder: contacts, callbacks and drop-ins; the last is none */
	assert_int_equal(a->by[0][0].n, 1);	/* Alpha Fund */
	assert_int_equal(a->by[0][0].min, 20);
	assert_int_equal(a->by[0][1].n, 1);	/* Beta Trust */
	assert_int_equal(a->by[0][2].n, 3);
	assert_int_equal(a->by[0][2].min, 30);
	assert_int_equal(a->by[1][0].n, 5);	/* no host organisations */

	/* flags: counted in both periods, listed in the period only */
	assert_int_equal(a->flagged, 1);
	assert_int_equal(a->flag_n[ps_str_index(ps_rdata_flags,
	    "crisis")], 1);
	assert_int_equal(a->no_referral, 1);
	assert_non_null(fl = t->r.flagged);
	assert_int_equal(fl->nrows, 1);
	assert_string_equal(fl->cells[0], "C-A00002");
	assert_string_equal(fl->cells[1], "2026-11-06");
	assert_string_equal(fl->cells[2], "crisis");
	assert_string_equal(fl->cells[3], "none");
	assert_string_equal(fl->cells[4], "needs attention");

	assert_int_equal(p->contacts, 1);	/* C-A00007 */
	assert_int_equal(p->flagged, 1);
	assert_int_equal(p->no_referral, 0);
	assert_int_equal(p->flag_n[ps_str_index(ps_rdata_flags, "risk")],
	    1);
	assert_int_equal(p->by[0][2].n, 1);

	/* a contact from 8 November on: the match is not stalled */
	assert_int_equal(t->r.stalled_from, day("2026-11-08"));
	assert_true(ps_rdata_seen(&t->r, "M-A00002"));
	assert_true(ps_rdata_seen(&t->r, "M-A00009"));
	assert_false(ps_rdata_seen(&t->r, "M-A00001"));
	assert_false(ps_rdata_seen(&t->r, "M-ZZZZZZ"));
}

/* Follow-up surveys due in the 4 weeks after the period. */
static void
test_followups(void **state)
{
	struct t *t = *state;
	const struct ps_rtable *due;

	put_contacts(t);
	read_november(t);
	assert_int_equal(t->r.fu_due, 1);
	assert_non_null(due = t->r.due);
	assert_int_equal(due->nrows, 1);
	assert_string_equal(due->cells[0], "P-B00002");
	assert_string_equal(due->cells[1], "2026-12-01");
	assert_string_equal(due->cells[2], "C-B00001");
	/* feedback outside the period is not counted as the period's */
	assert_int_equal(t->r.cur.feedback, 1);
	assert_int_equal(t->r.prev.feedback, 0);
}

/* The small helpers. */
static void
test_helpers(void **state)
{
	(void)state;
	assert_int_equal(ps_str_index(ps_rdata_modes, "phone"), 0);
	assert_int_equal(ps_str_index(ps_rdata_modes, "text"), 4);
	assert_int_equal(ps_str_index(ps_rdata_modes, "fax"), -1);
	assert_int_equal(ps_str_index(ps_rdata_modes, NULL), -1);
	assert_int_equal(ps_str_index(ps_rdata_flags, "safeguarding"), 2);
	assert_int_equal(ps_str_index(ps_rdata_domains, "distress"), 3);
	assert_int_equal(ps_str_index(ps_rdata_activities, "admin"), 4);
	assert_true(ps_rdata_in(5, 5, 5));
	assert_true(ps_rdata_in(6, 5, 7));
	assert_false(ps_rdata_in(4, 5, 7));
	assert_false(ps_rdata_in(8, 5, 7));
	assert_false(ps_rdata_in(-1, 0, 7));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_helpers),
		cmocka_unit_test_setup_teardown(test_init, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summaries, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_contacts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_followups, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
