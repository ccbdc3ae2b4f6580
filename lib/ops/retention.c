/* retention: records past the retention rule; see retention.h. */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/id.h"
#include "util/str.h"
#include "util/tz.h"
#include "model/record.h"
#include "model/yaml.h"
#include "ops/retention.h"

/* A line of the list. */
struct row {
	char		 id[PS_ID_LEN + 1];
	int		 rank;		/* 0 the person, 1 a match, 2 a contact */
	long		 closed;	/* the person's closing day */
	char		 person[PS_ID_LEN + 1];
};

struct list {
	struct ps_store		*s;
	struct ps_tzcache	 tz;
	long			 today;
	int			 years;	/* retention.closed_years */
	struct row		*v;
	size_t			 n, cap;
	size_t			 npeople;	/* v[0..npeople) are people */
	size_t			 nmatches;	/* then their matches */
};

static const char *const kinds[] = { NULL, "match", "contact" };

static int
by_id(const void *a, const void *b)
{
	return strcmp(((const struct row *)a)->id, ((const struct row *)b)->id);
}

/* The person's order: oldest closing first; then each person's matches
   and contacts after them. */
static int
by_person(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c;

	if (x->closed != y->closed)
		return x->closed < y->closed ? -1 : 1;
	if ((c = strcmp(x->person, y->person)) != 0)
		return c;
	if (x->rank != y->rank)
		return x->rank - y->rank;
	return strcmp(x->id, y->id);
}

static int
add(struct list *l, const char *id, int rank, long closed,
    const char *person, struct ps_diags *d)
{
	struct row *r;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;

		if ((r = reallocarray(l->v, cap, sizeof(*r))) == NULL)
			return ps_diag_nomem(d);
		l->v = r;
		l->cap = cap;
	}
	r = &l->v[l->n++];
	snprintf(r->id, sizeof(r->id), "%s", id);
	snprintf(r->person, sizeof(r->person), "%s", person);
	r->rank = rank;
	r->closed = closed;
	return 0;
}

/* The row of a person, match or contact listed (of v[0..n), sorted by
   ID), or NULL. */
static const struct row *
find(const struct row *v, size_t n, const char *id)
{
	struct row key;

	if (id == NULL || n == 0)
		return NULL;
	snprintf(key.id, sizeof(key.id), "%s", id);
	return bsearch(&key, v, n, sizeof(*v), by_id);
}

static int
closing_status(const char *kind, const char *st)
{
	static const char *const p[] = { "closed", "withdrawn", NULL };
	static const char *const v[] = { "declined", "retired", "withdrawn",
	    NULL };
	const char *const *l = ps_streq(kind, "participant") ? p : v;
	size_t i;

	for (i = 0; st && l[i]; i++)
		if (strcmp(l[i], st) == 0)
			return 1;
	return 0;
}

/* The day a closed record closed; -1 if it does not say. */
static long
closed_on(struct list *l, const struct ps_node *rec)
{
	const char *kind = ps_record_kind(rec);
	const struct ps_node *h = ps_node_get(rec, "status_history");
	struct ps_date dt;
	const char *s;
	size_t i;

	if ((s = ps_node_get_str(rec, "closed")) && ps_date_parse(s, &dt) == 0)
		return ps_date_days(&dt);
	for (i = h && h->type == PS_NODE_SEQ ? h->n : 0; i > 0; i--)
		if (closing_status(kind, ps_node_get_str(h->vals[i - 1],
		    "status")))
			return ps_tzcache_day(&l->tz,
			    ps_node_get_str(h->vals[i - 1], "date"));
	if (ps_streq(ps_node_get_str(rec, "status"), "withdrawn") &&
	    (s = ps_node_get_str(rec, "withdrawn.date")))
		return ps_tzcache_day(&l->tz, s);
	if (ps_streq(ps_node_get_str(rec, "status"), "declined") &&
	    (s = ps_node_get_str(rec, "decision.date")))
		return ps_tzcache_day(&l->tz, s);
	return -1;
}

