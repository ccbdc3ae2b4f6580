#!/usr/bin/env bats
# Hostile input through the real tools: each refused with its position,
# exit 1, the store unchanged, in well under a second and bounded memory.
# BOM and CRLF are accepted and normalised; YAML 1.1's trap values stay
# the strings typed, byte for byte, for us and for a standard YAML reader.
load helpers

export PS_NOW=2026-11-22T15:00:00Z
LIMIT=${HOSTILE_TIMEOUT:-5}	# seconds; valgrind runs raise it

# A participant application, complete but for what a test adds.
app() {
	cat <<'YAML'
kind: participant
stream: extended
role: caregiver
name: {first: Ana, last: Silva}
languages: [en]
consents: [{type: privacy, version: "2026-01", date: 2026-11-20, given: true}]
YAML
}

# The store's state: HEAD, git status and every file's content.
state() {
	git -C "$T/s" rev-parse HEAD
	git -C "$T/s" status --porcelain --ignored
	(cd "$T/s" && find . -path ./.git -prune -o -type f -print | sort |
	    xargs -r sha1sum)
}

setup_store() {
	new_store
	fill_store
	state >"$T/.state"
}

unchanged() {
	diff -u "$T/.state" <(state)
}

# bounded CMD...: run_split under a time limit, keeping the peak memory
# (KiB) in $rss and the processor time (user and system, seconds: not
# the wall clock, which a busy machine stretches) in $secs; stdin is the
# caller's.
bounded() {
	status=0
	/usr/bin/time -o "$T/.time" -f '%M %U %S' timeout "$LIMIT" "$@" \
	    >"$T/.out" 2>"$T/.err" || status=$?
	out=$(cat "$T/.out")
	err=$(cat "$T/.err")
	read -r rss user sys < <(tail -n 1 "$T/.time")
	secs=$(awk "BEGIN { print $user + $sys }")
}

# fast: well under a second and 200 MB (not measured under valgrind,
# which is slow and big by design).
fast() {
	[ "$status" != 124 ] || { echo "timed out"; return 1; }
	[ "${VALGRIND:-0}" = 1 ] && return 0
	# numbers: the condition below takes a broken one for no excess
	[[ $rss =~ ^[0-9]+$ && $secs =~ ^[0-9.]+$ ]] ||
	    { echo "not measured: rss '$rss', secs '$secs'"; return 1; }
	if [ "$rss" -gt 200000 ] || awk "BEGIN { exit !($secs >= 1) }"; then
		echo "rss ${rss} KiB, ${secs} s"
		return 1
	fi
}

# refused_on_stdin TOOL ARGS... -- MESSAGE: the input on our stdin is
# refused with that one message, fast, nothing written.
refused_on_stdin() {
	local args=() msg
	while [ "$1" != -- ]; do args+=("$1"); shift; done
	msg=$2
	bounded "${args[@]}"
	expect 1 "" "$msg"
	fast
	unchanged
}

