/*
 * Unit tests: a store's whole history written again (lib/store/rewrite.c)
 * on a history real git made:
 *
 *	C1  program.yaml			(fixture.h)	<- refs/heads/other
 *	C2  keep/a.txt, drop/x.txt, drop/y.txt		<- refs/tags/t1 (annotated)
 *	C3  keep/b.txt "please CHANGE-ME"		<- refs/tags/light
 *	C4  only/z.txt "GONE-ME"			<- the branch
 *
 * rewritten without drop/x.txt, the blob function changing what says
 * CHANGE-ME and dropping what says GONE-ME. C1 keeps its ID; C2 to C4
 * are written again with their messages and authors; only/, left empty,
 * goes; the annotated tag is made again with its message. Nothing reaches
 * the disk before the pack, and no ref moves before ps_rewrite_move_refs(),
 * which leaves the branch to its caller. The refs a rewrite cannot take
 * stop the list, each with its reason.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "store/rewrite.h"
#include "fixture.h"

#define GIT	"git -c user.name=G -c user.email=g@example.org "

struct t {
	struct fix		f;
	struct ps_diags		d;
	struct ps_rewrite	rw;
	size_t			blobs;	/* calls of the blob function */
	size_t			trees;	/* calls of the walk's */
	int			x_seen;	/* drop/x.txt given to it */
};

static int
setup(void **state)
{
	struct t *t;

	assert_non_null(t = calloc(1, sizeof(*t)));
	fix_new(&t->f, 1);
	free(fix_sh(&t->f, "git branch other && "
	    "mkdir keep drop && echo alpha >keep/a.txt && "
	    "echo secret-x >drop/x.txt && echo why >drop/y.txt && "
	    "git add -A && " GIT "commit -q -m C2 && "
	    GIT "tag -a t1 -m 't1 message' && "
	    "echo 'please CHANGE-ME' >keep/b.txt && git add -A && "
	    GIT "commit -q -m C3 && git tag light && "
	    "mkdir only && echo GONE-ME >only/z.txt && git add -A && "
	    GIT "commit -q -m C4"));
	fix_reopen(&t->f);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;

	ps_rewrite_release(&t->rw);
	fix_diags_done(&t->d);
	fix_free(&t->f);
	free(t);
	return 0;
}

/* The walk's function: count the trees. */
static int
count_tree(void *arg, const git_tree *tree)
{
	struct t *t = arg;

	assert_non_null(tree);
	t->trees++;
	return 0;
}

/* The blob function: CHANGE-ME written again, GONE-ME dropped. */
static int
blob(void *arg, const git_oid *oid, const char *path, git_oid *out,
    int *state)
{
	struct t *t = arg;
	git_blob *b = NULL;
	const char *text;

	t->blobs++;
	t->x_seen |= strcmp(path, "drop/x.txt") == 0;
	assert_true(git_oid_equal(out, oid));
	assert_int_equal(*state, PS_REWRITE_KEPT);
	assert_int_equal(git_blob_lookup(&b, t->rw.repo, oid), 0);
	text = git_blob_rawcontent(b);
	if (strstr(text, "CHANGE-ME")) {
		assert_int_equal(git_blob_create_from_buffer(out, t->rw.repo,
		    "CHANGED\n", 8), 0);
		*state = PS_REWRITE_CHANGED;
	} else if (strstr(text, "GONE-ME"))
		*state = PS_REWRITE_DROPPED;
	git_blob_free(b);
	return 0;
}

/* The ref of that name in rw->refs. */
static struct ps_rewrite_ref *
ref(struct t *t, const char *name)
{
	size_t i;

	for (i = 0; i < t->rw.nrefs; i++)
		if (strcmp(t->rw.refs[i].name, name) == 0)
			return &t->rw.refs[i];
	fail_msg("no ref %s", name);
	return NULL;
}

static char *
hex(const git_oid *o)
{
	static char s[GIT_OID_HEXSZ + 1];

	return git_oid_tostr(s, sizeof(s), o);
}

