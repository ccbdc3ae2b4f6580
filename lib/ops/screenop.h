/*
 * screenop: what ps-screen does to a store — one step for one or many
 * records in one commit, decisions, leave, return and retirement, and the
 * pending, overdue and expiring lists. The rules themselves are in
 * screen.h; this module reads, checks, commits and prints.
 *
 * Every change is all or nothing: each record named is checked first,
 * every problem reported, and only then is anything written, in one
 * commit. Output: the changed records as a YAML record stream, or with
 * summary a line for each, its ID, kind and what changed ("V-3K2J9X
 * volunteer: interview pass, now screening"; never a note or a reason);
 * the lists print a table (IDs, steps, days; no personal data) or a
 * record stream.
 *
 * Ownership: the store and the options are borrowed. Errors: 0, or the
 * status of the diagnostics added (PS_REFUSED, PS_USAGE, PS_STORE);
 * nothing is written on error.
 */
#ifndef PS_SCREENOP_H
#define PS_SCREENOP_H

#include <stdio.h>

#include "model/ids.h"
#include "store/store.h"
#include "rules/screen.h"

enum ps_screen_action {
	PS_SCREEN_STEP,
	PS_SCREEN_ACCEPT,
	PS_SCREEN_DECLINE,
	PS_SCREEN_LEAVE,
	PS_SCREEN_RETURN,
	PS_SCREEN_RETIRE
};

struct ps_screen_opts {
	enum ps_screen_action	 action;
	struct ps_step_args	 step;	/* step, result, by, note, ... */
	const char		*date;	/* YYYY-MM-DD or NULL: today */
	const char		*reason;
	const char		*until;	/* leave */
	const char		*author;
	int			 dry_run;
	int			 summary;	/* a line per record */
};

enum ps_screenop_list { PS_LIST_PENDING, PS_LIST_OVERDUE, PS_LIST_EXPIRING };

int	ps_screenop_apply(struct ps_store *, const struct ps_ids *,
	    struct ps_screen_opts *, FILE *out, struct ps_diags *);
/* step: only this step (pending); days: the window (expiring). */
int	ps_screenop_list(struct ps_store *, enum ps_screenop_list, const char *step,
	    long days, int table, FILE *out, struct ps_diags *);

#endif
