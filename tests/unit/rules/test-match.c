/*
 * Unit tests: who may be matched with whom, and how well (lib/rules/match.c).
 *
 * Each hard constraint is tried on a pair that meets every other one;
 * each score criterion is given a weight of its own, the others none, so
 * that the points can be worked out by hand as ps-match(1) tells
 * coordinators to: 1 for an eligible pair, plus each criterion times its
 * weight, rounded to thousandths. Today is Sunday 22 November 2026.
 *
 * Records are written as YAML: a participant or volunteer who meets
 * everything, with the lines a test gives replacing or adding fields.
 */
#include <ctype.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/buf.h"
#include "util/date.h"
#include "model/schema.h"
#include "model/yaml.h"
#include "rules/match.h"

static const char program_text[] =
    "kind: program\n"
    "name: Test programme\n"
    "timezone: America/Toronto\n"
    "streams:\n"
    "  extended:\n"
    "    type: ongoing\n"
    "    modes: [phone, email, video]\n"
    "  onecall:\n"
    "    type: single-call\n"
    "    modes: [phone]\n"
    "  anywhere:\n"
    "    type: ongoing\n";

/* Received today: no waiting points. */
static const char participant_base[] =
    "kind: participant\n"
    "id: P-B00001\n"
    "status: waiting\n"
    "stream: extended\n"
    "role: living-with\n"
    "received: 2026-11-22T09:00:00-05:00\n"
    "languages: [en]\n";

static const char volunteer_base[] =
    "kind: volunteer\n"
    "id: V-A00001\n"
    "status: active\n"
    "role: living-with\n"
    "streams: [extended, onecall]\n"
    "languages: [en]\n";

static struct ps_node *program;
static long today;

/* The YAML in text; the test fails if it cannot be read. */
static struct ps_node *
yaml(const char *text)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *n = NULL;

	if (ps_yaml_load_mem(&n, text, strlen(text), "test", &d) != 0) {
		ps_diags_print(&d, "test-match", stderr);
		fail_msg("cannot read:\n%s", text);
	}
	ps_diags_release(&d);
	assert_non_null(n);
	return n;
}

/* base, with each top-level field of lines replacing or added. */
static struct ps_node *
record(const char *base, const char *lines)
{
	struct ps_node *r = yaml(base), *x;
	size_t i;

	if (lines == NULL || *lines == '\0')
		return r;
	x = yaml(lines);
	for (i = 0; i < x->n; i++)
		assert_int_equal(ps_node_map_set(r, x->keys[i]->str,
		    ps_node_dup(x->vals[i])), 0);
	ps_node_free(x);
	return r;
}

/* A context for the matching rules in text ("" or NULL: none at all). */
static struct ps_match_ctx *
context(const char *matching)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_match_ctx *c = NULL;
	struct ps_node *m = matching && *matching ? yaml(matching) : NULL;

	assert_int_equal(ps_match_ctx_new(&c, program, m, today, &d), 0);
	assert_non_null(c);
	ps_node_free(m);
	ps_diags_release(&d);
	return c;
}

/* One participant and one volunteer under one set of rules. */
struct pair {
	struct ps_match_ctx	*c;
	struct ps_node		*prec, *vrec;
	struct ps_match_person	 p, v;
	struct ps_node		*b;		/* the last breakdown */
};

static void
profile(struct ps_match_ctx *c, struct ps_match_person *p,
    const struct ps_node *rec)
{
	struct ps_diags d = PS_DIAGS_INIT;

	assert_int_equal(ps_match_person_init(c, p, rec, &d), 0);
	ps_diags_release(&d);
}

static void
pair_init(struct pair *t, const char *matching, const char *p_lines,
    const char *v_lines)
{
	memset(t, 0, sizeof(*t));
	t->c = context(matching);
	t->prec = record(participant_base, p_lines);
	t->vrec = record(volunteer_base, v_lines);
	profile(t->c, &t->p, t->prec);
	profile(t->c, &t->v, t->vrec);
}

static void
pair_release(struct pair *t)
{
	ps_node_free(t->b);
	ps_node_free(t->prec);
	ps_node_free(t->vrec);
	ps_match_ctx_free(t->c);
	memset(t, 0, sizeof(*t));
}

/* The hard constraint that stops the pair (PS_HARD_NONE if none); a
   volunteer that passes is among the participant's candidates too. */
static enum ps_hard
check(const char *matching, const char *p_lines, const char *v_lines)
{
	struct ps_match_index *x = NULL;
	struct pair t;
	enum ps_hard h;
	uint64_t cand;

	pair_init(&t, matching, p_lines, v_lines);
	h = ps_match_check(t.c, &t.p, &t.v);
	assert_int_equal(ps_match_index_new(&x, t.c, &t.v, 1), 0);
	assert_int_equal(ps_match_words(x), 1);
	ps_match_candidates(x, &t.p, &cand);
	if (h == PS_HARD_NONE)
		assert_true(cand & 1);
	ps_match_index_free(x);
	pair_release(&t);
	return h;
}

#define assert_hard(want, matching, p_lines, v_lines) do {		\
	enum ps_hard got_ = check(matching, p_lines, v_lines);		\
	if (got_ != (want))						\
		fail_msg("hard constraint %s, want %s",			\
		    ps_match_hard_name(got_), ps_match_hard_name(want));	\
} while (0)

static void
points_are(double got, double want)
{
	if (fabs(got - want) > 1e-9)
		fail_msg("score %.6f, want %.6f", got, want);
}

/* Score the pair, keeping its breakdown in t->b; the score without a
   breakdown must be the same. */
static double
score(struct pair *t)
{
	double s;

	ps_node_free(t->b);
	assert_non_null(t->b = ps_node_new_seq());
	s = ps_match_score(t->c, &t->p, &t->v, t->b);
	points_are(ps_match_score(t->c, &t->p, &t->v, NULL), s);
	return s;
}

/* The pair's score, for the rules and the lines given. */
static double
score_of(const char *matching, const char *p_lines, const char *v_lines)
{
	struct pair t;
	double s;

	pair_init(&t, matching, p_lines, v_lines);
	s = score(&t);
	pair_release(&t);
	return s;
}

static const struct ps_node *
entry(const struct ps_node *b, const char *criterion)
{
	size_t i;

	for (i = 0; b && i < b->n; i++)
		if (strcmp(ps_node_get_str(b->vals[i], "criterion"),
		    criterion) == 0)
			return b->vals[i];
	return NULL;
}