/* Open, list, walk and rewrite. */
static void
rewrite(struct t *t)
{
	assert_int_equal(ps_rewrite_open(&t->rw, t->f.s, &t->d), 0);
	assert_int_equal(ps_rewrite_refs(&t->rw, "refs/heads/master"), 0);
	assert_int_equal(t->rw.refused, 0);
	assert_int_equal(ps_rewrite_walk(&t->rw, count_tree, t), 0);
	assert_int_equal(ps_rewrite_run(&t->rw, "drop", "x.txt", blob, t), 0);
}

static void
test_rewrite(void **state)
{
	struct t *t = *state;
	struct ps_rewrite_ref *master, *other, *t1, *light;
	char *before, *out;
	git_oid c1;

	before = fix_sh(&t->f, "git for-each-ref; git rev-parse HEAD~3");
	assert_int_equal(git_oid_fromstrn(&c1, before + strlen(before) - 41,
	    GIT_OID_HEXSZ), 0);
	rewrite(t);
	/* the refs, peeled; the commits, parents first */
	assert_int_equal(t->rw.nrefs, 4);
	master = ref(t, "refs/heads/master");
	other = ref(t, "refs/heads/other");
	t1 = ref(t, "refs/tags/t1");
	light = ref(t, "refs/tags/light");
	assert_true(master->head);
	assert_false(other->head || t1->head || light->head);
	assert_true(t1->tag);
	assert_false(git_oid_equal(&t1->old, &t1->commit));
	assert_false(light->tag);
	assert_int_equal(t->rw.ncommits, 4);
	assert_int_equal(t->trees, 4);
	assert_true(git_oid_equal(&t->rw.order[0], &c1));
	assert_true(git_oid_equal(&t->rw.order[3], &master->old));
	/* once a blob, the dropped file never; C1 kept, three written */
	assert_int_equal(t->blobs, 5);
	assert_false(t->x_seen);
	assert_int_equal(t->rw.rewritten, 3);
	assert_true(git_oid_equal(&other->new, &other->old));
	assert_false(git_oid_equal(&master->new, &master->old));
	assert_false(git_oid_equal(&t1->new, &t1->old));
	assert_false(git_oid_equal(&light->new, &light->old));
	/* nothing on disk yet, no ref moved */
	assert_int_not_equal(fix_git(&t->f, NULL, "cat-file -e %s",
	    hex(&master->new)), 0);
	out = fix_sh(&t->f, "git for-each-ref; git rev-parse HEAD~3");
	assert_string_equal(out, before);
	free(out);
	free(before);
}

static void
test_pack_and_move(void **state)
{
	struct t *t = *state;
	struct ps_buf name = PS_BUF_INIT, cmd = PS_BUF_INIT;
	struct ps_rewrite_ref *master;
	char *out;
	size_t n = 0;

	rewrite(t);
	master = ref(t, "refs/heads/master");
	assert_int_equal(ps_rewrite_pack(&t->rw, NULL, &name, &n), 0);
	assert_int_equal(strncmp(name.s, "pack-", 5), 0);
	assert_int_equal(ps_buf_printf(&cmd, "git verify-pack -v "
	    ".git/objects/pack/%s.idx | grep -c ' commit '", name.s), 0);
	out = fix_sh(&t->f, cmd.s);
	assert_string_equal(out, "4\n");	/* C1 and the three new */
	free(out);
	assert_true(n > 4);
	fix_git_says(&t->f, "", "cat-file -e %s", hex(&master->new));
	assert_int_equal(ps_rewrite_move_refs(&t->rw, "test: rewrite"), 0);
	assert_null(t->rw.moved);
	/* every ref moved but the branch, and other, which did not change */
	fix_git_says(&t->f, "C4\nC3\nC2\nps-init: create store\n",
	    "log --format=%%s %s", hex(&master->new));
	fix_git_says(&t->f, "drop/y.txt\nkeep/a.txt\nkeep/b.txt\n"
	    "program.yaml\n", "ls-tree -r --name-only %s",
	    hex(&master->new));
	fix_git_says(&t->f, "drop/y.txt\nkeep/a.txt\nprogram.yaml\n",
	    "ls-tree -r --name-only t1");
	fix_git_says(&t->f, "CHANGED\n", "show light:keep/b.txt");
	fix_git_says(&t->f, "G <g@example.org> t1 message\n\n",
	    "tag -l --format='%%(taggername) %%(taggeremail) %%(contents)' "
	    "t1");
	fix_git_says(&t->f, "G <g@example.org> G C2\n",
	    "log -1 --format='%%an <%%ae> %%cn %%s' t1");
	fix_git_says(&t->f, "C4\n", "log -1 --format=%%s master");
	fix_git_says(&t->f, "please CHANGE-ME\n", "show master:keep/b.txt");
	fix_git_says(&t->f, "ps-init: create store\n",
	    "log --format=%%s other");
	fix_git_says(&t->f, "", "fsck --full --strict --no-dangling");
	ps_buf_release(&name);
	ps_buf_release(&cmd);
}

