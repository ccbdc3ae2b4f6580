/* intake: applications in, updated, withdrawn, listed; see intake.h. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util/date.h"
#include "util/id.h"
#include "util/map.h"
#include "util/mem.h"
#include "util/str.h"
#include "util/tz.h"
#include "model/csvmap.h"
#include "model/program.h"
#include "model/record.h"
#include "model/yaml.h"
#include "store/txn.h"
#include "rules/dupkeys.h"
#include "rules/status.h"
#include "ops/intake.h"

/* Fields the toolkit sets; an application may not. */
static const char *const tool_fields[] = { "id", "status", "received",
    "status_history", "withdrawn", "closed", "erased", "linked", "decision",
    "screening", "onboarding", "leave", NULL };

/* Fields trimmed of surrounding blanks (the rest is as typed). */
static const char *const trimmed[] = { "name.first", "name.last",
    "name.preferred", "contact.email", "contact.phone",
    "contact.address.line1", "contact.address.line2",
    "contact.address.city", "contact.address.region",
    "contact.address.postal_code", "region", "timezone", "gender", "stream",
    "role", NULL };


struct intake {
	struct ps_store			*s;
	const struct ps_intake_opts	*o;
	struct ps_txn			*t;
	struct ps_dupkeys		 dups;	/* probable duplicates */
	const struct ps_node		*self;	/* on update: the record */
	struct ps_buf			 out;
	char				 now[26];
	size_t				 accepted[2];	/* participants, volunteers */
	size_t				 refused;
};

/*
 * A phone number in one form: "+1 613 555 0142" for North America (ten
 * digits, or eleven starting with 1), else "+" and the digits; an
 * extension ("x123", "ext. 123") kept as " x123". -1 if not a number.
 */
static int
phone_canonical(const char *in, char *out, size_t outlen)
{
	char digits[32], ext[16];
	size_t nd = 0, ne = 0;
	int plus = 0, in_ext = 0;
	const char *p;

	for (p = in; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (in_ext) {
				if (ne + 1 >= sizeof(ext))
					return -1;
				ext[ne++] = *p;
			} else {
				if (nd + 1 >= sizeof(digits))
					return -1;
				digits[nd++] = *p;
			}
		} else if (*p == '+' && nd == 0 && !plus)
			plus = 1;
		else if (*p == 'x' || *p == 'X' || strncasecmp(p, "ext", 3) == 0) {
			if (in_ext || nd == 0)
				return -1;
			in_ext = 1;
			if (*p != 'x' && *p != 'X')
				p += 2;
		} else if (!strchr(" -.()/", *p) && !(in_ext && *p == ' '))
			return -1;
	}
	digits[nd] = '\0';
	ext[ne] = '\0';
	if (in_ext && ne == 0)
		return -1;
	if ((!plus && nd == 10) || (nd == 11 && digits[0] == '1'))
		snprintf(out, outlen, "+1 %.3s %.3s %.4s", digits + nd - 10,
		    digits + nd - 7, digits + nd - 4);
	else if (plus && nd >= 8 && nd <= 15)
		snprintf(out, outlen, "+%s", digits);
	else
		return -1;
	if (ne) {
		size_t l = strlen(out);

		snprintf(out + l, outlen - l, " x%s", ext);
	}
	return 0;
}

/* Normalise what is safe to normalise; errors for what cannot be. */
static size_t
normalise(struct ps_node *rec, const char *file, struct ps_diags *d)
{
	struct ps_node *n, *langs;
	char phone[64];
	size_t i, bad = 0;

	for (i = 0; trimmed[i]; i++)
		ps_node_trim(ps_node_get(rec, trimmed[i]));
	if ((n = ps_node_get(rec, "contact.email")) &&
	    n->type == PS_NODE_SCALAR)
		ps_str_lower(n->str);
	for (i = 0; i < 2; i++) {
		n = ps_node_get(rec, i ? "contact.address.region" : "region");
		if (n && n->type == PS_NODE_SCALAR) {
			char *c;

			for (c = n->str; *c; c++)
				*c = (char)toupper((unsigned char)*c);
		}
	}
	if ((langs = ps_node_get(rec, "languages")) &&
	    langs->type == PS_NODE_SEQ)
		for (i = 0; i < langs->n; i++)
			if (langs->vals[i]->type == PS_NODE_SCALAR) {
				ps_node_trim(langs->vals[i]);
				ps_str_lower(langs->vals[i]->str);
			}
	if ((n = ps_node_get(rec, "contact.phone")) &&
	    n->type == PS_NODE_SCALAR) {
		if (phone_canonical(n->str, phone, sizeof(phone)) == -1) {
			ps_diag_add(d, PS_REFUSED, file, n->line, n->col,
			    "contact.phone", "not a phone number: give ten "
			    "digits, or + and the country code");
			bad++;
		} else {
			/* the canonical form may be longer: rebuild */
			struct ps_node *c = ps_node_new_str(phone);

			if (c == NULL) {
				ps_diag_nomem(d);
				return bad + 1;
			}
			c->line = n->line;
			c->col = n->col;
			ps_node_set(rec, "contact.phone", c);
		}
	}
	return bad;
}

