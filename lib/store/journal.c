/* journal: crash safety of a write; see journal.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/file.h"
#include "util/signals.h"
#include "store/git.h"
#include "store/gitindex.h"
#include "store/journal.h"
#include "store/pack.h"
#include "store/worktree.h"

/* Remove the files in gitdir/sub whose names start with prefix (but,
   with but set, those whose names do not). */
static void
clean_dir(struct ps_store *s, const char *sub, const char *prefix, int but)
{
	struct ps_buf dir = PS_BUF_INIT, f = PS_BUF_INIT;
	struct dirent *e;
	DIR *dp;

	ps_repo_gitpath(s, &dir, sub);
	if (dir.s && (dp = opendir(dir.s)) != NULL) {
		while ((e = readdir(dp)) != NULL) {
			if (e->d_name[0] == '.' || (strncmp(e->d_name, prefix,
			    strlen(prefix)) != 0) != but)
				continue;
			ps_buf_truncate(&f, 0);
			if (ps_buf_printf(&f, "%s/%s", dir.s, e->d_name) == 0)
				unlink(f.s);
		}
		closedir(dp);
	}
	ps_buf_release(&dir);
	ps_buf_release(&f);
}

/*
 * Remove leftover temp files of killed runs: ours, and the loose objects
 * libgit2 was writing (tmp_object_git2_*: a record's text, compressed,
 * that git would otherwise keep until a gc). Only a tool holding ps.lock
 * writes objects, and we hold it.
 */
static void
clean_tmp(struct ps_store *s, int staged)
{
	struct ps_buf p = PS_BUF_INIT;

	/* a write's texts of the work tree (worktree.h), or all but those */
	clean_dir(s, "ps-tmp", "w", !staged);
	if (staged)
		return;
	clean_dir(s, "objects", "tmp_object_git2_", 0);
	clean_dir(s, "objects/pack", PS_PACK_TMP, 0);
	clean_dir(s, "objects/pack", "pack_git2_", 0);	/* libgit2's, before */
	/* the empty folder a ps-init killed after its last rename left */
	if (ps_buf_printf(&p, "%s/.ps-init", s->root) == 0)
		rmdir(p.s);
	ps_buf_release(&p);
}

/*
 * The git lock files an interrupted write took itself: the branch's and
 * the index's, made after its journal (and within a minute of it) while
 * it held ps.lock. Its process is gone, so they are stale; any other is
 * left for ps_txn_begin() to wait for. But while a git command runs in
 * the store, such a lock may be git's own, live (git commit -a holds
 * index.lock, closed, while its pre-commit hook runs): first wait for
 * git to finish (bounded like the lock); those still there then are
 * stale.
 */
static void
drop_own_locks(struct ps_store *s, const char *journal, const char *ref)
{
	struct ps_buf p = PS_BUF_INIT, name = PS_BUF_INIT;
	struct stat js, st;
	int i, waited = 0;

	if (stat(journal, &js) == -1 ||
	    ps_buf_printf(&name, "%s.lock", ref) == -1)
		goto done;
	for (i = 0; i < 2; i++) {
		ps_repo_gitpath(s, &p, i == 0 ? name.s : "index.lock");
		if (p.s == NULL || lstat(p.s, &st) == -1 ||
		    !S_ISREG(st.st_mode) || st.st_mtime < js.st_mtime - 1 ||
		    st.st_mtime > js.st_mtime + 60)
			continue;
		if (!waited++ && ps_repo_git_done(s) == -1)
			goto done;
		if (lstat(p.s, &st) == 0 && st.st_mtime >= js.st_mtime - 1 &&
		    st.st_mtime <= js.st_mtime + 60)
			unlink(p.s);
	}
done:
	ps_buf_release(&p);
	ps_buf_release(&name);
}

/*
 * Note in the journal that every text of the work tree is in its temp
 * file, and the files are being put in place: a new record not there
 * after a crash, its temp file gone, was then deleted by hand. Synced
 * with the files by the caller.
 */
