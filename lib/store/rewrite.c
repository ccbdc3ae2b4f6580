/*
 * rewrite: a store's history written again in memory, packed, and its
 * refs moved; see rewrite.h.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <git2.h>
#include <git2/sys/mempack.h>
#include <git2/sys/odb_backend.h>

#include "util/file.h"
#include "store/git.h"
#include "store/rewrite.h"

int
ps_rewrite_open(struct ps_rewrite *rw, struct ps_store *s, struct ps_diags *d)
{
	git_odb *odb = NULL;
	int rc = 0;

	rw->s = s;
	rw->d = d;
	if (git_repository_open_ext(&rw->repo, git_repository_path(rw->s->repo),
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0 ||
	    git_repository_odb(&odb, rw->repo) < 0 ||
	    git_mempack_new(&rw->mem) < 0)
		rc = ps_git_error(rw->d, "cannot open the store's history");
	else if (git_odb_add_backend(odb, rw->mem, 999) < 0) {
		rw->mem->free(rw->mem);
		rw->mem = NULL;
		rc = ps_git_error(rw->d, "cannot open the store's history");
	}
	git_odb_free(odb);
	return rc;
}

/*
 * Every direct ref, peeled to its commit; the first that cannot be
 * rewritten stops the list, rw->refused saying why.
 */
int
ps_rewrite_refs(struct ps_rewrite *rw, const char *branch)
{
	git_reference_iterator *it = NULL;
	git_reference *r = NULL;
	git_object *o = NULL;
	git_tag *tag = NULL;
	struct ps_rewrite_ref *v, *x;
	int rc = 0, err;

	if (git_reference_iterator_new(&it, rw->repo) < 0)
		return ps_git_error(rw->d, "cannot list the refs");
	while (rc == 0 && !rw->refused &&
	    (err = git_reference_next(&r, it)) == 0) {
		const char *name = git_reference_name(r);

		if (git_reference_type(r) != GIT_REFERENCE_DIRECT)
			goto next;
		if (strcmp(name, "refs/stash") == 0) {
			rw->refused = PS_REWRITE_STASH;
			goto next;
		}
		if (rw->nrefs == rw->caprefs) {
			size_t cap = rw->caprefs ? rw->caprefs * 2 : 8;

			if ((v = realloc(rw->refs, cap * sizeof(*v))) == NULL) {
				rc = ps_diag_nomem(rw->d);
				goto next;
			}
			rw->refs = v;
			rw->caprefs = cap;
		}
		x = &rw->refs[rw->nrefs];
		memset(x, 0, sizeof(*x));
		if ((x->name = strdup(name)) == NULL) {
			rc = ps_diag_nomem(rw->d);
			goto next;
		}
		rw->nrefs++;
		x->old = *git_reference_target(r);
		x->new = x->old;
		x->head = strcmp(name, branch) == 0;
		if (git_object_lookup(&o, rw->repo, &x->old,
		    GIT_OBJECT_ANY) < 0) {
			rc = ps_git_error(rw->d, name);
			goto next;
		}
		if (git_object_type(o) == GIT_OBJECT_TAG) {
			tag = (git_tag *)o;
			x->tag = 1;
			if (git_tag_target_type(tag) == GIT_OBJECT_COMMIT &&
			    git_tag_tagger(tag) != NULL)
				x->commit = *git_tag_target_id(tag);
			else
				rw->refused = PS_REWRITE_BAD_TAG;
		} else if (git_object_type(o) == GIT_OBJECT_COMMIT)
			x->commit = x->old;
		else
			rw->refused = PS_REWRITE_NOT_COMMIT;
next:
		git_object_free(o);
		o = NULL;
		git_reference_free(r);
		r = NULL;
	}
	if (rc == 0 && !rw->refused && err != GIT_ITEROVER)
		rc = ps_git_error(rw->d, "cannot list the refs");
	git_reference_iterator_free(it);
	return rc;
}

/*
 * Every commit the refs reach, parents first, into rw->order; fn on the
 * tree of each.
 */
