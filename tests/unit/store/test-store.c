/*
 * Unit tests: finding, opening and reading a store (lib/store/store.c).
 *
 * The store holds two good participants and a bad one (P-BAD000: a
 * status the schema does not know), committed by real git; commits are
 * dated by GIT_COMMITTER_DATE, the programme's zone is Toronto.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/id.h"
#include "fixture.h"

static const char bad_text[] =
    "kind: participant\nid: P-BAD000\nstatus: lost\nstream: extended\n"
    "role: living-with\nreceived: 2026-11-20T09:00:00-05:00\n";

static int
setup(void **state)
{
	static struct fix f;
	struct ps_buf b = PS_BUF_INIT;

	fix_new(&f, 1);
	fix_write(&f, "participants/P-7K3Q2X.yaml", fix_participant_text(&b,
	    "P-7K3Q2X"));
	fix_write(&f, "participants/P-4MZ8RD.yaml", fix_participant_text(&b,
	    "P-4MZ8RD"));
	fix_write(&f, "participants/P-BAD000.yaml", bad_text);
	assert_int_equal(fix_git(&f, NULL, "add participants"), 0);
	assert_int_equal(fix_git(&f, NULL, "commit -q -m participants"), 0);
	ps_buf_release(&b);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	fix_free(*state);
	return 0;
}

/* What a callback over records saw: "path id origin?\n" a record, "path
   -\n" a bad file passed on. */
struct seen {
	struct ps_buf	 log;
	int		 stop_at;	/* return 7 at this call (1-based) */
	int		 calls;
};

static int
note(void *arg, const char *relpath, struct ps_node *rec, struct ps_diags *d)
{
	struct seen *s = arg;

	(void)d;
	if (rec == NULL)
		assert_int_equal(ps_buf_printf(&s->log, "%s -\n", relpath), 0);
	else
		assert_int_equal(ps_buf_printf(&s->log, "%s %s%s\n", relpath,
		    ps_record_id(rec), rec->origin ? " origin" : ""), 0);
	return ++s->calls == s->stop_at ? 7 : 0;
}

static const char *
seen_log(struct seen *s)
{
	if (s->log.s == NULL)
		assert_int_equal(ps_buf_puts(&s->log, ""), 0);
	return s->log.s;
}

static void
seen_reset(struct seen *s)
{
	ps_buf_release(&s->log);
	s->calls = 0;
	s->stop_at = 0;
}

/* The store found from a folder inside it, from $PS_STORE, and from a
   relative -C; its root absolute. */
static void
open_finds_store(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf p = PS_BUF_INIT;
	struct ps_store *s = NULL;
	char cwd[PATH_MAX];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(mkdir(fix_path(f, &p, "participants/sub"), 0700), 0);
	assert_int_equal(chdir(p.s), 0);
	assert_int_equal(ps_store_open(&s, NULL, &d), 0);
	assert_string_equal(s->root, f->root);
	assert_non_null(s->program);
	ps_store_close(s);

	assert_int_equal(chdir("/"), 0);
	setenv("PS_STORE", f->root, 1);
	assert_int_equal(ps_store_open(&s, NULL, &d), 0);
	assert_string_equal(s->root, f->root);
	ps_store_close(s);
	unsetenv("PS_STORE");

	assert_int_equal(chdir(f->base), 0);
	assert_int_equal(ps_store_open(&s, "store/participants/../", &d), 0);
	assert_string_equal(s->root, f->root);
	ps_store_close(s);
	assert_int_equal(chdir(cwd), 0);
	assert_int_equal(d.n, 0);
	ps_buf_release(&p);
}

/* No store where one is looked for: each way of naming it says so. */
static void
find_refuses(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf root = PS_BUF_INIT, msg = PS_BUF_INIT;
	char cwd[PATH_MAX];

	assert_int_equal(ps_store_find(&root, f->base, &d), PS_STORE);
	assert_int_equal(ps_buf_printf(&msg, "%s: not a store (no "
	    "program.yaml in a git work tree); create one with ps-init",
	    f->base), 0);
	assert_true(fix_has_diag(&d, PS_STORE, msg.s));
	ps_diags_release(&d);

	assert_int_equal(ps_store_find(&root, "/nonexistent/store", &d),
	    PS_STORE);
	assert_true(fix_has_diag(&d, PS_STORE, "/nonexistent/store: No such "
	    "file or directory"));
	ps_diags_release(&d);

	/* not in a store, $PS_STORE empty: upward from the current folder */
	assert_non_null(getcwd(cwd, sizeof(cwd)));
	assert_int_equal(chdir(f->base), 0);
	setenv("PS_STORE", "", 1);
	assert_int_equal(ps_store_find(&root, NULL, &d), PS_STORE);
	unsetenv("PS_STORE");
	assert_int_equal(chdir(cwd), 0);
	assert_true(fix_has_diag(&d, PS_STORE, "not in a store: use -C DIR, "
	    "set PS_STORE, or create one with ps-init"));
	ps_diags_release(&d);
	ps_buf_release(&root);
	ps_buf_release(&msg);
}

