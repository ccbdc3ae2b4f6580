/*
 * yaml_read: strict record reading over libyaml's event API; see yaml.h.
 *
 * libyaml is converted here, once: its marks are 0-based, its functions
 * return 1 on success. The read handler sits between the file and the
 * parser so that it can bound memory per record (libyaml would buffer a
 * scalar of any size) and see raw lines for git conflict markers, which
 * libyaml happily accepts inside quoted values.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/mem.h"
#include "util/str.h"
#include "model/yaml.h"

/* How far the read handler may run ahead of a record's start. */
#define READ_SLACK	(64 * 1024)

struct frame {
	struct ps_node	*node;
	int		 want_key;	/* map: next scalar is a key */
	struct ps_node	*key;		/* map: key waiting for its value */
};

struct ps_yaml_reader {
	yaml_parser_t	 parser;
	int		 parser_ok;
	char		*name;
	int		 flags;
	/* input */
	int		 fd;
	const char	*mem;
	size_t		 memlen;
	size_t		 memoff;
	size_t		 total;		/* bytes handed to libyaml */
	size_t		 rec_start;	/* total when the record began */
	size_t		 errors0;	/* d->errors when the reader began */
	int		 read_errno;
	int		 too_big;
	int		 cut;		/* a pipe ended in mid-line */
	struct ps_buf	*kept;		/* gets a copy of the bytes read */
	unsigned char	 last, last_nb;	/* the last byte read, non-blank */
	/* conflict-marker scan */
	char		 pfx[9];
	size_t		 pfxlen;
	int		 cr;		/* the last byte was a CR */
	unsigned long	 line;
	unsigned long	 marker_line;
	/* tree being built */
	struct frame	 stack[PS_YAML_DEPTH + 2];
	int		 depth;
	int		 split;		/* root is a sequence being split */
	size_t		 rec_index;	/* mark.index at record start */
	yaml_mark_t	 rec_mark;	/* where the record began */
	yaml_mark_t	 last_end;	/* where the last event ended */
	int		 docs;
	int		 failed;
	int		 done;
	struct ps_arena	*arena;		/* PS_YAML_ARENA: the record's */
};

static int
is_marker(const char *p, size_t len, int eol)
{
	size_t i;

	if (len > 0 && p[len - 1] == '\r')
		len--, eol = 1;
	if (len < 7)
		return 0;
	for (i = 1; i < 7; i++)
		if (p[i] != p[0])
			return 0;
	if (p[0] == '<' || p[0] == '>')
		return len == 7 ? eol : p[7] == ' ';
	return p[0] == '=' && len == 7 && eol;
}

/*
 * Scan raw bytes for lines that are git conflict markers. A line that
 * does not start like one is skipped to its end at memchr's pace.
 */
static void
scan_markers(struct ps_yaml_reader *r, const unsigned char *p, size_t n)
{
	const unsigned char *e = p + n, *lf, *cr;

	while (p < e && r->marker_line == 0) {
		if (r->pfxlen == 9 && *p != '\n' && *p != '\r') {
			lf = memchr(p, '\n', (size_t)(e - p));
			cr = memchr(p, '\r', (size_t)((lf ? lf : e) - p));
			r->cr = 0;
			if ((p = cr ? cr : lf) == NULL)
				return;
		}
		/* lines end in LF, CRLF or CR alone, as YAML says */
		if (*p == '\n' && r->cr) {
			r->cr = 0;
			p++;
			continue;
		}
		r->cr = *p == '\r';
		if (*p == '\n' || *p == '\r') {
			if (r->pfxlen <= 8 && is_marker(r->pfx, r->pfxlen, 1))
				r->marker_line = r->line;
			r->line++;
			r->pfxlen = 0;
		} else if (r->pfxlen == 0 && *p != '<' && *p != '=' &&
		    *p != '>')
			r->pfxlen = 9;	/* not a marker line */
		else if (r->pfxlen < 9) {
			r->pfx[r->pfxlen++] = (char)*p;
			if (r->pfxlen == 9 && is_marker(r->pfx, 9, 0))
				r->marker_line = r->line;
		}
		p++;
	}
}

