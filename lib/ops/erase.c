/*
 * erase: a person out of the store and its whole history; see erase.h.
 *
 * Here: the checks, the survey of the history, what becomes of each blob,
 * the erasure note and the report. The rewrite itself (store/rewrite.h)
 * keeps what it can: an object that holds nothing of the person keeps its
 * ID, so a tree, and a commit whose tree and parents did not change, are
 * the same objects as before; each blob is looked at once however many
 * commits share it. A blob is parsed only when its text names the
 * person's ID or one of their matches'. What no ref reaches any more is
 * then pruned (store/prune.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/repository.h>

#include "util/date.h"
#include "util/id.h"
#include "util/str.h"
#include "util/tz.h"
#include "model/ids.h"
#include "model/record.h"
#include "model/yaml.h"
#include "store/author.h"
#include "store/journal.h"
#include "store/oidmap.h"
#include "store/prune.h"
#include "store/rewrite.h"
#include "store/gitindex.h"
#include "store/splitindex.h"
#include "store/txn.h"
#include "rules/status.h"
#include "ops/erase.h"

#define MIN_VALUE	5	/* shorter values are not looked for */
#define MAX_WARN	10	/* files named as may still holding a value */

struct erase {
	struct ps_store			*s;
	const struct ps_erase_opts	*o;
	struct ps_diags			*d;
	struct ps_rewrite		 rw;	/* the history, in memory */
	const char			*id;
	const char			*kind;	/* participant, volunteer */
	char				 path[64];	/* their record file */
	char				 file[PS_ID_LEN + 6];
	const char			*dir;
	struct ps_ids			 matches;	/* theirs, ever */
	struct ps_ids			 redacted;
	struct ps_ids			 linked;
	char				**vals;	/* their sensitive values */
	size_t				 nvals, capvals;
	char				**idvals;	/* those that say who */
	size_t				 nidvals, capidvals;
	char				**warned;	/* paths */
	size_t				 nwarned, capwarned, unwarned;
	struct ps_oidmap		 seen;	/* blobs and trees surveyed */
	size_t				 versions;	/* of their record */
	size_t				 packed;	/* objects kept */
	git_oid				 erasure;	/* the new commit */
	char				**remotes;	/* names */
	size_t				 nremotes, capremotes;
	int				 had_note;	/* erasures/ID.yaml */
	int				 noted;		/* the branch moved
							   before a stop */
	const char			*log;		/* the commit's subject */
	int				 oom;
	struct timespec			 start;	/* on the store's clock */
	int				 journaled;	/* .git/ps-erase */
};

static int
strv_add(char ***v, size_t *n, size_t *cap, const char *s, size_t len)
{
	char **nv;

	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;

		if ((nv = realloc(*v, c * sizeof(*nv))) == NULL)
			return -1;
		*v = nv;
		*cap = c;
	}
	if (((*v)[*n] = strndup(s, len)) == NULL)
		return -1;
	(*n)++;
	return 0;
}

static int
ids_has(const struct ps_ids *l, const char *id)
{
	size_t i;

	for (i = 0; id && i < l->n; i++)
		if (strcmp(l->v[i], id) == 0)
			return 1;
	return 0;
}

/* Keep an ID in a list; quietly, it was read from the store. */
static int
note_id(struct erase *e, struct ps_ids *l, const char *id)
{
	struct ps_diags quiet = PS_DIAGS_INIT;
	int rc = 0;

	if (id && ps_id_valid(id))
		rc = ps_ids_add(l, id, &quiet) ? -1 : 0;
	ps_diags_release(&quiet);
	if (rc)
		e->oom = 1;
	return rc;
}

/* A record from a blob, or NULL when it is not one; nothing reported. */
static struct ps_node *
parse(const char *data, size_t len, const char *name)
{
	struct ps_diags quiet = PS_DIAGS_INIT;
	struct ps_node *rec = NULL;

	if (ps_yaml_load_mem(&rec, data, len, name, &quiet) != 0 ||
	    rec == NULL || rec->type != PS_NODE_MAP) {
		ps_node_free(rec);
		rec = NULL;
	}
	ps_diags_release(&quiet);
	return rec;
}

/* Does a record (not theirs) name the person, or one of their matches? */
static int
names_them(const struct erase *e, const struct ps_node *rec)
{
	const char *kind = ps_record_kind(rec);

	if (ps_streq(kind, "match"))
		return ps_streq(ps_node_get_str(rec, "participant"), e->id) ||
		    ps_streq(ps_node_get_str(rec, "volunteer"), e->id);
	if (ps_streq(kind, "contact"))
		return ps_streq(ps_node_get_str(rec, "participant"), e->id) ||
		    ps_streq(ps_node_get_str(rec, "volunteer"), e->id) ||
		    ids_has(&e->matches, ps_node_get_str(rec, "match"));
	if (ps_streq(kind, "group"))
		return ps_node_seq_has(ps_node_map_get(rec, "members"), e->id) ||
		    ps_node_seq_has(ps_node_map_get(rec, "facilitators"), e->id);
	return 0;
}

static int
is_theirs(const struct erase *e, const struct ps_node *rec)
{
	return ps_streq(ps_record_kind(rec), e->kind) &&
	    ps_streq(ps_record_id(rec), e->id);
}

