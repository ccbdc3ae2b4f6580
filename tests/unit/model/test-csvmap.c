/*
 * Unit tests: a web form's CSV export read through a mapping file
 * (lib/model/csvmap.c): the rows' records as the mapping builds them
 * (fields, values translated, lists split, consent boxes with their
 * version and day, the cells' positions), and each problem of the
 * mapping file, the header and the rows at its file, line and column,
 * counted once. The schemas are $PS_SCHEMA_DIR's (tests/run.sh sets it),
 * else schemas/ (the tests run from the top).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "model/csvmap.h"
#include "model/yaml.h"

#define NOW	"2026-11-22T10:00:00-05:00"

static const char program[] =
    "consents:\n"
    "  privacy:\n"
    "    version: \"2026-01\"\n"
    "  data_sharing:\n"
    "    version: \"3\"\n";

static const char form_map[] =
    "kind: participant\n"
    "stream: extended\n"
    "columns:\n"
    "  First name: name.first\n"
    "  Email: contact.email\n"
    "  Languages:\n"
    "    field: languages\n"
    "    split: \";\"\n"
    "  I am:\n"
    "    field: role\n"
    "    values:\n"
    "      I live with MS: living-with\n"
    "  Privacy:\n"
    "    consent: privacy\n"
    "  Sharing:\n"
    "    consent: data-sharing\n"
    "  Pledge:\n"
    "    consent: pledge\n"
    "    version: \"7\"\n";

/* What each test shares: the schemas, the programme, a temp folder for
   the mapping file, and what take() was given. */
struct t {
	struct ps_schemas	*set;
	struct ps_node		*prog;
	char			 dir[PATH_MAX];
	char			 map[PATH_MAX + 16];
	struct ps_diags		 d;
	struct ps_node		*recs[8];
	size_t			 n;
};

