#!/bin/bash
# Plain git beside the tools, and crashes among them (issue 19): a seeded
# random sweep. Each sequence starts from a copy of a prepared store
# (make_store) and runs random steps in the store's folder, as a
# coordinator would:
#
#   tool writes  ps-log, ps-apply, ps-screen, ps-match --accept,
#                ps-apply --withdraw, ps-apply --erase (of a participant
#                withdrawn); a third of them killed with kill -9 at a
#                random file-changing system call (strace -e inject=NAME:
#                signal=KILL:when=C, as crash.sh does, the call drawn from
#                a traced run of the same write in the prepared store); a
#                quarter with PS_INDEX_SPLIT=0 (git's index kept split,
#                as in a large store)
#   plain git    a hand edit left uncommitted (every other time straight
#                after a kill, of a record the killed write changed); one
#                committed with git add and git commit; git commit -a;
#                git add -A; a record added by hand; a record deleted by
#                hand; git gc; git gc --prune=now
#   concurrent   a tool write started while git gc, or git commit -a of a
#                fresh hand edit, runs in the background
#
# A hand edit sets a free-text field the tools keep (context, note,
# experience_details) to a value of its own, a marker. When a tool or git
# refuses, the test does what the message says (commit the edit or the
# deletion; run ps-check outside git; finish the erasure; run again) and
# goes on. A refusal whose
# message names nothing to run, what it says to run leading back to the
# command refused (a loop), or an exit status other than the documented
# ones, is a failure. After every step:
#
#   - HEAD's tree holds program.yaml and every record a finished step put
#     there. The model: the prepared store's files, those each write that
#     exited 0 added (every ID it printed among them), those committed by
#     hand; less a record deleted by hand once that is committed, and a
#     person erased. A killed write may or may not have landed; what
#     landed joins the model. No commit deletes a file that was not
#     deleted by hand (a git commit -a of an empty tree, say);
#   - no hand edit is lost: each marker, each deletion and each new file
#     made by hand is still in the work tree, or in HEAD;
#   - git fsck --full --strict is clean;
#   - no git lock, journal or erasure note is left, and .git/ps.lock is
#     free, unless a kill left them and no tool (ps-check too) has run to
#     the end since; no temporary file (objects/tmp_*, ps-tmp/*) unless
#     a kill left it and no write has run to the end since;
#   - no ps- process is left whose folder is the store.
#
# At the end of a sequence: ps-check, the hand edits committed through the
# hook, one more write, then ps-check exits 0 and git status is clean.
#
#   RELIABILITY_SEED   the seed (default: 2026; a random one with
#                      RELIABILITY_FULL=1), printed so that a failure
#                      can be run again:
#                      RELIABILITY_SEED=S interleave.sh --seq I runs
#                      sequence I alone and prints its every step. The
#                      concurrent steps race, so a replay may differ from
#                      the first one after such a step.
#   RELIABILITY_FULL=1 200 sequences of 60 steps (default: 8 of 30)
#   INTERLEAVE_BREAK   checkout or empty: break the store on purpose at
#                      step 8 of each sequence (a hand edit undone by git
#                      checkout behind the model's back; an empty tree
#                      committed with --no-verify), in sequences without
#                      kills or concurrent steps. Each run starts with one
#                      sequence of each, which the checks must catch.
#   INTERLEAVE_PRUNE_BESIDE=1  git gc --prune=now among the concurrent
#                      steps too. git's manual warns that it is unsafe
#                      beside any writer (git commit included: it can
#                      prune the objects of a commit being made), so it is
#                      not among them by default.
# shellcheck source=tests/reliability/lib.sh
. "$(dirname "$0")/lib.sh"
# the tools wait this long for a lock (git's or their own); a run that
# would wait longer is a deadlock, and fails
export PS_LOCK_TIMEOUT=10

SEQS=8 STEPS=30
[ "$FULL" = 1 ] && SEQS=200 STEPS=60
# make check's run: one seed, the same each time (its concurrent steps
# still race); a full run: a new one each time, to find what is left
if [ "$FULL" = 1 ]; then
	SEED=${RELIABILITY_SEED:-${SEED:-$(od -An -N2 -tu2 /dev/urandom | tr -d ' ')}}
else
	SEED=${RELIABILITY_SEED:-${SEED:-2026}}
fi
# the file-changing system calls, as crash.sh picks them
MUTATING=" openat open creat write pwrite64 writev pwritev fsync fdatasync syncfs sync_file_range rename renameat renameat2 link linkat symlink symlinkat unlink unlinkat mkdir mkdirat rmdir chmod fchmod fchmodat ftruncate truncate utimensat fallocate close "
# step kinds and their weights
KINDS="log:14 apply:7 screen:6 accept:3 withdraw:4 erase:3 edit:9 commit:6 commit-a:4 add:3 new:3 delete:3 gc:3 gc-prune:3 concurrent:10"

# r: a random number below $1, drawn in this shell (never in a $(...),
# whose draws would not advance this shell's generator)
rnd() {
	r=$((RANDOM % $1))
}

# problem TEXT: the sequence breaks an invariant; it stops after this step.
problem() {
	printf '%s\n' "$*" >>"$W/problems"
}

# say WORD...: a line for the figures (and, with --seq, for the reader).
say() {
	echo "$*" >>"$W/figures"
}