int
ps_rewrite_walk(struct ps_rewrite *rw,
    int (*fn)(void *arg, const git_tree *tree), void *arg)
{
	git_revwalk *w = NULL;
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_oid oid, *v;
	size_t i;
	int rc = 0, err;

	if (git_revwalk_new(&w, rw->repo) < 0)
		return ps_git_error(rw->d, "cannot walk the history");
	git_revwalk_sorting(w, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	for (i = 0; i < rw->nrefs; i++)
		if (git_revwalk_push(w, &rw->refs[i].commit) < 0) {
			rc = ps_git_error(rw->d, rw->refs[i].name);
			goto done;
		}
	while ((err = git_revwalk_next(&oid, w)) == 0) {
		if (rw->ncommits == rw->capcommits) {
			size_t cap = rw->capcommits ? rw->capcommits * 2 : 256;

			if ((v = realloc(rw->order, cap * sizeof(*v))) ==
			    NULL) {
				rc = ps_diag_nomem(rw->d);
				goto done;
			}
			rw->order = v;
			rw->capcommits = cap;
		}
		rw->order[rw->ncommits++] = oid;
		if (git_commit_lookup(&c, rw->repo, &oid) < 0 ||
		    git_commit_tree(&t, c) < 0) {
			rc = ps_git_error(rw->d, "cannot read a commit");
			goto done;
		}
		if ((rc = fn(arg, t)) != 0)
			goto done;
		git_tree_free(t);
		t = NULL;
		git_commit_free(c);
		c = NULL;
	}
	if (err != GIT_ITEROVER)
		rc = ps_git_error(rw->d, "cannot walk the history");
done:
	git_tree_free(t);
	git_commit_free(c);
	git_revwalk_free(w);
	return rc;
}

/*
 * A blob, path its place: the caller's function says what becomes of
 * it, once a blob.
 */
static int
rewrite_blob(struct ps_rewrite *rw, const git_oid *oid, const char *path,
    git_oid *out, int *state)
{
	struct ps_oidmap_slot *sl;
	int rc;

	if ((sl = ps_oidmap_get(&rw->blobs, oid)) != NULL) {
		*out = sl->val;
		*state = sl->state;
		return 0;
	}
	*out = *oid;
	*state = PS_REWRITE_KEPT;
	if ((rc = rw->blob(rw->arg, oid, path, out, state)) == 0 &&
	    ps_oidmap_put(&rw->blobs, oid, out, *state))
		rc = ps_diag_nomem(rw->d);
	return rc;
}

struct edit {
	const git_tree_entry	*te;
	git_oid			 oid;
	int			 state;
};

/*
 * A tree, path its place ("" for the root, else ending in "/"). In dir
 * (indir), file goes whatever it holds; a folder left empty goes from
 * its parent.
 */
static int
rewrite_tree(struct ps_rewrite *rw, const git_oid *oid, int indir,
    struct ps_buf *path, git_oid *out, int *state)
{
	struct ps_oidmap *cache = indir ? &rw->droptrees : &rw->trees;
	struct edit *ed = NULL, *nv;
	git_treebuilder *tb = NULL;
	git_tree *t = NULL;
	struct ps_oidmap_slot *sl;
	size_t i, n, ned = 0, caped = 0, plen = path->len;
	int rc = 0;

	if ((sl = ps_oidmap_get(cache, oid)) != NULL) {
		*out = sl->val;
		*state = sl->state;
		return 0;
	}
	*out = *oid;
	*state = PS_REWRITE_KEPT;
	if (git_tree_lookup(&t, rw->repo, oid) < 0)
		return ps_git_error(rw->d, plen ? path->s : "a tree");
	n = git_tree_entrycount(t);
	for (i = 0; i < n && rc == 0; i++) {
		const git_tree_entry *te = git_tree_entry_byindex(t, i);
		const char *name = git_tree_entry_name(te);
		git_object_t type = git_tree_entry_type(te);
		git_oid noid = *git_tree_entry_id(te);
		int st = PS_REWRITE_KEPT;

		ps_buf_truncate(path, plen);
		if (ps_buf_puts(path, name)) {
			rc = ps_diag_nomem(rw->d);
			break;
		}
		if (type == GIT_OBJECT_TREE) {
			int kd = plen == 0 && strcmp(name, rw->dir) == 0;

			if (ps_buf_putc(path, '/'))
				rc = ps_diag_nomem(rw->d);
			else
				rc = rewrite_tree(rw, git_tree_entry_id(te), kd,
				    path, &noid, &st);
		} else if (type == GIT_OBJECT_BLOB) {
			if (indir && strcmp(name, rw->file) == 0)
				st = PS_REWRITE_DROPPED;
			else
				rc = rewrite_blob(rw, git_tree_entry_id(te),
				    path->s, &noid, &st);
		}
		if (rc != 0 || st == PS_REWRITE_KEPT)
			continue;
		if (ned == caped) {
			caped = caped ? caped * 2 : 8;
			if ((nv = realloc(ed, caped * sizeof(*nv))) == NULL) {
				rc = ps_diag_nomem(rw->d);
				break;
			}
			ed = nv;
		}
		ed[ned].te = te;
		ed[ned].oid = noid;
		ed[ned].state = st;
		ned++;
	}
	ps_buf_truncate(path, plen);
	if (rc != 0 || ned == 0)
		goto done;
	if (git_treebuilder_new(&tb, rw->repo, t) < 0) {
		rc = ps_git_error(rw->d, "cannot rewrite a tree");
		goto done;
	}
	for (i = 0; i < ned && rc == 0; i++) {
		const char *name = git_tree_entry_name(ed[i].te);

		if (ed[i].state == PS_REWRITE_DROPPED)
			rc = git_treebuilder_remove(tb, name);
		else
			rc = git_treebuilder_insert(NULL, tb, name, &ed[i].oid,
			    git_tree_entry_filemode(ed[i].te));
	}
	if (rc < 0) {
		rc = ps_git_error(rw->d, "cannot rewrite a tree");
		goto done;
	}
	if (git_treebuilder_entrycount(tb) == 0)
		*state = PS_REWRITE_DROPPED;
	else if (git_treebuilder_write(out, tb) < 0)
		rc = ps_git_error(rw->d, "cannot rewrite a tree");
	else
		*state = PS_REWRITE_CHANGED;
done:
	if (rc == 0 && ps_oidmap_put(cache, oid, out, *state))
		rc = ps_diag_nomem(rw->d);
	git_treebuilder_free(tb);
	git_tree_free(t);
	free(ed);
	return rc;
}

/* A commit, its parents done: the same author, committer, dates and
   message, on the rewritten tree and parents. */
static int
rewrite_commit(struct ps_rewrite *rw, const git_oid *oid)
{
	struct ps_buf path = PS_BUF_INIT;
	const git_commit **parents = NULL;
	git_treebuilder *tb = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_oid toid, noid, *pids = NULL;
	unsigned i, np;
	int rc = 0, st, changed;

	if (git_commit_lookup(&c, rw->repo, oid) < 0)
		return ps_git_error(rw->d, "cannot read a commit");
	if (ps_buf_puts(&path, "")) {
		rc = ps_diag_nomem(rw->d);
		goto done;
	}
	if ((rc = rewrite_tree(rw, git_commit_tree_id(c), 0, &path, &toid,
	    &st)) != 0)
		goto done;
	if (st == PS_REWRITE_DROPPED && (git_treebuilder_new(&tb, rw->repo,
	    NULL) < 0 ||
	    git_treebuilder_write(&toid, tb) < 0)) {
		rc = ps_git_error(rw->d, "cannot rewrite a tree");
		goto done;
	}
	changed = st != PS_REWRITE_KEPT;
	np = git_commit_parentcount(c);
	if ((pids = calloc(np + 1, sizeof(*pids))) == NULL ||
	    (parents = calloc(np + 1, sizeof(*parents))) == NULL) {
		rc = ps_diag_nomem(rw->d);
		goto done;
	}
	for (i = 0; i < np; i++) {
		const git_oid *p = git_commit_parent_id(c, i);
		struct ps_oidmap_slot *sl = ps_oidmap_get(&rw->commits, p);

		pids[i] = sl ? sl->val : *p;
		changed |= !git_oid_equal(&pids[i], p);
	}
	noid = *oid;
	if (changed) {
		for (i = 0; i < np && rc == 0; i++)
			if (git_commit_lookup((git_commit **)&parents[i],
			    rw->repo, &pids[i]) < 0)
				rc = -1;
		if (rc == 0 && (git_tree_lookup(&tree, rw->repo, &toid) < 0 ||
		    ps_git_commit_create(&noid, rw->repo,
		    git_commit_author(c), git_commit_committer(c),
		    git_commit_message_encoding(c), git_commit_message_raw(c),
		    tree, np, parents) < 0))
			rc = -1;
		if (rc != 0) {
			rc = ps_git_error(rw->d, "cannot rewrite a commit");
			goto done;
		}
		rw->rewritten++;
	}
	if (ps_oidmap_put(&rw->commits, oid, &noid, changed ?
	    PS_REWRITE_CHANGED : PS_REWRITE_KEPT))
		rc = ps_diag_nomem(rw->d);
done:
	for (i = 0; parents && i < np; i++)
		git_commit_free((git_commit *)parents[i]);
	free(parents);
	free(pids);
	git_tree_free(tree);
	git_treebuilder_free(tb);
	git_commit_free(c);
	ps_buf_release(&path);
	return rc;
}

/* The new target of each ref; an annotated tag is made again, its tagger
   and message kept, on the rewritten commit. */
static int
rewrite_refs(struct ps_rewrite *rw)
{
	git_object *target = NULL;
	git_tag *tag = NULL;
	struct ps_oidmap_slot *sl;
	size_t i;
	int rc = 0;

	for (i = 0; i < rw->nrefs && rc == 0; i++) {
		struct ps_rewrite_ref *r = &rw->refs[i];

		sl = ps_oidmap_get(&rw->commits, &r->commit);
		r->new = r->old;
		if (sl == NULL || sl->state != PS_REWRITE_CHANGED)
			continue;
		if (!r->tag) {
			r->new = sl->val;
			continue;
		}
		if (git_tag_lookup(&tag, rw->repo, &r->old) < 0 ||
		    git_object_lookup(&target, rw->repo, &sl->val,
		    GIT_OBJECT_COMMIT) < 0 ||
		    git_tag_annotation_create(&r->new, rw->repo,
		    git_tag_name(tag), target, git_tag_tagger(tag),
		    git_tag_message(tag)) < 0)
			rc = ps_git_error(rw->d, r->name);
		git_object_free(target);
		target = NULL;
		git_tag_free(tag);
		tag = NULL;
	}
	return rc;
}

/* Each commit, parents first, then the refs' new targets. */
int
ps_rewrite_run(struct ps_rewrite *rw, const char *dir, const char *file,
    int (*blob)(void *arg, const git_oid *oid, const char *path,
    git_oid *out, int *state), void *arg)
{
	size_t i;
	int rc;

	rw->dir = dir;
	rw->file = file;
	rw->blob = blob;
	rw->arg = arg;
	for (i = 0; i < rw->ncommits; i++)
		if ((rc = rewrite_commit(rw, &rw->order[i])) != 0)
			return rc;
	return rewrite_refs(rw);
}

/*
 * One pack of every object the refs (rewritten, or as they are) and top
 * reach, written next to the others and fsynced. *name gets its name
 * ("pack-<hex>"), to keep when the others go.
 */
int
ps_rewrite_pack(struct ps_rewrite *rw, const git_oid *top,
    struct ps_buf *name, size_t *count)
{
	struct ps_buf dir = PS_BUF_INIT, f = PS_BUF_INIT, to = PS_BUF_INIT;
	git_packbuilder *pb = NULL;
	git_revwalk *w = NULL;
	git_odb *odb = NULL;
	size_t i;
	int rc = 0;

	/* written whole and synced aside, then renamed into place: libgit2
	   renames its pack into place before anything syncs it */
	ps_repo_gitpath(rw->s, &dir, "ps-tmp");
	if (dir.s == NULL || (mkdir(dir.s, 0700) == -1 && errno != EEXIST)) {
		rc = ps_diag_err(rw->d, PS_STORE, "%s: %s", dir.s ? dir.s :
		    "ps-tmp", strerror(dir.s ? errno : ENOMEM));
		goto done;
	}
	if (git_packbuilder_new(&pb, rw->repo) < 0 ||
	    git_revwalk_new(&w, rw->repo) < 0) {
		rc = ps_git_error(rw->d, "cannot pack the store");
		goto done;
	}
	git_packbuilder_set_threads(pb, 0);
	for (i = 0; i < rw->nrefs && rc == 0; i++) {
		struct ps_oidmap_slot *sl = ps_oidmap_get(&rw->commits,
		    &rw->refs[i].commit);

		if (git_revwalk_push(w, sl ? &sl->val :
		    &rw->refs[i].commit) < 0)
			rc = -1;
	}
	if (rc == 0 && top && git_revwalk_push(w, top) < 0)
		rc = -1;
	if (rc == 0 && git_packbuilder_insert_walk(pb, w) < 0)
		rc = -1;
	for (i = 0; i < rw->nrefs && rc == 0; i++)
		if (rw->refs[i].tag && git_packbuilder_insert(pb,
		    &rw->refs[i].new, rw->refs[i].name) < 0)
			rc = -1;
	if (rc == 0 && git_packbuilder_write(pb, dir.s, 0, NULL, NULL) < 0)
		rc = -1;
	if (rc != 0) {
		rc = ps_git_error(rw->d, "cannot pack the store");
		goto done;
	}
	*count = git_packbuilder_object_count(pb);
	ps_buf_truncate(name, 0);
	ps_buf_printf(name, "pack-%s", git_packbuilder_name(pb));
	/* the .pack, then its .idx, which is what makes git read it */
	for (i = 0; i < 2 && rc == 0; i++) {
		ps_buf_truncate(&f, 0);
		ps_buf_printf(&f, "%s/%s.%s", dir.s, name->s, i ? "idx" :
		    "pack");
		ps_repo_gitpath(rw->s, &to, "objects/pack/");
		ps_buf_printf(&to, "%s.%s", name->s, i ? "idx" : "pack");
		if (f.s == NULL || to.s == NULL)
			rc = ps_diag_nomem(rw->d);
		else if (ps_file_sync(f.s) == -1 || rename(f.s, to.s) == -1)
			rc = ps_diag_err(rw->d, PS_STORE, "cannot write %s: %s",
			    to.s, strerror(errno));
	}
	ps_repo_gitpath(rw->s, &to, "objects/pack");
	if (rc == 0 && ps_file_sync(to.s) == -1)
		rc = ps_diag_err(rw->d, PS_STORE, "cannot flush %s: %s", to.s,
		    strerror(errno));
	if (rc != 0)
		goto done;
	/* every object is on disk now: free the memory, then check */
	git_mempack_reset(rw->mem);
	if (git_repository_odb(&odb, rw->repo) < 0 ||
	    git_odb_refresh(odb) < 0) {
		rc = ps_git_error(rw->d, "cannot read the new pack");
		goto done;
	}
	for (i = 0; i < rw->nrefs && rc == 0; i++)
		if (!git_odb_exists(odb, &rw->refs[i].new))
			rc = ps_diag_err(rw->d, PS_STORE, "%s: not in the new "
			    "pack; nothing was changed", rw->refs[i].name);
done:
	git_odb_free(odb);
	git_revwalk_free(w);
	git_packbuilder_free(pb);
	ps_buf_release(&dir);
	ps_buf_release(&f);
	ps_buf_release(&to);
	return rc;
}

/*
 * Move each ref but the branch, if it has not moved meanwhile: one that
 * has stops it, in rw->moved.
 */
int
ps_rewrite_move_refs(struct ps_rewrite *rw, const char *log)
{
	git_reference *r = NULL;
	size_t i;
	int rc = 0, err;

	for (i = 0; i < rw->nrefs && rc == 0 && !rw->moved; i++) {
		struct ps_rewrite_ref *x = &rw->refs[i];

		if (x->head || git_oid_equal(&x->old, &x->new))
			continue;
		err = git_reference_create_matching(&r, rw->s->repo, x->name,
		    &x->new, 1, &x->old, log);
		if (err == GIT_EMODIFIED)
			rw->moved = x->name;
		else if (err < 0)
			rc = ps_git_error(rw->d, x->name);
		git_reference_free(r);
		r = NULL;
	}
	return rc;
}

void
ps_rewrite_release(struct ps_rewrite *rw)
{
	size_t i;

	for (i = 0; i < rw->nrefs; i++)
		free(rw->refs[i].name);
	free(rw->refs);
	free(rw->order);
	ps_oidmap_release(&rw->blobs);
	ps_oidmap_release(&rw->trees);
	ps_oidmap_release(&rw->droptrees);
	ps_oidmap_release(&rw->commits);
	if (rw->mem)
		git_mempack_reset(rw->mem);
	git_repository_free(rw->repo);	/* frees the mempack */
	memset(rw, 0, sizeof(*rw));
}
