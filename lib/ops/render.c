/* render: a report in its five formats; see render.h. */
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"
#include "util/str.h"
#include "model/node.h"
#include "model/yaml.h"
#include "ops/render.h"

/*
 * Small-cell suppression: counts from 1 to threshold - 1 print as <N;
 * then cells hidden only so that no small count can be worked out from a
 * total print as x.
 */
static int
small(long v, long thr)
{
	return v > 0 && v < thr;
}

/*
 * The lines of a table that are sums: each row when the last count
 * column is their total, each column when the last row is. Line l's
 * cells are cell(t, l, 0..len-1), its total the last of them.
 */
static size_t
line_count(const struct ps_rtable *t, size_t *nrow)
{
	*nrow = t->totals & PS_TOTAL_COL ? t->nrows : 0;
	return *nrow + (t->totals & PS_TOTAL_ROW ? (size_t)t->counts : 0);
}

static size_t
line_len(const struct ps_rtable *t, size_t l, size_t nrow)
{
	return l < nrow ? (size_t)t->counts : t->nrows;
}

static size_t
cell(const struct ps_rtable *t, size_t l, size_t j, size_t nrow)
{
	return l < nrow ? l * t->ncols + j + 1 : j * t->ncols + (l - nrow) + 1;
}

/*
 * Is a small count worked out all the same from what is shown: each
 * shown count exact, <N from 1 to N - 1, x from N up (hidden only for
 * another, it is no small count), each line a sum? The bounds are
 * narrowed line by line until they hold still; the index of a small
 * count whose bounds meet, else (size_t)-1; (size_t)-2 out of memory.
 */
static size_t
pinned(const struct ps_rtable *t, const unsigned char *h, long thr)
{
	size_t nrow, nl = line_count(t, &nrow), l, j, q, k, len, found = (size_t)-1;
	long *lo, *hi, slo, shi, big = 1L << 40;
	int again = 1, rounds = 0;

	lo = calloc(t->nrows * t->ncols + 1, sizeof(*lo));
	hi = calloc(t->nrows * t->ncols + 1, sizeof(*hi));
	if (lo == NULL || hi == NULL) {
		found = (size_t)-2;
		goto done;
	}
	for (k = 0; k < t->nrows * t->ncols; k++) {
		lo[k] = hi[k] = h[k] == 0 && t->cells[k] ?
		    strtol(t->cells[k], NULL, 10) : 0;
		if (h[k] == 1) {
			lo[k] = 1;
			hi[k] = thr - 1;
		} else if (h[k] == 3) {
			lo[k] = thr;
			hi[k] = big;
		}
	}
	while (again && rounds++ < 1000) {
		again = 0;
		for (l = 0; l < nl; l++) {
			len = line_len(t, l, nrow);
			k = cell(t, l, len - 1, nrow);	/* the total */
			for (slo = shi = 0, j = 0; j + 1 < len; j++) {
				slo += lo[cell(t, l, j, nrow)];
				shi += hi[cell(t, l, j, nrow)];
			}
			for (j = 0; j + 1 < len; j++) {	/* a part: total - rest */
				q = cell(t, l, j, nrow);
				if (lo[k] - (shi - hi[q]) > lo[q]) {
					lo[q] = lo[k] - (shi - hi[q]);
					again = 1;
				}
				if (hi[k] - (slo - lo[q]) < hi[q]) {
					hi[q] = hi[k] - (slo - lo[q]);
					again = 1;
				}
			}
			if (slo > lo[k] || shi < hi[k]) {	/* the total */
				lo[k] = slo > lo[k] ? slo : lo[k];
				hi[k] = shi < hi[k] ? shi : hi[k];
				again = 1;
			}
		}
	}
	for (k = 0; k < t->nrows * t->ncols && found == (size_t)-1; k++)
		if (h[k] == 1 && lo[k] == hi[k])
			found = k;
done:
	free(lo);
	free(hi);
	return found;
}

/*
 * A small count is pinned: hide one more shown non-zero count of a line
 * that holds a hidden one: the smallest whose hiding leaves no count
 * pinned, else the smallest. 0 when there is none to hide, -1 out of
 * memory.
 */
