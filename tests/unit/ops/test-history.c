/*
 * Unit tests: a record's history (lib/ops/history.c).
 *
 * A store made by the store layer's fixture (tests/unit/store/fixture.h),
 * then commits made by real git as a person would make them: the record
 * created by a tool (a Ps-Tool trailer), a commit that does not touch it,
 * a change of fields (one nested), then its deletion by hand. The table
 * is compared whole: the changed fields by name, never their values.
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
#include "ops/history.h"

#define ID	"P-7K3Q2X"
#define REL	"participants/" ID ".yaml"

static int
setup(void **state)
{
	(void)state;
	fix_start();
	return 0;
}

/* ps_history_print() of id into a string (the caller frees it); rc. */
static int
history(struct fix *f, const char *id, char **text, struct ps_diags *d)
{
	size_t len = 0;
	FILE *fp = open_memstream(text, &len);
	int rc;

	assert_non_null(fp);
	rc = ps_history_print(f->s, id, fp, d);
	assert_int_equal(fclose(fp), 0);
	return rc;
}

/* Commit root/rel set to text (NULL: removed) by real git. */
static void
commit(struct fix *f, const char *rel, const char *text, const char *msg)
{
	if (text) {
		fix_write(f, rel, text);
		assert_int_equal(fix_git(f, NULL, "add %s", rel), 0);
	} else
		assert_int_equal(fix_git(f, NULL, "rm -q %s", rel), 0);
	assert_int_equal(fix_git(f, NULL, "commit -q -m %s", msg), 0);
}

static void
created_changed_deleted(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf b = PS_BUF_INIT;
	struct fix f;
	char *got = NULL;

	(void)state;
	fix_new(&f, 1);
	commit(&f, REL, fix_participant_text(&b, ID),
	    "'ps-apply: add " ID "' -m 'Ps-Tool: ps-apply'");
	commit(&f, "program.yaml", "kind: program\nname: Renamed\n"
	    "timezone: America/Toronto\n", "'rename the programme'");
	ps_buf_truncate(&b, 0);
	assert_int_equal(ps_buf_printf(&b,
	    "kind: participant\n"
	    "id: " ID "\n"
	    "status: active\n"
	    "stream: extended\n"
	    "role: living-with\n"
	    "received: 2026-11-20T09:00:00-05:00\n"
	    "contact:\n"
	    "  phone: '+1 416 555 0199'\n"
	    "notes: Confided about a private matter\n"), 0);
	commit(&f, REL, b.s, "'ps-screen: screen " ID "' -m 'Ps-Tool: "
	    "ps-screen'");
	commit(&f, REL, NULL, "'remove by hand'");

	assert_int_equal(history(&f, ID, &got, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(got,
	    "WHEN              AUTHOR                TOOL        FIELDS CHANGED\n"
	    "2026-11-22 10:00  Git User              ps-apply    created\n"
	    "2026-11-22 10:00  Git User              ps-screen   status, "
	    "contact, notes\n"
	    "2026-11-22 10:00  Git User              git         deleted\n");
	assert_null(strstr(got, "active"));
	assert_null(strstr(got, "555"));
	assert_null(strstr(got, "Confided"));
	free(got);
	ps_buf_release(&b);
	ps_diags_release(&d);
	fix_free(&f);
}

/* Fields one level into a mapping are named by their path. */
static void
nested_fields(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct fix f;
	char *got = NULL;

	(void)state;
	fix_new(&f, 1);
	commit(&f, REL, "kind: participant\nid: " ID "\ncontact:\n"
	    "  phone: '1'\n  email: a@example.org\nextra: 1\n", "'add'");
	commit(&f, REL, "kind: participant\nid: " ID "\ncontact:\n"
	    "  phone: '2'\n  post: here\n", "'change'");
	/* a commit that does not touch the record is not listed */
	commit(&f, "program.yaml", "kind: program\nname: P\n"
	    "timezone: America/Toronto\n", "'touch'");
	assert_int_equal(history(&f, ID, &got, &d), 0);
	assert_string_equal(got,
	    "WHEN              AUTHOR                TOOL        FIELDS CHANGED\n"
	    "2026-11-22 10:00  Git User              git         created\n"
	    "2026-11-22 10:00  Git User              git         "
	    "contact.phone, contact.email, contact.post, extra\n");
	free(got);
	ps_diags_release(&d);
	fix_free(&f);
}

static void
refused(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct fix f;
	char *got = NULL;

	(void)state;
	fix_new(&f, 1);
	assert_int_equal(history(&f, "nonsense", &got, &d), PS_REFUSED);
	assert_true(fix_has_diag(&d, PS_REFUSED, "nonsense: give a "
	    "participant, volunteer, match or group ID"));
	assert_string_equal(got, "");
	free(got);
	ps_diags_release(&d);

	assert_int_equal(history(&f, "C-1F6K9M", &got, &d), PS_REFUSED);
	assert_true(fix_has_diag(&d, PS_REFUSED, "C-1F6K9M: give a "
	    "participant, volunteer, match or group ID"));
	free(got);
	ps_diags_release(&d);

	assert_int_equal(history(&f, ID, &got, &d), PS_REFUSED);
	assert_true(fix_has_diag(&d, PS_REFUSED, ID ": no such record in "
	    "the history"));
	assert_string_equal(got, "");
	free(got);
	ps_diags_release(&d);
	fix_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(created_changed_deleted),
		cmocka_unit_test(nested_fields),
		cmocka_unit_test(refused),
	};

	return cmocka_run_group_tests_name("history", tests, setup, NULL);
}