# hand_set FILE VALUE: set the record's free-text field to VALUE, as an
# editor would (the file rewritten in place; the test's own files are
# beside the store, never in it).
hand_set() {
	local f=$1 key
	case $f in
	participants/*) key=context ;;
	volunteers/*) key=experience_details ;;
	*) key=note ;;
	esac
	# the field in place, or, when there is none, a line at the end
	awk -v k="$key:" -v v="$2" '
	    skip && /^[ \t]/ { next }
	    { skip = 0 }
	    index($0, k) == 1 { skip = 1; if (!done) print k " " v; done = 1; next }
	    { print }
	    END { if (!done) print k " " v }' "$f" >"$W/edit" && cat "$W/edit" >"$f"
}

# records PREFIX...: the record files of the work tree under those
# folders, in the order they came (the prepared store's, then each as a
# step added it): a replay draws the same ones, whatever IDs the tools
# drew.
records() {
	local f p
	while read -r f; do
		for p in "$@"; do
			case $f in "$p"*)
				[ -f "$f" ] && echo "$f"
				break ;;
			esac
		done
	done <"$W/known"
}

# The records a hand edit may change.
editable() {
	records participants/ volunteers/ contacts/
}

# pick LIST...: one of the words, at random, in $p ("" when none).
pick() {
	p=
	[ $# -gt 0 ] || return 0
	rnd $#
	shift "$r"
	p=$1
}

# A hand edit of FILE: a new marker, the file's earlier one forgotten (the
# person changed it again).
hand_edit() {
	local f=$1 m=hand-$SEQ-$STEP-$((++NEDIT))h
	hand_set "$f" "$m"
	mark[$f]=$m
	echo "  $f: $m" >>"$W/steps"
}

# What a write that exited 0 changed, checked and put into the model.
after_tool() {	# pre-head tool args...
	local pre=$1 tool=$2 id f head
	shift 2
	head=$(git rev-parse HEAD)
	case $tool in ps-check) return ;; esac
	# (an erasure run again to finish one may only prune)
	if [ "$tool" = ps-apply ] && [ "${1:-}" = --erase ]; then
		after_erase "$2"
		return
	fi
	[ "$head" != "$pre" ] || { problem "$tool exited 0 but made no commit"; return; }
	[ "$(git rev-parse -q --verify HEAD^)" = "$pre" ] ||
	    problem "$tool: HEAD is not one commit on the head it started from"
	case $(git log -1 --format=%s) in
	"$tool: "*) ;;
	*) problem "$tool: HEAD is an unexpected commit: $(git log -1 --format=%s)" ;;
	esac
	f=$(git diff-tree -r --no-commit-id --name-only --diff-filter=D HEAD^ HEAD)
	[ -z "$f" ] || problem "$tool deleted files: $f"
	git diff-tree -r --no-commit-id --name-only --diff-filter=A HEAD^ HEAD >>"$W/model"
	# every ID it printed is a record of HEAD
	git ls-tree -r --name-only HEAD >"$W/head"
	printed_ids "$OUT" "$tool"
}

# Every ID a write printed is a record of HEAD ($W/head, its files).
printed_ids() {	# stdout tool
	local id
	sed -n 's/^id: \([A-Z]-[0-9A-Z]*\)$/\1/p' "$1" | while read -r id; do
		grep -q "/$id\.yaml\$" "$W/head" ||
		    problem "$2 printed $id, which is not in HEAD"
	done
}

# An erasure that exited 0: the record gone from HEAD and from the whole
# history, its note committed; the model and the hand edits follow.
after_erase() {	# id
	local id=$1 f=participants/$1.yaml
	git cat-file -e "HEAD:erasures/$id.yaml" 2>/dev/null ||
	    problem "erase $id: no erasures/$id.yaml in HEAD"
	[ -z "$(git log --all --format=%h -- "$f")" ] ||
	    problem "erase $id: $f is still in the history"
	forget "$f"
	echo "erasures/$id.yaml" >>"$W/model"
}

# forget FILE: a record gone on purpose (erased; a deletion committed).
forget() {
	grep -vxF "$1" "$W/model" >"$W/model.new"
	mv "$W/model.new" "$W/model"
	unset "mark[$1]" "gone[$1]" "made[$1]"
}

# A commit made with git: what it added joins the model, and it deletes
# only what was deleted by hand.
after_commit() {	# pre-head
	local f
	[ "$(git rev-parse HEAD)" != "$1" ] || return 0
	git diff-tree -r --no-commit-id --name-only --diff-filter=A HEAD^ HEAD >>"$W/model"
	for f in $(git diff-tree -r --no-commit-id --name-only --diff-filter=D HEAD^ HEAD); do
		if [ -n "${gone[$f]:-}" ]; then
			forget "$f"
		else
			problem "git commit deleted $f, which no one deleted by hand"
		fi
	done
}

# A killed write: what it did may or may not have landed. If the branch
# moved, it is the tool's one commit, and what it added joins the model.
after_kill() {	# pre-head tool args...
	local pre=$1 tool=$2 head
	shift 2
	head=$(git rev-parse HEAD)
	AFTERKILL=1 LANDED=''
	if [ "$tool" = ps-apply ] && [ "${1:-}" = --erase ]; then
		forget "participants/$2.yaml"
		return
	fi
	[ "$head" != "$pre" ] || return 0
	say landed
	LANDED=$(git diff-tree -r --no-commit-id --name-only HEAD^ HEAD 2>/dev/null)
	if [ "$(git rev-parse -q --verify HEAD^)" != "$pre" ]; then
		problem "killed $tool: HEAD is neither the old commit nor one after it"
		return
	fi
	case $(git log -1 --format=%s) in
	"$tool: "*) ;;
	*) problem "killed $tool: HEAD is an unexpected commit: $(git log -1 --format=%s)" ;;
	esac
	git diff-tree -r --no-commit-id --name-only --diff-filter=A HEAD^ HEAD >>"$W/model"
}

# run_fix CMD...: run CMD in the store; while it is refused, do what the
# refusal says and run it again. The first run is killed at $KILL ("name
# count") when that is set. CMD may start with "env VAR=VALUE". Sets st,
# OUT and ERR; 1 when the sequence must stop (a problem was recorded).
depth=0
stack=
run_fix() {
	local key tries=0 pre killing=${KILL:-} o e prev=$stack i
	local -a args=("$@")
	KILL=
	[ "$1" = env ] && args=("${@:3}")
	key="${args[*]}"
	case $stack in *"[$key]"*)
		problem "a loop: doing what a refusal says leads back to $key, refused again:" \
		    "$(for i in $(seq 1 "$depth"); do cat "$W/err.$i"; done |
		    grep -v '^$' | sort -u | head -8)"
		return 1 ;;
	esac
	[ "$depth" -lt 6 ] || { problem "remedies nested too deep: $stack"; return 1; }
	depth=$((depth + 1))
	o=$W/out.$depth e=$W/err.$depth
	stack="${stack}[${key}]"
	while :; do
		pre=$(git rev-parse HEAD)
		if [ -n "$killing" ]; then
			(strace -f -qq -o /dev/null --seccomp-bpf \
			    -e "inject=${killing% *}:signal=KILL:when=${killing#* }" \
			    -- "$@" >"$o" 2>"$e"; exit $?) 2>/dev/null
		else
			"$@" >"$o" 2>"$e"
		fi
		st=$?
		OUT=$o ERR=$e
		echo "    $*: exit $st${killing:+ (kill at $killing)}" >>"$W/steps"
		grep -v '^strace: Seccomp filter' "$e" | sed 's/^/      /' | head -6 >>"$W/steps"
		if [ -n "$killing" ]; then
			killing=
			if [ "$st" = 137 ]; then
				say kill
				DIRTY=1 GARBAGE=1
				after_kill "$pre" "${args[@]}"
				break
			fi
			say "kill missed"
		fi
		if [ "$st" = 0 ]; then
			case ${args[0]} in
			ps-check) DIRTY=0 ;;
			ps-*) DIRTY=0 GARBAGE=0
			      after_tool "$pre" "${args[@]}" ;;
			git) [ "${args[1]}" = commit ] && after_commit "$pre" ;;
			esac
			break
		fi
		# git commit with nothing to commit, or nothing staged (the
		# edits still in the work tree): done
		if [ "${args[0]} ${args[1]:-}" = "git commit" ] && [ "$st" = 1 ] &&
		    grep -q 'nothing to commit\|nothing added to commit\|no changes added to commit' "$o"; then
			st=0
			break
		fi
		case ${args[0]}:$st in
		ps-*:1|ps-*:3|git:*) ;;
		*) problem "$*: exit $st, not a documented status: $(head -3 "$e")"
		   break ;;
		esac
		tries=$((tries + 1))
		if [ "$tries" -gt 4 ]; then
			problem "$*: still refused after 4 remedies: $(head -3 "$e")"
			break
		fi
		# 2: the write was done already (a killed one that landed);
		# the tool ran to its end, its recovery with it
		fix "${args[0]}" "$e" || { [ $? = 2 ] && DIRTY=0 GARBAGE=0; break; }
	done
	stack=$prev
	depth=$((depth - 1))
	[ ! -s "$W/problems" ]
}

# want STATUSES: the status of the refusal just seen is one of them.
want() {
	case " $* " in *" $st "*) return 0 ;; esac
	problem "exit $st for: $(head -2 "$FIXERR"), where the manual says $*"
}

# fix TOOL STDERR: do what a refusal says. fixed names what was done (set
# last: the remedies nest); 1 when the message names nothing to run
# (recorded as a problem); 2 when the refusal says the write is done.
fix() {
	local tool=$1 id m what
	FIXERR=$2
	m=$(cat "$2")
	case $m in
	*"the erasure of "*" is not finished: run ps-apply --erase "*)
		[ "$tool" = ps-check ] && want 3
		what=erase
		id=$(printf '%s\n' "$m" | sed -n 's/.*the erasure of \([A-Z]-[0-9A-Z]*\) is not finished.*/\1/p' | head -1)
		run_fix ps-apply --erase "$id" --yes || return 1 ;;
	*"an interrupted write of the tools is not finished, and git is committing: run ps-check outside git to finish it, then commit again"*)
		what=ps-check
		run_fix ps-check || return 1 ;;
	*)
		if [ "$tool" = git ]; then
			fix_git "$2" || return 1
		else
			fix_tool "$2" || return $?
		fi
		what=$fixed ;;
	esac
	fixed=$what
	say "remedy $fixed"
	echo "    -> $fixed" >>"$W/steps"
}