static int
protect(const struct ps_rtable *t, unsigned char *h, long thr)
{
	size_t nrow, nl = line_count(t, &nrow), l, j, q, len, best, pick = 0,
	    first = (size_t)-1;
	long v, bv, above = 0;
	int hidden;

	for (;;) {	/* candidates by value: the next above the last */
		best = 0;
		bv = 0;
		for (l = 0; l < nl; l++) {
			len = line_len(t, l, nrow);
			for (hidden = 0, j = 0; j < len; j++)
				hidden |= h[cell(t, l, j, nrow)] != 0;
			for (j = 0; hidden && j < len; j++) {
				q = cell(t, l, j, nrow);
				v = strtol(t->cells[q], NULL, 10);
				if (!h[q] && v > 0 && (v > above || (v == above &&
				    q > pick)) && (bv == 0 || v < bv ||
				    (v == bv && q < best))) {
					best = q;
					bv = v;
				}
			}
		}
		if (bv == 0)
			break;
		if (first == (size_t)-1)
			first = best;	/* the smallest, if none will do */
		h[best] = 3;
		q = pinned(t, h, thr);
		h[best] = 0;
		if (q == (size_t)-2)
			return -1;
		if (q == (size_t)-1) {
			h[best] = 3;
			return 1;
		}
		above = bv;
		pick = best;
	}
	if (first == (size_t)-1)
		return 0;
	h[first] = 3;
	return 1;
}

/*
 * A line of cells (a row when the table has a total column, a column
 * when it has a total row) is a sum: with one cell hidden, the others
 * would give it away, so the smallest other non-zero cell of the line
 * (the total included) is hidden too; repeated until no line has a
 * single hidden cell. Then, while the bounds that <N and x give still
 * pin a small count (a total of 6 over a <5 and an x: the x is 5 or
 * more, so the <5 is 1), one more count of a line through it is hidden.
 */
static unsigned char *
suppressed(const struct ps_rtable *t, long thr)
{
	size_t last = (size_t)t->counts;	/* the last count column */
	size_t i, j, k, n, best, outer, inner;
	unsigned char *h;
	long v, bv;
	int again = 1, pass;

	if ((h = calloc(t->nrows * t->ncols + 1, 1)) == NULL)
		return NULL;
	if (t->counts <= 0 || last >= t->ncols)
		return h;
	for (i = 0; i < t->nrows; i++)
		for (j = 1; j <= last; j++) {
			k = i * t->ncols + j;
			h[k] = small(strtol(t->cells[k], NULL, 10), thr);
		}
	while (again) {
		again = 0;
		for (pass = 0; pass < 2; pass++) {
			/* pass 0: rows, if summed; pass 1: columns, if summed */
			if (!(t->totals & (pass ? PS_TOTAL_ROW : PS_TOTAL_COL)))
				continue;
			outer = pass ? last + 1 : t->nrows;
			inner = pass ? t->nrows : last + 1;
			for (i = pass ? 1 : 0; i < outer; i++) {
				n = 0;
				best = (size_t)-1;
				bv = 0;
				for (j = pass ? 0 : 1; j < inner; j++) {
					k = pass ? j * t->ncols + i : i *
					    t->ncols + j;
					v = strtol(t->cells[k], NULL, 10);
					if (h[k])
						n++;
					else if (v > 0 && (best == (size_t)-1 ||
					    v < bv)) {
						best = k;
						bv = v;
					}
				}
				if (n == 1 && best != (size_t)-1) {
					h[best] = 3;	/* complementary */
					again = 1;
				}
			}
		}
		if (!again && (k = pinned(t, h, thr)) != (size_t)-1 &&
		    (k == (size_t)-2 || (again = protect(t, h, thr)) == -1)) {
			free(h);
			return NULL;
		}
	}
	return h;
}

/* A figure as shown: a small count hidden, and a change that tells. */
static void
figure_shown(const struct ps_rfigure *f, long thr, int suppress,
    char value[32], char change[32])
{
	long v = strtol(f->value, NULL, 10), c = f->change ?
	    strtol(f->change, NULL, 10) : 0;

	snprintf(value, 32, "%s", f->value);
	snprintf(change, 32, "%s", f->change ? f->change : "");
	if (suppress && small(f->basis, thr))
		snprintf(value, 32, "n<%ld", thr);	/* of too few */
	if (!suppress || !f->count)
		return;
	if (small(v, thr))
		snprintf(value, 32, "<%ld", thr);
	if (f->change && (small(v, thr) || small(v - c, thr)))
		change[0] = '\0';	/* the period before was small */
}

