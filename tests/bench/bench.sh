#!/bin/bash
#
# bench.sh: the toolkit's figures, each printed beside its peer measured
# in the same run on the same store (make bench; not part of make check).
#
#   a. commit one new record into stores of 1,000, 10,000 and 100,000
#      records: ps-apply (whole process) against cp + git add + git commit
#      of an equivalent file, without and with ps-init's pre-commit hook;
#   b. read and validate every record of the 100,000-record store:
#      ps-check against a bare libyaml event loop (yaml-floor, the floor)
#      and Python's yaml (CSafeLoader on every file; the pure-Python
#      safe_load on a 10,000-file sample, extrapolated), and yq (the
#      jq wrapper, Debian's yq package) on that sample;
#   c. matching: ps-match --stream extended on stores of 1,000 waiting
#      participants and 300 volunteers, and 10,000 and 2,000 (capacity
#      1-3): time and memory, and its total score against the optimum
#      that scipy's exact sparse assignment (assign-peer.py) finds on the
#      same instance, which ps-match writes out when PS_MATCH_DUMP names
#      a file; lib/rules/assign.c alone (assign-bench -i) against LEMON's
#      network simplex (lemon-peer, where liblemon-dev is installed) on
#      that instance; then both and scipy on a random instance of the
#      same size;
#   d. log one contact in an active match into stores of 10,000 and
#      1,000,000 contacts: ps-log (whole process) against cp + git add +
#      git commit of an equivalent file into the same day's folder;
#   e. ps-report on stores of 5,000 people and 50,000 contacts, and
#      100,000 and 1,000,000: the weekly report, and the report --as-of
#      a day a year before the last commit (the stores have a history of
#      a commit every two weeks over two years).
#   f. take in 10,000 applications in one commit: ps-apply with the
#      stream on stdin into a copy of the 100,000-record store, against
#      writing the same files, git add and git commit in that copy.
#
# Stores come from ps-gen (fixed seed) and are kept under tests/bench/out/
# by a name that carries their parameters and ps-gen.c's checksum, so each
# is generated once (stores of an older ps-gen.c are removed). Runs commit
# into them and are rolled back (git reset --hard) when done. "Now" is
# noon of the stores' last day (PS_NOW) for parts c to e.
#
# Environment: PS_BENCH_PARTS (default "a b c d e f"), PS_BENCH_RUNS (commit
# runs, default 7), PS_BENCH_CHECK_RUNS (default 5), PS_BENCH_PY_RUNS
# (default 3), PS_BENCH_SIZES (default "1000 10000 100000"; part b uses
# the largest), PS_BENCH_MATCH_RUNS (default 3), PS_BENCH_MATCH_SIZES
# (default "1000x300 10000x2000", waiting x volunteers),
# PS_BENCH_SOLVER_RUNS (default 5: assign-bench and lemon-peer in part c),
# PS_BENCH_LOG_RUNS (default 11), PS_BENCH_LOG_SIZES (default
# "1000:10000 100000:1000000", people:contacts), PS_BENCH_REPORT_RUNS
# (default 3), PS_BENCH_REPORT_SIZES (default "5000:50000
# 100000:1000000"), PS_BENCH_APPLY_N (default 10000), PS_BENCH_APPLY_RUNS
# (default 3), PS_BENCH_OUT (default tests/bench/out).

set -euo pipefail

cd "$(dirname "$0")/../.."
root=$PWD
export PATH="$root/cmd:$PATH" PS_SCHEMA_DIR="$root/schemas"
export PS_AUTHOR="Bench <bench@example.invalid>"
export LC_ALL=C
unset PS_STORE PS_MATCH_DUMP

gen=$root/tests/bench/ps-gen
floor=$root/tests/bench/yaml-floor
out=${PS_BENCH_OUT:-$root/tests/bench/out}
runs=${PS_BENCH_RUNS:-7}
check_runs=${PS_BENCH_CHECK_RUNS:-5}
py_runs=${PS_BENCH_PY_RUNS:-3}
sizes=${PS_BENCH_SIZES:-"1000 10000 100000"}
parts=${PS_BENCH_PARTS:-"a b c d e f"}
match_runs=${PS_BENCH_MATCH_RUNS:-3}
match_sizes=${PS_BENCH_MATCH_SIZES:-"1000x300 10000x2000"}
solver_runs=${PS_BENCH_SOLVER_RUNS:-5}
log_runs=${PS_BENCH_LOG_RUNS:-11}
log_sizes=${PS_BENCH_LOG_SIZES:-"1000:10000 100000:1000000"}
report_runs=${PS_BENCH_REPORT_RUNS:-3}
report_sizes=${PS_BENCH_REPORT_SIZES:-"5000:50000 100000:1000000"}
seed=1 weeks=52 asof=2026-11-20
hweeks=104 hcommits=53		# history stores: two years, every 2 weeks
now=2026-11-20T17:00:00Z	# noon of $asof in Toronto
sample=10000

for f in "$gen" "$floor" tests/bench/assign-bench tests/bench/git-probe \
    cmd/ps-init cmd/ps-apply \
    cmd/ps-check cmd/ps-match cmd/ps-log cmd/ps-report; do
	[ -x "$f" ] || { echo "bench: $f: not built (run make bench)" >&2; exit 2; }
done
mkdir -p "$out"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# timeit ARRAY CMD...: run CMD, append its wall time in microseconds
timeit() {
	local -n _acc=$1
	shift
	local t0=$EPOCHREALTIME t1
	"$@"
	t1=$EPOCHREALTIME
	_acc+=($(( ${t1/./} - ${t0/./} )))
}

median() {
	printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 }
	    END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ms US, ratio A B, per-record US N: formatting
ms() { awk -v u="$1" 'BEGIN { printf "%.1f", u / 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
per() { awk -v u="$1" -v n="$2" 'BEGIN { printf "%.1f", u / n }'; }
commas() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/;ta'; }

ck=$(cksum < tests/bench/ps-gen.c | cut -d' ' -f1)
for d in "$out"/store-*; do	# stores of another ps-gen.c
	case $d in
	"$out/store-*" | *-"$ck") ;;
	*)	echo "  (removing ${d#$root/}: made by an older ps-gen.c)" >&2
		rm -rf "$d" ;;
	esac
done

