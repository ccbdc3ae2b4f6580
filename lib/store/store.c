/* store: discovery, opening and reading; see store.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2/sys/alloc.h>
#include <git2/sys/odb_backend.h>

#include "util/date.h"
#include "util/file.h"
#include "util/id.h"
#include "util/mem.h"
#include "util/pool.h"
#include "util/str.h"
#include "util/tz.h"
#include "model/program.h"
#include "model/record.h"
#include "model/yaml.h"
#include "store/git.h"
#include "store/gitindex.h"
#include "store/journal.h"
#include "store/store.h"


/*
 * New loose objects compressed as git itself does (core.looseCompression
 * is 1, best speed): libgit2 uses zlib's default, 6, which takes 30 ms on
 * the 600 KB tree of a folder of 15,000 records. (libgit2 takes level 0
 * for no zlib stream at all, which git cannot read.) A loose backend of
 * our own before libgit2's, so that it takes the writes; not synced
 * object by object: the write syncs them with its journal (txn.c).
 */
static int
fast_loose(struct ps_store *s, struct ps_diags *d)
{
	struct ps_buf p = PS_BUF_INIT;
	git_odb_backend *b = NULL;
	git_odb *odb = NULL;
	int rc = 0;

	if (ps_buf_printf(&p, "%sobjects", git_repository_commondir(s->repo))
	    == -1)
		rc = ps_diag_nomem(d);
	else if (git_repository_odb(&odb, s->repo) < 0 ||
	    git_odb_backend_loose(&b, p.s, 1, 0, 0, 0) < 0 ||
	    git_odb_add_backend(odb, b, 3) < 0) {
		if (b)
			b->free(b);
		rc = ps_git_error(d, "cannot open the object database");
	}
	git_odb_free(odb);
	ps_buf_release(&p);
	return rc;
}

static int
join(struct ps_buf *b, const char *a, const char *c)
{
	ps_buf_truncate(b, 0);
	/* not printf: this is done for each of 100,000 records */
	return ps_buf_puts(b, a) == -1 || ps_buf_putc(b, '/') == -1 ||
	    ps_buf_puts(b, c) == -1 ? -1 : 0;
}

int
ps_store_real_dirs(struct ps_store *s, const char *file, const char *rel,
    size_t n, struct ps_diags *d)
{
	size_t bad = 0;

	if (ps_file_real_dirs(s->root, rel, n, &bad) == 0)
		return 0;
	if (errno == ELOOP || errno == ENOTDIR)
		return ps_diag_add(d, PS_STORE, file, 0, 0, NULL, "%.*s: %s; the "
		    "store's folders must be real folders", (int)bad, rel,
		    errno == ELOOP ? "a symlink" : "not a folder");
	return ps_diag_add(d, PS_STORE, file, 0, 0, NULL, "%.*s: %s", (int)bad,
	    rel, strerror(errno));
}

static int
is_file(const char *dir, const char *name)
{
	struct ps_buf b = PS_BUF_INIT;
	struct stat st;
	int ok;

	ok = join(&b, dir, name) == 0 && stat(b.s, &st) == 0;
	ps_buf_release(&b);
	return ok;
}

int
ps_store_find(struct ps_buf *root, const char *dir, struct ps_diags *d)
{
	char cwd[PATH_MAX], *slash;

	ps_buf_truncate(root, 0);
	if (dir == NULL && (dir = getenv("PS_STORE")) != NULL && *dir == '\0')
		dir = NULL;
	if (dir) {
		char real[PATH_MAX];

		if (realpath(dir, real) == NULL)
			return ps_diag_err(d, PS_STORE, "%s: %s", dir,
			    strerror(errno));
		if (!is_file(real, "program.yaml") || !is_file(real, ".git"))
			return ps_diag_err(d, PS_STORE, "%s: not a store (no "
			    "program.yaml in a git work tree); create one with "
			    "ps-init", dir);
		return ps_buf_puts(root, real) ? ps_diag_nomem(d) : 0;
	}
	if (getcwd(cwd, sizeof(cwd)) == NULL)
		return ps_diag_err(d, PS_STORE, "cannot get the current "
		    "directory: %s", strerror(errno));
	for (;;) {
		if (is_file(cwd, "program.yaml") && is_file(cwd, ".git"))
			return ps_buf_puts(root, cwd) ? ps_diag_nomem(d) : 0;
		if ((slash = strrchr(cwd, '/')) == NULL || slash == cwd)
			break;
		*slash = '\0';
	}
	return ps_diag_err(d, PS_STORE, "not in a store: use -C DIR, set "
	    "PS_STORE, or create one with ps-init");
}

