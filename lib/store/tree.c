/* tree: a commit's tree from its parent's and the changes; see tree.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <zlib.h>
#define OPENSSL_SUPPRESS_DEPRECATED	/* SHA1_Init(): see tree_id() */
#include <openssl/sha.h>

#include <git2/sys/odb_backend.h>

#include "util/buf.h"
#include "util/file.h"
#include "store/git.h"
#include "store/tree.h"

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
	/* not synced: the journal's ps_repo_sync() flushes it */
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
splice_tree(git_repository *repo, struct ps_pack *pb, const git_tree *base,
    struct ps_change *ch, size_t n, size_t off, git_oid *out, int *empty)
{
	struct ps_buf b = PS_BUF_INIT;
	const git_tree_entry *e;
	const char *name;
	size_t i = 0, k = 0, kept = 0, nbase = base ?
	    git_tree_entrycount(base) : 0;
	int rc = -1, c, tries;

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
	if (b.len >= 64 << 10 && pb->mp == NULL) {
		/* again if a git gc beside removed the empty folder */
		for (tries = 0; (rc = write_stored_tree(repo, &b, out)) != 0 &&
		    tries < 5; tries++)
			;
	} else
		rc = ps_git_odb_write(repo, out, b.s ? b.s : "", b.len,
		    GIT_OBJECT_TREE) < 0 || ps_pack_add(pb, out) < 0 ? -1 : 0;
done:
	ps_buf_release(&b);
	return rc;
}

/* Build the tree for base + changes below a prefix of length off. */
int
ps_tree_build(git_repository *repo, struct ps_pack *pb, const git_tree *base,
    struct ps_change *ch, size_t n, size_t off, git_oid *out, int *empty)
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
		rc = ps_tree_build(repo, pb, sub, ch + i, j - i, off + len + 1,
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
	    ps_pack_add(pb, out) < 0 ? -1 : 0;
done:
	git_treebuilder_free(tb);
	return rc;
}
