/* log: ps-log's entries, checks, commit and listing; see log.h. */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/str.h"
#include "util/tz.h"
#include "model/program.h"
#include "model/record.h"
#include "model/yaml.h"
#include "store/txn.h"
#include "ops/log.h"


/* One run: the entries' shared state and the records they change. */
struct logrun {
	struct ps_store			*s;
	const struct ps_log_opts	*o;
	struct ps_diags			*d;
	struct ps_txn			*t;
	char				 now[26];
	long				 today;
	time_t				 clock;
	struct ps_node			**changed;	/* records read */
	unsigned char			*dirty;		/* ... and changed */
	size_t				 nchanged, capchanged;
	size_t				 bad;
};

/* The command-line option that sets a field, for messages; "" for a
   field no option sets. */
static void
field_name(const struct logrun *r, const char *path, char *out, size_t len)
{
	static const struct {
		const char *path, *opt;
	} opts[] = {
		{ "flag.type", "--flag" }, { "flag.referral", "--referral" },
		{ "flag.no_referral_reason", "--no-referral-reason" },
		{ "flag.note", "--note" },
		{ "feedback.helpfulness", "--helpfulness" },
		{ "feedback.followup_consent", "--followup" },
		{ "feedback.comment", "--comment" },
		{ "topics", "--topic" }, { "goals", "--goal" },
		{ "participant", "--feedback" }, { "type", "" },
		{ NULL, NULL }
	};
	size_t i, n;
	char *p;

	if (r->o->source) {
		snprintf(out, len, "%s", path);
		return;
	}
	for (i = 0; opts[i].path; i++) {
		n = strlen(opts[i].path);
		if (strncmp(opts[i].path, path, n) == 0 &&
		    (path[n] == '\0' || path[n] == '.')) {
			snprintf(out, len, "%s", opts[i].opt);
			return;
		}
	}
	snprintf(out, len, "--%s", strrchr(path, '.') ? strrchr(path, '.') +
	    1 : path);
	for (p = out; *p; p++)
		if (*p == '_')
			*p = '-';
}

/*
 * Where a field of an entry is: on the standard input, the place of the
 * value at path, else of the nearest mapping that holds it (a field
 * missing), else of the entry; on the command line, the option that
 * sets it. name holds what the path points to.
 */
static void
place_of(const struct logrun *r, const struct ps_node *e, const char *path,
    char *name, size_t len, struct ps_place *at)
{
	const struct ps_node *n = NULL;
	char up[64], *dot;

	memset(at, 0, sizeof(*at));
	*name = '\0';
	if (path)
		field_name(r, path, name, len);
	at->path = path && *name ? name : NULL;
	if (r->o->source == NULL)
		return;
	at->file = r->o->source;
	snprintf(up, sizeof(up), "%s", path ? path : "");
	while (*up && (n = ps_node_get(e, up)) == NULL &&
	    (dot = strrchr(up, '.')) != NULL)
		*dot = '\0';
	if (n == NULL)
		n = e;
	at->line = n->line;
	at->col = n->col;
}

/*
 * Refuse an entry: the field's place (stdin) or option (command line),
 * and the rule; never a value of the entry (diag.h).
 */
