#!/usr/bin/env bats
# ps-log: contacts, callbacks, hours, drop-in, groups, feedback, flags, list.
load helpers

export PS_NOW=2026-11-22T15:00:00Z

# The contact file ps-log just wrote, from its output.
cid() {
	printf '%s\n' "$out" | sed -n 's/^id: \(C-.*\)/\1/p' | head -1
}

@test "a contact in a match: one record filed under its day, one commit" {
	logged_store
	n=$(git rev-list --count HEAD)
	run_split ps-log "$M" --mode phone --minutes 45 --date 2026-11-21 --topic employment,new-diagnosis --note "CANARY-note"
	[ "$status" = 0 ]
	[ -z "$err" ]
	c=$(cid)
	[ "$(git rev-list --count HEAD)" = $((n + 1)) ]
	[ "$(git log -1 --format=%s)" = "ps-log: contact $c ($M)" ]
	[ "$(git show --name-only --format= HEAD)" = "contacts/2026/11/21/$c.yaml" ]
	expect 0 "---
kind: contact
id: $c
type: contact
date: 2026-11-21T12:00:00-05:00
match: $M
participant: P-B00001
volunteer: V-A00001
mode: phone
minutes: 45
topics:
  - employment
  - new-diagnosis
note: CANARY-note
logged_by: Test Coordinator" ""
	[[ "$(git log --format=%B)" != *CANARY* ]]
	run_split ps-check
	expect 0 "15 records checked, 0 problems" ""
}

@test "a large index is kept split: written before ps-log exits, nothing left running" {
	logged_store
	n=$(git rev-list --count HEAD)
	# every index counts as large, as in a store of 80,000 files
	PS_INDEX_SPLIT=0 run_split ps-log "$M" --mode phone --minutes 30 --date 2026-11-21
	[ "$status" = 0 ]
	[ -z "$err" ]
	c=$(cid)
	# at once: the store's lock free (no child holds it), no git lock,
	# the index split and up to HEAD as git reads it
	flock -n .git/ps.lock true
	[ ! -e .git/index.lock ]
	[ ! -e .git/ps-journal ]
	grep -q link .git/index
	ls .git/sharedindex.* >/dev/null
	[ "$(git rev-list --count HEAD)" = $((n + 1)) ]
	[ -z "$(git status --porcelain)" ]
	[ "$(git ls-files -s "contacts/2026/11/21/$c.yaml" | cut -c1-49)" = \
	    "100644 $(git rev-parse "HEAD:contacts/2026/11/21/$c.yaml") 0" ]
	[ "$(git write-tree)" = "$(git rev-parse "HEAD^{tree}")" ]
	PS_INDEX_SPLIT=0 run_split ps-log "$M" --mode video --minutes 20 --date 2026-11-21
	[ "$status" = 0 ]
	[ -z "$(git status --porcelain)" ]
	[ "$(git rev-list --count HEAD)" = $((n + 2)) ]
	# plain git beside it: a commit of its own, then the tools again
	echo "# by hand" >>"participants/P-B00003.yaml"
	git -c user.name=T -c user.email=t@example.org commit -qam "by hand"
	PS_INDEX_SPLIT=0 run_split ps-log "$M" --mode email --minutes 5 --date 2026-11-21
	[ "$status" = 0 ]
	[ -z "$(git status --porcelain)" ]
	git fsck --strict
	run_split ps-check
	[ "$status" = 0 ]
}

