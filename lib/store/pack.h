/*
 * pack: a large write's new objects as one git pack (.pack and .idx,
 * format 2), written directly: each object deflated once, no search for
 * deltas (git gc makes them), no second pass to index what was written.
 *
 * ps_pack_write() takes the objects named in ids (sorted and made unique
 * in place) from the object database backend from (an ID it does not
 * hold is skipped: the store has it already), writes
 * dir/pack-<checksum>.pack and then .idx, each through a temp file in
 * dir renamed into place, not synced (the write syncs them with its
 * journal). Returns 0, or -1 with errno set (ENOMEM, or the failing
 * call's) and no file left but a temp file (PS_PACK_TMP prefix) a crash
 * may leave, which the store's clean-up removes.
 */
#ifndef PS_PACK_H
#define PS_PACK_H

#include <stddef.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>

#define PS_PACK_TMP	"tmp_ps_pack_"

int	ps_pack_write(const char *dir, git_odb_backend *from, git_oid *ids,
	    size_t n);

#endif
