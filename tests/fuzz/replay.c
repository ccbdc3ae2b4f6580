/*
 * replay: run a fuzz target over files without libFuzzer, for
 * `make check` (plain cc): each FILE, or each file in a DIR, once,
 * printed as a TAP line. A crash or an abort ends the run, which the
 * test runner reports.
 *
 * usage: replay-TARGET FILE|DIR ...
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util/buf.h"
#include "fuzz.h"

static int count;

static int
one(const char *path)
{
	struct ps_buf b = PS_BUF_INIT;
	char chunk[65536];
	FILE *fp;
	size_t n;

	if ((fp = fopen(path, "rb")) == NULL) {
		printf("not ok %d - %s: cannot open\n", ++count, path);
		return 1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (ps_buf_add(&b, chunk, n) == -1) {
			fclose(fp);
			return 1;
		}
	fclose(fp);
	printf("# %s\n", path);
	fflush(stdout);
	LLVMFuzzerTestOneInput((const uint8_t *)(b.s ? b.s : ""), b.len);
	printf("ok %d - %s\n", ++count, path);
	ps_buf_release(&b);
	return 0;
}

static int
walk(const char *path)
{
	struct dirent **list;
	struct stat st;
	char sub[4096];
	int i, n, bad = 0;

	if (stat(path, &st) == -1 || !S_ISDIR(st.st_mode))
		return one(path);
	if ((n = scandir(path, &list, NULL, alphasort)) < 0)
		return 1;
	for (i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.') {
			snprintf(sub, sizeof(sub), "%s/%s", path,
			    list[i]->d_name);
			bad |= walk(sub);
		}
		free(list[i]);
	}
	free(list);
	return bad;
}

int
main(int argc, char *argv[])
{
	int i, bad = 0;

	for (i = 1; i < argc; i++)
		bad |= walk(argv[i]);
	printf("1..%d\n", count);
	return bad;
}
