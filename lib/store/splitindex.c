/* splitindex: git's index kept split; see splitindex.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2/sys/repository.h>

#include "util/buf.h"
#include "util/sha1.h"
#include "store/git.h"
#include "store/ixfile.h"
#include "store/splitindex.h"

#define TOC_MAGIC	"ps-sharedindex-toc 1\n"
/* the magic, the shared part's SHA-1 and a line with 1 when it has a
   merge stage: 72 bytes, so that the offsets after them are aligned */
#define TOC_HEAD	(sizeof(TOC_MAGIC) - 1 + 40 + 11)
#define SHARED_EXPIRE	(14 * 24 * 3600)	/* git's splitIndex default */

/* The differences from the shared part, as .git/index holds them. */
struct diff {
	unsigned char	 base[20];
	struct ps_ixfile_ent	*repl;		/* by pos */
	size_t		 nrepl;
	struct ps_ixfile_ent	*add;		/* by name */
	size_t		 nadd;
	uint32_t	*del;		/* positions, in order */
	size_t		 ndel;
	struct ps_buf	 tree;		/* the TREE extension, as read */
	int		 has_tree;
};

/* ---- the part that differs */

static void
diff_release(struct diff *df)
{
	size_t i;

	for (i = 0; i < df->nadd; i++)
		free(df->add[i].name);
	free(df->repl);
	free(df->add);
	free(df->del);
	ps_buf_release(&df->tree);
	memset(df, 0, sizeof(*df));
}

/* Room in *vp for one more after its n: 16 at first, then doubled
   each time n reaches a power of two (the capacity n then has). */
static int
grow(void *vp, size_t n, size_t size)
{
	void **v = vp, *nv;

	if (n != 0 && (n < 16 || (n & (n - 1)) != 0))
		return 0;
	if ((nv = realloc(*v, (n == 0 ? 16 : 2 * n) * size)) == NULL)
		return -1;
	*v = nv;
	return 0;
}

struct reading {
	struct diff	*df;
	int		 bad;
};

static int
read_one(void *arg, const unsigned char *e, uint16_t xflags,
    const char *name, size_t len)
{
	struct reading *r = arg;
	struct diff *df = r->df;
	struct ps_ixfile_ent *x;

	if (len == 0) {
		if (df->nadd || grow(&df->repl, df->nrepl, sizeof(*x)) == -1)
			return -1;	/* replacements come first */
		x = &df->repl[df->nrepl++];
	} else {
		if (grow(&df->add, df->nadd, sizeof(*x)) == -1)
			return -1;
		x = &df->add[df->nadd];
		if ((x->name = strndup(name, len)) == NULL)
			return -1;
		df->nadd++;
	}
	memcpy(x->raw, e, 62);
	x->xflags = xflags;
	if (len == 0)
		x->name = NULL;
	return 0;
}

static int
ent_cmp(const void *a, const void *b)
{
	const struct ps_ixfile_ent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : (int)((x->raw[60] >> 4) & 3) - (int)((y->raw[60] >> 4) &
	    3);
}

/* Read a split index's differences; -1 when f is not one we can. */
static int
diff_read(struct diff *df, struct ps_ixfile *f)
{
	struct reading r = { df, 0 };
	const unsigned char *p, *end;
	uint32_t *repl = NULL;
	size_t len, nr = 0, i;
	int rc = -1;

	memset(df, 0, sizeof(*df));
	if (ps_ixfile_walk(f, read_one, &r) != 0 || ps_ixfile_strange(f) ||
	    ps_ixfile_ext(f, "link", &p, &len) != 0 || len < 20)
		goto done;
	end = p + len;
	memcpy(df->base, p, 20);
	p += 20;
	if (p < end && (ps_ixfile_ewah_read(&p, end, &df->del, &df->ndel) != 0 ||
	    ps_ixfile_ewah_read(&p, end, &repl, &nr) != 0 || p != end))
		goto done;
	if (nr != df->nrepl)
		goto done;
	for (i = 0; i < nr; i++)
		df->repl[i].pos = repl[i];
	if (ps_ixfile_ext(f, "TREE", &p, &len) == 0) {
		if (ps_buf_add(&df->tree, p, len) == -1)
			goto done;
		df->has_tree = 1;
	}
	if (df->nadd)
		qsort(df->add, df->nadd, sizeof(*df->add), ent_cmp);
	rc = 0;
done:
	free(repl);
	return rc;
}

/* ---- the shared part: where each entry is (the table of contents) */

struct shared {
	struct ps_ixfile	 f;
	const uint32_t	*off;	/* into the table, or f.off */
	unsigned char	*toc;	/* the table, mapped */
	size_t		 toclen;
	int		 stages;
	int		 fresh;	/* the table was made now */
	int64_t		 mtime;	/* when it was written, in seconds */
};

