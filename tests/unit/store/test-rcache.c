/*
 * Unit tests: what was worked out from a blob, kept by its id in
 * .git/ps-cache/NAME (lib/store/rcache.c): what is saved is read back
 * by the next command, and a file of another tag, torn or not ours is
 * an empty cache.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store/rcache.h"
#include "fixture.h"

static const unsigned char tag1[PS_RCACHE_TAG] = "report format 1.....";
static const unsigned char tag2[PS_RCACHE_TAG] = "report format 2.....";

static int
setup(void **state)
{
	static struct fix f;

	fix_new(&f, 1);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	fix_free(*state);
	return 0;
}

/* The id of blob "n". */
static git_oid
id_of(int n)
{
	char text[32];
	git_oid id;

	snprintf(text, sizeof(text), "blob %d\n", n);
	assert_int_equal(git_odb_hash(&id, text, strlen(text),
	    GIT_OBJECT_BLOB), 0);
	return id;
}

static struct ps_rcache *
open_cache(struct fix *f, const unsigned char *tag)
{
	struct ps_rcache *c = NULL;

	assert_int_equal(ps_rcache_open(&c, f->s, "test", tag), 0);
	assert_non_null(c);
	return c;
}

/* Assert the entry of id is text (NULL: that it is not known). */
static void
entry_is(struct ps_rcache *c, int n, const char *text, size_t len)
{
	git_oid id = id_of(n);
	const void *p;
	size_t got = 12345;

	p = ps_rcache_get(c, &id, &got);
	if (text == NULL) {
		if (p != NULL)
			fail_msg("entry %d: known", n);
		return;
	}
	if (p == NULL)
		fail_msg("entry %d: not known", n);
	assert_int_equal(got, len);
	assert_memory_equal(p, text, len);
}

static void
put(struct ps_rcache *c, int n, const char *text, size_t len)
{
	git_oid id = id_of(n);

	assert_int_equal(ps_rcache_put(c, &id, text, len), 0);
}

/* The number of entries the file says it holds. */
static uint64_t
entries(struct fix *f)
{
	struct ps_buf p = PS_BUF_INIT;
	uint64_t n = 0;
	FILE *fp;

	assert_non_null(fp = fopen(fix_path(f, &p, ".git/ps-cache/test"),
	    "rb"));
	assert_int_equal(fseek(fp, 8 + PS_RCACHE_TAG, SEEK_SET), 0);
	assert_int_equal(fread(&n, sizeof(n), 1, fp), 1);
	fclose(fp);
	ps_buf_release(&p);
	return n;
}

/* The files in .git/ps-cache. */
static int
cache_files(struct fix *f)
{
	struct ps_buf p = PS_BUF_INIT;
	struct dirent *e;
	DIR *dp;
	int n = 0;

	assert_non_null(dp = opendir(fix_path(f, &p, ".git/ps-cache")));
	while ((e = readdir(dp)) != NULL)
		n += e->d_name[0] != '.';
	closedir(dp);
	ps_buf_release(&p);
	return n;
}

/* Entries put and saved are there for the next open, whole: short,
   empty and large ones. */
static void
put_save_reopen(void **state)
{
	struct fix *f = *state;
	struct ps_rcache *c = open_cache(f, tag1);
	char *big = malloc(100000);
	int i;

	assert_non_null(big);
	for (i = 0; i < 100000; i++)
		big[i] = (char)(i * 7);
	entry_is(c, 1, NULL, 0);
	put(c, 1, "alpha", 5);
	put(c, 2, "", 0);
	put(c, 3, big, 100000);
	assert_int_equal(ps_rcache_save(c), 0);
	ps_rcache_free(c);
	assert_int_equal(cache_files(f), 1);	/* no temp file left */
	assert_int_equal(entries(f), 3);

	c = open_cache(f, tag1);
	entry_is(c, 1, "alpha", 5);
	entry_is(c, 2, "", 0);
	entry_is(c, 3, big, 100000);
	entry_is(c, 4, NULL, 0);
	ps_rcache_free(c);
	ps_rcache_free(NULL);
	free(big);
}

/* A file of another tag is not read; saving under a tag replaces it. */
static void
wrong_tag(void **state)
{
	struct fix *f = *state;
	struct ps_rcache *c = open_cache(f, tag1);

	put(c, 1, "alpha", 5);
	assert_int_equal(ps_rcache_save(c), 0);
	ps_rcache_free(c);

	c = open_cache(f, tag2);
	entry_is(c, 1, NULL, 0);
	put(c, 2, "beta", 4);
	assert_int_equal(ps_rcache_save(c), 0);
	ps_rcache_free(c);
	assert_int_equal(entries(f), 1);	/* the old tag's not kept */

	c = open_cache(f, tag1);
	entry_is(c, 1, NULL, 0);
	entry_is(c, 2, NULL, 0);
	ps_rcache_free(c);
	c = open_cache(f, tag2);
	entry_is(c, 2, "beta", 4);
	ps_rcache_free(c);
}

/* Truncate the cache file to len bytes, or overwrite 8 bytes at off. */
static void
damage(struct fix *f, long len, long off, const char *bytes)
{
	struct ps_buf p = PS_BUF_INIT;
	FILE *fp;

	fix_path(f, &p, ".git/ps-cache/test");
	if (len >= 0)
		assert_int_equal(truncate(p.s, len), 0);
	else {
		assert_non_null(fp = fopen(p.s, "r+b"));
		assert_int_equal(fseek(fp, off, SEEK_SET), 0);
		assert_int_equal(fwrite(bytes, 8, 1, fp), 1);
		fclose(fp);
	}
	ps_buf_release(&p);
}