/* The breakdown entry of criterion: points as written, held, reason. */
static void
expect_entry(const struct ps_node *b, const char *criterion,
    const char *points, int held, const char *reason)
{
	const struct ps_node *e = entry(b, criterion);

	if (e == NULL)
		fail_msg("no breakdown entry for %s", criterion);
	assert_int_equal(e->type, PS_NODE_MAP);
	assert_int_equal(e->n, 4);
	assert_string_equal(e->keys[0]->str, "criterion");
	assert_string_equal(e->keys[1]->str, "points");
	assert_string_equal(e->keys[2]->str, "held");
	assert_string_equal(e->keys[3]->str, "reason");
	assert_string_equal(ps_node_get_str(e, "points"), points);
	assert_string_equal(ps_node_get_str(e, "held"), held ? "true" :
	    "false");
	assert_string_equal(ps_node_get_str(e, "reason"), reason);
}

/* The breakdown's criteria, in order, as one string. */
static void
expect_criteria(const struct ps_node *b, const char *want)
{
	char got[256] = "";
	size_t i, len = 0;

	for (i = 0; i < b->n; i++)
		len += (size_t)snprintf(got + len, sizeof(got) - len, "%s%s",
		    i ? " " : "", ps_node_get_str(b->vals[i], "criterion"));
	assert_string_equal(got, want);
}

/* Score one pair under one weight; check the total and the entry. */
static void
expect_points(const char *matching, const char *p_lines, const char *v_lines,
    double total, const char *criterion, const char *points, int held,
    const char *reason)
{
	struct pair t;

	pair_init(&t, matching, p_lines, v_lines);
	points_are(score(&t), total);
	expect_entry(t.b, "eligible", "1", 1, "meets every hard constraint");
	expect_entry(t.b, criterion, points, held, reason);
	pair_release(&t);
}

static int
setup(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_date dt;

	(void)state;
	if (ps_yaml_load_mem(&program, program_text, strlen(program_text),
	    "program", &d) != 0 || ps_date_parse("2026-11-22", &dt) != 0)
		return -1;
	today = ps_date_days(&dt);
	ps_diags_release(&d);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	ps_node_free(program);
	return 0;
}

/* Hard constraints. */

static void
constraint_names(void **state)
{
	struct ps_match_ctx *c = context(NULL);

	(void)state;
	assert_string_equal(ps_match_hard_name(PS_HARD_STREAM), "stream");
	assert_string_equal(ps_match_hard_name(PS_HARD_LANGUAGE), "language");
	assert_string_equal(ps_match_hard_name(PS_HARD_MODE), "mode");
	assert_string_equal(ps_match_hard_name(PS_HARD_ROLE), "role");
	assert_string_equal(ps_match_hard_name(PS_HARD_GENDER), "gender");
	assert_string_equal(ps_match_hard_name(PS_HARD_AGE), "age_band");
	assert_string_equal(ps_match_hard_name(PS_HARD_REGION), "region");
	assert_string_equal(ps_match_hard_name(PS_HARD_EXCLUDED),
	    "not-excluded");
	assert_string_equal(ps_match_hard_name(PS_HARD_DECLINED),
	    "not-declined");
	assert_string_equal(ps_match_stream_name(c, 0), "extended");
	assert_string_equal(ps_match_stream_name(c, 1), "onecall");
	assert_string_equal(ps_match_stream_name(c, 3), "?");
	assert_string_equal(ps_match_stream_name(c, -1), "?");
	ps_match_ctx_free(c);
}

static void
a_pair_that_meets_everything(void **state)
{
	(void)state;
	assert_hard(PS_HARD_NONE, NULL, NULL, NULL);
	assert_hard(PS_HARD_NONE, "hard: [language, mode, role, gender, "
	    "not-declined, not-excluded]", NULL, NULL);
}

static void
stream(void **state)
{
	(void)state;
	/* the volunteer must serve the participant's stream */
	assert_hard(PS_HARD_STREAM, NULL, NULL, "streams: [onecall]");
	assert_hard(PS_HARD_NONE, NULL, "stream: onecall",
	    "streams: [onecall]");
	assert_hard(PS_HARD_STREAM, NULL, NULL, "streams: []");
	/* a stream the programme does not have */
	assert_hard(PS_HARD_STREAM, NULL, "stream: weekend",
	    "streams: [weekend]");
	/* whatever the hard list says */
	assert_hard(PS_HARD_STREAM, "hard: []", NULL, "streams: [onecall]");
}

static void
language(void **state)
{
	(void)state;
	assert_hard(PS_HARD_LANGUAGE, NULL, "languages: [fr]", NULL);
	assert_hard(PS_HARD_NONE, NULL, "languages: [es, fr]",
	    "languages: [en, fr]");
	assert_hard(PS_HARD_LANGUAGE, "hard: [language]", "languages: [fr]",
	    NULL);
	/* not in the programme's list: not a constraint */
	assert_hard(PS_HARD_NONE, "hard: [mode]", "languages: [fr]", NULL);
}

static void
mode(void **state)
{
	(void)state;
	assert_hard(PS_HARD_MODE, NULL,
	    "contact: {preferred_modes: [email]}", "modes: [phone]");
	assert_hard(PS_HARD_NONE, NULL,
	    "contact: {preferred_modes: [email, video]}",
	    "modes: [phone, video]");
	/* no preference: the stream's modes; extended has no in-person */
	assert_hard(PS_HARD_MODE, NULL, NULL, "modes: [in-person]");
	assert_hard(PS_HARD_NONE, NULL, NULL, "modes: [text, video]");
	/* preferred modes the stream does not offer do not count */
	assert_hard(PS_HARD_MODE, NULL,
	    "contact: {preferred_modes: [in-person]}", "modes: [in-person]");
	assert_hard(PS_HARD_MODE, NULL, "stream: onecall\n"
	    "contact: {preferred_modes: [phone, video]}", "modes: [video]");
	/* a stream with no modes listed offers them all */
	assert_hard(PS_HARD_NONE, NULL, "stream: anywhere\n"
	    "contact: {preferred_modes: [in-person]}", "streams: [anywhere]\n"
	    "modes: [in-person]");
	/* a volunteer with no modes listed takes any */
	assert_hard(PS_HARD_NONE, NULL,
	    "contact: {preferred_modes: [email]}", NULL);
	assert_hard(PS_HARD_NONE, "hard: [language]",
	    "contact: {preferred_modes: [email]}", "modes: [phone]");
}

