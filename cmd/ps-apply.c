/*
 * ps-apply: take in applications; update, withdraw and list them.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ops/erase.h"
#include "ops/intake.h"
#include "cli/cli.h"

static const char usage[] =
    "ps-apply [-C DIR] [-n] [--author \"Name <email>\"]\n"
    "         [--as participant|volunteer] [--stream S] [--partial]\n"
    "         [--allow-duplicate] [FILE ...]\n"
    "ps-apply --csv --map MAP.yaml [-C DIR] [-n] [--author \"Name <email>\"]\n"
    "         [--as participant|volunteer] [--stream S] [--partial]\n"
    "         [--allow-duplicate] [FILE]\n"
    "ps-apply --update ID [-C DIR] [-n] [--author \"Name <email>\"] [FILE]\n"
    "ps-apply --withdraw ID --reason TEXT [-C DIR] [-n]\n"
    "         [--author \"Name <email>\"]\n"
    "ps-apply --withdraw ID --reason-file FILE [-C DIR] [-n]\n"
    "         [--author \"Name <email>\"]\n"
    "ps-apply --erase ID [--yes] [-C DIR] [-n] [--author \"Name <email>\"]\n"
    "ps-apply --list [-C DIR] [--kind participant|volunteer] [--stream S]\n"
    "         [--status S] [--since DATE] [--yaml | --table]";

enum {
	O_AS = PS_OPT_TOOL, O_STREAM, O_PARTIAL, O_DUP, O_CSV, O_MAP,
	O_UPDATE, O_WITHDRAW, O_REASON, O_LIST, O_KIND, O_STATUS, O_SINCE,
	O_ERASE, O_YES
};

/*
 * --erase without --yes: on a terminal, the ID typed back confirms;
 * elsewhere, refused with what erasure does.
 */
