/* git: libgit2's start-up, allocator and errors; see git.h. */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <git2/sys/alloc.h>

#include "util/pool.h"
#include "store/git.h"

int
ps_git_error(struct ps_diags *d, const char *what)
{
	const git_error *e = git_error_last();
	const char *m = e && e->message && *e->message ? e->message :
	    "git error";
	int n = (int)strlen(m);

	/* libgit2 appends the system's reason, which may be empty ("failed
	   to lock file '...' for writing: "): not the colon, then */
	while (n > 0 && (m[n - 1] == ' ' || m[n - 1] == ':'))
		n--;
	return ps_diag_err(d, PS_STORE, "%s: %.*s", what, n, m);
}

/*
 * A loose object is written to a temp file, its folder objects/XX made,
 * then renamed into it; a git gc or git prune beside removes such a
 * folder while it is empty, and the rename then fails. git tries again
 * in that case; so does this, a few times.
 */
int
ps_git_odb_write(git_repository *repo, git_oid *out, const void *data,
    size_t len, git_object_t type)
{
	git_odb *odb = NULL;
	int rc, tries;

	if ((rc = git_repository_odb(&odb, repo)) < 0)
		return rc;
	for (tries = 0; (rc = git_odb_write(out, odb, data, len, type)) < 0 &&
	    tries < 5; tries++)
		;
	git_odb_free(odb);
	return rc;
}

int
ps_git_commit_create(git_oid *out, git_repository *repo,
    const git_signature *author, const git_signature *committer,
    const char *encoding, const char *message, const git_tree *tree,
    size_t n, const git_commit *parents[])
{
	git_buf b = GIT_BUF_INIT;
	int rc;

	if ((rc = git_commit_create_buffer(&b, repo, author, committer,
	    encoding, message, tree, n, parents)) == 0)
		rc = ps_git_odb_write(repo, out, b.ptr, b.size,
		    GIT_OBJECT_COMMIT);
	git_buf_dispose(&b);
	return rc;
}

/*
 * libgit2's allocator. Its paths for a failed allocation are not all safe
 * (1.5 crashes in some: setting the error message, reading the config or
 * the index), so one that fails inside libgit2 ends the process here,
 * like a crash but cleanly: a message and exit status 3, nothing on
 * stdout said as saved. The write discipline makes stopping at any point
 * safe: the next command finishes or drops the write and clears its temp
 * and lock files. (This is the library's one exit, for that reason.)
 */
static int	after_commit;

void
ps_git_after_commit(int on)
{
	if (after_commit != -1 || on == -1)
		after_commit = on;
}

static void *
oom(void *p, size_t n)
{
	char msg[256];
	int len;

	if (p != NULL || n == 0)
		return p;
	len = snprintf(msg, sizeof(msg), after_commit == 1 ? "%s: warning: out "
	    "of memory after the commit was made: the write is saved; the "
	    "next ps- command brings the work tree up to it\n" :
	    "%s: out of memory\n", program_invocation_short_name);
	if (len > 0 && write(STDERR_FILENO, msg, (size_t)len) < 0)
		len = 0;
	_exit(after_commit == 1 ? PS_OK : PS_STORE);
}

static void *
git_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return oom(malloc(n), n);
}

static void *
git_calloc(size_t n, size_t size, const char *file, int line)
{
	(void)file;
	(void)line;
	return oom(calloc(n, size), n * size);
}

static char *
git_strdup(const char *s, const char *file, int line)
{
	(void)file;
	(void)line;
	return oom(strdup(s), 1);
}

static char *
git_strndup(const char *s, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return oom(strndup(s, n), 1);
}

static char *
git_substrdup(const char *s, size_t n, const char *file, int line)
{
	char *p;

	(void)file;
	(void)line;
	if (n == (size_t)-1 || (p = oom(malloc(n + 1), 1)) == NULL)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static void *
git_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return oom(realloc(p, n), n);
}

static void *
git_reallocarray(void *p, size_t n, size_t size, const char *file, int line)
{
	(void)file;
	(void)line;
	return oom(reallocarray(p, n, size), n * size);
}

static void *
git_mallocarray(size_t n, size_t size, const char *file, int line)
{
	(void)file;
	(void)line;
	return oom(reallocarray(NULL, n, size), n * size);
}

/*
 * libgit2's start-up (git_libgit2_init) is mostly mbedTLS parsing the
 * system's CA certificates, some 4 ms of every command although the tools
 * never open a connection. It runs in a thread of its own while the
 * command reads its schemas and input, and ps_git_ready() waits for it
 * before the first libgit2 call. The thread takes no signal. With
 * PS_THREADS=1 it runs in turn, in the command's one thread.
 */
static pthread_t	git_thread;
static int		git_started, git_rc, git_set;
static char		git_msg[256];

static void *
git_start(void *arg)
{
	const git_error *e;

	(void)arg;
	if (git_libgit2_init() < 0) {
		e = git_error_last();
		snprintf(git_msg, sizeof(git_msg), "%s", e && e->message ?
		    e->message : "git error");
		git_rc = -1;
	}
	return NULL;
}

int
ps_git_init(struct ps_diags *d)
{
	static git_allocator a = { git_malloc, git_calloc, git_strdup,
	    git_strndup, git_substrdup, git_realloc, git_reallocarray,
	    git_mallocarray, free };
	sigset_t all, old;

	(void)d;
	if (git_started)
		return 0;
	/* before git_libgit2_init(), which keeps an allocator already set */
	git_libgit2_opts(GIT_OPT_SET_ALLOCATOR, &a);
	git_started = 2;
	if (ps_pool_threads() > 1) {
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		if (pthread_create(&git_thread, NULL, git_start, NULL) == 0)
			git_started = 1;
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (git_started == 2)
		git_start(NULL);
	return 0;
}

int
ps_git_ready(struct ps_diags *d)
{
	if (git_started == 0)
		ps_git_init(d);
	if (git_started == 1) {
		pthread_join(git_thread, NULL);
		git_started = 2;
	}
	if (git_rc == 0 && !git_set) {
		git_set = 1;
		/* no fsync of each object, ref, log and index file and of
		   its folder: a write flushes them with one syncfs() at each
		   step (txn.c) */
		git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 0);
		/* an object read is not hashed again to check its ID: git
		   does not either (git fsck does), zlib's checksum catches a
		   damaged one, and libgit2's SHA-1 takes 2 ms on the 600 KB
		   tree of a folder of 15,000 records */
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
		/* keep the large folder trees (participants/: 40 bytes a
		   record) read once, not inflated again at each lookup
		   (libgit2 keeps trees up to 4 KiB only) */
		git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT,
		    GIT_OBJECT_TREE, (size_t)16 << 20);
	}
	if (git_rc == 0)
		return 0;
	return d ? ps_diag_err(d, PS_STORE, "cannot start libgit2: %s",
	    git_msg) : PS_STORE;
}