static void
required_role(void **state)
{
	const char *want = "preferences: {volunteer_role: {value: caregiver, "
	    "required: true}}";
	const char *soft = "preferences: {volunteer_role: {value: caregiver}}";

	(void)state;
	assert_hard(PS_HARD_ROLE, NULL, want, NULL);
	assert_hard(PS_HARD_NONE, NULL, want, "role: caregiver");
	assert_hard(PS_HARD_NONE, NULL, want, "role: both");
	/* required is always hard, even when the programme's list is empty */
	assert_hard(PS_HARD_ROLE, "hard: []", want, NULL);
	/* a preference that is not required is not a constraint... */
	assert_hard(PS_HARD_NONE, NULL, soft, NULL);
	/* ...unless the programme makes role hard */
	assert_hard(PS_HARD_ROLE, "hard: [role]", soft, NULL);
	/* and with no preference at all, role is no constraint */
	assert_hard(PS_HARD_NONE, "hard: [role]", NULL, "role: caregiver");
}

/*
 * A preferred role of "both" asks for a volunteer who lives with the
 * condition and cares for someone who does; one of the two is not what
 * was asked for.
 */
static void
a_preference_for_both_roles_needs_both(void **state)
{
	const char *want = "preferences: {volunteer_role: {value: both, "
	    "required: true}}";

	(void)state;
	assert_hard(PS_HARD_NONE, NULL, want, "role: both");
	assert_hard(PS_HARD_ROLE, NULL, want, "role: caregiver");
	assert_hard(PS_HARD_ROLE, NULL, want, NULL);
	expect_points("weights: {role: 3}", "preferences: {volunteer_role: "
	    "{value: both}}", "role: both", 4, "role", "3", 1,
	    "has the lived-experience role asked for");
	expect_points("weights: {role: 3}", "preferences: {volunteer_role: "
	    "{value: both}}", "role: caregiver", 1, "role", "0", 0,
	    "a different lived-experience role");
}

static void
required_gender(void **state)
{
	const char *want = "preferences: {volunteer_gender: {value: Woman, "
	    "required: true}}";
	const char *soft = "preferences: {volunteer_gender: {value: woman}}";

	(void)state;
	/* compared without regard to case */
	assert_hard(PS_HARD_NONE, NULL, want, "gender: woman");
	assert_hard(PS_HARD_GENDER, NULL, want, "gender: man");
	assert_hard(PS_HARD_GENDER, NULL, want, NULL);
	assert_hard(PS_HARD_GENDER, "hard: []", want, "gender: man");
	assert_hard(PS_HARD_NONE, NULL, soft, "gender: man");
	assert_hard(PS_HARD_GENDER, "hard: [gender]", soft, "gender: man");
}

static void
required_age_band(void **state)
{
	const char *b3044 = "birth_year: 1980\npreferences: {age_band: "
	    "{value: \"30-44\", required: true}}";
	const char *b60 = "preferences: {age_band: {value: 60-plus, "
	    "required: true}}";
	const char *similar = "birth_year: 1980\npreferences: {age_band: "
	    "{value: similar, required: true}}";

	(void)state;
	/* age is this year minus the year of birth: 2026 - 1990 = 36 */
	assert_hard(PS_HARD_NONE, NULL, b3044, "birth_year: 1990");
	assert_hard(PS_HARD_NONE, NULL, b3044, "birth_year: 1996");	/* 30 */
	assert_hard(PS_HARD_NONE, NULL, b3044, "birth_year: 1982");	/* 44 */
	assert_hard(PS_HARD_AGE, NULL, b3044, "birth_year: 1981");	/* 45 */
	assert_hard(PS_HARD_AGE, NULL, b3044, "birth_year: 1997");	/* 29 */
	assert_hard(PS_HARD_AGE, NULL, b3044, NULL);
	assert_hard(PS_HARD_NONE, NULL, b60, "birth_year: 1966");	/* 60 */
	assert_hard(PS_HARD_AGE, NULL, b60, "birth_year: 1967");	/* 59 */
	/* similar: born within ten years of the participant */
	assert_hard(PS_HARD_NONE, NULL, similar, "birth_year: 1970");
	assert_hard(PS_HARD_NONE, NULL, similar, "birth_year: 1990");
	assert_hard(PS_HARD_AGE, NULL, similar, "birth_year: 1969");
	assert_hard(PS_HARD_AGE, NULL, similar, "birth_year: 1991");
	assert_hard(PS_HARD_AGE, NULL, "preferences: {age_band: "
	    "{value: similar, required: true}}", "birth_year: 1980");
	/* not required: no constraint */
	assert_hard(PS_HARD_NONE, NULL, "preferences: {age_band: "
	    "{value: \"30-44\"}}", "birth_year: 1950");
}

static void
region_when_hard(void **state)
{
	const char *hard = "hard: [region]";

	(void)state;
	assert_hard(PS_HARD_NONE, NULL, "region: \"ON\"", "region: QC");
	assert_hard(PS_HARD_NONE, hard, "region: \"ON\"", "region: \"ON\"");
	assert_hard(PS_HARD_REGION, hard, "region: \"ON\"", "region: QC");
	assert_hard(PS_HARD_REGION, hard, "region: \"ON\"", NULL);
	assert_hard(PS_HARD_REGION, hard, NULL, "region: \"ON\"");
	assert_hard(PS_HARD_REGION, hard, NULL, NULL);
}

static void
exclude_list(void **state)
{
	const char *ex = "exclude_volunteers: [V-A00009, V-A00001]";

	(void)state;
	assert_hard(PS_HARD_EXCLUDED, NULL, ex, NULL);
	assert_hard(PS_HARD_NONE, NULL, ex, "id: V-A00002");
	assert_hard(PS_HARD_EXCLUDED, "hard: [not-excluded]", ex, NULL);
	assert_hard(PS_HARD_NONE, "hard: [language, mode, not-declined]", ex,
	    NULL);
}

