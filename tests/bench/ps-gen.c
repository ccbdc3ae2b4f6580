/*
 * ps-gen: write a synthetic but realistic store, for benchmarks.
 *
 *	ps-gen [--seed N] [--participants N] [--volunteers N] [--matches N]
 *	    [--contacts N] [--waiting N] [--active N] [--weeks N]
 *	    [--as-of YYYY-MM-DD] [--commits N] [--no-commit] DIR
 *
 * DIR is a store made by ps-init with the MS Society programme (streams
 * extended and onecall) and no records yet. ps-gen writes participants,
 * volunteers, matches and contacts straight into the work tree (not
 * through the tools: this is what makes a 100,000-record store take
 * seconds), every record built as a tree, checked against its schema and
 * written by the library's canonical writer, so ps-check finds nothing
 * wrong with it. All of it goes into git through git fast-import, then
 * one repack (one pack, no loose objects), with a fixed author: by default
 * one commit at noon on the --as-of day; with --commits N, a history of N
 * commits, the first on the day before the --weeks window and the others
 * evenly to the --as-of day, each at noon. A record enters the history
 * in the first commit on or after the day it was created (received,
 * proposed, the contact's day), already in its final form: each commit
 * holds the records that existed then, not their states at the time.
 *
 * The data is made up ("Gen000123", gen.p000123@example.org) but shaped
 * like a programme's: streams, roles, languages (mostly English, some
 * French), regions and their time zones, participants applied, onboarding,
 * waiting, matched, closed or withdrawn; volunteers screened step by step,
 * most active with a capacity of 1-3; matches active or ended (and OneCall
 * callbacks) naming existing people, never beyond a volunteer's capacity;
 * contacts over the --weeks before --as-of, about as many each day, in
 * contacts/YYYY/MM/DD/, with modes, minutes, topics, goals, feedback,
 * volunteer hours and a few risk flags with their referrals.
 *
 * For matching benchmarks, --waiting N adds N participants of the
 * extended stream waiting to be matched (onboarding call passed, received
 * over the last six months, no match), who require a volunteer of their
 * lived-experience role and most of their age and gender, and --active N
 * adds N volunteers free to take them: active, screening passed and in
 * date, capacity 1-3, no open match, three in four serving the extended
 * stream (the others OneCall only). Both are drawn and written after
 * everything else, so they leave the rest of the store as it was.
 *
 * Output depends only on the options: the same seed and sizes give the
 * same files, byte for byte (IDs included). Exit status: 0 done, 1 a
 * generated record failed its schema (a bug here), 2 usage, 3 I/O or git.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "util/buf.h"
#include "util/date.h"
#include "util/diag.h"
#include "util/id.h"
#include "model/node.h"
#include "model/record.h"
#include "model/schema.h"
#include "model/yaml.h"

/*
 * The people of --waiting and --active, in per cent: the volunteers who
 * serve both streams, the extended one only (the rest OneCall only), and
 * the participants who require a volunteer of their gender, of their age.
 */
#define SERVE_BOTH	45
#define SERVE_EXTENDED	30
#define WANT_GENDER	60
#define WANT_AGE	90

static const char usage[] =
    "usage: ps-gen [--seed N] [--participants N] [--volunteers N] "
    "[--matches N]\n"
    "              [--contacts N] [--waiting N] [--active N] [--weeks N]\n"
    "              [--as-of YYYY-MM-DD] [--commits N] [--no-commit] DIR\n";

enum { EXTENDED, ONECALL };
enum { LIVING, CAREGIVER, BOTH };
/* participant statuses */
enum { P_APPLIED, P_ONBOARDING, P_WAITING, P_MATCHED, P_CLOSED, P_WITHDRAWN };
/* volunteer statuses */
enum { V_APPLIED, V_SCREENING, V_ACTIVE, V_LEAVE, V_DECLINED, V_RETIRED };
/* match statuses */
enum { M_ACTIVE, M_ENDED, M_CB_OPEN, M_CB_DONE };

static const char *const roles[] = { "living-with", "caregiver", "both" };
static const char *const pstatus[] = { "applied", "onboarding", "waiting",
    "matched", "closed", "withdrawn" };
static const char *const vstatus[] = { "applied", "screening", "active",
    "on-leave", "declined", "retired" };
static const char *const streams[] = { "extended", "onecall" };

struct zone {
	const char	*name;
	int		 off;		/* standard time, minutes east of UTC */
	int		 dst;		/* North American daylight saving rule */
};

static const struct zone zones[] = {
	{ "America/Toronto", -300, 1 },
	{ "America/Vancouver", -480, 1 },
	{ "America/Edmonton", -420, 1 },
	{ "America/Winnipeg", -360, 1 },
	{ "America/Regina", -360, 0 },
	{ "America/Halifax", -240, 1 },
	{ "America/Moncton", -240, 1 },
	{ "America/St_Johns", -210, 1 },
	{ "America/Whitehorse", -420, 0 },
	{ "America/Yellowknife", -420, 1 },
};

struct region {
	const char	*code;
	int		 zone;
	int		 weight;	/* per mille of people */
	int		 french;	/* per cent French first */
	const char	*area[3];	/* telephone area codes */
};

static const struct region regions[] = {
	{ "ON", 0, 380, 4, { "416", "613", "905" } },
	{ "QC", 0, 220, 70, { "514", "418", "819" } },
	{ "BC", 1, 130, 2, { "604", "250", "778" } },
	{ "AB", 2, 110, 2, { "403", "780", "587" } },
	{ "MB", 3, 40, 5, { "204", "431", "204" } },
	{ "SK", 4, 30, 2, { "306", "639", "306" } },
	{ "NS", 5, 30, 4, { "902", "782", "902" } },
	{ "NB", 6, 25, 30, { "506", "506", "506" } },
	{ "NL", 7, 15, 1, { "709", "709", "709" } },
	{ "PE", 5, 10, 3, { "902", "782", "902" } },
	{ "YT", 8, 5, 3, { "867", "867", "867" } },
	{ "NT", 9, 5, 3, { "867", "867", "867" } },
};
#define NREGIONS (sizeof(regions) / sizeof(regions[0]))

static const char *const langs[] = { "en", "fr", "es", "pa", "zh", "ar",
    "it", "pt", "tl", "oj" };
#define NLANGS (sizeof(langs) / sizeof(langs[0]))

static const char *const topics[] = { "new-diagnosis", "employment",
    "relationships", "fatigue", "parenting", "mobility",
    "treatment-decisions", "mental-health", "symptoms", "finances",
    "isolation", "navigating-services", "exercise", "cognition",
    "caregiving", "caregiver-burnout", "family", "grief", "respite",
    "young-adults" };
#define NTOPICS (sizeof(topics) / sizeof(topics[0]))
#define FIRST_CARE_TOPIC 9	/* topics[9..] suit caregivers */

static const char *const slots[] = { "mon-am", "mon-pm", "mon-eve",
    "tue-am", "tue-pm", "tue-eve", "wed-am", "wed-pm", "wed-eve", "thu-am",
    "thu-pm", "thu-eve", "fri-am", "fri-pm", "fri-eve", "sat-am", "sat-pm",
    "sat-eve", "sun-am", "sun-pm", "sun-eve" };
#define NSLOTS (sizeof(slots) / sizeof(slots[0]))

static const char *const lasts[] = { "Tremblay", "Smith", "Roy", "Brown",
    "Gagnon", "Wilson", "Cote", "Martin", "Nguyen", "Singh", "Li", "Chen",
    "Bouchard", "Campbell", "Gauthier", "Anderson", "Morin", "Taylor",
    "Lavoie", "Patel", "Fortin", "Clarke", "Okafor", "Lindqvist" };
static const char *const genders[] = { "woman", "man", "non-binary" };
static const char *const staff[] = { "A. Carey", "J. Morin", "S. Patel",
    "R. Okafor" };
static const char *const modules[] = { "program-orientation",
    "active-listening", "boundaries-and-confidentiality",
    "referrals-and-crisis" };

static const char *const contexts[] = {
	"Diagnosed recently and would like to talk with someone who has "
	    "been through the first years.",
	"I would like to hear how others keep working with fatigue.",
	"My partner was diagnosed last year; I want to know how other "
	    "families manage.",
	"Looking for someone to talk to about treatment choices, not "
	    "medical advice.",
	"I feel isolated since I stopped working and would like a listening "
	    "ear.",
	"Je voudrais parler avec quelqu'un qui vit avec la SP depuis "
	    "longtemps.",
};
#define NCONTEXTS (sizeof(contexts) / sizeof(contexts[0]))	/* French last */
static const char *const summaries[] = {
	"Living with MS for over ten years; kept working part-time.",
	"Cared for my husband through his first years with MS.",
	"Diagnosed in my twenties; raised two kids since.",
	"Grew up with a parent living with MS.",
	"Progressive MS; uses a wheelchair and travels a lot.",
};
static const char *const goal_texts[] = {
	"Tell my manager about the diagnosis and ask for flexible hours.",
	"Find an exercise class I can keep up with.",
	"Plan one outing a week with friends.",
	"Ask about respite care one afternoon a week.",
	"Prepare questions for the next neurology appointment.",
};
static const char *const notes[] = {
	"Talked about managing fatigue at work; follow-up next week.",
	"Shared resources on local services; agreed to email a list.",
	"Mostly listened; a difficult week with the family.",
	"Discussed the upcoming appointment and what to ask.",
	"Good call; talked about exercise and pacing.",
	"Brief check-in; will talk again on Thursday.",
};
static const char *const flag_notes[] = {
	"Said things feel hopeless lately; no plan when asked.",
	"Very distressed during the call; stayed on the line until help came.",
	"Mentioned a worrying situation at home.",
};

