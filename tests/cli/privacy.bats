#!/usr/bin/env bats
# Privacy, as peer-support(7) promises it to a privacy officer.
#
# No leak: tests/canary.py fills every x-sensitive text field of the
# records of tests/fixtures/canary/ with a value found nowhere else
# (CANARY-<n>-<field>, a phone +1 999 000 <n>), listed in $T/canaries.
# Every tool runs over that store, on the paths that work and on those
# that refuse; no such value may appear in a report, in any format, on
# any standard error, in a commit message, a file name or a ref. What a
# participant sees of a mentor is the public profile alone, and a
# volunteer's brief is the fields the programme allows.
#
# Files and processes: every tool runs under umask 022 and must leave no
# file of the store readable by others; none writes under TMPDIR; a
# store of another user, or writable by others, is refused; no core dump.
# Then retention (ps-report --retention) and consent (withdrawal,
# follow-up surveys).
load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
CF=$BATS_TEST_DIRNAME/../fixtures/canary
export PS_NOW=2026-11-24T15:00:00Z

eval "helpers_$(declare -f setup)"
setup() {
	helpers_setup
	umask 077
	export TMPDIR=$T/tmpdir
	mkdir "$TMPDIR"
}

teardown() {
	[ -z "${reopened:-}" ] || chmod 700 "$BATS_RUN_TMPDIR"
}

# leak_free WHAT: fail, saying what leaked, if the standard input holds a
# canary (in any case: an address may be lower-cased on the way).
leak_free() {
	local found
	found=$(grep -iF -f "$T/values" || true)
	[ -z "$found" ] && return 0
	printf '%s shows values of sensitive fields:\n%s\n' "$1" "$found"
	return 1
}

# canary VALUE: one more canary, given on a command line or in a file.
canary() {
	printf '%s\t-\t-\t-\tprivate\n' "$1" >>"$T/canaries"
	printf '%s\n' "$1" >>"$T/values"
}

# private_store WHAT: no file or folder of the store open to others.
private_store() {
	local open
	[ -d "$T/s" ] || return 0
	open=$(find "$T/s" -perm /077)
	[ -z "$open" ] && return 0
	printf 'after %s, open to group or others:\n%s\n' "$1" "$open"
	return 1
}

# tool CMD...: run_split CMD under umask 022, so that the tool must make
# its files private itself; then its stderr shows no canary, TMPDIR is
# still empty, and the store still private.
tool() {
	run_split sh -c 'umask 022; exec "$@"' sh "$@"
	printf '%s\n' "$err" | leak_free "the standard error of $*"
	if [ -n "$(ls -A "$TMPDIR")" ]; then
		printf '%s wrote under TMPDIR:\n' "$*"
		ls -lA "$TMPDIR"
		return 1
	fi
	private_store "$*"
}

# shows CMD...: tool CMD, whose standard output shows no canary either.
shows() {
	tool "$@"
	printf '%s\n' "$out" | leak_free "the standard output of $*"
}

# report ARGS...: ps-report ARGS works and shows no canary.
report() {
	shows ps-report "$@"
	[ "$status" = 0 ] || { echo "ps-report $*: status $status: $err"; return 1; }
}

