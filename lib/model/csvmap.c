/* csvmap: CSV exports read through a mapping file; see csvmap.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/csv.h"
#include "model/csvmap.h"
#include "model/node.h"
#include "model/schema.h"
#include "model/yaml.h"

static int
truthy(const char *v)
{
	static const char *const yes[] = { "yes", "y", "true", "1", "x",
	    "on", "checked", "agreed", "i agree", "oui", NULL };
	size_t i;

	for (i = 0; yes[i]; i++)
		if (strcasecmp(v, yes[i]) == 0)
			return 1;
	return 0;
}

/* Give nodes built from a CSV cell the cell's row and column. */
static void
place(struct ps_node *n, unsigned long row, unsigned long col)
{
	size_t i;

	if (n->line == 0) {
		n->line = row;
		n->col = col;
	}
	for (i = 0; i < n->n; i++) {
		if (n->keys)
			place(n->keys[i], row, col);
		place(n->vals[i], row, col);
	}
}

/*
 * The version of the text a consent column records: the column's own
 * version, else the programme's current one. program.yaml names a
 * consent type's version under its type with "_" for "-"
 * (data-sharing: consents.data_sharing.version). NULL if neither says.
 */
static const char *
consent_version(const struct ps_csvmap *m, const struct ps_node *spec)
{
	const char *type = ps_node_get_str(spec, "consent");
	const char *v = ps_node_get_str(spec, "version");
	char path[64];
	size_t i;

	if (v && *v)
		return v;
	if (type == NULL || strlen(type) > 32)
		return NULL;
	snprintf(path, sizeof(path), "consents.%s.version", type);
	for (i = 0; path[i]; i++)
		if (path[i] == '-')
			path[i] = '_';
	v = ps_node_get_str(m->program, path);
	return v && *v ? v : NULL;
}

/*
 * Is a mapping file's column spec one ps-apply can follow? A consent
 * column must name a consent type of the records' schema, and a version:
 * its own, or the programme's. Reports the problem; 1 if there is one.
 */
static size_t
check_column(const struct ps_csvmap *m, const char *map,
    const struct ps_node *title, const struct ps_node *sp, struct ps_diags *d)
{
	const struct ps_schema *sch = ps_schemas_get(m->schemas,
	    "participant");
	const struct ps_node *types = ps_node_map_get(ps_schema_at(sch,
	    "consents.0.type"), "enum");
	const char *consent;
	char list[128];

	if (sp->type == PS_NODE_SCALAR || (sp->type == PS_NODE_MAP &&
	    ps_node_get_str(sp, "field") && !ps_node_map_get(sp, "consent")))
		return 0;
	if (sp->type != PS_NODE_MAP ||
	    (consent = ps_node_get_str(sp, "consent")) == NULL) {
		ps_diag_add(d, PS_REFUSED, map, sp->line, sp->col, NULL,
		    "column \"%.60s\": give a field, or field/split/values, "
		    "or consent", title->str);
		return 1;
	}
	ps_node_names(types, list, sizeof(list));
	if (!ps_node_seq_has(types, consent)) {
		ps_diag_add(d, PS_REFUSED, map, sp->line, sp->col, NULL,
		    "column \"%.60s\": not a consent type (the types are: "
		    "%s)", title->str, list);
		return 1;
	}
	if (consent_version(m, sp) == NULL) {
		ps_diag_add(d, PS_REFUSED, map, sp->line, sp->col, NULL,
		    "column \"%.60s\": the programme names no version of the "
		    "%s consent: add version: to the column", title->str,
		    consent);
		return 1;
	}
	return 0;
}

/* One mapped cell into the record being built. */
static int
map_cell(struct ps_csvmap *m, struct ps_node *rec, const struct ps_node *spec,
    const char *value, unsigned long row, unsigned long col)
{
	const char *field, *split, *consent;
	const struct ps_node *values;
	struct ps_node *v;
	char *copy, *p, *sep;

	if (*value == '\0')
		return 0;
	if (spec->type == PS_NODE_SCALAR) {
		field = spec->str;
		split = NULL;
		values = NULL;
		consent = NULL;
	} else {
		field = ps_node_get_str(spec, "field");
		split = ps_node_get_str(spec, "split");
		values = ps_node_map_get(spec, "values");
		consent = ps_node_get_str(spec, "consent");
	}
	if (consent) {
		struct ps_node *cs = ps_node_get(rec, "consents"), *c;
		char date[11];

		if (!truthy(value))
			return 0;
		if (cs == NULL) {
			if (ps_node_map_set(rec, "consents", ps_node_new_seq()))
				return -1;
			cs = ps_node_get(rec, "consents");
		}
		memcpy(date, m->now, 10);
		date[10] = '\0';
		if ((c = ps_node_new_map()) == NULL ||
		    ps_node_set_str(c, "type", consent) ||
		    ps_node_set_str(c, "version", consent_version(m, spec)) ||
		    ps_node_set_plain(c, "date", date) ||
		    ps_node_set_plain(c, "given", "true") ||
		    ps_node_set_str(c, "method", "online")) {
			ps_node_free(c);
			return -1;
		}
		place(c, row, col);
		return ps_node_seq_append(cs, c);
	}
	if (values && values->type == PS_NODE_MAP &&
	    (v = ps_node_map_get(values, value)) != NULL &&
	    v->type == PS_NODE_SCALAR)
		value = v->str;
	if (split == NULL) {
		if ((v = ps_node_new_scalar(value, strlen(value))) == NULL)
			return -1;
		v->line = row;
		v->col = col;
		return ps_node_set(rec, field, v);
	}
	if ((v = ps_node_new_seq()) == NULL || (copy = strdup(value)) == NULL) {
		ps_node_free(v);
		return -1;
	}
	v->line = row;
	v->col = col;
	for (p = copy; p; p = sep) {
		struct ps_node *item;

		if ((sep = strstr(p, split)) != NULL) {
			*sep = '\0';
			sep += strlen(split);
		}
		while (*p == ' ')
			p++;
		if (*p == '\0')
			continue;
		if ((item = ps_node_new_scalar(p, strlen(p))) == NULL) {
			free(copy);
			ps_node_free(v);
			return -1;
		}
		item->line = row;
		item->col = col;
		ps_node_trim(item);
		if (ps_node_seq_append(v, item) == -1) {
			free(copy);
			ps_node_free(v);
			return -1;
		}
	}
	free(copy);
	return ps_node_set(rec, field, v);
}

