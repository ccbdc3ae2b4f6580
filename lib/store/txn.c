/*
 * txn: one store write, all or nothing; see txn.h for the sequence.
 *
 * The journal (journal.h) is what makes a crash at any point leave the
 * store as before or as after. Temp files live in .git/ps-tmp, never in
 * the work tree, so a crash cannot leave a partial record where git or a
 * person would see it. No file is fsynced one by one: at each step one
 * syncfs() puts everything written so far on disk (ps_repo_sync), so a
 * one-record commit flushes the disk four times, not twenty, and 10,000
 * records cost no more.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2/sys/odb_backend.h>

#include "util/buf.h"
#include "util/map.h"
#include "util/mem.h"
#include "util/signals.h"
#include "model/record.h"
#include "model/yaml.h"
#include "store/author.h"
#include "store/git.h"
#include "store/gitindex.h"
#include "store/journal.h"
#include "store/pack.h"
#include "store/store.h"
#include "store/tree.h"
#include "store/txn.h"
#include "store/worktree.h"

/*
 * A write of this many records or more stores its objects as one pack
 * (one file, one fsync) instead of a loose object each; fewer stay loose,
 * so that everyday one-record commits do not pile up packs. (git's own
 * transfer.unpackLimit draws the line at 100 objects too.)
 */
#define PACK_MIN	100

/* A folder of HEAD's tree, looked up once (NULL: no such folder). */
struct folder {
	char		*dir;
	git_tree	*tree;
};

struct ps_txn {
	struct ps_store	*store;
	char		*ref;		/* the branch HEAD names */
	git_oid		 old;		/* its commit, when not unborn */
	int		 unborn;
	git_tree	*tree;		/* HEAD's tree, or NULL */
	struct folder	*folders;
	size_t		 nfolders;
	struct ps_change	*ch;
	size_t		 n;
	size_t		 cap;
	struct ps_map	 paths;		/* of ch, by path */
	git_oid		 new;
	int		 committed;
	int		 held;		/* signals held (ps_signals_hold) */
	sigset_t	 mask;		/* the mask before */
};

/* From a commit's first write to the transaction's end. */
static void
hold(struct ps_txn *t)
{
	if (!t->held) {
		ps_signals_hold(&t->mask);
		t->held = 1;
	}
}

/* The store has no reference at all: PS_STORE, saying what to do, if
   it has (the unborn branch is not the store's). */
static int
only_ref_unborn(struct ps_store *s, const char *ref, struct ps_diags *d)
{
	git_reference_iterator *it = NULL;
	const char *name;
	int err;

	if (git_reference_iterator_glob_new(&it, s->repo, "refs/*") < 0)
		return ps_git_error(d, "cannot read the store's branches");
	err = git_reference_next_name(&name, it);
	git_reference_iterator_free(it);
	if (err == GIT_ITEROVER)
		return 0;
	if (err < 0)
		return ps_git_error(d, "cannot read the store's branches");
	return ps_diag_err(d, PS_STORE, "HEAD names %s, a branch with no "
	    "commit yet (git checkout --orphan?), not the store's: switch "
	    "back to the store's branch (git switch) first", ref);
}

