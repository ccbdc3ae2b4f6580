/*
 * Unit tests: ps-check's operation (lib/ops/check.c) on a real store with
 * the default programme (volunteers.default_capacity: 2) and the
 * matching fixtures of tests/fixtures/match: five participants, four
 * volunteers (V-A00001 and V-A00003 with capacity 1, V-A00002 and
 * V-A00004 with 2) and one group: ten records, committed, to which each
 * test adds or spoils a few in the work tree. Each source is checked:
 * the whole work tree, the files given, and the index (--cached).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ops/check.h"
#include "store-ops.h"

/* A match, %s its ID, %s its status, %s its volunteer: line 6 col 12. */
static const char match_fmt[] =
    "kind: match\n"
    "id: %s\n"
    "status: %s\n"
    "stream: extended\n"
    "participant: P-B00001\n"
    "volunteer: %s\n"
    "proposed: 2026-11-01T10:00:00-05:00\n";

static const struct ps_check_opts all = { 0, NULL, 0 };

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

/* Write matches/ID.yaml in the work tree (not committed). */
static void
put_match(struct t *t, const char *id, const char *status, const char *vol)
{
	struct ps_buf rel = PS_BUF_INIT, text = PS_BUF_INIT;

	assert_int_equal(ps_buf_printf(&rel, "matches/%s.yaml", id), 0);
	assert_int_equal(ps_buf_printf(&text, match_fmt, id, status, vol), 0);
	fix_write(&t->f, rel.s, text.s);
	ps_buf_release(&rel);
	ps_buf_release(&text);
}

/* Run the check with o from a fresh output and diagnostics; its status. */
static int
check(struct t *t, const struct ps_check_opts *o)
{
	ps_diags_release(&t->d);
	ops_close(&t->o);
	ops_open(&t->o);
	return ps_check(t->f.s, o, t->o.fp, &t->d);
}

/* The one diagnostic at i is file:line:col: path: msg, an error. */
static void
diag_is(const struct t *t, size_t i, const char *file, unsigned long line,
    unsigned long col, const char *path, const char *msg)
{
	const struct ps_diag *g;

	assert_true(i < t->d.n);
	g = &t->d.v[i];
	assert_int_equal(g->status, PS_REFUSED);
	assert_string_equal(g->file, file);
	assert_int_equal(g->line, line);
	assert_int_equal(g->col, col);
	if (path == NULL)
		assert_null(g->path);
	else
		assert_string_equal(g->path, path);
	assert_string_equal(g->msg, msg);
}

/* A store of valid records: every one counted, no problem, status 0;
   a new store has none. */
static void
test_valid(void **state)
{
	struct t *t = *state;
	struct fix empty;

	put_match(t, "M-A00001", "active", "V-A00001");
	assert_int_equal(check(t, &all), 0);
	assert_int_equal(t->d.n, 0);
	assert_string_equal(ops_text(&t->o),
	    "11 records checked, 0 problems\n");

	ops_new(&empty, 0);
	assert_int_equal(ps_check(empty.s, &all, t->o.fp, &t->d), 0);
	assert_int_equal(t->d.n, 0);
	assert_string_equal(ops_text(&t->o), "11 records checked, 0 problems\n"
	    "0 records checked, 0 problems\n");
	fix_free(&empty);
}

/* Every schema problem of a record, with its position and field, never
   the value; the record is not counted as checked, each problem is. */
static void
test_schema_problems(void **state)
{
	struct t *t = *state;
	char *text, *p;
	size_t i;

	text = fix_read(&t->f, "participants/P-B00001.yaml");
	assert_non_null(p = strstr(text, "eve@example.org"));
	memcpy(p, "eve-example.org", 15);
	assert_non_null(p = strstr(text, "status: waiting"));
	memcpy(p, "status: sleepy!", 15);
	fix_write(&t->f, "participants/P-B00001.yaml", text);
	free(text);

	assert_int_equal(check(t, &all), PS_REFUSED);
	assert_string_equal(ops_text(&t->o), "9 records checked, 2 problems\n");
	assert_int_equal(t->d.n, 2);
	diag_is(t, 0, "participants/P-B00001.yaml", 3, 9, "status",
	    "must be one of: applied, onboarding, waiting, matched, closed, "
	    "withdrawn");
	diag_is(t, 1, "participants/P-B00001.yaml", 11, 10, "contact.email",
	    "not a valid email address");
	for (i = 0; i < t->d.n; i++) {
		assert_null(strstr(t->d.v[i].msg, "eve-example"));
		assert_null(strstr(t->d.v[i].msg, "sleepy"));
	}

	/* one problem more is counted as one more */
	put_match(t, "M-A00001", "ongoing", "V-A00001");
	assert_int_equal(check(t, &all), PS_REFUSED);
	assert_string_equal(ops_text(&t->o),
	    "9 records checked, 3 problems\n");
	assert_int_equal(t->d.n, 3);
}