static void
forbidden_pairs(void **state)
{
	struct pair t;
	struct ps_match_person v2;
	struct ps_node *v2rec;
	char p[16], v[16];
	int i;

	(void)state;
	pair_init(&t, NULL, NULL, NULL);
	v2rec = record(volunteer_base, "id: V-A00002");
	profile(t.c, &v2, v2rec);
	/* many pairs, none of them this one */
	for (i = 0; i < 200; i++) {
		snprintf(p, sizeof(p), "P-C%05d", i);
		snprintf(v, sizeof(v), "V-A%05d", 300 + i);
		assert_int_equal(ps_match_forbid(t.c, p, v), 0);
	}
	assert_int_equal(ps_match_forbid(t.c, "P-B00002", "V-A00001"), 0);
	assert_int_equal(ps_match_forbid(t.c, "P-B00001", "V-A00003"), 0);
	assert_int_equal(ps_match_check(t.c, &t.p, &t.v), PS_HARD_NONE);
	/* forbidden after a check too: the pair, and only the pair */
	assert_int_equal(ps_match_forbid(t.c, "P-B00001", "V-A00001"), 0);
	assert_int_equal(ps_match_check(t.c, &t.p, &t.v), PS_HARD_DECLINED);
	assert_int_equal(ps_match_check(t.c, &t.p, &v2), PS_HARD_NONE);
	assert_int_equal(ps_match_forbid(t.c, "P-B00001", "V-A00002"), 0);
	assert_int_equal(ps_match_check(t.c, &t.p, &v2), PS_HARD_DECLINED);
	ps_node_free(v2rec);
	pair_release(&t);

	/* only where the programme lists not-declined */
	pair_init(&t, "hard: [language, mode, not-excluded]", NULL, NULL);
	assert_int_equal(ps_match_forbid(t.c, "P-B00001", "V-A00001"), 0);
	assert_int_equal(ps_match_check(t.c, &t.p, &t.v), PS_HARD_NONE);
	pair_release(&t);
}

static void
first_failing_constraint_is_named(void **state)
{
	(void)state;
	/* in the order stream, language, mode, role, gender, age band,
	   region, exclusions, declined pairs */
	assert_hard(PS_HARD_LANGUAGE, "hard: [language, mode, region, "
	    "not-excluded]", "languages: [fr]\nregion: QC\n"
	    "exclude_volunteers: [V-A00001]\n"
	    "contact: {preferred_modes: [email]}", "modes: [phone]");
	assert_hard(PS_HARD_MODE, "hard: [language, mode, region, "
	    "not-excluded]", "region: QC\nexclude_volunteers: [V-A00001]\n"
	    "contact: {preferred_modes: [email]}", "modes: [phone]");
	assert_hard(PS_HARD_REGION, "hard: [language, mode, region, "
	    "not-excluded]", "region: QC\nexclude_volunteers: [V-A00001]\n"
	    "preferences: {volunteer_gender: {value: man}}", "gender: woman");
	assert_hard(PS_HARD_ROLE, NULL, "preferences: {volunteer_role: "
	    "{value: caregiver, required: true}, volunteer_gender: {value: man, "
	    "required: true}}", "gender: woman");
}

/* Scores: one criterion at a time. */

static void
eligible_pair_gets_one_point(void **state)
{
	struct pair t;

	(void)state;
	/* no weights at all: only the point for being eligible */
	pair_init(&t, NULL, "topics: [fatigue]", "topics: [fatigue]");
	points_are(score(&t), 1);
	expect_criteria(t.b, "eligible");
	expect_entry(t.b, "eligible", "1", 1, "meets every hard constraint");
	pair_release(&t);
	points_are(score_of("weights: {role: 0, topics: 0}", NULL, NULL), 1);
}

static void
role_points(void **state)
{
	const char *w = "weights: {role: 3}";
	const char *pref = "preferences: {volunteer_role: {value: caregiver}}";

	(void)state;
	expect_points(w, NULL, NULL, 4, "role", "3", 1,
	    "same lived-experience role");
	expect_points(w, NULL, "role: caregiver", 1, "role", "0", 0,
	    "a different lived-experience role");
	expect_points(w, NULL, "role: both", 4, "role", "3", 1,
	    "same lived-experience role");
	expect_points(w, "role: caregiver", "role: caregiver", 4, "role", "3",
	    1, "same lived-experience role");
	/* a preferred role is looked for instead of the participant's own */
	expect_points(w, pref, "role: caregiver", 4, "role", "3", 1,
	    "has the lived-experience role asked for");
	expect_points(w, pref, NULL, 1, "role", "0", 0,
	    "a different lived-experience role");
	/* a required one is met by every eligible volunteer, and scores */
	expect_points(w, "preferences: {volunteer_role: {value: caregiver, "
	    "required: true}}", "role: both", 4, "role", "3", 1,
	    "has the lived-experience role asked for");
}

static void
condition_points(void **state)
{
	const char *w = "weights: {condition: 1.5}";
	const char *held = "has lived with the condition at least as long";
	const char *not = "no longer experience of the condition known";

	(void)state;
	expect_points(w, "condition: {diagnosis_year: 2020}",
	    "condition: {diagnosis_year: 2015}", 2.5, "condition", "1.5", 1,
	    held);
	expect_points(w, "condition: {diagnosis_year: 2020}",
	    "condition: {diagnosis_year: 2020}", 2.5, "condition", "1.5", 1,
	    held);
	expect_points(w, "condition: {diagnosis_year: 2020}",
	    "condition: {diagnosis_year: 2021}", 1, "condition", "0", 0, not);
	expect_points(w, "condition: {diagnosis_year: 2020}", NULL, 1,
	    "condition", "0", 0, not);
	expect_points(w, NULL, "condition: {diagnosis_year: 2015}", 1,
	    "condition", "0", 0, not);
}

static void
topics_points(void **state)
{
	const char *w = "weights: {topics: 2}";
	const char *three = "topics: [employment, fatigue, new-diagnosis]";

	(void)state;
	/* 2 x 2/3 = 1.333 */
	expect_points(w, three, "topics: [fatigue, caregiving, employment]",
	    2.333, "topics", "1.333", 1, "2 of 3 topics in common");
	expect_points(w, three, "topics: [new-diagnosis]", 1.667, "topics",
	    "0.667", 1, "1 of 3 topics in common");
	expect_points(w, three, "topics: [new-diagnosis, fatigue, "
	    "employment, relationships]", 3, "topics", "2", 1,
	    "3 of 3 topics in common");
	expect_points(w, three, "topics: [caregiving]", 1, "topics", "0", 0,
	    "0 of 3 topics in common");
	expect_points(w, NULL, "topics: [caregiving]", 1, "topics", "0", 0,
	    "0 of 0 topics in common");
}

static void
region_and_timezone_points(void **state)
{
	const char *w = "weights: {region: 1, timezone: 0.5}";

	(void)state;
	expect_points(w, "region: NB\ntimezone: America/Moncton",
	    "region: NB\ntimezone: America/Moncton", 2.5, "region", "1", 1,
	    "same province or territory");
	expect_points(w, "region: NB\ntimezone: America/Moncton",
	    "region: NB\ntimezone: America/Moncton", 2.5, "timezone", "0.5",
	    1, "same time zone");
	expect_points(w, "region: NB\ntimezone: America/Moncton",
	    "region: NS\ntimezone: America/Halifax", 1, "region", "0", 0,
	    "a different or unknown region");
	expect_points(w, "region: NB\ntimezone: America/Moncton",
	    "region: NS\ntimezone: America/Halifax", 1, "timezone", "0", 0,
	    "a different or unknown time zone");
	/* unknown on either side is not the same */
	expect_points(w, "timezone: America/Moncton", "region: NB", 1,
	    "region", "0", 0, "a different or unknown region");
	expect_points(w, "timezone: America/Moncton", "region: NB", 1,
	    "timezone", "0", 0, "a different or unknown time zone");
	/* a region never counts as a time zone */
	expect_points(w, "region: NB", "timezone: NB", 1, "timezone", "0", 0,
	    "a different or unknown time zone");
}

