/*
 * check: the store's integrity check (ps-check), like git fsck or recfix:
 * every record against its schema, each file's name and folder against
 * its record's ID, and the cross-references — a match names a participant
 * and a volunteer that exist, contacts name matches, volunteers and groups
 * that exist, no volunteer holds more open matches than their capacity,
 * no ID is used twice. Every problem is reported with its position; the
 * result is the number of problems.
 *
 * Sources: the work tree (all records, or the files given), or the index
 * (--cached: the records staged for the next commit, for the pre-commit
 * hook).
 *
 * Ownership: the store is borrowed; the problems go to the diagnostics,
 * the count to out. Errors: 0, PS_REFUSED when there are problems,
 * PS_STORE for git, I/O and memory failures.
 */
#ifndef PS_CHECK_H
#define PS_CHECK_H

#include <stdio.h>

#include "util/diag.h"
#include "store/store.h"

struct ps_check_opts {
	int		 cached;
	char *const	*files;		/* NULL: the whole store */
	int		 nfiles;
};

/* Returns 0 when all is well, PS_REFUSED when problems were found. */
int	ps_check(struct ps_store *, const struct ps_check_opts *, FILE *out,
	    struct ps_diags *);

#endif