/* The cells as shown: hidden counts as "<N". */
static char **
shown(const struct ps_rtable *t, long thr, int suppress)
{
	unsigned char *h = suppress ? suppressed(t, thr) : NULL;
	char **v = calloc(t->nrows * t->ncols + 1, sizeof(*v));
	size_t i;

	if (v == NULL || (suppress && h == NULL)) {
		free(v);
		free(h);
		return NULL;
	}
	/* values worked out from hidden counts are hidden with them */
	for (i = 0; h && t->derived && i < t->nrows * t->ncols; i++)
		if (h[i])
			memset(h + i - i % t->ncols + t->counts + 1, 2,
			    t->ncols - (size_t)t->counts - 1);
	for (i = 0; i < t->nrows * t->ncols; i++) {
		if (h && h[i] == 2)
			v[i] = strdup("-");
		else if (h && h[i] == 3)
			v[i] = strdup("x");	/* hidden to protect another */
		else if (h && h[i]) {
			if (asprintf(&v[i], "<%ld", thr) == -1)
				v[i] = NULL;
		} else
			v[i] = strdup(t->cells[i] ? t->cells[i] : "");
	}
	free(h);
	return v;
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

static void
text(const struct ps_report *r, int sup, FILE *out)
{
	size_t i, j;
	char **v;

	fprintf(out, "%s\n", r->programme);
	fprintf(out, "Report for %s to %s (changes are from the period "
	    "before)\n", r->from, r->until);
	fprintf(out, "Store commit %s\n", r->commit);
	for (i = 0; i < r->nsec; i++) {
		const struct ps_rsection *s = &r->sec[i];

		fprintf(out, "\n%s\n", s->title);
		for (j = 0; j < strlen(s->title); j++)
			fputc('=', out);
		fputc('\n', out);
		for (j = 0; j < s->nfig; j++) {
			const struct ps_rfigure *f = &s->fig[j];
			int pad = 56 - (int)strlen(f->label);
			char val[32], chg[32];

			figure_shown(f, r->threshold, sup, val, chg);
			fprintf(out, "  %s %.*s %8s%s%s%s\n", f->label,
			    pad > 0 ? pad : 0, "......................................"
			    "........................", val, *chg ? "  (" : "",
			    chg, *chg ? ")" : "");
		}
		for (j = 0; j < s->ntab; j++) {
			if ((v = shown(&s->tab[j], r->threshold, sup)) == NULL)
				continue;
			text_table(&s->tab[j], v, out);
			ps_strv_free(v, s->tab[j].nrows * s->tab[j].ncols);
		}
	}
}

static void
md(const struct ps_report *r, int sup, FILE *out)
{
	size_t i, j, c, k;
	char **v;

	fprintf(out, "# %s\n\nReport for %s to %s (changes are from the period "
	    "before). Store commit `%s`.\n", r->programme, r->from, r->until,
	    r->commit);
	for (i = 0; i < r->nsec; i++) {
		const struct ps_rsection *s = &r->sec[i];

		fprintf(out, "\n## %s\n\n", s->title);
		for (j = 0; j < s->nfig; j++) {
			char val[32], chg[32];

			figure_shown(&s->fig[j], r->threshold, sup, val, chg);
			fprintf(out, "- %s: **%s**%s%s%s\n", s->fig[j].label,
			    val, *chg ? " (" : "", chg, *chg ? ")" : "");
		}
		for (j = 0; j < s->ntab; j++) {
			const struct ps_rtable *t = &s->tab[j];

			fprintf(out, "\n%s\n\n", t->title);
			if (t->nrows == 0) {
				fprintf(out, "_None._\n");
				continue;
			}
			if ((v = shown(t, r->threshold, sup)) == NULL)
				continue;
			for (c = 0; c < t->ncols; c++)
				fprintf(out, "| %s ", t->cols[c]);
			fprintf(out, "|\n");
			for (c = 0; c < t->ncols; c++)
				fprintf(out, c ? "| ---: " : "| --- ");
			fprintf(out, "|\n");
			for (k = 0; k < t->nrows; k++) {
				for (c = 0; c < t->ncols; c++)
					fprintf(out, "| %s ", v[k * t->ncols +
					    c]);
				fprintf(out, "|\n");
			}
			ps_strv_free(v, t->nrows * t->ncols);
		}
	}
}

static void
csv_field(FILE *out, const char *s, int last)
{
	if (strpbrk(s, ",\"\n\r") != NULL) {
		fputc('"', out);
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

static void
csv(const struct ps_report *r, int sup, FILE *out)
{
	size_t i, j, k, c;
	char **v;

	fprintf(out, "section,table,row,column,value\n");
	for (i = 0; i < r->nsec; i++) {
		const struct ps_rsection *s = &r->sec[i];

		for (j = 0; j < s->nfig; j++) {
			char val[32], chg[32];

			figure_shown(&s->fig[j], r->threshold, sup, val, chg);
			csv_field(out, s->key, 0);
			csv_field(out, "figures", 0);
			csv_field(out, s->fig[j].key, 0);
			csv_field(out, "value", 0);
			csv_field(out, val, 1);
			if (*chg == '\0')
				continue;
			csv_field(out, s->key, 0);
			csv_field(out, "figures", 0);
			csv_field(out, s->fig[j].key, 0);
			csv_field(out, "change", 0);
			csv_field(out, chg, 1);
		}
		for (j = 0; j < s->ntab; j++) {
			const struct ps_rtable *t = &s->tab[j];

			if ((v = shown(t, r->threshold, sup)) == NULL)
				continue;
			for (k = 0; k < t->nrows; k++)
				for (c = 1; c < t->ncols; c++) {
					csv_field(out, s->key, 0);
					csv_field(out, t->key, 0);
					csv_field(out, v[k * t->ncols], 0);
					csv_field(out, t->cols[c], 0);
					csv_field(out, v[k * t->ncols + c], 1);
				}
			ps_strv_free(v, t->nrows * t->ncols);
		}
	}
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
yaml(const struct ps_report *r, int sup, FILE *out)
{
	struct ps_node *doc = ps_node_new_map(), *secs, *s, *l, *e, *rows,
	    *rw;
	struct ps_buf b = PS_BUF_INIT;
	size_t i, j, k, c;
	char **v, num[32];
	int rc = 0;

	if (doc == NULL)
		return -1;
	snprintf(num, sizeof(num), "%ld", r->threshold);
	rc |= put(doc, "kind", ps_node_new_str("report"));
	rc |= put(doc, "programme", ps_node_new_str(r->programme));
	rc |= put(doc, "commit", ps_node_new_str(r->commit));
	rc |= put(doc, "from", ps_node_new_plain(r->from));
	rc |= put(doc, "until", ps_node_new_plain(r->until));
	rc |= put(doc, "suppression_threshold", sup ? ps_node_new_plain(num) :
	    ps_node_new_plain("0"));
	rc |= put(doc, "sections", secs = ps_node_new_seq());
	for (i = 0; rc == 0 && i < r->nsec; i++) {
		const struct ps_rsection *x = &r->sec[i];

		rc |= ps_node_seq_append(secs, s = ps_node_new_map());
		if (rc || s == NULL)
			break;
		rc |= put(s, "section", ps_node_new_str(x->key));
		rc |= put(s, "title", ps_node_new_str(x->title));
		rc |= put(s, "figures", l = ps_node_new_seq());
		for (j = 0; rc == 0 && j < x->nfig; j++) {
			char val[32], chg[32];

			figure_shown(&x->fig[j], r->threshold, sup, val, chg);
			/* a failed append has freed e */
			if ((rc |= ps_node_seq_append(l, e = ps_node_new_map())))
				break;
			rc |= put(e, "key", ps_node_new_str(x->fig[j].key));
			rc |= put(e, "label", ps_node_new_str(x->fig[j].label));
			rc |= put(e, "value", value(val));
			if (*chg)
				rc |= put(e, "change", ps_node_new_str(chg));
		}
		rc |= put(s, "tables", l = ps_node_new_seq());
		for (j = 0; rc == 0 && j < x->ntab; j++) {
			const struct ps_rtable *t = &x->tab[j];

			if ((v = shown(t, r->threshold, sup)) == NULL) {
				rc = -1;
				break;
			}
			if ((rc |= ps_node_seq_append(l, e = ps_node_new_map()))) {
				ps_strv_free(v, t->nrows * t->ncols);
				break;
			}
			rc |= put(e, "key", ps_node_new_str(t->key));
			rc |= put(e, "title", ps_node_new_str(t->title));
			rc |= put(e, "rows", rows = ps_node_new_seq());
			for (k = 0; rc == 0 && k < t->nrows; k++) {
				rc |= ps_node_seq_append(rows, rw =
				    ps_node_new_map());
				for (c = 0; rc == 0 && c < t->ncols; c++)
					rc |= put(rw, t->cols[c], c ?
					    value(v[k * t->ncols + c]) :
					    ps_node_new_str(v[k * t->ncols]));
			}
			ps_strv_free(v, t->nrows * t->ncols);
		}
	}
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

/* A bar chart in SVG: one bar (or two side by side) per label. */
static void
svg(const struct ps_rchart *c, long thr, FILE *out)
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
		/* a small count is drawn as the threshold, labelled <N */
		int hide = thr && small((long)c->a[i], thr);
		double va = hide ? (double)thr : c->a[i];
		double ha = (va > max ? max : va) / max * (double)(h - 20);
		char label[32];

		if (hide)
			snprintf(label, sizeof(label), "&lt;%ld", thr);
		else
			snprintf(label, sizeof(label), "%g", c->a[i]);
		fprintf(out, "<rect x=\"%zu\" y=\"%.1f\" width=\"%zu\" "
		    "height=\"%.1f\" fill=\"#3b6ea5\"/>", x, (double)h - ha,
		    half, ha);
		fprintf(out, "<text x=\"%zu\" y=\"%.1f\" font-size=\"10\">%s"
		    "</text>", x, (double)h - ha - 2, label);
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

static void
html(const struct ps_report *r, int sup, FILE *out)
{
	size_t i, j, k, c;
	char **v;

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
	for (i = 0; i < r->nsec; i++) {
		const struct ps_rsection *s = &r->sec[i];

		fprintf(out, "<section id=\"%s\">\n<h2>", s->key);
		esc(out, s->title);
		fprintf(out, "</h2>\n<table>\n");
		for (j = 0; j < s->nfig; j++) {
			char val[32], chg[32];

			figure_shown(&s->fig[j], r->threshold, sup, val, chg);
			fprintf(out, "<tr><th>");
			esc(out, s->fig[j].label);
			fprintf(out, "</th><td class=\"n\">");
			esc(out, val);
			fprintf(out, "</td><td>");
			esc(out, chg);
			fprintf(out, "</td></tr>\n");
		}
		fprintf(out, "</table>\n");
		for (j = 0; j < s->nchart; j++)
			svg(&s->chart[j], sup && s->chart[j].counts ?
			    r->threshold : 0, out);
		for (j = 0; j < s->ntab; j++) {
			const struct ps_rtable *t = &s->tab[j];

			fprintf(out, "<h3>");
			esc(out, t->title);
			fprintf(out, "</h3>\n");
			if (t->nrows == 0) {
				fprintf(out, "<p>None.</p>\n");
				continue;
			}
			if ((v = shown(t, r->threshold, sup)) == NULL)
				continue;
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
					fprintf(out, c ? "<td class=\"n\">" :
					    "<td>");
					esc(out, v[k * t->ncols + c]);
					fprintf(out, "</td>");
				}
				fprintf(out, "</tr>\n");
			}
			fprintf(out, "</table>\n");
			ps_strv_free(v, t->nrows * t->ncols);
		}
		fprintf(out, "</section>\n");
	}
	fprintf(out, "</body>\n</html>\n");
}

int
ps_render_report(const struct ps_report *r, enum ps_report_format f,
    int suppress, FILE *out)
{
	switch (f) {
	case PS_FMT_TEXT: text(r, suppress, out); break;
	case PS_FMT_MD: md(r, suppress, out); break;
	case PS_FMT_CSV: csv(r, suppress, out); break;
	case PS_FMT_YAML: return yaml(r, suppress, out);
	case PS_FMT_HTML: html(r, suppress, out); break;
	}
	return 0;
}
