#!/usr/bin/env bats
# ps-report(1) and examples/cron/: every section of a report and every
# key is described, the EXAMPLES run as the page shows them, and the cron
# wrapper mails last week's report, or says why it cannot (man-pages.bats
# reads the SYNOPSIS and OPTIONS against the usage).
load helpers
load man-page

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
PAGE=$TOP/man/ps-report.1
CRON=$TOP/examples/cron
MF=$BATS_TEST_DIRNAME/../fixtures/match

# The store the EXAMPLES describe, at ~/peer-support: the default
# programme, created on 1 September 2026; the matching fixtures; on Friday
# 20 November the proposals committed and the Extended matches of
# P-B00001 (with V-A00001) and P-B00002 accepted; on Monday 23 November
# the week's entries logged: three phone calls for the first match (one
# flagged crisis, referred to 988), the OneCall callback, a video call
# late on Sunday given in UTC, two hours of supervision, and feedback.
# It is Tuesday 24 November. The page's IDs are paired with the store's.
examples_store() {
	local s=$HOME/peer-support m1 m2 cb
	export PS_AUTHOR="A. Carey <acarey@example.org>"
	PS_NOW=2026-09-01T13:00:00Z ps-init "$s" >/dev/null
	mkdir -p "$s/participants" "$s/volunteers"
	cp "$MF"/P-*.yaml "$s/participants/"
	cp "$MF"/V-*.yaml "$s/volunteers/"
	git -C "$s" add -A
	GIT_AUTHOR_DATE=2026-11-01T12:00:00Z GIT_COMMITTER_DATE=2026-11-01T12:00:00Z \
	    git -C "$s" -c user.name="A. Carey" -c user.email=acarey@example.org \
	    commit -q --no-verify -m "records from the old spreadsheet"
	# each step says if it fails: the subshell runs left of ||, where
	# set -e is off
	(
		cd "$s" || exit 1
		export PS_NOW=2026-11-20T20:00:00Z
		ps-match --commit >/dev/null 2>&1 || exit 1
		m1=$(basename "$(grep -l 'participant: P-B00001' matches/*.yaml)" .yaml)
		m2=$(basename "$(grep -l 'participant: P-B00002' matches/*.yaml)" .yaml)
		cb=$(basename "$(grep -l 'participant: P-B00005' matches/*.yaml)" .yaml)
		ps-match --accept "$m1" >/dev/null || exit 1
		ps-match --accept "$m2" >/dev/null || exit 1
		export PS_NOW=2026-11-23T15:00:00Z
		ps-log "$m1" --mode phone --minutes 15 --date 2026-11-12 &&
		ps-log "$m1" --mode phone --minutes 45 --date 2026-11-21 &&
		ps-log "$m1" --mode phone --minutes 20 --date 2026-11-21 \
		    --flag crisis --referral 988 &&
		ps-log "$cb" --mode phone --minutes 30 --date 2026-11-21 &&
		ps-log "$m2" --mode video --minutes 30 --date 2026-11-23T04:30:00Z &&
		ps-log --volunteer V-A00002 --activity supervision --hours 2 \
		    --date 2026-11-18 &&
		ps-log --feedback "$m1" --helpfulness 5 --coping 4 --followup yes \
		    --date 2026-11-22
	) >/dev/null || return 1
	m1=$(basename "$(grep -l 'participant: P-B00001' "$s"/matches/*.yaml)" .yaml)
	real_id=([M-8D1Q4R]=$m1 [P-7K3Q2X]=P-B00001 [V-3K2J9X]=V-A00001)
	export PS_NOW=2026-11-24T15:00:00Z
}

@test "every section of a report is described in SECTIONS" {
	local s missing=
	for s in intake screening matching onecall active activity safety \
	    followup audit; do
		grep -q "^\.Ss $s \\\\(em " "$PAGE" || missing="$missing $s"
	done
	run_split echo "not described:$missing"
	expect 0 "not described:" ""
}

