/* assign: exact maximum-score assignment with capacities; see assign.h. */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/assign.h"

#define NONE	UINT32_MAX	/* no edge, no volunteer, no heap place */
#define UNIT	1000000.0	/* scores are held in millionths */
#define RESORT	16		/* see settle_left() */
#define RUN	8		/* see arc_sort() */

/* A pair as given, its score in millionths (always positive). */
struct pair {
	uint32_t	 l, r;
	int64_t		 w;
};

/* An edge of the solver's, to sort a left's by. */
struct arc {
	int64_t		 key, w;
	uint32_t	 col;
};

struct ps_assign {
	size_t		 n, m;
	int		*cap;
	struct pair	*pairs;
	size_t		 npairs, pairscap;
	uint32_t	*match;		/* volunteer of each participant */
	int64_t		 total;
};

/*
 * The working state of one solve. The network is source -> participant
 * (capacity 1) -> volunteer (capacity 1, cost -score) -> sink (capacity
 * cap), and participant -> sink (cost 0) for staying unmatched. Costs are
 * taken relative to potentials pl/pr/pt, which keep every residual arc's
 * reduced cost non-negative, so that Dijkstra finds shortest paths.
 */
struct solver {
	uint32_t	 n, m;
	uint32_t	*off;		/* edges of left i: off[i]..off[i+1] */
	uint32_t	*col;		/* their volunteers */
	int64_t		*w;		/* their scores */
	int64_t		*key;		/* see settle_left() */
	unsigned char	*keyed;		/* the left's edges are in key order */
	struct arc	*tmp;		/* room to sort a left's edges */
	int64_t		*pl, *pr, pt;	/* potentials: left, right, sink */
	uint32_t	*cap;		/* places: min(capacity, edges in) */
	uint32_t	*soff;		/* places of right j: soff[j]... */
	uint32_t	*load;		/* ...of which load[j] are taken */
	uint32_t	*slot;		/* by these participants */
	uint32_t	*spos;		/* the place of each participant */
	uint32_t	*medge;		/* the edge each participant is on */

	/* One search: the heap holds rights; lefts follow their right. */
	int64_t		*dist;		/* of right j from the new left */
	uint32_t	*predl;		/* the left j was reached from */
	uint32_t	*prede;		/* by this edge */
	uint32_t	*stamp;		/* dist/pred/hpos valid if == now */
	uint32_t	 now;
	uint32_t	*heap, *hpos;
	size_t		 nheap;
	uint32_t	*doner, *donel;	/* settled rights and lefts */
	size_t		 ndoner, ndonel;
	int64_t		 dt;		/* best distance to the sink so far */
	uint32_t	 tright;	/* via a free place of this right */
	uint32_t	 tleft;		/* else: this left goes unmatched */
};

struct ps_assign *
ps_assign_new(size_t n_left, size_t n_right)
{
	struct ps_assign *a;
	size_t i;

	if (n_left > PS_ASSIGN_SIZE_MAX || n_right > PS_ASSIGN_SIZE_MAX) {
		errno = EINVAL;
		return NULL;
	}
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return NULL;
	a->n = n_left;
	a->m = n_right;
	a->cap = malloc((n_right ? n_right : 1) * sizeof(*a->cap));
	a->match = malloc((n_left ? n_left : 1) * sizeof(*a->match));
	if (a->cap == NULL || a->match == NULL) {
		ps_assign_free(a);
		errno = ENOMEM;
		return NULL;
	}
	for (i = 0; i < n_right; i++)
		a->cap[i] = 1;
	for (i = 0; i < n_left; i++)
		a->match[i] = NONE;
	return a;
}

void
ps_assign_free(struct ps_assign *a)
{
	if (a == NULL)
		return;
	free(a->cap);
	free(a->pairs);
	free(a->match);
	free(a);
}

int
ps_assign_capacity(struct ps_assign *a, size_t right, int cap)
{
	if (right >= a->m || cap < 0) {
		errno = EINVAL;
		return -1;
	}
	a->cap[right] = cap;
	return 0;
}

/*
 * Scores are rounded to the nearest millionth by hand (no libm). A pair
 * that rounds to nothing or less is checked, then dropped: it would never
 * be used.
 */
