/*
 * match: who may be matched with whom, and how well — the rules of
 * program.yaml matching, applied to one participant and one volunteer.
 *
 * A context holds the rules (hard constraints, weights, waiting points)
 * and the tables that turn people into compact profiles: languages,
 * topics, regions, time zones and genders become small integers and bit
 * sets, so that checking a pair is a handful of bit operations and
 * proposals for 10,000 participants and 2,000 volunteers stay fast.
 *
 * Calling sequence:
 *	ps_match_ctx_new(&c, prog, matching, today, &d)   matching: NULL for
 *						  program.yaml's own rules
 *	ps_match_forbid(c, "P-…", "V-…")	  a pair declined or ended early
 *	ps_match_person_init(c, &p, rec, &d)	  every participant, volunteer
 *	ps_match_check(c, &p, &v)		  PS_HARD_NONE or what failed
 *	ps_match_score(c, &p, &v, breakdown)	  points, and optionally the
 *						  explanation as criteria
 *	ps_match_score_with(c, ps_match_public(schema), &p, &v, NULL)
 *						  what a participant may see
 *	ps_match_ctx_free(c)
 *
 * Scoring (the man page ps-match(1) says the same to coordinators): every
 * pair that meets the hard constraints gets 1 point; then, each times its
 * weight: role 1 when the volunteer has the role the participant prefers
 * (else the participant's own role); condition 1 when the volunteer has
 * lived with it at least as long; topics and availability the share of
 * the participant's topics or slots the volunteer shares; region and
 * timezone 1 when the same; age_band 1 in the preferred band (or within
 * ten years for "similar"); preferences 1 when a preferred gender that is
 * not required is met; waiting the participant's waiting points (per week
 * since the application, capped). Points are rounded to thousandths.
 *
 * A participant choosing a mentor sees a score too, and must learn
 * nothing from it about the volunteer's x-sensitive fields: that score
 * counts only the criteria that read none (ps_match_public(), from the
 * volunteer schema's annotations), so diagnosis year, birth year and
 * gender do not move it.
 *
 * Ownership: the context copies what it keeps; a profile borrows its
 * record, which must outlive it. Errors: 0, or a diagnostic's status.
 */
#ifndef PS_MATCH_H
#define PS_MATCH_H

#include <stddef.h>
#include <stdint.h>

#include "util/diag.h"
#include "model/node.h"

struct ps_schema;

/* The hard constraints, in the order reasons are given. */
enum ps_hard {
	PS_HARD_NONE = 0,
	PS_HARD_STREAM,		/* the volunteer serves the stream */
	PS_HARD_LANGUAGE,
	PS_HARD_MODE,
	PS_HARD_ROLE,
	PS_HARD_GENDER,
	PS_HARD_AGE,
	PS_HARD_REGION,
	PS_HARD_EXCLUDED,
	PS_HARD_DECLINED,
	PS_HARD_COUNT
};

#define PS_MATCH_BITS	4	/* 64-bit words in a set: 256 values */

struct ps_match_set {
	uint64_t	w[PS_MATCH_BITS];
};

struct ps_match_person {
	const struct ps_node	*rec;
	const char		*id;
	uint64_t		 key;		/* the ID packed, for pairs */
	int			 stream;	/* participant: stream index */
	uint64_t		 streams;	/* volunteer: streams served */
	unsigned		 role;		/* 1 living-with, 2 caregiver */
	struct ps_match_set	 langs;
	struct ps_match_set	 topics;
	unsigned		 modes;		/* bit per mode */
	uint32_t		 slots;		/* bit per availability slot */
	int			 ntopics, nslots;
	int			 region, tz, gender;	/* -1: not given */
	int			 birth_year, diagnosis_year;	/* 0: not given */
	/* participant preferences; want_* -1 or 0 when none */
	unsigned		 want_role;
	int			 want_gender, want_age;
	unsigned		 required;	/* bit per enum ps_hard */
	const struct ps_node	*exclude;	/* exclude_volunteers, or NULL */
	long			 received;	/* day of the application */
};

struct ps_match_ctx;

int	ps_match_ctx_new(struct ps_match_ctx **, const struct ps_node *prog,
	    const struct ps_node *matching, long today, struct ps_diags *);
void	ps_match_ctx_free(struct ps_match_ctx *);
/* Never propose this pair again. */
int	ps_match_forbid(struct ps_match_ctx *, const char *participant,
	    const char *volunteer);
int	ps_match_person_init(struct ps_match_ctx *, struct ps_match_person *,
	    const struct ps_node *rec, struct ps_diags *);
enum ps_hard ps_match_check(const struct ps_match_ctx *,
	    const struct ps_match_person *p, const struct ps_match_person *v);
/*
 * Candidates: bit sets over a list of volunteers, by stream, language,
 * contact mode, role and gender, so that a participant's possible
 * volunteers come from a few words of AND and OR rather than a check of
 * every pair. ps_match_candidates() sets in out (one bit a volunteer,
 * ps_match_words() words) a superset of those that meet the hard
 * constraints: each must still pass ps_match_check(). Make the index
 * once every profile is made (it sizes its sets by the context's tables);
 * it borrows the volunteers' profiles.
 */
struct ps_match_index;

int	ps_match_index_new(struct ps_match_index **,
	    const struct ps_match_ctx *, const struct ps_match_person *v,
	    size_t nv);
void	ps_match_index_free(struct ps_match_index *);
size_t	ps_match_words(const struct ps_match_index *);
void	ps_match_candidates(const struct ps_match_index *,
	    const struct ps_match_person *p, uint64_t *out);
/*
 * The pair's score. With breakdown (a sequence), appends one criterion
 * mapping per criterion that has a weight: criterion, points, held and
 * a reason in plain words that carries no personal value.
 */
double	ps_match_score(const struct ps_match_ctx *,
	    const struct ps_match_person *p, const struct ps_match_person *v,
	    struct ps_node *breakdown);
/*
 * Sets of criteria, a bit each. PS_MATCH_ALL is every one; the public
 * set, those whose volunteer field (role, condition.diagnosis_year,
 * topics, region, timezone, availability, birth_year, gender) the
 * volunteer schema has and does not mark x-sensitive, with waiting,
 * which reads the participant's record only. Without a schema, waiting
 * alone. ps_match_score_with() counts and explains only the criteria in
 * the set; being eligible always gives its 1.
 */
#define PS_MATCH_ALL	(~0u)
unsigned ps_match_public(const struct ps_schema *volunteer);
double	ps_match_score_with(const struct ps_match_ctx *, unsigned set,
	    const struct ps_match_person *p, const struct ps_match_person *v,
	    struct ps_node *breakdown);
/* Points as records write them: thousandths, no trailing zeros (2.5). */
void	ps_match_points(char out[32], double);
/* The constraint's name as program.yaml matching.hard spells it. */
const char *ps_match_hard_name(enum ps_hard);
/* The stream's name for a participant profile's stream index. */
const char *ps_match_stream_name(const struct ps_match_ctx *, int);

#endif