/* A store others may write is refused. */
static void
open_refuses_world_writable(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf msg = PS_BUF_INIT;
	struct ps_store *s = NULL;

	assert_int_equal(chmod(f->root, 0707), 0);
	assert_int_equal(ps_store_open(&s, f->root, &d), PS_STORE);
	assert_null(s);
	assert_int_equal(ps_buf_printf(&msg, "%s: store is writable by "
	    "others; fix it with chmod -R go-rwx", f->root), 0);
	assert_true(fix_has_diag(&d, PS_STORE, msg.s));
	ps_diags_release(&d);
	assert_int_equal(chmod(f->root, 0750), 0);
	assert_int_equal(ps_store_open(&s, f->root, &d), 0);
	ps_store_close(s);
	ps_buf_release(&msg);
}

/* A new store: a repository whose objects and index stay private; not
   made over one that is there. */
static void
create_store(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_store *s = NULL;
	git_tree *t = NULL;

	fix_git_says(f, "0600\n", "config core.sharedRepository");
	assert_int_equal(ps_store_create(&s, f->root, &d), PS_STORE);
	assert_null(s);
	assert_int_equal(d.n, 1);
	ps_diags_release(&d);

	fix_free(f);
	fix_new(f, 0);		/* unborn: no commit, no tree */
	assert_int_equal(ps_store_head_tree(f->s, &t), -1);
	assert_null(t);
}

/*
 * Every record of a kind in the work tree, in path order, each with
 * the version read (origin) unless only read; a bad file reported and
 * skipped, or passed on as NULL; a callback's status stops the walk.
 */
static void
each_record(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct seen s = { PS_BUF_INIT, 0, 0 };

	assert_int_equal(ps_store_each(f->s, "participant", 0, note, &s, &d),
	    0);
	assert_string_equal(seen_log(&s),
	    "participants/P-4MZ8RD.yaml P-4MZ8RD origin\n"
	    "participants/P-7K3Q2X.yaml P-7K3Q2X origin\n");
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.v[0].file, "participants/P-BAD000.yaml");
	assert_int_equal(d.v[0].status, PS_REFUSED);
	ps_diags_release(&d);
	seen_reset(&s);

	assert_int_equal(ps_store_each(f->s, "participant", PS_EACH_BAD |
	    PS_EACH_READ, note, &s, &d), 0);
	assert_string_equal(seen_log(&s),
	    "participants/P-4MZ8RD.yaml P-4MZ8RD\n"
	    "participants/P-7K3Q2X.yaml P-7K3Q2X\n"
	    "participants/P-BAD000.yaml -\n");
	ps_diags_release(&d);
	seen_reset(&s);

	s.stop_at = 1;
	assert_int_equal(ps_store_each(f->s, "participant", 0, note, &s, &d),
	    7);
	assert_int_equal(s.calls, 1);
	ps_diags_release(&d);
	seen_reset(&s);

	assert_int_equal(ps_store_each(f->s, "volunteer", 0, note, &s, &d), 0);
	assert_int_equal(s.calls, 0);
	assert_int_equal(ps_store_each(f->s, "nonsense", 0, note, &s, &d),
	    PS_USAGE);
	assert_true(fix_has_diag(&d, PS_USAGE, "unknown record kind"));
	ps_diags_release(&d);
	seen_reset(&s);
}

/* A large folder, read on several threads: the same records in the same
   order as on one, the bad one in its place. */
