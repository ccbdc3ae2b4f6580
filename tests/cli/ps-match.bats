#!/usr/bin/env bats
# ps-match: proposals, explanations, gaps, choice, brief, lifecycle, OneCall.
load helpers

MF=$BATS_TEST_DIRNAME/../fixtures/match
export PS_NOW=2026-11-22T15:00:00Z

# The MS-style programme with four volunteers (one on leave) and five
# participants waiting: four for extended support, one OneCall request.
match_store() {
	new_store
	mkdir -p s/participants s/volunteers
	cp "$MF"/P-*.yaml s/participants/
	cp "$MF"/V-*.yaml s/volunteers/
	git_commit_all "fixtures"
	cd s
}

# The match ID proposed for participant $1 in table output $2.
mid() {
	printf '%s\n' "$2" | awk -v p="$1" '$2 == p { print $1 }'
}

# Replace match IDs by placeholders so outputs compare exactly.
anon() {
	sed -E 's/M-[0-9A-HJKMNP-TV-Z]{6}/M-xxxxxx/g'
}

@test "proposals: the optimum, with a reason for whoever is left out; nothing written" {
	match_store
	h=$(head_of .)
	run_split ps-match --table
	out=$(printf '%s\n' "$out" | anon)
	expect 0 "MATCH     PARTICIPANT  VOLUNTEER  STREAM        SCORE
M-xxxxxx  P-B00001     V-A00001   extended      14
M-xxxxxx  P-B00002     V-A00002   extended      12.429
M-xxxxxx  P-B00003     V-A00003   extended      11.857
M-xxxxxx  P-B00005     V-A00002   onecall       10.143" "ps-match: warning: P-B00004: not matched: no free extended volunteer speaks their language (es)"
	[ "$(head_of .)" = "$h" ]
	[ -z "$(git status --porcelain)" ]
}

@test "the same store always gives the same proposals, IDs included" {
	match_store
	ps-match >one.yaml 2>/dev/null
	ps-match >two.yaml 2>/dev/null
	diff -u one.yaml two.yaml
	[ "$(grep -c '^kind: match$' one.yaml)" = 4 ]
	rm one.yaml two.yaml
}

@test "each proposal explains its score in plain words, with the programme's commit" {
	match_store
	ps-match P-B00001 >p.yaml 2>/dev/null
	sed -n '/^breakdown:/,/^program_commit:/p' p.yaml | sed '$d' >got
	cat >want <<'YAML'
breakdown:
  - criterion: eligible
    points: 1
    held: true
    reason: meets every hard constraint
  - criterion: role
    points: 3
    held: true
    reason: has the lived-experience role asked for
  - criterion: condition
    points: 1
    held: true
    reason: has lived with the condition at least as long
  - criterion: topics
    points: 2
    held: true
    reason: "2 of 2 topics in common"
  - criterion: region
    points: 1
    held: true
    reason: same province or territory
  - criterion: timezone
    points: 1
    held: true
    reason: same time zone
  - criterion: availability
    points: 2
    held: true
    reason: "2 of 2 times available in common"
  - criterion: waiting
    points: 3
    held: true
    reason: waited 7 weeks
YAML
	diff -u want got
	# quoted or not, as the hexadecimal digits fall
	grep -Eqx "program_commit: \"?$(git rev-parse HEAD)\"?" p.yaml
	grep -qx 'score: 14' p.yaml
	grep -qx 'chosen_by: coordinator' p.yaml
	grep -qx 'weights_source: program.yaml' p.yaml
	! grep -q CANARY p.yaml || false
}

