/* csv: RFC 4180 rows, one at a time; see csv.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/str.h"
#include "model/csv.h"

struct ps_csv {
	int		 fd;
	char		*name;
	char		 in[65536];
	size_t		 len, off;
	int		 eof;
	int		 started;	/* BOM check done */
	unsigned long	 line;		/* physical line of the next byte */
	struct ps_buf	 field;
	struct ps_buf	*fields;
	size_t		 nf, capf;
	char		**ptrs;
	size_t		 capp;
	struct ps_csv_row row;
};

int
ps_csv_open(struct ps_csv **out, int fd, const char *name, struct ps_diags *d)
{
	struct ps_csv *c;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL ||
	    (c->name = strdup(name)) == NULL) {
		free(c);
		return ps_diag_nomem(d);
	}
	c->fd = fd;
	c->line = 1;
	*out = c;
	return 0;
}

void
ps_csv_free(struct ps_csv *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->capf; i++)
		ps_buf_release(&c->fields[i]);
	ps_buf_release(&c->field);
	free(c->fields);
	free(c->ptrs);
	free(c->name);
	free(c);
}

/* The next byte, or -1 at the end; -2 on a read error. */
static int
get(struct ps_csv *c)
{
	ssize_t n;

	if (c->off == c->len) {
		if (c->eof)
			return -1;
		do
			n = read(c->fd, c->in, sizeof(c->in));
		while (n == -1 && errno == EINTR);
		if (n < 0)
			return -2;
		if (n == 0) {
			c->eof = 1;
			return -1;
		}
		c->len = (size_t)n;
		c->off = 0;
		if (!c->started) {
			c->started = 1;
			if (c->len >= 3 && memcmp(c->in, "\xef\xbb\xbf", 3) == 0)
				c->off = 3;
			if (c->off == c->len)
				return get(c);
		}
	}
	return (unsigned char)c->in[c->off++];
}

static void
unget(struct ps_csv *c)
{
	c->off--;
}

/* A field must be text: UTF-8, no NUL, no control characters. */
static int
check_text(struct ps_csv *c, struct ps_diags *d, unsigned long row)
{
	const char *f = c->field.s ? c->field.s : "";
	long cp;

	if (ps_str_check_text(f, c->field.len, &cp) == -1)
		return 0;
	if (row == 1 && c->nf == 0 && c->field.len >= 2 &&
	    (memcmp(f, "\xff\xfe", 2) == 0 || memcmp(f, "\xfe\xff", 2) == 0))
		return ps_diag_add(d, PS_REFUSED, c->name, row, 1, NULL,
		    "not UTF-8 text: convert it to UTF-8");
	if (cp == 0)
		return ps_diag_add(d, PS_REFUSED, c->name, row, c->nf + 1, NULL,
		    "not text: a NUL byte (if this is UTF-16, convert it to "
		    "UTF-8)");
	if (cp > 0)
		return ps_diag_add(d, PS_REFUSED, c->name, row, c->nf + 1, NULL,
		    "control character U+%04lX is not allowed",
		    (unsigned long)cp);
	return ps_diag_add(d, PS_REFUSED, c->name, row, c->nf + 1, NULL,
	    "not valid UTF-8 text");
}

static int
end_field(struct ps_csv *c, struct ps_diags *d, unsigned long row)
{
	struct ps_buf *v;
	int rc;

	if (c->nf == PS_CSV_FIELDS)
		return ps_diag_add(d, PS_REFUSED, c->name, row, c->nf + 1, NULL,
		    "more than %d fields in a row", PS_CSV_FIELDS);
	if ((rc = check_text(c, d, row)) != 0)
		return rc;
	if (c->nf == c->capf) {
		size_t cap = c->capf ? c->capf * 2 : 16;

		if ((v = realloc(c->fields, cap * sizeof(*v))) == NULL)
			return ps_diag_nomem(d);
		memset(v + c->capf, 0, (cap - c->capf) * sizeof(*v));
		c->fields = v;
		c->capf = cap;
	}
	ps_buf_truncate(&c->fields[c->nf], 0);
	if (ps_buf_add(&c->fields[c->nf], c->field.s ? c->field.s : "",
	    c->field.len) == -1)
		return ps_diag_nomem(d);
	c->nf++;
	ps_buf_truncate(&c->field, 0);
	return 0;
}

int
ps_csv_next(struct ps_csv *c, struct ps_csv_row **out, struct ps_diags *d)
{
	unsigned long row = c->line;
	int ch, quoted = 0, rc;
	size_t i;

	*out = NULL;
	c->nf = 0;
	ps_buf_truncate(&c->field, 0);
	if ((ch = get(c)) == -1)
		return 0;
	if (ch != -2)	/* a read that failed consumed nothing */
		unget(c);
	for (;;) {
		ch = get(c);
		if (ch == -2)
			return ps_diag_add(d, PS_STORE, c->name, 0, 0, NULL,
			    "cannot read: %s", strerror(errno));
		if (quoted) {
			if (ch == -1)
				return ps_diag_add(d, PS_REFUSED, c->name, row,
				    c->nf + 1, NULL, "quoted field is not "
				    "closed before the end of the file");
			if (ch == '"') {
				if ((ch = get(c)) == '"') {
					if (ps_buf_putc(&c->field, '"') == -1)
						return ps_diag_nomem(d);
					continue;
				}
				quoted = 0;
				if (ch >= 0)
					unget(c);
				if (ch >= 0 && ch != ',' && ch != '\r' &&
				    ch != '\n')
					return ps_diag_add(d, PS_REFUSED,
					    c->name, row, c->nf + 1, NULL,
					    "text after the closing quote of "
					    "a field");
				continue;
			}
			if (ch == '\r') {
				/* CRLF inside a quoted field is a line break */
				if ((ch = get(c)) != '\n' && ch >= 0)
					unget(c);
				ch = '\n';
			}
			if (ch == '\n')
				c->line++;
		} else if (ch == '"' && c->field.len == 0) {
			quoted = 1;
			continue;
		} else if (ch == ',') {
			if ((rc = end_field(c, d, row)) != 0)
				return rc;
			continue;
		} else if (ch == '\r' || ch == '\n' || ch == -1) {
			if (ch == '\r' && (ch = get(c)) != '\n' && ch >= 0)
				unget(c);
			c->line++;
			if ((rc = end_field(c, d, row)) != 0)
				return rc;
			break;
		} else if (ch == '"')
			return ps_diag_add(d, PS_REFUSED, c->name, row,
			    c->nf + 1, NULL, "a quote inside a field that "
			    "does not start with one");
		if (c->field.len >= PS_CSV_FIELD)
			return ps_diag_add(d, PS_REFUSED, c->name, row,
			    c->nf + 1, NULL, "field is longer than 64 KiB");
		if (ps_buf_putc(&c->field, ch) == -1)
			return ps_diag_nomem(d);
	}
	if (c->nf > c->capp) {
		free(c->ptrs);
		if ((c->ptrs = calloc(c->capf, sizeof(*c->ptrs))) == NULL)
			return ps_diag_nomem(d);
		c->capp = c->capf;
	}
	for (i = 0; i < c->nf; i++)
		c->ptrs[i] = c->fields[i].s;
	c->row.f = c->ptrs;
	c->row.n = c->nf;
	c->row.row = row;
	*out = &c->row;
	return 0;
}
