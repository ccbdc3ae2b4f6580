/*
 * Unit tests: reading CSV exports of web forms (lib/model/csv.c): RFC
 * 4180 quoting, CRLF and LF, a byte-order mark, the limits, and each
 * error at its row and column.
 */
#include <errno.h>
#include <fcntl.h>
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
#include "model/csv.h"

/* A reader of text, from an unnamed temp file (closed by close_csv). */
struct csv {
	FILE		*fp;
	struct ps_csv	*c;
	struct ps_diags	 d;
};

static void
open_mem(struct csv *k, const char *text, size_t len)
{
	memset(k, 0, sizeof(*k));
	k->fp = tmpfile();
	assert_non_null(k->fp);
	if (len)
		assert_int_equal(fwrite(text, 1, len, k->fp), len);
	assert_int_equal(fflush(k->fp), 0);
	assert_int_equal(lseek(fileno(k->fp), 0, SEEK_SET), 0);
	assert_int_equal(ps_csv_open(&k->c, fileno(k->fp), "form.csv",
	    &k->d), 0);
	assert_non_null(k->c);
}

static void
close_csv(struct csv *k)
{
	ps_csv_free(k->c);
	fclose(k->fp);
	ps_diags_release(&k->d);
}

/* The next row: n fields, at line row. */
static struct ps_csv_row *
next(struct csv *k, size_t n, unsigned long row)
{
	struct ps_csv_row *r = NULL;

	if (ps_csv_next(k->c, &r, &k->d) != 0) {
		ps_diags_print(&k->d, "test-csv", stderr);
		fail_msg("row %lu refused", row);
	}
	assert_non_null(r);
	assert_int_equal(r->n, n);
	assert_int_equal(r->row, row);
	return r;
}

static void
at_end(struct csv *k)
{
	struct ps_csv_row *r = (struct ps_csv_row *)1;

	assert_int_equal(ps_csv_next(k->c, &r, &k->d), 0);
	assert_null(r);
	assert_int_equal(k->d.n, 0);
	/* and stays there */
	assert_int_equal(ps_csv_next(k->c, &r, &k->d), 0);
	assert_null(r);
}

#define OPEN(k, s)	open_mem(k, s, sizeof(s) - 1)

/* Input refused: this status, message, row and column. */
static void
refused(const char *text, size_t len, int rows_before, int status,
    const char *msg, unsigned long row, unsigned long col)
{
	struct ps_csv_row *r;
	struct csv k;
	int i, rc;

	open_mem(&k, text, len);
	for (i = 0; i < rows_before; i++)
		assert_int_equal(ps_csv_next(k.c, &r, &k.d), 0);
	rc = ps_csv_next(k.c, &r, &k.d);
	assert_int_equal(rc, status);
	assert_int_equal(k.d.n, 1);
	if (strstr(k.d.v[0].msg, msg) == NULL)
		fail_msg("expected \"%s\", got \"%s\"", msg, k.d.v[0].msg);
	assert_string_equal(k.d.v[0].file, "form.csv");
	assert_int_equal(k.d.v[0].line, row);
	assert_int_equal(k.d.v[0].col, col);
	close_csv(&k);
}

#define REFUSED(s, before, msg, row, col) \
	refused(s, sizeof(s) - 1, before, PS_REFUSED, msg, row, col)

static void
plain_rows(void **state)
{
	struct ps_csv_row *r;
	struct csv k;

	(void)state;
	OPEN(&k, "Name,Email,Languages\nLou,lou@example.org,en;fr\n"
	    "Sam,,fr\n,,\n");
	r = next(&k, 3, 1);
	assert_string_equal(r->f[0], "Name");
	assert_string_equal(r->f[2], "Languages");
	r = next(&k, 3, 2);
	assert_string_equal(r->f[0], "Lou");
	assert_string_equal(r->f[1], "lou@example.org");
	assert_string_equal(r->f[2], "en;fr");
	r = next(&k, 3, 3);
	assert_string_equal(r->f[1], "");
	r = next(&k, 3, 4);
	assert_string_equal(r->f[0], "");
	assert_string_equal(r->f[2], "");
	at_end(&k);
	close_csv(&k);
}

