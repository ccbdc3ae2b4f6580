/*
 * arena: nodes, their text and their lists taken from a few large
 * blocks, freed together. For records only read (ps-check reads 100,000):
 * two allocations a record instead of some 150. Such a record may be
 * reordered (its keys sorted) but not otherwise changed (node.h).
 *
 * Calling sequence: struct ps_arena *a = NULL; p = ps_arena_alloc(&a, n)
 * (NULL when out of memory), ...; ps_arena_free(a) frees every block.
 * Memory taken from an arena is the arena's; it is never freed alone.
 */
#ifndef PS_ARENA_H
#define PS_ARENA_H

#include <stddef.h>

struct ps_arena;
void	*ps_arena_alloc(struct ps_arena **, size_t);
void	 ps_arena_free(struct ps_arena *);

#endif
