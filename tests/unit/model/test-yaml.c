/*
 * Unit tests: strict reading and canonical writing (lib/model/yaml_*.c), with
 * the schema typing that decides quoting.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
	if (ps_schemas_load(&set, "schemas", &d) != 0) {
		ps_diags_print(&d, "test-yaml", stderr);
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

static char *
slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/* Read, validate (typing + key order), write: the same bytes. */
static void
round_trip_file(const char *path, const char *kind)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf out = PS_BUF_INIT;
	struct ps_node *n = NULL;
	size_t len;
	char *in = slurp(path, &len);

	assert_int_equal(ps_yaml_load_file(&n, path, NULL, 0, &d), 0);
	if (kind)
		assert_int_equal(ps_schema_validate(ps_schemas_get(set, kind),
		    n, path, &d), 0);
	else
		assert_int_equal(ps_record_check(set, n, path, &d), 0);
	assert_int_equal(ps_yaml_write(&out, n), 0);
	if (out.len != len || memcmp(out.s, in, len) != 0) {
		print_error("%s: not byte-identical after a round trip:\n%s",
		    path, out.s);
		fail();
	}
	ps_node_free(n);
	ps_buf_release(&out);
	ps_diags_release(&d);
	free(in);
}

static void
fixtures_round_trip(void **state)
{
	const char *dir = "tests/fixtures/records/valid";
	struct dirent **list;
	char path[512];
	int i, n;

	(void)state;
	n = scandir(dir, &list, NULL, alphasort);
	assert_true(n > 20);
	for (i = 0; i < n; i++) {
		if (strstr(list[i]->d_name, ".yaml")) {
			snprintf(path, sizeof(path), "%s/%s", dir,
			    list[i]->d_name);
			round_trip_file(path, NULL);
		}
		free(list[i]);
	}
	free(list);
	round_trip_file("examples/ms-society/program.yaml", "program");
	round_trip_file("examples/caregiver/program.yaml", "program");
	round_trip_file("examples/mental-health/program.yaml", "program");
}

static const char traps_in[] =
    "kind: participant\n"
    "id: P-7K3Q2X\n"
    "status: applied\n"
    "stream: extended\n"
    "role: caregiver\n"
    "received: 2026-11-20T09:15:00-05:00\n"
    "name:\n"
    "  first: no\n"
    "  last: NO\n"
    "  preferred: 010\n"
    "region: ON\n"
    "context: 1e3\n"
    "funder: 2026-11-22\n"
    "host_organisation: 'on'\n";

static const char traps_out[] =
    "kind: participant\n"
    "id: P-7K3Q2X\n"
    "status: applied\n"
    "stream: extended\n"
    "role: caregiver\n"
    "received: 2026-11-20T09:15:00-05:00\n"
    "name:\n"
    "  first: \"no\"\n"
    "  last: \"NO\"\n"
    "  preferred: \"010\"\n"
    "region: \"ON\"\n"
    "context: \"1e3\"\n"
    "funder: \"2026-11-22\"\n"
    "host_organisation: \"on\"\n";

static void
yaml11_traps_are_strings(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf out = PS_BUF_INIT, again = PS_BUF_INIT;
	struct ps_node *n = NULL;

	(void)state;
	assert_int_equal(ps_yaml_load_mem(&n, traps_in, sizeof(traps_in) - 1,
	    "traps", &d), 0);
	assert_int_equal(ps_record_check(set, n, "traps", &d), 0);
	assert_string_equal(ps_node_get_str(n, "name.preferred"), "010");
	assert_int_equal(ps_yaml_write(&out, n), 0);
	assert_string_equal(out.s, traps_out);
	ps_node_free(n);
	/* and the canonical text is a fixpoint */
	assert_int_equal(ps_yaml_load_mem(&n, out.s, out.len, "out", &d), 0);
	assert_int_equal(ps_record_check(set, n, "out", &d), 0);
	assert_int_equal(ps_yaml_write(&again, n), 0);
	assert_string_equal(again.s, out.s);
	ps_node_free(n);
	ps_buf_release(&out);
	ps_buf_release(&again);
	ps_diags_release(&d);
}

static void
needs_quotes(void **state)
{
	static const char *const quoted[] = { "", "no", "Yes", "y", "OFF",
	    "null", "~", "010", "1e3", "+1 613", "-x", ".5", "2026-11-22",
	    "11:00", "a: b", "a #b", " lead", "trail ", "x:", "#c", "*a",
	    "&a", "!t", "|", ">", "'q", "\"q", "%p", "@a", "`b", "[", "{",
	    "line\nbreak", "<<", NULL };
	static const char *const plain[] = { "hello", "Ada Lovelace",
	    "a:b", "a#b", "P-7K3Q2X", "caregiver", "C'est bien", NULL };
	size_t i;

	(void)state;
	for (i = 0; quoted[i]; i++)
		if (!ps_yaml_needs_quotes(quoted[i], strlen(quoted[i])))
			fail_msg("should be quoted: [%s]", quoted[i]);
	for (i = 0; plain[i]; i++)
		if (ps_yaml_needs_quotes(plain[i], strlen(plain[i])))
			fail_msg("should be plain: [%s]", plain[i]);
}