# A git command failed on a lock: one a killed tool left, which the next
# tool removes; any other is a lock left by a command that has exited.
fix_git() {	# stderr
	if [ "$DIRTY" = 1 ] && grep -qi 'lock' "$1"; then
		run_fix ps-check || return 1
		fixed=ps-check
		return 0
	fi
	problem "git failed (exit $st): $(head -4 "$1")"
	return 1
}

fix_tool() {	# stderr
	local f m what
	m=$(cat "$1")
	case $m in
	*".lock exists: a git command is running, or one was killed"*)
		# no git command is killed here, and a lock a killed tool
		# left is the next tool's to remove
		problem "a git lock left, and no git command running: $m"
		return 1 ;;
	*"exists: the commit is made, but the index could not be updated"*)
		# the manual: the tools wait for git's locks
		problem "a write gave up on git's index.lock instead of waiting for it: $m"
		return 1 ;;
	*"changes not committed: commit or undo them first (git status), then erase"*)
		want 1
		f=$(printf '%s\n' "$m" | sed -n 's/^ps-apply: \([^ :]*\)\( and [0-9]* more files\)*: changes not committed.*/\1/p' | head -1)
		git_blind "$f" && return 1
		run_fix git add -A || return 1
		run_fix git commit -q -m "hand: commit before an erasure" || return 1
		what=commit-all ;;
	*": has changes that are not committed: commit them with git, or undo them"*|*": exists but is not committed: commit it with git, or move it away"*)
		want 3
		for f in $(printf '%s\n' "$m" | sed -n \
		    -e 's/^ps-[a-z]*: \([^ :]*\): has changes that are not committed: .*/\1/p' \
		    -e 's/^ps-[a-z]*: \([^ :]*\): exists but is not committed: .*/\1/p'); do
			git_blind "$f" && return 1
			run_fix git add -- "$f" || return 1
		done
		run_fix git commit -q -m "hand: keep a hand edit" || return 1
		what=commit ;;
	*"but not committed: restore it with git checkout -- "*", or commit the deletion"*)
		want 3
		for f in $(printf '%s\n' "$m" | sed -n 's/.*restore it with git checkout -- \([^,]*\), or commit the deletion.*/\1/p'); do
			run_fix git rm -q --cached --ignore-unmatch -- "$f" || return 1
		done
		run_fix git commit -q -m "hand: delete a record" || return 1
		what=commit-deletion ;;
	*"run the command again"*|*"run again"*)
		want 3
		what=again ;;
	*": not a proposal (status active)"*)
		# the proposal was read from the work tree, behind HEAD after
		# a killed accept that landed: recovery brought it up, and
		# the accept is done (so the man page: exit 1, nothing to run)
		want 1
		[ "$DIRTY" = 1 ] || {
			problem "an accept refused, no kill before it: $m"
			return 1; }
		fixed=landed
		return 2 ;;
	*)
		problem "refused, and the message says nothing to run (exit $st): $(head -4 "$1")"
		return 1 ;;
	esac
	fixed=$what
}

