/*
 * Unit tests: exact assignment (lib/rules/assign.c). Small random instances are
 * checked against brute force, medium ones against a plain min-cost flow
 * (Bellman-Ford, augmenting while that pays), all in whole millionths.
 */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "rules/assign.h"

#define MAXN	40
#define MAXM	48
#define MAXE	(2 * MAXN * MAXM)

/* An instance as given, and the best score of each pair (0: none). */
struct inst {
	size_t	 n, m, ne;
	int	 cap[MAXM];
	size_t	 el[MAXE], er[MAXE];
	int64_t	 ew[MAXE];
	int64_t	 best[MAXN][MAXM];
};

static uint64_t rng_state = 88172645463325252ULL;

static uint64_t
rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static size_t
below(size_t n)
{
	return (size_t)(rng() % n);
}

/*
 * A random instance: capacities 0 to maxcap, each pair present with
 * probability density/8, some given twice. Scores come from a few values
 * (ties) or are arbitrary millionths; about one in six is zero or below.
 */
static void
make(struct inst *t, size_t n, size_t m, int maxcap, size_t density)
{
	size_t i, j, k, copies;
	int64_t w;

	memset(t, 0, sizeof(*t));
	t->n = n;
	t->m = m;
	for (j = 0; j < m; j++)
		t->cap[j] = (int)below((size_t)maxcap + 1);
	for (i = 0; i < n; i++) {
		for (j = 0; j < m; j++) {
			if (below(8) >= density)
				continue;
			copies = below(6) == 0 ? 2 : 1;
			for (k = 0; k < copies; k++) {
				if (below(2) == 0)
					w = ((int64_t)below(9) - 1) * 500000;
				else
					w = (int64_t)below(20000001) - 2000000;
				t->el[t->ne] = i;
				t->er[t->ne] = j;
				t->ew[t->ne++] = w;
				if (w > t->best[i][j])
					t->best[i][j] = w;
			}
		}
	}
}

/* Give the edges in the order perm (NULL: as made), and solve. */
static struct ps_assign *
load(const struct inst *t, const size_t *perm)
{
	struct ps_assign *a;
	size_t j, k, e;

	assert_non_null(a = ps_assign_new(t->n, t->m));
	for (j = 0; j < t->m; j++)
		assert_int_equal(ps_assign_capacity(a, j, t->cap[j]), 0);
	for (k = 0; k < t->ne; k++) {
		e = perm ? perm[k] : k;
		assert_int_equal(ps_assign_edge(a, t->el[e], t->er[e],
		    (double)t->ew[e] / 1e6), 0);
	}
	assert_int_equal(ps_assign_solve(a), 0);
	return a;
}

static int64_t
micro(double x)
{
	return (int64_t)(x * 1e6 + (x < 0 ? -0.5 : 0.5));
}

/*
 * Every pair chosen was given with a positive score, no volunteer is over
 * capacity, and the total is the sum of the pairs' best scores. Returns
 * that total.
 */
static int64_t
check(const struct ps_assign *a, const struct inst *t)
{
	int load[MAXM] = { 0 };
	int64_t sum = 0;
	size_t i;
	long j;

	for (i = 0; i < t->n; i++) {
		if ((j = ps_assign_left(a, i)) == -1)
			continue;
		assert_in_range(j, 0, (long)t->m - 1);
		assert_true(t->best[i][j] > 0);
		assert_true(++load[j] <= t->cap[j]);
		sum += t->best[i][j];
	}
	assert_int_equal(ps_assign_left(a, t->n), -1);
	assert_true(sum == micro(ps_assign_total(a)));
	return sum;
}

static int64_t
brute(const struct inst *t, size_t i, int *room)
{
	int64_t best, v;
	size_t j;

	if (i == t->n)
		return 0;
	best = brute(t, i + 1, room);
	for (j = 0; j < t->m; j++) {
		if (t->best[i][j] <= 0 || room[j] == 0)
			continue;
		room[j]--;
		v = t->best[i][j] + brute(t, i + 1, room);
		room[j]++;
		if (v > best)
			best = v;
	}
	return best;
}

/*
 * The oracle for medium instances: source -> participant -> volunteer ->
 * sink, Bellman-Ford shortest paths, augment while the path pays.
 */
#define ONODES	(MAXN + MAXM + 2)
#define OARCS	(2 * (MAXN + MAXN * MAXM + MAXM))

struct oracle {
	size_t	 narc;
	size_t	 from[OARCS], to[OARCS];
	int	 room[OARCS];
	int64_t	 cost[OARCS];
};

static void
arc(struct oracle *o, size_t u, size_t v, int room, int64_t cost)
{
	o->from[o->narc] = u;
	o->to[o->narc] = v;
	o->room[o->narc] = room;
	o->cost[o->narc++] = -cost;	/* maximising the score */
	o->from[o->narc] = v;
	o->to[o->narc] = u;
	o->room[o->narc] = 0;
	o->cost[o->narc++] = cost;
}

