/* text: free text from stdin, a file or $EDITOR; see text.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/signals.h"
#include "cli/text.h"

static struct ps_text *
find(const struct ps_texts *t, const char *name)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->v[i].name, name) == 0)
			return (struct ps_text *)&t->v[i];
	return NULL;
}

int
ps_text_set(struct ps_texts *t, const char *name, const char *arg, int file)
{
	struct ps_text *x;

	if ((x = find(t, name)) == NULL) {
		if (t->n == PS_TEXT_SLOTS)
			return -1;
		x = &t->v[t->n++];
		x->name = name;
	}
	x->arg = arg;
	/* --note-file - is the standard input, as a file operand - is */
	x->file = file && strcmp(arg, "-") != 0;
	return 0;
}

static int
from_stdin(const struct ps_text *x)
{
	return !x->file && strcmp(x->arg, "-") == 0;
}

const char *
ps_text_stdin(const struct ps_texts *t, int k)
{
	int i;

	for (i = 0; i < t->n; i++)
		if (from_stdin(&t->v[i]) && k-- == 0)
			return t->v[i].name;
	return NULL;
}

/*
 * Does text given on the command line look like more than a code (a
 * reason such as "moved", a certificate number)? Words, or more than
 * PS_TEXT_CODE bytes, are what people write about people.
 */
static int
more_than_code(const char *s)
{
	return strlen(s) > PS_TEXT_CODE || strpbrk(s, " \t\n\v\f\r") != NULL;
}

void
ps_text_warn(const struct ps_texts *t, struct ps_diags *d)
{
	const struct ps_text *x;
	int i;

	for (i = 0; i < t->n; i++) {
		x = &t->v[i];
		if (!x->file && !from_stdin(x) && more_than_code(x->arg))
			ps_diag_warn(d, "--%s: text on the command line can be "
			    "read by other users and stays in the shell's "
			    "history: give it with --%s - or --%s-file FILE",
			    x->name, x->name, x->name);
	}
}

/* A refusal of x's text, where it came from (a file, or NULL). */
static int
refuse(const struct ps_text *x, const char *file, struct ps_diags *d,
    const char *what)
{
	if (file)
		return ps_diag_add(d, PS_REFUSED, file, 0, 0, NULL,
		    "--%s-file: %s", x->name, what);
	return ps_diag_err(d, PS_REFUSED, "--%s -: %s", x->name, what);
}

/* Read fd to its end into b: 0; 1 when it holds over max bytes (b then
   holds some); -1 with errno. */
