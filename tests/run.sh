#!/bin/sh
# Run every test suite, TAP from each, and print "N passed, N failed".
#   unit tests (cmocka), schema agreement with a standard validator,
#   command-line tests (bats), the fuzz corpus and regression cases
#   replayed (tests/fuzz/), reliability (tests/reliability/: kill -9,
#   disk full and I/O errors, allocation failures, signals and pipes,
#   concurrent writers; RELIABILITY_FULL=1 for the long variants), man
#   page lint.
# TESTS="unit cli" limits the suites; VALGRIND=1 runs the unit tests, the
# replays and every tool the command-line tests run under valgrind's
# memcheck (make valgrind): an error or a leak fails the suite.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top" || exit 3
export PS_SCHEMA_DIR="$top/schemas"
export PATH="$top/cmd:$PATH"
export CMOCKA_MESSAGE_OUTPUT=TAP
export LC_ALL=C.UTF-8
# the tests pin their own clocks (PS_NOW, git's dates): none from here
unset PS_STORE PS_AUTHOR PS_NOW GIT_AUTHOR_DATE GIT_COMMITTER_DATE
# a SANITIZE=1 build: an allocation larger than there can be fails (NULL)
# as the C library's does, rather than end the test; the tests of what
# the code does when memory runs out ask for such sizes
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}allocator_may_return_null=1"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-tests.XXXXXX") || exit 3
trap 'rm -rf "$tmp"' EXIT INT TERM
suites=${TESTS:-unit schema cli fuzz reliability man}
pass=0 fail=0 t0=$(date +%s) start=$(date +%s)
vg="$(command -v valgrind || echo valgrind) -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect"

if [ "${VALGRIND:-0}" = 1 ]; then
	# the tools on PATH, each under memcheck, logging to $tmp/vg/log.PID
	mkdir -p "$tmp/vg/bin"
	for t in cmd/ps-*; do
		case $t in *.c) continue ;; esac
		printf '#!/bin/sh\nexec %s --log-file=%s/vg/log.%%p %s "$@"\n' \
		    "$vg" "$tmp" "$top/$t" >"$tmp/vg/bin/${t#cmd/}"
		chmod +x "$tmp/vg/bin/${t#cmd/}"
	done
	export PATH="$tmp/vg/bin:$PATH"
	export HOSTILE_TIMEOUT=120
fi

# memcheck's reports since the last call, appended to a suite's log
vg_reports() {	# logfile
	for l in "$tmp"/vg/log.*; do
		[ -s "$l" ] || { rm -f "$l"; continue; }
		printf 'not ok - valgrind: %s\n' "$(grep -m1 -E 'Process terminating|Invalid|uninitialised|definitely|indirectly|Mismatched|overlap|Syscall param' "$l" | sed 's/^==[0-9]*== *//')" >>"$1"
		sed 's/^/# /' "$l" >>"$1"
		rm -f "$l"
	done
}

tally() {	# name logfile
	# a test skipped (cmocka: "not ok N # SKIP") is not a failure
	p=$(grep -c '^ok \|^not ok .*# SKIP' "$2")
	f=$(grep '^not ok ' "$2" | grep -vc '# SKIP')
	if [ "$3" != 0 ] && [ "$f" = 0 ]; then
		f=1	# a suite that failed without saying which test
		echo "not ok - $1 exited with status $3" >>"$2"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	# and the seconds it took (since the one before), to keep check short
	now=$(date +%s)
	printf '%-28s %4d passed, %d failed %5ds\n' "$1" "$p" "$f" $((now - t0))
	t0=$now
	[ "$f" = 0 ] || grep -v '^not ok .*# SKIP' "$2" | grep -A15 '^not ok ' |
	    head -60
}

for s in $suites; do
	case $s in
	unit)
		for t in tests/unit/*/test-*; do
			case $t in *.c) continue ;; esac
			[ -x "$t" ] || continue
			if [ "${VALGRIND:-0}" = 1 ]; then
				$vg "$t" >"$tmp/log" 2>&1
			else
				"$t" >"$tmp/log" 2>&1
			fi
			tally "${t#tests/unit/}" "$tmp/log" $?
		done ;;
	schema)
		/usr/bin/python3 tests/schema-agree.py >"$tmp/log" 2>&1
		tally schema-agree "$tmp/log" $? ;;
	cli)
		for t in tests/cli/*.bats; do
			bats --tap "$t" >"$tmp/log" 2>&1
			rc=$?
			[ "${VALGRIND:-0}" = 1 ] && vg_reports "$tmp/log"
			tally "$(basename "$t")" "$tmp/log" $rc
		done ;;
	fuzz)
		for t in tests/fuzz/replay-*; do
			case $t in *.c) continue ;; esac
			[ -x "$t" ] || continue
			g=${t##*/replay-}
			set -- "tests/fuzz/corpus/$g"
			[ -d "tests/fuzz/regress/$g" ] && set -- "$@" "tests/fuzz/regress/$g"
			if [ "${VALGRIND:-0}" = 1 ]; then
				$vg "$t" "$@" >"$tmp/log" 2>&1
			else
				"$t" "$@" >"$tmp/log" 2>&1
			fi
			tally "fuzz-$g" "$tmp/log" $?
		done ;;
	reliability)
		for t in tests/reliability/*.sh; do
			case $t in */lib.sh) continue ;; esac
			bash "$t" >"$tmp/log" 2>&1
			tally "reliability/$(basename "$t" .sh)" "$tmp/log" $?
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
echo "$pass passed, $fail failed, in $(($(date +%s) - start)) s"
[ "$fail" = 0 ]
