#!/bin/sh
# make demo: a guided run of the toolkit for a newcomer, in a new store in
# a fresh directory under ${TMPDIR:-/tmp}, which is kept: the run ends with
# the week's report, the store's history (the audit trail), where the store
# is and what to try in it. Each run makes a new directory. It runs the
# MS-society style programme of examples/ms-society/run.sh, which holds
# every command.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
. "$top/examples/narrate.sh"
exec </dev/null

cat <<'EOF'
Peer Support Toolkit: a guided run

An MS-society style programme (examples/ms-society/program.yaml) with two
streams: Extended, one-to-one matches of about six months, and OneCall,
one callback within three business days. Volunteers apply in October 2026
and are screened; in the week of 16 November people apply, are matched,
called back and supported; on 24 November the coordinator reads the
weekly report. Each step is a line "==>", then the commands ("$") and
what the tools print. The people are made up, the IDs are random, and
the clock is set for each step (PS_NOW) so the dates are always the same.
EOF

store=$(mktemp -d "${TMPDIR:-/tmp}/ps-demo.XXXXXX")
if ! "$here/ms-society/run.sh" "$store"; then
	printf '\nThe demo failed; its store is kept in %s, to look into.\n' "$store"
	exit 1
fi
export PS_STORE="$store"
cd "$store"

say "The audit trail: every change is one commit of the store's git history, oldest first"
run "git log --reverse --date=short --format='%ad  %an  %s'"

robin=$(id_of participants Robin)
robin_match=$(match_of "$robin")
cat <<EOF

The store is kept in $store.
Try, from the top of the source tree (the tools are in cmd/):

    export PATH="\$PWD/cmd:\$PATH"
    cd $store
    ps-apply --list                  # who applied, and where each stands
    ps-screen --pending              # who waits on which step
    ps-log --list --flagged          # contacts with a risk flag
    ps-report --history $robin     # who changed Robin's record, and what
    git log -p -- matches/$robin_match.yaml    # every change to Robin's match
    ps-report --week 2026-W47 --format html >~/week-47.html   # the board's
    ps-report --week 2026-W47 --list waiting   # the coordinator's waiting list

examples/pipelines.md combines the tools with each other and with yq, git,
sort and mail. Another make demo makes another store; remove this one with
rm -rf $store
EOF