/* A torn or garbled file is an empty cache, and the next save writes a
   whole one. */
static void
torn_file(void **state)
{
	struct fix *f = *state;
	struct ps_rcache *c;
	struct stat st;
	struct ps_buf p = PS_BUF_INIT;
	int i;

	for (i = 0; i < 5; i++) {
		c = open_cache(f, tag1);
		put(c, 1, "alpha", 5);
		put(c, 2, "beta", 4);
		assert_int_equal(ps_rcache_save(c), 0);
		ps_rcache_free(c);
		assert_int_equal(stat(fix_path(f, &p, ".git/ps-cache/test"),
		    &st), 0);
		switch (i) {
		case 0:		/* the data cut short */
			damage(f, (long)st.st_size - 1, 0, NULL);
			break;
		case 1:		/* in the middle of the ids */
			damage(f, 8 + PS_RCACHE_TAG + 16 + 10, 0, NULL);
			break;
		case 2:		/* not our magic */
			damage(f, -1, 0, "ps-rc99\n");
			break;
		case 3:		/* more entries than the file holds */
			damage(f, -1, 8 + PS_RCACHE_TAG,
			    "\xff\xff\x00\x00\x00\x00\x00\x00");
			break;
		case 4:		/* empty */
			damage(f, 0, 0, NULL);
			break;
		}
		c = open_cache(f, tag1);
		entry_is(c, 1, NULL, 0);
		entry_is(c, 2, NULL, 0);
		ps_rcache_free(c);
	}
	c = open_cache(f, tag1);
	put(c, 3, "gamma", 5);
	assert_int_equal(ps_rcache_save(c), 0);
	ps_rcache_free(c);
	c = open_cache(f, tag1);
	entry_is(c, 3, "gamma", 5);
	ps_rcache_free(c);
	ps_buf_release(&p);
}

/* Old entries and new merge; the same blob put twice, or put again, is
   kept once. */
static void
merge_and_once(void **state)
{
	struct fix *f = *state;
	struct ps_rcache *c = open_cache(f, tag1);

	put(c, 1, "alpha", 5);
	put(c, 2, "beta", 4);
	put(c, 2, "beta", 4);
	assert_int_equal(ps_rcache_save(c), 0);
	ps_rcache_free(c);
	assert_int_equal(entries(f), 2);

	c = open_cache(f, tag1);
	entry_is(c, 1, "alpha", 5);
	put(c, 3, "gamma", 5);
	put(c, 1, "alpha", 5);
	assert_int_equal(ps_rcache_save(c), 0);
	ps_rcache_free(c);
	assert_int_equal(entries(f), 3);

	c = open_cache(f, tag1);
	entry_is(c, 1, "alpha", 5);
	entry_is(c, 2, "beta", 4);
	entry_is(c, 3, "gamma", 5);
	ps_rcache_free(c);
}

/* Nothing put: nothing written. */
static void
save_nothing(void **state)
{
	struct fix *f = *state;
	struct ps_rcache *c = open_cache(f, tag1);

	assert_int_equal(ps_rcache_save(c), 0);
	ps_rcache_free(c);
	fix_file_is(f, ".git/ps-cache/test", NULL);
}

/* A reader that opened the old file reads it whole while another
   command saves a new one over it. */
static void
reader_keeps_old(void **state)
{
	struct fix *f = *state;
	struct ps_rcache *c = open_cache(f, tag1), *r, *w;

	put(c, 1, "alpha", 5);
	assert_int_equal(ps_rcache_save(c), 0);
	ps_rcache_free(c);

	r = open_cache(f, tag1);
	w = open_cache(f, tag1);
	put(w, 2, "beta", 4);
	assert_int_equal(ps_rcache_save(w), 0);
	ps_rcache_free(w);
	entry_is(r, 1, "alpha", 5);
	entry_is(r, 2, NULL, 0);
	ps_rcache_free(r);
	c = open_cache(f, tag1);
	entry_is(c, 1, "alpha", 5);
	entry_is(c, 2, "beta", 4);
	ps_rcache_free(c);
}

/* Many entries, each found by its id; ids not put are not. */
static void
many_entries(void **state)
{
	enum { N = 3000 };
	struct fix *f = *state;
	struct ps_rcache *c = open_cache(f, tag1);
	char text[32];
	int i;

	for (i = 0; i < N; i++) {
		snprintf(text, sizeof(text), "entry %d", i * 37);
		put(c, i, text, strlen(text));
	}
	assert_int_equal(ps_rcache_save(c), 0);
	ps_rcache_free(c);
	c = open_cache(f, tag1);
	for (i = 0; i < N; i++) {
		snprintf(text, sizeof(text), "entry %d", i * 37);
		entry_is(c, i, text, strlen(text));
	}
	for (i = N; i < N + 100; i++)
		entry_is(c, i, NULL, 0);
	ps_rcache_free(c);
}

/* A cache that cannot be written: -1, and nothing else lost. */
static void
cannot_write(void **state)
{
	struct fix *f = *state;
	struct ps_rcache *c = open_cache(f, tag1);

	fix_write(f, ".git/ps-cache", "a file\n");
	put(c, 1, "alpha", 5);
	assert_int_equal(ps_rcache_save(c), -1);
	ps_rcache_free(c);
	fix_file_is(f, ".git/ps-cache", "a file\n");
	c = open_cache(f, tag1);
	entry_is(c, 1, NULL, 0);
	ps_rcache_free(c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(put_save_reopen, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(wrong_tag, setup, teardown),
		cmocka_unit_test_setup_teardown(torn_file, setup, teardown),
		cmocka_unit_test_setup_teardown(merge_and_once, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(save_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(reader_keeps_old, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(many_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(cannot_write, setup, teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
