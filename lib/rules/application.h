/*
 * application: what ps-apply makes of an application (a participant's or
 * a volunteer's) beyond its schema — the form its fields are kept in,
 * and the programme's rules it must meet.
 *
 * Normalising changes only what is safe to change: the names, the
 * contact and address fields, region, timezone, gender, stream and role
 * lose the blanks around them; the email is lower-case, the region and
 * the address's region upper-case, each language code trimmed and lower-
 * case; the phone number takes one form, "+1 613 555 0142" for a North
 * American number (ten digits, or eleven starting with 1), else "+" and
 * the digits, an extension ("x123", "ext. 123") as " x123". The
 * applicant's own words are left as typed. A phone number that is not
 * one is refused.
 *
 * The programme's rules: a participant's stream is one of the
 * programme's and takes the role given; each of a volunteer's streams is
 * one of the programme's; the consents the programme requires are given
 * (given: true) in their current version — the privacy notice when
 * program.yaml names its version, and the confidentiality pledge when
 * the participant's stream requires it (pledge_required) or
 * consents.pledge.required_for names the kind. A stream or role that a
 * diagnostic since index from already names (the schema's check) is not
 * reported again. The messages name the programme's streams and roles,
 * never the value given: it may be an applicant's own words.
 *
 * Calling sequence, for each application:
 *	bad = ps_application_normalise(rec, "apps.yaml", &d);
 *	from = d.n;
 *	bad += ps_record_check(schemas, rec, "apps.yaml", &d);
 *	bad += ps_application_check(program, rec, "apps.yaml", from, &d);
 *
 * Ownership: normalising changes rec in place; the check borrows rec and
 * the programme (program.yaml's validated tree).
 *
 * Errors: each problem is a PS_REFUSED diagnostic in d with file, the
 * field's line and column, and its path (contact.phone, stream, role,
 * streams.N, consents, consents.N.version); both return how many there
 * are, 0 when all is well. Out of memory while normalising adds
 * ps_diag_nomem's diagnostic and counts one.
 */
#ifndef PS_APPLICATION_H
#define PS_APPLICATION_H

#include <stddef.h>

#include "util/diag.h"
#include "model/node.h"

size_t	ps_application_normalise(struct ps_node *rec, const char *file,
	    struct ps_diags *);
size_t	ps_application_check(const struct ps_node *prog,
	    const struct ps_node *rec, const char *file, size_t from,
	    struct ps_diags *);

#endif