static void
mark_placing(struct ps_store *s)
{
	struct ps_buf j = PS_BUF_INIT;
	int fd;

	ps_repo_gitpath(s, &j, "ps-journal");
	if (j.s && (fd = open(j.s, O_WRONLY | O_APPEND | O_CLOEXEC |
	    O_NOFOLLOW)) != -1) {
		if (write(fd, "placing\n", 8) != 8) {
			/* a hint only: a short one is read as none */
		}
		close(fd);
	}
	ps_buf_release(&j);
}

int
ps_journal_apply(struct ps_store *s, struct ps_change *ch, size_t n,
    struct ps_diags *d)
{
	int rc;

	if ((rc = ps_worktree_write(s, ch, n, mark_placing, d)) == 0 &&
	    (rc = ps_repo_sync(s, d)) == 0)
		rc = ps_gitindex_apply(s, ch, n, d);
	return rc;
}

/* Read the journal into changes; returns -1 if it cannot be parsed. */
static int
read_journal(const char *path, char *ref, size_t reflen, git_oid *old,
    git_oid *new, int *unborn, int *placing, struct ps_change **out,
    size_t *nout)
{
	char line[512], a[64], b[300];
	struct ps_change *ch = NULL, *v;
	size_t n = 0, cap = 0;
	int got = 0, ok = -1;
	FILE *fp;

	*out = NULL;
	*nout = 0;
	if ((fp = fopen(path, "re")) == NULL)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		if (sscanf(line, "ref %299s", b) == 1) {
			snprintf(ref, reflen, "%s", b);
			got |= 1;
		} else if (sscanf(line, "old %63s", a) == 1) {
			*unborn = strcmp(a, "none") == 0;
			if (!*unborn && git_oid_fromstr(old, a) < 0)
				goto done;
			got |= 2;
		} else if (sscanf(line, "new %63s", a) == 1) {
			if (git_oid_fromstr(new, a) < 0)
				goto done;
			got |= 4;
		} else if (sscanf(line, "put %63s %299s", a, b) == 2 ||
		    sscanf(line, "del %299s", b) == 1) {
			if (n == cap) {
				cap = cap ? cap * 2 : 16;
				if ((v = realloc(ch, cap * sizeof(*v))) == NULL)
					goto done;
				ch = v;
			}
			memset(&ch[n], 0, sizeof(ch[n]));
			ch[n].del = line[0] == 'd';
			if ((!ch[n].del && git_oid_fromstr(&ch[n].oid, a) < 0) ||
			    (ch[n].path = strdup(b)) == NULL)
				goto done;
			n++;
		} else if (strcmp(line, "end\n") == 0)
			got |= 8;
		else if (strcmp(line, "placing\n") == 0 && got == 15)
			*placing = 1;
	}
	ok = got == 15 ? 0 : -1;
done:
	fclose(fp);
	if (ok == 0) {
		*out = ch;
		*nout = n;
	} else
		ps_worktree_free(ch, n);
	return ok;
}

/* The text of the file at path into out; 0 or -1. */
static int
read_whole(const char *path, struct ps_buf *out)
{
	char chunk[8192];
	ssize_t got;
	int fd, rc = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1)
		return -1;
	while (rc == 0 && (got = read(fd, chunk, sizeof(chunk))) != 0)
		rc = got < 0 || ps_buf_add(out, chunk, (size_t)got) == -1 ?
		    -1 : 0;
	close(fd);
	return rc;
}

/*
 * A file changed by hand since the crash (c->hand), merged with the
 * write's change to it, as git stash pop would: base the parent's text
 * (none for a new record), ours the write's, theirs the file. Where the
 * two changed different lines, the merge goes in c->data, to be written
 * in the file's place: 1. Else the file stays as the person left it: 0.
 */
