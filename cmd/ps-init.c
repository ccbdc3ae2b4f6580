/*
 * ps-init: create a store from a programme configuration.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ops/init.h"
#include "cli/cli.h"

static const char usage[] =
    "ps-init [-n] [--author \"Name <email>\"] [--program FILE] [DIR]";

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		PS_CLI_LONG,
		{ "program", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	struct ps_init_opts o = { 0 };
	struct ps_cli cli;
	int c;

	ps_cli_init(&cli, "ps-init", usage);
	while ((c = getopt_long(argc, argv, PS_CLI_SHORT "p:", longopts,
	    NULL)) != -1) {
		if (ps_cli_option(&cli, c, optarg))
			continue;
		if (c == 'p')
			o.program = optarg;
	}
	if (cli.store)
		return ps_cli_exit(&cli, ps_cli_usage(&cli, "-C does not apply: "
		    "name the new store's directory"));
	if (argc - optind > 1)
		return ps_cli_exit(&cli, ps_cli_usage(&cli, "too many "
		    "operands"));
	o.dir = optind < argc ? argv[optind] : ".";
	o.author = cli.author;
	o.dry_run = cli.dry_run;
	return ps_cli_exit(&cli, ps_init(&o, stdout, &cli.diags));
}