int
ps_txn_begin(struct ps_txn **out, struct ps_store *s, struct ps_diags *d)
{
	struct ps_txn *t;
	git_reference *head = NULL;
	git_commit *c = NULL;
	struct ps_buf lk = PS_BUF_INIT;
	int rc;

	*out = NULL;
	if ((t = calloc(1, sizeof(*t))) == NULL)
		return ps_diag_nomem(d);
	t->store = s;
	if ((rc = ps_journal_recover(s, d)) != 0)
		goto done;
	if (!s->erasing && (rc = ps_journal_erase_check(s, d)) != 0)
		goto done;
	if ((rc = ps_repo_wait_git_lock(s, "index.lock", d)) != 0 ||
	    (rc = ps_repo_wait_git_lock(s, "HEAD.lock", d)) != 0 ||
	    (rc = ps_gitindex_check(s, d)) != 0)
		goto done;
	if (git_reference_lookup(&head, s->repo, "HEAD") < 0) {
		rc = ps_git_error(d, "cannot read HEAD");
		goto done;
	}
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		rc = ps_diag_err(d, PS_STORE, "HEAD is detached: check out the "
		    "store's branch (git switch main) first");
		goto done;
	}
	if ((t->ref = strdup(git_reference_symbolic_target(head))) == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (ps_buf_printf(&lk, "%s.lock", t->ref) == -1) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if ((rc = ps_repo_wait_git_lock(s, lk.s, d)) != 0)
		goto done;
	if (git_reference_name_to_id(&t->old, s->repo, t->ref) < 0) {
		t->unborn = 1;
		/*
		 * A branch with no commit is a new store's (ps-init), and
		 * nothing else: after git checkout --orphan, a commit here
		 * would be a root holding only what this write stages.
		 */
		if ((rc = only_ref_unborn(s, t->ref, d)) != 0)
			goto done;
	} else if (git_commit_lookup(&c, s->repo, &t->old) < 0 ||
	    git_commit_tree(&t->tree, c) < 0)
		rc = ps_git_error(d, "cannot read the branch head");
done:
	git_commit_free(c);
	git_reference_free(head);
	ps_buf_release(&lk);
	if (rc != 0) {
		ps_txn_free(t);
		t = NULL;
	}
	*out = t;
	return rc;
}

void
ps_txn_free(struct ps_txn *t)
{
	size_t i;
	int held;
	sigset_t mask;

	if (t == NULL)
		return;
	held = t->held;
	mask = t->mask;
	ps_repo_unlock(t->store);
	ps_worktree_free(t->ch, t->n);
	ps_map_release(&t->paths);
	for (i = 0; i < t->nfolders; i++) {
		free(t->folders[i].dir);
		git_tree_free(t->folders[i].tree);
	}
	free(t->folders);
	git_tree_free(t->tree);
	free(t->ref);
	free(t);
	if (held)	/* a signal held ends the process now, the write done */
		ps_signals_release(&mask);
}

static uint64_t
path_hash(const char *s)
{
	return ps_map_hash(s, strlen(s));
}

/* Is ch[i] the change at path key? (ps_map_find) */
static int
path_eq(const void *arg, size_t i, const void *key)
{
	const struct ps_txn *t = arg;

	return strcmp(t->ch[i].path, key) == 0;
}

/* The change staged at relpath, or NULL: a hash, not a scan of them all. */
static struct ps_change *
staged(const struct ps_txn *t, const char *relpath)
{
	size_t i;

	i = ps_map_find(&t->paths, path_hash(relpath), path_eq, t, relpath);
	return i == PS_MAP_NONE ? NULL : &t->ch[i];
}

/* Index every change again (after a sort), in the same table. */
static int
reindex(struct ps_txn *t)
{
	size_t i;

	ps_map_clear(&t->paths);
	for (i = 0; i < t->n; i++)
		if (ps_map_add(&t->paths, path_hash(t->ch[i].path), i) == -1)
			return -1;
	return 0;
}

/* Note ch[t->n - 1] in the index. */
static int
index_add(struct ps_txn *t)
{
	return ps_map_add(&t->paths, path_hash(t->ch[t->n - 1].path),
	    t->n - 1);
}

/*
 * The entry of relpath in HEAD's tree (caller frees), as
 * git_tree_entry_bypath() gives it, but with each folder's tree looked up
 * once: libgit2 does not cache a large tree, and a folder of 20,000
 * records is a megabyte to inflate and parse again for each new ID.
 */
