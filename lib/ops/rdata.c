/* rdata: what a report reads of a commit of the store; see rdata.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/date.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/tz.h"
#include "model/schema.h"
#include "model/yaml.h"
#include "rules/rsum.h"
#include "ops/rdoc.h"
#include "ops/rdata.h"

const char *const ps_rdata_modes[] = { "phone", "email", "video",
    "in-person", "text", NULL };
const char *const ps_rdata_activities[] = { "training", "practicum",
    "supervision", "community-of-practice", "admin", NULL };
const char *const ps_rdata_flags[] = { "risk", "crisis", "safeguarding",
    NULL };
const char *const ps_rdata_domains[] = { "empowerment", "isolation",
    "coping", "distress", NULL };

/* A field of a summary: its text, its local day, its number. */
const char *
ps_rdata_str(const struct ps_rsum *r, int f)
{
	return r->f[f];
}

long
ps_rdata_day(struct ps_rdata *d, const struct ps_rsum *r, int f)
{
	return ps_tzcache_day(&d->tz, r->f[f]);
}

long
ps_rdata_num(const struct ps_rsum *r, int f, long dflt)
{
	return r->f[f] ? strtol(r->f[f], NULL, 10) : dflt;
}

int
ps_rdata_in(long day, long from, long until)
{
	return day >= from && day <= until;
}


/* Reading: summaries kept by kind. */
static int
keep(void *arg, const struct ps_rsum *rec, struct ps_diags *dg)
{
	struct ps_rdata *d = arg;
	int k = rec->kind;
	const struct ps_rsum **v;

	if (d->n[k] == d->cap[k]) {
		size_t cap = d->cap[k] ? 2 * d->cap[k] : 256;

		if ((v = reallocarray(d->rec[k], cap, sizeof(*v))) == NULL)
			return ps_diag_nomem(dg);
		d->rec[k] = v;
		d->cap[k] = cap;
	}
	d->rec[k][d->n[k]++] = rec;
	return 0;
}

/* Count a contact under its funder and host organisation, as listed in
   program.yaml (funders; the streams' host_organisations). */
static void
attribute(struct ps_rdata *d, struct ps_rdata_agg *a, const struct ps_rsum *c,
    long mins)
{
	static const int keys[] = { PS_C_FUNDER, PS_C_HOST };
	const char *v;
	size_t k, i;

	for (k = 0; k < 2; k++) {
		v = ps_rdata_str(c, keys[k]);
		for (i = 0; v && i < d->nnames[k] && !ps_streq(d->names[k][i], v);
		    i++)
			;
		if (v == NULL)
			i = d->nnames[k];	/* other or none */
		a->by[k][i].n++;
		a->by[k][i].min += mins;
	}
}

