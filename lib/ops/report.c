/* report: a period's figures from a commit of the store; see report.h. */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/id.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/tz.h"
#include "model/program.h"
#include "model/record.h"
#include "model/schema.h"
#include "model/yaml.h"
#include "rules/plan.h"
#include "rules/rsum.h"
#include "rules/screen.h"
#include "rules/status.h"
#include "ops/rdoc.h"
#include "ops/report.h"

const char *const ps_report_keys[] = { "intake", "screening", "matching",
    "onecall", "active", "activity", "safety", "followup", "audit", NULL };

static const char *const titles[] = { "Intake", "Volunteer screening",
    "Matching", "OneCall callbacks", "Active matches", "Activity", "Safety",
    "Feedback and follow-up", "Audit" };

static const char *const modes[] = { "phone", "email", "video", "in-person",
    "text", NULL };
static const char *const activities[] = { "training", "practicum",
    "supervision", "community-of-practice", "admin", NULL };
static const char *const flags[] = { "risk", "crisis", "safeguarding",
    NULL };
static const char *const roles[] = { "living-with", "caregiver", "both",
    NULL };
static const char *const domains[] = { "empowerment", "isolation", "coping",
    "distress", NULL };


static int
index_of(const char *const *l, const char *s)
{
	int i;

	for (i = 0; s && l[i]; i++)
		if (strcmp(l[i], s) == 0)
			return i;
	return -1;
}

/* Contacts and their minutes under one funder or host organisation. */
struct tally {
	long	n, min;
};

/* Contacts of one period, counted. */
struct agg {
	long	contacts, callbacks, support_minutes;
	long	mode_n[5], mode_min[5];
	double	vol_hours[5];
	long	dropins, sessions, attendees;
	long	flagged, flag_n[3], no_referral;
	long	feedback, helpful_sum, out_sum[4], out_n[4];
	struct tally	*by[2];		/* funder, host: nnames[k] + 1, in
					   program.yaml order, then other
					   or none */
};

/* Everything read for a report. */
struct data {
	struct ps_store		*s;
	const struct ps_node	*prog;
	git_oid			 commit;
	struct ps_tzcache	 tz;
	long			 from, until, pfrom, puntil;
	struct ps_rsums		*rs;
	const struct ps_rsum	**rec[3];	/* participants, volunteers,
						   matches */
	size_t			 n[3], cap[3];
	const struct ps_rsum	***by_id;	/* participants (in rec[0]) by
						   ID, then in store order */
	struct agg		 cur, prev;
	struct ps_rtable	*flagged;	/* filled while reading */
	char			**seen;		/* matches with a recent contact */
	size_t			 nseen, capseen;
	long			 stalled_from;
	long			 fu_due;	/* follow-ups due */
	struct ps_rtable	*due;
	const char		**names[2];	/* funders, host organisations,
						   in program.yaml's node */
	size_t			 nnames[2], capnames[2];
	int			 rc;
};

/* A field of a summary: its text, its local day, its number. */
static const char *
str(const struct ps_rsum *r, int f)
{
	return r->f[f];
}

static long
day_of(struct data *d, const struct ps_rsum *r, int f)
{
	return ps_tzcache_day(&d->tz, r->f[f]);
}

static long
num(const struct ps_rsum *r, int f, long dflt)
{
	return r->f[f] ? strtol(r->f[f], NULL, 10) : dflt;
}

static int
in(long day, long from, long until)
{
	return day >= from && day <= until;
}

static long
lnum(const struct ps_node *n, const char *path, long dflt)
{
	const char *s = ps_node_get_str(n, path);

	return s ? strtol(s, NULL, 10) : dflt;
}

