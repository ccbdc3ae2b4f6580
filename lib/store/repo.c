/* repo: the store's handle, lock, paths and cache files; see repo.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "util/file.h"
#include "util/signals.h"
#include "store/repo.h"

#define LOCKFILE	"ps.lock"

const char *
ps_repo_gitdir(const struct ps_store *s)
{
	return git_repository_path(s->repo);
}

void
ps_repo_gitpath(const struct ps_store *s, struct ps_buf *b, const char *name)
{
	ps_buf_truncate(b, 0);
	ps_buf_printf(b, "%s%s", git_repository_path(s->repo), name);
}

/*
 * Lock timeout in milliseconds: $PS_LOCK_TIMEOUT seconds, default 30; -1
 * and a usage error when it is set to anything but a number of seconds
 * under a day (a typo would otherwise wait 30 s, or not at all).
 */
static long
lock_timeout(struct ps_diags *d)
{
	const char *e = getenv("PS_LOCK_TIMEOUT");
	char *end;
	double v;

	if (e == NULL || *e == '\0')
		return 30000;
	v = strtod(e, &end);
	if (*end == '\0' && v >= 0 && v < 86400)
		return (long)(v * 1000);
	ps_diag_err(d, PS_USAGE, "PS_LOCK_TIMEOUT: not a number of seconds "
	    "from 0 to 86399");
	return -1;
}

