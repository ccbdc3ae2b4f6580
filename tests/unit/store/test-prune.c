/*
 * Unit tests: what no ref reaches, pruned (lib/store/prune.c), in a real
 * store as real git leaves it after a commit undone (git reset --hard):
 * the commit that went, and its file CANARY-prune-gone, in the reflogs,
 * ORIG_HEAD, packed-refs, an old pack of everything and loose objects;
 * beside them the caches and the commit-graph. One new pack holds what
 * the refs reach; after ps_prune() it is all there is, and git finds
 * every ref whole.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "store/prune.h"
#include "fixture.h"

#define COMMIT	"-c user.name=G -c user.email=g@example.org commit -q"

/* A file of .git, in b. */
static const char *
gitfile(const struct fix *f, struct ps_buf *b, const char *rel)
{
	ps_buf_truncate(b, 0);
	assert_int_equal(ps_buf_printf(b, "%s/.git/%s", f->root, rel), 0);
	return b->s;
}

/*
 * The store described above; the commit that went in gone (hex), the
 * new pack's name in keep ("pack-<hex>").
 */
static void
store_new(struct fix *f, char gone[GIT_OID_HEXSZ + 1], struct ps_buf *keep)
{
	char *out;

	fix_new(f, 1);
	fix_write(f, "notes/kept.txt", "kept-one\n");
	free(fix_sh(f, "git add -A && git " COMMIT " -m kept && "
	    "git -c user.name=G -c user.email=g@example.org tag -a v1 -m v1"));
	fix_write(f, "notes/gone.txt", "CANARY-prune-gone\n");
	out = fix_sh(f, "git add -A && git " COMMIT " -m gone && "
	    "git rev-parse HEAD && git pack-refs --all && "
	    "git reset -q --hard HEAD~1 && git repack -a -q && "
	    "git commit-graph write --reachable");
	assert_int_equal(strlen(out), GIT_OID_HEXSZ + 1);
	memcpy(gone, out, GIT_OID_HEXSZ);
	gone[GIT_OID_HEXSZ] = '\0';
	free(out);
	out = fix_sh(f, "git rev-list --objects --all | "
	    "git pack-objects -q .git/objects/pack/pack");
	assert_int_equal(strlen(out), GIT_OID_HEXSZ + 1);
	out[GIT_OID_HEXSZ] = '\0';
	ps_buf_truncate(keep, 0);
	assert_int_equal(ps_buf_printf(keep, "pack-%s", out), 0);
	free(out);
	free(fix_sh(f, "mkdir -p .git/ps-cache .git/rr-cache/ab && "
	    "echo x >.git/ps-cache/report && echo x >.git/ps-dupkeys && "
	    "echo x >.git/rr-cache/ab/preimage && echo x >.git/FETCH_HEAD && "
	    "echo x >.git/objects/pack/tmp_pack_x && "
	    "ls .git/ORIG_HEAD .git/COMMIT_EDITMSG .git/packed-refs "
	    ".git/objects/info/commit-graph >/dev/null"));
	fix_reopen(f);
}

