/* record: kinds, IDs, store paths and checks; see record.h. */
#include <string.h>

#include "util/buf.h"
#include "util/id.h"
#include "util/str.h"
#include "util/tz.h"
#include "model/record.h"
#include "model/yaml.h"

const char *
ps_record_kind(const struct ps_node *rec)
{
	return rec && rec->type == PS_NODE_MAP ?
	    ps_node_get_str(rec, "kind") : NULL;
}

const char *
ps_record_id(const struct ps_node *rec)
{
	return rec && rec->type == PS_NODE_MAP ?
	    ps_node_get_str(rec, "id") : NULL;
}

int
ps_record_path(const struct ps_node *rec, struct ps_buf *out)
{
	const char *kind = ps_record_kind(rec), *id = ps_record_id(rec);
	const char *dir = ps_id_kind_dir(kind), *date;

	ps_buf_truncate(out, 0);
	if (dir == NULL || id == NULL || !ps_id_valid(id) ||
	    strcmp(ps_id_kind(id), kind) != 0)
		return -1;
	if (strcmp(kind, "contact") == 0) {
		date = ps_node_get_str(rec, "date");
		if (date == NULL || strlen(date) < 10)
			return -1;
		return ps_buf_printf(out, "contacts/%.4s/%.2s/%.2s/%s.yaml",
		    date, date + 5, date + 8, id);
	}
	return ps_buf_printf(out, "%s/%s.yaml", dir, id);
}

size_t
ps_record_check(const struct ps_schemas *set, struct ps_node *rec,
    const char *file, struct ps_diags *d)
{
	const struct ps_schema *s;
	const char *kind;

	if (rec->type != PS_NODE_MAP) {
		ps_diag_add(d, PS_REFUSED, file, rec->line, rec->col, NULL,
		    "a record must be a mapping");
		return 1;
	}
	kind = ps_record_kind(rec);
	if (kind == NULL || strcmp(kind, "program") == 0 ||
	    (s = ps_schemas_get(set, kind)) == NULL) {
		const struct ps_node *k = ps_node_map_get(rec, "kind");

		ps_diag_add(d, PS_REFUSED, file, k ? k->line : rec->line,
		    k ? k->col : rec->col, "kind", k ? "must be one of: "
		    "participant, volunteer, match, contact, group" :
		    "required field is missing");
		return 1;
	}
	return ps_schema_validate(s, rec, file, d) +
	    ps_record_check_timezone(rec, file, d);
}

size_t
ps_record_check_timezone(const struct ps_node *map, const char *file,
    struct ps_diags *d)
{
	const struct ps_node *tz = ps_node_map_get(map, "timezone");

	if (tz == NULL || tz->type != PS_NODE_SCALAR || ps_tz_valid(tz->str))
		return 0;
	ps_diag_add(d, PS_REFUSED, file, tz->line, tz->col, "timezone",
	    "no such time zone on this system (e.g. America/Toronto)");
	return 1;
}

/* Compared part by part, not built with printf: ps-check does this for
   every record of the store. */
int
ps_record_path_matches(const struct ps_node *rec, const char *relpath)
{
	const char *kind = ps_record_kind(rec), *id = ps_record_id(rec);
	const char *dir = ps_id_kind_dir(kind), *date, *p = relpath;
	size_t n;

	if (dir == NULL || id == NULL || !ps_id_valid(id) ||
	    strcmp(ps_id_kind(id), kind) != 0)
		return 0;
	n = strlen(dir);
	if (strncmp(p, dir, n) != 0 || p[n] != '/')
		return 0;
	p += n + 1;
	if (strcmp(kind, "contact") == 0) {
		date = ps_node_get_str(rec, "date");
		if (date == NULL || strlen(date) < 10 ||
		    strncmp(p, date, 4) != 0 || p[4] != '/' ||
		    strncmp(p + 5, date + 5, 2) != 0 || p[7] != '/' ||
		    strncmp(p + 8, date + 8, 2) != 0 || p[10] != '/')
			return 0;
		p += 11;
	}
	n = strlen(id);
	return strncmp(p, id, n) == 0 && strcmp(p + n, ".yaml") == 0;
}

int
ps_record_emit(struct ps_buf *b, const struct ps_node *rec)
{
	if (ps_buf_puts(b, "---\n") == -1)
		return -1;
	return ps_yaml_write(b, rec);
}

int
ps_record_summary(struct ps_buf *b, const struct ps_node *rec,
    const char *what)
{
	return ps_buf_printf(b, "%s %s: %s\n", ps_record_id(rec),
	    ps_record_kind(rec), what);
}

int
ps_record_written(struct ps_buf *b, const struct ps_node *rec, int summary,
    const char *what)
{
	return summary ? ps_record_summary(b, rec, what) :
	    ps_record_emit(b, rec);
}

int
ps_record_set_status(struct ps_node *rec, const char *status, const char *now,
    const char *by, const char *tool, const char *reason)
{
	struct ps_node *h = ps_node_get(rec, "status_history"), *e;

	if (ps_streq(ps_node_get_str(rec, "status"), status))
		return 0;
	if (ps_node_set_str(rec, "status", status))
		return -1;
	if (h == NULL) {
		if (ps_node_map_set(rec, "status_history", ps_node_new_seq()))
			return -1;
		h = ps_node_get(rec, "status_history");
	}
	if ((e = ps_node_new_map()) == NULL ||
	    ps_node_set_str(e, "status", status) ||
	    ps_node_set_plain(e, "date", now) ||
	    ps_node_set_str(e, "by", by ? by : tool) ||
	    (reason && ps_node_set_str(e, "reason", reason))) {
		ps_node_free(e);
		return -1;
	}
	return ps_node_seq_append(h, e);
}
