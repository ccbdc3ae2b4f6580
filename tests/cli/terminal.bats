#!/usr/bin/env bats
# What the write commands print on a terminal.
#
# ps-apply, ps-screen, ps-match and ps-log print, on a terminal, one line
# for each record they write (or would write, with -n): its ID, its kind
# and what changed, never a value of the record ("P-7K3Q2X participant:
# applied"), so that a screen, a screen share or a terminal's scrollback
# holds nobody's details. Into a pipe, and with --yaml, they print the
# records written, a record stream exactly as stored; --table prints the
# lines into a pipe. The tools run here with their standard output on a
# pseudo-terminal (on_tty).
load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
A=$BATS_TEST_DIRNAME/../fixtures/apply
CF=$BATS_TEST_DIRNAME/../fixtures/canary
export PS_NOW=2026-11-22T15:00:00Z

# The child's standard output on a new pseudo-terminal, read back to the
# end (EIO once the last writer is gone); its standard input and error
# are this process's. The terminal's CR LF comes back as LF.
TTY_PY='
import os, pty, subprocess, sys
m, s = pty.openpty()
p = subprocess.Popen(sys.argv[1:], stdout=s)
os.close(s)
out = bytearray()
while True:
    try:
        b = os.read(m, 65536)
    except OSError:
        break
    if not b:
        break
    out += b
sys.stdout.buffer.write(bytes(out).replace(b"\r\n", b"\n"))
sys.exit(p.wait())
'

# on_tty CMD...: run_split CMD with its standard output on a terminal.
on_tty() {
	run_split /usr/bin/python3 -c "$TTY_PY" "$@"	# its caller looks: lint: ok
}

# IDs are random: mask them to compare output.
mask() {
	sed -E 's/\b([PVMCG])-[0-9A-HJKMNP-TV-Z]{6}\b/\1-XXXXXX/g'
}

# The ID of the one record in folder $2 of store $1.
only_id() {
	basename "$(ls "$1/$2"/*.yaml)" .yaml
}

# stored STORE PATH...: the records at PATH..., as a record stream.
stored() {
	local f
	for f in "${@:2}"; do
		printf -- '---\n'
		cat "$1/$f"
	done
}

# as_stored STORE: the ps-apply of two.yaml just run printed the records
# it stored in STORE, byte for byte.
as_stored() {
	diff -u <(stored "$1" "participants/$(only_id "$1" participants).yaml" \
	    "volunteers/$(only_id "$1" volunteers).yaml") <(printf '%s\n' "$out")
}

@test "on_tty: the tools see a terminal (a listing is a table there)" {
	new_store
	on_tty ps-apply -C s --list
	expect 0 "ID        KIND         STREAM        STATUS      RECEIVED" ""
	run_split ps-apply -C s --list
	expect 0 "" ""
}

@test "ps-apply on a terminal: a line per application, its ID, kind and what changed, nothing from it" {
	new_store
	h=$(head_of s)
	on_tty ps-apply -C s -n "$A/two.yaml"
	[ "$(head_of s)" = "$h" ]
	out=$(printf '%s\n' "$out" | mask)
	expect 0 "P-XXXXXX participant: applied
V-XXXXXX volunteer: applied" ""
	on_tty ps-apply -C s "$A/two.yaml"
	p=$(only_id s participants)
	v=$(only_id s volunteers)
	expect 0 "$p participant: applied
$v volunteer: applied" ""
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 2 applications (1 participant, 1 volunteer)" ]
	printf 'context: "Now in Ottawa."\ncontact:\n  phone: 613 555 0111\n' >upd.yaml
	on_tty ps-apply -C s --update "$p" upd.yaml
	expect 0 "$p participant: updated (context, contact)" ""
	grep -q '^context: Now in Ottawa.$' "s/participants/$p.yaml"
	printf '%s\n' "moved away" >"$T/text"
	on_tty ps-apply -C s --withdraw "$v" --reason-file "$T/text"
	expect 0 "$v volunteer: withdrawn" ""
	grep -q '^  reason: moved away$' "s/volunteers/$v.yaml"
}

