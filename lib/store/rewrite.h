/*
 * rewrite: a store's whole history written again — every commit of every
 * ref (branches, tags, remote branches, notes), parents first — without
 * one file, and with each other blob as a function of the caller's makes
 * it; then packed, and the refs moved. ps_erase (ops/erase.h) takes a
 * person out of the history with it.
 *
 * What it keeps: an object that does not change keeps its ID, so a tree
 * none of whose entries changed, and a commit whose tree and parents did
 * not change, are the same objects as before; a commit written again has
 * the author, committer, dates, encoding and message it had; a tree left
 * empty goes from its parent (a root tree left empty is the empty tree);
 * an annotated tag is made again on the rewritten commit, with its name,
 * tagger and message. Results are kept by original object ID (blobs,
 * trees, commits: oidmap.h), so each object is looked at once however
 * many commits share it: the blob function is called once a blob, with
 * the path of the first place it is met.
 *
 * Calling sequence (rw zeroed first, e.g. by memset):
 *
 *	ps_rewrite_open(&rw, s, &d)
 *		a handle of its own on the store's repository, its new
 *		objects kept in memory (libgit2's mempack), so that nothing
 *		reaches the disk before the whole rewrite is done
 *	ps_rewrite_refs(&rw, branch)
 *		every direct ref into rw.refs, peeled to its commit, ->head
 *		for branch; it stops at the first ref that cannot be
 *		rewritten, and says why in rw.refused (0: none), for the
 *		caller to refuse in its own words
 *	ps_rewrite_walk(&rw, fn, arg)
 *		every commit the refs reach, parents first, into rw.order;
 *		fn(arg, tree) on the tree of each, which may look through
 *		the history before the caller decides what to change
 *	ps_rewrite_run(&rw, dir, file, blob, arg)
 *		each commit written again, in memory: dir/file (dir at the
 *		root) dropped from every tree; every other blob given to
 *		blob(arg, oid, path, &out, &state), *out and *state preset
 *		to the blob and PS_REWRITE_KEPT, which may write a new blob
 *		into rw.repo (*out, PS_REWRITE_CHANGED) or drop the file
 *		(PS_REWRITE_DROPPED). Then each ref's new target, in ->new
 *		(->old when its commit did not change)
 *	(the caller may add commits of its own to rw.repo)
 *	ps_rewrite_pack(&rw, top, &name, &n)
 *		one pack of every object the refs' new targets and top (a
 *		commit, or NULL) reach, written next to the others and
 *		fsynced, its name ("pack-<hex>") in name, its objects
 *		counted in n; the memory freed; each ref's new target
 *		checked to be in it (the caller checks top)
 *	(the caller moves the branch: ps_txn_replace(), txn.h)
 *	ps_rewrite_move_refs(&rw, log)
 *		each other ref that changed moved, if it has not moved
 *		meanwhile (compare and swap), log the reflog message; one
 *		that has stops it, its name in rw.moved (NULL: none), for
 *		the caller to say so
 *	(the caller prunes the rest: ps_prune(), prune.h)
 *	ps_rewrite_release(&rw)
 *		at any point
 *
 * Ownership: rw owns its repository handle, its refs and its tables; the
 * store, branch, dir, file and arg are borrowed, the store until the
 * release. Errors: 0, or the status of the diagnostics added (PS_STORE
 * for git and I/O failures, out of memory; a blob function's own);
 * nothing is written to the store's refs before ps_rewrite_move_refs().
 */
#ifndef PS_REWRITE_H
#define PS_REWRITE_H

#include <stddef.h>

#include <git2.h>

#include "util/buf.h"
#include "util/diag.h"
#include "store/oidmap.h"
#include "store/repo.h"

/* What became of an object (the state in the tables). */
enum ps_rewrite_state {
	PS_REWRITE_KEPT = 1,
	PS_REWRITE_CHANGED,
	PS_REWRITE_DROPPED
};

/* Why ps_rewrite_refs() stopped: a ref it cannot rewrite. */
enum ps_rewrite_refusal {
	PS_REWRITE_STASH = 1,	/* refs/stash (not in rw.refs) */
	PS_REWRITE_BAD_TAG,	/* a tag of no commit, or with no tagger */
	PS_REWRITE_NOT_COMMIT	/* a ref to a tree or a blob */
};

struct ps_rewrite_ref {
	char	*name;
	git_oid	 old;		/* what it points to */
	git_oid	 commit;	/* that, peeled to a commit */
	git_oid	 new;
	int	 tag;		/* old is an annotated tag */
	int	 head;		/* the branch HEAD names */
};

struct ps_rewrite {
	struct ps_store		*s;
	struct ps_diags		*d;
	git_repository		*repo;		/* ours, with the mempack */
	git_odb_backend		*mem;
	struct ps_rewrite_ref	*refs;
	size_t			 nrefs, caprefs;
	int			 refused;	/* 0, or why not (above) */
	git_oid			*order;		/* parents first */
	size_t			 ncommits, capcommits;
	/* by original ID: the new ID, and what became of it */
	struct ps_oidmap	 blobs, trees, droptrees, commits;
	size_t			 rewritten;	/* commits */
	const char		*moved;		/* a ref moved meanwhile */
	/* ps_rewrite_run()'s */
	const char		*dir, *file;
	int			(*blob)(void *arg, const git_oid *oid,
				    const char *path, git_oid *out,
				    int *state);
	void			*arg;
};

/* Our own handle on the store's repository, writing to memory. */
int	 ps_rewrite_open(struct ps_rewrite *, struct ps_store *,
	    struct ps_diags *);
/* Every direct ref, peeled, into rw->refs; a ref not to rewrite stops
   the list, in rw->refused. */
int	 ps_rewrite_refs(struct ps_rewrite *, const char *branch);
/* Every commit, parents first, into rw->order; fn(arg, tree) on each. */
int	 ps_rewrite_walk(struct ps_rewrite *,
	    int (*fn)(void *arg, const git_tree *tree), void *arg);
/* Every commit written again without dir/file, blob() deciding what
   becomes of every other blob; then the refs' new targets. */
int	 ps_rewrite_run(struct ps_rewrite *, const char *dir,
	    const char *file, int (*blob)(void *arg, const git_oid *oid,
	    const char *path, git_oid *out, int *state), void *arg);
/* One pack of what the new refs and top (or NULL) reach; its name and
   its count of objects. */
int	 ps_rewrite_pack(struct ps_rewrite *, const git_oid *top,
	    struct ps_buf *name, size_t *count);
/* Each ref but the branch moved, compare and swap; see rw->moved. */
int	 ps_rewrite_move_refs(struct ps_rewrite *, const char *log);
void	 ps_rewrite_release(struct ps_rewrite *);

#endif
