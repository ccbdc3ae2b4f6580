/* check: store integrity; see check.h. */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/id.h"
#include "util/mem.h"
#include "util/str.h"
#include "model/record.h"
#include "model/yaml.h"
#include "store/journal.h"
#include "store/splitindex.h"
#include "rules/status.h"
#include "ops/check.h"

/* A reference from one record to another, checked once all are read. */
struct ref {
	char		*from;		/* relpath */
	char		*field;
	char		 to[PS_ID_LEN + 1];
	unsigned long	 line, col;
};

struct seen {
	char		 id[PS_ID_LEN + 1];
	char		*path;
	long		 capacity;	/* volunteers; -1 otherwise */
	long		 open;		/* open matches naming this volunteer */
};

struct state {
	struct seen	*ids;
	size_t		 nids, capids;
	struct ref	*refs;
	size_t		 nrefs, caprefs;
	size_t		 records;
	size_t		 problems;
	int		 status;
	char		(*erased)[PS_ID_LEN + 1];	/* erasures/ */
	const struct ps_node *prog;	/* for volunteers' capacity */
	size_t		 nerased, caperased;
};

static int
add_ref(struct state *st, const char *from, const char *field,
    const struct ps_node *v)
{
	struct ref *r;

	if (v == NULL || v->type != PS_NODE_SCALAR || !ps_id_valid(v->str))
		return 0;
	if (st->nrefs == st->caprefs) {
		size_t cap = st->caprefs ? st->caprefs * 2 : 64;

		if ((r = realloc(st->refs, cap * sizeof(*r))) == NULL)
			return -1;
		st->refs = r;
		st->caprefs = cap;
	}
	r = &st->refs[st->nrefs];
	if ((r->from = strdup(from)) == NULL ||
	    (r->field = strdup(field)) == NULL) {
		free(r->from);
		return -1;
	}
	memcpy(r->to, v->str, sizeof(r->to));
	r->line = v->line;
	r->col = v->col;
	st->nrefs++;
	return 0;
}

/* The ID fields of each kind that name other records. */
static int
collect_refs(struct state *st, const char *rel, const struct ps_node *rec)
{
	static const char *const single[] = { "participant", "volunteer",
	    "match", "group", NULL };
	static const char *const lists[] = { "facilitators",
	    "exclude_volunteers", "linked", NULL };
	const struct ps_node *l;
	char field[64];
	size_t i, j;

	for (i = 0; single[i]; i++)
		if (add_ref(st, rel, single[i],
		    ps_node_map_get(rec, single[i])) == -1)
			return -1;
	for (i = 0; lists[i]; i++) {
		l = ps_node_map_get(rec, lists[i]);
		for (j = 0; l && l->type == PS_NODE_SEQ && j < l->n; j++) {
			snprintf(field, sizeof(field), "%s.%zu", lists[i], j);
			if (add_ref(st, rel, field, l->vals[j]) == -1)
				return -1;
		}
	}
	return 0;
}

static int
record(void *arg, const char *rel, struct ps_node *rec, struct ps_diags *d)
{
	struct state *st = arg;
	struct seen *s;
	const char *status, *base;

	if (rec != NULL)
		st->records++;
	if (st->nids == st->capids) {
		size_t c = st->capids ? st->capids * 2 : 256;

		if ((s = realloc(st->ids, c * sizeof(*s))) == NULL)
			return ps_diag_nomem(d);
		st->ids = s;
		st->capids = c;
	}
	s = &st->ids[st->nids];
	if (rec == NULL) {
		/* a bad record: its ID, from the file name, is still taken */
		base = strrchr(rel, '/');
		base = base ? base + 1 : rel;
		if (strlen(base) != PS_ID_LEN + 5)
			return 0;
		memcpy(s->id, base, PS_ID_LEN);
		s->id[PS_ID_LEN] = '\0';
		if ((s->path = strdup(rel)) == NULL)
			return ps_diag_nomem(d);
		s->capacity = -1;
		s->open = 0;
		st->nids++;
		return 0;
	}
	memcpy(s->id, ps_record_id(rec), sizeof(s->id));
	if ((s->path = strdup(rel)) == NULL)
		return ps_diag_nomem(d);
	s->capacity = strcmp(ps_record_kind(rec), "volunteer") == 0 ?
	    ps_status_capacity(ps_node_get_str(rec, "capacity"), st->prog) :
	    -1;
	s->open = 0;
	st->nids++;
	status = ps_node_get_str(rec, "status");
	if (strcmp(ps_record_kind(rec), "match") == 0 &&
	    ps_status_match_open(status)) {
		/* counted against the volunteer's capacity below */
		if (add_ref(st, rel, "open", ps_node_map_get(rec,
		    "volunteer")) == -1)
			return ps_diag_nomem(d);
	}
	return collect_refs(st, rel, rec) == -1 ? ps_diag_nomem(d) : 0;
}

