/*
 * Unit tests: a write's new objects as one git pack (lib/store/pack.c),
 * judged by git verify-pack and git fsck, and read back by libgit2
 * from a repository opened afresh.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "store/pack.h"
#include "fixture.h"

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
	return 0;
}

/* The files in .git/objects/pack: how many, the last .idx's path in idx,
   and how many are temp files. */
static int
pack_files(const struct fix *f, struct ps_buf *idx, int *tmp)
{
	struct ps_buf p = PS_BUF_INIT;
	struct dirent *e;
	DIR *dp;
	size_t len;
	int n = 0;

	*tmp = 0;
	assert_non_null(dp = opendir(fix_path(f, &p, ".git/objects/pack")));
	while ((e = readdir(dp)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		*tmp += strncmp(e->d_name, PS_PACK_TMP,
		    strlen(PS_PACK_TMP)) == 0;
		len = strlen(e->d_name);
		if (idx && len > 4 && strcmp(e->d_name + len - 4, ".idx") == 0) {
			ps_buf_truncate(idx, 0);
			assert_int_equal(ps_buf_printf(idx, "%s/%s", p.s,
			    e->d_name), 0);
		}
	}
	closedir(dp);
	ps_buf_release(&p);
	return n;
}

/* Whether id is a loose object. */
static int
loose(const struct fix *f, const git_oid *id)
{
	struct ps_buf p = PS_BUF_INIT, rel = PS_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	int there;

	git_oid_tostr(hex, sizeof(hex), id);
	assert_int_equal(ps_buf_printf(&rel, ".git/objects/%.2s/%s", hex,
	    hex + 2), 0);
	there = access(fix_path(f, &p, rel.s), F_OK) == 0;
	ps_buf_release(&p);
	ps_buf_release(&rel);
	return there;
}

/* Text of n bytes, the same for the same seed. */
static char *
text_of(size_t n, unsigned seed)
{
	char *t = malloc(n + 1);
	size_t i;

	assert_non_null(t);
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		t[i] = (char)('a' + (seed >> 16) % 26);
		if (i % 61 == 60)
			t[i] = '\n';
	}
	t[n] = '\0';
	return t;
}

/*
 * Blobs of sizes that take one to three bytes of header, a tree and a
 * commit, written while the pack is begun, noted (one twice, and one
 * the store has already): one .pack and .idx (read-only, no temp file
 * left, no object loose) that git verifies object by object, and that
 * libgit2 reads back, each object as written.
 */