static void
availability_points(void **state)
{
	const char *w = "weights: {availability: 2}";
	const char *four = "availability: [mon-am, mon-pm, mon-eve, sat-pm]";

	(void)state;
	/* 2 x 2/4 = 1 */
	expect_points(w, four, "availability: [mon-pm, sat-pm, sun-am, "
	    "tue-eve]", 2, "availability", "1", 1,
	    "2 of 4 times available in common");
	expect_points(w, four, "availability: [mon-eve]", 1.5, "availability",
	    "0.5", 1, "1 of 4 times available in common");
	/* morning, afternoon and evening are different times */
	expect_points(w, "availability: [wed-am]",
	    "availability: [wed-pm, wed-eve, thu-am]", 1, "availability", "0",
	    0, "0 of 1 times available in common");
	expect_points(w, "availability: [sun-eve, sat-eve, fri-eve]",
	    "availability: [sun-eve]", 1.667, "availability", "0.667", 1,
	    "1 of 3 times available in common");
	expect_points(w, NULL, "availability: [sun-eve]", 1, "availability",
	    "0", 0, "0 of 0 times available in common");
}

static void
age_band_points(void **state)
{
	const char *w = "weights: {age_band: 1}";
	const char *band = "preferences: {age_band: {value: \"45-59\"}}";
	const char *similar = "birth_year: 1980\n"
	    "preferences: {age_band: {value: similar}}";
	struct pair t;

	(void)state;
	expect_points(w, band, "birth_year: 1970", 2, "age_band", "1", 1,
	    "in the preferred age band");
	expect_points(w, band, "birth_year: 1990", 1, "age_band", "0", 0,
	    "not in the preferred age band");
	expect_points(w, band, NULL, 1, "age_band", "0", 0,
	    "not in the preferred age band");
	expect_points(w, similar, "birth_year: 1988", 2, "age_band", "1", 1,
	    "in the preferred age band");
	expect_points(w, similar, "birth_year: 1991", 1, "age_band", "0", 0,
	    "not in the preferred age band");
	/* required: hard, and still scored */
	expect_points(w, "preferences: {age_band: {value: \"45-59\", "
	    "required: true}}", "birth_year: 1970", 2, "age_band", "1", 1,
	    "in the preferred age band");
	/* no preference: not a criterion of this pair */
	pair_init(&t, w, "birth_year: 1980", "birth_year: 1980");
	points_are(score(&t), 1);
	expect_criteria(t.b, "eligible");
	pair_release(&t);
}

static void
soft_gender_preference_points(void **state)
{
	const char *w = "weights: {preferences: 2}";
	const char *pref = "preferences: {volunteer_gender: "
	    "{value: Non-Binary}}";
	struct pair t;

	(void)state;
	expect_points(w, pref, "gender: non-binary", 3, "preferences", "2", 1,
	    "the preferred gender");
	expect_points(w, pref, "gender: woman", 1, "preferences", "0", 0,
	    "not the preferred gender");
	expect_points(w, pref, NULL, 1, "preferences", "0", 0,
	    "not the preferred gender");
	/* a required gender is a hard constraint, not a preference */
	pair_init(&t, w, "preferences: {volunteer_gender: {value: woman, "
	    "required: true}}", "gender: woman");
	points_are(score(&t), 1);
	expect_criteria(t.b, "eligible");
	pair_release(&t);
	/* no preference: nothing to score */
	pair_init(&t, w, NULL, "gender: woman");
	points_are(score(&t), 1);
	expect_criteria(t.b, "eligible");
	pair_release(&t);
}

static void
waiting_points(void **state)
{
	const char *w = "weights: {waiting: 1}\nwaiting_points_per_week: 0.5\n"
	    "max_waiting_points: 3";
	struct pair t;

	(void)state;
	/* 20 days: 20 / 7 x 0.5 = 1.4286; the reason counts whole weeks,
	   or days under two weeks */
	expect_points(w, "received: 2026-11-02T09:00:00-05:00", NULL, 2.429,
	    "waiting", "1.429", 1, "waited 2 weeks");
	expect_points(w, "received: 2026-11-15T09:00:00-05:00", NULL, 1.5,
	    "waiting", "0.5", 1, "waited 7 days");
	expect_points(w, "received: 2026-11-19T09:00:00-05:00", NULL, 1.214,
	    "waiting", "0.214", 1, "waited 3 days");
	expect_points(w, NULL, NULL, 1, "waiting", "0", 0, "waited 0 days");
	/* the day of the application, as written in the record */
	expect_points(w, "received: 2026-11-15T23:30:00-08:00", NULL, 1.5,
	    "waiting", "0.5", 1, "waited 7 days");
	/* 52 days: 3.714, capped at 3 */
	expect_points(w, "received: 2026-10-01T09:00:00-04:00", NULL, 4,
	    "waiting", "3", 1, "waited 7 weeks");
	/* the weight multiplies the waiting points, after the cap */
	expect_points("weights: {waiting: 2}\nwaiting_points_per_week: 0.5\n"
	    "max_waiting_points: 3", "received: 2026-11-02T09:00:00-05:00",
	    NULL, 3.857, "waiting", "2.857", 1, "waited 2 weeks");
	expect_points("weights: {waiting: 2}\nwaiting_points_per_week: 0.5\n"
	    "max_waiting_points: 3", "received: 2026-10-01T09:00:00-04:00",
	    NULL, 7, "waiting", "6", 1, "waited 7 weeks");
	/* 2 x 52 / 7 x 1 = 14.857 */
	expect_points("weights: {waiting: 2}\nwaiting_points_per_week: 1\n"
	    "max_waiting_points: 10", "received: 2026-10-01T09:00:00-04:00",
	    NULL, 15.857, "waiting", "14.857", 1, "waited 7 weeks");
	/* defaults: half a point a week, at most 3 */
	expect_points("weights: {waiting: 1}",
	    "received: 2026-11-02T09:00:00-05:00", NULL, 2.429, "waiting",
	    "1.429", 1, "waited 2 weeks");
	expect_points("weights: {waiting: 1}",
	    "received: 2025-11-02T09:00:00-05:00", NULL, 4, "waiting", "3", 1,
	    "waited 55 weeks");
	/* an application dated in the future has not waited */
	expect_points(w, "received: 2026-12-01T09:00:00-05:00", NULL, 1,
	    "waiting", "0", 0, "waited 0 days");
	/* no waiting weight, no waiting points, whatever the rate */
	pair_init(&t, "weights: {role: 1}\nwaiting_points_per_week: 5",
	    "received: 2026-10-01T09:00:00-04:00", NULL);
	points_are(score(&t), 2);
	expect_criteria(t.b, "eligible role");
	pair_release(&t);
}