int
ps_repo_lock(struct ps_store *s, struct ps_diags *d)
{
	struct ps_buf p = PS_BUF_INIT;
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	long waited = 0, limit;
	int fd, rc = 0;

	if (s->lock_fd != -1)
		return 0;
	if ((limit = lock_timeout(d)) == -1)
		return PS_USAGE;
	ps_repo_gitpath(s, &p, LOCKFILE);
	/* never through a symlink: it could point anywhere */
	if ((fd = open(p.s, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1) {
		rc = ps_diag_err(d, PS_STORE, "cannot open lock file %s: %s",
		    p.s, errno == ELOOP ? "it is a symlink; remove it" :
		    strerror(errno));
		goto done;
	}
	while (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			rc = ps_diag_err(d, PS_STORE, "cannot lock %s: %s",
			    p.s, strerror(errno));
			close(fd);
			goto done;
		}
		if (waited >= limit) {
			rc = ps_diag_err(d, PS_STORE, "store is busy: another "
			    "command held its lock for %ld s; try again later",
			    limit / 1000);
			close(fd);
			goto done;
		}
		nanosleep(&nap, NULL);
		waited += 10;
	}
	s->lock_fd = fd;
done:
	ps_buf_release(&p);
	return rc;
}

/* Whether .git/name is there (no, out of memory: the caller's next
   allocation fails too, rather than waiting). */
static int
git_file_there(const struct ps_store *s, const char *name)
{
	struct ps_buf p = PS_BUF_INIT;
	int there;

	ps_repo_gitpath(s, &p, name);
	there = p.s != NULL && access(p.s, F_OK) == 0;
	ps_buf_release(&p);
	return there;
}

static int
git_command_there(const struct ps_store *s, const char *unused)
{
	(void)unused;
	return ps_repo_git_running(s);
}

/* Wait while busy(s, arg) holds, bounded like the lock: 0 once it does
   not, -1 when it still does at the end. */
static int
wait_while(const struct ps_store *s, int (*busy)(const struct ps_store *,
    const char *), const char *arg)
{
	struct ps_diags scratch = PS_DIAGS_INIT;
	struct timespec nap = { 0, 10 * 1000 * 1000 };
	long waited = 0, limit = lock_timeout(&scratch);

	ps_diags_release(&scratch);	/* a bad one was refused at the lock */
	while (busy(s, arg)) {
		if (waited >= limit)
			return -1;
		nanosleep(&nap, NULL);
		waited += 10;
	}
	return 0;
}

int
ps_repo_git_lock_gone(const struct ps_store *s, const char *name)
{
	return wait_while(s, git_file_there, name);
}

int
ps_repo_git_done(const struct ps_store *s)
{
	return wait_while(s, git_command_there, NULL);
}

/*
 * A git lock file (index.lock, a ref's .lock) is held by a git command
 * run by hand: wait for it to go, bounded like ps.lock. One left by a
 * killed git command never goes, so the message names it and says what
 * to do.
 */
int
ps_repo_wait_git_lock(struct ps_store *s, const char *name,
    struct ps_diags *d)
{
	struct ps_buf p = PS_BUF_INIT;
	int rc = 0;

	if (lock_timeout(d) == -1)
		return PS_USAGE;
	ps_repo_gitpath(s, &p, name);
	if (p.s == NULL)
		rc = ps_diag_nomem(d);
	else if (ps_repo_git_lock_gone(s, name) == -1)
		rc = ps_diag_err(d, PS_STORE, "%s exists: a git command is "
		    "running, or one was killed; if none is running, remove "
		    "that file and run again", p.s);
	ps_buf_release(&p);
	return rc;
}

void
ps_repo_unlock(struct ps_store *s)
{
	if (s && s->lock_fd != -1) {
		close(s->lock_fd);
		s->lock_fd = -1;
	}
}

/*
 * Flush the store's file system: every file and folder written so far
 * (syncfs). A commit's objects and journal, its branch, and its work-tree
 * files are each made durable this way at once, where a fsync of each
 * file and of each folder it was added to took some twenty flushes of
 * the disk for one record.
 */
int
ps_repo_sync(struct ps_store *s, struct ps_diags *d)
{
	int fd, rc = 0;

	if ((fd = open(s->root, O_RDONLY | O_CLOEXEC)) == -1 ||
	    syncfs(fd) == -1)
		rc = ps_diag_err(d, PS_STORE, "cannot flush the store to disk: "
		    "%s", strerror(errno));
	if (fd != -1)
		close(fd);
	return rc;
}

int
ps_repo_put_cache(struct ps_store *s, const char *name, const void *data,
    size_t len)
{
	struct iovec v = { (void *)(uintptr_t)data, len };

	return ps_repo_put_cachev(s, name, &v, 1);
}

int
ps_repo_put_cachev(struct ps_store *s, const char *name, struct iovec *v,
    int nv)
{
	struct ps_buf tmp = PS_BUF_INIT, p = PS_BUF_INIT;
	sigset_t mask;
	int rc = -1;

	ps_signals_hold(&mask);	/* no temp file left by a Control-C */
	ps_repo_gitpath(s, &tmp, "ps-tmp");
	if (tmp.s && (mkdir(tmp.s, 0700) == 0 || errno == EEXIST)) {
		ps_repo_gitpath(s, &tmp, "ps-tmp/cache.XXXXXX");
		ps_repo_gitpath(s, &p, name);
		if (tmp.s && p.s && ps_file_write_tmpv(tmp.s, v, nv, 0) == 0) {
			if ((rc = rename(tmp.s, p.s)) == -1)
				unlink(tmp.s);
		}
	}
	ps_signals_release(&mask);
	ps_buf_release(&tmp);
	ps_buf_release(&p);
	return rc;
}

int
ps_repo_git_running(const struct ps_store *s)
{
	char link[300], path[PATH_MAX];
	const char *base;
	struct dirent *e;
	size_t rl = strlen(s->root);
	ssize_t n;
	int found = 0;
	DIR *dp;

	if ((dp = opendir("/proc")) == NULL)
		return 0;
	while (!found && (e = readdir(dp)) != NULL) {
		if (e->d_name[0] < '1' || e->d_name[0] > '9' ||
		    strtol(e->d_name, NULL, 10) == getpid())
			continue;
		snprintf(link, sizeof(link), "/proc/%s/exe", e->d_name);
		if ((n = readlink(link, path, sizeof(path) - 1)) <= 0)
			continue;	/* another user's, or gone */
		path[n] = '\0';
		base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		if (strcmp(base, "git") != 0 && strncmp(base, "git-", 4) != 0)
			continue;
		snprintf(link, sizeof(link), "/proc/%s/cwd", e->d_name);
		if ((n = readlink(link, path, sizeof(path) - 1)) <= 0)
			continue;
		path[n] = '\0';
		found = strncmp(path, s->root, rl) == 0 &&
		    (path[rl] == '\0' || path[rl] == '/');
	}
	closedir(dp);
	return found;
}

int
ps_repo_in_git_hook(void)
{
	const char *e = getenv("GIT_INDEX_FILE");

	return e != NULL && *e != '\0';
}
