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
#include "model/yaml.h"
#include "store/txn.h"
#include "rules/assign.h"
#include "rules/match.h"
#include "rules/screen.h"
#include "rules/status.h"
#include "ops/matchop.h"

#define RECENT_DAYS	30	/* OneCall load: callbacks this recent */


static int
cmp_id(const void *a, const void *b)
{
	return strcmp(a, b);
}

/* A sorted list of IDs, with repeats (open matches per volunteer). */
struct idbag {
	char	(*v)[PS_ID_LEN + 1];
	size_t	 n, cap;
};

static int
bag_add(struct idbag *b, const char *id)
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
bag_count(const struct idbag *b, const char *id)
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

/* Everything a matching decision needs, read once. */
struct world {
	struct ps_store		*s;
	const struct ps_node	*prog;
	struct ps_node		*matching;	/* --weights, or NULL */
	const char		*weights;	/* its file name */
	struct ps_match_ctx	*ctx;
	char			 now[26];
	long			 today;
	const char		*stream;
	const struct ps_ids	*only;
	struct idbag		 open;		/* volunteer per open match */
	struct idbag		 recent;	/* volunteer per recent callback */
	struct idbag		 busy;		/* participant per open match */
	struct ps_node		**own;		/* records kept */
	size_t			 nown, capown;
	int			 take;		/* ...taken from the source's */
	struct ps_match_person	*p, *v;
	size_t			 np, nv, capp, capv;
	int			*left;		/* capacity left, by volunteer */
	char			 head[GIT_OID_HEXSZ + 1];
};

