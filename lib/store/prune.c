/*
 * prune: every pack but one, every loose object, and what in .git may
 * name or hold old objects, removed; see prune.h.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "util/buf.h"
#include "util/file.h"
#include "store/git.h"
#include "store/prune.h"

/* Was st last modified before t? */
static int
older(const struct stat *st, const struct timespec *t)
{
	return st->st_mtim.tv_sec < t->tv_sec || (st->st_mtim.tv_sec ==
	    t->tv_sec && st->st_mtim.tv_nsec < t->tv_nsec);
}

/*
 * Remove what is in dir, and dir too if self; with before, only the files
 * last modified before it, and the folders that leaves empty.
 */
static int
rmtree(const char *dir, int self, const struct timespec *before)
{
	struct ps_buf p = PS_BUF_INIT;
	struct dirent *de;
	struct stat st;
	DIR *dp;
	int rc = 0, left = 0;

	if ((dp = opendir(dir)) == NULL)
		return errno == ENOENT ? 0 : -1;
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		ps_buf_truncate(&p, 0);
		if (ps_buf_printf(&p, "%s/%s", dir, de->d_name) == -1 ||
		    lstat(p.s, &st) == -1)
			rc = -1;
		else if (S_ISDIR(st.st_mode))
			rc = rmtree(p.s, 1, before);
		else if (before && !older(&st, before))
			left = 1;	/* git's, written meanwhile */
		else if (unlink(p.s) == -1)
			rc = -1;
	}
	closedir(dp);
	ps_buf_release(&p);
	if (rc == 0 && self && !left && rmdir(dir) == -1 &&
	    !(before && errno == ENOTEMPTY))
		rc = -1;
	return rc;
}

/*
 * packed-refs without the refs that are loose too. The loose file is the
 * ref (git reads it first); the packed line still names the commit the
 * ref had before the erasure, and would keep the old history reachable.
 * Written as git writes it, under packed-refs.lock, synced before the
 * rename and its folder after; no loose ref is deleted, so a power cut
 * at any point leaves every ref (libgit2's git_refdb_compress deleted
 * the loose refs before the new packed-refs was on disk).
 */
static int
drop_shadowed(struct ps_store *s, struct ps_diags *d)
{
	struct ps_buf p = PS_BUF_INIT, lock = PS_BUF_INIT, out = PS_BUF_INIT,
	    loose = PS_BUF_INIT;
	char line[1200], *name;
	struct stat st;
	FILE *fp = NULL;
	int fd = -1, drop = 0, dropped = 0, rc = 0;

	ps_repo_gitpath(s, &p, "packed-refs");
	ps_repo_gitpath(s, &lock, "packed-refs.lock");
	if (p.s == NULL || lock.s == NULL) {
		rc = ps_diag_nomem(d);
		goto done;
	}
	if ((fp = fopen(p.s, "re")) == NULL) {
		if (errno != ENOENT)
			rc = ps_diag_err(d, PS_STORE, "%s: %s", p.s,
			    strerror(errno));
		goto done;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (line[0] != '#' && line[0] != '^') {
			/* "<ID> <name>": is the ref loose too? */
			name = strchr(line, ' ');
			drop = 0;
			if (name) {
				name[strcspn(name, "\n")] = '\0';
				ps_buf_truncate(&loose, 0);
				ps_repo_gitpath(s, &loose, name + 1);
				drop = loose.s && lstat(loose.s, &st) == 0 &&
				    S_ISREG(st.st_mode);
				name[strlen(name)] = '\n';
			}
		} else if (line[0] == '#')
			drop = 0;
		if (drop)	/* the ref's line, and its peeled one */
			dropped = 1;
		else if (ps_buf_puts(&out, line) == -1) {
			rc = ps_diag_nomem(d);
			goto done;
		}
	}
	if (ferror(fp)) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", p.s, strerror(errno));
		goto done;
	}
	if (!dropped)
		goto done;
	if (fstat(fileno(fp), &st) == -1 ||
	    (fd = open(lock.s, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    st.st_mode & 0666)) == -1) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", lock.s,
		    strerror(errno));
		goto done;
	}
	if ((out.len && write(fd, out.s, out.len) != (ssize_t)out.len) ||
	    fsync(fd) == -1 || close(fd) == -1 || (fd = -1,
	    rename(lock.s, p.s) == -1) || ps_repo_sync(s, d) != 0) {
		rc = ps_diag_err(d, PS_STORE, "cannot rewrite %s: %s", p.s,
		    strerror(errno ? errno : ENOSPC));
		if (fd != -1)
			close(fd);
		unlink(lock.s);
	}
done:
	if (fp)
		fclose(fp);
	ps_buf_release(&p);
	ps_buf_release(&lock);
	ps_buf_release(&out);
	ps_buf_release(&loose);
	return rc;
}

