/* cohort: training cohorts with limited seats; see cohort.h. */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/tz.h"
#include "model/program.h"
#include "model/record.h"
#include "model/yaml.h"
#include "store/txn.h"
#include "ops/cohort.h"


/* Has the volunteer left screening without finishing it? */
static int
gone(const struct ps_node *rec)
{
	const char *st = ps_node_get_str(rec, "status");

	return ps_streq(st, "declined") || ps_streq(st, "withdrawn") ||
	    ps_streq(st, "retired") || ps_streq(st, "closed");
}

static int
in_screening(const struct ps_node *rec)
{
	const char *st = ps_node_get_str(rec, "status");

	return ps_streq(st, "applied") || ps_streq(st, "screening");
}

const struct ps_node *
ps_cohort_find(const struct ps_node *prog, const char *name)
{
	const struct ps_node *l = ps_node_get(prog, "volunteers.cohorts");
	size_t i;

	for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n; i++)
		if (ps_streq(ps_node_get_str(l->vals[i], "name"), name))
			return l->vals[i];
	return NULL;
}

struct waiter {
	char	id[PS_ID_LEN + 1];
	time_t	since;
};

/* Who holds a seat in a cohort and who waits for one, in order. */
struct roster {
	const char	*name;
	struct ps_ids	 seated;
	struct waiter	*w;
	size_t		 nw;
	size_t		 cap;
};

static int
roster_one(void *arg, const char *rel, struct ps_node *rec, struct ps_diags *d)
{
	struct roster *r = arg;
	struct waiter *w;

	(void)rel;
	if (ps_streq(ps_node_get_str(rec, "screening.cohort"), r->name) &&
	    !gone(rec))
		return ps_ids_add(&r->seated, ps_record_id(rec), d);
	if (!ps_streq(ps_node_get_str(rec, "screening.waitlist.cohort"), r->name) ||
	    !in_screening(rec))
		return 0;
	if (r->nw == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 16;

		if ((w = reallocarray(r->w, cap, sizeof(*w))) == NULL)
			return ps_diag_nomem(d);
		r->w = w;
		r->cap = cap;
	}
	w = &r->w[r->nw++];
	snprintf(w->id, sizeof(w->id), "%s", ps_record_id(rec));
	if (ps_datetime_parse(ps_node_get_str(rec, "screening.waitlist.since"),
	    &w->since) == -1)
		w->since = 0;
	return 0;
}

static int
by_since(const void *a, const void *b)
{
	const struct waiter *x = a, *y = b;

	if (x->since != y->since)
		return x->since < y->since ? -1 : 1;
	return strcmp(x->id, y->id);
}

static int
roster_read(struct ps_store *s, struct roster *r, const char *name,
    struct ps_diags *d)
{
	int rc;

	memset(r, 0, sizeof(*r));
	r->name = name;
	if ((rc = ps_store_each(s, "volunteer", 0, roster_one, r, d)) != 0)
		return rc;
	ps_mem_sort(r->w, r->nw, sizeof(*r->w), by_since);
	return 0;
}

static void
roster_release(struct roster *r)
{
	ps_ids_release(&r->seated);
	free(r->w);
}

/*
 * A checked record into the transaction and the output: the record, or
 * with summary its line, which says where it now stands, a seat or the
 * waiting list.
 */
static int
stage(struct ps_store *s, struct ps_txn *t, struct ps_node *rec,
    int summary, struct ps_buf *text, struct ps_diags *d)
{
	const char *seat = ps_node_get_str(rec, "screening.cohort");
	char what[160];
	int rc;

	if (ps_record_check(s->schemas, rec, ps_record_id(rec), d))
		return PS_REFUSED;
	if ((rc = ps_txn_put(t, rec, d)) != 0)
		return rc;
	snprintf(what, sizeof(what), "%s cohort %s", seat ? "seated in" :
	    "on the waiting list of", seat ? seat : ps_node_get_str(rec,
	    "screening.waitlist.cohort"));
	return ps_record_written(text, rec, summary, what) == -1 ?
	    ps_diag_nomem(d) : 0;
}

