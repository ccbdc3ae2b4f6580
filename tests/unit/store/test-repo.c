/*
 * Unit tests: the store's handle, lock, paths and cache files
 * (lib/store/repo.c), on a real store in a temp folder.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

#include <cmocka.h>

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

static double
since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A name in .git, whatever the buffer held before; .git itself. */
static void
gitpath(void **state)
{
	struct fix *f = *state;
	struct ps_buf b = PS_BUF_INIT, want = PS_BUF_INIT;

	assert_int_equal(ps_buf_puts(&b, "left over"), 0);
	ps_repo_gitpath(f->s, &b, "ps.lock");
	assert_string_equal(b.s, fix_path(f, &want, ".git/ps.lock"));
	ps_repo_gitpath(f->s, &b, "refs/heads/master.lock");
	assert_string_equal(b.s, fix_path(f, &want,
	    ".git/refs/heads/master.lock"));
	assert_string_equal(ps_repo_gitdir(f->s), fix_path(f, &want,
	    ".git/"));
	ps_buf_release(&b);
	ps_buf_release(&want);
}

/*
 * The lock held by one handle keeps a second out for PS_LOCK_TIMEOUT
 * seconds, then says the store is busy; once released, or the first
 * handle closed, the second takes it. Taking it twice is no error.
 */
