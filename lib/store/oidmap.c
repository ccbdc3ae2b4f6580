/*
 * oidmap: object ID to object ID and a state; see oidmap.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"
#include "store/oidmap.h"

/* An object ID is a hash already: its first bytes are spread evenly. */
static uint64_t
oid_hash(const git_oid *o)
{
	uint64_t h;

	memcpy(&h, o->id, sizeof(h));
	return h;
}

/* Is v[i] of the object ID key? (ps_map_find) */
static int
oid_eq(const void *arg, size_t i, const void *key)
{
	const struct ps_oidmap *m = arg;

	return git_oid_equal(&m->v[i].key, key);
}

struct ps_oidmap_slot *
ps_oidmap_get(const struct ps_oidmap *m, const git_oid *k)
{
	size_t i;

	i = ps_map_find(&m->index, oid_hash(k), oid_eq, m, k);
	return i == PS_MAP_NONE ? NULL : &m->v[i];
}

/* k to v with state, added or replaced; -1 out of memory. */
int
ps_oidmap_put(struct ps_oidmap *m, const git_oid *k, const git_oid *v,
    int state)
{
	struct ps_oidmap_slot *nv;
	uint64_t h = oid_hash(k);
	size_t i;

	if ((i = ps_map_find(&m->index, h, oid_eq, m, k)) == PS_MAP_NONE) {
		if ((nv = ps_mem_grow(m->v, &m->cap, m->n + 1, sizeof(*nv),
		    1024)) == NULL)
			return -1;
		m->v = nv;
		if (ps_map_add(&m->index, h, m->n) == -1)
			return -1;
		i = m->n++;
		m->v[i].key = *k;
	}
	m->v[i].val = *v;
	m->v[i].state = state;
	return 0;
}

void
ps_oidmap_release(struct ps_oidmap *m)
{
	free(m->v);
	ps_map_release(&m->index);
	memset(m, 0, sizeof(*m));
}
