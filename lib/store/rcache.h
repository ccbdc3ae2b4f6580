/*
 * rcache: what was worked out from a git blob, kept by the blob's id in a
 * file under .git/ps-cache/, so that a later command need not read and
 * parse the blob again. A blob's content never changes under its id, so
 * an entry can never be stale; what else an entry depends on (the format
 * of its bytes, the schemas a record was checked against) is the file's
 * tag, and a file of another tag is not read.
 *
 * Calling sequence:
 *	ps_rcache_open(&c, store, "report", tag, &d)
 *	p = ps_rcache_get(c, blob_id, &len)	NULL: not known
 *	ps_rcache_put(c, blob_id, bytes, len)	worked out now
 *	ps_rcache_save(c)			if anything was put
 *	ps_rcache_free(c)
 *
 * The file is mapped, not read: memory follows the entries a command
 * looks up, not the file's size. Saving writes the old entries and the
 * new into a temp file beside it (fsync) and renames it over the old
 * one, so that a reader sees one whole file or the other, and two
 * commands saving at once each leave a whole file (the last one's; what
 * the other learnt is worked out again next time). Past PS_RCACHE_MAX
 * entries, only those this command used are kept. A file that is missing,
 * torn, of another tag or not ours to read is an empty cache: the cache
 * only ever saves work, never changes a result. What goes in an entry is
 * the caller's business; it should hold nothing it would not print.
 *
 * Ownership: ps_rcache_get() returns bytes inside the cache, valid until
 * ps_rcache_free(). Errors: open fails only for want of memory (-1);
 * save returns -1 when the file could not be written (the caller may
 * ignore it: nothing but time is lost).
 */
#ifndef PS_RCACHE_H
#define PS_RCACHE_H

#include <stddef.h>

#include <git2.h>

#include "store/store.h"

#define PS_RCACHE_MAX	2000000	/* entries kept, at most */
#define PS_RCACHE_TAG	20	/* bytes */

struct ps_rcache;

int	 ps_rcache_open(struct ps_rcache **, struct ps_store *,
	    const char *name, const unsigned char tag[PS_RCACHE_TAG]);
const void *ps_rcache_get(struct ps_rcache *, const git_oid *, size_t *len);
int	 ps_rcache_put(struct ps_rcache *, const git_oid *, const void *,
	    size_t);
int	 ps_rcache_save(struct ps_rcache *);
void	 ps_rcache_free(struct ps_rcache *);

#endif
