#!/usr/bin/env bats
# The tools beside plain git and after crashes (issue 19): what goes into
# a commit's header, git's own locks, hand edits, symlinks, permissions,
# an unborn branch, and the exit status of a write that was committed.
# Every clock is pinned: PS_NOW here; git's commits by helpers.bash's
# setup, which exports GIT_AUTHOR_DATE and GIT_COMMITTER_DATE.
load helpers
load erase

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

@test "a record's time zone must be one the system knows, not only well formed" {
	new_store
	awk '/^---/ { n++ } n <= 1' "$FIX"/apply/two.yaml |
	    sed 's|^timezone: .*|timezone: Etc/GMT+99|' >bad.yaml
	line=$(grep -n '^timezone:' bad.yaml | cut -d: -f1)
	before=$(git -C s rev-parse HEAD)
	run_split ps-apply -C s bad.yaml
	[ "$status" = 1 ]
	[[ "$err" == *"bad.yaml:$line:11: timezone: no such time zone on this system (e.g. America/Toronto)"* ]]
	[ "$(git -C s rev-parse HEAD)" = "$before" ]
	# one committed by hand: ps-check names it
	mkdir -p s/participants
	sed 's|^timezone: .*|timezone: Etc/GMT+99|' "$FIX"/records/valid/P-2HC6NE.yaml >s/participants/P-2HC6NE.yaml
	git_commit_all "by hand"
	run_split ps-check -C s
	expect 1 "0 records checked, 1 problem" "ps-check: participants/P-2HC6NE.yaml:10:11: timezone: no such time zone on this system (e.g. America/Toronto)"
}

@test "PS_LOCK_TIMEOUT that is not a number of seconds is refused, not taken as 30" {
	logged_store
	before=$(state)
	for v in abc 10s -1 86400 1e9; do
		PS_LOCK_TIMEOUT=$v run_split ps-log "$M" --mode phone --minutes 30
		expect 2 "" "ps-log: PS_LOCK_TIMEOUT: not a number of seconds from 0 to 86399"
	done
	[ "$(state)" = "$before" ]
	PS_LOCK_TIMEOUT=0.5 run_split ps-log "$M" --mode phone --minutes 30
	[ "$status" = 0 ]
}

@test "a symlink at .git/ps.lock is refused, never followed" {
	logged_store
	before=$(state)
	rm -f .git/ps.lock
	ln -s "$T/elsewhere" .git/ps.lock
	run_split ps-log "$M" --mode phone --minutes 30
	expect 3 "" "ps-log: cannot open lock file $T/s/.git/ps.lock: it is a symlink; remove it"
	[ ! -e "$T/elsewhere" ]
	[ "$(state)" = "$before" ]
}

@test "a record deleted by hand and not committed is named as such, not as no record" {
	logged_store
	rm participants/P-B00002.yaml
	before=$(state)
	run_split ps-apply --withdraw P-B00002 --reason moved
	expect 3 "" "ps-apply: P-B00002: deleted from the work tree but not committed: restore it with git checkout -- participants/P-B00002.yaml, or commit the deletion"
	[ "$(state)" = "$before" ]
	run_split ps-apply --withdraw P-B99999 --reason moved
	expect 1 "" "ps-apply: P-B99999: no such record"
}

@test "a record folder that is a symlink is never written through" {
	logged_store
	mkdir "$T/elsewhere"
	rm -rf contacts
	ln -s "$T/elsewhere" contacts
	head=$(git rev-parse HEAD)
	run_split ps-log "$M" --mode phone --minutes 30 --date 2026-11-21
	[ "$status" = 3 ]
	[[ "$err" == "ps-log: contacts/2026/11/21/C-"*".yaml: contacts: a symlink; the store's folders must be real folders" ]]
	[ -z "$(ls -A "$T/elsewhere")" ]
	[ "$(git rev-parse HEAD)" = "$head" ]
	# a folder below, replaced by one
	rm contacts
	git checkout -q -- .
	run_split ps-log "$M" --mode phone --minutes 30 --date 2026-11-21
	[ "$status" = 0 ]
	mv contacts/2026/11 "$T/elsewhere/11"
	ln -s "$T/elsewhere/11" contacts/2026/11
	run_split ps-log "$M" --mode phone --minutes 30 --date 2026-11-21
	[ "$status" = 3 ]
	[[ "$err" == *": contacts/2026/11: a symlink; the store's folders must be real folders" ]]
	[ "$(ls "$T/elsewhere/11/21" | wc -l)" = 1 ]
}