static int
refuse(struct logrun *r, const struct ps_node *e, const char *path,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int
refuse(struct logrun *r, const struct ps_node *e, const char *path,
    const char *fmt, ...)
{
	char msg[512], name[64];
	struct ps_place at;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	place_of(r, e, path, name, sizeof(name), &at);
	return ps_diag_at(r->d, PS_REFUSED, &at, "%s", msg);
}

/* A record changed earlier in this run, else from the store. */
static int
fetch(struct logrun *r, const struct ps_node *e, const char *path,
    const char *kind, struct ps_node **out)
{
	const char *id = ps_node_get_str(e, path);
	struct ps_place at;
	char name[64];
	size_t i;
	int rc;

	*out = NULL;
	for (i = 0; id && i < r->nchanged; i++)
		if (ps_streq(ps_record_id(r->changed[i]), id)) {
			*out = r->changed[i];
			return 0;
		}
	if (id == NULL || !ps_id_valid(id) || !ps_streq(ps_id_kind(id), kind))
		return refuse(r, e, path, "not a %s ID", kind);
	/* an ID typed on the command line is repeated; one read from the
	   input is not */
	place_of(r, e, path, name, sizeof(name), &at);
	if ((rc = ps_store_get_at(r->s, id, &at, out, r->d)) != 0)
		return rc;
	if (r->nchanged == r->capchanged) {
		size_t cap = r->capchanged ? 2 * r->capchanged : 16;
		void *v = reallocarray(r->changed, cap, sizeof(*r->changed));
		void *dv = v ? realloc(r->dirty, cap) : NULL;

		if (dv == NULL) {
			if (v)
				r->changed = v;
			ps_node_free(*out);
			*out = NULL;
			return ps_diag_nomem(r->d);
		}
		r->changed = v;
		r->dirty = dv;
		r->capchanged = cap;
	}
	r->dirty[r->nchanged] = 0;
	r->changed[r->nchanged++] = *out;
	return 0;
}

/* Mark a record fetched in this run as changed: it is stored too. */
static void
touch(struct logrun *r, const struct ps_node *rec)
{
	size_t i;

	for (i = 0; i < r->nchanged; i++)
		if (r->changed[i] == rec)
			r->dirty[i] = 1;
}

/*
 * The entry's time as an RFC 3339 time in the programme's zone: a
 * date-time as given, a day at noon (now, for today), or now. Refuses a
 * time in the future.
 */
static int
when(struct logrun *r, const struct ps_node *e, char out[26], long *day,
    time_t *t)
{
	const char *tz = ps_node_get_str(r->s->program, "timezone");
	const char *v = ps_node_get_str(e, "date");
	struct ps_date dt;

	*t = r->clock;
	if (v && ps_date_parse(v, &dt) == 0) {
		/* a day: noon there, or now if it is today */
		if (ps_date_days(&dt) != r->today)
			*t = ps_tz_local(tz, ps_date_days(&dt), 12 * 60);
	} else if (v && ps_datetime_parse(v, t) == -1)
		return refuse(r, e, "date", "not a date (YYYY-MM-DD) or a time "
		    "(YYYY-MM-DDTHH:MM:SS+HH:MM)");
	if (*t > r->clock)
		return refuse(r, e, "date", PS_DIAG_FUTURE);
	ps_tz_format(tz, *t, out, day);
	return 0;
}

static long
lnum(const struct ps_node *n, const char *path, long dflt)
{
	const char *s = ps_node_get_str(n, path);
	char *end;
	long v;

	if (s == NULL)
		return dflt;
	v = strtol(s, &end, 10);
	return *end == '\0' && end != s ? v : LONG_MIN;
}

static int
need_minutes(struct logrun *r, const struct ps_node *e)
{
	long m = lnum(e, "minutes", LONG_MIN);

	if (m < 1 || m > 1440)
		return refuse(r, e, "minutes", "a whole number of minutes "
		    "from 1 to 1440");
	return 0;
}

static int
listed(const struct ps_node *l, const char *s)
{
	size_t i;

	for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n; i++)
		if (ps_streq(l->vals[i]->str, s))
			return 1;
	return 0;
}

/* Risk flags: what was done must be said. */
static int
check_flag(struct logrun *r, const struct ps_node *e)
{
	const struct ps_node *kinds = ps_node_get(ps_schema_at(
	    ps_schemas_get(r->s->schemas, "contact"), "flag.type"), "enum");
	const struct ps_node *f = ps_node_get(e, "flag");
	const char *type = ps_node_get_str(f, "type");
	const char *ref = ps_node_get_str(f, "referral");

	if (f == NULL)
		return 0;
	if (type == NULL)
		return refuse(r, e, "flag.type", "a referral or a note needs "
		    "a flag: risk, crisis or safeguarding");
	/* a type not of the schema's list: the schema says so; a message
	   names only those (diag.h) */
	if (!listed(kinds, type))
		return 0;
	if (ref == NULL)
		return refuse(r, e, "flag.referral", "a %s flag needs the "
		    "referral made (988, 911, crisis-line, ... or none)", type);
	if (ps_streq(type, "crisis") && ps_streq(ref, "none") &&
	    ps_node_get(f, "no_referral_reason") == NULL)
		return refuse(r, e, "flag.referral", "a crisis flag without a "
		    "referral needs --no-referral-reason");
	if (!ps_streq(ref, "none") && ps_node_get(f, "no_referral_reason"))
		return refuse(r, e, "flag.no_referral_reason", "only with "
		    "--referral none");
	return 0;
}

static const struct ps_node *
dropin_stream(const struct ps_node *prog)
{
	const struct ps_node *st = ps_node_get(prog, "streams");
	size_t i;

	for (i = 0; st && i < st->n; i++)
		if (ps_streq(ps_node_get_str(st->vals[i], "type"), "dropin"))
			return st->vals[i];
	return NULL;
}