static void
pack_written_whole(void **state)
{
	static const size_t sizes[] = { 0, 15, 16, 127, 2047, 2048, 100000 };
	enum { NB = sizeof(sizes) / sizeof(sizes[0]) };
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_pack p = { 0 };
	struct ps_buf idx = PS_BUF_INIT, out = PS_BUF_INIT, want = PS_BUF_INIT;
	git_treebuilder *tb = NULL;
	git_signature *sig = NULL;
	git_tree *tree = NULL, *head = NULL;
	git_odb *odb = NULL;
	git_odb_object *o = NULL;
	git_oid ids[NB + 2], old;
	char *texts[NB], name[16];
	struct stat st;
	size_t i;
	int tmp;

	assert_int_equal(pack_files(f, NULL, &tmp), 0);
	assert_int_equal(ps_store_head_tree(f->s, &head), 0);
	old = *git_tree_entry_id(git_tree_entry_byname(head, "program.yaml"));
	assert_int_equal(ps_pack_begin(&p, f->s, &d), 0);
	assert_non_null(p.mp);
	assert_int_equal(git_treebuilder_new(&tb, f->s->repo, NULL), 0);
	for (i = 0; i < NB; i++) {
		texts[i] = text_of(sizes[i], (unsigned)i);
		assert_int_equal(git_blob_create_from_buffer(&ids[i],
		    f->s->repo, texts[i], sizes[i]), 0);
		assert_int_equal(ps_pack_add(&p, &ids[i]), 0);
		snprintf(name, sizeof(name), "f%zu", i);
		assert_int_equal(git_treebuilder_insert(NULL, tb, name, &ids[i],
		    GIT_FILEMODE_BLOB), 0);
	}
	assert_int_equal(git_treebuilder_write(&ids[NB], tb), 0);
	assert_int_equal(git_tree_lookup(&tree, f->s->repo, &ids[NB]), 0);
	assert_int_equal(git_signature_new(&sig, "A", "a@b", FIX_NOW_T, -300),
	    0);
	assert_int_equal(git_commit_create(&ids[NB + 1], f->s->repo, NULL, sig,
	    sig, NULL, "packed\n", tree, 0, NULL), 0);
	assert_int_equal(ps_pack_add(&p, &ids[NB]), 0);
	assert_int_equal(ps_pack_add(&p, &ids[NB + 1]), 0);
	assert_int_equal(ps_pack_add(&p, &ids[0]), 0);	/* twice */
	assert_int_equal(ps_pack_add(&p, &old), 0);	/* in the store */
	assert_int_equal(p.n, NB + 4);
	/* nothing on disk yet */
	assert_int_equal(pack_files(f, NULL, &tmp), 0);
	assert_false(loose(f, &ids[1]));

	assert_int_equal(ps_pack_write(&p, f->s, &d), 0);
	ps_pack_release(&p, f->s);
	assert_int_equal(d.n, 0);

	assert_int_equal(pack_files(f, &idx, &tmp), 2);
	assert_int_equal(tmp, 0);
	assert_int_equal(stat(idx.s, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0400);
	for (i = 0; i < NB + 2; i++)
		assert_false(loose(f, &ids[i]));
	assert_int_equal(fix_git(f, &out, "verify-pack -v '%s'", idx.s), 0);
	assert_int_equal(ps_buf_printf(&want, "non delta: %d objects\n",
	    NB + 2), 0);
	if (strstr(out.s, want.s) == NULL)
		fail_msg("git verify-pack -v said:\n%s", out.s);
	assert_int_equal(fix_git(f, &out, "fsck --strict --no-dangling"), 0);

	/* read back from a repository opened afresh */
	fix_reopen(f);
	assert_int_equal(git_repository_odb(&odb, f->s->repo), 0);
	for (i = 0; i < NB + 2; i++) {
		assert_int_equal(git_odb_read(&o, odb, &ids[i]), 0);
		assert_int_equal(git_odb_object_type(o), i < NB ?
		    GIT_OBJECT_BLOB : i == NB ? GIT_OBJECT_TREE :
		    GIT_OBJECT_COMMIT);
		if (i < NB) {
			assert_int_equal(git_odb_object_size(o), sizes[i]);
			assert_memory_equal(git_odb_object_data(o), texts[i],
			    sizes[i]);
		}
		git_odb_object_free(o);
	}
	git_odb_free(odb);
	for (i = 0; i < NB; i++)
		free(texts[i]);
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(head);
	git_treebuilder_free(tb);
	ps_buf_release(&idx);
	ps_buf_release(&out);
	ps_buf_release(&want);
}

/* Enough objects to fill much of the index's fan-out: each found by
   git and by libgit2. */
static void
many_objects(void **state)
{
	enum { N = 600 };
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_pack p = { 0 };
	struct ps_buf idx = PS_BUF_INIT, out = PS_BUF_INIT;
	git_odb *odb = NULL;
	git_oid ids[N];
	char text[32];
	int i, tmp;

	assert_int_equal(ps_pack_begin(&p, f->s, &d), 0);
	for (i = 0; i < N; i++) {
		snprintf(text, sizeof(text), "record %d\n", i);
		assert_int_equal(git_blob_create_from_buffer(&ids[i],
		    f->s->repo, text, strlen(text)), 0);
		assert_int_equal(ps_pack_add(&p, &ids[i]), 0);
	}
	assert_int_equal(ps_pack_write(&p, f->s, &d), 0);
	ps_pack_release(&p, f->s);
	assert_int_equal(pack_files(f, &idx, &tmp), 2);
	assert_int_equal(fix_git(f, &out, "verify-pack '%s'", idx.s), 0);
	fix_reopen(f);
	assert_int_equal(git_repository_odb(&odb, f->s->repo), 0);
	for (i = 0; i < N; i++)
		if (!git_odb_exists(odb, &ids[i]))
			fail_msg("object %d not found", i);
	git_odb_free(odb);
	ps_buf_release(&idx);
	ps_buf_release(&out);
}

/* Only objects the store has: no pack at all. */
static void
nothing_new(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_pack p = { 0 };
	git_tree *head = NULL;
	git_oid id;
	int tmp;

	assert_int_equal(ps_store_head_tree(f->s, &head), 0);
	assert_int_equal(ps_pack_begin(&p, f->s, &d), 0);
	/* read through the store's database while the pack is made, and
	   not written again */
	assert_int_equal(git_blob_create_from_buffer(&id, f->s->repo,
	    fix_program, strlen(fix_program)), 0);
	assert_true(git_oid_equal(&id, git_tree_entry_id(
	    git_tree_entry_byname(head, "program.yaml"))));
	assert_int_equal(ps_pack_add(&p, &id), 0);
	assert_int_equal(ps_pack_add(&p, git_tree_id(head)), 0);
	assert_int_equal(ps_pack_write(&p, f->s, &d), 0);
	ps_pack_release(&p, f->s);
	assert_int_equal(d.n, 0);
	assert_int_equal(pack_files(f, NULL, &tmp), 0);
	git_tree_free(head);
}

/* Released before it is written: the objects are gone, and the store's
   own database is back (a blob then goes loose). */
static void
release_drops(void **state)
{
	struct fix *f = *state;
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_pack p = { 0 };
	git_odb *odb = NULL;
	git_oid a, b;
	int tmp;

	assert_int_equal(ps_pack_begin(&p, f->s, &d), 0);
	assert_int_equal(git_blob_create_from_buffer(&a, f->s->repo, "a\n", 2),
	    0);
	assert_int_equal(ps_pack_add(&p, &a), 0);
	ps_pack_release(&p, f->s);
	assert_int_equal(git_repository_odb(&odb, f->s->repo), 0);
	assert_false(git_odb_exists(odb, &a));
	git_odb_free(odb);
	assert_false(loose(f, &a));
	assert_int_equal(git_blob_create_from_buffer(&b, f->s->repo, "b\n", 2),
	    0);
	assert_true(loose(f, &b));
	assert_int_equal(pack_files(f, NULL, &tmp), 0);
}

/* No pack begun: objects go loose and nothing is noted. */
static void
not_begun(void **state)
{
	struct fix *f = *state;
	struct ps_pack p = { 0 };
	git_oid a;

	assert_int_equal(git_blob_create_from_buffer(&a, f->s->repo, "a\n", 2),
	    0);
	assert_int_equal(ps_pack_add(&p, &a), 0);
	assert_int_equal(p.n, 0);
	assert_null(p.ids);
	assert_true(loose(f, &a));
	ps_pack_release(&p, f->s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(pack_written_whole, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(many_objects, setup, teardown),
		cmocka_unit_test_setup_teardown(nothing_new, setup, teardown),
		cmocka_unit_test_setup_teardown(release_drops, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(not_begun, setup, teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