static int
mentions(const struct erase *e, const char *data, size_t len)
{
	size_t i;

	if (memmem(data, len, e->id, PS_ID_LEN))
		return 1;
	for (i = 0; i < e->matches.n; i++)
		if (memmem(data, len, e->matches.v[i], PS_ID_LEN))
			return 1;
	return 0;
}

/* Add s to a list of values, once. */
static int
add_value(char ***v, size_t *n, size_t *cap, const struct ps_node *s)
{
	size_t j;

	for (j = 0; j < *n; j++)
		if (strcmp((*v)[j], s->str) == 0)
			return 0;
	return strv_add(v, n, cap, s->str, s->len);
}

/*
 * Collect the values of the sensitive fields of a version of their
 * record: a commit message may hold none of them. Those that say who
 * the person is (last name, email, phone, address, a referee's name) are
 * also looked for in the other files; texts in the person's own words
 * are not, as the same few words ("Happy to listen.") are often in
 * others' records too.
 */
static int
collect(struct erase *e, const struct ps_schema *sch, const struct ps_node *n,
    struct ps_buf *path)
{
	static const char *const who[] = { "last", "email", "phone", "line1",
	    "line2", "postal_code", "referee_name", NULL };
	const char *key;
	size_t i, len = path->len;

	if (n->type == PS_NODE_SCALAR) {
		if (n->len < MIN_VALUE || !ps_schema_sensitive(sch, path->s))
			return 0;
		if (add_value(&e->vals, &e->nvals, &e->capvals, n) == -1)
			return -1;
		key = strrchr(path->s, '.');
		key = key ? key + 1 : path->s;
		for (i = 0; who[i]; i++)
			if (strcmp(key, who[i]) == 0)
				return add_value(&e->idvals, &e->nidvals,
				    &e->capidvals, n);
		return 0;
	}
	for (i = 0; i < n->n; i++) {
		if (len && ps_buf_putc(path, '.'))
			return -1;
		if ((n->type == PS_NODE_MAP ? ps_buf_puts(path,
		    n->keys[i]->str) : ps_buf_printf(path, "%zu", i)) ||
		    collect(e, sch, n->vals[i], path))
			return -1;
		ps_buf_truncate(path, len);
	}
	return 0;
}

static int
survey_record(struct erase *e, const git_oid *oid)
{
	const struct ps_schema *sch = ps_schemas_get(e->s->schemas, e->kind);
	struct ps_buf path = PS_BUF_INIT;
	struct ps_node *rec = NULL;
	git_blob *b = NULL;
	int rc = 0;

	if (ps_oidmap_get(&e->seen, oid))
		return 0;
	if (ps_oidmap_put(&e->seen, oid, oid, PS_REWRITE_KEPT))
		return ps_diag_nomem(e->d);
	e->versions++;
	if (git_blob_lookup(&b, e->rw.repo, oid) < 0)
		return ps_git_error(e->d, e->path);
	rec = parse(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
	    e->path);
	if (rec && sch && ps_buf_puts(&path, "") == 0 &&
	    collect(e, sch, rec, &path) == -1)
		rc = ps_diag_nomem(e->d);
	ps_node_free(rec);
	ps_buf_release(&path);
	git_blob_free(b);
	return rc;
}

/* The IDs of the matches in a matches/ tree that name the person. */
static int
survey_matches(struct erase *e, const git_oid *tid)
{
	git_tree *t = NULL;
	git_blob *b = NULL;
	struct ps_node *rec;
	size_t i, n;
	int rc = 0;

	if (ps_oidmap_get(&e->seen, tid))
		return 0;
	if (ps_oidmap_put(&e->seen, tid, tid, PS_REWRITE_KEPT))
		return ps_diag_nomem(e->d);
	if (git_tree_lookup(&t, e->rw.repo, tid) < 0)
		return ps_git_error(e->d, "matches");
	n = git_tree_entrycount(t);
	for (i = 0; i < n && rc == 0; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(t, i);
		const git_oid *oid = git_tree_entry_id(te);

		if (git_tree_entry_type(te) != GIT_OBJECT_BLOB ||
		    ps_oidmap_get(&e->seen, oid))
			continue;
		if (ps_oidmap_put(&e->seen, oid, oid, PS_REWRITE_KEPT)) {
			rc = ps_diag_nomem(e->d);
			break;
		}
		if (git_blob_lookup(&b, e->rw.repo, oid) < 0) {
			rc = ps_git_error(e->d, git_tree_entry_name(te));
			break;
		}
		if (memmem(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b),
		    e->id, PS_ID_LEN) &&
		    (rec = parse(git_blob_rawcontent(b),
		    (size_t)git_blob_rawsize(b), "match")) != NULL) {
			if (names_them(e, rec) &&
			    note_id(e, &e->matches, ps_record_id(rec)))
				rc = ps_diag_nomem(e->d);
			ps_node_free(rec);
		}
		git_blob_free(b);
		b = NULL;
	}
	git_tree_free(t);
	return rc;
}

/* Every direct ref, peeled to its commit; refused, one that erasure
   cannot rewrite. */
