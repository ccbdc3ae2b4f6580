/*
 * file: writing a file whole under a temporary name, and syncing a file
 * or folder by its path; the pieces every atomic write of the toolkit is
 * made of (the caller renames the temp file into place).
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

#endif
