/*
 * Unit tests: ps-log's operation (lib/ops/log.c) on a real store with
 * the default programme, the matching fixtures and two matches written
 * by hand: M-A00001 active (P-B00001 with V-A00001, extended support)
 * and M-A00002 ended (P-B00002 with V-A00002). Entries are given as
 * ps-log's command line gives them (no source: fields named by option),
 * or as a YAML stream (source "stdin": fields named by path, with
 * positions). The clock is fixture.h's: Sunday 22 November 2026, 10:00
 * in Toronto.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model/yaml.h"
#include "ops/log.h"
#include "store-ops.h"

static const char match_active[] =
    "kind: match\n"
    "id: M-A00001\n"
    "status: active\n"
    "stream: extended\n"
    "participant: P-B00001\n"
    "volunteer: V-A00001\n"
    "proposed: 2026-11-01T10:00:00-05:00\n"
    "accepted: 2026-11-02T10:00:00-05:00\n"
    "goals:\n"
    "  - id: g1\n"
    "    text: Get back to work.\n"
    "    status: open\n";

static const char match_ended[] =
    "kind: match\n"
    "id: M-A00002\n"
    "status: ended\n"
    "stream: extended\n"
    "participant: P-B00002\n"
    "volunteer: V-A00002\n"
    "proposed: 2026-10-01T10:00:00-04:00\n"
    "accepted: 2026-10-02T10:00:00-04:00\n"
    "ended: 2026-11-01T10:00:00-05:00\n"
    "end_reason: completed\n";

static const struct ps_log_opts cmdline = { NULL, "Test Coordinator", 0,
    NULL, 0 };
static const struct ps_log_opts dry = { NULL, "Test Coordinator", 1, NULL,
    0 };
static const struct ps_log_opts lines = { NULL, "Test Coordinator", 0, NULL,
    1 };

struct t {
	struct fix	f;
	struct ops_out	o;
	struct ps_diags	d;
};

static int
setup(void **state)
{
	struct t *t;

	assert_non_null(t = calloc(1, sizeof(*t)));
	ops_new(&t->f, 1);
	fix_write(&t->f, "matches/M-A00001.yaml", match_active);
	ops_put(&t->f, "matches/M-A00002.yaml", match_ended);
	ops_open(&t->o);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;

	ps_diags_release(&t->d);
	ops_close(&t->o);
	fix_free(&t->f);
	free(t);
	return 0;
}

/* An entry from its YAML text. */
static struct ps_node *
entry(const char *yaml)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *e = NULL;

	assert_int_equal(ps_yaml_load_mem(&e, yaml, strlen(yaml), "entry", &d),
	    0);
	ps_diags_release(&d);
	return e;
}

/* Log the entries (YAML texts, NULL-terminated) with o. */
static int
log_entries(struct t *t, const struct ps_log_opts *o, ...)
{
	struct ps_node *v[8];
	const char *y;
	size_t n = 0, i;
	va_list ap;
	int rc;

	va_start(ap, o);
	while ((y = va_arg(ap, const char *)) != NULL) {
		assert_true(n < 8);
		v[n++] = entry(y);
	}
	va_end(ap);
	rc = ps_log_run(t->f.s, v, n, o, t->o.fp, &t->d);
	for (i = 0; i < n; i++)
		ps_node_free(v[i]);
	return rc;
}

/* The ID of the first record in the output, in id. */
static void
out_id(struct t *t, char id[16])
{
	const char *s = strstr(ops_text(&t->o), "\nid: ");

	assert_non_null(s);
	assert_int_equal(sscanf(s + 5, "%15s", id), 1);
}

/* Nothing written: HEAD has n commits, and the work tree is clean. */
static void
nothing_written(struct t *t, long n)
{
	assert_int_equal(ops_commits(&t->f), n);
	fix_git_says(&t->f, "", "status --porcelain");
	assert_string_equal(ops_text(&t->o), "");
}

static const char contact[] =
    "match: M-A00001\nmode: phone\nminutes: 45\ndate: 2026-11-21\n"
    "topics: [employment, new-diagnosis]\nnote: a note\n";

/* A contact in an active match: one record with the match's people,
   filed under its day, in one commit named after it. */