static void
last_bytes(struct ps_yaml_reader *r, const unsigned char *buf, size_t n)
{
	r->last = buf[n - 1];
	while (n > 0 && strchr(" \t\r\n", buf[n - 1]) != NULL)
		n--;
	if (n > 0)
		r->last_nb = buf[n - 1];
}

/*
 * A pipe that ends in the middle of a line: what wrote it was most likely
 * stopped (killed, or out of room) half-way through a record, which may
 * still parse ("minutes: 3" for "minutes: 30"). Every tool ends what it
 * writes with a newline; JSON without one ends with } or ], and a JSON
 * record cut short does not parse. (One cut at a line's end cannot be
 * told from a whole one.)
 */
static int
cut_short(struct ps_yaml_reader *r)
{
	struct stat st;

	if (r->total == 0 || r->last == '\n' || r->last_nb == '}' ||
	    r->last_nb == ']' || fstat(r->fd, &st) == -1 ||
	    S_ISREG(st.st_mode))
		return 0;
	r->cut = 1;
	return 1;
}

static int
read_handler(void *data, unsigned char *buf, size_t size, size_t *got)
{
	struct ps_yaml_reader *r = data;
	ssize_t n;

	*got = 0;
	if (!(r->flags & PS_YAML_LARGE) &&
	    r->total - r->rec_start > PS_YAML_RECORD + READ_SLACK) {
		r->too_big = 1;
		return 0;
	}
	if (r->mem && (r->memoff < r->memlen || r->fd == -1)) {
		n = (ssize_t)(r->memlen - r->memoff);
		if ((size_t)n > size)
			n = (ssize_t)size;
		memcpy(buf, r->mem + r->memoff, (size_t)n);
		r->memoff += (size_t)n;
	} else {
		do
			n = read(r->fd, buf, size);
		while (n == -1 && errno == EINTR);
		if (n == -1) {
			r->read_errno = errno;
			return 0;
		}
		if (n == 0 && cut_short(r))
			return 0;
	}
	if (n > 0)
		last_bytes(r, buf, (size_t)n);
	if (n > 0 && r->kept && ps_buf_add(r->kept, buf, (size_t)n) == -1) {
		r->read_errno = ENOMEM;
		return 0;
	}
	if (n == 0 && r->pfxlen > 0 && r->pfxlen <= 8 &&
	    is_marker(r->pfx, r->pfxlen, 1))
		r->marker_line = r->line;
	scan_markers(r, buf, (size_t)n);
	if (r->marker_line)
		return 0;
	r->total += (size_t)n;
	*got = (size_t)n;
	return 1;
}

static int
reader_new(struct ps_yaml_reader **out, const char *name, int flags,
    struct ps_diags *d)
{
	struct ps_yaml_reader *r;

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL ||
	    (r->name = strdup(name)) == NULL) {
		free(r);
		return ps_diag_nomem(d);
	}
	if (!yaml_parser_initialize(&r->parser)) {
		free(r->name);
		free(r);
		return ps_diag_nomem(d);
	}
	r->parser_ok = 1;
	r->flags = flags & PS_YAML_SPLIT_SEQ ? flags & ~PS_YAML_ARENA : flags;
	r->fd = -1;
	r->line = 1;
	r->errors0 = d->errors;
	yaml_parser_set_input(&r->parser, read_handler, r);
	*out = r;
	return 0;
}

int
ps_yaml_reader_fd(struct ps_yaml_reader **out, int fd, const char *name,
    int flags, struct ps_diags *d)
{
	int rc = reader_new(out, name, flags, d);

	if (rc == 0)
		(*out)->fd = fd;
	return rc;
}

int
ps_yaml_reader_mem(struct ps_yaml_reader **out, const char *buf, size_t len,
    const char *name, int flags, struct ps_diags *d)
{
	int rc = reader_new(out, name, flags, d);

	if (rc == 0) {
		(*out)->mem = buf ? buf : "";
		(*out)->memlen = len;
	}
	return rc;
}

