/*
 * Unit tests: a report as a document (lib/ops/rdoc.c).
 *
 * Sections are filled as ps_report_build() fills them: figures, counts
 * with their change, tables of rows, charts, and a table made apart and
 * adopted. What a value handed in becomes is read back from the struct;
 * everything is freed by ps_report_free(), so valgrind checks that the
 * document owns what it took over. The lost flag is seen set by real
 * allocation failures (sizes no allocator gives), not only by
 * ps_rdoc_noted(NULL).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ops/rdoc.h"
#include "ops/report.h"

/* A report of one section, freed by ps_report_free(). */
static struct ps_report *
report_new(void)
{
	struct ps_report *r = calloc(1, sizeof(*r));

	assert_non_null(r);
	r->nsec = 1;
	r->sec[0].key = "intake";
	r->sec[0].title = "Intake";
	ps_rdoc_begin();
	return r;
}

static void
copies(void **state)
{
	char *s;

	(void)state;
	ps_rdoc_begin();
	assert_non_null(s = ps_rdoc_strdup("Applications"));
	assert_string_equal(s, "Applications");
	free(s);
	assert_non_null(s = ps_rdoc_strdup(NULL));
	assert_string_equal(s, "");
	free(s);
	assert_non_null(s = ps_rdoc_fmt("%ld of %s", 12L, "20"));
	assert_string_equal(s, "12 of 20");
	free(s);
	assert_int_equal(ps_rdoc_lost(), 0);
}

static void
changes(void **state)
{
	char *s;

	(void)state;
	ps_rdoc_begin();
	assert_string_equal(s = ps_rdoc_change(7, 7), "=");
	free(s);
	assert_string_equal(s = ps_rdoc_change(10, 7), "+3");
	free(s);
	assert_string_equal(s = ps_rdoc_change(0, 4), "-4");
	free(s);
	assert_string_equal(s = ps_rdoc_change(0, 0), "=");
	free(s);
	assert_int_equal(ps_rdoc_lost(), 0);
}

static void
figures(void **state)
{
	struct ps_report *r = report_new();
	struct ps_rsection *s = &r->sec[0];
	char label[] = "Median days to first contact";

	(void)state;
	ps_rdoc_basis(s, 9);		/* no figure yet: nothing */
	assert_int_equal(s->nfig, 0);
	ps_rdoc_figure(s, "days", label, ps_rdoc_strdup("4.5"),
	    ps_rdoc_strdup("-1"));
	label[0] = 'X';			/* the label was copied */
	ps_rdoc_basis(s, 12);
	ps_rdoc_figure(s, "blank", "Nothing given", NULL, NULL);
	ps_rdoc_count(s, "applications", "Applications received", 10, 7);
	ps_rdoc_count(s, "same", "Same as before", 3, 3);
	ps_rdoc_count_only(s, "waiting", "Waiting", 2);
	assert_int_equal(ps_rdoc_lost(), 0);

	assert_int_equal(s->nfig, 5);
	assert_string_equal(s->fig[0].key, "days");
	assert_string_equal(s->fig[0].label, "Median days to first contact");
	assert_string_equal(s->fig[0].value, "4.5");
	assert_string_equal(s->fig[0].change, "-1");
	assert_int_equal(s->fig[0].count, 0);
	assert_int_equal(s->fig[0].basis, 12);

	assert_string_equal(s->fig[1].value, "");	/* NULL value: "" */
	assert_null(s->fig[1].change);
	assert_int_equal(s->fig[1].basis, 0);

	assert_string_equal(s->fig[2].key, "applications");
	assert_string_equal(s->fig[2].value, "10");
	assert_string_equal(s->fig[2].change, "+3");
	assert_int_equal(s->fig[2].count, 1);
	assert_int_equal(s->fig[2].basis, 0);
	assert_string_equal(s->fig[3].change, "=");
	assert_int_equal(s->fig[3].count, 1);

	assert_string_equal(s->fig[4].value, "2");
	assert_null(s->fig[4].change);		/* a state: no change */
	assert_int_equal(s->fig[4].count, 1);
	ps_report_free(r);
}

