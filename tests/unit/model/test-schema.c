/*
 * Unit tests: the schema validator (lib/model/schema.c) on the fixtures, which
 * tests/schema-agree.py also runs through a standard validator.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/record.h"
#include "model/schema.h"
#include "model/yaml.h"

static struct ps_schemas *set;

static int
setup(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	if (ps_schemas_load(&set, "schemas", &d) != 0)
		return -1;
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

static void
valid_fixtures_pass(void **state)
{
	const char *dir = "tests/fixtures/records/valid";
	struct ps_diags d = PS_DIAGS_INIT;
	struct dirent **list;
	struct ps_node *n;
	char path[512];
	int i, cnt, seen = 0;

	(void)state;
	cnt = scandir(dir, &list, NULL, alphasort);
	for (i = 0; i < cnt; i++) {
		if (strstr(list[i]->d_name, ".yaml")) {
			snprintf(path, sizeof(path), "%s/%s", dir,
			    list[i]->d_name);
			assert_int_equal(ps_yaml_load_file(&n, path, NULL, 0,
			    &d), 0);
			if (ps_record_check(set, n, path, &d) != 0) {
				ps_diags_print(&d, "test-schema", stderr);
				fail_msg("%s should be valid", path);
			}
			seen++;
			ps_node_free(n);
		}
		free(list[i]);
	}
	free(list);
	assert_true(seen >= 20);
	ps_diags_release(&d);
}

/* Is this "unknown field" at the mapping that holds field? */
static int
unknown_at(const struct ps_diag *x, const char *field)
{
	const char *dot = strrchr(field, '.');
	size_t n = dot ? (size_t)(dot - field) : 0;

	if (strcmp(x->msg, PS_DIAG_UNKNOWN_FIELD) != 0 || x->line == 0)
		return 0;
	if (n == 0)
		return x->path == NULL;
	return x->path && strlen(x->path) == n &&
	    strncmp(x->path, field, n) == 0;
}

static void
invalid_fixtures_fail_at_their_field(void **state)
{
	FILE *fp = fopen("tests/fixtures/records/invalid/EXPECT", "r");
	char line[512], path[600], kind[64], *tab, *nl;
	int seen = 0;

	(void)state;
	assert_non_null(fp);
	while (fgets(line, sizeof(line), fp)) {
		struct ps_diags d = PS_DIAGS_INIT;
		struct ps_node *n = NULL;
		size_t i, found = 0;

		if ((tab = strchr(line, '\t')) == NULL)
			continue;
		*tab++ = '\0';
		if ((nl = strchr(tab, '\n')) != NULL)
			*nl = '\0';
		snprintf(path, sizeof(path), "tests/fixtures/records/invalid/%s",
		    line);
		/* the schema named by the file's first word, as the
		   standard validator in schema-agree.py does */
		snprintf(kind, sizeof(kind), "%.*s", (int)strcspn(line, "-"),
		    line);
		assert_non_null(ps_schemas_get(set, kind));
		if (ps_yaml_load_file(&n, path, line, 0, &d) == 0 &&
		    ps_schema_validate(ps_schemas_get(set, kind), n, line,
		    &d) == 0)
			fail_msg("%s should be refused", line);
		for (i = 0; i < d.n; i++)
			/* at the field, or an item in it (uniqueItems); an
			   unknown field under its mapping's path, its key
			   being input that no message repeats */
			if ((d.v[i].path && strncmp(d.v[i].path, tab,
			    strlen(tab)) == 0 && (d.v[i].path[strlen(tab)] ==
			    '\0' || d.v[i].path[strlen(tab)] == '.') &&
			    d.v[i].line > 0) || unknown_at(&d.v[i], tab))
				found++;
		if (found == 0) {
			ps_diags_print(&d, "test-schema", stderr);
			fail_msg("%s: no error at %s", line, tab);
		}
		seen++;
		ps_node_free(n);
		ps_diags_release(&d);
	}
	fclose(fp);
	assert_true(seen >= 20);
}

static void
sensitive_and_redact(void **state)
{
	const struct ps_schema *p = ps_schemas_get(set, "participant");
	const struct ps_schema *v = ps_schemas_get(set, "volunteer");
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;

	(void)state;
	assert_true(ps_schema_sensitive(p, "name.first"));
	assert_true(ps_schema_sensitive(p, "contact.email"));
	assert_true(ps_schema_sensitive(p, "context"));
	assert_false(ps_schema_sensitive(p, "stream"));
	assert_false(ps_schema_sensitive(p, "languages.0"));
	assert_true(ps_schema_sensitive(v,
	    "screening.steps.0.referee_contact"));
	assert_non_null(ps_schema_at(v, "public_profile.bio"));
	assert_int_equal(ps_yaml_load_file(&n,
	    "tests/fixtures/records/valid/P-7K3Q2X.yaml", NULL, 0, &d), 0);
	assert_int_equal(ps_record_check(set, n, "p", &d), 0);
	assert_int_equal(ps_schema_redact(p, n), 0);
	assert_null(ps_node_get(n, "name"));
	assert_null(ps_node_get(n, "contact.email"));
	assert_non_null(ps_node_get(n, "stream"));
	ps_node_free(n);
	ps_diags_release(&d);
}

