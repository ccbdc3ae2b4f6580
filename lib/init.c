/* init: create a store; see init.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "init.h"
#include "program.h"
#include "store.h"
#include "yaml.h"

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
	ps_store_gitpath(s, &path, "hooks");
	mkdir(path.s, 0700);
	ps_store_gitpath(s, &path, "hooks/pre-commit");
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

int
ps_init(const struct ps_init_opts *o, FILE *out, struct ps_diags *d)
{
	struct ps_buf ppath = PS_BUF_INIT, text = PS_BUF_INIT;
	struct ps_commit_info ci = { "ps-init", NULL, o->author, 0 };
	struct ps_schemas *set = NULL;
	struct ps_store *s = NULL;
	struct ps_node *prog = NULL;
	struct ps_txn *t = NULL;
	char root[PATH_MAX], subject[160];
	const char *pfile = o->program;
	int rc, state;

	if ((state = dir_state(o->dir)) == 2)
		return ps_diag_err(d, PS_REFUSED, "%s: already a store", o->dir);
	if (state == 1)
		return ps_diag_err(d, PS_REFUSED, "%s: exists and is not empty; "
		    "a store needs a directory of its own", o->dir);
	if (pfile == NULL) {
		if (default_program(&ppath) == -1)
			return ps_diag_nomem(d);
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
	if (mkdir(o->dir, 0700) == -1 && errno != EEXIST) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", o->dir, strerror(errno));
		goto done;
	}
	if (realpath(o->dir, root) == NULL) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", o->dir, strerror(errno));
		goto done;
	}
	chmod(root, 0700);
	snprintf(subject, sizeof(subject), "ps-init: create store");
	ci.subject = subject;
	if ((rc = ps_git_init(d)) != 0 ||
	    (rc = ps_store_create(&s, root, d)) != 0 ||
	    (rc = ps_txn_begin(&t, s, d)) != 0 ||
	    (rc = ps_txn_put_file(t, "program.yaml", text.s, text.len,
	    d)) != 0 || (rc = ps_txn_commit(t, &ci, d)) != 0 ||
	    (rc = install_hook(s, d)) != 0)
		goto done;
	fprintf(out, "ps-init: created store %s (%s)\n", root,
	    ps_node_get_str(prog, "name"));
done:
	ps_txn_free(t);
	ps_store_close(s);
	ps_schemas_free(set);
	ps_node_free(prog);
	ps_buf_release(&ppath);
	ps_buf_release(&text);
	return rc;
}
