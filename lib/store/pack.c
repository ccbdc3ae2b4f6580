/* pack: a git pack of new objects, written directly; see pack.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#define OPENSSL_SUPPRESS_DEPRECATED	/* SHA1_Init(): see tree.c tree_id() */
#include <openssl/sha.h>

#include <git2/sys/mempack.h>
#include <git2/sys/repository.h>

#include "util/buf.h"
#include "util/file.h"
#include "util/mem.h"
#include "store/git.h"
#include "store/pack.h"
#include "store/repo.h"

struct obj {
	git_oid		 id;
	uint64_t	 off;		/* in the pack */
	uint32_t	 crc;		/* of its bytes in the pack */
};

static int
oidcmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

static int
put32(struct ps_buf *b, uint32_t v)
{
	unsigned char c[4] = { (unsigned char)(v >> 24),
	    (unsigned char)(v >> 16), (unsigned char)(v >> 8),
	    (unsigned char)v };

	return ps_buf_add(b, c, 4);
}

/* One object's entry: its type and size, then its text deflated. */
static int
put_object(struct ps_buf *pk, z_stream *zs, git_object_t type,
    const void *data, size_t len, uint32_t *crc)
{
	unsigned char hdr[16];
	size_t n = 0, size = len, at = pk->len, room;
	unsigned c = ((unsigned)type << 4) | (size & 15);

	for (size >>= 4; size; size >>= 7) {
		hdr[n++] = (unsigned char)(c | 0x80);
		c = size & 0x7f;
	}
	hdr[n++] = (unsigned char)c;
	room = deflateBound(zs, (uLong)len);
	if (ps_buf_add(pk, hdr, n) == -1 || ps_buf_reserve(pk, room) == -1 ||
	    deflateReset(zs) != Z_OK)
		return -1;
	zs->next_in = (Bytef *)(uintptr_t)data;
	zs->avail_in = (uInt)len;
	zs->next_out = (Bytef *)pk->s + pk->len;
	zs->avail_out = (uInt)room;
	if (deflate(zs, Z_FINISH) != Z_STREAM_END) {
		errno = EIO;
		return -1;
	}
	pk->len += zs->total_out;
	*crc = (uint32_t)crc32(0, (const Bytef *)pk->s + at,
	    (uInt)(pk->len - at));
	return 0;
}

/* The index: fan-out, IDs, CRCs, offsets, and the two checksums. */
static int
make_idx(struct ps_buf *ix, const struct obj *o, size_t n,
    const unsigned char sum[20])
{
	static const unsigned char head[8] = { 0xff, 't', 'O', 'c', 0, 0, 0,
	    2 };
	unsigned char isum[20];
	size_t i, j = 0, large = 0;
	int rc = ps_buf_add(ix, head, 8);

	for (i = 0; i < 256 && rc == 0; i++) {
		while (j < n && o[j].id.id[0] <= i)
			j++;
		rc = put32(ix, (uint32_t)j);
	}
	for (i = 0; i < n && rc == 0; i++)
		rc = ps_buf_add(ix, o[i].id.id, GIT_OID_RAWSZ);
	for (i = 0; i < n && rc == 0; i++)
		rc = put32(ix, o[i].crc);
	for (i = 0; i < n && rc == 0; i++)
		rc = put32(ix, o[i].off < 0x80000000u ? (uint32_t)o[i].off :
		    0x80000000u | (uint32_t)large++);
	for (i = 0; i < n && rc == 0; i++)
		if (o[i].off >= 0x80000000u)
			rc = put32(ix, (uint32_t)(o[i].off >> 32)) ||
			    put32(ix, (uint32_t)o[i].off) ? -1 : 0;
	if (rc == 0 && ps_buf_add(ix, sum, 20) == 0) {
		SHA1((const unsigned char *)ix->s, ix->len, isum);
		return ps_buf_add(ix, isum, 20);
	}
	return -1;
}

/* Write data to dir/name through a temp file there; 0 or -1 (errno). */
static int
put_file(const char *dir, const char *name, const struct ps_buf *b)
{
	struct ps_buf tmp = PS_BUF_INIT, path = PS_BUF_INIT;
	int rc = -1, e;

	if (ps_buf_printf(&tmp, "%s/%sXXXXXX", dir, PS_PACK_TMP) == -1 ||
	    ps_buf_printf(&path, "%s/%s", dir, name) == -1)
		errno = ENOMEM;
	else if (ps_file_write_tmp(tmp.s, b->s, b->len, 0) == 0) {
		if (chmod(tmp.s, 0400) == 0 && rename(tmp.s, path.s) == 0)
			rc = 0;
		else {
			e = errno;
			unlink(tmp.s);
			errno = e;
		}
	}
	ps_buf_release(&tmp);
	ps_buf_release(&path);
	return rc;
}