static int
head_entry(git_tree_entry **out, struct ps_txn *t, const char *relpath)
{
	const char *slash = strrchr(relpath, '/');
	const git_tree_entry *e;
	git_tree_entry *dir = NULL;
	git_tree *sub = NULL;
	struct folder *f;
	size_t i, len;

	*out = NULL;
	if (t->tree == NULL)
		return GIT_ENOTFOUND;
	if (slash == NULL)
		return git_tree_entry_bypath(out, t->tree, relpath);
	len = (size_t)(slash - relpath);
	for (i = 0; i < t->nfolders; i++)
		if (strncmp(t->folders[i].dir, relpath, len) == 0 &&
		    t->folders[i].dir[len] == '\0')
			break;
	if (i == t->nfolders) {
		if ((f = realloc(t->folders, (i + 1) * sizeof(*f))) == NULL)
			return git_tree_entry_bypath(out, t->tree, relpath);
		t->folders = f;
		f += i;
		if ((f->dir = strndup(relpath, len)) == NULL)
			return git_tree_entry_bypath(out, t->tree, relpath);
		if (git_tree_entry_bypath(&dir, t->tree, f->dir) == 0 &&
		    git_tree_entry_type(dir) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&sub, t->store->repo,
		    git_tree_entry_id(dir)) < 0) {
			git_tree_entry_free(dir);
			free(f->dir);
			return git_tree_entry_bypath(out, t->tree, relpath);
		}
		git_tree_entry_free(dir);
		f->tree = sub;
		t->nfolders++;
	}
	if (t->folders[i].tree == NULL ||
	    (e = git_tree_entry_byname(t->folders[i].tree, slash + 1)) ==
	    NULL)
		return GIT_ENOTFOUND;
	return git_tree_entry_dup(out, e);
}

int
ps_txn_taken(struct ps_txn *t, const char *relpath)
{
	struct ps_buf full = PS_BUF_INIT;
	git_tree_entry *e = NULL;
	struct stat st;
	int taken;

	if (ps_txn_staged(t, relpath))
		return 1;
	if (head_entry(&e, t, relpath) == 0) {
		git_tree_entry_free(e);
		return 1;
	}
	ps_buf_printf(&full, "%s/%s", t->store->root, relpath);
	taken = full.s == NULL || lstat(full.s, &st) == 0 || errno != ENOENT;
	ps_buf_release(&full);
	return taken;
}

int
ps_txn_staged(const struct ps_txn *t, const char *relpath)
{
	return staged(t, relpath) != NULL;
}

/* Refuse to overwrite a file whose content git has not committed. */
static int
check_worktree(struct ps_txn *t, const char *rel, const git_oid *in_head,
    struct ps_diags *d)
{
	struct ps_buf full = PS_BUF_INIT;
	const char *slash = strrchr(rel, '/');
	struct stat st;
	git_oid h;
	int rc;

	/* never through a folder that is a symlink: outside the store */
	if ((rc = ps_store_real_dirs(t->store, rel, rel, slash ?
	    (size_t)(slash - rel) : 0, d)) != 0)
		return rc;
	ps_buf_printf(&full, "%s/%s", t->store->root, rel);
	if (lstat(full.s, &st) == -1) {
		if (errno != ENOENT)
			rc = ps_diag_add(d, PS_STORE, rel, 0, 0, NULL, "%s",
			    strerror(errno));
		else if (in_head)
			rc = ps_diag_add(d, PS_STORE, rel, 0, 0, NULL,
			    "deleted from the work tree but not committed: "
			    "restore it with git checkout -- %s, or commit "
			    "the deletion", rel);
	} else if (!S_ISREG(st.st_mode))
		rc = ps_diag_add(d, PS_STORE, rel, 0, 0, NULL,
		    "not a regular file");
	else if (in_head == NULL)
		rc = ps_diag_add(d, PS_STORE, rel, 0, 0, NULL,
		    "exists but is not committed: commit it with git, or move "
		    "it away");
	else if (git_odb_hashfile(&h, full.s, GIT_OBJECT_BLOB) < 0)
		rc = ps_git_error(d, rel);
	else if (!git_oid_equal(&h, in_head))
		rc = ps_diag_add(d, PS_STORE, rel, 0, 0, NULL,
		    "has changes that are not committed: commit them with git, "
		    "or undo them with git checkout -- %s", rel);
	ps_buf_release(&full);
	return rc;
}

/*
 * A record read from the work tree (origin, see node.h) is written back
 * only if the head this write holds the lock on still has the version
 * read: one read before the lock was taken may have been changed by
 * another command since (two decisions on one record at once). Refused,
 * never overwritten; exit status 3, and running again reads it afresh.
 */
