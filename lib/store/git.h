/*
 * git: libgit2's start-up and allocator, shared by every tool, and its
 * errors turned into diagnostics (here and nowhere else: libgit2 returns
 * 0 or negative, and git_error_last() may be NULL).
 *
 * ps_git_init() starts libgit2 (its own fsync of each file off: a write
 * syncs the file system at each step instead); call once. A failed
 * allocation inside libgit2 then ends the process with a message (exit
 * status 3; 0, the write being saved, once ps_git_after_commit(1) said
 * the branch has moved): libgit2's own recovery from one is not safe.
 * ps_git_after_commit(-1) keeps it 3 for good (ps-init: a store is not
 * saved until it is moved into place).
 */
#ifndef PS_GIT_H
#define PS_GIT_H

#include <git2.h>

#include "util/diag.h"

int	 ps_git_init(struct ps_diags *);
/* Wait for ps_git_init() (it runs in a thread): before any libgit2 call. */
int	 ps_git_ready(struct ps_diags *);
void	 ps_git_after_commit(int);
/* Write an object, or a commit (as git_commit_create with no ref),
   tried again when a git gc beside removed its folder meanwhile. */
int	 ps_git_odb_write(git_repository *, git_oid *, const void *data,
	    size_t len, git_object_t);
int	 ps_git_commit_create(git_oid *, git_repository *,
	    const git_signature *author, const git_signature *committer,
	    const char *encoding, const char *message, const git_tree *,
	    size_t n, const git_commit *parents[]);
/* Convert libgit2's last error into a diagnostic. */
int	 ps_git_error(struct ps_diags *, const char *what);

#endif