static int
seencmp(const void *a, const void *b)
{
	const struct seen *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : strcmp(x->path, y->path);
}

static struct seen *
find(struct state *st, const char *id)
{
	static char empty[] = "";
	struct seen key;

	memset(&key, 0, sizeof(key));
	memcpy(key.id, id, sizeof(key.id));
	key.path = empty;
	/* lower bound on (id, "") is the first entry with this id */
	{
		size_t lo = 0, hi = st->nids;

		while (lo < hi) {
			size_t mid = (lo + hi) / 2;

			if (seencmp(&st->ids[mid], &key) < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo < st->nids && strcmp(st->ids[lo].id, id) == 0)
			return &st->ids[lo];
	}
	return NULL;
}

/*
 * An erasure note (erasures/ID.yaml, written by ps-apply --erase): not a
 * record, but the ID and kind of a person erased, named as the file.
 * Returns the ID, or NULL (reported) when the note is not one.
 */
static const char *
erasure_id(const char *rel, const struct ps_node *n, struct ps_diags *d)
{
	const char *base = strrchr(rel, '/'), *id, *kind;

	base = base ? base + 1 : rel;
	id = n ? ps_node_get_str(n, "id") : NULL;
	kind = id && ps_id_valid(id) ? ps_id_kind(id) : NULL;
	if ((ps_streq(kind, "participant") || ps_streq(kind, "volunteer")) &&
	    ps_streq(ps_node_get_str(n, "kind"), kind) &&
	    strncmp(base, id, PS_ID_LEN) == 0 &&
	    strcmp(base + PS_ID_LEN, ".yaml") == 0)
		return id;
	ps_diag_add(d, PS_REFUSED, rel, 0, 0, NULL, "not an erasure note "
	    "(the id and kind of a participant or volunteer erased, named "
	    "as the file)");
	return NULL;
}

static int
yaml_file(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 5 &&
	    strcmp(e->d_name + n - 5, ".yaml") == 0;
}

/* The IDs of the people erased, from erasures/ in the work tree. */
static int
each_erasure(struct ps_store *s, struct state *st, struct ps_diags *d)
{
	struct ps_buf dir = PS_BUF_INIT, f = PS_BUF_INIT, rel = PS_BUF_INIT;
	struct dirent **list = NULL;
	struct ps_node *n;
	const char *id;
	int i, nl, rc = 0;

	ps_buf_printf(&dir, "%s/erasures", s->root);
	if (dir.s == NULL)
		return ps_diag_nomem(d);
	if ((nl = scandir(dir.s, &list, yaml_file, alphasort)) < 0) {
		if (errno != ENOENT)
			rc = ps_diag_err(d, PS_STORE, "erasures: %s",
			    strerror(errno));
		nl = 0;
	}
	for (i = 0; i < nl && rc == 0; i++) {
		ps_buf_truncate(&f, 0);
		ps_buf_truncate(&rel, 0);
		ps_buf_printf(&f, "%s/%s", dir.s, list[i]->d_name);
		ps_buf_printf(&rel, "erasures/%s", list[i]->d_name);
		n = NULL;
		if (ps_yaml_load_file(&n, f.s, rel.s, 0, d) != 0 ||
		    (id = erasure_id(rel.s, n, d)) == NULL) {
			ps_node_free(n);
			continue;
		}
		if (st->nerased == st->caperased) {
			size_t cap = st->caperased ? st->caperased * 2 : 16;
			void *v = realloc(st->erased, cap * sizeof(*st->erased));

			if (v == NULL) {
				ps_node_free(n);
				rc = ps_diag_nomem(d);
				break;
			}
			st->erased = v;
			st->caperased = cap;
		}
		memcpy(st->erased[st->nerased++], id, PS_ID_LEN + 1);
		ps_node_free(n);
	}
	for (i = 0; i < nl; i++)
		free(list[i]);
	free(list);
	ps_buf_release(&dir);
	ps_buf_release(&f);
	ps_buf_release(&rel);
	return rc;
}

static int
was_erased(const struct state *st, const char *id)
{
	size_t i;

	for (i = 0; i < st->nerased; i++)
		if (strcmp(st->erased[i], id) == 0)
			return 1;
	return 0;
}

static void
cross_check(struct state *st, struct ps_diags *d)
{
	struct seen *s;
	size_t i;


	if (st->nids > 1)
		ps_mem_sort(st->ids, st->nids, sizeof(*st->ids), seencmp);
	for (i = 1; i < st->nids; i++)
		if (strcmp(st->ids[i - 1].id, st->ids[i].id) == 0) {
			ps_diag_add(d, PS_REFUSED, st->ids[i].path, 0, 0, "id",
			    "same ID as %s", st->ids[i - 1].path);
			st->problems++;
		}
	for (i = 0; i < st->nerased; i++)
		if ((s = find(st, st->erased[i])) != NULL) {
			ps_diag_add(d, PS_REFUSED, s->path, 0, 0, "id",
			    "%s was erased (erasures/%s.yaml), and a copy made "
			    "before brought this record back: erase it again "
			    "(ps-apply --erase %s)", s->id, s->id, s->id);
			st->problems++;
		}
	for (i = 0; i < st->nrefs; i++) {
		struct ref *r = &st->refs[i];

		if ((s = find(st, r->to)) == NULL) {
			if (strcmp(r->field, "open") != 0 &&
			    !was_erased(st, r->to)) {
				ps_diag_add(d, PS_REFUSED, r->from, r->line,
				    r->col, r->field, PS_DIAG_NO_RECORD);
				st->problems++;
			}
			continue;
		}
		if (strcmp(r->field, "open") == 0 && s->capacity >= 0 &&
		    ++s->open == s->capacity + 1) {
			ps_diag_add(d, PS_REFUSED, s->path, 0, 0, "capacity",
			    "volunteer has more open matches than capacity");
			st->problems++;
		}
	}
}

/* Records staged in the index that differ from HEAD. */
static int
each_cached(struct ps_store *s, struct state *st, struct ps_diags *d)
{
	struct ps_buf ipath = PS_BUF_INIT;
	git_index *idx = NULL;
	git_diff *diff = NULL;
	git_tree *head = NULL;
	size_t i, n;
	int rc = 0;

	ps_store_head_tree(s, &head);
	/* git commit -a and git commit FILE stage into a temporary index,
	   which git names to the hook in GIT_INDEX_FILE */
	if (getenv("GIT_INDEX_FILE") && *getenv("GIT_INDEX_FILE"))
		ps_buf_puts(&ipath, getenv("GIT_INDEX_FILE"));
	else
		ps_repo_gitpath(s, &ipath, "index");
	if (ipath.s == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if ((rc = ps_splitindex_open(&idx, ipath.s,
	    git_repository_path(s->repo), d)) != 0)
		goto done;
	if (git_diff_tree_to_index(&diff, s->repo, head, idx, NULL) < 0) {
		rc = ps_git_error(d, "cannot read the index");
		goto done;
	}
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n && rc == 0; i++) {
		const git_diff_delta *dl = git_diff_get_delta(diff, i);
		const char *path = dl->new_file.path;
		struct ps_node *rec = NULL;
		git_blob *b = NULL;
		size_t len = strlen(path);
		int erasure;

		if (dl->status == GIT_DELTA_DELETED || len < 6 ||
		    strcmp(path + len - 5, ".yaml") != 0 ||
		    strchr(path, '/') == NULL)
			continue;
		erasure = strncmp(path, "erasures/", 9) == 0;
		if (dl->new_file.mode == GIT_FILEMODE_LINK) {
			ps_diag_add(d, PS_REFUSED, path, 0, 0, NULL,
			    "is a symbolic link, not a record file");
			st->problems++;
			continue;
		}
		if (git_blob_lookup(&b, s->repo, &dl->new_file.id) < 0) {
			rc = ps_git_error(d, path);
			break;
		}
		if (ps_yaml_load_mem(&rec, git_blob_rawcontent(b),
		    (size_t)git_blob_rawsize(b), path, d) != 0 ||
		    (erasure ? erasure_id(path, rec, d) == NULL :
		    ps_record_check(s->schemas, rec, path, d) > 0))
			st->problems++;
		else if (erasure)
			;	/* a note, not a record */
		else if (!ps_record_path_matches(rec, path)) {
			ps_diag_add(d, PS_REFUSED, path, 0, 0, "id",
			    "does not match the file name and folder");
			st->problems++;
		} else
			st->records++;
		ps_node_free(rec);
		git_blob_free(b);
	}
done:
	git_diff_free(diff);
	git_index_free(idx);
	git_tree_free(head);
	ps_buf_release(&ipath);
	return rc;
}

/* Files named on the command line, relative to the current directory. */
static int
each_file(struct ps_store *s, const struct ps_check_opts *o,
    struct state *st, struct ps_diags *d)
{
	char real[PATH_MAX];
	size_t rlen = strlen(s->root);
	int i, rc;

	for (i = 0; i < o->nfiles; i++) {
		const char *f = o->files[i];
		struct ps_node *rec = NULL;

		if (realpath(f, real) != NULL &&
		    strncmp(real, s->root, rlen) == 0 && real[rlen] == '/') {
			rc = ps_store_load(s, real + rlen + 1, &rec, d);
		} else {
			rc = ps_yaml_load_file(&rec, f, f, 0, d);
			if (rc == 0 && ps_record_check(s->schemas, rec, f, d))
				rc = PS_REFUSED;
		}
		if (rc == PS_STORE) {
			ps_node_free(rec);
			return rc;
		}
		if (rc != 0)
			st->problems++;
		else
			st->records++;
		ps_node_free(rec);
	}
	return 0;
}

int
ps_check(struct ps_store *s, const struct ps_check_opts *o, FILE *out,
    struct ps_diags *d)
{
	struct state st;
	char id[PS_ID_LEN + 1];
	size_t i, before = d->errors;
	int rc = 0;

	/*
	 * A history half rewritten: the person's data may still be there.
	 * A commit made by hand meanwhile is let through (the hook): the
	 * erasure, run again, rewrites it with the rest; refusing it would
	 * leave a person's edits nowhere to go, for the erasure refuses
	 * changes not committed, and stashes.
	 */
	if (o->cached && ps_journal_erase_pending(s, id))
		ps_diag_warn(d, "the erasure of %s is not finished: run "
		    "ps-apply --erase %s to finish it; it erases from this "
		    "commit too", id, id);
	else if ((rc = ps_journal_erase_check(s, d)) != 0)
		return rc;
	memset(&st, 0, sizeof(st));
	st.prog = s->program;
	if (o->cached)
		rc = each_cached(s, &st, d);
	else if (o->nfiles > 0)
		rc = each_file(s, o, &st, d);
	else {
		for (i = 0; ps_schema_kinds[i] && rc == 0; i++)
			rc = ps_store_each(s, ps_schema_kinds[i], PS_EACH_BAD |
			    PS_EACH_READ, record, &st, d);
		if (rc == 0)
			rc = each_erasure(s, &st, d);
		st.problems += d->errors - before;
		if (rc == 0)
			cross_check(&st, d);
	}
	if (rc == 0) {
		fprintf(out, "%zu record%s checked, %zu problem%s\n",
		    st.records, st.records == 1 ? "" : "s", st.problems,
		    st.problems == 1 ? "" : "s");
		rc = st.problems ? PS_REFUSED : 0;
	}
	for (i = 0; i < st.nids; i++)
		free(st.ids[i].path);
	for (i = 0; i < st.nrefs; i++) {
		free(st.refs[i].from);
		free(st.refs[i].field);
	}
	free(st.ids);
	free(st.refs);
	free(st.erased);
	return rc;
}
