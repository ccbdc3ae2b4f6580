/*
 * plan: the matching plan — who the matcher takes, and who it would pair
 * with whom. A world is the programme's rules (rules/match.h) and the
 * people they apply to, read once: participants waiting for a match
 * whose onboarding is done and who hold no open match, volunteers free
 * to take one (rules/status.h), and the pairs set aside (declined, or
 * ended early). A plan is made over a world: OneCall callbacks first,
 * each to the free volunteer with the fewest recent callbacks, then the
 * global optimum of rules/assign.h over the ongoing streams. Whoever it
 * leaves out gets a reason, which is also what to recruit for.
 *
 * ps-match (ops/matchop.c) makes its proposals from a plan of the store's
 * work tree; ps-report its recruiting gaps from a plan of the records of
 * a past commit (ps_plan_gaps, with records from a source of its own).
 *
 * Calling sequence: ps_plan_world_load(&w, ...); ps_plan_make(&w, &pl);
 * read pl.vol (the volunteer index of each participant, or -1);
 * ps_plan_release(&pl); ps_plan_world_release(&w). A world owns the
 * records it keeps; a person (struct ps_match_person) borrows from it.
 * Errors: 0, or the status of the diagnostics added.
 */
#ifndef PS_PLAN_H
#define PS_PLAN_H

#include <stddef.h>

#include <git2.h>

#include "util/diag.h"
#include "util/id.h"
#include "model/ids.h"
#include "model/node.h"
#include "store/store.h"
#include "rules/match.h"

/* A sorted list of IDs, with repeats (open matches per volunteer). */
struct ps_plan_ids {
	char	(*v)[PS_ID_LEN + 1];
	size_t	 n, cap;
};

/* Everything a matching decision needs, read once. */
struct ps_plan_world {
	struct ps_store		*s;
	const struct ps_node	*prog;
	struct ps_node		*matching;	/* --weights, or NULL */
	const char		*weights;	/* its file name */
	struct ps_match_ctx	*ctx;
	char			 now[26];
	long			 today;
	const char		*stream;
	const struct ps_ids	*only;
	struct ps_plan_ids	 open;		/* volunteer per open match */
	struct ps_plan_ids	 recent;	/* volunteer per recent callback */
	struct ps_plan_ids	 busy;		/* participant per open match */
	struct ps_node		**own;		/* records kept */
	size_t			 nown, capown;
	int			 take;		/* ...taken from the source's */
	struct ps_match_person	*p, *v;
	size_t			 np, nv, capp, capv;
	int			*left;		/* capacity left, by volunteer */
	char			 head[GIT_OID_HEXSZ + 1];
};

/* The result of a run: pairs by participant, -1 when none. */
struct ps_plan {
	long	*vol;		/* by participant index */
	int	 callbacks, proposals;
};

/* Records of a kind, from wherever the caller keeps them. */
typedef int (*ps_plan_source)(void *src, const char *kind, ps_store_fn,
    void *arg, struct ps_diags *);

/*
 * A world of the store's work tree, now: only these participants when
 * only->n > 0, one stream's when stream is set, the matching rules of
 * the file weights when set (checked as program.yaml's). With people 0,
 * only the rules and the time: for an action on one match.
 */
int	 ps_plan_world_load(struct ps_plan_world *, struct ps_store *,
	    const struct ps_ids *only, const char *stream,
	    const char *weights, int people, struct ps_diags *);
void	 ps_plan_world_release(struct ps_plan_world *);
/* The participant or volunteer of this ID in a list of the world's. */
struct ps_match_person *ps_plan_find_person(struct ps_match_person *,
	    size_t n, const char *id);
/* How many open matches the participant of this ID holds. */
size_t	 ps_plan_busy(const struct ps_plan_world *, const char *id);

int	 ps_plan_make(struct ps_plan_world *, struct ps_plan *,
	    struct ps_diags *);
void	 ps_plan_release(struct ps_plan *);
/* Whether the plan leaves participant i out of a stream it matches. */
int	 ps_plan_left_out(const struct ps_plan_world *,
	    const struct ps_plan *, size_t i);
/* Why it did: "no free extended volunteer speaks their language (fr)". */
void	 ps_plan_why_unmatched(const struct ps_plan_world *,
	    const struct ps_match_person *, struct ps_buf *);
/* The reasons of every participant left out, sorted, so equal reasons
   are neighbours. Free with ps_strv_free(). */
int	 ps_plan_reasons(const struct ps_plan_world *, const struct ps_plan *,
	    char ***reasons, size_t *n, struct ps_diags *);
/*
 * Recruiting gaps from records read elsewhere (ps-report reads them from
 * a past commit), as of day today: ps_plan_reasons() of a plan over them.
 */
int	 ps_plan_gaps(struct ps_store *, const struct ps_node *prog,
	    long today, ps_plan_source, void *src, char ***reasons, size_t *n,
	    struct ps_diags *);

#endif
