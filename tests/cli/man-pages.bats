#!/usr/bin/env bats
# The page of every tool in cmd/, man/TOOL.1, against the tool: its
# SYNOPSIS is the usage, and every option of the usage is described in
# OPTIONS. What one page alone shows (its EXAMPLES) is in TOOL-man.bats.
load helpers
load man-page

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# tools: the tools of cmd/ that have a page, one a line.
tools() {
	local c t
	for c in "$TOP"/cmd/ps-*.c; do
		t=$(basename "$c" .c)
		[ ! -f "$TOP/man/$t.1" ] || printf '%s\n' "$t"
	done
}

# each CHECK: run CHECK for every tool with a page, saying which fail.
each() {
	local t fail=
	[ -n "$(tools)" ]
	for t in $(tools); do
		"$1" "$t" >"$T/.check" && continue
		sed "s/^/$t: /" "$T/.check"
		fail="$fail $t"
	done
	[ -z "$fail" ] || { echo "failed:$fail"; return 1; }
}

@test "the SYNOPSIS of each tool's page is its usage" {
	each synopsis_is_usage
}

@test "every option in the usage of each tool is described in its page's OPTIONS" {
	each options_are_described
}
