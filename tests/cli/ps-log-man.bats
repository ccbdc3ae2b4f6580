#!/usr/bin/env bats
# ps-log(1): the EXAMPLES run as the page shows them (man-pages.bats
# reads its SYNOPSIS and OPTIONS against the usage).
load helpers
load man-page

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PAGE=$TOP/man/ps-log.1
MF=$BATS_TEST_DIRNAME/../fixtures/match
export PS_NOW=2026-11-22T15:00:00Z

# The store the EXAMPLES describe, at ~/peer-support: the matching
# fixtures under the default programme, proposals committed, the
# Extended match of P-B00001 with V-A00001 accepted; P-B00005's OneCall
# callback open, owed by V-A00002, the facilitator of G-A00001; the
# texts the page logs in ~/call.txt and ~/goal.txt. The
# page's IDs for them are paired with the store's before the run
# (man-page.bash pairs the contact IDs as they are shown).
examples_store() {
	local s=$HOME/peer-support m cb
	ps-init "$s" >/dev/null
	mkdir -p "$s/participants" "$s/volunteers" "$s/groups"
	cp "$MF"/P-*.yaml "$s/participants/"
	cp "$MF"/V-*.yaml "$s/volunteers/"
	cp "$MF"/G-*.yaml "$s/groups/"
	git -C "$s" add -A
	git -C "$s" -c user.name=T -c user.email=t@example.org \
	    commit -q --no-verify -m fixtures
	(cd "$s" && ps-match --commit >/dev/null 2>&1)
	m=$(cd "$s" && grep -l 'participant: P-B00001' matches/*.yaml)
	cb=$(cd "$s" && grep -l 'participant: P-B00005' matches/*.yaml)
	m=$(basename "$m" .yaml)
	cb=$(basename "$cb" .yaml)
	(cd "$s" && ps-match --accept "$m" >/dev/null)
	cp "$TOP/examples/ms-society/notes/call.txt" \
	    "$TOP/examples/ms-society/notes/goal.txt" "$HOME/"
	grep -qx 'status: callback-open' "$s/matches/$cb.yaml"
	real_id=([M-8D1Q4R]=$m [M-4RT2QW]=$cb [P-7K3Q2X]=P-B00001
	    [P-5JX8QB]=P-B00005 [V-3K2J9X]=V-A00001 [V-9DR2JM]=V-A00002
	    [G-3TK7WQ]=G-A00001)
}

@test "the EXAMPLES of ps-log(1) run as shown" {
	export PS_AUTHOR="A. Carey <acarey@example.org>"
	examples_store
	run_man_examples "$PAGE" 20
	# what the examples stored is a clean store
	run_split ps-check -C "$HOME/peer-support"
	[ "$status" = 0 ]
	[ -z "$(git -C "$HOME/peer-support" status --porcelain)" ]
	git -C "$HOME/peer-support" fsck --strict 2>/dev/null
}