# gen_store P V M C WEEKS COMMITS WAITING ACTIVE: the path of the store
# ps-gen makes with these, generated if not cached
gen_store() {
	local name s t0 t1
	name=store-s$seed-p$1-v$2-m$3-c$4-w$5-k$6-W$7-A$8-$asof-$ck
	s=$out/$name
	if [ ! -d "$s" ]; then
		rm -rf "$s.tmp"
		t0=$EPOCHREALTIME
		ps-init "$s.tmp" > /dev/null
		"$gen" --seed $seed --participants "$1" --volunteers "$2" \
		    --matches "$3" --contacts "$4" --weeks "$5" --commits "$6" \
		    --waiting "$7" --active "$8" --as-of $asof "$s.tmp" \
		    2> /dev/null
		mv "$s.tmp" "$s"
		t1=$EPOCHREALTIME
		printf '  (generated a %s-record store in %s s: %s)\n' \
		    "$(commas $(( $1 + $2 + $3 + $4 + $7 + $8 )))" \
		    "$(awk -v u=$(( ${t1/./} - ${t0/./} )) \
		    'BEGIN { printf "%.1f", u / 1e6 }')" "${s#$root/}" >&2
	fi
	echo "$s"
}

# store N: the N-record store of parts a and b (one commit)
store() {
	local n=$1 p v m
	p=$((n * 15 / 100)) v=$((n * 3 / 100)) m=$((n * 12 / 100))
	gen_store $p $v $m $((n - p - v - m)) $weeks 1 0 0
}

# hstore PEOPLE CONTACTS: a store with a history (parts d and e): 85% of
# the people participants, 15% volunteers, matches for 80% of the
# participants
hstore() {
	local p=$(($1 * 85 / 100))
	gen_store $p $(($1 - p)) $((p * 80 / 100)) "$2" $hweeks $hcommits 0 0
}

# mstore WAITING ACTIVE: a store of people to match (part c)
mstore() {
	gen_store 0 0 0 0 $weeks 1 "$1" "$2"
}

# rollback STORE [DIR...]: back to the generated commit, nothing else in
# the tree (untracked files are looked for in participants/ and DIRs)
rollback() {
	local base s=$1
	shift
	base=$(git -C "$s" log --format=%H --grep='^ps-gen: synthetic store' -1)
	git -C "$s" reset -q --hard "$base"
	git -C "$s" clean -qfd -- participants "$@"
	# keep loose objects from many runs below git's automatic gc limit
	if [ "$(git -C "$s" count-objects | cut -d' ' -f1)" -gt 2000 ]; then
		git -C "$s" reflog expire --expire-unreachable=now --all
		git -C "$s" prune --expire=now
	fi
}

# set_aside STORE: move the files the last run committed over the
# generated commit out of the work tree (into $tmp), so that rollback
# does not delete them. ext4 without a journal skips the inodes deleted
# in the last minute (six, while their table block is dirty) when it
# allocates one: 10,000 files deleted just before a run made the next
# 10,000 creations quadratic, on either side.
set_aside() {
	local base d=$tmp/aside.$RANDOM$RANDOM
	base=$(git -C "$1" log --format=%H --grep='^ps-gen: synthetic store' -1)
	mkdir -p "$d"
	git -C "$1" diff --name-only "$base" HEAD -- participants |
	    (cd "$1" && xargs -r mv -t "$d")
}

# A new application for ps-apply, different each run (e-mail, name).
application() {
	cat > "$tmp/app-$1.yaml" <<EOF
kind: participant
stream: extended
role: caregiver
name:
  first: Bench
  last: Run$1
contact:
  email: bench.$1@example.org
languages: [en]
region: ON
timezone: America/Toronto
consents:
  - type: privacy
    version: "2026-01"
    date: 2026-11-20
    given: true
EOF
}

# The record ps-apply would write for it, under an ID of our own.
record() {
	cat > "$tmp/$1.yaml" <<EOF
kind: participant
id: $1
status: applied
stream: extended
role: caregiver
received: 2026-11-20T10:00:00-05:00
name:
  first: Bench
  last: Git$2
contact:
  email: bench.git.$2@example.org
languages:
  - en
region: "ON"
timezone: America/Toronto
consents:
  - type: privacy
    version: "2026-01"
    date: 2026-11-20
    given: true
status_history:
  - status: applied
    date: 2026-11-20T10:00:00-05:00
    by: ps-apply
EOF
}

apply_one() { ps-apply -C "$1" "$2" > /dev/null; }

# A ps- write returns when the commit, the work tree and the index are
# done, and leaves no process behind: the store's lock is free at once
# (part d times it, to show it).
settle() { flock "$1/.git/ps.lock" true; }

git_one() {
	cp "$2" "$1/participants/"
	git -C "$1" add "participants/${2##*/}"
	git -C "$1" -c gc.auto=0 commit -q --no-verify -m x
}

git_hook_one() {
	cp "$2" "$1/participants/"
	git -C "$1" add "participants/${2##*/}"
	# git sends a hook's output to stderr
	git -C "$1" -c gc.auto=0 commit -q -m x > /dev/null 2>&1
}

part() {
	case " $parts " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# proc_runs N TIMES RSS OUT CMD...: N timed runs of CMD (whole process,
# microseconds; max RSS in kB; user + system CPU in PCPU, seconds), after
# one warm-up unless nowarm is set; its output to OUT, its standard input
# /dev/null
proc_runs() {
	local n=$1 o=$4 i t0 t1
	local -n _pt=$2 _pr=$3
	shift 4
	for i in $(seq "${nowarm:-0}" "$n"); do
		t0=$EPOCHREALTIME
		if ! /usr/bin/time -f '%M %U %S' -o "$tmp/rss" "$@" < /dev/null > "$o" \
		    2> "$tmp/stderr"; then
			echo "bench: failed: $*" >&2
			tail -5 "$tmp/stderr" >&2
			exit 1
		fi
		t1=$EPOCHREALTIME
		[ "$i" = 0 ] && continue
		_pt+=($(( ${t1/./} - ${t0/./} )))
		_pr+=($(tail -1 "$tmp/rss" | cut -d' ' -f1))
		PCPU+=($(tail -1 "$tmp/rss" | awk '{ printf "%.2f", $2 + $3 }'))
	done
}

secs() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1e6 }'; }

# summary WORK STORE OURS PEER RATIO TARGET OK: a row of the table printed
# at the end, one for each figure issue 11 sets a target for (OK 1: met)
summary() {
	printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" \
	    "$6" "$(met "$7")" >> "$tmp/summary"
}
mb() { echo "$(( ($1 + 512) / 1024 )) MB"; }
met() { case $1 in 1) echo met ;; -) echo - ;; *) echo MISSED ;; esac; }

