/*
 * fuzz-csv: the CSV reader of web-form exports, row by row to the end or
 * the first refusal, which must say why; fields are NUL-terminated text
 * (UTF-8, no control characters but tab and newline) and bounded.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/str.h"
#include "model/csv.h"
#include "fuzz.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_csv *c = NULL;
	struct ps_csv_row *row;
	size_t i;
	long cp;
	int fd, rc;

	if ((fd = fuzz_fd(data, size)) == -1)
		return 0;
	if (ps_csv_open(&c, fd, "fuzz.csv", &d) == 0) {
		while ((rc = ps_csv_next(c, &row, &d)) == 0 && row) {
			if (row->n == 0 || row->n > PS_CSV_FIELDS)
				abort();
			for (i = 0; i < row->n; i++) {
				size_t len = strlen(row->f[i]);

				if (len > PS_CSV_FIELD ||
				    ps_str_check_text(row->f[i], len, &cp) != -1)
					abort();
			}
		}
		if (rc != 0 && d.errors == 0)
			abort();
	}
	ps_csv_free(c);
	ps_diags_release(&d);
	close(fd);
	return 0;
}
