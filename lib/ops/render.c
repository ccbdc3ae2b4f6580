/* render: a report in its five formats; see render.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/str.h"
#include "model/node.h"
#include "model/yaml.h"
#include "rules/suppress.h"
#include "ops/render.h"

static int
small(long v, long thr)
{
	return v > 0 && v < thr;
}

/* Is this table printed: a table of counts in the board's report, a
   working list named in the lists? */
static int
printed(const struct ps_rtable *t, const struct ps_render_opts *o)
{
	if (o->lists == NULL)
		return !(t->totals & PS_LIST);
	return (t->totals & PS_LIST) && (ps_str_listed(o->lists, t->key) ||
	    strcmp(o->lists, "all") == 0);
}

/*
 * The counts of a section, numbered for suppress.h: the count cells of
 * each table printed, row by row, then the count figures; and the lines
 * that tie them: each row of a table with a total column, each column
 * of a table with a total row (rows first, as a reader adds them up),
 * then each grand total that figures add up to.
 */
struct counts {
	long			*v;
	unsigned char		*mark;
	size_t			 n;
	size_t			 tbase[PS_RTABLES];	/* (size_t)-1: none */
	size_t			*fvar;			/* (size_t)-1: none */
	struct ps_suppress_line	*l;
	size_t			 nl;
};

static size_t
tcell(const struct counts *c, const struct ps_rtable *t, size_t ti,
    size_t r, size_t col)
{
	return c->tbase[ti] + r * (size_t)t->counts + col - 1;
}

/* A line of len cells, from the table's cell first on, step apart. */
static int
add_line(struct counts *c, size_t len, size_t first, size_t step)
{
	struct ps_suppress_line *l = &c->l[c->nl];
	size_t j;

	if (len < 2)
		return 0;
	if ((l->cell = calloc(len, sizeof(*l->cell))) == NULL)
		return -1;
	for (j = 0; j < len; j++)
		l->cell[j] = first + j * step;
	l->n = len;
	c->nl++;
	return 0;
}

static void
counts_release(struct counts *c)
{
	size_t i;

	for (i = 0; i < c->nl; i++)
		free(c->l[i].cell);
	free(c->l);
	free(c->v);
	free(c->mark);
	free(c->fvar);
}

/* The count of a table's grand total, its last row's last count, or
   (size_t)-1 when it has none printed. */
static size_t
grand_total(const struct counts *c, const struct ps_rsection *s, size_t ti)
{
	const struct ps_rtable *t = &s->tab[ti];

	if (c->tbase[ti] == (size_t)-1 || t->nrows == 0 ||
	    !(t->totals & PS_TOTAL_ROW))
		return (size_t)-1;
	return tcell(c, t, ti, t->nrows - 1, (size_t)t->counts);
}

