#!/bin/sh
# A caregiver organisation's programme, run
# end to end with the tools: Peer Mentors and a Group Facilitator apply in
# September and are screened; in the week of Monday 16 November 2026
# caregivers register (a web form's CSV export, YAML, JSON), sign the
# Confidentiality Pledge, choose a Peer Mentor from a short list, and
# meet online in a support group; on Tuesday 24 November the Program Lead
# reads the weekly report.
#
#   examples/caregiver/run.sh [DIR]
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

at 2026-09-08 09:00
say "Tuesday 8 September 2026: a new store for the programme, from its program.yaml"
store_start "${1:-}"
cd applications

at 2026-09-08 10:00
say "Two Peer Mentors and a Group Facilitator apply (YAML and JSON), each with the pledge signed"
run "ps-apply volunteer-dementia.yaml volunteer-spouse.yaml volunteer-facilitator.json >/dev/null"
committed
NADIA=$(id_of volunteers Nadia)
GRACE=$(id_of volunteers Grace)
RAVI=$(id_of volunteers Ravi)
legend Nadia "$NADIA" Grace "$GRACE" Ravi "$RAVI"
run "ps-apply --list --kind volunteer --table"

say "Screening, in the order program.yaml gives: application, interview with the Program Lead, two references"
run "ps-screen --step application --result pass $NADIA $GRACE $RAVI >/dev/null"
at 2026-09-17 10:00
run "ps-screen --step interview --result pass --by 'A. Carey' $NADIA $GRACE $RAVI >/dev/null"
at 2026-09-24 10:00
run "ps-screen --step references --result pass --referee 1 $NADIA $GRACE $RAVI >/dev/null"
at 2026-09-28 10:00
run "ps-screen --step references --result pass --referee 2 $NADIA $GRACE $RAVI >/dev/null"
committed

say "The signed confidentiality pledge and the criminal background check"
at 2026-09-30 10:00
run "ps-screen --step pledge --result pass $NADIA $GRACE $RAVI >/dev/null"
at 2026-10-13 10:00
run "ps-screen --step background-check --result pass $NADIA $GRACE $RAVI >/dev/null"
committed

say "Peer Mentor and Group Facilitator training, four modules in two parts"
at 2026-10-19 10:00
run "ps-screen --step training --result pending --modules peer-mentoring,confidentiality $NADIA $GRACE $RAVI >/dev/null"
at 2026-11-02 10:00
run "ps-screen --step training --result pass --modules group-facilitation,caregiver-wellbeing $NADIA $GRACE $RAVI >/dev/null"
committed

at 2026-11-04 10:00
say "Wednesday 4 November: the three are accepted"
run "ps-screen $NADIA --decide accept --by 'A. Carey' >/dev/null"
run "ps-screen $GRACE --decide accept --by 'A. Carey' >/dev/null"
run "ps-screen $RAVI --decide accept --by 'A. Carey' >/dev/null"
run "ps-apply --list --kind volunteer --table"

at 2026-11-12 10:00
say "Thursday 12 November: another Peer Mentor applies; her application passes"
run "ps-apply volunteer.yaml >/dev/null"
MARION=$(id_of volunteers Marion)
legend Marion "$MARION"
run "ps-screen $MARION --step application --result pass >/dev/null"
committed

