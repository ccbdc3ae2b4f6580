/* screenop: ps-screen's reads, checks, commits and lists; see screenop.h. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/str.h"
#include "util/tz.h"
#include "model/record.h"
#include "store/txn.h"
#include "rules/status.h"
#include "ops/screenop.h"

static const char *const action_names[] = { "step", "accept", "decline",
    "leave", "return", "retire" };


struct open_matches {
	const char	*id;
	struct ps_buf	 list;
};

static int
find_open(void *arg, const char *rel, struct ps_node *m, struct ps_diags *d)
{
	struct open_matches *o = arg;
	const char *st = ps_node_get_str(m, "status");

	(void)rel;
	(void)d;
	if (!ps_streq(ps_node_get_str(m, "volunteer"), o->id) ||
	    !ps_status_match_open(st))
		return 0;
	ps_buf_printf(&o->list, "%s%s", o->list.len ? ", " : "",
	    ps_record_id(m));
	return 0;
}

/* Leave, return, retire: a volunteer's service, not their screening;
   dated on day (--date, else today). */
static int
service(struct ps_store *s, struct ps_node *rec,
    const struct ps_screen_opts *o, const char *now, long today,
    struct ps_diags *d)
{
	const char *st = ps_node_get_str(rec, "status"), *id = ps_record_id(rec);
	struct open_matches om = { id, PS_BUF_INIT };
	struct ps_node *leave, *e;
	char day[11];
	int rc = 0;

	ps_date_format(day, today);
	if (!ps_streq(ps_record_kind(rec), "volunteer"))
		return ps_diag_err(d, PS_REFUSED, "%s: not a volunteer", id);
	if (o->action == PS_SCREEN_RETURN) {
		if (!ps_streq(st, "on-leave"))
			return ps_diag_err(d, PS_REFUSED, "%s: not on leave "
			    "(status %s)", id, st);
		leave = ps_node_get(rec, "leave");
		e = leave && leave->n ? leave->vals[leave->n - 1] : NULL;
		if (e && (ps_node_get(e, "to") == NULL ||
		    strcmp(ps_node_get_str(e, "to"), day) > 0) &&
		    ps_node_set_plain(e, "to", day))
			return ps_diag_nomem(d);
		return ps_record_set_status(rec, "active", now, o->step.by,
		    "ps-screen", NULL) ? ps_diag_nomem(d) : 0;
	}
	if (!ps_streq(st, "active") && !(o->action == PS_SCREEN_RETIRE &&
	    ps_streq(st, "on-leave")))
		return ps_diag_err(d, PS_REFUSED, "%s: not active (status %s)",
		    id, st);
	if ((rc = ps_store_each(s, "match", 0, find_open, &om, d)) != 0)
		goto done;
	if (om.list.len) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: has open matches: %s; "
		    "end or reassign them first (ps-match)", id, om.list.s);
		goto done;
	}
	if (o->action == PS_SCREEN_RETIRE) {
		if (ps_node_set_plain(rec, "closed", day) ||
		    ps_record_set_status(rec, "retired", now, o->step.by,
		    "ps-screen", o->reason))
			rc = ps_diag_nomem(d);
		goto done;
	}
	if ((leave = ps_node_get(rec, "leave")) == NULL) {
		if (ps_node_map_set(rec, "leave", ps_node_new_seq()))
			return ps_diag_nomem(d);
		leave = ps_node_get(rec, "leave");
	}
	if ((e = ps_node_new_map()) == NULL ||
	    ps_node_set_plain(e, "from", day) ||
	    (o->until && ps_node_set_plain(e, "to", o->until)) ||
	    (o->reason && ps_node_set_str(e, "reason", o->reason)) ||
	    ps_node_seq_append(leave, e) ||
	    ps_record_set_status(rec, "on-leave", now, o->step.by,
	    "ps-screen", NULL))
		rc = ps_diag_nomem(d);
done:
	ps_buf_release(&om.list);
	return rc;
}

/*
 * What a record's summary line says changed (ps_record_summary): the
 * step and its result, or the decision, leave, return or retirement;
 * the status a step moved the record to. Never the note or the reason.
 */
