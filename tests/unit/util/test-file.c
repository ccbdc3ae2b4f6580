/*
 * Unit tests: temp files written whole, and syncing by path
 * (lib/util/file.c), in a folder of their own under $TMPDIR or /tmp.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/file.h"

static char dir[PATH_MAX];

/* Remove every file of dir (the tests make no folders in it). */
static void
empty_dir(void)
{
	char path[PATH_MAX + 256];
	struct dirent *e;
	DIR *dp = opendir(dir);

	if (dp == NULL)
		return;
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(dp);
}

static int
setup(void **state)
{
	const char *t = getenv("TMPDIR");

	(void)state;
	snprintf(dir, sizeof(dir), "%s/ps-test-file.XXXXXX",
	    t && *t ? t : "/tmp");
	return mkdtemp(dir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	empty_dir();
	return rmdir(dir);
}

/* How many files the folder holds. */
static int
files(void)
{
	struct dirent *e;
	DIR *dp = opendir(dir);
	int n = 0;

	assert_non_null(dp);
	while ((e = readdir(dp)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(dp);
	return n;
}

/* The whole of a file, checked against want[0..len). */
static void
expect_file(const char *path, const void *want, size_t len)
{
	struct ps_buf b = PS_BUF_INIT;
	char chunk[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		assert_int_equal(ps_buf_add(&b, chunk, (size_t)n), 0);
	assert_int_equal(n, 0);
	close(fd);
	assert_int_equal(b.len, len);
	if (len)
		assert_memory_equal(b.s, want, len);
	ps_buf_release(&b);
}

static void
template(char *path, size_t size)
{
	snprintf(path, size, "%s/.tmp-XXXXXX", dir);
}

/* The template gets its name; the file holds the data, for this user
   alone; synced or not. */
static void
write_tmp_writes_all(void **state)
{
	const char data[] = "kind: participant\nid: P-7K3Q2X\n";
	char path[PATH_MAX + 32];
	struct stat st;
	int sync;

	(void)state;
	for (sync = 0; sync <= 1; sync++) {
		template(path, sizeof(path));
		assert_int_equal(ps_file_write_tmp(path, data, sizeof(data) - 1,
		    sync), 0);
		assert_null(strstr(path, "XXXXXX"));
		expect_file(path, data, sizeof(data) - 1);
		assert_int_equal(stat(path, &st), 0);
		assert_int_equal(st.st_mode & 0777, 0600);
		assert_int_equal(unlink(path), 0);
	}
	/* nothing to write: an empty file */
	template(path, sizeof(path));
	assert_int_equal(ps_file_write_tmp(path, "", 0, 1), 0);
	expect_file(path, "", 0);
	assert_int_equal(files(), 1);
	empty_dir();
}

/* A megabyte, whole, however much each write() takes. */
static void
write_tmp_large(void **state)
{
	char path[PATH_MAX + 32];
	size_t len = 1 << 20, i;
	char *data = malloc(len);

	(void)state;
	assert_non_null(data);
	for (i = 0; i < len; i++)
		data[i] = (char)(i * 7 % 251);
	template(path, sizeof(path));
	assert_int_equal(ps_file_write_tmp(path, data, len, 0), 0);
	expect_file(path, data, len);
	free(data);
	empty_dir();
}

/* Pieces, empty ones among them and more than IOV_MAX of them, written
   in order. */
static void
write_tmpv_pieces(void **state)
{
	char path[PATH_MAX + 32];
	char p0[] = "---\n", p2[] = "a: 1\n", p4[] = "b: 2\n";
	struct iovec v[5], *many;
	struct ps_buf want = PS_BUF_INIT;
	size_t n = 3 * IOV_MAX + 7, i;
	char *bytes;

	(void)state;
	v[0] = (struct iovec){ p0, 4 };
	v[1] = (struct iovec){ p2, 0 };
	v[2] = (struct iovec){ p2, 5 };
	v[3] = (struct iovec){ NULL, 0 };
	v[4] = (struct iovec){ p4, 5 };
	template(path, sizeof(path));
	assert_int_equal(ps_file_write_tmpv(path, v, 5, 1), 0);
	expect_file(path, "---\na: 1\nb: 2\n", 14);
	unlink(path);

	many = calloc(n, sizeof(*many));
	bytes = malloc(n);
	assert_non_null(many);
	assert_non_null(bytes);
	for (i = 0; i < n; i++) {
		bytes[i] = (char)('a' + i % 26);
		many[i].iov_base = &bytes[i];
		many[i].iov_len = i % 5 == 4 ? 0 : 1;
		if (many[i].iov_len)
			ps_buf_putc(&want, bytes[i]);
	}
	template(path, sizeof(path));
	assert_int_equal(ps_file_write_tmpv(path, many, (int)n, 0), 0);
	expect_file(path, want.s, want.len);
	/* no pieces at all */
	unlink(path);
	template(path, sizeof(path));
	assert_int_equal(ps_file_write_tmpv(path, many, 0, 0), 0);
	expect_file(path, "", 0);
	free(many);
	free(bytes);
	ps_buf_release(&want);
	empty_dir();
}

/* No file can be made: -1 with errno, and nothing made. */
static void
write_tmp_cannot_create(void **state)
{
	char path[PATH_MAX + 64];

	(void)state;
	snprintf(path, sizeof(path), "%s/no-such-folder/.tmp-XXXXXX", dir);
	errno = 0;
	assert_int_equal(ps_file_write_tmp(path, "x", 1, 1), -1);
	assert_int_equal(errno, ENOENT);
	/* not a template */
	snprintf(path, sizeof(path), "%s/plain-name", dir);
	errno = 0;
	assert_int_equal(ps_file_write_tmp(path, "x", 1, 1), -1);
	assert_int_equal(errno, EINVAL);
	assert_int_equal(files(), 0);
}

/*
 * A write that fails half way (the file size limit, as a full disk
 * would): -1 with the write's errno, and the temp file gone. The limit
 * is lifted again before anything is checked or printed.
 */
static void
write_tmp_failure_leaves_nothing(void **state)
{
	char path[PATH_MAX + 32];
	struct iovec v[2] = { { NULL, 3000 }, { NULL, 3000 } };
	struct rlimit old, low;
	void (*was)(int);
	char *data = calloc(1, 6000);
	int rc, e;

	(void)state;
	assert_non_null(data);
	v[0].iov_base = data;
	v[1].iov_base = data + 3000;
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	low = old;
	low.rlim_cur = 4096;
	was = signal(SIGXFSZ, SIG_IGN);
	template(path, sizeof(path));
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &low), 0);
	rc = ps_file_write_tmp(path, data, 6000, 1);
	e = errno;
	setrlimit(RLIMIT_FSIZE, &old);
	assert_int_equal(rc, -1);
	assert_int_equal(e, EFBIG);
	assert_int_equal(files(), 0);
	/* in pieces too */
	template(path, sizeof(path));
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &low), 0);
	rc = ps_file_write_tmpv(path, v, 2, 0);
	e = errno;
	setrlimit(RLIMIT_FSIZE, &old);
	signal(SIGXFSZ, was);
	assert_int_equal(rc, -1);
	assert_int_equal(e, EFBIG);
	assert_int_equal(files(), 0);
	free(data);
}