static int
check_private(const char *path, struct ps_diags *d)
{
	struct stat st;

	if (stat(path, &st) == -1)
		return ps_diag_err(d, PS_STORE, "%s: %s", path,
		    strerror(errno));
	if (st.st_uid != geteuid())
		return ps_diag_err(d, PS_STORE, "%s: store is owned by another "
		    "user; run the tools as its owner", path);
	if (st.st_mode & S_IWOTH)
		return ps_diag_err(d, PS_STORE, "%s: store is writable by "
		    "others; fix it with chmod -R go-rwx", path);
	return 0;
}

/*
 * Is the store shared with its group (git config core.sharedRepository
 * group, true, 1, all, or a mode with the group's write bit)? Then the
 * group may write what git writes; else only the owner may.
 */
static int
shared_with_group(struct ps_store *s)
{
	git_config *cfg = NULL;
	const char *v = NULL;
	int shared = 0;

	if (git_repository_config_snapshot(&cfg, s->repo) == 0 &&
	    git_config_get_string(&v, cfg, "core.sharedRepository") == 0 && v)
		shared = strcmp(v, "group") == 0 || strcmp(v, "true") == 0 ||
		    strcmp(v, "1") == 0 || strcmp(v, "all") == 0 ||
		    strcmp(v, "world") == 0 || strcmp(v, "everybody") == 0 ||
		    (v[0] == '0' && strlen(v) == 4 &&
		    strspn(v, "01234567") == 4 && ((v[2] - '0') & 2));
	git_config_free(cfg);
	return shared;
}

/* One file or folder: the owner's, and writable by no one else (the
   group may, when shared: *shared, -1 until the config is read, which
   only a file the group may write needs). 0, or PS_STORE naming it; not
   there is 0. */
static int
check_mode(struct ps_store *s, const char *rel, int *shared,
    struct ps_diags *d)
{
	const char *root = s->root;
	struct ps_buf p = PS_BUF_INIT;
	struct stat st;
	int rc = 0;

	if (*rel ? join(&p, root, rel) == -1 : ps_buf_puts(&p, root) == -1)
		return ps_diag_nomem(d);
	if (stat(p.s, &st) == -1) {
		if (errno != ENOENT)
			rc = ps_diag_err(d, PS_STORE, "%s: %s", p.s,
			    strerror(errno));
	} else if (st.st_uid != geteuid())
		rc = ps_diag_err(d, PS_STORE, "%s: owned by another user; git "
		    "and the tools read or run it: give it to the store's "
		    "owner (chown)", p.s);
	else {
		if ((st.st_mode & S_IWGRP) && *shared == -1)
			*shared = shared_with_group(s);
		if (st.st_mode & (S_IWOTH | (*shared == 1 ? 0 : S_IWGRP)))
			rc = ps_diag_err(d, PS_STORE, "%s: writable by %s; fix "
			    "it with chmod -R go-rwx %s", p.s,
			    st.st_mode & S_IWOTH ? "others" : "the group, and "
			    "the store is not shared (git config "
			    "core.sharedRepository group)", root);
	}
	ps_buf_release(&p);
	return rc;
}

/*
 * Everything git or the tools read or run, beyond the store's folder:
 * git's config, hooks (each of them), refs, objects, index, and the
 * record folders. A hooks folder or config another user can write runs
 * their code the next time the coordinator runs git.
 */
static int
check_modes(struct ps_store *s, struct ps_diags *d)
{
	static const char *const guarded[] = { "", ".git", ".git/config",
	    ".git/HEAD", ".git/hooks", ".git/info", ".git/refs",
	    ".git/refs/heads", ".git/refs/tags", ".git/packed-refs",
	    ".git/objects", ".git/objects/pack", ".git/objects/info",
	    ".git/index", "program.yaml", "participants", "volunteers",
	    "matches", "contacts", "groups", "erasures", NULL };
	struct ps_buf hook = PS_BUF_INIT;
	struct dirent *e;
	DIR *dp;
	int shared = -1, rc = 0, i;

	for (i = 0; guarded[i] && rc == 0; i++)
		rc = check_mode(s, guarded[i], &shared, d);
	if (rc == 0 && join(&hook, s->root, ".git/hooks") == 0 &&
	    (dp = opendir(hook.s)) != NULL) {
		while (rc == 0 && (e = readdir(dp)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 ||
			    strcmp(e->d_name, "..") == 0)
				continue;
			if (join(&hook, ".git/hooks", e->d_name) == -1)
				rc = ps_diag_nomem(d);
			else
				rc = check_mode(s, hook.s, &shared, d);
		}
		closedir(dp);
	}
	ps_buf_release(&hook);
	return rc;
}

static int
load_program(struct ps_store *s, struct ps_diags *d)
{
	struct ps_buf path = PS_BUF_INIT;
	int rc;

	if (join(&path, s->root, "program.yaml") == -1)
		return ps_diag_nomem(d);
	rc = ps_program_load(&s->program, s->schemas, path.s, "program.yaml",
	    d);
	ps_buf_release(&path);
	return rc;
}

