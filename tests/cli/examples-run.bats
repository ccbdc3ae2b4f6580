#!/usr/bin/env bats
# examples/*/run.sh and examples/demo.sh: each programme's whole flow runs
# with the tools and prints what its expected file shows, IDs, commit
# hashes and temporary directories made comparable (examples-run.awk); the
# store it leaves is clean. REGEN=1 writes the expected files anew from
# this run: read the diff before committing it.
load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# example SCRIPT EXPECTED [ARG]: run SCRIPT, stdout and stderr together as
# a reader sees them, and compare with EXPECTED.
example() {
	local status=0
	mkdir -p "$T/tmp"
	TMPDIR=$T/tmp "$1" ${3:+"$3"} >"$T/raw" 2>&1 </dev/null || status=$?
	LC_ALL=C awk -v tmp="$T" -f "$BATS_TEST_DIRNAME/examples-run.awk" \
	    "$T/raw" >"$T/got"
	if [ "$status" != 0 ]; then
		echo "$1: exit status $status"
		tail -20 "$T/got"
		return 1
	fi
	[ -z "${REGEN:-}" ] || cp "$T/got" "$2"
	diff -u "$2" "$T/got"
}

# The store a run.sh leaves in $T/store: nothing uncommitted, every record
# valid, git fsck clean, readable by the owner only.
store_is_clean() {
	[ -z "$(git -C "$T/store" status --porcelain)" ]
	run_split ps-check -C "$T/store"
	[ "$status" = 0 ]
	[[ "$out" == *" checked, 0 problems" ]]
	git -C "$T/store" fsck --strict 2>/dev/null
	[ -z "$(find "$T/store" -perm /077)" ]
	# the temporary directory is not used when a DIR is given
	[ -z "$(ls -A "$T/tmp")" ]
}

@test "examples/ms-society/run.sh: Extended matches and a OneCall callback, to the weekly report" {
	example "$TOP/examples/ms-society/run.sh" "$TOP/examples/ms-society/run.expected" "$T/store"
	store_is_clean
}

@test "examples/caregiver/run.sh: a Peer Mentor chosen by the caregiver, an online group, to the weekly report" {
	example "$TOP/examples/caregiver/run.sh" "$TOP/examples/caregiver/run.expected" "$T/store"
	store_is_clean
}

@test "examples/mental-health/run.sh: a training cohort, seconded peer workers, the drop-in, to the weekly report" {
	example "$TOP/examples/mental-health/run.sh" "$TOP/examples/mental-health/run.expected" "$T/store"
	store_is_clean
}

# demo_store: the store that the demo says it kept, in $T/raw.
demo_store() {
	sed -n 's/^The store is kept in \(.*\)\.$/\1/p' "$T/raw"
}

@test "examples/demo.sh (make demo): the weekly report, the audit trail, and the store kept, where it says" {
	example "$TOP/examples/demo.sh" "$TOP/examples/demo.expected"
	store=$(demo_store)
	[[ "$store" == "$T/tmp/ps-demo."?????? ]]
	[ "$(ls -A "$T/tmp")" = "${store##*/}" ]
	# the report, then the history of the store, then what to try
	grep -q "^==> The board's report for last week" "$T/got"
	grep -q "^\\$ git log --reverse --date=short --format='%ad  %an  %s'\$" "$T/got"
	[ "$(sed -n '/^\$ git log --reverse/,/^$/p' "$T/got" | sed '1d;$d' | wc -l)" = "$(git -C "$store" rev-list --count HEAD)" ]
	[ "$(tail -1 "$T/got")" = "rm -rf <tmp>/tmp/ps-demo.XXXXXX" ]
	# the store is whole, clean and private
	[ -z "$(git -C "$store" status --porcelain)" ]
	run_split ps-check -C "$store"
	[ "$status" = 0 ]
	[[ "$out" == *" checked, 0 problems" ]]
	[ -z "$(find "$store" -perm /077)" ]
	[ "$(git -C "$store" log -1 --format=%s)" = "$(grep -m1 -o 'ps-log: feedback C-[0-9A-Z]* (P-[0-9A-Z]*)' "$T/raw")" ]
	# the commands it suggests work in it
	(cd "$store" && ps-report --history "$(sed -n 's/^ *ps-report --history \([^ ]*\).*/\1/p' "$T/raw")" >/dev/null)
	rm -rf "$store"
}

@test "make demo again: another store, in another directory" {
	mkdir -p "$T/tmp"
	TMPDIR=$T/tmp "$TOP/examples/demo.sh" >"$T/raw" 2>&1 </dev/null
	first=$(demo_store)
	TMPDIR=$T/tmp "$TOP/examples/demo.sh" >"$T/raw" 2>&1 </dev/null
	second=$(demo_store)
	# one check a line: set -e stops at none but the last of an && list
	[ -n "$first" ]
	[ -n "$second" ]
	[ "$first" != "$second" ]
	run_split ps-check -C "$first"
	[ "$status" = 0 ]
	run_split ps-check -C "$second"
	[ "$status" = 0 ]
	rm -rf "$first" "$second"
}
