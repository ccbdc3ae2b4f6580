/*
 * record: what makes a tree a record — a mapping with a known kind, a
 * well-formed ID, a place in the store and a schema it satisfies.
 *
 * Store paths: <kind folder>/<ID>.yaml, except contacts, which are
 * partitioned by the local date of the contact
 * (contacts/YYYY/MM/DD/<ID>.yaml) so that no folder grows large and a
 * week's report reads only seven folders.
 *
 * Errors: ps_record_check() adds a diagnostic per problem and returns how
 * many; ps_record_path() returns -1 when the record lacks what its path
 * needs (checked records always have it).
 */
#ifndef PS_RECORD_H
#define PS_RECORD_H

#include "util/buf.h"
#include "util/diag.h"
#include "model/node.h"
#include "model/schema.h"

const char	*ps_record_kind(const struct ps_node *);
const char	*ps_record_id(const struct ps_node *);
int		 ps_record_path(const struct ps_node *, struct ps_buf *);
/* Validate against the kind's schema (annotates and orders the record). */
size_t		 ps_record_check(const struct ps_schemas *, struct ps_node *,
		    const char *file, struct ps_diags *);
/* Its timezone field, if any, a zone this system knows (a pattern does
   not tell Etc/GMT+99 from Etc/GMT+9); 1 and a diagnostic if not. */
size_t		 ps_record_check_timezone(const struct ps_node *map,
		    const char *file, struct ps_diags *);
/* Is relpath where a record with this ID belongs (kind, folder, name)? */
int		 ps_record_path_matches(const struct ps_node *,
		    const char *relpath);

/* Append a record to a record stream: "---" and its canonical text. */
int		 ps_record_emit(struct ps_buf *, const struct ps_node *);
/*
 * Append a record's one-line summary, "ID kind: what" — "P-7K3Q2X
 * participant: applied". what says what changed in words the caller
 * chose, which never hold a value of the record's free-text or
 * x-sensitive fields: the line is for a terminal, which anyone passing
 * may read.
 */
int		 ps_record_summary(struct ps_buf *, const struct ps_node *,
		    const char *what);
/*
 * What a write prints of a record it wrote: with summary (a terminal, or
 * --table) its summary line, else the record itself, unchanged, for a
 * pipe (ps_record_emit).
 */
int		 ps_record_written(struct ps_buf *, const struct ps_node *,
		    int summary, const char *what);
/* Set status and append {status, date: now, by (else tool), reason} to
   status_history; nothing when the status is already that. */
int		 ps_record_set_status(struct ps_node *, const char *status,
		    const char *now, const char *by, const char *tool,
		    const char *reason);

#endif