static int
seat(struct ps_node *rec, const char *name)
{
	struct ps_node *sc = ps_node_get(rec, "screening");

	if (sc)
		ps_node_map_del(sc, "waitlist");
	return ps_node_set_str(rec, "screening.cohort", name);
}

/* Give free seats to the first on the waiting list. */
static int
fill(struct ps_store *s, struct ps_txn *t, struct roster *r, long seats,
    int summary, struct ps_buf *text, size_t *moved, struct ps_diags *d)
{
	struct ps_node *rec = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < r->nw && (long)r->seated.n < seats; i++) {
		if ((rc = ps_store_get(s, r->w[i].id, &rec, d)) != 0)
			break;
		if (seat(rec, r->name) == -1) {
			rc = ps_diag_nomem(d);
			break;
		}
		if ((rc = stage(s, t, rec, summary, text, d)) != 0 ||
		    (rc = ps_ids_add(&r->seated, r->w[i].id, d)) != 0)
			break;
		ps_node_free(rec);
		rec = NULL;
		(*moved)++;
	}
	ps_node_free(rec);
	return rc;
}

static long
seats_of(const struct ps_node *c)
{
	const char *v = ps_node_get_str(c, "seats");

	return v ? atol(v) : 0;
}

static int
finish(struct ps_txn *t, const struct ps_cohort_opts *o, const char *subject,
    struct ps_buf *text, FILE *out, struct ps_diags *d)
{
	struct ps_commit_info ci = { "ps-screen", subject, o->author,
	    o->dry_run };
	int rc;

	if ((rc = ps_txn_commit(t, &ci, d)) == 0 && text->len)
		fwrite(text->s, 1, text->len, out);
	return rc;
}

