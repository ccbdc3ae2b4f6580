/*
 * ps-log: log contacts, callbacks, volunteer hours, drop-in visits, group
 * sessions, feedback, risk flags and referrals; list contacts.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ops/log.h"
#include "cli/cli.h"

static const char usage[] =
    "ps-log [-n] M-ID --mode MODE --minutes N [--date D]"
    " [--note TEXT | --note-file FILE]\n"
    "       [--topic T] [--goal gN:none|some|achieved]"
    " [--flag risk|crisis|safeguarding\n"
    "       --referral R [--no-referral-reason TEXT |"
    " --no-referral-reason-file FILE]]\n"
    "ps-log [-n] --volunteer V-ID --activity A --hours H [--date D]\n"
    "       [--note TEXT | --note-file FILE]\n"
    "ps-log [-n] --dropin --minutes N [--topic T] [--by V-ID] [--date D]"
    " [--flag ...]\n"
    "ps-log [-n] --group G-ID --attendees N --facilitator V-ID --minutes N"
    " [--date D]\n"
    "ps-log [-n] --feedback P-ID|M-ID --helpfulness N [--empowerment N]"
    " [--isolation N]\n"
    "       [--coping N] [--distress N] [--comment TEXT | --comment-file FILE]"
    "\n       --followup yes|no\n"
    "ps-log [-n] M-ID --new-goal TEXT\n"
    "ps-log [-n] M-ID --new-goal-file FILE\n"
    "ps-log [-n] < ENTRIES\n"
    "ps-log --list [--since D] [--until D] [--match M-ID] [--volunteer V-ID]"
    " [--flagged]\n"
    "       [--yaml | --table]";

enum {
	O_MODE = PS_OPT_TOOL, O_MINUTES, O_DATE, O_NOTE, O_TOPIC, O_GOAL,
	O_FLAG, O_REFERRAL, O_NOREF, O_VOLUNTEER, O_ACTIVITY, O_HOURS,
	O_DROPIN, O_BY, O_GROUP, O_ATTENDEES, O_FACILITATOR, O_FEEDBACK,
	O_HELP, O_EMP, O_ISO, O_COPE, O_DIST, O_COMMENT, O_FOLLOWUP,
	O_NEWGOAL, O_LIST, O_SINCE, O_UNTIL, O_MATCH, O_FLAGGED
};

static const struct option longopts[] = {
	PS_CLI_LONG,
	{ "mode", required_argument, NULL, O_MODE },
	{ "minutes", required_argument, NULL, O_MINUTES },
	{ "date", required_argument, NULL, O_DATE },
	PS_CLI_TEXT_LONG("note", O_NOTE),
	{ "topic", required_argument, NULL, O_TOPIC },
	{ "goal", required_argument, NULL, O_GOAL },
	{ "flag", required_argument, NULL, O_FLAG },
	{ "referral", required_argument, NULL, O_REFERRAL },
	PS_CLI_TEXT_LONG("no-referral-reason", O_NOREF),
	{ "volunteer", required_argument, NULL, O_VOLUNTEER },
	{ "activity", required_argument, NULL, O_ACTIVITY },
	{ "hours", required_argument, NULL, O_HOURS },
	{ "dropin", no_argument, NULL, O_DROPIN },
	{ "by", required_argument, NULL, O_BY },
	{ "group", required_argument, NULL, O_GROUP },
	{ "attendees", required_argument, NULL, O_ATTENDEES },
	{ "facilitator", required_argument, NULL, O_FACILITATOR },
	{ "feedback", required_argument, NULL, O_FEEDBACK },
	{ "helpfulness", required_argument, NULL, O_HELP },
	{ "empowerment", required_argument, NULL, O_EMP },
	{ "isolation", required_argument, NULL, O_ISO },
	{ "coping", required_argument, NULL, O_COPE },
	{ "distress", required_argument, NULL, O_DIST },
	PS_CLI_TEXT_LONG("comment", O_COMMENT),
	{ "followup", required_argument, NULL, O_FOLLOWUP },
	PS_CLI_TEXT_LONG("new-goal", O_NEWGOAL),
	{ "list", no_argument, NULL, O_LIST },
	{ "since", required_argument, NULL, O_SINCE },
	{ "until", required_argument, NULL, O_UNTIL },
	{ "match", required_argument, NULL, O_MATCH },
	{ "flagged", no_argument, NULL, O_FLAGGED },
	{ NULL, 0, NULL, 0 }
};

/* Where an option's value goes in the entry; plain: a number or flag. */
static const struct {
	int		 opt;
	const char	*path;
	int		 plain;
} fields[] = {
	{ O_MODE, "mode", 0 }, { O_MINUTES, "minutes", 1 },
	{ O_DATE, "date", 1 },
	{ O_FLAG, "flag.type", 0 }, { O_REFERRAL, "flag.referral", 0 },
	{ O_VOLUNTEER, "volunteer", 0 }, { O_ACTIVITY, "activity", 0 },
	{ O_HOURS, "hours", 1 }, { O_BY, "volunteer", 0 },
	{ O_GROUP, "group", 0 }, { O_ATTENDEES, "attendees", 1 },
	{ O_FACILITATOR, "volunteer", 0 },
	{ O_HELP, "feedback.helpfulness", 1 },
	{ O_EMP, "feedback.outcomes.empowerment", 1 },
	{ O_ISO, "feedback.outcomes.isolation", 1 },
	{ O_COPE, "feedback.outcomes.coping", 1 },
	{ O_DIST, "feedback.outcomes.distress", 1 },
	{ 0, NULL, 0 }
};

