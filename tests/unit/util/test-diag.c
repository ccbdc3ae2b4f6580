/* Unit tests: errors as values, and how they are printed (lib/util/diag.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/diag.h"

/* What ps_diags_print() writes for d, as a string the caller frees. */
static char *
printed(const struct ps_diags *d, const char *tool)
{
	char *s = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&s, &len);

	assert_non_null(fp);
	ps_diags_print(d, tool, fp);
	assert_int_equal(fclose(fp), 0);
	return s;
}

static void
expect_printed(const struct ps_diags *d, const char *want)
{
	char *got = printed(d, "ps-test");

	assert_string_equal(got, want);
	free(got);
}

/* Each diagnostic keeps its status, position, field path and message. */
static void
add_keeps_everything(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	assert_int_equal(ps_diag_add(&d, PS_REFUSED, "apps.yaml", 12, 5,
	    "email", "not a valid %s", "address"), PS_REFUSED);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].status, PS_REFUSED);
	assert_string_equal(d.v[0].file, "apps.yaml");
	assert_int_equal(d.v[0].line, 12);
	assert_int_equal(d.v[0].col, 5);
	assert_string_equal(d.v[0].path, "email");
	assert_string_equal(d.v[0].msg, "not a valid address");
	assert_int_equal(d.status, PS_REFUSED);
	assert_int_equal(d.errors, 1);
	assert_int_equal(d.oom, 0);
	/* no file, no path; an empty path is no path */
	ps_diag_add(&d, PS_REFUSED, NULL, 0, 0, NULL, "plain");
	ps_diag_add(&d, PS_REFUSED, "f", 0, 0, "", "no path");
	assert_null(d.v[1].file);
	assert_null(d.v[1].path);
	assert_null(d.v[2].path);
	assert_int_equal(d.n, 3);
	ps_diags_release(&d);
	assert_null(d.v);
	assert_int_equal(d.n, 0);
	assert_int_equal(d.status, 0);
	assert_int_equal(d.errors, 0);
	ps_diags_release(&d);	/* twice: harmless */
}

/* d.status is the worst added; warnings are not errors. */
static void
worst_status_and_error_count(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	assert_int_equal(ps_diag_warn(&d, "just %d warning", 1), 0);
	assert_int_equal(d.status, PS_OK);
	assert_int_equal(d.errors, 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].status, 0);
	assert_int_equal(ps_diag_err(&d, PS_STORE, "disk %s", "full"),
	    PS_STORE);
	assert_int_equal(ps_diag_err(&d, PS_REFUSED, "bad"), PS_REFUSED);
	assert_int_equal(ps_diag_err(&d, PS_USAGE, "usage"), PS_USAGE);
	assert_int_equal(d.status, PS_STORE);	/* not lowered */
	assert_int_equal(d.errors, 3);
	assert_int_equal(d.n, 4);
	assert_string_equal(d.v[1].msg, "disk full");
	assert_null(d.v[1].file);
	assert_int_equal(d.v[1].line, 0);
	ps_diags_release(&d);
}

static void
nomem_is_a_store_error(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	assert_int_equal(ps_diag_nomem(&d), PS_STORE);
	assert_int_equal(d.status, PS_STORE);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.v[0].msg, "out of memory");
	ps_diags_release(&d);
}

/* Many diagnostics (a validator reports every problem), all in order. */
static void
many_in_order(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	char want[32];
	size_t i;

	(void)state;
	for (i = 0; i < 1000; i++)
		ps_diag_add(&d, PS_REFUSED, "f", i + 1, 1, NULL, "problem %zu",
		    i);
	assert_int_equal(d.n, 1000);
	assert_int_equal(d.errors, 1000);
	for (i = 0; i < 1000; i++) {
		snprintf(want, sizeof(want), "problem %zu", i);
		assert_string_equal(d.v[i].msg, want);
		assert_int_equal(d.v[i].line, i + 1);
	}
	ps_diags_release(&d);
}

/* The one message format: "tool: file:line:col: path: msg". */
static void
print_format(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	expect_printed(&d, "");
	ps_diag_add(&d, PS_REFUSED, "apps.yaml", 12, 5, "email",
	    "not a valid address");
	ps_diag_add(&d, PS_REFUSED, "apps.yaml", 0, 0, NULL,
	    "empty record");			/* no line: no position */
	ps_diag_add(&d, PS_REFUSED, NULL, 0, 0, "stream", "unknown");
	ps_diag_err(&d, PS_STORE, "cannot lock the store");
	ps_diag_warn(&d, "3 records skipped");
	ps_diag_add(&d, 0, "p.yaml", 2, 1, "holidays", "in the past");
	expect_printed(&d,
	    "ps-test: apps.yaml:12:5: email: not a valid address\n"
	    "ps-test: apps.yaml: empty record\n"
	    "ps-test: stream: unknown\n"
	    "ps-test: cannot lock the store\n"
	    "ps-test: warning: 3 records skipped\n"
	    "ps-test: warning: p.yaml:2:1: holidays: in the past\n");
	ps_diags_release(&d);
}

