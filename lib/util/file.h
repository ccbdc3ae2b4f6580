/*
 * file: writing a file whole under a temporary name, and syncing a file
 * or folder by its path; the pieces every atomic write of the toolkit is
 * made of (the caller renames the temp file into place). And the check
 * that a path inside a folder goes through real folders only.
 *
 * Calls return 0, or -1 with errno set; nothing is left behind on
 * failure. Nothing here allocates.
 * Paths are the caller's; a template path is filled in place.
 */
#ifndef PS_FILE_H
#define PS_FILE_H

#include <stddef.h>

/*
 * Write data to a new file made from the mkstemp() template path (which
 * gets its name), fsynced with dosync; -1 with errno, the file removed.
 */
int	 ps_file_write_tmp(char *path, const void *data, size_t len,
	    int dosync);
/* The same for the nv pieces of v (which it uses up). */
struct iovec;
int	 ps_file_write_tmpv(char *path, struct iovec *v, int nv, int dosync);
/* fsync a file or folder by its path; 0 or -1. */
int	 ps_file_sync(const char *path);
/*
 * Each of the first n bytes of rel's components ("contacts/2026/11"),
 * under the folder root, is a real folder or is not there (a write makes
 * it): 0. A symlink, or anything else but a folder: -1, errno ELOOP or
 * ENOTDIR, and *bad the length of rel's prefix that names it. Another
 * error of lstat(): -1 with its errno. rel is not changed.
 */
int	 ps_file_real_dirs(const char *root, const char *rel, size_t n,
	    size_t *bad);

#endif
