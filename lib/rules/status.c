/* status: what a record's status means for its work; see status.h. */
#include <stdlib.h>

#include "util/str.h"
#include "rules/status.h"

int
ps_status_match_open(const char *status)
{
	return ps_streq(status, "proposed") || ps_streq(status, "active") ||
	    ps_streq(status, "callback-open");
}

long
ps_status_capacity(const char *capacity, const struct ps_node *prog)
{
	if (capacity == NULL && prog != NULL)
		capacity = ps_node_get_str(prog, "volunteers.default_capacity");
	return capacity ? atol(capacity) : 1;
}

int
ps_status_volunteer_free(const char *status, long expires, long today,
    long capacity, long open)
{
	return ps_streq(status, "active") && expires >= today &&
	    capacity - open > 0;
}

int
ps_status_participant_waiting(const char *status)
{
	return ps_streq(status, "applied") || ps_streq(status, "onboarding") ||
	    ps_streq(status, "waiting");
}

int
ps_status_person_closed(const char *status)
{
	return ps_streq(status, "closed") || ps_streq(status, "withdrawn") ||
	    ps_streq(status, "declined") || ps_streq(status, "retired");
}