static void
test_contact_committed(void **state)
{
	struct t *t = *state;
	struct ps_buf want = PS_BUF_INIT, b = PS_BUF_INIT;
	long n = ops_commits(&t->f);
	char id[16];

	assert_int_equal(log_entries(t, &cmdline, contact, NULL), 0);
	assert_int_equal(t->d.n, 0);
	out_id(t, id);
	assert_int_equal(ps_buf_printf(&want,
	    "---\n"
	    "kind: contact\n"
	    "id: %s\n"
	    "type: contact\n"
	    "date: 2026-11-21T12:00:00-05:00\n"
	    "match: M-A00001\n"
	    "participant: P-B00001\n"
	    "volunteer: V-A00001\n"
	    "mode: phone\n"
	    "minutes: 45\n"
	    "topics:\n"
	    "  - employment\n"
	    "  - new-diagnosis\n"
	    "note: a note\n"
	    "logged_by: Test Coordinator\n", id), 0);
	assert_string_equal(ops_text(&t->o), want.s);
	assert_int_equal(ops_commits(&t->f), n + 1);
	ps_buf_truncate(&b, 0);
	assert_int_equal(ps_buf_printf(&b, "ps-log: contact %s (M-A00001)\n",
	    id), 0);
	fix_git_says(&t->f, b.s, "log -1 --format=%%s");
	ps_buf_truncate(&b, 0);
	assert_int_equal(ps_buf_printf(&b, "contacts/2026/11/21/%s.yaml\n",
	    id), 0);
	fix_git_says(&t->f, b.s, "show --name-only --format= HEAD");
	fix_git_says(&t->f, "", "status --porcelain");
	/* the file is the record as printed, without the stream's "---" */
	b.s[b.len - 1] = '\0';
	fix_file_is(&t->f, b.s, want.s + 4);
	/* the author is the staff member asked for, at the pinned time */
	fix_git_says(&t->f, "Test Coordinator <coordinator@example.org> "
	    "2026-11-22T10:00:00-05:00\n", "log -1 --format='%%an <%%ae> "
	    "%%aI'");
	ps_buf_release(&want);
	ps_buf_release(&b);
}

/* Minutes out of 1..1440 are refused, named by option; nothing is
   written. */
static void
test_bad_minutes(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);
	static const char *const bad[] = { "0", "1441", "-5", "ten", "4.5" };
	char y[128];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(y, sizeof(y), "match: M-A00001\nmode: phone\n"
		    "minutes: %s\n", bad[i]);
		assert_int_equal(log_entries(t, &cmdline, y, NULL), PS_REFUSED);
		assert_int_equal(t->d.n, 1);
		assert_string_equal(t->d.v[0].path, "--minutes");
		assert_string_equal(t->d.v[0].msg, "a whole number of minutes "
		    "from 1 to 1440");
		nothing_written(t, n);
		ps_diags_release(&t->d);
	}
	/* missing minutes too */
	assert_int_equal(log_entries(t, &cmdline, "match: M-A00001\n"
	    "mode: phone\n", NULL), PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "a whole number of "
	    "minutes from 1 to 1440"));
	nothing_written(t, n);
}

/* The edges, 1 and 1440 minutes, pass. */
static void
test_minutes_edges(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);

	assert_int_equal(log_entries(t, &cmdline,
	    "match: M-A00001\nmode: email\nminutes: 1\n",
	    "match: M-A00001\nmode: video\nminutes: 1440\ndate: 2026-11-20\n",
	    NULL), 0);
	assert_int_equal(t->d.n, 0);
	assert_int_equal(ops_commits(&t->f), n + 1);
	fix_git_says(&t->f, "ps-log: 2 entries\n", "log -1 --format=%%s");
}

/* A contact on a match that is not active is refused (the programme
   does not ask for a warning), and nothing is written. */
static void
test_match_not_active(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);

	assert_int_equal(log_entries(t, &cmdline, "match: M-A00002\n"
	    "mode: phone\nminutes: 30\n", NULL), PS_REFUSED);
	assert_int_equal(t->d.n, 1);
	assert_string_equal(t->d.v[0].path, "--match");
	assert_string_equal(t->d.v[0].msg,
	    "M-A00002 is not active (status ended)");
	nothing_written(t, n);
}

/* An ID of another kind where a match is asked for. */
static void
test_not_a_match(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);

	assert_int_equal(log_entries(t, &cmdline, "match: P-B00001\n"
	    "mode: phone\nminutes: 10\n", NULL), PS_REFUSED);
	assert_int_equal(t->d.n, 1);
	assert_string_equal(t->d.v[0].path, "--match");
	assert_string_equal(t->d.v[0].msg, "not a match ID");
	nothing_written(t, n);
}

/* Every problem of a run is reported, and a good entry among bad ones is
   not written either. */