static int
person(void *arg, const char *rel, struct ps_node *rec, struct ps_diags *d)
{
	struct list *l = arg;
	const char *st = ps_node_get_str(rec, "status");
	long day;

	(void)rel;
	if (!closing_status(ps_record_kind(rec), st) ||
	    ps_streq(ps_node_get_str(rec, "erased"), "true"))
		return 0;
	if ((day = closed_on(l, rec)) < 0) {
		ps_diag_warn(d, "%s: %s, with no day it closed to count the "
		    "retention from (closed, status_history)",
		    ps_record_id(rec), st);
		return 0;
	}
	if (l->today <= ps_date_add_months(day, 12 * l->years))
		return 0;
	return add(l, ps_record_id(rec), 0, day, ps_record_id(rec), d);
}

static int
match(void *arg, const char *rel, struct ps_node *m, struct ps_diags *d)
{
	struct list *l = arg;
	const struct row *p;
	struct row of;

	(void)rel;
	if ((p = find(l->v, l->npeople, ps_node_get_str(m, "participant"))) ==
	    NULL && (p = find(l->v, l->npeople, ps_node_get_str(m,
	    "volunteer"))) == NULL)
		return 0;
	of = *p;	/* add() may move the rows */
	return add(l, ps_record_id(m), 1, of.closed, of.person, d);
}

/* Does the text name an ID listed? A cheap look before parsing. */
static int
names_one(const struct list *l, const char *s, size_t n)
{
	char id[PS_ID_LEN + 1];
	size_t i;

	for (i = 0; i + PS_ID_LEN <= n; i++) {
		if ((s[i] != 'P' && s[i] != 'V' && s[i] != 'M') ||
		    s[i + 1] != '-' || (i > 0 && s[i - 1] != ' ' &&
		    s[i - 1] != '"' && s[i - 1] != '\''))
			continue;
		memcpy(id, s + i, PS_ID_LEN);
		id[PS_ID_LEN] = '\0';
		if (find(l->v, l->npeople, id) ||
		    find(l->v + l->npeople, l->nmatches, id))
			return 1;
	}
	return 0;
}

struct walk {
	struct list	*l;
	struct ps_diags	*d;
	int		 rc;
};

static int
contact(const char *root, const git_tree_entry *e, void *payload)
{
	static const char *const fields[] = { "participant", "volunteer",
	    NULL };
	struct walk *w = payload;
	struct list *l = w->l;
	struct ps_buf rel = PS_BUF_INIT;
	struct ps_node *c = NULL;
	const struct row *p = NULL;
	git_blob *b = NULL;
	const char *name = git_tree_entry_name(e);
	size_t i, n = strlen(name);

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || n < 6 ||
	    strcmp(name + n - 5, ".yaml") != 0)
		return 0;
	if (ps_buf_printf(&rel, "contacts/%s%s", root, name) == -1) {
		w->rc = ps_diag_nomem(w->d);
		return -1;
	}
	if (git_blob_lookup(&b, l->s->repo, git_tree_entry_id(e)) < 0)
		w->rc = ps_git_error(w->d, rel.s);
	else if (names_one(l, git_blob_rawcontent(b),
	    (size_t)git_blob_rawsize(b)) &&
	    ps_yaml_load_mem(&c, git_blob_rawcontent(b),
	    (size_t)git_blob_rawsize(b), rel.s, w->d) == 0 &&
	    ps_record_check(l->s->schemas, c, rel.s, w->d) == 0) {
		for (i = 0; fields[i] && p == NULL; i++)
			p = find(l->v, l->npeople, ps_node_get_str(c,
			    fields[i]));
		if (p == NULL)
			p = find(l->v + l->npeople, l->nmatches,
			    ps_node_get_str(c, "match"));
		if (p) {
			struct row of = *p;	/* add() may move the rows */

			w->rc = add(l, ps_record_id(c), 2, of.closed,
			    of.person, w->d);
		}
	}
	ps_node_free(c);
	git_blob_free(b);
	ps_buf_release(&rel);
	return w->rc ? -1 : 0;
}

