/*
 * Unit tests: an application's forms and the programme's rules
 * (lib/rules/application.c). Normalising: blanks, case, language codes
 * and the phone number's one form, the applicant's own words left as
 * typed, a phone number that is not one refused at its position. The
 * rules, on one programme of two streams (extended takes living-with and
 * caregiver; group asks the pledge) whose privacy notice is at version
 * 2026-01 and whose pledge, at 2026-02, volunteers must agree to: a
 * stream and role of the programme, the consents in their current
 * version, each problem once, never quoting the value given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "model/yaml.h"
#include "rules/application.h"

static const char program_text[] =
    "kind: program\n"
    "streams:\n"
    "  extended:\n"
    "    type: ongoing\n"
    "    roles: [living-with, caregiver]\n"
    "  group:\n"
    "    type: drop-in\n"
    "    pledge_required: true\n"
    "consents:\n"
    "  pledge:\n"
    "    version: \"2026-02\"\n"
    "    required_for: [volunteer]\n"
    "  privacy:\n"
    "    version: \"2026-01\"\n";

static const char privacy[] =
    "consents:\n"
    "  - type: privacy\n"
    "    version: \"2026-01\"\n"
    "    given: true\n";

static struct ps_node *
load(const char *text)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;

	if (ps_yaml_load_mem(&n, text, strlen(text), "apps.yaml", &d) != 0)
		ps_diags_print(&d, "test-application", stderr);
	assert_non_null(n);
	ps_diags_release(&d);
	return n;
}

/* Diagnostic i: at line:col, of path, saying msg. */
static void
diag_is(const struct ps_diags *d, size_t i, unsigned long line,
    unsigned long col, const char *path, const char *msg)
{
	if (i >= d->n)
		ps_diags_print(d, "test-application", stderr);
	assert_true(i < d->n);
	assert_int_equal(d->v[i].status, PS_REFUSED);
	assert_string_equal(d->v[i].file, "apps.yaml");
	assert_int_equal(d->v[i].line, line);
	assert_int_equal(d->v[i].col, col);
	if (path)
		assert_string_equal(d->v[i].path, path);
	else
		assert_null(d->v[i].path);
	assert_string_equal(d->v[i].msg, msg);
}

/* The phone number a record's contact.phone becomes; NULL if refused. */
static char *
phone(const char *typed)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *rec = ps_node_new_map();
	char *out = NULL;
	size_t bad;

	assert_int_equal(ps_node_set_str(rec, "contact.phone", typed), 0);
	bad = ps_application_normalise(rec, "apps.yaml", &d);
	assert_int_equal(bad, d.n);
	if (bad == 0)
		out = strdup(ps_node_get_str(rec, "contact.phone"));
	else
		assert_string_equal(ps_node_get_str(rec, "contact.phone"),
		    typed);
	ps_node_free(rec);
	ps_diags_release(&d);
	return out;
}

