/*
 * yaml_write: the store's one canonical YAML form; see yaml.h.
 *
 * We write YAML ourselves rather than through libyaml's emitter: the form
 * must be byte-stable (git diffs show only real changes) and the quoting
 * decision depends on what the schema says a scalar is, which the emitter
 * cannot know.
 */
#include <string.h>

#include "model/yaml.h"

static int
word_is(const char *s, size_t n, const char *const *words)
{
	size_t i;

	for (; *words; words++) {
		if (strlen(*words) != n)
			continue;
		for (i = 0; i < n; i++)
			if ((s[i] | 0x20) != ((*words)[i] | 0x20))
				break;
		if (i == n)
			return 1;
	}
	return 0;
}

/*
 * A string written plain must read back as the same string under YAML 1.1
 * (PyYAML, libyaml users) and YAML 1.2 (yq, Go, JS): so no booleans of
 * either (yes, no, on, off, y, n), no null, nothing number-, date- or
 * time-like (anything starting with a digit, sign or dot), no indicator
 * first, no ": " or " #" inside, no edge spaces, no control characters.
 */
int
ps_yaml_needs_quotes(const char *s, size_t n)
{
	static const char *const words[] = { "y", "n", "yes", "no", "true",
	    "false", "on", "off", "null", "~", NULL };
	size_t i;

	if (n == 0 || word_is(s, n, words))
		return 1;
	if (strchr("-?:,[]{}#&*!|>'\"%@` \t+.0123456789=<", s[0]))
		return 1;
	if (s[n - 1] == ' ' || s[n - 1] == ':' || s[n - 1] == '\t')
		return 1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			return 1;
		if (c == ':' && i + 1 < n && (s[i + 1] == ' '))
			return 1;
		if (c == '#' && i > 0 && s[i - 1] == ' ')
			return 1;
		/* U+0085, U+2028, U+2029 break lines; U+FEFF is a BOM */
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85)
			return 1;
		if (c == 0xe2 && i + 2 < n && (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] == 0xa8 ||
		    (unsigned char)s[i + 2] == 0xa9))
			return 1;
		if (c == 0xef && i + 2 < n && (unsigned char)s[i + 1] == 0xbb &&
		    (unsigned char)s[i + 2] == 0xbf)
			return 1;
	}
	return 0;
}

/*
 * Can text typed plain be written plain again, and read back the same?
 * Most can; not what only a flow context or a stream's start let through
 * (a leading byte-order mark, an indicator first), nor anything
 * ps_yaml_needs_quotes() sees breaking a line or a mapping. Whatever
 * fails here, ps_yaml_needs_quotes() quotes too, so that the text
 * written is a fixpoint.
 */
static int
plain_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || strchr(",[]{}#&*!|>'\"%@` ", s[0]) ||
	    (strchr("-?:", s[0]) && (n == 1 || s[1] == ' ')))
		return 0;
	if (s[n - 1] == ' ' || s[n - 1] == ':')
		return 0;
	/* a document or conflict marker, where a key or a root scalar
	   starts a line */
	if (n >= 3 && (strncmp(s, "---", 3) == 0 || strncmp(s, "...", 3) == 0)
	    && (n == 3 || s[3] == ' '))
		return 0;
	if (n >= 7 && (strncmp(s, "<<<<<<<", 7) == 0 ||
	    strncmp(s, "=======", 7) == 0))
		return 0;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)	/* tab too: quoted, escaped */
			return 0;
		if ((c == ':' && i + 1 < n && s[i + 1] == ' ') ||
		    (c == '#' && i > 0 && s[i - 1] == ' '))
			return 0;
		/* U+0085, U+2028, U+2029 break lines; U+FEFF is a BOM */
		if (c == 0xc2 && i + 1 < n && (unsigned char)s[i + 1] == 0x85)
			return 0;
		if (c == 0xe2 && i + 2 < n &&
		    (unsigned char)s[i + 1] == 0x80 &&
		    ((unsigned char)s[i + 2] & 0xfe) == 0xa8)
			return 0;
		if (c == 0xef && i + 2 < n &&
		    (unsigned char)s[i + 1] == 0xbb &&
		    (unsigned char)s[i + 2] == 0xbf)
			return 0;
	}
	return 1;
}

