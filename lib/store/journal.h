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
 * In a large store the index is left to a child forked as the store
 * closes (ps_journal_index_later, ps_journal_index_child), its journal
 * renamed .git/ps-index-journal.
 *
 * Errors: 0, or the status of the diagnostics added.
 */
#ifndef PS_JOURNAL_H
#define PS_JOURNAL_H

#include <stddef.h>

#include <git2.h>

#include "util/diag.h"
#include "store/repo.h"
#include "store/worktree.h"

/* Write and sync the journal of a write that moves ref from old (NULL:
   an unborn branch) to new with n changes. */
int	 ps_journal_write(struct ps_store *, const char *ref,
	    const git_oid *old, const git_oid *new,
	    const struct ps_change *, size_t n, struct ps_diags *);
/* Drop the journal of a write that is done (under either name). */
void	 ps_journal_drop(struct ps_store *);
/* Finish a write a crash interrupted, under the store's lock
   (ps_store_open() calls it when there is a journal). */
int	 ps_journal_recover(struct ps_store *, struct ps_diags *);
/* Leave the index to a child when it is large: 1 when it is left (the
   journal renamed), 0 to bring it up now. */
int	 ps_journal_index_later(struct ps_store *);
/* Fork that child (ps_store_close does), once the repository is freed. */
void	 ps_journal_index_child(struct ps_store *);

#endif
