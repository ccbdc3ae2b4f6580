/*
 * Unit tests: a write interrupted at any point leaves the store as
 * before or as after (lib/store/journal.c). A crash is simulated: the
 * commit is made outside the tools, its journal written with
 * ps_journal_write(), and the branch moved (or not) by hand; then the
 * store is recovered, and real git says whether the work tree and the
 * index are up to the branch.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/time.h>

#include <cmocka.h>

#include "store/journal.h"
#include "store/worktree.h"
#include "fixture.h"

static const char p_text[] =
    "kind: participant\nid: P-7K3Q2X\nstatus: waiting\nstream: extended\n"
    "role: living-with\nreceived: 2026-11-20T09:00:00-05:00\n";

/*
 * The store and a write to it: HEAD (c0) holds program.yaml and
 * notes.txt; the write (c0 to c2) adds a participant and deletes
 * notes.txt.
 */
struct jfix {
	struct fix	 f;
	struct ps_buf	 ref;
	git_oid		 c0, c1, c2, blob;
	char		 path[32], gone[16];
	struct ps_change ch[2];
};

static int
setup(void **state)
{
	static struct jfix j;
	struct fix *f = &j.f;

	memset(&j, 0, sizeof(j));
	fix_new(f, 1);
	fix_write(f, "notes.txt", "notes\n");
	assert_int_equal(fix_git(f, NULL, "add notes.txt"), 0);
	assert_int_equal(fix_git(f, NULL, "commit -q -m notes"), 0);
	fix_ref(f, "HEAD", &j.c0);
	fix_branch(f, &j.ref);
	fix_commit_with(f, &j.c0, "participants/P-7K3Q2X.yaml", p_text, &j.c1,
	    &j.blob);
	fix_commit_with(f, &j.c1, "notes.txt", NULL, &j.c2, NULL);
	snprintf(j.path, sizeof(j.path), "participants/P-7K3Q2X.yaml");
	snprintf(j.gone, sizeof(j.gone), "notes.txt");
	j.ch[0].path = j.path;
	j.ch[0].oid = j.blob;
	j.ch[1].path = j.gone;
	j.ch[1].del = 1;
	*state = &j;
	return 0;
}

static int
teardown(void **state)
{
	struct jfix *j = *state;

	fix_free(&j->f);
	ps_buf_release(&j->ref);
	return 0;
}

/* The crash: the journal of c0 to c2 written, and the branch moved to
   to (NULL: not moved). */
static void
crash(struct jfix *j, const git_oid *to)
{
	struct ps_diags d = PS_DIAGS_INIT;
	git_reference *r = NULL;

	assert_int_equal(ps_journal_write(j->f.s, j->ref.s, &j->c0, &j->c2,
	    j->ch, 2, &d), 0);
	assert_int_equal(d.n, 0);
	if (to) {
		assert_int_equal(git_reference_create(&r, j->f.s->repo, j->ref.s,
		    to, 1, "crash"), 0);
		git_reference_free(r);
	}
}

/* The work tree and index are at c0 (before) or at c2 (after). */
static void
at_c0(struct jfix *j)
{
	fix_file_is(&j->f, j->path, NULL);
	fix_file_is(&j->f, "notes.txt", "notes\n");
	fix_git_says(&j->f, "", "status --porcelain");
}

static void
at_c2(struct jfix *j)
{
	git_oid head;

	fix_file_is(&j->f, j->path, p_text);
	fix_file_is(&j->f, "notes.txt", NULL);
	fix_ref(&j->f, "HEAD", &head);
	assert_true(git_oid_equal(&head, &j->c2));
	/* the index as git finds the files (no refresh), then as HEAD */
	fix_git_says(&j->f, "", "diff-files --name-status");
	fix_git_says(&j->f, "", "diff-index --cached --name-status HEAD");
	fix_git_says(&j->f, "", "status --porcelain");
}

/* The journal's text: the branch, its commit before and after, each
   file changed, and an end. */
static void
journal_text(void **state)
{
	struct jfix *j = *state;
	struct ps_buf want = PS_BUF_INIT;
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1], c[GIT_OID_HEXSZ + 1];

	crash(j, NULL);
	assert_int_equal(ps_buf_printf(&want, "ps-journal 1\nref %s\n"
	    "old %s\nnew %s\nput %s participants/P-7K3Q2X.yaml\n"
	    "del notes.txt\nend\n", j->ref.s, git_oid_tostr(a, sizeof(a),
	    &j->c0), git_oid_tostr(b, sizeof(b), &j->c2),
	    git_oid_tostr(c, sizeof(c), &j->blob)), 0);
	fix_file_is(&j->f, ".git/ps-journal", want.s);
	ps_buf_release(&want);
}