static void
add_contact(struct ps_rdata *d, struct ps_rdata_agg *a,
    const struct ps_rsum *c, int cur)
{
	const char *type = ps_rdata_str(c, PS_C_TYPE);
	long mins = ps_rdata_num(c, PS_C_MINUTES, 0);
	int k;

	if (ps_streq(type, "contact") || ps_streq(type, "callback") || ps_streq(type, "dropin"))
		attribute(d, a, c, mins);
	if (ps_streq(type, "contact") || ps_streq(type, "callback")) {
		a->contacts++;
		a->callbacks += ps_streq(type, "callback");
		a->support_minutes += mins;
		if ((k = ps_str_index(ps_rdata_modes, ps_rdata_str(c,
		    PS_C_MODE))) >= 0) {
			a->mode_n[k]++;
			a->mode_min[k] += mins;
		}
	} else if (ps_streq(type, "activity")) {
		if ((k = ps_str_index(ps_rdata_activities, ps_rdata_str(c,
		    PS_C_ACTIVITY))) >= 0)
			a->vol_hours[k] += ps_rdata_str(c, PS_C_HOURS) ?
			    strtod(ps_rdata_str(c, PS_C_HOURS), NULL) : 0;
	} else if (ps_streq(type, "dropin")) {
		a->dropins++;
		a->support_minutes += mins;
	} else if (ps_streq(type, "group-session")) {
		a->sessions++;
		a->attendees += ps_rdata_num(c, PS_C_ATTENDEES, 0);
	} else if (ps_streq(type, "feedback")) {
		a->feedback++;
		a->helpful_sum += ps_rdata_num(c, PS_C_HELPFUL, 0);
		/* ps_rdata_domains is in PS_C_OUTCOME's order */
		for (k = 0; ps_rdata_domains[k]; k++)
			if (ps_rdata_str(c, PS_C_OUTCOME + k)) {
				a->out_sum[k] += ps_rdata_num(c,
				    PS_C_OUTCOME + k, 0);
				a->out_n[k]++;
			}
	}
	if (ps_rdata_str(c, PS_C_FLAG)) {
		const char *ref = ps_rdata_str(c, PS_C_REFERRAL);

		a->flagged++;
		if ((k = ps_str_index(ps_rdata_flags, ps_rdata_str(c,
		    PS_C_FLAG_TYPE))) >= 0)
			a->flag_n[k]++;
		a->no_referral += ps_streq(ref, "none");
		if (cur)
			ps_rdoc_row(d->flagged, ps_rdoc_strdup(ps_rdata_str(c,
			    PS_C_ID)),
			    ps_rdoc_fmt("%.10s", ps_rdata_str(c, PS_C_DATE)),
			    ps_rdoc_strdup(ps_rdata_str(c, PS_C_FLAG_TYPE)),
			    ps_rdoc_strdup(ref), ps_rdoc_strdup(ps_streq(ref,
			        "none") ?
			    "needs attention" : ""));
	}
}

static int
seen_add(struct ps_rdata *d, const char *m)
{
	char **v;

	if (d->nseen == d->capseen) {
		size_t cap = d->capseen ? 2 * d->capseen : 256;

		if ((v = reallocarray(d->seen, cap, sizeof(*v))) == NULL)
			return -1;
		d->seen = v;
		d->capseen = cap;
	}
	return (d->seen[d->nseen++] = strdup(m)) == NULL ? -1 : 0;
}

static int
contact(void *arg, const struct ps_rsum *c, struct ps_diags *dg)
{
	struct ps_rdata *d = arg;
	long day = ps_rdata_day(d, c, PS_C_DATE);

	if (ps_rdata_in(day, d->from, d->until))
		add_contact(d, &d->cur, c, 1);
	else if (ps_rdata_in(day, d->pfrom, d->puntil))
		add_contact(d, &d->prev, c, 0);
	if (ps_rdata_in(day, d->stalled_from, d->until) &&
	    ps_rdata_str(c, PS_C_MATCH) &&
	    seen_add(d, ps_rdata_str(c, PS_C_MATCH)) == -1)
		return ps_diag_nomem(dg);
	return 0;
}

static const char *
id_of(const void *p)
{
	const char *id = (**(const struct ps_rsum *const *const *)p)->f[PS_P_ID];

	return id ? id : "";
}

static int
by_id(const void *a, const void *b)
{
	int k = strcmp(id_of(a), id_of(b));
	const void *x = *(const void *const *)a, *y = *(const void *const *)b;

	return k ? k : x < y ? -1 : x > y;
}

static int
id_is(const void *key, const void *b)
{
	return strcmp(*(const char *const *)key, id_of(b));
}

/* The first participant of an ID, in store order; NULL if none. */
static const struct ps_rsum *
participant(struct ps_rdata *d, const char *id)
{
	const struct ps_rsum ***pp;

	if (id == NULL || (pp = ps_mem_find(&id, d->by_id, d->n[0],
	    sizeof(*d->by_id), id_is)) == NULL)
		return NULL;
	while (pp > d->by_id && id_is(&id, pp - 1) == 0)
		pp--;
	return **pp;
}

/*
 * May the participant be asked to a follow-up survey they agreed to with
 * the feedback of day? Not once they have withdrawn or been erased, nor
 * when their record's last follow-up consent is a refusal made that day
 * or later: a consent holds only until it is taken back.
 */
