/*
 * Unit tests: a report's figures (lib/ops/report.c) on the store of the
 * matching fixtures: participants received on 1 October (P-B00001) and
 * on 2, 10, 12 and 20 November 2026 (P-B00002 to P-B00005: three for
 * extended support, one OneCall request; two caregivers and one living
 * with the condition among the three), volunteers received in 2025.
 * Over 1 to 21 November the report must count four participant
 * applications, against none in the 21 days before.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "util/date.h"
#include "ops/report.h"
#include "store-ops.h"

struct t {
	struct fix		 f;
	struct ps_diags		 d;
	struct ps_report	*r;
};

static int
setup(void **state)
{
	struct t *t;

	assert_non_null(t = calloc(1, sizeof(*t)));
	ops_new(&t->f, 1);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;

	ps_report_free(t->r);
	ps_diags_release(&t->d);
	fix_free(&t->f);
	free(t);
	return 0;
}

static long
day(const char *s)
{
	struct ps_date dt;

	assert_int_equal(ps_date_parse(s, &dt), 0);
	return ps_date_days(&dt);
}

static const struct ps_rsection *
section(const struct ps_report *r, const char *key)
{
	size_t i;

	for (i = 0; i < r->nsec; i++)
		if (strcmp(r->sec[i].key, key) == 0)
			return &r->sec[i];
	return NULL;
}

static const struct ps_rfigure *
figure(const struct ps_rsection *s, const char *key)
{
	size_t i;

	assert_non_null(s);
	for (i = 0; i < s->nfig; i++)
		if (strcmp(s->fig[i].key, key) == 0)
			return &s->fig[i];
	fail_msg("no figure %s", key);
	return NULL;
}

/* The row of table key whose first cell is first, its cells joined by
   spaces, in b. */
static const char *
row(const struct ps_rsection *s, const char *key, const char *first,
    struct ps_buf *b)
{
	const struct ps_rtable *tb = NULL;
	size_t i, j;

	for (i = 0; i < s->ntab; i++)
		if (strcmp(s->tab[i].key, key) == 0)
			tb = &s->tab[i];
	assert_non_null(tb);
	ps_buf_truncate(b, 0);
	for (i = 0; i < tb->nrows; i++) {
		if (strcmp(tb->cells[i * tb->ncols], first) != 0)
			continue;
		for (j = 0; j < tb->ncols; j++)
			assert_int_equal(ps_buf_printf(b, "%s%s", j ? " " : "",
			    tb->cells[i * tb->ncols + j]), 0);
		return b->s;
	}
	fail_msg("no row %s in %s", first, key);
	return NULL;
}

/* Applications in the period, by stream and role, with the change. */
static void
test_applications(void **state)
{
	struct t *t = *state;
	struct ps_report_opts o;
	const struct ps_rsection *s;
	const struct ps_rfigure *fg;
	struct ps_buf b = PS_BUF_INIT, head = PS_BUF_INIT;

	memset(&o, 0, sizeof(o));
	o.from = day("2026-11-01");
	o.until = day("2026-11-21");
	assert_int_equal(ps_report_build(&t->r, t->f.s, &o, &t->d), 0);
	assert_int_equal(t->d.errors, 0);
	assert_string_equal(t->r->from, "2026-11-01");
	assert_string_equal(t->r->until, "2026-11-21");
	assert_int_equal(fix_git(&t->f, &head, "rev-parse HEAD"), 0);
	assert_int_equal(strncmp(t->r->commit, head.s, 40), 0);
	assert_int_equal(t->r->nsec, PS_REPORT_SECTIONS);
	assert_non_null(s = section(t->r, "intake"));
	fg = figure(s, "participant_applications");
	assert_string_equal(fg->value, "4");
	assert_string_equal(fg->change, "+4");
	assert_int_equal(fg->count, 1);
	assert_string_equal(figure(s, "volunteer_applications")->value, "0");
	assert_string_equal(figure(s, "withdrawn")->value, "0");
	assert_string_equal(row(s, "applications", "extended", &b),
	    "extended 1 2 0 3");
	assert_string_equal(row(s, "applications", "onecall", &b),
	    "onecall 0 1 0 1");
	assert_string_equal(row(s, "applications", "total", &b),
	    "total 1 3 0 4");

	/* the whole of October and November: P-B00001 too */
	ps_report_free(t->r);
	t->r = NULL;
	o.from = day("2026-10-01");
	assert_int_equal(ps_report_build(&t->r, t->f.s, &o, &t->d), 0);
	assert_string_equal(figure(section(t->r, "intake"),
	    "participant_applications")->value, "5");
	ps_buf_release(&b);
	ps_buf_release(&head);
}

