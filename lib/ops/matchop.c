/* matchop: ps-match's proposals, choices and lifecycle; see matchop.h. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/tz.h"
#include "model/program.h"
#include "model/record.h"
#include "model/schema.h"
#include "model/yaml.h"
#include "store/txn.h"
#include "rules/assign.h"
#include "rules/match.h"
#include "rules/plan.h"
#include "rules/screen.h"
#include "rules/status.h"
#include "ops/matchop.h"



/*
 * A proposal's ID: one that follows from the pair and the store's commit,
 * so that the same store always prints the same proposals (and two runs
 * can be compared with diff); a random one if that is taken.
 */
static int
new_id(struct ps_plan_world *w, struct ps_txn *t, const char *p, const char *v,
    char id[PS_ID_LEN + 1], struct ps_diags *d)
{
	struct ps_buf seed = PS_BUF_INIT, rel = PS_BUF_INIT;
	int tries, taken = 1;

	ps_buf_printf(&seed, "%s %s %s %s", p, v, w->head, w->matching ?
	    "weights" : "");
	for (tries = 0; tries < 100 && taken; tries++) {
		if ((tries ? ps_id_new(id, "match") : ps_id_from(id, "match",
		    seed.s ? seed.s : "")) == -1) {
			ps_buf_release(&seed);
			return ps_diag_err(d, PS_STORE, "no randomness for a "
			    "new ID");
		}
		ps_buf_truncate(&rel, 0);
		ps_buf_printf(&rel, "matches/%s.yaml", id);
		taken = t ? ps_txn_taken(t, rel.s) : ps_store_exists(w->s,
		    rel.s);
	}
	ps_buf_release(&seed);
	ps_buf_release(&rel);
	return taken ? ps_diag_err(d, PS_STORE, "cannot find a free ID") : 0;
}

/* A match record for a pair: a proposal, or a OneCall callback. */
static int
new_match(struct ps_plan_world *w, struct ps_txn *t,
    const struct ps_match_person *p, const struct ps_match_person *v,
    const char *chosen_by, struct ps_node **out, struct ps_diags *d)
{
	const struct ps_node *st = ps_program_stream(w->prog,
	    ps_node_get_str(p->rec, "stream"));
	struct ps_node *m, *b;
	char id[PS_ID_LEN + 1], num[32], day[11];
	const char *n;
	long due;
	int rc;

	*out = NULL;
	if ((rc = new_id(w, t, p->id, v->id, id, d)) != 0)
		return rc;
	if ((m = ps_node_new_map()) == NULL || (b = ps_node_new_seq()) == NULL)
		goto nomem;
	ps_match_points(num, ps_match_score(w->ctx, p, v, b));
	if (ps_node_map_set(m, "breakdown", b) == -1)	/* b freed */
		goto nomem;
	if (ps_node_set_str(m, "kind", "match") ||
	    ps_node_set_str(m, "id", id) ||
	    ps_node_set_str(m, "stream", ps_node_get_str(p->rec, "stream")) ||
	    ps_node_set_str(m, "participant", p->id) ||
	    ps_node_set_str(m, "volunteer", v->id) ||
	    ps_node_set_plain(m, "proposed", w->now) ||
	    ps_node_set_plain(m, "score", num) ||
	    (w->head[0] && ps_node_set_str(m, "program_commit", w->head)))
		goto nomem;
	if (ps_program_single_call(st)) {
		due = ps_program_add_business(w->prog, p->received, (int)strtol(
		    (n = ps_node_get_str(st, "callback_business_days")) ? n :
		    "3", NULL, 10));
		ps_date_format(day, due);
		if (ps_node_set_plain(m, "callback.requested",
		    ps_node_get_str(p->rec, "received")) ||
		    ps_node_set_plain(m, "callback.due", day) ||
		    ps_record_set_status(m, "callback-open", w->now, NULL,
		    "ps-match", NULL))
			goto nomem;
	} else if (ps_node_set_str(m, "chosen_by", chosen_by) ||
	    ps_node_set_str(m, "weights_source", w->weights ? w->weights :
	    "program.yaml") ||
	    ps_record_set_status(m, "proposed", w->now, NULL, "ps-match", NULL))
		goto nomem;
	if (ps_record_check(w->s->schemas, m, id, d)) {
		ps_node_free(m);
		return PS_REFUSED;
	}
	*out = m;
	return 0;
nomem:
	ps_node_free(m);
	return ps_diag_nomem(d);
}

