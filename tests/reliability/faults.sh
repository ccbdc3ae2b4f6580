#!/bin/bash
# Disk full (ENOSPC) and I/O errors (EIO) at every write and fsync point
# of one representative write of each tool: every write, fsync, syncfs,
# rename, link, mkdir and open that creates a file, found in a traced run
# and failed in turn (strace -e inject=NAME:error=E:when=c; writes to
# stdout and stderr are not the store's, and are left alone). Among them
# ps-apply-pack: 100 applications, whose objects go to one pack
# (FAULT_TOOLS: the tools to fail, by default all). make check fails
# about 60 points of each, spread over all; RELIABILITY_FULL=1 every one.
#
# Before the commit point (the branch moving): a message naming the error,
# exit status 3, the store unchanged (HEAD, work tree, index), no temp
# file, journal or lock left. After it the commit is made and on disk, so
# the tool says so, warns that the work tree lags, and exits 0; the next
# command brings the work tree up to it. A failed fsync is never retried
# (no second fsync of that file) and never followed by "saved".
#
# Then a read-only store: the reading tools and reports work; every write
# fails (exit 3, a message) before any side effect.
. "$(dirname "$0")/lib.sh"

# The store's files (names, sizes, modes, times) and folders, but its
# object database, where a failed write may leave an object no commit
# names (git fsck calls it dangling; git gc prunes it), the reflogs, and
# the tools' caches, which a run may bring up to date before it fails
# (each is checked against what it caches before use; peer-support(7)).
fingerprint() {	# dir
	(cd "$1" && find s new \( -path '*/.git/objects' -o \
	    -path '*/.git/logs' "${CACHES[@]}" \) -prune -o -type d -printf '%p/\n' -o \
	    -type f -exec md5sum {} + 2>/dev/null | sort)
}

