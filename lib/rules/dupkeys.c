/* dupkeys: probable duplicates, by key; see dupkeys.h. */
#include <ctype.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/map.h"
#include "util/mem.h"
#include "util/str.h"
#include "model/node.h"
#include "model/record.h"
#include "store/git.h"
#include "store/repo.h"
#include "store/txn.h"
#include "rules/dupkeys.h"
#include "rules/status.h"

static const char *const person_dirs[2] = { "participants", "volunteers" };
static const char stored_magic[8] = { 'p', 's', 'd', 'u', 'p', 'k', '1',
    '\n' };

static uint64_t
key_hash(const char *key)
{
	return ps_map_hash(key, strlen(key));
}

/* Is v[i] of the key? (ps_map_find) */
static int
dup_eq(const void *arg, size_t i, const void *key)
{
	const struct ps_dupkeys_run *x = arg;

	return strcmp(x->v[i].key, key) == 0;
}

static const char *
dup_find(const struct ps_dupkeys_run *x, const char *key)
{
	size_t i;

	i = ps_map_find(&x->index, key_hash(key), dup_eq, x, key);
	return i == PS_MAP_NONE ? NULL : x->v[i].id;
}

/* Note key -> id, unless the key has an ID already; -1 out of memory. */
static int
dup_add(struct ps_dupkeys_run *x, const char *key, const char *id)
{
	struct ps_dupkeys_key *v;
	uint64_t h = key_hash(key);

	if (ps_map_find(&x->index, h, dup_eq, x, key) != PS_MAP_NONE)
		return 0;
	if ((v = ps_mem_grow(x->v, &x->cap, x->n + 1, sizeof(*v), 1024)) ==
	    NULL)
		return -1;
	x->v = v;
	if ((v[x->n].key = strdup(key)) == NULL)
		return -1;
	if (ps_map_add(&x->index, h, x->n) == -1) {
		free(v[x->n].key);
		return -1;
	}
	memcpy(v[x->n++].id, id, PS_ID_LEN + 1);
	return 0;
}

static void
dup_release(struct ps_dupkeys_run *x)
{
	size_t i;

	for (i = 0; i < x->n; i++)
		free(x->v[i].key);
	free(x->v);
	ps_map_release(&x->index);
	memset(x, 0, sizeof(*x));
}

/*
 * The keys that identify a person: same email, same phone, or same name
 * and birth year, within one kind. why[] gets what each key means.
 */
size_t
ps_dupkeys_of(const struct ps_node *rec, char keys[3][600])
{
	const char *kind = ps_record_kind(rec), *v, *first, *last, *year;
	size_t n = 0;
	char k = kind && strcmp(kind, "volunteer") == 0 ? 'V' : 'P';

	if ((v = ps_node_get_str(rec, "contact.email")) && *v) {
		snprintf(keys[n], 600, "%c email %s", k, v);
		ps_str_lower(keys[n++]);
	}
	if ((v = ps_node_get_str(rec, "contact.phone")) && *v)
		snprintf(keys[n++], 600, "%c phone %s", k, v);
	first = ps_node_get_str(rec, "name.first");
	last = ps_node_get_str(rec, "name.last");
	year = ps_node_get_str(rec, "birth_year");
	if (first && last && year) {
		snprintf(keys[n], 600, "%c name %s\x1f%s\x1f%s", k, first, last,
		    year);
		ps_str_lower(keys[n++]);
	}
	return n;
}

/*
 * Are a and b the same record, or linked on purpose (either one names
 * the other in linked)? Such records are the same person by design and
 * never probable duplicates of each other.
 */
static int
related(const struct ps_node *a, const struct ps_node *b)
{
	const char *ia = ps_record_id(a), *ib = ps_record_id(b);

	if (ia == NULL || ib == NULL)
		return 0;
	return strcmp(ia, ib) == 0 ||
	    ps_node_seq_has(ps_node_get(a, "linked"), ib) ||
	    ps_node_seq_has(ps_node_get(b, "linked"), ia);
}

