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
 * Writing goes through a transaction (txn.h): the store layer's modules,
 * from the bottom up, are git (libgit2's start-up), repo (the handle,
 * its lock and paths), worktree and gitindex (bringing the work tree and
 * the index up to a commit), journal (recovery from a crash), this module
 * (opening and reading), author, pack and tree (what a commit writes), txn
 * (the write), rcache (caches by blob), oidmap, rewrite and prune (the
 * whole history written again, and what no ref reaches removed: ps_erase).
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
#include "store/git.h"
#include "store/repo.h"

/* A callback over records; return non-zero to stop with that status. */
typedef int (*ps_store_fn)(void *arg, const char *relpath,
    struct ps_node *rec, struct ps_diags *);

/* Find the store's root directory (see above). */
int	 ps_store_find(struct ps_buf *root, const char *dir,
	    struct ps_diags *);
int	 ps_store_open(struct ps_store **, const char *dir, struct ps_diags *);
void	 ps_store_close(struct ps_store *);

/* Read and check one record file (path relative to the root). */
int	 ps_store_load(struct ps_store *, const char *relpath,
	    struct ps_node **out, struct ps_diags *);
/* Read a record by ID. */
int	 ps_store_get(struct ps_store *, const char *id, struct ps_node **out,
	    struct ps_diags *);
/* The same, for an ID read from an input: one that is not well formed,
   or names no record, is refused at its place, and not repeated. A
   place with no file is a command line's: the ID is repeated, after the
   option that gave it (the place's path), if any. */
int	 ps_store_get_at(struct ps_store *, const char *id,
	    const struct ps_place *, struct ps_node **out, struct ps_diags *);
/* Is relpath taken, in HEAD or in the work tree? */
int	 ps_store_exists(struct ps_store *, const char *relpath);
/*
 * The folders of rel, its first n bytes, are real folders or not there:
 * 0. A record folder that is a symlink would be read from, and written
 * to, outside the store: PS_STORE, naming it (the diagnostic's file is
 * file, or none).
 */
int	 ps_store_real_dirs(struct ps_store *, const char *file,
	    const char *rel, size_t n, struct ps_diags *);
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

/* The tree of HEAD's commit; -1 when the branch has no commit yet. */
int	 ps_store_head_tree(struct ps_store *, git_tree **);

/* Create a store's repository at root (ps-init); the caller then commits
   program.yaml through a transaction. */
int	 ps_store_create(struct ps_store **, const char *root,
	    struct ps_diags *);

#endif
