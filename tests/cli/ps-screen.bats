#!/usr/bin/env bats
# ps-screen: screening and onboarding steps, decisions, service, lists.
load helpers

A=$BATS_TEST_DIRNAME/../fixtures/apply
export PS_NOW=2026-11-22T15:00:00Z

# A store with one new participant ($P) and one new volunteer ($V).
applicants() {
	new_store
	ps-apply -C s "$A/two.yaml" >apps.yaml
	V=$(sed -n 's/^id: \(V-.*\)/\1/p' apps.yaml)
	P=$(sed -n 's/^id: \(P-.*\)/\1/p' apps.yaml)
	cd s
}

step() {
	ps-screen "$V" --step "$@" >/dev/null
}

# Every step the MS programme asks of a volunteer, passed.
screened() {
	step application --result pass
	step interview --result pass --by "A. Carey"
	step references --result pass --referee 1
	step references --result pass --referee 2
	step background-check --result pass --date 2026-11-02
	step pledge --result pass
	step training --result pass --modules program-orientation,active-listening,boundaries-and-confidentiality,referrals-and-crisis
}

@test "a volunteer's whole journey: applied, screened, accepted, active" {
	applicants
	screened
	run_split ps-screen "$V" --decide accept --by "A. Carey" --reason - <<<"good fit"
	[ "$status" = 0 ]
	[ -z "$err" ]
	grep -qx 'status: active' "volunteers/$V.yaml"
	grep -qx 'capacity: 2' "volunteers/$V.yaml"
	grep -qx '  until: 2027-11-22' "volunteers/$V.yaml"
	grep -qx '      expires: 2029-11-01' "volunteers/$V.yaml"
	[ "$(git log -1 --format=%s)" = "ps-screen: accept $V" ]
	[ "$(git log --format=%s | grep -c '^ps-screen: ')" = 8 ]
	git log --format=%B | grep -qx 'Ps-Tool: ps-screen'
	[[ "$(git log --format=%B)" != *"good fit"* ]]
	run_split ps-check
	expect 0 "2 records checked, 0 problems" ""
	[ -z "$(git status --porcelain)" ]
}

@test "accepting before every step has passed is refused, listing what is missing" {
	applicants
	step application --result pass
	step interview --result pass
	step references --result pass --referee 1
	h=$(head_of .)
	run_split ps-screen "$V" --decide accept
	expect 1 "" "ps-screen: $V: cannot accept: still missing: references (1 of 2), background-check, pledge, training"
	[ "$(head_of .)" = "$h" ]
}

@test "a step before its prerequisites is refused, naming the missing step" {
	applicants
	h=$(head_of .)
	run_split ps-screen "$V" --step interview --result pass
	expect 1 "" "ps-screen: $V: step \"interview\" needs application passed first"
	[ "$(head_of .)" = "$h" ]
	# pending (scheduling) is allowed before the prerequisites
	run_split ps-screen "$V" --step interview --result pending
	[ "$status" = 0 ]
}

@test "a dry run needs no author: it makes no commit" {
	applicants
	h=$(head_of .)
	run_split env -u PS_AUTHOR ps-screen -n "$V" --step application --result pass
	[ "$status" = 0 ]
	[ -z "$err" ]
	printf '%s\n' "$out" | grep -qx 'status: screening'
	[ "$(head_of .)" = "$h" ]
	[ -z "$(git status --porcelain)" ]
}

@test "a failed reference does not count; a failed interview ends screening; decline records the reason" {
	applicants
	step application --result pass
	step interview --result pass
	step references --result fail --referee 2 --note "CANARY-concerns"
	step references --result pass --referee 1
	run_split ps-screen "$V" --decide accept
	expect 1 "" "ps-screen: $V: cannot accept: still missing: references (1 of 2), background-check, pledge, training"
	ps-apply --as volunteer --stream extended >more.yaml <<'YAML'
role: caregiver
name: {first: Bo, last: Chan}
contact: {email: bo@example.org}
languages: [en]
consents: [{type: privacy, version: "2026-01", date: 2026-11-20, given: true},
  {type: pledge, version: "2026-01", date: 2026-11-20, given: true}]
YAML
	V=$(sed -n 's/^id: \(V-.*\)/\1/p' more.yaml)
	step application --result pass
	step interview --result fail --note "CANARY-concerns"
	run_split ps-screen "$V" --step interview --result pass
	expect 1 "" "ps-screen: $V: screening ended: step \"interview\" failed and may not be repeated"
	run_split ps-screen "$V" --decide accept
	expect 1 "" "ps-screen: $V: cannot accept: step \"interview\" failed"
	run_split ps-screen "$V" --decide decline --reason "CANARY-reference"
	[ "$status" = 0 ]
	grep -qx 'status: declined' "volunteers/$V.yaml"
	[[ "$(git log --format=%B)" != *CANARY* ]]
}

