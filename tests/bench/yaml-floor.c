/*
 * yaml-floor: the least work that reading a store's records can take —
 * walk the record folders, read each file and run libyaml's event parser
 * over it to the end of the stream, building nothing. What ps-check does
 * beyond this (a tree per record, strict checks, schema validation,
 * cross-references) is measured against it.
 *
 *	yaml-floor [-j N] DIR
 *
 * With -j N (N > 1) the files are listed first, then parsed on N threads
 * (the floor for a reader that uses N CPUs). Prints "N files, E events,
 * B bytes" on stdout. Exit status: 0, or 1 if a file could not be read
 * or parsed.
 */
#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

struct floor {
	unsigned char	*buf;
	size_t		 cap;
	long		 files, events, bytes, bad;
	int		 listing;	/* -j: list paths, parse later */
	char		**list;
	size_t		 nlist, caplist;
};

/* -j: the files, and the next one a thread takes. */
struct share {
	char		**list;
	size_t		 n, next;
	pthread_mutex_t	 mu;
};

static void
parse_file(struct floor *f, int dirfd, const char *name)
{
	yaml_parser_t p;
	yaml_event_t ev;
	struct stat st;
	ssize_t n;
	size_t len = 0;
	int fd, done = 0;

	if ((fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC)) == -1 ||
	    fstat(fd, &st) == -1) {
		perror(name);
		f->bad++;
		if (fd != -1)
			close(fd);
		return;
	}
	if ((size_t)st.st_size + 1 > f->cap) {
		f->cap = (size_t)st.st_size + 4096;
		if ((f->buf = realloc(f->buf, f->cap)) == NULL) {
			perror("yaml-floor");
			exit(1);
		}
	}
	while ((n = read(fd, f->buf + len, f->cap - len)) > 0)
		len += (size_t)n;
	close(fd);
	if (!yaml_parser_initialize(&p)) {
		f->bad++;
		return;
	}
	yaml_parser_set_input_string(&p, f->buf, len);
	while (!done) {
		if (!yaml_parser_parse(&p, &ev)) {
			fprintf(stderr, "yaml-floor: %s: %s\n", name,
			    p.problem ? p.problem : "parse error");
			f->bad++;
			break;
		}
		done = ev.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&ev);
		f->events++;
	}
	yaml_parser_delete(&p);
	f->files++;
	f->bytes += (long)len;
}

static void
note(struct floor *f, const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;

	if (f->nlist == f->caplist) {
		f->caplist = f->caplist ? f->caplist * 2 : 4096;
		if ((f->list = realloc(f->list, f->caplist *
		    sizeof(*f->list))) == NULL) {
			perror("yaml-floor");
			exit(1);
		}
	}
	if ((f->list[f->nlist] = malloc(n)) == NULL) {
		perror("yaml-floor");
		exit(1);
	}
	snprintf(f->list[f->nlist++], n, "%s/%s", dir, name);
}

static void
walk(struct floor *f, int parent, const char *name, const char *path)
{
	char sub[4096];

	struct dirent *e;
	DIR *d;
	size_t n;
	int fd;

	if ((fd = openat(parent, name, O_RDONLY | O_DIRECTORY |
	    O_CLOEXEC)) == -1)
		return;		/* a kind with no folder yet */
	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		n = strlen(e->d_name);
		if (e->d_type == DT_DIR) {
			snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
			walk(f, fd, e->d_name, sub);
		} else if (n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0) {
			if (f->listing)
				note(f, path, e->d_name);
			else
				parse_file(f, fd, e->d_name);
		}
	}
	closedir(d);
}

static void *
thread_main(void *v)
{
	struct share *sh = ((void **)v)[0];
	struct floor *f = ((void **)v)[1];
	size_t i;

	for (;;) {
		pthread_mutex_lock(&sh->mu);
		i = sh->next++;
		pthread_mutex_unlock(&sh->mu);
		if (i >= sh->n)
			break;
		parse_file(f, AT_FDCWD, sh->list[i]);
	}
	return NULL;
}

/* -j: parse the listed files on n threads, adding up their counts. */
static void
parse_list(struct floor *f, int n)
{
	pthread_t tid[64];
	struct floor part[64];
	struct share sh;
	void *arg[64][2];
	int i;

	memset(&sh, 0, sizeof(sh));
	sh.list = f->list;
	sh.n = f->nlist;
	pthread_mutex_init(&sh.mu, NULL);
	memset(part, 0, sizeof(part));
	for (i = 0; i < n; i++) {
		arg[i][0] = &sh;
		arg[i][1] = &part[i];
		if (pthread_create(&tid[i], NULL, thread_main, arg[i]) != 0) {
			perror("yaml-floor");
			exit(1);
		}
	}
	for (i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		f->files += part[i].files;
		f->events += part[i].events;
		f->bytes += part[i].bytes;
		f->bad += part[i].bad;
		free(part[i].buf);
	}
}

int
main(int argc, char *argv[])
{
	static const char *const kinds[] = { "participants", "volunteers",
	    "matches", "contacts", "groups", NULL };
	struct floor f;
	char path[4096];
	size_t k;
	int root, i, jobs = 1;

	if (argc == 4 && strcmp(argv[1], "-j") == 0) {
		jobs = atoi(argv[2]);
		argv += 2;
		argc -= 2;
	}
	if (argc != 2 || jobs < 1 || jobs > 64) {
		fputs("usage: yaml-floor [-j N] DIR\n", stderr);
		return 2;
	}
	memset(&f, 0, sizeof(f));
	if ((root = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		perror(argv[1]);
		return 1;
	}
	f.listing = jobs > 1;
	for (i = 0; kinds[i]; i++) {
		snprintf(path, sizeof(path), "%s/%s", argv[1], kinds[i]);
		walk(&f, root, kinds[i], path);
	}
	close(root);
	if (jobs > 1) {
		parse_list(&f, jobs);
		for (k = 0; k < f.nlist; k++)
			free(f.list[k]);
		free(f.list);
	}
	free(f.buf);
	printf("%ld files, %ld events, %ld bytes\n", f.files, f.events,
	    f.bytes);
	return f.bad ? 1 : 0;
}
