/*
 * intake: applications from people seeking support and from volunteers
 * (ps-apply) — taking them in, updating them, withdrawing them, listing
 * them.
 *
 * Taking in: applications come as YAML or JSON (one document, a stream,
 * or a JSON array as web forms export them) or as a CSV export mapped to
 * record fields by a small mapping file. Each is normalised where that is
 * safe (trimmed names, lower-case email, canonical phone, upper-case
 * region, lower-case language codes; the applicant's own words are left
 * as typed), checked against its schema and the programme's rules (the
 * stream exists and takes this role; the consents the programme requires
 * are given, in their current version), and checked for a probable
 * duplicate person among open records and the rest of the input (same
 * email, same phone, or same name and birth year). Accepted applications
 * get an ID, status applied and the time received in the programme's
 * zone, and are stored in one commit; all or nothing unless partial.
 * The CSV mapping is model/csvmap's, the normal form and the programme's
 * rules are rules/application's, probable duplicates rules/dupkeys'.
 *
 * Errors name the field and the rule, never the value. Output: the
 * stored records as a YAML record stream; with summary, a line for each
 * instead, its ID, kind and what changed (ps_record_summary).
 */
#ifndef PS_INTAKE_H
#define PS_INTAKE_H

#include <stdio.h>

#include "util/diag.h"
#include "store/store.h"

struct ps_intake_opts {
	const char	*as;		/* participant, volunteer, or NULL */
	const char	*stream;
	const char	*map;		/* CSV mapping file; NULL: YAML input */
	int		 partial;
	int		 allow_duplicate;
	int		 dry_run;
	int		 summary;	/* a line per record, not the record */
	const char	*author;
	char *const	*files;		/* NULL or "-": standard input */
	int		 nfiles;
};

struct ps_list_opts {
	const char	*kind;		/* participant, volunteer, or NULL */
	const char	*stream;
	const char	*status;
	const char	*since;		/* YYYY-MM-DD */
	int		 table;
};

int	ps_intake(struct ps_store *, const struct ps_intake_opts *, FILE *out,
	    struct ps_diags *);
/*
 * Merge a partial record read from file (NULL or "-": stdin) into id. The
 * records linked with id (its linked list names them, or theirs names
 * it) are never probable duplicates of it.
 */
int	ps_intake_update(struct ps_store *, const char *id, const char *file,
	    const struct ps_intake_opts *, FILE *out, struct ps_diags *);
/* Close a record as withdrawn and end its open matches. */
int	ps_intake_withdraw(struct ps_store *, const char *id,
	    const char *reason, const struct ps_intake_opts *, FILE *out,
	    struct ps_diags *);
int	ps_intake_list(struct ps_store *, const struct ps_list_opts *,
	    FILE *out, struct ps_diags *);

#endif
