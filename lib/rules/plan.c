/* plan: the matching plan; see plan.h. */
#include <limits.h>
#include <stdio.h>
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
#include "rules/assign.h"
#include "rules/match.h"
#include "rules/plan.h"
#include "rules/screen.h"
#include "rules/status.h"

#define RECENT_DAYS	30	/* OneCall load: callbacks this recent */

/* Why no volunteer was left, by the constraint that stopped them all:
   "no free <stream> volunteer " and the words. Free: active, screened,
   nothing expired, capacity left. */
static const char *const why_words[PS_HARD_COUNT] = {
	[PS_HARD_LANGUAGE] = "speaks their language",
	[PS_HARD_MODE] = "offers a contact mode they accept",
	[PS_HARD_ROLE] = "has the lived-experience role asked for",
	[PS_HARD_GENDER] = "is of the gender asked for",
	[PS_HARD_AGE] = "is in the age band asked for",
	[PS_HARD_REGION] = "is in their region",
	[PS_HARD_EXCLUDED] = "is left once their exclusions apply",
	[PS_HARD_DECLINED] = "is left once declined pairs are set aside"
};

static int
cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

static int
bag_add(struct ps_plan_ids *b, const char *id)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 64;
		void *v = reallocarray(b->v, cap, sizeof(*b->v));

		if (v == NULL)
			return -1;
		b->v = v;
		b->cap = cap;
	}
	snprintf(b->v[b->n++], PS_ID_LEN + 1, "%s", id);
	return 0;
}