static int
counts_make(struct counts *c, const struct ps_rsection *s,
    const struct ps_render_opts *o, long thr)
{
	size_t ti, r, k, nl = s->nlink, i;
	const struct ps_rtable *t;
	const struct ps_rlink *lk;

	memset(c, 0, sizeof(*c));
	for (ti = 0; ti < s->ntab; ti++) {
		t = &s->tab[ti];
		c->tbase[ti] = (size_t)-1;
		if (!printed(t, o) || t->counts <= 0 ||
		    (size_t)t->counts >= t->ncols)
			continue;
		c->tbase[ti] = c->n;
		c->n += t->nrows * (size_t)t->counts;
		nl += t->nrows + (size_t)t->counts;
	}
	if ((c->fvar = calloc(s->nfig + 1, sizeof(*c->fvar))) == NULL)
		return -1;
	for (i = 0; i < s->nfig; i++)
		c->fvar[i] = s->fig[i].count ? c->n++ : (size_t)-1;
	c->v = calloc(c->n + 1, sizeof(*c->v));
	c->mark = calloc(c->n + 1, 1);
	c->l = calloc(nl + 1, sizeof(*c->l));
	if (c->v == NULL || c->mark == NULL || c->l == NULL)
		return -1;
	for (ti = 0; ti < s->ntab; ti++) {
		if (c->tbase[ti] == (size_t)-1)
			continue;
		t = &s->tab[ti];
		for (r = 0; r < t->nrows; r++)
			for (k = 1; k <= (size_t)t->counts; k++)
				c->v[tcell(c, t, ti, r, k)] =
				    strtol(t->cells[r * t->ncols + k], NULL, 10);
		for (r = 0; (t->totals & PS_TOTAL_COL) && r < t->nrows; r++)
			if (add_line(c, (size_t)t->counts, tcell(c, t, ti, r, 1),
			    1) == -1)
				return -1;
		for (k = 1; (t->totals & PS_TOTAL_ROW) &&
		    k <= (size_t)t->counts; k++)
			if (add_line(c, t->nrows, tcell(c, t, ti, 0, k),
			    (size_t)t->counts) == -1)
				return -1;
	}
	for (i = 0; i < s->nfig; i++)
		if (c->fvar[i] != (size_t)-1)
			c->v[c->fvar[i]] = strtol(s->fig[i].value, NULL, 10);
	for (lk = s->link; lk < s->link + s->nlink; lk++) {
		struct ps_suppress_line *l = &c->l[c->nl];
		size_t other = lk->other ? grand_total(c, s, lk->other - 1) :
		    (size_t)-1, total = grand_total(c, s, lk->table);

		if (total == (size_t)-1 || (lk->other && other == (size_t)-1))
			continue;
		if ((l->cell = calloc(lk->nfig + 2, sizeof(*l->cell))) == NULL)
			return -1;
		for (i = 0; i < lk->nfig; i++)
			if ((l->cell[l->n] = c->fvar[lk->fig[i]]) != (size_t)-1)
				l->n++;
		if (lk->other)
			l->cell[l->n++] = other;
		l->cell[l->n++] = total;
		c->nl++;
	}
	return ps_suppress(c->v, c->n, c->l, c->nl, thr, c->mark);
}

/* A count as shown: as it is, or as its mark prints it. */
static char *
count_shown(const char *value, unsigned char mark, long thr)
{
	char *s = NULL;

	if (mark == PS_HIDDEN)
		return strdup("x");	/* hidden to protect another */
	if (mark == PS_SMALL)
		return asprintf(&s, "<%ld", thr) == -1 ? NULL : s;
	return strdup(value ? value : "");
}

/*
 * A section as printed: each figure's value and change, each printed
 * table's cells (NULL for a table not printed). With suppression, a
 * figure of too few answers prints as n<N; a count figure hidden prints
 * as its mark, and its change, which with the report of the period
 * before would give it, is left out, as it is when the period before
 * was small.
 */
struct view {
	char	 (*val)[32], (*chg)[32];
	char	**cells[PS_RTABLES];
};

static void
view_release(struct view *v, const struct ps_rsection *s)
{
	size_t i;

	for (i = 0; i < s->ntab; i++)
		if (v->cells[i])
			ps_strv_free(v->cells[i], s->tab[i].nrows *
			    s->tab[i].ncols);
	free(v->val);
	free(v->chg);
}

static int
table_shown(const struct ps_rtable *t, size_t ti, const struct counts *c,
    long thr, char ***out)
{
	size_t r, k, n = t->nrows * t->ncols;
	unsigned char *h = calloc(n + 1, 1);
	char **v = calloc(n + 1, sizeof(*v));

	*out = v;
	if (v == NULL || h == NULL) {
		free(h);
		return -1;
	}
	for (r = 0; c && c->tbase[ti] != (size_t)-1 && r < t->nrows; r++)
		for (k = 1; k <= (size_t)t->counts; k++)
			if ((h[r * t->ncols + k] = c->mark[tcell(c, t, ti, r,
			    k)]) && t->derived)	/* means of hidden counts */
				memset(h + r * t->ncols + t->counts + 1, 2,
				    t->ncols - (size_t)t->counts - 1);
	for (k = 0; k < n; k++)
		if ((v[k] = h[k] == 2 ? strdup("-") : count_shown(t->cells[k],
		    h[k], thr)) == NULL) {
			free(h);
			return -1;
		}
	free(h);
	return 0;
}

