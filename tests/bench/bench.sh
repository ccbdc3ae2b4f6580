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
#      safe_load on a 10,000-file sample, extrapolated);
#   c. matching: ps-match --stream extended on stores of 1,000 waiting
#      participants and 300 volunteers, and 10,000 and 2,000 (capacity
#      1-3): time and memory, and its total score against the optimum
#      that scipy's exact sparse assignment (assign-peer.py) finds on the
#      same instance, which ps-match writes out when PS_MATCH_DUMP names
#      a file; then lib/assign.c alone (assign-bench) against scipy on a
#      random instance of the same size;
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
# microseconds; max RSS in kB), after one warm-up unless nowarm is set;
# its output to OUT, its standard input /dev/null
proc_runs() {
	local n=$1 o=$4 i t0 t1
	local -n _pt=$2 _pr=$3
	shift 4
	for i in $(seq "${nowarm:-0}" "$n"); do
		t0=$EPOCHREALTIME
		if ! /usr/bin/time -f %M -o "$tmp/rss" "$@" < /dev/null > "$o" \
		    2> "$tmp/stderr"; then
			echo "bench: failed: $*" >&2
			tail -5 "$tmp/stderr" >&2
			exit 1
		fi
		t1=$EPOCHREALTIME
		[ "$i" = 0 ] && continue
		_pt+=($(( ${t1/./} - ${t0/./} )))
		_pr+=($(tail -1 "$tmp/rss"))
	done
}

secs() { awk -v u="$1" 'BEGIN { printf "%.2f", u / 1e6 }'; }
mb() { echo "$(( ($1 + 512) / 1024 )) MB"; }
met() { [ "$1" = 1 ] && echo met || echo MISSED; }

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
	echo "   over $weeks weeks, in one commit."
	printf '   %-16s %10s %12s %8s %14s %8s\n' "store" "ps-apply" \
	    "git add+ci" "ratio" "git+ps hook" "ratio"
	for n in $sizes; do
		s=$(store "$n")
		rollback "$s"
		A=() G=() H=()
		# warm-up, not counted: page cache, index refresh
		application w
		apply_one "$s" "$tmp/app-w.yaml"
		record P-ZZZZZW w
		git_one "$s" "$tmp/P-ZZZZZW.yaml"
		for i in $(seq 1 "$runs"); do
			application "$i"
			record "$(printf 'P-ZZZX%02d' "$i")" "x$i"
			record "$(printf 'P-ZZZY%02d' "$i")" "y$i"
			# alternate the order so neither side always goes first
			if [ $((i % 2)) = 1 ]; then
				timeit A apply_one "$s" "$tmp/app-$i.yaml"
				timeit G git_one "$s" "$tmp/$(printf 'P-ZZZX%02d' "$i").yaml"
				timeit H git_hook_one "$s" "$tmp/$(printf 'P-ZZZY%02d' "$i").yaml"
			else
				timeit H git_hook_one "$s" "$tmp/$(printf 'P-ZZZY%02d' "$i").yaml"
				timeit G git_one "$s" "$tmp/$(printf 'P-ZZZX%02d' "$i").yaml"
				timeit A apply_one "$s" "$tmp/app-$i.yaml"
			fi
		done
		a=$(median "${A[@]}") g=$(median "${G[@]}") h=$(median "${H[@]}")
		printf '   %-16s %10s %12s %8s %14s %8s\n' "$(commas "$n") records" \
		    "$(ms "$a")" "$(ms "$g")" "$(ratio "$a" "$g")" "$(ms "$h")" \
		    "$(ratio "$a" "$h")"
		rollback "$s"
	done
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
	echo "   ps-check said: $checked"
	# one line each: work, store, ours, peer, ratio, target, pass or fail
	verdict() { [ "$(awk "BEGIN { print ($1) }")" = 1 ] && echo pass || echo FAIL; }
	printf '   b. read+validate, %s records, %s threads (floor -j%s): ps-check %s s, floor %s s, %s; target <= 2.00x: %s\n' \
	    "$(commas "$nall")" "$jobs" "$jobs" "$(secs "$c")" "$(secs "$f")" \
	    "$(ratio "$c" "$f")" "$(verdict "$c <= 2 * $f")"
	printf '   b. read+validate, %s records, 1 thread (floor 1 thread): ps-check %s s, floor %s s, %s; target <= 2.00x: %s\n' \
	    "$(commas "$nall")" "$(secs "$c1")" "$(secs "$f1")" \
	    "$(ratio "$c1" "$f1")" "$(verdict "$c1 <= 2 * $f1")"
	if [ -n "$python" ] && [ -n "$cloader" ]; then
		p=$(median "${P[@]}")
		printf '   b. read+validate, %s records, 1 thread each: ps-check %s s, Python yaml CSafeLoader %s s, %s faster; target >= 10x: %s\n' \
		    "$(commas "$nall")" "$(secs "$c1")" "$(secs "$p")" \
		    "$(ratio "$p" "$c1")" "$(verdict "$p >= 10 * $c1")"
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
	cp -a "$src" "$s"
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
		rollback "$s"
		timeit G sh -c 'cp "$1"/* "$2/participants/" &&
		    git -C "$2" add participants &&
		    git -C "$2" -c gc.auto=0 commit -q --no-verify -m x' sh \
		    "$tmp/many" "$s"
	done
	G=("${G[@]:1}")
	rollback "$s"
	a=$(median "${A[@]}") g=$(median "${G[@]}")
	echo
	echo "f. $(commas "$napps") applications in one commit (median of $apply_runs runs, whole process)"
	printf '   f. %s applications, %s-record store: ps-apply %s s, cp+git add+git commit %s s, %s; target < 1 s: %s\n' \
	    "$(commas "$napps")" "$(commas "$big")" "$(secs "$a")" "$(secs "$g")" \
	    "$(ratio "$a" "$g")" "$( [ "$(awk "BEGIN { print ($a < 1e6) }")" = 1 ] &&
	    echo pass || echo FAIL)"