@test "an earlier version's index child cut short: the next command finishes its index, or drops it when git moved on" {
	logged_store
	ps-log "$M" --mode phone --minutes 30 --date 2026-11-21 >/dev/null
	c=$(git show --name-only --format= HEAD)
	# the journal the child had (the work tree written), the index behind
	printf 'ps-journal 1\nref refs/heads/master\nold %s\nnew %s\nput %s %s\nend\n' \
	    "$(git rev-parse HEAD~)" "$(git rev-parse HEAD)" \
	    "$(git rev-parse "HEAD:$c")" "$c" >.git/ps-index-journal
	git rm -q --cached "$c"
	run_split ps-log --list --since 2026-11-21
	[ "$status" = 0 ]
	run_split ps-log "$M" --mode video --minutes 10 --date 2026-11-21
	[ "$status" = 0 ]
	[ ! -e .git/ps-index-journal ]
	[ -z "$(git status --porcelain)" ]
	# git moved the branch since (a commit of its own): nothing to finish
	printf 'ps-journal 1\nref refs/heads/master\nold %s\nnew %s\nput %s %s\nend\n' \
	    "$(git rev-parse HEAD~)" "$(git rev-parse HEAD)" \
	    "$(git rev-parse "HEAD:$c")" "$c" >.git/ps-index-journal
	git -c user.name=T -c user.email=t@example.org commit -q --allow-empty --no-verify -m "by hand"
	run_split ps-log "$M" --mode video --minutes 10 --date 2026-11-21
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ ! -e .git/ps-index-journal ]
	[ -z "$(git status --porcelain)" ]
}

@test "a merge conflict made by git after the tools' last write is found" {
	logged_store
	ps-log "$M" --mode phone --minutes 30 --date 2026-11-21 >/dev/null
	# an index entry at stage 1-3 written by git itself
	blob=$(git hash-object -w program.yaml)
	printf '100644 %s 1\tmatches/x.yaml\n100644 %s 2\tmatches/x.yaml\n' "$blob" "$blob" | git update-index --index-info
	run_split ps-log "$M" --mode phone --minutes 30 --date 2026-11-21
	expect 3 "" "ps-log: matches/x.yaml: unresolved merge conflict: edit the file to keep the right version, then git add it and git commit"
	# the same in each index format git writes (4 compresses names)
	for v in 4 2 3; do
		git update-index --index-version $v
		run_split ps-log "$M" --mode phone --minutes 30 --date 2026-11-21
		expect 3 "" "ps-log: matches/x.yaml: unresolved merge conflict: edit the file to keep the right version, then git add it and git commit"
	done
	# resolved (in format 4): the next write goes ahead
	git update-index --index-version 4
	git rm -q --cached matches/x.yaml
	run_split ps-log "$M" --mode phone --minutes 30 --date 2026-11-21
	[ "$status" = 0 ]
	[ -z "$(git status --porcelain)" ]
}

@test "every mode the stream offers is accepted; others are refused" {
	logged_store
	for mode in phone email video; do
		ps-log "$M" --mode "$mode" --minutes 10 >/dev/null
	done
	h=$(head_of .)
	run_split ps-log "$M" --mode in-person --minutes 10
	expect 1 "" "ps-log: --mode: the extended stream does not offer this mode"
	run_split ps-log "$M" --mode smoke-signal --minutes 10
	expect 1 "" "ps-log: --mode: the extended stream does not offer this mode"
	[ "$(head_of .)" = "$h" ]
}

@test "a OneCall callback closes its assignment, on time or late" {
	logged_store
	run_split ps-log "$CB" --mode phone --minutes 30
	[ "$status" = 0 ]
	c=$(cid)
	[ "$(git log -1 --format=%s)" = "ps-log: callback $c closes $CB" ]
	grep -qx 'type: callback' "contacts/2026/11/22/$c.yaml"
	grep -qx 'status: callback-done' "matches/$CB.yaml"
	grep -qx '  on_time: true' "matches/$CB.yaml"
	grep -qx 'status: closed' participants/P-B00005.yaml
	[ "$(git show --name-only --format= HEAD | sort | tr '\n' ' ')" = "contacts/2026/11/22/$c.yaml matches/$CB.yaml participants/P-B00005.yaml " ]
	# logged again: the callback is no longer open
	run_split ps-log "$CB" --mode phone --minutes 30
	expect 1 "" "ps-log: --match: $CB is not active (status callback-done)"
}