static int
survey_refs(struct erase *e, const char *branch)
{
	const char *name;
	int rc;

	if ((rc = ps_rewrite_refs(&e->rw, branch)) != 0)
		return rc;
	name = e->rw.nrefs ? e->rw.refs[e->rw.nrefs - 1].name : NULL;
	switch (e->rw.refused) {
	case PS_REWRITE_STASH:
		return ps_diag_err(e->d, PS_REFUSED, "the store has stashed "
		    "changes: apply and commit them, or drop them (git stash "
		    "list), then erase");
	case PS_REWRITE_BAD_TAG:
		return ps_diag_err(e->d, PS_REFUSED, "%s: a tag of a tag, of a "
		    "tree or of a blob, or with no tagger; erasure rewrites "
		    "refs to commits: delete it first (git tag -d)", name);
	case PS_REWRITE_NOT_COMMIT:
		return ps_diag_err(e->d, PS_REFUSED, "%s: does not point to a "
		    "commit; erasure rewrites refs to commits: delete it "
		    "first (git update-ref -d)", name);
	}
	return 0;
}

/* In the tree of a commit: the person's record, and the matches naming
   them. */
static int
survey_tree(void *arg, const git_tree *t)
{
	struct erase *e = arg;
	git_tree_entry *te = NULL;
	int rc = 0;

	if (git_tree_entry_bypath(&te, t, e->path) == 0) {
		if (git_tree_entry_type(te) == GIT_OBJECT_BLOB)
			rc = survey_record(e, git_tree_entry_id(te));
		git_tree_entry_free(te);
		te = NULL;
	}
	if (rc == 0 && git_tree_entry_bypath(&te, t, "matches") == 0) {
		if (git_tree_entry_type(te) == GIT_OBJECT_TREE)
			rc = survey_matches(e, git_tree_entry_id(te));
		git_tree_entry_free(te);
	}
	return rc;
}

/*
 * Every commit, parents first; in each, the person's record and the
 * matches naming them. Then the messages: none may hold a value of
 * their record.
 */
static int
survey(struct erase *e)
{
	git_commit *c = NULL;
	size_t i, j;
	int rc;

	if ((rc = ps_rewrite_walk(&e->rw, survey_tree, e)) != 0)
		return rc;
	/* the messages, now that every value is known */
	for (i = 0; i < e->rw.ncommits; i++) {
		const char *msg;

		if (git_commit_lookup(&c, e->rw.repo, &e->rw.order[i]) < 0) {
			rc = ps_git_error(e->d, "cannot read a commit");
			goto done;
		}
		msg = git_commit_message_raw(c);
		for (j = 0; msg && j < e->nvals; j++)
			if (strcasestr(msg, e->vals[j])) {
				char hex[8];

				git_oid_tostr(hex, sizeof(hex),
				    &e->rw.order[i]);
				rc = ps_diag_err(e->d, PS_REFUSED, "commit %s: "
				    "its message holds a value of the record of "
				    "%s: reword it first (git rebase -i), then "
				    "erase", hex, e->id);
				break;
			}
		git_commit_free(c);
		c = NULL;
	}
	for (i = 0; i < e->rw.nrefs; i++) {
		git_tag *tag = NULL;
		const char *msg;

		if (!e->rw.refs[i].tag)
			continue;
		if (git_tag_lookup(&tag, e->rw.repo, &e->rw.refs[i].old) < 0) {
			rc = ps_git_error(e->d, e->rw.refs[i].name);
			goto done;
		}
		msg = git_tag_message(tag);
		for (j = 0; msg && j < e->nvals; j++)
			if (strcasestr(msg, e->vals[j])) {
				rc = ps_diag_err(e->d, PS_REFUSED, "%s: the tag's "
				    "message holds a value of the record of %s: "
				    "delete the tag first (git tag -d), then "
				    "erase", e->rw.refs[i].name, e->id);
				break;
			}
		git_tag_free(tag);
	}
done:
	git_commit_free(c);
	return rc;
}

/* Warn, once a file and MAX_WARN files at most, of a file that holds a
   value of their record and was kept. */
static int
scan(struct erase *e, const char *data, size_t len, const char *path)
{
	size_t i, j;

	for (i = 0; i < e->nidvals; i++) {
		if (!memmem(data, len, e->idvals[i], strlen(e->idvals[i])))
			continue;
		for (j = 0; j < e->nwarned; j++)
			if (strcmp(e->warned[j], path) == 0)
				return 0;
		if (strv_add(&e->warned, &e->nwarned, &e->capwarned, path,
		    strlen(path)))
			return ps_diag_nomem(e->d);
		if (e->nwarned > MAX_WARN)
			e->unwarned++;
		else
			ps_diag_warn(e->d, "%s: holds a value of the record of "
			    "%s in some commit, and was kept as it was: check "
			    "it", path, e->id);
		return 0;
	}
	return 0;
}

/*
 * A blob (ps_rewrite_run: *out and *state say it is kept): the person's
 * record goes; a record naming them loses its sensitive fields, written
 * again in the canonical form; a file that names them but is not a
 * record that can be read goes too (say so).
 */