static int
check_read(const char *rel, const char *origin, const git_tree_entry *e,
    struct ps_diags *d)
{
	char hex[GIT_OID_HEXSZ + 1];

	if (origin == NULL || strlen(origin) <= GIT_OID_HEXSZ + 1 ||
	    strcmp(origin + GIT_OID_HEXSZ + 1, rel) != 0)
		return 0;	/* not read from this path */
	if (e && strncmp(origin, git_oid_tostr(hex, sizeof(hex),
	    git_tree_entry_id(e)), GIT_OID_HEXSZ) == 0)
		return 0;
	return ps_diag_add(d, PS_STORE, rel, 0, 0, NULL, "changed since this "
	    "command read it (another command wrote it meanwhile); nothing "
	    "was written: run the command again");
}

/*
 * Stage a record's text (or a deletion) at rel. Its blob is only hashed
 * here; ps_txn_commit() writes the blobs, all at once, so a dry run
 * writes no object at all.
 */
static int
stage(struct ps_txn *t, const char *rel, const char *data, size_t len,
    int del, const char *origin, struct ps_diags *d)
{
	git_tree_entry *e = NULL;
	struct ps_change *v, *c;
	git_oid oid;
	char *copy = NULL;
	int rc = 0;

	if (!ps_worktree_safe_path(rel))
		return ps_diag_err(d, PS_REFUSED, "not a store path: %.80s",
		    rel);
	head_entry(&e, t, rel);
	c = staged(t, rel);
	if (c == NULL && ((rc = check_worktree(t, rel,
	    e ? git_tree_entry_id(e) : NULL, d)) != 0 ||
	    (rc = check_read(rel, origin, e, d)) != 0))
		goto done;
	if (!del && git_odb_hash(&oid, data, len, GIT_OBJECT_BLOB) < 0) {
		rc = ps_git_error(d, "cannot hash a record");
		goto done;
	}
	if (c == NULL && e && !del && git_oid_equal(&oid, git_tree_entry_id(e)))
		goto done;	/* unchanged: nothing to commit */
	if (!del && (copy = malloc(len ? len : 1)) == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (!del)
		memcpy(copy, data, len);
	if (c == NULL) {
		if (t->n == t->cap) {
			size_t cap = t->cap ? t->cap * 2 : 16;

			if ((v = realloc(t->ch, cap * sizeof(*v))) == NULL) {
				rc = ps_diag_nomem(d);
				goto done;
			}
			t->ch = v;
			t->cap = cap;
		}
		c = &t->ch[t->n];
		memset(c, 0, sizeof(*c));
		if ((c->path = strdup(rel)) == NULL) {
			rc = ps_diag_nomem(d);
			goto done;
		}
		t->n++;
		if (index_add(t) == -1) {
			free(c->path);
			t->n--;
			rc = ps_diag_nomem(d);
			goto done;
		}
	}
	c->del = del;
	c->isnew = e == NULL;
	free(c->data);
	c->data = copy;
	c->len = len;
	copy = NULL;
	if (!del)
		c->oid = oid;
done:
	free(copy);
	git_tree_entry_free(e);
	return rc;
}

int
ps_txn_put_file(struct ps_txn *t, const char *rel, const char *data,
    size_t len, struct ps_diags *d)
{
	return stage(t, rel, data, len, 0, NULL, d);
}

int
ps_txn_put(struct ps_txn *t, const struct ps_node *rec, struct ps_diags *d)
{
	struct ps_buf path = PS_BUF_INIT, text = PS_BUF_INIT;
	int rc;

	if (ps_record_path(rec, &path) == -1)
		rc = ps_diag_err(d, PS_REFUSED, "record has no kind, id or "
		    "date to place it in the store");
	else if (ps_yaml_write(&text, rec) == -1)
		rc = ps_diag_nomem(d);
	else
		rc = stage(t, path.s, text.s, text.len, 0, rec->origin, d);
	ps_buf_release(&path);
	ps_buf_release(&text);
	return rc;
}

static int
chcmp(const void *a, const void *b)
{
	return strcmp(((const struct ps_change *)a)->path,
	    ((const struct ps_change *)b)->path);
}

/* A line of a commit's header or trailers: printable, one line. */
static int
one_line(const char *v)
{
	for (; *v; v++)
		if ((unsigned char)*v < 0x20 || *v == 0x7f)
			return 0;
	return 1;
}

/* The commit message: subject, the files changed, the trailers. */
static int
message(struct ps_buf *m, const struct ps_txn *t,
    const struct ps_commit_info *ci)
{
	size_t i;

	ps_buf_printf(m, "%s\n\n", ci->subject);
	for (i = 0; i < t->n; i++)
		ps_buf_printf(m, "%s %s\n", t->ch[i].del ? "delete" :
		    t->ch[i].isnew ? "add" : "update", t->ch[i].path);
	return ps_buf_printf(m, "\nPs-Tool: %s\nPs-Version: %s\n", ci->tool,
	    PS_VERSION);
}

static int	move_branch(struct ps_txn *, const char *, struct ps_diags *);

/* Times the branch's move is tried again after git held its lock. */
#define MOVE_TRIES	100

/*
 * The staged blobs, loose, or straight into the pack's memory backend:
 * through the object database each new object would first be looked
 * for everywhere, the pack folder read again for each.
 */
static int
write_blobs(struct ps_txn *t, struct ps_pack *p, struct ps_diags *d)
{
	struct ps_change *c;
	git_oid oid;
	size_t i;

	for (i = 0; i < t->n; i++) {
		c = &t->ch[i];
		if (c->del || c->data == NULL)
			continue;
		if ((p->mp ? p->mp->write(p->mp, &c->oid, c->data, c->len,
		    GIT_OBJECT_BLOB) : ps_git_odb_write(t->store->repo, &oid,
		    c->data, c->len, GIT_OBJECT_BLOB)) < 0 ||
		    ps_pack_add(p, &c->oid) < 0)
			return ps_git_error(d, "cannot write a record to git");
	}
	return 0;
}

int
ps_txn_commit(struct ps_txn *t, const struct ps_commit_info *ci,
    struct ps_diags *d)
{
	struct ps_store *s = t->store;
	struct ps_buf msg = PS_BUF_INIT;
	struct ps_pack p = { NULL, NULL, NULL, NULL, 0, 0 };
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	git_oid toid;
	int empty = 0, rc;

	if (!one_line(ci->subject) || !one_line(ci->tool))
		return ps_diag_err(d, PS_REFUSED, "the commit's subject or "
		    "Ps-Tool trailer holds a line break or control character");
	if ((rc = ps_author_get(&sig, s, ci->author, ci->dry_run, d)) != 0 ||
	    ci->dry_run ||
	    t->n == 0)
		goto done;
	hold(t);
	ps_mem_sort(t->ch, t->n, sizeof(*t->ch), chcmp);
	if (reindex(t) == -1) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if ((t->n >= PACK_MIN && (rc = ps_pack_begin(&p, s, d)) != 0) ||
	    (rc = write_blobs(t, &p, d)) != 0)
		goto done;
	if (ps_tree_build(s->repo, &p, t->tree, t->ch, t->n, 0, &toid,
	    &empty) < 0 ||
	    git_tree_lookup(&tree, s->repo, &toid) < 0 ||
	    (!t->unborn && git_commit_lookup(&parent, s->repo, &t->old) < 0)) {
		rc = ps_git_error(d, "cannot build the commit");
		goto done;
	}
	if (message(&msg, t, ci) == -1) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (ps_git_commit_create(&t->new, s->repo, sig, sig, NULL, msg.s,
	    tree, parent ? 1 : 0, (const git_commit **)&parent) < 0) {
		rc = ps_git_error(d, "cannot create the commit");
		goto done;
	}
	if (p.mp && (ps_pack_add(&p, &t->new) < 0 ? (rc = ps_diag_nomem(d)) :
	    (rc = ps_pack_write(&p, s, d))) != 0)
		goto done;
	ps_pack_release(&p, s);
	memset(&p, 0, sizeof(p));
	rc = move_branch(t, ci->subject, d);
done:
	ps_pack_release(&p, s);
	git_tree_free(tree);
	git_commit_free(parent);
	git_signature_free(sig);
	ps_buf_release(&msg);
	return rc;
}

/*
 * libgit2 failed to move the branch, but may have failed after the ref
 * file was renamed into place (syncing its folder): the branch then
 * points at the commit, which may not survive a crash, and nothing may be
 * said to be saved that is not. Put it back; 0 when the branch is where
 * it was. If that fails too, -1: the journal stays and the next command
 * settles it, forward or back, by what the branch then holds.
 */
static int
moved_anyway(struct ps_txn *t, struct ps_diags *d)
{
	git_reference *back = NULL;
	git_oid cur;
	int err;

	if (t->unborn ||
	    git_reference_name_to_id(&cur, t->store->repo, t->ref) < 0 ||
	    !git_oid_equal(&cur, &t->new))
		return 0;
	err = git_reference_create_matching(&back, t->store->repo, t->ref,
	    &t->old, 1, &t->new, "ps: undo a move that was not synced");
	git_reference_free(back);
	if (err == 0)
		return 0;
	ps_diag_err(d, PS_STORE, "the branch moved, but could not be synced "
	    "to disk or moved back: the next ps- command keeps the commit or "
	    "drops it, whichever the disk holds; git log then shows which");
	return -1;
}

/*
 * From the commit t->new on: the journal, the branch moved if it still
 * points where it did at ps_txn_begin(), then the work tree and index
 * brought up to it, then the journal dropped.
 */
static int
move_branch(struct ps_txn *t, const char *logmsg, struct ps_diags *d)
{
	struct ps_store *s = t->store;
	struct ps_diags late = PS_DIAGS_INIT;
	git_reference *ref = NULL;
	char lock[320];
	size_t i;
	int rc, err, tries;

	snprintf(lock, sizeof(lock), "%s.lock", t->ref);
	if ((rc = ps_journal_write(s, t->ref, t->unborn ? NULL : &t->old,
	    &t->new, t->ch, t->n, d)) != 0)
		goto done;
	/*
	 * The commit point: move the branch only if it has not moved. A git
	 * command beside (git gc packing refs) may hold the branch's lock
	 * for a moment: wait for it, as ps_txn_begin() did, and try again.
	 */
	for (tries = 0; ; tries++) {
		if (t->unborn)
			err = git_reference_create(&ref, s->repo, t->ref,
			    &t->new, 0, logmsg);
		else
			err = git_reference_create_matching(&ref, s->repo,
			    t->ref, &t->new, 1, &t->old, logmsg);
		if (err != GIT_ELOCKED || tries == MOVE_TRIES)
			break;
		if ((rc = ps_repo_wait_git_lock(s, lock, d)) != 0) {
			ps_journal_drop(s);
			goto done;
		}
	}
	if (err < 0) {
		rc = err == GIT_EMODIFIED || err == GIT_EEXISTS ?
		    ps_diag_err(d, PS_STORE, "the store changed since this "
		    "command read it (a commit was made outside the tools); "
		    "nothing was written: run the command again") :
		    ps_git_error(d, "cannot move the branch");
		if (moved_anyway(t, d) == 0)
			ps_journal_drop(s);
		goto done;
	}
	/* the branch on disk before the work tree shows the commit */
	if ((rc = ps_repo_sync(s, d)) != 0) {
		if (moved_anyway(t, d) == 0)
			ps_journal_drop(s);
		goto done;
	}
	t->committed = 1;
	d->committed = 1;
	ps_git_after_commit(1);
	if ((err = ps_journal_apply(s, t->ch, t->n, &late)) != 0) {
		/*
		 * The commit is made and on disk (its objects, the ref and
		 * the journal were synced): the write is done, and saying
		 * otherwise would have it made twice. Only the work tree
		 * lags; the journal stays, and the next command that opens
		 * the store brings the work tree and index up to the commit.
		 */
		for (i = 0; i < late.n; i++)
			if (late.v[i].status != 0)
				ps_diag_warn(d, "the commit is made, but the work "
				    "tree is not up to it yet: %s%s%s; the next "
				    "ps- command finishes it", late.v[i].file ?
				    late.v[i].file : "", late.v[i].file ?
				    ": " : "", late.v[i].msg);
		goto done;
	}
	ps_journal_drop(s);
done:
	if (!t->committed)	/* else whatever follows is after it */
		ps_git_after_commit(0);
	git_reference_free(ref);
	ps_diags_release(&late);
	return rc;
}

/* Note a change of the work tree (ps_txn_replace). */
static int
add_change(struct ps_txn *t, const char *path, const git_oid *oid, int del)
{
	struct ps_change *v;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;

		if ((v = realloc(t->ch, cap * sizeof(*v))) == NULL)
			return -1;
		t->ch = v;
		t->cap = cap;
	}
	memset(&t->ch[t->n], 0, sizeof(t->ch[t->n]));
	if ((t->ch[t->n].path = strdup(path)) == NULL)
		return -1;
	t->ch[t->n].del = del;
	if (!del)
		t->ch[t->n].oid = *oid;
	t->n++;
	return index_add(t);
}

