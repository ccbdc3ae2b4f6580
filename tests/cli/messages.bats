#!/usr/bin/env bats
# Messages name the field, its position and the rule, never a value.
#
# For every kind of entry or record a tool takes on its standard input,
# tests/messages.py makes variants that put a canary, a value found
# nowhere else, in the place of each value in turn, of each at once, and
# of each mapping and list: text (CANARY-<n>-<path>), and values shaped
# like the good one (an ID that names no record, a goal g970012, a day in
# 2090, 900012 minutes). The tool refuses them; no canary, and not the
# word "canary" in any case, may reach its standard error or output, and
# every problem it reports about the input says where (stdin:LINE:COL,
# or FILE:LINE:COL).
#
# The store is privacy.bats's: the fixture programme and the records of
# tests/fixtures/canary, their sensitive fields filled by canary.py, so
# that a value from a stored record that reached a message would show
# too.
load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
CF=$BATS_TEST_DIRNAME/../fixtures/canary
export PS_NOW=2026-11-24T15:00:00Z

# The store at $T/s, the current directory; $T/values the canaries.
fuzz_store() {
	PS_NOW=2026-11-16T09:00:00Z ps-init --program "$CF/program.yaml" \
	    "$T/s" >/dev/null
	/usr/bin/python3 "$TOP/tests/canary.py" "$T/stored" "$T/s" \
	    "$CF"/base/*.yaml
	cut -f1 "$T/stored" >"$T/values"
	git_commit_all "records"
	cd "$T/s"
	H=$(head_of .)
}

# The same, with the OneCall callback of P-Q00005 assigned: $CB.
callback_store() {
	fuzz_store
	ps-match --commit >/dev/null
	CB=$(grep -l '^status: callback-open' matches/*.yaml)
	CB=$(basename "$CB" .yaml)
	H=$(head_of .)
}

# quiet WHAT: fail, saying what leaked, if the standard input holds a
# canary.
quiet() {
	local found
	found=$(grep -iF -e canary -f "$T/values" || true)
	[ -z "$found" ] && return 0
	printf '%s shows values from its input:\n%s\n' "$1" "$found"
	return 1
}

# placed WHAT NAME: fail if a problem on the standard input does not say
# where in NAME (stdin, or a file) it is.
placed() {
	local lost
	lost=$(grep -v -e '^[a-z-]*: warning: ' \
	    -e "^[a-z-]*: $2:[0-9][0-9]*:[0-9][0-9]*: " || true)
	[ -z "$lost" ] && return 0
	printf '%s: problems without a position in %s:\n%s\n' "$1" "$2" "$lost"
	return 1
}

# refused NAME CMD...: CMD refuses its input, with nothing on the
# standard output, and tells no canary; each problem says where in NAME
# it is. With $taken set, CMD may take the input too (status 0: its
# output is the record, canaries and all); with $named, the records
# the input names, so that a problem with one of those names its ID.
refused() {
	local name=$1
	shift
	run_split "$@"
	printf '%s\n' "$err" | quiet "the standard error of $*"
	[ -n "$taken" ] && [ "$status" = 0 ] && return 0
	printf '%s\n' "$out" | quiet "the standard output of $*"
	[ "$status" = 1 ] || { echo "$*: status $status: $err"; return 1; }
	[ -z "$out" ]
	[ -n "$err" ]
	[ -n "$named" ] && return 0
	printf '%s\n' "$err" | placed "$*" "$name"
}

# fuzz START [--json|--csv|--per N|--taken|--named] CMD... < GOOD: the
# variants of the good entries (messages.py, canaries numbered from
# START) on CMD's standard input, a file at a time; each refused (or,
# with --taken, maybe taken), no canary told; the store unchanged.
fuzz() {
	local start=$1 opts=() f taken= named=
	shift
	while [ "${1#--}" != "$1" ]; do
		[ "$1" != --taken ] || { taken=1; shift; continue; }
		[ "$1" != --named ] || { named=1; shift; continue; }
		opts+=("$1")
		[ "$1" != --per ] || { shift; opts+=("$1"); }
		shift
	done
	/usr/bin/python3 "$TOP/tests/messages.py" "${opts[@]}" "$T/values" \
	    "$start" "$T/fuzz-$start"
	for f in "$T/fuzz-$start"/*; do
		refused stdin "$@" <"$f"
	done
	[ "$(head_of .)" = "$H" ]
	git -C "$T/s" status --porcelain | (! grep .)
}

# Good entries of every kind ps-log takes, one of each; a callback on
# $CB.
log_entries() {
	printf -- '---\ntype: callback\nmatch: %s\nmode: phone\nminutes: 30\n' "$CB"
	cat <<'EOF'
---
type: contact
match: M-Q00001
mode: phone
minutes: 30
date: 2026-11-20
topics: [employment]
goals: [{id: g1, progress: some}]
note: a talk about work
funder: Example Funder
host_organisation: Host
flag: {type: risk, referral: "988", note: what was said}
---
match: M-Q00001
mode: video
minutes: 20
date: 2026-11-20T10:00:00-05:00
flag: {type: crisis, referral: none, no_referral_reason: why not}
---
volunteer: V-Q00001
activity: training
hours: 2
date: 2026-11-19
note: the module on listening
---
dropin: true
volunteer: V-Q00002
mode: in-person
minutes: 15
topics: [housing]
date: 2026-11-23T11:00:00-05:00
flag: {type: safeguarding, referral: crisis-line}
---
group: G-Q00001
volunteer: V-Q00002
attendees: 6
minutes: 60
date: 2026-11-17
---
participant: P-Q00002
feedback:
  helpfulness: 4
  outcomes: {empowerment: 3, isolation: 3, coping: 3, distress: 3}
  comment: it helped
  followup_consent: true
---
type: feedback
match: M-Q00001
date: 2026-11-21
feedback: {helpfulness: 2, followup_consent: false}
EOF
}

@test "the good entries of the fuzz tests are taken as they are" {
	callback_store
	log_entries >"$T/log.yaml"
	run_split ps-log -n <"$T/log.yaml"
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(printf '%s\n' "$out" | grep -c '^kind: contact$')" = 8 ]
	[ "$(printf '%s\n' "$out" | grep -c '^type: callback$')" = 1 ]
}

@test "ps-log: a batch's flag type and goal ID are named by their place, not repeated" {
	fuzz_store
	cat >"$T/batch.yaml" <<'EOF2'
- {match: M-Q00001, mode: phone, minutes: 5, flag: {type: "she told me she has pills saved up"}}
- {match: M-Q00001, mode: phone, minutes: 5, goals: [{id: g7 she wants to drink less, progress: some}]}
- {match: M-Q00001, mode: phone, minutes: 5, goals: [{id: g97, progress: some}]}
- {match: M-Q00001, mode: phone, minutes: 5, flag: {type: risk}}
EOF2
	run_split ps-log <"$T/batch.yaml"
	expect 1 "" "ps-log: stdin:1:52: flag.referral: required field is missing
ps-log: stdin:1:59: flag.type: must be one of: risk, crisis, safeguarding
ps-log: stdin:2:59: goals.0.id: M-Q00001 has no such goal
ps-log: stdin:3:59: goals.0.id: M-Q00001 has no such goal
ps-log: stdin:4:52: flag.referral: a risk flag needs the referral made (988, 911, crisis-line, ... or none)"
	[ "$(head_of .)" = "$H" ]
	# on the command line, the goal typed is named
	run_split ps-log M-Q00001 --mode phone --minutes 5 --goal g97:some
	expect 1 "" "ps-log: --goal: M-Q00001 has no goal g97"
}

@test "ps-log: no message tells a value of a batch entry, of any kind, YAML or JSON" {
	callback_store
	log_entries | fuzz 10000 ps-log
	log_entries | fuzz 20000 --json ps-log
}

# Good applications of each kind.
applications() {
	cat <<'EOF2'
---
kind: participant
stream: extended
role: caregiver
name: {first: Lou, last: Martin, preferred: Lou}
contact:
  email: lou@example.org
  phone: (613) 555-0101
  address: {line1: 1 Main St, line2: Apt 2, city: Ottawa, region: "ON", postal_code: K1A 0B1}
  preferred_modes: [phone]
  best_times: evenings
birth_year: 1962
gender: woman
languages: [en]
region: "ON"
timezone: America/Toronto
condition: {diagnosis_year: 2019, details: diagnosed in 2019}
context: my partner has MS
topics: [caregiver-burnout]
availability: [tue-eve]
preferences:
  volunteer_gender: {value: woman, required: false}
  volunteer_role: {value: caregiver, required: true}
  age_band: {value: similar}
exclude_volunteers: [V-Q00001]
funder: Example Funder
consents:
  - {type: privacy, version: "2026-01", date: 2026-11-23, given: true, method: online}
---
kind: volunteer
streams: [extended]
role: living-with
name: {first: Ana, last: Silva}
contact: {email: ana@example.org, phone: 613.555.0123, preferred_modes: [phone, video]}
birth_year: 1970
gender: woman
languages: [en, fr]
region: "ON"
timezone: America/Toronto
public_profile: {first_name: Ana, experience_summary: twenty years with MS, languages: [en], bio: I like to listen}
condition: {diagnosis_year: 2004}
experience_details: relapsing-remitting since 2004
capacity: 2
modes: [phone]
availability: [mon-eve]
topics: [employment]
commitment: {months: 12, until: 2027-11-01}
consents:
  - {type: privacy, version: "2026-01", date: 2026-11-23, given: true}
  - {type: pledge, version: "2026-01", date: 2026-11-23, given: true}
EOF2
}

# A group record: not an application, refused as such.
group_record() {
	cat <<'EOF2'
---
kind: group
name: Caregivers online
stream: groups
format: online
schedule: {day: wed, time: "19:00", minutes: 60, frequency: weekly}
capacity: 12
facilitators: [V-Q00002]
created: 2026-01-05
EOF2
}

@test "ps-apply: no message tells a value of an application, YAML, JSON or CSV" {
	fuzz_store
	applications >"$T/good.yaml"
	run_split ps-apply -n "$T/good.yaml"
	[ "$status" = 0 ]
	[ -z "$err" ]
	{ applications; group_record; } | fuzz 30000 ps-apply
	{ applications; group_record; } | fuzz 40000 --json ps-apply
	# a web form's export: every cell, and a column more
	{ head -n 2 "$FIX/apply/form.csv"; } | fuzz 50000 --csv ps-apply \
	    --csv --map "$FIX/apply/form-map.yaml"
}

@test "ps-apply --update: no message tells a value of the changes" {
	fuzz_store
	cat >"$T/changes.yaml" <<'EOF2'
contact: {email: lou@example.org, phone: (613) 555-0101}
languages: [en, fr]
preferences: {volunteer_role: {value: caregiver, required: true}}
exclude_volunteers: [V-Q00001]
consents:
  - {type: privacy, version: "2026-01", date: 2026-11-23, given: true}
EOF2
	run_split ps-apply -n --update P-Q00001 "$T/changes.yaml"
	[ "$status" = 0 ]
	[ -z "$err" ]
	fuzz 60000 --per 1 --taken ps-apply -n --update P-Q00001 <"$T/changes.yaml"
}

@test "ps-match --commit: no message tells a value of a proposal" {
	fuzz_store
	ps-match >"$T/proposals.yaml"
	run_split ps-match -n --commit <"$T/proposals.yaml"
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$out" = "$(cat "$T/proposals.yaml")" ]
	fuzz 70000 ps-match --commit <"$T/proposals.yaml"
	fuzz 71000 --json ps-match --commit <"$T/proposals.yaml"
}

# A record as a listing prints it into a pipe, for a tool that takes
# the records named on its standard input.
listed() {
	printf -- '---\nkind: %s\nid: %s\nstatus: %s\nname: {first: Al}\nlanguages: [en]\n' "$@"
}

@test "ps-screen, ps-match: no message tells a value of the records or IDs on the standard input" {
	fuzz_store
	listed volunteer V-Q00003 screening |
	    fuzz 80000 --per 1 --taken --named ps-screen -n --step interview --result pass
	listed participant P-Q00001 waiting |
	    fuzz 81000 --per 1 --taken --named ps-match -n
	# IDs one per line: not an ID, an ID of no record
	printf 'CANARY-82001-line\nV-Z82002\n' >>"$T/values"
	for id in CANARY-82001-line V-Z82002; do
		printf 'V-Q00003\n%s\n' "$id" >"$T/ids"
		named=1 refused stdin ps-screen -n --step interview --result pass <"$T/ids"
		sed -i 's/^V-Q00003$/P-Q00001/' "$T/ids"
		taken=1 named=1 refused stdin ps-match -n <"$T/ids"
	done
}

@test "ps-check: no message tells a value of a stored record" {
	fuzz_store
	local f kind dir rec v n=0 k=0
	for kind in participant volunteer match group contact; do
		case $kind in
		participant) f=P-Q00001 dir=participants ;;
		volunteer) f=V-Q00001 dir=volunteers ;;
		match) f=M-Q00001 dir=matches ;;
		group) f=G-Q00001 dir=groups ;;
		contact) f=C-Q00001 dir=contacts/2026/11/18 ;;
		esac
		rec=$(find . -name "$f.yaml")
		k=$((k + 1))
		/usr/bin/python3 "$TOP/tests/messages.py" --per 1 "$T/values" \
		    $((100000 + k * 10000)) "$T/rec-$kind" <"$rec"
		for v in "$T/rec-$kind"/*.yaml; do
			n=$((n + 1))
			cp "$v" "$dir/${f%%-*}-Y$(printf %05d "$n").yaml"
		done
	done
	run_split ps-check
	printf '%s\n' "$out" | quiet "the standard output of ps-check"
	printf '%s\n' "$err" | quiet "the standard error of ps-check"
	[ "$status" = 1 ]
	[ "$(printf '%s\n' "$err" | wc -l)" -ge "$n" ]
}
