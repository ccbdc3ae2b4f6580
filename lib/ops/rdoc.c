/* rdoc: a report's document, built; see rdoc.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/rdoc.h"

/*
 * An allocation failed while the report was built (a figure, row or cell
 * would be missing): ps_report_build() then fails rather than print a
 * report short of it. One report is built per process.
 */
static int	lost;

void
ps_rdoc_begin(void)
{
	lost = 0;
}

int
ps_rdoc_lost(void)
{
	return lost;
}

void *
ps_rdoc_noted(void *p)
{
	if (p == NULL)
		lost = 1;
	return p;
}

char *
ps_rdoc_strdup(const char *s)
{
	return ps_rdoc_noted(strdup(s ? s : ""));
}

char *
ps_rdoc_fmt(const char *f, ...)
{
	char *s = NULL;
	va_list ap;

	va_start(ap, f);
	if (vasprintf(&s, f, ap) == -1)
		s = NULL;
	va_end(ap);
	return ps_rdoc_noted(s);
}

/* Figures and tables; memory errors are noted in the report's data. */
void
ps_rdoc_figure(struct ps_rsection *s, const char *key, const char *label,
    char *value, char *change)
{
	struct ps_rfigure *f = ps_rdoc_noted(reallocarray(s->fig, s->nfig + 1,
	    sizeof(*f)));

	if (f == NULL) {
		free(value);
		free(change);
		return;
	}
	s->fig = f;
	f = &s->fig[s->nfig++];
	f->key = ps_rdoc_strdup(key);
	f->label = ps_rdoc_strdup(label);
	f->value = value ? value : ps_rdoc_strdup("");
	f->change = change;
	f->count = 0;
	f->basis = 0;
}

/* The last figure added is a median or mean of n answers. */
void
ps_rdoc_basis(struct ps_rsection *s, long n)
{
	if (s->fig && s->nfig)
		s->fig[s->nfig - 1].basis = n;
}

char *
ps_rdoc_change(long now, long before)
{
	return now == before ? ps_rdoc_strdup("=") : ps_rdoc_fmt("%+ld",
	    now - before);
}

void
ps_rdoc_count(struct ps_rsection *s, const char *key, const char *label,
    long now, long before)
{
	ps_rdoc_figure(s, key, label, ps_rdoc_fmt("%ld", now),
	    ps_rdoc_change(now, before));
	if (s->fig && s->nfig)
		s->fig[s->nfig - 1].count = 1;
}

/* A count with no change shown (a state, not a flow). */
void
ps_rdoc_count_only(struct ps_rsection *s, const char *key, const char *label,
    long now)
{
	ps_rdoc_figure(s, key, label, ps_rdoc_fmt("%ld", now), NULL);
	if (s->fig && s->nfig)
		s->fig[s->nfig - 1].count = 1;
}

/*
 * A new table in a section. The section's tables are allocated once, so
 * that the pointer stays good while more tables are added.
 */
struct ps_rtable *
ps_rdoc_table(struct ps_rsection *s, const char *key, const char *title,
    int counts, int totals, size_t ncols, ...)
{
	struct ps_rtable *t;
	va_list ap;
	size_t i;

	if (s->tab == NULL && (s->tab = ps_rdoc_noted(calloc(PS_RTABLES,
	    sizeof(*s->tab)))) == NULL)
		return NULL;
	if (s->ntab == PS_RTABLES)
		return NULL;
	t = &s->tab[s->ntab++];
	memset(t, 0, sizeof(*t));
	t->key = ps_rdoc_strdup(key);
	t->title = ps_rdoc_strdup(title);
	t->counts = counts;
	t->totals = totals;
	t->ncols = ncols;
	if ((t->cols = ps_rdoc_noted(calloc(ncols, sizeof(*t->cols)))) == NULL)
		return t;
	va_start(ap, ncols);
	for (i = 0; i < ncols; i++)
		t->cols[i] = ps_rdoc_strdup(va_arg(ap, const char *));
	va_end(ap);
	return t;
}

