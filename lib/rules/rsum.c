/* rsum: what a report reads of a record, cached by blob id; see rsum.h. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/str.h"
#include "model/record.h"
#include "model/schema.h"
#include "store/rcache.h"
#include "rules/rsum.h"
#include "rules/screen.h"

/* The cache's format: change it when a summary changes, or what makes a
   record valid (a record the validator now refuses is summarised no more:
   2, contact details refused in public text). */
#define FORMAT	"rsum 2\n"

/*
 * The fields of each kind, as record paths; the worked-out ones (see
 * rsum.h) name the field they come from, so that the schemas can say
 * whether it is x-sensitive.
 */
static const char *const p_paths[PS_P_N] = { "id", "status", "stream",
    "role", "received", "withdrawn.date", "erased", "consents.0.type",
    "consents.0.given", "consents.0.date" };
static const char *const v_paths[PS_V_N] = { "id", "status", "received",
    "decision.date", "decision.result", "capacity",
    "screening.steps.0.expires",
    "screening.steps.0.step" };
static const char *const m_paths[PS_M_N] = { "id", "status", "stream",
    "participant", "volunteer", "proposed", "accepted", "days_to_match",
    "planned_end", "end_reason", "callback", "callback.requested",
    "callback.closed", "callback.on_time", "callback.due" };
static const char *const c_paths[PS_C_N] = { "id", "type", "date", "match",
    "participant", "mode", "minutes", "activity", "hours", "attendees",
    "funder", "host_organisation", "feedback.helpfulness",
    "feedback.outcomes.empowerment", "feedback.outcomes.isolation",
    "feedback.outcomes.coping", "feedback.outcomes.distress", "flag",
    "flag.type", "flag.referral", "feedback.followup_consent",
    "feedback.followup_after" };

static const struct {
	const char		*schema;
	const char *const	*paths;
	size_t			 n;
} kinds[] = {
	{ "participant", p_paths, PS_P_N },
	{ "volunteer", v_paths, PS_V_N },
	{ "match", m_paths, PS_M_N },
	{ "contact", c_paths, PS_C_N },
};

#define CHUNK	(1 << 20)

/* Memory for the summaries kept, handed out in order, freed at once. */
struct arena {
	char		**chunk;
	size_t		 n, cap, used;
};

struct ps_rsums {
	struct ps_store		*s;
	git_oid			 commit;
	struct ps_rcache	*cache;		/* NULL: none */
	struct arena		 a;
	struct ps_buf		 enc;		/* a summary encoded */
	struct ps_rsum		*scratch;	/* a contact's */
	size_t			 scratch_cap;
	/* ps_rsums_each() */
	int			 contacts;
	ps_rsum_fn		 fn;
	void			*arg;
};

static void *
arena_alloc(struct arena *a, size_t n)
{
	char **v;

	n = (n + 7) & ~(size_t)7;
	if (n > CHUNK)
		return NULL;
	if (a->n == 0 || a->used + n > CHUNK) {
		if (a->n == a->cap) {
			if ((v = reallocarray(a->chunk, a->cap ? 2 * a->cap : 16,
			    sizeof(*v))) == NULL)
				return NULL;
			a->chunk = v;
			a->cap = a->cap ? 2 * a->cap : 16;
		}
		if ((a->chunk[a->n] = malloc(CHUNK)) == NULL)
			return NULL;
		a->n++;
		a->used = 0;
	}
	a->used += n;
	return a->chunk[a->n - 1] + a->used - n;
}

/* The tag: this format and the bytes of the schemas in use. */
static int
cache_tag(unsigned char tag[PS_RCACHE_TAG])
{
	static const char *const names[] = { "participant", "volunteer",
	    "match", "contact", "group", "program" };
	struct ps_buf b = PS_BUF_INIT, path = PS_BUF_INIT;
	char chunk[8192];
	git_oid id;
	FILE *f;
	size_t i, n;
	int rc = -1;

	if (ps_buf_puts(&b, FORMAT) == -1)
		goto done;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		ps_buf_truncate(&path, 0);
		if (ps_buf_printf(&path, "%s/%s.yaml", ps_schema_dir(),
		    names[i]) == -1 || (f = fopen(path.s, "r")) == NULL)
			goto done;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			ps_buf_add(&b, chunk, n);
		if (ferror(f) | fclose(f) || ps_buf_puts(&b, "\n") == -1)
			goto done;
	}
	if (git_odb_hash(&id, b.s, b.len, GIT_OBJECT_BLOB) == 0) {
		memcpy(tag, id.id, PS_RCACHE_TAG);
		rc = 0;
	}
