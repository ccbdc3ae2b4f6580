/*
 * Unit tests: the work tree brought up to a set of changes
 * (lib/store/worktree.c), and which paths the tools may write.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

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

/* Files left in .git/ps-tmp. */
static int
tmp_files(const struct fix *f)
{
	struct ps_buf p = PS_BUF_INIT;
	struct dirent *e;
	DIR *dp;
	int n = 0;

	if ((dp = opendir(fix_path(f, &p, ".git/ps-tmp"))) != NULL) {
		while ((e = readdir(dp)) != NULL)
			n += e->d_name[0] != '.';
		closedir(dp);
	}
	ps_buf_release(&p);
	return n;
}

/*
 * New files (their folders made), a file replaced, one deleted and one
 * deleted that was not there: the work tree holds what they say, each
 * file private, and no temp file is left.
 */
static void
write_files(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf p = PS_BUF_INIT;
	struct stat st;
	char p1[] = "participants/P-7K3Q2X.yaml", p2[] =
	    "contacts/2026/11/22/C-4HT8XE.yaml", p3[] = "program.yaml", p4[] =
	    "volunteers/V-8RM4TQ.yaml", p5[] = "notes.txt";
	char t1[] = "one\n", t2[] = "two\n", t3[] = "kind: program\n";
	struct ps_change ch[5];

	memset(ch, 0, sizeof(ch));
	fix_write(f, "notes.txt", "old notes\n");
	ch[0].path = p1, ch[0].data = t1, ch[0].len = 4;
	ch[1].path = p2, ch[1].data = t2, ch[1].len = 4;
	ch[2].path = p3, ch[2].data = t3, ch[2].len = strlen(t3);
	ch[3].path = p4, ch[3].del = 1;
	ch[4].path = p5, ch[4].del = 1;
	assert_int_equal(ps_worktree_write(f->s, ch, 5, NULL, &d), 0);
	assert_int_equal(d.n, 0);
	fix_file_is(f, p1, "one\n");
	fix_file_is(f, p2, "two\n");
	fix_file_is(f, p3, "kind: program\n");
	fix_file_is(f, p4, NULL);
	fix_file_is(f, p5, NULL);
	assert_int_equal(stat(fix_path(f, &p, p1), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(stat(fix_path(f, &p, "contacts/2026/11"), &st), 0);
	assert_true(S_ISDIR(st.st_mode));
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(tmp_files(f), 0);
	/* the data given stays the caller's, as it was */
	assert_ptr_equal(ch[0].data, t1);
	ps_buf_release(&p);
}

/* A change with no text is written from its blob in the repository,
   and the text is left in data (the caller frees it). */
static void
write_from_blob(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	static const char text[] = "kind: participant\nid: P-7K3Q2X\n";
	char p1[] = "participants/P-7K3Q2X.yaml", p2[] = "empty.txt";
	struct ps_change *ch = calloc(2, sizeof(*ch));

	assert_non_null(ch);
	assert_non_null(ch[0].path = strdup(p1));
	assert_int_equal(git_blob_create_from_buffer(&ch[0].oid, f->s->repo,
	    text, strlen(text)), 0);
	assert_non_null(ch[1].path = strdup(p2));
	assert_int_equal(git_blob_create_from_buffer(&ch[1].oid, f->s->repo,
	    "", 0), 0);
	assert_int_equal(ps_worktree_write(f->s, ch, 2, NULL, &d), 0);
	fix_file_is(f, p1, text);
	fix_file_is(f, p2, "");
	assert_non_null(ch[0].data);
	assert_int_equal(ch[0].len, strlen(text));
	assert_memory_equal(ch[0].data, text, ch[0].len);
	assert_int_equal(ch[1].len, 0);
	ps_worktree_free(ch, 2);
	ps_worktree_free(NULL, 0);
}

/* A blob the repository does not hold: a store error naming the path,
   and no file written. */
static void
write_missing_blob(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	char p1[] = "participants/P-7K3Q2X.yaml";
	struct ps_change ch;

	memset(&ch, 0, sizeof(ch));
	ch.path = p1;
	assert_int_equal(git_odb_hash(&ch.oid, "never written\n", 14,
	    GIT_OBJECT_BLOB), 0);
	assert_int_equal(ps_worktree_write(f->s, &ch, 1, NULL, &d), PS_STORE);
	assert_int_equal(d.n, 1);
	assert_int_equal(strncmp(d.v[0].msg, "participants/P-7K3Q2X.yaml: ",
	    28), 0);
	ps_diags_release(&d);
	fix_file_is(f, p1, NULL);
	free(ch.data);
}

/* Write a.txt, then program.yaml/x.txt, which cannot be put in place
   (its folder is a file): PS_STORE, the diagnostics in d. */
static void
write_unplaceable(const struct fix *f, struct ps_diags *d)
{
	char p1[] = "a.txt", p2[] = "program.yaml/x.txt", t[] = "text\n";
	struct ps_change ch[2];

	memset(ch, 0, sizeof(ch));
	ch[0].path = p1, ch[0].data = t, ch[0].len = 5;
	ch[1].path = p2, ch[1].data = t, ch[1].len = 5;
	assert_int_equal(ps_worktree_write(f->s, ch, 2, NULL, d), PS_STORE);
}

/* A file that cannot be put in place (its folder is a file): the error
   names it, the changes before it are written, and its temp file is left
   for the journal's recovery (which tells by it where a write stopped,
   and then removes it). */
static void
write_fails(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;

	write_unplaceable(f, &d);
	assert_true(fix_has_diag(&d, PS_STORE, "cannot write "
	    "program.yaml/x.txt: Not a directory"));
	ps_diags_release(&d);
	fix_file_is(f, "a.txt", "text\n");
	fix_file_is(f, "program.yaml", fix_program);
	assert_int_equal(tmp_files(f), 1);
}

/* The texts a stopped write left in their temp files, by their place
   among its changes: none with no temp folder; then the one whose file
   could not be placed (write_fails' case), and no other. */
static void
staged_found(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	unsigned char have[3];

	memset(have, 7, sizeof(have));
	assert_int_equal(ps_worktree_staged(f->s, 3, have), 0);
	assert_int_equal(have[0] + have[1] + have[2], 0);
	write_unplaceable(f, &d);
	ps_diags_release(&d);
	assert_int_equal(ps_worktree_staged(f->s, 3, have), 0);
	assert_int_equal(have[0], 0);
	assert_int_equal(have[1], 1);
	assert_int_equal(have[2], 0);
}

/* The paths the tools may write: relative, plain names, not in .git,
   in no hidden folder. */
static void
safe_path(void **state)
{
	static const char *ok[] = { "program.yaml",
	    "participants/P-7K3Q2X.yaml", "contacts/2026/11/22/C-4HT8XE.yaml",
	    "erasures/P-7K3Q2X.yaml", "a", "A-b_c.d/e.f", NULL };
	static const char *bad[] = { "", "/etc/passwd", "../x", "a/../b",
	    "a/..", "..", "a//b", "a/", ".git", ".git/config", ".gitmodules",
	    "a/.git/config", "a/.hidden/b", "a/.b", "a b", "a\tb", "a\\b",
	    "caf\xc3\xa9.yaml", "a:b", "a*b", "a\nb", NULL };
	char name[256];
	int i;

	(void)state;
	for (i = 0; ok[i]; i++)
		if (!ps_worktree_safe_path(ok[i]))
			fail_msg("refused: \"%s\"", ok[i]);
	for (i = 0; bad[i]; i++)
		if (ps_worktree_safe_path(bad[i]))
			fail_msg("accepted: \"%s\"", bad[i]);
	/* at most 200 characters */
	memset(name, 'a', 200);
	name[200] = '\0';
	assert_true(ps_worktree_safe_path(name));
	name[200] = 'a';
	name[201] = '\0';
	assert_false(ps_worktree_safe_path(name));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(write_files, setup, teardown),
		cmocka_unit_test_setup_teardown(write_from_blob, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(write_missing_blob, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(write_fails, setup, teardown),
		cmocka_unit_test_setup_teardown(staged_found, setup, teardown),
		cmocka_unit_test(safe_path),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