fi

# --- c. matching ---------------------------------------------------------
# field NAME LINE: the value of NAME=VALUE in a line of assign-bench's
field() { echo "$2" | sed -n "s/.* $1=\([^ ]*\).*/\1/p"; }
same() {
	awk -v a="$1" -v b="$2" 'BEGIN { d = a - b
	    print (a != "" && b != "" && d < 1e-6 && d > -1e-6) ? "yes" : "NO" }'
}

if part c; then
	echo
	echo "c. Propose matches: ps-match --stream extended --yaml (median of $match_runs runs)"
	echo "   Stores of waiting participants (extended stream, onboarded) and active"
	echo "   volunteers (screened, in date, capacity 1-3), under the MS Society"
	echo "   programme's rules (hard constraints: language, mode)."
	py=$(scipy_python)
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
		edges=$(( $(wc -l < "$tmp/instance.txt") - 1 - v ))
		nprop=$(grep -c '^score:' "$tmp/proposals.yaml" || true)
		total=$(awk '/^score:/ { s += $2 } END { printf "%.3f", s }' \
		    "$tmp/proposals.yaml")
		# lib/assign.c alone on the same instance
		alone=$(tests/bench/assign-bench -i "$tmp/instance.txt")
		ptotal=- psecs=- equal=-
		if [ -n "$py" ]; then
			peer=$("$py" tests/bench/assign-peer.py "$tmp/instance.txt")
			ptotal=$(field total "$peer")
			psecs=$(awk -v m="$(field time "$peer")" \
			    'BEGIN { printf "%.2f", m / 1000 }')
			equal=$(same "$total" "$ptotal")
		fi
		t=$(median "${T[@]}") r=$(median "${R[@]}")
		label="$(commas "$w") x $(commas "$v")"
		rows1+=("$(printf '   %-22s %11s %8s %8s %11s %8s' "$label" \
		    "$(commas "$edges")" "$(secs "$t")" "$(mb "$r")" \
		    "$(awk -v m="$(field time "$alone")" \
		    'BEGIN { printf "%.2f", m / 1000 }')" \
		    "$(awk -v m="$(field maxrss "$alone")" \
		    'BEGIN { printf "%d MB", m + 0.5 }')")")
		rows2+=("$(printf '   %-22s %9s %12s %12s %12s %8s %5s' "$label" \
		    "$(commas "$nprop")" "$total" "$(field total "$alone")" \
		    "$ptotal" "$psecs" "$equal")")
		last="$label: $(secs "$t") s, $(mb "$r"), total = optimum: $equal"
		lastok=$(awk -v t="$t" -v r="$r" -v e="$equal" \
		    'BEGIN { print (t < 2e6 && r < 500 * 1024 && e == "yes") }')
		rm -f "$tmp/instance.txt"
	done
	printf '   %-22s %11s %8s %8s %11s %8s\n' "waiting x volunteers" \
	    "eligible" "wall s" "max RSS" "solver s" "max RSS"
	printf '%s\n' "${rows1[@]}"
	echo "   eligible: the pairs that meet the hard constraints; wall s, max RSS:"
	echo "   ps-match (one thread); solver: lib/assign.c alone on the same instance"
	echo "   (assign-bench -i: its solve time, and its whole process's max RSS)."
	echo
	printf '   %-22s %9s %12s %12s %12s %8s %5s\n' "waiting x volunteers" \
	    "proposals" "total score" "solver total" "scipy total" "scipy s" \
	    "equal"
	printf '%s\n' "${rows2[@]}"
	echo "   total score: the sum of the scores of the proposals ps-match printed;"
	echo "   scipy: its exact sparse assignment (LAPJVsp, tests/bench/assign-peer.py)"
	echo "   on the instance ps-match wrote (PS_MATCH_DUMP): its optimum and solve"
	echo "   time; equal: ps-match's total and scipy's, to 1e-6."
	echo "   Target (the largest store: under 2 s and 500 MB on one core, the total"
	echo "   the optimum): $(met "$lastok") ($last)."
	echo
	echo "   lib/assign.c alone on a random instance of 50 eligible volunteers a"
	echo "   participant (assign-bench; solve time), and scipy on it:"
	tests/bench/assign-bench -o "$tmp/random.txt" > "$tmp/assign.out"
	echo "     $(cat "$tmp/assign.out")"
	if [ -n "$py" ]; then
		peer=$("$py" tests/bench/assign-peer.py "$tmp/random.txt")
		echo "     $peer"
		echo "     equal totals: $(same "$(field total "$(cat "$tmp/assign.out")")" \
		    "$(field total "$peer")")"
	else
		echo "     scipy: not available (python3-scipy), skipped"
	fi
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
		L=() G=()
		for i in $(seq 1 "$log_runs"); do
			contact_as "$(printf 'C-ZZZX%02d' "$i")"
			if [ $((i % 2)) = 1 ]; then
				timeit L log_one "$s" "$mid"
				timeit G git_contact "$s" \
				    "$tmp/$(printf 'C-ZZZX%02d' "$i").yaml" "$dir"
			else
				timeit G git_contact "$s" \
				    "$tmp/$(printf 'C-ZZZX%02d' "$i").yaml" "$dir"
				timeit L log_one "$s" "$mid"
			fi
		done
		l=$(median "${L[@]}") g=$(median "${G[@]}")
		printf '   %-34s %9s %10s %12s %10s\n' \
		    "$(commas "$people") people, $(commas "$nc") contacts" \
		    "$(commas "$files")" "$(ms "$l")" "$(ms "$g")" \
		    "$(ratio "$g" "$l")"
		last="$(commas "$nc") contacts: ps-log $(ms "$l") ms, git $(ms "$g") ms, $(ratio "$g" "$l") faster"
		lastok=$(awk -v l="$l" -v g="$g" \
		    'BEGIN { print (l < 20000 && g >= 10 * l) }')
		# libgit2 alone, phase by phase (git-probe)
		PI=() PR=() PW=()
		for i in 0 1 2 3 4 5; do
			set -- $(tests/bench/git-probe "$s")
			[ "$i" = 0 ] && continue
			PI+=("$2") PR+=("$6") PW+=("$8")
			entries=${10}
		done
		index=$(stat -c %s "$s/.git/index")
		printf '     %s\n' "libgit2 alone: start-up $(ms "$(median "${PI[@]}")") ms; the index ($(commas "$entries") entries, $(( (index + 524288) / 1048576 )) MB) read $(ms "$(median "${PR[@]}")") ms, written $(ms "$(median "${PW[@]}")") ms"
		rollback "$s" "$dir"
	done
	echo "   Stores as in e. folder: the files already in the day's folder; git add+ci:"
	echo "   cp FILE $dir/ && git add FILE && git commit --no-verify."
	echo "   libgit2 alone (tests/bench/git-probe, median of 5): git_libgit2_init(),"
	echo "   and reading and writing back the store's whole index, as a commit by"
	echo "   ps-log does to add its one entry."
	echo "   Target (the largest store: under 20 ms, at least 10x faster than git):"
	echo "   $(met "$lastok") ($last)."
