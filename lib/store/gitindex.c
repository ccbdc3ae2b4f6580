/* gitindex: git's index, kept and checked; see gitindex.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2/sys/index.h>

#include "util/buf.h"
#include "store/git.h"
#include "store/gitindex.h"
#include "store/splitindex.h"

/* A file's stamp for ps-index-stamp: its inode, size and mtime. */
static const char *
stamp_of(const struct stat *st, char out[PS_INDEX_STAMP])
{
	snprintf(out, PS_INDEX_STAMP, "%ju %jd %jd.%09ld\n",
	    (uintmax_t)st->st_ino, (intmax_t)st->st_size,
	    (intmax_t)st->st_mtim.tv_sec, st->st_mtim.tv_nsec);
	return out;
}

/*
 * What .git/index was when a tool last wrote it: its inode, size and
 * modification time. Git replaces the index by renaming a new file over
 * it, so while these hold no git command has written it since, and it
 * holds no merge conflict (the tools never write one).
 */
static int
index_stamp(struct ps_store *s, struct ps_buf *out)
{
	struct ps_buf p = PS_BUF_INIT;
	struct stat st;
	char stamp[PS_INDEX_STAMP];
	int rc;

	ps_repo_gitpath(s, &p, "index");
	rc = p.s && stat(p.s, &st) == 0 ? ps_buf_puts(out,
	    stamp_of(&st, stamp)) : -1;
	ps_buf_release(&p);
	return rc;
}

/*
 * Note the index as found free of conflicts, or as just written: its
 * stamp if it is still "was" (or any, for NULL). A hint: torn or missing,
 * it is ignored.
 */
static void
index_stamp_write(struct ps_store *s, const struct ps_buf *was)
{
	struct ps_buf st = PS_BUF_INIT;

	if (index_stamp(s, &st) == 0 && (was == NULL ||
	    (was->len == st.len && memcmp(was->s, st.s, st.len) == 0)))
		ps_repo_put_cache(s, "ps-index-stamp", st.s, st.len);
	ps_buf_release(&st);
}

/*
 * Whether the index in gitdir (a path, with or without its final /) is
 * as a tool last wrote it (its stamp in ps-index-stamp). With index, the
 * index's path is left there.
 */
static int
stamp_holds(const char *gitdir, struct ps_buf *index)
{
	struct ps_buf p = PS_BUF_INIT;
	struct stat st;
	char buf[PS_INDEX_STAMP], now[PS_INDEX_STAMP];
	const char *sep = *gitdir && gitdir[strlen(gitdir) - 1] == '/' ? "" :
	    "/";
	ssize_t len = -1;
	int fd, same = 0;

	if (ps_buf_printf(&p, "%s%sps-index-stamp", gitdir, sep) == -1)
		goto done;
	if ((fd = open(p.s, O_RDONLY | O_CLOEXEC)) != -1) {
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
	}
	ps_buf_truncate(&p, 0);
	if (ps_buf_printf(&p, "%s%sindex", gitdir, sep) == -1)
		goto done;
	same = len > 0 && stat(p.s, &st) == 0 &&
	    (buf[len] = '\0', strcmp(buf, stamp_of(&st, now)) == 0);
	if (index)
		ps_buf_puts(index, p.s);
done:
	ps_buf_release(&p);
	return same;
}

/* Whether the index is as a tool last wrote it. */
static int
index_unchanged(struct ps_store *s)
{
	return stamp_holds(git_repository_path(s->repo), NULL);
}

/*
 * Does the index file at path hold an entry at a merge stage (a
 * conflict)? Read from the file itself, entry by entry (index formats 2
 * to 4): libgit2 would take each of a million entries apart to answer.
 * 1 yes, 0 no, -1 when it cannot tell (libgit2 then reads it); the
 * file's stamp (index_stamp) in stamp.
 */
