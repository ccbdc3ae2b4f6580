/*
 * Unit tests: what makes a tree a record (lib/model/record.c): its kind
 * and ID, its path in the store (contacts by their local date), the
 * check against its kind's schema, the stream form, the summary line and
 * status changes.
 * The schemas are $PS_SCHEMA_DIR's, else schemas/.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/buf.h"
#include "model/record.h"
#include "model/yaml.h"

static struct ps_schemas *set;

static int
setup(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	setenv("PS_SCHEMA_DIR", "schemas", 0);
	if (ps_schemas_load(&set, NULL, &d) != 0) {
		ps_diags_print(&d, "test-record", stderr);
		ps_diags_release(&d);
		return -1;
	}
	ps_diags_release(&d);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ps_schemas_free(set);
	return 0;
}

/* A tree from YAML text, not checked. */
static struct ps_node *
tree(const char *text)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;

	if (ps_yaml_load_mem(&n, text, strlen(text), "t.yaml", &d) != 0) {
		ps_diags_print(&d, "test-record", stderr);
		fail_msg("not YAML: %s", text);
	}
	ps_diags_release(&d);
	return n;
}

static struct ps_node *
fixture(const char *name)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;
	char path[256];

	snprintf(path, sizeof(path), "tests/fixtures/records/valid/%s.yaml",
	    name);
	assert_int_equal(ps_yaml_load_file(&n, path, NULL, 0, &d), 0);
	ps_diags_release(&d);
	return n;
}

static void
kind_and_id(void **state)
{
	struct ps_node *n = tree("kind: volunteer\nid: V-3K2J9X\n");
	struct ps_node *s;

	(void)state;
	assert_string_equal(ps_record_kind(n), "volunteer");
	assert_string_equal(ps_record_id(n), "V-3K2J9X");
	ps_node_free(n);
	/* not there, not text, not a mapping, nothing at all */
	n = tree("name: x\n");
	assert_null(ps_record_kind(n));
	assert_null(ps_record_id(n));
	ps_node_free(n);
	n = tree("kind: [volunteer]\nid: {a: b}\n");
	assert_null(ps_record_kind(n));
	assert_null(ps_record_id(n));
	ps_node_free(n);
	s = tree("- kind\n- id\n");
	assert_null(ps_record_kind(s));
	assert_null(ps_record_id(s));
	ps_node_free(s);
	s = ps_node_new_str("kind");
	assert_null(ps_record_kind(s));
	ps_node_free(s);
	assert_null(ps_record_kind(NULL));
	assert_null(ps_record_id(NULL));
}

/* path gives want, and path_matches agrees. */
static void
expect_path(const char *text, const char *want)
{
	struct ps_buf b = PS_BUF_INIT;
	struct ps_node *n = tree(text);

	assert_int_equal(ps_record_path(n, &b), 0);
	assert_string_equal(b.s, want);
	assert_true(ps_record_path_matches(n, want));
	ps_node_free(n);
	ps_buf_release(&b);
}

/* No path: -1, and the buffer emptied. */
static void
no_path(const char *text)
{
	struct ps_buf b = PS_BUF_INIT;
	struct ps_node *n = tree(text);

	ps_buf_puts(&b, "left over");
	if (ps_record_path(n, &b) != -1)
		fail_msg("a path for %s: %s", text, b.s);
	assert_int_equal(b.len, 0);
	ps_node_free(n);
	ps_buf_release(&b);
}

