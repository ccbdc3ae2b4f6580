/* match: eligibility and scores of participant-volunteer pairs; see match.h. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/id.h"
#include "util/mem.h"
#include "util/str.h"
#include "model/record.h"
#include "model/schema.h"
#include "rules/match.h"

enum weight {
	W_ROLE, W_CONDITION, W_TOPICS, W_REGION, W_TIMEZONE, W_AVAILABILITY,
	W_AGE, W_PREFERENCES, W_WAITING, W_COUNT
};

static const char *const weight_names[W_COUNT] = { "role", "condition",
    "topics", "region", "timezone", "availability", "age_band",
    "preferences", "waiting" };

/* The volunteer's field each criterion reads; waiting reads none. */
static const char *const weight_fields[W_COUNT] = { "role",
    "condition.diagnosis_year", "topics", "region", "timezone",
    "availability", "birth_year", "gender", NULL };

static const char *const hard_names[PS_HARD_COUNT] = { "none", "stream",
    "language", "mode", "role", "gender", "age_band", "region",
    "not-excluded", "not-declined" };

static const char *const modes[] = { "phone", "email", "video", "in-person",
    "text", NULL };

static const char *const days[] = { "mon", "tue", "wed", "thu", "fri", "sat",
    "sun" };

static const char *const bands[] = { "18-29", "30-44", "45-59", "60-plus",
    "similar", NULL };

/* Strings made small integers: languages, topics, regions, zones... */
struct intern {
	char	**v;
	size_t	  n;
	size_t	  cap;
};

struct ps_match_ctx {
	const struct ps_node	*prog;
	double			 w[W_COUNT];
	double			 per_week, max_waiting;
	unsigned		 hard;		/* bit per enum ps_hard */
	long			 today;
	int			 year;
	struct intern		 streams, langs, topics, places, genders;
	unsigned		*stream_modes;	/* by stream index */
	uint64_t		*forbidden;	/* sorted pair keys */
	size_t			 nforbidden, capforbidden;
	int			 sorted;
};

static int
intern(struct intern *t, const char *s, int fold)
{
	size_t i;
	char **v;

	for (i = 0; i < t->n; i++)
		if ((fold ? strcasecmp : strcmp)(t->v[i], s) == 0)
			return (int)i;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;

		if ((v = reallocarray(t->v, cap, sizeof(*v))) == NULL)
			return -1;
		t->v = v;
		t->cap = cap;
	}
	if ((t->v[t->n] = strdup(s)) == NULL)
		return -1;
	return (int)t->n++;
}

static void
intern_release(struct intern *t)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

static double
num(const struct ps_node *n, const char *path, double dflt)
{
	const char *s = ps_node_get_str(n, path);

	return s ? strtod(s, NULL) : dflt;
}

/* Hard constraints by name (program.yaml matching.hard). */
static unsigned
hard_bits(const struct ps_node *l)
{
	unsigned bits = 1u << PS_HARD_STREAM;
	size_t i;
	int k;

	if (l == NULL)		/* the defaults */
		return bits | 1u << PS_HARD_LANGUAGE | 1u << PS_HARD_MODE |
		    1u << PS_HARD_EXCLUDED | 1u << PS_HARD_DECLINED;
	for (i = 0; i < l->n; i++)
		for (k = 1; k < PS_HARD_COUNT; k++)
			if (strcmp(l->vals[i]->str, hard_names[k]) == 0)
				bits |= 1u << k;
	return bits;
}

