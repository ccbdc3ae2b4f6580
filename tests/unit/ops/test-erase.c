/*
 * Unit tests: a person erased from a store and from its whole history
 * (lib/ops/erase.c), on a real store with the default programme and the
 * matching fixtures, and a history of its own: P-B00002 (Finn) matched
 * with V-A00002 (M-A00002, ended, a goal in their words), a contact
 * logged in that match with a note, then their phone changed; beside
 * them P-B00001 (Eve), with a match of her own (M-A00001), who must not
 * change. An annotated tag (q4) and a plain one (light) point into the
 * history. After the erasure no commit any ref reaches holds Finn's
 * record or a value of it, and no object is left that does; a refusal
 * leaves every ref, object, reflog and file as it was.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ops/erase.h"
#include "store-ops.h"

#define FINN	"P-B00002"
#define REFS	"git for-each-ref --format='%(refname) %(objectname)'"

static const char match_finn[] =
    "kind: match\n"
    "id: M-A00002\n"
    "status: ended\n"
    "stream: extended\n"
    "participant: P-B00002\n"
    "volunteer: V-A00002\n"
    "proposed: 2026-11-03T10:00:00-05:00\n"
    "accepted: 2026-11-04T10:00:00-05:00\n"
    "ended: 2026-11-20T10:00:00-05:00\n"
    "end_reason: completed\n"
    "goals:\n"
    "  - id: g1\n"
    "    text: CANARY-goal-in-Finn-words\n"
    "    status: open\n";

static const char match_open[] =
    "kind: match\n"
    "id: M-A00002\n"
    "status: active\n"
    "stream: extended\n"
    "participant: P-B00002\n"
    "volunteer: V-A00002\n"
    "proposed: 2026-11-03T10:00:00-05:00\n"
    "accepted: 2026-11-04T10:00:00-05:00\n";

static const char match_eve[] =
    "kind: match\n"
    "id: M-A00001\n"
    "status: ended\n"
    "stream: extended\n"
    "participant: P-B00001\n"
    "volunteer: V-A00001\n"
    "proposed: 2026-10-02T10:00:00-04:00\n"
    "accepted: 2026-10-03T10:00:00-04:00\n"
    "ended: 2026-11-01T10:00:00-05:00\n"
    "end_reason: completed\n"
    "goals:\n"
    "  - id: g1\n"
    "    text: Eve-goal-kept\n"
    "    status: open\n";

static const char contact_finn[] =
    "kind: contact\n"
    "id: C-A00001\n"
    "type: contact\n"
    "date: 2026-11-05T19:00:00-05:00\n"
    "match: M-A00002\n"
    "mode: phone\n"
    "minutes: 30\n"
    "logged_by: V-A00002\n"
    "note: CANARY-contact-note\n";

/* Values of Finn's records, in some commit before the erasure. */
static const char *const finn_values[] = { "CANARY-Finn", "finn@example.org",
    "555 0202", "555 0299", "CANARY-goal", "CANARY-contact", NULL };

static const struct ps_erase_opts wet = { 0, NULL };
static const struct ps_erase_opts dry = { 1, NULL };

struct t {
	struct fix	f;
	struct ops_out	o;
	struct ps_diags	d;
};

/* The text of P-B00002's fixture, their phone changed to +1 613 555 0299. */
static char *
finn_moved(void)
{
	char *text = ops_slurp("tests/fixtures/match/P-B00002.yaml"), *p;

	assert_non_null(p = strstr(text, "555 0202"));
	memcpy(p, "555 0299", 8);
	return text;
}

