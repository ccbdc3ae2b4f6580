#!/usr/bin/env bats
# ps-report: every section and format against figures counted by hand,
# week boundaries and time zones, suppression, --as-of, --history.
load helpers

MF=$BATS_TEST_DIRNAME/../fixtures/match
RF=$BATS_TEST_DIRNAME/../fixtures/report

# A programme's week 2026-W47 (Monday 16 to Sunday 22 November, Toronto):
#   intake: P-B00005 (OneCall, caregiver) on the 20th; the week before,
#     P-B00003 and P-B00004: 1 application, -1;
#   matching: P-B00001 and P-B00002 matched on the 20th, after 50 and 18
#     days (median 18, 90th percentile 50, target 42); P-B00004 (Spanish,
#     no volunteer) waits, 10 days at the week's end; P-B00003 has an open
#     proposal, so is not on the waiting list;
#   onecall: 1 request, called back on the 21st, on time;
#   activity: phone 45 and 20 (flagged crisis, 988) on the 21st, the
#     callback (phone 30) on the 21st, video 30 at 23:30 on Sunday 22nd
#     given in UTC: 4 contacts (+3 on the week before's 1), 125 minutes;
#     2 hours of supervision; feedback (helpfulness 5) on the 22nd.
report_store() {
	export PS_NOW=2026-10-01T12:00:00Z
	new_store
	mkdir -p s/participants s/volunteers
	cp "$MF"/P-*.yaml s/participants/
	cp "$MF"/V-*.yaml s/volunteers/
	GIT_AUTHOR_DATE=2026-11-01T12:00:00Z GIT_COMMITTER_DATE=2026-11-01T12:00:00Z \
	    git_commit_all "fixtures"
	cd s
	export PS_NOW=2026-11-20T20:00:00Z
	ps-match --commit >/dev/null 2>&1
	M1=$(grep -l 'participant: P-B00001' matches/*.yaml | xargs basename | sed 's/\.yaml$//')
	M2=$(grep -l 'participant: P-B00002' matches/*.yaml | xargs basename | sed 's/\.yaml$//')
	CB=$(grep -l 'participant: P-B00005' matches/*.yaml | xargs basename | sed 's/\.yaml$//')
	ps-match --accept "$M1" >/dev/null
	ps-match --accept "$M2" >/dev/null
	export PS_NOW=2026-11-23T15:00:00Z
	ps-log "$M1" --mode phone --minutes 15 --date 2026-11-12 >/dev/null
	ps-log "$M1" --mode phone --minutes 45 --date 2026-11-21 --note "CANARY-note" >/dev/null
	ps-log "$M1" --mode phone --minutes 20 --date 2026-11-21 --flag crisis --referral 988 >/dev/null
	ps-log "$CB" --mode phone --minutes 30 --date 2026-11-21 >/dev/null
	ps-log "$M2" --mode video --minutes 30 --date 2026-11-23T04:30:00Z >/dev/null
	ps-log --volunteer V-A00002 --activity supervision --hours 2 --date 2026-11-18 >/dev/null
	ps-log --feedback "$M1" --helpfulness 5 --coping 4 --followup yes --comment "CANARY-comment" --date 2026-11-22 >/dev/null
	export PS_NOW=2026-11-24T15:00:00Z
}

# IDs drawn at random, and the commit they make, as placeholders.
norm() {
	sed -E -e 's/C-[0-9A-HJKMNP-TV-Z]{6}/C-xxxxxx/g' \
	    -e "s/\"?$(git rev-parse HEAD)\"?/HEAD/g" -e "s/$M1/M-one/g" \
	    -e "s/$M2/M-two/g" -e "s/$CB/M-callback/g"
}

# The figures as counted (--no-suppress: every one is small here).
golden() {	# format
	run_split ps-report --format "$1" --no-suppress
	[ "$status" = 0 ]
	[ -z "$err" ]
	printf '%s\n' "$out" | norm >"got.$1"
	# REGEN=1 writes the golden files anew: read the diff before committing
	[ -z "${REGEN:-}" ] || cp "got.$1" "$RF/week.$1"
	diff -u "$RF/week.$1" "got.$1"
	! grep -q CANARY "got.$1" || false
}

@test "the weekly report as text: every section counted by hand" {
	report_store
	golden text
}

@test "the weekly report as Markdown" {
	report_store
	golden md
}

@test "the weekly report as CSV" {
	report_store
	golden csv
}

@test "the weekly report as YAML" {
	report_store
	golden yaml
	python3 -c 'import sys, yaml; d = yaml.safe_load(open("got.yaml")); assert d["sections"][5]["figures"][0]["value"] == 4' 
}

@test "the weekly report as one self-contained HTML page" {
	report_store
	golden html
	! grep -v 'xmlns="http://www.w3.org/2000/svg"' got.html | grep -Eq '<script|https?://|<link|src=' || false
	[ "$(grep -c '<svg' got.html)" = 3 ]
}

@test "the coordinator's working lists, every one of them" {
	report_store
	run_split ps-report --list all
	[ "$status" = 0 ]
	[ -z "$err" ]
	printf '%s\n' "$out" | norm >got.lists
	[ -z "${REGEN:-}" ] || cp got.lists "$RF/week.lists"
	diff -u "$RF/week.lists" got.lists
	! grep -q CANARY got.lists || false
}

@test "the default is last week; --week and --since/--until pick others" {
	report_store
	a=$(ps-report --format csv --no-suppress)
	b=$(ps-report --week 2026-W47 --format csv --no-suppress)
	c=$(ps-report --since 2026-11-16 --until 2026-11-22 --format csv --no-suppress)
	# the week's figures, not three empty reports
	printf '%s\n' "$a" | grep -qx 'activity,figures,contacts,value,4'
	[ "$a" = "$b" ]
	[ "$a" = "$c" ]
	run_split ps-report --week 2026-W46 --section activity --format csv --no-suppress
	printf '%s\n' "$out" | grep -qx 'activity,figures,contacts,value,1'
	run_split ps-report --week this --section activity --format csv --no-suppress
	printf '%s\n' "$out" | grep -qx 'activity,figures,contacts,value,0'
}

@test "a contact at 23:30 on Sunday in the programme's zone, given in UTC, counts in that week" {
	report_store
	run_split ps-log --list --since 2026-11-22 --until 2026-11-22 --table
	printf '%s\n' "$out" | grep -q "^C-[0-9A-Z]*  2026-11-22  contact        $M2"
	grep -l 'mode: video' contacts/2026/11/22/*.yaml | xargs grep -qx 'date: 2026-11-22T23:30:00-05:00'
	ps-report --week 2026-W48 --section activity --format csv --no-suppress | grep -qx 'activity,figures,contacts,value,0'
}

@test "a week across the end of daylight saving time" {
	report_store
	export PS_NOW=2026-11-05T15:00:00Z
	ps-log "$M1" --mode phone --minutes 10 --date 2026-11-01T23:30:00-05:00 >/dev/null
	ps-log "$M1" --mode phone --minutes 10 --date 2026-11-02T00:30:00-05:00 >/dev/null
	ps-log "$M1" --mode phone --minutes 10 --date 2026-10-26T00:30:00-04:00 >/dev/null
	[ "$(ps-report --week 2026-W44 --section activity --format csv --no-suppress | grep ',contacts,value,')" = "activity,figures,contacts,value,2" ]
	[ "$(ps-report --week 2026-W45 --section activity --format csv --no-suppress | grep ',contacts,value,')" = "activity,figures,contacts,value,1" ]
}

@test "small counts print as <5, with a second cell hidden so none can be worked out" {
	report_store
	run_split ps-report --section activity --section followup --section matching
	printf '%s\n' "$out" | grep -qx '  Contacts ................................................       <5'
	printf '%s\n' "$out" | grep -qx '  Helpfulness, mean of 1 to 5 .............................      n<5'
	printf '%s\n' "$out" | grep -qx '  Days to match, median ...................................      n<5'
	printf '%s\n' "$out" | grep -qx '    coping            <5     -'
	ps-report --format html | grep -q '>&lt;5</text>'
	run_split ps-report --section activity
	printf '%s\n' "$out" | grep -qx '    phone            <5       95'
	printf '%s\n' "$out" | grep -qx '    video            <5       30'
	printf '%s\n' "$out" | grep -qx '    total            <5      125'
	run_split ps-report --section activity --no-suppress
	printf '%s\n' "$out" | grep -qx '    phone             3       95'
	printf '%s\n' "$out" | grep -qx '    total             4      125'
}

@test "--as-of reproduces an earlier report byte for byte after later changes" {
	report_store
	h=$(git rev-parse HEAD)
	ps-report --format yaml >before.yaml
	# a report: an empty one would be reproduced by an empty one
	grep -qx 'sections:' before.yaml
	ps-log "$M1" --mode phone --minutes 60 --date 2026-11-20 >/dev/null
	ps-report --format yaml >after.yaml
	! cmp -s before.yaml after.yaml || false
	ps-report --as-of "$h" --week 2026-W47 --format yaml >again.yaml
	cmp before.yaml again.yaml
	# a date: the store as it was at the end of that day
	run_split ps-report --as-of 2026-11-21 --week 2026-W47 --section activity --format csv --no-suppress
	printf '%s\n' "$out" | grep -qx 'activity,figures,contacts,value,0'
}

@test "the report cache: the same bytes again, a changed record read anew, a bad cache passed over" {
	report_store
	c=.git/ps-cache/report
	ps-report --format yaml --no-suppress >first.yaml
	# a report: the comparisons below would pass on empty ones
	grep -qx 'sections:' first.yaml
	[ -f "$c" ]
	[ "$(stat -c %a "$c")" = 600 ]
	ps-report --format yaml --no-suppress >second.yaml
	cmp first.yaml second.yaml
	# a record changed by hand has another blob: read anew
	sed -i 's/^role: caregiver$/role: living-with/' participants/P-B00005.yaml
	git_commit_all "by hand"
	ps-report --format yaml --no-suppress >changed.yaml
	! cmp -s first.yaml changed.yaml || false
	rm "$c"
	ps-report --format yaml --no-suppress >fresh.yaml
	cmp changed.yaml fresh.yaml
	# a torn file, one of another format, or garbage is passed over
	head -c 100 "$c" >torn
	cp torn "$c"
	ps-report --format yaml --no-suppress | cmp - fresh.yaml
	sed 's/^ps-rc01$/ps-rc99/' "$c" >other
	cp other "$c"
	ps-report --format yaml --no-suppress | cmp - fresh.yaml
	head -c 100000 /dev/urandom >"$c"
	ps-report --format yaml --no-suppress | cmp - fresh.yaml
	# the earlier report, as of its commit, from the cache as from blobs
	ps-report --as-of HEAD~1 --week 2026-W47 --format yaml --no-suppress |
	    cmp - first.yaml
	rm "$c"
	ps-report --as-of HEAD~1 --week 2026-W47 --format yaml --no-suppress |
	    cmp - first.yaml
	# nothing is left behind but the cache
	[ "$(ls -A .git/ps-cache)" = report ]
}

@test "the report cache is not kept when the schemas in use call a field it keeps sensitive" {
	report_store
	cp -r "${PS_SCHEMA_DIR:-$BATS_TEST_DIRNAME/../../schemas}" "$T/schemas"
	sed -i '/^  role:$/a\    x-sensitive: true' "$T/schemas/participant.yaml"
	PS_SCHEMA_DIR=$T/schemas ps-report --format yaml --no-suppress >guarded.yaml
	grep -qx 'sections:' guarded.yaml
	[ ! -e .git/ps-cache/report ]
	ps-report --format yaml --no-suppress | cmp - guarded.yaml
	[ -f .git/ps-cache/report ]
}

@test "--history: who changed which fields of a record, and when" {
	report_store
	run_split ps-report --history "$M1"
	expect 0 "WHEN              AUTHOR                TOOL        FIELDS CHANGED
2026-11-20 15:00  Test Coordinator      ps-match    created
2026-11-20 15:00  Test Coordinator      ps-match    status, status_history, accepted, planned_end, days_to_match" ""
	run_split ps-report --history C-000000
	expect 1 "" "ps-report: C-000000: give a participant, volunteer, match or group ID"
}

@test "an empty store gives a report of zeros" {
	new_store
	cd s
	run_split ps-report --section intake --section activity --format csv --no-suppress
	[ "$status" = 0 ]
	printf '%s\n' "$out" | grep -qx 'intake,figures,participant_applications,value,0'
	printf '%s\n' "$out" | grep -qx 'activity,figures,contacts,value,0'
}

@test "refusals: bad options" {
	new_store
	cd s
	run_split ps-report --format pdf
	[ "$status" = 2 ]
	[[ "$err" == "ps-report: --format: text, md, csv, yaml or html"* ]]
	run_split ps-report --week 2026-47
	[ "$status" = 2 ]
	run_split ps-report --section gossip
	[ "$status" = 2 ]
	run_split ps-report --since 2026-11-20 --until 2026-11-01
	[ "$status" = 2 ]
	run_split ps-report --as-of 1999-01-01
	[ "$status" = 1 ]
}

@test "breakdowns by funder and host organisation where the programme has them" {
	export PS_NOW=2026-11-20T17:00:00Z
	ps-init --program "$BATS_TEST_DIRNAME/../../examples/mental-health/program.yaml" s >/dev/null
	cd s
	ps-log >/dev/null <<'YAML'
- {dropin: true, minutes: 20, date: 2026-11-16, funder: Example Health Funder}
- {dropin: true, minutes: 30, date: 2026-11-17, funder: Example Health Funder}
- {dropin: true, minutes: 15, date: 2026-11-18, funder: Example Community Foundation}
- {dropin: true, minutes: 10, date: 2026-11-19}
YAML
	export PS_NOW=2026-11-24T15:00:00Z
	run_split ps-report --section activity --no-suppress
	[ "$status" = 0 ]
	printf '%s\n' "$out" | sed -n '/Contacts by funder/,/total/p' >got
	cat >want <<'TXT'
  Contacts by funder
    funder                        contacts  minutes
    Example Health Funder                2       50
    Example Community Foundation         1       15
    other or none                        1       10
    total                                4       75
TXT
	diff -u want got
	printf '%s\n' "$out" | grep -q 'Contacts by host organisation'
	run_split ps-report --section activity
	printf '%s\n' "$out" | grep -qx '    Example Health Funder               <5       50'
}

@test "complementary suppression: a hidden cell cannot be worked out from a total" {
	export PS_NOW=2026-11-18T15:00:00Z
	new_store
	cd s
	for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
		if [ "$i" -le 2 ]; then st=extended role=living-with; else st=onecall role=caregiver; fi
		printf -- '---\nkind: participant\nstream: %s\nrole: %s\nname: {first: N%s}\ncontact: {email: n%s@example.org}\nlanguages: [en]\nconsents: [{type: privacy, version: "2026-01", date: 2026-11-18, given: true}]\n' "$st" "$role" "$i" "$i"
	done | ps-apply >/dev/null
	export PS_NOW=2026-11-24T15:00:00Z
	run_split ps-report --section intake
	printf '%s\n' "$out" | sed -n '/by stream and role/,/^    total/p' >got
	cat >want <<'TXT'
  Participant applications by stream and role
    stream    living-with  caregiver  both  total
    extended           <5          0     0     <5
    onecall             0          x     0      x
    total              <5          x     0     12
TXT
	diff -u want got
	run_split ps-report --section intake --no-suppress
	printf '%s\n' "$out" | grep -qx '    onecall             0         10     0     10'
}

# pinned: the cells of a table of counts (CSV on stdin, the table's key
# as $1) that a reader can work out from what is shown. A count shown is
# known; <N is 1 to N-1; x, a count hidden only to protect another, is N
# or more (the smallest count above zero that is not small). Each row and
# each column is a sum that its total gives: each hidden cell is narrowed
# to what the other cells of its lines leave, until nothing changes.
# Prints the cells left with one possible value.
pinned() {
	/usr/bin/python3 -c '
import sys
key, thr = sys.argv[1], 5
cells, rows, cols = {}, [], []
for line in sys.stdin:
    f = line.rstrip("\n").split(",")
    if len(f) != 5 or f[1] != key:
        continue
    r, c, v = f[2], f[3], f[4]
    rows += [r] if r not in rows else []
    cols += [c] if c not in cols else []
    if v == "x":
        cells[r, c] = [thr, 10**6]
    elif v.startswith("<"):
        cells[r, c] = [1, thr - 1]
    else:
        cells[r, c] = [int(v), int(v)]
# no table read would pin nothing, and pass
if not cells:
    sys.exit("no table %s in the input" % key)
body, counts = rows[:-1], cols[:-1]
lines = [([(r, c) for c in counts], (r, cols[-1])) for r in rows] + \
        [([(r, c) for r in body], (rows[-1], c)) for c in cols]
again = True
while again:
    again = False
    for parts, total in lines:
        t = cells[total]
        for p in parts:
            lo = t[0] - sum(cells[q][1] for q in parts if q != p)
            hi = t[1] - sum(cells[q][0] for q in parts if q != p)
            b = cells[p]
            if lo > b[0] or hi < b[1]:
                b[0], b[1] = max(b[0], lo), min(b[1], hi)
                again = True
        lo, hi = sum(cells[p][0] for p in parts), sum(cells[p][1] for p in parts)
        if lo > t[0] or hi < t[1]:
            t[0], t[1] = max(t[0], lo), min(t[1], hi)
            again = True
for (r, c), (lo, hi) in sorted(cells.items()):
    if lo == hi and lo > 0 and lo < thr:
        print("%s %s = %d" % (r, c, lo))
' "$1"
}

# applications N M: N people living with the condition ask for Extended
# and M caregivers for OneCall, on 18 November, in a new store.
applications() {
	local i st role
	cd "$T" && rm -rf s
	export PS_NOW=2026-11-18T15:00:00Z
	new_store
	cd s
	for i in $(seq $(($1 + $2))); do
		if [ "$i" -le "$1" ]; then st=extended role=living-with; else st=onecall role=caregiver; fi
		printf -- '---\nkind: participant\nstream: %s\nrole: %s\nname: {first: N%s}\ncontact: {email: n%s@example.org}\nlanguages: [en]\nconsents: [{type: privacy, version: "2026-01", date: 2026-11-18, given: true}]\n' "$st" "$role" "$i" "$i"
	done | ps-apply >/dev/null
	export PS_NOW=2026-11-24T15:00:00Z
}

@test "suppression: no hidden count can be worked out from the bounds that <5 and x give" {
	# <5 and x make 6, where x is 5 or more: <5 is 1
	applications 1 5
	run_split ps-report --section intake --format csv
	[ "$status" = 0 ]
	run_split pinned applications <<<"$out"
	expect 0 "" ""
	# two <5 that make 8 are 4 each
	applications 4 4
	run_split ps-report --section intake --format csv
	[ "$status" = 0 ]
	run_split pinned applications <<<"$out"
	expect 0 "" ""
}


@test "every funder and host organisation has its own row, past the sixteenth" {
	# the example programme with 20 funders and 18 host organisations
	for i in $(seq -w 1 18); do printf '      - Host %s\n' "$i"; done >hosts
	{
		sed -e '/^      - Example /d' -e '/^    host_organisations:/r hosts' \
		    -e '/^funders:/q' \
		    "$BATS_TEST_DIRNAME/../../examples/mental-health/program.yaml"
		for i in $(seq -w 1 20); do printf '  - Funder %s\n' "$i"; done
	} >program.yaml
	export PS_NOW=2026-11-20T17:00:00Z
	ps-init --program program.yaml s >/dev/null
	cd s
	ps-log >/dev/null <<'YAML'
- {dropin: true, minutes: 10, date: 2026-11-16, funder: Funder 17, host_organisation: Host 17}
- {dropin: true, minutes: 10, date: 2026-11-16, funder: Funder 17, host_organisation: Host 17}
- {dropin: true, minutes: 10, date: 2026-11-17, funder: Funder 17, host_organisation: Host 17}
- {dropin: true, minutes: 10, date: 2026-11-17, funder: Funder 17, host_organisation: Host 17}
- {dropin: true, minutes: 10, date: 2026-11-18, funder: Funder 17, host_organisation: Host 17}
- {dropin: true, minutes: 10, date: 2026-11-18, funder: Funder 17, host_organisation: Host 17}
- {dropin: true, minutes: 5, date: 2026-11-19, funder: Funder 01, host_organisation: Host 18}
- {dropin: true, minutes: 15, date: 2026-11-19}
YAML
	export PS_NOW=2026-11-24T15:00:00Z
	run_split ps-report --section activity --no-suppress
	[ "$status" = 0 ]
	printf '%s\n' "$out" | sed -n '/Contacts by funder/,/total/p' >got
	cat >want <<'TXT'
  Contacts by funder
    funder         contacts  minutes
    Funder 01             1        5
    Funder 02             0        0
    Funder 03             0        0
    Funder 04             0        0
    Funder 05             0        0
    Funder 06             0        0
    Funder 07             0        0
    Funder 08             0        0
    Funder 09             0        0
    Funder 10             0        0
    Funder 11             0        0
    Funder 12             0        0
    Funder 13             0        0
    Funder 14             0        0
    Funder 15             0        0
    Funder 16             0        0
    Funder 17             6       60
    Funder 18             0        0
    Funder 19             0        0
    Funder 20             0        0
    other or none         1       15
    total                 8       80
TXT
	diff -u want got
	run_split ps-report --section activity --no-suppress --format csv
	[ "$status" = 0 ]
	printf '%s\n' "$out" >got.csv
	run_split grep -E ',by_(funder|host),(Funder 17|Host 17|Host 18|other or none),' got.csv
	expect 0 "activity,by_funder,Funder 17,contacts,6
activity,by_funder,Funder 17,minutes,60
activity,by_funder,other or none,contacts,1
activity,by_funder,other or none,minutes,15
activity,by_host,Host 17,contacts,6
activity,by_host,Host 17,minutes,60
activity,by_host,Host 18,contacts,1
activity,by_host,Host 18,minutes,5
activity,by_host,other or none,contacts,1
activity,by_host,other or none,minutes,15" ""
}

# expect_refused STATUS LINE: the last command exited STATUS, and the
# first line of its stderr is LINE.
expect_refused() {
	[ "$status" = "$1" ] || { echo "status $status, not $1: $err"; return 1; }
	[ "${err%%$'\n'*}" = "$2" ] || { echo "stderr: $err"; return 1; }
}

# attack: report-attack.py's exact solver over the board's report on
# stdin, which must give nothing away.
attack() {
	/usr/bin/python3 "$BATS_TEST_DIRNAME/../report-attack.py" attack
}

@test "the figure at the head of a section gives away no count its table hides" {
	# 4 and 4 make 8: "Participant applications 8" gave both 4s away
	applications 4 4
	run_split ps-report --section intake --format yaml
	[ "$status" = 0 ]
	run attack <<<"$out"
	[ "$status" = 0 ]
	run_split ps-report --section intake --format csv
	printf '%s\n' "$out" | grep -qx 'intake,figures,participant_applications,value,x'
	# 1 and 5 make 6: the figure of 6 gave the 1 away
	applications 1 5
	run_split ps-report --section intake --format yaml
	run attack <<<"$out"
	[ "$status" = 0 ]
	# and with the figure shown, the attack finds the counts: it can fail
	run_split ps-report --section intake --format yaml --no-suppress
	run attack < <(printf '%s\n' "$out" | sed -e 's/suppression_threshold: 0/suppression_threshold: 5/' \
	    -e '/key: caregiver/,/value:/s/value: 5/value: x/' -e 's/: 1$/: "<5"/')
	[ "$status" = 1 ]
}

@test "flagged contacts: the safety figure hides with its table, and lists no contact" {
	export PS_NOW=2026-11-10T12:00:00Z
	ps-init --program "$BATS_TEST_DIRNAME/../../examples/mental-health/program.yaml" s >/dev/null
	cd s
	# 1 risk flag and 5 crisis flags: "Flagged contacts 6" over "risk <5,
	# crisis x" gave the 1 away
	for i in 1 2 3 4 5 6; do
		printf -- '- {dropin: true, minutes: 10, date: 2026-11-1%s}\n' "$((i % 3 + 6))"
	done | PS_NOW=2026-11-24T15:00:00Z ps-log >/dev/null
	for f in $(git ls-files contacts); do
		i=$((${i:-0} + 1))
		if [ "$i" -le 1 ]; then t=risk; else t=crisis; fi
		printf 'flag:\n  type: %s\n  referral: "988"\n' "$t" >>"$f"
	done
	git_commit_all "flags"
	export PS_NOW=2026-11-24T15:00:00Z
	run_split ps-report --week 2026-W47 --section safety --format yaml
	[ "$status" = 0 ]
	run attack <<<"$out"
	[ "$status" = 0 ]
	run_split ps-report --week 2026-W47 --section safety
	[ "$status" = 0 ]
	printf '%s\n' "$out" | grep -q '^  Flagged contacts \.*  *x$'
	! printf '%s\n' "$out" | grep -Eq 'C-[0-9A-Z]{6}|Flagged contacts$' || false
	# the coordinator's list has them
	run_split ps-report --week 2026-W47 --list flagged
	[ "$status" = 0 ]
	[ "$(printf '%s\n' "$out" | grep -Ec '^    C-[0-9A-Z]{6} ')" = 6 ]
}

@test "random weeks: no small count can be worked out from the board's report" {
	# REPORT_ATTACK_N sets how many random stores (200 in the closing note)
	local n=${REPORT_ATTACK_N:-12} seed checked=0 found=0
	export PS_NOW=2026-11-10T12:00:00Z
	for seed in $(seq "$n"); do
		rm -rf "$T/r"
		ps-init --program "$BATS_TEST_DIRNAME/../../examples/mental-health/program.yaml" "$T/r" >/dev/null
		/usr/bin/python3 "$BATS_TEST_DIRNAME/../report-attack.py" gen "$T/r" "$seed"
		PS_NOW=2026-11-24T15:00:00Z ps-report -C "$T/r" --week 2026-W47 --format yaml >"$T/r.yaml"
		attack <"$T/r.yaml" 2>"$T/r.err" || { cat "$T/r.err"; echo "seed $seed"; false; }
		checked=$((checked + $(awk '{print $2}' "$T/r.err")))
	done
	echo "# $n stores, $checked small counts checked, 0 given away" >&3
	[ "$checked" -gt "$n" ]
}

@test "the board's report holds no ID and no name; the working lists are asked for by name" {
	report_store
	run_split ps-report
	[ "$status" = 0 ]
	! printf '%s\n' "$out" | grep -Eq '[PVMC]-[0-9A-Z]{6}|Test Coordinator' || false
	for f in md csv yaml html; do
		run_split ps-report --format "$f"
		[ "$status" = 0 ]
		! printf '%s\n' "$out" | grep -Eq '[PVMC]-[0-9A-Z]{6}|Test Coordinator' || false
	done
	run_split ps-report --list waiting --list changes
	[ "$status" = 0 ]
	printf '%s\n' "$out" | sed -n 4p | grep -qx 'Working lists, for the coordinator only: not to be sent on.'
	printf '%s\n' "$out" | grep -Eq '^    P-B00004 +extended +10$'
	printf '%s\n' "$out" | grep -Eq '^    Test Coordinator +ps-match +3$'
	! printf '%s\n' "$out" | grep -q 'Participants waiting' || false
	run_split ps-report --list all --format csv
	[ "$status" = 0 ]
	printf '%s\n' "$out" | grep -q '^safety,flagged,C-'
	! printf '%s\n' "$out" | grep -q ',figures,' || false
	run_split ps-report --list gossip
	expect_refused 2 "ps-report: --list: one of waiting, expiring, overdue, ending, stalled, flagged, followups, changes, all"
	run_split ps-report --list waiting --section intake
	[ "$status" = 2 ]
	[[ "$err" == "ps-report: --list takes no --section"* ]]
}

@test "the audit's counts are suppressed, and name no author" {
	report_store
	GIT_AUTHOR_DATE=2026-11-24T12:00:00Z GIT_COMMITTER_DATE=2026-11-24T12:00:00Z \
	    git -c user.name=T -c user.email=t@example.org commit -q --allow-empty --no-verify -m "x" \
	    --author '=HYPERLINK("http://example.org/?"&A1, "Click") <a@example.org>'
	run_split ps-report --week this --section audit --no-suppress --format csv
	[ "$status" = 0 ]
	run_split ps-report --section audit --format csv
	[ "$status" = 0 ]
	printf '%s\n' "$out" | grep -qx 'audit,by_tool,ps-match,commits,<5'
	printf '%s\n' "$out" | grep -qx 'audit,figures,commits,value,<5'
	! printf '%s\n' "$out" | grep -q 'Coordinator' || false
	run attack < <(ps-report --section audit --format yaml)
	[ "$status" = 0 ]
	# a formula in an author's name is text in the coordinator's CSV
	run_split ps-report --week this --list changes --format csv
	[ "$status" = 0 ]
	q="'"
	printf '%s\n' "$out" | grep -qF "audit,changes,\"${q}=HYPERLINK(\"\"http://example.org/?\"\"&A1, \"\"Click\"\")\",tool,by hand (git)"
	! printf '%s\n' "$out" | grep -q '^audit,changes,"=' || false
}

@test "the board's report is of whole weeks that have ended" {
	report_store
	run_split ps-report --since 2026-11-20 --until 2026-11-22
	expect_refused 2 "ps-report: --since: the board's report is of whole weeks, from a Monday; 2026-11-20 is a Friday"
	run_split ps-report --since 2026-11-16 --until 2026-11-21
	expect_refused 2 "ps-report: --until: the board's report is of whole weeks, to a Sunday; 2026-11-21 is a Saturday"
	run_split ps-report --week this
	[ "$status" = 2 ]
	[[ "$err" == "ps-report: --week this: the board's report is of weeks that have ended"* ]]
	run_split ps-report --since 2026-11-16
	[ "$status" = 2 ]
	[[ "$err" == "ps-report: --since: the board's report needs --until"* ]]
	run_split ps-report --week 2026-W48
	expect_refused 2 "ps-report: the board's report is of weeks that have ended, and 2026-11-29 has not: for the coordinator, use --no-suppress or --list"
	run_split ps-report --week 2026-W47 --as-of 2026-11-20
	expect_refused 2 "ps-report: the board's report is of weeks that have ended, and 2026-11-22 has not by the --as-of day: for the coordinator, use --no-suppress or --list"
	# 27 November to 6 December and 28 November to 6 December differ by a
	# day: neither is a board's report; two runs of whole weeks are
	run_split ps-report --since 2026-11-09 --until 2026-11-22
	[ "$status" = 0 ]
	# the coordinator's own figures take any days
	run_split ps-report --since 2026-11-20 --until 2026-11-22 --no-suppress
	[ "$status" = 0 ]
	run_split ps-report --since 2026-11-20 --list waiting
	[ "$status" = 0 ]
}

@test "a key to <5, x and n<5 in every format of the board's report" {
	report_store
	run_split ps-report --section intake
	printf '%s\n' "$out" | grep -qx '  <5   a count from 1 to 4, hidden; seldom a 0, hidden with them'
	printf '%s\n' "$out" | grep -qx '  x    a count of 5 or more, hidden so that no <5 can be worked out'
	printf '%s\n' "$out" | grep -qx '  n<5  a median, mean or share of fewer than 5 answers, hidden'
	run_split ps-report --section intake --format md
	printf '%s\n' "$out" | grep -qx -- '- `x`: a count of 5 or more, hidden so that no <5 can be worked out'
	run_split ps-report --section intake --format csv
	printf '%s\n' "$out" | grep -qx 'report,key,n<5,meaning,"a median, mean or share of fewer than 5 answers, hidden"'
	run_split ps-report --section intake --format yaml
	python3 -c 'import sys, yaml; d = yaml.safe_load(sys.stdin); assert [k["mark"] for k in d["key"]] == ["<5", "x", "n<5", "-"]' <<<"$out"
	run_split ps-report --section intake --format html
	printf '%s\n' "$out" | grep -qx '<dt>n&lt;5</dt><dd>a median, mean or share of fewer than 5 answers, hidden</dd>'
	# none where nothing is hidden, and a warning instead
	run_split ps-report --section intake --no-suppress
	! printf '%s\n' "$out" | grep -q '^Key' || false
	printf '%s\n' "$out" | grep -qx 'Counts not suppressed, for the coordinator only: not to be sent on.'
}

@test "the cron example mails the board's report, with no ID in it" {
	report_store
	run_split env PATH="$PATH" sh "$BATS_TEST_DIRNAME/../../examples/cron/weekly-report.sh" -n
	[ "$status" = 0 ]
	printf '%s\n' "$out" | grep -q '^Subject: Peer support weekly report, 2026-11-16 to 2026-11-22$'
	printf '%s\n' "$out" | grep -q '^Key$'
	! printf '%s\n' "$out" | grep -Eq '[PVMC]-[0-9A-Z]{6}|Test Coordinator' || false
}