static int
view_make(struct view *v, const struct ps_report *r,
    const struct ps_rsection *s, const struct ps_render_opts *o)
{
	long thr = r->threshold, now, chg;
	struct counts c, *cp = o->suppress ? &c : NULL;
	unsigned char m;
	size_t i;
	char *x;
	int rc = -1;

	memset(v, 0, sizeof(*v));
	if ((cp && counts_make(cp, s, o, thr) == -1) ||
	    (v->val = calloc(s->nfig + 1, sizeof(*v->val))) == NULL ||
	    (v->chg = calloc(s->nfig + 1, sizeof(*v->chg))) == NULL)
		goto done;
	for (i = 0; i < s->nfig; i++) {
		const struct ps_rfigure *f = &s->fig[i];

		m = cp && cp->fvar[i] != (size_t)-1 ? cp->mark[cp->fvar[i]] :
		    PS_SHOWN;
		now = strtol(f->value, NULL, 10);
		chg = f->change ? strtol(f->change, NULL, 10) : 0;
		if ((x = count_shown(f->value, m, thr)) == NULL)
			goto done;
		if (cp && small(f->basis, thr))	/* of too few */
			snprintf(v->val[i], 32, "n<%ld", thr);
		else
			snprintf(v->val[i], 32, "%s", x);
		free(x);
		if (f->change && !(cp && f->count && (m != PS_SHOWN ||
		    small(now - chg, thr))))
			snprintf(v->chg[i], 32, "%s", f->change);
	}
	for (i = 0; i < s->ntab; i++)
		if (printed(&s->tab[i], o) && table_shown(&s->tab[i], i, cp,
		    thr, &v->cells[i]) == -1)
			goto done;
	rc = 0;
done:
	if (cp)
		counts_release(cp);
	if (rc)
		view_release(v, s);
	return rc;
}

static void
text_table(const struct ps_rtable *t, char **v, FILE *out)
{
	size_t w[16] = { 0 }, r, c, n;

	fprintf(out, "\n  %s\n", t->title);
	if (t->nrows == 0) {
		fprintf(out, "    (none)\n");
		return;
	}
	for (c = 0; c < t->ncols && c < 16; c++) {
		w[c] = strlen(t->cols[c]);
		for (r = 0; r < t->nrows; r++)
			if ((n = strlen(v[r * t->ncols + c])) > w[c])
				w[c] = n;
	}
	if (t->ncols == 2 && 4 + w[0] + 2 + w[1] > 80) {
		/* a long label: the number first, so lines fit in 80 columns */
		fprintf(out, "    %*s  %s\n", (int)w[1], t->cols[1], t->cols[0]);
		for (r = 0; r < t->nrows; r++)
			fprintf(out, "    %*s  %s\n", (int)w[1], v[r * 2 + 1],
			    v[r * 2]);
		return;
	}
	fprintf(out, "    ");
	for (c = 0; c < t->ncols && c < 16; c++)
		fprintf(out, c ? "  %*s" : "%-*s", (int)w[c], t->cols[c]);
	fputc('\n', out);
	for (r = 0; r < t->nrows; r++) {
		/* no trailing blanks when the last cells are empty */
		for (n = t->ncols < 16 ? t->ncols : 16; n > 1 &&
		    *v[r * t->ncols + n - 1] == '\0'; n--)
			;
		fprintf(out, "    ");
		for (c = 0; c < n; c++)
			fprintf(out, c ? "  %*s" : "%-*s", (int)w[c],
			    v[r * t->ncols + c]);
		fputc('\n', out);
	}
}

/*
 * What a reader must know: whom the report is for, and, where counts
 * are hidden, what the marks mean.
 */
static const char *
notice(const struct ps_render_opts *o)
{
	if (o->lists)
		return "Working lists, for the coordinator only: not to be "
		    "sent on.";
	if (!o->suppress)
		return "Counts not suppressed, for the coordinator only: not to "
		    "be sent on.";
	return NULL;
}

#define NKEYS	4

/* The key to the marks, as symbol and meaning; 0 when none is used. */
static int
key(const struct ps_report *r, const struct ps_render_opts *o,
    char sym[NKEYS][32], char what[NKEYS][128])
{
	long t = r->threshold;

	if (o->lists || !o->suppress || t <= 1)
		return 0;
	snprintf(sym[0], 32, "<%ld", t);
	snprintf(what[0], 128, "a count from 1 to %ld, hidden; seldom a 0, "
	    "hidden with them", t - 1);
	snprintf(sym[1], 32, "x");
	snprintf(what[1], 128, "a count of %ld or more, hidden so that no <%ld "
	    "can be worked out", t, t);
	snprintf(sym[2], 32, "n<%ld", t);
	snprintf(what[2], 128, "a median, mean or share of fewer than %ld "
	    "answers, hidden", t);
	snprintf(sym[3], 32, "-");
	snprintf(what[3], 128, "none, or a mean hidden with its count");
	return 1;
}

