/*
 * Unit tests: git's index file format as the tools read and write it
 * (lib/store/ixfile.c): files git wrote in formats 2, 3 and 4
 * walked to the same names git lists, their extensions found; EWAH
 * bitmaps written and read back across word edges; the tree cache
 * copied whole, and with the trees a path runs through made unknown;
 * entries written as git would read them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store/ixfile.h"
#include "fixture.h"

static int
setup(void **state)
{
	static struct fix f;
	char *out;

	fix_new(&f, 1);
	out = fix_sh(&f, "mkdir -p a/b c && echo 1 >a/b/x.yaml && echo 2 "
	    ">a/y.yaml && echo 3 >c/z.yaml && git add -A && git -c "
	    "user.name=T -c user.email=t@example.org commit -qm x --no-verify");
	free(out);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	fix_free(*state);
	return 0;
}

static int
collect(void *arg, const unsigned char *e, uint16_t x, const char *name,
    size_t len)
{
	struct ps_buf *b = arg;

	(void)e, (void)x;
	return ps_buf_add(b, name, len) | ps_buf_putc(b, '\n');
}

/* Each format git writes, walked: the names git lists, in order. */
static void
walk_formats(void **state)
{
	struct fix *f = *state;
	struct ps_buf p = PS_BUF_INIT, names = PS_BUF_INIT, git = PS_BUF_INIT;
	struct ps_ixfile x;
	const unsigned char *data;
	size_t len;
	char cmd[128];
	int ver;

	for (ver = 4; ver >= 2; ver--) {
		/* format 3 only for an entry with extended flags */
		snprintf(cmd, sizeof(cmd), "git update-index --%sskip-worktree "
		    "a/y.yaml && git update-index --index-version %d",
		    ver == 3 ? "" : "no-", ver);
		free(fix_sh(f, cmd));
		free(fix_sh(f, "git write-tree >/dev/null"));
		assert_int_equal(ps_ixfile_map(&x, fix_path(f, &p,
		    ".git/index")), 0);
		assert_int_equal(x.ver, (uint32_t)ver);
		ps_buf_truncate(&names, 0);
		assert_int_equal(ps_ixfile_walk(&x, collect, &names), 0);
		assert_int_equal(fix_git(f, &git, "ls-files"), 0);
		assert_string_equal(names.s, git.s);
		assert_int_equal(ps_ixfile_ext(&x, "TREE", &data, &len), 0);
		assert_int_equal(ps_ixfile_ext(&x, "link", &data, &len), -1);
		assert_false(ps_ixfile_strange(&x));
		ps_ixfile_unmap(&x);
	}
	/* not an index */
	fix_write(f, "junk", "DIRC but not one at all, no");
	assert_int_equal(ps_ixfile_map(&x, fix_path(f, &p, "junk")), -1);
	ps_buf_release(&p);
	ps_buf_release(&names);
	ps_buf_release(&git);
}

/* Bitmaps across word edges, empty too, read back as written. */
static void
ewah_round_trip(void **state)
{
	static const uint32_t v[] = { 0, 1, 63, 64, 65, 127, 200, 4096,
	    4097, 100000 };
	struct ps_buf b = PS_BUF_INIT;
	const unsigned char *p, *end;
	uint32_t *got = NULL;
	size_t n, k;

	(void)state;
	for (k = 0; k <= sizeof(v) / sizeof(v[0]); k++) {
		ps_buf_truncate(&b, 0);
		assert_int_equal(ps_ixfile_ewah_write(&b, v, k), 0);
		assert_int_equal(ps_buf_puts(&b, "after"), 0);
		p = (const unsigned char *)b.s;
		end = p + b.len;
		assert_int_equal(ps_ixfile_ewah_read(&p, end, &got, &n), 0);
		assert_int_equal(n, k);
		if (k)
			assert_memory_equal(got, v, k * sizeof(*v));
		assert_memory_equal(p, "after", 5);
		free(got);
	}
	/* cut short */
	p = (const unsigned char *)b.s;
	assert_int_equal(ps_ixfile_ewah_read(&p, p + 12, &got, &n), -1);
	free(got);
	ps_buf_release(&b);
}