static int
rewrite_blob(void *arg, const git_oid *oid, const char *path, git_oid *out,
    int *state)
{
	struct erase *e = arg;
	struct ps_buf text = PS_BUF_INIT;
	const struct ps_schema *sch;
	struct ps_node *rec = NULL;
	git_blob *b = NULL;
	const char *data;
	size_t len;
	int rc = 0;

	/* a note of an erasure (this one, run again) is not a record */
	if (strncmp(path, "erasures/", 9) == 0)
		return 0;
	if (git_blob_lookup(&b, e->rw.repo, oid) < 0)
		return ps_git_error(e->d, path);
	data = git_blob_rawcontent(b);
	len = (size_t)git_blob_rawsize(b);
	if (!mentions(e, data, len))
		goto scan;
	if ((rec = parse(data, len, path)) == NULL) {
		*state = PS_REWRITE_DROPPED;
		ps_diag_warn(e->d, "%s: names %s but cannot be read as a "
		    "record: removed from the commits that hold that version",
		    path, e->id);
		goto done;
	}
	if (is_theirs(e, rec)) {
		*state = PS_REWRITE_DROPPED;
		goto done;
	}
	if (!names_them(e, rec)) {
		if (ps_node_seq_has(ps_node_map_get(rec, "linked"), e->id) &&
		    note_id(e, &e->linked, ps_record_id(rec)))
			rc = ps_diag_nomem(e->d);
		goto scan;
	}
	sch = ps_schemas_get(e->s->schemas, ps_record_kind(rec));
	if (sch == NULL)
		goto scan;
	if (ps_schema_redact(sch, rec) == -1 || ps_yaml_write(&text, rec)) {
		rc = ps_diag_nomem(e->d);
		goto done;
	}
	if (text.len == len && memcmp(text.s, data, len) == 0)
		goto scan;
	if (git_blob_create_from_buffer(out, e->rw.repo, text.s,
	    text.len) < 0) {
		rc = ps_git_error(e->d, path);
		goto done;
	}
	*state = PS_REWRITE_CHANGED;
	if (note_id(e, &e->redacted, ps_record_id(rec)))
		rc = ps_diag_nomem(e->d);
	data = text.s;
	len = text.len;
scan:
	if (rc == 0)
		rc = scan(e, data, len, path);
done:
	ps_node_free(rec);
	ps_buf_release(&text);
	git_blob_free(b);
	return rc;
}

/* The note committed on the branch: who was erased, when and by whom. */
static int
note(struct erase *e, const git_signature *sig, struct ps_buf *text)
{
	const char *tz = ps_node_get_str(e->s->program, "timezone");
	struct ps_node *n = NULL, *l = NULL;
	char when[26], num[32];
	size_t i;
	int rc = -1;

	if (ps_tz_format(tz, ps_date_now(), when, NULL) == -1)
		return ps_diag_err(e->d, PS_STORE, "program.yaml: no such time "
		    "zone on this system");
	snprintf(num, sizeof(num), "%zu", e->rw.rewritten);
	if ((n = ps_node_new_map()) == NULL ||
	    ps_node_set_str(n, "id", e->id) ||
	    ps_node_set_str(n, "kind", e->kind) ||
	    ps_node_set_plain(n, "erased", when) ||
	    ps_node_set_str(n, "by", sig->name) ||
	    ps_node_set_plain(n, "commits_rewritten", num))
		goto done;
	if (e->redacted.n) {
		if ((l = ps_node_new_seq()) == NULL)
			goto done;
		for (i = 0; i < e->redacted.n; i++)
			if (ps_node_seq_append(l, ps_node_new_str(
			    e->redacted.v[i])))
				goto done;
		rc = ps_node_map_set(n, "records_redacted", l);
		l = NULL;
		if (rc)
			goto done;
		rc = -1;
	}
	if (ps_buf_puts(text, "# An erasure (ps-apply --erase): the record of "
	    "this person, and the\n# personal data other records held about "
	    "them, were removed from the\n# whole history of the store. No "
	    "personal data here.\n") || ps_yaml_write(text, n))
		goto done;
	rc = 0;
done:
	ps_node_free(l);
	ps_node_free(n);
	return rc == 0 ? 0 : ps_diag_nomem(e->d);
}

/* The erasure commit, on the rewritten branch. */
static int
commit_note(struct erase *e, const git_signature *sig)
{
	struct ps_buf text = PS_BUF_INIT, msg = PS_BUF_INIT, np = PS_BUF_INIT;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_tree_entry *te = NULL;
	git_tree_update up;
	git_oid blob, toid;
	struct ps_rewrite_ref *head = NULL;
	size_t i;
	int rc;

	for (i = 0; i < e->rw.nrefs; i++)
		if (e->rw.refs[i].head)
			head = &e->rw.refs[i];
	if (head == NULL)
		return ps_diag_err(e->d, PS_STORE, "the branch has no commit");
	ps_buf_printf(&np, "erasures/%s.yaml", e->id);
	if (git_commit_lookup(&parent, e->rw.repo, &head->new) < 0) {
		rc = ps_git_error(e->d, "cannot write the erasure note");
		goto done;
	}
	/* run again after its branch moved: the note is committed already */
	if (e->s->erasing && git_oid_equal(&head->new, &head->commit) &&
	    ps_streq(git_commit_summary(parent), e->log)) {
		e->erasure = head->new;
		e->noted = 1;
		rc = 0;
		goto done;
	}
	if ((rc = note(e, sig, &text)) != 0)
		goto done;
	if (
	    git_commit_tree(&base, parent) < 0 ||
	    git_blob_create_from_buffer(&blob, e->rw.repo, text.s,
	    text.len) < 0) {
		rc = ps_git_error(e->d, "cannot write the erasure note");
		goto done;
	}
	e->had_note = git_tree_entry_bypath(&te, base, np.s) == 0;
	memset(&up, 0, sizeof(up));
	up.action = GIT_TREE_UPDATE_UPSERT;
	up.id = blob;
	up.filemode = GIT_FILEMODE_BLOB;
	up.path = np.s;
	if (ps_buf_printf(&msg, "ps-apply: erase %s\n\n%s %s\n\nPs-Tool: "
	    "ps-apply\nPs-Version: %s\n", e->id, e->had_note ? "update" :
	    "add", np.s, PS_VERSION) == -1) {
		rc = ps_diag_nomem(e->d);
		goto done;
	}
	if (git_tree_create_updated(&toid, e->rw.repo, base, 1, &up) < 0 ||
	    git_tree_lookup(&tree, e->rw.repo, &toid) < 0 ||
	    git_commit_create(&e->erasure, e->rw.repo, NULL, sig, sig, NULL,
	    msg.s, tree, 1, (const git_commit **)&parent) < 0)
		rc = ps_git_error(e->d, "cannot commit the erasure note");
done:
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	ps_buf_release(&text);
	ps_buf_release(&msg);
	ps_buf_release(&np);
	return rc;
}

