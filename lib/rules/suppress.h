/*
 * suppress: small-cell suppression of counts tied together by sums, the
 * rule a report that leaves the programme is printed by (render.h).
 *
 * The counts are numbered 0..n-1: the cells of a report's tables and
 * the counts at the head of its sections. A line says that some of them
 * add up to another: a table's row or column and its total, a table's
 * grand total and the figure that repeats it, contacts and drop-in
 * visits that add up to the contacts by funder. Each count comes out
 * marked:
 *
 *   PS_SHOWN   printed as it is;
 *   PS_SMALL   1 to threshold - 1, printed as "<N"; or a 0 hidden with
 *              them, where the number of them alone would give them
 *              away (four <5 that add up to a <5 are 1 each);
 *   PS_HIDDEN  threshold or more, hidden only so that no small count
 *              can be worked out, printed as "x".
 *
 * What a reader can work out is taken to be what the bounds give: a
 * shown count exact, <N from 1 to N - 1, x from N up, and each line a
 * sum, narrowed line by line until nothing moves. No small count may be
 * left with one value. Counts are hidden to that end in two steps:
 * complementary suppression (a line with one hidden count alone hides
 * its smallest other count above zero, until no line has one), then,
 * while a small count is still pinned, one more count of a line that
 * holds a hidden one (the smallest that frees every count, else a 0
 * that does, else the smallest). On the lines of a 0 hidden as <N, a
 * reader no longer knows any <N to be 1 or more.
 *
 * A line whose counts do not add up (a figure that counts more than the
 * table beside it) says nothing true, and is passed over.
 */
#ifndef PS_SUPPRESS_H
#define PS_SUPPRESS_H

#include <stddef.h>

enum { PS_SHOWN = 0, PS_SMALL = 1, PS_HIDDEN = 3 };

struct ps_suppress_line {
	size_t	*cell;		/* the parts, then the total */
	size_t	 n;		/* parts and total: 2 or more */
};

/* Mark the n counts v, tied by the nl lines, with threshold thr (0 or 1:
   none hidden) into mark[0..n-1]. 0, or -1 out of memory. */
int	ps_suppress(const long *v, size_t n, const struct ps_suppress_line *l,
	    size_t nl, long thr, unsigned char *mark);
/* The first small count that the marks leave with one value, or
   (size_t)-1 when none is; (size_t)-2 out of memory. */
size_t	ps_suppress_pinned(const long *v, size_t n,
	    const struct ps_suppress_line *l, size_t nl, long thr,
	    const unsigned char *mark);

#endif