static int
setup(void **state)
{
	struct t *t;

	assert_non_null(t = calloc(1, sizeof(*t)));
	setenv("PS_SCHEMA_DIR", "schemas", 0);
	assert_int_equal(ps_schemas_load(&t->set, NULL, &t->d), 0);
	assert_int_equal(ps_yaml_load_mem(&t->prog, program, strlen(program),
	    "program.yaml", &t->d), 0);
	snprintf(t->dir, sizeof(t->dir), "%s/ps-csvmap.XXXXXX",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	assert_non_null(mkdtemp(t->dir));
	snprintf(t->map, sizeof(t->map), "%s/map.yaml", t->dir);
	*state = t;
	return 0;
}

static int
teardown(void **state)
{
	struct t *t = *state;
	size_t i;

	for (i = 0; i < t->n; i++)
		ps_node_free(t->recs[i]);
	unlink(t->map);
	rmdir(t->dir);
	ps_node_free(t->prog);
	ps_schemas_free(t->set);
	ps_diags_release(&t->d);
	free(t);
	return 0;
}

/* take(): keep a copy of each record. */
static void
keep(void *arg, struct ps_node *rec, const char *name, struct ps_diags *d)
{
	struct t *t = arg;

	(void)d;
	assert_string_equal(name, "form.csv");
	assert_true(t->n < 8);
	assert_non_null(t->recs[t->n++] = ps_node_dup(rec));
}

/* Read csv through the mapping file map_text; the return, refused in
   *refused. */
static int
read_with(struct t *t, const char *map_text, const char *csv,
    size_t *refused)
{
	struct ps_csvmap m = { t->map, t->prog, t->set, NOW, keep, t, 0 };
	FILE *fp;
	int rc;

	assert_non_null(fp = fopen(t->map, "w"));
	assert_int_equal(fputs(map_text, fp) >= 0, 1);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(fp = tmpfile());
	assert_int_equal(fputs(csv, fp) >= 0, 1);
	assert_int_equal(fflush(fp), 0);
	rewind(fp);
	rc = ps_csvmap_read(&m, fileno(fp), "form.csv", &t->d);
	fclose(fp);
	*refused = m.refused;
	return rc;
}

/* The YAML text of a record (the caller frees it). */
static char *
text(const struct ps_node *rec)
{
	struct ps_buf b = PS_BUF_INIT;

	assert_int_equal(ps_yaml_write(&b, rec), 0);
	return ps_buf_detach(&b);
}

/* The one diagnostic there is: at file:line:col, its message msg. */
static void
one_diag(struct t *t, const char *file, unsigned long line,
    unsigned long col, const char *msg)
{
	if (t->d.n != 1)
		ps_diags_print(&t->d, "test-csvmap", stderr);
	assert_int_equal(t->d.n, 1);
	assert_int_equal(t->d.v[0].status, PS_REFUSED);
	assert_string_equal(t->d.v[0].file, file);
	assert_int_equal(t->d.v[0].line, line);
	assert_int_equal(t->d.v[0].col, col);
	assert_string_equal(t->d.v[0].msg, msg);
}

/*
 * Each row a record: the mapping's kind and stream, the fields, values
 * translated, a list split and trimmed, consent boxes in the column's
 * version or the programme's, dated today; empty cells and boxes not
 * ticked fill nothing, and a blank line is no row.
 */
static void
rows_to_records(void **state)
{
	struct t *t = *state;
	size_t refused;
	char *s;

	assert_int_equal(read_with(t, form_map,
	    "Submitted,First name,Email,Languages,I am,Privacy,Sharing,"
	    "Pledge\r\n"
	    "x,Lou,lou@example.org, en ;fr;;,I live with MS,yes,,no\r\n"
	    "\r\n"
	    "x,Sam,,fr,I care,CHECKED,I agree,x\r\n", &refused), 0);
	assert_int_equal(refused, 0);
	assert_int_equal(t->d.n, 0);
	assert_int_equal(t->n, 2);
	s = text(t->recs[0]);
	assert_string_equal(s,
	    "kind: participant\n"
	    "stream: extended\n"
	    "name:\n"
	    "  first: Lou\n"
	    "contact:\n"
	    "  email: lou@example.org\n"
	    "languages:\n"
	    "  - en\n"
	    "  - fr\n"
	    "role: living-with\n"
	    "consents:\n"
	    "  - type: privacy\n"
	    "    version: \"2026-01\"\n"
	    "    date: 2026-11-22\n"
	    "    given: true\n"
	    "    method: online\n");
	free(s);
	s = text(t->recs[1]);
	assert_string_equal(s,
	    "kind: participant\n"
	    "stream: extended\n"
	    "name:\n"
	    "  first: Sam\n"
	    "languages:\n"
	    "  - fr\n"
	    "role: I care\n"
	    "consents:\n"
	    "  - type: privacy\n"
	    "    version: \"2026-01\"\n"
	    "    date: 2026-11-22\n"
	    "    given: true\n"
	    "    method: online\n"
	    "  - type: data-sharing\n"
	    "    version: \"3\"\n"
	    "    date: 2026-11-22\n"
	    "    given: true\n"
	    "    method: online\n"
	    "  - type: pledge\n"
	    "    version: \"7\"\n"
	    "    date: 2026-11-22\n"
	    "    given: true\n"
	    "    method: online\n");
	free(s);
	/* positions: the record at its row, each value at its cell */
	assert_int_equal(t->recs[0]->line, 2);
	assert_int_equal(t->recs[0]->col, 1);
	assert_int_equal(ps_node_get(t->recs[0], "contact.email")->line, 2);
	assert_int_equal(ps_node_get(t->recs[0], "contact.email")->col, 3);
	assert_int_equal(ps_node_get(t->recs[0], "languages.1")->col, 4);
	assert_int_equal(ps_node_get(t->recs[1], "name.first")->line, 4);
	assert_int_equal(ps_node_get(t->recs[1], "consents.2.type")->col, 8);
	assert_int_equal(ps_node_get(t->recs[1], "consents.2")->line, 4);
}

/* A mapping file ps-apply cannot follow: every column's problem, at
   the mapping file's positions, counted once; no row is read. */
static void
mapping_refused(void **state)
{
	struct t *t = *state;
	size_t refused;

	assert_int_equal(read_with(t,
	    "columns:\n"
	    "  A: name.first\n"
	    "  B: [name.last]\n"
	    "  C:\n"
	    "    consent: newsletter\n"
	    "  D:\n"
	    "    consent: follow-up\n",
	    "A,B,C,D\nx,y,z,w\n", &refused), 0);
	assert_int_equal(refused, 1);
	assert_int_equal(t->n, 0);
	assert_int_equal(t->d.n, 3);
	assert_int_equal(t->d.v[0].line, 3);
	assert_int_equal(t->d.v[0].col, 6);
	assert_string_equal(t->d.v[0].msg, "column \"B\": give a field, or "
	    "field/split/values, or consent");
	assert_int_equal(t->d.v[1].line, 5);
	assert_string_equal(t->d.v[1].msg, "column \"C\": not a consent type "
	    "(the types are: privacy, pledge, follow-up, data-sharing)");
	assert_int_equal(t->d.v[2].line, 7);
	assert_string_equal(t->d.v[2].file, t->map);
	assert_string_equal(t->d.v[2].msg, "column \"D\": the programme "
	    "names no version of the follow-up consent: add version: to the "
	    "column");
}

static void
no_columns(void **state)
{
	struct t *t = *state;
	size_t refused;

	assert_int_equal(read_with(t, "kind: participant\n", "A\nx\n",
	    &refused), 0);
	assert_int_equal(refused, 1);
	assert_int_equal(t->n, 0);
	one_diag(t, t->map, 1, 1, "a mapping of CSV column titles to record "
	    "fields is required");
	assert_string_equal(t->d.v[0].path, "columns");
}

/* A column the header lacks: named at the mapping file's key. */
static void
column_not_in_header(void **state)
{
	struct t *t = *state;
	size_t refused;

	assert_int_equal(read_with(t,
	    "columns:\n"
	    "  First name: name.first\n"
	    "  Province: region\n",
	    "First name,Region\nLou,ON\n", &refused), 0);
	assert_int_equal(refused, 1);
	assert_int_equal(t->n, 0);
	one_diag(t, t->map, 3, 3, "column \"Province\" is not in the CSV "
	    "header");
}

static void
empty_file(void **state)
{
	struct t *t = *state;
	size_t refused;

	assert_int_equal(read_with(t, "columns:\n  A: name.first\n", "",
	    &refused), 0);
	assert_int_equal(refused, 1);
	one_diag(t, "form.csv", 0, 0, "empty CSV file: no header row");
}

/* A row of the wrong length, or with a cell for a field that cannot be
   set, is refused alone: the other rows are taken. */
static void
row_refused(void **state)
{
	struct t *t = *state;
	size_t refused;

	assert_int_equal(read_with(t,
	    "columns:\n"
	    "  A: name\n"
	    "  B: name.first\n",
	    "A,B\n"
	    "x\n"
	    ",Lou\n"
	    "Lou,Martin\n", &refused), 0);
	assert_int_equal(refused, 2);
	assert_int_equal(t->n, 1);
	assert_string_equal(ps_node_get_str(t->recs[0], "name.first"), "Lou");
	assert_int_equal(t->d.n, 2);
	assert_string_equal(t->d.v[0].file, "form.csv");
	assert_int_equal(t->d.v[0].line, 2);
	assert_int_equal(t->d.v[0].col, 1);
	assert_string_equal(t->d.v[0].msg, "row has 1 fields; the header has "
	    "2");
	assert_string_equal(t->d.v[1].file, t->map);
	assert_int_equal(t->d.v[1].line, 3);
	assert_int_equal(t->d.v[1].col, 6);
	assert_string_equal(t->d.v[1].msg, "column \"B\" maps to a field that "
	    "cannot be set");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(rows_to_records, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(mapping_refused, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(no_columns, setup, teardown),
		cmocka_unit_test_setup_teardown(column_not_in_header, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(row_refused, setup, teardown),
	};

	return cmocka_run_group_tests_name("csvmap", tests, NULL, NULL);
}
