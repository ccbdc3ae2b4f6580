/*
 * schema: JSON Schema subset validator; see schema.h.
 *
 * Every problem is reported (recutils' integrity checks, not a first-error
 * stop), each at the position of the node it is about. Messages name the
 * field and the rule, never the value.
 */
#include <errno.h>
#include <limits.h>
#include <regex.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "date.h"
#include "schema.h"
#include "yaml.h"

#ifndef PS_SCHEMADIR
#define PS_SCHEMADIR "/usr/local/share/peer-support/schemas"
#endif

const char *const ps_record_kinds[] = { "participant", "volunteer", "match",
    "contact", "group", NULL };

struct regex_entry {
	const struct ps_node	*pattern;
	regex_t			 re;
	int			 ok;
	struct regex_entry	*next;
};

struct ps_schema {
	struct ps_node		*root;
	struct regex_entry	*regexes;	/* compiled on first use */
};

struct ps_schemas {
	struct ps_schema	*kinds[6];	/* ps_record_kinds, program */
};

struct vctx {
	const struct ps_schema	*s;
	const char		*file;
	struct ps_diags		*d;
	struct ps_buf		 path;
	size_t			 errors;
};

static const char *
exe_relative(const char *rel, char *out, size_t outlen)
{
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';
	if ((size_t)snprintf(out, outlen, "%s/%s", exe, rel) >= outlen)
		return NULL;
	return access(out, R_OK | X_OK) == 0 ? out : NULL;
}

const char *
ps_schema_dir(void)
{
	static char dir[PATH_MAX];
	const char *e = getenv("PS_SCHEMA_DIR");

	if (e && *e)
		return e;
	if (exe_relative("../schemas", dir, sizeof(dir)) ||
	    exe_relative("../share/peer-support/schemas", dir, sizeof(dir)))
		return dir;
	return PS_SCHEMADIR;
}

int
ps_schema_load(struct ps_schema **out, const char *path, struct ps_diags *d)
{
	struct ps_schema *s;
	int rc;

	*out = NULL;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return ps_diag_nomem(d);
	if ((rc = ps_yaml_load_file(&s->root, path, NULL, PS_YAML_LARGE,
	    d)) != 0) {
		free(s);
		return rc == PS_REFUSED ? PS_STORE : rc;
	}
	if (s->root->type != PS_NODE_MAP) {
		ps_schema_free(s);
		return ps_diag_add(d, PS_STORE, path, 0, 0, NULL,
		    "schema is not a mapping");
	}
	*out = s;
	return 0;
}

void
ps_schema_free(struct ps_schema *s)
{
	struct regex_entry *r, *next;

	if (s == NULL)
		return;
	for (r = s->regexes; r; r = next) {
		next = r->next;
		if (r->ok)
			regfree(&r->re);
		free(r);
	}
	ps_node_free(s->root);
	free(s);
}

int
ps_schemas_load(struct ps_schemas **out, const char *dir, struct ps_diags *d)
{
	struct ps_schemas *set;
	struct ps_buf path = PS_BUF_INIT;
	int i, rc = 0;

	*out = NULL;
	if (dir == NULL)
		dir = ps_schema_dir();
	if ((set = calloc(1, sizeof(*set))) == NULL)
		return ps_diag_nomem(d);
	for (i = 0; i < 6 && rc == 0; i++) {
		ps_buf_truncate(&path, 0);
		if (ps_buf_printf(&path, "%s/%s.yaml", dir,
		    i < 5 ? ps_record_kinds[i] : "program") == -1)
			rc = ps_diag_nomem(d);
		else
			rc = ps_schema_load(&set->kinds[i], path.s, d);
	}
	ps_buf_release(&path);
	if (rc != 0) {
		ps_schemas_free(set);
		return rc;
	}
	*out = set;
	return 0;
}