@test "training hours and modules roll up; passing early is refused" {
	applicants
	h=$(head_of .)
	run_split ps-screen "$V" --step application --result pass --hours 3
	expect 1 "" "ps-screen: $V: step \"application\" counts no hours"
	run_split ps-screen "$V" --step application --result pass --modules active-listening
	expect 1 "" "ps-screen: $V: step \"application\" has no modules"
	[ "$(head_of .)" = "$h" ]
	step application --result pass
	step interview --result pass
	step references --result pass --referee 1
	step references --result pass --referee 2
	step background-check --result pass
	step pledge --result pass
	step training --result pending --modules program-orientation
	run_split ps-screen "$V" --step training --result pass --modules active-listening
	expect 1 "" "ps-screen: $V: cannot pass: modules not done: boundaries-and-confidentiality, referrals-and-crisis"
	run_split ps-screen "$V" --step training --result pass --modules yoga
	expect 1 "" "ps-screen: $V: step has no module \"yoga\""
}

@test "an expired background check blocks acceptance and shows in --expiring" {
	applicants
	step application --result pass --date 2023-01-05
	step interview --result pass --date 2023-01-10
	step references --result pass --referee 1
	step references --result pass --referee 2
	step background-check --result pass --date 2023-01-20
	step pledge --result pass
	step training --result pass --date 2023-02-01 --modules program-orientation,active-listening,boundaries-and-confidentiality,referrals-and-crisis
	run_split ps-screen "$V" --decide accept
	expect 1 "" "ps-screen: $V: cannot accept: still missing: background-check expired 2026-01-19"
	# a renewal passes it again
	step background-check --result pass --date 2026-11-20
	run_split ps-screen "$V" --decide accept
	[ "$status" = 0 ]
	run_split ps-screen --expiring 1100 --table
	expect 0 "ID        STEP                      EXPIRES
$V  background-check          2029-11-19" ""
	run_split ps-screen --expiring 30 --table
	expect 0 "ID        STEP                      EXPIRES" ""
}

@test "participant onboarding: the call done, the participant waits for a match" {
	applicants
	run_split ps-screen "$P" --step onboarding-call --result pass --by "A. Carey"
	[ "$status" = 0 ]
	grep -qx 'status: waiting' "participants/$P.yaml"
	run_split ps-screen "$P" --step interview --result pass
	expect 1 "" "ps-screen: $P: the programme has no onboarding step \"interview\" (it has: onboarding-call)"
}

@test "several IDs, or IDs on stdin, take the same step in one commit" {
	applicants
	ps-apply --as volunteer --stream extended >more.yaml <<'YAML'
role: caregiver
name: {first: Bo, last: Chan}
contact: {email: bo@example.org}
languages: [en]
consents: [{type: privacy, version: "2026-01", date: 2026-11-20, given: true},
  {type: pledge, version: "2026-01", date: 2026-11-20, given: true}]
YAML
	W=$(sed -n 's/^id: \(V-.*\)/\1/p' more.yaml)
	n=$(git rev-list --count HEAD)
	run_split ps-screen --step application --result pass "$V" "$W"
	[ "$status" = 0 ]
	[ "$(git log -1 --format=%s)" = "ps-screen: application pass for 2 records" ]
	printf '%s\n%s\n' "$V" "$W" >ids
	run_split ps-screen --step interview --result pass <ids
	[ "$status" = 0 ]
	ps-apply --list --kind volunteer --yaml | ps-screen --step references --result pass --referee 1 >/dev/null
	[ "$(git rev-list --count HEAD)" = $((n + 3)) ]
	[ "$(grep -c 'referee: 1' "volunteers/$W.yaml")" = 1 ]
}