/*
 * A key's hash as .git/ps-dupkeys holds it: FNV-1a's prime from the offset
 * basis 1469598103934665603 (not FNV's own, 14695981039346656037), as it
 * always was. Part of the file's format: any other value, and the keys of
 * a file already written would never be found.
 */
static uint64_t
stored_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static int
stored_cmp(const void *a, const void *b)
{
	const struct ps_dupkeys_stored *x = a, *y = b;

	if (x->hash != y->hash)
		return x->hash < y->hash ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* The keys added after the sorted ones, sorted in. */
static int
stored_sort(struct ps_dupkeys_set *k)
{
	struct ps_dupkeys_stored *tail;
	size_t i = k->sorted, j = k->n - k->sorted, o = k->n;

	ps_mem_sort(k->v + i, j, sizeof(*k->v), stored_cmp);
	if (i != 0 && j != 0) {
		/* merged from the back, in place: only the few new keys
		   are copied aside, not the 20,000 of a large store */
		if ((tail = reallocarray(NULL, j, sizeof(*tail))) == NULL)
			return -1;
		memcpy(tail, k->v + i, j * sizeof(*tail));
		while (j > 0)
			k->v[--o] = i > 0 && stored_cmp(&k->v[i - 1],
			    &tail[j - 1]) > 0 ? k->v[--i] : tail[--j];
		free(tail);
	}
	k->sorted = k->n;
	return 0;
}

static int
idcmp(const void *a, const void *b)
{
	return strcmp(((const struct ps_dupkeys_stored *)a)->id,
	    ((const struct ps_dupkeys_stored *)b)->id);
}

/* Add the keys of p to k; -1 out of memory. */
static int
stored_append(struct ps_dupkeys_set *k, const struct ps_dupkeys_set *p)
{
	struct ps_dupkeys_stored *v;

	if (p->n == 0)
		return 0;
	if ((v = ps_mem_grow(k->v, &k->cap, k->n + p->n, sizeof(*v), 1024)) ==
	    NULL)
		return -1;
	k->v = v;
	memcpy(k->v + k->n, p->v, p->n * sizeof(*v));
	k->n += p->n;
	return 0;
}

/* A batch of changed records begins (stored_file, then stored_end). */
static void
stored_begin(struct ps_dupkeys_set *k)
{
	k->n0 = k->n;
	k->ndrop = 0;
}

/* Forget the keys a record had before the batch; -1 out of memory. */
static int
stored_drop(struct ps_dupkeys_set *k, const char *id)
{
	struct ps_dupkeys_stored *v;

	if ((v = ps_mem_grow(k->drop, &k->capdrop, k->ndrop + 1, sizeof(*v),
	    64)) == NULL)
		return -1;
	k->drop = v;
	memset(&k->drop[k->ndrop], 0, sizeof(*k->drop));
	memcpy(k->drop[k->ndrop++].id, id, strlen(id));
	return 0;
}

/*
 * The batch's end: one pass over the keys from before it, those of the
 * records it dropped left out (found by binary search), the new ones
 * after: a batch of 10,000 records does not scan the keys 10,000 times.
 */
static void
stored_end(struct ps_dupkeys_set *k)
{
	size_t i, j, sorted = 0;

	if (k->ndrop == 0)
		return;
	ps_mem_sort(k->drop, k->ndrop, sizeof(*k->drop), idcmp);
	for (i = j = 0; i < k->n0; i++) {
		if (ps_mem_find(&k->v[i], k->drop, k->ndrop, sizeof(*k->drop),
		    idcmp) != NULL)
			continue;
		sorted += i < k->sorted;
		k->v[j++] = k->v[i];
	}
	if (k->n > k->n0)
		memmove(k->v + j, k->v + k->n0, (k->n - k->n0) *
		    sizeof(*k->v));
	k->n = j + (k->n - k->n0);
	k->sorted = sorted;
	k->ndrop = 0;
}

/* Note the keys of a record, if it is open. */
static int
stored_add(struct ps_dupkeys_set *k, const struct ps_node *rec)
{
	char keys[3][600];
	const char *id = ps_record_id(rec);
	struct ps_dupkeys_stored *v;
	size_t i, n;

	if (ps_status_person_closed(ps_node_get_str(rec, "status")) ||
	    id == NULL || strlen(id) > PS_ID_LEN)
		return 0;
	if ((n = ps_dupkeys_of(rec, keys)) == 0)
		return 0;
	if ((v = ps_mem_grow(k->v, &k->cap, k->n + n, sizeof(*v), 1024)) == NULL)
		return -1;
	k->v = v;
	for (i = 0; i < n; i++) {
		memset(&k->v[k->n], 0, sizeof(k->v[k->n]));
		k->v[k->n].hash = stored_hash(keys[i]);
		memcpy(k->v[k->n++].id, id, strlen(id));
	}
	return 0;
}

/*
 * A person file changed in a commit: its keys again from blob (NULL:
 * deleted). A record that does not read is left out, as ps-check says.
 */
static int
stored_file(void *arg, const char *rel, const git_oid *blob)
{
	struct ps_dupkeys *x = arg;
	struct ps_diags scratch = PS_DIAGS_INIT;
	struct ps_node *rec = NULL;
	struct ps_dupkeys_stored key;
	char id[PS_ID_LEN + 1];
	const char *base = strrchr(rel, '/');
	size_t i, len;
	int rc = 0;

	for (i = 0; i < 2; i++)
		if (strncmp(rel, person_dirs[i], strlen(person_dirs[i])) == 0 &&
		    rel + strlen(person_dirs[i]) == base)
			break;
	len = base ? strlen(base + 1) : 0;
	if (i == 2 || len != PS_ID_LEN + 5 || strcmp(base + 1 + PS_ID_LEN,
	    ".yaml") != 0)
		return 0;
	memcpy(id, base + 1, PS_ID_LEN);
	id[PS_ID_LEN] = '\0';
	if (!x->stored.building && stored_drop(&x->stored, id) == -1)
		return -1;
	/* one this run took in: its keys are in pend (sorted by ID) */
	memcpy(key.id, id, sizeof(id));
	if (blob && x->pend.n && ps_mem_find(&key, x->pend.v, x->pend.n,
	    sizeof(*x->pend.v), idcmp) != NULL)
		return 0;
	if (blob && ps_store_read_blob(x->s, blob, rel, &rec,
	    &scratch) == 0 && rec)
		rc = stored_add(&x->stored, rec);
	ps_node_free(rec);
	ps_diags_release(&scratch);
	return rc;
}

/* The trees of participants/ and volunteers/ in a commit's tree. */
static void
stored_trees(const git_tree *root, git_oid tree[2])
{
	const git_tree_entry *e;
	int i;

	for (i = 0; i < 2; i++) {
		e = root ? git_tree_entry_byname(root, person_dirs[i]) : NULL;
		if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE)
			tree[i] = *git_tree_entry_id(e);
		else
			memset(&tree[i], 0, sizeof(tree[i]));
	}
}