static void
changed(const struct ps_screen_opts *o, const struct ps_node *rec,
    const char *before, char *what, size_t len)
{
	const char *st = ps_node_get_str(rec, "status");
	char referee[32] = "";

	switch (o->action) {
	case PS_SCREEN_STEP:
		if (o->step.referee)
			snprintf(referee, sizeof(referee), " (referee %d)",
			    o->step.referee);
		snprintf(what, len, "%s %s%s%s%s", o->step.step,
		    o->step.result, referee, ps_streq(st, before) ? "" :
		    ", now ", ps_streq(st, before) ? "" : st);
		break;
	case PS_SCREEN_LEAVE:
		snprintf(what, len, "on leave%s%s", o->until ? " until " : "",
		    o->until ? o->until : "");
		break;
	default:
		snprintf(what, len, "%s", o->action == PS_SCREEN_ACCEPT ?
		    "accepted" : o->action == PS_SCREEN_DECLINE ? "declined" :
		    o->action == PS_SCREEN_RETURN ? "back from leave" :
		    "retired");
	}
}

/* The day a step is dated: --date, which may not be in the future. */
static int
step_day(const struct ps_screen_opts *o, long today, long *out,
    struct ps_diags *d)
{
	struct ps_date dt;

	*out = today;
	if (o->date == NULL)
		return 0;
	if (ps_date_parse(o->date, &dt) == -1)
		return ps_diag_err(d, PS_USAGE, "--date: not a real date "
		    "(YYYY-MM-DD)");
	*out = ps_date_days(&dt);
	if (*out > today)
		return ps_diag_add(d, PS_REFUSED, NULL, 0, 0, "--date",
		    PS_DIAG_FUTURE);
	return 0;
}

int
ps_screenop_apply(struct ps_store *s, const struct ps_ids *ids,
    struct ps_screen_opts *o, FILE *out, struct ps_diags *d)
{
	const char *tz = ps_node_get_str(s->program, "timezone");
	struct ps_commit_info ci = { "ps-screen", NULL, o->author, o->dry_run };
	struct ps_buf text = PS_BUF_INIT;
	struct ps_txn *t = NULL;
	struct ps_node *rec = NULL;
	char now[26], subject[200], before[32], what[200];
	size_t i, bad = 0;
	long today;
	int rc;

	if (ps_tz_format(tz, ps_date_now(), now, &today) == -1)
		return ps_diag_err(d, PS_STORE, "program.yaml: no such time "
		    "zone on this system");
	if ((rc = step_day(o, today, &o->step.date, d)) != 0)
		return rc;
	o->step.now = now;
	if ((rc = ps_txn_begin(&t, s, d)) != 0)
		goto done;
	for (i = 0; i < ids->n; i++) {
		struct ps_place at;
		const char *kind;
		int r;

		if ((r = ps_store_get_at(s, ids->v[i], ps_ids_place(ids, i,
		    &at), &rec, d)) != 0) {
			if (r == PS_STORE) {
				rc = r;
				goto done;
			}
			bad++;
			continue;
		}
		kind = ps_record_kind(rec);
		snprintf(before, sizeof(before), "%s",
		    ps_node_get_str(rec, "status"));
		if (!ps_streq(kind, "volunteer") && !ps_streq(kind, "participant")) {
			ps_diag_err(d, PS_REFUSED, "%s: a %s has no screening "
			    "or onboarding", ids->v[i], kind);
			r = PS_REFUSED;
		} else if (o->action == PS_SCREEN_STEP)
			r = ps_screen_step(s->program, rec, &o->step, d);
		else if (o->action == PS_SCREEN_ACCEPT ||
		    o->action == PS_SCREEN_DECLINE)
			r = ps_screen_decide(s->program, rec,
			    o->action == PS_SCREEN_ACCEPT, o->reason,
			    o->step.by, now, d);
		else
			r = service(s, rec, o, now, o->step.date, d);
		if (r == 0 && ps_record_check(s->schemas, rec, ids->v[i], d))
			r = PS_REFUSED;
		if (r == 0)
			r = ps_txn_put(t, rec, d);
		if (r == 0)
			changed(o, rec, before, what, sizeof(what));
		if (r == 0 && ps_record_written(&text, rec, o->summary,
		    what) == -1)
			r = ps_diag_nomem(d);
		if (r == PS_STORE) {
			rc = r;
			goto done;
		}
		bad += r != 0;
		ps_node_free(rec);
		rec = NULL;
	}
	if (bad) {
		rc = PS_REFUSED;
		goto done;
	}
	if (o->action == PS_SCREEN_STEP && ids->n == 1)
		snprintf(subject, sizeof(subject), "ps-screen: %s %s %s",
		    o->step.step, o->step.result, ids->v[0]);
	else if (o->action == PS_SCREEN_STEP)
		snprintf(subject, sizeof(subject), "ps-screen: %s %s for %zu "
		    "records", o->step.step, o->step.result, ids->n);
	else
		snprintf(subject, sizeof(subject), "ps-screen: %s %s",
		    action_names[o->action], ids->v[0]);
	ci.subject = subject;
	if ((rc = ps_txn_commit(t, &ci, d)) == 0 && text.len)
		fwrite(text.s, 1, text.len, out);
done:
	ps_node_free(rec);
	ps_txn_free(t);
	ps_buf_release(&text);
	return rc;
}

