/*
 * fuzz-stdin: what each tool that writes does with its standard input,
 * in a real store (made once, in a temporary directory, from the test
 * fixtures), with -n so that nothing is written: ps-apply's applications
 * and --update changes, ps-log's entries, ps-match --commit's proposals.
 * Every refusal a diagnostic; the store never changes.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/buf.h"
#include "fuzz.h"
#include "store/store.h"
#include "ops/init.h"
#include "ops/intake.h"
#include "ops/log.h"
#include "ops/matchop.h"

static struct ps_store *store;
static FILE *devnull;
static char dir[] = "/tmp/ps-fuzz-XXXXXX";

static void
remove_store(void)
{
	char cmd[64];

	ps_store_close(store);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz-stdin: cannot remove %s\n", dir);
}

static void
make_store(void)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_init_opts io = { NULL, NULL, "Fuzz <fuzz@example.org>", 0 };
	struct ps_buf store_dir = PS_BUF_INIT, prog = PS_BUF_INIT,
	    cmd = PS_BUF_INIT;
	char top[PATH_MAX];

	/* the source tree: $PS_FUZZ_TOP, else the current directory */
	if (realpath(getenv("PS_FUZZ_TOP") ? getenv("PS_FUZZ_TOP") : ".",
	    top) == NULL || mkdtemp(dir) == NULL)
		abort();
	atexit(remove_store);
	setenv("PS_NOW", "2026-11-22T15:00:00Z", 1);
	setenv("PS_AUTHOR", "Fuzz <fuzz@example.org>", 1);
	if (ps_buf_printf(&store_dir, "%s/s", dir) == -1 ||
	    ps_buf_printf(&prog, "%s/examples/ms-society/program.yaml",
	    top) == -1 ||
	    /* the fixture records, committed as a user would */
	    ps_buf_printf(&cmd, "cd %s && for f in %s/tests/fixtures/records/"
	    "valid/*.yaml; do id=$(basename $f .yaml); case $id in "
	    "P-*) d=participants;; V-*) d=volunteers;; M-*) d=matches;; "
	    "G-*) d=groups;; C-*) d=contacts/$(sed -n 's/^date: \\([0-9-]*\\)"
	    "T.*/\\1/p' $f | tr - /);; esac; mkdir -p $d && cp $f $d/; done "
	    "&& git add -A && git -c user.name=F -c user.email=f@example.org "
	    "commit -q --no-verify -m fixtures", store_dir.s, top) == -1)
		abort();
	io.dir = store_dir.s;
	io.program = prog.s;
	if ((devnull = fopen("/dev/null", "w")) == NULL ||
	    ps_git_init(&d) != 0 || ps_init(&io, devnull, &d) != 0 ||
	    system(cmd.s) != 0 || ps_store_open(&store, store_dir.s, &d) != 0) {
		ps_diags_print(&d, "fuzz-stdin", stderr);
		abort();
	}
	ps_buf_release(&store_dir);
	ps_buf_release(&prog);
	ps_buf_release(&cmd);
	ps_diags_release(&d);
}

/* Standard input reading the data from the start. */
static int
stdin_is(const uint8_t *data, size_t size)
{
	int fd = fuzz_fd(data, size);

	if (fd == -1 || dup2(fd, STDIN_FILENO) == -1)
		abort();
	close(fd);
	return STDIN_FILENO;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_intake_opts in = { 0 };
	struct ps_log_opts lo = { NULL, "Fuzz", 1, "stdin" };
	struct ps_match_opts mo = { 0 };
	struct ps_ids none = PS_IDS_INIT;

	if (store == NULL)
		make_store();
	in.dry_run = 1;
	stdin_is(data, size);
	ps_intake(store, &in, devnull, &d);
	ps_diags_release(&d);
	in.as = "participant";
	stdin_is(data, size);
	ps_intake(store, &in, devnull, &d);
	ps_diags_release(&d);
	stdin_is(data, size);
	ps_intake_update(store, "P-7K3Q2X", NULL, &in, devnull, &d);
	ps_diags_release(&d);
	ps_log_run_fd(store, stdin_is(data, size), &lo, devnull, &d);
	ps_diags_release(&d);
	mo.action = PS_MATCH_COMMIT;
	mo.commit = 1;
	mo.dry_run = 1;
	mo.in_fd = stdin_is(data, size);
	ps_matchop_run(store, &none, &mo, devnull, &d);
	ps_diags_release(&d);
	return 0;
}
