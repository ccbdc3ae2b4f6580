/*
 * txn: one store write, all or nothing; see store.h for the sequence.
 *
 * The journal (.git/ps-journal) is what makes a crash at any point leave
 * the store as before or as after: it is written and renamed into place
 * after the commit object exists, and synced with the objects, before the
 * branch moves. Once the branch has moved, the work tree and index are
 * brought up to it from the journal — now, or by the next command that
 * opens the store. Temp files live in .git/ps-tmp, never in the work
 * tree, so a crash cannot leave a partial record where git or a person
 * would see it. No file is fsynced one by one: at each step one syncfs()
 * puts everything written so far on disk (store_sync), so a one-record
 * commit flushes the disk four times, not twenty, and 10,000 records
 * cost no more.
 */
#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <zlib.h>
#define OPENSSL_SUPPRESS_DEPRECATED	/* SHA1_Init(): see tree_id() */
#include <openssl/sha.h>

#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/file.h"
#include "util/signals.h"
#include "model/record.h"
#include "model/yaml.h"
#include "store/pack.h"
#include "store/store.h"

/*
 * A write of this many records or more stores its objects as one pack
 * (one file, one fsync) instead of a loose object each; fewer stay loose,
 * so that everyday one-record commits do not pile up packs. (git's own
 * transfer.unpackLimit draws the line at 100 objects too.)
 */
#define PACK_MIN	100

struct change {
	char	*path;
	git_oid	 oid;
	int	 del;
	int	 isnew;
	char	*data;		/* the text staged; written at commit */
	size_t	 len;
};

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
	struct change	*ch;
	size_t		 n;
	size_t		 cap;
	size_t		*slots;		/* path hash: index + 1 into ch */
	size_t		 nslots;
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

static int
mkdirs(const char *root, const char *rel)
{
	char path[4096];
	char *p;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, rel) >=
	    sizeof(path))
		return -1;
	if ((p = strrchr(path, '/')) == NULL)
		return 0;
	*p = '\0';
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

/*
 * Flush the store's file system: every file and folder written so far
 * (syncfs). A commit's objects and journal, its branch, and its work-tree
 * files are each made durable this way at once, where a fsync of each
 * file and of each folder it was added to took some twenty flushes of
 * the disk for one record.
 */
static int
store_sync(struct ps_store *s, struct ps_diags *d)
{
	int fd, rc = 0;

	if ((fd = open(s->root, O_RDONLY | O_CLOEXEC)) == -1 ||
	    syncfs(fd) == -1)
		rc = ps_diag_err(d, PS_STORE, "cannot flush the store to disk: "
		    "%s", strerror(errno));
	if (fd != -1)
		close(fd);
	return rc;
}

/* Remove the files in gitdir/sub whose names start with prefix. */
static void
clean_dir(struct ps_store *s, const char *sub, const char *prefix)
{
	struct ps_buf dir = PS_BUF_INIT, f = PS_BUF_INIT;
	struct dirent *e;
	DIR *dp;

	ps_store_gitpath(s, &dir, sub);
	if (dir.s && (dp = opendir(dir.s)) != NULL) {
		while ((e = readdir(dp)) != NULL) {
			if (e->d_name[0] == '.' ||
			    strncmp(e->d_name, prefix, strlen(prefix)) != 0)
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
clean_tmp(struct ps_store *s)
{
	struct ps_buf p = PS_BUF_INIT;

	clean_dir(s, "ps-tmp", "");
	clean_dir(s, "objects", "tmp_object_git2_");
	clean_dir(s, "objects/pack", PS_PACK_TMP);
	clean_dir(s, "objects/pack", "pack_git2_");	/* libgit2's, before */
	/* the empty folder a ps-init killed after its last rename left */
	if (ps_buf_printf(&p, "%s/.ps-init", s->root) == 0)
		rmdir(p.s);
	ps_buf_release(&p);
}

/*
 * The git lock files an interrupted write took itself: the branch's and
 * the index's, made after its journal (and within a minute of it) while
 * it held ps.lock. Its process is gone, so they are stale; any other is
 * left for ps_txn_begin() to wait for.
 */
static void
drop_own_locks(struct ps_store *s, const char *journal, const char *ref)
{
	struct ps_buf p = PS_BUF_INIT, name = PS_BUF_INIT;
	struct stat js, st;
	int i;

	if (stat(journal, &js) == -1 ||
	    ps_buf_printf(&name, "%s.lock", ref) == -1)
		goto done;
	for (i = 0; i < 2; i++) {
		ps_store_gitpath(s, &p, i == 0 ? name.s : "index.lock");
		if (p.s && lstat(p.s, &st) == 0 && S_ISREG(st.st_mode) &&
		    st.st_mtime >= js.st_mtime - 1 &&
		    st.st_mtime <= js.st_mtime + 60)
			unlink(p.s);
	}
done:
	ps_buf_release(&p);
	ps_buf_release(&name);
}

static int
safe_path(const char *p)
{
	const char *c;

	if (*p == '\0' || *p == '/' || strlen(p) > 200)
		return 0;
	for (c = p; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		    *c == '.' || *c == '/'))
			return 0;
	return strstr(p, "..") == NULL && strstr(p, "//") == NULL &&
	    strncmp(p, ".git", 4) != 0 && strstr(p, "/.") == NULL &&
	    p[strlen(p) - 1] != '/';
}

/*
 * Put one change in the work tree: its text written to a temp file under
 * .git/ps-tmp and renamed into place, or the file removed. 0, or -1 with
 * errno set.
 */
static int
put_file(struct ps_store *s, const struct change *c)
{
	struct ps_buf tmp = PS_BUF_INIT, full = PS_BUF_INIT;
	int rc = -1, e;

	errno = ENOMEM;
	if (ps_buf_printf(&full, "%s/%s", s->root, c->path) == -1)
		goto done;
	if (c->del) {
		rc = unlink(full.s) == -1 && errno != ENOENT ? -1 : 0;
		goto done;
	}
	ps_store_gitpath(s, &tmp, "ps-tmp/rec.XXXXXX");
	if (tmp.s == NULL || ps_file_write_tmp(tmp.s, c->data, c->len, 0) == -1)
		goto done;
	if (mkdirs(s->root, c->path) == -1 || rename(tmp.s, full.s) == -1) {
		e = errno;
		unlink(tmp.s);
		errno = e;
		goto done;
	}
	rc = 0;
done:
	e = errno;
	ps_buf_release(&tmp);
	ps_buf_release(&full);
	errno = e;
	return rc;
}

/* Write the work-tree files for a set of changes. */
static int
apply_files(struct ps_store *s, struct change *ch, size_t n,
    struct ps_diags *d)
{
	struct ps_buf tmp = PS_BUF_INIT;
	git_blob *b = NULL;
	size_t i;
	int rc = 0;

	ps_store_gitpath(s, &tmp, "ps-tmp");
	if (mkdir(tmp.s, 0700) == -1 && errno != EEXIST) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", tmp.s, strerror(errno));
		goto done;
	}
	/* the text of changes not staged here (a new head, a journal) */
	for (i = 0; i < n && rc == 0; i++) {
		if (ch[i].del || ch[i].data)
			continue;
		if (git_blob_lookup(&b, s->repo, &ch[i].oid) < 0)
			rc = ps_git_error(d, ch[i].path);
		else if ((ch[i].len = (size_t)git_blob_rawsize(b),
		    ch[i].data = malloc(ch[i].len ? ch[i].len : 1)) == NULL)
			rc = ps_diag_nomem(d);
		else
			memcpy(ch[i].data, git_blob_rawcontent(b), ch[i].len);
		git_blob_free(b);
		b = NULL;
	}
	/*
	 * In turn: on two threads 10,000 new files into one folder took
	 * longer, the threads spinning on the folder's lock in the kernel.
	 */
	for (i = 0; i < n && rc == 0; i++)
		if (put_file(s, &ch[i]) == -1)
			rc = ps_diag_err(d, PS_STORE, ch[i].del ? "%s: %s" :
			    "cannot write %s: %s", ch[i].path, strerror(errno));
	if (rc == 0)
		rc = store_sync(s, d);
done:
	git_blob_free(b);
	ps_buf_release(&tmp);
	return rc;
}

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

	ps_store_gitpath(s, &p, "index");
	rc = p.s && stat(p.s, &st) == 0 ? ps_buf_puts(out,
	    stamp_of(&st, stamp)) : -1;
	ps_buf_release(&p);
	return rc;
}