int
ps_match_ctx_new(struct ps_match_ctx **out, const struct ps_node *prog,
    const struct ps_node *matching, long today, struct ps_diags *d)
{
	const struct ps_node *st = ps_node_get(prog, "streams"), *m;
	struct ps_match_ctx *c;
	struct ps_date dt;
	size_t i, j;
	int k;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return ps_diag_nomem(d);
	m = matching ? matching : ps_node_get(prog, "matching");
	c->prog = prog;
	c->today = today;
	ps_date_from_days(today, &dt);
	c->year = dt.y;
	for (k = 0; k < W_COUNT; k++)
		c->w[k] = num(ps_node_get(m, "weights"), weight_names[k], 0);
	c->per_week = num(m, "waiting_points_per_week", 0.5);
	c->max_waiting = num(m, "max_waiting_points", 3);
	c->hard = hard_bits(ps_node_get(m, "hard"));
	if (st && (c->stream_modes = calloc(st->n + 1,
	    sizeof(*c->stream_modes))) == NULL)
		goto nomem;
	for (i = 0; st && i < st->n; i++) {
		const struct ps_node *ml = ps_node_get(st->vals[i], "modes");

		if (intern(&c->streams, st->keys[i]->str, 0) == -1)
			goto nomem;
		for (j = 0; ml && j < ml->n; j++)
			if ((k = ps_str_index(modes, ml->vals[j]->str)) >= 0)
				c->stream_modes[i] |= 1u << k;
		if (ml == NULL)
			c->stream_modes[i] = ~0u;
	}
	*out = c;
	return 0;
nomem:
	ps_match_ctx_free(c);
	return ps_diag_nomem(d);
}

void
ps_match_ctx_free(struct ps_match_ctx *c)
{
	if (c == NULL)
		return;
	intern_release(&c->streams);
	intern_release(&c->langs);
	intern_release(&c->topics);
	intern_release(&c->places);
	intern_release(&c->genders);
	free(c->stream_modes);
	free(c->forbidden);
	free(c);
}

/* An ID's six base32 digits as 30 bits. */
static uint64_t
id_bits(const char *id)
{
	static const char digits[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	uint64_t v = 0;
	const char *p;
	size_t i;

	for (i = 2; id && i < PS_ID_LEN && id[i]; i++) {
		p = strchr(digits, id[i]);
		v = v << 5 | (uint64_t)(p ? p - digits : 0);
	}
	return v;
}

static uint64_t
pair_key(uint64_t p, uint64_t v)
{
	return p << 30 | v;
}

int
ps_match_forbid(struct ps_match_ctx *c, const char *p, const char *v)
{
	if (c->nforbidden == c->capforbidden) {
		size_t cap = c->capforbidden ? 2 * c->capforbidden : 64;
		uint64_t *f = reallocarray(c->forbidden, cap, sizeof(*f));

		if (f == NULL)
			return -1;
		c->forbidden = f;
		c->capforbidden = cap;
	}
	c->forbidden[c->nforbidden++] = pair_key(id_bits(p), id_bits(v));
	c->sorted = 0;
	return 0;
}

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int
add_set(struct intern *t, struct ps_match_set *s, const struct ps_node *l,
    int *count, struct ps_diags *d)
{
	size_t i;
	int k;

	for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n; i++) {
		if ((k = intern(t, l->vals[i]->str, 0)) == -1)
			return ps_diag_nomem(d);
		if (k >= 64 * PS_MATCH_BITS)
			return ps_diag_err(d, PS_REFUSED, "more than %d distinct "
			    "languages or topics in the store", 64 *
			    PS_MATCH_BITS);
		s->w[k / 64] |= UINT64_C(1) << (k % 64);
		if (count)
			(*count)++;
	}
	return 0;
}

static int
opt_intern(struct intern *t, const char *s, int fold)
{
	return s ? intern(t, s, fold) : -1;
}

static unsigned
role_bits(const char *r)
{
	if (r == NULL)
		return 0;
	if (strcmp(r, "both") == 0)
		return 3;
	return strcmp(r, "caregiver") == 0 ? 2 : strcmp(r, "living-with") ==
	    0 ? 1 : 0;
}

static int
is_true(const struct ps_node *n, const char *path)
{
	const char *s = ps_node_get_str(n, path);

	return s && strcmp(s, "true") == 0;
}

