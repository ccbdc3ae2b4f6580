/* node: the record model; see node.h. */
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/arena.h"
#include "model/node.h"

static struct ps_node *
node_new(enum ps_node_type t)
{
	struct ps_node *n = calloc(1, sizeof(*n));

	if (n)
		n->type = t;
	return n;
}

/* A scalar's text lives in the node's own allocation, just after it:
   one malloc and one free for each of the many scalars a record has. */
struct ps_node *
ps_node_new_scalar(const char *s, size_t len)
{
	return ps_node_new_in(NULL, PS_NODE_SCALAR, s, len);
}

struct ps_node *
ps_node_new_in(struct ps_arena **arena, enum ps_node_type t, const char *s,
    size_t len)
{
	struct ps_node *n;
	size_t size = sizeof(*n) + (t == PS_NODE_SCALAR ? len + 1 : 0);

	if (len > (size_t)-1 - sizeof(*n) - 1 ||
	    (n = arena ? ps_arena_alloc(arena, size) : malloc(size)) == NULL)
		return NULL;
	memset(n, 0, sizeof(*n));
	n->type = t;
	n->pooled = arena != NULL;
	if (t == PS_NODE_SCALAR) {
		n->str = (char *)(n + 1);
		memcpy(n->str, s, len);
		n->str[len] = '\0';
		n->len = len;
	}
	return n;
}

/* NULL for a NULL s: a string that could not be made fails its node. */
struct ps_node *
ps_node_new_str(const char *s)
{
	struct ps_node *n = s ? ps_node_new_scalar(s, strlen(s)) : NULL;

	if (n)
		n->as = PS_AS_STRING;
	return n;
}

struct ps_node *
ps_node_new_plain(const char *s)
{
	struct ps_node *n = s ? ps_node_new_scalar(s, strlen(s)) : NULL;

	if (n)
		n->as = PS_AS_PLAIN;
	return n;
}

struct ps_node *
ps_node_new_map(void)
{
	return node_new(PS_NODE_MAP);
}

struct ps_node *
ps_node_new_seq(void)
{
	return node_new(PS_NODE_SEQ);
}

void
ps_node_free(struct ps_node *n)
{
	size_t i;

	if (n == NULL)
		return;
	if (n->pooled) {	/* its arena goes with its record's root */
		free(n->origin);
		ps_arena_free(n->arena);
		return;
	}
	for (i = 0; i < n->n; i++) {
		if (n->keys)
			ps_node_free(n->keys[i]);
		ps_node_free(n->vals[i]);
	}
	free(n->keys);
	free(n->vals);
	free(n->origin);
	free(n);
}

int
ps_node_reserve(struct ps_node *n, struct ps_arena **arena)
{
	struct ps_node **v, **k = NULL;
	size_t cap;

	if (n->n < n->cap)
		return 0;
	if (n->pooled && arena == NULL)	/* a read-only record (above) */
		return -1;
	cap = n->cap ? n->cap * 2 : n->type == PS_NODE_MAP ? 16 : 4;
	if (cap > (size_t)-1 / sizeof(*v))
		return -1;
	if (n->pooled) {	/* the old lists stay in the arena, unused */
		if ((v = ps_arena_alloc(arena, cap * sizeof(*v))) == NULL ||
		    (n->type == PS_NODE_MAP && (k = ps_arena_alloc(arena,
		    cap * sizeof(*k))) == NULL))
			return -1;
		if (n->n) {
			memcpy(v, n->vals, n->n * sizeof(*v));
			if (k)
				memcpy(k, n->keys, n->n * sizeof(*k));
		}
		n->vals = v;
		n->keys = k;
		n->cap = cap;
		return 0;
	}
	if ((v = realloc(n->vals, cap * sizeof(*v))) == NULL)
		return -1;
	n->vals = v;
	if (n->type == PS_NODE_MAP) {
		if ((k = realloc(n->keys, cap * sizeof(*k))) == NULL)
			return -1;
		n->keys = k;
	}
	n->cap = cap;
	return 0;
}

static int
reserve(struct ps_node *n)
{
	return ps_node_reserve(n, NULL);
}