static int
store_new(struct ps_store **out, const char *root, struct ps_diags *d)
{
	struct ps_store *s;
	int rc;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL ||
	    (s->root = strdup(root)) == NULL) {
		free(s);
		return ps_diag_nomem(d);
	}
	s->lock_fd = -1;
	s->root_fd = -1;
	s->prescan = -1;
	if ((rc = ps_schemas_load(&s->schemas, NULL, d)) != 0) {
		ps_store_close(s);
		return rc;
	}
	*out = s;
	return 0;
}

int
ps_store_open(struct ps_store **out, const char *dir, struct ps_diags *d)
{
	struct ps_buf root = PS_BUF_INIT, j = PS_BUF_INIT;
	struct ps_store *s = NULL;
	struct stat st;
	int rc, early = 0;

	*out = NULL;
	if ((rc = ps_store_find(&root, dir, d)) != 0 ||
	    (rc = check_private(root.s, d)) != 0 ||
	    (rc = store_new(&s, root.s, d)) != 0) {
		ps_git_ready(NULL);	/* no exit while it runs */
		goto done;
	}
	/*
	 * While libgit2 starts: the index scanned, and program.yaml read
	 * unless an interrupted write may yet change it (a journal).
	 */
	if (join(&j, root.s, ".git") == 0 && stat(j.s, &st) == 0 &&
	    S_ISDIR(st.st_mode)) {
		ps_gitindex_prescan(s, j.s);
		if (join(&j, root.s, ".git/ps-journal") == 0 &&
		    access(j.s, F_OK) == -1 &&
		    join(&j, root.s, ".git/ps-index-journal") == 0 &&
		    access(j.s, F_OK) == -1) {
			early = 1;
			if ((rc = load_program(s, d)) != 0) {
				ps_git_ready(NULL);
				goto done;
			}
		}
	}
	if ((rc = ps_git_ready(d)) != 0)
		goto done;
	if ((s->root_fd = open(root.s, O_PATH | O_DIRECTORY | O_CLOEXEC)) ==
	    -1) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", root.s, strerror(errno));
		goto done;
	}
	if (git_repository_open_ext(&s->repo, root.s,
	    GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		rc = ps_git_error(d, root.s);
		goto done;
	}
	if (git_repository_is_bare(s->repo)) {
		rc = ps_diag_err(d, PS_STORE, "%s: bare repository", root.s);
		goto done;
	}
	if ((rc = check_modes(s, d)) != 0)
		goto done;
	if ((rc = fast_loose(s, d)) != 0)
		goto done;
	ps_repo_gitpath(s, &j, "ps-journal");
	if (access(j.s, F_OK) == -1)
		ps_repo_gitpath(s, &j, "ps-index-journal");
	if (access(j.s, F_OK) == 0) {
		if ((rc = ps_journal_recover(s, d)) != 0)
			goto done;
		early = 0;	/* read it again, as the write left it */
		ps_node_free(s->program);
		s->program = NULL;
	}
	if (!early)
		rc = load_program(s, d);
done:
	ps_buf_release(&root);
	ps_buf_release(&j);
	if (rc != 0) {
		ps_store_close(s);
		s = NULL;
	}
	*out = s;
	return rc;
}

void
ps_store_close(struct ps_store *s)
{
	if (s == NULL)
		return;
	git_repository_free(s->repo);
	s->repo = NULL;
	ps_schemas_free(s->schemas);
	ps_node_free(s->program);
	ps_repo_unlock(s);
	if (s->root_fd != -1)
		close(s->root_fd);
	free(s->root);
	free(s);
}

int
ps_store_create(struct ps_store **out, const char *root, struct ps_diags *d)
{
	git_repository_init_options o = GIT_REPOSITORY_INIT_OPTIONS_INIT;
	git_config *cfg = NULL;
	struct ps_store *s;
	int rc;

	if ((rc = store_new(&s, root, d)) != 0) {
		ps_git_ready(NULL);	/* no exit while it runs */
		return rc;
	}
	if ((rc = ps_git_ready(d)) != 0) {
		ps_store_close(s);
		return rc;
	}
	o.flags = GIT_REPOSITORY_INIT_MKPATH | GIT_REPOSITORY_INIT_NO_REINIT;
	o.mode = GIT_REPOSITORY_INIT_SHARED_UMASK;
	if (git_repository_init_ext(&s->repo, root, &o) < 0 ||
	    git_repository_config(&cfg, s->repo) < 0 ||
	    git_config_set_string(cfg, "core.sharedRepository", "0600") < 0) {
		/* 0600: git itself then keeps the index and objects private,
		   whatever the umask of whoever runs git status */
		rc = ps_git_error(d, root);
		git_config_free(cfg);
		ps_store_close(s);
		return rc;
	}
	git_config_free(cfg);
	*out = s;
	return 0;
}

