/*
 * Unit tests: a commit's tree built from its parent's and the changes
 * (lib/store/tree.c). Each tree is compared with the one libgit2 writes
 * from an index holding the same files (git_index_write_tree_to), which
 * knows nothing of splicing, git's order of entries or our SHA-1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store/pack.h"
#include "store/tree.h"
#include "fixture.h"

#define EMPTY_TREE	"4b825dc642cb6eb9a060e54bf8d69288fbee4904"

static int
setup(void **state)
{
	static struct fix f;

	fix_new(&f, 1);
	*state = &f;
	return 0;
}

static int
teardown(void **state)
{
	fix_free(*state);
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1);
	return 0;
}

/* A list of changes: "path" a blob of its own name (written, or only
   hashed with hashed), "*path" one of "new " and its name, "-path" a
   deletion; sorted by path. */
struct changes {
	struct ps_change	*v;
	size_t			 n;
};

static int
chcmp(const void *a, const void *b)
{
	return strcmp(((const struct ps_change *)a)->path,
	    ((const struct ps_change *)b)->path);
}

static void
changes_of(struct fix *f, struct changes *c, const char **spec, size_t n,
    int hashed)
{
	struct ps_buf text = PS_BUF_INIT;
	const char *p;
	size_t i;

	c->n = n;
	assert_non_null(c->v = calloc(n ? n : 1, sizeof(*c->v)));
	for (i = 0; i < n; i++) {
		p = strchr("-*", spec[i][0]) ? spec[i] + 1 : spec[i];
		c->v[i].del = spec[i][0] == '-';
		assert_non_null(c->v[i].path = strdup(p));
		if (c->v[i].del)
			continue;
		ps_buf_truncate(&text, 0);
		assert_int_equal(ps_buf_printf(&text, "%s%s", spec[i][0] == '*' ?
		    "new " : "", p), 0);
		if (hashed)
			assert_int_equal(git_odb_hash(&c->v[i].oid, text.s,
			    text.len, GIT_OBJECT_BLOB), 0);
		else
			assert_int_equal(git_blob_create_from_buffer(&c->v[i].oid,
			    f->s->repo, text.s, text.len), 0);
	}
	qsort(c->v, n, sizeof(*c->v), chcmp);
	ps_buf_release(&text);
}

static void
changes_free(struct changes *c)
{
	ps_worktree_free(c->v, c->n);
	c->v = NULL;
	c->n = 0;
}

/* The tree libgit2 writes for base with the changes. */
static void
oracle(struct fix *f, const git_tree *base, const struct changes *c,
    git_oid *out)
{
	git_index *idx = NULL;
	git_index_entry e;
	size_t i;

	assert_int_equal(git_index_new(&idx), 0);
	if (base)
		assert_int_equal(git_index_read_tree(idx, base), 0);
	for (i = 0; i < c->n; i++) {
		if (c->v[i].del) {
			assert_int_equal(git_index_remove(idx, c->v[i].path, 0),
			    0);
			continue;
		}
		memset(&e, 0, sizeof(e));
		e.mode = GIT_FILEMODE_BLOB;
		e.id = c->v[i].oid;
		e.path = c->v[i].path;
		assert_int_equal(git_index_add(idx, &e), 0);
	}
	assert_int_equal(git_index_write_tree_to(out, idx, f->s->repo), 0);
	git_index_free(idx);
}

/* Build base + spec with ps_tree_build() and with the oracle: the same
   tree. Its ID in out, its tree in *tree when asked. */