int
ps_match_person_init(struct ps_match_ctx *c, struct ps_match_person *p,
    const struct ps_node *rec, struct ps_diags *d)
{
	const struct ps_node *l;
	const char *s;
	size_t i;
	int k, rc;

	memset(p, 0, sizeof(*p));
	p->rec = rec;
	p->id = ps_record_id(rec);
	p->key = id_bits(p->id);
	p->role = role_bits(ps_node_get_str(rec, "role"));
	if ((rc = add_set(&c->langs, &p->langs, ps_node_get(rec, "languages"),
	    NULL, d)) != 0 || (rc = add_set(&c->topics, &p->topics,
	    ps_node_get(rec, "topics"), &p->ntopics, d)) != 0)
		return rc;
	l = ps_node_get(rec, "availability");
	for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n; i++) {
		s = l->vals[i]->str;
		for (k = 0; k < 7; k++)
			if (strncmp(s, days[k], 3) == 0)
				break;
		if (k == 7 || strlen(s) < 6)
			continue;
		p->slots |= 1u << (k * 3 + (s[4] == 'a' ? 0 : s[4] == 'p' ?
		    1 : 2));
		p->nslots++;
	}
	p->region = opt_intern(&c->places, ps_node_get_str(rec, "region"), 0);
	p->tz = opt_intern(&c->places, ps_node_get_str(rec, "timezone"), 0);
	p->gender = opt_intern(&c->genders, ps_node_get_str(rec, "gender"), 1);
	p->birth_year = (int)num(rec, "birth_year", 0);
	p->diagnosis_year = (int)num(rec, "condition.diagnosis_year", 0);
	if (ps_date_parse_days(ps_node_get_str(rec, "received"),
	    &p->received) == -1)
		p->received = c->today;
	if (strcmp(ps_record_kind(rec), "volunteer") == 0) {
		l = ps_node_get(rec, "streams");
		for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n; i++)
			for (k = 0; k < (int)c->streams.n && k < 64; k++)
				if (strcmp(c->streams.v[k], l->vals[i]->str) == 0)
					p->streams |= UINT64_C(1) << k;
		l = ps_node_get(rec, "modes");
		for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n; i++)
			if ((k = ps_str_index(modes, l->vals[i]->str)) >= 0)
				p->modes |= 1u << k;
		if (l == NULL)
			p->modes = ~0u;
		return 0;
	}
	s = ps_node_get_str(rec, "stream");
	p->stream = -1;
	for (k = 0; s && k < (int)c->streams.n; k++)
		if (strcmp(c->streams.v[k], s) == 0)
			p->stream = k;
	l = ps_node_get(rec, "contact.preferred_modes");
	for (i = 0; l && l->type == PS_NODE_SEQ && i < l->n; i++)
		if ((k = ps_str_index(modes, l->vals[i]->str)) >= 0)
			p->modes |= 1u << k;
	if (p->modes == 0)
		p->modes = ~0u;
	if (p->stream >= 0)
		p->modes &= c->stream_modes[p->stream];
	p->want_role = role_bits(ps_node_get_str(rec,
	    "preferences.volunteer_role.value"));
	p->want_gender = opt_intern(&c->genders, ps_node_get_str(rec,
	    "preferences.volunteer_gender.value"), 1);
	p->want_age = ps_str_index(bands, ps_node_get_str(rec,
	    "preferences.age_band.value"));
	if (p->want_role && is_true(rec, "preferences.volunteer_role.required"))
		p->required |= 1u << PS_HARD_ROLE;
	if (p->want_gender >= 0 &&
	    is_true(rec, "preferences.volunteer_gender.required"))
		p->required |= 1u << PS_HARD_GENDER;
	if (p->want_age >= 0 && is_true(rec, "preferences.age_band.required"))
		p->required |= 1u << PS_HARD_AGE;
	p->exclude = ps_node_get(rec, "exclude_volunteers");
	return 0;
}

static int
meets(const struct ps_match_set *a, const struct ps_match_set *b)
{
	int i;

	for (i = 0; i < PS_MATCH_BITS; i++)
		if (a->w[i] & b->w[i])
			return 1;
	return 0;
}

static int
shared(const struct ps_match_set *a, const struct ps_match_set *b)
{
	int i, n = 0;

	for (i = 0; i < PS_MATCH_BITS; i++)
		n += __builtin_popcountll(a->w[i] & b->w[i]);
	return n;
}

/* Is the volunteer in the age band the participant wants? */
static int
age_ok(const struct ps_match_ctx *c, const struct ps_match_person *p,
    const struct ps_match_person *v)
{
	static const int lo[] = { 18, 30, 45, 60 }, hi[] = { 29, 44, 59, 200 };
	int age = c->year - v->birth_year;

	if (v->birth_year == 0)
		return 0;
	if (p->want_age == 4)
		return p->birth_year && abs(p->birth_year - v->birth_year) <= 10;
	return age >= lo[p->want_age] && age <= hi[p->want_age];
}