/* Read .git/ps-dupkeys; -1 when it is missing or not ours. */
static int
stored_read(struct ps_dupkeys *x)
{
	struct ps_dupkeys_set *k = &x->stored;
	struct ps_buf p = PS_BUF_INIT;
	struct stat st;
	char magic[8];
	uint64_t n;
	size_t i;
	int fd, ok = 0;

	ps_repo_gitpath(x->s, &p, "ps-dupkeys");
	if (p.s == NULL || (fd = open(p.s, O_RDONLY | O_CLOEXEC)) == -1) {
		ps_buf_release(&p);
		return -1;
	}
	if (fstat(fd, &st) == 0 && read(fd, magic, 8) == 8 &&
	    memcmp(magic, stored_magic, 8) == 0 &&
	    read(fd, k->tree, sizeof(k->tree)) == sizeof(k->tree) &&
	    read(fd, &n, sizeof(n)) == sizeof(n) &&
	    (uint64_t)st.st_size == 8 + sizeof(k->tree) + sizeof(n) +
	    n * sizeof(*k->v) && n < SIZE_MAX / sizeof(*k->v) &&
	    (k->v = malloc(n ? n * sizeof(*k->v) : 1)) != NULL &&
	    read(fd, k->v, n * sizeof(*k->v)) == (ssize_t)(n * sizeof(*k->v))) {
		k->n = k->cap = k->sorted = n;
		/* in order, IDs ended: else damaged, and read again */
		for (i = 0, ok = 1; i < k->n && ok; i++)
			ok = memchr(k->v[i].id, '\0', sizeof(k->v[i].id)) &&
			    (i == 0 || stored_cmp(&k->v[i - 1], &k->v[i]) < 0);
	}
	close(fd);
	ps_buf_release(&p);
	if (!ok) {
		free(k->v);
		memset(k, 0, sizeof(*k));
	}
	return ok ? 0 : -1;
}

