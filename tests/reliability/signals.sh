#!/bin/bash
# Pipes, signals, cut-short input and git's lock files.
#   - a reader that stops early (ps-report | head -1, a pipe closed before
#     the first write): a quiet exit, the store unchanged;
#   - SIGTERM or SIGINT at every third file-changing system call of a
#     write (RELIABILITY_FULL=1: both at every one): the write finishes or
#     is given up, and no temp file, journal or lock is left (signals are
#     held while files are written);
#   - an upstream process killed half-way through a record: the cut is
#     detected and nothing is written;
#   - git's lock files: a stale one is named with what to do; one held by
#     a live process is waited for (bounded), then exit 3.
. "$(dirname "$0")/lib.sh"

MUTATING=" openat creat write pwrite64 fsync fdatasync syncfs rename renameat renameat2 link linkat unlink unlinkat mkdir rmdir chmod fchmod close "

# One run: signal sig at call k (the c-th NAME call); print "k result".
one() {	# tool sig k name c
	local tool=$1 sig=$2 k=$3 name=$4 c=$5 w=$R/w.$1.$2.$3 st old problems=
	cp -a "$R/tmpl.$tool" "$w"
	cd "$w" || return
	. ./ids
	old=$(git -C s rev-parse HEAD 2>/dev/null)
	# shellcheck disable=SC2046
	(strace -f -qq -o /dev/null --seccomp-bpf \
	    -e "inject=$name:signal=$sig:when=$c" -- $(op_cmd "$tool") \
	    >out 2>err; exit $?) 2>/dev/null
	st=$?
	case $sig.$st in
	TERM.143|INT.130|*.0) ;;
	*) problems="exit $st: $(head -c 200 err)" ;;
	esac
	if [ "$tool" = ps-init ]; then
		if [ -e new/program.yaml ]; then
			problems="$problems
$(state_check "$w/new" "$(git -C new rev-parse HEAD)" ps-init)
$(clean_check "$w/new")"
			[ -x new/.git/hooks/pre-commit ] || problems="$problems
no hook"
		fi
		[ -z "$(ls -A new 2>/dev/null | grep -vx -e .git -e program.yaml)" ] ||
		    problems="$problems
left in new/: $(ls -A new | tr '\n' ' ')"
	else
		# nothing to finish: no next run
		problems="$problems
$(state_check "$w/s" "$old" "$tool")
$(clean_check "$w/s")"
	fi
	problems=$(printf '%s' "$problems" | grep -v '^$')
	if [ -n "$problems" ]; then
		echo "$k FAIL $name#$c $sig: $(printf '%s' "$problems" | tr '\n' ' ' | cut -c1-400)"
	elif [ "$tool" != ps-init ] && [ "$(git -C s rev-parse HEAD)" != "$old" ]; then
		echo "$k ok written"
	else
		echo "$k ok"
	fi
	cd "$R" && rm -rf "$w"
}

if [ "${1:-}" = --one ]; then
	one "$2" "$3" "$4" "$5" "$6"
	exit 0
fi

make_store "$R/base" || { not_ok "a store"; done_testing; exit 1; }
. "$R/base/ids"
S=$R/base/s
fp() {	# but the objects and the tools' caches (as faults.sh)
	(cd "$S" && find . \( -path ./.git/objects "${CACHES[@]}" \) -prune -o \
	    -type f -exec md5sum {} + | sort)
}

# --- readers that stop early
t0=$(now)
before=$(fp)
bad=
for c in "ps-report -C $S --format yaml" "ps-report -C $S" \
    "ps-log -C $S --list --yaml" "ps-apply -C $S --list --yaml" \
    "ps-screen -C $S --pending --yaml" "ps-report -C $S --history $M"; do
	# shellcheck disable=SC2086
	$c 2>"$R/err" | head -1 >/dev/null
	st=${PIPESTATUS[0]}
	[ "$st" = 0 ] && [ ! -s "$R/err" ] || bad="$bad
