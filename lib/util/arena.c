/* arena: see arena.h. */
#include <stddef.h>
#include <stdlib.h>

#include "util/arena.h"

struct ps_arena {
	struct ps_arena	*next;
	size_t		 used, cap;
	max_align_t	 data[];
};

void *
ps_arena_alloc(struct ps_arena **a, size_t n)
{
	struct ps_arena *b = *a;
	size_t cap;
	void *p;

	n = (n + sizeof(max_align_t) - 1) & ~(sizeof(max_align_t) - 1);
	if (b == NULL || b->cap - b->used < n) {
		cap = n > 16000 ? n : 16000;
		if ((b = malloc(sizeof(*b) + cap)) == NULL)
			return NULL;
		b->next = *a;
		b->used = 0;
		b->cap = cap;
		*a = b;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	return p;
}

void
ps_arena_free(struct ps_arena *a)
{
	struct ps_arena *next;

	for (; a; a = next) {
		next = a->next;
		free(a);
	}
}