static int
setup(void **state)
{
	struct t *t;
	char *text;

	assert_non_null(t = calloc(1, sizeof(*t)));
	ops_new(&t->f, 1);
	fix_write(&t->f, "matches/M-A00001.yaml", match_eve);
	ops_put(&t->f, "matches/M-A00002.yaml", match_finn);
	assert_int_equal(fix_git(&t->f, NULL, "tag -a q4 -m 'quarter four'"),
	    0);
	ops_put(&t->f, "contacts/2026/11/05/C-A00001.yaml", contact_finn);
	assert_int_equal(fix_git(&t->f, NULL, "tag light"), 0);
	text = finn_moved();
	ops_put(&t->f, "participants/" FINN ".yaml", text);
	free(text);
	ops_open(&t->o);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;

	ps_diags_release(&t->d);
	ops_close(&t->o);
	fix_free(&t->f);
	free(t);
	return 0;
}

/* Everything a refusal must leave as it was. */
static char *
store_state(const struct t *t)
{
	return fix_sh(&t->f, REFS "; "
	    "git cat-file --batch-all-objects --batch-check; "
	    "find .git/objects .git/logs -type f | sort; "
	    "git status --porcelain; cat .git/HEAD");
}

/* How many objects, reachable or not, hold s. */
static long
objects_holding(const struct t *t, const char *s)
{
	struct ps_buf line = PS_BUF_INIT;
	char *out;
	long n;

	assert_int_equal(ps_buf_printf(&line, "git cat-file "
	    "--batch-all-objects --batch | grep -ac -- '%s' || true", s), 0);
	out = fix_sh(&t->f, line.s);
	n = strtol(out, NULL, 10);
	free(out);
	ps_buf_release(&line);
	return n;
}

/* The history of Eve's files: subjects, authors, dates and patches. */
static char *
eve_history(const struct t *t)
{
	return fix_sh(&t->f, "git log --all --format='%s%n%an %ad' -p -- "
	    "participants/P-B00001.yaml matches/M-A00001.yaml");
}

static int
has(const char *text, const char *needle)
{
	if (strstr(text, needle))
		return 1;
	fprintf(stderr, "expected in:\n%s\n---\nto find: %s\n", text, needle);
	return 0;
}