static void
store_paths(void **state)
{
	(void)state;
	expect_path("kind: participant\nid: P-7K3Q2X\n",
	    "participants/P-7K3Q2X.yaml");
	expect_path("kind: volunteer\nid: V-3K2J9X\n",
	    "volunteers/V-3K2J9X.yaml");
	expect_path("kind: match\nid: M-8D1Q4R\n", "matches/M-8D1Q4R.yaml");
	expect_path("kind: group\nid: G-3TK7WQ\n", "groups/G-3TK7WQ.yaml");
	/* contacts by the local date of the contact, as written */
	expect_path("kind: contact\nid: C-1F6K9M\n"
	    "date: 2026-04-08T19:00:00-04:00\n",
	    "contacts/2026/04/08/C-1F6K9M.yaml");
	expect_path("kind: contact\nid: C-1F6K9M\n"
	    "date: 2026-12-31T23:30:00-05:00\n",
	    "contacts/2026/12/31/C-1F6K9M.yaml");
	expect_path("kind: contact\nid: C-1F6K9M\ndate: 2026-01-05\n",
	    "contacts/2026/01/05/C-1F6K9M.yaml");
}

static void
no_store_path(void **state)
{
	(void)state;
	no_path("id: P-7K3Q2X\n");				/* no kind */
	no_path("kind: participant\n");				/* no ID */
	no_path("kind: program\nid: P-7K3Q2X\n");		/* no folder */
	no_path("kind: person\nid: P-7K3Q2X\n");
	no_path("kind: participant\nid: V-3K2J9X\n");		/* other kind's */
	no_path("kind: participant\nid: P-7K3Q2\n");
	no_path("kind: participant\nid: \"../../x\"\n");
	no_path("kind: contact\nid: C-1F6K9M\n");		/* no date */
	no_path("kind: contact\nid: C-1F6K9M\ndate: 2026-4-8\n");
	no_path("kind: contact\nid: C-1F6K9M\ndate: [2026-04-08]\n");
	no_path("- kind: participant\n  id: P-7K3Q2X\n");
}

/* Only the record's own path matches. */
static void
path_matches(void **state)
{
	struct ps_node *p = tree("kind: participant\nid: P-7K3Q2X\n");
	struct ps_node *c = tree("kind: contact\nid: C-1F6K9M\n"
	    "date: 2026-04-08T19:00:00-04:00\n");
	struct ps_node *bad = tree("kind: participant\nid: V-3K2J9X\n");

	(void)state;
	assert_true(ps_record_path_matches(p, "participants/P-7K3Q2X.yaml"));
	assert_false(ps_record_path_matches(p, "volunteers/P-7K3Q2X.yaml"));
	assert_false(ps_record_path_matches(p, "participantsX/P-7K3Q2X.yaml"));
	assert_false(ps_record_path_matches(p, "participants/P-7K3Q2Y.yaml"));
	assert_false(ps_record_path_matches(p, "participants/P-7K3Q2X.yml"));
	assert_false(ps_record_path_matches(p,
	    "participants/P-7K3Q2X.yaml.bak"));
	assert_false(ps_record_path_matches(p, "participants/P-7K3Q2X"));
	assert_false(ps_record_path_matches(p,
	    "participants/x/P-7K3Q2X.yaml"));
	assert_false(ps_record_path_matches(p, "P-7K3Q2X.yaml"));
	assert_false(ps_record_path_matches(p, ""));
	assert_true(ps_record_path_matches(c,
	    "contacts/2026/04/08/C-1F6K9M.yaml"));
	assert_false(ps_record_path_matches(c,
	    "contacts/2026/04/09/C-1F6K9M.yaml"));
	assert_false(ps_record_path_matches(c,
	    "contacts/2026/05/08/C-1F6K9M.yaml"));
	assert_false(ps_record_path_matches(c,
	    "contacts/2025/04/08/C-1F6K9M.yaml"));
	assert_false(ps_record_path_matches(c, "contacts/C-1F6K9M.yaml"));
	assert_false(ps_record_path_matches(c,
	    "contacts/2026-04-08/C-1F6K9M.yaml"));
	assert_false(ps_record_path_matches(c,
	    "contacts/2026/04/08/C-1F6K9N.yaml"));
	assert_false(ps_record_path_matches(bad,
	    "participants/V-3K2J9X.yaml"));
	assert_false(ps_record_path_matches(bad, "volunteers/V-3K2J9X.yaml"));
	ps_node_free(p);
	ps_node_free(c);
	ps_node_free(bad);
}

