/*
 * Unit tests: the IDs a tool acts on (lib/model/ids.c), added one by one
 * or read one per line or from a YAML record stream, duplicates dropped,
 * each bad line or record refused at its position.
 */
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
#include "util/id.h"
#include "model/ids.h"

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/* The i-th of many distinct, well-formed participant IDs. */
static void
nth_id(char out[PS_ID_LEN + 1], unsigned long i)
{
	int k;

	out[0] = 'P';
	out[1] = '-';
	for (k = 7; k >= 2; k--) {
		out[k] = crockford[i % 32];
		i /= 32;
	}
	out[8] = '\0';
}

/* Read text through ps_ids_read(), from an unnamed temp file. */
static int
read_text(struct ps_ids *l, const char *text, size_t len,
    struct ps_diags *d)
{
	FILE *fp = tmpfile();
	int rc;

	assert_non_null(fp);
	if (len)
		assert_int_equal(fwrite(text, 1, len, fp), len);
	assert_int_equal(fflush(fp), 0);
	assert_int_equal(lseek(fileno(fp), 0, SEEK_SET), 0);
	rc = ps_ids_read(l, fileno(fp), "stdin", d);
	fclose(fp);
	return rc;
}

/* text gives exactly the IDs of want (NULL-terminated), in order. */
static void
reads_as(const char *text, size_t len, const char *const *want)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_ids l = { 0 };
	size_t i;

	if (read_text(&l, text, len, &d) != 0) {
		ps_diags_print(&d, "test-ids", stderr);
		fail_msg("refused: %s", text);
	}
	assert_int_equal(d.n, 0);
	for (i = 0; want[i]; i++) {
		if (i >= l.n)
			fail_msg("only %zu IDs, want %s next", l.n, want[i]);
		assert_string_equal(l.v[i], want[i]);
	}
	assert_int_equal(l.n, i);
	ps_ids_release(&l);
}

/* text refused with msg at line:col (0: no position), path as given. */
static void
refused(const char *text, size_t len, int status, const char *msg,
    unsigned long line, unsigned long col, const char *path)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_ids l = { 0 };

	assert_int_equal(read_text(&l, text, len, &d), status);
	assert_true(d.n >= 1);
	if (strstr(d.v[d.n - 1].msg, msg) == NULL)
		fail_msg("expected \"%s\", got \"%s\"", msg, d.v[d.n - 1].msg);
	if (line) {
		assert_string_equal(d.v[d.n - 1].file, "stdin");
		assert_int_equal(d.v[d.n - 1].line, line);
		assert_int_equal(d.v[d.n - 1].col, col);
	}
	if (path)
		assert_string_equal(d.v[d.n - 1].path, path);
	ps_ids_release(&l);
	ps_diags_release(&d);
}

#define READS(s, ...) \
	reads_as(s, sizeof(s) - 1, (const char *const[]){ __VA_ARGS__, NULL })
#define REFUSED(s, msg, line, col, path) \
	refused(s, sizeof(s) - 1, PS_REFUSED, msg, line, col, path)

static void
add_one_by_one(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_ids l = { 0 };

	(void)state;
	assert_int_equal(ps_ids_add(&l, "P-7K3Q2X", &d), 0);
	assert_int_equal(ps_ids_add(&l, "V-3K2J9X", &d), 0);
	assert_int_equal(ps_ids_add(&l, "P-7K3Q2X", &d), 0);	/* again */
	assert_int_equal(l.n, 2);
	assert_string_equal(l.v[0], "P-7K3Q2X");
	assert_string_equal(l.v[1], "V-3K2J9X");
	assert_int_equal(d.n, 0);
	/* refused, naming what was given, at most 40 characters of it */
	assert_int_equal(ps_ids_add(&l, "p-7k3q2x", &d), PS_REFUSED);
	assert_string_equal(d.v[0].msg,
	    "p-7k3q2x: not a record ID (like P-7K3Q2X)");
	assert_int_equal(ps_ids_add(&l, "", &d), PS_REFUSED);
	assert_int_equal(ps_ids_add(&l, "P-7K3Q2X-and-then-a-lot-more-text-"
	    "past-forty", &d), PS_REFUSED);
	assert_string_equal(d.v[2].msg, "P-7K3Q2X-and-then-a-lot-more-text-"
	    "past-f...: not a record ID (like P-7K3Q2X)");
	assert_int_equal(l.n, 2);
	ps_ids_release(&l);
	assert_null(l.v);
	assert_int_equal(l.n, 0);
	ps_ids_release(&l);	/* twice: harmless */
	ps_diags_release(&d);
}

/* Thousands of IDs, each added twice: each kept once, in first order. */
static void
many_distinct(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_ids l = { 0 };
	char id[PS_ID_LEN + 1];
	unsigned long i;

	(void)state;
	for (i = 0; i < 20000; i++) {
		nth_id(id, i * 7919);
		assert_int_equal(ps_ids_add(&l, id, &d), 0);
		nth_id(id, (i / 2) * 7919);
		assert_int_equal(ps_ids_add(&l, id, &d), 0);
	}
	assert_int_equal(l.n, 20000);
	for (i = 0; i < 20000; i++) {
		nth_id(id, i * 7919);
		assert_string_equal(l.v[i], id);
	}
	ps_ids_release(&l);
}