/* Reading: summaries kept by kind. */
static int
keep(void *arg, const struct ps_rsum *rec, struct ps_diags *dg)
{
	struct data *d = arg;
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
attribute(struct data *d, struct agg *a, const struct ps_rsum *c, long mins)
{
	static const int keys[] = { PS_C_FUNDER, PS_C_HOST };
	const char *v;
	size_t k, i;

	for (k = 0; k < 2; k++) {
		v = str(c, keys[k]);
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
add_contact(struct data *d, struct agg *a, const struct ps_rsum *c, int cur)
{
	const char *type = str(c, PS_C_TYPE);
	long mins = num(c, PS_C_MINUTES, 0);
	int k;

	if (ps_streq(type, "contact") || ps_streq(type, "callback") || ps_streq(type, "dropin"))
		attribute(d, a, c, mins);
	if (ps_streq(type, "contact") || ps_streq(type, "callback")) {
		a->contacts++;
		a->callbacks += ps_streq(type, "callback");
		a->support_minutes += mins;
		if ((k = index_of(modes, str(c, PS_C_MODE))) >= 0) {
			a->mode_n[k]++;
			a->mode_min[k] += mins;
		}
	} else if (ps_streq(type, "activity")) {
		if ((k = index_of(activities, str(c, PS_C_ACTIVITY))) >= 0)
			a->vol_hours[k] += str(c, PS_C_HOURS) ?
			    strtod(str(c, PS_C_HOURS), NULL) : 0;
	} else if (ps_streq(type, "dropin")) {
		a->dropins++;
		a->support_minutes += mins;
	} else if (ps_streq(type, "group-session")) {
		a->sessions++;
		a->attendees += num(c, PS_C_ATTENDEES, 0);
	} else if (ps_streq(type, "feedback")) {
		a->feedback++;
		a->helpful_sum += num(c, PS_C_HELPFUL, 0);
		for (k = 0; domains[k]; k++)	/* PS_C_OUTCOME's order */
			if (str(c, PS_C_OUTCOME + k)) {
				a->out_sum[k] += num(c, PS_C_OUTCOME + k, 0);
				a->out_n[k]++;
			}
	}
	if (str(c, PS_C_FLAG)) {
		const char *ref = str(c, PS_C_REFERRAL);

		a->flagged++;
		if ((k = index_of(flags, str(c, PS_C_FLAG_TYPE))) >= 0)
			a->flag_n[k]++;
		a->no_referral += ps_streq(ref, "none");
		if (cur)
			ps_rdoc_row(d->flagged, ps_rdoc_strdup(str(c, PS_C_ID)),
			    ps_rdoc_fmt("%.10s", str(c, PS_C_DATE)),
			    ps_rdoc_strdup(str(c, PS_C_FLAG_TYPE)),
			    ps_rdoc_strdup(ref), ps_rdoc_strdup(ps_streq(ref,
			        "none") ?
			    "needs attention" : ""));
	}
}

static int
seen_add(struct data *d, const char *m)
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
	struct data *d = arg;
	long day = day_of(d, c, PS_C_DATE);

	if (in(day, d->from, d->until))
		add_contact(d, &d->cur, c, 1);
	else if (in(day, d->pfrom, d->puntil))
		add_contact(d, &d->prev, c, 0);
	if (in(day, d->stalled_from, d->until) && str(c, PS_C_MATCH) &&
	    seen_add(d, str(c, PS_C_MATCH)) == -1)
		return ps_diag_nomem(dg);
	return 0;
}

/*
 * May the participant be asked to a follow-up survey they agreed to with
 * the feedback of day? Not once they have withdrawn or been erased, nor
 * when their record's last follow-up consent is a refusal made that day
 * or later: a consent holds only until it is taken back.
 */
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
participant(struct data *d, const char *id)
{
	const struct ps_rsum ***pp;

	if (id == NULL || (pp = ps_mem_find(&id, d->by_id, d->n[0],
	    sizeof(*d->by_id), id_is)) == NULL)
		return NULL;
	while (pp > d->by_id && id_is(&id, pp - 1) == 0)
		pp--;
	return **pp;
}

static int
may_follow_up(struct data *d, const char *id, long day)
{
	const struct ps_rsum *p = participant(d, id);

	if (p == NULL || ps_streq(str(p, PS_P_STATUS), "withdrawn") ||
	    ps_streq(str(p, PS_P_ERASED), "true"))
		return 0;
	if (str(p, PS_P_FU))	/* the last follow-up consent */
		return ps_streq(str(p, PS_P_FU_GIVEN), "true") ||
		    day_of(d, p, PS_P_FU_DATE) < day;
	return 1;
}

/*
 * A follow-up survey due: a feedback contact (the contacts of these days
 * that are not are skipped) whose participant agreed to one.
 */
static int
feedback(void *arg, const struct ps_rsum *c, struct ps_diags *dg)
{
	struct data *d = arg;
	long after = day_of(d, c, PS_C_FU_AFTER);

	(void)dg;
	if (!ps_streq(str(c, PS_C_TYPE), "feedback") ||
	    !ps_streq(str(c, PS_C_FU_CONSENT), "true") ||
	    !in(after, d->until + 1, d->until + 28) ||
	    !may_follow_up(d, str(c, PS_C_PARTICIPANT), day_of(d, c,
	    PS_C_DATE)))
		return 0;
	d->fu_due++;
	ps_rdoc_row(d->due, ps_rdoc_strdup(str(c, PS_C_PARTICIPANT)),
	    ps_rdoc_strdup(str(c, PS_C_FU_AFTER)), ps_rdoc_strdup(str(c,
	        PS_C_ID)));
	return 0;
}

static int
each_day(struct data *d, long from, long to, ps_rsum_fn fn,
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


static int
seen(const struct data *d, const char *m)
{
	return ps_mem_find(&m, d->seen, d->nseen, sizeof(*d->seen), ps_strcmpp) !=
	    NULL;
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return x < y ? -1 : x > y;
}

/* The p-th percentile (nearest rank) of a sorted list. */
static long
percentile(const long *v, size_t n, int p)
{
	size_t k = (n * (size_t)p + 99) / 100;

	return n ? v[k ? k - 1 : 0] : 0;
}

static void
intake(struct data *d, struct ps_rsection *s)
{
	const struct ps_node *st = ps_node_get(d->prog, "streams");
	struct ps_rtable *t;
	long cur = 0, prev = 0, vcur = 0, vprev = 0, wd = 0, wdp = 0;
	long cells[4], total[4] = { 0, 0, 0, 0 };
	size_t i, j;
	long day;
	int k;

	t = ps_rdoc_table(s, "applications",
	    "Participant applications by stream and "
	    "role", 4, PS_TOTAL_ROW | PS_TOTAL_COL, 5, "stream", "living-with",
	    "caregiver", "both",
	    "total");
	for (j = 0; st && j < st->n; j++) {
		memset(cells, 0, sizeof(cells));
		for (i = 0; i < d->n[0]; i++) {
			const struct ps_rsum *p = d->rec[0][i];

			if (!ps_streq(str(p, PS_P_STREAM), st->keys[j]->str) ||
			    !in(day_of(d, p, PS_P_RECEIVED), d->from, d->until))
				continue;
			if ((k = index_of(roles, str(p, PS_P_ROLE))) >= 0)
				cells[k]++;
			cells[3]++;
		}
		for (k = 0; k < 4; k++)
			total[k] += cells[k];
		ps_rdoc_row(t, ps_rdoc_strdup(st->keys[j]->str),
		    ps_rdoc_fmt("%ld", cells[0]),
		    ps_rdoc_fmt("%ld", cells[1]), ps_rdoc_fmt("%ld", cells[2]),
		    ps_rdoc_fmt("%ld", cells[3]));
	}
	ps_rdoc_row(t, ps_rdoc_strdup("total"), ps_rdoc_fmt("%ld", total[0]),
	    ps_rdoc_fmt("%ld", total[1]),
	    ps_rdoc_fmt("%ld", total[2]), ps_rdoc_fmt("%ld", total[3]));
	for (i = 0; i < d->n[0]; i++) {
		day = day_of(d, d->rec[0][i], PS_P_RECEIVED);
		cur += in(day, d->from, d->until);
		prev += in(day, d->pfrom, d->puntil);
		day = day_of(d, d->rec[0][i], PS_P_WITHDRAWN);
		wd += in(day, d->from, d->until);
		wdp += in(day, d->pfrom, d->puntil);
	}
	for (i = 0; i < d->n[1]; i++) {
		day = day_of(d, d->rec[1][i], PS_V_RECEIVED);
		vcur += in(day, d->from, d->until);
		vprev += in(day, d->pfrom, d->puntil);
	}
	ps_rdoc_count(s, "participant_applications", "Participant applications",
	    cur, prev);
	ps_rdoc_count(s, "volunteer_applications", "Volunteer applications",
	    vcur, vprev);
	ps_rdoc_count(s, "withdrawn", "Participants who withdrew", wd, wdp);
}

static void
screening(struct data *d, struct ps_rsection *s, double **funnel,
    char ***names, size_t *nsteps, struct ps_diags *dg)
{
	const struct ps_node *steps = ps_node_get(d->prog,
	    "volunteers.screening"), *rule;
	struct ps_rtable *t, *x;
	long acc = 0, accp = 0, dec = 0, decp = 0, overdue = 0, since, day;
	long *at = NULL;
	const char *next, *what;
	size_t i, j, n = steps ? steps->n : 0;

	*funnel = ps_rdoc_noted(calloc(n + 1, sizeof(**funnel)));
	*names = ps_rdoc_noted(calloc(n + 1, sizeof(**names)));
	at = ps_rdoc_noted(calloc(n + 1, sizeof(*at)));
	*nsteps = *funnel && *names && at ? n : 0;
	for (i = 0; i < d->n[1]; i++) {
		const struct ps_rsum *v = d->rec[1][i];
		const char *st = str(v, PS_V_STATUS);
		struct ps_node *rec = NULL;

		day = day_of(d, v, PS_V_DECIDED);
		what = str(v, PS_V_DECISION);
		acc += ps_streq(what, "accept") && in(day, d->from, d->until);
		accp += ps_streq(what, "accept") && in(day, d->pfrom, d->puntil);
		dec += ps_streq(what, "decline") && in(day, d->from, d->until);
		decp += ps_streq(what, "decline") && in(day, d->pfrom, d->puntil);
		if (!ps_streq(st, "applied") && !ps_streq(st, "screening"))
			continue;
		/* the steps: the whole record, read again */
		if (d->rc == 0)
			d->rc = ps_rsums_record(d->rs, v, &rec, dg);
		if (rec == NULL || ps_screen_ended(d->prog, rec) ||
		    (next = ps_screen_next(d->prog, rec, &since)) == NULL) {
			ps_node_free(rec);
			continue;
		}
		for (j = 0; j < *nsteps; j++)
			if (ps_streq(ps_node_get_str(steps->vals[j], "step"), next))
				at[j]++;
		rule = ps_screen_rule(d->prog, "volunteer", next);
		if (rule && ps_node_get_str(rule, "expected_days") &&
		    since + lnum(rule, "expected_days", 0) < d->until)
			overdue++;
		ps_node_free(rec);
	}
	t = ps_rdoc_table(s, "funnel",
	    "Volunteers in screening, by the step they "
	    "wait on", 1, 0, 2, "step", "volunteers");
	for (j = 0; j < *nsteps; j++) {
		(*names)[j] = ps_rdoc_strdup(ps_node_get_str(steps->vals[j],
		    "step"));
		(*funnel)[j] = (double)at[j];
		ps_rdoc_row(t, ps_rdoc_strdup((*names)[j]), ps_rdoc_fmt("%ld",
		    at[j]));
	}
	ps_rdoc_count(s, "accepted", "Volunteers accepted", acc, accp);
	ps_rdoc_count(s, "declined", "Volunteers declined", dec, decp);
	ps_rdoc_count_only(s, "overdue_steps",
	    "Volunteers past the expected time for "
	    "their step", overdue);
	x = ps_rdoc_table(s, "expiring", "Checks expiring in the next 30 days",
	    0, 0,
	    3, "volunteer", "step", "expires");
	for (i = 0; i < d->n[1]; i++) {
		const struct ps_rsum *v = d->rec[1][i];
		long e;

		if (!ps_streq(str(v, PS_V_STATUS), "active") &&
		    !ps_streq(str(v, PS_V_STATUS), "on-leave"))
			continue;
		e = num(v, PS_V_EXPIRES, LONG_MAX);
		if (e != LONG_MAX && e <= d->until + 30) {
			char buf[11];

			ps_date_format(buf, e);
			ps_rdoc_row(x, ps_rdoc_strdup(str(v, PS_V_ID)),
			    ps_rdoc_strdup(str(v, PS_V_EXPIRES_STEP)),
			    ps_rdoc_fmt("%s%s", buf,
			        e < d->until ? " (expired)" : ""));
		}
	}
	ps_rdoc_count_only(s, "expiring", "Checks expiring in the next 30 days",
	    x ? (long)x->nrows : 0);
	free(at);
}

/*
 * A match as the matcher reads it (plan.c read_match: who, the
 * status, why it ended, whether it is a callback and when it was
 * proposed), made from its summary.
 */
static int
match_node(const struct ps_rsum *m, struct ps_node **out)
{
	static const struct { const char *path; int f; } keys[] = {
		{ "id", PS_M_ID }, { "status", PS_M_STATUS },
		{ "participant", PS_M_PARTICIPANT },
		{ "volunteer", PS_M_VOLUNTEER }, { "proposed", PS_M_PROPOSED },
		{ "end_reason", PS_M_END_REASON },
	};
	struct ps_node *n;
	size_t i;

	if ((*out = n = ps_node_new_map()) == NULL ||
	    ps_node_set_str(n, "kind", "match") == -1 ||
	    (str(m, PS_M_CALLBACK) && ps_node_map_set(n, "callback",
	    ps_node_new_map()) == -1))
		return -1;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (str(m, keys[i].f) && ps_node_set_str(n, keys[i].path,
		    str(m, keys[i].f)) == -1)
			return -1;
	return 0;
}

/* How many open matches a volunteer has, of the sorted list of theirs. */
static long
open_of(char **open, size_t n, const char *v)
{
	char **p = v ? ps_mem_find(&v, open, n, sizeof(*open), ps_strcmpp) :
	    NULL;
	char **q = p;

	if (p == NULL)
		return 0;
	while (p > open && strcmp(p[-1], v) == 0)
		p--;
	while (q < open + n && strcmp(*q, v) == 0)
		q++;
	return (long)(q - p);
}

/*
 * May the matcher take this participant or volunteer (plan.h: who
 * waits for a match; who is active, with checks in date and capacity
 * left, open matches counted)? If not, it passes over the record.
 */
static int
candidate(struct data *d, int k, const struct ps_rsum *r, char **open,
    size_t nopen)
{
	const char *st = str(r, k == 0 ? PS_P_STATUS : PS_V_STATUS);

	if (k == 0)
		return ps_status_participant_waiting(st);
	return ps_status_volunteer_free(st, num(r, PS_V_EXPIRES, LONG_MAX),
	    d->until, ps_status_capacity(str(r, PS_V_CAPACITY), d->prog),
	    (long)open_of(open, nopen, str(r, PS_V_ID)));
}

/*
 * The records read, by kind, for ps_plan_gaps(): matches as their
 * summaries say, and the whole record, read again, of each participant
 * and volunteer the matcher may take.
 */
static int
kept(void *src, const char *kind, ps_store_fn fn, void *arg,
    struct ps_diags *dg)
{
	struct data *d = src;
	int k = ps_streq(kind, "participant") ? 0 : ps_streq(kind, "volunteer") ? 1 : 2;
	struct ps_node *rec = NULL;
	char **open = NULL;
	size_t i, no = 0;
	int rc = 0;

	if (k == 1 && (open = calloc(d->n[2] + 1, sizeof(*open))) == NULL)
		return ps_diag_nomem(dg);
	for (i = 0; k == 1 && i < d->n[2]; i++)
		if (ps_status_match_open(str(d->rec[2][i], PS_M_STATUS)) &&
		    str(d->rec[2][i], PS_M_PARTICIPANT) &&
		    str(d->rec[2][i], PS_M_VOLUNTEER))
			open[no++] = (char *)str(d->rec[2][i], PS_M_VOLUNTEER);
	ps_mem_sort(open, no, sizeof(*open), ps_strcmpp);
	for (i = 0; i < d->n[k] && rc == 0; i++) {
		if (k == 2)
			rc = match_node(d->rec[k][i], &rec) == -1 ?
			    ps_diag_nomem(dg) : 0;
		else if (candidate(d, k, d->rec[k][i], open, no))
			rc = ps_rsums_record(d->rs, d->rec[k][i], &rec, dg);
		if (rc == 0 && rec)
			rc = fn(arg, NULL, rec, dg);
		ps_node_free(rec);
		rec = NULL;
	}
	free(open);
	return rc;
}

/* Who the matcher would leave out now, and why: what to recruit for. */
static int
gaps(struct data *d, struct ps_rsection *s, struct ps_diags *dg)
{
	struct ps_rtable *t;
	char **why = NULL;
	size_t n = 0, i, j;
	int rc;

	if ((rc = ps_plan_gaps(d->s, d->prog, d->until, kept, d, &why, &n,
	    dg)) != 0)
		return rc;
	t = ps_rdoc_table(s, "gaps",
	    "Left unmatched, and why (recruiting gaps)", 1, 0,
	    2, "reason", "participants");
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && strcmp(why[j], why[i]) == 0; j++)
			;
		ps_rdoc_row(t, ps_rdoc_strdup(why[i]), ps_rdoc_fmt("%zu",
		    j - i));
	}
	ps_strv_free(why, n);
	return 0;
}

struct waiter {
	const char	*id, *stream;
	long		 days;
};

static int
longest_first(const void *a, const void *b)
{
	const struct waiter *x = a, *y = b;

	if (x->days != y->days)
		return x->days > y->days ? -1 : 1;
	return strcmp(x->id, y->id);
}

/*
 * Matches made, time to match against the target, and the waiting list
 * (days waited at the end of the period, for the table and the chart).
 */
static void
matching(struct data *d, struct ps_rsection *s, long **waits, size_t *nw)
{
	struct ps_rtable *t;
	struct waiter *w = NULL;
	char **open = NULL;
	long *ttm = NULL, made = 0, madep = 0, day, target = 0;
	size_t i, j, n = 0, no = 0;
	const struct ps_node *st;

	*nw = 0;
	*waits = calloc(d->n[0] + 1, sizeof(**waits));
	w = calloc(d->n[0] + 1, sizeof(*w));
	ttm = calloc(d->n[2] + 1, sizeof(*ttm));
	open = calloc(d->n[2] + 1, sizeof(*open));
	if (*waits == NULL || w == NULL || ttm == NULL || open == NULL) {
		d->rc = -1;
		goto done;
	}
	for (i = 0; i < d->n[2]; i++) {
		const struct ps_rsum *m = d->rec[2][i];

		day = day_of(d, m, PS_M_ACCEPTED);
		made += in(day, d->from, d->until);
		madep += in(day, d->pfrom, d->puntil);
		if (in(day, d->from, d->until) && str(m, PS_M_DAYS))
			ttm[n++] = num(m, PS_M_DAYS, 0);
		if (ps_status_match_open(str(m, PS_M_STATUS)))
			open[no++] = (char *)str(m, PS_M_PARTICIPANT);
	}
	ps_mem_sort(open, no, sizeof(*open), ps_strcmpp);
	ps_rdoc_count(s, "matches_made", "Matches made", made, madep);
	st = ps_node_get(d->prog, "streams");
	for (j = 0; st && j < st->n; j++)
		if (lnum(st->vals[j], "target_days_to_match", 0) > target)
			target = lnum(st->vals[j], "target_days_to_match", 0);
	ps_mem_sort(ttm, n, sizeof(*ttm), cmp_long);
	ps_rdoc_figure(s, "days_to_match_median", "Days to match, median",
	    n ? ps_rdoc_fmt("%ld", percentile(ttm, n,
	        50)) : ps_rdoc_strdup("-"), NULL);
	ps_rdoc_basis(s, (long)n);
	ps_rdoc_figure(s, "days_to_match_p90", "Days to match, 90th percentile",
	    n ? ps_rdoc_fmt("%ld", percentile(ttm, n,
	        90)) : ps_rdoc_strdup("-"), NULL);
	ps_rdoc_basis(s, (long)n);
	if (target)
		ps_rdoc_figure(s, "days_to_match_target",
		    "Target days to match",
		    ps_rdoc_fmt("%ld", target), NULL);
	for (i = 0; i < d->n[0]; i++) {
		const struct ps_rsum *p = d->rec[0][i];
		const char *pst = str(p, PS_P_STATUS), *id;
		const char *type = ps_node_get_str(ps_program_stream(d->prog,
		    str(p, PS_P_STREAM)), "type");

		if (!ps_status_participant_waiting(pst) ||
		    ps_streq(type, "single-call") || ps_streq(type, "group") ||
		    ps_streq(type, "dropin"))
			continue;
		id = str(p, PS_P_ID);
		day = day_of(d, p, PS_P_RECEIVED);
		if (day < 0 || day > d->until || ps_mem_find(&id, open, no,
		    sizeof(*open), ps_strcmpp))
			continue;
		w[*nw].id = id;
		w[*nw].stream = str(p, PS_P_STREAM);
		w[*nw].days = d->until - day;
		(*waits)[*nw] = w[*nw].days;
		(*nw)++;
	}
	ps_mem_sort(w, *nw, sizeof(*w), longest_first);
	ps_rdoc_count_only(s, "waiting", "Participants waiting for a match",
	    (long)*nw);
	t = ps_rdoc_table(s, "waiting", "Waiting for a match, longest first", 0,
	    0, 3,
	    "participant", "stream", "days waiting");
	for (i = 0; i < *nw; i++)
		ps_rdoc_row(t, ps_rdoc_strdup(w[i].id),
		    ps_rdoc_strdup(w[i].stream),
		    ps_rdoc_fmt("%ld", w[i].days));
done:
	free(w);
	free(ttm);
	free(open);
}

static void
onecall(struct data *d, struct ps_rsection *s)
{
	struct ps_rtable *t;
	long req = 0, reqp = 0, closed = 0, ontime = 0, day, due;
	size_t i;

	t = ps_rdoc_table(s, "overdue", "Callbacks overdue", 0, 0, 4, "match",
	    "participant", "volunteer", "due");
	for (i = 0; i < d->n[2]; i++) {
		const struct ps_rsum *m = d->rec[2][i];

		if (str(m, PS_M_CALLBACK) == NULL)
			continue;
		day = day_of(d, m, PS_M_CB_REQUESTED);
		req += in(day, d->from, d->until);
		reqp += in(day, d->pfrom, d->puntil);
		day = day_of(d, m, PS_M_CB_CLOSED);
		if (in(day, d->from, d->until)) {
			closed++;
			ontime += ps_streq(str(m, PS_M_CB_ON_TIME),
			    "true");
		}
		due = day_of(d, m, PS_M_CB_DUE);
		if (ps_streq(str(m, PS_M_STATUS), "callback-open") &&
		    due >= 0 && due < d->until)
			ps_rdoc_row(t, ps_rdoc_strdup(str(m, PS_M_ID)),
			    ps_rdoc_strdup(str(m, PS_M_PARTICIPANT)),
			    ps_rdoc_strdup(str(m, PS_M_VOLUNTEER)),
			    ps_rdoc_strdup(str(m, PS_M_CB_DUE)));
	}
	ps_rdoc_count(s, "requests", "OneCall requests", req, reqp);
	ps_rdoc_count_only(s, "callbacks", "Callbacks made", closed);
	ps_rdoc_figure(s, "on_time", "Callbacks within their due date",
	    closed ? ps_rdoc_fmt("%ld%%",
	        (ontime * 100 + closed / 2) / closed) :
	    ps_rdoc_strdup("-"), NULL);
	ps_rdoc_basis(s, closed);
	ps_rdoc_count_only(s, "overdue", "Callbacks overdue",
	    t ? (long)t->nrows : 0);
}

static void
active(struct data *d, struct ps_rsection *s)
{
	struct ps_rtable *ending, *stalled;
	long open = 0, end;
	size_t i;

	ps_mem_sort(d->seen, d->nseen, sizeof(*d->seen), ps_strcmpp);
	ending = ps_rdoc_table(s, "ending",
	    "Matches ending in the next 30 days", 0, 0,
	    3, "match", "stream", "planned end");
	stalled = ps_rdoc_table(s, "stalled",
	    "Stalled: no contact logged in the "
	    "stalled-days window", 0, 0, 3, "match", "participant",
	    "volunteer");
	for (i = 0; i < d->n[2]; i++) {
		const struct ps_rsum *m = d->rec[2][i];

		if (!ps_streq(str(m, PS_M_STATUS), "active"))
			continue;
		open++;
		end = day_of(d, m, PS_M_PLANNED_END);
		if (in(end, d->until + 1, d->until + 30))
			ps_rdoc_row(ending, ps_rdoc_strdup(str(m, PS_M_ID)),
			    ps_rdoc_strdup(str(m, PS_M_STREAM)),
			    ps_rdoc_strdup(str(m, PS_M_PLANNED_END)));
		if (day_of(d, m, PS_M_ACCEPTED) < d->stalled_from &&
		    !seen(d, str(m, PS_M_ID)))
			ps_rdoc_row(stalled, ps_rdoc_strdup(str(m, PS_M_ID)),
			    ps_rdoc_strdup(str(m, PS_M_PARTICIPANT)),
			    ps_rdoc_strdup(str(m, PS_M_VOLUNTEER)));
	}
	ps_rdoc_count_only(s, "active", "Active matches", open);
	ps_rdoc_count_only(s, "ending", "Ending in the next 30 days", ending ?
	    (long)ending->nrows : 0);
	ps_rdoc_count_only(s, "stalled", "Stalled",
	    stalled ? (long)stalled->nrows :
	    0);
}

static char *
hours(long minutes)
{
	return ps_rdoc_fmt("%ld.%ld", minutes / 60, minutes % 60 * 10 / 60);
}

/* Contacts by funder or host organisation, where the programme has them. */
static void
by_name(struct data *d, struct ps_rsection *s, int k, const char *key,
    const char *title, const char *col)
{
	struct ps_rtable *t;
	long n = 0, mins = 0;
	size_t i;

	if (d->nnames[k] == 0)
		return;
	t = ps_rdoc_table(s, key, title, 1, PS_TOTAL_ROW, 3, col, "contacts",
	    "minutes");
	for (i = 0; i <= d->nnames[k]; i++) {
		ps_rdoc_row(t,
		    ps_rdoc_strdup(i < d->nnames[k] ? d->names[k][i] :
		    "other or none"), ps_rdoc_fmt("%ld", d->cur.by[k][i].n),
		    ps_rdoc_fmt("%ld", d->cur.by[k][i].min));
		n += d->cur.by[k][i].n;
		mins += d->cur.by[k][i].min;
	}
	ps_rdoc_row(t, ps_rdoc_strdup("total"), ps_rdoc_fmt("%ld", n),
	    ps_rdoc_fmt("%ld", mins));
}

static void
activity(struct data *d, struct ps_rsection *s)
{
	const struct agg *a = &d->cur, *p = &d->prev;
	struct ps_rtable *t;
	long n = 0, mins = 0;
	int k;

	ps_rdoc_count(s, "contacts", "Contacts", a->contacts, p->contacts);
	ps_rdoc_figure(s, "support_hours", "Hours of support", hours(
	    a->support_minutes), NULL);
	ps_rdoc_count(s, "dropin_visits", "Drop-in visits", a->dropins,
	    p->dropins);
	ps_rdoc_count(s, "group_sessions", "Group sessions", a->sessions,
	    p->sessions);
	ps_rdoc_count_only(s, "group_attendance", "Group attendance",
	    a->attendees);
	t = ps_rdoc_table(s, "by_mode", "Contacts by mode", 1, PS_TOTAL_ROW, 3,
	    "mode",
	    "contacts", "minutes");
	for (k = 0; modes[k]; k++) {
		ps_rdoc_row(t, ps_rdoc_strdup(modes[k]), ps_rdoc_fmt("%ld",
		    a->mode_n[k]),
		    ps_rdoc_fmt("%ld", a->mode_min[k]));
		n += a->mode_n[k];
		mins += a->mode_min[k];
	}
	ps_rdoc_row(t, ps_rdoc_strdup("total"), ps_rdoc_fmt("%ld", n),
	    ps_rdoc_fmt("%ld", mins));
	t = ps_rdoc_table(s, "volunteer_hours", "Volunteer hours by activity",
	    0, 0, 2,
	    "activity", "hours");
	for (k = 0; activities[k]; k++)
		ps_rdoc_row(t, ps_rdoc_strdup(activities[k]),
		    ps_rdoc_fmt("%.1f", a->vol_hours[k]));
	by_name(d, s, 0, "by_funder", "Contacts by funder", "funder");
	by_name(d, s, 1, "by_host", "Contacts by host organisation",
	    "host organisation");
}

static void
safety(struct data *d, struct ps_rsection *s)
{
	const struct agg *a = &d->cur;
	struct ps_rtable *t;
	int k;

	ps_rdoc_count(s, "flagged", "Flagged contacts", a->flagged,
	    d->prev.flagged);
	ps_rdoc_count_only(s, "no_referral", "Flags without a referral (need "
	    "attention)", a->no_referral);
	t = ps_rdoc_table(s, "by_flag", "Flags by kind", 1, PS_TOTAL_ROW, 2,
	    "flag",
	    "contacts");
	for (k = 0; flags[k]; k++)
		ps_rdoc_row(t, ps_rdoc_strdup(flags[k]), ps_rdoc_fmt("%ld",
		    a->flag_n[k]));
	ps_rdoc_row(t, ps_rdoc_strdup("total"), ps_rdoc_fmt("%ld", a->flagged));
}

static char *
mean(long sum, long n)
{
	return n ? ps_rdoc_fmt("%.1f",
	    (double)sum / (double)n) : ps_rdoc_strdup("-");
}

static void
followup(struct data *d, struct ps_rsection *s)
{
	const struct agg *a = &d->cur;
	struct ps_rtable *t;
	int k;

	ps_rdoc_count(s, "feedback", "Feedback received", a->feedback,
	    d->prev.feedback);
	ps_rdoc_figure(s, "helpfulness", "Helpfulness, mean of 1 to 5",
	    mean(a->helpful_sum, a->feedback), NULL);
	ps_rdoc_basis(s, a->feedback);
	t = ps_rdoc_table(s, "outcomes", "Outcome survey, mean of 1 to 5", 1, 0,
	    3,
	    "domain", "answers", "mean");
	if (t)
		t->derived = 1;
	for (k = 0; domains[k]; k++)
		ps_rdoc_row(t, ps_rdoc_strdup(domains[k]), ps_rdoc_fmt("%ld",
		    a->out_n[k]),
		    mean(a->out_sum[k], a->out_n[k]));
	ps_rdoc_count_only(s, "followups_due",
	    "Follow-up surveys due in the next 4 "
	    "weeks", d->fu_due);
}

/* Commits in the period by author and tool, from git history. */
static int
audit(struct data *d, struct ps_rsection *s, struct ps_diags *dg)
{
	struct ps_rtable *t;
	git_revwalk *w = NULL;
	git_commit *c = NULL;
	git_oid oid;
	char **keys = NULL, **v = NULL;
	size_t n = 0, cap = 0, i, j;
	time_t lo = ps_tz_local(d->tz.tz, d->from, 0);
	time_t hi = ps_tz_local(d->tz.tz, d->until + 1, 0);
	int rc = 0;

	if (git_revwalk_new(&w, d->s->repo) < 0 ||
	    git_revwalk_push(w, &d->commit) < 0) {
		rc = ps_git_error(dg, "cannot walk history");
		goto done;
	}
	git_revwalk_sorting(w, GIT_SORT_TIME);
	while (git_revwalk_next(&oid, w) == 0) {
		const git_signature *a;
		const char *msg, *tool;
		git_time_t when;
		char *key;

		if (git_commit_lookup(&c, d->s->repo, &oid) < 0) {
			rc = ps_git_error(dg, "cannot read a commit");
			goto done;
		}
		when = git_commit_time(c);
		if (when < lo) {
			git_commit_free(c);
			c = NULL;
			break;
		}
		a = git_commit_author(c);
		msg = git_commit_message(c);
		tool = msg ? strstr(msg, "\nPs-Tool: ") : NULL;
		if (when < hi) {
			key = tool ? ps_rdoc_fmt("%s\t%.*s", a->name,
			    (int)strcspn(tool +
			    10, "\n"), tool + 10) : ps_rdoc_fmt("%s\t%s",
			        a->name,
			    "by hand (git)");
			/* keys is kept (and freed) when it cannot grow */
			if (key == NULL || (n == cap && (v = reallocarray(keys,
			    cap ? 2 * cap : 64, sizeof(*keys))) == NULL)) {
				free(key);
				rc = ps_diag_nomem(dg);
				goto done;
			}
			if (n == cap) {
				keys = v;
				cap = cap ? 2 * cap : 64;
			}
			keys[n++] = key;
		}
		git_commit_free(c);
		c = NULL;
	}
	ps_mem_sort(keys, n, sizeof(*keys), ps_strcmpp);
	t = ps_rdoc_table(s, "changes", "Changes by author and tool", 0, 0, 3,
	    "author", "tool", "commits");
	for (i = 0; i < n; i = j) {
		char *tab = strchr(keys[i], '\t');

		for (j = i; j < n && strcmp(keys[j], keys[i]) == 0; j++)
			;
		ps_rdoc_row(t, ps_rdoc_fmt("%.*s", (int)(tab - keys[i]),
		    keys[i]),
		    ps_rdoc_strdup(tab + 1), ps_rdoc_fmt("%zu", j - i));
	}
	ps_rdoc_figure(s, "commits", "Changes to the store", ps_rdoc_fmt("%zu",
	    n), NULL);
done:
	for (i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	git_commit_free(c);
	git_revwalk_free(w);
	return rc;
}

/* Contacts and matches accepted per week, the 12 weeks to the end. */
static void
trend(struct data *d, struct ps_rsection *s, struct ps_diags *dg)
{
	char **labels = ps_rdoc_noted(calloc(12, sizeof(*labels))), dir[32],
	    day[11];
	double *a = ps_rdoc_noted(calloc(12, sizeof(*a)));
	double *b = ps_rdoc_noted(calloc(12, sizeof(*b)));
	struct ps_date dt;
	long start = d->until - 83, x;
	size_t i, k;

	if (labels == NULL || a == NULL || b == NULL) {
		free(labels);
		free(a);
		free(b);
		return;
	}
	for (k = 0; k < 12; k++) {
		ps_date_format(day, start + (long)k * 7);
		labels[k] = ps_rdoc_fmt("%.5s", day + 5);
		for (x = 0; x < 7; x++) {
			ps_date_from_days(start + (long)k * 7 + x, &dt);
			snprintf(dir, sizeof(dir), "contacts/%04d/%02d/%02d",
			    dt.y, dt.m, dt.d);
			a[k] += (double)ps_store_count_in(d->s, &d->commit, dir,
			    dg);
		}
	}
	for (i = 0; i < d->n[2]; i++) {
		x = day_of(d, d->rec[2][i], PS_M_ACCEPTED);
		if (in(x, start, d->until))
			b[(x - start) / 7] += 1;
	}
	ps_rdoc_chart(s, "trend", "Entries logged and matches made, by week",
	    12,
	    labels, a, b, "entries logged (contacts, hours, feedback)",
	    "matches made");
}

/* program.yaml as it was in the commit, checked. */
static int
program_at(struct data *d, struct ps_node **out, struct ps_diags *dg)
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

static int
wanted(const char *list, const char *key)
{
	const char *p = list;
	size_t n = strlen(key);

	if (list == NULL)
		return 1;
	while ((p = strstr(p, key)) != NULL) {
		if ((p == list || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return 1;
		p += n;
	}
	return 0;
}

/* Waiting times in weeks, bucketed for the chart. */
static void
wait_chart(struct ps_rsection *s, const long *w, size_t n)
{
	static const char *const names[] = { "< 1 wk", "1-2 wk", "2-4 wk",
	    "4-6 wk", "6-8 wk", "8+ wk" };
	static const long upto[] = { 7, 14, 28, 42, 56, LONG_MAX };
	char **labels = ps_rdoc_noted(calloc(6, sizeof(*labels)));
	double *a = ps_rdoc_noted(calloc(6, sizeof(*a)));
	size_t i, k;

	if (labels == NULL || a == NULL) {
		free(labels);
		free(a);
		return;
	}
	for (k = 0; k < 6; k++)
		labels[k] = ps_rdoc_strdup(names[k]);
	for (i = 0; i < n; i++) {
		for (k = 0; w[i] >= upto[k]; k++)
			;
		a[k] += 1;
	}
	ps_rdoc_chart(s, "waiting_times", "Waiting times", 6, labels, a, NULL,
	    "participants", NULL);
}

/* Append name to the funders (k 0) or host organisations (k 1). */
static int
add_name(struct data *d, int k, const char *name)
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
names_of(struct data *d)
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

static int
period(struct data *d, struct ps_store *s, const struct ps_report_opts *o,
    struct ps_diags *dg)
{
	struct ps_date dt;
	char now[26];
	long today;

	if (ps_tz_format(ps_node_get_str(s->program, "timezone"), ps_date_now(),
	    now, &today) == -1)
		return ps_diag_err(dg, PS_STORE, "program.yaml: no such time "
		    "zone on this system");
	if (o->from) {
		d->from = o->from;
		d->until = o->to_today ? today : o->until;
	} else if (o->this_week) {
		d->from = today - ps_date_weekday(today);
		d->until = d->from + 6;
	} else {
		if (o->as_of && ps_date_parse(o->as_of, &dt) == 0)
			today = ps_date_days(&dt) + 1;
		/* the last full ISO week before today */
		d->from = today - ps_date_weekday(today) - 7;
		d->until = d->from + 6;
	}
	if (d->until < d->from)
		return ps_diag_err(dg, PS_USAGE, "--until is before --since");
	d->puntil = d->from - 1;
	d->pfrom = d->from - (d->until - d->from + 1);
	return 0;
}

int
ps_report_build(struct ps_report **out, struct ps_store *s,
    const struct ps_report_opts *o, struct ps_diags *dg)
{
	static const char *const flagged_cols[] = { "contact", "date", "flag",
	    "referral", "attention" };
	static const char *const due_cols[] = { "participant", "due from",
	    "feedback" };
	struct data d;
	struct ps_report *r;
	struct ps_node *prog = NULL;
	double *funnel = NULL;
	char **steps = NULL;
	long *waits = NULL, fu_months, lo;
	size_t nsteps = 0, nwaits = 0, i, k;
	int rc;

	*out = NULL;
	ps_rdoc_begin();
	memset(&d, 0, sizeof(d));
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return ps_diag_nomem(dg);
	d.s = s;
	if ((rc = ps_store_resolve(s, o->as_of ? o->as_of : "HEAD", &d.commit,
	    dg)) != 0 || (rc = program_at(&d, &prog, dg)) != 0 ||
	    (rc = period(&d, s, o, dg)) != 0)
		goto done;
	d.prog = prog;
	if (names_of(&d) == -1) {
		rc = ps_diag_nomem(dg);
		goto done;
	}
	ps_tzcache_init(&d.tz, ps_node_get_str(prog, "timezone"));
	git_oid_tostr(r->commit, sizeof(r->commit), &d.commit);
	ps_date_format(r->from, d.from);
	ps_date_format(r->until, d.until);
	r->programme = ps_rdoc_strdup(ps_node_get_str(prog, "name"));
	r->threshold = lnum(prog, "reports.suppression_threshold", 5);
	d.stalled_from = d.until - lnum(prog, "reports.stalled_days", 14) + 1;
	d.flagged = ps_rdoc_loose_table("flagged", "Flagged contacts", 5,
	    flagged_cols);
	d.due = ps_rdoc_loose_table("due",
	    "Follow-up surveys due in the next 4 weeks",
	    3, due_cols);
	if ((rc = ps_rsums_open(&d.rs, s, &d.commit, dg)) != 0 ||
	    (rc = ps_rsums_each(d.rs, "participants", 0, keep, &d, dg)) != 0 ||
	    (rc = ps_rsums_each(d.rs, "volunteers", 0, keep, &d, dg)) != 0 ||
	    (rc = ps_rsums_each(d.rs, "matches", 0, keep, &d, dg)) != 0)
		goto done;
	if ((d.by_id = calloc(d.n[0] + 1, sizeof(*d.by_id))) == NULL) {
		rc = ps_diag_nomem(dg);
		goto done;
	}
	for (i = 0; i < d.n[0]; i++)
		d.by_id[i] = &d.rec[0][i];
	ps_mem_sort(d.by_id, d.n[0], sizeof(*d.by_id), by_id);
	lo = d.pfrom < d.stalled_from ? d.pfrom : d.stalled_from;
	if ((rc = each_day(&d, lo, d.until, contact, dg)) != 0)
		goto done;
	fu_months = lnum(prog, "consents.follow_up.min_months", 3);
	if ((rc = each_day(&d, d.until - fu_months * 31 - 3, d.until + 28 -
	    fu_months * 28, feedback, dg)) != 0)
		goto done;
	for (i = 0, k = 0; ps_report_keys[i]; i++) {
		struct ps_rsection *sec = &r->sec[k];

		if (!wanted(o->sections, ps_report_keys[i]))
			continue;
		sec->key = ps_report_keys[i];
		sec->title = titles[i];
		r->nsec = ++k;	/* freed with r from here on, also on an error */
		switch (i) {
		case 0: intake(&d, sec); break;
		case 1:
			screening(&d, sec, &funnel, &steps, &nsteps, dg);
			if (funnel && steps)
				ps_rdoc_chart(sec, "funnel", "Screening funnel",
				    nsteps,
				    steps, funnel, NULL, "volunteers", NULL);
			else {
				free(funnel);
				free(steps);
			}
			funnel = NULL;
			steps = NULL;
			break;
		case 2:
			matching(&d, sec, &waits, &nwaits);
			wait_chart(sec, waits, nwaits);
			rc = gaps(&d, sec, dg);
			if (o->charts)
				trend(&d, sec, dg);
			break;
		case 3: onecall(&d, sec); break;
		case 4: active(&d, sec); break;
		case 5: activity(&d, sec); break;
		case 6: safety(&d, sec); ps_rdoc_adopt(sec, &d.flagged); break;
		case 7: followup(&d, sec); ps_rdoc_adopt(sec, &d.due); break;
		case 8: rc = audit(&d, sec, dg); break;
		}
		if (rc)
			goto done;
	}
	r->nsec = k;
	if (d.rc > 0)
		rc = d.rc;
	else if (d.rc || ps_rdoc_lost())
		rc = ps_diag_nomem(dg);
done:
	free(waits);
	for (k = 0; k < 3; k++)
		free(d.rec[k]);
	free(d.by_id);
	for (k = 0; k < 2; k++) {
		free(d.names[k]);
		free(d.cur.by[k]);
		free(d.prev.by[k]);
	}
	ps_rsums_free(d.rs);
	for (i = 0; i < d.nseen; i++)
		free(d.seen[i]);
	free(d.seen);
	if (d.flagged) {
		ps_rdoc_table_release(d.flagged);
		free(d.flagged);
	}
	if (d.due) {
		ps_rdoc_table_release(d.due);
		free(d.due);
	}
	ps_node_free(prog);
	if (rc) {
		ps_report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

void
ps_report_free(struct ps_report *r)
{
	size_t i, j, k;

	if (r == NULL)
		return;
	for (i = 0; i < r->nsec; i++) {
		struct ps_rsection *s = &r->sec[i];

		for (j = 0; j < s->nfig; j++) {
			free(s->fig[j].key);
			free(s->fig[j].label);
			free(s->fig[j].value);
			free(s->fig[j].change);
		}
		free(s->fig);
		for (j = 0; j < s->ntab; j++)
			ps_rdoc_table_release(&s->tab[j]);
		free(s->tab);
		for (j = 0; j < s->nchart; j++) {
			for (k = 0; k < s->chart[j].n; k++)
				free(s->chart[j].labels[k]);
			free(s->chart[j].labels);
			free(s->chart[j].a);
			free(s->chart[j].b);
			free(s->chart[j].key);
			free(s->chart[j].title);
			free(s->chart[j].a_name);
			free(s->chart[j].b_name);
		}
		free(s->chart);
	}
	free(r->programme);
	free(r);
}