static int
merge_hand(struct ps_store *s, const git_tree_entry *was, struct ps_change *c,
    const char *full)
{
	git_merge_file_input base = GIT_MERGE_FILE_INPUT_INIT,
	    ours = GIT_MERGE_FILE_INPUT_INIT, theirs = GIT_MERGE_FILE_INPUT_INIT;
	git_merge_file_result r;
	struct ps_buf file = PS_BUF_INIT;
	git_blob *b0 = NULL, *b1 = NULL;
	int merged = 0;

	memset(&r, 0, sizeof(r));
	if (c->del || read_whole(full, &file) == -1 ||
	    git_blob_lookup(&b1, s->repo, &c->oid) < 0 ||
	    (was && git_blob_lookup(&b0, s->repo, git_tree_entry_id(was)) < 0))
		goto done;
	if (b0) {
		base.ptr = git_blob_rawcontent(b0);
		base.size = (size_t)git_blob_rawsize(b0);
	}
	ours.ptr = git_blob_rawcontent(b1);
	ours.size = (size_t)git_blob_rawsize(b1);
	theirs.ptr = file.s ? file.s : "";
	theirs.size = file.len;
	if (git_merge_file(&r, &base, &ours, &theirs, NULL) == 0 &&
	    r.automergeable && (c->data = malloc(r.len ? r.len : 1)) != NULL) {
		memcpy(c->data, r.ptr, r.len);
		c->len = r.len;
		merged = 1;
	}
done:
	git_merge_file_result_free(&r);
	git_blob_free(b0);
	git_blob_free(b1);
	ps_buf_release(&file);
	return merged;
}

/*
 * Before a roll forward writes the work tree: each file it writes should
 * be as the write's parent commit had it, or as the write made it (a
 * crash part way through), or absent where either had none. Any other
 * was changed by a person since the crash (placing: the journal says the
 * files were being put in place, so a new record not there, whose temp
 * file is gone too, was deleted by hand) and is never overwritten:
 * merged with the write's change where the two changed different lines,
 * else left as it is — each named in a warning.
 * The roll forward then brings the rest of the work tree, and the whole
 * index, up to the commit, so that git shows the person's change as one
 * not committed, against the write's (git diff), and the command goes on.
 */
static int
hand_edits(struct ps_store *s, const git_oid *old, int placing,
    struct ps_change *ch, size_t n, struct ps_diags *d)
{
	struct ps_buf full = PS_BUF_INIT;
	git_tree_entry *e = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	unsigned char *staged = NULL;
	struct stat st;
	git_oid h;
	size_t i;
	int rc = 0;

	/* placing: which texts were still in their temp files */
	if (placing && ((staged = malloc(n + 1)) == NULL ||
	    ps_worktree_staged(s, n, staged) == -1)) {
		rc = ps_diag_err(d, PS_STORE, "cannot read the interrupted "
		    "write's temp files: %s", strerror(errno));
		goto done;
	}

