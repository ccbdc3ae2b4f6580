/*
 * What the store layer's unit tests share: a real store in a temp
 * folder, made as ps-init makes one (ps_store_create(), then
 * program.yaml committed, here by real git so that no test of a module
 * leans on the write path it may be testing), the clocks, zone and
 * identities pinned, and real git asked what it sees.
 *
 * Calling sequence:
 *	fix_start()		once, in a group setup: the environment
 *				pinned, then libgit2 started (ps_git_init,
 *				ps_git_ready) as cmd/ does
 *	fix_new(&f, 1)		a store with its first commit, open in f.s
 *	fix_git(&f, &out, "status --porcelain")	real git's view
 *	fix_sh(&f, "find .git/logs -type f")	a shell's, in the store
 *	fix_free(&f)		closed, and its folder removed
 *
 * Every helper asserts: a fixture that cannot be made fails the test.
 * They are static inline so that a test file may use only some of them.
 */
#ifndef PS_TEST_STORE_FIXTURE_H
#define PS_TEST_STORE_FIXTURE_H

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>

#include "util/buf.h"
#include "util/diag.h"
#include "model/record.h"
#include "model/yaml.h"
#include "store/git.h"
#include "store/repo.h"
#include "store/store.h"
#include "store/worktree.h"

/* Sunday 22 November 2026, 10:00 in Toronto. */
#define FIX_NOW		"2026-11-22T10:00:00-05:00"
#define FIX_NOW_T	1795359600L
#define FIX_AUTHOR	"Test Coordinator <coordinator@example.org>"

static const char fix_program[] =
    "kind: program\n"
    "name: Test programme\n"
    "timezone: America/Toronto\n"
    "streams:\n"
    "  extended:\n"
    "    type: ongoing\n"
    "    modes: [phone, email, video]\n";

/* A participant record, canonical text, %s its ID. */
static const char fix_participant[] =
    "kind: participant\n"
    "id: %s\n"
    "status: waiting\n"
    "stream: extended\n"
    "role: living-with\n"
    "received: 2026-11-20T09:00:00-05:00\n";

struct fix {
	char		*base;		/* the temp folder */
	char		*root;		/* base/store */
	struct ps_store	*s;
};

/*
 * The environment every store test runs in, then libgit2: no real clock
 * (PS_NOW, git's dates), a fixed zone, no identity from the machine (no
 * global or system git config, for git or libgit2), a short lock wait.
 */
static inline void
fix_start(void)
{
	struct ps_diags d = PS_DIAGS_INIT;
	char dir[PATH_MAX];
	int i;
	static const int levels[] = { GIT_CONFIG_LEVEL_SYSTEM,
	    GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL,
	    GIT_CONFIG_LEVEL_PROGRAMDATA };

	setenv("TZ", "America/Toronto", 1);
	tzset();
	setenv("PS_NOW", FIX_NOW, 1);
	setenv("GIT_AUTHOR_DATE", FIX_NOW, 1);
	setenv("GIT_COMMITTER_DATE", FIX_NOW, 1);
	setenv("PS_AUTHOR", FIX_AUTHOR, 1);
	setenv("PS_LOCK_TIMEOUT", "1", 1);
	setenv("HOME", "/nonexistent", 1);
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("LC_ALL", "C", 1);
	unsetenv("PS_STORE");
	unsetenv("PS_INDEX_DEFER");
	unsetenv("GIT_DIR");
	unsetenv("GIT_WORK_TREE");
	unsetenv("GIT_INDEX_FILE");
	if (getenv("PS_SCHEMA_DIR") == NULL) {
		assert_non_null(realpath("schemas", dir));
		setenv("PS_SCHEMA_DIR", dir, 1);
	}
	assert_int_equal(ps_git_init(&d), 0);
	assert_int_equal(ps_git_ready(&d), 0);
	for (i = 0; i < (int)(sizeof(levels) / sizeof(levels[0])); i++)
		assert_int_equal(git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH,
		    levels[i], "/nonexistent"), 0);
	ps_diags_release(&d);
}

/* fix_start() as a cmocka group setup: cmocka_run_group_tests(tests,
   fix_group_setup, NULL). */