void
ps_schemas_free(struct ps_schemas *set)
{
	int i;

	if (set == NULL)
		return;
	for (i = 0; i < 6; i++)
		ps_schema_free(set->kinds[i]);
	free(set);
}

const struct ps_schema *
ps_schemas_get(const struct ps_schemas *set, const char *kind)
{
	int i;

	if (kind == NULL)
		return NULL;
	if (strcmp(kind, "program") == 0)
		return set->kinds[5];
	for (i = 0; ps_record_kinds[i]; i++)
		if (strcmp(kind, ps_record_kinds[i]) == 0)
			return set->kinds[i];
	return NULL;
}

/* Follow $ref (local "#/$defs/NAME" only) to the schema it names. */
static const struct ps_node *
deref(const struct ps_schema *s, const struct ps_node *sch)
{
	const char *ref;
	int hops;

	for (hops = 0; sch && hops < 16; hops++) {
		if (sch->type != PS_NODE_MAP ||
		    (ref = ps_node_get_str(sch, "$ref")) == NULL)
			return sch;
		if (strncmp(ref, "#/$defs/", 8) != 0 || strchr(ref + 8, '.'))
			return NULL;
		sch = ps_node_map_get(ps_node_map_get(s->root, "$defs"),
		    ref + 8);
	}
	return NULL;
}

static int
flag(const struct ps_node *sch, const char *key)
{
	const char *v = ps_node_get_str(sch, key);

	return v && strcmp(v, "true") == 0;
}

/* Path handling: push a component, remember the old length to pop. */
static size_t
push(struct vctx *c, const char *comp, size_t idx)
{
	size_t old = c->path.len;

	if (old > 0)
		ps_buf_putc(&c->path, '.');
	if (comp)
		ps_buf_puts(&c->path, comp);
	else
		ps_buf_printf(&c->path, "%zu", idx);
	return old;
}

static void report(struct vctx *, const struct ps_node *, const char *, ...)
    __attribute__((format(printf, 3, 4)));

static void
report(struct vctx *c, const struct ps_node *n, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ps_diag_add(c->d, PS_REFUSED, c->file, n->line, n->col,
	    c->path.s ? c->path.s : "", "%s", msg);
	c->errors++;
}

static int
is_null(const char *s)
{
	return *s == '\0' || strcmp(s, "~") == 0 || strcmp(s, "null") == 0;
}

static int
is_integer(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		return s[1] == '\0';
	if (*s < '1' || *s > '9')
		return 0;
	while (*s >= '0' && *s <= '9')
		s++;
	return *s == '\0';
}

/* JSON's number: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int
is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (*s == '0')
		s++;
	else if (*s >= '1' && *s <= '9')
		while (*s >= '0' && *s <= '9')
			s++;
	else
		return 0;
	if (*s == '.') {
		if (*++s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	if (*s == 'e' || *s == 'E') {
		if (*++s == '+' || *s == '-')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

static int
type_allowed(const struct ps_node *types, const char *t)
{
	size_t i;

	if (types == NULL)
		return 1;
	if (types->type == PS_NODE_SCALAR)
		return strcmp(types->str, t) == 0 ||
		    (strcmp(t, "integer") == 0 &&
		    strcmp(types->str, "number") == 0);
	for (i = 0; i < types->n; i++)
		if (type_allowed(types->vals[i], t))
			return 1;
	return 0;
}

static const char *
expected(const struct ps_node *types)
{
	const char *t = types->type == PS_NODE_SCALAR ? types->str :
	    types->n > 0 && types->vals[0]->type == PS_NODE_SCALAR ?
	    types->vals[0]->str : "";

	if (strcmp(t, "object") == 0)
		return "expected a mapping";
	if (strcmp(t, "array") == 0)
		return "expected a list";
	if (strcmp(t, "integer") == 0)
		return "expected a whole number";
	if (strcmp(t, "number") == 0)
		return "expected a number";
	if (strcmp(t, "boolean") == 0)
		return "expected true or false";
	if (strcmp(t, "null") == 0)
		return "expected null";
	return "expected text";
}

/* What the instance is, given what the schema allows; NULL: nothing fits. */
static const char *
resolve_type(const struct ps_node *n, const struct ps_node *types)
{
	static const char *const order[] = { "null", "boolean", "integer",
	    "number", "string", NULL };
	int i;

	if (n->type == PS_NODE_MAP)
		return type_allowed(types, "object") ? "object" : NULL;
	if (n->type == PS_NODE_SEQ)
		return type_allowed(types, "array") ? "array" : NULL;
	if (n->quoted)
		return type_allowed(types, "string") ? "string" : NULL;
	for (i = 0; order[i]; i++) {
		const char *t = order[i];
		int fits;

		if (strcmp(t, "null") == 0)
			fits = is_null(n->str);
		else if (strcmp(t, "boolean") == 0)
			fits = strcmp(n->str, "true") == 0 ||
			    strcmp(n->str, "false") == 0;
		else if (strcmp(t, "integer") == 0)
			fits = is_integer(n->str);
		else if (strcmp(t, "number") == 0)
			fits = is_number(n->str);
		else
			fits = 1;
		if (fits && (types == NULL || type_allowed(types, t)))
			return t;
	}
	return NULL;
}