struct ps_node *
ps_node_dup(const struct ps_node *n)
{
	struct ps_node *c;
	size_t i;

	if (n->type == PS_NODE_SCALAR) {
		if ((c = ps_node_new_scalar(n->str, n->len)) == NULL)
			return NULL;
		c->quoted = n->quoted;
		c->as = n->as;
	} else if ((c = node_new(n->type)) == NULL)
		return NULL;
	c->line = n->line;
	c->col = n->col;
	if (n->origin && (c->origin = strdup(n->origin)) == NULL)
		goto fail;
	for (i = 0; i < n->n; i++) {
		struct ps_node *k = NULL, *v;

		if (reserve(c) == -1)
			goto fail;
		if (n->keys && (k = ps_node_dup(n->keys[i])) == NULL)
			goto fail;
		if ((v = ps_node_dup(n->vals[i])) == NULL) {
			ps_node_free(k);
			goto fail;
		}
		if (c->keys)
			c->keys[c->n] = k;
		c->vals[c->n++] = v;
	}
	return c;
fail:
	ps_node_free(c);
	return NULL;
}

struct ps_node *
ps_node_take(struct ps_node *n)
{
	struct ps_node *c = node_new(n->type);

	if (c == NULL)
		return NULL;
	*c = *n;
	memset(n, 0, sizeof(*n));
	n->type = c->type;
	return c;
}

int
ps_node_equal(const struct ps_node *a, const struct ps_node *b)
{
	size_t i;

	if (a->type != b->type || a->n != b->n)
		return 0;
	if (a->type == PS_NODE_SCALAR)
		return a->len == b->len && memcmp(a->str, b->str, a->len) == 0;
	for (i = 0; i < a->n; i++) {
		if (a->type == PS_NODE_MAP) {
			const struct ps_node *v = ps_node_map_get(b,
			    a->keys[i]->str);

			if (v == NULL || !ps_node_equal(a->vals[i], v))
				return 0;
		} else if (!ps_node_equal(a->vals[i], b->vals[i]))
			return 0;
	}
	return 1;
}

static long
map_index(const struct ps_node *m, const char *key, size_t klen)
{
	size_t i;

	if (m == NULL || m->type != PS_NODE_MAP)
		return -1;
	for (i = 0; i < m->n; i++)
		if (m->keys[i]->len == klen &&
		    memcmp(m->keys[i]->str, key, klen) == 0)
			return (long)i;
	return -1;
}

struct ps_node *
ps_node_map_get(const struct ps_node *m, const char *key)
{
	long i = map_index(m, key, strlen(key));

	return i < 0 ? NULL : m->vals[i];
}

static int
map_set(struct ps_node *m, const char *key, size_t klen, struct ps_node *val)
{
	struct ps_node *k;
	long i;

	if (m->type != PS_NODE_MAP)
		goto fail;
	if ((i = map_index(m, key, klen)) >= 0) {
		ps_node_free(m->vals[i]);
		m->vals[i] = val;
		return 0;
	}
	if (reserve(m) == -1 || (k = ps_node_new_scalar(key, klen)) == NULL)
		goto fail;
	k->as = PS_AS_STRING;
	m->keys[m->n] = k;
	m->vals[m->n++] = val;
	return 0;
fail:
	ps_node_free(val);
	return -1;
}

int
ps_node_map_set(struct ps_node *m, const char *key, struct ps_node *val)
{
	if (val == NULL)
		return -1;
	return map_set(m, key, strlen(key), val);
}

int
ps_node_map_del(struct ps_node *m, const char *key)
{
	long i = map_index(m, key, strlen(key));

	if (i < 0)
		return 0;
	ps_node_free(m->keys[i]);
	ps_node_free(m->vals[i]);
	memmove(&m->keys[i], &m->keys[i + 1], (m->n - i - 1) * sizeof(*m->keys));
	memmove(&m->vals[i], &m->vals[i + 1], (m->n - i - 1) * sizeof(*m->vals));
	m->n--;
	return 1;
}

int
ps_node_seq_append(struct ps_node *s, struct ps_node *val)
{
	if (val == NULL)
		return -1;
	if (s->type != PS_NODE_SEQ || reserve(s) == -1) {
		ps_node_free(val);
		return -1;
	}
	s->vals[s->n++] = val;
	return 0;
}

