/*
 * Unit tests: libgit2's start-up, allocator and errors (lib/store/git.c).
 *
 * The tests run in order: the first starts libgit2 through
 * ps_git_ready() alone, the last counts how many times libgit2 was
 * started by shutting it down.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>

#include "util/diag.h"
#include "store/git.h"

/* ps_git_ready() starts libgit2 itself when ps_git_init() was not
   called, and libgit2 then works. */
static void
ready_starts_git(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	git_oid id;

	(void)state;
	assert_int_equal(ps_git_ready(&d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(git_odb_hash(&id, "", 0, GIT_OBJECT_BLOB), 0);
	assert_string_equal(git_oid_tostr_s(&id),
	    "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391");
}

/* A second init and ready change nothing and say nothing. */
static void
init_and_ready_idempotent(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	assert_int_equal(ps_git_init(&d), 0);
	assert_int_equal(ps_git_init(&d), 0);
	assert_int_equal(ps_git_ready(&d), 0);
	assert_int_equal(ps_git_ready(&d), 0);
	assert_int_equal(ps_git_ready(NULL), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.status, PS_OK);
}

/* libgit2's last error, as "what: message", a store error. */
static void
error_message(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	git_repository *r = NULL;
	char want[512];

	(void)state;
	assert_true(git_repository_open(&r, "/nonexistent/ps-store") < 0);
	assert_non_null(git_error_last());
	snprintf(want, sizeof(want), "/nonexistent/ps-store: %s",
	    git_error_last()->message);
	assert_int_equal(ps_git_error(&d, "/nonexistent/ps-store"), PS_STORE);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].status, PS_STORE);
	assert_null(d.v[0].file);
	assert_string_equal(d.v[0].msg, want);
	ps_diags_release(&d);

	assert_int_equal(git_error_set_str(GIT_ERROR_INVALID,
	    "the index is torn"), 0);
	assert_int_equal(ps_git_error(&d, "cannot read the index"), PS_STORE);
	assert_string_equal(d.v[0].msg, "cannot read the index: the index is "
	    "torn");
	ps_diags_release(&d);
}

/* No error from libgit2 at all (git_error_last() NULL): still a message. */
static void
error_without_git_error(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	git_error_clear();
	if (git_error_last() != NULL)
		skip();		/* libgit2 1.8 and later: never NULL */
	assert_int_equal(ps_git_error(&d, "cannot move the branch"),
	    PS_STORE);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, "cannot move the branch: git error");
	ps_diags_release(&d);
}

/*
 * What a sanitizer says (lines of "==PID==...", and the blank line
 * after), out of msg: in a SANITIZE=1 build, the allocation asked for
 * fails with a warning of AddressSanitizer's before ours.
 */
static void
drop_sanitizer_lines(char *msg)
{
	char *r = msg, *w = msg, *nl;
	size_t len;

	while (*r) {
		len = (nl = strchr(r, '\n')) ? (size_t)(nl - r) + 1 : strlen(r);
		if (strncmp(r, "==", 2) != 0)
			memmove(w, r, len), w += len;
		r += len;
	}
	*w = '\0';
}

/*
 * A failed allocation inside libgit2, in a child: its exit status and
 * what it wrote to stderr (into msg). after are the calls of
 * ps_git_after_commit() made first.
 */
static int
oom_child(const int *after, size_t nafter, char *msg, size_t msglen)
{
	int fds[2], st;
	size_t i, got = 0;
	ssize_t n;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	fflush(NULL);
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		dup2(fds[1], STDERR_FILENO);
		close(fds[0]);
		for (i = 0; i < nafter; i++)
			ps_git_after_commit(after[i]);
		/* libgit2's allocator, asked for more than there can be */
		git_odb_backend_data_alloc(NULL, SIZE_MAX >> 2);
		_exit(99);
	}
	close(fds[1]);
	while (got + 1 < msglen && (n = read(fds[0], msg + got,
	    msglen - got - 1)) > 0)
		got += (size_t)n;
	msg[got] = '\0';
	drop_sanitizer_lines(msg);
	close(fds[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* Out of memory in libgit2 ends the process: status 3, or 0 with a
   warning once the branch has moved, never 0 after a -1. */
static void
oom_ends_the_process(void **state)
{
	static const int none[] = { 0 }, moved[] = { 1 }, moved_back[] = {
	    1, 0 }, never[] = { -1, 1, 0 };
	char msg[512];

	(void)state;
	assert_int_equal(oom_child(none, 0, msg, sizeof(msg)), PS_STORE);
	assert_string_equal(msg, "test-git: out of memory\n");
	assert_int_equal(oom_child(none, 1, msg, sizeof(msg)), PS_STORE);
	assert_int_equal(oom_child(moved, 1, msg, sizeof(msg)), PS_OK);
	assert_string_equal(msg, "test-git: warning: out of memory after the "
	    "commit was made: the write is saved; the next ps- command "
	    "brings the work tree up to it\n");
	assert_int_equal(oom_child(moved_back, 2, msg, sizeof(msg)),
	    PS_STORE);
	assert_string_equal(msg, "test-git: out of memory\n");
	assert_int_equal(oom_child(never, 2, msg, sizeof(msg)), PS_STORE);
	assert_int_equal(oom_child(never, 3, msg, sizeof(msg)), PS_STORE);
	assert_string_equal(msg, "test-git: out of memory\n");
}

/* However often init and ready were called, libgit2 was started once:
   one shutdown ends it (last, since libgit2 is then gone). */
static void
started_once(void **state)
{
	(void)state;
	assert_int_equal(git_libgit2_shutdown(), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ready_starts_git),
		cmocka_unit_test(init_and_ready_idempotent),
		cmocka_unit_test(error_message),
		cmocka_unit_test(error_without_git_error),
		cmocka_unit_test(oom_ends_the_process),
		cmocka_unit_test(started_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
