/* application: an application's forms and rules; see application.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "util/diag.h"
#include "util/str.h"
#include "model/node.h"
#include "model/program.h"
#include "model/record.h"
#include "rules/application.h"

/* Fields trimmed of surrounding blanks (the rest is as typed). */
static const char *const trimmed[] = { "name.first", "name.last",
    "name.preferred", "contact.email", "contact.phone",
    "contact.address.line1", "contact.address.line2",
    "contact.address.city", "contact.address.region",
    "contact.address.postal_code", "region", "timezone", "gender", "stream",
    "role", NULL };

/*
 * A phone number in one form: "+1 613 555 0142" for North America (ten
 * digits, or eleven starting with 1), else "+" and the digits; an
 * extension ("x123", "ext. 123") kept as " x123". -1 if not a number.
 */
static int
phone_canonical(const char *in, char *out, size_t outlen)
{
	char digits[32], ext[16];
	size_t nd = 0, ne = 0;
	int plus = 0, in_ext = 0;
	const char *p;

	for (p = in; *p; p++) {
		if (isdigit((unsigned char)*p)) {
			if (in_ext) {
				if (ne + 1 >= sizeof(ext))
					return -1;
				ext[ne++] = *p;
			} else {
				if (nd + 1 >= sizeof(digits))
					return -1;
				digits[nd++] = *p;
			}
		} else if (*p == '+' && nd == 0 && !plus)
			plus = 1;
		else if (*p == 'x' || *p == 'X' || strncasecmp(p, "ext", 3) == 0) {
			if (in_ext || nd == 0)
				return -1;
			in_ext = 1;
			if (*p != 'x' && *p != 'X')
				p += 2;
		} else if (!strchr(" -.()/", *p) && !(in_ext && *p == ' '))
			return -1;
	}
	digits[nd] = '\0';
	ext[ne] = '\0';
	if (in_ext && ne == 0)
		return -1;
	if ((!plus && nd == 10) || (nd == 11 && digits[0] == '1'))
		snprintf(out, outlen, "+1 %.3s %.3s %.4s", digits + nd - 10,
		    digits + nd - 7, digits + nd - 4);
	else if (plus && nd >= 8 && nd <= 15)
		snprintf(out, outlen, "+%s", digits);
	else
		return -1;
	if (ne) {
		size_t l = strlen(out);

		snprintf(out + l, outlen - l, " x%s", ext);
	}
	return 0;
}

/* Normalise what is safe to normalise; errors for what cannot be. */
size_t
ps_application_normalise(struct ps_node *rec, const char *file,
    struct ps_diags *d)
{
	struct ps_node *n, *langs;
	char phone[64];
	size_t i, bad = 0;

	for (i = 0; trimmed[i]; i++)
		ps_node_trim(ps_node_get(rec, trimmed[i]));
	if ((n = ps_node_get(rec, "contact.email")) &&
	    n->type == PS_NODE_SCALAR)
		ps_str_lower(n->str);
	for (i = 0; i < 2; i++) {
		n = ps_node_get(rec, i ? "contact.address.region" : "region");
		if (n && n->type == PS_NODE_SCALAR) {
			char *c;

			for (c = n->str; *c; c++)
				*c = (char)toupper((unsigned char)*c);
		}
	}
	if ((langs = ps_node_get(rec, "languages")) &&
	    langs->type == PS_NODE_SEQ)
		for (i = 0; i < langs->n; i++)
			if (langs->vals[i]->type == PS_NODE_SCALAR) {
				ps_node_trim(langs->vals[i]);
				ps_str_lower(langs->vals[i]->str);
			}
	if ((n = ps_node_get(rec, "contact.phone")) &&
	    n->type == PS_NODE_SCALAR) {
		if (phone_canonical(n->str, phone, sizeof(phone)) == -1) {
			ps_diag_add(d, PS_REFUSED, file, n->line, n->col,
			    "contact.phone", "not a phone number: give ten "
			    "digits, or + and the country code");
			bad++;
		} else {
			/* the canonical form may be longer: rebuild */
			struct ps_node *c = ps_node_new_str(phone);

			if (c == NULL) {
				ps_diag_nomem(d);
				return bad + 1;
			}
			c->line = n->line;
			c->col = n->col;
			ps_node_set(rec, "contact.phone", c);
		}
	}
	return bad;
}

static const char *
consent_title(const char *type)
{
	return strcmp(type, "pledge") == 0 ? "the confidentiality pledge" :
	    strcmp(type, "privacy") == 0 ? "the privacy notice" :
	    "the data-sharing consent";
}