int
ps_yaml_reader_resume(struct ps_yaml_reader **out, const char *head,
    size_t len, int fd, const char *name, int flags, struct ps_diags *d)
{
	int rc = reader_new(out, name, flags, d);

	if (rc == 0) {
		(*out)->mem = head ? head : "";
		(*out)->memlen = len;
		(*out)->fd = fd;
	}
	return rc;
}

static void
clear_stack(struct ps_yaml_reader *r)
{
	while (r->depth > 0) {
		r->depth--;
		ps_node_free(r->stack[r->depth].node);
		ps_node_free(r->stack[r->depth].key);
		memset(&r->stack[r->depth], 0, sizeof(r->stack[0]));
	}
}

void
ps_yaml_reader_free(struct ps_yaml_reader *r)
{
	if (r == NULL)
		return;
	clear_stack(r);
	ps_arena_free(r->arena);
	if (r->parser_ok)
		yaml_parser_delete(&r->parser);
	free(r->name);
	free(r);
}

static int fail(struct ps_yaml_reader *, struct ps_diags *, int,
    const yaml_mark_t *, const char *, ...)
    __attribute__((format(printf, 5, 6)));

static int
fail(struct ps_yaml_reader *r, struct ps_diags *d, int status,
    const yaml_mark_t *m, const char *fmt, ...)
{
	char msg[300];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	r->failed = 1;
	return ps_diag_add(d, status, r->name, m ? m->line + 1 : 0,
	    m ? m->column + 1 : 0, NULL, "%s", msg);
}

/*
 * Where libyaml's reader stopped: it decodes ahead of the scanner, so the
 * bad byte lies after the scanner's mark by what was decoded since.
 */
static yaml_mark_t
reader_mark(const yaml_parser_t *p)
{
	const unsigned char *s = p->buffer.pointer, *e = p->buffer.last;
	yaml_mark_t m = p->mark;

	for (; s && s < e; s++) {
		if (*s == '\n' ||
		    (*s == '\r' && (s + 1 == e || s[1] != '\n'))) {
			m.line++;
			m.column = 0;
		} else if (*s != '\r' && (*s & 0xc0) != 0x80)
			m.column++;
	}
	return m;
}

/* Report why libyaml stopped: our handler's reasons first. */
static int
parse_error(struct ps_yaml_reader *r, struct ps_diags *d)
{
	yaml_parser_t *p = &r->parser;
	yaml_mark_t m = p->problem_mark;

	if (r->marker_line) {
		r->failed = 1;
		return ps_diag_add(d, PS_REFUSED, r->name, r->marker_line, 1,
		    NULL, "git conflict marker: resolve the merge conflict, "
		    "then run again");
	}
	if (r->too_big)
		return fail(r, d, PS_REFUSED, &r->rec_mark,
		    "record is larger than %s", "256 KiB");
	if (r->read_errno)
		return fail(r, d, PS_STORE, NULL, "cannot read: %s",
		    strerror(r->read_errno));
	if (r->cut)
		return fail(r, d, PS_REFUSED, &r->rec_mark, "the input ends in the "
		    "middle of a line: its last record looks cut short (was "
		    "what wrote it stopped?)");
	if (p->error == YAML_MEMORY_ERROR)
		return fail(r, d, PS_STORE, NULL, "%s", "out of memory");
	if (p->error == YAML_READER_ERROR) {
		m = reader_mark(p);
		if (p->problem_value == 0)
			return fail(r, d, PS_REFUSED, &m, "not text: a NUL "
			    "byte (if this is UTF-16, convert it to UTF-8)");
		if (p->problem && strstr(p->problem, "control"))
			return fail(r, d, PS_REFUSED, &m, "control "
			    "character U+%04X is not allowed",
			    (unsigned)p->problem_value);
		if (p->problem && strstr(p->problem, "UTF-16"))
			return fail(r, d, PS_REFUSED, &m, "not valid UTF-16 "
			    "text: %s: convert it to UTF-8", p->problem);
		return fail(r, d, PS_REFUSED, &m, "not valid UTF-8 text: %s",
		    p->problem ? p->problem : "bad byte");
	}
	if (p->problem == NULL)
		return fail(r, d, PS_REFUSED, &p->mark, "not valid YAML");
	if (p->context) {
		char msg[256];

		snprintf(msg, sizeof(msg), "%s %s", p->problem, p->context);
		return fail(r, d, PS_REFUSED, &m, "not valid YAML: %s", msg);
	}
	return fail(r, d, PS_REFUSED, &m, "not valid YAML: %s", p->problem);
}