int
ps_txn_replace(struct ps_txn *t, const git_oid *commit, const char *logmsg,
    struct ps_diags *d)
{
	git_repository *repo = t->store->repo;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_diff *diff = NULL;
	size_t i, n;
	int rc = 0;

	hold(t);
	if (t->n != 0 || t->unborn)
		return ps_diag_err(d, PS_STORE, "cannot replace the branch "
		    "head: %s", t->unborn ? "it has no commit" :
		    "records are staged");
	if (git_commit_lookup(&c, repo, commit) < 0 ||
	    git_commit_tree(&tree, c) < 0 ||
	    git_diff_tree_to_tree(&diff, repo, t->tree, tree, NULL) < 0) {
		rc = ps_git_error(d, "cannot compare the new head with the old");
		goto done;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && rc == 0; i++) {
		const git_diff_delta *dl = git_diff_get_delta(diff, i);
		int del = dl->status == GIT_DELTA_DELETED;
		const git_diff_file *f = del ? &dl->old_file : &dl->new_file;

		if (!ps_worktree_safe_path(f->path) || (!del &&
		    f->mode != GIT_FILEMODE_BLOB))
			rc = ps_diag_err(d, PS_STORE, "%s: not a record file "
			    "the tools can write; check the store out with git",
			    f->path);
		else if (add_change(t, f->path, &f->id, del) == -1)
			rc = ps_diag_nomem(d);
	}
	if (rc != 0)
		goto done;
	t->new = *commit;
	rc = move_branch(t, logmsg, d);
done:
	git_diff_free(diff);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

int
ps_txn_each_change(const struct ps_txn *t, int (*fn)(void *, const char *,
    const git_oid *), void *arg)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < t->n && rc == 0; i++)
		rc = fn(arg, t->ch[i].path, t->ch[i].del ? NULL : &t->ch[i].oid);
	return rc;
}

