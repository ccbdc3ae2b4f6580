/*
 * ps-match: propose optimal, explained matches; candidate lists and a
 * participant's choice; OneCall callbacks; accept, decline, end, extend.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ops/matchop.h"
#include "cli/cli.h"

static const char usage[] =
    "ps-match [-n] [--stream S] [--weights FILE] [--commit] [ID ...]\n"
    "ps-match [-n] --commit < PROPOSALS\n"
    "ps-match --gaps [--stream S] [--weights FILE]\n"
    "ps-match --candidates K ID\n"
    "ps-match [-n] ID --choose V-ID\n"
    "ps-match --brief M-ID\n"
    "ps-match [-n] --accept M-ID [--by NAME]\n"
    "ps-match [-n] --decline M-ID --by participant|volunteer\n"
    "          [--reason TEXT | --reason-file FILE]\n"
    "ps-match [-n] --end M-ID --reason completed|participant-request|"
    "volunteer-request|\n"
    "          no-contact|not-a-fit|moved-on|other\n"
    "ps-match [-n] --extend M-ID --by DURATION\n"
    "ps-match --overdue [--yaml | --table]";

enum {
	O_STREAM = PS_OPT_TOOL, O_WEIGHTS, O_COMMIT, O_GAPS, O_CANDIDATES,
	O_CHOOSE, O_BRIEF, O_ACCEPT, O_DECLINE, O_END, O_EXTEND, O_BY,
	O_REASON, O_OVERDUE
};

static const struct option longopts[] = {
	PS_CLI_LONG,
	{ "stream", required_argument, NULL, O_STREAM },
	{ "weights", required_argument, NULL, O_WEIGHTS },
	{ "commit", no_argument, NULL, O_COMMIT },
	{ "gaps", no_argument, NULL, O_GAPS },
	{ "candidates", required_argument, NULL, O_CANDIDATES },
	{ "choose", required_argument, NULL, O_CHOOSE },
	{ "brief", required_argument, NULL, O_BRIEF },
	{ "accept", required_argument, NULL, O_ACCEPT },
	{ "decline", required_argument, NULL, O_DECLINE },
	{ "end", required_argument, NULL, O_END },
	{ "extend", required_argument, NULL, O_EXTEND },
	{ "by", required_argument, NULL, O_BY },
	PS_CLI_TEXT_LONG("reason", O_REASON),
	{ "overdue", no_argument, NULL, O_OVERDUE },
	{ NULL, 0, NULL, 0 }
};

static const char *const end_reasons[] = { "completed",
    "participant-request", "volunteer-request", "no-contact", "not-a-fit",
    "moved-on", "other", NULL };

/* "30d", "8w", "3m" (months of 30 days) or plain days; -1 if not one. */
static long
duration(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (end == s || n <= 0)
		return -1;
	if (*end == '\0' || strcmp(end, "d") == 0)
		return n <= 730 ? n : -1;
	if (strcmp(end, "w") == 0)
		return n <= 104 ? n * 7 : -1;
	if (strcmp(end, "m") == 0)
		return n <= 24 ? n * 30 : -1;
	return -1;
}

static int
set_action(struct ps_match_opts *o, enum ps_match_action a, const char *id,
    int *n)
{
	o->action = a;
	o->id = id;
	return ++*n;
}