@test "a committed record folder that is a symlink is refused when read" {
	logged_store
	mkdir "$T/outside"
	cp participants/*.yaml "$T/outside/"
	git rm -rq participants
	ln -s "$T/outside" participants
	git_commit_all "participants elsewhere" "$PWD"
	for cmd in "ps-check" "ps-match -n" "ps-apply --list"; do
		run_split $cmd
		[ "$status" = 3 ]
		[[ "$err" == *"participants: a symlink; the store's folders must be real folders"* ]]
	done
}

@test "a git lock on the branch taken mid-write is waited for, not a failure" {
	logged_store
	# git gc (pack-refs) beside: the branch's lock comes and goes, taken
	# as git takes it (O_EXCL: noclobber), never over the tool's own
	( set -C
	  while [ ! -e "$T/stop" ]; do
		if { : >.git/refs/heads/master.lock; } 2>/dev/null; then
			sleep 0.03
			rm -f .git/refs/heads/master.lock
		fi
		sleep 0.01
	  done ) &
	n=$(git rev-list --count HEAD)
	fails=0
	for i in $(seq 20); do
		ps-log "$M" --mode phone --minutes $i >/dev/null 2>"$T/err.$i" || fails=$((fails + 1))
	done
	touch "$T/stop"
	wait
	cat "$T"/err.* >&2
	[ "$fails" = 0 ]
	[ "$(git rev-list --count HEAD)" = $((n + 20)) ]
	# one that is never let go: the message names it
	: >.git/refs/heads/master.lock
	PS_LOCK_TIMEOUT=0.2 run_split ps-log "$M" --mode phone --minutes 5
	expect 3 "" "ps-log: $T/s/.git/refs/heads/master.lock exists: a git command is running, or one was killed; if none is running, remove that file and run again"
}

@test "an unborn branch (git checkout --orphan) is refused, never made a root of one file" {
	logged_store
	git checkout -q --orphan x
	before=$(git ls-files -s | git hash-object --stdin)
	run_split ps-log "$M" --mode phone --minutes 30
	expect 3 "" "ps-log: HEAD names refs/heads/x, a branch with no commit yet (git checkout --orphan?), not the store's: switch back to the store's branch (git switch) first"
	! git rev-parse -q --verify refs/heads/x || false
	[ "$(git ls-files -s | git hash-object --stdin)" = "$before" ]
	run_split ps-apply --withdraw P-B00002 --reason moved
	[ "$status" = 3 ]
	git checkout -q master
	run_split ps-log "$M" --mode phone --minutes 30
	[ "$status" = 0 ]
	[ -f program.yaml ]
	git cat-file -e HEAD:program.yaml
}

@test "a write that is committed exits 0 when its output is lost, and says so" {
	logged_store
	n=$(git rev-list --count HEAD)
	run_split sh -c "ps-log $M --mode phone --minutes 30 >/dev/full"
	expect 0 "" "ps-log: the write is committed, but its output was lost: No space left on device"
	[ "$(git rev-list --count HEAD)" = $((n + 1)) ]
	run_split sh -c "ps-apply $FIX/apply/two.yaml >/dev/full"
	expect 0 "" "ps-apply: the write is committed, but its output was lost: No space left on device"
	[ "$(git rev-list --count HEAD)" = $((n + 2)) ]
	v=$(grep -l '^status: applied' volunteers/*.yaml | head -1 | xargs basename | sed 's/\.yaml$//')
	run_split sh -c "ps-screen $v --step application --result pass >/dev/full"
	expect 0 "" "ps-screen: the write is committed, but its output was lost: No space left on device"
	[ "$(git rev-list --count HEAD)" = $((n + 3)) ]
	# a dry run or a listing has only its output: that is a failure
	run_split sh -c "ps-log -n $M --mode phone --minutes 30 >/dev/full"
	expect 3 "" "ps-log: cannot write output: No space left on device"
	run_split sh -c "ps-apply --list --yaml >/dev/full"
	expect 3 "" "ps-apply: cannot write output: No space left on device"
	[ "$(git rev-list --count HEAD)" = $((n + 3)) ]
	# a reader gone is no error
	run_split sh -c "ps-apply --list --yaml | head -c 1"
	[ "$status" = 0 ] && [ -z "$err" ]
}

@test "the permission check covers git's config, hooks, refs and the record folders" {
	logged_store
	cd "$T"
	chmod 755 s
	for p in .git/config .git/hooks .git .git/refs/heads participants .git/hooks/pre-commit; do
		mode=$(stat -c %a "s/$p")
		for bits in o+w g+w; do
			chmod $bits "s/$p"
			run_split ps-log -C s --list
			[ "$status" = 3 ]
			if [ $bits = o+w ]; then
				[ "$err" = "ps-log: $T/s/$p: writable by others; fix it with chmod -R go-rwx $T/s" ]
			else
				[ "$err" = "ps-log: $T/s/$p: writable by the group, and the store is not shared (git config core.sharedRepository group); fix it with chmod -R go-rwx $T/s" ]
			fi
			chmod "$mode" "s/$p"
		done
	done
	# a store shared with its group, explicitly: the group may write
	git -C s config core.sharedRepository group
	chmod g+w s/.git s/.git/refs/heads s/participants
	run_split ps-log -C s --list --yaml
	[ "$status" = 0 ]
	chmod o+w s/participants
	run_split ps-log -C s --list
	expect 3 "" "ps-log: $T/s/participants: writable by others; fix it with chmod -R go-rwx $T/s"
	chmod o-w s/participants
	git -C s config --unset core.sharedRepository
	chmod g-w s/.git s/.git/refs/heads s/participants
	chmod g+w s
	run_split ps-log -C s --list
	expect 3 "" "ps-log: $T/s: writable by the group, and the store is not shared (git config core.sharedRepository group); fix it with chmod -R go-rwx $T/s"
	chmod g-w s
	if [ "$(id -u)" != 0 ]; then
		skip "not root: cannot give a file to another user (CI runs this as root)"
	fi
	chown nobody s/.git/hooks/pre-commit
	run_split ps-log -C s --list
	expect 3 "" "ps-log: $T/s/.git/hooks/pre-commit: owned by another user; git and the tools read or run it: give it to the store's owner (chown)"
}

# crash_at N: kill ps-match --accept $P2 at its N-th syncfs: 1 just after
# its journal is written, 2 just after the branch moved.
crash_at() {
	command -v strace >/dev/null || skip "no strace"
	strace -f -qq -o /dev/null -e inject=syncfs:signal=KILL:when="$1" \
	    ps-match --accept "$P2" >/dev/null 2>&1 || true
	[ -f .git/ps-journal ]
	git config user.name Hand
	git config user.email hand@example.org
}

# No commit of HEAD lost the store: each has program.yaml, HEAD has the
# record folders, and git fsck is clean.
history_whole() {
	local c
	for c in $(git rev-list HEAD); do
		git cat-file -e "$c:program.yaml"
	done
	for c in participants volunteers matches; do
		git cat-file -e "HEAD:$c"
	done
	git fsck --strict --no-dangling
}

@test "git commit -a soon after a crash is refused by the hook, never an empty tree" {
	for at in 1 2; do
		logged_store
		crash_at $at
		head=$(git rev-parse HEAD)
		echo "# by hand" >>volunteers/V-A00001.yaml
		run_split git commit -qam "by hand"
		[ "$status" != 0 ]
		[[ "$err" == *"ps-check: an interrupted write of the tools is not finished, and git is committing: run ps-check outside git to finish it, then commit again"* ]]
		[ "$(git rev-parse HEAD)" = "$head" ]
		history_whole
		# as the message says
		run_split ps-check
		[ "$status" = 0 ]
		[ ! -e .git/ps-journal ]
		git commit -qam "by hand"
		history_whole
		[ "$(git show HEAD:volunteers/V-A00001.yaml | tail -1)" = "# by hand" ]
		[ -z "$(git status --porcelain)" ]
		cd "$T" && rm -rf s
	done
}

@test "a git commit running beside a crash's recovery keeps its lock and its files" {
	logged_store
	crash_at 1
	echo "# by hand" >>volunteers/V-A00001.yaml
	# git commit holds index.lock, closed, while its editor runs
	GIT_EDITOR="sleep 2; echo by hand >" git commit -a --no-verify &
	sleep 0.5
	[ -f .git/index.lock ]
	PS_LOCK_TIMEOUT=10 run_split ps-log "$M" --mode phone --minutes 30
	wait
	[ "$status" = 0 ]
	history_whole
	[ "$(git log -2 --format=%s | tail -1)" = "by hand" ]
	git show HEAD~1:volunteers/V-A00001.yaml | tail -1 | grep -qx "# by hand"
	[ -z "$(git status --porcelain)" ]
}

# expect_warned MESSAGE: the command exited 0, having said only that.
expect_warned() {
	[ "$status" = 0 ]
	[ "$err" = "$1" ]
}

# accept_crashed: a new store whose ps-match --accept was killed just
# after its branch moved (crash_at 2); $m the match file it changes.
accept_crashed() {
	logged_store
	crash_at 2
	m=$(git show --name-only --format= HEAD | grep '^matches/')
}

# After recovery, in both index layouts: HEAD is the write's, the index
# is HEAD's, and git status shows exactly what the person changed.
recovered_as() {
	[ ! -e .git/ps-journal ]
	[ -z "$(git diff --cached --name-only)" ]
	[ "$(git status --porcelain)" = "$1" ]
	history_whole
}

@test "a lock a killed write left is removed once a git command running beside it ends" {
	for at in 1 2; do
		logged_store
		crash_at $at
		# the lock the write held when it was killed: the branch's
		# before it moved, the index's after
		lock=.git/$(git symbolic-ref HEAD).lock
		[ "$at" = 1 ] || lock=.git/index.lock
		: >"$lock"	# (touch -r would copy a faked time in check-future)
		# a git command that runs 2 s in the store and takes no lock
		sleep 2 | git cat-file --batch >/dev/null &
		SECONDS=0
		PS_LOCK_TIMEOUT=20 run_split ps-log "$M" --mode phone --minutes 30
		wait
		[ "$status" = 0 ]
		[ "$SECONDS" -lt 15 ]
		[ ! -e "$lock" ]
		recovered_as ""
		cd "$T" && rm -rf s
	done
}

@test "a write waits for git's index.lock taken while it commits, in both index layouts" {
	need_strace
	for split in "" 0; do
		logged_store
		# held 1.5 s at the sync after its branch moved, while a git
		# command holds index.lock from 0.5 s to 2.5 s. strace times
		# the delay itself: not under libfaketime (make check-future),
		# whose clock would never let it end; ps-log still is.
		PS_INDEX_SPLIT=$split env -u LD_PRELOAD strace -f -qq \
		    ${LD_PRELOAD:+-E "LD_PRELOAD=$LD_PRELOAD"} -o /dev/null \
		    -e inject=syncfs:delay_exit=1500000:when=2 \
		    ps-log "$M" --mode phone --minutes 30 >"$T/out" 2>"$T/err" &
		sleep 0.5
		touch .git/index.lock
		sleep 2
		rm .git/index.lock
		wait $! || { cat "$T/err"; false; }
		[ ! -s "$T/err" ]
		recovered_as ""
		cd "$T" && rm -rf s
	done
}

@test "a loose object whose folder a git gc beside removed is written again" {
	need_strace
	logged_store
	head=$(git rev-parse HEAD)
	# as when git prune removes the empty objects/XX between libgit2's
	# mkdir and its link, then rename, of the object's temp file
	run_split strace -f -qq -o /dev/null -e inject=link:error=ENOENT:when=1 \
	    -e inject=rename:error=ENOENT:when=1 \
	    ps-log "$M" --mode phone --minutes 30
	[ "$status" = 0 ]
	[ "$(git rev-parse HEAD~1)" = "$head" ]
	recovered_as ""
}

@test "a merge conflict resolved in a split index is committed through the hook" {
	export PS_INDEX_SPLIT=0
	logged_store
	ps-log "$M" --mode phone --minutes 30 >/dev/null
	[ -n "$(find .git -maxdepth 1 -name 'sharedindex.*')" ]
	git config user.name Hand
	git config user.email hand@example.org
	branch=$(git symbolic-ref --short HEAD)
	git checkout -q -b side
	echo "# side" >>volunteers/V-A00001.yaml
	git commit -qam side
	git checkout -q "$branch"
	echo "# here" >>volunteers/V-A00001.yaml
	git commit -qam here
	! git merge -q side >/dev/null 2>&1 || false
	git checkout -q --theirs volunteers/V-A00001.yaml
	git add volunteers/V-A00001.yaml
	# the shared part holds the conflict's three entries, deleted in
	# the split part: read at their stages
	run_split git commit -q --no-edit
	[ "$status" = 0 ]
	[ "$(git show HEAD:volunteers/V-A00001.yaml | tail -1)" = "# side" ]
	unset PS_INDEX_SPLIT
}

@test "recovery merges a hand edit made after a crash with the write's change" {
	for split in 0 ""; do
		accept_crashed
		sed -i '/^  - criterion: role$/i # a line by hand' "$m"
		edited=$(git show "HEAD:$m" | sed '/^  - criterion: role$/i # a line by hand')
		PS_INDEX_SPLIT=$split run_split ps-check
		expect_warned "ps-check: warning: $m: changed by hand since a write was interrupted, which committed a change to it too: both are kept, yours not committed (git diff)"
		# the write's change (status: active) and the person's line
		[ "$(cat "$m")" = "$edited" ]
		recovered_as " M $m"
		# and git sees the edit: git commit -a takes it (the hook passes)
		git commit -qam "by hand"
		[ "$(git show "HEAD:$m")" = "$edited" ]
		[ -z "$(git status --porcelain)" ]
		cd "$T" && rm -rf s
	done
}

@test "recovery keeps a hand edit of the lines the write changed, as the person left it" {
	for split in 0 ""; do
		accept_crashed
		sed -i 's/^status: proposed$/status: declined/' "$m"
		edited=$(cat "$m")
		PS_INDEX_SPLIT=$split run_split ps-check
		expect_warned "ps-check: warning: $m: changed by hand since a write was interrupted, which committed a change to it on the same lines: yours is kept as it is, not committed; git diff shows it against the write's"
		[ "$(cat "$m")" = "$edited" ]
		# the write's other file is brought up to it: the person's
		# change is the only one git shows, never a revert of the write
		recovered_as " M $m"
		git diff -- "$m" | grep -qx -- "-status: active"
		git diff -- "$m" | grep -qx -- "+status: declined"
		cd "$T" && rm -rf s
	done
}

@test "recovery keeps a new record deleted by hand after a crash deleted" {
	logged_store
	# killed at the sync after the work tree is written: the new
	# contact is there, and the journal says the files were being put
	# in place
	strace -f -qq -o /dev/null -e inject=syncfs:signal=KILL:when=3 \
	    ps-log "$M" --mode phone --minutes 30 >/dev/null 2>&1 || true
	[ -f .git/ps-journal ]
	c=$(git show --name-only --format= HEAD | grep '^contacts/')
	[ -f "$c" ]
	rm "$c"
	run_split ps-check
	expect_warned "ps-check: warning: $c: deleted by hand since a write was interrupted, which committed a change to it: the deletion is kept, not committed (git status)"
	[ ! -e "$c" ]
	recovered_as " D $c"
}

@test "recovery puts in place a new record killed just before its rename" {
	need_strace
	logged_store
	# the rename of the new contact's temp file, counted in a copy (its
	# index's stamp noted first by a dry run, as a copy changes it)
	cp -a . "$T/count"
	ps-log -C "$T/count" -n "$M" --mode phone --minutes 30 >/dev/null
	(cd "$T/count" && strace -f -qq -o "$T/trace" -e trace=rename \
	    ps-log "$M" --mode phone --minutes 30 >/dev/null)
	k=$(grep -v -e resumed -e '^[0-9]* +++' "$T/trace" | grep -n 'rename(' |
	    grep 'contacts/' | cut -d: -f1)
	[ -n "$k" ]
	strace -f -qq -o /dev/null -e inject=rename:signal=KILL:when="$k" \
	    ps-log "$M" --mode phone --minutes 30 >/dev/null 2>&1 || true
	[ -f .git/ps-journal ]
	grep -qx placing .git/ps-journal
	c=$(git show --name-only --format= HEAD | grep '^contacts/')
	[ ! -e "$c" ]
	# its text still in its temp file: not placed, so not a deletion
	run_split ps-check
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(cat "$c")" = "$(git show "HEAD:$c")" ]
	[ -z "$(ls .git/ps-tmp)" ]
	recovered_as ""
}

@test "a hand edit in the second a write made the file stays visible to git after the next write" {
	for split in 0 ""; do
		logged_store
		export PS_INDEX_SPLIT=$split
		ps-log "$M" --mode phone --minutes 30 >/dev/null
		c=$(git show --name-only --format= HEAD | grep '^contacts/')
		# changed in place at the same size, its mtime put back in the
		# second the write recorded (git compares it to the second);
		# git is told to pass over the ctime, which a person's edit
		# within that second would have kept too
		git config core.trustctime false
		mt=$(stat -c %Y.%y "$c" | sed 's/^\([0-9]*\)\..*\.\([0-9]*\) .*/\1.\2/')
		t=$(sed 's/^minutes: 30$/minutes: 31/' "$c")
		printf '%s\n' "$t" >"$c"
		touch -d "@${mt%?}9" "$c"
		# the next write, in a later second (git status, which
		# writes the index, is not run before: it would smudge it)
		sleep 1
		ps-log "$M" --mode video --minutes 20 >/dev/null
		[ "$(git status --porcelain)" = " M $c" ]
		git diff -- "$c" | grep -qx "+minutes: 31"
		unset PS_INDEX_SPLIT
		cd "$T" && rm -rf s
	done
}

