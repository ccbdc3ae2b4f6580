/*
 * program: a programme's configuration (program.yaml): loading with its
 * schema plus the checks a schema cannot express (a zone that exists,
 * screening steps that require steps that exist, holidays in order), and
 * the accessors tools use.
 *
 * Ownership: ps_program_load() gives a tree the caller frees. Accessors
 * borrow from it. Errors as in diag.h.
 */
#ifndef PS_PROGRAM_H
#define PS_PROGRAM_H

#include "util/diag.h"
#include "model/node.h"
#include "model/schema.h"

/* Read, validate and check a program file (name: for messages). */
int	 ps_program_load(struct ps_node **, const struct ps_schemas *,
	    const char *path, const char *name, struct ps_diags *);
/* The checks beyond the schema, on a validated tree. */
size_t	 ps_program_check(const struct ps_node *, const char *name,
	    struct ps_diags *);
/* The stream named, or NULL. */
const struct ps_node *ps_program_stream(const struct ps_node *,
	    const char *name);
/* Is a stream (as ps_program_stream() gives it) of one callback? */
int	 ps_program_single_call(const struct ps_node *stream);
/* Business days as a mask (bit 0 Monday); Monday-Friday by default. */
unsigned ps_program_business_days(const struct ps_node *);
/* The day n business days after start (days since 1970), skipping the
   programme's holidays (sorted, as ps-init checks); -1 on no memory. */
long	 ps_program_add_business(const struct ps_node *, long start, int n);

#endif
