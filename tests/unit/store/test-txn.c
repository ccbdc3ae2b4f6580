/*
 * Unit tests: one store write, all or nothing (lib/store/txn.c), on a
 * store whose HEAD holds program.yaml, participants/P-AAAAAA.yaml and
 * erasures/P-CCCCCC.yaml (an erased ID), committed by real git; real git
 * then says what each write did.
 *
 * getrandom() is this file's own, so that new IDs can be made to
 * collide: while a script is set, it hands out the script's IDs in turn
 * (six Crockford letters each), over and over; else it is the kernel's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/random.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "util/id.h"
#include "store/txn.h"
#include "fixture.h"

static const char *script;
static size_t script_at;

ssize_t
getrandom(void *buf, size_t len, unsigned int flags)
{
	static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	unsigned char *p = buf;
	size_t i;

	if (script == NULL)
		return syscall(SYS_getrandom, buf, len, flags);
	if (*script == '!') {
		errno = EIO;
		return -1;
	}
	for (i = 0; i < len; i++) {
		p[i] = (unsigned char)(strchr(crockford, script[script_at]) -
		    crockford);
		if (script[++script_at] == '\0')
			script_at = 0;
	}
	return (ssize_t)len;
}

static const struct ps_commit_info info = { "ps-test",
    "test: a write", NULL, 0 };

static int
setup(void **state)
{
	static struct fix f;
	struct ps_buf b = PS_BUF_INIT;

	fix_new(&f, 1);
	fix_write(&f, "participants/P-AAAAAA.yaml", fix_participant_text(&b,
	    "P-AAAAAA"));
	fix_write(&f, "erasures/P-CCCCCC.yaml", "erased\n");
	assert_int_equal(fix_git(&f, NULL, "add ."), 0);
	assert_int_equal(fix_git(&f, NULL, "commit -q -m records"), 0);
	ps_buf_release(&b);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	fix_free(*state);
	setenv("PS_AUTHOR", FIX_AUTHOR, 1);
	setenv("PS_LOCK_TIMEOUT", "1", 1);
	script = NULL;
	return 0;
}

/* A checked record of the participant text with id and status. */
static struct ps_node *
record(struct fix *f, const char *id, const char *status)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf b = PS_BUF_INIT, t = PS_BUF_INIT;
	struct ps_node *rec = NULL;
	char *at;

	fix_participant_text(&b, id);
	at = strstr(b.s, "waiting");
	assert_int_equal(ps_buf_add(&t, b.s, (size_t)(at - b.s)), 0);
	assert_int_equal(ps_buf_printf(&t, "%s%s", status, at + 7), 0);
	assert_int_equal(ps_yaml_load_mem(&rec, t.s, t.len, "test", &d), 0);
	assert_int_equal(ps_record_check(f->s->schemas, rec, "test", &d), 0);
	fix_diags_done(&d);
	ps_buf_release(&b);
	ps_buf_release(&t);
	return rec;
}

static void
begin(struct fix *f, struct ps_txn **t)
{
	struct ps_diags d = PS_DIAGS_INIT;
	int rc = ps_txn_begin(t, f->s, &d);

	fix_diags_done(&d);
	assert_int_equal(rc, 0);
}

/* The number of loose objects and of files in .git/objects/pack. */
static int
objects(const struct fix *f)
{
	struct ps_buf out = PS_BUF_INIT;
	int n;

	assert_int_equal(fix_git(f, &out, "count-objects -v | sed -n "
	    "'s/^count: //p'"), 0);
	n = atoi(out.s);
	assert_int_equal(fix_git(f, &out, "count-objects -v | sed -n "
	    "'s/^packs: //p'"), 0);
	n += 1000 * atoi(out.s);
	ps_buf_release(&out);
	return n;
}

struct log {
	struct ps_buf	b;
};

static int
log_change(void *arg, const char *relpath, const git_oid *blob)
{
	struct log *l = arg;

	return ps_buf_printf(&l->b, "%s %s\n", blob ? "put" : "del", relpath);
}