/* Every contact of the commit, in any day folder. */
static int
contacts(struct list *l, const git_oid *commit, struct ps_diags *d)
{
	struct walk w = { l, d, 0 };
	git_commit *c = NULL;
	git_tree *t = NULL, *sub = NULL;
	git_tree_entry *e = NULL;

	if (git_commit_lookup(&c, l->s->repo, commit) < 0 ||
	    git_commit_tree(&t, c) < 0)
		w.rc = ps_git_error(d, "contacts");
	else if (git_tree_entry_bypath(&e, t, "contacts") == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE) {
		if (git_tree_lookup(&sub, l->s->repo, git_tree_entry_id(e)) < 0)
			w.rc = ps_git_error(d, "contacts");
		else if (git_tree_walk(sub, GIT_TREEWALK_PRE, contact, &w) < 0 &&
		    w.rc == 0)
			w.rc = ps_git_error(d, "contacts");
	}
	git_tree_free(sub);
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return w.rc;
}

static void
print(const struct list *l, int table, FILE *out)
{
	struct ps_date now, then;
	char day[11];
	const char *kind;
	long years;
	size_t i;

	ps_date_from_days(l->today, &now);
	if (table)
		fprintf(out, "%-8s  %-11s  %-10s  %5s  %s\n", "ID", "KIND",
		    "CLOSED", "YEARS", "PERSON");
	for (i = 0; i < l->n; i++) {
		const struct row *r = &l->v[i];

		ps_date_format(day, r->closed);
		ps_date_from_days(r->closed, &then);
		years = now.y - then.y - (now.m < then.m ||
		    (now.m == then.m && now.d < then.d));
		kind = kinds[r->rank] ? kinds[r->rank] : ps_id_kind(r->id);
		if (table)
			fprintf(out, "%-8s  %-11s  %-10s  %5ld  %s\n", r->id,
			    kind, day, years, r->person);
		else
			fprintf(out, "---\nid: %s\nkind: %s\nclosed: %s\n"
			    "years: %ld\nperson: %s\n", r->id, kind, day, years,
			    r->person);
	}
}

int
ps_retention_list(struct ps_store *s, int table, FILE *out,
    struct ps_diags *d)
{
	const char *tz = ps_node_get_str(s->program, "timezone");
	const char *keep = ps_node_get_str(s->program,
	    "retention.closed_years");
	struct list l;
	git_oid head;
	char now[26];
	int rc;

	memset(&l, 0, sizeof(l));
	l.s = s;
	if (keep == NULL)
		return ps_diag_err(d, PS_REFUSED, "program.yaml: "
		    "retention.closed_years: not set: say how many years "
		    "records are kept after they close");
	l.years = atoi(keep);
	if (ps_tz_format(tz, ps_date_now(), now, &l.today) == -1)
		return ps_diag_err(d, PS_STORE, "program.yaml: no such time "
		    "zone on this system");
	ps_tzcache_init(&l.tz, tz);
	if ((rc = ps_store_resolve(s, "HEAD", &head, d)) != 0 ||
	    (rc = ps_store_each_in(s, &head, "participants", person, &l,
	    d)) != 0 ||
	    (rc = ps_store_each_in(s, &head, "volunteers", person, &l, d)) != 0)
		goto done;
	l.npeople = l.n;
	if (l.npeople > 1)
		qsort(l.v, l.npeople, sizeof(*l.v), by_id);
	if (l.npeople > 0) {
		if ((rc = ps_store_each_in(s, &head, "matches", match, &l,
		    d)) != 0)
			goto done;
		l.nmatches = l.n - l.npeople;
		if (l.nmatches > 1)
			qsort(l.v + l.npeople, l.nmatches, sizeof(*l.v), by_id);
		if ((rc = contacts(&l, &head, d)) != 0)
			goto done;
	}
	if (l.n > 1)
		qsort(l.v, l.n, sizeof(*l.v), by_person);
	print(&l, table, out);
done:
	free(l.v);
	return rc;
}