static void
each_large_folder(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf b = PS_BUF_INIT, rel = PS_BUF_INIT;
	struct seen one = { PS_BUF_INIT, 0, 0 }, many = { PS_BUF_INIT, 0, 0 };
	char id[PS_ID_LEN + 1], seed[16];
	int i, n = 0;

	for (i = 0; n < 600; i++) {
		snprintf(seed, sizeof(seed), "%d", i);
		assert_int_equal(ps_id_from(id, "participant", seed), 0);
		ps_buf_truncate(&rel, 0);
		assert_int_equal(ps_buf_printf(&rel, "participants/%s.yaml",
		    id), 0);
		if (ps_store_exists(f->s, rel.s))
			continue;
		fix_write(f, rel.s, fix_participant_text(&b, id));
		n++;
	}
	setenv("PS_THREADS", "1", 1);
	assert_int_equal(ps_store_each(f->s, "participant", PS_EACH_BAD, note,
	    &one, &d), 0);
	assert_int_equal(d.errors, 1);
	ps_diags_release(&d);
	setenv("PS_THREADS", "4", 1);
	assert_int_equal(ps_store_each(f->s, "participant", PS_EACH_BAD, note,
	    &many, &d), 0);
	unsetenv("PS_THREADS");
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.v[0].file, "participants/P-BAD000.yaml");
	assert_int_equal(one.calls, 603);
	assert_int_equal(many.calls, 603);
	assert_string_equal(seen_log(&many), seen_log(&one));
	ps_diags_release(&d);
	seen_reset(&one);
	seen_reset(&many);
	ps_buf_release(&b);
	ps_buf_release(&rel);
}

/*
 * The records of a folder as a commit has them, not as the work tree
 * does; with a needle, only the files that hold it; a folder not there
 * has none.
 */
static void
each_in_commit(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf b = PS_BUF_INIT;
	struct seen s = { PS_BUF_INIT, 0, 0 };
	git_oid head;

	fix_ref(f, "HEAD", &head);
	fix_write(f, "participants/P-2HC6NE.yaml", fix_participant_text(&b,
	    "P-2HC6NE"));
	assert_int_equal(unlink(fix_path(f, &b,
	    "participants/P-7K3Q2X.yaml")), 0);
	assert_int_equal(ps_store_each_in(f->s, &head, "participants", note,
	    &s, &d), 0);
	assert_string_equal(seen_log(&s),
	    "participants/P-4MZ8RD.yaml P-4MZ8RD\n"
	    "participants/P-7K3Q2X.yaml P-7K3Q2X\n");
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.v[0].file, "participants/P-BAD000.yaml");
	ps_diags_release(&d);
	seen_reset(&s);

	assert_int_equal(ps_store_each_if(f->s, &head, "participants",
	    "id: P-7K3Q2X", note, &s, &d), 0);
	assert_string_equal(seen_log(&s),
	    "participants/P-7K3Q2X.yaml P-7K3Q2X\n");
	assert_int_equal(d.n, 0);
	seen_reset(&s);

	assert_int_equal(ps_store_each_in(f->s, &head, "volunteers", note, &s,
	    &d), 0);
	assert_int_equal(s.calls, 0);
	assert_int_equal(d.n, 0);
	ps_buf_release(&b);
}

/* One blob read and checked: a record, or NULL and the problem said;
   a blob not there is a store error. */
static void
read_blob(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *rec = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_oid missing;

	assert_int_equal(ps_store_head_tree(f->s, &t), 0);
	assert_int_equal(git_tree_entry_bypath(&e, t,
	    "participants/P-7K3Q2X.yaml"), 0);
	assert_int_equal(ps_store_read_blob(f->s, git_tree_entry_id(e),
	    "participants/P-7K3Q2X.yaml", &rec, &d), 0);
	assert_non_null(rec);
	assert_string_equal(ps_record_id(rec), "P-7K3Q2X");
	assert_int_equal(d.n, 0);
	ps_node_free(rec);
	git_tree_entry_free(e);

	assert_int_equal(git_tree_entry_bypath(&e, t,
	    "participants/P-BAD000.yaml"), 0);
	assert_int_equal(ps_store_read_blob(f->s, git_tree_entry_id(e),
	    "participants/P-BAD000.yaml", &rec, &d), 0);
	assert_null(rec);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.v[0].file, "participants/P-BAD000.yaml");
	ps_diags_release(&d);

	assert_int_equal(git_odb_hash(&missing, "x", 1, GIT_OBJECT_BLOB), 0);
	assert_int_equal(ps_store_read_blob(f->s, &missing, "x.yaml", &rec,
	    &d), PS_STORE);
	assert_null(rec);
	ps_diags_release(&d);
	git_tree_entry_free(e);
	git_tree_free(t);
}

