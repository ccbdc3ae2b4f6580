/*
 * status: what a record's status means for the work it can take — the
 * one home of these rules, which ps-match, ps-check, ps-report and the
 * other tools all ask here:
 *
 *   an open match     proposed, active or callback-open: it holds a
 *                     place of its volunteer's capacity, and its
 *                     participant is not waiting for another;
 *   capacity          how many open matches a volunteer may hold: the
 *                     record's capacity, else program.yaml's
 *                     volunteers.default_capacity, else 1;
 *   a free volunteer  active, checks in date on the day asked about,
 *                     and capacity left (capacity minus open matches);
 *   a participant     applied, onboarding or waiting (whether their
 *     waiting         onboarding is done is screen.h's question);
 *   a person closed   a participant or volunteer closed, withdrawn,
 *                     declined or retired.
 *
 * Statuses are the record's status field (NULL: none, which is nothing
 * of the above). Nothing here allocates or fails.
 */
#ifndef PS_STATUS_H
#define PS_STATUS_H

#include "model/node.h"

/* Is a match of this status open? */
int	 ps_status_match_open(const char *status);
/* A volunteer's capacity, from the record's capacity field (NULL when it
   has none) and the programme (NULL: none). */
long	 ps_status_capacity(const char *capacity, const struct ps_node *prog);
/* May a volunteer take a new match on day today: its status, the day
   its first check expires (LONG_MAX: none), its capacity and the open
   matches it holds? */
int	 ps_status_volunteer_free(const char *status, long expires,
	    long today, long capacity, long open);
/* Is a participant of this status waiting for a match? */
int	 ps_status_participant_waiting(const char *status);
/* Is a participant or volunteer of this status closed: closed,
   withdrawn, declined or retired? */
int	 ps_status_person_closed(const char *status);

#endif
