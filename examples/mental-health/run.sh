#!/bin/sh
# A mental-health coalition's programme, run
# end to end with the tools: three people apply in July to the Peer
# Support Training, train in a cohort (ten weeks of three hours), do 30
# practicum hours in the drop-in, obtain a criminal reference check and
# pass the competency evaluation that decides their certificate; they are
# seconded to host organisations. In the week of Monday 16 November 2026
# host organisations refer people (a CSV export, YAML, JSON), the drop-in
# is open Monday to Friday 11:00-16:00, people are matched with seconded
# peer workers, and the peer workers meet for their monthly Community of
# Practice; on Tuesday 24 November the coordinator reads the weekly report.
#
#   examples/mental-health/run.sh [DIR]
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

at 2026-07-06 09:00
say "Monday 6 July 2026: a new store for the programme, from its program.yaml"
store_start "${1:-}"
cd applications

at 2026-07-08 10:00
say "Three applications to the Peer Support Training (resume and cover letter on paper, summed up in the record)"
run "ps-apply peer-worker-housing.yaml peer-worker-health-centre.yaml peer-worker-employment.json >/dev/null"
committed
DEVON=$(id_of volunteers Devon)
KIM=$(id_of volunteers Kim)
JESSE=$(id_of volunteers Jesse)
legend Devon "$DEVON" Kim "$KIM" Jesse "$JESSE"
run "ps-screen --step application --result pass $DEVON $KIM $JESSE >/dev/null"
committed

at 2026-07-13 10:00
say "Monday 13 July: interviews, a month before training; the summer cohort has two seats, then a third"
run "ps-screen --step interview --result pass --by 'A. Carey' $DEVON $KIM $JESSE >/dev/null"
run "ps-screen --cohort 2026-summer --seats 2 --starts 2026-08-10"
run "ps-screen --cohort 2026-summer $DEVON $KIM $JESSE >/dev/null"
run "ps-screen --cohorts --table"
at 2026-07-20 10:00
run "ps-screen --cohort 2026-summer --seats 3 >/dev/null"
committed

say "Training, 3 hours a week for ten weeks, recorded for the whole cohort at once; the criminal reference check during training"
at 2026-09-04 10:00
run "ps-screen --step background-check --result pass $DEVON $KIM $JESSE >/dev/null"
at 2026-09-11 17:00
run "ps-screen --cohort 2026-summer --step training --result pending --hours 15 --modules supportive-listening,communication-skills,problem-solving,goal-setting >/dev/null"
committed
at 2026-10-16 17:00
run "ps-screen --cohort 2026-summer --step training --result pass --hours 15 --modules crisis-intervention,mental-health-and-addictions,self-care >/dev/null"
committed
run "ps-screen --pending --table"

say "Thirty practicum hours in the drop-in: passing is refused until the hours are done"
at 2026-10-30 16:00
run "ps-screen --cohort 2026-summer --step practicum --result pending --practicum-hours 18 >/dev/null"
at 2026-11-06 16:00
run "ps-screen $JESSE --step practicum --result pass --practicum-hours 6 || echo exit status \$?"
run "ps-screen --step practicum --result pass --practicum-hours 12 $DEVON $KIM $JESSE >/dev/null"
committed

at 2026-11-12 14:00
say "Thursday 12 November: the competency evaluation (training, take-home review, practicum, final interview) decides the certificate"
run "ps-screen $DEVON --step competency-evaluation --result pass --by 'A. Carey' --certificate MHRC-2026-031 | grep -A6 'step: competency-evaluation'"
run "ps-screen $KIM --step competency-evaluation --result pass --by 'A. Carey' --certificate MHRC-2026-032 >/dev/null"
run "ps-screen $JESSE --step competency-evaluation --result pass --by 'A. Carey' --certificate MHRC-2026-033 >/dev/null"
committed

at 2026-11-13 10:00
say "Friday 13 November: the three are accepted as peer support workers, each seconded to a host organisation"
run "ps-screen $DEVON --decide accept --by 'A. Carey' | grep -e '^status:' -e '^capacity:' -e '^host_organisation:'"
run "ps-screen $KIM --decide accept --by 'A. Carey' >/dev/null"
run "ps-screen $JESSE --decide accept --by 'A. Carey' >/dev/null"
committed

