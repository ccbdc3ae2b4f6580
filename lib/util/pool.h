/*
 * pool: an ordered parallel loop, for reading many records on every CPU
 * while the caller sees them one by one, in order, as if read in turn.
 *
 * work(arg, worker, i) runs for each i in 0..n-1, on up to `threads`
 * threads: the caller's (worker 0) and threads-1 others (workers 1 up),
 * so that each worker can use state of its own. done(arg, i) runs in the
 * caller's thread for i = 0, 1, ..., n-1 in order, each once its work is
 * done. Work runs at most PS_POOL_AHEAD items ahead of done(), so the
 * caller keeps results in a ring of PS_POOL_AHEAD slots (slot i %
 * PS_POOL_AHEAD), and memory stays flat however large n is.
 *
 * A done() that returns non-zero stops the loop: no later done() is
 * called, work already started finishes, and that value is returned; the
 * caller then frees what slots still hold. With one thread (or when a
 * thread cannot be started) the loop runs in the caller's thread alone,
 * work(i) then done(i).
 *
 * Calling sequence: ps_pool_run(n, ps_pool_threads(), work, done, arg).
 * Errors: work() keeps its own in its slot; the pool itself never fails.
 */
#ifndef PS_POOL_H
#define PS_POOL_H

#include <stddef.h>

#define PS_POOL_AHEAD	256

/* How many threads: $PS_THREADS (1 to 64), else the CPUs this process
   may run on, at most 8. */
int	ps_pool_threads(void);
int	ps_pool_run(size_t n, int threads,
	    void (*work)(void *arg, int worker, size_t i),
	    int (*done)(void *arg, size_t i), void *arg);

#endif