static void
points_are_rounded_to_thousandths(void **state)
{
	struct pair t;

	(void)state;
	/* each criterion is rounded, and the total is their sum:
	   1 + 0.333 + 0.333 = 1.666, not 1 + 2/3 = 1.667 */
	pair_init(&t, "weights: {topics: 1, availability: 1}",
	    "topics: [employment, fatigue, caregiving]\n"
	    "availability: [mon-am, tue-am, wed-am]",
	    "topics: [fatigue]\navailability: [wed-am]");
	points_are(score(&t), 1.666);
	expect_entry(t.b, "topics", "0.333", 1, "1 of 3 topics in common");
	expect_entry(t.b, "availability", "0.333", 1,
	    "1 of 3 times available in common");
	pair_release(&t);
	/* 3 x 2/7 = 0.857; 1/7 x 0.5 = 0.0714 -> 0.071; 1.928 in all */
	pair_init(&t, "weights: {topics: 3, waiting: 1}",
	    "received: 2026-11-21T09:00:00-05:00\n"
	    "topics: [a1, a2, a3, a4, a5, a6, a7]",
	    "topics: [a1, a7]");
	points_are(score(&t), 1.928);
	expect_entry(t.b, "topics", "0.857", 1, "2 of 7 topics in common");
	expect_entry(t.b, "waiting", "0.071", 1, "waited 1 day");
	pair_release(&t);
}

/* Every criterion with a weight, in order, and the total their sum. */
static void
breakdown_lists_weighted_criteria_in_order(void **state)
{
	struct pair t;
	double sum = 0;
	size_t i;

	(void)state;
	pair_init(&t, "weights: {waiting: 1, preferences: 2, age_band: 1, "
	    "availability: 2, timezone: 1, region: 1, topics: 2, condition: 1, "
	    "role: 3}",
	    "received: 2026-11-02T09:00:00-05:00\nregion: \"ON\"\n"
	    "timezone: America/Toronto\ntopics: [employment, fatigue]\n"
	    "availability: [mon-eve, wed-eve]\nbirth_year: 1980\n"
	    "condition: {diagnosis_year: 2024}\n"
	    "preferences: {age_band: {value: similar}, "
	    "volunteer_gender: {value: woman}}",
	    "region: \"ON\"\ntimezone: America/Toronto\n"
	    "topics: [fatigue]\navailability: [mon-eve]\nbirth_year: 1985\n"
	    "condition: {diagnosis_year: 2015}\ngender: man");
	/* 1 + 3 + 1 + 2 x 1/2 + 1 + 1 + 2 x 1/2 + 1 + 0 + 1.429 */
	points_are(score(&t), 11.429);
	expect_criteria(t.b, "eligible role condition topics region timezone "
	    "availability age_band preferences waiting");
	for (i = 0; i < t.b->n; i++) {
		const struct ps_node *e = t.b->vals[i];

		assert_int_equal(e->type, PS_NODE_MAP);
		assert_non_null(ps_node_get_str(e, "reason"));
		assert_true(strlen(ps_node_get_str(e, "reason")) <= 200);
		sum += strtod(ps_node_get_str(e, "points"), NULL);
	}
	points_are(sum, 11.429);
	expect_entry(t.b, "preferences", "0", 0, "not the preferred gender");
	pair_release(&t);
	/* a weight left out counts 0 and is not listed */
	pair_init(&t, "weights: {topics: 2, waiting: 0}",
	    "topics: [fatigue]", "topics: [fatigue]");
	points_are(score(&t), 3);
	expect_criteria(t.b, "eligible topics");
	pair_release(&t);
}

/* The volunteer schema of $PS_SCHEMA_DIR, else schemas/, or of path. */
static struct ps_schema *
volunteer_schema(const char *path)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_schema *s = NULL;
	char dflt[4096];

	if (path == NULL) {
		snprintf(dflt, sizeof(dflt), "%s/volunteer.yaml",
		    getenv("PS_SCHEMA_DIR") ? getenv("PS_SCHEMA_DIR") :
		    "schemas");
		path = dflt;
	}
	if (ps_schema_load(&s, path, &d) != 0) {
		ps_diags_print(&d, "test-match", stderr);
		fail_msg("cannot load %s", path);
	}
	ps_diags_release(&d);
	return s;
}

/* The public score of the pair, its breakdown's criteria in want. */
static double
public_score(struct pair *t, unsigned set, const char *want)
{
	double s;

	ps_node_free(t->b);
	assert_non_null(t->b = ps_node_new_seq());
	s = ps_match_score_with(t->c, set, &t->p, &t->v, t->b);
	points_are(ps_match_score_with(t->c, set, &t->p, &t->v, NULL), s);
	expect_criteria(t->b, want);
	return s;
}

/*
 * The score a participant sees reads none of the volunteer's x-sensitive
 * fields: volunteers alike but for the year of diagnosis, the year of
 * birth or the gender, each the one the full score rewards, score the
 * same; which criteria count follows the schema's annotations.
 */