static void
table_head(FILE *out)
{
	fprintf(out, "%-8s  %-11s  %-9s  %-12s  %s\n", "MATCH", "PARTICIPANT",
	    "VOLUNTEER", "STREAM", "SCORE");
}

/* A record to the output: YAML, or a table row. */
static int
show(struct ps_buf *text, int table, const struct ps_node *m)
{
	if (!table)
		return ps_record_emit(text, m);
	return ps_buf_printf(text, "%-8s  %-11s  %-9s  %-12s  %s\n",
	    ps_record_id(m), ps_node_get_str(m, "participant"),
	    ps_node_get_str(m, "volunteer"), ps_node_get_str(m, "stream"),
	    ps_node_get_str(m, "score") ? ps_node_get_str(m, "score") : "-");
}

static int
commit_msg(struct ps_txn *t, const struct ps_match_opts *o, const char *subject,
    struct ps_buf *text, FILE *out, struct ps_diags *d)
{
	struct ps_commit_info ci = { "ps-match", subject, o->author,
	    o->dry_run };
	int rc;

	if ((rc = ps_txn_commit(t, &ci, d)) == 0 && text->len)
		fwrite(text->s, 1, text->len, out);
	return rc;
}


/* Recruiting gaps: the reasons participants were left unmatched. */
static void
print_gaps(char **why, size_t n, int table, FILE *out)
{
	size_t i, j, count;

	if (table)
		fprintf(out, "%-12s  %s\n", "PARTICIPANTS", "REASON");
	for (i = 0; i < n; i = j) {
		for (j = i; j < n && strcmp(why[j], why[i]) == 0; j++)
			;
		count = j - i;
		if (table)
			fprintf(out, "%12zu  %s\n", count, why[i]);
		else
			fprintf(out, "---\nparticipants: %zu\nreason: \"%s\"\n",
			    count, why[i]);
	}
}

static int
propose(struct ps_plan_world *w, const struct ps_match_opts *o, FILE *out,
    struct ps_diags *d)
{
	struct ps_plan pl = { NULL, 0, 0 };
	struct ps_buf text = PS_BUF_INIT, why = PS_BUF_INIT;
	struct ps_txn *t = NULL;
	struct ps_node *m = NULL;
	char subject[200], **gaps = NULL;
	size_t i, ngaps = 0;
	int rc;

	for (i = 0; w->only && i < w->only->n; i++) {
		struct ps_place at;

		if (ps_plan_find_person(w->p, w->np, w->only->v[i]) != NULL)
			continue;
		/* an ID read from the input: by its place (diag.h) */
		if (ps_ids_place(w->only, i, &at))
			ps_diag_at(d, 0, &at, "not waiting for a match, or no "
			    "such record");
		else
			ps_diag_warn(d, "%s: not waiting for a match (see "
			    "ps-match --candidates %s)", w->only->v[i],
			    w->only->v[i]);
	}
	if ((rc = ps_plan_make(w, &pl, d)) != 0)
		goto done;
	if (o->action == PS_MATCH_GAPS) {
		if ((rc = ps_plan_reasons(w, &pl, &gaps, &ngaps, d)) == 0)
			print_gaps(gaps, ngaps, o->table, out);
		goto done;
	}
	if (o->commit && (rc = ps_txn_begin(&t, w->s, d)) != 0)
		goto done;
	if (o->table)
		table_head(out);
	for (i = 0; i < w->np; i++) {
		if (ps_plan_left_out(w, &pl, i)) {
			ps_buf_truncate(&why, 0);
			ps_plan_why_unmatched(w, &w->p[i], &why);
			ps_diag_warn(d, "%s: not matched: %s", w->p[i].id,
			    why.s);
			continue;
		}
		if (pl.vol[i] < 0)
			continue;
		if ((rc = new_match(w, t, &w->p[i], &w->v[pl.vol[i]],
		    "coordinator", &m, d)) != 0 ||
		    (t && (rc = ps_txn_put(t, m, d)) != 0))
			goto done;
		if (show(&text, o->table, m) == -1) {
			rc = ps_diag_nomem(d);
			goto done;
		}
		ps_node_free(m);
		m = NULL;
	}
	if (t == NULL || pl.proposals + pl.callbacks == 0) {
		fwrite(text.s ? text.s : "", 1, text.len, out);
		goto done;
	}
	if (pl.callbacks == 0)
		snprintf(subject, sizeof(subject), "ps-match: propose %d "
		    "match%s", pl.proposals, pl.proposals == 1 ? "" : "es");
	else if (pl.proposals == 0)
		snprintf(subject, sizeof(subject), "ps-match: assign %d "
		    "callback%s", pl.callbacks, pl.callbacks == 1 ? "" : "s");
	else
		snprintf(subject, sizeof(subject), "ps-match: propose %d "
		    "match%s, assign %d callback%s", pl.proposals,
		    pl.proposals == 1 ? "" : "es", pl.callbacks,
		    pl.callbacks == 1 ? "" : "s");
	rc = commit_msg(t, o, subject, &text, out, d);
done:
	ps_strv_free(gaps, ngaps);
	ps_plan_release(&pl);
	ps_node_free(m);
	ps_txn_free(t);
	ps_buf_release(&text);
	ps_buf_release(&why);
	return rc;
}