int
ps_csvmap_read(struct ps_csvmap *m, int fd, const char *name,
    struct ps_diags *d)
{
	struct ps_node *map = NULL, *cols, *rec;
	struct ps_csv *c = NULL;
	struct ps_csv_row *row;
	long *where = NULL;	/* map column -> CSV column */
	size_t ncols = 0, i, j;
	int rc;

	if ((rc = ps_yaml_load_file(&map, m->map, NULL, 0, d)) != 0)
		goto done;
	cols = ps_node_map_get(map, "columns");
	if (cols == NULL || cols->type != PS_NODE_MAP || cols->n == 0) {
		rc = ps_diag_add(d, PS_REFUSED, m->map, map->line, map->col,
		    "columns", "a mapping of CSV column titles to record "
		    "fields is required");
		goto done;
	}
	for (i = 0; i < cols->n; i++)
		if (check_column(m, m->map, cols->keys[i], cols->vals[i],
		    d))
			rc = PS_REFUSED;
	if (rc)
		goto done;
	if ((rc = ps_csv_open(&c, fd, name, d)) != 0 ||
	    (rc = ps_csv_next(c, &row, d)) != 0)
		goto done;
	if (row == NULL) {
		rc = ps_diag_add(d, PS_REFUSED, name, 0, 0, NULL, "empty CSV "
		    "file: no header row");
		goto done;
	}
	ncols = row->n;
	if ((where = calloc(cols->n, sizeof(*where))) == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	for (i = 0; i < cols->n; i++) {
		where[i] = -1;
		for (j = 0; j < row->n; j++)
			if (strcmp(row->f[j], cols->keys[i]->str) == 0)
				where[i] = (long)j;
		if (where[i] < 0)
			rc = ps_diag_add(d, PS_REFUSED, m->map,
			    cols->keys[i]->line, cols->keys[i]->col, NULL,
			    "column \"%.60s\" is not in the CSV header",
			    cols->keys[i]->str);
	}
	if (rc)
		goto done;
	while ((rc = ps_csv_next(c, &row, d)) == 0 && row) {
		if (row->n == 1 && row->f[0][0] == '\0')
			continue;	/* a blank line */
		if (row->n != ncols) {
			ps_diag_add(d, PS_REFUSED, name, row->row, 1, NULL,
			    "row has %zu fields; the header has %zu", row->n,
			    ncols);
			m->refused++;
			continue;
		}
		if ((rec = ps_node_new_map()) == NULL) {
			rc = ps_diag_nomem(d);
			break;
		}
		rec->line = row->row;
		rec->col = 1;
		if (ps_node_get_str(map, "kind"))
			ps_node_set_str(rec, "kind", ps_node_get_str(map,
			    "kind"));
		if (ps_node_get_str(map, "stream"))
			ps_node_set_str(rec, "stream", ps_node_get_str(map,
			    "stream"));
		for (i = 0; i < cols->n; i++)
			if (map_cell(m, rec, cols->vals[i],
			    row->f[where[i]], row->row,
			    (unsigned long)where[i] + 1) == -1) {
				ps_diag_add(d, PS_REFUSED, m->map,
				    cols->vals[i]->line, cols->vals[i]->col,
				    NULL, "column \"%.60s\" maps to a field "
				    "that cannot be set", cols->keys[i]->str);
				m->refused++;
				ps_node_free(rec);
				rec = NULL;
				break;
			}
		if (rec)
			m->take(m->arg, rec, name, d);
		ps_node_free(rec);
	}
done:
	/* the map, the header or a row refused: that is the problem, and
	   no "no applications" after it */
	if (rc == PS_REFUSED)
		m->refused++;
	free(where);
	ps_csv_free(c);
	ps_node_free(map);
	return rc == PS_STORE ? rc : 0;
}