# The canary store at $T/s, the current directory: the fixture programme,
# and every record of the fixtures, its sensitive fields canaries.
canary_store() {
	# made on Monday 16 November, before every week and --as-of reported on
	local PS_NOW=2026-11-16T09:00:00Z
	: >"$T/values"
	tool ps-init --program "$CF/program.yaml" "$T/s"
	[ "$status" = 0 ]
	/usr/bin/python3 "$TOP/tests/canary.py" --cover "$T/canaries" "$T/s" \
	    "$CF"/base/*.yaml
	cut -f1 "$T/canaries" >"$T/values"
	git_commit_all "records"
	cd "$T/s"
}

# The canaries of a record's fields: canaries_of ID [PATH-REGEX].
canaries_of() {
	awk -F'\t' -v id="$1" -v p="${2:-.}" '$2 == id && $4 ~ p { print $1 }' \
	    "$T/canaries"
}

# Nothing personal in the store's history, file names or refs, and git
# finds it sound.
store_clean() {
	git -C "$T/s" log --all --format='%B' | leak_free "a commit message"
	git -C "$T/s" log -g --all --format='%gs' | leak_free "a reflog"
	git -C "$T/s" log --all --format= --name-only | leak_free "a file name in the history"
	git -C "$T/s" ls-tree -r --name-only HEAD | leak_free "a file name"
	(cd "$T/s" && find .) | leak_free "a file name in the store"
	git -C "$T/s" for-each-ref --format='%(refname)' | leak_free "a ref"
	git -C "$T/s" fsck --strict --no-dangling 2>&1 | grep -v '^Checking' | (! grep .)
	private_store "the test"
}

@test "the canary records hold a canary in every sensitive text field of every schema" {
	run_split /usr/bin/python3 "$TOP/tests/canary.py" --cover "$T/c" "$T/r" \
	    "$CF"/base/*.yaml
	expect 0 "" ""
	# every kind, each value once
	for k in participant volunteer match contact; do
		cut -f3 "$T/c" | grep -qx "$k"
	done
	[ -z "$(cut -f1 "$T/c" | sort | uniq -d)" ]
	# a field added to a schema, and held by no record, is named
	mkdir "$T/schemas"
	cp "$TOP"/schemas/*.yaml "$T/schemas/"
	sed -i 's/^  context:$/  emergency:\n    type: object\n    properties:\n      who:\n        type: string\n        x-sensitive: true\n  context:/' \
	    "$T/schemas/participant.yaml"
	mkdir -p "$T/fake/tests"
	cp "$TOP/tests/canary.py" "$T/fake/tests/"
	ln -s "$T/schemas" "$T/fake/schemas"
	run_split /usr/bin/python3 "$T/fake/tests/canary.py" --cover "$T/c2" \
	    "$T/r2" "$CF"/base/*.yaml
	[ "$status" = 1 ]
	[[ "$err" == *"participant: emergency.who"* ]]
}

@test "no leak: ps-check, and every tool, over records that are broken" {
	canary_store
	shows ps-check
	expect 0 "20 records checked, 0 problems" ""
	# values that break the rules, in sensitive fields and others
	long="CANARY-902-$(printf 'x%.0s' $(seq 150))"
	for v in CANARY-900-bad-phone "CANARY-901 bad@email" "$long" \
	    CANARY-903-year CANARY-904-status CANARY-905-extra CANARY-906 \
	    CANARY-907-unclosed CANARY-908-ours CANARY-909-theirs \
	    CANARY-910-dup CANARY-911-anchor CANARY-912-big; do
		canary "$v"
	done
	p=participants/P-Q00001.yaml
	sed -i -e 's/^  phone: .*/  phone: CANARY-900-bad-phone/' \
	    -e 's/^  email: .*/  email: "CANARY-901 bad@email"/' \
	    -e "s/^  first: .*/  first: $long/" \
	    -e 's/^birth_year: .*/birth_year: CANARY-903-year/' "$p"
	sed -i -e 's/^status: .*/status: CANARY-904-status/' \
	    -e '$a nickname: CANARY-905-extra' \
	    -e 's/^    referee: 1$/    referee: CANARY-906/' \
	    volunteers/V-Q00001.yaml
	printf 'x: "CANARY-907-unclosed\n' >>matches/M-Q00001.yaml
	printf '<<<<<<< HEAD\nnote: CANARY-908-ours\n=======\nnote: CANARY-909-theirs\n>>>>>>> other\n' \
	    >>contacts/2026/11/18/C-Q00001.yaml
	printf 'context: CANARY-910-dup\n' >>participants/P-Q00002.yaml
	printf 'x: &a CANARY-911-anchor\ny: *a\n' >>participants/P-Q00005.yaml
	{ cat volunteers/V-Q00002.yaml; printf 'experience_details: CANARY-912-big'
	  head -c 300000 /dev/zero | tr '\0' y; echo; } >"$T/big"
	cp "$T/big" volunteers/V-Q00002.yaml
	# a file named for a record it is not, and a reference to nobody
	cp participants/P-Q00004.yaml participants/P-Q00009.yaml
	sed -i 's/^participant: P-Q00004/participant: P-ZZZZZZ/' matches/M-Q00003.yaml
	shows ps-check
	[ "$status" = 1 ]
	n=$(printf '%s\n' "$err" | wc -l)
	[ "$n" -ge 12 ]
	shows ps-check "$p" volunteers/V-Q00001.yaml matches/M-Q00001.yaml
	[ "$status" = 1 ]
	git add -A
	shows ps-check --cached
	[ "$status" = 1 ]
	# the pre-commit hook says the same, and git refuses
	tool git -c user.name=T -c user.email=t@example.org commit -q -m "broken"
	[ "$status" != 0 ]
	[ -n "$err" ]
	git_commit_all "broken records"
	# every tool that reads the records refuses them, or leaves them out
	for a in "" "--format md" "--format csv" "--format yaml" "--format html" \
	    "--history P-Q00001" "--history V-Q00001" "--history M-Q00001" \
	    "--retention"; do
		# shellcheck disable=SC2086
		shows ps-report $a
	done
	shows ps-match
	shows ps-match --gaps
	shows ps-match --candidates 3 P-Q00001
	shows ps-match --candidates 3 P-Q00003
	tool ps-screen --pending
	tool ps-screen --overdue
	tool ps-screen --expiring 3000
	tool ps-log --list --since 2026-01-01
	tool ps-apply --list
	# and every tool that writes
	tool ps-log M-Q00001 --mode phone --minutes 5 --note CANARY-913-note
	[ "$status" != 0 ]
	tool ps-apply --withdraw P-Q00001 --reason CANARY-914-reason
	[ "$status" != 0 ]
	tool ps-screen V-Q00001 --leave --reason CANARY-915-reason
	[ "$status" != 0 ]
	tool ps-match --accept M-Q00001
	[ "$status" != 0 ]
	store_clean
}

@test "no leak: ps-report in every format, section and period, --as-of, --history, --retention" {
	canary_store
	# a week of entries that the report counts, with notes
	tool ps-log M-Q00001 --mode phone --minutes 20 --date 2026-11-17 \
	    --note "$(canaries_of C-Q00001 '^note$')"
	[ "$status" = 0 ]
	for f in text md csv yaml html; do
		for o in "" --no-suppress "--week this --no-suppress" \
		    "--week 2026-W46" "--since 2025-01-01 --no-suppress" \
		    "--since 2025-12-29 --until 2026-11-22" \
		    "--as-of 2026-11-23" "--as-of HEAD~1" "--list all" \
		    "--list all --week this"; do
			# shellcheck disable=SC2086
			report --format "$f" $o
		done
		for s in intake screening matching onecall active activity \
		    safety followup audit; do
			report --format "$f" --section "$s"
		done
	done
	# what the reports keep in their cache, none of it sensitive
	[ -s "$T/s/.git/ps-cache/report" ]
	leak_free "the report cache" <"$T/s/.git/ps-cache/report"
	# the figures are there: this is a report of the canary store
	report --list flagged
	[[ "$out" == *"C-Q00001  2026-11-18    risk      none  needs attention"* ]]
	for id in $(cut -f2 "$T/canaries" | sort -u) G-Q00001; do
		shows ps-report --history "$id"
		case $id in C-*) [ "$status" = 1 ] ;; *) [ "$status" = 0 ] ;; esac
	done
	PS_NOW=2034-11-24T15:00:00Z report --retention
	[[ "$out" == *"id: P-Q00004"* ]]
	PS_NOW=2034-11-24T15:00:00Z report --retention --table
	# refusals
	shows ps-report --week 2026-W99
	[ "$status" = 2 ]
	shows ps-report --as-of 1999-01-01
	[ "$status" = 1 ]
	shows ps-report --as-of CANARY-916-rev
	[ "$status" = 1 ]
	shows ps-report --history P-ZZZZZZ
	[ "$status" = 1 ]
	store_clean
}

