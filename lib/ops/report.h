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
 * comes from an x-sensitive field; people appear as IDs only, in the
 * working lists (tables marked PS_LIST), which the board's report leaves
 * out. Tables of counts are marked for small-cell suppression, and the
 * figures their totals repeat are tied to them, which rendering applies.
 *
 * Calling sequence:
 *	ps_report_build(&r, store, &opts, &d)	read and count
 *	ps_render_report(r, &ropts, out)		the board's, or the lists
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
#include "ops/rdoc.h"

struct ps_report_opts {
	const char	*as_of;		/* a date or commit; NULL: HEAD */
	long		 from, until;	/* days; from 0: the last full week */
	const char	*sections;	/* comma-separated keys, or NULL */
	int		 this_week;	/* the current week, not the last */
	int		 to_today;	/* from given, until today */
	int		 charts;	/* read the 12-week trend */
	int		 board;		/* for the board: whole weeks that
					   have ended (else PS_USAGE) */
};

/* The section keys, in order; NULL-terminated. */
extern const char *const ps_report_keys[];

int	ps_report_build(struct ps_report **, struct ps_store *,
	    const struct ps_report_opts *, struct ps_diags *);
void	ps_report_free(struct ps_report *);

#endif
