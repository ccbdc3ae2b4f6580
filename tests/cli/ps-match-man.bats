#!/usr/bin/env bats
# ps-match(1): the SYNOPSIS is the usage, every option is described, and
# the EXAMPLES run as the page shows them.
load helpers
load man-examples
TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PAGE=$TOP/man/ps-match.1
export PS_NOW=2026-11-22T15:00:00Z

@test "the SYNOPSIS of ps-match(1) is the usage of ps-match" {
	local synopsis usage
	synopsis=$(mandoc -Tascii -O width=200 "$PAGE" |
	    sed 's/.\x08//g' | sed -n '/^SYNOPSIS$/,/^DESCRIPTION$/p' |
	    sed '1d;$d' | grep -vx ' *ps-match -h | --help | --version' |
	    tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
	usage=$(ps-match -h | sed 's/^usage: //' | tr -s ' \n' ' ' |
	    sed 's/^ //; s/ $//')
	[ -n "$usage" ]
	if [ "$synopsis" != "$usage" ]; then
		printf 'man:   %s\nusage: %s\n' "$synopsis" "$usage"
		return 1
	fi
}

@test "every option in the usage of ps-match is described in OPTIONS" {
	local o missing=
	for o in $(ps-match -h | grep -oE -- '--[a-z][a-z-]*' | sort -u); do
		grep -qE "^\.It .*Fl Fl ${o#--}( |$)" "$PAGE" ||
		    missing="$missing $o"
	done
	grep -q '^\.It Fl n , Fl Fl dry-run$' "$PAGE" || missing="$missing -n"
	if [ -n "$missing" ]; then
		echo "not in OPTIONS:$missing"
		return 1
	fi
}

@test "the EXAMPLES of ps-match(1) run as shown" {
	export PS_AUTHOR="A. Carey <acarey@example.org>"
	cd "$TOP"
	run_man_examples "$PAGE" 20
	run_split ps-check -C "$HOME/peer-support"
	[ "$status" = 0 ]
	[ -z "$(git -C "$HOME/peer-support" status --porcelain)" ]
	git -C "$HOME/peer-support" fsck --strict 2>/dev/null
}
