/*
 * Unit tests: the ordered parallel loop (lib/util/pool.c): every item
 * worked once, done() in order in the caller's thread, work never more
 * than PS_POOL_AHEAD items ahead, and a stop that stops.
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "util/pool.h"

#define WORKERS	64

/*
 * One run's record. work(i) leaves i in slot i % PS_POOL_AHEAD, as a
 * caller keeps its results, and notes what it saw; done(i) checks the
 * slot and the order. A problem is counted, and failed on once the loop
 * has returned, where cmocka can report it (an assertion inside the
 * loop would leave its threads running).
 */
struct run {
	size_t		 n;
	size_t		 slot[PS_POOL_AHEAD];
	atomic_int	*worked;	/* per item: how many times */
	atomic_size_t	 ndone;		/* done() calls returned */
	atomic_int	 busy[WORKERS];	/* per worker: in work() now */
	atomic_int	 used[WORKERS];	/* per worker: items worked */
	atomic_int	 inflight;
	atomic_int	 too_far;	/* work ahead of done() by too much */
	atomic_int	 overlap;	/* a worker in work() twice at once */
	atomic_int	 bad_worker;
	size_t		 next;		/* the item done() expects */
	int		 disorder;	/* done() out of order, or early */
	size_t		 stop_at;	/* done() returns 7 there */
	pthread_t	 caller;
	int		 threads;
	int		 slow;		/* work sleeps this many µs */
};

static void
work(void *arg, int worker, size_t i)
{
	struct run *r = arg;

	atomic_fetch_add(&r->inflight, 1);
	if (worker < 0 || worker >= r->threads || worker >= WORKERS) {
		atomic_fetch_add(&r->bad_worker, 1);
		worker = 0;
	}
	if (worker == 0 && !pthread_equal(pthread_self(), r->caller))
		atomic_fetch_add(&r->bad_worker, 1);
	if (atomic_exchange(&r->busy[worker], 1) != 0)
		atomic_fetch_add(&r->overlap, 1);
	if (i >= atomic_load(&r->ndone) + PS_POOL_AHEAD)
		atomic_fetch_add(&r->too_far, 1);
	if (r->slow) {
		struct timespec ts = { 0, r->slow * 1000L };

		nanosleep(&ts, NULL);
	}
	r->slot[i % PS_POOL_AHEAD] = i;
	atomic_fetch_add(&r->worked[i], 1);
	atomic_fetch_add(&r->used[worker], 1);
	atomic_store(&r->busy[worker], 0);
	atomic_fetch_sub(&r->inflight, 1);
}

static int
done(void *arg, size_t i)
{
	struct run *r = arg;

	if (!pthread_equal(pthread_self(), r->caller) || i != r->next ||
	    atomic_load(&r->worked[i]) != 1 ||
	    r->slot[i % PS_POOL_AHEAD] != i)
		r->disorder++;
	r->next = i + 1;
	atomic_fetch_add(&r->ndone, 1);
	return i == r->stop_at ? 7 : 0;
}

static struct run *
run_new(size_t n, int threads)
{
	struct run *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->worked = calloc(n ? n : 1, sizeof(*r->worked));
	assert_non_null(r->worked);
	r->n = n;
	r->threads = threads;
	r->stop_at = SIZE_MAX;
	r->caller = pthread_self();
	return r;
}

/* The loop's problems, found in the workers; and how many took part. */
static int
run_check(struct run *r)
{
	int k, workers = 0;

	assert_int_equal(r->disorder, 0);
	assert_int_equal(atomic_load(&r->inflight), 0);
	assert_int_equal(atomic_load(&r->too_far), 0);
	assert_int_equal(atomic_load(&r->overlap), 0);
	assert_int_equal(atomic_load(&r->bad_worker), 0);
	for (k = 0; k < WORKERS; k++)
		workers += atomic_load(&r->used[k]) > 0;
	return workers;
}

static void
run_free(struct run *r)
{
	free(r->worked);
	free(r);
}