static void
test_all_or_nothing(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);

	assert_int_equal(log_entries(t, &cmdline, contact,
	    "match: M-A00002\nmode: phone\nminutes: 30\n",
	    "match: M-A00001\nmode: phone\nminutes: 0\n",
	    "match: M-A00001\nmode: fax\nminutes: 10\n",
	    "match: M-AAAAAA\nmode: phone\nminutes: 10\n",
	    "match: M-A00001\nmode: phone\nminutes: 10\ndate: 2026-11-23\n",
	    NULL), PS_REFUSED);
	assert_int_equal(t->d.n, 5);
	assert_true(fix_has_diag(&t->d, PS_REFUSED,
	    "M-A00002 is not active (status ended)"));
	assert_true(fix_has_diag(&t->d, PS_REFUSED,
	    "a whole number of minutes from 1 to 1440"));
	assert_true(fix_has_diag(&t->d, PS_REFUSED,
	    "the extended stream does not offer this mode"));
	assert_true(fix_has_diag(&t->d, PS_REFUSED,
	    "M-AAAAAA: no such record"));
	assert_true(fix_has_diag(&t->d, PS_REFUSED, PS_DIAG_FUTURE));
	nothing_written(t, n);
	fix_git_says(&t->f, "", "ls-files contacts");
}

/* A dry run checks and prints the records but writes nothing. */
static void
test_dry_run(void **state)
{
	struct t *t = *state;
	struct ps_buf head = PS_BUF_INIT, after = PS_BUF_INIT;

	assert_int_equal(fix_git(&t->f, &head, "rev-parse HEAD"), 0);
	assert_int_equal(log_entries(t, &dry, contact, NULL), 0);
	assert_int_equal(t->d.n, 0);
	assert_non_null(strstr(ops_text(&t->o), "\ntype: contact\n"
	    "date: 2026-11-21T12:00:00-05:00\nmatch: M-A00001\n"));
	assert_int_equal(fix_git(&t->f, &after, "rev-parse HEAD"), 0);
	assert_string_equal(head.s, after.s);
	fix_git_says(&t->f, "", "status --porcelain --ignored");
	fix_file_is(&t->f, "contacts", NULL);
	/* and a dry run refuses as the real one does */
	assert_int_equal(log_entries(t, &dry, "match: M-A00002\nmode: phone\n"
	    "minutes: 30\n", NULL), PS_REFUSED);
	ps_buf_release(&head);
	ps_buf_release(&after);
}

/*
 * With summary, a line for each entry: its ID and kind, then the day,
 * the mode, the minutes, the activity, the hours and the flag's type it
 * has; never the note, the reason or the referral. The records are
 * written all the same.
 */
static void
test_summary(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);
	struct ps_buf want = PS_BUF_INIT, ids = PS_BUF_INIT;
	char a[16], b[16];

	assert_int_equal(log_entries(t, &lines,
	    "match: M-A00001\nmode: video\nminutes: 30\ndate: 2026-11-21\n"
	    "note: a note\nflag:\n  type: risk\n  referral: none\n"
	    "  no_referral_reason: a reason\n",
	    "volunteer: V-A00003\nactivity: training\nhours: 1.5\n"
	    "date: 2026-11-20\nnote: a note\n", NULL), 0);
	assert_int_equal(t->d.n, 0);
	assert_int_equal(ops_commits(&t->f), n + 1);
	assert_int_equal(fix_git(&t->f, &ids, "ls-files contacts"), 0);
	assert_int_equal(sscanf(ids.s, "contacts/2026/11/20/%15[^.].yaml\n"
	    "contacts/2026/11/21/%15[^.].yaml", b, a), 2);
	assert_int_equal(ps_buf_printf(&want,
	    "%s contact: logged 2026-11-21, video, 30 min, flag risk\n"
	    "%s contact: logged activity 2026-11-20, training, 1.5 h\n", a, b),
	    0);
	assert_string_equal(ops_text(&t->o), want.s);
	ps_buf_release(&want);
	ps_buf_release(&ids);
}

/* Entries from a YAML stream: one commit; a refusal names the field by
   path, at its line. */
static void
test_stream(void **state)
{
	struct t *t = *state;
	static const char good[] = "- match: M-A00001\n  mode: phone\n"
	    "  minutes: 20\n- match: M-A00001\n  mode: email\n  minutes: 5\n";
	static const char bad[] = "- match: M-A00001\n  mode: phone\n"
	    "  minutes: 20\n- match: M-A00001\n  mode: email\n  minutes: 0\n";
	struct ps_log_opts o = cmdline;
	long n = ops_commits(&t->f);
	int fd[2];

	o.source = "stdin";
	assert_int_equal(pipe(fd), 0);
	assert_int_equal(write(fd[1], bad, strlen(bad)), (ssize_t)strlen(bad));
	close(fd[1]);
	assert_int_equal(ps_log_run_fd(t->f.s, fd[0], &o, t->o.fp, &t->d),
	    PS_REFUSED);
	close(fd[0]);
	assert_int_equal(t->d.n, 1);
	assert_string_equal(t->d.v[0].file, "stdin");
	/* at the value, the value not repeated */
	assert_string_equal(t->d.v[0].path, "minutes");
	assert_int_equal(t->d.v[0].line, 6);
	assert_int_equal(t->d.v[0].col, 12);
	nothing_written(t, n);
	ps_diags_release(&t->d);

	assert_int_equal(pipe(fd), 0);
	assert_int_equal(write(fd[1], good, strlen(good)),
	    (ssize_t)strlen(good));
	close(fd[1]);
	assert_int_equal(ps_log_run_fd(t->f.s, fd[0], &o, t->o.fp, &t->d), 0);
	close(fd[0]);
	assert_int_equal(ops_commits(&t->f), n + 1);
	fix_git_says(&t->f, "ps-log: 2 entries\n", "log -1 --format=%%s");
	fix_git_says(&t->f, "2\n", "ls-files contacts/2026/11/22 | wc -l");
}