/* A folder's entries counted from its tree. */
static void
count_in(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	git_oid head, missing;

	fix_ref(f, "HEAD", &head);
	assert_int_equal(ps_store_count_in(f->s, &head, "participants", &d), 3);
	assert_int_equal(ps_store_count_in(f->s, &head, "volunteers", &d), 0);
	assert_int_equal(ps_store_count_in(f->s, &head, "program.yaml", &d),
	    0);
	assert_int_equal(d.n, 0);
	assert_int_equal(git_odb_hash(&missing, "x", 1, GIT_OBJECT_COMMIT), 0);
	assert_int_equal(ps_store_count_in(f->s, &missing, "participants",
	    &d), -1);
	assert_int_equal(d.status, PS_STORE);
	ps_diags_release(&d);
}

/* A commit by git at date (git's own date format). */
static void
commit_at(struct fix *f, const char *date, const char *file, git_oid *out)
{
	setenv("GIT_COMMITTER_DATE", date, 1);
	setenv("GIT_AUTHOR_DATE", date, 1);
	fix_write(f, file, date);
	assert_int_equal(fix_git(f, NULL, "add %s", file), 0);
	assert_int_equal(fix_git(f, NULL, "commit -q -m %s", file), 0);
	setenv("GIT_COMMITTER_DATE", FIX_NOW, 1);
	setenv("GIT_AUTHOR_DATE", FIX_NOW, 1);
	fix_ref(f, "HEAD", out);
}

/*
 * A revision or a date: a date names the last commit before the end of
 * that day in the programme's zone (a commit at 23:30 in Toronto is
 * the next day in UTC, and still that day's).
 */
static void
resolve(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct seen s = { PS_BUF_INIT, 0, 0 };
	git_oid c0, c1, c2, got;
	char hex[GIT_OID_HEXSZ + 1];

	fix_ref(f, "HEAD", &c0);	/* 22 November, 10:00 */
	commit_at(f, "2026-11-22T23:30:00-05:00", "late.txt", &c1);
	commit_at(f, "2026-11-24T09:00:00-05:00", "later.txt", &c2);

	assert_int_equal(ps_store_resolve(f->s, "2026-11-22", &got, &d), 0);
	assert_true(git_oid_equal(&got, &c1));
	assert_int_equal(ps_store_resolve(f->s, "2026-11-23", &got, &d), 0);
	assert_true(git_oid_equal(&got, &c1));
	assert_int_equal(ps_store_resolve(f->s, "2026-11-24", &got, &d), 0);
	assert_true(git_oid_equal(&got, &c2));
	assert_int_equal(ps_store_resolve(f->s, "HEAD", &got, &d), 0);
	assert_true(git_oid_equal(&got, &c2));
	assert_int_equal(ps_store_resolve(f->s, "HEAD~2", &got, &d), 0);
	assert_true(git_oid_equal(&got, &c0));
	assert_int_equal(ps_store_resolve(f->s, git_oid_tostr(hex,
	    sizeof(hex), &c1), &got, &d), 0);
	assert_true(git_oid_equal(&got, &c1));
	assert_int_equal(d.n, 0);

	assert_int_equal(ps_store_resolve(f->s, "2026-11-21", &got, &d),
	    PS_REFUSED);
	assert_true(fix_has_diag(&d, PS_REFUSED, "2026-11-21: the store has "
	    "no commit that old"));
	ps_diags_release(&d);
	assert_int_equal(ps_store_resolve(f->s, "2026-11-31", &got, &d),
	    PS_REFUSED);
	assert_true(fix_has_diag(&d, PS_REFUSED, "2026-11-31: not a commit or "
	    "a date (YYYY-MM-DD) of this store"));
	ps_diags_release(&d);
	/* a tree is not a commit */
	assert_int_equal(ps_store_resolve(f->s, "HEAD^{tree}", &got, &d),
	    PS_REFUSED);
	ps_diags_release(&d);

	/* the records as of a day */
	assert_int_equal(ps_store_each_at(f->s, "2026-11-22", "participant",
	    note, &s, &d), 0);
	assert_int_equal(s.calls, 2);
	ps_diags_release(&d);
	seen_reset(&s);
	assert_int_equal(ps_store_each_at(f->s, "HEAD", "nonsense", note, &s,
	    &d), PS_USAGE);
	ps_diags_release(&d);
}