/* Every valid fixture passes, and sits at the path its name says. */
static void
fixtures_check(void **state)
{
	static const char *const names[] = { "P-7K3Q2X", "V-3K2J9X",
	    "M-8D1Q4R", "C-1F6K9M", "G-3TK7WQ" };
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf b = PS_BUF_INIT;
	struct ps_node *n;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = fixture(names[i]);
		if (ps_record_check(set, n, names[i], &d) != 0) {
			ps_diags_print(&d, "test-record", stderr);
			fail_msg("%s refused", names[i]);
		}
		assert_int_equal(ps_record_path(n, &b), 0);
		assert_non_null(strstr(b.s, names[i]));
		ps_node_free(n);
	}
	assert_string_equal(b.s, "groups/G-3TK7WQ.yaml");
	assert_int_equal(d.n, 0);
	ps_buf_release(&b);
}

/* Not a record: one problem, at the kind or the tree. */
static void
check_refuses(const char *text, const char *msg, unsigned long line,
    unsigned long col, const char *path)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = tree(text);

	assert_int_equal(ps_record_check(set, n, "r.yaml", &d), 1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.status, PS_REFUSED);
	assert_string_equal(d.v[0].file, "r.yaml");
	assert_string_equal(d.v[0].msg, msg);
	assert_int_equal(d.v[0].line, line);
	assert_int_equal(d.v[0].col, col);
	if (path)
		assert_string_equal(d.v[0].path, path);
	else
		assert_null(d.v[0].path);
	ps_node_free(n);
	ps_diags_release(&d);
}

static void
check_not_records(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n;

	(void)state;
	check_refuses("- kind: participant\n", "a record must be a mapping",
	    1, 1, NULL);
	check_refuses("id: P-7K3Q2X\nname: x\n", "required field is missing",
	    1, 1, "kind");
	check_refuses("id: P-7K3Q2X\nkind: person\n", "must be one of: "
	    "participant, volunteer, match, contact, group", 2, 7, "kind");
	check_refuses("kind: program\nname: x\n", "must be one of: "
	    "participant, volunteer, match, contact, group", 1, 7, "kind");
	check_refuses("kind: [participant]\n", "must be one of: "
	    "participant, volunteer, match, contact, group", 1, 7, "kind");
	/* a known kind: the schema's problems, every one */
	n = tree("kind: participant\nid: p-1\nstatus: dreaming\n");
	assert_true(ps_record_check(set, n, "r.yaml", &d) >= 2);
	ps_node_free(n);
	ps_diags_release(&d);
}

