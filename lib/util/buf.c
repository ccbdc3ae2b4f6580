/* buf: growable byte buffer; see buf.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

static int
grow(struct ps_buf *b, size_t need)
{
	size_t cap;
	char *s;

	if (need < b->len || need == (size_t)-1)
		return -1;
	if (need + 1 <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need + 1) {
		if (cap > (size_t)-1 / 2)
			return -1;
		cap *= 2;
	}
	if ((s = realloc(b->s, cap)) == NULL)
		return -1;
	b->s = s;
	b->cap = cap;
	return 0;
}

int
ps_buf_reserve(struct ps_buf *b, size_t n)
{
	return n > (size_t)-1 - b->len ? -1 : grow(b, b->len + n);
}

int
ps_buf_add(struct ps_buf *b, const void *p, size_t n)
{
	if (grow(b, b->len + n) == -1)
		return -1;
	if (n > 0)
		memcpy(b->s + b->len, p, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int
ps_buf_puts(struct ps_buf *b, const char *s)
{
	return ps_buf_add(b, s, strlen(s));
}

int
ps_buf_putc(struct ps_buf *b, int c)
{
	char ch = (char)c;

	return ps_buf_add(b, &ch, 1);
}

int
ps_buf_printf(struct ps_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || grow(b, b->len + (size_t)n) == -1)
		return -1;
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return 0;
}

void
ps_buf_truncate(struct ps_buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->s[len] = '\0';
	}
}

char *
ps_buf_detach(struct ps_buf *b)
{
	char *s = b->s;

	if (s == NULL)
		s = calloc(1, 1);
	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void
ps_buf_release(struct ps_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}