static int
keycmp(const void *a, const void *b)
{
	const struct ps_node *x = *(struct ps_node *const *)a;
	const struct ps_node *y = *(struct ps_node *const *)b;
	int c = strcmp(x->str, y->str);

	if (c != 0)
		return c;
	return x->line != y->line ? (x->line < y->line ? -1 : 1) :
	    (x->col < y->col ? -1 : x->col > y->col);
}

/* A key given twice: at the second, which names the first's line, not
   the key (input: it may be anything). */
static int
dup_found(struct ps_yaml_reader *r, const struct ps_node *k,
    const struct ps_node *first, struct ps_diags *d)
{
	r->failed = 1;
	return ps_diag_add(d, PS_REFUSED, r->name, k->line, k->col, NULL,
	    "duplicate key: the same key is on line %lu", first->line);
}

/* Duplicate keys: sort a copy of the keys, report the later of a pair. */
static int
check_dups(struct ps_yaml_reader *r, const struct ps_node *m,
    struct ps_diags *d)
{
	struct ps_node **k;
	size_t i;
	int rc = 0;

	if (m->n <= 33)
		return 0;	/* dup_key() has compared every pair */
	if ((k = malloc(m->n * sizeof(*k))) == NULL)
		return ps_diag_nomem(d);
	memcpy(k, m->keys, m->n * sizeof(*k));
	ps_mem_sort(k, m->n, sizeof(*k), keycmp);
	for (i = 1; i < m->n; i++)
		if (strcmp(k[i - 1]->str, k[i]->str) == 0) {
			rc = dup_found(r, k[i], k[i - 1], d);
			break;
		}
	free(k);
	return rc;
}

/*
 * A key already in a small mapping: refused at once, so that a stream of
 * one key repeated is not read up to the record bound first. Larger
 * mappings are checked when they end (check_dups), in n log n.
 */
static int
dup_key(struct ps_yaml_reader *r, const struct ps_node *m,
    const struct ps_node *k, struct ps_diags *d)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (m->keys[i]->len == k->len &&
		    memcmp(m->keys[i]->str, k->str, k->len) == 0) {
			return dup_found(r, k, m->keys[i], d);
		}
	return 0;
}

/* A node for the record being read: in the reader's arena, or its own. */
static struct ps_node *
new_node(struct ps_yaml_reader *r, enum ps_node_type t, const char *s,
    size_t len)
{
	return ps_node_new_in(r->flags & PS_YAML_ARENA ? &r->arena : NULL, t,
	    s, len);
}

/* Attach a finished node to its parent; *rec gets a finished record. */
static int
attach(struct ps_yaml_reader *r, struct ps_node *n, struct ps_node **rec,
    struct ps_diags *d)
{
	struct frame *f;

