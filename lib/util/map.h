/*
 * map: a hash index over an array the caller keeps: from a key to the
 * index of its item, for the tables that look records, paths, IDs and
 * object IDs up by key.
 *
 * The map holds neither keys nor values, only each item's hash and index:
 * the items stay in the caller's array, in the caller's order (the order
 * added, or sorted), and a loop over them is a loop over that array. The
 * caller hashes its keys (ps_map_hash() for bytes; anything evenly spread
 * in its low bits, such as the first bytes of an object ID, will do) and
 * tells whether item i has a key with eq(arg, i, key), which the map calls
 * only for items of the same hash. Open addressing, linear probing, kept
 * at most half full.
 *
 * Calling sequence:
 *
 *	struct ps_map m = PS_MAP_INIT;
 *
 *	h = ps_map_hash(key, len);
 *	if ((i = ps_map_find(&m, h, eq, arg, key)) == PS_MAP_NONE) {
 *		append the item to the array, at index n;
 *		if (ps_map_add(&m, h, n) == -1)
 *			take it off again: out of memory;
 *	}
 *	...
 *	ps_map_release(&m);
 *
 * An item that moves in the array (a sort) is added again at its new
 * index: ps_map_clear(), then ps_map_add() for each, which then cannot
 * fail (the table is as large as before).
 *
 * Ownership: the map owns its table and nothing else; the array and the
 * keys are the caller's, read (by eq()) only during ps_map_find().
 * Errors: ps_map_add() returns -1 when out of memory (or past PS_MAP_MAX
 * items), the map unchanged; nothing else fails or allocates.
 */
#ifndef PS_MAP_H
#define PS_MAP_H

#include <stddef.h>
#include <stdint.h>

#define PS_MAP_NONE	((size_t)-1)		/* ps_map_find(): not there */
#define PS_MAP_MAX	((size_t)1 << 30)	/* items, and indices, of a map */

struct ps_map_slot;

struct ps_map {
	struct ps_map_slot	*v;	/* private */
	size_t			 cap;	/* slots: 0, or a power of two */
	size_t			 n;	/* items */
};

#define PS_MAP_INIT	{ NULL, 0, 0 }

/*
 * 64-bit FNV-1a of len bytes, for a map: not a format. A file that keeps
 * hashes defines its own (intake's .git/ps-dupkeys does).
 */
uint64_t ps_map_hash(const void *key, size_t len);

/*
 * The index of the item with hash h for which eq(arg, i, key) is true,
 * else PS_MAP_NONE.
 */
size_t	 ps_map_find(const struct ps_map *, uint64_t h,
	    int (*eq)(const void *arg, size_t i, const void *key),
	    const void *arg, const void *key);
/*
 * Index item i under hash h, the table doubled when it would be over half
 * full. Its key must not be in the map already (ps_map_find() first).
 */
int	 ps_map_add(struct ps_map *, uint64_t h, size_t i);
/* Forget every item, keeping the table's memory. */
void	 ps_map_clear(struct ps_map *);
/* Free the table; the map is empty again (PS_MAP_INIT). */
void	 ps_map_release(struct ps_map *);

#endif