/* Is local time (day, "HH:MM") within the drop-in's opening hours? */
static int
open_at(const struct ps_node *stream, long day, const char *local)
{
	static const char *const days[] = { "mon", "tue", "wed", "thu", "fri",
	    "sat", "sun" };
	const struct ps_node *h = ps_node_get(stream, "hours");
	const char *wd = days[ps_date_weekday(day)];
	char hm[6];
	size_t i;

	if (h == NULL)
		return 1;
	memcpy(hm, local + 11, 5);
	hm[5] = '\0';
	for (i = 0; i < h->n; i++)
		if (listed(ps_node_get(h->vals[i], "days"), wd) &&
		    strcmp(hm, ps_node_get_str(h->vals[i], "from")) >= 0 &&
		    strcmp(hm, ps_node_get_str(h->vals[i], "to")) < 0)
			return 1;
	return 0;
}

static const char *
infer_type(const struct ps_node *e)
{
	const char *t = ps_node_get_str(e, "type");

	if (t)
		return t;
	if (ps_node_get(e, "feedback"))
		return "feedback";
	if (ps_node_get(e, "group"))
		return "group-session";
	if (ps_node_get(e, "match"))
		return "contact";
	if (ps_node_get(e, "activity"))
		return "activity";
	if (ps_streq(ps_node_get_str(e, "dropin"), "true"))
		return "dropin";
	return NULL;
}

/*
 * The funder and host organisation a contact is reported to: as logged,
 * else the participant's, so reports can break figures down by them.
 */
static int
attribute(struct logrun *r, struct ps_node *c)
{
	static const char *const keys[] = { "funder", "host_organisation" };
	struct ps_node *p;
	const char *v;
	size_t i;
	int rc;

	if (ps_node_get(c, "funder") && ps_node_get(c, "host_organisation"))
		return 0;
	if ((rc = fetch(r, c, "participant", "participant", &p)) != 0)
		return rc;
	for (i = 0; i < 2; i++)
		if (ps_node_get(c, keys[i]) == NULL &&
		    (v = ps_node_get_str(p, keys[i])) != NULL &&
		    ps_node_set_str(c, keys[i], v))
			return ps_diag_nomem(r->d);
	return 0;
}

/* A contact or callback within a match. */
static int
in_match(struct logrun *r, const struct ps_node *e, struct ps_node *c,
    long day, const char *at)
{
	struct ps_node *m, *p = NULL;
	const struct ps_node *st;
	const char *status, *due, *mode;
	char today[11];
	long limit, mins = lnum(e, "minutes", 0), dueday = 0;
	int rc;

	if ((rc = fetch(r, e, "match", "match", &m)) != 0)
		return rc;
	status = ps_node_get_str(m, "status");
	st = ps_program_stream(r->s->program, ps_node_get_str(m, "stream"));
	mode = ps_node_get_str(e, "mode");
	if (mode == NULL)
		return refuse(r, e, "mode", "say how: phone, email, video, "
		    "in-person or text");
	if (ps_node_get(st, "modes") && !listed(ps_node_get(st, "modes"),
	    mode))
		return refuse(r, e, "mode", "the %s stream does not offer "
		    "this mode", ps_node_get_str(m, "stream"));
	if (ps_node_get_str(e, "type") && !ps_streq(ps_node_get_str(e, "type"),
	    ps_streq(status, "callback-open") ? "callback" : "contact"))
		return refuse(r, e, "type", "%s is %s an open callback",
		    ps_record_id(m), ps_streq(status, "callback-open") ? "" : "not");
	if (ps_streq(status, "callback-open")) {
		if (ps_node_set_str(c, "type", "callback"))
			return ps_diag_nomem(r->d);
		limit = lnum(st, "call_limit_minutes", 0);
		if (limit > 0 && mins > limit) {
			if (ps_streq(ps_node_get_str(st, "over_limit"), "refuse"))
				return refuse(r, e, "minutes", "longer than the "
				    "%ld-minute call limit", limit);
			ps_diag_warn(r->d, "%s: a call of %ld minutes, over "
			    "the %ld-minute limit", ps_record_id(m), mins,
			    limit);
		}
		due = ps_node_get_str(m, "callback.due");
		if (due) {
			struct ps_date dd;

			if (ps_date_parse(due, &dd) == 0)
				dueday = ps_date_days(&dd);
		}
		if ((rc = fetch(r, m, "participant", "participant", &p)) != 0)
			return rc;
		touch(r, m);
		touch(r, p);
		ps_date_format(today, day);
		if (ps_record_set_status(m, "callback-done", r->now, r->o->by,
		    "ps-log", NULL) ||
		    ps_node_set_plain(m, "callback.closed", at) ||
		    ps_node_set_plain(m, "callback.on_time", due == NULL ||
		    day <= dueday ? "true" : "false") ||
		    ps_record_set_status(p, "closed", r->now, r->o->by,
		    "ps-log", NULL) ||
		    ps_node_set_plain(p, "closed", today))
			return ps_diag_nomem(r->d);
	} else if (!ps_streq(status, "active")) {
		if (!ps_streq(ps_node_get_str(st, "inactive_contact"), "warn"))
			return refuse(r, e, "match", "%s is not active (status "
			    "%s)", ps_record_id(m), status);
		ps_diag_warn(r->d, "%s: a contact on a match that is not "
		    "active (status %s)", ps_record_id(m), status);
	}
	if (ps_node_set_str(c, "participant", ps_node_get_str(m,
	    "participant")) ||
	    ps_node_set_str(c, "volunteer", ps_node_get_str(m, "volunteer")))
		return ps_diag_nomem(r->d);
	return attribute(r, c);
}