/*
 * The view of a section, made when anything of it is printed (in the
 * working lists, only the sections that hold a list named are): 1 and
 * *v made, 0 when the section is not printed, -1 out of memory.
 */
static int
section_view(struct view *v, const struct ps_report *r,
    const struct ps_rsection *s, const struct ps_render_opts *o)
{
	size_t i;

	if (view_make(v, r, s, o) == -1)
		return -1;
	for (i = 0; o->lists && i < s->ntab; i++)
		if (v->cells[i])
			return 1;
	if (o->lists == NULL)
		return 1;
	view_release(v, s);
	return 0;
}

static int
text(const struct ps_report *r, const struct ps_render_opts *o, FILE *out)
{
	char sym[NKEYS][32], what[NKEYS][128];
	struct view v;
	int shown;
	size_t i, j;

	fprintf(out, "%s\n", r->programme);
	fprintf(out, "Report for %s to %s (changes are from the period "
	    "before)\n", r->from, r->until);
	fprintf(out, "Store commit %s\n", r->commit);
	if (notice(o))
		fprintf(out, "%s\n", notice(o));
	for (i = 0; i < r->nsec; i++) {
		const struct ps_rsection *s = &r->sec[i];

		if ((shown = section_view(&v, r, s, o)) == -1)
			return -1;
		if (!shown)
			continue;
		fprintf(out, "\n%s\n", s->title);
		for (j = 0; j < strlen(s->title); j++)
			fputc('=', out);
		fputc('\n', out);
		for (j = 0; !o->lists && j < s->nfig; j++) {
			const struct ps_rfigure *f = &s->fig[j];
			int pad = 56 - (int)strlen(f->label);

			fprintf(out, "  %s %.*s %8s%s%s%s\n", f->label,
			    pad > 0 ? pad : 0, "......................................"
			    "........................", v.val[j], *v.chg[j] ?
			    "  (" : "", v.chg[j], *v.chg[j] ? ")" : "");
		}
		for (j = 0; j < s->ntab; j++)
			if (v.cells[j])
				text_table(&s->tab[j], v.cells[j], out);
		view_release(&v, s);
	}
	if (key(r, o, sym, what)) {
		fprintf(out, "\nKey\n===\n");
		for (j = 0; j < NKEYS; j++)
			fprintf(out, "  %-4s %s\n", sym[j], what[j]);
	}
	return 0;
}

static int
md(const struct ps_report *r, const struct ps_render_opts *o, FILE *out)
{
	char sym[NKEYS][32], what[NKEYS][128];
	struct view v;
	int shown;
	size_t i, j, c, k;

	fprintf(out, "# %s\n\nReport for %s to %s (changes are from the period "
	    "before). Store commit `%s`.\n", r->programme, r->from, r->until,
	    r->commit);
	if (notice(o))
		fprintf(out, "\n**%s**\n", notice(o));
	for (i = 0; i < r->nsec; i++) {
		const struct ps_rsection *s = &r->sec[i];

		if ((shown = section_view(&v, r, s, o)) == -1)
			return -1;
		if (!shown)
			continue;
		fprintf(out, "\n## %s\n\n", s->title);
		for (j = 0; !o->lists && j < s->nfig; j++)
			fprintf(out, "- %s: **%s**%s%s%s\n", s->fig[j].label,
			    v.val[j], *v.chg[j] ? " (" : "", v.chg[j],
			    *v.chg[j] ? ")" : "");
		for (j = 0; j < s->ntab; j++) {
			const struct ps_rtable *t = &s->tab[j];

			if (v.cells[j] == NULL)
				continue;
			fprintf(out, "\n%s\n\n", t->title);
			if (t->nrows == 0) {
				fprintf(out, "_None._\n");
				continue;
			}
			for (c = 0; c < t->ncols; c++)
				fprintf(out, "| %s ", t->cols[c]);
			fprintf(out, "|\n");
			for (c = 0; c < t->ncols; c++)
				fprintf(out, c ? "| ---: " : "| --- ");
			fprintf(out, "|\n");
			for (k = 0; k < t->nrows; k++) {
				for (c = 0; c < t->ncols; c++)
					fprintf(out, "| %s ", v.cells[j][k *
					    t->ncols + c]);
				fprintf(out, "|\n");
			}
		}
		view_release(&v, s);
	}
	if (key(r, o, sym, what)) {
		fprintf(out, "\n## Key\n\n");
		for (j = 0; j < NKEYS; j++)
			fprintf(out, "- `%s`: %s\n", sym[j], what[j]);
	}
	return 0;
}

