/*
 * failmalloc: an LD_PRELOAD shim that makes an allocation fail, for the
 * reliability tests (tests/reliability/alloc.sh).
 *
 *	FAILMALLOC_N=n		the n-th call of malloc, calloc, realloc,
 *				reallocarray, posix_memalign, aligned_alloc or
 *				memalign (counted from 1, once main's process is
 *				set up) returns NULL with errno ENOMEM
 *	FAILMALLOC_PERSIST=1	and every call after it too
 *	FAILMALLOC_TRACE=1	print the call stack of a failed call to stderr
 *	FAILMALLOC_COUNT=file	at exit, write how many calls there were
 *	FAILMALLOC_SITES=file	at exit, write the number of each call made
 *				from a call stack (FAILMALLOC_DEPTH frames,
 *				default 4) not seen before, one a line
 *
 * An allocation made inside glibc's regcomp() is never failed (the next
 * one is, instead): glibc before 2.42 frees twice after one fails there
 * (CVE-2025-8058, sourceware bug 33185), a bug of the C library that no
 * caller can work around.
 *
 * Without FAILMALLOC_N nothing fails: a run under FAILMALLOC_SITES lists
 * the allocation points of a run (the first call from each place in the
 * code that allocates, told apart by who called it), and failing the
 * n-th call of each in turn fails every point once. glibc's own __libc_*
 * functions do the work, so the shim needs no dlsym() (which allocates).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern void	*__libc_malloc(size_t);
extern void	*__libc_calloc(size_t, size_t);
extern void	*__libc_realloc(void *, size_t);
extern void	*__libc_memalign(size_t, size_t);

static unsigned long	calls;
static unsigned long	exempt;
static unsigned long	fail_at;
static int		persist;
static int		armed;
static int		trace;
static int		depth = 4;

/* FAILMALLOC_SITES: a set of stack hashes, and the first call of each */
#define NSLOTS		(1 << 16)
static unsigned long	*slots;		/* hash, 0 for a free slot */
static unsigned long	*firsts;
static size_t		 nfirsts;
static __thread int	 busy;

static void __attribute__((constructor))
setup(void)
{
	const char *n = getenv("FAILMALLOC_N"), *p;
	void *f[2];

	if (n && *n)
		fail_at = strtoul(n, NULL, 10);
	p = getenv("FAILMALLOC_PERSIST");
	persist = p && *p == '1';
	p = getenv("FAILMALLOC_TRACE");
	trace = p && *p == '1';
	if ((p = getenv("FAILMALLOC_DEPTH")) != NULL && atoi(p) > 0 &&
	    atoi(p) < 16)
		depth = atoi(p);
	backtrace(f, 2);	/* loads libgcc_s now, not in a call */
	if ((p = getenv("FAILMALLOC_SITES")) != NULL && *p) {
		slots = __libc_calloc(NSLOTS, sizeof(*slots));
		firsts = __libc_calloc(NSLOTS, sizeof(*firsts));
	}
	armed = 1;
}

/* Note call c if its call stack is new. */
static void
note_site(unsigned long c)
{
	void *f[17];
	unsigned long h = 1469598103934665603UL;
	int i, n;
	size_t k;

	if (slots == NULL || busy)
		return;
	busy = 1;
	n = backtrace(f, depth + 2);
	for (i = 2; i < n; i++)	/* past note_site and fail */
		h = (h ^ (unsigned long)f[i]) * 1099511628211UL;
	h |= 1;
	for (k = h % NSLOTS; slots[k] != 0 && slots[k] != h;
	    k = (k + 1) % NSLOTS)
		;
	if (slots[k] == 0 && nfirsts < NSLOTS / 2) {
		slots[k] = h;
		firsts[nfirsts++] = c;
	}
	busy = 0;
}

static void __attribute__((destructor))
report(void)
{
	const char *f = getenv("FAILMALLOC_COUNT");
	char line[48];
	size_t i;
	int fd, n;

	armed = 0;
	if (f && *f && (fd = open(f, O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) != -1) {
		n = snprintf(line, sizeof(line), "%lu %lu\n", calls, exempt);
		if (write(fd, line, (size_t)n) != n)
			n = 0;
		close(fd);
	}
	f = getenv("FAILMALLOC_SITES");
	if (f && *f && slots && (fd = open(f, O_WRONLY | O_CREAT | O_TRUNC,
	    0600)) != -1) {
		for (i = 0; i < nfirsts; i++) {
			n = snprintf(line, sizeof(line), "%lu\n", firsts[i]);
			if (write(fd, line, (size_t)n) != n)
				break;
		}
		close(fd);
	}
}

/* Is this call made inside regcomp()? */
static int
in_regcomp(void)
{
	void *f[24];
	Dl_info info;
	int i, n, found = 0;

	busy = 1;
	n = backtrace(f, 24);
	for (i = 2; i < n && !found; i++)
		found = dladdr(f[i], &info) && info.dli_sname &&
		    strcmp(info.dli_sname, "regcomp") == 0;
	busy = 0;
	return found;
}

/* Should this call fail? */
static int
fail(void)
{
	unsigned long c;

	if (!armed || busy)
		return 0;
	c = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	note_site(c);
	if (fail_at == 0 || c < fail_at || (c > fail_at && !persist))
		return 0;
	if (in_regcomp()) {
		exempt++;
		if (c == fail_at)
			fail_at++;
		return 0;
	}
	if (trace && c == fail_at) {
		void *f[32];

		busy = 1;
		backtrace_symbols_fd(f, backtrace(f, 32), STDERR_FILENO);
		busy = 0;
	}
	errno = ENOMEM;
	return 1;
}

void *
malloc(size_t n)
{
	return fail() ? NULL : __libc_malloc(n);
}

void *
calloc(size_t n, size_t size)
{
	return fail() ? NULL : __libc_calloc(n, size);
}

void *
realloc(void *p, size_t n)
{
	return fail() ? NULL : __libc_realloc(p, n);
}

void *
reallocarray(void *p, size_t n, size_t size)
{
	if (size && n > (size_t)-1 / size) {
		errno = ENOMEM;
		return NULL;
	}
	return realloc(p, n * size);
}

void *
memalign(size_t align, size_t n)
{
	return fail() ? NULL : __libc_memalign(align, n);
}

void *
aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

int
posix_memalign(void **out, size_t align, size_t n)
{
	void *p = memalign(align, n);

	if (p == NULL)
		return ENOMEM;
	*out = p;
	return 0;
}
