/* author: a commit's author; see author.h. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/date.h"
#include "store/author.h"

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
	if (nl == 0 || nl >= sizeof(name) || (size_t)(gt - lt - 1) >=
	    sizeof(email) || gt - lt - 1 == 0)
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

	*sig = NULL;
	if (given || (env && *env)) {
		const char *a = given ? given : env;

		if (parse_author(sig, a) == 0)
			return 0;
		return ps_diag_err(d, PS_USAGE, "%s: not an author like "
		    "\"Name <email>\"", given ? "--author" : "PS_AUTHOR");
	}
	if (dry_run || git_signature_default(sig, s->repo) == 0)
		return 0;
	return ps_diag_err(d, PS_USAGE, "no author for the commit: use "
	    "--author \"Name <email>\", set PS_AUTHOR, or run git config "
	    "user.name and git config user.email in the store");
}