/* One per line: blank lines, spaces, tabs and CRLF allowed. */
static void
one_per_line(void **state)
{
	(void)state;
	READS("P-7K3Q2X\nV-3K2J9X\n", "P-7K3Q2X", "V-3K2J9X");
	READS("\n\n  P-7K3Q2X\t\r\n\r\nM-8D1Q4R  \nP-7K3Q2X\n",
	    "P-7K3Q2X", "M-8D1Q4R");
	READS("C-1F6K9M", "C-1F6K9M");		/* no newline at the end */
	READS("G-3TK7WQ\n\n\n", "G-3TK7WQ");
	reads_as("", 0, (const char *const[]){ NULL });
	reads_as("\n \n\t\n", 5, (const char *const[]){ NULL });
}

/* More than is looked at first (4 KiB): the rest read line by line. */
static void
long_list_of_lines(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf in = PS_BUF_INIT;
	struct ps_ids l = { 0 };
	char id[PS_ID_LEN + 1];
	unsigned long i;

	(void)state;
	for (i = 0; i < 5000; i++) {
		nth_id(id, i);
		ps_buf_printf(&in, "%s%s\n", i % 3 ? "" : "  ", id);
	}
	assert_int_equal(read_text(&l, in.s, in.len, &d), 0);
	assert_int_equal(l.n, 5000);
	nth_id(id, 4999);
	assert_string_equal(l.v[4999], id);
	ps_ids_release(&l);
	/* a bad line far down, at its line */
	ps_buf_puts(&in, "P-7K3Q2X\nnot an id\nV-3K2J9X\n");
	refused(in.s, in.len, PS_REFUSED, "not a record ID", 5002, 1, NULL);
	ps_buf_release(&in);
	ps_diags_release(&d);
}

static void
bad_lines(void **state)
{
	char line[200];

	(void)state;
	REFUSED("P-7K3Q2X\nP-7K3Q2\n", "not a record ID (like P-7K3Q2X)", 2,
	    1, NULL);
	REFUSED("P-7K3Q2X\nP-7K3Q2X V-3K2J9X\n", "not a record ID", 2, 1,
	    NULL);
	REFUSED("P-7K3Q2X\n\n\np-7k3q2x\n", "not a record ID", 4, 1, NULL);
	REFUSED("P-7K3Q2X\nP-7K3Q2X\0\n", "not a record ID", 2, 1, NULL);
	/* a line far longer than an ID, as one */
	memset(line, 'A', sizeof(line));
	memcpy(line, "P-7K3Q2X\n", 9);
	line[sizeof(line) - 1] = '\n';
	refused(line, sizeof(line), PS_REFUSED, "not a record ID", 2, 1,
	    NULL);
}

/* A YAML record stream: documents or a sequence, each record's id. */
static void
record_stream(void **state)
{
	(void)state;
	READS("---\nkind: participant\nid: P-7K3Q2X\nstatus: applied\n"
	    "---\nkind: volunteer\nid: V-3K2J9X\n---\nid: P-7K3Q2X\n",
	    "P-7K3Q2X", "V-3K2J9X");
	READS("- kind: match\n  id: M-8D1Q4R\n- {kind: contact, id: C-1F6K9M}\n",
	    "M-8D1Q4R", "C-1F6K9M");
	READS("[{\"id\": \"G-3TK7WQ\"}]\n", "G-3TK7WQ");
	READS("kind: participant\nid: P-7K3Q2X\n", "P-7K3Q2X");
}

/* A long stream, past what is looked at first. */
static void
long_record_stream(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf in = PS_BUF_INIT;
	struct ps_ids l = { 0 };
	char id[PS_ID_LEN + 1];
	unsigned long i;

	(void)state;
	for (i = 0; i < 2000; i++) {
		nth_id(id, i);
		ps_buf_printf(&in, "---\nkind: participant\nid: %s\n"
		    "context: record number %lu\n", id, i);
	}
	assert_int_equal(read_text(&l, in.s, in.len, &d), 0);
	assert_int_equal(l.n, 2000);
	nth_id(id, 1999);
	assert_string_equal(l.v[1999], id);
	ps_ids_release(&l);
	ps_buf_release(&in);
	ps_diags_release(&d);
}

/* A record without an id, or with a bad one, at its position. */
static void
bad_records(void **state)
{
	(void)state;
	REFUSED("---\nkind: participant\nid: P-7K3Q2X\n---\nkind: volunteer\n"
	    "name: x\n", "a record on the input has no id", 5, 1, "id");
	REFUSED("- id: P-7K3Q2X\n- kind: match\n  id: M-8D1Q\n",
	    "not a record ID (like P-7K3Q2X)", 3, 7, "id");
	REFUSED("- id: P-7K3Q2X\n- id: [P-7K3Q2X]\n",
	    "a record on the input has no id", 2, 3, "id");
	REFUSED("kind: participant\nid: P-7K3Q2X\nid: V-3K2J9X\n",
	    "duplicate key", 3, 1, NULL);
	REFUSED("id: [P-7K3Q2X\n", "not valid YAML", 0, 0, NULL);
}

