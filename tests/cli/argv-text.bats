#!/usr/bin/env bats
# Free text off the command line: every option that takes a note, a
# reason, a comment or a goal also takes "-" (the standard input, or
# $EDITOR on a terminal) and a --NAME-file twin; text still given on the
# command line is warned about. See peer-support(7), "Free text".
load helpers

export PS_NOW=2026-11-22T15:00:00Z

# Words a person wrote about a person: what must not be in argv.
SECRET="CANARY-text she said she has pills saved up"

# on_tty CMD...: run CMD on a pseudo-terminal (its stdin, stdout and
# stderr), our own stdin empty; $status, and in $tty what it printed,
# carriage returns removed.
on_tty() {
	command -v python3 >/dev/null || skip "no python3"
	status=0
	python3 -c 'import pty, sys; sys.exit(pty.spawn(sys.argv[1:]) >> 8)' \
	    "$@" </dev/null >"$T/.tty" 2>&1 || status=$?
	tty=$(tr -d '\r' <"$T/.tty")
}

# An editor, $T/ed: says how it was run, and on what file (its last
# argument: its mode, and its folders'), then writes $T/typed above what
# the file held. $T/ed-fails does the same, then exits 3.
editor() {
	cat >"$T/ed" <<'SH'
#!/bin/sh
for f; do :; done
printf '%s %s\n' "$(basename "$0")" "$*" >"$T/seen"
stat -c '%a %n' "$f" "${f%/*}" "${f%/*/*}" >>"$T/seen"
[ -t 0 ] && [ -t 1 ] && echo "on the terminal" >>"$T/seen"
{ cat "$T/typed"; cat "$f"; } >"$f.new" && mv "$f.new" "$f"
SH
	printf '#!/bin/sh\n"$T/ed" "$@"\nexit 3\n' >"$T/ed-fails"
	chmod +x "$T/ed" "$T/ed-fails"
	export T
}

# The record ps-log or ps-screen printed: its field line KEY.
field() {
	printf "%s\n" "$out" | grep -xF -- "$1"
}