static int
is_hex2(const char *s)
{
	return strlen(s) == 2 && strchr("0123456789abcdef", s[0]) &&
	    strchr("0123456789abcdef", s[1]);
}

/*
 * What no ref reaches any more: the reflogs, ORIG_HEAD and FETCH_HEAD,
 * ps-apply's cache of hashed person keys (rules/dupkeys.h), then every
 * pack but keep and every loose object, and the files that index them
 * (commit-graph, multi-pack-index, info/packs). The refs' objects are all
 * in keep, fsynced before the refs moved.
 */
int
ps_prune(struct ps_store *s, const char *keep, const struct timespec *before,
    struct ps_diags *d)
{
	static const char *const gone[] = { "ORIG_HEAD", "FETCH_HEAD",
	    "COMMIT_EDITMSG", "objects/info/commit-graph",
	    "objects/info/packs", "ps-dupkeys", NULL };
	/* commit-graphs index old commits; rr-cache holds texts of merge
	   conflicts, which may be theirs; ps-cache what reports read of
	   old records (rcache.h) */
	static const char *const trees[] = { "objects/info/commit-graphs",
	    "rr-cache", "ps-cache", NULL };
	struct ps_buf p = PS_BUF_INIT, objs = PS_BUF_INIT;
	struct dirent *de;
	struct stat st;
	DIR *dp = NULL;
	size_t i, klen = strlen(keep);
	int rc = 0;

	/* a git command beside, writing: let it finish first */
	if ((rc = ps_repo_wait_git_lock(s, "index.lock", d)) != 0 ||
	    (rc = ps_repo_wait_git_lock(s, "packed-refs.lock", d)) != 0)
		return rc;
	ps_repo_gitpath(s, &p, "logs");
	if (rmtree(p.s, 0, NULL) == -1) {
		rc = ps_diag_err(d, PS_STORE, "cannot delete the reflogs "
		    "in %s: %s", p.s, strerror(errno));
		goto done;
	}
	for (i = 0; gone[i]; i++) {
		ps_repo_gitpath(s, &p, gone[i]);
		if (unlink(p.s) == -1 && errno != ENOENT) {
			rc = ps_diag_err(d, PS_STORE, "%s: %s", p.s,
			    strerror(errno));
			goto done;
		}
	}
	for (i = 0; trees[i]; i++) {
		ps_repo_gitpath(s, &p, trees[i]);
		if (rmtree(p.s, 1, NULL) == -1 && errno != ENOENT) {
			rc = ps_diag_err(d, PS_STORE, "%s: %s", p.s,
			    strerror(errno));
			goto done;
		}
	}
	/* packed-refs may still name the old commits of refs now loose */
	if ((rc = drop_shadowed(s, d)) != 0)
		goto done;
	ps_repo_gitpath(s, &objs, "objects");
	ps_repo_gitpath(s, &p, "objects/pack");
	if ((dp = opendir(p.s)) == NULL) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", p.s,
		    strerror(errno));
		goto done;
	}
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		const char *nm = de->d_name;

		if ((strncmp(nm, "pack-", 5) != 0 &&
		    strncmp(nm, "tmp_", 4) != 0 &&
		    strncmp(nm, "multi-pack-index", 16) != 0) ||
		    (strncmp(nm, keep, klen) == 0 && nm[klen] == '.'))
			continue;
		ps_repo_gitpath(s, &p, "objects/pack/");
		if (ps_buf_puts(&p, nm) || lstat(p.s, &st) == -1 ||
		    (older(&st, before) && unlink(p.s) == -1))
			rc = ps_diag_err(d, PS_STORE, "%s: %s", p.s,
			    strerror(errno));
	}
	closedir(dp);
	if ((dp = opendir(objs.s)) == NULL) {
		rc = ps_diag_err(d, PS_STORE, "%s: %s", objs.s,
		    strerror(errno));
		goto done;
	}
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		if (!is_hex2(de->d_name))
			continue;
		ps_buf_truncate(&p, 0);
		ps_buf_printf(&p, "%s/%s", objs.s, de->d_name);
		if (rmtree(p.s, 1, before) == -1)
			rc = ps_diag_err(d, PS_STORE, "%s: %s", p.s,
			    strerror(errno));
	}
	closedir(dp);
	dp = NULL;
	ps_repo_gitpath(s, &p, "objects/pack");
	ps_file_sync(p.s);
	ps_file_sync(objs.s);
	ps_repo_gitpath(s, &p, "");
	ps_file_sync(p.s);
done:
	if (dp)
		closedir(dp);
	ps_buf_release(&p);
	ps_buf_release(&objs);
	return rc;
}
