#!/bin/sh
# An MS-society style programme, run end to
# end with the tools: volunteers apply in October and are screened
# (interview, two references, background check, pledge, online training);
# in the week of Monday 16 November 2026 people apply for Extended support
# and for a OneCall, have their on-boarding call, are matched, called
# back and supported; on Tuesday 24 November the coordinator reads the
# weekly report.
#
#   examples/ms-society/run.sh [DIR]
#
# makes the store in DIR, or in a temporary directory that is removed at
# the end (KEEP=1 keeps it). The clock is pinned (PS_NOW), so every run
# prints the same dates; the IDs are random. See ../narrate.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
. "$top/examples/narrate.sh"
exec </dev/null
cd "$here"

at 2026-10-05 09:00
say "Monday 5 October 2026: a new store for the programme, from its program.yaml"
store_start "${1:-}"
cd applications

at 2026-10-05 10:00
say "Three people apply to volunteer on the web site (two YAML files, one JSON)"
run "ps-apply volunteer-living-with.yaml volunteer-caregiver.yaml volunteer-onecall.json >/dev/null"
committed
AVERY=$(id_of volunteers Avery)
QUINN=$(id_of volunteers Quinn)
PAT=$(id_of volunteers Pat)
legend Avery "$AVERY" Quinn "$QUINN" Pat "$PAT"
run "ps-apply --list --kind volunteer --table"

say "Screening, in the order program.yaml gives: the applications are read and pass"
run "ps-screen --step application --result pass $AVERY $QUINN $PAT >/dev/null"
committed

at 2026-10-14 11:00
say "Wednesday 14 October: a 30-minute phone interview with each"
run "ps-screen --step interview --result pass --by 'A. Carey' $AVERY $QUINN $PAT >/dev/null"
committed

say "21 and 23 October: two references each, one entry per referee"
at 2026-10-21 15:00
run "ps-screen --step references --result pass --referee 1 $AVERY $QUINN $PAT >/dev/null"
at 2026-10-23 15:00
run "ps-screen --step references --result pass --referee 2 $AVERY $QUINN $PAT >/dev/null"
committed
run "ps-screen --pending --table"

say "26 and 28 October: the signed confidentiality pledge, then the criminal background check (valid three years)"
at 2026-10-26 10:00
run "ps-screen --step pledge --result pass $AVERY $QUINN $PAT >/dev/null"
at 2026-10-28 10:00
run "ps-screen --step background-check --result pass $AVERY $QUINN $PAT | grep -m1 -A3 'step: background-check'"

say "Once selected, the online training: two modules by 2 November, the other two by 13 November"
at 2026-11-02 10:00
run "ps-screen --step training --result pending --modules program-orientation,active-listening $AVERY $QUINN $PAT >/dev/null"
at 2026-11-13 10:00
run "ps-screen --step training --result pass --modules boundaries-and-confidentiality,referrals-and-crisis $AVERY $QUINN $PAT >/dev/null"
committed

at 2026-11-16 09:30
say "Monday 16 November: every step passed, the three are accepted (capacity 2 each, one-year commitment)"
run "ps-screen $AVERY --decide accept --by 'A. Carey' | grep -e '^status:' -e '^capacity:' -e '^  until:'"
run "ps-screen $QUINN --decide accept --by 'A. Carey' >/dev/null"
run "ps-screen $PAT --decide accept --by 'A. Carey' >/dev/null"
committed

at 2026-11-17 10:00
say "Tuesday 17 November: a fourth volunteer applies; the interview is booked for next week"
run "ps-apply volunteer.yaml >/dev/null"
JORDAN=$(id_of volunteers Jordan)
legend Jordan "$JORDAN"
run "ps-screen $JORDAN --step application --result pass >/dev/null"
run "ps-screen $JORDAN --step interview --result pending --note - >/dev/null <<'EOF'
booked for 24 November
EOF"
committed

