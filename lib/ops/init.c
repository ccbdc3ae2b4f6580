/* init: create a store; see init.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/signals.h"
#include "model/program.h"
#include "model/yaml.h"
#include "store/journal.h"
#include "store/store.h"
#include "store/txn.h"
#include "ops/init.h"

/* Is dir missing (0), empty (0), a store (2), or something else (1)? */
static int
dir_state(const char *dir)
{
	struct dirent *e;
	DIR *dp;
	int state = 0, prog = 0, git = 0;

	if ((dp = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : 1;
	while ((e = readdir(dp)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		state = 1;
		prog |= strcmp(e->d_name, "program.yaml") == 0;
		git |= strcmp(e->d_name, ".git") == 0;
	}
	closedir(dp);
	return prog && git ? 2 : state;
}

static int
default_program(struct ps_buf *path)
{
	ps_buf_truncate(path, 0);
	return ps_buf_printf(path, "%s/../examples/ms-society/program.yaml",
	    ps_schema_dir());
}

/* The hook runs the ps-check next to this ps-init, else the one on PATH. */
static int
install_hook(struct ps_store *s, struct ps_diags *d)
{
	struct ps_buf path = PS_BUF_INIT, text = PS_BUF_INIT;
	char exe[PATH_MAX], *slash;
	ssize_t n;
	int fd = -1, rc = 0;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		n = 0;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) != NULL)
		*slash = '\0';
	ps_buf_printf(&text, "#!/bin/sh\n"
	    "# Installed by ps-init: check staged records before a commit "
	    "made by hand.\n"
	    "ps_check=\"%s/ps-check\"\n"
	    "[ -x \"$ps_check\" ] || ps_check=ps-check\n"
	    "exec \"$ps_check\" --cached\n", exe);
	ps_repo_gitpath(s, &path, "hooks");
	mkdir(path.s, 0700);
	ps_repo_gitpath(s, &path, "hooks/pre-commit");
	if (text.s == NULL ||
	    (fd = open(path.s, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0700)) == -1 || write(fd, text.s, text.len) != (ssize_t)text.len ||
	    fsync(fd) == -1)
		rc = ps_diag_err(d, PS_STORE, "cannot write %s: %s", path.s,
		    strerror(errno));
	if (fd != -1)
		close(fd);
	ps_buf_release(&path);
	ps_buf_release(&text);
	return rc;
}

/* The repository, program.yaml committed, the hook: a store at root. */
static int
create(const char *root, const struct ps_buf *text, const char *author,
    struct ps_diags *d)
{
	struct ps_commit_info ci = { "ps-init", "ps-init: create store",
	    author, 0 };
	struct ps_diags late = PS_DIAGS_INIT;
	struct ps_store *s = NULL;
	struct ps_txn *t = NULL;
	struct ps_buf j = PS_BUF_INIT;
	int rc;

	/* nothing is saved before the store is moved into place */
	ps_git_after_commit(-1);
	if ((rc = ps_git_init(d)) != 0 ||
	    (rc = ps_store_create(&s, root, d)) != 0 ||
	    (rc = ps_txn_begin(&t, s, d)) != 0 ||
	    (rc = ps_txn_put_file(t, "program.yaml", text->s, text->len,
	    d)) != 0 || (rc = ps_txn_commit(t, &ci, &late)) != 0)
		goto done;
	/* a work tree that lags its commit (a warning) is finished now */
	ps_repo_gitpath(s, &j, "ps-journal");
	if (j.s == NULL)
		rc = ps_diag_nomem(d);
	else if (access(j.s, F_OK) == 0)
		rc = ps_journal_recover(s, d);
	if (rc == 0)
		rc = install_hook(s, d);
done:
	if (rc != 0)
		ps_diags_move(d, &late);
	ps_diags_release(&late);
	ps_buf_release(&j);
	ps_txn_free(t);
	ps_store_close(s);
	return rc;
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)f;
	if ((type == FTW_DP ? rmdir(path) : unlink(path)) == -1 &&
	    errno != ENOENT)
		return -1;
	return 0;
}

