#!/usr/bin/env bats
# tests/lint-tests.sh, which make check runs first: it refuses each shape
# of a check that cannot fail, naming the file and the line, and passes
# the ways to write them that do fail (tests/fixtures/lint/).
load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
LF=$BATS_TEST_DIRNAME/../fixtures/lint

@test "the lint refuses a bare negation, a grep -q before a pipe, a run never checked" {
	run_split "$TOP/tests/lint-tests.sh" "$LF/bad.bash"
	expect 1 "$LF/bad.bash:4: a negated command cannot fail the test under set -e: write \"run ! cmd\" or \"! cmd || false\"
$LF/bad.bash:5: a negated command cannot fail the test under set -e: write \"run ! cmd\" or \"! cmd || false\"
$LF/bad.bash:6: grep -q before a pipe: its status is dropped; make it the last command of the pipeline
$LF/bad.bash:3: run: its status and output are never checked
$LF/bad.bash:7: run: its status and output are never checked
lint-tests: 5 lines that cannot fail a test" ""
}

@test "the lint passes the forms that fail, conditions, quoted text and comments" {
	run_split "$TOP/tests/lint-tests.sh" "$LF/good.bash"
	expect 0 "" ""
	# and every test of this project
	run_split "$TOP/tests/lint-tests.sh"
	expect 0 "" ""
}