static size_t
bag_count(const struct ps_plan_ids *b, const char *id)
{
	size_t lo = 0, hi = b->n, mid, n = 0;

	while (lo < hi) {	/* the first not below id */
		mid = (lo + hi) / 2;
		if (strcmp(b->v[mid], id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	while (lo + n < b->n && strcmp(b->v[lo + n], id) == 0)
		n++;
	return n;
}

void
ps_plan_world_release(struct ps_plan_world *w)
{
	size_t i;

	for (i = 0; i < w->nown; i++)
		ps_node_free(w->own[i]);
	free(w->own);
	free(w->open.v);
	free(w->recent.v);
	free(w->busy.v);
	free(w->p);
	free(w->v);
	free(w->left);
	ps_node_free(w->matching);
	ps_match_ctx_free(w->ctx);
}

/*
 * Keep a record the source passed: taken from it when the source frees
 * its records after (the store), else copied (a source that keeps them).
 */
static int
keep(struct ps_plan_world *w, struct ps_node *rec, struct ps_node **out)
{
	if (w->nown == w->capown) {
		size_t cap = w->capown ? 2 * w->capown : 256;
		void *v = reallocarray(w->own, cap, sizeof(*w->own));

		if (v == NULL)
			return -1;
		w->own = v;
		w->capown = cap;
	}
	if ((*out = w->take ? ps_node_take(rec) : ps_node_dup(rec)) == NULL)
		return -1;
	w->own[w->nown++] = *out;
	return 0;
}

static int
add_person(struct ps_plan_world *w, struct ps_match_person **v, size_t *n,
    size_t *cap, struct ps_node *rec, struct ps_diags *d)
{
	struct ps_node *copy;

	if (*n == *cap) {
		size_t c = *cap ? 2 * *cap : 256;
		void *nv = reallocarray(*v, c, sizeof(**v));

		if (nv == NULL)
			return ps_diag_nomem(d);
		*v = nv;
		*cap = c;
	}
	if (keep(w, rec, &copy) == -1)
		return ps_diag_nomem(d);
	return ps_match_person_init(w->ctx, &(*v)[(*n)++], copy, d);
}

static int
read_match(void *arg, const char *rel, struct ps_node *m, struct ps_diags *d)
{
	struct ps_plan_world *w = arg;
	const char *st = ps_node_get_str(m, "status");
	const char *p = ps_node_get_str(m, "participant");
	const char *v = ps_node_get_str(m, "volunteer");
	const char *why = ps_node_get_str(m, "end_reason");
	long day;

	(void)rel;
	if (p == NULL || v == NULL)
		return 0;
	if (ps_status_match_open(st) && (bag_add(&w->open, v) ||
	    bag_add(&w->busy, p)))
		return ps_diag_nomem(d);
	if (ps_node_get(m, "callback") &&
	    ps_date_parse_days(ps_node_get_str(m, "proposed"), &day) == 0 &&
	    day > w->today - RECENT_DAYS && bag_add(&w->recent, v))
		return ps_diag_nomem(d);
	if ((ps_streq(st, "declined") || (ps_streq(st, "ended") && why &&
	    !ps_streq(why, "completed"))) && ps_match_forbid(w->ctx, p, v))
		return ps_diag_nomem(d);
	return 0;
}

static int
read_volunteer(void *arg, const char *rel, struct ps_node *rec,
    struct ps_diags *d)
{
	struct ps_plan_world *w = arg;
	long cap, open;

	(void)rel;
	cap = ps_status_capacity(ps_node_get_str(rec, "capacity"), w->prog);
	open = (long)bag_count(&w->open, ps_record_id(rec));
	if (!ps_status_volunteer_free(ps_node_get_str(rec, "status"),
	    ps_screen_expiry(rec, NULL), w->today, cap, open))
		return 0;
	if (w->nv == w->capv) {
		int *l = reallocarray(w->left, w->capv ? 2 * w->capv : 256,
		    sizeof(*l));

		if (l == NULL)
			return ps_diag_nomem(d);
		w->left = l;
	}
	w->left[w->nv] = (int)(cap - open);
	return add_person(w, &w->v, &w->nv, &w->capv, rec, d);
}

/* The stream's rule for a participant; NULL if the stream is gone. */
static const struct ps_node *
stream_of(const struct ps_plan_world *w, const struct ps_node *rec)
{
	return ps_program_stream(w->prog, ps_node_get_str(rec, "stream"));
}

/* Is the participant waiting, onboarded, and without an open match? */
static int
waiting(const struct ps_plan_world *w, const struct ps_node *rec)
{
	const char *st = ps_node_get_str(rec, "status");
	struct ps_buf b = PS_BUF_INIT;
	size_t missing;

	if (!ps_status_participant_waiting(st))
		return 0;
	if (stream_of(w, rec) == NULL ||
	    bag_count(&w->busy, ps_record_id(rec)))
		return 0;
	missing = ps_screen_missing(w->prog, rec, w->today, &b);
	ps_buf_release(&b);
	return missing == 0;
}

static int
wanted(const struct ps_plan_world *w, const char *id)
{
	size_t i;

	if (w->only == NULL || w->only->n == 0)
		return 1;
	for (i = 0; i < w->only->n; i++)
		if (ps_streq(w->only->v[i], id))
			return 1;
	return 0;
}

static int
read_participant(void *arg, const char *rel, struct ps_node *rec,
    struct ps_diags *d)
{
	struct ps_plan_world *w = arg;

	(void)rel;
	if (!wanted(w, ps_record_id(rec)) || !waiting(w, rec) ||
	    (w->stream && !ps_streq(ps_node_get_str(rec, "stream"), w->stream)))
		return 0;
	return add_person(w, &w->p, &w->np, &w->capp, rec, d);
}

/* The matching rules from --weights FILE, checked as program.yaml's. */
static int
load_weights(struct ps_plan_world *w, const char *file, struct ps_diags *d)
{
	struct ps_node *prog = NULL, *m = NULL;
	int rc;

	if ((rc = ps_yaml_load_file(&m, file, NULL, PS_YAML_ONE_DOC, d)) != 0)
		return rc;
	if (m == NULL || m->type != PS_NODE_MAP) {
		ps_node_free(m);
		return ps_diag_add(d, PS_REFUSED, file, 1, 1, NULL, "not a "
		    "mapping of matching rules (hard, weights...)");
	}
	if ((prog = ps_node_dup(w->prog)) == NULL) {
		ps_node_free(m);
		return ps_diag_nomem(d);
	}
	if (ps_node_map_set(prog, "matching", m) == -1) {	/* m freed */
		ps_node_free(prog);
		return ps_diag_nomem(d);
	}
	if (ps_schema_validate(ps_schemas_get(w->s->schemas, "program"), prog,
	    file, d))
		rc = PS_REFUSED;
	else if ((w->matching = ps_node_dup(ps_node_get(prog, "matching"))) ==
	    NULL)
		rc = ps_diag_nomem(d);
	ps_node_free(prog);
	return rc;
}

/* Records of a kind from the store's work tree. */
static int
store_source(void *src, const char *kind, ps_store_fn fn, void *arg,
    struct ps_diags *d)
{
	return ps_store_each(src, kind, 0, fn, arg, d);
}

/* Matches first (open counts, pairs set aside), then the people. */
static int
world_read(struct ps_plan_world *w, ps_plan_source each, void *src,
    struct ps_diags *d)
{
	int rc;

	if ((rc = each(src, "match", read_match, w, d)) != 0)
		return rc;
	ps_mem_sort(w->open.v, w->open.n, sizeof(*w->open.v), cmp_id);
	ps_mem_sort(w->recent.v, w->recent.n, sizeof(*w->recent.v), cmp_id);
	ps_mem_sort(w->busy.v, w->busy.n, sizeof(*w->busy.v), cmp_id);
	if ((rc = each(src, "volunteer", read_volunteer, w, d)) != 0)
		return rc;
	return each(src, "participant", read_participant, w, d);
}

int
ps_plan_world_load(struct ps_plan_world *w, struct ps_store *s,
    const struct ps_ids *only, const char *stream, const char *weights,
    int people, struct ps_diags *d)
{
	const char *tz;
	git_oid oid;
	int rc;

	memset(w, 0, sizeof(*w));
	w->s = s;
	w->prog = s->program;
	w->only = only;
	w->stream = stream;
	tz = ps_node_get_str(w->prog, "timezone");
	if (ps_tz_format(tz, ps_date_now(), w->now, &w->today) == -1)
		return ps_diag_err(d, PS_STORE, "program.yaml: no such time "
		    "zone on this system");
	if (git_reference_name_to_id(&oid, s->repo, "HEAD") == 0)
		git_oid_tostr(w->head, sizeof(w->head), &oid);
	w->weights = weights;
	if (weights && (rc = load_weights(w, weights, d)) != 0)
		return rc;
	if ((rc = ps_match_ctx_new(&w->ctx, w->prog, w->matching, w->today,
	    d)) != 0 || !people)
		return rc;	/* one match: no need to read the store */
	w->take = 1;
	return world_read(w, store_source, s, d);
}

struct ps_match_person *
ps_plan_find_person(struct ps_match_person *v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ps_streq(v[i].id, id))
			return &v[i];
	return NULL;
}

/* The participant's own value behind a failed constraint, if not private. */
static void
constraint_value(const struct ps_match_person *p, enum ps_hard h,
    struct ps_buf *out)
{
	const struct ps_node *l = ps_node_get(p->rec, "languages");
	size_t i;

	if (h == PS_HARD_LANGUAGE && l && l->type == PS_NODE_SEQ && l->n) {
		ps_buf_printf(out, " (");
		for (i = 0; i < l->n; i++)
			ps_buf_printf(out, "%s%s", i ? ", " : "",
			    l->vals[i]->str);
		ps_buf_printf(out, ")");
	} else if (h == PS_HARD_ROLE)
		ps_buf_printf(out, " (%s)", ps_node_get_str(p->rec,
		    "preferences.volunteer_role.value"));
	else if (h == PS_HARD_REGION && ps_node_get_str(p->rec, "region"))
		ps_buf_printf(out, " (%s)", ps_node_get_str(p->rec, "region"));
}

/*
 * Why a participant got no proposal. The volunteers that came furthest
 * through the hard constraints (checked in order) name the one that
 * stopped them all; if some volunteer met them all, the optimum gave
 * every such volunteer to someone else.
 */
void
ps_plan_why_unmatched(const struct ps_plan_world *w,
    const struct ps_match_person *p, struct ps_buf *out)
{
	const char *stream = ps_node_get_str(p->rec, "stream");
	int furthest = -1, h;
	size_t j;

	for (j = 0; j < w->nv; j++) {
		if ((h = (int)ps_match_check(w->ctx, p, &w->v[j])) ==
		    PS_HARD_NONE) {
			ps_buf_printf(out, "the suitable %s volunteers all "
			    "went to others", stream);
			return;
		}
		if (h > furthest)
			furthest = h;
	}
	if (furthest <= PS_HARD_STREAM || furthest >= PS_HARD_COUNT) {
		ps_buf_printf(out, "no free volunteer serves the %s stream",
		    stream);
		return;
	}
	ps_buf_printf(out, "no free %s volunteer %s", stream,
	    why_words[furthest]);
	constraint_value(p, (enum ps_hard)furthest, out);
}

/* Streams with one-to-one matches or callbacks (not groups, drop-in). */
static int
matchable(const struct ps_node *stream)
{
	const char *t = ps_node_get_str(stream, "type");

	return ps_streq(t, "ongoing") || ps_streq(t, "seconded") || ps_streq(t, "single-call");
}

static int
choice_stream(const struct ps_node *stream)
{
	return ps_streq(ps_node_get_str(stream, "choice.enabled"), "true");
}

/*
 * The global optimum over the ongoing streams: each participant's edges
 * to the volunteers among its candidates (ps_match_candidates) that pass
 * the checks. PS_MATCH_DUMP=FILE, a debugging aid (tests/bench/bench.sh),
 * writes the instance solved as tests/bench/assign-peer.py reads it:
 * "n m", the m capacities left, then "i j score" for every eligible pair,
 * in millionths as lib/rules/assign.c has it.
 */
static int
plan_optimal(struct ps_plan_world *w, struct ps_plan *pl, struct ps_diags *d)
{
	const char *dump = getenv("PS_MATCH_DUMP");
	FILE *f = NULL;
	struct ps_match_index *x = NULL;
	struct ps_assign *a = NULL;
	uint64_t *cand = NULL, bits;
	size_t i, j, k;
	long long u;
	double s;
	long got;
	int rc = 0;

	if ((a = ps_assign_new(w->np, w->nv)) == NULL ||
	    ps_match_index_new(&x, w->ctx, w->v, w->nv) == -1 ||
	    (cand = calloc(ps_match_words(x) + 1, sizeof(*cand))) == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (dump && *dump && (f = fopen(dump, "w")) != NULL)
		fprintf(f, "%zu %zu\n", w->np, w->nv);
	for (j = 0; j < w->nv; j++) {
		ps_assign_capacity(a, j, w->left[j]);
		if (f)
			fprintf(f, "%d\n", w->left[j]);
	}
	for (i = 0; i < w->np; i++) {
		const struct ps_node *st = stream_of(w, w->p[i].rec);

		if (!matchable(st) || ps_program_single_call(st) || choice_stream(st))
			continue;
		ps_match_candidates(x, &w->p[i], cand);
		for (k = 0; k < ps_match_words(x); k++)
			for (bits = cand[k]; bits; bits &= bits - 1) {
				j = 64 * k + (size_t)__builtin_ctzll(bits);
				if (ps_match_check(w->ctx, &w->p[i], &w->v[j]) !=
				    PS_HARD_NONE)
					continue;
				s = ps_match_score(w->ctx, &w->p[i], &w->v[j],
				    NULL);
				if (ps_assign_edge(a, i, j, s) == -1) {
					rc = ps_diag_nomem(d);
					goto done;
				}
				if (f && (u = (long long)(s * 1e6 + 0.5)) > 0)
					fprintf(f, "%zu %zu %lld.%06lld\n", i, j,
					    u / 1000000, u % 1000000);
			}
	}
	if (f) {
		fclose(f);
		f = NULL;
	}
	if (ps_assign_solve(a) == -1) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	for (i = 0; i < w->np; i++)
		if ((got = ps_assign_left(a, i)) >= 0) {
			pl->vol[i] = got;
			w->left[got]--;
			pl->proposals++;
		}
done:
	if (f)
		fclose(f);
	free(cand);
	ps_match_index_free(x);
	ps_assign_free(a);
	return rc;
}

static int
by_received(const void *a, const void *b)
{
	const struct ps_match_person *x = *(const struct ps_match_person *
	    const *)a, *y = *(const struct ps_match_person *const *)b;

	int c;

	if (x->received != y->received)
		return x->received < y->received ? -1 : 1;
	c = strcmp(ps_node_get_str(x->rec, "received"),
	    ps_node_get_str(y->rec, "received"));
	return c ? c : strcmp(x->id, y->id);
}

/*
 * OneCall: oldest request first, each to the eligible volunteer with the
 * fewest callbacks in the last RECENT_DAYS (open or done, and those given
 * in this run), then the lowest ID.
 */
static int
plan_callbacks(struct ps_plan_world *w, struct ps_plan *pl, struct ps_diags *d)
{
	const struct ps_match_person **q;
	size_t i, j, n = 0, load, bestload = 0;
	long best, k;
	size_t *extra;

	if ((q = calloc(w->np + 1, sizeof(*q))) == NULL ||
	    (extra = calloc(w->nv + 1, sizeof(*extra))) == NULL) {
		free(q);
		return ps_diag_nomem(d);
	}
	for (i = 0; i < w->np; i++)
		if (ps_program_single_call(stream_of(w, w->p[i].rec)))
			q[n++] = &w->p[i];
	ps_mem_sort(q, n, sizeof(*q), by_received);
	for (i = 0; i < n; i++) {
		best = -1;
		for (j = 0; j < w->nv; j++) {
			if (w->left[j] <= 0 || ps_match_check(w->ctx, q[i],
			    &w->v[j]) != PS_HARD_NONE)
				continue;
			load = bag_count(&w->recent, w->v[j].id) + extra[j];
			if (best < 0 || load < bestload) {
				best = (long)j;
				bestload = load;
			}
		}
		if (best < 0)
			continue;
		k = q[i] - w->p;
		pl->vol[k] = best;
		w->left[best]--;
		extra[best]++;
		pl->callbacks++;
	}
	free(q);
	free(extra);
	return 0;
}

/* The plan: OneCall callbacks, then the optimum for ongoing streams. */
int
ps_plan_make(struct ps_plan_world *w, struct ps_plan *pl, struct ps_diags *d)
{
	size_t i;
	int rc;

	if ((pl->vol = malloc((w->np + 1) * sizeof(*pl->vol))) == NULL)
		return ps_diag_nomem(d);
	for (i = 0; i < w->np; i++)
		pl->vol[i] = -1;
	/* callbacks first: they are due in days, matches in weeks */
	if ((rc = plan_callbacks(w, pl, d)) != 0)
		return rc;
	return plan_optimal(w, pl, d);
}

/* Is participant i left out by the plan, and not by choice? */
int
ps_plan_left_out(const struct ps_plan_world *w, const struct ps_plan *pl,
    size_t i)
{
	const struct ps_node *st = stream_of(w, w->p[i].rec);

	return pl->vol[i] < 0 && matchable(st) && !(choice_stream(st) &&
	    !ps_program_single_call(st));
}

/* The reasons of everyone left out, sorted (for --gaps). */
int
ps_plan_reasons(const struct ps_plan_world *w, const struct ps_plan *pl,
    char ***out, size_t *n, struct ps_diags *d)
{
	struct ps_buf why = PS_BUF_INIT;
	size_t i;

	*n = 0;
	if ((*out = calloc(w->np + 1, sizeof(**out))) == NULL)
		return ps_diag_nomem(d);
	for (i = 0; i < w->np; i++) {
		if (!ps_plan_left_out(w, pl, i))
			continue;
		ps_buf_truncate(&why, 0);
		ps_plan_why_unmatched(w, &w->p[i], &why);
		/* why.s is NULL when memory ran out making it */
		if (why.s == NULL || ((*out)[(*n)++] = strdup(why.s)) == NULL) {
			ps_buf_release(&why);
			return ps_diag_nomem(d);
		}
	}
	ps_buf_release(&why);
	ps_mem_sort(*out, *n, sizeof(**out), ps_strcmpp);
	return 0;
}

int
ps_plan_gaps(struct ps_store *s, const struct ps_node *prog, long today,
    ps_plan_source each, void *src, char ***reasons, size_t *n,
    struct ps_diags *d)
{
	struct ps_plan pl = { NULL, 0, 0 };
	struct ps_plan_world w;
	int rc;

	*reasons = NULL;
	*n = 0;
	memset(&w, 0, sizeof(w));
	w.s = s;
	w.prog = prog;
	w.today = today;
	if ((rc = ps_match_ctx_new(&w.ctx, prog, NULL, today, d)) == 0 &&
	    (rc = world_read(&w, each, src, d)) == 0 &&
	    (rc = ps_plan_make(&w, &pl, d)) == 0)
		rc = ps_plan_reasons(&w, &pl, reasons, n, d);
	if (rc) {
		ps_strv_free(*reasons, *n);
		*reasons = NULL;
		*n = 0;
	}
	free(pl.vol);
	ps_plan_world_release(&w);
	return rc;
}

void
ps_plan_release(struct ps_plan *pl)
{
	free(pl->vol);
	pl->vol = NULL;
}

size_t
ps_plan_busy(const struct ps_plan_world *w, const char *id)
{
	return bag_count(&w->busy, id);
}
