/*
 * fuzz-schema: the validator. The schemas are loaded once from
 * $PS_SCHEMA_DIR (else schemas/); each input that reads as a record is
 * validated as every kind and as program.yaml, and by its own kind
 * (ps_record_check), then redacted: every problem a diagnostic, no
 * crash, no leak.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "model/record.h"
#include "model/schema.h"
#include "model/yaml.h"

static struct ps_schemas *set;

static void
load_schemas(void)
{
	struct ps_diags d = PS_DIAGS_INIT;
	const char *dir = getenv("PS_SCHEMA_DIR");

	if (ps_schemas_load(&set, dir ? dir : "schemas", &d) != 0) {
		ps_diags_print(&d, "fuzz-schema", stderr);
		abort();
	}
	ps_diags_release(&d);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const kinds[] = { "participant", "volunteer",
	    "match", "contact", "group", "program", NULL };
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL, *c;
	size_t i, nerr;

	if (set == NULL)
		load_schemas();
	if (ps_yaml_load_mem(&n, (const char *)data, size, "fuzz", &d) != 0)
		goto done;
	for (i = 0; kinds[i]; i++) {
		const struct ps_schema *s = ps_schemas_get(set, kinds[i]);

		if (s == NULL || (c = ps_node_dup(n)) == NULL)
			abort();
		nerr = ps_schema_validate(s, c, "fuzz", &d);
		if (nerr > 0 && d.errors == 0)
			abort();
		if (ps_schema_redact(s, c) == -1)
			abort();
		ps_node_free(c);
		ps_diags_release(&d);
	}
	if ((c = ps_node_dup(n)) == NULL)
		abort();
	(void)ps_record_check(set, c, "fuzz", &d);
	ps_node_free(c);
done:
	ps_node_free(n);
	ps_diags_release(&d);
	return 0;
}