/* Finn, and every value of theirs, out of every commit and object. */
static void
test_erase(void **state)
{
	struct t *t = *state;
	char *before, *after, *eve_blob, *eve_match, *out;
	size_t i;
	long n;

	for (i = 0; finn_values[i]; i++)
		assert_true(objects_holding(t, finn_values[i]) > 0);
	before = eve_history(t);
	eve_blob = fix_sh(&t->f, "git rev-parse "
	    "HEAD:participants/P-B00001.yaml");
	eve_match = fix_sh(&t->f, "git rev-parse "
	    "light:matches/M-A00001.yaml");
	n = ops_commits(&t->f);
	assert_int_equal(ps_erase(t->f.s, FINN, &wet, t->o.fp, &t->d), 0);
	assert_string_equal(ops_text(&t->o), "erased " FINN " from the store "
	    "and from its whole history:\n"
	    "  removed   participants/" FINN ".yaml, 2 versions\n"
	    "  redacted  2 records that name them: M-A00002, C-A00001\n"
	    "  rewrote   4 of 5 commits, on refs/heads/master, "
	    "refs/tags/light, refs/tags/q4\n"
	    "  committed erasures/" FINN ".yaml: ps-apply: erase " FINN "\n"
	    "  pruned    the reflogs, and every object no ref reaches (35 "
	    "objects kept, in one pack)\n"
	    "\n"
	    "Their personal data is gone from this store only. Every clone "
	    "and backup\n"
	    "still holds it, and a pull, push or merge from one brings it "
	    "back. Now:\n"
	    "\n"
	    "  - Each other clone: delete it and clone this store again. Or, "
	    "in it,\n"
	    "    once its own work is here (commits made there since must be "
	    "made\n"
	    "    again on the new history), where origin is this store:\n"
	    "        git fetch origin\n"
	    "        git reset --hard origin/master\n"
	    "        git tag -l | xargs -r git tag -d; git fetch --tags "
	    "origin\n"
	    "        git reflog expire --expire=now --all\n"
	    "        git gc --prune=now\n"
	    "    and delete its other branches, or rebuild them on the new "
	    "history.\n"
	    "\n"
	    "  - Backups and copies made before now: delete them, or keep "
	    "them unused\n"
	    "    until they expire. A store restored from one must be erased "
	    "again\n"
	    "    (ps-apply --erase " FINN "); erasures/ lists whom.\n"
	    "\n"
	    "  - Reports, exports and mail sent before now are not reached by "
	    "this.\n");
	assert_int_equal(t->d.n, 0);
	/* nothing of theirs in any commit, nor any object left */
	out = fix_sh(&t->f, "git log --all --format=%H -- "
	    "participants/" FINN ".yaml");
	assert_string_equal(out, "");
	free(out);
	for (i = 0; finn_values[i]; i++)
		assert_int_equal(objects_holding(t, finn_values[i]), 0);
	out = fix_sh(&t->f, "git fsck --full --strict; git status --porcelain; "
	    "git reflog; ls .git/objects/pack | grep -c '[.]pack$'");
	assert_string_equal(out, "1\n");
	free(out);
	fix_file_is(&t->f, "participants/" FINN ".yaml", NULL);
	/* one commit more, every other one kept with its message */
	assert_int_equal(ops_commits(&t->f), n + 1);
	out = fix_sh(&t->f, "git log --format=%s");
	assert_string_equal(out, "ps-apply: erase " FINN "\nby hand\nby hand\n"
	    "by hand\nfixtures\nps-init: create store\n");
	free(out);
	/* their match and contact, redacted; the IDs stay */
	out = fix_sh(&t->f, "cat matches/M-A00002.yaml contacts/2026/11/05/"
	    "C-A00001.yaml");
	assert_true(has(out, "participant: " FINN "\n"));
	assert_true(has(out, "match: M-A00002\n"));
	assert_true(has(out, "id: g1\n"));
	free(out);
	out = fix_sh(&t->f, "git show q4^{commit}:matches/M-A00002.yaml");
	assert_true(has(out, "participant: " FINN "\n"));
	free(out);
	/* Eve's records: the same blobs, the same history */
	out = fix_sh(&t->f, "git rev-parse HEAD:participants/P-B00001.yaml");
	assert_string_equal(out, eve_blob);
	free(out);
	out = fix_sh(&t->f, "git rev-parse light:matches/M-A00001.yaml");
	assert_string_equal(out, eve_match);
	free(out);
	after = eve_history(t);
	assert_string_equal(after, before);
	assert_true(objects_holding(t, "CANARY-Eve-surname") > 0);
	fix_file_is(&t->f, "matches/M-A00001.yaml", match_eve);
	/* the note: who and when, no personal data */
	out = fix_read(&t->f, "erasures/" FINN ".yaml");
	assert_non_null(out);
	assert_true(has(out, "id: " FINN "\nkind: participant\n"));
	assert_true(has(out, "records_redacted:\n  - M-A00002\n"
	    "  - C-A00001\n"));
	free(out);
	free(before);
	free(after);
	free(eve_blob);
	free(eve_match);
}

/* A dry run says what it would do, and changes nothing. */
static void
test_dry_run(void **state)
{
	struct t *t = *state;
	char *before, *after;

	before = store_state(t);
	assert_int_equal(ps_erase(t->f.s, FINN, &dry, t->o.fp, &t->d), 0);
	assert_true(has(ops_text(&t->o), "would erase " FINN " from the "
	    "store and from its whole history:\n"
	    "  remove    participants/" FINN ".yaml, 2 versions\n"));
	after = store_state(t);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

/* An ID in no commit, or not a person's: refused, nothing changed. */
static void
test_unknown(void **state)
{
	struct t *t = *state;
	char *before, *after;

	before = store_state(t);
	assert_int_equal(ps_erase(t->f.s, "P-B00009", &wet, t->o.fp, &t->d),
	    PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "P-B00009: no such "
	    "record, in the store or in its history"));
	assert_int_equal(ps_erase(t->f.s, "M-A00002", &wet, t->o.fp, &t->d),
	    PS_USAGE);
	assert_true(ops_diag_has(&t->d, "not the ID of a participant or a "
	    "volunteer"));
	after = store_state(t);
	assert_string_equal(after, before);
	assert_string_equal(ops_text(&t->o), "");
	free(before);
	free(after);
}

