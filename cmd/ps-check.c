/*
 * ps-check: validate every record of a store, or the files given.
 */
#include <stdio.h>

#include "ops/check.h"
#include "cli/cli.h"

static const char usage[] = "ps-check [-C DIR] [--cached] [FILE ...]";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		PS_CLI_LONG,
		{ "cached", no_argument, NULL, 'c' },
		{ NULL, 0, NULL, 0 }
	};
	struct ps_check_opts o = { 0, NULL, 0 };
	struct ps_store *s = NULL;
	struct ps_cli cli;
	int c, rc;

	ps_cli_init(&cli, "ps-check", usage);
	while ((c = getopt_long(argc, argv, PS_CLI_SHORT, longopts,
	    NULL)) != -1) {
		if (ps_cli_option(&cli, c, optarg))
			continue;
		if (c == 'c')
			o.cached = 1;
	}
	o.files = argv + optind;
	o.nfiles = argc - optind;
	if (o.cached && o.nfiles > 0)
		return ps_cli_exit(&cli, ps_cli_usage(&cli, "--cached checks "
		    "the index: give no files"));
	if ((rc = ps_git_init(&cli.diags)) == 0 &&
	    (rc = ps_store_open(&s, cli.store, &cli.diags)) == 0)
		rc = ps_check(s, &o, stdout, &cli.diags);
	ps_store_close(s);
	return ps_cli_exit(&cli, rc);
}