static int
write_quoted(struct ps_buf *b, const char *s, size_t n)
{
	size_t i;
	int rc = ps_buf_putc(b, '"');

	for (i = 0; i < n && rc == 0; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			rc = ps_buf_puts(b, "\\\"");
			break;
		case '\\':
			rc = ps_buf_puts(b, "\\\\");
			break;
		case '\n':
			rc = ps_buf_puts(b, "\\n");
			break;
		case '\t':
			rc = ps_buf_puts(b, "\\t");
			break;
		case '\r':
			rc = ps_buf_puts(b, "\\r");
			break;
		default:
			if (c < 0x20 || c == 0x7f)
				rc = ps_buf_printf(b, "\\x%02x", c);
			else if (c == 0xc2 && i + 1 < n &&
			    (unsigned char)s[i + 1] == 0x85) {
				rc = ps_buf_puts(b, "\\N");
				i++;
			} else if (c == 0xe2 && i + 2 < n &&
			    (unsigned char)s[i + 1] == 0x80 &&
			    ((unsigned char)s[i + 2] & 0xfe) == 0xa8) {
				rc = ps_buf_puts(b, s[i + 2] == (char)0xa8 ?
				    "\\L" : "\\P");
				i += 2;
			} else if (c == 0xef && i + 2 < n &&
			    (unsigned char)s[i + 1] == 0xbb &&
			    (unsigned char)s[i + 2] == 0xbf) {
				rc = ps_buf_puts(b, "\\ufeff");
				i += 2;
			} else
				rc = ps_buf_putc(b, c);
		}
	}
	return rc ? rc : ps_buf_putc(b, '"');
}

static int
write_scalar(struct ps_buf *b, const struct ps_node *n)
{
	int quote;

	/* not validated: a scalar typed plain stays plain where it can */
	if (n->as == PS_AS_UNKNOWN && !n->quoted)
		quote = !plain_ok(n->str, n->len);
	else if (n->as == PS_AS_PLAIN)
		quote = n->len == 0 || memchr(n->str, '\n', n->len) != NULL;
	else
		quote = ps_yaml_needs_quotes(n->str, n->len);
	return quote ? write_quoted(b, n->str, n->len) :
	    ps_buf_add(b, n->str, n->len);
}

static int
indent(struct ps_buf *b, int level)
{
	int i, rc = 0;

	for (i = 0; i < level && rc == 0; i++)
		rc = ps_buf_puts(b, "  ");
	return rc;
}

/*
 * Write the entries of a collection at an indent level; inl: the cursor is
 * on a "- " line, so a mapping's first key continues that line.
 */
static int write_node(struct ps_buf *, const struct ps_node *, int, int);

/* Write the value part after "key:" or "-". */
static int
write_value(struct ps_buf *b, const struct ps_node *v, int level)
{
	if (v->type == PS_NODE_SCALAR) {
		if (ps_buf_putc(b, ' ') || write_scalar(b, v))
			return -1;
		return ps_buf_putc(b, '\n');
	}
	if (v->n == 0)
		return ps_buf_puts(b, v->type == PS_NODE_MAP ? " {}\n" : " []\n");
	if (ps_buf_putc(b, '\n'))
		return -1;
	return write_node(b, v, level + 1, 0);
}

static int
write_node(struct ps_buf *b, const struct ps_node *n, int level, int inl)
{
	size_t i;

	for (i = 0; i < n->n; i++) {
		const struct ps_node *v = n->vals[i];

		if (!(inl && i == 0) && indent(b, level))
			return -1;
		if (n->type == PS_NODE_MAP) {
			if (write_scalar(b, n->keys[i]) || ps_buf_putc(b, ':') ||
			    write_value(b, v, level))
				return -1;
			continue;
		}
		if (ps_buf_putc(b, '-'))
			return -1;
		if (v->type == PS_NODE_MAP && v->n > 0) {
			if (ps_buf_putc(b, ' ') || write_node(b, v, level + 1, 1))
				return -1;
		} else if (v->type == PS_NODE_SEQ && v->n > 0) {
			if (ps_buf_putc(b, '\n') || write_node(b, v, level + 1, 0))
				return -1;
		} else if (write_value(b, v, level))
			return -1;
	}
	return 0;
}

int
ps_yaml_write(struct ps_buf *b, const struct ps_node *n)
{
	if (n->type == PS_NODE_SCALAR) {
		if (write_scalar(b, n))
			return -1;
		return ps_buf_putc(b, '\n');
	}
	if (n->n == 0)
		return ps_buf_puts(b, n->type == PS_NODE_MAP ? "{}\n" : "[]\n");
	return write_node(b, n, 0, 0);
}