int
ps_assign_edge(struct ps_assign *a, size_t left, size_t right, double score)
{
	struct pair *p;
	size_t cap;
	int64_t w;

	if (left >= a->n || right >= a->m || isnan(score) ||
	    score > PS_ASSIGN_SCORE_MAX) {
		errno = EINVAL;
		return -1;
	}
	if (score <= 0 || (w = (int64_t)(score * UNIT + 0.5)) <= 0)
		return 0;
	if (a->npairs == a->pairscap) {
		cap = a->pairscap ? a->pairscap * 2 : 1024;
		if (cap >= NONE) {
			errno = ENOMEM;
			return -1;
		}
		if ((p = realloc(a->pairs, cap * sizeof(*p))) == NULL)
			return -1;
		a->pairs = p;
		a->pairscap = cap;
	}
	p = &a->pairs[a->npairs++];
	p->l = (uint32_t)left;
	p->r = (uint32_t)right;
	p->w = w;
	return 0;
}

static void
solver_release(struct solver *s)
{
	free(s->off);
	free(s->col);
	free(s->w);
	free(s->key);
	free(s->keyed);
	free(s->tmp);
	free(s->pl);
	free(s->pr);
	free(s->cap);
	free(s->soff);
	free(s->load);
	free(s->slot);
	free(s->spos);
	free(s->medge);
	free(s->dist);
	free(s->predl);
	free(s->prede);
	free(s->stamp);
	free(s->heap);
	free(s->hpos);
	free(s->doner);
	free(s->donel);
}

static void *
alloc(size_t n, size_t size)
{
	return calloc(n ? n : 1, size);
}

/* Larger key first, then the lower volunteer index. */
static int
arc_before(const struct arc *a, const struct arc *b)
{
	return a->key > b->key || (a->key == b->key && a->col < b->col);
}

/*
 * Sort v[0..n) by arc_before(), with room for n more in buf: runs of
 * RUN by insertion, then merged pairwise (qsort() through a function
 * pointer took three times as long).
 */
static void
arc_sort(struct arc *v, struct arc *buf, uint32_t n)
{
	struct arc x, *from = v, *to = buf, *t;
	uint32_t lo, k, m, a, b, hi, width;

	for (lo = 0; lo < n; lo += RUN) {
		hi = lo + RUN < n ? lo + RUN : n;
		for (k = lo + 1; k < hi; k++) {
			x = v[k];
			for (m = k; m > lo && arc_before(&x, &v[m - 1]); m--)
				v[m] = v[m - 1];
			v[m] = x;
		}
	}
	for (width = RUN; width < n; width *= 2) {
		for (lo = 0; lo < n; lo += 2 * width) {
			a = lo;
			b = m = lo + width < n ? lo + width : n;
			hi = lo + 2 * width < n ? lo + 2 * width : n;
			for (k = lo; k < hi; k++)
				to[k] = b >= hi || (a < m &&
				    !arc_before(&from[b], &from[a])) ?
				    from[a++] : from[b++];
		}
		t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof(*v));
}

/*
 * Put left i's edges in order of key, the largest first (see
 * settle_left()): the first n of them get as key their score + volunteer
 * potential as they are now, are sorted, and are merged back among the
 * rest, whose older keys are still bounds. The order of a left's edges
 * changes nothing but the time a search takes; the edge i is on, and
 * those by which the search under way reached volunteers, are found
 * again at their new places.
 */
static void
rekey(struct solver *s, uint32_t i, uint32_t n)
{
	uint32_t lo = s->off[i], end = s->off[i + 1], at = lo, k = 0, e, j;
	uint32_t on = s->medge[i] == NONE ? NONE : s->col[s->medge[i]];
	struct arc *t = s->tmp;

	for (k = 0; k < n; k++) {
		t[k].col = s->col[lo + k];
		t[k].w = s->w[lo + k];
		t[k].key = t[k].w + s->pr[t[k].col];
	}
	arc_sort(t, t + n, n);
	for (k = 0, e = lo + n; k < n; at++) {
		if (e < end && arc_before(&(struct arc){ s->key[e], s->w[e],
		    s->col[e] }, &t[k])) {
			s->col[at] = s->col[e];
			s->w[at] = s->w[e];
			s->key[at] = s->key[e++];
		} else {
			s->col[at] = t[k].col;
			s->w[at] = t[k].w;
			s->key[at] = t[k++].key;
		}
		j = s->col[at];
		if (j == on)
			s->medge[i] = at;
		if (s->stamp[j] == s->now && s->predl[j] == i)
			s->prede[j] = at;
	}
}

