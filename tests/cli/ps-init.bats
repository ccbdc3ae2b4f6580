#!/usr/bin/env bats
# ps-init: create a store.
load helpers

@test "ps-init creates a private store with one audited commit" {
	run_split ps-init s
	expect 0 "ps-init: created store $T/s (MS Society of Canada 1:1 Peer Support Program)" ""
	[ "$(git -C s log --format=%s)" = "ps-init: create store" ]
	[ "$(git -C s log -1 --format=%an)" = "Test Coordinator" ]
	git -C s log -1 --format=%B | grep -qx "Ps-Tool: ps-init"
	git -C s log -1 --format=%B | grep -qx "add program.yaml"
	git -C s fsck --full --strict 2>&1 | grep -v '^Checking' | grep -q . && false
	[ -z "$(git -C s status --porcelain)" ]
	find s -perm /077 >perms; [ ! -s perms ] || { cat perms; false; }
	[ "$(stat -c %a s)" = 700 ]
	cmp s/program.yaml "$BATS_TEST_DIRNAME/../../examples/ms-society/program.yaml"
	[ -x s/.git/hooks/pre-commit ]
}

@test "ps-init takes another programme with --program" {
	run_split ps-init --program "$BATS_TEST_DIRNAME/../../examples/caregiver/program.yaml" s
	[ "$status" = 0 ]
	cmp s/program.yaml "$BATS_TEST_DIRNAME/../../examples/caregiver/program.yaml"
}

@test "ps-init refuses a directory that is not empty" {
	mkdir d && echo x >d/notes.txt
	run_split ps-init d
	expect 1 "" "ps-init: d: exists and is not empty; a store needs a directory of its own"
	[ "$(ls -A d)" = notes.txt ]
}

@test "ps-init refuses a store that exists" {
	new_store
	h=$(head_of s)
	run_split ps-init s
	expect 1 "" "ps-init: s: already a store"
	[ "$(head_of s)" = "$h" ]
}

@test "ps-init refuses an invalid programme, reporting every problem, creating nothing" {
	sed -e 's|^timezone: .*|timezone: Mars/Olympus|' \
	    -e 's|^name: .*|name: Test\ncolour: blue|' \
	    "$BATS_TEST_DIRNAME/../../examples/ms-society/program.yaml" >bad.yaml
	run_split ps-init --program bad.yaml s
	expect 1 "" "ps-init: bad.yaml:3:1: unknown field
ps-init: bad.yaml:4:11: timezone: no such time zone on this system (e.g. America/Toronto)"
	[ ! -e s ]
}

@test "ps-init refuses a programme that is not YAML" {
	printf 'name: [unclosed\n' >bad.yaml
	run_split ps-init --program bad.yaml s
	[ "$status" = 1 ]
	[[ "$err" == "ps-init: bad.yaml:2:1: not valid YAML: "* ]]
	[ ! -e s ]
}

@test "ps-init -n shows program.yaml and creates nothing" {
	run_split ps-init -n s
	[ "$status" = 0 ]
	[ "$out" = "$(cat "$BATS_TEST_DIRNAME/../../examples/ms-society/program.yaml")" ]
	[ ! -e s ]
}

@test "ps-init writes YAML 1.1 trap values quoted, and Python reads them as strings" {
	sed -e 's|^name: .*|name: yes|' \
	    "$BATS_TEST_DIRNAME/../../examples/ms-society/program.yaml" >p.yaml
	run_split ps-init --program p.yaml s
	[ "$status" = 0 ]
	grep -qx 'name: "yes"' s/program.yaml
	[ "$(/usr/bin/python3 -c 'import yaml,sys; print(repr(yaml.safe_load(open(sys.argv[1]))["name"]))' s/program.yaml)" = "'yes'" ]
}

@test "ps-init without an author says how to set one" {
	unset PS_AUTHOR
	run_split ps-init s
	expect 2 "" "ps-init: no author for the commit: use --author \"Name <email>\", set PS_AUTHOR, or run git config user.name and git config user.email in the store"
}

@test "ps-init refuses a malformed --author" {
	run_split ps-init --author "just a name" s
	expect 2 "" "ps-init: --author: not an author like \"Name <email>\""
}

@test "ps-init --help prints the usage; a bad option is a usage error" {
	run_split ps-init --help
	expect 0 'usage: ps-init [-n] [--author "Name <email>"] [--program FILE] [DIR]' ""
	run_split ps-init --bogus
	[ "$status" = 2 ]
	[ "${err##*$'\n'}" = 'usage: ps-init [-n] [--author "Name <email>"] [--program FILE] [DIR]' ]
	run_split ps-init a b
	expect 2 "" 'ps-init: too many operands
usage: ps-init [-n] [--author "Name <email>"] [--program FILE] [DIR]'
}

@test "ps-init --version" {
	run_split ps-init --version
	[ "$status" = 0 ]
	[[ "$out" == "ps-init "[0-9]* ]]
}