/* Parse a sequence index from a path component; -1 if not a number. */
static long
seq_index(const char *p, size_t len)
{
	long v = 0;
	size_t i;

	if (len == 0 || len > 9)
		return -1;
	for (i = 0; i < len; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* Step from n along one path component of length len. */
static struct ps_node *
step(const struct ps_node *n, const char *c, size_t len)
{
	long i;

	if (n->type == PS_NODE_MAP) {
		i = map_index(n, c, len);
		return i < 0 ? NULL : n->vals[i];
	}
	if (n->type == PS_NODE_SEQ) {
		i = seq_index(c, len);
		return i < 0 || (size_t)i >= n->n ? NULL : n->vals[i];
	}
	return NULL;
}

struct ps_node *
ps_node_get(const struct ps_node *n, const char *path)
{
	const char *c = path, *dot;

	while (n != NULL && *c) {
		dot = strchr(c, '.');
		n = step(n, c, dot ? (size_t)(dot - c) : strlen(c));
		c = dot ? dot + 1 : c + strlen(c);
	}
	return (struct ps_node *)n;
}

int
ps_node_set(struct ps_node *n, const char *path, struct ps_node *val)
{
	const char *c = path, *dot;
	struct ps_node *next;
	size_t len;
	long i;

	if (val == NULL)
		return -1;
	for (;;) {
		dot = strchr(c, '.');
		len = dot ? (size_t)(dot - c) : strlen(c);
		if (dot == NULL)
			break;
		if ((next = step(n, c, len)) == NULL) {
			if (n->type != PS_NODE_MAP ||
			    (next = ps_node_new_map()) == NULL ||
			    map_set(n, c, len, next) == -1)
				goto fail;
		}
		n = next;
		c = dot + 1;
	}
	if (n->type == PS_NODE_MAP)
		return map_set(n, c, len, val);
	if (n->type == PS_NODE_SEQ && (i = seq_index(c, len)) >= 0) {
		if ((size_t)i == n->n)
			return ps_node_seq_append(n, val);
		if ((size_t)i < n->n) {
			ps_node_free(n->vals[i]);
			n->vals[i] = val;
			return 0;
		}
	}
fail:
	ps_node_free(val);
	return -1;
}

const char *
ps_node_get_str(const struct ps_node *n, const char *path)
{
	n = ps_node_get(n, path);
	return n && n->type == PS_NODE_SCALAR ? n->str : NULL;
}

long
ps_node_get_long(const struct ps_node *n, const char *path, long dflt)
{
	const char *s = ps_node_get_str(n, path);

	return s ? strtol(s, NULL, 10) : dflt;
}

int
ps_node_set_str(struct ps_node *n, const char *path, const char *s)
{
	return ps_node_set(n, path, ps_node_new_str(s));
}

int
ps_node_set_plain(struct ps_node *n, const char *path, const char *s)
{
	return ps_node_set(n, path, ps_node_new_plain(s));
}

int
ps_node_seq_has(const struct ps_node *seq, const char *s)
{
	size_t i;

	for (i = 0; seq && seq->type == PS_NODE_SEQ && i < seq->n; i++)
		if (seq->vals[i]->type == PS_NODE_SCALAR &&
		    strcmp(seq->vals[i]->str, s) == 0)
			return 1;
	return 0;
}

void
ps_node_names(const struct ps_node *map, char *out, size_t len)
{
	size_t i, at = 0;

	out[0] = '\0';
	for (i = 0; map && map->type != PS_NODE_SCALAR && i < map->n; i++) {
		const struct ps_node *k = map->type == PS_NODE_MAP ?
		    map->keys[i] : map->vals[i];

		if (at < len)
			at += (size_t)snprintf(out + at, len - at, "%s%s",
			    i ? ", " : "", k->str);
	}
}

void
ps_node_trim(struct ps_node *n)
{
	size_t a = 0, b;

	if (n == NULL || n->type != PS_NODE_SCALAR)
		return;
	b = n->len;
	while (a < b && isspace((unsigned char)n->str[a]))
		a++;
	while (b > a && isspace((unsigned char)n->str[b - 1]))
		b--;
	memmove(n->str, n->str + a, b - a);
	n->str[b - a] = '\0';
	n->len = b - a;
}