struct lister {
	struct ps_store		*s;
	enum ps_screenop_list	 what;
	const char		*step;
	long			 days;
	long			 today;
	int			 table;
	FILE			*out;
	struct ps_buf		 b;
};

static int
list_one(void *arg, const char *rel, struct ps_node *rec, struct ps_diags *d)
{
	struct lister *l = arg;
	const char *st = ps_node_get_str(rec, "status"), *step = NULL;
	const struct ps_node *rule;
	long since = 0, when;
	char day[11];

	(void)rel;
	if (l->what == PS_LIST_EXPIRING) {
		if (!ps_streq(st, "active") && !ps_streq(st, "on-leave"))
			return 0;
		when = ps_screen_expiry(rec, &step);
		if (when == LONG_MAX || when > l->today + l->days)
			return 0;
	} else {
		if (!(ps_streq(st, "applied") || ps_streq(st, "screening") ||
		    ps_streq(st, "onboarding")))
			return 0;
		if (ps_screen_ended(l->s->program, rec))
			return 0;
		if ((step = ps_screen_next(l->s->program, rec, &since)) == NULL)
			return 0;
		if (l->step && !ps_streq(step, l->step))
			return 0;
		rule = ps_screen_rule(l->s->program, ps_record_kind(rec), step);
		when = rule && ps_node_get_str(rule, "expected_days") ?
		    since + atol(ps_node_get_str(rule, "expected_days")) :
		    LONG_MAX;
		if (l->what == PS_LIST_OVERDUE && when >= l->today)
			return 0;
	}
	if (!l->table) {
		ps_buf_truncate(&l->b, 0);
		if (ps_record_emit(&l->b, rec) == -1)
			return ps_diag_nomem(d);
		fwrite(l->b.s, 1, l->b.len, l->out);
		return 0;
	}
	if (l->what == PS_LIST_EXPIRING) {
		ps_date_format(day, when);
		fprintf(l->out, "%-8s  %-24s  %s%s\n", ps_record_id(rec), step,
		    day, when < l->today ? " (expired)" : "");
	} else
		fprintf(l->out, "%-8s  %-24s  %ld\n", ps_record_id(rec), step,
		    l->today - since);
	return 0;
}

int
ps_screenop_list(struct ps_store *s, enum ps_screenop_list what, const char *step,
    long days, int table, FILE *out, struct ps_diags *d)
{
	const char *tz = ps_node_get_str(s->program, "timezone");
	struct lister l = { s, what, step, days, 0, table, out, PS_BUF_INIT };
	char now[26];
	int rc;

	if (ps_tz_format(tz, ps_date_now(), now, &l.today) == -1)
		return ps_diag_err(d, PS_STORE, "program.yaml: no such time "
		    "zone on this system");
	if (table)
		fprintf(out, "%-8s  %-24s  %s\n", "ID", "STEP",
		    what == PS_LIST_EXPIRING ? "EXPIRES" : "DAYS WAITING");
	rc = ps_store_each(s, "volunteer", 0, list_one, &l, d);
	if (rc == 0 && what != PS_LIST_EXPIRING)
		rc = ps_store_each(s, "participant", 0, list_one, &l, d);
	ps_buf_release(&l.b);
	return rc ? rc : d->errors ? PS_REFUSED : 0;
}