/* The erasure commit, in the pack just written. */
static int
note_packed(struct erase *e)
{
	git_odb *odb = NULL;
	int rc = 0;

	if (git_repository_odb(&odb, e->rw.repo) < 0)
		rc = ps_git_error(e->d, "cannot read the new pack");
	else if (!git_odb_exists(odb, &e->erasure))
		rc = ps_diag_err(e->d, PS_STORE, "the erasure commit is not "
		    "in the new pack; nothing was changed");
	git_odb_free(odb);
	return rc;
}

/*
 * Move each ref but the branch, if it has not moved meanwhile; then the
 * refs on disk (libgit2 writes them unsynced) before the prune removes
 * what they pointed to: a power cut must not leave a ref file empty.
 */
static int
move_refs(struct erase *e, const char *log)
{
	int rc;

	if ((rc = ps_rewrite_move_refs(&e->rw, log)) == 0 && e->rw.moved)
		rc = ps_diag_err(e->d, PS_STORE, "%s moved while the history "
		    "was rewritten: run the erasure again", e->rw.moved);
	if (rc == 0)
		rc = ps_repo_sync(e->s, e->d);
	return rc;
}

/* Where objects or history live outside what the erasure rewrites and
   prunes: refused. */
static int
check_layout(struct ps_store *s, struct ps_diags *d)
{
	struct ps_buf p = PS_BUF_INIT;
	git_strarray wt = { NULL, 0 };
	int rc = 0;

	ps_repo_gitpath(s, &p, "objects/info/alternates");
	if (git_repository_is_shallow(s->repo) == 1)
		rc = ps_diag_err(d, PS_REFUSED, "the store is a shallow clone: "
		    "erase in the store it was cloned from, then clone it again");
	else if (p.s && access(p.s, F_OK) == 0)
		rc = ps_diag_err(d, PS_REFUSED, "the store takes objects from "
		    "another repository (%s): copy them in (git repack -a -d), "
		    "remove that file, then erase", p.s);
	else if (git_worktree_list(&wt, s->repo) < 0)
		rc = ps_git_error(d, "cannot list the work trees");
	else if (wt.count > 0)
		rc = ps_diag_err(d, PS_REFUSED, "the store has other work trees "
		    "(git worktree list): remove them first (git worktree "
		    "remove), then erase");
	git_strarray_dispose(&wt);
	ps_buf_release(&p);
	return rc;
}

/* Changes not committed, untracked files too: refused. */
static int
check_clean(struct ps_store *s, struct ps_diags *d)
{
	git_status_options so = GIT_STATUS_OPTIONS_INIT;
	git_status_list *l = NULL;
	const git_status_entry *se;
	const git_diff_delta *dl;
	struct ps_buf p = PS_BUF_INIT;
	git_index *idx = NULL;
	size_t n;
	int rc = 0;

	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
	    GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS |
	    GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	/* libgit2 cannot read a split index: given it whole */
	ps_repo_gitpath(s, &p, "index");
	if (p.s == NULL)
		return ps_diag_nomem(d);
	rc = ps_splitindex_open(&idx, p.s, git_repository_path(s->repo), d);
	ps_buf_release(&p);
	if (rc != 0)
		return rc;
	rc = git_repository_set_index(s->repo, idx);
	git_index_free(idx);
	if (rc < 0 || git_status_list_new(&l, s->repo, &so) < 0)
		return ps_git_error(d, "cannot read the status of the store");
	if ((n = git_status_list_entrycount(l)) > 0) {
		se = git_status_byindex(l, 0);
		dl = se->index_to_workdir ? se->index_to_workdir :
		    se->head_to_index;
		if (n == 1)
			rc = ps_diag_err(d, PS_REFUSED, "%s: changes not "
			    "committed: commit or undo them first (git "
			    "status), then erase", dl->new_file.path);
		else
			rc = ps_diag_err(d, PS_REFUSED, "%s and %zu more files: "
			    "changes not committed: commit or undo them first "
			    "(git status), then erase", dl->new_file.path,
			    n - 1);
	}
	git_status_list_free(l);
	return rc;
}

