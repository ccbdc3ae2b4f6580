/*
 * Unit tests: what a report reads of a record (lib/rules/rsum.c).
 *
 * A store made by ps_init in a temporary directory, with records of
 * tests/fixtures/records/valid committed by git, and one that is not a
 * good record. Each summary is written as one line, its fields joined
 * by "|", "~" for a field that is not there, so that what a report gets
 * can be compared with the record files by eye. Read twice: the second
 * time from the cache the first left in .git/ps-cache/report.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/date.h"
#include "ops/init.h"
#include "store/store.h"
#include "rules/rsum.h"

static char dir[] = "/tmp/test-rsum.XXXXXX";
static struct ps_store *store;
static git_oid head;

#define BAD	"participants/P-BBBBBB.yaml"

static const size_t nfields[] = { PS_P_N, PS_V_N, PS_M_N, PS_C_N };

struct seen {
	struct ps_buf	 lines;
	const struct ps_rsum *keep[8];	/* the summaries of non-contacts */
	size_t		 n;
};

static int
collect(void *arg, const struct ps_rsum *sum, struct ps_diags *d)
{
	struct seen *s = arg;
	size_t i;

	(void)d;
	assert_true(sum->kind >= PS_RSUM_PARTICIPANT &&
	    sum->kind <= PS_RSUM_CONTACT);
	ps_buf_printf(&s->lines, "%d", sum->kind);
	for (i = 0; i < nfields[sum->kind]; i++)
		ps_buf_printf(&s->lines, "|%s", sum->f[i] ? sum->f[i] : "~");
	ps_buf_printf(&s->lines, "\n");
	if (sum->kind != PS_RSUM_CONTACT && s->n < 8)
		s->keep[s->n++] = sum;
	return 0;
}

/* A shell command line, run; its status. */
static int __attribute__((format(printf, 1, 2)))
sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_true(n > 0 && (size_t)n < sizeof(cmd));
	return system(cmd);
}

static int
setup(void **state)
{
	struct ps_init_opts o = { NULL, "examples/ms-society/program.yaml",
	    "Test <test@example.org>", 0 };
	struct ps_diags d = PS_DIAGS_INIT;
	git_reference *ref = NULL;
	const char *v = "tests/fixtures/records/valid";
	FILE *out;
	int rc;

	(void)state;
	if (getenv("PS_SCHEMA_DIR") == NULL)
		setenv("PS_SCHEMA_DIR", "schemas", 1);
	if (mkdtemp(dir) == NULL)
		return -1;
	o.dir = dir;
	if ((out = fopen("/dev/null", "w")) == NULL)
		return -1;
	rc = ps_init(&o, out, &d);
	fclose(out);
	if (rc != 0) {
		ps_diags_print(&d, "test-rsum", stderr);
		return -1;
	}
	if (sh("cd %s && mkdir -p participants volunteers matches "
	    "contacts/2026/04/08 contacts/2026/06/12 contacts/2026/09/20",
	    dir) ||
	    sh("cp %s/P-7K3Q2X.yaml %s/P-2HC6NE.yaml %s/participants/", v, v,
	    dir) ||
	    sh("cp %s/V-3K2J9X.yaml %s/volunteers/", v, dir) ||
	    sh("cp %s/M-5NB3JT.yaml %s/M-2VX7GH.yaml %s/matches/", v, v,
	    dir) ||
	    sh("cp %s/C-1F6K9M.yaml %s/contacts/2026/04/08/", v, dir) ||
	    sh("cp %s/C-4HT8XE.yaml %s/contacts/2026/06/12/", v, dir) ||
	    sh("cp %s/C-2KP8WE.yaml %s/contacts/2026/09/20/", v, dir) ||
	    sh("printf 'kind: participant\\nid: P-BBBBBB\\n' "
	    ">%s/participants/P-BBBBBB.yaml", dir) ||
	    sh("cd %s && git add -A && git -c user.name=Test "
	    "-c user.email=test@example.org commit -q --no-verify "
	    "-m records", dir))
		return -1;
	if (ps_store_open(&store, dir, &d) != 0 ||
	    git_repository_head(&ref, store->repo) != 0)
		return -1;
	git_oid_cpy(&head, git_reference_target(ref));
	git_reference_free(ref);
	ps_diags_release(&d);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ps_store_close(store);
	return sh("rm -rf %s", dir);
}

static long
day(const char *s)
{
	long d;

	assert_int_equal(ps_date_parse_days(s, &d), 0);
	return d;
}

/* An erased record, with no consents left; one with a follow-up consent
   after a privacy one. */
static const char participants[] =
    "0|P-2HC6NE|closed|extended|living-with|2018-09-14T11:00:00-04:00|~"
    "|true|~|~|~\n"
    "0|P-7K3Q2X|matched|extended|living-with|2026-03-02T09:15:00-05:00"
    "|~|~||true|2026-03-05\n";

/* One folder, read; the not-good record in it (bad, or NULL: none)
   reported, and nothing else. */
static void
read_folder(struct ps_rsums *r, const char *folder, int contacts,
    struct seen *s, const char *bad)
{
	struct ps_diags d = PS_DIAGS_INIT;
	size_t i;

