#!/usr/bin/env bats
# examples/pipelines.md: every command of its ```sh blocks runs, in order,
# as written, from the top of the source tree, and prints what the page
# shows under it (stdout and stderr together). The page's first commands
# make its store with examples/ms-society/run.sh.
#
# IDs are random. What a command prints and what the page shows are both
# made comparable by examples-run.awk, over everything printed so far:
# IDs become placeholders in the order they first appear, and runs of
# table rows are sorted, so a listing in the order of its (random) IDs
# compares too. (man-examples.bash pairs IDs by position and compares
# exactly, which such a listing defeats.) An ID of the page in a command
# is replaced by the real one that took the same placeholder; the page
# must show an ID before a command uses it.
#
# mail(1) is a stand-in that keeps the message in $T/mail: nothing is sent.
load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
DOC=$TOP/examples/pipelines.md
IDRE='[PVMCG]-[0-9A-HJKMNP-TV-Z]{6}'

# doc_commands FILE: each command of FILE's ```sh blocks, on a line "$ CMD"
# (lines ending in \, |, && or || joined to the next), then what the page
# shows it prints, each line as "> LINE".
doc_commands() {
	awk '
	/^```sh$/ { inb = 1; next }
	inb && /^```$/ { inb = 0; next }
	!inb { next }
	cont {
		sub(/^ +/, "")
		cmd = cmd " " $0
	}
	!cont && /^\$ / { cmd = substr($0, 3) }
	!cont && !/^\$ / { print "> " $0; next }
	{
		cont = cmd ~ /(\\|\||&&)$/
		sub(/\\$/, "", cmd)
		if (!cont)
			print "$ " cmd
	}' "$1"
}

# normalise FILE: as examples-run.awk makes it comparable.
normalise() {
	LC_ALL=C awk -v tmp="$T" -f "$BATS_TEST_DIRNAME/examples-run.awk" "$1"
}

# placeholders FILE IDS...: the placeholder each of IDS takes in FILE.
placeholders() {
	local f=$1
	shift
	{ cat "$f"; printf '@@ids %s\n' "$*"; } >"$T/.ph"
	normalise "$T/.ph" | tail -1 | sed 's/^@@ids //'
}

declare -gA real_id

# doc_run N CMD WANT: run the page's command N, compare what it prints with
# WANT, and pair the IDs it showed for the first time.
doc_run() {
	local n=$1 cmd=$2 want=$3 id i rc=0
	local -a ids pw pg reals used
	mapfile -t used < <(grep -oE "$IDRE" <<<"$cmd" | sort -u)
	for id in "${used[@]}"; do
		if [ -z "${real_id[$id]+set}" ]; then
			printf '$ %s\n%s: not shown before this command\n' "$2" "$id"
			return 1
		fi
		cmd=${cmd//$id/${real_id[$id]}}
	done
	eval "$cmd" </dev/null >"$T/.cmd" 2>&1 || rc=$?
	{ printf '@@ %s\n' "$n"; [ -z "$want" ] || printf '%s\n' "$want"; } >>"$T/want"
	{ printf '@@ %s\n' "$n"; sed "s|$HOME|/home/acarey|g" "$T/.cmd"; } >>"$T/got"
	normalise "$T/want" | sed -n "/^@@ $n\$/,\$p" >"$T/want.n"
	normalise "$T/got" | sed -n "/^@@ $n\$/,\$p" >"$T/got.n"
	# each from its marker on: an awk that failed, or a marker lost, would
	# leave both empty, and equal (set -e is off here: doc_run runs left
	# of ||)
	if [ "$(head -n 1 "$T/want.n")" != "@@ $n" ] ||
	    [ "$(head -n 1 "$T/got.n")" != "@@ $n" ]; then
		printf '$ %s\nnot made comparable (examples-run.awk)\n' "$2"
		return 1
	fi
	if [ "$rc" != 0 ] || ! cmp -s "$T/want.n" "$T/got.n"; then
		printf '$ %s\n' "$2"
		[ "$rc" = 0 ] || printf 'exit status %s\n' "$rc"
		diff -u "$T/want.n" "$T/got.n" | tail -n +3
		return 1
	fi
	# the IDs of the page that this command showed for the first time
	mapfile -t ids < <(grep -oE "$IDRE" <<<"$want" | awk '!seen[$0]++')
	for id in "${!ids[@]}"; do
		[ -z "${real_id[${ids[id]}]+set}" ] || unset 'ids[id]'
	done
	[ "${#ids[@]}" -gt 0 ] || return 0
	ids=("${ids[@]}")
	read -ra pw <<<"$(placeholders "$T/want" "${ids[@]}")"
	mapfile -t reals < <(grep -oE "$IDRE" "$T/.cmd" | awk '!seen[$0]++')
	read -ra pg <<<"$(placeholders "$T/got" "${reals[@]}")"
	for id in "${!ids[@]}"; do
		for i in "${!reals[@]}"; do
			[ "${pg[i]}" != "${pw[id]}" ] || real_id[${ids[id]}]=${reals[i]}
		done
	done
}

@test "examples/pipelines.md: every command runs as written and prints what the page shows" {
	local line cmd='' want='' n=0 pipes=0 fail=0
	local -a lines
	yq --help 2>&1 | grep -q jq || {
		echo "yq here is not the jq wrapper that pipelines.md uses (Debian's yq)"
		return 1
	}
	mkdir -p "$T/bin"
	cat >"$T/bin/mail" <<-EOF
		#!/bin/sh
		printf '%s\n' "\$@" >"$T/mail.args"
		cat >"$T/mail"
	EOF
	chmod +x "$T/bin/mail"
	PATH=$T/bin:$TOP/cmd:$PATH
	: >"$T/want"
	: >"$T/got"
	mapfile -t lines < <(doc_commands "$DOC")
	lines+=('$ ')
	cd "$TOP"
	for line in "${lines[@]}"; do
		case $line in
		'> '*) want=${want:+$want$'\n'}${line#> } ;;
		'$ '*)
			if [ -n "$cmd" ]; then
				n=$((n + 1))
				[[ $cmd != *'|'* ]] || pipes=$((pipes + 1))
				doc_run "$n" "$cmd" "$want" || fail=1
			fi
			cmd=${line#'$ '} want='' ;;
		esac
	done
	echo "$n commands run, $pipes of them pipelines"
	[ "$fail" = 0 ]
	[ "$pipes" -ge 12 ]
	# the report went to mail(1), to the board
	[ "$(cat "$T/mail.args")" = $'-s\nPeer support weekly\nboard@example.org' ]
	[ "$(head -1 "$T/mail")" = "# MS Society of Canada 1:1 Peer Support Program" ]
	diff -u "$T/mail" <(ps-report --format md)
	# and the store is clean
	[ -z "$(git -C "$HOME/peer-support" status --porcelain)" ]
	run_split ps-check -C "$HOME/peer-support"
	[ "$status" = 0 ]
}
