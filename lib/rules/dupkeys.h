/*
 * dupkeys: probable duplicate applications, by key — the same email, the
 * same phone, or the same name and birth year, within one kind (a
 * participant and a volunteer may be one person) — looked up among this
 * run's records and the store's open participants and volunteers. Records
 * linked on purpose (linked: each names the other) are never duplicates
 * of each other, nor is a record of itself on an update.
 *
 * The store's keys are kept between runs in .git/ps-dupkeys: a 64-bit
 * hash of each key of each open participant and volunteer with its ID,
 * and the trees of participants/ and volunteers/ they were taken from.
 * When those trees have changed since (another tool, a commit by hand, a
 * merge) only the files that differ are read; when the old trees are
 * gone (an erasure prunes them) or the file is not ours, every record. A
 * hash found is confirmed against the record itself, so a collision never
 * refuses anyone. The file holds hashes, not values, beside the objects
 * that hold the records themselves; an erasure removes it.
 *
 * Calling sequence (ps-apply):
 *	ps_dupkeys_init(&x, store, dry_run); ps_dupkeys_load(&x, &d);
 *	for each record: ps_dupkeys_of(rec, keys), ps_dupkeys_find() for
 *	    each key; once taken, ps_dupkeys_add_run() for each key and
 *	    ps_dupkeys_add_pending(rec) once staged;
 *	ps_dupkeys_commit(&x, txn) after the commit: the file brought up
 *	    to it (not with dry_run);
 *	ps_dupkeys_release(&x).
 *
 * Ownership: the store and the transaction are borrowed; the keys are
 * copied. Errors: the load returns 0 or the diagnostics' status (git);
 * the adds -1 when out of memory; the cache file is a hint, and one that
 * cannot be read or written is rebuilt or left, never an error.
 */
#ifndef PS_DUPKEYS_H
#define PS_DUPKEYS_H

#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "util/diag.h"
#include "util/id.h"
#include "util/map.h"
#include "model/node.h"
#include "store/store.h"
#include "store/txn.h"

/* This run's records' probable-duplicate keys: key -> ID, the first. */
struct ps_dupkeys_key {
	char	*key;
	char	 id[PS_ID_LEN + 1];
};

struct ps_dupkeys_run {
	struct ps_dupkeys_key	*v;
	size_t		 n;
	size_t		 cap;
	struct ps_map	 index;		/* of v, by key */
};

/*
 * The stored records' probable-duplicate keys, kept between runs in
 * .git/ps-dupkeys: a 64-bit hash of each key of each open participant
 * and volunteer with its ID, and the trees of participants/ and
 * volunteers/ they were taken from. When those trees have changed since
 * (another tool, a commit by hand, a merge) only the files that differ
 * are read; when the old trees are gone (an erasure prunes them) or the
 * file is not ours, every record. A hash found is confirmed against the
 * record itself, so a collision never refuses anyone. The file holds
 * hashes, not values, beside the objects that hold the records
 * themselves; an erasure removes it.
 */
struct ps_dupkeys_stored {
	uint64_t	 hash;
	char		 id[16];
};

struct ps_dupkeys_set {
	struct ps_dupkeys_stored	*v;
	size_t		 n;
	size_t		 cap;
	size_t		 sorted;	/* v[0..sorted) are in order */
	/* records changed in a batch (stored_begin): their keys before
	   v[n0] are dropped at its end, all at once */
	struct ps_dupkeys_stored	*drop;
	size_t		 ndrop, capdrop, n0;
	git_oid		 tree[2];
	int		 loaded;
	int		 building;	/* from nothing: no file to drop */
};

struct ps_dupkeys {
	struct ps_store		*s;
	int			 dry_run;
	struct ps_dupkeys_run	 run;		/* this run's records */
	struct ps_dupkeys_set	 stored;	/* the store's */
	struct ps_dupkeys_set	 pend;		/* this run's, for the file */
	char			 found[PS_ID_LEN + 1];
};

/* The keys of a record (up to three, each under 600 bytes); how many. */
size_t	 ps_dupkeys_of(const struct ps_node *rec, char keys[3][600]);
void	 ps_dupkeys_init(struct ps_dupkeys *, struct ps_store *, int dry_run);
int	 ps_dupkeys_load(struct ps_dupkeys *, struct ps_diags *);
/* The ID of a record with this key, this run's first, else NULL; self
   (an update's record, or NULL) and the records linked to it are not. */
const char *ps_dupkeys_find(struct ps_dupkeys *, const char *key,
	    const struct ps_node *self);
int	 ps_dupkeys_add_run(struct ps_dupkeys *, const char *key,
	    const char *id);
int	 ps_dupkeys_add_pending(struct ps_dupkeys *, const struct ps_node *);
void	 ps_dupkeys_commit(struct ps_dupkeys *, struct ps_txn *);
void	 ps_dupkeys_release(struct ps_dupkeys *);

#endif