teardown() {
	if mountpoint -q "$T/mnt" 2>/dev/null; then
		cd "$T" && umount "$T/mnt"
	fi
}

# A full disk. small_disk mounts a 4 MiB tmpfs at $T/mnt (root only;
# teardown unmounts it): a real file system, which can run out of space
# in the middle of a write and return a short one. full_run FREE CMD...
# runs CMD in the store here, on that disk, with FREE KiB left (a file
# $T/mnt/fill holds the rest), then gives the space back:
#   - exit 0 counts as made, exit 3 naming ENOSPC as refused (EXIT
#     STATUS in the man pages: a git or I/O failure); anything else
#     fails;
#   - full_head STATUS OLD-HEAD OUTPUT, which each test defines, prints
#     what is wrong with HEAD after either, one problem a line;
#   - after a refusal, the same CMD again, with the space back, works;
#   - then ps-check and git fsck --full --strict pass, git status is
#     empty, and no lock, journal or temp file is left.
# Counts go to $runs, $made and $refused ($refused_at: at what FREE);
# each problem is a line of $fails. Every clock is pinned: PS_NOW
# above, git's by setup.
small_disk() {
	[ "$(id -u)" = 0 ] || skip "not root: cannot mount a tmpfs (CI runs this as root)"
	mkdir "$T/mnt"
	mount -t tmpfs -o size=4m,mode=0700 tmpfs "$T/mnt" 2>/dev/null ||
	    skip "cannot mount a tmpfs here"
	runs=0 made=0 refused=0 refused_at= fails=
}