/*
 * A cell a spreadsheet would run as a formula (OWASP's CSV injection:
 * one that begins with =, +, -, @, a tab or a carriage return) is
 * written after a single quote, which makes it text. A number, signed
 * or not (a change of +3, a mean of -0.5, a share of 80%), is left as it
 * is: a spreadsheet reads it as a number, and it cannot run; so are the
 * report's own marks "=" (no change) and "-" (none), alone in a cell,
 * which call nothing.
 */
static int
formula(const char *s)
{
	size_t n;

	if (*s == '\0' || strchr("=+-@\t\r", *s) == NULL)
		return 0;
	n = 1 + strspn(s + 1, "0123456789");
	if (n > 1 && s[n] == '.' && isdigit((unsigned char)s[n + 1]))
		n += 1 + strspn(s + n + 1, "0123456789");
	n += s[n] == '%';
	if (strcmp(s, "-") == 0 || strcmp(s, "=") == 0)
		return 0;
	return !(*s != '=' && *s != '@' && n > 1 && s[n] == '\0');
}

static void
csv_field(FILE *out, const char *s, int last)
{
	int quote = formula(s);

	if (quote || strpbrk(s, ",\"\n\r") != NULL) {
		fputc('"', out);
		if (quote)
			fputc('\'', out);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', out);
			fputc(*s, out);
		}
		fputc('"', out);
	} else
		fputs(s, out);
	fputs(last ? "\n" : ",", out);
}

/* A line of the tidy table: section, table, row, column, value. */
static void
csv_line(FILE *out, const char *sec, const char *tab, const char *row,
    const char *col, const char *val)
{
	csv_field(out, sec, 0);
	csv_field(out, tab, 0);
	csv_field(out, row, 0);
	csv_field(out, col, 0);
	csv_field(out, val, 1);
}

static int
csv(const struct ps_report *r, const struct ps_render_opts *o, FILE *out)
{
	char sym[NKEYS][32], what[NKEYS][128];
	struct view v;
	size_t i, j, k, c;

	fprintf(out, "section,table,row,column,value\n");
	if (notice(o))
		csv_line(out, "report", "notice", "", "", notice(o));
	for (i = 0; i < r->nsec; i++) {
		const struct ps_rsection *s = &r->sec[i];

		if (view_make(&v, r, s, o) == -1)
			return -1;
		for (j = 0; !o->lists && j < s->nfig; j++) {
			csv_line(out, s->key, "figures", s->fig[j].key, "value",
			    v.val[j]);
			if (*v.chg[j])
				csv_line(out, s->key, "figures", s->fig[j].key,
				    "change", v.chg[j]);
		}
		for (j = 0; j < s->ntab; j++) {
			const struct ps_rtable *t = &s->tab[j];

			for (k = 0; v.cells[j] && k < t->nrows; k++)
				for (c = 1; c < t->ncols; c++)
					csv_line(out, s->key, t->key,
					    v.cells[j][k * t->ncols],
					    t->cols[c], v.cells[j][k * t->ncols +
					    c]);
		}
		view_release(&v, s);
	}
	for (j = 0; key(r, o, sym, what) && j < NKEYS; j++)
		csv_line(out, "report", "key", sym[j], "meaning", what[j]);
	return 0;
}

/* A number as a number, anything else as a string. */
static struct ps_node *
value(const char *s)
{
	char *end;

	if (*s && (strtod(s, &end), *end == '\0') && strspn(s,
	    "-0123456789.") == strlen(s))
		return ps_node_new_plain(s);
	return ps_node_new_str(s);
}

/* ps_node_map_set() owns v, also when it fails (a NULL v fails it). */
static int
put(struct ps_node *m, const char *k, struct ps_node *v)
{
	return ps_node_map_set(m, k, v) == -1 ? -1 : 0;
}