# git_blind FILE: git takes FILE for unchanged (its stat data in the
# index), but its content is not the index's: a change git cannot see,
# and so cannot commit, stash or show. Recorded as a problem.
git_blind() {
	[ -f "$1" ] && [ -n "$(git ls-files -- "$1")" ] &&
	    git diff --quiet -- "$1" || return 1
	[ "$(git hash-object -- "$1")" != "$(git ls-files -s -- "$1" | cut -d' ' -f2)" ] ||
	    return 1
	problem "a hand edit git cannot see: $1 differs from the index, whose stat data for it (mtime $(git ls-files --debug -- "$1" | sed -n 's/ *mtime: //p'), size) still match the file (mtime $(stat -c %Y.%y "$1" | cut -d. -f1).$(stat -c %y "$1" | sed 's/.*\.\([0-9]*\).*/\1/')): git status, git commit -a and git stash pass it over, while the tools refuse it"
	return 0
}

# What a run left in .git that it should not have. A kill leaves locks
# and journals (DIRTY) until the next tool, ps-check too, finishes the
# write or drops it; and temporary files (GARBAGE: objects/tmp_*,
# ps-tmp/*, which do no harm) until the next write removes them.
left_over() {
	local g=$S/.git
	[ "$DIRTY" = 1 ] ||
	    find "$g" \( -path "$g/ps-journal*" -o -path "$g/ps-index-journal*" -o \
	    -path "$g/ps-erase" -o -path "$g/gc.pid" -o \
	    \( -name '*.lock' ! -name ps.lock \) \) -printf 'left: %P\n'
	[ "$GARBAGE" = 1 ] ||
	    find "$g" \( -path "$g/ps-tmp/*" -o -path "$g/objects/tmp_*" -o \
	    -path "$g/objects/*/tmp_*" \) -printf 'left: %P\n'
}