/* Read and check a record file against a set of schemas (the store's,
   or a reading thread's copy); with origin, note the version read. */
static int
load(struct ps_store *s, const struct ps_schemas *set, const char *relpath,
    int origin, struct ps_node **out, struct ps_diags *d)
{
	struct ps_buf full = PS_BUF_INIT, bytes = PS_BUF_INIT;
	struct ps_node *rec = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	git_oid oid;
	int rc;

	*out = NULL;
	/* from the store's folder: the kernel looks up two names, not ten;
	   a record only read (ps-check's): into an arena (node.h) */
	if (s->root_fd == -1 && join(&full, s->root, relpath) == -1)
		return ps_diag_nomem(d);
	rc = ps_yaml_load_file_kept(&rec, s->root_fd == -1 ? AT_FDCWD :
	    s->root_fd, s->root_fd == -1 ? full.s : relpath, relpath,
	    origin ? 0 : PS_YAML_ARENA, origin ? &bytes : NULL, d);
	ps_buf_release(&full);
	if (rc != 0)
		goto done;
	if (ps_record_check(set, rec, relpath, d) > 0) {
		rc = PS_REFUSED;
		goto done;
	}
	if (!ps_record_path_matches(rec, relpath)) {
		rc = ps_diag_add(d, PS_REFUSED, relpath, 0, 0, "id",
		    "does not match the file name and folder");
		goto done;
	}
	/* the version read, for ps_txn_put() to check against the head */
	if (origin) {
		if (git_odb_hash(&oid, bytes.s ? bytes.s : "", bytes.len,
		    GIT_OBJECT_BLOB) < 0 || ps_buf_printf(&full, "%s %s",
		    git_oid_tostr(hex, sizeof(hex), &oid), relpath) == -1) {
			rc = ps_diag_nomem(d);
			goto done;
		}
		rec->origin = ps_buf_detach(&full);
	}
	*out = rec;
	rec = NULL;
done:
	ps_node_free(rec);
	ps_buf_release(&full);
	ps_buf_release(&bytes);
	return rc;
}

int
ps_store_load(struct ps_store *s, const char *relpath, struct ps_node **out,
    struct ps_diags *d)
{
	const char *slash = strrchr(relpath, '/');
	int rc;

	*out = NULL;
	if (slash && (rc = ps_store_real_dirs(s, NULL, relpath,
	    (size_t)(slash - relpath),
	    d)) != 0)
		return rc;
	return load(s, s->schemas, relpath, 1, out, d);
}

struct find_arg {
	const char	*id;
	char		*found;
};

static int
each_dir(struct ps_store *, const char *rel, int depth, int flags,
    ps_store_fn, void *, struct ps_diags *);

static int
find_contact(void *arg, const char *relpath, struct ps_node *rec,
    struct ps_diags *d)
{
	struct find_arg *f = arg;

	(void)rec;
	(void)d;
	if (strcmp(ps_record_id(rec), f->id) == 0) {
		f->found = strdup(relpath);
		return -1;
	}
	return 0;
}

/* Refuse an ID: at its place in an input, not repeated; else (typed on
   a command line) by the ID, after its option if at names one. */
static int
no_record(const char *id, const struct ps_place *at, const char *what,
    struct ps_diags *d)
{
	if (at && at->file)
		return ps_diag_at(d, PS_REFUSED, at, "%s", what);
	return ps_diag_add(d, PS_REFUSED, NULL, 0, 0, at ? at->path : NULL,
	    "%.40s%s: %s", id, strlen(id) > 40 ? "..." : "", what);
}

int
ps_store_get_at(struct ps_store *s, const char *id, const struct ps_place *at,
    struct ps_node **out, struct ps_diags *d)
{
	struct ps_buf rel = PS_BUF_INIT;
	struct find_arg f = { id, NULL };
	const char *kind;
	int rc;

	*out = NULL;
	if (!ps_id_valid(id))
		return no_record(id, at, PS_DIAG_NOT_ID, d);
	kind = ps_id_kind(id);
	if (strcmp(kind, "contact") == 0) {
		each_dir(s, "contacts", 3, 0, find_contact, &f, d);
		if (f.found == NULL)
			return no_record(id, at, PS_DIAG_NO_RECORD, d);
		rc = ps_store_load(s, f.found, out, d);
		free(f.found);
		return rc;
	}
	if (ps_buf_printf(&rel, "%s/%s.yaml", ps_id_kind_dir(kind), id) == -1)
		return ps_diag_nomem(d);
	if (!is_file(s->root, rel.s) && ps_store_exists(s, rel.s))
		rc = ps_diag_err(d, PS_STORE, "%s: deleted from the work tree "
		    "but not committed: restore it with git checkout -- %s, or "
		    "commit the deletion", id, rel.s);
	else if (!is_file(s->root, rel.s))
		rc = no_record(id, at, PS_DIAG_NO_RECORD, d);
	else
		rc = ps_store_load(s, rel.s, out, d);
	ps_buf_release(&rel);
	return rc;
}