at 2026-11-18 09:00
say "Wednesday 18 November: the web form's CSV export (four Extended applications) and one sent as YAML"
run "ps-apply --csv --map form-map.yaml applications.csv >/dev/null"
committed
run "ps-apply participant-living-with.yaml >/dev/null"
CASEY=$(id_of participants Casey)
TAYLOR=$(id_of participants Taylor)
SAM=$(id_of participants Sam)
JAMIE=$(id_of participants Jamie)
MORGAN=$(id_of participants Morgan)
legend Casey "$CASEY" Taylor "$TAYLOR" Sam "$SAM" Jamie "$JAMIE" Morgan "$MORGAN"

at 2026-11-19 10:00
say "Thursday 19 November: another Extended application, from a caregiver"
run "ps-apply participant-caregiver.yaml >/dev/null"
ROBIN=$(id_of participants Robin)
legend Robin "$ROBIN"
run "ps-apply --list --kind participant --table"

at 2026-11-19 14:00
say "The coordinator's on-boarding calls with Morgan and Robin: both now wait for a match"
run "ps-screen --step onboarding-call --result pass --by 'A. Carey' $MORGAN $ROBIN | grep '^status:'"
run "ps-screen --pending --table"

at 2026-11-20 09:30
say "Friday 20 November: a OneCall question comes in, and a volunteer is assigned to call back"
run "ps-apply onecall-question.json >/dev/null"
ALEX=$(id_of participants Alex)
legend Alex "$ALEX"
cd "$PS_STORE"
run "ps-match --stream onecall --commit --table"
committed
CALLBACK=$(match_of "$ALEX")
run "grep -A2 '^callback:' matches/$CALLBACK.yaml"

say "What the volunteer receives for the callback: only what the programme allows"
run "ps-match --brief $CALLBACK"

at 2026-11-20 10:00
say "Proposals for the Extended stream: the best set of matches for everyone, nothing stored yet"
run "ps-match --stream extended --table"
run "ps-match $MORGAN | breakdown"

say "The coordinator stores the proposals and, after calling both sides, accepts them"
run "ps-match --stream extended --commit >/dev/null"
committed
M_MORGAN=$(match_of "$MORGAN")
M_ROBIN=$(match_of "$ROBIN")
run "ps-match --accept $M_MORGAN --by 'A. Carey' --table"
run "ps-match --accept $M_ROBIN --by 'A. Carey' --table"
run "ps-match --brief $M_MORGAN"

at 2026-11-20 15:00
say "Pat calls Alex back the same afternoon: the callback closes the assignment"
run "ps-log $CALLBACK --mode phone --minutes 40 --date 2026-11-20T14:00:00-05:00 --topic employment >/dev/null"
committed
run "grep -A4 '^callback:' matches/$CALLBACK.yaml"

at 2026-11-23 09:00
say "Monday 23 November: the coordinator logs the week's contacts, hours and feedback"
run "ps-log $M_MORGAN --mode video --minutes 50 --date 2026-11-21 --topic new-diagnosis,employment >/dev/null"
run "ps-log $M_ROBIN --mode phone --minutes 35 --date 2026-11-22 --topic caregiver-burnout --flag risk --referral 988 --note - >/dev/null <<'EOF'
said some nights she cannot go on; Quinn gave her 9-8-8 and she agreed to call
EOF"
run "ps-log --volunteer $PAT --activity training --hours 1.5 --date 2026-11-18 >/dev/null"
run "ps-log --volunteer $AVERY --activity supervision --hours 1 --date 2026-11-19 >/dev/null"
run "ps-log --feedback $ALEX --helpfulness 5 --empowerment 4 --followup yes --date 2026-11-21 >/dev/null"
committed
run "ps-log --list --since 2026-11-16 --table"

at 2026-11-24 08:30
say "Tuesday 24 November: the store checks clean, and every change is in its history"
run "ps-check"
run "ps-report --history $M_ROBIN"

say "The board's report for last week, as it is mailed: counts only, those under 5 as <5, a key to the marks"
run "ps-report --week last"

say "The coordinator's working lists, never mailed: who waits for a match, and which contacts were flagged"
run "ps-report --week last --list waiting --list flagged"