# The invariants, after a step: each problem found is recorded.
check_all() {
	local f out p
	if ! out=$(git fsck --full --strict --no-progress 2>&1) ||
	    printf '%s\n' "$out" | grep -v -e '^dangling ' -e '^$' | grep -q .; then
		problem "git fsck: $(printf '%s\n' "$out" | grep -v '^dangling ' | head -5)"
	fi
	git ls-tree -r --name-only HEAD | sort >"$W/head"
	# the records HEAD gained, in the order they came
	sort -u "$W/known" >"$W/known.sorted"
	comm -13 "$W/known.sorted" "$W/head" >>"$W/known"
	sort -u "$W/model" >"$W/model.new" && mv "$W/model.new" "$W/model"
	f=$(comm -23 "$W/model" "$W/head")
	[ -z "$f" ] || problem "HEAD lost what finished steps put there:" "$f"
	# hand edits: in the work tree, or committed
	git grep -h -F -e "hand-$SEQ-" HEAD -- participants volunteers contacts \
	    >"$W/inhead" 2>/dev/null
	for f in "${!mark[@]}"; do
		grep -qsF -e "${mark[$f]}" "$f" && continue
		grep -qF -e "${mark[$f]}" "$W/inhead" && continue
		problem "a hand edit is lost: $f (${mark[$f]}) is neither in the work tree nor in HEAD"
	done
	for f in "${!gone[@]}"; do
		[ -e "$f" ] && grep -qxF "$f" "$W/head" &&
		    problem "a deletion by hand is lost: $f is back in the work tree, and still in HEAD"
	done
	for f in "${!made[@]}"; do
		if grep -qxF "$f" "$W/head"; then
			unset "made[$f]"
			echo "$f" >>"$W/model"
		elif [ ! -e "$f" ]; then
			problem "a record added by hand is lost: $f"
		fi
	done
	[ -z "$(git stash list)" ] || problem "a stash is left: $(git stash list)"
	out=$(left_over)
	[ -z "$out" ] || problem "left after the step:" "$out"
	if [ "$DIRTY" = 0 ] && [ -e .git/ps.lock ] && ! flock -n .git/ps.lock true; then
		problem ".git/ps.lock is held after the step"
	fi
	for p in $(pgrep '^ps-'); do
		[ "$(readlink "/proc/$p/cwd" 2>/dev/null)" = "$S" ] &&
		    problem "a tool is left running: $(tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null)"
	done
	return 0
}

# kill_point KIND: "name count" of a random file-changing call of the
# write, from the traced run in the prepared store.
kill_point() {
	local n
	n=$(wc -l <"$R/calls.$1")
	rnd "$n"
	KILL=$(sed -n "$((r + 1))p" "$R/calls.$1" | cut -d' ' -f2-)
}

# The write of one kind, as arguments in $cmd; 1 when none fits now.
tool_cmd() {
	local kind=$1
	cmd=()
	case $kind in
	log)
		rnd 60
		cmd=(ps-log "$M" --mode phone --minutes $((r + 1)) --note "step $STEP") ;;
	apply)
		app "$W/app.yaml"
		cmd=(ps-apply "$W/app.yaml") ;;
	screen)
		# shellcheck disable=SC2046
		pick $(records volunteers/ | xargs -r grep -l '^status: \(applied\|screening\)')
		[ -n "$p" ] || return 1
		cmd=(ps-screen "$(basename "$p" .yaml)" --step application --result pending) ;;
	accept)
		# shellcheck disable=SC2046
		pick $(records matches/ | xargs -r grep -l '^status: proposed')
		[ -n "$p" ] || return 1
		cmd=(ps-match --accept "$(basename "$p" .yaml)") ;;
	withdraw)
		# anyone open but P-B00001, whose match M takes the contacts,
		# and those added by hand
		# shellcheck disable=SC2046
		pick $(records participants/ | xargs -r grep -L '^status: \(withdrawn\|closed\)' |
		    grep -v -e P-B00001 -e '/P-H')
		[ -n "$p" ] || return 1
		cmd=(ps-apply --withdraw "$(basename "$p" .yaml)" --reason moved) ;;
	erase)
		# shellcheck disable=SC2046
		pick $(records participants/ | xargs -r grep -l '^status: withdrawn')
		[ -n "$p" ] || return 1
		cmd=(ps-apply --erase "$(basename "$p" .yaml)" --yes) ;;
	esac
	return 0
}

# app FILE: an application of a participant, and at times a volunteer,
# with names and addresses of their own (no probable duplicate).
app() {
	printf -- '---\nkind: participant\nstream: extended\nrole: caregiver\n'
	printf 'name: {first: Seq%s, last: "Step%s"}\n' "$SEQ" "$STEP"
	printf 'contact: {email: "p%s.%s@example.org"}\nlanguages: [en]\n' "$SEQ" "$STEP"
	printf 'consents: [{type: privacy, version: "2026-01", date: 2026-11-21, given: true}]\n'
	rnd 3
	[ "$r" = 0 ] || return 0
	printf -- '---\nkind: volunteer\nstreams: [extended]\nrole: living-with\n'
	printf 'name: {first: Vol%s, last: "Step%s"}\n' "$SEQ" "$STEP"
	printf 'contact: {email: "v%s.%s@example.org"}\nlanguages: [en]\n' "$SEQ" "$STEP"
	printf 'consents: [{type: privacy, version: "2026-01", date: 2026-11-21, given: true}, '
	printf '{type: pledge, version: "2026-01", date: 2026-11-21, given: true}]\n'
} >"$1"

# A tool write of KIND, killed at times.
step_tool() {
	local kind=$1
	tool_cmd "$kind" || return 1
	rnd 3
	# (none in the sequences broken on purpose: what they show is
	# their break)
	[ "$r" = 0 ] && [ -z "${INTERLEAVE_BREAK:-}" ] && kill_point "$kind"
	rnd 4
	[ "$r" = 0 ] && cmd=(env PS_INDEX_SPLIT=0 "${cmd[@]}")
	echo "  ${cmd[*]}" >>"$W/steps"
	run_fix "${cmd[@]}"
	return 0
}