/* Where a field of a proposal read from stdin is (the proposal's place
   for the proposal itself). */
static const struct ps_place *
place(struct ps_place *at, const struct ps_node *m, const char *path)
{
	const struct ps_node *n = path ? ps_node_get(m, path) : NULL;

	at->file = "stdin";
	at->line = n ? n->line : m->line;
	at->col = n ? n->col : m->col;
	at->path = path;
	return at;
}

/* Proposals read back from a pipe, checked again, stored as they are. */
static int
commit_stream(struct ps_plan_world *w, const struct ps_match_opts *o, FILE *out,
    struct ps_diags *d)
{
	struct ps_yaml_reader *r = NULL;
	struct ps_buf text = PS_BUF_INIT, rel = PS_BUF_INIT;
	struct ps_txn *t = NULL;
	struct ps_node *m = NULL;
	struct ps_match_person *p, *v;
	unsigned char *used = NULL;
	enum ps_hard h;
	char subject[200];
	size_t n = 0, bad = 0;
	int rc, nc = 0;

	if ((used = calloc(w->np + 1, 1)) == NULL)
		return ps_diag_nomem(d);
	if ((rc = ps_txn_begin(&t, w->s, d)) != 0 ||
	    (rc = ps_yaml_reader_fd(&r, o->in_fd, "stdin", PS_YAML_SPLIT_SEQ,
	    d)) != 0)
		goto done;
	while ((rc = ps_yaml_reader_next(r, &m, d)) == 0 && m) {
		const char *id = ps_record_id(m), *st;
		struct ps_place at;

		n++;
		if (!ps_streq(ps_record_kind(m), "match") ||
		    ps_record_check(w->s->schemas, m, "stdin", d)) {
			if (!ps_streq(ps_record_kind(m), "match"))
				ps_diag_at(d, PS_REFUSED, place(&at, m,
				    "kind"), "not a match proposal");
			bad++;
			goto next;
		}
		st = ps_node_get_str(m, "status");
		p = ps_plan_find_person(w->p, w->np, ps_node_get_str(m,
		    "participant"));
		v = ps_plan_find_person(w->v, w->nv, ps_node_get_str(m,
		    "volunteer"));
		ps_buf_truncate(&rel, 0);
		ps_buf_printf(&rel, "matches/%s.yaml", id);
		if (!ps_streq(st, "proposed") && !ps_streq(st, "callback-open"))
			ps_diag_at(d, PS_REFUSED, place(&at, m, "status"),
			    "not a proposal: must be proposed or "
			    "callback-open");
		else if (ps_txn_taken(t, rel.s))
			ps_diag_at(d, PS_REFUSED, place(&at, m, "id"),
			    "already stored");
		else if (p == NULL || used[p - w->p])
			ps_diag_at(d, PS_REFUSED, place(&at, m, "participant"),
			    "no longer waiting for a match");
		else if (v == NULL || w->left[v - w->v] <= 0)
			ps_diag_at(d, PS_REFUSED, place(&at, m, "volunteer"),
			    "not active or has no capacity left");
		else if ((h = ps_match_check(w->ctx, p, v)) != PS_HARD_NONE)
			ps_diag_at(d, PS_REFUSED, place(&at, m, NULL),
			    "the pair is no longer allowed: hard constraint "
			    "\"%s\" fails", ps_match_hard_name(h));
		else {
			used[p - w->p] = 1;
			w->left[v - w->v]--;
			nc += ps_streq(st, "callback-open");
			if ((rc = ps_txn_put(t, m, d)) != 0)
				goto done;
			if (show(&text, o->table, m) == -1) {
				rc = ps_diag_nomem(d);
				goto done;
			}
			goto next;
		}
		bad++;
next:
		ps_node_free(m);
		m = NULL;
	}
	if (rc != 0)
		goto done;
	if (bad) {
		rc = PS_REFUSED;
		goto done;
	}
	if (n == 0) {
		rc = -1;	/* nothing on stdin: propose, then store */
		goto done;
	}
	snprintf(subject, sizeof(subject), "ps-match: store %zu proposal%s",
	    n, n == 1 ? "" : "s");
	if (nc)
		snprintf(subject, sizeof(subject), "ps-match: store %zu "
		    "proposal%s (%d callback%s)", n, n == 1 ? "" : "s", nc,
		    nc == 1 ? "" : "s");
	if (o->table)
		table_head(out);
	rc = commit_msg(t, o, subject, &text, out, d);
done:
	ps_node_free(m);
	ps_yaml_reader_free(r);
	ps_txn_free(t);
	ps_buf_release(&text);
	ps_buf_release(&rel);
	free(used);
	return rc;
}