# One run: the c-th NAME call fails with err; print "k result".
one() {	# tool err k name c
	local tool=$1 err=$2 k=$3 name=$4 c=$5 w=$R/w.$1.$2.$3 st old head=
	local problems= msg
	cp -a "$R/tmpl.$tool" "$w"
	cd "$w" || return
	. ./ids
	old=$(git -C s rev-parse HEAD 2>/dev/null)
	# shellcheck disable=SC2046
	strace -f -qq -o trace --seccomp-bpf -e "trace=$name,fsync,fdatasync,syncfs,close,openat" \
	    -e "inject=$name:error=$err:when=$c" -- $(op_cmd "$tool") >out 2>err
	st=$?
	case $err in
	ENOSPC) msg="No space left on device" ;;
	EIO) msg="Input/output error" ;;
	esac
	grep -q "INJECTED" trace || { echo "$k $name#$c missed"; cd "$R" && rm -rf "$w"; return; }
	# a failed fsync of a file is not tried again
	problems=$(awk '
	    /= -1 E[A-Z]+ .*\(INJECTED\)/ && /(fsync|fdatasync)\(/ {
		s = $0; sub(/.*sync\(/, "", s); sub(/\).*/, "", s); bad[s] = 1; next }
	    /openat\(.* = [0-9]+$/ { fd = $NF; delete bad[fd] }
	    /close\(/ { s = $0; sub(/.*close\(/, "", s); sub(/\).*/, "", s); delete bad[s] }
	    /(fsync|fdatasync)\([0-9]+\)/ { s = $0; sub(/.*sync\(/, "", s); sub(/\).*/, "", s)
		if (s in bad) print "fsync of fd " s " tried again after it failed" }' trace)
	if [ "$tool" = ps-init ]; then
		if [ -f new/program.yaml ]; then
			# written again by libgit2, whole
			[ "$st" = 0 ] || problems="$problems
exit $st, but the store was made"
			problems="$problems
$(state_check "$w/new" "$(git -C new rev-parse HEAD)" ps-init)
$(clean_check "$w/new")"
			[ -x new/.git/hooks/pre-commit ] || problems="$problems
no hook"
			head=again
		else
			[ "$st" = 3 ] || problems="$problems
exit $st, not 3"
			grep -q "$msg" err || problems="$problems
no message naming the error: $(head -c 200 err)"
			ps-init new >/dev/null 2>next.err || problems="$problems
next ps-init: $(cat next.err)"
		fi
		[ -z "$(ls -A new | grep -vx -e .git -e program.yaml)" ] ||
		    problems="$problems
left in new/: $(ls -A new | tr '\n' ' ')"
	else
		head=$(git -C s rev-parse HEAD)
		if [ "$head" = "$old" ]; then
			[ "$st" = 3 ] || problems="$problems
exit $st, not 3"
			grep -q "$msg" err || problems="$problems
no message naming the error: $(head -c 200 err)"
			fingerprint "$w" >fp
			cmp -s fp "$R/fp.$tool" || problems="$problems
$(clean_check "$w/s")
the store changed: $(diff "$R/fp.$tool" fp | grep '^[<>]' | head -3 | tr '\n' ' ')"
			git -C s fsck --strict >/dev/null 2>&1 ||
			    problems="$problems
git fsck: $(git -C s fsck --strict 2>&1 | head -3)"
			[ -z "$(leftovers "$w/s")" ] || problems="$problems
$(leftovers "$w/s")"
		elif grep -q "the commit is made" err; then
			# past the commit point: saved, and said so
			[ "$st" = 0 ] || problems="$problems
exit $st after the commit was made"
			problems="$problems
$(state_check "$w/s" "$old" "$tool")"
			ps-log -C s "$M" --mode phone --minutes 5 >/dev/null 2>next.err ||
			    problems="$problems
next run: $(cat next.err)"
			problems="$problems
$(clean_check "$w/s")"
			head=after
		else
			# libgit2 wrote the object again, to a new file, and
			# that one synced: the write is whole
			[ "$st" = 0 ] || problems="$problems
exit $st, but a commit was made"
			problems="$problems
$(state_check "$w/s" "$old" "$tool")
$(clean_check "$w/s")"
			head=again
		fi
	fi
	problems=$(printf '%s' "$problems" | grep -v '^$')
	if [ -n "$problems" ]; then
		echo "$k FAIL $name#$c $err (exit $st: $(head -c 160 err | tr '\n' ' ')): $(printf '%s' "$problems" | tr '\n' ' ' | cut -c1-400)"
	elif [ "$head" = after ] || [ "$head" = again ]; then
		echo "$k ok $head"
	else
		echo "$k ok before"
	fi
	cd "$R" && rm -rf "$w"
}

if [ "${1:-}" = --one ]; then	# --one TOOL ERR k name c [k name c ...]
	tool=$2 err=$3
	shift 3
	while [ $# -ge 3 ]; do
		(one "$tool" "$err" "$1" "$2" "$3")
		shift 3
	done
	exit 0
fi

t0=$(now)
if ! command -v strace >/dev/null; then
	skip "disk full and I/O errors" "no strace"
else
	make_store "$R/base" || { not_ok "a store"; done_testing; exit 1; }
	. "$R/base/ids"
	runs=0
	for tool in ${FAULT_TOOLS:-ps-log ps-apply ps-apply-pack ps-screen ps-match ps-init}; do
		mkdir "$R/tmpl.$tool"
		cp "$R/base/ids" "$R/tmpl.$tool/"
		[ $tool = ps-init ] || cp -a "$R/base/s" "$R/tmpl.$tool/s"
		fingerprint "$R/tmpl.$tool" >"$R/fp.$tool"
		cp -a "$R/tmpl.$tool" "$R/count"
		# shellcheck disable=SC2046
		(cd "$R/count" && strace -f -qq -o "$R/count.trace" \
		    -- $(op_cmd $tool) >/dev/null 2>&1)
		rm -rf "$R/count"
		# the store's write points: "k name c"
		awk '
		    / resumed>/ || $2 ~ /^(\+\+\+|---)/ { next }
		    { name = $2; sub(/\(.*/, "", name); c = ++seen[name]; k++ }
		    name ~ /^(write|pwrite64|writev)$/ && $2 ~ /\((1|2),/ { next }
		    name ~ /^(write|pwrite64|writev|fsync|fdatasync|syncfs|rename|renameat|renameat2|link|linkat|mkdir|mkdirat|ftruncate)$/ ||
		    (name ~ /^(openat|open|creat)$/ && /O_CREAT/) { print k, name, c }
		    ' "$R/count.trace" >"$R/points.$tool"
		rm -f "$R/count.trace"
		# make check's time: about 60 of them, spread over all (every
		# one with RELIABILITY_FULL=1)
		sample=$(sample_points "$R/points.$tool" 60)
		n=$(wc -l <"$R/points.$tool")
		for err in ENOSPC EIO; do
			t1=$(now)
			xargs -P "$JOBS" -n 24 "$0" --one $tool $err \
			    <"$R/points.$tool" >"$R/results"
			runs=$((runs + n))
			before=$(grep -c ' ok before$' "$R/results")
			after=$(grep -c ' ok after$' "$R/results")
			again=$(grep -c ' ok again$' "$R/results")
			missed=$(grep -c ' missed$' "$R/results")
			tap "$tool: $err at each of its $n write, fsync, rename and create points$sample: $before refused (exit 3, a message, store unchanged, nothing left), $again written again to a new file by libgit2 (whole, exit 0), $after after the commit point (exit 0, saved and said so, the next run completes), $missed not reached; no fsync retried; in $(since "$t1") s" \
			    "$(grep ' FAIL ' "$R/results" | sort -n)"
		done
	done
	echo "# $runs runs with a write failing, in $(since "$t0") s"
fi

# A read-only store (a read-only bind mount in a mount namespace of its
# own; or, not as root, the files made read-only).
ro() {	# store cmd...
	local s=$1
	shift
	if [ "$(id -u)" = 0 ]; then
		unshare -m sh -c 'mount --bind -o ro "$0" "$0" && exec "$@"' "$s" "$@"
	else
		chmod -R a-w "$s" && "$@"
		st=$?
		chmod -R u+w "$s"
		return $st
	fi
}
t1=$(now)
make_store "$R/ro" >/dev/null 2>&1 || make_store "$R/ro"
. "$R/ro/ids"
S=$R/ro/s
if ! ro "$S" true 2>/dev/null; then
	skip "a read-only store" "cannot mount read-only here (no CAP_SYS_ADMIN)"
else
	before=$(fingerprint "$R/ro")
	ps-log -C "$S" "$M" --mode phone --minutes 10 >/dev/null
	before=$(fingerprint "$R/ro")
	bad=
	for c in "ps-check -C $S" "ps-report -C $S" "ps-report -C $S --format csv" \
	    "ps-log -C $S --list --yaml" "ps-apply -C $S --list --yaml" \
	    "ps-screen -C $S --pending --yaml" "ps-match -C $S --brief $M" \
	    "ps-report -C $S --history $M" "ps-match -C $S --overdue --yaml"; do
		# shellcheck disable=SC2086
		ro "$S" $c >"$R/out" 2>"$R/err" || bad="$bad
$c: exit $?: $(head -3 "$R/err")"
		# shellcheck disable=SC2086
		$c >"$R/rw" 2>/dev/null
		cmp -s "$R/out" "$R/rw" || bad="$bad
$c: not the output of a writable store"
	done
	tap "a read-only store: reports, lists and ps-check work as on a writable one" "$bad"
	bad=
	for c in "ps-log -C $S $M --mode phone --minutes 10" \
	    "ps-apply -C $S $AF/two.yaml" \
	    "ps-screen -C $S $VAPP --step application --result pass" \
	    "ps-match -C $S --accept $M2" "ps-match -C $S --commit"; do
		# shellcheck disable=SC2086
		ro "$S" $c >"$R/out" 2>"$R/err"
		st=$?
		[ "$st" = 3 ] || bad="$bad
$c: exit $st, not 3"
		grep -q 'Read-only file system\|Permission denied' "$R/err" || bad="$bad
$c: no message saying why: $(head -3 "$R/err")"
		[ -s "$R/out" ] && bad="$bad
$c: printed a record as if saved"
	done
	[ "$(fingerprint "$R/ro")" = "$before" ] || bad="$bad
the store changed"
	tap "a read-only store: every write fails with exit 3 and says why, before any side effect (in $(since "$t1") s)" "$bad"
fi
done_testing