at 2026-11-16 09:00
say "Monday 16 November: an online support group the programme runs, written by hand (no tool makes groups) and committed with git"
G=G-$(LC_ALL=C tr -dc '0-9A-HJKMNP-TV-Z' </dev/urandom | head -c 6)
group_record() {	# MEMBER-ID ...
	printf '%s\n' "kind: group" "id: $G" "status: active" \
	    "name: Parents caring for an adult child with a disability" \
	    "stream: groups" "format: online" \
	    "description: For parents and family caring for a son or daughter over 18 with a developmental or physical disability." \
	    "schedule:" "  day: tue" "  time: \"19:00\"" "  minutes: 90" \
	    "  frequency: weekly" "capacity: 12" "pledge_required: true" \
	    "facilitators:" "  - $RAVI"
	[ $# = 0 ] || printf 'members:\n'
	for m in "$@"; do printf '  - %s\n' "$m"; done
	printf 'created: 2026-09-15\n'
}
mkdir -p "$PS_STORE/groups"
group_record >"$PS_STORE/groups/$G.yaml"
cd "$PS_STORE"
run "git add groups/$G.yaml"
run "git commit -q -m 'add group $G'"
committed
cd "$here/applications"

at 2026-11-16 14:00
say "The registration form's CSV export (two for a Peer Mentor, one for a group) and a registration sent as YAML"
run "ps-apply --csv --map form-map.yaml registrations.csv >/dev/null"
committed
run "ps-apply participant-mentor.yaml >/dev/null"
HANA=$(id_of participants Hana)
CHRIS=$(id_of participants Chris)
ELLIS=$(id_of participants Ellis)
DANA=$(id_of participants Dana)
legend Hana "$HANA" Chris "$CHRIS" Ellis "$ELLIS" Dana "$DANA"

at 2026-11-17 10:00
say "Tuesday 17 November: the Program Lead's registration calls; Marion's interview"
run "ps-screen --step registration-call --result pass --by 'A. Carey' $DANA $HANA >/dev/null"
run "ps-screen $MARION --step interview --result pass --by 'A. Carey' >/dev/null"
committed

at 2026-11-18 09:00
say "Wednesday 18 November: another registration, for the online groups (JSON)"
run "ps-apply participant-groups.json >/dev/null"
LEE=$(id_of participants Lee)
legend Lee "$LEE"

say "The pledge: Dana after her call; group members sign it without a call, their stream asks only for the pledge"
run "ps-screen --step pledge --result pass $DANA $CHRIS $LEE | grep '^status:'"
run "ps-screen --pending --table"

say "Tuesday's group session, 90 minutes with Ravi facilitating: attendees are counted, not named"
run "ps-log --group $G --attendees 6 --facilitator $RAVI --minutes 90 --date 2026-11-17T19:00:00-05:00 >/dev/null"
committed

say "Chris and Lee join the group from next Tuesday: the group's record edited by hand, checked by the pre-commit hook"
cd "$PS_STORE"
group_record "$CHRIS" "$LEE" >"groups/$G.yaml"
run "git diff --stat"
run "git add groups/$G.yaml"
run "git commit -q -m 'group $G: two members'"
committed
cd "$here/applications"

at 2026-11-18 11:00
say "Dana learns about the Peer Mentors who suit her, and chooses one: she sees only their public profiles"
run "ps-match --candidates 3 $DANA --table"
run "ps-match --candidates 3 $DANA | grep -e '^first_name:' -e '^experience_summary:'"
run "ps-match $DANA --choose $NADIA --table"
committed
M_DANA=$(match_of "$DANA")
run "ps-match --accept $M_DANA --by 'A. Carey' >/dev/null"
committed

say "What Nadia receives: she makes the first call"
run "ps-match --brief $M_DANA"

at 2026-11-23 09:00
say "Monday 23 November: the week's calls and hours; a safeguarding concern, with the referral made"
run "ps-log $M_DANA --mode phone --minutes 40 --date 2026-11-18T12:15:00-05:00 --topic dementia,work-and-caregiving >/dev/null"
run "ps-log $M_DANA --mode phone --minutes 30 --date 2026-11-20T12:30:00-05:00 --topic dementia --flag safeguarding --referral community-agency --note - >/dev/null <<'EOF'
her mother left the house at night twice; Nadia gave her the Alzheimer Society number for wandering support
EOF"
run "ps-log --volunteer $RAVI --activity supervision --hours 1 --date 2026-11-19 >/dev/null"
run "ps-log --volunteer $MARION --activity admin --hours 0.5 --date 2026-11-17 >/dev/null"
committed
run "ps-log --list --since 2026-11-16 --table"

at 2026-11-24 08:30
say "Tuesday 24 November: the store checks clean"
run "ps-check"

say "The board's report for last week, as it is mailed: counts only, those under 5 as <5, a key to the marks"
run "ps-report --week last"

say "The coordinator's working lists, never mailed: who waits for a match, and which contacts were flagged"
run "ps-report --week last --list waiting --list flagged"
