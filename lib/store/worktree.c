/* worktree: the work tree brought up to a set of changes; see worktree.h. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/file.h"
#include "store/git.h"
#include "store/worktree.h"

static int
mkdirs(const char *root, const char *rel)
{
	char path[4096];
	char *p;

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", root, rel) >=
	    sizeof(path))
		return -1;
	if ((p = strrchr(path, '/')) == NULL)
		return 0;
	*p = '\0';
	for (p = path + strlen(root) + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (mkdir(path, 0700) == -1 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(path, 0700) == -1 && errno != EEXIST)
		return -1;
	return 0;
}

int
ps_worktree_safe_path(const char *p)
{
	const char *c;

	if (*p == '\0' || *p == '/' || strlen(p) > 200)
		return 0;
	for (c = p; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
		    (*c >= '0' && *c <= '9') || *c == '-' || *c == '_' ||
		    *c == '.' || *c == '/'))
			return 0;
	return strstr(p, "..") == NULL && strstr(p, "//") == NULL &&
	    strncmp(p, ".git", 4) != 0 && strstr(p, "/.") == NULL &&
	    p[strlen(p) - 1] != '/';
}

/*
 * A change's text in a temp file of its own, .git/ps-tmp/w<i>.XXXXXX (i
 * its place among the changes: ps_worktree_staged finds it there),
 * whose name goes in *out. 0, or -1 with errno set.
 */
static int
stage_file(struct ps_store *s, const struct ps_change *c, size_t i,
    char **out)
{
	struct ps_buf tmp = PS_BUF_INIT;
	int rc = -1;

	errno = ENOMEM;
	ps_repo_gitpath(s, &tmp, "ps-tmp/");
	if (tmp.s && ps_buf_printf(&tmp, "w%zu.XXXXXX", i) == 0 &&
	    ps_file_write_tmp(tmp.s, c->data, c->len, 0) == 0) {
		*out = ps_buf_detach(&tmp);
		rc = 0;
	}
	ps_buf_release(&tmp);
	return rc;
}

/*
 * Put one change in the work tree: its temp file (tmp) renamed into
 * place, or the file removed. 0, or -1 with errno set.
 */
static int
place_file(struct ps_store *s, const struct ps_change *c, const char *tmp)
{
	struct ps_buf full = PS_BUF_INIT;
	size_t bad;
	int rc = -1, e;

	errno = ENOMEM;
	if (ps_buf_printf(&full, "%s/%s", s->root, c->path) == -1)
		goto done;
	/* not through a folder someone replaced by a symlink since */
	if (strrchr(c->path, '/') && ps_file_real_dirs(s->root, c->path,
	    (size_t)(strrchr(c->path, '/') - c->path), &bad) == -1)
		goto done;
	if (c->del)
		rc = unlink(full.s) == -1 && errno != ENOENT ? -1 : 0;
	else if (mkdirs(s->root, c->path) == 0 && rename(tmp, full.s) == 0)
		rc = 0;
done:
	e = errno;
	ps_buf_release(&full);
	errno = e;
	return rc;
}

/* Whether the work tree keeps change c as it is (a person's). */
static int
kept(const struct ps_change *c)
{
	return c->hand && c->data == NULL;
}

int
ps_worktree_write(struct ps_store *s, struct ps_change *ch, size_t n,
    void (*placing)(struct ps_store *), struct ps_diags *d)
{
	struct ps_buf tmp = PS_BUF_INIT;
	git_blob *b = NULL;
	char **tmps = NULL;
	size_t i;
	int rc = 0, staged = 0;

	ps_repo_gitpath(s, &tmp, "ps-tmp");
	if (mkdir(tmp.s, 0700) == -1 && errno != EEXIST) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", tmp.s, strerror(errno));
		goto done;
	}
	if ((tmps = calloc(n + 1, sizeof(*tmps))) == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	/* the text of changes not staged here (a new head, a journal) */
	for (i = 0; i < n && rc == 0; i++) {
		if (ch[i].del || ch[i].data || ch[i].hand)
			continue;
		if (git_blob_lookup(&b, s->repo, &ch[i].oid) < 0)
			rc = ps_git_error(d, ch[i].path);
		else if ((ch[i].len = (size_t)git_blob_rawsize(b),
		    ch[i].data = malloc(ch[i].len ? ch[i].len : 1)) == NULL)
			rc = ps_diag_nomem(d);
		else
			memcpy(ch[i].data, git_blob_rawcontent(b), ch[i].len);
		git_blob_free(b);
		b = NULL;
	}
	/*
	 * Every text in its temp file first, then each put in place: a new
	 * file not there after a crash in between is then told apart, by
	 * its temp file, from one a person deleted since (placing() notes
	 * the moment). In turn: on two threads 10,000 new files into one
	 * folder took longer, the threads spinning on the folder's lock in
	 * the kernel.
	 */
	for (i = 0; i < n && rc == 0; i++)
		if (!ch[i].del && !kept(&ch[i]) &&
		    stage_file(s, &ch[i], i, &tmps[i]) == -1)
			rc = ps_diag_err(d, PS_STORE, "cannot write %s: %s",
			    ch[i].path, strerror(errno));
	if (rc == 0 && placing)
		placing(s);
	/* from here on a temp file not placed stays, for the recovery */
	staged = rc == 0;
	for (i = 0; i < n && rc == 0; i++)
		if (!kept(&ch[i]) && place_file(s, &ch[i], tmps[i]) == -1)
			rc = ps_diag_err(d, PS_STORE, ch[i].del ? "%s: %s" :
			    "cannot write %s: %s", ch[i].path, strerror(errno));
done:
	for (i = 0; tmps && i < n; i++) {
		if (tmps[i] && rc != 0 && !staged)
			unlink(tmps[i]);
		free(tmps[i]);
	}
	free(tmps);
	git_blob_free(b);
	ps_buf_release(&tmp);
	return rc;
}

int
ps_worktree_staged(struct ps_store *s, size_t n, unsigned char *have)
{
	struct ps_buf dir = PS_BUF_INIT;
	struct dirent *e;
	unsigned long i;
	char *end;
	DIR *dp;

	memset(have, 0, n);
	ps_repo_gitpath(s, &dir, "ps-tmp");
	if (dir.s == NULL)
		return -1;
	dp = opendir(dir.s);
	ps_buf_release(&dir);
	if (dp == NULL)
		return errno == ENOENT ? 0 : -1;	/* none: nothing staged */
	while ((e = readdir(dp)) != NULL)
		if (e->d_name[0] == 'w' && (i = strtoul(e->d_name + 1, &end,
		    10), *end == '.') && i < n)
			have[i] = 1;
	closedir(dp);
	return 0;
}

void
ps_worktree_free(struct ps_change *ch, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(ch[i].path);
		free(ch[i].data);
	}
	free(ch);
}