static const char *
consent_title(const char *type)
{
	return strcmp(type, "pledge") == 0 ? "the confidentiality pledge" :
	    strcmp(type, "privacy") == 0 ? "the privacy notice" :
	    "the data-sharing consent";
}

/* Is a consent of this type given, in the current version? */
static size_t
require_consent(const struct ps_node *rec, const char *type,
    const char *version, const char *file, struct ps_diags *d)
{
	const struct ps_node *cs = ps_node_get(rec, "consents"), *c;
	const char *t, *g, *v;
	char path[64];
	size_t i;

	for (i = 0; cs && cs->type == PS_NODE_SEQ && i < cs->n; i++) {
		c = cs->vals[i];
		t = ps_node_get_str(c, "type");
		g = ps_node_get_str(c, "given");
		v = ps_node_get_str(c, "version");
		if (t == NULL || strcmp(t, type) != 0 || g == NULL ||
		    strcmp(g, "true") != 0)
			continue;
		if (v && strcmp(v, version) == 0)
			return 0;
		snprintf(path, sizeof(path), "consents.%zu.version", i);
		c = ps_node_get(c, "version");
		ps_diag_add(d, PS_REFUSED, file, c ? c->line : rec->line,
		    c ? c->col : rec->col, path, "%s agreed to is not the "
		    "current version (%s)", consent_title(type), version);
		return 1;
	}
	ps_diag_add(d, PS_REFUSED, file, rec->line, rec->col, "consents",
	    "%s (version %s) must be agreed to", consent_title(type), version);
	return 1;
}

/* Is there a diagnostic about path among d's since from? */
static int
reported(const struct ps_diags *d, size_t from, const char *path)
{
	size_t i;

	for (i = from; i < d->n; i++)
		if (d->v[i].path && strcmp(d->v[i].path, path) == 0)
			return 1;
	return 0;
}

/*
 * The programme's rules: streams, roles, consents. A field that an
 * earlier check (the schema's) already reported since diagnostic from
 * is not reported again. The messages name the streams and roles of the
 * programme, never the value submitted: a stream or role field may hold
 * an applicant's own words.
 */
static size_t
program_rules(struct ps_store *s, const struct ps_node *rec, const char *file,
    size_t from, struct ps_diags *d)
{
	const struct ps_node *prog = s->program, *streams, *st, *n;
	const char *kind = ps_record_kind(rec), *role, *v;
	size_t bad = 0, i;
	char list[256], path[64];
	int pledge = 0;

	streams = ps_node_map_get(prog, "streams");
	ps_node_names(streams, list, sizeof(list));
	if (strcmp(kind, "participant") == 0) {
		n = ps_node_map_get(rec, "stream");
		st = n && n->type == PS_NODE_SCALAR ?
		    ps_program_stream(prog, n->str) : NULL;
		role = ps_node_get_str(rec, "role");
		if (n && st == NULL) {
			if (!reported(d, from, "stream")) {
				ps_diag_add(d, PS_REFUSED, file, n->line,
				    n->col, "stream", "not a stream of this "
				    "programme (it has: %s)", list);
				bad++;
			}
		} else if (st && role &&
		    !ps_node_seq_has(ps_node_map_get(st, "roles"), role) &&
		    !reported(d, from, "role")) {
			n = ps_node_map_get(rec, "role");
			ps_node_names(ps_node_map_get(st, "roles"), list,
			    sizeof(list));
			ps_diag_add(d, PS_REFUSED, file, n->line, n->col,
			    "role", "stream \"%s\" does not take this role (it "
			    "takes: %s)", ps_node_get_str(rec, "stream"), list);
			bad++;
		}
		v = st ? ps_node_get_str(st, "pledge_required") : NULL;
		pledge = v && strcmp(v, "true") == 0;
	} else {
		n = ps_node_map_get(rec, "streams");
		for (i = 0; n && n->type == PS_NODE_SEQ && i < n->n; i++) {
			if (n->vals[i]->type == PS_NODE_SCALAR &&
			    ps_program_stream(prog, n->vals[i]->str))
				continue;
			snprintf(path, sizeof(path), "streams.%zu", i);
			if (reported(d, from, path))
				continue;
			ps_diag_add(d, PS_REFUSED, file, n->vals[i]->line,
			    n->vals[i]->col, path, "not a stream of this "
			    "programme (it has: %s)", list);
			bad++;
		}
	}
	if (ps_node_seq_has(ps_node_get(prog, "consents.pledge.required_for"),
	    kind))
		pledge = 1;
	if (pledge && (v = ps_node_get_str(prog, "consents.pledge.version")))
		bad += require_consent(rec, "pledge", v, file, d);
	if ((v = ps_node_get_str(prog, "consents.privacy.version")))
		bad += require_consent(rec, "privacy", v, file, d);
	return bad;
}