/*
 * A record put and committed: one commit on HEAD, its message the
 * subject, what changed and the trailers; by $PS_AUTHOR at $PS_NOW; the
 * work tree and index up to it, the journal gone, the lock released.
 */
static void
commit_one(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_txn *t = NULL;
	struct ps_store *other = NULL;
	struct ps_node *rec = record(f, "P-7K3Q2X", "waiting"), *upd =
	    record(f, "P-AAAAAA", "withdrawn");
	struct ps_buf text = PS_BUF_INIT;
	struct log l = { PS_BUF_INIT };
	git_commit *c = NULL;
	git_oid old, head;

	fix_ref(f, "HEAD", &old);
	begin(f, &t);
	assert_int_equal(ps_txn_put(t, rec, &d), 0);
	assert_int_equal(ps_txn_put(t, upd, &d), 0);
	assert_true(ps_txn_staged(t, "participants/P-7K3Q2X.yaml"));
	assert_true(ps_txn_taken(t, "participants/P-7K3Q2X.yaml"));
	assert_false(ps_txn_staged(t, "participants/P-4MZ8RD.yaml"));
	assert_false(ps_txn_taken(t, "participants/P-4MZ8RD.yaml"));
	assert_null(ps_txn_oid(t));
	assert_int_equal(ps_txn_each_change(t, log_change, &l), 0);
	assert_string_equal(l.b.s, "put participants/P-7K3Q2X.yaml\n"
	    "put participants/P-AAAAAA.yaml\n");
	assert_int_equal(ps_txn_commit(t, &info, &d), 0);
	assert_int_equal(d.n, 0);
	fix_ref(f, "HEAD", &head);
	assert_non_null(ps_txn_oid(t));
	assert_true(git_oid_equal(ps_txn_oid(t), &head));

	/* the lock, held till the transaction is freed */
	setenv("PS_LOCK_TIMEOUT", "0", 1);
	assert_int_equal(ps_store_open(&other, f->root, &d), 0);
	assert_int_equal(ps_repo_lock(other, &d), PS_STORE);
	ps_diags_release(&d);
	ps_txn_free(t);
	assert_int_equal(ps_repo_lock(other, &d), 0);
	ps_store_close(other);

	assert_int_equal(git_commit_lookup(&c, f->s->repo, &head), 0);
	assert_int_equal(git_commit_parentcount(c), 1);
	assert_true(git_oid_equal(git_commit_parent_id(c, 0), &old));
	assert_string_equal(git_commit_message(c), "test: a write\n\n"
	    "add participants/P-7K3Q2X.yaml\n"
	    "update participants/P-AAAAAA.yaml\n\n"
	    "Ps-Tool: ps-test\nPs-Version: " PS_VERSION "\n");
	git_commit_free(c);
	fix_git_says(f, "ps-test\n", "log -1 '--format=%%(trailers:key=Ps-Tool,"
	    "valueonly,separator=)'");
	fix_git_says(f, "Test Coordinator <coordinator@example.org> "
	    "2026-11-22T10:00:00-05:00 2026-11-22T10:00:00-05:00\n",
	    "log -1 --format='%%an <%%ae> %%ad %%cd' --date=iso-strict");
	fix_git_says(f, "3\n", "rev-list --count HEAD");
	assert_int_equal(ps_yaml_write(&text, rec), 0);
	fix_file_is(f, "participants/P-7K3Q2X.yaml", text.s);
	fix_git_says(f, "", "diff-files --name-status");
	fix_git_says(f, "", "status --porcelain");
	fix_git_says(f, "", "fsck --strict --no-dangling");
	fix_file_is(f, ".git/ps-journal", NULL);
	ps_node_free(rec);
	ps_node_free(upd);
	ps_buf_release(&text);
	ps_buf_release(&l.b);
}

/* A subject or tool name that would break the commit's header or
   trailers (a line break, a control character) is refused before
   anything is written (issue 19, case 2). */