/* A volunteer with the role wanted: "both" wants both. */
static int
role_ok(unsigned want, unsigned have)
{
	return want && (want & have) == want;
}

enum ps_hard
ps_match_check(const struct ps_match_ctx *c, const struct ps_match_person *p,
    const struct ps_match_person *v)
{
	unsigned hard = c->hard | p->required;
	uint64_t key;
	size_t i;
	const struct ps_node *ex;

	if (p->stream < 0 || p->stream >= 64 ||
	    !(v->streams & UINT64_C(1) << p->stream))
		return PS_HARD_STREAM;
	if ((hard & 1u << PS_HARD_LANGUAGE) && !meets(&p->langs, &v->langs))
		return PS_HARD_LANGUAGE;
	if ((hard & 1u << PS_HARD_MODE) && !(p->modes & v->modes))
		return PS_HARD_MODE;
	if ((hard & 1u << PS_HARD_ROLE) && p->want_role &&
	    !role_ok(p->want_role, v->role))
		return PS_HARD_ROLE;
	if ((hard & 1u << PS_HARD_GENDER) && p->want_gender >= 0 &&
	    p->want_gender != v->gender)
		return PS_HARD_GENDER;
	if ((hard & 1u << PS_HARD_AGE) && p->want_age >= 0 && !age_ok(c, p, v))
		return PS_HARD_AGE;
	if ((hard & 1u << PS_HARD_REGION) && (p->region < 0 ||
	    p->region != v->region))
		return PS_HARD_REGION;
	if ((hard & 1u << PS_HARD_EXCLUDED) && (ex = p->exclude) != NULL)
		for (i = 0; i < ex->n; i++)
			if (strcmp(ex->vals[i]->str, v->id) == 0)
				return PS_HARD_EXCLUDED;
	if ((hard & 1u << PS_HARD_DECLINED) && c->nforbidden) {
		if (!c->sorted) {
			struct ps_match_ctx *m = (struct ps_match_ctx *)c;

			ps_mem_sort(m->forbidden, m->nforbidden, sizeof(uint64_t),
			    cmp_u64);
			m->sorted = 1;
		}
		key = pair_key(p->key, v->key);
		if (ps_mem_find(&key, c->forbidden, c->nforbidden,
		    sizeof(uint64_t), cmp_u64))
			return PS_HARD_DECLINED;
	}
	return PS_HARD_NONE;
}

/* The sets: one of nwords words for each stream, language, mode... */
struct ps_match_index {
	const struct ps_match_ctx	*c;
	size_t				 nwords;
	size_t				 nstreams, nlangs, ngenders;
	uint64_t			*sets;		/* all of them */
	uint64_t			*stream, *lang, *mode, *role, *gender;
};

#define NMODES	5	/* modes[] */

void
ps_match_index_free(struct ps_match_index *x)
{
	if (x == NULL)
		return;
	free(x->sets);
	free(x);
}

size_t
ps_match_words(const struct ps_match_index *x)
{
	return x->nwords;
}

static void
set_bit(uint64_t *set, size_t j)
{
	set[j / 64] |= UINT64_C(1) << (j % 64);
}

int
ps_match_index_new(struct ps_match_index **out, const struct ps_match_ctx *c,
    const struct ps_match_person *v, size_t nv)
{
	struct ps_match_index *x;
	size_t j, k, nsets;
	unsigned want;

	*out = NULL;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return -1;
	x->c = c;
	x->nwords = (nv + 63) / 64;
	x->nstreams = c->streams.n < 64 ? c->streams.n : 64;
	x->nlangs = c->langs.n;
	x->ngenders = c->genders.n;
	nsets = x->nstreams + x->nlangs + NMODES + 3 + x->ngenders;
	if ((x->sets = calloc(nsets * x->nwords + 1, sizeof(*x->sets))) ==
	    NULL) {
		free(x);
		return -1;
	}
	x->stream = x->sets;
	x->lang = x->stream + x->nstreams * x->nwords;
	x->mode = x->lang + x->nlangs * x->nwords;
	x->role = x->mode + NMODES * x->nwords;
	x->gender = x->role + 3 * x->nwords;
	for (j = 0; j < nv; j++) {
		for (k = 0; k < x->nstreams; k++)
			if (v[j].streams & UINT64_C(1) << k)
				set_bit(x->stream + k * x->nwords, j);
		for (k = 0; k < x->nlangs; k++)
			if (v[j].langs.w[k / 64] & UINT64_C(1) << (k % 64))
				set_bit(x->lang + k * x->nwords, j);
		for (k = 0; k < NMODES; k++)
			if (v[j].modes & 1u << k)
				set_bit(x->mode + k * x->nwords, j);
		for (want = 1; want <= 3; want++)
			if (role_ok(want, v[j].role))
				set_bit(x->role + (want - 1) * x->nwords, j);
		if (v[j].gender >= 0 && (size_t)v[j].gender < x->ngenders)
			set_bit(x->gender + (size_t)v[j].gender * x->nwords, j);
	}
	*out = x;
	return 0;
}

