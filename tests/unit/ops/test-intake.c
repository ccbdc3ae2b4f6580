/*
 * Unit tests: ps-apply's operations (lib/ops/intake.c) on a real store
 * with the default programme (streams extended and onecall; the privacy
 * notice at 2026-01, the pledge too, for volunteers). Applications are
 * taken in from YAML (tests/fixtures/apply/two.yaml, as ps-apply.bats
 * takes it) and from a CSV export through a mapping file, both written
 * beside the store; refused input leaves HEAD, its tree and the work
 * tree as they were; then update, withdraw (on the matching fixtures,
 * with two open matches) and the list. IDs are random: the output is
 * compared with them masked. The clock is fixture.h's: Sunday 22
 * November 2026, 10:00 in Toronto.
 */
#include <ctype.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ops/intake.h"
#include "store-ops.h"

struct t {
	struct fix	f;
	struct ops_out	o;
	struct ps_diags	d;
	struct ps_buf	path;	/* an input file beside the store */
};

static int
setup(void **state)
{
	struct t *t;

	assert_non_null(t = calloc(1, sizeof(*t)));
	ops_new(&t->f, 0);
	ops_open(&t->o);
	*state = t;
	return 0;
}

/* With the matching fixtures: participants, volunteers and a group. */
static int
setup_fixtures(void **state)
{
	struct t *t;

	assert_non_null(t = calloc(1, sizeof(*t)));
	ops_new(&t->f, 1);
	ops_open(&t->o);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;

	ps_buf_release(&t->path);
	ps_diags_release(&t->d);
	ops_close(&t->o);
	fix_free(&t->f);
	free(t);
	return 0;
}

/* A new output, no diagnostics, and the store opened again, as by the
   next run of a tool. */
static void
fresh(struct t *t)
{
	ops_close(&t->o);
	ops_open(&t->o);
	ps_diags_release(&t->d);
	fix_reopen(&t->f);
}