static void
same_tree(struct fix *f, const git_tree *base, const char **spec, size_t n,
    git_oid *out, git_tree **tree, int want_empty)
{
	struct changes c;
	struct ps_pack pb = { 0 };
	git_oid want;
	char a[GIT_OID_HEXSZ + 1], b[GIT_OID_HEXSZ + 1];
	int empty = -1;

	changes_of(f, &c, spec, n, 0);
	assert_int_equal(ps_tree_build(f->s->repo, &pb, base, c.v, c.n, 0, out,
	    &empty), 0);
	assert_int_equal(empty, want_empty);
	oracle(f, base, &c, &want);
	if (!git_oid_equal(out, &want))
		fail_msg("tree %s, git's %s", git_oid_tostr(a, sizeof(a), out),
		    git_oid_tostr(b, sizeof(b), &want));
	if (tree)
		assert_int_equal(git_tree_lookup(tree, f->s->repo, out), 0);
	changes_free(&c);
}

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* Files in folders three deep, from no tree at all. */
static void
from_nothing(void **state)
{
	static const char *spec[] = { "program.yaml",
	    "participants/P-7K3Q2X.yaml", "participants/P-4MZ8RD.yaml",
	    "contacts/2026/11/22/C-4HT8XE.yaml",
	    "contacts/2026/11/23/C-6JR5PN.yaml", "volunteers/V-8RM4TQ.yaml" };
	struct fix *f = *state;
	git_oid out;

	same_tree(f, NULL, spec, N(spec), &out, NULL, 0);
}

/*
 * A folder whose files alone change is spliced: its old entries, a
 * sub-folder among them, merged in git's order with files added,
 * replaced and deleted: names that sort before, around and after the
 * sub-folder's ("a-" < "a-b" < "a.b" < "a/" < "a0"), first and last.
 */
static void
splice_in_order(void **state)
{
	static const char *base_spec[] = { "d/a/x", "d/b", "d/m", "d/zz",
	    "top" }, *spec[] = { "d/0", "d/a-", "d/a-b", "d/a.b", "d/a0",
	    "-d/b", "*d/m", "d/zzz", "-d/zz" }, *spec2[] = { "-d/a/x",
	    "d/a.c" };
	struct fix *f = *state;
	git_tree *base = NULL, *next = NULL;
	git_oid out;

	same_tree(f, NULL, base_spec, N(base_spec), &out, &base, 0);
	same_tree(f, base, spec, N(spec), &out, &next, 0);
	git_tree_free(next);
	/* the sub-folder's last file gone, beside a file spliced in */
	same_tree(f, base, spec2, N(spec2), &out, NULL, 0);
	git_tree_free(base);
}

/* A folder whose last file goes is gone; a tree with no file left is
   empty, and is git's empty tree. */
static void
delete_to_empty(void **state)
{
	static const char *base_spec[] = { "x/only.yaml", "y/z/deep.yaml",
	    "program.yaml" }, *spec[] = { "-x/only.yaml" }, *all[] = {
	    "-program.yaml", "-x/only.yaml", "-y/z/deep.yaml" };
	struct fix *f = *state;
	git_tree *base = NULL, *t = NULL;
	git_oid out;

	same_tree(f, NULL, base_spec, N(base_spec), &out, &base, 0);
	same_tree(f, base, spec, N(spec), &out, &t, 0);
	assert_null(git_tree_entry_byname(t, "x"));
	assert_int_equal(git_tree_entrycount(t), 2);
	git_tree_free(t);
	same_tree(f, base, all, N(all), &out, NULL, 1);
	assert_string_equal(git_oid_tostr_s(&out), EMPTY_TREE);
	git_tree_free(base);
}

/* A change to what the tree holds already: the same tree. */
static void
unchanged(void **state)
{
	static const char *base_spec[] = { "p/a", "p/b", "q" };
	struct fix *f = *state;
	git_tree *base = NULL;
	git_oid first, out;

	same_tree(f, NULL, base_spec, N(base_spec), &first, &base, 0);
	same_tree(f, base, base_spec, 2, &out, NULL, 0);
	assert_true(git_oid_equal(&out, &first));
	same_tree(f, base, base_spec + 2, 1, &out, NULL, 0);
	assert_true(git_oid_equal(&out, &first));
	git_tree_free(base);
}

/*
 * A folder tree of 140 KB is written as a loose object whose zlib
 * stream stores it (header 78 01, then the first of three stored blocks:
 * not final, 65,535 bytes): git reads it, entry by entry, its text
 * hashes to its ID, and the ID is git's.
 */