$c | head -1: exit $st: $(head -2 "$R/err")"
	# the pipe closed before the first write
	# shellcheck disable=SC2086
	(sleep 0.2; $c 2>"$R/err"; echo $? >"$R/st") | true
	sleep 0.3
	[ "$(cat "$R/st" 2>/dev/null)" = 0 ] && [ ! -s "$R/err" ] || bad="$bad
$c into a closed pipe: exit $(cat "$R/st"): $(head -2 "$R/err")"
done
[ "$(fp)" = "$before" ] || bad="$bad
the store changed"
tap "readers into a pipe that closes early (| head -1, or closed before the first write): quiet, exit 0, store unchanged" "$bad"

# a write into a closed pipe: saved once, quietly
h=$(git -C "$S" rev-parse HEAD)
(sleep 0.2; ps-log -C "$S" "$M" --mode phone --minutes 5 2>"$R/err"; echo $? >"$R/st") | true
sleep 0.3
bad=
[ "$(cat "$R/st")" = 0 ] && [ ! -s "$R/err" ] || bad="exit $(cat "$R/st"): $(cat "$R/err")"
[ "$(git -C "$S" rev-list --count "$h..HEAD")" = 1 ] || bad="$bad
not one commit"
[ -z "$(clean_check "$S")" ] || bad="$bad
$(clean_check "$S")"
tap "a write whose output pipe is closed: saved once, quiet, exit 0" "$bad"

# --- SIGTERM and SIGINT while files are written
if ! command -v strace >/dev/null; then
	skip "signals at every write" "no strace"
