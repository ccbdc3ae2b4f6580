/*
 * worktree: the store's work-tree files brought up to a set of changes —
 * a transaction's, or a journal's after a crash. Each file is written to
 * a temp file under .git/ps-tmp and renamed into place, never written
 * where git or a person would see it half done; the caller's one
 * syncfs() then puts all of them on disk.
 *
 * A change is a path relative to the work tree, a blob (its text in data,
 * or NULL: read from the repository by its oid) or a deletion. The array
 * and what it points to belong to the caller; ps_worktree_free() frees an
 * array made with malloc (a journal's).
 * Errors: 0, or the status of the diagnostics added (PS_STORE, naming
 * the file that could not be written). No temp file is left by one
 * before any file is put in place; after, the texts not placed stay in
 * theirs, for the journal's recovery (ps_worktree_staged), which then
 * removes them.
 */
#ifndef PS_WORKTREE_H
#define PS_WORKTREE_H

#include <stddef.h>

#include <git2.h>

#include "util/diag.h"
#include "store/repo.h"

struct ps_change {
	char	*path;
	git_oid	 oid;
	int	 del;
	int	 isnew;
	char	*data;		/* the text staged; written at commit */
	size_t	 len;
	int	 hand;		/* the work-tree file is a person's (changed
				   since a crash): not written unless data
				   holds it merged; the index's stat data for
				   it left blank, so git sees it changed */
};

/*
 * Write the work-tree files of n changes (the text of those with none is
 * read from the repository into data; a hand one's only if it has data):
 * each text in a temp file first, then placing (if not NULL) called,
 * then each renamed into place or removed. Not synced: the caller syncs
 * the store (ps_repo_sync).
 */
int	 ps_worktree_write(struct ps_store *, struct ps_change *, size_t n,
	    void (*placing)(struct ps_store *), struct ps_diags *);
/* Which of n changes still have their temp file of a write that was
   stopped (have[i] 1), before the next write cleans them; 0 or -1. */
int	 ps_worktree_staged(struct ps_store *, size_t n, unsigned char *have);
/* Whether the tools may write a file at path (relative, plain names, not
   in .git, no hidden folder). */
int	 ps_worktree_safe_path(const char *path);
void	 ps_worktree_free(struct ps_change *, size_t n);

#endif
