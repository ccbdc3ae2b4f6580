/*
 * cli: the command-line conventions every tool shares, written once.
 *
 * Common options: -C DIR, --author "Name <email>", -n/--dry-run,
 * --yaml/--table, -h/--help, --version. Messages: "tool: FILE:LINE:COL:
 * path: what is wrong" on stderr, printed here and nowhere else. Exit
 * status: 0 done, 1 refused, 2 usage, 3 store or system error.
 *
 * Calling sequence in a tool's main():
 *	struct ps_cli cli;
 *	ps_cli_init(&cli, "ps-tool", usage);
 *	while ((c = getopt_long(argc, argv, PS_CLI_SHORT "x:", longopts,
 *	    NULL)) != -1)
 *		switch (ps_cli_option(&cli, c, optarg)) { ... }
 *	status = do_the_work(..., &cli.diags);
 *	return ps_cli_exit(&cli, status);
 *
 * A free-text option (a note, a reason) has its --name-file twin, both
 * in longopts by PS_CLI_TEXT_LONG, and ps_cli_text() takes either; after
 * the options, ps_cli_texts() checks them, and once the store is open,
 * ps_text_read(&cli.texts, ...) reads them (text.h).
 *
 * ps_cli_init() also makes the process private: umask 077, no core dumps.
 */
#ifndef PS_CLI_H
#define PS_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "util/diag.h"
#include "cli/text.h"

enum {
	PS_OPT_AUTHOR = 0x1000,
	PS_OPT_YAML,
	PS_OPT_TABLE,
	PS_OPT_VERSION,
	PS_OPT_TOOL		/* first value free for a tool's own options */
};

/* The value of the --name-file twin of a free-text option of value v:
   v | PS_OPT_FILE. */
#define PS_OPT_FILE	0x10000
#define PS_CLI_TEXT_LONG(name, v) \
	{ name, required_argument, NULL, v }, \
	{ name "-file", required_argument, NULL, (v) | PS_OPT_FILE }

#define PS_CLI_SHORT	"C:hn"
#define PS_CLI_LONG \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, PS_OPT_VERSION }, \
	{ "author", required_argument, NULL, PS_OPT_AUTHOR }, \
	{ "dry-run", no_argument, NULL, 'n' }, \
	{ "yaml", no_argument, NULL, PS_OPT_YAML }, \
	{ "table", no_argument, NULL, PS_OPT_TABLE }

enum ps_output { PS_OUT_AUTO, PS_OUT_YAML, PS_OUT_TABLE };

struct ps_cli {
	const char	*tool;
	const char	*usage;		/* the SYNOPSIS lines, no "usage: " */
	const char	*store;		/* -C */
	const char	*author;
	int		 dry_run;
	enum ps_output	 output;
	struct ps_diags	 diags;
	struct ps_texts	 texts;		/* the free-text options given */
};

void	ps_cli_init(struct ps_cli *, const char *tool, const char *usage);
/*
 * Handle a common option: returns 1 if it was one (and handled; -h and
 * --version exit 0 here), 0 if the tool must handle it, and exits 2 for
 * getopt's '?'.
 */
int	ps_cli_option(struct ps_cli *, int opt, const char *arg);
/* Free-text option --name (opt, the option's value in longopts: with
   PS_OPT_FILE, --name-file) given arg. */
void	ps_cli_text(struct ps_cli *, const char *name, int opt,
	    const char *arg);
/*
 * After the options: one text at most from the standard input ("-"),
 * and none when it holds what the command reads (stdin_holds says what,
 * for the message; NULL when it is free): else a usage error. Warns of
 * text given on the command line (ps_text_warn).
 */
int	ps_cli_texts(struct ps_cli *, const char *stdin_holds);
/* Print "tool: message" and the usage to stderr; returns 2. */
int	ps_cli_usage(struct ps_cli *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* Should a listing be a table, and a write print a line for each record
   it wrote rather than the records (a terminal, or --table)? */
int	ps_cli_table(const struct ps_cli *);
/* Print diagnostics, check that stdout was written, give the exit
   status (the worse of status and what was printed). */
int	ps_cli_exit(struct ps_cli *, int status);

#endif
