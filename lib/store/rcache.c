/* rcache: what was worked out from a blob, by its id; see rcache.h. */
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/mem.h"
#include "util/signals.h"
#include "store/rcache.h"

/*
 * The file: a header (magic, tag, the number of entries n, the bytes of
 * data), the n blob ids in order, the end of each entry's bytes in the
 * data (an entry starts where the one before it ends), then the data.
 * Numbers are the machine's own: the file never leaves it.
 */
static const char magic[8] = "ps-rc01\n";
#define HEAD	(8 + PS_RCACHE_TAG + 2 * 8)

struct entry {
	git_oid		 id;
	size_t		 off, len;	/* in new */
};

struct ps_rcache {
	char		*path;		/* .git/ps-cache/NAME */
	unsigned char	 tag[PS_RCACHE_TAG];
	const unsigned char *map;	/* the old file, or NULL */
	size_t		 size;
	uint64_t	 n, datalen;
	const unsigned char *ids;
	const unsigned char *ends;	/* uint64_t, maybe not aligned */
	const unsigned char *data;
	unsigned char	*used;		/* bit per old entry */
	struct entry	*e;		/* put since */
	size_t		 ne, cap;
	struct ps_buf	 new;
};

/* Map the file if it is whole and of our tag. */
static void
map_old(struct ps_rcache *c)
{
	struct stat st;
	void *m;
	uint64_t h[2];
	int fd;

	if ((fd = open(c->path, O_RDONLY | O_CLOEXEC)) == -1)
		return;
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size < HEAD || (m = mmap(NULL, (size_t)st.st_size,
	    PROT_READ, MAP_PRIVATE, fd, 0)) == MAP_FAILED) {
		close(fd);
		return;
	}
	close(fd);
	c->map = m;
	c->size = (size_t)st.st_size;
	memcpy(h, c->map + 8 + PS_RCACHE_TAG, sizeof(h));
	if (memcmp(c->map, magic, 8) != 0 ||
	    memcmp(c->map + 8, c->tag, PS_RCACHE_TAG) != 0 ||
	    h[0] > (c->size - HEAD) / (GIT_OID_RAWSZ + 8) ||
	    h[1] != c->size - HEAD - h[0] * (GIT_OID_RAWSZ + 8) ||
	    (c->used = calloc(h[0] / 8 + 1, 1)) == NULL) {
		munmap(m, c->size);
		c->map = NULL;
		return;
	}
	c->n = h[0];
	c->datalen = h[1];
	c->ids = c->map + HEAD;
	c->ends = c->ids + c->n * GIT_OID_RAWSZ;
	c->data = c->ends + c->n * 8;
}

int
ps_rcache_open(struct ps_rcache **out, struct ps_store *s, const char *name,
    const unsigned char tag[PS_RCACHE_TAG])
{
	struct ps_rcache *c;
	struct ps_buf p = PS_BUF_INIT;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	ps_repo_gitpath(s, &p, "ps-cache/");
	if (ps_buf_puts(&p, name) == -1) {
		free(c);
		return -1;
	}
	c->path = ps_buf_detach(&p);
	memcpy(c->tag, tag, PS_RCACHE_TAG);
	map_old(c);
	*out = c;
	return 0;
}

