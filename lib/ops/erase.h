/*
 * erase: a person taken out of the store and out of its whole history
 * (ps-apply --erase), when they ask for their personal data to be erased.
 *
 * What goes, from every commit of every ref (branches, tags, remote
 * branches, notes): the person's record file (participants/ID.yaml or
 * volunteers/ID.yaml), and every x-sensitive field of the records that
 * name them — their matches, the contacts logged with them or in their
 * matches, the groups they belong to or facilitate. Then the reflogs,
 * and every object that no ref reaches any more. What stays: every
 * commit, with its author, committer, dates and message, which is the
 * audit of who did what and when; every ID; every field that is not
 * sensitive. An erasure note, erasures/ID.yaml (the ID, its kind, when
 * and by whom; no personal data), is committed on the branch with the
 * subject "ps-apply: erase ID"; ps-check then accepts the IDs that other
 * records still name.
 *
 * Calling sequence: ps_erase(s, "P-7K3Q2X", &o, stdout, &d) does it all,
 * holding the store's lock:
 *	survey	every commit of every ref, oldest first: the versions of
 *		the person's record (the values of its sensitive fields) and
 *		the IDs of their matches. Refused, with nothing changed: an
 *		ID in no commit, changes not committed, a stash, other work
 *		trees, a shallow clone, borrowed objects (alternates), a
 *		match still open (withdraw the person first), a commit or
 *		tag message that holds a value of their record
 *	rewrite	each commit into an in-memory object database (libgit2's
 *		mempack), so that nothing reaches the disk before the whole
 *		rewrite is done; each blob and tree is read once, and a
 *		commit whose tree and parents did not change keeps its ID
 *	pack	every object the rewritten refs and the erasure commit
 *		reach, written as one new pack and fsynced
 *	move	the branch, through ps_txn_replace() (journal, work tree,
 *		index); then each other ref, compare-and-swap
 *	prune	the reflogs, ORIG_HEAD, FETCH_HEAD, COMMIT_EDITMSG and
 *		rr-cache; every other pack, every loose object, the
 *		commit-graph and multi-pack-index
 * A crash before the refs move leaves the store as it was (a spare pack
 * at most); after, the old history lingers only in objects no ref
 * reaches, and running the same erasure again finishes the job (an ID
 * already erased is pruned for again). With dry_run, survey and rewrite
 * run, what would change is printed, and nothing is written.
 *
 * Output: what was done, and what must be done in every other clone and
 * backup, on out. Warnings in the diagnostics: records linked with the
 * person (maybe theirs too), and files that still hold a value of their
 * record that says who they are (last name, email, phone, address), such
 * as hand-made copies, which are not changed.
 *
 * Errors: PS_USAGE for an ID that is not a participant's or a
 * volunteer's, or no author; PS_REFUSED for the refusals above; PS_STORE
 * for git and I/O failures.
 * The store is borrowed, and locked while the history is rewritten.
 */
#ifndef PS_ERASE_H
#define PS_ERASE_H

#include <stdio.h>

#include "util/diag.h"
#include "store/store.h"

struct ps_erase_opts {
	int		 dry_run;
	const char	*author;	/* "Name <email>", or NULL */
};

int	ps_erase(struct ps_store *, const char *id,
	    const struct ps_erase_opts *, FILE *out, struct ps_diags *);

#endif
