/*
 * Unit tests: a programme's configuration (lib/model/program.c): the
 * examples' program.yaml load; a broken copy of one is refused with
 * every problem at its line, the schema's and the checks beyond it
 * together; and the accessors. The schemas are $PS_SCHEMA_DIR's
 * (tests/run.sh sets it), else schemas/ (the tests run from the top).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/date.h"
#include "model/program.h"
#include "model/yaml.h"

static struct ps_schemas *set;

static int
setup(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	setenv("PS_SCHEMA_DIR", "schemas", 0);
	if (ps_schemas_load(&set, NULL, &d) != 0) {
		ps_diags_print(&d, "test-program", stderr);
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

static long
day(const char *s)
{
	struct ps_date d;

	assert_int_equal(ps_date_parse(s, &d), 0);
	return ps_date_days(&d);
}

static char *
slurp(const char *path)
{
	struct ps_buf b = PS_BUF_INIT;
	FILE *fp = fopen(path, "rb");
	char chunk[4096];
	size_t n;

	assert_non_null(fp);
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		assert_int_equal(ps_buf_add(&b, chunk, n), 0);
	fclose(fp);
	return ps_buf_detach(&b);
}

/* Replace the one place of from in *text by to. */
static void
edit(char **text, const char *from, const char *to)
{
	struct ps_buf b = PS_BUF_INIT;
	char *at = strstr(*text, from);

	if (at == NULL)
		fail_msg("not in the example: %s", from);
	assert_null(strstr(at + 1, from));
	ps_buf_add(&b, *text, (size_t)(at - *text));
	ps_buf_puts(&b, to);
	ps_buf_puts(&b, at + strlen(from));
	free(*text);
	*text = ps_buf_detach(&b);
}

/* The line and column where s begins in text (1-based). */
static void
position(const char *text, const char *s, unsigned long *line,
    unsigned long *col)
{
	const char *at = strstr(text, s), *p;

	assert_non_null(at);
	*line = 1;
	*col = 1;
	for (p = text; p < at; p++) {
		if (*p == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

static void
examples_load(void **state)
{
	static const char *const files[] = {
	    "examples/ms-society/program.yaml",
	    "examples/caregiver/program.yaml",
	    "examples/mental-health/program.yaml",
	    "tests/fixtures/canary/program.yaml",
	};
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *p;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		p = (struct ps_node *)1;
		if (ps_program_load(&p, set, files[i], "program.yaml", &d)
		    != 0) {
			ps_diags_print(&d, "test-program", stderr);
			fail_msg("%s refused", files[i]);
		}
		assert_non_null(p);
		assert_string_equal(ps_node_get_str(p, "kind"), "program");
		assert_int_equal(ps_program_check(p, "program.yaml", &d), 0);
		ps_node_free(p);
	}
	assert_int_equal(d.n, 0);
}

/* The MS Society's programme: its streams, days and holidays. */
static void
accessors(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	const struct ps_node *s;
	struct ps_node *p = NULL;

	(void)state;
	assert_int_equal(ps_program_load(&p, set,
	    "examples/ms-society/program.yaml", "program.yaml", &d), 0);
	s = ps_program_stream(p, "extended");
	assert_non_null(s);
	assert_string_equal(ps_node_get_str(s, "type"), "ongoing");
	s = ps_program_stream(p, "onecall");
	assert_non_null(s);
	assert_string_equal(ps_node_get_str(s, "type"), "single-call");
	assert_null(ps_program_stream(p, "group"));
	assert_null(ps_program_stream(p, ""));
	assert_int_equal(ps_program_business_days(p), 0x1f);
	/* Thursday + 2: over Christmas (Friday) and the Monday holiday */
	assert_int_equal(ps_program_add_business(p, day("2026-12-24"), 2),
	    day("2026-12-30"));
	/* Tuesday + 1: over Canada Day */
	assert_int_equal(ps_program_add_business(p, day("2026-06-30"), 1),
	    day("2026-07-02"));
	/* Friday + 3: over the weekend only */
	assert_int_equal(ps_program_add_business(p, day("2026-11-20"), 3),
	    day("2026-11-25"));
	ps_node_free(p);
	ps_diags_release(&d);
}

/* A programme from text, validated with the schema. */
static struct ps_node *
program(const char *text)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *p = NULL;

	assert_int_equal(ps_yaml_load_mem(&p, text, strlen(text), "p.yaml",
	    &d), 0);
	if (ps_schema_validate(ps_schemas_get(set, "program"), p, "p.yaml",
	    &d) != 0) {
		ps_diags_print(&d, "test-program", stderr);
		fail_msg("not a valid programme:\n%s", text);
	}
	ps_diags_release(&d);
	return p;
}

#define HEAD	"kind: program\nname: Test\ntimezone: America/Toronto\n" \
		"streams:\n  extended:\n    type: ongoing\n"

/* business_days as a mask, Monday bit 0; no list is Monday-Friday. */
static void
business_days(void **state)
{
	struct ps_node *p;

	(void)state;
	p = program(HEAD);
	assert_int_equal(ps_program_business_days(p), 0x1f);
	assert_int_equal(ps_program_add_business(p, day("2026-12-24"), 2),
	    day("2026-12-28"));		/* no holidays */
	ps_node_free(p);
	p = program(HEAD "business_days: [tue, thu]\n");
	assert_int_equal(ps_program_business_days(p), 0x0a);
	/* Friday + 1: the Tuesday after */
	assert_int_equal(ps_program_add_business(p, day("2026-11-20"), 1),
	    day("2026-11-24"));
	ps_node_free(p);
	p = program(HEAD "business_days: [sat, sun]\n"
	    "holidays: [2026-11-22]\n");
	assert_int_equal(ps_program_business_days(p), 0x60);
	/* Friday + 2: Saturday, (not the Sunday holiday), Saturday */
	assert_int_equal(ps_program_add_business(p, day("2026-11-20"), 2),
	    day("2026-11-28"));
	ps_node_free(p);
}

/* One problem: refused with msg at line:col and path. */
static void
check_refuses(const char *text, const char *msg, unsigned long line,
    unsigned long col, const char *path)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *p = program(text);

	assert_int_equal(ps_program_check(p, "program.yaml", &d), 1);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.status, PS_REFUSED);
	assert_string_equal(d.v[0].file, "program.yaml");
	assert_string_equal(d.v[0].msg, msg);
	assert_int_equal(d.v[0].line, line);
	assert_int_equal(d.v[0].col, col);
	assert_string_equal(d.v[0].path, path);
	ps_node_free(p);
	ps_diags_release(&d);
}