/*
 * The objects named in ids (sorted and made unique in place), taken from
 * the backend from, as dir/pack-<checksum>.pack and .idx.
 */
static int
write_pack(const char *dir, git_odb_backend *from, git_oid *ids, size_t n)
{
	struct ps_buf pk = PS_BUF_INIT, ix = PS_BUF_INIT;
	struct obj *o = NULL;
	unsigned char sum[20];
	char hex[GIT_OID_HEXSZ + 1], name[64];
	git_object_t type;
	z_stream zs;
	size_t i, k = 0, len;
	void *data;
	int rc = -1, zok = 0, e;

	memset(&zs, 0, sizeof(zs));
	ps_mem_sort(ids, n, sizeof(*ids), oidcmp);
	if ((o = calloc(n ? n : 1, sizeof(*o))) == NULL ||
	    deflateInit(&zs, 1) != Z_OK ||
	    ps_buf_add(&pk, "PACK\0\0\0\2\0\0\0\0", 12) == -1) {
		errno = ENOMEM;
		goto done;
	}
	zok = 1;
	for (i = 0; i < n; i++) {
		if (k > 0 && git_oid_equal(&ids[i], &o[k - 1].id))
			continue;
		if ((e = from->read(&data, &len, &type, from, &ids[i])) ==
		    GIT_ENOTFOUND)
			continue;	/* in the store already */
		if (e < 0) {
			errno = EIO;
			goto done;
		}
		o[k].id = ids[i];
		o[k].off = pk.len;
		e = put_object(&pk, &zs, type, data, len, &o[k].crc);
		free(data);
		if (e == -1)
			goto done;
		k++;
	}
	if (k == 0) {	/* nothing new */
		rc = 0;
		goto done;
	}
	pk.s[8] = (char)(k >> 24);
	pk.s[9] = (char)(k >> 16);
	pk.s[10] = (char)(k >> 8);
	pk.s[11] = (char)k;
	SHA1((const unsigned char *)pk.s, pk.len, sum);
	if (ps_buf_add(&pk, sum, 20) == -1 || make_idx(&ix, o, k, sum) == -1) {
		errno = ENOMEM;
		goto done;
	}
	for (i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", sum[i]);
	/* the pack before its index: git and libgit2 find packs by it */
	snprintf(name, sizeof(name), "pack-%s.pack", hex);
	if (put_file(dir, name, &pk) == -1)
		goto done;
	snprintf(name, sizeof(name), "pack-%s.idx", hex);
	if ((rc = put_file(dir, name, &ix)) == -1) {
		struct ps_buf p = PS_BUF_INIT;

		e = errno;
		if (ps_buf_printf(&p, "%s/pack-%s.pack", dir, hex) == 0)
			unlink(p.s);
		ps_buf_release(&p);
		errno = e;
	}
done:
	e = errno;
	if (zok)
		deflateEnd(&zs);
	free(o);
	ps_buf_release(&pk);
	ps_buf_release(&ix);
	errno = e;
	return rc;
}

/* Note an object for the pack (none when objects go loose). */
int
ps_pack_add(struct ps_pack *p, const git_oid *id)
{
	git_oid *v;

	if (p->mp == NULL)
		return 0;
	if ((v = ps_mem_grow(p->ids, &p->cap, p->n + 1, sizeof(*v), 1024)) == NULL)
		return -1;
	p->ids = v;
	p->ids[p->n++] = *id;
	return 0;
}

int
ps_pack_begin(struct ps_pack *p, struct ps_store *s, struct ps_diags *d)
{
	struct ps_buf dir = PS_BUF_INIT;
	git_odb_backend *mp = NULL;

	ps_repo_gitpath(s, &dir, "objects");
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

int
ps_pack_write(struct ps_pack *p, struct ps_store *s, struct ps_diags *d)
{
	struct ps_buf dir = PS_BUF_INIT;
	int rc = 0;

	ps_repo_gitpath(s, &dir, "objects/pack");
	if (dir.s == NULL)
		return ps_diag_nomem(d);
	if (write_pack(dir.s, p->mp, p->ids, p->n) == -1)
		rc = errno == ENOMEM ? ps_diag_nomem(d) : ps_diag_err(d,
		    PS_STORE, "cannot write a pack to %s: %s", dir.s,
		    strerror(errno));
	ps_buf_release(&dir);
	return rc;
}

void
ps_pack_release(struct ps_pack *p, struct ps_store *s)
{
	if (p->orig)
		git_repository_set_odb(s->repo, p->orig);
	free(p->ids);
	git_odb_free(p->mem);
	git_odb_free(p->orig);
}
