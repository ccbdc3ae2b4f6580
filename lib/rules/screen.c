/* screen: screening and onboarding rules; see screen.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/str.h"
#include "model/record.h"
#include "rules/screen.h"
#include "rules/status.h"

static int
is_volunteer(const struct ps_node *rec)
{
	const char *k = ps_record_kind(rec);

	return k && strcmp(k, "volunteer") == 0;
}

/* The programme's step list for this kind of record. */
static const struct ps_node *
rules(const struct ps_node *prog, const struct ps_node *rec)
{
	return ps_node_get(prog, is_volunteer(rec) ? "volunteers.screening" :
	    "participants.onboarding");
}

/* The record's list of recorded steps (NULL when none yet). */
static struct ps_node *
entries(const struct ps_node *rec)
{
	return ps_node_get(rec, is_volunteer(rec) ? "screening.steps" :
	    "onboarding");
}

const struct ps_node *
ps_screen_rule(const struct ps_node *prog, const char *kind, const char *step)
{
	const struct ps_node *l = ps_node_get(prog, strcmp(kind,
	    "volunteer") == 0 ? "volunteers.screening" :
	    "participants.onboarding");
	const char *name;
	size_t i;

	for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n; i++)
		if ((name = ps_node_get_str(l->vals[i], "step")) &&
		    strcmp(name, step) == 0)
			return l->vals[i];
	return NULL;
}

static double
dnum(const struct ps_node *n, const char *path)
{
	const char *v = ps_node_get_str(n, path);

	return v ? strtod(v, NULL) : 0;
}

static long
day_of(const char *s)
{
	struct ps_date d;

	if (s == NULL || ps_date_parse(s, &d) == -1)
		return LONG_MIN;
	return ps_date_days(&d);
}

static long
today_of(const char *now)
{
	char day[11];

	memcpy(day, now, 10);
	day[10] = '\0';
	return day_of(day);
}


/*
 * The state of a step on a record: 1 passed (or waived) and valid, 0 not
 * yet, -1 passed but expired (*expired gets the day). With references,
 * passed means that many referees passed; *have gets how many did.
 */
static int
step_state(const struct ps_node *rule, const struct ps_node *rec, long today,
    long *expired, long *have)
{
	const struct ps_node *e = entries(rec), *x;
	const char *step = ps_node_get_str(rule, "step");
	long need = ps_node_get_long(rule, "references", 0), exp, got = 0;
	char seen[32] = { 0 };
	size_t i;
	int state = 0;

	if (have)
		*have = 0;
	for (i = e ? e->n : 0; i-- > 0;) {	/* latest first */
		x = e->vals[i];
		if (!ps_streq(ps_node_get_str(x, "step"), step))
			continue;
		if (need > 0) {
			long r = ps_node_get_long(x, "referee", 0);

			if (r > 0 && r < 32 && !seen[r]) {
				seen[r] = 1;
				got += ps_streq(ps_node_get_str(x, "result"), "pass");
			}
			continue;
		}
		if (ps_streq(ps_node_get_str(x, "result"), "pending"))
			continue;
		if (!ps_streq(ps_node_get_str(x, "result"), "pass") &&
		    !ps_streq(ps_node_get_str(x, "result"), "waived"))
			return 0;
		exp = day_of(ps_node_get_str(x, "expires"));
		if (exp == LONG_MIN)
			exp = day_of(ps_node_get_str(x, "certificate.expires"));
		if (exp != LONG_MIN && exp < today) {
			if (expired)
				*expired = exp;
			return -1;
		}
		return 1;
	}
	if (have)
		*have = got;
	if (need > 0 && got >= need)
		state = 1;
	return state;
}