@test "--commit stores the proposals in one commit; the next run proposes nobody twice" {
	match_store
	n=$(git rev-list --count HEAD)
	run_split ps-match --commit --table
	[ "$status" = 0 ]
	[ "$(git rev-list --count HEAD)" = $((n + 1)) ]
	[ "$(git log -1 --format=%s)" = "ps-match: propose 3 matches, assign 1 callback" ]
	[ "$(git show --name-only --format= HEAD | grep -c '^matches/M-')" = 4 ]
	git log -1 --format=%B | grep -qx 'Ps-Tool: ps-match'
	run_split ps-check
	expect 0 "13 records checked, 0 problems" ""
	run_split ps-match --table
	expect 0 "MATCH     PARTICIPANT  VOLUNTEER  STREAM        SCORE" "ps-match: warning: P-B00004: not matched: no free volunteer serves the extended stream"
	[ -z "$(git status --porcelain)" ]
	git fsck --strict 2>&1 | grep -v '^Checking' | (! grep .)
}

@test "a filtered stream of proposals stores exactly those, checked again" {
	match_store
	ps-match 2>/dev/null >all.yaml
	awk 'BEGIN { RS = "---\n" } /participant: P-B00002/ { printf "---\n%s", $0 }' all.yaml >one.yaml
	m=$(sed -n 's/^id: //p' one.yaml)
	run_split ps-match --commit <one.yaml
	[ "$status" = 0 ]
	[ "$(git log -1 --format=%s)" = "ps-match: store 1 proposal" ]
	[ -f "matches/$m.yaml" ]
	[ "$(ls matches | wc -l)" = 1 ]
	# the same stream again: already stored, and the participant is taken
	h=$(head_of .)
	run_split ps-match --commit <one.yaml
	expect 1 "" "ps-match: stdin:3:5: id: already stored"
	# a stale proposal: its volunteer went on leave since
	awk 'BEGIN { RS = "---\n" } /participant: P-B00003/ { printf "---\n%s", $0 }' all.yaml >stale.yaml
	ps-screen V-A00003 --leave --reason "CANARY-leave" >/dev/null
	h=$(head_of .)
	run_split ps-match --commit <stale.yaml
	expect 1 "" "ps-match: stdin:$(grep -n '^volunteer:' stale.yaml | cut -d: -f1):12: volunteer: not active or has no capacity left"
	[ "$(head_of .)" = "$h" ]
	rm all.yaml one.yaml stale.yaml
}

@test "--gaps sums up why participants are left unmatched" {
	match_store
	run_split ps-match --gaps --table
	expect 0 "PARTICIPANTS  REASON
           1  no free extended volunteer speaks their language (es)" ""
	run_split ps-match --gaps
	expect 0 "---
participants: 1
reason: \"no free extended volunteer speaks their language (es)\"" ""
}

@test "--weights computes other proposals without changing the programme" {
	match_store
	# eligible 1, topics 1 a share, 2 a point of waiting, 1 point a week:
	# P-B00001 waited 52 days: 1 + 1 + 2 * 52 / 7 = 16.857
	cat >w.yaml <<'YAML'
hard: [language, mode, not-declined, not-excluded]
weights: {role: 0, topics: 1, waiting: 2}
waiting_points_per_week: 1
max_waiting_points: 10
YAML
	h=$(head_of .)
	run_split ps-match --weights w.yaml --table
	out=$(printf '%s\n' "$out" | anon)
	expect 0 "MATCH     PARTICIPANT  VOLUNTEER  STREAM        SCORE
M-xxxxxx  P-B00001     V-A00001   extended      16.857
M-xxxxxx  P-B00002     V-A00002   extended      7.714
M-xxxxxx  P-B00003     V-A00003   extended      5.429
M-xxxxxx  P-B00005     V-A00002   onecall       2.571" "ps-match: warning: P-B00004: not matched: no free extended volunteer speaks their language (es)"
	ps-match --weights w.yaml P-B00001 2>/dev/null | grep -qx 'weights_source: w.yaml'
	[ "$(head_of .)" = "$h" ]
	echo 'weights: {role: -1}' >bad.yaml
	run_split ps-match --weights bad.yaml
	expect 1 "" "ps-match: bad.yaml:1:17: matching.weights.role: must be at least 0"
	rm w.yaml bad.yaml
}

