#!/usr/bin/env bats
# ps-apply(1): the EXAMPLES, which take in the samples of
# examples/ms-society, run as the page shows them (man-pages.bats reads
# its SYNOPSIS and OPTIONS against the usage).
load helpers
load man-page

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
export PS_NOW=2026-11-22T15:00:00Z

@test "the EXAMPLES of ps-apply(1) run as shown" {
	cd "$TOP"
	run_man_examples "$TOP/man/ps-apply.1" 10
}
