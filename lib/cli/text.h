/*
 * text: the free text a tool's option takes (a note, a reason, a
 * comment, a goal), read from where no other user can see it.
 *
 * Text given on the command line, --note TEXT, is in the process's
 * argument list, which every local user can read in /proc/PID/cmdline
 * for as long as the tool runs (and it may wait 30 s for the store's
 * lock), and in the shell's history, which no erasure reaches. So each
 * such option also takes "-", the text then read from the standard
 * input, or written in $EDITOR (else $VISUAL, else vi) when that is a
 * terminal; and it has a twin, --note-file FILE. The editor works on a
 * private file in the store's .git/ps-edit/, never under TMPDIR, removed
 * once read, also when the editor fails or a signal comes. Text read so
 * loses its final newlines; from the editor, also its lines starting
 * with '#' and its blank lines at the start. Text that is empty, holds
 * a NUL byte or is over PS_TEXT_MAX is refused (exit status 1), and so
 * is a file that cannot be read; no message shows the text.
 *
 * Text on the command line still works, for the scripts that give it,
 * with a warning when it looks like more than a code (PS_TEXT_CODE).
 *
 * Calling sequence (cli.c wraps the first steps for the tools):
 *	struct ps_texts t = PS_TEXTS_INIT;
 *	ps_text_set(&t, "note", optarg, 0);	(--note; 1 for --note-file)
 *	... usage checks with ps_text_stdin() ...
 *	ps_text_warn(&t, &diags);		(after the options)
 *	ps_text_read(&t, gitdir, &diags);	(the store open: stdin, files,
 *						 the editor)
 *	note = ps_text_get(&t, "note");
 *	ps_text_release(&t);
 *
 * The names (and the arguments of ps_text_set) are borrowed and must
 * outlive the set; the texts read are the set's, freed by
 * ps_text_release(). Errors: 0, or the status of the diagnostics added.
 */
#ifndef PS_TEXT_H
#define PS_TEXT_H

#include "util/diag.h"

#define PS_TEXT_MAX	(64 * 1024)	/* a record's longest scalar */
#define PS_TEXT_CODE	24		/* longer text on argv is warned */
#define PS_TEXT_SLOTS	4		/* free-text options of one tool */

struct ps_text {
	const char	*name;		/* "note": --note and --note-file */
	const char	*arg;		/* the text, "-", or the file */
	int		 file;		/* arg came with --name-file */
	char		*text;		/* what was read (owned) */
};

struct ps_texts {
	struct ps_text	 v[PS_TEXT_SLOTS];
	int		 n;
};

#define PS_TEXTS_INIT	{ { { NULL, NULL, 0, NULL } }, 0 }

/* --name arg (file 0) or --name-file arg (file 1); the last given wins.
   0, or -1 when the set is full (a tool with too many). */
int	 ps_text_set(struct ps_texts *, const char *name, const char *arg,
	    int file);
/* The name of the k-th option (from 0) given "-", or NULL. */
const char *ps_text_stdin(const struct ps_texts *, int k);
/*
 * A warning for each text given on the command line that holds a blank
 * or is over PS_TEXT_CODE bytes, naming the option and the safe ways,
 * never the text.
 */
void	 ps_text_warn(const struct ps_texts *, struct ps_diags *);
/* Read the texts given "-" or as files; the editor's file goes in the
   git directory gitdir (ending in '/'). */
int	 ps_text_read(struct ps_texts *, const char *gitdir,
	    struct ps_diags *);
/* The text of --name: as given on the command line, or as read; NULL
   when the option was not given (or is not read yet). */
const char *ps_text_get(const struct ps_texts *, const char *name);
/* The text of --name as given on the command line itself: NULL for
   "-", a file, or an option not given. */
const char *ps_text_argv(const struct ps_texts *, const char *name);
void	 ps_text_release(struct ps_texts *);

#endif