# A Python 3 with scipy, for assign-peer.py; installed if we can.
scipy_python() {
	local py
	for py in python3 /usr/bin/python3; do
		if "$py" -c 'import numpy, scipy.sparse.csgraph' 2> /dev/null
		then
			echo "$py"
			return
		fi
	done
	if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
		echo "   (installing python3-scipy)" >&2
		apt-get install -y -q python3-scipy > /dev/null 2>&1 || true
		/usr/bin/python3 -c 'import scipy.sparse.csgraph' 2> /dev/null &&
		    echo /usr/bin/python3
	fi
}

cpus=$(nproc)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "Peer Support Toolkit benchmarks, $(date -u +%Y-%m-%d), $cpus CPUs ($model)"
echo "Stores from ps-gen --seed $seed, to $asof; warm page cache; medians; wall"
echo "time and max RSS of the whole process. Load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."

# every store first, so that generating one does not disturb a timing
if part a || part b || part f; then
	for n in $sizes; do
		store "$n" > /dev/null
	done
fi
if part c; then
	for sz in $match_sizes; do
		mstore "${sz%x*}" "${sz#*x}" > /dev/null
	done
fi
if part d; then
	for sz in $log_sizes; do
		hstore "${sz%:*}" "${sz#*:}" > /dev/null
	done
fi
if part e; then
	for sz in $report_sizes; do
		hstore "${sz%:*}" "${sz#*:}" > /dev/null
	done
fi

# --- a. one new record ---------------------------------------------------
if part a; then
	echo
	echo "a. Commit one new participant (whole process, median of $runs runs, ms)"
	echo "   Stores of 15% participants, 3% volunteers, 12% matches, 70% contacts"
	echo "   over $weeks weeks, in one commit. ps-apply writes into the store, git"
	echo "   into a copy of it, in turns (each side's history its own: ps-apply's"
	echo "   large trees stored, git's compressed); after a git commit: ps-apply"
	echo "   into a store git has just committed to (median of 3)."
	printf '   %-16s %10s %12s %8s %14s %8s %12s\n' "store" "ps-apply" \
	    "git add+ci" "ratio" "git+ps hook" "ratio" "after a git"
	for n in $sizes; do
		s=$(store "$n")
		rollback "$s"
		gs=$tmp/git-side
		rm -rf "$gs"
		cp -a "$s" "$gs"
		A=() G=() H=() X=()
		# warm-up, not counted: page cache, index refresh
		application w
		apply_one "$s" "$tmp/app-w.yaml"
		settle "$s"
		record P-ZZZZZW w
		git_one "$gs" "$tmp/P-ZZZZZW.yaml"
		for i in $(seq 1 "$runs"); do
			application "$i"
			record "$(printf 'P-ZZZX%02d' "$i")" "x$i"
			record "$(printf 'P-ZZZY%02d' "$i")" "y$i"
			# alternate the order so neither side always goes first
			if [ $((i % 2)) = 1 ]; then
				timeit A apply_one "$s" "$tmp/app-$i.yaml"
				settle "$s"
				timeit G git_one "$gs" "$tmp/$(printf 'P-ZZZX%02d' "$i").yaml"
				timeit H git_hook_one "$gs" "$tmp/$(printf 'P-ZZZY%02d' "$i").yaml"
			else
				timeit H git_hook_one "$gs" "$tmp/$(printf 'P-ZZZY%02d' "$i").yaml"
				timeit G git_one "$gs" "$tmp/$(printf 'P-ZZZX%02d' "$i").yaml"
				timeit A apply_one "$s" "$tmp/app-$i.yaml"
				settle "$s"
			fi
		done
		# kept for part f, not deleted (set_aside)
		mv "$gs" "$tmp/copy-$n"
		# ps-apply right after a git commit into the same store: it
		# reads git's compressed tree and index, and catches its
		# duplicate keys up
		for i in 1 2 3; do
			application "a$i"
			record "$(printf 'P-ZZZW%02d' "$i")" "w$i"
			git_one "$s" "$tmp/$(printf 'P-ZZZW%02d' "$i").yaml"
			timeit X apply_one "$s" "$tmp/app-a$i.yaml"
			settle "$s"
		done
		a=$(median "${A[@]}") g=$(median "${G[@]}") h=$(median "${H[@]}")
		x=$(median "${X[@]}")
		printf '   %-16s %10s %12s %8s %14s %8s %12s\n' "$(commas "$n") records" \
		    "$(ms "$a")" "$(ms "$g")" "$(ratio "$a" "$g")" "$(ms "$h")" \
		    "$(ratio "$a" "$h")" "$(ms "$x")"
		sa=("commit one new record (ps-apply)" "$(commas "$n") records" \
		    "$(ms "$a") ms" "git add+commit $(ms "$g") ms" \
		    "$(ratio "$g" "$a")" "< 20 ms, >= 10x faster than git" \
		    "$(awk -v a="$a" -v g="$g" 'BEGIN { print (a < 20000 && g >= 10 * a) }')")
		rollback "$s"
	done
	summary "${sa[@]}"
	echo "   ratio: ps-apply / the git command beside it. git add+ci: cp FILE"
	echo "   participants/ && git add FILE && git commit --no-verify; git+ps hook:"
	echo "   the same with the pre-commit hook ps-init installs (ps-check --cached)."
fi

# --- b. read and validate everything -------------------------------------
if part b; then
	big=0
	for n in $sizes; do
		[ "$n" -gt "$big" ] && big=$n
	done
	s=$(store "$big")
	rollback "$s"
	(cd "$s" && find participants volunteers matches contacts -name '*.yaml' |
	    sort) > "$tmp/all"
	awk -v k=$(( big / sample > 1 ? big / sample : 1 )) 'NR % k == 1 || k == 1' \
	    "$tmp/all" > "$tmp/sample"
	nall=$(wc -l < "$tmp/all")
	nsample=$(wc -l < "$tmp/sample")
	bytes=$(cd "$s" && xargs cat < "$tmp/all" | wc -c)

	echo
	echo "b. Read and validate every record of the $(commas "$nall")-record store"
	echo "   ($((bytes / nall)) bytes a record on average; wall time of the whole process)"

	# runtime N ARRAY RSSARRAY CMD...: N timed runs after one warm-up
	rss_runs() {
		local n=$1
		local -n _t=$2 _r=$3
		shift 3
		"$@" > /dev/null
		for i in $(seq 1 "$n"); do
			timeit _t /usr/bin/time -f %M -o "$tmp/rss" "$@" > "$tmp/stdout"
			_r+=($(tail -1 "$tmp/rss"))
		done
	}

	# ps-check reads on every CPU (at most 8, or PS_THREADS): the floor
	# is measured on as many threads, and both on one thread too
	jobs=${PS_THREADS:-$cpus}
	[ "$jobs" -gt 8 ] && [ -z "${PS_THREADS:-}" ] && jobs=8
	F=() FR=() C=() CR=() F1=() F1R=() C1=() C1R=() P=() PR=() Q=() QR=()
	rss_runs "$check_runs" F FR "$floor" -j "$jobs" "$s"
	rss_runs "$check_runs" C CR env PS_THREADS="$jobs" ps-check -C "$s"
	checked=$(cat "$tmp/stdout")
	rss_runs "$check_runs" F1 F1R "$floor" "$s"
	rss_runs "$check_runs" C1 C1R env PS_THREADS=1 ps-check -C "$s"

	cat > "$tmp/load.py" <<'EOF'
