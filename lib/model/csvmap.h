/*
 * csvmap: a web form's CSV export read into application records through
 * a mapping file (ps-apply --csv --map MAP.yaml; ps-apply(1), "Mapping
 * files"). The mapping file gives the kind and stream of every row
 * (optional) and, under columns:, what each column of the CSV's header
 * fills: a field ("Email address: contact.email"); a field with values:
 * (the form's wording into the record's) and split: (a list, cut at a
 * separator, each item trimmed); or a consent (consent: TYPE, optional
 * version:), given when the cell says yes, in the column's version or
 * else the programme's current one (consents.TYPE.version, "_" for "-"),
 * dated the day of now. An empty cell fills nothing. Each node of a
 * record carries its cell's row and column, so that the checks that
 * follow name the CSV's own positions.
 *
 * Calling sequence, for each CSV input:
 *	struct ps_csvmap m = { "map.yaml", program, schemas, now, take,
 *	    arg, 0 };
 *	rc = ps_csvmap_read(&m, fd, "apps.csv", &d);
 * The mapping file is read and checked at each call, then the header,
 * then the rows: take(arg, rec, "apps.csv", &d) for each record, in the
 * order of the rows.
 *
 * Ownership: what struct ps_csvmap points to is borrowed, and fd is not
 * closed. take() is lent each record, which is freed when it returns; it
 * may change it.
 *
 * Errors: a mapping file that ps-apply cannot follow (no columns, a
 * column that is neither a field nor a consent of the participant
 * schema's types, a consent with no version), a column that the header
 * lacks, an empty file, a row whose length is not the header's, a cell
 * for a field that cannot be set, or what csv.h refuses, are reported in
 * d with their file:line:col and counted in refused: once for the
 * mapping file and the header (no row is read then), once for a row.
 * What take() refuses is its own to count. Returns 0, or PS_STORE (a
 * read error, out of memory) when the reading stopped there.
 */
#ifndef PS_CSVMAP_H
#define PS_CSVMAP_H

#include <stddef.h>

#include "util/diag.h"
#include "model/node.h"
#include "model/schema.h"

struct ps_csvmap {
	const char		*map;		/* the mapping file's path */
	const struct ps_node	*program;	/* program.yaml: versions */
	const struct ps_schemas	*schemas;	/* the consent types */
	const char		*now;		/* ISO 8601; consents' day */
	void			(*take)(void *arg, struct ps_node *rec,
				    const char *name, struct ps_diags *);
	void			*arg;
	size_t			 refused;	/* added to, never reset */
};

int	ps_csvmap_read(struct ps_csvmap *, int fd, const char *name,
	    struct ps_diags *);

#endif
