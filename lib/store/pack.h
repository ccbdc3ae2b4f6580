/*
 * pack: a large write's new objects as one git pack (.pack and .idx,
 * format 2), written directly: each object deflated once, no search for
 * deltas (git gc makes them), no second pass to index what was written.
 *
 * Calling sequence (a transaction's, txn.c): struct ps_pack p = { 0 };
 * ps_pack_begin(&p, store) turns the repository's object database into
 * one that writes to memory; every object written is noted with
 * ps_pack_add(); ps_pack_write() writes them (an ID the memory does not
 * hold is skipped: the store has it already) as
 * .git/objects/pack/pack-<checksum>.pack and then .idx, each through a
 * temp file renamed into place, not synced (the write syncs them with its
 * journal); ps_pack_release() puts the store's own database back, at any
 * point. With p.mp NULL (no ps_pack_begin: a small write) objects go
 * loose and ps_pack_add() notes nothing.
 *
 * Errors: 0, or the diagnostics' status. A crash may leave a temp file
 * (PS_PACK_TMP prefix), which the journal's clean-up removes.
 */
#ifndef PS_PACK_H
#define PS_PACK_H

#include <stddef.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>

#include "util/diag.h"
#include "store/repo.h"

#define PS_PACK_TMP	"tmp_ps_pack_"

/*
 * A large write's objects: libgit2 writes each loose object to its own
 * file, which for 10,000 records is most of the time. While the pack is
 * made, the repository's object database is one of our own, whose only
 * writable backend is in memory (a mempack) and which reads the store's
 * objects as an alternate; the objects written are noted, go to the store
 * as one pack (write_pack), and the store's own database is put back.
 */
struct ps_pack {
	git_odb		*orig;		/* the repository's database */
	git_odb		*mem;
	git_odb_backend	*mp;		/* mem's writable backend; NULL:
					   objects are written loose */
	git_oid		*ids;		/* the objects for the pack */
	size_t		 n, cap;
};

int	 ps_pack_begin(struct ps_pack *, struct ps_store *, struct ps_diags *);
/* Note an object for the pack; -1 when out of memory. */
int	 ps_pack_add(struct ps_pack *, const git_oid *);
int	 ps_pack_write(struct ps_pack *, struct ps_store *, struct ps_diags *);
void	 ps_pack_release(struct ps_pack *, struct ps_store *);

#endif