int
ps_store_get(struct ps_store *s, const char *id, struct ps_node **out,
    struct ps_diags *d)
{
	return ps_store_get_at(s, id, NULL, out, d);
}

int
ps_store_head_tree(struct ps_store *s, git_tree **tree)
{
	git_reference *ref = NULL;
	git_commit *c = NULL;
	int rc = -1;

	*tree = NULL;
	if (git_repository_head(&ref, s->repo) == 0 &&
	    git_commit_lookup(&c, s->repo, git_reference_target(ref)) == 0 &&
	    git_commit_tree(tree, c) == 0)
		rc = 0;
	git_commit_free(c);
	git_reference_free(ref);
	return rc;
}

int
ps_store_exists(struct ps_store *s, const char *relpath)
{
	git_tree_entry *e = NULL;
	git_tree *t = NULL;
	int found;

	if (is_file(s->root, relpath))
		return 1;
	found = ps_store_head_tree(s, &t) == 0 &&
	    git_tree_entry_bypath(&e, t, relpath) == 0;
	git_tree_entry_free(e);
	git_tree_free(t);
	return found;
}

static int
yaml_name(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && (n > 5 ?
	    strcmp(e->d_name + n - 5, ".yaml") == 0 : 0);
}

static int
sub_name(const struct dirent *e)
{
	return e->d_name[0] != '.';
}