/* The tree cache copied: whole when no path runs through it; else the
   root, a and a/b unknown, c kept. */
static void
tree_unknown(void **state)
{
	struct fix *f = *state;
	struct ps_buf p = PS_BUF_INIT, out = PS_BUF_INIT;
	struct ps_ixfile x;
	const unsigned char *data, *q;
	const char *paths[] = { "a/b/new.yaml" };
	size_t len;

	free(fix_sh(f, "git write-tree >/dev/null"));
	assert_int_equal(ps_ixfile_map(&x, fix_path(f, &p, ".git/index")), 0);
	assert_int_equal(ps_ixfile_walk(&x, NULL, NULL), 0);
	assert_int_equal(ps_ixfile_ext(&x, "TREE", &data, &len), 0);
	q = data;
	assert_int_equal(ps_ixfile_tree_copy(&q, data + len, &out, NULL, 0,
	    1), 0);
	assert_true(q == data + len);
	assert_int_equal(out.len, len);
	assert_memory_equal(out.s, data, len);

	ps_buf_truncate(&out, 0);
	q = data;
	assert_int_equal(ps_ixfile_tree_copy(&q, data + len, &out, paths, 1,
	    1), 0);
	assert_true(q == data + len);
	/* the root (2 trees: a, c), a and a/b unknown: three IDs fewer,
	   each count one character longer; c's kept */
	assert_int_equal(out.len, len - 3 * 20 - 3 + 3 * 2);
	assert_memory_equal(out.s, "\0-1 2\n", 6);
	assert_non_null(memmem(out.s, out.len, "a\0-1 1\nb\0-1 0\n", 14));
	assert_non_null(memmem(out.s, out.len, "c\0" "1 0\n", 6));
	/* cut short */
	q = data;
	ps_buf_truncate(&out, 0);
	assert_int_equal(ps_ixfile_tree_copy(&q, data + 10, &out, NULL, 0,
	    1), -1);
	ps_ixfile_unmap(&x);
	ps_buf_release(&p);
	ps_buf_release(&out);
}

/* An entry made, written and read back; git reads what was written. */
static void
entry_round_trip(void **state)
{
	struct fix *f = *state;
	struct ps_ixfile_ent x, y;
	git_index_entry e, back;
	struct ps_buf b = PS_BUF_INIT;

	(void)f;
	memset(&e, 0, sizeof(e));
	e.ctime.seconds = 1795359600;
	e.mtime.seconds = 1795359601;
	e.mtime.nanoseconds = 7;
	e.dev = 3, e.ino = 99, e.mode = GIT_FILEMODE_BLOB;
	e.uid = 1000, e.gid = 1000, e.file_size = 12;
	assert_int_equal(git_oid_fromstr(&e.id,
	    "0123456789abcdef0123456789abcdef01234567"), 0);
	memset(&x, 0, sizeof(x));
	ps_ixfile_ent_from(&x, &e, 9);
	x.name = (char *)(uintptr_t)"a/b.yaml!";
	assert_int_equal(ps_ixfile_ent_write(&b, &x, 2), 0);
	assert_int_equal(b.len, 72);	/* 62 + 9, padded to 8 */
	memcpy(y.raw, b.s, 62);
	y.xflags = 0;
	ps_ixfile_ent_to(&back, &y, "a/b.yaml!");
	assert_int_equal(back.mtime.seconds, e.mtime.seconds);
	assert_int_equal(back.mtime.nanoseconds, 7);
	assert_int_equal(back.ino, 99);
	assert_int_equal(back.file_size, 12);
	assert_true(git_oid_equal(&back.id, &e.id));
	assert_int_equal((uint8_t)b.s[61], 9);	/* the name's length */
	ps_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(walk_formats, setup, teardown),
		cmocka_unit_test(ewah_round_trip),
		cmocka_unit_test_setup_teardown(tree_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(entry_round_trip, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