/* A newline, an escape or DEL in a name or message cannot start a line
   of its own, nor reach the terminal: each is shown as '?'. */
static void
print_hides_control_characters(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	ps_diag_add(&d, PS_REFUSED, "a\nb.yaml", 1, 2, "x\ty",
	    "bad \x1b[31mred\x7f");
	ps_diag_add(&d, PS_REFUSED, "caf\xc3\xa9.csv", 3, 4, NULL, "kept");
	expect_printed(&d,
	    "ps-test: a?b.yaml:1:2: x?y: bad ?[31mred?\n"
	    "ps-test: caf\xc3\xa9.csv:3:4: kept\n");
	ps_diags_release(&d);
}

/* A lost diagnostic is still reported, once, at the end. */
static void
print_reports_lost_ones(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	ps_diag_err(&d, PS_REFUSED, "first");
	d.oom = 1;
	expect_printed(&d, "ps-test: first\nps-test: out of memory\n");
	ps_diags_release(&d);
	assert_int_equal(d.oom, 0);
}

/* move appends every diagnostic of src to dst, keeps the worst status
   and the lost-diagnostic mark, and empties src. */
static void
move_appends_and_empties(void **state)
{
	struct ps_diags dst = PS_DIAGS_INIT, src = PS_DIAGS_INIT;

	(void)state;
	ps_diag_warn(&dst, "mine");
	ps_diag_add(&src, PS_REFUSED, "f.yaml", 4, 2, "name", "too long");
	ps_diag_err(&src, PS_STORE, "cannot read");
	src.oom = 1;
	ps_diags_move(&dst, &src);
	assert_int_equal(src.n, 0);
	assert_null(src.v);
	assert_int_equal(src.status, 0);
	assert_int_equal(dst.n, 3);
	assert_int_equal(dst.status, PS_STORE);
	assert_int_equal(dst.errors, 2);
	assert_int_equal(dst.oom, 1);
	assert_string_equal(dst.v[0].msg, "mine");
	assert_string_equal(dst.v[1].file, "f.yaml");
	assert_int_equal(dst.v[1].line, 4);
	assert_int_equal(dst.v[1].col, 2);
	assert_string_equal(dst.v[1].path, "name");
	assert_string_equal(dst.v[1].msg, "too long");
	assert_int_equal(dst.v[2].status, PS_STORE);
	/* a message with a % in it is copied as it is */
	ps_diag_err(&src, PS_REFUSED, "%s", "100%s done");
	ps_diags_move(&dst, &src);
	assert_string_equal(dst.v[3].msg, "100%s done");
	/* an empty src changes nothing */
	ps_diags_move(&dst, &src);
	assert_int_equal(dst.n, 4);
	ps_diags_release(&dst);
}

/* At a value's place: the same as ps_diag_add() with its parts. */
static void
at_a_place(void **state)
{
	struct ps_place at = { "stdin", 4, 11, "match" };
	struct ps_diags d = PS_DIAGS_INIT;

	(void)state;
	assert_int_equal(ps_diag_at(&d, PS_REFUSED, &at, "%s",
	    PS_DIAG_NO_RECORD), PS_REFUSED);
	at.path = NULL;
	assert_int_equal(ps_diag_at(&d, 0, &at, "not waiting"), 0);
	expect_printed(&d, "ps-test: stdin:4:11: match: no such record\n"
	    "ps-test: warning: stdin:4:11: not waiting\n");
	assert_int_equal(d.errors, 1);
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_keeps_everything),
		cmocka_unit_test(worst_status_and_error_count),
		cmocka_unit_test(nomem_is_a_store_error),
		cmocka_unit_test(many_in_order),
		cmocka_unit_test(print_format),
		cmocka_unit_test(print_hides_control_characters),
		cmocka_unit_test(print_reports_lost_ones),
		cmocka_unit_test(move_appends_and_empties),
		cmocka_unit_test(at_a_place),
	};

	return cmocka_run_group_tests_name("diag", tests, NULL, NULL);
}
