/*
 * prune: what no ref reaches, taken out of the store's .git — the last
 * step of a history rewrite (ps_erase), once one pack holds, synced,
 * every object the refs reach and the refs have moved to the new
 * history.
 *
 * ps_prune(s, "pack-<hex>", &d) removes, in this order: the reflogs
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
 * Nothing is checked: an object the refs reach that is not in keep is
 * lost. The caller holds the store's lock (txn.h).
 *
 * Errors: 0, or PS_STORE naming what could not be removed (PS_STORE from
 * libgit2 for packed-refs); what went before stays gone, and running it
 * again goes on. The store and keep are borrowed.
 */
#ifndef PS_PRUNE_H
#define PS_PRUNE_H

#include "util/diag.h"
#include "store/repo.h"

/* Every pack but keep ("pack-<hex>"), every loose object, and every
   file of .git that may name or hold old objects. */
int	 ps_prune(struct ps_store *, const char *keep, struct ps_diags *);

#endif
