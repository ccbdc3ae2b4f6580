# shellcheck shell=sh disable=SC2154
# Shared by examples/*/run.sh and examples/demo.sh: sourced, not run.
#
# Each example runs a programme's week with the real tools, in a store of
# its own, on a clock pinned with PS_NOW so that every run prints the same
# dates. What it prints: a line "==> ..." for each step, the commands run
# ("$ ..."), and what the tools print.
#
#   store_start [DIR]                create the store from ./program.yaml: in
#                                    DIR, else in a temporary directory,
#                                    removed at exit (kept with KEEP=1, or
#                                    when a step failed)
#   at YYYY-MM-DD HH:MM              set the clock (Toronto time)
#   say TEXT                         narrate a step, in one line
#   run "COMMAND"                    show the command, then run it (with eval:
#                                    it may hold a pipe, or a here-document
#                                    for a note's text; put arguments with
#                                    blanks in single quotes)
#   committed                        show the commit the last command made
#   id_of DIR FIRST-NAME             the ID of the record in DIR (participants,
#                                    volunteers) whose name.first is FIRST-NAME
#   match_of PARTICIPANT-ID          the ID of that participant's match
#   legend NAME ID ...               show who is who
#   breakdown                        a proposal's explanation, one criterion
#                                    a line, from ps-match's output
#
# The records are made up, and the commands are those a coordinator types;
# read a run.sh from the top to see a programme's whole flow.

# The tools of this source tree ($top, which the caller sets) when they
# are built, else those on PATH.
if [ -x "$top/cmd/ps-init" ]; then
	PATH="$top/cmd:$PATH"
elif ! command -v ps-init >/dev/null 2>&1; then
	echo "$0: the tools are not built: run make first" >&2
	exit 3
fi
export PATH

# The coordinator, who makes every change: with the tools, and with git
# for a change made by hand (the clock sets its date too). git reads none
# of the caller's configuration (signing, a hooks path, a pager).
PS_AUTHOR="A. Carey <acarey@example.org>"
GIT_AUTHOR_NAME="A. Carey"
GIT_AUTHOR_EMAIL=acarey@example.org
GIT_COMMITTER_NAME=$GIT_AUTHOR_NAME
GIT_COMMITTER_EMAIL=$GIT_AUTHOR_EMAIL
GIT_CONFIG_GLOBAL=/dev/null
GIT_CONFIG_NOSYSTEM=1
GIT_PAGER="cat"
export PS_AUTHOR GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
    GIT_COMMITTER_EMAIL GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM GIT_PAGER

# What the examples write by hand into a store is private, as what the
# tools write is.
umask 077

ps_tmp=
store_start() {	# [DIR]
	if [ -n "${1:-}" ]; then
		PS_STORE=$1
	else
		ps_tmp=$(mktemp -d "${TMPDIR:-/tmp}/ps-example.XXXXXX")
		trap 'store_end' EXIT
		trap 'exit 130' INT TERM
		PS_STORE=$ps_tmp/store
	fi
	export PS_STORE
	run "ps-init --program program.yaml $PS_STORE"
}

# At exit: a temporary store is removed; kept with KEEP=1, or when a step
# failed, to look into.
store_end() {
	ps_rc=$?
	[ -n "$ps_tmp" ] || return 0
	if [ "${KEEP:-0}" = 1 ] || [ "$ps_rc" != 0 ]; then
		printf '\nThe store is kept in %s: cd there and try git log, ps-check, ps-report.\n' "$PS_STORE"
	else
		rm -rf "$ps_tmp"
		printf '\nThe store was temporary and is removed (KEEP=1 keeps it).\n'
	fi
}

# The clock: Toronto time, which is UTC-4 until the end of daylight saving
# time on 1 November 2026, and UTC-5 after.
at() {	# YYYY-MM-DD HH:MM
	case $1 in
	2026-0[3-9]-* | 2026-10-*) PS_NOW="$1T$2:00-04:00" ;;
	*) PS_NOW="$1T$2:00-05:00" ;;
	esac
	GIT_AUTHOR_DATE=$PS_NOW
	GIT_COMMITTER_DATE=$PS_NOW
	export PS_NOW GIT_AUTHOR_DATE GIT_COMMITTER_DATE
}

say() {
	printf '\n==> %s\n' "$*"
}

run() {	# "COMMAND"
	printf '$ %s\n' "$1"
	eval "$1"
}

committed() {
	git -C "$PS_STORE" log -1 --format='  commit: %s'
}

id_of() {	# participants|volunteers FIRST-NAME
	grep -l "^  first: $2\$" "$PS_STORE/$1"/*.yaml | sed 's|.*/||; s|\.yaml$||'
}

match_of() {	# P-ID
	grep -l "^participant: $1\$" "$PS_STORE"/matches/*.yaml |
	    sed 's|.*/||; s|\.yaml$||'
}

legend() {	# NAME ID ...
	printf '  who is who:'
	while [ $# -ge 2 ]; do
		printf ' %s %s' "$1" "$2"
		shift 2
		[ $# -lt 2 ] || printf ','
	done
	printf '\n'
}

# The explanation of a proposal that ps-match prints (its breakdown), one
# criterion a line: criterion, points, reason.
breakdown() {
	awk '
	/^breakdown:/ { on = 1; next }
	/^[^ ]/ { on = 0 }
	on && $1 == "-" && $2 == "criterion:" { c = $3 }
	on && $1 == "points:" { p = $2 }
	on && $1 == "reason:" {
		sub(/^ *reason: /, ""); gsub(/"/, "")
		printf "  %-14s %6s  %s\n", c, p, $0
	}'
}
