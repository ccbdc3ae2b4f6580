/*
 * node: the record model — an ordered tree of mappings, sequences and
 * scalars, each node remembering where it came from (line and column,
 * 1-based; 0 for nodes built in memory).
 *
 * Scalars keep the text exactly as typed. What a scalar *is* (string,
 * number, boolean, date) comes from the schema, not from YAML 1.1 guessing:
 * the validator sets node->as, and the writer uses it to decide quoting.
 *
 * Ownership: a node owns its children, keys and text. ps_node_free()
 * frees a whole tree; ps_node_free(NULL) is a no-op. Functions that take a
 * node to insert take ownership of it, also when they fail.
 *
 * Paths are dotted: "screening.steps.0.result"; a number addresses a
 * sequence item. Errors: functions returning int give 0, or -1 (out of
 * memory, or a path that crosses a scalar).
 */
#ifndef PS_NODE_H
#define PS_NODE_H

#include <stddef.h>

#include "util/arena.h"

enum ps_node_type {
	PS_NODE_SCALAR,
	PS_NODE_MAP,
	PS_NODE_SEQ
};

enum ps_scalar_as {
	PS_AS_UNKNOWN = 0,	/* not validated: keep how it was typed */
	PS_AS_STRING,		/* a string: quote if YAML would misread it */
	PS_AS_PLAIN		/* number, boolean, null, date: write as is */
};

struct ps_node {
	enum ps_node_type	 type;
	unsigned long		 line;
	unsigned long		 col;
	/* scalar */
	char			*str;		/* in the node's allocation */
	size_t			 len;
	unsigned char		 quoted;	/* typed quoted or block */
	unsigned char		 as;		/* enum ps_scalar_as */
	/* map (keys and vals) and seq (vals only) */
	size_t			 n;
	size_t			 cap;
	struct ps_node		**keys;
	struct ps_node		**vals;
	/* a record read from a store file: "<blob id> <path>", the git blob
	   id of the bytes read, so that a write can tell the file changed
	   since (ps_txn_put); else NULL. Copied by ps_node_dup(). */
	char			*origin;
	/* read into an arena (ps_yaml PS_YAML_ARENA: a read-only record):
	   the node is not freed alone, and the record's root, which holds
	   the arena, frees all its nodes at once */
	unsigned char		 pooled;
	struct ps_arena		*arena;
};

/* A node of type t (text s of len for a scalar), in *arena (pooled), or
   its own allocation when arena is NULL. */
struct ps_node	*ps_node_new_in(struct ps_arena **arena, enum ps_node_type t,
		    const char *s, size_t len);
/* Room in n's lists for one more child, from *arena for a pooled node
   (which NULL refuses); 0 or -1. */
int		 ps_node_reserve(struct ps_node *n, struct ps_arena **arena);

struct ps_node	*ps_node_new_scalar(const char *, size_t);
struct ps_node	*ps_node_new_str(const char *);	/* a string scalar */
struct ps_node	*ps_node_new_plain(const char *);	/* number, bool, date */
struct ps_node	*ps_node_new_map(void);
struct ps_node	*ps_node_new_seq(void);
void		 ps_node_free(struct ps_node *);
struct ps_node	*ps_node_dup(const struct ps_node *);
/* A new node that holds n's children, text and origin, leaving n empty
   (of its type, for its owner to free): a copy without copying. NULL if
   out of memory, n unchanged. */
struct ps_node	*ps_node_take(struct ps_node *n);
int		 ps_node_equal(const struct ps_node *, const struct ps_node *);

/* Mapping access by one key. set replaces in place or appends; it takes
   val, and frees it when it fails (as ps_node_seq_append() does). */
struct ps_node	*ps_node_map_get(const struct ps_node *, const char *key);
int		 ps_node_map_set(struct ps_node *, const char *key,
		    struct ps_node *val);
/* Remove a key; returns 1 if it was there. */
int		 ps_node_map_del(struct ps_node *, const char *key);
int		 ps_node_seq_append(struct ps_node *, struct ps_node *val);
/* Does a sequence (NULL, or not one: no) hold the scalar s? */
int		 ps_node_seq_has(const struct ps_node *seq, const char *s);
/* The keys of a mapping, or the items of a sequence, in out as one line
   "a, b, c", cut short at len; "" for NULL or a scalar. */
void		 ps_node_names(const struct ps_node *, char *out, size_t len);
/* A scalar without the white space around it, in place (len too); NULL
   or another node is left as it is. */
void		 ps_node_trim(struct ps_node *);

/* Access by dotted path. set creates missing mappings on the way. */
struct ps_node	*ps_node_get(const struct ps_node *, const char *path);
int		 ps_node_set(struct ps_node *, const char *path,
		    struct ps_node *val);
/* The text of the scalar at path, or NULL. */
const char	*ps_node_get_str(const struct ps_node *, const char *path);
/* The number the scalar at path begins with (strtol, base 10; a record
   checked against its schema holds a whole one), or dflt if none. */
long		 ps_node_get_long(const struct ps_node *, const char *path,
		    long dflt);
/* Convenience setters that build the scalar. */
int		 ps_node_set_str(struct ps_node *, const char *path,
		    const char *);
int		 ps_node_set_plain(struct ps_node *, const char *path,
		    const char *);

#endif
