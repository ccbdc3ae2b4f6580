/*
 * prune: what no ref reaches, taken out of the store's .git — the last
 * step of a history rewrite (ps_erase), once one pack holds, synced,
 * every object the refs reach and the refs have moved to the new
 * history.
 *
 * ps_prune(s, "pack-<hex>", &before, &d) removes, in this order: the reflogs
 * (what is in .git/logs); ORIG_HEAD, FETCH_HEAD, COMMIT_EDITMSG, the
 * commit-graph and objects/info/packs; ps-apply's hashed person keys
 * (.git/ps-dupkeys, rules/dupkeys.h); the split commit-graphs, rr-cache
 * (texts of merge conflicts) and the caches by blob (.git/ps-cache,
 * rcache.h); then packed-refs is written again (libgit2's compress: the
 * loose refs folded in), as it may still name old commits; then every
 * pack but keep (its .pack, .idx and any other file of its name stay),
 * every temp pack (tmp_*) and multi-pack-index, and every loose object.
 * Last, objects/pack, objects and .git are synced.
 *
 * Only what is older than before goes: a pack or loose object whose
 * modification time is before it (the start of the rewrite, on the file
 * system's clock). What plain git writes meanwhile — a git add or commit
 * beside — is newer and stays; no ref the rewrite packed reaches it.
 * git's own locks (index.lock, packed-refs.lock) are waited for first.
 *
 * Nothing else is checked: an object the refs reach that is not in keep
 * is lost. The caller holds the store's lock (txn.h).
 *
 * Errors: 0, or PS_STORE naming what could not be removed (PS_STORE from
 * libgit2 for packed-refs); what went before stays gone, and running it
 * again goes on. The store and keep are borrowed.
 */
#ifndef PS_PRUNE_H
#define PS_PRUNE_H

#include <time.h>

#include "util/diag.h"
#include "store/repo.h"

/* Every pack but keep ("pack-<hex>") and every loose object older than
   before, and every file of .git that may name or hold old objects. */
int	 ps_prune(struct ps_store *, const char *keep,
	    const struct timespec *before, struct ps_diags *);

#endif
