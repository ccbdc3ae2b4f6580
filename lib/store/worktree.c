/* worktree: the work tree brought up to a set of changes; see worktree.h. */
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
 * Put one change in the work tree: its text written to a temp file under
 * .git/ps-tmp and renamed into place, or the file removed. 0, or -1 with
 * errno set.
 */
static int
put_file(struct ps_store *s, const struct ps_change *c)
{
	struct ps_buf tmp = PS_BUF_INIT, full = PS_BUF_INIT;
	size_t bad;
	int rc = -1, e;

	errno = ENOMEM;
	if (ps_buf_printf(&full, "%s/%s", s->root, c->path) == -1)
		goto done;
	/* not through a folder someone replaced by a symlink since */
	if (strrchr(c->path, '/') && ps_file_real_dirs(s->root, c->path,
	    (size_t)(strrchr(c->path, '/') - c->path), &bad) == -1)
		goto done;
	if (c->del) {
		rc = unlink(full.s) == -1 && errno != ENOENT ? -1 : 0;
		goto done;
	}
	ps_repo_gitpath(s, &tmp, "ps-tmp/rec.XXXXXX");
	if (tmp.s == NULL || ps_file_write_tmp(tmp.s, c->data, c->len, 0) == -1)
		goto done;
	if (mkdirs(s->root, c->path) == -1 || rename(tmp.s, full.s) == -1) {
		e = errno;
		unlink(tmp.s);
		errno = e;
		goto done;
	}
	rc = 0;
done:
	e = errno;
	ps_buf_release(&tmp);
	ps_buf_release(&full);
	errno = e;
	return rc;
}

/* Write the work-tree files for a set of changes. */
int
ps_worktree_write(struct ps_store *s, struct ps_change *ch, size_t n,
    struct ps_diags *d)
{
	struct ps_buf tmp = PS_BUF_INIT;
	git_blob *b = NULL;
	size_t i;
	int rc = 0;

	ps_repo_gitpath(s, &tmp, "ps-tmp");
	if (mkdir(tmp.s, 0700) == -1 && errno != EEXIST) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", tmp.s, strerror(errno));
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
	 * In turn: on two threads 10,000 new files into one folder took
	 * longer, the threads spinning on the folder's lock in the kernel.
	 */
	for (i = 0; i < n && rc == 0; i++)
		if ((!ch[i].hand || ch[i].data) && put_file(s, &ch[i]) == -1)
			rc = ps_diag_err(d, PS_STORE, ch[i].del ? "%s: %s" :
			    "cannot write %s: %s", ch[i].path, strerror(errno));
done:
	git_blob_free(b);
	ps_buf_release(&tmp);
	return rc;
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