	/* an erasure's parent is pruned once its branch moved: the files
	   are then as the journal says they will be, or as they were */
	if (old && git_commit_lookup(&c, s->repo, old) == GIT_ENOTFOUND)
		goto done;
	if (old && (c == NULL || git_commit_tree(&tree, c) < 0)) {
		rc = ps_git_error(d, "cannot read the interrupted write's parent");
		goto done;
	}
	for (i = 0; i < n && rc == 0; i++) {
		ps_buf_truncate(&full, 0);
		if (ps_buf_printf(&full, "%s/%s", s->root, ch[i].path) == -1) {
			rc = ps_diag_nomem(d);
			break;
		}
		git_tree_entry_free(e);
		e = NULL;
		if (tree)
			git_tree_entry_bypath(&e, tree, ch[i].path);
		if (lstat(full.s, &st) == -1) {
			/* not written yet, or deleted already; else by hand */
			if (ch[i].del || (e == NULL && (!placing || staged[i])))
				continue;
			ch[i].hand = 1;
			ps_diag_warn(d, "%s: deleted by hand since a write was "
			    "interrupted, which committed a change to it: the "
			    "deletion is kept, not committed (git status)",
			    ch[i].path);
			continue;
		}
		if (S_ISREG(st.st_mode) &&
		    git_odb_hashfile(&h, full.s, GIT_OBJECT_BLOB) == 0 &&
		    ((!ch[i].del && git_oid_equal(&h, &ch[i].oid)) ||
		    (e && git_oid_equal(&h, git_tree_entry_id(e)))))
			continue;	/* as the write made it, or as it was */
		ch[i].hand = 1;
		if (S_ISREG(st.st_mode) && merge_hand(s, e, &ch[i], full.s))
			ps_diag_warn(d, "%s: changed by hand since a write was "
			    "interrupted, which committed a change to it too: "
			    "both are kept, yours not committed (git diff)",
			    ch[i].path);
		else if (ch[i].del)
			ps_diag_warn(d, "%s: changed by hand since a write was "
			    "interrupted, which committed its deletion: yours "
			    "is kept, not committed (git status)", ch[i].path);
		else
			ps_diag_warn(d, "%s: changed by hand since a write was "
			    "interrupted, which committed a change to it on the "
			    "same lines: yours is kept as it is, not committed; "
			    "git diff shows it against the write's", ch[i].path);
	}
done:
	free(staged);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	ps_buf_release(&full);
	return rc;
}

/*
 * A write killed before its branch moved, which a git commit moved on
 * since (from old, or from none): its commit (new) is not in the
 * branch, its old one is, and it wrote nothing to finish.
 */
static int
never_landed(struct ps_store *s, const git_oid *cur, const git_oid *old,
    const git_oid *new)
{
	return cur && git_graph_descendant_of(s->repo, cur, new) == 0 &&
	    (old == NULL || git_graph_descendant_of(s->repo, cur, old) == 1);
}

/*
 * Finish the write a journal describes, if the branch points at its
 * commit. A journal an earlier version's index child took over
 * (ps-index-journal: the work tree was written) that finds the branch
 * moved by git since is dropped: the commit was made, and the index is
 * git's to keep now.
 */
static int
recover(struct ps_store *s, const char *name, int index_only,
    struct ps_diags *d)
{
	struct ps_buf j = PS_BUF_INIT;
	struct ps_change *ch = NULL;
	git_oid old, new, cur;
	sigset_t mask;
	char ref[300];
	size_t n = 0;
	int unborn = 0, placing = 0, have, rc = 0;

	ps_repo_gitpath(s, &j, name);
	if (j.s == NULL || access(j.s, F_OK) == -1)
		goto done;
	if (ps_repo_in_git_hook()) {
		/* git holds the index: finishing now would undo its commit */
		rc = ps_diag_err(d, PS_STORE, "an interrupted write of the "
		    "tools is not finished, and git is committing: run ps-check "
		    "outside git to finish it, then commit again");
		goto done;
	}
	if (read_journal(j.s, ref, sizeof(ref), &old, &new, &unborn, &placing,
	    &ch, &n) == -1) {
		/* torn before its rename: it never described a commit */
		if (!index_only)
			rc = ps_diag_err(d, PS_STORE, "%s: cannot read the "
			    "journal of an interrupted write; move it aside "
			    "and run git status", j.s);
		goto drop;
	}
	drop_own_locks(s, j.s, ref);
	have = git_reference_name_to_id(&cur, s->repo, ref) == 0;
	if (have && git_oid_equal(&cur, &new)) {
		if (!index_only && (rc = hand_edits(s, unborn ? NULL : &old,
		    placing, ch, n, d)) != 0)
			goto done;
		ps_signals_hold(&mask);
		rc = index_only ? ps_gitindex_apply(s, ch, n, d) :
		    ps_journal_apply(s, ch, n, d);
		ps_signals_release(&mask);
	} else if (!index_only && !((!have && unborn) || (have && !unborn &&
	    git_oid_equal(&cur, &old))) && !never_landed(s, have ? &cur : NULL,
	    unborn ? NULL : &old, &new))
		rc = ps_diag_err(d, PS_STORE, "%s: the branch moved since an "
		    "interrupted write; compare the journal with git log",
		    j.s);
drop:
	if (rc == 0 && unlink(j.s) == -1)
		rc = ps_diag_err(d, PS_STORE, "%s: %s", j.s, strerror(errno));
	if (rc == 0)
		rc = ps_repo_sync(s, d);	/* the index too */
done:
	ps_worktree_free(ch, n);
	ps_buf_release(&j);
	return rc;
}

