/*
 * rsum: what a report reads of a record — a summary of the few fields its
 * figures need (IDs, statuses, streams, dates, counts), none of them
 * x-sensitive. A report keeps a summary of every participant, volunteer
 * and match (about 200 bytes each, where the parsed record takes tens of
 * kilobytes) and works out one for each contact it reads.
 *
 * Summaries are kept by git blob id in .git/ps-cache/report (rcache.h),
 * so a report reads and parses only the records that changed since a
 * report last read them: a record's content never changes under its blob
 * id. The cache's tag is this module's format and the schemas records
 * are checked against; a record that is not good is never cached (it is
 * read, and reported, each time). If the schemas in use mark a summary's
 * field x-sensitive, nothing is cached. ps-apply --erase removes the
 * cache with the history it rewrites.
 *
 * Calling sequence:
 *	ps_rsums_open(&r, store, commit, &d)
 *	ps_rsums_each(r, "participants", 0, fn, arg, &d)  one summary each
 *	ps_rsums_record(r, sum, &rec, &d)  the whole record, when a summary
 *					   is not enough (the caller frees)
 *	ps_rsums_free(r)		   saves what was learnt
 *
 * Fields are the record's text (as ps_node_get_str() gives it), or NULL;
 * a few are worked out: PS_P_FU (a follow-up consent is recorded, "")
 * with the last one's given and date, PS_V_EXPIRES (ps_screen_expiry(),
 * in days) and its step, PS_M_CALLBACK and PS_C_FLAG ("" when the record
 * has a callback or a flag).
 *
 * Ownership: summaries of participants, volunteers and matches live until
 * ps_rsums_free(); a contact's only for the call of fn. Errors: 0, or the
 * status of the diagnostics added.
 */
#ifndef PS_RSUM_H
#define PS_RSUM_H

#include <git2.h>

#include "store/store.h"

enum ps_rsum_kind {
	PS_RSUM_PARTICIPANT, PS_RSUM_VOLUNTEER, PS_RSUM_MATCH, PS_RSUM_CONTACT
};

enum {
	PS_P_ID, PS_P_STATUS, PS_P_STREAM, PS_P_ROLE, PS_P_RECEIVED,
	PS_P_WITHDRAWN, PS_P_ERASED, PS_P_FU, PS_P_FU_GIVEN, PS_P_FU_DATE,
	PS_P_N
};
enum {
	PS_V_ID, PS_V_STATUS, PS_V_RECEIVED, PS_V_DECIDED, PS_V_DECISION,
	PS_V_CAPACITY, PS_V_EXPIRES, PS_V_EXPIRES_STEP, PS_V_N
};
enum {
	PS_M_ID, PS_M_STATUS, PS_M_STREAM, PS_M_PARTICIPANT, PS_M_VOLUNTEER,
	PS_M_PROPOSED, PS_M_ACCEPTED, PS_M_DAYS, PS_M_PLANNED_END,
	PS_M_END_REASON, PS_M_CALLBACK, PS_M_CB_REQUESTED, PS_M_CB_CLOSED,
	PS_M_CB_ON_TIME, PS_M_CB_DUE, PS_M_N
};
enum {
	PS_C_ID, PS_C_TYPE, PS_C_DATE, PS_C_MATCH, PS_C_PARTICIPANT, PS_C_MODE,
	PS_C_MINUTES, PS_C_ACTIVITY, PS_C_HOURS, PS_C_ATTENDEES, PS_C_FUNDER,
	PS_C_HOST, PS_C_HELPFUL, PS_C_OUTCOME,	/* 4: empowerment, isolation,
						   coping, distress */
	PS_C_FLAG = PS_C_OUTCOME + 4, PS_C_FLAG_TYPE, PS_C_REFERRAL,
	PS_C_FU_CONSENT, PS_C_FU_AFTER, PS_C_N
};

struct ps_rsum {
	git_oid		 blob;
	int		 kind;		/* enum ps_rsum_kind */
	const char	*f[];		/* by the kind's enum above */
};

struct ps_rsums;

/* Summaries of records in a commit's folders. */
int	 ps_rsums_open(struct ps_rsums **, struct ps_store *,
	    const git_oid *commit, struct ps_diags *);
typedef int (*ps_rsum_fn)(void *arg, const struct ps_rsum *,
	    struct ps_diags *);
/* Every good record under dir: contacts as contacts (the folder's kind,
   whatever a record says), else by the record's kind (a participant, a
   volunteer, else a match). */
int	 ps_rsums_each(struct ps_rsums *, const char *dir, int contacts,
	    ps_rsum_fn, void *, struct ps_diags *);
int	 ps_rsums_record(struct ps_rsums *, const struct ps_rsum *,
	    struct ps_node **, struct ps_diags *);
void	 ps_rsums_free(struct ps_rsums *);

#endif
