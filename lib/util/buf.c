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

void *
ps_grow(void *v, size_t *cap, size_t need, size_t size, size_t first)
{
	size_t c = *cap ? *cap : first;

	if (need <= *cap)
		return v;
	while (c < need) {
		if (c > (size_t)-1 / 2)
			return NULL;
		c *= 2;
	}
	if ((v = reallocarray(v, c, size)) != NULL)
		*cap = c;
	return v;
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

int
ps_streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

int
ps_strcmpp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void
ps_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		free(v[i]);
	free(v);
}

void
ps_qsort(void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

void *
ps_bsearch(const void *key, const void *base, size_t n, size_t size,
    int (*cmp)(const void *, const void *))
{
	return n ? bsearch(key, base, n, size, cmp) : NULL;
}

long
ps_text_check(const char *s, size_t n, long *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, len, k;
	unsigned long c;

	while (i < n) {
		c = p[i];
		if (c >= 0x20 && c < 0x7f) {	/* printable ASCII: most text */
			i++;
			continue;
		}
		if (c < 0x80) {
			len = 1;
		} else if (c >= 0xc2 && c <= 0xdf) {
			len = 2;
			c &= 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			len = 3;
			c &= 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			len = 4;
			c &= 0x07;
		} else
			goto bad;
		if (len > n - i)
			goto bad;
		for (k = 1; k < len; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				goto bad;
			c = c << 6 | (p[i + k] & 0x3f);
		}
		if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
		    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
			goto bad;
		if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ||
		    (c >= 0x80 && c <= 0x9f && c != 0x85)) {
			*cp = (long)c;
			return (long)i;
		}
		i += len;
	}
	return -1;
bad:
	*cp = -1;
	return (long)i;
}