const git_oid *
ps_txn_oid(const struct ps_txn *t)
{
	return t->committed ? &t->new : NULL;
}

int
ps_txn_new_id(struct ps_txn *t, const char *kind, const char *dir,
    char id[PS_ID_LEN + 1], struct ps_diags *d)
{
	struct ps_buf rel = PS_BUF_INIT;
	int tries;

	for (tries = 0; tries < 100; tries++) {
		if (ps_id_new(id, kind) == -1)
			return ps_diag_err(d, PS_STORE, "no randomness for a "
			    "new ID: %s", strerror(errno));
		ps_buf_truncate(&rel, 0);
		if (ps_buf_printf(&rel, "%s/%s.yaml", dir ? dir :
		    ps_id_kind_dir(kind), id) == -1)
			break;
		if (ps_txn_taken(t, rel.s))
			continue;
		/* nor the ID of someone erased (ps_erase) */
		ps_buf_truncate(&rel, 0);
		if (ps_buf_printf(&rel, "erasures/%s.yaml", id) == -1)
			break;
		if (!ps_txn_taken(t, rel.s)) {
			ps_buf_release(&rel);
			return 0;	/* no collision */
		}
	}
	ps_buf_release(&rel);
	if (tries < 100)
		return ps_diag_nomem(d);
	return ps_diag_err(d, PS_STORE, "cannot find a free ID");
}