static int
may_follow_up(struct ps_rdata *d, const char *id, long day)
{
	const struct ps_rsum *p = participant(d, id);

	if (p == NULL || ps_streq(ps_rdata_str(p, PS_P_STATUS), "withdrawn") ||
	    ps_streq(ps_rdata_str(p, PS_P_ERASED), "true"))
		return 0;
	if (ps_rdata_str(p, PS_P_FU))	/* the last follow-up consent */
		return ps_streq(ps_rdata_str(p, PS_P_FU_GIVEN), "true") ||
		    ps_rdata_day(d, p, PS_P_FU_DATE) < day;
	return 1;
}

/*
 * A follow-up survey due: a feedback contact (the contacts of these days
 * that are not are skipped) whose participant agreed to one.
 */
static int
feedback(void *arg, const struct ps_rsum *c, struct ps_diags *dg)
{
	struct ps_rdata *d = arg;
	long after = ps_rdata_day(d, c, PS_C_FU_AFTER);

	(void)dg;
	if (!ps_streq(ps_rdata_str(c, PS_C_TYPE), "feedback") ||
	    !ps_streq(ps_rdata_str(c, PS_C_FU_CONSENT), "true") ||
	    !ps_rdata_in(after, d->until + 1, d->until + 28) ||
	    !may_follow_up(d, ps_rdata_str(c, PS_C_PARTICIPANT),
	    ps_rdata_day(d, c, PS_C_DATE)))
		return 0;
	d->fu_due++;
	ps_rdoc_row(d->due, ps_rdoc_strdup(ps_rdata_str(c, PS_C_PARTICIPANT)),
	    ps_rdoc_strdup(ps_rdata_str(c, PS_C_FU_AFTER)),
	    ps_rdoc_strdup(ps_rdata_str(c, PS_C_ID)));
	return 0;
}

static int
each_day(struct ps_rdata *d, long from, long to, ps_rsum_fn fn,
    struct ps_diags *dg)
{
	struct ps_date dt;
	char dir[32];
	long day;
	int rc = 0;

	for (day = from; day <= to && rc == 0; day++) {
		ps_date_from_days(day, &dt);
		snprintf(dir, sizeof(dir), "contacts/%04d/%02d/%02d", dt.y,
		    dt.m, dt.d);
		rc = ps_rsums_each(d->rs, dir, 1, fn, d, dg);
	}
	return rc;
}

int
ps_rdata_seen(const struct ps_rdata *d, const char *m)
{
	return ps_mem_find(&m, d->seen, d->nseen, sizeof(*d->seen), ps_strcmpp) !=
	    NULL;
}

/* program.yaml as it was in the commit, checked. */
static int
program_at(struct ps_rdata *d, struct ps_node **out, struct ps_diags *dg)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int rc = 0;

	*out = NULL;
	if (git_commit_lookup(&c, d->s->repo, &d->commit) < 0 ||
	    git_commit_tree(&t, c) < 0 ||
	    git_tree_entry_bypath(&e, t, "program.yaml") < 0 ||
	    git_blob_lookup(&b, d->s->repo, git_tree_entry_id(e)) < 0)
		rc = ps_git_error(dg, "program.yaml");
	else if ((rc = ps_yaml_load_mem(out, git_blob_rawcontent(b),
	    (size_t)git_blob_rawsize(b), "program.yaml", dg)) == 0 &&
	    ps_schema_validate(ps_schemas_get(d->s->schemas, "program"), *out,
	    "program.yaml", dg))
		rc = PS_STORE;
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/* Append name to the funders (k 0) or host organisations (k 1). */
static int
add_name(struct ps_rdata *d, int k, const char *name)
{
	const char **v;

	if ((v = ps_mem_grow(d->names[k], &d->capnames[k], d->nnames[k] + 1,
	    sizeof(*v), 8)) == NULL)
		return -1;
	d->names[k] = v;
	v[d->nnames[k]++] = name;
	return 0;
}

/*
 * The funders and host organisations program.yaml names, as many as it
 * names, each kind in its order (host organisations stream by stream),
 * and a tally for each and one for other or none in both periods. The
 * names point into d->prog. -1 when out of memory.
 */