full_run() {	# free cmd...
	local free=$1 old avail st=0 out problems
	shift
	old=$(git rev-parse HEAD)
	avail=$(df -k --output=avail . | tail -1)
	[ "$avail" -le "$free" ] || fallocate -l $(( (avail - free) * 1024 )) "$T/mnt/fill"
	out=$("$@" 2>&1) || st=$?
	rm -f "$T/mnt/fill"
	runs=$((runs + 1))
	case $st in
	0)	made=$((made + 1)) ;;
	3)	refused=$((refused + 1)) refused_at="$refused_at $free"
		[[ "$out" == *"No space left on device"* ]] ||
		    problems="exit 3 without the reason: $out" ;;
	*)	problems="exit $st: $out" ;;
	esac
	problems="$problems
$(full_head "$st" "$old" "$out")"
	if [ "$st" = 3 ]; then
		out=$("$@" 2>&1) || problems="$problems
the same again, with the space back: exit $?: $out"
	fi
	ps-check >/dev/null 2>&1 ||
	    problems="$problems
ps-check after: $(ps-check 2>&1 | tail -1)"
	git fsck --full --strict --no-dangling >/dev/null 2>&1 ||
	    problems="$problems
git fsck: $(git fsck --full --strict 2>&1 | head -1)"
	out=$(git status --porcelain)
	[ -z "$out" ] || problems="$problems