/* Is this a goal's ID, g and a number? */
static int
goal_id(const char *s)
{
	size_t n;

	if (*s++ != 'g')
		return 0;
	n = strspn(s, "0123456789");
	return n > 0 && n < 8 && s[n] == '\0';
}

static int
check_goals(struct logrun *r, const struct ps_node *e)
{
	const struct ps_node *g = ps_node_get(e, "goals"), *have;
	struct ps_node *m;
	size_t i, j;
	int found, rc;

	if (g == NULL)
		return 0;
	if ((rc = fetch(r, e, "match", "match", &m)) != 0)
		return rc;
	have = ps_node_get(m, "goals");
	for (i = 0; g->type == PS_NODE_SEQ && i < g->n; i++) {
		const char *id = ps_node_get_str(g->vals[i], "id");
		struct ps_node *goal = NULL;
		char path[32];

		if (id == NULL)
			continue;	/* the schema says it is missing */
		for (j = 0, found = 0; have && j < have->n; j++)
			if (ps_streq(ps_node_get_str(have->vals[j], "id"), id))
				goal = have->vals[j], found = 1;
		snprintf(path, sizeof(path), "goals.%zu.id", i);
		/* a goal typed on the command line is named (diag.h) */
		if (!found && r->o->source == NULL && goal_id(id))
			return refuse(r, e, path, "%s has no goal %s",
			    ps_record_id(m), id);
		if (!found)
			return refuse(r, e, path, "%s has no such goal",
			    ps_record_id(m));
		/* a goal achieved is achieved in the match too */
		if (ps_streq(ps_node_get_str(g->vals[i], "progress"), "achieved") &&
		    !ps_streq(ps_node_get_str(goal, "status"), "achieved")) {
			if (ps_node_set_str(goal, "status", "achieved"))
				return ps_diag_nomem(r->d);
			touch(r, m);
		}
	}
	return 0;
}

/* Copy a field of the entry into the record, if there. */
static int
copy(struct ps_node *c, const struct ps_node *e, const char *key)
{
	const struct ps_node *v = ps_node_get(e, key);
	struct ps_node *dup;

	if (v == NULL)
		return 0;
	if ((dup = ps_node_dup(v)) == NULL)
		return -1;
	return ps_node_map_set(c, key, dup);	/* it frees dup if it fails */
}

/*
 * The record against its schema. From the command line, a field is
 * named by the option that set it (--activity), with no position.
 */
static int
check_record(struct logrun *r, struct ps_node *c)
{
	struct ps_diags tmp = PS_DIAGS_INIT;
	char name[64];
	size_t i;

	if (ps_record_check(r->s->schemas, c, r->o->source, &tmp) == 0) {
		ps_diags_release(&tmp);
		return 0;
	}
	for (i = 0; !r->o->source && i < tmp.n; i++) {
		tmp.v[i].line = tmp.v[i].col = 0;
		if (tmp.v[i].path == NULL)
			continue;
		field_name(r, tmp.v[i].path, name, sizeof(name));
		free(tmp.v[i].path);
		tmp.v[i].path = *name ? strdup(name) : NULL;
	}
	ps_diags_move(r->d, &tmp);
	ps_diags_release(&tmp);
	return PS_REFUSED;
}

static int
known_field(const char *k)
{
	static const char *const known[] = { "type", "date", "match",
	    "volunteer", "group", "participant", "mode", "minutes", "hours",
	    "activity", "attendees", "flag", "topics", "goals", "feedback",
	    "note", "funder", "host_organisation", "dropin", NULL };
	size_t i;

	for (i = 0; known[i]; i++)
		if (ps_streq(known[i], k))
			return 1;
	return 0;
}