static inline int
fix_group_setup(void **state)
{
	(void)state;
	fix_start();
	return 0;
}

/* Print the diagnostics (a failing test says why), then release them. */
static inline void
fix_diags_done(struct ps_diags *d)
{
	ps_diags_print(d, "fixture", stderr);
	ps_diags_release(d);
}

/* Whether d holds a diagnostic of status st whose message is msg. */
static inline int
fix_has_diag(const struct ps_diags *d, int st, const char *msg)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->v[i].status == st && strcmp(d->v[i].msg, msg) == 0)
			return 1;
	ps_diags_print(d, "expected", stderr);
	fprintf(stderr, "expected: %d: %s\n", st, msg);
	return 0;
}

/* Run "git -C root ARGS" (a shell line), output into out (or dropped);
   its exit status. */
static inline int fix_git(const struct fix *, struct ps_buf *, const char *,
    ...) __attribute__((format(printf, 3, 4)));
static inline int
fix_git(const struct fix *f, struct ps_buf *out, const char *fmt, ...)
{
	struct ps_buf cmd = PS_BUF_INIT, args = PS_BUF_INIT;
	char chunk[4096];
	size_t n;
	va_list ap;
	FILE *fp;
	int st;

	va_start(ap, fmt);
	assert_int_equal(vsnprintf(chunk, sizeof(chunk), fmt, ap) <
	    (int)sizeof(chunk), 1);
	va_end(ap);
	assert_int_equal(ps_buf_puts(&args, chunk), 0);
	assert_int_equal(ps_buf_printf(&cmd, "git -C '%s' -c user.name='Git "
	    "User' -c user.email=git@example.org %s 2>&1", f->root, args.s),
	    0);
	if (out)
		ps_buf_truncate(out, 0);
	assert_non_null(fp = popen(cmd.s, "r"));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		if (out)
			assert_int_equal(ps_buf_add(out, chunk, n), 0);
	if (out && out->s == NULL)
		assert_int_equal(ps_buf_puts(out, ""), 0);
	st = pclose(fp);
	ps_buf_release(&cmd);
	ps_buf_release(&args);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Assert git's output for ARGS is want, and its status 0. */
static inline void fix_git_says(const struct fix *, const char *,
    const char *, ...) __attribute__((format(printf, 3, 4)));
static inline void
fix_git_says(const struct fix *f, const char *want, const char *fmt, ...)
{
	struct ps_buf out = PS_BUF_INIT;
	char args[1024];
	va_list ap;

	va_start(ap, fmt);
	assert_int_equal(vsnprintf(args, sizeof(args), fmt, ap) <
	    (int)sizeof(args), 1);
	va_end(ap);
	assert_int_equal(fix_git(f, &out, "%s", args), 0);
	assert_string_equal(out.s, want);
	ps_buf_release(&out);
}

/* Run a shell line in root (git with no identity of its own: give one
   with -c when it commits); its output (the caller frees it), stderr
   too. The test fails unless it exits 0 (the line and its output on
   stderr). */
static inline char *
fix_sh(const struct fix *f, const char *line)
{
	struct ps_buf cmd = PS_BUF_INIT, out = PS_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *fp;
	int st;

	assert_int_equal(ps_buf_printf(&cmd, "cd '%s' && { %s; } 2>&1",
	    f->root, line), 0);
	assert_int_equal(ps_buf_puts(&out, ""), 0);
	assert_non_null(fp = popen(cmd.s, "r"));
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		assert_int_equal(ps_buf_add(&out, chunk, n), 0);
	if ((st = pclose(fp)) != 0)
		fprintf(stderr, "%s\n%s", cmd.s, out.s);
	assert_int_equal(st, 0);
	ps_buf_release(&cmd);
	return ps_buf_detach(&out);
}

/* root/rel, in b. */
static inline const char *
fix_path(const struct fix *f, struct ps_buf *b, const char *rel)
{
	ps_buf_truncate(b, 0);
	assert_int_equal(ps_buf_printf(b, "%s/%s", f->root, rel), 0);
	return b->s;
}

/* Write root/rel by hand (its folders made), as a person or git would. */
static inline void
fix_write(const struct fix *f, const char *rel, const char *text)
{
	struct ps_buf p = PS_BUF_INIT;
	char *slash;
	FILE *fp;

	fix_path(f, &p, rel);
	for (slash = p.s + strlen(f->root) + 1; (slash = strchr(slash, '/'));
	    slash++) {
		*slash = '\0';
		assert_true(mkdir(p.s, 0700) == 0 || errno == EEXIST);
		*slash = '/';
	}
	assert_non_null(fp = fopen(p.s, "w"));
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	ps_buf_release(&p);
}

/* The text of root/rel (the caller frees it), or NULL when missing. */
static inline char *
fix_read(const struct fix *f, const char *rel)
{
	struct ps_buf p = PS_BUF_INIT, text = PS_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *fp;

	fp = fopen(fix_path(f, &p, rel), "r");
	ps_buf_release(&p);
	if (fp == NULL)
		return NULL;
	assert_int_equal(ps_buf_puts(&text, ""), 0);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		assert_int_equal(ps_buf_add(&text, chunk, n), 0);
	fclose(fp);
	return ps_buf_detach(&text);
}

/* Assert root/rel holds exactly want (NULL: that it is missing). */
static inline void
fix_file_is(const struct fix *f, const char *rel, const char *want)
{
	char *got = fix_read(f, rel);

	if (want == NULL)
		assert_null(got);
	else {
		assert_non_null(got);
		assert_string_equal(got, want);
	}
	free(got);
}

/* A change of path to text, written by hand with its blob in the
   repository; or (text NULL) the file removed, a deletion. */
static inline void
fix_change(const struct fix *f, struct ps_change *c, char *path,
    char *text)
{
	struct ps_buf p = PS_BUF_INIT;

	memset(c, 0, sizeof(*c));
	c->path = path;
	if (text == NULL) {
		c->del = 1;
		assert_int_equal(unlink(fix_path(f, &p, path)), 0);
		ps_buf_release(&p);
		return;
	}
	c->data = text;
	c->len = strlen(text);
	assert_int_equal(git_blob_create_from_buffer(&c->oid, f->s->repo,
	    text, c->len), 0);
	fix_write(f, path, text);
}

/* The participant's canonical text, in b. */
static inline const char *
fix_participant_text(struct ps_buf *b, const char *id)
{
	ps_buf_truncate(b, 0);
	assert_int_equal(ps_buf_printf(b, fix_participant, id), 0);
	return b->s;
}

/* Open the store at f->root into f->s. */
static inline void
fix_open(struct fix *f)
{
	struct ps_diags d = PS_DIAGS_INIT;
	int rc = ps_store_open(&f->s, f->root, &d);

	fix_diags_done(&d);
	assert_int_equal(rc, 0);
}

static inline void
fix_reopen(struct fix *f)
{
	ps_store_close(f->s);
	f->s = NULL;
	fix_open(f);
}

/*
 * A new store in a temp folder, open in f->s: made by ps_store_create(),
 * and with commit, program.yaml committed by real git and the store
 * opened again as a tool opens it; else unborn, as ps_store_create()
 * leaves it (no program.yaml).
 */
static inline void
fix_new(struct fix *f, int commit)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf b = PS_BUF_INIT;
	const char *tmp = getenv("TMPDIR");
	int rc;

	memset(f, 0, sizeof(*f));
	assert_int_equal(ps_buf_printf(&b, "%s/ps-unit.XXXXXX", tmp && *tmp ?
	    tmp : "/tmp"), 0);
	assert_non_null(mkdtemp(b.s));
	assert_non_null(f->base = realpath(b.s, NULL));	/* as tools see it */
	ps_buf_release(&b);
	assert_int_equal(ps_buf_printf(&b, "%s/store", f->base), 0);
	f->root = ps_buf_detach(&b);
	rc = ps_store_create(&f->s, f->root, &d);
	fix_diags_done(&d);
	assert_int_equal(rc, 0);
	if (!commit)
		return;
	fix_write(f, "program.yaml", fix_program);
	assert_int_equal(fix_git(f, NULL, "add program.yaml"), 0);
	assert_int_equal(fix_git(f, NULL, "commit -q -m 'ps-init: create "
	    "store'"), 0);
	fix_reopen(f);
}