git status: $(printf '%s\n' "$out" | head -2)"
	out=$(find .git \( -name '*.lock' ! -name ps.lock -o -name 'ps-journal*' \
	    -o -name ps-erase -o -path '.git/ps-tmp/*' -o -name 'tmp_*' \) -print)
	[ -z "$out" ] || problems="$problems
left: $(printf '%s\n' "$out" | tr '\n' ' ')"
	problems=$(printf '%s\n' "$problems" | sed '/^$/d')
	[ -z "$problems" ] ||
	    fails="$fails
$(printf '%s\n' "$problems" | sed "s/^/$free KiB ($st): /")"
	return 0
}

# full_report NAME: the counts to the TAP stream, the problems to the
# test's output; fails when there was a problem, or when no run was made
# or none refused (the walk missed the write).
full_report() {	# name
	echo "# $1: $runs runs, $made made, $refused refused for want of space${refused_at:+ (at$refused_at KiB left)}, $(printf '%s' "$fails" | grep -c .) failures" >&3
	[ -z "$fails" ] || { printf '%s\n' "$fails" | head -30; false; }
	[ "$refused" -gt 0 ] && [ "$made" -gt 0 ]
}

# A write of one commit (peer-support(7), "How a write goes"): made, HEAD
# is one commit on, and a work tree not yet up to it is named in a
# warning; refused, HEAD is as before (a commit made exits 0).
one_commit_on() {	# status old output
	if [ "$1" != 0 ]; then
		[ "$(git rev-parse HEAD)" = "$2" ] || echo "refused, but HEAD moved"
		return 0
	fi
	[ "$(git rev-parse HEAD~1)" = "$2" ] || echo "made, but HEAD is not one commit on"
	[ -z "$(git --no-optional-locks status --porcelain)" ] ||
	    [[ "$3" == *"warning: "* ]] ||
	    echo "made, the work tree behind, and no warning said so: $3"
}

