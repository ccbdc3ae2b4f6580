/* diag: errors as values; see diag.h. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/diag.h"

static int vadd(struct ps_diags *, int, const char *, unsigned long,
    unsigned long, const char *, const char *, va_list)
    __attribute__((format(printf, 7, 0)));

static int
vadd(struct ps_diags *d, int status, const char *file, unsigned long line,
    unsigned long col, const char *path, const char *fmt, va_list ap)
{
	struct ps_diag *v, *x;
	char *m = NULL;
	va_list cp;
	int n;

	if (status > d->status)
		d->status = status;
	if (status != 0)
		d->errors++;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 8;

		if ((v = realloc(d->v, cap * sizeof(*v))) == NULL)
			goto nomem;
		d->v = v;
		d->cap = cap;
	}
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0 || (m = malloc((size_t)n + 1)) == NULL)
		goto nomem;
	vsnprintf(m, (size_t)n + 1, fmt, ap);
	x = &d->v[d->n];
	memset(x, 0, sizeof(*x));
	x->msg = m;
	x->status = status;
	x->line = line;
	x->col = col;
	if ((file && (x->file = strdup(file)) == NULL) ||
	    (path && *path && (x->path = strdup(path)) == NULL)) {
		free(x->file);
		free(x->msg);
		goto nomem;
	}
	d->n++;
	return status;
nomem:
	d->oom = 1;
	if (d->status < PS_STORE)
		d->status = PS_STORE;
	return status;
}

int
ps_diag_add(struct ps_diags *d, int status, const char *file,
    unsigned long line, unsigned long col, const char *path,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(d, status, file, line, col, path, fmt, ap);
	va_end(ap);
	return status;
}

int
ps_diag_at(struct ps_diags *d, int status, const struct ps_place *at,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	status = vadd(d, status, at->file, at->line, at->col, at->path, fmt,
	    ap);
	va_end(ap);
	return status;
}

int
ps_diag_err(struct ps_diags *d, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(d, status, NULL, 0, 0, NULL, fmt, ap);
	va_end(ap);
	return status;
}

int
ps_diag_warn(struct ps_diags *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vadd(d, 0, NULL, 0, 0, NULL, fmt, ap);
	va_end(ap);
	return 0;
}

int
ps_diag_nomem(struct ps_diags *d)
{
	return ps_diag_err(d, PS_STORE, "out of memory");
}

void
ps_diags_move(struct ps_diags *dst, struct ps_diags *src)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		struct ps_diag *s = &src->v[i];

		ps_diag_add(dst, s->status, s->file, s->line, s->col, s->path,
		    "%s", s->msg);
	}
	if (src->oom)
		dst->oom = 1;
	if (src->committed)
		dst->committed = 1;
	if (src->status > dst->status)
		dst->status = src->status;
	ps_diags_release(src);
}

/* Text on one line: a control character (a newline in a file name or an
   operand) is shown as '?'. */
static void
put_line(const char *s, FILE *fp)
{
	for (; *s; s++)
		putc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, fp);
}

void
ps_diags_print(const struct ps_diags *d, const char *tool, FILE *fp)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		const struct ps_diag *x = &d->v[i];

		fprintf(fp, "%s: ", tool);
		if (x->status == 0)
			fputs("warning: ", fp);
		if (x->file) {
			put_line(x->file, fp);
			if (x->line)
				fprintf(fp, ":%lu:%lu", x->line, x->col);
			fputs(": ", fp);
		}
		if (x->path) {
			put_line(x->path, fp);
			fputs(": ", fp);
		}
		put_line(x->msg, fp);
		putc('\n', fp);
	}
	if (d->oom)
		fprintf(fp, "%s: out of memory\n", tool);
}

void
ps_diags_release(struct ps_diags *d)
{
	size_t i;

	for (i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].path);
		free(d->v[i].msg);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}
