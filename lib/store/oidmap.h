/*
 * oidmap: a table from git object IDs to object IDs, each with a small
 * state of the caller's (what became of an object in a history rewrite:
 * rewrite.h), so that an object shared by many commits is looked at
 * once. The slots stay in an array, in the order put; an index over it
 * (util/map.h) finds a key.
 *
 * Calling sequence:
 *
 *	struct ps_oidmap m = PS_OIDMAP_INIT;	(or zeroed memory)
 *
 *	if (ps_oidmap_put(&m, &old, &new, state) == -1)
 *		out of memory;
 *	if ((sl = ps_oidmap_get(&m, &old)) != NULL)
 *		use sl->val and sl->state;
 *	...
 *	ps_oidmap_release(&m);
 *
 * Ownership: the map owns its slots; a slot from ps_oidmap_get() is
 * valid until the next put or the release. Errors: ps_oidmap_put()
 * returns -1 when out of memory, the key then not added (or its slot
 * unchanged); nothing else fails.
 */
#ifndef PS_OIDMAP_H
#define PS_OIDMAP_H

#include <stddef.h>

#include <git2.h>

#include "util/map.h"

struct ps_oidmap_slot {
	git_oid	key;
	git_oid	val;
	int	state;		/* the caller's */
};

struct ps_oidmap {
	struct ps_oidmap_slot	*v;		/* in the order put */
	size_t			 n;
	size_t			 cap;
	struct ps_map		 index;		/* of v, by key */
};

#define PS_OIDMAP_INIT	{ NULL, 0, 0, PS_MAP_INIT }

/* The slot of key k, or NULL. */
struct ps_oidmap_slot *ps_oidmap_get(const struct ps_oidmap *,
	    const git_oid *k);
/* k to v with state, added or replaced; -1 out of memory. */
int	 ps_oidmap_put(struct ps_oidmap *, const git_oid *k,
	    const git_oid *v, int state);
/* Free the slots and the index; the map is empty again. */
void	 ps_oidmap_release(struct ps_oidmap *);

#endif