else
	. "$R/base/ids"
	for tool in ps-log ps-apply ps-init; do
		mkdir "$R/tmpl.$tool"
		cp "$R/base/ids" "$R/tmpl.$tool/"
		[ $tool = ps-init ] || cp -a "$S" "$R/tmpl.$tool/s"
		cp -a "$R/tmpl.$tool" "$R/count"
		# shellcheck disable=SC2046
		(cd "$R/count" && strace -f -qq -o "$R/count.trace" \
		    -- $(op_cmd $tool) >/dev/null 2>&1)
		rm -rf "$R/count"
		# from the first call that changes the store on
		awk -v only="$MUTATING" '
		    / resumed>/ || $2 ~ /^(\+\+\+|---)/ { next }
		    { name = $2; sub(/\(.*/, "", name); c = ++seen[name]; k++ }
		    /O_CREAT|^[0-9]+ (mkdir|rename|link|write)\(/ && !/write\((1|2),/ { on = 1 }
		    on && index(only, " " name " ") { print k, name, c }
		    ' "$R/count.trace" >"$R/points.$tool"
		rm -f "$R/count.trace"
	done
	# every third call, SIGTERM and SIGINT in turn; RELIABILITY_FULL=1:
	# both at every call
	for tool in ps-log ps-apply ps-init; do
		t1=$(now)
		n=$(wc -l <"$R/points.$tool")
		awk -v t=$tool -v full="$FULL" '
		    full == 1 { print t, "TERM", $0; print t, "INT", $0; next }
		    NR % 3 == 1 { print t, (NR % 6 == 1 ? "TERM" : "INT"), $0 }
		    ' "$R/points.$tool" >"$R/runs"
		xargs -P "$JOBS" -L 1 "$0" --one <"$R/runs" >"$R/results"
		tap "$tool: SIGTERM or SIGINT at $(wc -l <"$R/runs") of its $n file-changing calls from its first write on ($(grep -c ' ok written$' "$R/results") after the write was whole): HEAD old or new, work tree clean, no temp file, journal or lock left, in $(since "$t1") s" \
		    "$(grep ' FAIL ' "$R/results" | sort -n)"
	done
fi

# --- an upstream process killed half-way through a record
. "$R/base/ids"
h=$(git -C "$S" rev-parse HEAD)
bad=
(printf -- '---\nmatch: %s\nmode: phone\nminutes: 30\n---\nmatch: %s\nmode: phone\nminutes: 3' "$M" "$M"
    kill -KILL $BASHPID) 2>/dev/null | ps-log -C "$S" >"$R/out" 2>"$R/err"
st=$?
[ "$st" = 1 ] || bad="ps-log: exit $st"
grep -q 'cut short' "$R/err" || bad="$bad
ps-log: no word of the cut: $(cat "$R/err")"
(sed '$d' "$AF/two.yaml"; printf '  - {type: pledge, version: "2026-01", date: 2026-11-2'
    kill -KILL $BASHPID) 2>/dev/null | ps-apply -C "$S" >"$R/out" 2>"$R/err"
st=$?
[ "$st" = 1 ] || bad="$bad
ps-apply: exit $st"
grep -q 'cut short\|not valid YAML' "$R/err" || bad="$bad
ps-apply: no word of the cut: $(cat "$R/err")"
[ "$(git -C "$S" rev-parse HEAD)" = "$h" ] || bad="$bad
a commit was made"
# whole input without a final newline is taken: JSON ends with } or ]
printf '[{"kind": "participant"}]' | ps-apply -C "$S" -n >/dev/null 2>"$R/err"
grep -q 'cut short' "$R/err" && bad="$bad
JSON without a final newline taken for cut short"
tap "an upstream process killed half-way through a record: the cut is detected, exit 1, nothing written" "$bad"

# --- git's lock files
h=$(git -C "$S" rev-parse HEAD)
for f in index.lock "$(git -C "$S" symbolic-ref HEAD).lock"; do
	: >"$S/.git/$f"
	t1=$(now)
	PS_LOCK_TIMEOUT=1 ps-log -C "$S" "$M" --mode phone --minutes 5 >"$R/out" 2>"$R/err"
	st=$?
	took=$(since "$t1")
	bad=
	[ "$st" = 3 ] || bad="exit $st"
	grep -q "$S/.git/$f exists: .*remove that file and run again" "$R/err" ||
	    bad="$bad
$(cat "$R/err")"
	[ "$(git -C "$S" rev-parse HEAD)" = "$h" ] || bad="$bad
a commit was made"
	awk -v t="$took" 'BEGIN { exit !(t >= 0.9 && t < 10) }' || bad="$bad
gave up after $took s, not after PS_LOCK_TIMEOUT=1"
	tap "a stale .git/$f: waited for 1 s (PS_LOCK_TIMEOUT), then exit 3 naming the file and what to do" "$bad"
	# held by a live git: waited for
	(sleep 0.5; rm -f "$S/.git/$f") &
	PS_LOCK_TIMEOUT=10 ps-log -C "$S" "$M" --mode phone --minutes 5 >"$R/out" 2>"$R/err"
	st=$?
	wait
	bad=
	[ "$st" = 0 ] || bad="exit $st: $(cat "$R/err")"
	[ "$(git -C "$S" rev-list --count "$h..HEAD")" = 1 ] || bad="$bad
not one commit"
	h=$(git -C "$S" rev-parse HEAD)
	tap "a .git/$f a live git removes after 0.5 s: waited for, then the write goes through" "$bad"
done
# ps.lock held by another live command
flock "$S/.git/ps.lock" sleep 1.5 &
sleep 0.2
PS_LOCK_TIMEOUT=0.5 ps-log -C "$S" "$M" --mode phone --minutes 5 >/dev/null 2>"$R/err"
st=$?
bad=
[ "$st" = 3 ] && grep -q 'store is busy' "$R/err" || bad="exit $st: $(cat "$R/err")"
PS_LOCK_TIMEOUT=10 ps-log -C "$S" "$M" --mode phone --minutes 5 >/dev/null 2>"$R/err" ||
    bad="$bad
after the wait: $(cat "$R/err")"
wait
[ "$(git -C "$S" rev-list --count "$h..HEAD")" = 1 ] || bad="$bad
not one commit"
tap "the store's lock held by a live command: waited for (bounded: exit 3 'store is busy' after PS_LOCK_TIMEOUT), then the write goes through" "$bad"
git -C "$S" fsck --full --strict >/dev/null 2>&1 || not_ok "git fsck after the lock tests"
echo "# in $(since "$t0") s"
done_testing