/* Walk rel (depth levels of sub-folders above the files). */
static int
each_dir(struct ps_store *s, const char *rel, int depth, int flags,
    ps_store_fn fn, void *arg, struct ps_diags *d)
{
	struct ps_buf full = PS_BUF_INIT, child = PS_BUF_INIT;
	struct dirent **list = NULL;
	struct ps_node *rec;
	int i, n, rc = 0, st;

	if ((rc = ps_store_real_dirs(s, NULL, rel, strlen(rel), d)) != 0)
		return rc;
	if (join(&full, s->root, rel) == -1)
		return ps_diag_nomem(d);
	n = scandir(full.s, &list, depth > 0 ? sub_name : yaml_name,
	    alphasort);
	if (n < 0) {
		if (errno != ENOENT)
			rc = ps_diag_err(d, PS_STORE, "%s: %s", rel,
			    strerror(errno));
		n = 0;
	}
	for (i = 0; i < n && rc == 0; i++) {
		if (join(&child, rel, list[i]->d_name) == -1) {
			rc = ps_diag_nomem(d);
			break;
		}
		if (depth > 0) {
			rc = each_dir(s, child.s, depth - 1, flags, fn, arg,
			    d);
			continue;
		}
		if ((st = load(s, s->schemas, child.s, !(flags & PS_EACH_READ),
		    &rec, d)) != 0) {
			if (st == PS_STORE)
				rc = st;
			else if (flags & PS_EACH_BAD)
				rc = fn(arg, child.s, NULL, d);
			continue;
		}
		rc = fn(arg, child.s, rec, d);
		ps_node_free(rec);
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	ps_buf_release(&full);
	ps_buf_release(&child);
	return rc;
}

/* The record files under rel, in the order each_dir() reads them;
   -1 (errno set) when a folder cannot be read. */
static int
collect(struct ps_store *s, const char *rel, int depth, char ***v,
    size_t *n, size_t *cap)
{
	struct ps_buf full = PS_BUF_INIT, child = PS_BUF_INIT;
	struct dirent **list = NULL;
	char **nv;
	size_t bad;
	int i, nl, rc = 0;

	/* each_dir() then reads it in turn, and says what is wrong */
	if (ps_file_real_dirs(s->root, rel, strlen(rel), &bad) == -1 ||
	    join(&full, s->root, rel) == -1)
		return -1;
	nl = scandir(full.s, &list, depth > 0 ? sub_name : yaml_name,
	    alphasort);
	ps_buf_release(&full);
	if (nl < 0)
		return errno == ENOENT ? 0 : -1;
	for (i = 0; i < nl && rc == 0; i++) {
		if (join(&child, rel, list[i]->d_name) == -1)
			rc = -1;
		else if (depth > 0)
			rc = collect(s, child.s, depth - 1, v, n, cap);
		else if ((nv = ps_mem_grow(*v, cap, *n + 1, sizeof(**v), 1024)) ==
		    NULL)
			rc = -1;
		else
			*v = nv;
		if (rc == 0 && depth == 0)
			(*v)[(*n)++] = ps_buf_detach(&child);
	}
	for (i = 0; i < nl; i++)
		free(list[i]);
	free(list);
	ps_buf_release(&child);
	return rc;
}

/* Reading a kind on several threads (ps_pool), each with its schemas. */
struct slot {
	struct ps_node	*rec;
	struct ps_diags	 d;
	int		 st;
	int		 worker;	/* whose thread read rec */
};

/*
 * Records a worker read and another is done with: freed by the worker
 * that read them, for a free from another thread contends for the
 * arena malloc took them from (a lock for each of a record's nodes).
 */
struct bin {
	pthread_mutex_t	  mu;
	struct ps_node	**v;
	size_t		  n, cap;
};

struct par {
	struct ps_store		 *s;
	struct ps_schemas	**sets;		/* [worker]; [0] the store's */
	struct bin		 *bins;		/* [worker] */
	char			**paths;
	int			  flags;
	ps_store_fn		  fn;
	void			 *arg;
	struct ps_diags		 *d;
	struct slot		  slots[PS_POOL_AHEAD];
};

/* Free the records others handed back to b's worker (in its thread). */
static void
bin_empty(struct bin *b)
{
	struct ps_node **v;
	size_t n, i;

	/* the list taken whole: others go on handing records back into a
	   new one while these are freed */
	pthread_mutex_lock(&b->mu);
	v = b->v;
	n = b->n;
	if (n > 0) {
		b->v = NULL;
		b->n = b->cap = 0;
	}
	pthread_mutex_unlock(&b->mu);
	if (n == 0)
		return;
	for (i = 0; i < n; i++)
		ps_node_free(v[i]);
	free(v);
}

static void
par_work(void *v, int worker, size_t i)
{
	struct par *p = v;
	struct slot *sl = &p->slots[i % PS_POOL_AHEAD];
	struct bin *b = &p->bins[sl->worker];
	struct ps_node **nv;

	/* the record done with, freed by the thread that read it */
	if (sl->rec && sl->worker != worker) {
		pthread_mutex_lock(&b->mu);
		if ((nv = ps_mem_grow(b->v, &b->cap, b->n + 1, sizeof(*nv), 64)) !=
		    NULL) {
			b->v = nv;
			b->v[b->n++] = sl->rec;
			sl->rec = NULL;
		}
		pthread_mutex_unlock(&b->mu);
	}
	ps_node_free(sl->rec);	/* ours, or no room to hand it back */
	bin_empty(&p->bins[worker]);
	sl->worker = worker;
	sl->st = load(p->s, p->sets[worker], p->paths[i],
	    !(p->flags & PS_EACH_READ), &sl->rec, &sl->d);
}

/* As each_dir() does it for one file, in the caller's thread. */
static int
par_done(void *v, size_t i)
{
	struct par *p = v;
	struct slot *sl = &p->slots[i % PS_POOL_AHEAD];

	ps_diags_move(p->d, &sl->d);
	if (sl->st != 0) {
		if (sl->st == PS_STORE)
			return sl->st;
		return p->flags & PS_EACH_BAD ?
		    p->fn(p->arg, p->paths[i], NULL, p->d) : 0;
	}
	/* the record stays in its slot, freed by par_work() or at the end */
	return p->fn(p->arg, p->paths[i], sl->rec, p->d);
}

/*
 * A large folder is read on every CPU, the records handed to fn in path
 * order with the diagnostics in the same order as when read in turn. Each
 * thread has its own copy of the schemas: glibc's regexec() locks the
 * pattern, which would have the threads take turns. Returns 0, fn's
 * status in *rc, or 1 when the folder is better read in turn (small, one
 * CPU, a folder that cannot be listed, or no memory to spare).
 */
static int
each_par(struct ps_store *s, const char *dir, int depth, int flags,
    ps_store_fn fn, void *arg, struct ps_diags *d, int *rc)
{
	struct ps_diags ignored = PS_DIAGS_INIT;
	struct par *p = NULL;
	char **paths = NULL;
	size_t n = 0, cap = 0, i;
	int k, threads = ps_pool_threads(), ret = 1;

	if (threads < 2 || collect(s, dir, depth, &paths, &n, &cap) == -1 ||
	    n < 2 * PS_POOL_AHEAD || (p = calloc(1, sizeof(*p))) == NULL ||
	    (p->sets = calloc((size_t)threads, sizeof(*p->sets))) == NULL ||
	    (p->bins = calloc((size_t)threads, sizeof(*p->bins))) == NULL)
		goto done;
	for (k = 0; k < threads; k++)
		pthread_mutex_init(&p->bins[k].mu, NULL);
	p->sets[0] = s->schemas;
	for (k = 1; k < threads; k++)
		if (ps_schemas_load(&p->sets[k], NULL, &ignored) != 0)
			break;
	if (k < 2)
		goto done;
	p->s = s;
	p->paths = paths;
	p->flags = flags;
	p->fn = fn;
	p->arg = arg;
	p->d = d;
	*rc = ps_pool_run(n, k, par_work, par_done, p);
	ret = 0;
	for (i = 0; i < PS_POOL_AHEAD; i++) {
		ps_node_free(p->slots[i].rec);
		ps_diags_release(&p->slots[i].d);
	}
done:
	if (p && p->sets)
		for (k = 1; k < threads; k++)
			ps_schemas_free(p->sets[k]);
	if (p && p->bins)
		for (k = 0; k < threads; k++) {
			bin_empty(&p->bins[k]);
			free(p->bins[k].v);
			pthread_mutex_destroy(&p->bins[k].mu);
		}
	if (p) {
		free(p->sets);
		free(p->bins);
	}
	free(p);
	ps_strv_free(paths, n);
	ps_diags_release(&ignored);
	return ret;
}

int
ps_store_each(struct ps_store *s, const char *kind, int flags,
    ps_store_fn fn, void *arg, struct ps_diags *d)
{
	const char *dir = ps_id_kind_dir(kind);
	int depth, rc;

	if (dir == NULL)
		return ps_diag_err(d, PS_USAGE, "unknown record kind");
	depth = strcmp(kind, "contact") == 0 ? 3 : 0;
	if (each_par(s, dir, depth, flags, fn, arg, d, &rc) == 0)
		return rc;
	return each_dir(s, dir, depth, flags, fn, arg, d);
}

int
ps_store_each_day(struct ps_store *s, long from, long to, ps_store_fn fn,
    void *arg, struct ps_diags *d)
{
	struct ps_buf rel = PS_BUF_INIT;
	struct ps_date dt;
	long day;
	int rc = 0;

	for (day = from; day <= to && rc == 0; day++) {
		ps_date_from_days(day, &dt);
		ps_buf_truncate(&rel, 0);
		if (ps_buf_printf(&rel, "contacts/%04d/%02d/%02d", dt.y, dt.m,
		    dt.d) == -1)
			rc = ps_diag_nomem(d);
		else
			rc = each_dir(s, rel.s, 0, 0, fn, arg, d);
	}
	ps_buf_release(&rel);
	return rc;
}

int
ps_store_resolve(struct ps_store *s, const char *rev, git_oid *out,
    struct ps_diags *d)
{
	struct ps_date day;
	git_revwalk *w = NULL;
	git_object *o = NULL;
	git_commit *c = NULL;
	git_oid oid;
	int rc;

	if (ps_date_parse(rev, &day) == 0) {
		/* the end of that day in the programme's zone */
		time_t limit = ps_tz_local(ps_node_get_str(s->program,
		    "timezone"), ps_date_days(&day) + 1, 0);

		if (limit == (time_t)-1)
			limit = (time_t)(ps_date_days(&day) + 1) * 86400;
		if (git_revwalk_new(&w, s->repo) < 0 ||
		    git_revwalk_push_head(w) < 0) {
			rc = ps_git_error(d, "cannot walk history");
			goto done;
		}
		git_revwalk_sorting(w, GIT_SORT_TIME);
		rc = -1;
		while (rc == -1 && git_revwalk_next(&oid, w) == 0) {
			if (git_commit_lookup(&c, s->repo, &oid) < 0)
				break;
			if (git_commit_time(c) < limit) {
				git_oid_cpy(out, &oid);
				rc = 0;
			}
			git_commit_free(c);
			c = NULL;
		}
		if (rc == -1)
			rc = ps_diag_err(d, PS_REFUSED, "%s: the store has no "
			    "commit that old", rev);
		goto done;
	}
	if (git_revparse_single(&o, s->repo, rev) < 0 ||
	    git_object_peel((git_object **)&c, o, GIT_OBJECT_COMMIT) < 0) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: not a commit or a date "
		    "(YYYY-MM-DD) of this store", rev);
		goto done;
	}
	git_oid_cpy(out, git_commit_id(c));
	rc = 0;
