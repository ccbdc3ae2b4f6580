/* ids: record operands from the command line or a pipe; see ids.h. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "model/ids.h"
#include "model/record.h"
#include "model/yaml.h"

#define HEAD	4096	/* what is looked at to tell IDs from records */
#define LINE	64	/* an ID line is shorter than this */

/* Is v[i] the ID key? (ps_map_find) */
static int
id_eq(const void *arg, size_t i, const void *key)
{
	const struct ps_ids *l = arg;

	return strcmp(l->v[i], key) == 0;
}

/* Add an ID read at line, col of the input (0 0: the command line). */
static int
add_at(struct ps_ids *l, const char *id, unsigned long line,
    unsigned long col, struct ps_diags *d)
{
	uint64_t h;

	if (!ps_id_valid(id))
		return ps_diag_err(d, PS_REFUSED, "%.40s%s: %s", id,
		    strlen(id) > 40 ? "..." : "", PS_DIAG_NOT_ID);
	h = ps_map_hash(id, strlen(id));
	if (ps_map_find(&l->index, h, id_eq, l, id) != PS_MAP_NONE)
		return 0;
	if (l->n == PS_IDS_MAX)
		return ps_diag_err(d, PS_REFUSED, "more than %d record IDs",
		    PS_IDS_MAX);
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *v = reallocarray(l->v, cap, sizeof(*l->v));
		void *at;

		if (v == NULL)
			return ps_diag_nomem(d);
		l->v = v;
		if ((at = reallocarray(l->at, cap, sizeof(*l->at))) == NULL)
			return ps_diag_nomem(d);
		l->at = at;
		l->cap = cap;
	}
	if (ps_map_add(&l->index, h, l->n) == -1)
		return ps_diag_nomem(d);
	l->at[l->n][0] = line;
	l->at[l->n][1] = col;
	memcpy(l->v[l->n++], id, PS_ID_LEN + 1);
	return 0;
}

int
ps_ids_add(struct ps_ids *l, const char *id, struct ps_diags *d)
{
	return add_at(l, id, 0, 0, d);
}

const struct ps_place *
ps_ids_place(const struct ps_ids *l, size_t i, struct ps_place *buf)
{
	if (i >= l->n || l->at[i][0] == 0)
		return NULL;
	buf->file = l->name;
	buf->line = l->at[i][0];
	buf->col = l->at[i][1];
	buf->path = NULL;
	return buf;
}

/*
 * Is this one ID line (blank lines and spaces allowed)? On success the
 * ID, trimmed, is in out (empty for a blank line).
 */
static int
id_line(const char *p, size_t n, char out[LINE])
{
	while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\r' ||
	    p[n - 1] == '\t'))
		n--;
	while (n > 0 && (*p == ' ' || *p == '\t'))
		p++, n--;
	if (n >= LINE || memchr(p, '\0', n) != NULL)
		return 0;
	memcpy(out, p, n);
	out[n] = '\0';
	return n == 0 || ps_id_valid(out);
}

/*
 * Is the input IDs one per line? Its first line that is not blank is an
 * ID (a record stream never starts so), or it is empty. Input that is
 * blank as far as the head goes is left to the YAML reader.
 */
static int
looks_like_ids(const char *s, size_t len, int eof)
{
	const char *p = s, *end = s + len, *nl;
	char line[LINE];

	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL) {
			if (!eof)
				return 0;
			nl = end;
		}
		if (!id_line(p, (size_t)(nl - p), line))
			return 0;
		if (*line)
			return 1;
		p = nl + 1;
	}
	return eof;
}

/* IDs one per line, to the end of the input, one line in memory. */
static int
read_lines(struct ps_ids *l, const char *head, size_t hlen, int fd,
    const char *name, struct ps_diags *d)
{
	char chunk[HEAD], line[LINE], id[LINE];
	const char *p = head, *end = head + hlen;
	unsigned long lineno = 1;
	size_t len = 0;
	ssize_t got;
	int rc = 0, eof = 0, over = 0;

	for (;;) {
		if (p == end) {
			if (eof)
				break;
			do
				got = read(fd, chunk, sizeof(chunk));
			while (got == -1 && errno == EINTR);
			if (got == -1)
				return ps_diag_add(d, PS_STORE, name, 0, 0,
				    NULL, "cannot read: %s", strerror(errno));
			p = chunk;
			end = chunk + got;
			if (got == 0) {
				eof = 1;
				if (len == 0 && !over)
					break;
			}
		}
		while (p < end && *p != '\n') {
			if (len < sizeof(line))
				line[len++] = *p;
			else
				over = 1;
			p++;
		}
		if (p == end && !eof)
			continue;	/* the line goes on */
		if (p < end)
			p++;
		if (over || !id_line(line, len, id))
			return ps_diag_add(d, PS_REFUSED, name, lineno, 1, NULL,
			    "%s", PS_DIAG_NOT_ID);
		if (lineno > PS_IDS_MAX)
			return ps_diag_add(d, PS_REFUSED, name, lineno, 1, NULL,
			    "more than %d lines of record IDs", PS_IDS_MAX);
		if (*id && (rc = add_at(l, id, lineno, 1, d)) != 0)
			return rc;
		lineno++;
		len = 0;
	}
	return rc;
}

int
ps_ids_read(struct ps_ids *l, int fd, const char *name, struct ps_diags *d)
{
	struct ps_yaml_reader *r = NULL;
	struct ps_node *rec = NULL;
	char head[HEAD];
	size_t len = 0;
	ssize_t n;
	int rc = 0, eof = 0;

	free(l->name);
	if ((l->name = strdup(name)) == NULL)
		return ps_diag_nomem(d);
	/* look at the start: IDs one per line, or records */
	while (len < sizeof(head)) {
		n = read(fd, head + len, sizeof(head) - len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return ps_diag_add(d, PS_STORE, name, 0, 0, NULL,
			    "cannot read: %s", strerror(errno));
		if (n == 0) {
			eof = 1;
			break;
		}
		len += (size_t)n;
	}
	if (looks_like_ids(head, len, eof))
		return read_lines(l, head, len, fd, name, d);

	/* a record stream: what was read, then the rest, record by record */
	if ((rc = ps_yaml_reader_resume(&r, head, len, fd, name,
	    PS_YAML_SPLIT_SEQ, d)) != 0)
		return rc;
	while ((rc = ps_yaml_reader_next(r, &rec, d)) == 0 && rec) {
		const char *id = ps_record_id(rec);
		const struct ps_node *at = id ? ps_node_get(rec, "id") : rec;

		if (id == NULL)
			rc = ps_diag_add(d, PS_REFUSED, name, at->line,
			    at->col, "id", "a record on the input has no id");
		else if (!ps_id_valid(id))
			rc = ps_diag_add(d, PS_REFUSED, name, at->line,
			    at->col, "id", "%s", PS_DIAG_NOT_ID);
		else
			rc = add_at(l, id, at->line, at->col, d);
		ps_node_free(rec);
		if (rc)
			break;
	}
	ps_yaml_reader_free(r);
	return rc;
}

void
ps_ids_release(struct ps_ids *l)
{
	free(l->v);
	free(l->at);
	free(l->name);
	ps_map_release(&l->index);
	memset(l, 0, sizeof(*l));
}