struct opened {
	const char	*id;
	struct ps_buf	 ids;
	size_t		 n;
};

static int
open_match(void *arg, const char *rel, struct ps_node *m, struct ps_diags *d)
{
	struct opened *o = arg;

	(void)rel;
	if (!ps_streq(ps_node_get_str(m, "participant"), o->id) &&
	    !ps_streq(ps_node_get_str(m, "volunteer"), o->id))
		return 0;
	if (ps_status_match_open(ps_node_get_str(m, "status")) &&
	    ps_buf_printf(&o->ids, "%s%s", o->n++ ? ", " : "",
	    ps_record_id(m)) == -1)
		return ps_diag_nomem(d);
	return 0;
}

/* Their open matches would name someone gone: withdraw them first. */
static int
check_open(struct erase *e)
{
	struct opened o;
	int rc;

	memset(&o, 0, sizeof(o));
	o.id = e->id;
	if ((rc = ps_store_each(e->s, "match", 0, open_match, &o, e->d)) == 0 &&
	    o.n)
		rc = ps_diag_err(e->d, PS_REFUSED, "%s: has open matches (%s): "
		    "withdraw them first (ps-apply --withdraw %s --reason ...), "
		    "then erase", e->id, o.ids.s, e->id);
	ps_buf_release(&o.ids);
	return rc;
}

static void
print_list(FILE *out, const struct ps_ids *l)
{
	size_t i;

	for (i = 0; i < l->n && i < 12; i++)
		fprintf(out, "%s%s", i ? ", " : "", l->v[i]);
	if (l->n > 12)
		fprintf(out, " and %zu more", l->n - 12);
}

static void
report(struct erase *e, FILE *out, const char *branch)
{
	int dry = e->o->dry_run;
	size_t i, moved = 0;

	fprintf(out, "%s %s from the store and from its whole history:\n",
	    dry ? "would erase" : "erased", e->id);
	fprintf(out, "  %-9s %s, %zu version%s\n", dry ? "remove" : "removed",
	    e->path, e->versions, e->versions == 1 ? "" : "s");
	fprintf(out, "  %-9s ", dry ? "redact" : "redacted");
	if (e->redacted.n) {
		fprintf(out, "%zu record%s that name%s them: ", e->redacted.n,
		    e->redacted.n == 1 ? "" : "s", e->redacted.n == 1 ? "s" :
		    "");
		print_list(out, &e->redacted);
		fputc('\n', out);
	} else
		fprintf(out, "no other record names them\n");
	fprintf(out, "  %-9s %zu of %zu commits, on ", dry ? "rewrite" :
	    "rewrote", e->rw.rewritten, e->rw.ncommits);
	for (i = 0; i < e->rw.nrefs; i++) {
		struct ps_oidmap_slot *sl = ps_oidmap_get(&e->rw.commits,
		    &e->rw.refs[i].commit);

		if (sl == NULL || sl->state != PS_REWRITE_CHANGED)
			continue;
		fprintf(out, "%s%s", moved++ ? ", " : "", e->rw.refs[i].name);
	}
	fprintf(out, "%s\n", moved ? "" : "no ref");
	fprintf(out, "  %-9s erasures/%s.yaml: ps-apply: erase %s\n",
	    dry ? "commit" : "committed", e->id, e->id);
	if (dry)
		fprintf(out, "  %-9s the reflogs, and every object no ref "
		    "reaches\n", "prune");
	else
		fprintf(out, "  %-9s the reflogs, and every object no ref "
		    "reaches (%zu objects kept, in one pack)\n", "pruned",
		    e->packed);
	if (dry)
		return;
	fprintf(out, "\n"
"Their personal data is gone from this store only. Every clone and backup\n"
"still holds it, and a pull, push or merge from one brings it back. Now:\n"
"\n"
"  - Each other clone: delete it and clone this store again. Or, in it,\n"
"    once its own work is here (commits made there since must be made\n"
"    again on the new history), where origin is this store:\n"
"        git fetch origin\n"
"        git reset --hard origin/%s\n"
"        git tag -l | xargs -r git tag -d; git fetch --tags origin\n"
"        git reflog expire --expire=now --all\n"
"        git gc --prune=now\n"
"    and delete its other branches, or rebuild them on the new history.\n",
	    branch);
	for (i = 0; i < e->nremotes; i++)
		fprintf(out, "\n"
"  - The remote %s holds the old history: push the new one\n"
"    (git push --force --all %s; git push --force --tags %s), then clean\n"
"    it as a clone, or make it again from this store.\n",
		    e->remotes[i], e->remotes[i], e->remotes[i]);
	fprintf(out, "\n"
"  - Backups and copies made before now: delete them, or keep them unused\n"
"    until they expire. A store restored from one must be erased again\n"
"    (ps-apply --erase %s); erasures/ lists whom.\n"
"\n"
"  - Reports, exports and mail sent before now are not reached by this.\n",
	    e->id);
}

/*
 * The names of the remotes, from remote.NAME.url in the configuration
 * (read without git_remote_list(), whose pattern match leaks in
 * libgit2 1.5).
 */