@test "aliases, an alias bomb and alias cycles are refused at the first anchor or alias" {
	setup_store
	{ app; printf 'region: &r ON\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:9: anchors are not allowed"
	# billion laughs: each level doubles the one before
	{
		printf 'a0: &a0 ["lol","lol"]\n'
		for i in $(seq 1 30); do
			printf 'a%d: &a%d [*a%d,*a%d]\n' "$i" "$i" $((i - 1)) $((i - 1))
		done
	} >bomb.yaml
	refused_on_stdin ps-apply -C s <bomb.yaml -- "ps-apply: stdin:1:5: anchors are not allowed"
	bounded ps-apply -C s bomb.yaml
	expect 1 "" "ps-apply: bomb.yaml:1:5: anchors are not allowed"
	printf 'a: &a [*a]\n' |
	    refused_on_stdin ps-log -C s -- "ps-log: stdin:1:4: anchors are not allowed"
	printf 'kind: *a\n' |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:1:7: aliases are not allowed"
	printf -- '- id: *a\n' |
	    refused_on_stdin ps-screen -C s --step interview --result pass -- "ps-screen: stdin:1:7: aliases are not allowed"
	printf -- '- &m {kind: match}\n- *m\n' |
	    refused_on_stdin ps-match -C s --commit -- "ps-match: stdin:1:3: anchors are not allowed"
	unchanged
}

@test "200,000 nested brackets stop at 32 levels" {
	setup_store
	head -c 200000 /dev/zero | tr '\0' '[' |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:1:33: nesting deeper than 32 levels"
	yes '{"a":' | head -n 200000 |
	    refused_on_stdin ps-log -C s -- "ps-log: stdin:33:1: nesting deeper than 32 levels"
	head -c 200000 /dev/zero | tr '\0' '[' |
	    refused_on_stdin ps-match -C s -- "ps-match: stdin:1:33: nesting deeper than 32 levels"
	head -c 200000 /dev/zero | tr '\0' '[' >s/participants/P-7K3Q2X.yaml
	bounded ps-check -C s
	expect 1 "23 records checked, 1 problem" "ps-check: participants/P-7K3Q2X.yaml:1:33: nesting deeper than 32 levels"
	fast
}

@test "duplicate keys, at the top and nested, are refused where the second one is" {
	setup_store
	{ app; printf 'kind: volunteer\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:1: duplicate key: the same key is on line 1"
	{ app; printf 'contact:\n  email: a@example.org\n  email: b@example.org\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:9:3: duplicate key: the same key is on line 8"
	# one key repeated for ever: found at once, not after 256 KiB
	yes 'mode: phone' |
	    refused_on_stdin ps-log -C s -- "ps-log: stdin:2:1: duplicate key: the same key is on line 1"
	sed -i '2a kind: participant' s/participants/P-7K3Q2X.yaml
	run_split ps-check -C s
	expect 1 "23 records checked, 1 problem" "ps-check: participants/P-7K3Q2X.yaml:3:1: duplicate key: the same key is on line 1"
}

@test "a huge value, a huge record file, and 1 GiB on stdin are refused in flat memory" {
	setup_store
	{ app; printf 'context: '; head -c 70000 /dev/zero | tr '\0' x; echo; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:10: value is longer than 64 KiB"
	yes -- '- abcdefghi' | head -c 300000 >big.yaml
	bounded ps-apply -C s --as participant big.yaml
	[ "$status" = 1 ]
	fast
	# a top-level list is a list of applications, each refused: the
	# reading stops after 100 problems
	[ "$(printf '%s\n' "$err" | wc -l)" = 101 ]
	[ "$(printf '%s\n' "$err" | tail -n 1)" = "ps-apply: big.yaml:100:12: too many problems: stopped after 100, the rest was not read" ]
	{ printf 'kind: participant\nnote: |\n'; yes '  abcdefghi' | head -c 300000; } >s/participants/P-7K3Q2X.yaml
	run_split ps-check -C s
	expect 1 "23 records checked, 1 problem" "ps-check: participants/P-7K3Q2X.yaml: record file is larger than 256 KiB"
	git -C s checkout -q -- participants
	# 1 GiB, never on disk: one endless line, endless lines, endless NULs
	head -c 1G /dev/zero | tr '\0' x |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:1:1: record is larger than 256 KiB"
	yes | refused_on_stdin ps-apply -C s -- "ps-apply: stdin:1:1: record is larger than 256 KiB"
	head -c 1G /dev/zero |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:1:1: not text: a NUL byte (if this is UTF-16, convert it to UTF-8)"
	head -c 1G /dev/zero | tr '\0' x |
	    refused_on_stdin ps-apply -C s --update P-7K3Q2X -- "ps-apply: stdin:1:1: record is larger than 256 KiB"
	yes 'region: ON' |
	    refused_on_stdin ps-apply -C s --update P-7K3Q2X -- "ps-apply: stdin:2:1: duplicate key: the same key is on line 1"
	head -c 1G /dev/zero | tr '\0' x |
	    refused_on_stdin ps-log -C s -- "ps-log: stdin:1:1: record is larger than 256 KiB"
	head -c 1G /dev/zero | tr '\0' x |
	    refused_on_stdin ps-screen -C s --step interview --result pass -- "ps-screen: stdin:1:1: record is larger than 256 KiB"
	head -c 1G /dev/zero | tr '\0' x |
	    refused_on_stdin ps-match -C s -- "ps-match: stdin:1:1: record is larger than 256 KiB"
	head -c 1G /dev/zero | tr '\0' x |
	    refused_on_stdin ps-match -C s --commit -- "ps-match: stdin:1:1: record is larger than 256 KiB"
	# endless records, each refused: stops after 100 problems
	yes -- '- x' |
	    refused_on_stdin ps-apply -C s -- "$(for i in $(seq 1 100); do
		echo "ps-apply: stdin:$i:3: an application must be a mapping of fields"
	    done)
ps-apply: stdin:100:4: too many problems: stopped after 100, the rest was not read"
	bounded ps-log -C s < <(yes -- '- {}')
	[ "$status" = 1 ]
	fast
	[ "$(printf '%s\n' "$err" | tail -n 1)" = "ps-log: stdin:100:5: too many problems: stopped after 100, the rest was not read" ]
	bounded ps-match -C s --commit < <(yes -- '- {kind: match}')
	[ "$status" = 1 ]
	fast
	[ "$(printf '%s\n' "$err" | tail -n 1)" = "ps-match: stdin:17:16: too many problems: stopped after 100, the rest was not read" ]
	# endless IDs: a million lines at most
	yes P-7K3Q2X | refused_on_stdin ps-screen -C s --step interview --result pass -- "ps-screen: stdin:1000001:1: more than 1000000 lines of record IDs"
	unchanged
}

@test "text that is not UTF-8, NUL, control characters and UTF-16 are refused where they are" {
	setup_store
	{ app; printf 'context: "caf\xc3\x28"\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:14: not valid UTF-8 text: invalid trailing UTF-8 octet"
	{ app; printf 'context: "\xc0\xaf"\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:11: not valid UTF-8 text: invalid length of a UTF-8 sequence"
	{ app; printf 'context: "\xed\xa0\x80"\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:11: not valid UTF-8 text: invalid Unicode character"
	{ app; printf 'context: "a\0b"\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:12: not text: a NUL byte (if this is UTF-16, convert it to UTF-8)"
	{ app; printf 'context: a\033[2Jb\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:11: control character U+001B is not allowed"
	# escapes cannot smuggle them in either
	{ app; printf 'context: "a\\0b"\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:10: a NUL character (\\0) is not allowed in a value"
	{ app; printf 'context: "\\e[2J"\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:10: control character U+001B is not allowed in a value"
	{ app; printf 'context: "\\x9b2J"\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:10: control character U+009B is not allowed in a value"
	# UTF-16 with its byte-order mark, and without
	app | iconv -f UTF-8 -t UTF-16 |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:1:1: not UTF-8 text: convert it to UTF-8"
	app | iconv -f UTF-8 -t UTF-16LE |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:1:2: not text: a NUL byte (if this is UTF-16, convert it to UTF-8)"
	printf 'P-7K3Q2X\n' | iconv -f UTF-8 -t UTF-16BE |
	    refused_on_stdin ps-screen -C s --step interview --result pass -- "ps-screen: stdin:1:1: not text: a NUL byte (if this is UTF-16, convert it to UTF-8)"
	printf 'mode: phone\nnote: "\xff"\n' |
	    refused_on_stdin ps-log -C s -- "ps-log: stdin:2:8: not valid UTF-8 text: invalid leading UTF-8 octet"
	# a CSV export: row and column
	printf 'First,Last\nAl\xff,Bo\n' >bad.csv
	printf 'First,Last\nAl,"B\0o"\n' >nul.csv
	printf 'First,Last\nAl,"B\033o"\n' >ctl.csv
	printf 'First,Last\nAl,Bo\n' | iconv -f UTF-8 -t UTF-16 >utf16.csv
	printf 'kind: participant\ncolumns: {First: name.first, Last: name.last}\n' >map.yaml
	bounded ps-apply -C s --csv --map map.yaml bad.csv
	expect 1 "" "ps-apply: bad.csv:2:1: not valid UTF-8 text"
	bounded ps-apply -C s --csv --map map.yaml nul.csv
	expect 1 "" "ps-apply: nul.csv:2:2: not text: a NUL byte (if this is UTF-16, convert it to UTF-8)"
	bounded ps-apply -C s --csv --map map.yaml ctl.csv
	expect 1 "" "ps-apply: ctl.csv:2:2: control character U+001B is not allowed"
	bounded ps-apply -C s --csv --map map.yaml utf16.csv
	expect 1 "" "ps-apply: utf16.csv:1:1: not UTF-8 text: convert it to UTF-8"
	# a record file in the store
	printf 'region: "\xc3"\n' >>s/participants/P-7K3Q2X.yaml
	run_split ps-check -C s
	expect 1 "23 records checked, 1 problem" "ps-check: participants/P-7K3Q2X.yaml:$(wc -l <s/participants/P-7K3Q2X.yaml):10: not valid UTF-8 text: invalid trailing UTF-8 octet"
}

@test "text on the command line that a record could not hold is refused" {
	setup_store
	bounded ps-log -C s M-8D1Q4R --mode phone --minutes 5 --note "$(printf 'caf\xe9')"
	expect 1 "" "ps-log: --note: not valid UTF-8 text"
	bounded ps-log -C s M-8D1Q4R --mode phone --minutes 5 --note "$(printf 'a\033[2Jb')"
	expect 1 "" "ps-log: --note: control character U+001B is not allowed"
	fast
	unchanged
}

@test "tags, %TAG directives and merge keys are refused" {
	setup_store
	{ app; printf 'region: !!str ON\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:9: tags are not allowed"
	{ app; printf 'contact: !<tag:yaml.org,2002:map> {}\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:10: tags are not allowed"
	{ printf '%%TAG !x! tag:example.org,2026:\n---\n'; app; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:1:1: %TAG directives are not allowed"
	{ app; printf '<<: {region: ON}\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:7:1: merge keys (<<) are not allowed"
	printf 'mode: phone\nflag:\n  <<: {type: risk}\n' |
	    refused_on_stdin ps-log -C s -- "ps-log: stdin:3:3: merge keys (<<) are not allowed"
	sed -i 's/^status: /status: !!str /' s/participants/P-7K3Q2X.yaml
	run_split ps-check -C s
	expect 1 "23 records checked, 1 problem" "ps-check: participants/P-7K3Q2X.yaml:3:9: tags are not allowed"
}

@test "two documents in one record file, and conflict markers even inside a quoted value" {
	setup_store
	f=s/participants/P-7K3Q2X.yaml
	n=$(wc -l <$f)
	printf -- '---\nkind: participant\n' >>$f
	run_split ps-check -C s
	expect 1 "23 records checked, 1 problem" "ps-check: participants/P-7K3Q2X.yaml:$((n + 1)):1: more than one document in a record file"
	git -C s checkout -q -- participants
	sed -i 's/^  first: .*/  first: "Jean\n<<<<<<< HEAD\nJ.\n=======\nJohn\n>>>>>>> other"/' $f
	state >"$T/.state"
	run_split ps-check -C s
	expect 1 "23 records checked, 1 problem" "ps-check: participants/P-7K3Q2X.yaml:9:1: git conflict marker: resolve the merge conflict, then run again"
	# a tool that writes refuses to read it too, and says how to go on
	bounded ps-apply -C s --update P-7K3Q2X <<<'region: ON'
	[ "$status" = 1 ]
	[[ "$err" == *"participants/P-7K3Q2X.yaml:9:1: git conflict marker: resolve the merge conflict, then run again"* ]]
	fast
	unchanged
	git -C s checkout -q -- participants
	state >"$T/.state"
	{ app; printf 'context: "a\n=======\nb"\n'; } |
	    refused_on_stdin ps-apply -C s -- "ps-apply: stdin:8:1: git conflict marker: resolve the merge conflict, then run again"
	printf 'mode: phone\nnote: "x\n>>>>>>> theirs\n"\n' |
	    refused_on_stdin ps-log -C s -- "ps-log: stdin:3:1: git conflict marker: resolve the merge conflict, then run again"
}

@test "IDs like ../../x, /, a newline or 300 characters are refused as operands and on stdin" {
	setup_store
	long=$(head -c 300 /dev/zero | tr '\0' P)
	nl=$'P-7K3Q2X\n../../x'
	for id in ../../x / "$nl" "$long" "P-7K3Q2X/../../x" ""; do
		shown=$(printf '%s' "$id" | tr '\n' '?' | cut -c1-40)
		[ ${#id} -gt 40 ] && shown="$shown..."
		bounded ps-screen -C s "$id" --step interview --result pass
		expect 1 "" "ps-screen: $shown: not a record ID (like P-7K3Q2X)"
		bounded ps-match -C s "$id"
		expect 1 "" "ps-match: $shown: not a record ID (like P-7K3Q2X)"
		bounded ps-match -C s --accept "$id"
		expect 1 "" "ps-match: $shown: not a record ID (like P-7K3Q2X)"
		bounded ps-log -C s "$id" --mode phone --minutes 5
		expect 1 "" "ps-log: --match: not a match ID"
		bounded ps-log -C s --volunteer "$id" --activity training --hours 1
		expect 1 "" "ps-log: --volunteer: not a volunteer ID"
		bounded ps-apply -C s --update "$id"
		expect 1 "" "ps-apply: $shown: not a record ID (like P-7K3Q2X)"
		bounded ps-apply -C s --withdraw "$id" --reason x
		expect 1 "" "ps-apply: $shown: not a record ID (like P-7K3Q2X)"
		fast
	done
	# on stdin, one per line or in records: the line, or the id's place
	printf 'P-7K3Q2X\n../../x\n' |
	    refused_on_stdin ps-screen -C s --step interview --result pass -- "ps-screen: stdin:2:1: not a record ID (like P-7K3Q2X)"
	printf 'P-7K3Q2X\n%s\n' "$long" |
	    refused_on_stdin ps-match -C s -- "ps-match: stdin:2:1: not a record ID (like P-7K3Q2X)"
	printf -- '- id: P-7K3Q2X\n- id: ../../x\n' |
	    refused_on_stdin ps-screen -C s --step interview --result pass -- "ps-screen: stdin:2:7: id: not a record ID (like P-7K3Q2X)"
	printf -- '- id: "P-7K3Q2X\\n../../x"\n' |
	    refused_on_stdin ps-match -C s -- "ps-match: stdin:1:7: id: not a record ID (like P-7K3Q2X)"
	printf 'mode: phone\nminutes: 5\nmatch: ../../x\n' |
	    refused_on_stdin ps-log -C s -- "ps-log: stdin:3:8: match: not a match ID"
	# a record piped back whose id is a path
	sed 's|^id: .*|id: ../../../x|' s/matches/M-8D1Q4R.yaml | sed 's/^status: .*/status: proposed/' |
	    refused_on_stdin ps-match -C s --commit -- "ps-match: stdin:2:5: id: is longer than 8 characters
ps-match: stdin:2:5: id: does not have the expected form (^M-[0-9A-HJKMNP-TV-Z]{6}\$)"
	# paths as ps-check operands
	bounded ps-check -C s ../../x / "$(printf 'a\nb')" "$long"
	expect 1 "0 records checked, 4 problems" "ps-check: ../../x: cannot open: No such file or directory
ps-check: /: not a regular file
ps-check: a?b: cannot open: No such file or directory
ps-check: $long: cannot open: File name too long"
	unchanged
}

@test "a record file that is a symbolic link or a FIFO is refused, never followed or waited on" {
	setup_store
	ln -s /etc/passwd s/participants/P-2222AA.yaml
	ln -s ../volunteers/V-3K2J9X.yaml s/participants/P-3333AA.yaml
	mkfifo s/participants/P-4444AA.yaml
	bounded ps-check -C s
	expect 1 "24 records checked, 3 problems" "ps-check: participants/P-2222AA.yaml: is a symbolic link, not a record file
ps-check: participants/P-3333AA.yaml: is a symbolic link, not a record file
ps-check: participants/P-4444AA.yaml: not a regular file"
	fast
	bounded ps-apply -C s --update P-4444AA <<<'region: ON'
	expect 1 "" "ps-apply: participants/P-4444AA.yaml: not a regular file"
	# a record itself replaced by a link
	mv s/participants/P-7K3Q2X.yaml p.yaml
	ln -s "$T/p.yaml" s/participants/P-7K3Q2X.yaml
	bounded ps-apply -C s --update P-7K3Q2X <<<'region: ON'
	[ "$status" = 1 ]
	[[ "$err" == *"ps-apply: participants/P-7K3Q2X.yaml: is a symbolic link, not a record file"* ]]
	bounded ps-screen -C s P-7K3Q2X --step on-boarding-call --result pass
	[ "$status" = 1 ]
	[[ "$err" == *"participants/P-7K3Q2X.yaml: is a symbolic link, not a record file"* ]]
	# staged, or committed, the link is refused too
	rm -f s/participants/P-4444AA.yaml
	git -C s add participants/P-2222AA.yaml
	run_split ps-check -C s --cached
	expect 1 "0 records checked, 1 problem" "ps-check: participants/P-2222AA.yaml: is a symbolic link, not a record file"
	git -C s -c user.name=T -c user.email=t@example.org commit -q --no-verify -m link
	run_split ps-report -C s --format yaml
	[[ "$err" == *"participants/P-2222AA.yaml: is a symbolic link, not a record file"* ]]
	[[ "$out" != *root* ]]
}

@test "a byte-order mark and CRLF line ends are accepted and written back without them" {
	new_store
	app >lf.yaml
	{ printf '\xef\xbb\xbf'; sed 's/$/\r/' lf.yaml; } >bom-crlf.yaml
	ps-init s2 >/dev/null
	run_split ps-apply -C s lf.yaml
	[ "$status" = 0 ]
	first=$(printf '%s\n' "$out" | sed -E 's/P-[0-9A-Z]{6}/P-XXXXXX/')
	# the record printed: two empty outputs would compare equal below
	[[ "$first" == *"id: P-XXXXXX"* ]]
	run_split ps-apply -C s2 bom-crlf.yaml
	[ "$status" = 0 ]
	diff -u <(printf '%s\n' "$first") <(printf '%s\n' "$out" | sed -E 's/P-[0-9A-Z]{6}/P-XXXXXX/')
	! grep -q $'\r' s2/participants/*.yaml || false
	! grep -q $'\xef\xbb\xbf' s2/participants/*.yaml || false
	# a hand-edited record with both reads fine, and the next write
	# normalises it
	f=$(ls s2/participants/*.yaml)
	id=$(basename "$f" .yaml)
	{ printf '\xef\xbb\xbf'; sed 's/$/\r/' "$f"; } >x && mv x "$f"
	# it holds both, or the checks after the next write prove nothing
	[ "$(head -c 3 "$f")" = $'\xef\xbb\xbf' ]
	grep -q $'\r' "$f"
	git_commit_all crlf "$T/s2"
	run_split ps-check -C s2
	expect 0 "1 record checked, 0 problems" ""
	run_split ps-apply -C s2 --update "$id" <<<$'region: "ON"\r'
	[ "$status" = 0 ]
	! grep -q $'\r' "$f" || false
	[ "$(head -c 3 "$f")" = "kin" ]
	run_split ps-check -C s2
	expect 0 "1 record checked, 0 problems" ""
}

@test "YAML 1.1 trap values stay strings, byte for byte, for us and for PyYAML" {
	new_store
	cat >traps.yaml <<'YAML'
kind: participant
stream: extended
role: caregiver
name: {first: no, last: NO, preferred: on}
gender: off
context: yes
languages: [en]
consents: [{type: privacy, version: "2026-01", date: 2026-11-20, given: true}]
---
kind: participant
stream: extended
role: caregiver
name: {first: y, last: n, preferred: 010}
gender: 0x1F
context: 1e3
languages: [en]
consents: [{type: privacy, version: "2026-01", date: 2026-11-20, given: true}]
---
kind: participant
stream: extended
role: caregiver
name: {first: .inf, last: ~, preferred: null}
gender: 2026-11-22
context: "12:30"
languages: [en]
consents: [{type: privacy, version: "2026-01", date: 2026-11-20, given: true}]
YAML
	run_split ps-apply -C s traps.yaml
	[ "$status" = 0 ]
	[ -z "$err" ]
	# the stored text, quoted where a YAML 1.1 or 1.2 reader would guess
	grep -hE '^(  first|  last|  preferred|gender|context):' s/participants/*.yaml |
	    sort >got
	sort >want <<'EOF'
  first: ".inf"
  first: "no"
  first: "y"
  last: "NO"
  last: "n"
  last: "~"
  preferred: "010"
  preferred: "null"
  preferred: "on"
context: "12:30"
context: "1e3"
context: "yes"
gender: "0x1F"
gender: "2026-11-22"
gender: "off"
EOF
	diff -u want got
	# PyYAML (YAML 1.1) reads every one back as the string typed
	/usr/bin/python3 - s/participants/*.yaml <<'PY'
import sys, yaml
seen = set()
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        r = yaml.safe_load(f)
    for v in (r["name"]["first"], r["name"]["last"], r["name"]["preferred"],
              r["gender"], r["context"]):
        assert isinstance(v, str), (path, repr(v))
        seen.add(v)
want = {"no", "NO", "on", "off", "yes", "y", "n", "010", "0x1F", "1e3",
        ".inf", "~", "null", "2026-11-22", "12:30"}
assert seen == want, seen ^ want
PY
	# read and written again, unchanged: checked, listed, and an update
	# of another field leaves every other byte as it was
	run_split ps-check -C s
	expect 0 "3 records checked, 0 problems" ""
	ps-apply -C s --list --yaml | grep -v '^---$' >listed
	cat s/participants/*.yaml | diff -u - listed
	for f in s/participants/*.yaml; do
		id=$(basename "$f" .yaml)
		cp "$f" before.yaml
		run_split ps-apply -C s --update "$id" <<<'region: ON'
		[ "$status" = 0 ]
		diff before.yaml "$f" | grep '^[<>]' >changed || true
		[ "$(cat changed)" = '> region: "ON"' ]
	done
	git -C s fsck --strict 2>/dev/null
}