/* Changes not committed: refused, nothing changed, the changes kept. */
static void
test_dirty(void **state)
{
	struct t *t = *state;
	char *before, *after;

	fix_write(&t->f, "participants/" FINN ".yaml", "kind: participant\n");
	before = store_state(t);
	assert_int_equal(ps_erase(t->f.s, FINN, &wet, t->o.fp, &t->d),
	    PS_REFUSED);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "participants/" FINN
	    ".yaml: changes not committed: commit or undo them first (git "
	    "status), then erase"));
	after = store_state(t);
	assert_string_equal(after, before);
	fix_file_is(&t->f, "participants/" FINN ".yaml", "kind: participant\n");
	free(before);
	free(after);
}

/* An open match would name someone gone: refused. */
static void
test_open_match(void **state)
{
	struct t *t = *state;
	char *before, *after;

	ops_put(&t->f, "matches/M-A00002.yaml", match_open);
	before = store_state(t);
	assert_int_equal(ps_erase(t->f.s, FINN, &wet, t->o.fp, &t->d),
	    PS_REFUSED);
	assert_true(ops_diag_has(&t->d, FINN ": has open matches (M-A00002)"));
	after = store_state(t);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

/* A file that holds a value of theirs but names no one is kept, with a
   warning. */
static void
test_copies(void **state)
{
	struct t *t = *state;

	ops_put(&t->f, "notes/call-list.txt", "ring finn@example.org\n");
	assert_int_equal(ps_erase(t->f.s, FINN, &wet, t->o.fp, &t->d), 0);
	assert_true(fix_has_diag(&t->d, PS_OK, "notes/call-list.txt: holds a "
	    "value of the record of " FINN " in some commit, and was kept as "
	    "it was: check it"));
	fix_file_is(&t->f, "notes/call-list.txt", "ring finn@example.org\n");
	fix_file_is(&t->f, "participants/" FINN ".yaml", NULL);
}

/* A commit message that holds a value of theirs: refused, nothing
   changed. */
static void
test_message(void **state)
{
	struct t *t = *state;
	char *before, *after;

	fix_write(&t->f, "notes/call-list.txt", "ring Finn\n");
	assert_int_equal(fix_git(&t->f, NULL, "add -A"), 0);
	assert_int_equal(fix_git(&t->f, NULL, "commit -q -m 'called Finn "
	    "canary-finn-SURNAME'"), 0);
	fix_reopen(&t->f);
	before = store_state(t);
	assert_int_equal(ps_erase(t->f.s, FINN, &wet, t->o.fp, &t->d),
	    PS_REFUSED);
	assert_true(ops_diag_has(&t->d, ": its message holds a value of the "
	    "record of " FINN ": reword it first (git rebase -i), then "
	    "erase"));
	after = store_state(t);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

/* Erased again: nothing to rewrite, what no ref reaches pruned again. */
static void
test_again(void **state)
{
	struct t *t = *state;
	char *before, *after;

	assert_int_equal(ps_erase(t->f.s, FINN, &wet, t->o.fp, &t->d), 0);
	before = fix_sh(&t->f, REFS);
	ops_close(&t->o);
	ops_open(&t->o);
	assert_int_equal(ps_erase(t->f.s, FINN, &wet, t->o.fp, &t->d), 0);
	assert_string_equal(ops_text(&t->o), FINN ": erased before; pruned "
	    "what no ref reaches\n");
	after = fix_sh(&t->f, REFS);
	assert_string_equal(after, before);
	free(before);
	free(after);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_erase, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dry_run, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_dirty, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_match, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_copies, setup, teardown),
		cmocka_unit_test_setup_teardown(test_message, setup, teardown),
		cmocka_unit_test_setup_teardown(test_again, setup, teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