@test "no leak: ps-apply takes in, refuses, updates, withdraws and lists applications" {
	canary_store
	/usr/bin/python3 "$TOP/tests/canary.py" --flat --start 1000 \
	    "$T/canaries" "$T/app" "$CF"/apply/*.yaml
	cut -f1 "$T/canaries" >"$T/values"
	tool ps-apply -n "$T/app/participant.yaml" "$T/app/volunteer.yaml"
	[ "$status" = 0 ]
	h=$(head_of .)
	tool ps-apply "$T/app/participant.yaml" "$T/app/volunteer.yaml"
	[ "$status" = 0 ]
	[ "$(head_of .)" != "$h" ]
	# the same person again: a probable duplicate
	tool ps-apply "$T/app/participant.yaml"
	[ "$status" = 1 ]
	[[ "$err" == *"probable duplicate of P-"* ]]
	tool ps-apply --allow-duplicate --stream onecall <"$T/app/participant.yaml"
	[ "$status" = 0 ]
	# applications that break the rules, each field a canary
	for v in CANARY-920-phone CANARY-921-mail CANARY-922-role \
	    CANARY-923-stream CANARY-924-extra CANARY-925-lang; do
		canary "$v"
	done
	sed -e 's/^  phone: .*/  phone: CANARY-920-phone/' \
	    -e 's/^  email: .*/  email: CANARY-921-mail/' \
	    -e 's/^role: .*/role: CANARY-922-role/' \
	    -e 's/^stream: .*/stream: CANARY-923-stream/' \
	    -e '$a favourite_colour: CANARY-924-extra' \
	    -e 's/^- en$/- CANARY-925-lang/' \
	    "$T/app/participant.yaml" >"$T/bad.yaml"
	tool ps-apply "$T/bad.yaml"
	[ "$status" = 1 ]
	[ "$(printf '%s\n' "$err" | wc -l)" -ge 5 ]
	printf '{"kind": "participant", "name": {"first": "CANARY-926' >"$T/bad.json"
	canary CANARY-926
	tool ps-apply "$T/bad.json"
	[ "$status" = 1 ]
	# a web form's export, as CSV, a row of it broken
	canary CANARY-927-first
	canary CANARY-928-last
	canary CANARY-929-context
	canary "CANARY-930-phone"
	cat >"$T/map.yaml" <<-'EOF'
	kind: participant
	stream: extended
	columns:
	  First name: name.first
	  Last name: name.last
	  Phone: contact.phone
	  I am: role
	  About you: context
	  Languages:
	    field: languages
	    split: ";"
	  Privacy:
	    consent: privacy
	EOF
	cat >"$T/form.csv" <<-'EOF'
	First name,Last name,Phone,I am,About you,Languages,Privacy
	CANARY-927-first,CANARY-928-last,+1 999 000 0931,caregiver,CANARY-929-context,en,yes
	CANARY-927-first,CANARY-928-last,CANARY-930-phone,carer,CANARY-929-context,en,yes
	EOF
	canary "+1 999 000 0931"
	tool ps-apply --csv --map "$T/map.yaml" "$T/form.csv"
	[ "$status" = 1 ]
	sed -i '$d' "$T/form.csv"
	tool ps-apply --csv --map "$T/map.yaml" "$T/form.csv"
	[ "$status" = 0 ]
	# update, withdraw
	canary CANARY-932-update
	printf 'context: CANARY-932-update\ncontact:\n  phone: CANARY-933\n' >"$T/upd.yaml"
	canary CANARY-933
	tool ps-apply --update P-Q00001 "$T/upd.yaml"
	[ "$status" = 1 ]
	sed -i '$d' "$T/upd.yaml"
	sed -i '$d' "$T/upd.yaml"
	tool ps-apply -n --update P-Q00001 "$T/upd.yaml"
	[ "$status" = 0 ]
	tool ps-apply --update P-Q00001 "$T/upd.yaml"
	[ "$status" = 0 ]
	tool ps-apply --update P-ZZZZZZ "$T/upd.yaml"
	[ "$status" = 1 ]
	canary CANARY-934-reason
	tool ps-apply -n --withdraw P-Q00001 --reason CANARY-934-reason
	[ "$status" = 0 ]
	tool ps-apply --withdraw P-Q00001 --reason CANARY-934-reason
	[ "$status" = 0 ]
	tool ps-apply --withdraw P-Q00001 --reason CANARY-934-reason
	[ "$status" = 1 ]
	tool ps-apply --withdraw M-Q00001 --reason CANARY-934-reason
	[ "$status" = 1 ]
	for o in "" --table "--kind volunteer" "--status withdrawn" \
	    "--since 2026-11-01 --stream extended"; do
		# shellcheck disable=SC2086
		tool ps-apply --list $o
		[ "$status" = 0 ]
	done
	store_clean
}