/* Is a consent of this type given, in the current version? */
static size_t
require_consent(const struct ps_node *rec, const char *type,
    const char *version, const char *file, struct ps_diags *d)
{
	const struct ps_node *cs = ps_node_get(rec, "consents"), *c;
	const char *t, *g, *v;
	char path[64];
	size_t i;

	for (i = 0; cs && cs->type == PS_NODE_SEQ && i < cs->n; i++) {
		c = cs->vals[i];
		t = ps_node_get_str(c, "type");
		g = ps_node_get_str(c, "given");
		v = ps_node_get_str(c, "version");
		if (t == NULL || strcmp(t, type) != 0 || g == NULL ||
		    strcmp(g, "true") != 0)
			continue;
		if (v && strcmp(v, version) == 0)
			return 0;
		snprintf(path, sizeof(path), "consents.%zu.version", i);
		c = ps_node_get(c, "version");
		ps_diag_add(d, PS_REFUSED, file, c ? c->line : rec->line,
		    c ? c->col : rec->col, path, "%s agreed to is not the "
		    "current version (%s)", consent_title(type), version);
		return 1;
	}
	ps_diag_add(d, PS_REFUSED, file, rec->line, rec->col, "consents",
	    "%s (version %s) must be agreed to", consent_title(type), version);
	return 1;
}

/* Is there a diagnostic about path among d's since from? */
static int
reported(const struct ps_diags *d, size_t from, const char *path)
{
	size_t i;

	for (i = from; i < d->n; i++)
		if (d->v[i].path && strcmp(d->v[i].path, path) == 0)
			return 1;
	return 0;
}

/*
 * The programme's rules: streams, roles, consents. A field that an
 * earlier check (the schema's) already reported since diagnostic from
 * is not reported again. The messages name the streams and roles of the
 * programme, never the value submitted: a stream or role field may hold
 * an applicant's own words.
 */
size_t
ps_application_check(const struct ps_node *prog, const struct ps_node *rec,
    const char *file, size_t from, struct ps_diags *d)
{
	const struct ps_node *streams, *st, *n;
	const char *kind = ps_record_kind(rec), *role, *v;
	size_t bad = 0, i;
	char list[256], path[64];
	int pledge = 0;

	streams = ps_node_map_get(prog, "streams");
	ps_node_names(streams, list, sizeof(list));
	if (strcmp(kind, "participant") == 0) {
		n = ps_node_map_get(rec, "stream");
		st = n && n->type == PS_NODE_SCALAR ?
		    ps_program_stream(prog, n->str) : NULL;
		role = ps_node_get_str(rec, "role");
		if (n && st == NULL) {
			if (!reported(d, from, "stream")) {
				ps_diag_add(d, PS_REFUSED, file, n->line,
				    n->col, "stream", "not a stream of this "
				    "programme (it has: %s)", list);
				bad++;
			}
		} else if (st && role &&
		    !ps_node_seq_has(ps_node_map_get(st, "roles"), role) &&
		    !reported(d, from, "role")) {
			n = ps_node_map_get(rec, "role");
			ps_node_names(ps_node_map_get(st, "roles"), list,
			    sizeof(list));
			ps_diag_add(d, PS_REFUSED, file, n->line, n->col,
			    "role", "stream \"%s\" does not take this role (it "
			    "takes: %s)", ps_node_get_str(rec, "stream"), list);
			bad++;
		}
		v = st ? ps_node_get_str(st, "pledge_required") : NULL;
		pledge = v && strcmp(v, "true") == 0;
	} else {
		n = ps_node_map_get(rec, "streams");
		for (i = 0; n && n->type == PS_NODE_SEQ && i < n->n; i++) {
			if (n->vals[i]->type == PS_NODE_SCALAR &&
			    ps_program_stream(prog, n->vals[i]->str))
				continue;
			snprintf(path, sizeof(path), "streams.%zu", i);
			if (reported(d, from, path))
				continue;
			ps_diag_add(d, PS_REFUSED, file, n->vals[i]->line,
			    n->vals[i]->col, path, "not a stream of this "
			    "programme (it has: %s)", list);
			bad++;
		}
	}
	if (ps_node_seq_has(ps_node_get(prog, "consents.pledge.required_for"),
	    kind))
		pledge = 1;
	if (pledge && (v = ps_node_get_str(prog, "consents.pledge.version")))
		bad += require_consent(rec, "pledge", v, file, d);
	if ((v = ps_node_get_str(prog, "consents.privacy.version")))
		bad += require_consent(rec, "privacy", v, file, d);
	return bad;
}