int
ps_journal_recover(struct ps_store *s, struct ps_diags *d)
{
	int rc;

	if ((rc = ps_repo_lock(s, d)) != 0)
		return rc;
	/* a stopped write's temp files of the work tree stay until its
	   journal is done with: they tell where it stopped */
	clean_tmp(s, 0);
	if ((rc = recover(s, "ps-journal", 0, d)) == 0 &&
	    (rc = recover(s, "ps-index-journal", 1, d)) == 0)
		clean_tmp(s, 1);
	return rc;
}

/*
 * text put whole at .git/name: written under .git/ps-tmp, renamed into
 * place, then the store synced (the objects written before with it);
 * removed again when that fails, for then it may not be on disk.
 */
static int
put_synced(struct ps_store *s, const char *name, const struct ps_buf *text,
    struct ps_diags *d)
{
	struct ps_buf j = PS_BUF_INIT, tmp = PS_BUF_INIT;
	int rc = 0;

	ps_repo_gitpath(s, &j, name);
	ps_repo_gitpath(s, &tmp, "ps-tmp");
	if (j.s == NULL || tmp.s == NULL || text->s == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (mkdir(tmp.s, 0700) == -1 && errno != EEXIST) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", tmp.s, strerror(errno));
		goto done;
	}
	ps_repo_gitpath(s, &tmp, "ps-tmp/journal.XXXXXX");
	if (tmp.s == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (ps_file_write_tmp(tmp.s, text->s, text->len, 0) == -1 ||
	    rename(tmp.s, j.s) == -1) {
		rc = ps_diag_err(d, PS_STORE, "cannot write %s: %s", j.s,
		    strerror(errno));
		unlink(tmp.s);
		goto done;
	}
	if ((rc = ps_repo_sync(s, d)) != 0)
		unlink(j.s);
done:
	ps_buf_release(&j);
	ps_buf_release(&tmp);
	return rc;
}

int
ps_journal_write(struct ps_store *s, const char *ref, const git_oid *old,
    const git_oid *new, const struct ps_change *ch, size_t n,
    struct ps_diags *d)
{
	struct ps_buf text = PS_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int rc;

	ps_buf_printf(&text, "ps-journal 1\nref %s\nold %s\n", ref,
	    old == NULL ? "none" : git_oid_tostr(hex, sizeof(hex), old));
	ps_buf_printf(&text, "new %s\n", git_oid_tostr(hex, sizeof(hex),
	    new));
	for (i = 0; i < n; i++) {
		if (ch[i].del)
			ps_buf_printf(&text, "del %s\n", ch[i].path);
		else
			ps_buf_printf(&text, "put %s %s\n", git_oid_tostr(hex,
			    sizeof(hex), &ch[i].oid), ch[i].path);
	}
	/* the commit's objects and the journal, on disk at once */
	rc = ps_buf_puts(&text, "end\n") == -1 ? ps_diag_nomem(d) :
	    put_synced(s, "ps-journal", &text, d);
	ps_buf_release(&text);
	return rc;
}

/* Drop the journal of a write that is done (under either name). */
void
ps_journal_drop(struct ps_store *s)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf j = PS_BUF_INIT;
	int i;

	for (i = 0; i < 2; i++) {
		ps_repo_gitpath(s, &j, i ? "ps-index-journal" : "ps-journal");
		if (j.s)
			unlink(j.s);
	}
	ps_buf_release(&j);
	ps_repo_sync(s, &d);	/* and the index written before */
	ps_diags_release(&d);
}