@test "no leak: ps-screen steps, decisions, leave, listings and refusals" {
	canary_store
	for v in CANARY-940-note CANARY-941-reason CANARY-942-leave \
	    CANARY-943-retire CANARY-944-note; do
		canary "$v"
	done
	tool ps-screen -n V-Q00003 --step references --result pass --referee 2 \
	    --note CANARY-940-note --by "A. Carey"
	[ "$status" = 0 ]
	tool ps-screen V-Q00003 --step references --result pass --referee 2 \
	    --note CANARY-940-note --by "A. Carey"
	[ "$status" = 0 ]
	tool ps-screen V-Q00003 --step background-check --result pass \
	    --note CANARY-944-note
	[ "$status" = 0 ]
	tool ps-screen V-Q00003 --decide decline --reason CANARY-941-reason
	[ "$status" = 0 ]
	tool ps-screen V-Q00002 --leave --until 2026-12-31 --reason CANARY-942-leave
	[ "$status" = 0 ]
	tool ps-screen V-Q00002 --return
	[ "$status" = 0 ]
	tool ps-screen V-Q00002 --retire --reason CANARY-943-retire
	[ "$status" = 0 ]
	# refusals
	tool ps-screen V-Q00003 --step interview --result pass --note CANARY-944-note
	[ "$status" = 1 ]
	tool ps-screen P-Q00001 --step interview --result pass --note CANARY-944-note
	[ "$status" = 1 ]
	tool ps-screen V-Q00001 --step no-such-step --result pass --note CANARY-944-note
	[ "$status" = 1 ]
	tool ps-screen V-Q00001 --step interview --result CANARY-944-note
	[ "$status" = 2 ]
	tool ps-screen V-ZZZZZZ --decide accept --reason CANARY-941-reason
	[ "$status" = 1 ]
	for o in --pending "--pending references" --overdue "--expiring 3000" \
	    --cohorts "--pending --table" "--expiring 3000 --table"; do
		# shellcheck disable=SC2086
		tool ps-screen $o
		[ "$status" = 0 ]
	done
	store_clean
}

@test "no leak: ps-match proposals, gaps, lifecycle and refusals; candidates show the public profile only" {
	canary_store
	# proposals and their reasons name no personal value
	shows ps-match
	[ "$status" = 0 ]
	# each must work: a tool that fails shows nothing to leak
	shows ps-match --table
	[ "$status" = 0 ]
	shows ps-match --gaps
	[ "$status" = 0 ]
	shows ps-match --gaps --table
	[ "$status" = 0 ]
	# a participant choosing sees the volunteers' public profiles only
	tool ps-match --candidates 3 P-Q00001
	[ "$status" = 0 ]
	[[ "$out" == *"volunteer: V-Q00001"* && "$out" == *"volunteer: V-Q00002"* ]]
	printf '%s\n' "$out" | grep -qxF "first_name: $(canaries_of V-Q00001 '^public_profile.first_name$')"
	awk -F'\t' '$5 == "private" { print $1 }' "$T/canaries" >"$T/private"
	printf '%s\n' "$out" | (! grep -iF -f "$T/private")
	for id in V-Q00001 V-Q00002; do
		for f in '^contact.phone$' '^contact.email$' '^name.last$'; do
			[[ "$out" != *"$(canaries_of "$id" "$f")"* ]]
		done
	done
	tool ps-match --candidates 3 P-Q00001 --table
	[ "$status" = 0 ]
	[[ "$out" == *V-Q00001* ]]
	printf '%s\n' "$out" | (! grep -iF -f "$T/private")
	# the choice, then the lifecycle
	tool ps-match P-Q00001 --choose V-Q00001
	[ "$status" = 0 ]
	m=$(printf '%s\n' "$out" | sed -n 's/^id: //p')
	for v in CANARY-950-by CANARY-951-reason; do canary "$v"; done
	tool ps-match -n --accept "$m" --by CANARY-950-by
	[ "$status" = 0 ]
	tool ps-match --decline "$m" --by participant --reason CANARY-951-reason
	[ "$status" = 0 ]
	tool ps-match P-Q00001 --choose V-Q00002
	[ "$status" = 0 ]
	m=$(printf '%s\n' "$out" | sed -n 's/^id: //p')
	tool ps-match --accept "$m"
	[ "$status" = 0 ]
	tool ps-match --extend "$m" --by 4w
	[ "$status" = 0 ]
	tool ps-match --end M-Q00001 --reason completed
	[ "$status" = 0 ]
	shows ps-match --stream onecall --commit
	[ "$status" = 0 ]
	[ "$(git log -1 --format=%s)" = "ps-match: assign 1 callback" ]
	tool ps-match --overdue
	[ "$status" = 0 ]
	tool ps-match --overdue --table
	[ "$status" = 0 ]
	# refusals
	tool ps-match --accept M-ZZZZZZ
	[ "$status" = 1 ]
	tool ps-match --accept P-Q00001
	[ "$status" = 1 ]
	tool ps-match --brief P-Q00001
	[ "$status" = 1 ]
	tool ps-match P-Q00003 --choose V-Q00001
	[ "$status" = 1 ]
	tool ps-match P-Q00005 --choose V-Q00004
	[ "$status" = 1 ]
	tool ps-match --candidates 3 V-Q00001
	[ "$status" = 1 ]
	tool ps-match --decline "$m" --by CANARY-951-reason
	[ "$status" = 2 ]
	tool ps-match --commit <"$CF/base/P-Q00001.yaml"
	[ "$status" = 1 ]
	store_clean
}

