/*
 * screen: volunteer screening and participant onboarding, as the
 * programme configures them (program.yaml volunteers.screening and
 * participants.onboarding): the steps, their order and prerequisites,
 * references by referee, checks that expire, training and practicum hours
 * that roll up, certificates, decisions, leave and retirement.
 *
 * The rules live here so that ps-match and ps-report ask the same
 * questions ps-screen answers: is a volunteer's screening complete, has a
 * check expired (an expired check suspends a volunteer from new matches
 * until renewed), is a participant's onboarding complete.
 *
 * Calling sequence (ps-screen):
 *	ps_screen_step(prog, rec, &step_args, &d)               changes rec
 *	ps_screen_decide(prog, rec, accept, reason, by, now, &d)
 *	ps_screen_missing(prog, rec, today, &list)               what is left
 * Functions that change a record return 0 or PS_REFUSED with a
 * diagnostic naming the record and what is missing; they never print.
 * Dates are days since 1970-01-01 (date.h).
 * The programme and the records are the caller's; a record is changed
 * in place, and strings set in it are copied.
 */
#ifndef PS_SCREEN_H
#define PS_SCREEN_H

#include "util/buf.h"
#include "util/diag.h"
#include "model/node.h"

struct ps_step_args {
	const char	*now;		/* RFC 3339, programme's zone */
	const char	*step;
	const char	*result;	/* pass, fail, pending, waived */
	long		 date;
	const char	*by;
	const char	*note;
	int		 referee;	/* 0: none */
	double		 hours;		/* training attendance; 0: none */
	double		 practicum_hours;
	const char	*modules;	/* comma-separated; NULL: none */
	const char	*certificate;	/* number; NULL: none */
	const char	*cohort;
};

/* The programme's rule for a step of this record's kind, or NULL. */
const struct ps_node *ps_screen_rule(const struct ps_node *prog,
	    const char *kind, const char *step);
/* Record one step's outcome on a volunteer or participant record. */
int	ps_screen_step(const struct ps_node *prog, struct ps_node *rec,
	    const struct ps_step_args *, struct ps_diags *);
/*
 * What stands between a record and acceptance (volunteers) or matching
 * (participants): appends "interview, references (1 of 2), background-check
 * expired 2026-01-01" style text to out; returns how many items.
 */
size_t	ps_screen_missing(const struct ps_node *prog, const struct ps_node *rec,
	    long today, struct ps_buf *out);
/* Has a step failed that may not be repeated? Its name, or NULL. */
const char *ps_screen_ended(const struct ps_node *prog,
	    const struct ps_node *rec);
/* Accept or decline a volunteer. */
int	ps_screen_decide(const struct ps_node *prog, struct ps_node *rec,
	    int accept, const char *reason, const char *by, const char *now,
	    struct ps_diags *);
/* The earliest expiry (days) among passed steps, or LONG_MAX. */
long	ps_screen_expiry(const struct ps_node *rec, const char **step);
/* The next step a record waits on, and since when; NULL if none. */
const char *ps_screen_next(const struct ps_node *prog,
	    const struct ps_node *rec, long *since);

#endif