at 2026-11-13 11:00
say "An application for the next training; the winter cohort starts on 11 January"
run "ps-apply volunteer.yaml >/dev/null"
CHRIS=$(id_of volunteers Chris)
legend Chris "$CHRIS"
run "ps-screen $CHRIS --step application --result pass >/dev/null"
run "ps-screen --cohort 2027-winter --seats 8 --starts 2027-01-11"
run "ps-screen --cohort 2027-winter $CHRIS >/dev/null"
run "ps-screen --cohorts --table"

at 2026-11-16 12:30
say "Monday 16 November, 12:30: a visitor asks for peer support at the drop-in"
run "ps-log --dropin --minutes 25 --topic housing,social-activities --by $KIM >/dev/null"
committed

at 2026-11-16 14:00
say "A referral from a host organisation, sent as JSON"
run "ps-apply participant-family.json >/dev/null"
JO=$(id_of participants Jo)
legend Jo "$JO"

at 2026-11-17 10:00
say "Tuesday 17 November: the host organisations' referral form, exported as CSV; Jo's intake conversation"
run "ps-apply --csv --map form-map.yaml referrals.csv >/dev/null"
committed
ASH=$(id_of participants Ash)
RENE=$(id_of participants Rene)
LOU=$(id_of participants Lou)
legend Ash "$ASH" Rene "$RENE" Lou "$LOU"
run "ps-screen $JO --step intake --result pass --by 'A. Carey' | grep '^status:'"

at 2026-11-18 14:10
say "Wednesday 18 November: a visitor in distress at the drop-in; Jesse calls the crisis line with them"
run "ps-log --dropin --minutes 40 --by $JESSE --flag crisis --referral crisis-line >/dev/null"
committed

at 2026-11-19 10:00
say "Thursday 19 November: a referral sent as YAML, and its intake conversation"
run "ps-apply participant-seconded.yaml >/dev/null"
RILEY=$(id_of participants Riley)
legend Riley "$RILEY"
run "ps-screen $RILEY --step intake --result pass --by 'A. Carey' | grep '^status:'"
run "ps-apply --list --kind participant --table"

at 2026-11-19 18:00
say "The monthly Community of Practice, two hours, logged for the three peer workers in one batch"
run "printf -- '- {volunteer: %s, activity: community-of-practice, hours: 2, date: 2026-11-19}\n' $DEVON $KIM $JESSE | ps-log >/dev/null"
committed

at 2026-11-20 09:00
say "Friday 20 November: proposals for the seconded stream, stored and accepted"
run "ps-match --stream seconded --table"
run "ps-match $RILEY | breakdown"
run "ps-match --stream seconded --commit >/dev/null"
committed
M_RILEY=$(match_of "$RILEY")
M_JO=$(match_of "$JO")
run "ps-match --accept $M_RILEY --by 'A. Carey' >/dev/null"
run "ps-match --accept $M_JO --by 'A. Carey' >/dev/null"
committed

say "Riley and Devon set a first goal together"
run "ps-log $M_RILEY --new-goal - <<'EOF' | grep -A3 '^goals:'
apply for two part-time jobs before the new year
EOF"

at 2026-11-20 16:20
say "16:20: a phone call to the drop-in, after it closed at 16:00: logged, with a warning"
run "ps-log --dropin --minutes 15 --topic problem-solving --by $DEVON >/dev/null"

at 2026-11-23 09:00
say "Monday 23 November: the first contacts of the two matches, and Jo's feedback"
run "ps-log $M_JO --mode phone --minutes 45 --date 2026-11-20T11:00:00-05:00 --topic family,self-care >/dev/null"
run "ps-log $M_RILEY --mode in-person --minutes 60 --date 2026-11-20T14:00:00-05:00 --topic employment,social-activities --goal g1:some >/dev/null"
run "ps-log --feedback $M_JO --helpfulness 4 --isolation 4 --distress 3 --followup yes --date 2026-11-21 >/dev/null"
committed
run "ps-log --list --since 2026-11-16 --table"

at 2026-11-24 08:30
say "Tuesday 24 November: the store checks clean"
run "ps-check"

say "The funders' report for last week, as it is mailed: counts only, those under 5 as <5, a key to the marks"
run "ps-report --week last"

say "The coordinator's working lists, never mailed: who waits for a match, and which contacts were flagged"
run "ps-report --week last --list waiting --list flagged"