/* A row of cells; each is handed over (made with fmt or xstrdup). */
void
ps_rdoc_row(struct ps_rtable *t, ...)
{
	char **c;
	va_list ap;
	size_t i;

	if (t == NULL || (c = ps_rdoc_noted(reallocarray(t->cells,
	    (t->nrows + 1) *
	    t->ncols, sizeof(*c)))) == NULL)
		return;
	t->cells = c;
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++)
		t->cells[t->nrows * t->ncols + i] = va_arg(ap, char *);
	va_end(ap);
	t->nrows++;
}

void
ps_rdoc_chart(struct ps_rsection *s, const char *key, const char *title,
    size_t n,
    char **labels, double *a, double *b, const char *an, const char *bn)
{
	struct ps_rchart *c = ps_rdoc_noted(reallocarray(s->chart,
	    s->nchart + 1,
	    sizeof(*c)));

	if (c == NULL)
		return;
	s->chart = c;
	c = &s->chart[s->nchart++];
	c->key = ps_rdoc_strdup(key);
	c->title = ps_rdoc_strdup(title);
	c->n = n;
	c->labels = labels;
	c->a = a;
	c->b = b;
	c->a_name = ps_rdoc_strdup(an);
	c->b_name = bn ? ps_rdoc_strdup(bn) : NULL;
	c->counts = 1;
	c->table = 0;
}

static size_t
table_index(const struct ps_rsection *s, const char *key)
{
	size_t i;

	for (i = 0; i < s->ntab && strcmp(s->tab[i].key, key); i++)
		;
	return i;
}

void
ps_rdoc_sum(struct ps_rsection *s, const char *tkey, ...)
{
	struct ps_rlink *l = &s->link[s->nlink];
	const char *f;
	size_t i;
	va_list ap;

	if (s->nlink == PS_RLINKS || (l->table = table_index(s, tkey)) ==
	    s->ntab)
		return;
	l->nfig = 0;
	l->other = 0;
	va_start(ap, tkey);
	while ((f = va_arg(ap, const char *)) != NULL && l->nfig < 3) {
		for (i = 0; i < s->nfig && strcmp(s->fig[i].key, f); i++)
			;
		if (i < s->nfig)
			l->fig[l->nfig++] = i;
	}
	va_end(ap);
	s->nlink += l->nfig > 0;
}

void
ps_rdoc_same(struct ps_rsection *s, const char *tkey, const char *okey)
{
	struct ps_rlink *l = &s->link[s->nlink];

	if (s->nlink == PS_RLINKS || (l->table = table_index(s, tkey)) ==
	    s->ntab || (l->other = table_index(s, okey) + 1) > s->ntab)
		return;
	l->nfig = 0;
	s->nlink++;
}

void
ps_rdoc_chart_of(struct ps_rsection *s, const char *tkey)
{
	size_t i = table_index(s, tkey);

	if (s->nchart && i < s->ntab)
		s->chart[s->nchart - 1].table = i + 1;
}

/* A working list made apart, filled while reading, then given to a
   section. */
struct ps_rtable *
ps_rdoc_loose_table(const char *key, const char *title, size_t ncols,
    const char *const *cols)
{
	struct ps_rtable *t = ps_rdoc_noted(calloc(1, sizeof(*t)));
	size_t i;

	if (t == NULL || (t->cols = ps_rdoc_noted(calloc(ncols,
	    sizeof(*t->cols)))) == NULL) {
		free(t);
		return NULL;
	}
	t->key = ps_rdoc_strdup(key);
	t->title = ps_rdoc_strdup(title);
	t->ncols = ncols;
	t->totals = PS_LIST;
	for (i = 0; i < ncols; i++)
		t->cols[i] = ps_rdoc_strdup(cols[i]);
	return t;
}

void
ps_rdoc_adopt(struct ps_rsection *s, struct ps_rtable **t)
{
	if (*t == NULL || (s->tab == NULL &&
	    (s->tab = ps_rdoc_noted(calloc(PS_RTABLES,
	    sizeof(*s->tab)))) == NULL) || s->ntab == PS_RTABLES)
		return;
	s->tab[s->ntab++] = **t;
	free(*t);
	*t = NULL;
}

void
ps_rdoc_table_release(struct ps_rtable *t)
{
	size_t i;

	free(t->key);
	free(t->title);
	for (i = 0; t->cols && i < t->ncols; i++)
		free(t->cols[i]);
	free(t->cols);
	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
}
