/*
 * Unit tests: git's index as the tools keep and check it
 * (lib/store/gitindex.c), judged by real git: git diff-files, which
 * does not refresh the index, says whether the stat data written
 * matches each file; git update-index writes conflicts and index
 * versions 2, 3 and 4 for the check to find.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store/gitindex.h"
#include "store/worktree.h"
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
	return 0;
}

/*
 * The index brought up to files written (new, replaced) and removed:
 * git finds every file as the index says (diff-files, no refresh), sees
 * the changes staged against HEAD, and the index stays private.
 */
static void
apply_as_git_sees(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf p = PS_BUF_INIT, want = PS_BUF_INIT;
	char p1[] = "participants/P-7K3Q2X.yaml", p2[] = "program.yaml";
	char t1[] = "kind: participant\n", t2[] = "kind: program\nname: x\n";
	char hex[GIT_OID_HEXSZ + 1];
	struct ps_change ch[2];
	struct stat st;

	fix_change(f, &ch[0], p1, t1);
	fix_change(f, &ch[1], p2, t2);
	assert_int_equal(ps_gitindex_apply(f->s, ch, 2, &d), 0);
	assert_int_equal(d.n, 0);
	fix_git_says(f, "", "diff-files --name-status");
	fix_git_says(f, "A\tparticipants/P-7K3Q2X.yaml\nM\tprogram.yaml\n",
	    "diff-index --cached --name-status HEAD");
	assert_int_equal(ps_buf_printf(&want, "100644 %s 0\t%s\n",
	    git_oid_tostr(hex, sizeof(hex), &ch[0].oid), p1), 0);
	fix_git_says(f, want.s, "ls-files -s %s", p1);
	assert_int_equal(stat(fix_path(f, &p, ".git/index"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	/* ps-index-stamp: the index as the tool left it */
	ps_buf_truncate(&want, 0);
	assert_int_equal(ps_buf_printf(&want, "%ju %jd %jd.%09ld\n",
	    (uintmax_t)st.st_ino, (intmax_t)st.st_size,
	    (intmax_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec), 0);
	fix_file_is(f, ".git/ps-index-stamp", want.s);

	/* a deletion */
	assert_int_equal(unlink(fix_path(f, &p, p2)), 0);
	ch[1].del = 1;
	assert_int_equal(ps_gitindex_apply(f->s, ch + 1, 1, &d), 0);
	fix_git_says(f, "", "diff-files --name-status");
	fix_git_says(f, "A\tparticipants/P-7K3Q2X.yaml\nD\tprogram.yaml\n",
	    "diff-index --cached --name-status HEAD");
	fix_git_says(f, "A  participants/P-7K3Q2X.yaml\nD  program.yaml\n",
	    "status --porcelain");
	ps_buf_release(&p);
	ps_buf_release(&want);
}

/* A file said written that is not there: an error naming it, and the
   index as it was. */
static void
apply_missing_file(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf p = PS_BUF_INIT;
	char p1[] = "a.txt", p2[] = "b.txt", t[] = "text\n";
	struct ps_change ch[2];

	fix_change(f, &ch[0], p1, t);
	fix_change(f, &ch[1], p2, t);
	assert_int_equal(unlink(fix_path(f, &p, p2)), 0);
	assert_int_equal(ps_gitindex_apply(f->s, ch, 2, &d), PS_STORE);
	assert_true(fix_has_diag(&d, PS_STORE, "b.txt: No such file or "
	    "directory"));
	ps_diags_release(&d);
	fix_git_says(f, "", "diff-index --cached --name-status HEAD");
	ps_buf_release(&p);
}

/* A store as git left it, with no conflict: no error, and the index
   noted as checked (its stamp). */
static void
check_clean(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	char *stamp;

	fix_file_is(f, ".git/ps-index-stamp", NULL);
	assert_int_equal(ps_gitindex_check(f->s, &d), 0);
	assert_int_equal(d.n, 0);
	assert_non_null(stamp = fix_read(f, ".git/ps-index-stamp"));
	free(stamp);
	assert_int_equal(ps_gitindex_check(f->s, &d), 0);
	assert_int_equal(d.n, 0);
}

/* A merge, cherry-pick or rebase in progress is refused; once it is
   over, the store is not. */
static void
check_merge_in_progress(void **state)
{
	static const char *files[] = { ".git/MERGE_HEAD",
	    ".git/CHERRY_PICK_HEAD", ".git/rebase-merge/head-name", NULL };
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf p = PS_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1], line[GIT_OID_HEXSZ + 2];
	git_oid head;
	int i;

	fix_ref(f, "HEAD", &head);
	snprintf(line, sizeof(line), "%s\n", git_oid_tostr(hex, sizeof(hex),
	    &head));
	for (i = 0; files[i]; i++) {
		fix_write(f, files[i], line);
		assert_int_equal(ps_gitindex_check(f->s, &d), PS_STORE);
		assert_int_equal(d.n, 1);
		assert_true(fix_has_diag(&d, PS_STORE, "a merge, rebase or "
		    "cherry-pick is in progress in the store: finish it "
		    "(resolve, git add, git commit) or abort it, then run "
		    "again"));
		ps_diags_release(&d);
		assert_int_equal(unlink(fix_path(f, &p, files[i])), 0);
	}
	assert_int_equal(rmdir(fix_path(f, &p, ".git/rebase-merge")), 0);
	assert_int_equal(ps_gitindex_check(f->s, &d), 0);
	assert_int_equal(d.n, 0);
	ps_buf_release(&p);
}

/*
 * Give git update-index --index-info the lines text, a stage 0 entry
 * or a conflict's stages 1 to 3 per path, each with program.yaml's
 * blob (%s in text); then make the index version ver (2 to 4). Version
 * 3 is only written for an entry with extended flags: skip marks one so
 * (one whose name, 8 characters, ends on a padding that the 2 bytes of
 * those flags move).
 */
static void
index_info(struct fix *f, const char *text, int ver, const char *skip)
{
	struct ps_buf p = PS_BUF_INIT, in = PS_BUF_INIT, sha = PS_BUF_INIT;
	const char *c;
	FILE *fp;
	unsigned char h[8];

	assert_int_equal(fix_git(f, &sha, "rev-parse HEAD:program.yaml"), 0);
	sha.s[40] = '\0';
	for (c = text; *c; c++)
		if (c[0] == '%' && c[1] == 's') {
			assert_int_equal(ps_buf_puts(&in, sha.s), 0);
			c++;
		} else
			assert_int_equal(ps_buf_putc(&in, *c), 0);
	assert_int_equal(ps_buf_printf(&p, "%s/index-info", f->base), 0);
	assert_non_null(fp = fopen(p.s, "w"));
	assert_int_equal(fputs(in.s, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(fix_git(f, NULL, "update-index --index-info < '%s'",
	    p.s), 0);
	if (skip)
		assert_int_equal(fix_git(f, NULL, "update-index --skip-worktree "
		    "'%s'", skip), 0);
	assert_int_equal(fix_git(f, NULL, "update-index --index-version %d",
	    ver), 0);
	/* the header says the version asked for */
	assert_non_null(fp = fopen(fix_path(f, &p, ".git/index"), "rb"));
	assert_int_equal(fread(h, 1, 8, fp), 8);
	fclose(fp);
	assert_memory_equal(h, "DIRC\0\0\0", 7);
	assert_int_equal(h[7], ver);
	ps_buf_release(&p);
	ps_buf_release(&in);
	ps_buf_release(&sha);
}

/* Thirty entries of names 1 to 30 characters long (each a padding of
   its own), before version 4 one with a name of 4,100 characters (past
   the 12 bits of its length in the flags; libgit2 1.5 cannot read one
   in version 4), then the entries of more. */
static void
many_entries(struct fix *f, int ver, const char *more, const char *skip)
{
	struct ps_buf text = PS_BUF_INIT;
	int i, j;

	for (i = 1; i <= 30; i++) {
		assert_int_equal(ps_buf_puts(&text, "100644 %s 0\tm/"), 0);
		for (j = 0; j < i; j++)
			assert_int_equal(ps_buf_putc(&text, 'a' + j % 26), 0);
		assert_int_equal(ps_buf_putc(&text, '\n'), 0);
	}
	/* in version 4, removed (mode 0) if there */
	assert_int_equal(ps_buf_puts(&text, ver < 4 ? "100644 %s 0\tn" :
	    "0 0000000000000000000000000000000000000000\tn"), 0);
	for (i = 0; i < 20; i++)
		assert_int_equal(ps_buf_printf(&text, "/%0204d", i), 0);
	assert_int_equal(ps_buf_putc(&text, '\n'), 0);
	assert_int_equal(ps_buf_puts(&text, more), 0);
	index_info(f, text.s, ver, skip);
	ps_buf_release(&text);
}

static const char conflict[] =
    "0 0000000000000000000000000000000000000000\tprogram.yaml\n"
    "100644 %s 1\tprogram.yaml\n"
    "100644 %s 2\tprogram.yaml\n"
    "100644 %s 3\tprogram.yaml\n"
    "100644 %s 2\tz/last.yaml\n"
    "100644 %s 3\tz/last.yaml\n";

/*
 * The index read from the file itself as the store opens
 * (ps_gitindex_prescan): in each version a conflict is found, among
 * entries of every padding and a long name, and a clean index is
 * clean; an index a tool left (its stamp holds) is not read at all.
 */
static void
prescan_versions(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf gitdir = PS_BUF_INIT;
	int ver;

	fix_path(f, &gitdir, ".git");
	for (ver = 2; ver <= 4; ver++) {
		many_entries(f, ver, "", ver == 3 ? "m/abcdef" : NULL);
		ps_gitindex_prescan(f->s, gitdir.s);
		assert_int_equal(f->s->prescan, 0);
		many_entries(f, ver, conflict, ver == 3 ? "m/abcdef" : NULL);
		ps_gitindex_prescan(f->s, gitdir.s);
		if (f->s->prescan != 1)
			fail_msg("index version %d: conflict not found", ver);
		/* all stage 0 again */
		index_info(f, "0 0000000000000000000000000000000000000000"
		    "\tprogram.yaml\n"
		    "0 0000000000000000000000000000000000000000"
		    "\tz/last.yaml\n"
		    "100644 %s 0\tprogram.yaml\n", ver, NULL);
		ps_gitindex_prescan(f->s, gitdir.s);
		assert_int_equal(f->s->prescan, 0);
	}
	/* written by a tool: not read (-1: no answer) */
	assert_int_equal(ps_gitindex_apply(f->s, NULL, 0, &d), 0);
	ps_gitindex_prescan(f->s, gitdir.s);
	assert_int_equal(f->s->prescan, -1);
	ps_buf_release(&gitdir);
}

/* Each conflicted path refused by name, whether the conflict was made
   before the store was opened (the prescan's answer) or after. */
static void
check_conflicts(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	static const char msg[] = "unresolved merge conflict: edit the file "
	    "to keep the right version, then git add it and git commit";
	int round;

	for (round = 0; round < 2; round++) {
		assert_int_equal(ps_gitindex_check(f->s, &d), 0);
		many_entries(f, 2 + 2 * round, conflict, NULL);
		if (round == 1) {
			fix_reopen(f);
			assert_int_equal(f->s->prescan, 1);
		}
		assert_int_equal(ps_gitindex_check(f->s, &d), PS_STORE);
		assert_int_equal(d.n, 2);
		assert_string_equal(d.v[0].file, "program.yaml");
		assert_string_equal(d.v[0].msg, msg);
		assert_string_equal(d.v[1].file, "z/last.yaml");
		assert_string_equal(d.v[1].msg, msg);
		ps_diags_release(&d);
		/* refused again: the conflict is not noted as checked */
		assert_int_equal(ps_gitindex_check(f->s, &d), PS_STORE);
		ps_diags_release(&d);
		index_info(f, "0 0000000000000000000000000000000000000000"
		    "\tprogram.yaml\n"
		    "0 0000000000000000000000000000000000000000"
		    "\tz/last.yaml\n"
		    "100644 %s 0\tprogram.yaml\n", 2, NULL);
	}
	assert_int_equal(ps_gitindex_check(f->s, &d), 0);
	assert_int_equal(d.n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(apply_as_git_sees, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(apply_missing_file, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(check_clean, setup, teardown),
		cmocka_unit_test_setup_teardown(check_merge_in_progress, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(prescan_versions, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(check_conflicts, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