static void
sync_by_path(void **state)
{
	char path[PATH_MAX + 32];

	(void)state;
	template(path, sizeof(path));
	assert_int_equal(ps_file_write_tmp(path, "x", 1, 0), 0);
	assert_int_equal(ps_file_sync(path), 0);
	assert_int_equal(ps_file_sync(dir), 0);
	unlink(path);
	errno = 0;
	assert_int_equal(ps_file_sync(path), -1);
	assert_int_equal(errno, ENOENT);
}

/* Real folders along a path, or not there yet; a symlink or a file in
   the way is named by the length of the prefix. */
static void
real_dirs(void **state)
{
	char p[PATH_MAX + 64], q[PATH_MAX + 64];
	size_t bad = 99;

	(void)state;
	snprintf(p, sizeof(p), "%s/a", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	snprintf(p, sizeof(p), "%s/a/b", dir);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(ps_file_real_dirs(dir, "a/b/c/d.yaml", 5, &bad), 0);
	assert_int_equal(ps_file_real_dirs(dir, "a/b", 3, &bad), 0);
	assert_int_equal(ps_file_real_dirs(dir, "x/y", 3, &bad), 0);
	assert_int_equal(ps_file_real_dirs(dir, "", 0, &bad), 0);
	assert_int_equal(bad, 99);
	snprintf(q, sizeof(q), "%s/a/b/l", dir);
	assert_int_equal(symlink("/tmp", q), 0);
	errno = 0;
	assert_int_equal(ps_file_real_dirs(dir, "a/b/l/x.yaml", 5, &bad), -1);
	assert_int_equal(errno, ELOOP);
	assert_int_equal(bad, 5);
	/* only the first n bytes: the file itself is not looked at */
	assert_int_equal(ps_file_real_dirs(dir, "a/b/l", 3, &bad), 0);
	unlink(q);
	snprintf(q, sizeof(q), "%s/a/f", dir);
	assert_int_equal(close(open(q, O_CREAT | O_WRONLY, 0600)), 0);
	errno = 0;
	assert_int_equal(ps_file_real_dirs(dir, "a/f/x", 3, &bad), -1);
	assert_int_equal(errno, ENOTDIR);
	assert_int_equal(bad, 3);
	unlink(q);
	rmdir(p);
	snprintf(p, sizeof(p), "%s/a", dir);
	rmdir(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_tmp_writes_all),
		cmocka_unit_test(write_tmp_large),
		cmocka_unit_test(write_tmpv_pieces),
		cmocka_unit_test(write_tmp_cannot_create),
		cmocka_unit_test(write_tmp_failure_leaves_nothing),
		cmocka_unit_test(sync_by_path),
		cmocka_unit_test(real_dirs),
	};

	return cmocka_run_group_tests_name("file", tests, setup, teardown);
}
