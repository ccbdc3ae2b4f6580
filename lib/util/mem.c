/* mem: see mem.h. */
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

void *
ps_mem_grow(void *v, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t c = *cap ? *cap : first;

	if (need <= *cap)
		return v;
	while (c < need) {
		if (c > (size_t)-1 / 2)
			return NULL;
		c *= 2;
	}
	if ((v = reallocarray(v, c, size)) != NULL)
		*cap = c;
	return v;
}

void
ps_mem_sort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

void *
ps_mem_find(const void *key, const void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	return n ? bsearch(key, base, n, size, cmp) : NULL;
}