/*
 * The edges in CSR form, each participant's sorted by volunteer: a
 * counting sort by volunteer, then a stable one by participant, so the
 * order of the calls does not matter. Duplicates keep the higher score;
 * edges to volunteers with no capacity go. Then the places, and the
 * starting potentials: the network is a DAG, so a participant gets 0, a
 * volunteer the least cost into it and the sink the least of all.
 */
static int
solver_build(struct solver *s, const struct ps_assign *a)
{
	uint32_t *perm = NULL, *cnt = NULL, i, j, k, e, end, most = 0;
	size_t p, np = a->npairs;
	int64_t top = 0;
	int rc = -1;

	s->n = (uint32_t)a->n;
	s->m = (uint32_t)a->m;
	if ((s->off = alloc(s->n + 1, sizeof(*s->off))) == NULL ||
	    (s->col = alloc(np, sizeof(*s->col))) == NULL ||
	    (s->w = alloc(np, sizeof(*s->w))) == NULL ||
	    (perm = alloc(np, sizeof(*perm))) == NULL ||
	    (cnt = alloc((s->n > s->m ? s->n : s->m) + 1, sizeof(*cnt))) ==
	    NULL)
		goto done;

	for (p = 0; p < np; p++)
		cnt[a->pairs[p].r + 1]++;
	for (j = 0; j < s->m; j++)
		cnt[j + 1] += cnt[j];
	for (p = 0; p < np; p++)
		perm[cnt[a->pairs[p].r]++] = (uint32_t)p;

	for (p = 0; p < np; p++)
		s->off[a->pairs[p].l + 1]++;
	for (i = 0; i < s->n; i++)
		s->off[i + 1] += s->off[i];
	memcpy(cnt, s->off, s->n * sizeof(*cnt));
	for (p = 0; p < np; p++) {
		const struct pair *q = &a->pairs[perm[p]];

		k = cnt[q->l]++;
		s->col[k] = q->r;
		s->w[k] = q->w;
	}

	for (i = 0, k = 0; i < s->n; i++) {
		e = s->off[i];
		end = s->off[i + 1];
		s->off[i] = k;
		for (; e < end; e++) {
			if (a->cap[s->col[e]] == 0)
				continue;
			if (k > s->off[i] && s->col[k - 1] == s->col[e]) {
				if (s->w[e] > s->w[k - 1])
					s->w[k - 1] = s->w[e];
				continue;
			}
			s->col[k] = s->col[e];
			s->w[k++] = s->w[e];
		}
	}
	s->off[s->n] = k;
	for (i = 0; i < s->n; i++)
		if (s->off[i + 1] - s->off[i] > most)
			most = s->off[i + 1] - s->off[i];

	if ((s->pl = alloc(s->n, sizeof(*s->pl))) == NULL ||
	    (s->pr = alloc(s->m, sizeof(*s->pr))) == NULL ||
	    (s->cap = alloc(s->m, sizeof(*s->cap))) == NULL ||
	    (s->soff = alloc(s->m + 1, sizeof(*s->soff))) == NULL ||
	    (s->load = alloc(s->m, sizeof(*s->load))) == NULL ||
	    (s->key = alloc(k, sizeof(*s->key))) == NULL ||
	    (s->keyed = alloc(s->n, sizeof(*s->keyed))) == NULL ||
	    (s->tmp = alloc(2 * (size_t)most, sizeof(*s->tmp))) == NULL ||
	    (s->slot = alloc(k, sizeof(*s->slot))) == NULL ||
	    (s->spos = alloc(s->n, sizeof(*s->spos))) == NULL ||
	    (s->medge = alloc(s->n, sizeof(*s->medge))) == NULL ||
	    (s->dist = alloc(s->m, sizeof(*s->dist))) == NULL ||
	    (s->predl = alloc(s->m, sizeof(*s->predl))) == NULL ||
	    (s->prede = alloc(s->m, sizeof(*s->prede))) == NULL ||
	    (s->stamp = alloc(s->m, sizeof(*s->stamp))) == NULL ||
	    (s->heap = alloc(s->m, sizeof(*s->heap))) == NULL ||
	    (s->hpos = alloc(s->m, sizeof(*s->hpos))) == NULL ||
	    (s->doner = alloc(s->m, sizeof(*s->doner))) == NULL ||
	    (s->donel = alloc(s->n, sizeof(*s->donel))) == NULL)
		goto done;

	for (e = 0; e < k; e++) {
		j = s->col[e];
		s->cap[j]++;
		if (-s->w[e] < s->pr[j])
			s->pr[j] = -s->w[e];
		if (s->w[e] > top)
			top = s->w[e];
	}
	s->pt = -top;
	for (j = 0; j < s->m; j++) {
		if ((int)s->cap[j] > a->cap[j])
			s->cap[j] = (uint32_t)a->cap[j];
		s->soff[j + 1] = s->soff[j] + s->cap[j];
	}
	for (i = 0; i < s->n; i++)
		s->medge[i] = NONE;
	rc = 0;
done:
	free(perm);
	free(cnt);
	return rc;
}

