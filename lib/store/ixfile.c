/* ixfile: git's index file format; see ixfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "store/ixfile.h"

uint32_t
ps_ixfile_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

static void
put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

int
ps_ixfile_add32(struct ps_buf *b, uint32_t v)
{
	unsigned char p[4];

	put32(p, v);
	return ps_buf_add(b, p, 4);
}

void
ps_ixfile_unmap(struct ps_ixfile *f)
{
	if (f->m != NULL && f->m != MAP_FAILED)
		munmap((void *)f->m, f->size);
	free(f->off);
	memset(f, 0, sizeof(*f));
}

/* Map the index file at path and check its header. 0, or -1. */
int
ps_ixfile_map(struct ps_ixfile *f, const char *path)
{
	struct stat st;
	int fd;

	memset(f, 0, sizeof(*f));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	if (fstat(fd, &st) == 0 && st.st_size >= 12 + 20) {
		f->size = (size_t)st.st_size;
		f->m = mmap(NULL, f->size, PROT_READ, MAP_PRIVATE, fd, 0);
	}
	close(fd);
	if (f->m == NULL || f->m == MAP_FAILED) {
		f->m = NULL;
		return -1;
	}
	f->ver = ps_ixfile_be32(f->m + 4);
	f->n = ps_ixfile_be32(f->m + 8);
	if (memcmp(f->m, "DIRC", 4) != 0 || f->ver < 2 || f->ver > 4) {
		ps_ixfile_unmap(f);
		return -1;
	}
	return 0;
}

/* git's varint (index format 4's bytes to drop), or -1. */
static int64_t
varint(const unsigned char **p, const unsigned char *end)
{
	uint64_t v;
	unsigned char c;

	if (*p >= end)
		return -1;
	c = *(*p)++;
	v = c & 127;
	while (c & 128) {
		if (*p >= end || ++v >= (uint64_t)1 << 55)
			return -1;
		c = *(*p)++;
		v = (v << 7) + (c & 127);
	}
	return (int64_t)v;
}

/*
 * Walk the entries: note each one's offset in f->off (formats 2 and 3),
 * and, with fn, give it with its whole name (format 4's names taken
 * apart). Sets f->ext. 0, -1 when the file is not well formed, or what
 * fn returned when not 0.
 */
int
ps_ixfile_walk(struct ps_ixfile *f, int (*fn)(void *, const unsigned char *,
    uint16_t, const char *, size_t), void *arg)
{
	const unsigned char *q = f->m + 12, *end = f->m + f->size - 20, *nul;
	struct ps_buf name = PS_BUF_INIT;
	unsigned flags;
	size_t hdr, len;
	uint32_t i;
	int64_t drop;
	int rc = 0;

	free(f->off);	/* walked before */
	f->off = NULL;
	if (f->ver != 4 && (f->off = malloc((f->n ? f->n : 1) *
	    sizeof(*f->off))) == NULL)
		return -1;
	for (i = 0; i < f->n && rc == 0; i++) {
		if (end - q < 62 + 2)
			goto bad;
		flags = (unsigned)q[60] << 8 | q[61];
		hdr = 62 + (flags & 0x4000 && f->ver >= 3 ? 2 : 0);
		if (f->off)
			f->off[i] = (uint32_t)(q - f->m);
		if (f->ver == 4) {
			const unsigned char *p = q + hdr;

			if ((drop = varint(&p, end)) < 0 ||
			    (size_t)drop > name.len ||
			    (nul = memchr(p, '\0', (size_t)(end - p))) == NULL)
				goto bad;
			ps_buf_truncate(&name, name.len - (size_t)drop);
			if (ps_buf_add(&name, p, (size_t)(nul - p)) == -1)
				goto bad;
			if (fn)
				rc = fn(arg, q, hdr > 62 ? (uint16_t)(q[62] << 8 |
				    q[63]) : 0, name.s ? name.s : "", name.len);
			q = nul + 1;
			continue;
		}
		if ((flags & 0xfff) < 0xfff)
			len = flags & 0xfff;
		else if ((nul = memchr(q + hdr, '\0', (size_t)(end - q) -
		    hdr)) == NULL)
			goto bad;
		else
			len = (size_t)(nul - (q + hdr));
		if ((size_t)(end - q) < ((hdr + len + 8) & ~(size_t)7))
			goto bad;
		if (fn)
			rc = fn(arg, q, hdr > 62 ? (uint16_t)(q[62] << 8 | q[63]) :
			    0, (const char *)q + hdr, len);
		q += (hdr + len + 8) & ~(size_t)7;
	}
	f->ext = (size_t)(q - f->m);
	ps_buf_release(&name);
	return rc;
bad:
	ps_buf_release(&name);
	return -1;
}