static int64_t
oracle(const struct inst *t)
{
	static struct oracle o;
	int64_t dist[ONODES], total = 0;
	size_t pred[ONODES], i, j, a, s = 0, sink = t->n + t->m + 1, u, v;
	int changed;

	o.narc = 0;
	for (i = 0; i < t->n; i++)
		arc(&o, s, 1 + i, 1, 0);
	for (i = 0; i < t->n; i++)
		for (j = 0; j < t->m; j++)
			if (t->best[i][j] > 0)
				arc(&o, 1 + i, 1 + t->n + j, 1, t->best[i][j]);
	for (j = 0; j < t->m; j++)
		arc(&o, 1 + t->n + j, sink, t->cap[j], 0);
	for (;;) {
		for (v = 0; v <= sink; v++)
			dist[v] = INT64_MAX;
		dist[s] = 0;
		do {
			changed = 0;
			for (a = 0; a < o.narc; a++) {
				u = o.from[a];
				v = o.to[a];
				if (o.room[a] == 0 || dist[u] == INT64_MAX ||
				    dist[u] + o.cost[a] >= dist[v])
					continue;
				dist[v] = dist[u] + o.cost[a];
				pred[v] = a;
				changed = 1;
			}
		} while (changed);
		if (dist[sink] >= 0)
			return total;
		total -= dist[sink];
		for (v = sink; v != s; v = o.from[pred[v]]) {
			o.room[pred[v]]--;
			o.room[pred[v] ^ 1]++;
		}
	}
}

static void
optimal_on_small_instances(void **state)
{
	struct ps_assign *a;
	struct inst t;
	int room[MAXM];
	size_t k, j;

	(void)state;
	for (k = 0; k < 2000; k++) {
		make(&t, below(7), 1 + below(4), 3, 1 + below(7));
		a = load(&t, NULL);
		for (j = 0; j < t.m; j++)
			room[j] = t.cap[j];
		assert_true(check(a, &t) == brute(&t, 0, room));
		ps_assign_free(a);
	}
}

static void
optimal_on_medium_instances(void **state)
{
	struct ps_assign *a;
	struct inst t;
	size_t k;

	(void)state;
	for (k = 0; k < 400; k++) {
		make(&t, 10 + below(MAXN - 9), 2 + below(11), 4,
		    1 + below(5));
		a = load(&t, NULL);
		assert_true(check(a, &t) == oracle(&t));
		ps_assign_free(a);
	}
}

/*
 * Participants with many edges (more than lib/rules/assign.c's RESORT) and few
 * places among them: the searches settle the same participants again
 * and again, as the potentials drift, and the solver's edge keys are
 * made anew.
 */
static void
optimal_on_wide_instances(void **state)
{
	struct ps_assign *a;
	struct inst t;
	size_t k;

	(void)state;
	for (k = 0; k < 400; k++) {
		make(&t, 20 + below(MAXN - 19), 24 + below(MAXM - 23), 2,
		    6 + below(3));
		a = load(&t, NULL);
		assert_true(check(a, &t) == oracle(&t));
		ps_assign_free(a);
	}
}

/* The same edges in any order, or solved twice: the same assignment. */
static void
deterministic(void **state)
{
	struct ps_assign *a, *b;
	struct inst t;
	size_t perm[MAXE], k, i, x;

	(void)state;
	for (k = 0; k < 100; k++) {
		make(&t, 1 + below(MAXN), 1 + below(MAXM), 3, 1 + below(4));
		for (i = 0; i < t.ne; i++)
			perm[i] = i;
		for (i = t.ne; i > 1; i--) {
			x = below(i);
			perm[t.ne] = perm[i - 1];
			perm[i - 1] = perm[x];
			perm[x] = perm[t.ne];
		}
		a = load(&t, NULL);
		b = load(&t, perm);
		for (i = 0; i < t.n; i++)
			assert_int_equal(ps_assign_left(a, i),
			    ps_assign_left(b, i));
		assert_true(ps_assign_total(a) == ps_assign_total(b));
		assert_int_equal(ps_assign_solve(b), 0);
		for (i = 0; i < t.n; i++)
			assert_int_equal(ps_assign_left(a, i),
			    ps_assign_left(b, i));
		ps_assign_free(a);
		ps_assign_free(b);
	}
}

