/*
 * journal: what makes a crash at any point of a write leave the store as
 * before or as after. A write's journal (.git/ps-journal) names the
 * branch, its commit before and after, and every file changed; it is
 * written and renamed into place once the commit object exists, and
 * synced with the objects, before the branch moves. Once the branch has
 * moved, the work tree and index are brought up to it from the journal —
 * by the write, or by the next command that opens the store
 * (ps_journal_recover), which also clears the temp files and git lock
 * files a killed write left.
 *
 * A journal named .git/ps-index-journal, which earlier versions left
 * to a child that brought a large index up after the command, is
 * recovered as the other is.
 *
 * An erasure (ops/erase.h) rewrites every ref and then prunes: before
 * its first ref moves it writes .git/ps-erase, naming the person, and
 * drops it when the prune is done. While it is there, no other write
 * begins (ps_txn_begin refuses, saying to run the erasure again), and
 * ps-check reports it; the erasure run again finishes it.
 *
 * Errors: 0, or the status of the diagnostics added.
 */
#ifndef PS_JOURNAL_H
#define PS_JOURNAL_H

#include <stddef.h>

#include <git2.h>

#include "util/diag.h"
#include "util/id.h"
#include "store/repo.h"
#include "store/worktree.h"

/* Write and sync the journal of a write that moves ref from old (NULL:
   an unborn branch) to new with n changes. */
int	 ps_journal_write(struct ps_store *, const char *ref,
	    const git_oid *old, const git_oid *new,
	    const struct ps_change *, size_t n, struct ps_diags *);
/* Bring the work tree, then the index, up to a journal's changes,
   noting in the journal between the two that the work tree is. */
int	 ps_journal_apply(struct ps_store *, struct ps_change *, size_t n,
	    struct ps_diags *);
/* Drop the journal of a write that is done (under either name). */
void	 ps_journal_drop(struct ps_store *);
/* Finish a write a crash interrupted, under the store's lock
   (ps_store_open() calls it when there is a journal). */
int	 ps_journal_recover(struct ps_store *, struct ps_diags *);
/* Note, synced, that the erasure of id has begun to move refs. */
int	 ps_journal_erase_begin(struct ps_store *, const char *id,
	    struct ps_diags *);
/* The erasure is done: its note removed, synced. */
int	 ps_journal_erase_end(struct ps_store *, struct ps_diags *);
/* Is an erasure not finished? 1 and its person's ID in id, or 0. */
int	 ps_journal_erase_pending(struct ps_store *,
	    char id[PS_ID_LEN + 1]);
/* 0, or PS_STORE saying which erasure is not finished and what to run. */
int	 ps_journal_erase_check(struct ps_store *, struct ps_diags *);
/* The git lock files a killed erasure left (refs, packed-refs, the
   index, HEAD) removed, once no git command runs in the store
   (ps_repo_git_done): with the store's lock held, they are stale. */
void	 ps_journal_drop_git_locks(struct ps_store *);

#endif
