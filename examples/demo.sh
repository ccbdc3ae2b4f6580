#!/bin/sh
# make demo: a guided run of the toolkit for a newcomer, in a new store in
# a temporary directory that is removed at the end (KEEP=1 keeps it, and
# says where). It runs the MS-society style programme of
# examples/ms-society/run.sh, which holds every command.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
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
exec "$here/ms-society/run.sh"
