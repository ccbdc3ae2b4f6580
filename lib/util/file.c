/* file: see file.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util/file.h"

int
ps_file_sync(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd == -1)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/*
 * Write a new temp file, path a mkstemp() template (filled in): all of
 * data, fsync with dosync, close. On failure the file is removed and
 * errno says why (ENOSPC for a write that stopped short). A failed fsync
 * is never retried: the kernel may have dropped the pages it could not
 * write and a second fsync would then succeed, so the caller gives up and
 * nothing is reported as saved.
 */
int
ps_file_write_tmp(char *path, const void *data, size_t len, int dosync)
{
	struct iovec v = { (void *)(uintptr_t)data, len };

	return ps_file_write_tmpv(path, &v, 1, dosync);
}

int
ps_file_write_tmpv(char *path, struct iovec *v, int nv, int dosync)
{
	ssize_t n;
	int fd, e;

	if ((fd = mkstemp(path)) == -1)
		return -1;
	while (nv > 0) {
		if (v->iov_len == 0) {
			v++, nv--;
			continue;
		}
		if ((n = writev(fd, v, nv > IOV_MAX ? IOV_MAX : nv)) == -1 &&
		    errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = ENOSPC;
			goto fail;
		}
		/* past what was written (v is the caller's: used up) */
		while (nv > 0 && (size_t)n >= v->iov_len) {
			n -= (ssize_t)v->iov_len;
			v++, nv--;
		}
		if (nv > 0) {
			v->iov_base = (char *)v->iov_base + n;
			v->iov_len -= (size_t)n;
		}
	}
	if (dosync && fsync(fd) == -1)
		goto fail;
	if (close(fd) == 0)
		return 0;
	fd = -1;	/* released even when close fails */
fail:
	e = errno;
	if (fd >= 0)
		close(fd);
	unlink(path);
	errno = e;
	return -1;
}

int
ps_file_real_dirs(const char *root, const char *rel, size_t n, size_t *bad)
{
	char path[4096];
	struct stat st;
	size_t r = strlen(root), i;

	if (r + 1 + n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(path, root, r);
	path[r] = '/';
	for (i = 0; i <= n; i++) {
		if (i < n && rel[i] != '/') {
			path[r + 1 + i] = rel[i];
			continue;
		}
		if (i == 0 || rel[i - 1] == '/')
			continue;
		path[r + 1 + i] = '\0';
		if (lstat(path, &st) == -1) {
			if (errno == ENOENT)
				return 0;	/* nor anything below */
			*bad = i;
			return -1;
		}
		if (!S_ISDIR(st.st_mode)) {
			errno = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
			*bad = i;
			return -1;
		}
		path[r + 1 + i] = '/';
	}
	return 0;
}
