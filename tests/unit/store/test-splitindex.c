/*
 * Unit tests: git's index kept split (lib/store/splitindex.c), judged
 * by real git. After every write: git reads the index and finds each
 * file as it says (diff-files, no refresh), the changes staged against
 * HEAD as made, and its tree cache true (git write-tree gives the tree
 * that an index built afresh from the same entries gives). git's own
 * writes of a split index are read back; the parts are folded into one
 * file when the differences grow, and in an erasure.
 */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store/gitindex.h"
#include "store/splitindex.h"
#include "store/worktree.h"
#include "fixture.h"

/* 4 folders of 10 files, committed by git (its index has a tree cache). */
static int
setup(void **state)
{
	static struct fix f;
	char *out;

	fix_new(&f, 1);
	out = fix_sh(&f, "for d in a b c d; do mkdir -p $d; for i in 0 1 2 3 "
	    "4 5 6 7 8 9; do echo \"$d$i\" >$d/f$i.yaml; done; done; git add "
	    "-A && git -c user.name=T -c user.email=t@example.org commit -qm "
	    "files --no-verify");
	free(out);
	setenv("PS_INDEX_SPLIT", "0", 1);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	unsetenv("PS_INDEX_SPLIT");
	fix_free(*state);
	return 0;
}

/* Is .git/index split (a link extension)? */
static int
is_split(struct fix *f)
{
	char *out = fix_sh(f, "grep -c link .git/index || true");
	int yes = atoi(out) > 0;

	free(out);
	return yes;
}

/* git finds the index sound: every file as it says, the staged changes
   want, and its tree cache true. */
static void
git_agrees(struct fix *f, const char *want)
{
	char *fresh, *cached;

	fix_git_says(f, "", "diff-files --name-status");
	fix_git_says(f, want, "diff-index --cached --name-status HEAD");
	fresh = fix_sh(f, "rm -f .git/fresh && git ls-files -s | "
	    "GIT_INDEX_FILE=.git/fresh git update-index --index-info && "
	    "GIT_INDEX_FILE=.git/fresh git write-tree && rm .git/fresh");
	/* from a copy: git write-tree writes the index it reads */
	cached = fix_sh(f, "cp .git/index .git/copy && GIT_INDEX_FILE=.git/copy "
	    "git write-tree && rm .git/copy");
	assert_string_equal(cached, fresh);
	free(fresh);
	free(cached);
}

/*
 * Past the limit the index becomes split, its file the shared part;
 * files added, replaced and removed are the differences, and each
 * write after writes only those (the shared part stays as it was).
 */