# One plain git step.
step_git() {
	local kind=$1 f id
	case $kind in
	edit)
		# shellcheck disable=SC2046
		pick $(editable)
		hand_edit "$p" ;;
	edit-after-kill)
		# the unlucky person: a record the killed write changed, if
		# it is in the work tree
		# shellcheck disable=SC2046
		pick $(for f in $LANDED; do
			case $f in participants/*|volunteers/*|contacts/*)
				[ -f "$f" ] && echo "$f" ;;
			esac
		done)
		# shellcheck disable=SC2046
		[ -n "$p" ] || pick $(editable)
		hand_edit "$p" ;;
	commit)
		# shellcheck disable=SC2046
		pick $(editable)
		hand_edit "$p"
		run_fix git add -- "$p" && run_fix git commit -q -m "hand: an edit" ;;
	commit-a)
		# shellcheck disable=SC2046
		pick $(editable)
		hand_edit "$p"
		run_fix git commit -q -a -m "hand: commit -a" ;;
	add)
		run_fix git add -A ;;
	new)
		id=P-H$(printf '%02d%03d' $((SEQ % 100)) "$STEP")
		f=participants/$id.yaml
		[ -e "$f" ] && return 1
		sed -e "s/^id: .*/id: $id/" \
		    -e "s/^  last: .*/  last: Hand$STEP/" \
		    -e "s/^  email: .*/  email: hand.$STEP@example.org/" \
		    "$MF/P-B00004.yaml" >"$f"
		made[$f]=1
		echo "$f" >>"$W/known"
		echo "  $f: new" >>"$W/steps"
		hand_edit "$f"
		rnd 2
		if [ "$r" = 0 ]; then
			run_fix git add -- "$f" &&
			    run_fix git commit -q -m "hand: a new record"
		fi ;;
	delete)
		# a contact, or a record made by hand: nothing names them
		# shellcheck disable=SC2046
		pick $(records contacts/ participants/P-H)
		[ -n "$p" ] && [ -e "$p" ] || return 1
		# one added to the index and not committed: git rm, as its
		# author would (a plain rm would leave it staged)
		if [ -n "$(git ls-files -- "$p")" ] &&
		    [ -z "$(git ls-tree HEAD -- "$p")" ]; then
			run_fix git rm -q -f -- "$p"
		else
			rm -- "$p"
		fi
		unset "mark[$p]" "made[$p]"
		gone[$p]=1
		echo "  rm $p" >>"$W/steps" ;;
	gc)
		run_fix git gc -q ;;
	gc-prune)
		run_fix git gc -q --prune=now ;;
	esac
	return 0
}

# A tool write while git runs in the background. The tool's refusal, and
# git's failure, are met once both are done, as a person would: the one
# refused is run again.
step_concurrent() {
	local kind gst tst pre id
	local -a g
	pick log log apply screen
	kind=$p
	tool_cmd "$kind" || return 1
	rnd $((2 + ${INTERLEAVE_PRUNE_BESIDE:-0}))
	case $r in
	0) g=(git gc -q) ;;
	2) g=(git gc -q --prune=now) ;;
	1) # shellcheck disable=SC2046
	   pick $(editable)
	   hand_edit "$p"
	   g=(git commit -q -a -m "hand: commit -a beside a tool") ;;
	esac
	echo "  ${g[*]} & ${cmd[*]}" >>"$W/steps"
	pre=$(git rev-parse HEAD)
	("${g[@]}" >"$W/g.out" 2>"$W/g.err"; echo $? >"$W/g.st") &
	rnd 40
	sleep "0.0$(printf '%02d' "$r")"
	"${cmd[@]}" >"$W/t.out" 2>"$W/t.err"
	tst=$?
	wait
	gst=$(cat "$W/g.st")
	echo "    ${g[*]}: exit $gst; ${cmd[*]}: exit $tst" >>"$W/steps"
	cat "$W/g.err" "$W/t.err" | sed 's/^/      /' | head -8 >>"$W/steps"
	say "concurrent ${g[1]}"
	# the commits made, the tool's and git's, in whichever order
	model_since "$pre"
	case $tst in
	0) say "concurrent tool done"
	   DIRTY=0 GARBAGE=0
	   git log --format=%s "$pre..HEAD" | grep -q "^${cmd[0]}: " ||
	       problem "${cmd[*]} exited 0, but no commit of it is in HEAD"
	   git ls-tree -r --name-only HEAD >"$W/head"
	   printed_ids "$W/t.out" "${cmd[0]}" ;;
	1|3) say "concurrent tool refused"
	     st=$tst
	     fix "${cmd[0]}" "$W/t.err" && run_fix "${cmd[@]}" ;;
	*) problem "${cmd[*]} beside ${g[*]}: exit $tst: $(head -3 "$W/t.err")" ;;
	esac
	[ -s "$W/problems" ] && return 0
	if [ "$gst" != 0 ]; then
		say "concurrent git failed"
		# a lock the tool held, the branch it moved, its journal
		# seen by the hook, or nothing to commit: git run again
		if cat "$W/g.out" "$W/g.err" | grep -qi 'lock\|run ps-check outside git\|nothing to commit\|nothing added to commit\|no changes added to commit'; then
			run_fix "${g[@]}"
		else
			problem "${g[*]} beside ${cmd[*]}: exit $gst: $(cat "$W/g.out" "$W/g.err" | head -3)"
		fi
	fi
	return 0
}