static void
header_lines(void **state)
{
	static const struct ps_commit_info bad[] = {
		{ "ps-test", "test: a\nPs-Tool: forged", NULL, 0 },
		{ "ps-test", "test: a\rb", NULL, 0 },
		{ "ps-te\nst", "test: a write", NULL, 0 },
	};
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_txn *t = NULL;
	struct ps_node *rec = record(f, "P-7K3Q2X", "waiting");
	git_oid old, head;
	size_t i;

	fix_ref(f, "HEAD", &old);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		begin(f, &t);
		assert_int_equal(ps_txn_put(t, rec, &d), 0);
		assert_int_equal(ps_txn_commit(t, &bad[i], &d), PS_REFUSED);
		assert_true(fix_has_diag(&d, PS_REFUSED, "the commit's subject "
		    "or Ps-Tool trailer holds a line break or control "
		    "character"));
		ps_diags_release(&d);
		ps_txn_free(t);
		fix_ref(f, "HEAD", &head);
		assert_true(git_oid_equal(&head, &old));
	}
	fix_git_says(f, "", "status --porcelain");
	ps_node_free(rec);
}

/* A file git has not committed as it is: refused by path, never
   clobbered, and nothing written. */
static void
refuses_uncommitted(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_txn *t = NULL;
	struct ps_node *rec = record(f, "P-AAAAAA", "withdrawn");
	struct ps_buf p = PS_BUF_INIT;
	git_oid old, head;

	fix_ref(f, "HEAD", &old);
	fix_write(f, "participants/P-AAAAAA.yaml", "edited by hand\n");
	fix_write(f, "participants/P-7K3Q2X.yaml", "not added\n");
	assert_int_equal(unlink(fix_path(f, &p, "erasures/P-CCCCCC.yaml")), 0);
	assert_int_equal(mkdir(fix_path(f, &p, "notes.txt"), 0700), 0);
	begin(f, &t);
	assert_int_equal(ps_txn_put(t, rec, &d), PS_STORE);
	assert_int_equal(ps_txn_put_file(t, "participants/P-7K3Q2X.yaml", "x\n",
	    2, &d), PS_STORE);
	assert_int_equal(ps_txn_put_file(t, "erasures/P-CCCCCC.yaml", "x\n", 2,
	    &d), PS_STORE);
	assert_int_equal(ps_txn_put_file(t, "notes.txt", "x\n", 2, &d),
	    PS_STORE);
	assert_int_equal(ps_txn_put_file(t, "../outside.txt", "x\n", 2, &d),
	    PS_REFUSED);
	assert_int_equal(d.n, 5);
	assert_string_equal(d.v[0].file, "participants/P-AAAAAA.yaml");
	assert_string_equal(d.v[0].msg, "has changes that are not committed: "
	    "commit them with git, or undo them with git checkout -- "
	    "participants/P-AAAAAA.yaml");
	assert_string_equal(d.v[1].file, "participants/P-7K3Q2X.yaml");
	assert_string_equal(d.v[1].msg, "exists but is not committed: commit "
	    "it with git, or move it away");
	assert_string_equal(d.v[2].file, "erasures/P-CCCCCC.yaml");
	assert_string_equal(d.v[2].msg, "deleted from the work tree but not "
	    "committed: restore it with git checkout -- erasures/P-CCCCCC.yaml, "
	    "or commit the deletion");
	assert_string_equal(d.v[3].file, "notes.txt");
	assert_string_equal(d.v[3].msg, "not a regular file");
	assert_string_equal(d.v[4].msg, "not a store path: ../outside.txt");
	ps_diags_release(&d);
	assert_false(ps_txn_staged(t, "participants/P-AAAAAA.yaml"));
	assert_int_equal(ps_txn_commit(t, &info, &d), 0);	/* nothing */
	assert_null(ps_txn_oid(t));
	ps_txn_free(t);
	fix_ref(f, "HEAD", &head);
	assert_true(git_oid_equal(&head, &old));
	fix_file_is(f, "participants/P-AAAAAA.yaml", "edited by hand\n");
	fix_file_is(f, "participants/P-7K3Q2X.yaml", "not added\n");
	ps_node_free(rec);
	ps_buf_release(&p);
}