/* Heap order: nearer first, then the lower volunteer index. */
static int
before(const struct solver *s, uint32_t a, uint32_t b)
{
	return s->dist[a] < s->dist[b] ||
	    (s->dist[a] == s->dist[b] && a < b);
}

static void
heap_up(struct solver *s, size_t k)
{
	uint32_t j = s->heap[k];
	size_t up;

	while (k > 0) {
		up = (k - 1) / 2;
		if (!before(s, j, s->heap[up]))
			break;
		s->heap[k] = s->heap[up];
		s->hpos[s->heap[k]] = (uint32_t)k;
		k = up;
	}
	s->heap[k] = j;
	s->hpos[j] = (uint32_t)k;
}

static uint32_t
heap_pop(struct solver *s)
{
	uint32_t top = s->heap[0], j;
	size_t k = 0, c;

	j = s->heap[--s->nheap];
	while ((c = 2 * k + 1) < s->nheap) {
		if (c + 1 < s->nheap && before(s, s->heap[c + 1], s->heap[c]))
			c++;
		if (!before(s, s->heap[c], j))
			break;
		s->heap[k] = s->heap[c];
		s->hpos[s->heap[k]] = (uint32_t)k;
		k = c;
	}
	if (s->nheap > 0) {
		s->heap[k] = j;
		s->hpos[j] = (uint32_t)k;
	}
	s->hpos[top] = NONE;
	return top;
}

/* Right j is reached from left i by edge e at distance nd. */
static void
reach_right(struct solver *s, uint32_t j, uint32_t i, uint32_t e, int64_t nd)
{
	if (s->stamp[j] != s->now) {
		s->stamp[j] = s->now;
		s->heap[s->nheap] = j;
		s->dist[j] = nd;
		s->predl[j] = i;
		s->prede[j] = e;
		heap_up(s, s->nheap++);
	} else if (s->hpos[j] != NONE && nd < s->dist[j]) {
		s->dist[j] = nd;
		s->predl[j] = i;
		s->prede[j] = e;
		heap_up(s, s->hpos[j]);
	}
}

/*
 * Left i is settled at distance d: relax its way to staying unmatched
 * and its edges. A volunteer no nearer than the sink already is cannot
 * be on a shorter path and is left out of the heap. The edge i is on
 * needs no exception: it leads back to the volunteer i was reached
 * from, settled already.
 *
 * Most edges lead nowhere nearer than the sink. An edge's key is its
 * score + volunteer potential when the left's edges were last put in
 * order; potentials only come down since, so the edge leads no nearer
 * than base - key, and once that is no nearer than the sink, the edges
 * after it are not either: the scan stops there. A left is put in order
 * when first settled on an edge (a participant that stays unmatched is
 * settled once, as the root of its own search, and never sorted); its
 * keys are made anew when they have drifted so far from the potentials
 * that more of the edges looked at were in vain than not (and more than
 * RESORT).
 */