# Every commit since PRE added what joins the model, and deleted only
# what was deleted by hand.
model_since() {	# pre
	local c f
	for c in $(git rev-list --reverse "$1..HEAD"); do
		git diff-tree -r --no-commit-id --name-only --diff-filter=A "$c^" "$c" >>"$W/model"
		for f in $(git diff-tree -r --no-commit-id --name-only --diff-filter=D "$c^" "$c"); do
			if [ -n "${gone[$f]:-}" ]; then
				forget "$f"
			else
				problem "commit $(git log -1 --format='%h %s' "$c") deleted $f, which no one deleted by hand"
			fi
		done
	done
}

# The deliberate breaks (INTERLEAVE_BREAK): each loses what the checks
# must find.
step_break() {
	echo "  break: $INTERLEAVE_BREAK" >>"$W/steps"
	case $INTERLEAVE_BREAK in
	checkout)
		# a hand edit of a record git knows, then undone behind the
		# model's back
		# shellcheck disable=SC2046
		pick $(records participants/P-B)
		hand_edit "$p"
		git checkout -q -- "$p" ;;
	empty)
		git rm -r -q --cached . &&
		    git commit -q --no-verify -m "an empty tree" >/dev/null ;;
	esac >>"$W/steps" 2>&1 || problem "the break ($INTERLEAVE_BREAK) could not be made"
}

# sequence I: one sequence in a copy of the prepared store. Prints its
# figures, and FAIL lines.
sequence() {
	SEQ=$1
	W=$R/seq.$SEQ
	S=$W/s
	rm -rf "$W"
	mkdir -p "$W"
	cp -a "$R/base/s" "$S"
	# shellcheck source=/dev/null
	. "$R/base/ids"
	cd "$S" || return
	RANDOM=$((SEED * 1000 + SEQ))
	declare -gA mark=() gone=() made=()
	DIRTY=0 GARBAGE=0 NEDIT=0 KILL='' AFTERKILL='' LANDED=''
	: >"$W/problems"
	: >"$W/figures"
	: >"$W/steps"
	git ls-tree -r --name-only HEAD >"$W/model"
	cp "$W/model" "$W/known"
	local total=0 w k kind n=0 done_
	for k in $KINDS; do total=$((total + ${k#*:})); done
	for STEP in $(seq 1 "$STEPS"); do
		# a kind, by weight; one that does not fit now, another
		for _ in 1 2 3 4 5; do
			rnd "$total"
			w=$r
			for k in $KINDS; do
				w=$((w - ${k#*:}))
				[ "$w" -lt 0 ] && break
			done
			kind=${k%:*}
			[ -n "${INTERLEAVE_BREAK:-}" ] && [ "$kind" = concurrent ] &&
			    kind=log
			# after a kill, every other time, a hand edit at once
			if [ -n "$AFTERKILL" ]; then
				AFTERKILL=
				rnd 2
				[ "$r" = 0 ] && kind=edit-after-kill
			fi
			echo "step $STEP: $kind" >>"$W/steps"
			done_=1
			case $kind in
			log|apply|screen|accept|withdraw|erase) step_tool "$kind" || done_=0 ;;
			concurrent) step_concurrent || done_=0 ;;
			*) step_git "$kind" || done_=0 ;;
			esac
			[ "$done_" = 1 ] && break
			echo "  (nothing fits)" >>"$W/steps"
		done
		if [ -n "${INTERLEAVE_BREAK:-}" ] && [ "$STEP" = 8 ]; then
			step_break
		fi
		say "step $kind"
		n=$((n + 1))
		check_all
		[ -s "$W/problems" ] && break
	done
	# the end: a tool after any kill, the hand edits committed
	if [ ! -s "$W/problems" ]; then
		STEP=end kind=end
		echo "end" >>"$W/steps"
		# as a person would: finish what a kill left, commit the hand
		# edits, one more write (which removes a killed run's
		# temporary files), and check
		run_fix ps-check && run_fix git add -A &&
		    run_fix git commit -q -m "hand: the last edits"
		[ -s "$W/problems" ] || run_fix ps-log "$M" --mode phone --minutes 5 --note end
		[ -s "$W/problems" ] || run_fix ps-check
		if [ ! -s "$W/problems" ]; then
			[ "$st" = 0 ] || problem "ps-check at the end: exit $st: $(head -3 "$ERR")"
			grep -qx '[0-9]* records checked, 0 problems' "$OUT" ||
			    problem "ps-check at the end: $(cat "$OUT")"
			f=$(git status --porcelain --untracked-files=all)
			[ -z "$f" ] || problem "git status at the end:" "$f"
			check_all
		fi
	fi
	cat "$W/figures"
	echo end
	if [ -s "$W/problems" ]; then
		echo "FAIL sequence $SEQ (RELIABILITY_SEED=$SEED --seq $SEQ), step $STEP ($kind): $(head -c 1500 "$W/problems" | tr '\n' ' ')"
		echo "TRACE $SEQ $(tail -50 "$W/steps" | tr '\n' '\036')"
	fi
	cd "$R" || return
	[ "${KEEP:-0}" = 1 ] || rm -rf "$W"
}

# The prepared store, and the calls of each kind of write in it.
prepare() {
	local kind
	make_store "$R/base" || return 1
	# shellcheck source=/dev/null
	. "$R/base/ids"
	for kind in log apply screen accept withdraw erase; do
		rm -rf "$R/count"
		cp -a "$R/base" "$R/count"
		(
			cd "$R/count/s" || exit 1
			W=$R/count SEQ=0 STEP=0
			case $kind in
			log) cmd=(ps-log "$M" --mode phone --minutes 5 --note x) ;;
			apply) RANDOM=0; app "$W/app.yaml"; cmd=(ps-apply "$W/app.yaml") ;;
			screen) cmd=(ps-screen "$VAPP" --step application --result pending) ;;
			accept) cmd=(ps-match --accept "$M2") ;;
			withdraw) cmd=(ps-apply --withdraw P-B00003 --reason moved) ;;
			erase) ps-apply --withdraw P-B00003 --reason moved >/dev/null || exit 1
			       cmd=(ps-apply --erase P-B00003 --yes) ;;
			esac
			strace -f -qq -o "$R/count.trace" -- "${cmd[@]}" >/dev/null 2>&1
		) || { echo "cannot trace the $kind write"; return 1; }
		awk -v only="$MUTATING" '
		    / resumed>/ || $2 ~ /^(\+\+\+|---)/ { next }
		    { name = $2; sub(/\(.*/, "", name); c = ++seen[name]; k++
		      if (index(only, " " name " ")) print k, name, c }
		    ' "$R/count.trace" >"$R/calls.$kind"
	done
	rm -rf "$R/count" "$R/count.trace"
}