const char *
ps_screen_ended(const struct ps_node *prog, const struct ps_node *rec)
{
	const struct ps_node *e = entries(rec), *rule;
	const char *step, *res;
	size_t i;

	for (i = 0; e && i < e->n; i++) {
		step = ps_node_get_str(e->vals[i], "step");
		res = ps_node_get_str(e->vals[i], "result");
		rule = ps_screen_rule(prog, ps_record_kind(rec), step ? step :
		    "");
		if (ps_streq(res, "fail") && rule &&
		    !ps_streq(ps_node_get_str(rule, "repeatable"), "true"))
			return step;
	}
	return NULL;
}

/* The step names a participant's stream requires (NULL: all of them). */
static const struct ps_node *
required_onboarding(const struct ps_node *prog, const struct ps_node *rec)
{
	const struct ps_node *st;

	if (is_volunteer(rec))
		return NULL;
	st = ps_node_map_get(ps_node_map_get(prog, "streams"),
	    ps_node_get_str(rec, "stream") ? ps_node_get_str(rec, "stream") :
	    "");
	return st ? ps_node_map_get(st, "onboarding") : NULL;
}

static int
listed(const struct ps_node *seq, const char *s)
{
	size_t i;

	for (i = 0; seq && seq->type == PS_NODE_SEQ && i < seq->n; i++)
		if (ps_streq(seq->vals[i]->str, s))
			return 1;
	return 0;
}

size_t
ps_screen_missing(const struct ps_node *prog, const struct ps_node *rec,
    long today, struct ps_buf *out)
{
	const struct ps_node *l = rules(prog, rec);
	const struct ps_node *req = required_onboarding(prog, rec);
	size_t i, n = 0;
	long exp = 0, have;
	char d[11];
	int st;

	for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n; i++) {
		const char *step = ps_node_get_str(l->vals[i], "step");
		long need = ps_node_get_long(l->vals[i], "references", 0);

		if (!is_volunteer(rec) && req && !listed(req, step))
			continue;
		if ((st = step_state(l->vals[i], rec, today, &exp, &have)) == 1)
			continue;
		ps_buf_printf(out, "%s%s", n++ ? ", " : "", step);
		if (st == -1) {
			ps_date_format(d, exp);
			ps_buf_printf(out, " expired %s", d);
		} else if (need > 0)
			ps_buf_printf(out, " (%ld of %ld)", have, need);
	}
	return n;
}

long
ps_screen_expiry(const struct ps_node *rec, const char **step)
{
	const struct ps_node *e = entries(rec);
	long best = LONG_MAX, x;
	size_t i;

	for (i = 0; e && i < e->n; i++) {
		if (!ps_streq(ps_node_get_str(e->vals[i], "result"), "pass"))
			continue;
		x = day_of(ps_node_get_str(e->vals[i], "expires"));
		if (x == LONG_MIN)
			x = day_of(ps_node_get_str(e->vals[i],
			    "certificate.expires"));
		/* a later renewal of the same step replaces this one */
		if (x != LONG_MIN) {
			size_t j;
			int renewed = 0;

			for (j = i + 1; j < e->n; j++)
				renewed |= ps_streq(ps_node_get_str(e->vals[j],
				    "step"), ps_node_get_str(e->vals[i],
				    "step")) && ps_streq(ps_node_get_str(e->vals[j],
				    "result"), "pass");
			if (!renewed && x < best) {
				best = x;
				if (step)
					*step = ps_node_get_str(e->vals[i],
					    "step");
			}
		}
	}
	return best;
}

