/*
 * assign: the exact assignment behind ps-match. Participants (the left
 * side) each get at most one volunteer (the right side); volunteer j takes
 * at most its capacity; only the pairs given as edges are allowed. Among
 * all such assignments the one with the greatest total score is found —
 * the global optimum, not a greedy one. A participant may stay unmatched.
 * Fairness (no one waiting for ever) is the caller's: it adds a waiting
 * bonus into the scores; this module only maximises the sum.
 *
 * Calling sequence:
 *	a = ps_assign_new(n_participants, n_volunteers);
 *	ps_assign_capacity(a, j, cap);		(each volunteer; default 1)
 *	ps_assign_edge(a, i, j, score);		(each eligible pair)
 *	ps_assign_solve(a);
 *	ps_assign_left(a, i) for each participant, ps_assign_total(a);
 *	ps_assign_free(a);
 * More capacities and edges may be given after a solve, and solve called
 * again; it starts afresh from everything given so far.
 *
 * Scores are rounded to millionths and the problem is solved exactly in
 * those integer units, so there is no floating-point drift;
 * ps_assign_total() is the sum of the rounded scores of the pairs chosen.
 * A score must not be NaN nor above PS_ASSIGN_SCORE_MAX. A pair whose
 * score rounds to zero or less is never used: leaving the participant
 * unmatched is as good. A pair given twice keeps the higher score.
 *
 * Ties: the result depends only on what was given, never on the order of
 * the calls. Participants are placed in index order, each by a shortest
 * augmenting path (the lower volunteer index first among equals), and a
 * path is taken only when it strictly raises the total; so when a place
 * could go to either of two participants for the same total, the one
 * placed first keeps it.
 *
 * Method and cost: successive shortest augmenting paths (the Hungarian
 * method, one participant at a time) on the min-cost flow network, with
 * Dijkstra, a binary heap over the volunteers and Johnson potentials;
 * each search stops once the cheapest way to place the participant is
 * known, and looks at a participant's edges in order of score plus
 * volunteer potential only as far as one could still lead nearer.
 * Worst case O(n E log m) time for n participants, m volunteers and E
 * edges, but a search touches only the volunteers competed for: random
 * instances of 10,000 participants and 500,000 edges take 0.2 to 0.5 s,
 * ps-match's of 1.6 million edges about as long as LEMON's network
 * simplex on the same graph (tests/bench/assign-bench, lemon-peer).
 * Memory O(n + m + E): 16 bytes an edge given (up to 32 while that
 * array grows), and 28 more during a solve.
 *
 * Ownership: the caller owns the struct ps_assign and frees it with
 * ps_assign_free() (NULL is fine); nothing returned points into it.
 *
 * Errors: the int functions return 0, or -1 with errno set: ENOMEM when
 * memory ran out (the object is unchanged and may be used again), EINVAL
 * for an index out of range, a negative capacity or a bad score.
 * ps_assign_new() returns NULL with errno ENOMEM, or EINVAL when a side
 * is larger than PS_ASSIGN_SIZE_MAX.
 */
#ifndef PS_ASSIGN_H
#define PS_ASSIGN_H

#include <stddef.h>

#define PS_ASSIGN_SCORE_MAX	1e6		/* largest score accepted */
#define PS_ASSIGN_SIZE_MAX	(1UL << 22)	/* participants or volunteers */

struct ps_assign;

struct ps_assign	*ps_assign_new(size_t n_left, size_t n_right);
void			 ps_assign_free(struct ps_assign *);
/* Volunteer right takes at most cap participants (cap >= 0). */
int			 ps_assign_capacity(struct ps_assign *, size_t right,
			    int cap);
/* Participant left may go to volunteer right, for score. */
int			 ps_assign_edge(struct ps_assign *, size_t left,
			    size_t right, double score);
int			 ps_assign_solve(struct ps_assign *);
/* The volunteer participant left got in the last solve, or -1 if none. */
long			 ps_assign_left(const struct ps_assign *, size_t left);
/* The total score of the last solve (0 before any). */
double			 ps_assign_total(const struct ps_assign *);

#endif
