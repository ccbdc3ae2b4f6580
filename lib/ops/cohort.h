/*
 * cohort: training cohorts with limited seats (program.yaml
 * volunteers.cohorts). A volunteer in screening is enrolled in a cohort:
 * given a seat while seats are left (screening.cohort), else put on the
 * cohort's waiting list (screening.waitlist, with the time), first come,
 * first served. Seats that free up (more seats, a move to another cohort,
 * a volunteer who left screening) go to the waiting list in order the next
 * time a command names the cohort.
 *
 * Calling sequence (ps-screen):
 *	ps_cohort_define(s, &o, out, &d)	add or change a cohort: one
 *						commit of program.yaml (and of
 *						the volunteers given a seat)
 *	ps_cohort_enrol(s, ids, &o, out, &d)	enrol volunteers: one commit
 *	ps_cohort_seated(s, name, &ids, &d)	who holds a seat, for a step
 *						taken by the whole cohort
 *	ps_cohort_list(s, table, out, &d)	the cohorts and their rosters
 *
 * The changed records are written to out as a YAML record stream, or
 * with summary a line for each ("V-3K2J9X volunteer: seated in cohort
 * spring"). Errors
 * as in diag.h: PS_REFUSED with a diagnostic naming the cohort or the
 * record, PS_STORE for the store; nothing is written on error.
 */
#ifndef PS_COHORT_H
#define PS_COHORT_H

#include <stdio.h>

#include "model/ids.h"
#include "store/store.h"

struct ps_cohort_opts {
	const char	*name;
	long		 seats;		/* define: 0 keeps the current */
	const char	*starts;	/* define: YYYY-MM-DD, NULL keeps */
	const char	*author;
	int		 dry_run;
	int		 summary;	/* a line per record, not the record */
};

/* The cohort named in program.yaml, or NULL. */
const struct ps_node *ps_cohort_find(const struct ps_node *prog,
	    const char *name);
int	ps_cohort_define(struct ps_store *, const struct ps_cohort_opts *,
	    FILE *out, struct ps_diags *);
int	ps_cohort_enrol(struct ps_store *, const struct ps_ids *,
	    const struct ps_cohort_opts *, FILE *out, struct ps_diags *);
/* Appends the IDs of the volunteers seated in the cohort to ids. */
int	ps_cohort_seated(struct ps_store *, const char *name,
	    struct ps_ids *ids, struct ps_diags *);
int	ps_cohort_list(struct ps_store *, int table, FILE *out,
	    struct ps_diags *);

#endif