static void
rm_tree(const char *path)
{
	nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
fsync_dir(const char *path)
{
	int fd = open(*path ? path : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd != -1) {
		fsync(fd);
		close(fd);
	}
}

/* The absolute path dir names, which need not exist yet. */
static int
abs_path(const char *dir, char out[PATH_MAX])
{
	char pdir[PATH_MAX], real[PATH_MAX];
	const char *name;
	size_t n = strlen(dir);

	if (realpath(dir, out) != NULL)
		return 0;
	if (errno != ENOENT || n == 0 || n >= sizeof(pdir))
		return -1;
	memcpy(pdir, dir, n + 1);
	while (n > 1 && pdir[n - 1] == '/')
		pdir[--n] = '\0';
	if ((name = strrchr(pdir, '/')) == NULL) {
		name = pdir;
		if (getcwd(real, sizeof(real)) == NULL)
			return -1;
	} else {
		pdir[name++ - pdir] = '\0';
		if (realpath(*pdir ? pdir : "/", real) == NULL)
			return -1;
	}
	if ((size_t)snprintf(out, PATH_MAX, "%s/%s", strcmp(real, "/") ?
	    real : "", name) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/*
 * A ps-init works in DIR/.ps-init, holding an flock on it. Found with the
 * flock free, it is what a killed ps-init left: remove it, and the .git
 * that ps-init may have moved into DIR already (when DIR holds nothing
 * else). Returns 0, or the error of one still running.
 */
static int
clean_killed(const char *root, const char *tmp, struct ps_diags *d)
{
	struct ps_buf git = PS_BUF_INIT;
	struct dirent *e;
	DIR *dp;
	int fd, only_git = 1;

	if ((fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1)
		return 0;
	if (flock(fd, LOCK_EX | LOCK_NB) == -1) {
		close(fd);
		return ps_diag_err(d, PS_STORE, "%s: another ps-init is making "
		    "this store", root);
	}
	if ((dp = opendir(root)) != NULL) {
		while ((e = readdir(dp)) != NULL)
			if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
			    strcmp(e->d_name, ".git") &&
			    strcmp(e->d_name, ".ps-init"))
				only_git = 0;
		closedir(dp);
		if (only_git && ps_buf_printf(&git, "%s/.git", root) == 0)
			rm_tree(git.s);
	}
	rm_tree(tmp);
	close(fd);
	ps_buf_release(&git);
	return 0;
}

/*
 * Make the store in DIR/.ps-init, then move its .git and program.yaml up
 * into DIR: until the second rename the tools do not take DIR for a
 * store, and a ps-init killed half-way leaves nothing the next one does
 * not clear (clean_killed). An empty .ps-init left by one killed after
 * the renames is invisible to git, and the next write removes it.
 */
static int
create_whole(const char *root, const char *tmp, const struct ps_buf *text,
    const char *author, struct ps_diags *d)
{
	struct ps_buf from = PS_BUF_INIT, to = PS_BUF_INIT;
	const char *move[] = { ".git", "program.yaml" };
	int fd = -1, rc = 0, i, moved = 0;
	sigset_t mask;

	ps_signals_hold(&mask);	/* Ctrl-C: made, or cleared, then it ends */
	if (mkdir(root, 0700) == -1 && errno != EEXIST) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", root, strerror(errno));
		goto done;
	}
	chmod(root, 0700);
	if (mkdir(tmp, 0700) == -1 ||
	    (fd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1 ||
	    flock(fd, LOCK_EX | LOCK_NB) == -1) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", tmp, strerror(errno));
		goto done;
	}
	if ((rc = create(tmp, text, author, d)) != 0)
		goto done;
	for (i = 0; i < 2; i++) {
		ps_buf_truncate(&from, 0);
		ps_buf_truncate(&to, 0);
		if (ps_buf_printf(&from, "%s/%s", tmp, move[i]) == -1 ||
		    ps_buf_printf(&to, "%s/%s", root, move[i]) == -1) {
			rc = ps_diag_nomem(d);
			goto done;
		}
		if (rename(from.s, to.s) == -1) {
			rc = ps_diag_err(d, PS_STORE, "cannot move %s to %s: %s",
			    from.s, to.s, strerror(errno));
			goto done;
		}
		moved = 1;
	}
	rmdir(tmp);
	fsync_dir(root);
	ps_buf_truncate(&to, 0);
	if (ps_buf_add(&to, root, (size_t)(strrchr(root, '/') - root)) == 0)
		fsync_dir(to.s);
done:
	/* once .git is moved, the next ps-init clears both (clean_killed) */
	if (rc != 0 && fd != -1 && !moved)
		rm_tree(tmp);
	if (fd != -1)
		close(fd);
	ps_buf_release(&from);
	ps_buf_release(&to);
	ps_signals_release(&mask);
	return rc;
}

int
ps_init(const struct ps_init_opts *o, FILE *out, struct ps_diags *d)
{
	struct ps_buf ppath = PS_BUF_INIT, text = PS_BUF_INIT;
	struct ps_buf tmp = PS_BUF_INIT;
	struct ps_schemas *set = NULL;
	struct ps_node *prog = NULL;
	char root[PATH_MAX];
	const char *pfile = o->program;
	int rc, state;

	if (!o->dry_run) {
		if (abs_path(o->dir, root) == -1)
			return ps_diag_err(d, PS_STORE, "%s: %s", o->dir,
			    strerror(errno));
		if (ps_buf_printf(&tmp, "%s/.ps-init", root) == -1)
			return ps_diag_nomem(d);
		if ((rc = clean_killed(root, tmp.s, d)) != 0)
			goto done;
	}
	if ((state = dir_state(o->dir)) == 2) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: already a store", o->dir);
		goto done;
	}
	if (state == 1) {
		rc = ps_diag_err(d, PS_REFUSED, "%s: exists and is not empty; "
		    "a store needs a directory of its own", o->dir);
		goto done;
	}
	if (pfile == NULL) {
		if (default_program(&ppath) == -1) {
			rc = ps_diag_nomem(d);
			goto done;
		}
		pfile = ppath.s;
	}
	if ((rc = ps_schemas_load(&set, NULL, d)) != 0 ||
	    (rc = ps_program_load(&prog, set, pfile, o->program ? o->program :
	    "program.yaml", d)) != 0)
		goto done;
	if (ps_yaml_write(&text, prog) == -1) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if (o->dry_run) {
		fwrite(text.s, 1, text.len, out);
		goto done;
	}
	if ((rc = create_whole(root, tmp.s, &text, o->author, d)) != 0)
		goto done;
	fprintf(out, "ps-init: created store %s (%s)\n", root,
	    ps_node_get_str(prog, "name"));
done:
	ps_schemas_free(set);
	ps_node_free(prog);
	ps_buf_release(&ppath);
	ps_buf_release(&text);
	ps_buf_release(&tmp);
	return rc;
}