/* The free-text options (text.h), and where their text goes in the
   entry; --new-goal's is a goal of the match. */
static const struct {
	int		 opt;
	const char	*name;
	const char	*path;
} texts[] = {
	{ O_NOTE, "note", "note" },
	{ O_NOREF, "no-referral-reason", "flag.no_referral_reason" },
	{ O_COMMENT, "comment", "feedback.comment" },
	{ O_NEWGOAL, "new-goal", NULL },
	{ 0, NULL, NULL }
};

/* Append v to the sequence at key, made if need be. */
static int
append(struct ps_node *e, const char *key, struct ps_node *v)
{
	struct ps_node *l = ps_node_get(e, key);

	if (v == NULL)
		return -1;
	if (l == NULL) {
		if (ps_node_map_set(e, key, ps_node_new_seq()) == -1)
			return -1;
		l = ps_node_get(e, key);
	}
	return ps_node_seq_append(l, v);
}

/* --goal g1:some into goals: [{id: g1, progress: some}]. */
static int
goal(struct ps_node *e, const char *arg)
{
	const char *colon = strchr(arg, ':');
	struct ps_node *g = ps_node_new_map(), *id;

	if (g == NULL || colon == NULL ||
	    (id = ps_node_new_scalar(arg, (size_t)(colon - arg))) == NULL ||
	    ps_node_map_set(g, "id", id) == -1 ||
	    ps_node_set_str(g, "progress", colon + 1) == -1) {
		ps_node_free(g);
		return -1;
	}
	return append(e, "goals", g);
}

struct parsed {
	struct ps_node		*e;	/* the entry from the options */
	int			 newgoal;
	int			 list;
	int			 given;	/* options that make an entry */
	struct ps_log_filter	 f;
};

static int
parse(struct ps_cli *cli, int argc, char *argv[], struct parsed *p)
{
	const char *bad = NULL;
	char *copy, *t, *next;
	int c, i, rc = 0;

	while ((c = getopt_long(argc, argv, PS_CLI_SHORT, longopts,
	    NULL)) != -1) {
		if (ps_cli_option(cli, c, optarg))
			continue;
		for (i = 0; texts[i].name && texts[i].opt !=
		    (c & ~PS_OPT_FILE); i++)
			;
		if (texts[i].name) {
			ps_cli_text(cli, texts[i].name, c, optarg);
			p->given += texts[i].path != NULL;
			p->newgoal |= texts[i].path == NULL;
			continue;
		}
		for (i = 0; fields[i].path && fields[i].opt != c; i++)
			;
		if (fields[i].path) {
			rc |= (fields[i].plain ? ps_node_set_plain :
			    ps_node_set_str)(p->e, fields[i].path, optarg);
			p->given += c != O_VOLUNTEER;	/* a --list filter too */
			continue;
		}
		switch (c) {
		case O_TOPIC:
			if ((copy = strdup(optarg)) == NULL)
				return ps_diag_nomem(&cli->diags);
			for (t = copy; t; t = next) {
				if ((next = strchr(t, ',')) != NULL)
					*next++ = '\0';
				if (*t)
					rc |= append(p->e, "topics",
					    ps_node_new_str(t));
			}
			free(copy);
			break;
		case O_GOAL:
			if (strchr(optarg, ':') == NULL)
				bad = "--goal: gN:none, gN:some or gN:achieved";
			else
				rc |= goal(p->e, optarg);
			break;
		case O_DROPIN:
			rc |= ps_node_set_str(p->e, "type", "dropin");
			p->given++;
			break;
		case O_FEEDBACK:
			rc |= ps_node_set_str(p->e, "type", "feedback") |
			    ps_node_set_str(p->e, optarg[0] == 'M' ? "match" :
			    "participant", optarg);
			p->given++;
			break;
		case O_FOLLOWUP:
			if (strcmp(optarg, "yes") && strcmp(optarg, "no"))
				bad = "--followup: yes or no";
			rc |= ps_node_set_plain(p->e,
			    "feedback.followup_consent", optarg[0] == 'y' ?
			    "true" : "false");
			break;
		case O_LIST: p->list = 1; break;
		case O_SINCE: p->f.since = optarg; break;
		case O_UNTIL: p->f.until = optarg; break;
		case O_MATCH: p->f.match = optarg; break;
		case O_FLAGGED: p->f.flagged = 1; break;
		}
	}
	if (rc)
		return ps_diag_nomem(&cli->diags);
	if (bad)
		return ps_cli_usage(cli, "%s", bad);
	if (p->list && (p->given || p->newgoal || optind < argc))
		return ps_cli_usage(cli, "--list takes only --since, --until, "
		    "--match, --volunteer and --flagged");
	if (!p->list && (p->f.since || p->f.until || p->f.match ||
	    p->f.flagged))
		return ps_cli_usage(cli, "--since, --until, --match and "
		    "--flagged go with --list");
	if (argc - optind > 1)
		return ps_cli_usage(cli, "one match at a time (a batch goes on "
		    "stdin)");
	if (p->newgoal && optind == argc)
		return ps_cli_usage(cli, "--new-goal needs the match: ps-log "
		    "M-ID --new-goal TEXT");
	if (optind < argc)
		rc = ps_node_set_str(p->e, "match", argv[optind]);
	if (p->list)
		p->f.volunteer = ps_node_get_str(p->e, "volunteer");
	if (rc)
		return ps_diag_nomem(&cli->diags);
	/* with nothing else on the command line, stdin holds a batch */
	return ps_cli_texts(cli, !p->list && !p->newgoal && p->e->n == 0 ?
	    "the entries to log (ps-log < ENTRIES)" : NULL);
}

