#!/usr/bin/env bats
# examples/: every sample application is taken in by a store made from its
# programme (ps-apply-man.bats runs the EXAMPLES of ps-apply(1), which use
# the MS Society samples).
load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
export PS_NOW=2026-11-22T15:00:00Z

# samples PROG: the YAML and JSON applications of examples/PROG, one a line.
samples() {
	find "$TOP/examples/$1/applications" -type f \
	    \( -name '*.yaml' ! -name form-map.yaml -o -name '*.json' \) | sort
}

# records KIND: how many records of KIND (participants, volunteers) are in s.
records() {
	find "s/$1" -name '*.yaml' 2>/dev/null | wc -l | tr -d ' '
}

# take_in PROG SUBJECT: a store s from examples/PROG/program.yaml; each
# sample checked alone (-n), then all taken in at once, in one commit.
take_in() {
	local f
	local -a files
	ps-init --program "$TOP/examples/$1/program.yaml" s >/dev/null
	mapfile -t files < <(samples "$1")
	[ "${#files[@]}" -ge 2 ]
	for f in "${files[@]}"; do
		run_split ps-apply -C s -n "$f"
		[ "$status" = 0 ] || { echo "$f: $err"; return 1; }
		[ -z "$err" ]
	done
	run_split ps-apply -C s "${files[@]}"
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(printf '%s\n' "$out" | grep -c '^---$')" = "${#files[@]}" ]
	[ "$(git -C s log -1 --format=%s)" = "$2" ]
}

# A store must end clean: nothing left to commit, git fsck happy, private.
store_is_clean() {
	[ -z "$(git -C s status --porcelain)" ]
	git -C s fsck --strict 2>/dev/null
	find s -perm /077 >perms
	[ ! -s perms ]
}

@test "examples/ms-society: the applications and the web form's CSV export are taken in" {
	A=$TOP/examples/ms-society/applications
	take_in ms-society "ps-apply: 7 applications (3 participants, 4 volunteers)"
	run_split ps-apply -C s --csv --map "$A/form-map.yaml" "$A/applications.csv"
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 4 applications (participants)" ]
	# quoted commas, doubled quotes and a line break come through as typed
	printf '%s\n' "$out" | grep -qx '  best_times: Mornings, before 10'
	printf '%s\n' "$out" | grep -qx '  best_times: Evenings, "after the kids are in bed"'
	printf '%s\n' "$out" | grep -qx 'context: "My wife was diagnosed last year.\\nWe live far from a clinic, and I don'\''t know anyone else in the same situation."'
	# the form's wording mapped, the cells split, the consent box ticked
	[ "$(printf '%s\n' "$out" | grep -c '^region: ')" = 4 ]
	printf '%s\n' "$out" | grep -qx 'region: NB'
	printf '%s\n' "$out" | grep -qx 'role: caregiver'
	printf '%s\n' "$out" | grep -qx '  email: taylor.testcase@example.org'
	[ "$(printf '%s\n' "$out" | grep -c '^  - type: privacy$')" = 4 ]
	[ "$(records participants)" = 7 ]
	[ "$(records volunteers)" = 4 ]
	[ "$(git -C s rev-list --count HEAD)" = 3 ]
	run_split ps-check -C s
	expect 0 "11 records checked, 0 problems" ""
	store_is_clean
}

@test "examples/caregiver: registrations for a mentor and a group, the form's CSV export and Peer Mentors are taken in" {
	A=$TOP/examples/caregiver/applications
	take_in caregiver "ps-apply: 6 applications (2 participants, 4 volunteers)"
	run_split ps-apply -C s --csv --map "$A/form-map.yaml" "$A/registrations.csv"
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 3 applications (participants)" ]
	# the form's choice of stream, and its wording, mapped
	[ "$(printf '%s\n' "$out" | grep -c '^stream: mentor$')" = 2 ]
	[ "$(printf '%s\n' "$out" | grep -c '^stream: groups$')" = 1 ]
	[ "$(printf '%s\n' "$out" | grep -c '^role: caregiver$')" = 3 ]
	printf '%s\n' "$out" | grep -qx '  - spouse-or-partner'
	[ "$(records participants)" = 5 ]
	[ "$(records volunteers)" = 4 ]
	# every one signed the pledge the programme requires
	[ "$(grep -l '^  - type: pledge$' s/participants/*.yaml s/volunteers/*.yaml | wc -l)" = 9 ]
	run_split ps-check -C s
	expect 0 "9 records checked, 0 problems" ""
	store_is_clean
}

@test "examples/mental-health: referrals (YAML, JSON, the referral form's CSV export) and peer supporters are taken in" {
	A=$TOP/examples/mental-health/applications
	take_in mental-health "ps-apply: 6 applications (2 participants, 4 volunteers)"
	run_split ps-apply -C s --csv --map "$A/form-map.yaml" "$A/referrals.csv"
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 3 applications (participants)" ]
	# host organisation and funder for the reports; consent to share only
	# where the box was ticked
	[ "$(printf '%s\n' "$out" | grep -c '^host_organisation: Example ')" = 3 ]
	[ "$(printf '%s\n' "$out" | grep -c '^funder: Example ')" = 3 ]
	[ "$(printf '%s\n' "$out" | grep -c '^  - type: data-sharing$')" = 2 ]
	[ "$(records participants)" = 5 ]
	[ "$(records volunteers)" = 4 ]
	run_split ps-check -C s
	expect 0 "9 records checked, 0 problems" ""
	store_is_clean
}
