/*
 * repo: a store's handle, as the store layer's modules share it
 * (struct ps_store), and what they all do with it: name a file in .git,
 * take the store's lock, wait for git's own lock files, flush the store
 * to disk, and write a tool's cache file in .git whole.
 *
 * The handle is made by ps_store_open() or ps_store_create() (store.h)
 * and owned by the caller, who closes it with ps_store_close(). Errors:
 * 0, or the status of the diagnostics added (PS_STORE).
 */
#ifndef PS_REPO_H
#define PS_REPO_H

#include <stddef.h>

#include <git2.h>

#include "util/buf.h"
#include "util/diag.h"
#include "model/node.h"
#include "model/schema.h"

#define PS_INDEX_STAMP	96	/* "inode size mtime\n" of .git/index */

struct ps_store {
	char			*root;		/* absolute work-tree path */
	git_repository		*repo;
	struct ps_schemas	*schemas;
	struct ps_node		*program;	/* validated program.yaml */
	int			 lock_fd;
	int			 root_fd;	/* the work tree (O_PATH) */
	int			 prescan;	/* see ps_gitindex_prescan */
	int			 erasing;	/* ps_erase's: an unfinished
						   erasure (journal.h) does not
						   stop its writes */
	char			 prescan_stamp[PS_INDEX_STAMP];
};

/* The store's git directory, ending in '/': the store's. */
const char *ps_repo_gitdir(const struct ps_store *);
/* "<gitdir>/name" into b. */
void	 ps_repo_gitpath(const struct ps_store *, struct ps_buf *,
	    const char *name);
/* Take the store's lock, .git/ps.lock (waiting up to $PS_LOCK_TIMEOUT
   seconds, default 30); held until ps_repo_unlock() or the close. */
int	 ps_repo_lock(struct ps_store *, struct ps_diags *);
void	 ps_repo_unlock(struct ps_store *);
/* Wait (bounded like the lock) until git's lock file .git/name is gone;
   else PS_STORE, naming it. */
int	 ps_repo_wait_git_lock(struct ps_store *, const char *name,
	    struct ps_diags *);
/* The same, quietly: 0 once it is gone, -1 if it is still there. */
int	 ps_repo_git_lock_gone(const struct ps_store *, const char *name);
/* Wait (bounded so) until no git command runs in the store
   (ps_repo_git_running): 0, or -1 if one still does. */
int	 ps_repo_git_done(const struct ps_store *);
/* Flush the store's file system to disk (syncfs). */
int	 ps_repo_sync(struct ps_store *, struct ps_diags *);
/*
 * Is a git command running in the store: a process of this user, git by
 * its executable, whose working folder is in the store's work tree (a
 * git commit running its hooks is one)? Its lock files are live, never
 * to be removed, even when closed (git commit closes index.lock before
 * its pre-commit hook). 1 or 0, from /proc; 0 where there is none.
 */
int	 ps_repo_git_running(const struct ps_store *);
/* Are we inside a git command, its hook (git sets GIT_INDEX_FILE)? */
int	 ps_repo_in_git_hook(void);
/* Write .git/NAME whole, a tool's cache checked before each use: a temp
   file in .git/ps-tmp renamed over it, signals held, not synced. 0, or
   -1 when it could not be written (the cache is then as it was). */
int	 ps_repo_put_cache(struct ps_store *, const char *name,
	    const void *data, size_t len);
/* The same from the nv pieces of v (which it uses up). */
struct iovec;
int	 ps_repo_put_cachev(struct ps_store *, const char *name,
	    struct iovec *v, int nv);

#endif
