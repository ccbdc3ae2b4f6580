/* history: a record's history from git; see history.h. */
#include <stdio.h>
#include <string.h>

#include "util/buf.h"
#include "util/id.h"
#include "util/tz.h"
#include "model/node.h"
#include "model/yaml.h"
#include "store/git.h"
#include "ops/history.h"

/* Field paths (one level into mappings) that differ between a and b. */
static void
diff_fields(const struct ps_node *a, const struct ps_node *b,
    const char *prefix, struct ps_buf *out)
{
	const struct ps_node *x, *y;
	size_t i, pass;
	char path[128];

	for (pass = 0; pass < 2; pass++) {
		const struct ps_node *from = pass ? b : a, *to = pass ? a : b;

		for (i = 0; from && from->type == PS_NODE_MAP && i < from->n;
		    i++) {
			const char *k = from->keys[i]->str;

			x = from->vals[i];
			y = ps_node_map_get(to, k);
			if (pass && y)
				continue;	/* seen in the first pass */
			snprintf(path, sizeof(path), "%s%s", prefix, k);
			if (y && x->type == PS_NODE_MAP &&
			    y->type == PS_NODE_MAP && *prefix == '\0') {
				char sub[130];

				snprintf(sub, sizeof(sub), "%s.", path);
				diff_fields(pass ? y : x, pass ? x : y, sub, out);
			} else if (y == NULL || !ps_node_equal(x, y))
				ps_buf_printf(out, "%s%s", out->len ? ", " : "",
				    path);
		}
	}
}

static int
blob_node(git_repository *repo, const git_oid *id, struct ps_node **out,
    struct ps_diags *d)
{
	git_blob *b = NULL;
	int rc;

	if (git_blob_lookup(&b, repo, id) < 0)
		return ps_git_error(d, "cannot read a record");
	rc = ps_yaml_load_mem(out, git_blob_rawcontent(b),
	    (size_t)git_blob_rawsize(b), "record", d);
	git_blob_free(b);
	return rc;
}

int
ps_history_print(struct ps_store *s, const char *id, FILE *out,
    struct ps_diags *d)
{
	const char *kind = ps_id_valid(id) ? ps_id_kind(id) : NULL;
	const char *tz = ps_node_get_str(s->program, "timezone");
	struct ps_buf rel = PS_BUF_INIT, changed = PS_BUF_INIT;
	struct ps_node *before = NULL, *now = NULL;
	git_revwalk *w = NULL;
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_oid oid, last;
	char when[26];
	long day;
	int have = 0, rc = 0, n = 0;

	if (kind == NULL || strcmp(kind, "contact") == 0)
		return ps_diag_err(d, PS_REFUSED, "%.40s: give a participant, "
		    "volunteer, match or group ID", id);
	ps_buf_printf(&rel, "%s/%s.yaml", ps_id_kind_dir(kind), id);
	if (git_revwalk_new(&w, s->repo) < 0 || git_revwalk_push_head(w) < 0) {
		rc = ps_git_error(d, "cannot walk history");
		goto done;
	}
	git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME |
	    GIT_SORT_REVERSE);
	while (git_revwalk_next(&oid, w) == 0) {
		const char *msg, *tool;
		int gone;

		if (git_commit_lookup(&c, s->repo, &oid) < 0 ||
		    git_commit_tree(&t, c) < 0) {
			rc = ps_git_error(d, "cannot read a commit");
			goto done;
		}
		gone = git_tree_entry_bypath(&e, t, rel.s) < 0;
		if ((gone && !have) || (!gone && have &&
		    git_oid_equal(&last, git_tree_entry_id(e))))
			goto next;
		ps_buf_truncate(&changed, 0);
		if (gone)
			ps_buf_printf(&changed, "deleted");
		else {
			if ((rc = blob_node(s->repo, git_tree_entry_id(e), &now,
			    d)) != 0)
				goto done;
			if (before == NULL)
				ps_buf_printf(&changed, "created");
			else
				diff_fields(before, now, "", &changed);
			git_oid_cpy(&last, git_tree_entry_id(e));
		}
		msg = git_commit_message(c);
		tool = msg ? strstr(msg, "\nPs-Tool: ") : NULL;
		ps_tz_format(tz, (time_t)git_commit_time(c), when, &day);
		if (n == 0)
			fprintf(out, "%-16s  %-20s  %-10s  %s\n", "WHEN",
			    "AUTHOR", "TOOL", "FIELDS CHANGED");
		fprintf(out, "%.10s %.5s  %-20.20s  %-10.*s  %s\n", when,
		    when + 11, git_commit_author(c)->name, tool ?
		    (int)strcspn(tool + 10, "\n") : 10, tool ? tool + 10 :
		    "git", changed.s ? changed.s : "");
		n++;
		ps_node_free(before);
		before = now;
		now = NULL;
		have = !gone;
next:
		git_tree_entry_free(e);
		e = NULL;
		git_tree_free(t);
		t = NULL;
		git_commit_free(c);
		c = NULL;
	}
	if (n == 0)
		rc = ps_diag_err(d, PS_REFUSED, "%s: no such record in the "
		    "history", id);
done:
	ps_node_free(before);
	ps_node_free(now);
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	git_revwalk_free(w);
	ps_buf_release(&rel);
	ps_buf_release(&changed);
	return rc;
}