/* A record read before the lock, whose file another command committed
   since: refused, not written over. */
static void
refuses_stale_read(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_txn *t = NULL;
	struct ps_node *read = NULL, *other = record(f, "P-AAAAAA", "matched");
	struct ps_buf text = PS_BUF_INIT;

	assert_int_equal(ps_store_load(f->s, "participants/P-AAAAAA.yaml",
	    &read, &d), 0);
	begin(f, &t);			/* another command's write */
	assert_int_equal(ps_txn_put(t, other, &d), 0);
	assert_int_equal(ps_txn_commit(t, &info, &d), 0);
	ps_txn_free(t);

	begin(f, &t);
	assert_int_equal(ps_txn_put(t, read, &d), PS_STORE);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].file, "participants/P-AAAAAA.yaml");
	assert_string_equal(d.v[0].msg, "changed since this command read it "
	    "(another command wrote it meanwhile); nothing was written: run "
	    "the command again");
	ps_diags_release(&d);
	ps_txn_free(t);
	assert_int_equal(ps_yaml_write(&text, other), 0);
	fix_file_is(f, "participants/P-AAAAAA.yaml", text.s);
	ps_node_free(read);
	ps_node_free(other);
	ps_buf_release(&text);
}

/* A dry run checks, and writes nothing: no object, no commit, no file;
   it needs no author. A put of what HEAD holds stages nothing. */
static void
dry_run(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_txn *t = NULL;
	struct ps_node *rec = record(f, "P-7K3Q2X", "waiting"), *same =
	    record(f, "P-AAAAAA", "waiting");
	struct ps_commit_info dry = info;
	git_oid old, head;
	int before = objects(f);

	dry.dry_run = 1;
	unsetenv("PS_AUTHOR");
	fix_ref(f, "HEAD", &old);
	begin(f, &t);
	assert_int_equal(ps_txn_put(t, rec, &d), 0);
	assert_int_equal(ps_txn_put(t, same, &d), 0);
	assert_false(ps_txn_staged(t, "participants/P-AAAAAA.yaml"));
	assert_int_equal(ps_txn_commit(t, &dry, &d), 0);
	assert_int_equal(d.n, 0);
	assert_null(ps_txn_oid(t));
	ps_txn_free(t);
	fix_ref(f, "HEAD", &head);
	assert_true(git_oid_equal(&head, &old));
	assert_int_equal(objects(f), before);
	fix_file_is(f, "participants/P-7K3Q2X.yaml", NULL);
	fix_git_says(f, "", "status --porcelain");

	/* only what HEAD holds: no commit either */
	setenv("PS_AUTHOR", FIX_AUTHOR, 1);
	begin(f, &t);
	assert_int_equal(ps_txn_put(t, same, &d), 0);
	assert_int_equal(ps_txn_commit(t, &info, &d), 0);
	assert_null(ps_txn_oid(t));
	ps_txn_free(t);
	fix_ref(f, "HEAD", &head);
	assert_true(git_oid_equal(&head, &old));
	ps_node_free(rec);
	ps_node_free(same);
}

/* The branch moved by git during the write: refused at the commit,
   nothing written, git's commit kept. */
static void
branch_moved(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_txn *t = NULL;
	git_oid gits, head;

	begin(f, &t);
	assert_int_equal(ps_txn_put_file(t, "notes.txt", "notes\n", 6, &d), 0);
	assert_int_equal(fix_git(f, NULL, "commit -q --allow-empty -m "
	    "by-hand"), 0);
	fix_ref(f, "HEAD", &gits);
	assert_int_equal(ps_txn_commit(t, &info, &d), PS_STORE);
	assert_true(fix_has_diag(&d, PS_STORE, "the store changed since this "
	    "command read it (a commit was made outside the tools); nothing "
	    "was written: run the command again"));
	ps_diags_release(&d);
	assert_null(ps_txn_oid(t));
	ps_txn_free(t);
	fix_ref(f, "HEAD", &head);
	assert_true(git_oid_equal(&head, &gits));
	fix_file_is(f, "notes.txt", NULL);
	fix_file_is(f, ".git/ps-journal", NULL);
	fix_git_says(f, "", "status --porcelain");
}