	if (r->depth == 0 || (r->split && r->depth == 1)) {
		if (n->pooled) {	/* the record takes the arena */
			n->arena = r->arena;
			r->arena = NULL;
		}
		*rec = n;
		return 0;
	}
	f = &r->stack[r->depth - 1];
	if (f->node->type == PS_NODE_SEQ) {
		if (ps_node_reserve(f->node, &r->arena) == -1) {
			ps_node_free(n);
			return ps_diag_nomem(d);
		}
		f->node->vals[f->node->n++] = n;
		return 0;
	}
	if (f->want_key) {
		if (n->type != PS_NODE_SCALAR) {
			yaml_mark_t m = { 0, n->line - 1, n->col - 1 };

			ps_node_free(n);
			return fail(r, d, PS_REFUSED, &m,
			    "mapping keys must be plain text");
		}
		if (!n->quoted && strcmp(n->str, "<<") == 0) {
			yaml_mark_t m = { 0, n->line - 1, n->col - 1 };

			ps_node_free(n);
			return fail(r, d, PS_REFUSED, &m,
			    "merge keys (<<) are not allowed");
		}
		if (f->node->n <= 32 && dup_key(r, f->node, n, d) != 0) {
			ps_node_free(n);
			return PS_REFUSED;
		}
		f->key = n;
		f->want_key = 0;
		return 0;
	}
	if (ps_node_reserve(f->node, &r->arena) == -1)
		goto nomem;
	f->node->keys[f->node->n] = f->key;
	f->node->vals[f->node->n++] = n;
	f->key = NULL;
	f->want_key = 1;
	return 0;
nomem:
	ps_node_free(n);
	return ps_diag_nomem(d);
}

static int
check_record_size(struct ps_yaml_reader *r, const yaml_event_t *ev,
    struct ps_diags *d)
{
	if (!(r->flags & PS_YAML_LARGE) &&
	    ev->end_mark.index - r->rec_index > PS_YAML_RECORD)
		return fail(r, d, PS_REFUSED, &r->rec_mark,
		    "record is larger than %s", "256 KiB");
	return 0;
}

static void
record_begins(struct ps_yaml_reader *r, const yaml_event_t *ev)
{
	r->rec_index = ev->start_mark.index;
	r->rec_mark = ev->start_mark;
	r->rec_start = r->total;
}

/* Handle one event; sets *rec when a record is complete. */
static int
event(struct ps_yaml_reader *r, yaml_event_t *ev, struct ps_node **rec,
    struct ps_diags *d)
{
	struct ps_node *n = NULL;
	const char *anchor = NULL, *tag = NULL;
	long cp;