/* The extension sig of f, its data and length; 0 when there, else -1. */
int
ps_ixfile_ext(const struct ps_ixfile *f, const char *sig, const unsigned char **data,
    size_t *len)
{
	size_t at = f->ext, n;

	while (at + 8 <= f->size - 20) {
		n = ps_ixfile_be32(f->m + at + 4);
		if (n > f->size - 20 - at - 8)
			return -1;
		if (memcmp(f->m + at, sig, 4) == 0) {
			*data = f->m + at + 8;
			*len = n;
			return 0;
		}
		at += 8 + n;
	}
	return -1;
}

/* Does f carry an extension git requires understood (lower case), but
   for the split index's own? Such a file is left to libgit2. */
int
ps_ixfile_strange(const struct ps_ixfile *f)
{
	size_t at = f->ext;

	while (at + 8 <= f->size - 20) {
		if (f->m[at] >= 'a' && f->m[at] <= 'z' &&
		    memcmp(f->m + at, "link", 4) != 0)
			return 1;
		at += 8 + (size_t)ps_ixfile_be32(f->m + at + 4);
	}
	return 0;
}

/* ---- EWAH bitmaps (git's ewah/), as the link extension holds them */

/* Read one bitmap at *p into the ascending positions *v; -1 if bad. */
int
ps_ixfile_ewah_read(const unsigned char **p, const unsigned char *end, uint32_t **v,
    size_t *n)
{
	uint32_t words, w, k, lit, i;
	uint64_t rlw, word, run, pos = 0;
	size_t cap = 0;
	uint32_t *nv;

	*v = NULL;
	*n = 0;
	if (end - *p < 8)
		return -1;
	words = ps_ixfile_be32(*p + 4);
	*p += 8;
	if ((uint64_t)(end - *p) < (uint64_t)words * 8 + 4)
		return -1;
	for (w = 0; w < words; ) {
		rlw = (uint64_t)ps_ixfile_be32(*p + 8 * w) << 32 | ps_ixfile_be32(*p + 8 * w + 4);
		run = (rlw >> 1) & 0xffffffffu;
		lit = (uint32_t)(rlw >> 33);
		w++;
		for (k = 0; k < (rlw & 1 ? run * 64 : 0); k++, pos++) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 64;
				if ((nv = realloc(*v, cap * sizeof(**v))) == NULL)
					return -1;
				*v = nv;
			}
			(*v)[(*n)++] = (uint32_t)pos;
		}
		if (!(rlw & 1))
			pos += run * 64;
		for (k = 0; k < lit; k++, w++) {
			if (w >= words)
				return -1;
			word = (uint64_t)ps_ixfile_be32(*p + 8 * w) << 32 |
			    ps_ixfile_be32(*p + 8 * w + 4);
			for (i = 0; i < 64; i++, pos++) {
				if (!(word >> i & 1))
					continue;
				if (*n == cap) {
					cap = cap ? cap * 2 : 64;
					if ((nv = realloc(*v, cap *
					    sizeof(**v))) == NULL)
						return -1;
					*v = nv;
				}
				(*v)[(*n)++] = (uint32_t)pos;
			}
		}
	}
	*p += (size_t)words * 8 + 4;
	return 0;
}

static int
add64(struct ps_buf *b, uint64_t v)
{
	return ps_ixfile_add32(b, (uint32_t)(v >> 32)) | ps_ixfile_add32(b, (uint32_t)v);
}

/* Write ascending positions as a bitmap: each word holding a set bit is
   a literal after a marker word that skips the empty ones before it. */
int
ps_ixfile_ewah_write(struct ps_buf *b, const uint32_t *v, size_t n)
{
	size_t i, words = 0, at, last = 0;
	uint64_t word, next = 0;	/* the first word not yet covered */
	int rc = 0;

	at = b->len;
	rc |= ps_ixfile_add32(b, n ? v[n - 1] + 1 : 0);
	rc |= ps_ixfile_add32(b, 0);	/* the count, below */
	if (n == 0) {
		rc |= add64(b, 0);
		words = 1;
	}
	for (i = 0; i < n; ) {
		uint64_t w = v[i] / 64;

		for (word = 0; i < n && v[i] / 64 == w; i++)
			word |= (uint64_t)1 << (v[i] % 64);
		last = words;
		rc |= add64(b, (w - next) << 1 | (uint64_t)1 << 33);
		rc |= add64(b, word);
		words += 2;
		next = w + 1;
	}
	rc |= ps_ixfile_add32(b, (uint32_t)last);
	if (rc == 0)
		put32((unsigned char *)b->s + at + 4, (uint32_t)words);
	return rc ? -1 : 0;
}


/* ---- the tree cache: the trees a change runs through made unknown */

/*
 * Copy one node of TREE (at *p) and those under it to out, the node
 * made unknown (count -1, no ID) where a changed path runs through it:
 * the n paths in ch relative to this node, from depth on.
 */
int
ps_ixfile_tree_copy(const unsigned char **p, const unsigned char *end,
    struct ps_buf *out, const char **paths, size_t n, int root)
{
	const unsigned char *name = *p, *q;
	long entries, subtrees, k;
	char *e1, *e2, line[64];
	const char **sub = NULL;
	size_t i, m, nl;
	int rc = -1;