import sys, yaml
loader = yaml.CSafeLoader if sys.argv[1] == "c" else yaml.SafeLoader
with open(sys.argv[2]) as names:
    for name in names.read().split("\n")[:-1]:
        with open(name, "rb") as f:
            yaml.load(f.read(), Loader=loader)
EOF
	python=yes
	if ! python3 -c 'import yaml' 2> /dev/null; then
		if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
			echo "   (installing python3-yaml)" >&2
			apt-get install -y -q python3-yaml > /dev/null 2>&1 || true
		fi
		python3 -c 'import yaml' 2> /dev/null || python=
	fi
	if [ -n "$python" ]; then
		cloader=$(python3 -c 'import yaml; print("c" if yaml.__with_libyaml__ else "")')
		cd "$s"
		if [ -n "$cloader" ]; then
			rss_runs "$py_runs" P PR python3 "$tmp/load.py" c "$tmp/all"
		fi
		rss_runs "$py_runs" Q QR python3 "$tmp/load.py" py "$tmp/sample"
		cd "$root"
	fi
	# yq (Python's yaml, then jq) on the sample's files, as many at a
	# time as a command line takes
	yq=yes
	if ! command -v yq > /dev/null; then
		if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
			echo "   (installing yq)" >&2
			apt-get install -y -q yq > /dev/null 2>&1 || true
		fi
		command -v yq > /dev/null || yq=
	fi
	Y=() YR=()
	if [ -n "$yq" ]; then
		cd "$s"
		rss_runs "$py_runs" Y YR sh -c 'xargs yq -c . < "$1"' sh \
		    "$tmp/sample"
		cd "$root"
	fi

	f=$(median "${F[@]}") c=$(median "${C[@]}")
	row() {	# name files wall-us rss-kb
		printf '   %-34s %8s %9s %7s MB %9s %9s\n' "$1" \
		    "$(awk -v u="$3" 'BEGIN { printf "%.2f", u / 1e6 }')" \
		    "$(per "$3" "$2")" "$(( $4 / 1024 ))" \
		    "$(ratio "$(per "$3" "$2")" "$(per "$f" "$nall")")" \
		    "$(ratio "$(per "$3" "$2")" "$(per "$c" "$nall")")"
	}
	printf '   %-34s %8s %9s %10s %9s %9s\n' "(median of runs)" "wall s" \
	    "us/record" "max RSS" "vs floor" "vs check"
	f1=$(median "${F1[@]}") c1=$(median "${C1[@]}")
	row "libyaml event loop (floor) -j$jobs x$check_runs" "$nall" "$f" "$(median "${FR[@]}")"
	row "ps-check, $jobs threads x$check_runs" "$nall" "$c" "$(median "${CR[@]}")"
	row "libyaml event loop (floor) x$check_runs" "$nall" "$f1" "$(median "${F1R[@]}")"
	row "ps-check, 1 thread x$check_runs" "$nall" "$c1" "$(median "${C1R[@]}")"
	if [ -n "$python" ]; then
		if [ -n "$cloader" ]; then
			row "Python yaml CSafeLoader x$py_runs" "$nall" \
			    "$(median "${P[@]}")" "$(median "${PR[@]}")"
		else
			echo "   Python yaml CSafeLoader: PyYAML built without libyaml, skipped"
		fi
		row "Python yaml safe_load x$py_runs *" "$nsample" "$(median "${Q[@]}")" \
		    "$(median "${QR[@]}")"
		if [ "$nsample" -lt "$nall" ]; then
			echo "   * pure-Python loader, on a $(commas "$nsample")-file sample (every" \
			    "$(( nall / nsample ))th file):"
			echo "     wall s is the sample's; us/record is what all files would take."
		else
			echo "   * the pure-Python loader."
		fi
	else
		echo "   Python yaml: not available (python3-yaml), skipped"
	fi
	if [ -n "$yq" ]; then
		row "yq -c . (xargs) x$py_runs *" "$nsample" "$(median "${Y[@]}")" \
		    "$(median "${YR[@]}")"
		echo "   * on the same sample; us/record is what all files would take."
	else
		echo "   yq: not available, skipped"
	fi
	echo "   ps-check said: $checked"
	# one line each: work, store, ours, peer, ratio, target, pass or fail
	verdict() { [ "$(awk "BEGIN { print ($1) }")" = 1 ] && echo pass || echo FAIL; }
	printf '   b. read+validate, %s records, %s threads (floor -j%s): ps-check %s s, floor %s s, %s; target <= 2.00x: %s\n' \
	    "$(commas "$nall")" "$jobs" "$jobs" "$(secs "$c")" "$(secs "$f")" \
	    "$(ratio "$c" "$f")" "$(verdict "$c <= 2 * $f")"
	printf '   b. read+validate, %s records, 1 thread (floor 1 thread): ps-check %s s, floor %s s, %s; target <= 2.00x: %s\n' \
	    "$(commas "$nall")" "$(secs "$c1")" "$(secs "$f1")" \
	    "$(ratio "$c1" "$f1")" "$(verdict "$c1 <= 2 * $f1")"
	summary "read + validate all (ps-check, $jobs threads)" \
	    "$(commas "$nall") records" "$(secs "$c") s" \
	    "libyaml loop -j$jobs $(secs "$f") s" "$(ratio "$f" "$c")" \
	    "within 2x of the loop" "$(awk "BEGIN { print ($c <= 2 * $f) }")"
	summary "read + validate all (ps-check, 1 thread)" \
	    "$(commas "$nall") records" "$(secs "$c1") s" \
	    "libyaml loop $(secs "$f1") s" "$(ratio "$f1" "$c1")" \
	    "within 2x of the loop" "$(awk "BEGIN { print ($c1 <= 2 * $f1) }")"
	if [ -n "$python" ] && [ -n "$cloader" ]; then
		p=$(median "${P[@]}")
		printf '   b. read+validate, %s records, 1 thread each: ps-check %s s, Python yaml CSafeLoader %s s, %s faster (no target: for comparison)\n' \
		    "$(commas "$nall")" "$(secs "$c1")" "$(secs "$p")" \
		    "$(ratio "$p" "$c1")"
		summary "read + validate all (ps-check, 1 thread)" \
		    "$(commas "$nall") records" "$(secs "$c1") s" \
		    "Python yaml (C loader) $(secs "$p") s" "$(ratio "$p" "$c1")" \
		    "(none: the C loader, for comparison)" -
	fi
	if [ -n "$yq" ]; then
		# per record: yq read the sample, ps-check every file. The
		# target is met or not by ps-check as it runs (on $jobs
		# threads; yq is two processes, Python's and jq, in a pipe);
		# held to one thread, it is shown beside it.
		yu=$(per "$(median "${Y[@]}")" "$nsample") cu=$(per "$c" "$nall")
		c1u=$(per "$c1" "$nall")
		printf '   b. read+validate: ps-check %s us/record (%s threads), %s us/record (1 thread), yq %s us/record (%s-file sample): %s and %s faster; target >= 10x (as it runs): %s\n' \
		    "$cu" "$jobs" "$c1u" "$yu" "$(commas "$nsample")" \
		    "$(ratio "$yu" "$cu")" "$(ratio "$yu" "$c1u")" \
		    "$(verdict "$yu >= 10 * $cu")"
		summary "read + validate all (ps-check, $jobs threads)" \
		    "$(commas "$nall") records" "$cu us/record" \
		    "yq $yu us/record" "$(ratio "$yu" "$cu")" \
		    ">= 10x faster than yq" \
		    "$(awk "BEGIN { print ($yu >= 10 * $cu) }")"
		summary "read + validate all (ps-check, 1 thread)" \
		    "$(commas "$nall") records" "$c1u us/record" \
		    "yq $yu us/record" "$(ratio "$yu" "$c1u")" \
		    "(none: one thread, for comparison)" -
	fi