const char *
ps_screen_next(const struct ps_node *prog, const struct ps_node *rec,
    long *since)
{
	const struct ps_node *l = rules(prog, rec), *e = entries(rec);
	const struct ps_node *req = required_onboarding(prog, rec), *rq;
	const char *received = ps_node_get_str(rec, "received");
	long start = LONG_MIN, t;
	size_t i, j, k;
	char day[11] = "";

	if (received)
		memcpy(day, received, 10);
	start = day_of(day);
	for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n; i++) {
		const char *step = ps_node_get_str(l->vals[i], "step");
		long from = start;
		int ready = 1;

		if (!is_volunteer(rec) && req && !listed(req, step))
			continue;
		if (step_state(l->vals[i], rec, LONG_MIN + 1, NULL, NULL) != 0)
			continue;
		rq = ps_node_map_get(l->vals[i], "requires");
		for (j = 0; rq && j < rq->n; j++) {
			const struct ps_node *r = ps_screen_rule(prog,
			    ps_record_kind(rec), rq->vals[j]->str);

			if (!is_volunteer(rec) && req &&
			    !listed(req, rq->vals[j]->str))
				continue;	/* not asked of this stream */

			if (r == NULL || step_state(r, rec, LONG_MIN + 1, NULL,
			    NULL) != 1) {
				ready = 0;
				break;
			}
			/* waiting since the prerequisite passed */
			for (k = 0; e && k < e->n; k++)
				if (ps_streq(ps_node_get_str(e->vals[k], "step"),
				    rq->vals[j]->str) &&
				    (t = day_of(ps_node_get_str(e->vals[k],
				    "date"))) > from)
					from = t;
		}
		if (ready) {
			if (since)
				*since = from;
			return step;
		}
	}
	return NULL;
}

static int
refuse(struct ps_diags *d, const struct ps_node *rec, const char *fmt,
    const char *a, const char *b)
{
	return ps_diag_err(d, PS_REFUSED, "%s: %s%s%s", ps_record_id(rec), fmt,
	    a ? a : "", b ? b : "");
}

/* Totals over earlier entries of a step, plus this one. */
static void
totals(const struct ps_node *rec, const char *step, double *hours,
    double *practicum, struct ps_buf *modules)
{
	const struct ps_node *e = entries(rec), *m;
	size_t i, j;

	for (i = 0; e && i < e->n; i++) {
		if (!ps_streq(ps_node_get_str(e->vals[i], "step"), step))
			continue;
		*hours += dnum(e->vals[i], "hours");
		*practicum += dnum(e->vals[i], "practicum_hours");
		m = ps_node_map_get(e->vals[i], "modules");
		for (j = 0; m && j < m->n; j++)
			ps_buf_printf(modules, ",%s,", m->vals[j]->str);
	}
}

static int
check_amounts(const struct ps_node *rule, const struct ps_node *rec,
    const struct ps_step_args *a, struct ps_node *entry, struct ps_diags *d)
{
	const struct ps_node *want = ps_node_map_get(rule, "modules");
	struct ps_buf done = PS_BUF_INIT, missing = PS_BUF_INIT, probe =
	    PS_BUF_INIT;
	double h = a->hours, p = a->practicum_hours;
	char num[64], *copy = NULL, *m, *next;
	size_t i;
	int rc = 0;

	if ((a->hours > 0 && !ps_node_map_get(rule, "hours") && !want) ||
	    (a->practicum_hours > 0 &&
	    !ps_node_map_get(rule, "practicum_hours")) ||
	    (a->modules && !want)) {
		rc = refuse(d, rec, "step \"", a->step, a->modules &&
		    !want ? "\" has no modules" : a->hours > 0 &&
		    !ps_node_map_get(rule, "hours") && !want ?
		    "\" counts no hours" : "\" counts no practicum hours");
		goto done;
	}
	totals(rec, a->step, &h, &p, &done);
	if (a->modules) {
		struct ps_node *seq = ps_node_new_seq();

		if (seq == NULL || (copy = strdup(a->modules)) == NULL ||
		    ps_node_map_set(entry, "modules", seq) == -1) {
			rc = ps_diag_nomem(d);
			goto done;
		}
		for (m = copy; m; m = next) {
			if ((next = strchr(m, ',')) != NULL)
				*next++ = '\0';
			if (*m == '\0')
				continue;
			if (want && !listed(want, m)) {
				rc = refuse(d, rec, "step has no module \"", m,
				    "\"");
				goto done;
			}
			ps_node_seq_append(seq, ps_node_new_str(m));
			ps_buf_printf(&done, ",%s,", m);
		}
	}
	if (a->hours > 0) {
		snprintf(num, sizeof(num), "%g", a->hours);
		ps_node_set_plain(entry, "hours", num);
	}
	if (a->practicum_hours > 0) {
		snprintf(num, sizeof(num), "%g", a->practicum_hours);
		ps_node_set_plain(entry, "practicum_hours", num);
	}
	if (!ps_streq(a->result, "pass"))
		goto done;
	if (h < dnum(rule, "hours")) {
		snprintf(num, sizeof(num), "%g of %g", h, dnum(rule, "hours"));
		rc = refuse(d, rec, "cannot pass: training hours done: ", num,
		    NULL);
		goto done;
	}
	if (p < dnum(rule, "practicum_hours")) {
		snprintf(num, sizeof(num), "%g of %g", p,
		    dnum(rule, "practicum_hours"));
		rc = refuse(d, rec, "cannot pass: practicum hours done: ", num,
		    NULL);
		goto done;
	}
	for (i = 0; want && i < want->n; i++) {
		ps_buf_truncate(&probe, 0);
		ps_buf_printf(&probe, ",%s,", want->vals[i]->str);
		if (done.s == NULL || strstr(done.s, probe.s) == NULL)
			ps_buf_printf(&missing, "%s%s", missing.len ? ", " : "",
			    want->vals[i]->str);
	}
	if (missing.len)
		rc = refuse(d, rec, "cannot pass: modules not done: ",
		    missing.s, NULL);
done:
	free(copy);
	ps_buf_release(&done);
	ps_buf_release(&missing);
	ps_buf_release(&probe);
	return rc;
}