@test "ps-apply into a pipe, and with --yaml on a terminal: the records as stored, byte for byte; --table: the lines" {
	ps-init "$T/pipe" >/dev/null
	run_split ps-apply -C pipe "$A/two.yaml"
	[ "$status" = 0 ]
	[ -z "$err" ]
	as_stored pipe
	grep -q '^  email: jean.dupont@example.org$' pipe/participants/*.yaml
	ps-init "$T/yaml" >/dev/null
	on_tty ps-apply -C yaml --yaml "$A/two.yaml"
	[ "$status" = 0 ]
	[ -z "$err" ]
	as_stored yaml
	ps-init "$T/table" >/dev/null
	run_split ps-apply -C table --table "$A/two.yaml"
	p=$(only_id table participants)
	v=$(only_id table volunteers)
	expect 0 "$p participant: applied
$v volunteer: applied" ""
}

@test "ps-apply --csv of 500 rows on a terminal: 500 lines, nobody's details" {
	new_store
	{
		head -1 "$A/form.csv"
		for i in $(seq 1000 1499); do
			printf '2026-11-20 10:01,Canary%d,Person%d,canary.%d@example.org,613-555-%04d,en,I live with MS,"Context %d, in their words",yes\n' \
			    "$i" "$i" "$i" "$i" "$i"
		done
	} >form.csv
	on_tty ps-apply -C s --csv --map "$A/form-map.yaml" form.csv
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(printf '%s\n' "$out" | wc -l)" = 500 ]
	[ "$(printf '%s\n' "$out" | grep -cE '^P-[0-9A-HJKMNP-TV-Z]{6} participant: applied$')" = 500 ]
	# (past the ID, which may hold 613 by chance)
	printf '%s\n' "$out" | cut -d' ' -f2- |
	    (! grep -iE 'canary|person|example|613|context|living') || false
	# each line names a record stored, each once
	diff -u <(cd s/participants && ls | sed 's/\.yaml$//') \
	    <(printf '%s\n' "$out" | cut -d' ' -f1 | sort)
}

@test "ps-screen on a terminal: a line per record, the step and its result, or the decision" {
	new_store
	ps-apply -C s "$A/two.yaml" >/dev/null
	p=$(only_id s participants)
	v=$(only_id s volunteers)
	cd s
	printf '%s\n' "she sounds kind" >"$T/text"
	on_tty ps-screen -n "$v" --step application --result pass --note-file "$T/text"
	expect 0 "$v volunteer: application pass, now screening" ""
	printf '%s\n' "she sounds kind" >"$T/text"
	on_tty ps-screen "$v" --step application --result pass --note-file "$T/text"
	expect 0 "$v volunteer: application pass, now screening" ""
	grep -q 'note: she sounds kind' "volunteers/$v.yaml"
	ps-screen "$v" --step interview --result pass >/dev/null
	on_tty ps-screen "$v" --step references --result pass --referee 2
	expect 0 "$v volunteer: references pass (referee 2)" ""
	on_tty ps-screen "$p" --step onboarding-call --result pass
	expect 0 "$p participant: onboarding-call pass, now waiting" ""
	printf '%s\n' "not this year" >"$T/text"
	on_tty ps-screen "$v" --decide decline --reason-file "$T/text"
	expect 0 "$v volunteer: declined" ""
	[ "$(git log -1 --format=%s)" = "ps-screen: decline $v" ]
}

@test "ps-screen on a terminal: leave, return and retire" {
	new_store
	mkdir -p s/volunteers
	cp "$FIX"/match/V-A00001.yaml s/volunteers/
	git_commit_all "a volunteer"
	cd s
	printf '%s\n' "her mother is ill" >"$T/text"
	on_tty ps-screen V-A00001 --leave --until 2026-12-31 --reason-file "$T/text"
	expect 0 "V-A00001 volunteer: on leave until 2026-12-31" ""
	on_tty ps-screen V-A00001 --return
	expect 0 "V-A00001 volunteer: back from leave" ""
	printf '%s\n' "moving to Halifax" >"$T/text"
	on_tty ps-screen -n V-A00001 --retire --reason-file "$T/text"
	expect 0 "V-A00001 volunteer: retired" ""
	# --yaml: the record, as stored
	printf '%s\n' "moving to Halifax" >"$T/text"
	on_tty ps-screen V-A00001 --retire --reason-file "$T/text" --yaml
	expect 0 "$(stored . volunteers/V-A00001.yaml)" ""
	grep -q 'reason: moving to Halifax' volunteers/V-A00001.yaml
}

@test "ps-screen on a terminal: a line per volunteer given a seat in a cohort, or put on its waiting list" {
	new_store
	# the volunteer of two.yaml, and another
	sed -n '/^---$/,$p' "$A/two.yaml" >ana.yaml
	{ cat ana.yaml; sed -e 's/Ana/Bea/' -e 's/ana@/bea@/' -e 's/0123/0124/' ana.yaml; } >vol.yaml
	ps-apply -C s vol.yaml >/dev/null
	cd s
	v1=$(ls volunteers | sed -n '1s/\.yaml$//p')
	v2=$(ls volunteers | sed -n '2s/\.yaml$//p')
	ps-screen "$v1" "$v2" --step application --result pass >/dev/null
	on_tty ps-screen --cohort spring --seats 1 --starts 2027-01-11
	expect 0 "" ""
	on_tty ps-screen --cohort spring "$v1" "$v2"
	expect 0 "$v1 volunteer: seated in cohort spring
$v2 volunteer: on the waiting list of cohort spring" ""
	on_tty ps-screen --cohort spring --seats 2
	expect 0 "$v2 volunteer: seated in cohort spring" ""
	[ "$(git log -1 --format=%s)" = "ps-screen: cohort spring (2 seats, starts 2027-01-11); 1 from the waiting list" ]
}

@test "ps-log on a terminal: a line per contact logged, its day, mode and length, never the note" {
	logged_store
	printf '%s\n' "she cried; her son is unwell" >"$T/text"
	on_tty ps-log "$M" --mode phone --minutes 45 --note-file "$T/text"
	c=$(basename "$(ls contacts/2026/11/22/)" .yaml)
	expect 0 "$c contact: logged 2026-11-22, phone, 45 min" ""
	grep -q '^note: she cried; her son is unwell$' "contacts/2026/11/22/$c.yaml"
	printf '%s\n' "talked of ending it" >"$T/text"
	on_tty ps-log -n "$M" --mode video --minutes 30 --flag risk --referral 988 \
	    --note-file "$T/text"
	out=$(printf '%s\n' "$out" | mask)
	expect 0 "C-XXXXXX contact: logged 2026-11-22, video, 30 min, flag risk" ""
	printf '%s\n' "slow learner" >"$T/text"
	on_tty ps-log --volunteer V-A00001 --activity training --hours 1.5 \
	    --date 2026-11-18 --note-file "$T/text"
	out=$(printf '%s\n' "$out" | mask)
	expect 0 "C-XXXXXX contact: logged activity 2026-11-18, training, 1.5 h" ""
	# a batch on the standard input: a line each
	printf -- '---\ntype: contact\nmatch: %s\nmode: email\nminutes: 20\nnote: a long email about her divorce\n---\ntype: feedback\nparticipant: P-B00001\nfeedback: {helpfulness: 5, comment: "Anna saved me", followup_consent: false}\n' \
	    "$M" >batch.yaml
	on_tty ps-log <batch.yaml
	out=$(printf '%s\n' "$out" | mask)
	expect 0 "C-XXXXXX contact: logged 2026-11-22, email, 20 min
C-XXXXXX contact: logged feedback 2026-11-22" ""
	printf '%s\n' "get back to work without a panic attack" >"$T/text"
	on_tty ps-log "$M" --new-goal-file "$T/text"
	expect 0 "$M match: goal g1 added" ""
	grep -q 'text: get back to work without a panic attack' "matches/$M.yaml"
}

@test "ps-match on a terminal: a line per match accepted, declined, ended or extended" {
	logged_store
	on_tty ps-match --extend "$M" --by 4w
	expect 0 "$M match: extended to 2027-06-21" ""
	on_tty ps-match -n --end "$M" --reason not-a-fit
	expect 0 "$M match: ended (not-a-fit)" ""
	on_tty ps-match --end "$M" --reason completed
	expect 0 "$M match: ended (completed)" ""
	printf '%s\n' "he wants a woman" >"$T/text"
	on_tty ps-match --decline "$P2" --by participant --reason-file "$T/text"
	expect 0 "$P2 match: declined" ""
	grep -q 'reason: he wants a woman' "matches/$P2.yaml"
	# V-A00001 is free again: P-B00002 chooses them
	on_tty ps-match P-B00002 --choose V-A00001
	m=$(git log -1 --format=%s | sed 's/^ps-match: choose \(M-[^ ]*\) .*/\1/')
	expect 0 "$m match: proposed (P-B00002 chose V-A00001)" ""
	on_tty ps-match --accept "$m" --by "A. Carey"
	expect 0 "$m match: accepted (P-B00002 with V-A00001)" ""
	# into a pipe, the whole record as stored
	run_split ps-match --end "$m" --reason completed
	[ "$status" = 0 ]
	diff -u <(stored . "matches/$m.yaml") <(printf '%s\n' "$out")
}

