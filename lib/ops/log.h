/*
 * log: what ps-log does to a store — contacts within a match, OneCall
 * callbacks (which close their assignment), volunteer hours, drop-in
 * visits, group sessions, feedback and outcome surveys, risk flags with
 * their referrals, goals of a match; and the contact listing.
 *
 * Every entry, from the command line or from a YAML stream on stdin (a
 * contact record without its id), goes through the same checks; all are
 * checked before anything is written, every problem is reported, and the
 * entries are stored in one commit. A contact is filed under the day it
 * happened (contacts/YYYY/MM/DD/), so logging one costs the same in a
 * store of a thousand contacts or of a million.
 *
 * Calling sequence:
 *	ps_log_run(store, entries, n, &opts, out, &d)   store the entries
 *	ps_log_run_fd(store, fd, &opts, out, &d)        those of a YAML stream,
 *							 read one at a time
 *	ps_log_goal(store, match, text, &opts, out, &d)  a goal on a match
 *	ps_log_list(store, &filter, table, out, &d)       the contacts
 *
 * Output: the records written, as a YAML record stream; with summary, a
 * line for each instead, its ID, kind and what changed ("C-4M2K7Q
 * contact: logged 2026-11-20, phone, 45 min"): the day, the mode, the
 * length, the flag's type, never a note.
 *
 * Entries are borrowed. Errors: 0, or the status of the diagnostics
 * added (PS_REFUSED for an entry refused, PS_STORE); warnings (a call
 * over its limit where the programme allows it, a drop-in visit outside
 * opening hours) do not stop the write.
 * The store is borrowed; the records written are the store's.
 */
#ifndef PS_LOG_H
#define PS_LOG_H

#include <stdio.h>

#include "model/node.h"
#include "store/store.h"

struct ps_log_opts {
	const char	*author;
	const char	*by;		/* logged_by: staff name */
	int		 dry_run;
	const char	*source;	/* "stdin" or NULL (command line) */
	int		 summary;	/* a line per record, not the record */
};

struct ps_log_filter {
	const char	*since;		/* YYYY-MM-DD or NULL */
	const char	*until;
	const char	*match;
	const char	*volunteer;
	int		 flagged;
};

int	ps_log_run(struct ps_store *, struct ps_node *const *entries, size_t n,
	    const struct ps_log_opts *, FILE *out, struct ps_diags *);
int	ps_log_run_fd(struct ps_store *, int fd, const struct ps_log_opts *,
	    FILE *out, struct ps_diags *);
int	ps_log_goal(struct ps_store *, const char *match, const char *text,
	    const struct ps_log_opts *, FILE *out, struct ps_diags *);
int	ps_log_list(struct ps_store *, const struct ps_log_filter *, int table,
	    FILE *out, struct ps_diags *);

#endif