/* A detached HEAD, or a merge in progress: no transaction. */
static void
begin_refused(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_txn *t = NULL;

	assert_int_equal(fix_git(f, NULL, "checkout -q --detach"), 0);
	assert_int_equal(ps_txn_begin(&t, f->s, &d), PS_STORE);
	assert_null(t);
	assert_true(fix_has_diag(&d, PS_STORE, "HEAD is detached: check out "
	    "the store's branch (git switch main) first"));
	ps_diags_release(&d);
	assert_int_equal(fix_git(f, NULL, "checkout -q -"), 0);
	fix_write(f, ".git/MERGE_HEAD",
	    "0123456789012345678901234567890123456789\n");
	assert_int_equal(ps_txn_begin(&t, f->s, &d), PS_STORE);
	assert_null(t);
	ps_diags_release(&d);
}

/*
 * A new ID is drawn again while it is taken: in HEAD, staged, in the
 * work tree, or erased; a contact's only in its day's folder. Always
 * taken, or no randomness: an error.
 */
static void
new_id(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_txn *t = NULL;
	char id[PS_ID_LEN + 1];

	fix_write(f, "participants/P-DDDDDD.yaml", "untracked\n");
	fix_write(f, "contacts/2026/11/22/C-AAAAAA.yaml", "untracked\n");
	fix_write(f, "contacts/2026/11/21/C-BBBBBB.yaml", "untracked\n");
	begin(f, &t);
	assert_int_equal(ps_txn_put_file(t, "participants/P-BBBBBB.yaml",
	    "staged\n", 7, &d), 0);
	script = "AAAAAABBBBBBCCCCCCDDDDDDEEEEEE";
	script_at = 0;
	assert_int_equal(ps_txn_new_id(t, "participant", NULL, id, &d), 0);
	assert_string_equal(id, "P-EEEEEE");
	script_at = 0;
	assert_int_equal(ps_txn_new_id(t, "contact", "contacts/2026/11/22", id,
	    &d), 0);
	assert_string_equal(id, "C-BBBBBB");
	assert_int_equal(d.n, 0);

	script = "AAAAAA";
	script_at = 0;
	assert_int_equal(ps_txn_new_id(t, "participant", NULL, id, &d),
	    PS_STORE);
	assert_true(fix_has_diag(&d, PS_STORE, "cannot find a free ID"));
	ps_diags_release(&d);
	script = "!";
	assert_int_equal(ps_txn_new_id(t, "participant", NULL, id, &d),
	    PS_STORE);
	assert_true(fix_has_diag(&d, PS_STORE, "no randomness for a new ID: "
	    "Input/output error"));
	ps_diags_release(&d);
	script = NULL;
	assert_int_equal(ps_txn_new_id(t, "volunteer", NULL, id, &d), 0);
	assert_true(ps_id_valid(id));
	assert_int_equal(id[0], 'V');
	ps_txn_free(t);
}

/*
 * The branch moved to a commit made elsewhere (a rewrite): the files
 * that differ brought to the work tree and index, the reflog saying
 * why. Not with records staged.
 */