static void
tables(void **state)
{
	struct ps_report *r = report_new();
	struct ps_rsection *s = &r->sec[0];
	struct ps_rtable *t, *first;
	size_t i;

	(void)state;
	first = t = ps_rdoc_table(s, "by_stream", "By stream", 2,
	    PS_TOTAL_ROW | PS_TOTAL_COL, 4, "stream", "new", "old", "total");
	assert_non_null(t);
	assert_string_equal(t->key, "by_stream");
	assert_string_equal(t->title, "By stream");
	assert_int_equal(t->ncols, 4);
	assert_string_equal(t->cols[0], "stream");
	assert_string_equal(t->cols[3], "total");
	assert_int_equal(t->counts, 2);
	assert_int_equal(t->totals, PS_TOTAL_ROW | PS_TOTAL_COL);
	assert_int_equal(t->derived, 0);
	assert_int_equal(t->nrows, 0);
	assert_null(t->cells);

	ps_rdoc_row(t, ps_rdoc_strdup("extended"), ps_rdoc_fmt("%d", 3),
	    ps_rdoc_fmt("%d", 4), ps_rdoc_fmt("%d", 7));
	ps_rdoc_row(t, ps_rdoc_strdup("Total"), ps_rdoc_strdup("3"),
	    ps_rdoc_strdup("4"), NULL);
	assert_int_equal(t->nrows, 2);
	assert_string_equal(t->cells[0], "extended");
	assert_string_equal(t->cells[3], "7");
	assert_string_equal(t->cells[4], "Total");
	assert_null(t->cells[7]);	/* a NULL cell is kept as given */
	ps_rdoc_row(NULL, (char *)"never");	/* no table: no-op */

	/* the tables stay where they are as more are added, to the limit */
	for (i = 1; i < PS_RTABLES; i++)
		assert_non_null(ps_rdoc_table(s, "more", "More", 1, 0, 2,
		    "name", "n"));
	assert_int_equal(s->ntab, PS_RTABLES);
	assert_ptr_equal(first, &s->tab[0]);
	assert_string_equal(first->cells[0], "extended");
	assert_null(ps_rdoc_table(s, "ninth", "One too many", 1, 0, 2,
	    "name", "n"));
	assert_int_equal(s->ntab, PS_RTABLES);
	assert_int_equal(ps_rdoc_lost(), 0);	/* a limit, not a loss */
	ps_report_free(r);
}

static void
charts(void **state)
{
	struct ps_report *r = report_new();
	struct ps_rsection *s = &r->sec[0];
	char **labels = calloc(2, sizeof(*labels));
	double *a = calloc(2, sizeof(*a)), *b = calloc(2, sizeof(*b));
	double *a2 = calloc(1, sizeof(*a2));
	char **labels2 = calloc(1, sizeof(*labels2));

	(void)state;
	assert_non_null(labels);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(a2);
	assert_non_null(labels2);
	labels[0] = ps_rdoc_strdup("W46");
	labels[1] = ps_rdoc_strdup("W47");
	a[0] = 3;
	a[1] = 8;
	b[0] = 1;
	b[1] = 2;
	ps_rdoc_chart(s, "trend", "Twelve weeks", 2, labels, a, b, "new",
	    "closed");
	labels2[0] = ps_rdoc_strdup("all");
	a2[0] = 5;
	ps_rdoc_chart(s, "one", "One series", 1, labels2, a2, NULL, "calls",
	    NULL);
	assert_int_equal(ps_rdoc_lost(), 0);

	assert_int_equal(s->nchart, 2);
	assert_string_equal(s->chart[0].key, "trend");
	assert_string_equal(s->chart[0].title, "Twelve weeks");
	assert_int_equal(s->chart[0].n, 2);
	assert_ptr_equal(s->chart[0].labels, labels);	/* taken over */
	assert_ptr_equal(s->chart[0].a, a);
	assert_ptr_equal(s->chart[0].b, b);
	assert_string_equal(s->chart[0].a_name, "new");
	assert_string_equal(s->chart[0].b_name, "closed");
	assert_int_equal(s->chart[0].counts, 1);
	assert_null(s->chart[1].b);
	assert_null(s->chart[1].b_name);
	assert_string_equal(s->chart[1].a_name, "calls");
	ps_report_free(r);
}

static void
loose_tables(void **state)
{
	static const char *const cols[] = { "reason", "n" };
	struct ps_report *r = report_new();
	struct ps_rsection *s = &r->sec[0];
	struct ps_rtable *t, *spare;
	size_t i;

	(void)state;
	ps_rdoc_adopt(s, &(struct ps_rtable *){ NULL });	/* no-op */
	assert_int_equal(s->ntab, 0);
	assert_non_null(t = ps_rdoc_loose_table("closed", "Closures", 2,
	    cols));
	assert_string_equal(t->key, "closed");
	assert_string_equal(t->title, "Closures");
	assert_int_equal(t->ncols, 2);
	assert_string_equal(t->cols[1], "n");
	assert_int_equal(t->counts, 0);
	ps_rdoc_row(t, ps_rdoc_strdup("moved"), ps_rdoc_strdup("2"));
	ps_rdoc_adopt(s, &t);
	assert_null(t);
	assert_int_equal(s->ntab, 1);
	assert_string_equal(s->tab[0].key, "closed");
	assert_int_equal(s->tab[0].nrows, 1);
	assert_string_equal(s->tab[0].cells[1], "2");

	/* a full section takes no more: the caller keeps the table */
	for (i = 1; i < PS_RTABLES; i++)
		assert_non_null(ps_rdoc_table(s, "t", "T", 0, 0, 1, "x"));
	assert_non_null(spare = ps_rdoc_loose_table("late", "Late", 2, cols));
	t = spare;
	ps_rdoc_adopt(s, &t);
	assert_ptr_equal(t, spare);
	assert_int_equal(s->ntab, PS_RTABLES);
	ps_rdoc_table_release(t);
	free(t);
	assert_int_equal(ps_rdoc_lost(), 0);
	ps_report_free(r);
}