@test "candidates show a participant only the public profile; the choice is stored" {
	match_store
	run_split ps-match --candidates 2 P-B00002
	expect 0 "---
volunteer: V-A00002
score: 11.429
first_name: Ben
experience_summary: Living with it for years.
languages:
  - en
  - fr
bio: Happy to listen.
---
volunteer: V-A00001
score: 3.429
first_name: Ada
experience_summary: Living with it for years.
languages:
  - en
bio: Happy to listen." ""
	[[ "$out" != *CANARY* && "$out" != *@* && "$out" != *555* ]]
	run_split ps-match --candidates 2 P-B00002 --table
	expect 0 "VOLUNTEER  SCORE   FIRST NAME            LANGUAGES
V-A00002   11.429  Ben                   en, fr
V-A00001   3.429   Ada                   en" ""
	run_split ps-match P-B00002 --choose V-A00001
	[ "$status" = 0 ]
	m=$(printf '%s\n' "$out" | sed -n 's/^id: //p')
	[ "$(git log -1 --format=%s)" = "ps-match: choose $m (P-B00002 chose V-A00001)" ]
	grep -qx 'chosen_by: participant' "matches/$m.yaml"
	grep -qx 'status: proposed' "matches/$m.yaml"
}

@test "choice refusals: no capacity, a pair the rules forbid, a participant not waiting" {
	match_store
	ps-match --commit >/dev/null 2>&1
	h=$(head_of .)
	run_split ps-match P-B00004 --choose V-A00001
	expect 1 "" "ps-match: V-A00001: not an active volunteer with capacity left"
	run_split ps-match P-B00004 --choose V-A00004
	expect 1 "" "ps-match: V-A00004: not an active volunteer with capacity left"
	run_split ps-match P-B00001 --choose V-A00001
	expect 1 "" "ps-match: P-B00001: not waiting for a match (has an open match)"
	run_split ps-match --candidates 3 V-A00001
	expect 1 "" "ps-match: V-A00001: not a participant"
	run_split ps-match --candidates 3 P-000000
	expect 1 "" "ps-match: P-000000: no such record"
	[ "$(head_of .)" = "$h" ]
}