/* Quotes: commas, doubled quotes and line breaks inside a field; the
   next row's number counts the lines of the one before. */
static void
quoted_fields(void **state)
{
	struct ps_csv_row *r;
	struct csv k;

	(void)state;
	OPEN(&k, "a,b,c\n"
	    "\"Roy, Sam\",\"say \"\"hi\"\"\",\"two\nlines\"\n"
	    "\"\",\"\"\"\",x\n"
	    "\"crlf\r\ninside\",\"tab\there\",\"a\r\n\r\nb\"\n"
	    "last,row,\"\"\n");
	next(&k, 3, 1);
	r = next(&k, 3, 2);
	assert_string_equal(r->f[0], "Roy, Sam");
	assert_string_equal(r->f[1], "say \"hi\"");
	assert_string_equal(r->f[2], "two\nlines");
	r = next(&k, 3, 4);
	assert_string_equal(r->f[0], "");
	assert_string_equal(r->f[1], "\"");
	assert_string_equal(r->f[2], "x");
	r = next(&k, 3, 5);
	assert_string_equal(r->f[0], "crlf\ninside");
	assert_string_equal(r->f[1], "tab\there");
	assert_string_equal(r->f[2], "a\n\nb");
	r = next(&k, 3, 9);
	assert_string_equal(r->f[0], "last");
	assert_string_equal(r->f[2], "");
	at_end(&k);
	close_csv(&k);
}

/* CRLF, LF, a CR alone, and no line end at the end: the same rows. */
static void
line_ends(void **state)
{
	static const char *const texts[] = {
	    "h1,h2\r\nv1,\"v2\"\r\nw1,w2\r\n",
	    "h1,h2\nv1,\"v2\"\nw1,w2\n",
	    "h1,h2\rv1,\"v2\"\rw1,w2\r",
	    "h1,h2\r\nv1,\"v2\"\nw1,w2",
	    "h1,h2\nv1,\"v2\"\r\nw1,\"w2\"",
	};
	struct ps_csv_row *r;
	struct csv k;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		open_mem(&k, texts[i], strlen(texts[i]));
		r = next(&k, 2, 1);
		assert_string_equal(r->f[1], "h2");
		r = next(&k, 2, 2);
		assert_string_equal(r->f[0], "v1");
		assert_string_equal(r->f[1], "v2");
		r = next(&k, 2, 3);
		assert_string_equal(r->f[0], "w1");
		assert_string_equal(r->f[1], "w2");
		at_end(&k);
		close_csv(&k);
	}
}

/* A byte-order mark is not part of the first field. */
static void
byte_order_mark(void **state)
{
	struct ps_csv_row *r;
	struct csv k;

	(void)state;
	OPEN(&k, "\xef\xbb\xbfName,Email\r\nLou,x\r\n");
	r = next(&k, 2, 1);
	assert_string_equal(r->f[0], "Name");
	next(&k, 2, 2);
	at_end(&k);
	close_csv(&k);
	/* only at the start: later, it is text (U+FEFF) */
	OPEN(&k, "a\n\xef\xbb\xbf" "b\n");
	next(&k, 1, 1);
	r = next(&k, 1, 2);
	assert_string_equal(r->f[0], "\xef\xbb\xbf" "b");
	close_csv(&k);
	/* a mark alone, and nothing at all: no rows */
	OPEN(&k, "\xef\xbb\xbf");
	at_end(&k);
	close_csv(&k);
	OPEN(&k, "");
	at_end(&k);
	close_csv(&k);
}

