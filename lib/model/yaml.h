/*
 * yaml: reading records with libyaml's event API, and writing them in the
 * one deterministic form the store keeps.
 *
 * Reading is strict, because records are people's health information and
 * input comes from web-form exports and hand edits: anchors, aliases,
 * explicit tags, merge keys, duplicate keys, complex keys, %TAG
 * directives, nesting deeper than PS_YAML_DEPTH, a scalar over
 * PS_YAML_SCALAR bytes, a record over PS_YAML_RECORD bytes, text that is
 * not UTF-8, and git conflict markers (even inside a quoted value) are all
 * refused with their position; so are NUL and control characters but tab
 * and newline, raw or escaped ("\e"). JSON is read as YAML. Memory is
 * bounded per record, not per stream: a stream reader holds one record
 * at a time, and stops once PS_YAML_PROBLEMS problems were reported into
 * the diagnostics it reads with (by it or by its caller, record by
 * record), so that endless bad input ends quickly too.
 *
 * Calling sequence (a stream):
 *	struct ps_yaml_reader *r;
 *	if (ps_yaml_reader_fd(&r, fd, "apps.yaml", flags, &d) == 0)
 *		while (ps_yaml_reader_next(r, &rec, &d) == 0 && rec) {
 *			... use rec, then ps_node_free(rec) ...
 *		}
 *	ps_yaml_reader_free(r);
 * With PS_YAML_SPLIT_SEQ, a document whose root is a sequence (a JSON array
 * as web forms export) yields each item as a record of its own.
 *
 * A record file: ps_yaml_load_file() refuses what is not a regular file
 * (symlinks, FIFOs), a file over PS_YAML_RECORD bytes and more than one
 * document.
 *
 * Writing: ps_yaml_write() appends the canonical text of a tree to a
 * buffer: block style, two-space indent, sequences indented under their
 * key, keys in the tree's order (the validator sorts them into schema
 * order), empty collections as [] and {}, strings that a YAML 1.1 or 1.2
 * reader would take for something else double-quoted. Reading canonical
 * text and writing it again gives the same bytes.
 *
 * Errors: 0, or PS_REFUSED for bad input, PS_STORE for a read error or
 * lack of memory; diagnostics carry file, line and column.
 */
#ifndef PS_YAML_H
#define PS_YAML_H

#include <stddef.h>

#include "util/buf.h"
#include "util/diag.h"
#include "model/node.h"

#define PS_YAML_RECORD	(256 * 1024)
#define PS_YAML_SCALAR	(64 * 1024)
#define PS_YAML_DEPTH	32
#define PS_YAML_PROBLEMS 100	/* a stream stops after so many problems */

enum {
	PS_YAML_SPLIT_SEQ = 1 << 0,	/* top-level sequence items are records */
	PS_YAML_ONE_DOC = 1 << 1,	/* more than one document is an error */
	PS_YAML_LARGE = 1 << 2,		/* no record size bound (schemas) */
	PS_YAML_ARENA = 1 << 3		/* a record only read: in an arena
					   (node.h); not with SPLIT_SEQ */
};

struct ps_yaml_reader;

int	ps_yaml_reader_fd(struct ps_yaml_reader **, int fd, const char *name,
	    int flags, struct ps_diags *);
int	ps_yaml_reader_mem(struct ps_yaml_reader **, const char *, size_t,
	    const char *name, int flags, struct ps_diags *);
/* A stream whose first len bytes were already read from fd into head
   (which must outlive the reader): head, then the rest of fd. */
int	ps_yaml_reader_resume(struct ps_yaml_reader **, const char *head,
	    size_t len, int fd, const char *name, int flags,
	    struct ps_diags *);
/* The next record in *out (caller frees), or *out = NULL at the end. */
int	ps_yaml_reader_next(struct ps_yaml_reader *, struct ps_node **out,
	    struct ps_diags *);
void	ps_yaml_reader_free(struct ps_yaml_reader *);

/* One record file; name is what messages call it (NULL: path). */
int	ps_yaml_load_file(struct ps_node **, const char *path,
	    const char *name, int flags, struct ps_diags *);
/* The same, path relative to the folder dirfd (AT_FDCWD: the current
   one), appending the bytes read to kept (the store hashes them). */
int	ps_yaml_load_file_kept(struct ps_node **, int dirfd, const char *path,
	    const char *name, int flags, struct ps_buf *kept,
	    struct ps_diags *);
/* One record from memory (e.g. a git blob). */
int	ps_yaml_load_mem(struct ps_node **, const char *, size_t,
	    const char *name, struct ps_diags *);

int	ps_yaml_write(struct ps_buf *, const struct ps_node *);
/* Would a YAML reader misread this string if it were written plain? */
int	ps_yaml_needs_quotes(const char *, size_t);

#endif
