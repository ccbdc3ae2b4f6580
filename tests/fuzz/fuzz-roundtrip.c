/*
 * fuzz-roundtrip: what is read, written canonically, reads back and
 * writes the same bytes: as typed (no schema), and after validation has
 * typed and ordered it (a record of its kind). Aborts if the canonical
 * text cannot be read back, or is not a fixpoint, or is not a record
 * the validator accepts again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "model/record.h"
#include "model/schema.h"
#include "model/yaml.h"

static struct ps_schemas *set;

static void
check(int ok, const char *what, const struct ps_buf *b,
    const struct ps_diags *d)
{
	if (ok)
		return;
	fprintf(stderr, "fuzz-roundtrip: %s\n", what);
	if (d)
		ps_diags_print(d, "fuzz-roundtrip", stderr);
	if (b && b->s)
		fprintf(stderr, "--- canonical text ---\n%s", b->s);
	abort();
}

/* Write n, read it back, write again: the same bytes. */
static void
fixpoint(struct ps_node *n, int typed)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_buf one = PS_BUF_INIT, two = PS_BUF_INIT;
	struct ps_node *back = NULL;

	check(ps_yaml_write(&one, n) == 0, "cannot write", NULL, NULL);
	if (one.len > PS_YAML_RECORD) {
		/* quoting made it larger than a record may be: not a bug */
		ps_buf_release(&one);
		return;
	}
	check(ps_yaml_load_mem(&back, one.s, one.len, "canonical", &d) == 0,
	    "the canonical text does not read back", &one, &d);
	if (typed)
		check(ps_record_check(set, back, "canonical", &d) == 0,
		    "the canonical text is not valid again", &one, &d);
	check(ps_yaml_write(&two, back) == 0, "cannot write", NULL, NULL);
	check(one.len == two.len && memcmp(one.s, two.s, one.len) == 0,
	    "writing what was read back is not the same bytes", &one, NULL);
	ps_node_free(back);
	ps_buf_release(&one);
	ps_buf_release(&two);
	ps_diags_release(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;
	const char *dir;

	if (set == NULL) {
		dir = getenv("PS_SCHEMA_DIR");
		check(ps_schemas_load(&set, dir ? dir : "schemas", &d) == 0,
		    "cannot load the schemas", NULL, &d);
	}
	if (ps_yaml_load_mem(&n, (const char *)data, size, "fuzz", &d) == 0) {
		fixpoint(n, 0);
		if (ps_record_check(set, n, "fuzz", &d) == 0)
			fixpoint(n, 1);
	}
	ps_node_free(n);
	ps_diags_release(&d);
	return 0;
}