@test "a late callback is recorded as late; a call over the limit warns" {
	logged_store
	PS_NOW=2026-11-27T15:00:00Z run_split ps-log "$CB" --mode phone --minutes 75
	[ "$status" = 0 ]
	[ "$err" = "ps-log: warning: $CB: a call of 75 minutes, over the 60-minute limit" ]
	grep -qx '  on_time: false' "matches/$CB.yaml"
}

@test "a batch on stdin is all or nothing, in one commit" {
	logged_store
	h=$(head_of .)
	cat >batch.yaml <<EOF2
- {match: $M, mode: phone, minutes: 30, date: 2026-11-02}
- {match: $M, mode: email, minutes: 10, date: 2026-11-09}
- {match: $M, mode: video, minutes: -5, date: 2026-11-16}
- {match: M-000000, mode: phone, minutes: 20}
EOF2
	run_split ps-log <batch.yaml
	expect 1 "" "ps-log: stdin:3:43: minutes: a whole number of minutes from 1 to 1440
ps-log: stdin:4:11: match: no such record"
	[ "$(head_of .)" = "$h" ]
	printf -- '- {match: %s, mode: phone, minutes: 5, notes: CANARY}\n' "$M" >typo.yaml
	run_split ps-log <typo.yaml
	expect 1 "" "ps-log: stdin:1:46: unknown field of a contact entry (misspelt? ids are given by ps-log)"
	rm typo.yaml
	sed -i '3,4d' batch.yaml
	run_split ps-log <batch.yaml
	[ "$status" = 0 ]
	[ "$(git log -1 --format=%s)" = "ps-log: 2 entries" ]
	[ "$(git show --name-only --format= HEAD | grep -c '^contacts/2026/11/0[29]/')" = 2 ]
	rm batch.yaml
}

@test "volunteer hours: training, supervision, community of practice, admin" {
	logged_store
	for a in training supervision community-of-practice admin; do
		ps-log --volunteer V-A00001 --activity "$a" --hours 1.5 >/dev/null
	done
	[ "$(git log -1 --format=%s | sed 's/C-[^ ]*/C-x/')" = "ps-log: volunteer hours C-x (V-A00001)" ]
	[ "$(grep -l 'type: activity' contacts/2026/11/22/*.yaml | wc -l)" = 4 ]
	h=$(head_of .)
	run_split ps-log --volunteer V-A00001 --activity gardening --hours 1
	expect 1 "" "ps-log: --activity: must be one of: training, practicum, supervision, community-of-practice, admin"
	[ "$status" = 1 ]
	run_split ps-log --volunteer V-A00001 --activity admin --hours 30
	expect 1 "" "ps-log: --hours: a number of hours, more than 0 and at most 24"
	[ "$(head_of .)" = "$h" ]
}

@test "drop-in visits inside and outside the opening hours" {
	new_store
	rm -rf s
	ps-init --program "$BATS_TEST_DIRNAME/../../examples/mental-health/program.yaml" s >/dev/null
	cd s
	# Monday 23 November 2026, 12:30 in Toronto: open
	PS_NOW=2026-11-23T17:30:00Z run_split ps-log --dropin --minutes 25 --topic housing
	[ "$status" = 0 ]
	[ -z "$err" ]
	c=$(cid)
	[ "$(git log -1 --format=%s)" = "ps-log: drop-in visit $c" ]
	grep -qx 'type: dropin' "contacts/2026/11/23/$c.yaml"
	# Sunday: closed, logged with a warning
	run_split ps-log --dropin --minutes 10
	[ "$status" = 0 ]
	[ "$err" = "ps-log: warning: $(cid): a drop-in visit outside the drop-in's opening hours" ]
}