/* Write .git/ps-dupkeys (a cache: a failure only costs the next run). */
static void
stored_write(struct ps_dupkeys *x)
{
	struct ps_dupkeys_set *k = &x->stored;
	uint64_t n = k->n;
	struct iovec v[4] = {
		{ (void *)(uintptr_t)stored_magic, 8 },
		{ k->tree, sizeof(k->tree) },
		{ &n, sizeof(n) },
		{ k->v, k->n * sizeof(*k->v) },
	};

	ps_repo_put_cachev(x->s, "ps-dupkeys", v, 4);
}

/*
 * The files that differ between two folder trees (either NULL: empty),
 * each to stored_file() (NULL for one deleted): one walk over the two
 * sorted lists of entries, where git_diff_tree_to_tree() takes a
 * millisecond and a half for two folders of 15,000 records.
 */
static int
stored_diff(struct ps_dupkeys *x, const char *dir, const git_tree *a,
    const git_tree *b)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0,
	    nb = b ? git_tree_entrycount(b) : 0;
	const git_tree_entry *ea, *eb;
	char rel[300];
	int c, rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		c = ea == NULL ? 1 : eb == NULL ? -1 :
		    git_tree_entry_cmp(ea, eb);
		if (c == 0 && git_oid_equal(git_tree_entry_id(ea),
		    git_tree_entry_id(eb)) && git_tree_entry_filemode(ea) ==
		    git_tree_entry_filemode(eb)) {
			i++, j++;
			continue;
		}
		snprintf(rel, sizeof(rel), "%s/%s", dir,
		    git_tree_entry_name(c < 0 ? ea : eb));
		rc = stored_file(x, rel, c < 0 ? NULL : git_tree_entry_id(eb));
		i += c <= 0;
		j += c >= 0;
	}
	return rc;
}

/* Bring the keys from the trees of old (or none) to those of HEAD. */
static int
stored_catch_up(struct ps_dupkeys *x, const git_oid old[2],
    const git_oid cur[2])
{
	git_repository *repo = x->s->repo;
	git_tree *a = NULL, *b = NULL;
	size_t i;
	int rc = 0;

	x->stored.building = old == NULL;
	stored_begin(&x->stored);
	for (i = 0; i < 2 && rc == 0; i++) {
		if ((old && git_oid_equal(&old[i], &cur[i])) ||
		    (old == NULL && git_oid_is_zero(&cur[i])))
			continue;
		if ((old && !git_oid_is_zero(&old[i]) &&
		    git_tree_lookup(&a, repo, &old[i]) < 0) ||
		    (!git_oid_is_zero(&cur[i]) &&
		    git_tree_lookup(&b, repo, &cur[i]) < 0))
			rc = -1;
		else
			rc = stored_diff(x, person_dirs[i], a, b);
		git_tree_free(a);
		git_tree_free(b);
		a = b = NULL;
	}
	stored_end(&x->stored);
	return rc;
}

/*
 * The store's keys, as of HEAD (under the lock: after begin()): from
 * .git/ps-dupkeys, brought up to HEAD, else from every person record.
 */