@test "a batch is all or nothing" {
	applicants
	h=$(head_of .)
	run_split ps-screen --step application --result pass "$V" "$P" V-0000AA
	expect 1 "" "ps-screen: $P: the programme has no onboarding step \"application\" (it has: onboarding-call)
ps-screen: V-0000AA: no such record"
	[ "$(head_of .)" = "$h" ]
}

@test "leave, return and retire; open matches must be handled first" {
	new_store
	fill_store
	cd s
	run_split ps-screen V-3K2J9X --retire
	expect 1 "" "ps-screen: V-3K2J9X: has open matches: M-2VX7GH, M-8D1Q4R; end or reassign them first (ps-match)"
	run_split ps-screen V-6DQ2KZ --leave --until 2027-01-31 --reason "surgery"
	[ "$status" = 0 ]
	grep -qx 'status: on-leave' volunteers/V-6DQ2KZ.yaml
	run_split ps-screen V-6DQ2KZ --return
	[ "$status" = 0 ]
	grep -qx '    to: 2026-11-22' volunteers/V-6DQ2KZ.yaml
	run_split ps-screen V-6DQ2KZ --retire
	[ "$status" = 0 ]
	grep -qx 'status: retired' volunteers/V-6DQ2KZ.yaml
	run_split ps-check
	expect 0 "24 records checked, 0 problems" ""
}

@test "pending and overdue lists" {
	applicants
	step application --result pass
	run_split ps-screen --pending --table
	expect 0 "ID        STEP                      DAYS WAITING
$V  interview                 0
$P  onboarding-call           0" ""
	run_split ps-screen --overdue --table
	expect 0 "ID        STEP                      DAYS WAITING" ""
	# ten days on: the onboarding call (7 days expected) is overdue,
	# the interview (14 days) not yet
	export PS_NOW=2026-12-02T15:00:00Z
	run_split ps-screen --pending interview --table
	expect 0 "ID        STEP                      DAYS WAITING
$V  interview                 10" ""
	run_split ps-screen --overdue --table
	expect 0 "ID        STEP                      DAYS WAITING
$P  onboarding-call           10" ""
	run_split ps-screen --overdue
	[ "$(printf '%s\n' "$out" | grep -c '^kind: participant$')" = 1 ]
}

@test "refusals: unknown ID, wrong kind, bad or future date, bad options" {
	applicants
	fill_store_here() { :; }
	h=$(head_of .)
	run_split ps-screen V-0000AA --step interview --result pass
	expect 1 "" "ps-screen: V-0000AA: no such record"
	run_split ps-screen "$V" --step application --result pass --date 2026-13-01
	expect 2 "" "ps-screen: --date: not a real date (YYYY-MM-DD)"
	run_split ps-screen "$V" --step application --result pass --date 2026-12-01
	expect 1 "" "ps-screen: --date: is in the future"
	run_split ps-screen "$V" --step application --result maybe
	[ "$status" = 2 ]
	[[ "$err" == "ps-screen: --step needs --result pass, fail, pending or waived"* ]]
	run_split ps-screen "$V" --step references --result pass
	expect 1 "" "ps-screen: $V: step \"references\" needs interview passed first"
	run_split ps-screen not-an-id --step application --result pass
	expect 1 "" "ps-screen: not-an-id: not a record ID (like P-7K3Q2X)"
	[ "$(head_of .)" = "$h" ]
}

# Three volunteers in screening: $V, $W, $X.
three() {
	applicants
	for n in Bo Cy; do
		ps-apply --as volunteer --stream extended <<YAML
role: caregiver
name: {first: $n}
contact: {email: $n@example.org}
languages: [en]
consents: [{type: privacy, version: "2026-01", date: 2026-11-20, given: true},
  {type: pledge, version: "2026-01", date: 2026-11-20, given: true}]
YAML
	done >more.yaml
	W=$(sed -n 's/^id: \(V-.*\)/\1/p' more.yaml | head -1)
	X=$(sed -n 's/^id: \(V-.*\)/\1/p' more.yaml | tail -1)
}