/* The one problem validation found: its path and message. */
static void
one_problem(struct ps_diags *d, const char *path, const char *msg)
{
	if (d->n != 1) {
		ps_diags_print(d, "test-schema", stderr);
		fail_msg("%zu problems, want 1", d->n);
	}
	assert_string_equal(d->v[0].path, path);
	assert_string_equal(d->v[0].msg, msg);
	ps_diags_release(d);
}

/*
 * Text in an x-public field, or in a field within one, is refused when it
 * looks like contact details; the same text elsewhere (the volunteer's
 * own contact details, a private note) is not.
 */
static void
public_text_carries_no_contact_details(void **state)
{
	const struct ps_schema *v = ps_schemas_get(set, "volunteer");
	const char *text = "note: see www.example.org\n"
	    "profile: {links: [gardening, \"@ada\"]}\n";
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_schema *s = NULL;
	struct ps_node *n = NULL;
	char path[] = "/tmp/test-schema-XXXXXX";
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(ps_yaml_load_file(&n,
	    "tests/fixtures/records/valid/V-3K2J9X.yaml", NULL, 0, &d), 0);
	assert_non_null(ps_node_get_str(n, "contact.phone"));
	assert_int_equal(ps_schema_validate(v, n, "v", &d), 0);
	assert_int_equal(ps_node_set_str(n, "experience_details",
	    "call 613-555-0145"), 0);
	assert_int_equal(ps_schema_validate(v, n, "v", &d), 0);
	assert_int_equal(ps_node_set_str(n, "public_profile.bio",
	    "Call me on +1 999 555 0145"), 0);
	assert_int_equal(ps_schema_validate(v, n, "v", &d), 1);
	one_problem(&d, "public_profile.bio", "looks like contact details "
	    "(a phone number); a public profile must not carry them");
	ps_node_free(n);
	/* a field within an x-public one, with no mark of its own */
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	fputs("type: object\nproperties:\n"
	    "  profile:\n    type: object\n    x-public: true\n"
	    "    properties:\n      links: {type: array, items: "
	    "{type: string}}\n"
	    "  note: {type: string}\n", f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(ps_schema_load(&s, path, &d), 0);
	unlink(path);
	assert_int_equal(ps_yaml_load_mem(&n, text, strlen(text), "t", &d),
	    0);
	assert_int_equal(ps_schema_validate(s, n, "t", &d), 1);
	one_problem(&d, "profile.links.1", "looks like contact details "
	    "(a social media handle); a public profile must not carry them");
	ps_node_free(n);
	ps_schema_free(s);
}

/*
 * No message repeats a value or a key of the record: an unknown key, an
 * enum, a pattern, a date, a number, a type, each holding a canary, are
 * named by their place and path alone.
 */
static void
messages_never_repeat_values(void **state)
{
	static const char rec[] =
	    "kind: contact\n"
	    "id: CANARY-id\n"
	    "type: CANARY-type\n"
	    "date: CANARY-date\n"
	    "mode: CANARY-mode\n"
	    "minutes: CANARY-minutes\n"
	    "flag: {type: CANARY-flag, CANARY-key: x, referral: CANARY}\n"
	    "CANARY-top: CANARY-value\n";
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;
	size_t i;

	(void)state;
	assert_int_equal(ps_yaml_load_mem(&n, rec, sizeof(rec) - 1, "c",
	    &d), 0);
	assert_int_equal(ps_schema_validate(ps_schemas_get(set, "contact"),
	    n, "c", &d), 10);
	for (i = 0; i < d.n; i++) {
		assert_true(d.v[i].line > 0);
		assert_null(strstr(d.v[i].msg, "CANARY"));
		assert_true(d.v[i].path == NULL ||
		    strstr(d.v[i].path, "CANARY") == NULL);
	}
	/* the unknown keys: at the key, under the mapping's path */
	assert_string_equal(d.v[7].msg, PS_DIAG_UNKNOWN_FIELD);
	assert_string_equal(d.v[7].path, "flag");
	assert_int_equal(d.v[7].col, 27);
	assert_string_equal(d.v[9].msg, PS_DIAG_UNKNOWN_FIELD);
	assert_null(d.v[9].path);
	assert_int_equal(d.v[9].line, 8);
	ps_node_free(n);
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_fixtures_pass),
		cmocka_unit_test(invalid_fixtures_fail_at_their_field),
		cmocka_unit_test(sensitive_and_redact),
		cmocka_unit_test(public_text_carries_no_contact_details),
		cmocka_unit_test(messages_never_repeat_values),
	};

	return cmocka_run_group_tests_name("schema", tests, setup, teardown);
}