static void
lock_excludes(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_store *other = NULL;
	struct ps_buf p = PS_BUF_INIT;
	struct timespec t0;
	struct stat st;
	double waited;

	assert_int_equal(ps_store_open(&other, f->root, &d), 0);
	assert_int_equal(ps_repo_lock(f->s, &d), 0);
	assert_int_equal(ps_repo_lock(f->s, &d), 0);
	assert_int_equal(stat(fix_path(f, &p, ".git/ps.lock"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);

	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(ps_repo_lock(other, &d), PS_STORE);
	waited = since(&t0);
	assert_true(waited >= 1 && waited < 5);
	assert_int_equal(other->lock_fd, -1);
	assert_int_equal(d.n, 1);
	assert_true(fix_has_diag(&d, PS_STORE, "store is busy: another "
	    "command held its lock for 1 s; try again later"));
	ps_diags_release(&d);
	setenv("PS_LOCK_TIMEOUT", "0", 1);

	ps_repo_unlock(f->s);
	ps_repo_unlock(f->s);
	assert_int_equal(ps_repo_lock(other, &d), 0);
	assert_int_equal(ps_repo_lock(f->s, &d), PS_STORE);
	ps_diags_release(&d);
	ps_store_close(other);	/* closing releases it */
	assert_int_equal(ps_repo_lock(f->s, &d), 0);
	assert_int_equal(d.n, 0);
	setenv("PS_LOCK_TIMEOUT", "1", 1);
	ps_buf_release(&p);
}

/* A lock waited for is taken as soon as it is free. */
static void
lock_waits(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_store *other = NULL;
	struct timespec t0;
	pid_t pid;
	int st;

	assert_int_equal(ps_store_open(&other, f->root, &d), 0);
	assert_int_equal(ps_repo_lock(other, &d), 0);
	fflush(NULL);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {	/* holds the lock (the open file) a while */
		struct timespec nap = { 0, 300 * 1000 * 1000 };

		nanosleep(&nap, NULL);
		_exit(0);
	}
	ps_store_close(other);	/* the child's copy holds it still */
	setenv("PS_LOCK_TIMEOUT", "10", 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(ps_repo_lock(f->s, &d), 0);
	assert_true(since(&t0) >= 0.2 && since(&t0) < 5);
	setenv("PS_LOCK_TIMEOUT", "1", 1);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_int_equal(d.n, 0);
}

/* A git lock file present makes a bounded wait, then names the file;
   gone, no wait. */
static void
wait_git_lock(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf p = PS_BUF_INIT, msg = PS_BUF_INIT;

	assert_int_equal(ps_repo_wait_git_lock(f->s, "index.lock", &d), 0);
	fix_write(f, ".git/index.lock", "");
	setenv("PS_LOCK_TIMEOUT", "0.1", 1);
	assert_int_equal(ps_repo_wait_git_lock(f->s, "index.lock", &d),
	    PS_STORE);
	setenv("PS_LOCK_TIMEOUT", "1", 1);
	assert_int_equal(ps_buf_printf(&msg, "%s exists: a git command is "
	    "running, or one was killed; if none is running, remove that file "
	    "and run again", fix_path(f, &p, ".git/index.lock")), 0);
	assert_true(fix_has_diag(&d, PS_STORE, msg.s));
	ps_diags_release(&d);
	assert_int_equal(unlink(p.s), 0);
	assert_int_equal(ps_repo_wait_git_lock(f->s, "index.lock", &d), 0);
	assert_int_equal(d.n, 0);
	ps_buf_release(&p);
	ps_buf_release(&msg);
}

static void
sync_store(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;

	assert_int_equal(ps_repo_sync(f->s, &d), 0);
	assert_int_equal(d.n, 0);
}

/* Whether .git/ps-tmp holds no file. */
static int
tmp_empty(const struct fix *f)
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
	return n == 0;
}

/*
 * A cache file is written whole and put in place by a rename: one who
 * opened the old file reads the old text to its end, a new reader the
 * new, and no temp file is left.
 */
static void
put_cache_whole(void **state)
{
	struct fix *f = *state;
	struct ps_buf p = PS_BUF_INIT;
	struct stat st, st2;
	char buf[64];
	FILE *old;
	char a[] = "first ", b[] = "second ", c[] = "third\n";
	struct iovec v[3] = { { a, 6 }, { b, 7 }, { c, 6 } };

	assert_int_equal(ps_repo_put_cache(f->s, "ps-test-cache", "old text\n",
	    9), 0);
	fix_file_is(f, ".git/ps-test-cache", "old text\n");
	assert_int_equal(stat(fix_path(f, &p, ".git/ps-test-cache"), &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_non_null(old = fopen(p.s, "r"));

	assert_int_equal(ps_repo_put_cachev(f->s, "ps-test-cache", v, 3), 0);
	fix_file_is(f, ".git/ps-test-cache", "first second third\n");
	assert_int_equal(stat(p.s, &st2), 0);
	assert_true(st2.st_ino != st.st_ino);	/* a new file, renamed */
	assert_non_null(fgets(buf, sizeof(buf), old));
	assert_string_equal(buf, "old text\n");
	fclose(old);

	assert_int_equal(ps_repo_put_cache(f->s, "ps-test-cache", "", 0), 0);
	fix_file_is(f, ".git/ps-test-cache", "");
	assert_true(tmp_empty(f));
	ps_buf_release(&p);
}

/* A cache that cannot be written: -1, the old one as it was, no temp. */
static void
put_cache_fails(void **state)
{
	struct fix *f = *state;

	assert_int_equal(ps_repo_put_cache(f->s, "ps-test-cache", "kept\n", 5),
	    0);
	assert_int_equal(ps_repo_put_cache(f->s, "no-such-folder/cache",
	    "lost\n", 5), -1);
	fix_write(f, ".git/ps-test-dir/x", "");
	assert_int_equal(ps_repo_put_cache(f->s, "ps-test-dir", "lost\n", 5),
	    -1);
	fix_file_is(f, ".git/ps-test-cache", "kept\n");
	fix_file_is(f, ".git/ps-test-dir/x", "");
	assert_true(tmp_empty(f));
}

/* A git command running in the store is seen (its locks are live);
   one running elsewhere, or none, is not. GIT_INDEX_FILE says a hook. */
static void
git_running(void **state)
{
	struct fix *f = *state;
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	char cmd[PATH_MAX + 64];
	FILE *git;
	int i;

	assert_int_equal(ps_repo_git_running(f->s), 0);
	/* git cat-file --batch waits on its input, in the store's folder */
	snprintf(cmd, sizeof(cmd), "git -C '%s' cat-file --batch", f->root);
	assert_non_null(git = popen(cmd, "w"));
	/* once the shell has run git, and git has moved into the store */
	for (i = 0; i < 500 && !ps_repo_git_running(f->s); i++)
		nanosleep(&nap, NULL);
	assert_int_equal(ps_repo_git_running(f->s), 1);
	assert_int_equal(pclose(git), 0);
	assert_int_equal(ps_repo_git_running(f->s), 0);
	assert_non_null(git = popen("git -C / hash-object --stdin >/dev/null", "w"));
	assert_int_equal(ps_repo_git_running(f->s), 0);
	assert_int_equal(pclose(git), 0);

	unsetenv("GIT_INDEX_FILE");
	assert_int_equal(ps_repo_in_git_hook(), 0);
	setenv("GIT_INDEX_FILE", ".git/index.lock", 1);
	assert_int_equal(ps_repo_in_git_hook(), 1);
	unsetenv("GIT_INDEX_FILE");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(gitpath, setup, teardown),
		cmocka_unit_test_setup_teardown(lock_excludes, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(lock_waits, setup, teardown),
		cmocka_unit_test_setup_teardown(wait_git_lock, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(sync_store, setup, teardown),
		cmocka_unit_test_setup_teardown(put_cache_whole, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(put_cache_fails, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(git_running, setup, teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