/* Options into o; checks that they make sense together. */
static int
parse(struct ps_cli *cli, int argc, char *argv[], struct ps_match_opts *o)
{
	const char *k = NULL;
	int c, n = 0, i;

	while ((c = getopt_long(argc, argv, PS_CLI_SHORT, longopts,
	    NULL)) != -1) {
		if (ps_cli_option(cli, c, optarg))
			continue;
		switch (c) {
		case O_STREAM: o->stream = optarg; break;
		case O_WEIGHTS: o->weights = optarg; break;
		case O_COMMIT: o->commit = 1; break;
		case O_GAPS: set_action(o, PS_MATCH_GAPS, NULL, &n); break;
		case O_CANDIDATES:
			k = optarg;
			set_action(o, PS_MATCH_CANDIDATES, NULL, &n);
			break;
		case O_CHOOSE:
			o->volunteer = optarg;
			set_action(o, PS_MATCH_CHOOSE, NULL, &n);
			break;
		case O_BRIEF: set_action(o, PS_MATCH_BRIEF, optarg, &n); break;
		case O_ACCEPT: set_action(o, PS_MATCH_ACCEPT, optarg, &n); break;
		case O_DECLINE:
			set_action(o, PS_MATCH_DECLINE, optarg, &n);
			break;
		case O_END: set_action(o, PS_MATCH_END, optarg, &n); break;
		case O_EXTEND: set_action(o, PS_MATCH_EXTEND, optarg, &n); break;
		case O_BY: o->by = optarg; break;
		case O_REASON:
		case O_REASON | PS_OPT_FILE:
			ps_cli_text(cli, "reason", c, optarg);
			break;
		case O_OVERDUE: set_action(o, PS_MATCH_OVERDUE, NULL, &n); break;
		}
	}
	if (n > 1)
		return ps_cli_usage(cli, "give one of --gaps, --candidates, "
		    "--choose, --brief, --accept, --decline, --end, --extend, "
		    "--overdue");
	if (o->action == PS_MATCH_CANDIDATES || o->action == PS_MATCH_CHOOSE) {
		if (argc - optind != 1)
			return ps_cli_usage(cli, "give one participant ID");
		o->id = argv[optind++];
	}
	if (k && ((o->k = strtol(k, NULL, 10)) < 1 || o->k > 100 ||
	    strspn(k, "0123456789") != strlen(k)))
		return ps_cli_usage(cli, "--candidates: a number from 1 to 100");
	if (o->action == PS_MATCH_DECLINE && !(o->by &&
	    (strcmp(o->by, "participant") == 0 ||
	    strcmp(o->by, "volunteer") == 0)))
		return ps_cli_usage(cli, "--decline needs --by participant or "
		    "--by volunteer");
	if (o->action == PS_MATCH_END) {	/* a code, on the command line */
		o->reason = ps_text_argv(&cli->texts, "reason");
		for (i = 0; end_reasons[i]; i++)
			if (o->reason && strcmp(o->reason, end_reasons[i]) == 0)
				break;
		if (end_reasons[i] == NULL)
			return ps_cli_usage(cli, "--end needs --reason completed, "
			    "participant-request, volunteer-request, "
			    "no-contact, not-a-fit, moved-on or other");
	}
	if (o->action == PS_MATCH_EXTEND &&
	    (o->by == NULL || (o->days = duration(o->by)) < 0))
		return ps_cli_usage(cli, "--extend needs --by DURATION (days, "
		    "or like 4w or 3m)");
	if (o->action != PS_MATCH_PROPOSE && o->action != PS_MATCH_GAPS &&
	    optind < argc)
		return ps_cli_usage(cli, "too many operands");
	/* proposals, or IDs, come on stdin where no operand names one */
	return ps_cli_texts(cli, o->action == PS_MATCH_PROPOSE &&
	    optind == argc ? "the proposals or IDs" : NULL);
}

int
main(int argc, char *argv[])
{
	struct ps_match_opts o = { 0 };
	struct ps_ids ids = PS_IDS_INIT;
	struct ps_store *s = NULL;
	struct ps_cli cli;
	int rc, i;

	ps_cli_init(&cli, "ps-match", usage);
	if ((rc = parse(&cli, argc, argv, &o)) != 0)
		return ps_cli_exit(&cli, rc);
	o.author = cli.author;
	o.dry_run = cli.dry_run;
	o.table = ps_cli_table(&cli);
	for (i = optind; i < argc && rc == 0; i++)
		rc = ps_ids_add(&ids, argv[i], &cli.diags);
	/* A pipe: proposals to store, or participants to propose for. */
	if (rc == 0 && o.action == PS_MATCH_PROPOSE && optind == argc &&
	    !isatty(STDIN_FILENO)) {
		if (o.commit) {
			o.action = PS_MATCH_COMMIT;
			o.in_fd = STDIN_FILENO;
		} else
			rc = ps_ids_read(&ids, STDIN_FILENO, "stdin",
			    &cli.diags);
	}
	if (rc == 0 && (rc = ps_git_init(&cli.diags)) == 0 &&
	    (rc = ps_store_open(&s, cli.store, &cli.diags)) == 0 &&
	    (rc = ps_text_read(&cli.texts, ps_repo_gitdir(s),
	    &cli.diags)) == 0) {
		o.reason = ps_text_get(&cli.texts, "reason");
		rc = ps_matchop_run(s, &ids, &o, stdout, &cli.diags);
	}
	ps_store_close(s);
	ps_ids_release(&ids);
	return ps_cli_exit(&cli, rc);
}