static inline int
fix_rm_entry(const char *path, const struct stat *st, int type,
    struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	return type == FTW_DP ? rmdir(path) : unlink(path);
}

/* Close the store and remove its folder. */
static inline void
fix_free(struct fix *f)
{
	ps_store_close(f->s);
	f->s = NULL;
	if (f->base) {
		chmod(f->root, 0700);
		nftw(f->base, fix_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
	}
	free(f->base);
	free(f->root);
	memset(f, 0, sizeof(*f));
}

/* The commit a ref (or HEAD) points at. */
static inline void
fix_ref(const struct fix *f, const char *ref, git_oid *out)
{
	assert_int_equal(git_reference_name_to_id(out, f->s->repo, ref), 0);
}

/* The branch HEAD names ("refs/heads/master"), in b. */
static inline const char *
fix_branch(const struct fix *f, struct ps_buf *b)
{
	git_reference *head = NULL;

	assert_int_equal(git_reference_lookup(&head, f->s->repo, "HEAD"), 0);
	ps_buf_truncate(b, 0);
	assert_int_equal(ps_buf_puts(b, git_reference_symbolic_target(head)),
	    0);
	git_reference_free(head);
	return b->s;
}

/*
 * A commit made with libgit2 alone, outside the tools: the tree of
 * parent (NULL: none) with path (at most one folder deep) set to text,
 * or removed for NULL. Its blob in *blob when given.
 */
static inline void
fix_commit_with(const struct fix *f, const git_oid *parent,
    const char *path, const char *text, git_oid *out, git_oid *blob)
{
	git_repository *repo = f->s->repo;
	git_treebuilder *top = NULL, *sub = NULL;
	const git_tree_entry *e;
	git_commit *pc = NULL;
	git_tree *base = NULL, *subtree = NULL, *tree = NULL;
	git_signature *sig = NULL;
	const char *slash = strchr(path, '/');
	char dir[256];
	git_oid b, t;

	if (text)
		assert_int_equal(git_blob_create_from_buffer(&b, repo, text,
		    strlen(text)), 0);
	if (blob && text)
		*blob = b;
	if (parent) {
		assert_int_equal(git_commit_lookup(&pc, repo, parent), 0);
		assert_int_equal(git_commit_tree(&base, pc), 0);
	}
	assert_int_equal(git_treebuilder_new(&top, repo, base), 0);
	if (slash) {
		assert_true((size_t)(slash - path) < sizeof(dir));
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
		if ((e = git_treebuilder_get(top, dir)) != NULL)
			assert_int_equal(git_tree_lookup(&subtree, repo,
			    git_tree_entry_id(e)), 0);
		assert_int_equal(git_treebuilder_new(&sub, repo, subtree), 0);
		if (text)
			assert_int_equal(git_treebuilder_insert(NULL, sub,
			    slash + 1, &b, GIT_FILEMODE_BLOB), 0);
		else
			assert_int_equal(git_treebuilder_remove(sub, slash + 1),
			    0);
		assert_int_equal(git_treebuilder_write(&t, sub), 0);
		if (git_treebuilder_entrycount(sub) == 0)
			git_treebuilder_remove(top, dir);
		else
			assert_int_equal(git_treebuilder_insert(NULL, top, dir,
			    &t, GIT_FILEMODE_TREE), 0);
	} else if (text)
		assert_int_equal(git_treebuilder_insert(NULL, top, path, &b,
		    GIT_FILEMODE_BLOB), 0);
	else
		assert_int_equal(git_treebuilder_remove(top, path), 0);
	assert_int_equal(git_treebuilder_write(&t, top), 0);
	assert_int_equal(git_tree_lookup(&tree, repo, &t), 0);
	assert_int_equal(git_signature_new(&sig, "Git User", "git@example.org",
	    FIX_NOW_T, -300), 0);
	assert_int_equal(git_commit_create(out, repo, NULL, sig, sig, NULL,
	    "outside the tools\n", tree, pc ? 1 : 0,
	    (const git_commit **)&pc), 0);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(subtree);
	git_tree_free(base);
	git_commit_free(pc);
	git_treebuilder_free(sub);
	git_treebuilder_free(top);
}

#endif