static int
yaml_section(struct ps_node *secs, const struct ps_report *r,
    const struct ps_rsection *x, const struct ps_render_opts *o)
{
	struct ps_node *s, *l = NULL, *e, *rows, *rw;
	struct view v;
	size_t j, k, c;
	int rc;

	if ((rc = section_view(&v, r, x, o)) != 1)
		return rc;
	rc = 0;
	rc |= ps_node_seq_append(secs, s = ps_node_new_map());
	if (rc || s == NULL) {
		view_release(&v, x);
		return -1;
	}
	rc |= put(s, "section", ps_node_new_str(x->key));
	rc |= put(s, "title", ps_node_new_str(x->title));
	if (!o->lists)
		rc |= put(s, "figures", l = ps_node_new_seq());
	for (j = 0; !o->lists && rc == 0 && j < x->nfig; j++) {
		/* a failed append has freed e */
		if ((rc |= ps_node_seq_append(l, e = ps_node_new_map())))
			break;
		rc |= put(e, "key", ps_node_new_str(x->fig[j].key));
		rc |= put(e, "label", ps_node_new_str(x->fig[j].label));
		rc |= put(e, "value", value(v.val[j]));
		if (*v.chg[j])
			rc |= put(e, "change", ps_node_new_str(v.chg[j]));
	}
	rc |= put(s, "tables", l = ps_node_new_seq());
	for (j = 0; rc == 0 && j < x->ntab; j++) {
		const struct ps_rtable *t = &x->tab[j];

		if (v.cells[j] == NULL)
			continue;
		if ((rc |= ps_node_seq_append(l, e = ps_node_new_map())))
			break;
		rc |= put(e, "key", ps_node_new_str(t->key));
		rc |= put(e, "title", ps_node_new_str(t->title));
		rc |= put(e, "rows", rows = ps_node_new_seq());
		for (k = 0; rc == 0 && k < t->nrows; k++) {
			rc |= ps_node_seq_append(rows, rw = ps_node_new_map());
			for (c = 0; rc == 0 && c < t->ncols; c++)
				rc |= put(rw, t->cols[c], c ?
				    value(v.cells[j][k * t->ncols + c]) :
				    ps_node_new_str(v.cells[j][k * t->ncols]));
		}
	}
	view_release(&v, x);
	return rc;
}

static int
yaml(const struct ps_report *r, const struct ps_render_opts *o, FILE *out)
{
	char sym[NKEYS][32], what[NKEYS][128], num[32];
	struct ps_node *doc = ps_node_new_map(), *secs, *keys, *e;
	struct ps_buf b = PS_BUF_INIT;
	size_t i;
	int rc = 0;

	if (doc == NULL)
		return -1;
	snprintf(num, sizeof(num), "%ld", o->suppress ? r->threshold : 0);
	rc |= put(doc, "kind", ps_node_new_str(o->lists ? "working-lists" :
	    "report"));
	rc |= put(doc, "programme", ps_node_new_str(r->programme));
	rc |= put(doc, "commit", ps_node_new_str(r->commit));
	rc |= put(doc, "from", ps_node_new_plain(r->from));
	rc |= put(doc, "until", ps_node_new_plain(r->until));
	if (!o->lists)
		rc |= put(doc, "suppression_threshold", ps_node_new_plain(num));
	if (notice(o))
		rc |= put(doc, "notice", ps_node_new_str(notice(o)));
	if (rc == 0 && key(r, o, sym, what)) {
		rc |= put(doc, "key", keys = ps_node_new_seq());
		for (i = 0; rc == 0 && i < NKEYS; i++) {
			if ((rc |= ps_node_seq_append(keys, e =
			    ps_node_new_map())))
				break;
			rc |= put(e, "mark", ps_node_new_str(sym[i]));
			rc |= put(e, "meaning", ps_node_new_str(what[i]));
		}
	}
	rc |= put(doc, "sections", secs = ps_node_new_seq());
	for (i = 0; rc == 0 && i < r->nsec; i++)
		rc |= yaml_section(secs, r, &r->sec[i], o);
	if (rc == 0 && (rc = ps_yaml_write(&b, doc)) == 0) {
		fputs("---\n", out);
		fwrite(b.s, 1, b.len, out);
	}
	ps_buf_release(&b);
	ps_node_free(doc);
	return rc;
}