int
ps_store_put_cache(struct ps_store *s, const char *name, const void *data,
    size_t len)
{
	struct iovec v = { (void *)(uintptr_t)data, len };

	return ps_store_put_cachev(s, name, &v, 1);
}

int
ps_store_put_cachev(struct ps_store *s, const char *name, struct iovec *v,
    int nv)
{
	struct ps_buf tmp = PS_BUF_INIT, p = PS_BUF_INIT;
	sigset_t mask;
	int rc = -1;

	ps_signals_hold(&mask);	/* no temp file left by a Control-C */
	ps_store_gitpath(s, &tmp, "ps-tmp");
	if (tmp.s && (mkdir(tmp.s, 0700) == 0 || errno == EEXIST)) {
		ps_store_gitpath(s, &tmp, "ps-tmp/cache.XXXXXX");
		ps_store_gitpath(s, &p, name);
		if (tmp.s && p.s && ps_file_write_tmpv(tmp.s, v, nv, 0) == 0) {
			if ((rc = rename(tmp.s, p.s)) == -1)
				unlink(tmp.s);
		}
	}
	ps_signals_release(&mask);
	ps_buf_release(&tmp);
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
		ps_store_put_cache(s, "ps-index-stamp", st.s, st.len);
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
 * check_clean_state() takes the answer if the index is the same file then.
 */
void
ps_store_prescan(struct ps_store *s, const char *gitdir)
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
	else if (ps_store_gitpath(s, &p, "index"), p.s)
		rc = scan_stages(p.s, stamp);
	ps_buf_release(&p);
	ps_buf_release(&now);
	return rc;
}

/* Bring the index up to a set of changes written to the work tree. */
static int
apply_index(struct ps_store *s, struct change *ch, size_t n,
    struct ps_diags *d)
{
	struct ps_buf tmp = PS_BUF_INIT, full = PS_BUF_INIT;
	git_index *idx = NULL;
	size_t i;
	int rc = 0;

