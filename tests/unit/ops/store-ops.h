/*
 * What the operation tests of log, screenop, cohort, matchop and report
 * share: the store layer's fixture (../store/fixture.h: a real store in a
 * temp folder, clocks, zone and identities pinned) with the programme
 * ps-init writes by default (examples/ms-society/program.yaml) and,
 * when asked, the matching fixtures of tests/fixtures/match, committed
 * by real git as the command-line tests commit them.
 *
 * Calling sequence:
 *	fix_start()			once, in a group setup
 *	ops_new(&f, 1)			the store, fixtures committed, open
 *	ops_put(&f, "matches/M-X.yaml", text)	a record committed by git
 *	ops_capture(&c) ... ops_text(&c)	what an operation printed
 *	fix_free(&f)
 *
 * Static inline, as fixture.h; every helper asserts.
 */
#ifndef PS_TEST_OPS_STORE_OPS_H
#define PS_TEST_OPS_STORE_OPS_H

#include <dirent.h>

#include "../store/fixture.h"

/* A file's text (the caller frees it); the test fails if unreadable. */
static inline char *
ops_slurp(const char *path)
{
	struct ps_buf text = PS_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *fp;

	assert_non_null(fp = fopen(path, "r"));
	assert_int_equal(ps_buf_puts(&text, ""), 0);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		assert_int_equal(ps_buf_add(&text, chunk, n), 0);
	fclose(fp);
	return ps_buf_detach(&text);
}

/* Copy every NAME.yaml of tests/fixtures/match starting with prefix
   into root/dir/. */
static inline void
ops_copy_fixtures(const struct fix *f, const char *prefix, const char *dir)
{
	struct ps_buf src = PS_BUF_INIT, dst = PS_BUF_INIT;
	struct dirent *de;
	DIR *dp;
	char *text;

	assert_non_null(dp = opendir("tests/fixtures/match"));
	while ((de = readdir(dp)) != NULL) {
		if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
			continue;
		ps_buf_truncate(&src, 0);
		ps_buf_truncate(&dst, 0);
		assert_int_equal(ps_buf_printf(&src, "tests/fixtures/match/%s",
		    de->d_name), 0);
		assert_int_equal(ps_buf_printf(&dst, "%s/%s", dir, de->d_name),
		    0);
		text = ops_slurp(src.s);
		fix_write(f, dst.s, text);
		free(text);
	}
	closedir(dp);
	ps_buf_release(&src);
	ps_buf_release(&dst);
}

/*
 * A store as ps-init makes it with the default programme, open in f->s;
 * with fixtures, the participants, volunteers and group of
 * tests/fixtures/match committed on top, as the command-line tests do.
 */
static inline void
ops_new(struct fix *f, int fixtures)
{
	char *prog;

	fix_new(f, 0);
	prog = ops_slurp("examples/ms-society/program.yaml");
	fix_write(f, "program.yaml", prog);
	free(prog);
	assert_int_equal(fix_git(f, NULL, "add program.yaml"), 0);
	assert_int_equal(fix_git(f, NULL, "commit -q -m 'ps-init: create "
	    "store'"), 0);
	if (fixtures) {
		ops_copy_fixtures(f, "P-", "participants");
		ops_copy_fixtures(f, "V-", "volunteers");
		ops_copy_fixtures(f, "G-", "groups");
		assert_int_equal(fix_git(f, NULL, "add -A"), 0);
		assert_int_equal(fix_git(f, NULL, "commit -q -m fixtures"), 0);
	}
	fix_reopen(f);
}

/* Write rel and commit it with real git, then reopen the store. */
static inline void
ops_put(struct fix *f, const char *rel, const char *text)
{
	fix_write(f, rel, text);
	assert_int_equal(fix_git(f, NULL, "add -A"), 0);
	assert_int_equal(fix_git(f, NULL, "commit -q -m 'by hand'"), 0);
	fix_reopen(f);
}

/* The number of commits on HEAD. */
static inline long
ops_commits(const struct fix *f)
{
	struct ps_buf out = PS_BUF_INIT;
	long n;

	assert_int_equal(fix_git(f, &out, "rev-list --count HEAD"), 0);
	n = strtol(out.s, NULL, 10);
	ps_buf_release(&out);
	return n;
}

/* An in-memory stream for an operation's output. */
struct ops_out {
	char	*s;
	size_t	 len;
	FILE	*fp;
};

static inline FILE *
ops_open(struct ops_out *o)
{
	memset(o, 0, sizeof(*o));
	assert_non_null(o->fp = open_memstream(&o->s, &o->len));
	return o->fp;
}

/* What was written so far (owned by o). */
static inline const char *
ops_text(struct ops_out *o)
{
	assert_int_equal(fflush(o->fp), 0);
	return o->s;
}

static inline void
ops_close(struct ops_out *o)
{
	if (o->fp)
		fclose(o->fp);
	free(o->s);
	memset(o, 0, sizeof(*o));
}

/* Whether some diagnostic's message contains needle. */
static inline int
ops_diag_has(const struct ps_diags *d, const char *needle)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].msg && strstr(d->v[i].msg, needle))
			return 1;
	ps_diags_print(d, "expected", stderr);
	fprintf(stderr, "expected a message with: %s\n", needle);
	return 0;
}

#endif
