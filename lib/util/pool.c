/* pool: an ordered parallel loop; see pool.h. */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/pool.h"

#define MAX_THREADS	64
/*
 * Work is taken a chunk of items at a time, and a thread is woken only
 * when the chunk it waits for is done or there is room ahead again: a
 * wake-up per item costs more than reading a record when the CPUs are
 * busy with other work.
 */
#define CHUNK		16
#define CHUNKS		(PS_POOL_AHEAD / CHUNK)

struct pool {
	pthread_mutex_t	  mu;
	pthread_cond_t	  cv;
	size_t		  n;
	size_t		  next;		/* the first item not yet taken */
	size_t		  consumed;	/* items done() has seen */
	int		  stop;
	int		  waiting;	/* threads in pthread_cond_wait() */
	unsigned char	  ready[CHUNKS];
	void		(*work)(void *, int, size_t);
	void		 *arg;
};

struct worker {
	struct pool	*p;
	int		 id;
};

int
ps_pool_threads(void)
{
	const char *e = getenv("PS_THREADS");
	cpu_set_t set;
	long n;
	char *end;

	if (e && *e) {
		n = strtol(e, &end, 10);
		if (*end == '\0' && n >= 1 && n <= MAX_THREADS)
			return (int)n;
	}
	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	else
		n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > 8 ? 8 : (int)n;
}

/* With p->mu held: the next chunk this thread may take, if any. */
static int
claim(struct pool *p, size_t *first)
{
	if (p->stop || p->next >= p->n ||
	    p->next >= p->consumed - p->consumed % CHUNK + PS_POOL_AHEAD)
		return 0;
	*first = p->next;
	p->next += CHUNK;
	return 1;
}

static void
wait_here(struct pool *p)
{
	p->waiting++;
	pthread_cond_wait(&p->cv, &p->mu);
	p->waiting--;
}

static void
wake(struct pool *p)
{
	if (p->waiting)
		pthread_cond_broadcast(&p->cv);
}

/* With p->mu held, which is released while the work runs. */
static void
run_chunk(struct pool *p, int worker, size_t first)
{
	size_t i, end = first + CHUNK < p->n ? first + CHUNK : p->n;

	pthread_mutex_unlock(&p->mu);
	for (i = first; i < end; i++)
		p->work(p->arg, worker, i);
	pthread_mutex_lock(&p->mu);
	p->ready[first / CHUNK % CHUNKS] = 1;
	wake(p);
}

static void *
worker_main(void *v)
{
	struct worker *w = v;
	struct pool *p = w->p;
	size_t first;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (claim(p, &first))
			run_chunk(p, w->id, first);
		else if (p->stop || p->next >= p->n)
			break;
		else
			wait_here(p);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

int
ps_pool_run(size_t n, int threads, void (*work)(void *, int, size_t),
    int (*done)(void *, size_t), void *arg)
{
	pthread_t tid[MAX_THREADS];
	struct worker w[MAX_THREADS];
	struct pool p;
	size_t i, first;
	int k, started = 0, rc = 0;

	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (threads <= 1 || n <= CHUNK) {
		for (i = 0; i < n && rc == 0; i++) {
			work(arg, 0, i);
			rc = done(arg, i);
		}
		return rc;
	}
	memset(&p, 0, sizeof(p));
	p.n = n;
	p.work = work;
	p.arg = arg;
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.cv, NULL);
	for (k = 1; k < threads; k++) {
		w[started].p = &p;
		w[started].id = k;
		if (pthread_create(&tid[started], NULL, worker_main,
		    &w[started]) != 0)
			break;	/* fewer threads, still right */
		started++;
	}
	pthread_mutex_lock(&p.mu);
	for (i = 0; i < n && rc == 0; i++) {
		if (i % CHUNK == 0) {
			/* this chunk done, by us if need be */
			while (!p.ready[i / CHUNK % CHUNKS]) {
				if (claim(&p, &first))
					run_chunk(&p, 0, first);
				else
					wait_here(&p);
			}
			p.ready[i / CHUNK % CHUNKS] = 0;
		}
		pthread_mutex_unlock(&p.mu);
		rc = done(arg, i);
		pthread_mutex_lock(&p.mu);
		p.consumed = i + 1;
		if (p.consumed % CHUNK == 0)
			wake(&p);	/* room for a chunk more */
	}
	p.stop = 1;
	pthread_cond_broadcast(&p.cv);
	pthread_mutex_unlock(&p.mu);
	for (k = 0; k < started; k++)
		pthread_join(tid[k], NULL);
	pthread_cond_destroy(&p.cv);
	pthread_mutex_destroy(&p.mu);
	return rc;
}