	switch (ev->type) {
	case YAML_STREAM_START_EVENT:
		if (ev->data.stream_start.encoding != YAML_UTF8_ENCODING &&
		    ev->data.stream_start.encoding != YAML_ANY_ENCODING)
			return fail(r, d, PS_REFUSED, &ev->start_mark,
			    "not UTF-8 text: convert it to UTF-8");
		return 0;
	case YAML_STREAM_END_EVENT:
		r->done = 1;
		return 0;
	case YAML_DOCUMENT_START_EVENT:
		if (++r->docs > 1 && (r->flags & PS_YAML_ONE_DOC))
			return fail(r, d, PS_REFUSED, &ev->start_mark,
			    "more than one document in a record file");
		if (ev->data.document_start.tag_directives.start !=
		    ev->data.document_start.tag_directives.end)
			return fail(r, d, PS_REFUSED, &ev->start_mark,
			    "%%TAG directives are not allowed");
		record_begins(r, ev);
		r->split = 0;
		return 0;
	case YAML_DOCUMENT_END_EVENT:
		return 0;
	case YAML_ALIAS_EVENT:
		return fail(r, d, PS_REFUSED, &ev->start_mark,
		    "aliases are not allowed");
	case YAML_SCALAR_EVENT:
		anchor = (const char *)ev->data.scalar.anchor;
		tag = (const char *)ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = (const char *)ev->data.sequence_start.anchor;
		tag = (const char *)ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = (const char *)ev->data.mapping_start.anchor;
		tag = (const char *)ev->data.mapping_start.tag;
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		n = r->stack[--r->depth].node;
		r->stack[r->depth].node = NULL;
		if (n->type == PS_NODE_MAP && check_dups(r, n, d) != 0) {
			ps_node_free(n);
			return PS_REFUSED;
		}
		if (r->depth == 0 && r->split) {
			ps_node_free(n);	/* the emptied outer sequence */
			return 0;
		}
		if ((r->depth == 0 || (r->split && r->depth == 1)) &&
		    check_record_size(r, ev, d) != 0) {
			ps_node_free(n);
			return PS_REFUSED;
		}
		return attach(r, n, rec, d);
	default:
		return 0;
	}
	if (anchor)
		return fail(r, d, PS_REFUSED, &ev->start_mark,
		    "anchors are not allowed");
	if (tag)
		return fail(r, d, PS_REFUSED, &ev->start_mark,
		    "tags are not allowed");
	if (r->split && r->depth == 1)
		record_begins(r, ev);
	if (ev->type == YAML_SCALAR_EVENT) {
		if (ev->data.scalar.length > PS_YAML_SCALAR)
			return fail(r, d, PS_REFUSED, &ev->start_mark,
			    "value is longer than %s", "64 KiB");
		if (ps_str_check_text((const char *)ev->data.scalar.value,
		    ev->data.scalar.length, &cp) != -1)
			return cp == 0 ? fail(r, d, PS_REFUSED,
			    &ev->start_mark, "a NUL character (\\0) is not "
			    "allowed in a value") : fail(r, d, PS_REFUSED,
			    &ev->start_mark, "control character U+%04lX is not "
			    "allowed in a value", (unsigned long)cp);
		n = new_node(r, PS_NODE_SCALAR,
		    (const char *)ev->data.scalar.value,
		    ev->data.scalar.length);
		if (n == NULL)
			return ps_diag_nomem(d);
		n->quoted = ev->data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
		n->line = ev->start_mark.line + 1;
		n->col = ev->start_mark.column + 1;
		return attach(r, n, rec, d);
	}
	if (r->depth >= PS_YAML_DEPTH)
		return fail(r, d, PS_REFUSED, &ev->start_mark,
		    "nesting deeper than %s levels", "32");
	n = new_node(r, ev->type == YAML_MAPPING_START_EVENT ? PS_NODE_MAP :
	    PS_NODE_SEQ, NULL, 0);
	if (n == NULL)
		return ps_diag_nomem(d);
	n->line = ev->start_mark.line + 1;
	n->col = ev->start_mark.column + 1;
	if (r->depth > 0 && r->stack[r->depth - 1].want_key &&
	    r->stack[r->depth - 1].node->type == PS_NODE_MAP) {
		ps_node_free(n);
		return fail(r, d, PS_REFUSED, &ev->start_mark,
		    "mapping keys must be plain text");
	}
	if (r->depth == 0 && n->type == PS_NODE_SEQ &&
	    (r->flags & PS_YAML_SPLIT_SEQ))
		r->split = 1;
	r->stack[r->depth].node = n;
	r->stack[r->depth].want_key = n->type == PS_NODE_MAP;
	r->stack[r->depth].key = NULL;
	r->depth++;
	return 0;
}

int
ps_yaml_reader_next(struct ps_yaml_reader *r, struct ps_node **out,
    struct ps_diags *d)
{
	yaml_event_t ev;
	int rc;

	*out = NULL;
	if (r->failed)
		return PS_REFUSED;
	if (!r->done && d->errors >= r->errors0 + PS_YAML_PROBLEMS)
		return fail(r, d, PS_REFUSED, &r->last_end, "too many "
		    "problems: stopped after %d, the rest was not read",
		    PS_YAML_PROBLEMS);
	while (!r->done && *out == NULL) {
		if (!yaml_parser_parse(&r->parser, &ev)) {
			rc = parse_error(r, d);
			clear_stack(r);
			return rc;
		}
		r->last_end = ev.end_mark;
		rc = event(r, &ev, out, d);
		yaml_event_delete(&ev);
		if (rc != 0) {
			r->failed = 1;
			ps_node_free(*out);
			*out = NULL;
			clear_stack(r);
			return rc;
		}
	}
	return 0;
}

