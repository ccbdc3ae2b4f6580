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

#include "util/buf.h"
#include "util/contactinfo.h"
#include "util/date.h"
#include "util/mem.h"
#include "util/str.h"
#include "model/schema.h"
#include "model/yaml.h"

#ifndef PS_SCHEMADIR
#define PS_SCHEMADIR "/usr/local/share/peer-support/schemas"
#endif

const char *const ps_schema_kinds[] = { "participant", "volunteer", "match",
    "contact", "group", NULL };

/* A bound from the schema (minLength, maximum…): its text and value. */
struct limit {
	int		 set;
	double		 v;
	const char	*text;
};

struct rule;

/*
 * Most patterns in the schemas are a row of byte sets, each repeated a
 * number of times, anchored at both ends: ^P-[0-9A-HJKMNP-TV-Z]{6}$. When
 * each set that may repeat a varying number of times is followed by one
 * it shares no byte with, and that must match once at least, the longest
 * run of each is the only way to match, so such a pattern is matched in
 * one pass, byte by byte as regexec() does in the C locale the tools run
 * in, at a fraction of its cost. Any other pattern (groups, alternation,
 * [:classes:], bytes over 0x7f) is left to regexec().
 */
#define RUN_MAX		16

struct run {
	unsigned char	 set[32];	/* a bit per byte */
	unsigned	 min, max;
};

struct runs {
	struct run	 r[RUN_MAX];
	int		 n;
};

struct prop {
	const char	*name;
	size_t		 order;		/* in the schema's properties */
	struct rule	*rule;
};

enum { T_NULL = 1, T_BOOLEAN = 2, T_INTEGER = 4, T_NUMBER = 8,
    T_STRING = 16, T_OBJECT = 32, T_ARRAY = 64 };

enum { F_NONE, F_DATE, F_DATETIME, F_TIME, F_EMAIL };

/*
 * A schema node compiled once, when the schema is loaded: $ref followed,
 * the keywords looked up, bounds parsed, the pattern compiled and the
 * properties sorted for lookup. Validation then reads only rules (and
 * may run in several threads at once). Each schema node gets one rule,
 * so $defs shared by many fields, and recursive ones, are compiled once.
 */
struct rule {
	const struct ps_node	*node;		/* the node compiled */
	int			 broken;	/* a $ref that leads nowhere */
	int			 active;	/* a mapping: it checks */
	unsigned		 types;		/* allowed; all without "type" */
	const char		*expected;	/* message when none fits */
	const struct ps_node	*enm, *cnst;
	const struct ps_node	*pattern;
	regex_t			 re;
	int			 re_ok;
	struct runs		*runs;		/* the pattern, when it is one */
	int			 format;
	struct limit		 minlen, maxlen, minitems, maxitems;
	struct limit		 lims[4];	/* see check_number() */
	int			 unique;
	int			 public;	/* x-public */
	const struct ps_node	*required;
	int			 sorts;		/* properties is a mapping */
	struct prop		*props;		/* by name */
	const char		**names;	/* in the schema's order */
	size_t			 nprops;
	int			 no_more;	/* additionalProperties: false */
	struct rule		*more;		/* additionalProperties: {...} */
	struct rule		*items;
	struct rule		*next;		/* every rule of the schema */
};

struct ps_schema {
	struct ps_node		*root;
	struct rule		*rules;
	struct rule		*top;
};

struct ps_schemas {
	struct ps_schema	*kinds[6];	/* ps_schema_kinds, program */
};

struct vctx {
	const char		*file;
	struct ps_diags		*d;
	struct ps_buf		 path;
	size_t			 errors;
	int			 public;	/* within an x-public field */
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

static struct rule *compile(struct ps_schema *, const struct ps_node *);

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
	if ((s->top = compile(s, s->root)) == NULL) {
		ps_schema_free(s);
		return ps_diag_nomem(d);
	}
	*out = s;
	return 0;
}

void
ps_schema_free(struct ps_schema *s)
{
	struct rule *r, *next;

	if (s == NULL)
		return;
	for (r = s->rules; r; r = next) {
		next = r->next;
		if (r->re_ok)
			regfree(&r->re);
		free(r->props);
		free(r->names);
		free(r->runs);
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
		    i < 5 ? ps_schema_kinds[i] : "program") == -1)
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
	for (i = 0; ps_schema_kinds[i]; i++)
		if (strcmp(kind, ps_schema_kinds[i]) == 0)
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
	char num[24];
	int i = (int)sizeof(num);

	if (old > 0)
		ps_buf_putc(&c->path, '.');
	if (comp)
		ps_buf_puts(&c->path, comp);
	else {	/* not printf: for each item of each list of each record */
		num[--i] = '\0';
		do
			num[--i] = (char)('0' + idx % 10);
		while ((idx /= 10) != 0);
		ps_buf_puts(&c->path, num + i);
	}
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

