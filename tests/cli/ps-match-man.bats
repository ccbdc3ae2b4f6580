#!/usr/bin/env bats
# ps-match(1): the EXAMPLES run as the page shows them (man-pages.bats
# reads its SYNOPSIS and OPTIONS against the usage).
load helpers
load man-page
TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PAGE=$TOP/man/ps-match.1
export PS_NOW=2026-11-22T15:00:00Z

@test "the EXAMPLES of ps-match(1) run as shown" {
	export PS_AUTHOR="A. Carey <acarey@example.org>"
	cd "$TOP"
	run_man_examples "$PAGE" 20
	run_split ps-check -C "$HOME/peer-support"
	[ "$status" = 0 ]
	[ -z "$(git -C "$HOME/peer-support" status --porcelain)" ]
	git -C "$HOME/peer-support" fsck --strict 2>/dev/null
}