done:
	ps_buf_release(&b);
	ps_buf_release(&path);
	return rc;
}

/* May the summaries be kept on disk: is none of their fields sensitive? */
static int
shareable(const struct ps_schemas *set)
{
	size_t k, i;

	for (k = 0; k < 4; k++)
		for (i = 0; i < kinds[k].n; i++)
			if (ps_schema_sensitive(ps_schemas_get(set,
			    kinds[k].schema), kinds[k].paths[i]))
				return 0;
	return 1;
}

int
ps_rsums_open(struct ps_rsums **out, struct ps_store *s,
    const git_oid *commit, struct ps_diags *d)
{
	struct ps_rsums *r;
	unsigned char tag[PS_RCACHE_TAG];

	*out = NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return ps_diag_nomem(d);
	r->s = s;
	git_oid_cpy(&r->commit, commit);
	if (shareable(s->schemas) && cache_tag(tag) == 0 &&
	    ps_rcache_open(&r->cache, s, "report", tag) == -1) {
		free(r);
		return ps_diag_nomem(d);
	}
	*out = r;
	return 0;
}

/* The summary's fields of a record, as the kind's (see rsum.h). */
static void
fields(const struct ps_node *rec, int kind, const char **f)
{
	const struct ps_node *l;
	size_t i;
	long e;

	for (i = 0; i < kinds[kind].n; i++)
		f[i] = ps_node_get_str(rec, kinds[kind].paths[i]);
	switch (kind) {
	case PS_RSUM_PARTICIPANT:
		f[PS_P_FU] = f[PS_P_FU_GIVEN] = f[PS_P_FU_DATE] = NULL;
		l = ps_node_get(rec, "consents");
		for (i = l && l->type == PS_NODE_SEQ ? l->n : 0; i > 0; i--)
			if (ps_streq(ps_node_get_str(l->vals[i - 1], "type"),
			    "follow-up")) {
				f[PS_P_FU] = "";
				f[PS_P_FU_GIVEN] = ps_node_get_str(l->vals[i - 1],
				    "given");
				f[PS_P_FU_DATE] = ps_node_get_str(l->vals[i - 1],
				    "date");
				break;
			}
		break;
	case PS_RSUM_VOLUNTEER:
		f[PS_V_EXPIRES] = f[PS_V_EXPIRES_STEP] = NULL;
		e = ps_screen_expiry(rec, &f[PS_V_EXPIRES_STEP]);
		if (e != LONG_MAX)
			f[PS_V_EXPIRES] = "";	/* the number, by encode() */
		break;
	case PS_RSUM_MATCH:
		f[PS_M_CALLBACK] = ps_node_get(rec, "callback") ? "" : NULL;
		break;
	case PS_RSUM_CONTACT:
		f[PS_C_FLAG] = ps_node_get(rec, "flag") ? "" : NULL;
		break;
	}
}

/*
 * A summary as bytes: the kind, then each field as its length + 1 (two
 * bytes; 0 for none) and its text. -1 for a field too long to keep.
 */
static int
encode(struct ps_buf *b, const struct ps_node *rec, int kind)
{
	const char *f[PS_C_N];
	char num[24];
	unsigned char k = (unsigned char)kind, len[2];
	size_t i, n;

	fields(rec, kind, f);
	if (kind == PS_RSUM_VOLUNTEER && f[PS_V_EXPIRES]) {
		snprintf(num, sizeof(num), "%ld", ps_screen_expiry(rec, NULL));
		f[PS_V_EXPIRES] = num;
	}
	ps_buf_truncate(b, 0);
	if (ps_buf_add(b, &k, 1) == -1)
		return -1;
	for (i = 0; i < kinds[kind].n; i++) {
		n = f[i] ? strlen(f[i]) + 1 : 0;
		if (n > UINT16_MAX)
			return -1;
		len[0] = (unsigned char)(n & 0xff);
		len[1] = (unsigned char)(n >> 8);
		if (ps_buf_add(b, len, 2) == -1 ||
		    (f[i] && ps_buf_add(b, f[i], n - 1) == -1))
			return -1;
	}
	return 0;
}

/*
 * The summary of bytes, in memory from the arena (keep) or the scratch
 * space; NULL if the bytes are not a summary (of want: a contact, or
 * any other kind) or memory ran out (*nomem).
 */