fi

# --- f. many applications in one commit ------------------------------------
# ps-apply with a stream of $napps new applications on stdin, one commit,
# against writing the same files, git add and git commit; both in a copy
# of the 100,000-record store (the cached store is never written here).
if part f; then
	big=0
	for n in $sizes; do
		[ "$n" -gt "$big" ] && big=$n
	done
	napps=${PS_BENCH_APPLY_N:-10000}
	apply_runs=${PS_BENCH_APPLY_RUNS:-3}
	src=$(store "$big")
	s=$tmp/apply-store
	if [ -d "$tmp/copy-$big" ]; then	# part a's copy
		mv "$tmp/copy-$big" "$s"
	else
		cp -a "$src" "$s"
	fi
	rollback "$s"
	git -C "$s" update-index -q --refresh
	awk -v n="$napps" 'BEGIN { for (i = 0; i < n; i++) printf "---\n" \
	    "kind: participant\nstream: extended\nrole: caregiver\n" \
	    "name:\n  first: Bench\n  last: Many%d\ncontact:\n" \
	    "  email: bench.many.%d@example.org\nlanguages: [en]\n" \
	    "region: ON\ntimezone: America/Toronto\nconsents:\n" \
	    "  - type: privacy\n    version: \"2026-01\"\n" \
	    "    date: 2026-11-20\n    given: true\n", i, i }' > "$tmp/many.yaml"
	A=() G=()
	for i in $(seq 0 "$apply_runs"); do	# run 0: warm-up
		set_aside "$s"
		rollback "$s"
		timeit A ps-apply -C "$s" < "$tmp/many.yaml" > /dev/null
		[ "$(git -C "$s" diff --name-only HEAD~ HEAD | wc -l)" = "$napps" ] || {
			echo "bench: ps-apply did not commit $napps records" >&2
			exit 1
		}
	done
	A=("${A[@]:1}")
	# the peer writes the very files ps-apply wrote
	rm -rf "$tmp/many"
	mkdir "$tmp/many"
	git -C "$s" diff --name-only HEAD~ HEAD | (cd "$s" && xargs cp -t "$tmp/many")
	for i in $(seq 0 "$apply_runs"); do
		set_aside "$s"
		rollback "$s"
		timeit G sh -c 'cp "$1"/* "$2/participants/" &&
		    git -C "$2" add participants &&
		    git -C "$2" -c gc.auto=0 commit -q --no-verify -m x' sh \
		    "$tmp/many" "$s"
	done
	G=("${G[@]:1}")
	set_aside "$s"
	rollback "$s"
	a=$(median "${A[@]}") g=$(median "${G[@]}")
	echo
	echo "f. $(commas "$napps") applications in one commit (median of $apply_runs runs, whole process)"
	printf '   f. %s applications, %s-record store: ps-apply %s s, cp+git add+git commit %s s, %s; target < 1 s: %s\n' \
	    "$(commas "$napps")" "$(commas "$big")" "$(secs "$a")" "$(secs "$g")" \
	    "$(ratio "$a" "$g")" "$( [ "$(awk "BEGIN { print ($a < 1e6) }")" = 1 ] &&
	    echo pass || echo FAIL)"
	summary "$(commas "$napps") applications, one commit (ps-apply)" \
	    "$(commas "$big") records" "$(secs "$a") s" \
	    "cp+git add+commit $(secs "$g") s" "$(ratio "$g" "$a")" \
	    "< 1 s with validation" "$(awk "BEGIN { print ($a < 1e6) }")"
fi

# --- c. matching ---------------------------------------------------------
# field NAME LINE: the value of NAME=VALUE in a line of assign-bench's
field() { echo "$2" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
same() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b
	    print (a != "" && b != "" && d < 1e-6 && d > -1e-6) ? "yes" : "NO" }'
}

