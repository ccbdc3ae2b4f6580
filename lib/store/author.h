/*
 * author: who a commit of the tools is by — "Name <email>" given
 * (--author), else $PS_AUTHOR, else the store's git identity (git config
 * user.name and user.email) — at the time ps_date_now() gives ($PS_NOW in
 * tests and replays), in the local zone's offset, whichever the source.
 * Each source is checked before anything is written: a name or email
 * that is empty, or holds a control character (a line break would end
 * the commit's header line) or an angle bracket, is refused.
 */
#ifndef PS_AUTHOR_H
#define PS_AUTHOR_H

#include <git2.h>

#include "util/diag.h"
#include "store/repo.h"

/* The author of a commit, as ps_txn_commit() takes it; with dry_run and
   none of them, *sig is NULL and that is no error. An author, from any
   source, that is not like "Name <email>" is PS_USAGE. The caller frees
   *sig. */
int	 ps_author_get(git_signature **sig, struct ps_store *,
	    const char *given, int dry_run, struct ps_diags *);

#endif