static void
checks_beyond_the_schema(void **state)
{
	static const char repeat[] = HEAD "holidays: [2026-01-01, 2026-01-01]\n";
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *p;

	(void)state;
	check_refuses("kind: program\nname: Test\ntimezone: Mars/Olympus\n"
	    "streams: {}\n", "no such time zone on this system (e.g. "
	    "America/Toronto)", 3, 11, "timezone");
	check_refuses(HEAD "holidays:\n  - 2026-12-25\n  - 2026-01-01\n",
	    "must be in date order without repeats", 9, 5, "holidays");
	/* a repeat (which the schema refuses too: uniqueItems) */
	p = NULL;
	assert_int_equal(ps_yaml_load_mem(&p, repeat, sizeof(repeat) - 1,
	    "p.yaml", &d), 0);
	assert_int_equal(ps_program_check(p, "program.yaml", &d), 1);
	assert_string_equal(d.v[0].msg, "must be in date order without "
	    "repeats");
	assert_int_equal(d.v[0].line, 7);
	assert_int_equal(d.v[0].col, 24);
	ps_node_free(p);
	ps_diags_release(&d);
	/* the first out of order only */
	check_refuses(HEAD "holidays: [2026-01-02, 2026-01-01, 2025-01-01]\n",
	    "must be in date order without repeats", 7, 24, "holidays");
	check_refuses(HEAD "volunteers:\n  screening:\n"
	    "    - step: interview\n      requires: [application]\n"
	    "    - step: application\n",
	    "names no earlier step", 10, 18,
	    "volunteers.screening.0.requires.0");
	/* a step cannot require itself */
	check_refuses(HEAD "participants:\n  onboarding:\n"
	    "    - step: call\n    - step: visit\n"
	    "      requires:\n        - call\n        - visit\n",
	    "names no earlier step", 13, 11,
	    "participants.onboarding.1.requires.1");
	/* all of them at once */
	p = program("kind: program\nname: Test\ntimezone: Nowhere/Else\n"
	    "streams: {}\nholidays: [2026-02-01, 2026-01-01]\n"
	    "volunteers:\n  screening:\n    - step: a\n      requires: [b, c]\n"
	    "    - step: b\n");
	assert_int_equal(ps_program_check(p, "program.yaml", &d), 4);
	assert_int_equal(d.n, 4);
	ps_node_free(p);
	ps_diags_release(&d);
	/* steps in order and holidays in order pass */
	p = program(HEAD "holidays: [2026-01-01, 2026-01-02]\n"
	    "volunteers:\n  screening:\n    - step: a\n    - step: b\n"
	    "      requires: [a]\n    - step: c\n      requires: [a, b]\n");
	assert_int_equal(ps_program_check(p, "program.yaml", &d), 0);
	assert_int_equal(d.n, 0);
	ps_node_free(p);
}