static int
stored_load(struct ps_dupkeys *x, struct ps_diags *d)
{
	struct ps_dupkeys_set *k = &x->stored;
	git_tree *root = NULL;
	git_oid cur[2], old[2];
	int changed = 1;

	ps_store_head_tree(x->s, &root);
	stored_trees(root, cur);
	git_tree_free(root);
	if (stored_read(x) == 0) {
		memcpy(old, k->tree, sizeof(old));
		changed = !git_oid_equal(&old[0], &cur[0]) ||
		    !git_oid_equal(&old[1], &cur[1]);
		if (!changed)
			goto done;
		if (stored_catch_up(x, old, cur) == 0)
			goto sort;
		k->n = k->sorted = 0;
	}
	if (stored_catch_up(x, NULL, cur) == -1)
		return ps_git_error(d, "cannot read the store's people");
sort:
	if (stored_sort(k) == -1)
		return ps_diag_nomem(d);
done:
	memcpy(k->tree, cur, sizeof(cur));
	k->loaded = 1;
	if (changed && !x->dry_run)
		stored_write(x);
	return 0;
}

/* After the commit: this run's records in, then saved under its trees. */
void
ps_dupkeys_commit(struct ps_dupkeys *x, struct ps_txn *t)
{
	struct ps_dupkeys_set *k = &x->stored;
	const git_oid *c = ps_txn_oid(t);
	git_commit *commit = NULL;
	git_tree *root = NULL;
	int rc;

	if (!k->loaded || c == NULL)
		return;
	k->building = 0;
	stored_begin(k);
	ps_mem_sort(x->pend.v, x->pend.n, sizeof(*x->pend.v), idcmp);
	rc = git_commit_lookup(&commit, x->s->repo, c) == 0 &&
	    git_commit_tree(&root, commit) == 0 &&
	    ps_txn_each_change(t, stored_file, x) == 0 &&
	    stored_append(k, &x->pend) == 0;
	stored_end(k);
	if (rc) {
		stored_trees(root, k->tree);
		if (stored_sort(k) == 0)
			stored_write(x);
	}
	git_tree_free(root);
	git_commit_free(commit);
}

/*
 * A stored open record with this key, other than the record being
 * updated and those linked with it: its ID, else NULL.
 */
static const char *
stored_find(struct ps_dupkeys *x, const char *key,
    const struct ps_node *self)
{
	struct ps_dupkeys_set *k = &x->stored;
	struct ps_diags scratch = PS_DIAGS_INIT;
	struct ps_node *rec;
	char keys[3][600];
	uint64_t h = stored_hash(key);
	size_t lo = 0, hi = k->n, mid, i, n;
	const char *found = NULL;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (k->v[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < k->n && k->v[lo].hash == h && !found; lo++) {
		rec = NULL;
		if (ps_store_get(x->s, k->v[lo].id, &rec, &scratch) == 0 &&
		    !ps_status_person_closed(ps_node_get_str(rec,
		    "status")) && !(self && related(self, rec))) {
			n = ps_dupkeys_of(rec, keys);
			for (i = 0; i < n && !found; i++)
				if (strcmp(keys[i], key) == 0) {
					memcpy(x->found, k->v[lo].id,
					    PS_ID_LEN + 1);
					found = x->found;
				}
		}
		ps_node_free(rec);
	}
	ps_diags_release(&scratch);
	return found;
}

void
ps_dupkeys_init(struct ps_dupkeys *x, struct ps_store *s, int dry_run)
{
	memset(x, 0, sizeof(*x));
	x->s = s;
	x->dry_run = dry_run;
}

int
ps_dupkeys_load(struct ps_dupkeys *x, struct ps_diags *d)
{
	return stored_load(x, d);
}

const char *
ps_dupkeys_find(struct ps_dupkeys *x, const char *key,
    const struct ps_node *self)
{
	const char *found = dup_find(&x->run, key);

	return found ? found : stored_find(x, key, self);
}

int
ps_dupkeys_add_run(struct ps_dupkeys *x, const char *key, const char *id)
{
	return dup_add(&x->run, key, id);
}

int
ps_dupkeys_add_pending(struct ps_dupkeys *x, const struct ps_node *rec)
{
	return stored_add(&x->pend, rec);
}

void
ps_dupkeys_release(struct ps_dupkeys *x)
{
	dup_release(&x->run);
	free(x->stored.v);
	free(x->stored.drop);
	free(x->pend.v);
}