/* The listing: every contact, or those the filter keeps. */
static void
test_list_filters(void **state)
{
	struct t *t = *state;
	struct ps_log_filter all = { NULL, NULL, NULL, NULL, 0 };
	struct ps_log_filter f;
	const char *s;
	char id[16];

	assert_int_equal(log_entries(t, &cmdline,
	    "match: M-A00001\nmode: phone\nminutes: 45\ndate: 2026-11-18\n",
	    NULL), 0);
	out_id(t, id);
	assert_int_equal(log_entries(t, &cmdline,
	    "match: M-A00001\nmode: video\nminutes: 30\ndate: 2026-11-21\n"
	    "flag:\n  type: risk\n  referral: 988\n",
	    "volunteer: V-A00003\nactivity: training\nhours: 2\n"
	    "date: 2026-11-20\n", NULL), 0);
	ps_diags_release(&t->d);
	ops_close(&t->o);
	ops_open(&t->o);

	/* all three, as a table */
	assert_int_equal(ps_log_list(t->f.s, &all, 1, t->o.fp, &t->d), 0);
	s = ops_text(&t->o);
	assert_int_equal(strncmp(s, "ID        DATE        TYPE", 26), 0);
	assert_non_null(strstr(s, "  2026-11-18  contact        M-A00001  "
	    "V-A00001     45  \n"));
	assert_non_null(strstr(s, "  2026-11-21  contact        M-A00001  "
	    "V-A00001     30  risk\n"));
	assert_non_null(strstr(s, "  2026-11-20  activity       -         "
	    "V-A00003      -  \n"));
	assert_int_equal(t->d.n, 0);

	/* flagged only */
	f = all;
	f.flagged = 1;
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(ps_log_list(t->f.s, &f, 0, t->o.fp, &t->d), 0);
	s = ops_text(&t->o);
	assert_non_null(strstr(s, "flag:\n  type: risk\n"));
	assert_null(strstr(s + 1, "---"));

	/* by volunteer */
	f = all;
	f.volunteer = "V-A00003";
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(ps_log_list(t->f.s, &f, 0, t->o.fp, &t->d), 0);
	s = ops_text(&t->o);
	assert_non_null(strstr(s, "type: activity\n"));
	assert_null(strstr(s + 1, "---"));

	/* by match, over a period of days: only the 18th */
	f = all;
	f.match = "M-A00001";
	f.since = "2026-11-17";
	f.until = "2026-11-20";
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(ps_log_list(t->f.s, &f, 0, t->o.fp, &t->d), 0);
	s = ops_text(&t->o);
	assert_non_null(strstr(s, id));
	assert_non_null(strstr(s, "minutes: 45\n"));
	assert_null(strstr(s + 1, "---"));

	/* since alone runs to today: the 20th and the 21st */
	f = all;
	f.since = "2026-11-20";
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(ps_log_list(t->f.s, &f, 1, t->o.fp, &t->d), 0);
	s = ops_text(&t->o);
	assert_null(strstr(s, "2026-11-18"));
	assert_non_null(strstr(s, "2026-11-20"));
	assert_non_null(strstr(s, "2026-11-21"));

	/* a match with no contacts: nothing */
	f = all;
	f.match = "M-A00002";
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(ps_log_list(t->f.s, &f, 0, t->o.fp, &t->d), 0);
	assert_string_equal(ops_text(&t->o), "");

	/* a bad date is a usage error */
	f = all;
	f.until = "21 November";
	assert_int_equal(ps_log_list(t->f.s, &f, 0, t->o.fp, &t->d), PS_USAGE);
	assert_true(fix_has_diag(&t->d, PS_USAGE, "--since, --until: a date, "
	    "YYYY-MM-DD"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_contact_committed, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_minutes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_minutes_edges, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_match_not_active, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_not_a_match, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_all_or_nothing, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_dry_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stream, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_filters, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