/*
 * A copy of the MS Society's program.yaml, broken four ways (a zone
 * that is not one, holidays out of order, a step that requires a later
 * one, a field of the wrong type): refused, nothing returned, and each
 * problem reported at its line and column.
 */
static void
invalid_copy_refused(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *p = (struct ps_node *)1;
	char path[PATH_MAX];
	const char *t = getenv("TMPDIR");
	unsigned long line, col;
	char *text = slurp("examples/ms-society/program.yaml");
	size_t i, found = 0;
	int fd;

	(void)state;
	edit(&text, "timezone: America/Toronto\n", "timezone: Europe/Atlantis\n");
	edit(&text, "  - 2026-09-30\n  - 2026-10-12\n",
	    "  - 2026-10-12\n  - 2026-09-30\n");
	edit(&text, "      requires:\n        - application\n",
	    "      requires:\n        - training\n");
	edit(&text, "  closed_years: 7\n", "  closed_years: seven\n");
	snprintf(path, sizeof(path), "%s/ps-test-program.XXXXXX",
	    t && *t ? t : "/tmp");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	assert_int_equal(ps_program_load(&p, set, path, "program.yaml", &d),
	    PS_REFUSED);
	unlink(path);
	assert_null(p);
	assert_int_equal(d.status, PS_REFUSED);
	for (i = 0; i < d.n; i++) {
		const struct ps_diag *x = &d.v[i];

		assert_string_equal(x->file, "program.yaml");
		assert_non_null(x->path);
		if (strcmp(x->path, "timezone") == 0) {
			position(text, "Europe/Atlantis", &line, &col);
			assert_int_equal(x->line, line);
			assert_int_equal(x->col, col);
			found |= 1;
		} else if (strcmp(x->path, "holidays") == 0) {
			position(text, "2026-09-30", &line, &col);
			assert_int_equal(x->line, line);
			assert_int_equal(x->col, col);
			found |= 2;
		} else if (strcmp(x->path,
		    "volunteers.screening.1.requires.0") == 0) {
			position(text, "- training", &line, &col);
			assert_int_equal(x->line, line);
			assert_int_equal(x->col, col + 2);
			found |= 4;
		} else if (strcmp(x->path, "retention.closed_years") == 0) {
			position(text, "seven", &line, &col);
			assert_int_equal(x->line, line);
			assert_int_equal(x->col, col);
			found |= 8;
		} else {
			ps_diags_print(&d, "test-program", stderr);
			fail_msg("unexpected problem at %s", x->path);
		}
	}
	assert_int_equal(found, 15);
	free(text);
	ps_diags_release(&d);
}

/* No such file (bad input, not a failing disk), a folder, a record. */
static void
unreadable_files(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *p = (struct ps_node *)1;

	(void)state;
	assert_int_equal(ps_program_load(&p, set,
	    "tests/fixtures/no-such-program.yaml", "program.yaml", &d),
	    PS_REFUSED);
	assert_null(p);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].file, "program.yaml");
	assert_non_null(strstr(d.v[0].msg, "cannot open"));
	ps_diags_release(&d);
	p = (struct ps_node *)1;
	assert_int_equal(ps_program_load(&p, set, "examples", "program.yaml",
	    &d), PS_REFUSED);
	assert_null(p);
	assert_string_equal(d.v[0].msg, "not a regular file");
	ps_diags_release(&d);
	/* a record, not a programme */
	p = (struct ps_node *)1;
	assert_int_equal(ps_program_load(&p, set,
	    "tests/fixtures/records/valid/P-7K3Q2X.yaml", "program.yaml", &d),
	    PS_REFUSED);
	assert_null(p);
	assert_true(d.n >= 1);
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(examples_load),
		cmocka_unit_test(accessors),
		cmocka_unit_test(business_days),
		cmocka_unit_test(checks_beyond_the_schema),
		cmocka_unit_test(invalid_copy_refused),
		cmocka_unit_test(unreadable_files),
	};

	return cmocka_run_group_tests_name("program", tests, setup, teardown);
}