/* Check for a probable duplicate; link or refuse. */
static size_t
check_duplicate(struct intake *in, struct ps_node *rec, const char *file,
    struct ps_diags *d)
{
	static const char *const why[] = { "email address", "phone number",
	    "name and birth year" };
	char keys[3][600];
	const char *found, *self = ps_record_id(rec);
	size_t i, n = ps_dupkeys_of(rec, keys);
	struct ps_node *linked = NULL;

	for (i = 0; i < n; i++) {
		if ((found = ps_dupkeys_find(&in->dups, keys[i],
		    in->self)) == NULL ||
		    (self && strcmp(found, self) == 0))
			continue;
		if (!in->o->allow_duplicate) {
			ps_diag_add(d, PS_REFUSED, file, rec->line, rec->col,
			    NULL, "probable duplicate of %s (same %s); use "
			    "--allow-duplicate to store and link both", found,
			    why[keys[i][2] == 'e' ? 0 : keys[i][2] == 'p' ? 1 :
			    2]);
			return 1;
		}
		if (linked == NULL && (linked = ps_node_get(rec, "linked")) ==
		    NULL) {
			if (ps_node_map_set(rec, "linked", ps_node_new_seq()))
				return ps_diag_nomem(d), 1;
			linked = ps_node_get(rec, "linked");
		}
		if (!ps_node_seq_has(linked, found) &&
		    ps_node_seq_append(linked, ps_node_new_str(found)) == -1)
			return ps_diag_nomem(d), 1;
	}
	return 0;
}

static int
set_history(struct ps_node *rec, const char *status, const char *when,
    const char *reason)
{
	struct ps_node *h = ps_node_get(rec, "status_history"), *e;

	if (h == NULL) {
		if (ps_node_map_set(rec, "status_history", ps_node_new_seq()))
			return -1;
		h = ps_node_get(rec, "status_history");
	}
	if ((e = ps_node_new_map()) == NULL)
		return -1;
	if (ps_node_set_str(e, "status", status) ||
	    ps_node_set_plain(e, "date", when) ||
	    ps_node_set_str(e, "by", "ps-apply") ||
	    (reason && ps_node_set_str(e, "reason", reason))) {
		ps_node_free(e);
		return -1;
	}
	return ps_node_seq_append(h, e);
}

/* Take in one application; its diagnostics name file and positions. */
static void
take(struct intake *in, struct ps_node *rec, const char *file,
    struct ps_diags *d)
{
	const struct ps_intake_opts *o = in->o;
	const char *kind;
	struct ps_node *k;
	char id[PS_ID_LEN + 1], keys[3][600];
	size_t bad = 0, i, n, from;

