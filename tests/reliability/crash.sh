#!/bin/bash
# kill -9 at every system call of one representative write of each tool,
# each on a fresh copy of a prepared store. After each kill: git fsck
# --full --strict is clean, HEAD is the old commit or the new one, no
# partial or temp file is where git or a person would see it; then the
# next run works (the same write again if nothing was committed, else
# another write), after which git status is clean and no temp file,
# journal or lock is left.
#
# How: one traced run lists the calls in order; call k, the c-th call of
# its name, is then hit with strace --seccomp-bpf -e inject=NAME:signal=
# KILL:when=c (strace counts each name on its own, so when=k with all
# names would not walk the calls one by one).
#
# By default (make check) each tool is killed at the calls that can
# change a file (open, write, fsync, rename, link, unlink, mkdir, chmod,
# close, ...): a kill at any other call leaves the files as a kill at
# the next such call does, so the same states are reached in a third of
# the runs. ps-log at every one of those; each other tool at about 100
# of them, spread over all, to keep make check short. RELIABILITY_FULL=1
# kills them all at every call. ps-log-split is ps-log with git's index kept split
# (PS_INDEX_SPLIT=0, as in a large store). ps-apply-pack takes in 100
# applications, whose objects go to the store as one pack
# (lib/store/pack.c). ps-withdraw is ps-apply --withdraw (the
# participant and the proposal it ends); ps-log-batch a
# batch of three entries on stdin, in one commit; ps-match-commit is
# ps-match --commit on a store with people waiting and volunteers free
# (free_store in lib.sh), proposing three matches in one commit. These
# three are killed at about 60 of their file-changing calls, spread over
# all of them (ps-apply
# --erase has its sweeps in tests/cli/ps-erase.bats). A sweep fails at
# once if the run it kills, run to the end, commits nothing (HEAD does
# not move): it would sweep a write that does not happen.
. "$(dirname "$0")/lib.sh"

MUTATING=" openat open creat write pwrite64 writev pwritev fsync fdatasync syncfs sync_file_range rename renameat renameat2 link linkat symlink symlinkat unlink unlinkat mkdir mkdirat rmdir chmod fchmod fchmodat ftruncate truncate utimensat fallocate close "

# Names, kinds, sizes, modes and times of everything in the store (or, for
# ps-init, of the store it makes): all equal, nothing in it was changed.
fingerprint() {	# dir
	(cd "$1" && find s new -printf '%p\t%y\t%s\t%m\t%T@\n' 2>/dev/null | sort)
}

# One run: kill tool at call k (the c-th NAME call); print "k result".
one() {	# tool k name c
	local tool=$1 k=$2 name=$3 c=$4 w=$R/w.$1.$2 st old problems next
	cp -a "$R/tmpl.$tool" "$w"
	cd "$w" || return
	. ./ids
	old=$(git -C s rev-parse HEAD 2>/dev/null)
	# shellcheck disable=SC2046
	(strace -f -qq -o /dev/null --seccomp-bpf \
	    -e "inject=$name:signal=KILL:when=$c" -- $(op_cmd "$tool") \
	    >out 2>err; exit $?) 2>/dev/null	# bash's "Killed" goes too
	st=$?
	case $st in
	0) st=done ;;
	137) st=killed ;;
	*) echo "$k FAIL $name#$c: exit $st: $(head -3 err)"
	   cd "$R" && rm -rf "$w"; return ;;
	esac
	if [ "$st" = killed ] &&
	    [ "$(fingerprint "$w")" = "$(cat "$R/fp.$tool")" ]; then
		# not a byte changed: the state the sweep starts from
		problems= st=untouched
	elif [ "$tool" = ps-init ]; then
		problems=$(init_check "$w")
	else
		problems=$(state_check "$w/s" "$old" "$tool")
		if [ -z "$problems" ]; then
			if [ "$(git -C s rev-parse HEAD)" = "$old" ]; then
				next=$(op_cmd "$tool")
			else
				next="ps-log -C s $M --mode phone --minutes 5"
			fi
			# shellcheck disable=SC2086
			if ! $next >next.out 2>next.err; then
				problems="next run failed: $next: $(cat next.err)"
			else
				problems=$(clean_check "$w/s")
			fi
		fi
	fi
	if [ -n "$problems" ]; then
		echo "$k FAIL $name#$c ($st): $(printf '%s' "$problems" | tr '\n' ' ' | cut -c1-600)"
	else
		echo "$k $st"
	fi
	cd "$R" && rm -rf "$w"
}

# ps-init killed: no store, or a whole one (with its hook, one commit,
# fsck clean). The next ps-init, or if the store is whole the next write,
# works, and nothing is left in or beside the store.
init_check() {	# dir
	local w=$1 n
	if [ -f "$w/new/program.yaml" ] && [ -d "$w/new/.git" ]; then
		[ -x "$w/new/.git/hooks/pre-commit" ] || echo "the store has no pre-commit hook"
		n=$(git -C "$w/new" rev-list --count HEAD 2>&1)
		[ "$n" = 1 ] || echo "the store has $n commits"
		[ "$n" = 1 ] && state_check "$w/new" "$(git -C "$w/new" rev-parse HEAD)" ps-init
		ps-apply -C "$w/new" "$AF/two.yaml" >/dev/null 2>next.err ||
		    echo "next write failed: $(cat next.err)"
	else
		ps-init new >/dev/null 2>next.err || echo "next ps-init failed: $(cat next.err)"
	fi
	[ -d "$w/new" ] && clean_check "$w/new"
	ls -A "$w/new" | grep -vx -e .git -e program.yaml -e participants -e volunteers |
	    sed 's/^/left in the store: /'
	ls -A "$w" | grep -vx -e new -e ids -e out -e err -e next.err |
	    sed 's/^/left beside the store: /'
}