/* The one participant named, waiting for a match, or a refusal. */
static int
the_participant(struct ps_plan_world *w, const char *id,
    struct ps_match_person **out, struct ps_diags *d)
{
	struct ps_node *rec = NULL;
	int rc;

	if ((*out = ps_plan_find_person(w->p, w->np, id)) != NULL)
		return 0;
	if ((rc = ps_store_get(w->s, id, &rec, d)) != 0)
		return rc;
	if (!ps_streq(ps_record_kind(rec), "participant"))
		rc = ps_diag_err(d, PS_REFUSED, "%s: not a participant", id);
	else
		rc = ps_diag_err(d, PS_REFUSED, "%s: not waiting for a match "
		    "(%s)", id, ps_plan_busy(w, id) ? "has an open match" :
		    ps_status_participant_waiting(ps_node_get_str(rec,
		    "status")) ? "onboarding not complete" :
		    ps_node_get_str(rec, "status"));
	ps_node_free(rec);
	return rc;
}

struct ranked {
	size_t		 j;
	const char	*id;
	double		 score;
};

/* Best score first; among equals, the lower ID. */
static int
by_score(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return strcmp(x->id, y->id);
}

/*
 * What a participant choosing a mentor may see: the x-public profile,
 * under a score that reads none of the volunteer's x-sensitive fields
 * (rules/match.h), so that neither the score, nor the order, nor which
 * volunteers make the first k, says anything of them.
 */
static int
candidates(struct ps_plan_world *w, const struct ps_match_opts *o, FILE *out,
    struct ps_diags *d)
{
	struct ps_match_person *p;
	struct ranked *r;
	struct ps_node *prof;
	struct ps_buf text = PS_BUF_INIT;
	char num[32];
	size_t j, n = 0;
	unsigned set;
	int rc;

	if ((rc = the_participant(w, o->id, &p, d)) != 0)
		return rc;
	if ((r = calloc(w->nv + 1, sizeof(*r))) == NULL)
		return ps_diag_nomem(d);
	set = ps_match_public(ps_schemas_get(w->s->schemas, "volunteer"));
	for (j = 0; j < w->nv; j++)
		if (ps_match_check(w->ctx, p, &w->v[j]) == PS_HARD_NONE) {
			r[n].j = j;
			r[n].id = w->v[j].id;
			r[n++].score = ps_match_score_with(w->ctx, set, p,
			    &w->v[j], NULL);
		}
	ps_mem_sort(r, n, sizeof(*r), by_score);
	if (n > (size_t)o->k)
		n = (size_t)o->k;
	if (o->table)
		fprintf(out, "%-9s  %-6s  %-20s  %s\n", "VOLUNTEER", "SCORE",
		    "FIRST NAME", "LANGUAGES");
	for (j = 0; j < n && rc == 0; j++) {
		const struct ps_match_person *v = &w->v[r[j].j];
		const struct ps_node *l;
		size_t i;

		ps_match_points(num, r[j].score);
		prof = ps_node_get(v->rec, "public_profile");
		l = ps_node_get(prof, "languages");
		if (o->table) {
			fprintf(out, "%-9s  %-6s  %-20s  ", v->id, num,
			    ps_node_get_str(prof, "first_name") ?
			    ps_node_get_str(prof, "first_name") : "-");
			for (i = 0; l && i < l->n; i++)
				fprintf(out, "%s%s", i ? ", " : "",
				    l->vals[i]->str);
			fputc('\n', out);
			continue;
		}
		ps_buf_truncate(&text, 0);
		ps_buf_printf(&text, "---\nvolunteer: %s\nscore: %s\n", v->id,
		    num);
		if (prof && prof->n && ps_yaml_write(&text, prof) == -1)
			rc = ps_diag_nomem(d);
		fwrite(text.s, 1, text.len, out);
	}
	if (n == 0)
		ps_diag_warn(d, "%s: no suitable volunteer has capacity", o->id);
	ps_buf_release(&text);
	free(r);
	return rc;
}

