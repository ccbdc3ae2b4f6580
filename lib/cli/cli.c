/* cli: shared command-line conventions; see cli.h. */
#include <errno.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "cli/cli.h"

/* The first error writing to the standard output, its errno. */
static int	out_errno;

/* stdout's writes, through write(2), noting the first error: stdio keeps
   only that there was one, and a later call changes errno. */
static ssize_t
out_write(void *cookie, const char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	(void)cookie;
	while (done < len) {
		if ((n = write(STDOUT_FILENO, buf + done, len - done)) == -1) {
			if (errno == EINTR)
				continue;
			if (out_errno == 0)
				out_errno = errno;
			return 0;	/* fopencookie(3): an error */
		}
		done += (size_t)n;
	}
	return (ssize_t)len;
}

static void
out_init(void)
{
	static const cookie_io_functions_t io = { NULL, out_write, NULL,
	    NULL };
	FILE *f;

	if ((f = fopencookie(NULL, "w", io)) == NULL)
		return;		/* stdio's own, then */
	setvbuf(f, NULL, isatty(STDOUT_FILENO) ? _IOLBF : _IOFBF, 64 << 10);
	stdout = f;
}

void
ps_cli_init(struct ps_cli *c, const char *tool, const char *usage)
{
	struct rlimit nocore = { 0, 0 };
	struct ps_diags empty = PS_DIAGS_INIT;
	struct ps_texts none = PS_TEXTS_INIT;

	memset(c, 0, sizeof(*c));
	c->tool = tool;
	c->usage = usage;
	c->diags = empty;
	c->texts = none;
	umask(077);
	/*
	 * No core dumps. The records a tool holds in memory are people's
	 * health information; a core file would put them on disk outside
	 * the store, readable by whoever reads the directory it lands in,
	 * kept by crash reporters, never erased with the record. A limit
	 * of 0 stops a core file, but not a core_pattern pipe
	 * (systemd-coredump, apport), which the kernel hands the memory
	 * whatever the limit: on Linux the process is also made not
	 * dumpable, which stops those too, and keeps other processes of
	 * the same user from reading its memory (ptrace, /proc/PID/mem).
	 */
	setrlimit(RLIMIT_CORE, &nocore);
#ifdef __linux__
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
	signal(SIGPIPE, SIG_IGN);
	out_init();
	/*
	 * Large buffers (a folder's tree of 600 KB, read, spliced and
	 * written; a cache file) taken from the heap and reused, not mapped
	 * afresh and faulted in page by page each time: a third of a
	 * one-record commit's page faults.
	 */
	mallopt(M_MMAP_THRESHOLD, 32 << 20);
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
}

static void
print_usage(const struct ps_cli *c, FILE *fp)
{
	const char *p = c->usage, *nl;
	int first = 1;

	while (*p) {
		nl = strchr(p, '\n');
		fprintf(fp, "%s%.*s\n", first ? "usage: " : "       ",
		    (int)(nl ? nl - p : (long)strlen(p)), p);
		first = 0;
		p = nl ? nl + 1 : p + strlen(p);
	}
}

int
ps_cli_option(struct ps_cli *c, int opt, const char *arg)
{
	switch (opt) {
	case 'C':
		c->store = arg;
		return 1;
	case 'n':
		c->dry_run = 1;
		return 1;
	case PS_OPT_AUTHOR:
		c->author = arg;
		return 1;
	case PS_OPT_YAML:
		c->output = PS_OUT_YAML;
		return 1;
	case PS_OPT_TABLE:
		c->output = PS_OUT_TABLE;
		return 1;
	case 'h':
		print_usage(c, stdout);
		exit(ps_cli_exit(c, 0));
	case PS_OPT_VERSION:
		printf("%s %s\n", c->tool, PS_VERSION);
		exit(ps_cli_exit(c, 0));
	case '?':
		print_usage(c, stderr);
		exit(2);
	}
	return 0;
}

void
ps_cli_text(struct ps_cli *c, const char *name, int opt, const char *arg)
{
	if (ps_text_set(&c->texts, name, arg, (opt & PS_OPT_FILE) != 0) == -1)
		abort();	/* a tool with over PS_TEXT_SLOTS of them */
}

int
ps_cli_texts(struct ps_cli *c, const char *stdin_holds)
{
	const char *a = ps_text_stdin(&c->texts, 0);
	const char *b = ps_text_stdin(&c->texts, 1);

	if (b)
		return ps_cli_usage(c, "--%s - and --%s -: the standard input "
		    "holds one text; give the other with --%s-file FILE", a,
		    b, b);
	if (a && stdin_holds)
		return ps_cli_usage(c, "--%s -: the standard input holds %s; "
		    "give the text with --%s-file FILE", a, stdin_holds, a);
	ps_text_warn(&c->texts, &c->diags);
	return 0;
}

int
ps_cli_usage(struct ps_cli *c, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", c->tool);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_usage(c, stderr);
	return PS_USAGE;
}

int
ps_cli_table(const struct ps_cli *c)
{
	if (c->output != PS_OUT_AUTO)
		return c->output == PS_OUT_TABLE;
	return isatty(STDOUT_FILENO);
}

/* Is fd a pipe whose reading end is closed (poll says POLLERR)? */
static int
reader_gone(int fd)
{
	struct pollfd p = { fd, POLLOUT, 0 };

	return poll(&p, 1, 0) == 1 && (p.revents & POLLERR);
}

int
ps_cli_exit(struct ps_cli *c, int status)
{
	int err, committed;

	if (c->diags.status > status)
		status = c->diags.status;
	committed = c->diags.committed;
	ps_diags_print(&c->diags, c->tool, stderr);
	ps_diags_release(&c->diags);
	ps_text_release(&c->texts);
	/*
	 * A failed write to stdout changes the exit status, but not that of
	 * a write that is committed: it is done, and a retry (a cron job's)
	 * would make it twice; stderr says the output was lost. EPIPE (the
	 * reader gone) is quiet.
	 */
	errno = 0;
	err = fflush(stdout) != 0 || ferror(stdout);
	if (fclose(stdout) != 0)
		err = 1;
	if (err && out_errno)
		errno = out_errno;	/* the first, not a later one's */
	if (err && errno == 0 && reader_gone(STDOUT_FILENO))
		errno = EPIPE;	/* a write before failed, its errno lost */
	if (err && errno != EPIPE) {
		if (committed && status == 0)
			fprintf(stderr, "%s: the write is committed, but its "
			    "output was lost: %s\n", c->tool,
			    strerror(errno ? errno : EIO));
		else
			fprintf(stderr, "%s: cannot write output: %s\n",
			    c->tool, strerror(errno ? errno : EIO));
		if (status == 0 && !committed)
			status = PS_STORE;
	}
	return status;
}
