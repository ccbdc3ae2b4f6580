/* ids: record operands from the command line or a pipe; see ids.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "ids.h"
#include "record.h"
#include "yaml.h"

int
ps_ids_add(struct ps_ids *l, const char *id, struct ps_diags *d)
{
	size_t i;

	if (!ps_id_valid(id))
		return ps_diag_err(d, PS_REFUSED, "%.40s: not a record ID (like "
		    "P-7K3Q2X)", id);
	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], id) == 0)
			return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		void *v = realloc(l->v, cap * sizeof(*l->v));

		if (v == NULL)
			return ps_diag_nomem(d);
		l->v = v;
		l->cap = cap;
	}
	memcpy(l->v[l->n++], id, PS_ID_LEN + 1);
	return 0;
}

/* Is the text IDs one per line (blank lines and spaces allowed)? */
static int
id_lines(const char *s, size_t len)
{
	const char *p = s, *end = s + len, *nl;
	char line[64];
	size_t n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		while (n > 0 && (p[n - 1] == ' ' || p[n - 1] == '\r' ||
		    p[n - 1] == '\t'))
			n--;
		while (n > 0 && (*p == ' ' || *p == '\t'))
			p++, n--;
		if (n > 0) {
			if (n >= sizeof(line))
				return 0;
			memcpy(line, p, n);
			line[n] = '\0';
			if (!ps_id_valid(line))
				return 0;
		}
		p = nl ? nl + 1 : end;
	}
	return 1;
}

int
ps_ids_read(struct ps_ids *l, int fd, const char *name, struct ps_diags *d)
{
	struct ps_yaml_reader *r = NULL;
	struct ps_buf head = PS_BUF_INIT;
	struct ps_node *rec = NULL;
	char chunk[4096];
	ssize_t n;
	int rc = 0;

	/* look at the start: IDs one per line, or records */
	while (head.len < sizeof(chunk) &&
	    (n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = ps_diag_err(d, PS_STORE, "%s: cannot read: %s", name,
			    strerror(errno));
			goto done;
		}
		if (ps_buf_add(&head, chunk, (size_t)n) == -1) {
			rc = ps_diag_nomem(d);
			goto done;
		}
	}
	if (head.len == 0 || id_lines(head.s, head.len)) {
		/* IDs: read the rest line by line through the same test */
		const char *p = head.s ? head.s : "", *nl;

		while ((n = read(fd, chunk, sizeof(chunk))) > 0)
			if (ps_buf_add(&head, chunk, (size_t)n) == -1) {
				rc = ps_diag_nomem(d);
				goto done;
			}
		if (!id_lines(p, head.len))
			goto records;
		for (p = head.s; p && *p; p = nl ? nl + 1 : p + strlen(p)) {
			char line[64];
			size_t len;

			nl = strchr(p, '\n');
			len = nl ? (size_t)(nl - p) : strlen(p);
			while (len && strchr(" \t\r", *p))
				p++, len--;
			while (len && strchr(" \t\r", p[len - 1]))
				len--;
			if (len == 0 || len >= sizeof(line))
				continue;
			memcpy(line, p, len);
			line[len] = '\0';
			if ((rc = ps_ids_add(l, line, d)) != 0)
				goto done;
		}
		goto done;
	}
records:
	/* a record stream: the part already read, then the rest */
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		if (ps_buf_add(&head, chunk, (size_t)n) == -1) {
			rc = ps_diag_nomem(d);
			goto done;
		}
	if ((rc = ps_yaml_reader_mem(&r, head.s, head.len, name,
	    PS_YAML_SPLIT_SEQ, d)) != 0)
		goto done;
	while ((rc = ps_yaml_reader_next(r, &rec, d)) == 0 && rec) {
		const char *id = ps_record_id(rec);

		if (id == NULL)
			rc = ps_diag_add(d, PS_REFUSED, name, rec->line,
			    rec->col, "id", "a record on the input has no id");
		else
			rc = ps_ids_add(l, id, d);
		ps_node_free(rec);
		if (rc)
			break;
	}
done:
	ps_yaml_reader_free(r);
	ps_buf_release(&head);
	return rc;
}

void
ps_ids_release(struct ps_ids *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}
