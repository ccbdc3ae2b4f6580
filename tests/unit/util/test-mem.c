/* Unit tests: growing, sorting and searching arrays (lib/util/mem.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/mem.h"
#include "util/str.h"

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* From nothing to first, then doubling to hold what is needed. */
static void
grow_doubles_from_first(void **state)
{
	size_t cap = 0, i;
	int *v = NULL, *w;

	(void)state;
	v = ps_mem_grow(v, &cap, 1, sizeof(*v), 8);
	assert_non_null(v);
	assert_int_equal(cap, 8);
	for (i = 0; i < 8; i++)
		v[i] = (int)i;
	/* room enough: the same array, cap as it was */
	w = ps_mem_grow(v, &cap, 8, sizeof(*v), 8);
	assert_ptr_equal(w, v);
	assert_int_equal(cap, 8);
	v = ps_mem_grow(v, &cap, 9, sizeof(*v), 8);
	assert_non_null(v);
	assert_int_equal(cap, 16);
	v = ps_mem_grow(v, &cap, 100, sizeof(*v), 8);
	assert_non_null(v);
	assert_int_equal(cap, 128);
	/* what it held is kept; all of the room can be written */
	for (i = 0; i < 8; i++)
		assert_int_equal(v[i], (int)i);
	for (i = 0; i < cap; i++)
		v[i] = -1;
	free(v);
}

/* The cap is the caller's: an array made elsewhere grows from it. */
static void
grow_from_the_callers_cap(void **state)
{
	size_t cap = 3;
	char *v = malloc(3), *w;

	(void)state;
	assert_non_null(v);
	memcpy(v, "abc", 3);
	w = ps_mem_grow(v, &cap, 4, 1, 1000);
	assert_non_null(w);
	assert_int_equal(cap, 6);
	assert_memory_equal(w, "abc", 3);
	free(w);
}

/* Too much to hold: NULL, the array still the caller's, cap unchanged. */
static void
grow_failure_keeps_the_array(void **state)
{
	size_t cap = 0;
	int *v, *w;

	(void)state;
	v = ps_mem_grow(NULL, &cap, 4, sizeof(*v), 4);
	assert_non_null(v);
	memcpy(v, (int[]){ 1, 2, 3, 4 }, sizeof(int) * 4);
	/* the count would overflow when doubled */
	assert_null(ps_mem_grow(v, &cap, SIZE_MAX, sizeof(*v), 4));
	assert_int_equal(cap, 4);
	/* the bytes would overflow size_t */
	assert_null(ps_mem_grow(v, &cap, SIZE_MAX / 2 + 1, sizeof(*v), 4));
	assert_int_equal(cap, 4);
	/* the memory is more than the address space */
	assert_null(ps_mem_grow(v, &cap, ((size_t)1 << 59) + 1, sizeof(*v),
	    4));
	assert_int_equal(cap, 4);
	assert_int_equal(v[3], 4);
	w = ps_mem_grow(v, &cap, 5, sizeof(*v), 4);
	assert_non_null(w);
	assert_int_equal(cap, 8);
	assert_int_equal(w[3], 4);
	free(w);
}

static void
sort_and_find(void **state)
{
	int v[] = { 5, -3, 9, 0, 5, 12, -8 }, key, *at;
	const char *words[] = { "pear", "apple", "fig" };
	const char *k = "fig", **w;
	size_t i, n = sizeof(v) / sizeof(v[0]);

	(void)state;
	ps_mem_sort(v, n, sizeof(v[0]), cmp_int);
	for (i = 1; i < n; i++)
		assert_true(v[i - 1] <= v[i]);
	key = 9;
	at = ps_mem_find(&key, v, n, sizeof(v[0]), cmp_int);
	assert_non_null(at);
	assert_int_equal(*at, 9);
	key = 7;
	assert_null(ps_mem_find(&key, v, n, sizeof(v[0]), cmp_int));
	key = -8;
	assert_ptr_equal(ps_mem_find(&key, v, n, sizeof(v[0]), cmp_int), v);
	/* with str's comparator over an array of strings */
	ps_mem_sort(words, 3, sizeof(words[0]), ps_strcmpp);
	assert_string_equal(words[0], "apple");
	assert_string_equal(words[2], "pear");
	w = ps_mem_find(&k, words, 3, sizeof(words[0]), ps_strcmpp);
	assert_non_null(w);
	assert_string_equal(*w, "fig");
}

/* An empty array with a NULL base, which qsort() and bsearch() may not
   be given; and one item. */
static void
empty_and_single(void **state)
{
	int one = 4, key = 4;

	(void)state;
	ps_mem_sort(NULL, 0, sizeof(int), cmp_int);
	assert_null(ps_mem_find(&key, NULL, 0, sizeof(int), cmp_int));
	ps_mem_sort(&one, 1, sizeof(int), cmp_int);
	assert_int_equal(one, 4);
	assert_ptr_equal(ps_mem_find(&key, &one, 1, sizeof(int), cmp_int),
	    &one);
	key = 5;
	assert_null(ps_mem_find(&key, &one, 1, sizeof(int), cmp_int));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(grow_doubles_from_first),
		cmocka_unit_test(grow_from_the_callers_cap),
		cmocka_unit_test(grow_failure_keeps_the_array),
		cmocka_unit_test(sort_and_find),
		cmocka_unit_test(empty_and_single),
	};

	return cmocka_run_group_tests_name("mem", tests, NULL, NULL);
}
