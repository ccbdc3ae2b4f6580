#!/bin/sh
# Run every test suite, TAP from each, and print "N passed, N failed".
#   unit tests (cmocka), schema agreement with a standard validator,
#   command-line tests (bats), man page lint.
# TESTS="unit cli" limits the suites; VALGRIND=1 runs tools and unit tests
# under valgrind's memcheck.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 3
export PS_SCHEMA_DIR="$top/schemas"
export PATH="$top/cmd:$PATH"
export CMOCKA_MESSAGE_OUTPUT=TAP
export LC_ALL=C.UTF-8
unset PS_STORE PS_AUTHOR
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-tests.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM
suites=${TESTS:-unit schema cli man}
pass=0 fail=0

tally() {	# name logfile
	p=$(grep -c '^ok ' "$2")
	f=$(grep -c '^not ok ' "$2")
	if [ "$3" != 0 ] && [ "$f" = 0 ]; then
		f=1	# a suite that failed without saying which test
		echo "not ok - $1 exited with status $3" >>"$2"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	printf '%-28s %4d passed, %d failed\n' "$1" "$p" "$f"
	[ "$f" = 0 ] || grep -A15 '^not ok ' "$2" | head -60
}

for s in $suites; do
	case $s in
	unit)
		for t in tests/unit/test-*; do
			case $t in *.c) continue ;; esac
			[ -x "$t" ] || continue
			if [ "${VALGRIND:-0}" = 1 ]; then
				valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99 "$t" >"$tmp/log" 2>&1
			else
				"$t" >"$tmp/log" 2>&1
			fi
			tally "$(basename "$t")" "$tmp/log" $?
		done ;;
	schema)
		/usr/bin/python3 tests/schema-agree.py >"$tmp/log" 2>&1
		tally schema-agree "$tmp/log" $? ;;
	cli)
		for t in tests/cli/*.bats; do
			bats --tap "$t" >"$tmp/log" 2>&1
			tally "$(basename "$t")" "$tmp/log" $?
		done ;;
	man)
		: >"$tmp/log"
		for m in man/*.[157]; do
			[ -f "$m" ] || continue
			out=$(mandoc -Tlint -W warning "$m" 2>&1)
			if [ -z "$out" ]; then echo "ok - $m" >>"$tmp/log"
			else printf 'not ok - %s\n%s\n' "$m" "$out" >>"$tmp/log"; fi
		done
		tally mandoc-lint "$tmp/log" 0 ;;
	esac
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
