/*
 * Unit tests: records past the retention rule (lib/ops/retention.c).
 *
 * A store made by tests/unit/store/fixture.h (today pinned to
 * 2026-11-22), program.yaml keeping closed records 2 years, and records
 * committed by real git: people closed long ago, the day before the
 * rule's day and on it, a volunteer whose closing day is in its
 * status_history, an erased one, a withdrawn one with no day, with a
 * match and contacts naming them. The list is compared whole, as a table
 * and as records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "../store/fixture.h"
#include "ops/retention.h"

static const char *const files[][2] = {
	{ "participants/P-2HC6NE.yaml",	/* closed long ago */
	    "kind: participant\nid: P-2HC6NE\nstatus: closed\n"
	    "stream: extended\nrole: living-with\n"
	    "received: 2018-09-14T11:00:00-04:00\nclosed: 2020-01-10\n" },
	{ "participants/P-9TJ5WB.yaml",	/* a day past the rule */
	    "kind: participant\nid: P-9TJ5WB\nstatus: closed\n"
	    "stream: extended\nrole: living-with\n"
	    "received: 2024-01-14T11:00:00-05:00\nclosed: 2024-11-21\n" },
	{ "participants/P-4MZ8RD.yaml",	/* on the rule's last day */
	    "kind: participant\nid: P-4MZ8RD\nstatus: closed\n"
	    "stream: extended\nrole: living-with\n"
	    "received: 2024-01-14T11:00:00-05:00\nclosed: 2024-11-22\n" },
	{ "participants/P-6WD3KA.yaml",	/* erased */
	    "kind: participant\nid: P-6WD3KA\nstatus: closed\n"
	    "stream: extended\nrole: living-with\n"
	    "received: 2018-01-14T11:00:00-05:00\nclosed: 2019-01-01\n"
	    "erased: true\n" },
	{ "participants/P-7K3Q2X.yaml",	/* no day it closed */
	    "kind: participant\nid: P-7K3Q2X\nstatus: withdrawn\n"
	    "stream: extended\nrole: living-with\n"
	    "received: 2018-01-14T11:00:00-05:00\n" },
	{ "participants/P-3AB4CD.yaml",	/* still waiting */
	    "kind: participant\nid: P-3AB4CD\nstatus: waiting\n"
	    "stream: extended\nrole: living-with\n"
	    "received: 2018-01-14T11:00:00-05:00\n" },
	{ "volunteers/V-3K2J9X.yaml",	/* retired, by its history */
	    "kind: volunteer\nid: V-3K2J9X\nstatus: retired\n"
	    "role: living-with\nstreams:\n  - extended\n"
	    "received: 2019-09-03T13:22:00-04:00\n"
	    "status_history:\n"
	    "  - status: active\n    date: 2019-10-01T10:00:00-04:00\n"
	    "    by: A. Carey\n"
	    "  - status: retired\n    date: 2021-03-01T10:00:00-05:00\n"
	    "    by: A. Carey\n" },
	{ "matches/M-7GQ1YC.yaml",
	    "kind: match\nid: M-7GQ1YC\nstatus: ended\nstream: extended\n"
	    "participant: P-2HC6NE\nvolunteer: V-3K2J9X\n"
	    "proposed: 2018-10-19T10:00:00-04:00\n"
	    "accepted: 2018-10-22T10:00:00-04:00\n"
	    "ended: 2019-06-21T17:00:00-04:00\nend_reason: completed\n" },
	{ "contacts/2019/03/08/C-1F6K9M.yaml",	/* names the match only */
	    "kind: contact\nid: C-1F6K9M\ntype: contact\n"
	    "date: 2019-03-08T19:00:00-05:00\nmatch: M-7GQ1YC\n"
	    "mode: phone\nminutes: 45\nlogged_by: V-3K2J9X\n" },
	{ "contacts/2026/04/08/C-4HT8XE.yaml",	/* names no one listed */
	    "kind: contact\nid: C-4HT8XE\ntype: contact\n"
	    "date: 2026-04-08T19:00:00-04:00\nparticipant: P-4MZ8RD\n"
	    "mode: phone\nminutes: 20\n" },
};

