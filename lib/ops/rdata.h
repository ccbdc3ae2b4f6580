/*
 * rdata: what a report (report.h) reads of a commit of the store, and
 * counts as it reads, for report.c to make the sections of: program.yaml
 * as it was in the commit, a summary of every participant, volunteer and
 * match (rsum.h), and the contacts of a few windows of days — the
 * period and the period before it, counted (struct ps_rdata_agg); the
 * stalled-days window, for the matches with a contact in it; the days
 * whose feedback may have a follow-up survey due in the 4 weeks after
 * the period. Flagged contacts of the period and the surveys due are
 * listed in tables as they are read.
 *
 * Calling sequence:
 *	ps_rdata_init(&d, store, as_of, &dg)	the commit (as_of, else HEAD)
 *						and its program.yaml
 *	d.from, d.until, d.pfrom, d.puntil = ...   the period and the one
 *						before it, in days: the
 *						caller's to set
 *	ps_rdata_read(&d, &dg)			summaries and contacts
 *	... d's fields, ps_rdata_day(&d, sum, PS_P_RECEIVED) ...
 *	ps_rdata_release(&d)			also after a failed init or read
 *
 * Ownership: what d holds is d's, freed by ps_rdata_release(): the
 * summaries (which live as long as d->rs), program.yaml and the names
 * that point into it, and the tables flagged and due until a section
 * takes them with ps_rdoc_adopt() (rdoc.h). Rows and cells that cannot
 * be allocated are noted as rdoc.h notes them, not returned.
 *
 * Errors: 0, or the status of the diagnostics added.
 */
#ifndef PS_RDATA_H
#define PS_RDATA_H

#include <git2.h>

#include "util/tz.h"
#include "model/node.h"
#include "store/store.h"
#include "rules/rsum.h"
#include "ops/rdoc.h"

/* The contact modes, volunteer activities, kinds of flag and outcome
   domains (PS_C_OUTCOME's order) that contacts are counted by, in the
   order of the counts below; NULL-terminated. */
extern const char *const ps_rdata_modes[];
extern const char *const ps_rdata_activities[];
extern const char *const ps_rdata_flags[];
extern const char *const ps_rdata_domains[];

/* Contacts and their minutes under one funder or host organisation. */
struct ps_rdata_tally {
	long	n, min;
};

/* Contacts of one period, counted. */
struct ps_rdata_agg {
	long	contacts, callbacks, support_minutes;
	long	mode_n[5], mode_min[5];		/* by ps_rdata_modes */
	double	vol_hours[5];			/* by ps_rdata_activities */
	long	dropins, sessions, attendees;
	long	flagged, flag_n[3], no_referral;	/* by ps_rdata_flags */
	long	feedback, helpful_sum, out_sum[4], out_n[4];	/* by
							   ps_rdata_domains */
	struct ps_rdata_tally	*by[2];	/* funder, host: nnames[k] + 1, in
					   program.yaml order, then other
					   or none */
};

/* Everything read for a report. */
struct ps_rdata {
	struct ps_store		*s;
	struct ps_node		*prog;		/* program.yaml in the commit */
	git_oid			 commit;
	struct ps_tzcache	 tz;		/* the programme's time zone */
	long			 from, until, pfrom, puntil;
	struct ps_rsums		*rs;
	const struct ps_rsum	**rec[3];	/* participants, volunteers,
						   matches */
	size_t			 n[3], cap[3];
	const struct ps_rsum	***by_id;	/* participants (in rec[0]) by
						   ID, then in store order */
	struct ps_rdata_agg	 cur, prev;	/* the period, the one before */
	struct ps_rtable	*flagged;	/* filled while reading */
	char			**seen;		/* matches with a contact from
						   stalled_from, sorted */
	size_t			 nseen, capseen;
	long			 stalled_from;	/* until less the programme's
						   stalled days, plus 1 */
	long			 fu_due;	/* follow-ups due */
	struct ps_rtable	*due;
	const char		**names[2];	/* funders, host organisations,
						   in program.yaml's node */
	size_t			 nnames[2], capnames[2];
	int			 rc;		/* a section's error, noted: a
						   status, or -1 when out of
						   memory (report.c) */
};

/* Resolve as_of (NULL: HEAD) and read program.yaml as it was there,
   checked against its schema. */
int	 ps_rdata_init(struct ps_rdata *, struct ps_store *, const char *as_of,
	    struct ps_diags *);
/* Read and count what the period (from, until, pfrom, puntil) needs. */
int	 ps_rdata_read(struct ps_rdata *, struct ps_diags *);
void	 ps_rdata_release(struct ps_rdata *);

/* Had match m a contact logged from stalled_from to until? */
int	 ps_rdata_seen(const struct ps_rdata *, const char *m);

/* A field of a summary: its text (NULL if none), its local day (-1 if
   none or not a date), its number (dflt if none). */
const char *ps_rdata_str(const struct ps_rsum *, int f);
long	 ps_rdata_day(struct ps_rdata *, const struct ps_rsum *, int f);
long	 ps_rdata_num(const struct ps_rsum *, int f, long dflt);
/* Is day in from..until, both days included? */
int	 ps_rdata_in(long day, long from, long until);

#endif
