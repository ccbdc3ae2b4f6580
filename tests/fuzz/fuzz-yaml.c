/*
 * fuzz-yaml: the record reader. One record from memory (a git blob), and
 * the same bytes as a stream on a file descriptor (stdin), split as web
 * forms' JSON arrays are: whatever the input, a record or a refusal, no
 * crash, no leak, and a refusal always says why.
 */
#include <stdlib.h>
#include <unistd.h>

#include "fuzz.h"
#include "model/yaml.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_yaml_reader *r = NULL;
	struct ps_node *n = NULL;
	int fd, rc;

	rc = ps_yaml_load_mem(&n, (const char *)data, size, "fuzz", &d);
	if ((rc == 0) != (n != NULL) || (rc != 0 && d.n == 0))
		abort();
	ps_node_free(n);
	ps_diags_release(&d);

	if ((fd = fuzz_fd(data, size)) == -1)
		return 0;
	if (ps_yaml_reader_fd(&r, fd, "stdin", PS_YAML_SPLIT_SEQ, &d) == 0) {
		while ((rc = ps_yaml_reader_next(r, &n, &d)) == 0 && n) {
			/* the caller refuses every record: the reader stops */
			ps_diag_add(&d, 1, "stdin", n->line, n->col, NULL, "x");
			ps_node_free(n);
		}
		if (rc != 0 && d.errors == 0)
			abort();
		if (d.errors > PS_YAML_PROBLEMS + 1)
			abort();
	}
	ps_yaml_reader_free(r);
	ps_diags_release(&d);
	close(fd);
	return 0;
}