@test "a group session with its facilitator and attendance" {
	logged_store
	run_split ps-log --group G-A00001 --attendees 7 --facilitator V-A00002 --minutes 90
	[ "$status" = 0 ]
	c=$(cid)
	[ "$(git log -1 --format=%s)" = "ps-log: group session $c (G-A00001)" ]
	grep -qx 'attendees: 7' "contacts/2026/11/22/$c.yaml"
	h=$(head_of .)
	run_split ps-log --group G-000000 --attendees 7 --minutes 90
	expect 1 "" "ps-log: --group: G-000000: no such record"
	run_split ps-log --group G-A00001 --attendees -1 --minutes 90
	expect 1 "" "ps-log: --attendees: the number of people who attended"
	[ "$(head_of .)" = "$h" ]
}

@test "safety flags cannot be logged without saying what was done" {
	logged_store
	h=$(head_of .)
	run_split ps-log "$M" --mode phone --minutes 20 --flag risk
	expect 1 "" "ps-log: --referral: a risk flag needs the referral made (988, 911, crisis-line, ... or none)"
	run_split ps-log "$M" --mode phone --minutes 20 --flag crisis --referral none
	expect 1 "" "ps-log: --referral: a crisis flag without a referral needs --no-referral-reason"
	run_split ps-log "$M" --mode phone --minutes 20 --referral 988
	expect 1 "" "ps-log: --flag: a referral or a note needs a flag: risk, crisis or safeguarding"
	run_split ps-log "$M" --mode phone --minutes 20 --flag worry --referral 988
	expect 1 "" "ps-log: --flag: must be one of: risk, crisis, safeguarding"
	[ "$(head_of .)" = "$h" ]
	run_split ps-log "$M" --mode phone --minutes 20 --flag crisis --referral none --no-referral-reason "CANARY-reason"
	[ "$status" = 0 ]
	run_split ps-log "$M" --mode phone --minutes 20 --flag safeguarding --referral 911
	[ "$status" = 0 ]
	[[ "$(git log --format=%B)" != *CANARY* ]]
	run_split ps-log --list --flagged --table
	[ "$(printf '%s\n' "$out" | grep -c 'crisis$\|safeguarding$')" = 2 ]
}

@test "feedback with consent to a follow-up survey three months on" {
	logged_store
	run_split ps-log --feedback "$M" --helpfulness 5 --empowerment 4 --isolation 3 --coping 4 --distress 2 --comment "CANARY-comment" --followup yes
	[ "$status" = 0 ]
	c=$(cid)
	[ "$(git log -1 --format=%s)" = "ps-log: feedback $c (P-B00001)" ]
	sed -n '/^feedback:/,/^logged_by/p' "contacts/2026/11/22/$c.yaml" >got
	cat >want <<'YAML'
feedback:
  helpfulness: 5
  outcomes:
    empowerment: 4
    isolation: 3
    coping: 4
    distress: 2
  comment: CANARY-comment
  followup_consent: true
  followup_after: 2027-02-22
logged_by: Test Coordinator
YAML
	diff -u want got
	run_split ps-log --feedback P-B00002 --helpfulness 3
	expect 1 "" "ps-log: --followup: say whether the participant agrees to a follow-up survey: yes or no"
	run_split ps-log --feedback P-B00002 --helpfulness 3 --followup no
	[ "$status" = 0 ]
	# the entry is there: grep finds nothing in a file that is not
	[ -f "contacts/2026/11/22/$(cid).yaml" ]
	! grep -q followup_after "contacts/2026/11/22/$(cid).yaml" || false
	run_split ps-log --feedback P-B00002 --helpfulness 9 --followup no
	expect 1 "" "ps-log: --helpfulness: must be at most 5"
}

