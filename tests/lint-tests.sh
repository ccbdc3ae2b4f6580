#!/bin/sh
# Refuse a test that cannot fail. make check runs this first, over the
# command-line tests (tests/cli/*.bats and their helpers *.bash), and
# names each file and line it refuses:
#
#   negation  "! cmd" as a command of its own: bats runs a test under
#             set -e, which ignores a negated command, so the line passes
#             whatever cmd does (but as a test's very last line). Write
#             "run ! cmd", or "! cmd || false".
#   grep -q   a quiet grep that is not the last command of its pipeline:
#             the pipeline's status is the last command's, and the
#             grep's is dropped.
#   run       a run or run_split whose status and output are never looked
#             at ($status, $output, $lines, $out, $err, expect or an
#             expect_* helper) before the next run or the end of the
#             test or function.
#
# A line that must stay as it is says why in a comment ending with
# "lint: ok". Exit status 1 when anything is refused.
#   tests/lint-tests.sh [FILE...]
set -u
cd "$(dirname "$0")/.." || exit 2
[ $# -gt 0 ] || set -- tests/cli/*.bats tests/cli/*.bash

LC_ALL=C awk '
# a use of the results of a run
function looks(s) {
	return s ~ /\$\{?(status|output|lines|out|err)([^A-Za-z_0-9]|$)/ ||
	    s ~ /(^|[^A-Za-z_0-9])expect(_[A-Za-z_0-9]*)?([^A-Za-z_0-9]|$)/
}
function flag(file, line, what) {
	printf "%s:%d: %s\n", file, line, what
	bad++
}
# the checks of one logical line (continuations joined), of file f
# starting at line n
function logical(f, n, s,    o, t, s2, rest) {
	if (s ~ /lint: ok[ \t]*$/)
		return
	o = s
	# quoted text is not code
	gsub(/"([^"\\]|\\.)*"/, "\"\"", s)
	gsub(/\047[^\047]*\047/, "\047\047", s)
	t = s
	sub(/^[ \t]+/, "", t)
	# a negated command: at the start of a command, not inside [ ] nor
	# in the condition of an if or a loop
	if (t !~ /\|\|[ \t]*false[ \t]*$/ && t !~ /^(if|elif|while|until)[ \t]/ &&
	    (t ~ /^![ \t]/ || s ~ /(;|&&|\|\||\{|(^|[ \t])(then|do|else))[ \t]+![ \t]/))
		flag(f, n, "a negated command cannot fail the test under set -e: write \"run ! cmd\" or \"! cmd || false\"")
	# grep -q with a pipe after it (not ||)
	rest = s
	while (match(rest, /(^|[^A-Za-z_-])grep[ \t]+(-[A-Za-z]*q[A-Za-z]*|--quiet|--silent)[^|;&]*\|[^|]/)) {
		flag(f, n, "grep -q before a pipe: its status is dropped; make it the last command of the pipeline")
		rest = substr(rest, RSTART + RLENGTH)
	}
	# run / run_split, and whether its results are looked at
	if (pending && looks(o))
		pending = 0
	if (t ~ /^([A-Za-z_][A-Za-z_0-9]*=[^ \t]*[ \t]+)*run(_split)?[ \t]/) {
		if (pending)
			flag(f, pline, "run: its status and output are never checked")
		pending = 1
		pline = n
		s2 = o
		sub(/^[ \t]+/, "", s2)
		sub(/^([A-Za-z_][A-Za-z_0-9]*=[^ \t]*[ \t]+)*run(_split)?[ \t]/, "", s2)
		if (looks(s2))
			pending = 0
	}
}
FNR == 1 {
	if (pending)
		flag(pfile, pline, "run: its status and output are never checked")
	pending = 0; buf = ""
}
{
	pfile = FILENAME
	line = $0
	# comments are not code (a "#" at the start of a word)
	if (line ~ /^[ \t]*#/)
		line = ""
	if (buf == "")
		start = FNR
	if (line ~ /\\$/) {
		buf = buf substr(line, 1, length(line) - 1) " "
		next
	}
	buf = buf line
	logical(FILENAME, start, buf)
	buf = ""
	# the end of a test or a function
	if ($0 ~ /^}/) {
		if (pending)
			flag(FILENAME, pline, "run: its status and output are never checked")
		pending = 0
	}
}
END {
	if (pending)
		flag(pfile, pline, "run: its status and output are never checked")
	if (bad) {
		printf "lint-tests: %d line%s that cannot fail a test\n", bad, bad == 1 ? "" : "s"
		exit 1
	}
}' "$@"