static int
setup(void **state)
{
	(void)state;
	fix_start();
	return 0;
}

/* A store with the files above (program.yaml keeping years, if any). */
static void
store_new(struct fix *f, const char *years)
{
	struct ps_buf b = PS_BUF_INIT;
	size_t i;

	fix_new(f, 1);
	if (years) {
		assert_int_equal(ps_buf_printf(&b, "%sretention:\n"
		    "  closed_years: %s\n", fix_program, years), 0);
		fix_write(f, "program.yaml", b.s);
	}
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		fix_write(f, files[i][0], files[i][1]);
	assert_int_equal(fix_git(f, NULL, "add -A"), 0);
	assert_int_equal(fix_git(f, NULL, "commit -q -m records"), 0);
	fix_reopen(f);
	ps_buf_release(&b);
}

static int
list(struct fix *f, int table, char **text, struct ps_diags *d)
{
	size_t len = 0;
	FILE *fp = open_memstream(text, &len);
	int rc;

	assert_non_null(fp);
	rc = ps_retention_list(f->s, table, fp, d);
	assert_int_equal(fclose(fp), 0);
	return rc;
}

static void
table(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct fix f;
	char *got = NULL;

	(void)state;
	store_new(&f, "2");
	assert_int_equal(list(&f, 1, &got, &d), 0);
	assert_string_equal(got,
	    "ID        KIND         CLOSED      YEARS  PERSON\n"
	    "P-2HC6NE  participant  2020-01-10      6  P-2HC6NE\n"
	    "M-7GQ1YC  match        2020-01-10      6  P-2HC6NE\n"
	    "C-1F6K9M  contact      2020-01-10      6  P-2HC6NE\n"
	    "V-3K2J9X  volunteer    2021-03-01      5  V-3K2J9X\n"
	    "P-9TJ5WB  participant  2024-11-21      2  P-9TJ5WB\n");
	assert_int_equal(d.errors, 0);
	assert_true(fix_has_diag(&d, PS_OK, "P-7K3Q2X: withdrawn, with "
	    "no day it closed to count the retention from (closed, "
	    "status_history)"));
	assert_int_equal(d.n, 1);
	free(got);
	ps_diags_release(&d);
	fix_free(&f);
}

static void
records(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct fix f;
	char *got = NULL;

	(void)state;
	store_new(&f, "6");
	assert_int_equal(list(&f, 0, &got, &d), 0);
	assert_string_equal(got,
	    "---\nid: P-2HC6NE\nkind: participant\nclosed: 2020-01-10\n"
	    "years: 6\nperson: P-2HC6NE\n"
	    "---\nid: M-7GQ1YC\nkind: match\nclosed: 2020-01-10\n"
	    "years: 6\nperson: P-2HC6NE\n"
	    "---\nid: C-1F6K9M\nkind: contact\nclosed: 2020-01-10\n"
	    "years: 6\nperson: P-2HC6NE\n");
	free(got);
	ps_diags_release(&d);
	fix_free(&f);
}

/* Nothing past the rule: nothing printed but the heading. */
static void
none(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct fix f;
	char *got = NULL;

	(void)state;
	store_new(&f, "50");
	assert_int_equal(list(&f, 1, &got, &d), 0);
	assert_string_equal(got,
	    "ID        KIND         CLOSED      YEARS  PERSON\n");
	free(got);
	got = NULL;
	assert_int_equal(list(&f, 0, &got, &d), 0);
	assert_string_equal(got, "");
	free(got);
	ps_diags_release(&d);
	fix_free(&f);
}

static void
no_rule(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct fix f;
	char *got = NULL;

	(void)state;
	store_new(&f, NULL);
	assert_int_equal(list(&f, 1, &got, &d), PS_REFUSED);
	assert_true(fix_has_diag(&d, PS_REFUSED, "program.yaml: "
	    "retention.closed_years: not set: say how many years records "
	    "are kept after they close"));
	assert_string_equal(got, "");
	free(got);
	ps_diags_release(&d);
	fix_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table),
		cmocka_unit_test(records),
		cmocka_unit_test(none),
		cmocka_unit_test(no_rule),
	};

	return cmocka_run_group_tests_name("retention", tests, setup, NULL);
}