static void
split_as_git_sees(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	char p1[] = "a/new.yaml", p2[] = "b/f3.yaml", p3[] = "c/f7.yaml",
	    p4[] = "e/g/h.yaml";
	char t1[] = "new\n", t2[] = "replaced\n", t4[] = "deep\n";
	struct ps_change ch[4];
	struct stat st;
	struct ps_buf p = PS_BUF_INIT;
	char *shared, *again;

	assert_false(is_split(f));
	fix_change(f, &ch[0], p1, t1);
	fix_change(f, &ch[1], p2, t2);
	fix_change(f, &ch[2], p3, NULL);
	assert_int_equal(ps_gitindex_apply(f->s, ch, 3, &d), 0);
	assert_int_equal(d.n, 0);
	assert_true(is_split(f));
	/* only the differences written (before git writes it again) */
	assert_int_equal(stat(fix_path(f, &p, ".git/index"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_true(st.st_size < 512);
	git_agrees(f, "A\ta/new.yaml\nM\tb/f3.yaml\nD\tc/f7.yaml\n");
	shared = fix_sh(f, "ls .git | grep '^sharedindex\\.'");

	/* again: a new folder, and the replaced file replaced again */
	fix_change(f, &ch[3], p4, t4);
	fix_change(f, &ch[1], p2, t1);
	assert_int_equal(ps_gitindex_apply(f->s, ch + 1, 1, &d), 0);
	assert_int_equal(ps_gitindex_apply(f->s, ch + 3, 1, &d), 0);
	assert_int_equal(d.n, 0);
	git_agrees(f, "A\ta/new.yaml\nM\tb/f3.yaml\nD\tc/f7.yaml\n"
	    "A\te/g/h.yaml\n");
	again = fix_sh(f, "ls .git | grep '^sharedindex\\.'");
	assert_string_equal(again, shared);
	free(again);

	/* the new file removed again, the removed one back */
	fix_change(f, &ch[0], p1, NULL);
	fix_change(f, &ch[2], p3, t2);
	assert_int_equal(ps_gitindex_apply(f->s, ch, 1, &d), 0);
	assert_int_equal(ps_gitindex_apply(f->s, ch + 2, 1, &d), 0);
	git_agrees(f, "M\tb/f3.yaml\nM\tc/f7.yaml\nA\te/g/h.yaml\n");
	again = fix_sh(f, "ls .git | grep '^sharedindex\\.'");
	assert_string_equal(again, shared);
	free(again);
	free(shared);
	ps_buf_release(&p);
}

/* git's own writes of the split index (a git add, a commit, git
   update-index --split-index) are read back and built on. */
static void
after_git_writes(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	char p1[] = "a/one.yaml", p2[] = "d/f0.yaml", p3[] = "a/f1.yaml";
	char t1[] = "one\n", t2[] = "two\n";
	struct ps_change ch[3];
	char *out;

	fix_change(f, &ch[0], p1, t1);
	assert_int_equal(ps_gitindex_apply(f->s, ch, 1, &d), 0);
	assert_true(is_split(f));
	out = fix_sh(f, "echo hand >>b/f1.yaml && git add b/f1.yaml && "
	    "git rm -q c/f2.yaml && git -c user.name=T -c "
	    "user.email=t@example.org commit -qm hand --no-verify");
	free(out);
	assert_true(is_split(f));
	git_agrees(f, "");
	fix_change(f, &ch[1], p2, t2);
	fix_change(f, &ch[2], p3, NULL);
	assert_int_equal(ps_gitindex_apply(f->s, ch + 1, 2, &d), 0);
	assert_int_equal(d.n, 0);
	git_agrees(f, "D\ta/f1.yaml\nM\td/f0.yaml\n");
	out = fix_sh(f, "git update-index --split-index");
	free(out);
	fix_change(f, &ch[1], p2, t1);
	assert_int_equal(ps_gitindex_apply(f->s, ch + 1, 1, &d), 0);
	git_agrees(f, "D\ta/f1.yaml\nM\td/f0.yaml\n");
}

/* The whole index for libgit2, and the conflict in the shared part
   found and named. */
static void
open_whole(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf p = PS_BUF_INIT;
	char p1[] = "a/one.yaml", t1[] = "one\n";
	struct ps_change ch[1];
	git_index *idx = NULL;
	char *out;

	fix_change(f, &ch[0], p1, t1);
	assert_int_equal(ps_gitindex_apply(f->s, ch, 1, &d), 0);
	assert_true(is_split(f));
	assert_int_equal(ps_splitindex_open(&idx, fix_path(f, &p,
	    ".git/index"), git_repository_path(f->s->repo), &d), 0);
	assert_int_equal(git_index_entrycount(idx), 42);
	assert_non_null(git_index_get_bypath(idx, "a/one.yaml", 0));
	git_index_free(idx);
	assert_int_equal(ps_splitindex_stages(f->s), 0);

	/* a conflict, then all of it made the shared part by git */
	out = fix_sh(f, "b=$(git rev-parse HEAD:a/f0.yaml) && printf '0 "
	    "0000000000000000000000000000000000000000\\tb/f5.yaml\\n100644 "
	    "%s 2\\tb/f5.yaml\\n100644 %s 3\\tb/f5.yaml\\n' $b $b | git "
	    "update-index --index-info && git update-index --split-index && "
	    "git update-index --split-index");
	free(out);
	assert_int_equal(ps_splitindex_stages(f->s), 1);
	assert_int_equal(ps_gitindex_check(f->s, &d), PS_STORE);
	assert_true(fix_has_diag(&d, PS_STORE, "unresolved merge conflict: "
	    "edit the file to keep the right version, then git add it and "
	    "git commit"));
	assert_string_equal(d.v[0].file, "b/f5.yaml");
	ps_diags_release(&d);
	ps_buf_release(&p);
}

/*
 * Past a fifth of the shared part the differences are folded into one
 * file again, as git does; under the limit, a store's index is never
 * split; in an erasure it is written whole, and no shared part is left
 * (its entries name the person's files).
 */
static void
folded(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	char path[9][16], text[] = "x\n";
	struct ps_change ch[9];
	char *out;
	int i;

	for (i = 0; i < 9; i++) {
		snprintf(path[i], sizeof(path[i]), "z/%d.yaml", i);
		fix_change(f, &ch[i], path[i], text);
	}
	assert_int_equal(ps_gitindex_apply(f->s, ch, 8, &d), 0);
	assert_true(is_split(f));
	assert_int_equal(ps_gitindex_apply(f->s, ch + 8, 1, &d), 0);
	assert_false(is_split(f));	/* 9 of 42 */
	git_agrees(f, "A\tz/0.yaml\nA\tz/1.yaml\nA\tz/2.yaml\nA\tz/3.yaml\n"
	    "A\tz/4.yaml\nA\tz/5.yaml\nA\tz/6.yaml\nA\tz/7.yaml\n"
	    "A\tz/8.yaml\n");

	assert_int_equal(ps_gitindex_apply(f->s, ch, 1, &d), 0);
	assert_true(is_split(f));
	f->s->erasing = 1;
	assert_int_equal(ps_gitindex_apply(f->s, ch + 1, 1, &d), 0);
	f->s->erasing = 0;
	assert_false(is_split(f));
	out = fix_sh(f, "ls .git | grep -c '^sharedindex\\.' || true");
	assert_string_equal(out, "0\n");
	free(out);

	unsetenv("PS_INDEX_SPLIT");
	assert_int_equal(ps_gitindex_apply(f->s, ch + 2, 1, &d), 0);
	assert_false(is_split(f));
	out = fix_sh(f, "ls .git | grep -c '^sharedindex\\.' || true");
	assert_string_equal(out, "0\n");
	free(out);
	git_agrees(f, "A\tz/0.yaml\nA\tz/1.yaml\nA\tz/2.yaml\nA\tz/3.yaml\n"
	    "A\tz/4.yaml\nA\tz/5.yaml\nA\tz/6.yaml\nA\tz/7.yaml\n"
	    "A\tz/8.yaml\n");
	assert_int_equal(d.n, 0);
}

/* git holds index.lock: the error says so and what to do; the index
   is as it was. */
static void
locked(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	char p1[] = "a/one.yaml", t1[] = "one\n";
	struct ps_change ch[1];

	fix_change(f, &ch[0], p1, t1);
	assert_int_equal(ps_gitindex_apply(f->s, ch, 1, &d), 0);
	fix_write(f, ".git/index.lock", "");
	fix_change(f, &ch[0], p1, t1);
	assert_int_equal(ps_gitindex_apply(f->s, ch, 1, &d), PS_STORE);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg, "index.lock exists: the commit is "
	    "made, but the index could not be updated; if no git command is "
	    "running, remove that file and run any ps- command"));
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(split_as_git_sees, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(after_git_writes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(open_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(folded, setup, teardown),
		cmocka_unit_test_setup_teardown(locked, setup, teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