@test "training cohorts: seats, a waiting list in order, attendance for the whole cohort" {
	three
	run_split ps-screen --cohort 2027-winter --seats 2 --starts 2027-01-11
	expect 0 "" ""
	[ "$(git log -1 --format=%s)" = "ps-screen: cohort 2027-winter (2 seats, starts 2027-01-11)" ]
	grep -qx '      seats: 2' program.yaml
	printf '%s\n' "$V" "$W" "$X" | ps-screen --cohort 2027-winter >/dev/null
	[ "$(git log -1 --format=%s)" = "ps-screen: enrol 3 records in cohort 2027-winter" ]
	run_split ps-screen --cohorts --table
	expect 0 "COHORT                STARTS      SEATS  TAKEN  WAITING
2027-winter           2027-01-11      2      2        1" ""
	run_split ps-screen --cohorts
	expect 0 "---
cohort: \"2027-winter\"
starts: 2027-01-11
seats: 2
seated:
$(printf '  - %s\n' "$V" "$W" | sort)
waiting:
  - $X" ""
	# the whole cohort attends a session: the seated two, not the waiting one
	for id in "$V" "$W" "$X"; do ps-screen "$id" --step application --result pass >/dev/null; done
	printf "%s\n" "$V" "$W" "$X" | ps-screen --step interview --result pass >/dev/null
	for id in "$V" "$W" "$X"; do
		for r in 1 2; do ps-screen "$id" --step references --result pass --referee $r >/dev/null; done
		ps-screen "$id" --step background-check --result pass >/dev/null
		ps-screen "$id" --step pledge --result pass >/dev/null
	done
	run_split ps-screen --cohort 2027-winter --step training --result pending --modules program-orientation
	[ "$status" = 0 ]
	[ "$(git log -1 --format=%s)" = "ps-screen: training pending for 2 records" ]
	grep -qx '      cohort: "2027-winter"' "volunteers/$V.yaml"
	! grep -q 'program-orientation' "volunteers/$X.yaml" || false
	# a third seat goes to the first on the waiting list
	run_split ps-screen --cohort 2027-winter --seats 3
	[ "$status" = 0 ]
	[ "$(git log -1 --format=%s)" = "ps-screen: cohort 2027-winter (3 seats, starts 2027-01-11); 1 from the waiting list" ]
	grep -qx '  cohort: "2027-winter"' "volunteers/$X.yaml"
	! grep -q 'waitlist' "volunteers/$X.yaml" || false
	run_split ps-check
	expect 0 "4 records checked, 0 problems" ""
}

@test "training cohorts: refusals change nothing" {
	three
	h=$(head_of .)
	run_split ps-screen --cohort 2027-winter --seats 2
	expect 1 "" "ps-screen: cohort \"2027-winter\": a new cohort needs --seats and --starts"
	run_split ps-screen --cohort 2027-winter "$V"
	expect 1 "" "ps-screen: no cohort \"2027-winter\" (define it with --cohort NAME --seats N --starts DATE)"
	run_split ps-screen --cohort "bad name" --seats 2 --starts 2027-01-11
	expect 1 "" "ps-screen: program.yaml: volunteers.cohorts.0.name: does not have the expected form (^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$)"
	run_split ps-screen --seats 2
	[ "$status" = 2 ]
	[[ "$err" == "ps-screen: --seats and --starts need --cohort NAME"* ]]
	run_split ps-screen --cohort 2027-winter --seats 0 --starts 2027-01-11
	[ "$status" = 2 ]
	run_split ps-screen --cohort 2027-winter --seats 1 --starts 2027-13-11
	expect 2 "" "ps-screen: --starts: not a real date (YYYY-MM-DD)"
	[ "$(head_of .)" = "$h" ]
	ps-screen --cohort 2027-winter --seats 1 --starts 2027-01-11 >/dev/null
	ps-screen --cohort 2027-winter "$V" "$W" >/dev/null
	h=$(head_of .)
	run_split ps-screen --cohort 2027-winter "$V" "$W" "$P"
	expect 1 "" "ps-screen: $V: already has a seat in cohort \"2027-winter\"
ps-screen: $W: already on the waiting list of cohort \"2027-winter\"
ps-screen: $P: only volunteers are enrolled in a training cohort"
	run_split ps-screen --cohort 2027-winter --seats 1
	[ "$status" = 0 ]
	ps-screen --cohort 2027-winter --seats 2 >/dev/null
	h=$(head_of .)
	run_split ps-screen --cohort 2027-winter --seats 1
	expect 1 "" "ps-screen: cohort \"2027-winter\": 2 seats are taken; cannot cut to 1"
	[ "$(head_of .)" = "$h" ]
}