int
ps_schema_email_valid(const char *s)
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
limit_of(const struct ps_node *sch, const char *key, struct limit *l)
{
	l->set = number_of(sch, key, &l->v);
	l->text = ps_node_get_str(sch, key);
}

static void
set_add(struct run *r, unsigned c)
{
	r->set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

static int
in_set(const struct run *r, unsigned c)
{
	return r->set[c >> 3] & (1u << (c & 7));
}

/* A bracket expression after its '[': the end, or NULL if not simple. */
static const char *
bracket(struct run *r, const char *p)
{
	int neg = *p == '^', first = 1;
	unsigned c, e, i;

	if (neg)
		p++;
	for (; *p && (*p != ']' || first); first = 0) {
		c = (unsigned char)*p++;
		if (c == '[' || c >= 0x80)
			return NULL;	/* [:alpha:] and the like */
		if (*p == '-' && p[1] && p[1] != ']') {
			e = (unsigned char)p[1];
			if (e < c || e >= 0x80 || e == '[')
				return NULL;
			p += 2;
		} else
			e = c;
		for (i = c; i <= e; i++)
			set_add(r, i);
	}
	if (*p != ']')
		return NULL;
	if (neg)
		for (i = 0; i < 32; i++)
			r->set[i] = (unsigned char)~r->set[i];
	r->set[0] &= 0xfe;	/* never NUL */
	return p + 1;
}

/* A repeat count after an atom: the end, or NULL if not simple. */
static const char *
count(struct run *r, const char *p)
{
	char *end;

	r->min = r->max = 1;
	if (*p == '?' || *p == '*' || *p == '+') {
		r->min = *p == '+';
		r->max = *p == '?' ? 1 : UINT_MAX;
		p++;
	} else if (*p == '{') {
		if (*++p < '0' || *p > '9')
			return NULL;
		r->min = r->max = (unsigned)strtoul(p, &end, 10);
		p = end;
		if (*p == ',') {
			r->max = p[1] == '}' ? UINT_MAX :
			    (unsigned)strtoul(p + 1, &end, 10);
			p = p[1] == '}' ? p + 1 : end;
		}
		if (*p != '}' || r->min > r->max || r->min > 255 ||
		    (r->max != UINT_MAX && r->max > 255))
			return NULL;
		p++;
	}
	return strchr("?*+{", *p) && *p ? NULL : p;
}

/* The pattern as runs, or NULL (also when out of memory). */
static struct runs *
runs_of(const char *p)
{
	struct runs *rs;
	struct run *r;
	int i, j;

	if (*p++ != '^' || (rs = calloc(1, sizeof(*rs))) == NULL)
		return NULL;
	while (p && *p && strcmp(p, "$") != 0) {
		if (rs->n == RUN_MAX)
			goto no;
		r = &rs->r[rs->n++];
		if (*p == '[')
			p = bracket(r, p + 1);
		else if (*p == '\\' && p[1] && strchr(".[]()*+?{}|^$\\-/",
		    p[1])) {
			set_add(r, (unsigned char)p[1]);
			p += 2;
		} else if (*p == '.') {
			memset(r->set, 0xff, sizeof(r->set));
			r->set[0] &= 0xfe;
			p++;
		} else if (strchr("()|*+?{}^$\\", *p) ||
		    (unsigned char)*p >= 0x80)
			goto no;
		else
			set_add(r, (unsigned char)*p++);
		if (p)
			p = count(r, p);
	}
	if (p == NULL || *p != '$')
		goto no;
	/* a varying run must end where the next, disjoint one begins */
	for (i = 0; i + 1 < rs->n; i++) {
		if (rs->r[i].min == rs->r[i].max)
			continue;
		if (rs->r[i + 1].min == 0)
			goto no;
		for (j = 0; j < 32; j++)
			if (rs->r[i].set[j] & rs->r[i + 1].set[j])
				goto no;
	}
	return rs;
no:
	free(rs);
	return NULL;
}

static int
runs_match(const struct runs *rs, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned k;
	int i;

	for (i = 0; i < rs->n; i++) {
		for (k = 0; k < rs->r[i].max && *s && in_set(&rs->r[i], *s);
		    k++)
			s++;
		if (k < rs->r[i].min)
			return 0;
	}
	return *s == '\0';
}

static int
propcmp(const void *a, const void *b)
{
	return strcmp(((const struct prop *)a)->name,
	    ((const struct prop *)b)->name);
}

/* The rule of the node a schema node leads to; NULL: out of memory. */
static struct rule *
compile(struct ps_schema *s, const struct ps_node *node)
{
	static const char *const names[] = { "null", "boolean", "integer",
	    "number", "string", "object", "array" };
	static const char *const lims[] = { "minimum", "maximum",
	    "exclusiveMinimum", "exclusiveMaximum" };
	const struct ps_node *sch, *props, *add, *items;
	const char *fmt;
	struct rule *r;
	size_t i;

	for (r = s->rules; r; r = r->next)
		if (r->node == node)
			return r;
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return NULL;
	r->node = node;
	r->next = s->rules;
	s->rules = r;
	if ((sch = deref(s, node)) == NULL) {
		r->broken = 1;
		return r;
	}
	if (sch->type != PS_NODE_MAP)
		return r;	/* true/false schemas are not used */
	r->active = 1;
	if ((r->types = ps_node_map_get(sch, "type") ? 0 : ~0u) == 0) {
		const struct ps_node *types = ps_node_map_get(sch, "type");

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (type_allowed(types, names[i]))
				r->types |= 1u << i;
		r->expected = expected(types);
	}
	r->enm = ps_node_map_get(sch, "enum");
	if (r->enm && r->enm->type != PS_NODE_SEQ)
		r->enm = NULL;
	r->cnst = ps_node_map_get(sch, "const");
	r->pattern = ps_node_map_get(sch, "pattern");
	if (r->pattern && r->pattern->type != PS_NODE_SCALAR)
		r->pattern = NULL;
	if (r->pattern &&
	    (r->re_ok = regcomp(&r->re, r->pattern->str,
	    REG_EXTENDED | REG_NOSUB) == 0))
		r->runs = runs_of(r->pattern->str);
	if ((fmt = ps_node_get_str(sch, "format")) != NULL)
		r->format = strcmp(fmt, "date") == 0 ? F_DATE :
		    strcmp(fmt, "date-time") == 0 ? F_DATETIME :
		    strcmp(fmt, "time") == 0 ? F_TIME :
		    strcmp(fmt, "email") == 0 ? F_EMAIL : F_NONE;
	limit_of(sch, "minLength", &r->minlen);
	limit_of(sch, "maxLength", &r->maxlen);
	limit_of(sch, "minItems", &r->minitems);
	limit_of(sch, "maxItems", &r->maxitems);
	for (i = 0; i < 4; i++)
		limit_of(sch, lims[i], &r->lims[i]);
	r->unique = flag(sch, "uniqueItems");
	r->public = flag(sch, "x-public");
	r->required = ps_node_map_get(sch, "required");
	if (r->required && r->required->type != PS_NODE_SEQ)
		r->required = NULL;
	props = ps_node_map_get(sch, "properties");
	if (props && props->type == PS_NODE_MAP) {
		r->sorts = 1;
		if (props->n > 0 && ((r->props = calloc(props->n,
		    sizeof(*r->props))) == NULL || (r->names = calloc(props->n,
		    sizeof(*r->names))) == NULL))
			return NULL;
		for (i = 0; i < props->n; i++) {
			r->names[i] = props->keys[i]->str;
			r->props[i].name = props->keys[i]->str;
			r->props[i].order = i;
			if ((r->props[i].rule = compile(s, props->vals[i])) ==
			    NULL)
				return NULL;
		}
		r->nprops = props->n;
		ps_mem_sort(r->props, r->nprops, sizeof(*r->props), propcmp);
	}
	add = ps_node_map_get(sch, "additionalProperties");
	if (add && add->type == PS_NODE_SCALAR && strcmp(add->str, "false") == 0)
		r->no_more = 1;
	else if (add && add->type == PS_NODE_MAP &&
	    (r->more = compile(s, add)) == NULL)
		return NULL;
	if ((items = ps_node_map_get(sch, "items")) != NULL &&
	    (r->items = compile(s, items)) == NULL)
		return NULL;
	return r;
}

/* What the instance is, given what the rule allows; 0: nothing fits. */
static unsigned
resolve_type(const struct ps_node *n, unsigned types)
{
	if (n->type == PS_NODE_MAP)
		return types & T_OBJECT;
	if (n->type == PS_NODE_SEQ)
		return types & T_ARRAY;
	if (n->quoted)
		return types & T_STRING;
	if ((types & T_NULL) && is_null(n->str))
		return T_NULL;
	if ((types & T_BOOLEAN) && (strcmp(n->str, "true") == 0 ||
	    strcmp(n->str, "false") == 0))
		return T_BOOLEAN;
	if ((types & T_INTEGER) && is_integer(n->str))
		return T_INTEGER;
	if ((types & T_NUMBER) && is_number(n->str))
		return T_NUMBER;
	return types & T_STRING;
}

static void
check_format(struct vctx *c, const struct ps_node *n, int fmt)
{
	if (fmt == F_DATE) {
		if (ps_date_parse(n->str, NULL) == -1)
			report(c, n, "not a real date (YYYY-MM-DD)");
		else
			((struct ps_node *)n)->as = PS_AS_PLAIN;
	} else if (fmt == F_DATETIME) {
		if (ps_datetime_parse(n->str, NULL) == -1)
			report(c, n, "not a date and time "
			    "(YYYY-MM-DDTHH:MM:SS+HH:MM)");
		else
			((struct ps_node *)n)->as = PS_AS_PLAIN;
	} else if (fmt == F_TIME) {
		if (ps_date_parse_time(n->str, NULL) == -1)
			report(c, n, "not a time of day (HH:MM)");
	} else if (fmt == F_EMAIL) {
		if (!ps_schema_email_valid(n->str))
			report(c, n, "not a valid email address");
	}
}

static void
check_string(struct vctx *c, const struct rule *r, struct ps_node *n)
{
	const char *kind;
	size_t len;
	char num[32];
	long cp;

	n->as = PS_AS_STRING;
	/* text from a command line or a form: what a record may hold */
	if (ps_str_check_text(n->str, n->len, &cp) != -1) {
		if (cp == -1)
			report(c, n, "not valid UTF-8 text");
		else if (cp == 0)
			report(c, n, "a NUL character is not allowed");
		else
			report(c, n, "control character U+%04lX is not "
			    "allowed", (unsigned long)cp);
		return;
	}
	if (r->minlen.set || r->maxlen.set) {
		len = utf8_len(n->str, n->len);
		if (r->minlen.set && (double)len < r->minlen.v) {
			if (r->minlen.v == 1)
				report(c, n, "must not be empty");
			else {
				snprintf(num, sizeof(num), "%g", r->minlen.v);
				report(c, n, "is shorter than %s characters",
				    num);
			}
		}
		if (r->maxlen.set && (double)len > r->maxlen.v) {
			snprintf(num, sizeof(num), "%g", r->maxlen.v);
			report(c, n, "is longer than %s characters", num);
		}
	}
	if (r->pattern) {
		if (!r->re_ok)
			report(c, n, "schema pattern %s cannot be used",
			    r->pattern->str);
		else if (memchr(n->str, '\0', n->len) || (r->runs ?
		    !runs_match(r->runs, n->str) :
		    regexec(&r->re, n->str, 0, NULL, 0) != 0))
			report(c, n, "does not have the expected form (%s)",
			    r->pattern->str);
	}
	if (r->format)
		check_format(c, n, r->format);
	if (c->public && (kind = ps_contactinfo_find(n->str)) != NULL)
		report(c, n, "looks like contact details (%s); a public "
		    "profile must not carry them", kind);
}

static void
check_number(struct vctx *c, const struct rule *r, const struct ps_node *n)
{
	static const struct {
		const char *word;
		int sign, strict;
	} lims[] = {
		{ "at least", -1, 0 },
		{ "at most", 1, 0 },
		{ "more than", -1, 1 },
		{ "less than", 1, 1 },
	};
	double v, lim;
	size_t i;

	if (!(r->lims[0].set || r->lims[1].set || r->lims[2].set ||
	    r->lims[3].set))
		return;
	v = strtod(n->str, NULL);
	for (i = 0; i < sizeof(lims) / sizeof(lims[0]); i++) {
		if (!r->lims[i].set)
			continue;
		lim = r->lims[i].v;
		if ((lims[i].sign < 0 && (v < lim || (lims[i].strict &&
		    v == lim))) || (lims[i].sign > 0 && (v > lim ||
		    (lims[i].strict && v == lim))))
			report(c, n, "must be %s %s", lims[i].word,
			    r->lims[i].text);
	}
}

static void validate(struct vctx *, const struct rule *, struct ps_node *);

static void
check_enum(struct vctx *c, const struct rule *r, const struct ps_node *n)
{
	const struct ps_node *e = r->enm, *k = r->cnst;
	struct ps_buf list = PS_BUF_INIT;
	size_t i;

	if (k && !ps_node_equal(k, n))
		report(c, n, "must be \"%s\"", k->type == PS_NODE_SCALAR ?
		    k->str : "the schema's constant");
	if (e == NULL)
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
sort_keys(struct ps_node *n, const struct rule *r)
{
	size_t i, j, at = 0;

	for (i = 0; i < r->nprops; i++) {
		for (j = at; j < n->n; j++)
			if (strcmp(n->keys[j]->str, r->names[i]) == 0)
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
check_object(struct vctx *c, const struct rule *r, struct ps_node *n)
{
	const struct ps_node *req = r->required;
	const struct prop *p;
	struct prop key;
	size_t i, old, last = 0;
	int sorted = 1, known = 1;

	for (i = 0; req && i < req->n; i++) {
		if (req->vals[i]->type != PS_NODE_SCALAR ||
		    ps_node_map_get(n, req->vals[i]->str))
			continue;
		old = push(c, req->vals[i]->str, 0);
		report(c, n, "required field is missing");
		ps_buf_truncate(&c->path, old);
	}
	for (i = 0; i < n->n; i++) {
		key.name = n->keys[i]->str;
		p = ps_mem_find(&key, r->props, r->nprops, sizeof(*r->props),
		    propcmp);
		/* a key the schema does not name is input: not in the path,
		   at its place under its mapping's path */
		if (p == NULL && r->no_more) {
			report(c, n->keys[i]->line ? n->keys[i] : n->vals[i],
			    PS_DIAG_UNKNOWN_FIELD);
			known = 0;
			continue;
		}
		old = push(c, n->keys[i]->str, 0);
		if (p)
			validate(c, p->rule, n->vals[i]);
		else if (r->more)
			validate(c, r->more, n->vals[i]);
		ps_buf_truncate(&c->path, old);
		/* in schema order already? (records read from the store) */
		if (p && (!known || (i > 0 && p->order < last)))
			sorted = 0;
		if (p)
			last = p->order;
		else
			known = 0;
	}
	if (r->sorts && !sorted)
		sort_keys(n, r);
}

static void
check_array(struct vctx *c, const struct rule *r, struct ps_node *n)
{
	size_t i, j, old;
	char num[32];

	if (r->minitems.set && (double)n->n < r->minitems.v) {
		snprintf(num, sizeof(num), "%g", r->minitems.v);
		if (r->minitems.v == 1)
			report(c, n, "must have at least one item");
		else
			report(c, n, "must have at least %s items", num);
	}
	if (r->maxitems.set && (double)n->n > r->maxitems.v) {
		snprintf(num, sizeof(num), "%g", r->maxitems.v);
		report(c, n, "must have at most %s items", num);
	}
	for (i = 0; i < n->n; i++) {
		old = push(c, NULL, i);
		if (r->items)
			validate(c, r->items, n->vals[i]);
		if (r->unique)
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
validate(struct vctx *c, const struct rule *r, struct ps_node *n)
{
	unsigned t;
	int outer;

	if (r->broken) {
		report(c, n, "schema has a broken $ref here");
		return;
	}
	if (!r->active)
		return;
	if ((t = resolve_type(n, r->types)) == 0) {
		report(c, n, "%s", r->expected);
		return;
	}
	if (n->type == PS_NODE_SCALAR)
		n->as = PS_AS_PLAIN;
	if (r->enm || r->cnst)
		check_enum(c, r, n);
	outer = c->public;
	c->public |= r->public;
	if (t == T_STRING)
		check_string(c, r, n);
	else if (t == T_INTEGER || t == T_NUMBER)
		check_number(c, r, n);
	else if (t == T_OBJECT)
		check_object(c, r, n);
	else if (t == T_ARRAY)
		check_array(c, r, n);
	c->public = outer;
}

size_t
ps_schema_validate(const struct ps_schema *s, struct ps_node *rec,
    const char *file, struct ps_diags *d)
{
	struct vctx c = { file, d, PS_BUF_INIT, 0, 0 };

	if (ps_buf_add(&c.path, "", 0) == -1) {
		ps_diag_nomem(d);
		return 1;
	}
	validate(&c, s->top, rec);
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