/* One entry into one contact record, checked; changes matches too. */
static int
entry(struct logrun *r, const struct ps_node *e, struct ps_node **out)
{
	static const char *const fields[] = { "mode", "minutes", "hours",
	    "activity", "attendees", "flag", "topics", "goals", "feedback",
	    "note", "funder", "host_organisation", "match", "group", NULL };
	const char *type = infer_type(e), *v;
	struct ps_node *c = NULL, *x;
	char id[PS_ID_LEN + 1], at[26], day10[11], dir[32];
	long day;
	time_t t;
	size_t i;
	int rc;

	*out = NULL;
	if (e->type != PS_NODE_MAP)
		return refuse(r, e, NULL, "an entry is a mapping of fields");
	for (i = 0; i < e->n; i++)
		if (!known_field(e->keys[i]->str))
			return refuse(r, e->keys[i], NULL, "%s of a contact "
			    "entry (misspelt? ids are given by ps-log)",
			    PS_DIAG_UNKNOWN_FIELD);
	if (type == NULL)
		return refuse(r, e, "type", "say what to log: a match, "
		    "--volunteer with --activity, --dropin, --group or "
		    "--feedback");
	if ((rc = when(r, e, at, &day, &t)) != 0 ||
	    (rc = check_flag(r, e)) != 0)
		return rc;
	if ((c = ps_node_new_map()) == NULL)
		return ps_diag_nomem(r->d);
	for (i = 0; fields[i]; i++)
		if (copy(c, e, fields[i]) == -1)
			goto nomem;
	/* free in the day's folder the record goes to: logging stays as fast
	   in a store of a million contacts; ps-check finds the rare ID drawn
	   twice on different days */
	snprintf(dir, sizeof(dir), "contacts/%.4s/%.2s/%.2s", at, at + 5,
	    at + 8);
	if ((rc = ps_txn_new_id(r->t, "contact", dir, id, r->d)) != 0)
		goto fail;
	if (ps_node_set_str(c, "kind", "contact") ||
	    ps_node_set_str(c, "id", id) ||
	    ps_node_set_str(c, "type", type) ||
	    ps_node_set_plain(c, "date", at) ||
	    (r->o->by && ps_node_set_str(c, "logged_by", r->o->by)))
		goto nomem;
	if (ps_streq(type, "contact") || ps_streq(type, "callback")) {
		if ((rc = need_minutes(r, e)) != 0 ||
		    (rc = in_match(r, e, c, day, at)) != 0 ||
		    (rc = check_goals(r, e)) != 0)
			goto fail;
	} else if (ps_streq(type, "activity")) {
		double h = ps_node_get_str(e, "hours") ? strtod(ps_node_get_str(e,
		    "hours"), NULL) : 0;

		if ((rc = fetch(r, e, "volunteer", "volunteer", &x)) != 0)
			goto fail;
		if (ps_streq(ps_node_get_str(x, "status"), "retired") ||
		    ps_streq(ps_node_get_str(x, "status"), "withdrawn") ||
		    ps_streq(ps_node_get_str(x, "status"), "declined")) {
			rc = refuse(r, e, "volunteer", "%s is %s",
			    ps_record_id(x), ps_node_get_str(x, "status"));
			goto fail;
		}
		if (!(h > 0 && h <= 24)) {
			rc = refuse(r, e, "hours", "a number of hours, more "
			    "than 0 and at most 24");
			goto fail;
		}
		if (ps_node_set_str(c, "volunteer", ps_record_id(x)))
			goto nomem;
	} else if (ps_streq(type, "dropin")) {
		const struct ps_node *st = dropin_stream(r->s->program);

		if (st == NULL) {
			rc = refuse(r, e, NULL, "the programme has no drop-in "
			    "stream");
			goto fail;
		}
		if ((rc = need_minutes(r, e)) != 0)
			goto fail;
		if ((v = ps_node_get_str(e, "volunteer")) != NULL) {
			if ((rc = fetch(r, e, "volunteer", "volunteer",
			    &x)) != 0)
				goto fail;
			if (ps_node_set_str(c, "volunteer", v))
				goto nomem;
		}
		if (!open_at(st, day, at))
			ps_diag_warn(r->d, "%s: a drop-in visit outside the "
			    "drop-in's opening hours", id);
	} else if (ps_streq(type, "group-session")) {
		if ((rc = fetch(r, e, "group", "group", &x)) != 0 ||
		    (rc = need_minutes(r, e)) != 0)
			goto fail;
		if (lnum(e, "attendees", LONG_MIN) < 0) {
			rc = refuse(r, e, "attendees", "the number of people "
			    "who attended");
			goto fail;
		}
		if (ps_node_get_str(e, "volunteer")) {
			if ((rc = fetch(r, e, "volunteer", "volunteer",
			    &x)) != 0)
				goto fail;
			if (ps_node_set_str(c, "volunteer",
			    ps_node_get_str(e, "volunteer")))
				goto nomem;
		}
	} else if (ps_streq(type, "feedback")) {
		const char *who = ps_node_get_str(e, "participant") ?
		    "participant" : "match";

		if ((rc = fetch(r, e, who, who, &x)) != 0)
			goto fail;
		if (ps_streq(who, "match") && (ps_node_set_str(c, "participant",
		    ps_node_get_str(x, "participant")) ||
		    ps_node_set_str(c, "volunteer", ps_node_get_str(x,
		    "volunteer"))))
			goto nomem;
		if (ps_streq(who, "participant") && ps_node_set_str(c,
		    "participant", ps_record_id(x)))
			goto nomem;
		if ((rc = attribute(r, c)) != 0)
			goto fail;
		v = ps_node_get_str(e, "feedback.followup_consent");
		if (v == NULL) {
			rc = refuse(r, e, "feedback.followup_consent", "say "
			    "whether the participant agrees to a follow-up "
			    "survey: yes or no");
			goto fail;
		}
		if (ps_streq(v, "true")) {
			ps_date_format(day10, ps_date_add_months(day,
			    (int)lnum(r->s->program,
			    "consents.follow_up.min_months", 3)));
			if (ps_node_set_plain(c, "feedback.followup_after",
			    day10))
				goto nomem;
		}
	} else {
		rc = refuse(r, e, "type", "must be one of: contact, callback, "
		    "activity, dropin, group-session, feedback");
		goto fail;
	}
	if ((rc = check_record(r, c)) != 0)
		goto fail;
	*out = c;
	return 0;
nomem:
	rc = ps_diag_nomem(r->d);
fail:
	ps_node_free(c);
	return rc;
}