done:
	git_commit_free(c);
	git_object_free(o);
	git_revwalk_free(w);
	return rc;
}

int
ps_store_read_blob(struct ps_store *s, const git_oid *blob, const char *rel,
    struct ps_node **out, struct ps_diags *d)
{
	git_blob *b = NULL;
	struct ps_node *rec = NULL;

	*out = NULL;
	if (git_blob_lookup(&b, s->repo, blob) < 0)
		return ps_git_error(d, rel);
	if (ps_yaml_load_mem(&rec, git_blob_rawcontent(b),
	    (size_t)git_blob_rawsize(b), rel, d) == 0 &&
	    ps_record_check(s->schemas, rec, rel, d) == 0)
		*out = rec;
	else
		ps_node_free(rec);
	git_blob_free(b);
	return 0;
}

struct walk_arg {
	struct ps_store		*s;
	ps_store_blob_fn	 fn;
	void			*arg;
	struct ps_diags		*d;
	const char		*top;
	int			 rc;
};

static int
walk_cb(const char *root, const git_tree_entry *e, void *payload)
{
	struct walk_arg *w = payload;
	struct ps_buf rel = PS_BUF_INIT;
	const char *name = git_tree_entry_name(e);
	size_t n = strlen(name);

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB || n < 6 ||
	    strcmp(name + n - 5, ".yaml") != 0)
		return 0;
	if (ps_buf_printf(&rel, "%s/%s%s", w->top, root, name) == -1) {
		w->rc = ps_diag_nomem(w->d);
		return -1;
	}
	if (git_tree_entry_filemode(e) == GIT_FILEMODE_LINK)
		ps_diag_add(w->d, PS_REFUSED, rel.s, 0, 0, NULL,
		    "is a symbolic link, not a record file");
	else
		w->rc = w->fn(w->arg, rel.s, git_tree_entry_id(e), w->d);
	ps_buf_release(&rel);
	return w->rc ? -1 : 0;
}