@test "the brief shows the volunteer only the fields program.yaml allows" {
	canary_store
	tool ps-match P-Q00001 --choose V-Q00001
	m=$(printf '%s\n' "$out" | sed -n 's/^id: //p')
	# by default: first name, phone, role and the participant's own words
	tool ps-match --brief "$m"
	[ "$status" = 0 ]
	allowed='^(name.first|contact.phone|context)$'
	for v in $(canaries_of P-Q00001 "$allowed"); do
		[[ "$out" == *"$v"* ]]
	done
	grep -vF -f <(canaries_of P-Q00001 "$allowed") "$T/values" >"$T/others"
	printf '%s\n' "$out" | (! grep -iF -f "$T/others")
	# a programme that shows other fields
	sed -i 's/^  max_waiting_points: 3$/&\n  brief:\n    - name.preferred\n    - contact.email\n    - contact.best_times\n    - languages/' \
	    program.yaml
	git_commit_all "the brief"
	tool ps-match --brief "$m"
	[ "$status" = 0 ]
	allowed='^(name.preferred|contact.email|contact.best_times)$'
	for v in $(canaries_of P-Q00001 "$allowed"); do
		[[ "$out" == *"$v"* ]]
	done
	grep -vF -f <(canaries_of P-Q00001 "$allowed") "$T/values" >"$T/others"
	printf '%s\n' "$out" | (! grep -iF -f "$T/others")
	store_clean
}

@test "no leak: ps-log entries, notes, flags, feedback, goals, batches and refusals" {
	canary_store
	for v in CANARY-960-note CANARY-961-why CANARY-962-comment \
	    CANARY-963-goal CANARY-964-hours CANARY-965-stdin CANARY-966-mode \
	    CANARY-967-flag; do
		canary "$v"
	done
	tool ps-log -n M-Q00001 --mode phone --minutes 20 --note CANARY-960-note
	[ "$status" = 0 ]
	tool ps-log M-Q00001 --mode phone --minutes 20 --note CANARY-960-note \
	    --topic caregiver-burnout --goal g1:some
	[ "$status" = 0 ]
	tool ps-log M-Q00001 --mode phone --minutes 10 --flag risk \
	    --referral none --no-referral-reason CANARY-961-why
	[ "$status" = 0 ]
	tool ps-log --feedback M-Q00001 --helpfulness 4 --coping 3 \
	    --comment CANARY-962-comment --followup yes
	[ "$status" = 0 ]
	tool ps-log M-Q00001 --new-goal CANARY-963-goal
	[ "$status" = 0 ]
	tool ps-log --volunteer V-Q00001 --activity training --hours 2 \
	    --note CANARY-964-hours
	[ "$status" = 0 ]
	tool ps-log --dropin --minutes 15 --by V-Q00002 --flag crisis --referral 988
	[ "$status" = 0 ]
	tool ps-log --group G-Q00001 --attendees 6 --facilitator V-Q00002 --minutes 60
	[ "$status" = 0 ]
	# a batch on the standard input, then one with a bad entry
	printf -- '---\ntype: contact\nmatch: M-Q00001\nmode: phone\nminutes: 5\nnote: CANARY-965-stdin\n' >"$T/in.yaml"
	tool ps-log <"$T/in.yaml"
	[ "$status" = 0 ]
	printf -- '---\ntype: contact\nmatch: M-Q00001\nmode: CANARY-966-mode\nminutes: 5\nnote: CANARY-965-stdin\n' >>"$T/in.yaml"
	tool ps-log <"$T/in.yaml"
	[ "$status" = 1 ]
	# refusals
	tool ps-log M-ZZZZZZ --mode phone --minutes 5 --note CANARY-960-note
	[ "$status" = 1 ]
	tool ps-log M-Q00002 --mode phone --minutes 5 --note CANARY-960-note
	[ "$status" = 1 ]
	tool ps-log M-Q00001 --mode phone --minutes 5000 --note CANARY-960-note
	[ "$status" = 1 ]
	tool ps-log M-Q00001 --mode phone --minutes 5 --goal g9:some --note CANARY-960-note
	[ "$status" = 1 ]
	tool ps-log M-Q00001 --mode phone --minutes 5 --flag CANARY-967-flag --referral 988
	[ "$status" != 0 ]
	tool ps-log --feedback M-Q00001 --helpfulness 4 --comment CANARY-962-comment
	[ "$status" != 0 ]
	for o in "" --table --flagged "--match M-Q00001" "--volunteer V-Q00002" \
	    "--since 2026-09-01 --until 2026-11-30"; do
		# shellcheck disable=SC2086
		tool ps-log --list $o
		[ "$status" = 0 ]
	done
	store_clean
}

@test "a dry run writes nothing, not even an object that no commit names" {
	canary_store
	n=$(find .git/objects -type f | wc -l)
	tool ps-log -n M-Q00001 --mode phone --minutes 20 --note "not to be kept"
	[ "$status" = 0 ]
	tool ps-apply -n "$CF/../apply/two.yaml"
	[ "$status" = 0 ]
	[ "$(find .git/objects -type f | wc -l)" = "$n" ]
}

@test "a store owned by another user, or writable by others, is refused by every tool" {
	canary_store
	cd "$T"
	chmod o+w s
	for t in "ps-check" "ps-apply --list" "ps-screen --pending" "ps-match" \
	    "ps-log --list" "ps-report"; do
		# shellcheck disable=SC2086
		run_split $t -C s
		printf '%s\n' "$err" | leak_free "$t"
		[ "$status" = 3 ]
		[[ "$err" == *"writable by others"* ]]
	done
	chmod o-w s
	if [ "$(id -u)" != 0 ]; then
		skip "not root: cannot give the store to another user (CI runs this as root)"
	fi
	chown -R nobody s
	for t in "ps-check" "ps-apply --list" "ps-screen --pending" "ps-match" \
	    "ps-log --list" "ps-report"; do
		# shellcheck disable=SC2086
		tool $t -C s
		[ "$status" = 3 ]
		[[ "$err" == *"owned by another user"* ]]
	done
	chown -R "$(id -u):$(id -g)" s
}

