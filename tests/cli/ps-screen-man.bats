#!/usr/bin/env bats
# ps-screen(1): the page's EXAMPLES run as shown, in a fresh store
# (man-pages.bats reads its SYNOPSIS and OPTIONS against the usage).
load helpers
load man-page

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PAGE=$TOP/man/ps-screen.1
export PS_NOW=2026-11-22T15:00:00Z

@test "the EXAMPLES of ps-screen(1) run as shown, in a fresh store" {
	cd "$TOP"
	run_man_examples "$PAGE" 35
	cd "$PS_STORE"
	# the store is sound, clean and private, and every step is in history
	run_split ps-check
	expect 0 "4 records checked, 0 problems" ""
	run_split git status --porcelain
	expect 0 "" ""
	git fsck --strict 2>/dev/null
	find . -perm /077 >"$T/perms"
	[ ! -s "$T/perms" ]
	run_split git log --format=%s --grep='^Ps-Tool: ps-screen$'
	[ "$(printf '%s\n' "$out" | wc -l)" = 19 ]
	# notes and reasons are in the records, never in a commit message
	grep -q 'evenings only' volunteers/*.yaml
	grep -q 'family matters' volunteers/*.yaml
	grep -q 'moving away' volunteers/*.yaml
	run_split sh -c "git log --format=%B | grep -c -e 'evenings only' -e 'family matters' -e 'moving away'"
	expect 1 "0" ""
	# the cohort is in program.yaml, in canonical form
	run_split sed -n '/^  cohorts:/,/^participants:/p' program.yaml
	expect 0 '  cohorts:
    - name: "2027-winter"
      starts: 2027-01-11
      seats: 2
participants:' ""
}