/* The export with a mark and CRLF reads as the plain one does. */
static void
fixtures_agree(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_csv *a = NULL, *b = NULL;
	struct ps_csv_row *ra, *rb;
	int fa, fb, rows = 0;
	size_t i;

	(void)state;
	fa = open("tests/fixtures/apply/form.csv", O_RDONLY);
	fb = open("tests/fixtures/apply/form-bom-crlf.csv", O_RDONLY);
	assert_true(fa >= 0 && fb >= 0);
	assert_int_equal(ps_csv_open(&a, fa, "form.csv", &d), 0);
	assert_int_equal(ps_csv_open(&b, fb, "form-bom-crlf.csv", &d), 0);
	for (;;) {
		assert_int_equal(ps_csv_next(a, &ra, &d), 0);
		assert_int_equal(ps_csv_next(b, &rb, &d), 0);
		if (ra == NULL || rb == NULL)
			break;
		assert_int_equal(ra->n, rb->n);
		assert_int_equal(ra->row, rb->row);
		for (i = 0; i < ra->n; i++)
			assert_string_equal(ra->f[i], rb->f[i]);
		rows++;
	}
	assert_null(ra);
	assert_null(rb);
	assert_true(rows >= 3);
	assert_int_equal(d.n, 0);
	ps_csv_free(a);
	ps_csv_free(b);
	ps_csv_free(NULL);
	close(fa);
	close(fb);
}

/* Ten thousand rows, read across the reader's 64 KiB buffer. */
static void
many_rows(void **state)
{
	struct ps_buf in = PS_BUF_INIT;
	struct ps_csv_row *r;
	struct csv k;
	char want[32];
	int i;

	(void)state;
	for (i = 0; i < 10000; i++)
		ps_buf_printf(&in, "%d,\"quoted, %d\"\r\n", i, i * 3);
	open_mem(&k, in.s, in.len);
	for (i = 0; i < 10000; i++) {
		r = next(&k, 2, (unsigned long)i + 1);
		snprintf(want, sizeof(want), "%d", i);
		assert_string_equal(r->f[0], want);
		snprintf(want, sizeof(want), "quoted, %d", i * 3);
		assert_string_equal(r->f[1], want);
	}
	at_end(&k);
	close_csv(&k);
	ps_buf_release(&in);
}

/* A field of exactly 64 KiB passes, quoted or not; a byte more is
   refused at its row and column. */
static void
field_limit(void **state)
{
	struct ps_buf in = PS_BUF_INIT;
	struct ps_csv_row *r;
	struct csv k;
	size_t i;

	(void)state;
	ps_buf_puts(&in, "a,b\nx,");
	for (i = 0; i < PS_CSV_FIELD; i++)
		ps_buf_putc(&in, 'y');
	ps_buf_puts(&in, "\n\"");
	for (i = 0; i < PS_CSV_FIELD; i++)
		ps_buf_putc(&in, i % 100 == 0 ? ',' : 'z');
	ps_buf_puts(&in, "\",x\n");
	open_mem(&k, in.s, in.len);
	next(&k, 2, 1);
	r = next(&k, 2, 2);
	assert_int_equal(strlen(r->f[1]), PS_CSV_FIELD);
	r = next(&k, 2, 3);
	assert_int_equal(strlen(r->f[0]), PS_CSV_FIELD);
	close_csv(&k);

	ps_buf_truncate(&in, 0);
	ps_buf_puts(&in, "a,b\nx,");
	for (i = 0; i <= PS_CSV_FIELD; i++)
		ps_buf_putc(&in, 'y');
	refused(in.s, in.len, 1, PS_REFUSED, "field is longer than 64 KiB",
	    2, 2);
	ps_buf_truncate(&in, 0);
	ps_buf_puts(&in, "a\nb\n\"");
	for (i = 0; i <= PS_CSV_FIELD; i++)
		ps_buf_putc(&in, 'q');
	ps_buf_puts(&in, "\"\n");
	refused(in.s, in.len, 2, PS_REFUSED, "field is longer than 64 KiB",
	    3, 1);
	ps_buf_release(&in);
}

