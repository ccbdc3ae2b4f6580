/* map: a hash index over the caller's array; see map.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/map.h"

#define MAP_FIRST	64	/* slots of a new table */

/*
 * A slot: an item's index + 1 (0: free) and the low 32 bits of its hash,
 * which place it (a table has at most 2^31 slots) and, compared first,
 * spare eq() nearly every item that is not the one looked for. Eight
 * bytes, so that a probe reads few cache lines.
 */
struct ps_map_slot {
	uint32_t	hash;
	uint32_t	ref;
};

uint64_t
ps_map_hash(const void *key, size_t len)
{
	const unsigned char *p = key;
	uint64_t h = 14695981039346656037ULL;

	while (len-- > 0)
		h = (h ^ *p++) * 1099511628211ULL;
	return h;
}

size_t
ps_map_find(const struct ps_map *m, uint64_t h,
    int (*eq)(const void *, size_t, const void *), const void *arg,
    const void *key)
{
	const struct ps_map_slot *s;
	uint32_t h32 = (uint32_t)h;
	size_t j, mask = m->cap - 1;

	if (m->cap == 0)
		return PS_MAP_NONE;
	for (j = h32 & mask; (s = &m->v[j])->ref != 0; j = (j + 1) & mask)
		if (s->hash == h32 && eq(arg, s->ref - 1, key))
			return s->ref - 1;
	return PS_MAP_NONE;
}

/* Into the first free slot from its hash's. */
static void
place(struct ps_map_slot *v, size_t mask, uint32_t h32, uint32_t ref)
{
	size_t j;

	for (j = h32 & mask; v[j].ref != 0; j = (j + 1) & mask)
		;
	v[j].hash = h32;
	v[j].ref = ref;
}

/* The table twice as large, every item placed again (from its hash). */
static int
grow(struct ps_map *m)
{
	struct ps_map_slot *v;
	size_t cap = m->cap ? m->cap * 2 : MAP_FIRST, j;

	if ((v = calloc(cap, sizeof(*v))) == NULL)
		return -1;
	for (j = 0; j < m->cap; j++)
		if (m->v[j].ref != 0)
			place(v, cap - 1, m->v[j].hash, m->v[j].ref);
	free(m->v);
	m->v = v;
	m->cap = cap;
	return 0;
}

int
ps_map_add(struct ps_map *m, uint64_t h, size_t i)
{
	if (i >= PS_MAP_MAX || m->n >= PS_MAP_MAX)
		return -1;
	if ((m->n + 1) * 2 > m->cap && grow(m) == -1)
		return -1;
	place(m->v, m->cap - 1, (uint32_t)h, (uint32_t)i + 1);
	m->n++;
	return 0;
}

void
ps_map_clear(struct ps_map *m)
{
	if (m->cap != 0)
		memset(m->v, 0, m->cap * sizeof(*m->v));
	m->n = 0;
}

void
ps_map_release(struct ps_map *m)
{
	free(m->v);
	m->v = NULL;
	m->cap = m->n = 0;
}