static void
logrun_release(struct logrun *r)
{
	size_t i;

	for (i = 0; i < r->nchanged; i++)
		ps_node_free(r->changed[i]);
	free(r->changed);
	free(r->dirty);
	ps_txn_free(r->t);
}

static int
logrun_begin(struct logrun *r, struct ps_store *s,
    const struct ps_log_opts *o, struct ps_diags *d)
{
	memset(r, 0, sizeof(*r));
	r->s = s;
	r->o = o;
	r->d = d;
	r->clock = ps_date_now();
	if (ps_tz_format(ps_node_get_str(s->program, "timezone"), r->clock,
	    r->now, &r->today) == -1)
		return ps_diag_err(d, PS_STORE, "program.yaml: no such time "
		    "zone on this system");
	return ps_txn_begin(&r->t, s, d);
}

/* Stage the records this run changed (a callback's match, participant). */
static int
stage_changed(struct logrun *r)
{
	size_t i;
	int rc;

	for (i = 0; i < r->nchanged; i++) {
		if (!r->dirty[i])
			continue;
		if (ps_record_check(r->s->schemas, r->changed[i],
		    ps_record_id(r->changed[i]), r->d))
			return PS_REFUSED;
		if ((rc = ps_txn_put(r->t, r->changed[i], r->d)) != 0)
			return rc;
	}
	return 0;
}

static void
subject_for(const struct ps_node *c, size_t n, char *out, size_t len)
{
	const char *type = ps_node_get_str(c, "type");
	const char *id = ps_record_id(c);

	if (n > 1)
		snprintf(out, len, "ps-log: %zu entries", n);
	else if (ps_streq(type, "callback"))
		snprintf(out, len, "ps-log: callback %s closes %s", id,
		    ps_node_get_str(c, "match"));
	else if (ps_streq(type, "contact"))
		snprintf(out, len, "ps-log: contact %s (%s)", id,
		    ps_node_get_str(c, "match"));
	else if (ps_streq(type, "activity"))
		snprintf(out, len, "ps-log: volunteer hours %s (%s)", id,
		    ps_node_get_str(c, "volunteer"));
	else if (ps_streq(type, "dropin"))
		snprintf(out, len, "ps-log: drop-in visit %s", id);
	else if (ps_streq(type, "group-session"))
		snprintf(out, len, "ps-log: group session %s (%s)", id,
		    ps_node_get_str(c, "group"));
	else
		snprintf(out, len, "ps-log: feedback %s (%s)", id,
		    ps_node_get_str(c, "participant"));
}

/*
 * What a contact's summary line says of it (ps_record_summary): "logged",
 * its type unless a contact in a match, its day, then what it has of
 * mode, minutes, activity, hours, attendees and flag type. Each is a
 * date, a number or a word of the schema's enums: nothing a person typed.
 */
static int
logged(const struct ps_node *c, struct ps_buf *what)
{
	static const char *const more[][3] = { { "mode", "", "" },
	    { "minutes", "", " min" }, { "activity", "", "" },
	    { "hours", "", " h" }, { "attendees", "", " attendees" },
	    { "flag.type", "flag ", "" } };
	const char *type = ps_node_get_str(c, "type"), *v;
	int plain = ps_streq(type, "contact");
	size_t i;

	ps_buf_truncate(what, 0);
	if (ps_buf_printf(what, "logged%s%s %.10s", plain ? "" : " ",
	    plain ? "" : type, ps_node_get_str(c, "date")) == -1)
		return -1;
	for (i = 0; i < sizeof(more) / sizeof(more[0]); i++)
		if ((v = ps_node_get_str(c, more[i][0])) != NULL &&
		    ps_buf_printf(what, ", %s%s%s", more[i][1], v,
		    more[i][2]) == -1)
			return -1;
	return 0;
}