/* PS_CSV_FIELDS fields pass; one more is refused at that column. */
static void
fields_limit(void **state)
{
	struct ps_buf in = PS_BUF_INIT;
	struct ps_csv_row *r;
	struct csv k;
	size_t i;

	(void)state;
	for (i = 0; i < PS_CSV_FIELDS; i++)
		ps_buf_printf(&in, "%s%zu", i ? "," : "", i);
	ps_buf_putc(&in, '\n');
	open_mem(&k, in.s, in.len);
	r = next(&k, PS_CSV_FIELDS, 1);
	assert_string_equal(r->f[PS_CSV_FIELDS - 1], "999");
	at_end(&k);
	close_csv(&k);
	ps_buf_truncate(&in, in.len - 1);
	ps_buf_puts(&in, ",extra\n");
	refused(in.s, in.len, 0, PS_REFUSED, "more than 1000 fields in a row",
	    1, PS_CSV_FIELDS + 1);
	ps_buf_release(&in);
}

/* Quotes where they cannot be, each at its row and column. */
static void
bad_quotes(void **state)
{
	(void)state;
	REFUSED("a,b\n\"open,b\n", 1, "quoted field is not closed before "
	    "the end of the file", 2, 1);
	REFUSED("a,b\nx,\"two\nlines\nand more", 1, "quoted field is not "
	    "closed", 2, 2);
	REFUSED("a,b\n\"x\"y,b\n", 1, "text after the closing quote", 2, 1);
	REFUSED("a,b\nx,\"y\" \n", 1, "text after the closing quote", 2, 2);
	REFUSED("a,b\nx,y\"z\n", 1, "a quote inside a field that does not "
	    "start with one", 2, 2);
	REFUSED("a,b\nx, \"y\"\n", 1, "a quote inside a field", 2, 2);
}

/* Fields that are not text, at their row and column. */
static void
not_text(void **state)
{
	(void)state;
	REFUSED("a,b\nx,y\0z\n", 1, "not text: a NUL byte", 2, 2);
	REFUSED("a,b\nx,\x01\n", 1, "control character U+0001 is not allowed",
	    2, 2);
	REFUSED("a,b\n\"\x1b[31m\",y\n", 1, "control character U+001B", 2,
	    1);
	REFUSED("a,b\nx,\xc2\x9b\n", 1, "control character U+009B", 2, 2);
	REFUSED("a,b\nx,y\x7f\n", 1, "control character U+007F", 2, 2);
	REFUSED("a,b\n\xff,y\n", 1, "not valid UTF-8 text", 2, 1);
	REFUSED("a,b\nx,\xed\xa0\x80\n", 1, "not valid UTF-8 text", 2, 2);
	REFUSED("a,b\nx,\xc0\xaf\n", 1, "not valid UTF-8 text", 2, 2);
	REFUSED("a,b\nx,caf\xc3\n", 1, "not valid UTF-8 text", 2, 2);
	/* UTF-16, as some spreadsheets export */
	REFUSED("\xff\xfe" "a\0,\0b\0\n\0", 0, "not UTF-8 text: convert it "
	    "to UTF-8", 1, 1);
	REFUSED("\xfe\xff\0a\0,\0b\0\n", 0, "convert it to UTF-8", 1, 1);
}

/* A descriptor that cannot be read: a store error, no row. */
static void
read_error(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_csv *c = NULL;
	struct ps_csv_row *r = NULL;
	int fd = open(".", O_RDONLY);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(ps_csv_open(&c, fd, "folder", &d), 0);
	assert_int_equal(ps_csv_next(c, &r, &d), PS_STORE);
	assert_null(r);
	assert_true(d.n >= 1);
	assert_string_equal(d.v[d.n - 1].file, "folder");
	assert_non_null(strstr(d.v[d.n - 1].msg, "cannot read"));
	ps_csv_free(c);
	close(fd);
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plain_rows),
		cmocka_unit_test(quoted_fields),
		cmocka_unit_test(line_ends),
		cmocka_unit_test(byte_order_mark),
		cmocka_unit_test(fixtures_agree),
		cmocka_unit_test(many_rows),
		cmocka_unit_test(field_limit),
		cmocka_unit_test(fields_limit),
		cmocka_unit_test(bad_quotes),
		cmocka_unit_test(not_text),
		cmocka_unit_test(read_error),
	};

	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
