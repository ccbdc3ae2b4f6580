# Run the EXAMPLES of a man page as its reader would, and compare what
# each command prints with what the page shows. Load after helpers:
#	load helpers
#	load man-examples
#	run_man_examples "$TOP/man/ps-tool.1" 10
#
# In a literal display of the EXAMPLES, a line "$ cmd" is a command, which
# goes on after a line ending in \ or |; the lines after it, up to the next
# command or the end of the display, are its output, stdout and stderr
# together. Displays without a command are not run. Commands run in the
# test's own shell, so cd and export last; $HOME in the output reads
# /home/acarey, and $? in a command is the status of the one before.
#
# IDs are random: the page's IDs stand for the ones a run makes. The first
# time a page's ID is shown, it is paired with the one in the same place
# of the real output; after that, commands use the real one, and output
# must show the same pairs.

# man_examples PAGE: each literal display of the EXAMPLES, after a line
# "@@", with mdoc's escapes undone.
man_examples() {
	awk '
	/^\.Sh / { in_ex = ($0 == ".Sh EXAMPLES") }
	in_ex && /^\.Bd -literal/ { in_bd = 1; print "@@"; next }
	in_bd && /^\.Ed/ { in_bd = 0; next }
	in_bd { print }
	' "$1" | sed -e 's/\\(dq/"/g' -e 's/\\&//g' -e 's/\\e/\\/g'
}

declare -gA real_id

man_ids() {
	grep -oE '\b[PVMCG]-[0-9A-HJKMNP-TV-Z]{6}\b' <<<"$1" || true
}

# man_example CMD WANT: run CMD and compare its output with WANT.
man_example() {
	local cmd=$1 want=$2 got k i rc=0
	local -a w g
	for k in "${!real_id[@]}"; do
		cmd=${cmd//$k/${real_id[$k]}}
	done
	cmd=${cmd//\$\?/$last_status}
	eval "$cmd" >"$T/.ex" 2>&1 || rc=$?
	last_status=$rc
	got=$(sed "s|$HOME|/home/acarey|g" "$T/.ex")
	mapfile -t w < <(man_ids "$want")
	mapfile -t g < <(man_ids "$got")
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

# run_man_examples PAGE MIN: run every command of PAGE's EXAMPLES, in
# order, from the current directory; fail if one prints what the page
# does not show, or if fewer than MIN commands ran.
run_man_examples() {
	local -a lines
	local line cmd= want= n=0 i=0 fail=0
	last_status=0
	mapfile -t lines < <(man_examples "$1")
	[ "${#lines[@]}" -gt 0 ] || return 1
	lines+=("@@")
	while [ "$i" -lt "${#lines[@]}" ]; do
		line=${lines[i]}
		i=$((i + 1))
		if [ "$line" = "@@" ] || [[ $line == '$ '* ]]; then
			if [ -n "$cmd" ]; then
				man_example "$cmd" "$want" || fail=1
				n=$((n + 1))
			fi
			cmd= want=
			[[ $line == '$ '* ]] || continue
			cmd=${line#'$ '}
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
	[ "$n" -ge "$2" ] && [ "$fail" = 0 ]
}