static void
test_prune(void **state)
{
	static const char *const gone_files[] = { "ORIG_HEAD", "FETCH_HEAD",
	    "COMMIT_EDITMSG", "ps-dupkeys", "ps-cache", "rr-cache",
	    "objects/info/commit-graph", "objects/pack/tmp_pack_x", NULL };
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf keep = PS_BUF_INIT, b = PS_BUF_INIT;
	char gone[GIT_OID_HEXSZ + 1], *refs, *out;
	struct timespec later = { time(NULL) + 86400, 0 };
	struct fix f;
	size_t i;

	(void)state;
	store_new(&f, gone, &keep);
	refs = fix_sh(&f, "git show-ref --head");
	out = fix_sh(&f, "git cat-file --batch-all-objects --batch | "
	    "grep -ac CANARY-prune-gone");
	assert_int_not_equal(atoi(out), 0);
	free(out);
	assert_int_equal(ps_prune(f.s, keep.s, &later, &d), 0);
	fix_diags_done(&d);
	/* the kept pack, and nothing else holding an object */
	assert_int_equal(ps_buf_putc(&keep, '\n'), 0);
	out = fix_sh(&f, "ls .git/objects/pack | sed 's/[.].*//' | sort -u");
	assert_string_equal(out, keep.s);
	free(out);
	out = fix_sh(&f, "find .git/objects .git/logs -type f | "
	    "grep -v '^.git/objects/pack/' || true");
	assert_string_equal(out, "");
	free(out);
	for (i = 0; gone_files[i]; i++)
		assert_int_equal(access(gitfile(&f, &b, gone_files[i]), F_OK),
		    -1);
	out = fix_sh(&f, "git cat-file --batch-all-objects --batch | "
	    "grep -ac CANARY-prune-gone || true");
	assert_string_equal(out, "0\n");
	free(out);
	out = fix_sh(&f, "cat .git/packed-refs");
	assert_null(strstr(out, gone));
	/* the packed tag and its peeled line kept */
	assert_non_null(strstr(out, " refs/tags/v1\n^"));
	free(out);
	/* the loose ref is never deleted (a power cut before packed-refs
	   reached the disk would lose it) */
	free(fix_sh(&f, "test -f .git/refs/heads/master"));
	/* every ref as it was, every object it reaches there */
	out = fix_sh(&f, "git show-ref --head");
	assert_string_equal(out, refs);
	free(out);
	fix_git_says(&f, "", "fsck --full --strict --no-dangling");
	fix_git_says(&f, "kept-one\n", "cat-file -p v1:notes/kept.txt");
	free(refs);
	ps_buf_release(&keep);
	ps_buf_release(&b);
	fix_free(&f);
}

/*
 * What git writes after the rewrite began is kept: a loose object of a
 * git add beside, and a pack of a git gc. Older ones go.
 */
static void
test_newer_kept(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf keep = PS_BUF_INIT, cmd = PS_BUF_INIT;
	char gone[GIT_OID_HEXSZ + 1], *blob, *out;
	struct timespec before;
	struct fix f;

	(void)state;
	store_new(&f, gone, &keep);
	assert_int_equal(clock_gettime(CLOCK_REALTIME, &before), 0);
	before.tv_sec -= 1;
	/* made now, and dated well after before: git's, meanwhile */
	blob = fix_sh(&f, "echo NEWER-by-git | git hash-object -w --stdin");
	blob[strlen(blob) - 1] = '\0';
	assert_int_equal(ps_buf_printf(&cmd, "touch -d '1 hour ago' "
	    ".git/objects/[0-9a-f][0-9a-f]/* .git/objects/pack/* && "
	    "touch .git/objects/pack/tmp_pack_x .git/objects/%.2s/%s", blob,
	    blob + 2), 0);
	free(fix_sh(&f, cmd.s));
	assert_int_equal(ps_prune(f.s, keep.s, &before, &d), 0);
	fix_diags_done(&d);
	fix_git_says(&f, "NEWER-by-git\n", "cat-file -p %s", blob);
	out = fix_sh(&f, "ls .git/objects/pack/tmp_pack_x");
	free(out);
	out = fix_sh(&f, "git cat-file --batch-all-objects --batch | "
	    "grep -ac CANARY-prune-gone || true");
	assert_string_equal(out, "0\n");
	free(out);
	free(blob);
	ps_buf_release(&keep);
	ps_buf_release(&cmd);
	fix_free(&f);
}

/* No folder of packs: PS_STORE, naming it. */
static void
test_no_packs(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf keep = PS_BUF_INIT, b = PS_BUF_INIT, msg = PS_BUF_INIT;
	struct timespec later = { time(NULL) + 86400, 0 };
	char gone[GIT_OID_HEXSZ + 1];
	struct fix f;

	(void)state;
	store_new(&f, gone, &keep);
	free(fix_sh(&f, "mv .git/objects/pack .git/objects/packs-moved"));
	assert_int_equal(ps_prune(f.s, keep.s, &later, &d), PS_STORE);
	assert_int_equal(ps_buf_printf(&msg, "%s: No such file or directory",
	    gitfile(&f, &b, "objects/pack")), 0);
	assert_true(fix_has_diag(&d, PS_STORE, msg.s));
	ps_diags_release(&d);
	ps_buf_release(&keep);
	ps_buf_release(&b);
	ps_buf_release(&msg);
	fix_free(&f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prune),
		cmocka_unit_test(test_newer_kept),
		cmocka_unit_test(test_no_packs),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