/* Earlier participants keep their places on ties; a gain moves them. */
static void
ties_and_gains(void **state)
{
	struct ps_assign *a;

	(void)state;
	assert_non_null(a = ps_assign_new(3, 2));
	assert_int_equal(ps_assign_capacity(a, 1, 0), 0);
	assert_int_equal(ps_assign_edge(a, 2, 0, 5), 0);
	assert_int_equal(ps_assign_edge(a, 1, 0, 5), 0);
	assert_int_equal(ps_assign_edge(a, 0, 1, 9), 0);
	assert_int_equal(ps_assign_solve(a), 0);
	assert_int_equal(ps_assign_left(a, 0), -1);	/* no capacity */
	assert_int_equal(ps_assign_left(a, 1), 0);
	assert_int_equal(ps_assign_left(a, 2), -1);
	assert_true(ps_assign_total(a) == 5);

	/* Solving again sees the new capacity and edge. */
	assert_int_equal(ps_assign_capacity(a, 1, 1), 0);
	assert_int_equal(ps_assign_edge(a, 1, 1, 5), 0);
	assert_int_equal(ps_assign_solve(a), 0);
	assert_int_equal(ps_assign_left(a, 0), 1);
	assert_int_equal(ps_assign_left(a, 1), 0);
	assert_int_equal(ps_assign_left(a, 2), -1);
	assert_true(ps_assign_total(a) == 14);
	ps_assign_free(a);

	/* Participant 0 moves over so that 1 can be matched too. */
	assert_non_null(a = ps_assign_new(2, 2));
	assert_int_equal(ps_assign_edge(a, 0, 0, 5), 0);
	assert_int_equal(ps_assign_edge(a, 0, 1, 4), 0);
	assert_int_equal(ps_assign_edge(a, 1, 0, 2), 0);
	assert_int_equal(ps_assign_solve(a), 0);
	assert_int_equal(ps_assign_left(a, 0), 1);
	assert_int_equal(ps_assign_left(a, 1), 0);
	assert_true(ps_assign_total(a) == 6);
	ps_assign_free(a);
}

/* Pairs worth nothing are not used; a pair given twice keeps the best. */
static void
scores(void **state)
{
	struct ps_assign *a;

	(void)state;
	assert_non_null(a = ps_assign_new(5, 1));
	assert_int_equal(ps_assign_capacity(a, 0, 5), 0);
	assert_int_equal(ps_assign_edge(a, 0, 0, 0), 0);
	assert_int_equal(ps_assign_edge(a, 1, 0, -3), 0);
	assert_int_equal(ps_assign_edge(a, 2, 0, 4e-7), 0);
	assert_int_equal(ps_assign_edge(a, 3, 0, 6e-7), 0);
	assert_int_equal(ps_assign_edge(a, 4, 0, 2), 0);
	assert_int_equal(ps_assign_edge(a, 4, 0, 7.25), 0);
	assert_int_equal(ps_assign_edge(a, 4, 0, 1), 0);
	assert_int_equal(ps_assign_edge(a, 1, 0, -INFINITY), 0);
	assert_int_equal(ps_assign_solve(a), 0);
	assert_int_equal(ps_assign_left(a, 0), -1);
	assert_int_equal(ps_assign_left(a, 1), -1);
	assert_int_equal(ps_assign_left(a, 2), -1);
	assert_int_equal(ps_assign_left(a, 3), 0);
	assert_int_equal(ps_assign_left(a, 4), 0);
	assert_true(micro(ps_assign_total(a)) == 7250001);
	ps_assign_free(a);
}

static void
empty_and_errors(void **state)
{
	struct ps_assign *a;

	(void)state;
	ps_assign_free(NULL);
	assert_non_null(a = ps_assign_new(0, 0));
	assert_true(ps_assign_total(a) == 0);
	assert_int_equal(ps_assign_solve(a), 0);
	assert_true(ps_assign_total(a) == 0);
	assert_int_equal(ps_assign_left(a, 0), -1);
	ps_assign_free(a);

	assert_non_null(a = ps_assign_new(3, 0));
	assert_int_equal(ps_assign_solve(a), 0);
	assert_int_equal(ps_assign_left(a, 2), -1);
	ps_assign_free(a);

	assert_non_null(a = ps_assign_new(0, 3));
	assert_int_equal(ps_assign_solve(a), 0);
	ps_assign_free(a);

	errno = 0;
	assert_null(ps_assign_new(PS_ASSIGN_SIZE_MAX + 1, 1));
	assert_int_equal(errno, EINVAL);

	assert_non_null(a = ps_assign_new(2, 2));
	assert_int_equal(ps_assign_left(a, 0), -1);	/* not solved yet */
	errno = 0;
	assert_int_equal(ps_assign_capacity(a, 2, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ps_assign_capacity(a, 0, -1), -1);
	assert_int_equal(ps_assign_edge(a, 2, 0, 1), -1);
	assert_int_equal(ps_assign_edge(a, 0, 2, 1), -1);
	assert_int_equal(ps_assign_edge(a, 0, 0, NAN), -1);
	assert_int_equal(ps_assign_edge(a, 0, 0, INFINITY), -1);
	assert_int_equal(ps_assign_edge(a, 0, 0, 2 * PS_ASSIGN_SCORE_MAX), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(ps_assign_edge(a, 0, 0, PS_ASSIGN_SCORE_MAX), 0);
	assert_int_equal(ps_assign_solve(a), 0);
	assert_int_equal(ps_assign_left(a, 0), 0);
	assert_true(ps_assign_total(a) == PS_ASSIGN_SCORE_MAX);
	ps_assign_free(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(optimal_on_small_instances),
		cmocka_unit_test(optimal_on_medium_instances),
		cmocka_unit_test(optimal_on_wide_instances),
		cmocka_unit_test(deterministic),
		cmocka_unit_test(ties_and_gains),
		cmocka_unit_test(scores),
		cmocka_unit_test(empty_and_errors),
	};

	return cmocka_run_group_tests_name("assign", tests, NULL, NULL);
}