/* The participant's choice, stored as a proposal. */
static int
choose(struct ps_plan_world *w, const struct ps_match_opts *o, FILE *out,
    struct ps_diags *d)
{
	struct ps_match_person *p, *v;
	struct ps_buf text = PS_BUF_INIT;
	struct ps_txn *t = NULL;
	struct ps_node *m = NULL;
	char subject[200], what[64];
	enum ps_hard h;
	int rc;

	if ((rc = the_participant(w, o->id, &p, d)) != 0)
		return rc;
	if ((v = ps_plan_find_person(w->v, w->nv, o->volunteer)) == NULL)
		return ps_diag_err(d, PS_REFUSED, "%s: not an active volunteer "
		    "with capacity left", o->volunteer);
	if ((h = ps_match_check(w->ctx, p, v)) != PS_HARD_NONE)
		return ps_diag_err(d, PS_REFUSED, "%s: cannot be matched with "
		    "%s: hard constraint \"%s\" fails", o->id, o->volunteer,
		    ps_match_hard_name(h));
	if ((rc = ps_txn_begin(&t, w->s, d)) != 0 ||
	    (rc = new_match(w, t, p, v, "participant", &m, d)) != 0 ||
	    (rc = ps_txn_put(t, m, d)) != 0)
		goto done;
	snprintf(what, sizeof(what), "proposed (%s chose %s)", p->id, v->id);
	if (ps_record_written(&text, m, o->table, what) == -1) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	snprintf(subject, sizeof(subject), "ps-match: choose %s (%s chose %s)",
	    ps_record_id(m), p->id, v->id);
	rc = commit_msg(t, o, subject, &text, out, d);
done:
	ps_node_free(m);
	ps_txn_free(t);
	ps_buf_release(&text);
	return rc;
}

/* The match named, of the right kind, or a refusal. */
static int
the_match(struct ps_plan_world *w, const char *id, struct ps_node **m,
    struct ps_diags *d)
{
	int rc;

	if ((rc = ps_store_get(w->s, id, m, d)) != 0)
		return rc;
	if (ps_streq(ps_record_kind(*m), "match"))
		return 0;
	rc = ps_diag_err(d, PS_REFUSED, "%s: not a match", id);
	ps_node_free(*m);
	*m = NULL;
	return rc;
}

static const char *const brief_default[] = { "name.first", "contact.phone",
    "role", "context", NULL };

static const struct {
	const char	*path;
	const char	*label;
} brief_labels[] = {
	{ "name.first", "First name" }, { "name.preferred", "Goes by" },
	{ "contact.phone", "Phone" }, { "contact.email", "Email" },
	{ "contact.preferred_modes", "Prefers" },
	{ "contact.best_times", "Best times" }, { "role", "Role" },
	{ "languages", "Languages" }, { "topics", "Topics" },
	{ "availability", "Available" }, { "region", "Region" },
	{ "timezone", "Time zone" }, { "context", "In their own words" },
	{ NULL, NULL }
};

static void
brief_field(FILE *out, const struct ps_node *rec, const char *path)
{
	const struct ps_node *n = ps_node_get(rec, path);
	const char *label = path;
	size_t i;

	for (i = 0; brief_labels[i].path; i++)
		if (ps_streq(brief_labels[i].path, path))
			label = brief_labels[i].label;
	if (n == NULL)
		return;
	fprintf(out, "%-19s ", label);
	if (n->type == PS_NODE_SCALAR) {
		const char *p = n->str, *nl;

		/* lines after the first under the first, not at column 0 */
		while ((nl = strchr(p, '\n')) != NULL && nl[1] != '\0') {
			fprintf(out, "%.*s\n%20s", (int)(nl - p), p, "");
			p = nl + 1;
		}
		fprintf(out, "%.*s\n", (int)strcspn(p, "\n"), p);
	}
	else {
		for (i = 0; n->type == PS_NODE_SEQ && i < n->n; i++)
			fprintf(out, "%s%s", i ? ", " : "", n->vals[i]->str);
		fputc('\n', out);
	}
}

