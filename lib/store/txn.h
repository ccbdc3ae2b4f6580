/*
 * txn: one store write, all or nothing.
 *
 * A write goes through a transaction, git's lockfile discipline and
 * libgit2's compare-and-swap ref update:
 *
 *	ps_txn_begin()	take an flock on .git/ps.lock (bounded wait, then
 *			PS_STORE), wait (bounded) for git's own lock files
 *			to go, refuse unresolved merges, note the branch
 *			head
 *	ps_txn_put()	stage a record's canonical text; a file with changes
 *			not committed is refused, never clobbered, and so is
 *			a record read (ps_store_load) before the lock whose
 *			file another command changed since (PS_STORE)
 *	ps_txn_commit()	write blobs and only the trees along the changed
 *			paths, the commit, then a journal (.git/ps-journal);
 *			sync the file system (syncfs: all of them on disk
 *			at once); move the branch if it still points where
 *			it did; sync; the work-tree files (written under
 *			.git and renamed into place); sync; the index; drop
 *			the journal; sync. A crash before the branch moves
 *			leaves the store as before; after, the next open
 *			rolls forward.
 *	ps_txn_free()	release the lock (held on, in a large store, by
 *			the child that updates the index: ps_store_close)
 *
 * With dry_run, ps_txn_commit() checks everything and writes nothing.
 * A history rewrite (ps_erase) calls ps_txn_replace() instead of staging
 * and committing: the branch moves to a commit made elsewhere, through
 * the same journal, and the work tree follows.
 *
 * Ownership: the transaction borrows the store, which it locks from
 * ps_txn_begin() to ps_txn_free(); a record staged is copied. Errors: 0,
 * or the status of the diagnostics added (PS_REFUSED, PS_USAGE,
 * PS_STORE).
 */
#ifndef PS_TXN_H
#define PS_TXN_H

#include <stddef.h>

#include <git2.h>

#include "util/diag.h"
#include "util/id.h"
#include "model/node.h"
#include "store/store.h"

struct ps_txn;

struct ps_commit_info {
	const char	*tool;		/* "ps-apply": trailer Ps-Tool */
	const char	*subject;	/* first line; no personal data */
	const char	*author;	/* "Name <email>", or NULL */
	int		 dry_run;
};

int	 ps_txn_begin(struct ps_txn **, struct ps_store *, struct ps_diags *);
/* Stage a checked record at its store path. */
int	 ps_txn_put(struct ps_txn *, const struct ps_node *rec,
	    struct ps_diags *);
/* Stage raw bytes at a path (program.yaml). */
int	 ps_txn_put_file(struct ps_txn *, const char *relpath, const char *,
	    size_t, struct ps_diags *);
/* Is relpath taken: staged, in the head commit, or in the work tree?
   (Cheaper than ps_store_exists() in a loop: the head tree is at hand.) */
int	 ps_txn_taken(struct ps_txn *, const char *relpath);
/* A new random ID of a kind, free in its folder (dir, else the kind's)
   in the store and this transaction, and not an erased one (a collision
   is retried). Contacts give their day's folder: only it is looked at. */
int	 ps_txn_new_id(struct ps_txn *, const char *kind, const char *dir,
	    char id[PS_ID_LEN + 1], struct ps_diags *);
/* Is relpath staged in this transaction? */
int	 ps_txn_staged(const struct ps_txn *, const char *relpath);
int	 ps_txn_commit(struct ps_txn *, const struct ps_commit_info *,
	    struct ps_diags *);
/*
 * Move the branch from the head ps_txn_begin() noted to commit, made
 * elsewhere (a rewrite of history), with nothing staged: the files that
 * differ between the two trees are journaled and written to the work tree
 * and index as by ps_txn_commit(). logmsg goes to the reflog.
 */
int	 ps_txn_replace(struct ps_txn *, const git_oid *commit,
	    const char *logmsg, struct ps_diags *);
/* Call fn for each staged change: its path and blob (NULL: deleted),
   until fn returns non-zero, which is returned. */
int	 ps_txn_each_change(const struct ps_txn *, int (*fn)(void *arg,
	    const char *relpath, const git_oid *blob), void *arg);
/* The new commit, after ps_txn_commit() (not with dry_run). */
const git_oid *ps_txn_oid(const struct ps_txn *);
void	 ps_txn_free(struct ps_txn *);

#endif