# The canary store at $T/s, the current directory: the fixture programme,
# and every record of the fixtures, its sensitive fields canaries
# (tests/canary.py; privacy.bats holds the same store). $T/values lists
# the canaries, one a line.
canary_store() {
	ps-init --program "$CF/program.yaml" "$T/s" >/dev/null
	/usr/bin/python3 "$TOP/tests/canary.py" --cover "$T/canaries" "$T/s" \
	    "$CF"/base/*.yaml
	/usr/bin/python3 "$TOP/tests/canary.py" --flat --start 1000 \
	    "$T/canaries" "$T/app" "$CF"/apply/*.yaml
	cut -f1 "$T/canaries" >"$T/values"
	git_commit_all "records"
	cd "$T/s"
}

# quiet CMD...: on_tty CMD works and its output holds no canary; $shown
# collects what every command showed.
quiet() {
	on_tty "$@"
	[ "$status" = 0 ] || { echo "$*: status $status: $err"; return 1; }
	shown=$shown$out$'\n'
	if printf '%s\n' "$out" | grep -iF -f "$T/values"; then
		echo "$* shows values of sensitive fields on a terminal"
		return 1
	fi
}

@test "no leak on a terminal: no write command shows a value of a sensitive field, and --yaml would" {
	canary_store
	shown=
	printf 'CANARY-990-note\nCANARY-991-reason\nCANARY-992-goal\nCANARY-993-stdin\n' >>"$T/values"
	quiet ps-apply "$T/app/participant.yaml" "$T/app/volunteer.yaml"
	v=$(printf '%s\n' "$out" | sed -n 's/ volunteer: applied$//p')
	printf 'context: CANARY-994-update\n' >"$T/upd.yaml"
	echo CANARY-994-update >>"$T/values"
	quiet ps-apply --update P-Q00001 "$T/upd.yaml"
	quiet ps-screen "$v" --step application --result pass --note CANARY-990-note
	quiet ps-screen V-Q00003 --step references --result pass --referee 2 \
	    --note CANARY-990-note
	quiet ps-screen V-Q00003 --decide decline --reason CANARY-991-reason
	quiet ps-screen V-Q00002 --leave --until 2026-12-31 --reason CANARY-991-reason
	quiet ps-screen V-Q00002 --return
	quiet ps-log M-Q00001 --mode phone --minutes 20 --note CANARY-990-note \
	    --topic caregiver-burnout --goal g1:some
	quiet ps-log M-Q00001 --mode phone --minutes 10 --flag risk \
	    --referral none --no-referral-reason CANARY-991-reason
	quiet ps-log --feedback M-Q00001 --helpfulness 4 --comment CANARY-990-note \
	    --followup no
	quiet ps-log M-Q00001 --new-goal CANARY-992-goal
	printf -- '---\ntype: contact\nmatch: M-Q00001\nmode: phone\nminutes: 5\nnote: CANARY-993-stdin\n' >"$T/in.yaml"
	quiet ps-log <"$T/in.yaml"
	quiet ps-match P-Q00001 --choose V-Q00001
	m=$(printf '%s\n' "$out" | cut -d' ' -f1)
	quiet ps-match --decline "$m" --by participant --reason CANARY-991-reason
	quiet ps-match P-Q00001 --choose V-Q00002
	m=$(printf '%s\n' "$out" | cut -d' ' -f1)
	quiet ps-match --accept "$m"
	quiet ps-match --extend "$m" --by 4w
	quiet ps-match --end M-Q00001 --reason completed
	quiet ps-apply -n --withdraw P-Q00001 --reason CANARY-991-reason
	quiet ps-apply --withdraw P-Q00001 --reason CANARY-991-reason
	# every command printed a line for each record, and only that
	[ "$(printf '%s' "$shown" | grep -cvE '^[PVMCG]-[0-9A-HJKMNP-TV-Z]{6} (participant|volunteer|match|contact|group): [a-z]')" = 0 ]
	[ "$(printf '%s' "$shown" | wc -l)" = 21 ]
	# the check can fail: the whole record, asked for, shows them
	on_tty ps-apply --yaml --update P-Q00002 "$T/upd.yaml"
	[ "$status" = 0 ]
	printf '%s\n' "$out" | grep -qF CANARY-994-update
	printf '%s\n' "$out" | grep -qF "$(sed -n '/\tP-Q00002\tparticipant\tname.last\t/s/\t.*//p' "$T/canaries")"
}
