/*
 * ps-screen: volunteer screening and participant onboarding steps,
 * decisions, leave and retirement, and who is waiting on what.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ops/cohort.h"
#include "ops/screenop.h"
#include "cli/cli.h"

static const char usage[] =
    "ps-screen [-n] [--author A] --step STEP --result pass|fail|pending|waived"
    "\n          [--date D] [--by NAME] [--note TEXT | --note-file FILE]"
    "\n          [--referee N] [--hours H] [--practicum-hours H]"
    " [--modules M,...]\n          [--certificate NUMBER] [--cohort NAME]"
    " [ID ...]\n"
    "ps-screen [-n] ID --decide accept|decline"
    " [--reason TEXT | --reason-file FILE]\n          [--by NAME]\n"
    "ps-screen [-n] ID --leave [--until D]"
    " [--reason TEXT | --reason-file FILE] |\n          --return |"
    " --retire [--reason TEXT | --reason-file FILE]\n"
    "ps-screen [-n] --cohort NAME --seats N [--starts D]\n"
    "ps-screen [-n] --cohort NAME [ID ...]\n"
    "ps-screen --pending [STEP] | --overdue | --expiring DAYS | --cohorts"
    " [--yaml | --table]";

enum {
	O_STEP = PS_OPT_TOOL, O_RESULT, O_DATE, O_BY, O_NOTE, O_REFEREE,
	O_HOURS, O_PRACTICUM, O_MODULES, O_CERT, O_DECIDE, O_REASON, O_LEAVE,
	O_UNTIL, O_RETURN, O_RETIRE, O_PENDING, O_OVERDUE, O_EXPIRING,
	O_COHORT, O_SEATS, O_STARTS, O_COHORTS
};

/* What ps-screen was asked beyond a step, a decision or service. */
enum { LIST_COHORTS = PS_LIST_EXPIRING + 1, DEFINE, ENROL };

static const struct option longopts[] = {
	PS_CLI_LONG,
	{ "step", required_argument, NULL, O_STEP },
	{ "result", required_argument, NULL, O_RESULT },
	{ "date", required_argument, NULL, O_DATE },
	{ "by", required_argument, NULL, O_BY },
	PS_CLI_TEXT_LONG("note", O_NOTE),
	{ "referee", required_argument, NULL, O_REFEREE },
	{ "hours", required_argument, NULL, O_HOURS },
	{ "practicum-hours", required_argument, NULL, O_PRACTICUM },
	{ "modules", required_argument, NULL, O_MODULES },
	{ "certificate", required_argument, NULL, O_CERT },
	{ "decide", required_argument, NULL, O_DECIDE },
	PS_CLI_TEXT_LONG("reason", O_REASON),
	{ "leave", no_argument, NULL, O_LEAVE },
	{ "until", required_argument, NULL, O_UNTIL },
	{ "return", no_argument, NULL, O_RETURN },
	{ "retire", no_argument, NULL, O_RETIRE },
	{ "pending", no_argument, NULL, O_PENDING },
	{ "overdue", no_argument, NULL, O_OVERDUE },
	{ "expiring", required_argument, NULL, O_EXPIRING },
	{ "cohort", required_argument, NULL, O_COHORT },
	{ "seats", required_argument, NULL, O_SEATS },
	{ "starts", required_argument, NULL, O_STARTS },
	{ "cohorts", no_argument, NULL, O_COHORTS },
	{ NULL, 0, NULL, 0 }
};

static int
number(const char *s, double *out)
{
	char *end;

	*out = strtod(s, &end);
	return *s && *end == '\0' && *out >= 0 && *out < 10000;
}

/*
 * Options into o and co; the list or cohort action wanted (or -1) into
 * *list.
 */
static int
parse(struct ps_cli *cli, int argc, char *argv[], struct ps_screen_opts *o,
    struct ps_cohort_opts *co, int *list, long *days)
{
	const char *decide = NULL, *bad = NULL;
	int c, actions = 0;
	double v;