/* The old entry of id: its index, or -1. The file's ends are checked. */
static long
find(const struct ps_rcache *c, const git_oid *id)
{
	size_t lo = 0, hi = c->n, mid;
	int k;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		k = memcmp(c->ids + mid * GIT_OID_RAWSZ, id->id, GIT_OID_RAWSZ);
		if (k == 0)
			return (long)mid;
		if (k < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static uint64_t
end_of(const struct ps_rcache *c, size_t i)
{
	uint64_t v;

	memcpy(&v, c->ends + i * 8, 8);
	return v;
}

static uint64_t
start_of(const struct ps_rcache *c, size_t i)
{
	return i ? end_of(c, i - 1) : 0;
}

const void *
ps_rcache_get(struct ps_rcache *c, const git_oid *id, size_t *len)
{
	long i = c->map ? find(c, id) : -1;

	if (i < 0 || end_of(c, (size_t)i) > c->datalen || start_of(c, (size_t)i) >
	    end_of(c, (size_t)i))
		return NULL;
	c->used[i / 8] |= 1 << (i % 8);
	*len = end_of(c, (size_t)i) - start_of(c, (size_t)i);
	return c->data + start_of(c, (size_t)i);
}

int
ps_rcache_put(struct ps_rcache *c, const git_oid *id, const void *p,
    size_t len)
{
	struct entry *e;

	if (c->ne == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 1024;

		if ((e = reallocarray(c->e, cap, sizeof(*e))) == NULL)
			return -1;
		c->e = e;
		c->cap = cap;
	}
	e = &c->e[c->ne];
	git_oid_cpy(&e->id, id);
	e->off = c->new.len;
	e->len = len;
	if (ps_buf_add(&c->new, p, len) == -1)
		return -1;
	c->ne++;
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return git_oid_cmp(&x->id, &y->id);
}

/*
 * The merge of the old entries (those kept) and the new, in id order,
 * one pass per section of the file: fn(arg, old index or -1, new entry
 * or NULL) for each entry written.
 */
typedef int (*merge_fn)(struct ps_rcache *, FILE *, long, const struct entry *,
    uint64_t *);

static int
merge(struct ps_rcache *c, int keep_all, FILE *f, merge_fn fn, uint64_t *acc)
{
	size_t i = 0, j = 0;
	int k;

	while (i < c->n || j < c->ne) {
		if (i < c->n && !keep_all && !(c->used[i / 8] & (1 << (i % 8)))) {
			i++;
			continue;
		}
		k = i == c->n ? 1 : j == c->ne ? -1 : memcmp(c->ids + i *
		    GIT_OID_RAWSZ, c->e[j].id.id, GIT_OID_RAWSZ);
		if (fn(c, f, k <= 0 ? (long)i : -1, k <= 0 ? NULL : &c->e[j],
		    acc) == -1)
			return -1;
		i += k <= 0;
		j += k >= 0;
	}
	return 0;
}

static int
put_id(struct ps_rcache *c, FILE *f, long i, const struct entry *e,
    uint64_t *acc)
{
	(*acc)++;
	return fwrite(e ? e->id.id : c->ids + i * GIT_OID_RAWSZ,
	    GIT_OID_RAWSZ, 1, f) == 1 ? 0 : -1;
}

static int
put_end(struct ps_rcache *c, FILE *f, long i, const struct entry *e,
    uint64_t *acc)
{
	*acc += e ? e->len : end_of(c, (size_t)i) - start_of(c, (size_t)i);
	return fwrite(acc, sizeof(*acc), 1, f) == 1 ? 0 : -1;
}

static int
put_data(struct ps_rcache *c, FILE *f, long i, const struct entry *e,
    uint64_t *acc)
{
	const void *p = e ? (const void *)(c->new.s + e->off) :
	    (const void *)(c->data + start_of(c, (size_t)i));
	size_t len = e ? e->len : end_of(c, (size_t)i) - start_of(c, (size_t)i);

	*acc += len;
	return len == 0 || fwrite(p, len, 1, f) == 1 ? 0 : -1;
}

/* Old entries whose ends are out of order: keep none of them. */
static int
old_sound(const struct ps_rcache *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (start_of(c, i) > end_of(c, (size_t)i) || end_of(c, (size_t)i) > c->datalen)
			return 0;
	return 1;
}

int
ps_rcache_save(struct ps_rcache *c)
{
	struct ps_buf tmp = PS_BUF_INIT, dir = PS_BUF_INIT;
	uint64_t h[2] = { 0, 0 }, acc = 0;
	FILE *f = NULL;
	sigset_t mask;
	size_t i, j;
	int fd = -1, rc = -1, keep_all;

	if (c->ne == 0)
		return 0;
	ps_signals_hold(&mask);	/* no temp file left by a Control-C */
	ps_mem_sort(c->e, c->ne, sizeof(*c->e), cmp_entry);
	for (i = j = 1; i < c->ne; i++)	/* the same blob twice: once */
		if (git_oid_cmp(&c->e[i].id, &c->e[j - 1].id) != 0)
			c->e[j++] = c->e[i];
	c->ne = j;
	if (c->map && !old_sound(c))
		c->n = 0;
	keep_all = c->n + c->ne <= PS_RCACHE_MAX;
	if (ps_buf_add(&dir, c->path, (size_t)(strrchr(c->path, '/') -
	    c->path)) == -1 || (mkdir(dir.s, 0700) == -1 && errno != EEXIST) ||
	    ps_buf_printf(&tmp, "%s.XXXXXX", c->path) == -1 ||
	    (fd = mkstemp(tmp.s)) == -1 || (f = fdopen(fd, "w")) == NULL)
		goto done;
	fd = -1;
	/* the header's counts are written again once they are known */
	if (fwrite(magic, 8, 1, f) != 1 || fwrite(c->tag, PS_RCACHE_TAG, 1,
	    f) != 1 || fwrite(h, sizeof(h), 1, f) != 1 ||
	    merge(c, keep_all, f, put_id, &h[0]) == -1 ||
	    merge(c, keep_all, f, put_end, &acc) == -1 ||
	    merge(c, keep_all, f, put_data, &h[1]) == -1 ||
	    fseek(f, 8 + PS_RCACHE_TAG, SEEK_SET) == -1 ||
	    fwrite(h, sizeof(h), 1, f) != 1 || fflush(f) == EOF ||
	    fsync(fileno(f)) == -1)
		goto done;
	if (fclose(f) == EOF) {
		f = NULL;
		goto done;
	}
	f = NULL;
	if (rename(tmp.s, c->path) == 0)
		rc = 0;
done:
	if (f)
		fclose(f);
	if (fd != -1)
		close(fd);
	if (rc && tmp.s)
		unlink(tmp.s);
	ps_signals_release(&mask);
	ps_buf_release(&tmp);
	ps_buf_release(&dir);
	return rc;
}

void
ps_rcache_free(struct ps_rcache *c)
{
	if (c == NULL)
		return;
	if (c->map)
		munmap((void *)c->map, c->size);
	free(c->used);
	free(c->e);
	ps_buf_release(&c->new);
	free(c->path);
	free(c);
}
