/*
 * ps-report: the board's report (from cron), of whole weeks, as of any
 * past date or commit, in text, Markdown, CSV, YAML or HTML; the
 * coordinator's working lists; a record's history; the records kept past
 * the retention rule.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ops/history.h"
#include "ops/render.h"
#include "ops/report.h"
#include "ops/retention.h"
#include "cli/cli.h"

static const char usage[] =
    "ps-report [--week last|this|YYYY-Www | --since D [--until D]]"
    " [--as-of DATE|COMMIT]\n"
    "          [--format text|md|csv|yaml|html] [--section NAME ...]"
    " [--no-suppress]\n"
    "ps-report --list NAME ... [--week last|this|YYYY-Www |"
    " --since D [--until D]]\n"
    "          [--as-of DATE|COMMIT] [--format text|md|csv|yaml|html]\n"
    "ps-report --history ID\n"
    "ps-report --retention [--yaml | --table]";

enum {
	O_WEEK = PS_OPT_TOOL, O_SINCE, O_UNTIL, O_FORMAT, O_SECTION, O_ASOF,
	O_HISTORY, O_NOSUPPRESS, O_RETENTION, O_LIST
};

static const struct option longopts[] = {
	PS_CLI_LONG,
	{ "week", required_argument, NULL, O_WEEK },
	{ "since", required_argument, NULL, O_SINCE },
	{ "until", required_argument, NULL, O_UNTIL },
	{ "format", required_argument, NULL, O_FORMAT },
	{ "section", required_argument, NULL, O_SECTION },
	{ "as-of", required_argument, NULL, O_ASOF },
	{ "history", required_argument, NULL, O_HISTORY },
	{ "no-suppress", no_argument, NULL, O_NOSUPPRESS },
	{ "retention", no_argument, NULL, O_RETENTION },
	{ "list", required_argument, NULL, O_LIST },
	{ NULL, 0, NULL, 0 }
};

static const char *const formats[] = { "text", "md", "csv", "yaml", "html",
    NULL };

/* The coordinator's working lists, and the section each is in. */
static const char *const lists[][2] = {
	{ "expiring", "screening" }, { "waiting", "matching" },
	{ "overdue", "onecall" }, { "ending", "active" },
	{ "stalled", "active" }, { "flagged", "safety" },
	{ "followups", "followup" }, { "changes", "audit" },
	{ "all", NULL },
};
#define NLISTS	(sizeof(lists) / sizeof(lists[0]))

struct args {
	struct ps_report_opts	 r;
	const char		*week, *since, *until, *history;
	int			 format, suppress, retention, others, nsec;
	char			 sections[256], lists[256];
};

/* Add name to a comma-separated list of at most 255 bytes (a name
   twice is no harm; the names are few and short). */
static void
add(char *list, const char *name)
{
	size_t n = strlen(list);

	if (n + strlen(name) + 2 <= 256)
		snprintf(list + n, 256 - n, "%s%s", n ? "," : "", name);
}

/* The period from --week or --since/--until, as days; 0 to default.
   Today is the programme's: ps-report works that out (this_week,
   to_today). */
static int
period(struct ps_cli *cli, struct args *a)
{
	struct ps_date dt;
	int y, w, wy, ww;

	if (a->week && a->since)
		return ps_cli_usage(cli, "give --week or --since, not both");
	if (a->r.board && a->week && strcmp(a->week, "this") == 0)
		return ps_cli_usage(cli, "--week this: the board's report is "
		    "of weeks that have ended; the week in progress is for "
		    "the coordinator (--no-suppress, --list)");
	if (a->r.board && a->since && !a->until)
		return ps_cli_usage(cli, "--since: the board's report needs "
		    "--until, a Sunday: it is of whole weeks that have ended");
	if (a->until && !a->since)
		return ps_cli_usage(cli, "--until goes with --since");
	if (a->since) {
		if (ps_date_parse(a->since, &dt) == -1)
			return ps_cli_usage(cli, "--since: a date, YYYY-MM-DD");
		a->r.from = ps_date_days(&dt);
		if (a->until == NULL)
			a->r.to_today = 1;
		else if (ps_date_parse(a->until, &dt) == -1)
			return ps_cli_usage(cli, "--until: a date, YYYY-MM-DD");
		else
			a->r.until = ps_date_days(&dt);
		if (a->until && a->r.until < a->r.from)
			return ps_cli_usage(cli, "--until is before --since");
		return 0;
	}
	if (a->week == NULL || strcmp(a->week, "last") == 0)
		return 0;
	if (strcmp(a->week, "this") == 0) {
		a->r.this_week = 1;
		return 0;
	}
	if (sscanf(a->week, "%4d-W%2d", &y, &w) != 2 ||
	    strlen(a->week) != 8 || w < 1 || w > 53 || y <= 1970)
		return ps_cli_usage(cli, "--week: last, this or YYYY-Www");
	a->r.from = ps_date_iso_week_start(y, w);
	ps_date_iso_week(a->r.from, &wy, &ww);
	if (wy != y || ww != w)	/* a week 53 the year does not have */
		return ps_cli_usage(cli, "--week: %d has no week %d", y, w);
	a->r.until = a->r.from + 6;
	return 0;
}

