/* suppress: small-cell suppression over counts tied by sums; see suppress.h. */
#include <stdlib.h>
#include <string.h>

#include "rules/suppress.h"

#define BIG	(1L << 40)	/* no count is this large */

static int
small(long v, long thr)
{
	return v > 0 && v < thr;
}

static int
adds_up(const long *v, const struct ps_suppress_line *l)
{
	long sum = 0;
	size_t j;

	for (j = 0; j + 1 < l->n; j++)
		sum += v[l->cell[j]];
	return l->n >= 2 && sum == v[l->cell[l->n - 1]];
}

/* Narrow the bounds of a line's counts by its sum; 1 if any moved. */
static int
narrow(const struct ps_suppress_line *l, long *lo, long *hi)
{
	size_t k = l->cell[l->n - 1], j, q;
	long slo = 0, shi = 0;
	int moved = 0;

	for (j = 0; j + 1 < l->n; j++) {
		slo += lo[l->cell[j]];
		shi += hi[l->cell[j]];
	}
	for (j = 0; j + 1 < l->n; j++) {	/* a part: the total less the rest */
		q = l->cell[j];
		if (lo[k] - (shi - hi[q]) > lo[q]) {
			lo[q] = lo[k] - (shi - hi[q]);
			moved = 1;
		}
		if (hi[k] - (slo - lo[q]) < hi[q]) {
			hi[q] = hi[k] - (slo - lo[q]);
			moved = 1;
		}
	}
	if (slo > lo[k]) {	/* the total: the parts added up */
		lo[k] = slo;
		moved = 1;
	}
	if (shi < hi[k]) {
		hi[k] = shi;
		moved = 1;
	}
	return moved;
}

/*
 * A 0 hidden as <N: on its lines, no <N is known to be 1 or more (the
 * reader finds the 1s would add up to too much), so each is 0 to N - 1.
 */
static void
loosen(const long *v, const struct ps_suppress_line *l, size_t nl,
    const unsigned char *mark, long *lo)
{
	size_t i, j;
	int zero;

	for (i = 0; i < nl; i++) {
		for (zero = 0, j = 0; j < l[i].n; j++)
			zero |= mark[l[i].cell[j]] == PS_SMALL &&
			    v[l[i].cell[j]] == 0;
		for (j = 0; zero && j < l[i].n; j++)
			if (mark[l[i].cell[j]] == PS_SMALL)
				lo[l[i].cell[j]] = 0;
	}
}

size_t
ps_suppress_pinned(const long *v, size_t n, const struct ps_suppress_line *l,
    size_t nl, long thr, const unsigned char *mark)
{
	long *lo = calloc(n + 1, sizeof(*lo)), *hi = calloc(n + 1, sizeof(*hi));
	size_t i, found = (size_t)-1;
	int again = 1, rounds = 0;

	if (lo == NULL || hi == NULL) {
		found = (size_t)-2;
		goto done;
	}
	for (i = 0; i < n; i++) {
		lo[i] = hi[i] = v[i];
		if (mark[i] == PS_SMALL) {
			lo[i] = 1;
			hi[i] = thr - 1;
		} else if (mark[i] == PS_HIDDEN) {
			lo[i] = thr;
			hi[i] = BIG;
		}
	}
	loosen(v, l, nl, mark, lo);
	while (again && rounds++ < 1000)
		for (again = 0, i = 0; i < nl; i++)
			if (adds_up(v, &l[i]))
				again |= narrow(&l[i], lo, hi);
	for (i = 0; i < n && found == (size_t)-1; i++)
		if (mark[i] == PS_SMALL && v[i] > 0 && lo[i] == hi[i])
			found = i;
done:
	free(lo);
	free(hi);
	return found;
}

/* Complementary suppression: a line with one hidden count alone hides
   its smallest other count above zero. 1 if one was hidden. */