static void
escapes_round_trip(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf out = PS_BUF_INIT;
	struct ps_node *m = ps_node_new_map(), *n = NULL;

	(void)state;
	ps_node_set_str(m, "note", "tab\there \"quoted\" back\\slash\nline 2");
	ps_yaml_write(&out, m);
	assert_string_equal(out.s, "note: \"tab\\there \\\"quoted\\\" "
	    "back\\\\slash\\nline 2\"\n");
	assert_int_equal(ps_yaml_load_mem(&n, out.s, out.len, "x", &d), 0);
	assert_string_equal(ps_node_get_str(n, "note"),
	    ps_node_get_str(m, "note"));
	ps_node_free(m);
	ps_node_free(n);
	ps_buf_release(&out);
	ps_diags_release(&d);
}

/* Bad input: refused with this message at this line and column. */
static void
refused(const char *text, size_t len, const char *msg, unsigned long line,
    unsigned long col)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;
	clock_t t0 = clock();

	assert_int_equal(ps_yaml_load_mem(&n, text, len, "bad", &d),
	    PS_REFUSED);
	assert_null(n);
	assert_true(d.n >= 1);
	if (strstr(d.v[0].msg, msg) == NULL)
		fail_msg("expected \"%s\", got \"%s\"", msg, d.v[0].msg);
	if (line) {
		assert_int_equal(d.v[0].line, line);
		assert_int_equal(d.v[0].col, col);
	}
	/* well under a second, whatever the input */
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
	ps_diags_release(&d);
}

#define REFUSED(s, m, l, c) refused(s, sizeof(s) - 1, m, l, c)

static void
hostile_input(void **state)
{
	size_t big = 300 * 1024, i;
	char *buf;

	(void)state;
	REFUSED("a: &x 1\nb: *x\n", "anchors are not allowed", 1, 4);
	REFUSED("a: [*x]\n", "aliases are not allowed", 1, 5);
	REFUSED("a: !!str 1\n", "tags are not allowed", 1, 4);
	REFUSED("a: !custom {}\n", "tags are not allowed", 1, 4);
	REFUSED("<<: {a: 1}\n", "merge keys", 1, 1);
	/* the key is not repeated (it is input), its first line is */
	REFUSED("a: 1\nb: 2\na: 3\n", "duplicate key: the same key is on line 1",
	    3, 1);
	/* found as soon as the key is read, before the mapping ends */
	REFUSED("a: 1\na: 2\n[", "duplicate key: the same key is on line 1", 2,
	    1);
	REFUSED("x:\n  a: 1\n  a: 2\n", "duplicate key: the same key is on "
	    "line 2", 3, 3);
	/* in a mapping past 33 keys, found when it ends: the same words */
	{
		char many[600];
		int k, n = 0;

		for (k = 0; k < 40; k++)
			n += snprintf(many + n, sizeof(many) - (size_t)n,
			    "k%d: 1\n", k);
		n += snprintf(many + n, sizeof(many) - (size_t)n, "k5: 2\n");
		refused(many, (size_t)n, "duplicate key: the same key is on "
		    "line 6", 41, 1);
	}
	REFUSED("? [a]\n: 1\n", "mapping keys must be plain text", 1, 3);
	REFUSED("a: 1\n---\nb: 2\n", "more than one document", 0, 0);
	REFUSED("a: \"x\n<<<<<<< HEAD\ny\"\n", "git conflict marker", 2, 1);
	REFUSED("a: 1\n=======\n", "git conflict marker", 2, 1);
	REFUSED("a: 1\n>>>>>>> branch\n", "git conflict marker", 2, 1);
	/* a CR alone ends a line too */
	REFUSED("a: 1\r=======\rb: 2\n", "git conflict marker", 2, 1);
	REFUSED("a: \"\xff\xfe\"\n", "not valid UTF-8 text: invalid leading",
	    1, 5);
	REFUSED("a: 1\nb: \"x\xc3\x28\"\n", "invalid trailing UTF-8", 2, 6);
	REFUSED("a: \"x\0y\"\n", "not text: a NUL byte", 1, 6);
	REFUSED("a: \x01\n", "control character U+0001 is not allowed", 1, 4);
	REFUSED("a\0:\0 \0" "1\0\n\0", "if this is UTF-16", 1, 2);
	REFUSED("\xff\xfe" "a\0:\0 \0" "1\0\n\0", "not UTF-8", 1, 1);
	/* escapes make what the raw text may not hold */
	REFUSED("a: \"x\\0y\"\n", "a NUL character", 1, 4);
	REFUSED("a: \"\\e[31m\"\n", "control character U+001B", 1, 4);
	REFUSED("a: \"\\x9b\"\n", "control character U+009B", 1, 4);
	REFUSED("a: \"\\r\"\n", "control character U+000D", 1, 4);
	REFUSED("k\\0: \"\\u0007\"\n", "control character U+0007", 1, 6);
	REFUSED("a: [1\n", "not valid YAML", 0, 0);
	REFUSED("", "empty record", 0, 0);

	/* 33 levels of nesting, and 200,000 brackets */
	buf = malloc(big + 1);
	assert_non_null(buf);
	for (i = 0; i < 40; i++)
		buf[i] = '[';
	refused(buf, 40, "nesting deeper than 32", 1, 33);
	memset(buf, '[', 200000);
	refused(buf, 200000, "nesting deeper than 32", 1, 33);
	/* a scalar over 64 KiB; a record over 256 KiB */
	memcpy(buf, "a: ", 3);
	memset(buf + 3, 'x', 70000);
	refused(buf, 70003, "longer than 64 KiB", 1, 4);
	for (i = 0; i + 12 <= big; i += 12)
		memcpy(buf + i, "- abcdefghi\n", 12);
	refused(buf, i, "larger than 256 KiB", 0, 0);
	free(buf);
}