	while ((c = getopt_long(argc, argv, PS_CLI_SHORT, longopts,
	    NULL)) != -1) {
		if (ps_cli_option(cli, c, optarg))
			continue;
		switch (c) {
		case O_STEP: o->step.step = optarg; actions++; break;
		case O_RESULT: o->step.result = optarg; break;
		case O_DATE: o->date = optarg; break;
		case O_BY: o->step.by = optarg; break;
		case O_NOTE:
		case O_NOTE | PS_OPT_FILE:
			ps_cli_text(cli, "note", c, optarg);
			break;
		case O_REFEREE:
			if (!number(optarg, &v) || v < 1 || v != (int)v)
				bad = "--referee: a number from 1";
			o->step.referee = (int)v;
			break;
		case O_HOURS:
			if (!number(optarg, &o->step.hours))
				bad = "--hours: a number of hours";
			break;
		case O_PRACTICUM:
			if (!number(optarg, &o->step.practicum_hours))
				bad = "--practicum-hours: a number of hours";
			break;
		case O_MODULES: o->step.modules = optarg; break;
		case O_CERT: o->step.certificate = optarg; break;
		case O_DECIDE: decide = optarg; actions++; break;
		case O_REASON:
		case O_REASON | PS_OPT_FILE:
			ps_cli_text(cli, "reason", c, optarg);
			break;
		case O_LEAVE: o->action = PS_SCREEN_LEAVE; actions++; break;
		case O_UNTIL: o->until = optarg; break;
		case O_RETURN: o->action = PS_SCREEN_RETURN; actions++; break;
		case O_RETIRE: o->action = PS_SCREEN_RETIRE; actions++; break;
		case O_PENDING: *list = PS_LIST_PENDING; actions++; break;
		case O_OVERDUE: *list = PS_LIST_OVERDUE; actions++; break;
		case O_EXPIRING:
			*list = PS_LIST_EXPIRING;
			actions++;
			if (!number(optarg, &v) || v != (long)v)
				bad = "--expiring: a number of days";
			*days = (long)v;
			break;
		case O_COHORT: co->name = o->step.cohort = optarg; break;
		case O_SEATS:
			if (!number(optarg, &v) || v < 1 || v != (long)v)
				bad = "--seats: a number from 1";
			co->seats = (long)v;
			break;
		case O_STARTS: co->starts = optarg; break;
		case O_COHORTS: *list = LIST_COHORTS; actions++; break;
		}
	}
	if ((co->seats || co->starts) && co->name == NULL)
		bad = "--seats and --starts need --cohort NAME";
	else if (co->name && o->step.step == NULL) {
		*list = co->seats || co->starts ? DEFINE : ENROL;
		actions++;
	}
	if (bad)
		return ps_cli_usage(cli, "%s", bad);
	if (actions != 1)
		return ps_cli_usage(cli, "give one of --step, --decide, --leave, "
		    "--return, --retire, --pending, --overdue, --expiring, "
		    "--cohort, --cohorts");
	if (decide) {
		if (strcmp(decide, "accept") && strcmp(decide, "decline"))
			return ps_cli_usage(cli, "--decide: accept or decline");
		o->action = decide[0] == 'a' ? PS_SCREEN_ACCEPT :
		    PS_SCREEN_DECLINE;
	}
	if (o->step.step && (o->step.result == NULL ||
	    (strcmp(o->step.result, "pass") && strcmp(o->step.result, "fail")
	    && strcmp(o->step.result, "pending") &&
	    strcmp(o->step.result, "waived"))))
		return ps_cli_usage(cli, "--step needs --result pass, fail, "
		    "pending or waived");
	return 0;
}

