/*
 * yaml-floor: the least work that reading a store's records can take —
 * walk the record folders, read each file and run libyaml's event parser
 * over it to the end of the stream, building nothing. What ps-check does
 * beyond this (a tree per record, strict checks, schema validation,
 * cross-references) is measured against it.
 *
 *	yaml-floor DIR
 *
 * Prints "N files, E events, B bytes" on stdout. Exit status: 0, or 1 if a
 * file could not be read or parsed.
 */
#include <dirent.h>
#include <fcntl.h>
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
walk(struct floor *f, int parent, const char *name)
{
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
		if (e->d_type == DT_DIR)
			walk(f, fd, e->d_name);
		else if (n > 5 && strcmp(e->d_name + n - 5, ".yaml") == 0)
			parse_file(f, fd, e->d_name);
	}
	closedir(d);
}

int
main(int argc, char *argv[])
{
	static const char *const kinds[] = { "participants", "volunteers",
	    "matches", "contacts", "groups", NULL };
	struct floor f;
	int root, i;

	if (argc != 2) {
		fputs("usage: yaml-floor DIR\n", stderr);
		return 2;
	}
	memset(&f, 0, sizeof(f));
	if ((root = open(argv[1], O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		perror(argv[1]);
		return 1;
	}
	for (i = 0; kinds[i]; i++)
		walk(&f, root, kinds[i]);
	close(root);
	free(f.buf);
	printf("%ld files, %ld events, %ld bytes\n", f.files, f.events,
	    f.bytes);
	return f.bad ? 1 : 0;
}
