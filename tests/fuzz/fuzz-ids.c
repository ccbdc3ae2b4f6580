/*
 * fuzz-ids: the record operands a tool reads on stdin (ps-screen,
 * ps-match): IDs one per line, or a record stream whose ids are taken.
 * Every ID kept is well formed and kept once; a refusal says why.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fuzz.h"
#include "model/ids.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_ids l = PS_IDS_INIT;
	size_t i, j;
	int fd, rc;

	if ((fd = fuzz_fd(data, size)) == -1)
		return 0;
	rc = ps_ids_read(&l, fd, "stdin", &d);
	if (rc != 0 && d.errors == 0)
		abort();
	for (i = 0; i < l.n; i++) {
		if (!ps_id_valid(l.v[i]))
			abort();
		for (j = 0; j < i && l.n < 64; j++)
			if (strcmp(l.v[i], l.v[j]) == 0)
				abort();
	}
	ps_ids_release(&l);
	ps_diags_release(&d);
	close(fd);
	return 0;
}