int
ps_cohort_define(struct ps_store *s, const struct ps_cohort_opts *o,
    FILE *out, struct ps_diags *d)
{
	struct ps_node *prog = NULL, *l, *c;
	struct ps_buf text = PS_BUF_INIT, yaml = PS_BUF_INIT;
	struct roster r = { 0 };
	struct ps_txn *t = NULL;
	struct ps_date dt;
	char subject[200];
	size_t moved = 0;
	int rc;

	if (o->starts && ps_date_parse(o->starts, &dt) == -1)
		return ps_diag_err(d, PS_USAGE, "--starts: not a real date "
		    "(YYYY-MM-DD)");
	if ((rc = ps_txn_begin(&t, s, d)) != 0)
		goto done;
	if ((prog = ps_node_dup(s->program)) == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if ((c = (struct ps_node *)ps_cohort_find(prog, o->name)) == NULL) {
		if (o->seats == 0 || o->starts == NULL) {
			rc = ps_diag_err(d, PS_REFUSED, "cohort \"%s\": a new "
			    "cohort needs --seats and --starts", o->name);
			goto done;
		}
		if ((l = ps_node_get(prog, "volunteers.cohorts")) == NULL &&
		    (ps_node_set(prog, "volunteers.cohorts",
		    ps_node_new_seq()) == -1 ||
		    (l = ps_node_get(prog, "volunteers.cohorts")) == NULL)) {
			rc = ps_diag_nomem(d);
			goto done;
		}
		if ((c = ps_node_new_map()) == NULL ||
		    ps_node_seq_append(l, c) == -1 ||
		    ps_node_set_str(c, "name", o->name) == -1) {
			rc = ps_diag_nomem(d);
			goto done;
		}
	}
	if ((rc = roster_read(s, &r, o->name, d)) != 0)
		goto done;
	if (o->seats && o->seats < (long)r.seated.n) {
		rc = ps_diag_err(d, PS_REFUSED, "cohort \"%s\": %zu seats are "
		    "taken; cannot cut to %ld", o->name, r.seated.n, o->seats);
		goto done;
	}
	snprintf(subject, sizeof(subject), "%ld", o->seats);
	if ((o->starts && ps_node_set_plain(c, "starts", o->starts) == -1) ||
	    (o->seats && ps_node_set_plain(c, "seats", subject) == -1)) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (ps_schema_validate(ps_schemas_get(s->schemas, "program"), prog,
	    "program.yaml", d) ||
	    ps_program_check(prog, "program.yaml", d)) {
		rc = PS_REFUSED;
		goto done;
	}
	if (ps_yaml_write(&yaml, prog) == -1) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if ((rc = ps_txn_put_file(t, "program.yaml", yaml.s, yaml.len,
	    d)) != 0 ||
	    (rc = fill(s, t, &r, seats_of(c), o->summary, &text,
	    &moved, d)) != 0)
		goto done;
	snprintf(subject, sizeof(subject), "ps-screen: cohort %s (%ld seat%s, "
	    "starts %s)", o->name, seats_of(c), seats_of(c) == 1 ? "" : "s",
	    ps_node_get_str(c, "starts"));
	if (moved)
		snprintf(subject + strlen(subject), sizeof(subject) -
		    strlen(subject), "; %zu from the waiting list", moved);
	rc = finish(t, o, subject, &text, out, d);
done:
	roster_release(&r);
	ps_txn_free(t);
	ps_node_free(prog);
	ps_buf_release(&text);
	ps_buf_release(&yaml);
	return rc;
}

int
ps_cohort_enrol(struct ps_store *s, const struct ps_ids *ids,
    const struct ps_cohort_opts *o, FILE *out, struct ps_diags *d)
{
	const struct ps_node *c = ps_cohort_find(s->program, o->name);
	const char *tz = ps_node_get_str(s->program, "timezone");
	struct ps_buf text = PS_BUF_INIT;
	struct roster r = { 0 };
	struct ps_txn *t = NULL;
	struct ps_node *rec = NULL, *sc;
	char now[26], subject[200];
	size_t i, moved = 0, bad = 0;
	long today;
	int rc;

	if (c == NULL)
		return ps_diag_err(d, PS_REFUSED, "no cohort \"%s\" (define it "
		    "with --cohort NAME --seats N --starts DATE)", o->name);
	if (ps_tz_format(tz, ps_date_now(), now, &today) == -1)
		return ps_diag_err(d, PS_STORE, "program.yaml: no such time "
		    "zone on this system");
	if ((rc = ps_txn_begin(&t, s, d)) != 0 ||
	    (rc = roster_read(s, &r, o->name, d)) != 0 ||
	    (rc = fill(s, t, &r, seats_of(c), o->summary, &text,
	    &moved, d)) != 0)
		goto done;
	for (i = 0; i < ids->n; i++, ps_node_free(rec), rec = NULL) {
		const char *id = ids->v[i];
		struct ps_place at;

		if ((rc = ps_store_get_at(s, id, ps_ids_place(ids, i, &at),
		    &rec, d)) != 0) {
			if (rc == PS_STORE)
				goto done;
			bad++;
			continue;
		}
		if (!ps_streq(ps_record_kind(rec), "volunteer"))
			rc = ps_diag_err(d, PS_REFUSED, "%s: only volunteers "
			    "are enrolled in a training cohort", id);
		else if (!in_screening(rec))
			rc = ps_diag_err(d, PS_REFUSED, "%s: not in screening "
			    "(status %s)", id, ps_node_get_str(rec, "status"));
		else if (ps_streq(ps_node_get_str(rec, "screening.cohort"), o->name))
			rc = ps_diag_err(d, PS_REFUSED, "%s: already has a "
			    "seat in cohort \"%s\"", id, o->name);
		else if (ps_streq(ps_node_get_str(rec, "screening.waitlist.cohort"),
		    o->name))
			rc = ps_diag_err(d, PS_REFUSED, "%s: already on the "
			    "waiting list of cohort \"%s\"", id, o->name);
		if (rc != 0) {
			bad++;
			rc = 0;
			continue;
		}
		if ((long)r.seated.n < seats_of(c)) {
			if (seat(rec, o->name) == -1 ||
			    ps_ids_add(&r.seated, id, d) != 0)
				rc = ps_diag_nomem(d);
		} else {
			if ((sc = ps_node_get(rec, "screening")) != NULL)
				ps_node_map_del(sc, "cohort");
			if (ps_node_set_str(rec, "screening.waitlist.cohort",
			    o->name) == -1 || ps_node_set_plain(rec,
			    "screening.waitlist.since", now) == -1)
				rc = ps_diag_nomem(d);
		}
		if (rc == 0)
			rc = stage(s, t, rec, o->summary, &text, d);
		if (rc == PS_STORE || d->oom)
			goto done;
		bad += rc != 0;
		rc = 0;
	}
	if (bad) {
		rc = PS_REFUSED;
		goto done;
	}
	if (ids->n == 1)
		snprintf(subject, sizeof(subject), "ps-screen: enrol %s in "
		    "cohort %s", ids->v[0], o->name);
	else
		snprintf(subject, sizeof(subject), "ps-screen: enrol %zu "
		    "records in cohort %s", ids->n, o->name);
	rc = finish(t, o, subject, &text, out, d);
done:
	ps_node_free(rec);
	roster_release(&r);
	ps_txn_free(t);
	ps_buf_release(&text);
	return rc;
}

int
ps_cohort_seated(struct ps_store *s, const char *name, struct ps_ids *ids,
    struct ps_diags *d)
{
	const struct ps_node *c = ps_cohort_find(s->program, name);
	struct roster r;
	struct ps_node *rec = NULL;
	size_t i, free_seats;
	int rc;

	if (c == NULL)
		return ps_diag_err(d, PS_REFUSED, "no cohort \"%s\"", name);
	if ((rc = roster_read(s, &r, name, d)) != 0)
		goto done;
	/* the first waiting take the seats that are free: the step gives
	   them their seat (ps_screen_step) in the same commit */
	free_seats = seats_of(c) > (long)r.seated.n ? (size_t)seats_of(c) -
	    r.seated.n : 0;
	for (i = 0; i < r.nw && i < free_seats && rc == 0; i++)
		rc = ps_ids_add(&r.seated, r.w[i].id, d);
	for (i = 0; i < r.seated.n && rc == 0; i++) {
		if ((rc = ps_store_get(s, r.seated.v[i], &rec, d)) != 0)
			break;
		if (in_screening(rec))
			rc = ps_ids_add(ids, r.seated.v[i], d);
		ps_node_free(rec);
		rec = NULL;
	}
	if (rc == 0 && ids->n == 0)
		rc = ps_diag_err(d, PS_REFUSED, "cohort \"%s\": nobody in "
		    "screening has a seat", name);
done:
	roster_release(&r);
	return rc;
}

static void
id_list(FILE *out, const char *key, const struct ps_ids *seated,
    const struct waiter *w, size_t n)
{
	size_t i;

	fprintf(out, "%s:%s\n", key, n ? "" : " []");
	for (i = 0; i < n; i++)
		fprintf(out, "  - %s\n", seated ? seated->v[i] : w[i].id);
}

int
ps_cohort_list(struct ps_store *s, int table, FILE *out, struct ps_diags *d)
{
	const struct ps_node *l = ps_node_get(s->program, "volunteers.cohorts");
	struct roster r;
	size_t i;
	int rc = 0;

	if (table)
		fprintf(out, "%-20s  %-10s  %5s  %5s  %7s\n", "COHORT",
		    "STARTS", "SEATS", "TAKEN", "WAITING");
	for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n && rc == 0; i++) {
		const char *name = ps_node_get_str(l->vals[i], "name");

		if ((rc = roster_read(s, &r, name, d)) == 0 && table)
			fprintf(out, "%-20s  %-10s  %5ld  %5zu  %7zu\n", name,
			    ps_node_get_str(l->vals[i], "starts"),
			    seats_of(l->vals[i]), r.seated.n, r.nw);
		else if (rc == 0) {
			fprintf(out, "---\ncohort: \"%s\"\nstarts: %s\nseats: "
			    "%ld\n", name, ps_node_get_str(l->vals[i],
			    "starts"), seats_of(l->vals[i]));
			id_list(out, "seated", &r.seated, NULL, r.seated.n);
			id_list(out, "waiting", NULL, r.w, r.nw);
		}
		roster_release(&r);
	}
	return rc;
}
