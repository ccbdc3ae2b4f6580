/*
 * history: a record's history (ps-report --history ID), from the store's
 * git history: each commit that added, changed or deleted the record's
 * file, oldest first, with its time in the programme's zone, its author,
 * the tool that made it (its Ps-Tool trailer) and the names of the
 * fields that changed — never their values.
 *
 * Errors: 0, or the status of the diagnostics added (PS_REFUSED for an
 * ID of no record kind, or of a record the history never held).
 * The store is borrowed; the table goes to out.
 */
#ifndef PS_HISTORY_H
#define PS_HISTORY_H

#include <stdio.h>

#include "util/diag.h"
#include "store/store.h"

/* The history of the record id, as a table, to out. */
int	ps_history_print(struct ps_store *, const char *id, FILE *out,
	    struct ps_diags *);

#endif