static struct ps_rsum *
decode(struct ps_rsums *r, const unsigned char *p, size_t len, int want,
    const git_oid *blob, int *nomem)
{
	struct ps_rsum *sum;
	size_t i, k, n, at, size;
	char *text;

	if (len == 0 || p[0] > PS_RSUM_CONTACT || (want == PS_RSUM_CONTACT) !=
	    (p[0] == PS_RSUM_CONTACT))
		return NULL;
	k = p[0];
	for (i = 0, at = 1; i < kinds[k].n; i++) {
		if (at + 2 > len)
			return NULL;
		n = (size_t)p[at] | (size_t)p[at + 1] << 8;
		at += 2 + (n ? n - 1 : 0);
	}
	if (at != len)
		return NULL;
	size = sizeof(*sum) + kinds[k].n * sizeof(sum->f[0]) + len;
	if (want != PS_RSUM_CONTACT)
		sum = arena_alloc(&r->a, size);
	else if (size <= r->scratch_cap)
		sum = r->scratch;
	else if ((sum = realloc(r->scratch, size)) != NULL) {
		r->scratch = sum;
		r->scratch_cap = size;
	}
	if (sum == NULL) {
		*nomem = 1;
		return NULL;
	}
	git_oid_cpy(&sum->blob, blob);
	sum->kind = (int)k;
	text = (char *)&sum->f[kinds[k].n];
	for (i = 0, at = 1; i < kinds[k].n; i++) {
		n = (size_t)p[at] | (size_t)p[at + 1] << 8;
		at += 2;
		sum->f[i] = NULL;
		if (n == 0)
			continue;
		memcpy(text, p + at, n - 1);
		text[n - 1] = '\0';
		sum->f[i] = text;
		text += n;
		at += n - 1;
	}
	return sum;
}

static int
kind_of(const struct ps_node *rec, int contacts)
{
	const char *k = ps_record_kind(rec);

	if (contacts)
		return PS_RSUM_CONTACT;
	return ps_streq(k, "participant") ? PS_RSUM_PARTICIPANT :
	    ps_streq(k, "volunteer") ? PS_RSUM_VOLUNTEER : PS_RSUM_MATCH;
}

/* A record file: its summary from the cache, else from its blob. */
static int
each_cb(void *arg, const char *rel, const git_oid *blob, struct ps_diags *d)
{
	struct ps_rsums *r = arg;
	struct ps_node *rec = NULL;
	const struct ps_rsum *sum = NULL;
	const void *p = NULL;
	size_t len = 0;
	int rc, nomem = 0, want = r->contacts ? PS_RSUM_CONTACT : -1;

	if (r->cache && (p = ps_rcache_get(r->cache, blob, &len)) != NULL)
		sum = decode(r, p, len, want, blob, &nomem);
	if (sum == NULL && !nomem) {
		if ((rc = ps_store_read_blob(r->s, blob, rel, &rec, d)) != 0 ||
		    rec == NULL)
			return rc;	/* not a good record: reported */
		if (encode(&r->enc, rec, kind_of(rec, r->contacts)) == 0) {
			sum = decode(r, (unsigned char *)r->enc.s, r->enc.len,
			    want, blob, &nomem);
			/* a blob cached as another kind stays so */
			if (sum && r->cache && p == NULL &&
			    ps_rcache_put(r->cache, blob, r->enc.s,
			    r->enc.len) == -1)
				nomem = 1;
		}
		ps_node_free(rec);
	}
	if (nomem || sum == NULL)
		return ps_diag_nomem(d);
	return r->fn(r->arg, sum, d);
}

int
ps_rsums_each(struct ps_rsums *r, const char *dir, int contacts,
    ps_rsum_fn fn, void *arg, struct ps_diags *d)
{
	r->contacts = contacts;
	r->fn = fn;
	r->arg = arg;
	return ps_store_each_blob(r->s, &r->commit, dir, each_cb, r, d);
}

int
ps_rsums_record(struct ps_rsums *r, const struct ps_rsum *sum,
    struct ps_node **out, struct ps_diags *d)
{
	int rc = ps_store_read_blob(r->s, &sum->blob, sum->f[0] ? sum->f[0] :
	    "record", out, d);

	if (rc == 0 && *out == NULL)
		rc = ps_diag_err(d, PS_STORE, "%s: a record read before is "
		    "no longer good", sum->f[0] ? sum->f[0] : "record");
	return rc;
}

void
ps_rsums_free(struct ps_rsums *r)
{
	size_t i;

	if (r == NULL)
		return;
	if (r->cache)
		ps_rcache_save(r->cache);	/* else it is worked out again */
	ps_rcache_free(r->cache);
	for (i = 0; i < r->a.n; i++)
		free(r->a.chunk[i]);
	free(r->a.chunk);
	free(r->scratch);
	ps_buf_release(&r->enc);
	free(r);
}