	if ((q = memchr(*p, '\0', (size_t)(end - *p))) == NULL)
		return -1;
	nl = (size_t)(q - name);
	q++;
	if (end - q > (long)sizeof(line) - 1)
		memcpy(line, q, sizeof(line) - 1), line[sizeof(line) - 1] = '\0';
	else
		memcpy(line, q, (size_t)(end - q)), line[end - q] = '\0';
	entries = strtol(line, &e1, 10);
	if (e1 == line || *e1 != ' ')
		return -1;
	subtrees = strtol(e1 + 1, &e2, 10);
	if (e2 == e1 + 1 || *e2 != '\n' || subtrees < 0)
		return -1;
	q += e2 + 1 - line;
	/* the paths under this node: those that start with its name */
	if ((sub = calloc(n + 1, sizeof(*sub))) == NULL)
		return -1;
	for (i = 0, m = 0; i < n; i++) {
		if (root)
			sub[m++] = paths[i];
		else if (strncmp(paths[i], (const char *)name, nl) == 0 &&
		    paths[i][nl] == '/')
			sub[m++] = paths[i] + nl + 1;
	}
	if (ps_buf_add(out, name, nl + 1) == -1 ||
	    ps_buf_printf(out, "%ld %ld\n", m ? -1 : entries, subtrees) == -1)
		goto done;
	if (entries >= 0) {
		if (end - q < 20)
			goto done;
		if (!m && ps_buf_add(out, q, 20) == -1)
			goto done;
		q += 20;
	}
	*p = q;
	for (k = 0; k < subtrees; k++)
		if (ps_ixfile_tree_copy(p, end, out, sub, m, 0) != 0)
			goto done;
	rc = 0;
done:
	free(sub);
	return rc;
}


/* e as the index file holds it (the name's length in the flags). */
void
ps_ixfile_ent_from(struct ps_ixfile_ent *x, const git_index_entry *e, size_t namelen)
{
	uint32_t v[10];
	int i;

	v[0] = (uint32_t)e->ctime.seconds, v[1] = e->ctime.nanoseconds;
	v[2] = (uint32_t)e->mtime.seconds, v[3] = e->mtime.nanoseconds;
	v[4] = e->dev, v[5] = e->ino, v[6] = e->mode, v[7] = e->uid;
	v[8] = e->gid, v[9] = e->file_size;
	for (i = 0; i < 10; i++)
		put32(x->raw + 4 * i, v[i]);
	memcpy(x->raw + 40, e->id.id, 20);
	x->raw[60] = (unsigned char)((namelen < 0xfff ? namelen : 0xfff) >> 8);
	x->raw[61] = (unsigned char)(namelen < 0xfff ? namelen : 0xfff);
	x->xflags = 0;
}

/* x into libgit2's form, at path. */
void
ps_ixfile_ent_to(git_index_entry *e, const struct ps_ixfile_ent *x, const char *path)
{
	memset(e, 0, sizeof(*e));
	e->ctime.seconds = (int32_t)ps_ixfile_be32(x->raw);
	e->ctime.nanoseconds = ps_ixfile_be32(x->raw + 4);
	e->mtime.seconds = (int32_t)ps_ixfile_be32(x->raw + 8);
	e->mtime.nanoseconds = ps_ixfile_be32(x->raw + 12);
	e->dev = ps_ixfile_be32(x->raw + 16);
	e->ino = ps_ixfile_be32(x->raw + 20);
	e->mode = ps_ixfile_be32(x->raw + 24);
	e->uid = ps_ixfile_be32(x->raw + 28);
	e->gid = ps_ixfile_be32(x->raw + 32);
	e->file_size = ps_ixfile_be32(x->raw + 36);
	memcpy(e->id.id, x->raw + 40, 20);
	e->flags = (uint16_t)((x->raw[60] << 8 | x->raw[61]) & 0xf000);
	e->flags_extended = x->xflags;
	e->path = path;
}

/* Write one entry (format 2, or 3 with its extra flags). */
int
ps_ixfile_ent_write(struct ps_buf *b, const struct ps_ixfile_ent *x, int ver)
{
	static const char zero[8];
	size_t nl = x->name ? strlen(x->name) : 0, hdr;
	unsigned char raw[64];

	memcpy(raw, x->raw, 62);
	raw[60] = (unsigned char)((raw[60] & 0xf0) | (nl < 0xfff ? nl : 0xfff)
	    >> 8);
	raw[61] = (unsigned char)(nl < 0xfff ? nl : 0xfff);
	if (ver < 3)
		raw[60] &= (unsigned char)~0x40;
	hdr = raw[60] & 0x40 ? 64 : 62;
	raw[62] = (unsigned char)(x->xflags >> 8);
	raw[63] = (unsigned char)x->xflags;
	return ps_buf_add(b, raw, hdr) | ps_buf_add(b, x->name ? x->name : "",
	    nl) | ps_buf_add(b, zero, ((hdr + nl + 8) & ~(size_t)7) - hdr - nl);
}