@test "a full disk (a small tmpfs, short writes) at each point of a write: refused or made, never half" {
	small_disk
	logged_store
	cd "$T"
	cp -a s mnt/s
	cd mnt/s
	note=$(head -c 3900 /dev/zero | tr "\\0" x)
	# leave 0 to 160 KiB free, in steps of 4: the write runs out at a
	# different point each time
	full_head() { one_commit_on "$@"; }
	for free in $(seq 0 4 160); do
		full_run "$free" ps-log "$M" --mode phone --minutes 30 --note "$note"
	done
	full_report ps-log
}

@test "a full disk at each point of ps-apply taking in an application: refused or made, never half" {
	small_disk
	logged_store
	cd "$T"
	cp -a s mnt/s
	cd mnt/s
	context=$(head -c 3900 /dev/zero | tr "\\0" y)
	full_head() { one_commit_on "$@"; }
	for free in $(seq 0 4 160); do
		# a new person each time, not a duplicate of one taken before
		awk '/^---/ { exit } { print }' "$FIX"/apply/two.yaml |
		    sed -e "s/^  last: Dupont/  last: Dupont-$free/" \
		    -e "s/^  email: Jean.Dupont@/  email: jean.$free@/" \
		    -e "s/^  phone: (613) 555-0199/  phone: (613) 555-$((1000 + free))/" \
		    -e "s/^context: .*/context: $context/" >"$T/app.$free.yaml"
		full_run "$free" ps-apply "$T/app.$free.yaml"
	done
	full_report ps-apply
	# each of them is in, once
	grep -h '^  last: Dupont-' participants/*.yaml | sort >"$T/taken"
	[ "$(wc -l <"$T/taken")" = "$runs" ]
	[ "$(sort -u "$T/taken" | wc -l)" = "$runs" ]
}

@test "a full disk at each point of ps-apply --erase: refused or made, and once run again no trace of them" {
	small_disk
	erase_store
	cd "$T"
	mv s tmpl
	n=$(git -C tmpl rev-list --count HEAD)
	full_head() {	# status old output
		if [ -e .git/ps-erase ]; then
			# stopped after the first ref moved: it says to run it again
			[ "$1" = 3 ] || echo "exit $1 with the erasure not finished"
			[[ "$3" == *"the erasure of $P is not finished: run ps-apply --erase $P again"* ]] ||
			    echo "the refusal did not say to run it again: $3"
		elif [ "$1" != 0 ]; then
			[ "$(git rev-parse HEAD)" = "$2" ] || echo "refused, and HEAD moved"
		fi
	}
	# the erasure rewrites the history and repacks the store: it runs out
	# of space at a different point each time, a fresh store each time.
	# Where the disk runs out after the branch moved and before the tags
	# did (28 KiB left), the erasure run again once failed to finish: it
	# erased again, its first commit emptied and a second one made.
	for free in $(seq 0 4 160); do
		rm -rf mnt/s
		cp -a tmpl mnt/s
		cd mnt/s
		full_run "$free" ps-apply --erase "$P" --yes
		# made, or made when run again: erased, and one commit on
		problems=$(erased_check "$P")
		[ "$(git log -1 --format=%s)" = "ps-apply: erase $P" ] ||
		    problems="$problems
HEAD: $(git log -1 --format=%s)"
		e=$(git log --format=%s | grep -cx "ps-apply: erase $P" || true)
		[ "$e" = 1 ] || problems="$problems
$e commits \"ps-apply: erase $P\", not 1"
		[ "$(git rev-list --count HEAD)" = $((n + 1)) ] ||
		    problems="$problems
$(git rev-list --count HEAD) commits, not $((n + 1))"
		[ -z "$problems" ] || fails="$fails
$(printf '%s\n' "$problems" | sed "/^$/d; s/^/$free KiB, at the end: /")"
		cd "$T"
	done
	full_report "ps-apply --erase"
}