	if (rec->type != PS_NODE_MAP) {
		ps_diag_add(d, PS_REFUSED, file, rec->line, rec->col, NULL,
		    "an application must be a mapping of fields");
		in->refused++;
		return;
	}
	k = ps_node_map_get(rec, "kind");
	if (k == NULL && o->as) {
		if (ps_node_map_set(rec, "kind", ps_node_new_str(o->as))) {
			ps_diag_nomem(d);
			return;
		}
	} else if (k && o->as && strcmp(k->str, o->as) != 0) {
		ps_diag_add(d, PS_REFUSED, file, k->line, k->col, "kind",
		    "is not \"%s\" as --as says", o->as);
		bad++;
	}
	kind = ps_record_kind(rec);
	if (kind == NULL || (strcmp(kind, "participant") != 0 &&
	    strcmp(kind, "volunteer") != 0)) {
		ps_diag_add(d, PS_REFUSED, file, k ? k->line : rec->line,
		    k ? k->col : rec->col, "kind", k ? "an application is a "
		    "participant or a volunteer" : "required field is missing "
		    "(or say --as participant or --as volunteer)");
		in->refused++;
		return;
	}
	if (o->stream && strcmp(kind, "participant") == 0 &&
	    ps_node_map_get(rec, "stream") == NULL)
		ps_node_map_set(rec, "stream", ps_node_new_str(o->stream));
	if (o->stream && strcmp(kind, "volunteer") == 0 &&
	    ps_node_map_get(rec, "streams") == NULL) {
		struct ps_node *seq = ps_node_new_seq();

		if (seq && ps_node_seq_append(seq, ps_node_new_str(o->stream))
		    == 0)
			ps_node_map_set(rec, "streams", seq);
		else
			ps_node_free(seq);
	}
	for (i = 0; tool_fields[i]; i++)
		if ((k = ps_node_map_get(rec, tool_fields[i])) != NULL) {
			/* position of the key: find it */
			size_t j;

			for (j = 0; j < rec->n; j++)
				if (strcmp(rec->keys[j]->str,
				    tool_fields[i]) == 0)
					k = rec->keys[j];
			ps_diag_add(d, PS_REFUSED, file, k->line, k->col,
			    tool_fields[i], "is set by the toolkit, not by an "
			    "application");
			bad++;
		}
	if (bad) {
		in->refused++;
		return;
	}
	from = d->n;
	{
		/* normalising already reported a field: the schema's own
		   complaint about it would only repeat it */
		struct ps_diags norm = PS_DIAGS_INIT, sch = PS_DIAGS_INIT;

		bad += normalise(rec, file, &norm);
		if (ps_txn_new_id(in->t, kind, NULL, id, d) != 0 ||
		    ps_node_set_str(rec, "id", id) ||
		    ps_node_set_str(rec, "status", "applied") ||
		    ps_node_set_plain(rec, "received", in->now) ||
		    set_history(rec, "applied", in->now, NULL)) {
			ps_diag_nomem(d);
			ps_diags_release(&norm);
			in->refused++;
			return;
		}
		bad += ps_record_check(in->s->schemas, rec, file, &sch);
		for (i = 0; i < sch.n; i++) {
			size_t j;

			for (j = 0; j < norm.n; j++)
				if (sch.v[i].path && norm.v[j].path &&
				    strcmp(sch.v[i].path, norm.v[j].path) == 0)
					break;
			if (j < norm.n)
				continue;
			ps_diag_add(d, sch.v[i].status, sch.v[i].file,
			    sch.v[i].line, sch.v[i].col, sch.v[i].path, "%s",
			    sch.v[i].msg);
		}
		ps_diags_move(d, &norm);
		ps_diags_release(&sch);
	}
	bad += program_rules(in->s, rec, file, from, d);
	if (bad == 0)
		bad += check_duplicate(in, rec, file, d);
	if (bad == 0 && ps_node_map_get(rec, "linked") &&
	    ps_record_check(in->s->schemas, rec, file, d) != 0)
		bad++;	/* re-sort keys after linking */
	if (bad) {
		in->refused++;
		return;
	}
	n = ps_dupkeys_of(rec, keys);
	for (i = 0; i < n; i++)
		if (ps_dupkeys_add_run(&in->dups, keys[i], id) == -1) {
			ps_diag_nomem(d);
			in->refused++;
			return;
		}
	if (ps_txn_put(in->t, rec, d) != 0) {
		in->refused++;
		return;
	}
	/* its keys for the cache once committed (ps_dupkeys_commit) */
	if (ps_dupkeys_add_pending(&in->dups, rec) == -1 ||
	    ps_record_emit(&in->out, rec) == -1) {
		ps_diag_nomem(d);
		in->refused++;
		return;
	}
	in->accepted[strcmp(kind, "volunteer") == 0]++;
}

static int
read_yaml(struct intake *in, int fd, const char *name, struct ps_diags *d)
{
	struct ps_yaml_reader *r = NULL;
	struct ps_node *rec = NULL;
	int rc;

	if ((rc = ps_yaml_reader_fd(&r, fd, name, PS_YAML_SPLIT_SEQ, d)) != 0)
		return rc;
	while ((rc = ps_yaml_reader_next(r, &rec, d)) == 0 && rec) {
		take(in, rec, name, d);
		ps_node_free(rec);
	}
	if (rc == PS_REFUSED)
		in->refused++;
	ps_yaml_reader_free(r);
	return rc == PS_STORE ? rc : 0;
}

/* A record of a CSV row, built by csvmap, taken in. */
static void
take_row(void *arg, struct ps_node *rec, const char *name, struct ps_diags *d)
{
	take(arg, rec, name, d);
}

