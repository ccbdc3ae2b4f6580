/*
 * assign-bench: time lib/rules/assign.c on a random instance the size of a large
 * programme — 10,000 participants, 2,000 volunteers of capacity 1 to 3,
 * 50 eligible volunteers a participant — made from a fixed seed.
 *
 *	assign-bench [-n participants] [-m volunteers] [-d degree]
 *	    [-s seed] [-o instance.txt]
 *	assign-bench -i instance.txt
 *
 * -o also writes the instance as text for tests/bench/assign-peer.py:
 * "n m", the m capacities one a line, then "i j score" an edge a line.
 * Scores are whole millionths, so both sides see exactly the same numbers;
 * about one in fifty is negative (never worth using).
 *
 * -i solves an instance in that form instead (lines that start with # are
 * skipped), such as the one ps-match writes when PS_MATCH_DUMP names a
 * file: the solver alone on ps-match's own problem.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "rules/assign.h"

static uint64_t rng_state;

/* xorshift64*: small, fast and the same everywhere. */
static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * UINT64_C(2685821657736338717);
}

static uint64_t
rng_below(uint64_t n)
{
	return (rng() >> 11) % n;
}

static double
ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1e3 +
	    (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static void
usage(void)
{
	fputs("usage: assign-bench [-n participants] [-m volunteers] "
	    "[-d degree] [-s seed] [-o instance.txt]\n"
	    "       assign-bench -i instance.txt\n", stderr);
	exit(2);
}

/* An instance from a file: n, m, the capacities, then the edges. */
static struct ps_assign *
load(const char *file, size_t *n, size_t *m, size_t *edges)
{
	struct ps_assign *a = NULL;
	char line[256];
	size_t i, j, k = 0;
	double score;
	FILE *f;
	int cap, ok = 0;

	if ((f = fopen(file, "r")) == NULL) {
		fprintf(stderr, "assign-bench: %s: %s\n", file, strerror(errno));
		exit(1);
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		if (line[0] == '#')
			continue;
		if (a == NULL) {
			if (sscanf(line, "%zu %zu", n, m) != 2 ||
			    (a = ps_assign_new(*n, *m)) == NULL)
				break;
		} else if (k < *m) {
			if (sscanf(line, "%d", &cap) != 1 ||
			    ps_assign_capacity(a, k++, cap) == -1)
				break;
		} else if (sscanf(line, "%zu %zu %lf", &i, &j, &score) != 3 ||
		    ps_assign_edge(a, i, j, score) == -1)
			break;
		else
			(*edges)++;
	}
	ok = a != NULL && k == *m && feof(f) && !ferror(f);
	fclose(f);
	if (!ok) {
		fprintf(stderr, "assign-bench: %s: not an instance (line %zu "
		    "of the edges)\n", file, *edges + 1);
		exit(1);
	}
	return a;
}

static size_t
number(const char *s)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0)
		usage();
	return (size_t)v;
}

int
main(int argc, char *argv[])
{
	struct ps_assign *a = NULL;
	struct timespec t0;
	struct rusage ru;
	FILE *dump = NULL;
	const char *out = NULL, *in = NULL;
	size_t n = 10000, m = 2000, deg = 50, i, j, k, edges = 0, matched = 0;
	uint32_t *mark = NULL;
	double score, ms;
	int64_t w;
	int c, cap, rc = 1;

	rng_state = 20240601;
	while ((c = getopt(argc, argv, "n:m:d:s:o:i:")) != -1) {
		switch (c) {
		case 'n':
			n = number(optarg);
			break;
		case 'm':
			m = number(optarg);
			break;
		case 'd':
			deg = number(optarg);
			break;
		case 's':
			rng_state = number(optarg);
			break;
		case 'o':
			out = optarg;
			break;
		case 'i':
			in = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || deg > m || (in != NULL && out != NULL))
		usage();
	if (in != NULL) {
		a = load(in, &n, &m, &edges);
		goto solve;
	}
	if (out != NULL && (dump = fopen(out, "w")) == NULL) {
		fprintf(stderr, "assign-bench: %s: %s\n", out, strerror(errno));
		return 1;
	}
	if ((a = ps_assign_new(n, m)) == NULL ||
	    (mark = calloc(m, sizeof(*mark))) == NULL)
		goto nomem;
	if (dump != NULL)
		fprintf(dump, "%zu %zu\n", n, m);
	for (j = 0; j < m; j++) {
		cap = 1 + (int)rng_below(3);
		if (ps_assign_capacity(a, j, cap) == -1)
			goto nomem;
		if (dump != NULL)
			fprintf(dump, "%d\n", cap);
	}
	for (i = 0; i < n; i++) {
		/* A waiting bonus shared by the participant's edges. */
		int64_t bonus = (int64_t)rng_below(40000001);

		for (k = 0; k < deg; k++) {
			do
				j = rng_below(m);
			while (mark[j] == i + 1);
			mark[j] = (uint32_t)(i + 1);
			w = (int64_t)rng_below(60000001);
			w = rng_below(50) == 0 ? -w : w + bonus;
			score = (double)w / 1e6;
			if (ps_assign_edge(a, i, j, score) == -1)
				goto nomem;
			if (dump != NULL)
				fprintf(dump, "%zu %zu %s%" PRId64 ".%06" PRId64
				    "\n", i, j, w < 0 ? "-" : "",
				    (w < 0 ? -w : w) / 1000000,
				    (w < 0 ? -w : w) % 1000000);
			edges++;
		}
	}
	if (dump != NULL && fclose(dump) != 0) {
		dump = NULL;
		fprintf(stderr, "assign-bench: %s: %s\n", out, strerror(errno));
		goto done;
	}
	dump = NULL;

solve:
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (ps_assign_solve(a) == -1)
		goto nomem;
	ms = ms_since(&t0);
	for (i = 0; i < n; i++)
		if (ps_assign_left(a, i) != -1)
			matched++;
	getrusage(RUSAGE_SELF, &ru);
	printf("assign n=%zu m=%zu edges=%zu matched=%zu total=%.6f "
	    "time=%.1f ms maxrss=%.1f MB\n", n, m, edges, matched,
	    ps_assign_total(a), ms, (double)ru.ru_maxrss / 1024);
	rc = 0;
	goto done;
nomem:
	fprintf(stderr, "assign-bench: %s\n", strerror(errno));
done:
	if (dump != NULL)
		fclose(dump);
	free(mark);
	ps_assign_free(a);
	return rc;
}