@test "goals: set on a match, progress logged with a contact" {
	logged_store
	run_split ps-log "$M" --new-goal "CANARY-goal"
	[ "$status" = 0 ]
	[ "$(git log -1 --format=%s)" = "ps-log: goal g1 on $M" ]
	run_split ps-log "$M" --mode phone --minutes 30 --goal g1:some
	[ "$status" = 0 ]
	grep -qx '    progress: some' "contacts/2026/11/22/$(cid).yaml"
	run_split ps-log "$M" --mode phone --minutes 30 --goal g2:some
	expect 1 "" "ps-log: --goal: $M has no goal g2"
	run_split ps-log "$M" --mode phone --minutes 30 --goal g1:achieved
	[ "$status" = 0 ]
	grep -qx '    status: achieved' "matches/$M.yaml"
	run_split ps-log "$M" --mode phone --minutes 30 --goal g1
	[ "$status" = 2 ]
	[[ "$err" == "ps-log: --goal: gN:none, gN:some or gN:achieved"* ]]
	run_split ps-log --new-goal "CANARY-goal"
	[ "$status" = 2 ]
	[[ "$err" == "ps-log: --new-goal needs the match: ps-log M-ID --new-goal TEXT"* ]]
	[[ "$(git log --format=%B)" != *CANARY* ]]
}

@test "refusals: unknown or ended match, absurd minutes, future date" {
	logged_store
	h=$(head_of .)
	run_split ps-log M-000000 --mode phone --minutes 10
	expect 1 "" "ps-log: --match: M-000000: no such record"
	run_split ps-log "$P2" --mode phone --minutes 10
	expect 1 "" "ps-log: --match: $P2 is not active (status proposed)"
	run_split ps-log "$M" --mode phone --minutes 0
	expect 1 "" "ps-log: --minutes: a whole number of minutes from 1 to 1440"
	run_split ps-log "$M" --mode phone --minutes 5000
	expect 1 "" "ps-log: --minutes: a whole number of minutes from 1 to 1440"
	run_split ps-log "$M" --mode phone --minutes ten
	expect 1 "" "ps-log: --minutes: a whole number of minutes from 1 to 1440"
	run_split ps-log "$M" --mode phone --minutes 10 --date 2026-12-01
	expect 1 "" "ps-log: --date: is in the future"
	run_split ps-log "$M" --mode phone --minutes 10 --date yesterday
	expect 1 "" "ps-log: --date: not a date (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM:SS+HH:MM)"
	run_split ps-log "$M" "$P2" --mode phone --minutes 10
	[ "$status" = 2 ]
	run_split ps-log --followup maybe
	[ "$status" = 2 ]
	[ "$(head_of .)" = "$h" ]
	ps-match --end "$M" --reason completed >/dev/null
	run_split ps-log "$M" --mode phone --minutes 10
	expect 1 "" "ps-log: --match: $M is not active (status ended)"
}

@test "--list filters by dates, match, volunteer and flags" {
	logged_store
	ps-log "$M" --mode phone --minutes 30 --date 2026-11-02 >/dev/null
	ps-log "$M" --mode email --minutes 5 --date 2026-11-10 --flag risk --referral crisis-line >/dev/null
	ps-log --volunteer V-A00002 --activity training --hours 2 --date 2026-11-12 >/dev/null
	run_split ps-log --list --table
	out=$(printf '%s\n' "$out" | sed -E 's/C-[0-9A-Z]{6}/C-xxxxxx/')
	expect 0 "ID        DATE        TYPE           MATCH     VOLUNTEER   MIN  FLAG
C-xxxxxx  2026-11-02  contact        $M  V-A00001     30  
C-xxxxxx  2026-11-10  contact        $M  V-A00001      5  risk
C-xxxxxx  2026-11-12  activity       -         V-A00002      -  " ""
	run_split ps-log --list --since 2026-11-05 --until 2026-11-11 --table
	[ "$(printf '%s\n' "$out" | wc -l)" = 2 ]
	run_split ps-log --list --volunteer V-A00002
	[ "$(printf '%s\n' "$out" | grep -c '^kind: contact$')" = 1 ]
	run_split ps-log --list --match "$M" --flagged
	[ "$(printf '%s\n' "$out" | grep -c '^kind: contact$')" = 1 ]
	run_split ps-log --list --since 2026-13-01
	[ "$status" = 2 ]
}
