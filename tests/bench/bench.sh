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
#      safe_load on a 10,000-file sample, extrapolated).
#
# Stores come from ps-gen (fixed seed) and are kept under tests/bench/out/
# by a name that carries their parameters and ps-gen.c's checksum, so the
# 100,000-record store is generated once. Runs commit into them and are
# rolled back (git reset --hard) when done.
#
# Environment: PS_BENCH_RUNS (commit runs, default 7), PS_BENCH_CHECK_RUNS
# (default 5), PS_BENCH_PY_RUNS (default 3), PS_BENCH_SIZES (default
# "1000 10000 100000"; part b uses the largest), PS_BENCH_OUT (default
# tests/bench/out).

set -euo pipefail

cd "$(dirname "$0")/../.."
root=$PWD
export PATH="$root/cmd:$PATH" PS_SCHEMA_DIR="$root/schemas"
export PS_AUTHOR="Bench <bench@example.invalid>"
export LC_ALL=C
unset PS_STORE

gen=$root/tests/bench/ps-gen
floor=$root/tests/bench/yaml-floor
out=${PS_BENCH_OUT:-$root/tests/bench/out}
runs=${PS_BENCH_RUNS:-7}
check_runs=${PS_BENCH_CHECK_RUNS:-5}
py_runs=${PS_BENCH_PY_RUNS:-3}
sizes=${PS_BENCH_SIZES:-"1000 10000 100000"}
seed=1 weeks=52 asof=2026-11-20
sample=10000

for f in "$gen" "$floor" cmd/ps-init cmd/ps-apply cmd/ps-check; do
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

# store N: the path of the N-record store, generated if not cached
store() {
	local n=$1 p v m c name s t0 t1
	p=$((n * 15 / 100)) v=$((n * 3 / 100)) m=$((n * 12 / 100))
	c=$((n - p - v - m))
	name=store-s$seed-p$p-v$v-m$m-c$c-w$weeks-$asof-$(cksum < tests/bench/ps-gen.c | cut -d' ' -f1)
	s=$out/$name
	if [ ! -d "$s" ]; then
		rm -rf "$s.tmp"
		t0=$EPOCHREALTIME
		ps-init "$s.tmp" > /dev/null
		"$gen" --seed $seed --participants $p --volunteers $v \
		    --matches $m --contacts $c --weeks $weeks --as-of $asof \
		    "$s.tmp" 2> /dev/null
		mv "$s.tmp" "$s"
		t1=$EPOCHREALTIME
		printf '  (generated the %s-record store in %s s: %s)\n' \
		    "$(commas $n)" "$(awk -v u=$(( ${t1/./} - ${t0/./} )) \
		    'BEGIN { printf "%.1f", u / 1e6 }')" "${s#$root/}" >&2
	fi
	echo "$s"
}

# rollback STORE: back to the generated commit, nothing else in the tree
rollback() {
	local base
	base=$(git -C "$1" log --format=%H --grep='^ps-gen: synthetic store' -1)
	git -C "$1" reset -q --hard "$base"
	git -C "$1" clean -qfd -- participants
	# keep loose objects from many runs below git's automatic gc limit
	if [ "$(git -C "$1" count-objects | cut -d' ' -f1)" -gt 2000 ]; then
		git -C "$1" reflog expire --expire-unreachable=now --all
		git -C "$1" prune --expire=now
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

cpus=$(nproc)
model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
echo "Peer Support Toolkit benchmarks, $(date -u +%Y-%m-%d), $cpus CPUs ($model)"
echo "Stores from ps-gen --seed $seed: 15% participants, 3% volunteers, 12% matches,"
echo "70% contacts over $weeks weeks to $asof; warm page cache; medians."

for n in $sizes; do
	store "$n" > /dev/null
done

# --- a. one new record ---------------------------------------------------
echo
echo "a. Commit one new participant (whole process, median of $runs runs, ms)"
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

# --- b. read and validate everything -------------------------------------
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

F=() FR=() C=() CR=() P=() PR=() Q=() QR=()
rss_runs "$check_runs" F FR "$floor" "$s"
rss_runs "$check_runs" C CR ps-check -C "$s"
checked=$(cat "$tmp/stdout")

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
row "libyaml event loop (floor) x$check_runs" "$nall" "$f" "$(median "${FR[@]}")"
row "ps-check -C STORE x$check_runs" "$nall" "$c" "$(median "${CR[@]}")"
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
echo
echo "bench: done in $SECONDS s"
