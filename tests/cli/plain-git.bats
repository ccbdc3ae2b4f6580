#!/usr/bin/env bats
# The tools beside plain git and after crashes (issue 19): what goes into
# a commit's header, git's own locks, hand edits, symlinks, permissions,
# an unborn branch, and the exit status of a write that was committed.
load helpers

export PS_NOW=2026-11-22T15:00:00Z

# The store's state, to show a refusal changed nothing: HEAD, the index,
# and the work tree as git sees it.
state() {
	git rev-parse HEAD
	git ls-files -s | git hash-object --stdin
	git status --porcelain
}

@test "an author with a line break is refused from each source, before a write" {
	logged_store
	before=$(state)
	run_split ps-log "$M" --mode phone --minutes 30 --author $'Evil\nX <e@example.org>'
	expect 2 "" 'ps-log: --author: not an author like "Name <email>"'
	PS_AUTHOR=$'Evil\nX <e@example.org>' run_split ps-log "$M" --mode phone --minutes 30
	expect 2 "" 'ps-log: PS_AUTHOR: not an author like "Name <email>"'
	git config user.name $'Evil\nX'
	git config user.email e@example.org
	PS_AUTHOR= run_split ps-log "$M" --mode phone --minutes 30
	expect 2 "" 'ps-log: git config user.name or user.email: not an author like "Name <email>"'
	[ "$(state)" = "$before" ]
	git fsck --strict --no-dangling
	git config user.name 'Plain Name'
	PS_AUTHOR= run_split ps-log "$M" --mode phone --minutes 30
	[ "$status" = 0 ]
	[ "$(git log -1 --format='%an <%ae> %cI')" = "Plain Name <e@example.org> 2026-11-22T15:00:00+00:00" ]
	git fsck --strict --no-dangling
}
