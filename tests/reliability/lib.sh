# Shared set-up for the reliability tests (sourced by each *.sh here):
# TAP output, a private environment, a prepared store to copy, and the
# checks every fault must pass.
#
#   RELIABILITY_FULL=1    the long variants (every syscall of every tool,
#                         every fault point, 8 x 2,000 concurrent writes,
#                         valgrind on every allocation failure point of
#                         ps-log, 200 interleaved sequences); by default
#                         each sweep is cut to keep make check short
#                         (sample_points)
#   RELIABILITY_TMPDIR    where the stores go (default /dev/shm when it is
#                         writable: fsync there costs nothing, so a sweep
#                         of a thousand runs stays within a minute)
#   RELIABILITY_JOBS      runs in parallel (default: the number of CPUs)
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
export PATH="$top/cmd:$PATH"
export PS_SCHEMA_DIR="$top/schemas"
export LC_ALL=C.UTF-8 TZ=UTC GIT_CONFIG_NOSYSTEM=1
export PS_AUTHOR="Test Coordinator <coord@example.org>"
export PS_NOW=2026-11-22T15:00:00Z	# the clock: no test reads the real date
export GIT_AUTHOR_DATE=$PS_NOW GIT_COMMITTER_DATE=$PS_NOW
export GIT_AUTHOR_NAME=T GIT_AUTHOR_EMAIL=t@example.org
export GIT_COMMITTER_NAME=T GIT_COMMITTER_EMAIL=t@example.org
unset PS_STORE PS_LOCK_TIMEOUT
# one thread: the sweeps count system calls and allocations in order, and
# libgit2's start-up would otherwise run beside the command's own
export PS_THREADS=1
FULL=${RELIABILITY_FULL:-0}
# A sanitizer build (make SANITIZE=1): LeakSanitizer cannot run under
# strace (it needs ptrace itself), so leaks are left to the other suites
# here; alloc.sh's failing-malloc shim cannot sit beside ASan's allocator.
SANITIZED=0
if nm -D "$top/cmd/ps-log" 2>/dev/null | grep -q __asan_init; then
	SANITIZED=1
	export ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0
fi
JOBS=${RELIABILITY_JOBS:-$(nproc 2>/dev/null || echo 2)}
# find(1) terms for the tools' caches (an -o before each): files in .git
# a run may bring up to date whatever becomes of its write
CACHES=(-o -path '*/.git/ps-index-stamp' -o -path '*/.git/ps-dupkeys' -o
    -path '*/.git/ps-cache')
MF=$top/tests/fixtures/match
AF=$top/tests/fixtures/apply

if [ -z "${R:-}" ]; then
	base=${RELIABILITY_TMPDIR:-}
	if [ -z "$base" ]; then
		base=${TMPDIR:-/tmp}
		[ -d /dev/shm ] && [ -w /dev/shm ] && base=/dev/shm
	fi
	R=$(mktemp -d "$base/ps-rel.XXXXXX") || exit 3
	export R
	trap 'rm -rf "$R"' EXIT
	trap 'exit 130' INT TERM
	export HOME=$R/home
	mkdir -p "$HOME"
	# 100 applications: a write that goes to the store as one pack
	for i in $(seq 1 100); do
		printf -- '---\nkind: participant\nstream: extended\n'
		printf 'role: caregiver\nname: {first: Many, last: "N%d"}\n' "$i"
		printf 'contact: {email: many.%d@example.org}\n' "$i"
		printf 'languages: [en]\nconsents: [{type: privacy, '
		printf 'version: "2026-01", date: 2026-11-21, given: true}]\n'
	done >"$R/many.yaml"
fi

