/*
 * ids: the operands of a tool that acts on records — IDs on the command
 * line, or on standard input either one per line or as a YAML record
 * stream (the output of another tool), each record's id taken.
 *
 * Calling sequence: ps_ids_read(&list, fd, "stdin", &d); use list.v[i];
 * ps_ids_release(&list). The input is read a line or a record at a time
 * (each record bounded as yaml.h says), so memory follows the number of
 * distinct IDs, at most PS_IDS_MAX, not the length of the input. A bad
 * line or record stops the reading with its position.
 *
 * An ID read from the input keeps its place there, so that a tool can
 * refuse an ID that names no record by its place, not by the ID
 * (diag.h): ps_ids_place().
 *
 * Ownership: the list owns its IDs; ps_ids_release() frees them. Errors:
 * 0, or the status of the diagnostics added (PS_REFUSED for a line or
 * record that names no ID, PS_STORE for a read that failed).
 */
#ifndef PS_IDS_H
#define PS_IDS_H

#include <stddef.h>

#include "util/diag.h"
#include "util/id.h"
#include "util/map.h"

#define PS_IDS_MAX	1000000

struct ps_ids {
	char		(*v)[PS_ID_LEN + 1];
	size_t		 n;
	size_t		 cap;
	struct ps_map	 index;		/* private: of v, by ID */
	unsigned long	(*at)[2];	/* private: line and column of v[i]
					   in the input, or 0 0 */
	char		*name;		/* private: the input's name */
};

#define PS_IDS_INIT	{ NULL, 0, 0, PS_MAP_INIT, NULL, NULL }

/* Add one ID (refused with a message if malformed; duplicates dropped). */
int	ps_ids_add(struct ps_ids *, const char *, struct ps_diags *);
/* Read IDs one per line, or a YAML record stream, from fd. */
int	ps_ids_read(struct ps_ids *, int fd, const char *name,
	    struct ps_diags *);
/* Where the i-th ID was read (file, line, column), in *buf; NULL for an
   ID typed on the command line. */
const struct ps_place *ps_ids_place(const struct ps_ids *, size_t i,
	    struct ps_place *buf);
void	ps_ids_release(struct ps_ids *);

#endif
