/* pool: an ordered parallel loop; see pool.h. */
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pool.h"

#define MAX_THREADS	64

struct pool {
	pthread_mutex_t	  mu;
	pthread_cond_t	  cv;
	size_t		  n;
	size_t		  next;		/* the next item to claim */
	size_t		  consumed;	/* items done() has seen */
	int		  stop;
	unsigned char	  ready[PS_POOL_AHEAD];
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

/* With p->mu held: the next item this worker may take, if any. */
static int
claim(struct pool *p, size_t *i)
{
	if (p->stop || p->next >= p->n ||
	    p->next >= p->consumed + PS_POOL_AHEAD)
		return 0;
	*i = p->next++;
	return 1;
}

/* With p->mu held, which is released while the work runs. */
static void
run_one(struct pool *p, int worker, size_t i)
{
	pthread_mutex_unlock(&p->mu);
	p->work(p->arg, worker, i);
	pthread_mutex_lock(&p->mu);
	p->ready[i % PS_POOL_AHEAD] = 1;
	pthread_cond_broadcast(&p->cv);
}

static void *
worker_main(void *v)
{
	struct worker *w = v;
	struct pool *p = w->p;
	size_t i;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (claim(p, &i))
			run_one(p, w->id, i);
		else if (p->stop || p->next >= p->n)
			break;
		else
			pthread_cond_wait(&p->cv, &p->mu);
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
	size_t i, j;
	int k, started = 0, rc = 0;

	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if (threads <= 1 || n < 2) {
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
		while (!p.ready[i % PS_POOL_AHEAD]) {
			if (claim(&p, &j))
				run_one(&p, 0, j);
			else
				pthread_cond_wait(&p.cv, &p.mu);
		}
		p.ready[i % PS_POOL_AHEAD] = 0;
		pthread_mutex_unlock(&p.mu);
		rc = done(arg, i);
		pthread_mutex_lock(&p.mu);
		p.consumed = i + 1;
		pthread_cond_broadcast(&p.cv);
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
