/*
 * splitindex: git's index kept split, as git update-index --split-index
 * keeps it (git-update-index(1), gitformat-index(5)), so that a write
 * into a large store costs what it changes, not what the store holds.
 *
 * A split index is two files. .git/sharedindex.<SHA-1> holds every
 * entry as they were once; it never changes (its name is its
 * checksum). .git/index holds only what differs from it: entries that
 * replace shared ones (by position), new entries, a bitmap of shared
 * entries deleted, and the tree cache. Plain git reads and writes it
 * with no setting at all, and folds it back into one file when the
 * differences grow past a fifth of the shared part; so do the tools.
 *
 * libgit2 cannot read a split index ("unsupported mandatory extension:
 * 'link'"): ps_splitindex_open() gives it the whole index, read from
 * the shared file by libgit2 and the differences applied in memory,
 * for the few readers that need every entry (the pre-commit hook's
 * check, the erasure's status). The writer, ps_splitindex_apply(),
 * never reads the shared part whole: a table of each shared entry's
 * place (.git/ps-sharedindex-toc, made once per shared file) finds a
 * changed path there by binary search.
 *
 * Errors: 0, or the status of the diagnostics added. Objects returned
 * are the caller's; the store and the changes are borrowed.
 */
#ifndef PS_SPLITINDEX_H
#define PS_SPLITINDEX_H

#include <stddef.h>

#include <git2.h>

#include "util/diag.h"
#include "store/repo.h"
#include "store/worktree.h"

/*
 * The index file at path (.git/index, or the one git names to a hook
 * in GIT_INDEX_FILE) whole, into *out: libgit2's own reading of it
 * when it is not split; else its shared part (in gitdir, or beside
 * path) read by libgit2, with the differences applied. Never written
 * back: it is for reading.
 */
int	 ps_splitindex_open(git_index **out, const char *path,
	    const char *gitdir, struct ps_diags *);
/*
 * Does .git/index have a merge stage anywhere, the shared part
 * included? 1 yes, 0 no, -1 when it is not a split index or cannot be
 * read (ask libgit2).
 */
int	 ps_splitindex_stages(struct ps_store *);
/*
 * Bring .git/index up to n changes written to the work tree, under
 * git's own lock (.git/index.lock): as a split index when it is one,
 * or when it is a single file over $PS_INDEX_SPLIT bytes (default 1
 * MiB, some 10,000 files), which is then made the shared part. 1 when
 * the index is, or should become, one file (the caller writes it with
 * libgit2), else 0 or the status of the diagnostics added.
 */
int	 ps_splitindex_apply(struct ps_store *, struct ps_change *, size_t n,
	    struct ps_diags *);
/* PS_STORE: git's index.lock (at lock) stayed past the wait, after the
   commit was made. */
int	 ps_splitindex_busy(struct ps_diags *, const char *lock);
/* The entry git's index holds for a change written to the work tree at
   root: a hand one's with blank stat data (git then reads the file). */
int	 ps_splitindex_entry(git_index_entry *, const char *root,
	    const struct ps_change *, struct ps_diags *);
/* n changes written to the work tree at root, into a libgit2 index that
   was on disk last written in second since (-1: none): first each entry
   that would hide a later change from git (racily clean) smudged. */
int	 ps_splitindex_changes(git_index *, const char *root,
	    const struct ps_change *, size_t n, int64_t since,
	    struct ps_diags *);

#endif
