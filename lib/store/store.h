/*
 * store: the git work tree that holds a programme's records.
 *
 * Opening finds the store (-C DIR, else $PS_STORE, else the nearest
 * directory upward holding program.yaml in a git work tree), refuses one
 * owned by another user or writable by others, loads the schemas and the
 * validated program.yaml, and finishes a write that a crash interrupted.
 *
 * Reading: records come from the work tree (ps_store_get/_each), or from
 * any past commit or date (ps_store_each_at), checked against their
 * schema; a bad record is reported, never passed on.
 *
 * Writing goes through a transaction, git's lockfile discipline and
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
 * Ownership: the store owns its schemas and program; records handed to
 * callbacks are borrowed for the call. Errors: 0, or the status of the
 * diagnostics added (PS_REFUSED, PS_USAGE, PS_STORE).
 */
#ifndef PS_STORE_H
#define PS_STORE_H

#include <git2.h>

#include "util/buf.h"
#include "util/diag.h"
#include "util/id.h"
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
	int			 index_child;	/* see ps_store_index_child */
	int			 prescan;	/* see ps_store_prescan */
	char			 prescan_stamp[PS_INDEX_STAMP];
};

struct ps_txn;

struct ps_commit_info {
	const char	*tool;		/* "ps-apply": trailer Ps-Tool */
	const char	*subject;	/* first line; no personal data */
	const char	*author;	/* "Name <email>", or NULL */
	int		 dry_run;
};

/* A callback over records; return non-zero to stop with that status. */
typedef int (*ps_store_fn)(void *arg, const char *relpath,
    struct ps_node *rec, struct ps_diags *);

/* Find the store's root directory (see above). */
int	 ps_store_find(struct ps_buf *root, const char *dir,
	    struct ps_diags *);
int	 ps_store_open(struct ps_store **, const char *dir, struct ps_diags *);
void	 ps_store_close(struct ps_store *);
/* Scan gitdir/index for conflicts ahead (ps_store_open does). */
void	 ps_store_prescan(struct ps_store *, const char *gitdir);
/* Leave the index of a large store to a child (ps_store_close does). */
void	 ps_store_index_child(struct ps_store *);

/*
 * libgit2 set-up shared by every tool (its own fsync of each file off:
 * a write syncs the file system at each step instead); call once. A failed
 * allocation inside libgit2 then ends the process with a message (exit
 * status 3; 0, the write being saved, once ps_git_after_commit(1) said
 * the branch has moved): libgit2's own recovery from one is not safe.
 * ps_git_after_commit(-1) keeps it 3 for good (ps-init: a store is not
 * saved until it is moved into place).
 */
int	 ps_git_init(struct ps_diags *);
/* Wait for ps_git_init() (it runs in a thread): before any libgit2 call. */
int	 ps_git_ready(struct ps_diags *);
void	 ps_git_after_commit(int);
/* Convert libgit2's last error into a diagnostic. */
int	 ps_git_error(struct ps_diags *, const char *what);

int	 ps_store_lock(struct ps_store *, struct ps_diags *);
void	 ps_store_unlock(struct ps_store *);
/* Wait (bounded like the lock) until git's lock file .git/name is gone. */
int	 ps_store_wait_git_lock(struct ps_store *, const char *name,
	    struct ps_diags *);

/* Read and check one record file (path relative to the root). */
int	 ps_store_load(struct ps_store *, const char *relpath,
	    struct ps_node **out, struct ps_diags *);
/* Read a record by ID. */
int	 ps_store_get(struct ps_store *, const char *id, struct ps_node **out,
	    struct ps_diags *);
/* Is relpath taken, in HEAD or in the work tree? */
int	 ps_store_exists(struct ps_store *, const char *relpath);
/*
 * Every record of a kind in the work tree, in path order. A file that is
 * not a good record is reported in the diagnostics and skipped, or, with
 * PS_EACH_BAD, also passed to fn with rec NULL (ps-check still counts its
 * ID, taken from the file name, as present).
 */
#define PS_EACH_BAD	1
/* With PS_EACH_READ, the records are only read, never written back:
   they carry no origin (see node.h), which saves hashing each file. */