/* The introduction a volunteer receives: only what the programme allows. */
static int
brief(struct ps_plan_world *w, const struct ps_match_opts *o, FILE *out,
    struct ps_diags *d)
{
	const struct ps_node *allow = ps_node_get(w->prog, "matching.brief");
	const struct ps_node *st;
	struct ps_node *m = NULL, *p = NULL;
	size_t i;
	int rc;

	if ((rc = the_match(w, o->id, &m, d)) != 0)
		return rc;
	if (!ps_status_match_open(ps_node_get_str(m, "status"))) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: not open (status %s)",
		    o->id, ps_node_get_str(m, "status"));
		goto done;
	}
	if ((rc = ps_store_get(w->s, ps_node_get_str(m, "participant"), &p,
	    d)) != 0)
		goto done;
	st = ps_program_stream(w->prog, ps_node_get_str(m, "stream"));
	fprintf(out, "Introduction for %s: match %s, %s stream\n\n",
	    ps_node_get_str(m, "volunteer"), o->id,
	    ps_node_get_str(m, "stream"));
	fprintf(out, "%-19s %s\n", "Participant", ps_record_id(p));
	if (allow)
		for (i = 0; i < allow->n; i++)
			brief_field(out, p, allow->vals[i]->str);
	else
		for (i = 0; brief_default[i]; i++)
			brief_field(out, p, brief_default[i]);
	if (ps_node_get_str(m, "callback.due"))
		fprintf(out, "%-19s %s\n", "Call by", ps_node_get_str(m,
		    "callback.due"));
	if (ps_streq(ps_node_get_str(st, "first_contact"), "volunteer"))
		fprintf(out, "\nYou make the first contact.%s\nThe participant "
		    "does not receive your contact details.\n",
		    ps_streq(ps_node_get_str(st, "blocked_number"), "true") ?
		    " Call from a blocked number." : "");
	else if (ps_streq(ps_node_get_str(st, "first_contact"), "participant"))
		fprintf(out, "\nThe participant contacts you first, through "
		    "the programme.\n");
	else
		fprintf(out, "\nThe coordinator introduces you to each other "
		    "first.\n");
	if (ps_node_get_str(st, "call_limit_minutes"))
		fprintf(out, "One call of at most %s minutes.\n",
		    ps_node_get_str(st, "call_limit_minutes"));
	fprintf(out, "Peer support is not counselling and gives no medical "
	    "advice.\n");
done:
	ps_node_free(m);
	ps_node_free(p);
	return rc;
}

static const char *const closing_ends[] = { "completed",
    "participant-request", "moved-on", NULL };

static int
listed(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (ps_streq(*l, s))
			return 1;
	return 0;
}

/*
 * What a match's summary line says changed (ps_record_summary): accepted,
 * with whom; declined; ended, and why (one of the schema's reasons);
 * extended, to when. Never a reason given in words.
 */
static void
changed(const struct ps_match_opts *o, const struct ps_node *m, char *what,
    size_t len)
{
	if (o->action == PS_MATCH_ACCEPT)
		snprintf(what, len, "accepted (%s with %s)",
		    ps_node_get_str(m, "participant"),
		    ps_node_get_str(m, "volunteer"));
	else if (o->action == PS_MATCH_DECLINE)
		snprintf(what, len, "declined");
	else if (o->action == PS_MATCH_END)
		snprintf(what, len, "ended (%s)", ps_node_get_str(m,
		    "end_reason"));
	else
		snprintf(what, len, "extended to %s", ps_node_get_str(m,
		    "planned_end"));
}

/* Accept, decline, end or extend one match; one commit. */
static int
lifecycle(struct ps_plan_world *w, const struct ps_match_opts *o, FILE *out,
    struct ps_diags *d)
{
	static const char *const verbs[] = { [PS_MATCH_ACCEPT] = "accept",
	    [PS_MATCH_DECLINE] = "decline", [PS_MATCH_END] = "end",
	    [PS_MATCH_EXTEND] = "extend" };
	const char *st, *pst, *staff = o->action == PS_MATCH_DECLINE ? NULL :
	    o->by;
	const struct ps_node *stream;
	struct ps_node *m = NULL, *p = NULL, *e;
	struct ps_buf text = PS_BUF_INIT;
	struct ps_txn *t = NULL;
	char day[11], until[11], num[32], subject[200], what[64];
	long end, received;
	int rc;