static int
read_csv(struct intake *in, int fd, const char *name, struct ps_diags *d)
{
	struct ps_csvmap m = { in->o->map, in->s->program, in->s->schemas,
	    in->now, take_row, in, 0 };
	int rc;

	rc = ps_csvmap_read(&m, fd, name, d);
	in->refused += m.refused;
	return rc;
}

static int
read_inputs(struct intake *in, struct ps_diags *d)
{
	const struct ps_intake_opts *o = in->o;
	int i, n = o->nfiles > 0 ? o->nfiles : 1, fd, rc = 0;

	for (i = 0; i < n && rc == 0; i++) {
		const char *f = o->nfiles > 0 ? o->files[i] : "-";
		int is_stdin = strcmp(f, "-") == 0;
		const char *name = is_stdin ? "stdin" : f;

		if (is_stdin)
			fd = STDIN_FILENO;
		else if ((fd = open(f, O_RDONLY | O_CLOEXEC)) == -1) {
			rc = ps_diag_add(d, errno == ENOENT ? PS_REFUSED :
			    PS_STORE, f, 0, 0, NULL, "cannot open: %s",
			    strerror(errno));
			in->refused++;
			if (rc == PS_REFUSED)
				rc = 0;
			continue;
		}
		rc = o->map ? read_csv(in, fd, name, d) :
		    read_yaml(in, fd, name, d);
		if (!is_stdin)
			close(fd);
	}
	return rc;
}

static int
begin(struct intake *in, struct ps_store *s, const struct ps_intake_opts *o,
    struct ps_diags *d)
{
	const char *tz = ps_node_get_str(s->program, "timezone");

	memset(in, 0, sizeof(*in));
	in->s = s;
	in->o = o;
	ps_dupkeys_init(&in->dups, s, o->dry_run);
	if (ps_tz_format(tz, ps_date_now(), in->now, NULL) == -1)
		return ps_diag_err(d, PS_STORE, "program.yaml: no such time "
		    "zone on this system");
	return ps_txn_begin(&in->t, s, d);
}

static void
end(struct intake *in)
{
	ps_txn_free(in->t);
	ps_dupkeys_release(&in->dups);
	ps_buf_release(&in->out);
}

static int
commit(struct intake *in, const char *subject, FILE *out, struct ps_diags *d)
{
	struct ps_commit_info ci = { "ps-apply", subject, in->o->author,
	    in->o->dry_run };
	int rc;

	if ((rc = ps_txn_commit(in->t, &ci, d)) != 0)
		return rc;
	if (in->out.len)
		fwrite(in->out.s, 1, in->out.len, out);
	fflush(out);	/* before the cache: it may yet run out of memory */
	ps_dupkeys_commit(&in->dups, in->t);
	return 0;
}

int
ps_intake(struct ps_store *s, const struct ps_intake_opts *o, FILE *out,
    struct ps_diags *d)
{
	struct intake in;
	char subject[160], parts[100];
	size_t np, nv, total;
	int rc;

	if ((rc = begin(&in, s, o, d)) != 0 ||
	    (rc = ps_dupkeys_load(&in.dups, d)) != 0 ||
	    (rc = read_inputs(&in, d)) != 0)
		goto done;
	np = in.accepted[0];
	nv = in.accepted[1];
	total = np + nv;
	if (in.refused && !o->partial) {
		rc = PS_REFUSED;
		goto done;
	}
	if (total == 0) {
		rc = in.refused ? PS_REFUSED : ps_diag_err(d, PS_REFUSED,
		    "no applications in the input");
		goto done;
	}
	if (np && nv)
		snprintf(parts, sizeof(parts), " (%zu participant%s, %zu "
		    "volunteer%s)", np, np == 1 ? "" : "s", nv,
		    nv == 1 ? "" : "s");
	else
		snprintf(parts, sizeof(parts), " (%s%s)", np ? "participant" :
		    "volunteer", total == 1 ? "" : "s");
	snprintf(subject, sizeof(subject), "ps-apply: %zu application%s%s",
	    total, total == 1 ? "" : "s", parts);
	if ((rc = commit(&in, subject, out, d)) == 0 && in.refused)
		rc = PS_REFUSED;
done:
	end(&in);
	return rc;
}

/* Deep merge: mappings merge, everything else replaces. */
static int
merge(struct ps_node *dst, struct ps_node *src)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		struct ps_node *cur = ps_node_map_get(dst, src->keys[i]->str);
		struct ps_node *v = src->vals[i];

		if (cur && cur->type == PS_NODE_MAP && v->type == PS_NODE_MAP) {
			if (merge(cur, v) == -1)
				return -1;
			continue;
		}
		src->vals[i] = NULL;	/* moved */
		if (ps_node_map_set(dst, src->keys[i]->str, v) == -1)
			return -1;
		src->vals[i] = ps_node_new_map();	/* keep src freeable */
		if (src->vals[i] == NULL)
			return -1;
	}
	return 0;
}