static int
complement(const long *v, const struct ps_suppress_line *l, size_t nl,
    unsigned char *mark)
{
	size_t i, j, q, hidden, best;
	int again = 0;

	for (i = 0; i < nl; i++) {
		if (!adds_up(v, &l[i]))
			continue;
		for (hidden = 0, best = (size_t)-1, j = 0; j < l[i].n; j++) {
			q = l[i].cell[j];
			if (mark[q])
				hidden++;
			else if (v[q] > 0 && (best == (size_t)-1 ||
			    v[q] < v[best]))
				best = q;
		}
		if (hidden == 1 && best != (size_t)-1) {
			mark[best] = PS_HIDDEN;
			again = 1;
		}
	}
	return again;
}

/*
 * The next count, by value then place, after (above, pick) that may be
 * hidden to protect another: shown, above zero (or, with zeros, a 0), on
 * a line that holds a hidden count. (size_t)-1 when there is none.
 */
static size_t
next_candidate(const long *v, const struct ps_suppress_line *l, size_t nl,
    const unsigned char *mark, long above, size_t pick, int zeros)
{
	size_t i, j, q, best = (size_t)-1;
	int hidden;

	for (i = 0; i < nl; i++) {
		if (!adds_up(v, &l[i]))
			continue;
		for (hidden = 0, j = 0; j < l[i].n; j++)
			hidden |= mark[l[i].cell[j]] != PS_SHOWN;
		for (j = 0; hidden && j < l[i].n; j++) {
			q = l[i].cell[j];
			if (mark[q] || (zeros ? v[q] != 0 : v[q] <= 0) ||
			    v[q] < above || (v[q] == above &&
			    pick != (size_t)-1 && q <= pick))
				continue;
			if (best == (size_t)-1 || v[q] < v[best] ||
			    (v[q] == v[best] && q < best))
				best = q;
		}
	}
	return best;
}

/*
 * A small count is pinned: hide one more count that may be hidden, the
 * first by value whose hiding leaves no count pinned, else the smallest.
 * Where there is none, the lines through the hidden counts hold only
 * those and zeros, and their number alone can pin them (four <5 that
 * make a <5 are 1 each): a 0 of theirs is hidden, as <N, the first that
 * frees every count, else the first. 1 when one was hidden, 0 when none
 * may be, -1 out of memory.
 */
static int
protect(const long *v, size_t n, const struct ps_suppress_line *l, size_t nl,
    long thr, unsigned char *mark)
{
	size_t q, first, pick, p;
	unsigned char as;
	long above;
	int zeros;

	for (zeros = 0; zeros < 2; zeros++) {
		as = zeros ? PS_SMALL : PS_HIDDEN;
		first = (size_t)-1;
		for (above = 0, pick = (size_t)-1; (q = next_candidate(v, l,
		    nl, mark, above, pick, zeros)) != (size_t)-1;
		    above = v[q], pick = q) {
			if (first == (size_t)-1)
				first = q;
			mark[q] = as;
			p = ps_suppress_pinned(v, n, l, nl, thr, mark);
			if (p == (size_t)-2)
				return -1;
			if (p == (size_t)-1)
				return 1;
			mark[q] = PS_SHOWN;
		}
		if (first != (size_t)-1) {
			mark[first] = as;
			return 1;
		}
	}
	return 0;
}

int
ps_suppress(const long *v, size_t n, const struct ps_suppress_line *l,
    size_t nl, long thr, unsigned char *mark)
{
	size_t i, p;
	int again = 1;

	for (i = 0; i < n; i++)
		mark[i] = small(v[i], thr) ? PS_SMALL : PS_SHOWN;
	while (again) {
		while (complement(v, l, nl, mark))
			;
		if ((p = ps_suppress_pinned(v, n, l, nl, thr, mark)) ==
		    (size_t)-1)
			break;
		if (p == (size_t)-2 || (again = protect(v, n, l, nl, thr,
		    mark)) == -1)
			return -1;
	}
	return 0;
}