struct person {
	char		 id[PS_ID_LEN + 1];
	unsigned char	 role, region, gender, nlang, lang[3];
	unsigned char	 stream;	/* participants */
	unsigned char	 streams;	/* volunteers: bit per stream */
	unsigned char	 status;
	unsigned char	 renews;	/* volunteers: checks never lapse */
	unsigned short	 birth;
	uint32_t	 topics, slots;
	long		 from, to;	/* volunteers: active; participants:
					   first proposal, or received */
	long		 received;
	int		 t_recv;	/* seconds into the received day */
	int		 capacity, open;
	long		 nmatch;
	long		 last;		/* participants: latest match, or -1 */
};

struct match {
	char		 id[PS_ID_LEN + 1];
	size_t		 p, v;
	unsigned char	 stream, status, reason, ngoals, extended;
	long		 proposed, accepted, ended;	/* days */
	int		 t_prop, t_acc, t_end;		/* seconds of the day */
};

struct opts {
	unsigned long	 seed;
	long		 participants, volunteers, matches, contacts, weeks;
	long		 waiting, active, commits;
	long		 asof;
	int		 commit;
	const char	*dir;
};

struct gen {
	struct opts		 o;
	uint64_t		 rng;
	struct ps_schemas	*schemas;
	struct person		*p, *v;
	struct match		*m;
	long			*holidays;
	size_t			 nholidays;
	uint64_t		*ids;		/* open-addressing set */
	size_t			 idcap;
	int			 zone;		/* the programme's */
	struct ps_buf		 path, text;
	struct ps_diags		 d;
	char			 lastdir[64];
	char			 head[256];	/* "ref: refs/heads/..." */
	FILE			*fi;		/* git fast-import's input */
	pid_t			 pid;
	long			 written[4];
	long			 day;		/* the record's creation day */
	/* the files written, for the commits: path, blob mark, commit */
	struct ps_buf		 paths;		/* NUL-terminated, one by one */
	size_t			*pathoff;
	uint32_t		*batch;
	size_t			 nfiles, capfiles;
};

