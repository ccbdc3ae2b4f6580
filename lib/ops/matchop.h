/*
 * matchop: what ps-match does to a store — proposals (a plan of
 * rules/plan.h: the global optimum of rules/assign over the pairs
 * rules/match allows), OneCall callback assignment, candidate lists and
 * a participant's choice, the brief a volunteer receives, the match
 * lifecycle (accept, decline, end, extend), overdue callbacks and
 * recruiting gaps.
 *
 * Who takes part: participants who applied, are onboarding or waiting,
 * whose stream's onboarding steps are done and who have no open match
 * (proposed, active or callback-open); volunteers who are active, whose
 * checks have not expired, who serve the stream and have capacity left
 * (capacity minus open matches). Pairs declined before, or ended early,
 * are never proposed again.
 *
 * Every change is one commit; proposals are printed and stored only with
 * commit set, and proposals read back from a pipe are checked again
 * against the store as it is now. Output: match records as a YAML record
 * stream, or with table a table of proposals (IDs, stream, score; never
 * personal data) and, for a choice and the lifecycle, a line for each
 * match written, its ID, kind and what changed ("M-8D1Q4R match:
 * accepted (P-7K3Q2X with V-3K2J9X)"; never a reason given in words);
 * except the candidate list (the x-public profile only) and the brief
 * (what the programme lets a volunteer see of the participant).
 *
 * Errors: 0, or the status of the diagnostics added; nothing is written
 * on error.
 * The store and the options are borrowed.
 */
#ifndef PS_MATCHOP_H
#define PS_MATCHOP_H

#include <stdio.h>

#include "util/str.h"
#include "model/ids.h"
#include "store/store.h"

enum ps_match_action {
	PS_MATCH_PROPOSE,	/* and OneCall assignment */
	PS_MATCH_COMMIT,	/* proposals from a pipe */
	PS_MATCH_GAPS,
	PS_MATCH_CANDIDATES,
	PS_MATCH_CHOOSE,
	PS_MATCH_BRIEF,
	PS_MATCH_ACCEPT,
	PS_MATCH_DECLINE,
	PS_MATCH_END,
	PS_MATCH_EXTEND,
	PS_MATCH_OVERDUE
};

struct ps_match_opts {
	enum ps_match_action	 action;
	const char		*stream;	/* NULL: every stream */
	const char		*weights;	/* file, or NULL */
	int			 commit;
	long			 k;		/* candidates */
	const char		*id;		/* the record acted on */
	const char		*volunteer;	/* --choose */
	const char		*by;		/* decline: who; else staff */
	const char		*reason;
	long			 days;		/* --extend */
	int			 table;		/* a table, or a line a match */
	const char		*author;
	int			 dry_run;
	int			 in_fd;		/* proposals to commit */
};

/* Proposals for the participants in only (all when only->n is 0). */
int	ps_matchop_run(struct ps_store *, const struct ps_ids *only,
	    const struct ps_match_opts *, FILE *out, struct ps_diags *);

#endif