/* Every item worked once and done in order, for n around the chunk and
   the window's sizes, with one thread and with several. */
static void
every_item_once_in_order(void **state)
{
	static const size_t sizes[] = { 0, 1, 15, 16, 17, 255, 256, 257,
	    1000, 5003 };
	static const int threads[] = { 1, 2, 3, 8 };
	size_t s, i;
	int t;

	(void)state;
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (t = 0; t < 4; t++) {
			struct run *r = run_new(sizes[s], threads[t]);

			assert_int_equal(ps_pool_run(r->n, r->threads, work,
			    done, r), 0);
			assert_int_equal(r->next, r->n);
			for (i = 0; i < r->n; i++)
				assert_int_equal(atomic_load(&r->worked[i]),
				    1);
			run_check(r);
			run_free(r);
		}
}

/* With work that takes a while, more than one thread takes part, and
   the order holds all the same. */
static void
several_threads_take_part(void **state)
{
	struct run *r = run_new(2000, 4);

	(void)state;
	r->slow = 50;
	assert_int_equal(ps_pool_run(r->n, r->threads, work, done, r), 0);
	assert_int_equal(r->next, r->n);
	assert_true(run_check(r) >= 2);
	run_free(r);
}

/* A done() that returns non-zero: that value, no done() after it, no
   work still running once the loop returns. */
static void
done_stops_the_loop(void **state)
{
	static const int threads[] = { 1, 4 };
	size_t i;
	int t;

	(void)state;
	for (t = 0; t < 2; t++) {
		struct run *r = run_new(10000, threads[t]);

		r->stop_at = 100;
		assert_int_equal(ps_pool_run(r->n, r->threads, work, done, r),
		    7);
		assert_int_equal(r->next, 101);
		run_check(r);
		/* nothing was worked past the window */
		for (i = 101 + PS_POOL_AHEAD; i < r->n; i++)
			assert_int_equal(atomic_load(&r->worked[i]), 0);
		if (threads[t] == 1)	/* work(i) then done(i) */
			assert_int_equal(atomic_load(&r->worked[101]), 0);
		run_free(r);
	}
}

/* More threads than the pool has: fewer, still right. */
static void
too_many_threads(void **state)
{
	struct run *r = run_new(3000, 1000);

	(void)state;
	assert_int_equal(ps_pool_run(r->n, r->threads, work, done, r), 0);
	assert_int_equal(r->next, r->n);
	run_check(r);
	run_free(r);
}

static void
threads_from_the_environment(void **state)
{
	static const char *const ignored[] = { "0", "65", "-2", "4x", "",
	    "many" };
	const char *was = getenv("PS_THREADS");
	char *saved = was ? strdup(was) : NULL;
	size_t i;
	int dflt;

	(void)state;
	unsetenv("PS_THREADS");
	dflt = ps_pool_threads();
	assert_true(dflt >= 1 && dflt <= 8);
	setenv("PS_THREADS", "1", 1);
	assert_int_equal(ps_pool_threads(), 1);
	setenv("PS_THREADS", "3", 1);
	assert_int_equal(ps_pool_threads(), 3);
	setenv("PS_THREADS", "64", 1);
	assert_int_equal(ps_pool_threads(), 64);
	for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
		setenv("PS_THREADS", ignored[i], 1);
		if (ps_pool_threads() != dflt)
			fail_msg("PS_THREADS=\"%s\" should be ignored",
			    ignored[i]);
	}
	if (saved) {
		setenv("PS_THREADS", saved, 1);
		free(saved);
	} else
		unsetenv("PS_THREADS");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(every_item_once_in_order),
		cmocka_unit_test(several_threads_take_part),
		cmocka_unit_test(done_stops_the_loop),
		cmocka_unit_test(too_many_threads),
		cmocka_unit_test(threads_from_the_environment),
	};

	return cmocka_run_group_tests_name("pool", tests, NULL, NULL);
}