static void
settle_left(struct solver *s, uint32_t i, int64_t d)
{
	const uint32_t *col = s->col;
	const int64_t *w = s->w, *key = s->key, *pr = s->pr;
	uint32_t e, j, end = s->off[i + 1], vain = 0;
	int64_t nd, dt, base = d + s->pl[i];
	int keyed;

	s->donel[s->ndonel++] = i;
	if (base - s->pt < s->dt) {
		s->dt = base - s->pt;
		s->tright = NONE;
		s->tleft = i;
	}
	dt = s->dt;
	if (!s->keyed[i] && s->medge[i] != NONE) {
		rekey(s, i, end - s->off[i]);
		s->keyed[i] = 1;
	}
	keyed = s->keyed[i];
	for (e = s->off[i]; e < end && (!keyed || base - key[e] < dt); e++) {
		j = col[e];
		if ((nd = base - w[e] - pr[j]) < dt)
			reach_right(s, j, i, e, nd);
		else
			vain++;
	}
	if (keyed && vain > RESORT && vain > e - s->off[i] - vain)
		rekey(s, i, e - s->off[i]);
}

/*
 * Move the participants along the path found: the sink was reached from
 * a right with a free place, or from a left that now goes unmatched;
 * each left on the path takes the place of the one it displaces.
 */
static void
augment(struct solver *s)
{
	uint32_t i, j, e, pos, old, oldpos;

	if (s->tright != NONE) {
		j = s->tright;
		pos = s->soff[j] + s->load[j]++;
	} else {
		i = s->tleft;
		if ((e = s->medge[i]) == NONE)
			return;
		j = s->col[e];
		pos = s->spos[i];
		s->medge[i] = NONE;
	}
	for (;;) {
		i = s->predl[j];
		old = s->medge[i];
		oldpos = s->spos[i];
		s->slot[pos] = i;
		s->spos[i] = pos;
		s->medge[i] = s->prede[j];
		if (old == NONE)
			break;
		j = s->col[old];
		pos = oldpos;
	}
}

/*
 * Place participant r: Dijkstra from r over the residual network with
 * reduced costs, until the sink is nearer than anything left in the
 * heap. A left is reached only through the volunteer it is on, at no
 * reduced cost, so lefts are settled with their volunteer. Then the
 * potentials of the settled nodes come down by how much nearer than
 * the sink they are, which keeps every reduced cost non-negative and
 * makes the path found tight, and the path is augmented.
 */
static void
place(struct solver *s, uint32_t r)
{
	uint32_t i, j, k;
	size_t x;
	int64_t d;

	s->now++;
	s->nheap = s->ndoner = s->ndonel = 0;
	s->dt = INT64_MAX;
	settle_left(s, r, 0);
	while (s->nheap > 0 && s->dist[s->heap[0]] < s->dt) {
		j = heap_pop(s);
		s->doner[s->ndoner++] = j;
		d = s->dist[j];
		if (s->load[j] < s->cap[j] && d + s->pr[j] - s->pt < s->dt) {
			s->dt = d + s->pr[j] - s->pt;
			s->tright = j;
		}
		for (k = s->soff[j]; k < s->soff[j] + s->load[j]; k++)
			settle_left(s, s->slot[k], d);
	}
	for (x = 0; x < s->ndoner; x++) {
		j = s->doner[x];
		s->pr[j] -= s->dt - s->dist[j];
	}
	for (x = 0; x < s->ndonel; x++) {
		i = s->donel[x];
		d = i == r ? 0 : s->dist[s->col[s->medge[i]]];
		s->pl[i] -= s->dt - d;
	}
	augment(s);
}

int
ps_assign_solve(struct ps_assign *a)
{
	struct solver s;
	uint32_t i;
	int64_t total = 0;
	int rc = -1;

	memset(&s, 0, sizeof(s));
	if (solver_build(&s, a) == -1) {
		errno = ENOMEM;
		goto done;
	}
	for (i = 0; i < s.n; i++)
		place(&s, i);
	for (i = 0; i < s.n; i++) {
		if (s.medge[i] == NONE) {
			a->match[i] = NONE;
		} else {
			a->match[i] = s.col[s.medge[i]];
			total += s.w[s.medge[i]];
		}
	}
	a->total = total;
	rc = 0;
done:
	solver_release(&s);
	return rc;
}

long
ps_assign_left(const struct ps_assign *a, size_t left)
{
	if (left >= a->n || a->match[left] == NONE)
		return -1;
	return (long)a->match[left];
}

double
ps_assign_total(const struct ps_assign *a)
{
	return (double)a->total / UNIT;
}