static int
confirm(struct ps_cli *cli, const char *id)
{
	char line[64];
	size_t n;

	if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
		return ps_diag_err(&cli->diags, PS_USAGE, "--erase %s removes "
		    "their record, and the personal data other records hold "
		    "about them, from the store and from its whole history, "
		    "for good: add --yes to do it, or -n to see what it would "
		    "change", id);
	fprintf(stderr, "ps-apply: this removes the record of %s, and the "
	    "personal data other\n"
	    "records hold about them, from the store and "
	    "from its whole history, for good.\n"
	    "Type the ID to confirm: ", id);
	if (fgets(line, sizeof(line), stdin) == NULL)
		line[0] = '\0';
	n = strcspn(line, "\r\n");
	line[n] = '\0';
	if (strcmp(line, id) != 0)
		return ps_diag_err(&cli->diags, PS_REFUSED, "not confirmed: "
		    "nothing was changed");
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		PS_CLI_LONG,
		{ "as", required_argument, NULL, O_AS },
		{ "stream", required_argument, NULL, O_STREAM },
		{ "partial", no_argument, NULL, O_PARTIAL },
		{ "allow-duplicate", no_argument, NULL, O_DUP },
		{ "csv", no_argument, NULL, O_CSV },
		{ "map", required_argument, NULL, O_MAP },
		{ "update", required_argument, NULL, O_UPDATE },
		{ "withdraw", required_argument, NULL, O_WITHDRAW },
		PS_CLI_TEXT_LONG("reason", O_REASON),
		{ "list", no_argument, NULL, O_LIST },
		{ "kind", required_argument, NULL, O_KIND },
		{ "status", required_argument, NULL, O_STATUS },
		{ "since", required_argument, NULL, O_SINCE },
		{ "erase", required_argument, NULL, O_ERASE },
		{ "yes", no_argument, NULL, O_YES },
		{ NULL, 0, NULL, 0 }
	};
	struct ps_intake_opts o = { 0 };
	struct ps_list_opts l = { 0 };
	const char *update = NULL, *withdraw = NULL, *bad;
	const char *erase = NULL;
	struct ps_erase_opts eo = { 0 };
	struct ps_store *s = NULL;
	struct ps_cli cli;
	int c, csv = 0, list = 0, yes = 0, rc, modes;

	ps_cli_init(&cli, "ps-apply", usage);
	while ((c = getopt_long(argc, argv, PS_CLI_SHORT, longopts,
	    NULL)) != -1) {
		if (ps_cli_option(&cli, c, optarg))
			continue;
		switch (c) {
		case O_AS: o.as = optarg; break;
		case O_STREAM: o.stream = l.stream = optarg; break;
		case O_PARTIAL: o.partial = 1; break;
		case O_DUP: o.allow_duplicate = 1; break;
		case O_CSV: csv = 1; break;
		case O_MAP: o.map = optarg; break;
		case O_UPDATE: update = optarg; break;
		case O_WITHDRAW: withdraw = optarg; break;
		case O_REASON:
		case O_REASON | PS_OPT_FILE:
			ps_cli_text(&cli, "reason", c, optarg);
			break;
		case O_LIST: list = 1; break;
		case O_KIND: l.kind = optarg; break;
		case O_STATUS: l.status = optarg; break;
		case O_SINCE: l.since = optarg; break;
		case O_ERASE: erase = optarg; break;
		case O_YES: yes = 1; break;
		}
	}
	o.files = argv + optind;
	o.nfiles = argc - optind;
	o.dry_run = cli.dry_run;
	o.summary = ps_cli_table(&cli);
	o.author = cli.author;
	modes = (update != NULL) + (withdraw != NULL) + (erase != NULL) +
	    list + csv;
	eo.dry_run = cli.dry_run;
	eo.author = cli.author;
	if (modes > 1)
		rc = ps_cli_usage(&cli, "--csv, --update, --withdraw, --erase and "
		    "--list go one at a time");
	else if (yes && erase == NULL)
		rc = ps_cli_usage(&cli, "--yes goes with --erase");
	else if (csv != (o.map != NULL))
		rc = ps_cli_usage(&cli, "--csv and --map go together");
	else if (csv && o.nfiles > 1)
		rc = ps_cli_usage(&cli, "--csv reads one file");
	else if (o.as && strcmp(o.as, "participant") != 0 &&
	    strcmp(o.as, "volunteer") != 0)
		rc = ps_cli_usage(&cli, "--as: participant or volunteer");
	else if (l.kind && strcmp(l.kind, "participant") != 0 &&
	    strcmp(l.kind, "volunteer") != 0)
		rc = ps_cli_usage(&cli, "--kind: participant or volunteer");
	else if ((withdraw != NULL) != (cli.texts.n > 0))
		rc = ps_cli_usage(&cli, "--withdraw needs --reason or "
		    "--reason-file");
	else if ((update && o.nfiles > 1) || ((withdraw || list || erase) &&
	    o.nfiles > 0))
		rc = ps_cli_usage(&cli, "too many operands");
	else if ((bad = update && !ps_id_valid(update) ? update : withdraw &&
	    !ps_id_valid(withdraw) ? withdraw : erase && !ps_id_valid(erase) ?
	    erase : NULL) != NULL)	/* refused as every tool refuses one */
		rc = ps_diag_err(&cli.diags, PS_REFUSED, "%.40s%s: not a record "
		    "ID (like P-7K3Q2X)", bad, strlen(bad) > 40 ? "..." : "");
	else if ((rc = ps_cli_texts(&cli, NULL)) != 0)
		;
	else if (erase && !yes && !cli.dry_run &&
	    (rc = confirm(&cli, erase)) != 0)
		;
	else if ((rc = ps_git_init(&cli.diags)) == 0 &&
	    (rc = ps_store_open(&s, cli.store, &cli.diags)) == 0 &&
	    (rc = ps_text_read(&cli.texts, ps_repo_gitdir(s),
	    &cli.diags)) == 0) {
		l.table = ps_cli_table(&cli);
		if (update)
			rc = ps_intake_update(s, update, o.nfiles ?
			    o.files[0] : NULL, &o, stdout, &cli.diags);
		else if (withdraw)
			rc = ps_intake_withdraw(s, withdraw,
			    ps_text_get(&cli.texts, "reason"), &o, stdout,
			    &cli.diags);
		else if (erase)
			rc = ps_erase(s, erase, &eo, stdout, &cli.diags);
		else if (list)
			rc = ps_intake_list(s, &l, stdout, &cli.diags);
		else
			rc = ps_intake(s, &o, stdout, &cli.diags);
	}
	ps_store_close(s);
	return ps_cli_exit(&cli, rc);
}