@test "no tool writes under TMPDIR, and every file a tool writes is private" {
	canary_store
	# tool() checks both after each command; here, one of each tool,
	# each of which works (one that fails writes nothing to check)
	tool ps-check
	[ "$status" = 0 ]
	tool ps-apply "$CF/../apply/two.yaml"
	[ "$status" = 0 ]
	tool ps-screen V-Q00003 --step references --result pass --referee 2
	[ "$status" = 0 ]
	tool ps-match --stream onecall --commit
	[ "$status" = 0 ]
	tool ps-log M-Q00001 --mode phone --minutes 20
	[ "$status" = 0 ]
	tool ps-report --format html
	[ "$status" = 0 ]
	[ -z "$(ls -A "$TMPDIR")" ]
	# git's own files too: objects, index, refs, logs
	[ -z "$(find .git -perm /077)" ]
}

# corelimit PID: wait until the running tool PID has made itself private
# (its core limit 0), up to 5 seconds.
corelimit() {
	local i
	for i in $(seq 50); do
		grep -q '^Max core file size *0 *0 ' "/proc/$1/limits" && return 0
		sleep 0.1
	done
	cat "/proc/$1/limits"
	return 1
}

@test "no core dumps: a tool sets its core limit to 0, and is not dumpable" {
	[ -r /proc/self/limits ] || skip "no /proc: not Linux"
	[ "${VALGRIND:-0}" != 1 ] || skip "under valgrind, the process is valgrind's"
	canary_store
	store=$T/s
	as=()
	if [ "$(id -u)" = 0 ]; then
		# root's /proc files are root's whatever the tool does: run it
		# as nobody, in a copy of the store that is nobody's, which
		# bats's run folder lets it reach for the test
		command -v setpriv >/dev/null || skip "no setpriv(1) to run a tool as nobody"
		id nobody >/dev/null 2>&1 || skip "no user nobody"
		cp -a "$T/s" "$T/nb"
		chown -R "nobody:$(id -g nobody)" "$T/nb"
		chmod 711 "$BATS_RUN_TMPDIR"
		reopened=1
		store=$T/nb
		as=(setpriv --reuid=nobody "--regid=$(id -g nobody)" --clear-groups
		    env "HOME=$T/nb")
	fi
	mkfifo "$T/in"
	# each tool waits on its standard input, given a core limit; the
	# writer end is held open on descriptor 7 (bats keeps 3 for itself)
	exec 7<>"$T/in"
	for t in ps-apply ps-log "ps-match --commit"; do
		# shellcheck disable=SC2086
		(ulimit -S -c unlimited && exec "${as[@]}" $t -C "$store" \
		    <"$T/in" >/dev/null 2>"$T/err" 3>&- 7>&-) &
		pid=$!
		corelimit "$pid" || { cat "$T/err"; false; }
		# not dumpable: the kernel gives its /proc files to root
		[ "$(awk '/^Uid:/ { print $2 }' "/proc/$pid/status")" != 0 ]
		[ "$(stat -c %u "/proc/$pid/status")" = 0 ]
		kill "$pid"
		wait "$pid" || true
	done
	exec 7>&-
}