#define PS_EACH_READ	2
int	 ps_store_each(struct ps_store *, const char *kind, int flags,
	    ps_store_fn, void *, struct ps_diags *);
/* The contacts of days from..to (days since 1970, the partition's date):
   only those folders are read, however large the store. */
int	 ps_store_each_day(struct ps_store *, long from, long to,
	    ps_store_fn, void *, struct ps_diags *);
/* Every record of a kind as of rev (a commit, or a date YYYY-MM-DD: the
   last commit before the end of that day in the programme's zone). */
int	 ps_store_each_at(struct ps_store *, const char *rev,
	    const char *kind, ps_store_fn, void *, struct ps_diags *);
/* Every record under dir ("participants", "contacts/2026/11/22") in a
   commit: only that folder's trees and blobs are read. */
int	 ps_store_each_in(struct ps_store *, const git_oid *commit,
	    const char *dir, ps_store_fn, void *, struct ps_diags *);
/* The same, skipping unparsed the files that do not contain needle (a
   cheap filter: "type: feedback"). */
int	 ps_store_each_if(struct ps_store *, const git_oid *commit,
	    const char *dir, const char *needle, ps_store_fn, void *,
	    struct ps_diags *);
/* A callback over the record files of a folder: path and blob id. */
typedef int (*ps_store_blob_fn)(void *arg, const char *relpath,
    const git_oid *blob, struct ps_diags *);
/* Every record file under dir in a commit, unread: for a caller that may
   know a blob already (its content never changes under its id). */
int	 ps_store_each_blob(struct ps_store *, const git_oid *commit,
	    const char *dir, ps_store_blob_fn, void *, struct ps_diags *);
/* Read and check the record in a blob, as ps_store_each_in() does: *out
   is the record (the caller frees it), or NULL for a file that is not a
   good record (reported in the diagnostics). */
int	 ps_store_read_blob(struct ps_store *, const git_oid *blob,
	    const char *relpath, struct ps_node **out, struct ps_diags *);
/* How many entries a folder of a commit holds, read from its tree alone
   (0 when there is no such folder; -1 on error). */
long	 ps_store_count_in(struct ps_store *, const git_oid *commit,
	    const char *dir, struct ps_diags *);
/* The commit rev names (see above). */
int	 ps_store_resolve(struct ps_store *, const char *rev, git_oid *,
	    struct ps_diags *);

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
/* The author of a commit, as ps_txn_commit() takes it: given, else
   $PS_AUTHOR, else the store's git identity (see ps_commit_info); with
   dry_run and none of them, *sig is NULL. The caller frees *sig. */
int	 ps_store_author(git_signature **sig, struct ps_store *,
	    const char *given, int dry_run, struct ps_diags *);
/* Call fn for each staged change: its path and blob (NULL: deleted),
   until fn returns non-zero, which is returned. */
int	 ps_txn_each_change(const struct ps_txn *, int (*fn)(void *arg,
	    const char *relpath, const git_oid *blob), void *arg);
/* The new commit, after ps_txn_commit() (not with dry_run). */
const git_oid *ps_txn_oid(const struct ps_txn *);
void	 ps_txn_free(struct ps_txn *);

/* Finish a write a crash interrupted (ps_store_open() calls it). */
int	 ps_store_recover(struct ps_store *, struct ps_diags *);
/* "<gitdir>/name" into b. */
void	 ps_store_gitpath(const struct ps_store *, struct ps_buf *,
	    const char *name);
struct iovec;
/* Write .git/NAME whole, a tool's cache checked before each use: a temp
   file in .git/ps-tmp renamed over it, signals held, not synced. 0, or
   -1 when it could not be written (the cache is then as it was). */
int	 ps_store_put_cache(struct ps_store *, const char *name,
	    const void *data, size_t len);
/* The same from the nv pieces of v (which it uses up). */
int	 ps_store_put_cachev(struct ps_store *, const char *name,
	    struct iovec *v, int nv);
/* The tree of HEAD's commit; -1 when the branch has no commit yet. */
int	 ps_store_head_tree(struct ps_store *, git_tree **);

/* Create a store's repository at root (ps-init); the caller then commits
   program.yaml through a transaction. */
int	 ps_store_create(struct ps_store **, const char *root,
	    struct ps_diags *);

#endif