static int
onboarding_complete(const struct ps_node *prog, const struct ps_node *rec,
    long today)
{
	struct ps_buf b = PS_BUF_INIT;
	size_t n = ps_screen_missing(prog, rec, today, &b);

	ps_buf_release(&b);
	return n == 0;
}

/* Waiting for the cohort's seat that this step is taken in: seated now. */
static int
take_seat(struct ps_node *rec, const char *cohort)
{
	struct ps_node *sc = ps_node_get(rec, "screening");

	if (!ps_streq(ps_node_get_str(rec, "screening.waitlist.cohort"), cohort))
		return 0;
	ps_node_map_del(sc, "waitlist");
	return ps_node_set_str(rec, "screening.cohort", cohort);
}

int
ps_screen_step(const struct ps_node *prog, struct ps_node *rec,
    const struct ps_step_args *a, struct ps_diags *d)
{
	const char *kind = ps_record_kind(rec), *ended, *status;
	const struct ps_node *rule, *rq, *l;
	struct ps_node *entry = NULL, *list;
	struct ps_buf names = PS_BUF_INIT;
	long today = today_of(a->now), need, exp = 0, attempt = 1;
	char day[11], num[32];
	size_t i;
	int rc = 0, renewal;

	rule = ps_screen_rule(prog, kind, a->step);
	if (rule == NULL) {
		l = rules(prog, rec);
		for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n; i++)
			ps_buf_printf(&names, "%s%s", i ? ", " : "",
			    ps_node_get_str(l->vals[i], "step"));
		rc = ps_diag_err(d, PS_REFUSED, "%s: the programme has no %s "
		    "step \"%s\" (it has: %s)", ps_record_id(rec),
		    is_volunteer(rec) ? "screening" : "onboarding", a->step,
		    names.s ? names.s : "none");
		goto done;
	}
	status = ps_node_get_str(rec, "status");
	renewal = ps_node_get_str(rule, "validity_days") != NULL;
	if (ps_streq(status, "withdrawn") || ps_streq(status, "declined") ||
	    ps_streq(status, "retired") || ps_streq(status, "closed") ||
	    (ps_node_get(rec, "decision") && !renewal)) {
		rc = refuse(d, rec, "screening is over (status ", status, ")");
		goto done;
	}
	if ((ended = ps_screen_ended(prog, rec)) != NULL) {
		rc = refuse(d, rec, "screening ended: step \"", ended,
		    "\" failed and may not be repeated");
		goto done;
	}
	if (!ps_streq(a->result, "pending") &&
	    (rq = ps_node_map_get(rule, "requires")) != NULL) {
		const struct ps_node *asked = required_onboarding(prog, rec);

		for (i = 0; i < rq->n; i++) {
			const struct ps_node *r = ps_screen_rule(prog, kind,
			    rq->vals[i]->str);

			/* a step the participant's stream does not ask for */
			if (asked && !listed(asked, rq->vals[i]->str))
				continue;

			/* valid on the day this step was done */
			if (r == NULL || step_state(r, rec, a->date, NULL,
			    NULL) != 1)
				ps_buf_printf(&names, "%s%s", names.len ?
				    ", " : "", rq->vals[i]->str);
		}
		if (names.len) {
			rc = ps_diag_err(d, PS_REFUSED, "%s: step \"%s\" needs "
			    "%s passed first", ps_record_id(rec), a->step,
			    names.s);
			goto done;
		}
	}
	need = ps_node_get_long(rule, "references", 0);
	if (need > 0 && (a->referee < 1 || a->referee > need)) {
		snprintf(num, sizeof(num), "%ld", need);
		rc = refuse(d, rec, "this step takes --referee 1 to ", num,
		    NULL);
		goto done;
	}
	if (need == 0 && a->referee) {
		rc = refuse(d, rec, "step \"", a->step, "\" has no referees");
		goto done;
	}
	if (need == 0 && ps_streq(a->result, "pass") && !renewal &&
	    !ps_streq(ps_node_get_str(rule, "repeatable"), "true") &&
	    step_state(rule, rec, today, &exp, NULL) == 1) {
		rc = refuse(d, rec, "step \"", a->step, "\" is already passed");
		goto done;
	}
	if ((entry = ps_node_new_map()) == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	ps_date_format(day, a->date);
	if ((l = entries(rec)) != NULL)
		for (i = 0; i < l->n; i++)
			attempt += ps_streq(ps_node_get_str(l->vals[i], "step"),
			    a->step) && ps_streq(ps_node_get_str(l->vals[i],
			    "result"), "fail");
	snprintf(num, sizeof(num), "%ld", attempt);
	if (ps_node_set_str(entry, "step", a->step) ||
	    ps_node_set_str(entry, "result", a->result) ||
	    (attempt > 1 && ps_node_set_plain(entry, "attempt", num)) ||
	    ps_node_set_plain(entry, "date", day) ||
	    (a->by && ps_node_set_str(entry, "by", a->by)) ||
	    (a->note && ps_node_set_str(entry, "note", a->note)) ||
	    (a->cohort && ps_node_set_str(entry, "cohort", a->cohort)) ||
	    (a->cohort && take_seat(rec, a->cohort) == -1)) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (a->referee) {
		snprintf(num, sizeof(num), "%d", a->referee);
		ps_node_set_plain(entry, "referee", num);
	}
	if (ps_streq(a->result, "pass") && renewal) {
		ps_date_format(day, a->date + ps_node_get_long(rule, "validity_days", 0));
		ps_node_set_plain(entry, a->certificate ? "certificate.expires" :
		    "expires", day);
	}
	if (a->certificate) {
		if (!ps_streq(ps_node_get_str(rule, "certificate"), "true")) {
			rc = refuse(d, rec, "step \"", a->step, "\" gives no "
			    "certificate");
			goto done;
		}
		ps_date_format(day, a->date);
		ps_node_set_str(entry, "certificate.number", a->certificate);
		ps_node_set_plain(entry, "certificate.date", day);
	}
	if ((rc = check_amounts(rule, rec, a, entry, d)) != 0)
		goto done;
	if ((list = entries(rec)) == NULL) {
		if (ps_node_set(rec, is_volunteer(rec) ? "screening.steps" :
		    "onboarding", ps_node_new_seq()) == -1) {
			rc = ps_diag_nomem(d);
			goto done;
		}
		list = entries(rec);
	}
	if (ps_node_seq_append(list, entry) == -1) {
		entry = NULL;
		rc = ps_diag_nomem(d);
		goto done;
	}
	entry = NULL;
	if (ps_streq(status, "applied") && ps_record_set_status(rec,
	    is_volunteer(rec) ? "screening" : "onboarding", a->now, a->by,
	    "ps-screen", NULL) == -1)
		rc = ps_diag_nomem(d);
	status = ps_node_get_str(rec, "status");
	if (rc == 0 && !is_volunteer(rec) && (ps_streq(status, "onboarding") ||
	    ps_streq(status, "applied")) && onboarding_complete(prog, rec, today) &&
	    ps_record_set_status(rec, "waiting", a->now, a->by,
	    "ps-screen", NULL) == -1)
		rc = ps_diag_nomem(d);
done:
	ps_node_free(entry);
	ps_buf_release(&names);
	return rc;
}