	/* read again only if it changed on disk since ps_txn_begin() read
	   it: 100,000 entries are 10 MB to checksum and parse */
	if (git_repository_index(&idx, s->repo) < 0 ||
	    git_index_read(idx, 0) < 0) {
		rc = ps_git_error(d, "cannot read the index");
		goto done;
	}
	for (i = 0; i < n && rc == 0; i++) {
		git_index_entry e;
		struct stat st;

		if (ch[i].del) {
			git_index_remove(idx, ch[i].path, 0);
			continue;
		}
		ps_buf_truncate(&full, 0);
		ps_buf_printf(&full, "%s/%s", s->root, ch[i].path);
		if (lstat(full.s, &st) == -1) {
			rc = ps_diag_err(d, PS_STORE, "%s: %s", ch[i].path,
			    strerror(errno));
			break;
		}
		memset(&e, 0, sizeof(e));
		e.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
		e.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
		e.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
		e.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
		e.dev = (uint32_t)st.st_dev;
		e.ino = (uint32_t)st.st_ino;
		e.mode = GIT_FILEMODE_BLOB;
		e.uid = st.st_uid;
		e.gid = st.st_gid;
		e.file_size = (uint32_t)st.st_size;
		e.id = ch[i].oid;
		e.path = ch[i].path;
		if (git_index_add(idx, &e) < 0)
			rc = ps_git_error(d, "cannot update the index");
	}
	if (rc == 0 && git_index_write(idx) < 0) {
		ps_store_gitpath(s, &tmp, "index.lock");
		rc = access(tmp.s, F_OK) == 0 ? ps_diag_err(d, PS_STORE,
		    "%s exists: the commit is made, but the index could not "
		    "be updated; if no git command is running, remove that "
		    "file and run any ps- command", tmp.s) :
		    ps_git_error(d, "cannot write the index");
	}
	if (rc == 0) {
		/* libgit2 gives the index mode 0644; records stay private */
		ps_store_gitpath(s, &tmp, "index");
		chmod(tmp.s, 0600);
		index_stamp_write(s, NULL);
	}
done:
	git_index_free(idx);
	ps_buf_release(&tmp);
	ps_buf_release(&full);
	return rc;
}

/* Write the work-tree files and the index for a set of changes. */
static int
apply(struct ps_store *s, struct change *ch, size_t n, struct ps_diags *d)
{
	int rc;

	if ((rc = apply_files(s, ch, n, d)) == 0)
		rc = apply_index(s, ch, n, d);
	return rc;
}

static void
free_changes(struct change *ch, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ch[i].path);
		free(ch[i].data);
	}
	free(ch);
}

/* Read the journal into changes; returns -1 if it cannot be parsed. */
static int
read_journal(const char *path, char *ref, size_t reflen, git_oid *old,
    git_oid *new, int *unborn, struct change **out, size_t *nout)
{
	char line[512], a[64], b[300];
	struct change *ch = NULL, *v;
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
	}
	ok = got == 15 ? 0 : -1;
done:
	fclose(fp);
	if (ok == 0) {
		*out = ch;
		*nout = n;
	} else
		free_changes(ch, n);
	return ok;
}

/*
 * Finish the write a journal describes, if the branch points at its
 * commit. A journal the index child took over (ps-index-journal: the
 * work tree was written) that finds the branch moved by git since is
 * dropped: the commit was made, and the index is git's to keep now.
 */
static int
recover(struct ps_store *s, const char *name, int index_only,
    struct ps_diags *d)
{
	struct ps_buf j = PS_BUF_INIT;
	struct change *ch = NULL;
	git_oid old, new, cur;
	sigset_t mask;
	char ref[300];
	size_t n = 0;
	int unborn = 0, have, rc = 0;

	ps_store_gitpath(s, &j, name);
	if (j.s == NULL || access(j.s, F_OK) == -1)
		goto done;
	if (read_journal(j.s, ref, sizeof(ref), &old, &new, &unborn, &ch,
	    &n) == -1) {
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
		ps_signals_hold(&mask);
		rc = index_only ? apply_index(s, ch, n, d) : apply(s, ch, n, d);
		ps_signals_release(&mask);
	} else if (!index_only && !((!have && unborn) || (have && !unborn &&
	    git_oid_equal(&cur, &old))))
		rc = ps_diag_err(d, PS_STORE, "%s: the branch moved since an "
		    "interrupted write; compare the journal with git log",
		    j.s);
drop:
	if (rc == 0 && unlink(j.s) == -1)
		rc = ps_diag_err(d, PS_STORE, "%s: %s", j.s, strerror(errno));
	if (rc == 0)
		rc = store_sync(s, d);	/* the index too */
done:
	free_changes(ch, n);
	ps_buf_release(&j);
	return rc;
}

int
ps_store_recover(struct ps_store *s, struct ps_diags *d)
{
	int rc;

	if ((rc = ps_store_lock(s, d)) != 0)
		return rc;
	clean_tmp(s);
	if ((rc = recover(s, "ps-journal", 0, d)) == 0 &&
	    (rc = recover(s, "ps-index-journal", 1, d)) == 0)
		s->index_child = 0;	/* done already */
	return rc;
}

