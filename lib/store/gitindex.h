/*
 * gitindex: git's index (.git/index), as the tools keep it: brought up
 * to the files a write changed, checked for merge conflicts before one,
 * and read no more than it must — a stamp (.git/ps-index-stamp: its
 * inode, size and mtime when a tool last wrote it) says when no git
 * command has touched it since, and a conflict is looked for in the
 * file itself, entry by entry, rather than through libgit2, which would
 * take each of a million entries apart.
 *
 * Errors: 0, or the status of the diagnostics added.
 * The store and the changes are borrowed.
 */
#ifndef PS_GITINDEX_H
#define PS_GITINDEX_H

#include <stddef.h>

#include "util/diag.h"
#include "store/repo.h"
#include "store/worktree.h"

/* Scan gitdir/index for conflicts ahead, while libgit2 starts
   (ps_store_open does). */
void	 ps_gitindex_prescan(struct ps_store *, const char *gitdir);
/* Refuse a merge, rebase or cherry-pick in progress, and an index with
   unresolved conflicts, each by path (ps_txn_begin does). */
int	 ps_gitindex_check(struct ps_store *, struct ps_diags *);
/* Bring the index up to n changes written to the work tree (none: just
   written again). An erasure's (s->erasing) drops the resolve-undo
   entries of past merges, and a split index's shared part. */
int	 ps_gitindex_apply(struct ps_store *, struct ps_change *, size_t n,
	    struct ps_diags *);

#endif