static void
stream_reader_bounds_each_record(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_yaml_reader *r = NULL;
	struct ps_node *n = NULL;
	const char json[] = "[{\"kind\": \"volunteer\", \"a\": 1},"
	    " {\"kind\":\"participant\"}]\n---\nkind: x\n";
	int count = 0;

	(void)state;
	assert_int_equal(ps_yaml_reader_mem(&r, json, sizeof(json) - 1, "s",
	    PS_YAML_SPLIT_SEQ, &d), 0);
	while (ps_yaml_reader_next(r, &n, &d) == 0 && n) {
		assert_int_equal(n->type, PS_NODE_MAP);
		assert_non_null(ps_node_get_str(n, "kind"));
		count++;
		ps_node_free(n);
	}
	assert_int_equal(d.n, 0);
	assert_int_equal(count, 3);
	ps_yaml_reader_free(r);
}

/* A caller refusing every record: the reader stops after 100 problems. */
static void
stream_stops_after_problems(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_yaml_reader *r = NULL;
	struct ps_node *n = NULL;
	struct ps_buf in = PS_BUF_INIT;
	int i, count = 0;

	(void)state;
	for (i = 0; i < 1000; i++)
		ps_buf_puts(&in, "- x\n");
	assert_int_equal(ps_yaml_reader_mem(&r, in.s, in.len, "s",
	    PS_YAML_SPLIT_SEQ, &d), 0);
	while (ps_yaml_reader_next(r, &n, &d) == 0 && n) {
		ps_diag_add(&d, PS_REFUSED, "s", n->line, n->col, NULL, "no");
		ps_node_free(n);
		count++;
	}
	assert_int_equal(count, PS_YAML_PROBLEMS);
	assert_int_equal(d.n, PS_YAML_PROBLEMS + 1);
	assert_string_equal(d.v[d.n - 1].msg, "too many problems: stopped "
	    "after 100, the rest was not read");
	assert_int_equal(d.v[d.n - 1].line, 100);
	assert_int_equal(d.v[d.n - 1].col, 4);
	ps_yaml_reader_free(r);
	ps_buf_release(&in);
	ps_diags_release(&d);
}

/* What was read to look at the input, then the rest of the descriptor. */
static void
resume_reads_head_then_fd(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_yaml_reader *r = NULL;
	struct ps_node *n = NULL;
	const char head[] = "- id: P-7K3Q2X\n- id: V-3K", rest[] = "2J9X\n";
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], rest, sizeof(rest) - 1),
	    (ssize_t)sizeof(rest) - 1);
	close(p[1]);
	assert_int_equal(ps_yaml_reader_resume(&r, head, sizeof(head) - 1,
	    p[0], "stdin", PS_YAML_SPLIT_SEQ, &d), 0);
	assert_int_equal(ps_yaml_reader_next(r, &n, &d), 0);
	assert_string_equal(ps_node_get_str(n, "id"), "P-7K3Q2X");
	ps_node_free(n);
	assert_int_equal(ps_yaml_reader_next(r, &n, &d), 0);
	assert_string_equal(ps_node_get_str(n, "id"), "V-3K2J9X");
	assert_int_equal(n->line, 2);
	ps_node_free(n);
	assert_int_equal(ps_yaml_reader_next(r, &n, &d), 0);
	assert_null(n);
	ps_yaml_reader_free(r);
	close(p[0]);
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixtures_round_trip),
		cmocka_unit_test(yaml11_traps_are_strings),
		cmocka_unit_test(needs_quotes),
		cmocka_unit_test(escapes_round_trip),
		cmocka_unit_test(hostile_input),
		cmocka_unit_test(stream_reader_bounds_each_record),
		cmocka_unit_test(stream_stops_after_problems),
		cmocka_unit_test(resume_reads_head_then_fd),
	};

	return cmocka_run_group_tests_name("yaml", tests, setup, teardown);
}