/* The branch moved, then the crash: recovery brings the work tree and
   the index up to the commit, and drops the journal. */
static void
recover_after_move(void **state)
{
	struct jfix *j = *state;
	struct ps_diags d = PS_DIAGS_INIT;

	crash(j, &j->c2);
	assert_int_equal(ps_journal_recover(j->f.s, &d), 0);
	assert_int_equal(d.n, 0);
	at_c2(j);
	fix_file_is(&j->f, ".git/ps-journal", NULL);
	/* the store's lock is held from there */
	assert_int_not_equal(j->f.s->lock_fd, -1);
}

/* The next open recovers, as ps_store_open() promises. */
static void
open_recovers(void **state)
{
	struct jfix *j = *state;

	crash(j, &j->c2);
	fix_reopen(&j->f);
	at_c2(j);
	fix_file_is(&j->f, ".git/ps-journal", NULL);
}

/* The crash before the branch moved: the store as before, the journal
   dropped. */
static void
recover_before_move(void **state)
{
	struct jfix *j = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	git_oid head;

	crash(j, NULL);
	assert_int_equal(ps_journal_recover(j->f.s, &d), 0);
	assert_int_equal(d.n, 0);
	at_c0(j);
	fix_ref(&j->f, "HEAD", &head);
	assert_true(git_oid_equal(&head, &j->c0));
	fix_file_is(&j->f, ".git/ps-journal", NULL);
}

/* Killed before its branch moved, which a git commit then moved on
   from the old commit: the write never landed, and the journal goes
   with nothing written. */
static void
branch_moved_on(void **state)
{
	struct jfix *j = *state;
	struct ps_diags d = PS_DIAGS_INIT;

	crash(j, &j->c1);
	assert_int_equal(ps_journal_recover(j->f.s, &d), 0);
	assert_int_equal(d.n, 0);
	fix_file_is(&j->f, j->path, NULL);
	fix_file_is(&j->f, "notes.txt", "notes\n");
	fix_file_is(&j->f, ".git/ps-journal", NULL);
}

/* The branch at neither commit, nor moved on from the old one (a commit
   after the new one, made by git while the work tree lagged): refused,
   nothing touched, the journal kept for a person to compare. */
static void
branch_moved_elsewhere(void **state)
{
	struct jfix *j = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf p = PS_BUF_INIT, msg = PS_BUF_INIT;
	struct ps_store *s = NULL;
	git_oid c3;
	char *kept;

	fix_commit_with(&j->f, &j->c2, "notes.txt", "later\n", &c3, NULL);
	crash(j, &c3);
	assert_int_equal(ps_journal_recover(j->f.s, &d), PS_STORE);
	assert_int_equal(ps_buf_printf(&msg, "%s: the branch moved since an "
	    "interrupted write; compare the journal with git log",
	    fix_path(&j->f, &p, ".git/ps-journal")), 0);
	assert_true(fix_has_diag(&d, PS_STORE, msg.s));
	ps_diags_release(&d);
	fix_file_is(&j->f, j->path, NULL);
	assert_non_null(kept = fix_read(&j->f, ".git/ps-journal"));
	free(kept);
	ps_repo_unlock(j->f.s);
	assert_int_equal(ps_store_open(&s, j->f.root, &d), PS_STORE);
	assert_null(s);
	assert_true(fix_has_diag(&d, PS_STORE, msg.s));
	ps_diags_release(&d);
	ps_buf_release(&p);
	ps_buf_release(&msg);
}

/*
 * A journal torn (no end, or a bad ID) never described a commit: the
 * write's is refused and kept, for it may be a person's to look at; the
 * index child's (ps-index-journal) is dropped.
 */
