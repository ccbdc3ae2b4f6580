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
 * wrong first. They name fields, never their values: records hold
 * personal health information.
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

/* Add a diagnostic; returns status. Any of file and path may be NULL. */
int	 ps_diag_add(struct ps_diags *, int status, const char *file,
	    unsigned long line, unsigned long col, const char *path,
	    const char *fmt, ...) __attribute__((format(printf, 7, 8)));
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