fi

# --- e. reports ----------------------------------------------------------
if part e; then
	echo
	echo "e. Reports: ps-report, text (median of $report_runs runs)"
	week=$(date -u -d "$asof -7 days" +%G-W%V)
	printf '   %-36s %-34s %7s %8s\n' "store" "report" "wall s" "max RSS"
	for sz in $report_sizes; do
		people=${sz%:*} nc=${sz#*:}
		s=$(hstore "$people" "$nc")
		rollback "$s"
		last=$(git -C "$s" log -1 --format=%cd --date=short)
		back=$(date -u -d "$last -1 year" +%F)
		bweek=$(date -u -d "$back -7 days" +%G-W%V)
		W=() WR=() Y=() YR=()
		proc_runs "$report_runs" W WR "$tmp/week.txt" \
		    env PS_NOW=$now ps-report -C "$s" --week "$week"
		proc_runs "$report_runs" Y YR "$tmp/asof.txt" \
		    env PS_NOW=$now ps-report -C "$s" --as-of "$back" --week "$bweek"
		commit=$(sed -n 's/^Store commit //p' "$tmp/asof.txt")
		then=$(git -C "$s" log -1 --format=%cd --date=short "$commit")
		held=$(git -C "$s" ls-tree -r --name-only "$commit" -- participants \
		    volunteers matches contacts | wc -l)
		w=$(median "${W[@]}") wr=$(median "${WR[@]}")
		y=$(median "${Y[@]}") yr=$(median "${YR[@]}")
		printf '   %-36s %-34s %7s %8s\n' \
		    "$(commas "$people") people, $(commas "$nc") contacts" \
		    "--week $week" "$(secs "$w")" "$(mb "$wr")"
		printf '   %-36s %-34s %7s %8s\n' \
		    "  then: $(commas "$held") records ($then)" \
		    "--as-of $back --week $bweek" "$(secs "$y")" "$(mb "$yr")"
		lastw="$(secs "$w") s, $(mb "$wr")"
		lasty="$(secs "$y") s"
		okw=$(awk -v t="$w" -v r="$wr" 'BEGIN { print (t < 5e6 && r < 1048576) }')
		oky=$(awk -v t="$y" 'BEGIN { print (t < 10e6) }')
	done
	echo "   Stores of 85% participants, 15% volunteers, matches for 80% of the"
	echo "   participants, contacts over $hweeks weeks, about as many each day; a commit"
	echo "   every two weeks, a record in those from the day it was made. --as-of: a"
	echo "   day a year before the last commit; then: the records of the store's last"
	echo "   commit by that day (its date)."
	echo "   Targets (the largest store: weekly report under 5 s and 1 GB; --as-of a"
	echo "   year back under 10 s): weekly $(met "$okw") ($lastw); --as-of $(met "$oky") ($lasty)."
fi

echo
echo "bench: done in $SECONDS s (load average at the end: $(cut -d' ' -f1-3 /proc/loadavg))"