static int
parse(struct ps_cli *cli, int argc, char *argv[], struct args *a)
{
	int c, i;

	while ((c = getopt_long(argc, argv, PS_CLI_SHORT, longopts,
	    NULL)) != -1) {
		if (ps_cli_option(cli, c, optarg))
			continue;
		a->others += c != O_RETENTION;
		switch (c) {
		case O_WEEK: a->week = optarg; break;
		case O_SINCE: a->since = optarg; break;
		case O_UNTIL: a->until = optarg; break;
		case O_ASOF: a->r.as_of = optarg; break;
		case O_HISTORY: a->history = optarg; break;
		case O_NOSUPPRESS: a->suppress = 0; break;
		case O_LIST:
			for (i = 0; i < (int)NLISTS && strcmp(lists[i][0],
			    optarg); i++)
				;
			if (i == (int)NLISTS)
				return ps_cli_usage(cli, "--list: one of "
				    "waiting, expiring, overdue, ending, "
				    "stalled, flagged, followups, changes, "
				    "all");
			add(a->lists, optarg);
			for (; i < (int)NLISTS; i++)
				if (lists[i][1] && (strcmp(optarg, "all") == 0 ||
				    strcmp(optarg, lists[i][0]) == 0))
					add(a->sections, lists[i][1]);
			break;
		case O_RETENTION: a->retention = 1; break;
		case O_FORMAT:
			for (i = 0; formats[i] && strcmp(formats[i], optarg);
			    i++)
				;
			if (formats[i] == NULL)
				return ps_cli_usage(cli, "--format: text, md, "
				    "csv, yaml or html");
			a->format = i;
			break;
		case O_SECTION:
			for (i = 0; ps_report_keys[i] &&
			    strcmp(ps_report_keys[i], optarg); i++)
				;
			if (ps_report_keys[i] == NULL)
				return ps_cli_usage(cli, "--section: one of "
				    "intake, screening, matching, onecall, "
				    "active, activity, safety, followup, audit");
			add(a->sections, optarg);
			a->nsec++;
			break;
		}
	}
	if (optind < argc)
		return ps_cli_usage(cli, "too many operands");
	if (a->retention && a->others)
		return ps_cli_usage(cli, "--retention takes only -C, --yaml "
		    "and --table");
	if (a->lists[0] && (a->nsec || !a->suppress))
		return ps_cli_usage(cli, "--list takes no --section or "
		    "--no-suppress: a list is whole, and counts nothing");
	a->r.board = a->suppress && !a->lists[0];
	a->r.sections = a->sections[0] ? a->sections : NULL;
	a->r.charts = a->format == PS_FMT_HTML;
	return period(cli, a);
}

int
main(int argc, char *argv[])
{
	struct ps_render_opts ro;
	struct args a;
	struct ps_report *r = NULL;
	struct ps_store *s = NULL;
	struct ps_cli cli;
	int rc;

	memset(&a, 0, sizeof(a));
	a.suppress = 1;
	ps_cli_init(&cli, "ps-report", usage);
	if ((rc = parse(&cli, argc, argv, &a)) != 0)
		return ps_cli_exit(&cli, rc);
	if ((rc = ps_git_init(&cli.diags)) == 0 &&
	    (rc = ps_store_open(&s, cli.store, &cli.diags)) == 0) {
		if (a.retention)
			rc = ps_retention_list(s, ps_cli_table(&cli), stdout,
			    &cli.diags);
		else if (a.history)
			rc = ps_history_print(s, a.history, stdout,
			    &cli.diags);
		else if ((rc = ps_report_build(&r, s, &a.r, &cli.diags)) == 0) {
			ro.format = (enum ps_report_format)a.format;
			ro.suppress = a.suppress;
			ro.lists = a.lists[0] ? a.lists : NULL;
			if (ps_render_report(r, &ro, stdout) == -1)
				rc = ps_diag_nomem(&cli.diags);
		}
	}
	ps_report_free(r);
	ps_store_close(s);
	return ps_cli_exit(&cli, rc);
}