	if ((rc = the_match(w, o->id, &m, d)) != 0)
		return rc;
	st = ps_node_get_str(m, "status");
	if ((rc = ps_store_get(w->s, ps_node_get_str(m, "participant"), &p,
	    d)) != 0)
		goto done;
	pst = ps_node_get_str(p, "status");
	stream = ps_program_stream(w->prog, ps_node_get_str(m, "stream"));
	ps_date_format(day, w->today);
	if ((o->action == PS_MATCH_ACCEPT || o->action == PS_MATCH_DECLINE) &&
	    !ps_streq(st, "proposed")) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: not a proposal (status "
		    "%s)", o->id, st);
		goto done;
	}
	if ((o->action == PS_MATCH_END || o->action == PS_MATCH_EXTEND) &&
	    !ps_streq(st, "active") && !(o->action == PS_MATCH_END &&
	    ps_streq(st, "callback-open"))) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: not active (status %s)",
		    o->id, st);
		goto done;
	}
	rc = -1;
	switch (o->action) {
	case PS_MATCH_ACCEPT:
		if (ps_streq(pst, "withdrawn") || ps_streq(pst, "closed") ||
		    ps_streq(pst, "matched")) {
			rc = ps_diag_err(d, PS_REFUSED, "%s: participant %s is "
			    "%s", o->id, ps_record_id(p), pst);
			goto done;
		}
		if (ps_date_parse_days(ps_node_get_str(p, "received"),
		    &received) == -1)
			received = w->today;
		snprintf(num, sizeof(num), "%ld", w->today - received);
		end = w->today + (ps_node_get_str(stream, "match_length_days") ?
		    atol(ps_node_get_str(stream, "match_length_days")) : 183);
		ps_date_format(until, end);
		if (ps_record_set_status(m, "active", w->now, staff,
		    "ps-match", NULL) ||
		    ps_node_set_plain(m, "accepted", w->now) ||
		    ps_node_set_plain(m, "planned_end", until) ||
		    ps_node_set_plain(m, "days_to_match", num) ||
		    ps_record_set_status(p, "matched", w->now, staff,
		    "ps-match", NULL))
			goto nomem;
		break;
	case PS_MATCH_DECLINE:
		if (ps_record_set_status(m, "declined", w->now, NULL,
		    "ps-match", NULL) ||
		    ps_node_set_plain(m, "declined.date", day) ||
		    ps_node_set_str(m, "declined.by", o->by) ||
		    (o->reason && ps_node_set_str(m, "declined.reason",
		    o->reason)))
			goto nomem;
		break;
	case PS_MATCH_END:
		if (ps_record_set_status(m, "ended", w->now, NULL, "ps-match",
		    NULL) || ps_node_set_plain(m, "ended", w->now) ||
		    ps_node_set_str(m, "end_reason", o->reason))
			goto nomem;
		if (listed(closing_ends, o->reason)) {
			if (ps_record_set_status(p, "closed", w->now, NULL,
			    "ps-match", NULL) ||
			    ps_node_set_plain(p, "closed", day))
				goto nomem;
		} else if (ps_record_set_status(p, "waiting", w->now, NULL,
		    "ps-match", NULL))
			goto nomem;
		break;
	case PS_MATCH_EXTEND:
		if (ps_date_parse_days(ps_node_get_str(m, "planned_end"),
		    &end) == -1)
			end = w->today;
		ps_date_format(until, end + o->days);
		snprintf(num, sizeof(num), "%ld", o->days);
		if ((e = ps_node_new_map()) == NULL ||
		    ps_node_set_plain(e, "date", day) ||
		    ps_node_set_plain(e, "by_days", num) ||
		    ps_node_set_plain(e, "until", until) ||
		    (ps_node_get(m, "extended") == NULL &&
		    ps_node_map_set(m, "extended", ps_node_new_seq()))) {
			ps_node_free(e);
			goto nomem;
		}
		if (ps_node_seq_append(ps_node_get(m, "extended"), e) ||
		    ps_node_set_plain(m, "planned_end", until))
			goto nomem;	/* e taken, or freed */
		break;
	default:
		break;
	}
	if (ps_record_check(w->s->schemas, m, o->id, d) ||
	    ps_record_check(w->s->schemas, p, ps_record_id(p), d)) {
		rc = PS_REFUSED;
		goto done;
	}
	if ((rc = ps_txn_begin(&t, w->s, d)) != 0 ||
	    (rc = ps_txn_put(t, m, d)) != 0 ||
	    ((o->action == PS_MATCH_ACCEPT || o->action == PS_MATCH_END) &&
	    (rc = ps_txn_put(t, p, d)) != 0))
		goto done;
	changed(o, m, what, sizeof(what));
	if (ps_record_written(&text, m, o->table, what) == -1)
		goto nomem;
	snprintf(subject, sizeof(subject), "ps-match: %s %s (%s with %s)",
	    verbs[o->action], o->id, ps_node_get_str(m, "participant"),
	    ps_node_get_str(m, "volunteer"));
	rc = commit_msg(t, o, subject, &text, out, d);
	goto done;