/* Where the entries come from: an array, or a YAML stream. */
struct source {
	struct ps_node *const	*v;
	size_t			 n, i;
	struct ps_yaml_reader	*r;
	struct ps_node		*cur;	/* the stream's entry, owned */
};

/* The next entry (borrowed until the next call), or NULL at the end. */
static int
source_next(struct source *src, const struct ps_node **e, struct ps_diags *d)
{
	int rc;

	*e = NULL;
	ps_node_free(src->cur);
	src->cur = NULL;
	if (src->r == NULL) {
		if (src->i < src->n)
			*e = src->v[src->i++];
		return 0;
	}
	if ((rc = ps_yaml_reader_next(src->r, &src->cur, d)) == 0)
		*e = src->cur;
	return rc;
}

/*
 * Check each entry as it comes, so that a stream holds one entry in
 * memory at a time beside the records to store; write only if all pass.
 */
static int
run(struct ps_store *s, struct source *src, const struct ps_log_opts *o,
    FILE *out, struct ps_diags *d)
{
	struct ps_commit_info ci = { "ps-log", NULL, o->author, o->dry_run };
	struct ps_buf text = PS_BUF_INIT, what = PS_BUF_INIT;
	struct ps_node *c = NULL, *first = NULL;
	const struct ps_node *e;
	struct logrun r;
	char subject[200];
	size_t n = 0, bad = 0;
	int rc;

	if ((rc = logrun_begin(&r, s, o, d)) != 0)
		goto done;
	for (;;) {
		if ((rc = source_next(src, &e, d)) != 0) {
			if (rc == PS_STORE)
				goto done;
			bad++;
			break;
		}
		if (e == NULL)
			break;
		n++;
		if ((rc = entry(&r, e, &c)) == PS_STORE)
			goto done;
		if (rc != 0) {
			bad++;
			continue;
		}
		if ((rc = ps_txn_put(r.t, c, d)) != 0 ||
		    logged(c, &what) == -1 ||
		    ps_record_written(&text, c, o->summary, what.s) == -1) {
			rc = rc ? rc : ps_diag_nomem(d);
			goto done;
		}
		if (first == NULL)
			first = c;
		else
			ps_node_free(c);
		c = NULL;
	}
	if (n == 0 && bad == 0) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: nothing to log", o->source ?
		    o->source : "command line");
		goto done;
	}
	if (bad) {
		rc = PS_REFUSED;
		goto done;
	}
	if ((rc = stage_changed(&r)) != 0)
		goto done;
	subject_for(first, n, subject, sizeof(subject));
	ci.subject = subject;
	if ((rc = ps_txn_commit(r.t, &ci, d)) == 0)
		fwrite(text.s, 1, text.len, out);
done:
	ps_node_free(c);
	ps_node_free(first);
	logrun_release(&r);
	ps_buf_release(&text);
	ps_buf_release(&what);
	return rc;
}

int
ps_log_run(struct ps_store *s, struct ps_node *const *entries, size_t n,
    const struct ps_log_opts *o, FILE *out, struct ps_diags *d)
{
	struct source src = { entries, n, 0, NULL, NULL };

	return run(s, &src, o, out, d);
}

int
ps_log_run_fd(struct ps_store *s, int fd, const struct ps_log_opts *o,
    FILE *out, struct ps_diags *d)
{
	struct source src = { NULL, 0, 0, NULL, NULL };
	int rc;

	if ((rc = ps_yaml_reader_fd(&src.r, fd, o->source ? o->source :
	    "stdin", PS_YAML_SPLIT_SEQ, d)) != 0)
		return rc;
	rc = run(s, &src, o, out, d);
	ps_node_free(src.cur);
	ps_yaml_reader_free(src.r);
	return rc;
}