/* Record IDs from the operands, else stdin in a pipe, else the cohort. */
static int
read_ids(struct ps_cli *cli, int argc, char *argv[], struct ps_ids *ids,
    const char *cohort)
{
	int i, rc = 0;

	for (i = optind; i < argc && rc == 0; i++)
		rc = ps_ids_add(ids, argv[i], &cli->diags);
	if (rc == 0 && optind == argc && cohort == NULL &&
	    !isatty(STDIN_FILENO))
		rc = ps_ids_read(ids, STDIN_FILENO, "stdin", &cli->diags);
	if (rc == 0 && ids->n == 0 && cohort == NULL)
		rc = ps_cli_usage(cli, "no record IDs given");
	return rc;
}

static int
run(struct ps_store *s, struct ps_cli *cli, int list, long days,
    struct ps_ids *ids, struct ps_screen_opts *o, struct ps_cohort_opts *co,
    const char *operand)
{
	int rc;

	switch (list) {
	case -1:
		if (ids->n == 0 && (rc = ps_cohort_seated(s, co->name, ids,
		    &cli->diags)) != 0)
			return rc;
		if (co->name && ps_cohort_find(s->program, co->name) == NULL)
			return ps_diag_err(&cli->diags, PS_REFUSED, "no cohort "
			    "\"%s\"", co->name);
		return ps_screenop_apply(s, ids, o, stdout, &cli->diags);
	case LIST_COHORTS:
		return ps_cohort_list(s, ps_cli_table(cli), stdout,
		    &cli->diags);
	case DEFINE:
		return ps_cohort_define(s, co, stdout, &cli->diags);
	case ENROL:
		return ps_cohort_enrol(s, ids, co, stdout, &cli->diags);
	default:
		return ps_screenop_list(s, (enum ps_screenop_list)list, operand,
		    days, ps_cli_table(cli), stdout, &cli->diags);
	}
}

int
main(int argc, char *argv[])
{
	struct ps_screen_opts o = { 0 };
	struct ps_cohort_opts co = { 0 };
	struct ps_ids ids = PS_IDS_INIT;
	struct ps_store *s = NULL;
	struct ps_cli cli;
	long days = 0;
	int list = -1, rc;

	ps_cli_init(&cli, "ps-screen", usage);
	if ((rc = parse(&cli, argc, argv, &o, &co, &list, &days)) != 0)
		return ps_cli_exit(&cli, rc);
	co.author = o.author = cli.author;
	co.dry_run = o.dry_run = cli.dry_run;
	co.summary = o.summary = ps_cli_table(&cli);
	if (list != -1 && list != ENROL &&
	    argc - optind > (list == PS_LIST_PENDING))
		return ps_cli_exit(&cli, ps_cli_usage(&cli, "too many "
		    "operands"));
	/* the IDs come on stdin where no operand or cohort names them */
	if ((rc = ps_cli_texts(&cli, list == -1 && optind == argc &&
	    co.name == NULL ? "the record IDs" : NULL)) != 0)
		return ps_cli_exit(&cli, rc);
	if (list == -1 || list == ENROL)
		rc = read_ids(&cli, argc, argv, &ids, list == -1 ? co.name :
		    NULL);
	if (rc == 0 && o.action != PS_SCREEN_STEP && ids.n > 1)
		rc = ps_cli_usage(&cli, "one record at a time, please");
	if (rc == 0 && (rc = ps_git_init(&cli.diags)) == 0 &&
	    (rc = ps_store_open(&s, cli.store, &cli.diags)) == 0 &&
	    (rc = ps_text_read(&cli.texts, ps_repo_gitdir(s),
	    &cli.diags)) == 0) {
		o.step.note = ps_text_get(&cli.texts, "note");
		o.reason = ps_text_get(&cli.texts, "reason");
		rc = run(s, &cli, list, days, &ids, &o, &co,
		    optind < argc ? argv[optind] : NULL);
	}
	ps_store_close(s);
	ps_ids_release(&ids);
	return ps_cli_exit(&cli, rc);
}
