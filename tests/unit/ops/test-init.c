/*
 * Unit tests: creating a store (lib/ops/init.c).
 *
 * ps_init() in a temp folder, with the environment of
 * tests/unit/store/fixture.h (clocks and identities pinned), and real
 * git asked what it made: one commit of program.yaml in canonical form,
 * by the author given, a clean work tree, the pre-commit hook. Refused: a
 * folder that is not empty (left as it was), a store. A dry run writes
 * the program.yaml it would commit and makes nothing.
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
#include "ops/init.h"

/* fix_program in canonical form, as ps_init() commits it. */
static const char canonical[] =
    "kind: program\n"
    "name: Test programme\n"
    "timezone: America/Toronto\n"
    "streams:\n"
    "  extended:\n"
    "    type: ongoing\n"
    "    modes:\n"
    "      - phone\n"
    "      - email\n"
    "      - video\n";

static int
setup(void **state)
{
	(void)state;
	fix_start();
	return 0;
}

/* A temp folder in f->base, f->root its "store" (not made), and the
   programme file base/program.yaml. */
static void
folder(struct fix *f, struct ps_buf *prog)
{
	struct ps_buf b = PS_BUF_INIT;
	FILE *fp;

	memset(f, 0, sizeof(*f));
	assert_int_equal(ps_buf_printf(&b, "/tmp/ps-unit.XXXXXX"), 0);
	assert_non_null(mkdtemp(b.s));
	assert_non_null(f->base = realpath(b.s, NULL));
	ps_buf_release(&b);
	assert_int_equal(ps_buf_printf(&b, "%s/store", f->base), 0);
	f->root = ps_buf_detach(&b);
	assert_int_equal(ps_buf_printf(prog, "%s/program.yaml", f->base), 0);
	assert_non_null(fp = fopen(prog->s, "w"));
	assert_true(fputs(fix_program, fp) >= 0);
	assert_int_equal(fclose(fp), 0);
}

/* ps_init() of f->root, what it wrote to out in *text; its rc. */
static int
init(struct fix *f, const char *prog, int dry_run, char **text,
    struct ps_diags *d)
{
	struct ps_init_opts o = { f->root, prog, FIX_AUTHOR, dry_run };
	size_t len = 0;
	FILE *fp = open_memstream(text, &len);
	int rc;

	assert_non_null(fp);
	rc = ps_init(&o, fp, d);
	assert_int_equal(fclose(fp), 0);
	return rc;
}

static void
creates(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf prog = PS_BUF_INIT, want = PS_BUF_INIT, p = PS_BUF_INIT;
	struct stat st;
	struct fix f;
	char *got = NULL;

	(void)state;
	folder(&f, &prog);
	assert_int_equal(init(&f, prog.s, 0, &got, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(ps_buf_printf(&want, "ps-init: created store %s "
	    "(Test programme)\n", f.root), 0);
	assert_string_equal(got, want.s);
	free(got);

	fix_file_is(&f, "program.yaml", canonical);
	fix_git_says(&f, "program.yaml\n", "ls-files");
	fix_git_says(&f, "", "status --porcelain");
	fix_git_says(&f, "Test Coordinator <coordinator@example.org> "
	    "2026-11-22T10:00:00-05:00\n", "log --format='%%an <%%ae> %%aI'");
	fix_git_says(&f, "", "fsck --strict --no-dangling");
	assert_int_equal(stat(fix_path(&f, &p, ".git/hooks/pre-commit"), &st),
	    0);
	assert_true(st.st_mode & S_IXUSR);
	assert_int_equal(stat(fix_path(&f, &p, ".ps-init"), &st), -1);
	assert_int_equal(stat(f.root, &st), 0);
	assert_int_equal(st.st_mode & 077, 0);	/* private */
	fix_open(&f);	/* a store the tools open */

	ps_buf_release(&prog);
	ps_buf_release(&want);
	ps_buf_release(&p);
	ps_diags_release(&d);
	fix_free(&f);
}

static void
refuses_not_empty(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf prog = PS_BUF_INIT, msg = PS_BUF_INIT, p = PS_BUF_INIT;
	struct stat st;
	struct fix f;
	char *got = NULL;

	(void)state;
	folder(&f, &prog);
	assert_int_equal(mkdir(f.root, 0700), 0);
	fix_write(&f, "notes.txt", "mine\n");
	assert_int_equal(init(&f, prog.s, 0, &got, &d), PS_REFUSED);
	assert_int_equal(ps_buf_printf(&msg, "%s: exists and is not empty; a "
	    "store needs a directory of its own", f.root), 0);
	assert_true(fix_has_diag(&d, PS_REFUSED, msg.s));
	assert_string_equal(got, "");
	free(got);
	fix_file_is(&f, "notes.txt", "mine\n");
	assert_int_equal(stat(fix_path(&f, &p, ".git"), &st), -1);
	assert_int_equal(stat(fix_path(&f, &p, ".ps-init"), &st), -1);
	ps_buf_release(&prog);
	ps_buf_release(&msg);
	ps_buf_release(&p);
	ps_diags_release(&d);
	fix_free(&f);
}

static void
refuses_a_store(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf prog = PS_BUF_INIT, msg = PS_BUF_INIT;
	struct fix f;
	char *got = NULL;

	(void)state;
	folder(&f, &prog);
	assert_int_equal(init(&f, prog.s, 0, &got, &d), 0);
	free(got);
	assert_int_equal(init(&f, prog.s, 0, &got, &d), PS_REFUSED);
	assert_int_equal(ps_buf_printf(&msg, "%s: already a store", f.root),
	    0);
	assert_true(fix_has_diag(&d, PS_REFUSED, msg.s));
	assert_string_equal(got, "");
	free(got);
	fix_git_says(&f, "1\n", "rev-list --count HEAD");
	ps_buf_release(&prog);
	ps_buf_release(&msg);
	ps_diags_release(&d);
	fix_free(&f);
}

static void
dry_run(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf prog = PS_BUF_INIT;
	struct stat st;
	struct fix f;
	char *got = NULL;
	FILE *fp;

	(void)state;
	folder(&f, &prog);
	assert_int_equal(init(&f, prog.s, 1, &got, &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(got, canonical);
	free(got);
	assert_int_equal(stat(f.root, &st), -1);	/* nothing made */

	/* a program.yaml that is not one is refused, nothing made */
	assert_non_null(fp = fopen(prog.s, "w"));
	assert_true(fputs("kind: program\n", fp) >= 0);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(init(&f, prog.s, 0, &got, &d), PS_REFUSED);
	assert_true(d.errors > 0);
	assert_string_equal(got, "");
	free(got);
	assert_int_equal(stat(f.root, &st), -1);
	ps_buf_release(&prog);
	ps_diags_release(&d);
	fix_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(creates),
		cmocka_unit_test(refuses_not_empty),
		cmocka_unit_test(refuses_a_store),
		cmocka_unit_test(dry_run),
	};

	return cmocka_run_group_tests_name("init", tests, setup, NULL);
}
