/* Unit tests: blocks of nodes freed together (lib/util/arena.c). */
#include <setjmp.h>
#include <stdalign.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/arena.h"

#define MANY	2000

static void
free_null_is_a_no_op(void **state)
{
	(void)state;
	ps_arena_free(NULL);
}

/* The first allocation makes the arena; the caller's pointer is set. */
static void
first_alloc_makes_the_arena(void **state)
{
	struct ps_arena *a = NULL;
	char *p;

	(void)state;
	p = ps_arena_alloc(&a, 5);
	assert_non_null(p);
	assert_non_null(a);
	memcpy(p, "abcd", 5);
	assert_string_equal(p, "abcd");
	ps_arena_free(a);
}

/*
 * Many allocations of every size, small and over a block (16,000
 * bytes), each aligned for any type and filled with a byte of its own:
 * no allocation overlaps another, whichever block it came from.
 */
static void
allocations_are_aligned_and_apart(void **state)
{
	static unsigned char *p[MANY];
	static size_t len[MANY];
	struct ps_arena *a = NULL;
	size_t i, k;

	(void)state;
	for (i = 0; i < MANY; i++) {
		len[i] = i % 97 == 0 ? 20000 + i : i % 61 + 1;
		p[i] = ps_arena_alloc(&a, len[i]);
		assert_non_null(p[i]);
		assert_int_equal((uintptr_t)p[i] % alignof(max_align_t), 0);
		memset(p[i], (int)(i & 0xff), len[i]);
	}
	for (i = 0; i < MANY; i++)
		for (k = 0; k < len[i]; k++)
			if (p[i][k] != (unsigned char)(i & 0xff))
				fail_msg("allocation %zu was overwritten at %zu",
				    i, k);
	ps_arena_free(a);
}

/* An allocation larger than a block gets one of its own, and the arena
   goes on serving small ones after it. */
static void
large_then_small(void **state)
{
	struct ps_arena *a = NULL;
	unsigned char *big, *s1, *s2;

	(void)state;
	s1 = ps_arena_alloc(&a, 8);
	big = ps_arena_alloc(&a, 1 << 20);
	s2 = ps_arena_alloc(&a, 8);
	assert_non_null(s1);
	assert_non_null(big);
	assert_non_null(s2);
	memset(big, 0xaa, 1 << 20);
	memset(s1, 1, 8);
	memset(s2, 2, 8);
	assert_int_equal(big[0], 0xaa);
	assert_int_equal(big[(1 << 20) - 1], 0xaa);
	assert_int_equal(s1[7], 1);
	ps_arena_free(a);
}

/* No memory for the size asked: NULL, and the arena is as it was. */
static void
too_large_is_null(void **state)
{
	struct ps_arena *a = NULL, *before;
	char *p;

	(void)state;
	p = ps_arena_alloc(&a, 16);
	assert_non_null(p);
	memcpy(p, "kept", 5);
	before = a;
	assert_null(ps_arena_alloc(&a, SIZE_MAX / 4));
	assert_ptr_equal(a, before);
	assert_string_equal(p, "kept");
	assert_non_null(ps_arena_alloc(&a, 16));
	ps_arena_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(free_null_is_a_no_op),
		cmocka_unit_test(first_alloc_makes_the_arena),
		cmocka_unit_test(allocations_are_aligned_and_apart),
		cmocka_unit_test(large_then_small),
		cmocka_unit_test(too_large_is_null),
	};

	return cmocka_run_group_tests_name("arena", tests, NULL, NULL);
}