static int
load_one(const char *file, struct ps_node **out, struct ps_diags *d)
{
	struct ps_yaml_reader *r = NULL;
	struct ps_node *extra = NULL;
	int rc, fd = STDIN_FILENO;
	const char *name = "stdin";

	*out = NULL;
	if (file && strcmp(file, "-") != 0) {
		if ((fd = open(file, O_RDONLY | O_CLOEXEC)) == -1)
			return ps_diag_add(d, PS_REFUSED, file, 0, 0, NULL,
			    "cannot open: %s", strerror(errno));
		name = file;
	}
	if ((rc = ps_yaml_reader_fd(&r, fd, name, 0, d)) == 0 &&
	    (rc = ps_yaml_reader_next(r, out, d)) == 0) {
		if (*out == NULL)
			rc = ps_diag_add(d, PS_REFUSED, name, 0, 0, NULL,
			    "no changes in the input");
		else if ((*out)->type != PS_NODE_MAP)
			rc = ps_diag_add(d, PS_REFUSED, name, (*out)->line,
			    (*out)->col, NULL, "changes must be a mapping of "
			    "fields");
		else if ((rc = ps_yaml_reader_next(r, &extra, d)) == 0 &&
		    extra)
			rc = ps_diag_add(d, PS_REFUSED, name, extra->line,
			    extra->col, NULL, "one record's changes at a time");
	}
	if (rc) {
		ps_node_free(*out);
		*out = NULL;
	}
	ps_node_free(extra);
	ps_yaml_reader_free(r);
	if (fd != STDIN_FILENO)
		close(fd);
	return rc;
}

int
ps_intake_update(struct ps_store *s, const char *id, const char *file,
    const struct ps_intake_opts *o, FILE *out, struct ps_diags *d)
{
	struct ps_node *rec = NULL, *chg = NULL, *k;
	const char *name = file && strcmp(file, "-") ? file : "stdin";
	char subject[80];
	struct intake in;
	size_t i, bad = 0, from;
	int rc;

	if ((rc = begin(&in, s, o, d)) != 0 ||
	    (rc = ps_store_get(s, id, &rec, d)) != 0)
		goto done;
	if (strcmp(ps_record_kind(rec), "participant") != 0 &&
	    strcmp(ps_record_kind(rec), "volunteer") != 0) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: not an application "
		    "(participant or volunteer)", id);
		goto done;
	}
	in.self = rec;
	if ((rc = ps_dupkeys_load(&in.dups, d)) != 0 ||
	    (rc = load_one(file, &chg, d)) != 0)
		goto done;
	for (i = 0; i < chg->n; i++) {
		const char *key = chg->keys[i]->str;
		size_t j;

		for (j = 0; tool_fields[j]; j++)
			if (strcmp(key, tool_fields[j]) == 0)
				break;
		if (tool_fields[j] || strcmp(key, "kind") == 0) {
			k = chg->keys[i];
			ps_diag_add(d, PS_REFUSED, name, k->line, k->col, key,
			    "is set by the toolkit and cannot be updated");
			bad++;
		}
	}
	if (bad || merge(rec, chg) == -1) {
		rc = bad ? PS_REFUSED : ps_diag_nomem(d);
		goto done;
	}
	from = d->n;
	bad += normalise(rec, name, d);
	bad += ps_record_check(s->schemas, rec, name, d);
	bad += program_rules(s, rec, name, from, d);
	if (bad == 0)
		bad += check_duplicate(&in, rec, name, d);
	if (bad) {
		rc = PS_REFUSED;
		goto done;
	}
	snprintf(subject, sizeof(subject), "ps-apply: update %s", id);
	if ((rc = ps_txn_put(in.t, rec, d)) == 0 &&
	    ps_record_emit(&in.out, rec) == 0)
		rc = commit(&in, subject, out, d);
done:
	ps_node_free(rec);
	ps_node_free(chg);
	end(&in);
	return rc;
}

struct ending {
	struct intake	*in;
	const char	*id;
	const char	*who;	/* participant or volunteer */
	struct ps_buf	 ids;
	size_t		 n;
	struct ps_diags	*d;
	int		 rc;
};

/* End a match, proposal or callback open for the withdrawn person. */
/*
 * A volunteer withdrew from a match under way: its participant goes back
 * on the waiting list (their waiting time counts from their application,
 * as when a match is declined).
 */