static int
read_fd(int fd, size_t max, struct ps_buf *b)
{
	char chunk[8192];
	ssize_t n;

	for (;;) {
		if ((n = read(fd, chunk, sizeof(chunk))) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return 0;
		if (b->len + (size_t)n > max)
			return 1;
		if (ps_buf_add(b, chunk, (size_t)n) == -1) {
			errno = ENOMEM;
			return -1;
		}
	}
}

/* The editor's file without its comment lines and its first blank
   lines, in place. */
static void
strip_comments(struct ps_buf *b)
{
	size_t i = 0, o = 0, n;
	int start = 1;
	const char *nl;

	while (i < b->len) {
		nl = memchr(b->s + i, '\n', b->len - i);
		n = nl ? (size_t)(nl - (b->s + i)) + 1 : b->len - i;
		if (b->s[i] != '#' && !(start &&
		    strspn(b->s + i, " \t\r\n") >= n)) {
			memmove(b->s + o, b->s + i, n);
			o += n;
			start = 0;
		}
		i += n;
	}
	ps_buf_truncate(b, o);
}

/*
 * Make b, read from stdin, a file or the editor, x's text: its final
 * newlines cut; refused when it is empty (blanks only), holds a NUL byte
 * or is over PS_TEXT_MAX.
 */
static int
take(struct ps_text *x, struct ps_buf *b, const char *file,
    struct ps_diags *d)
{
	size_t n = b->len;

	while (n > 0 && (b->s[n - 1] == '\n' || b->s[n - 1] == '\r'))
		n--;
	if (n == 0 || strspn(b->s, " \t\r\n\v\f") >= n)
		return refuse(x, file, d, "the text is empty: nothing was "
		    "changed");
	if (memchr(b->s, '\0', n) != NULL)
		return refuse(x, file, d, "the text holds a NUL byte");
	if (n > PS_TEXT_MAX)
		return refuse(x, file, d, "the text is over 64 KiB, more than "
		    "a record's field holds");
	ps_buf_truncate(b, n);
	x->text = ps_buf_detach(b);
	return 0;
}

/* Read fd (file, or NULL for stdin) whole as x's text. */
static int
read_text(struct ps_text *x, int fd, const char *file, int edited,
    struct ps_diags *d)
{
	struct ps_buf b = PS_BUF_INIT;
	char what[200];
	int rc, e;

	/* room for a final newline, and for the editor's comments */
	if ((rc = read_fd(fd, 2 * PS_TEXT_MAX, &b)) == -1) {
		e = errno;
		snprintf(what, sizeof(what), "cannot read%s: %s", file ? "" :
		    " the standard input", strerror(e));
		rc = e == ENOMEM ? ps_diag_nomem(d) : refuse(x, file, d, what);
	} else if (rc == 1)
		rc = refuse(x, file, d, "the text is over 64 KiB, more than "
		    "a record's field holds");
	else if (ps_buf_add(&b, "", 1) == -1)	/* b.s, even when empty */
		rc = ps_diag_nomem(d);
	else {
		b.len--;
		if (edited)
			strip_comments(&b);
		rc = take(x, &b, file, d);
	}
	ps_buf_release(&b);
	return rc;
}

static int
read_file(struct ps_text *x, struct ps_diags *d)
{
	char what[200];
	int fd, rc;

	if ((fd = open(x->arg, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(what, sizeof(what), "cannot open: %s",
		    strerror(errno));
		return refuse(x, x->arg, d, what);
	}
	rc = read_text(x, fd, x->arg, 0, d);
	close(fd);
	return rc;
}

/* The folder open at fd read through a copy of it, fd staying the
   caller's; NULL when it cannot be. */
static DIR *
dir_of(int fd)
{
	DIR *dp;

	if ((fd = dup(fd)) == -1)
		return NULL;
	if ((dp = fdopendir(fd)) == NULL)
		close(fd);
	return dp;
}

/* Remove the files in the folder dfd (an editor's, with its swap or
   backup files). */
static void
empty_dir(int dfd)
{
	struct dirent *e;
	DIR *dp;

	if ((dp = dir_of(dfd)) == NULL)
		return;
	while ((e = readdir(dp)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			unlinkat(dfd, e->d_name, 0);
	closedir(dp);
}

/*
 * The folders in .git/ps-edit (held open in top) of runs that died
 * while their editor was open (kill -9, a power loss): each run locks
 * its own folder while it lives, so one that can be locked is left over,
 * and is removed with the text in it.
 */
static void
sweep(int top)
{
	struct dirent *e;
	DIR *dp;
	int fd;

	if ((dp = dir_of(top)) == NULL)
		return;
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		if ((fd = openat(top, e->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC)) == -1)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			empty_dir(fd);
			unlinkat(top, e->d_name, AT_REMOVEDIR);
		}
		close(fd);
	}
	closedir(dp);
}

/*
 * This run's folder for the editor, .git/ps-edit/XXXXXX (its name into
 * dir), made and locked (*fd) with .git/ps-edit locked, so that no sweep
 * takes it before it is ours. 0, or -1 with errno.
 */
static int
session_open(const char *gitdir, struct ps_buf *dir, int *fd)
{
	int top = -1, rc = -1, e;

	*fd = -1;
	if (ps_buf_printf(dir, "%sps-edit", gitdir) == -1)
		return -1;
	if ((mkdir(dir->s, 0700) == -1 && errno != EEXIST) ||
	    (top = open(dir->s, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC)) == -1 || flock(top, LOCK_EX) == -1)
		goto done;
	sweep(top);
	if (ps_buf_puts(dir, "/XXXXXX") == -1 || mkdtemp(dir->s) == NULL)
		goto done;
	if ((*fd = open(dir->s, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    flock(*fd, LOCK_EX) == -1) {
		e = errno;
		if (*fd != -1)
			close(*fd);
		*fd = -1;
		rmdir(dir->s);
		errno = e;
		goto done;
	}
	rc = 0;
done:
	e = errno;
	if (top != -1)
		close(top);	/* and its lock */
	errno = e;
	return rc;
}

static void
session_close(const char *dir, int fd)
{
	empty_dir(fd);
	rmdir(dir);
	close(fd);
}

/* $EDITOR, else $VISUAL, else vi. */
static const char *
editor(void)
{
	const char *e;

	if ((e = getenv("EDITOR")) != NULL && *e)
		return e;
	if ((e = getenv("VISUAL")) != NULL && *e)
		return e;
	return "vi";
}

/*
 * The editor's standard output the terminal, where the tool's goes into
 * a pipe or a file (ps-log --note - >/dev/null): an editor writes its
 * screen there. In the editor's process, before exec.
 */
static void
to_terminal(void)
{
	int fd;

	if (isatty(STDOUT_FILENO) || (fd = open("/dev/tty", O_RDWR)) == -1)
		return;
	dup2(fd, STDOUT_FILENO);
	close(fd);
}

/*
 * Run the editor on path, through the shell as git does (so that
 * EDITOR="code --wait" works), and wait for it; its wait status into
 * *status. SIGINT and SIGQUIT, which a terminal sends to the editor
 * too, are ignored meanwhile (the editor decides what they do); the
 * caller holds the others. 0, or -1 with errno when it cannot start.
 */
static int
run_editor(const char *path, const sigset_t *mask, int *status)
{
	struct sigaction ign, oint, oquit;
	struct ps_buf cmd = PS_BUF_INIT;
	const char *ed = editor();
	pid_t pid;
	int e;

	if (ps_buf_printf(&cmd, "%s \"$@\"", ed) == -1) {
		errno = ENOMEM;
		return -1;
	}
	memset(&ign, 0, sizeof(ign));
	ign.sa_handler = SIG_IGN;
	sigaction(SIGINT, &ign, &oint);
	sigaction(SIGQUIT, &ign, &oquit);
	fflush(stdout);
	fflush(stderr);
	if ((pid = fork()) == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		sigprocmask(SIG_SETMASK, mask, NULL);
		to_terminal();
		execl("/bin/sh", "sh", "-c", cmd.s, ed, path, (char *)NULL);
		_exit(127);
	}
	e = errno;
	while (pid > 0 && waitpid(pid, status, 0) == -1 && errno == EINTR)
		;
	sigaction(SIGINT, &oint, NULL);
	sigaction(SIGQUIT, &oquit, NULL);
	ps_buf_release(&cmd);
	errno = e;
	return pid > 0 ? 0 : -1;
}

/* Read what the editor left at path as x's text. */
static int
read_edited(struct ps_text *x, const char *path, int status,
    struct ps_diags *d)
{
	char what[100];
	int fd, rc;

	if (WIFSIGNALED(status) || WEXITSTATUS(status) != 0) {
		snprintf(what, sizeof(what), "the editor %s %d: nothing was "
		    "changed", WIFSIGNALED(status) ? "was killed by signal" :
		    "failed with exit status", WIFSIGNALED(status) ?
		    WTERMSIG(status) : WEXITSTATUS(status));
		return refuse(x, NULL, d, what);
	}
	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1)
		return refuse(x, NULL, d, "the editor left no file: nothing "
		    "was changed");
	rc = read_text(x, fd, NULL, 1, d);
	close(fd);
	return rc;
}

/*
 * x's text written in the editor, in a private file of this run's own
 * folder in .git/ps-edit, removed with the folder whatever happens;
 * SIGINT, SIGTERM and SIGHUP are held until it is gone.
 */
static int
edit(struct ps_text *x, const char *gitdir, struct ps_diags *d)
{
	struct ps_buf dir = PS_BUF_INIT, path = PS_BUF_INIT;
	sigset_t mask;
	FILE *fp = NULL;
	int dfd = -1, fd, status = 0, bad, rc;

	ps_signals_hold(&mask);
	if (session_open(gitdir, &dir, &dfd) == -1) {
		rc = ps_diag_err(d, PS_STORE, "%s: cannot make a private "
		    "file for the editor: %s", dir.s ? dir.s : gitdir,
		    strerror(errno));
		goto done;
	}
	if (ps_buf_printf(&path, "%s/%s", dir.s, x->name) == -1) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if ((fd = open(path.s, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0600)) == -1 || (fp = fdopen(fd, "w")) == NULL) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", path.s,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		goto done;
	}
	/* what the file holds at first: lines that are left out */
	errno = 0;
	bad = fprintf(fp, "\n# The text of --%s, written above. Lines "
	    "starting with '#' are\n# left out; an empty text stops the "
	    "command, and nothing is changed.\n# This file is readable by "
	    "you only, and removed once read.\n", x->name) < 0;
	if (fclose(fp) == EOF || bad) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", path.s,
		    strerror(errno ? errno : EIO));
		goto done;
	}
	if (run_editor(path.s, &mask, &status) == -1) {
		rc = ps_diag_err(d, PS_STORE, "cannot run the editor: %s",
		    strerror(errno));
		goto done;
	}
	rc = read_edited(x, path.s, status, d);
done:
	if (dfd != -1)
		session_close(dir.s, dfd);
	ps_signals_release(&mask);
	ps_buf_release(&dir);
	ps_buf_release(&path);
	return rc;
}

int
ps_text_read(struct ps_texts *t, const char *gitdir, struct ps_diags *d)
{
	struct ps_text *x;
	int i, rc = 0;

	for (i = 0; i < t->n && rc == 0; i++) {
		x = &t->v[i];
		if (x->text != NULL)
			continue;
		if (x->file)
			rc = read_file(x, d);
		else if (!from_stdin(x))
			continue;
		else if (isatty(STDIN_FILENO))
			rc = edit(x, gitdir, d);
		else
			rc = read_text(x, STDIN_FILENO, NULL, 0, d);
	}
	return rc;
}

const char *
ps_text_get(const struct ps_texts *t, const char *name)
{
	const struct ps_text *x = find(t, name);

	if (x == NULL)
		return NULL;
	if (x->text)
		return x->text;
	return ps_text_argv(t, name);
}

const char *
ps_text_argv(const struct ps_texts *t, const char *name)
{
	const struct ps_text *x = find(t, name);

	return x && !x->file && !from_stdin(x) ? x->arg : NULL;
}

void
ps_text_release(struct ps_texts *t)
{
	int i;

	for (i = 0; i < t->n; i++) {
		free(t->v[i].text);
		t->v[i].text = NULL;
	}
	t->n = 0;
}