int
ps_email_valid(const char *s)
{
	const char *at = strchr(s, '@'), *p, *dot;
	size_t n = strlen(s);

	if (at == NULL || at == s || n > 254 || at - s > 64 ||
	    strchr(at + 1, '@'))
		return 0;
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == 0x7f || *p == ',' ||
		    *p == ';' || *p == '<' || *p == '>' || *p == '"' ||
		    *p == '(' || *p == ')' || *p == '[' || *p == ']' ||
		    *p == '\\')
			return 0;
	if (s[0] == '.' || at[-1] == '.' || strstr(s, ".."))
		return 0;
	dot = strrchr(at + 1, '.');
	if (dot == NULL || dot == at + 1 || dot[1] == '\0')
		return 0;
	for (p = at + 1; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    (unsigned char)*p >= 0x80))
			return 0;
	if (at[1] == '-' || at[1] == '.' || s[n - 1] == '-')
		return 0;
	return 1;
}

static size_t
utf8_len(const char *s, size_t n)
{
	size_t i, len = 0;

	for (i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			len++;
	return len;
}

static regex_t *
regex_for(const struct ps_schema *s, const struct ps_node *pat)
{
	struct ps_schema *ms = (struct ps_schema *)s;
	struct regex_entry *r;

	for (r = ms->regexes; r; r = r->next)
		if (r->pattern == pat)
			return r->ok ? &r->re : NULL;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->pattern = pat;
	r->ok = regcomp(&r->re, pat->str, REG_EXTENDED | REG_NOSUB) == 0;
	r->next = ms->regexes;
	ms->regexes = r;
	return r->ok ? &r->re : NULL;
}

static int
number_of(const struct ps_node *sch, const char *key, double *v)
{
	const char *t = ps_node_get_str(sch, key);
	char *end;

	if (t == NULL)
		return 0;
	errno = 0;
	*v = strtod(t, &end);
	return *end == '\0' && errno == 0;
}

static void
check_format(struct vctx *c, const struct ps_node *n, const char *fmt)
{
	if (strcmp(fmt, "date") == 0) {
		if (ps_date_parse(n->str, NULL) == -1)
			report(c, n, "not a real date (YYYY-MM-DD)");
		else
			((struct ps_node *)n)->as = PS_AS_PLAIN;
	} else if (strcmp(fmt, "date-time") == 0) {
		if (ps_datetime_parse(n->str, NULL) == -1)
			report(c, n, "not a date and time "
			    "(YYYY-MM-DDTHH:MM:SS+HH:MM)");
		else
			((struct ps_node *)n)->as = PS_AS_PLAIN;
	} else if (strcmp(fmt, "time") == 0) {
		if (ps_time_parse(n->str, NULL) == -1)
			report(c, n, "not a time of day (HH:MM)");
	} else if (strcmp(fmt, "email") == 0) {
		if (!ps_email_valid(n->str))
			report(c, n, "not a valid email address");
	}
}

static void
check_string(struct vctx *c, const struct ps_node *sch, struct ps_node *n)
{
	const struct ps_node *pat = ps_node_map_get(sch, "pattern");
	const char *fmt = ps_node_get_str(sch, "format");
	double lim;
	size_t len;
	regex_t *re;
	char num[32];
	long cp;

	n->as = PS_AS_STRING;
	/* text from a command line or a form: what a record may hold */
	if (ps_text_check(n->str, n->len, &cp) != -1) {
		if (cp == -1)
			report(c, n, "not valid UTF-8 text");
		else if (cp == 0)
			report(c, n, "a NUL character is not allowed");
		else
			report(c, n, "control character U+%04lX is not "
			    "allowed", (unsigned long)cp);
		return;
	}
	len = utf8_len(n->str, n->len);
	if (number_of(sch, "minLength", &lim) && (double)len < lim) {
		if (lim == 1)
			report(c, n, "must not be empty");
		else {
			snprintf(num, sizeof(num), "%g", lim);
			report(c, n, "is shorter than %s characters", num);
		}
	}
	if (number_of(sch, "maxLength", &lim) && (double)len > lim) {
		snprintf(num, sizeof(num), "%g", lim);
		report(c, n, "is longer than %s characters", num);
	}
	if (pat && pat->type == PS_NODE_SCALAR) {
		if ((re = regex_for(c->s, pat)) == NULL)
			report(c, n, "schema pattern %s cannot be used",
			    pat->str);
		else if (memchr(n->str, '\0', n->len) ||
		    regexec(re, n->str, 0, NULL, 0) != 0)
			report(c, n, "does not have the expected form (%s)",
			    pat->str);
	}
	if (fmt)
		check_format(c, n, fmt);
}

static void
check_number(struct vctx *c, const struct ps_node *sch,
    const struct ps_node *n)
{
	static const struct {
		const char *key, *word;
		int sign, strict;
	} lims[] = {
		{ "minimum", "at least", -1, 0 },
		{ "maximum", "at most", 1, 0 },
		{ "exclusiveMinimum", "more than", -1, 1 },
		{ "exclusiveMaximum", "less than", 1, 1 },
	};
	double v = strtod(n->str, NULL), lim;
	size_t i;

	for (i = 0; i < sizeof(lims) / sizeof(lims[0]); i++) {
		if (!number_of(sch, lims[i].key, &lim))
			continue;
		if ((lims[i].sign < 0 && (v < lim || (lims[i].strict &&
		    v == lim))) || (lims[i].sign > 0 && (v > lim ||
		    (lims[i].strict && v == lim))))
			report(c, n, "must be %s %s", lims[i].word,
			    ps_node_get_str(sch, lims[i].key));
	}
}

static void validate(struct vctx *, const struct ps_node *,
    struct ps_node *);

static void
check_enum(struct vctx *c, const struct ps_node *sch, const struct ps_node *n)
{
	const struct ps_node *e = ps_node_map_get(sch, "enum");
	const struct ps_node *k = ps_node_map_get(sch, "const");
	struct ps_buf list = PS_BUF_INIT;
	size_t i;

	if (k && !ps_node_equal(k, n))
		report(c, n, "must be \"%s\"", k->type == PS_NODE_SCALAR ?
		    k->str : "the schema's constant");
	if (e == NULL || e->type != PS_NODE_SEQ)
		return;
	for (i = 0; i < e->n; i++)
		if (ps_node_equal(e->vals[i], n))
			return;
	for (i = 0; i < e->n && i < 12; i++)
		if (e->vals[i]->type == PS_NODE_SCALAR)
			ps_buf_printf(&list, "%s%s", i ? ", " : "",
			    e->vals[i]->str);
	report(c, n, "must be one of: %s%s", list.s ? list.s : "",
	    e->n > 12 ? ", ..." : "");
	ps_buf_release(&list);
}

/* Put keys in the order of the schema's properties, others after. */
static void
sort_keys(struct ps_node *n, const struct ps_node *props)
{
	size_t i, j, at = 0;

	for (i = 0; i < props->n; i++) {
		for (j = at; j < n->n; j++)
			if (strcmp(n->keys[j]->str, props->keys[i]->str) == 0)
				break;
		if (j < n->n) {
			struct ps_node *k = n->keys[j], *v = n->vals[j];

			memmove(&n->keys[at + 1], &n->keys[at],
			    (j - at) * sizeof(*n->keys));
			memmove(&n->vals[at + 1], &n->vals[at],
			    (j - at) * sizeof(*n->vals));
			n->keys[at] = k;
			n->vals[at] = v;
			at++;
		}
	}
}

static void
check_object(struct vctx *c, const struct ps_node *sch, struct ps_node *n)
{
	const struct ps_node *props = ps_node_map_get(sch, "properties");
	const struct ps_node *req = ps_node_map_get(sch, "required");
	const struct ps_node *add = ps_node_map_get(sch, "additionalProperties");
	const struct ps_node *sub;
	size_t i, old;

	if (req && req->type == PS_NODE_SEQ)
		for (i = 0; i < req->n; i++) {
			if (req->vals[i]->type != PS_NODE_SCALAR ||
			    ps_node_map_get(n, req->vals[i]->str))
				continue;
			old = push(c, req->vals[i]->str, 0);
			report(c, n, "required field is missing");
			ps_buf_truncate(&c->path, old);
		}
	for (i = 0; i < n->n; i++) {
		old = push(c, n->keys[i]->str, 0);
		sub = props ? ps_node_map_get(props, n->keys[i]->str) : NULL;
		if (sub)
			validate(c, sub, n->vals[i]);
		else if (add && add->type == PS_NODE_SCALAR &&
		    strcmp(add->str, "false") == 0)
			report(c, n->keys[i], "unknown field");
		else if (add && add->type == PS_NODE_MAP)
			validate(c, add, n->vals[i]);
		ps_buf_truncate(&c->path, old);
	}
	if (props && props->type == PS_NODE_MAP)
		sort_keys(n, props);
}

static void
check_array(struct vctx *c, const struct ps_node *sch, struct ps_node *n)
{
	const struct ps_node *items = ps_node_map_get(sch, "items");
	double lim;
	size_t i, j, old;
	char num[32];

	if (number_of(sch, "minItems", &lim) && (double)n->n < lim) {
		snprintf(num, sizeof(num), "%g", lim);
		if (lim == 1)
			report(c, n, "must have at least one item");
		else
			report(c, n, "must have at least %s items", num);
	}
	if (number_of(sch, "maxItems", &lim) && (double)n->n > lim) {
		snprintf(num, sizeof(num), "%g", lim);
		report(c, n, "must have at most %s items", num);
	}
	for (i = 0; i < n->n; i++) {
		old = push(c, NULL, i);
		if (items)
			validate(c, items, n->vals[i]);
		if (flag(sch, "uniqueItems"))
			for (j = 0; j < i; j++)
				if (ps_node_equal(n->vals[j], n->vals[i])) {
					report(c, n->vals[i],
					    "repeats an earlier item");
					break;
				}
		ps_buf_truncate(&c->path, old);
	}
}

static void
validate(struct vctx *c, const struct ps_node *sch, struct ps_node *n)
{
	const struct ps_node *types;
	const char *t;

	if ((sch = deref(c->s, sch)) == NULL) {
		report(c, n, "schema has a broken $ref here");
		return;
	}
	if (sch->type != PS_NODE_MAP)
		return;		/* true/false schemas are not used */
	types = ps_node_map_get(sch, "type");
	if ((t = resolve_type(n, types)) == NULL) {
		report(c, n, "%s", expected(types));
		return;
	}
	if (n->type == PS_NODE_SCALAR)
		n->as = PS_AS_PLAIN;
	check_enum(c, sch, n);
	if (strcmp(t, "string") == 0)
		check_string(c, sch, n);
	else if (strcmp(t, "integer") == 0 || strcmp(t, "number") == 0)
		check_number(c, sch, n);
	else if (strcmp(t, "object") == 0)
		check_object(c, sch, n);
	else if (strcmp(t, "array") == 0)
		check_array(c, sch, n);
}

size_t
ps_schema_validate(const struct ps_schema *s, struct ps_node *rec,
    const char *file, struct ps_diags *d)
{
	struct vctx c = { s, file, d, PS_BUF_INIT, 0 };

	if (ps_buf_add(&c.path, "", 0) == -1) {
		ps_diag_nomem(d);
		return 1;
	}
	validate(&c, s->root, rec);
	ps_buf_release(&c.path);
	return c.errors;
}

/* One step down a schema along a path component. */
static const struct ps_node *
schema_step(const struct ps_schema *s, const struct ps_node *sch,
    const char *comp, size_t len)
{
	const struct ps_node *props, *add, *m;
	char key[128];
	size_t i;

	if ((sch = deref(s, sch)) == NULL || sch->type != PS_NODE_MAP)
		return NULL;
	for (i = 0; i < len && comp[i] >= '0' && comp[i] <= '9'; i++)
		;
	if (i == len && len > 0 && (m = ps_node_map_get(sch, "items")))
		return deref(s, m);
	if (len >= sizeof(key))
		return NULL;
	memcpy(key, comp, len);
	key[len] = '\0';
	props = ps_node_map_get(sch, "properties");
	if (props && (m = ps_node_map_get(props, key)))
		return deref(s, m);
	add = ps_node_map_get(sch, "additionalProperties");
	if (add && add->type == PS_NODE_MAP)
		return deref(s, add);
	return NULL;
}

static const struct ps_node *
walk(const struct ps_schema *s, const char *path, int *sensitive)
{
	const struct ps_node *sch = s->root;
	const char *c = path, *dot;

	while (sch && *c) {
		dot = strchr(c, '.');
		sch = schema_step(s, sch, c, dot ? (size_t)(dot - c) :
		    strlen(c));
		if (sch && sensitive && flag(sch, "x-sensitive"))
			*sensitive = 1;
		c = dot ? dot + 1 : c + strlen(c);
	}
	return sch;
}

const struct ps_node *
ps_schema_at(const struct ps_schema *s, const char *path)
{
	return walk(s, path, NULL);
}

int
ps_schema_sensitive(const struct ps_schema *s, const char *path)
{
	int sens = 0;

	walk(s, path, &sens);
	return sens;
}

static int
redact(const struct ps_schema *s, const struct ps_node *sch,
    struct ps_node *n)
{
	const struct ps_node *sub;
	size_t i;
	char idx[24];

	if (sch == NULL)
		return 0;
	for (i = 0; i < n->n; i++) {
		if (n->type == PS_NODE_MAP) {
			sub = schema_step(s, sch, n->keys[i]->str,
			    n->keys[i]->len);
			if (sub && flag(sub, "x-sensitive")) {
				ps_node_map_del(n, n->keys[i]->str);
				i--;
				continue;
			}
		} else {
			snprintf(idx, sizeof(idx), "%zu", i);
			sub = schema_step(s, sch, idx, strlen(idx));
		}
		if (n->vals[i]->type != PS_NODE_SCALAR &&
		    redact(s, sub, n->vals[i]) == -1)
			return -1;
	}
	return 0;
}

int
ps_schema_redact(const struct ps_schema *s, struct ps_node *rec)
{
	return redact(s, s->root, rec);
}
