/* intake: applications in, updated, withdrawn, listed; see intake.h. */
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
#include "model/record.h"
#include "model/yaml.h"
#include "store/txn.h"
#include "rules/application.h"
#include "rules/dupkeys.h"
#include "rules/status.h"
#include "ops/intake.h"

/* Fields the toolkit sets; an application may not. */
static const char *const tool_fields[] = { "id", "status", "received",
    "status_history", "withdrawn", "closed", "erased", "linked", "decision",
    "screening", "onboarding", "leave", NULL };

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

		bad += ps_application_normalise(rec, file, &norm);
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
	bad += ps_application_check(in->s->program, rec, file, from, d);
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
	    ps_record_written(&in->out, rec, o->summary, "applied") == -1) {
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
	struct ps_buf what = PS_BUF_INIT;
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
	bad += ps_application_normalise(rec, name, d);
	bad += ps_record_check(s->schemas, rec, name, d);
	bad += ps_application_check(s->program, rec, name, from, d);
	if (bad == 0)
		bad += check_duplicate(&in, rec, name, d);
	if (bad) {
		rc = PS_REFUSED;
		goto done;
	}
	snprintf(subject, sizeof(subject), "ps-apply: update %s", id);
	if ((rc = ps_txn_put(in.t, rec, d)) != 0)
		goto done;
	/* what changed: the fields given, named as the schema names them */
	bad = ps_buf_puts(&what, "updated (") == -1;
	for (i = 0; i < chg->n; i++)
		bad += ps_buf_printf(&what, "%s%s", i ? ", " : "",
		    chg->keys[i]->str) == -1;
	if (bad || ps_buf_puts(&what, ")") == -1 ||
	    ps_record_written(&in.out, rec, o->summary, what.s) == -1)
		rc = ps_diag_nomem(d);
	else
		rc = commit(&in, subject, out, d);
done:
	ps_buf_release(&what);
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
	char subject[200], what[200], day[11];
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
	snprintf(what, sizeof(what), "withdrawn%s%s%s", e.n ? " (ends " : "",
	    e.n ? e.ids.s : "", e.n ? ")" : "");
	if (ps_record_written(&in.out, rec, o->summary, what) == -1)
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
