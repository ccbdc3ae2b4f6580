/*
 * report: a period's figures from a commit of the store; see report.h.
 * What they are made of is read by rdata.c; here it becomes the sections.
 */
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
#include "rules/plan.h"
#include "rules/rsum.h"
#include "rules/screen.h"
#include "rules/status.h"
#include "ops/rdoc.h"
#include "ops/rdata.h"
#include "ops/report.h"

const char *const ps_report_keys[] = { "intake", "screening", "matching",
    "onecall", "active", "activity", "safety", "followup", "audit", NULL };

static const char *const titles[] = { "Intake", "Volunteer screening",
    "Matching", "OneCall callbacks", "Active matches", "Activity", "Safety",
    "Feedback and follow-up", "Audit" };

static const char *const roles[] = { "living-with", "caregiver", "both",
    NULL };

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
intake(struct ps_rdata *d, struct ps_rsection *s)
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

			if (!ps_streq(ps_rdata_str(p, PS_P_STREAM),
			    st->keys[j]->str) || !ps_rdata_in(ps_rdata_day(d,
			    p, PS_P_RECEIVED), d->from, d->until))
				continue;
			if ((k = ps_str_index(roles, ps_rdata_str(p,
			    PS_P_ROLE))) >= 0)
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
		day = ps_rdata_day(d, d->rec[0][i], PS_P_RECEIVED);
		cur += ps_rdata_in(day, d->from, d->until);
		prev += ps_rdata_in(day, d->pfrom, d->puntil);
		day = ps_rdata_day(d, d->rec[0][i], PS_P_WITHDRAWN);
		wd += ps_rdata_in(day, d->from, d->until);
		wdp += ps_rdata_in(day, d->pfrom, d->puntil);
	}
	for (i = 0; i < d->n[1]; i++) {
		day = ps_rdata_day(d, d->rec[1][i], PS_V_RECEIVED);
		vcur += ps_rdata_in(day, d->from, d->until);
		vprev += ps_rdata_in(day, d->pfrom, d->puntil);
	}
	ps_rdoc_count(s, "participant_applications", "Participant applications",
	    cur, prev);
	ps_rdoc_sum(s, "applications", "participant_applications", NULL);
	ps_rdoc_count(s, "volunteer_applications", "Volunteer applications",
	    vcur, vprev);
	ps_rdoc_count(s, "withdrawn", "Participants who withdrew", wd, wdp);
}