static void
lost_flag(void **state)
{
	int x;

	(void)state;
	ps_rdoc_begin();
	assert_int_equal(ps_rdoc_lost(), 0);
	assert_ptr_equal(ps_rdoc_noted(&x), &x);
	assert_int_equal(ps_rdoc_lost(), 0);
	assert_null(ps_rdoc_noted(NULL));
	assert_int_equal(ps_rdoc_lost(), 1);
	assert_ptr_equal(ps_rdoc_noted(&x), &x);	/* stays set */
	assert_int_equal(ps_rdoc_lost(), 1);
	ps_rdoc_begin();
	assert_int_equal(ps_rdoc_lost(), 0);
}

/* Allocations no allocator gives: each leaves its part out, noted. */
static void
lost_on_failure(void **state)
{
	static const char *const cols[] = { "a" };
	struct ps_report *r = report_new();
	struct ps_rsection *s = &r->sec[0];
	struct ps_rtable *t;
	size_t huge = SIZE_MAX / 4;

	(void)state;
	/* the columns cannot be had: the table is there, without them */
	assert_non_null(t = ps_rdoc_table(s, "big", "Too wide", 1, 0, huge,
	    "a"));
	assert_int_equal(ps_rdoc_lost(), 1);
	assert_null(t->cols);
	assert_string_equal(t->title, "Too wide");
	/* and a row of it cannot be had either */
	ps_rdoc_begin();
	ps_rdoc_row(t, NULL);
	assert_int_equal(ps_rdoc_lost(), 1);
	assert_int_equal(t->nrows, 0);
	t->ncols = 0;	/* so that ps_report_free() reads no columns */

	ps_rdoc_begin();
	assert_null(ps_rdoc_loose_table("big", "Too wide", huge, cols));
	assert_int_equal(ps_rdoc_lost(), 1);
	ps_report_free(r);
}

/*
 * A table's total tied to figures by their keys (an unknown key left
 * out, a link to no figure or to no table not made), and a chart that
 * draws a table; a loose table is a working list.
 */
static void
sums_and_charts_of_tables(void **state)
{
	struct ps_report *r = report_new();
	struct ps_rsection *s = &r->sec[0];
	const char *cols[] = { "id" };
	struct ps_rtable *t;

	(void)state;
	ps_rdoc_count(s, "a", "A", 3, 1);
	ps_rdoc_count(s, "b", "B", 4, 1);
	ps_rdoc_table(s, "t", "T", 1, PS_TOTAL_ROW, 2, "k", "n");
	ps_rdoc_sum(s, "t", "b", "gone", "a", NULL);
	assert_int_equal(s->nlink, 1);
	assert_int_equal(s->link[0].table, 0);
	assert_int_equal(s->link[0].nfig, 2);
	assert_int_equal(s->link[0].fig[0], 1);
	assert_int_equal(s->link[0].fig[1], 0);
	ps_rdoc_sum(s, "no-table", "a", NULL);
	ps_rdoc_sum(s, "t", "gone", NULL);
	assert_int_equal(s->nlink, 1);
	ps_rdoc_chart_of(s, "t");	/* no chart yet: nothing */
	ps_rdoc_chart(s, "c", "C", 0, NULL, NULL, NULL, "n", NULL);
	assert_int_equal(s->chart[0].table, 0);
	ps_rdoc_chart_of(s, "no-table");
	assert_int_equal(s->chart[0].table, 0);
	ps_rdoc_chart_of(s, "t");
	assert_int_equal(s->chart[0].table, 1);	/* tab[0], + 1 */
	t = ps_rdoc_loose_table("l", "L", 1, cols);
	assert_non_null(t);
	assert_int_equal(t->totals, PS_LIST);
	ps_rdoc_adopt(s, &t);
	assert_int_equal(ps_rdoc_lost(), 0);
	ps_report_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(copies),
		cmocka_unit_test(changes),
		cmocka_unit_test(figures),
		cmocka_unit_test(tables),
		cmocka_unit_test(charts),
		cmocka_unit_test(loose_tables),
		cmocka_unit_test(lost_flag),
		cmocka_unit_test(lost_on_failure),
		cmocka_unit_test(sums_and_charts_of_tables),
	};

	return cmocka_run_group_tests_name("rdoc", tests, NULL, NULL);
}