# solver_runs N TIMES TOTAL CMD...: N runs of a solver that prints a line
# with time=MS and total=T; its times in microseconds, its last total
solver_runs() {
	local n=$1 i line
	local -n _st=$2 _sv=$3
	shift 3
	for i in $(seq 1 "$n"); do
		line=$("$@")
		_st+=($(awk -v m="$(field time "$line")" \
		    'BEGIN { printf "%d", m * 1000 }'))
		_sv=$(field total "$line")
	done
}

# crow WORK STORE OURS-US PEER-US TARGET RESULT: a row of part c's
# comparisons (a peer of - : none)
crow() {
	printf '   %-34s %-15s %8s %8s %7s  %-24s %s\n' "$1" "$2" \
	    "$(secs "$3")" "$([ "$4" = - ] && echo - || secs "$4")" \
	    "$([ "$4" = - ] && echo - || ratio "$3" "$4")" "$5" "$6"
}

if part c; then
	echo
	echo "c. Propose matches: ps-match --stream extended --yaml (median of $match_runs runs)"
	echo "   Stores of waiting participants (extended stream, onboarded; each requires"
	echo "   a volunteer of their lived-experience role, most of their age and gender)"
	echo "   and active volunteers (screened, in date, capacity 1-3; a quarter OneCall"
	echo "   only), under the MS Society programme's rules (hard constraints: language,"
	echo "   mode, and the participants' required preferences)."
	py=$(scipy_python)
	lemon=tests/bench/lemon-peer
	rows1=() rows2=()
	for sz in $match_sizes; do
		w=${sz%x*} v=${sz#*x}
		s=$(mstore "$w" "$v")
		rollback "$s"
		# the instance solved (and the warm-up, not counted)
		PS_NOW=$now PS_MATCH_DUMP=$tmp/instance.txt ps-match -C "$s" \
		    --stream extended --yaml < /dev/null > "$tmp/dumped.yaml" \
		    2> /dev/null
		T=() R=()
		nowarm=1 proc_runs "$match_runs" T R "$tmp/proposals.yaml" \
		    env PS_NOW=$now ps-match -C "$s" --stream extended --yaml
		if ! cmp -s "$tmp/dumped.yaml" "$tmp/proposals.yaml"; then
			echo "bench: ps-match proposed otherwise with PS_MATCH_DUMP" >&2
			exit 1
		fi
		read -r n _ < "$tmp/instance.txt"
		edges=$(( $(wc -l < "$tmp/instance.txt") - 1 - v ))
		nprop=$(grep -c '^score:' "$tmp/proposals.yaml" || true)
		total=$(awk '/^score:/ { s += $2 } END { printf "%.3f", s }' \
		    "$tmp/proposals.yaml")
		# lib/rules/assign.c alone, and LEMON, on the same instance
		A=() L=() atotal=- ltotal=-
		solver_runs "$solver_runs" A atotal \
		    tests/bench/assign-bench -i "$tmp/instance.txt"
		[ -x "$lemon" ] && solver_runs "$solver_runs" L ltotal \
		    "$lemon" "$tmp/instance.txt"
		ptotal=- psecs=- equal=-
		if [ -n "$py" ]; then
			peer=$("$py" tests/bench/assign-peer.py "$tmp/instance.txt")
			ptotal=$(field total "$peer")
			psecs=$(awk -v m="$(field time "$peer")" \
			    'BEGIN { printf "%d", m * 1000 }')
			equal=$(same "$total" "$ptotal")
		fi
		t=$(median "${T[@]}") r=$(median "${R[@]}") a=$(median "${A[@]}")
		label="$(commas "$w") x $(commas "$v")"
		rows1+=("$(printf '   %-22s %11s %9s %9s %8s %8s %12s %12s %5s' \
		    "$label" "$(commas "$edges")" \
		    "$(awk -v e="$edges" -v n="$n" \
		    'BEGIN { printf "%.0f", n ? e / n : 0 }')" \
		    "$(commas "$nprop")" "$(secs "$t")" "$(mb "$r")" "$total" \
		    "$ptotal" "$equal")")
		# the targets are the largest store's (the last one)
		ok=$(awk -v t="$t" -v r="$r" -v e="$equal" \
		    'BEGIN { print (t < 2e6 && r < 500 * 1024 && e == "yes") }')
		rows2+=("$(crow "ps-match (whole) / scipy (solve)" "$label" "$t" \
		    "$psecs" "< 2 s, 500 MB, = optimum" \
		    "$(met "$ok") ($(mb "$r"), total = optimum: $equal)")")
		if [ -x "$lemon" ]; then
			l=$(median "${L[@]}")
			lequal=$(same "$atotal" "$ltotal")
			lok=$(awk -v a="$a" -v l="$l" -v e="$lequal" \
			    'BEGIN { print (a <= 2 * l && e == "yes") }')
			rows2+=("$(crow "lib/rules/assign.c / LEMON (solve)" "$label" \
			    "$a" "$l" "<= 2x, the same total" \
			    "$(met "$lok") (totals $atotal, $ltotal)")")
		else
			rows2+=("$(crow "lib/rules/assign.c alone (solve)" "$label" "$a" - \
			    "<= 2x LEMON" "skipped: no LEMON")")
			lok=0
		fi
		last="$label: $(secs "$t") s, $(mb "$r"), total = optimum: $equal"
		lastok=$ok lastlok=$lok
		sc1=("optimal matching (ps-match, whole)" "$label" \
		    "$(secs "$t") s, $(mb "$r")" "scipy solve $([ "$psecs" = - ] && echo "n/a" || echo "$(secs "$psecs") s")" \
		    "-" "< 2 s, < 500 MB, = optimum ($equal)" "$ok")
		if [ -x "$lemon" ]; then
			sc2=("matching solver (lib/rules/assign.c)" "$label" \
			    "$(secs "$a") s" "LEMON $(secs "$l") s" \
			    "$(ratio "$l" "$a")" "within 2x of LEMON, = total" \
			    "$lok")
		else
			sc2=("matching solver (lib/rules/assign.c)" "$label" \
			    "$(secs "$a") s" "LEMON not installed" "-" \
			    "within 2x of LEMON, = total" 0)
		fi
		rm -f "$tmp/instance.txt"
	done
	printf '   %-22s %11s %9s %9s %8s %8s %12s %12s %5s\n' \
	    "waiting x volunteers" "eligible" "a partic." "proposals" "wall s" \
	    "max RSS" "total score" "scipy total" "equal"
	printf '%s\n' "${rows1[@]}"
	echo "   eligible: the pairs that meet the hard constraints (a partic.: on"
	echo "   average, for each participant); wall s, max RSS: ps-match (one thread);"
	echo "   total score: the sum of the scores of the proposals ps-match printed;"
	echo "   scipy: its exact sparse assignment (LAPJVsp, tests/bench/assign-peer.py)"
	echo "   on the instance ps-match wrote (PS_MATCH_DUMP); equal: ps-match's total"
	echo "   and scipy's, to 1e-6."
	echo
	printf '   %-34s %-15s %8s %8s %7s  %-24s %s\n' "work" "store" "ours s" \
	    "peer s" "ratio" "target" "result"
	printf '%s\n' "${rows2[@]}"
	echo "   Medians of $match_runs runs of ps-match (whole process) and of"
	echo "   $solver_runs of each solver on the instance ps-match wrote: lib/rules/assign.c"
	echo "   alone (assign-bench -i) and LEMON's network simplex (tests/bench/"
	echo "   lemon-peer: a min-cost flow, costs minus the scores in millionths), each"
	echo "   timed from its edges in memory to the optimum; scipy once (its solve)."
	[ -x "$lemon" ] || echo "   LEMON: not built (apt-get install liblemon-dev, then make bench): skipped."
	echo "   Targets (the largest store): ps-match under 2 s and 500 MB on one core,"
	echo "   the total the optimum: $(met "$lastok") ($last);"
	echo "   lib/rules/assign.c within 2x of LEMON, the same total: $(met "$lastlok")."
	summary "${sc1[@]}"
	summary "${sc2[@]}"
	echo
	echo "   lib/rules/assign.c alone on a random instance of 50 eligible volunteers a"
	echo "   participant (assign-bench; solve time), and its peers on it:"
	tests/bench/assign-bench -o "$tmp/random.txt" > "$tmp/assign.out"
	echo "     $(cat "$tmp/assign.out")"
	totals=$(field total "$(cat "$tmp/assign.out")")
	if [ -x "$lemon" ]; then
		peer=$("$lemon" "$tmp/random.txt")
		echo "     $peer"
		totals="$totals $(field total "$peer")"
	fi
	if [ -n "$py" ]; then
		peer=$("$py" tests/bench/assign-peer.py "$tmp/random.txt")
		echo "     $peer"
		totals="$totals $(field total "$peer")"
	else
		echo "     scipy: not available (python3-scipy), skipped"
	fi
	echo "     equal totals: $(echo "$totals" | awk '{ for (i = 2; i <= NF; i++)
	    if ($i - $1 > 1e-6 || $1 - $i > 1e-6) { print "NO"; exit }
	    print "yes" }')"
	rm -f "$tmp/random.txt"
