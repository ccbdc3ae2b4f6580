#!/usr/bin/env bats
# ps-apply: intake of applications.
load helpers

A=$BATS_TEST_DIRNAME/../fixtures/apply
EX=$BATS_TEST_DIRNAME/../../examples
export PS_NOW=2026-11-22T15:00:00Z

# IDs are random: mask them to compare output.
mask() {
	sed -E 's/\b([PVMCG])-[0-9A-HJKMNP-TV-Z]{6}\b/\1-XXXXXX/g'
}

files_in() {
	(cd s && find participants volunteers matches -name '*.yaml' 2>/dev/null | sort)
}

@test "ps-apply stores a participant and a volunteer in one commit and prints them" {
	new_store
	run_split ps-apply -C s "$A/two.yaml"
	[ "$status" = 0 ]
	[ -z "$err" ]
	diff -u "$A/two.expected" <(printf '%s\n' "$out" | mask)
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 2 applications (1 participant, 1 volunteer)" ]
	[ "$(git -C s log -1 --format=%b | mask)" = "add participants/P-XXXXXX.yaml
add volunteers/V-XXXXXX.yaml

Ps-Tool: ps-apply
Ps-Version: 0.1.0" ]
	[ "$(git -C s rev-list --count HEAD)" = 2 ]
	[ -z "$(git -C s status --porcelain)" ]
	run_split ps-check -C s
	expect 0 "2 records checked, 0 problems" ""
	git -C s fsck --strict 2>/dev/null
	find s -perm /077 >perms; [ ! -s perms ]
	# each printed record is the stored file, byte for byte
	ps-apply -C s --list --kind participant --yaml | sed 1d >listed.yaml
	cmp listed.yaml s/participants/*.yaml
}

@test "ps-apply reads a JSON array on stdin, --as and --stream saying what they are" {
	new_store
	run_split ps-apply -C s --as participant --stream onecall <<'JSON'
[{"role": "living-with", "name": {"first": "Kim", "last": "Lee"},
  "contact": {"email": "kim@example.org"}, "languages": ["en"],
  "consents": [{"type": "privacy", "version": "2026-01", "date": "2026-11-21", "given": true}]},
 {"role": "caregiver", "name": {"first": "Pat", "last": "Ng"},
  "contact": {"phone": "+1-416-555-0100"}, "languages": ["en"],
  "consents": [{"type": "privacy", "version": "2026-01", "date": "2026-11-21", "given": true}]}]
JSON
	[ "$status" = 0 ]
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 2 applications (participants)" ]
	[ "$(printf '%s\n' "$out" | grep -c '^stream: onecall$')" = 2 ]
	[ "$(files_in | wc -l)" = 2 ]
}

@test "ps-apply is all or nothing: one bad application, nothing written, every problem reported" {
	new_store
	h=$(head_of s)
	run_split ps-apply -C s "$A/bad.yaml"
	expect 1 "" "$(sed "s|@A@|$A|g" "$A/bad.expected")"
	[[ "$err" != *CANARY* ]]
	[ "$(head_of s)" = "$h" ]
	[ -z "$(files_in)" ]
	[ -z "$(git -C s status --porcelain)" ]
}

@test "ps-apply --partial stores the good ones and still exits 1" {
	new_store
	{ cat "$A/two.yaml"; printf -- '---\nkind: participant\nstream: nowhere\n'; } >apps.yaml
	run_split ps-apply -C s --partial apps.yaml
	[ "$status" = 1 ]
	[[ "$err" == *"apps.yaml:32:9: stream: not a stream of this programme (it has: extended, onecall)"* ]]
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 2 applications (1 participant, 1 volunteer)" ]
	[ "$(files_in | wc -l)" = 2 ]
}

@test "ps-apply refuses input that is not YAML, and empty input" {
	new_store
	h=$(head_of s)
	printf 'kind: participant\nname: [oops\n' >bad.yaml
	run_split ps-apply -C s bad.yaml
	[ "$status" = 1 ]
	[[ "$err" == "ps-apply: bad.yaml:3:1: not valid YAML: "* ]]
	run_split ps-apply -C s </dev/null
	expect 1 "" "ps-apply: no applications in the input"
	[ "$(head_of s)" = "$h" ]
}

@test "ps-apply refuses a probable duplicate, naming the existing record; --allow-duplicate links them" {
	new_store
	ps-apply -C s "$A/two.yaml" >first.yaml
	pid=$(sed -n 's/^id: \(P-.*\)/\1/p' first.yaml)
	h=$(head_of s)
	sed -e 's/Jean.Dupont@Example.ORG/other@example.org/' "$A/two.yaml" | sed '/^---$/,$d' >again.yaml
	run_split ps-apply -C s again.yaml
	expect 1 "" "ps-apply: again.yaml:1:1: probable duplicate of $pid (same phone number); use --allow-duplicate to store and link both"
	[ "$(head_of s)" = "$h" ]
	run_split ps-apply -C s --allow-duplicate again.yaml
	[ "$status" = 0 ]
	printf '%s\n' "$out" | grep -qx "  - $pid"
	run_split ps-check -C s
	expect 0 "3 records checked, 0 problems" ""
}

@test "the store's duplicate keys are kept between runs as hashes and follow changes made by hand" {
	new_store
	sed '/^---$/,$d' "$A/two.yaml" >p.yaml
	pid=$(ps-apply -C s p.yaml | sed -n 's/^id: //p')
	# kept: hashes and IDs, no value of theirs
	[ -s s/.git/ps-dupkeys ]
	! grep -qai -e dupont -e 555 -e jean s/.git/ps-dupkeys || false
	# a change committed by hand: the old address is free, the new one taken
	sed -i -e 's/jean.dupont@example.org/jd@example.org/' -e '/phone:/d' "s/participants/$pid.yaml"
	git_commit_all "new address"
	sed -e 's/Jean.Dupont@Example.ORG/jd@example.org/' -e '/phone:/d' -e 's/Dupont/Other/' p.yaml >new.yaml
	run_split ps-apply -C s new.yaml
	expect 1 "" "ps-apply: new.yaml:1:1: probable duplicate of $pid (same email address); use --allow-duplicate to store and link both"
	sed -e '/phone:/d' -e 's/Dupont/Third/' p.yaml >old.yaml
	run_split ps-apply -C s old.yaml
	[ "$status" = 0 ]
	# a withdrawn person is no one's duplicate; a cache not ours is rebuilt
	ps-apply -C s --withdraw "$pid" --reason moved >/dev/null
	echo junk >s/.git/ps-dupkeys
	run_split ps-apply -C s new.yaml
	[ "$status" = 0 ]
	run_split ps-apply -C s new.yaml
	[ "$status" = 1 ]
	[[ "$err" == *"probable duplicate of P-"*"(same email address)"* ]]
}

@test "ps-apply: 150 applications in one commit go to the store as one pack git reads" {
	new_store
	loose=$(git -C s count-objects | cut -d' ' -f1)
	for i in $(seq 1 150); do
		printf -- '---\nkind: participant\nstream: extended\nrole: caregiver\n'
		printf 'name: {first: Many, last: "N%d"}\ncontact: {email: many.%d@example.org}\n' "$i" "$i"
		printf 'languages: [en]\nconsents: [{type: privacy, version: "2026-01", date: 2026-11-21, given: true}]\n'
	done >many.yaml
	run_split ps-apply -C s <many.yaml
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 150 applications (participants)" ]
	[ "$(files_in | wc -l)" = 150 ]
	# no new loose object: the blobs, trees and commit are in one pack
	[ "$(git -C s count-objects | cut -d' ' -f1)" = "$loose" ]
	[ "$(find s/.git/objects/pack -name 'pack-*.pack' | wc -l)" = 1 ]
	[ "$(find s/.git/objects/pack -name 'pack-*.idx' -perm 0400 | wc -l)" = 1 ]
	(cd s && git verify-pack .git/objects/pack/pack-*.idx)
	[ "$(cd s && git verify-pack -v .git/objects/pack/pack-*.idx | grep -c ' blob ')" = 150 ]
	git -C s fsck --full --strict 2>/dev/null
	[ -z "$(git -C s status --porcelain)" ]
	[ -z "$(ls s/.git/objects/pack | grep -v '^pack-')" ]
	run_split ps-check -C s
	expect 0 "150 records checked, 0 problems" ""
	# the duplicate keys of all 150 are known to the next run
	sed -n '2,8p' many.yaml | sed 's/N1"/Other"/' >again.yaml
	run_split ps-apply -C s again.yaml
	[ "$status" = 1 ]
	[[ "$err" == *"probable duplicate of P-"*"(same email address)"* ]]
}

@test "ps-apply finds duplicates within one input too" {
	new_store
	sed '/^---$/,$d' "$A/two.yaml" >p.yaml
	{ cat p.yaml; echo ---; cat p.yaml; } >twice.yaml
	run_split ps-apply -C s twice.yaml
	[ "$status" = 1 ]
	[[ "$err" =~ ^"ps-apply: twice.yaml:21:1: probable duplicate of P-" ]]
	[ -z "$(files_in)" ]
}

@test "ps-apply --csv --map imports a web-form export, BOM and CRLF too" {
	new_store
	run_split ps-apply -C s --csv --map "$A/form-map.yaml" "$A/form.csv"
	[ "$status" = 0 ]
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 2 applications (participants)" ]
	printf '%s\n' "$out" | grep -qx 'context: "My partner has MS.\\nSome days are hard."'
	printf '%s\n' "$out" | grep -qx 'context: Diagnosed in 2019, looking for someone to talk to'
	printf '%s\n' "$out" | grep -qx '  email: sam@example.org'
	printf '%s\n' "$out" | grep -qx 'role: living-with'
	first=$out
	ps-init s2 >/dev/null
	run_split ps-apply -C s2 --csv --map "$A/form-map.yaml" "$A/form-bom-crlf.csv"
	[ "$status" = 0 ]
	diff -u <(printf '%s\n' "$first" | mask) <(printf '%s\n' "$out" | mask)
}

@test "ps-apply --csv refuses a broken quote with its row and column" {
	new_store
	run_split ps-apply -C s --csv --map "$A/form-map.yaml" "$A/broken.csv"
	expect 1 "" "ps-apply: $A/broken.csv:2:8: quoted field is not closed before the end of the file"
	[ -z "$(files_in)" ]
}

@test "ps-apply --update merges changes, re-validates, one commit" {
	new_store
	id=$(ps-apply -C s "$A/two.yaml" | sed -n 's/^id: \(P-.*\)/\1/p')
	run_split ps-apply -C s --update "$id" <<'YAML'
contact:
  phone: 613 555 0177
availability: [mon-eve]
YAML
	[ "$status" = 0 ]
	printf '%s\n' "$out" | grep -qx '  phone: "+1 613 555 0177"'
	printf '%s\n' "$out" | grep -qx '  email: jean.dupont@example.org'
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: update $id" ]
	h=$(head_of s)
	run_split ps-apply -C s --update "$id" <<'YAML'
status: matched
YAML
	expect 1 "" "ps-apply: stdin:1:1: status: is set by the toolkit and cannot be updated"
	run_split ps-apply -C s --update P-0000AA </dev/null
	expect 1 "" "ps-apply: P-0000AA: no such record"
	[ "$(head_of s)" = "$h" ]
}

@test "ps-apply --withdraw closes the record and ends its open match in one commit" {
	new_store
	fill_store
	run_split ps-apply -C s --withdraw P-7K3Q2X --reason "moving away"
	[ "$status" = 0 ]
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: withdraw P-7K3Q2X (ends M-8D1Q4R)" ]
	grep -qx 'status: withdrawn' s/participants/P-7K3Q2X.yaml
	grep -qx 'status: ended' s/matches/M-8D1Q4R.yaml
	grep -qx 'end_reason: participant-request' s/matches/M-8D1Q4R.yaml
	[[ "$(git -C s log -1 --format=%B)" != *moving* ]]
	run_split ps-check -C s
	expect 0 "24 records checked, 0 problems" ""
	run_split ps-apply -C s --withdraw P-7K3Q2X --reason again
	expect 1 "" "ps-apply: P-7K3Q2X: already withdrawn"
}

@test "ps-apply --list prints a table without personal data, or a YAML stream" {
	new_store
	ps-apply -C s "$A/two.yaml" >/dev/null
	run_split ps-apply -C s --list --table
	[ "$status" = 0 ]
	diff -u - <(printf '%s\n' "$out" | mask) <<'TABLE'
ID        KIND         STREAM             STATUS      RECEIVED
P-XXXXXX  participant  extended           applied     2026-11-22
V-XXXXXX  volunteer    extended, onecall  applied     2026-11-22
TABLE
	[[ "$out" != *Dupont* ]]
	run_split ps-apply -C s --list --kind volunteer
	[ "$(printf '%s\n' "$out" | grep -c '^kind: volunteer$')" = 1 ]
	[ "$(printf '%s\n' "$out" | grep -c '^---$')" = 1 ]
	run_split ps-apply -C s --list --since 2026-11-23
	expect 0 "" ""
	run_split ps-apply -C s --list --since yesterday
	expect 2 "" "ps-apply: --since: not a date (YYYY-MM-DD)"
}

@test "ps-apply usage errors" {
	new_store
	run_split ps-apply -C s --csv x.csv
	[ "$status" = 2 ]
	[[ "$err" == "ps-apply: --csv and --map go together"* ]]
	run_split ps-apply -C s --withdraw P-7K3Q2X
	[ "$status" = 2 ]
	[[ "$err" == "ps-apply: --withdraw needs --reason"* ]]
	run_split ps-apply -C s --as nobody x
	[ "$status" = 2 ]
	run_split ps-apply --help
	[ "$status" = 0 ]
	[[ "$out" == "usage: ps-apply "* ]]
}

@test "ps-apply --update: records linked by --allow-duplicate are not duplicates of each other, either way" {
	new_store
	C=$EX/ms-society/applications/participant-caregiver.yaml
	p1=$(ps-apply -C s "$C" | sed -n 's/^id: //p')
	p2=$(sed 's/^stream: extended/stream: onecall/' "$C" |
	    ps-apply -C s --allow-duplicate | sed -n 's/^id: //p')
	grep -qx "  - $p1" "s/participants/$p2.yaml"
	for id in "$p1" "$p2"; do
		run_split ps-apply -C s --update "$id" <<<'availability: [sat-am]'
		expect 0 "$(printf -- '---\n'; cat "s/participants/$id.yaml")" ""
		grep -A1 -x 'availability:' "s/participants/$id.yaml" | grep -qx '  - sat-am'
		[ "$(git -C s log -1 --format=%s)" = "ps-apply: update $id" ]
	done
	# another person given the same email address is still a duplicate
	p3=$(ps-apply -C s "$EX/ms-society/applications/participant-living-with.yaml" |
	    sed -n 's/^id: //p')
	first=$(printf '%s\n' "$p1" "$p2" | sort | head -1)
	h=$(head_of s)
	run_split ps-apply -C s --update "$p3" <<<'contact: {email: robin.sample@example.org}'
	expect 1 "" "ps-apply: stdin:1:1: probable duplicate of $first (same email address); use --allow-duplicate to store and link both"
	[ "$(head_of s)" = "$h" ]
	[ -z "$(git -C s status --porcelain)" ]
}

@test "ps-apply --csv: a consent column of each type gets the programme's version, named with _ in program.yaml" {
	ps-init --program "$EX/mental-health/program.yaml" s >/dev/null
	cat >map.yaml <<'YAML'
kind: participant
stream: seconded
columns:
  First: name.first
  Last: name.last
  Role: role
  Languages: {field: languages, split: ";"}
  Privacy: {consent: privacy}
  Sharing: {consent: data-sharing}
YAML
	printf 'First,Last,Role,Languages,Privacy,Sharing\nAl,Bo,living-with,en,yes,yes\n' >form.csv
	run_split ps-apply -C s --csv --map map.yaml form.csv
	out=$(printf '%s\n' "$out" | mask)
	expect 0 "---
kind: participant
id: P-XXXXXX
status: applied
stream: seconded
role: living-with
received: 2026-11-22T10:00:00-05:00
name:
  first: Al
  last: Bo
languages:
  - en
consents:
  - type: privacy
    version: \"2026-01\"
    date: 2026-11-22
    given: true
    method: online
  - type: data-sharing
    version: \"2026-01\"
    date: 2026-11-22
    given: true
    method: online
status_history:
  - status: applied
    date: 2026-11-22T10:00:00-05:00
    by: ps-apply" ""
	[ "$(files_in | wc -l)" = 1 ]
}

@test "ps-apply --csv: a consent with no version in program.yaml needs one in the map; an unknown type is refused" {
	ps-init --program "$EX/mental-health/program.yaml" s >/dev/null
	h=$(head_of s)
	printf 'First,Last,Role,Languages,Privacy,Survey\nAl,Bo,living-with,en,yes,yes\n' >form.csv
	cat >map.yaml <<'YAML'
kind: participant
stream: seconded
columns:
  First: name.first
  Last: name.last
  Role: role
  Languages: {field: languages, split: ";"}
  Privacy: {consent: privacy}
  Survey:
    consent: follow-up
YAML
	run_split ps-apply -C s --csv --map map.yaml form.csv
	expect 1 "" 'ps-apply: map.yaml:10:5: column "Survey": the programme names no version of the follow-up consent: add version: to the column'
	sed -i 's/consent: follow-up/consent: marketing/' map.yaml
	run_split ps-apply -C s --csv --map map.yaml form.csv
	expect 1 "" 'ps-apply: map.yaml:10:5: column "Survey": not a consent type (the types are: privacy, pledge, follow-up, data-sharing)'
	[ "$(head_of s)" = "$h" ]
	printf '    consent: follow-up\n    version: "2026-03"\n' >tail.yaml
	sed -i '$d' map.yaml
	cat tail.yaml >>map.yaml
	run_split ps-apply -C s --csv --map map.yaml form.csv
	[ "$status" = 0 ]
	[ -z "$err" ]
	printf '%s\n' "$out" | grep -A1 -x '  - type: follow-up' | grep -qx '    version: "2026-03"'
}

@test "ps-apply -n needs no author; a real run still does" {
	new_store
	h=$(head_of s)
	unset PS_AUTHOR
	run_split ps-apply -C s -n "$A/two.yaml"
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(printf '%s\n' "$out" | grep -c '^id: ')" = 2 ]
	run_split ps-apply -C s -n --author "nobody" "$A/two.yaml"
	expect 2 "" 'ps-apply: --author: not an author like "Name <email>"'
	run_split ps-apply -C s "$A/two.yaml"
	expect 2 "" 'ps-apply: no author for the commit: use --author "Name <email>", set PS_AUTHOR, or run git config user.name and git config user.email in the store'
	[ "$(head_of s)" = "$h" ]
	[ -z "$(files_in)" ]
	[ -z "$(git -C s status --porcelain)" ]
}

@test "ps-apply --csv: a mapping file without columns, or with a bad column, is the only problem reported" {
	new_store
	h=$(head_of s)
	printf 'First,Last\nAl,Bo\n' >form.csv
	printf 'kind: participant\n' >map.yaml
	run_split ps-apply -C s --csv --map map.yaml form.csv
	expect 1 "" "ps-apply: map.yaml:1:1: columns: a mapping of CSV column titles to record fields is required"
	printf 'kind: participant\ncolumns:\n  First: name.first\n  Last: [name.last]\n' >map.yaml
	run_split ps-apply -C s --csv --map map.yaml form.csv
	expect 1 "" 'ps-apply: map.yaml:4:9: column "Last": give a field, or field/split/values, or consent'
	printf 'kind: participant\ncolumns:\n  First: name.first\n  Surname: name.last\n' >map.yaml
	run_split ps-apply -C s --csv --map map.yaml form.csv
	expect 1 "" 'ps-apply: map.yaml:4:3: column "Surname" is not in the CSV header'
	[ "$(head_of s)" = "$h" ]
}

@test "ps-apply never quotes a submitted stream or role, and reports a bad role once" {
	new_store
	h=$(head_of s)
	cat >apps.yaml <<'YAML'
kind: participant
stream: extended
role: My husband Jean-Guy has MS
name: {first: A, last: B}
languages: [en]
consents: [{type: privacy, version: "2026-01", date: 2026-02-03, given: true}]
---
kind: participant
stream: saturdays
role: caregiver
name: {first: C, last: D}
languages: [en]
consents: [{type: privacy, version: "2026-01", date: 2026-02-03, given: true}]
---
kind: participant
stream: onecall
role: both
name: {first: E, last: F}
languages: [en]
consents: [{type: privacy, version: "2026-01", date: 2026-02-03, given: true}]
YAML
	run_split ps-apply -C s apps.yaml
	expect 1 "" "ps-apply: apps.yaml:3:7: role: must be one of: living-with, caregiver, both
ps-apply: apps.yaml:9:9: stream: not a stream of this programme (it has: extended, onecall)
ps-apply: apps.yaml:17:7: role: stream \"onecall\" does not take this role (it takes: living-with, caregiver)"
	[ "$(head_of s)" = "$h" ]
	[ -z "$(files_in)" ]
}

@test "ps-apply -h shows -C and --author in every form, and --as and --stream with --csv" {
	run_split ps-apply -h
	expect 0 'usage: ps-apply [-C DIR] [-n] [--author "Name <email>"]
                [--as participant|volunteer] [--stream S] [--partial]
                [--allow-duplicate] [FILE ...]
       ps-apply --csv --map MAP.yaml [-C DIR] [-n] [--author "Name <email>"]
                [--as participant|volunteer] [--stream S] [--partial]
                [--allow-duplicate] [FILE]
       ps-apply --update ID [-C DIR] [-n] [--author "Name <email>"] [FILE]
       ps-apply --withdraw ID --reason TEXT [-C DIR] [-n]
                [--author "Name <email>"]
       ps-apply --withdraw ID --reason-file FILE [-C DIR] [-n]
                [--author "Name <email>"]
       ps-apply --erase ID [--yes] [-C DIR] [-n] [--author "Name <email>"]
       ps-apply --list [-C DIR] [--kind participant|volunteer] [--stream S]
                [--status S] [--since DATE] [--yaml | --table]' ""
}

@test "ps-apply --list --kind takes participant or volunteer, nothing else" {
	new_store
	ps-apply -C s "$A/two.yaml" >/dev/null
	run_split ps-apply -C s --list --kind match
	expect 2 "" "ps-apply: --kind: participant or volunteer
$(ps-apply -h)"
	run_split ps-apply -C s --list --kind volunteer --table
	out=$(printf '%s\n' "$out" | mask)
	expect 0 "ID        KIND         STREAM             STATUS      RECEIVED
V-XXXXXX  volunteer    extended, onecall  applied     2026-11-22" ""
}
