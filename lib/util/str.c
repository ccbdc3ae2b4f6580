/* str: see str.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/str.h"

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

long
ps_str_check_text(const char *s, size_t n, long *cp)
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

void
ps_str_lower(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

int
ps_str_index(const char *const *list, const char *s)
{
	int i;

	for (i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

int
ps_str_listed(const char *list, const char *s)
{
	size_t n = strlen(s);
	const char *p;

	for (p = list; p && (p = strstr(p, s)) != NULL; p += n)
		if ((p == list || p[-1] == ',') && (p[n] == '\0' ||
		    p[n] == ','))
			return 1;
	return 0;
}
