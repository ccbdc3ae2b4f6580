/*
 * report: the figures of a period — the weekly report coordinators mail
 * from cron, a funder's quarter, any period as of any past commit (a
 * record's history is history.h's). Computed from a commit of the store
 * (never the work tree), so a report names the commit it came from and
 * can be made again, byte for byte, from it.
 *
 * A report is sections (intake, screening, matching, onecall, active,
 * activity, safety, followup, audit), each with figures (a label, a
 * value, the change from the previous period of the same length), tables
 * (counts by stream, role, mode...) and, for HTML, charts. Nothing in it
 * comes from an x-sensitive field; people appear as IDs only. Tables of
 * counts are marked for small-cell suppression, which rendering applies.
 *
 * Calling sequence:
 *	ps_report_build(&r, store, &opts, &d)	read and count
 *	ps_render_report(r, format, suppress, out)
 *	ps_report_free(r)
 *
 * Only what the period needs is read: a summary of every participant,
 * volunteer and match (rsum.h: the fields the figures need, from the
 * cache of what earlier reports read, else from the blob), the whole
 * record only of those the matcher may take (recruiting gaps) and of
 * volunteers in screening, and contacts only from the day folders of the
 * period, the period before, and the windows some figures look back on
 * (stalled matches, follow-ups due, the 12-week trend).
 *
 * Memory: about 250 bytes a participant, volunteer and match (the
 * summaries, and the cache's pages looked at), plus what the matcher
 * keeps of the people it may take, plus one contact at a time and the
 * report itself; not the store's size. On the benchmark's store of
 * 100,000 people, 68,000 matches and 1,000,000 contacts: about 100 MB
 * without the matching section, 400-500 MB with it (the matcher's).
 *
 * Errors: 0, or the status of the diagnostics added.
 */
#ifndef PS_REPORT_H
#define PS_REPORT_H

#include <stdio.h>

#include "util/date.h"
#include "store/store.h"

struct ps_rfigure {
	char	*key;		/* machine name: applications */
	char	*label;		/* "Applications received" */
	char	*value;
	char	*change;	/* "+3", or NULL */
	int	 count;		/* a count of people or contacts: small ones
				   are suppressed, and changes that tell */
	long	 basis;		/* a median or mean: of how many (a small
				   number hides it); 0 if not one */
};

struct ps_rtable {
	char	*key;
	char	*title;
	size_t	 ncols, nrows;
	char	**cols;
	char	**cells;	/* nrows * ncols */
	int	 counts;	/* columns 1..counts hold counts of people
				   or contacts, suppressed when small */
	int	 totals;	/* PS_TOTAL_ROW | PS_TOTAL_COL */
	int	 derived;	/* the columns after the counts are worked
				   out from them (means): hidden with them */
};

#define PS_TOTAL_ROW	1	/* the last row is the total of the others */
#define PS_TOTAL_COL	2	/* the last count column is their total */
#define PS_RTABLES	8	/* tables in a section, at most */

struct ps_rchart {
	char	*key;
	char	*title;
	size_t	 n;
	char	**labels;
	double	*a, *b;		/* b: a second series, or NULL */
	char	*a_name, *b_name;
	int	 counts;	/* values are counts: small ones suppressed */
};

struct ps_rsection {
	const char		*key;
	const char		*title;
	struct ps_rfigure	*fig;
	size_t			 nfig;
	struct ps_rtable	*tab;
	size_t			 ntab;
	struct ps_rchart	*chart;
	size_t			 nchart;
};

#define PS_REPORT_SECTIONS	9

struct ps_report {
	char			*programme;
	char			 commit[41];
	char			 from[11], until[11];
	long			 threshold;	/* small-cell suppression */
	struct ps_rsection	 sec[PS_REPORT_SECTIONS];
	size_t			 nsec;
};

enum ps_report_format {
	PS_FMT_TEXT, PS_FMT_MD, PS_FMT_CSV, PS_FMT_YAML, PS_FMT_HTML
};

struct ps_report_opts {
	const char	*as_of;		/* a date or commit; NULL: HEAD */
	long		 from, until;	/* days; from 0: the last full week */
	const char	*sections;	/* comma-separated keys, or NULL */
	int		 this_week;	/* the current week, not the last */
	int		 to_today;	/* from given, until today */
	int		 charts;	/* read the 12-week trend */
};

/* The section keys, in order; NULL-terminated. */
extern const char *const ps_report_keys[];

int	ps_report_build(struct ps_report **, struct ps_store *,
	    const struct ps_report_opts *, struct ps_diags *);
void	ps_report_free(struct ps_report *);

#endif