/* The free texts read (from stdin, their files or the editor) into the
   entry; --new-goal's into *goal. */
static int
read_texts(struct ps_cli *cli, struct ps_store *s, struct parsed *p,
    const char **goal)
{
	const char *v;
	int i, rc;

	if ((rc = ps_text_read(&cli->texts, ps_repo_gitdir(s),
	    &cli->diags)) != 0)
		return rc;
	for (i = 0; texts[i].path; i++)
		if ((v = ps_text_get(&cli->texts, texts[i].name)) != NULL &&
		    ps_node_set_str(p->e, texts[i].path, v) == -1)
			return ps_diag_nomem(&cli->diags);
	*goal = ps_text_get(&cli->texts, "new-goal");
	return 0;
}

/* The staff name for logged_by: the name part of "Name <email>"; NULL
   when there is none (errno 0) or memory ran out (errno ENOMEM). */
static char *
staff(const char *author)
{
	const char *a = author ? author : getenv("PS_AUTHOR");
	const char *lt;

	errno = 0;
	if (a == NULL || (lt = strchr(a, '<')) == NULL || lt == a)
		return NULL;
	while (lt > a && lt[-1] == ' ')
		lt--;
	return strndup(a, (size_t)(lt - a));
}

int
main(int argc, char *argv[])
{
	struct parsed p = { NULL, 0, 0, 0, { NULL, NULL, NULL, NULL, 0 } };
	struct ps_log_opts o = { NULL, NULL, 0, NULL };
	struct ps_store *s = NULL;
	struct ps_cli cli;
	const char *goal = NULL;
	char *by = NULL;
	int rc;

	ps_cli_init(&cli, "ps-log", usage);
	if ((p.e = ps_node_new_map()) == NULL)
		return ps_cli_exit(&cli, ps_diag_nomem(&cli.diags));
	if ((rc = parse(&cli, argc, argv, &p)) != 0)
		goto done;
	o.author = cli.author;
	o.dry_run = cli.dry_run;
	o.summary = ps_cli_table(&cli);
	/* a record without logged_by for want of memory is refused */
	if ((o.by = by = staff(cli.author)) == NULL && errno == ENOMEM) {
		rc = ps_diag_nomem(&cli.diags);
		goto done;
	}
	if (!p.list && !p.newgoal && p.e->n == 0 && cli.texts.n == 0 &&
	    !isatty(STDIN_FILENO))
		o.source = "stdin";	/* entries read one at a time */
	else if (!p.list && !p.newgoal && p.e->n == 0 && cli.texts.n == 0)
		rc = ps_cli_usage(&cli, "nothing to log");
	if (rc == 0 && (rc = ps_git_init(&cli.diags)) == 0 &&
	    (rc = ps_store_open(&s, cli.store, &cli.diags)) == 0 &&
	    (rc = read_texts(&cli, s, &p, &goal)) == 0) {
		if (p.list)
			rc = ps_log_list(s, &p.f, ps_cli_table(&cli), stdout,
			    &cli.diags);
		else if (p.newgoal)
			rc = ps_log_goal(s, ps_node_get_str(p.e, "match"),
			    goal, &o, stdout, &cli.diags);
		else if (o.source)
			rc = ps_log_run_fd(s, STDIN_FILENO, &o, stdout,
			    &cli.diags);
		else
			rc = ps_log_run(s, &p.e, 1, &o, stdout, &cli.diags);
	}
done:
	free(by);
	ps_node_free(p.e);
	ps_store_close(s);
	return ps_cli_exit(&cli, rc);
}
