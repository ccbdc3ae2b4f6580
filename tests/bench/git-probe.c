/*
 * git-probe: what libgit2 alone costs in a store, phase by phase, to say
 * where the time of a ps- command that writes goes (tests/bench/bench.sh).
 *
 *	git-probe STORE [INDEX]
 *
 * Prints "init US open US read US write US entries N": microseconds to
 * start libgit2 (git_libgit2_init), open the repository, read the index
 * and write it back unchanged (to a lock file, then renamed over it, as
 * any index update does), and the index's entries. With INDEX (a whole
 * index file: a split index's shared part, which libgit2 reads where it
 * cannot read the split one), a copy of it is read and written, in its
 * folder. Run it several times and take medians; the first run pays for
 * a cold cache.
 */
#include <git2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static long long
us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

int
main(int argc, char *argv[])
{
	git_repository *repo = NULL;
	git_index *idx = NULL;
	long long t0, t1, t2, t3, t4;
	char copy[4096], buf[1 << 16];
	FILE *in = NULL, *out = NULL;
	size_t n;

	if (argc != 2 && argc != 3) {
		fputs("usage: git-probe STORE [INDEX]\n", stderr);
		return 2;
	}
	copy[0] = '\0';
	if (argc == 3) {
		snprintf(copy, sizeof(copy), "%s.probe", argv[2]);
		if ((in = fopen(argv[2], "rb")) == NULL ||
		    (out = fopen(copy, "wb")) == NULL)
			goto fail;
		while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
			fwrite(buf, 1, n, out);
		fclose(in);
		if (fclose(out) != 0)
			goto fail;
	}
	t0 = us();
	git_libgit2_init();
	t1 = us();
	if (git_repository_open(&repo, argv[1]) < 0)
		goto fail;
	t2 = us();
	if ((copy[0] ? git_index_open(&idx, copy) :
	    git_repository_index(&idx, repo)) < 0 ||
	    git_index_read(idx, 1) < 0)
		goto fail;
	t3 = us();
	if (git_index_write(idx) < 0)
		goto fail;
	t4 = us();
	printf("init %lld open %lld read %lld write %lld entries %zu\n",
	    t1 - t0, t2 - t1, t3 - t2, t4 - t3, git_index_entrycount(idx));
	git_index_free(idx);
	git_repository_free(repo);
	git_libgit2_shutdown();
	if (copy[0])
		unlink(copy);
	return 0;
fail:
	if (copy[0])
		unlink(copy);
	fprintf(stderr, "git-probe: %s: %s\n", argv[1],
	    git_error_last() ? git_error_last()->message : "libgit2 failed");
	return 1;
}