static void
shared_release(struct shared *sh)
{
	if (sh->toc)
		munmap(sh->toc, sh->toclen);
	ps_ixfile_unmap(&sh->f);
	memset(sh, 0, sizeof(*sh));
}

static void
hex(const unsigned char id[20], char out[41])
{
	int i;

	for (i = 0; i < 20; i++)
		snprintf(out + 2 * i, 3, "%02x", id[i]);
}

static int
note_stage(void *arg, const unsigned char *e, uint16_t x, const char *n,
    size_t len)
{
	(void)x, (void)n, (void)len;
	if (e[60] & 0x30)
		*(int *)arg = 1;
	return 0;
}

/* The table of .git/ps-sharedindex-toc, if it is the shared part's. */
static int
toc_load(struct shared *sh, const char *gitdir, const char *hx)
{
	struct ps_buf p = PS_BUF_INIT;
	struct stat st;
	void *m = MAP_FAILED;
	int fd;

	if (ps_buf_printf(&p, "%s/ps-sharedindex-toc", gitdir) == 0 &&
	    (fd = open(p.s, O_RDONLY | O_CLOEXEC)) != -1) {
		if (fstat(fd, &st) == 0 && (size_t)st.st_size == TOC_HEAD +
		    4 * (size_t)sh->f.n)
			m = mmap(NULL, (size_t)st.st_size, PROT_READ,
			    MAP_PRIVATE, fd, 0);
		close(fd);
	}
	ps_buf_release(&p);
	if (m == MAP_FAILED)
		return -1;
	sh->toc = m;
	sh->toclen = TOC_HEAD + 4 * (size_t)sh->f.n;
	if (memcmp(m, TOC_MAGIC, sizeof(TOC_MAGIC) - 1) != 0 ||
	    memcmp((char *)m + sizeof(TOC_MAGIC) - 1, hx, 40) != 0)
		return -1;
	sh->stages = ((char *)m)[TOC_HEAD - 10] == '1';
	sh->off = (const uint32_t *)(void *)((char *)m + TOC_HEAD);
	return 0;
}

/*
 * The shared part named by id, mapped, with where each entry is: the
 * table kept for it, or one made now by walking it (sh->fresh; the
 * caller keeps it with shared_keep()). Format 4 has no table: its names
 * cannot be read from the middle. 0, or -1.
 */
static int
shared_open(struct shared *sh, const char *gitdir, const char *beside,
    const unsigned char id[20])
{
	struct ps_buf p = PS_BUF_INIT;
	struct stat st;
	char hx[41];
	int rc = -1;

	memset(sh, 0, sizeof(*sh));
	hex(id, hx);
	if (ps_buf_printf(&p, "%s/sharedindex.%s", gitdir, hx) == -1)
		goto done;
	if (ps_ixfile_map(&sh->f, p.s) != 0) {
		ps_buf_truncate(&p, 0);
		if (beside == NULL || ps_buf_printf(&p, "%s/sharedindex.%s",
		    beside, hx) == -1 || ps_ixfile_map(&sh->f, p.s) != 0)
			goto done;
	}
	if (memcmp(sh->f.m + sh->f.size - 20, id, 20) != 0 || sh->f.ver == 4 ||
	    stat(p.s, &st) == -1)
		goto done;
	sh->mtime = (int64_t)st.st_mtime;
	if (toc_load(sh, gitdir, hx) != 0) {
		if (sh->toc)
			munmap(sh->toc, sh->toclen);
		sh->toc = NULL;
		if (ps_ixfile_walk(&sh->f, note_stage, &sh->stages) != 0)
			goto done;
		sh->off = sh->f.off;
		sh->fresh = 1;
	}
	rc = 0;
done:
	ps_buf_release(&p);
	if (rc != 0)
		shared_release(sh);
	return rc;
}

/* Keep a table made now for the next write (a cache: checked on use). */
static void
shared_keep(struct ps_store *s, const struct shared *sh)
{
	struct iovec v[2];
	char head[TOC_HEAD + 1];

	if (!sh->fresh)
		return;
	memcpy(head, TOC_MAGIC, sizeof(TOC_MAGIC) - 1);
	hex(sh->f.m + sh->f.size - 20, head + sizeof(TOC_MAGIC) - 1);
	snprintf(head + TOC_HEAD - 11, 12, "\n%c        \n", sh->stages ? '1' :
	    '0');
	v[0].iov_base = head;
	v[0].iov_len = TOC_HEAD;
	v[1].iov_base = sh->f.off;
	v[1].iov_len = 4 * (size_t)sh->f.n;
	ps_repo_put_cachev(s, "ps-sharedindex-toc", v, 2);
}