static void
phone_is(const char *typed, const char *want)
{
	char *got = phone(typed);

	if (want == NULL) {
		assert_null(got);
		return;
	}
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

/* Blanks, case and language codes; the applicant's words as typed. */
static void
normalise_fields(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *rec = load(
	    "kind: participant\n"
	    "name:\n"
	    "  first: \"  Lou \"\n"
	    "  last: \"Martin\\t\"\n"
	    "contact:\n"
	    "  email: \" Lou.Martin@Example.ORG \"\n"
	    "  phone: \"613-555-0142\"\n"
	    "  address:\n"
	    "    region: \" on\"\n"
	    "region: qc\n"
	    "stream: \" extended \"\n"
	    "languages: [\" EN \", Fr]\n"
	    "context: \"  In my own words.  \"\n");

	(void)state;
	assert_int_equal(ps_application_normalise(rec, "apps.yaml", &d), 0);
	assert_int_equal(d.n, 0);
	assert_string_equal(ps_node_get_str(rec, "name.first"), "Lou");
	assert_string_equal(ps_node_get_str(rec, "name.last"), "Martin");
	assert_string_equal(ps_node_get_str(rec, "contact.email"),
	    "lou.martin@example.org");
	assert_string_equal(ps_node_get_str(rec, "contact.phone"),
	    "+1 613 555 0142");
	/* the rebuilt phone keeps the typed one's position */
	assert_int_equal(ps_node_get(rec, "contact.phone")->line, 7);
	assert_int_equal(ps_node_get(rec, "contact.phone")->col, 10);
	assert_string_equal(ps_node_get_str(rec, "contact.address.region"),
	    "ON");
	assert_string_equal(ps_node_get_str(rec, "region"), "QC");
	assert_string_equal(ps_node_get_str(rec, "stream"), "extended");
	assert_string_equal(ps_node_get_str(rec, "languages.0"), "en");
	assert_string_equal(ps_node_get_str(rec, "languages.1"), "fr");
	assert_string_equal(ps_node_get_str(rec, "context"),
	    "  In my own words.  ");
	ps_node_free(rec);
	ps_diags_release(&d);
}

/* One form for a phone number; what is not one is refused. */
static void
normalise_phone(void **state)
{
	(void)state;
	phone_is("6135550142", "+1 613 555 0142");
	phone_is("1 (613) 555.0142", "+1 613 555 0142");
	phone_is("+1 613-555-0142 ext. 12", "+1 613 555 0142 x12");
	phone_is("613 555 0142 x 7", "+1 613 555 0142 x7");
	phone_is("+44 20 7946 0958", "+442079460958");
	phone_is("call me", NULL);
	phone_is("555 0142", NULL);
	phone_is("613 555 0142 x", NULL);
	phone_is("+1234567", NULL);
	phone_is("2079460958 x1 x2", NULL);
}

static void
normalise_refused(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *rec = load(
	    "kind: volunteer\n"
	    "contact:\n"
	    "  email: A@B.C\n"
	    "  phone: call me after six\n");

	(void)state;
	assert_int_equal(ps_application_normalise(rec, "apps.yaml", &d), 1);
	assert_int_equal(d.n, 1);
	diag_is(&d, 0, 4, 10, "contact.phone", "not a phone number: give ten "
	    "digits, or + and the country code");
	/* the rest is normalised all the same */
	assert_string_equal(ps_node_get_str(rec, "contact.email"), "a@b.c");
	ps_node_free(rec);
	ps_diags_release(&d);
}

/* A participant of the programme's stream and role, privacy notice
   agreed to in its version: nothing to say. */
static void
check_accepts(void **state)
{
	struct ps_node *prog = load(program_text);
	struct ps_node *rec = load(
	    "kind: participant\n"
	    "stream: extended\n"
	    "role: caregiver\n"
	    "consents:\n"
	    "  - type: privacy\n"
	    "    version: \"2026-01\"\n"
	    "    given: true\n");
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	assert_int_equal(ps_application_check(prog, rec, "apps.yaml", 0, &d),
	    0);
	assert_int_equal(d.n, 0);
	ps_node_free(rec);
	ps_node_free(prog);
	ps_diags_release(&d);
}

/* A stream or role not of the programme: named by the programme's
   streams and roles, not by the value; once, if already reported. */
static void
check_stream_and_role(void **state)
{
	struct ps_node *prog = load(program_text), *rec;
	struct ps_diags d = PS_DIAGS_INIT;
	char text[256];

	(void)state;
	snprintf(text, sizeof(text), "kind: participant\nstream: my secret\n"
	    "%s", privacy);
	rec = load(text);
	assert_int_equal(ps_application_check(prog, rec, "apps.yaml", 0, &d),
	    1);
	assert_int_equal(d.n, 1);
	diag_is(&d, 0, 2, 9, "stream", "not a stream of this programme (it "
	    "has: extended, group)");
	/* the schema said it already, since from: not again */
	assert_int_equal(ps_application_check(prog, rec, "apps.yaml", 0, &d),
	    0);
	assert_int_equal(d.n, 1);
	ps_node_free(rec);
	ps_diags_release(&d);

	snprintf(text, sizeof(text), "kind: participant\nstream: extended\n"
	    "role: my own words\n%s", privacy);
	rec = load(text);
	assert_int_equal(ps_application_check(prog, rec, "apps.yaml", 0, &d),
	    1);
	diag_is(&d, 0, 3, 7, "role", "stream \"extended\" does not take this "
	    "role (it takes: living-with, caregiver)");
	ps_node_free(rec);
	ps_diags_release(&d);

	/* a volunteer's streams, each */
	snprintf(text, sizeof(text), "kind: volunteer\n"
	    "streams: [extended, secret, group]\n"
	    "consents:\n"
	    "  - type: pledge\n"
	    "    version: \"2026-02\"\n"
	    "    given: true\n"
	    "  - type: privacy\n"
	    "    version: \"2026-01\"\n"
	    "    given: true\n");
	rec = load(text);
	assert_int_equal(ps_application_check(prog, rec, "apps.yaml", 0, &d),
	    1);
	assert_int_equal(d.n, 1);
	diag_is(&d, 0, 2, 21, "streams.1", "not a stream of this programme "
	    "(it has: extended, group)");
	ps_node_free(rec);
	ps_node_free(prog);
	ps_diags_release(&d);
}

/* The consents the programme asks, in their current version: missing
   (or not given), or agreed to in an older one. */
static void
check_consents(void **state)
{
	struct ps_node *prog = load(program_text), *rec;
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	rec = load("kind: participant\n"
	    "stream: extended\n"
	    "consents:\n"
	    "  - type: privacy\n"
	    "    version: \"2026-01\"\n"
	    "    given: false\n");
	assert_int_equal(ps_application_check(prog, rec, "apps.yaml", 0, &d),
	    1);
	diag_is(&d, 0, 1, 1, "consents", "the privacy notice (version "
	    "2026-01) must be agreed to");
	ps_node_free(rec);
	ps_diags_release(&d);

	/* the group stream asks the pledge too; the privacy notice is old */
	rec = load("kind: participant\n"
	    "stream: group\n"
	    "consents:\n"
	    "  - type: privacy\n"
	    "    version: \"2025-06\"\n"
	    "    given: true\n");
	assert_int_equal(ps_application_check(prog, rec, "apps.yaml", 0, &d),
	    2);
	assert_int_equal(d.n, 2);
	diag_is(&d, 0, 1, 1, "consents", "the confidentiality pledge (version "
	    "2026-02) must be agreed to");
	diag_is(&d, 1, 5, 14, "consents.0.version", "the privacy notice "
	    "agreed to is not the current version (2026-01)");
	ps_node_free(rec);
	ps_diags_release(&d);

	/* volunteers agree to the pledge, whatever their streams */
	rec = load("kind: volunteer\n"
	    "streams: [extended]\n"
	    "consents:\n"
	    "  - type: privacy\n"
	    "    version: \"2026-01\"\n"
	    "    given: true\n");
	assert_int_equal(ps_application_check(prog, rec, "apps.yaml", 0, &d),
	    1);
	diag_is(&d, 0, 1, 1, "consents", "the confidentiality pledge (version "
	    "2026-02) must be agreed to");
	ps_node_free(rec);
	ps_node_free(prog);
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(normalise_fields),
		cmocka_unit_test(normalise_phone),
		cmocka_unit_test(normalise_refused),
		cmocka_unit_test(check_accepts),
		cmocka_unit_test(check_stream_and_role),
		cmocka_unit_test(check_consents),
	};

	return cmocka_run_group_tests_name("application", tests, NULL, NULL);
}