/* One record by ID, or by path with the version read; whether a path is
   taken in HEAD or the work tree. */
static void
get_and_load(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf want = PS_BUF_INIT, b = PS_BUF_INIT;
	struct ps_node *rec = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid blob;

	assert_int_equal(ps_store_get(f->s, "P-7K3Q2X", &rec, &d), 0);
	assert_string_equal(ps_record_id(rec), "P-7K3Q2X");
	fix_participant_text(&b, "P-7K3Q2X");
	assert_int_equal(git_odb_hash(&blob, b.s, b.len, GIT_OBJECT_BLOB), 0);
	assert_int_equal(ps_buf_printf(&want, "%s participants/P-7K3Q2X.yaml",
	    git_oid_tostr(hex, sizeof(hex), &blob)), 0);
	assert_string_equal(rec->origin, want.s);
	ps_node_free(rec);

	assert_int_equal(ps_store_get(f->s, "P-2HC6NE", &rec, &d), PS_REFUSED);
	assert_null(rec);
	assert_true(fix_has_diag(&d, PS_REFUSED, "P-2HC6NE: no such record"));
	ps_diags_release(&d);
	assert_int_equal(ps_store_get(f->s, "X-1", &rec, &d), PS_REFUSED);
	assert_true(fix_has_diag(&d, PS_REFUSED, "X-1: not a record ID (like "
	    "P-7K3Q2X)"));
	ps_diags_release(&d);
	assert_int_equal(ps_store_get(f->s, "P-BAD000", &rec, &d), PS_REFUSED);
	assert_null(rec);
	ps_diags_release(&d);
	/* an ID read from an input: at its place, not repeated; one typed
	   after an option: repeated after it */
	{
		struct ps_place in = { "stdin", 4, 11, "match" };
		struct ps_place opt = { NULL, 0, 0, "--match" };

		assert_int_equal(ps_store_get_at(f->s, "P-2HC6NE", &in, &rec,
		    &d), PS_REFUSED);
		assert_int_equal(ps_store_get_at(f->s, "CANARY", &in, &rec,
		    &d), PS_REFUSED);
		assert_int_equal(ps_store_get_at(f->s, "P-2HC6NE", &opt, &rec,
		    &d), PS_REFUSED);
		assert_null(rec);
		assert_int_equal(d.n, 3);
		assert_string_equal(d.v[0].file, "stdin");
		assert_int_equal(d.v[0].line, 4);
		assert_string_equal(d.v[0].path, "match");
		assert_string_equal(d.v[0].msg, PS_DIAG_NO_RECORD);
		assert_string_equal(d.v[1].msg, PS_DIAG_NOT_ID);
		assert_null(d.v[2].file);
		assert_string_equal(d.v[2].path, "--match");
		assert_string_equal(d.v[2].msg, "P-2HC6NE: no such record");
		ps_diags_release(&d);
	}
	/* a record whose file name is not its ID */
	fix_write(f, "participants/P-2HC6NE.yaml", fix_participant_text(&b,
	    "P-4MZ8RD"));
	assert_int_equal(ps_store_load(f->s, "participants/P-2HC6NE.yaml",
	    &rec, &d), PS_REFUSED);
	assert_null(rec);
	ps_diags_release(&d);

	assert_int_equal(unlink(fix_path(f, &b, "participants/P-7K3Q2X.yaml")),
	    0);
	assert_true(ps_store_exists(f->s, "participants/P-7K3Q2X.yaml"));
	assert_true(ps_store_exists(f->s, "participants/P-2HC6NE.yaml"));
	assert_false(ps_store_exists(f->s, "participants/P-9TJ5WB.yaml"));
	ps_buf_release(&want);
	ps_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(open_finds_store, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(find_refuses, setup, teardown),
		cmocka_unit_test_setup_teardown(open_refuses_world_writable,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(create_store, setup, teardown),
		cmocka_unit_test_setup_teardown(each_record, setup, teardown),
		cmocka_unit_test_setup_teardown(each_large_folder, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(each_in_commit, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(read_blob, setup, teardown),
		cmocka_unit_test_setup_teardown(count_in, setup, teardown),
		cmocka_unit_test_setup_teardown(resolve, setup, teardown),
		cmocka_unit_test_setup_teardown(get_and_load, setup, teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
