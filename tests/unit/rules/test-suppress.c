/*
 * Unit tests: small-cell suppression over counts tied by sums
 * (lib/rules/suppress.c). Lines are written as the counts' indexes, the
 * total last.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "rules/suppress.h"

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* Mark v with the lines, and check that no small count is left pinned. */
static void
mark(const long *v, size_t n, const struct ps_suppress_line *l, size_t nl,
    long thr, unsigned char *m)
{
	assert_int_equal(ps_suppress(v, n, l, nl, thr, m), 0);
	assert_true(ps_suppress_pinned(v, n, l, nl, thr, m) == (size_t)-1);
}

/* a + b = t, one line, threshold 5: the marks are m0, m1, m2. */
static void
one_line(long a, long b, long t, unsigned char m0, unsigned char m1,
    unsigned char m2)
{
	long v[] = { a, b, t };
	size_t c[] = { 0, 1, 2 };
	struct ps_suppress_line l = { c, 3 };
	unsigned char m[3];

	mark(v, 3, &l, 1, 5, m);
	assert_int_equal(m[0], m0);
	assert_int_equal(m[1], m1);
	assert_int_equal(m[2], m2);
}

static void
nothing_small(void **state)
{
	long v[] = { 1, 2, 3 };
	size_t c[] = { 0, 1, 2 };
	struct ps_suppress_line l = { c, 3 };
	unsigned char m[3];

	(void)state;
	mark(v, 3, &l, 1, 0, m);
	assert_memory_equal(m, "\0\0\0", 3);
	mark(v, 3, &l, 1, 1, m);
	assert_memory_equal(m, "\0\0\0", 3);
}

/* 1 + 5 = 6: the 1 is hidden, then the 5 (alone it gives the 1), then
   the 6, since x is 5 or more and 6 would leave the 1 as 1. */
static void
bounds_pin(void **state)
{
	(void)state;
	one_line(1, 5, 6, PS_SMALL, PS_HIDDEN, PS_HIDDEN);
}

/* 4 + 4 = 8 pins both 4s (each is 8 less at most 4): the 8 goes. */
static void
two_smalls(void **state)
{
	(void)state;
	one_line(4, 4, 8, PS_SMALL, PS_SMALL, PS_HIDDEN);
}

/*
 * A figure that a table's total repeats (count 3 = count 2), and a
 * second table whose total is the same figure plus another (count 6 =
 * counts 3 and 7): hiding the first table's total hides the figure, and
 * then the second total, or the figure would come back from it.
 */
static void
figures_and_tables(void **state)
{
	/* table one: 2 + 7 = 9; figure 9; table two: 6 + 6 = 12 = 9 + 3 */
	long v[] = { 2, 7, 9, 9, 6, 6, 12, 3 };
	size_t a[] = { 0, 1, 2 }, b[] = { 3, 2 }, c[] = { 4, 5, 6 },
	    d[] = { 3, 7, 6 };
	struct ps_suppress_line l[] = { { a, 3 }, { b, 2 }, { c, 3 },
	    { d, 3 } };
	unsigned char m[N(v)];

	(void)state;
	mark(v, N(v), l, N(l), 5, m);
	assert_int_equal(m[0], PS_SMALL);
	assert_int_equal(m[7], PS_SMALL);
	assert_int_not_equal(m[1], PS_SHOWN);	/* 7 alone gives the 2 */
}

/* A line whose counts do not add up says nothing, and hides nothing. */
static void
line_that_does_not_add_up(void **state)
{
	(void)state;
	one_line(1, 5, 9, PS_SMALL, PS_SHOWN, PS_SHOWN);
}

/*
 * Random tables of 3 rows and 4 columns with a total row and column,
 * counts mostly small: no small count is left pinned, what is hidden
 * for another is never small, and a 0 is hidden only as <N, seldom.
 */
static void
random_tables(void **state)
{
	enum { R = 4, C = 5 };	/* with the totals */
	struct ps_suppress_line l[R + C];
	size_t cells[(R + C) * C], i, j, k, t;
	long v[R * C];
	unsigned char m[R * C];
	size_t zeros = 0;

	(void)state;
	srandom(2026);
	for (i = 0, k = 0; i < R; i++, k++) {
		l[k].cell = &cells[k * C];
		l[k].n = C;
		for (j = 0; j < C; j++)
			l[k].cell[j] = i * C + j;
	}
	for (j = 0; j < C; j++, k++) {
		l[k].cell = &cells[k * C];
		l[k].n = R;
		for (i = 0; i < R; i++)
			l[k].cell[i] = i * C + j;
	}
	for (t = 0; t < 2000; t++) {
		memset(v, 0, sizeof(v));
		for (i = 0; i + 1 < R; i++)
			for (j = 0; j + 1 < C; j++) {
				k = (size_t)random() % 10;
				v[i * C + j] = k < 3 ? 0 : k < 8 ? (long)k - 2 :
				    (long)k * 2;
				v[i * C + C - 1] += v[i * C + j];
				v[(R - 1) * C + j] += v[i * C + j];
				v[R * C - 1] += v[i * C + j];
			}
		mark(v, R * C, l, R + C, 5, m);
		for (k = 0; k < R * C; k++) {
			zeros += v[k] == 0 && m[k] != PS_SHOWN;
			if (v[k] == 0)
				assert_int_not_equal(m[k], PS_HIDDEN);
			if (m[k] == PS_HIDDEN)
				assert_true(v[k] >= 5);
			if (v[k] > 0 && v[k] < 5)
				assert_int_equal(m[k], PS_SMALL);
		}
	}
	print_message("# %zu zeros hidden in 2000 tables\n", zeros);
	assert_true(zeros < 2000);
}

/* Four <5 that make a <5 are 1 each: a 0 of their line is hidden too,
   and then none is known to be 1 or more. */
static void
zero_hidden(void **state)
{
	long v[] = { 1, 1, 1, 1, 0, 0, 4, 4 };
	size_t a[] = { 0, 1, 2, 3, 4, 5, 6 }, b[] = { 7, 6 };
	struct ps_suppress_line l[] = { { a, 7 }, { b, 2 } };
	unsigned char m[N(v)];

	(void)state;
	mark(v, N(v), l, N(l), 5, m);
	assert_int_equal(m[4], PS_SMALL);
	assert_int_equal(m[5], PS_SHOWN);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(nothing_small),
		cmocka_unit_test(bounds_pin),
		cmocka_unit_test(two_smalls),
		cmocka_unit_test(figures_and_tables),
		cmocka_unit_test(line_that_does_not_add_up),
		cmocka_unit_test(random_tables),
		cmocka_unit_test(zero_hidden),
	};

	return cmocka_run_group_tests_name("suppress", tests, NULL, NULL);
}