/* Write base/name (beside the store, not in it); its path in t->path. */
static const char *
input(struct t *t, const char *name, const char *text)
{
	FILE *fp;

	ps_buf_truncate(&t->path, 0);
	assert_int_equal(ps_buf_printf(&t->path, "%s/%s", t->f.base, name),
	    0);
	assert_non_null(fp = fopen(t->path.s, "w"));
	assert_int_equal(fputs(text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	return t->path.s;
}

/* ps_intake on one file, with the map when given. */
static int
take(struct t *t, const char *file, const char *map, int allow_duplicate)
{
	struct ps_intake_opts o;
	char *files[1];

	memset(&o, 0, sizeof(o));
	files[0] = (char *)file;
	o.files = files;
	o.nfiles = 1;
	o.map = map;
	o.allow_duplicate = allow_duplicate;
	return ps_intake(t->f.s, &o, t->o.fp, &t->d);
}

/* Text with each P-, V-, M- ID as P-XXXXXX (the caller frees it). */
static char *
mask(const char *s)
{
	static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	char *a = strdup(s), *p;
	size_t i;

	assert_non_null(a);
	for (p = a; (p = strchr(p, '-')) != NULL; p++) {
		if (p == a || !strchr("PVM", p[-1]) || (p - a > 1 &&
		    isalnum((unsigned char)p[-2])))
			continue;
		for (i = 1; i < 7 && p[i] && strchr(crockford, p[i]); i++)
			;
		if (i == 7 && !isalnum((unsigned char)p[7]))
			memcpy(p + 1, "XXXXXX", 6);
	}
	return a;
}

/* The ID of the n-th record (0-based) in text, in id. */
static void
nth_id(const char *text, int n, char id[16])
{
	const char *s = text;

	for (; n >= 0; n--) {
		assert_non_null(s = strstr(s, "\nid: "));
		s += 5;
	}
	assert_int_equal(sscanf(s, "%15s", id), 1);
}

/* HEAD and its tree. */
static char *
head(struct t *t)
{
	struct ps_buf out = PS_BUF_INIT;

	assert_int_equal(fix_git(&t->f, &out, "rev-parse HEAD HEAD^{tree}"),
	    0);
	return ps_buf_detach(&out);
}

/* Refused: exit 1, nothing printed, the store as before. */
static void
unchanged(struct t *t, int rc, const char *before)
{
	char *now = head(t);

	assert_int_equal(rc, PS_REFUSED);
	assert_string_equal(ops_text(&t->o), "");
	assert_string_equal(now, before);
	fix_git_says(&t->f, "", "status --porcelain --untracked-files=all");
	free(now);
}

/* A diagnostic i at file:line:col, of path, saying msg. */
static void
diag_is(struct t *t, size_t i, const char *file, unsigned long line,
    unsigned long col, const char *path, const char *msg)
{
	if (i >= t->d.n)
		ps_diags_print(&t->d, "test-intake", stderr);
	assert_true(i < t->d.n);
	assert_int_equal(t->d.v[i].status, PS_REFUSED);
	assert_string_equal(t->d.v[i].file, file);
	assert_int_equal(t->d.v[i].line, line);
	assert_int_equal(t->d.v[i].col, col);
	if (path)
		assert_string_equal(t->d.v[i].path, path);
	else
		assert_null(t->d.v[i].path);
	assert_string_equal(t->d.v[i].msg, msg);
}

/* The stored file of the record id, as the output printed it. */
static void
stored_as_printed(struct t *t, const char *dir, const char *id,
    const char *text)
{
	struct ps_buf rel = PS_BUF_INIT, rec = PS_BUF_INIT;
	const char *at, *end;

	assert_int_equal(ps_buf_printf(&rel, "%s/%s.yaml", dir, id), 0);
	assert_int_equal(ps_buf_printf(&rec, "\nid: %s\n", id), 0);
	assert_non_null(at = strstr(text, rec.s));
	while (at > text && strncmp(at, "---\n", 4) != 0)
		at--;
	at += 4;
	end = strstr(at, "---\n");
	ps_buf_truncate(&rec, 0);
	assert_int_equal(ps_buf_add(&rec, at, end ? (size_t)(end - at) :
	    strlen(at)), 0);
	assert_int_equal(ps_buf_puts(&rec, ""), 0);
	fix_file_is(&t->f, rel.s, rec.s);
	ps_buf_release(&rel);
	ps_buf_release(&rec);
}

/*
 * Two applications from YAML: normalised (trimmed names, lower-case
 * email, the phone's one form, upper-case region, lower-case language
 * codes, the applicant's words as typed), given an ID, status applied
 * and the time received; stored in one commit, each file the record
 * printed.
 */
static void
yaml_taken_in(void **state)
{
	struct t *t = *state;
	char *want = ops_slurp("tests/fixtures/apply/two.expected"), *got;
	long n = ops_commits(&t->f);
	char pid[16], vid[16];

	assert_int_equal(take(t, "tests/fixtures/apply/two.yaml", NULL, 0),
	    0);
	assert_int_equal(t->d.n, 0);
	got = mask(ops_text(&t->o));
	assert_string_equal(got, want);
	assert_non_null(strstr(got, "  first: Jean\n"));
	assert_non_null(strstr(got, "  email: jean.dupont@example.org\n"));
	assert_non_null(strstr(got, "  phone: \"+1 613 555 0199\"\n"));
	assert_non_null(strstr(got, "context: \"  My wife was diagnosed last "
	    "month.  \"\n"));
	free(got);
	free(want);
	assert_int_equal(ops_commits(&t->f), n + 1);
	fix_git_says(&t->f, "ps-apply: 2 applications (1 participant, 1 "
	    "volunteer)\n", "log -1 --format=%%s");
	fix_git_says(&t->f, "", "status --porcelain --untracked-files=all");
	nth_id(ops_text(&t->o), 0, pid);
	nth_id(ops_text(&t->o), 1, vid);
	assert_int_equal(pid[0], 'P');
	assert_int_equal(vid[0], 'V');
	stored_as_printed(t, "participants", pid, ops_text(&t->o));
	stored_as_printed(t, "volunteers", vid, ops_text(&t->o));
}

static const char form_map[] =
    "kind: participant\n"
    "stream: extended\n"
    "columns:\n"
    "  First name: name.first\n"
    "  Last name: name.last\n"
    "  Email: contact.email\n"
    "  Phone: contact.phone\n"
    "  Languages:\n"
    "    field: languages\n"
    "    split: \";\"\n"
    "  I am:\n"
    "    field: role\n"
    "    values:\n"
    "      I live with MS: living-with\n"
    "  Privacy:\n"
    "    consent: privacy\n";

/* Applications from a CSV export through a mapping file. */
static void
csv_taken_in(void **state)
{
	struct t *t = *state;
	long n = ops_commits(&t->f);
	char *map, *got;

	assert_non_null(map = strdup(input(t, "map.yaml", form_map)));
	input(t, "form.csv",
	    "First name,Last name,Email,Phone,Languages,I am,Privacy\r\n"
	    " Lou ,Martin,Lou@Example.ORG,613-555-0101,EN; fr,I live with MS,"
	    "Yes\r\n"
	    "Sam,Roy,sam@example.org,,fr,caregiver,x\r\n");
	assert_int_equal(take(t, t->path.s, map, 0), 0);
	assert_int_equal(t->d.n, 0);
	got = mask(ops_text(&t->o));
	assert_string_equal(got,
	    "---\n"
	    "kind: participant\n"
	    "id: P-XXXXXX\n"
	    "status: applied\n"
	    "stream: extended\n"
	    "role: living-with\n"
	    "received: 2026-11-22T10:00:00-05:00\n"
	    "name:\n"
	    "  first: Lou\n"
	    "  last: Martin\n"
	    "contact:\n"
	    "  email: lou@example.org\n"
	    "  phone: \"+1 613 555 0101\"\n"
	    "languages:\n"
	    "  - en\n"
	    "  - fr\n"
	    "consents:\n"
	    "  - type: privacy\n"
	    "    version: \"2026-01\"\n"
	    "    date: 2026-11-22\n"
	    "    given: true\n"
	    "    method: online\n"
	    "status_history:\n"
	    "  - status: applied\n"
	    "    date: 2026-11-22T10:00:00-05:00\n"
	    "    by: ps-apply\n"
	    "---\n"
	    "kind: participant\n"
	    "id: P-XXXXXX\n"
	    "status: applied\n"
	    "stream: extended\n"
	    "role: caregiver\n"
	    "received: 2026-11-22T10:00:00-05:00\n"
	    "name:\n"
	    "  first: Sam\n"
	    "  last: Roy\n"
	    "contact:\n"
	    "  email: sam@example.org\n"
	    "languages:\n"
	    "  - fr\n"
	    "consents:\n"
	    "  - type: privacy\n"
	    "    version: \"2026-01\"\n"
	    "    date: 2026-11-22\n"
	    "    given: true\n"
	    "    method: online\n"
	    "status_history:\n"
	    "  - status: applied\n"
	    "    date: 2026-11-22T10:00:00-05:00\n"
	    "    by: ps-apply\n");
	free(got);
	assert_int_equal(ops_commits(&t->f), n + 1);
	fix_git_says(&t->f, "ps-apply: 2 applications (participants)\n",
	    "log -1 --format=%%s");
	fix_git_says(&t->f, "2\n", "ls-tree --name-only HEAD participants/ "
	    "| wc -l");
	free(map);
}

/*
 * All or nothing: a bad email and a missing consent refuse the input,
 * each at its file:line:col, the good application with them; nothing is
 * written. From a CSV, the positions are the cells'.
 */
static void
refused_unchanged(void **state)
{
	struct t *t = *state;
	char *before = head(t), *map;
	const char *f;

	f = input(t, "apps.yaml",
	    "kind: participant\n"
	    "stream: extended\n"
	    "role: caregiver\n"
	    "name: {first: Kim, last: Lee}\n"
	    "contact: {email: not-an-email}\n"
	    "languages: [en]\n"
	    "consents: [{type: privacy, version: \"2026-01\",\n"
	    "    date: 2026-11-20, given: true}]\n"
	    "---\n"
	    "kind: participant\n"
	    "stream: extended\n"
	    "role: living-with\n"
	    "name: {first: Pat, last: Ng}\n"
	    "languages: [en]\n"
	    "---\n"
	    "kind: participant\n"
	    "stream: onecall\n"
	    "role: living-with\n"
	    "name: {first: Good, last: One}\n"
	    "languages: [en]\n"
	    "consents: [{type: privacy, version: \"2026-01\",\n"
	    "    date: 2026-11-20, given: true}]\n");
	unchanged(t, take(t, f, NULL, 0), before);
	assert_int_equal(t->d.n, 2);
	diag_is(t, 0, f, 5, 18, "contact.email", "not a valid email address");
	diag_is(t, 1, f, 10, 1, "consents", "the privacy notice (version "
	    "2026-01) must be agreed to");

	fresh(t);
	assert_non_null(map = strdup(input(t, "map.yaml", form_map)));
	input(t, "form.csv",
	    "First name,Last name,Email,Phone,Languages,I am,Privacy\n"
	    "Lou,Martin,lou@,613-555-0101,en,I live with MS,yes\n"
	    "Sam,Roy,sam@example.org,,fr,caregiver,no\n");
	unchanged(t, take(t, t->path.s, map, 0), before);
	assert_int_equal(t->d.n, 2);
	diag_is(t, 0, t->path.s, 2, 3, "contact.email", "not a valid email "
	    "address");
	diag_is(t, 1, t->path.s, 3, 1, "consents", "the privacy notice "
	    "(version 2026-01) must be agreed to");
	free(map);
	free(before);
}

/* The same person again is refused as a probable duplicate, or stored
   and linked with --allow-duplicate. */
static void
duplicate(void **state)
{
	struct t *t = *state;
	char *before, *got;
	const char *f;
	char first[16], want[128];

	assert_int_equal(take(t, "tests/fixtures/apply/two.yaml", NULL, 0),
	    0);
	nth_id(ops_text(&t->o), 0, first);
	fresh(t);
	before = head(t);
	f = input(t, "again.yaml",
	    "kind: participant\n"
	    "stream: onecall\n"
	    "role: caregiver\n"
	    "name: {first: J, last: D}\n"
	    "contact: {email: JEAN.DUPONT@example.org}\n"
	    "languages: [fr]\n"
	    "consents: [{type: privacy, version: \"2026-01\",\n"
	    "    date: 2026-11-20, given: true}]\n");
	unchanged(t, take(t, f, NULL, 0), before);
	assert_int_equal(t->d.n, 1);
	snprintf(want, sizeof(want), "probable duplicate of %s (same email "
	    "address); use --allow-duplicate to store and link both", first);
	diag_is(t, 0, f, 1, 1, NULL, want);
	free(before);

	fresh(t);
	assert_int_equal(take(t, f, NULL, 1), 0);
	assert_int_equal(t->d.n, 0);
	snprintf(want, sizeof(want), "linked:\n  - %s\n", first);
	assert_non_null(strstr(ops_text(&t->o), want));
	got = mask(ops_text(&t->o));
	assert_non_null(strstr(got, "\nstream: onecall\n"));
	free(got);
}

/* An update merges, normalises and checks again, in one commit; what
   the toolkit sets cannot be updated. */
static void
update(void **state)
{
	struct t *t = *state;
	struct ps_intake_opts o;
	char id[16], *before, subject[64];
	const char *f;
	long n;

	memset(&o, 0, sizeof(o));
	assert_int_equal(take(t, "tests/fixtures/apply/two.yaml", NULL, 0),
	    0);
	nth_id(ops_text(&t->o), 0, id);
	fresh(t);
	n = ops_commits(&t->f);
	f = input(t, "changes.yaml",
	    "contact:\n"
	    "  phone: 613 555 0177\n"
	    "region: on\n"
	    "availability: [mon-eve]\n");
	assert_int_equal(ps_intake_update(t->f.s, id, f, &o, t->o.fp, &t->d),
	    0);
	assert_int_equal(t->d.n, 0);
	assert_non_null(strstr(ops_text(&t->o), "\ncontact:\n"
	    "  email: jean.dupont@example.org\n"
	    "  phone: \"+1 613 555 0177\"\n"));
	assert_non_null(strstr(ops_text(&t->o), "\nregion: \"ON\"\n"));
	assert_non_null(strstr(ops_text(&t->o), "\navailability:\n"
	    "  - mon-eve\n"));
	assert_int_equal(ops_commits(&t->f), n + 1);
	snprintf(subject, sizeof(subject), "ps-apply: update %s\n", id);
	fix_git_says(&t->f, subject, "log -1 --format=%%s");
	stored_as_printed(t, "participants", id, ops_text(&t->o));

	fresh(t);
	before = head(t);
	f = input(t, "changes.yaml", "status: matched\n");
	unchanged(t, ps_intake_update(t->f.s, id, f, &o, t->o.fp, &t->d),
	    before);
	assert_int_equal(t->d.n, 1);
	diag_is(t, 0, f, 1, 1, "status", "is set by the toolkit and cannot "
	    "be updated");

	fresh(t);
	f = input(t, "changes.yaml", "name: {first: Jean}\n"
	    "contact: {phone: 555-0142}\n");
	unchanged(t, ps_intake_update(t->f.s, id, f, &o, t->o.fp, &t->d),
	    before);
	assert_int_equal(t->d.n, 1);
	diag_is(t, 0, f, 2, 18, "contact.phone", "not a phone number: give "
	    "ten digits, or + and the country code");
	free(before);
}

static const char match_active[] =
    "kind: match\n"
    "id: M-A00001\n"
    "status: active\n"
    "stream: extended\n"
    "participant: P-B00001\n"
    "volunteer: V-A00001\n"
    "proposed: 2026-11-01T10:00:00-05:00\n"
    "accepted: 2026-11-02T10:00:00-05:00\n";

static const char match_proposed[] =
    "kind: match\n"
    "id: M-A00002\n"
    "status: proposed\n"
    "stream: extended\n"
    "participant: P-B00002\n"
    "volunteer: V-A00001\n"
    "proposed: 2026-11-20T10:00:00-05:00\n";

/*
 * A volunteer withdraws: closed with the day and reason, its active
 * match ended (the participant back to waiting) and its proposal
 * declined, in one commit; not twice; only an application.
 */
static void
withdraw(void **state)
{
	struct t *t = *state;
	struct ps_intake_opts o;
	char *p, *before;
	long n;

	memset(&o, 0, sizeof(o));
	p = ops_slurp("tests/fixtures/match/P-B00001.yaml");
	memcpy(strstr(p, "status: waiting"), "status: matched", 15);
	fix_write(&t->f, "participants/P-B00001.yaml", p);
	free(p);
	fix_write(&t->f, "matches/M-A00001.yaml", match_active);
	ops_put(&t->f, "matches/M-A00002.yaml", match_proposed);
	n = ops_commits(&t->f);
	assert_int_equal(ps_intake_withdraw(t->f.s, "V-A00001", "moving away",
	    &o, t->o.fp, &t->d), 0);
	assert_int_equal(t->d.n, 0);
	assert_int_equal(ops_commits(&t->f), n + 1);
	fix_git_says(&t->f, "ps-apply: withdraw V-A00001 (ends M-A00001, "
	    "M-A00002)\n", "log -1 --format=%%s");
	fix_git_says(&t->f, "", "status --porcelain --untracked-files=all");
	assert_non_null(strstr(ops_text(&t->o), "\nid: V-A00001\n"
	    "status: withdrawn\n"));
	assert_non_null(strstr(ops_text(&t->o), "\nwithdrawn:\n"
	    "  date: 2026-11-22\n  reason: moving away\n"));
	assert_non_null(strstr(ops_text(&t->o), "  - status: withdrawn\n"
	    "    date: 2026-11-22T10:00:00-05:00\n    by: ps-apply\n"));
	stored_as_printed(t, "volunteers", "V-A00001", ops_text(&t->o));
	p = fix_read(&t->f, "matches/M-A00001.yaml");
	assert_non_null(strstr(p, "\nstatus: ended\n"));
	assert_non_null(strstr(p, "\nended: 2026-11-22T10:00:00-05:00\n"));
	assert_non_null(strstr(p, "\nend_reason: volunteer-request\n"));
	free(p);
	p = fix_read(&t->f, "matches/M-A00002.yaml");
	assert_non_null(strstr(p, "\nstatus: declined\n"));
	assert_non_null(strstr(p, "\ndeclined:\n  date: 2026-11-22\n"
	    "  by: volunteer\n"));
	free(p);
	p = fix_read(&t->f, "participants/P-B00001.yaml");
	assert_non_null(strstr(p, "\nstatus: waiting\n"));
	free(p);

	fresh(t);
	before = head(t);
	unchanged(t, ps_intake_withdraw(t->f.s, "V-A00001", "again", &o,
	    t->o.fp, &t->d), before);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "V-A00001: already "
	    "withdrawn"));
	fresh(t);
	unchanged(t, ps_intake_withdraw(t->f.s, "M-A00001", "no", &o,
	    t->o.fp, &t->d), before);
	assert_true(fix_has_diag(&t->d, PS_REFUSED, "M-A00001: not an "
	    "application (participant or volunteer)"));
	free(before);
}