if [ "${1:-}" = --run ]; then	# --run I...: sequences, for xargs
	shift
	for i in "$@"; do
		(sequence "$i")
	done
	exit 0
fi

if [ "${1:-}" = --seq ]; then	# --seq I: one sequence, every step shown
	command -v strace >/dev/null || { echo "no strace"; exit 1; }
	prepare || exit 1
	KEEP=1 sequence "$2" | grep -v '^TRACE '
	cat "$R/seq.$2/steps"
	exit 0
fi

t0=$(now)
if ! command -v strace >/dev/null; then
	skip "plain git among the tools' writes and crashes" "no strace"
	done_testing
	exit
fi
echo "# RELIABILITY_SEED=$SEED ($SEQS sequences of $STEPS steps)"
if ! out=$(prepare 2>&1); then
	not_ok "a store to start from, and the calls of each write" "$out"
	done_testing
	exit 1
fi
export SEED R STEPS

# The checks can fail: each deliberate break is caught.
for b in checkout empty; do
	out=$(INTERLEAVE_BREAK=$b "$0" --run 1)
	case $b in
	checkout) want_msg="a hand edit is lost" ;;
	empty) want_msg="HEAD lost what finished steps put there" ;;
	esac
	if printf '%s\n' "$out" | grep '^FAIL ' | grep -qF "$want_msg"; then
		ok "a deliberate break ($b) is caught: $want_msg"
	else
		not_ok "a deliberate break ($b) is caught: $want_msg" \
		    "$(printf '%s\n' "$out" | grep '^FAIL ' | head -3)" "not caught"
	fi
done

t1=$(now)
seq 1 "$SEQS" | xargs -P "$JOBS" -n 1 "$0" --run >"$R/results"
took=$(since "$t1")
steps=$(grep -c '^step ' "$R/results")
bykind=$(awk '$1 == "step" { n[$2]++ } END { for (k in n) print k, n[k] }' \
    "$R/results" | sort | paste -sd, - | sed 's/,/, /g')
kills=$(grep -c '^kill$' "$R/results")
landed=$(grep -c '^landed$' "$R/results")
missed=$(grep -c '^kill missed$' "$R/results")
remedies=$(awk '$1 == "remedy" { n[$2]++ } END { for (k in n) print k, n[k] }' \
    "$R/results" | sort | paste -sd, - | sed 's/,/, /g')
conc_gc=$(grep -c '^concurrent gc$' "$R/results")
conc_commit=$(grep -c '^concurrent commit$' "$R/results")
conc_ref=$(grep -c '^concurrent tool refused' "$R/results")
conc_git=$(grep -c '^concurrent git failed' "$R/results")
fails=$(grep -c '^FAIL ' "$R/results")
echo "# $SEQS sequences, $steps steps in $took s (seed $SEED)"
echo "# steps by kind: $bykind"
echo "# $kills kills ($landed after the branch moved; $missed more writes ended before the call drawn)"
echo "# refusals met by doing what they say: ${remedies:-none}"
echo "# tool writes beside git: $conc_gc beside git gc, $conc_commit beside git commit -a; $conc_ref of the writes refused and run again, $conc_git of the git commands failed and run again"
echo "# $fails failures"
details=$(grep '^FAIL ' "$R/results" | cut -c1-700)
[ "$(grep -c '^end$' "$R/results")" = "$SEQS" ] || details="$details
$(grep -c '^end$' "$R/results") of $SEQS sequences ran to the end"
tap "$SEQS sequences, $steps steps of tools and plain git, $kills kills, $fails failures, in $took s (RELIABILITY_SEED=$SEED): HEAD keeps every record, no hand edit lost, fsck clean, nothing left behind, ps-check clean at the end" "$details"
# the last steps of the first failures, to read beside the replay
grep '^TRACE ' "$R/results" | head -$((FULL == 1 ? 30 : 3)) | while read -r _ i trace; do
	echo "# sequence $i, its last steps:"
	printf '%s' "$trace" | tr '\036' '\n' | sed 's/^/#   /'
done
echo "# $(since "$t0") s in all"
done_testing