static int
scan_stages(const char *path, char stamp[PS_INDEX_STAMP])
{
	const unsigned char *m = MAP_FAILED, *q, *end, *nul;
	struct stat st;
	uint32_t ver = 0, n = 0, i;
	unsigned flags;
	size_t hdr, len;
	int fd, rc = -1;

	stamp[0] = '\0';
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size >= 12 + 20) {
		stamp_of(&st, stamp);
		m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE |
		    MAP_POPULATE, fd, 0);	/* every page is read */
	}
	close(fd);
	if (m == MAP_FAILED)
		return -1;
	end = m + st.st_size - 20;
	if (memcmp(m, "DIRC", 4) == 0) {
		ver = (uint32_t)m[4] << 24 | (uint32_t)m[5] << 16 |
		    (uint32_t)m[6] << 8 | m[7];
		n = (uint32_t)m[8] << 24 | (uint32_t)m[9] << 16 |
		    (uint32_t)m[10] << 8 | m[11];
	}
	for (i = 0, q = m + 12, rc = ver >= 2 && ver <= 4 ? 0 : -1;
	    i < n && rc == 0; i++) {
		/* 62 bytes of stat data, ID and flags; then the name */
		if (end - q < 62 + 2) {
			rc = -1;
			break;
		}
		flags = (unsigned)q[60] << 8 | q[61];
		if (flags & 0x3000)
			rc = 1;
		hdr = 62 + (flags & 0x4000 && ver >= 3 ? 2 : 0);
		q += hdr;
		if (ver == 4)	/* a varint (bytes to drop), then the rest */
			while (q < end && *q++ & 0x80)
				;
		else if ((flags & 0xfff) < 0xfff) {	/* the name's length */
			len = ((hdr + (flags & 0xfff) + 8) & ~(size_t)7) - hdr;
			if ((size_t)(end - q) < len) {
				rc = -1;
				break;
			}
			q += len;
			continue;
		}
		if ((nul = memchr(q, '\0', (size_t)(end - q))) == NULL) {
			rc = -1;
			break;
		}
		if (ver == 4)
			q = nul + 1;
		else	/* padded with NULs to a multiple of 8 */
			q += ((hdr + (size_t)(nul - q) + 8) & ~(size_t)7) - hdr;
	}
	munmap((void *)m, (size_t)st.st_size);
	return rc;
}

/*
 * The index scanned as the store opens, before the lock, in the time
 * libgit2 takes to start up (ps_git_init), when a git command has written
 * it since a tool did (its stamp is not in ps-index-stamp):
 * ps_gitindex_check() takes the answer if the index is the same file then.
 */
void
ps_gitindex_prescan(struct ps_store *s, const char *gitdir)
{
	struct ps_buf p = PS_BUF_INIT;

	/* as a tool left it: not read at all */
	s->prescan = stamp_holds(gitdir, &p) || p.s == NULL ? -1 :
	    scan_stages(p.s, s->prescan_stamp);
	ps_buf_release(&p);
}

/* As scan_stages(), for the store's index now. */
static int
index_has_stages(struct ps_store *s)
{
	struct ps_buf p = PS_BUF_INIT, now = PS_BUF_INIT;
	char stamp[PS_INDEX_STAMP];
	int rc = -1;

	if (s->prescan != -1 && index_stamp(s, &now) == 0 &&
	    strcmp(now.s, s->prescan_stamp) == 0)
		rc = s->prescan;
	else if (ps_repo_gitpath(s, &p, "index"), p.s)
		rc = scan_stages(p.s, stamp);
	if (rc == 0 && ps_splitindex_stages(s) == 1)
		rc = 1;	/* in the shared part of a split index */
	ps_buf_release(&p);
	ps_buf_release(&now);
	return rc;
}

/*
 * Bring the index up to a set of changes written to the work tree: the
 * split index's differences (store/splitindex) in a large store; else
 * libgit2 reads it and writes it whole, as git would.
 */
int
ps_gitindex_apply(struct ps_store *s, struct ps_change *ch, size_t n,
    struct ps_diags *d)
{
	struct ps_buf tmp = PS_BUF_INIT, lock = PS_BUF_INIT;
	git_index *idx = NULL;
	struct stat st;
	int64_t since;
	int rc, tries, held;