static int
rewait(struct intake *in, const char *pid, struct ps_diags *d)
{
	struct ps_node *p = NULL;
	int rc;

	if (pid == NULL)
		return 0;
	if ((rc = ps_store_get(in->s, pid, &p, d)) == 0 &&
	    ps_streq(ps_node_get_str(p, "status"), "matched")) {
		if (ps_record_set_status(p, "waiting", in->now, NULL,
		    "ps-apply", NULL))
			rc = ps_diag_nomem(d);
		else if (ps_record_check(in->s->schemas, p, pid, d) != 0)
			rc = PS_REFUSED;
		else
			rc = ps_txn_put(in->t, p, d);
	}
	ps_node_free(p);
	return rc;
}

static int
end_match(void *arg, const char *rel, struct ps_node *m, struct ps_diags *d)
{
	struct ending *e = arg;
	const char *st = ps_node_get_str(m, "status");
	const char *side = ps_node_get_str(m, e->who);
	const char *now = e->in->now;
	char day[11];

	if (side == NULL || strcmp(side, e->id) != 0 ||
	    !ps_status_match_open(st))
		return 0;
	memcpy(day, now, 10);
	day[10] = '\0';
	if (strcmp(st, "proposed") == 0) {
		if (ps_record_set_status(m, "declined", now, NULL, "ps-apply",
		    NULL) || ps_node_set_plain(m, "declined.date", day) ||
		    ps_node_set_str(m, "declined.by", e->who))
			return ps_diag_nomem(d);
	} else {	/* active or callback-open */
		if (ps_record_set_status(m, "ended", now, NULL, "ps-apply",
		    NULL) || ps_node_set_plain(m, "ended", now) ||
		    ps_node_set_str(m, "end_reason", strcmp(e->who,
		    "participant") == 0 ? "participant-request" :
		    "volunteer-request"))
			return ps_diag_nomem(d);
		if (strcmp(e->who, "volunteer") == 0 &&
		    (e->rc = rewait(e->in, ps_node_get_str(m, "participant"),
		    d)) != 0)
			return e->rc;
	}
	if (ps_record_check(e->in->s->schemas, m, rel, d) != 0)
		return PS_REFUSED;
	if ((e->rc = ps_txn_put(e->in->t, m, d)) != 0)
		return e->rc;
	ps_buf_printf(&e->ids, "%s%s", e->n++ ? ", " : "", ps_record_id(m));
	return 0;
}

int
ps_intake_withdraw(struct ps_store *s, const char *id, const char *reason,
    const struct ps_intake_opts *o, FILE *out, struct ps_diags *d)
{
	struct ps_node *rec = NULL;
	struct ending e;
	struct intake in;
	char subject[200], day[11];
	int rc;

	memset(&e, 0, sizeof(e));
	if ((rc = begin(&in, s, o, d)) != 0 ||
	    (rc = ps_store_get(s, id, &rec, d)) != 0)
		goto done;
	e.who = ps_record_kind(rec);
	if (strcmp(e.who, "participant") != 0 &&
	    strcmp(e.who, "volunteer") != 0) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: not an application "
		    "(participant or volunteer)", id);
		goto done;
	}
	if (strcmp(ps_node_get_str(rec, "status"), "withdrawn") == 0) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: already withdrawn", id);
		goto done;
	}
	memcpy(day, in.now, 10);
	day[10] = '\0';
	if (ps_node_set_str(rec, "status", "withdrawn") ||
	    ps_node_set_plain(rec, "withdrawn.date", day) ||
	    ps_node_set_str(rec, "withdrawn.reason", reason) ||
	    set_history(rec, "withdrawn", in.now, NULL)) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (ps_record_check(s->schemas, rec, id, d) != 0) {
		rc = PS_REFUSED;
		goto done;
	}
	e.in = &in;
	e.id = id;
	e.d = d;
	if ((rc = ps_store_each(s, "match", 0, end_match, &e, d)) != 0 ||
	    (rc = ps_txn_put(in.t, rec, d)) != 0)
		goto done;
	if (e.n)
		snprintf(subject, sizeof(subject), "ps-apply: withdraw %s "
		    "(ends %s)", id, e.ids.s);
	else
		snprintf(subject, sizeof(subject), "ps-apply: withdraw %s", id);
	if (ps_record_emit(&in.out, rec) == -1)
		rc = ps_diag_nomem(d);
	else
		rc = commit(&in, subject, out, d);
done:
	ps_buf_release(&e.ids);
	ps_node_free(rec);
	end(&in);
	return rc;
}