static int
list_remotes(struct erase *e)
{
	git_config_iterator *it = NULL;
	git_config_entry *ce;
	git_config *cfg = NULL;
	size_t i, n;
	int rc = 0, err;

	if (git_repository_config_snapshot(&cfg, e->s->repo) < 0 ||
	    git_config_iterator_new(&it, cfg) < 0) {
		git_config_free(cfg);
		return ps_git_error(e->d, "cannot list the remotes");
	}
	while (rc == 0 && (err = git_config_next(&ce, it)) == 0) {
		const char *name = ce->name;

		n = strlen(name);
		if (strncmp(name, "remote.", 7) != 0 || n < 12 ||
		    strcmp(name + n - 4, ".url") != 0)
			continue;
		for (i = 0; i < e->nremotes; i++)
			if (strlen(e->remotes[i]) == n - 11 &&
			    strncmp(e->remotes[i], name + 7, n - 11) == 0)
				break;
		if (i == e->nremotes && strv_add(&e->remotes, &e->nremotes,
		    &e->capremotes, name + 7, n - 11) == -1)
			rc = ps_diag_nomem(e->d);
	}
	if (rc == 0 && err != GIT_ITEROVER)
		rc = ps_git_error(e->d, "cannot list the remotes");
	git_config_iterator_free(it);
	git_config_free(cfg);
	return rc;
}

/* Is erasures/ID.yaml in the branch head: erased before? */
static int
erased_before(struct erase *e)
{
	struct ps_buf np = PS_BUF_INIT;
	git_tree_entry *te = NULL;
	git_tree *t = NULL;
	int found;

	ps_buf_printf(&np, "erasures/%s.yaml", e->id);
	found = np.s && ps_store_head_tree(e->s, &t) == 0 &&
	    git_tree_entry_bypath(&te, t, np.s) == 0;
	git_tree_entry_free(te);
	git_tree_free(t);
	ps_buf_release(&np);
	return found;
}

static void
release(struct erase *e)
{
	ps_strv_free(e->vals, e->nvals);
	ps_strv_free(e->idvals, e->nidvals);
	ps_strv_free(e->warned, e->nwarned);
	ps_ids_release(&e->matches);
	ps_ids_release(&e->redacted);
	ps_ids_release(&e->linked);
	ps_oidmap_release(&e->seen);
	ps_strv_free(e->remotes, e->nremotes);
	ps_rewrite_release(&e->rw);
}

/*
 * An erasure a crash, a full disk or a kill left unfinished (journal.h)
 * is finished by running it again, for the same person: under the
 * store's lock, with no git command running, the git lock files it left
 * are stale and go. Another person's waits for it.
 */
static int
resume(struct erase *e)
{
	char was[PS_ID_LEN + 1];
	int rc;

	if ((rc = ps_repo_lock(e->s, e->d)) != 0 ||
	    !ps_journal_erase_pending(e->s, was))
		return rc;
	if (strcmp(was, e->id) != 0)
		return ps_journal_erase_check(e->s, e->d);
	if (!e->o->dry_run)
		ps_journal_drop_git_locks(e->s);
	e->s->erasing = 1;
	return 0;
}

/*
 * The time the erasure began, on the file system's clock (the store's
 * lock file touched): the prune keeps every object and pack git writes
 * after it, which no ref the erasure packed may reach.
 */
static int
started(struct erase *e)
{
	struct stat st;

	if (futimens(e->s->lock_fd, NULL) == -1 ||
	    fstat(e->s->lock_fd, &st) == -1)
		return ps_diag_err(e->d, PS_STORE, "cannot read the time: %s",
		    strerror(errno));
	e->start = st.st_mtim;
	return 0;
}

/*
 * From here on, a stop leaves the erasure to be finished (journal.h),
 * and the store is being erased (s->erasing): the index it writes is
 * one file, with no shared part and no resolve-undo entries, which name
 * the blobs it prunes.
 */
static int
journal(struct erase *e)
{
	int rc;

	if ((rc = ps_journal_erase_begin(e->s, e->id, e->d)) == 0) {
		e->journaled = 1;
		e->s->erasing = 1;
	}
	return rc;
}

/*
 * After the prune, is every blob that held their data gone? A git gc or
 * git repack run beside the erasure packs the old history again, in a
 * pack newer than the erasure's start, which the prune keeps (it may
 * hold a plain git write): then the erasure is not finished, and run
 * again, its start later than that pack, it is. Asked of the store
 * opened afresh: libgit2 may still map a pack the prune removed.
 */