/* The name of shared entry i, and its stage. */
static const char *
shared_name(const struct shared *sh, uint32_t i, int *stage)
{
	const unsigned char *e = sh->f.m + sh->off[i];

	*stage = (e[60] >> 4) & 3;
	return (const char *)e + 62 + (e[60] & 0x40 && sh->f.ver >= 3 ? 2 : 0);
}

/* Where path is in the shared part at stage 0: its position, or -1. */
static int64_t
shared_find(const struct shared *sh, const char *path)
{
	uint32_t lo = 0, hi = sh->f.n, mid;
	int c, stage;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (sh->off[mid] < 12 || sh->off[mid] > sh->f.size - 20 - 64)
			return -2;	/* a table that does not fit */
		c = strcmp(shared_name(sh, mid, &stage), path);
		if (c == 0 && stage == 0)
			return mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

/* ---- entries */

int
ps_splitindex_entry(git_index_entry *e, const char *root,
    const struct ps_change *c, struct ps_diags *d)
{
	struct ps_buf full = PS_BUF_INIT;
	struct stat st;
	int rc = 0;

	memset(e, 0, sizeof(*e));
	e->mode = GIT_FILEMODE_BLOB;
	e->id = c->oid;
	e->path = c->path;
	if (c->hand)	/* size 0: git and libgit2 read the file */
		return 0;
	if (ps_buf_printf(&full, "%s/%s", root, c->path) == -1)
		return ps_diag_nomem(d);
	if (lstat(full.s, &st) == -1)
		rc = ps_diag_err(d, PS_STORE, "%s: %s", c->path,
		    strerror(errno));
	ps_buf_release(&full);
	if (rc)
		return rc;
	e->ctime.seconds = (int32_t)st.st_ctim.tv_sec;
	e->ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
	e->mtime.seconds = (int32_t)st.st_mtim.tv_sec;
	e->mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
	e->dev = (uint32_t)st.st_dev;
	e->ino = (uint32_t)st.st_ino;
	e->uid = st.st_uid;
	e->gid = st.st_gid;
	e->file_size = (uint32_t)st.st_size;
	return 0;
}

/* ---- racily clean entries */

/*
 * git compares a file's times with its entry's to the second (libgit2,
 * which writes the index for the tools, to the nanosecond). A file
 * changed again within the second its entry was recorded in, at the
 * same size, looks unchanged to git once an index written in a later
 * second holds that entry: git reads the file only while the index's
 * own time is no older than the entry's ("racy git"). So before the
 * tools write an index over one last written in second since, each
 * entry of that second or later whose file kept its size and second but
 * not its ID is smudged (its size made 0), as git does when it writes
 * one: git and libgit2 then read the file. Whether the entry (its
 * size, mtime and ID) at path is such a one.
 */
static int
unseen_change(const char *root, const char *path, uint32_t size,
    int64_t mtime, const unsigned char id[20], int64_t since)
{
	struct ps_buf full = PS_BUF_INIT;
	struct stat st;
	git_oid h;
	int changed = 0;

	if (size == 0 || mtime < since ||
	    ps_buf_printf(&full, "%s/%s", root, path) == -1)
		goto done;
	changed = lstat(full.s, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint32_t)st.st_size == size && (int64_t)st.st_mtime == mtime &&
	    git_odb_hashfile(&h, full.s, GIT_OBJECT_BLOB) == 0 &&
	    memcmp(h.id, id, 20) != 0;
done:
	ps_buf_release(&full);
	return changed;
}

/* Smudge the entries of a libgit2 index that hide a change from git. */
static int
smudge_index(git_index *idx, const char *root, int64_t since,
    struct ps_diags *d)
{
	const git_index_entry *x;
	git_index_entry e;
	size_t i;

	for (i = 0; since >= 0 && i < git_index_entrycount(idx); i++) {
		x = git_index_get_byindex(idx, i);
		if (GIT_INDEX_ENTRY_STAGE(x) != 0 || !unseen_change(root,
		    x->path, x->file_size, x->mtime.seconds, x->id.id, since))
			continue;
		e = *x;
		e.file_size = 0;
		if (git_index_add(idx, &e) < 0)
			return ps_git_error(d, "cannot update the index");
	}
	return 0;
}

int
ps_splitindex_changes(git_index *idx, const char *root,
    const struct ps_change *ch, size_t n, int64_t since,
    struct ps_diags *d)
{
	git_index_entry e;
	size_t i;
	int rc;

	rc = smudge_index(idx, root, since, d);
	for (i = 0; i < n && rc == 0; i++) {
		if (ch[i].del)
			git_index_remove(idx, ch[i].path, 0);
		else if ((rc = ps_splitindex_entry(&e, root, &ch[i], d)) == 0 &&
		    git_index_add(idx, &e) < 0)
			rc = ps_git_error(d, "cannot update the index");
	}
	return rc;
}

/* ---- reading it whole, for libgit2 */

int
ps_splitindex_open(git_index **out, const char *path, const char *gitdir,
    struct ps_diags *d)
{
	struct ps_ixfile f;
	struct diff df;
	struct ps_buf base = PS_BUF_INIT, beside = PS_BUF_INIT;
	git_index *idx = NULL;
	git_index_entry e;
	const git_index_entry *be;
	char **names = NULL, hx[41], *slash;
	int *stages = NULL;
	size_t i, nnames;
	int split = 0, rc = 0;

	*out = NULL;
	memset(&df, 0, sizeof(df));
	if (ps_ixfile_map(&f, path) == 0) {
		if (ps_ixfile_walk(&f, NULL, NULL) == 0) {
			const unsigned char *p;
			size_t len;

			split = ps_ixfile_ext(&f, "link", &p, &len) == 0;
		}
		ps_ixfile_unmap(&f);
	}
	if (!split)
		return git_index_open(out, path) < 0 ?
		    ps_git_error(d, "cannot read the index") : 0;
	if (ps_ixfile_map(&f, path) != 0 || diff_read(&df, &f) != 0) {
		rc = ps_diag_err(d, PS_STORE, "%s: a split index this tool "
		    "cannot read: run git update-index --no-split-index", path);
		goto done;
	}
	hex(df.base, hx);
	ps_buf_printf(&base, "%s/sharedindex.%s", gitdir, hx);
	if (access(base.s, F_OK) != 0 && ps_buf_puts(&beside, path) == 0 &&
	    (slash = strrchr(beside.s, '/')) != NULL) {
		*slash = '\0';
		ps_buf_truncate(&base, 0);
		ps_buf_printf(&base, "%s/sharedindex.%s", beside.s, hx);
	}
	if (git_index_open(&idx, base.s) < 0) {
		rc = ps_git_error(d, "cannot read the shared index");
		goto done;
	}
	/* the names of the shared entries replaced or deleted, first:
	   each change moves the positions after it */
	nnames = df.nrepl + df.ndel;
	if ((names = calloc(nnames + 1, sizeof(*names))) == NULL ||
	    (stages = calloc(nnames + 1, sizeof(*stages))) == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	for (i = 0; i < nnames; i++) {
		uint32_t pos = i < df.nrepl ? df.repl[i].pos :
		    df.del[i - df.nrepl];

		if ((be = git_index_get_byindex(idx, pos)) == NULL ||
		    (names[i] = strdup(be->path)) == NULL) {
			rc = ps_diag_err(d, PS_STORE, "%s: does not fit its "
			    "shared index", path);
			goto done;
		}
		stages[i] = GIT_INDEX_ENTRY_STAGE(be);
	}
	/* at their stages: a merge's conflict, resolved since, is deleted
	   from the shared part as its three entries */
	for (i = 0; i < df.ndel && rc == 0; i++)
		if (git_index_remove(idx, names[df.nrepl + i],
		    stages[df.nrepl + i]) < 0)
			rc = ps_git_error(d, "cannot read the index");
	for (i = 0; i < df.nrepl && rc == 0; i++) {
		ps_ixfile_ent_to(&e, &df.repl[i], names[i]);
		if (git_index_add(idx, &e) < 0)
			rc = ps_git_error(d, "cannot read the index");
	}
	for (i = 0; i < df.nadd && rc == 0; i++) {
		ps_ixfile_ent_to(&e, &df.add[i], df.add[i].name);
		if (git_index_add(idx, &e) < 0)
			rc = ps_git_error(d, "cannot read the index");
	}
done:
	if (names)
		for (i = 0; i < nnames; i++)
			free(names[i]);
	free(names);
	free(stages);
	if (rc == 0)
		*out = idx;
	else
		git_index_free(idx);
	diff_release(&df);
	ps_ixfile_unmap(&f);
	ps_buf_release(&base);
	ps_buf_release(&beside);
	return rc;
}

/* Is there a sharedindex.* in gitdir (else the index is not split)? */
static int
any_shared(const char *gitdir)
{
	struct dirent *e;
	DIR *dp;
	int found = 0;

	if ((dp = opendir(gitdir)) == NULL)
		return 1;	/* cannot tell: look in the index */
	while (!found && (e = readdir(dp)) != NULL)
		found = strncmp(e->d_name, "sharedindex.", 12) == 0;
	closedir(dp);
	return found;
}

int
ps_splitindex_stages(struct ps_store *s)
{
	struct ps_buf p = PS_BUF_INIT;
	struct ps_ixfile f;
	struct diff df;
	struct shared sh;
	size_t i;
	int rc = -1;

	memset(&sh, 0, sizeof(sh));
	if (!any_shared(git_repository_path(s->repo)))
		return -1;
	ps_repo_gitpath(s, &p, "index");
	if (p.s == NULL || ps_ixfile_map(&f, p.s) != 0) {
		ps_buf_release(&p);
		return -1;
	}
	if (diff_read(&df, &f) == 0 && shared_open(&sh,
	    git_repository_path(s->repo), NULL, df.base) == 0) {
		rc = sh.stages;
		for (i = 0; i < df.nadd; i++)
			if (df.add[i].raw[60] & 0x30)
				rc = 1;
		shared_keep(s, &sh);
	}
	shared_release(&sh);
	diff_release(&df);
	ps_ixfile_unmap(&f);
	ps_buf_release(&p);
	return rc;
}

/* ---- writing */

/*
 * Remove the shared parts no index names any more: those older than
 * two weeks, as git does (a git command may be reading one that was
 * named a moment ago), or, in an erasure, every one but keep: their
 * entries name the erased person's files.
 */
static void
shared_clean(struct ps_store *s, const unsigned char keep[20])
{
	const char *gitdir = git_repository_path(s->repo);
	struct ps_buf p = PS_BUF_INIT;
	struct dirent *e;
	struct stat st;
	char hx[41] = "";
	DIR *dp;

	if (keep)
		hex(keep, hx);
	if ((dp = opendir(gitdir)) == NULL)
		return;
	while ((e = readdir(dp)) != NULL) {
		if (strncmp(e->d_name, "sharedindex.", 12) != 0 ||
		    strcmp(e->d_name + 12, hx) == 0)
			continue;
		ps_buf_truncate(&p, 0);
		if (ps_buf_printf(&p, "%s%s", gitdir, e->d_name) == 0 &&
		    lstat(p.s, &st) == 0 && (s->erasing ||
		    st.st_mtime < time(NULL) - SHARED_EXPIRE))
			unlink(p.s);
	}
	closedir(dp);
	ps_buf_release(&p);
}

/* Past this, libgit2's whole rewrite (some 25 ms a MB read and written)
   costs more than the split index's differences: 1 MiB by default. */
static off_t
split_limit(void)
{
	const char *e = getenv("PS_INDEX_SPLIT");
	char *end;
	long long v;

	if (e == NULL || *e == '\0')
		return 1 << 20;
	v = strtoll(e, &end, 10);
	return *end == '\0' && v >= 0 ? (off_t)v : 1 << 20;
}

static int
pos_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static int
repl_cmp(const void *a, const void *b)
{
	const struct ps_ixfile_ent *x = a, *y = b;

	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Apply one change to the differences; the shared part finds it. 0, 1
   when the index should rather be written whole, -1 out of memory. */
static int
diff_change(struct diff *df, const struct shared *sh, const char *path,
    const git_index_entry *e)
{
	struct ps_ixfile_ent key, *x;
	int64_t pos;
	size_t i;

	key.name = (char *)(uintptr_t)path;
	memset(key.raw, 0, sizeof(key.raw));
	if (df->nadd && (x = bsearch(&key, df->add, df->nadd, sizeof(*x),
	    ent_cmp))) {
		if (e) {
			ps_ixfile_ent_from(x, e, strlen(path));
			return 0;
		}
		free(x->name);
		i = (size_t)(x - df->add);
		memmove(x, x + 1, (df->nadd - i - 1) * sizeof(*x));
		df->nadd--;
		return 0;
	}
	if ((pos = shared_find(sh, path)) == -2)
		return 1;
	for (i = 0; pos >= 0 && i < df->ndel; i++)
		if (df->del[i] == pos)
			pos = -1;	/* deleted from there: a new entry */
	if (pos >= 0) {
		for (i = 0; i < df->nrepl && df->repl[i].pos != pos; i++)
			;
		if (e == NULL) {
			if (i < df->nrepl) {
				memmove(&df->repl[i], &df->repl[i + 1],
				    (df->nrepl - i - 1) * sizeof(*df->repl));
				df->nrepl--;
			}
			if (grow(&df->del, df->ndel, sizeof(*df->del)) == -1)
				return -1;
			df->del[df->ndel++] = (uint32_t)pos;
			qsort(df->del, df->ndel, sizeof(*df->del), pos_cmp);
			return 0;
		}
		if (i == df->nrepl) {
			if (grow(&df->repl, df->nrepl, sizeof(*x)) == -1)
				return -1;
			df->nrepl++;
		}
		ps_ixfile_ent_from(&df->repl[i], e, 0);
		df->repl[i].name = NULL;
		df->repl[i].pos = (uint32_t)pos;
		qsort(df->repl, df->nrepl, sizeof(*x), repl_cmp);
		return 0;
	}
	if (e == NULL)
		return 0;
	if (grow(&df->add, df->nadd, sizeof(*x)) == -1)
		return -1;
	x = &df->add[df->nadd];
	ps_ixfile_ent_from(x, e, strlen(path));
	if ((x->name = strdup(path)) == NULL)
		return -1;
	df->nadd++;
	qsort(df->add, df->nadd, sizeof(*x), ent_cmp);
	return 0;
}

/* Whether the differences replace or delete shared entry pos. */
static int
diff_holds(const struct diff *df, uint32_t pos)
{
	size_t i;

	for (i = 0; i < df->nrepl; i++)
		if (df->repl[i].pos == pos)
			return 1;
	for (i = 0; i < df->ndel; i++)
		if (df->del[i] == pos)
			return 1;
	return 0;
}

/* Whether the raw entry e (on-disk fields) at path hides a change from
   git (see unseen_change). */
static int
raw_unseen(const char *root, const char *path, const unsigned char *e,
    int64_t since)
{
	return unseen_change(root, path, ps_ixfile_be32(e + 36),
	    (int32_t)ps_ixfile_be32(e + 8), e + 40, since);
}

/*
 * The differences, before a write over an index last written in second
 * since: each entry that hides a change from git smudged (see
 * unseen_change) — in the differences, and in the shared part (made a
 * replacement) when that was written in second since or later, as when
 * the index was split just now. 0, or as diff_change().
 */
static int
diff_smudge(struct diff *df, const struct shared *sh, const char *root,
    int64_t since)
{
	struct ps_ixfile_ent x;
	git_index_entry e;
	const unsigned char *raw;
	const char *name;
	uint32_t i;
	int stage, rc;

	for (i = 0; i < df->nrepl; i++)
		if (raw_unseen(root, shared_name(sh, df->repl[i].pos, &stage),
		    df->repl[i].raw, since))
			memset(df->repl[i].raw + 36, 0, 4);
	for (i = 0; i < df->nadd; i++)
		if (raw_unseen(root, df->add[i].name, df->add[i].raw, since))
			memset(df->add[i].raw + 36, 0, 4);
	for (i = 0; sh->mtime >= since && i < sh->f.n; i++) {
		raw = sh->f.m + sh->off[i];
		name = shared_name(sh, i, &stage);
		if (stage != 0 || !raw_unseen(root, name, raw, since) ||
		    diff_holds(df, i))
			continue;
		memcpy(x.raw, raw, 62);
		x.xflags = raw[60] & 0x40 && sh->f.ver >= 3 ?
		    (uint16_t)(raw[62] << 8 | raw[63]) : 0;
		memset(x.raw + 36, 0, 4);
		ps_ixfile_ent_to(&e, &x, name);
		if ((rc = diff_change(df, sh, name, &e)) != 0)
			return rc;
	}
	return 0;
}

/* The differences as an index file, whole, checksum and all. */
static int
diff_write(struct ps_buf *b, const struct diff *df, const char **paths,
    size_t n)
{
	struct ps_buf ext = PS_BUF_INIT;
	struct ps_sha1 c;
	unsigned char sum[20];
	const unsigned char *p;
	size_t i;
	int ver = 2, rc = 0;

	for (i = 0; i < df->nrepl; i++)
		ver = df->repl[i].raw[60] & 0x40 ? 3 : ver;
	for (i = 0; i < df->nadd; i++)
		ver = df->add[i].raw[60] & 0x40 ? 3 : ver;
	rc |= ps_buf_add(b, "DIRC", 4) | ps_ixfile_add32(b, (uint32_t)ver) |
	    ps_ixfile_add32(b, (uint32_t)(df->nrepl + df->nadd));
	for (i = 0; i < df->nrepl; i++)
		rc |= ps_ixfile_ent_write(b, &df->repl[i], ver);
	for (i = 0; i < df->nadd; i++)
		rc |= ps_ixfile_ent_write(b, &df->add[i], ver);
	if (df->has_tree) {
		p = (const unsigned char *)df->tree.s;
		if (ps_ixfile_tree_copy(&p, p + df->tree.len, &ext, paths, n, 1) == 0 &&
		    p == (const unsigned char *)df->tree.s + df->tree.len)
			rc |= ps_buf_add(b, "TREE", 4) | ps_ixfile_add32(b,
			    (uint32_t)ext.len) | ps_buf_add(b, ext.s, ext.len);
		ps_buf_truncate(&ext, 0);
	}
	rc |= ps_buf_add(&ext, df->base, 20);
	rc |= ps_ixfile_ewah_write(&ext, df->del, df->ndel);
	{
		uint32_t *rp = malloc((df->nrepl + 1) * sizeof(*rp));

		if (rp == NULL)
			rc = -1;
		for (i = 0; rp && i < df->nrepl; i++)
			rp[i] = df->repl[i].pos;
		if (rp)
			rc |= ps_ixfile_ewah_write(&ext, rp, df->nrepl);
		free(rp);
	}
	rc |= ps_buf_add(b, "link", 4) | ps_ixfile_add32(b, (uint32_t)ext.len) |
	    ps_buf_add(b, ext.s, ext.len);
	ps_buf_release(&ext);
	if (rc)
		return -1;
	ps_sha1_init(&c);
	ps_sha1_update(&c, b->s, b->len);
	ps_sha1_final(&c, sum);
	return ps_buf_add(b, sum, 20);
}

int
ps_splitindex_busy(struct ps_diags *d, const char *lock)
{
	return ps_diag_err(d, PS_STORE, "%s exists: the commit is made, but "
	    "the index could not be updated; if no git command is running, "
	    "remove that file and run any ps- command", lock);
}

/*
 * Take git's own lock on the index, .git/index.lock, as git does: before
 * the index is read, so that no git add made meanwhile is lost; a git
 * command's is waited for (bounded like the store's lock). Its
 * descriptor, or -1 (*rc then the status of the diagnostic added).
 */
static int
index_lock(struct ps_store *s, struct ps_buf *lock, int *rc,
    struct ps_diags *d)
{
	int fd;

	ps_repo_gitpath(s, lock, "index.lock");
	if (lock->s == NULL) {
		*rc = ps_diag_nomem(d);
		return -1;
	}
	while ((fd = open(lock->s, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1 && errno == EEXIST)
		if (ps_repo_git_lock_gone(s, "index.lock") == -1)
			break;
	if (fd == -1)
		*rc = errno == EEXIST ? ps_splitindex_busy(d, lock->s) :
		    ps_diag_err(d, PS_STORE, "%s: %s", lock->s,
		    strerror(errno));
	return fd;
}

/* Write b through the lock (fd, at lock) as .git/index. */
static int
index_put(struct ps_store *s, int fd, const char *lock, const struct ps_buf *b,
    struct ps_diags *d)
{
	struct ps_buf path = PS_BUF_INIT;
	ssize_t w;
	size_t done = 0;
	int rc = 0;

	ps_repo_gitpath(s, &path, "index");
	errno = 0;
	while (done < b->len && (w = write(fd, b->s + done, b->len - done)) > 0)
		done += (size_t)w;
	if (path.s == NULL || done < b->len || close(fd) == -1 ||
	    rename(lock, path.s) == -1) {
		rc = ps_diag_err(d, PS_STORE, "cannot write the index: %s",
		    strerror(errno ? errno : ENOSPC));
		if (done < b->len)
			close(fd);
		unlink(lock);
	}
	ps_buf_release(&path);
	return rc;
}

/*
 * The index written whole again (libgit2), the differences folded in,
 * under the lock (fd, at lock): when they grow past a fifth of the
 * shared part, as git does, or in an erasure, whose shared part names
 * the person's files. libgit2 writes a file of its own in ps-tmp,
 * renamed over the index.
 */
static int
write_whole(struct ps_store *s, int fd, const char *lock,
    struct ps_change *ch, size_t n, struct ps_diags *d)
{
	struct ps_buf path = PS_BUF_INIT, tmp = PS_BUF_INIT;
	git_index *all = NULL, *out = NULL;
	struct stat st;
	size_t i;
	int rc;

	ps_repo_gitpath(s, &path, "index");
	ps_repo_gitpath(s, &tmp, "ps-tmp");
	if (path.s == NULL || tmp.s == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if ((rc = ps_splitindex_open(&all, path.s,
	    git_repository_path(s->repo), d)) != 0 ||
	    (rc = ps_splitindex_changes(all, s->root, ch, n,
	    stat(path.s, &st) == 0 ? (int64_t)st.st_mtime : -1, d)) != 0)
		goto done;
	mkdir(tmp.s, 0700);	/* if it is not there */
	ps_buf_puts(&tmp, "/index");
	unlink(tmp.s);
	/* in order: each is added at the end */
	if (tmp.s == NULL || git_index_open(&out, tmp.s) < 0)
		rc = ps_git_error(d, "cannot write the index");
	for (i = 0; rc == 0 && i < git_index_entrycount(all); i++)
		if (git_index_add(out, git_index_get_byindex(all, i)) < 0)
			rc = ps_git_error(d, "cannot write the index");
	if (rc == 0 && git_index_write(out) < 0)
		rc = ps_git_error(d, "cannot write the index");
	else if (rc == 0 && (chmod(tmp.s, 0600) == -1 ||
	    rename(tmp.s, path.s) == -1))
		rc = ps_diag_err(d, PS_STORE, "cannot write the index: %s",
		    strerror(errno));
	if (tmp.s)
		unlink(tmp.s);
	if (rc == 0)
		shared_clean(s, NULL);
done:
	close(fd);
	unlink(lock);
	git_index_free(all);
	git_index_free(out);
	ps_buf_release(&path);
	ps_buf_release(&tmp);
	return rc;
}

int
ps_splitindex_apply(struct ps_store *s, struct ps_change *ch, size_t n,
    struct ps_diags *d)
{
	const char *gitdir = git_repository_path(s->repo);
	struct ps_buf path = PS_BUF_INIT, link_to = PS_BUF_INIT,
	    out = PS_BUF_INIT, lock = PS_BUF_INIT;
	struct ps_ixfile f;
	struct diff df;
	struct shared sh;
	struct stat st;
	git_index_entry e;
	const unsigned char *p;
	const char **paths = NULL;
	char hx[41];
	size_t i, len;
	int fd = -1, rc = 1;

	memset(&f, 0, sizeof(f));
	memset(&df, 0, sizeof(df));
	memset(&sh, 0, sizeof(sh));
	ps_repo_gitpath(s, &path, "index");
	if (path.s == NULL)
		return ps_diag_nomem(d);
	/* none yet, or small and never split: libgit2's to write */
	if (stat(path.s, &st) == -1 || (st.st_size <= split_limit() &&
	    !any_shared(gitdir)))
		goto done;
	if ((fd = index_lock(s, &lock, &rc, d)) == -1)
		goto done;
	if (ps_ixfile_map(&f, path.s) != 0 || ps_ixfile_walk(&f, NULL,
	    NULL) != 0 || ps_ixfile_strange(&f))
		goto libgit2;	/* not ours to split */
	if (ps_ixfile_ext(&f, "link", &p, &len) != 0) {
		/* one file, and a large one: it becomes the shared part,
		   its tree cache the differences' */
		if (f.size <= (size_t)split_limit() || f.ver == 4 ||
		    s->erasing)
			goto libgit2;
		memcpy(df.base, f.m + f.size - 20, 20);
		if (ps_ixfile_ext(&f, "TREE", &p, &len) == 0) {
			if (ps_buf_add(&df.tree, p, len) == -1)
				goto nomem;
			df.has_tree = 1;
		}
		hex(df.base, hx);
		if (ps_buf_printf(&link_to, "%ssharedindex.%s", gitdir,
		    hx) == -1)
			goto nomem;
		if (link(path.s, link_to.s) == -1 && errno != EEXIST) {
			rc = ps_diag_err(d, PS_STORE, "%s: %s", link_to.s,
			    strerror(errno));
			goto unlock;
		}
		shared_clean(s, df.base);
	} else if (diff_read(&df, &f) != 0) {
		goto whole;
	}
	if (s->erasing || shared_open(&sh, gitdir, NULL, df.base) != 0 ||
	    sh.stages)
		goto whole;
	if ((paths = calloc(n + 1, sizeof(*paths))) == NULL ||
	    (rc = diff_smudge(&df, &sh, s->root, (int64_t)st.st_mtime)) == -1)
		goto nomem;
	if (rc == 1)
		goto whole;
	for (i = 0, rc = 0; i < n && rc == 0; i++) {
		paths[i] = ch[i].path;
		if (!ch[i].del && (rc = ps_splitindex_entry(&e, s->root,
		    &ch[i], d)) != 0)
			goto unlock;
		if ((rc = diff_change(&df, &sh, ch[i].path, ch[i].del ? NULL :
		    &e)) == -1)
			goto nomem;
		if (rc == 1)
			goto whole;
	}
	if (df.nrepl + df.nadd + df.ndel > sh.f.n / 5)
		goto whole;
	qsort(paths, n, sizeof(*paths), path_cmp);
	if (diff_write(&out, &df, paths, n) != 0)
		goto nomem;
	if ((rc = index_put(s, fd, lock.s, &out, d)) == 0)
		shared_keep(s, &sh);
	goto done;
whole:
	rc = write_whole(s, fd, lock.s, ch, n, d);
	goto done;
libgit2:
	rc = 1;
	goto unlock;
nomem:
	rc = ps_diag_nomem(d);
unlock:
	close(fd);
	unlink(lock.s);
done:
	free(paths);
	shared_release(&sh);
	diff_release(&df);
	ps_ixfile_unmap(&f);
	ps_buf_release(&path);
	ps_buf_release(&link_to);
	ps_buf_release(&out);
	ps_buf_release(&lock);
	return rc;
}
