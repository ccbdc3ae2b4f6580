#!/bin/sh
# make fuzz: run each libFuzzer target for SECONDS, then say how many
# inputs it ran and how many crashed.
#   tests/fuzz/run.sh SECONDS TARGET...
# New inputs go to tests/fuzz/build/corpus/TARGET (the seeds in
# tests/fuzz/corpus/ stay as they are), crashes to
# tests/fuzz/build/crashes/TARGET/. A crash found: fix it, and copy the
# input to tests/fuzz/regress/TARGET/, which make check replays.
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top" || exit 3
secs=$1
shift
export PS_SCHEMA_DIR="$top/schemas"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
b=tests/fuzz/build
bad=0
printf '%-10s %12s %8s\n' target executions crashes >"$b/summary"
for t in "$@"; do
	mkdir -p "$b/corpus/$t" "$b/crashes/$t"
	dict=tests/fuzz/yaml.dict
	[ "$t" = csv ] && dict=tests/fuzz/csv.dict
	"$b/fuzz-$t" -max_total_time="$secs" -max_len=65536 -timeout=10 \
	    -dict="$dict" \
	    -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$b/crashes/$t/" \
	    "$b/corpus/$t" "tests/fuzz/corpus/$t" >"$b/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$b/$t.log" |
	    tail -n 1)
	crashes=$(find "$b/crashes/$t" -type f | wc -l)
	[ "$rc" = 0 ] && [ "$crashes" = 0 ] || bad=1
	printf '%-10s %12s %8s\n' "$t" "${runs:-?}" "$crashes" >>"$b/summary"
	if [ "$rc" != 0 ]; then
		echo "fuzz-$t: exit $rc; see $b/$t.log" >&2
		grep -m 5 -E '^(==[0-9]+==ERROR|SUMMARY|fuzz-)' "$b/$t.log" >&2
	fi
done
cat "$b/summary"
exit "$bad"