/* A file whose name or folder is not its record's ID: reported on the
   file, its ID taken from the name (so references to the real ID fail). */
static void
test_name_mismatch(void **state)
{
	struct t *t = *state;

	put_match(t, "M-A00001", "active", "V-A00002");
	assert_int_equal(fix_git(&t->f, NULL, "mv participants/P-B00001.yaml "
	    "participants/P-B00009.yaml"), 0);
	assert_int_equal(check(t, &all), PS_REFUSED);
	assert_string_equal(ops_text(&t->o),
	    "10 records checked, 2 problems\n");
	assert_int_equal(t->d.n, 2);
	diag_is(t, 0, "participants/P-B00009.yaml", 0, 0, "id",
	    "does not match the file name and folder");
	diag_is(t, 1, "matches/M-A00001.yaml", 5, 14, "participant",
	    PS_DIAG_NO_RECORD);

	/* the right name in the wrong folder */
	assert_int_equal(fix_git(&t->f, NULL, "mv participants/P-B00009.yaml "
	    "participants/P-B00001.yaml"), 0);
	assert_int_equal(fix_git(&t->f, NULL, "mv volunteers/V-A00004.yaml "
	    "groups/V-A00004.yaml"), 0);
	assert_int_equal(check(t, &all), PS_REFUSED);
	assert_string_equal(ops_text(&t->o),
	    "10 records checked, 1 problem\n");
	assert_int_equal(t->d.n, 1);
	diag_is(t, 0, "groups/V-A00004.yaml", 0, 0, "id",
	    "does not match the file name and folder");
}

/* A reference to a record that is not in the store, at its position,
   the ID not repeated; a reference to a person erased (erasures/) is
   not a problem. */
static void
test_missing_reference(void **state)
{
	struct t *t = *state;
	size_t i;

	put_match(t, "M-A00001", "ended", "V-A00009");
	assert_int_equal(check(t, &all), PS_REFUSED);
	assert_string_equal(ops_text(&t->o),
	    "11 records checked, 1 problem\n");
	assert_int_equal(t->d.n, 1);
	diag_is(t, 0, "matches/M-A00001.yaml", 6, 12, "volunteer",
	    PS_DIAG_NO_RECORD);

	/* in a list: the group's facilitators */
	assert_int_equal(fix_git(&t->f, NULL, "rm -q volunteers/V-A00002.yaml"),
	    0);
	assert_int_equal(check(t, &all), PS_REFUSED);
	assert_string_equal(ops_text(&t->o),
	    "10 records checked, 2 problems\n");
	assert_int_equal(t->d.n, 2);
	i = strcmp(t->d.v[0].file, "groups/G-A00001.yaml") == 0 ? 0 : 1;
	diag_is(t, i, "groups/G-A00001.yaml", 16, 5, "facilitators.0",
	    PS_DIAG_NO_RECORD);

	fix_write(&t->f, "erasures/V-A00009.yaml",
	    "kind: volunteer\nid: V-A00009\n");
	fix_write(&t->f, "erasures/V-A00002.yaml",
	    "kind: volunteer\nid: V-A00002\n");
	assert_int_equal(check(t, &all), 0);
	assert_int_equal(t->d.n, 0);
	assert_string_equal(ops_text(&t->o),
	    "10 records checked, 0 problems\n");
}

/* Open matches (proposed, active, callback-open) count against a
   volunteer's capacity, the others do not; one problem however far
   over. */