tap_n=0
tap_fail=0
# ok DESCRIPTION / not_ok DESCRIPTION [DETAILS...]: one TAP line.
ok() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $*"
}
not_ok() {
	tap_n=$((tap_n + 1))
	tap_fail=$((tap_fail + 1))
	echo "not ok $tap_n - $1"
	shift
	[ $# -gt 0 ] && printf '%s\n' "$@" | head -40 | sed 's/^/# /'
	return 0
}
# tap DESCRIPTION DETAILS: ok when DETAILS is empty.
tap() {
	if [ -z "$2" ]; then ok "$1"; else not_ok "$1" "$2"; fi
}
# skip DESCRIPTION REASON
skip() {
	tap_n=$((tap_n + 1))
	echo "ok $tap_n - $1 # SKIP $2"
}
done_testing() {
	echo "1..$tap_n"
	[ "$tap_fail" = 0 ]
}
# The seconds since an earlier $(now).
# sample_points FILE MAX: make check's sweeps are bounded to keep it
# short: FILE, a list of points one a line, cut to at most MAX spread
# evenly over it (the first one kept); every one with RELIABILITY_FULL=1.
# Prints ", one in N of them" when it cut, for the sweep's TAP line.
sample_points() {
	local n step
	n=$(wc -l <"$1")
	{ [ "$FULL" = 1 ] || [ "$n" -le "$2" ]; } && return 0
	step=$(( (n + $2 - 1) / $2 ))
	awk -v s="$step" '(NR - 1) % s == 0' "$1" >"$1.cut" && mv "$1.cut" "$1"
	echo ", one in $step of them"
}

# each_point TOOL k name c [k name c ...]: one TOOL k name c, for each
# point (a kill point of a sweep: its number, the call's name and its
# count), each in a subshell; the script's --one, which xargs runs.
each_point() {
	local tool=$1
	shift
	while [ $# -ge 3 ]; do
		(one "$tool" "$1" "$2" "$3")
		shift 3
	done
}

now() {
	date +%s.%N
}
since() {
	awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'
}

# make_store DIR: a store at DIR/s with the matching fixtures, proposals
# made, M (P-B00001 with V-A00001) accepted, M2 (P-B00002) and M3
# (P-B00003) proposed, CB a OneCall callback, and VAPP a volunteer who
# has applied; the IDs go to DIR/ids.
make_store() {
	local d=$1
	mkdir -p "$d"
	ps-init "$d/s" >/dev/null || return 1
	mkdir -p "$d/s/participants" "$d/s/volunteers" "$d/s/groups"
	cp "$MF"/P-*.yaml "$d/s/participants/"
	cp "$MF"/V-*.yaml "$d/s/volunteers/"
	cp "$MF"/G-*.yaml "$d/s/groups/"
	git -C "$d/s" add -A &&
	    git -C "$d/s" commit -q --no-verify -m fixtures || return 1
	ps-match -C "$d/s" --commit >/dev/null 2>&1 || return 1
	(
		cd "$d/s" || exit 1
		m() {
			grep -l "participant: $1" matches/*.yaml | head -1 |
			    xargs basename | sed 's/\.yaml$//'
		}
		echo "M=$(m P-B00001) M2=$(m P-B00002) M3=$(m P-B00003) CB=$(m P-B00005)"
	) >"$d/ids" || return 1
	. "$d/ids"
	ps-match -C "$d/s" --accept "$M" >/dev/null || return 1
	ps-apply -C "$d/s" "$AF/two.yaml" >"$d/applied" || return 1
	echo "VAPP=$(sed -n 's/^id: \(V-.*\)/\1/p' "$d/applied")" >>"$d/ids"
	echo "PAPP=$(sed -n 's/^id: \(P-.*\)/\1/p' "$d/applied")" >>"$d/ids"
}

# free_store DIR: to the store DIR/s of make_store, two volunteers free
# (V-A00005 and V-A00006, copies of V-A00002 who speak Spanish) and two
# more participants waiting (P-B00006 and P-B00007, copies of P-B00004),
# committed with plain git as a coordinator might: ps-match --commit
# then has three matches to propose (P-B00004, P-B00006, P-B00007).
free_store() {
	local d=$1 n
	for n in 5 6; do
		sed -e "s/^id: V-A00002\$/id: V-A0000$n/" -e "s/-surname/$n-surname/" \
		    -e 's/^  - fr$/  - es/' "$MF/V-A00002.yaml" \
		    >"$d/s/volunteers/V-A0000$n.yaml" || return 1
	done
	for n in 6 7; do
		sed -e "s/^id: P-B00004\$/id: P-B0000$n/" -e "s/CANARY-Hana/CANARY-Hana$n/" \
		    "$MF/P-B00004.yaml" >"$d/s/participants/P-B0000$n.yaml" || return 1
	done
	git -C "$d/s" add -A &&
	    git -C "$d/s" commit -q --no-verify -m "more volunteers and participants"
}

# The representative write of each tool, run in DIR (holding s/).
op_cmd() {	# tool
	case $1 in
	ps-init)   echo "ps-init new" ;;
	ps-apply)  echo "ps-apply -C s --allow-duplicate $AF/two.yaml" ;;
	# 100 records: its objects go to the store as one pack
	ps-apply-pack) echo "ps-apply -C s $R/many.yaml" ;;
	ps-screen) echo "ps-screen -C s $VAPP --step application --result pass" ;;
	ps-match)  echo "ps-match -C s --accept $M2" ;;
	# proposals for those waiting, in one commit (free_store's store)
	ps-match-commit) echo "ps-match -C s --commit" ;;
	ps-log)    echo "ps-log -C s $M --mode phone --minutes 30 --note CANARY" ;;
	# the same, the index left to a child as in a large store
	ps-log-split) echo "env PS_INDEX_SPLIT=0 ps-log -C s $M --mode phone --minutes 30 --note CANARY" ;;
	# a withdrawal: the participant, and the proposal M2 it ends
	ps-withdraw) echo "ps-apply -C s --withdraw P-B00002 --reason moved" ;;
	# a batch of entries on stdin, one commit ($R/log-batch.sh)
	ps-log-batch) echo "$R/log-batch.sh" ;;
	esac
}

# Files git or a person could see that are neither the old commit's nor
# the new one's version (a partial or a temp file), one per line.
foreign_files() {	# store old new
	local s=$1 old=$2 new=$3
	(
		cd "$s" || exit 1
		find . -path ./.git -prune -o -type f -print | sed 's|^\./||' |
		    sort >"$s.files"
		git hash-object --stdin-paths <"$s.files" >"$s.hashes"
		{
			git ls-tree -r "$old" | sed 's/^/old /'
			[ -n "$new" ] && git ls-tree -r "$new" | sed 's/^/new /'
			paste "$s.files" "$s.hashes" | sed 's/^/file /'
		} | awk '
		    $1 != "file" { split($0, a, "\t"); want[a[2] " " $4] = 1; next }
		    { split($0, a, "\t"); p = substr(a[1], 6)
		      if (!((p " " a[2]) in want)) print "partial or foreign file: " p }'
		rm -f "$s.files" "$s.hashes"
	)
}

# Leftovers after a run that finished: temp files, a journal, git locks.
leftovers() {	# store
	local g=$1/.git
	find "$g" \( -path "$g/ps-tmp/*" -o -path "$g/ps-journal*" -o \
	    -path "$g/objects/tmp_*" -o -path "$g/objects/*/tmp_*" -o \
	    \( -name '*.lock' ! -name ps.lock \) \) -printf 'left: %P\n'
}

# The store after a fault: git fsck clean, HEAD the old commit or one
# new commit of the tool on it, no partial file. Prints what is wrong.
state_check() {	# store old tool
	local s=$1 old=$2 tool=${3%-split} head out
	tool=${tool%-pack}
	tool=${tool%-batch}
	tool=${tool%-commit}
	[ "$tool" = ps-withdraw ] && tool=ps-apply
	settle "$s"
	if ! out=$(git -C "$s" fsck --full --strict --no-progress 2>&1) ||
	    printf '%s' "$out" | grep -qv -e '^dangling ' -e '^$'; then
		echo "git fsck:"
		printf '%s\n' "$out" | grep -v '^dangling '
	fi
	head=$(git -C "$s" rev-parse -q --verify HEAD)
	if [ "$head" != "$old" ]; then
		if [ "$(git -C "$s" rev-parse -q --verify "HEAD^")" != "$old" ]; then
			echo "HEAD $head is neither the old commit nor one after it"
		else
			case $(git -C "$s" log -1 --format=%s) in
			"$tool: "*) ;;
			*) echo "HEAD is an unexpected commit: $(git -C "$s" log -1 --format=%s)" ;;
			esac
		fi
	fi
	# work tree, index and HEAD agree (the common case, one git run), or
	# each file is the old commit's version or the new one's
	if [ -n "$(git --no-optional-locks -C "$s" status --porcelain --untracked-files=all)" ]; then
		foreign_files "$s" "$old" "$([ "$head" != "$old" ] && echo "$head")"
	fi
}

# A write is done when the store's lock is free (no tool leaves a process
# behind that holds it: a lock held here is a bug the next check shows).
settle() {	# store
	[ -e "$1/.git/ps.lock" ] && flock "$1/.git/ps.lock" true
	return 0
}

# The store after the next run: work tree and index at HEAD, nothing left.
clean_check() {	# store
	local st
	settle "$1"
	st=$(git --no-optional-locks -C "$1" status --porcelain --untracked-files=all 2>&1)
	[ -z "$st" ] || printf 'git status:\n%s\n' "$st"
	leftovers "$1"
}