nomem:
	rc = ps_diag_nomem(d);
done:
	ps_node_free(m);
	ps_node_free(p);
	ps_txn_free(t);
	ps_buf_release(&text);
	return rc;
}

struct overdue {
	long	 today;
	int	 table;
	FILE	*out;
	struct ps_buf b;
};

static int
overdue_one(void *arg, const char *rel, struct ps_node *m, struct ps_diags *d)
{
	struct overdue *od = arg;
	long due;

	(void)rel;
	if (!ps_streq(ps_node_get_str(m, "status"), "callback-open") ||
	    ps_date_parse_days(ps_node_get_str(m, "callback.due"),
	    &due) == -1 ||
	    due >= od->today)
		return 0;
	if (od->table) {
		fprintf(od->out, "%-8s  %-11s  %-9s  %-10s  %ld\n",
		    ps_record_id(m), ps_node_get_str(m, "participant"),
		    ps_node_get_str(m, "volunteer"), ps_node_get_str(m,
		    "callback.due"), od->today - due);
		return 0;
	}
	ps_buf_truncate(&od->b, 0);
	if (ps_record_emit(&od->b, m) == -1)
		return ps_diag_nomem(d);
	fwrite(od->b.s, 1, od->b.len, od->out);
	return 0;
}

int
ps_matchop_run(struct ps_store *s, const struct ps_ids *only,
    const struct ps_match_opts *o, FILE *out, struct ps_diags *d)
{
	struct ps_plan_world w;
	struct ps_ids one = PS_IDS_INIT;
	int rc;

	if (o->action == PS_MATCH_OVERDUE) {
		struct overdue od = { 0, o->table, out, PS_BUF_INIT };
		char now[26];

		if (ps_tz_format(ps_node_get_str(s->program, "timezone"),
		    ps_date_now(), now, &od.today) == -1)
			return ps_diag_err(d, PS_STORE, "program.yaml: no such "
			    "time zone on this system");
		if (o->table)
			fprintf(out, "%-8s  %-11s  %-9s  %-10s  %s\n", "MATCH",
			    "PARTICIPANT", "VOLUNTEER", "DUE", "DAYS LATE");
		rc = ps_store_each(s, "match", 0, overdue_one, &od, d);
		ps_buf_release(&od.b);
		return rc;
	}
	if (o->stream && ps_program_stream(s->program, o->stream) == NULL)
		return ps_diag_err(d, PS_REFUSED, "--stream: the programme has "
		    "no stream \"%s\"", o->stream);
	if ((o->action == PS_MATCH_CANDIDATES || o->action == PS_MATCH_CHOOSE) &&
	    (rc = ps_ids_add(&one, o->id, d)) != 0)
		return rc;
	if ((rc = ps_plan_world_load(&w, s, one.n ? &one : only, o->stream,
	    o->weights, !(o->action == PS_MATCH_BRIEF ||
	    o->action >= PS_MATCH_ACCEPT), d)) != 0)
		goto done;
	switch (o->action) {
	case PS_MATCH_PROPOSE:
	case PS_MATCH_GAPS:
		rc = propose(&w, o, out, d);
		break;
	case PS_MATCH_COMMIT:
		if ((rc = commit_stream(&w, o, out, d)) == -1)
			rc = propose(&w, o, out, d);
		break;
	case PS_MATCH_CANDIDATES:
		rc = candidates(&w, o, out, d);
		break;
	case PS_MATCH_CHOOSE:
		rc = choose(&w, o, out, d);
		break;
	case PS_MATCH_BRIEF:
		rc = brief(&w, o, out, d);
		break;
	default:
		rc = lifecycle(&w, o, out, d);
		break;
	}
done:
	ps_plan_world_release(&w);
	ps_ids_release(&one);
	return rc;
}