/* A ref moved by someone else meanwhile is not moved, but named. */
static void
test_moved_meanwhile(void **state)
{
	struct t *t = *state;
	struct ps_buf name = PS_BUF_INIT;
	size_t n;

	rewrite(t);
	assert_int_equal(ps_rewrite_pack(&t->rw, NULL, &name, &n), 0);
	free(fix_sh(&t->f, "git tag -f light HEAD~2 >/dev/null"));
	assert_int_equal(ps_rewrite_move_refs(&t->rw, "test: rewrite"), 0);
	assert_non_null(t->rw.moved);
	assert_string_equal(t->rw.moved, "refs/tags/light");
	fix_git_says(&t->f, "C2\n", "log -1 --format=%%s light");
	ps_buf_release(&name);
}

/* A commit of the caller's on top of the new branch, packed with it. */
static void
test_top(void **state)
{
	struct t *t = *state;
	struct ps_buf name = PS_BUF_INIT;
	git_commit *parent = NULL;
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_oid top;
	size_t n;

	rewrite(t);
	assert_int_equal(git_commit_lookup(&parent, t->rw.repo,
	    &ref(t, "refs/heads/master")->new), 0);
	assert_int_equal(git_commit_tree(&tree, parent), 0);
	assert_int_equal(git_signature_now(&sig, "T", "t@example.org"), 0);
	assert_int_equal(git_commit_create(&top, t->rw.repo, NULL, sig, sig,
	    NULL, "on top\n", tree, 1, (const git_commit **)&parent), 0);
	assert_int_equal(ps_rewrite_pack(&t->rw, &top, &name, &n), 0);
	fix_git_says(&t->f, "on top\nC4\n", "log -2 --format=%%s %s",
	    hex(&top));
	git_signature_free(sig);
	git_tree_free(tree);
	git_commit_free(parent);
	ps_buf_release(&name);
}

/* What a rewrite cannot take stops the list of refs, with its reason. */
static void
refused(struct t *t, const char *line, int why, const char *name)
{
	free(fix_sh(&t->f, line));
	assert_int_equal(ps_rewrite_open(&t->rw, t->f.s, &t->d), 0);
	assert_int_equal(ps_rewrite_refs(&t->rw, "refs/heads/master"), 0);
	assert_int_equal(t->rw.refused, why);
	if (name) {
		assert_true(t->rw.nrefs > 0);
		assert_string_equal(t->rw.refs[t->rw.nrefs - 1].name, name);
	}
	assert_int_equal(t->d.n, 0);
}

static void
test_stash(void **state)
{
	refused(*state, "git update-ref refs/stash HEAD", PS_REWRITE_STASH,
	    NULL);
}

static void
test_tag_of_tree(void **state)
{
	refused(*state, GIT "tag -a tt -m tree 'HEAD^{tree}'",
	    PS_REWRITE_BAD_TAG, "refs/tags/tt");
}

static void
test_ref_to_blob(void **state)
{
	refused(*state, "git update-ref refs/blobby HEAD:keep/a.txt",
	    PS_REWRITE_NOT_COMMIT, "refs/blobby");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rewrite, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pack_and_move, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_moved_meanwhile, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_top, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stash, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tag_of_tree, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ref_to_blob, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