static int
check_gone(struct erase *e)
{
	git_repository *r = NULL;
	git_odb *odb = NULL;
	size_t i, left = 0;
	int rc = 0;

	if (git_repository_open_ext(&r, e->s->root,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_repository_odb(&odb, r) < 0)
		rc = ps_git_error(e->d, "cannot read the store after the prune");
	for (i = 0; rc == 0 && i < e->rw.blobs.n; i++)
		if (e->rw.blobs.v[i].state != PS_REWRITE_KEPT &&
		    git_odb_exists(odb, &e->rw.blobs.v[i].key))
			left++;
	if (left)
		rc = ps_diag_err(e->d, PS_STORE, "%zu objects that hold data of "
		    "%s are still in the store, written while the erasure ran "
		    "(a git gc or git repack beside it?)", left, e->id);
	git_odb_free(odb);
	git_repository_free(r);
	return rc;
}

/*
 * Done: libgit2 may have left a lock file of ours whose removal failed
 * (packing the refs, it ignores that), which would stop the next write;
 * then the journal goes.
 */
static int
finish(struct erase *e)
{
	ps_journal_drop_git_locks(e->s);
	return ps_journal_erase_end(e->s, e->d);
}

int
ps_erase(struct ps_store *s, const char *id, const struct ps_erase_opts *o,
    FILE *out, struct ps_diags *d)
{
	struct ps_buf pack = PS_BUF_INIT, log = PS_BUF_INIT;
	git_reference *head = NULL;
	git_signature *sig = NULL;
	struct ps_txn *t = NULL;
	struct erase e;
	const char *branch = NULL;
	size_t i;
	int rc;

	memset(&e, 0, sizeof(e));
	e.s = s;
	e.o = o;
	e.d = d;
	e.id = id;
	e.kind = ps_id_valid(id) ? ps_id_kind(id) : NULL;
	if (!ps_streq(e.kind, "participant") && !ps_streq(e.kind, "volunteer"))
		return ps_diag_err(d, PS_USAGE, "--erase: not the ID of a "
		    "participant or a volunteer (like P-7K3Q2X)");
	e.dir = ps_id_kind_dir(e.kind);
	ps_buf_printf(&log, "ps-apply: erase %s", id);
	e.log = log.s;
	snprintf(e.file, sizeof(e.file), "%s.yaml", id);
	snprintf(e.path, sizeof(e.path), "%s/%s", e.dir, e.file);
	if ((rc = ps_author_get(&sig, s, o->author, o->dry_run, d)) != 0 ||
	    (rc = resume(&e)) != 0 ||
	    (rc = ps_txn_begin(&t, s, d)) != 0 ||
	    (rc = started(&e)) != 0 ||
	    (rc = check_layout(s, d)) != 0 ||
	    (rc = check_clean(s, d)) != 0)
		goto done;
	if (git_reference_lookup(&head, s->repo, "HEAD") < 0 ||
	    git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		rc = ps_diag_err(d, PS_STORE, "HEAD does not name a branch");
		goto done;
	}
	branch = git_reference_symbolic_target(head);
	if ((rc = ps_rewrite_open(&e.rw, s, d)) != 0 ||
	    (rc = survey_refs(&e, branch)) != 0 ||
	    (rc = survey(&e)) != 0)
		goto done;
	if (e.versions == 0) {
		/* erased before (a second run finishes a first one) */
		if (!erased_before(&e)) {
			rc = ps_diag_err(d, PS_REFUSED, "%s: no such record, in "
			    "the store or in its history", id);
			goto done;
		}
		if (!o->dry_run && ((rc = ps_rewrite_pack(&e.rw, NULL, &pack,
		    &e.packed)) != 0 ||
		    (rc = journal(&e)) != 0 ||
		    (rc = ps_gitindex_apply(s, NULL, 0, d)) != 0 ||
		    (rc = ps_prune(s, pack.s, &e.start, d)) != 0 ||
		    (rc = finish(&e)) != 0))
			goto done;
		fprintf(out, "%s: erased before; %s\n", id, o->dry_run ?
		    "would prune what no ref reaches" : "pruned what no ref "
		    "reaches");
		goto done;
	}
	if ((rc = check_open(&e)) != 0)
		goto done;
	if ((rc = ps_rewrite_run(&e.rw, e.dir, e.file, rewrite_blob, &e)) !=
	    0 || e.oom)
		goto done;
	for (i = 0; i < e.linked.n; i++)
		ps_diag_warn(d, "%s: linked with %s as a record of the same "
		    "person: if it is theirs, erase it too (ps-apply --erase "
		    "%s)", e.linked.v[i], id, e.linked.v[i]);
	if (e.unwarned)
		ps_diag_warn(d, "%zu more files hold a value of the record of "
		    "%s, and were kept as they were", e.unwarned, id);
	if ((rc = list_remotes(&e)) != 0)
		goto done;
	if (o->dry_run) {
		report(&e, out, branch + (strncmp(branch, "refs/heads/", 11) ?
		    0 : 11));
		goto done;
	}
	/* the branch first: its work tree is checked before any ref moves */
	if ((rc = commit_note(&e, sig)) != 0 ||
	    (rc = ps_rewrite_pack(&e.rw, &e.erasure, &pack, &e.packed)) != 0 ||
	    (rc = note_packed(&e)) != 0 ||
	    (rc = journal(&e)) != 0 ||
	    (rc = e.noted ? 0 : ps_txn_replace(t, &e.erasure, log.s, d)) != 0 ||
	    (rc = move_refs(&e, log.s)) != 0 ||
	    (rc = ps_prune(s, pack.s, &e.start, d)) != 0 ||
	    (rc = check_gone(&e)) != 0 ||
	    (rc = finish(&e)) != 0)
		goto done;
	report(&e, out, branch + (strncmp(branch, "refs/heads/", 11) ? 0 : 11));
done:
	if (e.oom && rc == 0)
		rc = ps_diag_nomem(d);
	if (rc != 0 && e.journaled)
		ps_diag_err(d, rc, "the erasure of %s is not finished: run "
		    "ps-apply --erase %s again", id, id);
	s->erasing = 0;
	release(&e);
	ps_txn_free(t);
	git_reference_free(head);
	git_signature_free(sig);
	ps_buf_release(&pack);
	ps_buf_release(&log);
	return rc;
}