/* out &= the union of the sets of base chosen by the bits of which. */
static void
and_any(const struct ps_match_index *x, uint64_t *out, const uint64_t *base,
    const uint64_t *which, size_t nsets)
{
	size_t w, k;
	uint64_t any;

	for (w = 0; w < x->nwords; w++) {
		any = 0;
		for (k = 0; k < nsets; k++)
			if (which[k / 64] & UINT64_C(1) << (k % 64))
				any |= base[k * x->nwords + w];
		out[w] &= any;
	}
}

/* The same tests as ps_match_check's first ones, on sets. */
void
ps_match_candidates(const struct ps_match_index *x,
    const struct ps_match_person *p, uint64_t *out)
{
	unsigned hard = x->c->hard | p->required;
	uint64_t mode = p->modes;
	size_t w;

	if (p->stream < 0 || (size_t)p->stream >= x->nstreams) {
		memset(out, 0, x->nwords * sizeof(*out));
		return;
	}
	memcpy(out, x->stream + (size_t)p->stream * x->nwords,
	    x->nwords * sizeof(*out));
	if (hard & 1u << PS_HARD_LANGUAGE)
		and_any(x, out, x->lang, p->langs.w, x->nlangs);
	if ((hard & 1u << PS_HARD_MODE) && (p->modes >> NMODES) == 0)
		and_any(x, out, x->mode, &mode, NMODES);
	if ((hard & 1u << PS_HARD_ROLE) && p->want_role)
		for (w = 0; w < x->nwords; w++)
			out[w] &= x->role[(p->want_role - 1) * x->nwords + w];
	if ((hard & 1u << PS_HARD_GENDER) && p->want_gender >= 0)
		for (w = 0; w < x->nwords; w++)
			out[w] &= (size_t)p->want_gender < x->ngenders ?
			    x->gender[(size_t)p->want_gender * x->nwords + w] :
			    0;
}

void
ps_match_points(char out[32], double x)
{
	size_t n;

	snprintf(out, 32, "%.3f", x);
	/* trim trailing zeros: 2.500 -> 2.5, 3.000 -> 3 */
	for (n = strlen(out); n > 1 && (out[n - 1] == '0' ||
	    out[n - 1] == '.'); ) {
		int dot = out[n - 1] == '.';

		out[--n] = '\0';
		if (dot)
			break;
	}
}

/* Points rounded to thousandths, as written in records. */
static double
round3(double x)
{
	return round(x * 1000) / 1000;
}

static void
explain(struct ps_node *b, const char *name, double points, int held,
    const char *reason)
{
	struct ps_node *e;
	char num[32];

	if (b == NULL || (e = ps_node_new_map()) == NULL)
		return;
	ps_match_points(num, points);
	if (ps_node_set_str(e, "criterion", name) ||
	    ps_node_set_plain(e, "points", num) ||
	    ps_node_set_plain(e, "held", held ? "true" : "false") ||
	    ps_node_set_str(e, "reason", reason))
		ps_node_free(e);
	else
		ps_node_seq_append(b, e);	/* e taken, or freed */
}

/*
 * Add a criterion's points; explain it when asked. Reasons are made only
 * for a breakdown: proposals are scored with one, the millions of pairs
 * the optimum weighs without. A criterion left out of the set scored
 * counts nothing and is not explained.
 */