static void
esc(FILE *out, const char *s)
{
	for (; *s; s++)
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default: fputc(*s, out);
		}
}

/*
 * A bar's value and label: a count as its table shows it when the chart
 * draws a table's column (tab, its cells as shown, ncols a row), else
 * the value, a small count hidden; a hidden count is drawn at the
 * threshold.
 */
static double
bar(const struct ps_rchart *c, size_t i, char **tab, size_t ncols, long thr,
    char label[32])
{
	const char *cell = tab ? tab[i * ncols + 1] : NULL;
	char *end;
	double v;

	if (cell) {
		v = strtod(cell, &end);
		if (*cell && *end == '\0') {
			snprintf(label, 32, "%s", cell);
			return v;
		}
		snprintf(label, 32, "%s", cell);
		return (double)thr;
	}
	if (thr && small((long)c->a[i], thr)) {
		snprintf(label, 32, "<%ld", thr);
		return (double)thr;
	}
	snprintf(label, 32, "%g", c->a[i]);
	return c->a[i];
}

/* A bar chart in SVG: one bar (or two side by side) per label. */
static void
svg(const struct ps_rchart *c, char **tab, size_t ncols, long thr, FILE *out)
{
	double max = 1;
	size_t i, bw = c->n > 8 ? 36 : 60, w = 40 + c->n * (bw + 8), h = 160;

	for (i = 0; i < c->n; i++) {
		if (c->a[i] > max)
			max = c->a[i];
		if (c->b && c->b[i] > max)
			max = c->b[i];
	}
	fprintf(out, "<figure><svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "width=\"%zu\" height=\"%zu\" role=\"img\" aria-label=\"", w, h + 40);
	esc(out, c->title);
	fprintf(out, "\">\n");
	fprintf(out, "<line x1=\"30\" y1=\"%zu\" x2=\"%zu\" y2=\"%zu\" "
	    "stroke=\"#444\"/>\n", h, w, h);
	for (i = 0; i < c->n; i++) {
		size_t x = 36 + i * (bw + 8), half = c->b ? bw / 2 : bw;
		char label[32];
		double va = bar(c, i, tab, ncols, thr, label);
		double ha = (va > max ? max : va) / max * (double)(h - 20);

		fprintf(out, "<rect x=\"%zu\" y=\"%.1f\" width=\"%zu\" "
		    "height=\"%.1f\" fill=\"#3b6ea5\"/>", x, (double)h - ha,
		    half, ha);
		fprintf(out, "<text x=\"%zu\" y=\"%.1f\" font-size=\"10\">",
		    x, (double)h - ha - 2);
		esc(out, label);
		fprintf(out, "</text>");
		if (c->b) {
			double vb = thr && small((long)c->b[i], thr) ?
			    (double)thr : c->b[i];
			double hb = (vb > max ? max : vb) / max *
			    (double)(h - 20);

			fprintf(out, "<rect x=\"%zu\" y=\"%.1f\" width=\"%zu\" "
			    "height=\"%.1f\" fill=\"#d9822b\"/>", x + half,
			    (double)h - hb, half, hb);
		}
		fprintf(out, "<text x=\"%zu\" y=\"%zu\" font-size=\"10\">", x,
		    h + 14);
		esc(out, c->labels[i]);
		fprintf(out, "</text>\n");
	}
	fprintf(out, "</svg><figcaption>");
	esc(out, c->title);
	fprintf(out, ": <span class=\"a\">&#9632;</span> ");
	esc(out, c->a_name);
	if (c->b) {
		fprintf(out, " <span class=\"b\">&#9632;</span> ");
		esc(out, c->b_name);
	}
	fprintf(out, "</figcaption></figure>\n");
}

/* A chart as drawn: from its table's cells as shown, where it has one
   with a row for each bar. */
static void
chart(const struct ps_rsection *s, const struct ps_rchart *c,
    const struct view *v, long thr, FILE *out)
{
	const struct ps_rtable *t = c->table ? &s->tab[c->table - 1] : NULL;

	if (t && v->cells[c->table - 1] && t->nrows >= c->n && t->ncols > 1)
		svg(c, v->cells[c->table - 1], t->ncols, thr, out);
	else
		svg(c, NULL, 0, thr, out);
}