if [ "${1:-}" = --one ]; then	# --one TOOL k name c [k name c ...]
	shift
	each_point "$@"
	exit 0
fi

t0=$(now)
make_store "$R/base" || { not_ok "a store to crash"; done_testing; exit 1; }
. "$R/base/ids"
# ps-log-batch's entries, and the script that runs it from s/'s folder
printf -- '- {match: %s, mode: phone, minutes: 30, date: 2026-11-02, note: CANARY}\n- {match: %s, mode: email, minutes: 10, date: 2026-11-09}\n- {volunteer: V-A00001, activity: training, hours: 2, date: 2026-11-10}\n' \
    "$M" "$M" >"$R/batch.yaml"
printf '#!/bin/sh\nexec ps-log -C s <"%s"\n' "$R/batch.yaml" >"$R/log-batch.sh"
chmod +x "$R/log-batch.sh"
for tool in ps-init ps-apply ps-apply-pack ps-screen ps-match ps-log \
    ps-log-split ps-withdraw ps-log-batch ps-match-commit; do
	mkdir "$R/tmpl.$tool"
	cp "$R/base/ids" "$R/tmpl.$tool/"
	[ $tool = ps-init ] || cp -a "$R/base/s" "$R/tmpl.$tool/s"
	if [ $tool = ps-match-commit ] && ! free_store "$R/tmpl.$tool"; then
		not_ok "a store with people waiting and volunteers free"
		done_testing
		exit 1
	fi
	cp -a "$R/tmpl.$tool" "$R/fp"
	fingerprint "$R/fp" >"$R/fp.$tool"
	rm -rf "$R/fp"
done

points=0
for tool in ${CRASH_TOOLS:-ps-log ps-log-split ps-apply ps-apply-pack ps-init \
    ps-screen ps-match ps-withdraw ps-log-batch ps-match-commit}; do
	only=$MUTATING what="file-changing system call"
	# make check's time: every file-changing call of ps-log, about 100
	# of each other tool's spread over them (60 of the later sweeps');
	# every system call of each with RELIABILITY_FULL=1
	max=100
	case $tool in ps-log) max=100000 ;;
	ps-withdraw|ps-log-batch|ps-match-commit) max=60 ;; esac
	[ "$FULL" = 1 ] && only= what="system call"
	t1=$(now)
	# the calls of one whole run, in order: "k name c"
	cp -a "$R/tmpl.$tool" "$R/count"
	# shellcheck disable=SC2046
	(cd "$R/count" && . ./ids && strace -f -qq -o "$R/count.trace" \
	    -- $(op_cmd $tool) >/dev/null 2>&1)
	st=$?
	# a write that commits nothing would sweep nothing worth a sweep
	moved=yes
	[ $tool = ps-init ] || [ "$(git -C "$R/count/s" rev-parse HEAD)" != \
	    "$(git -C "$R/tmpl.$tool/s" rev-parse HEAD)" ] || moved=no
	awk -v only="$only" '
	    / resumed>/ || $2 ~ /^(\+\+\+|---)/ { next }
	    { name = $2; sub(/\(.*/, "", name); c = ++seen[name]; k++
	      if (only == "" || index(only, " " name " ")) print k, name, c }
	    ' "$R/count.trace" >"$R/calls.$tool"
	sample=$(sample_points "$R/calls.$tool" $max)
	total=$(grep -cv -e ' resumed>' -e '^[0-9]* +++' -e '^[0-9]* ---' "$R/count.trace")
	rm -rf "$R/count" "$R/count.trace"
	if [ "$st" != 0 ]; then
		not_ok "$tool: the run to crash works untraced" "exit $st"
		continue
	fi
	if [ $moved = no ]; then
		not_ok "$tool: the run to crash commits something" "HEAD did not move"
		continue
	fi
	xargs -P "$JOBS" -n 24 "$0" --one $tool <"$R/calls.$tool" >"$R/results.$tool"
	n=$(wc -l <"$R/calls.$tool")
	points=$((points + n))
	untouched=$(grep -c ' untouched$' "$R/results.$tool")
	done_=$(grep -c ' done$' "$R/results.$tool")
	fails=$(grep ' FAIL ' "$R/results.$tool" | sort -n)
	[ "$(wc -l <"$R/results.$tool")" = "$n" ] || fails="$fails
$(wc -l <"$R/results.$tool") results for $n runs"
	tap "$tool: kill -9 at each of its $n ${what}s of $total$sample ($untouched left the store untouched, $done_ missed and ran to the end) in $(since "$t1") s: fsck clean, HEAD old or new, no partial file, next run works" "$fails"
done
echo "# $points crash points in $(since "$t0") s"
done_testing