# A store for the retention rule: 7 years after closing; it is 24
# November 2026. P-R00001 closed 8 years ago (its closed field), with a
# match and contacts; P-R00002 withdrew 6 years ago; P-R00003 withdrew 8
# years ago (withdrawn.date alone); V-R00001 retired 8 years ago
# (status_history alone); V-R00002 declined 9 years ago (decision.date
# alone); V-R00003 retired 8 years ago, and was erased; V-R00004 retired
# with no day; P-R00004 closed exactly 7 years ago today.
retention_store() {
	new_store
	cd s
	mkdir -p participants volunteers matches contacts/2018/06/01 contacts/2018/06/02
	cat >participants/P-R00001.yaml <<-'EOF'
	kind: participant
	id: P-R00001
	status: closed
	stream: extended
	role: living-with
	received: 2018-01-10T10:00:00-05:00
	languages: [en]
	closed: 2018-06-28
	EOF
	cat >participants/P-R00002.yaml <<-'EOF'
	kind: participant
	id: P-R00002
	status: withdrawn
	stream: extended
	role: caregiver
	received: 2020-01-10T10:00:00-05:00
	languages: [en]
	status_history:
	  - {status: applied, date: 2020-01-10T10:00:00-05:00}
	  - {status: withdrawn, date: 2020-11-20T10:00:00-05:00}
	EOF
	cat >participants/P-R00003.yaml <<-'EOF'
	kind: participant
	id: P-R00003
	status: withdrawn
	stream: onecall
	role: caregiver
	received: 2018-01-10T10:00:00-05:00
	languages: [en]
	withdrawn: {date: 2018-03-01}
	EOF
	cat >participants/P-R00004.yaml <<-'EOF'
	kind: participant
	id: P-R00004
	status: closed
	stream: extended
	role: caregiver
	received: 2019-01-10T10:00:00-05:00
	languages: [en]
	closed: 2019-11-24
	EOF
	cat >volunteers/V-R00001.yaml <<-'EOF'
	kind: volunteer
	id: V-R00001
	status: retired
	role: living-with
	received: 2015-01-10T10:00:00-05:00
	languages: [en]
	status_history:
	  - {status: active, date: 2015-03-01T10:00:00-05:00}
	  - {status: retired, date: 2018-09-30T12:00:00-04:00}
	EOF
	cat >volunteers/V-R00002.yaml <<-'EOF'
	kind: volunteer
	id: V-R00002
	status: declined
	role: caregiver
	received: 2017-01-10T10:00:00-05:00
	languages: [en]
	decision: {result: decline, date: 2017-02-01}
	EOF
	cat >volunteers/V-R00003.yaml <<-'EOF'
	kind: volunteer
	id: V-R00003
	status: retired
	role: caregiver
	received: 2010-01-10T10:00:00-05:00
	languages: [en]
	closed: 2018-01-01
	erased: true
	EOF
	cat >volunteers/V-R00004.yaml <<-'EOF'
	kind: volunteer
	id: V-R00004
	status: retired
	role: caregiver
	received: 2010-01-10T10:00:00-05:00
	languages: [en]
	EOF
	cat >volunteers/V-R00005.yaml <<-'EOF'
	kind: volunteer
	id: V-R00005
	status: active
	role: living-with
	received: 2010-01-10T10:00:00-05:00
	languages: [en]
	EOF
	cat >matches/M-R00001.yaml <<-'EOF'
	kind: match
	id: M-R00001
	status: ended
	stream: extended
	participant: P-R00001
	volunteer: V-R00005
	proposed: 2018-02-01T10:00:00-05:00
	ended: 2018-06-28T10:00:00-04:00
	end_reason: completed
	EOF
	cat >matches/M-R00002.yaml <<-'EOF'
	kind: match
	id: M-R00002
	status: ended
	stream: extended
	participant: P-R00002
	volunteer: V-R00005
	proposed: 2020-02-01T10:00:00-05:00
	ended: 2020-11-20T10:00:00-05:00
	end_reason: participant-request
	EOF
	cat >contacts/2018/06/01/C-R00001.yaml <<-'EOF'
	kind: contact
	id: C-R00001
	type: contact
	date: 2018-06-01T10:00:00-04:00
	match: M-R00001
	mode: phone
	minutes: 30
	note: "the match alone names the person"
	EOF
	cat >contacts/2018/06/02/C-R00002.yaml <<-'EOF'
	kind: contact
	id: C-R00002
	type: activity
	date: 2018-06-02T10:00:00-04:00
	volunteer: V-R00001
	hours: 2
	activity: training
	EOF
	cat >contacts/2018/06/02/C-R00003.yaml <<-'EOF'
	kind: contact
	id: C-R00003
	type: contact
	date: 2018-06-02T11:00:00-04:00
	match: M-R00002
	participant: P-R00002
	volunteer: V-R00005
	mode: phone
	minutes: 30
	EOF
	git_commit_all "old records"
}