static void
test_capacity(void **state)
{
	struct t *t = *state;
	static const char *const open[] = { "proposed", "active",
	    "callback-open" };
	static const char *const closed[] = { "declined", "ended",
	    "callback-done" };
	struct ps_buf p = PS_BUF_INIT;
	size_t i;

	/* V-A00001 has capacity 1: closed matches leave room for one */
	for (i = 0; i < 3; i++) {
		char id[] = "M-C0000X";

		id[7] = (char)('1' + i);
		put_match(t, id, closed[i], "V-A00001");
	}
	for (i = 0; i < 3; i++) {
		put_match(t, "M-A00001", open[i], "V-A00001");
		assert_int_equal(check(t, &all), 0);
		assert_string_equal(ops_text(&t->o),
		    "14 records checked, 0 problems\n");

		put_match(t, "M-A00002", open[i], "V-A00001");
		assert_int_equal(check(t, &all), PS_REFUSED);
		assert_string_equal(ops_text(&t->o),
		    "15 records checked, 1 problem\n");
		assert_int_equal(t->d.n, 1);
		diag_is(t, 0, "volunteers/V-A00001.yaml", 0, 0, "capacity",
		    "volunteer has more open matches than capacity");
		assert_int_equal(unlink(fix_path(&t->f, &p,
		    "matches/M-A00001.yaml")), 0);
		assert_int_equal(unlink(fix_path(&t->f, &p,
		    "matches/M-A00002.yaml")), 0);
	}

	/* far over: still one problem */
	put_match(t, "M-A00001", "proposed", "V-A00001");
	put_match(t, "M-A00002", "active", "V-A00001");
	put_match(t, "M-A00003", "callback-open", "V-A00001");
	assert_int_equal(check(t, &all), PS_REFUSED);
	assert_string_equal(ops_text(&t->o),
	    "16 records checked, 1 problem\n");
	assert_int_equal(t->d.n, 1);
	ps_buf_release(&p);
}

/* A volunteer without a capacity field takes the programme's
   volunteers.default_capacity (2), not 1. */
static void
test_default_capacity(void **state)
{
	struct t *t = *state;
	char *text, *p;

	text = fix_read(&t->f, "volunteers/V-A00001.yaml");
	assert_non_null(p = strstr(text, "capacity: 1\n"));
	memmove(p, p + 12, strlen(p + 12) + 1);
	fix_write(&t->f, "volunteers/V-A00001.yaml", text);
	free(text);

	put_match(t, "M-A00001", "active", "V-A00001");
	put_match(t, "M-A00002", "proposed", "V-A00001");
	assert_int_equal(check(t, &all), 0);
	assert_string_equal(ops_text(&t->o),
	    "12 records checked, 0 problems\n");

	put_match(t, "M-A00003", "callback-open", "V-A00001");
	assert_int_equal(check(t, &all), PS_REFUSED);
	assert_string_equal(ops_text(&t->o),
	    "13 records checked, 1 problem\n");
	assert_int_equal(t->d.n, 1);
	diag_is(t, 0, "volunteers/V-A00001.yaml", 0, 0, "capacity",
	    "volunteer has more open matches than capacity");
}

/* An ID used twice: a record file under another folder keeps its name's
   ID, the same as a record's; each is reported. */
static void
test_duplicate_id(void **state)
{
	struct t *t = *state;
	static const char contact[] =
	    "kind: contact\n"
	    "id: C-A00001\n"
	    "type: activity\n"
	    "date: 2026-11-20T12:00:00-05:00\n"
	    "volunteer: V-A00001\n"
	    "activity: training\n"
	    "hours: 2\n";
	struct ps_buf p = PS_BUF_INIT;
	char *text;

	text = fix_read(&t->f, "participants/P-B00002.yaml");
	fix_write(&t->f, "volunteers/P-B00002.yaml", text);
	free(text);
	assert_int_equal(check(t, &all), PS_REFUSED);
	assert_string_equal(ops_text(&t->o),
	    "10 records checked, 2 problems\n");
	assert_int_equal(t->d.n, 2);
	diag_is(t, 0, "volunteers/P-B00002.yaml", 0, 0, "id",
	    "does not match the file name and folder");
	diag_is(t, 1, "volunteers/P-B00002.yaml", 0, 0, "id",
	    "same ID as participants/P-B00002.yaml");

	/* a contact filed under two days */
	assert_int_equal(unlink(fix_path(&t->f, &p,
	    "volunteers/P-B00002.yaml")), 0);
	fix_write(&t->f, "contacts/2026/11/20/C-A00001.yaml", contact);
	assert_int_equal(check(t, &all), 0);
	assert_string_equal(ops_text(&t->o),
	    "11 records checked, 0 problems\n");
	fix_write(&t->f, "contacts/2026/11/21/C-A00001.yaml", contact);
	assert_int_equal(check(t, &all), PS_REFUSED);
	assert_string_equal(ops_text(&t->o),
	    "11 records checked, 2 problems\n");
	assert_true(fix_has_diag(&t->d, PS_REFUSED,
	    "same ID as contacts/2026/11/20/C-A00001.yaml"));
	ps_buf_release(&p);
}

/* Files given: only those, inside the store (its rules for a record
   file) or outside (the schema only); no cross-check. */
