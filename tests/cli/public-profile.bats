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

EX=$BATS_TEST_DIRNAME/../../examples

# application SED: the example application to volunteer, changed by SED.
application() {
	sed -e "$1" "$EX"/ms-society/applications/volunteer.yaml
}

# refused SED FIELD LINE:COL KIND: ps-apply refuses the application
# changed by SED, with one message, naming no value; nothing is stored.
refused() {
	local h
	h=$(head_of s)
	application "$1" >app.yaml
	run_split ps-apply -C s app.yaml
	expect 1 "" "ps-apply: app.yaml:$3: public_profile.$2: looks like contact details ($4); a public profile must not carry them"
	[[ "$err" != *555* && "$err" != *example* && "$err" != *jordan* ]]
	[ "$(head_of s)" = "$h" ]
	[ ! -e s/volunteers ]
	[ -z "$(git -C s status --porcelain)" ]
}

@test "ps-apply refuses a public profile carrying contact details, naming the field and never the value" {
	new_store
	refused 's/^  bio: .*/  bio: Call me on +1 999 555 0145 or someone@example.org/' \
	    bio 22:8 "a phone number"
	refused 's/^  bio: .*/  bio: someone@example.org, or +1 999 555 0145/' \
	    bio 22:8 "an email address"
	refused 's/^  experience_summary: .*/  experience_summary: Write to jordan [at] example [dot] org/' \
	    experience_summary 20:23 "an email address"
	refused 's/^  bio: .*/  bio: My blog is www.example.net, or example.ca\/jordan/' \
	    bio 22:8 "a web address"
	refused 's/^  first_name: .*/  first_name: "@jordan_f"/' \
	    first_name 19:15 "a social media handle"
	refused 's/^  bio: .*/  bio: Text 416-555-0163 any time/' \
	    bio 22:8 "a phone number"
}

@test "ps-apply takes a public profile of ordinary prose: years, ages, counts, times" {
	new_store
	application 's/^  bio: .*/  bio: "Diagnosed in 2019, 5 years ago, at 34. I volunteered 2015-2019 and 2021 - 2024. Free after 7pm, or 7:30 on Saturdays; e.g. a call of 45 minutes, 1,000 steps a day."/' >app.yaml
	run_split ps-apply -C s app.yaml
	[ "$status" = 0 ]
	[ "$err" = "" ]
	id=$(printf '%s\n' "$out" | sed -n 's/^id: //p')
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 1 application (volunteer)" ]
	grep -qF 'Diagnosed in 2019, 5 years ago, at 34. I volunteered 2015-2019' "s/volunteers/$id.yaml"
}

@test "ps-apply --update refuses contact details in the public profile too" {
	new_store
	application "" >app.yaml
	id=$(ps-apply -C s app.yaml | sed -n 's/^id: //p')
	h=$(head_of s)
	run_split ps-apply -C s --update "$id" <<'YAML'
public_profile:
  bio: Find me at https://example.org/jordan
YAML
	expect 1 "" "ps-apply: stdin:2:8: public_profile.bio: looks like contact details (a web address); a public profile must not carry them"
	[ "$(head_of s)" = "$h" ]
	[ -z "$(git -C s status --porcelain)" ]
}

@test "ps-check reports a public profile given contact details by hand; candidates leave it out" {
	new_store
	mkdir -p s/participants s/volunteers
	cp "$MF"/P-B00002.yaml s/participants/
	cp "$MF"/V-A00001.yaml "$MF"/V-A00002.yaml s/volunteers/
	sed -i 's/^  bio: .*/  bio: Text me on 613-555-0145, or @ben_listens/' \
	    s/volunteers/V-A00002.yaml
	# the pre-commit hook refuses it
	git -C s add -A
	run_split git -C s -c user.name=T -c user.email=t@example.org commit -q -m "by hand"
	[ "$status" != 0 ]
	[[ "$err" == *"volunteers/V-A00002.yaml:28:8: public_profile.bio: looks like contact details (a phone number); a public profile must not carry them"* ]]
	git_commit_all "by hand, past the hook"
	run_split ps-check -C s
	expect 1 "2 records checked, 1 problem" "ps-check: volunteers/V-A00002.yaml:28:8: public_profile.bio: looks like contact details (a phone number); a public profile must not carry them"
	[[ "$err" != *555* && "$err" != *ben_listens* ]]
	cd s
	run_split ps-match --candidates 3 P-B00002
	[ "$status" = 1 ]
	[ "$err" = "ps-match: volunteers/V-A00002.yaml:28:8: public_profile.bio: looks like contact details (a phone number); a public profile must not carry them" ]
	[[ "$out" == *"volunteer: V-A00001"* && "$out" != *V-A00002* && "$out" != *555* ]]
}