@test "the brief shows the volunteer only what the programme allows" {
	match_store
	ps-match --commit >/dev/null 2>&1
	m=$(grep -l 'participant: P-B00001' matches/*.yaml | xargs basename | sed 's/\.yaml$//')
	run_split ps-match --brief "$m"
	expect 0 "Introduction for V-A00001: match $m, extended stream

Participant         P-B00001
First name          Eve
Phone               +1 613 555 0201
Role                living-with
In their own words  CANARY-Eve-context

The coordinator introduces you to each other first.
Peer support is not counselling and gives no medical advice." ""
	[[ "$out" != *surname* && "$out" != *health* && "$out" != *@* ]]
}

@test "accept, extend, end: the match and the participant stay consistent" {
	match_store
	ps-match --commit >/dev/null 2>&1
	m=$(grep -l 'participant: P-B00001' matches/*.yaml | xargs basename | sed 's/\.yaml$//')
	run_split ps-match --accept "$m" --by "A. Carey"
	[ "$status" = 0 ]
	[ "$(git log -1 --format=%s)" = "ps-match: accept $m (P-B00001 with V-A00001)" ]
	grep -qx 'status: active' "matches/$m.yaml"
	grep -qx 'planned_end: 2027-05-24' "matches/$m.yaml"
	grep -qx 'days_to_match: 52' "matches/$m.yaml"
	grep -qx 'status: matched' participants/P-B00001.yaml
	h=$(head_of .)
	run_split ps-match --accept "$m"
	expect 1 "" "ps-match: $m: not a proposal (status active)"
	[ "$(head_of .)" = "$h" ]
	ps-match --extend "$m" --by 4w >/dev/null
	grep -qx 'planned_end: 2027-06-21' "matches/$m.yaml"
	grep -qx '    by_days: 28' "matches/$m.yaml"
	ps-match --end "$m" --reason completed >/dev/null
	grep -qx 'status: ended' "matches/$m.yaml"
	grep -qx 'end_reason: completed' "matches/$m.yaml"
	grep -qx 'status: closed' participants/P-B00001.yaml
	run_split ps-match --extend "$m" --by 2w
	expect 1 "" "ps-match: $m: not active (status ended)"
	run_split ps-check
	expect 0 "13 records checked, 0 problems" ""
}

@test "a declined pair is never proposed again; the participant keeps their waiting time" {
	match_store
	ps-match --commit >/dev/null 2>&1
	m=$(grep -l 'participant: P-B00002' matches/*.yaml | xargs basename | sed 's/\.yaml$//')
	run_split ps-match --decline "$m" --by participant --reason "CANARY-why"
	[ "$status" = 0 ]
	grep -qx 'status: declined' "matches/$m.yaml"
	grep -qx 'status: waiting' participants/P-B00002.yaml
	[[ "$(git log --format=%B)" != *CANARY* ]]
	run_split ps-match --table P-B00002
	expect 0 "MATCH     PARTICIPANT  VOLUNTEER  STREAM        SCORE" "ps-match: warning: P-B00002: not matched: no free extended volunteer is left once declined pairs are set aside"
	run_split ps-match --candidates 3 P-B00002 --table
	expect 0 "VOLUNTEER  SCORE   FIRST NAME            LANGUAGES" "ps-match: warning: P-B00002: no suitable volunteer has capacity"
}

@test "OneCall: due in three business days, across a weekend and across holidays" {
	match_store
	m=$(ps-match --stream onecall --commit 2>/dev/null | sed -n 's/^id: //p')
	[ "$(git log -1 --format=%s)" = "ps-match: assign 1 callback" ]
	grep -qx 'status: callback-open' "matches/$m.yaml"
	# asked on Friday 20 November: Monday, Tuesday, Wednesday
	grep -qx '  due: 2026-11-25' "matches/$m.yaml"
	grep -qx '  requested: 2026-11-20T11:00:00-05:00' "matches/$m.yaml"
	run_split ps-match --overdue --table
	expect 0 "MATCH     PARTICIPANT  VOLUNTEER  DUE         DAYS LATE" ""
	PS_NOW=2026-11-27T15:00:00Z run_split ps-match --overdue --table
	expect 0 "MATCH     PARTICIPANT  VOLUNTEER  DUE         DAYS LATE
$m  P-B00005     V-A00002   2026-11-25  2" ""
	# asked on Thursday 24 December: the 25th and 28th are holidays
	sed -e 's/P-B00005/P-B00006/' -e 's/2026-11-20T11:00:00-05:00/2026-12-24T10:00:00-05:00/' \
	    -e 's/2026-11-20$/2026-12-24/' participants/P-B00005.yaml >participants/P-B00006.yaml
	git_commit_all "one more request"
	m=$(PS_NOW=2026-12-24T20:00:00Z ps-match --stream onecall --commit 2>/dev/null | sed -n 's/^id: //p')
	grep -qx '  due: 2026-12-31' "matches/$m.yaml"
}

@test "OneCall balances the load: the volunteer with the fewest recent callbacks first" {
	match_store
	for n in 7 8; do
		sed -e "s/P-B00005/P-B0000$n/" -e 's/languages:/languages:\n  - fr/' participants/P-B00005.yaml >participants/P-B0000$n.yaml
	done
	git_commit_all "two more requests"
	run_split ps-match --stream onecall --table
	out=$(printf '%s\n' "$out" | anon)
	expect 0 "MATCH     PARTICIPANT  VOLUNTEER  STREAM        SCORE
M-xxxxxx  P-B00005     V-A00002   onecall       10.143
M-xxxxxx  P-B00007     V-A00003   onecall       3.143
M-xxxxxx  P-B00008     V-A00002   onecall       10.143" ""
}

@test "refusals: unknown or wrong-kind IDs, bad options; nothing written" {
	match_store
	h=$(head_of .)
	run_split ps-match --accept M-000000
	expect 1 "" "ps-match: M-000000: no such record"
	run_split ps-match --accept P-B00001
	expect 1 "" "ps-match: P-B00001: not a match"
	run_split ps-match --decline M-000000
	[ "$status" = 2 ]
	[[ "$err" == "ps-match: --decline needs --by participant or --by volunteer"* ]]
	run_split ps-match --end M-000000 --reason bored
	[ "$status" = 2 ]
	run_split ps-match --extend M-000000 --by forever
	[ "$status" = 2 ]
	run_split ps-match --candidates 0 P-B00001
	[ "$status" = 2 ]
	run_split ps-match --stream nope
	expect 1 "" "ps-match: --stream: the programme has no stream \"nope\""
	run_split ps-match not-an-id
	expect 1 "" "ps-match: not-an-id: not a record ID (like P-7K3Q2X)"
	[ "$(head_of .)" = "$h" ]
}

# A proposed match holds a place of its volunteer's capacity, and a
# volunteer with no capacity of its own has the programme's default:
# ps-match has always matched so; ps-check once counted only active and
# callback-open matches, and only a capacity the record gave. Both now
# ask lib/rules/status.
@test "ps-check and ps-match agree on capacity: proposals count, the default applies" {
	match_store
	ps-match --commit >/dev/null 2>&1
	m=$(grep -l '^volunteer: V-A00001$' matches/*.yaml)
	run_split ps-check
	expect 0 "$(($(ls participants volunteers matches | grep -c yaml))) records checked, 0 problems" ""
	# V-A00001 (capacity 1) is full with its proposal, for ps-match...
	run_split ps-match P-B00004 --choose V-A00001
	expect 1 "" "ps-match: V-A00001: not an active volunteer with capacity left"
	# ...and for ps-check: a second proposal, written by hand, is over
	sed -e 's/^id: .*/id: M-Z00001/' -e 's/^participant: .*/participant: P-B00004/' \
	    "$m" >matches/M-Z00001.yaml
	grep -qx 'status: proposed' matches/M-Z00001.yaml
	run_split ps-check
	expect 1 "$(($(ls participants volunteers matches | grep -c yaml))) records checked, 1 problem" "ps-check: volunteers/V-A00001.yaml: capacity: volunteer has more open matches than capacity"
	rm matches/M-Z00001.yaml
	# V-A00003 without a capacity of its own: the programme's default, 2
	grep -qx '  default_capacity: 2' program.yaml
	sed -i '/^capacity: /d' volunteers/V-A00003.yaml
	# its proposal and two more: three open matches, one over
	grep -l '^volunteer: V-A00003$' matches/*.yaml >had
	[ "$(wc -l <had)" = 1 ]
	for i in 1 2; do
		sed -e "s/^id: .*/id: M-Z0000$i/" -e 's/^volunteer: .*/volunteer: V-A00003/' \
		    -e "s/^participant: .*/participant: P-B0000$i/" "$m" >matches/M-Z0000$i.yaml
	done
	run_split ps-check
	expect 1 "$(($(ls participants volunteers matches | grep -c yaml))) records checked, 1 problem" "ps-check: volunteers/V-A00003.yaml: capacity: volunteer has more open matches than capacity"
	rm matches/M-Z00002.yaml
	run_split ps-check
	expect 0 "$(($(ls participants volunteers matches | grep -c yaml))) records checked, 0 problems" ""
	run_split ps-match P-B00004 --choose V-A00003
	expect 1 "" "ps-match: V-A00003: not an active volunteer with capacity left"
}