static void
torn_journal(void **state)
{
	static const char *torn[] = { "ps-journal 1\nref refs/heads/master\n"
	    "old none\nnew 1234\n", "ps-journal 1\nref refs/heads/master\n"
	    "old none\nnew 0123456789012345678901234567890123456789\n"
	    "put xyz a.txt\nend\n", "", NULL };
	struct jfix *j = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf p = PS_BUF_INIT, msg = PS_BUF_INIT;
	int i;

	assert_int_equal(ps_buf_printf(&msg, "%s: cannot read the journal of "
	    "an interrupted write; move it aside and run git status",
	    fix_path(&j->f, &p, ".git/ps-journal")), 0);
	for (i = 0; torn[i]; i++) {
		fix_write(&j->f, ".git/ps-journal", torn[i]);
		assert_int_equal(ps_journal_recover(j->f.s, &d), PS_STORE);
		assert_int_equal(d.n, 1);
		assert_true(fix_has_diag(&d, PS_STORE, msg.s));
		ps_diags_release(&d);
		fix_file_is(&j->f, ".git/ps-journal", torn[i]);

		fix_write(&j->f, ".git/ps-index-journal", torn[i]);
		assert_int_equal(unlink(p.s), 0);
		assert_int_equal(ps_journal_recover(j->f.s, &d), 0);
		assert_int_equal(d.n, 0);
		fix_file_is(&j->f, ".git/ps-index-journal", NULL);
	}
	at_c0(j);
	ps_buf_release(&p);
	ps_buf_release(&msg);
}

/* A store with no commit yet, as ps_store_create() leaves it. */
static int
setup_unborn(void **state)
{
	static struct jfix j;

	memset(&j, 0, sizeof(j));
	fix_new(&j.f, 0);
	fix_branch(&j.f, &j.ref);
	*state = &j;
	return 0;
}

/* The first commit of an unborn branch ("old none"): rolled forward
   once the branch exists, dropped while it does not. */
static void
unborn_branch(void **state)
{
	struct jfix *j = *state;
	struct fix *f = &j->f;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf want = PS_BUF_INIT;
	git_reference *r = NULL;
	char path[] = "program.yaml", a[GIT_OID_HEXSZ + 1],
	    b[GIT_OID_HEXSZ + 1];
	struct ps_change ch;
	git_oid c;
	int round;

	memset(&ch, 0, sizeof(ch));
	ch.path = path;
	fix_commit_with(f, NULL, path, fix_program, &c, &ch.oid);
	for (round = 0; round < 2; round++) {
		assert_int_equal(ps_journal_write(f->s, j->ref.s, NULL, &c, &ch,
		    1, &d), 0);
		ps_buf_truncate(&want, 0);
		assert_int_equal(ps_buf_printf(&want, "ps-journal 1\nref %s\n"
		    "old none\nnew %s\nput %s program.yaml\nend\n", j->ref.s,
		    git_oid_tostr(a, sizeof(a), &c), git_oid_tostr(b,
		    sizeof(b), &ch.oid)), 0);
		fix_file_is(f, ".git/ps-journal", want.s);
		if (round == 1) {
			assert_int_equal(git_reference_create(&r, f->s->repo,
			    j->ref.s, &c, 0, "crash"), 0);
			git_reference_free(r);
		}
		assert_int_equal(ps_journal_recover(f->s, &d), 0);
		assert_int_equal(d.n, 0);
		fix_file_is(f, ".git/ps-journal", NULL);
		fix_file_is(f, path, round == 0 ? NULL : fix_program);
	}
	fix_git_says(f, "", "status --porcelain");
	ps_buf_release(&want);
}

/*
 * Recovery clears what killed runs left: our temp files, libgit2's temp
 * objects and packs, a killed ps-init's empty folder; and nothing else.
 */
static void
clean_temp_files(void **state)
{
	static const char *gone[] = { ".git/ps-tmp/rec.AbC123",
	    ".git/ps-tmp/journal.x", ".git/objects/tmp_object_git2_q1w2e3",
	    ".git/objects/pack/tmp_ps_pack_Zx9", ".git/objects/pack/pack_git2_1",
	    NULL }, *kept[] = { ".git/objects/pack/ps-keep",
	    ".git/objects/info/tmp_object_git2_q1w2e3", "ps-tmp/rec.AbC123",
	    NULL };
	struct jfix *j = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf p = PS_BUF_INIT;
	struct stat st;
	int i;

	for (i = 0; gone[i]; i++)
		fix_write(&j->f, gone[i], "left\n");
	for (i = 0; kept[i]; i++)
		fix_write(&j->f, kept[i], "kept\n");
	assert_int_equal(mkdir(fix_path(&j->f, &p, ".ps-init"), 0700), 0);
	assert_int_equal(ps_journal_recover(j->f.s, &d), 0);
	for (i = 0; gone[i]; i++)
		fix_file_is(&j->f, gone[i], NULL);
	for (i = 0; kept[i]; i++)
		fix_file_is(&j->f, kept[i], "kept\n");
	assert_int_equal(stat(p.s, &st), -1);
	ps_buf_release(&p);
}

