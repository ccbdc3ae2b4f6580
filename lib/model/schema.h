/*
 * schema: JSON Schema (draft 2020-12) documents written in YAML, and a
 * validator for the subset the toolkit documents in ps-records(5):
 * type, properties, required, additionalProperties, enum, const, pattern
 * (POSIX extended syntax, the common subset with ECMA-262), format (date,
 * date-time, time, email), minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, minLength, maxLength, items, minItems, maxItems,
 * uniqueItems, $ref to "#/$defs/NAME". Annotations: x-sensitive (never
 * leaves the store in reports or public output) and x-public (what a
 * participant may see of a mentor). Text in an x-public field, or within
 * one, is refused when it looks like contact details (util/contactinfo.h):
 * participants reach a volunteer through the programme only.
 *
 * Types come from the schema, not from YAML 1.1 guessing: a plain scalar
 * is whatever the schema allows it to be (a string field keeps "no" as
 * the text "no"); a quoted scalar is only ever a string. Validation
 * annotates each scalar with what it is (node->as) and sorts mapping keys
 * into the schema's property order, so that ps_yaml_write() then gives the
 * canonical text.
 *
 * Calling sequence:
 *	struct ps_schemas *set;
 *	ps_schemas_load(&set, NULL, &d);	(NULL: ps_schema_dir())
 *	s = ps_schemas_get(set, "participant");
 *	nerr = ps_schema_validate(s, rec, "P-7K3Q2X.yaml", &d);
 *	ps_schemas_free(set);
 *
 * Ownership: a set owns its schemas; ps_schema_at() returns a node inside
 * the schema, valid while the set lives.
 */
#ifndef PS_SCHEMA_H
#define PS_SCHEMA_H

#include "util/diag.h"
#include "model/node.h"

struct ps_schema;
struct ps_schemas;

/* The record kinds, in store order, NULL-terminated. */
extern const char *const ps_schema_kinds[];

/* Where schemas are: $PS_SCHEMA_DIR, else next to the executable
   (../schemas, ../share/peer-support/schemas), else the installed path. */
const char	*ps_schema_dir(void);

int	 ps_schema_load(struct ps_schema **, const char *path,
	    struct ps_diags *);
void	 ps_schema_free(struct ps_schema *);
/* Load every kind's schema and program.yaml's from dir. */
int	 ps_schemas_load(struct ps_schemas **, const char *dir,
	    struct ps_diags *);
void	 ps_schemas_free(struct ps_schemas *);
const struct ps_schema *ps_schemas_get(const struct ps_schemas *,
	    const char *kind);

/*
 * Validate rec, adding a diagnostic for every problem (file and the node's
 * position; NULL file is fine). Returns the number of problems. Annotates
 * and reorders rec as described above.
 */
size_t	 ps_schema_validate(const struct ps_schema *, struct ps_node *rec,
	    const char *file, struct ps_diags *);

/* The schema that describes a record path ("contact.phone",
   "consents.0.date"), following $ref; NULL if the schema has none. */
const struct ps_node *ps_schema_at(const struct ps_schema *,
	    const char *path);
/* Is the field at path, or any field it lies within, x-sensitive? */
int	 ps_schema_sensitive(const struct ps_schema *, const char *path);
/* Remove every x-sensitive field from rec. Returns -1 on no memory. */
int	 ps_schema_redact(const struct ps_schema *, struct ps_node *rec);

/* Checks shared with the tools. */
int	 ps_schema_email_valid(const char *);

#endif
