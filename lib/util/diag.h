/*
 * diag: errors as values.
 *
 * Library functions never print and never exit. A function that can fail
 * takes a struct ps_diags * and returns 0, or the status of what it added
 * (PS_REFUSED for input or data refused, PS_STORE for store, git, I/O and
 * memory failures, PS_USAGE for a misused command line). Validators add
 * every problem they find before returning, so the caller can report them
 * all and then write nothing. A diagnostic with status 0 is a warning.
 *
 * Messages follow git's rules: lower case, no final full stop, what is
 * wrong first.
 *
 * What a message may hold. Records, and every input that becomes one (a
 * record file, a record stream or IDs on stdin, a JSON or CSV import, a
 * batch of entries), hold personal health information, so a message
 * about them never quotes a value, a key or an ID read from them: it
 * says where (FILE:LINE:COL, the field path made of the schema's names
 * and list indexes) and the rule broken. It may name what is not input:
 * the schemas' words (the allowed values of an enum, a pattern, a limit),
 * program.yaml's (streams, steps, consents), counts, and the ID of a
 * record found in the store, with its status (a word of its schema).
 * A record ID typed as a command-line operand may be repeated (cut to 40
 * characters): the user typed it, it is on their screen and in their
 * shell history already, and with several operands it is the only way
 * to say which one is meant; an ID read from a file or a pipe is not,
 * its place says which. Free text typed as an option's value is never
 * repeated. The problems every tool meets are worded alike, with
 * PS_DIAG_NO_RECORD and the like below; ps_diag_at() places a problem
 * at a value's place.
 *
 * Calling sequence:
 *	struct ps_diags d = PS_DIAGS_INIT;
 *	if (ps_something(..., &d) != 0) ...;
 *	ps_diags_print(&d, "ps-tool", stderr);	(cli.c does this)
 *	ps_diags_release(&d);
 */
#ifndef PS_DIAG_H
#define PS_DIAG_H

#include <stdio.h>

enum ps_status {
	PS_OK = 0,
	PS_REFUSED = 1,
	PS_USAGE = 2,
	PS_STORE = 3
};

struct ps_diag {
	int		 status;	/* 0 for a warning */
	char		*file;		/* NULL when not about a file */
	unsigned long	 line;		/* 1-based; 0 when unknown */
	unsigned long	 col;
	char		*path;		/* field path, or NULL */
	char		*msg;
};

struct ps_diags {
	struct ps_diag	*v;
	size_t		 n;
	size_t		 cap;
	int		 status;	/* worst status added */
	size_t		 errors;	/* diagnostics with status != 0 */
	int		 oom;		/* a diagnostic was lost to ENOMEM */
	int		 committed;	/* the command's write is committed:
					   a failure after it (its output)
					   must not say it failed */
};

#define PS_DIAGS_INIT { NULL, 0, 0, 0, 0, 0, 0 }

/* Where a value is: a file (or "stdin"), its line and column (1-based; 0
   when unknown), and its field path (NULL for the record itself). */
struct ps_place {
	const char	*file;
	unsigned long	 line;
	unsigned long	 col;
	const char	*path;
};

/* The wording of the problems every tool meets, for messages about a
   value of an input, which is never quoted. */
#define PS_DIAG_NO_RECORD	"no such record"
#define PS_DIAG_NOT_ID		"not a record ID (like P-7K3Q2X)"
#define PS_DIAG_UNKNOWN_FIELD	"unknown field"
#define PS_DIAG_FUTURE		"is in the future"

/* Add a diagnostic; returns status. Any of file and path may be NULL. */
int	 ps_diag_add(struct ps_diags *, int status, const char *file,
	    unsigned long line, unsigned long col, const char *path,
	    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
/* A problem at a value's place (see struct ps_place). */
int	 ps_diag_at(struct ps_diags *, int status, const struct ps_place *,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Shorthands: no position. */
int	 ps_diag_err(struct ps_diags *, int status, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));
int	 ps_diag_warn(struct ps_diags *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* The out-of-memory error. */
int	 ps_diag_nomem(struct ps_diags *);
/* Move every diagnostic of src to the end of dst; src is emptied. */
void	 ps_diags_move(struct ps_diags *dst, struct ps_diags *src);
/* Print "tool: file:line:col: path: msg" lines, one per diagnostic
   (control characters, such as a newline in a file name, shown as ?). */
void	 ps_diags_print(const struct ps_diags *, const char *tool, FILE *);
void	 ps_diags_release(struct ps_diags *);

#endif