static void
html_table(const struct ps_rtable *t, char **v, FILE *out)
{
	size_t k, c;

	fprintf(out, "<h3>");
	esc(out, t->title);
	fprintf(out, "</h3>\n");
	if (t->nrows == 0) {
		fprintf(out, "<p>None.</p>\n");
		return;
	}
	fprintf(out, "<table>\n<tr>");
	for (c = 0; c < t->ncols; c++) {
		fprintf(out, "<th>");
		esc(out, t->cols[c]);
		fprintf(out, "</th>");
	}
	fprintf(out, "</tr>\n");
	for (k = 0; k < t->nrows; k++) {
		fprintf(out, "<tr>");
		for (c = 0; c < t->ncols; c++) {
			fprintf(out, c ? "<td class=\"n\">" : "<td>");
			esc(out, v[k * t->ncols + c]);
			fprintf(out, "</td>");
		}
		fprintf(out, "</tr>\n");
	}
	fprintf(out, "</table>\n");
}

static int
html(const struct ps_report *r, const struct ps_render_opts *o, FILE *out)
{
	char sym[NKEYS][32], what[NKEYS][128];
	struct view v;
	int shown;
	size_t i, j;

	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
	    "charset=\"utf-8\">\n<title>");
	esc(out, r->programme);
	fprintf(out, " %s to %s</title>\n<style>\nbody{font-family:sans-serif;"
	    "max-width:52em;margin:1em auto;color:#222}\ntable{border-collapse:"
	    "collapse;margin:.5em 0}\ntd,th{border:1px solid #bbb;padding:"
	    ".2em .6em}\ntd.n{text-align:right}\n.a{color:#3b6ea5}.b{color:"
	    "#d9822b}\nsection{page-break-inside:avoid}\n</style>\n</head>\n"
	    "<body>\n<h1>", r->from, r->until);
	esc(out, r->programme);
	fprintf(out, "</h1>\n<p>Report for %s to %s (changes are from the "
	    "period before). Store commit <code>%s</code>.</p>\n", r->from,
	    r->until, r->commit);
	if (notice(o))
		fprintf(out, "<p><strong>%s</strong></p>\n", notice(o));
	for (i = 0; i < r->nsec; i++) {
		const struct ps_rsection *s = &r->sec[i];

		if ((shown = section_view(&v, r, s, o)) == -1)
			return -1;
		if (!shown)
			continue;
		fprintf(out, "<section id=\"%s\">\n<h2>", s->key);
		esc(out, s->title);
		fprintf(out, "</h2>\n");
		if (!o->lists) {
			fprintf(out, "<table>\n");
			for (j = 0; j < s->nfig; j++) {
				fprintf(out, "<tr><th>");
				esc(out, s->fig[j].label);
				fprintf(out, "</th><td class=\"n\">");
				esc(out, v.val[j]);
				fprintf(out, "</td><td>");
				esc(out, v.chg[j]);
				fprintf(out, "</td></tr>\n");
			}
			fprintf(out, "</table>\n");
		}
		for (j = 0; !o->lists && j < s->nchart; j++)
			chart(s, &s->chart[j], &v, o->suppress &&
			    s->chart[j].counts ? r->threshold : 0, out);
		for (j = 0; j < s->ntab; j++)
			if (v.cells[j])
				html_table(&s->tab[j], v.cells[j], out);
		view_release(&v, s);
		fprintf(out, "</section>\n");
	}
	if (key(r, o, sym, what)) {
		fprintf(out, "<section id=\"key\">\n<h2>Key</h2>\n<dl>\n");
		for (j = 0; j < NKEYS; j++) {
			fprintf(out, "<dt>");
			esc(out, sym[j]);
			fprintf(out, "</dt><dd>");
			esc(out, what[j]);
			fprintf(out, "</dd>\n");
		}
		fprintf(out, "</dl>\n</section>\n");
	}
	fprintf(out, "</body>\n</html>\n");
	return 0;
}

int
ps_render_report(const struct ps_report *r, const struct ps_render_opts *o,
    FILE *out)
{
	switch (o->format) {
	case PS_FMT_TEXT: return text(r, o, out);
	case PS_FMT_MD: return md(r, o, out);
	case PS_FMT_CSV: return csv(r, o, out);
	case PS_FMT_YAML: return yaml(r, o, out);
	case PS_FMT_HTML: return html(r, o, out);
	}
	return 0;
}