struct lister {
	const struct ps_list_opts	*o;
	FILE				*out;
	struct ps_buf			 b;
	size_t				 n;
	struct ps_buf			 rows;	/* table: 5 strings a row */
	int				 wstream, wstatus;
};

/* A table cell: kept NUL-terminated in rows; its width noted. */
static int
cell(struct lister *l, const char *s, int *width)
{
	size_t len = strlen(s);

	if (width && (int)len > *width)
		*width = (int)len;
	return ps_buf_add(&l->rows, s, len + 1);
}

static int
list_one(void *arg, const char *rel, struct ps_node *rec, struct ps_diags *d)
{
	struct lister *l = arg;
	const char *stream = ps_node_get_str(rec, "stream");
	const char *status = ps_node_get_str(rec, "status");
	const char *received = ps_node_get_str(rec, "received");
	const char *id = ps_record_id(rec), *kind = ps_record_kind(rec);

	(void)rel;
	if (l->o->stream && !(stream && strcmp(stream, l->o->stream) == 0) &&
	    !ps_node_seq_has(ps_node_get(rec, "streams"), l->o->stream))
		return 0;
	if (l->o->status && (status == NULL ||
	    strcmp(status, l->o->status) != 0))
		return 0;
	if (l->o->since && (received == NULL ||
	    strncmp(received, l->o->since, 10) < 0))
		return 0;
	l->n++;
	if (l->o->table) {
		/* a volunteer's streams, all of them: the column fits them */
		const struct ps_node *seq = ps_node_get(rec, "streams");
		char day[11];
		size_t i;

		ps_buf_truncate(&l->b, 0);
		if (ps_buf_puts(&l->b, stream ? stream : "") == -1)
			return ps_diag_nomem(d);
		for (i = 0; !stream && seq && seq->type == PS_NODE_SEQ &&
		    i < seq->n; i++)
			if (seq->vals[i]->type == PS_NODE_SCALAR &&
			    ps_buf_printf(&l->b, "%s%s", i ? ", " : "",
			    seq->vals[i]->str) == -1)
				return ps_diag_nomem(d);
		snprintf(day, sizeof(day), "%.10s", received ? received : "");
		if (cell(l, id ? id : "", NULL) == -1 ||
		    cell(l, kind ? kind : "", NULL) == -1 ||
		    cell(l, l->b.s, &l->wstream) == -1 ||
		    cell(l, status ? status : "", &l->wstatus) == -1 ||
		    cell(l, day, NULL) == -1)
			return ps_diag_nomem(d);
		return 0;
	}
	ps_buf_truncate(&l->b, 0);
	if (ps_record_emit(&l->b, rec) == -1)
		return ps_diag_nomem(d);
	fwrite(l->b.s, 1, l->b.len, l->out);
	return 0;
}

/*
 * The table: the stream and status columns as wide as their widest cell
 * (at least 12 and 10 columns), so that a volunteer's several streams do
 * not push a row out of line.
 */
static void
print_table(const struct lister *l)
{
	const char *p = l->rows.s, *f[5];
	size_t r, i;

	fprintf(l->out, "%-8s  %-11s  %-*s  %-*s  %s\n", "ID", "KIND",
	    l->wstream, "STREAM", l->wstatus, "STATUS", "RECEIVED");
	for (r = 0; r < l->n; r++) {
		for (i = 0; i < 5; i++) {
			f[i] = p;
			p += strlen(p) + 1;
		}
		fprintf(l->out, "%-8s  %-11s  %-*s  %-*s  %s\n", f[0], f[1],
		    l->wstream, f[2], l->wstatus, f[3], f[4]);
	}
}

int
ps_intake_list(struct ps_store *s, const struct ps_list_opts *o, FILE *out,
    struct ps_diags *d)
{
	struct lister l = { o, out, PS_BUF_INIT, 0, PS_BUF_INIT, 12, 10 };
	int rc = 0;

	if (o->since && ps_date_parse(o->since, NULL) == -1)
		return ps_diag_err(d, PS_USAGE, "--since: not a date "
		    "(YYYY-MM-DD)");
	if (o->kind == NULL || strcmp(o->kind, "participant") == 0)
		rc = ps_store_each(s, "participant", 0, list_one, &l, d);
	if (rc == 0 && (o->kind == NULL || strcmp(o->kind, "volunteer") == 0))
		rc = ps_store_each(s, "volunteer", 0, list_one, &l, d);
	if (rc == 0 && o->table)
		print_table(&l);
	ps_buf_release(&l.b);
	ps_buf_release(&l.rows);
	return rc ? rc : d->errors ? PS_REFUSED : 0;
}
