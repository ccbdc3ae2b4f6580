/*
 * tree: a commit's tree built from its parent's and a write's changes:
 * only the trees along the changed paths are read and written. A folder
 * whose files alone change (a record folder of 15,000 entries) is
 * spliced, its old entries and the changes merged in order, rather than
 * run through a tree builder; tree IDs are hashed with OpenSSL's SHA-1.
 *
 * The repository, the base tree and the changes are borrowed; the trees
 * written belong to the repository (or to the pack being made).
 */
#ifndef PS_TREE_H
#define PS_TREE_H

#include <stddef.h>

#include <git2.h>

#include "store/pack.h"
#include "store/worktree.h"

/*
 * The tree of base (NULL: none) with the n changes ch (sorted by path)
 * below a prefix of length off, its ID in out, *empty when it has no
 * entry left; new trees go to the pack pb when it is begun, else loose.
 * 0 or -1 (libgit2's error, or ENOMEM).
 */
int	 ps_tree_build(git_repository *, struct ps_pack *pb,
	    const git_tree *base, struct ps_change *ch, size_t n, size_t off,
	    git_oid *out, int *empty);

#endif