/* The tree of a folder in a commit; 1 if there is none. */
static int
folder_at(struct ps_store *s, const git_oid *commit, const char *dir,
    git_tree **out, struct ps_diags *d)
{
	git_tree_entry *e = NULL;
	git_commit *c = NULL;
	git_tree *t = NULL;
	int rc = 1;

	*out = NULL;
	if (git_commit_lookup(&c, s->repo, commit) < 0 ||
	    git_commit_tree(&t, c) < 0)
		rc = ps_git_error(d, dir);
	else if (git_tree_entry_bypath(&e, t, dir) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE)
		rc = git_tree_lookup(out, s->repo, git_tree_entry_id(e)) < 0 ?
		    ps_git_error(d, dir) : 0;
	git_tree_entry_free(e);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

long
ps_store_count_in(struct ps_store *s, const git_oid *commit, const char *dir,
    struct ps_diags *d)
{
	git_tree *t = NULL;
	long n;
	int rc;

	if ((rc = folder_at(s, commit, dir, &t, d)) != 0)
		return rc == 1 ? 0 : -1;
	n = (long)git_tree_entrycount(t);
	git_tree_free(t);
	return n;
}

int
ps_store_each_blob(struct ps_store *s, const git_oid *commit, const char *dir,
    ps_store_blob_fn fn, void *arg, struct ps_diags *d)
{
	struct walk_arg w = { s, fn, arg, d, dir, 0 };
	git_tree *sub = NULL;
	int rc;

	if ((rc = folder_at(s, commit, dir, &sub, d)) != 0)
		return rc == 1 ? 0 : rc;
	git_tree_walk(sub, GIT_TREEWALK_PRE, walk_cb, &w);
	git_tree_free(sub);
	return w.rc;
}

/* ps_store_each_if(): a blob with the needle, read and checked. */
struct if_arg {
	struct ps_store	*s;
	const char	*needle;
	ps_store_fn	 fn;
	void		*arg;
};

static int
if_cb(void *arg, const char *rel, const git_oid *id, struct ps_diags *d)
{
	struct if_arg *a = arg;
	struct ps_node *rec = NULL;
	git_blob *b = NULL;
	int rc, skip;

	if (a->needle) {
		if (git_blob_lookup(&b, a->s->repo, id) < 0)
			return ps_git_error(d, rel);
		skip = memmem(git_blob_rawcontent(b),
		    (size_t)git_blob_rawsize(b), a->needle,
		    strlen(a->needle)) == NULL;
		git_blob_free(b);
		if (skip)
			return 0;
	}
	if ((rc = ps_store_read_blob(a->s, id, rel, &rec, d)) == 0 && rec)
		rc = a->fn(a->arg, rel, rec, d);
	ps_node_free(rec);
	return rc;
}

int
ps_store_each_if(struct ps_store *s, const git_oid *commit, const char *dir,
    const char *needle, ps_store_fn fn, void *arg, struct ps_diags *d)
{
	struct if_arg a = { s, needle, fn, arg };

	return ps_store_each_blob(s, commit, dir, if_cb, &a, d);
}

int
ps_store_each_in(struct ps_store *s, const git_oid *commit, const char *dir,
    ps_store_fn fn, void *arg, struct ps_diags *d)
{
	return ps_store_each_if(s, commit, dir, NULL, fn, arg, d);
}

int
ps_store_each_at(struct ps_store *s, const char *rev, const char *kind,
    ps_store_fn fn, void *arg, struct ps_diags *d)
{
	git_oid oid;
	int rc;

	if (ps_id_kind_dir(kind) == NULL)
		return ps_diag_err(d, PS_USAGE, "unknown record kind");
	if ((rc = ps_store_resolve(s, rev, &oid, d)) != 0)
		return rc;
	return ps_store_each_in(s, &oid, ps_id_kind_dir(kind), fn, arg, d);
}