static void
replace(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_txn *t = NULL;
	struct ps_buf b = PS_BUF_INIT;
	struct log l = { PS_BUF_INIT };
	git_oid old, mid, new, head;

	fix_ref(f, "HEAD", &old);
	fix_commit_with(f, &old, "participants/P-AAAAAA.yaml", NULL, &mid,
	    NULL);
	fix_commit_with(f, &mid, "participants/P-7K3Q2X.yaml",
	    fix_participant_text(&b, "P-7K3Q2X"), &new, NULL);
	begin(f, &t);
	assert_int_equal(ps_txn_put_file(t, "notes.txt", "x\n", 2, &d), 0);
	assert_int_equal(ps_txn_replace(t, &new, "ps-test: rewrite", &d),
	    PS_STORE);
	assert_true(fix_has_diag(&d, PS_STORE, "cannot replace the branch "
	    "head: records are staged"));
	ps_diags_release(&d);
	ps_txn_free(t);

	begin(f, &t);
	assert_int_equal(ps_txn_replace(t, &new, "ps-test: rewrite", &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(ps_txn_each_change(t, log_change, &l), 0);
	assert_string_equal(l.b.s, "put participants/P-7K3Q2X.yaml\n"
	    "del participants/P-AAAAAA.yaml\n");
	ps_txn_free(t);
	fix_ref(f, "HEAD", &head);
	assert_true(git_oid_equal(&head, &new));
	fix_file_is(f, "participants/P-AAAAAA.yaml", NULL);
	fix_file_is(f, "participants/P-7K3Q2X.yaml", b.s);
	fix_git_says(f, "", "diff-files --name-status");
	fix_git_says(f, "", "status --porcelain");
	fix_git_says(f, "ps-test: rewrite\n", "reflog -1 --format=%%gs");
	ps_buf_release(&b);
	ps_buf_release(&l.b);
}

/* A first commit, on an unborn branch (as ps-init makes it); and no
   replace there. */
static void
unborn(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_txn *t = NULL;
	git_oid head;

	memset(&head, 0, sizeof(head));
	fix_free(f);
	fix_new(f, 0);
	begin(f, &t);
	assert_int_equal(ps_txn_replace(t, &head, "x", &d), PS_STORE);
	assert_true(fix_has_diag(&d, PS_STORE, "cannot replace the branch "
	    "head: it has no commit"));
	ps_diags_release(&d);
	ps_txn_free(t);
	begin(f, &t);
	assert_int_equal(ps_txn_put_file(t, "program.yaml", fix_program,
	    strlen(fix_program), &d), 0);
	assert_int_equal(ps_txn_commit(t, &info, &d), 0);
	ps_txn_free(t);
	fix_git_says(f, "1\n", "rev-list --count HEAD");
	fix_file_is(f, "program.yaml", fix_program);
	fix_git_says(f, "", "status --porcelain");
}

/* A write of 100 files or more goes to git as one pack. */
static void
large_write_packed(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_txn *t = NULL;
	char rel[64], text[64];
	int i, before = objects(f);

	begin(f, &t);
	for (i = 0; i < 120; i++) {
		snprintf(rel, sizeof(rel), "notes/n%03d.txt", i);
		snprintf(text, sizeof(text), "note %d\n", i);
		assert_int_equal(ps_txn_put_file(t, rel, text, strlen(text),
		    &d), 0);
	}
	assert_int_equal(ps_txn_commit(t, &info, &d), 0);
	ps_txn_free(t);
	assert_int_equal(objects(f), before + 1000);	/* one pack */
	fix_git_says(f, "120\n", "ls-tree HEAD notes/ | wc -l");
	fix_file_is(f, "notes/n119.txt", "note 119\n");
	fix_git_says(f, "", "status --porcelain");
	fix_git_says(f, "", "fsck --strict --no-dangling");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(commit_one, setup, teardown),
		cmocka_unit_test_setup_teardown(header_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(refuses_uncommitted, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(refuses_stale_read, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(dry_run, setup, teardown),
		cmocka_unit_test_setup_teardown(branch_moved, setup, teardown),
		cmocka_unit_test_setup_teardown(begin_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(new_id, setup, teardown),
		cmocka_unit_test_setup_teardown(replace, setup, teardown),
		cmocka_unit_test_setup_teardown(unborn, setup, teardown),
		cmocka_unit_test_setup_teardown(large_write_packed, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