/* List with o into the output; its return. */
static int
list(struct t *t, const char *kind, const char *stream, const char *status,
    const char *since, int table)
{
	struct ps_list_opts o = { kind, stream, status, since, table };

	ops_close(&t->o);
	ops_open(&t->o);
	return ps_intake_list(t->f.s, &o, t->o.fp, &t->d);
}

/* The table, with no personal data, its stream column as wide as a
   volunteer's streams; the filters; the records as stored. */
static void
list_table(void **state)
{
	struct t *t = *state;
	char *got, id[16];

	assert_int_equal(take(t, "tests/fixtures/apply/two.yaml", NULL, 0),
	    0);
	nth_id(ops_text(&t->o), 1, id);
	fresh(t);
	assert_int_equal(list(t, NULL, NULL, NULL, NULL, 1), 0);
	got = mask(ops_text(&t->o));
	assert_string_equal(got,
	    "ID        KIND         STREAM             STATUS      RECEIVED\n"
	    "P-XXXXXX  participant  extended           applied     2026-11-22\n"
	    "V-XXXXXX  volunteer    extended, onecall  applied     "
	    "2026-11-22\n");
	free(got);
	assert_null(strstr(ops_text(&t->o), "Dupont"));
	assert_int_equal(list(t, NULL, "onecall", NULL, NULL, 1), 0);
	got = mask(ops_text(&t->o));
	assert_string_equal(got,
	    "ID        KIND         STREAM             STATUS      RECEIVED\n"
	    "V-XXXXXX  volunteer    extended, onecall  applied     "
	    "2026-11-22\n");
	free(got);
	assert_int_equal(list(t, NULL, NULL, "waiting", NULL, 1), 0);
	assert_string_equal(ops_text(&t->o),
	    "ID        KIND         STREAM        STATUS      RECEIVED\n");
	assert_int_equal(list(t, NULL, NULL, NULL, "2026-11-23", 0), 0);
	assert_string_equal(ops_text(&t->o), "");
	assert_int_equal(list(t, "volunteer", NULL, NULL, "2026-11-22", 0),
	    0);
	assert_int_equal(strncmp(ops_text(&t->o), "---\n", 4), 0);
	assert_null(strstr(ops_text(&t->o) + 4, "---\n"));
	stored_as_printed(t, "volunteers", id, ops_text(&t->o));
	assert_int_equal(t->d.n, 0);
	assert_int_equal(list(t, NULL, NULL, NULL, "yesterday", 1), PS_USAGE);
	assert_string_equal(ops_text(&t->o), "");
	assert_true(fix_has_diag(&t->d, PS_USAGE, "--since: not a date "
	    "(YYYY-MM-DD)"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(yaml_taken_in, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(csv_taken_in, setup, teardown),
		cmocka_unit_test_setup_teardown(refused_unchanged, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(duplicate, setup, teardown),
		cmocka_unit_test_setup_teardown(update, setup, teardown),
		cmocka_unit_test_setup_teardown(withdraw, setup_fixtures,
		    teardown),
		cmocka_unit_test_setup_teardown(list_table, setup, teardown),
	};

	return cmocka_run_group_tests_name("intake", tests, fix_group_setup,
	    NULL);
}