/* "---" and the canonical text: a fixture's bytes. */
static void
emit_stream(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf b = PS_BUF_INIT, want = PS_BUF_INIT;
	struct ps_node *n = fixture("V-3K2J9X");
	FILE *fp;
	char chunk[4096];
	size_t k;

	(void)state;
	assert_int_equal(ps_record_check(set, n, "V", &d), 0);
	ps_buf_puts(&want, "---\n");
	fp = fopen("tests/fixtures/records/valid/V-3K2J9X.yaml", "rb");
	assert_non_null(fp);
	while ((k = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		ps_buf_add(&want, chunk, k);
	fclose(fp);
	assert_int_equal(ps_record_emit(&b, n), 0);
	assert_string_equal(b.s, want.s);
	/* appended: two records, two documents */
	assert_int_equal(ps_record_emit(&b, n), 0);
	assert_int_equal(b.len, 2 * want.len);
	assert_memory_equal(b.s + want.len, want.s, want.len);
	ps_node_free(n);
	ps_buf_release(&b);
	ps_buf_release(&want);
	ps_diags_release(&d);
}

/*
 * A summary line: the ID, the kind and the words given, nothing else of
 * the record; appended, a line each. What a write prints: the line with
 * summary, else the record as ps_record_emit() gives it.
 */
static void
summary_line(void **state)
{
	struct ps_buf b = PS_BUF_INIT, want = PS_BUF_INIT;
	struct ps_node *n = fixture("V-3K2J9X");

	(void)state;
	assert_int_equal(ps_record_summary(&b, n, "interview pass"), 0);
	assert_string_equal(b.s, "V-3K2J9X volunteer: interview pass\n");
	assert_int_equal(ps_record_written(&b, n, 1, "accepted"), 0);
	assert_string_equal(b.s, "V-3K2J9X volunteer: interview pass\n"
	    "V-3K2J9X volunteer: accepted\n");
	ps_buf_truncate(&b, 0);
	assert_int_equal(ps_record_written(&b, n, 0, "accepted"), 0);
	assert_int_equal(ps_record_emit(&want, n), 0);
	assert_string_equal(b.s, want.s);
	ps_node_free(n);
	ps_buf_release(&b);
	ps_buf_release(&want);
}

/* A status change: the status, and an entry at the end of the history
   (by whom, else the tool; a reason if given); none when the status is
   already that. The time is the caller's. */
static void
set_status(void **state)
{
	const char now[] = "2026-11-22T10:00:00-05:00";
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = fixture("P-7K3Q2X"), *h, *e;
	size_t before;

	(void)state;
	h = ps_node_get(n, "status_history");
	assert_non_null(h);
	before = h->n;
	assert_int_equal(ps_record_set_status(n, "matched", now, "A. Carey",
	    "ps-match", NULL), 0);
	assert_int_equal(h->n, before);		/* already matched */
	assert_int_equal(ps_record_set_status(n, "closed", now, "A. Carey",
	    "ps-match", "moved away"), 0);
	assert_string_equal(ps_node_get_str(n, "status"), "closed");
	assert_int_equal(h->n, before + 1);
	e = h->vals[h->n - 1];
	assert_string_equal(ps_node_get_str(e, "status"), "closed");
	assert_string_equal(ps_node_get_str(e, "date"), now);
	assert_string_equal(ps_node_get_str(e, "by"), "A. Carey");
	assert_string_equal(ps_node_get_str(e, "reason"), "moved away");
	assert_int_equal(ps_record_set_status(n, "withdrawn", now, NULL,
	    "ps-erase", NULL), 0);
	e = h->vals[h->n - 1];
	assert_string_equal(ps_node_get_str(e, "by"), "ps-erase");
	assert_null(ps_node_get(e, "reason"));
	assert_int_equal(h->n, before + 2);
	/* and the record is still one */
	if (ps_record_check(set, n, "P", &d) != 0) {
		ps_diags_print(&d, "test-record", stderr);
		fail();
	}
	ps_node_free(n);
	/* no history yet: one is made */
	n = tree("kind: participant\nid: P-7K3Q2X\nstatus: applied\n");
	assert_int_equal(ps_record_set_status(n, "waiting", now, NULL,
	    "ps-screen", NULL), 0);
	h = ps_node_get(n, "status_history");
	assert_non_null(h);
	assert_int_equal(h->type, PS_NODE_SEQ);
	assert_int_equal(h->n, 1);
	assert_string_equal(ps_node_get_str(n, "status_history.0.status"),
	    "waiting");
	/* nor a status */
	ps_node_free(n);
	n = tree("kind: participant\nid: P-7K3Q2X\n");
	assert_int_equal(ps_record_set_status(n, "applied", now, "x", "t",
	    NULL), 0);
	assert_string_equal(ps_node_get_str(n, "status"), "applied");
	assert_string_equal(ps_node_get_str(n, "status_history.0.by"), "x");
	ps_node_free(n);
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(kind_and_id),
		cmocka_unit_test(store_paths),
		cmocka_unit_test(no_store_path),
		cmocka_unit_test(path_matches),
		cmocka_unit_test(fixtures_check),
		cmocka_unit_test(check_not_records),
		cmocka_unit_test(emit_stream),
		cmocka_unit_test(summary_line),
		cmocka_unit_test(set_status),
	};

	return cmocka_run_group_tests_name("record", tests, setup, teardown);
}