int
ps_screen_decide(const struct ps_node *prog, struct ps_node *rec, int accept,
    const char *reason, const char *by, const char *now, struct ps_diags *d)
{
	struct ps_buf missing = PS_BUF_INIT;
	const char *ended;
	char day[11], num[32];
	long today = today_of(now), months;
	int rc = 0;

	memcpy(day, now, 10);
	day[10] = '\0';
	if (!is_volunteer(rec))
		return refuse(d, rec, "decisions are for volunteers", NULL,
		    NULL);
	if (ps_node_get(rec, "decision"))
		return refuse(d, rec, "already decided: ",
		    ps_node_get_str(rec, "decision.result"), NULL);
	if (!ps_streq(ps_node_get_str(rec, "status"), "applied") &&
	    !ps_streq(ps_node_get_str(rec, "status"), "screening"))
		return refuse(d, rec, "cannot decide on a volunteer who is ",
		    ps_node_get_str(rec, "status"), NULL);
	if (accept) {
		if ((ended = ps_screen_ended(prog, rec)) != NULL)
			return refuse(d, rec, "cannot accept: step \"", ended,
			    "\" failed");
		if (ps_screen_missing(prog, rec, today, &missing) > 0) {
			rc = refuse(d, rec, "cannot accept: still missing: ",
			    missing.s, NULL);
			ps_buf_release(&missing);
			return rc;
		}
	}
	if (ps_node_set_str(rec, "decision.result", accept ? "accept" :
	    "decline") || ps_node_set_plain(rec, "decision.date", day) ||
	    (by && ps_node_set_str(rec, "decision.by", by)) ||
	    (reason && ps_node_set_str(rec, "decision.reason", reason)))
		return ps_diag_nomem(d);
	if (accept) {
		if (ps_node_get(rec, "capacity") == NULL) {
			snprintf(num, sizeof(num), "%ld",
			    ps_status_capacity(NULL, prog));
			ps_node_set_plain(rec, "capacity", num);
		}
		/* the commitment the volunteer made, else the programme's */
		months = ps_node_get_long(rec, "commitment.months", ps_node_get_long(prog,
		    "volunteers.commitment_months", 0));
		if (months > 0 && ps_node_get(rec, "commitment.until") ==
		    NULL) {
			snprintf(num, sizeof(num), "%ld", months);
			ps_date_format(day, ps_date_add_months(today,
			    (int)months));
			if (ps_node_set_plain(rec, "commitment.months", num) ||
			    ps_node_set_plain(rec, "commitment.until", day))
				return ps_diag_nomem(d);
		}
	}
	if (ps_record_set_status(rec, accept ? "active" : "declined", now, by,
	    "ps-screen", NULL) == -1)
		return ps_diag_nomem(d);
	return 0;
}