static int
load(struct ps_node **out, struct ps_yaml_reader *r, struct ps_diags *d)
{
	struct ps_node *extra = NULL;
	int rc;

	if ((rc = ps_yaml_reader_next(r, out, d)) != 0)
		return rc;
	if (*out == NULL)
		return ps_diag_add(d, PS_REFUSED, r->name, 0, 0, NULL,
		    "empty record");
	if ((rc = ps_yaml_reader_next(r, &extra, d)) != 0 || extra != NULL) {
		ps_node_free(extra);
		ps_node_free(*out);
		*out = NULL;
		return rc ? rc : ps_diag_add(d, PS_REFUSED, r->name, 0, 0,
		    NULL, "more than one document in a record file");
	}
	return 0;
}

int
ps_yaml_load_mem(struct ps_node **out, const char *buf, size_t len,
    const char *name, struct ps_diags *d)
{
	struct ps_yaml_reader *r = NULL;
	int rc;

	*out = NULL;
	if (len > PS_YAML_RECORD)
		return ps_diag_add(d, PS_REFUSED, name, 0, 0, NULL,
		    "record file is larger than 256 KiB");
	if ((rc = ps_yaml_reader_mem(&r, buf, len, name, PS_YAML_ONE_DOC,
	    d)) == 0)
		rc = load(out, r, d);
	ps_yaml_reader_free(r);
	return rc;
}

int
ps_yaml_load_file(struct ps_node **out, const char *path, const char *name,
    int flags, struct ps_diags *d)
{
	return ps_yaml_load_file_kept(out, AT_FDCWD, path, name, flags, NULL,
	    d);
}

int
ps_yaml_load_file_kept(struct ps_node **out, int dirfd, const char *path,
    const char *name, int flags, struct ps_buf *kept, struct ps_diags *d)
{
	struct ps_yaml_reader *r = NULL;
	struct stat st;
	char *buf = NULL;
	ssize_t n;
	int fd, rc;

	*out = NULL;
	if (name == NULL)
		name = path;
	fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd == -1) {
		if (errno == ELOOP)
			return ps_diag_add(d, PS_REFUSED, name, 0, 0, NULL,
			    "is a symbolic link, not a record file");
		/* no such file is bad input; a failing disk is not */
		return ps_diag_add(d, errno == ENOENT || errno == ENOTDIR ||
		    errno == ENAMETOOLONG ? PS_REFUSED : PS_STORE, name, 0, 0,
		    NULL, "cannot open: %s", strerror(errno));
	}
	if (fstat(fd, &st) == -1) {
		rc = ps_diag_add(d, PS_STORE, name, 0, 0, NULL,
		    "cannot stat: %s", strerror(errno));
		goto done;
	}
	if (!S_ISREG(st.st_mode)) {
		rc = ps_diag_add(d, PS_REFUSED, name, 0, 0, NULL,
		    "not a regular file");
		goto done;
	}
	if (!(flags & PS_YAML_LARGE) && st.st_size > PS_YAML_RECORD) {
		rc = ps_diag_add(d, PS_REFUSED, name, 0, 0, NULL,
		    "record file is larger than 256 KiB");
		goto done;
	}
	/*
	 * The whole file in one read (its size and a byte more, which a
	 * file grown since fstat() gives, the rest read as it comes): not
	 * one more to find its end. ps-check does this 100,000 times.
	 */
	if ((buf = malloc((size_t)st.st_size + 1)) == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	do
		n = read(fd, buf, (size_t)st.st_size + 1);
	while (n == -1 && errno == EINTR);
	if (n == -1) {
		rc = ps_diag_add(d, PS_STORE, name, 0, 0, NULL,
		    "cannot read: %s", strerror(errno));
		goto done;
	}
	if ((rc = ps_yaml_reader_resume(&r, buf, (size_t)n,
	    n > st.st_size ? fd : -1, name, flags | PS_YAML_ONE_DOC,
	    d)) == 0) {
		r->kept = kept;
		rc = load(out, r, d);
	}
done:
	ps_yaml_reader_free(r);
	free(buf);
	close(fd);
	return rc;
}