@test "--note - keeps the text out of /proc/PID/cmdline while ps-log waits for the lock" {
	logged_store
	exec 9>.git/ps.lock
	flock 9
	# the way of looking sees text given on the command line
	PS_LOCK_TIMEOUT=20 ps-log "$M" --mode phone --minutes 5 \
	    --note "$SECRET" >"$T/argv.out" 2>&1 9>&- &
	pid=$!
	until [ -n "$(find "/proc/$pid/fd" -lname '*/.git/ps.lock' 2>/dev/null)" ]; do
		sleep 0.05
	done
	[[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" == *"$SECRET"* ]]
	kill "$pid"
	wait "$pid" || true
	# with --note -, only "-" is there, while it waits
	PS_LOCK_TIMEOUT=20 ps-log "$M" --mode phone --minutes 5 --note - \
	    <<<"$SECRET" >"$T/stdin.out" 2>"$T/stdin.err" 9>&- &
	pid=$!
	until [ -n "$(find "/proc/$pid/fd" -lname '*/.git/ps.lock' 2>/dev/null)" ]; do
		sleep 0.05
	done
	[ "$(tr '\0' ' ' <"/proc/$pid/cmdline")" = "ps-log $M --mode phone --minutes 5 --note - " ]
	flock -u 9
	exec 9>&-
	status=0
	wait "$pid" || status=$?
	[ "$status" = 0 ]
	[ ! -s "$T/stdin.err" ]
	grep -qx "note: $SECRET" "$T/stdin.out"
	[ "$(git log -1 --format=%s)" = "ps-log: contact $(sed -n 's/^id: //p' "$T/stdin.out") ($M)" ]
}

@test "ps-log: --note, --no-referral-reason, --comment and --new-goal take - and a file" {
	logged_store
	printf 'the file%s\n' 1 2 3 4 >"$T/f"
	run_split ps-log "$M" --mode phone --minutes 5 --note - <<<"$SECRET 1"
	expect 0 "$out" ""
	field "note: $SECRET 1"
	sed -n 1p "$T/f" >"$T/f1"
	run_split ps-log "$M" --mode phone --minutes 5 --note-file "$T/f1" </dev/null
	expect 0 "$out" ""
	field "note: the file1"
	run_split ps-log "$M" --mode phone --minutes 5 --flag crisis \
	    --referral none --no-referral-reason - <<<"$SECRET 2"
	expect 0 "$out" ""
	field "  no_referral_reason: $SECRET 2"
	sed -n 2p "$T/f" >"$T/f2"
	run_split ps-log "$M" --mode phone --minutes 5 --flag crisis \
	    --referral none --no-referral-reason-file "$T/f2" </dev/null
	expect 0 "$out" ""
	field "  no_referral_reason: the file2"
	run_split ps-log --feedback "$M" --helpfulness 4 --followup no \
	    --comment - <<<"$SECRET 3"
	expect 0 "$out" ""
	field "  comment: $SECRET 3"
	sed -n 3p "$T/f" >"$T/f3"
	run_split ps-log --feedback "$M" --helpfulness 4 --followup no \
	    --comment-file "$T/f3" </dev/null
	expect 0 "$out" ""
	field "  comment: the file3"
	run_split ps-log "$M" --new-goal - <<<"$SECRET 4"
	expect 0 "$out" ""
	field "    text: $SECRET 4"
	sed -n 4p "$T/f" >"$T/f4"
	run_split ps-log "$M" --new-goal-file "$T/f4" </dev/null
	expect 0 "$out" ""
	field "    text: the file4"
	# in the records, never in a commit message
	[[ "$(git log --format=%B)" != *CANARY* ]]
	run_split ps-check
	expect 0 "20 records checked, 0 problems" ""
}

@test "ps-screen: --note and --reason (decide, leave, retire) take - and a file" {
	logged_store
	ps-apply "$FIX/apply/two.yaml" >"$T/apps.yaml"
	V=$(sed -n 's/^id: \(V-.*\)/\1/p' "$T/apps.yaml")
	run_split ps-screen "$V" --step application --result pass --note - <<<"$SECRET 1"
	expect 0 "$out" ""
	field "      note: $SECRET 1"
	printf 'the file\n' >"$T/f"
	run_split ps-screen "$V" --step interview --result pass --note-file "$T/f" </dev/null
	expect 0 "$out" ""
	field "      note: the file"
	run_split ps-screen "$V" --decide decline --reason - <<<"$SECRET 2"
	expect 0 "$out" ""
	field "  reason: $SECRET 2"
	# V-A00004, on leave, has no open match
	run_split ps-screen V-A00004 --return
	expect 0 "$out" ""
	run_split ps-screen V-A00004 --leave --reason-file "$T/f" </dev/null
	expect 0 "$out" ""
	field "    reason: the file"
	run_split ps-screen V-A00004 --retire --reason - <<<"$SECRET 3"
	expect 0 "$out" ""
	field "    reason: $SECRET 3"
	[[ "$(git log --format=%B)" != *CANARY* ]]
}

@test "ps-apply --withdraw and ps-match --decline take --reason - and --reason-file" {
	logged_store
	run_split ps-match --decline "$P2" --by participant --reason - <<<"$SECRET 1"
	expect 0 "$out" ""
	grep -qx "  reason: $SECRET 1" "matches/$P2.yaml"
	printf 'the file\n' >"$T/f"
	run_split ps-apply --withdraw P-B00003 --reason-file "$T/f" </dev/null
	expect 0 "$out" ""
	grep -qx "  reason: the file" participants/P-B00003.yaml
	run_split ps-apply --withdraw P-B00004 --reason - <<<"$SECRET 2"
	expect 0 "$out" ""
	grep -qx "  reason: $SECRET 2" participants/P-B00004.yaml
	[[ "$(git log --format=%B)" != *CANARY* ]]
	# --reason-file - is the standard input too
	run_split ps-apply --withdraw P-B00002 --reason-file - <<<"moving away"
	expect 0 "$out" ""
	grep -qx "  reason: moving away" participants/P-B00002.yaml
}

@test "text read loses its final newlines only: inner lines, blanks and '#' lines stay" {
	logged_store
	printf '# not a comment here\n\n  two\tlines  \n\n\n' >"$T/f"
	run_split ps-log "$M" --mode phone --minutes 5 --note-file "$T/f" </dev/null
	expect 0 "$out" ""
	field 'note: "# not a comment here\n\n  two\tlines  "'
	run_split ps-log "$M" --mode phone --minutes 5 --note - < <(printf 'no newline at all')
	expect 0 "$out" ""
	field 'note: no newline at all'
	run_split ps-log "$M" --mode phone --minutes 5 --note - < <(printf 'a line from Windows\r\n')
	expect 0 "$out" ""
	field 'note: a line from Windows'
}

@test "on a terminal, - opens \$EDITOR on a private file in .git/ps-edit, removed after; '#' lines are left out" {
	logged_store
	editor
	export TMPDIR=$T/tmpdir
	mkdir "$TMPDIR"
	printf '\n\n%s\n# my own comment\nsecond line\n\n' "$SECRET" >"$T/typed"
	EDITOR=$T/ed on_tty ps-log "$M" --mode phone --minutes 5 --note - --yaml
	[ "$status" = 0 ]
	[[ "$tty" == *"note: \"$SECRET\\nsecond line\""* ]]
	# the file: mode 0600, in a folder of the run's own, mode 0700, in
	# .git/ps-edit, mode 0700; named for the option
	run_split cat "$T/seen"
	f=$(sed -n 's/^ed //p' "$T/seen")
	expect 0 "ed $f
600 $f
700 ${f%/note}
700 $PWD/.git/ps-edit
on the terminal" ""
	[[ "$f" == "$PWD/.git/ps-edit/"??????"/note" ]]
	# gone, with its folder; nothing under TMPDIR
	[ -z "$(ls -A .git/ps-edit)" ]
	[ -z "$(ls -A "$TMPDIR")" ]
	# the text is in the record, and in no other file of the store
	c=$(printf '%s\n' "$tty" | sed -n 's/^id: //p')
	[ "$(grep -rl -- "$SECRET" . | grep -v '^\./\.git/')" = "./contacts/2026/11/22/$c.yaml" ]
	# what the editor was given: a blank line, and what it is for
	run_split cat "$f" 2>/dev/null
	[ "$status" = 1 ]
	printf '' >"$T/typed"
	EDITOR=$T/ed on_tty ps-log "$M" --mode phone --minutes 5 --note - --dry-run
	[ "$status" = 1 ]
}

@test "the editor: \$VISUAL without \$EDITOR, then vi; an editor with arguments; every option" {
	logged_store
	editor
	mkdir "$T/bin"
	ln -s "$T/ed" "$T/bin/vi"
	ln -s "$T/ed" "$T/bin/visual"
	printf 'by vi\n' >"$T/typed"
	unset EDITOR VISUAL
	PATH="$T/bin:$PATH" on_tty ps-log "$M" --mode phone --minutes 5 --note - --yaml
	[ "$status" = 0 ]
	[[ "$tty" == *"note: by vi"* ]]
	grep -q '^vi ' "$T/seen"
	printf 'by visual\n' >"$T/typed"
	EDITOR= VISUAL="$T/bin/visual" on_tty ps-log "$M" --mode phone --minutes 5 --note - --yaml
	[ "$status" = 0 ]
	[[ "$tty" == *"note: by visual"* ]]
	grep -q '^visual ' "$T/seen"
	# EDITOR is a command line for the shell, the file its last argument
	printf 'with arguments\n' >"$T/typed"
	EDITOR="$T/ed --wait -f" on_tty ps-log "$M" --mode phone --minutes 5 --note - --yaml
	[ "$status" = 0 ]
	[[ "$tty" == *"note: with arguments"* ]]
	grep -q "^ed --wait -f $PWD/.git/ps-edit/" "$T/seen"
	# the editor writes its screen on the terminal, where the tool's
	# output goes elsewhere
	printf 'output elsewhere\n' >"$T/typed"
	EDITOR=$T/ed on_tty sh -c "ps-log $M --mode phone --minutes 5 --note - >$T/log.out"
	[ "$status" = 0 ]
	grep -qx 'on the terminal' "$T/seen"
	grep -qx 'note: output elsewhere' "$T/log.out"
	# every free-text option of every tool
	printf 'in the editor\n' >"$T/typed"
	EDITOR=$T/ed on_tty ps-log "$M" --new-goal -
	[ "$status" = 0 ]
	grep -qx '    text: in the editor' "matches/$M.yaml"
	EDITOR=$T/ed on_tty ps-match --decline "$P2" --by volunteer --reason -
	[ "$status" = 0 ]
	grep -qx '  reason: in the editor' "matches/$P2.yaml"
	EDITOR=$T/ed on_tty ps-screen V-A00004 --retire --reason -
	[ "$status" = 0 ]
	grep -qx '    reason: in the editor' volunteers/V-A00004.yaml
	EDITOR=$T/ed on_tty ps-apply --withdraw P-B00003 --reason -
	[ "$status" = 0 ]
	grep -qx '  reason: in the editor' participants/P-B00003.yaml
	[ -z "$(ls -A .git/ps-edit)" ]
}

@test "the editor: an empty text, or an editor that fails, stops the command; the file is removed" {
	logged_store
	editor
	h=$(head_of .)
	printf '# only a comment\n\n   \n' >"$T/typed"
	EDITOR=$T/ed on_tty ps-log "$M" --mode phone --minutes 5 --note -
	[ "$status" = 1 ]
	[ "$tty" = "ps-log: --note -: the text is empty: nothing was changed" ]
	printf 'typed, then the editor fails\n' >"$T/typed"
	EDITOR=$T/ed-fails on_tty ps-screen V-A00004 --retire --reason -
	[ "$status" = 1 ]
	[ "$tty" = "ps-screen: --reason -: the editor failed with exit status 3: nothing was changed" ]
	EDITOR="$T/no-such-editor" on_tty ps-apply --withdraw P-B00003 --reason -
	[ "$status" = 1 ]
	[[ "$tty" == *"ps-apply: --reason -: the editor failed with exit status 127: nothing was changed" ]]
	# an editor that removes the file
	EDITOR='rm' on_tty ps-log "$M" --new-goal -
	[ "$status" = 1 ]
	[ "$tty" = "ps-log: --new-goal -: the editor left no file: nothing was changed" ]
	[ "$(head_of .)" = "$h" ]
	[ -z "$(git status --porcelain)" ]
	[ -z "$(ls -A .git/ps-edit)" ]
}

@test "an editor's folder left by a run that was killed is removed by the next run" {
	logged_store
	editor
	mkdir -p .git/ps-edit/Xk3Ld9
	printf '%s\n' "$SECRET" >.git/ps-edit/Xk3Ld9/note
	printf '%s\n' "$SECRET" >.git/ps-edit/Xk3Ld9/.note.swp
	# a live run's folder, locked, stays
	mkdir .git/ps-edit/Live01
	exec 8<.git/ps-edit/Live01
	flock 8
	printf 'new\n' >"$T/typed"
	EDITOR=$T/ed on_tty ps-log "$M" --mode phone --minutes 5 --note - 8<&-
	[ "$status" = 0 ]
	exec 8<&-
	run_split ls -A .git/ps-edit
	expect 0 "Live01" ""
	[ -z "$(grep -rl -- "$SECRET" .git)" ]
}

@test "text on the command line warns when it holds a blank or is over 24 bytes; a code does not" {
	logged_store
	run_split ps-log "$M" --mode phone --minutes 5 --note "$SECRET"
	expect 0 "$out" "ps-log: warning: --note: text on the command line can be read by other users and stays in the shell's history: give it with --note - or --note-file FILE"
	field "note: $SECRET"
	run_split ps-log "$M" --mode phone --minutes 5 --note "CANARY-twenty-five-bytes."
	expect 0 "$out" "ps-log: warning: --note: text on the command line can be read by other users and stays in the shell's history: give it with --note - or --note-file FILE"
	run_split ps-log "$M" --mode phone --minutes 5 --note "CANARY-twenty-four-bytes"
	expect 0 "$out" ""
	run_split ps-log "$M" --new-goal "CANARY two"
	expect 0 "$out" "ps-log: warning: --new-goal: text on the command line can be read by other users and stays in the shell's history: give it with --new-goal - or --new-goal-file FILE"
	run_split ps-log --feedback "$M" --helpfulness 4 --followup no --comment "x y" </dev/null
	expect 0 "$out" "ps-log: warning: --comment: text on the command line can be read by other users and stays in the shell's history: give it with --comment - or --comment-file FILE"
	run_split ps-log "$M" --mode phone --minutes 5 --flag crisis --referral none --no-referral-reason "$(printf 'a\tb')"
	expect 0 "$out" "ps-log: warning: --no-referral-reason: text on the command line can be read by other users and stays in the shell's history: give it with --no-referral-reason - or --no-referral-reason-file FILE"
	run_split ps-screen V-A00004 --retire --reason "family matters"
	expect 0 "$out" "ps-screen: warning: --reason: text on the command line can be read by other users and stays in the shell's history: give it with --reason - or --reason-file FILE"
	run_split ps-match --decline "$P2" --by participant --reason "not a fit"
	expect 0 "$out" "ps-match: warning: --reason: text on the command line can be read by other users and stays in the shell's history: give it with --reason - or --reason-file FILE"
	run_split ps-apply --withdraw P-B00003 --reason "moving away"
	expect 0 "$out" "ps-apply: warning: --reason: text on the command line can be read by other users and stays in the shell's history: give it with --reason - or --reason-file FILE"
	run_split ps-apply --withdraw P-B00004 --reason moved
	expect 0 "$out" ""
	run_split ps-match --end "$M" --reason participant-request
	expect 0 "$out" ""
	# a refusal keeps its status, the warning comes first
	run_split ps-apply --withdraw P-B00004 --reason "once more"
	expect 1 "" "ps-apply: warning: --reason: text on the command line can be read by other users and stays in the shell's history: give it with --reason - or --reason-file FILE
ps-apply: P-B00004: already withdrawn"
}

@test "two - at once, or - where stdin holds the records, is a usage error" {
	logged_store
	h=$(head_of .)
	run_split ps-log "$M" --mode phone --minutes 5 --note - --comment - <<<"$SECRET"
	[ "$status" = 2 ]
	[[ "$err" == "ps-log: --note - and --comment -: the standard input holds one text; give the other with --comment-file FILE
usage: ps-log "* ]]
	run_split ps-log --note - <<<"- {match: $M, mode: phone, minutes: 5}"
	[ "$status" = 2 ]
	[[ "$err" == "ps-log: --note -: the standard input holds the entries to log (ps-log < ENTRIES); give the text with --note-file FILE
usage: ps-log "* ]]
	run_split ps-screen --step interview --result pass --note - <<<"V-A00003"
	[ "$status" = 2 ]
	[[ "$err" == "ps-screen: --note -: the standard input holds the record IDs; give the text with --note-file FILE
usage: ps-screen "* ]]
	run_split ps-match --commit --reason - </dev/null
	[ "$status" = 2 ]
	[[ "$err" == "ps-match: --reason -: the standard input holds the proposals or IDs; give the text with --reason-file FILE
usage: ps-match "* ]]
	[ "$(head_of .)" = "$h" ]
	[[ "$out$err" != *CANARY* ]]
}

@test "an unreadable file, an empty text, a NUL byte or over 64 KiB is refused, naming the option, never the text" {
	logged_store
	h=$(head_of .)
	run_split ps-log "$M" --mode phone --minutes 5 --note-file "$T/none" </dev/null
	expect 1 "" "ps-log: $T/none: --note-file: cannot open: No such file or directory"
	mkdir "$T/dir"
	run_split ps-apply --withdraw P-B00003 --reason-file "$T/dir" </dev/null
	expect 1 "" "ps-apply: $T/dir: --reason-file: cannot read: Is a directory"
	run_split ps-screen V-A00004 --retire --reason - </dev/null
	expect 1 "" "ps-screen: --reason -: the text is empty: nothing was changed"
	printf '\n \n\t\n' >"$T/blank"
	run_split ps-match --decline "$P2" --by participant --reason-file "$T/blank" </dev/null
	expect 1 "" "ps-match: $T/blank: --reason-file: the text is empty: nothing was changed"
	printf '%s\0after\n' "$SECRET" >"$T/nul"
	run_split ps-log "$M" --new-goal-file "$T/nul" </dev/null
	expect 1 "" "ps-log: $T/nul: --new-goal-file: the text holds a NUL byte"
	# 64 KiB is a record's limit for one value (the schema refuses more
	# than 4,000 characters of a note anyway)
	{ printf '%s ' "$SECRET"; head -c 65536 /dev/zero | tr '\0' x; } >"$T/big"
	run_split ps-log "$M" --mode phone --minutes 5 --note - <"$T/big"
	expect 1 "" "ps-log: --note -: the text is over 64 KiB, more than a record's field holds"
	run_split ps-log "$M" --mode phone --minutes 5 --note-file "$T/big" </dev/null
	expect 1 "" "ps-log: $T/big: --note-file: the text is over 64 KiB, more than a record's field holds"
	# a text the schema refuses is named by its field, not shown
	head -c 5000 "$T/big" >"$T/long"
	run_split ps-log "$M" --mode phone --minutes 5 --note-file "$T/long" </dev/null
	[ "$status" = 1 ]
	[[ "$err" != *CANARY* ]]
	[ "$(head_of .)" = "$h" ]
	[ -z "$(git status --porcelain)" ]
}

@test "ps-match --end takes its reason, a code, on the command line only" {
	logged_store
	h=$(head_of .)
	run_split ps-match --end "$M" --reason - <<<"completed"
	[ "$status" = 2 ]
	[[ "$err" == "ps-match: --end needs --reason completed, participant-request,"* ]]
	printf 'completed\n' >"$T/f"
	run_split ps-match --end "$M" --reason-file "$T/f"
	[ "$status" = 2 ]
	[[ "$err" == "ps-match: --end needs --reason completed, participant-request,"* ]]
	[ "$(head_of .)" = "$h" ]
	run_split ps-match --end "$M" --reason completed
	expect 0 "$out" ""
	grep -qx 'end_reason: completed' "matches/$M.yaml"
}