static void
screening(struct ps_rdata *d, struct ps_rsection *s, double **funnel,
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
		const char *st = ps_rdata_str(v, PS_V_STATUS);
		struct ps_node *rec = NULL;

		day = ps_rdata_day(d, v, PS_V_DECIDED);
		what = ps_rdata_str(v, PS_V_DECISION);
		acc += ps_streq(what, "accept") &&
		    ps_rdata_in(day, d->from, d->until);
		accp += ps_streq(what, "accept") &&
		    ps_rdata_in(day, d->pfrom, d->puntil);
		dec += ps_streq(what, "decline") &&
		    ps_rdata_in(day, d->from, d->until);
		decp += ps_streq(what, "decline") &&
		    ps_rdata_in(day, d->pfrom, d->puntil);
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
		    since + ps_node_get_long(rule, "expected_days", 0) < d->until)
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
	    0, PS_LIST, 3, "volunteer", "step", "expires");
	for (i = 0; i < d->n[1]; i++) {
		const struct ps_rsum *v = d->rec[1][i];
		long e;

		if (!ps_streq(ps_rdata_str(v, PS_V_STATUS), "active") &&
		    !ps_streq(ps_rdata_str(v, PS_V_STATUS), "on-leave"))
			continue;
		e = ps_rdata_num(v, PS_V_EXPIRES, LONG_MAX);
		if (e != LONG_MAX && e <= d->until + 30) {
			char buf[11];

			ps_date_format(buf, e);
			ps_rdoc_row(x, ps_rdoc_strdup(ps_rdata_str(v, PS_V_ID)),
			    ps_rdoc_strdup(ps_rdata_str(v, PS_V_EXPIRES_STEP)),
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
	    (ps_rdata_str(m, PS_M_CALLBACK) && ps_node_map_set(n, "callback",
	    ps_node_new_map()) == -1))
		return -1;
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (ps_rdata_str(m, keys[i].f) && ps_node_set_str(n,
		    keys[i].path, ps_rdata_str(m, keys[i].f)) == -1)
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
candidate(struct ps_rdata *d, int k, const struct ps_rsum *r, char **open,
    size_t nopen)
{
	const char *st = ps_rdata_str(r, k == 0 ? PS_P_STATUS : PS_V_STATUS);

	if (k == 0)
		return ps_status_participant_waiting(st);
	return ps_status_volunteer_free(st, ps_rdata_num(r, PS_V_EXPIRES,
	    LONG_MAX), d->until, ps_status_capacity(ps_rdata_str(r,
	    PS_V_CAPACITY), d->prog), (long)open_of(open, nopen,
	    ps_rdata_str(r, PS_V_ID)));
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
	struct ps_rdata *d = src;
	int k = ps_streq(kind, "participant") ? 0 : ps_streq(kind, "volunteer") ? 1 : 2;
	struct ps_node *rec = NULL;
	char **open = NULL;
	size_t i, no = 0;
	int rc = 0;

	if (k == 1 && (open = calloc(d->n[2] + 1, sizeof(*open))) == NULL)
		return ps_diag_nomem(dg);
	for (i = 0; k == 1 && i < d->n[2]; i++)
		if (ps_status_match_open(ps_rdata_str(d->rec[2][i],
		    PS_M_STATUS)) &&
		    ps_rdata_str(d->rec[2][i], PS_M_PARTICIPANT) &&
		    ps_rdata_str(d->rec[2][i], PS_M_VOLUNTEER))
			open[no++] = (char *)ps_rdata_str(d->rec[2][i],
			    PS_M_VOLUNTEER);
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
gaps(struct ps_rdata *d, struct ps_rsection *s, struct ps_diags *dg)
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
matching(struct ps_rdata *d, struct ps_rsection *s, long **waits, size_t *nw)
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

		day = ps_rdata_day(d, m, PS_M_ACCEPTED);
		made += ps_rdata_in(day, d->from, d->until);
		madep += ps_rdata_in(day, d->pfrom, d->puntil);
		if (ps_rdata_in(day, d->from, d->until) &&
		    ps_rdata_str(m, PS_M_DAYS))
			ttm[n++] = ps_rdata_num(m, PS_M_DAYS, 0);
		if (ps_status_match_open(ps_rdata_str(m, PS_M_STATUS)))
			open[no++] = (char *)ps_rdata_str(m, PS_M_PARTICIPANT);
	}
	ps_mem_sort(open, no, sizeof(*open), ps_strcmpp);
	ps_rdoc_count(s, "matches_made", "Matches made", made, madep);
	st = ps_node_get(d->prog, "streams");
	for (j = 0; st && j < st->n; j++)
		if (ps_node_get_long(st->vals[j], "target_days_to_match", 0) >
		    target)
			target = ps_node_get_long(st->vals[j],
			    "target_days_to_match", 0);
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
		const char *pst = ps_rdata_str(p, PS_P_STATUS), *id;
		const char *type = ps_node_get_str(ps_program_stream(d->prog,
		    ps_rdata_str(p, PS_P_STREAM)), "type");

		if (!ps_status_participant_waiting(pst) ||
		    ps_streq(type, "single-call") || ps_streq(type, "group") ||
		    ps_streq(type, "dropin"))
			continue;
		id = ps_rdata_str(p, PS_P_ID);
		day = ps_rdata_day(d, p, PS_P_RECEIVED);
		if (day < 0 || day > d->until || ps_mem_find(&id, open, no,
		    sizeof(*open), ps_strcmpp))
			continue;
		w[*nw].id = id;
		w[*nw].stream = ps_rdata_str(p, PS_P_STREAM);
		w[*nw].days = d->until - day;
		(*waits)[*nw] = w[*nw].days;
		(*nw)++;
	}
	ps_mem_sort(w, *nw, sizeof(*w), longest_first);
	ps_rdoc_count_only(s, "waiting", "Participants waiting for a match",
	    (long)*nw);
	t = ps_rdoc_table(s, "waiting", "Waiting for a match, longest first", 0,
	    PS_LIST, 3, "participant", "stream", "days waiting");
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
onecall(struct ps_rdata *d, struct ps_rsection *s)
{
	struct ps_rtable *t;
	long req = 0, reqp = 0, closed = 0, ontime = 0, day, due;
	size_t i;

	t = ps_rdoc_table(s, "overdue", "Callbacks overdue", 0, PS_LIST, 4,
	    "match", "participant", "volunteer", "due");
	for (i = 0; i < d->n[2]; i++) {
		const struct ps_rsum *m = d->rec[2][i];

		if (ps_rdata_str(m, PS_M_CALLBACK) == NULL)
			continue;
		day = ps_rdata_day(d, m, PS_M_CB_REQUESTED);
		req += ps_rdata_in(day, d->from, d->until);
		reqp += ps_rdata_in(day, d->pfrom, d->puntil);
		day = ps_rdata_day(d, m, PS_M_CB_CLOSED);
		if (ps_rdata_in(day, d->from, d->until)) {
			closed++;
			ontime += ps_streq(ps_rdata_str(m, PS_M_CB_ON_TIME),
			    "true");
		}
		due = ps_rdata_day(d, m, PS_M_CB_DUE);
		if (ps_streq(ps_rdata_str(m, PS_M_STATUS), "callback-open") &&
		    due >= 0 && due < d->until)
			ps_rdoc_row(t, ps_rdoc_strdup(ps_rdata_str(m, PS_M_ID)),
			    ps_rdoc_strdup(ps_rdata_str(m, PS_M_PARTICIPANT)),
			    ps_rdoc_strdup(ps_rdata_str(m, PS_M_VOLUNTEER)),
			    ps_rdoc_strdup(ps_rdata_str(m, PS_M_CB_DUE)));
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
active(struct ps_rdata *d, struct ps_rsection *s)
{
	struct ps_rtable *ending, *stalled;
	long open = 0, end;
	size_t i;

	ending = ps_rdoc_table(s, "ending",
	    "Matches ending in the next 30 days", 0, PS_LIST, 3, "match",
	    "stream", "planned end");
	stalled = ps_rdoc_table(s, "stalled",
	    "Stalled: no contact logged in the stalled-days window", 0,
	    PS_LIST, 3, "match", "participant", "volunteer");
	for (i = 0; i < d->n[2]; i++) {
		const struct ps_rsum *m = d->rec[2][i];

		if (!ps_streq(ps_rdata_str(m, PS_M_STATUS), "active"))
			continue;
		open++;
		end = ps_rdata_day(d, m, PS_M_PLANNED_END);
		if (ps_rdata_in(end, d->until + 1, d->until + 30))
			ps_rdoc_row(ending, ps_rdoc_strdup(ps_rdata_str(m,
			    PS_M_ID)),
			    ps_rdoc_strdup(ps_rdata_str(m, PS_M_STREAM)),
			    ps_rdoc_strdup(ps_rdata_str(m, PS_M_PLANNED_END)));
		if (ps_rdata_day(d, m, PS_M_ACCEPTED) < d->stalled_from &&
		    !ps_rdata_seen(d, ps_rdata_str(m, PS_M_ID)))
			ps_rdoc_row(stalled, ps_rdoc_strdup(ps_rdata_str(m,
			    PS_M_ID)),
			    ps_rdoc_strdup(ps_rdata_str(m, PS_M_PARTICIPANT)),
			    ps_rdoc_strdup(ps_rdata_str(m, PS_M_VOLUNTEER)));
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
by_name(struct ps_rdata *d, struct ps_rsection *s, int k, const char *key,
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
	if (k == 1 && d->nnames[0])	/* the same entries as by funder */
		ps_rdoc_same(s, key, "by_funder");
	else
		ps_rdoc_sum(s, key, "contacts", "dropin_visits", NULL);
}

static void
activity(struct ps_rdata *d, struct ps_rsection *s)
{
	const struct ps_rdata_agg *a = &d->cur, *p = &d->prev;
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
	for (k = 0; ps_rdata_modes[k]; k++) {
		ps_rdoc_row(t, ps_rdoc_strdup(ps_rdata_modes[k]),
		    ps_rdoc_fmt("%ld", a->mode_n[k]),
		    ps_rdoc_fmt("%ld", a->mode_min[k]));
		n += a->mode_n[k];
		mins += a->mode_min[k];
	}
	ps_rdoc_row(t, ps_rdoc_strdup("total"), ps_rdoc_fmt("%ld", n),
	    ps_rdoc_fmt("%ld", mins));
	ps_rdoc_sum(s, "by_mode", "contacts", NULL);
	t = ps_rdoc_table(s, "volunteer_hours", "Volunteer hours by activity",
	    0, 0, 2,
	    "activity", "hours");
	for (k = 0; ps_rdata_activities[k]; k++)
		ps_rdoc_row(t, ps_rdoc_strdup(ps_rdata_activities[k]),
		    ps_rdoc_fmt("%.1f", a->vol_hours[k]));
	by_name(d, s, 0, "by_funder", "Contacts by funder", "funder");
	by_name(d, s, 1, "by_host", "Contacts by host organisation",
	    "host organisation");
}

static void
safety(struct ps_rdata *d, struct ps_rsection *s)
{
	const struct ps_rdata_agg *a = &d->cur;
	struct ps_rtable *t;
	int k;

	ps_rdoc_count(s, "flagged", "Flagged contacts", a->flagged,
	    d->prev.flagged);
	ps_rdoc_count_only(s, "no_referral", "Flags without a referral (need "
	    "attention)", a->no_referral);
	t = ps_rdoc_table(s, "by_flag", "Flags by kind", 1, PS_TOTAL_ROW, 2,
	    "flag",
	    "contacts");
	for (k = 0; ps_rdata_flags[k]; k++)
		ps_rdoc_row(t, ps_rdoc_strdup(ps_rdata_flags[k]),
		    ps_rdoc_fmt("%ld", a->flag_n[k]));
	ps_rdoc_row(t, ps_rdoc_strdup("total"), ps_rdoc_fmt("%ld", a->flagged));
	ps_rdoc_sum(s, "by_flag", "flagged", NULL);
}

static char *
mean(long sum, long n)
{
	return n ? ps_rdoc_fmt("%.1f",
	    (double)sum / (double)n) : ps_rdoc_strdup("-");
}

static void
followup(struct ps_rdata *d, struct ps_rsection *s)
{
	const struct ps_rdata_agg *a = &d->cur;
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
	for (k = 0; ps_rdata_domains[k]; k++)
		ps_rdoc_row(t, ps_rdoc_strdup(ps_rdata_domains[k]),
		    ps_rdoc_fmt("%ld", a->out_n[k]),
		    mean(a->out_sum[k], a->out_n[k]));
	ps_rdoc_count_only(s, "followups_due",
	    "Follow-up surveys due in the next 4 "
	    "weeks", d->fu_due);
}

/*
 * The board's count of the commits by tool, keys "author\ttool": a
 * count of the people taken in or matched, suppressed as they are; the
 * authors are the coordinator's working list.
 */
static void
by_tool(struct ps_rsection *s, char **keys, size_t n)
{
	const char **tool = ps_rdoc_noted(calloc(n + 1, sizeof(*tool)));
	struct ps_rtable *t;
	size_t i, j;

	if (tool == NULL)
		return;
	for (i = 0; i < n; i++)
		tool[i] = strchr(keys[i], '\t') + 1;
	ps_mem_sort(tool, n, sizeof(*tool), ps_strcmpp);
	t = ps_rdoc_table(s, "by_tool", "Changes by tool", 1, PS_TOTAL_ROW, 2,
	    "tool", "commits");
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && strcmp(tool[j], tool[i]) == 0; j++)
			;
		ps_rdoc_row(t, ps_rdoc_strdup(tool[i]), ps_rdoc_fmt("%zu",
		    j - i));
	}
	ps_rdoc_row(t, ps_rdoc_strdup("total"), ps_rdoc_fmt("%zu", n));
	ps_rdoc_sum(s, "by_tool", "commits", NULL);
	free(tool);
}

/* Commits in the period by author and tool, from git history. */
static int
audit(struct ps_rdata *d, struct ps_rsection *s, struct ps_diags *dg)
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
	ps_rdoc_count_only(s, "commits", "Changes to the store", (long)n);
	by_tool(s, keys, n);
	ps_mem_sort(keys, n, sizeof(*keys), ps_strcmpp);
	t = ps_rdoc_table(s, "changes", "Changes by author and tool", 0,
	    PS_LIST, 3, "author", "tool", "commits");
	for (i = 0; i < n; i = j) {
		char *tab = strchr(keys[i], '\t');

		for (j = i; j < n && strcmp(keys[j], keys[i]) == 0; j++)
			;
		ps_rdoc_row(t, ps_rdoc_fmt("%.*s", (int)(tab - keys[i]),
		    keys[i]),
		    ps_rdoc_strdup(tab + 1), ps_rdoc_fmt("%zu", j - i));
	}
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
trend(struct ps_rdata *d, struct ps_rsection *s, struct ps_diags *dg)
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
		x = ps_rdata_day(d, d->rec[2][i], PS_M_ACCEPTED);
		if (ps_rdata_in(x, start, d->until))
			b[(x - start) / 7] += 1;
	}
	ps_rdoc_chart(s, "trend", "Entries logged and matches made, by week",
	    12,
	    labels, a, b, "entries logged (contacts, hours, feedback)",
	    "matches made");
}


/*
 * Waiting times in weeks, bucketed: a table of counts whose total is
 * the figure of those waiting, and the chart that draws it.
 */
static void
wait_chart(struct ps_rsection *s, const long *w, size_t n)
{
	static const char *const names[] = { "< 1 wk", "1-2 wk", "2-4 wk",
	    "4-6 wk", "6-8 wk", "8+ wk" };
	static const long upto[] = { 7, 14, 28, 42, 56, LONG_MAX };
	char **labels = ps_rdoc_noted(calloc(6, sizeof(*labels)));
	double *a = ps_rdoc_noted(calloc(6, sizeof(*a)));
	struct ps_rtable *t;
	size_t i, k;

	if (labels == NULL || a == NULL) {
		free(labels);
		free(a);
		return;
	}
	for (i = 0; i < n; i++) {
		for (k = 0; w[i] >= upto[k]; k++)
			;
		a[k] += 1;
	}
	t = ps_rdoc_table(s, "waiting_times", "Waiting times", 1, PS_TOTAL_ROW,
	    2, "waited", "participants");
	for (k = 0; k < 6; k++) {
		labels[k] = ps_rdoc_strdup(names[k]);
		ps_rdoc_row(t, ps_rdoc_strdup(names[k]), ps_rdoc_fmt("%.0f",
		    a[k]));
	}
	ps_rdoc_row(t, ps_rdoc_strdup("total"), ps_rdoc_fmt("%zu", n));
	ps_rdoc_sum(s, "waiting_times", "waiting", NULL);
	ps_rdoc_chart(s, "waiting_times", "Waiting times", 6, labels, a, NULL,
	    "participants", NULL);
	ps_rdoc_chart_of(s, "waiting_times");
}


/*
 * The board's report is of whole ISO weeks, Monday to Sunday, that have
 * ended by today and by the --as-of day: then two of its reports differ
 * by whole weeks, never by a day (peer-support(7), PRIVACY, says what
 * is left). Not for a date given to --as-of that ends before the period.
 */
static int
board_period(const struct ps_rdata *d, const struct ps_report_opts *o,
    long today, struct ps_diags *dg)
{
	static const char *const days[] = { "Monday", "Tuesday", "Wednesday",
	    "Thursday", "Friday", "Saturday", "Sunday" };
	struct ps_date dt;
	char day[11];

	if (ps_date_weekday(d->from) != 0) {
		ps_date_format(day, d->from);
		return ps_diag_err(dg, PS_USAGE, "--since: the board's report "
		    "is of whole weeks, from a Monday; %s is a %s", day,
		    days[ps_date_weekday(d->from)]);
	}
	if (ps_date_weekday(d->until) != 6) {
		ps_date_format(day, d->until);
		return ps_diag_err(dg, PS_USAGE, "--until: the board's report "
		    "is of whole weeks, to a Sunday; %s is a %s", day,
		    days[ps_date_weekday(d->until)]);
	}
	if (d->until >= today || (o->as_of && ps_date_parse(o->as_of,
	    &dt) == 0 && ps_date_days(&dt) < d->until)) {
		ps_date_format(day, d->until);
		return ps_diag_err(dg, PS_USAGE, "the board's report is of "
		    "weeks that have ended, and %s has not%s: for the "
		    "coordinator, use --no-suppress or --list", day,
		    o->as_of ? " by the --as-of day" : "");
	}
	return 0;
}

static int
period(struct ps_rdata *d, struct ps_store *s, const struct ps_report_opts *o,
    struct ps_diags *dg)
{
	struct ps_date dt;
	char now[26];
	long today;
	int rc;

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
	if (o->board && (rc = board_period(d, o, today, dg)) != 0)
		return rc;
	d->puntil = d->from - 1;
	d->pfrom = d->from - (d->until - d->from + 1);
	return 0;
}

int
ps_report_build(struct ps_report **out, struct ps_store *s,
    const struct ps_report_opts *o, struct ps_diags *dg)
{
	struct ps_rdata d;
	struct ps_report *r;
	double *funnel = NULL;
	char **steps = NULL;
	long *waits = NULL;
	size_t nsteps = 0, nwaits = 0, i, k;
	int rc;

	*out = NULL;
	ps_rdoc_begin();
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return ps_diag_nomem(dg);
	if ((rc = ps_rdata_init(&d, s, o->as_of, dg)) != 0 ||
	    (rc = period(&d, s, o, dg)) != 0)
		goto done;
	git_oid_tostr(r->commit, sizeof(r->commit), &d.commit);
	ps_date_format(r->from, d.from);
	ps_date_format(r->until, d.until);
	r->programme = ps_rdoc_strdup(ps_node_get_str(d.prog, "name"));
	r->threshold = ps_node_get_long(d.prog, "reports.suppression_threshold",
	    5);
	if ((rc = ps_rdata_read(&d, dg)) != 0)
		goto done;
	for (i = 0, k = 0; ps_report_keys[i]; i++) {
		struct ps_rsection *sec = &r->sec[k];

		if (o->sections && !ps_str_listed(o->sections,
		    ps_report_keys[i]))
			continue;
		sec->key = ps_report_keys[i];
		sec->title = titles[i];
		r->nsec = ++k;	/* freed with r from here on, also on an error */
		switch (i) {
		case 0: intake(&d, sec); break;
		case 1:
			screening(&d, sec, &funnel, &steps, &nsteps, dg);
			if (funnel && steps) {
				ps_rdoc_chart(sec, "funnel", "Screening funnel",
				    nsteps, steps, funnel, NULL, "volunteers",
				    NULL);
				ps_rdoc_chart_of(sec, "funnel");
			} else {
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
	ps_rdata_release(&d);
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