static double
crit(const struct ps_match_ctx *c, unsigned set, struct ps_node *b,
    enum weight k, double share, const char *reason)
{
	double pts = round3(c->w[k] * share);

	if (c->w[k] <= 0 || !(set & 1u << k))
		return 0;
	if (b)
		explain(b, weight_names[k], pts, share > 0, reason);
	return pts;
}

unsigned
ps_match_public(const struct ps_schema *volunteer)
{
	unsigned set = 0;
	int k;

	for (k = 0; k < W_COUNT; k++)
		if (weight_fields[k] == NULL || (volunteer &&
		    ps_schema_at(volunteer, weight_fields[k]) &&
		    !ps_schema_sensitive(volunteer, weight_fields[k])))
			set |= 1u << k;
	return set;
}

double
ps_match_score(const struct ps_match_ctx *c, const struct ps_match_person *p,
    const struct ps_match_person *v, struct ps_node *b)
{
	return ps_match_score_with(c, PS_MATCH_ALL, p, v, b);
}

double
ps_match_score_with(const struct ps_match_ctx *c, unsigned set,
    const struct ps_match_person *p, const struct ps_match_person *v,
    struct ps_node *b)
{
	unsigned want = p->want_role ? p->want_role : p->role;
	double total = 1, share, weeks, pts;
	char why[160];
	int n;

	if (b)
		explain(b, "eligible", 1, 1, "meets every hard constraint");
	total += crit(c, set, b, W_ROLE, role_ok(want, v->role), role_ok(want,
	    v->role) ? (p->want_role ? "has the lived-experience role asked "
	    "for" : "same lived-experience role") : "a different "
	    "lived-experience role");
	n = p->diagnosis_year && v->diagnosis_year &&
	    v->diagnosis_year <= p->diagnosis_year;
	total += crit(c, set, b, W_CONDITION, n, n ? "has lived with the "
	    "condition at least as long" : "no longer experience of the "
	    "condition known");
	n = shared(&p->topics, &v->topics);
	share = p->ntopics ? (double)n / p->ntopics : 0;
	if (b)
		snprintf(why, sizeof(why), "%d of %d topics in common", n,
		    p->ntopics);
	total += crit(c, set, b, W_TOPICS, share, why);
	n = p->region >= 0 && p->region == v->region;
	total += crit(c, set, b, W_REGION, n, n ? "same province or "
	    "territory" : "a different or unknown region");
	n = p->tz >= 0 && p->tz == v->tz;
	total += crit(c, set, b, W_TIMEZONE, n, n ? "same time zone" :
	    "a different or unknown time zone");
	n = __builtin_popcount(p->slots & v->slots);
	share = p->nslots ? (double)n / p->nslots : 0;
	if (b)
		snprintf(why, sizeof(why), "%d of %d times available in "
		    "common", n, p->nslots);
	total += crit(c, set, b, W_AVAILABILITY, share, why);
	if (p->want_age >= 0) {
		n = age_ok(c, p, v);
		total += crit(c, set, b, W_AGE, n, n ? "in the preferred age "
		    "band" : "not in the preferred age band");
	}
	if (p->want_gender >= 0 && !(p->required & 1u << PS_HARD_GENDER)) {
		n = p->want_gender == v->gender;
		total += crit(c, set, b, W_PREFERENCES, n, n ? "the preferred "
		    "gender" : "not the preferred gender");
	}
	weeks = (double)(c->today - p->received) / 7;
	if (weeks < 0)
		weeks = 0;
	pts = weeks * c->per_week;
	if (pts > c->max_waiting)
		pts = c->max_waiting;
	if (b && weeks < 2)
		snprintf(why, sizeof(why), "waited %ld day%s", (long)(weeks *
		    7 + 0.5), (long)(weeks * 7 + 0.5) == 1 ? "" : "s");
	else if (b)
		snprintf(why, sizeof(why), "waited %ld weeks", (long)weeks);
	total += crit(c, set, b, W_WAITING, pts, why);
	return round3(total);
}

const char *
ps_match_hard_name(enum ps_hard h)
{
	return h < PS_HARD_COUNT ? hard_names[h] : "";
}

const char *
ps_match_stream_name(const struct ps_match_ctx *c, int i)
{
	return i >= 0 && (size_t)i < c->streams.n ? c->streams.v[i] : "?";
}
