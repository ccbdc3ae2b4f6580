#!/usr/bin/env bats
# ps-check: validate every record and cross-reference of a store.
load helpers

@test "ps-check passes a new store and one full of valid records" {
	new_store
	run_split ps-check -C s
	expect 0 "0 records checked, 0 problems" ""
	fill_store
	run_split ps-check -C s
	expect 0 "24 records checked, 0 problems" ""
}

@test "ps-check finds the store from a sub-directory and from PS_STORE" {
	new_store
	fill_store
	cd s/participants
	run_split ps-check
	expect 0 "24 records checked, 0 problems" ""
	cd "$T"
	PS_STORE=$T/s run_split ps-check
	expect 0 "24 records checked, 0 problems" ""
}

@test "ps-check outside a store says how to choose one" {
	run_split ps-check
	expect 3 "" "ps-check: not in a store: use -C DIR, set PS_STORE, or create one with ps-init"
	run_split ps-check -C nowhere
	expect 3 "" "ps-check: nowhere: No such file or directory"
}

@test "ps-check reports every schema problem with its position, never the value" {
	new_store
	fill_store
	sed -i -e 's/^  email: .*/  email: not-an-address/' \
	    -e 's/^status: .*/status: sleeping/' s/participants/P-7K3Q2X.yaml
	run_split ps-check -C s
	expect 1 "23 records checked, 2 problems" "ps-check: participants/P-7K3Q2X.yaml:3:9: status: must be one of: applied, onboarding, waiting, matched, closed, withdrawn
ps-check: participants/P-7K3Q2X.yaml:12:10: contact.email: not a valid email address"
	[[ "$err" != *not-an-address* ]]
}

@test "ps-check reports a record whose file name does not match its ID" {
	new_store
	fill_store
	git -C s mv participants/P-7K3Q2X.yaml participants/P-7K3Q2Y.yaml
	run_split ps-check -C s
	expect 1 "23 records checked, 5 problems" "ps-check: participants/P-7K3Q2Y.yaml: id: does not match the file name and folder
ps-check: matches/M-4RA6TD.yaml:5:14: participant: no such record
ps-check: matches/M-8D1Q4R.yaml:5:14: participant: no such record
ps-check: contacts/2026/04/08/C-1F6K9M.yaml:6:14: participant: no such record
ps-check: contacts/2026/09/20/C-2KP8WE.yaml:6:14: participant: no such record"
}

@test "ps-check reports references to records that do not exist" {
	new_store
	fill_store
	git -C s rm -q volunteers/V-3K2J9X.yaml
	run_split ps-check -C s
	[ "$status" = 1 ]
	[[ "$err" == *"matches/M-2VX7GH.yaml:6:12: volunteer: no such record"* ]]
	[[ "$err" != *V-3K2J9X* ]]
}

@test "ps-check reports a volunteer over capacity" {
	new_store
	fill_store
	sed -i 's/^capacity: .*/capacity: 0/' s/volunteers/V-3K2J9X.yaml
	run_split ps-check -C s
	[ "$status" = 1 ]
	[[ "$err" == *"ps-check: volunteers/V-3K2J9X.yaml: capacity: volunteer has more open matches than capacity"* ]]
}

@test "ps-check FILE checks just that file, inside or outside the store" {
	new_store
	fill_store
	run_split ps-check -C s s/participants/P-7K3Q2X.yaml "$FIX/records/invalid/participant-bad-email.yaml"
	expect 1 "1 record checked, 1 problem" "ps-check: $FIX/records/invalid/participant-bad-email.yaml:12:10: contact.email: not a valid email address"
}

@test "ps-check refuses hostile record files with their position" {
	new_store
	printf 'kind: participant\nid: &a P-7K3Q2X\n' >anchor.yaml
	printf 'kind: participant\nkind: volunteer\n' >dup.yaml
	printf 'kind: !!str participant\n' >tag.yaml
	printf 'kind: participant\n---\nkind: volunteer\n' >two.yaml
	printf 'kind: "part\n<<<<<<< HEAD\nicipant"\n' >conflict.yaml
	printf 'kind: "\xc3\x28"\n' >utf8.yaml
	ln -s dup.yaml link.yaml
	mkfifo fifo.yaml
	head -c 300000 /dev/zero | tr '\0' 'x' >big.yaml
	run_split ps-check -C s anchor.yaml dup.yaml tag.yaml two.yaml conflict.yaml utf8.yaml link.yaml fifo.yaml big.yaml
	expect 1 "0 records checked, 9 problems" "ps-check: anchor.yaml:2:5: anchors are not allowed
ps-check: dup.yaml:2:1: duplicate key: the same key is on line 1
ps-check: tag.yaml:1:7: tags are not allowed
ps-check: two.yaml:2:1: more than one document in a record file
ps-check: conflict.yaml:2:1: git conflict marker: resolve the merge conflict, then run again
ps-check: utf8.yaml:1:8: not valid UTF-8 text: invalid trailing UTF-8 octet
ps-check: link.yaml: is a symbolic link, not a record file
ps-check: fifo.yaml: not a regular file
ps-check: big.yaml: record file is larger than 256 KiB"
}

@test "ps-check --cached checks what is staged; the pre-commit hook uses it" {
	new_store
	fill_store
	h=$(head_of s)
	# 42 is text here: types come from the schema, not YAML 1.1
	sed -i 's/^stream: .*/stream: 42/' s/participants/P-7K3Q2X.yaml
	git -C s add participants/P-7K3Q2X.yaml
	run_split ps-check -C s --cached
	expect 1 "0 records checked, 1 problem" "ps-check: participants/P-7K3Q2X.yaml:4:9: stream: does not have the expected form (^[a-z][a-z0-9-]{0,31}\$)"
	run_split git -C s -c user.name=T -c user.email=t@example.org commit -q -m "hand edit"
	[ "$status" != 0 ]
	[[ "$err" == *"stream: does not have the expected form"* ]]
	[ "$(head_of s)" = "$h" ]
	# git commit -a stages into a temporary index: checked all the same
	git -C s reset -q
	run_split git -C s -c user.name=T -c user.email=t@example.org commit -q -a -m "hand edit"
	[ "$status" != 0 ]
	[[ "$err" == *"stream: does not have the expected form"* ]]
	[ "$(head_of s)" = "$h" ]
}

@test "ps-check refuses a store that others can write to" {
	new_store
	chmod o+w s
	run_split ps-check -C s
	expect 3 "" "ps-check: $T/s: store is writable by others; fix it with chmod -R go-rwx"
}

@test "ps-check refuses an invalid program.yaml with its position" {
	new_store
	sed -i 's/^timezone: .*/timezone: 5/' s/program.yaml
	run_split ps-check -C s
	expect 1 "" "ps-check: program.yaml:3:11: timezone: does not have the expected form (^[A-Za-z]+(/[A-Za-z0-9_+-]+){0,2}\$)
ps-check: program.yaml:3:11: timezone: no such time zone on this system (e.g. America/Toronto)"
}