@test "--retention lists the records closed more than closed_years ago, with their matches and contacts" {
	retention_store
	grep -qx '  closed_years: 7' program.yaml
	run_split ps-report --retention --table
	expect 0 "ID        KIND         CLOSED      YEARS  PERSON
V-R00002  volunteer    2017-02-01      9  V-R00002
P-R00003  participant  2018-03-01      8  P-R00003
P-R00001  participant  2018-06-28      8  P-R00001
M-R00001  match        2018-06-28      8  P-R00001
C-R00001  contact      2018-06-28      8  P-R00001
V-R00001  volunteer    2018-09-30      8  V-R00001
C-R00002  contact      2018-09-30      8  V-R00001" "ps-report: warning: V-R00004: retired, with no day it closed to count the retention from (closed, status_history)"
	# into a pipe, a record stream
	run_split ps-report --retention
	[ "$status" = 0 ]
	[ "$(printf '%s\n' "$out" | sed -n 1,6p)" = "---
id: V-R00002
kind: volunteer
closed: 2017-02-01
years: 9
person: V-R00002" ]
	[ "$(printf '%s\n' "$out" | grep -c '^---$')" = 7 ]
	# P-R00004 closed 7 years ago today: listed from tomorrow
	PS_NOW=2026-11-25T15:00:00Z run_split ps-report --retention --table
	printf '%s\n' "$out" | grep -qx 'P-R00004  participant  2019-11-24      7  P-R00004'
	# six years on, P-R00002 is not yet listed; in 2028, it is
	[[ "$out" != *P-R00002* && "$out" != *M-R00002* ]]
	PS_NOW=2028-01-01T15:00:00Z run_split ps-report --retention --table
	printf '%s\n' "$out" | grep -qx 'P-R00002  participant  2020-11-20      7  P-R00002'
	printf '%s\n' "$out" | grep -qx 'M-R00002  match        2020-11-20      7  P-R00002'
	printf '%s\n' "$out" | grep -qx 'C-R00003  contact      2020-11-20      7  P-R00002'
	# nothing is written
	[ -z "$(git status --porcelain)" ]
}

@test "--retention: a rule of 0 years, a programme without one, other options" {
	retention_store
	sed -i 's/^  closed_years: 7$/  closed_years: 0/' program.yaml
	git_commit_all "keep nothing"
	run_split ps-report --retention --table
	[ "$status" = 0 ]
	printf '%s\n' "$out" | grep -q '^P-R00002  participant  2020-11-20      6  P-R00002$'
	sed -i '/^retention:$/,/closed_years/d' program.yaml
	git_commit_all "no rule"
	run_split ps-report --retention
	expect 1 "" "ps-report: program.yaml: retention.closed_years: not set: say how many years records are kept after they close"
	run_split ps-report --retention --format csv
	[ "$status" = 2 ]
	[[ "$err" == "ps-report: --retention takes only -C, --yaml and --table"* ]]
	run_split ps-report --retention --history P-R00001
	[ "$status" = 2 ]
}

@test "consent: a participant who withdraws is matched no more, their matches end, and they leave the waiting list" {
	canary_store
	run_split ps-report --list waiting
	printf '%s\n' "$out" | grep -q '^    P-Q00001 .* extended'
	tool ps-match P-Q00001 --choose V-Q00001
	[ "$status" = 0 ]
	m=$(printf '%s\n' "$out" | sed -n 's/^id: //p')
	canary CANARY-970-why
	tool ps-apply --withdraw P-Q00001 --reason CANARY-970-why
	[ "$status" = 0 ]
	[ "$(git log -1 --format=%s)" = "ps-apply: withdraw P-Q00001 (ends $m)" ]
	grep -qx 'status: declined' "matches/$m.yaml"
	# proposed for nothing, chooses nobody, has no candidates
	tool ps-match --table P-Q00001
	[ "$status" = 0 ]
	[ "$out" = "MATCH     PARTICIPANT  VOLUNTEER  STREAM        SCORE" ]
	tool ps-match --table
	[ "$status" = 0 ]
	[[ "$out" == "MATCH "* && "$out" != *P-Q00001* ]]
	tool ps-match --candidates 3 P-Q00001
	[ "$status" = 1 ]
	tool ps-match P-Q00001 --choose V-Q00002
	[ "$status" = 1 ]
	# the next report's waiting list
	run_split ps-report --list waiting
	[ "$status" = 0 ]
	printf '%s\n' "$out" | grep -qx '  Waiting for a match, longest first'
	[[ "$out" != *P-Q00001* ]]
	# a participant in an active match: it ends at their request
	tool ps-apply --withdraw P-Q00002 --reason CANARY-970-why
	[ "$status" = 0 ]
	[ "$(git log -1 --format=%s)" = "ps-apply: withdraw P-Q00002 (ends M-Q00001)" ]
	grep -qx 'status: ended' matches/M-Q00001.yaml
	grep -qx 'end_reason: participant-request' matches/M-Q00001.yaml
	run_split ps-report --section active --no-suppress --format csv
	printf '%s\n' "$out" | grep -qx 'active,figures,active,value,0'
	run_split ps-check
	[ "$status" = 0 ]
	[[ "$out" == *" records checked, 0 problems" ]]
	store_clean
}

@test "consent: a volunteer who withdraws is no candidate, and their matches end" {
	canary_store
	tool ps-apply --withdraw V-Q00001 --reason "moving away"
	[ "$status" = 0 ]
	[ "$(git log -1 --format=%s)" = "ps-apply: withdraw V-Q00001 (ends M-Q00001)" ]
	grep -qx 'status: ended' matches/M-Q00001.yaml
	grep -qx 'end_reason: volunteer-request' matches/M-Q00001.yaml
	tool ps-match --candidates 3 P-Q00001 --table
	[ "$status" = 0 ]
	[[ "$out" != *V-Q00001* && "$out" == *V-Q00002* ]]
	tool ps-match P-Q00001 --choose V-Q00001
	[ "$status" = 1 ]
	tool ps-match --stream onecall
	[ "$status" = 0 ]
	[[ "$out" == *"kind: match"* && "$out" != *V-Q00001* ]]
	run_split ps-check
	expect 0 "20 records checked, 0 problems" ""
}

@test "consent: a volunteer's withdrawal puts their participants back on the waiting list" {
	canary_store
	tool ps-apply --withdraw V-Q00001 --reason "moving away"
	grep -qx 'status: waiting' participants/P-Q00002.yaml
	run_split ps-report --list waiting
	printf '%s\n' "$out" | grep -q '^    P-Q00002 '
}

@test "consent: a follow-up survey is listed due only while the participant agrees to it" {
	canary_store
	# feedback of 1 July: a follow-up from 1 October at the earliest,
	# due in the report of a week that ends in the 4 weeks before
	tool ps-log --feedback M-Q00001 --helpfulness 4 --followup no --date 2026-07-01
	[ "$status" = 0 ]
	# the entry is there: grep finds nothing in what is not
	ls contacts/2026/07/01/C-*.yaml >/dev/null
	! grep -rq 'followup_after' contacts/2026/07/01 || false
	for w in 2026-W36 2026-W37 2026-W38 2026-W39; do
		run_split ps-report --week "$w" --section followup --format csv --no-suppress
		printf '%s\n' "$out" | grep -qx 'followup,figures,followups_due,value,0'
	done
	tool ps-log --feedback M-Q00001 --helpfulness 4 --followup yes --date 2026-07-01
	[ "$status" = 0 ]
	c=$(git show --name-only --format= HEAD | sed -n 's|.*/\(C-[^.]*\)\.yaml|\1|p')
	due() {
		run_split ps-report --week 2026-W37 --section followup --format csv --no-suppress
		printf '%s\n' "$out" | grep -qx "followup,figures,followups_due,value,$1"
	}
	due 1
	run_split ps-report --week 2026-W37 --list followups --format csv
	printf '%s\n' "$out" | grep -qx "followup,followups,P-Q00002,feedback,$c"
	# taken back in the participant's record: no longer due
	consents='consents:\n  - {type: privacy, version: "2026-01", date: 2026-08-03, given: true}\n  - {type: follow-up, version: "2026-01", date: 2026-10-01, given: false}\n'
	# not piped: tool in a pipeline sets $status in a subshell, and the
	# check would read the status of the run before
	tool ps-apply --update P-Q00002 < <(printf "$consents")
	[ "$status" = 0 ]
	due 0
	# given again: due again
	tool ps-apply --update P-Q00002 \
	    < <(printf "$consents"'  - {type: follow-up, version: "2026-01", date: 2026-10-15, given: true}\n')
	[ "$status" = 0 ]
	due 1
	# and no more once the participant withdraws
	tool ps-apply --withdraw P-Q00002 --reason "no more contact"
	[ "$status" = 0 ]
	due 0
	store_clean
}
