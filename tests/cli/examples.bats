#!/usr/bin/env bats
# examples/: every sample application is taken in by a store made from its
# programme, and the EXAMPLES of ps-apply(1) run as the page shows them.
load helpers

TOP=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
export PS_NOW=2026-11-22T15:00:00Z

# samples PROG: the YAML and JSON applications of examples/PROG, one a line.
samples() {
	find "$TOP/examples/$1/applications" -type f \
	    \( -name '*.yaml' ! -name form-map.yaml -o -name '*.json' \) | sort
}

# records KIND: how many records of KIND (participants, volunteers) are in s.
records() {
	find "s/$1" -name '*.yaml' 2>/dev/null | wc -l | tr -d ' '
}

# take_in PROG SUBJECT: a store s from examples/PROG/program.yaml; each
# sample checked alone (-n), then all taken in at once, in one commit.
take_in() {
	local f
	local -a files
	ps-init --program "$TOP/examples/$1/program.yaml" s >/dev/null
	mapfile -t files < <(samples "$1")
	[ "${#files[@]}" -ge 2 ]
	for f in "${files[@]}"; do
		run_split ps-apply -C s -n "$f"
		[ "$status" = 0 ] || { echo "$f: $err"; return 1; }
		[ -z "$err" ]
	done
	run_split ps-apply -C s "${files[@]}"
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(printf '%s\n' "$out" | grep -c '^---$')" = "${#files[@]}" ]
	[ "$(git -C s log -1 --format=%s)" = "$2" ]
}

# A store must end clean: nothing left to commit, git fsck happy, private.
store_is_clean() {
	[ -z "$(git -C s status --porcelain)" ]
	git -C s fsck --strict 2>/dev/null
	find s -perm /077 >perms
	[ ! -s perms ]
}

@test "examples/ms-society: the applications and the web form's CSV export are taken in" {
	A=$TOP/examples/ms-society/applications
	take_in ms-society "ps-apply: 7 applications (3 participants, 4 volunteers)"
	run_split ps-apply -C s --csv --map "$A/form-map.yaml" "$A/applications.csv"
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 4 applications (participants)" ]
	# quoted commas, doubled quotes and a line break come through as typed
	printf '%s\n' "$out" | grep -qx '  best_times: Mornings, before 10'
	printf '%s\n' "$out" | grep -qx '  best_times: Evenings, "after the kids are in bed"'
	printf '%s\n' "$out" | grep -qx 'context: "My wife was diagnosed last year.\\nWe live far from a clinic, and I don'\''t know anyone else in the same situation."'
	# the form's wording mapped, the cells split, the consent box ticked
	[ "$(printf '%s\n' "$out" | grep -c '^region: ')" = 4 ]
	printf '%s\n' "$out" | grep -qx 'region: NB'
	printf '%s\n' "$out" | grep -qx 'role: caregiver'
	printf '%s\n' "$out" | grep -qx '  email: taylor.testcase@example.org'
	[ "$(printf '%s\n' "$out" | grep -c '^  - type: privacy$')" = 4 ]
	[ "$(records participants)" = 7 ]
	[ "$(records volunteers)" = 4 ]
	[ "$(git -C s rev-list --count HEAD)" = 3 ]
	run_split ps-check -C s
	expect 0 "11 records checked, 0 problems" ""
	store_is_clean
}

@test "examples/caregiver: registrations for a mentor and a group, the form's CSV export and Peer Mentors are taken in" {
	A=$TOP/examples/caregiver/applications
	take_in caregiver "ps-apply: 6 applications (2 participants, 4 volunteers)"
	run_split ps-apply -C s --csv --map "$A/form-map.yaml" "$A/registrations.csv"
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 3 applications (participants)" ]
	# the form's choice of stream, and its wording, mapped
	[ "$(printf '%s\n' "$out" | grep -c '^stream: mentor$')" = 2 ]
	[ "$(printf '%s\n' "$out" | grep -c '^stream: groups$')" = 1 ]
	[ "$(printf '%s\n' "$out" | grep -c '^role: caregiver$')" = 3 ]
	printf '%s\n' "$out" | grep -qx '  - spouse-or-partner'
	[ "$(records participants)" = 5 ]
	[ "$(records volunteers)" = 4 ]
	# every one signed the pledge the programme requires
	[ "$(grep -l '^  - type: pledge$' s/participants/*.yaml s/volunteers/*.yaml | wc -l)" = 9 ]
	run_split ps-check -C s
	expect 0 "9 records checked, 0 problems" ""
	store_is_clean
}

@test "examples/mental-health: referrals (YAML, JSON, the referral form's CSV export) and peer supporters are taken in" {
	A=$TOP/examples/mental-health/applications
	take_in mental-health "ps-apply: 6 applications (2 participants, 4 volunteers)"
	run_split ps-apply -C s --csv --map "$A/form-map.yaml" "$A/referrals.csv"
	[ "$status" = 0 ]
	[ -z "$err" ]
	[ "$(git -C s log -1 --format=%s)" = "ps-apply: 3 applications (participants)" ]
	# host organisation and funder for the reports; consent to share only
	# where the box was ticked
	[ "$(printf '%s\n' "$out" | grep -c '^host_organisation: Example ')" = 3 ]
	[ "$(printf '%s\n' "$out" | grep -c '^funder: Example ')" = 3 ]
	[ "$(printf '%s\n' "$out" | grep -c '^  - type: data-sharing$')" = 2 ]
	[ "$(records participants)" = 5 ]
	[ "$(records volunteers)" = 4 ]
	run_split ps-check -C s
	expect 0 "9 records checked, 0 problems" ""
	store_is_clean
}

@test "the SYNOPSIS of ps-apply(1) is the usage of ps-apply" {
	local synopsis usage
	synopsis=$(mandoc -Tascii -O width=200 "$TOP/man/ps-apply.1" |
	    sed 's/.\x08//g' | sed -n '/^SYNOPSIS$/,/^DESCRIPTION$/p' |
	    sed '1d;$d' | grep -vx ' *ps-apply -h | --help | --version' |
	    tr -s ' \n' ' ' | sed 's/^ //; s/ $//')
	usage=$(ps-apply -h | sed 's/^usage: //' | tr -s ' \n' ' ' |
	    sed 's/^ //; s/ $//')
	[ -n "$usage" ]
	if [ "$synopsis" != "$usage" ]; then
		printf 'man:   %s\nusage: %s\n' "$synopsis" "$usage"
		return 1
	fi
}

# The EXAMPLES of a man page: each literal display, with mdoc's escapes
# undone, after a line "@@"; only displays holding "$ " commands run.
man_examples() {
	awk '
	/^\.Sh / { in_ex = ($0 == ".Sh EXAMPLES") }
	in_ex && /^\.Bd -literal/ { in_bd = 1; print "@@"; next }
	in_bd && /^\.Ed/ { in_bd = 0; next }
	in_bd { print }
	' "$1" | sed -e 's/\\(dq/"/g' -e 's/\\&//g' -e 's/\\e/\\/g'
}

# IDs are random: the page's IDs stand for the ones a run makes. The first
# time a page's ID is shown, it is paired with the one in the same place
# of the real output; after that, commands use the real one, and output
# must show the same pairs.
declare -gA real_id

ids() {
	grep -oE '\b[PVMCG]-[0-9A-HJKMNP-TV-Z]{6}\b' <<<"$1" || true
}

# run_example CMD WANT: run CMD in this shell (so cd and export last) as the
# page's reader would, stdout and stderr together, and compare with WANT.
run_example() {
	local cmd=$1 want=$2 got k i rc=0
	local -a w g
	for k in "${!real_id[@]}"; do
		cmd=${cmd//$k/${real_id[$k]}}
	done
	cmd=${cmd//\$\?/$last_status}
	eval "$cmd" >"$T/.ex" 2>&1 || rc=$?
	last_status=$rc
	got=$(sed "s|$HOME|/home/acarey|g" "$T/.ex")
	mapfile -t w < <(ids "$want")
	mapfile -t g < <(ids "$got")
	if [ "${#w[@]}" = "${#g[@]}" ]; then
		for ((i = 0; i < ${#w[@]}; i++)); do
			[ -n "${real_id[${w[i]}]+set}" ] ||
			    real_id[${w[i]}]=${g[i]}
		done
	fi
	for k in "${!real_id[@]}"; do
		got=${got//${real_id[$k]}/$k}
	done
	if [ "$got" != "$want" ]; then
		printf '$ %s\n' "$1"
		diff -u <(printf '%s\n' "$want") <(printf '%s\n' "$got") || true
		return 1
	fi
}

@test "the EXAMPLES of ps-apply(1) run as shown" {
	local -a lines
	local line cmd= want= n=0 i=0 fail=0
	last_status=0
	mapfile -t lines < <(man_examples "$TOP/man/ps-apply.1")
	[ "${#lines[@]}" -gt 0 ]
	cd "$TOP"
	lines+=("@@")
	while [ "$i" -lt "${#lines[@]}" ]; do
		line=${lines[i]}
		i=$((i + 1))
		if [ "$line" = "@@" ] || [[ $line == '$ '* ]]; then
			if [ -n "$cmd" ]; then
				run_example "$cmd" "$want" || fail=1
				n=$((n + 1))
			fi
			cmd= want=
			[[ $line == '$ '* ]] || continue
			cmd=${line#'$ '}
			# a command goes on after a line ending in \ or |
			while [[ $cmd == *'\' || $cmd == *'|' ]] &&
			    [ "$i" -lt "${#lines[@]}" ]; do
				cmd=${cmd%'\'}
				line=${lines[i]}
				i=$((i + 1))
				cmd="$cmd ${line#"${line%%[! ]*}"}"
			done
			continue
		fi
		[ -n "$cmd" ] || continue
		want=${want:+$want$'\n'}$line
	done
	echo "$n commands run"
	[ "$n" -ge 10 ]
	[ "$fail" = 0 ]
}
