/*
 * retention: the records kept longer than the programme's retention rule
 * allows (program.yaml retention.closed_years), listed by ID for the
 * coordinator to act on (ps-report --retention).
 *
 * A participant closed or withdrawn, or a volunteer declined, retired or
 * withdrawn, is past the rule from the day after closed_years years have
 * gone by since the record closed. The day it closed is its closed
 * field; else the day of its last status change to one of those statuses
 * (status_history); else its withdrawn.date, or, for a volunteer
 * declined, its decision.date. A record with none of them cannot be
 * counted: it is named in a warning, and left out. Records marked erased
 * are left out.
 *
 * After each person come the records that hold what was said about them:
 * the matches that name them, and the contacts that name them or one of
 * those matches, with the person's closing day. Nothing but IDs, kinds
 * and days is printed: a table (ID, KIND, CLOSED, YEARS, PERSON), or a
 * record stream of id, kind, closed, years and person.
 *
 * The records are those of the branch's last commit, as for reports;
 * contacts are read only when someone is listed, and parsed only when
 * their text names an ID listed.
 *
 * Calling sequence: ps_retention_list(store, table, out, &d).
 * Errors: 0; PS_REFUSED when program.yaml sets no retention.closed_years;
 * PS_STORE for git, I/O and memory failures.
 * The store is borrowed; nothing is allocated that outlives the call.
 */
#ifndef PS_RETENTION_H
#define PS_RETENTION_H

#include <stdio.h>

#include "util/diag.h"
#include "store/store.h"

int	ps_retention_list(struct ps_store *, int table, FILE *out,
	    struct ps_diags *);

#endif