static void
test_files(void **state)
{
	struct t *t = *state;
	struct ps_buf in = PS_BUF_INIT, bad = PS_BUF_INIT;
	const char *outside =
	    "tests/fixtures/records/invalid/participant-bad-email.yaml";
	char *files[3];
	struct ps_check_opts o = { 0, files, 0 };

	/* a reference that does not exist, not seen when a file is given */
	put_match(t, "M-A00001", "active", "V-A00009");
	fix_path(&t->f, &in, "matches/M-A00001.yaml");
	files[0] = in.s;
	o.nfiles = 1;
	assert_int_equal(check(t, &o), 0);
	assert_int_equal(t->d.n, 0);
	assert_string_equal(ops_text(&t->o), "1 record checked, 0 problems\n");

	files[1] = (char *)outside;
	o.nfiles = 2;
	assert_int_equal(check(t, &o), PS_REFUSED);
	assert_string_equal(ops_text(&t->o), "1 record checked, 1 problem\n");
	assert_int_equal(t->d.n, 1);
	assert_string_equal(t->d.v[0].file, outside);
	assert_string_equal(t->d.v[0].path, "contact.email");
	assert_int_equal(t->d.v[0].line, 12);
	assert_int_equal(t->d.v[0].col, 10);

	/* inside the store, under another name: the store's rule */
	assert_int_equal(fix_git(&t->f, NULL, "mv participants/P-B00003.yaml "
	    "participants/P-B00009.yaml"), 0);
	fix_path(&t->f, &bad, "participants/P-B00009.yaml");
	files[1] = bad.s;
	assert_int_equal(check(t, &o), PS_REFUSED);
	assert_string_equal(ops_text(&t->o), "1 record checked, 1 problem\n");
	assert_int_equal(t->d.n, 1);
	diag_is(t, 0, "participants/P-B00009.yaml", 0, 0, "id",
	    "does not match the file name and folder");

	/* a file that is not there */
	files[2] = (char *)"no-such-file.yaml";
	o.nfiles = 3;
	assert_int_equal(check(t, &o), PS_REFUSED);
	assert_string_equal(ops_text(&t->o), "1 record checked, 2 problems\n");
	assert_int_equal(t->d.n, 2);
	assert_string_equal(t->d.v[1].file, "no-such-file.yaml");
	ps_buf_release(&in);
	ps_buf_release(&bad);
}

/* --cached: the records staged that differ from HEAD, read from the
   index, not the work tree. */
static void
test_cached(void **state)
{
	struct t *t = *state;
	struct ps_check_opts o = { 1, NULL, 0 };
	char *text, *p;

	/* nothing staged */
	put_match(t, "M-A00001", "active", "V-A00009");
	assert_int_equal(check(t, &o), 0);
	assert_int_equal(t->d.n, 0);
	assert_string_equal(ops_text(&t->o), "0 records checked, 0 problems\n");

	/* a new record staged: checked alone (no cross-check) */
	assert_int_equal(fix_git(&t->f, NULL, "add matches"), 0);
	fix_reopen(&t->f);
	assert_int_equal(check(t, &o), 0);
	assert_string_equal(ops_text(&t->o), "1 record checked, 0 problems\n");

	/* a bad change staged; the work tree fixed again after: the index
	   is what is checked */
	text = fix_read(&t->f, "participants/P-B00001.yaml");
	assert_non_null(p = strstr(text, "stream: extended\n"));
	memcpy(p, "stream: 42      ", 16);
	fix_write(&t->f, "participants/P-B00001.yaml", text);
	assert_int_equal(fix_git(&t->f, NULL, "add participants"), 0);
	fix_reopen(&t->f);
	memcpy(p, "stream: extended", 16);
	fix_write(&t->f, "participants/P-B00001.yaml", text);
	free(text);
	assert_int_equal(check(t, &o), PS_REFUSED);
	assert_string_equal(ops_text(&t->o), "1 record checked, 1 problem\n");
	assert_int_equal(t->d.n, 1);
	diag_is(t, 0, "participants/P-B00001.yaml", 4, 9, "stream",
	    "does not have the expected form (^[a-z][a-z0-9-]{0,31}$)");

	/* a record staged under another name */
	assert_int_equal(fix_git(&t->f, NULL, "reset -q"), 0);
	assert_int_equal(fix_git(&t->f, NULL, "mv participants/P-B00002.yaml "
	    "participants/P-B00008.yaml"), 0);
	fix_reopen(&t->f);
	assert_int_equal(check(t, &o), PS_REFUSED);
	assert_string_equal(ops_text(&t->o), "0 records checked, 1 problem\n");
	assert_int_equal(t->d.n, 1);
	diag_is(t, 0, "participants/P-B00008.yaml", 0, 0, "id",
	    "does not match the file name and folder");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_valid, setup, teardown),
		cmocka_unit_test_setup_teardown(test_schema_problems, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_name_mismatch, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_reference, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_capacity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_default_capacity, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_id, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cached, setup, teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