static void
public_score_reads_no_sensitive_field(void **state)
{
	static const char *const liked[] = {
		"condition: {diagnosis_year: 2015}",
		"birth_year: 1990",
		"gender: woman",
	}, *const unlike[] = {
		"condition: {diagnosis_year: 2025}",
		"birth_year: 1950",
		"gender: man",
	};
	const char *w = "weights: {waiting: 1, preferences: 2, age_band: 1, "
	    "availability: 2, timezone: 1, region: 1, topics: 2, condition: 1, "
	    "role: 3}";
	const char *pl = "received: 2026-11-02T09:00:00-05:00\n"
	    "region: \"ON\"\ntimezone: America/Toronto\n"
	    "topics: [employment, fatigue]\navailability: [mon-eve, wed-eve]\n"
	    "birth_year: 1980\ncondition: {diagnosis_year: 2024}\n"
	    "preferences: {age_band: {value: 30-44}, "
	    "volunteer_gender: {value: woman}}";
	const char *common = "region: \"ON\"\ntimezone: America/Toronto\n"
	    "topics: [fatigue]\navailability: [mon-eve]\n";
	const char *visible = "eligible role topics region timezone "
	    "availability waiting";
	struct ps_schema *vs = volunteer_schema(NULL), *marked;
	struct ps_buf lines = PS_BUF_INIT;
	char path[] = "/tmp/test-match-XXXXXX";
	unsigned set = ps_match_public(vs);
	struct pair t;
	double full, pub;
	size_t i, j;
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(ps_buf_printf(&lines, "%s%s\n%s\n%s", common,
	    liked[0], liked[1], liked[2]), 0);
	pair_init(&t, w, pl, lines.s);
	/* 1 + 3 + 1 + 1 + 1 + 1 + 1.429; the full score adds 1 + 1 + 2 */
	pub = public_score(&t, set, visible);
	points_are(pub, 9.429);
	full = score(&t);
	points_are(full, 13.429);
	pair_release(&t);
	for (i = 0; i < sizeof(unlike) / sizeof(unlike[0]); i++) {
		ps_buf_truncate(&lines, 0);
		assert_int_equal(ps_buf_puts(&lines, common), 0);
		for (j = 0; j < sizeof(liked) / sizeof(liked[0]); j++)
			assert_int_equal(ps_buf_printf(&lines, "%s\n", i == j ?
			    unlike[j] : liked[j]), 0);
		pair_init(&t, w, pl, lines.s);
		points_are(public_score(&t, set, visible), pub);
		assert_true(score(&t) < full);
		pair_release(&t);
	}
	/* no schema: nothing of the volunteer, only the waiting */
	ps_buf_truncate(&lines, 0);
	assert_int_equal(ps_buf_printf(&lines, "%s%s\n%s\n%s", common,
	    liked[0], liked[1], liked[2]), 0);
	pair_init(&t, w, pl, lines.s);
	points_are(public_score(&t, ps_match_public(NULL),
	    "eligible waiting"), 2.429);
	/* every criterion, as ps_match_score() */
	points_are(public_score(&t, PS_MATCH_ALL, "eligible role condition "
	    "topics region timezone availability age_band preferences "
	    "waiting"), full);
	/* a field marked x-sensitive takes its criterion out */
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	fputs("type: object\nproperties:\n  role: {type: string}\n"
	    "  topics: {type: array, x-sensitive: true}\n"
	    "  region: {type: string}\n", f);
	assert_int_equal(fclose(f), 0);
	marked = volunteer_schema(path);
	unlink(path);
	points_are(public_score(&t, ps_match_public(marked),
	    "eligible role region waiting"), 6.429);
	pair_release(&t);
	ps_schema_free(marked);
	ps_schema_free(vs);
	ps_buf_release(&lines);
}

/* The example programme and the ps-match test records: the numbers that
   ps-match(1) works through. */
static void
ms_society_fixtures(void **state)
{
	static const char *const ids[] = { "P-B00001", "P-B00002", "P-B00003",
	    "P-B00004", "P-B00005", "V-A00001", "V-A00002", "V-A00003",
	    "V-A00004" };
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *prog = NULL, *rec[9], *b;
	struct ps_match_person p[9];
	struct ps_match_ctx *c = NULL;
	struct ps_match_index *x = NULL;
	enum ps_hard h;
	uint64_t cand;
	char path[128];
	size_t i, j;

	(void)state;
	assert_int_equal(ps_yaml_load_file(&prog,
	    "examples/ms-society/program.yaml", NULL, 0, &d), 0);
	assert_int_equal(ps_match_ctx_new(&c, prog, NULL, today, &d), 0);
	for (i = 0; i < 9; i++) {
		snprintf(path, sizeof(path), "tests/fixtures/match/%s.yaml",
		    ids[i]);
		assert_int_equal(ps_yaml_load_file(&rec[i], path, NULL, 0, &d),
		    0);
		profile(c, &p[i], rec[i]);
	}
	/* P-B00002, a caregiver in QC who applied 20 days ago, and
	   V-A00002, a caregiver in QC: 1 + 3 + 1 + 2 + 1 + 1 + 2 + 1.429 */
	assert_int_equal(ps_match_check(c, &p[1], &p[6]), PS_HARD_NONE);
	assert_non_null(b = ps_node_new_seq());
	points_are(ps_match_score(c, &p[1], &p[6], b), 12.429);
	expect_criteria(b, "eligible role condition topics region timezone "
	    "availability waiting");
	expect_entry(b, "role", "3", 1, "same lived-experience role");
	expect_entry(b, "waiting", "1.429", 1, "waited 2 weeks");
	ps_node_free(b);
	/* ...and V-A00001, living with MS in ON: 1 + 1 + 1 + 1.429 */
	points_are(ps_match_score(c, &p[1], &p[5], NULL), 4.429);
	/* P-B00001 requires a volunteer living with MS, waited 52 days */
	points_are(ps_match_score(c, &p[0], &p[5], NULL), 14);
	assert_int_equal(ps_match_check(c, &p[0], &p[6]), PS_HARD_ROLE);
	/* P-B00003 speaks French; P-B00004 Spanish, as no volunteer does */
	assert_int_equal(ps_match_check(c, &p[2], &p[5]), PS_HARD_LANGUAGE);
	points_are(ps_match_score(c, &p[2], &p[7], NULL), 11.857);
	for (i = 5; i < 9; i++)
		assert_int_equal(ps_match_check(c, &p[3], &p[i]),
		    PS_HARD_LANGUAGE);
	/* the OneCall request: V-A00001 does not serve onecall */
	assert_int_equal(ps_match_check(c, &p[4], &p[5]), PS_HARD_STREAM);
	assert_int_equal(ps_match_check(c, &p[4], &p[6]), PS_HARD_NONE);
	points_are(ps_match_score(c, &p[4], &p[6], NULL), 10.143);
	/* the candidates: those that pass, none stopped by stream, language
	   or role */
	assert_int_equal(ps_match_index_new(&x, c, p + 5, 4), 0);
	for (i = 0; i < 5; i++) {
		ps_match_candidates(x, &p[i], &cand);
		for (j = 0; j < 4; j++) {
			h = ps_match_check(c, &p[i], &p[5 + j]);
			if (h == PS_HARD_NONE)
				assert_true(cand & 1u << j);
			if (h == PS_HARD_STREAM || h == PS_HARD_LANGUAGE ||
			    h == PS_HARD_ROLE)
				assert_false(cand & 1u << j);
		}
	}
	ps_match_index_free(x);
	for (i = 0; i < 9; i++)
		ps_node_free(rec[i]);
	ps_node_free(prog);
	ps_match_ctx_free(c);
	ps_diags_release(&d);
}

