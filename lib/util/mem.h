/*
 * mem: arrays in memory: grown by doubling, sorted and searched with the
 * C library's qsort() and bsearch(), which may not be given an empty
 * array with a NULL base; these may.
 *
 * The arrays are the caller's. Errors: ps_mem_grow() returns NULL when
 * out of memory, the array as it was; sorting and searching cannot fail.
 */
#ifndef PS_MEM_H
#define PS_MEM_H

#include <stddef.h>

/*
 * An array v of items of size, with room for cap, grown to hold need
 * (doubling, from first): v itself, a larger copy (cap updated), or NULL
 * when out of memory (v still valid, cap as it was). need must be > 0.
 */
void	*ps_mem_grow(void *v, size_t *cap, size_t need, size_t size,
	    size_t first);
/* qsort() and bsearch() that take an empty array. */
void	 ps_mem_sort(void *base, size_t n, size_t size,
	    int (*cmp)(const void *, const void *));
void	*ps_mem_find(const void *key, const void *base, size_t n,
	    size_t size, int (*cmp)(const void *, const void *));

#endif