static void __attribute__((format(printf, 2, 3), noreturn))
fail(int status, const char *fmt, ...)
{
	va_list ap;

	fputs("ps-gen: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static void *
need(void *p)
{
	if (p == NULL)
		fail(3, "out of memory");
	return p;
}

static void
ok(int rc)
{
	if (rc == -1)
		fail(3, "out of memory");
}

/* splitmix64: small, fast, and the same sequence everywhere. */
static uint64_t
rnd(struct gen *g)
{
	uint64_t z = (g->rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* 0 <= r < n */
static long
below(struct gen *g, long n)
{
	return n <= 1 ? 0 : (long)((rnd(g) >> 33) % (uint64_t)n);
}

/* lo <= r <= hi */
static long
between(struct gen *g, long lo, long hi)
{
	return hi <= lo ? lo : lo + below(g, hi - lo + 1);
}

static int
chance(struct gen *g, int percent)
{
	return below(g, 100) < percent;
}

#define PICK(g, a) ((a)[below((g), sizeof(a) / sizeof((a)[0]))])

/* A fresh ID from the seeded generator, never one already drawn. */
static void
new_id(struct gen *g, char out[PS_ID_LEN + 1], char letter)
{
	static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
	uint64_t key, r;
	size_t h;
	int i;

	for (;;) {
		r = rnd(g);
		out[0] = letter;
		out[1] = '-';
		for (i = 0; i < 6; i++)
			out[2 + i] = crockford[(r >> (5 * i)) & 31];
		out[PS_ID_LEN] = '\0';
		key = ((uint64_t)(unsigned char)letter << 32) | (r & 0x3fffffff);
		key++;				/* 0 marks a free slot */
		h = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) &
		    (g->idcap - 1);
		while (g->ids[h] != 0 && g->ids[h] != key)
			h = (h + 1) & (g->idcap - 1);
		if (g->ids[h] == 0) {
			g->ids[h] = key;
			return;
		}
	}
}

/* Daylight saving time in North America since 2007: from the second
   Sunday of March to the first Sunday of November (we never write a time
   between midnight and 4 am, so the hour of the change does not matter). */
static int
is_dst(long day)
{
	struct ps_date d, x;
	long start, end;

	ps_date_from_days(day, &d);
	x.y = d.y;
	x.m = 3;
	x.d = 1;
	start = ps_date_days(&x);
	start += (6 - ps_date_weekday(start)) % 7 + 7;
	x.m = 11;
	end = ps_date_days(&x);
	end += (6 - ps_date_weekday(end)) % 7;
	return day >= start && day < end;
}

/* "YYYY-MM-DDTHH:MM:SS-05:00": local time sec seconds into day in zone. */
/* Minutes east of UTC on a day in a zone. */
static int
zone_offset(long day, int zone)
{
	return zones[zone].off + (zones[zone].dst && is_dst(day) ? 60 : 0);
}

static const char *
stamp(char out[64], long day, int sec, int zone)
{
	struct ps_date d;
	int off = zone_offset(day, zone);

	ps_date_from_days(day, &d);
	snprintf(out, 64, "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d",
	    d.y, d.m, d.d, sec / 3600, sec / 60 % 60, sec % 60,
	    off < 0 ? '-' : '+', abs(off) / 60, abs(off) % 60);
	return out;
}

static const char *
day_str(char out[11], long day)
{
	ps_date_format(out, day);
	return out;
}

/* A time in office hours, 9:00 to 16:59. */
static int
office(struct gen *g)
{
	return (int)between(g, 9 * 3600, 17 * 3600 - 60) / 60 * 60;
}

static long
business_after(struct gen *g, long day, int n)
{
	return ps_date_add_business(day, n, 0x1f, g->holidays, g->nholidays);
}

/*
 * Building records. Keys may come in any order: the validator puts them
 * in schema order before the record is written.
 */
static struct ps_node *
map_new(void)
{
	return need(ps_node_new_map());
}

static struct ps_node *
seq_new(void)
{
	return need(ps_node_new_seq());
}

static void
put(struct ps_node *m, const char *key, struct ps_node *v)
{
	ok(ps_node_map_set(m, key, need(v)));
}

/*
 * A string, marked as typed quoted: that tells the validator it is text
 * (as a reader would for "..."), so it does not try null, boolean and
 * number first. The writer still quotes it only if a reader would misread
 * it. Dates, numbers and booleans are built plain.
 */
static struct ps_node *
str_new(const char *s)
{
	struct ps_node *n = need(ps_node_new_str(s));

	n->quoted = 1;
	return n;
}

static void
put_str(struct ps_node *m, const char *key, const char *s)
{
	put(m, key, str_new(s));
}

static void __attribute__((format(printf, 3, 4)))
put_num(struct ps_node *m, const char *key, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	put(m, key, ps_node_new_plain(tmp));
}

static void
put_bool(struct ps_node *m, const char *key, int b)
{
	put(m, key, ps_node_new_plain(b ? "true" : "false"));
}

static void
put_day(struct ps_node *m, const char *key, long day)
{
	char d[11];

	put(m, key, ps_node_new_plain(day_str(d, day)));
}

static void
put_stamp(struct ps_node *m, const char *key, long day, int sec, int zone)
{
	char t[64];

	put(m, key, ps_node_new_plain(stamp(t, day, sec, zone)));
}

static void
add(struct ps_node *seq, struct ps_node *v)
{
	ok(ps_node_seq_append(seq, need(v)));
}

static void
add_str(struct ps_node *seq, const char *s)
{
	add(seq, str_new(s));
}

/* Points as a number: two decimals at most, no trailing zeros. */
static void
put_points(struct ps_node *m, const char *key, double x)
{
	char tmp[32], *e;

	snprintf(tmp, sizeof(tmp), "%.2f", x);
	e = tmp + strlen(tmp) - 1;
	while (*e == '0')
		*e-- = '\0';
	if (*e == '.')
		*e = '\0';
	put(m, key, ps_node_new_plain(strcmp(tmp, "-0") == 0 ? "0" : tmp));
}

static struct ps_node *
status_change(const char *status, long day, int sec, int zone, const char *by)
{
	struct ps_node *c = map_new();
	char t[64];

	put_str(c, "status", status);
	put(c, "date", ps_node_new_plain(stamp(t, day, sec, zone)));
	put_str(c, "by", by);
	return c;
}

static struct ps_node *
consent(const char *type, long day, const char *method)
{
	struct ps_node *c = map_new();
	struct ps_date d;
	char v[16];

	ps_date_from_days(day, &d);
	snprintf(v, sizeof(v), "%04d-01", d.y);
	put_str(c, "type", type);
	put_str(c, "version", v);
	put_day(c, "date", day);
	put_bool(c, "given", 1);
	put_str(c, "method", method);
	return c;
}

static void
mkdirs(struct gen *g, const char *rel)
{
	char tmp[512], c;
	size_t i;

	snprintf(tmp, sizeof(tmp), "%s/%s", g->o.dir, rel);
	for (i = strlen(g->o.dir) + 1;; i++) {
		if (tmp[i] != '/' && tmp[i] != '\0')
			continue;
		c = tmp[i];
		tmp[i] = '\0';
		if (mkdir(tmp, 0700) == -1 && errno != EEXIST)
			fail(3, "cannot create %s: %s", tmp, strerror(errno));
		if ((tmp[i] = c) == '\0')
			break;
	}
}

/* Start argv; with in, its standard input is a pipe we write to. */
static pid_t
spawn(const char *const argv[], int *in)
{
	int fd[2] = { -1, -1 };
	pid_t pid;

	fflush(NULL);
	if (in && pipe(fd) == -1)
		fail(3, "cannot make a pipe: %s", strerror(errno));
	if ((pid = fork()) == -1)
		fail(3, "cannot fork: %s", strerror(errno));
	if (pid == 0) {
		if (in) {
			dup2(fd[0], 0);
			close(fd[0]);
			close(fd[1]);
		}
		execvp(argv[0], (char *const *)argv);
		fprintf(stderr, "ps-gen: cannot run %s: %s\n", argv[0],
		    strerror(errno));
		_exit(127);
	}
	if (in) {
		close(fd[0]);
		*in = fd[1];
	}
	return pid;
}

static void
reap(struct gen *g, pid_t pid, const char *what)
{
	int st;

	if (waitpid(pid, &st, 0) == -1 || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0)
		fail(3, "git %s failed in %s", what, g->o.dir);
}

/*
 * The store's history, streamed to git fast-import: each file as a blob
 * while it is written, then the commits, each adding the files created
 * up to its day. One pack, no loose objects, so the store looks like one
 * that has lived a while (and a later commit does not start an automatic
 * gc), in seconds where git add and gc take half a minute. A fixed author,
 * at noon in the programme's zone on each commit's day; no hook (every
 * record was checked here). import_end() then repacks, as git gc would
 * have: fast-import makes each blob a delta of the one before it in the
 * stream, in chains 50 deep, and reading records back in another order
 * then costs tens of inflates each (a weekly report of a million contacts
 * took twice as long); and it brings the index up to the last commit.
 */
static void
import_begin(struct gen *g)
{
	const char *argv[] = { "git", "-C", g->o.dir, "fast-import",
	    "--quiet", NULL };
	char path[512], *nl;
	FILE *f;
	int fd;

	snprintf(path, sizeof(path), "%s/.git/HEAD", g->o.dir);
	if ((f = fopen(path, "r")) == NULL ||
	    fgets(g->head, sizeof(g->head), f) == NULL ||
	    strncmp(g->head, "ref: refs/heads/", 16) != 0)
		fail(3, "%s: cannot tell the store's branch", path);
	fclose(f);
	if ((nl = strchr(g->head, '\n')) != NULL)
		*nl = '\0';
	signal(SIGPIPE, SIG_IGN);	/* a dead fast-import: reap() says so */
	g->pid = spawn(argv, &fd);
	if ((g->fi = fdopen(fd, "w")) == NULL)
		fail(3, "out of memory");
	setvbuf(g->fi, NULL, _IOFBF, 1 << 20);
}

/* The day before the --weeks window: the first commit of a history. */
static long
window_start(const struct gen *g)
{
	return g->o.asof - 7 * g->o.weeks;
}

/* Commit k's day: the first on window_start(), the last on --as-of. */
static long
commit_day(const struct gen *g, long k)
{
	long S = window_start(g), N = g->o.commits;

	return N <= 1 ? g->o.asof : S + k * (g->o.asof - S) / (N - 1);
}

/* The first commit on or after day: the one a file created then joins. */
static uint32_t
commit_of(const struct gen *g, long day)
{
	long S = window_start(g), N = g->o.commits, k;

	if (N <= 1 || day <= S)
		return 0;
	k = ((day - S) * (N - 1) + (g->o.asof - S) - 1) / (g->o.asof - S);
	return (uint32_t)(k >= N ? N - 1 : k);
}

static void
import_file(struct gen *g, const char *path, const char *text, size_t len)
{
	if (g->nfiles == g->capfiles) {
		g->capfiles = g->capfiles ? 2 * g->capfiles : 4096;
		g->pathoff = need(reallocarray(g->pathoff, g->capfiles,
		    sizeof(*g->pathoff)));
		g->batch = need(reallocarray(g->batch, g->capfiles,
		    sizeof(*g->batch)));
	}
	g->pathoff[g->nfiles] = g->paths.len;
	ok(ps_buf_add(&g->paths, path, strlen(path) + 1));
	g->batch[g->nfiles] = commit_of(g, g->day);
	g->nfiles++;
	fprintf(g->fi, "blob\nmark :%zu\ndata %zu\n", g->nfiles, len);
	fwrite(text, 1, len, g->fi);
	fputc('\n', g->fi);
}

static void
import_commit(struct gen *g, long k, const size_t *files, size_t n)
{
	char msg[512], day[11];
	long long when;
	long D = commit_day(g, k);
	size_t i;
	int off, len;

	off = zone_offset(D, g->zone);
	when = (long long)D * 86400 + 12 * 3600 - off * 60;
	if (k == g->o.commits - 1)
		len = snprintf(msg, sizeof(msg), "ps-gen: synthetic store "
		    "(seed %lu)\n\n%ld participants, %ld volunteers, %ld "
		    "matches, %ld contacts\nover %ld weeks to %s.\n\n"
		    "Ps-Tool: ps-gen\n", g->o.seed, g->o.participants +
		    g->o.waiting, g->o.volunteers + g->o.active, g->o.matches,
		    g->o.contacts, g->o.weeks, day_str(day, g->o.asof));
	else
		len = snprintf(msg, sizeof(msg), "ps-gen: history to %s "
		    "(%ld of %ld)\n\nPs-Tool: ps-gen\n", day_str(day, D),
		    k + 1, g->o.commits);
	fprintf(g->fi, "commit %s\n", g->head + 5);
	fprintf(g->fi, "author ps-gen <ps-gen@example.invalid> %lld "
	    "%c%02d%02d\n", when, off < 0 ? '-' : '+', abs(off) / 60,
	    abs(off) % 60);
	fprintf(g->fi, "committer ps-gen <ps-gen@example.invalid> %lld "
	    "%c%02d%02d\n", when, off < 0 ? '-' : '+', abs(off) / 60,
	    abs(off) % 60);
	fprintf(g->fi, "data %d\n%s\n", len, msg);
	if (k == 0)
		fprintf(g->fi, "from %s^0\n", g->head + 5);
	for (i = 0; i < n; i++)
		fprintf(g->fi, "M 100644 :%zu %s\n", files[i] + 1,
		    g->paths.s + g->pathoff[files[i]]);
	fputc('\n', g->fi);
}

static void
import_end(struct gen *g)
{
	const char *reset[] = { "git", "-C", g->o.dir, "reset", "-q", NULL };
	const char *repack[] = { "git", "-C", g->o.dir, "repack", "-adfq",
	    NULL };
	size_t *first, *order, i;
	long k, N = g->o.commits;

	/* the files by commit, in the order written */
	first = need(calloc((size_t)N + 1, sizeof(*first)));
	order = need(calloc(g->nfiles + 1, sizeof(*order)));
	for (i = 0; i < g->nfiles; i++)
		first[g->batch[i] + 1]++;
	for (k = 0; k < N; k++)
		first[k + 1] += first[k];
	for (i = 0; i < g->nfiles; i++)
		order[first[g->batch[i]]++] = i;
	for (k = N; k > 0; k--)		/* back to where each starts */
		first[k] = first[k - 1];
	first[0] = 0;
	for (k = 0; k < N; k++)
		import_commit(g, k, order + first[k], first[k + 1] - first[k]);
	free(first);
	free(order);
	if (fclose(g->fi) == EOF)
		fail(3, "git fast-import: %s", strerror(errno));
	g->fi = NULL;
	reap(g, g->pid, "fast-import");
	reap(g, spawn(repack, NULL), "repack");
	reap(g, spawn(reset, NULL), "reset");
}

/* Check a record against its schema, then write its canonical text. */
static void
emit(struct gen *g, struct ps_node *rec, int kind)
{
	char file[512], *slash;
	size_t dlen;
	int fd;

	if (ps_record_path(rec, &g->path) == -1)
		fail(1, "generated a record without a store path");
	if (ps_record_check(g->schemas, rec, g->path.s, &g->d) > 0) {
		ps_diags_print(&g->d, "ps-gen", stderr);
		fail(1, "generated an invalid record (a bug in ps-gen)");
	}
	ps_buf_truncate(&g->text, 0);
	ok(ps_yaml_write(&g->text, rec));
	slash = strrchr(g->path.s, '/');
	dlen = (size_t)(slash - g->path.s);
	if (dlen >= sizeof(g->lastdir) || strncmp(g->lastdir, g->path.s,
	    dlen) != 0 || g->lastdir[dlen] != '\0') {
		*slash = '\0';
		mkdirs(g, g->path.s);
		snprintf(g->lastdir, sizeof(g->lastdir), "%s", g->path.s);
		*slash = '/';
	}
	snprintf(file, sizeof(file), "%s/%s", g->o.dir, g->path.s);
	if ((fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1)
		fail(3, "cannot create %s: %s", file, strerror(errno));
	if (write(fd, g->text.s, g->text.len) != (ssize_t)g->text.len ||
	    close(fd) == -1)
		fail(3, "cannot write %s: %s", file, strerror(errno));
	if (g->fi)
		import_file(g, g->path.s, g->text.s, g->text.len);
	ps_node_free(rec);
	g->written[kind]++;
}

/*
 * People: what participants and volunteers share, drawn before any
 * record is written so that matches can look at both sides.
 */
static void
person_traits(struct gen *g, struct person *x, int volunteer)
{
	long r = below(g, 1000), acc = 0;
	int i, n, other;

	for (i = 0; i < (int)NREGIONS - 1; i++)
		if ((acc += regions[i].weight) > r)
			break;
	x->region = (unsigned char)i;
	r = below(g, 100);
	x->role = r < (volunteer ? 65 : 60) ? LIVING : r < 95 ? CAREGIVER :
	    BOTH;
	r = below(g, 100);
	x->gender = r < 62 ? 0 : r < 97 ? 1 : 2;
	x->birth = (unsigned short)between(g, 1945, 2004);
	x->nlang = 0;
	if (chance(g, regions[x->region].french)) {
		x->lang[x->nlang++] = 1;
		if (chance(g, volunteer ? 70 : 45))
			x->lang[x->nlang++] = 0;
	} else {
		other = (int)between(g, 2, NLANGS - 1);
		if (chance(g, 2))
			x->lang[x->nlang++] = (unsigned char)other;
		x->lang[x->nlang++] = 0;
		if (x->nlang == 1 && chance(g, 8))
			x->lang[x->nlang++] = chance(g, 50) ? 1 :
			    (unsigned char)other;
	}
	x->topics = 0;
	n = (int)between(g, volunteer ? 2 : 1, volunteer ? 5 : 3);
	for (i = 0; i < n; i++) {
		if (x->role == CAREGIVER)
			x->topics |= 1u << between(g, FIRST_CARE_TOPIC,
			    NTOPICS - 1);
		else
			x->topics |= 1u << below(g, FIRST_CARE_TOPIC + 5);
	}
	x->slots = 0;
	n = (int)between(g, 2, volunteer ? 6 : 4);
	for (i = 0; i < n; i++)
		x->slots |= 1u << below(g, NSLOTS);
	x->last = -1;
	x->t_recv = (int)between(g, 7 * 3600, 23 * 3600);
}

static void
put_common(struct gen *g, struct ps_node *rec, const struct person *x,
    const char *first, const char *email, long idx)
{
	const struct region *rg = &regions[x->region];
	struct ps_node *n, *c, *l;
	char tmp[64];
	int i;

	n = map_new();
	put_str(n, "first", first);
	put_str(n, "last", PICK(g, lasts));
	put(rec, "name", n);
	c = map_new();
	put_str(c, "email", email);
	if (chance(g, 85)) {
		snprintf(tmp, sizeof(tmp), "+1 %s 555 %04ld",
		    rg->area[below(g, 3)], idx % 10000);
		put_str(c, "phone", tmp);
	}
	l = seq_new();
	add_str(l, chance(g, 60) ? "phone" : "email");
	if (chance(g, 40))
		add_str(l, strcmp(l->vals[0]->str, "phone") ? "phone" :
		    "video");
	put(c, "preferred_modes", l);
	if (chance(g, 20))
		put_str(c, "best_times", PICK(g, ((const char *const []){
		    "Weekday evenings", "Mornings before 10",
		    "Lunch time, 12 to 1", "Any time on weekends" })));
	put(rec, "contact", c);
	put_num(rec, "birth_year", "%u", x->birth);
	if (chance(g, 95))
		put_str(rec, "gender", genders[x->gender]);
	l = seq_new();
	for (i = 0; i < x->nlang; i++)
		add_str(l, langs[x->lang[i]]);
	put(rec, "languages", l);
	put_str(rec, "region", rg->code);
	put_str(rec, "timezone", zones[rg->zone].name);
	l = seq_new();
	for (i = 0; i < (int)NTOPICS; i++)
		if (x->topics & (1u << i))
			add_str(l, topics[i]);
	put(rec, "topics", l);
	l = seq_new();
	for (i = 0; i < (int)NSLOTS; i++)
		if (x->slots & (1u << i))
			add_str(l, slots[i]);
	put(rec, "availability", l);
}

/* Volunteers: status and active period, before matches are drawn. */
static void
plan_volunteers(struct gen *g)
{
	long i, r, A = g->o.asof;
	struct person *v;

	for (i = 0; i < g->o.volunteers; i++) {
		v = &g->v[i];
		new_id(g, v->id, 'V');
		person_traits(g, v, 1);
		r = below(g, 100);
		v->status = r < 75 ? V_ACTIVE : r < 83 ? V_SCREENING :
		    r < 87 ? V_APPLIED : r < 92 ? V_LEAVE : r < 97 ?
		    V_RETIRED : V_DECLINED;
		r = below(g, 100);
		v->streams = r < 55 ? 3 : r < 85 ? 1 : 2;
		v->capacity = v->status == V_ACTIVE ? (int)between(g, 1, 3) : 0;
		switch (v->status) {
		case V_ACTIVE:
			v->from = between(g, A - 5 * 365, A - 20);
			v->to = A;
			break;
		case V_LEAVE:
			v->from = between(g, A - 4 * 365, A - 200);
			v->to = between(g, A - 90, A - 1);	/* leave starts */
			break;
		case V_RETIRED:
			v->from = between(g, A - 6 * 365, A - 3 * 365);
			v->to = between(g, v->from + 365, A - 30);
			break;
		case V_SCREENING:
			v->received = between(g, A - 60, A - 5);
			v->from = v->to = -1;
			break;
		case V_APPLIED:
			v->received = between(g, A - 10, A);
			v->from = v->to = -1;
			break;
		default:
			v->received = between(g, A - 2 * 365, A - 30);
			v->from = v->to = -1;
		}
		if (v->from >= 0)
			v->received = v->from - between(g, 40, 80);
	}
}

static int
shares_language(const struct person *a, const struct person *b)
{
	int i, j;

	for (i = 0; i < a->nlang; i++)
		for (j = 0; j < b->nlang; j++)
			if (a->lang[i] == b->lang[j])
				return 1;
	return 0;
}

/*
 * A volunteer for a match of participant p in stream s over [lo, hi]
 * (days the match must fit in: the volunteer active all along), with a
 * free place when the match is open. A few tries for a shared language
 * and role, then anyone suitable; -1 if nobody.
 */
static long
pick_volunteer(struct gen *g, const struct person *p, int s, long lo,
    long hi, int open)
{
	long i, tries, best = -1;
	struct person *v;

	if (g->o.volunteers == 0)
		return -1;
	for (tries = 0; tries < 40; tries++) {
		i = below(g, g->o.volunteers);
		v = &g->v[i];
		if (v->from < 0 || !(v->streams & (1 << s)) || v->from > lo ||
		    v->to < hi || (open && (v->status != V_ACTIVE ||
		    v->open >= v->capacity)))
			continue;
		if (shares_language(p, v) && (tries > 20 || v->role == p->role))
			return i;
		if (best == -1)
			best = i;
	}
	if (best != -1 || open)
		return best;
	/* old matches of people with many: anyone who ever volunteered */
	for (tries = 0, i = below(g, g->o.volunteers); tries <
	    g->o.volunteers; tries++, i = (i + 1) % g->o.volunteers)
		if (g->v[i].from >= 0 && (g->v[i].streams & (1 << s)))
			return i;
	return -1;
}

static int
bits(uint32_t x)
{
	return __builtin_popcount(x);
}

/*
 * Matches: the latest for each participant first (active, ended or a
 * callback), then, when there are more matches than participants, older
 * ended ones before it.
 */
static void
plan_matches(struct gen *g)
{
	long j, k, A = g->o.asof, vi, tries, lo, hi, len;
	long nprimary = g->o.matches < g->o.participants ? g->o.matches :
	    g->o.participants;
	long *perm;
	struct person *p;
	struct match *m;
	int r;

	perm = need(calloc((size_t)g->o.participants + 1, sizeof(*perm)));
	for (j = 0; j < g->o.participants; j++)
		perm[j] = j;
	for (j = g->o.participants - 1; j > 0; j--) {
		k = below(g, j + 1);
		lo = perm[j];
		perm[j] = perm[k];
		perm[k] = lo;
	}
	for (j = 0; j < g->o.matches; j++) {
		m = &g->m[j];
		new_id(g, m->id, 'M');
		m->p = (size_t)perm[j % g->o.participants];
		p = &g->p[m->p];
		m->ngoals = (unsigned char)between(g, 0, 3);
		m->t_prop = office(g);
		m->t_acc = office(g);
		m->t_end = office(g);
		if (j < nprimary) {
			r = (int)below(g, 100);
			p->stream = r < 80 ? EXTENDED : ONECALL;
			m->stream = p->stream;
			r = (int)below(g, 100);
			if (m->stream == EXTENDED)
				m->status = r < 30 ? M_ACTIVE : M_ENDED;
			else
				m->status = r < 8 ? M_CB_OPEN : M_CB_DONE;
		} else {
			m->stream = p->stream;
			m->status = m->stream == EXTENDED ? M_ENDED : M_CB_DONE;
		}
		for (tries = 0, vi = -1; vi == -1 && tries < 50; tries++) {
			int open = m->status == M_ACTIVE ||
			    m->status == M_CB_OPEN;

			if (tries == 25 && open)	/* no free place */
				m->status = m->stream == EXTENDED ? M_ENDED :
				    M_CB_DONE;
			switch (m->status) {
			case M_ACTIVE:
				m->accepted = between(g, A - 175, A - 1);
				m->ended = A;
				break;
			case M_ENDED:
				r = (int)below(g, 100);
				m->reason = r < 60 ? 0 : (unsigned char)
				    between(g, 1, 6);
				len = m->reason == 0 ? 183 : between(g, 20, 150);
				m->extended = m->reason == 0 && chance(g, 15);
				if (m->extended)
					len += 60;
				hi = j < nprimary ? A - 1 - len :
				    p->from - 7 - len;
				m->accepted = between(g, j < nprimary ?
				    hi - 3 * 365 : hi - 120, hi);
				m->ended = m->accepted + len;
				break;
			case M_CB_OPEN:
				m->accepted = between(g, A - 3, A);
				m->ended = A;
				break;
			default:
				hi = j < nprimary ? A - 4 : p->from - 7;
				m->accepted = between(g, j < nprimary ?
				    hi - 2 * 365 : hi - 120, hi);
				m->ended = business_after(g, m->accepted,
				    (int)between(g, 0, 4));
				if (m->ended > A)
					m->ended = A;
			}
			vi = pick_volunteer(g, p, m->stream, m->accepted,
			    m->ended, open && tries < 25);
		}
		if (vi == -1)
			fail(2, "cannot find volunteers for every match: give "
			    "more --volunteers");
		m->v = (size_t)vi;
		if (m->status == M_ACTIVE || m->status == M_CB_OPEN)
			g->v[vi].open++;
		m->proposed = m->stream == EXTENDED ? m->accepted -
		    between(g, 0, 3) : m->accepted;
		if (j < nprimary)
			p->last = j;
		p->from = m->proposed;
		p->nmatch++;
		p->received = m->stream == EXTENDED ? m->proposed -
		    between(g, 7, 60) : m->proposed - between(g, 0, 2);
	}
	free(perm);
}

/* Participants with no match: waiting lists, withdrawals, new ones. */
static void
plan_participants(struct gen *g)
{
	long i, A = g->o.asof, age;
	struct person *p;
	int r;

	for (i = 0; i < g->o.participants; i++) {
		p = &g->p[i];
		if (p->last >= 0) {
			switch (g->m[p->last].status) {
			case M_ACTIVE:
				p->status = P_MATCHED;
				break;
			case M_CB_OPEN:
				p->status = P_WAITING;
				break;
			default:
				p->status = P_CLOSED;
				p->to = g->m[p->last].ended;
			}
			continue;
		}
		p->stream = chance(g, 85) ? EXTENDED : ONECALL;
		p->received = between(g, A - 2 * 365, A);
		age = A - p->received;
		r = (int)below(g, 100);
		if (p->stream == ONECALL)
			p->status = age <= 3 ? P_WAITING : r < 70 ?
			    P_WITHDRAWN : P_CLOSED;
		else if (age <= 7)
			p->status = r < 50 ? P_APPLIED : P_ONBOARDING;
		else if (age <= 21)
			p->status = r < 30 ? P_ONBOARDING : P_WAITING;
		else if (age <= 150)
			p->status = r < 70 ? P_WAITING : r < 90 ?
			    P_WITHDRAWN : P_CLOSED;
		else	/* a long wait is rare: most gave up or were closed */
			p->status = r < 5 ? P_WAITING : r < 70 ?
			    P_WITHDRAWN : P_CLOSED;
		p->to = between(g, p->received + 1, A);
	}
}

/*
 * For matching: --active volunteers free to take new participants, and
 * --waiting participants of the extended stream ready to be matched.
 */
static void
plan_extras(struct gen *g)
{
	long i, r, A = g->o.asof;
	struct person *x;

	for (i = g->o.volunteers; i < g->o.volunteers + g->o.active; i++) {
		x = &g->v[i];
		new_id(g, x->id, 'V');
		person_traits(g, x, 1);
		x->status = V_ACTIVE;
		r = below(g, 100);
		x->streams = r < SERVE_BOTH ? 3 : r < SERVE_BOTH +
		    SERVE_EXTENDED ? 1 : 2;
		x->capacity = (int)between(g, 1, 3);
		x->from = between(g, A - 5 * 365, A - 20);
		x->to = A;
		x->received = x->from - between(g, 40, 80);
		x->renews = 1;
	}
	for (i = g->o.participants; i < g->o.participants + g->o.waiting;
	    i++) {
		x = &g->p[i];
		new_id(g, x->id, 'P');
		person_traits(g, x, 0);
		x->stream = EXTENDED;
		x->status = P_WAITING;
		x->received = between(g, A - 183, A - 8);
		x->to = A;
	}
}

/* A preference of a volunteer: value, and whether it is a must. */
static void
want(struct ps_node *prefs, const char *key, const char *value, int must)
{
	struct ps_node *c = map_new();

	put_str(c, "value", value);
	put_bool(c, "required", must);
	put(prefs, key, c);
}

/*
 * What a participant waiting to be matched (--waiting) asks of the
 * volunteer, as hard constraints: someone of their own lived experience
 * (living with MS, a carer, or both), and most someone of their age
 * band or of an age near theirs, many someone of their gender. With the
 * volunteers' languages, modes and streams, a median of about 120 of
 * 2,000 volunteers suit each, as on a real waiting list (most between
 * 50 and 200), rather than nearly all of them.
 */
static struct ps_node *
waiting_wants(struct gen *g, const struct person *p)
{
	static const char *const bands[] = { "18-29", "30-44", "45-59",
	    "60-plus" };
	struct ps_node *x = map_new();
	struct ps_date d;
	int age;

	ps_date_from_days(g->o.asof, &d);
	age = d.y - p->birth;
	want(x, "volunteer_role", roles[p->role], 1);
	if (chance(g, WANT_GENDER))
		want(x, "volunteer_gender", genders[p->gender], 1);
	if (chance(g, WANT_AGE))
		want(x, "age_band", chance(g, 50) ? "similar" : bands[age < 30 ?
		    0 : age < 45 ? 1 : age < 60 ? 2 : 3], 1);
	return x;
}

static void
write_participant(struct gen *g, long i)
{
	struct person *p = &g->p[i];
	const struct match *m = p->last >= 0 ? &g->m[p->last] : NULL;
	int zone = regions[p->region].zone, zp = g->zone, tsec;
	struct ps_node *rec = map_new(), *l, *x;
	long onboard = -1, waiting = -1, limit;
	const char *by = staff[i % 4];
	char first[32], email[64];

	snprintf(first, sizeof(first), "Gen%06ld", i + 1);
	snprintf(email, sizeof(email), "gen.p%06ld@example.org", i + 1);
	put_str(rec, "kind", "participant");
	put_str(rec, "id", p->id);
	put_str(rec, "status", pstatus[p->status]);
	put_str(rec, "stream", streams[p->stream]);
	put_str(rec, "role", roles[p->role]);
	tsec = p->t_recv;
	put_stamp(rec, "received", p->received, tsec, zone);
	put_common(g, rec, p, first, email, i);
	if (p->role != CAREGIVER && chance(g, 70)) {
		x = map_new();
		put_num(x, "diagnosis_year", "%ld", between(g,
		    p->birth + 18 > 1990 ? p->birth + 18 : 1990, 2026));
		put(rec, "condition", x);
	}
	put_str(rec, "context", p->lang[0] == 1 ? contexts[NCONTEXTS - 1] :
	    contexts[below(g, NCONTEXTS - 1)]);
	if (i >= g->o.participants)
		put(rec, "preferences", waiting_wants(g, p));
	else if (chance(g, 30)) {
		x = map_new();
		if (chance(g, 50))
			want(x, "volunteer_role", roles[p->role],
			    chance(g, 40));
		else
			want(x, "volunteer_gender", genders[p->gender], 0);
		put(rec, "preferences", x);
	}
	l = seq_new();
	add(l, consent("privacy", p->received, "online"));
	if (chance(g, 30))
		add(l, consent("follow-up", p->received + 1, "phone"));
	put(rec, "consents", l);

	/* the road so far: onboarding call, waiting, match, end */
	limit = m ? m->proposed : p->status == P_CLOSED ||
	    p->status == P_WITHDRAWN ? p->to : g->o.asof;
	if (p->stream == EXTENDED && p->status != P_APPLIED) {
		onboard = p->received + between(g, 1, 5);
		if (onboard > limit)
			onboard = limit;
		if (p->status != P_ONBOARDING) {
			l = seq_new();
			x = map_new();
			put_str(x, "step", "onboarding-call");
			put_str(x, "result", "pass");
			put_day(x, "date", onboard);
			put_str(x, "by", by);
			add(l, x);
			put(rec, "onboarding", l);
			waiting = onboard;
		}
	} else if (p->status != P_APPLIED)
		waiting = p->received + (p->received < limit);
	if (p->status == P_WITHDRAWN) {
		x = map_new();
		put_day(x, "date", p->to);
		if (chance(g, 50))
			put_str(x, "reason", "No longer needs support.");
		put(rec, "withdrawn", x);
	}
	if (p->status == P_CLOSED)
		put_day(rec, "closed", p->to);
	l = seq_new();
	add(l, status_change("applied", p->received, tsec, zone, "ps-apply"));
	if (onboard >= 0)
		add(l, status_change("onboarding", onboard, 9 * 3600 +
		    (int)below(g, 60) * 60, zp, by));
	if (waiting >= 0 && (p->status != P_WITHDRAWN || waiting < p->to))
		add(l, status_change("waiting", waiting, 15 * 3600 +
		    (int)below(g, 60) * 60, zp, by));
	if (m && m->stream == EXTENDED)
		add(l, status_change("matched", m->accepted, m->t_acc, zp,
		    by));
	if (p->status == P_CLOSED || p->status == P_WITHDRAWN)
		add(l, status_change(pstatus[p->status], p->to, m ? m->t_end :
		    16 * 3600 + 30 * 60, zp, by));
	put(rec, "status_history", l);
	g->day = p->received;
	emit(g, rec, 0);
}

static struct ps_node *
step(const char *name, const char *result, long day, const char *by)
{
	struct ps_node *s = map_new();

	put_str(s, "step", name);
	put_str(s, "result", result);
	put_day(s, "date", day);
	put_str(s, "by", by);
	return s;
}

static void
write_volunteer(struct gen *g, long i)
{
	struct person *v = &g->v[i];
	struct ps_node *rec = map_new(), *l, *x, *s, *steps;
	int zone = regions[v->region].zone, zp = g->zone, tsec, k;
	long day, R = v->received, nsteps, until, checked, end;
	const char *by = staff[(i + 1) % 4];
	char first[32], email[64];

	snprintf(first, sizeof(first), "Genv%05ld", i + 1);
	snprintf(email, sizeof(email), "gen.v%05ld@example.com", i + 1);
	put_str(rec, "kind", "volunteer");
	put_str(rec, "id", v->id);
	put_str(rec, "status", vstatus[v->status]);
	put_str(rec, "role", roles[v->role]);
	l = seq_new();
	for (k = 0; k < 2; k++)
		if (v->streams & (1 << k))
			add_str(l, streams[k]);
	put(rec, "streams", l);
	tsec = v->t_recv;
	put_stamp(rec, "received", R, tsec, zone);
	put_common(g, rec, v, first, email, i);

	x = map_new();
	put_str(x, "first_name", first);
	put_str(x, "experience_summary", PICK(g, summaries));
	l = seq_new();
	for (k = 0; k < v->nlang; k++)
		add_str(l, langs[v->lang[k]]);
	put(x, "languages", l);
	if (chance(g, 50))
		put_str(x, "bio", "Retired teacher; happy to listen and to "
		    "point the way to services that helped us.");
	put(rec, "public_profile", x);
	put_num(rec, "capacity", "%d", v->capacity);
	l = seq_new();
	add_str(l, "phone");
	if (chance(g, 60))
		add_str(l, "email");
	if (chance(g, 40))
		add_str(l, "video");
	put(rec, "modes", l);

	/* screening, step by step, as far as this volunteer got */
	steps = seq_new();
	nsteps = v->status == V_APPLIED ? 1 : v->status == V_SCREENING ?
	    between(g, 2, 6) : v->status == V_DECLINED ? 2 : 7;
	day = R;
	add(steps, step("application", "pass", R, "ps-apply"));
	if (nsteps >= 2) {
		day = v->from >= 0 ? R + (v->from - R) / 4 : R + 3;
		add(steps, step("interview", v->status == V_DECLINED ?
		    "fail" : "pass", day, by));
	}
	for (k = 1; k <= 2 && nsteps >= 2 + k; k++) {
		day += between(g, 1, 4);
		s = step("references", "pass", day, by);
		put_num(s, "referee", "%d", k);
		add(steps, s);
	}
	if (nsteps >= 5) {
		day += between(g, 1, 5);
		s = step("background-check", "pass", day, by);
		put_day(s, "expires", day + 1095);
		add(steps, s);
	}
	checked = day;
	if (nsteps >= 6) {
		day += between(g, 1, 3);
		add(steps, step("pledge", "pass", day, by));
	}
	if (nsteps >= 7) {
		day = v->from - 1;
		s = step("training", "pass", day, by);
		put_num(s, "hours", "%s", chance(g, 50) ? "6.5" : "8");
		l = seq_new();
		for (k = 0; k < 4; k++)
			add_str(l, modules[k]);
		put(s, "modules", l);
		add(steps, s);
		/* checks renewed before they lapse, while serving; a few lapse */
		end = v->status == V_ACTIVE ? g->o.asof : v->to;
		for (k = 2; checked + 1095 < end + 30 && (v->renews ||
		    chance(g, 92)); k++) {
			checked += 1095 - between(g, 5, 40);
			if (checked > end)
				break;
			s = step("background-check", "pass", checked, by);
			put_num(s, "attempt", "%d", k);
			put_day(s, "expires", checked + 1095);
			add(steps, s);
		}
	}
	x = map_new();
	put(x, "steps", steps);
	put(rec, "screening", x);
	if (v->from >= 0) {
		x = map_new();
		put_num(x, "months", "12");
		/* renewed each year while active; some lapsed */
		until = v->from + 365;
		while (v->status == V_ACTIVE && until < g->o.asof &&
		    chance(g, 85))
			until += 365;
		put_day(x, "until", until);
		put(rec, "commitment", x);
	}
	if (v->from >= 0 || v->status == V_DECLINED) {
		x = map_new();
		put_str(x, "result", v->from >= 0 ? "accept" : "decline");
		put_day(x, "date", v->from >= 0 ? v->from : day + 1);
		put_str(x, "by", by);
		put(rec, "decision", x);
	}
	if (v->status == V_LEAVE) {
		l = seq_new();
		x = map_new();
		put_day(x, "from", v->to);
		put_str(x, "reason", "Family illness.");
		add(l, x);
		put(rec, "leave", l);
	}
	l = seq_new();
	add(l, consent("privacy", R, "online"));
	if (nsteps >= 6)
		add(l, consent("pledge", day, "paper"));
	put(rec, "consents", l);
	if (v->status == V_RETIRED || v->status == V_DECLINED)
		put_day(rec, "closed", v->status == V_RETIRED ? v->to :
		    day + 1);
	l = seq_new();
	add(l, status_change("applied", R, tsec, zone, "ps-apply"));
	if (v->status != V_APPLIED)
		add(l, status_change("screening", R + 2, 9 * 3600, zp, by));
	if (v->from >= 0)
		add(l, status_change("active", v->from, office(g), zp, by));
	if (v->status == V_LEAVE || v->status == V_RETIRED)
		add(l, status_change(vstatus[v->status], v->to, office(g), zp,
		    by));
	if (v->status == V_DECLINED)
		add(l, status_change("declined", day + 1, office(g), zp, by));
	put(rec, "status_history", l);
	g->day = R;
	emit(g, rec, 1);
}

static void
criterion(struct ps_node *l, const char *name, double points, int held,
    const char *reason)
{
	struct ps_node *c = map_new();

	put_str(c, "criterion", name);
	put_points(c, "points", points);
	put_bool(c, "held", held);
	put_str(c, "reason", reason);
	add(l, c);
}

static void
write_match(struct gen *g, long j)
{
	static const char *const reasons[] = { "completed",
	    "participant-request", "volunteer-request", "no-contact",
	    "moved-on", "not-a-fit", "other" };
	const struct match *m = &g->m[j];
	const struct person *p = &g->p[m->p], *v = &g->v[m->v];
	struct ps_node *rec = map_new(), *l, *x;
	int zp = g->zone, pz = regions[p->region].zone, k, shared, over;
	double score = 0, pts;
	const char *by = staff[j % 4];
	char why[64];
	long end;

	put_str(rec, "kind", "match");
	put_str(rec, "id", m->id);
	put_str(rec, "status", m->status == M_ACTIVE ? "active" :
	    m->status == M_ENDED ? "ended" : m->status == M_CB_OPEN ?
	    "callback-open" : "callback-done");
	put_str(rec, "stream", streams[m->stream]);
	put_str(rec, "participant", p->id);
	put_str(rec, "volunteer", v->id);
	put_stamp(rec, "proposed", m->proposed, m->t_prop, zp);
	put_str(rec, "chosen_by", "coordinator");

	/* the explained score ps-match would have given */
	l = seq_new();
	criterion(l, "language", 0, 1, "shares a language");
	criterion(l, "mode", 0, 1, "shares a contact mode");
	pts = p->role == v->role ? 3 : 0;
	criterion(l, "role", pts, pts > 0, pts > 0 ?
	    "same lived-experience role" : "different lived-experience role");
	score += pts;
	shared = bits(p->topics & v->topics);
	pts = 2.0 * shared / bits(p->topics);
	snprintf(why, sizeof(why), "%d of %d topics shared", shared,
	    bits(p->topics));
	criterion(l, "topics", pts, shared > 0, why);
	score += pts;
	over = bits(p->slots & v->slots);
	pts = 2.0 * over / bits(p->slots);
	snprintf(why, sizeof(why), "%d of %d slots overlap", over,
	    bits(p->slots));
	criterion(l, "availability", pts, over > 0, why);
	score += pts;
	k = p->region == v->region;
	criterion(l, "region", k, k, k ? "same province" :
	    "different province");
	score += k;
	k = regions[p->region].zone == regions[v->region].zone;
	criterion(l, "timezone", k, k, k ? "same time zone" :
	    "different time zone");
	score += k;
	k = (int)((m->proposed - p->received) / 7);
	pts = k * 0.5 > 3 ? 3 : k * 0.5;
	snprintf(why, sizeof(why), "waited %d week%s", k, k == 1 ? "" : "s");
	criterion(l, "waiting", pts, k > 0, why);
	score += pts;
	put_points(rec, "score", score);
	put(rec, "breakdown", l);
	put_str(rec, "weights_source", "program.yaml");

	l = seq_new();
	if (m->stream == ONECALL) {
		x = map_new();
		put_stamp(x, "requested", p->received, p->t_recv, pz);
		end = business_after(g, m->proposed, 3);
		put_day(x, "due", end);
		if (m->status == M_CB_DONE) {
			put_stamp(x, "closed", m->ended, m->t_end, zp);
			put_bool(x, "on_time", m->ended <= end);
		}
		put(rec, "callback", x);
		add(l, status_change("callback-open", m->proposed, m->t_prop,
		    zp, "ps-match"));
		if (m->status == M_CB_DONE)
			add(l, status_change("callback-done", m->ended,
			    m->t_end, zp, v->id));
		put(rec, "status_history", l);
		g->day = m->proposed;
		emit(g, rec, 2);
		return;
	}
	put_stamp(rec, "accepted", m->accepted, m->t_acc, zp);
	put_day(rec, "planned_end", m->accepted + 183);
	if (m->extended) {
		x = map_new();
		put_day(x, "date", m->accepted + 176);
		put_num(x, "by_days", "60");
		put_day(x, "until", m->accepted + 243);
		add(l, x);
		put(rec, "extended", l);
		l = seq_new();
	}
	if (m->status == M_ENDED) {
		put_stamp(rec, "ended", m->ended, m->t_end, zp);
		put_str(rec, "end_reason", reasons[m->reason]);
	}
	end = m->accepted - p->received;
	put_num(rec, "days_to_match", "%ld", end < 0 ? 0 : end > 3650 ? 3650 :
	    end);
	if (m->ngoals > 0) {
		x = seq_new();
		for (k = 0; k < m->ngoals; k++) {
			struct ps_node *goal = map_new();

			snprintf(why, sizeof(why), "g%d", k + 1);
			put_str(goal, "id", why);
			put_str(goal, "text", goal_texts[(j + k) % 5]);
			put_str(goal, "status", k == 0 &&
			    m->status == M_ENDED ? "achieved" : "open");
			add(x, goal);
		}
		put(rec, "goals", x);
	}
	add(l, status_change("proposed", m->proposed, m->t_prop, zp,
	    "ps-match"));
	add(l, status_change("active", m->accepted, m->t_acc, zp, by));
	if (m->status == M_ENDED)
		add(l, status_change("ended", m->ended, m->t_end, zp, by));
	put(rec, "status_history", l);
	g->day = m->proposed;
	emit(g, rec, 2);
}

static void
contact_topics(struct gen *g, struct ps_node *rec, uint32_t mask)
{
	struct ps_node *l = seq_new();
	int i, n = (int)between(g, 1, 2);

	for (i = 0; i < (int)NTOPICS && n > 0; i++)
		if ((mask & (1u << i)) && chance(g, 60)) {
			add_str(l, topics[i]);
			n--;
		}
	if (l->n)
		put(rec, "topics", l);
	else
		ps_node_free(l);
}

static void
flag(struct gen *g, struct ps_node *rec)
{
	struct ps_node *f = map_new();
	int r = (int)below(g, 100), t;
	const char *ref;

	t = r < 70 ? 0 : r < 90 ? 1 : 2;
	r = (int)below(g, 100);
	if (t == 1)
		ref = r < 60 ? "988" : "911";
	else if (t == 0)
		ref = r < 30 ? "988" : r < 50 ? "crisis-line" : r < 75 ? "gp" :
		    "none";
	else
		ref = r < 70 ? "community-agency" : "none";
	put_str(f, "type", t == 0 ? "risk" : t == 1 ? "crisis" :
	    "safeguarding");
	put_str(f, "referral", ref);
	if (strcmp(ref, "none") == 0)
		put_str(f, "no_referral_reason", "Safe for now; already sees "
		    "their family doctor this week.");
	put_str(f, "note", PICK(g, flag_notes));
	put(rec, "flag", f);
}

static struct ps_node *
contact_new(struct gen *g, const char *type, long day, int sec)
{
	struct ps_node *rec = map_new();
	char id[PS_ID_LEN + 1];

	new_id(g, id, 'C');
	g->day = day;
	put_str(rec, "kind", "contact");
	put_str(rec, "id", id);
	put_str(rec, "type", type);
	put_stamp(rec, "date", day, sec, g->zone);
	return rec;
}

/* A contact in an extended match, some day in [lo, hi]. */
static void
write_match_contact(struct gen *g, const struct match *m, long lo, long hi)
{
	static const char *const progress[] = { "none", "some", "achieved" };
	const struct person *p = &g->p[m->p], *v = &g->v[m->v];
	struct ps_node *rec, *l, *x;
	int r = (int)below(g, 100), k;
	const char *mode = r < 55 ? "phone" : r < 80 ? "video" : "email";
	char gid[8];

	rec = contact_new(g, "contact", between(g, lo, hi),
	    (int)between(g, 9 * 3600, 20 * 3600) / 300 * 300);
	put_str(rec, "match", m->id);
	put_str(rec, "participant", p->id);
	put_str(rec, "volunteer", v->id);
	put_str(rec, "mode", mode);
	put_num(rec, "minutes", "%ld", strcmp(mode, "email") == 0 ?
	    between(g, 5, 20) : between(g, 4, 18) * 5);
	if (chance(g, 2))
		flag(g, rec);
	contact_topics(g, rec, p->topics);
	if (m->ngoals > 0 && chance(g, 40)) {
		l = seq_new();
		for (k = 0; k < m->ngoals; k++) {
			if (k > 0 && chance(g, 50))
				continue;
			x = map_new();
			snprintf(gid, sizeof(gid), "g%d", k + 1);
			put_str(x, "id", gid);
			put_str(x, "progress", PICK(g, progress));
			add(l, x);
		}
		put(rec, "goals", l);
	}
	if (chance(g, 50))
		put_str(rec, "note", PICK(g, notes));
	put_str(rec, "logged_by", chance(g, 70) ? v->id : staff[below(g, 4)]);
	emit(g, rec, 3);
}

static void
write_callback(struct gen *g, const struct match *m)
{
	const struct person *p = &g->p[m->p], *v = &g->v[m->v];
	struct ps_node *rec;

	rec = contact_new(g, "callback", m->ended, m->t_end);
	put_str(rec, "match", m->id);
	put_str(rec, "participant", p->id);
	put_str(rec, "volunteer", v->id);
	put_str(rec, "mode", "phone");
	put_num(rec, "minutes", "%ld", between(g, 3, 12) * 5);
	if (chance(g, 2))
		flag(g, rec);
	contact_topics(g, rec, p->topics);
	put_str(rec, "logged_by", v->id);
	emit(g, rec, 3);
}

static void
write_feedback(struct gen *g, const struct match *m)
{
	static const char *const outcomes[] = { "empowerment", "isolation",
	    "coping", "distress" };
	const struct person *p = &g->p[m->p];
	struct ps_node *rec, *f, *o;
	long day = m->ended + between(g, 1, 14);
	int k, h = (int)between(g, 2, 5);

	if (day > g->o.asof)
		day = g->o.asof;
	rec = contact_new(g, "feedback", day, office(g));
	put_str(rec, "match", m->id);
	put_str(rec, "participant", p->id);
	put_str(rec, "mode", "email");
	f = map_new();
	put_num(f, "helpfulness", "%d", h);
	o = map_new();
	for (k = 0; k < 4; k++)
		put_num(o, outcomes[k], "%ld", between(g, h - 1 > 0 ? h - 1 :
		    1, h < 5 ? h + 1 : 5));
	put(f, "outcomes", o);
	k = chance(g, 50);
	put_bool(f, "followup_consent", k);
	if (k)
		put_day(f, "followup_after", day + 90);
	put(rec, "feedback", f);
	put_str(rec, "logged_by", staff[below(g, 4)]);
	emit(g, rec, 3);
}

static void
write_activity(struct gen *g, long lo, long hi)
{
	static const char *const acts[] = { "training", "supervision",
	    "community-of-practice", "admin" };
	static const char *const hours[] = { "1", "1.5", "2", "3" };
	struct ps_node *rec;
	const struct person *v = NULL;
	long tries, i;
	const char *act = PICK(g, acts);

	for (tries = 0; tries < 40 && v == NULL; tries++) {
		i = below(g, g->o.volunteers);
		if (g->v[i].from >= 0 && g->v[i].from <= hi &&
		    g->v[i].to >= lo)
			v = &g->v[i];
	}
	if (v == NULL)
		v = &g->v[below(g, g->o.volunteers)];
	rec = contact_new(g, "activity", between(g, lo, hi),
	    (int)between(g, 10, 19) * 3600);
	put_str(rec, "volunteer", v->id);
	put_str(rec, "mode", chance(g, 60) ? "video" : "in-person");
	put_num(rec, "hours", "%s", PICK(g, hours));
	put_str(rec, "activity", act);
	if (strcmp(act, "community-of-practice") == 0)
		put_num(rec, "attendees", "%ld", between(g, 4, 15));
	put_str(rec, "logged_by", staff[below(g, 4)]);
	emit(g, rec, 3);
}

/*
 * Contacts over the window: callbacks made in it, feedback after matches
 * that ended in it, some volunteer hours, and the rest contacts in the
 * extended matches running at the time.
 */
static void
write_contacts(struct gen *g)
{
	long A = g->o.asof, W0 = A - 7 * g->o.weeks + 1, j, n, i;
	long ncb = 0, nfb = 0, nact, nct, next = 0, cap;
	long *ext, *cb, *fb, lo, hi, day, tries;
	const struct match *m;

	if (g->o.contacts == 0)
		return;
	if (g->o.volunteers == 0)
		fail(2, "contacts need volunteers: give --volunteers");
	n = g->o.matches + 1;
	ext = need(calloc((size_t)n, sizeof(*ext)));
	cb = need(calloc((size_t)n, sizeof(*cb)));
	fb = need(calloc((size_t)n, sizeof(*fb)));
	for (j = 0; j < g->o.matches; j++) {
		m = &g->m[j];
		if (m->status == M_CB_DONE && m->ended >= W0)
			cb[ncb++] = j;
		if (m->stream != EXTENDED)
			continue;
		if (m->ended >= W0 && m->accepted < A)
			ext[next++] = j;
		if (m->status == M_ENDED && m->ended >= W0 && m->ended < A)
			fb[nfb++] = j;
	}
	cap = g->o.contacts * 8 / 100;
	ncb = ncb < cap ? ncb : cap;
	cap = g->o.contacts * 3 / 100;
	nfb = nfb < cap ? nfb : cap;
	nact = g->o.contacts * 7 / 100;
	nct = g->o.contacts - ncb - nfb - nact;
	if (next == 0) {
		nact += nct;
		nct = 0;
	}
	for (i = 0; i < ncb; i++)
		write_callback(g, &g->m[cb[i]]);
	for (i = 0; i < nfb; i++)
		write_feedback(g, &g->m[fb[i]]);
	for (i = 0; i < nact; i++)
		write_activity(g, W0, A);
	/* spread evenly over the days (a day's folder holds about as many
	   as any other's), each in a match running that day: a few tries,
	   else any day of the last match drawn */
	for (i = 0; i < nct; i++) {
		day = between(g, W0, A);
		for (tries = 0; tries < 100; tries++) {
			m = &g->m[ext[below(g, next)]];
			lo = m->accepted + 1 > W0 ? m->accepted + 1 : W0;
			hi = m->ended < A ? m->ended : A;
			if (lo <= day && day <= hi) {
				lo = hi = day;
				break;
			}
		}
		write_match_contact(g, m, lo, hi);
	}
	free(ext);
	free(cb);
	free(fb);
}

/* What ps-gen needs of program.yaml: its zone, holidays and streams. */
static void
read_program(struct gen *g)
{
	struct ps_node *prog = NULL, *h;
	const char *tz;
	struct ps_date d;
	char path[512];
	size_t i;

	snprintf(path, sizeof(path), "%s/program.yaml", g->o.dir);
	if (ps_yaml_load_file(&prog, path, NULL, 0, &g->d) != 0) {
		ps_diags_print(&g->d, "ps-gen", stderr);
		fail(3, "%s is not a store made by ps-init", g->o.dir);
	}
	tz = ps_node_get_str(prog, "timezone");
	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (tz && strcmp(tz, zones[i].name) == 0)
			break;
	if (i == sizeof(zones) / sizeof(zones[0]))
		fail(2, "%s: timezone: not a Canadian zone ps-gen knows", path);
	g->zone = (int)i;
	if (ps_node_get(prog, "streams.extended") == NULL ||
	    ps_node_get(prog, "streams.onecall") == NULL)
		fail(2, "%s: streams: ps-gen needs extended and onecall (the "
		    "ms-society example)", path);
	h = ps_node_get(prog, "holidays");
	if (h && h->type == PS_NODE_SEQ && h->n > 0) {
		g->holidays = need(calloc(h->n, sizeof(*g->holidays)));
		for (i = 0; i < h->n; i++)
			if (h->vals[i]->type == PS_NODE_SCALAR &&
			    ps_date_parse(h->vals[i]->str, &d) == 0)
				g->holidays[g->nholidays++] = ps_date_days(&d);
	}
	ps_node_free(prog);
}

static long
number(const char *opt, const char *s, long max)
{
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || n < 0 || n > max) {
		fprintf(stderr, "ps-gen: --%s: not a number from 0 to %ld\n",
		    opt, max);
		exit(2);
	}
	return n;
}

static void
parse(struct gen *g, int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "participants", required_argument, NULL, 'p' },
		{ "volunteers", required_argument, NULL, 'v' },
		{ "matches", required_argument, NULL, 'm' },
		{ "contacts", required_argument, NULL, 'c' },
		{ "waiting", required_argument, NULL, 'W' },
		{ "active", required_argument, NULL, 'A' },
		{ "commits", required_argument, NULL, 'k' },
		{ "weeks", required_argument, NULL, 'w' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "no-commit", no_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct ps_date d;
	int c;

	g->o.seed = 1;
	g->o.participants = 150;
	g->o.volunteers = 30;
	g->o.matches = 120;
	g->o.contacts = 700;
	g->o.weeks = 52;
	g->o.commits = 1;
	g->o.commit = 1;
	ps_date_parse("2026-11-20", &d);
	g->o.asof = ps_date_days(&d);
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			g->o.seed = (unsigned long)number("seed", optarg,
			    0x7fffffffL);
			break;
		case 'p':
			g->o.participants = number("participants", optarg,
			    10000000);
			break;
		case 'v':
			g->o.volunteers = number("volunteers", optarg,
			    1000000);
			break;
		case 'm':
			g->o.matches = number("matches", optarg, 10000000);
			break;
		case 'c':
			g->o.contacts = number("contacts", optarg, 50000000);
			break;
		case 'W':
			g->o.waiting = number("waiting", optarg, 10000000);
			break;
		case 'A':
			g->o.active = number("active", optarg, 1000000);
			break;
		case 'k':
			g->o.commits = number("commits", optarg, 10000);
			if (g->o.commits == 0)
				g->o.commits = 1;
			break;
		case 'w':
			g->o.weeks = number("weeks", optarg, 520);
			if (g->o.weeks == 0)
				g->o.weeks = 1;
			break;
		case 'a':
			if (ps_date_parse(optarg, &d) != 0) {
				fputs("ps-gen: --as-of: not a date "
				    "YYYY-MM-DD\n", stderr);
				exit(2);
			}
			g->o.asof = ps_date_days(&d);
			break;
		case 'N':
			g->o.commit = 0;
			break;
		case 'h':
			fputs(usage, stdout);
			exit(0);
		default:
			fputs(usage, stderr);
			exit(2);
		}
	}
	if (argc - optind != 1) {
		fputs(usage, stderr);
		exit(2);
	}
	g->o.dir = argv[optind];
	if (g->o.matches > 0 && g->o.participants == 0)
		fail(2, "matches need participants: give --participants");
}

int
main(int argc, char *argv[])
{
	static const char *const dirs[] = { "participants", "volunteers",
	    "matches", "contacts", NULL };
	struct gen g;
	struct stat st;
	char path[512];
	long i, total;
	size_t k;

	memset(&g, 0, sizeof(g));
	umask(077);
	parse(&g, argc, argv);
	g.rng = 0x5eed0000ULL ^ (uint64_t)g.o.seed;
	read_program(&g);
	for (k = 0; dirs[k]; k++) {
		snprintf(path, sizeof(path), "%s/%s", g.o.dir, dirs[k]);
		if (lstat(path, &st) == 0)
			fail(2, "%s already holds records: give a store fresh "
			    "from ps-init", g.o.dir);
	}
	if (ps_schemas_load(&g.schemas, NULL, &g.d) != 0) {
		ps_diags_print(&g.d, "ps-gen", stderr);
		fail(3, "cannot load the schemas (set PS_SCHEMA_DIR)");
	}
	total = g.o.participants + g.o.volunteers + g.o.matches +
	    g.o.contacts + g.o.waiting + g.o.active;
	for (g.idcap = 1024; g.idcap < (size_t)total * 2; g.idcap *= 2)
		;
	g.ids = need(calloc(g.idcap, sizeof(*g.ids)));
	g.p = need(calloc((size_t)(g.o.participants + g.o.waiting) + 1,
	    sizeof(*g.p)));
	g.v = need(calloc((size_t)(g.o.volunteers + g.o.active) + 1,
	    sizeof(*g.v)));
	g.m = need(calloc((size_t)g.o.matches + 1, sizeof(*g.m)));

	if (g.o.commit)
		import_begin(&g);
	plan_volunteers(&g);
	for (i = 0; i < g.o.participants; i++) {
		new_id(&g, g.p[i].id, 'P');
		person_traits(&g, &g.p[i], 0);
	}
	plan_matches(&g);
	plan_participants(&g);
	plan_extras(&g);
	for (i = 0; i < g.o.participants; i++)
		write_participant(&g, i);
	for (i = 0; i < g.o.volunteers; i++)
		write_volunteer(&g, i);
	for (i = 0; i < g.o.matches; i++)
		write_match(&g, i);
	write_contacts(&g);
	for (i = g.o.volunteers; i < g.o.volunteers + g.o.active; i++)
		write_volunteer(&g, i);
	for (i = g.o.participants; i < g.o.participants + g.o.waiting; i++)
		write_participant(&g, i);
	if (g.o.commit)
		import_end(&g);
	fprintf(stderr, "ps-gen: %s: %ld participants, %ld volunteers, "
	    "%ld matches, %ld contacts%s\n", g.o.dir, g.written[0],
	    g.written[1], g.written[2], g.written[3], !g.o.commit ? "" :
	    g.o.commits > 1 ? ", committed in a history" : ", committed");

	ps_schemas_free(g.schemas);
	ps_buf_release(&g.path);
	ps_buf_release(&g.text);
	ps_buf_release(&g.paths);
	free(g.pathoff);
	free(g.batch);
	ps_diags_release(&g.d);
	free(g.ids);
	free(g.p);
	free(g.v);
	free(g.m);
	free(g.holidays);
	return 0;
}