@test "every figure and table key of a report is named in SECTIONS" {
	local k keys missing=
	examples_store
	cd "$HOME/peer-support"
	run_split ps-report --format csv
	[ "$status" = 0 ]
	lists=$(ps-report --list all --format csv)
	# the report's own lines (the key to its marks) name no section
	keys=$(printf '%s\n%s\n' "$out" "$lists" | sed 1d | awk -F, '
	    $1 == "report" || $1 == "section" { next }
	    $2 == "figures" { print $3; next } { print $2 }' | sort -u)
	# keys of every section: no key would leave nothing missing
	[ "$(printf '%s\n' "$keys" | wc -l)" -ge 20 ]
	for k in $keys; do
		grep -qE "Li $k( ,|\$)" "$PAGE" || missing="$missing $k"
	done
	run_split echo "not in the page:$missing"
	expect 0 "not in the page:" ""
}

@test "the EXAMPLES of ps-report(1) run as shown" {
	examples_store
	cd "$TOP"
	run_man_examples "$PAGE" 12
	# the examples changed the store by the one contact logged late
	cd "$HOME/peer-support"
	run_split git log -1 --format=%s
	[[ "$out" == "ps-log: contact C-"* ]]
	run_split git status --porcelain
	expect 0 "" ""
}

@test "the cron line of ps-report(1) is the one in examples/cron/crontab" {
	local line
	line=$(grep -v '^#' "$CRON/crontab")
	[ "$(printf '%s\n' "$line" | wc -l)" = 1 ]
	# Monday at 07:00, PATH and PS_STORE set, the wrapper run
	[[ "$line" == '0 7 * * 1  PATH='*' PS_STORE='*' REPORT_TO='*'/weekly-report.sh' ]]
	grep -qxF -- "$line" "$PAGE"
}

@test "the cron wrapper with -n prints last week's mail, and sends nothing" {
	local want
	examples_store
	export PS_STORE=$HOME/peer-support REPORT_TO=board@example.org
	want=$(printf '%s\n' "To: board@example.org" \
	    "Subject: Peer support weekly report, 2026-11-16 to 2026-11-22" \
	    "MIME-Version: 1.0" "Content-Type: text/plain; charset=utf-8" "" &&
	    ps-report --week last)
	run_split sh "$CRON/weekly-report.sh" -n
	expect 0 "$want" ""
	# the report's body is there, in full
	printf '%s\n' "$out" | grep -qx 'Report for 2026-11-16 to 2026-11-22 (changes are from the period before)'
	printf '%s\n' "$out" | grep -qx 'Store commit [0-9a-f]\{40\}'
	printf '%s\n' "$out" | grep -qx '  Contacts \.* *<5'
	printf '%s\n' "$out" | grep -qx '  Changes by tool'
	# the board's: no ID, no author
	! printf '%s\n' "$out" | grep -Eq '[PVMC]-[0-9A-Z]{6}|A\. Carey' || false
}

@test "the cron wrapper mails with mail(1), quietly" {
	examples_store
	mkdir "$T/bin"
	cat >"$T/bin/mail" <<-EOF
	#!/bin/sh
	printf '%s\n' "\$@" >"$T/mail.args"
	cat >"$T/mail.body"
	EOF
	chmod +x "$T/bin/mail"
	PATH=$T/bin:$PATH PS_STORE=$HOME/peer-support \
	    REPORT_TO=board@example.org run_split sh "$CRON/weekly-report.sh"
	expect 0 "" ""
	run_split cat "$T/mail.args"
	expect 0 "-s
Peer support weekly report, 2026-11-16 to 2026-11-22
board@example.org" ""
	(cd "$HOME/peer-support" && ps-report --week last) >"$T/want"
	# last week's report: two empty ones would compare equal
	grep -q '^Report for 2026-11-16 to 2026-11-22 ' "$T/want"
	cmp "$T/want" "$T/mail.body"
}

@test "the cron wrapper mails with sendmail when there is no mail(1)" {
	local t
	examples_store
	mkdir "$T/bin"
	for t in sh sed cat mktemp rm ps-report; do
		ln -s "$(command -v "$t")" "$T/bin/$t"
	done
	cat >"$T/bin/sendmail" <<-EOF
	#!/bin/sh
	printf '%s\n' "\$@" >"$T/sendmail.args"
	cat >"$T/sendmail.in"
	EOF
	chmod +x "$T/bin/sendmail"
	PATH=$T/bin PS_STORE=$HOME/peer-support REPORT_TO=board@example.org \
	    run_split "$T/bin/sh" "$CRON/weekly-report.sh"
	expect 0 "" ""
	run_split cat "$T/sendmail.args"
	expect 0 "-i
-t" ""
	run_split sed -n '1,4p' "$T/sendmail.in"
	expect 0 "To: board@example.org
Subject: Peer support weekly report, 2026-11-16 to 2026-11-22
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8" ""
	[ -z "$(sed -n 5p "$T/sendmail.in")" ]
	sed 1,5d "$T/sendmail.in" >"$T/body"
	(cd "$HOME/peer-support" && ps-report --week last) >"$T/want"
	grep -q '^Report for 2026-11-16 to 2026-11-22 ' "$T/want"
	cmp "$T/want" "$T/body"
}

@test "the cron wrapper with a store that does not exist says so on stderr, prints nothing, and fails" {
	PS_STORE=$T/no-such-store REPORT_TO=board@example.org \
	    run_split sh "$CRON/weekly-report.sh" -n
	expect 3 "" "ps-report: $T/no-such-store: No such file or directory
weekly-report.sh: ps-report failed (exit status 3); no report was mailed"
	# and when sending, the same: no mail is sent
	mkdir "$T/bin"
	printf '#!/bin/sh\ntouch "%s/mailed"\n' "$T" >"$T/bin/mail"
	chmod +x "$T/bin/mail"
	PATH=$T/bin:$PATH PS_STORE=$T/no-such-store \
	    REPORT_TO=board@example.org run_split sh "$CRON/weekly-report.sh"
	[ "$status" = 3 ]
	[ -z "$out" ]
	[[ "$err" == *"no report was mailed" ]]
	[ ! -e "$T/mailed" ]
}

@test "the cron wrapper refuses to send without REPORT_TO, and bad usage" {
	examples_store
	export PS_STORE=$HOME/peer-support
	unset REPORT_TO
	run_split sh "$CRON/weekly-report.sh"
	expect 2 "" "weekly-report.sh: REPORT_TO is not set: give the address the report goes to"
	REPORT_TO=-oQ/tmp run_split sh "$CRON/weekly-report.sh"
	expect 2 "" "weekly-report.sh: REPORT_TO: not a mail address"
	run_split sh "$CRON/weekly-report.sh" -x
	expect 2 "" "weekly-report.sh: unknown option -x
usage: weekly-report.sh [-n]"
	run_split sh "$CRON/weekly-report.sh" now
	expect 2 "" "weekly-report.sh: too many operands
usage: weekly-report.sh [-n]"
	# -n without REPORT_TO: the mail without its To: line
	run_split sh "$CRON/weekly-report.sh" -n
	[ "$status" = 0 ]
	[ "$(printf '%s\n' "$out" | head -1)" = "Subject: Peer support weekly report, 2026-11-16 to 2026-11-22" ]
}
