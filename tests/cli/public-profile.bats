#!/usr/bin/env bats
# What a participant sees of a volunteer: the public profile, under a
# score that reads none of the volunteer's x-sensitive fields; and a
# public profile that carries no contact details.
load helpers

MF=$BATS_TEST_DIRNAME/../fixtures/match
export PS_NOW=2026-11-22T15:00:00Z

# The example programme (every weight set) with one participant waiting,
# P-B00001, who lives with MS in Ontario, was diagnosed in 2024,
# requires a volunteer who lives with it too and prefers, without
# requiring either, a woman of 30 to 44; the shell in the store.
candidate_store() {
	new_store
	mkdir -p s/participants s/volunteers
	sed '/^preferences:/a\
  volunteer_gender:\
    value: woman\
  age_band:\
    value: 30-44' "$MF"/P-B00001.yaml >s/participants/P-B00001.yaml
	cd s
}

# volunteer ID [SED]: a copy of V-A00001 under ID, changed by SED.
volunteer() {
	sed -e "s/^id: .*/id: $1/" -e "${2:-}" "$MF"/V-A00001.yaml \
	    >"volunteers/$1.yaml"
}

# Two volunteers alike but for one x-sensitive field, where the higher
# ID has the value the full score rewards: the candidate list shows them
# with one score, the lower ID first, and with room for one, that one.
alike_but() {
	run_split ps-check
	expect 0 "3 records checked, 0 problems" ""
	git_commit_all "two volunteers alike but for $1"
	run_split ps-match --candidates 2 P-B00001 --table
	expect 0 "VOLUNTEER  SCORE   FIRST NAME            LANGUAGES
V-C00001   13      Ada                   en
V-C00002   13      Ada                   en" ""
	run_split ps-match --candidates 1 P-B00001
	expect 0 "---
volunteer: V-C00001
score: 13
first_name: Ada
experience_summary: Living with it for years.
languages:
  - en
bio: Happy to listen." ""
	# the coordinator's proposal still weighs everything
	run_split ps-match --table
	[ "$status" = 0 ]
	[[ "$out" == *"P-B00001     V-C00002   extended      17" ]]
}

@test "candidates: a volunteer's year of diagnosis moves neither score nor order" {
	candidate_store
	volunteer V-C00001 's/^  diagnosis_year: .*/  diagnosis_year: 2025/'
	volunteer V-C00002 's/^  diagnosis_year: .*/  diagnosis_year: 2015/'
	alike_but condition.diagnosis_year
}

@test "candidates: a volunteer's gender moves neither score nor order" {
	candidate_store
	volunteer V-C00001 's/^gender: .*/gender: man/'
	volunteer V-C00002
	alike_but gender
}

@test "candidates: a volunteer's year of birth moves neither score nor order" {
	candidate_store
	volunteer V-C00001 's/^birth_year: .*/birth_year: 1950/'
	volunteer V-C00002
	alike_but birth_year
}