/* Does text hold word (letters and digits), without regard to case? */
static int
has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	const char *s;

	for (s = text; n && (s = strcasestr(s, word)) != NULL; s++)
		if ((s == text || !isalnum((unsigned char)s[-1])) &&
		    !isalnum((unsigned char)s[n]))
			return 1;
	return 0;
}

/* The personal values of a record that a reason must never repeat. */
static void
reasons_hide(const struct ps_node *b, const struct ps_node *rec)
{
	static const char *const personal[] = { "name.first", "name.last",
	    "name.preferred", "gender", "birth_year", "condition.diagnosis_year",
	    "condition.details", "context", "contact.email", "contact.phone",
	    "preferences.volunteer_gender.value", NULL };
	const char *v, *r;
	size_t i, k;

	for (i = 0; i < b->n; i++) {
		r = ps_node_get_str(b->vals[i], "reason");
		assert_non_null(r);
		for (k = 0; personal[k]; k++)
			if ((v = ps_node_get_str(rec, personal[k])) != NULL &&
			    has_word(r, v))
				fail_msg("reason \"%s\" holds %s of %s", r,
				    personal[k], ps_node_get_str(rec, "id"));
	}
}

static void
reasons_carry_no_personal_values(void **state)
{
	static const char *const people[][2] = {
		{ "name: {first: Zelda, last: Quixote}\ngender: woman\n"
		    "birth_year: 1961\nregion: \"ON\"\n"
		    "condition: {diagnosis_year: 1987, details: CANARY-health}\n"
		    "context: CANARY-context\n"
		    "contact: {email: z@example.org, phone: \"+1 613 555 0199\"}\n"
		    "topics: [fatigue, employment]\navailability: [mon-am]\n"
		    "received: 2026-09-01T09:00:00-04:00\n"
		    "preferences: {volunteer_gender: {value: Two-Spirit}, "
		    "age_band: {value: similar}, "
		    "volunteer_role: {value: caregiver}}",
		  "name: {first: Yusuf, last: Okonkwo}\ngender: two-spirit\n"
		    "birth_year: 1958\nregion: \"ON\"\n"
		    "condition: {diagnosis_year: 1979}\n"
		    "topics: [fatigue]\navailability: [mon-am]\n"
		    "role: caregiver" },
		{ "name: {first: Woman}\ngender: man\nbirth_year: 2001\n"
		    "condition: {diagnosis_year: 2023, details: Relapsing}\n"
		    "preferences: {volunteer_gender: {value: woman}, "
		    "age_band: {value: \"18-29\"}}",
		  "name: {first: Man}\ngender: man\nbirth_year: 1944\n"
		    "condition: {diagnosis_year: 2024}" },
	};
	const char *w = "weights: {role: 3, condition: 1, topics: 2, "
	    "region: 1, timezone: 1, availability: 2, age_band: 1, "
	    "preferences: 2, waiting: 1}";
	struct pair t;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(people) / sizeof(people[0]); i++) {
		pair_init(&t, w, people[i][0], people[i][1]);
		score(&t);
		assert_true(t.b->n >= 9);
		reasons_hide(t.b, t.prec);
		reasons_hide(t.b, t.vrec);
		pair_release(&t);
	}
}

static void
fixture_reasons_carry_no_personal_values(void **state)
{
	struct ps_diags d = PS_DIAGS_INIT;
	struct ps_node *prog = NULL, *prec, *vrec, *b;
	struct ps_match_person p, v;
	struct ps_match_ctx *c = NULL;
	char path[128];
	int i, j;

	(void)state;
	assert_int_equal(ps_yaml_load_file(&prog,
	    "examples/ms-society/program.yaml", NULL, 0, &d), 0);
	assert_int_equal(ps_match_ctx_new(&c, prog, NULL, today, &d), 0);
	for (i = 1; i <= 5; i++)
		for (j = 1; j <= 4; j++) {
			snprintf(path, sizeof(path),
			    "tests/fixtures/match/P-B0000%d.yaml", i);
			assert_int_equal(ps_yaml_load_file(&prec, path, NULL,
			    0, &d), 0);
			snprintf(path, sizeof(path),
			    "tests/fixtures/match/V-A0000%d.yaml", j);
			assert_int_equal(ps_yaml_load_file(&vrec, path, NULL,
			    0, &d), 0);
			profile(c, &p, prec);
			profile(c, &v, vrec);
			assert_non_null(b = ps_node_new_seq());
			ps_match_score(c, &p, &v, b);
			reasons_hide(b, prec);
			reasons_hide(b, vrec);
			ps_node_free(b);
			ps_node_free(prec);
			ps_node_free(vrec);
		}
	ps_node_free(prog);
	ps_match_ctx_free(c);
	ps_diags_release(&d);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(constraint_names),
		cmocka_unit_test(a_pair_that_meets_everything),
		cmocka_unit_test(stream),
		cmocka_unit_test(language),
		cmocka_unit_test(mode),
		cmocka_unit_test(required_role),
		cmocka_unit_test(a_preference_for_both_roles_needs_both),
		cmocka_unit_test(required_gender),
		cmocka_unit_test(required_age_band),
		cmocka_unit_test(region_when_hard),
		cmocka_unit_test(exclude_list),
		cmocka_unit_test(forbidden_pairs),
		cmocka_unit_test(first_failing_constraint_is_named),
		cmocka_unit_test(eligible_pair_gets_one_point),
		cmocka_unit_test(role_points),
		cmocka_unit_test(condition_points),
		cmocka_unit_test(topics_points),
		cmocka_unit_test(region_and_timezone_points),
		cmocka_unit_test(availability_points),
		cmocka_unit_test(age_band_points),
		cmocka_unit_test(soft_gender_preference_points),
		cmocka_unit_test(waiting_points),
		cmocka_unit_test(points_are_rounded_to_thousandths),
		cmocka_unit_test(breakdown_lists_weighted_criteria_in_order),
		cmocka_unit_test(public_score_reads_no_sensitive_field),
		cmocka_unit_test(ms_society_fixtures),
		cmocka_unit_test(reasons_carry_no_personal_values),
		cmocka_unit_test(fixture_reasons_carry_no_personal_values),
	};

	return cmocka_run_group_tests_name("match", tests, setup, teardown);
}