	assert_int_equal(ps_rsums_each(r, folder, contacts, collect, s, &d), 0);
	if (bad == NULL)
		assert_int_equal(d.n, 0);
	else
		assert_true(d.errors > 0);
	for (i = 0; i < d.n; i++)
		assert_string_equal(d.v[i].file, bad);
	ps_diags_release(&d);
}

static void
summaries(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_rsums *r = NULL;
	struct seen s = { PS_BUF_INIT, { NULL }, 0 };
	struct ps_buf want = PS_BUF_INIT;
	struct ps_node *rec = NULL;
	struct stat st;
	char cache[128];
	int pass;

	(void)state;
	snprintf(cache, sizeof(cache), "%s/.git/ps-cache/report", dir);
	assert_int_equal(stat(cache, &st), -1);
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(ps_rsums_open(&r, store, &head, &d), 0);
		ps_buf_truncate(&s.lines, 0);
		s.n = 0;
		read_folder(r, "participants", 0, &s, BAD);
		read_folder(r, "volunteers", 0, &s, NULL);
		read_folder(r, "matches", 0, &s, NULL);
		read_folder(r, "contacts", 1, &s, NULL);
		ps_buf_truncate(&want, 0);
		ps_buf_printf(&want, "%s"
		    "1|V-3K2J9X|active|2025-09-03T13:22:00-04:00|2025-11-21"
		    "|accept|2|%ld|background-check\n"
		    "2|M-2VX7GH|callback-open|onecall|P-4MZ8RD|V-3K2J9X"
		    "|2026-10-07T09:05:00-04:00|~|~|~|~|"
		    "|2026-10-06T16:48:31-06:00|~|~|2026-10-09\n"
		    "2|M-5NB3JT|active|mentor|P-9TJ5WB|V-5WPH7C"
		    "|2026-05-15T10:00:00-04:00|2026-05-20T09:45:00-04:00|9"
		    "|2026-11-19|~|~|~|~|~|~\n"
		    "3|C-1F6K9M|contact|2026-04-08T19:00:00-04:00|M-8D1Q4R"
		    "|P-7K3Q2X|phone|45|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~\n"
		    "3|C-4HT8XE|dropin|2026-06-12T13:20:00-04:00|~|~"
		    "|in-person|35|~|~|~|~|~|~|~|~|~|~||crisis|988|~|~\n"
		    "3|C-2KP8WE|feedback|2026-09-20T12:00:00-04:00|M-8D1Q4R"
		    "|P-7K3Q2X|email|~|~|~|~|~|~|5|4|5|4|3|~|~|~|true"
		    "|2026-12-20\n",
		    participants, day("2028-10-10"));
		assert_string_equal(s.lines.s, want.s);
		/* the whole record behind a summary */
		assert_int_equal(s.n, 5);
		assert_int_equal(ps_rsums_record(r, s.keep[1], &rec, &d), 0);
		assert_string_equal(ps_node_get_str(rec, "id"), "P-7K3Q2X");
		assert_string_equal(ps_node_get_str(rec, "consents.1.method"),
		    "phone");
		ps_node_free(rec);
		rec = NULL;
		assert_int_equal(d.n, 0);
		ps_rsums_free(r);
		r = NULL;
		/* what was learnt is kept */
		assert_int_equal(stat(cache, &st), 0);
		assert_true(st.st_size > 0);
	}
	ps_buf_release(&s.lines);
	ps_buf_release(&want);
	ps_diags_release(&d);
}

/* A folder read as contacts: every record is summarised as a contact,
   whatever it says, cached as a participant or not. */
static void
read_as_contacts(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_rsums *r = NULL;
	struct seen s = { PS_BUF_INIT, { NULL }, 0 };

	(void)state;
	assert_int_equal(ps_rsums_open(&r, store, &head, &d), 0);
	read_folder(r, "participants", 1, &s, BAD);
	assert_string_equal(s.lines.s,
	    "3|P-2HC6NE|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~\n"
	    "3|P-7K3Q2X|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~|~\n");
	/* and the same folder as records again, from the cache */
	ps_buf_truncate(&s.lines, 0);
	read_folder(r, "participants", 0, &s, BAD);
	assert_string_equal(s.lines.s, participants);
	ps_rsums_free(r);
	ps_rsums_free(NULL);
	ps_buf_release(&s.lines);
	ps_diags_release(&d);
}

/* A callback's error stops the walk and is the result. */
static int
refuse(void *arg, const struct ps_rsum *sum, struct ps_diags *d)
{
	int *calls = arg;

	(*calls)++;
	return ps_diag_err(d, PS_REFUSED, "%s: no", sum->f[0]);
}

static void
callback_error(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_rsums *r = NULL;
	int calls = 0;

	(void)state;
	assert_int_equal(ps_rsums_open(&r, store, &head, &d), 0);
	assert_int_equal(ps_rsums_each(r, "participants", 0, refuse, &calls,
	    &d), PS_REFUSED);
	assert_int_equal(calls, 1);
	assert_int_equal(d.errors, 1);
	assert_string_equal(d.v[d.n - 1].msg, "P-2HC6NE: no");
	ps_rsums_free(r);
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(summaries),
		cmocka_unit_test(read_as_contacts),
		cmocka_unit_test(callback_error),
	};

	return cmocka_run_group_tests_name("rsum", tests, setup, teardown);
}