	if ((rc = ps_splitindex_apply(s, ch, n, d)) != 1)
		goto done;
	ps_repo_gitpath(s, &tmp, "index");
	ps_repo_gitpath(s, &lock, "index.lock");
	if (tmp.s == NULL || lock.s == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	/* a git command's lock is waited for, and the index read after it:
	   libgit2 takes the lock only to write */
	for (tries = 0; ; tries++) {
		if (ps_repo_git_lock_gone(s, "index.lock") == -1) {
			rc = ps_splitindex_busy(d, lock.s);
			break;
		}
		since = stat(tmp.s, &st) == 0 ? (int64_t)st.st_mtime : -1;
		/* read again only if it changed on disk since ps_txn_begin()
		   read it: 100,000 entries are 10 MB to checksum and parse */
		if ((idx == NULL && git_repository_index(&idx, s->repo) < 0) ||
		    git_index_read(idx, 0) < 0) {
			rc = ps_git_error(d, "cannot read the index");
			break;
		}
		/* an erasure's: the resolve-undo entries a merge left name
		   blobs (the person's, maybe) that its prune removes */
		if (s->erasing)
			git_index_reuc_clear(idx);
		if ((rc = ps_splitindex_changes(idx, s->root, ch, n, since,
		    d)) != 0 || git_index_write(idx) == 0)
			break;
		/* failed: a git command took the lock in between (again,
		   three times at most), or another reason */
		held = access(lock.s, F_OK) == 0;
		if (!held || tries == 3) {
			rc = held ? ps_splitindex_busy(d, lock.s) :
			    ps_git_error(d, "cannot write the index");
			break;
		}
	}
	/* libgit2 gives the index mode 0644; records stay private */
	if (rc == 0)
		chmod(tmp.s, 0600);
done:
	if (rc == 0)
		index_stamp_write(s, NULL);
	git_index_free(idx);
	ps_buf_release(&tmp);
	ps_buf_release(&lock);
	return rc;
}

int
ps_gitindex_check(struct ps_store *s, struct ps_diags *d)
{
	const git_index_entry *anc, *ours, *theirs;
	git_index_conflict_iterator *it = NULL;
	git_index *idx = NULL;
	struct ps_buf was = PS_BUF_INIT, p = PS_BUF_INIT;
	int rc = 0;

	if (git_repository_state(s->repo) != GIT_REPOSITORY_STATE_NONE)
		return ps_diag_err(d, PS_STORE, "a merge, rebase or cherry-pick "
		    "is in progress in the store: finish it (resolve, git add, "
		    "git commit) or abort it, then run again");
	if (index_unchanged(s))
		return 0;
	if (index_stamp(s, &was) == -1)
		ps_buf_truncate(&was, 0);
	if (index_has_stages(s) == 0) {
		if (was.len)
			index_stamp_write(s, &was);
		ps_buf_release(&was);
		return 0;
	}
	ps_repo_gitpath(s, &p, "index");
	if (p.s == NULL || ps_splitindex_open(&idx, p.s,
	    git_repository_path(s->repo), d) != 0) {
		ps_buf_release(&was);
		ps_buf_release(&p);
		return PS_STORE;
	}
	ps_buf_release(&p);
	if (git_index_has_conflicts(idx) &&
	    git_index_conflict_iterator_new(&it, idx) == 0) {
		while (git_index_conflict_next(&anc, &ours, &theirs, it) == 0) {
			const git_index_entry *e = ours ? ours : theirs ?
			    theirs : anc;

			rc = ps_diag_add(d, PS_STORE, e->path, 0, 0, NULL,
			    "unresolved merge conflict: edit the file to keep "
			    "the right version, then git add it and git commit");
		}
	}
	git_index_conflict_iterator_free(it);
	git_index_free(idx);
	if (rc == 0 && was.len)
		index_stamp_write(s, &was);
	ps_buf_release(&was);
	return rc;
}