int
ps_log_goal(struct ps_store *s, const char *match, const char *text,
    const struct ps_log_opts *o, FILE *out, struct ps_diags *d)
{
	struct ps_commit_info ci = { "ps-log", NULL, o->author, o->dry_run };
	struct ps_buf b = PS_BUF_INIT;
	struct ps_node *m = NULL, *g, *e;
	struct logrun r;
	char subject[200], gid[16], what[32];
	int rc;

	if ((rc = logrun_begin(&r, s, o, d)) != 0 ||
	    (rc = ps_store_get(s, match, &m, d)) != 0)
		goto done;
	if (!ps_streq(ps_record_kind(m), "match") || !(ps_streq(ps_node_get_str(m,
	    "status"), "active") || ps_streq(ps_node_get_str(m, "status"),
	    "proposed"))) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: not an open match", match);
		goto done;
	}
	if ((g = ps_node_get(m, "goals")) == NULL) {
		if (ps_node_map_set(m, "goals", ps_node_new_seq()) == -1)
			goto nomem;
		g = ps_node_get(m, "goals");
	}
	snprintf(gid, sizeof(gid), "g%zu", g->n + 1);
	if ((e = ps_node_new_map()) == NULL ||
	    ps_node_set_str(e, "id", gid) || ps_node_set_str(e, "text", text) ||
	    ps_node_set_str(e, "status", "open")) {
		ps_node_free(e);
		goto nomem;
	}
	if (ps_node_seq_append(g, e))	/* e taken, or freed */
		goto nomem;
	if (ps_record_check(s->schemas, m, match, d)) {
		rc = PS_REFUSED;
		goto done;
	}
	snprintf(subject, sizeof(subject), "ps-log: goal %s on %s", gid, match);
	ci.subject = subject;
	snprintf(what, sizeof(what), "goal %s added", gid);
	if ((rc = ps_txn_put(r.t, m, d)) == 0 &&
	    ps_record_written(&b, m, o->summary, what) == 0 &&
	    (rc = ps_txn_commit(r.t, &ci, d)) == 0)
		fwrite(b.s, 1, b.len, out);
	goto done;
nomem:
	rc = ps_diag_nomem(d);
done:
	ps_node_free(m);
	logrun_release(&r);
	ps_buf_release(&b);
	return rc;
}

struct lister {
	const struct ps_log_filter	*f;
	int				 table;
	FILE				*out;
	struct ps_buf			 b;
};

static int
list_one(void *arg, const char *rel, struct ps_node *c, struct ps_diags *d)
{
	struct lister *l = arg;
	const char *date = ps_node_get_str(c, "date");

	(void)rel;
	if ((l->f->since && strncmp(date, l->f->since, 10) < 0) ||
	    (l->f->until && strncmp(date, l->f->until, 10) > 0) ||
	    (l->f->match && !ps_streq(ps_node_get_str(c, "match"), l->f->match)) ||
	    (l->f->volunteer && !ps_streq(ps_node_get_str(c, "volunteer"),
	    l->f->volunteer)) ||
	    (l->f->flagged && ps_node_get(c, "flag") == NULL))
		return 0;
	if (l->table) {
		fprintf(l->out, "%-8s  %-10.10s  %-13s  %-8s  %-9s  %4s  %s\n",
		    ps_record_id(c), date, ps_node_get_str(c, "type"),
		    ps_node_get_str(c, "match") ? ps_node_get_str(c, "match") :
		    "-", ps_node_get_str(c, "volunteer") ?
		    ps_node_get_str(c, "volunteer") : "-",
		    ps_node_get_str(c, "minutes") ? ps_node_get_str(c,
		    "minutes") : "-", ps_node_get_str(c, "flag.type") ?
		    ps_node_get_str(c, "flag.type") : "");
		return 0;
	}
	ps_buf_truncate(&l->b, 0);
	if (ps_record_emit(&l->b, c) == -1)
		return ps_diag_nomem(d);
	fwrite(l->b.s, 1, l->b.len, l->out);
	return 0;
}

int
ps_log_list(struct ps_store *s, const struct ps_log_filter *f, int table,
    FILE *out, struct ps_diags *d)
{
	struct lister l = { f, table, out, PS_BUF_INIT };
	struct ps_date a, b;
	char now[26];
	long today;
	int rc;

	if ((f->since && ps_date_parse(f->since, &a) == -1) ||
	    (f->until && ps_date_parse(f->until, &b) == -1))
		return ps_diag_err(d, PS_USAGE, "--since, --until: a date, "
		    "YYYY-MM-DD");
	if (table)
		fprintf(out, "%-8s  %-10s  %-13s  %-8s  %-9s  %4s  %s\n", "ID",
		    "DATE", "TYPE", "MATCH", "VOLUNTEER", "MIN", "FLAG");
	if (f->since) {
		ps_tz_format(ps_node_get_str(s->program, "timezone"),
		    ps_date_now(), now, &today);
		rc = ps_store_each_day(s, ps_date_days(&a), f->until ?
		    ps_date_days(&b) : today, list_one, &l, d);
	} else
		rc = ps_store_each(s, "contact", 0, list_one, &l, d);
	ps_buf_release(&l.b);
	return rc;
}