/* Only the sections asked for, in the report's order. */
static void
test_sections(void **state)
{
	struct t *t = *state;
	struct ps_report_opts o;

	memset(&o, 0, sizeof(o));
	o.from = day("2026-11-01");
	o.until = day("2026-11-21");
	o.sections = "safety,intake";
	assert_int_equal(ps_report_build(&t->r, t->f.s, &o, &t->d), 0);
	assert_int_equal(t->r->nsec, 2);
	assert_string_equal(t->r->sec[0].key, "intake");
	assert_string_equal(t->r->sec[1].key, "safety");
	assert_string_equal(figure(&t->r->sec[0],
	    "participant_applications")->value, "4");
	ps_report_free(t->r);
	t->r = NULL;

	/* a key is matched whole, not as part of another */
	o.sections = "take,intake2";
	assert_int_equal(ps_report_build(&t->r, t->f.s, &o, &t->d), 0);
	assert_int_equal(t->r->nsec, 0);
}

/* As of an earlier commit: the store as it was then, named. */
static void
test_as_of(void **state)
{
	struct t *t = *state;
	struct ps_report_opts o;
	struct ps_buf first = PS_BUF_INIT;

	assert_int_equal(fix_git(&t->f, &first, "rev-list --max-parents=0 "
	    "HEAD"), 0);
	first.s[40] = '\0';
	memset(&o, 0, sizeof(o));
	o.from = day("2026-11-01");
	o.until = day("2026-11-21");
	o.as_of = first.s;
	o.sections = "intake";
	assert_int_equal(ps_report_build(&t->r, t->f.s, &o, &t->d), 0);
	assert_string_equal(t->r->commit, first.s);
	assert_string_equal(figure(section(t->r, "intake"),
	    "participant_applications")->value, "0");
	ps_buf_release(&first);
}

/* Contacts read (rdata.c) make the activity and safety sections, the
   flagged ones listed in a table the safety section takes over. */
static void
test_contacts(void **state)
{
	struct t *t = *state;
	struct ps_report_opts o;
	const struct ps_rsection *s;
	const struct ps_rfigure *fg;
	struct ps_buf b = PS_BUF_INIT;

	ops_put(&t->f, "contacts/2026/11/06/C-A00002.yaml", "kind: contact\n"
	    "id: C-A00002\ntype: callback\ndate: 2026-11-06T10:00:00-05:00\n"
	    "participant: P-B00005\nmode: video\nminutes: 15\n"
	    "flag:\n  type: crisis\n  referral: none\n");
	memset(&o, 0, sizeof(o));
	o.from = day("2026-11-01");
	o.until = day("2026-11-21");
	o.sections = "activity,safety";
	assert_int_equal(ps_report_build(&t->r, t->f.s, &o, &t->d), 0);
	assert_int_equal(t->r->nsec, 2);
	assert_non_null(s = section(t->r, "activity"));
	assert_string_equal(figure(s, "contacts")->value, "1");
	assert_string_equal(figure(s, "support_hours")->value, "0.2");
	assert_string_equal(row(s, "by_mode", "video", &b), "video 1 15");
	assert_string_equal(row(s, "by_mode", "total", &b), "total 1 15");
	assert_non_null(s = section(t->r, "safety"));
	fg = figure(s, "flagged");
	assert_string_equal(fg->value, "1");
	assert_string_equal(fg->change, "+1");
	assert_string_equal(figure(s, "no_referral")->value, "1");
	assert_string_equal(row(s, "by_flag", "crisis", &b), "crisis 1");
	assert_string_equal(row(s, "flagged", "C-A00002", &b),
	    "C-A00002 2026-11-06 crisis none needs attention");
	ps_report_free(t->r);
	t->r = NULL;

	/* the period before: counted there, as the change */
	o.from = day("2026-11-22");
	o.until = day("2026-12-12");
	o.sections = "safety";
	assert_int_equal(ps_report_build(&t->r, t->f.s, &o, &t->d), 0);
	fg = figure(&t->r->sec[0], "flagged");
	assert_string_equal(fg->value, "0");
	assert_string_equal(fg->change, "-1");
	assert_int_equal(t->r->sec[0].ntab, 2);
	assert_int_equal(t->r->sec[0].tab[1].nrows, 0);
	ps_buf_release(&b);
}

/* A period that ends before it starts is a usage error. */
static void
test_bad_period(void **state)
{
	struct t *t = *state;
	struct ps_report_opts o;

	memset(&o, 0, sizeof(o));
	o.from = day("2026-11-21");
	o.until = day("2026-11-01");
	assert_int_equal(ps_report_build(&t->r, t->f.s, &o, &t->d), PS_USAGE);
	assert_true(fix_has_diag(&t->d, PS_USAGE,
	    "--until is before --since"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_applications, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_sections, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_as_of, setup, teardown),
		cmocka_unit_test_setup_teardown(test_contacts, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bad_period, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, fix_group_setup, NULL);
}
