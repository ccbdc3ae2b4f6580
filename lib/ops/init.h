/*
 * init: create a store (ps-init): a private directory, a git repository,
 * a validated program.yaml in canonical form committed as the first
 * commit, and a pre-commit hook that runs ps-check on staged records so
 * that hand edits committed with plain git are checked too.
 *
 * A directory that exists must be empty; one that is already a store is
 * refused. The store is made in DIR/.ps-init and moved up when whole, so
 * a ps-init killed half-way leaves no partial store, and the next one
 * clears what it left. With dry_run, the program.yaml that would be
 * written goes to out and nothing is created.
 *
 * Ownership: the options and out are the caller's (out is written to,
 * never NULL). Errors: 0, or the status of the diagnostics added
 * (PS_USAGE, PS_REFUSED for a program.yaml that fails its checks or a
 * directory that is not empty, PS_STORE).
 */
#ifndef PS_INIT_H
#define PS_INIT_H

#include <stdio.h>

#include "util/diag.h"

struct ps_init_opts {
	const char	*dir;
	const char	*program;	/* NULL: the MS-style example */
	const char	*author;
	int		 dry_run;
};

int	ps_init(const struct ps_init_opts *, FILE *out, struct ps_diags *);

#endif