static void
world_release(struct world *w)
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
keep(struct world *w, struct ps_node *rec, struct ps_node **out)
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
add_person(struct world *w, struct ps_match_person **v, size_t *n,
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
day_of(const char *s, long *out)
{
	struct ps_date dt;
	char day[11];

	if (s == NULL || strlen(s) < 10)
		return -1;
	memcpy(day, s, 10);
	day[10] = '\0';
	if (ps_date_parse(day, &dt) == -1)
		return -1;
	*out = ps_date_days(&dt);
	return 0;
}

static int
read_match(void *arg, const char *rel, struct ps_node *m, struct ps_diags *d)
{
	struct world *w = arg;
	const char *st = ps_node_get_str(m, "status");
	const char *p = ps_node_get_str(m, "participant");
	const char *v = ps_node_get_str(m, "volunteer");
	const char *why = ps_node_get_str(m, "end_reason");
	long day;

	(void)rel;
	if (p == NULL || v == NULL)
		return 0;
	if (ps_status_match_open(st) && (bag_add(&w->open, v) || bag_add(&w->busy, p)))
		return ps_diag_nomem(d);
	if (ps_node_get(m, "callback") &&
	    day_of(ps_node_get_str(m, "proposed"), &day) == 0 &&
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
	struct world *w = arg;
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
stream_of(const struct world *w, const struct ps_node *rec)
{
	return ps_program_stream(w->prog, ps_node_get_str(rec, "stream"));
}

static int
single_call(const struct ps_node *stream)
{
	return ps_streq(ps_node_get_str(stream, "type"), "single-call");
}

/* Is the participant waiting, onboarded, and without an open match? */
static int
waiting(const struct world *w, const struct ps_node *rec)
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
wanted(const struct world *w, const char *id)
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
	struct world *w = arg;

	(void)rel;
	if (!wanted(w, ps_record_id(rec)) || !waiting(w, rec) ||
	    (w->stream && !ps_streq(ps_node_get_str(rec, "stream"), w->stream)))
		return 0;
	return add_person(w, &w->p, &w->np, &w->capp, rec, d);
}

/* The matching rules from --weights FILE, checked as program.yaml's. */
static int
load_weights(struct world *w, const char *file, struct ps_diags *d)
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
world_read(struct world *w, ps_match_source each, void *src,
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

static int
world_load(struct world *w, struct ps_store *s, const struct ps_ids *only,
    const struct ps_match_opts *o, struct ps_diags *d)
{
	const char *tz;
	git_oid oid;
	int rc;

	memset(w, 0, sizeof(*w));
	w->s = s;
	w->prog = s->program;
	w->only = only;
	w->stream = o->stream;
	tz = ps_node_get_str(w->prog, "timezone");
	if (ps_tz_format(tz, ps_date_now(), w->now, &w->today) == -1)
		return ps_diag_err(d, PS_STORE, "program.yaml: no such time "
		    "zone on this system");
	if (git_reference_name_to_id(&oid, s->repo, "HEAD") == 0)
		git_oid_tostr(w->head, sizeof(w->head), &oid);
	w->weights = o->weights;
	if (o->weights && (rc = load_weights(w, o->weights, d)) != 0)
		return rc;
	if ((rc = ps_match_ctx_new(&w->ctx, w->prog, w->matching, w->today,
	    d)) != 0 || o->action == PS_MATCH_BRIEF ||
	    o->action >= PS_MATCH_ACCEPT)
		return rc;	/* one match: no need to read the store */
	w->take = 1;
	return world_read(w, store_source, s, d);
}

static struct ps_match_person *
find_person(struct ps_match_person *v, size_t n, const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (ps_streq(v[i].id, id))
			return &v[i];
	return NULL;
}

/*
 * A proposal's ID: one that follows from the pair and the store's commit,
 * so that the same store always prints the same proposals (and two runs
 * can be compared with diff); a random one if that is taken.
 */
static int
new_id(struct world *w, struct ps_txn *t, const char *p, const char *v,
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
new_match(struct world *w, struct ps_txn *t, const struct ps_match_person *p,
    const struct ps_match_person *v, const char *chosen_by,
    struct ps_node **out, struct ps_diags *d)
{
	const struct ps_node *st = stream_of(w, p->rec);
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
	if (single_call(st)) {
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

/*
 * Why a participant got no proposal. The volunteers that came furthest
 * through the hard constraints (checked in order) name the one that
 * stopped them all; if some volunteer met them all, the optimum gave
 * every such volunteer to someone else.
 */
static void
why_unmatched(const struct world *w, const struct ps_match_person *p,
    struct ps_buf *out)
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

/* The result of a run: pairs by participant, -1 when none. */
struct plan {
	long	*vol;		/* by participant index */
	int	 callbacks, proposals;
};

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
plan_optimal(struct world *w, struct plan *pl, struct ps_diags *d)
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

		if (!matchable(st) || single_call(st) || choice_stream(st))
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
plan_callbacks(struct world *w, struct plan *pl, struct ps_diags *d)
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
		if (single_call(stream_of(w, w->p[i].rec)))
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

/* The plan: OneCall callbacks, then the optimum for ongoing streams. */
static int
plan_all(struct world *w, struct plan *pl, struct ps_diags *d)
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
static int
left_out(const struct world *w, const struct plan *pl, size_t i)
{
	const struct ps_node *st = stream_of(w, w->p[i].rec);

	return pl->vol[i] < 0 && matchable(st) && !(choice_stream(st) &&
	    !single_call(st));
}

/* The reasons of everyone left out, sorted (for --gaps). */
static int
gap_reasons(const struct world *w, const struct plan *pl, char ***out,
    size_t *n, struct ps_diags *d)
{
	struct ps_buf why = PS_BUF_INIT;
	size_t i;

	*n = 0;
	if ((*out = calloc(w->np + 1, sizeof(**out))) == NULL)
		return ps_diag_nomem(d);
	for (i = 0; i < w->np; i++) {
		if (!left_out(w, pl, i))
			continue;
		ps_buf_truncate(&why, 0);
		why_unmatched(w, &w->p[i], &why);
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

static int
propose(struct world *w, const struct ps_match_opts *o, FILE *out,
    struct ps_diags *d)
{
	struct plan pl = { NULL, 0, 0 };
	struct ps_buf text = PS_BUF_INIT, why = PS_BUF_INIT;
	struct ps_txn *t = NULL;
	struct ps_node *m = NULL;
	char subject[200], **gaps = NULL;
	size_t i, ngaps = 0;
	int rc;

	for (i = 0; w->only && i < w->only->n; i++)
		if (find_person(w->p, w->np, w->only->v[i]) == NULL)
			ps_diag_warn(d, "%s: not waiting for a match (see "
			    "ps-match --candidates %s)", w->only->v[i],
			    w->only->v[i]);
	if ((rc = plan_all(w, &pl, d)) != 0)
		goto done;
	if (o->action == PS_MATCH_GAPS) {
		if ((rc = gap_reasons(w, &pl, &gaps, &ngaps, d)) == 0)
			print_gaps(gaps, ngaps, o->table, out);
		goto done;
	}
	if (o->commit && (rc = ps_txn_begin(&t, w->s, d)) != 0)
		goto done;
	if (o->table)
		table_head(out);
	for (i = 0; i < w->np; i++) {
		if (left_out(w, &pl, i)) {
			ps_buf_truncate(&why, 0);
			why_unmatched(w, &w->p[i], &why);
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
	free(pl.vol);
	ps_node_free(m);
	ps_txn_free(t);
	ps_buf_release(&text);
	ps_buf_release(&why);
	return rc;
}

int
ps_matchop_gaps(struct ps_store *s, const struct ps_node *prog, long today,
    ps_match_source each, void *src, char ***reasons, size_t *n,
    struct ps_diags *d)
{
	struct plan pl = { NULL, 0, 0 };
	struct world w;
	int rc;

	*reasons = NULL;
	*n = 0;
	memset(&w, 0, sizeof(w));
	w.s = s;
	w.prog = prog;
	w.today = today;
	if ((rc = ps_match_ctx_new(&w.ctx, prog, NULL, today, d)) == 0 &&
	    (rc = world_read(&w, each, src, d)) == 0 &&
	    (rc = plan_all(&w, &pl, d)) == 0)
		rc = gap_reasons(&w, &pl, reasons, n, d);
	if (rc) {
		ps_strv_free(*reasons, *n);
		*reasons = NULL;
		*n = 0;
	}
	free(pl.vol);
	world_release(&w);
	return rc;
}


/* Proposals read back from a pipe, checked again, stored as they are. */
static int
commit_stream(struct world *w, const struct ps_match_opts *o, FILE *out,
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
		unsigned long line = m->line, col = m->col;

		n++;
		if (!ps_streq(ps_record_kind(m), "match") ||
		    ps_record_check(w->s->schemas, m, "stdin", d)) {
			if (!ps_streq(ps_record_kind(m), "match"))
				ps_diag_add(d, PS_REFUSED, "stdin", line, col,
				    "kind", "not a match proposal");
			bad++;
			goto next;
		}
		st = ps_node_get_str(m, "status");
		p = find_person(w->p, w->np, ps_node_get_str(m, "participant"));
		v = find_person(w->v, w->nv, ps_node_get_str(m, "volunteer"));
		ps_buf_truncate(&rel, 0);
		ps_buf_printf(&rel, "matches/%s.yaml", id);
		if (!ps_streq(st, "proposed") && !ps_streq(st, "callback-open"))
			ps_diag_add(d, PS_REFUSED, "stdin", line, col, "status",
			    "%s: not a proposal (status %s)", id, st);
		else if (ps_txn_taken(t, rel.s))
			ps_diag_add(d, PS_REFUSED, "stdin", line, col, "id",
			    "%s: already stored", id);
		else if (p == NULL || used[p - w->p])
			ps_diag_add(d, PS_REFUSED, "stdin", line, col,
			    "participant", "%s: %s is no longer waiting for a "
			    "match", id, ps_node_get_str(m, "participant"));
		else if (v == NULL || w->left[v - w->v] <= 0)
			ps_diag_add(d, PS_REFUSED, "stdin", line, col,
			    "volunteer", "%s: %s is not active or has no "
			    "capacity left", id, ps_node_get_str(m,
			    "volunteer"));
		else if ((h = ps_match_check(w->ctx, p, v)) != PS_HARD_NONE)
			ps_diag_add(d, PS_REFUSED, "stdin", line, col, NULL,
			    "%s: the pair is no longer allowed: hard "
			    "constraint \"%s\" fails", id,
			    ps_match_hard_name(h));
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
the_participant(struct world *w, const char *id, struct ps_match_person **out,
    struct ps_diags *d)
{
	struct ps_node *rec = NULL;
	int rc;

	if ((*out = find_person(w->p, w->np, id)) != NULL)
		return 0;
	if ((rc = ps_store_get(w->s, id, &rec, d)) != 0)
		return rc;
	if (!ps_streq(ps_record_kind(rec), "participant"))
		rc = ps_diag_err(d, PS_REFUSED, "%s: not a participant", id);
	else
		rc = ps_diag_err(d, PS_REFUSED, "%s: not waiting for a match "
		    "(%s)", id, bag_count(&w->busy, id) ? "has an open match" :
		    ps_status_participant_waiting(ps_node_get_str(rec,
		    "status")) ? "onboarding not complete" : ps_node_get_str(rec, "status"));
	ps_node_free(rec);
	return rc;
}

struct ranked {
	size_t	 j;
	double	 score;
};

static int
by_score(const void *a, const void *b)
{
	const struct ranked *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->j < y->j ? -1 : x->j > y->j;
}

/* What a participant choosing a mentor may see: the x-public profile. */
static int
candidates(struct world *w, const struct ps_match_opts *o, FILE *out,
    struct ps_diags *d)
{
	struct ps_match_person *p;
	struct ranked *r;
	struct ps_node *prof;
	struct ps_buf text = PS_BUF_INIT;
	char num[32];
	size_t j, n = 0;
	int rc;

	if ((rc = the_participant(w, o->id, &p, d)) != 0)
		return rc;
	if ((r = calloc(w->nv + 1, sizeof(*r))) == NULL)
		return ps_diag_nomem(d);
	for (j = 0; j < w->nv; j++)
		if (ps_match_check(w->ctx, p, &w->v[j]) == PS_HARD_NONE) {
			r[n].j = j;
			r[n++].score = ps_match_score(w->ctx, p, &w->v[j],
			    NULL);
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
choose(struct world *w, const struct ps_match_opts *o, FILE *out,
    struct ps_diags *d)
{
	struct ps_match_person *p, *v;
	struct ps_buf text = PS_BUF_INIT;
	struct ps_txn *t = NULL;
	struct ps_node *m = NULL;
	char subject[200];
	enum ps_hard h;
	int rc;

	if ((rc = the_participant(w, o->id, &p, d)) != 0)
		return rc;
	if ((v = find_person(w->v, w->nv, o->volunteer)) == NULL)
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
	if (show(&text, o->table, m) == -1) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	snprintf(subject, sizeof(subject), "ps-match: choose %s (%s chose %s)",
	    ps_record_id(m), p->id, v->id);
	if (o->table)
		table_head(out);
	rc = commit_msg(t, o, subject, &text, out, d);
done:
	ps_node_free(m);
	ps_txn_free(t);
	ps_buf_release(&text);
	return rc;
}

/* The match named, of the right kind, or a refusal. */
static int
the_match(struct world *w, const char *id, struct ps_node **m,
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
brief(struct world *w, const struct ps_match_opts *o, FILE *out,
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

/* Accept, decline, end or extend one match; one commit. */
static int
lifecycle(struct world *w, const struct ps_match_opts *o, FILE *out,
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
	char day[11], until[11], num[32], subject[200];
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
		if (day_of(ps_node_get_str(p, "received"), &received) == -1)
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
		if (day_of(ps_node_get_str(m, "planned_end"), &end) == -1)
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
	if (show(&text, o->table, m) == -1)
		goto nomem;
	snprintf(subject, sizeof(subject), "ps-match: %s %s (%s with %s)",
	    verbs[o->action], o->id, ps_node_get_str(m, "participant"),
	    ps_node_get_str(m, "volunteer"));
	if (o->table)
		table_head(out);
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
	    day_of(ps_node_get_str(m, "callback.due"), &due) == -1 ||
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
	struct world w;
	struct ps_ids one = { NULL, 0, 0 };
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
	if ((rc = world_load(&w, s, one.n ? &one : only, o, d)) != 0)
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
	world_release(&w);
	ps_ids_release(&one);
	return rc;
}