int
ps_journal_erase_begin(struct ps_store *s, const char *id,
    struct ps_diags *d)
{
	struct ps_buf text = PS_BUF_INIT;
	int rc;

	/* not on disk: no ref moves, and nothing is left to finish */
	rc = ps_buf_printf(&text, "ps-erase 1\nid %s\n", id) == -1 ?
	    ps_diag_nomem(d) : put_synced(s, "ps-erase", &text, d);
	ps_buf_release(&text);
	return rc;
}

int
ps_journal_erase_end(struct ps_store *s, struct ps_diags *d)
{
	struct ps_buf j = PS_BUF_INIT;
	int rc = 0;

	ps_repo_gitpath(s, &j, "ps-erase");
	if (j.s == NULL)
		rc = ps_diag_nomem(d);
	else if (unlink(j.s) == -1 && errno != ENOENT)
		rc = ps_diag_err(d, PS_STORE, "%s: %s", j.s, strerror(errno));
	else
		rc = ps_repo_sync(s, d);
	ps_buf_release(&j);
	return rc;
}

int
ps_journal_erase_pending(struct ps_store *s, char id[PS_ID_LEN + 1])
{
	struct ps_buf j = PS_BUF_INIT;
	char line[64];
	FILE *fp = NULL;
	int found = 0;

	id[0] = '\0';
	ps_repo_gitpath(s, &j, "ps-erase");
	if (j.s && (fp = fopen(j.s, "re")) != NULL) {
		found = 1;	/* even unreadable: not finished */
		while (fgets(line, sizeof(line), fp))
			if (strncmp(line, "id ", 3) == 0 &&
			    strlen(line + 3) == PS_ID_LEN + 1 &&
			    line[3 + PS_ID_LEN] == '\n') {
				memcpy(id, line + 3, PS_ID_LEN);
				id[PS_ID_LEN] = '\0';
			}
		fclose(fp);
		if (!ps_id_valid(id))
			snprintf(id, PS_ID_LEN + 1, "?");
	} else if (j.s && errno != ENOENT)
		found = 1;
	ps_buf_release(&j);
	return found;
}

int
ps_journal_erase_check(struct ps_store *s, struct ps_diags *d)
{
	char id[PS_ID_LEN + 1];

	if (!ps_journal_erase_pending(s, id))
		return 0;
	return ps_diag_err(d, PS_STORE, "the erasure of %s is not finished: "
	    "run ps-apply --erase %s to finish it", id, id);
}

/* Remove every *.lock under dir (a folder of .git), and dir's own. */
static void
drop_locks_in(const char *dir)
{
	struct ps_buf p = PS_BUF_INIT;
	struct dirent *e;
	struct stat st;
	size_t n;
	DIR *dp;

	if ((dp = opendir(dir)) == NULL)
		return;
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		ps_buf_truncate(&p, 0);
		if (ps_buf_printf(&p, "%s/%s", dir, e->d_name) == -1 ||
		    lstat(p.s, &st) == -1)
			continue;
		n = strlen(e->d_name);
		if (S_ISDIR(st.st_mode))
			drop_locks_in(p.s);
		else if (n > 5 && strcmp(e->d_name + n - 5, ".lock") == 0)
			unlink(p.s);
	}
	closedir(dp);
	ps_buf_release(&p);
}

void
ps_journal_drop_git_locks(struct ps_store *s)
{
	static const char *const top[] = { "packed-refs.lock", "index.lock",
	    "HEAD.lock", NULL };
	struct ps_buf p = PS_BUF_INIT;
	int i;

	if (ps_repo_git_done(s) == -1)
		return;
	ps_repo_gitpath(s, &p, "refs");
	if (p.s)
		drop_locks_in(p.s);
	for (i = 0; top[i]; i++) {
		ps_repo_gitpath(s, &p, top[i]);
		if (p.s)
			unlink(p.s);
	}
	ps_buf_release(&p);
}
