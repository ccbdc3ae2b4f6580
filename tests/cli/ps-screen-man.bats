#!/usr/bin/env bats
# ps-screen(1): its SYNOPSIS is the usage of ps-screen, every option is
# described, and the page's EXAMPLES run as shown, in a fresh store.
load helpers
load man-examples

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PAGE=$TOP/man/ps-screen.1
export PS_NOW=2026-11-22T15:00:00Z

# The SYNOPSIS of the page as mandoc renders it, overstrikes removed.
synopsis() {
	mandoc -Tascii "$@" "$PAGE" | sed 's/.\x08//g' |
	    sed -n '/^SYNOPSIS$/,/^DESCRIPTION$/p' | sed '1d;$d'
}

@test "every long option in the usage of ps-screen is in the SYNOPSIS of ps-screen(1)" {
	local opts o missing=
	run_split ps-screen --help
	[ "$status" = 0 ]
	[ -z "$err" ]
	opts=$(printf '%s\n' "$out" | grep -oE -- '--[a-z][a-z-]*' | sort -u)
	[ "$(printf '%s\n' "$opts" | wc -l)" -ge 26 ]
	for o in $opts; do
		synopsis | grep -qE -- "(^|[[ ])$o([] ]|\$)" || missing="$missing $o"
	done
	run_split echo "missing:$missing"
	expect 0 "missing:" ""
}

@test "the SYNOPSIS of ps-screen(1) is the usage of ps-screen" {
	local man usage
	man=$(synopsis -O width=200 |
	    grep -vx ' *ps-screen -h | --help | --version' |
	    tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
	usage=$(ps-screen -h | sed 's/^usage: //' | tr -s ' \n' ' ' |
	    sed 's/^ //; s/ $//')
	[ -n "$usage" ]
	run_split echo "$man"
	expect 0 "$usage" ""
}

@test "every option in the usage of ps-screen is described in OPTIONS" {
	local o missing=
	for o in $(ps-screen -h | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
		grep -qE "^\.It .*Fl Fl ${o#--}( |\$)" "$PAGE" ||
		    missing="$missing $o"
	done
	grep -q '^\.It Fl n , Fl Fl dry-run$' "$PAGE" || missing="$missing -n"
	grep -q '^\.It Fl C Ar DIR$' "$PAGE" || missing="$missing -C"
	run_split echo "not in OPTIONS:$missing"
	expect 0 "not in OPTIONS:" ""
}

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