fi

# --- d. log one contact --------------------------------------------------
log_one() {
	PS_NOW=$now ps-log -C "$1" "$2" --mode phone --minutes 30 > /dev/null
}


git_contact() {
	cp "$2" "$1/$3/"
	git -C "$1" add "$3/${2##*/}"
	git -C "$1" -c gc.auto=0 commit -q --no-verify -m x
}

# contact_as ID: the contact ps-log wrote first, under another ID
contact_as() {
	sed "s/^id: .*/id: $1/" "$tmp/contact.yaml" > "$tmp/$1.yaml"
}

if part d; then
	echo
	echo "d. Log one contact in an active match: ps-log M-ID --mode phone --minutes 30"
	echo "   (whole process, median of $log_runs runs, ms), into today's folder"
	printf '   %-34s %9s %10s %12s %10s\n' "store" "folder" "ps-log" \
	    "git add+ci" "git/ps-log"
	day=${asof//-//}
	lastok=
	for sz in $log_sizes; do
		people=${sz%:*} nc=${sz#*:}
		s=$(hstore "$people" "$nc")
		dir=contacts/$day
		rollback "$s" "$dir"
		mid=$(cd "$s" && grep -rlx 'status: active' matches | sort |
		    sed -n 1p)
		mid=${mid##*/}
		mid=${mid%.yaml}
		files=$(ls "$s/$dir" | wc -l)
		# warm-up, not counted; its record is the git side's template
		log_one "$s" "$mid"
		cp "$s/$(git -C "$s" show --name-only --format= HEAD |
		    grep "^$dir/")" "$tmp/contact.yaml"
		contact_as C-ZZZW00
		git_contact "$s" "$tmp/C-ZZZW00.yaml" "$dir"
		settle "$s"
		L=() G=() I=() F=()
		# each side in a run of its own: a git command rewrites the
		# index, and the first ps- write after that reads it once
		# (below: "after git")
		for i in $(seq 1 "$log_runs"); do
			timeit L log_one "$s" "$mid"
			timeit I settle "$s"
		done
		for i in $(seq 1 "$log_runs"); do
			contact_as "$(printf 'C-ZZZX%02d' "$i")"
			timeit G git_contact "$s" \
			    "$tmp/$(printf 'C-ZZZX%02d' "$i").yaml" "$dir"
		done
		for i in 1 2 3; do
			contact_as "$(printf 'C-ZZZY%02d' "$i")"
			git_contact "$s" "$tmp/$(printf 'C-ZZZY%02d' "$i").yaml" "$dir"
			timeit F log_one "$s" "$mid"
			settle "$s"
		done
		l=$(median "${L[@]}") g=$(median "${G[@]}")
		for i in "${!L[@]}"; do I[i]=$(( L[i] + I[i] )); done
		printf '   %-34s %9s %10s %12s %10s\n' \
		    "$(commas "$people") people, $(commas "$nc") contacts" \
		    "$(commas "$files")" "$(ms "$l")" "$(ms "$g")" \
		    "$(ratio "$g" "$l")"
		last="$(commas "$nc") contacts: ps-log $(ms "$l") ms, git $(ms "$g") ms, $(ratio "$g" "$l") faster"
		lastok=$(awk -v l="$l" -v g="$g" \
		    'BEGIN { print (l < 20000 && g >= 10 * l) }')
		sd=("log one contact (ps-log)" "$(commas "$nc") contacts" \
		    "$(ms "$l") ms" "git add+commit $(ms "$g") ms" \
		    "$(ratio "$g" "$l")" "< 20 ms, >= 10x faster than git" "$lastok")
		# libgit2 alone, phase by phase (git-probe); a split index's
		# shared part is the whole index libgit2 can read
		whole=$(ls -t "$s"/.git/sharedindex.* 2>/dev/null | sed -n 1p ||
		    true)
		PI=() PR=() PW=()
		for i in 0 1 2 3 4 5; do
			# shellcheck disable=SC2086
			set -- $(tests/bench/git-probe "$s" $whole)
			[ "$i" = 0 ] && continue
			PI+=("$2") PR+=("$6") PW+=("$8")
			entries=${10}
		done
		index=$(stat -c %s "${whole:-$s/.git/index}")
		printf '     %s\n' "the store's lock free $(ms "$(median "${I[@]}")") ms after ps-log started (no process left);" \
		    "the first ps-log after a git command rewrote the index: $(ms "$(median "${F[@]}")") ms (median of 3)"
		[ -n "$whole" ] && printf '     %s\n' "git's index split: .git/index $(commas "$(stat -c %s "$s/.git/index")") bytes, its shared part $(( (index + 524288) / 1048576 )) MB"
		printf '     %s\n' "libgit2 alone: start-up $(ms "$(median "${PI[@]}")") ms; the whole index ($(commas "$entries") entries, $(( (index + 524288) / 1048576 )) MB) read $(ms "$(median "${PR[@]}")") ms, written $(ms "$(median "${PW[@]}")") ms"
		rollback "$s" "$dir"
	done
	echo "   Stores as in e. folder: the files already in the day's folder; git add+ci:"
	echo "   cp FILE $dir/ && git add FILE && git commit --no-verify."
	echo "   libgit2 alone (tests/bench/git-probe, median of 5): git_libgit2_init(),"
	echo "   and reading and writing back the store's whole index, as a commit by"
	echo "   ps-log would to add its one entry if the index were not split."
	echo "   Target (the largest store: under 20 ms, at least 10x faster than git):"
	echo "   $(met "$lastok") ($last)."
	summary "${sd[@]}"
fi

# --- e. reports ----------------------------------------------------------
# erow WORK STORE WALL-US RSS-KB CPU-S LIMIT RESULT: one line of part e
erow() {
	printf '   %-34s %-22s %7s %7s %6s  %-13s %s\n' "$1" "$2" "$3" "$4" \
	    "$5" "$6" "$7"
}

if part e; then
	echo
	echo "e. Reports: ps-report, text; a row: a report on a store, its wall time"
	echo "   (median of $report_runs runs after one warm-up, or the one run with"
	echo "   no cache), max RSS, user + system CPU, the target and whether it is met"
	week=$(date -u -d "$asof -7 days" +%G-W%V)
	erow "work" "store (people, contacts)" "wall s" "max RSS" "CPU s" "target" \
	    "result"
	for sz in $report_sizes; do
		people=${sz%:*} nc=${sz#*:}
		s=$(hstore "$people" "$nc")
		rollback "$s"
		last=$(git -C "$s" log -1 --format=%cd --date=short)
		back=$(date -u -d "$last -1 year" +%F)
		bweek=$(date -u -d "$back -7 days" +%G-W%V)
		label="$(commas "$people"), $(commas "$nc")"
		big=$(( people >= 100000 ))
		for k in week asof; do
			if [ $k = week ]; then
				args=(--week "$week")
				work="weekly --week $week"
				lim=5e6 limit="< 5 s, 1 GB"
			else
				args=(--as-of "$back" --week "$bweek")
				work="--as-of $back"
				lim=10e6 limit="< 10 s"
			fi
			# the report cache (.git/ps-cache) emptied: a first run
			rm -rf "$s/.git/ps-cache"
			C=() CR=() PCPU=()
			nowarm=1 proc_runs 1 C CR "$tmp/$k.txt" \
			    env PS_NOW=$now ps-report -C "$s" "${args[@]}"
			erow "$work, no cache" "$label" "$(secs "${C[0]}")" \
			    "$(mb "${CR[0]}")" "${PCPU[0]}" "-" "(first run)"
			cp "$tmp/$k.txt" "$tmp/$k.cold"
			T=() R=() PCPU=()
			proc_runs "$report_runs" T R "$tmp/$k.txt" \
			    env PS_NOW=$now ps-report -C "$s" "${args[@]}"
			if ! cmp -s "$tmp/$k.cold" "$tmp/$k.txt"; then
				echo "bench: ps-report $work printed otherwise with its cache" >&2
				exit 1
			fi
			t=$(median "${T[@]}") r=$(median "${R[@]}")
			ok=$(awk -v t="$t" -v r="$r" -v l="$lim" -v k=$k \
			    'BEGIN { print (t < l && (k != "week" || r < 1048576)) }')
			if [ $big = 1 ]; then
				[ "$ok" = 1 ] && result=pass || result=FAIL
				summary "report $work (ps-report)" \
				    "$label people, contacts" \
				    "$(secs "$t") s, $(mb "$r")" \
				    "no cache: $(secs "${C[0]}") s" "-" "$limit" "$ok"
			else
				limit="-" result="(target: largest store)"
			fi
			erow "$work" "$label" "$(secs "$t")" "$(mb "$r")" \
			    "$(median "${PCPU[@]}")" "$limit" "$result"
		done
		commit=$(sed -n 's/^Store commit //p' "$tmp/asof.txt")
		then=$(git -C "$s" log -1 --format=%cd --date=short "$commit")
		held=$(git -C "$s" ls-tree -r --name-only "$commit" -- participants \
		    volunteers matches contacts | wc -l)
		echo "   (--as-of $back: the store's commit of $then, $(commas "$held") records)"
	done
	echo "   Stores of 85% participants, 15% volunteers, matches for 80% of the"
	echo "   participants, contacts over $hweeks weeks, about as many each day; a commit"
	echo "   every two weeks. --as-of: a day a year before the last commit, and the"
	echo "   week before it. no cache: .git/ps-cache emptied first (what reports"
	echo "   read of each record, by blob id); the other runs find there what the"
	echo "   run before read. Targets: the largest store's weekly report under 5 s"
	echo "   and 1 GB, its --as-of a year back under 10 s."
fi

if [ -s "$tmp/summary" ]; then
	echo
	echo "Summary: each figure with a target, beside its peer in the same run"
	echo "(medians; ratio: peer / ours for times, ours / peer for sizes)"
	{
		printf 'work\tstore\tours\tpeer\tratio\ttarget\tresult\n'
		cat "$tmp/summary"
	} | awk -F'\t' '
	{ for (i = 1; i <= NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } n = NR }
	END {
		for (r = 1; r <= n; r++) {
			line = " "
			for (i = 1; i <= 7; i++)
				line = line sprintf(" %-" w[i] "s", c[r, i])
			sub(/ +$/, "", line)
			print line
		}
	}'
fi
echo
echo "bench: done in $SECONDS s (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
