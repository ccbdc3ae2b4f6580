/*
 * Unit tests: who a commit is by, and when (lib/store/author.c): given,
 * else $PS_AUTHOR, else the store's git config; at $PS_NOW, with the
 * local zone's offset (TZ is Toronto).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store/author.h"
#include "fixture.h"

static int
setup(void **state)
{
	static struct fix f;

	fix_new(&f, 1);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	fix_free(*state);
	setenv("PS_AUTHOR", FIX_AUTHOR, 1);
	setenv("PS_NOW", FIX_NOW, 1);
	return 0;
}

static void
sig_is(const git_signature *sig, const char *name, const char *email,
    long when, int offset)
{
	assert_non_null(sig);
	assert_string_equal(sig->name, name);
	assert_string_equal(sig->email, email);
	assert_int_equal(sig->when.time, when);
	assert_int_equal(sig->when.offset, offset);
}

/* An author given wins over $PS_AUTHOR; spaces before "<" are not part
   of the name. */
static void
given(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	git_signature *sig = NULL;

	assert_int_equal(ps_author_get(&sig, f->s, "Ann Example "
	    "<ann@example.org>", 0, &d), 0);
	sig_is(sig, "Ann Example", "ann@example.org", FIX_NOW_T, -300);
	git_signature_free(sig);
	assert_int_equal(ps_author_get(&sig, f->s, "A. Carey   <a@b>", 1, &d),
	    0);
	sig_is(sig, "A. Carey", "a@b", FIX_NOW_T, -300);
	git_signature_free(sig);
	assert_int_equal(d.n, 0);
}

/* $PS_AUTHOR when none is given; the offset the zone has at $PS_NOW
   (summer time in July). */
static void
from_environment(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	git_signature *sig = NULL;

	assert_int_equal(ps_author_get(&sig, f->s, NULL, 0, &d), 0);
	sig_is(sig, "Test Coordinator", "coordinator@example.org", FIX_NOW_T,
	    -300);
	git_signature_free(sig);
	setenv("PS_NOW", "2026-07-01T10:00:00-04:00", 1);
	assert_int_equal(ps_author_get(&sig, f->s, NULL, 0, &d), 0);
	sig_is(sig, "Test Coordinator", "coordinator@example.org",
	    1782914400L, -240);
	git_signature_free(sig);
	assert_int_equal(d.n, 0);
}

/* With neither, the store's git identity; an empty $PS_AUTHOR is none. */
static void
from_git_config(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	git_signature *sig = NULL;

	setenv("PS_AUTHOR", "", 1);
	assert_int_equal(fix_git(f, NULL, "config user.name 'Config Person'"),
	    0);
	assert_int_equal(fix_git(f, NULL, "config user.email "
	    "config@example.org"), 0);
	assert_int_equal(ps_author_get(&sig, f->s, NULL, 0, &d), 0);
	/* dated at $PS_NOW, as the others are */
	sig_is(sig, "Config Person", "config@example.org", FIX_NOW_T, -300);
	git_signature_free(sig);
	assert_int_equal(d.n, 0);
}

/* A line break, another control character or an angle bracket in a name
   or email, from any source, is refused before a commit is made: git's
   fsck finds no email in a header line that breaks (issue 19, case 2). */
static void
control_characters(void **state)
{
	static const char *bad[] = { "Evil\nX <e@example.org>",
	    "Evil <e@example.org\n>", "Tab\there <t@example.org>",
	    "Bell\a <b@example.org>", "Del\x7f <d@example.org>",
	    "A <b> <c@example.org>", "Ann <a<b@example.org>", NULL };
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	git_signature *sig = NULL;
	int i;

	for (i = 0; bad[i]; i++) {
		if (ps_author_get(&sig, f->s, bad[i], 0, &d) != PS_USAGE)
			fail_msg("--author accepted: case %d", i);
		assert_null(sig);
		ps_diags_release(&d);
		setenv("PS_AUTHOR", bad[i], 1);
		if (ps_author_get(&sig, f->s, NULL, 0, &d) != PS_USAGE)
			fail_msg("PS_AUTHOR accepted: case %d", i);
		assert_null(sig);
		ps_diags_release(&d);
	}
	setenv("PS_AUTHOR", "", 1);
	assert_int_equal(fix_git(f, NULL, "config user.name \"$(printf "
	    "'Evil\\nX')\""), 0);
	assert_int_equal(fix_git(f, NULL, "config user.email e@example.org"),
	    0);
	assert_int_equal(ps_author_get(&sig, f->s, NULL, 0, &d), PS_USAGE);
	assert_null(sig);
	assert_true(fix_has_diag(&d, PS_USAGE, "git config user.name or "
	    "user.email: not an author like \"Name <email>\""));
	ps_diags_release(&d);
}

/* Not like "Name <email>": a usage error naming where it came from, in
   a dry run too. */
static void
bad_author(void **state)
{
	static const char *bad[] = { "Ann", "Ann <>", "<ann@example.org>",
	    "   <ann@example.org>", "Ann <a@b> x", "Ann a@b>", "Ann <a@b",
	    "Ann >a@b<", "", NULL };
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	git_signature *sig = NULL;
	char longname[400];
	int i, dry;

	for (dry = 0; dry < 2; dry++)
		for (i = 0; bad[i]; i++) {
			if (ps_author_get(&sig, f->s, bad[i], dry, &d) !=
			    PS_USAGE)
				fail_msg("accepted: \"%s\"", bad[i]);
			assert_null(sig);
			assert_int_equal(d.n, 1);
			assert_true(fix_has_diag(&d, PS_USAGE, "--author: not "
			    "an author like \"Name <email>\""));
			ps_diags_release(&d);
		}
	memset(longname, 'a', 300);
	snprintf(longname + 300, sizeof(longname) - 300, " <a@b>");
	assert_int_equal(ps_author_get(&sig, f->s, longname, 0, &d), PS_USAGE);
	ps_diags_release(&d);

	setenv("PS_AUTHOR", "nobody", 1);
	assert_int_equal(ps_author_get(&sig, f->s, NULL, 0, &d), PS_USAGE);
	assert_null(sig);
	assert_true(fix_has_diag(&d, PS_USAGE, "PS_AUTHOR: not an author "
	    "like \"Name <email>\""));
	ps_diags_release(&d);
}

/* No author anywhere: a dry run needs none (NULL, no error); a commit
   is refused with what to do. */
static void
none(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	git_signature *sig = NULL;

	unsetenv("PS_AUTHOR");
	assert_int_equal(ps_author_get(&sig, f->s, NULL, 1, &d), 0);
	assert_null(sig);
	assert_int_equal(d.n, 0);
	assert_int_equal(ps_author_get(&sig, f->s, NULL, 0, &d), PS_USAGE);
	assert_null(sig);
	assert_true(fix_has_diag(&d, PS_USAGE, "no author for the commit: use "
	    "--author \"Name <email>\", set PS_AUTHOR, or run git config "
	    "user.name and git config user.email in the store"));
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(given, setup, teardown),
		cmocka_unit_test_setup_teardown(from_environment, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(from_git_config, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(bad_author, setup, teardown),
		cmocka_unit_test_setup_teardown(control_characters, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(none, setup, teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
