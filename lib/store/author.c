/* author: a commit's author; see author.h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "store/author.h"
#include "store/git.h"

/* A signature at ps_date_now() ($PS_NOW in tests and replays), local offset. */
static int
signature_at_now(git_signature **sig, const char *name, const char *email)
{
	time_t t = ps_date_now();
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL)
		return -1;
	return git_signature_new(sig, name, email, (git_time_t)t,
	    (int)(tm.tm_gmtoff / 60)) < 0 ? -1 : 0;
}

/*
 * A name or email git will take into a commit's header: not empty, and
 * no control character (a line break ends the header line: git's fsck
 * then finds no email), no angle bracket (they delimit the email).
 */
static int
header_safe(const char *v, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] < 0x20 || v[i] == 0x7f ||
		    v[i] == '<' || v[i] == '>')
			return 0;
	return 1;
}

static int
parse_author(git_signature **sig, const char *s)
{
	const char *lt = strchr(s, '<'), *gt = strrchr(s, '>');
	char name[256], email[256];
	size_t nl;

	if (lt == NULL || gt == NULL || gt < lt || gt[1] != '\0' || lt == s)
		return -1;
	nl = (size_t)(lt - s);
	while (nl > 0 && s[nl - 1] == ' ')
		nl--;
	if (nl >= sizeof(name) || (size_t)(gt - lt - 1) >= sizeof(email) ||
	    !header_safe(s, nl) || !header_safe(lt + 1, (size_t)(gt - lt - 1)))
		return -1;
	memcpy(name, s, nl);
	name[nl] = '\0';
	memcpy(email, lt + 1, (size_t)(gt - lt - 1));
	email[gt - lt - 1] = '\0';
	return signature_at_now(sig, name, email);
}

/*
 * The commit's author: given (--author), else $PS_AUTHOR, else the
 * store's git identity. A dry run makes no commit: an author given is
 * still checked, but with none *sig stays NULL and that is no error.
 */
int
ps_author_get(git_signature **sig, struct ps_store *s, const char *given,
    int dry_run, struct ps_diags *d)
{
	const char *env = getenv("PS_AUTHOR");
	git_signature *def = NULL;
	int ok, rc;

	*sig = NULL;
	if (given || (env && *env)) {
		const char *a = given ? given : env;

		if (parse_author(sig, a) == 0)
			return 0;
		return ps_diag_err(d, PS_USAGE, "%s: not an author like "
		    "\"Name <email>\"", given ? "--author" : "PS_AUTHOR");
	}
	if (dry_run)
		return 0;
	if (git_signature_default(&def, s->repo) < 0)
		return ps_diag_err(d, PS_USAGE, "no author for the commit: use "
		    "--author \"Name <email>\", set PS_AUTHOR, or run git "
		    "config user.name and git config user.email in the store");
	/* git's identity, checked as the others are, dated as they are */
	ok = header_safe(def->name, strlen(def->name)) &&
	    header_safe(def->email, strlen(def->email));
	rc = ok ? signature_at_now(sig, def->name, def->email) : 0;
	git_signature_free(def);
	if (!ok)
		return ps_diag_err(d, PS_USAGE, "git config user.name or "
		    "user.email: not an author like \"Name <email>\"");
	return rc == 0 ? 0 : ps_git_error(d, "cannot make the commit's author");
}