static int
names_of(struct ps_rdata *d)
{
	const struct ps_node *l = ps_node_get(d->prog, "funders");
	const struct ps_node *st = ps_node_get(d->prog, "streams"), *h;
	size_t i, j;
	int k;

	for (i = 0; l && i < l->n; i++)
		if (add_name(d, 0, l->vals[i]->str) == -1)
			return -1;
	for (j = 0; st && j < st->n; j++) {
		h = ps_node_get(st->vals[j], "host_organisations");
		for (i = 0; h && i < h->n; i++)
			if (add_name(d, 1, h->vals[i]->str) == -1)
				return -1;
	}
	for (k = 0; k < 2; k++)
		if ((d->cur.by[k] = calloc(d->nnames[k] + 1,
		    sizeof(*d->cur.by[k]))) == NULL ||
		    (d->prev.by[k] = calloc(d->nnames[k] + 1,
		    sizeof(*d->prev.by[k]))) == NULL)
			return -1;
	return 0;
}

int
ps_rdata_init(struct ps_rdata *d, struct ps_store *s, const char *as_of,
    struct ps_diags *dg)
{
	int rc;

	memset(d, 0, sizeof(*d));
	d->s = s;
	if ((rc = ps_store_resolve(s, as_of ? as_of : "HEAD", &d->commit,
	    dg)) != 0)
		return rc;
	return program_at(d, &d->prog, dg);
}

int
ps_rdata_read(struct ps_rdata *d, struct ps_diags *dg)
{
	static const char *const flagged_cols[] = { "contact", "date", "flag",
	    "referral", "attention" };
	static const char *const due_cols[] = { "participant", "due from",
	    "feedback" };
	long fu_months, lo;
	size_t i;
	int rc;

	if (names_of(d) == -1)
		return ps_diag_nomem(dg);
	ps_tzcache_init(&d->tz, ps_node_get_str(d->prog, "timezone"));
	d->stalled_from = d->until - ps_node_get_long(d->prog,
	    "reports.stalled_days", 14) + 1;
	d->flagged = ps_rdoc_loose_table("flagged", "Flagged contacts", 5,
	    flagged_cols);
	d->due = ps_rdoc_loose_table("followups",
	    "Follow-up surveys due in the next 4 weeks",
	    3, due_cols);
	if ((rc = ps_rsums_open(&d->rs, d->s, &d->commit, dg)) != 0 ||
	    (rc = ps_rsums_each(d->rs, "participants", 0, keep, d, dg)) != 0 ||
	    (rc = ps_rsums_each(d->rs, "volunteers", 0, keep, d, dg)) != 0 ||
	    (rc = ps_rsums_each(d->rs, "matches", 0, keep, d, dg)) != 0)
		return rc;
	if ((d->by_id = calloc(d->n[0] + 1, sizeof(*d->by_id))) == NULL)
		return ps_diag_nomem(dg);
	for (i = 0; i < d->n[0]; i++)
		d->by_id[i] = &d->rec[0][i];
	ps_mem_sort(d->by_id, d->n[0], sizeof(*d->by_id), by_id);
	lo = d->pfrom < d->stalled_from ? d->pfrom : d->stalled_from;
	if ((rc = each_day(d, lo, d->until, contact, dg)) != 0)
		return rc;
	fu_months = ps_node_get_long(d->prog, "consents.follow_up.min_months", 3);
	if ((rc = each_day(d, d->until - fu_months * 31 - 3, d->until + 28 -
	    fu_months * 28, feedback, dg)) != 0)
		return rc;
	ps_mem_sort(d->seen, d->nseen, sizeof(*d->seen), ps_strcmpp);
	return 0;
}

void
ps_rdata_release(struct ps_rdata *d)
{
	size_t i, k;

	for (k = 0; k < 3; k++)
		free(d->rec[k]);
	free(d->by_id);
	for (k = 0; k < 2; k++) {
		free(d->names[k]);
		free(d->cur.by[k]);
		free(d->prev.by[k]);
	}
	ps_rsums_free(d->rs);
	for (i = 0; i < d->nseen; i++)
		free(d->seen[i]);
	free(d->seen);
	if (d->flagged) {
		ps_rdoc_table_release(d->flagged);
		free(d->flagged);
	}
	if (d->due) {
		ps_rdoc_table_release(d->due);
		free(d->due);
	}
	ps_node_free(d->prog);
}