static int
check_clean_state(struct ps_store *s, struct ps_diags *d)
{
	const git_index_entry *anc, *ours, *theirs;
	git_index_conflict_iterator *it = NULL;
	git_index *idx = NULL;
	struct ps_buf was = PS_BUF_INIT;
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
	if (git_repository_index(&idx, s->repo) < 0) {
		ps_buf_release(&was);
		return ps_git_error(d, "cannot read the index");
	}
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
	if ((rc = ps_store_recover(s, d)) != 0)
		goto done;
	if ((rc = ps_store_wait_git_lock(s, "index.lock", d)) != 0 ||
	    (rc = ps_store_wait_git_lock(s, "HEAD.lock", d)) != 0 ||
	    (rc = check_clean_state(s, d)) != 0)
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
	if ((rc = ps_store_wait_git_lock(s, lk.s, d)) != 0)
		goto done;
	if (git_reference_name_to_id(&t->old, s->repo, t->ref) < 0)
		t->unborn = 1;
	else if (git_commit_lookup(&c, s->repo, &t->old) < 0 ||
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
	if (!t->store->index_child)	/* else its child holds the lock */
		ps_store_unlock(t->store);
	free_changes(t->ch, t->n);
	free(t->slots);
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

static size_t
path_hash(const char *s)
{
	size_t h = 1469598103934665603UL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211UL;
	return h;
}

/* The change staged at relpath, or NULL: a hash, not a scan of them all. */
static struct change *
staged(const struct ps_txn *t, const char *relpath)
{
	size_t i, m = t->nslots - 1;

	if (t->nslots == 0)
		return NULL;
	for (i = path_hash(relpath) & m; t->slots[i]; i = (i + 1) & m)
		if (strcmp(t->ch[t->slots[i] - 1].path, relpath) == 0)
			return &t->ch[t->slots[i] - 1];
	return NULL;
}

/* Hash every change into nslots slots. */
static int
reindex(struct ps_txn *t, size_t nslots)
{
	size_t i, j, *v;

	if ((v = calloc(nslots, sizeof(*v))) == NULL)
		return -1;
	for (j = 0; j < t->n; j++) {
		for (i = path_hash(t->ch[j].path) & (nslots - 1); v[i];
		    i = (i + 1) & (nslots - 1))
			;
		v[i] = j + 1;
	}
	free(t->slots);
	t->slots = v;
	t->nslots = nslots;
	return 0;
}

/* Note ch[t->n - 1] in the hash, growing it to keep it half empty. */
static int
slot_add(struct ps_txn *t)
{
	size_t i, m = t->nslots - 1;

	if (t->n * 2 > t->nslots)
		return reindex(t, t->nslots ? t->nslots * 2 : 64);
	for (i = path_hash(t->ch[t->n - 1].path) & m; t->slots[i];
	    i = (i + 1) & m)
		;
	t->slots[i] = t->n;
	return 0;
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
	struct stat st;
	git_oid h;
	int rc = 0;

	ps_buf_printf(&full, "%s/%s", t->store->root, rel);
	if (lstat(full.s, &st) == -1) {
		if (errno != ENOENT)
			rc = ps_diag_add(d, PS_STORE, rel, 0, 0, NULL, "%s",
			    strerror(errno));
		else if (in_head)
			rc = ps_diag_add(d, PS_STORE, rel, 0, 0, NULL,
			    "deleted but not committed: restore it with git "
			    "checkout -- %s, or commit the deletion", rel);
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
	struct change *v, *c;
	git_oid oid;
	char *copy = NULL;
	int rc = 0;

	if (!safe_path(rel))
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
		if (slot_add(t) == -1) {
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
	return strcmp(((const struct change *)a)->path,
	    ((const struct change *)b)->path);
}

/* Git's order of tree entries: by name, a folder's as if it ended in /. */
static int
entry_cmp(const char *a, size_t alen, int atree, const char *b, size_t blen,
    int btree)
{
	size_t len = alen < blen ? alen : blen;
	int c = memcmp(a, b, len);
	unsigned char ca, cb;

	if (c != 0)
		return c;
	ca = len < alen ? (unsigned char)a[len] : atree ? '/' : '\0';
	cb = len < blen ? (unsigned char)b[len] : btree ? '/' : '\0';
	return ca - cb;
}

/*
 * A large write's objects: libgit2 writes each loose object to its own
 * file, which for 10,000 records is most of the time. While the pack is
 * made, the repository's object database is one of our own, whose only
 * writable backend is in memory (a mempack) and which reads the store's
 * objects as an alternate; the objects written are noted, go to the store
 * as one pack (lib/store/pack.c), and the store's own database is put back.
 */
struct pack {
	git_odb		*orig;		/* the repository's database */
	git_odb		*mem;
	git_odb_backend	*mp;		/* mem's writable backend; NULL:
					   objects are written loose */
	git_oid		*ids;		/* the objects for the pack */
	size_t		 n, cap;
};

/* Note an object for the pack (none when objects go loose). */
static int
pack_add(struct pack *p, const git_oid *id)
{
	git_oid *v;

	if (p->mp == NULL)
		return 0;
	if ((v = ps_grow(p->ids, &p->cap, p->n + 1, sizeof(*v), 1024)) == NULL)
		return -1;
	p->ids = v;
	p->ids[p->n++] = *id;
	return 0;
}

/*
 * A tree's ID by OpenSSL's SHA-1, a quarter of what libgit2's takes (it
 * detects collision attacks, which a tree we build cannot carry: its
 * bytes are modes, names the tools chose and IDs). The low-level calls:
 * OpenSSL 3's EVP interface reads its configuration on first use, a
 * millisecond. (libcrypto is loaded already, for libgit2's libssh2.)
 */
static void
tree_id(git_oid *out, const char *hdr, size_t hlen, const struct ps_buf *b)
{
	SHA_CTX c;

	SHA1_Init(&c);
	SHA1_Update(&c, hdr, hlen);
	SHA1_Update(&c, b->s, b->len);
	SHA1_Final(out->id, &c);
}

/*
 * Write a large tree as a loose object whose zlib stream stores it
 * rather than compresses it: a folder's tree is mostly object IDs, which
 * do not compress, and deflating the 600 KB tree of 15,000 records takes
 * 8 ms of a 30 ms commit even at git's level for loose objects (libgit2
 * cannot be asked for this: its level 0 writes no zlib stream at all,
 * which git cannot read). Written as libgit2 writes a loose object: a
 * temp file in its folder, renamed (and synced with the journal). git gc
 * packs and compresses it as any other.
 */
static int
write_stored_tree(git_repository *repo, const struct ps_buf *b, git_oid *out)
{
	struct ps_buf path = PS_BUF_INIT, tmp = PS_BUF_INIT;
	unsigned char zhead[2] = { 0x78, 0x01 }, trail[4], (*bh)[5] = NULL;
	char hdr[32], hex[GIT_OID_HEXSZ + 1];
	struct iovec *v = NULL;
	git_odb *odb = NULL;
	size_t total, nb, i, done, len, from;
	uLong adler;
	int hlen, nv = 0, rc = -1;

	hlen = snprintf(hdr, sizeof(hdr), "tree %zu", b->len) + 1;
	tree_id(out, hdr, (size_t)hlen, b);
	if (git_repository_odb(&odb, repo) < 0)
		return -1;
	if (git_odb_exists(odb, out)) {
		rc = 0;
		goto done;
	}
	git_oid_tostr(hex, sizeof(hex), out);
	/*
	 * The zlib stream written as it is, with no copy of the tree: its
	 * header, stored blocks of at most 65,535 bytes (each a 5-byte
	 * header: final bit and type 00, length, its complement) pointing
	 * into the object's header and text, and the Adler-32 of it all.
	 */
	total = (size_t)hlen + b->len;
	nb = (total + 65534) / 65535;
	if ((bh = calloc(nb, sizeof(*bh))) == NULL ||
	    (v = calloc(3 * nb + 2, sizeof(*v))) == NULL)
		goto done;
	v[nv].iov_base = zhead;
	v[nv++].iov_len = 2;
	for (i = 0, done = 0; i < nb; i++, done += len) {
		len = total - done < 65535 ? total - done : 65535;
		bh[i][0] = i + 1 == nb;
		bh[i][1] = (unsigned char)(len & 0xff);
		bh[i][2] = (unsigned char)(len >> 8);
		bh[i][3] = (unsigned char)(~len & 0xff);
		bh[i][4] = (unsigned char)((~len >> 8) & 0xff);
		v[nv].iov_base = bh[i];
		v[nv++].iov_len = 5;
		if (done < (size_t)hlen) {	/* the first block */
			v[nv].iov_base = hdr;
			v[nv++].iov_len = (size_t)hlen;
		}
		from = done < (size_t)hlen ? 0 : done - (size_t)hlen;
		v[nv].iov_base = b->s + from;
		v[nv++].iov_len = done + len - (size_t)hlen - from;
	}
	adler = adler32(adler32(1L, (const Bytef *)hdr, (uInt)hlen),
	    (const Bytef *)b->s, (uInt)b->len);
	trail[0] = (unsigned char)(adler >> 24);
	trail[1] = (unsigned char)(adler >> 16);
	trail[2] = (unsigned char)(adler >> 8);
	trail[3] = (unsigned char)adler;
	v[nv].iov_base = trail;
	v[nv++].iov_len = 4;
	if (ps_buf_printf(&path, "%sobjects/%.2s",
	    git_repository_commondir(repo), hex) == -1)
		goto done;
	if (mkdir(path.s, 0700) == -1 && errno != EEXIST)
		goto done;
	/* not synced: the journal's store_sync() flushes it */
	if (ps_buf_printf(&tmp, "%s/tmp_ps_XXXXXX", path.s) == -1 ||
	    ps_file_write_tmpv(tmp.s, v, nv, 0) == -1)
		goto done;
	ps_buf_printf(&path, "/%s", hex + 2);
	if (chmod(tmp.s, 0400) == -1 || rename(tmp.s, path.s) == -1) {
		unlink(tmp.s);
		goto done;
	}
	rc = 0;
done:
	free(bh);
	free(v);
	git_odb_free(odb);
	ps_buf_release(&path);
	ps_buf_release(&tmp);
	return rc;
}

/* Append a tree entry, as git writes it, to b. */
static int
put_entry(struct ps_buf *b, unsigned mode, const char *name,
    const git_oid *oid)
{
	char m[16];
	int i = (int)sizeof(m);

	/* not printf: this is done for each of a folder's 20,000 entries */
	m[--i] = ' ';
	do
		m[--i] = (char)('0' + (mode & 7));
	while ((mode >>= 3) != 0);
	if (ps_buf_add(b, m + i, sizeof(m) - (size_t)i) == -1 ||
	    ps_buf_add(b, name, strlen(name) + 1) == -1)
		return -1;
	return ps_buf_add(b, oid->id, GIT_OID_RAWSZ);
}

/*
 * A folder's new tree when only its files change (a record folder): the
 * old tree's entries (parsed once, and kept by libgit2's cache) and the
 * changes merged in order and written out, rather than through a tree
 * builder, which copies every entry into a map and sorts them again
 * (15,000 of them in participants/ of a large store). ch are sorted by
 * path; 0 or -1.
 */
static int
splice_tree(git_repository *repo, struct pack *pb, const git_tree *base,
    struct change *ch, size_t n, size_t off, git_oid *out, int *empty)
{
	struct ps_buf b = PS_BUF_INIT;
	const git_tree_entry *e;
	git_odb *odb = NULL;
	const char *name;
	size_t i = 0, k = 0, kept = 0, nbase = base ?
	    git_tree_entrycount(base) : 0;
	int rc = -1, c;

	/* the old tree's size and some: no copy as the buffer grows */
	if (ps_buf_reserve(&b, (nbase + n) * 64) == -1)
		goto done;
	while (k < nbase || i < n) {
		e = k < nbase ? git_tree_entry_byindex(base, k) : NULL;
		name = e ? git_tree_entry_name(e) : NULL;
		c = e == NULL ? 1 : i == n ? -1 : entry_cmp(name, strlen(name),
		    git_tree_entry_type(e) == GIT_OBJECT_TREE, ch[i].path + off,
		    strlen(ch[i].path + off), 0);
		if (c < 0) {	/* kept as it is */
			if (put_entry(&b, (unsigned)git_tree_entry_filemode(e),
			    name, git_tree_entry_id(e)) == -1)
				goto done;
			k++;
			kept++;
			continue;
		}
		if (!ch[i].del) {
			if (put_entry(&b, GIT_FILEMODE_BLOB, ch[i].path + off,
			    &ch[i].oid) == -1)
				goto done;
			kept++;
		}
		if (c == 0)	/* replaced, or deleted */
			k++;
		i++;
	}
	*empty = kept == 0;
	if (b.len >= 64 << 10 && pb->mp == NULL)
		rc = write_stored_tree(repo, &b, out);
	else
		rc = git_repository_odb(&odb, repo) < 0 || git_odb_write(out,
		    odb, b.s ? b.s : "", b.len, GIT_OBJECT_TREE) < 0 ||
		    pack_add(pb, out) < 0 ? -1 : 0;
done:
	git_odb_free(odb);
	ps_buf_release(&b);
	return rc;
}

/* Build the tree for base + changes below a prefix of length off. */
static int
build_tree(git_repository *repo, struct pack *pb, const git_tree *base,
    struct change *ch, size_t n, size_t off, git_oid *out, int *empty)
{
	git_treebuilder *tb = NULL;
	size_t i = 0, j, len;
	int rc = -1;

	for (i = 0; i < n && strchr(ch[i].path + off, '/') == NULL; i++)
		;
	if (i == n)
		return splice_tree(repo, pb, base, ch, n, off, out, empty);
	i = 0;
	if (git_treebuilder_new(&tb, repo, base) < 0)
		return -1;
	while (i < n) {
		const char *name = ch[i].path + off, *slash = strchr(name, '/');
		const git_tree_entry *e;
		git_tree *sub = NULL;
		git_oid soid;
		char comp[256];
		int sempty = 0;

		if (slash == NULL) {
			if (ch[i].del)
				git_treebuilder_remove(tb, name);
			else if (git_treebuilder_insert(NULL, tb, name,
			    &ch[i].oid, GIT_FILEMODE_BLOB) < 0)
				goto done;
			i++;
			continue;
		}
		len = (size_t)(slash - name);
		if (len >= sizeof(comp))
			goto done;
		memcpy(comp, name, len);
		comp[len] = '\0';
		for (j = i; j < n && strncmp(ch[j].path + off, name, len + 1) ==
		    0; j++)
			;
		e = git_treebuilder_get(tb, comp);
		if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&sub, repo, git_tree_entry_id(e)) < 0)
			goto done;
		rc = build_tree(repo, pb, sub, ch + i, j - i, off + len + 1,
		    &soid, &sempty);
		git_tree_free(sub);
		if (rc < 0)
			goto done;
		rc = -1;
		if (sempty)
			git_treebuilder_remove(tb, comp);
		else if (git_treebuilder_insert(NULL, tb, comp, &soid,
		    GIT_FILEMODE_TREE) < 0)
			goto done;
		i = j;
	}
	*empty = git_treebuilder_entrycount(tb) == 0;
	rc = git_treebuilder_write(out, tb) < 0 ||
	    pack_add(pb, out) < 0 ? -1 : 0;
done:
	git_treebuilder_free(tb);
	return rc;
}

/* "Name <email>" into a signature; -1 if it does not look like one. */
/* A signature at ps_now() ($PS_NOW in tests and replays), local offset. */
static int
signature_at_now(git_signature **sig, const char *name, const char *email)
{
	time_t t = ps_now();
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	return git_signature_new(sig, name, email, (git_time_t)t,
	    (int)(tm.tm_gmtoff / 60)) < 0 ? -1 : 0;
}

static int
parse_author(git_signature **sig, const char *s)
{
	const char *lt = strchr(s, '<'), *gt = strrchr(s, '>');
	char name[256], email[256];
	size_t nl;

	if (lt == NULL || gt == NULL || gt < lt || gt[1] != '\0' || lt == s)
		return -1;
	nl = (size_t)(lt - s);
	while (nl > 0 && s[nl - 1] == ' ')
		nl--;
	if (nl == 0 || nl >= sizeof(name) || (size_t)(gt - lt - 1) >=
	    sizeof(email) || gt - lt - 1 == 0)
		return -1;
	memcpy(name, s, nl);
	name[nl] = '\0';
	memcpy(email, lt + 1, (size_t)(gt - lt - 1));
	email[gt - lt - 1] = '\0';
	return signature_at_now(sig, name, email);
}

/*
 * The commit's author: given (--author), else $PS_AUTHOR, else the
 * store's git identity. A dry run makes no commit: an author given is
 * still checked, but with none *sig stays NULL and that is no error.
 */
static int
author(git_signature **sig, struct ps_store *s, const char *given,
    int dry_run, struct ps_diags *d)
{
	const char *env = getenv("PS_AUTHOR");

	*sig = NULL;
	if (given || (env && *env)) {
		const char *a = given ? given : env;

		if (parse_author(sig, a) == 0)
			return 0;
		return ps_diag_err(d, PS_USAGE, "%s: not an author like "
		    "\"Name <email>\"", given ? "--author" : "PS_AUTHOR");
	}
	if (dry_run || git_signature_default(sig, s->repo) == 0)
		return 0;
	return ps_diag_err(d, PS_USAGE, "no author for the commit: use "
	    "--author \"Name <email>\", set PS_AUTHOR, or run git config "
	    "user.name and git config user.email in the store");
}

int
ps_store_author(git_signature **sig, struct ps_store *s, const char *given,
    int dry_run, struct ps_diags *d)
{
	return author(sig, s, given, dry_run, d);
}

static int
write_journal(struct ps_txn *t, struct ps_diags *d)
{
	struct ps_buf j = PS_BUF_INIT, tmp = PS_BUF_INIT, text = PS_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int rc = 0;

	ps_buf_printf(&text, "ps-journal 1\nref %s\nold %s\n", t->ref,
	    t->unborn ? "none" : git_oid_tostr(hex, sizeof(hex), &t->old));
	ps_buf_printf(&text, "new %s\n", git_oid_tostr(hex, sizeof(hex),
	    &t->new));
	for (i = 0; i < t->n; i++) {
		if (t->ch[i].del)
			ps_buf_printf(&text, "del %s\n", t->ch[i].path);
		else
			ps_buf_printf(&text, "put %s %s\n", git_oid_tostr(hex,
			    sizeof(hex), &t->ch[i].oid), t->ch[i].path);
	}
	if (ps_buf_puts(&text, "end\n") == -1) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	ps_store_gitpath(t->store, &j, "ps-journal");
	ps_store_gitpath(t->store, &tmp, "ps-tmp");
	if (j.s == NULL || tmp.s == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (mkdir(tmp.s, 0700) == -1 && errno != EEXIST) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", tmp.s, strerror(errno));
		goto done;
	}
	ps_store_gitpath(t->store, &tmp, "ps-tmp/journal.XXXXXX");
	if (tmp.s == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (ps_file_write_tmp(tmp.s, text.s, text.len, 0) == -1 ||
	    rename(tmp.s, j.s) == -1) {
		rc = ps_diag_err(d, PS_STORE, "cannot write %s: %s", j.s,
		    strerror(errno));
		unlink(tmp.s);
		goto done;
	}
	/* the commit's objects and the journal, on disk at once */
	if ((rc = store_sync(t->store, d)) != 0)
		unlink(j.s);
done:
	ps_buf_release(&j);
	ps_buf_release(&tmp);
	ps_buf_release(&text);
	return rc;
}

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

/* Drop the journal of a write that is done (under either name). */
static void
drop_journal(struct ps_store *s)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf j = PS_BUF_INIT;
	int i;

	for (i = 0; i < 2; i++) {
		ps_store_gitpath(s, &j, i ? "ps-index-journal" : "ps-journal");
		if (j.s)
			unlink(j.s);
	}
	ps_buf_release(&j);
	store_sync(s, &d);	/* and the index written before */
	ps_diags_release(&d);
}

/* Index size past which it is brought up to a commit in the background. */
static off_t
defer_limit(void)
{
	const char *e = getenv("PS_INDEX_DEFER");
	char *end;
	long long v;

	if (e == NULL || *e == '\0')
		return 8 << 20;
	v = strtoll(e, &end, 10);
	return *end == '\0' && v >= 0 ? (off_t)v : 8 << 20;
}

/*
 * Git's index lists every file of the work tree and is rewritten whole on
 * any change: about 100 bytes a file, so 100 MB and a second in a store of
 * a million contacts, fifty times what the commit costs. Past
 * $PS_INDEX_DEFER bytes (default 8 MiB, some 80,000 files) it is left to
 * a child the store forks as it closes (ps_store_index_child): the
 * command is done when the commit and the work tree are. The journal is
 * renamed ps-index-journal first: its commit is made and the work tree
 * written, so should git move the branch in the meantime (a git add that
 * takes index.lock from the child, then a commit), the child or the next
 * command drops it rather than refuse to run. 1 when it is left, 0 to do
 * it now.
 */
static int
index_later(struct ps_txn *t)
{
	struct ps_store *s = t->store;
	struct ps_buf p = PS_BUF_INIT, q = PS_BUF_INIT;
	struct stat st;
	int big;

	ps_store_gitpath(s, &p, "index");
	big = p.s && stat(p.s, &st) == 0 && st.st_size > defer_limit();
	ps_store_gitpath(s, &p, "ps-journal");
	ps_store_gitpath(s, &q, "ps-index-journal");
	/* the journal's work is the index's alone from here on */
	big = big && p.s && q.s && rename(p.s, q.s) == 0;
	ps_buf_release(&p);
	ps_buf_release(&q);
	if (big)
		s->index_child = 1;
	return big;
}

/*
 * The child that brings the index up to the last commit, forked as the
 * store closes (its repository freed), when the command's other work is
 * done: a parent that went on working after the fork would copy each
 * page it wrote. The child holds the store's lock till it is done (the
 * lock is on the open file, which it shares), so the next writer waits
 * for the index; it opens the repository again, reads the changes back
 * from ps-index-journal, and a crash of it is recovered from there like
 * any other.
 */
void
ps_store_index_child(struct ps_store *s)
{
	struct ps_diags d = PS_DIAGS_INIT;
	pid_t pid;
	int fd;

	if (!s->index_child)
		return;
	s->index_child = 0;
	fflush(NULL);
	if ((pid = fork()) > 0)
		return;
	if (pid == 0) {
		setsid();
		if ((fd = open("/dev/null", O_RDWR)) != -1) {
			dup2(fd, 0);
			dup2(fd, 1);
			dup2(fd, 2);
			if (fd > 2)
				close(fd);
		}
	}
	/* in the child, or now when there is none */
	if (git_repository_open_ext(&s->repo, s->root,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0)
		recover(s, "ps-index-journal", 1, &d);
	git_repository_free(s->repo);
	s->repo = NULL;
	ps_diags_release(&d);
	if (pid == 0)
		_exit(0);
}

static int
pack_begin(struct pack *p, struct ps_store *s, struct ps_diags *d)
{
	struct ps_buf dir = PS_BUF_INIT;
	git_odb_backend *mp = NULL;

	ps_store_gitpath(s, &dir, "objects");
	if (dir.s == NULL)
		return ps_diag_nomem(d);
	if (git_repository_odb(&p->orig, s->repo) < 0 ||
	    git_odb_new(&p->mem) < 0 || git_mempack_new(&mp) < 0)
		goto fail;
	if (git_odb_add_backend(p->mem, mp, 1) < 0) {
		mp->free(mp);
		goto fail;
	}
	p->mp = mp;	/* p->mem owns it */
	if (git_odb_add_disk_alternate(p->mem, dir.s) < 0 ||
	    git_repository_set_odb(s->repo, p->mem) < 0)
		goto fail;
	ps_buf_release(&dir);
	return 0;
fail:
	ps_buf_release(&dir);
	return ps_git_error(d, "cannot make a pack");
}

static int
pack_write(struct pack *p, struct ps_store *s, struct ps_diags *d)
{
	struct ps_buf dir = PS_BUF_INIT;
	int rc = 0;

	ps_store_gitpath(s, &dir, "objects/pack");
	if (dir.s == NULL)
		return ps_diag_nomem(d);
	if (ps_pack_write(dir.s, p->mp, p->ids, p->n) == -1)
		rc = errno == ENOMEM ? ps_diag_nomem(d) : ps_diag_err(d,
		    PS_STORE, "cannot write a pack to %s: %s", dir.s,
		    strerror(errno));
	ps_buf_release(&dir);
	return rc;
}

static void
pack_release(struct pack *p, struct ps_store *s)
{
	if (p->orig)
		git_repository_set_odb(s->repo, p->orig);
	free(p->ids);
	git_odb_free(p->mem);
	git_odb_free(p->orig);
}

/*
 * The staged blobs, loose, or straight into the pack's memory backend:
 * through the object database each new object would first be looked
 * for everywhere, the pack folder read again for each.
 */
static int
write_blobs(struct ps_txn *t, struct pack *p, struct ps_diags *d)
{
	struct change *c;
	git_oid oid;
	size_t i;

	for (i = 0; i < t->n; i++) {
		c = &t->ch[i];
		if (c->del || c->data == NULL)
			continue;
		if ((p->mp ? p->mp->write(p->mp, &c->oid, c->data, c->len,
		    GIT_OBJECT_BLOB) : git_blob_create_from_buffer(&oid,
		    t->store->repo, c->data, c->len)) < 0 ||
		    pack_add(p, &c->oid) < 0)
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
	struct pack p = { NULL, NULL, NULL, NULL, 0, 0 };
	git_signature *sig = NULL;
	git_commit *parent = NULL;
	git_tree *tree = NULL;
	git_oid toid;
	int empty = 0, rc;

	if ((rc = author(&sig, s, ci->author, ci->dry_run, d)) != 0 ||
	    ci->dry_run ||
	    t->n == 0)
		goto done;
	hold(t);
	ps_qsort(t->ch, t->n, sizeof(*t->ch), chcmp);
	if (reindex(t, t->nslots) == -1) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if ((t->n >= PACK_MIN && (rc = pack_begin(&p, s, d)) != 0) ||
	    (rc = write_blobs(t, &p, d)) != 0)
		goto done;
	if (build_tree(s->repo, &p, t->tree, t->ch, t->n, 0, &toid,
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
	if (git_commit_create(&t->new, s->repo, NULL, sig, sig, NULL, msg.s,
	    tree, parent ? 1 : 0, (const git_commit **)&parent) < 0) {
		rc = ps_git_error(d, "cannot create the commit");
		goto done;
	}
	if (p.mp && (pack_add(&p, &t->new) < 0 ? (rc = ps_diag_nomem(d)) :
	    (rc = pack_write(&p, s, d))) != 0)
		goto done;
	pack_release(&p, s);
	memset(&p, 0, sizeof(p));
	rc = move_branch(t, ci->subject, d);
done:
	pack_release(&p, s);
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
 * brought up to it (the index maybe by a child: index_later()), then the
 * journal dropped.
 */
static int
move_branch(struct ps_txn *t, const char *logmsg, struct ps_diags *d)
{
	struct ps_store *s = t->store;
	struct ps_diags late = PS_DIAGS_INIT;
	git_reference *ref = NULL;
	size_t i;
	int rc, err;

	if ((rc = write_journal(t, d)) != 0)
		goto done;
	/* the commit point: move the branch only if it has not moved */
	if (t->unborn)
		err = git_reference_create(&ref, s->repo, t->ref, &t->new, 0,
		    logmsg);
	else
		err = git_reference_create_matching(&ref, s->repo, t->ref,
		    &t->new, 1, &t->old, logmsg);
	if (err < 0) {
		rc = err == GIT_EMODIFIED || err == GIT_EEXISTS ?
		    ps_diag_err(d, PS_STORE, "the store changed since this "
		    "command read it (a commit was made outside the tools); "
		    "nothing was written: run the command again") :
		    ps_git_error(d, "cannot move the branch");
		if (moved_anyway(t, d) == 0)
			drop_journal(s);
		goto done;
	}
	/* the branch on disk before the work tree shows the commit */
	if ((rc = store_sync(s, d)) != 0) {
		if (moved_anyway(t, d) == 0)
			drop_journal(s);
		goto done;
	}
	t->committed = 1;
	ps_git_after_commit(1);
	if ((err = apply_files(s, t->ch, t->n, &late)) == 0 && index_later(t))
		goto done;
	if (err != 0 || apply_index(s, t->ch, t->n, &late) != 0) {
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
	drop_journal(s);
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
	struct change *v;

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
	return slot_add(t);
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

		if (!safe_path(f->path) || (!del &&
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
		    ps_kind_dir(kind), id) == -1)
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