/* PS_IDS_MAX distinct IDs pass; one more is refused. */
static void
at_most_ps_ids_max(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_ids l = { 0 };
	char id[PS_ID_LEN + 1];
	unsigned long i;

	(void)state;
	for (i = 0; i < PS_IDS_MAX; i++) {
		nth_id(id, i);
		if (ps_ids_add(&l, id, &d) != 0)
			fail_msg("ID %lu refused", i);
	}
	assert_int_equal(l.n, PS_IDS_MAX);
	nth_id(id, 5);
	assert_int_equal(ps_ids_add(&l, id, &d), 0);	/* a duplicate */
	nth_id(id, PS_IDS_MAX);
	assert_int_equal(ps_ids_add(&l, id, &d), PS_REFUSED);
	assert_string_equal(d.v[0].msg, "more than 1000000 record IDs");
	assert_int_equal(l.n, PS_IDS_MAX);
	ps_ids_release(&l);
	ps_diags_release(&d);
}

/* Lines are bounded too, blank ones among them. */
static void
at_most_ps_ids_max_lines(void **state)
{
	struct ps_buf in = PS_BUF_INIT;

	(void)state;
	ps_buf_puts(&in, "P-7K3Q2X");
	assert_int_equal(ps_buf_reserve(&in, PS_IDS_MAX + 1), 0);
	memset(in.s + in.len, '\n', PS_IDS_MAX);
	in.len += PS_IDS_MAX;
	in.s[in.len] = '\0';
	reads_as(in.s, in.len, (const char *const[]){ "P-7K3Q2X", NULL });
	ps_buf_puts(&in, "V-3K2J9X\n");
	refused(in.s, in.len, PS_REFUSED, "more than 1000000 lines of record "
	    "IDs", PS_IDS_MAX + 1, 1, NULL);
	ps_buf_release(&in);
}

/* A descriptor that cannot be read: a store error. */
static void
read_error(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_ids l = { 0 };
	int p[2];

	(void)state;
	assert_int_equal(pipe(p), 0);
	close(p[0]);
	/* the write end: not open for reading */
	assert_int_equal(ps_ids_read(&l, p[1], "stdin", &d), PS_STORE);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.v[0].msg, "cannot read"));
	assert_int_equal(l.n, 0);
	close(p[1]);
	ps_ids_release(&l);
	ps_diags_release(&d);
}

/*
 * Where each ID was read: its line (and, in a record, its column), for
 * messages that name an ID of the input by its place; none for an ID
 * typed on the command line.
 */
static void
places(void **state)
{
	static const char lines[] = "P-7K3Q2X\n\nV-3K2J9X\nP-7K3Q2X\n";
	static const char recs[] = "- id: P-7K3Q2X\n- {kind: x, id: V-3K2J9X}\n";
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_ids l = { 0 };
	struct ps_place at;
	const struct ps_place *p;

	(void)state;
	assert_int_equal(read_text(&l, lines, sizeof(lines) - 1, &d), 0);
	assert_non_null(p = ps_ids_place(&l, 0, &at));
	assert_string_equal(p->file, "stdin");
	assert_int_equal(p->line, 1);
	assert_int_equal(p->col, 1);
	assert_null(p->path);
	assert_non_null(p = ps_ids_place(&l, 1, &at));
	assert_int_equal(p->line, 3);
	assert_null(ps_ids_place(&l, 2, &at));
	ps_ids_release(&l);
	assert_int_equal(read_text(&l, recs, sizeof(recs) - 1, &d), 0);
	assert_non_null(p = ps_ids_place(&l, 1, &at));
	assert_int_equal(p->line, 2);
	assert_int_equal(p->col, 17);
	/* typed: no place */
	assert_int_equal(ps_ids_add(&l, "M-8D1Q4R", &d), 0);
	assert_null(ps_ids_place(&l, 2, &at));
	ps_ids_release(&l);
	assert_int_equal(d.n, 0);
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_one_by_one),
		cmocka_unit_test(many_distinct),
		cmocka_unit_test(one_per_line),
		cmocka_unit_test(long_list_of_lines),
		cmocka_unit_test(bad_lines),
		cmocka_unit_test(record_stream),
		cmocka_unit_test(long_record_stream),
		cmocka_unit_test(bad_records),
		cmocka_unit_test(at_most_ps_ids_max),
		cmocka_unit_test(at_most_ps_ids_max_lines),
		cmocka_unit_test(read_error),
		cmocka_unit_test(places),
	};

	return cmocka_run_group_tests_name("ids", tests, NULL, NULL);
}