static void
large_folder_stored(void **state)
{
	enum { N = 3500 };
	struct fix *f = *state;
	struct ps_buf b = PS_BUF_INIT, rel = PS_BUF_INIT;
	struct ps_pack pb = { 0 };
	struct changes c;
	const char **spec;
	char **names, hex[GIT_OID_HEXSZ + 1];
	unsigned char head[7];
	git_oid out, sub, want;
	git_tree *t = NULL;
	FILE *fp;
	int i, empty;

	/* the blobs are only hashed: git may not check they exist */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
	assert_non_null(spec = calloc(N, sizeof(*spec)));
	assert_non_null(names = calloc(N, sizeof(*names)));
	for (i = 0; i < N; i++) {
		ps_buf_truncate(&b, 0);
		assert_int_equal(ps_buf_printf(&b, "participants/P-%06d.yaml",
		    i * 7919 % 1000000), 0);
		spec[i] = names[i] = ps_buf_detach(&b);
	}
	changes_of(f, &c, spec, N, 1);
	assert_int_equal(ps_tree_build(f->s->repo, &pb, NULL, c.v, c.n, 0,
	    &out, &empty), 0);
	assert_int_equal(git_tree_lookup(&t, f->s->repo, &out), 0);
	sub = *git_tree_entry_id(git_tree_entry_byname(t, "participants"));
	git_tree_free(t);

	/* real git reads the stored object, before libgit2 writes its own */
	git_oid_tostr(hex, sizeof(hex), &sub);
	assert_int_equal(ps_buf_printf(&rel, ".git/objects/%.2s/%s", hex,
	    hex + 2), 0);
	assert_non_null(fp = fopen(fix_path(f, &b, rel.s), "rb"));
	assert_int_equal(fread(head, 1, 7, fp), 7);
	fclose(fp);
	assert_memory_equal(head, "\x78\x01\x00\xff\xff\x00\x00", 7);
	assert_int_equal(fix_git(f, &b, "ls-tree %s | wc -l", hex), 0);
	assert_int_equal(atoi(b.s), N);
	/* and its text is what its ID says */
	ps_buf_truncate(&rel, 0);
	assert_int_equal(ps_buf_printf(&rel, "%s\n", hex), 0);
	fix_git_says(f, rel.s, "cat-file tree %s | git hash-object -t tree "
	    "--stdin", hex);

	oracle(f, NULL, &c, &want);
	assert_true(git_oid_equal(&out, &want));
	changes_free(&c);
	for (i = 0; i < N; i++)
		free(names[i]);
	free(names);
	free(spec);
	ps_buf_release(&b);
	ps_buf_release(&rel);
}

/* With a pack begun, every new tree goes to it (noted), none loose. */
static void
trees_to_pack(void **state)
{
	static const char *spec[] = { "program.yaml", "a/b/c.yaml",
	    "a/d.yaml", "e/f.yaml" };
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_pack pb = { 0 };
	struct ps_buf p = PS_BUF_INIT, rel = PS_BUF_INIT;
	struct changes c;
	git_oid out, want;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int empty;

	changes_of(f, &c, spec, N(spec), 0);
	assert_int_equal(ps_pack_begin(&pb, f->s, &d), 0);
	assert_int_equal(ps_tree_build(f->s->repo, &pb, NULL, c.v, c.n, 0,
	    &out, &empty), 0);
	assert_int_equal(pb.n, 4);	/* the top, a, a/b and e */
	for (i = 0; i < pb.n; i++) {
		git_oid_tostr(hex, sizeof(hex), &pb.ids[i]);
		ps_buf_truncate(&rel, 0);
		assert_int_equal(ps_buf_printf(&rel, ".git/objects/%.2s/%s",
		    hex, hex + 2), 0);
		assert_int_equal(access(fix_path(f, &p, rel.s), F_OK), -1);
	}
	assert_true(git_oid_equal(&pb.ids[pb.n - 1], &out));
	ps_pack_release(&pb, f->s);
	oracle(f, NULL, &c, &want);
	assert_true(git_oid_equal(&out, &want));
	changes_free(&c);
	ps_buf_release(&p);
	ps_buf_release(&rel);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(from_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(splice_in_order, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(delete_to_empty, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(unchanged, setup, teardown),
		cmocka_unit_test_setup_teardown(large_folder_stored, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(trees_to_pack, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