/* Set a file's times to t. */
static void
touch(const char *path, time_t t)
{
	struct timeval tv[2] = { { t, 0 }, { t, 0 } };

	assert_int_equal(utimes(path, tv), 0);
}

/*
 * The git lock files the interrupted write took (made with or within a
 * minute after its journal) are stale and removed; an older one is a git
 * command's, left alone, and then the index cannot be written.
 */
static void
own_locks_dropped(void **state)
{
	struct jfix *j = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf p = PS_BUF_INIT, lk = PS_BUF_INIT, msg = PS_BUF_INIT;
	struct stat js;
	char *kept;

	crash(j, &j->c2);
	assert_int_equal(stat(fix_path(&j->f, &p, ".git/ps-journal"), &js), 0);
	assert_int_equal(ps_buf_printf(&lk, ".git/%s.lock", j->ref.s), 0);
	fix_write(&j->f, lk.s, "");
	touch(fix_path(&j->f, &p, lk.s), js.st_mtime + 30);
	fix_write(&j->f, ".git/index.lock", "");
	touch(fix_path(&j->f, &p, ".git/index.lock"), js.st_mtime - 600);

	assert_int_equal(ps_journal_recover(j->f.s, &d), PS_STORE);
	assert_int_equal(ps_buf_printf(&msg, "%s exists: the commit is made, "
	    "but the index could not be updated; if no git command is running, "
	    "remove that file and run any ps- command", p.s), 0);
	assert_true(fix_has_diag(&d, PS_STORE, msg.s));
	ps_diags_release(&d);
	fix_file_is(&j->f, lk.s, NULL);
	fix_file_is(&j->f, ".git/index.lock", "");
	assert_non_null(kept = fix_read(&j->f, ".git/ps-journal"));
	free(kept);

	/* that git command done: the next recovery finishes */
	assert_int_equal(unlink(p.s), 0);
	assert_int_equal(ps_journal_recover(j->f.s, &d), 0);
	at_c2(j);
	ps_buf_release(&p);
	ps_buf_release(&lk);
	ps_buf_release(&msg);
}

/* A write done drops its journal, under either name. */
static void
drop(void **state)
{
	struct jfix *j = *state;

	crash(j, NULL);
	fix_write(&j->f, ".git/ps-index-journal", "x\n");
	ps_journal_drop(j->f.s);
	fix_file_is(&j->f, ".git/ps-journal", NULL);
	fix_file_is(&j->f, ".git/ps-index-journal", NULL);
	ps_journal_drop(j->f.s);
}

/* The journal an earlier version's index child left, found by the next
   open: the index brought up; or, the branch moved by git since,
   dropped with no error. */
static void
index_journal_recovered(void **state)
{
	struct jfix *j = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf a = PS_BUF_INIT, b = PS_BUF_INIT;
	int round;

	for (round = 0; round < 2; round++) {
		crash(j, round == 0 ? &j->c2 : &j->c1);
		assert_int_equal(ps_worktree_write(j->f.s, j->ch, 2, NULL, &d), 0);
		free(j->ch[0].data);
		j->ch[0].data = NULL;
		assert_int_equal(rename(fix_path(&j->f, &a, ".git/ps-journal"),
		    fix_path(&j->f, &b, ".git/ps-index-journal")), 0);
		fix_reopen(&j->f);
		fix_file_is(&j->f, ".git/ps-index-journal", NULL);
		if (round == 0)
			at_c2(j);
	}
	/* left as git has it: the index at c2, the branch at c1 */
	fix_git_says(&j->f, "D\tnotes.txt\n",
	    "diff-index --cached --name-status HEAD");
	ps_buf_release(&a);
	ps_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(journal_text, setup, teardown),
		cmocka_unit_test_setup_teardown(recover_after_move, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(open_recovers, setup, teardown),
		cmocka_unit_test_setup_teardown(recover_before_move, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(branch_moved_on, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(branch_moved_elsewhere, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(torn_journal, setup, teardown),
		cmocka_unit_test_setup_teardown(unborn_branch, setup_unborn,
		    teardown),
		cmocka_unit_test_setup_teardown(clean_temp_files, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(own_locks_dropped, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(drop, setup, teardown),
		cmocka_unit_test_setup_teardown(index_journal_recovered, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
