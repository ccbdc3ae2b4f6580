/* contactinfo: contact details in prose; see contactinfo.h. */
#include <stddef.h>
#include <string.h>
#include <strings.h>

#include "util/contactinfo.h"

/* Top-level domains that make a bare name.tld a web address. */
static const char *const tlds[] = { "com", "org", "net", "edu", "gov",
    "ca", "us", "uk", "io", "co", "me", "info", "biz", "app", "dev", "ly",
    "tv", "xyz", "online", "site", NULL };

/* A phone number is not longer than this, separators included. */
#define PHONE_MAX	40

static int
digit(int c)
{
	return c >= '0' && c <= '9';
}

static int
alnum(int c)
{
	return digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int
label_char(int c)
{
	return alnum(c) || c == '-';
}

/* What an address's local part may hold: more than a domain's labels. */
static int
local_char(int c)
{
	return label_char(c) || c == '.' || c == '_' || c == '%' || c == '+';
}

static int
at(const char *s, size_t i)
{
	return (unsigned char)s[i];
}

/*
 * Is t[0..n) a known top-level domain, in lower or in upper case? Not
 * "Me" or "Co": a sentence begun after a full stop without a space.
 */
static int
known_tld(const char *t, size_t n)
{
	size_t k, upper = 0;

	for (k = 0; k < n; k++)
		upper += t[k] >= 'A' && t[k] <= 'Z';
	if (upper != 0 && upper != n)
		return 0;
	for (k = 0; tlds[k]; k++)
		if (strlen(tlds[k]) == n && strncasecmp(tlds[k], t, n) == 0)
			return 1;
	return 0;
}

/*
 * The length of the domain name at s: two labels or more joined by dots,
 * the last of two letters or more, with *tld at it; 0 if none.
 */
static size_t
domain(const char *s, const char **tld)
{
	size_t i = 0, start, last = 0, end = 0, k;
	int labels = 0;

	for (;;) {
		start = i;
		while (label_char(at(s, i)))
			i++;
		if (i == start)
			break;
		labels++;
		last = start;
		end = i;
		if (s[i] != '.' || !label_char(at(s, i + 1)))
			break;
		i++;
	}
	if (labels < 2 || end - last < 2)
		return 0;
	for (k = last; k < end; k++)
		if (digit(at(s, k)) || s[k] == '-')
			return 0;
	*tld = s + last;
	return end;
}

/* name@domain.tld, its local part starting at i. */
static int
email_at(const char *s, size_t i)
{
	const char *tld;
	size_t j = i;

	if (i > 0 && local_char(at(s, i - 1)))
		return 0;
	while (local_char(at(s, j)))
		j++;
	return j > i && s[j] == '@' && domain(s + j + 1, &tld) > 0;
}

/* [at], (at) or {at} between two words: an address spelt out. */
static int
spelt_at(const char *s, size_t i)
{
	size_t j = i + 4;

	if (!(s[i] == '[' || s[i] == '(' || s[i] == '{') ||
	    strncasecmp(s + i + 1, "at", 2) != 0 ||
	    !(s[i + 3] == ']' || s[i + 3] == ')' || s[i + 3] == '}') ||
	    i == 0 || !(alnum(at(s, i - 1)) || s[i - 1] == ' '))
		return 0;
	while (s[j] == ' ')
		j++;
	return alnum(at(s, j));
}

/*
 * "dot" and a top-level domain, as in "example dot org": 0 if not; 2
 * when "at" and a word come before ("name at example dot org"), else 1.
 */
static int
spelt_dot(const char *s, size_t i)
{
	size_t j = i + 3, n = 0, k;

	if (i == 0 || s[i - 1] != ' ' || strncasecmp(s + i, "dot", 3) != 0 ||
	    s[j] != ' ')
		return 0;
	while (s[j] == ' ')
		j++;
	while (alnum(at(s, j + n)))
		n++;
	if (!known_tld(s + j, n))
		return 0;
	/* back over the spaces, the domain's word, the spaces */
	for (k = i - 1; k > 0 && s[k] == ' '; k--)
		;
	while (k > 0 && label_char(at(s, k)))
		k--;
	while (k > 0 && s[k] == ' ')
		k--;
	return k >= 1 && strncasecmp(s + k - 1, "at", 2) == 0 &&
	    (k == 1 || !alnum(at(s, k - 2))) ? 2 : 1;
}

/* http://, https://, www., name.tld/… or name.tld with a known tld. */
static int
web_at(const char *s, size_t i)
{
	const char *tld;
	size_t n;

	if (i > 0 && local_char(at(s, i - 1)))
		return 0;
	if (strncasecmp(s + i, "http://", 7) == 0 ||
	    strncasecmp(s + i, "https://", 8) == 0 ||
	    strncasecmp(s + i, "www.", 4) == 0)
		return 1;
	if ((n = domain(s + i, &tld)) == 0)
		return 0;
	return s[i + n] == '/' || (known_tld(tld, (size_t)(s + i + n - tld)) &&
	    !alnum(at(s, i + n)));
}

/* @name, not after a word (that is an address, or nothing). */
static int
handle_at(const char *s, size_t i)
{
	return s[i] == '@' && (i == 0 || !local_char(at(s, i - 1))) &&
	    (alnum(at(s, i + 1)) || s[i + 1] == '_') &&
	    (alnum(at(s, i + 2)) || s[i + 2] == '_');
}

/*
 * Digits in groups joined by up to three of space, hyphen, dot and
 * parentheses: a phone number when there are seven or more, but not
 * when each group is a year (2015-2019), nor a date (2019-05-04,
 * 04 05 2019), nor one run short of ten digits. Groups of one or two
 * digits (9.30-12.30) are a phone number only as five pairs, the first
 * opening with 0 (06 12 34 56 78). After a "+", any seven digits.
 */
static int
phone_at(const char *s, size_t i)
{
	const char *p = s + i, *q, *g, *end = s + i + PHONE_MAX;
	int plus = 0, n = 0, digits = 0, years = 1, small = 1, pairs = 1;
	int k, len[3] = { 0 };
	char first = 0;
	long year;

	if (!(digit(*p) || *p == '+' || *p == '(') ||
	    (i > 0 && (alnum(at(s, i - 1)) || s[i - 1] == '+')))
		return 0;
	if (*p == '+') {
		plus = 1;
		p++;
	}
	for (;;) {
		for (q = p, k = 0; *q && strchr(" -.()", *q) && k < 3; q++)
			k++;
		if (!digit(*q) || q >= end)
			break;
		if (n == 0)
			first = *q;
		for (g = q, year = 0; digit(*q) && q < end; q++)
			year = year * 10 + (*q - '0');
		if (n < 3)
			len[n] = (int)(q - g);
		if (q - g != 4 || year < 1900 || year > 2099)
			years = 0;
		small &= q - g <= 2;
		pairs &= q - g == 2;
		n++;
		digits += (int)(q - g);
		p = q;
	}
	if (digits < 7)
		return 0;
	if (plus)
		return 1;
	if (years || (n == 1 && digits < 10))
		return 0;
	if (small)
		return n == 5 && pairs && first == '0';
	return !(n == 3 && ((len[0] == 4 && len[1] == 2 && len[2] == 2) ||
	    (len[0] == 2 && len[1] == 2 && len[2] == 4)));
}

const char *
ps_contactinfo_find(const char *s)
{
	size_t i;
	int w;

	for (i = 0; s[i]; i++) {
		if (email_at(s, i) || spelt_at(s, i))
			return "an email address";
		if ((w = spelt_dot(s, i)) != 0)
			return w == 2 ? "an email address" : "a web address";
		if (web_at(s, i))
			return "a web address";
		if (handle_at(s, i))
			return "a social media handle";
		if (phone_at(s, i))
			return "a phone number";
	}
	return NULL;
}
